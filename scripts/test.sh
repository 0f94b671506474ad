#!/usr/bin/env bash
# The full test suite. Installs what the tests need when it is missing (system packages, the
# local models the real-model tests load), then runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/setup-mcp.sh

# Real-model tests read models from this shared cache; downloads are verified by sha256.
export REIN_MODELS_DIR="${REIN_MODELS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/rein/models}"
for model in smollm2-135m qwen2.5-coder-0.5b qwen2.5-coder-1.5b; do
  cargo run --quiet -p rein-models --example fetch -- "$model" "$REIN_MODELS_DIR"
done

if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast --profile "${NEXTEST_PROFILE:-default}"
  # nextest does not run doctests.
  cargo test --workspace --doc --quiet
else
  cargo test --workspace --no-fail-fast
fi
