//! Step 6 of a cycle: log the holds ([`Decision::Hold`]) — only when a track's reason changes,
//! and a countdown (reaction time, track age) only when it starts.
use super::CommandPost;
use crate::decision::{Decision, HoldReason};
use iadsim_core::TrackId;

impl CommandPost {
    /// Logs the `holds` whose reason changed and remembers them.
    pub(super) fn log_holds(
        &mut self,
        holds: Vec<(TrackId, HoldReason)>,
        decisions: &mut Vec<Decision>,
    ) {
        for (track, reason) in holds {
            let last = self.last_hold.get(&track);
            if last == Some(&reason) {
                continue;
            }
            let same_kind = matches!(
                (last, &reason),
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
}
