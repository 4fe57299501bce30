#!/usr/bin/env python3
"""Explains how two sets of run directories differ (for a change that is not byte-identical).

Usage: tools/diff_runs.py BASE_DIR NEW_DIR
Both directories hold run directories of the same names (as `tools/same-outputs.sh record` writes
them). For each run: whether summary.json is identical, how many events.jsonl lines differ, the
largest relative difference of any number and the fields it occurs in, and the first
non-numeric differences (a different kind, id or outcome: a change of behaviour, not rounding).
Exit code 1 if any run differs in structure or non-numeric content.
"""
import json
import os
import sys


def walk(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            walk(a.get(k), b.get(k), f"{path}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for x, y in zip(a, b):
            walk(x, y, path, out)
    elif isinstance(a, float) and isinstance(b, float):
        if a != b:
            out["rel"] = max(out["rel"], abs(a - b) / max(abs(a), 1e-300))
            out["fields"].add(path)
    elif a != b:
        out["other"].append((path, a, b))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    base, new = sys.argv[1:]
    status = 0
    for name in sorted(os.listdir(new)):
        a = open(os.path.join(base, name, "events.jsonl")).read().splitlines()
        b = open(os.path.join(new, name, "events.jsonl")).read().splitlines()
        same_summary = open(os.path.join(base, name, "summary.json")).read() == open(
            os.path.join(new, name, "summary.json")
        ).read()
        if len(a) != len(b):
            print(f"{name}: {len(a)} -> {len(b)} events (behaviour changed)")
            status = 1
            continue
        out = {"rel": 0.0, "fields": set(), "other": []}
        for x, y in zip(a, b):
            walk(json.loads(x), json.loads(y), "", out)
        differing = sum(x != y for x, y in zip(a, b))
        print(
            f"{name}: summary identical: {same_summary}; {differing}/{len(a)} event lines differ; "
            f"largest relative difference {out['rel']:.1e} in {sorted(out['fields'])}; "
            f"non-numeric differences: {out['other'][:3]}"
        )
        if out["other"]:
            status = 1
    sys.exit(status)


if __name__ == "__main__":
    main()
