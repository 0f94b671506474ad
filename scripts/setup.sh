#!/usr/bin/env bash
# System packages rein's build and tests need on a fresh machine: cmake and libclang for the
# embedded llama.cpp, git and python3 for the tools and the sample project, tmux for the
# terminal tests, node and npm for the MCP servers the tests talk to. Installs only what is
# missing.
set -euo pipefail
need=()
command -v cmake >/dev/null || need+=(cmake)
ls /usr/lib/llvm-*/lib/libclang.so* >/dev/null 2>&1 || need+=(libclang-dev)
command -v git >/dev/null || need+=(git)
command -v python3 >/dev/null || need+=(python3 python3-pip)
command -v c++ >/dev/null || need+=(g++)
command -v tmux >/dev/null || need+=(tmux)
# The MCP tests run servers from npm (scripts/setup-mcp.sh).
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if ((${#need[@]})); then
  echo "==> installing system packages: ${need[*]}"
  sudo_cmd=""
  [[ $(id -u) -eq 0 ]] || sudo_cmd=sudo
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
