//! Every filter of the crate, and the roles they play.
//!
//! | file | what |
//! |------|------|
//! | [`estimator`] | [`Estimator`], the per-track filter role the [`crate::Tracker`] runs, and its implementations: [`Kalman`] (6-D linear), [`ModelFilter`] (any [`TransitionModel`] under a [`GaussianFilter`]), [`ImmEstimator`] |
//! | [`kalman`] | the 6-D Kalman filter for Cartesian positions as a [`Predictor`] and an [`Updater`], with its bit-exact fast paths |
//! | [`ekf`] | [`ExtendedKalman`], a [`GaussianFilter`] of any dimension |
//! | [`ukf`] | [`UnscentedKalman`], a [`GaussianFilter`] of any dimension |
//! | [`imm`] | the interacting multiple model, [`Imm`], over any [`GaussianFilter`] |
//!
//! A [`GaussianFilter`] is an algorithm only: the motion model ([`TransitionModel`]) is given to
//! [`GaussianFilter::predict`] and the measurement model ([`MeasurementModel`]) to
//! [`GaussianFilter::update`], so one filter serves every sensor (a detection brings its own
//! geometry) and every mode of an IMM.
//!
//! State dimension `N` and measurement dimension `M` are const generics: nothing is allocated
//! and the compiler sees every matrix size. [`GaussianStateN<6>`] converts to and from the
//! tracker's [`crate::GaussianState`].
//!
//! Numerical failure is an `Err` ([`FilterError`]), never a panic: a non-positive-definite
//! innovation covariance, a prior covariance whose Cholesky factor (needed for sigma points)
//! does not exist, or non-finite numbers from a model evaluated at a singular point.
pub mod ekf;
pub mod estimator;
pub mod imm;
pub mod kalman;
pub mod ukf;

pub use ekf::ExtendedKalman;
pub use estimator::{Estimator, ImmEstimator, Kalman, ModelFilter};
pub use imm::{Imm, ImmMode, ImmState, ImmUpdate};
pub use kalman::{
    Innovation, InnovationFactor, KalmanPredictor, KalmanUpdater, NotPositiveDefinite, Predictor,
    Updater,
};
pub use ukf::UnscentedKalman;

use crate::measurement::MeasurementModel;
use crate::models::TransitionModel;
use crate::state::{symmetrise, GaussianStateN, MeasurementN};
use iadsim_core::SimTime;
use nalgebra::{Cholesky, Const, SMatrix, SVector};
use thiserror::Error;

/// Why a filter step failed. Each variant carries the time of the step.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum FilterError {
    /// The innovation covariance `S` is not symmetric positive definite (or not finite).
    #[error("innovation covariance is not positive definite at {time}")]
    InnovationNotPositiveDefinite {
        /// Time of the update.
        time: SimTime,
    },
    /// The state covariance has no Cholesky factor, so no sigma points can be drawn.
    #[error("state covariance is not positive definite at {time}")]
    CovarianceNotPositiveDefinite {
        /// Time of the state whose covariance failed.
        time: SimTime,
    },
    /// A model returned non-finite numbers (a singular geometry, an overflow).
    #[error("model evaluation produced non-finite values at {time}")]
    NotFinite {
        /// Time of the step.
        time: SimTime,
    },
    /// The unscented-transform parameters give `n + λ ≤ 0` for this state dimension.
    #[error("unscented parameters give n + lambda = {n_plus_lambda} <= 0")]
    InvalidSigmaPointScaling {
        /// `n + λ = α² (n + κ)`.
        n_plus_lambda: f64,
    },
    /// IMM: a mode transition matrix row is not a probability distribution, or the mode
    /// probabilities are not.
    #[error("IMM mode probabilities are invalid: {reason}")]
    InvalidModeProbabilities {
        /// Which check failed.
        reason: &'static str,
    },
    /// IMM: every mode gave the measurement zero (or non-finite) likelihood.
    #[error("all IMM mode likelihoods vanished at {time}")]
    ModeLikelihoodsVanished {
        /// Time of the update.
        time: SimTime,
    },
}

impl From<FilterError> for NotPositiveDefinite {
    fn from(_: FilterError) -> Self {
        NotPositiveDefinite
    }
}

/// The innovation of one measurement against one predicted state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InnovationN<const M: usize> {
    /// `ν = z ⊖ ẑ` (angles wrapped).
    pub nu: SVector<f64, M>,
    /// Innovation covariance `S`.
    pub s: SMatrix<f64, M, M>,
    /// `νᵀ S⁻¹ ν`.
    pub mahalanobis2: f64,
    /// `ln |S|`.
    pub ln_det_s: f64,
}

impl<const M: usize> InnovationN<M> {
    /// `ln N(ν; 0, S) = −½ (νᵀS⁻¹ν + ln|S| + M ln 2π)`, the measurement log-likelihood.
    pub fn ln_likelihood(&self) -> f64 {
        -0.5 * (self.mahalanobis2 + self.ln_det_s + M as f64 * (2.0 * std::f64::consts::PI).ln())
    }
}

/// The result of an update: posterior and the innovation it used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PosteriorN<const N: usize, const M: usize> {
    /// The posterior estimate.
    pub state: GaussianStateN<N>,
    /// The innovation of the measurement against the prediction.
    pub innovation: InnovationN<M>,
}

/// A Gaussian (Kalman-type) filter: prediction through a [`TransitionModel`], update through a
/// [`MeasurementModel`].
pub trait GaussianFilter<const N: usize> {
    /// The estimate at `time`. Backward prediction uses `f(·, dt)` with `Q(|dt|)`.
    fn predict<T: TransitionModel<N> + ?Sized>(
        &self,
        model: &T,
        prior: &GaussianStateN<N>,
        time: SimTime,
    ) -> Result<GaussianStateN<N>, FilterError>;

    /// The innovation of `measurement` against `predicted` (for gating and likelihoods).
    fn innovation<H: MeasurementModel<N, M> + ?Sized, const M: usize>(
        &self,
        model: &H,
        predicted: &GaussianStateN<N>,
        measurement: &MeasurementN<M>,
    ) -> Result<InnovationN<M>, FilterError>;

    /// The posterior after `measurement`, with its innovation.
    fn update<H: MeasurementModel<N, M> + ?Sized, const M: usize>(
        &self,
        model: &H,
        predicted: &GaussianStateN<N>,
        measurement: &MeasurementN<M>,
    ) -> Result<PosteriorN<N, M>, FilterError>;
}

fn all_finite<const R: usize, const C: usize>(m: &SMatrix<f64, R, C>) -> bool {
    m.iter().all(|v| v.is_finite())
}

/// `(S, chol S, ν, innovation)` from a symmetric `S` candidate and `ν`.
fn finish_innovation<const M: usize>(
    s: SMatrix<f64, M, M>,
    nu: SVector<f64, M>,
    time: SimTime,
) -> Result<(Cholesky<f64, Const<M>>, InnovationN<M>), FilterError> {
    let s = symmetrise(&s);
    let err = FilterError::InnovationNotPositiveDefinite { time };
    if !all_finite(&s) || !all_finite(&nu) {
        return Err(err);
    }
    let chol = Cholesky::new(s).ok_or(err)?;
    let l = chol.l_dirty();
    let w = l.solve_lower_triangular(&nu).ok_or(err)?;
    let ln_det_s = 2.0 * l.diagonal().iter().map(|d| d.ln()).sum::<f64>();
    let innovation = InnovationN {
        nu,
        s,
        mahalanobis2: w.norm_squared(),
        ln_det_s,
    };
    Ok((chol, innovation))
}

/// A filter chosen at run time (from a scenario's configuration, say) that still dispatches
/// statically inside each step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Filter {
    /// [`ExtendedKalman`].
    Extended(ExtendedKalman),
    /// [`UnscentedKalman`].
    Unscented(UnscentedKalman),
}

impl<const N: usize> GaussianFilter<N> for Filter {
    fn predict<T: TransitionModel<N> + ?Sized>(
        &self,
        model: &T,
        prior: &GaussianStateN<N>,
        time: SimTime,
    ) -> Result<GaussianStateN<N>, FilterError> {
        match self {
            Filter::Extended(f) => f.predict(model, prior, time),
            Filter::Unscented(f) => f.predict(model, prior, time),
        }
    }

    fn innovation<H: MeasurementModel<N, M> + ?Sized, const M: usize>(
        &self,
        model: &H,
        predicted: &GaussianStateN<N>,
        measurement: &MeasurementN<M>,
    ) -> Result<InnovationN<M>, FilterError> {
        match self {
            Filter::Extended(f) => f.innovation(model, predicted, measurement),
            Filter::Unscented(f) => f.innovation(model, predicted, measurement),
        }
    }

    fn update<H: MeasurementModel<N, M> + ?Sized, const M: usize>(
        &self,
        model: &H,
        predicted: &GaussianStateN<N>,
        measurement: &MeasurementN<M>,
    ) -> Result<PosteriorN<N, M>, FilterError> {
        match self {
            Filter::Extended(f) => f.update(model, predicted, measurement),
            Filter::Unscented(f) => f.update(model, predicted, measurement),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measurement::{RangeAzimuthElevation, SensorFrame};
    use iadsim_core::SensorId;
    use nalgebra::{Matrix3, Vector3};

    fn radar_measurement() -> MeasurementN<3> {
        MeasurementN {
            time: SimTime::ZERO,
            sensor: SensorId(0),
            z: SVector::<f64, 3>::new(1000.0, 0.1, 0.05),
            r: -Matrix3::identity(),
        }
    }

    #[test]
    fn non_positive_definite_innovation_is_an_error_not_a_panic() {
        let h = RangeAzimuthElevation {
            frame: SensorFrame::aligned(Vector3::zeros()),
        };
        let prior = GaussianStateN::<6> {
            time: SimTime::ZERO,
            x: SVector::<f64, 6>::from([100.0, 900.0, 50.0, 0.0, 0.0, 0.0]),
            p: SMatrix::<f64, 6, 6>::zeros(),
        };
        let m = radar_measurement();
        let want = Err(FilterError::InnovationNotPositiveDefinite {
            time: SimTime::ZERO,
        });
        assert_eq!(ExtendedKalman.update(&h, &prior, &m).map(|_| ()), want);
        let ukf = UnscentedKalman {
            alpha: 1.0,
            beta: 2.0,
            kappa: 0.0,
        };
        // Zero prior covariance: no Cholesky factor for the sigma points.
        assert!(matches!(
            ukf.update(&h, &prior, &m),
            Err(FilterError::CovarianceNotPositiveDefinite { .. })
        ));
        let prior = GaussianStateN {
            p: SMatrix::<f64, 6, 6>::identity(),
            ..prior
        };
        assert_eq!(ukf.update(&h, &prior, &m).map(|_| ()), want);
    }

    #[test]
    fn target_over_the_sensor_is_an_error() {
        let h = RangeAzimuthElevation {
            frame: SensorFrame::aligned(Vector3::zeros()),
        };
        let prior = GaussianStateN::<6> {
            time: SimTime::ZERO,
            x: SVector::<f64, 6>::from([0.0, 0.0, 5000.0, 0.0, 0.0, 0.0]),
            p: SMatrix::<f64, 6, 6>::identity(),
        };
        let m = MeasurementN {
            r: Matrix3::identity(),
            ..radar_measurement()
        };
        assert_eq!(
            ExtendedKalman.update(&h, &prior, &m).map(|_| ()),
            Err(FilterError::NotFinite {
                time: SimTime::ZERO
            })
        );
    }
}
