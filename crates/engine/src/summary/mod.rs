//! What a run comes to (`summary.json`): per target class, detected / tracked / engaged /
//! killed / leaked, the interceptors spent, first-detection ranges and a timeline of key events.
//! [`SummaryRecorder`] tallies it from what the stages report; the world adds only the targets'
//! fates and the rounds left at the end.
mod timeline;

use crate::events::{Event, EventKind};
use crate::record::{Detection, Recorder};
use crate::scenario::Side;
use crate::world::{Fate, World};
use iadsim_core::{SimTime, TargetId};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use timeline::Timeline;

/// Min, mean and max of a sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stats {
    /// Smallest value.
    pub min: f64,
    /// Mean.
    pub mean: f64,
    /// Largest value.
    pub max: f64,
}

impl Stats {
    fn of(values: &[f64]) -> Option<Stats> {
        if values.is_empty() {
            return None;
        }
        Some(Stats {
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            mean: values.iter().sum::<f64>() / values.len() as f64,
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        })
    }
}

/// Outcome for one target class.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ClassSummary {
    /// Targets of the class.
    pub count: u32,
    /// Detected by at least one radar.
    pub detected: u32,
    /// Held by a confirmed track.
    pub tracked: u32,
    /// At least one interceptor fired at them.
    pub engaged: u32,
    /// Destroyed.
    pub killed: u32,
    /// Got through (reached an asset or the end of the route).
    pub leaked: u32,
    /// Still flying when the run ended.
    pub airborne_at_end: u32,
    /// Range at first detection (the farthest radar that saw it first), m.
    pub first_detection_range_m: Option<Stats>,
}

/// Interceptor expenditure.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct InterceptorSummary {
    /// Launched.
    pub fired: u32,
    /// Launched, by missile type.
    pub fired_by_type: BTreeMap<String, u32>,
    /// Reached a closest approach to their target.
    pub intercepts: u32,
    /// Intercepts that killed.
    pub kills: u32,
    /// Intercepts that did not kill.
    pub misses: u32,
    /// Lost without an intercept (energy exhausted, target already gone).
    pub lost: u32,
    /// Rounds left on the launchers, by type.
    pub remaining_rounds: BTreeMap<String, u32>,
}

/// Friendly aircraft in the scenario, and what the defence did to them.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct FriendlySummary {
    /// Friendly aircraft flown.
    pub count: u32,
    /// Fired at (IFF failed to identify them).
    pub engaged: u32,
    /// Shot down by the defence (fratricide).
    pub shot_down: u32,
}

/// What the trackers did.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct TrackingSummary {
    /// Tracks confirmed, over all sites.
    pub tracks_confirmed: u32,
    /// Confirmed tracks made of false alarms only (no target behind them).
    pub false_tracks_confirmed: u32,
    /// Interceptors fired at false tracks.
    pub launches_at_false_tracks: u32,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    /// Time, s.
    pub time_s: f64,
    /// What happened, in words.
    pub text: String,
}

/// The summary of one run (`summary.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Simulated time, s.
    pub duration_s: f64,
    /// Outcome by target class.
    pub classes: BTreeMap<String, ClassSummary>,
    /// All classes together (hostile targets only).
    pub total: ClassSummary,
    /// Friendly aircraft (not counted in `classes` and `total`).
    pub friendly: FriendlySummary,
    /// Interceptors.
    pub interceptors: InterceptorSummary,
    /// Tracking.
    pub tracking: TrackingSummary,
    /// Key events.
    pub timeline: Vec<TimelineEntry>,
}

/// Running tallies of a run, fed by events and detections.
#[derive(Debug, Default, Clone)]
struct Tally {
    /// Per target: the range of its first detection (the farthest radar among those that saw it
    /// first) and its time.
    first_detection: BTreeMap<TargetId, (f64, SimTime)>,
    tracked: BTreeSet<TargetId>,
    engaged: BTreeSet<TargetId>,
    fired_by_type: BTreeMap<String, u32>,
    interceptors: InterceptorSummary,
    tracking: TrackingSummary,
}

/// The recorder behind `summary.json`.
#[derive(Debug, Clone)]
pub struct SummaryRecorder {
    seed: u64,
    tally: Tally,
    timeline: Timeline,
}

impl SummaryRecorder {
    /// A summary of a run with master seed `seed` (it is written into the summary).
    pub fn new(seed: u64) -> SummaryRecorder {
        SummaryRecorder {
            seed,
            tally: Tally::default(),
            timeline: Timeline::default(),
        }
    }

    /// The summary of the run so far: the tallies, and the targets' fates and the rounds left
    /// in `world` (normally at the end of its run).
    pub fn summary(&self, world: &World) -> Summary {
        let tally = &self.tally;
        let (classes, total, friendly) = class_summaries(tally, world);
        let interceptors = InterceptorSummary {
            fired_by_type: tally.fired_by_type.clone(),
            remaining_rounds: world.remaining_rounds(),
            ..tally.interceptors.clone()
        };
        Summary {
            scenario: world.scenario().name.clone(),
            seed: self.seed,
            duration_s: world.scenario().duration_s,
            classes,
            total,
            friendly,
            interceptors,
            tracking: tally.tracking.clone(),
            timeline: self.timeline.entries().to_vec(),
        }
    }
}

impl Recorder for SummaryRecorder {
    fn start(&mut self, world: &World) {
        self.timeline = Timeline::new(world);
    }

    fn detection(&mut self, detection: &Detection) {
        let Some(truth) = detection.truth else {
            return;
        };
        let (range_m, now) = (truth.range_m, detection.plot.time);
        let entry = self
            .tally
            .first_detection
            .entry(truth.target)
            .or_insert((range_m, now));
        if entry.1 == now && range_m > entry.0 {
            entry.0 = range_m;
        }
    }

    fn event(&mut self, event: &Event) {
        let t = &mut self.tally;
        match &event.kind {
            EventKind::TrackConfirmed { target, .. } => {
                t.tracking.tracks_confirmed += 1;
                t.tracking.false_tracks_confirmed += u32::from(target.is_none());
                t.tracked.extend(*target);
            }
            EventKind::Launch {
                target, missile, ..
            } => {
                t.interceptors.fired += 1;
                t.tracking.launches_at_false_tracks += u32::from(target.is_none());
                t.engaged.extend(*target);
                *t.fired_by_type.entry(missile.clone()).or_insert(0) += 1;
            }
            EventKind::Intercept { .. } => t.interceptors.intercepts += 1,
            EventKind::Kill { .. } => t.interceptors.kills += 1,
            EventKind::Miss { .. } => t.interceptors.misses += 1,
            EventKind::InterceptorLost { .. } => t.interceptors.lost += 1,
            _ => {}
        }
        self.timeline.event(event);
    }
}

/// Per class and in total (hostile targets), and the friendly aircraft.
fn class_summaries(
    tally: &Tally,
    world: &World,
) -> (
    BTreeMap<String, ClassSummary>,
    ClassSummary,
    FriendlySummary,
) {
    let mut classes: BTreeMap<String, ClassSummary> = BTreeMap::new();
    let mut ranges: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut all_ranges = Vec::new();
    let mut total = ClassSummary::default();
    let mut friendly = FriendlySummary::default();
    for t in world.targets() {
        if t.fate == Fate::Waiting {
            // Never launched within the run: not part of the raid that happened.
            continue;
        }
        if t.side == Side::Friendly {
            friendly.count += 1;
            friendly.engaged += u32::from(tally.engaged.contains(&t.id));
            friendly.shot_down += u32::from(t.fate == Fate::Killed);
            continue;
        }
        let c = classes.entry(t.class.clone()).or_default();
        let flags = [
            true,
            tally.first_detection.contains_key(&t.id),
            tally.tracked.contains(&t.id),
            tally.engaged.contains(&t.id),
            t.fate == Fate::Killed,
            t.fate == Fate::Leaked,
            t.fate == Fate::Flying,
        ];
        for s in [&mut *c, &mut total] {
            let fields = [
                &mut s.count,
                &mut s.detected,
                &mut s.tracked,
                &mut s.engaged,
                &mut s.killed,
                &mut s.leaked,
                &mut s.airborne_at_end,
            ];
            for (field, on) in fields.into_iter().zip(flags) {
                *field += u32::from(on);
            }
        }
        if let Some((r, _)) = tally.first_detection.get(&t.id) {
            ranges.entry(t.class.clone()).or_default().push(*r);
            all_ranges.push(*r);
        }
    }
    for (class, r) in &ranges {
        if let Some(c) = classes.get_mut(class) {
            c.first_detection_range_m = Stats::of(r);
        }
    }
    total.first_detection_range_m = Stats::of(&all_ranges);
    (classes, total, friendly)
}
