//! The one integration-test binary of iadsim-interceptor.
mod flight;
mod properties;
mod table;
mod zarchan;

use nalgebra::Vector3;

/// A point on the WGS-84 equator at sea level, ECEF, m: engagements are placed here so that the
/// arithmetic runs at realistic ECEF magnitudes (≈ 6.4e6 m).
pub fn origin() -> Vector3<f64> {
    Vector3::new(6_378_137.0, 0.0, 0.0)
}
