//! The single-target estimator the [`crate::Tracker`] runs on every track: one trait,
//! [`Estimator`], with an associated state type, and its three families of implementations.
//!
//! | estimator                | state                     | models                                   |
//! |--------------------------|---------------------------|------------------------------------------|
//! | [`Kalman`]               | [`GaussianState`] (6-D)   | any [`Predictor`] + [`Updater`] (CV KF)  |
//! | [`ModelFilter`]          | [`GaussianStateN<N>`]     | any [`TransitionModel<N>`] + [`GaussianFilter<N>`] (CA, Singer, CT; EKF, UKF) |
//! | [`ImmEstimator`]         | [`ImmState<N, R>`]        | an [`Imm`] (CV + CT on the 7-D turn state) |
//!
//! The tracker's [`Measurement`] is a Cartesian position with covariance, measured with
//! [`CartesianPosition`] (`H = [I₃ 0]`). When it also carries the plot as the radar measured it
//! ([`crate::PolarView`]), the nonlinear estimators ([`ModelFilter`], [`ImmEstimator`]) gate and
//! update with [`RangeAzimuthElevation`] instead ([`PlotModel`] picks) — no conversion bias; [`Kalman`] stays linear. Life-cycle roles (deleter, footprint,
//! reports) see only the 6-D projection [`Estimator::gaussian`], `[x, y, z, vx, vy, vz]`; tracks
//! start from the 6-D two-point estimate, embedded by [`Estimator::initiate`].
//!
//! ## JPDA
//! A JPDA update is a mixture `β₀ · predicted + Σ_j β_j · update(predicted, z_j)`; the tracker
//! builds its components and [`Estimator::mixture`] collapses them to one state. Gaussian
//! states are moment-matched (as [`crate::jpda::mixture_update`]). For the IMM each component is
//! a full IMM posterior `(μ⁽ⁱ⁾, xⱼ⁽ⁱ⁾, Pⱼ⁽ⁱ⁾)`; the collapse keeps the modes apart:
//! `μⱼ = Σᵢ βᵢ μⱼ⁽ⁱ⁾` and mode `j` is the moment match of `{xⱼ⁽ⁱ⁾, Pⱼ⁽ⁱ⁾}` with weights
//! `βᵢ μⱼ⁽ⁱ⁾ / μⱼ`. This is the exact moment match, per mode, of the IMM mixture over
//! association hypotheses (the "IMM-JPDA" of Blom & Bloem, IEEE Trans. AC-45(2), 2000, with
//! the association probabilities taken from the combined-state innovation rather than
//! mode-conditioned ones — a simplification: `β` does not depend on the mode).
use crate::filter::imm::{Imm, ImmState};
use crate::filter::{
    FilterError, GaussianFilter, Innovation, InnovationFactor, KalmanPredictor, KalmanUpdater,
    Predictor, Updater,
};
use crate::measurement::PlotModel;
#[cfg(doc)]
use crate::measurement::{CartesianPosition, RangeAzimuthElevation};
use crate::models::{ConstantVelocity, TransitionModel};
use crate::state::{symmetrise, GaussianState, GaussianStateN, Measurement};
use crate::track::Projected;
use iadsim_core::SimTime;
use nalgebra::{SMatrix, SVector};

/// A single-target filter on its own state type: predict, innovate, update, mix, and project
/// to the tracker's 6-D `[x, y, z, vx, vy, vz]`.
pub trait Estimator {
    /// The filter's estimate of one target.
    type State: Clone + std::fmt::Debug + Projected;

    /// The estimate at `time` (forward or, approximately, backward).
    fn predict(&self, state: &Self::State, time: SimTime) -> Result<Self::State, FilterError>;

    /// The innovation of `measurement` against a predicted state at the same time (gating and
    /// association likelihoods).
    fn innovation(
        &self,
        predicted: &Self::State,
        measurement: &Measurement,
    ) -> Result<Innovation, FilterError>;

    /// The innovation covariance of `predicted` under `measurement`'s covariance, factored once
    /// for every measurement with the same covariance, when the innovation is linear in the
    /// measured position (see [`Updater::innovation_factor`]); `None` (the default) if it is not,
    /// and the gate then calls [`Estimator::innovation`] for every pair. The factor must give
    /// exactly the numbers of [`Estimator::innovation`].
    fn innovation_factor(
        &self,
        predicted: &Self::State,
        measurement: &Measurement,
    ) -> Option<Result<InnovationFactor, FilterError>> {
        let _ = (predicted, measurement);
        None
    }

    /// The posterior after `measurement`.
    fn update(
        &self,
        predicted: &Self::State,
        measurement: &Measurement,
    ) -> Result<Self::State, FilterError>;

    /// The 6-D Gaussian `[x, y, z, vx, vy, vz]` of `state` (m, m/s), for reports, deletion and
    /// footprints. For an IMM, the moment-matched combination of the modes.
    fn gaussian(&self, state: &Self::State) -> GaussianState;

    /// A state from a 6-D start (the tracker's one- or two-point initiation); components the
    /// 6-D state lacks start at zero with the estimator's own prior variance.
    fn initiate(&self, start: &GaussianState) -> Self::State;

    /// One state with the moments of the mixture `Σ wᵢ componentsᵢ` (weights need not sum to
    /// 1; they are normalised). `components` is not empty. Used by JPDA.
    fn mixture(&self, components: &[(Self::State, f64)]) -> Self::State;
}

/// [`moment_match`] of 6-D states.
pub(crate) fn moment_match_6(components: &[(GaussianState, f64)]) -> GaussianState {
    let n: Vec<(GaussianStateN<6>, f64)> =
        components.iter().map(|(s, w)| ((*s).into(), *w)).collect();
    moment_match(&n).into()
}

/// Moment match of `Σ wᵢ N(xᵢ, Pᵢ)`, normalised by `Σ wᵢ`.
fn moment_match<const N: usize>(components: &[(GaussianStateN<N>, f64)]) -> GaussianStateN<N> {
    let total: f64 = components.iter().map(|c| c.1).sum();
    let x = components
        .iter()
        .map(|(s, b)| s.x * *b)
        .sum::<SVector<f64, N>>()
        / total;
    let p = components
        .iter()
        .map(|(s, b)| {
            let d = s.x - x;
            (s.p + d * d.transpose()) * *b
        })
        .sum::<SMatrix<f64, N, N>>()
        / total;
    GaussianStateN {
        time: components[0].0.time,
        x,
        p: symmetrise(&p),
    }
}

/// The first six components of an `N`-D state (`N ≥ 6`).
fn project<const N: usize>(s: &GaussianStateN<N>) -> GaussianState {
    GaussianState {
        time: s.time,
        x: s.x.fixed_rows::<6>(0).into_owned(),
        p: s.p.fixed_view::<6, 6>(0, 0).into_owned(),
    }
}

/// `start` in the first six components of an `N`-D state; the others zero with variance
/// `extra_sigma²` and uncorrelated.
fn embed<const N: usize>(start: &GaussianState, extra_sigma: f64) -> GaussianStateN<N> {
    let mut x = SVector::<f64, N>::zeros();
    x.fixed_rows_mut::<6>(0).copy_from(&start.x);
    let mut p = SMatrix::<f64, N, N>::identity() * (extra_sigma * extra_sigma);
    p.fixed_view_mut::<6, 6>(0, 0).copy_from(&start.p);
    GaussianStateN {
        time: start.time,
        x,
        p,
    }
}

/// The tracker's 6-D filter as a [`Predictor`] and an [`Updater`]; by default the linear Kalman
/// filter with a constant-velocity model, as [`crate::Tracker::new`] builds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kalman<P = KalmanPredictor<ConstantVelocity>, U = KalmanUpdater> {
    /// Time update.
    pub predictor: P,
    /// Measurement update.
    pub updater: U,
}

impl Kalman {
    /// The linear Kalman filter with a constant-velocity model of white-noise acceleration
    /// intensity `q_m2ps3` (m²/s³ per axis), [`KalmanUpdater`] for the update.
    pub fn cv(q_m2ps3: f64) -> Self {
        Kalman {
            predictor: KalmanPredictor {
                model: ConstantVelocity { q_m2ps3 },
            },
            updater: KalmanUpdater,
        }
    }
}

impl<P, U> Kalman<P, U> {
    /// The same filter with another measurement update.
    pub fn with_updater<V>(self, updater: V) -> Kalman<P, V> {
        Kalman {
            predictor: self.predictor,
            updater,
        }
    }
}

impl<P: Predictor, U: Updater> Estimator for Kalman<P, U> {
    type State = GaussianState;

    fn predict(&self, state: &GaussianState, time: SimTime) -> Result<GaussianState, FilterError> {
        Ok(self.predictor.predict(state, time))
    }

    fn innovation(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<Innovation, FilterError> {
        self.updater
            .innovation(predicted, measurement)
            .map_err(|_| FilterError::InnovationNotPositiveDefinite {
                time: measurement.time,
            })
    }

    fn innovation_factor(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Option<Result<InnovationFactor, FilterError>> {
        self.updater
            .innovation_factor(predicted, measurement)
            .map(|r| {
                r.map_err(|_| FilterError::InnovationNotPositiveDefinite {
                    time: measurement.time,
                })
            })
    }

    fn update(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<GaussianState, FilterError> {
        self.updater.update(predicted, measurement).map_err(|_| {
            FilterError::InnovationNotPositiveDefinite {
                time: measurement.time,
            }
        })
    }

    fn gaussian(&self, state: &GaussianState) -> GaussianState {
        *state
    }

    fn initiate(&self, start: &GaussianState) -> GaussianState {
        *start
    }

    fn mixture(&self, components: &[(GaussianState, f64)]) -> GaussianState {
        moment_match_6(components)
    }
}

/// Any [`TransitionModel<N>`] run by any [`GaussianFilter<N>`] (`N ≥ 6`, layout
/// `[x, y, z, vx, vy, vz, …]` as in [`crate::models`]): constant acceleration or Singer (N = 9),
/// coordinated turn (N = 7), with the EKF or the UKF.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelFilter<const N: usize, T, F> {
    /// The motion model.
    pub model: T,
    /// The filter.
    pub filter: F,
    /// Prior standard deviation of the components beyond the sixth at initiation (m/s² for
    /// acceleration, rad/s for a turn rate); their mean starts at zero.
    pub init_extra_sigma: f64,
}

impl<const N: usize, T, F> ModelFilter<N, T, F> {
    /// The estimator; `N` must be at least 6 (checked at compile time).
    pub const fn new(model: T, filter: F, init_extra_sigma: f64) -> Self {
        const { assert!(N >= 6, "the state must start with [x, y, z, vx, vy, vz]") };
        ModelFilter {
            model,
            filter,
            init_extra_sigma,
        }
    }
}

impl<const N: usize, T: TransitionModel<N>, F: GaussianFilter<N>> Estimator
    for ModelFilter<N, T, F>
{
    type State = GaussianStateN<N>;

    fn predict(
        &self,
        state: &GaussianStateN<N>,
        time: SimTime,
    ) -> Result<GaussianStateN<N>, FilterError> {
        self.filter.predict(&self.model, state, time)
    }

    fn innovation(
        &self,
        predicted: &GaussianStateN<N>,
        measurement: &Measurement,
    ) -> Result<Innovation, FilterError> {
        let (model, z) = PlotModel::of(measurement);
        self.filter
            .innovation(&model, predicted, &z)
            .map(Innovation::from)
    }

    fn update(
        &self,
        predicted: &GaussianStateN<N>,
        measurement: &Measurement,
    ) -> Result<GaussianStateN<N>, FilterError> {
        let (model, z) = PlotModel::of(measurement);
        self.filter.update(&model, predicted, &z).map(|p| p.state)
    }

    fn gaussian(&self, state: &GaussianStateN<N>) -> GaussianState {
        project(state)
    }

    fn initiate(&self, start: &GaussianState) -> GaussianStateN<N> {
        embed(start, self.init_extra_sigma)
    }

    fn mixture(&self, components: &[(GaussianStateN<N>, f64)]) -> GaussianStateN<N> {
        moment_match(components)
    }
}

/// An [`Imm`] as a tracker estimator: every new track starts each mode from the embedded 6-D
/// start with mode probabilities `initial_probabilities`.
///
/// The IMM's transition matrix applies **per prediction**, that is per scan of any sensor
/// (see [`crate::filter::imm`]). Gating uses [`Imm::innovation`] (the combined prediction).
#[derive(Debug, Clone, PartialEq)]
pub struct ImmEstimator<const N: usize, const R: usize, T, F> {
    /// The IMM.
    pub imm: Imm<N, R, T, F>,
    /// Mode probabilities of a new track (≥ 0, summing to 1).
    pub initial_probabilities: SVector<f64, R>,
    /// Prior standard deviation of the components beyond the sixth at initiation (the turn
    /// rate, rad/s, for the 7-D turn state); their mean starts at zero.
    pub init_extra_sigma: f64,
}

impl<const N: usize, const R: usize, T, F> ImmEstimator<N, R, T, F> {
    /// The estimator; `initial_probabilities` must be a distribution and `N ≥ 6` (checked at
    /// compile time).
    pub fn new(
        imm: Imm<N, R, T, F>,
        initial_probabilities: SVector<f64, R>,
        init_extra_sigma: f64,
    ) -> Result<Self, FilterError> {
        const { assert!(N >= 6, "the state must start with [x, y, z, vx, vy, vz]") };
        // ImmState::new checks the distribution.
        let probe = GaussianStateN::<N> {
            time: SimTime::ZERO,
            x: SVector::zeros(),
            p: SMatrix::identity(),
        };
        ImmState::new(probe, initial_probabilities)?;
        Ok(ImmEstimator {
            imm,
            initial_probabilities,
            init_extra_sigma,
        })
    }
}

impl<const N: usize, const R: usize, T, F> Estimator for ImmEstimator<N, R, T, F>
where
    T: TransitionModel<N>,
    F: GaussianFilter<N>,
{
    type State = ImmState<N, R>;

    fn predict(
        &self,
        state: &ImmState<N, R>,
        time: SimTime,
    ) -> Result<ImmState<N, R>, FilterError> {
        self.imm.predict(state, time)
    }

    fn innovation(
        &self,
        predicted: &ImmState<N, R>,
        measurement: &Measurement,
    ) -> Result<Innovation, FilterError> {
        let (model, z) = PlotModel::of(measurement);
        self.imm
            .innovation(&model, predicted, &z)
            .map(Innovation::from)
    }

    fn update(
        &self,
        predicted: &ImmState<N, R>,
        measurement: &Measurement,
    ) -> Result<ImmState<N, R>, FilterError> {
        let (model, z) = PlotModel::of(measurement);
        self.imm.update(&model, predicted, &z).map(|u| u.state)
    }

    fn gaussian(&self, state: &ImmState<N, R>) -> GaussianState {
        project(&state.combined())
    }

    fn initiate(&self, start: &GaussianState) -> ImmState<N, R> {
        ImmState {
            time: start.time,
            modes: [embed(start, self.init_extra_sigma); R],
            probabilities: self.initial_probabilities,
        }
    }

    fn mixture(&self, components: &[(ImmState<N, R>, f64)]) -> ImmState<N, R> {
        let total: f64 = components.iter().map(|c| c.1).sum();
        let mut probabilities = SVector::<f64, R>::zeros();
        for (s, w) in components {
            probabilities += s.probabilities * (*w / total);
        }
        let modes = std::array::from_fn(|j| {
            let per_mode: Vec<(GaussianStateN<N>, f64)> = components
                .iter()
                .map(|(s, w)| (s.modes[j], *w * s.probabilities[j]))
                .collect();
            if probabilities[j] > 0.0 {
                moment_match(&per_mode)
            } else {
                // A mode with zero probability in every component: keep the first estimate.
                components[0].0.modes[j]
            }
        });
        ImmState {
            time: components[0].0.time,
            modes,
            probabilities: probabilities / probabilities.sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::imm::ImmMode;
    use crate::filter::ExtendedKalman;
    use crate::models::{ConstantVelocity7, CoordinatedTurn, TurnModel};
    use approx::assert_relative_eq;
    use iadsim_core::SensorId;
    use nalgebra::{Matrix2, Matrix3, Vector3, Vector6};

    fn start() -> GaussianState {
        GaussianState {
            time: SimTime::ZERO,
            x: Vector6::new(0.0, 0.0, 1000.0, 200.0, 0.0, 0.0),
            p: SMatrix::<f64, 6, 6>::identity() * 100.0,
        }
    }

    fn plot(t: f64, z: Vector3<f64>) -> Measurement {
        Measurement {
            time: SimTime::from_secs_f64(t),
            sensor: SensorId(0),
            z_m: z,
            r_m2: Matrix3::identity() * 25.0,
            polar: None,
        }
    }

    #[test]
    fn model_filter_with_linear_cv_equals_the_kalman_estimator() {
        let kf = Kalman::<KalmanPredictor<ConstantVelocity>, KalmanUpdater> {
            predictor: KalmanPredictor {
                model: ConstantVelocity { q_m2ps3: 2.0 },
            },
            updater: KalmanUpdater,
        };
        let ekf =
            ModelFilter::<6, _, _>::new(ConstantVelocity { q_m2ps3: 2.0 }, ExtendedKalman, 0.0);
        let m = plot(2.0, Vector3::new(410.0, 5.0, 990.0));
        let a = kf
            .update(&kf.predict(&start(), m.time).unwrap(), &m)
            .unwrap();
        let b = ekf
            .update(&ekf.predict(&ekf.initiate(&start()), m.time).unwrap(), &m)
            .unwrap();
        assert_relative_eq!(a.x, b.x, epsilon = 1e-9);
        assert_relative_eq!(a.p, b.p, epsilon = 1e-9);
    }

    #[test]
    fn imm_mixture_of_one_component_is_the_identity_and_keeps_probabilities_normalised() {
        let mode = |m| ImmMode {
            model: m,
            filter: ExtendedKalman,
        };
        let imm = Imm::new(
            [
                mode(TurnModel::Straight(ConstantVelocity7 {
                    q_m2ps3: 1.0,
                    omega_sigma_radps: 1e-4,
                })),
                mode(TurnModel::Turning(CoordinatedTurn {
                    q_m2ps3: 1.0,
                    q_omega_rad2ps3: 1e-4,
                })),
            ],
            Matrix2::new(0.95, 0.05, 0.05, 0.95),
        )
        .unwrap();
        let est = ImmEstimator::new(imm, SVector::<f64, 2>::new(0.8, 0.2), 0.05).unwrap();
        let s0 = est.initiate(&start());
        let pred = est.predict(&s0, SimTime::from_secs_f64(1.0)).unwrap();
        let post = est
            .update(&pred, &plot(1.0, Vector3::new(205.0, 3.0, 1000.0)))
            .unwrap();
        let same = est.mixture(&[(post, 0.3)]);
        assert_relative_eq!(same.probabilities, post.probabilities, epsilon = 1e-12);
        assert_relative_eq!(same.modes[1].x, post.modes[1].x, epsilon = 1e-9);
        let mixed = est.mixture(&[(pred, 0.4), (post, 0.6)]);
        assert_relative_eq!(mixed.probabilities.sum(), 1.0, epsilon = 1e-12);
        assert!(est.gaussian(&mixed).p.iter().all(|v| v.is_finite()));
    }
}
