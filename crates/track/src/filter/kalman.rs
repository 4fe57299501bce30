//! The 6-D Kalman filter for Cartesian position measurements: the roles [`Predictor`] (time
//! update) and [`Updater`] (measurement update), their Kalman implementations, and the
//! bit-exact fast paths of the constant-velocity case (`F P Fᵀ`, the Joseph product, 3 × 3
//! Cholesky), each tested against plain nalgebra bit for bit.
//!
//! The split follows Stone Soup (`stonesoup/predictor/base.py`, `stonesoup/updater/base.py`): a
//! predictor owns a motion model, an updater owns a measurement model, and the hypothesiser asks
//! the updater for the predicted measurement so that gating uses exactly the numbers the update
//! will use.
use crate::models::TransitionModel;
use crate::state::{GaussianState, Measurement, StateCovariance, StateVector};
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

impl From<crate::filter::InnovationN<3>> for Innovation {
    fn from(i: crate::filter::InnovationN<3>) -> Self {
        Innovation {
            nu: i.nu,
            s: i.s,
            mahalanobis2: i.mahalanobis2,
            ln_det_s: i.ln_det_s,
        }
    }
}

/// The part of an [`Innovation`] that does not depend on the measured value: the predicted
/// measurement, `S = H P Hᵀ + R`, its Cholesky factor and `ln |S|`, for one predicted state and
/// one measurement covariance `R`.
///
/// The plots of one scan of one sensor usually share `R`, so the gate factors `S` once per
/// track and scan and reuses it for every plot near the track: [`InnovationFactor::innovation`]
/// then costs a subtraction and a 3 × 3 triangular solve instead of forming and factoring `S`
/// again, and gives bit for bit the [`Innovation`] of the updater that made it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InnovationFactor {
    /// Predicted measurement `H x̂`, m.
    pub predicted_m: Vector3<f64>,
    /// Innovation covariance `S = H P Hᵀ + R`, m².
    pub s: Matrix3<f64>,
    /// Lower Cholesky factor `L` of `S = L Lᵀ` (only the lower triangle is meaningful).
    pub l: Matrix3<f64>,
}

impl InnovationFactor {
    /// `ln |S| = 2 Σ ln Lᵢᵢ` (computed on demand: a gate needs it only for the tracks that gate
    /// a plot).
    pub fn ln_det_s(&self) -> f64 {
        2.0 * self.l.diagonal().iter().map(|d| d.ln()).sum::<f64>()
    }

    /// `νᵀ S⁻¹ ν = |L⁻¹ ν|²` for `ν = z − H x̂`, or `None` if `L` is singular.
    pub fn mahalanobis2(&self, z_m: &Vector3<f64>) -> Option<f64> {
        let nu = z_m - self.predicted_m;
        solve_lower3(&self.l, &nu).map(|w| norm_squared3(&w))
    }

    /// The innovation of `measurement`, which must have the covariance `R` this factor was made
    /// for.
    pub fn innovation(&self, measurement: &Measurement) -> Result<Innovation, NotPositiveDefinite> {
        let nu = measurement.z_m - self.predicted_m;
        let w = solve_lower3(&self.l, &nu).ok_or(NotPositiveDefinite)?;
        Ok(Innovation {
            nu,
            s: self.s,
            mahalanobis2: norm_squared3(&w),
            ln_det_s: self.ln_det_s(),
        })
    }
}

/// nalgebra's `Cholesky::new(s).map(|c| *c.l_dirty())` for a 3 × 3 matrix, operation for
/// operation (so the same bits, the upper triangle left as in `s`), without the generic loops
/// and views that make up most of its cost at this size: `None` where it fails (a zero,
/// negative or NaN pivot).
fn cholesky3(s: &Matrix3<f64>) -> Option<Matrix3<f64>> {
    // nalgebra's pivot: zero fails, then `try_sqrt`, which fails below zero (and on NaN).
    let pivot = |v: f64| (v > 0.0).then(|| v.sqrt());
    let mut m = *s;
    // Column 0.
    let d0 = pivot(m[(0, 0)])?;
    m[(0, 0)] = d0;
    m[(1, 0)] /= d0;
    m[(2, 0)] /= d0;
    // Column 1: `col_j.axpy(−L₁₀, col_0, 1)` on rows 1.., i.e. `mᵢ₁ + (−L₁₀) Lᵢ₀` (IEEE
    // addition commutes, so the order of the two terms does not matter).
    m[(1, 1)] += -m[(1, 0)] * m[(1, 0)];
    m[(2, 1)] += -m[(1, 0)] * m[(2, 0)];
    let d1 = pivot(m[(1, 1)])?;
    m[(1, 1)] = d1;
    m[(2, 1)] /= d1;
    // Column 2, row 2: one axpy per earlier column, in order.
    m[(2, 2)] += -m[(2, 0)] * m[(2, 0)];
    m[(2, 2)] += -m[(2, 1)] * m[(2, 1)];
    m[(2, 2)] = pivot(m[(2, 2)])?;
    Some(m)
}

/// nalgebra's `l.solve_lower_triangular(b)` for 3 × 3, operation for operation: forward
/// substitution, each solved component `c` removed from the rest as `(−c) Lᵣᵢ + bᵣ`.
fn solve_lower3(l: &Matrix3<f64>, b: &Vector3<f64>) -> Option<Vector3<f64>> {
    let nonzero = |v: f64| (v != 0.0).then_some(v);
    let c0 = b[0] / nonzero(l[(0, 0)])?;
    let b1 = -c0 * l[(1, 0)] + b[1];
    let b2 = -c0 * l[(2, 0)] + b[2];
    let c1 = b1 / nonzero(l[(1, 1)])?;
    let b2 = -c1 * l[(2, 1)] + b2;
    let c2 = b2 / nonzero(l[(2, 2)])?;
    Some(Vector3::new(c0, c1, c2))
}

/// nalgebra's `w.norm_squared()` for a 3-vector: `(w₀² + w₁²) + w₂²`.
fn norm_squared3(w: &Vector3<f64>) -> f64 {
    w[0] * w[0] + w[1] * w[1] + w[2] * w[2]
}

/// Measurement update: fold one measurement into a predicted state.
pub trait Updater {
    /// The innovation of `measurement` against `predicted` (both at the same time).
    fn innovation(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<Innovation, NotPositiveDefinite>;

    /// The innovation covariance of `predicted` under `measurement`'s covariance, factored for
    /// reuse with every measurement of the same covariance, when this updater's innovation is
    /// linear in the measured value (`ν = z − H x̂`, `S` independent of `z`); `None` (the
    /// default) otherwise, and the gate then calls [`Updater::innovation`] for every pair.
    fn innovation_factor(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Option<Result<InnovationFactor, NotPositiveDefinite>> {
        let _ = (predicted, measurement);
        None
    }

    /// The posterior after `measurement`.
    fn update(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<GaussianState, NotPositiveDefinite>;
}

/// Kalman prediction with a [`TransitionModel<6>`]: `x⁻ = f(x)`, `P⁻ = F P Fᵀ + Q`, symmetrised
/// (with `F` and `Q` from [`TransitionModel::linearise`], so for a linear model this is the
/// Kalman filter and for a nonlinear one the extended Kalman filter's prediction).
///
/// The covariance goes through [`TransitionModel::propagate_covariance`], which
/// [`crate::ConstantVelocity`] specialises: the CV fast path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KalmanPredictor<M> {
    /// The motion model.
    pub model: M,
}

impl<M: TransitionModel<6>> Predictor for KalmanPredictor<M> {
    /// Backward prediction (`time` earlier than the prior) is the model's: for the linear models
    /// of [`crate::models`], `F(dt)` with `Q(|dt|)`, exact in the mean for constant velocity,
    /// the covariance grown, which is conservative but is not a smoother.
    fn predict(&self, prior: &GaussianState, time: SimTime) -> GaussianState {
        let dt = (time - prior.time).as_secs_f64();
        let (x, f, q) = self.model.linearise(&prior.x, dt);
        GaussianState {
            time,
            x,
            p: self.model.propagate_covariance(&f, &prior.p, &q),
        }
    }
}

/// `symmetrise(F P Fᵀ + Q)` for a 6-D state, bit for bit, by [`cv_f_p_ft`] where `F` has the
/// constant-velocity form (the override of [`TransitionModel::propagate_covariance`] by
/// [`crate::ConstantVelocity`]).
pub(crate) fn cv_covariance(
    f: &StateCovariance,
    p: &StateCovariance,
    q: &StateCovariance,
) -> StateCovariance {
    match cv_f_p_ft(f, p) {
        Some(g) => symmetrise_sum_of(&g, q.as_slice()),
        None => symmetrise_sum(&(f * p * f.transpose()), q),
    }
}

/// `symmetrise(&(a + b))` in one pass: `((aᵢⱼ + bᵢⱼ) + (aⱼᵢ + bⱼᵢ)) · 0.5`, the same operations.
fn symmetrise_sum(a: &StateCovariance, b: &StateCovariance) -> StateCovariance {
    symmetrise_sum_of(a.as_slice(), b.as_slice())
}

/// [`symmetrise_sum`] on column-major 6 × 6 slices.
#[inline]
fn symmetrise_sum_of(a: &[f64], b: &[f64]) -> StateCovariance {
    let mut sum = [0.0; 36];
    for (s, (x, y)) in sum.iter_mut().zip(a.iter().zip(b)) {
        *s = x + y;
    }
    // Column-major: (i, j) at 6 j + i.
    let mut out = [0.0; 36];
    for j in 0..6 {
        for i in 0..6 {
            out[6 * j + i] = (sum[6 * j + i] + sum[6 * i + j]) * 0.5;
        }
    }
    StateCovariance::from_column_slice(&out)
}

/// `F P Fᵀ` by [`cv_f_p_ft`] where it applies, by nalgebra otherwise (what the tests check
/// against nalgebra alone).
#[cfg(test)]
fn f_p_ft(f: &StateCovariance, p: &StateCovariance) -> StateCovariance {
    match cv_f_p_ft(f, p) {
        Some(g) => StateCovariance::from_column_slice(&g),
        None => f * p * f.transpose(),
    }
}

/// `F P Fᵀ`, bit for bit as nalgebra computes `f * p * f.transpose()`, but in about a tenth of
/// the operations when `F` has the constant-velocity form
/// `[[I, D], [0, I]]` with `D = diag(d₀, d₁, d₂)` (as [`crate::ConstantVelocity`] makes it).
///
/// nalgebra forms each entry of a product as the running sum `Σₖ aᵢₖ bₖⱼ` in increasing `k`,
/// rounding after every product and every addition. With this `F` all but one or two products
/// of each sum are zeros, which leave a nonzero sum unchanged, so
/// `(F P)ᵢⱼ = Pᵢⱼ + dᵢ P₍ᵢ₊₃₎ⱼ` (i < 3), `Pᵢⱼ` (i ≥ 3), and likewise for `(F P) Fᵀ`. What the
/// zeros can change is the sign of a zero result (IEEE 754: a sum is −0 only if all its terms
/// are −0). Each sum holds a +0 or a nonzero term taken from a diagonal entry of `P` (through a
/// zero of `F`, or directly), so when every `Pⱼⱼ > 0` no entry is −0 and `+ 0.0` turns the
/// shortcut's −0 results into the +0 that nalgebra gives.
///
/// Returns `F P Fᵀ` column-major, or `None` — the caller then takes nalgebra's product — for
/// anything else: another `F`, an off-pattern −0 in `F`, a non-finite or non-positive-diagonal
/// `P`.
#[inline]
fn cv_f_p_ft(f: &StateCovariance, p: &StateCovariance) -> Option<[f64; 36]> {
    let d = cv_rates(f)?;
    // Column-major: entry (i, j) at 6 j + i. (Branch-free checks: this runs for every track.)
    let p = p.as_slice();
    let non_finite = p.iter().fold(0, |acc, v| {
        acc | u8::from(v.to_bits() & EXPONENT == EXPONENT)
    });
    let positive_diagonal = (0..6).fold(true, |ok, i| ok & (p[7 * i] > 0.0));
    if non_finite != 0 || !positive_diagonal {
        return None;
    }
    // A = F P.
    let mut a = [0.0; 36];
    for (a, p) in a.chunks_exact_mut(6).zip(p.chunks_exact(6)) {
        for i in 0..3 {
            a[i] = (p[i] + d[i] * p[i + 3]) + 0.0;
            a[i + 3] = p[i + 3] + 0.0;
        }
    }
    // G = A Fᵀ: column j < 3 is A's column j plus d_j times column j + 3.
    let mut g = [0.0; 36];
    for j in 0..3 {
        for i in 0..6 {
            g[6 * j + i] = (a[6 * j + i] + a[6 * (j + 3) + i] * d[j]) + 0.0;
        }
    }
    g[18..].copy_from_slice(&a[18..]);
    Some(g)
}

/// `[d₀, d₁, d₂]` if `F = [[I, diag(d)], [0, I]]` exactly: ones on the diagonal, finite `dᵢ`
/// that are not −0, and +0 everywhere else.
fn cv_rates(f: &StateCovariance) -> Option<[f64; 3]> {
    let d = [f[(0, 3)], f[(1, 4)], f[(2, 5)]];
    let rates_ok = d
        .iter()
        .all(|v| v.to_bits() & EXPONENT != EXPONENT && v.to_bits() != (-0.0_f64).to_bits());
    // The CV matrix with these rates (column-major: (i, j) at 6 j + i), compared bit for bit.
    let mut cv = [0.0; 36];
    for i in 0..6 {
        cv[7 * i] = 1.0;
    }
    for i in 0..3 {
        cv[7 * i + 18] = d[i];
    }
    let differ = f
        .as_slice()
        .iter()
        .zip(cv)
        .fold(0, |acc, (a, b)| acc | (a.to_bits() ^ b.to_bits()));
    (rates_ok && differ == 0).then_some(d)
}

/// The exponent bits of an `f64`: all set for infinities and NaNs only.
const EXPONENT: u64 = 0x7ff0_0000_0000_0000;

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
        // H P Hᵀ is the position block of P; S = symmetrise(H P Hᵀ + R), entry by entry.
        let (P, R) = (&predicted.p, &measurement.r_m2);
        let s = Matrix3::from_fn(|i, j| ((P[(i, j)] + R[(i, j)]) + (P[(j, i)] + R[(j, i)])) * 0.5);
        if !s.iter().all(|v| v.is_finite()) {
            return Err(NotPositiveDefinite);
        }
        let l = cholesky3(&s).ok_or(NotPositiveDefinite)?;
        Ok((s, Cholesky::pack_dirty(l)))
    }

    fn factor(
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<InnovationFactor, NotPositiveDefinite> {
        let (s, chol) = Self::s_and_chol(predicted, measurement)?;
        Ok(InnovationFactor {
            predicted_m: predicted.position(),
            s,
            l: *chol.l_dirty(),
        })
    }
}

impl Updater for KalmanUpdater {
    fn innovation(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<Innovation, NotPositiveDefinite> {
        // νᵀ S⁻¹ ν = |L⁻¹ ν|² with S = L Lᵀ.
        Self::factor(predicted, measurement)?.innovation(measurement)
    }

    fn innovation_factor(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Option<Result<InnovationFactor, NotPositiveDefinite>> {
        Some(Self::factor(predicted, measurement))
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
        let K: SMatrix<f64, 6, 3> = cholesky_solve3(chol.l_dirty(), &HP).transpose();
        let nu = measurement.z_m - predicted.position();
        // x + K ν, and below K R Kᵀ, as nalgebra's products form them: each entry the running
        // sum over k = 0, 1, 2 of its products, nothing skipped, so bit for bit the same.
        let x = StateVector::from_fn(|i, _| {
            predicted.x[i] + (K[(i, 2)] * nu[2] + (K[(i, 1)] * nu[1] + K[(i, 0)] * nu[0]))
        });
        let R = &measurement.r_m2;
        let KR = SMatrix::<f64, 6, 3>::from_fn(|i, j| {
            K[(i, 2)] * R[(2, j)] + (K[(i, 1)] * R[(1, j)] + K[(i, 0)] * R[(0, j)])
        });

        // K H = [K 0] since H = [I 0].
        let mut KH = StateCovariance::zeros();
        KH.fixed_view_mut::<6, 3>(0, 0).copy_from(&K);
        let I_KH = StateCovariance::identity() - KH;
        let G = joseph_product(&I_KH, P);
        let p = StateCovariance::from_fn(|i, j| {
            G[(i, j)] + (KR[(i, 2)] * K[(j, 2)] + (KR[(i, 1)] * K[(j, 1)] + KR[(i, 0)] * K[(j, 0)]))
        });
        Ok(GaussianState {
            time: predicted.time,
            x,
            p: StateCovariance::from_fn(|i, j| (p[(i, j)] + p[(j, i)]) * 0.5),
        })
    }
}

/// nalgebra's `Cholesky::solve(b)` for the 3 × 3 factor `l` (as `l_dirty`) and a 3 × 6 `b`,
/// operation for operation: per column, forward substitution with `L` (each solved component
/// `c` removed from the rest as `(−c) Lᵣᵢ + bᵣ`), then back substitution with `Lᵀ`, whose dot
/// products start from +0 (`bᵢ ← (bᵢ − (0 + Σₖ Lₖᵢ yₖ)) / Lᵢᵢ`, `k` increasing).
fn cholesky_solve3(l: &Matrix3<f64>, b: &SMatrix<f64, 3, 6>) -> SMatrix<f64, 3, 6> {
    let mut x = *b;
    for mut col in x.column_iter_mut() {
        let b0 = col[0] / l[(0, 0)];
        let b1 = -b0 * l[(1, 0)] + col[1];
        let b2 = -b0 * l[(2, 0)] + col[2];
        let b1 = b1 / l[(1, 1)];
        let b2 = -b1 * l[(2, 1)] + b2;
        let b2 = b2 / l[(2, 2)];
        let y2 = (b2 - 0.0) / l[(2, 2)];
        let y1 = (b1 - (0.0 + l[(2, 1)] * y2)) / l[(1, 1)];
        let y0 = (b0 - ((0.0 + l[(1, 0)] * y1) + l[(2, 0)] * y2)) / l[(0, 0)];
        col[0] = y0;
        col[1] = y1;
        col[2] = y2;
    }
    x
}

/// `(I − K H) P (I − K H)ᵀ`, bit for bit as nalgebra computes `a * p * a.transpose()` for
/// `a = I − K H` (`H = [I₃ 0]`, so `a` is `[I − K₁ 0; −K₂ I]` by blocks), in about half the
/// operations.
///
/// As in [`cv_f_p_ft`]: nalgebra's running sums `Σₖ` (increasing `k`) have exact zero terms where
/// `a` has its structural zeros (`aᵢₖ = δᵢₖ` for `k ≥ 3`), which change no nonzero result and
/// are skipped; what they could change is the sign of a zero result, −0 only if every term is
/// −0. Each sum has a term that is +0 or nonzero — `aᵢⱼ Pⱼⱼ` in `a P` (`a` has no −0: its
/// entries are `δ − k` with `δ ∈ {+0, 1}`), then `(a P)ᵢⱼ aⱼⱼ` in `(a P) aᵀ` — provided
/// `Pⱼⱼ > 0`, `aⱼⱼ > 0` and no such product underflows, which the checks below make sure of
/// (nonzero magnitudes within `2^±497`); so zero results are +0, which `+ 0.0` gives. Anything
/// else takes nalgebra's product.
fn joseph_product(a: &StateCovariance, p: &StateCovariance) -> StateCovariance {
    // Zero or a magnitude in [2⁻⁴⁹⁷, 2⁴⁹⁸): products neither underflow nor overflow. The bits
    // of |v| order like |v| (NaN and ∞ above every finite value), so bounding the smallest
    // nonzero and the largest is enough.
    const SMALLEST: u64 = (1023 - 497) << 52;
    const TOO_LARGE: u64 = (1023 + 498) << 52;
    let all_tame = |m: &[f64]| {
        let (smallest, largest) = m.iter().fold((u64::MAX, 0u64), |(lo, hi), v| {
            let bits = v.to_bits() & !(1 << 63);
            (
                lo.min(if bits == 0 { u64::MAX } else { bits }),
                hi.max(bits),
            )
        });
        smallest >= SMALLEST && largest < TOO_LARGE
    };
    // a = [· 0; · I]: its last three columns are those of the identity, bit for bit.
    let unit_columns = a.as_slice()[18..]
        .iter()
        .zip(StateCovariance::identity().as_slice()[18..].iter())
        .fold(0, |acc, (x, y)| acc | (x.to_bits() ^ y.to_bits()))
        == 0;
    let positive_diagonals = (0..6).fold(true, |ok, i| ok & (p[(i, i)] > 0.0) & (a[(i, i)] > 0.0));
    // a's last three columns are checked above (zeros and ones).
    if !(all_tame(p.as_slice())
        && all_tame(&a.as_slice()[..18])
        && unit_columns
        && positive_diagonals)
    {
        return a * p * a.transpose();
    }
    // M = a P: Σ over k < 3, then the unit term k = i for i ≥ 3.
    let mut m = StateCovariance::zeros();
    for j in 0..6 {
        for i in 0..6 {
            let mut s = a[(i, 0)] * p[(0, j)];
            s += a[(i, 1)] * p[(1, j)];
            s += a[(i, 2)] * p[(2, j)];
            if i >= 3 {
                s += p[(i, j)];
            }
            m[(i, j)] = s + 0.0;
        }
    }
    if !all_tame(m.as_slice()) {
        return a * p * a.transpose();
    }
    // G = M aᵀ: Σ over k < 3 of M_ik a_jk, then the unit term k = j for j ≥ 3.
    let mut g = StateCovariance::zeros();
    for j in 0..6 {
        for i in 0..6 {
            let mut s = m[(i, 0)] * a[(j, 0)];
            s += m[(i, 1)] * a[(j, 1)];
            s += m[(i, 2)] * a[(j, 2)];
            if j >= 3 {
                s += m[(i, j)];
            }
            g[(i, j)] = s + 0.0;
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::ConstantVelocity;
    use crate::state::symmetrise;
    use crate::state::StateVector;
    use approx::assert_relative_eq;
    use iadsim_core::SensorId;
    use nalgebra::Vector6;

    /// A small deterministic generator (splitmix64) for the bit-level tests below.
    use iadsim_core::random::splitmix64 as splitmix;

    /// A random covariance `A Aᵀ · 10⁴ + I` (entries of `A` from `uniform() − 0.5`); with
    /// `decoupled`, the entries coupling different axes are zeros, −0 where `negative_zero(i, j)`.
    fn random_covariance(
        uniform: &mut impl FnMut() -> f64,
        decoupled: bool,
        negative_zero: impl Fn(usize, usize) -> bool,
    ) -> StateCovariance {
        let a = StateCovariance::from_fn(|_, _| uniform() - 0.5);
        let mut p = a * a.transpose() * 1e4 + StateCovariance::identity();
        if decoupled {
            for i in 0..6 {
                for j in 0..6 {
                    if i % 3 != j % 3 {
                        p[(i, j)] = if negative_zero(i, j) { -0.0 } else { 0.0 };
                    }
                }
            }
        }
        p
    }

    /// The update as it was written before `cholesky_solve3` and `joseph_product`: plain
    /// nalgebra.
    #[allow(non_snake_case)]
    fn reference_update(predicted: &GaussianState, measurement: &Measurement) -> GaussianState {
        let HPHt = predicted.p.fixed_view::<3, 3>(0, 0).into_owned();
        let chol = Cholesky::new(symmetrise(&(HPHt + measurement.r_m2))).unwrap();
        let P = &predicted.p;
        let HP: SMatrix<f64, 3, 6> = P.fixed_view::<3, 6>(0, 0).into_owned();
        let K: SMatrix<f64, 6, 3> = chol.solve(&HP).transpose();
        let nu = measurement.z_m - predicted.position();
        let x = predicted.x + K * nu;
        let mut KH = StateCovariance::zeros();
        KH.fixed_view_mut::<6, 3>(0, 0).copy_from(&K);
        let I_KH = StateCovariance::identity() - KH;
        let p = I_KH * P * I_KH.transpose() + K * measurement.r_m2 * K.transpose();
        GaussianState {
            time: predicted.time,
            x,
            p: symmetrise(&p),
        }
    }

    #[test]
    fn update_is_bit_identical_to_the_plain_nalgebra_update() {
        let mut state = 23;
        let mut uniform = || (splitmix(&mut state) >> 11) as f64 / (1u64 << 53) as f64;
        let bits = |g: &GaussianState| {
            g.x.iter()
                .chain(g.p.iter())
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        };
        for case in 0..20_000 {
            // Coupled or (like the tracker's) decoupled axes, with ±0 in the zero blocks.
            let p = random_covariance(&mut uniform, case % 2 == 0, |i, j| (i + j + case) % 3 == 0);
            let sigma = 1.0 + 100.0 * uniform();
            let mut r = Matrix3::identity() * sigma * sigma;
            if case % 3 == 0 {
                r[(2, 2)] = 1.0;
            }
            if case % 5 == 0 {
                r[(0, 1)] = 0.3 * sigma;
                r[(1, 0)] = 0.3 * sigma;
            }
            let predicted = GaussianState {
                time: SimTime::ZERO,
                x: StateVector::from_fn(|i, _| {
                    if i == 2 || i == 5 {
                        0.0
                    } else {
                        1e4 * uniform()
                    }
                }),
                p: symmetrise(&p),
            };
            let m = Measurement {
                time: SimTime::ZERO,
                sensor: SensorId(0),
                z_m: predicted.position() + Vector3::new(uniform() - 0.5, uniform(), 0.0) * sigma,
                r_m2: r,
                polar: None,
            };
            let ours = KalmanUpdater.update(&predicted, &m).unwrap();
            assert_eq!(
                bits(&ours),
                bits(&reference_update(&predicted, &m)),
                "{predicted:?}"
            );
        }
    }

    #[test]
    fn prediction_is_bit_identical_to_the_plain_nalgebra_prediction() {
        let mut state = 31;
        let mut uniform = || (splitmix(&mut state) >> 11) as f64 / (1u64 << 53) as f64;
        let model = ConstantVelocity { q_m2ps3: 1.7 };
        let predictor = KalmanPredictor { model };
        for case in 0..5_000 {
            let p = random_covariance(&mut uniform, case % 2 == 0, |i, j| (i * j + case) % 2 == 0);
            let prior = GaussianState {
                time: SimTime::from_secs_f64(10.0),
                x: StateVector::from_fn(|i, _| if i % 3 == 2 { -0.0 } else { 1e4 * uniform() }),
                p: symmetrise(&p),
            };
            let dt = [1.0, 0.0, 2.5, -1.5][case % 4] * uniform();
            let time = SimTime::from_secs_f64(10.0 + dt);
            let ours = predictor.predict(&prior, time);
            let dt = (time - prior.time).as_secs_f64();
            let (f, _) = model.transition(dt);
            let (_, q) = model.transition(dt.abs());
            let x = f * prior.x;
            let p = symmetrise(&(f * prior.p * f.transpose() + q));
            let bits = |v: &[f64]| v.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(ours.x.as_slice()), bits(x.as_slice()), "dt = {dt}");
            assert_eq!(bits(ours.p.as_slice()), bits(p.as_slice()), "dt = {dt}");
        }
    }

    #[test]
    fn fused_symmetrise_is_bit_identical() {
        let mut state = 29;
        for _ in 0..1000 {
            let a =
                StateCovariance::from_fn(|_, _| f64::from_bits(splitmix(&mut state) >> 2) - 1.0);
            let b = StateCovariance::from_fn(|_, _| (splitmix(&mut state) >> 11) as f64 - 1e15);
            let want = symmetrise(&(a + b));
            let got = symmetrise_sum(&a, &b);
            assert!(want
                .iter()
                .zip(got.iter())
                .all(|(x, y)| x.to_bits() == y.to_bits()));
        }
    }

    #[test]
    fn small_cholesky_and_solve_are_bit_identical_to_nalgebra() {
        let mut state = 17;
        let mut uniform = || (splitmix(&mut state) >> 11) as f64 / (1u64 << 53) as f64;
        let bits3 = |m: &Matrix3<f64>| m.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        let mut factored = 0;
        for case in 0..50_000 {
            let a = Matrix3::from_fn(|_, _| uniform() - 0.5);
            let mut s = match case % 4 {
                // Positive definite, from well to badly conditioned.
                0 | 1 => a * a.transpose() + Matrix3::identity() * 10f64.powi(-(case % 9)),
                // Anything symmetric, often indefinite.
                2 => a + a.transpose(),
                // Exact zeros, as in decoupled axes.
                _ => Matrix3::from_diagonal(&a.diagonal().map(|v| v * v * 1e4)),
            };
            if case % 97 == 0 {
                s[(1, 1)] = f64::NAN;
            }
            let ours = cholesky3(&s);
            let theirs = Cholesky::new(s).map(|c| *c.l_dirty());
            assert_eq!(ours.as_ref().map(bits3), theirs.as_ref().map(bits3), "{s}");
            if let Some(l) = ours {
                factored += 1;
                let b = Vector3::new(uniform() - 0.5, 1e3 * uniform(), -0.0);
                let w = solve_lower3(&l, &b);
                let w_ref = l.solve_lower_triangular(&b);
                assert_eq!(
                    w.map(|w| w.map(f64::to_bits)),
                    w_ref.map(|w| w.map(f64::to_bits))
                );
                if let Some(w) = w {
                    assert_eq!(norm_squared3(&w).to_bits(), w.norm_squared().to_bits());
                }
            }
        }
        assert!(factored > 20_000, "{factored}");
        let mut singular = Matrix3::identity();
        singular[(1, 1)] = 0.0;
        assert_eq!(solve_lower3(&singular, &Vector3::new(1.0, 1.0, 1.0)), None);
    }

    #[test]
    fn cv_covariance_shortcut_is_bit_identical_to_the_matrix_product() {
        let mut state = 7;
        let uniform = |s: &mut u64| (splitmix(s) >> 11) as f64 / (1u64 << 53) as f64;
        let bits = |m: &StateCovariance| m.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        let mut shortcuts = 0;
        for case in 0..20_000 {
            // Steps forward, zero and backward (the last take the general product).
            let dt = match case % 5 {
                0 => 0.0,
                1 => -uniform(&mut state) * 3.0,
                _ => uniform(&mut state) * 20.0,
            };
            let (f, _) = ConstantVelocity { q_m2ps3: 1.0 }.transition(dt);
            // Entries: nonzero of either sign, +0, −0, and values that cancel exactly in
            // `P_ij + d P_(i+3)j`; a positive diagonal except now and then.
            let mut p = StateCovariance::zeros();
            for j in 0..6 {
                for i in 0..6 {
                    let u = uniform(&mut state);
                    p[(i, j)] = match splitmix(&mut state) % 6 {
                        0 => 0.0,
                        1 => -0.0,
                        2 => -1e4 * u,
                        _ => 1e5 * u,
                    };
                }
            }
            for j in 0..6 {
                for i in 0..3 {
                    if splitmix(&mut state) % 8 == 0 {
                        p[(i, j)] = -(dt * p[(i + 3, j)]);
                    }
                }
            }
            for i in 0..6 {
                if case % 97 != 0 {
                    p[(i, i)] = 1.0 + 1e4 * uniform(&mut state);
                }
            }
            shortcuts += usize::from(cv_rates(&f).is_some() && (0..6).all(|i| p[(i, i)] > 0.0));
            assert_eq!(
                bits(&f_p_ft(&f, &p)),
                bits(&(f * p * f.transpose())),
                "dt = {dt}, P = {p}"
            );
        }
        assert!(shortcuts > 10_000, "{shortcuts}");
        // Not the CV form: the general product.
        let mut f = StateCovariance::identity();
        f[(0, 1)] = 0.5;
        assert!(cv_rates(&f).is_none());
    }

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
