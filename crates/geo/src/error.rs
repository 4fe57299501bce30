//! The crate's error type.

use thiserror::Error;

/// Why a geodesic computation refused its input.
///
/// Each variant names the condition and carries the offending value and the range that would
/// have been accepted, so a scenario diagnostic can be built from it without re-deriving either.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum GeoError {
    /// A latitude was finite but outside the closed interval `[min_deg, max_deg]`.
    #[error("latitude {lat_deg} deg is outside the allowed range [{min_deg}, {max_deg}] deg")]
    LatitudeOutOfRange {
        /// The latitude that was given, degrees.
        lat_deg: f64,
        /// Smallest accepted latitude, degrees (−90).
        min_deg: f64,
        /// Largest accepted latitude, degrees (+90).
        max_deg: f64,
    },
    /// An input was NaN or infinite; every input must be a finite number.
    #[error("{quantity} is {value}, but it must be a finite number")]
    NonFinite {
        /// Which input it was, with its unit (e.g. `"lon1_deg"`).
        quantity: &'static str,
        /// The value that was given (NaN or ±∞).
        value: f64,
    },
}
