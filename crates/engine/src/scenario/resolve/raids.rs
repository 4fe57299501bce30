//! `[[raid]]`: targets of one class flying one route, with per-raid overrides of the class.
use super::{optional, position, spanless, unknown_preset, Reporter, Resolved};
use crate::scenario::file::RaidEntry;
use crate::scenario::model::{AltitudeReference, Position, Raid};
use crate::scenario::presets;
use crate::scenario::spec::{Limit, TargetClassSpec};
use std::collections::BTreeMap;

/// One raid; `has_terrain` says whether the scenario has terrain to follow.
pub(super) fn raid(
    r: &RaidEntry,
    classes: &BTreeMap<String, TargetClassSpec>,
    has_terrain: bool,
    rep: &mut Reporter<'_>,
) -> Option<Resolved<Raid, RaidEntry>> {
    let context = format!("raid \"{}\": ", r.name);
    let Some(base) = classes.get(r.class.get_ref()) else {
        unknown_preset(rep, "target class", &r.class, presets::names(classes));
        return None;
    };
    let spec = overridden(r, base, &context, rep);
    if r.altitude_reference == Some(AltitudeReference::Ground) && !has_terrain {
        rep.error(
            r.class.span(),
            format!("{context}`altitude_reference = \"ground\"` needs terrain"),
            None,
            Some("add `terrain = \"builtin:baghdad-synthetic\"` (or a DEM path) to [scenario], or use \"ellipsoid\"".into()),
        );
    }
    let count = Limit::closed(1.0, 10000.0, "");
    let n = optional(rep, &r.count, 1, &context, "count", count);
    let start = Limit::closed(0.0, 7.0 * 86400.0, "s");
    let start_s = optional(rep, &r.start_s, 0.0, &context, "start_s", start);
    let spacing = Limit::closed(0.0, 86400.0, "s");
    let spacing_s = optional(rep, &r.spacing_s, 0.0, &context, "spacing_s", spacing);
    let route = route(r, &context, rep);
    let altitude_reference = r.altitude_reference.unwrap_or_default();
    let side = r.side.unwrap_or_default();
    let mut written = r.clone();
    written.rcs_m2 = spanless(spec.rcs_m2);
    written.speed_mps = spanless(spec.speed_mps);
    written.count = spanless(n);
    written.swerling = spanless(spec.swerling);
    written.altitude_reference = Some(altitude_reference);
    written.start_s = spanless(start_s);
    written.spacing_s = spanless(spacing_s);
    written.side = Some(side);
    let model = Raid {
        name: r.name.clone(),
        class: r.class.get_ref().clone(),
        spec,
        count: n,
        start_s,
        spacing_s,
        route,
        altitude_reference,
        side,
    };
    Some(Resolved { model, written })
}

/// The target class with the raid's overrides of RCS, speed and Swerling case.
fn overridden(
    r: &RaidEntry,
    base: &TargetClassSpec,
    context: &str,
    rep: &mut Reporter<'_>,
) -> TargetClassSpec {
    let rcs = Limit::open_low(0.0, 1.0e4, "m²");
    let speed = Limit::open_low(0.0, 1.0e4, "m/s");
    let swerling = Limit::closed(0.0, 4.0, "");
    TargetClassSpec {
        rcs_m2: optional(rep, &r.rcs_m2, base.rcs_m2, context, "rcs_m2", rcs),
        speed_mps: optional(
            rep,
            &r.speed_mps,
            base.speed_mps,
            context,
            "speed_mps",
            speed,
        ),
        swerling: optional(
            rep,
            &r.swerling,
            base.swerling,
            context,
            "swerling",
            swerling,
        ),
        ..base.clone()
    }
}

/// The waypoints: at least two, consecutive ones at different places (a vertical leg has no
/// geodesic).
fn route(r: &RaidEntry, context: &str, rep: &mut Reporter<'_>) -> Vec<Position> {
    let route: Vec<Position> = r
        .route
        .get_ref()
        .iter()
        .map(|p| position(rep, p, context))
        .collect();
    if route.len() < 2 {
        rep.error(
            r.route.span(),
            format!("{context}the route has {} waypoint(s)", route.len()),
            Some("at least 2 waypoints".into()),
            Some("give the start and the end of the route".into()),
        );
    }
    for (k, w) in route.windows(2).enumerate() {
        if (w[0].lat_deg - w[1].lat_deg).abs() < 1e-9 && (w[0].lon_deg - w[1].lon_deg).abs() < 1e-9
        {
            rep.error(
                r.route.get_ref()[k + 1].lat_deg.span(),
                format!(
                    "{context}waypoints {} and {} are at the same place",
                    k + 1,
                    k + 2
                ),
                Some("consecutive waypoints at different latitude/longitude".into()),
                Some("remove the duplicate waypoint (vertical legs are not supported)".into()),
            );
        }
    }
    route
}
