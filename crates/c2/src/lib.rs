//! # iadsim-c2
//!
//! The command post of an air-defence site: threat evaluation, rules of engagement, weapon-target
//! assignment and doctrine. It sees [`TrackReport`]s, never truth; what a missile can reach it
//! asks through the [`LaunchEnvelope`] trait, which the engine implements with the interceptor
//! flyout model. It is usable alone: give it tracks, assets, fire units and an envelope, and it
//! returns fire orders and a record of every decision ([`Decision`]).
//!
//! ## One decision cycle ([`CommandPost::plan`])
//! 1. **Bookkeeping**: kill assessment of finished salvos (shoot-look-shoot: after the last
//!    interceptor of a salvo has finished, look for `kill_assessment_s`; a track that received a
//!    plot since then is re-engaged, one that did not is assessed killed), launcher reloads.
//! 2. **Threat evaluation** ([`evaluate_threats`]): for each confirmed track and each defended
//!    asset, the closest point of approach of the track's straight-line extrapolation gives a miss
//!    distance and a time; the threat score is
//!    `value · min(1, (radius + 10 km)/miss) / (t_cpa + 10 s)` (for a receding track, `t_cpa` is
//!    replaced by the time it would need to come back), maximised over assets; the kinematic
//!    class ([`ThreatClass`]) comes from speed and height. The ranked list, with each track's
//!    envelope window, is logged whenever its order changes ([`Decision::ThreatList`]).
//! 3. **Eligibility**: a track is held ([`Decision::Hold`], logged when its reason changes) if it
//!    is identified friendly (IFF), confirmed for less than the reaction time, without a plot for
//!    15 s, outside every feasible shot (each missile's envelope as the engine computes it), only
//!    reachable where the rules of engagement forbid ([`Roe`]), only reachable with reserve rounds
//!    while not a direct threat, or when no launcher is ready or no fire-control channel is free.
//! 4. **Assignment** ([`assign::solve_cycle`]): weapons are the ready launchers; the pair
//!    (launcher, track) takes the first missile type in the site's preference order
//!    (shortest-range first, to save long-range rounds) that the launcher holds, whose envelope
//!    contains the predicted intercept and the ROE allow; `p_ij` is that shot's planning Pk. The
//!    cycle's WTA (values = threat scores, at most a salvo per target, within the free guidance
//!    and target channels) is solved exactly; the result is logged ([`Decision::Assignment`]).
//! 5. **Doctrine**: salvo size, shoot-look-shoot, minimum launch interval per launcher, a
//!    reserve of rounds per missile type kept for direct threats (tracks predicted to pass within
//!    an asset's radius), reload from the site's stock after `reload_time_s` once a launcher is
//!    empty.
//!
//! ## Not guaranteed
//! The threat score is a documented heuristic, not a doctrine of any army. The WTA of one cycle
//! is myopic: it does not hold weapons back for targets expected in later cycles (except through
//! the reserve).
#![deny(missing_docs)]

pub mod roe;
mod threat;
pub mod wta;

pub use roe::{Identity, Roe, RoeViolation, Zone, ZoneKind, ZoneShape};
pub use threat::{
    classify, evaluate_threats, AssetInfo, Threat, ThreatClass, BALLISTIC_SPEED_MPS,
    DRONE_SPEED_MPS, LOW_ALTITUDE_M,
};

use iadsim_core::{LauncherId, SimDuration, SimTime, TrackId, TrackReport, TrackStatus};
use nalgebra::Vector3;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use wta::cycle::{solve_cycle, CycleProblem, CycleSolver};

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
    /// The predicted intercept point, ECEF, m (for the rules of engagement).
    pub point_ecef_m: [f64; 3],
    /// Planning kill probability of this shot.
    pub pk: f64,
}

/// Why a missile cannot engage a track from a launcher now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoShot {
    /// The target is faster than the missile can engage.
    TargetTooFast,
    /// The flyout cannot meet the target before the missile runs out of energy or time.
    Unreachable,
    /// The predicted intercept is beyond the missile's maximum range.
    BeyondMaxRange,
    /// The predicted intercept is inside the missile's minimum range.
    InsideMinRange,
    /// The predicted intercept is above or below the missile's altitude limits.
    OutsideAltitudeLimits,
    /// No engagement radar can see the intercept point to guide the missile.
    NotGuidable,
    /// The launcher or missile is unknown to the envelope model.
    Unknown,
}

/// Answers "can this missile, fired now from this launcher, intercept this track?". The engine
/// implements it with the flyout model and the missile's published limits.
pub trait LaunchEnvelope {
    /// The predicted intercept, or why there is none.
    fn intercept(
        &self,
        launcher: LauncherId,
        missile: &str,
        track: &TrackReport,
        class: ThreatClass,
    ) -> Result<InterceptSolution, NoShot>;
}

/// Doctrine and timing of a command post.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct C2Config {
    /// At most this many missiles per target in one engagement.
    pub salvo: u32,
    /// Look time after a salvo before re-engaging, s.
    pub kill_assessment_s: f64,
    /// Time from track confirmation to the earliest launch, s.
    pub reaction_time_s: f64,
    /// Targets the engagement radar(s) can engage at once.
    pub max_engaged_targets: u32,
    /// Missiles the engagement radar(s) can guide at once.
    pub max_guided_missiles: u32,
    /// Rounds of each missile type (site-wide, launchers and reload stock excluded) kept for
    /// direct threats: when only this many are left, the type fires only at tracks predicted to
    /// pass within a defended asset's radius.
    pub reserve: BTreeMap<String, u32>,
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
    /// The load it is reloaded to, by missile type.
    pub full_load: BTreeMap<String, u32>,
    /// Time to reload once empty, s.
    pub reload_time_s: f64,
    /// When an ongoing reload completes, and with what.
    pub reloading: Option<(SimTime, BTreeMap<String, u32>)>,
}

impl FireUnit {
    /// A loaded launcher that has not fired yet.
    pub fn new(
        launcher: LauncherId,
        load: BTreeMap<String, u32>,
        min_launch_interval_s: f64,
        reload_time_s: f64,
    ) -> FireUnit {
        FireUnit {
            launcher,
            rounds: load.clone(),
            min_launch_interval_s,
            last_launch: None,
            full_load: load,
            reload_time_s,
            reloading: None,
        }
    }

    fn ready(&self, now: SimTime) -> bool {
        self.reloading.is_none()
            && self.rounds.values().any(|&n| n > 0)
            && self
                .last_launch
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

/// One line of the ranked threat list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThreatEntry {
    /// Rank, 1 = most threatening.
    pub rank: u32,
    /// The evaluation (score, asset, closest approach, class).
    #[serde(flatten)]
    pub threat: Threat,
    /// Identification.
    pub identity: Identity,
    /// When, from now, the track is first inside some missile's envelope, s (sampled every
    /// [`ENVELOPE_SAMPLE_S`] over [`ENVELOPE_HORIZON_S`]; `None`: not within the horizon).
    pub envelope_enter_s: Option<f64>,
    /// When, from now, it leaves the last envelope it was in, s (`None`: still inside at the
    /// horizon, or never inside).
    pub envelope_exit_s: Option<f64>,
}

/// Sampling interval of the envelope window in the threat list, s.
pub const ENVELOPE_SAMPLE_S: f64 = 10.0;
/// Horizon of the envelope window in the threat list, s.
pub const ENVELOPE_HORIZON_S: f64 = 300.0;

/// Why a track is not fired at in this cycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum HoldReason {
    /// IFF identified it as friendly.
    IdentifiedFriend,
    /// Confirmed for less than the reaction time.
    Reaction {
        /// Time until it may be engaged, s.
        ready_in_s: f64,
    },
    /// No plot for too long: not a firing-quality track.
    Stale {
        /// Time since its last plot, s.
        age_s: f64,
    },
    /// No ready launcher holds a missile that can reach it; the reason given is that of the
    /// longest-reaching missile type tried.
    NoShot {
        /// The missile type.
        missile: String,
        /// Why it cannot engage.
        why: NoShot,
    },
    /// Every feasible intercept breaks the rules of engagement.
    Roe {
        /// The rule.
        violation: RoeViolation,
    },
    /// Only reserve rounds can reach it, and it is not a direct threat.
    ReserveOnly,
    /// No launcher is ready (launch interval, reload, empty).
    NoReadyLauncher,
    /// No free guidance or target channel on the engagement radars.
    NoFreeChannel,
    /// Feasible, but the assignment gave the ready weapons to more valuable shots.
    NotAssigned,
}

/// A record of one command-post decision, for the event log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// The ranked threat list (logged when the ranking changes).
    ThreatList {
        /// Most threatening first.
        threats: Vec<ThreatEntry>,
    },
    /// A track is held, and why (logged when the reason changes).
    Hold {
        /// Track.
        track: TrackId,
        /// Why.
        #[serde(flatten)]
        reason: HoldReason,
    },
    /// The cycle's weapon-target assignment (logged when it fires).
    Assignment {
        /// Ready weapons (launchers).
        weapons: u32,
        /// Eligible tracks.
        targets: u32,
        /// Expected surviving threat value after the assignment.
        objective: f64,
        /// Expected surviving threat value if nothing were fired.
        objective_if_idle: f64,
        /// Lower bound on the optimum.
        lower_bound: f64,
        /// Whether the assignment is proven optimal.
        optimal: bool,
        /// Branch-and-bound nodes.
        nodes: u64,
        /// The shots, with their planning Pk.
        shots: Vec<Shot>,
    },
    /// Kill assessment after a salvo.
    KillAssessment {
        /// Track.
        track: TrackId,
        /// Whether it was assessed killed (no plot during the look) or will be re-engaged.
        killed: bool,
    },
    /// A launcher started reloading.
    ReloadStarted {
        /// Launcher.
        launcher: LauncherId,
        /// Completion time, s.
        complete_at_s: f64,
        /// Rounds it will receive.
        rounds: BTreeMap<String, u32>,
    },
    /// A launcher finished reloading.
    ReloadComplete {
        /// Launcher.
        launcher: LauncherId,
    },
}

/// One shot of an assignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shot {
    /// Launcher.
    pub launcher: LauncherId,
    /// Missile type.
    pub missile: String,
    /// Track.
    pub track: TrackId,
    /// Planning kill probability.
    pub pk: f64,
}

/// The result of one decision cycle.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CycleOutcome {
    /// Launches to make now (already booked: rounds, channels, launch times).
    pub orders: Vec<FireOrder>,
    /// What was decided and why.
    pub decisions: Vec<Decision>,
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

/// A feasible shot of one weapon at one track: the missile type and its predicted intercept.
type FeasibleShot = (String, InterceptSolution);

/// A track older than this (no plot for this long) is not engaged, s.
pub const STALE_TRACK_S: f64 = 15.0;

/// The command post of one site.
#[derive(Debug, Clone)]
pub struct CommandPost {
    config: C2Config,
    fire_units: Vec<FireUnit>,
    missile_preference: Vec<String>,
    assets: Vec<AssetInfo>,
    roe: Roe,
    reload_stock: BTreeMap<String, u32>,
    confirmed_at: BTreeMap<TrackId, SimTime>,
    engagements: BTreeMap<TrackId, Engagement>,
    missiles_in_flight: u32,
    last_ranking: Vec<TrackId>,
    last_hold: BTreeMap<TrackId, HoldReason>,
}

impl CommandPost {
    /// A command post with its fire units, the missile types in order of preference (first is
    /// tried first) and the assets it defends. No ROE zones and no reload stock: see
    /// [`CommandPost::with_roe`] and [`CommandPost::with_reload_stock`].
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
            roe: Roe::default(),
            reload_stock: BTreeMap::new(),
            confirmed_at: BTreeMap::new(),
            engagements: BTreeMap::new(),
            missiles_in_flight: 0,
            last_ranking: Vec::new(),
            last_hold: BTreeMap::new(),
        })
    }

    /// Sets the rules of engagement.
    pub fn with_roe(mut self, roe: Roe) -> Self {
        self.roe = roe;
        self
    }

    /// Sets the site's stock of reload rounds, by missile type.
    pub fn with_reload_stock(mut self, stock: BTreeMap<String, u32>) -> Self {
        self.reload_stock = stock;
        self
    }

    /// The fire units and their remaining rounds.
    pub fn fire_units(&self) -> &[FireUnit] {
        &self.fire_units
    }

    /// Reload rounds left in the site's stock.
    pub fn reload_stock(&self) -> &BTreeMap<String, u32> {
        &self.reload_stock
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

    /// Rounds of `missile` left on all launchers.
    fn rounds_left(&self, missile: &str) -> u32 {
        self.fire_units
            .iter()
            .map(|f| f.rounds.get(missile).copied().unwrap_or(0))
            .sum()
    }

    fn reloads(&mut self, now: SimTime, decisions: &mut Vec<Decision>) {
        for fu in &mut self.fire_units {
            if let Some((until, load)) = &fu.reloading {
                if *until <= now {
                    fu.rounds = load.clone();
                    fu.reloading = None;
                    decisions.push(Decision::ReloadComplete {
                        launcher: fu.launcher,
                    });
                }
                continue;
            }
            if fu.rounds.values().any(|&n| n > 0) {
                continue;
            }
            let mut load = BTreeMap::new();
            for (m, &want) in &fu.full_load {
                let have = self.reload_stock.get(m).copied().unwrap_or(0);
                let n = want.min(have);
                if n > 0 {
                    load.insert(m.clone(), n);
                    self.reload_stock.insert(m.clone(), have - n);
                }
            }
            if load.is_empty() {
                continue;
            }
            let until = now + SimDuration::from_secs_f64(fu.reload_time_s);
            decisions.push(Decision::ReloadStarted {
                launcher: fu.launcher,
                complete_at_s: until.as_secs_f64(),
                rounds: load.clone(),
            });
            fu.reloading = Some((until, load));
        }
    }

    /// The first and last envelope sample times of a track over the horizon.
    fn envelope_window(
        &self,
        track: &TrackReport,
        class: ThreatClass,
        envelope: &dyn LaunchEnvelope,
    ) -> (Option<f64>, Option<f64>) {
        // One launcher per missile type is enough: a site's launchers share its position.
        let probes: Vec<(LauncherId, &String)> = self
            .missile_preference
            .iter()
            .filter_map(|m| {
                self.fire_units
                    .iter()
                    .find(|f| f.full_load.contains_key(m))
                    .map(|f| (f.launcher, m))
            })
            .collect();
        let (mut enter, mut exit) = (None, None);
        let p = Vector3::from(track.position_ecef_m);
        let v = Vector3::from(track.velocity_ecef_mps);
        let samples = (ENVELOPE_HORIZON_S / ENVELOPE_SAMPLE_S) as u32;
        for k in 0..=samples {
            let dt = f64::from(k) * ENVELOPE_SAMPLE_S;
            let future = TrackReport {
                position_ecef_m: (p + v * dt).into(),
                ..*track
            };
            let inside = probes
                .iter()
                .any(|(l, m)| envelope.intercept(*l, m, &future, class).is_ok());
            match (inside, enter) {
                (true, None) => enter = Some(dt),
                (false, Some(_)) => {
                    exit = Some(dt);
                    break;
                }
                _ => {}
            }
        }
        (enter, exit)
    }

    /// One decision cycle: evaluates the threats among `tracks` (with their IFF identities;
    /// tracks not in `identities` are `Unknown`), and returns the launches to make now, already
    /// booked (rounds, channels, launch times), with the decisions behind them.
    pub fn plan(
        &mut self,
        now: SimTime,
        tracks: &[TrackReport],
        identities: &BTreeMap<TrackId, Identity>,
        envelope: &dyn LaunchEnvelope,
    ) -> CycleOutcome {
        let mut decisions = Vec::new();
        for t in tracks.iter().filter(|t| t.status == TrackStatus::Confirmed) {
            self.confirmed_at.entry(t.id).or_insert(now);
        }
        // Forget tracks the tracker dropped; finished looks expire.
        let alive: BTreeSet<TrackId> = tracks.iter().map(|t| t.id).collect();
        self.confirmed_at.retain(|id, _| alive.contains(id));
        self.last_hold.retain(|id, _| alive.contains(id));
        for t in tracks {
            if let Some(Engagement::Assessing { since, until }) =
                self.engagements.get(&t.id).copied()
            {
                if until <= now {
                    let killed = t.last_update <= since;
                    if killed {
                        self.engagements.insert(t.id, Engagement::AssessedKilled);
                    } else {
                        self.engagements.remove(&t.id);
                    }
                    decisions.push(Decision::KillAssessment {
                        track: t.id,
                        killed,
                    });
                }
            }
        }
        self.engagements.retain(|id, e| match e {
            Engagement::UnderFire { .. } => true,
            Engagement::Assessing { .. } | Engagement::AssessedKilled => alive.contains(id),
        });
        self.reloads(now, &mut decisions);

        let threats = evaluate_threats(tracks, &self.assets);
        let identity = |id: TrackId| identities.get(&id).copied().unwrap_or_default();
        let ranking: Vec<TrackId> = threats.iter().map(|t| t.track).collect();
        if ranking != self.last_ranking {
            let entries = threats
                .iter()
                .enumerate()
                .map(|(k, th)| {
                    let track = tracks.iter().find(|t| t.id == th.track);
                    let (enter, exit) = track.map_or((None, None), |t| {
                        self.envelope_window(t, th.class, envelope)
                    });
                    ThreatEntry {
                        rank: k as u32 + 1,
                        threat: *th,
                        identity: identity(th.track),
                        envelope_enter_s: enter,
                        envelope_exit_s: exit,
                    }
                })
                .collect();
            decisions.push(Decision::ThreatList { threats: entries });
            self.last_ranking = ranking;
        }

        let reaction = SimDuration::from_secs_f64(self.config.reaction_time_s);
        let free_guidance = self
            .config
            .max_guided_missiles
            .saturating_sub(self.missiles_in_flight);
        let free_targets = self
            .config
            .max_engaged_targets
            .saturating_sub(self.engaged_targets());
        let weapons: Vec<usize> = (0..self.fire_units.len())
            .filter(|&i| self.fire_units[i].ready(now))
            .collect();
        let reserve_left: BTreeMap<&String, bool> = self
            .missile_preference
            .iter()
            .map(|m| {
                let keep = self.config.reserve.get(m).copied().unwrap_or(0);
                (m, self.rounds_left(m) > keep)
            })
            .collect();

        // Eligible threats and their feasible shots.
        let mut holds: Vec<(TrackId, HoldReason)> = Vec::new();
        let mut candidates: Vec<(Threat, Vec<Option<FeasibleShot>>)> = Vec::new();
        for threat in &threats {
            if self.engagements.contains_key(&threat.track) {
                continue;
            }
            let Some(track) = tracks.iter().find(|t| t.id == threat.track) else {
                continue;
            };
            if identity(track.id) == Identity::Friend {
                holds.push((track.id, HoldReason::IdentifiedFriend));
                continue;
            }
            let Some(&confirmed) = self.confirmed_at.get(&track.id) else {
                continue;
            };
            if now - confirmed < reaction {
                let ready_in_s = reaction.as_secs_f64() - (now - confirmed).as_secs_f64();
                holds.push((track.id, HoldReason::Reaction { ready_in_s }));
                continue;
            }
            let age_s = (now - track.last_update).as_secs_f64();
            if age_s > STALE_TRACK_S {
                holds.push((track.id, HoldReason::Stale { age_s }));
                continue;
            }
            if weapons.is_empty() {
                holds.push((track.id, HoldReason::NoReadyLauncher));
                continue;
            }
            let mut why: Option<HoldReason> = None;
            let shots: Vec<Option<FeasibleShot>> = weapons
                .iter()
                .map(|&w| {
                    let fu = &self.fire_units[w];
                    for m in &self.missile_preference {
                        if fu.rounds.get(m).copied().unwrap_or(0) == 0 {
                            continue;
                        }
                        match envelope.intercept(fu.launcher, m, track, threat.class) {
                            Err(no) => {
                                why = Some(HoldReason::NoShot {
                                    missile: m.clone(),
                                    why: no,
                                });
                            }
                            Ok(sol) => {
                                let point = Vector3::from(sol.point_ecef_m);
                                if let Err(violation) = self.roe.check_intercept(&point) {
                                    why = Some(HoldReason::Roe { violation });
                                    continue;
                                }
                                if !reserve_left[m] && !threat.direct {
                                    why = Some(HoldReason::ReserveOnly);
                                    continue;
                                }
                                if sol.pk > 0.0 {
                                    return Some((m.clone(), sol));
                                }
                            }
                        }
                    }
                    None
                })
                .collect();
            if shots.iter().all(Option::is_none) {
                holds.push((track.id, why.unwrap_or(HoldReason::NoReadyLauncher)));
                continue;
            }
            if free_guidance == 0 || free_targets == 0 {
                holds.push((track.id, HoldReason::NoFreeChannel));
                continue;
            }
            candidates.push((*threat, shots));
        }

        let mut orders = Vec::new();
        if !candidates.is_empty() {
            let prob = CycleProblem {
                values: candidates.iter().map(|(t, _)| t.score).collect(),
                p: (0..weapons.len())
                    .map(|w| {
                        candidates
                            .iter()
                            .map(|(_, shots)| shots[w].as_ref().map_or(0.0, |(_, s)| s.pk))
                            .collect()
                    })
                    .collect(),
                max_per_target: self.config.salvo,
                max_weapons: free_guidance,
                max_targets: free_targets,
            };
            let sol = solve_cycle(&prob, CycleSolver::Exact);
            let mut fired: BTreeMap<TrackId, u32> = BTreeMap::new();
            let mut shots_log = Vec::new();
            for (w, target) in sol.target_of.iter().enumerate() {
                let Some(j) = *target else { continue };
                let (threat, shots) = &candidates[j];
                let Some((missile, solution)) = shots[w].clone() else {
                    continue;
                };
                let fu = &mut self.fire_units[weapons[w]];
                if let Some(n) = fu.rounds.get_mut(&missile) {
                    *n -= 1;
                }
                fu.last_launch = Some(now);
                shots_log.push(Shot {
                    launcher: fu.launcher,
                    missile: missile.clone(),
                    track: threat.track,
                    pk: solution.pk,
                });
                orders.push(FireOrder {
                    launcher: fu.launcher,
                    missile,
                    track: threat.track,
                    solution,
                    threat: *threat,
                });
                *fired.entry(threat.track).or_insert(0) += 1;
            }
            for (threat, _) in &candidates {
                if !fired.contains_key(&threat.track) {
                    holds.push((threat.track, HoldReason::NotAssigned));
                }
            }
            for (&track, &n) in &fired {
                self.missiles_in_flight += n;
                self.engagements
                    .insert(track, Engagement::UnderFire { in_flight: n });
                self.last_hold.remove(&track);
            }
            if !shots_log.is_empty() {
                decisions.push(Decision::Assignment {
                    weapons: weapons.len() as u32,
                    targets: candidates.len() as u32,
                    objective: sol.objective,
                    objective_if_idle: sol.objective_if_idle,
                    lower_bound: sol.lower_bound,
                    optimal: sol.optimal,
                    nodes: sol.nodes,
                    shots: shots_log,
                });
            }
        }
        for (track, reason) in holds {
            if self.last_hold.get(&track) != Some(&reason) {
                // Reaction countdowns are logged once, not every cycle.
                let same_kind = matches!(
                    (self.last_hold.get(&track), &reason),
                    (
                        Some(HoldReason::Reaction { .. }),
                        HoldReason::Reaction { .. }
                    ) | (Some(HoldReason::Stale { .. }), HoldReason::Stale { .. })
                );
                if !same_kind {
                    decisions.push(Decision::Hold {
                        track,
                        reason: reason.clone(),
                    });
                }
                self.last_hold.insert(track, reason);
            }
        }
        CycleOutcome { orders, decisions }
    }
}
