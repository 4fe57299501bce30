//! Step 2 of a cycle, the threat list: the ranked threats with each track's envelope window,
//! logged whenever the ranking changes.
use super::{identity_of, CommandPost};
use crate::decision::{Decision, ThreatEntry};
use crate::envelope::{envelope_window, LaunchEnvelope};
use crate::roe::Identity;
use crate::threat::Threat;
use iadsim_core::{LauncherId, TrackId, TrackReport};
use std::collections::BTreeMap;

impl CommandPost {
    /// Logs the ranked `threats` ([`Decision::ThreatList`]) if their order differs from the last
    /// one logged.
    pub(super) fn log_threat_list(
        &mut self,
        threats: &[Threat],
        tracks: &[TrackReport],
        identities: &BTreeMap<TrackId, Identity>,
        envelope: &dyn LaunchEnvelope,
        decisions: &mut Vec<Decision>,
    ) {
        let ranking: Vec<TrackId> = threats.iter().map(|t| t.track).collect();
        if ranking == self.last_ranking {
            return;
        }
        let probes = self.envelope_probes();
        let entries = threats
            .iter()
            .enumerate()
            .map(|(k, th)| {
                let track = tracks.iter().find(|t| t.id == th.track);
                let (enter, exit) = track.map_or((None, None), |t| {
                    envelope_window(envelope, &probes, t, th.class)
                });
                ThreatEntry {
                    rank: k as u32 + 1,
                    threat: *th,
                    identity: identity_of(identities, th.track),
                    envelope_enter_s: enter,
                    envelope_exit_s: exit,
                }
            })
            .collect();
        decisions.push(Decision::ThreatList { threats: entries });
        self.last_ranking = ranking;
    }

    /// One `(launcher, missile)` per missile type the site loads, in order of preference: a
    /// site's launchers share its position, so one launcher per type answers for all.
    fn envelope_probes(&self) -> Vec<(LauncherId, &String)> {
        self.missile_preference
            .iter()
            .filter_map(|m| {
                self.fire_units
                    .iter()
                    .find(|f| f.full_load.contains_key(m))
                    .map(|f| (f.launcher, m))
            })
            .collect()
    }
}
