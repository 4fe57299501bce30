//! What a run comes to: per target class, detected / tracked / engaged / killed / leaked, the
//! interceptors spent, first-detection ranges and a timeline of key events.
use crate::events::{EventKind, LeakReason};
use crate::scenario::Side;
use crate::world::{Fate, World};
use iadsim_core::TargetId;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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

impl Summary {
    /// Summarises a world (normally at the end of its run).
    pub fn from_world(world: &World, seed: u64) -> Summary {
        let tally = &world.tally;
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

        let mut interceptors = InterceptorSummary {
            fired_by_type: tally.fired_by_type.clone(),
            remaining_rounds: world.remaining_rounds(),
            ..InterceptorSummary::default()
        };
        let mut tracking = TrackingSummary::default();
        for e in world.events() {
            match &e.kind {
                EventKind::TrackConfirmed { target, .. } => {
                    tracking.tracks_confirmed += 1;
                    tracking.false_tracks_confirmed += u32::from(target.is_none());
                }
                EventKind::Launch { target, .. } => {
                    interceptors.fired += 1;
                    tracking.launches_at_false_tracks += u32::from(target.is_none());
                }
                EventKind::Intercept { .. } => interceptors.intercepts += 1,
                EventKind::Kill { .. } => interceptors.kills += 1,
                EventKind::Miss { .. } => interceptors.misses += 1,
                EventKind::InterceptorLost { .. } => interceptors.lost += 1,
                _ => {}
            }
        }
        Summary {
            scenario: world.scenario().name.clone(),
            seed,
            duration_s: world.scenario().duration_s,
            classes,
            total,
            friendly,
            interceptors,
            tracking,
            timeline: timeline(world),
        }
    }
}

fn timeline(world: &World) -> Vec<TimelineEntry> {
    let targets = world.targets();
    let describe = |t: &TargetId| {
        targets.get(t.0 as usize).map_or_else(
            || t.to_string(),
            |x| format!("{t} ({}, {})", x.class, x.raid),
        )
    };
    let raid_of = |t: &TargetId| targets.get(t.0 as usize).map(|x| x.raid.clone());
    let is_friendly = |t: &TargetId| {
        targets
            .get(t.0 as usize)
            .is_some_and(|x| x.side == Side::Friendly)
    };
    let mut seen_detection = BTreeSet::new();
    let mut seen_track = BTreeSet::new();
    let mut seen_launch = false;
    let mut missile_of = BTreeMap::new();
    let mut out = Vec::new();
    for e in world.events() {
        let text = match &e.kind {
            EventKind::Detection {
                radar,
                target,
                range_m,
                ..
            } => match raid_of(target) {
                Some(raid) if seen_detection.insert(raid.clone()) => Some(format!(
                    "first detection of raid \"{raid}\": {} by {radar} at {:.1} km",
                    describe(target),
                    range_m / 1000.0
                )),
                _ => None,
            },
            EventKind::TrackConfirmed {
                track,
                target: Some(target),
                ..
            } => match raid_of(target) {
                Some(raid) if seen_track.insert(raid.clone()) => Some(format!(
                    "first confirmed track on raid \"{raid}\": {track} on {}",
                    describe(target)
                )),
                _ => None,
            },
            EventKind::Launch {
                interceptor,
                missile,
                target,
                predicted_ground_range_m,
                ..
            } => {
                missile_of.insert(*interceptor, missile.clone());
                if seen_launch {
                    None
                } else {
                    seen_launch = true;
                    Some(format!(
                        "first launch: {interceptor} ({missile}) at {}, predicted intercept at {:.1} km",
                        target.as_ref().map_or_else(|| "a false track".to_string(), describe),
                        predicted_ground_range_m / 1000.0
                    ))
                }
            }
            EventKind::Kill {
                interceptor,
                target,
            } => Some(format!(
                "{}{} killed by {interceptor} ({})",
                if is_friendly(target) {
                    "FRATRICIDE: friendly "
                } else {
                    ""
                },
                describe(target),
                missile_of.get(interceptor).map_or("?", String::as_str)
            )),
            EventKind::Leak { target, .. } if is_friendly(target) => None,
            EventKind::Leak {
                target,
                reason,
                asset,
                ..
            } => Some(match (reason, asset) {
                (LeakReason::ReachedAsset, Some(a)) => format!(
                    "{} LEAKED: reached {}",
                    describe(target),
                    world
                        .scenario()
                        .assets
                        .get(a.0 as usize)
                        .map_or_else(|| a.to_string(), |x| x.name.clone())
                ),
                _ => format!("{} LEAKED: reached the end of its route", describe(target)),
            }),
            _ => None,
        };
        if let Some(text) = text {
            out.push(TimelineEntry {
                time_s: e.time_s,
                text,
            });
        }
    }
    out
}
