//! Leaks: a hostile target within an asset's radius, or any target at the end of its route, has
//! got through and stops being a threat.
//!
//! In: the flying targets, the assets, the time. Out: fates `Flying → Leaked` and `Leak` events.
//! Random streams: none.
use crate::events::{EventKind, LeakReason};
use crate::record::Recorders;
use crate::scenario::Side;
use crate::world::{Asset, Fate, TargetTruth};
use iadsim_core::SimTime;
use iadsim_geo::Dem;

/// Marks the targets that leaked at `now`.
pub(crate) fn check_leaks(
    targets: &mut [TargetTruth],
    assets: &[Asset],
    terrain: Option<&Dem>,
    now: SimTime,
    out: &mut Recorders<'_>,
) {
    for t in targets.iter_mut().filter(|t| t.fate == Fate::Flying) {
        let state = t.state_at(now, terrain);
        // A friendly flies its route to the end (landing at a defended airfield is no leak).
        let hostile = t.side == Side::Hostile;
        let reached = assets
            .iter()
            .find(|a| hostile && (state.position_ecef_m - a.position_ecef_m).norm() <= a.radius_m)
            .map(|a| a.id);
        let reason = if reached.is_some() {
            LeakReason::ReachedAsset
        } else if state.finished {
            LeakReason::RouteEnd
        } else {
            continue;
        };
        t.fate = Fate::Leaked;
        out.event(
            now,
            EventKind::Leak {
                target: t.id,
                class: t.class.clone(),
                reason,
                asset: reached,
            },
        );
    }
}
