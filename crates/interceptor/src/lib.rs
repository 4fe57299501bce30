//! # iadsim-interceptor
//!
//! Interceptor flyout and guidance: the **3-DOF flyout** ([`Flight`], on a [`MissileAero`]
//! description), a point mass over the rotating WGS-84 earth with thrust, ISA drag, normal gravity
//! and Coriolis (atmosphere and earth model from `iadsim-physics`), manoeuvre limited by structure
//! and by lift, guidance phases (launch, pitch-over, lofted mid-course, true or augmented PN homing
//! through a first-order lag), RK4; with its fire-control companions, the precomputed
//! [`FlyoutTable`] and [`predict_intercept_3dof`], and the launch acceptability region
//! ([`launch_acceptability_region`]). `docs/flyout.md` has the equations, the choices and the
//! validation figures.
//!
//! ## One 3-DOF engagement, tick by tick
//!
//! 1. **At scenario load** the engine builds one [`FlyoutTable`] per missile type
//!    (`FlyoutTable::build(&aero, TableSpec::default_for(1.2 * max_range_m))`, 0.1-0.6 s of CPU).
//! 2. **Fire control** asks [`predict_intercept_3dof`] for the earliest reachable intercept of the
//!    target's estimated constant-velocity track: time to go, point, launch azimuth.
//! 3. **Launch**: [`Flight::launch`] at the launcher on that azimuth (the elevation is the
//!    missile's `launch_elevation_deg`).
//! 4. **Each step** the engine passes the current target *estimate* ([`TargetEstimate`], from the
//!    engagement radar or seeker, never truth) to [`Flight::step`]; the [`FlightStep`] says the
//!    phase, the commanded and achieved acceleration, which limit bound it, and any
//!    [`LossReason`].
//! 5. **Fuze**: [`passes_cpa_within_step`] on the missile's and the target's segments over the step
//!    gives the closest approach; the kill is drawn with [`kill_probability`] of the miss.
//!
//! ```
//! use iadsim_geo::{EnuFrame, Enu, Geodetic};
//! use iadsim_interceptor::{passes_cpa_within_step, Flight, MissileAero, TargetEstimate};
//! use nalgebra::Vector3;
//!
//! let aero = MissileAero {
//!     launch_mass_kg: 400.0, diameter_m: 0.24,
//!     boost_thrust_n: 100_000.0, boost_time_s: 5.0, boost_propellant_kg: 200.0,
//!     sustain_thrust_n: 0.0, sustain_time_s: 0.0, sustain_propellant_kg: 0.0,
//!     cd0_subsonic: 0.3, cd0_supersonic: 0.35, cn_max: 20.0, induced_drag_factor: 0.05,
//!     max_lateral_g: 30.0, guidance_time_constant_s: 0.2, nav_constant: 4.0,
//!     augmented_pn: false, loft_factor: 0.0, launch_elevation_deg: 90.0,
//!     max_flight_time_s: 60.0, min_speed_mps: 250.0, lethal_radius_m: 10.0, pk: 0.8,
//! };
//! let site = Geodetic::from_degrees(33.3, 44.1, 40.0);
//! let enu = EnuFrame::new(site);
//! // A target 12 km north at 3 km, flying west at 250 m/s (the "estimate" is exact here).
//! let mut target = enu.to_ecef(&Enu(Vector3::new(0.0, 12_000.0, 3_000.0))).0;
//! let velocity = enu.vector_to_ecef(&Vector3::new(-250.0, 0.0, 0.0));
//! let mut missile = Flight::launch(&aero, site.to_ecef().0, 0.0).unwrap();
//! let dt = 0.02;
//! let cpa = loop {
//!     let est = TargetEstimate {
//!         position_ecef_m: target,
//!         velocity_ecef_mps: velocity,
//!         acceleration_ecef_mps2: None,
//!     };
//!     let p0 = missile.position_ecef_m();
//!     let step = missile.step(dt, Some(&est));
//!     let q0 = target;
//!     target += velocity * dt;
//!     if let Some(cpa) = passes_cpa_within_step(&p0, &missile.position_ecef_m(), &q0, &target) {
//!         break cpa;
//!     }
//!     assert!(step.loss.is_none());
//! };
//! assert!(cpa.miss_distance_m < aero.lethal_radius_m);
//! println!("Pk = {:.2}", aero.kill_probability(cpa.miss_distance_m));
//! ```
//!
//! ## What the 3-DOF model does not do
//!
//! * **No attitude dynamics** (it is 3-DOF): the body axis is the velocity, angle of attack is
//!   implied by the normal-force coefficient, the autopilot is one first-order lag; no seeker
//!   model (noise, blind range, gimbal limits), no fuze delay, no thrust misalignment.
//! * **Generic aerodynamics**: one zero-lift drag curve shape for every missile, a constant
//!   `cn_max` and induced-drag factor (no Mach or altitude dependence), thrust independent of
//!   ambient pressure, sea-level standard day only (no wind, no non-standard atmosphere).
//! * **Guidance phases are schematic**: a timed rail/tube phase, a pitch-over by an idealised
//!   thrust-vector turn, mid-course PN on a lofted predicted intercept point computed on board
//!   from the target estimate (no uplink delay), and the terminal switch on time to go.
//! * **Tables are built from one reference site** (sea level, [`TableSpec::reference_latitude_deg`],
//!   flights due north): launcher height, latitude and azimuth effects (gravity, Coriolis,
//!   a few tenths of a percent) are ignored by [`predict_intercept_3dof`].
//! * **Presets are calibrated, not known**: almost every aerodynamic and motor figure in
//!   `presets/missiles.toml` is an assumption tuned so that peak speed and maximum range match
//!   the published figures (`examples/calibrate.rs`).
#![deny(missing_docs)]

pub mod aero;
pub mod cpa;
pub mod engagement;
pub mod envelope;
mod error;
pub mod flight;
pub mod guidance;
pub mod table;

pub use aero::{kill_probability, AccelLimit, MissileAero};
pub use cpa::{closest_point_of_approach, passes_cpa_within_step, Cpa};
pub use engagement::{simulate_engagement, EngagementOutcome, GroundGeometry, LauncherFrame};
pub use envelope::{
    launch_acceptability_region, LarCell, LarRow, LarSpec, LaunchEnvelope3Dof, LevelFlight,
};
pub use error::InterceptorError;
pub use flight::{
    Flight, FlightOptions, FlightState, FlightStep, GuidancePhase, LossReason, TargetEstimate,
};
pub use table::{
    predict_intercept_3dof, FlyoutCell, FlyoutTable, Intercept3Dof, RowEdge, TableSpec,
};
