//! Tracker configuration.
use crate::lifecycle::VelocityStart;
use crate::TrackError;
use serde::{Deserialize, Serialize};

/// How measurements are associated with tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AssociationMethod {
    /// Global nearest neighbour: one optimal assignment per scan.
    #[default]
    Gnn,
    /// Joint probabilistic data association: each track is updated with all its gated
    /// measurements, weighted by their marginal association probabilities.
    Jpda,
}

/// Parameters of the [`crate::Tracker`], as written in a scenario file. Every field has a
/// default; unknown fields are an error. Check with [`TrackerConfig::validate`] (the tracker's
/// constructor does).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrackerConfig {
    /// Acceleration noise power spectral density of the constant-velocity model, m²/s³ per axis.
    pub q_m2ps3: f64,
    /// Probability that a target's own measurement passes the gate, in (0, 1).
    pub gate_probability: f64,
    /// Hits needed for confirmation (M of M-of-N).
    pub m: u32,
    /// Confirmation window, update opportunities (N of M-of-N), 1 to 64.
    pub n: u32,
    /// Consecutive misses that delete a tentative track.
    pub max_misses_tentative: u32,
    /// Consecutive misses that delete a confirmed track.
    pub max_misses_confirmed: u32,
    /// One-sigma velocity uncertainty of a track started from a single plot, m/s per axis.
    pub init_velocity_sigma_mps: f64,
    /// How a one-plot track takes its second plot.
    pub velocity_start: VelocityStart,
    /// Trace of the position covariance above which a track is deleted, m².
    pub max_position_variance_m2: f64,
    /// A tentative track without a plot for this long is deleted, s.
    pub max_coast_tentative_s: f64,
    /// Association method.
    pub association: AssociationMethod,
    /// Probability of detection assumed by JPDA, (0, 1].
    pub detection_probability: f64,
    /// Clutter density assumed by JPDA, false alarms per m³ per scan, > 0.
    pub clutter_density: f64,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig {
            q_m2ps3: 5.0,
            gate_probability: 0.9999,
            m: 2,
            n: 3,
            max_misses_tentative: 2,
            max_misses_confirmed: 4,
            init_velocity_sigma_mps: 400.0,
            velocity_start: VelocityStart::TwoPoint,
            max_position_variance_m2: 1e10,
            max_coast_tentative_s: 30.0,
            association: AssociationMethod::Gnn,
            detection_probability: 0.9,
            clutter_density: 1e-12,
        }
    }
}

fn invalid(field: &'static str, value: f64, allowed: impl Into<String>) -> TrackError {
    TrackError::InvalidConfig {
        field,
        value,
        allowed: allowed.into(),
    }
}

impl TrackerConfig {
    /// Check every field against its allowed range; the error names the first offending field,
    /// its value and the range.
    pub fn validate(&self) -> Result<(), TrackError> {
        if !(self.q_m2ps3.is_finite() && self.q_m2ps3 >= 0.0) {
            return Err(invalid("q_m2ps3", self.q_m2ps3, "finite and ≥ 0"));
        }
        if !(self.gate_probability > 0.0 && self.gate_probability < 1.0) {
            return Err(invalid(
                "gate_probability",
                self.gate_probability,
                "0 < gate_probability < 1",
            ));
        }
        if !(1..=64).contains(&self.n) {
            return Err(invalid("n", self.n.into(), "1 ≤ n ≤ 64"));
        }
        if !(1..=self.n).contains(&self.m) {
            return Err(invalid(
                "m",
                self.m.into(),
                format!("1 ≤ m ≤ n (n = {})", self.n),
            ));
        }
        if self.max_misses_tentative < 1 {
            return Err(invalid(
                "max_misses_tentative",
                self.max_misses_tentative.into(),
                "≥ 1",
            ));
        }
        if self.max_misses_confirmed < 1 {
            return Err(invalid(
                "max_misses_confirmed",
                self.max_misses_confirmed.into(),
                "≥ 1",
            ));
        }
        if !(self.init_velocity_sigma_mps.is_finite() && self.init_velocity_sigma_mps > 0.0) {
            return Err(invalid(
                "init_velocity_sigma_mps",
                self.init_velocity_sigma_mps,
                "finite and > 0",
            ));
        }
        // +∞ is allowed: it disables deletion on uncertainty.
        if !(self.detection_probability > 0.0 && self.detection_probability <= 1.0) {
            return Err(invalid(
                "detection_probability",
                self.detection_probability,
                "0 < detection_probability ≤ 1",
            ));
        }
        if !(self.clutter_density > 0.0 && self.clutter_density.is_finite()) {
            return Err(invalid(
                "clutter_density",
                self.clutter_density,
                "finite and > 0",
            ));
        }
        if self.association == AssociationMethod::Jpda
            && self.detection_probability * self.gate_probability >= 1.0
        {
            return Err(invalid(
                "detection_probability",
                self.detection_probability,
                "detection_probability × gate_probability < 1 for JPDA",
            ));
        }
        if self.max_coast_tentative_s.is_nan() || self.max_coast_tentative_s <= 0.0 {
            return Err(invalid(
                "max_coast_tentative_s",
                self.max_coast_tentative_s,
                "> 0 s",
            ));
        }
        if self.max_position_variance_m2.is_nan() || self.max_position_variance_m2 <= 0.0 {
            return Err(invalid(
                "max_position_variance_m2",
                self.max_position_variance_m2,
                "> 0",
            ));
        }
        Ok(())
    }
}

fn default_q() -> f64 {
    TrackerConfig::default().q_m2ps3
}
fn default_ca_q() -> f64 {
    1.0
}
fn default_init_acceleration_sigma() -> f64 {
    20.0
}
fn default_turn_rate_noise() -> f64 {
    1e-3
}
fn default_init_turn_rate_sigma() -> f64 {
    0.1
}
fn default_cv7_turn_rate_sigma() -> f64 {
    1e-3
}
fn default_singer_tau() -> f64 {
    20.0
}
fn default_singer_sigma() -> f64 {
    10.0
}
fn default_transition_diagonal() -> [f64; 2] {
    [0.95, 0.95]
}
fn default_initial_probabilities() -> [f64; 2] {
    [0.9, 0.1]
}

/// The straight-flight mode of the CV + CT IMM, [`crate::models::ConstantVelocity7`]
/// (`[motion.cv]`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImmCvConfig {
    /// White-noise acceleration intensity, m²/s³ per axis.
    #[serde(alias = "q_m2ps3")]
    pub q: f64,
    /// Standard deviation of the turn rate this mode asserts to be zero, rad/s (small, > 0).
    pub turn_rate_sigma_radps: f64,
}

impl Default for ImmCvConfig {
    fn default() -> Self {
        ImmCvConfig {
            q: default_q(),
            turn_rate_sigma_radps: default_cv7_turn_rate_sigma(),
        }
    }
}

/// The turning mode of the CV + CT IMM, [`crate::models::CoordinatedTurn`] (`[motion.ct]`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImmCtConfig {
    /// White-noise acceleration intensity, m²/s³ per axis.
    #[serde(alias = "q_m2ps3")]
    pub q: f64,
    /// Turn-rate noise intensity `q_ω`, rad²/s³.
    pub turn_rate_noise: f64,
}

impl Default for ImmCtConfig {
    fn default() -> Self {
        ImmCtConfig {
            q: default_q(),
            turn_rate_noise: default_turn_rate_noise(),
        }
    }
}

/// The motion model, `[motion]` with `model = "cv" | "ca" | "ct" | "singer" | "imm"` and that
/// model's parameters (every parameter has a default).
///
/// | model    | state | parameters                                                                  |
/// |----------|-------|-----------------------------------------------------------------------------|
/// | `cv`     | 6     | `q` (m²/s³)                                                                 |
/// | `ca`     | 9     | `q` (jerk, m²/s⁵), `init_acceleration_sigma_mps2`                           |
/// | `ct`     | 7     | `q` (m²/s³), `turn_rate_noise` (rad²/s³), `init_turn_rate_sigma_radps`      |
/// | `singer` | 9     | `tau_s`, `sigma_a_mps2`                                                     |
/// | `imm`    | 7     | `[motion.cv]`, `[motion.ct]`, `transition_diagonal`, `initial_probabilities`, `init_turn_rate_sigma_radps` |
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "lowercase", deny_unknown_fields)]
pub enum MotionConfig {
    /// Constant velocity, [`crate::ConstantVelocity`].
    Cv {
        /// White-noise acceleration intensity, m²/s³ per axis.
        #[serde(default = "default_q", alias = "q_m2ps3")]
        q: f64,
    },
    /// Constant acceleration, [`crate::models::ConstantAcceleration`].
    Ca {
        /// White-noise jerk intensity, m²/s⁵ per axis.
        #[serde(default = "default_ca_q", alias = "q_m2ps5")]
        q: f64,
        /// Prior standard deviation of the acceleration of a new track, m/s² per axis.
        #[serde(default = "default_init_acceleration_sigma")]
        init_acceleration_sigma_mps2: f64,
    },
    /// Coordinated turn with estimated turn rate, [`crate::models::CoordinatedTurn`].
    Ct {
        /// White-noise acceleration intensity, m²/s³ per axis.
        #[serde(default = "default_q", alias = "q_m2ps3")]
        q: f64,
        /// Turn-rate noise intensity `q_ω`, rad²/s³.
        #[serde(default = "default_turn_rate_noise")]
        turn_rate_noise: f64,
        /// Prior standard deviation of the turn rate of a new track, rad/s.
        #[serde(default = "default_init_turn_rate_sigma")]
        init_turn_rate_sigma_radps: f64,
    },
    /// Singer acceleration, [`crate::models::Singer`].
    Singer {
        /// Manoeuvre time constant `τ`, s.
        #[serde(default = "default_singer_tau")]
        tau_s: f64,
        /// Standard deviation of the target acceleration `σ_a`, m/s² per axis (also the prior
        /// acceleration uncertainty of a new track).
        #[serde(default = "default_singer_sigma")]
        sigma_a_mps2: f64,
    },
    /// The CV + CT interacting multiple model, [`crate::filter::imm`], on the 7-D turn state.
    Imm {
        /// The straight mode.
        #[serde(default)]
        cv: ImmCvConfig,
        /// The turning mode.
        #[serde(default)]
        ct: ImmCtConfig,
        /// `[π_cv→cv, π_ct→ct]`: probability of staying in each mode from one scan to the next;
        /// the rest goes to the other mode.
        #[serde(default = "default_transition_diagonal")]
        transition_diagonal: [f64; 2],
        /// `[μ_cv, μ_ct]` of a new track, summing to 1.
        #[serde(default = "default_initial_probabilities")]
        initial_probabilities: [f64; 2],
        /// Prior standard deviation of the turn rate of a new track, rad/s.
        #[serde(default = "default_init_turn_rate_sigma")]
        init_turn_rate_sigma_radps: f64,
    },
}

impl Default for MotionConfig {
    fn default() -> Self {
        MotionConfig::Cv { q: default_q() }
    }
}

fn check(field: &'static str, value: f64, ok: bool, allowed: &str) -> Result<(), TrackError> {
    if ok {
        Ok(())
    } else {
        Err(invalid(field, value, allowed))
    }
}

fn non_negative(field: &'static str, v: f64) -> Result<(), TrackError> {
    check(field, v, v.is_finite() && v >= 0.0, "finite and ≥ 0")
}

fn positive(field: &'static str, v: f64) -> Result<(), TrackError> {
    check(field, v, v.is_finite() && v > 0.0, "finite and > 0")
}

impl MotionConfig {
    /// Check every parameter; the error names the field as written in the file
    /// (`motion.q`, `motion.ct.turn_rate_noise`, …).
    pub fn validate(&self) -> Result<(), TrackError> {
        match *self {
            MotionConfig::Cv { q } => non_negative("motion.q", q),
            MotionConfig::Ca {
                q,
                init_acceleration_sigma_mps2,
            } => {
                non_negative("motion.q", q)?;
                positive(
                    "motion.init_acceleration_sigma_mps2",
                    init_acceleration_sigma_mps2,
                )
            }
            MotionConfig::Ct {
                q,
                turn_rate_noise,
                init_turn_rate_sigma_radps,
            } => {
                non_negative("motion.q", q)?;
                non_negative("motion.turn_rate_noise", turn_rate_noise)?;
                positive(
                    "motion.init_turn_rate_sigma_radps",
                    init_turn_rate_sigma_radps,
                )
            }
            MotionConfig::Singer {
                tau_s,
                sigma_a_mps2,
            } => {
                positive("motion.tau_s", tau_s)?;
                positive("motion.sigma_a_mps2", sigma_a_mps2)
            }
            MotionConfig::Imm {
                cv,
                ct,
                transition_diagonal,
                initial_probabilities,
                init_turn_rate_sigma_radps,
            } => {
                non_negative("motion.cv.q", cv.q)?;
                positive("motion.cv.turn_rate_sigma_radps", cv.turn_rate_sigma_radps)?;
                non_negative("motion.ct.q", ct.q)?;
                non_negative("motion.ct.turn_rate_noise", ct.turn_rate_noise)?;
                positive(
                    "motion.init_turn_rate_sigma_radps",
                    init_turn_rate_sigma_radps,
                )?;
                for d in transition_diagonal {
                    check(
                        "motion.transition_diagonal",
                        d,
                        (0.0..=1.0).contains(&d),
                        "each entry in [0, 1]",
                    )?;
                }
                for p in initial_probabilities {
                    check(
                        "motion.initial_probabilities",
                        p,
                        (0.0..=1.0).contains(&p),
                        "each entry in [0, 1]",
                    )?;
                }
                let sum = initial_probabilities[0] + initial_probabilities[1];
                check(
                    "motion.initial_probabilities",
                    sum,
                    (sum - 1.0).abs() < 1e-9,
                    "entries summing to 1",
                )
            }
        }
    }

    /// The white-noise acceleration intensity the two-point initiator assumes, m²/s³
    /// ([`TrackerConfig::q_m2ps3`]): `q` for CV and CT, the CV mode's `q` for the IMM;
    /// `2 σ_a² τ` for Singer (the intensity its acceleration approaches over steps ≫ τ, an
    /// overestimate for short steps); `σ_a0² × 1 s` for CA.
    pub fn initiator_q_m2ps3(&self) -> f64 {
        match *self {
            MotionConfig::Cv { q } | MotionConfig::Ct { q, .. } => q,
            MotionConfig::Ca {
                init_acceleration_sigma_mps2: s,
                ..
            } => s * s,
            MotionConfig::Singer {
                tau_s,
                sigma_a_mps2,
            } => 2.0 * sigma_a_mps2 * sigma_a_mps2 * tau_s,
            MotionConfig::Imm { cv, .. } => cv.q,
        }
    }
}

fn default_alpha() -> f64 {
    1.0
}
fn default_beta() -> f64 {
    2.0
}

/// The filter, `[filter]` with `kind = "kalman" | "ekf" | "ukf"` (default `kalman`).
///
/// `kalman` is the linear Kalman filter; for the models that are not linear-Gaussian in the
/// tracker's 6-D state (CA, Singer: 9-D; CT and IMM: nonlinear 7-D) it means the EKF, which
/// *is* the Kalman filter on a linear model. With `cv` every kind runs the linear Kalman
/// filter: the EKF and the UKF equal it on a linear model with Gaussian noise.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum FilterKind {
    /// Linear Kalman filter (EKF for CA, Singer, CT and IMM).
    #[default]
    Kalman,
    /// Extended Kalman filter, [`crate::filter::ExtendedKalman`].
    Ekf,
    /// Unscented Kalman filter, [`crate::filter::UnscentedKalman`].
    Ukf {
        /// Spread of the sigma points, `0 < α ≤ 1`.
        #[serde(default = "default_alpha")]
        alpha: f64,
        /// Prior knowledge of the distribution, 2 for a Gaussian.
        #[serde(default = "default_beta")]
        beta: f64,
        /// Secondary scaling; `n + κ` must be > 0 for the state dimension n.
        #[serde(default)]
        kappa: f64,
    },
}

impl FilterKind {
    /// Check the UKF parameters (the error names `filter.alpha`, …).
    pub fn validate(&self) -> Result<(), TrackError> {
        if let FilterKind::Ukf { alpha, beta, kappa } = *self {
            check(
                "filter.alpha",
                alpha,
                alpha > 0.0 && alpha <= 1.0,
                "0 < alpha ≤ 1",
            )?;
            check("filter.beta", beta, beta.is_finite(), "finite")?;
            // The smallest state dimension a UKF runs on is 7 (CT, IMM).
            check(
                "filter.kappa",
                kappa,
                kappa.is_finite() && 7.0 + kappa > 0.0,
                "finite and > −7 (n + κ > 0)",
            )?;
        }
        Ok(())
    }
}

/// `[measurement]`: how the caller describes its position measurements (the tracker itself
/// takes each measurement's own covariance).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeasurementSection {
    /// Position noise standard deviation per axis, m.
    pub sigma_m: f64,
}

impl Default for MeasurementSection {
    fn default() -> Self {
        MeasurementSection { sigma_m: 50.0 }
    }
}

/// `[detection]`: what JPDA assumes about the sensor.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetectionSection {
    /// Probability of detection, (0, 1].
    pub pd: f64,
    /// False alarms per unit measurement volume per scan (m⁻³ for 3-D positions; a caller
    /// with 2-D data converts its m⁻² value).
    pub clutter_density: f64,
}

impl Default for DetectionSection {
    fn default() -> Self {
        let d = TrackerConfig::default();
        DetectionSection {
            pd: d.detection_probability,
            clutter_density: d.clutter_density,
        }
    }
}

/// `[association]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AssociationSection {
    /// `gnn` or `jpda`.
    pub method: AssociationMethod,
    /// Probability that a target's own measurement passes the gate, (0, 1).
    pub gate_probability: f64,
}

impl Default for AssociationSection {
    fn default() -> Self {
        AssociationSection {
            method: AssociationMethod::Gnn,
            gate_probability: TrackerConfig::default().gate_probability,
        }
    }
}

/// `[initiation]`: M-of-N confirmation and the prior of a one-plot track.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InitiationSection {
    /// Hits needed for confirmation.
    pub m: u32,
    /// Confirmation window, update opportunities (1 to 64).
    pub n: u32,
    /// One-sigma velocity uncertainty of a track started from one plot, m/s per axis.
    pub init_velocity_sigma_mps: f64,
    /// `"two_point"` (default: two-point differencing) or `"update"` (a Kalman update of the
    /// one-plot track's prior, as Stone Soup's `MultiMeasurementInitiator`).
    pub velocity_start: VelocityStart,
}

impl Default for InitiationSection {
    fn default() -> Self {
        let d = TrackerConfig::default();
        InitiationSection {
            m: d.m,
            n: d.n,
            init_velocity_sigma_mps: d.init_velocity_sigma_mps,
            velocity_start: d.velocity_start,
        }
    }
}

/// `[deletion]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeletionSection {
    /// Consecutive misses that delete a confirmed track.
    pub max_misses: u32,
    /// Consecutive misses that delete a tentative track.
    pub max_misses_tentative: u32,
    /// Trace of the position covariance above which a track is deleted, m².
    pub max_position_variance_m2: f64,
    /// A tentative track without a plot for this long is deleted, s.
    pub max_coast_tentative_s: f64,
}

impl Default for DeletionSection {
    fn default() -> Self {
        let d = TrackerConfig::default();
        DeletionSection {
            max_misses: d.max_misses_confirmed,
            max_misses_tentative: d.max_misses_tentative,
            max_position_variance_m2: d.max_position_variance_m2,
            max_coast_tentative_s: d.max_coast_tentative_s,
        }
    }
}

/// A tracker configuration file (TRACKER.toml) as written: every section and field has a
/// default, unknown fields are an error. [`TrackerFileConfig::validate`] checks it and
/// [`crate::build_tracker`] turns it into a running tracker.
///
/// ```toml
/// [motion]
/// model = "imm"
/// transition_diagonal = [0.95, 0.95]
/// initial_probabilities = [0.9, 0.1]
/// [motion.cv]
/// q = 1.0
/// [motion.ct]
/// q = 1.0
/// turn_rate_noise = 1e-3
/// [filter]
/// kind = "ekf"
/// [measurement]
/// sigma_m = 50.0
/// [detection]
/// pd = 0.9
/// clutter_density = 1e-12
/// [association]
/// method = "jpda"
/// gate_probability = 0.9999
/// [initiation]
/// m = 2
/// n = 3
/// velocity_start = "two_point"
/// [deletion]
/// max_misses = 3
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrackerFileConfig {
    /// Motion model.
    pub motion: MotionConfig,
    /// Filter.
    pub filter: FilterKind,
    /// Measurement description.
    pub measurement: MeasurementSection,
    /// Detection assumptions (JPDA).
    pub detection: DetectionSection,
    /// Association.
    pub association: AssociationSection,
    /// Initiation and confirmation.
    pub initiation: InitiationSection,
    /// Deletion.
    pub deletion: DeletionSection,
}

/// The file's name of a [`TrackerConfig`] field.
fn file_field(field: &'static str) -> &'static str {
    match field {
        "q_m2ps3" => "motion.q",
        "gate_probability" => "association.gate_probability",
        "m" => "initiation.m",
        "n" => "initiation.n",
        "init_velocity_sigma_mps" => "initiation.init_velocity_sigma_mps",
        "max_misses_tentative" => "deletion.max_misses_tentative",
        "max_misses_confirmed" => "deletion.max_misses",
        "max_position_variance_m2" => "deletion.max_position_variance_m2",
        "max_coast_tentative_s" => "deletion.max_coast_tentative_s",
        "detection_probability" => "detection.pd",
        "clutter_density" => "detection.clutter_density",
        other => other,
    }
}

impl TrackerFileConfig {
    /// The [`TrackerConfig`] the file describes (not validated; see
    /// [`TrackerFileConfig::validate`]). `q_m2ps3` is the motion model's
    /// [`MotionConfig::initiator_q_m2ps3`].
    pub fn tracker_config(&self) -> TrackerConfig {
        TrackerConfig {
            q_m2ps3: self.motion.initiator_q_m2ps3(),
            gate_probability: self.association.gate_probability,
            m: self.initiation.m,
            n: self.initiation.n,
            max_misses_tentative: self.deletion.max_misses_tentative,
            max_misses_confirmed: self.deletion.max_misses,
            init_velocity_sigma_mps: self.initiation.init_velocity_sigma_mps,
            velocity_start: self.initiation.velocity_start,
            max_position_variance_m2: self.deletion.max_position_variance_m2,
            max_coast_tentative_s: self.deletion.max_coast_tentative_s,
            association: self.association.method,
            detection_probability: self.detection.pd,
            clutter_density: self.detection.clutter_density,
        }
    }

    /// Check every section; the error names the field as written in the file
    /// (`detection.pd`, `motion.tau_s`, `measurement.sigma_m`, …).
    pub fn validate(&self) -> Result<(), TrackError> {
        self.motion.validate()?;
        self.filter.validate()?;
        positive("measurement.sigma_m", self.measurement.sigma_m)?;
        self.tracker_config().validate().map_err(|e| match e {
            TrackError::InvalidConfig {
                field,
                value,
                allowed,
            } => TrackError::InvalidConfig {
                field: file_field(field),
                value,
                allowed,
            },
            other => other,
        })
    }
}
