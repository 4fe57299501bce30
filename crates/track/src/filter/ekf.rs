//! The extended Kalman filter ([`ExtendedKalman`]): motion and measurement models linearised at
//! the current mean.
use super::{all_finite, finish_innovation, FilterError, GaussianFilter, InnovationN, PosteriorN};
use crate::measurement::MeasurementModel;
use crate::models::TransitionModel;
use crate::state::{symmetrise, GaussianStateN, MeasurementN};
use iadsim_core::SimTime;
use nalgebra::{Cholesky, Const, SMatrix};

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
        let p = model.propagate_covariance(&f, &prior.p, &q);
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
