//! Threat evaluation: who is going to hit what, and when.
//!
//! Score of a track against an asset: `value · min(1, (radius + 10 km)/miss) / (t + 10 s)`, where
//! `miss` and `t` are the closest approach of the straight-line extrapolation, and for a receding
//! track `t` is the time it would need to come back (distance / speed).
use iadsim_core::{AssetId, TrackId, TrackReport, TrackStatus};
use iadsim_geo::Ecef;
use nalgebra::Vector3;
use serde::Serialize;

/// Distance added to an asset's radius within which a pass counts as fully threatening, m.
const THREAT_MARGIN_M: f64 = 10_000.0;
/// Added to the time to closest approach so that imminent threats do not divide by zero, s.
const URGENCY_OFFSET_S: f64 = 10.0;

/// A defended asset as C2 sees it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AssetInfo {
    /// Asset.
    pub id: AssetId,
    /// Position, ECEF, m.
    pub position_ecef_m: [f64; 3],
    /// Value.
    pub value: f64,
    /// Radius, m.
    pub radius_m: f64,
}

/// What a track looks like from its kinematics alone (C2 has no truth): the class decides which
/// envelope and Pk apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreatClass {
    /// Faster than [`BALLISTIC_SPEED_MPS`].
    Ballistic,
    /// Below [`LOW_ALTITUDE_M`] (ellipsoid height) and slower than 400 m/s: cruise missile.
    CruiseMissile,
    /// Slower than [`DRONE_SPEED_MPS`].
    Drone,
    /// Anything else.
    Aircraft,
}

/// A track faster than this is classed ballistic, m/s.
pub const BALLISTIC_SPEED_MPS: f64 = 1_000.0;
/// Height below which a subsonic track is classed a cruise missile, m.
pub const LOW_ALTITUDE_M: f64 = 1_000.0;
/// A track slower than this is classed a drone, m/s.
pub const DRONE_SPEED_MPS: f64 = 80.0;

/// Classifies a track by speed and height.
pub fn classify(track: &TrackReport) -> ThreatClass {
    let speed = Vector3::from(track.velocity_ecef_mps).norm();
    let alt_m = Ecef(Vector3::from(track.position_ecef_m))
        .to_geodetic()
        .alt_m;
    if speed >= BALLISTIC_SPEED_MPS {
        ThreatClass::Ballistic
    } else if speed < DRONE_SPEED_MPS {
        ThreatClass::Drone
    } else if alt_m < LOW_ALTITUDE_M && speed < 400.0 {
        ThreatClass::CruiseMissile
    } else {
        ThreatClass::Aircraft
    }
}

/// The evaluation of one track, with its reasons.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Threat {
    /// Track.
    pub track: TrackId,
    /// Score (higher is more threatening).
    pub score: f64,
    /// The asset that makes it most threatening.
    pub asset: Option<AssetId>,
    /// Time to the closest approach to that asset, s.
    pub time_to_cpa_s: f64,
    /// Predicted miss distance from that asset, m.
    pub miss_distance_m: f64,
    /// Whether the straight-line extrapolation passes within the asset's radius.
    pub direct: bool,
    /// Kinematic class.
    pub class: ThreatClass,
    /// Speed, m/s.
    pub speed_mps: f64,
}

/// Ranks confirmed tracks, most threatening first (ties by track id).
pub fn evaluate_threats(tracks: &[TrackReport], assets: &[AssetInfo]) -> Vec<Threat> {
    let mut out: Vec<Threat> = tracks
        .iter()
        .filter(|t| t.status == TrackStatus::Confirmed)
        .map(|t| evaluate(t, assets))
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.track.cmp(&b.track)));
    out
}

fn evaluate(track: &TrackReport, assets: &[AssetInfo]) -> Threat {
    let p = Vector3::from(track.position_ecef_m);
    let v = Vector3::from(track.velocity_ecef_mps);
    let mut best = Threat {
        track: track.id,
        score: 0.0,
        asset: None,
        time_to_cpa_s: f64::INFINITY,
        miss_distance_m: f64::INFINITY,
        direct: false,
        class: classify(track),
        speed_mps: v.norm(),
    };
    for a in assets {
        let d = p - Vector3::from(a.position_ecef_m);
        let v2 = v.norm_squared();
        let t_cpa = if v2 > 0.0 {
            (-d.dot(&v) / v2).max(0.0)
        } else {
            0.0
        };
        let miss = (d + v * t_cpa).norm();
        let reach = a.radius_m + THREAT_MARGIN_M;
        let proximity = (reach / miss.max(1e-9)).min(1.0);
        // A receding track is rated by the time it would need to turn and come back.
        let receding = d.dot(&v) > 0.0;
        let urgency_time_s = if receding && v2 > 0.0 {
            d.norm() / v2.sqrt()
        } else {
            t_cpa
        };
        let score = a.value * proximity / (urgency_time_s + URGENCY_OFFSET_S);
        if score > best.score || best.asset.is_none() {
            best = Threat {
                score,
                asset: Some(a.id),
                time_to_cpa_s: t_cpa,
                miss_distance_m: miss,
                direct: miss <= a.radius_m,
                ..best
            };
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use iadsim_core::SimTime;

    fn track(id: u32, x: f64, vx: f64) -> TrackReport {
        TrackReport {
            id: TrackId(id),
            time: SimTime::ZERO,
            position_ecef_m: [x, 0.0, 0.0],
            velocity_ecef_mps: [vx, 0.0, 0.0],
            position_variance_m2: 1.0,
            status: TrackStatus::Confirmed,
            hits: 5,
            last_update: SimTime::ZERO,
        }
    }

    #[test]
    fn closer_and_sooner_threats_rank_first() {
        let assets = [AssetInfo {
            id: AssetId(0),
            position_ecef_m: [0.0; 3],
            value: 1.0,
            radius_m: 1000.0,
        }];
        // Track 1 arrives in 100 s, track 2 in 400 s, track 3 flies away.
        let ranked = evaluate_threats(
            &[
                track(2, -100_000.0, 250.0),
                track(1, -25_000.0, 250.0),
                track(3, 50_000.0, 250.0),
            ],
            &assets,
        );
        let order: Vec<u32> = ranked.iter().map(|t| t.track.0).collect();
        assert_eq!(order, vec![1, 2, 3]);
        assert!((ranked[0].time_to_cpa_s - 100.0).abs() < 1e-9);
        assert!(ranked[0].miss_distance_m < 1e-6);
        assert!(ranked[0].direct);
    }

    #[test]
    fn classes_follow_speed_and_height() {
        let ground = iadsim_geo::Geodetic::from_degrees(33.3, 44.4, 50.0)
            .to_ecef()
            .0;
        let high = iadsim_geo::Geodetic::from_degrees(33.3, 44.4, 9000.0)
            .to_ecef()
            .0;
        let mut t = track(1, 0.0, 0.0);
        let with = |t: &mut TrackReport, p: Vector3<f64>, v: f64| {
            t.position_ecef_m = p.into();
            t.velocity_ecef_mps = [v, 0.0, 0.0];
            classify(t)
        };
        assert_eq!(with(&mut t, ground, 250.0), ThreatClass::CruiseMissile);
        assert_eq!(with(&mut t, high, 250.0), ThreatClass::Aircraft);
        assert_eq!(with(&mut t, high, 2000.0), ThreatClass::Ballistic);
        assert_eq!(with(&mut t, ground, 50.0), ThreatClass::Drone);
    }
}
