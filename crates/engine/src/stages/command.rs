//! Command and control: when a site's decision cycle is due, its command post ranks the threats
//! among the site's tracks (predicted to now, in ECEF), asks fire control
//! ([`crate::fire_control::SiteEnvelope`]) which launcher and missile can reach each one, and
//! assigns shots under doctrine, fire channels and rounds. The command post books what it
//! orders (rounds, channels, launch times); [`super::launch`] executes the orders.
//!
//! In: a site and the missile types. Out: [`Orders`] (the tracks as C2 saw them and the fire
//! orders); `Decision` events. Random streams: none.
use crate::events::EventKind;
use crate::fire_control::SiteEnvelope;
use crate::record::Recorders;
use crate::scenario::{MissileSpec, RadarRole};
use crate::world::SiteState;
use iadsim_c2::FireOrder;
use iadsim_core::{SimTime, TrackReport};
use iadsim_interceptor::FlyoutTable;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The fire orders of one decision cycle and the track reports they were planned on.
pub(crate) struct Orders {
    pub(crate) reports: Vec<TrackReport>,
    pub(crate) orders: Vec<FireOrder>,
}

/// Runs one decision cycle of the site at `now`.
pub(crate) fn plan(
    site: &mut SiteState,
    missiles: &BTreeMap<String, MissileSpec>,
    flyout: &BTreeMap<String, Arc<FlyoutTable>>,
    now: SimTime,
    out: &mut Recorders<'_>,
) -> Orders {
    let reports: Vec<TrackReport> = site
        .tracker
        .reports()
        .iter()
        .filter_map(|r| site.track_ecef(r.id, now))
        .collect();
    let SiteState {
        launchers,
        radars,
        command_post,
        identities,
        name,
        ..
    } = site;
    let envelope = SiteEnvelope::new(
        launchers,
        radars
            .iter()
            .filter(|r| r.role == RadarRole::Engagement)
            .map(|r| &r.radar)
            .collect(),
        missiles,
        flyout,
    );
    let outcome = command_post.plan(now, &reports, identities, &envelope);
    for decision in outcome.decisions {
        let site = name.clone();
        out.event(now, EventKind::Decision { site, decision });
    }
    Orders {
        reports,
        orders: outcome.orders,
    }
}
