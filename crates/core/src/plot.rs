//! Data that crosses stage boundaries: plots (sensor → tracker) and track reports (tracker → C2).
use crate::{SensorId, SimTime, TrackId};
use serde::{Deserialize, Serialize};

/// A polar measurement in the sensor's local East-North-Up frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PolarMeasurement {
    /// Slant range from the antenna phase centre, m.
    pub range_m: f64,
    /// Azimuth clockwise from true north, rad, in [0, 2π).
    pub azimuth_rad: f64,
    /// Elevation above the local horizontal plane, rad.
    pub elevation_rad: f64,
    /// Radial velocity (range rate, positive opening), m/s, when the radar measures Doppler.
    pub range_rate_mps: Option<f64>,
}

/// One-sigma measurement noise of a [`PolarMeasurement`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PolarSigma {
    /// Range noise, m.
    pub range_m: f64,
    /// Azimuth noise, rad.
    pub azimuth_rad: f64,
    /// Elevation noise, rad.
    pub elevation_rad: f64,
    /// Range-rate noise, m/s (meaningless when no range rate is measured).
    pub range_rate_mps: f64,
}

/// A detection reported by a radar. It describes itself: where the sensor was (so the tracker can
/// convert it to a common frame) and how noisy it is, so that fusing several radars needs no
/// special cases. It carries no truth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Plot {
    /// Reporting sensor.
    pub sensor: SensorId,
    /// Time of the measurement.
    pub time: SimTime,
    /// The measured values.
    pub measurement: PolarMeasurement,
    /// Their one-sigma noise.
    pub sigma: PolarSigma,
    /// Antenna position, ECEF, m.
    pub sensor_ecef_m: [f64; 3],
    /// Antenna geodetic latitude, rad (defines the sensor's ENU frame).
    pub sensor_lat_rad: f64,
    /// Antenna longitude, rad (defines the sensor's ENU frame).
    pub sensor_lon_rad: f64,
    /// Signal-to-noise ratio of the detection (linear power ratio).
    pub snr: f64,
}

/// Life-cycle state of a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackStatus {
    /// Initiated, not yet confirmed by M-of-N.
    Tentative,
    /// Confirmed: may be engaged.
    Confirmed,
}

/// What the tracker tells C2 about one track.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrackReport {
    /// Track number.
    pub id: TrackId,
    /// Time of the state estimate.
    pub time: SimTime,
    /// Estimated position, ECEF, m.
    pub position_ecef_m: [f64; 3],
    /// Estimated velocity, ECEF, m/s.
    pub velocity_ecef_mps: [f64; 3],
    /// Position covariance trace, m² (a scalar quality figure).
    pub position_variance_m2: f64,
    /// Life-cycle state.
    pub status: TrackStatus,
    /// Number of plots associated so far.
    pub hits: u32,
    /// Time of the last associated plot.
    pub last_update: SimTime,
}
