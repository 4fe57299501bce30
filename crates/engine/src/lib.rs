//! # iadsim-engine
//!
//! The only crate that wires the stages together. It owns the scenario language
//! ([`scenario`]: TOML as written → validated [`Scenario`]), the simulated [`World`] and its
//! pipeline, and the run outputs ([`RunOutput`]: summary and event log).
//!
//! ## One run
//! ```
//! use iadsim_engine::{run, scenario::Scenario};
//! let scenario = Scenario::builtin_default();
//! let out = run(&scenario, scenario.seed, 0).expect("runs");
//! assert!(out.summary.interceptors.fired > 0);
//! ```
//!
//! ## One tick of [`World::step`]
//! 1. **Motion**: targets move along their routes (analytic, no integration error); interceptors
//!    fly under proportional navigation on the tracker's estimate, with a bounded step
//!    (`engagement_step_s`); an intercept is the closest point of approach inside the step, so the
//!    miss distance does not depend on the step. A kill is drawn from the missile's Pk when the
//!    miss distance is within its lethal radius.
//! 2. **Leaks**: a target within an asset's radius, or at the end of its route, has leaked.
//! 3. **Sensors**: radar dwells due now produce plots (truth stays here; plots carry none).
//! 4. **Tracking**: each site's tracker fuses the plots of all its radars.
//! 5. **C2**: each site's command post ranks threats and assigns launchers.
//!
//! ## Truth firewall
//! The tracker and C2 receive plots and track reports only. The engine keeps, on its side, which
//! target each plot came from, to label events and score the run.
#![deny(missing_docs)]

pub mod coverage;
pub mod events;
pub mod output;
pub mod scenario;
pub mod summary;
pub mod world;

pub use events::{Event, EventKind};
pub use scenario::Scenario;
pub use summary::Summary;
pub use world::World;

/// Errors while building or running a world (the scenario itself is already validated).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A raid's route cannot be flown.
    #[error("raid \"{raid}\"")]
    Route {
        /// Raid.
        raid: String,
        /// Cause.
        source: iadsim_physics::PhysicsError,
    },
    /// A missile's kinematics are inconsistent.
    #[error("missile {missile}")]
    Missile {
        /// Missile type.
        missile: String,
        /// Cause.
        source: iadsim_interceptor::InterceptorError,
    },
    /// A radar cannot be calibrated.
    #[error("radar {radar}")]
    Radar {
        /// Radar preset.
        radar: String,
        /// Cause.
        source: iadsim_sensors::SensorError,
    },
    /// A command post cannot be built.
    #[error("site \"{site}\"")]
    CommandPost {
        /// Site.
        site: String,
        /// Cause.
        source: iadsim_c2::C2Error,
    },
    /// The tracker failed.
    #[error("tracker")]
    Tracker(#[source] iadsim_track::TrackError),
    /// The terrain cannot be loaded.
    #[error("terrain {path}")]
    Terrain {
        /// File or built-in name.
        path: String,
        /// Cause.
        source: iadsim_geo::TerrainError,
    },
    /// Writing outputs failed.
    #[error("cannot write {path}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
}

/// Everything one replication produced.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// Aggregated results.
    pub summary: Summary,
    /// The event log, in time order.
    pub events: Vec<Event>,
    /// The resolved scenario (TOML).
    pub resolved_scenario: String,
}

/// Runs replication `run` of `scenario` with master seed `seed` to its end.
pub fn run(scenario: &Scenario, seed: u64, run: u64) -> Result<RunOutput, EngineError> {
    let mut world = World::new(scenario, seed, run)?;
    world.run_to_end()?;
    let summary = Summary::from_world(&world, seed);
    Ok(RunOutput {
        summary,
        events: world.events().to_vec(),
        resolved_scenario: scenario.resolved_toml.clone(),
    })
}
