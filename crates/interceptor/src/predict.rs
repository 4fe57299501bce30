//! Straight-line intercept prediction (where to point the launcher, and whether it can reach).
use crate::Kinematics;
use nalgebra::Vector3;

/// Smallest step of the root scan, s. A grazing intercept whose reachable window is shorter than
/// this can be missed; such a window is tactically useless anyway.
const MIN_SCAN_STEP_S: f64 = 0.01;
/// Bisection stops when the bracket is this narrow, s.
const TIME_TOLERANCE_S: f64 = 1e-9;

/// A predicted straight-line intercept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InterceptPrediction {
    /// Time from launch to intercept, s.
    pub time_to_go_s: f64,
    /// Intercept point, ECEF, m.
    pub point_ecef_m: Vector3<f64>,
    /// Unit vector from the launcher to the intercept point, ECEF: the launch direction.
    pub launch_direction_unit: Vector3<f64>,
    /// Interceptor speed at the intercept, m/s.
    pub interceptor_speed_mps: f64,
}

/// The earliest `t ≤ kin.max_flight_time_s` at which an interceptor flying a straight line from
/// `launch_pos` meets a constant-velocity target, i.e. `|target(t) − launch_pos| = distance_flown(t)`;
/// `None` if there is none.
///
/// Method: `f(t) = |target(t) − launch_pos| − distance_flown(t)` starts positive and changes at a
/// rate no faster than `L = |target_vel| + max_speed`, so stepping by `max(f/L, 0.01 s)` cannot
/// step over a root (except a grazing window narrower than 0.01 s); the first sign change is then
/// bisected to 1 ns. The steps shrink geometrically only close to a root, so a typical call costs
/// a few dozen evaluations.
pub fn predict_intercept(
    launch_pos: &Vector3<f64>,
    target_pos: &Vector3<f64>,
    target_vel: &Vector3<f64>,
    kin: &Kinematics,
) -> Option<InterceptPrediction> {
    let f = |t: f64| (target_pos + target_vel * t - launch_pos).norm() - kin.distance_flown(t);
    let lipschitz = target_vel.norm() + kin.max_speed_mps.max(kin.launch_speed_mps);
    let t_max = kin.max_flight_time_s;
    if !(lipschitz.is_finite() && t_max.is_finite()) {
        return None;
    }

    let mut t = 0.0;
    let mut ft = f(t);
    if !ft.is_finite() {
        return None;
    }
    let t_hit = if ft <= 0.0 {
        0.0
    } else {
        loop {
            if t >= t_max {
                return None;
            }
            let t_next = (t + (ft / lipschitz).max(MIN_SCAN_STEP_S)).min(t_max);
            let f_next = f(t_next);
            if f_next <= 0.0 {
                let (mut lo, mut hi) = (t, t_next);
                while hi - lo > TIME_TOLERANCE_S {
                    let mid = 0.5 * (lo + hi);
                    if f(mid) > 0.0 {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                break hi;
            }
            t = t_next;
            ft = f_next;
        }
    };
    let point = target_pos + target_vel * t_hit;
    let to_point = point - launch_pos;
    let n = to_point.norm();
    let launch_direction_unit = if n > 0.0 {
        to_point / n
    } else {
        Vector3::zeros()
    };
    Some(InterceptPrediction {
        time_to_go_s: t_hit,
        point_ecef_m: point,
        launch_direction_unit,
        interceptor_speed_mps: kin.speed_at(t_hit),
    })
}
