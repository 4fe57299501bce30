//! Point-mass flyout with proportional-navigation guidance.
use crate::guidance::{lateral_command, true_pn_accel};
use crate::{InterceptorError, Kinematics};
use nalgebra::{UnitQuaternion, Vector3};
use serde::{Deserialize, Serialize};

/// Speed, m/s, below which the turn rate is computed as if the interceptor flew at this speed.
///
/// A point mass turns at `a / v`, which diverges as `v → 0` just after a cold launch. A real
/// missile has no aerodynamic control authority there; this floor bounds the turn rate to
/// `max_lateral_accel_mps2 / 50` rad/s and makes the *achieved* lateral acceleration at low speed
/// smaller than the command (never larger). The 3-DOF flyout will replace it with a manoeuvre
/// limit proportional to dynamic pressure.
pub const MIN_TURN_SPEED_MPS: f64 = 50.0;

/// An interceptor in flight: a point mass in ECEF (m, m/s), no gravity or atmosphere yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interceptor {
    /// Position, ECEF, m.
    pub position_ecef_m: Vector3<f64>,
    /// Velocity, ECEF, m/s.
    pub velocity_ecef_mps: Vector3<f64>,
    /// Time since launch, s.
    pub time_of_flight_s: f64,
    /// Speed profile and guidance limits.
    pub kinematics: Kinematics,
    /// Unit heading, kept so that the direction survives a zero speed (cold launch).
    direction_unit: Vector3<f64>,
}

/// What happened during one [`Interceptor::step`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepResult {
    /// The lateral acceleration command applied over the step (the midpoint evaluation), ECEF,
    /// m/s², after projection perpendicular to the velocity and the magnitude limit.
    pub lateral_accel_mps2: Vector3<f64>,
    /// Whether the command was clipped to `max_lateral_accel_mps2`.
    pub accel_limited: bool,
    /// Whether the time of flight is now at or beyond `max_flight_time_s`: the interceptor is lost.
    pub max_flight_time_exceeded: bool,
}

impl Interceptor {
    /// An interceptor leaving the launcher at `position_ecef_m` along `initial_direction` (normalised
    /// here, so any non-zero vector will do), at `kin.launch_speed_mps`.
    pub fn launch(
        position_ecef_m: Vector3<f64>,
        initial_direction: Vector3<f64>,
        kin: Kinematics,
    ) -> Result<Interceptor, InterceptorError> {
        kin.validate()?;
        if !position_ecef_m.iter().all(|c| c.is_finite()) {
            return Err(InterceptorError::BadLaunchPosition);
        }
        let n = initial_direction.norm();
        if !(n.is_finite() && n > 0.0) {
            return Err(InterceptorError::BadLaunchDirection {
                x: initial_direction.x,
                y: initial_direction.y,
                z: initial_direction.z,
            });
        }
        let direction_unit = initial_direction / n;
        Ok(Interceptor {
            position_ecef_m,
            velocity_ecef_mps: direction_unit * kin.launch_speed_mps,
            time_of_flight_s: 0.0,
            kinematics: kin,
            direction_unit,
        })
    }

    /// Unit vector along the velocity (the last heading if the speed is zero).
    pub fn direction_unit(&self) -> Vector3<f64> {
        let n = self.velocity_ecef_mps.norm();
        if n > 0.0 && n.is_finite() {
            self.velocity_ecef_mps / n
        } else {
            self.direction_unit
        }
    }

    /// The lateral acceleration command at the current state against the given target estimate
    /// (true PN, projected perpendicular to the velocity and limited), m/s², and whether it was
    /// limited.
    pub fn guidance_command(
        &self,
        target_pos_est: &Vector3<f64>,
        target_vel_est: &Vector3<f64>,
    ) -> (Vector3<f64>, bool) {
        self.command(
            &self.position_ecef_m,
            &self.direction_unit(),
            self.time_of_flight_s,
            target_pos_est,
            target_vel_est,
        )
    }

    fn command(
        &self,
        pos: &Vector3<f64>,
        dir: &Vector3<f64>,
        t_s: f64,
        target_pos: &Vector3<f64>,
        target_vel: &Vector3<f64>,
    ) -> (Vector3<f64>, bool) {
        let kin = &self.kinematics;
        let vel = dir * kin.speed_at(t_s);
        let a = true_pn_accel(pos, &vel, target_pos, target_vel, kin.nav_constant);
        lateral_command(&a, dir, kin.max_lateral_accel_mps2)
    }

    /// Angular velocity of the heading, rad/s, that produces lateral acceleration `a`.
    fn turn_rate(&self, dir: &Vector3<f64>, a: &Vector3<f64>, t_s: f64) -> Vector3<f64> {
        dir.cross(a) / self.kinematics.speed_at(t_s).max(MIN_TURN_SPEED_MPS)
    }

    /// Advance by `dt_s` seconds, guiding on the target estimate (position and velocity at the
    /// start of the step; the target is extrapolated at constant velocity within the step).
    ///
    /// Integration: explicit midpoint (RK2) on the state (position, unit heading), with
    /// * the heading turned by exact rotations (`û' = ω × û`, `ω = û × a_lat / v`), so it stays a
    ///   unit vector and the speed is exactly the profile's;
    /// * the position advanced along the midpoint heading by the closed-form
    ///   [`Kinematics::distance_flown`] increment, so the path length is exact.
    ///
    /// Second-order: halving `dt_s` divides the trajectory error by about four.
    pub fn step(
        &mut self,
        dt_s: f64,
        target_pos_est: &Vector3<f64>,
        target_vel_est: &Vector3<f64>,
    ) -> StepResult {
        let kin = self.kinematics;
        let t0 = self.time_of_flight_s;
        let tm = t0 + 0.5 * dt_s;
        let t1 = t0 + dt_s;
        let p0 = self.position_ecef_m;
        let u0 = self.direction_unit();
        let d0 = kin.distance_flown(t0);

        // Predictor: half a step on the start-of-step command.
        let (a0, _) = self.command(&p0, &u0, t0, target_pos_est, target_vel_est);
        let w0 = self.turn_rate(&u0, &a0, t0);
        let um = UnitQuaternion::from_scaled_axis(w0 * (0.5 * dt_s)) * u0;
        let pm = p0 + u0 * (kin.distance_flown(tm) - d0);
        let qm = target_pos_est + target_vel_est * (0.5 * dt_s);

        // Corrector: the full step on the midpoint command.
        let (am, limited) = self.command(&pm, &um, tm, &qm, target_vel_est);
        let wm = self.turn_rate(&um, &am, tm);
        let u1 = (UnitQuaternion::from_scaled_axis(wm * dt_s) * u0).normalize();

        self.position_ecef_m = p0 + um * (kin.distance_flown(t1) - d0);
        self.direction_unit = u1;
        self.velocity_ecef_mps = u1 * kin.speed_at(t1);
        self.time_of_flight_s = t1;
        StepResult {
            lateral_accel_mps2: am,
            accel_limited: limited,
            max_flight_time_exceeded: t1 >= kin.max_flight_time_s,
        }
    }
}
