//! Samples of the world's state for replay: truth of the flying targets, every site's tracks
//! and the interceptors in the air, all in ECEF. Built only when a recorder asks.
use crate::world::{Fate, World};
use iadsim_core::{InterceptorId, SimTime, TargetId, TrackId};

/// The state of the world at one time.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Simulation time.
    pub time: SimTime,
    /// Targets in flight (truth).
    pub targets: Vec<TargetSample>,
    /// Every site's tracks, predicted to `time`.
    pub tracks: Vec<TrackSample>,
    /// Interceptors in the air.
    pub interceptors: Vec<InterceptorSample>,
}

/// A flying target (truth).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetSample {
    /// Target.
    pub target: TargetId,
    /// Position, ECEF, m.
    pub position_ecef_m: [f64; 3],
    /// Velocity, ECEF, m/s.
    pub velocity_ecef_mps: [f64; 3],
}

/// A site's track.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackSample {
    /// Site (index in the scenario's sites).
    pub site: usize,
    /// Track.
    pub track: TrackId,
    /// The target behind it (truth label).
    pub target: Option<TargetId>,
    /// Estimated position, ECEF, m.
    pub position_ecef_m: [f64; 3],
    /// Estimated velocity, ECEF, m/s.
    pub velocity_ecef_mps: [f64; 3],
}

/// An interceptor in the air.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InterceptorSample {
    /// Interceptor.
    pub interceptor: InterceptorId,
    /// Its target (truth label).
    pub target: Option<TargetId>,
    /// Position, ECEF, m.
    pub position_ecef_m: [f64; 3],
    /// Velocity, ECEF, m/s.
    pub velocity_ecef_mps: [f64; 3],
}

impl Sample {
    /// Reads the world (never changes it, never draws a random number).
    pub(crate) fn take(world: &World) -> Sample {
        let time = world.now;
        let terrain = world.terrain.as_deref();
        let targets = world
            .targets
            .iter()
            .filter(|t| t.fate == Fate::Flying)
            .map(|t| {
                let s = t.state_at(time, terrain);
                TargetSample {
                    target: t.id,
                    position_ecef_m: s.position_ecef_m.into(),
                    velocity_ecef_mps: s.velocity_ecef_mps.into(),
                }
            })
            .collect();
        let mut tracks = Vec::new();
        for (si, site) in world.sites.iter().enumerate() {
            for r in site.tracker.reports() {
                let Some(e) = site.track_ecef(r.id, time) else {
                    continue;
                };
                tracks.push(TrackSample {
                    site: si,
                    track: r.id,
                    target: site.track_truth.get(&r.id).copied().flatten(),
                    position_ecef_m: e.position_ecef_m,
                    velocity_ecef_mps: e.velocity_ecef_mps,
                });
            }
        }
        let interceptors = world
            .flights
            .iter()
            .map(|f| InterceptorSample {
                interceptor: f.id,
                target: f.target,
                position_ecef_m: f.body.position_ecef_m().into(),
                velocity_ecef_mps: f.body.velocity_ecef_mps().into(),
            })
            .collect();
        Sample {
            time,
            targets,
            tracks,
            interceptors,
        }
    }
}
