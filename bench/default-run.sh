#!/usr/bin/env bash
# Wall-clock time of one replication of the built-in scenario (release build), N repetitions.
# Usage: bench/default-run.sh [N]     Results go to docs/benchmarks.md by hand, with this command.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10}
cargo build --release --quiet -p iadsim
bin=${CARGO_TARGET_DIR:-target}/release/iadsim
out=$(mktemp -d)
start=$(date +%s.%N)
for i in $(seq 1 "$n"); do
  "$bin" run --seed "$i" --out "$out/$i" --json > /dev/null
done
end=$(date +%s.%N)
echo "runs: $n  mean wall time per run: $(echo "($end - $start) / $n" | bc -l | cut -c1-6) s"
rm -rf "$out"
