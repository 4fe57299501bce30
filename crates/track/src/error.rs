//! The crate's error type.
use iadsim_core::{SensorId, SimTime, TrackId};
use thiserror::Error;

/// Everything that can go wrong in `iadsim-track`. Numerical failures are reported here, never by a
/// panic, so that a Monte Carlo study can record a failed replication and carry on.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TrackError {
    /// A configuration value is outside its allowed range.
    #[error("invalid tracker configuration: `{field}` = {value}, allowed {allowed}")]
    InvalidConfig {
        /// Name of the field, as written in the configuration file.
        field: &'static str,
        /// The offending value.
        value: f64,
        /// The allowed range, for people.
        allowed: String,
    },
    /// The innovation covariance `S = H P Hᵀ + R` of a track and a measurement is not positive
    /// definite (Cholesky failed), so neither the gate nor the Kalman gain is defined.
    #[error("innovation covariance of track {track} at {time} is not positive definite")]
    InnovationNotPositiveDefinite {
        /// The track.
        track: TrackId,
        /// The time of the measurement.
        time: SimTime,
    },
    /// A track's filter failed numerically in another way than a non-positive-definite
    /// innovation covariance: a state covariance without a Cholesky factor (UKF), non-finite
    /// model output, or every IMM mode likelihood vanishing.
    #[error("filter of track {track} failed: {source}")]
    Filter {
        /// The track.
        track: TrackId,
        /// What failed.
        #[source]
        source: crate::filter::FilterError,
    },
    /// The data associator failed for a scan (JPDA rejects invalid parameters or likelihoods).
    #[error("data association failed for the scan at {time}")]
    Association {
        /// Time of the scan.
        time: SimTime,
        /// What failed.
        #[source]
        source: crate::association::AssociationError,
    },
    /// A scan is earlier than the previous one; out-of-sequence measurements are not supported.
    #[error("scan at {time} is earlier than the previous scan at {previous}")]
    ScanOutOfSequence {
        /// Time of the previous scan.
        previous: SimTime,
        /// Time of the rejected scan.
        time: SimTime,
    },
    /// A measurement's time or sensor differs from the scan it was passed in.
    #[error(
        "measurement {index} ({sensor} at {time}) does not belong to the scan of {scan_sensor} at {scan_time}"
    )]
    MeasurementNotInScan {
        /// Index of the measurement in the scan.
        index: usize,
        /// Its sensor.
        sensor: SensorId,
        /// Its time.
        time: SimTime,
        /// The scan's sensor.
        scan_sensor: SensorId,
        /// The scan's time.
        scan_time: SimTime,
    },
    /// A measurement has a non-finite position or a covariance that is not symmetric positive
    /// definite.
    #[error("measurement {index} of the scan at {time} is invalid: {reason}")]
    InvalidMeasurement {
        /// Index of the measurement in the scan.
        index: usize,
        /// The scan's time.
        time: SimTime,
        /// What is wrong with it.
        reason: &'static str,
    },
}
