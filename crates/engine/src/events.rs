//! The event log: what happened, when, to whom. One JSON object per line in `events.jsonl`.
//!
//! Events name truth (`target`) as well as the tracker's view (`track`): the recorder stands
//! behind the truth firewall, so that analysts can score the system; no stage reads it.
use iadsim_c2::Decision;
use iadsim_core::{AssetId, InterceptorId, LauncherId, SensorId, SimTime, TargetId, TrackId};
use serde::Serialize;

/// One logged event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Simulation time, s.
    pub time_s: f64,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

impl Event {
    /// An event at `time`.
    pub fn new(time: SimTime, kind: EventKind) -> Event {
        Event {
            time_s: time.as_secs_f64(),
            kind,
        }
    }
}

/// Why a target stopped being a threat without being killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeakReason {
    /// It came within the radius of a defended asset.
    ReachedAsset,
    /// It reached the last waypoint of its route.
    RouteEnd,
}

/// Why an interceptor was lost without an intercept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LossReason {
    /// It reached its maximum flight time (self-destruct).
    MaxFlightTime,
    /// Its target was destroyed by another interceptor first.
    TargetDestroyed,
    /// Its target leaked before the intercept.
    TargetLeaked,
    /// After burnout it became slower than its `min_speed_mps`.
    TooSlow,
    /// It hit the ground.
    HitGround,
}

/// The kinds of events, tagged by `kind` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// A target enters the scenario.
    TargetLaunched {
        /// Target.
        target: TargetId,
        /// Its class.
        class: String,
        /// Its raid.
        raid: String,
    },
    /// First detection of a target by a radar (later detections are not logged one by one).
    Detection {
        /// Radar.
        sensor: SensorId,
        /// Radar preset.
        radar: String,
        /// Target detected.
        target: TargetId,
        /// True slant range, m.
        range_m: f64,
        /// True altitude of the target, m.
        target_altitude_m: f64,
        /// Mean SNR of the detection, dB.
        snr_db: f64,
    },
    /// A track was confirmed (M of N).
    TrackConfirmed {
        /// Site.
        site: String,
        /// Track.
        track: TrackId,
        /// The target whose plots made it (truth, for scoring).
        target: Option<TargetId>,
    },
    /// A track was deleted.
    TrackDeleted {
        /// Site.
        site: String,
        /// Track.
        track: TrackId,
        /// The target whose plots made it.
        target: Option<TargetId>,
    },
    /// An interceptor was launched.
    Launch {
        /// Site.
        site: String,
        /// Interceptor.
        interceptor: InterceptorId,
        /// Launcher.
        launcher: LauncherId,
        /// Missile type.
        missile: String,
        /// Track engaged.
        track: TrackId,
        /// The target behind that track.
        target: Option<TargetId>,
        /// Predicted time to intercept, s.
        predicted_time_to_go_s: f64,
        /// Predicted ground range of the intercept, m.
        predicted_ground_range_m: f64,
        /// Predicted altitude of the intercept, m.
        predicted_altitude_m: f64,
        /// Threat score that ranked the track.
        threat_score: f64,
        /// The asset it threatened most.
        threatened_asset: Option<AssetId>,
        /// Planning kill probability of the shot.
        planned_pk: f64,
    },
    /// A command-post decision (threat list, assignment, hold and its reason, kill assessment,
    /// reload), with the reasons behind it.
    Decision {
        /// Site.
        site: String,
        /// The decision.
        #[serde(flatten)]
        decision: Decision,
    },
    /// An interceptor passed its closest point of approach to its target.
    Intercept {
        /// Interceptor.
        interceptor: InterceptorId,
        /// Missile type.
        missile: String,
        /// Target.
        target: TargetId,
        /// Miss distance at the closest approach, m.
        miss_distance_m: f64,
        /// Ground range from the launcher, m.
        ground_range_m: f64,
        /// Altitude of the intercept, m.
        altitude_m: f64,
        /// Time of flight, s.
        time_of_flight_s: f64,
    },
    /// The intercept killed the target.
    Kill {
        /// Interceptor.
        interceptor: InterceptorId,
        /// Target.
        target: TargetId,
    },
    /// The intercept did not kill the target.
    Miss {
        /// Interceptor.
        interceptor: InterceptorId,
        /// Target.
        target: TargetId,
        /// Miss distance, m.
        miss_distance_m: f64,
    },
    /// An interceptor was lost without an intercept.
    InterceptorLost {
        /// Interceptor.
        interceptor: InterceptorId,
        /// Its target.
        target: Option<TargetId>,
        /// Why.
        reason: LossReason,
    },
    /// A target got through.
    Leak {
        /// Target.
        target: TargetId,
        /// Its class.
        class: String,
        /// How.
        reason: LeakReason,
        /// The asset reached, if any.
        asset: Option<AssetId>,
    },
}
