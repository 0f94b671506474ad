#!/usr/bin/env bash
# Times the permission rules engine: 10,000 checks against 1,000 rules (median and p99 per check).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -p rein-permissions --example bench_rules
