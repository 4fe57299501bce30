//! The physics crate's error vocabulary.
use iadsim_geo::GeoError;
use thiserror::Error;

/// Why a physics model could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum PhysicsError {
    /// A route needs at least two waypoints.
    #[error("a route needs at least 2 waypoints, got {count}")]
    TooFewWaypoints {
        /// Number of waypoints given.
        count: usize,
    },
    /// The speed must be finite and > 0.
    #[error("route speed must be finite and > 0, got {speed_mps} m/s")]
    InvalidSpeed {
        /// The speed given, m/s.
        speed_mps: f64,
    },
    /// A waypoint altitude is NaN or infinite.
    #[error("waypoint {waypoint} altitude is {alt_m} m, but it must be finite")]
    NonFiniteAltitude {
        /// Index of the waypoint.
        waypoint: usize,
        /// The altitude given, m.
        alt_m: f64,
    },
    /// Two consecutive waypoints coincide (ground distance and climb both below 1 mm).
    #[error("leg {leg} has zero length (ground {ground_m} m, climb {climb_m} m)")]
    ZeroLengthLeg {
        /// Index of the leg (leg `i` runs from waypoint `i` to `i + 1`).
        leg: usize,
        /// Geodesic ground distance, m.
        ground_m: f64,
        /// Altitude change, m.
        climb_m: f64,
    },
    /// Two consecutive waypoints are on the same vertical (ground distance below 1 mm) but at
    /// different altitudes: a route cannot climb vertically.
    #[error("leg {leg} is vertical (ground {ground_m} m, climb {climb_m} m)")]
    VerticalLeg {
        /// Index of the leg.
        leg: usize,
        /// Geodesic ground distance, m.
        ground_m: f64,
        /// Altitude change, m.
        climb_m: f64,
    },
    /// The geodesic computation refused a waypoint (latitude out of range, not finite).
    #[error("leg {leg}: {source}")]
    Geodesic {
        /// Index of the leg.
        leg: usize,
        /// The underlying error.
        source: GeoError,
    },
}
