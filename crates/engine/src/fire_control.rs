//! Fire control: the launch acceptability test C2 asks through the `LaunchEnvelope` trait — the
//! flyout table's intercept prediction (the same flyout model that flies the missile), the
//! missile's published limits, a fire-control margin, and an engagement radar's view of the
//! intercept point. C2 sees only this answer, never truth.
use crate::scenario::MissileSpec;
use crate::world::LauncherState;
use iadsim_c2::{InterceptSolution, LaunchEnvelope, NoShot, ThreatClass};
use iadsim_core::{LauncherId, TrackReport};
use iadsim_geo::{inverse, line_of_sight, Ecef};
use iadsim_interceptor::{predict_intercept_3dof, FlyoutTable};
use iadsim_sensors::{Look, Radar};
use nalgebra::Vector3;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Fire control takes a shot only if the predicted time of flight is at most this fraction of
/// the missile's `max_flight_time_s` (ASSUMPTION, docs/assumptions.md).
const FIRE_CONTROL_TIME_MARGIN: f64 = 0.9;
/// … and the predicted arrival speed at least this multiple of its `min_speed_mps`.
const FIRE_CONTROL_SPEED_MARGIN: f64 = 1.25;

/// The launch acceptability test C2 asks: flyout prediction plus the missile's published limits
/// and the engagement radar's coverage of the intercept point.
pub(crate) struct SiteEnvelope<'a> {
    launchers: &'a [LauncherState],
    engagement_radars: Vec<&'a Radar>,
    missiles: &'a BTreeMap<String, MissileSpec>,
    flyout: &'a BTreeMap<String, Arc<FlyoutTable>>,
    /// Answers already given in this cycle: a site's launchers share its position, so the same
    /// question comes once per launcher.
    answers: std::cell::RefCell<BTreeMap<EnvelopeKey, Result<InterceptSolution, NoShot>>>,
}

/// A question C2 asks fire control: the answer depends on nothing else (positions and velocity
/// as exact bit patterns).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct EnvelopeKey {
    missile: String,
    ballistic: bool,
    launcher_ecef_m: [u64; 3],
    track_position_ecef_m: [u64; 3],
    track_velocity_ecef_mps: [u64; 3],
}

impl<'a> SiteEnvelope<'a> {
    /// The envelope of a site's launchers, guided by its engagement radars, for one cycle.
    pub(crate) fn new(
        launchers: &'a [LauncherState],
        engagement_radars: Vec<&'a Radar>,
        missiles: &'a BTreeMap<String, MissileSpec>,
        flyout: &'a BTreeMap<String, Arc<FlyoutTable>>,
    ) -> SiteEnvelope<'a> {
        SiteEnvelope {
            launchers,
            engagement_radars,
            missiles,
            flyout,
            answers: Default::default(),
        }
    }
}

impl LaunchEnvelope for SiteEnvelope<'_> {
    fn intercept(
        &self,
        launcher: LauncherId,
        missile: &str,
        track: &TrackReport,
        class: ThreatClass,
    ) -> Result<InterceptSolution, NoShot> {
        let l = self
            .launchers
            .iter()
            .find(|l| l.id == launcher)
            .ok_or(NoShot::Unknown)?;
        let ballistic = class == ThreatClass::Ballistic;
        let key = EnvelopeKey {
            missile: missile.to_string(),
            ballistic,
            launcher_ecef_m: [l.position_ecef.x, l.position_ecef.y, l.position_ecef.z]
                .map(f64::to_bits),
            track_position_ecef_m: track.position_ecef_m.map(f64::to_bits),
            track_velocity_ecef_mps: track.velocity_ecef_mps.map(f64::to_bits),
        };
        if let Some(answer) = self.answers.borrow().get(&key) {
            return *answer;
        }
        let answer = self.answer(l, missile, track, ballistic);
        self.answers.borrow_mut().insert(key, answer);
        answer
    }
}

impl SiteEnvelope<'_> {
    fn answer(
        &self,
        l: &LauncherState,
        missile: &str,
        track: &TrackReport,
        ballistic: bool,
    ) -> Result<InterceptSolution, NoShot> {
        let spec = self.missiles.get(missile).ok_or(NoShot::Unknown)?;
        let table = self.flyout.get(missile).ok_or(NoShot::Unknown)?;
        let p = Vector3::from(track.position_ecef_m);
        let v = Vector3::from(track.velocity_ecef_mps);
        if v.norm() > spec.max_target_speed_mps {
            return Err(NoShot::TargetTooFast);
        }
        let pred =
            predict_intercept_3dof(table, &l.position_ecef, &p, &v).ok_or(NoShot::Unreachable)?;
        // Fire-control margin: the prediction assumes a constant-velocity target and the table's
        // reference flight; a shot at the very edge of the kinematic envelope (late in the flight
        // time, or arriving barely above the speed at which the missile is lost) is not taken.
        let aero = &table.aero;
        if pred.time_to_go_s > FIRE_CONTROL_TIME_MARGIN * aero.max_flight_time_s
            || pred.arrival_speed_mps < FIRE_CONTROL_SPEED_MARGIN * aero.min_speed_mps
        {
            return Err(NoShot::Unreachable);
        }
        let at = Ecef(pred.point_ecef_m).to_geodetic();
        if at.alt_m < spec.min_altitude_m || at.alt_m > spec.max_altitude_m {
            return Err(NoShot::OutsideAltitudeLimits);
        }
        let ground_range_m = inverse(
            l.position.lat_deg(),
            l.position.lon_deg(),
            at.lat_deg(),
            at.lon_deg(),
        )
        .map_err(|_| NoShot::Unreachable)?
        .distance_m;
        let max_range_m = if ballistic {
            spec.max_range_ballistic_m
        } else {
            spec.max_range_m
        };
        if ground_range_m > max_range_m {
            return Err(NoShot::BeyondMaxRange);
        }
        if ground_range_m < spec.min_range_m {
            return Err(NoShot::InsideMinRange);
        }
        // An engagement radar must see the intercept point to guide the missile there.
        let guided = self.engagement_radars.iter().any(|r| {
            matches!(
                r.look(&at, &Ecef(pred.point_ecef_m), &track.velocity_ecef_mps),
                Look::InCoverage(_)
            ) && line_of_sight(r.params.terrain.as_deref(), &r.params.antenna, &at)
        });
        if !guided {
            return Err(NoShot::NotGuidable);
        }
        Ok(InterceptSolution {
            time_to_go_s: pred.time_to_go_s,
            ground_range_m,
            altitude_m: at.alt_m,
            point_ecef_m: pred.point_ecef_m.into(),
            pk: spec.pk,
        })
    }
}
