//! `[[zone]]`: rules-of-engagement zones, a circle or a polygon between two altitudes.
use super::{checked, optional, show, Reporter, ALT, LAT, LON};
use crate::scenario::file::{CircleEntry, ZoneEntry, ZoneKindEntry};
use crate::scenario::spec::Limit;
use iadsim_c2::{Zone, ZoneKind, ZoneShape};
use serde_spanned::Spanned;

/// One zone; `None` when it does not give exactly one shape. The zone is written out as given.
pub(super) fn zone(z: &ZoneEntry, rep: &mut Reporter<'_>) -> Option<Zone> {
    let context = format!("zone \"{}\": ", z.name);
    let min_altitude_m = optional(
        rep,
        &z.min_altitude_m,
        -500.0,
        &context,
        "min_altitude_m",
        Some(ALT),
    );
    let max_altitude_m = optional(
        rep,
        &z.max_altitude_m,
        1.0e6,
        &context,
        "max_altitude_m",
        Some(ALT),
    );
    let shape = match (&z.circle, &z.polygon) {
        (Some(c), None) => circle(c, &context, rep),
        (None, Some(poly)) => polygon(poly, &context, rep),
        _ => {
            rep.error(
                z.kind.span(),
                format!("{context}give exactly one of `circle` and `polygon`"),
                None,
                Some("e.g. circle = { lat_deg = 33.3, lon_deg = 44.4, radius_m = 20000.0 }".into()),
            );
            return None;
        }
    };
    if min_altitude_m >= max_altitude_m {
        rep.error(
            z.min_altitude_m
                .as_ref()
                .map_or(z.kind.span(), |s| s.span()),
            format!(
                "{context}`min_altitude_m` = {} is not below `max_altitude_m` = {}",
                show(min_altitude_m),
                show(max_altitude_m)
            ),
            Some("min_altitude_m < max_altitude_m".into()),
            None,
        );
    }
    Some(Zone {
        name: z.name.clone(),
        kind: match z.kind.get_ref() {
            ZoneKindEntry::WeaponsFree => ZoneKind::WeaponsFree,
            ZoneKindEntry::NoFire => ZoneKind::NoFire,
        },
        shape,
        min_altitude_m,
        max_altitude_m,
    })
}

fn circle(c: &CircleEntry, context: &str, rep: &mut Reporter<'_>) -> ZoneShape {
    let radius = Limit::open_low(0.0, 2.0e7, "m").expect("limit");
    ZoneShape::Circle {
        lat_deg: checked(rep, &c.lat_deg, context, "circle.lat_deg", &LAT),
        lon_deg: checked(rep, &c.lon_deg, context, "circle.lon_deg", &LON),
        radius_m: checked(rep, &c.radius_m, context, "circle.radius_m", &radius),
    }
}

fn polygon(poly: &Spanned<Vec<[f64; 2]>>, context: &str, rep: &mut Reporter<'_>) -> ZoneShape {
    let vertices = poly.get_ref();
    if vertices.len() < 3 {
        rep.error(
            poly.span(),
            format!("{context}the polygon has {} vertices", vertices.len()),
            Some("at least 3 [lat_deg, lon_deg] vertices".into()),
            Some("list the corners in order; the polygon closes itself".into()),
        );
    }
    for v in vertices {
        if !(LAT.admits(v[0]) && LON.admits(v[1])) {
            rep.error(
                poly.span(),
                format!(
                    "{context}vertex [{}, {}] is not a latitude/longitude",
                    show(v[0]),
                    show(v[1])
                ),
                Some("-90 ≤ lat_deg ≤ 90, -180 ≤ lon_deg ≤ 180".into()),
                Some("vertices are [lat_deg, lon_deg], latitude first".into()),
            );
        }
    }
    ZoneShape::Polygon {
        vertices_deg: vertices.clone(),
    }
}
