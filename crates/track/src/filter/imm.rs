//! The interacting multiple model (IMM) estimator: `R` motion models on one state space, a
//! Markov chain switching between them, and a bank of mode-matched filters.
//!
//! Sources: H. A. P. Blom & Y. Bar-Shalom, "The interacting multiple model algorithm for
//! systems with Markovian switching coefficients", IEEE Trans. AC-33(8), 1988; Bar-Shalom, Li &
//! Kirubarajan, *Estimation with Applications to Tracking and Navigation*, 2001, §11.6.6. One
//! cycle ([`Imm::predict`] then [`Imm::update`]):
//!
//! 1. **Mixing**: `c̄ⱼ = Σᵢ πᵢⱼ μᵢ`, `μᵢ|ⱼ = πᵢⱼ μᵢ / c̄ⱼ`, `x₀ⱼ = Σᵢ μᵢ|ⱼ xᵢ`,
//!    `P₀ⱼ = Σᵢ μᵢ|ⱼ [Pᵢ + (xᵢ − x₀ⱼ)(xᵢ − x₀ⱼ)ᵀ]` (eqs. 11.6.6-6 to -9).
//! 2. **Mode-matched prediction** of each `(x₀ⱼ, P₀ⱼ)` with mode `j`'s model and filter; the
//!    predicted mode probabilities are `c̄ⱼ`.
//! 3. **Mode-matched update** with the measurement; likelihood `Λⱼ = N(νⱼ; 0, Sⱼ)`.
//! 4. **Mode probabilities** `μⱼ = Λⱼ c̄ⱼ / Σₖ Λₖ c̄ₖ` (eq. 11.6.6-15), in logarithms so that a
//!    far-off measurement does not underflow every `Λⱼ` to zero.
//! 5. **Combination** (output only, [`ImmState::combined`]): `x = Σ μⱼ xⱼ`,
//!    `P = Σ μⱼ [Pⱼ + (xⱼ − x)(xⱼ − x)ᵀ]`.
//!
//! A missed detection is [`Imm::predict`] alone: the state then holds the predicted mode
//! estimates and probabilities `c̄`.
//!
//! ## A CV + CT IMM
//! ```
//! use iadsim_core::{SensorId, SimTime};
//! use iadsim_track::filter::imm::{Imm, ImmMode, ImmState};
//! use iadsim_track::models::{ConstantVelocity7, CoordinatedTurn, TurnModel};
//! use iadsim_track::filter::ExtendedKalman;
//! use iadsim_track::{GaussianStateN, MeasurementN};
//! use iadsim_track::measurement::CartesianPosition;
//! use nalgebra::{Matrix2, Matrix3, SMatrix, SVector, Vector3};
//!
//! let imm = Imm::new(
//!     [
//!         ImmMode {
//!             model: TurnModel::Straight(ConstantVelocity7 { q_m2ps3: 1.0, omega_sigma_radps: 1e-4 }),
//!             filter: ExtendedKalman,
//!         },
//!         ImmMode {
//!             model: TurnModel::Turning(CoordinatedTurn { q_m2ps3: 1.0, q_omega_rad2ps3: 1e-4 }),
//!             filter: ExtendedKalman,
//!         },
//!     ],
//!     // πᵢⱼ = P(mode j now | mode i at the previous scan); rows sum to 1.
//!     Matrix2::new(0.95, 0.05, 0.05, 0.95),
//! )?;
//! let start = GaussianStateN::<7> {
//!     time: SimTime::ZERO,
//!     x: SVector::<f64, 7>::from([0.0, 0.0, 3000.0, 250.0, 0.0, 0.0, 0.0]),
//!     p: SMatrix::<f64, 7, 7>::from_diagonal(&SVector::<f64, 7>::from([
//!         100.0, 100.0, 100.0, 400.0, 400.0, 400.0, 1e-4,
//!     ])),
//! };
//! let mut state = ImmState::new(start, SVector::<f64, 2>::new(0.9, 0.1))?;
//! let t = SimTime::from_secs_f64(1.0);
//! let predicted = imm.predict(&state, t)?;
//! let plot = MeasurementN {
//!     time: t,
//!     sensor: SensorId(1),
//!     z: Vector3::new(250.0, 0.0, 3000.0),
//!     r: Matrix3::identity() * 100.0,
//! };
//! state = imm.update(&CartesianPosition, &predicted, &plot)?.state;
//! assert!((state.probabilities.sum() - 1.0).abs() < 1e-12);
//! let estimate = state.combined(); // GaussianStateN<7>
//! # let _ = estimate;
//! # Ok::<(), iadsim_track::FilterError>(())
//! ```
//!
//! ## What it does not do
//! * The transition matrix is **per scan**, whatever the scan interval; with irregular scans,
//!   build `Imm`s for the intervals you have or scale `π` yourself (`π(T) = exp(Λ T)` for a
//!   generator `Λ`).
//! * All modes share one state space. Models of smaller dimension are embedded by the caller
//!   (as [`crate::models::ConstantVelocity7`] embeds constant velocity in the turn state).
use crate::filter::{FilterError, GaussianFilter, InnovationN};
use crate::measurement::MeasurementModel;
use crate::models::TransitionModel;
use crate::state::symmetrise;
use crate::state::{GaussianStateN, MeasurementN};
use iadsim_core::SimTime;
use nalgebra::{SMatrix, SVector};

/// One mode of an IMM: a motion model and the filter that runs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImmMode<T, F> {
    /// The mode's motion model.
    pub model: T,
    /// The filter matched to it.
    pub filter: F,
}

/// An IMM estimator with `R` modes on an `N`-dimensional state. Mode models are of one type
/// `T` (use an enum such as [`crate::models::TurnModel`], or `Box<dyn TransitionModel<N>>`)
/// and filters of one type `F` (e.g. [`crate::filter::Filter`] to mix EKF and UKF modes).
#[derive(Debug, Clone, PartialEq)]
pub struct Imm<const N: usize, const R: usize, T, F> {
    modes: [ImmMode<T, F>; R],
    /// `πᵢⱼ = P(mode j at scan k | mode i at scan k − 1)`.
    transition: SMatrix<f64, R, R>,
}

/// The IMM's estimate: one Gaussian per mode and the mode probabilities.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImmState<const N: usize, const R: usize> {
    /// Time of validity.
    pub time: SimTime,
    /// Mode-conditioned estimates, in mode order.
    pub modes: [GaussianStateN<N>; R],
    /// Mode probabilities `μ`, summing to 1.
    pub probabilities: SVector<f64, R>,
}

/// The result of an IMM update.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImmUpdate<const N: usize, const R: usize, const M: usize> {
    /// The posterior.
    pub state: ImmState<N, R>,
    /// Each mode's innovation.
    pub innovations: [InnovationN<M>; R],
    /// `ln Σⱼ Λⱼ c̄ⱼ`, the log-likelihood of the measurement under the IMM (for association).
    pub ln_likelihood: f64,
}

fn check_distribution<const R: usize>(
    p: &SVector<f64, R>,
    reason: &'static str,
) -> Result<(), FilterError> {
    let ok = p.iter().all(|v| v.is_finite() && *v >= 0.0) && (p.sum() - 1.0).abs() < 1e-9;
    if ok {
        Ok(())
    } else {
        Err(FilterError::InvalidModeProbabilities { reason })
    }
}

/// Moment-matched single Gaussian of a mixture `Σ wᵢ N(xᵢ, Pᵢ)` (weights summing to 1).
fn moment_match<const N: usize, const R: usize>(
    weights: &SVector<f64, R>,
    states: &[GaussianStateN<N>; R],
    time: SimTime,
) -> GaussianStateN<N> {
    let mut x = SVector::<f64, N>::zeros();
    for (w, s) in weights.iter().zip(states) {
        x += s.x * *w;
    }
    let mut p = SMatrix::<f64, N, N>::zeros();
    for (w, s) in weights.iter().zip(states) {
        let d = s.x - x;
        p += (s.p + d * d.transpose()) * *w;
    }
    GaussianStateN {
        time,
        x,
        p: symmetrise(&p),
    }
}

impl<const N: usize, const R: usize> ImmState<N, R> {
    /// Every mode starting from `initial`, with mode probabilities `probabilities`.
    pub fn new(
        initial: GaussianStateN<N>,
        probabilities: SVector<f64, R>,
    ) -> Result<Self, FilterError> {
        check_distribution(
            &probabilities,
            "initial probabilities must be ≥ 0 and sum to 1",
        )?;
        Ok(ImmState {
            time: initial.time,
            modes: [initial; R],
            probabilities,
        })
    }

    /// The combined (moment-matched) estimate `Σ μⱼ N(xⱼ, Pⱼ)` → one Gaussian.
    pub fn combined(&self) -> GaussianStateN<N> {
        moment_match(&self.probabilities, &self.modes, self.time)
    }
}

impl<const N: usize, const R: usize, T, F> Imm<N, R, T, F>
where
    T: TransitionModel<N>,
    F: GaussianFilter<N>,
{
    /// An IMM with these modes and mode transition matrix (`πᵢⱼ ≥ 0`, rows summing to 1).
    pub fn new(
        modes: [ImmMode<T, F>; R],
        transition: SMatrix<f64, R, R>,
    ) -> Result<Self, FilterError> {
        for i in 0..R {
            check_distribution(
                &transition.row(i).transpose(),
                "each transition matrix row must be ≥ 0 and sum to 1",
            )?;
        }
        Ok(Imm { modes, transition })
    }

    /// The modes.
    pub fn modes(&self) -> &[ImmMode<T, F>; R] {
        &self.modes
    }

    /// The mode transition matrix `π`.
    pub fn transition(&self) -> &SMatrix<f64, R, R> {
        &self.transition
    }

    /// Mixing and mode-matched prediction to `time` (steps 1–2).
    pub fn predict(
        &self,
        state: &ImmState<N, R>,
        time: SimTime,
    ) -> Result<ImmState<N, R>, FilterError> {
        let mu = &state.probabilities;
        let c_bar: SVector<f64, R> = self.transition.transpose() * mu;
        let mut modes = state.modes;
        for (j, (mode, out)) in self.modes.iter().zip(modes.iter_mut()).enumerate() {
            // A mode nobody can reach keeps its own estimate (its probability is 0 anyway).
            let mixed = if c_bar[j] > 0.0 {
                let w =
                    SVector::<f64, R>::from_fn(|i, _| self.transition[(i, j)] * mu[i] / c_bar[j]);
                moment_match(&w, &state.modes, state.time)
            } else {
                state.modes[j]
            };
            *out = mode.filter.predict(&mode.model, &mixed, time)?;
        }
        let total = c_bar.sum();
        Ok(ImmState {
            time,
            modes,
            probabilities: c_bar / total,
        })
    }

    /// Mode-matched updates and the mode-probability update (steps 3–4) of a predicted state
    /// (from [`Imm::predict`]) with one measurement.
    pub fn update<H, const M: usize>(
        &self,
        model: &H,
        predicted: &ImmState<N, R>,
        measurement: &MeasurementN<M>,
    ) -> Result<ImmUpdate<N, R, M>, FilterError>
    where
        H: MeasurementModel<N, M> + ?Sized,
    {
        let mut modes = predicted.modes;
        let mut innovations = [InnovationN {
            nu: SVector::<f64, M>::zeros(),
            s: SMatrix::<f64, M, M>::zeros(),
            mahalanobis2: 0.0,
            ln_det_s: 0.0,
        }; R];
        let mut ln_w = SVector::<f64, R>::zeros();
        for j in 0..R {
            let post = self.modes[j]
                .filter
                .update(model, &predicted.modes[j], measurement)?;
            modes[j] = post.state;
            innovations[j] = post.innovation;
            ln_w[j] = post.innovation.ln_likelihood() + predicted.probabilities[j].ln();
        }
        let vanished = FilterError::ModeLikelihoodsVanished {
            time: measurement.time,
        };
        let max = ln_w.max();
        if !max.is_finite() {
            return Err(vanished);
        }
        let w = ln_w.map(|v| (v - max).exp());
        let sum = w.sum();
        if !(sum.is_finite() && sum > 0.0) {
            return Err(vanished);
        }
        Ok(ImmUpdate {
            state: ImmState {
                time: measurement.time,
                modes,
                probabilities: w / sum,
            },
            innovations,
            ln_likelihood: max + sum.ln(),
        })
    }

    /// The innovation of `measurement` against the combined prediction, computed with the
    /// first mode's filter; for gating, where one ellipsoid per track is wanted.
    pub fn innovation<H, const M: usize>(
        &self,
        model: &H,
        predicted: &ImmState<N, R>,
        measurement: &MeasurementN<M>,
    ) -> Result<InnovationN<M>, FilterError>
    where
        H: MeasurementModel<N, M> + ?Sized,
    {
        self.modes[0]
            .filter
            .innovation(model, &predicted.combined(), measurement)
    }
}
