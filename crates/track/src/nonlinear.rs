//! Gaussian filters for nonlinear models of any state dimension: the extended Kalman filter
//! ([`ExtendedKalman`]) and the unscented Kalman filter ([`UnscentedKalman`]).
//!
//! A filter is an algorithm only: the motion model ([`TransitionModel`]) is given to
//! [`GaussianFilter::predict`] and the measurement model ([`MeasurementModel`]) to
//! [`GaussianFilter::update`], so one filter serves every sensor (a detection brings its own
//! geometry) and every mode of an IMM ([`crate::imm`]).
//!
//! State dimension `N` and measurement dimension `M` are const generics: nothing is allocated
//! and the compiler sees every matrix size. [`GaussianStateN<6>`] converts to and from the
//! tracker's [`GaussianState`].
//!
//! Numerical failure is an `Err` ([`FilterError`]), never a panic: a non-positive-definite
//! innovation covariance, a prior covariance whose Cholesky factor (needed for sigma points)
//! does not exist, or non-finite numbers from a model evaluated at a singular point.
use crate::filter::NotPositiveDefinite;
use crate::models::TransitionModel;
use crate::polar::{wrap_pi, MeasurementModel};
use crate::state::{symmetrise, GaussianState};
use iadsim_core::{SensorId, SimTime};
use nalgebra::{Cholesky, Const, SMatrix, SVector};
use serde::{Deserialize, Serialize};
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

/// A Gaussian estimate of an `N`-dimensional state at one instant. The layout is the motion
/// model's (see the table in [`crate::models`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GaussianStateN<const N: usize> {
    /// Time of validity.
    pub time: SimTime,
    /// Mean.
    pub x: SVector<f64, N>,
    /// Covariance of the mean.
    pub p: SMatrix<f64, N, N>,
}

impl From<GaussianState> for GaussianStateN<6> {
    fn from(s: GaussianState) -> Self {
        GaussianStateN {
            time: s.time,
            x: s.x,
            p: s.p,
        }
    }
}

impl From<GaussianStateN<6>> for GaussianState {
    fn from(s: GaussianStateN<6>) -> Self {
        GaussianState {
            time: s.time,
            x: s.x,
            p: s.p,
        }
    }
}

/// A measurement in a model's own space (`[r, az, el]` for a radar, say) with its noise
/// covariance. The geometry is in the [`MeasurementModel`] it is used with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MeasurementN<const M: usize> {
    /// Time of the measurement.
    pub time: SimTime,
    /// The sensor that produced it.
    pub sensor: SensorId,
    /// Measured value, in the units of the measurement model (m, rad, m/s).
    pub z: SVector<f64, M>,
    /// Noise covariance `R`, symmetric positive definite.
    pub r: SMatrix<f64, M, M>,
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

/// `(H, chol S, innovation)` of a linearised update.
type Linearised<const N: usize, const M: usize> =
    (SMatrix<f64, M, N>, Cholesky<f64, Const<M>>, InnovationN<M>);

/// The extended Kalman filter: models linearised at the current mean.
///
/// Source: Bar-Shalom, Li & Kirubarajan 2001, §10.3 (first-order EKF): `x⁻ = f(x)`,
/// `P⁻ = F P Fᵀ + Q` with `F = ∂f/∂x`; `ν = z ⊖ h(x⁻)`, `S = H P⁻ Hᵀ + R`, `K = P⁻ Hᵀ S⁻¹`,
/// `x⁺ = x⁻ + K ν` and the covariance in Joseph form `P⁺ = (I − K H) P⁻ (I − K H)ᵀ + K R Kᵀ`
/// (§5.2.3), symmetrised. With linear models it is exactly the Kalman filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExtendedKalman;

impl ExtendedKalman {
    #[allow(non_snake_case)]
    fn linearised_innovation<const N: usize, const M: usize, H>(
        model: &H,
        predicted: &GaussianStateN<N>,
        measurement: &MeasurementN<M>,
    ) -> Result<Linearised<N, M>, FilterError>
    where
        H: MeasurementModel<N, M> + ?Sized,
    {
        let H = model.jacobian(&predicted.x);
        let z_hat = model.measure(&predicted.x);
        if !all_finite(&H) || !all_finite(&z_hat) {
            return Err(FilterError::NotFinite {
                time: measurement.time,
            });
        }
        let nu = model.residual(&measurement.z, &z_hat);
        let S = H * predicted.p * H.transpose() + measurement.r;
        let (chol, inn) = finish_innovation(S, nu, measurement.time)?;
        Ok((H, chol, inn))
    }
}

impl<const N: usize> GaussianFilter<N> for ExtendedKalman {
    fn predict<T: TransitionModel<N> + ?Sized>(
        &self,
        model: &T,
        prior: &GaussianStateN<N>,
        time: SimTime,
    ) -> Result<GaussianStateN<N>, FilterError> {
        let dt = (time - prior.time).as_secs_f64();
        let (x, f, q) = model.linearise(&prior.x, dt);
        let p = symmetrise(&(f * prior.p * f.transpose() + q));
        if !all_finite(&x) || !all_finite(&p) {
            return Err(FilterError::NotFinite { time });
        }
        Ok(GaussianStateN { time, x, p })
    }

    fn innovation<H: MeasurementModel<N, M> + ?Sized, const M: usize>(
        &self,
        model: &H,
        predicted: &GaussianStateN<N>,
        measurement: &MeasurementN<M>,
    ) -> Result<InnovationN<M>, FilterError> {
        Self::linearised_innovation(model, predicted, measurement).map(|(_, _, inn)| inn)
    }

    #[allow(non_snake_case)]
    fn update<H: MeasurementModel<N, M> + ?Sized, const M: usize>(
        &self,
        model: &H,
        predicted: &GaussianStateN<N>,
        measurement: &MeasurementN<M>,
    ) -> Result<PosteriorN<N, M>, FilterError> {
        let (H, chol, innovation) = Self::linearised_innovation(model, predicted, measurement)?;
        let P = &predicted.p;
        // K = P Hᵀ S⁻¹, as Kᵀ = S⁻¹ (H P) since P and S are symmetric.
        let K: SMatrix<f64, N, M> = chol.solve(&(H * P)).transpose();
        let x = predicted.x + K * innovation.nu;
        let I_KH = SMatrix::<f64, N, N>::identity() - K * H;
        let p = I_KH * P * I_KH.transpose() + K * measurement.r * K.transpose();
        Ok(PosteriorN {
            state: GaussianStateN {
                time: predicted.time,
                x,
                p: symmetrise(&p),
            },
            innovation,
        })
    }
}

/// The unscented Kalman filter with the scaled sigma points of Wan & van der Merwe, "The
/// unscented Kalman filter for nonlinear estimation", IEEE AS-SPCC 2000, §3 (additive noise).
///
/// With `λ = α²(n + κ) − n`, the `2n + 1` points are `x`, `x ± (√((n + λ)P))ᵢ` (columns of the
/// lower Cholesky factor), with weights `W₀ᵐ = λ/(n + λ)`, `W₀ᶜ = W₀ᵐ + 1 − α² + β`,
/// `Wᵢ = 1/(2(n + λ))` — the convention of filterpy's `MerweScaledSigmaPoints`, against which
/// this is validated.
///
/// * **Predict:** points of the prior through `f`, `x⁻ = Σ Wᵐ yᵢ`,
///   `P⁻ = Σ Wᶜ (yᵢ − x⁻)(yᵢ − x⁻)ᵀ + Q`.
/// * **Update:** points redrawn from `(x⁻, P⁻)` (the filter is stateless, so the predicted
///   points are not kept; redrawing also lets them see `Q`), `zᵢ = h(χᵢ)`,
///   `ẑ = z₀ ⊕ Σ Wᵐ (zᵢ ⊖ z₀)` (angle-aware: residuals about the central point, then wrapped),
///   `S = Σ Wᶜ (zᵢ ⊖ ẑ)(zᵢ ⊖ ẑ)ᵀ + R`, `P_xz = Σ Wᶜ (χᵢ − x⁻)(zᵢ ⊖ ẑ)ᵀ`, `K = P_xz S⁻¹`,
///   `x⁺ = x⁻ + K (z ⊖ ẑ)`, `P⁺ = P⁻ − K S Kᵀ`, symmetrised.
///
/// Common choices: `α = 1e-3, β = 2, κ = 0` (Wan & van der Merwe) — with tiny `α` the central
/// weight is `≈ −1/α²` and the sums cancel; `α` of 0.3–1 is better conditioned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnscentedKalman {
    /// Spread of the points, `0 < α ≤ 1`.
    pub alpha: f64,
    /// Prior knowledge of the distribution, 2 for a Gaussian.
    pub beta: f64,
    /// Secondary scaling, often `0` or `3 − n`.
    pub kappa: f64,
}

/// Sigma points `x`, `x + cᵢ`, `x − cᵢ` (no heap: the `2n + 1` points as a centre and two
/// arrays) and their weights.
struct SigmaPoints<const N: usize> {
    centre: SVector<f64, N>,
    plus: [SVector<f64, N>; N],
    minus: [SVector<f64, N>; N],
    wm0: f64,
    wc0: f64,
    wi: f64,
}

impl<const N: usize> SigmaPoints<N> {
    fn each(&self) -> impl Iterator<Item = &SVector<f64, N>> {
        std::iter::once(&self.centre)
            .chain(self.plus.iter())
            .chain(self.minus.iter())
    }
}

impl UnscentedKalman {
    fn sigma_points<const N: usize>(
        &self,
        state: &GaussianStateN<N>,
    ) -> Result<SigmaPoints<N>, FilterError> {
        let n = N as f64;
        let n_plus_lambda = self.alpha * self.alpha * (n + self.kappa);
        if n_plus_lambda.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            return Err(FilterError::InvalidSigmaPointScaling { n_plus_lambda });
        }
        let lambda = n_plus_lambda - n;
        let err = FilterError::CovarianceNotPositiveDefinite { time: state.time };
        if !all_finite(&state.p) || !all_finite(&state.x) {
            return Err(err);
        }
        let chol = Cholesky::new(state.p * n_plus_lambda).ok_or(err)?;
        let l = chol.l();
        let x = state.x;
        Ok(SigmaPoints {
            centre: x,
            plus: std::array::from_fn(|k| x + l.column(k)),
            minus: std::array::from_fn(|k| x - l.column(k)),
            wm0: lambda / n_plus_lambda,
            wc0: lambda / n_plus_lambda + (1.0 - self.alpha * self.alpha + self.beta),
            wi: 0.5 / n_plus_lambda,
        })
    }

    fn weights<const N: usize>(sp: &SigmaPoints<N>) -> impl Iterator<Item = (f64, f64)> + '_ {
        std::iter::once((sp.wm0, sp.wc0)).chain(std::iter::repeat_n((sp.wi, sp.wi), 2 * N))
    }

    /// Sigma points of `predicted`, their images, `ẑ`, `S` (without `R`) and `P_xz`.
    #[allow(clippy::type_complexity)]
    fn transform_measurement<const N: usize, const M: usize, H>(
        &self,
        model: &H,
        predicted: &GaussianStateN<N>,
        measurement: &MeasurementN<M>,
    ) -> Result<(SVector<f64, M>, SMatrix<f64, M, M>, SMatrix<f64, N, M>), FilterError>
    where
        H: MeasurementModel<N, M> + ?Sized,
    {
        let sp = self.sigma_points(predicted)?;
        let z0 = model.measure(&sp.centre);
        let zs: [SVector<f64, M>; N] = std::array::from_fn(|k| model.measure(&sp.plus[k]));
        let zm: [SVector<f64, M>; N] = std::array::from_fn(|k| model.measure(&sp.minus[k]));
        let images = || std::iter::once(&z0).chain(zs.iter()).chain(zm.iter());
        if !images().all(all_finite) {
            return Err(FilterError::NotFinite {
                time: measurement.time,
            });
        }
        // Angle-aware mean: weighted residuals about the central image, then wrapped.
        // The central term is zero, so the large negative central weight of a small α does not
        // cancel here.
        let mut delta = SVector::<f64, M>::zeros();
        for ((wm, _), z) in Self::weights(&sp).zip(images()) {
            delta += model.residual(z, &z0) * wm;
        }
        let mut z_hat = z0 + delta;
        for &i in model.angular_components() {
            z_hat[i] = wrap_pi(z_hat[i]);
        }
        let mut s = SMatrix::<f64, M, M>::zeros();
        let mut pxz = SMatrix::<f64, N, M>::zeros();
        for (((_, wc), z), chi) in Self::weights(&sp).zip(images()).zip(sp.each()) {
            let dz = model.residual(z, &z_hat);
            s += dz * dz.transpose() * wc;
            pxz += (chi - predicted.x) * dz.transpose() * wc;
        }
        Ok((z_hat, s, pxz))
    }
}

impl<const N: usize> GaussianFilter<N> for UnscentedKalman {
    fn predict<T: TransitionModel<N> + ?Sized>(
        &self,
        model: &T,
        prior: &GaussianStateN<N>,
        time: SimTime,
    ) -> Result<GaussianStateN<N>, FilterError> {
        let dt = (time - prior.time).as_secs_f64();
        let sp = self.sigma_points(prior)?;
        let y0 = model.propagate(&sp.centre, dt);
        let yp: [SVector<f64, N>; N] = std::array::from_fn(|k| model.propagate(&sp.plus[k], dt));
        let ym: [SVector<f64, N>; N] = std::array::from_fn(|k| model.propagate(&sp.minus[k], dt));
        let images = || std::iter::once(&y0).chain(yp.iter()).chain(ym.iter());
        let mut x = SVector::<f64, N>::zeros();
        for ((wm, _), y) in Self::weights(&sp).zip(images()) {
            x += y * wm;
        }
        let mut p = model.process_noise(&prior.x, dt.abs());
        for ((_, wc), y) in Self::weights(&sp).zip(images()) {
            let d = y - x;
            p += d * d.transpose() * wc;
        }
        let p = symmetrise(&p);
        if !all_finite(&x) || !all_finite(&p) {
            return Err(FilterError::NotFinite { time });
        }
        Ok(GaussianStateN { time, x, p })
    }

    fn innovation<H: MeasurementModel<N, M> + ?Sized, const M: usize>(
        &self,
        model: &H,
        predicted: &GaussianStateN<N>,
        measurement: &MeasurementN<M>,
    ) -> Result<InnovationN<M>, FilterError> {
        let (z_hat, s, _) = self.transform_measurement(model, predicted, measurement)?;
        let nu = model.residual(&measurement.z, &z_hat);
        finish_innovation(s + measurement.r, nu, measurement.time).map(|(_, inn)| inn)
    }

    #[allow(non_snake_case)]
    fn update<H: MeasurementModel<N, M> + ?Sized, const M: usize>(
        &self,
        model: &H,
        predicted: &GaussianStateN<N>,
        measurement: &MeasurementN<M>,
    ) -> Result<PosteriorN<N, M>, FilterError> {
        let (z_hat, s, pxz) = self.transform_measurement(model, predicted, measurement)?;
        let nu = model.residual(&measurement.z, &z_hat);
        let (chol, innovation) = finish_innovation(s + measurement.r, nu, measurement.time)?;
        // K = P_xz S⁻¹, as Kᵀ = S⁻¹ P_xzᵀ.
        let K: SMatrix<f64, N, M> = chol.solve(&pxz.transpose()).transpose();
        let x = predicted.x + K * innovation.nu;
        let p = predicted.p - K * innovation.s * K.transpose();
        Ok(PosteriorN {
            state: GaussianStateN {
                time: predicted.time,
                x,
                p: symmetrise(&p),
            },
            innovation,
        })
    }
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
    use crate::polar::{RangeAzimuthElevation, SensorFrame};
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
