#!/usr/bin/env bash
# Tracker benchmark: iadsim's GNN against Stone Soup's GNN on the same plots, scored with the same
# GOSPA, plus iadsim's plots/s on one core (1000 targets + 500 false alarms per scan).
# See bench/tracking/README.md. Takes about 20 minutes on 2 cores (most of it Stone Soup).
#
# Usage: bench/tracking.sh [run_bench.py options]
#   e.g. bench/tracking.sh --targets 10 100 --no-throughput     # the quick part, ~2 minutes
#        bench/tracking.sh --stonesoup-budget-s 120             # cap each Stone Soup run at ~2 min
# The iadsim binary is built with cargo into $CARGO_TARGET_DIR (default target/); set IADSIM_BIN
# to a binary to benchmark that one instead, without building.
# Output: the report on stdout; results.md, results.json and every CSV in runs/bench-tracking/.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=bench/.venv
req=bench/tracking/requirements.txt
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# Reinstall only when requirements.txt changed since the last install into this venv.
if ! cmp -s "$req" "$venv/.tracking-requirements"; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$venv/.tracking-requirements"
fi

if [ -n "${IADSIM_BIN:-}" ]; then
  iadsim=$IADSIM_BIN
else
  cargo build --release --quiet -p iadsim
  iadsim=${CARGO_TARGET_DIR:-target}/release/iadsim
fi
exec "$venv/bin/python" bench/tracking/run_bench.py --iadsim "$iadsim" "$@"
