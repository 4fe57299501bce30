//! The rotating WGS-84 earth as a flight model sees it: normal gravity and the Coriolis term.
//!
//! Equation of motion of a point mass in the Earth-fixed (ECEF, rotating) frame:
//!
//! ```text
//! r̈ = F/m + γ(φ, h) − 2 ω × ṙ
//! ```
//!
//! where `γ` is the WGS-84 **normal gravity** vector. Normal gravity is, by definition, the
//! gravity of the level ellipsoid *in the rotating frame*: the gravitational attraction plus the
//! centrifugal acceleration `−ω × (ω × r)` (NIMA TR8350.2, 3rd ed., §4.1: "the normal gravity …
//! includes the centrifugal force"). The centrifugal term is therefore inside `γ` and must not be
//! added again; only the Coriolis term `−2 ω × ṙ` is added. `γ` points along the inward
//! ellipsoid normal through the point, which is the direction of normal gravity to within
//! 1e-3 degree below 100 km (the plumb-line curvature of the normal field is neglected).
use iadsim_geo::{Geodetic, WGS84_A_M, WGS84_B_M, WGS84_E2, WGS84_F};
use nalgebra::Vector3;

/// WGS-84 angular velocity of the earth ω, rad/s (NIMA TR8350.2 table 3.1, defining parameter).
pub const EARTH_RATE_RAD_S: f64 = 7.292_115e-5;
/// WGS-84 geocentric gravitational constant GM (with the atmosphere), m³/s² (TR8350.2 table 3.1).
pub const WGS84_GM_M3_S2: f64 = 3.986_004_418e14;
/// WGS-84 normal gravity at the equator γₑ, m/s² (TR8350.2 table 3.4).
pub const GAMMA_EQUATOR_MPS2: f64 = 9.780_325_335_9;
/// Somigliana's constant `k = b γₚ / (a γₑ) − 1` (TR8350.2 table 3.4).
pub const SOMIGLIANA_K: f64 = 0.001_931_852_652_41;

/// `m = ω² a² b / GM` of the free-air series (TR8350.2 eq. 4-3; 0.00344978650684).
fn m_ratio() -> f64 {
    EARTH_RATE_RAD_S * EARTH_RATE_RAD_S * WGS84_A_M * WGS84_A_M * WGS84_B_M / WGS84_GM_M3_S2
}

/// Magnitude of WGS-84 normal gravity at geodetic latitude `lat_rad` and ellipsoidal height
/// `alt_m`, m/s².
///
/// Somigliana's closed formula on the ellipsoid (NIMA TR8350.2 eq. 4-1)
/// `γ₀ = γₑ (1 + k sin²φ) / √(1 − e² sin²φ)`, then the second-order free-air expansion in the
/// height (eq. 4-3)
/// `γ_h = γ₀ [1 − 2/a (1 + f + m − 2 f sin²φ) h + 3 h²/a²]`.
/// TR8350.2 recommends the expansion for heights up to about 20 km; its relative error against
/// the exact normal field stays below 1e-4 to 100 km, ample for a flyout (the missile's
/// altitude error would be of the order of a metre per 100 s of flight).
pub fn normal_gravity_mps2(lat_rad: f64, alt_m: f64) -> f64 {
    let s2 = lat_rad.sin().powi(2);
    let g0 = GAMMA_EQUATOR_MPS2 * (1.0 + SOMIGLIANA_K * s2) / (1.0 - WGS84_E2 * s2).sqrt();
    let a = WGS84_A_M;
    g0 * (1.0 - 2.0 / a * (1.0 + WGS84_F + m_ratio() - 2.0 * WGS84_F * s2) * alt_m
        + 3.0 * alt_m * alt_m / (a * a))
}

/// Normal gravity vector (gravitation + centrifugal) at a geodetic position, ECEF, m/s²:
/// `−γ(φ, h) · up`.
pub fn normal_gravity_ecef(geo: &Geodetic) -> Vector3<f64> {
    -normal_gravity_mps2(geo.lat_rad, geo.alt_m) * geo.up()
}

/// Coriolis acceleration `−2 ω × v` of a velocity `v` in ECEF (m/s), m/s².
pub fn coriolis_ecef(velocity_ecef_mps: &Vector3<f64>) -> Vector3<f64> {
    let w = Vector3::new(0.0, 0.0, EARTH_RATE_RAD_S);
    -2.0 * w.cross(velocity_ecef_mps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_gravity_matches_tr8350_values() {
        // TR8350.2 table 3.4: γₑ = 9.7803253359, γₚ = 9.8321849378 m/s².
        assert!((normal_gravity_mps2(0.0, 0.0) - 9.780_325_335_9).abs() < 1e-10);
        let gp = normal_gravity_mps2(std::f64::consts::FRAC_PI_2, 0.0);
        assert!((gp - 9.832_184_937_8).abs() < 1e-9, "{gp}");
        // m of eq. 4-3 (TR8350.2 table 3.3: 0.00344978650684).
        assert!((m_ratio() - 0.003_449_786_506_84).abs() < 1e-13);
        // Free-air gradient ≈ −3.086e-6 s⁻² at mid latitudes.
        let grad = (normal_gravity_mps2(0.8, 1000.0) - normal_gravity_mps2(0.8, 0.0)) / 1000.0;
        assert!((grad + 3.086e-6).abs() < 1e-8, "{grad}");
    }
}
