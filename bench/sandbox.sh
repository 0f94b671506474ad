#!/usr/bin/env bash
# Times a shell command run plainly, in rein's sandbox (Landlock + namespaces + seccomp, set
# up in the child), and in bubblewrap with the same limits when `bwrap` is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release -p rein-sandbox --example bench_sandbox
