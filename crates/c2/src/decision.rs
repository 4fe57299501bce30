//! The decision log: what a command post decided in a cycle and why ([`Decision`], with
//! [`HoldReason`], [`ThreatEntry`] and [`Shot`]), and what it returns ([`CycleOutcome`]: the
//! [`FireOrder`]s and the decisions).
use crate::envelope::{InterceptSolution, NoShot};
use crate::roe::{Identity, RoeViolation};
use crate::threat::Threat;
use iadsim_core::{LauncherId, TrackId};
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// [`ENVELOPE_SAMPLE_S`](crate::ENVELOPE_SAMPLE_S) over [`ENVELOPE_HORIZON_S`](crate::ENVELOPE_HORIZON_S); `None`: not within the horizon).
    pub envelope_enter_s: Option<f64>,
    /// When, from now, it leaves the last envelope it was in, s (`None`: still inside at the
    /// horizon, or never inside).
    pub envelope_exit_s: Option<f64>,
}

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
