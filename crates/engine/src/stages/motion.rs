//! Truth motion. Targets enter the scenario at their launch times and move along their routes
//! analytically (a target's state is a function of time, [`TargetTruth::state_at`], so nothing is
//! integrated and nothing accumulates error). Interceptors are flown by [`super::engagement`].
//!
//! In: the targets and the time. Out: fates `Waiting → Flying` and `TargetLaunched` events.
//! Random streams: none.
use crate::events::EventKind;
use crate::record::Recorders;
use crate::world::{Fate, TargetTruth};
use iadsim_core::SimTime;
use iadsim_geo::Dem;
use iadsim_physics::RouteState;

impl TargetTruth {
    /// The target's true state at `t` (at its start point before its launch).
    pub fn state_at(&self, t: SimTime, terrain: Option<&Dem>) -> RouteState {
        let mut state = self.route.state_at((t - self.start).as_secs_f64().max(0.0));
        if self.terrain_following {
            if let Some(h) =
                terrain.and_then(|d| d.height_m(state.position.lat_deg(), state.position.lon_deg()))
            {
                // Terrain following: the route altitude is a clearance above the ground. The
                // vertical speed of following the terrain is not added to the velocity.
                state.position.alt_m += h;
                state.position_ecef_m = state.position.to_ecef().0;
            }
        }
        state
    }
}

/// A flying target's true state at one time.
pub(crate) struct FlyingTarget {
    /// Index in the world's targets.
    pub(crate) index: usize,
    pub(crate) state: RouteState,
}

/// The true states of all flying targets at `now` (computed once per step for all radars).
pub(crate) fn flying_targets(
    targets: &[TargetTruth],
    now: SimTime,
    terrain: Option<&Dem>,
) -> Vec<FlyingTarget> {
    targets
        .iter()
        .enumerate()
        .filter(|(_, t)| t.fate == Fate::Flying)
        .map(|(index, t)| FlyingTarget {
            index,
            state: t.state_at(now, terrain),
        })
        .collect()
}

/// Launches every target whose start time has come.
pub(crate) fn launch_targets(targets: &mut [TargetTruth], now: SimTime, out: &mut Recorders<'_>) {
    for t in targets.iter_mut() {
        if t.fate == Fate::Waiting && t.start <= now {
            t.fate = Fate::Flying;
            out.event(
                now,
                EventKind::TargetLaunched {
                    target: t.id,
                    class: t.class.clone(),
                    raid: t.raid.clone(),
                },
            );
        }
    }
}
