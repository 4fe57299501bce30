//! The command post of one site: its configuration, its state between cycles, and
//! [`CommandPost::plan`], one decision cycle read as the doctrine — bookkeeping (kill assessment,
//! reloads) → rank threats → candidate shots (or holds) → solve the cycle's assignment → fire
//! orders → log holds. Each step is a submodule.
use crate::decision::{CycleOutcome, HoldReason};
use crate::envelope::LaunchEnvelope;
use crate::fire_unit::FireUnit;
use crate::roe::{Identity, Roe};
use crate::threat::{evaluate_threats, AssetInfo};
use crate::wta::CycleSolver;
use iadsim_core::{SimDuration, SimTime, TrackId, TrackReport};
use serde::Serialize;
use std::collections::BTreeMap;

mod bookkeeping;
mod candidates;
mod fire;
mod holds;
mod threat_list;

use bookkeeping::Engagement;

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
    solver: CycleSolver,
}

impl CommandPost {
    /// A command post with its fire units, the missile types in order of preference (first is
    /// tried first) and the assets it defends. No ROE zones, no reload stock and the exact cycle
    /// solver: see [`CommandPost::with_roe`], [`CommandPost::with_reload_stock`] and
    /// [`CommandPost::with_solver`].
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
            solver: CycleSolver::default(),
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

    /// Sets the solver of each cycle's weapon-target assignment (doctrine; default
    /// [`CycleSolver::Exact`]).
    pub fn with_solver(mut self, solver: CycleSolver) -> Self {
        self.solver = solver;
        self
    }

    /// The solver of each cycle's weapon-target assignment.
    pub fn solver(&self) -> CycleSolver {
        self.solver
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
        self.bookkeeping(now, tracks, &mut decisions);
        let threats = evaluate_threats(tracks, &self.assets);
        self.log_threat_list(&threats, tracks, identities, envelope, &mut decisions);
        let mut round = self.candidate_shots(now, &threats, tracks, identities, envelope);
        let orders = match self.assign(&round) {
            Some(sol) => self.fire(now, &mut round, &sol, &mut decisions),
            None => Vec::new(),
        };
        self.log_holds(round.holds, &mut decisions);
        CycleOutcome { orders, decisions }
    }
}

/// The identity of a track (`Unknown` unless IFF said otherwise).
fn identity_of(identities: &BTreeMap<TrackId, Identity>, id: TrackId) -> Identity {
    identities.get(&id).copied().unwrap_or_default()
}
