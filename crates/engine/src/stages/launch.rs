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
