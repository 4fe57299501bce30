//! Motion models: how a state and its uncertainty evolve between two instants.
use crate::state::StateCovariance;
use nalgebra::Matrix3;

/// A linear(ised) motion model: the transition matrix `F` and process-noise covariance `Q` over a
/// time step. A later IMM holds several of these.
pub trait MotionModel {
    /// `(F, Q)` for a step of `dt_s` seconds (`dt_s ≥ 0`).
    fn transition(&self, dt_s: f64) -> (StateCovariance, StateCovariance);
}

/// Constant velocity driven by continuous white-noise acceleration (CWNA), the same model on each
/// axis.
///
/// Source: Bar-Shalom, Li & Kirubarajan, *Estimation with Applications to Tracking and
/// Navigation*, Wiley 2001, §6.2.2 ("continuous white noise acceleration model"): per axis, for
/// the state `[p, v]`,
///
/// ```text
/// F = | 1  dt |      Q = q | dt³/3  dt²/2 |
///     | 0   1 |            | dt²/2  dt    |
/// ```
///
/// where `q` (m²/s³) is the power spectral density of the acceleration noise. The book suggests
/// choosing `q` so that `sqrt(q·dt)` is of the order of the velocity change over a step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstantVelocity {
    /// Acceleration noise power spectral density `q`, m²/s³, per axis.
    pub q_m2ps3: f64,
}

impl MotionModel for ConstantVelocity {
    fn transition(&self, dt_s: f64) -> (StateCovariance, StateCovariance) {
        let i3 = Matrix3::<f64>::identity();
        let mut f = StateCovariance::identity();
        f.fixed_view_mut::<3, 3>(0, 3).copy_from(&(i3 * dt_s));

        let q = self.q_m2ps3;
        let mut big_q = StateCovariance::zeros();
        let (dt2, dt3) = (dt_s * dt_s, dt_s * dt_s * dt_s);
        big_q
            .fixed_view_mut::<3, 3>(0, 0)
            .copy_from(&(i3 * (q * dt3 / 3.0)));
        big_q
            .fixed_view_mut::<3, 3>(0, 3)
            .copy_from(&(i3 * (q * dt2 / 2.0)));
        big_q
            .fixed_view_mut::<3, 3>(3, 0)
            .copy_from(&(i3 * (q * dt2 / 2.0)));
        big_q
            .fixed_view_mut::<3, 3>(3, 3)
            .copy_from(&(i3 * (q * dt_s)));
        (f, big_q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn two_steps_compose_into_one() {
        // F(a)F(b) = F(a+b) and F(a) Q(b) F(a)ᵀ + Q(a) = Q(a+b): CWNA is exactly Markov, so
        // predicting a track through an intermediate scan changes nothing.
        let m = ConstantVelocity { q_m2ps3: 3.0 };
        let (fa, qa) = m.transition(1.3);
        let (fb, qb) = m.transition(0.7);
        let (fab, qab) = m.transition(2.0);
        assert_relative_eq!(fa * fb, fab, epsilon = 1e-12);
        assert_relative_eq!(fa * qb * fa.transpose() + qa, qab, epsilon = 1e-12);
    }
}
