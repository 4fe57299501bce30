//! # iadsim-interceptor
//!
//! Interceptor flyout and guidance, first version: a point mass in ECEF (m, m/s) whose **speed**
//! follows a kinematic profile ([`Kinematics`]: linear boost, exponential coast decay) and whose
//! **heading** is turned by true 3-D proportional navigation ([`guidance::true_pn_accel`]) limited
//! to a lateral-acceleration budget.
//!
//! ## One engagement, tick by tick
//!
//! 1. **Fire control** asks [`predict_intercept`] whether a straight flyout can meet the target's
//!    estimated constant-velocity track before `max_flight_time_s`, and where to point.
//! 2. **Launch**: [`Interceptor::launch`] at the launcher position along the predicted direction.
//! 3. **Each step** the engine passes the current target *estimate* (from the engagement radar or
//!    seeker, not truth) to [`Interceptor::step`], which integrates the guided flight over `dt`.
//! 4. **Intercept test**: with the interceptor's segment `p0 → p1` and the target's `q0 → q1`
//!    over the same step, [`passes_cpa_within_step`] reports the closest point of approach if the
//!    range rate turned from closing to opening inside the step. Its `miss_distance_m` does not
//!    depend on the step size; the engine then draws the kill from the missile's Pk.
//! 5. If [`StepResult::max_flight_time_exceeded`] comes first, the interceptor is lost.
//!
//! ```
//! use iadsim_interceptor::{passes_cpa_within_step, predict_intercept, Interceptor, Kinematics};
//! use nalgebra::Vector3;
//!
//! let kin = Kinematics::for_max_range(40_000.0, 1200.0, 3.0, 300.0, 4.0).unwrap();
//! let launcher = Vector3::new(6_378_137.0, 0.0, 0.0);
//! let mut target = launcher + Vector3::new(3_000.0, 15_000.0, 0.0);
//! let target_vel = Vector3::new(0.0, -250.0, 50.0);
//! let aim = predict_intercept(&launcher, &target, &target_vel, &kin).expect("in range");
//! let mut missile = Interceptor::launch(launcher, aim.launch_direction_unit, kin).unwrap();
//! let dt = 0.01;
//! let cpa = loop {
//!     let (p0, q0) = (missile.position_ecef_m, target);
//!     let step = missile.step(dt, &target, &target_vel);
//!     target += target_vel * dt;
//!     if let Some(cpa) = passes_cpa_within_step(&p0, &missile.position_ecef_m, &q0, &target) {
//!         break cpa;
//!     }
//!     assert!(!step.max_flight_time_exceeded);
//! };
//! assert!(cpa.miss_distance_m < 1.0);
//! ```
//!
//! ## What this version does not do
//!
//! * **No gravity, atmosphere, thrust or drag**: the speed is a function of time of flight only,
//!   identical for every trajectory, and the lateral-acceleration limit does not depend on speed
//!   or altitude. The 3-DOF model (ISA atmosphere, thrust, drag) will replace [`Kinematics`] as the
//!   source of the speed and of the manoeuvre limit inside [`Interceptor::step`]; the state
//!   (position, velocity, time of flight) and the `step` interface are meant to stay.
//! * **No autopilot lag, seeker model or fuze here**: the commanded acceleration is achieved
//!   instantly (zero-lag guidance); the only smoothing is [`flyout::MIN_TURN_SPEED_MPS`]. The
//!   engine switches the guidance input from the track to an ideal (noise-free, lag-free) seeker
//!   inside the missile's `seeker_range_m`.
//! * [`predict_intercept`] assumes a straight flyout: it ignores the extra path of a guided
//!   trajectory, so near the envelope edge a guided missile may fall slightly short.
#![deny(missing_docs)]

pub mod cpa;
mod error;
pub mod flyout;
pub mod guidance;
mod kinematics;
pub mod predict;

pub use cpa::{closest_point_of_approach, passes_cpa_within_step, Cpa};
pub use error::InterceptorError;
pub use flyout::{Interceptor, StepResult};
pub use kinematics::{Kinematics, MIN_USEFUL_SPEED_FRACTION};
pub use predict::{predict_intercept, InterceptPrediction};
