//! The embedded Natural Earth basemap: parsed once, drawn as sea, land, country names,
//! coastlines and borders.

use super::canvas::{Canvas, TextRun};
use super::geometry::{Projection, Rect};
use super::*;
use crate::BasemapError;
use std::sync::OnceLock;

/// The parsed basemap: polygons and lines in (lon, lat) degrees.
pub(super) struct Basemap {
    pub(super) land: Vec<Vec<Vec<(f64, f64)>>>,
    pub(super) coast: Vec<Vec<(f64, f64)>>,
    pub(super) borders: Vec<Vec<(f64, f64)>>,
    /// Name, label point, clearance (degrees) of the label point from the country's edge.
    pub(super) labels: Vec<(String, (f64, f64), f64)>,
}

/// The embedded basemap, parsed on first use.
pub(super) fn basemap() -> Result<&'static Basemap, PlotError> {
    static BASEMAP: OnceLock<Result<Basemap, BasemapError>> = OnceLock::new();
    BASEMAP
        .get_or_init(|| parse_basemap(BASEMAP_GEOJSON))
        .as_ref()
        .map_err(|e| PlotError::Basemap(e.clone()))
}

fn parse_basemap(text: &str) -> Result<Basemap, BasemapError> {
    use geojson::{GeoJson, GeometryValue as Value, Position};
    let gj: GeoJson = text
        .parse()
        .map_err(|e: geojson::Error| BasemapError::Parse {
            message: e.to_string(),
        })?;
    let GeoJson::FeatureCollection(fc) = gj else {
        return Err(BasemapError::NotFeatureCollection);
    };
    let pos = |p: &Position| (p[0], p[1]);
    let line = |l: &Vec<Position>| l.iter().map(pos).collect::<Vec<_>>();
    let mut map = Basemap {
        land: Vec::new(),
        coast: Vec::new(),
        borders: Vec::new(),
        labels: Vec::new(),
    };
    for f in &fc.features {
        let kind = f
            .property("kind")
            .and_then(|k| k.as_str())
            .unwrap_or_default();
        let Some(geom) = &f.geometry else { continue };
        match (kind, &geom.value) {
            ("land", Value::MultiPolygon { coordinates: polys }) => {
                map.land
                    .extend(polys.iter().map(|p| p.iter().map(line).collect()));
            }
            ("coastline", Value::MultiLineString { coordinates: ls }) => {
                map.coast.extend(ls.iter().map(line))
            }
            ("border", Value::MultiLineString { coordinates: ls }) => {
                map.borders.extend(ls.iter().map(line))
            }
            ("country_label", Value::Point { coordinates: p }) => {
                let name = f
                    .property("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or_default();
                let clearance = f
                    .property("clearance_deg")
                    .and_then(|c| c.as_f64())
                    .unwrap_or(0.0);
                map.labels.push((name.to_string(), pos(p), clearance));
            }
            _ => {}
        }
    }
    if map.land.is_empty() || map.coast.is_empty() {
        return Err(BasemapError::Empty);
    }
    Ok(map)
}

pub(super) fn draw_basemap(cv: &mut Canvas, proj: &Projection, base: &Basemap, taken: &[Rect]) {
    let f = proj.frame;
    // Unknown outside the basemap's extent, sea inside it; land on top.
    cv.fill_rect(f, NO_DATA_RGB);
    let (lon0, lat0, lon1, lat1) = BASEMAP_BBOX_DEG;
    let (bx0, by1) = proj.xy(lon0, lat0);
    let (bx1, by0) = proj.xy(lon1, lat1);
    let extent = Rect {
        x0: bx0.max(f.x0),
        y0: by0.max(f.y0),
        x1: bx1.min(f.x1),
        y1: by1.min(f.y1),
    };
    if extent.x0 < extent.x1 && extent.y0 < extent.y1 {
        cv.fill_rect(extent, SEA_RGB);
    }
    let land: Vec<Vec<(f64, f64)>> = base
        .land
        .iter()
        .flat_map(|p| p.iter().map(|r| proj.ring_px(r)))
        .collect();
    // Land polygons do not overlap, so one even-odd pass over all their rings is exact.
    cv.fill(&land, f, LAND_RGB, 1.0);

    // Country names go under everything else, only where the country has room for them and
    // clear of point labels; the label point first, then nudged by half its clearance.
    let mut placed: Vec<Rect> = Vec::new();
    for (name, (lon, lat), clearance_deg) in &base.labels {
        let name = &name.to_uppercase();
        let clearance_px = clearance_deg * proj.px_per_deg;
        if clearance_px < COUNTRY_LABEL_MIN_CLEARANCE_PX {
            continue;
        }
        let w = cv.text_width(name, COUNTRY_LABEL_SIZE_PX);
        if w > 3.2 * clearance_px {
            continue;
        }
        let (x, y) = proj.xy(*lon, *lat);
        let d = 0.5 * clearance_px;
        let spot = [(0.0, 0.0), (0.0, -d), (0.0, d), (-d, 0.0), (d, 0.0)]
            .iter()
            .map(|&(dx, dy)| Rect {
                x0: x + dx - 0.5 * w,
                y0: y + dy - COUNTRY_LABEL_SIZE_PX,
                x1: x + dx + 0.5 * w,
                y1: y + dy + 4.0,
            })
            .find(|r| f.contains(r) && !placed.iter().chain(taken).any(|p| p.intersects(r)));
        let Some(r) = spot else { continue };
        placed.push(r);
        let t = TextRun {
            text: name,
            size_px: COUNTRY_LABEL_SIZE_PX,
            x: r.x0,
            baseline: r.y1 - 4.0,
        };
        cv.text(&t, COUNTRY_LABEL_RGB, false);
    }

    for line in &base.coast {
        cv.mask_stroke(&proj.ring_px(line), COAST_WIDTH_PX, f);
    }
    cv.paint(COAST_RGB, 1.0);
    for line in &base.borders {
        cv.mask_stroke(&proj.ring_px(line), BORDER_WIDTH_PX, f);
    }
    cv.paint(BORDER_RGB, 1.0);
}
