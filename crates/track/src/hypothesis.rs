//! Hypotheses and gating: which measurements each track could have produced.
use crate::estimator::Estimator;
use crate::filter::{Innovation, NotPositiveDefinite, Updater};
use crate::state::{GaussianState, Measurement};
use crate::TrackError;
use iadsim_core::TrackId;

/// One way to explain a track's part of a scan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hypothesis {
    /// The track produced measurement `measurement` (an index into the scan).
    Detected {
        /// Index of the measurement in the scan.
        measurement: usize,
        /// Squared Mahalanobis distance of the innovation.
        mahalanobis2: f64,
        /// Association cost, `d² + ln|S|`: twice the negative log-likelihood of the measurement
        /// under the track's prediction, up to a constant common to all pairs.
        cost: f64,
    },
    /// The track was not detected in this scan.
    Missed {
        /// Association cost of the miss, in the same units as [`Hypothesis::Detected::cost`].
        cost: f64,
    },
}

impl Hypothesis {
    /// The hypothesis's association cost.
    pub fn cost(&self) -> f64 {
        match *self {
            Hypothesis::Detected { cost, .. } | Hypothesis::Missed { cost } => cost,
        }
    }
}

/// What a gate needs from a filter: the innovation of a measurement against a predicted state,
/// and the mean and variance of the state's first coordinate (for a coarse gate).
///
/// Every 6-D [`Updater`] is one (on [`GaussianState`]); an [`Estimator`] is one through
/// [`ByEstimator`].
pub trait Gating {
    /// The predicted-state type.
    type State;
    /// The innovation of `measurement` against `predicted`.
    fn innovation(
        &self,
        predicted: &Self::State,
        measurement: &Measurement,
    ) -> Result<Innovation, NotPositiveDefinite>;
    /// `(x̂, P_xx)`: mean and variance of the first position coordinate, m and m².
    fn first_coordinate(&self, predicted: &Self::State) -> (f64, f64);
}

impl<U: Updater> Gating for U {
    type State = GaussianState;
    fn innovation(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<Innovation, NotPositiveDefinite> {
        Updater::innovation(self, predicted, measurement)
    }
    fn first_coordinate(&self, predicted: &GaussianState) -> (f64, f64) {
        (predicted.x[0], predicted.p[(0, 0)])
    }
}

/// An [`Estimator`] seen as [`Gating`].
#[derive(Debug, Clone, Copy)]
pub struct ByEstimator<'a, E>(pub &'a E);

impl<E: Estimator> Gating for ByEstimator<'_, E> {
    type State = E::State;
    fn innovation(
        &self,
        predicted: &E::State,
        measurement: &Measurement,
    ) -> Result<Innovation, NotPositiveDefinite> {
        self.0
            .innovation(predicted, measurement)
            .map_err(|_| NotPositiveDefinite)
    }
    fn first_coordinate(&self, predicted: &E::State) -> (f64, f64) {
        let g = self.0.gaussian(predicted);
        (g.x[0], g.p[(0, 0)])
    }
}

/// Produces, for each predicted track, the hypotheses worth considering: the gated detections
/// (in increasing measurement index) followed by exactly one [`Hypothesis::Missed`].
pub trait Hypothesiser {
    /// Hypotheses for each of `predictions` (track id and state predicted to the scan time).
    fn hypothesise<G: Gating>(
        &self,
        gating: &G,
        predictions: &[(TrackId, G::State)],
        measurements: &[Measurement],
    ) -> Result<Vec<Vec<Hypothesis>>, TrackError>;
}

/// Ellipsoidal chi-square gate on the squared Mahalanobis distance, behind a coarse gate on the
/// first coordinate.
///
/// **Coarse gate.** A measurement inside the ellipsoid `νᵀ S⁻¹ ν ≤ γ` has
/// `|ν_x| ≤ √(γ S_xx)` (the ellipsoid's half-width along x). Each track gets the interval
/// `x̂ ± √(γ (P_xx + max_j R_j,xx))`, and a sweep over the intervals and the measurements, both
/// sorted along x, lists only the track–measurement pairs whose x-coordinates are compatible. The
/// cost is `O((T + M) log(T + M) + K)` for `T` tracks, `M` measurements and `K` listed pairs,
/// instead of `T × M`, as long as targets are spread along x. (Targets stacked along one line
/// of constant x all pass the coarse gate; the result is still exact, only slower.)
///
/// **Missed-detection cost.** Every track's miss costs the same, `C = γ + max ln|S|` over all
/// gated pairs of the scan: the cost of the worst acceptable detection. A constant matters:
/// with a per-track miss cost `γ + ln|S_i|` the `ln|S|` terms would cancel and a diffuse
/// tentative track could take a plot from a precise confirmed track on Mahalanobis distance
/// alone. With `C` at least every detection's cost, a gated plot is always preferred to a miss
/// for a track alone, and the `ln|S|` term favours the precise track when two compete. (The
/// full likelihood ratio would need Pd and the clutter density, which this version does not
/// model.)
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EllipsoidalGate {
    /// Gate threshold `γ` on the squared Mahalanobis distance.
    pub threshold: f64,
}

impl EllipsoidalGate {
    /// The gate that a target's own (Gaussian, correctly modelled) measurement passes with
    /// probability `gate_probability` (the χ²(3) quantile).
    pub fn from_probability(gate_probability: f64) -> Self {
        EllipsoidalGate {
            threshold: crate::chi2::chi2_3_quantile(gate_probability),
        }
    }
}

impl Hypothesiser for EllipsoidalGate {
    fn hypothesise<G: Gating>(
        &self,
        gating: &G,
        predictions: &[(TrackId, G::State)],
        measurements: &[Measurement],
    ) -> Result<Vec<Vec<Hypothesis>>, TrackError> {
        let gamma = self.threshold;
        let mut out: Vec<Vec<Hypothesis>> = vec![Vec::new(); predictions.len()];

        let r_max_xx = measurements
            .iter()
            .map(|m| m.r_m2[(0, 0)])
            .fold(0.0_f64, f64::max);
        // Track intervals along x, sorted by their lower end.
        let first: Vec<(f64, f64)> = predictions
            .iter()
            .map(|(_, s)| gating.first_coordinate(s))
            .collect();
        let mut intervals: Vec<(f64, f64, usize)> = predictions
            .iter()
            .enumerate()
            .map(|(t, _)| {
                let (x, pxx) = first[t];
                let half = (gamma * (pxx + r_max_xx)).sqrt();
                (x - half, x + half, t)
            })
            .collect();
        intervals.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
        let mut order: Vec<usize> = (0..measurements.len()).collect();
        order.sort_by(|&a, &b| {
            measurements[a].z_m[0]
                .total_cmp(&measurements[b].z_m[0])
                .then(a.cmp(&b))
        });

        let mut next = 0;
        let mut active: Vec<(f64, usize)> = Vec::new(); // (upper end, track)
        let mut max_ln_det = f64::NEG_INFINITY;
        for &mi in &order {
            let m = &measurements[mi];
            let zx = m.z_m[0];
            while next < intervals.len() && intervals[next].0 <= zx {
                active.push((intervals[next].1, intervals[next].2));
                next += 1;
            }
            // Points come in increasing x, so an interval that ends before this one never
            // matches again.
            active.retain(|&(upper, _)| upper >= zx);
            for &(_, t) in &active {
                let (track, state) = &predictions[t];
                // Exact half-width for this pair before the full Mahalanobis test.
                let (x, pxx) = first[t];
                let dx = zx - x;
                if dx * dx > gamma * (pxx + m.r_m2[(0, 0)]) {
                    continue;
                }
                let inn = gating.innovation(state, m).map_err(|_| {
                    TrackError::InnovationNotPositiveDefinite {
                        track: *track,
                        time: m.time,
                    }
                })?;
                if inn.mahalanobis2 <= gamma {
                    max_ln_det = max_ln_det.max(inn.ln_det_s);
                    out[t].push(Hypothesis::Detected {
                        measurement: mi,
                        mahalanobis2: inn.mahalanobis2,
                        cost: inn.mahalanobis2 + inn.ln_det_s,
                    });
                }
            }
        }

        let miss_cost = if max_ln_det.is_finite() {
            gamma + max_ln_det
        } else {
            gamma
        };
        for hyps in &mut out {
            hyps.sort_by_key(|h| match *h {
                Hypothesis::Detected { measurement, .. } => measurement,
                Hypothesis::Missed { .. } => usize::MAX,
            });
            hyps.push(Hypothesis::Missed { cost: miss_cost });
        }
        Ok(out)
    }
}
