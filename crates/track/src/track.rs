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

/// A sorted set of sensor ids, held inline while small (a track is usually seen by one or
/// two sensors, and a heap allocation per new track would cost more than the rest of its start).
#[derive(Clone)]
pub(crate) struct SensorSet {
    /// The first `len` entries, while `more` is empty.
    inline: [SensorId; SensorSet::INLINE],
    len: u8,
    /// All the entries, once there are more than fit inline.
    more: Vec<SensorId>,
}

impl SensorSet {
    const INLINE: usize = 3;

    /// The set `{sensor}`.
    pub(crate) fn one(sensor: SensorId) -> Self {
        SensorSet {
            inline: [sensor; SensorSet::INLINE],
            len: 1,
            more: Vec::new(),
        }
    }

    /// The ids, in increasing order.
    pub(crate) fn as_slice(&self) -> &[SensorId] {
        if self.more.is_empty() {
            &self.inline[..usize::from(self.len)]
        } else {
            &self.more
        }
    }

    /// Whether `sensor` is in the set.
    pub(crate) fn contains(&self, sensor: SensorId) -> bool {
        self.as_slice().binary_search(&sensor).is_ok()
    }

    /// Adds `sensor` (no effect if present), keeping the order.
    pub(crate) fn insert(&mut self, sensor: SensorId) {
        let Err(i) = self.as_slice().binary_search(&sensor) else {
            return;
        };
        let len = usize::from(self.len);
        if self.more.is_empty() && len < SensorSet::INLINE {
            self.inline.copy_within(i..len, i + 1);
            self.inline[i] = sensor;
            self.len += 1;
        } else {
            if self.more.is_empty() {
                self.more.extend_from_slice(&self.inline[..len]);
            }
            self.more.insert(i, sensor);
        }
    }
}

impl PartialEq for SensorSet {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for SensorSet {}

impl std::fmt::Debug for SensorSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

/// An estimator's state as a track holds it, with its 6-D view `[x, y, z, vx, vy, vz]`
/// ([`Track::state`], [`crate::Estimator::gaussian`]): kept beside the state, or not kept twice
/// when the state already is that view.
pub trait Projected: Clone + std::fmt::Debug {
    /// What a track keeps besides the state: the 6-D view, or `()`.
    type Kept: Clone + std::fmt::Debug + PartialEq;
    /// What to keep of `view`, the estimator's 6-D view of the state.
    fn keep(view: GaussianState) -> Self::Kept;
    /// The 6-D view of `state`, given what was kept.
    fn view<'a>(state: &'a Self, kept: &'a Self::Kept) -> &'a GaussianState;
}

/// A 6-D state is its own view: an estimator on [`GaussianState`] (as [`crate::Kalman`]) has
/// the identity for [`crate::Estimator::gaussian`], and a track keeps the state once, which
/// halves what moves when tracks are updated, added and removed.
impl Projected for GaussianState {
    type Kept = ();
    fn keep(_view: GaussianState) {}
    fn view<'a>(state: &'a Self, _kept: &'a ()) -> &'a GaussianState {
        state
    }
}

impl<const N: usize> Projected for crate::state::GaussianStateN<N> {
    type Kept = GaussianState;
    fn keep(view: GaussianState) -> GaussianState {
        view
    }
    fn view<'a>(_state: &'a Self, kept: &'a GaussianState) -> &'a GaussianState {
        kept
    }
}

impl<const N: usize, const R: usize> Projected for crate::filter::imm::ImmState<N, R> {
    type Kept = GaussianState;
    fn keep(view: GaussianState) -> GaussianState {
        view
    }
    fn view<'a>(_state: &'a Self, kept: &'a GaussianState) -> &'a GaussianState {
        kept
    }
}

/// One track held by the [`crate::Tracker`], with the estimator's own state `S` (see
/// [`crate::filter::estimator`]) and its 6-D projection.
#[derive(Debug, Clone, PartialEq)]
pub struct Track<S: Projected = GaussianState> {
    pub(crate) id: TrackId,
    /// The estimator's state.
    pub(crate) estimate: S,
    /// Its 6-D projection `[x, y, z, vx, vy, vz]`, kept in step with `estimate` (nothing when
    /// `estimate` is one, see [`Projected`]).
    pub(crate) state: S::Kept,
    pub(crate) status: TrackStatus,
    pub(crate) hits: u32,
    pub(crate) last_update: SimTime,
    pub(crate) consecutive_misses: u32,
    pub(crate) history: HitHistory,
    /// Sensors that have contributed a plot, sorted, without duplicates.
    pub(crate) sensors: SensorSet,
    /// The initiating plot, kept until the two-point velocity start has been made (boxed: most
    /// tracks carry none, and a smaller track is quicker to move).
    pub(crate) first_plot: Option<Box<Measurement>>,
}

impl<S: Projected> Track<S> {
    /// Track number.
    pub fn id(&self) -> TrackId {
        self.id
    }
    /// Current estimate (predicted to the last scan seen, or updated by it), projected to 6-D
    /// `[x, y, z, vx, vy, vz]` (for an IMM, the combined estimate).
    pub fn state(&self) -> &GaussianState {
        S::view(&self.estimate, &self.state)
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
        self.sensors.as_slice()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensor_set_stays_sorted_and_compares_by_content() {
        let mut a = SensorSet::one(SensorId(5));
        for id in [2, 9, 5, 1, 7, 2] {
            a.insert(SensorId(id));
        }
        assert_eq!(
            a.as_slice(),
            [1, 2, 5, 7, 9].map(SensorId).as_slice(),
            "{a:?}"
        );
        let mut b = SensorSet::one(SensorId(2));
        b.insert(SensorId(1));
        let mut c = SensorSet::one(SensorId(1));
        c.insert(SensorId(2));
        assert_eq!(b, c);
        assert!(b.contains(SensorId(2)) && !b.contains(SensorId(3)));
        assert_eq!(format!("{b:?}"), "[SensorId(1), SensorId(2)]");
    }
}
