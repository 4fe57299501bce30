//! Guidance laws: the commanded acceleration from the relative geometry.
use nalgebra::Vector3;

/// Below this |r|, m, the line of sight is undefined and no command is given.
const MIN_RANGE_M: f64 = 1e-6;

/// True 3-D proportional navigation, the command perpendicular to the line of sight:
///
/// ```text
/// r = target − missile,  v_rel = v_target − v_missile
/// Ω = (r × v_rel) / |r|²          line-of-sight rate vector, rad/s
/// V_c = −(r · v_rel) / |r|         closing velocity, m/s
/// a_c = N' · V_c · (Ω × r/|r|)     m/s²
/// ```
///
/// Zarchan, *Tactical and Strategic Missile Guidance* (6th ed., AIAA 2012), ch. 2 (proportional
/// navigation, `n_c = N' V_c λ̇`), written in vector form. Returns zero when the range vanishes.
/// The command is **not** yet projected or limited; see [`lateral_command`].
pub fn true_pn_accel(
    missile_pos: &Vector3<f64>,
    missile_vel: &Vector3<f64>,
    target_pos: &Vector3<f64>,
    target_vel: &Vector3<f64>,
    nav_constant: f64,
) -> Vector3<f64> {
    let r = target_pos - missile_pos;
    let v_rel = target_vel - missile_vel;
    let r2 = r.norm_squared();
    let range = r2.sqrt();
    if range < MIN_RANGE_M {
        return Vector3::zeros();
    }
    let omega = r.cross(&v_rel) / r2;
    let closing = -r.dot(&v_rel) / range;
    nav_constant * closing * omega.cross(&(r / range))
}

/// The part of `accel` a point-mass interceptor can fly: its component perpendicular to the
/// velocity direction `dir_unit` (the speed follows the speed profile, not the command), with its
/// magnitude limited to `max_lateral_accel_mps2`. Returns `(command, was_limited)`.
pub fn lateral_command(
    accel: &Vector3<f64>,
    dir_unit: &Vector3<f64>,
    max_lateral_accel_mps2: f64,
) -> (Vector3<f64>, bool) {
    let perp = accel - dir_unit * dir_unit.dot(accel);
    let mag = perp.norm();
    if mag > max_lateral_accel_mps2 {
        (perp * (max_lateral_accel_mps2 / mag), true)
    } else {
        (perp, false)
    }
}

/// Proportional navigation on a target estimate, true or augmented:
///
/// ```text
/// a_c = N' V_c (Ω × r̂)                        true PN (see [`true_pn_accel`])
///     + N'/2 · (a_T − (a_T · r̂) r̂)            augmented PN: the target acceleration normal to
///                                              the line of sight
/// ```
///
/// Zarchan, *Tactical and Strategic Missile Guidance* (6th ed.), ch. 8 (augmented proportional
/// navigation, `n_c = N' V_c λ̇ + N' n_T / 2`), in vector form. `target_acc` is ignored unless
/// `augmented`; `None` counts as zero. The command is not projected or limited.
pub fn pn_command(
    missile_pos: &Vector3<f64>,
    missile_vel: &Vector3<f64>,
    target_pos: &Vector3<f64>,
    target_vel: &Vector3<f64>,
    target_acc: Option<&Vector3<f64>>,
    nav_constant: f64,
    augmented: bool,
) -> Vector3<f64> {
    let a = true_pn_accel(
        missile_pos,
        missile_vel,
        target_pos,
        target_vel,
        nav_constant,
    );
    match (augmented, target_acc) {
        (true, Some(at)) => {
            let r = target_pos - missile_pos;
            let n = r.norm();
            if n < MIN_RANGE_M {
                return a;
            }
            let u = r / n;
            a + 0.5 * nav_constant * (at - u * u.dot(at))
        }
        _ => a,
    }
}

/// The component of `v` perpendicular to the unit vector `u`.
pub fn perpendicular(v: &Vector3<f64>, u: &Vector3<f64>) -> Vector3<f64> {
    v - u * u.dot(v)
}
