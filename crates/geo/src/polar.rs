//! Range, azimuth and elevation in a local ENU frame.

use std::f64::consts::TAU;

use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

use crate::enu::Enu;

/// Spherical coordinates of a point in a local East-North-Up frame, as a radar reports them
/// (geometric, without refraction).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Polar {
    /// Straight-line (slant) range from the frame origin, metres, ≥ 0.
    pub range_m: f64,
    /// Azimuth, radians, clockwise from north (north 0, east π/2), in `[0, 2π)`.
    pub azimuth_rad: f64,
    /// Elevation above the local horizontal plane, radians, in `[−π/2, π/2]`.
    pub elevation_rad: f64,
}

/// Converts an ENU position to range, azimuth and elevation.
///
/// At the origin (range 0) the angles are 0; straight up or down the azimuth is 0.
///
/// ```
/// use iadsim_geo::{enu_to_polar, Enu};
/// use nalgebra::Vector3;
/// let p = enu_to_polar(&Enu(Vector3::new(1000.0, 0.0, 1000.0)));
/// assert!((p.azimuth_rad - std::f64::consts::FRAC_PI_2).abs() < 1e-12); // due east
/// assert!((p.elevation_rad - std::f64::consts::FRAC_PI_4).abs() < 1e-12);
/// ```
pub fn enu_to_polar(p: &Enu) -> Polar {
    let (e, n, u) = (p.0.x, p.0.y, p.0.z);
    let horizontal = e.hypot(n);
    let mut azimuth_rad = e.atan2(n).rem_euclid(TAU);
    // rem_euclid of a tiny negative angle rounds to exactly 2π, which is outside [0, 2π).
    if azimuth_rad >= TAU {
        azimuth_rad = 0.0;
    }
    Polar {
        range_m: p.0.norm(),
        azimuth_rad,
        elevation_rad: u.atan2(horizontal),
    }
}

/// Converts range, azimuth (clockwise from north) and elevation to an ENU position.
pub fn polar_to_enu(p: &Polar) -> Enu {
    let (sin_el, cos_el) = p.elevation_rad.sin_cos();
    let (sin_az, cos_az) = p.azimuth_rad.sin_cos();
    Enu(Vector3::new(
        p.range_m * cos_el * sin_az,
        p.range_m * cos_el * cos_az,
        p.range_m * sin_el,
    ))
}
