//! Recorders: the one way the world reports what happens. A stage never writes an output; it
//! hands events, detections and engagement records to [`Recorders`], which passes them to every
//! [`Recorder`] of the run. `events.jsonl` ([`EventLog`]) and `summary.json`
//! ([`crate::summary::SummaryRecorder`]) are recorders; a study's Parquet tables or a replay
//! viewer add theirs without touching a stage.
//!
//! Samples of the world's state (truth, tracks, interceptors) are built only when a recorder asks
//! for them ([`Recorder::wants_samples`], asked once when the recorders are assembled), so a run
//! without a sampling recorder does not pay for sampling.
mod event_log;
mod sample;

pub use event_log::EventLog;
pub use sample::{InterceptorSample, Sample, TargetSample, TrackSample};

use crate::events::{Event, EventKind, LossReason};
use crate::world::World;
use iadsim_core::{InterceptorId, Plot, SimDuration, SimTime, TargetId, TrackId};

/// Receives what happens in a run. Every method has an empty default: implement what you need.
/// Recorders stand behind the truth firewall: they see truth, and no stage reads them.
pub trait Recorder {
    /// The run starts (the world is built, nothing has happened yet).
    fn start(&mut self, _world: &World) {}
    /// An event, exactly as written to `events.jsonl`.
    fn event(&mut self, _event: &Event) {}
    /// A plot of one dwell, with the target behind it (every detection, not only the first
    /// one of a target; false alarms have no target).
    fn detection(&mut self, _detection: &Detection) {}
    /// An interceptor's flight ended (one record per interceptor fired).
    fn engagement(&mut self, _record: &EngagementRecord) {}
    /// The interval at which this recorder wants samples of the world, if any. Asked once,
    /// when the recorders are assembled.
    fn wants_samples(&self) -> Option<SimDuration> {
        None
    }
    /// A sample, at the first step end at or after each multiple of the interval asked for
    /// (steps are at most `max_step_s` apart; sampling never changes the steps).
    fn sample(&mut self, _sample: &Sample) {}
    /// The run ended.
    fn finish(&mut self, _world: &World) {}
}

/// A plot and the truth behind it (which stays on the engine's side of the truth firewall).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// The plot as the tracker receives it (sensor, time, measurement, SNR).
    pub plot: Plot,
    /// The target that made it; `None` for a false alarm.
    pub truth: Option<PlotTruth>,
}

/// The truth behind a target's plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotTruth {
    /// The target.
    pub target: TargetId,
    /// True slant range from the antenna, m.
    pub range_m: f64,
    /// True altitude of the target, m.
    pub altitude_m: f64,
}

/// How an interceptor's flight ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngagementOutcome {
    /// It passed its closest approach and the kill draw killed the target.
    Kill,
    /// It passed its closest approach and the target survived.
    Miss,
    /// It was lost before a closest approach (see the reason).
    Lost(LossReason),
}

/// One interceptor's engagement, from launch to its end.
#[derive(Debug, Clone, PartialEq)]
pub struct EngagementRecord {
    /// Interceptor.
    pub interceptor: InterceptorId,
    /// Site that fired it.
    pub site: String,
    /// Missile type.
    pub missile: String,
    /// Track engaged.
    pub track: TrackId,
    /// The target behind the track (`None`: a false track).
    pub target: Option<TargetId>,
    /// The target's class.
    pub target_class: Option<String>,
    /// Launch time, s.
    pub launch_time_s: f64,
    /// Time of the closest approach (`None` if lost before one), s.
    pub intercept_time_s: Option<f64>,
    /// Miss distance at the closest approach, m.
    pub miss_distance_m: Option<f64>,
    /// How it ended.
    pub outcome: EngagementOutcome,
}

/// When a sampling recorder is due.
#[derive(Debug, Clone, Copy)]
struct SampleClock {
    interval: SimDuration,
    due: SimTime,
}

/// The recorders of one run, and the sampling schedule of each.
pub struct Recorders<'a> {
    members: Vec<&'a mut dyn Recorder>,
    clocks: Vec<Option<SampleClock>>,
    /// The earliest due sample over all members (`None`: nobody samples).
    next_sample: Option<SimTime>,
    samples_built: u64,
}

impl<'a> Recorders<'a> {
    /// Assembles the recorders of a run on `world` (before its first step): asks each once
    /// whether it wants samples, then tells each that the run starts.
    pub fn new(world: &World, mut members: Vec<&'a mut dyn Recorder>) -> Recorders<'a> {
        let clocks: Vec<Option<SampleClock>> = members
            .iter()
            .map(|m| {
                m.wants_samples().map(|interval| SampleClock {
                    interval: SimDuration(interval.0.max(1)),
                    due: world.now(),
                })
            })
            .collect();
        for m in &mut members {
            m.start(world);
        }
        let mut recorders = Recorders {
            members,
            clocks,
            next_sample: None,
            samples_built: 0,
        };
        recorders.next_sample = recorders.earliest_due();
        recorders
    }

    /// How many samples of the world were built so far.
    pub fn samples_built(&self) -> u64 {
        self.samples_built
    }

    /// Tells every recorder that the run ended.
    pub fn finish(&mut self, world: &World) {
        for m in &mut self.members {
            m.finish(world);
        }
    }

    pub(crate) fn event(&mut self, time: SimTime, kind: EventKind) {
        let event = Event::new(time, kind);
        for m in &mut self.members {
            m.event(&event);
        }
    }

    pub(crate) fn detection(&mut self, detection: &Detection) {
        for m in &mut self.members {
            m.detection(detection);
        }
    }

    pub(crate) fn engagement(&mut self, record: &EngagementRecord) {
        for m in &mut self.members {
            m.engagement(record);
        }
    }

    /// Whether some recorder wants a sample at `now`.
    pub(crate) fn sample_due(&self, now: SimTime) -> bool {
        self.next_sample.is_some_and(|t| now >= t)
    }

    /// Builds a sample of `world` and gives it to the recorders due for one.
    pub(crate) fn sample(&mut self, world: &World) {
        let now = world.now();
        let sample = Sample::take(world);
        self.samples_built += 1;
        for (m, clock) in self.members.iter_mut().zip(&mut self.clocks) {
            let Some(clock) = clock.as_mut().filter(|c| now >= c.due) else {
                continue;
            };
            m.sample(&sample);
            let i = clock.interval.0;
            clock.due = SimTime((now.0.div_euclid(i) + 1) * i);
        }
        self.next_sample = self.earliest_due();
    }

    fn earliest_due(&self) -> Option<SimTime> {
        self.clocks.iter().flatten().map(|c| c.due).min()
    }
}
