//! The interceptor crate's error vocabulary.
use thiserror::Error;

/// Why an interceptor model could not be built or launched.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum InterceptorError {
    /// A parameter that must be a finite number > 0 was not.
    #[error("`{field}` must be finite and > 0, got {value}")]
    NotPositive {
        /// The field name, as in [`crate::Kinematics`].
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A parameter that must be a finite number ≥ 0 was not.
    #[error("`{field}` must be finite and >= 0, got {value}")]
    Negative {
        /// The field name, as in [`crate::Kinematics`].
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// `coast_decay_s` must be > 0; it may be `+inf` (constant speed after boost).
    #[error("`coast_decay_s` must be > 0 (or +inf for constant speed), got {value}")]
    CoastDecay {
        /// The offending value.
        value: f64,
    },
    /// The launch speed exceeds the maximum speed.
    #[error("launch speed {launch_speed_mps} m/s exceeds max speed {max_speed_mps} m/s")]
    LaunchFasterThanMax {
        /// `launch_speed_mps`.
        launch_speed_mps: f64,
        /// `max_speed_mps`.
        max_speed_mps: f64,
    },
    /// The published maximum range is shorter than the distance flown during boost, so no coast
    /// decay constant can make the missile stop being useful exactly at that range.
    #[error("max range {max_range_m} m is not beyond the boost distance {boost_distance_m} m")]
    RangeWithinBoost {
        /// The requested maximum range.
        max_range_m: f64,
        /// Distance flown by the end of boost.
        boost_distance_m: f64,
    },
    /// The launch direction has no direction (zero, or not finite).
    #[error("launch direction [{x}, {y}, {z}] is zero or not finite")]
    BadLaunchDirection {
        /// x component.
        x: f64,
        /// y component.
        y: f64,
        /// z component.
        z: f64,
    },
    /// The launch position is not finite.
    #[error("launch position is not finite")]
    BadLaunchPosition,
}
