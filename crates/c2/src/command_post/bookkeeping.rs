//! Step 1 of a cycle, bookkeeping: confirmation times, shoot-look-shoot kill assessment of
//! finished salvos, forgetting dropped tracks, launcher reloads.
use super::CommandPost;
use crate::decision::Decision;
use iadsim_core::{SimTime, TrackId, TrackReport, TrackStatus};
use std::collections::BTreeSet;

/// Where the engagement of one track stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Engagement {
    /// Interceptors in flight.
    UnderFire { in_flight: u32 },
    /// Looking (kill assessment) until `until`; the salvo ended at `since`.
    Assessing { since: SimTime, until: SimTime },
    /// The look found no fresh plot after the salvo: assessed killed, not engaged again.
    AssessedKilled,
}

impl CommandPost {
    /// Notes newly confirmed tracks, forgets tracks the tracker dropped, ends the looks that are
    /// due (a track with a plot since its salvo ended is re-engaged, one without is assessed
    /// killed) and runs the launchers' reloads.
    pub(super) fn bookkeeping(
        &mut self,
        now: SimTime,
        tracks: &[TrackReport],
        decisions: &mut Vec<Decision>,
    ) {
        for t in tracks.iter().filter(|t| t.status == TrackStatus::Confirmed) {
            self.confirmed_at.entry(t.id).or_insert(now);
        }
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
        for fu in &mut self.fire_units {
            decisions.extend(fu.reload(now, &mut self.reload_stock));
        }
    }
}
