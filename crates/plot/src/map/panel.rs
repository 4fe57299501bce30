//! The text and boxes around the map: titles and attribution, the legend and the scale bar.

use super::canvas::{fit_text, wrap_text, Canvas, TextRun};
use super::geometry::{Projection, Rect};
use super::marks::draw_marker;
use super::*;
use crate::style::over;
use crate::ticks::{nice_floor, AXIS_MANTISSAS};

/// Title and subtitle above the map (cut to fit), attribution and projection note below it.
pub(super) fn draw_titles(cv: &mut Canvas, spec: &MapSpec, proj: &Projection) {
    let max_w = PANEL_RIGHT - MAP_LEFT;
    let title = fit_text(cv, spec.title, TITLE_SIZE_PX, max_w);
    let subtitle = fit_text(cv, spec.subtitle, SUBTITLE_SIZE_PX, max_w);
    let note = format!(
        "{ATTRIBUTION}.  Equirectangular projection, x scaled by cos {:.1}°.",
        proj.lat_c
    );
    let lines = [
        (&title, TITLE_SIZE_PX, 50.0, TITLE_RGB),
        (&subtitle, SUBTITLE_SIZE_PX, 84.0, SECONDARY_RGB),
        (
            &note,
            ATTRIBUTION_SIZE_PX,
            IMAGE_H as f64 - 22.0,
            SECONDARY_RGB,
        ),
    ];
    for (text, size_px, baseline, rgb) in lines {
        let t = TextRun {
            text,
            size_px,
            x: MAP_LEFT,
            baseline,
        };
        cv.text(&t, rgb, false);
    }
}

/// A box with a border in the side panel.
fn panel_box(cv: &mut Canvas, r: Rect) {
    cv.fill_rect(r, PANEL_BG_RGB);
    let snapped = Rect {
        x0: r.x0.round() + 0.5,
        y0: r.y0.round() + 0.5,
        x1: r.x1.round() - 0.5,
        y1: r.y1.round() - 0.5,
    };
    cv.stroke(&snapped.ring(), 1.0, cv.full(), PANEL_BORDER_RGB, 1.0);
}

/// Left end of legend text, right of the swatches.
const LEGEND_TEXT_X: f64 = PANEL_LEFT + PANEL_PAD + LEGEND_SWATCH_PX.0 + 10.0;
/// Legend line height, pixels.
const LEGEND_LINE_H: f64 = LEGEND_TEXT_SIZE_PX * 1.3;
/// Space between legend entries, pixels.
const LEGEND_ENTRY_GAP: f64 = 8.0;
/// Height of the legend heading, pixels.
const LEGEND_HEADING_H: f64 = LEGEND_HEADING_SIZE_PX * 1.6;

/// One legend entry: a layer's swatch or a marker, and its wrapped text.
struct LegendEntry<'a> {
    layer: Option<&'a MapLayer>,
    kind: Option<PointKind>,
    lines: Vec<String>,
}

impl LegendEntry<'_> {
    fn height(&self) -> f64 {
        (self.lines.len().max(1) as f64 * LEGEND_LINE_H).max(LEGEND_SWATCH_PX.1 + 4.0)
            + LEGEND_ENTRY_GAP
    }
}

/// The legend measured before it is drawn (its box is drawn before its contents).
struct Legend<'a> {
    entries: Vec<LegendEntry<'a>>,
    /// Entries that fit above the scale bar; the others are counted in a last line.
    shown: usize,
    /// Whether a line separates the layers from the marker kinds.
    divider: bool,
    height: f64,
}

impl<'a> Legend<'a> {
    fn measure(cv: &Canvas, spec: &MapSpec<'a>) -> Legend<'a> {
        let text_w = PANEL_RIGHT - PANEL_PAD - LEGEND_TEXT_X;
        let max_bottom = MAP_BOTTOM - 150.0;
        let mut entries: Vec<LegendEntry> = spec
            .layers
            .iter()
            .map(|layer| LegendEntry {
                layer: Some(layer),
                kind: None,
                lines: wrap_text(cv, &layer.label, LEGEND_TEXT_SIZE_PX, text_w),
            })
            .collect();
        for (kind, name) in [
            (PointKind::Site, "Site"),
            (PointKind::Asset, "Defended asset"),
        ] {
            if spec.points.iter().any(|p| p.kind == kind) {
                entries.push(LegendEntry {
                    layer: None,
                    kind: Some(kind),
                    lines: vec![name.to_string()],
                });
            }
        }
        let mut height = PANEL_PAD + LEGEND_HEADING_H;
        let mut shown = 0;
        for e in &entries {
            if MAP_TOP + height + e.height() + LEGEND_LINE_H + PANEL_PAD > max_bottom {
                break;
            }
            height += e.height();
            shown += 1;
        }
        if entries.len() > shown {
            height += LEGEND_LINE_H;
        }
        let divider = shown > spec.layers.len().min(shown) && spec.layers.len().min(shown) > 0;
        if divider {
            height += LEGEND_ENTRY_GAP;
        }
        height += PANEL_PAD - LEGEND_ENTRY_GAP;
        Legend {
            entries,
            shown,
            divider,
            height,
        }
    }
}

/// Draws the legend in the side panel; returns its bottom edge.
pub(super) fn draw_legend(cv: &mut Canvas, spec: &MapSpec) -> f64 {
    let legend = Legend::measure(cv, spec);
    let r = Rect {
        x0: PANEL_LEFT,
        y0: MAP_TOP,
        x1: PANEL_RIGHT,
        y1: MAP_TOP + legend.height,
    };
    panel_box(cv, r);
    let t = TextRun {
        text: "Legend",
        size_px: LEGEND_HEADING_SIZE_PX,
        x: PANEL_LEFT + PANEL_PAD,
        baseline: MAP_TOP + PANEL_PAD + LEGEND_HEADING_SIZE_PX * 0.8,
    };
    cv.text(&t, TITLE_RGB, false);
    let mut y = MAP_TOP + PANEL_PAD + LEGEND_HEADING_H;
    let full = cv.full();
    for (n, entry) in legend.entries.iter().take(legend.shown).enumerate() {
        if legend.divider && n == spec.layers.len() {
            let yy = (y - 0.5 * LEGEND_ENTRY_GAP).round() + 0.5;
            cv.stroke(
                &[(PANEL_LEFT + PANEL_PAD, yy), (PANEL_RIGHT - PANEL_PAD, yy)],
                1.0,
                full,
                PANEL_BORDER_RGB,
                1.0,
            );
            y += LEGEND_ENTRY_GAP;
        }
        draw_legend_entry(cv, entry, y);
        y += entry.height();
    }
    let hidden = legend.entries.len() - legend.shown;
    if hidden > 0 {
        let s = format!("… and {hidden} more");
        let t = TextRun {
            text: &s,
            size_px: LEGEND_TEXT_SIZE_PX,
            x: LEGEND_TEXT_X,
            baseline: y + LEGEND_TEXT_SIZE_PX * 0.95,
        };
        cv.text(&t, SECONDARY_RGB, false);
    }
    r.y1
}

/// One entry with its top at `y`: swatch (a layer's fill and outline as on the map) or marker,
/// then its lines of text.
fn draw_legend_entry(cv: &mut Canvas, entry: &LegendEntry, y: f64) {
    let full = cv.full();
    let sw = Rect {
        x0: PANEL_LEFT + PANEL_PAD,
        y0: y + 1.0,
        x1: PANEL_LEFT + PANEL_PAD + LEGEND_SWATCH_PX.0,
        y1: y + 1.0 + LEGEND_SWATCH_PX.1,
    };
    if let Some(layer) = entry.layer {
        cv.fill_rect(sw, over(layer.rgb, layer.fill_opacity, LAND_RGB));
        let inner = Rect {
            x0: sw.x0 + 1.0,
            y0: sw.y0 + 1.0,
            x1: sw.x1 - 1.0,
            y1: sw.y1 - 1.0,
        };
        cv.stroke(&inner.ring(), LAYER_OUTLINE_WIDTH_PX, full, layer.rgb, 1.0);
    }
    if let Some(kind) = entry.kind {
        let (cx, cy) = (0.5 * (sw.x0 + sw.x1), 0.5 * (sw.y0 + sw.y1));
        draw_marker(cv, kind, cx, cy + 1.0, full);
    }
    for (k, line) in entry.lines.iter().enumerate() {
        let t = TextRun {
            text: line,
            size_px: LEGEND_TEXT_SIZE_PX,
            x: LEGEND_TEXT_X,
            baseline: y + LEGEND_TEXT_SIZE_PX * 0.95 + k as f64 * LEGEND_LINE_H,
        };
        cv.text(&t, TITLE_RGB, false);
    }
}

/// "500", "2.5", "0.25".
fn format_km(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub(super) fn draw_scale_bar(cv: &mut Canvas, proj: &Projection, top: f64) {
    let m_per_px = proj.metres_per_px();
    let map_w_km = (proj.frame.x1 - proj.frame.x0) * m_per_px / 1000.0;
    // Room for the bar plus half of its end label.
    let inner_w = PANEL_RIGHT - PANEL_LEFT - 2.0 * PANEL_PAD - 24.0;
    let target_km = (map_w_km / 5.0).min(inner_w * m_per_px / 1000.0);
    let len_km = nice_floor(target_km, &AXIS_MANTISSAS);
    let len_px = len_km * 1000.0 / m_per_px;
    let height = PANEL_PAD + 24.0 + 12.0 + SCALE_BAR_HEIGHT_PX + 26.0 + PANEL_PAD;
    let r = Rect {
        x0: PANEL_LEFT,
        y0: top,
        x1: PANEL_RIGHT,
        y1: top + height,
    };
    panel_box(cv, r);
    let hemi = if proj.lat_c >= 0.0 { 'N' } else { 'S' };
    let heading = format!("Scale (km) along {:.1}°{hemi}", proj.lat_c.abs());
    let t = TextRun {
        text: &heading,
        size_px: LEGEND_TEXT_SIZE_PX,
        x: PANEL_LEFT + PANEL_PAD,
        baseline: top + PANEL_PAD + LEGEND_TEXT_SIZE_PX * 0.9,
    };
    cv.text(&t, TITLE_RGB, false);
    let x0 = (PANEL_LEFT + PANEL_PAD + 4.0).round();
    let y0 = (top + PANEL_PAD + 36.0).round();
    let full = cv.full();
    let segments = 4;
    for k in 0..segments {
        let sx0 = x0 + len_px * k as f64 / segments as f64;
        let sx1 = x0 + len_px * (k + 1) as f64 / segments as f64;
        let seg = Rect {
            x0: sx0,
            y0,
            x1: sx1,
            y1: y0 + SCALE_BAR_HEIGHT_PX,
        };
        let colour = if k % 2 == 0 { FRAME_RGB } else { PAGE_RGB };
        cv.fill(std::slice::from_ref(&seg.ring()), full, colour, 1.0);
    }
    let outline = Rect {
        x0: x0 + 0.5,
        y0: y0 + 0.5,
        x1: x0 + len_px - 0.5,
        y1: y0 + SCALE_BAR_HEIGHT_PX - 0.5,
    };
    cv.stroke(&outline.ring(), 1.0, full, FRAME_RGB, 1.0);
    let size = AXIS_LABEL_SIZE_PX;
    let base = y0 + SCALE_BAR_HEIGHT_PX + 6.0 + size * 0.8;
    for frac in [0.0, 0.5, 1.0] {
        let label = format_km(frac * len_km);
        let w = cv.text_width(&label, size);
        let t = TextRun {
            text: &label,
            size_px: size,
            x: x0 + frac * len_px - 0.5 * w,
            baseline: base,
        };
        cv.text(&t, SECONDARY_RGB, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_lengths_are_written_without_trailing_zeros() {
        assert_eq!(format_km(2.5), "2.5");
        assert_eq!(format_km(500.0), "500");
        assert_eq!(format_km(0.25), "0.25");
        assert_eq!(format_km(0.0), "0");
    }
}
