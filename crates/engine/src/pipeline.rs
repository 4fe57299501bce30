//! The pipeline: one [`Pipeline::step`] advances the world to its next event and runs the
//! stages in a fixed order. It only orchestrates; state is in [`World`], each stage is a module
//! of `stages/`, and what happens is reported to [`Recorders`].
//!
//! ## One step
//! 1. **Schedule**: the next time is the earliest due event (radar dwell, C2 cycle, target
//!    launch), or one motion step (`max_step_s`, or `engagement_step_s` while interceptors fly).
//! 2. **Engagement** (`stages/engagement.rs`): interceptors fly to that time; intercepts
//!    (closest approach inside the step) and kill draws.
//! 3. **Motion** (`stages/motion.rs`): targets whose time has come enter the scenario.
//! 4. **Leaks** (`stages/leaks.rs`).
//! 5. For every radar due now, site by site, radar by radar: **sensing**
//!    (`stages/sensing.rs`: the dwell's plots) then **tracking** (`stages/tracking.rs`: the
//!    plots into the site's tracker).
//! 6. For every site whose decision cycle is due, in site order: **command**
//!    (`stages/command.rs`: tracks → fire orders) then **launch** (`stages/launch.rs`).
//! 7. **Sampling**, only if a recorder wants a sample now.
//!
//! This order, and the order inside each stage, fixes the order of the random draws and of the
//! events, so a run is a pure function of the scenario and the seed.
use crate::record::Recorders;
use crate::stages::{command, engagement, launch, leaks, motion, sensing, tracking};
use crate::timing::{Stage, StageTimes};
use crate::world::World;
use crate::EngineError;
use iadsim_core::{SimDuration, SimTime};
use std::time::Instant;

/// Runs the stages over a [`World`]; optionally times each stage.
#[derive(Debug, Default)]
pub struct Pipeline {
    times: Option<StageTimes>,
}

impl Pipeline {
    /// A pipeline that does not time its stages.
    pub fn new() -> Pipeline {
        Pipeline::default()
    }

    /// A pipeline that measures the wall time of each stage (this thread only runs it).
    pub fn timed() -> Pipeline {
        Pipeline {
            times: Some(StageTimes::default()),
        }
    }

    /// The time spent per stage so far (`None` unless built with [`Pipeline::timed`]).
    pub fn stage_times(&self) -> Option<&StageTimes> {
        self.times.as_ref()
    }

    /// Adds time spent outside the pipeline (building the world) to a timed pipeline.
    pub fn add_time(&mut self, stage: Stage, elapsed: std::time::Duration) {
        if let Some(times) = self.times.as_mut() {
            times.add(stage, elapsed);
        }
    }

    /// Steps `world` to its end, then tells the recorders that the run ended.
    pub fn run_to_end(
        &mut self,
        world: &mut World,
        out: &mut Recorders<'_>,
    ) -> Result<(), EngineError> {
        while self.step(world, out)? {}
        out.finish(world);
        Ok(())
    }

    /// Advances `world` to its next event (or by one motion step, whichever comes first) and
    /// runs the stages due then. Returns `false` once the end of the run is reached.
    pub fn step(
        &mut self,
        world: &mut World,
        out: &mut Recorders<'_>,
    ) -> Result<bool, EngineError> {
        if world.finished() {
            return Ok(false);
        }
        let t_next = self.time(Stage::Schedule, || next_time(world));
        if t_next > world.now {
            self.time(Stage::Engagement, || engagement::fly(world, t_next, out));
        }
        world.now = t_next;
        self.time(Stage::Motion, || {
            motion::launch_targets(&mut world.targets, t_next, out)
        });
        self.time(Stage::Leaks, || {
            let terrain = world.terrain.as_deref();
            leaks::check_leaks(&mut world.targets, &world.assets, terrain, t_next, out)
        });
        self.sense_and_track(world, out)?;
        self.command_and_launch(world, out)?;
        if out.sample_due(t_next) {
            self.time(Stage::Sampling, || out.sample(world));
        }
        Ok(!world.finished())
    }

    fn sense_and_track(
        &mut self,
        world: &mut World,
        out: &mut Recorders<'_>,
    ) -> Result<(), EngineError> {
        let now = world.now;
        // The flying targets' states, computed once for all the radars due now.
        let mut flying = None;
        for si in 0..world.sites.len() {
            for ri in 0..world.sites[si].radars.len() {
                let Some(k) = world.sites[si].radars[ri].take_due_dwell(now) else {
                    continue;
                };
                let dwell = self.time(Stage::Sensing, || {
                    let flying = flying.get_or_insert_with(|| {
                        motion::flying_targets(&world.targets, now, world.terrain.as_deref())
                    });
                    let radar = &mut world.sites[si].radars[ri];
                    sensing::dwell(
                        radar,
                        k,
                        &world.targets,
                        flying,
                        &mut world.streams,
                        now,
                        out,
                    )
                });
                self.time(Stage::Tracking, || {
                    let site = &mut world.sites[si];
                    tracking::track(
                        site,
                        ri,
                        &dwell,
                        &world.targets,
                        &mut world.streams.iff,
                        out,
                    )
                })?;
            }
        }
        Ok(())
    }

    fn command_and_launch(
        &mut self,
        world: &mut World,
        out: &mut Recorders<'_>,
    ) -> Result<(), EngineError> {
        let now = world.now;
        for si in 0..world.sites.len() {
            if !world.sites[si].take_due_cycle(now) {
                continue;
            }
            let planned = self.time(Stage::Command, || {
                let (missiles, flyout) = (&world.scenario.missiles, &world.flyout);
                command::plan(&mut world.sites[si], missiles, flyout, now, out)
            });
            self.time(Stage::Launch, || launch::launch(world, si, planned, out))?;
        }
        Ok(())
    }

    /// Runs `f` as part of `stage`, timing it when timing is on.
    fn time<R>(&mut self, stage: Stage, f: impl FnOnce() -> R) -> R {
        let Some(times) = self.times.as_mut() else {
            return f();
        };
        let start = Instant::now();
        let r = f();
        times.add(stage, start.elapsed());
        r
    }
}

/// The end of the step that starts now: the next due event, at most one motion step away.
fn next_time(world: &World) -> SimTime {
    let step_s = if world.flights.is_empty() {
        world.scenario.max_step_s
    } else {
        world.scenario.engagement_step_s
    };
    world
        .next_event_time()
        .min(world.now + SimDuration::from_secs_f64(step_s))
}
