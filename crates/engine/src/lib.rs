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
//! ## One tick ([`Pipeline::step`])
//! The world ([`world`]) holds state only; each stage is one module of `stages` with one entry
//! function; the pipeline ([`pipeline`]) runs them in a fixed, documented order:
//! 1. **Schedule**: the next time is the earliest due event or one motion step.
//! 2. **Engagement** (`stages/engagement.rs`): interceptors fly under proportional navigation on
//!    the tracker's estimate (the seeker's view inside its range); an intercept is the closest
//!    point of approach inside the step, so the miss distance does not depend on the step; a
//!    kill is drawn from the missile's Pk at that miss distance.
//! 3. **Motion** (`stages/motion.rs`): targets enter at their launch times and move along their
//!    routes analytically.
//! 4. **Leaks** (`stages/leaks.rs`): a target within an asset's radius, or at the end of its
//!    route, has leaked.
//! 5. **Sensing** (`stages/sensing.rs`): each radar dwell due now produces plots; the truth
//!    behind them travels beside them ([`record::Detection`]), never inside.
//!    **Tracking** (`stages/tracking.rs`): the dwell's plots go to the site's tracker.
//! 6. **Command** (`stages/command.rs`): each site's command post due now ranks threats and
//!    gives fire orders, asking fire control ([`fire_control`]) what its missiles can reach;
//!    **launch** (`stages/launch.rs`) puts the interceptors in the air.
//!
//! Everything a run reports goes through [`record::Recorder`]s: the event log
//! ([`record::EventLog`], `events.jsonl`), the summary ([`summary::SummaryRecorder`],
//! `summary.json`), and any recorder a caller adds ([`run_with`]).
//!
//! ## Truth firewall
//! The tracker and C2 receive plots and track reports only. The engine keeps, on its side, which
//! target each plot came from, to label events and score the run.
#![deny(missing_docs)]

pub mod coverage;
pub mod events;
pub mod fire_control;
pub mod output;
pub mod pipeline;
pub mod record;
pub mod scenario;
mod stages;
pub mod summary;
pub mod timing;
pub mod world;

pub use events::{Event, EventKind};
pub use pipeline::Pipeline;
pub use record::{EventLog, Recorder, Recorders};
pub use scenario::Scenario;
pub use summary::{Summary, SummaryRecorder};
pub use timing::{Stage, StageTimes};
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
    /// The resolved scenario could not be rewritten with the seed of the run (an internal error:
    /// a resolved scenario always parses, which a test checks).
    #[error("rewriting the resolved scenario with seed {seed}")]
    ResolvedScenario {
        /// The seed of the run.
        seed: u64,
        /// Cause.
        source: toml::de::Error,
    },
    /// The terrain cannot be loaded.
    #[error("terrain {path}")]
    Terrain {
        /// File or built-in name.
        path: String,
        /// Cause.
        source: iadsim_geo::TerrainError,
    },
    /// C2 gave a fire order the engine cannot execute. Orders carry only ids the engine gave
    /// C2, so this is a bug; the run stops rather than skip an order C2 has already booked.
    #[error("site \"{site}\": fire order (launcher {launcher}, track {track}, missile {missile}) cannot be executed")]
    FireOrder {
        /// Site.
        site: String,
        /// Launcher ordered to fire.
        launcher: iadsim_core::LauncherId,
        /// Track engaged.
        track: iadsim_core::TrackId,
        /// Missile type.
        missile: String,
        /// Why.
        #[source]
        reason: FireOrderError,
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

/// Why a fire order cannot be executed.
#[derive(Debug, thiserror::Error)]
pub enum FireOrderError {
    /// The site has no such launcher.
    #[error("no such launcher at the site")]
    UnknownLauncher,
    /// The track is not among those C2 planned on.
    #[error("no such track in the cycle's reports")]
    UnknownTrack,
    /// The scenario has no such missile type.
    #[error("no such missile type")]
    UnknownMissile,
    /// The flyout refused the launch.
    #[error("the missile cannot be launched")]
    Launch(#[source] iadsim_interceptor::InterceptorError),
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
    /// Time per stage, when asked for ([`RunOptions::timing`]).
    pub timing: Option<StageTimes>,
}

/// How to run a replication.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Time each stage ([`RunOutput::timing`]).
    pub timing: bool,
}

/// Runs replication `run` of `scenario` with master seed `seed` to its end.
pub fn run(scenario: &Scenario, seed: u64, run: u64) -> Result<RunOutput, EngineError> {
    run_with(scenario, seed, run, RunOptions::default(), &mut [])
}

/// As [`run`], with options, and with `extra` recorders beside the event log and the summary.
pub fn run_with(
    scenario: &Scenario,
    seed: u64,
    run: u64,
    options: RunOptions,
    extra: &mut [&mut dyn Recorder],
) -> Result<RunOutput, EngineError> {
    let start = std::time::Instant::now();
    let mut world = World::new(scenario, seed, run)?;
    let mut pipeline = if options.timing {
        Pipeline::timed()
    } else {
        Pipeline::new()
    };
    pipeline.add_time(Stage::Build, start.elapsed());
    let mut log = EventLog::default();
    let mut summary = SummaryRecorder::new(seed);
    let mut members: Vec<&mut dyn Recorder> = vec![&mut log, &mut summary];
    for r in extra.iter_mut() {
        members.push(&mut **r);
    }
    let mut recorders = Recorders::new(&world, members);
    pipeline.run_to_end(&mut world, &mut recorders)?;
    drop(recorders);
    let timing = pipeline.stage_times().cloned().map(|mut t| {
        t.total_s = start.elapsed().as_secs_f64();
        t
    });
    Ok(RunOutput {
        summary: summary.summary(&world),
        events: log.into_events(),
        resolved_scenario: scenario
            .resolved_toml_with_seed(seed)
            .map_err(|source| EngineError::ResolvedScenario { seed, source })?,
        timing,
    })
}
