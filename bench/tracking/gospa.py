#!/usr/bin/env python3
"""Independent GOSPA (alpha = 2) of TRACKS.csv against TRUTH.csv: a cross-check of
``iadsim track-eval``, not the benchmark's score.

Per scan (each distinct ``time_s`` of TRUTH.csv), with cut-off ``c`` and order ``p``
(Rahmathullah, Garcia-Fernandez & Svensson 2017, Proposition 1): the optimal assignment on
``min(d, c)^p`` (scipy's ``linear_sum_assignment``), pairs closer than ``c`` give the
localisation part, and every other truth (track) costs ``c^p / 2`` as missed (false). The three
parts are in units of ``distance^p``; GOSPA is ``(localisation + missed + false)^(1/p)``.
Prints means over the scans as JSON, with the same keys as ``iadsim track-eval --json``.
"""
import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment


def read_points(path: Path, xcol: str, ycol: str) -> dict:
    pts = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            pts[float(row["time_s"])].append((float(row[xcol]), float(row[ycol])))
    return {t: np.array(v).reshape(-1, 2) for t, v in pts.items()}


def gospa_scan(truth: np.ndarray, est: np.ndarray, c: float, p: float):
    half = c**p / 2.0
    if len(truth) == 0 or len(est) == 0:
        return 0.0, half * len(truth), half * len(est)
    d = np.linalg.norm(truth[:, None, :] - est[None, :, :], axis=2)
    cost = np.minimum(d, c) ** p
    rows, cols = linear_sum_assignment(cost)
    close = d[rows, cols] < c
    loc = float(np.sum(d[rows, cols][close] ** p))
    matched = int(close.sum())
    return loc, half * (len(truth) - matched), half * (len(est) - matched)


def evaluate(truth_path: Path, tracks_path: Path, c: float, p: float) -> dict:
    truth = read_points(truth_path, "x_m", "y_m")
    tracks = read_points(tracks_path, "x_m", "y_m")
    sums = np.zeros(4)
    for t in sorted(truth):
        loc, missed, false = gospa_scan(truth[t], tracks.get(t, np.zeros((0, 2))), c, p)
        sums += (((loc + missed + false) ** (1.0 / p)), loc, missed, false)
    n = len(truth)
    return dict(
        mean_gospa=sums[0] / n,
        mean_localisation=sums[1] / n,
        mean_missed=sums[2] / n,
        mean_false=sums[3] / n,
        scans=n,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth", type=Path, required=True)
    ap.add_argument("--tracks", type=Path, required=True)
    ap.add_argument("--c", type=float, default=500.0)
    ap.add_argument("--p", type=float, default=2.0)
    a = ap.parse_args()
    print(json.dumps(evaluate(a.truth, a.tracks, a.c, a.p)))


if __name__ == "__main__":
    main()
