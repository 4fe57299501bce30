#!/usr/bin/env python3
"""Run Stone Soup's GNN tracker on MEAS.csv with the configuration of TRACKER.toml.

The tracker is built from Stone Soup's stock components, chosen to match ``iadsim track``
(see README.md, "Equivalence", for what matches exactly and what does not):

* ``KalmanPredictor`` on ``CombinedLinearGaussianTransitionModel([ConstantVelocity(q)] * 2)``,
  state ``[x, vx, y, vy]``;
* ``KalmanUpdater`` with ``LinearGaussian(ndim_state=4, mapping=(0, 2), noise_covar=sigma^2 I)``;
* ``DistanceHypothesiser`` with the ``Mahalanobis`` measure and ``missed_distance`` =
  sqrt(chi2_2.ppf(gate_probability)), so a plot is a candidate exactly when it is inside the
  chi-square gate;
* ``GNNWith2DAssignment`` for both confirmed and tentative (held) tracks;
* ``MultiMeasurementInitiator`` (``min_points = m``) over a ``SimpleMeasurementInitiator`` whose
  prior velocity sigma is ``init_velocity_sigma_mps`` (iadsim's default 400 m/s), holding tracks
  dropped by ``UpdateTimeStepsDeleter(max_misses_tentative)``: with m = 2 and
  max_misses_tentative <= n - 1 this is exactly iadsim's M-of-N confirmation (a second hit
  before the tentative track is dropped);
* ``MultiTargetTracker`` with ``UpdateTimeStepsDeleter(max_misses)``: a confirmed track is
  deleted after ``max_misses`` consecutive scans without a plot.

Only the tracking loop is timed (wall clock, ``time.perf_counter``, one thread): CSV parsing and
the creation of Stone Soup ``Detection`` objects happen before the clock starts, and writing
TRACKS.csv after it stops. Output TRACKS.csv has the header
``time_s,track_id,x_m,y_m,vx_mps,vy_mps``, one row per confirmed track per scan, like
``iadsim track``; a JSON summary (timing, counts) goes to stdout.
"""
import argparse
import csv
import json
import math
import os
import sys
import time
import tomllib
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

# One core, one thread: Stone Soup's 4x4 algebra gains nothing from threaded BLAS, and the
# benchmark compares single-threaded trackers. Must be set before numpy is imported.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402
from scipy.stats import chi2  # noqa: E402
from stonesoup.base import Property  # noqa: E402
from stonesoup.buffered_generator import BufferedGenerator  # noqa: E402
from stonesoup.dataassociator.neighbour import GNNWith2DAssignment  # noqa: E402
from stonesoup.dataassociator.tree import DetectionKDTreeGNN2D  # noqa: E402
from stonesoup.deleter.time import UpdateTimeStepsDeleter  # noqa: E402
from stonesoup.hypothesiser.distance import DistanceHypothesiser  # noqa: E402
from stonesoup.initiator.simple import MultiMeasurementInitiator  # noqa: E402
from stonesoup.measures import Mahalanobis, SquaredMahalanobis  # noqa: E402
from stonesoup.models.measurement.linear import LinearGaussian  # noqa: E402
from stonesoup.models.transition.linear import (  # noqa: E402
    CombinedLinearGaussianTransitionModel,
    ConstantVelocity,
)
from stonesoup.predictor.kalman import KalmanPredictor  # noqa: E402
from stonesoup.reader.base import DetectionReader  # noqa: E402
from stonesoup.tracker.simple import MultiTargetTracker  # noqa: E402
from stonesoup.types.array import CovarianceMatrix, StateVector  # noqa: E402
from stonesoup.types.detection import Detection  # noqa: E402
from stonesoup.types.state import GaussianState  # noqa: E402
from stonesoup.updater.kalman import KalmanUpdater  # noqa: E402

# iadsim's TrackerConfig::default().init_velocity_sigma_mps, used when TRACKER.toml does not say.
DEFAULT_INIT_VELOCITY_SIGMA_MPS = 400.0
EPOCH = datetime(2000, 1, 1)


class ScanListReader(DetectionReader):
    """Replays pre-built scans: (timestamp, set of detections), in time order."""

    scans: list = Property(doc="[(datetime, set[Detection])] in increasing time")

    @BufferedGenerator.generator_method
    def detections_gen(self):
        yield from self.scans


def load_config(path: Path) -> dict:
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    motion, assoc = raw.get("motion", {}), raw.get("association", {})
    if motion.get("model", "cv") != "cv":
        sys.exit(f"{path}: motion.model must be \"cv\" for this benchmark")
    if assoc.get("method", "gnn") != "gnn":
        sys.exit(f"{path}: association.method must be \"gnn\" for this benchmark")
    init = raw.get("initiation", {})
    if init.get("velocity_start", "two_point") != "update":
        sys.exit(f"{path}: initiation.velocity_start must be \"update\" for this benchmark "
                 "(Stone Soup's MultiMeasurementInitiator starts a track by a Kalman update of "
                 "the one-plot prior; iadsim's default is two-point differencing)")
    return dict(
        q=float(motion["q"]),
        sigma_m=float(raw["measurement"]["sigma_m"]),
        gate_probability=float(assoc.get("gate_probability", 0.9999)),
        m=int(init.get("m", 2)),
        n=int(init.get("n", 3)),
        init_velocity_sigma_mps=float(
            init.get("init_velocity_sigma_mps", DEFAULT_INIT_VELOCITY_SIGMA_MPS)
        ),
        max_misses=int(raw["deletion"]["max_misses"]),
        # iadsim's TrackerConfig::default().max_misses_tentative when the file does not say.
        max_misses_tentative=int(raw["deletion"].get("max_misses_tentative", 2)),
    )


def read_scans(path: Path, measurement_model) -> list:
    by_time = defaultdict(list)
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        if header != ["time_s", "x_m", "y_m"]:
            sys.exit(f"{path}: header must be time_s,x_m,y_m, found {','.join(header)}")
        for row in r:
            by_time[float(row[0])].append((float(row[1]), float(row[2])))
    scans = []
    for t in sorted(by_time):
        ts = EPOCH + timedelta(seconds=t)
        dets = {
            Detection(StateVector([[x], [y]]), timestamp=ts, measurement_model=measurement_model)
            for x, y in by_time[t]
        }
        scans.append((ts, dets))
    return scans


def build_tracker(
    cfg: dict, reader, measurement_model, measure_name: str, associator: str, gate_dof: int
):
    transition = CombinedLinearGaussianTransitionModel(
        [ConstantVelocity(cfg["q"]), ConstantVelocity(cfg["q"])]
    )
    predictor = KalmanPredictor(transition)
    updater = KalmanUpdater(measurement_model)
    gamma = float(chi2.ppf(cfg["gate_probability"], df=gate_dof))
    if measure_name == "mahalanobis":
        measure, missed = Mahalanobis(), math.sqrt(gamma)
    else:
        measure, missed = SquaredMahalanobis(), gamma
    hypothesiser = DistanceHypothesiser(
        predictor, updater, measure=measure, missed_distance=missed
    )
    if associator == "gnn2d":
        def gnn():
            return GNNWith2DAssignment(hypothesiser)
    else:
        # Stone Soup's k-d tree front end lists, per track, only the plots within a Euclidean
        # radius of the predicted measurement, radius = max(diag S) * multiplier. The chi-square
        # ellipse reaches sqrt(gamma * lambda_max(S)) <= sqrt(2 gamma max(diag S)) from its
        # centre (lambda_max <= trace S), and max(diag S) >= sigma^2, so this multiplier makes
        # the ball contain the gate for every track: the hypothesiser then applies the exact
        # gate, and the hypotheses (hence the tracks) are those of GNNWith2DAssignment.
        multiplier = math.sqrt(2.0 * gamma) / cfg["sigma_m"]

        def gnn():
            return DetectionKDTreeGNN2D(
                hypothesiser=hypothesiser,
                predictor=predictor,
                updater=updater,
                max_distance_covariance_multiplier=multiplier,
            )
    sv2 = cfg["init_velocity_sigma_mps"] ** 2
    # Position entries are replaced by the plot and R; only the velocity prior matters.
    prior = GaussianState(
        StateVector([0.0, 0.0, 0.0, 0.0]), CovarianceMatrix(np.diag([0.0, sv2, 0.0, sv2]))
    )
    initiator = MultiMeasurementInitiator(
        prior_state=prior,
        measurement_model=measurement_model,
        deleter=UpdateTimeStepsDeleter(time_steps_since_update=cfg["max_misses_tentative"]),
        data_associator=gnn(),
        updater=updater,
        min_points=cfg["m"],
    )
    return MultiTargetTracker(
        initiator=initiator,
        deleter=UpdateTimeStepsDeleter(time_steps_since_update=cfg["max_misses"]),
        detector=reader,
        data_associator=gnn(),
        updater=updater,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--measurements", type=Path, required=True)
    ap.add_argument("--config", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True, help="TRACKS.csv to write")
    ap.add_argument(
        "--measure",
        choices=["mahalanobis", "squared-mahalanobis"],
        default="mahalanobis",
        help="association distance (same gate either way); default: mahalanobis",
    )
    ap.add_argument(
        "--associator",
        choices=["gnn2d", "kdtree"],
        default="gnn2d",
        help="gnn2d: GNNWith2DAssignment, every track against every plot (default); kdtree: "
        "DetectionKDTreeGNN2D, the same GNN behind a k-d tree that lists candidate plots",
    )
    ap.add_argument(
        "--gate-dof",
        type=int,
        default=2,
        help="degrees of freedom of the chi-square gate quantile (default 2, the dimension of "
        "the plots; iadsim tracks 2-D plots in 3-D and gates with 3)",
    )
    ap.add_argument(
        "--budget-s",
        type=float,
        default=None,
        help="stop after the scan in which the tracking time passes this many seconds "
        "(the summary's `scans` tells how many were processed)",
    )
    a = ap.parse_args()

    cfg = load_config(a.config)
    model = LinearGaussian(
        ndim_state=4, mapping=(0, 2), noise_covar=np.eye(2) * cfg["sigma_m"] ** 2
    )
    scans = read_scans(a.measurements, model)
    tracker = build_tracker(
        cfg, ScanListReader(scans), model, a.measure, a.associator, a.gate_dof
    )

    ids: dict = {}
    rows = []
    elapsed = 0.0
    it = iter(tracker)
    processed = 0
    for _ in range(len(scans)):
        if a.budget_s is not None and elapsed > a.budget_s:
            break
        start = time.perf_counter()
        ts, tracks = next(it)
        elapsed += time.perf_counter() - start
        processed += 1
        t_s = (ts - EPOCH).total_seconds()
        # New tracks get ids in order of position, so ids do not depend on set iteration order.
        for track in sorted(tracks, key=lambda tr: (tr.id not in ids, float(tr.state_vector[0]))):
            if track.id not in ids:
                ids[track.id] = len(ids)
            sv = track.state_vector
            rows.append((t_s, ids[track.id], sv[0], sv[2], sv[1], sv[3]))

    rows.sort(key=lambda r: (r[0], r[1]))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    with open(a.out, "w") as f:
        f.write("time_s,track_id,x_m,y_m,vx_mps,vy_mps\n")
        f.writelines(
            f"{t:.3f},{i},{float(x):.3f},{float(y):.3f},{float(vx):.3f},{float(vy):.3f}\n"
            for t, i, x, y, vx, vy in rows
        )
    last_time_s = (scans[processed - 1][0] - EPOCH).total_seconds() if processed else None
    print(
        json.dumps(
            dict(
                tracking_s=elapsed,
                scans=processed,
                plots=sum(len(d) for _, d in scans[:processed]),
                last_time_s=last_time_s,
                complete=processed == len(scans),
                tracks=len(ids),
                track_rows=len(rows),
                measure=a.measure,
                associator=a.associator,
                gate_dof=a.gate_dof,
            )
        )
    )


if __name__ == "__main__":
    main()
