//! Where a run's time goes, stage by stage ([`StageTimes`], filled by a
//! [`crate::pipeline::Pipeline::timed`] pipeline and printed by `iadsim run --timing`).
//!
//! The times are **wall-clock** times (`std::time::Instant`) of a run on one thread: on a busy
//! machine they include time the thread was not scheduled. Measuring costs two clock reads per
//! stage call, so an untimed pipeline reads no clock at all.
use std::fmt;
use std::time::Duration;

/// A part of a run that is timed on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Building the world (terrain, radars, flyout tables, trackers, command posts).
    Build,
    /// Choosing the next time.
    Schedule,
    /// Interceptor flyout, intercepts and kill draws.
    Engagement,
    /// Target launches.
    Motion,
    /// Leak tests.
    Leaks,
    /// Radar dwells.
    Sensing,
    /// Trackers.
    Tracking,
    /// Command posts' decision cycles.
    Command,
    /// Launching the fire orders.
    Launch,
    /// Building samples for recorders that asked.
    Sampling,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 10] = [
        Stage::Build,
        Stage::Schedule,
        Stage::Engagement,
        Stage::Motion,
        Stage::Leaks,
        Stage::Sensing,
        Stage::Tracking,
        Stage::Command,
        Stage::Launch,
        Stage::Sampling,
    ];

    /// Its name in tables.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Build => "build",
            Stage::Schedule => "schedule",
            Stage::Engagement => "engagement",
            Stage::Motion => "motion",
            Stage::Leaks => "leaks",
            Stage::Sensing => "sensing",
            Stage::Tracking => "tracking",
            Stage::Command => "command",
            Stage::Launch => "launch",
            Stage::Sampling => "sampling",
        }
    }
}

/// Time spent in one stage.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StageTime {
    /// Wall time, s.
    pub seconds: f64,
    /// Times the stage ran.
    pub calls: u64,
}

/// Time spent per stage, and the whole run's wall time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StageTimes {
    stages: [StageTime; Stage::ALL.len()],
    /// Wall time of the whole run (building included), s; set by [`crate::run_with`].
    pub total_s: f64,
}

impl StageTimes {
    /// The time of one stage.
    pub fn get(&self, stage: Stage) -> StageTime {
        self.stages[stage as usize]
    }

    /// Sum over the stages, s.
    pub fn stages_s(&self) -> f64 {
        self.stages.iter().map(|s| s.seconds).sum()
    }

    pub(crate) fn add(&mut self, stage: Stage, elapsed: Duration) {
        let s = &mut self.stages[stage as usize];
        s.seconds += elapsed.as_secs_f64();
        s.calls += 1;
    }
}

impl fmt::Display for StageTimes {
    /// A table: stage, seconds, share of the run, calls (wall time, one thread).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.total_s.max(f64::MIN_POSITIVE);
        writeln!(
            f,
            "{:<12} {:>10} {:>7} {:>10}",
            "stage", "wall s", "share", "calls"
        )?;
        for stage in Stage::ALL {
            let t = self.get(stage);
            let share = 100.0 * t.seconds / total;
            let (name, s, calls) = (stage.name(), t.seconds, t.calls);
            writeln!(f, "{name:<12} {s:>10.3} {share:>6.1}% {calls:>10}")?;
        }
        let other = (self.total_s - self.stages_s()).max(0.0);
        let share = 100.0 * other / total;
        writeln!(f, "{:<12} {other:>10.3} {share:>6.1}%", "other")?;
        write!(
            f,
            "{:<12} {:>10.3} {:>6.1}%   (wall-clock time, one thread)",
            "total", self.total_s, 100.0
        )
    }
}
