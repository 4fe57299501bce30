//! The simulated world: state only. Truth (targets and their fates), the defended assets, the
//! sites with their radars, trackers and command posts, the interceptors in flight, the clock and
//! the random streams. The stages in `stages/` change it, [`crate::pipeline`] says in
//! which order, and `world/build.rs` makes it from a [`Scenario`].
mod build;
mod flyout_cache;

pub use build::{build_radar, load_terrain, BAGHDAD_SYNTHETIC_DEM};

use crate::scenario::{RadarRole, Scenario, Side, TargetKind};
use iadsim_c2::{CommandPost, Identity};
use iadsim_core::random::SimRng;
use iadsim_core::TrackReport;
use iadsim_core::{AssetId, InterceptorId, LauncherId, SimDuration, SimTime, TargetId, TrackId};
use iadsim_geo::{Dem, Enu, EnuFrame, Geodetic};
use iadsim_interceptor::{Flight as Airframe, FlyoutTable, MissileAero};
use iadsim_physics::Route;
use iadsim_sensors::detection::Swerling;
use iadsim_sensors::Radar;
use iadsim_track::AnyTracker;
use nalgebra::Vector3;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Truth of one target.
#[derive(Debug, Clone)]
pub struct TargetTruth {
    /// Id (scenario order: raid by raid).
    pub id: TargetId,
    /// Raid name.
    pub raid: String,
    /// Class name.
    pub class: String,
    /// Aerodynamic or ballistic.
    pub kind: TargetKind,
    /// RCS, m².
    pub rcs_m2: f64,
    /// Fluctuation model.
    pub swerling: Swerling,
    /// Route.
    pub route: Route,
    /// Whether the route altitudes are above the terrain.
    pub terrain_following: bool,
    /// Launch time.
    pub start: SimTime,
    /// Hostile or friendly.
    pub side: Side,
    /// Fate so far.
    pub fate: Fate,
}

/// What became of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Not launched yet.
    Waiting,
    /// Flying.
    Flying,
    /// Destroyed.
    Killed,
    /// Got through.
    Leaked,
}

/// A defended asset, as the leak test sees it.
pub(crate) struct Asset {
    pub(crate) id: AssetId,
    pub(crate) position_ecef_m: Vector3<f64>,
    pub(crate) radius_m: f64,
}

/// One radar of a site and its dwell schedule.
pub(crate) struct SiteRadar {
    pub(crate) radar: Radar,
    pub(crate) preset: String,
    pub(crate) role: RadarRole,
    /// Index of the next dwell (dwell `k` is due at `k × dwell interval`).
    pub(crate) next_dwell: u64,
    pub(crate) max_guided: u32,
    pub(crate) max_targets: u32,
    /// Targets this radar has detected so far (each one's first detection is an event).
    pub(crate) reported: BTreeSet<TargetId>,
}

impl SiteRadar {
    /// When dwell `k` is due.
    pub(crate) fn dwell_time(&self, k: u64) -> SimTime {
        SimTime::from_secs_f64(k as f64 * self.radar.dwell_interval_s())
    }

    /// The index of the dwell due at `now`, if one is, and books the next one.
    pub(crate) fn take_due_dwell(&mut self, now: SimTime) -> Option<u64> {
        let k = self.next_dwell;
        if self.dwell_time(k) > now {
            return None;
        }
        self.next_dwell += 1;
        Some(k)
    }
}

/// A launcher of a site (its rounds are the command post's business).
pub(crate) struct LauncherState {
    pub(crate) id: LauncherId,
    pub(crate) position: Geodetic,
    pub(crate) position_ecef: Vector3<f64>,
}

/// A fire unit: radars, launchers, tracker and command post at one position.
pub(crate) struct SiteState {
    pub(crate) name: String,
    pub(crate) radars: Vec<SiteRadar>,
    pub(crate) launchers: Vec<LauncherState>,
    /// The tracker, in `frame` (site-local ENU) coordinates.
    pub(crate) tracker: AnyTracker,
    pub(crate) frame: EnuFrame,
    pub(crate) command_post: CommandPost,
    pub(crate) c2_cycle: SimDuration,
    pub(crate) next_c2: SimTime,
    /// Truth label of each track: the target of its most recent plot (recorder side only).
    pub(crate) track_truth: BTreeMap<TrackId, Option<TargetId>>,
    /// IFF identification of each confirmed track (drawn at confirmation).
    pub(crate) identities: BTreeMap<TrackId, Identity>,
    /// Probability that IFF identifies a friendly as friendly.
    pub(crate) iff_p_correct: f64,
}

impl SiteState {
    /// Whether the command post's decision cycle is due at `now`; if so, books the next one.
    pub(crate) fn take_due_cycle(&mut self, now: SimTime) -> bool {
        if self.next_c2 > now {
            return false;
        }
        self.next_c2 = now + self.c2_cycle;
        true
    }

    /// Track `id` predicted to `time`, in ECEF (what C2 and guidance use).
    pub(crate) fn track_ecef(&self, id: TrackId, time: SimTime) -> Option<TrackReport> {
        self.tracker
            .predict_report(id, time)
            .map(|r| report_to_ecef(&self.frame, r))
    }
}

/// A track report from the site's ENU frame to ECEF.
fn report_to_ecef(frame: &EnuFrame, r: TrackReport) -> TrackReport {
    TrackReport {
        position_ecef_m: frame
            .to_ecef(&Enu(Vector3::from(r.position_ecef_m)))
            .0
            .into(),
        velocity_ecef_mps: frame
            .vector_to_ecef(&Vector3::from(r.velocity_ecef_mps))
            .into(),
        ..r
    }
}

/// An interceptor in the air.
pub(crate) struct Flight {
    pub(crate) id: InterceptorId,
    /// Index of the site that fired it.
    pub(crate) site: usize,
    pub(crate) missile: String,
    pub(crate) track: TrackId,
    pub(crate) target: Option<TargetId>,
    pub(crate) launched_at: SimTime,
    pub(crate) launcher_position: Geodetic,
    pub(crate) body: Airframe,
    pub(crate) aero: MissileAero,
    pub(crate) seeker_range_m: f64,
    /// Last track estimate, kept for guidance if the track is lost.
    pub(crate) last_estimate: Estimate,
}

/// A target estimate from the tracker (ECEF) and its time.
#[derive(Clone, Copy)]
pub(crate) struct Estimate {
    pub(crate) position_ecef_m: Vector3<f64>,
    pub(crate) velocity_ecef_mps: Vector3<f64>,
    pub(crate) time: SimTime,
}

/// The random streams of one replication, one per subsystem, each derived from the master seed
/// and the replication index (`iadsim_core::random::seed_for`), so that paired runs share them.
pub(crate) struct Streams {
    /// False alarms (sensing).
    pub(crate) clutter: SimRng,
    /// Swerling fluctuation and the detection draw (sensing).
    pub(crate) detection: SimRng,
    /// Measurement noise of plots (sensing).
    pub(crate) noise: SimRng,
    /// Kill draws at intercepts (engagement).
    pub(crate) kill: SimRng,
    /// IFF answers at track confirmation (tracking).
    pub(crate) iff: SimRng,
}

/// The whole simulated world.
pub struct World {
    /// What it was built from (the stages read its missiles and step lengths).
    pub(crate) scenario: Scenario,
    pub(crate) now: SimTime,
    pub(crate) end: SimTime,
    pub(crate) targets: Vec<TargetTruth>,
    pub(crate) assets: Vec<Asset>,
    pub(crate) sites: Vec<SiteState>,
    pub(crate) flights: Vec<Flight>,
    /// Fire control's flyout table of each missile type.
    pub(crate) flyout: BTreeMap<String, Arc<FlyoutTable>>,
    pub(crate) terrain: Option<Arc<Dem>>,
    pub(crate) next_interceptor: u32,
    pub(crate) streams: Streams,
}

impl World {
    /// Current simulation time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Whether the run has reached its end.
    pub fn finished(&self) -> bool {
        self.now >= self.end
    }

    /// Targets and their fates.
    pub fn targets(&self) -> &[TargetTruth] {
        &self.targets
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Interceptors in the air.
    pub fn interceptors_in_flight(&self) -> usize {
        self.flights.len()
    }

    /// Rounds left per missile type over all sites.
    pub fn remaining_rounds(&self) -> BTreeMap<String, u32> {
        let mut out = BTreeMap::new();
        for s in &self.sites {
            for fu in s.command_post.fire_units() {
                for (m, n) in &fu.rounds {
                    *out.entry(m.clone()).or_insert(0) += n;
                }
            }
        }
        out
    }

    /// The earliest due event (C2 cycle, radar dwell, target launch), or the end of the run.
    pub(crate) fn next_event_time(&self) -> SimTime {
        let mut t = self.end;
        for s in &self.sites {
            t = t.min(s.next_c2);
            for r in &s.radars {
                t = t.min(r.dwell_time(r.next_dwell));
            }
        }
        for target in &self.targets {
            if target.fate == Fate::Waiting {
                t = t.min(target.start);
            }
        }
        t
    }
}
