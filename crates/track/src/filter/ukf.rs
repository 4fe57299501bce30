//! The unscented Kalman filter ([`UnscentedKalman`]): scaled sigma points through the models,
//! no derivatives.
use super::{all_finite, finish_innovation, FilterError, GaussianFilter, InnovationN, PosteriorN};
use crate::measurement::{wrap_pi, MeasurementModel};
use crate::models::TransitionModel;
use crate::state::{symmetrise, GaussianStateN, MeasurementN};
use iadsim_core::SimTime;
use nalgebra::{Cholesky, SMatrix, SVector};

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
