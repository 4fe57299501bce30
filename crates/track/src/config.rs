//! Tracker configuration.
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
