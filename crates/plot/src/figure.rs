//! A figure with axes: the frame the envelope plot is drawn in and the study plots (histograms,
//! curves against time) will be.
//!
//! Shapes are drawn with plotters into the figure's RGB buffer ([`Figure::draw`], with a
//! [`Chart`] that maps data onto the axes' frame from [`Axes::chart`]); text is collected as
//! [`Label`]s and drawn last, glyph by glyph (the crate's `font` module), so letters are evenly
//! spaced and text can run vertically.
//!
//! ```
//! use iadsim_plot::figure::{Axes, Axis, Figure, Frame};
//! use plotters::prelude::*;
//!
//! let mut fig = Figure::new(800, 600);
//! fig.titles(40, "Leakers per run", "1000 runs");
//! let axes = Axes {
//!     frame: Frame { left: 110, top: 125, right: 760, bottom: 500 },
//!     x: Axis::new(0.0, 10.0, 10.0, "leakers"),
//!     y: Axis::new(0.0, 300.0, 6.0, "runs"),
//! };
//! fig.draw(|root, labels| {
//!     axes.chart(root, |chart| {
//!         chart
//!             .draw_series([Rectangle::new([(2.0, 0.0), (3.0, 250.0)], BLUE.filled())])
//!             .map_err(iadsim_plot::figure::drawing("bars"))?;
//!         axes.draw_grid_and_ticks(root, chart, WHITE.mix(0.45), labels)
//!     })?;
//!     axes.axis_titles(labels);
//!     axes.draw_frame(root)
//! })?;
//! let png = fig.into_image()?.to_png()?;
//! assert_eq!(&png[..4], b"\x89PNG");
//! # Ok::<(), iadsim_plot::PlotError>(())
//! ```

use crate::error::BackendError;
use crate::style::{Rgb, SECONDARY_RGB, SUBTITLE_SIZE_PX, TITLE_SIZE_PX};
use crate::ticks::Ticks;
use crate::{font, Image, PlotError};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The whole image as a plotters drawing area.
pub type Root<'a> = DrawingArea<BitMapBackend<'a>, Shift>;
/// A plotters chart with linear `f64` axes over a figure.
pub type Chart<'a, 'b> =
    ChartContext<'a, BitMapBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Text colour of titles, labels and legends.
pub const TEXT_RGB: Rgb = (25, 25, 25);
/// Axis title size, pixels.
pub const AXIS_TITLE_SIZE_PX: f64 = 22.0;
/// Tick label size, pixels.
pub const TICK_LABEL_SIZE_PX: f64 = 18.0;
/// Legend text size, pixels.
pub const LEGEND_SIZE_PX: f64 = 18.0;
/// Footnote size, pixels.
pub const FOOTNOTE_SIZE_PX: f64 = 15.0;
/// Tick mark length outside the frame, pixels.
const TICK_LENGTH_PX: i32 = 7;

/// A plotters colour from an [`Rgb`].
pub fn colour(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Wraps plotters' error while drawing `what` (for `map_err`).
pub fn drawing(what: &'static str) -> impl Fn(DrawingAreaErrorKind<BackendError>) -> PlotError {
    move |source| PlotError::Draw { what, source }
}

/// How a label sits on its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The text starts at the anchor.
    Left,
    /// The text is centred on the anchor.
    Centre,
    /// The text ends at the anchor.
    Right,
}

/// A line of text drawn after the shapes; `(x, y)` is the anchor on the baseline. Vertical
/// text reads upwards, with its baseline on the line `x` and its anchor at height `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The text.
    pub text: String,
    /// Anchor, pixels from the left.
    pub x: i32,
    /// Anchor (baseline), pixels from the top.
    pub y: i32,
    /// Font size, pixels.
    pub size_px: f64,
    /// Colour.
    pub rgb: Rgb,
    /// Where the anchor is on the text.
    pub anchor: Anchor,
    /// Whether the text runs upwards.
    pub vertical: bool,
}

impl Label {
    /// Left-anchored horizontal text in [`TEXT_RGB`].
    pub fn new(text: impl Into<String>, (x, y): (i32, i32), size_px: f64) -> Label {
        Label {
            text: text.into(),
            x,
            y,
            size_px,
            rgb: TEXT_RGB,
            anchor: Anchor::Left,
            vertical: false,
        }
    }
    /// The same label anchored otherwise.
    pub fn anchor(mut self, anchor: Anchor) -> Label {
        self.anchor = anchor;
        self
    }
    /// The same label in another colour.
    pub fn rgb(mut self, rgb: Rgb) -> Label {
        self.rgb = rgb;
        self
    }
    /// The same label reading upwards.
    pub fn vertical(mut self) -> Label {
        self.vertical = true;
        self
    }
}

/// An image being drawn: shapes go straight into its buffer, labels are kept for the end.
pub struct Figure {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
    labels: Vec<Label>,
}

impl Figure {
    /// A white figure of `width × height` pixels.
    pub fn new(width: u32, height: u32) -> Figure {
        Figure {
            width,
            height,
            rgb: vec![255u8; width as usize * height as usize * 3],
            labels: Vec::new(),
        }
    }

    /// Adds a label (drawn by [`Figure::into_image`], after every shape).
    pub fn label(&mut self, label: Label) {
        self.labels.push(label);
    }

    /// Title (baseline 52 px) and subtitle (baseline 90 px) starting at `x`.
    pub fn titles(&mut self, x: i32, title: impl Into<String>, subtitle: impl Into<String>) {
        self.label(Label::new(title, (x, 52), TITLE_SIZE_PX));
        self.label(Label::new(subtitle, (x, 90), SUBTITLE_SIZE_PX).rgb(SECONDARY_RGB));
    }

    /// A footnote ending at `right` on the figure's last line.
    pub fn footnote(&mut self, right: i32, text: impl Into<String>) {
        let y = self.height as i32 - 18;
        self.label(
            Label::new(text, (right, y), FOOTNOTE_SIZE_PX)
                .anchor(Anchor::Right)
                .rgb(SECONDARY_RGB),
        );
    }

    /// Draws shapes: `f` gets the whole figure as a plotters area and the label list.
    pub fn draw<R>(
        &mut self,
        f: impl FnOnce(&Root<'_>, &mut Vec<Label>) -> Result<R, PlotError>,
    ) -> Result<R, PlotError> {
        let root = BitMapBackend::with_buffer(&mut self.rgb, (self.width, self.height))
            .into_drawing_area();
        let r = f(&root, &mut self.labels)?;
        root.present().map_err(drawing("the figure"))?;
        Ok(r)
    }

    /// Draws the labels over the shapes and returns the image.
    pub fn into_image(mut self) -> Result<Image, PlotError> {
        draw_labels(&mut self.rgb, self.width as usize, &self.labels)?;
        Ok(Image {
            width: self.width,
            height: self.height,
            rgb: self.rgb,
        })
    }
}

/// Draws the labels into the RGB buffer (`w` pixels wide), glyph by glyph.
fn draw_labels(rgb: &mut [u8], w: usize, labels: &[Label]) -> Result<(), PlotError> {
    let h = rgb.len() / (3 * w);
    let metrics = font::metrics().ok_or(PlotError::Font)?;
    for l in labels {
        let width = metrics.text_width(&l.text, l.size_px);
        let pen = match l.anchor {
            Anchor::Left => 0.0,
            Anchor::Centre => -0.5 * width,
            Anchor::Right => -width,
        };
        // Glyphs are laid out in text space (u along the text, v down from the baseline) and
        // then placed, so vertical text is the same raster turned.
        let y = (-0.5 * l.size_px).round() as i32;
        let mut cov: Vec<(i32, i32, f32)> = Vec::new();
        font::rasterise(metrics, &l.text, l.size_px, pen, y, |u, v, a| {
            cov.push((u, v, a))
        })
        .map_err(|source| PlotError::Glyph {
            text: l.text.clone(),
            source,
        })?;
        for (u, v, a) in cov {
            let (px, py) = if l.vertical {
                (l.x + v, l.y - u)
            } else {
                (l.x + u, l.y + v)
            };
            if px < 0 || py < 0 || px as usize >= w || py as usize >= h {
                continue;
            }
            let a = a.clamp(0.0, 1.0) as f64;
            let i = 3 * (py as usize * w + px as usize);
            for (k, c) in [l.rgb.0, l.rgb.1, l.rgb.2].into_iter().enumerate() {
                let old = rgb[i + k] as f64;
                rgb[i + k] = (old + (c as f64 - old) * a).round() as u8;
            }
        }
    }
    Ok(())
}

/// A plot frame in pixels; plotters' area spans `[left, right) × [top, bottom)` and the frame
/// line is drawn on `left`, `top`, `right` and `bottom`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    /// Left edge.
    pub left: i32,
    /// Top edge.
    pub top: i32,
    /// Right edge.
    pub right: i32,
    /// Bottom edge.
    pub bottom: i32,
}

/// One linear axis: its range, ticks and title.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Data value at the frame's left (x) or bottom (y) edge.
    pub lo: f64,
    /// Data value at the frame's right (x) or top (y) edge.
    pub hi: f64,
    /// Where the ticks go.
    pub ticks: Ticks,
    /// Axis title, with its unit.
    pub title: String,
}

impl Axis {
    /// `[lo, hi]` with about `target_ticks` nice ticks ([`Ticks::nice`]).
    pub fn new(lo: f64, hi: f64, target_ticks: f64, title: impl Into<String>) -> Axis {
        Axis {
            lo,
            hi,
            ticks: Ticks::nice(lo, hi, target_ticks),
            title: title.into(),
        }
    }
}

/// Two linear axes over a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Axes {
    /// Where the data go, pixels.
    pub frame: Frame,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
}

impl Axes {
    /// Runs `f` with a chart that maps data `(x, y)` onto the frame.
    pub fn chart<R>(
        &self,
        root: &Root<'_>,
        f: impl FnOnce(&mut Chart<'_, '_>) -> Result<R, PlotError>,
    ) -> Result<R, PlotError> {
        let (w, h) = root.dim_in_pixel();
        let fr = self.frame;
        let area = root.margin(fr.top, h as i32 - fr.bottom, fr.left, w as i32 - fr.right);
        let mut chart = ChartBuilder::on(&area)
            .build_cartesian_2d(self.x.lo..self.x.hi, self.y.lo..self.y.hi)
            .map_err(drawing("the axes"))?;
        f(&mut chart)
    }

    /// Grid lines at the ticks across the frame in `grid`, tick marks outside it and their
    /// labels (x ticks first, each with its grid line, then y).
    pub fn draw_grid_and_ticks(
        &self,
        root: &Root<'_>,
        chart: &mut Chart<'_, '_>,
        grid: RGBAColor,
        labels: &mut Vec<Label>,
    ) -> Result<(), PlotError> {
        let (x, y) = (&self.x, &self.y);
        for &t in &x.ticks.values {
            chart
                .draw_series(LineSeries::new([(t, y.lo), (t, y.hi)], grid))
                .map_err(drawing("grid lines"))?;
            let (px, py) = chart.backend_coord(&(t, y.lo));
            root.draw(&PathElement::new(
                vec![(px, py), (px, py + TICK_LENGTH_PX)],
                BLACK,
            ))
            .map_err(drawing("tick marks"))?;
            labels.push(
                Label::new(x.ticks.label(t), (px, py + 29), TICK_LABEL_SIZE_PX)
                    .anchor(Anchor::Centre),
            );
        }
        for &t in &y.ticks.values {
            chart
                .draw_series(LineSeries::new([(x.lo, t), (x.hi, t)], grid))
                .map_err(drawing("grid lines"))?;
            let (px, py) = chart.backend_coord(&(x.lo, t));
            root.draw(&PathElement::new(
                vec![(px - TICK_LENGTH_PX, py), (px, py)],
                BLACK,
            ))
            .map_err(drawing("tick marks"))?;
            labels.push(
                Label::new(y.ticks.label(t), (px - 12, py + 6), TICK_LABEL_SIZE_PX)
                    .anchor(Anchor::Right),
            );
        }
        Ok(())
    }

    /// The axis titles: centred under the frame, and reading upwards left of it.
    pub fn axis_titles(&self, labels: &mut Vec<Label>) {
        let f = self.frame;
        labels.push(
            Label::new(
                self.x.title.clone(),
                ((f.left + f.right) / 2, f.bottom + 68),
                AXIS_TITLE_SIZE_PX,
            )
            .anchor(Anchor::Centre),
        );
        labels.push(
            Label::new(
                self.y.title.clone(),
                (f.left - 62, (f.top + f.bottom) / 2),
                AXIS_TITLE_SIZE_PX,
            )
            .anchor(Anchor::Centre)
            .vertical(),
        );
    }

    /// The frame line (after the data, so it stays on top).
    pub fn draw_frame(&self, root: &Root<'_>) -> Result<(), PlotError> {
        let f = self.frame;
        root.draw(&Rectangle::new(
            [(f.left, f.top), (f.right, f.bottom)],
            BLACK,
        ))
        .map_err(drawing("the frame"))
    }
}
