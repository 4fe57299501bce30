//! The launch acceptability region plot: the engagement matrix (launch ground range × target
//! altitude) coloured by time of flight, the maximum and minimum launch range curves, the
//! published maximum range, a legend and a time-of-flight colour bar.
//!
//! The data come as plain numbers ([`EnvelopePlot`]), so this crate does not depend on the
//! flyout model that computed them.

use crate::figure::{colour, drawing, Axes, Axis, Chart, Figure, Frame, Label, Root};
use crate::figure::{LEGEND_SIZE_PX, TICK_LABEL_SIZE_PX};
use crate::style::{viridis, Rgb, SECONDARY_RGB};
use crate::ticks::{nice_scale, tick_label};
use crate::{Image, PlotError};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// Image width, pixels.
pub const IMAGE_W: u32 = 1500;
/// Image height, pixels.
pub const IMAGE_H: u32 = 1000;
/// Plot frame, pixels.
const FRAME: Frame = Frame {
    left: 110,
    top: 125,
    right: 1150,
    bottom: 890,
};
/// Left edge of the legend and colour bar panel, pixels.
const PANEL_LEFT: i32 = 1195;
/// Fill of cells where the engagement misses.
const NO_INTERCEPT_RGB: Rgb = (232, 232, 232);
/// Envelope curves: red stands out on every colour of viridis.
const CURVE_RGB: Rgb = (215, 25, 28);

/// One altitude's edges of the region.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnvelopeRow {
    /// Target altitude, m.
    pub altitude_m: f64,
    /// Smallest launch ground range that intercepts, m (`None`: no intercept).
    pub min_launch_range_m: Option<f64>,
    /// Largest launch ground range that intercepts, m (`None`: no intercept).
    pub max_launch_range_m: Option<f64>,
}

/// Everything the envelope plot shows.
#[derive(Debug, Clone, Copy)]
pub struct EnvelopePlot<'a> {
    /// Large text above the plot.
    pub title: &'a str,
    /// Smaller text under the title (target, model).
    pub subtitle: &'a str,
    /// Small text under the plot, right-aligned (grid, step).
    pub footnote: &'a str,
    /// Launch ground ranges of the matrix (columns), ascending, m.
    pub ground_ranges_m: &'a [f64],
    /// Target altitudes of the matrix (rows), ascending, m.
    pub altitudes_m: &'a [f64],
    /// Row-major (altitude, then range) time of flight to intercept, s; `None` for a miss.
    pub time_of_flight_s: &'a [Option<f64>],
    /// The edges, one per altitude.
    pub rows: &'a [EnvelopeRow],
    /// The missile's published maximum range, m (dashed line, legend; sets the x margin).
    pub published_max_range_m: f64,
}

/// Renders the plot to an [`IMAGE_W`]×[`IMAGE_H`] image.
///
/// Errors if the matrix does not have one value per (altitude, range) pair, or if drawing fails.
pub fn render(plot: &EnvelopePlot) -> Result<Image, PlotError> {
    let (nr, na) = (plot.ground_ranges_m.len(), plot.altitudes_m.len());
    if nr == 0 || na == 0 || plot.time_of_flight_s.len() != nr * na {
        return Err(PlotError::Matrix {
            ranges: nr,
            altitudes: na,
            cells: plot.time_of_flight_s.len(),
        });
    }
    let mut fig = Figure::new(IMAGE_W, IMAGE_H);
    fig.titles(FRAME.left - 70, plot.title, plot.subtitle);

    // Cell boundaries in km.
    let ranges_km: Vec<f64> = plot.ground_ranges_m.iter().map(|r| r / 1e3).collect();
    let alts_km: Vec<f64> = plot.altitudes_m.iter().map(|h| h / 1e3).collect();
    let x_edges = edges(&ranges_km, 0.05 * plot.published_max_range_m / 1e3, 0.0);
    let y_edges = edges(&alts_km, 1.0, 0.0);
    let tof_max = plot
        .time_of_flight_s
        .iter()
        .filter_map(|t| *t)
        .fold(0.0, f64::max);
    let (tof_scale, tof_step) = nice_scale(tof_max);
    let axes = Axes {
        frame: FRAME,
        x: Axis::new(x_edges[0], x_edges[nr], 10.0, "launch ground range, km"),
        y: Axis::new(y_edges[0], y_edges[na], 8.0, "target altitude, km"),
    };

    fig.draw(|root, labels| {
        axes.chart(root, |chart| {
            let cells = plot.time_of_flight_s.iter().enumerate().map(|(k, tof)| {
                let (i, j) = (k / nr, k % nr);
                let fill = tof.map_or(NO_INTERCEPT_RGB, |t| viridis(t / tof_scale));
                Rectangle::new(
                    [(x_edges[j], y_edges[i]), (x_edges[j + 1], y_edges[i + 1])],
                    colour(fill).filled(),
                )
            });
            chart.draw_series(cells).map_err(drawing("the cells"))?;
            axes.draw_grid_and_ticks(root, chart, WHITE.mix(0.45), labels)?;
            draw_edges(chart, &axes, plot)
        })?;
        axes.axis_titles(labels);
        axes.draw_frame(root)
    })?;
    fig.footnote(FRAME.right, plot.footnote);
    fig.draw(|root, labels| {
        let legend_bottom = draw_legend(root, plot.published_max_range_m, labels)?;
        draw_colour_bar(root, legend_bottom + 75, (tof_scale, tof_step), labels)
    })?;
    fig.into_image()
}

/// The published maximum range (dashed) and the max and min launch range curves.
fn draw_edges(
    chart: &mut Chart<'_, '_>,
    axes: &Axes,
    plot: &EnvelopePlot,
) -> Result<(), PlotError> {
    let (y0, y1) = (axes.y.lo, axes.y.hi);
    let pub_km = plot.published_max_range_m / 1e3;
    if (axes.x.lo..=axes.x.hi).contains(&pub_km) {
        chart
            .draw_series(DashedLineSeries::new(
                [(pub_km, y0), (pub_km, y1)],
                12,
                8,
                BLACK.stroke_width(2),
            ))
            .map_err(drawing("the published range"))?;
    }
    let curve_rgb = colour(CURVE_RGB);
    for seg in curve(plot.rows, |r| r.max_launch_range_m) {
        chart
            .draw_series(LineSeries::new(seg.clone(), curve_rgb.stroke_width(4)))
            .map_err(drawing("the max range curve"))?;
        chart
            .draw_series(seg.iter().map(|&p| Circle::new(p, 6, curve_rgb.filled())))
            .map_err(drawing("the max range curve"))?;
    }
    for seg in curve(plot.rows, |r| r.min_launch_range_m) {
        chart
            .draw_series(LineSeries::new(seg.clone(), curve_rgb.stroke_width(4)))
            .map_err(drawing("the min range curve"))?;
        chart
            .draw_series(
                seg.iter()
                    .map(|&p| TriangleMarker::new(p, 8, curve_rgb.filled())),
            )
            .map_err(drawing("the min range curve"))?;
    }
    Ok(())
}

/// The legend at the top of the right-hand panel; returns the centre line of its last entry.
fn draw_legend(
    root: &Root<'_>,
    published_max_range_m: f64,
    labels: &mut Vec<Label>,
) -> Result<i32, PlotError> {
    let x = PANEL_LEFT;
    let curve_rgb = colour(CURVE_RGB);
    let secondary = colour(SECONDARY_RGB);
    let swatch = |y: i32| [(x, y - 9), (x + 40, y + 9)];
    let entries = [
        "max launch range".to_string(),
        "min launch range".to_string(),
        format!("published max {:.0} km", published_max_range_m / 1e3),
        "no intercept".to_string(),
    ];
    let rows: Vec<i32> = (0..entries.len() as i32)
        .map(|k| FRAME.top + 12 + 36 * k)
        .collect();
    let err = drawing("the legend");
    let line = |y: i32| PathElement::new(vec![(x, y), (x + 40, y)], curve_rgb.stroke_width(4));
    root.draw(&line(rows[0])).map_err(&err)?;
    root.draw(&Circle::new((x + 20, rows[0]), 6, curve_rgb.filled()))
        .map_err(&err)?;
    root.draw(&line(rows[1])).map_err(&err)?;
    root.draw(&TriangleMarker::new(
        (x + 20, rows[1]),
        8,
        curve_rgb.filled(),
    ))
    .map_err(&err)?;
    root.draw(&DashedPathElement::new(
        vec![(x, rows[2]), (x + 40, rows[2])],
        12,
        8,
        BLACK.stroke_width(2),
    ))
    .map_err(&err)?;
    root.draw(&Rectangle::new(
        swatch(rows[3]),
        colour(NO_INTERCEPT_RGB).filled(),
    ))
    .map_err(&err)?;
    root.draw(&Rectangle::new(swatch(rows[3]), secondary))
        .map_err(&err)?;
    for (text, &y) in entries.into_iter().zip(&rows) {
        labels.push(Label::new(text, (x + 52, y + 6), LEGEND_SIZE_PX));
    }

    Ok(rows[rows.len() - 1])
}

/// The time-of-flight colour bar from `top` down to the frame's bottom, with ticks from 0 to
/// `tof_scale` every `tof_step`.
fn draw_colour_bar(
    root: &Root<'_>,
    top: i32,
    (tof_scale, tof_step): (f64, f64),
    labels: &mut Vec<Label>,
) -> Result<(), PlotError> {
    let x = PANEL_LEFT;
    let secondary = colour(SECONDARY_RGB);
    labels.push(Label::new(
        "time of flight to intercept, s",
        (x, top - 18),
        LEGEND_SIZE_PX,
    ));
    let (bar_x0, bar_x1) = (x, x + 40);
    let bar_bottom = FRAME.bottom;
    let h = (bar_bottom - top).max(1);
    let err = drawing("the colour bar");
    for py in top..bar_bottom {
        let t = (bar_bottom - py) as f64 / h as f64;
        root.draw(&Rectangle::new(
            [(bar_x0, py), (bar_x1, py + 1)],
            colour(viridis(t)).filled(),
        ))
        .map_err(&err)?;
    }
    root.draw(&Rectangle::new(
        [(bar_x0, top), (bar_x1, bar_bottom)],
        secondary,
    ))
    .map_err(&err)?;
    let n = (tof_scale / tof_step).round() as usize;
    for k in 0..=n {
        let v = tof_step * k as f64;
        let py = bar_bottom - (h as f64 * v / tof_scale).round() as i32;
        root.draw(&PathElement::new(
            vec![(bar_x1, py), (bar_x1 + 7, py)],
            secondary,
        ))
        .map_err(&err)?;
        labels.push(Label::new(
            tick_label(v, tof_step),
            (bar_x1 + 12, py + 6),
            TICK_LABEL_SIZE_PX,
        ));
    }
    Ok(())
}

/// Line segments of one envelope edge (km), broken where a row has no intercept.
fn curve(rows: &[EnvelopeRow], pick: fn(&EnvelopeRow) -> Option<f64>) -> Vec<Vec<(f64, f64)>> {
    let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for row in rows {
        match pick(row) {
            Some(r) => segments
                .last_mut()
                .expect("one segment")
                .push((r / 1e3, row.altitude_m / 1e3)),
            None => segments.push(Vec::new()),
        }
    }
    segments.retain(|s| !s.is_empty());
    segments
}

/// Cell boundaries around grid values: midpoints inside, half an interval outside (`half_single`
/// on each side of a single value); for values all at or above `floor`, the first boundary is
/// raised to `floor` if below it (no altitude band below the ground for a 10 m level).
fn edges(values: &[f64], half_single: f64, floor: f64) -> Vec<f64> {
    let n = values.len();
    let mut e = Vec::with_capacity(n + 1);
    if n == 1 {
        e.push(values[0] - half_single);
        e.push(values[0] + half_single);
    } else {
        e.push(values[0] - 0.5 * (values[1] - values[0]));
        e.extend(values.windows(2).map(|w| 0.5 * (w[0] + w[1])));
        e.push(values[n - 1] + 0.5 * (values[n - 1] - values[n - 2]));
    }
    if values[0] >= floor {
        e[0] = e[0].max(floor);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_edges_are_midpoints_and_respect_the_floor() {
        assert_eq!(
            edges(&[0.0, 10.0, 20.0], 1.0, 0.0),
            vec![0.0, 5.0, 15.0, 25.0]
        );
        assert_eq!(edges(&[5.0], 1.0, 0.0), vec![4.0, 6.0]);
        assert_eq!(edges(&[0.5, 2.5], 1.0, 0.0), vec![0.0, 1.5, 3.5]);
        assert_eq!(edges(&[-0.5, 0.5], 1.0, 0.0), vec![-1.0, 0.0, 1.0]);
    }

    #[test]
    fn curves_break_where_a_row_has_no_intercept() {
        let row = |h: f64, max: Option<f64>| EnvelopeRow {
            altitude_m: h,
            min_launch_range_m: None,
            max_launch_range_m: max,
        };
        let rows = [
            row(1e3, Some(5e3)),
            row(2e3, None),
            row(3e3, Some(7e3)),
            row(4e3, Some(8e3)),
        ];
        let segs = curve(&rows, |r| r.max_launch_range_m);
        assert_eq!(segs, vec![vec![(5.0, 1.0)], vec![(7.0, 3.0), (8.0, 4.0)]]);
        assert!(curve(&rows, |r| r.min_launch_range_m).is_empty());
    }

    #[test]
    fn render_rejects_a_matrix_of_the_wrong_size_and_draws_a_good_one() {
        let rows = [EnvelopeRow {
            altitude_m: 5e3,
            min_launch_range_m: Some(1e3),
            max_launch_range_m: Some(2e4),
        }];
        let mut plot = EnvelopePlot {
            title: "t",
            subtitle: "s",
            footnote: "f",
            ground_ranges_m: &[0.0, 1e4, 2e4],
            altitudes_m: &[5e3],
            time_of_flight_s: &[Some(1.0), Some(10.0)],
            rows: &rows,
            published_max_range_m: 2e4,
        };
        assert!(matches!(
            render(&plot),
            Err(PlotError::Matrix { cells: 2, .. })
        ));
        plot.time_of_flight_s = &[Some(1.0), Some(10.0), None];
        let img = render(&plot).expect("drawn");
        assert_eq!((img.width, img.height), (IMAGE_W, IMAGE_H));
        // The miss cell (right third of the frame, mid-height) is the no-intercept grey.
        let (x, y) = (1100usize, 500usize);
        let i = 3 * (y * IMAGE_W as usize + x);
        assert_eq!(
            (img.rgb[i], img.rgb[i + 1], img.rgb[i + 2]),
            NO_INTERCEPT_RGB
        );
    }
}
