//! The one integration-test binary of iadsim-interceptor.
mod flight;
mod isa;
mod properties;
mod scenarios;
mod table;
mod validation;
mod zarchan;

use iadsim_interceptor::{passes_cpa_within_step, Cpa, Interceptor, Kinematics, StepResult};
use nalgebra::Vector3;

/// A point on the WGS-84 equator at sea level, ECEF, m: engagements are placed here so that the
/// arithmetic runs at realistic ECEF magnitudes (≈ 6.4e6 m).
pub fn origin() -> Vector3<f64> {
    Vector3::new(6_378_137.0, 0.0, 0.0)
}

/// Constant-speed kinematics (no boost, no decay), as in Zarchan's linear engagement models.
pub fn constant_speed(
    speed_mps: f64,
    max_lateral_accel_mps2: f64,
    nav_constant: f64,
) -> Kinematics {
    Kinematics {
        max_speed_mps: speed_mps,
        boost_time_s: 0.0,
        coast_decay_s: f64::INFINITY,
        max_flight_time_s: 120.0,
        max_lateral_accel_mps2,
        nav_constant,
        launch_speed_mps: speed_mps,
    }
}

/// The end of an engagement flown against a constant-velocity target with perfect estimates.
pub struct Outcome {
    /// CPA inside the step where the range stopped closing, if it happened before max flight time.
    pub cpa: Option<Cpa>,
    /// Time of flight at the CPA, s.
    pub time_s: f64,
    /// Every step's result, for property checks.
    pub steps: Vec<StepResult>,
    /// Velocity before and after every step.
    pub velocities: Vec<Vector3<f64>>,
}

/// Fly `missile` against a target starting at `target` with constant `target_vel` at step `dt_s`.
pub fn engage(
    mut missile: Interceptor,
    mut target: Vector3<f64>,
    target_vel: Vector3<f64>,
    dt_s: f64,
) -> Outcome {
    let mut steps = Vec::new();
    let mut velocities = vec![missile.velocity_ecef_mps];
    loop {
        let (p0, q0, t0) = (missile.position_ecef_m, target, missile.time_of_flight_s);
        let step = missile.step(dt_s, &target, &target_vel);
        target += target_vel * dt_s;
        steps.push(step);
        velocities.push(missile.velocity_ecef_mps);
        if let Some(cpa) = passes_cpa_within_step(&p0, &missile.position_ecef_m, &q0, &target) {
            return Outcome {
                cpa: Some(cpa),
                time_s: t0 + cpa.fraction * dt_s,
                steps,
                velocities,
            };
        }
        if step.max_flight_time_exceeded {
            return Outcome {
                cpa: None,
                time_s: missile.time_of_flight_s,
                steps,
                velocities,
            };
        }
    }
}
