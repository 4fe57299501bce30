//! Radar horizon and line of sight over a smooth 4/3-effective-radius earth.
//!
//! Standard atmospheric refraction bends radar rays downwards; with a refractivity gradient of
//! about −39 N-units/km the ray curvature is a quarter of the Earth's, and the geometry is the
//! same as straight rays over a sphere of radius `k R` with `k = 4/3`. This module models the
//! earth as that smooth sphere: no terrain, no ducting, no dependence on frequency or weather.

use geographiclib_rs::{Geodesic, InverseGeodesic};

use crate::ellipsoid::Geodetic;

/// Effective earth radius factor `k` of the standard atmosphere.
///
/// Source: B. R. Bean and E. J. Dutton, *Radio Meteorology*, NBS Monograph 92 (1966), §1.3;
/// ITU-R Recommendation P.834, "Effects of tropospheric refraction on radiowave propagation"
/// (median `k` ≈ 4/3 for a refractivity gradient of −39 N-units/km). Valid for rays in the
/// lower troposphere; not for ducting conditions.
pub const EFFECTIVE_EARTH_FACTOR: f64 = 4.0 / 3.0;

/// Mean radius of the Earth `R₁ = (2a + b)/3`, metres.
///
/// Source: IUGG mean radius of the GRS 80 ellipsoid, H. Moritz (2000), "Geodetic Reference
/// System 1980", *Journal of Geodesy* 74:128–133 (R₁ = 6 371 008.7714 m), rounded to 0.1 m; the
/// WGS-84 value differs by less than 1 mm.
pub const MEAN_EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Radius of the effective (4/3) earth `k R`, metres.
pub const EFFECTIVE_EARTH_RADIUS_M: f64 = EFFECTIVE_EARTH_FACTOR * MEAN_EARTH_RADIUS_M;

/// Radar horizon: the longest straight-line distance at which an antenna at height `h1_m` can
/// see a target at height `h2_m` over a smooth 4/3 earth, metres.
///
/// Exact form: `√((kR + h₁)² − (kR)²) + √((kR + h₂)² − (kR)²)`, the sum of the two tangent
/// lengths to the effective sphere. For small heights it is ≈ `√(2kRh₁) + √(2kRh₂)`.
///
/// Negative heights (and NaN) are clamped to 0: a point below the smooth sphere has no tangent,
/// and clamping treats a site below the ellipsoid (e.g. the Dead Sea shore, −430 m) as standing
/// on it.
///
/// This is a distance along the tangent rays, not along the ground. The ground (arc) distance to
/// the horizon, `kR (acos(kR/(kR + h₁)) + acos(kR/(kR + h₂)))`, is shorter by about
/// `kR (α₁³ + α₂³)/3` with `αᵢ ≈ √(2hᵢ/(kR))`: a few centimetres for mast heights, about
/// 40 m for a 3 km altitude target. [`line_of_sight_4_3`] uses the exact ground-arc boundary.
///
/// ```
/// // A 30 m target seen from a 24 m mast: about 20.2 km + 22.6 km.
/// let d = iadsim_geo::radar_horizon_m(24.0, 30.0);
/// assert!((d - 42_770.0).abs() < 100.0);
/// ```
pub fn radar_horizon_m(h1_m: f64, h2_m: f64) -> f64 {
    tangent_length_m(h1_m) + tangent_length_m(h2_m)
}

pub(crate) fn clamp_height(h_m: f64) -> f64 {
    // f64::max returns the non-NaN argument, so NaN clamps to 0 as well.
    h_m.max(0.0)
}

fn tangent_length_m(h_m: f64) -> f64 {
    let h = clamp_height(h_m);
    // (kR + h)² − (kR)² = h (2kR + h), which avoids cancelling two ~7e13 numbers.
    (h * (2.0 * EFFECTIVE_EARTH_RADIUS_M + h)).sqrt()
}

/// Ground distance between the points along the WGS-84 geodesic, metres, or NaN for invalid
/// positions.
fn ground_distance_m(a: &Geodetic, b: &Geodetic) -> f64 {
    let valid = |p: &Geodetic| p.lat_deg().abs() <= 90.0 && p.lon_rad.is_finite();
    if !(valid(a) && valid(b)) {
        return f64::NAN;
    }
    Geodesic::wgs84().inverse(a.lat_deg(), a.lon_deg(), b.lat_deg(), b.lon_deg())
}

/// Whether the straight ray between `a` and `b` clears a smooth earth of radius `kR`.
///
/// The two points are placed on the effective sphere at radii `kR + h` (heights above the
/// ellipsoid, negative heights clamped to 0 as in [`radar_horizon_m`]) and angular separation
/// `θ = d/(kR)`, where `d` is the WGS-84 geodesic distance between them. The ray clears the
/// earth when the closest point of the segment to the sphere's centre is at least `kR` from it.
/// This is exact for the spherical model; grazing rays (closest point exactly `kR`) count as
/// clear. Invalid positions (latitude outside ±90°, non-finite values) give `false`.
///
/// ```
/// use iadsim_geo::{line_of_sight_4_3, Geodetic};
/// let radar = Geodetic::from_degrees(33.0, 44.0, 24.0);
/// let near = Geodetic::from_degrees(33.0, 44.2, 30.0); // ≈ 18.7 km east
/// let far = Geodetic::from_degrees(33.0, 44.6, 30.0); // ≈ 56 km east
/// assert!(line_of_sight_4_3(&radar, &near));
/// assert!(!line_of_sight_4_3(&radar, &far));
/// ```
pub fn line_of_sight_4_3(a: &Geodetic, b: &Geodetic) -> bool {
    let d = ground_distance_m(a, b);
    if !d.is_finite() || !a.alt_m.is_finite() || !b.alt_m.is_finite() {
        return false;
    }
    smooth_earth_clear(d, a.alt_m, b.alt_m)
}

/// The smooth-sphere test of [`line_of_sight_4_3`] for points `d_m` apart along the ground at
/// heights `h1_m`, `h2_m` (clamped to 0). Shared with the terrain module so that both use one
/// definition of the smooth horizon.
pub(crate) fn smooth_earth_clear(d_m: f64, h1_m: f64, h2_m: f64) -> bool {
    let (sin_t, cos_t) = (d_m / EFFECTIVE_EARTH_RADIUS_M).sin_cos();
    smooth_earth_clear_sin_cos(sin_t, cos_t, h1_m, h2_m)
}

/// [`smooth_earth_clear`] given the sine and cosine of the angle `θ = d/(kR)` between the
/// points, for callers that need them anyway.
#[inline]
pub(crate) fn smooth_earth_clear_sin_cos(sin_t: f64, cos_t: f64, h1_m: f64, h2_m: f64) -> bool {
    let kr = EFFECTIVE_EARTH_RADIUS_M;
    let r1 = kr + clamp_height(h1_m);
    let r2 = kr + clamp_height(h2_m);
    // In the plane of the great circle: P1 = (r1, 0), P2 = r2 (cos θ, sin θ).
    let p1 = (r1, 0.0);
    let p2 = (r2 * cos_t, r2 * sin_t);
    let seg = (p2.0 - p1.0, p2.1 - p1.1);
    let seg_len2 = seg.0 * seg.0 + seg.1 * seg.1;
    let t = if seg_len2 > 0.0 {
        (-(p1.0 * seg.0 + p1.1 * seg.1) / seg_len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let closest = (p1.0 + t * seg.0, p1.1 + t * seg.1);
    closest.0.hypot(closest.1) >= kr
}

/// Apparent elevation angle of `to` as seen from `from` in the 4/3-earth model, radians
/// (positive above the local horizontal at `from`).
///
/// Both points are placed on the effective sphere as in [`line_of_sight_4_3`] (radii `kR + h`,
/// angular separation `θ = d/(kR)`, but heights are not clamped here) and the elevation is
/// `atan2(r₂ cos θ − r₁, r₂ sin θ)`. This is the elevation a radar measures after standard
/// refraction, to the accuracy of the 4/3-earth model. Returns NaN for invalid positions.
///
/// ```
/// use iadsim_geo::{elevation_angle_4_3_rad, Geodetic};
/// let radar = Geodetic::from_degrees(33.0, 44.0, 0.0);
/// let overhead = Geodetic::from_degrees(33.0, 44.0, 10_000.0);
/// assert!((elevation_angle_4_3_rad(&radar, &overhead) - std::f64::consts::FRAC_PI_2).abs() < 1e-12);
/// ```
pub fn elevation_angle_4_3_rad(from: &Geodetic, to: &Geodetic) -> f64 {
    let kr = EFFECTIVE_EARTH_RADIUS_M;
    let theta = ground_distance_m(from, to) / kr;
    let r1 = kr + from.alt_m;
    let r2 = kr + to.alt_m;
    (r2 * theta.cos() - r1).atan2(r2 * theta.sin())
}
