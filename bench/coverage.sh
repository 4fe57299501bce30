#!/usr/bin/env bash
# Coverage of the built-in site (3 radars + missile envelopes) on a 1000 × 1000 grid over the
# synthetic DEM, low-flying target (30 m AGL): the time of the computation itself, as printed by
# `iadsim coverage`, best of N runs. Usage: bench/coverage.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
cargo build --release --quiet
out=$(mktemp -d)
for i in $(seq 1 "$n"); do
  ./target/release/iadsim coverage --rcs 0.5 --altitude 30 --agl --grid 1000 --out "$out" \
    | grep -o 'computed in [0-9.]* s'
done | sort -t' ' -k3 -n | head -1
rm -rf "$out"
