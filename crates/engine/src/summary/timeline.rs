//! The summary's timeline: key events in words (first detection and first track of each raid,
//! the first launch, kills, leaks), built event by event.
use super::TimelineEntry;
use crate::events::{Event, EventKind, LeakReason};
use crate::scenario::Side;
use crate::world::World;
use iadsim_core::{AssetId, InterceptorId, TargetId};
use std::collections::{BTreeMap, BTreeSet};

/// What the timeline says about a target.
#[derive(Debug, Clone)]
struct TargetLabel {
    class: String,
    raid: String,
    friendly: bool,
}

/// The timeline so far and what it has already said.
#[derive(Debug, Clone, Default)]
pub(super) struct Timeline {
    targets: Vec<TargetLabel>,
    assets: Vec<String>,
    seen_detection: BTreeSet<String>,
    seen_track: BTreeSet<String>,
    seen_launch: bool,
    missile_of: BTreeMap<InterceptorId, String>,
    entries: Vec<TimelineEntry>,
}

impl Timeline {
    /// An empty timeline of a run on `world`.
    pub(super) fn new(world: &World) -> Timeline {
        Timeline {
            targets: (world.targets().iter())
                .map(|t| TargetLabel {
                    class: t.class.clone(),
                    raid: t.raid.clone(),
                    friendly: t.side == Side::Friendly,
                })
                .collect(),
            assets: world
                .scenario()
                .assets
                .iter()
                .map(|a| a.name.clone())
                .collect(),
            ..Timeline::default()
        }
    }

    pub(super) fn entries(&self) -> &[TimelineEntry] {
        &self.entries
    }

    fn describe(&self, t: &TargetId) -> String {
        self.targets.get(t.0 as usize).map_or_else(
            || t.to_string(),
            |x| format!("{t} ({}, {})", x.class, x.raid),
        )
    }

    fn raid_of(&self, t: &TargetId) -> Option<String> {
        self.targets.get(t.0 as usize).map(|x| x.raid.clone())
    }

    fn is_friendly(&self, t: &TargetId) -> bool {
        self.targets.get(t.0 as usize).is_some_and(|x| x.friendly)
    }

    fn asset_name(&self, a: &AssetId) -> String {
        self.assets
            .get(a.0 as usize)
            .map_or_else(|| a.to_string(), Clone::clone)
    }

    /// Adds the line `event` deserves, if any.
    pub(super) fn event(&mut self, event: &Event) {
        let text = match &event.kind {
            EventKind::Detection {
                radar,
                target,
                range_m,
                ..
            } => match self.raid_of(target) {
                Some(raid) if self.seen_detection.insert(raid.clone()) => Some(format!(
                    "first detection of raid \"{raid}\": {} by {radar} at {:.1} km",
                    self.describe(target),
                    range_m / 1000.0
                )),
                _ => None,
            },
            EventKind::TrackConfirmed {
                track,
                target: Some(target),
                ..
            } => match self.raid_of(target) {
                Some(raid) if self.seen_track.insert(raid.clone()) => Some(format!(
                    "first confirmed track on raid \"{raid}\": {track} on {}",
                    self.describe(target)
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
                self.missile_of.insert(*interceptor, missile.clone());
                if self.seen_launch {
                    None
                } else {
                    self.seen_launch = true;
                    Some(format!(
                        "first launch: {interceptor} ({missile}) at {}, predicted intercept at {:.1} km",
                        target.as_ref().map_or_else(|| "a false track".to_string(), |t| self.describe(t)),
                        predicted_ground_range_m / 1000.0
                    ))
                }
            }
            EventKind::Kill {
                interceptor,
                target,
            } => Some(format!(
                "{}{} killed by {interceptor} ({})",
                if self.is_friendly(target) {
                    "FRATRICIDE: friendly "
                } else {
                    ""
                },
                self.describe(target),
                self.missile_of.get(interceptor).map_or("?", String::as_str)
            )),
            EventKind::Leak { target, .. } if self.is_friendly(target) => None,
            EventKind::Leak {
                target,
                reason,
                asset,
                ..
            } => Some(match (reason, asset) {
                (LeakReason::ReachedAsset, Some(a)) => format!(
                    "{} LEAKED: reached {}",
                    self.describe(target),
                    self.asset_name(a)
                ),
                _ => format!(
                    "{} LEAKED: reached the end of its route",
                    self.describe(target)
                ),
            }),
            _ => None,
        };
        if let Some(text) = text {
            self.entries.push(TimelineEntry {
                time_s: event.time_s,
                text,
            });
        }
    }
}
