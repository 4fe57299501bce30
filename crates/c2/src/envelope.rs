//! Envelope queries: the [`LaunchEnvelope`] trait through which C2 asks what a missile can reach
//! (the engine answers with its flyout model), its answers ([`InterceptSolution`] or [`NoShot`]),
//! and the envelope window of the threat list, sampled along a track's straight-line
//! extrapolation.
use crate::threat::ThreatClass;
use iadsim_core::{LauncherId, TrackReport};
use nalgebra::Vector3;
use serde::Serialize;

/// What the envelope model says about one possible shot.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InterceptSolution {
    /// Time from launch to the predicted intercept, s.
    pub time_to_go_s: f64,
    /// Ground range from the launcher to the predicted intercept point, m.
    pub ground_range_m: f64,
    /// Altitude of the predicted intercept point, m.
    pub altitude_m: f64,
    /// The predicted intercept point, ECEF, m (for the rules of engagement).
    pub point_ecef_m: [f64; 3],
    /// Planning kill probability of this shot.
    pub pk: f64,
}

/// Why a missile cannot engage a track from a launcher now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoShot {
    /// The target is faster than the missile can engage.
    TargetTooFast,
    /// The flyout cannot meet the target before the missile runs out of energy or time.
    Unreachable,
    /// The predicted intercept is beyond the missile's maximum range.
    BeyondMaxRange,
    /// The predicted intercept is inside the missile's minimum range.
    InsideMinRange,
    /// The predicted intercept is above or below the missile's altitude limits.
    OutsideAltitudeLimits,
    /// No engagement radar can see the intercept point to guide the missile.
    NotGuidable,
    /// The launcher or missile is unknown to the envelope model.
    Unknown,
}

/// Answers "can this missile, fired now from this launcher, intercept this track?". The engine
/// implements it with the flyout model and the missile's published limits.
pub trait LaunchEnvelope {
    /// The predicted intercept, or why there is none.
    fn intercept(
        &self,
        launcher: LauncherId,
        missile: &str,
        track: &TrackReport,
        class: ThreatClass,
    ) -> Result<InterceptSolution, NoShot>;
}

/// Sampling interval of the envelope window in the threat list, s.
pub const ENVELOPE_SAMPLE_S: f64 = 10.0;
/// Horizon of the envelope window in the threat list, s.
pub const ENVELOPE_HORIZON_S: f64 = 300.0;

/// When a track is first inside some missile's envelope and when it leaves the last one it was
/// in, s from now: the track is extrapolated in a straight line and each `(launcher, missile)`
/// probe asked every [`ENVELOPE_SAMPLE_S`] up to [`ENVELOPE_HORIZON_S`].
pub fn envelope_window(
    envelope: &dyn LaunchEnvelope,
    probes: &[(LauncherId, &String)],
    track: &TrackReport,
    class: ThreatClass,
) -> (Option<f64>, Option<f64>) {
    let (mut enter, mut exit) = (None, None);
    let p = Vector3::from(track.position_ecef_m);
    let v = Vector3::from(track.velocity_ecef_mps);
    let samples = (ENVELOPE_HORIZON_S / ENVELOPE_SAMPLE_S) as u32;
    for k in 0..=samples {
        let dt = f64::from(k) * ENVELOPE_SAMPLE_S;
        let future = TrackReport {
            position_ecef_m: (p + v * dt).into(),
            ..*track
        };
        let inside = probes
            .iter()
            .any(|(l, m)| envelope.intercept(*l, m, &future, class).is_ok());
        match (inside, enter) {
            (true, None) => enter = Some(dt),
            (false, Some(_)) => {
                exit = Some(dt);
                break;
            }
            _ => {}
        }
    }
    (enter, exit)
}
