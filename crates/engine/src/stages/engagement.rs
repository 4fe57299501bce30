//! Engagement: interceptors fly one step and their engagements are resolved. Each interceptor
//! guides on its site tracker's estimate (never truth), extrapolated to the step start, or,
//! inside its seeker's acquisition range, on the target itself; then integrates the 3-DOF flyout
//! over the step. An intercept is the closest point of approach of the interceptor's and the
//! target's segments inside the step, so the miss distance does not depend on the step length.
//! Intercepts are resolved in interceptor order (a target killed by an earlier one in this step
//! is gone): a kill is drawn from the missile's Pk at that miss distance.
//!
//! In: the flights, the sites' trackers, the targets' truth, the step `[now, t1]`. Out: fates
//! `Flying → Killed`; `Intercept`, `Kill`, `Miss`, `InterceptorLost` events; one
//! [`EngagementRecord`] per finished interceptor; the command post told the round is done.
//! Random stream: `Kill` (one draw per intercept of a flying target, whatever the miss).
use crate::events::{EventKind, LossReason};
use crate::record::{EngagementOutcome, EngagementRecord, Recorders};
use crate::world::{Estimate, Fate, Flight, SiteState, TargetTruth, World};
use iadsim_core::{SimTime, TargetId};
use iadsim_geo::{inverse, Dem, Ecef};
use iadsim_interceptor::{passes_cpa_within_step, LossReason as FlightLoss, TargetEstimate};
use nalgebra::Vector3;
use rand::Rng;

/// How an interceptor's step ended its flight.
enum FlightEnd {
    Intercept(Cpa),
    Lost(LossReason),
}

/// The closest point of approach inside a step.
struct Cpa {
    miss_distance_m: f64,
    /// The interceptor's position there, ECEF, m.
    point: Vector3<f64>,
    time_of_flight_s: f64,
}

/// Flies every interceptor from `world.now` to `t1` and resolves the flights that ended.
pub(crate) fn fly(world: &mut World, t1: SimTime, out: &mut Recorders<'_>) {
    let t0 = world.now;
    let terrain = world.terrain.as_deref();
    let mut finished = Vec::new();
    for (fi, f) in world.flights.iter_mut().enumerate() {
        let site = &world.sites[f.site];
        if let Some(end) = fly_one(f, site, &world.targets, terrain, t0, t1) {
            finished.push((fi, end));
        }
    }
    let mut done = Vec::new();
    for (fi, end) in finished {
        resolve(world, fi, end, t1, out);
        done.push(fi);
    }
    let mut k = 0;
    world.flights.retain(|_| {
        let keep = !done.contains(&k);
        k += 1;
        keep
    });
}

/// The target estimate guidance flies on at `t0`: the track, or the seeker's view of the target.
fn guidance_estimate(
    f: &mut Flight,
    site: &SiteState,
    targets: &[TargetTruth],
    terrain: Option<&Dem>,
    t0: SimTime,
) -> TargetEstimate {
    // Guidance on the tracker's estimate (never truth), extrapolated to the step start.
    if let Some(r) = site.track_ecef(f.track, t0) {
        f.last_estimate = Estimate {
            position_ecef_m: Vector3::from(r.position_ecef_m),
            velocity_ecef_mps: Vector3::from(r.velocity_ecef_mps),
            time: t0,
        };
    }
    let e = f.last_estimate;
    let mut p_est = e.position_ecef_m + e.velocity_ecef_mps * (t0 - e.time).as_secs_f64();
    let mut v_est = e.velocity_ecef_mps;
    // Terminal homing: inside its acquisition range the seeker (TVM or active radar) measures
    // the target itself. It is modelled as ideal here (no noise, no lag).
    if let Some(target) = f.target.map(|t| &targets[t.0 as usize]) {
        if target.fate == Fate::Flying {
            let truth = target.state_at(t0, terrain);
            if (truth.position_ecef_m - f.body.position_ecef_m()).norm() <= f.seeker_range_m {
                p_est = truth.position_ecef_m;
                v_est = truth.velocity_ecef_mps;
            }
        }
    }
    TargetEstimate {
        position_ecef_m: p_est,
        velocity_ecef_mps: v_est,
        acceleration_ecef_mps2: None,
    }
}

/// One interceptor's step from `t0` to `t1`; `Some` if its flight ended in it.
fn fly_one(
    f: &mut Flight,
    site: &SiteState,
    targets: &[TargetTruth],
    terrain: Option<&Dem>,
    t0: SimTime,
    t1: SimTime,
) -> Option<FlightEnd> {
    let dt_s = (t1 - t0).as_secs_f64();
    let estimate = guidance_estimate(f, site, targets, terrain, t0);
    let m0 = f.body.position_ecef_m();
    let result = f.body.step(dt_s, Some(&estimate));
    let m1 = f.body.position_ecef_m();
    let lost = result.loss.map(|l| match l {
        FlightLoss::MaxFlightTime => LossReason::MaxFlightTime,
        FlightLoss::TooSlow => LossReason::TooSlow,
        FlightLoss::Ground => LossReason::HitGround,
    });
    let Some(target_id) = f.target else {
        return lost.map(FlightEnd::Lost);
    };
    let target = &targets[target_id.0 as usize];
    match target.fate {
        Fate::Killed => return Some(FlightEnd::Lost(LossReason::TargetDestroyed)),
        Fate::Leaked => return Some(FlightEnd::Lost(LossReason::TargetLeaked)),
        Fate::Waiting | Fate::Flying => {}
    }
    let q0 = target.state_at(t0, terrain).position_ecef_m;
    let q1 = target.state_at(t1, terrain).position_ecef_m;
    if let Some(cpa) = passes_cpa_within_step(&m0, &m1, &q0, &q1) {
        let point = m0 + (m1 - m0) * cpa.fraction;
        let tof = f.body.time_of_flight_s() - dt_s * (1.0 - cpa.fraction);
        Some(FlightEnd::Intercept(Cpa {
            miss_distance_m: cpa.miss_distance_m,
            point,
            time_of_flight_s: tof,
        }))
    } else {
        lost.map(FlightEnd::Lost)
    }
}

/// Resolves how flight `fi` ended at `now`: events, the kill draw, the engagement record, and
/// the command post told the interceptor is done.
fn resolve(world: &mut World, fi: usize, end: FlightEnd, now: SimTime, out: &mut Recorders<'_>) {
    let f = &world.flights[fi];
    let (id, target) = (f.id, f.target);
    let mut record = EngagementRecord {
        interceptor: id,
        site: world.sites[f.site].name.clone(),
        missile: f.missile.clone(),
        track: f.track,
        target,
        target_class: target.map(|t| world.targets[t.0 as usize].class.clone()),
        launch_time_s: f.launched_at.as_secs_f64(),
        intercept_time_s: None,
        miss_distance_m: None,
        outcome: EngagementOutcome::Lost(LossReason::TargetDestroyed),
    };
    let lost = match end {
        FlightEnd::Intercept(cpa) => {
            // An intercept always has a target; its fate may have changed earlier in this step.
            match target.filter(|t| world.targets[t.0 as usize].fate == Fate::Flying) {
                Some(t) => {
                    record.intercept_time_s = Some(record.launch_time_s + cpa.time_of_flight_s);
                    record.miss_distance_m = Some(cpa.miss_distance_m);
                    let killed = intercept(world, fi, t, &cpa, now, out);
                    record.outcome = if killed {
                        world.targets[t.0 as usize].fate = Fate::Killed;
                        out.event(
                            now,
                            EventKind::Kill {
                                interceptor: id,
                                target: t,
                            },
                        );
                        EngagementOutcome::Kill
                    } else {
                        out.event(
                            now,
                            EventKind::Miss {
                                interceptor: id,
                                target: t,
                                miss_distance_m: cpa.miss_distance_m,
                            },
                        );
                        EngagementOutcome::Miss
                    };
                    None
                }
                None => Some(LossReason::TargetDestroyed),
            }
        }
        FlightEnd::Lost(reason) => Some(reason),
    };
    if let Some(reason) = lost {
        record.outcome = EngagementOutcome::Lost(reason);
        out.event(
            now,
            EventKind::InterceptorLost {
                interceptor: id,
                target,
                reason,
            },
        );
    }
    out.engagement(&record);
    let (site, track) = (world.flights[fi].site, world.flights[fi].track);
    world.sites[site]
        .command_post
        .interceptor_finished(track, now);
}

/// Logs the intercept of a flying target and draws the kill; `true` if it killed.
fn intercept(
    world: &mut World,
    fi: usize,
    target: TargetId,
    cpa: &Cpa,
    now: SimTime,
    out: &mut Recorders<'_>,
) -> bool {
    let f = &world.flights[fi];
    let at = Ecef(cpa.point).to_geodetic();
    let ground_range_m = inverse(
        f.launcher_position.lat_deg(),
        f.launcher_position.lon_deg(),
        at.lat_deg(),
        at.lon_deg(),
    )
    .map_or(f64::NAN, |g| g.distance_m);
    let pk = f.aero.kill_probability(cpa.miss_distance_m);
    out.event(
        now,
        EventKind::Intercept {
            interceptor: f.id,
            missile: f.missile.clone(),
            target,
            miss_distance_m: cpa.miss_distance_m,
            ground_range_m,
            altitude_m: at.alt_m,
            time_of_flight_s: cpa.time_of_flight_s,
        },
    );
    // The kill draw is made for every intercept, so that the Kill stream stays aligned between
    // paired runs whatever the miss distances.
    let u: f64 = world.streams.kill.random();
    u < pk
}
