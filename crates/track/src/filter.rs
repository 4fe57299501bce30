//! Single-target filtering roles: [`Predictor`] (time update) and [`Updater`] (measurement
//! update), with their Kalman implementations for a linear position measurement.
//!
//! The split follows Stone Soup (`stonesoup/predictor/base.py`, `stonesoup/updater/base.py`): a
//! predictor owns a motion model, an updater owns a measurement model, and the hypothesiser asks
//! the updater for the predicted measurement so that gating uses exactly the numbers the update
//! will use.
use crate::motion::MotionModel;
use crate::state::{symmetrise, GaussianState, Measurement, StateCovariance};
use iadsim_core::SimTime;
use nalgebra::{Cholesky, Matrix3, SMatrix, Vector3};
use thiserror::Error;

/// A matrix that should be symmetric positive definite is not (its Cholesky factorisation failed).
/// The tracker turns this into [`crate::TrackError::InnovationNotPositiveDefinite`] with the track
/// and time attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("matrix is not positive definite")]
pub struct NotPositiveDefinite;

/// Time update: carry a state estimate forward (or, approximately, backward) in time.
pub trait Predictor {
    /// The estimate at `time`.
    fn predict(&self, prior: &GaussianState, time: SimTime) -> GaussianState;
}

/// The innovation of one measurement against one predicted state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Innovation {
    /// `ν = z − H x`, m.
    pub nu: Vector3<f64>,
    /// Innovation covariance `S = H P Hᵀ + R`, m².
    pub s: Matrix3<f64>,
    /// Squared Mahalanobis distance `νᵀ S⁻¹ ν` (dimensionless).
    pub mahalanobis2: f64,
    /// `ln |S|` (natural log of the determinant of S in m⁶).
    pub ln_det_s: f64,
}

/// Measurement update: fold one measurement into a predicted state.
pub trait Updater {
    /// The innovation of `measurement` against `predicted` (both at the same time).
    fn innovation(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<Innovation, NotPositiveDefinite>;

    /// The posterior after `measurement`.
    fn update(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<GaussianState, NotPositiveDefinite>;
}

/// Linear Kalman prediction with a [`MotionModel`]: `x⁻ = F x`, `P⁻ = F P Fᵀ + Q`, symmetrised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KalmanPredictor<M> {
    /// The motion model.
    pub model: M,
}

impl<M: MotionModel> Predictor for KalmanPredictor<M> {
    /// Backward prediction (`time` earlier than the prior) uses `F(dt)` with `Q(|dt|)`: the mean
    /// is exact for constant velocity and the covariance grows, which is conservative but is not
    /// a smoother.
    fn predict(&self, prior: &GaussianState, time: SimTime) -> GaussianState {
        let dt = (time - prior.time).as_secs_f64();
        let (f, _) = self.model.transition(dt);
        let (_, q) = self.model.transition(dt.abs());
        GaussianState {
            time,
            x: f * prior.x,
            p: symmetrise(&(f * prior.p * f.transpose() + q)),
        }
    }
}

/// Kalman update for a Cartesian position measurement, `H = [I₃ 0₃]`, with the covariance in
/// Joseph form.
///
/// Joseph form, `P⁺ = (I − K H) P⁻ (I − K H)ᵀ + K R Kᵀ` (Bar-Shalom, Li & Kirubarajan 2001,
/// §5.2.3), is a sum of two positive semi-definite terms and so stays symmetric positive
/// semi-definite under rounding, where the short form `(I − K H) P⁻` need not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KalmanUpdater;

impl KalmanUpdater {
    #[allow(non_snake_case)]
    fn s_and_chol(
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<(Matrix3<f64>, Cholesky<f64, nalgebra::Const<3>>), NotPositiveDefinite> {
        // H P Hᵀ is the position block of P.
        let HPHt = predicted.p.fixed_view::<3, 3>(0, 0).into_owned();
        let s = symmetrise(&(HPHt + measurement.r_m2));
        if !s.iter().all(|v| v.is_finite()) {
            return Err(NotPositiveDefinite);
        }
        let chol = Cholesky::new(s).ok_or(NotPositiveDefinite)?;
        Ok((s, chol))
    }
}

impl Updater for KalmanUpdater {
    fn innovation(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<Innovation, NotPositiveDefinite> {
        let (s, chol) = Self::s_and_chol(predicted, measurement)?;
        let nu = measurement.z_m - predicted.position();
        // νᵀ S⁻¹ ν = |L⁻¹ ν|² with S = L Lᵀ.
        let w = chol
            .l_dirty()
            .solve_lower_triangular(&nu)
            .ok_or(NotPositiveDefinite)?;
        let ln_det_s = 2.0
            * chol
                .l_dirty()
                .diagonal()
                .iter()
                .map(|d| d.ln())
                .sum::<f64>();
        Ok(Innovation {
            nu,
            s,
            mahalanobis2: w.norm_squared(),
            ln_det_s,
        })
    }

    #[allow(non_snake_case)]
    fn update(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<GaussianState, NotPositiveDefinite> {
        let (_, chol) = Self::s_and_chol(predicted, measurement)?;
        let P = &predicted.p;
        // K = P Hᵀ S⁻¹, computed as Kᵀ = S⁻¹ (H P) since P and S are symmetric.
        let HP: SMatrix<f64, 3, 6> = P.fixed_view::<3, 6>(0, 0).into_owned();
        let K: SMatrix<f64, 6, 3> = chol.solve(&HP).transpose();
        let nu = measurement.z_m - predicted.position();
        let x = predicted.x + K * nu;

        // K H = [K 0] since H = [I 0].
        let mut KH = StateCovariance::zeros();
        KH.fixed_view_mut::<6, 3>(0, 0).copy_from(&K);
        let I_KH = StateCovariance::identity() - KH;
        let p = I_KH * P * I_KH.transpose() + K * measurement.r_m2 * K.transpose();
        Ok(GaussianState {
            time: predicted.time,
            x,
            p: symmetrise(&p),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::motion::ConstantVelocity;
    use approx::assert_relative_eq;
    use iadsim_core::SensorId;
    use nalgebra::Vector6;

    #[test]
    fn joseph_update_equals_the_textbook_gain_form() {
        let mut p = StateCovariance::identity() * 100.0;
        p[(0, 3)] = 20.0;
        p[(3, 0)] = 20.0;
        let prior = GaussianState {
            time: SimTime::ZERO,
            x: Vector6::new(1.0, 2.0, 3.0, 4.0, 5.0, 6.0),
            p,
        };
        let m = Measurement {
            time: SimTime::ZERO,
            sensor: SensorId(0),
            z_m: Vector3::new(11.0, -2.0, 3.5),
            r_m2: Matrix3::identity() * 25.0,
            polar: None,
        };
        let post = KalmanUpdater.update(&prior, &m).unwrap();
        // Short form: P⁺ = P − K S Kᵀ.
        let mut h = SMatrix::<f64, 3, 6>::zeros();
        h.fixed_view_mut::<3, 3>(0, 0).fill_with_identity();
        let s = h * p * h.transpose() + m.r_m2;
        let k = p * h.transpose() * s.try_inverse().unwrap();
        assert_relative_eq!(post.x, prior.x + k * (m.z_m - h * prior.x), epsilon = 1e-9);
        assert_relative_eq!(post.p, p - k * s * k.transpose(), epsilon = 1e-9);
    }

    #[test]
    fn non_positive_definite_innovation_is_an_error() {
        let prior = GaussianState {
            time: SimTime::ZERO,
            x: Vector6::zeros(),
            p: StateCovariance::zeros(),
        };
        let m = Measurement {
            time: SimTime::ZERO,
            sensor: SensorId(0),
            z_m: Vector3::zeros(),
            r_m2: -Matrix3::identity(),
            polar: None,
        };
        assert_eq!(KalmanUpdater.update(&prior, &m), Err(NotPositiveDefinite));
        assert_eq!(
            KalmanUpdater.innovation(&prior, &m),
            Err(NotPositiveDefinite)
        );
    }

    #[test]
    fn prediction_moves_the_mean_at_constant_velocity() {
        let pr = KalmanPredictor {
            model: ConstantVelocity { q_m2ps3: 1.0 },
        };
        let prior = GaussianState {
            time: SimTime::ZERO,
            x: Vector6::new(0.0, 0.0, 0.0, 10.0, -5.0, 1.0),
            p: StateCovariance::identity(),
        };
        let post = pr.predict(&prior, SimTime::from_secs_f64(2.0));
        assert_relative_eq!(
            post.position(),
            Vector3::new(20.0, -10.0, 2.0),
            epsilon = 1e-12
        );
        assert!(post.p[(0, 0)] > prior.p[(0, 0)]);
    }
}
