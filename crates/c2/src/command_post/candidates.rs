//! Step 3 of a cycle, candidate shots: which tracks may be engaged now (eligibility: IFF,
//! reaction time, track age, a ready launcher, a free channel) and, for each, the shot each
//! ready launcher would take (the first missile type in order of preference whose envelope holds
//! the intercept, within the rules of engagement and the reserve). The others are held, with the
//! reason.
use super::{identity_of, CommandPost, STALE_TRACK_S};
use crate::decision::HoldReason;
use crate::envelope::{InterceptSolution, LaunchEnvelope};
use crate::roe::Identity;
use crate::threat::Threat;
use iadsim_core::{SimDuration, SimTime, TrackId, TrackReport};
use nalgebra::Vector3;
use std::collections::BTreeMap;

/// A feasible shot of one weapon at one track: the missile type and its predicted intercept.
pub(super) type FeasibleShot = (String, InterceptSolution);

/// What the cycle's assignment works with: the ready weapons and free channels, the tracks that
/// can be engaged with each weapon's shot at them, and the tracks held so far.
pub(super) struct Round {
    /// Indices of the ready fire units (the weapons of the assignment).
    pub(super) weapons: Vec<usize>,
    /// Free missile-guidance channels.
    pub(super) free_guidance: u32,
    /// Free target channels.
    pub(super) free_targets: u32,
    /// Engageable threats, with the shot of each weapon (`None`: it has none).
    pub(super) candidates: Vec<(Threat, Vec<Option<FeasibleShot>>)>,
    /// Tracks held, and why.
    pub(super) holds: Vec<(TrackId, HoldReason)>,
}

impl CommandPost {
    /// The cycle's weapons, channels and candidate shots, threats in rank order.
    pub(super) fn candidate_shots(
        &self,
        now: SimTime,
        threats: &[Threat],
        tracks: &[TrackReport],
        identities: &BTreeMap<TrackId, Identity>,
        envelope: &dyn LaunchEnvelope,
    ) -> Round {
        let mut round = Round {
            weapons: (0..self.fire_units.len())
                .filter(|&i| self.fire_units[i].ready(now))
                .collect(),
            free_guidance: self
                .config
                .max_guided_missiles
                .saturating_sub(self.missiles_in_flight),
            free_targets: self
                .config
                .max_engaged_targets
                .saturating_sub(self.engaged_targets()),
            candidates: Vec::new(),
            holds: Vec::new(),
        };
        let reserve_left = self.reserve_left();
        for threat in threats {
            let track = match self.eligible(now, threat, tracks, identities, &round) {
                Ok(track) => track,
                Err(Some(reason)) => {
                    round.holds.push((threat.track, reason));
                    continue;
                }
                Err(None) => continue,
            };
            let (shots, why) =
                self.shots_at(&round.weapons, track, threat, &reserve_left, envelope);
            if shots.iter().all(Option::is_none) {
                round
                    .holds
                    .push((track.id, why.unwrap_or(HoldReason::NoReadyLauncher)));
                continue;
            }
            if round.free_guidance == 0 || round.free_targets == 0 {
                round.holds.push((track.id, HoldReason::NoFreeChannel));
                continue;
            }
            round.candidates.push((*threat, shots));
        }
        round
    }

    /// Whether each missile type has rounds beyond its reserve (site-wide, on the launchers).
    fn reserve_left(&self) -> BTreeMap<&String, bool> {
        self.missile_preference
            .iter()
            .map(|m| {
                let keep = self.config.reserve.get(m).copied().unwrap_or(0);
                (m, self.rounds_left(m) > keep)
            })
            .collect()
    }

    /// Rounds of `missile` left on all launchers.
    fn rounds_left(&self, missile: &str) -> u32 {
        self.fire_units
            .iter()
            .map(|f| f.rounds.get(missile).copied().unwrap_or(0))
            .sum()
    }

    /// The track of `threat` if it may be engaged before any shot is tried; else why it is held
    /// (`Err(None)`: passed over without a hold — already engaged, not reported, or never
    /// confirmed).
    fn eligible<'t>(
        &self,
        now: SimTime,
        threat: &Threat,
        tracks: &'t [TrackReport],
        identities: &BTreeMap<TrackId, Identity>,
        round: &Round,
    ) -> Result<&'t TrackReport, Option<HoldReason>> {
        if self.engagements.contains_key(&threat.track) {
            return Err(None);
        }
        let track = tracks.iter().find(|t| t.id == threat.track).ok_or(None)?;
        if identity_of(identities, track.id) == Identity::Friend {
            return Err(Some(HoldReason::IdentifiedFriend));
        }
        let confirmed = *self.confirmed_at.get(&track.id).ok_or(None)?;
        let reaction = SimDuration::from_secs_f64(self.config.reaction_time_s);
        if now - confirmed < reaction {
            let ready_in_s = reaction.as_secs_f64() - (now - confirmed).as_secs_f64();
            return Err(Some(HoldReason::Reaction { ready_in_s }));
        }
        let age_s = (now - track.last_update).as_secs_f64();
        if age_s > STALE_TRACK_S {
            return Err(Some(HoldReason::Stale { age_s }));
        }
        if round.weapons.is_empty() {
            return Err(Some(HoldReason::NoReadyLauncher));
        }
        Ok(track)
    }

    /// Each weapon's shot at `track`: the first missile type in order of preference that it
    /// holds, whose envelope contains the intercept, that the ROE and the reserve allow, with a
    /// positive Pk. With it, the reason of the last refusal met (the hold reason if no weapon has
    /// a shot).
    fn shots_at(
        &self,
        weapons: &[usize],
        track: &TrackReport,
        threat: &Threat,
        reserve_left: &BTreeMap<&String, bool>,
        envelope: &dyn LaunchEnvelope,
    ) -> (Vec<Option<FeasibleShot>>, Option<HoldReason>) {
        let mut why: Option<HoldReason> = None;
        let shots = weapons
            .iter()
            .map(|&w| {
                let fu = &self.fire_units[w];
                for m in &self.missile_preference {
                    if fu.rounds.get(m).copied().unwrap_or(0) == 0 {
                        continue;
                    }
                    let sol = match envelope.intercept(fu.launcher, m, track, threat.class) {
                        Err(no) => {
                            why = Some(HoldReason::NoShot {
                                missile: m.clone(),
                                why: no,
                            });
                            continue;
                        }
                        Ok(sol) => sol,
                    };
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
                None
            })
            .collect();
        (shots, why)
    }
}
