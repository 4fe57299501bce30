//! # iadsim-c2
//!
//! The command post of an air-defence site: threat evaluation, rules of engagement, weapon-target
//! assignment and doctrine. It sees [`TrackReport`](iadsim_core::TrackReport)s, never truth; what
//! a missile can reach it asks through the [`LaunchEnvelope`] trait, which the engine implements
//! with the interceptor flyout model. It is usable alone: give it tracks, assets, fire units and
//! an envelope, and it returns fire orders and a record of every decision ([`Decision`]).
//!
//! ## Where things are
//! | module | holds |
//! |---|---|
//! | `command_post` | [`CommandPost`], its configuration ([`C2Config`]) and the cycle, one file per step |
//! | `decision` | the decision log ([`Decision`], [`HoldReason`], [`ThreatEntry`], [`Shot`]) and [`FireOrder`] |
//! | `envelope` | [`LaunchEnvelope`], its answers ([`InterceptSolution`], [`NoShot`]), the envelope window |
//! | `fire_unit` | [`FireUnit`]: rounds, launch interval, reloads |
//! | `threat` | threat evaluation ([`evaluate_threats`]) and kinematic classes |
//! | [`roe`] | rules of engagement: zones, identities |
//! | [`wta`] | weapon-target assignment: the per-cycle problem ([`wta::cycle`]) and the static one |
//!
//! ## One decision cycle ([`CommandPost::plan`])
//! 1. **Bookkeeping**: kill assessment of finished salvos (shoot-look-shoot: after the last
//!    interceptor of a salvo has finished, look for `kill_assessment_s`; a track that received a
//!    plot since then is re-engaged, one that did not is assessed killed), launcher reloads.
//! 2. **Rank threats** ([`evaluate_threats`]): for each confirmed track and each defended
//!    asset, the closest point of approach of the track's straight-line extrapolation gives a miss
//!    distance and a time; the threat score is
//!    `value · min(1, (radius + 10 km)/miss) / (t_cpa + 10 s)` (for a receding track, `t_cpa` is
//!    replaced by the time it would need to come back), maximised over assets; the kinematic
//!    class ([`ThreatClass`]) comes from speed and height. The ranked list, with each track's
//!    envelope window, is logged whenever its order changes ([`Decision::ThreatList`]).
//! 3. **Candidate shots**: a track is held ([`Decision::Hold`], logged when its reason changes)
//!    if it is identified friendly (IFF), confirmed for less than the reaction time, without a
//!    plot for [`STALE_TRACK_S`], outside every feasible shot (each missile's envelope as the
//!    engine computes it), only reachable where the rules of engagement forbid ([`Roe`]), only
//!    reachable with reserve rounds while not a direct threat, or when no launcher is ready or no
//!    fire-control channel is free. Otherwise each ready launcher's shot takes the first missile
//!    type in the site's preference order (shortest-range first, to save long-range rounds) that
//!    the launcher holds, whose envelope contains the predicted intercept and the ROE allow;
//!    `p_ij` is that shot's planning Pk.
//! 4. **Solve the cycle's assignment** ([`wta::cycle`]): values = threat scores, at most a
//!    salvo per target, within the free guidance and target channels, a launcher may hold fire.
//!    Doctrine picks the solver ([`CycleSolver`], [`CommandPost::with_solver`]): exact branch
//!    and bound (default), greedy or local search. The result is logged
//!    ([`Decision::Assignment`]).
//! 5. **Fire orders**: each assigned shot becomes a [`FireOrder`], booked at once (round, launch
//!    time, channels); candidates left out are held ([`HoldReason::NotAssigned`]).
//!
//! Doctrine also sets the salvo size, the minimum launch interval per launcher, a reserve of
//! rounds per missile type kept for direct threats (tracks predicted to pass within an asset's
//! radius), and reloads from the site's stock after `reload_time_s` once a launcher is empty.
//!
//! ## Example
//! ```
//! use iadsim_c2::{solve_cycle, CycleProblem, CycleSolver};
//! // Two launchers, two tracks (threat scores 1 and 3), a salvo of one, one guidance channel.
//! let prob = CycleProblem {
//!     values: vec![1.0, 3.0],
//!     p: vec![vec![0.8, 0.5], vec![0.8, 0.5]],
//!     max_per_target: 1,
//!     max_weapons: 1,
//!     max_targets: 2,
//! };
//! let sol = solve_cycle(&prob, CycleSolver::Exact);
//! assert_eq!(sol.target_of.iter().flatten().collect::<Vec<_>>(), [&1]);
//! assert!(sol.optimal);
//! ```
//!
//! ## Not guaranteed
//! The threat score is a documented heuristic, not a doctrine of any army. The WTA of one cycle
//! is myopic: it does not hold weapons back for targets expected in later cycles (except through
//! the reserve). The exact cycle solver is optimal only within its node budget
//! ([`wta::cycle::NODE_LIMIT`]; the answer then says `optimal = false`); greedy and local search
//! are heuristics. Fire orders assume the envelope's answers: C2 does not check that the engine
//! can still execute them.
#![deny(missing_docs)]

mod command_post;
mod decision;
mod envelope;
mod fire_unit;
pub mod roe;
mod threat;
pub mod wta;

pub use command_post::{C2Config, C2Error, CommandPost, STALE_TRACK_S};
pub use decision::{CycleOutcome, Decision, FireOrder, HoldReason, Shot, ThreatEntry};
pub use envelope::{
    envelope_window, InterceptSolution, LaunchEnvelope, NoShot, ENVELOPE_HORIZON_S,
    ENVELOPE_SAMPLE_S,
};
pub use fire_unit::FireUnit;
pub use roe::{Identity, Roe, RoeViolation, Zone, ZoneKind, ZoneShape};
pub use threat::{
    classify, evaluate_threats, AssetInfo, Threat, ThreatClass, BALLISTIC_SPEED_MPS,
    DRONE_SPEED_MPS, LOW_ALTITUDE_M,
};
pub use wta::cycle::{solve_cycle, CycleAssignment, CycleProblem, CycleSolver};
