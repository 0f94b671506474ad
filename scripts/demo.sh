#!/usr/bin/env bash
# rein's main job, end to end: build rein, copy the sample project to a scratch folder, and run
# an agent session that adds a function and its test, then show the diff and run the tests.
#
# Who does the work:
# - ANTHROPIC_API_KEY or OPENAI_API_KEY set: that hosted model;
# - otherwise: the embedded local model (Qwen2.5-Coder-1.5B), installed on first use;
# - with --scripted: the test kit's scripted model server (real HTTP, tools and files; the
#   model's moves are scripted), which needs no model download.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripted=false
[[ "${1:-}" == "--scripted" ]] && scripted=true

bash scripts/setup.sh
echo "==> building rein (release)"
cargo build --release --quiet -p rein-cli -p rein-testkit
rein="$root/target/release/rein"

work=$(mktemp -d)
trap 'kill "${server_pid:-0}" 2>/dev/null || true' EXIT
cp -r examples/greeter "$work/greeter"
cd "$work/greeter"
git init -q -b main && git add -A && git -c user.name=demo -c user.email=demo@example.invalid commit -qm "sample project"

task='Add a function farewell(name) to greeter.py that returns "Goodbye, NAME!", add a unit test for it in test_greeter.py, and run the tests.'
export REIN_HOME="${REIN_HOME:-$work/rein-home}"
# Models are large: keep them in the user's cache, not in the scratch folder.
export REIN_MODELS_DIR="${REIN_MODELS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/rein/models}"

if $scripted; then
  echo "==> using the scripted model server"
  "$root/target/release/rein-fake-model" --script "$root/examples/demo-script.json" > "$work/server-url" &
  server_pid=$!
  for _ in $(seq 100); do [[ -s "$work/server-url" ]] && break; sleep 0.05; done
  export ANTHROPIC_BASE_URL=$(head -n1 "$work/server-url") ANTHROPIC_API_KEY=scripted
fi

echo "==> rein -p \"$task\""
"$rein" -p "$task" --verbose
echo
echo "==> what changed"
git --no-pager diff --stat
git --no-pager diff
echo "==> the project's tests"
python3 -m unittest -v 2>&1 | tail -n 5
echo "==> session saved; list with: REIN_HOME=$REIN_HOME $rein sessions list"
