//! Angle arithmetic shared by the stages that compare bearings (sensor sectors, tracker
//! innovations).
use std::f64::consts::{PI, TAU};

/// `a` (radians) wrapped into `[−π, π)`: the signed difference of two bearings, whatever their
/// branch.
///
/// ```
/// use iadsim_core::angle::wrap_pi;
/// let d = wrap_pi(350f64.to_radians() - 10f64.to_radians());
/// assert!((d.to_degrees() + 20.0).abs() < 1e-12);
/// ```
pub fn wrap_pi(a: f64) -> f64 {
    (a + PI).rem_euclid(TAU) - PI
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_into_the_half_open_interval() {
        assert_eq!(wrap_pi(PI), -PI);
        assert_eq!(wrap_pi(-PI), -PI);
        assert_eq!(wrap_pi(0.0), 0.0);
        assert!((wrap_pi(3.0 * PI + 0.5) - (-PI + 0.5)).abs() < 1e-12);
        assert!((wrap_pi(-0.25) + 0.25).abs() < 1e-15);
    }
}
