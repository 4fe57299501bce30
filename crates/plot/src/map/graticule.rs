//! The graticule: meridians and parallels at a step that suits the view, and their labels
//! outside the frame.

use super::canvas::{Canvas, TextRun};
use super::geometry::Projection;
use super::*;
use crate::ticks::Ticks;

/// The meridians and parallels of a view.
struct Graticule {
    lon: Ticks,
    lat: Ticks,
}

impl Graticule {
    /// Lines at the finest of [`GRATICULE_STEPS_DEG`] giving at most [`GRATICULE_MAX_LINES`]
    /// across the longer side of the view.
    fn of(proj: &Projection) -> Graticule {
        let (lon0, lat0, lon1, lat1) = proj.view_bbox();
        let span = (lon1 - lon0).max(lat1 - lat0);
        let step = GRATICULE_STEPS_DEG
            .iter()
            .copied()
            .find(|s| span / s <= GRATICULE_MAX_LINES)
            .unwrap_or(GRATICULE_STEPS_DEG[GRATICULE_STEPS_DEG.len() - 1]);
        Graticule {
            lon: Ticks::multiples(lon0, lon1, step),
            lat: Ticks::multiples(lat0, lat1, step),
        }
    }
}

/// "44°E", "33.5°N", "0°": the tick label of `|v|` and the hemisphere.
fn degree_label(ticks: &Ticks, v: f64, pos: char, neg: char) -> String {
    let hemi = if v > 1e-9 {
        pos.to_string()
    } else if v < -1e-9 {
        neg.to_string()
    } else {
        String::new()
    };
    format!("{}°{hemi}", ticks.label(v.abs()))
}

/// Meridians and parallels across the frame, translucent.
pub(super) fn draw_lines(cv: &mut Canvas, proj: &Projection) {
    let g = Graticule::of(proj);
    let f = proj.frame;
    for &lon in &g.lon.values {
        let (x, _) = proj.xy(lon, 0.0);
        cv.mask_stroke(&[(x, f.y0), (x, f.y1)], GRATICULE_WIDTH_PX, f);
    }
    for &lat in &g.lat.values {
        let (_, y) = proj.xy(0.0, lat);
        cv.mask_stroke(&[(f.x0, y), (f.x1, y)], GRATICULE_WIDTH_PX, f);
    }
    cv.paint(GRATICULE_RGB, GRATICULE_ALPHA);
}

/// Tick marks and degree labels under and left of the frame.
pub(super) fn draw_labels(cv: &mut Canvas, proj: &Projection) {
    let g = Graticule::of(proj);
    let f = proj.frame;
    let size = AXIS_LABEL_SIZE_PX;
    let full = cv.full();
    for &lon in &g.lon.values {
        let (x, _) = proj.xy(lon, 0.0);
        cv.stroke(&[(x, f.y1), (x, f.y1 + 5.0)], 1.0, full, FRAME_RGB, 1.0);
        let s = degree_label(&g.lon, lon, 'E', 'W');
        let w = cv.text_width(&s, size);
        let t = TextRun {
            text: &s,
            size_px: size,
            x: x - 0.5 * w,
            baseline: f.y1 + 8.0 + size * 0.8,
        };
        cv.text(&t, SECONDARY_RGB, false);
    }
    for &lat in &g.lat.values {
        let (_, y) = proj.xy(0.0, lat);
        cv.stroke(&[(f.x0 - 5.0, y), (f.x0, y)], 1.0, full, FRAME_RGB, 1.0);
        let s = degree_label(&g.lat, lat, 'N', 'S');
        let w = cv.text_width(&s, size);
        let t = TextRun {
            text: &s,
            size_px: size,
            x: f.x0 - 8.0 - w,
            baseline: y + 0.33 * size,
        };
        cv.text(&t, SECONDARY_RGB, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degree_labels_name_the_hemisphere_with_the_step_decimals() {
        let whole = Ticks::multiples(40.0, 50.0, 2.0);
        assert_eq!(degree_label(&whole, 44.0, 'E', 'W'), "44°E");
        assert_eq!(degree_label(&whole, -44.0, 'E', 'W'), "44°W");
        assert_eq!(degree_label(&whole, 1e-12, 'N', 'S'), "0°");
        let half = Ticks::multiples(33.0, 35.0, 0.5);
        assert_eq!(degree_label(&half, 33.5, 'N', 'S'), "33.5°N");
        let quarter = Ticks::multiples(33.0, 35.0, 0.25);
        assert_eq!(degree_label(&quarter, 33.25, 'N', 'S'), "33.25°N");
        // A 0.1° step needs one decimal (the map's own formatter wrote "33.10°N").
        let tenth = Ticks::multiples(33.0, 34.0, 0.1);
        assert_eq!(degree_label(&tenth, tenth.values[1], 'N', 'S'), "33.1°N");
    }
}
