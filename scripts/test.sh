#!/usr/bin/env bash
# The full test suite. Installs what the tests need when it is missing, then runs every test
# of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v git >/dev/null || need_apt+=(git)
command -v python3 >/dev/null || need_apt+=(python3)
if ((${#need_apt[@]})); then
  sudo_cmd=$([[ $(id -u) -eq 0 ]] && echo "" || echo sudo)
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq "${need_apt[@]}"
fi

if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast --profile "${NEXTEST_PROFILE:-default}"
  # nextest does not run doctests.
  cargo test --workspace --doc --quiet
else
  cargo test --workspace --no-fail-fast
fi
