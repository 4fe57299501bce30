//! Launch: the fire orders of a decision cycle become interceptors in the air, each launched on
//! the azimuth of its predicted intercept point. C2 has already booked the round and the guidance
//! channel, so an order that cannot be executed is a bug, not a choice: it stops the run with an
//! [`EngineError::FireOrder`] naming the ids (orders carry only ids the engine gave C2, and every
//! missile's aerodynamics were validated when the world was built).
//!
//! In: a site's [`Orders`], the missile types. Out: new flights; `Launch` events.
//! Random streams: none.
use super::command::Orders;
use crate::events::EventKind;
use crate::record::Recorders;
use crate::world::{Estimate, Flight, World};
use crate::{EngineError, FireOrderError};
use iadsim_c2::FireOrder;
use iadsim_core::InterceptorId;
use iadsim_geo::{Ecef, EnuFrame};
use iadsim_interceptor::Flight as Airframe;
use nalgebra::Vector3;

/// Launches the orders of site `si` at the world's current time.
pub(crate) fn launch(
    world: &mut World,
    si: usize,
    planned: Orders,
    out: &mut Recorders<'_>,
) -> Result<(), EngineError> {
    let now = world.now;
    for order in planned.orders {
        let site = &world.sites[si];
        let error = |reason| EngineError::FireOrder {
            site: site.name.clone(),
            launcher: order.launcher,
            track: order.track,
            missile: order.missile.clone(),
            reason,
        };
        let launcher = (site.launchers.iter())
            .find(|l| l.id == order.launcher)
            .ok_or_else(|| error(FireOrderError::UnknownLauncher))?;
        let report = (planned.reports.iter())
            .find(|r| r.id == order.track)
            .ok_or_else(|| error(FireOrderError::UnknownTrack))?;
        let spec = (world.scenario.missiles.get(&order.missile))
            .ok_or_else(|| error(FireOrderError::UnknownMissile))?;
        // Launch on the azimuth of the predicted intercept point.
        let aim = EnuFrame::new(launcher.position)
            .to_enu(&Ecef(Vector3::from(order.solution.point_ecef_m)))
            .0;
        let azimuth_rad = aim.x.atan2(aim.y);
        let aero = spec.aero();
        let body = Airframe::launch(&aero, launcher.position_ecef, azimuth_rad)
            .map_err(|source| error(FireOrderError::Launch(source)))?;
        let id = InterceptorId(world.next_interceptor);
        world.next_interceptor += 1;
        let target = site.track_truth.get(&order.track).copied().flatten();
        let flight = Flight {
            id,
            site: si,
            missile: order.missile.clone(),
            track: order.track,
            target,
            launched_at: now,
            launcher_position: launcher.position,
            body,
            aero,
            seeker_range_m: spec.seeker_range_m,
            last_estimate: Estimate {
                position_ecef_m: Vector3::from(report.position_ecef_m),
                velocity_ecef_mps: Vector3::from(report.velocity_ecef_mps),
                time: now,
            },
        };
        let event = launch_event(site.name.clone(), id, target, order);
        world.flights.push(flight);
        out.event(now, event);
    }
    Ok(())
}

fn launch_event(
    site: String,
    interceptor: InterceptorId,
    target: Option<iadsim_core::TargetId>,
    order: FireOrder,
) -> EventKind {
    EventKind::Launch {
        site,
        interceptor,
        launcher: order.launcher,
        missile: order.missile,
        track: order.track,
        target,
        predicted_time_to_go_s: order.solution.time_to_go_s,
        predicted_ground_range_m: order.solution.ground_range_m,
        predicted_altitude_m: order.solution.altitude_m,
        threat_score: order.threat.score,
        threatened_asset: order.threat.asset,
        planned_pk: order.solution.pk,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{EventLog, Recorders};
    use crate::scenario::Scenario;
    use iadsim_c2::{InterceptSolution, Threat, ThreatClass};
    use iadsim_core::{LauncherId, SimTime, TrackId, TrackReport, TrackStatus};

    fn order(launcher: u32, track: u32, missile: &str) -> FireOrder {
        FireOrder {
            launcher: LauncherId(launcher),
            missile: missile.to_string(),
            track: TrackId(track),
            solution: InterceptSolution {
                time_to_go_s: 10.0,
                ground_range_m: 1e4,
                altitude_m: 1e3,
                point_ecef_m: [4e6, 3e6, 3.5e6],
                pk: 0.9,
            },
            threat: Threat {
                track: TrackId(track),
                score: 1.0,
                asset: None,
                time_to_cpa_s: 60.0,
                miss_distance_m: 0.0,
                direct: true,
                class: ThreatClass::Aircraft,
                speed_mps: 250.0,
            },
        }
    }

    fn report(track: u32) -> TrackReport {
        TrackReport {
            id: TrackId(track),
            time: SimTime::ZERO,
            position_ecef_m: [4e6, 3e6, 3.5e6],
            velocity_ecef_mps: [0.0, 250.0, 0.0],
            position_variance_m2: 100.0,
            status: TrackStatus::Confirmed,
            hits: 5,
            last_update: SimTime::ZERO,
        }
    }

    #[test]
    fn an_order_the_engine_cannot_execute_is_an_error_naming_it_not_a_skipped_launch() {
        // No missile types: building the world flies no flyout table (slow in a debug build).
        let mut scenario = Scenario::builtin_default();
        scenario.missiles.clear();
        let mut world = World::new(&scenario, 1, 0).expect("builds");
        let mut log = EventLog::default();
        let mut out = Recorders::new(&world, vec![&mut log]);
        let cases = [
            (order(999, 1, "48N6E2"), vec![report(1)], "UnknownLauncher"),
            (order(0, 1, "48N6E2"), vec![report(2)], "UnknownTrack"),
            (
                order(0, 1, "no-such-missile"),
                vec![report(1)],
                "UnknownMissile",
            ),
        ];
        for (order, reports, expected) in cases {
            let planned = Orders {
                reports,
                orders: vec![order],
            };
            let err = launch(&mut world, 0, planned, &mut out).expect_err(expected);
            let EngineError::FireOrder { ref reason, .. } = err else {
                panic!("{err:?}");
            };
            assert_eq!(format!("{reason:?}"), expected);
            assert!(err.to_string().contains("launcher"), "{err}");
        }
        assert!(world.flights.is_empty());
        assert_eq!(world.next_interceptor, 0);
        drop(out);
        assert!(log.events().is_empty(), "no launch was logged");
    }
}
