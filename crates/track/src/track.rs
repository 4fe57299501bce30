//! A track: a state estimate plus the bookkeeping that decides its life cycle.
use crate::state::{GaussianState, Measurement};
use iadsim_core::{SensorId, SimTime, TrackId, TrackReport, TrackStatus};

/// The last up to 64 update opportunities of a track, newest in bit 0 (1 = hit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HitHistory {
    bits: u64,
    len: u32,
}

impl HitHistory {
    /// Record one opportunity.
    pub fn push(&mut self, hit: bool) {
        self.bits = (self.bits << 1) | u64::from(hit);
        self.len = (self.len + 1).min(64);
    }

    /// Hits among the last `n` opportunities (`n ≤ 64`; fewer if the track is younger).
    pub fn hits_in_last(&self, n: u32) -> u32 {
        let mask = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
        (self.bits & mask).count_ones()
    }

    /// Number of opportunities recorded (saturates at 64).
    pub fn len(&self) -> u32 {
        self.len
    }

    /// True before the first opportunity.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// One track held by the [`crate::Tracker`], with the estimator's own state `S` (see
/// [`crate::estimator`]) and its 6-D projection.
#[derive(Debug, Clone, PartialEq)]
pub struct Track<S = GaussianState> {
    pub(crate) id: TrackId,
    /// The estimator's state.
    pub(crate) estimate: S,
    /// Its 6-D projection `[x, y, z, vx, vy, vz]`, kept in step with `estimate`.
    pub(crate) state: GaussianState,
    pub(crate) status: TrackStatus,
    pub(crate) hits: u32,
    pub(crate) last_update: SimTime,
    pub(crate) consecutive_misses: u32,
    pub(crate) history: HitHistory,
    /// Sensors that have contributed a plot, sorted, without duplicates.
    pub(crate) sensors: Vec<SensorId>,
    /// The initiating plot, kept until the two-point velocity start has been made.
    pub(crate) first_plot: Option<Measurement>,
}

impl<S> Track<S> {
    /// Track number.
    pub fn id(&self) -> TrackId {
        self.id
    }
    /// Current estimate (predicted to the last scan seen, or updated by it), projected to 6-D
    /// `[x, y, z, vx, vy, vz]` (for an IMM, the combined estimate).
    pub fn state(&self) -> &GaussianState {
        &self.state
    }
    /// The estimator's full state (the same as [`Track::state`] for the 6-D Kalman filter; the
    /// 9-D state of a CA model, the mode states and probabilities of an IMM, …).
    pub fn estimate(&self) -> &S {
        &self.estimate
    }
    /// Life-cycle state.
    pub fn status(&self) -> TrackStatus {
        self.status
    }
    /// Plots associated so far, including the initiating one.
    pub fn hits(&self) -> u32 {
        self.hits
    }
    /// Time of the last associated plot.
    pub fn last_update(&self) -> SimTime {
        self.last_update
    }
    /// Misses since the last hit.
    pub fn consecutive_misses(&self) -> u32 {
        self.consecutive_misses
    }
    /// Hit/miss record of the track's update opportunities.
    pub fn history(&self) -> HitHistory {
        self.history
    }
    /// Sensors that have contributed a plot (sorted).
    pub fn sensors(&self) -> &[SensorId] {
        &self.sensors
    }

    pub(crate) fn report(&self, state: &GaussianState) -> TrackReport {
        let (p, v) = (state.position(), state.velocity());
        TrackReport {
            id: self.id,
            time: state.time,
            position_ecef_m: [p[0], p[1], p[2]],
            velocity_ecef_mps: [v[0], v[1], v[2]],
            position_variance_m2: state.position_variance_m2(),
            status: self.status,
            hits: self.hits,
            last_update: self.last_update,
        }
    }
}
