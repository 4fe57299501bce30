//! Closest point of approach within one integration step.
use nalgebra::Vector3;

/// Closest point of approach of two objects moving linearly over one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cpa {
    /// Where in the step the separation is smallest, in `[0, 1]` (0 = start, 1 = end).
    pub fraction: f64,
    /// The smallest separation, m.
    pub miss_distance_m: f64,
}

/// Closest approach of `p` (moving `p0 → p1`) and `q` (moving `q0 → q1`) over one step, both
/// linearly in time. With `r(s) = (q0 − p0) + s·((q1 − q0) − (p1 − p0))`, the minimum of `|r(s)|`
/// over `s ∈ [0, 1]` is at `s* = clamp(−r0·d / |d|², 0, 1)`.
pub fn closest_point_of_approach(
    p0: &Vector3<f64>,
    p1: &Vector3<f64>,
    q0: &Vector3<f64>,
    q1: &Vector3<f64>,
) -> Cpa {
    let r0 = q0 - p0;
    let d = (q1 - q0) - (p1 - p0);
    let dd = d.norm_squared();
    let fraction = if dd > 0.0 {
        (-r0.dot(&d) / dd).clamp(0.0, 1.0)
    } else {
        0.0
    };
    Cpa {
        fraction,
        miss_distance_m: (r0 + d * fraction).norm(),
    }
}

/// The closest approach if it lies inside this step, i.e. the range rate changes sign from closing
/// (at the start) to not closing (at the end): `r0·d < 0 ≤ r1·d`. Then `fraction ∈ (0, 1]`.
///
/// This is how the engine declares an intercept: each step, test the interceptor's and the target's
/// straight segments; the first step for which this returns `Some` holds the closest approach, and
/// its `miss_distance_m` does not depend on the step size (unlike the distance at the step ends).
/// A CPA that falls exactly on a step boundary is reported by the step that ends there, never twice.
pub fn passes_cpa_within_step(
    p0: &Vector3<f64>,
    p1: &Vector3<f64>,
    q0: &Vector3<f64>,
    q1: &Vector3<f64>,
) -> Option<Cpa> {
    let r0 = q0 - p0;
    let r1 = q1 - p1;
    let d = r1 - r0;
    if r0.dot(&d) < 0.0 && r1.dot(&d) >= 0.0 {
        Some(closest_point_of_approach(p0, p1, q0, q1))
    } else {
        None
    }
}
