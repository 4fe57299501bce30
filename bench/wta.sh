#!/usr/bin/env bash
# Exact static WTA on the public instances of Andersen, Pavlikov & Toffolo (2022), compared with
# the paper's best bounds (CPLEX 12.10, 1 thread, 7200 s; table of the instances' README).
#
# Usage: bench/wta.sh [time_limit_s]   (default 600 s per instance; run from anywhere)
# Prints a markdown table. Builds crates/c2/examples/wta_bench.rs in release, in $CARGO_TARGET_DIR
# if set (else the workspace's target/).
set -euo pipefail
limit="${1:-600}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="$repo/bench/wta-andersen2022"
cd "$repo"
cargo build --release -q -p iadsim-c2 --example wta_bench
bin="${CARGO_TARGET_DIR:-$repo/target}/release/examples/wta_bench"

# Published: best LB, best UB, gap, time of branch-and-adjust δ=1e-5 (README table).
declare -A pub=(
  [wta_50x100x1]="1734.302278|1734.302277|0|6.3 s"
  [wta_50x100x2]="123.832547|123.838458|0.0048%|23.7 s"
  [wta_50x100x3]="20.587974|20.590016|0.0099%|356.1 s"
  [wta_100x200x1]="2862.129284|2862.302798|0.0061%|25.8 s"
  [wta_100x200x2]="116.045985|116.057435|0.0099%|202.6 s"
  [wta_100x200x3]="14.549077|14.579133|0.21%|7200 s (limit)"
  [wta_150x300x1]="3740.117723|3740.417477|0.0080%|82.6 s"
  [wta_150x300x2]="103.148114|103.151031|0.0028%|420.7 s"
  [wta_150x300x3]="11.383811|11.429016|0.40%|7200 s (limit)"
  [wta_200x400x1]="4970.172084|4970.363583|0.0039%|419.9 s"
  [wta_200x400x2]="115.406346|115.447473|0.036%|7200 s (limit)"
  [wta_200x400x3]="10.507078|10.577367|0.66%|7200 s (limit)"
)

echo "Exact solver, time limit ${limit} s per instance ($(nproc) cores, 1 thread used)."
echo
echo "| instance | our LB | our UB | our gap | our time | published LB | published UB | published gap | published time |"
echo "|---|---|---|---|---|---|---|---|---|"
for f in $(ls "$dir"/wta_*.txt | sort -V); do
  name="$(basename "$f" .txt)"
  read -r _ lb ub gap secs optimal < <("$bin" exact "$limit" "$f")
  IFS='|' read -r plb pub_ub pgap ptime <<< "${pub[$name]:-?|?|?|?}"
  ourgap="$(awk -v g="$gap" -v o="$optimal" 'BEGIN { if (o == "true") printf "0 (proven, ≤1e-9)"; else printf "%.4f%%", 100 * g }')"
  echo "| $name | $lb | $ub | $ourgap | ${secs} s | $plb | $pub_ub | $pgap | $ptime |"
done
