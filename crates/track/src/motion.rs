//! Motion models: how a state and its uncertainty evolve between two instants.
use crate::state::StateCovariance;

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
    /// Every entry is written directly, with the values the block form (`F₁₂ = dt I₃`,
    /// `Q₁₁ = q dt³/3 I₃`, …) gives, zeros included: `0 · v` off the blocks' diagonals, as the
    /// scaled identity has them.
    fn transition(&self, dt_s: f64) -> (StateCovariance, StateCovariance) {
        let q = self.q_m2ps3;
        let (dt2, dt3) = (dt_s * dt_s, dt_s * dt_s * dt_s);
        // Per-axis [[pp, pv], [vp, vv]] blocks, each a multiple of I₃.
        let (pp, pv, vv) = (q * dt3 / 3.0, q * dt2 / 2.0, q * dt_s);
        // Column-major: (i, j) at 6 j + i; block (r, c) of 3 × 3 starts at (3 r, 3 c).
        let mut f = [0.0; 36];
        let mut big_q = [0.0; 36];
        for j in 0..6 {
            for i in 0..6 {
                let on_diagonal = i % 3 == j % 3;
                let scaled = |v: f64| if on_diagonal { 1.0 * v } else { 0.0 * v };
                f[6 * j + i] = match (i < 3, j < 3) {
                    (true, false) => scaled(dt_s),
                    _ if i == j => 1.0,
                    _ => 0.0,
                };
                big_q[6 * j + i] = match (i < 3, j < 3) {
                    (true, true) => scaled(pp),
                    (false, false) => scaled(vv),
                    _ => scaled(pv),
                };
            }
        }
        (
            StateCovariance::from_column_slice(&f),
            StateCovariance::from_column_slice(&big_q),
        )
    }
}

impl ConstantVelocity {
    /// [`MotionModel::transition`] as first written, with nalgebra blocks; kept to check the
    /// direct form against.
    #[cfg(test)]
    fn transition_by_blocks(&self, dt_s: f64) -> (StateCovariance, StateCovariance) {
        use nalgebra::Matrix3;
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
    fn direct_transition_is_bit_identical_to_the_block_form() {
        let m = ConstantVelocity { q_m2ps3: 2.5 };
        let bits = |a: &StateCovariance| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        for dt in [0.0, -0.0, 1.0, 0.1, 3.7, -2.0, 1e-9, 86_400.0] {
            let (f, q) = m.transition(dt);
            let (f0, q0) = m.transition_by_blocks(dt);
            assert_eq!((bits(&f), bits(&q)), (bits(&f0), bits(&q0)), "dt = {dt}");
        }
    }

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
