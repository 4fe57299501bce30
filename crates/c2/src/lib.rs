//! # iadsim-c2
//!
//! The command post of an air-defence site: threat evaluation and weapon assignment. It sees
//! [`TrackReport`]s, never truth; what a missile can reach it asks through the
//! [`LaunchEnvelope`] trait, which the engine implements with the interceptor flyout model. It is
//! usable alone: give it tracks, assets, fire units and an envelope, and it returns fire orders.
//!
//! ## One decision cycle ([`CommandPost::plan`])
//! 1. **Threat evaluation** ([`evaluate_threats`]): for each confirmed track and each defended
//!    asset, the closest point of approach of the track's straight-line extrapolation gives a miss
//!    distance and a time; the threat score is
//!    `value · min(1, (radius + 10 km)/miss) / (t_cpa + 10 s)` (for a receding track, `t_cpa` is
//!    replaced by the time it would need to come back), maximised over assets: a near
//!    and soon pass over a valuable asset ranks first. Ties break by track id.
//! 2. **Assignment** (greedy, most threatening first): a track is engaged when it has been
//!    confirmed for at least the reaction time, is not already under fire or in its
//!    kill-assessment look, and the engagement radar has a free target channel and enough free
//!    missile-guidance channels. Each round of the salvo goes to the first missile type, in the
//!    site's preference order (shortest-range first, to save long-range rounds), that a ready
//!    launcher carries and whose envelope contains the predicted intercept.
//! 3. **Doctrine**: salvo size, shoot-look-shoot (after the last interceptor of a salvo has
//!    finished, look for `kill_assessment_s`: a track that received a plot since then is re-engaged,
//!    one that did not is assessed killed and left alone), minimum launch interval per launcher.
//!    Tracks without a plot for 15 s are not engaged.
//!
//! ## Not guaranteed
//! Greedy assignment is not optimal; an exact weapon-target assignment is a later addition. The
//! threat score is a documented heuristic, not a doctrine of any army.
#![deny(missing_docs)]

mod threat;
pub mod wta;

pub use threat::{evaluate_threats, AssetInfo, Threat};

use iadsim_core::{LauncherId, SimDuration, SimTime, TrackId, TrackReport, TrackStatus};
use serde::Serialize;
use std::collections::BTreeMap;

/// Errors in command-post configuration.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum C2Error {
    /// Salvo size of zero.
    #[error("salvo size {salvo} must be at least 1")]
    EmptySalvo {
        /// The value given.
        salvo: u32,
    },
}

/// What the envelope model says about one possible shot.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InterceptSolution {
    /// Time from launch to the predicted intercept, s.
    pub time_to_go_s: f64,
    /// Ground range from the launcher to the predicted intercept point, m.
    pub ground_range_m: f64,
    /// Altitude of the predicted intercept point, m.
    pub altitude_m: f64,
}

/// Answers "can this missile, fired now from this launcher, intercept this track?". The engine
/// implements it with the flyout model and the missile's published limits.
pub trait LaunchEnvelope {
    /// The predicted intercept, or `None` if it is outside the missile's envelope.
    fn intercept(
        &self,
        launcher: LauncherId,
        missile: &str,
        track: &TrackReport,
    ) -> Option<InterceptSolution>;
}

/// Doctrine and timing of a command post.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct C2Config {
    /// Missiles per engagement.
    pub salvo: u32,
    /// Look time after a salvo before re-engaging, s.
    pub kill_assessment_s: f64,
    /// Time from track confirmation to the earliest launch, s.
    pub reaction_time_s: f64,
    /// Targets the engagement radar(s) can engage at once.
    pub max_engaged_targets: u32,
    /// Missiles the engagement radar(s) can guide at once.
    pub max_guided_missiles: u32,
}

/// A launcher as C2 knows it: what it holds and when it can fire again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FireUnit {
    /// Launcher.
    pub launcher: LauncherId,
    /// Rounds left, by missile type.
    pub rounds: BTreeMap<String, u32>,
    /// Minimum time between two launches, s.
    pub min_launch_interval_s: f64,
    /// Last launch.
    pub last_launch: Option<SimTime>,
}

impl FireUnit {
    fn ready(&self, now: SimTime) -> bool {
        self.last_launch
            .is_none_or(|t| now - t >= SimDuration::from_secs_f64(self.min_launch_interval_s))
    }
}

/// An order to launch one missile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FireOrder {
    /// Launcher that fires.
    pub launcher: LauncherId,
    /// Missile type.
    pub missile: String,
    /// Track engaged.
    pub track: TrackId,
    /// Predicted intercept.
    pub solution: InterceptSolution,
    /// The threat evaluation that ranked the track.
    pub threat: Threat,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Engagement {
    /// Interceptors in flight.
    UnderFire { in_flight: u32 },
    /// Looking (kill assessment) until `until`; the salvo ended at `since`.
    Assessing { since: SimTime, until: SimTime },
    /// The look found no fresh plot after the salvo: assessed killed, not engaged again.
    AssessedKilled,
}

/// A track older than this (no plot for this long) is not engaged, s.
const STALE_TRACK_S: f64 = 15.0;

/// The command post of one site.
#[derive(Debug, Clone)]
pub struct CommandPost {
    config: C2Config,
    fire_units: Vec<FireUnit>,
    missile_preference: Vec<String>,
    assets: Vec<AssetInfo>,
    confirmed_at: BTreeMap<TrackId, SimTime>,
    engagements: BTreeMap<TrackId, Engagement>,
    missiles_in_flight: u32,
}

impl CommandPost {
    /// A command post with its fire units, the missile types in order of preference (first is
    /// tried first) and the assets it defends.
    pub fn new(
        config: C2Config,
        fire_units: Vec<FireUnit>,
        missile_preference: Vec<String>,
        assets: Vec<AssetInfo>,
    ) -> Result<Self, C2Error> {
        if config.salvo == 0 {
            return Err(C2Error::EmptySalvo { salvo: 0 });
        }
        Ok(CommandPost {
            config,
            fire_units,
            missile_preference,
            assets,
            confirmed_at: BTreeMap::new(),
            engagements: BTreeMap::new(),
            missiles_in_flight: 0,
        })
    }

    /// The fire units and their remaining rounds.
    pub fn fire_units(&self) -> &[FireUnit] {
        &self.fire_units
    }

    /// Missiles currently guided.
    pub fn missiles_in_flight(&self) -> u32 {
        self.missiles_in_flight
    }

    /// Targets currently under fire.
    pub fn engaged_targets(&self) -> u32 {
        self.engagements
            .values()
            .filter(|e| matches!(e, Engagement::UnderFire { .. }))
            .count() as u32
    }

    /// Reports that an interceptor fired at `track` has finished (intercepted or expired). When
    /// the last one of a salvo finishes, the kill-assessment look begins.
    pub fn interceptor_finished(&mut self, track: TrackId, now: SimTime) {
        self.missiles_in_flight = self.missiles_in_flight.saturating_sub(1);
        if let Some(Engagement::UnderFire { in_flight }) = self.engagements.get(&track).copied() {
            let next = if in_flight <= 1 {
                Engagement::Assessing {
                    since: now,
                    until: now + SimDuration::from_secs_f64(self.config.kill_assessment_s),
                }
            } else {
                Engagement::UnderFire {
                    in_flight: in_flight - 1,
                }
            };
            self.engagements.insert(track, next);
        }
    }

    /// One decision cycle: evaluates the threats among `tracks` and returns the launches to make
    /// now. The returned orders are already booked (rounds, channels, launch times).
    pub fn plan(
        &mut self,
        now: SimTime,
        tracks: &[TrackReport],
        envelope: &dyn LaunchEnvelope,
    ) -> Vec<FireOrder> {
        for t in tracks.iter().filter(|t| t.status == TrackStatus::Confirmed) {
            self.confirmed_at.entry(t.id).or_insert(now);
        }
        // Forget tracks the tracker dropped; finished looks expire.
        let alive: std::collections::BTreeSet<TrackId> = tracks.iter().map(|t| t.id).collect();
        self.confirmed_at.retain(|id, _| alive.contains(id));
        // Kill assessment: when the look is over, a track that has had a plot since the salvo
        // ended is still flying (re-engage); one that has not is assessed killed.
        for t in tracks {
            if let Some(Engagement::Assessing { since, until }) =
                self.engagements.get(&t.id).copied()
            {
                if until <= now {
                    if t.last_update > since {
                        self.engagements.remove(&t.id);
                    } else {
                        self.engagements.insert(t.id, Engagement::AssessedKilled);
                    }
                }
            }
        }
        self.engagements.retain(|id, e| match e {
            Engagement::UnderFire { .. } => true,
            Engagement::Assessing { .. } | Engagement::AssessedKilled => alive.contains(id),
        });

        let threats = evaluate_threats(tracks, &self.assets);
        let reaction = SimDuration::from_secs_f64(self.config.reaction_time_s);
        let mut orders = Vec::new();
        for threat in threats {
            if self.engaged_targets() >= self.config.max_engaged_targets {
                break;
            }
            let free_guidance = self
                .config
                .max_guided_missiles
                .saturating_sub(self.missiles_in_flight);
            if free_guidance == 0 {
                break;
            }
            if self.engagements.contains_key(&threat.track) {
                continue;
            }
            let Some(&confirmed) = self.confirmed_at.get(&threat.track) else {
                continue;
            };
            if now - confirmed < reaction {
                continue;
            }
            let Some(track) = tracks.iter().find(|t| t.id == threat.track) else {
                continue;
            };
            if (now - track.last_update).as_secs_f64() > STALE_TRACK_S {
                continue;
            }
            let salvo = self.config.salvo.min(free_guidance);
            let mut fired = 0;
            let mut used_launchers = Vec::new();
            while fired < salvo {
                let Some((unit, missile, solution)) =
                    self.best_shot(now, track, envelope, &used_launchers)
                else {
                    break;
                };
                let fu = &mut self.fire_units[unit];
                if let Some(n) = fu.rounds.get_mut(&missile) {
                    *n -= 1;
                }
                fu.last_launch = Some(now);
                used_launchers.push(fu.launcher);
                orders.push(FireOrder {
                    launcher: fu.launcher,
                    missile,
                    track: track.id,
                    solution,
                    threat,
                });
                fired += 1;
            }
            if fired > 0 {
                self.missiles_in_flight += fired;
                self.engagements
                    .insert(track.id, Engagement::UnderFire { in_flight: fired });
            }
        }
        orders
    }

    fn best_shot(
        &self,
        now: SimTime,
        track: &TrackReport,
        envelope: &dyn LaunchEnvelope,
        used: &[LauncherId],
    ) -> Option<(usize, String, InterceptSolution)> {
        for missile in &self.missile_preference {
            for (i, fu) in self.fire_units.iter().enumerate() {
                if used.contains(&fu.launcher)
                    || !fu.ready(now)
                    || fu.rounds.get(missile).copied().unwrap_or(0) == 0
                {
                    continue;
                }
                if let Some(solution) = envelope.intercept(fu.launcher, missile, track) {
                    return Some((i, missile.clone(), solution));
                }
            }
        }
        None
    }
}
