#!/usr/bin/env bash
# Proves a refactor changes no result: runs the built-in scenario and scenarios/patriot-baghdad.toml
# for seeds 1-5 with the release binary and compares events.jsonl and summary.json byte for byte
# with a baseline directory made the same way from an earlier commit.
#
# Usage: tools/same-outputs.sh record DIR    write the baseline runs into DIR (e.g. before a refactor)
#        tools/same-outputs.sh check DIR     rerun and compare with DIR; exit 1 on any difference
# Honours CARGO_TARGET_DIR; SEEDS="1 2 3" overrides the seeds. When a change is meant to differ
# (in the last bits, say), tools/diff_runs.py BASE NEW says by how much and in which fields.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: tools/same-outputs.sh record|check DIR}
dir=${2:?usage: tools/same-outputs.sh record|check DIR}
seeds=${SEEDS:-1 2 3 4 5}
cargo build --release --quiet --locked -p iadsim
bin=${CARGO_TARGET_DIR:-target}/release/iadsim
case "$mode" in
  record) out=$dir ;;
  check) out=$(mktemp -d) ;;
  *) echo "unknown mode '$mode' (record or check)" >&2; exit 2 ;;
esac
mkdir -p "$out"
for s in $seeds; do
  "$bin" run --seed "$s" --out "$out/default-$s" > /dev/null
  "$bin" run scenarios/patriot-baghdad.toml --seed "$s" --out "$out/patriot-$s" > /dev/null
done
[ "$mode" = record ] && { echo "baseline written to $dir"; exit 0; }
status=0
for s in $seeds; do
  for sc in default patriot; do
    for f in events.jsonl summary.json; do
      if ! cmp -s "$dir/$sc-$s/$f" "$out/$sc-$s/$f"; then
        echo "DIFFERENT: $sc seed $s $f"; status=1
      fi
    done
  done
done
[ "$status" = 0 ] && echo "identical: events.jsonl and summary.json, both scenarios, seeds $seeds"
rm -rf "$out"
exit "$status"
