#!/usr/bin/env python3
"""Generate the reference fixtures for the iadsim-track metric tests (OSPA, GOSPA).

Run from the workspace root:

    python3 -m venv /tmp/metrics-venv
    /tmp/metrics-venv/bin/pip install -r tools/requirements-metrics.txt
    /tmp/metrics-venv/bin/python tools/gen_metric_fixtures.py

Writes crates/track/tests/fixtures/metrics/ospa_gospa.toml: ~200 random pairs of point sets
(truth, estimate) in 2-D and 3-D with a cut-off c and an order p, and for each

* gospa_*     -- Stone Soup GOSPAMetric(c=c, p=p).compute_gospa_metric(est, truth) (alpha = 2):
                 distance, localisation, missed, false and the truth -> estimate assignment
                 (-1 for none; pairs at distance >= c count as missed + false, as in Stone Soup);
* ospa_ss     -- Stone Soup OSPAMetric(c=c, p=p).compute_OSPA_distance(est, truth);
* ospa        -- OSPA computed here with scipy.optimize.linear_sum_assignment on min(d, c)^p.

Stone Soup 1.9.1 solves OSPA's assignment on min(d, c) rather than min(d, c)^p, which is the
optimum only for p = 1 (for p != 1 its value is an upper bound that can exceed the true OSPA);
so the Rust tests compare OSPA with `ospa` for every case and with `ospa_ss` only where p = 1,
and the count of cases where the two differ is printed here.

Every value is written with repr(), which round-trips IEEE doubles exactly. A fixed seed makes
the output reproducible.
"""

import datetime
import os

import numpy as np
import scipy
import stonesoup
from scipy.optimize import linear_sum_assignment
from stonesoup.metricgenerator.ospametric import GOSPAMetric, OSPAMetric
from stonesoup.types.state import State

SEED = 20250611
N_CASES = 200
COMMAND = (
    "tools/gen_metric_fixtures.py  (stonesoup==%s, numpy==%s, scipy==%s, seed %d)"
    % (stonesoup.__version__, np.__version__, scipy.__version__, SEED)
)
OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "crates", "track", "tests", "fixtures", "metrics", "ospa_gospa.toml",
)
T0 = datetime.datetime(2025, 1, 1)


def states(points):
    return [State(np.array(p, dtype=float).reshape(-1, 1), timestamp=T0) for p in points]


def ospa_scipy(x, y, c, p):
    """OSPA of Schuhmacher, Vo & Vo (2008), eq. (3), with the exact assignment on min(d,c)^p."""
    n, m = len(x), len(y)
    if n == 0 and m == 0:
        return 0.0
    if n == 0 or m == 0:
        return float(c)
    d = np.linalg.norm(np.asarray(x)[:, None, :] - np.asarray(y)[None, :, :], axis=2)
    cost = np.minimum(d, c) ** p
    r, k = linear_sum_assignment(cost)
    total = cost[r, k].sum() + c ** p * abs(n - m)
    return float((total / max(n, m)) ** (1.0 / p))


def fmt_points(points):
    return "[" + ", ".join("[" + ", ".join(repr(float(v)) for v in pt) + "]" for pt in points) + "]"


def main():
    rng = np.random.default_rng(SEED)
    out = ["# " + COMMAND, "# Do not edit: regenerate with the command above.", ""]
    differ = 0
    for case in range(N_CASES):
        dim = int(rng.choice([2, 3]))
        # Mostly small sets, some empty, some larger; both orders of cardinality.
        n_truth = int(rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12], p=[.05, .1, .15, .15, .15, .15, .1, .1, .05]))
        n_est = int(rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12], p=[.05, .1, .15, .15, .15, .15, .1, .1, .05]))
        if case < 3:  # the three empty corner cases, explicitly
            n_truth, n_est = [(0, 0), (0, 4), (3, 0)][case]
        c = float(rng.choice([0.5, 1.0, 2.0, 3.5, 5.0, 10.0, 50.0]))
        p = float(rng.choice([1.0, 1.0, 2.0, 2.0, 1.5, 3.0]))
        side = float(rng.choice([2.0, 10.0]))
        truth = rng.uniform(0.0, side, size=(n_truth, dim))
        # Estimates: some near a truth (noisy copies), the rest anywhere in the box.
        est = rng.uniform(0.0, side, size=(n_est, dim))
        for k in range(min(n_truth, n_est)):
            if rng.uniform() < 0.6:
                est[k] = truth[rng.integers(n_truth)] + rng.normal(0.0, 0.3 * c, size=dim)
        rng.shuffle(est)

        if n_truth == 0 and n_est == 0:
            g = {"distance": 0.0, "localisation": 0.0, "missed": 0.0, "false": 0.0}
            assign = []
            ospa_ss = 0.0  # Stone Soup needs a timestamp, i.e. at least one state
        else:
            gm = GOSPAMetric(c=c, p=p)
            single, assign = gm.compute_gospa_metric(states(est), states(truth))
            g = single.value
            assign = [int(a) for a in assign] if n_truth and n_est else [-1] * n_truth
            ospa_ss = float(OSPAMetric(c=c, p=p).compute_OSPA_distance(states(est), states(truth)).value)
        ospa = ospa_scipy(truth, est, c, p)
        if abs(ospa - ospa_ss) > 1e-12 * max(1.0, ospa):
            differ += 1
            assert ospa_ss > ospa and p != 1.0, "Stone Soup's OSPA can only be an upper bound"

        out.append("[[case]]")
        out.append("dim = %d" % dim)
        out.append("c = %r" % c)
        out.append("p = %r" % p)
        out.append("truth = " + fmt_points(truth))
        out.append("est = " + fmt_points(est))
        out.append("gospa_distance = %r" % float(g["distance"]))
        out.append("gospa_localisation = %r" % float(g["localisation"]))
        out.append("gospa_missed = %r" % float(g["missed"]))
        out.append("gospa_false = %r" % float(g["false"]))
        out.append("gospa_assignment = [" + ", ".join(str(a) for a in assign) + "]")
        out.append("ospa = %r" % ospa)
        out.append("ospa_ss = %r" % ospa_ss)
        out.append("")
    with open(OUT, "w") as f:
        f.write("\n".join(out))
    print("wrote %d cases to %s; Stone Soup OSPA differs from the exact OSPA in %d (all p != 1)"
          % (N_CASES, OUT, differ))


if __name__ == "__main__":
    main()
