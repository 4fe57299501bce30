//! Coverage layers (fills and outlines) and the markers of sites and assets with their labels,
//! placed so that they do not overlap.

use super::canvas::{Canvas, TextRun};
use super::geometry::{layer_area, Projection, Rect};
use super::*;

pub(super) fn draw_layers(cv: &mut Canvas, proj: &Projection, layers: &[MapLayer]) {
    let mut order: Vec<(usize, f64)> = layers
        .iter()
        .enumerate()
        .map(|(i, l)| (i, layer_area(l, proj.cos_lat0)))
        .collect();
    // Largest first so small layers stay visible on top; ties keep the caller's order.
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let f = proj.frame;
    let rings_px = |l: &MapLayer| -> Vec<Vec<Vec<(f64, f64)>>> {
        l.polygons
            .iter()
            .map(|p| p.iter().map(|r| proj.ring_px(r)).collect())
            .collect()
    };
    for &(i, _) in &order {
        let layer = &layers[i];
        // Each polygon even-odd (holes stay empty); the layer's polygons merge by maximum so
        // overlaps within one layer are not darker.
        for poly in rings_px(layer) {
            cv.mask_fill(&poly, f);
        }
        cv.paint(layer.rgb, layer.fill_opacity);
    }
    for &(i, _) in &order {
        let layer = &layers[i];
        for poly in rings_px(layer) {
            for mut ring in poly {
                if let (Some(&a), Some(&b)) = (ring.first(), ring.last()) {
                    if a != b {
                        ring.push(a);
                    }
                }
                cv.mask_stroke(&ring, LAYER_OUTLINE_WIDTH_PX, f);
            }
        }
        cv.paint(layer.rgb, 1.0);
    }
}

/// Marker outline (closed ring, pixels) centred on `(x, y)`.
pub(super) fn marker_ring(kind: PointKind, x: f64, y: f64, size: f64) -> Vec<(f64, f64)> {
    match kind {
        PointKind::Site => {
            // Equilateral, pointing up, centroid on the point.
            let h = size;
            let half = h / 3f64.sqrt();
            vec![
                (x, y - 2.0 * h / 3.0),
                (x + half, y + h / 3.0),
                (x - half, y + h / 3.0),
                (x, y - 2.0 * h / 3.0),
            ]
        }
        PointKind::Asset => {
            let s = 0.85 * size / 2.0;
            Rect {
                x0: x - s,
                y0: y - s,
                x1: x + s,
                y1: y + s,
            }
            .ring()
        }
    }
}

pub(super) fn draw_marker(cv: &mut Canvas, kind: PointKind, x: f64, y: f64, clip: Rect) {
    let ring = marker_ring(kind, x, y, MARKER_SIZE_PX);
    cv.stroke(&ring, MARKER_HALO_WIDTH_PX, clip, HALO_RGB, 1.0);
    let fill = match kind {
        PointKind::Site => SITE_RGB,
        PointKind::Asset => ASSET_RGB,
    };
    cv.fill(std::slice::from_ref(&ring), clip, fill, 1.0);
    cv.stroke(&ring, 1.6, clip, MARKER_OUTLINE_RGB, 1.0);
}

/// A marker and where its label goes.
pub(super) struct PlacedPoint<'p> {
    pub(super) point: &'p MapPoint,
    pub(super) x: f64,
    pub(super) y: f64,
    /// The marker's box, pixels.
    pub(super) marker: Rect,
    /// The label's box, pixels.
    pub(super) label: Rect,
    /// Label position: left end and baseline.
    pub(super) text_at: (f64, f64),
}

/// Places the markers inside the frame and their labels: for each, the first of right, left,
/// above, below that stays in the frame and hits no marker or earlier label; otherwise right.
pub(super) fn place_points<'p>(
    cv: &Canvas,
    proj: &Projection,
    points: &'p [MapPoint],
) -> Vec<PlacedPoint<'p>> {
    let f = proj.frame;
    let m = 0.6 * MARKER_SIZE_PX;
    let mut placed: Vec<PlacedPoint> = points
        .iter()
        .filter_map(|p| {
            let (x, y) = proj.xy(p.lon_deg, p.lat_deg);
            let inside = x >= f.x0 && x <= f.x1 && y >= f.y0 && y <= f.y1;
            let marker = Rect {
                x0: x - m,
                y0: y - m,
                x1: x + m,
                y1: y + m,
            };
            inside.then_some(PlacedPoint {
                point: p,
                x,
                y,
                marker,
                label: marker,
                text_at: (x, y),
            })
        })
        .collect();
    let mut taken: Vec<Rect> = placed.iter().map(|p| p.marker).collect();
    let size = POINT_LABEL_SIZE_PX;
    let asc = 0.75 * size;
    let desc = 0.25 * size;
    for p in &mut placed {
        let (x, y) = (p.x, p.y);
        let w = cv.text_width(&p.point.label, size);
        let gap = m + 4.0;
        let candidates = [
            (x + gap, y + 0.35 * size),
            (x - gap - w, y + 0.35 * size),
            (x - 0.5 * w, y - gap - desc),
            (x - 0.5 * w, y + gap + asc),
        ];
        let boxed = |(lx, base): (f64, f64)| Rect {
            x0: lx - 2.0,
            y0: base - asc - 2.0,
            x1: lx + w + 2.0,
            y1: base + desc + 2.0,
        };
        let own = p.marker;
        let at = candidates
            .iter()
            .copied()
            .find(|&c| {
                let r = boxed(c);
                f.contains(&r) && !taken.iter().any(|t| *t != own && t.intersects(&r))
            })
            .unwrap_or(candidates[0]);
        p.text_at = at;
        p.label = boxed(at);
        taken.push(p.label);
    }
    placed
}

pub(super) fn draw_points(cv: &mut Canvas, placed: &[PlacedPoint]) {
    let clip = map_frame();
    for p in placed {
        draw_marker(cv, p.point.kind, p.x, p.y, clip);
    }
    for p in placed {
        let t = TextRun {
            text: &p.point.label,
            size_px: POINT_LABEL_SIZE_PX,
            x: p.text_at.0,
            baseline: p.text_at.1,
        };
        cv.text(&t, POINT_LABEL_RGB, true);
    }
}
