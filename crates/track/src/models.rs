//! Motion (transition) models of any state dimension, linear and nonlinear, behind one trait,
//! [`TransitionModel`]: constant velocity, constant acceleration, Singer, coordinated turn
//! (known and estimated turn rate), and constant velocity embedded in the coordinated-turn state
//! for an IMM.
//!
//! ## State spaces
//! The tracker's own state is 6-D ([`crate::StateVector`]); models that need more carry it in a
//! [`nalgebra::SVector`] of their own dimension `N` (const generic), and the filters of
//! [`crate::filter`] work on [`crate::GaussianStateN<N>`]. Every layout starts
//! with position then velocity, so measurement models written for `[x, y, z, vx, vy, vz, …]`
//! serve all of them:
//!
//! | model                         | N | layout                                              |
//! |-------------------------------|---|-----------------------------------------------------|
//! | [`ConstantVelocity`]          | 6 | `[x, y, z, vx, vy, vz]`, m, m/s                     |
//! | [`KnownTurnRate`]             | 6 | `[x, y, z, vx, vy, vz]`, m, m/s                     |
//! | [`CoordinatedTurn`]           | 7 | `[x, y, z, vx, vy, vz, ω]`, m, m/s, rad/s           |
//! | [`ConstantVelocity7`]         | 7 | `[x, y, z, vx, vy, vz, ω]`, ω held at 0             |
//! | [`ConstantAcceleration`]      | 9 | `[x, y, z, vx, vy, vz, ax, ay, az]`, m, m/s, m/s²   |
//! | [`Singer`]                    | 9 | `[x, y, z, vx, vy, vz, ax, ay, az]`, m, m/s, m/s²   |
//!
//! The turn is in the x–y plane, ω > 0 turning from +x towards +y (anticlockwise seen from +z;
//! in a local ENU frame, a left turn).
use crate::state::{symmetrise, StateCovariance};
use nalgebra::{Matrix3, SMatrix, SVector};

/// A (possibly nonlinear) Markov motion model `x(t+dt) = f(x(t), dt) + w`, `w ~ N(0, Q)`.
///
/// The extended Kalman filter uses [`TransitionModel::jacobian`]; the unscented filter only
/// [`TransitionModel::propagate`]. For a linear model `propagate(x) = F x` and `jacobian = F`.
pub trait TransitionModel<const N: usize> {
    /// `f(x, dt)`: the state propagated by `dt_s` seconds without noise.
    fn propagate(&self, x: &SVector<f64, N>, dt_s: f64) -> SVector<f64, N>;
    /// `∂f/∂x` at `x`.
    fn jacobian(&self, x: &SVector<f64, N>, dt_s: f64) -> SMatrix<f64, N, N>;
    /// Process-noise covariance `Q` over a step of `dt_s ≥ 0` seconds, linearised at `x`.
    fn process_noise(&self, x: &SVector<f64, N>, dt_s: f64) -> SMatrix<f64, N, N>;
    /// `(f(x), ∂f/∂x, Q)` in one call; linear models override it to build `F` once.
    fn linearise(
        &self,
        x: &SVector<f64, N>,
        dt_s: f64,
    ) -> (SVector<f64, N>, SMatrix<f64, N, N>, SMatrix<f64, N, N>) {
        (
            self.propagate(x, dt_s),
            self.jacobian(x, dt_s),
            self.process_noise(x, dt_s.abs()),
        )
    }
    /// `F P Fᵀ + Q`, symmetrised: the covariance a linearised prediction carries forward.
    /// A model whose `F` has structure may override it with a cheaper computation that gives
    /// the same bits ([`ConstantVelocity`] does: the fast path of the 6-D Kalman filter).
    fn propagate_covariance(
        &self,
        f: &SMatrix<f64, N, N>,
        p: &SMatrix<f64, N, N>,
        q: &SMatrix<f64, N, N>,
    ) -> SMatrix<f64, N, N> {
        linear_covariance(f, p, q)
    }
}

/// `symmetrise(F P Fᵀ + Q)`, as nalgebra forms the products.
pub(crate) fn linear_covariance<const N: usize>(
    f: &SMatrix<f64, N, N>,
    p: &SMatrix<f64, N, N>,
    q: &SMatrix<f64, N, N>,
) -> SMatrix<f64, N, N> {
    symmetrise(&(f * p * f.transpose() + q))
}

impl<const N: usize, T: TransitionModel<N> + ?Sized> TransitionModel<N> for Box<T> {
    fn propagate(&self, x: &SVector<f64, N>, dt_s: f64) -> SVector<f64, N> {
        (**self).propagate(x, dt_s)
    }
    fn jacobian(&self, x: &SVector<f64, N>, dt_s: f64) -> SMatrix<f64, N, N> {
        (**self).jacobian(x, dt_s)
    }
    fn propagate_covariance(
        &self,
        f: &SMatrix<f64, N, N>,
        p: &SMatrix<f64, N, N>,
        q: &SMatrix<f64, N, N>,
    ) -> SMatrix<f64, N, N> {
        (**self).propagate_covariance(f, p, q)
    }
    fn process_noise(&self, x: &SVector<f64, N>, dt_s: f64) -> SMatrix<f64, N, N> {
        (**self).process_noise(x, dt_s)
    }
    fn linearise(
        &self,
        x: &SVector<f64, N>,
        dt_s: f64,
    ) -> (SVector<f64, N>, SMatrix<f64, N, N>, SMatrix<f64, N, N>) {
        (**self).linearise(x, dt_s)
    }
}

/// Implements [`TransitionModel`] for a linear model with a `fn transition(&self, dt_s) -> (F, Q)`;
/// items in braces are added to the impl (overrides).
macro_rules! linear_transition {
    ($ty:ty, $n:literal $({ $($extra:item)* })?) => {
        impl TransitionModel<$n> for $ty {
            fn propagate(&self, x: &SVector<f64, $n>, dt_s: f64) -> SVector<f64, $n> {
                self.transition(dt_s).0 * x
            }
            fn jacobian(&self, _x: &SVector<f64, $n>, dt_s: f64) -> SMatrix<f64, $n, $n> {
                self.transition(dt_s).0
            }
            fn process_noise(&self, _x: &SVector<f64, $n>, dt_s: f64) -> SMatrix<f64, $n, $n> {
                self.transition(dt_s).1
            }
            /// `F(dt)` with `Q(|dt|)`: backward prediction is exact in the mean for a linear
            /// model and grows the covariance, which is conservative but is not a smoother.
            fn linearise(
                &self,
                x: &SVector<f64, $n>,
                dt_s: f64,
            ) -> (SVector<f64, $n>, SMatrix<f64, $n, $n>, SMatrix<f64, $n, $n>) {
                let (f, q) = if dt_s.is_sign_positive() {
                    self.transition(dt_s)
                } else {
                    (self.transition(dt_s).0, self.transition(dt_s.abs()).1)
                };
                (f * x, f, q)
            }
            $($($extra)*)?
        }
    };
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

impl ConstantVelocity {
    /// `(F, Q)` for a step of `dt_s` seconds.
    ///
    /// Every entry is written directly, with the values the block form (`F₁₂ = dt I₃`,
    /// `Q₁₁ = q dt³/3 I₃`, …) gives, zeros included: `0 · v` off the blocks' diagonals, as the
    /// scaled identity has them.
    pub fn transition(&self, dt_s: f64) -> (StateCovariance, StateCovariance) {
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
    /// [`ConstantVelocity::transition`] as first written, with nalgebra blocks; kept to check the
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

linear_transition!(ConstantVelocity, 6 {
    /// The covariance by the 6-D Kalman filter's shortcut (`cv_f_p_ft` in `filter/kalman.rs`):
    /// bit for bit the default, in about a tenth of the operations when `F` has the
    /// constant-velocity form.
    fn propagate_covariance(
        &self,
        f: &StateCovariance,
        p: &StateCovariance,
        q: &StateCovariance,
    ) -> StateCovariance {
        crate::filter::kalman::cv_covariance(f, p, q)
    }
});

/// Spreads a per-axis `K×K` block over `3K` components laid out `[p_x, p_y, p_z, v_x, …]`:
/// component `a` of axis `j` sits at index `3a + j`.
fn per_axis<const K: usize, const N: usize>(block: &SMatrix<f64, K, K>) -> SMatrix<f64, N, N> {
    let mut m = SMatrix::<f64, N, N>::zeros();
    for a in 0..K {
        for b in 0..K {
            for j in 0..3 {
                m[(3 * a + j, 3 * b + j)] = block[(a, b)];
            }
        }
    }
    m
}

/// The continuous-white-noise-acceleration blocks `q [dt³/3 dt²/2; dt²/2 dt]` (Bar-Shalom, Li &
/// Kirubarajan 2001, §6.2.2, eq. 6.2.2-12) over `[x, y, z, vx, vy, vz]`, the top-left 6×6 of an
/// `N×N` matrix.
fn cwna_q<const N: usize>(q: f64, dt: f64) -> SMatrix<f64, N, N> {
    let mut m = SMatrix::<f64, N, N>::zeros();
    let (q11, q12, q22) = (q * dt * dt * dt / 3.0, q * dt * dt / 2.0, q * dt);
    for j in 0..3 {
        m[(j, j)] = q11;
        m[(j, j + 3)] = q12;
        m[(j + 3, j)] = q12;
        m[(j + 3, j + 3)] = q22;
    }
    m
}

/// Constant acceleration driven by continuous white-noise jerk (the "continuous Wiener process
/// acceleration" model), 9-D `[x, y, z, vx, vy, vz, ax, ay, az]`, m, m/s, m/s².
///
/// Source: Bar-Shalom, Li & Kirubarajan 2001, §6.2.3, eqs. 6.2.3-3 and 6.2.3-4: per axis, for
/// `[p, v, a]`,
///
/// ```text
/// F = | 1  T  T²/2 |      Q = q | T⁵/20  T⁴/8  T³/6 |
///     | 0  1  T    |            | T⁴/8   T³/3  T²/2 |
///     | 0  0  1    |            | T³/6   T²/2  T    |
/// ```
///
/// with `q` (m²/s⁵) the power spectral density of the jerk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstantAcceleration {
    /// Jerk noise power spectral density `q`, m²/s⁵, per axis.
    pub q_m2ps5: f64,
}

impl ConstantAcceleration {
    /// `(F, Q)` for a step of `t` seconds.
    pub fn transition(&self, t: f64) -> (SMatrix<f64, 9, 9>, SMatrix<f64, 9, 9>) {
        let f = Matrix3::new(1.0, t, t * t / 2.0, 0.0, 1.0, t, 0.0, 0.0, 1.0);
        let (t2, t3) = (t * t, t * t * t);
        let (t4, t5) = (t2 * t2, t2 * t3);
        let q = Matrix3::new(
            t5 / 20.0,
            t4 / 8.0,
            t3 / 6.0,
            t4 / 8.0,
            t3 / 3.0,
            t2 / 2.0,
            t3 / 6.0,
            t2 / 2.0,
            t,
        ) * self.q_m2ps5;
        (per_axis(&f), per_axis(&q))
    }
}
linear_transition!(ConstantAcceleration, 9);

/// Singer's manoeuvre model: acceleration a first-order Gauss–Markov process on each axis,
/// `ȧ = −a/τ + w`, with stationary variance `σ_m²`; 9-D `[x, y, z, vx, vy, vz, ax, ay, az]`.
///
/// Source: R. A. Singer, "Estimating optimal tracking filter performance for manned manoeuvring
/// targets", IEEE Trans. AES-6(4), 1970, eqs. (13)–(14); X. R. Li & V. P. Jilkov, "Survey of
/// maneuvering target tracking. Part I: dynamic models", IEEE Trans. AES-39(4), 2003, §4.2
/// ("Singer acceleration model", exact discretisation). With `α = 1/τ`, per axis:
///
/// ```text
/// F = | 1  T  (αT − 1 + e^{−αT})/α² |
///     | 0  1  (1 − e^{−αT})/α       |
///     | 0  0  e^{−αT}               |
/// Q = 2ασ_m² ∫₀ᵀ φ(s) φ(s)ᵀ ds,  φ(s) = third column of F(s)
/// ```
///
/// whose closed form is Singer's `q₁₁ … q₃₃` (Li & Jilkov Part I, eq. 4.2). The closed form
/// cancels catastrophically when `αT ≪ 1` (q₁₁ is `O((αT)⁵)` built from `O(1)` terms), so
/// for `αT < 1` the same integrals are summed as their power series in `αT` (exact to
/// rounding); the two branches agree to ~1e-14 at `αT = 1` (tested). As `τ → ∞` with
/// `2σ_m²/τ = q` fixed the model tends to [`ConstantAcceleration`] with jerk density `q`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Singer {
    /// Manoeuvre time constant `τ`, s (`> 0`).
    pub tau_s: f64,
    /// Standard deviation of the target acceleration `σ_m`, m/s², per axis.
    pub sigma_mps2: f64,
}

/// `n!` for `n ≤ 40`, as f64 (exact up to 22!, correctly rounded beyond).
fn factorial(n: usize) -> f64 {
    (1..=n).fold(1.0, |acc, k| acc * k as f64)
}

impl Singer {
    /// Number of series terms used for `αT < 1`: the terms fall like `2ⁿ/n!`, below 1e-19
    /// relative by `n = 27`.
    const SERIES_TERMS: usize = 28;

    /// `∫₀ᵀ φ_a φ_b ds / T^{d_a+d_b+1}` as a power series in `u = αT`, with `φ_a(s) =
    /// Σ_k (−α)^k s^{k+d_a}/(k+d_a)!` (`d = 2, 1, 0` for position, velocity, acceleration).
    fn series(da: usize, db: usize, u: f64) -> f64 {
        let d = da + db;
        let mut sum = 0.0;
        // Horner from the highest power.
        for n in (0..Self::SERIES_TERMS).rev() {
            let c: f64 = (0..=n)
                .map(|k| 1.0 / (factorial(k + da) * factorial(n - k + db)))
                .sum();
            let a = if n % 2 == 0 { c } else { -c } / (n + d + 1) as f64;
            sum = sum * u + a;
        }
        sum
    }

    /// Per-axis `(F, Q)` blocks.
    fn axis(&self, t: f64) -> (Matrix3<f64>, Matrix3<f64>) {
        let alpha = 1.0 / self.tau_s;
        let u = alpha * t;
        let e = (-u).exp();
        // (1 − e^{−u})/u and (u − 1 + e^{−u})/u², stable for small u.
        let g1 = if u > 0.0 { -(-u).exp_m1() / u } else { 1.0 };
        let g2 = if u < 1.0 {
            (0..20)
                .rev()
                .fold(0.0, |acc, k| acc * (-u) + 1.0 / factorial(k + 2))
        } else {
            (u - 1.0 + e) / (u * u)
        };
        let f = Matrix3::new(1.0, t, t * t * g2, 0.0, 1.0, t * g1, 0.0, 0.0, e);
        let scale = 2.0 * alpha * self.sigma_mps2 * self.sigma_mps2;
        let d = [2usize, 1, 0];
        let mut q = Matrix3::zeros();
        if u < 1.0 {
            for a in 0..3 {
                for b in a..3 {
                    let v = scale * t.powi((d[a] + d[b] + 1) as i32) * Self::series(d[a], d[b], u);
                    q[(a, b)] = v;
                    q[(b, a)] = v;
                }
            }
        } else {
            // Singer (1970) eq. (14) / Li & Jilkov Part I §4.2.
            let e2 = e * e;
            let (a2, a3) = (alpha * alpha, alpha * alpha * alpha);
            let (a4, a5) = (a2 * a2, a2 * a3);
            let q11 = (1.0 - e2 + 2.0 * u + 2.0 * u * u * u / 3.0 - 2.0 * u * u - 4.0 * u * e)
                / (2.0 * a5);
            let q12 = (e2 + 1.0 - 2.0 * e + 2.0 * u * e - 2.0 * u + u * u) / (2.0 * a4);
            let q13 = (1.0 - e2 - 2.0 * u * e) / (2.0 * a3);
            let q22 = (4.0 * e - 3.0 - e2 + 2.0 * u) / (2.0 * a3);
            let q23 = (e2 + 1.0 - 2.0 * e) / (2.0 * a2);
            let q33 = (1.0 - e2) / (2.0 * alpha);
            q = Matrix3::new(q11, q12, q13, q12, q22, q23, q13, q23, q33) * scale;
        }
        (f, q)
    }

    /// `(F, Q)` for a step of `t` seconds.
    pub fn transition(&self, t: f64) -> (SMatrix<f64, 9, 9>, SMatrix<f64, 9, 9>) {
        let (f, q) = self.axis(t);
        (per_axis(&f), per_axis(&q))
    }
}
linear_transition!(Singer, 9);

/// `sin u / u`, `(1 − cos u)/u`, `(u cos u − sin u)/u²`, `(u sin u − 1 + cos u)/u²`: the
/// turn coefficients of [`CoordinatedTurn`] divided by the powers of `T` they carry. Below
/// `|u| = 0.1` their Taylor series (truncation < 1e-17 relative) replace the closed forms,
/// which cancel.
fn turn_coefficients(u: f64) -> (f64, f64, f64, f64) {
    if u.abs() < 0.1 {
        let u2 = u * u;
        let sinc = 1.0 - u2 / 6.0 * (1.0 - u2 / 20.0 * (1.0 - u2 / 42.0 * (1.0 - u2 / 72.0)));
        let cosc = u / 2.0 * (1.0 - u2 / 12.0 * (1.0 - u2 / 30.0 * (1.0 - u2 / 56.0)));
        let dsinc = -u / 3.0 + u * u2 / 30.0 - u * u2 * u2 / 840.0 + u * u2 * u2 * u2 / 45360.0;
        let dcosc = 0.5 - u2 / 8.0 + u2 * u2 / 144.0 - u2 * u2 * u2 / 5760.0;
        (sinc, cosc, dsinc, dcosc)
    } else {
        let (s, c) = u.sin_cos();
        let u2 = u * u;
        (
            s / u,
            (1.0 - c) / u,
            (u * c - s) / u2,
            (u * s - 1.0 + c) / u2,
        )
    }
}

/// Horizontal coordinated turn with the turn rate estimated, 7-D `[x, y, z, vx, vy, vz, ω]`
/// (m, m/s, rad/s); nonlinear, for the EKF or UKF.
///
/// Source: Bar-Shalom, Li & Kirubarajan 2001, §11.7.1, eq. 11.7.1-4; X. R. Li & V. P. Jilkov,
/// "Survey of maneuvering target tracking. Part I", IEEE Trans. AES-39(4), 2003, eq. (4.9)
/// (CT model with unknown turn rate) and its Jacobian eq. (4.10). With `u = ωT`:
///
/// ```text
/// x'  = x + sin(u)/ω vx − (1 − cos u)/ω vy       vx' = cos u vx − sin u vy
/// y'  = y + (1 − cos u)/ω vx + sin(u)/ω vy       vy' = sin u vx + cos u vy
/// z'  = z + T vz                                  vz' = vz,   ω' = ω
/// ```
///
/// evaluated without loss of accuracy as `ω → 0` (where it becomes constant velocity).
/// Process noise: continuous white acceleration of density `q_m2ps3` on each axis (the CWNA
/// blocks of [`crate::ConstantVelocity`], which ignore the rotation of the noise during the step —
/// the approximation Bar-Shalom §11.7.2 makes), and a random walk on ω of density
/// `q_omega_rad2ps3`: `Q_ωω = q_ω T`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoordinatedTurn {
    /// Acceleration noise power spectral density, m²/s³, per axis.
    pub q_m2ps3: f64,
    /// Turn-rate noise power spectral density, rad²/s³.
    pub q_omega_rad2ps3: f64,
}

impl TransitionModel<7> for CoordinatedTurn {
    fn propagate(&self, x: &SVector<f64, 7>, t: f64) -> SVector<f64, 7> {
        let w = x[6];
        let u = w * t;
        let (sinc, cosc, _, _) = turn_coefficients(u);
        let (s, c) = u.sin_cos();
        let (sw, cw) = (t * sinc, t * cosc);
        let (vx, vy) = (x[3], x[4]);
        SVector::<f64, 7>::from([
            x[0] + sw * vx - cw * vy,
            x[1] + cw * vx + sw * vy,
            x[2] + t * x[5],
            c * vx - s * vy,
            s * vx + c * vy,
            x[5],
            w,
        ])
    }

    fn jacobian(&self, x: &SVector<f64, 7>, t: f64) -> SMatrix<f64, 7, 7> {
        let u = x[6] * t;
        let (sinc, cosc, dsinc, dcosc) = turn_coefficients(u);
        let (s, c) = u.sin_cos();
        let (sw, cw) = (t * sinc, t * cosc);
        // d(sin u/ω)/dω = T² dsinc, d((1 − cos u)/ω)/dω = T² dcosc.
        let (dsw, dcw) = (t * t * dsinc, t * t * dcosc);
        let (vx, vy) = (x[3], x[4]);
        let mut j = SMatrix::<f64, 7, 7>::identity();
        j[(0, 3)] = sw;
        j[(0, 4)] = -cw;
        j[(0, 6)] = dsw * vx - dcw * vy;
        j[(1, 3)] = cw;
        j[(1, 4)] = sw;
        j[(1, 6)] = dcw * vx + dsw * vy;
        j[(2, 5)] = t;
        j[(3, 3)] = c;
        j[(3, 4)] = -s;
        j[(3, 6)] = -t * (s * vx + c * vy);
        j[(4, 3)] = s;
        j[(4, 4)] = c;
        j[(4, 6)] = t * (c * vx - s * vy);
        j
    }

    fn process_noise(&self, _x: &SVector<f64, 7>, t: f64) -> SMatrix<f64, 7, 7> {
        let mut q = cwna_q::<7>(self.q_m2ps3, t);
        q[(6, 6)] = self.q_omega_rad2ps3 * t;
        q
    }
}

/// Horizontal coordinated turn at a known, fixed turn rate: 6-D `[x, y, z, vx, vy, vz]`,
/// linear. Equations and process noise as [`CoordinatedTurn`] with ω a parameter (Bar-Shalom,
/// Li & Kirubarajan 2001, §11.7.1, eq. 11.7.1-4). Linear, so
/// `KalmanPredictor<KnownTurnRate>` plugs into [`crate::Tracker`] as it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KnownTurnRate {
    /// Acceleration noise power spectral density, m²/s³, per axis.
    pub q_m2ps3: f64,
    /// Turn rate ω, rad/s, positive from +x towards +y.
    pub omega_radps: f64,
}

impl KnownTurnRate {
    /// `(F, Q)` for a step of `dt_s` seconds.
    pub fn transition(&self, dt_s: f64) -> (StateCovariance, StateCovariance) {
        let ct = CoordinatedTurn {
            q_m2ps3: self.q_m2ps3,
            q_omega_rad2ps3: 0.0,
        };
        let mut x = SVector::<f64, 7>::zeros();
        x[6] = self.omega_radps;
        let j = ct.jacobian(&x, dt_s);
        (
            j.fixed_view::<6, 6>(0, 0).into_owned(),
            cwna_q::<6>(self.q_m2ps3, dt_s),
        )
    }
}

linear_transition!(KnownTurnRate, 6);

/// Constant velocity embedded in the 7-D coordinated-turn state `[x, y, z, vx, vy, vz, ω]`,
/// the "straight flight" mode of a CV + CT IMM.
///
/// Position and velocity follow [`crate::ConstantVelocity`] (CWNA, `q_m2ps3`); the mode asserts
/// that the target is not turning, so the turn rate is reset to `ω' = 0` with variance
/// `omega_sigma_radps²` each step (a small non-zero value keeps the covariance non-singular
/// when the modes are mixed). Linear.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstantVelocity7 {
    /// Acceleration noise power spectral density, m²/s³, per axis.
    pub q_m2ps3: f64,
    /// Standard deviation of the turn rate in this mode, rad/s.
    pub omega_sigma_radps: f64,
}

impl ConstantVelocity7 {
    /// `(F, Q)` for a step of `t` seconds.
    pub fn transition(&self, t: f64) -> (SMatrix<f64, 7, 7>, SMatrix<f64, 7, 7>) {
        let mut f = SMatrix::<f64, 7, 7>::identity();
        for j in 0..3 {
            f[(j, j + 3)] = t;
        }
        f[(6, 6)] = 0.0;
        let mut q = cwna_q::<7>(self.q_m2ps3, t);
        q[(6, 6)] = self.omega_sigma_radps * self.omega_sigma_radps;
        (f, q)
    }
}
linear_transition!(ConstantVelocity7, 7);

/// The modes of a CV + CT interacting-multiple-model filter on the 7-D turn state, as one
/// type so that [`crate::filter::imm::Imm`] stays monomorphic (no dynamic dispatch in the loop).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TurnModel {
    /// Straight flight, ω = 0.
    Straight(ConstantVelocity7),
    /// Coordinated turn with estimated ω.
    Turning(CoordinatedTurn),
}

impl TransitionModel<7> for TurnModel {
    fn propagate(&self, x: &SVector<f64, 7>, dt_s: f64) -> SVector<f64, 7> {
        match self {
            TurnModel::Straight(m) => m.propagate(x, dt_s),
            TurnModel::Turning(m) => m.propagate(x, dt_s),
        }
    }
    fn jacobian(&self, x: &SVector<f64, 7>, dt_s: f64) -> SMatrix<f64, 7, 7> {
        match self {
            TurnModel::Straight(m) => m.jacobian(x, dt_s),
            TurnModel::Turning(m) => m.jacobian(x, dt_s),
        }
    }
    fn process_noise(&self, x: &SVector<f64, 7>, dt_s: f64) -> SMatrix<f64, 7, 7> {
        match self {
            TurnModel::Straight(m) => m.process_noise(x, dt_s),
            TurnModel::Turning(m) => m.process_noise(x, dt_s),
        }
    }
    fn linearise(
        &self,
        x: &SVector<f64, 7>,
        dt_s: f64,
    ) -> (SVector<f64, 7>, SMatrix<f64, 7, 7>, SMatrix<f64, 7, 7>) {
        match self {
            TurnModel::Straight(m) => m.linearise(x, dt_s),
            TurnModel::Turning(m) => m.linearise(x, dt_s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    /// `F(a)F(b) = F(a+b)` and `F(a) Q(b) F(a)ᵀ + Q(a) = Q(a+b)`: exact discretisations of a
    /// linear SDE compose.
    fn composes<const N: usize>(m: &impl TransitionModel<N>, a: f64, b: f64) {
        let x = SVector::<f64, N>::zeros();
        let (_, fa, qa) = m.linearise(&x, a);
        let (_, fb, qb) = m.linearise(&x, b);
        let (_, fab, qab) = m.linearise(&x, a + b);
        assert_relative_eq!(fa * fb, fab, epsilon = 1e-12, max_relative = 1e-12);
        assert_relative_eq!(
            fa * qb * fa.transpose() + qa,
            qab,
            epsilon = 1e-14,
            max_relative = 1e-10
        );
    }

    #[test]
    fn exact_discretisations_compose() {
        composes(&ConstantAcceleration { q_m2ps5: 2.0 }, 1.3, 0.7);
        // Both Singer branches (αT below and above 1) and the switch between them.
        let singer = Singer {
            tau_s: 5.0,
            sigma_mps2: 9.0,
        };
        composes(&singer, 1.3, 0.7);
        composes(&singer, 3.0, 4.0);
        composes(&singer, 0.01, 0.02);
        composes(
            &KnownTurnRate {
                q_m2ps3: 0.0,
                omega_radps: 0.09,
            },
            1.3,
            0.7,
        );
    }

    #[test]
    fn singer_series_and_closed_form_agree_at_the_switch() {
        let m = Singer {
            tau_s: 2.0,
            sigma_mps2: 30.0,
        };
        let (_, below) = m.axis(2.0 * (1.0 - 1e-15));
        let (_, above) = m.axis(2.0);
        for (b, a) in below.iter().zip(above.iter()) {
            assert_relative_eq!(*b, *a, max_relative = 1e-12);
        }
    }

    #[test]
    fn singer_tends_to_constant_acceleration_for_long_time_constants() {
        // τ → ∞ with 2σ²/τ = q fixed.
        let q = 3.0;
        let tau = 1e7;
        let singer = Singer {
            tau_s: tau,
            sigma_mps2: (q * tau / 2.0).sqrt(),
        };
        let ca = ConstantAcceleration { q_m2ps5: q };
        let (fs, qs) = singer.transition(2.0);
        let (fc, qc) = ca.transition(2.0);
        assert_relative_eq!(fs, fc, max_relative = 1e-6);
        assert_relative_eq!(qs, qc, max_relative = 1e-6);
    }

    #[test]
    fn coordinated_turn_at_zero_rate_is_constant_velocity() {
        let ct = CoordinatedTurn {
            q_m2ps3: 1.0,
            q_omega_rad2ps3: 0.0,
        };
        let x = SVector::<f64, 7>::from([1.0, 2.0, 3.0, 200.0, -50.0, 5.0, 0.0]);
        let y = ct.propagate(&x, 2.0);
        assert_relative_eq!(
            y,
            SVector::<f64, 7>::from([401.0, -98.0, 13.0, 200.0, -50.0, 5.0, 0.0]),
            epsilon = 1e-12
        );
        // Continuity of the series switch in the coefficients.
        let lo = turn_coefficients(f64::from_bits(0.1_f64.to_bits() - 1));
        let hi = turn_coefficients(0.1);
        assert_relative_eq!(lo.0, hi.0, max_relative = 1e-12);
        assert_relative_eq!(lo.1, hi.1, max_relative = 1e-12);
        assert_relative_eq!(lo.2, hi.2, max_relative = 1e-11);
        assert_relative_eq!(lo.3, hi.3, max_relative = 1e-11);
    }

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
