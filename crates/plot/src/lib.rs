//! Figures for iadsim: coverage maps, launch acceptability region plots, and the pieces every
//! figure shares (a figure with axes, ticks, colours, text), so that study plots (leakers
//! histograms, leak probability against time) look like the rest.
//!
//! # What it does
//!
//! * [`map`]: a coverage map: coverage polygons (with holes) over a Natural Earth basemap,
//!   graticule, markers with non-overlapping labels, legend and scale bar, rasterised here with
//!   anti-aliasing ([`map::render`]).
//! * [`envelope`]: the launch acceptability region of a missile: engagement matrix coloured by
//!   time of flight, max and min launch range curves, colour bar ([`envelope::render`]).
//! * [`figure`]: a [`figure::Figure`] with [`figure::Axes`]: shapes drawn with plotters on a
//!   chart that maps data onto a frame, ticks and grid lines, axis titles, labels drawn last.
//! * [`ticks`]: the one tick generator ([`ticks::Ticks`]) and label formatter
//!   ([`ticks::tick_label`]) of every axis, graticule and colour bar.
//! * [`style`]: shared colours (categorical palette, viridis) and text sizes.
//!
//! Every renderer returns an [`Image`]; [`Image::to_png`] encodes it. Writing the file is the
//! caller's (an atomic writer, so a reader never sees half a PNG).
//!
//! # One map, start to finish
//!
//! ```
//! use iadsim_plot::map::{self, MapLayer, MapPoint, MapSpec, PointKind};
//!
//! let square = vec![(44.0, 33.0), (45.0, 33.0), (45.0, 34.0), (44.0, 34.0)];
//! let layers = [MapLayer {
//!     label: "radar detection".into(),
//!     rgb: iadsim_plot::style::CATEGORICAL[0],
//!     fill_opacity: 0.18,
//!     polygons: vec![vec![square]],
//! }];
//! let points = [MapPoint {
//!     label: "site".into(),
//!     lon_deg: 44.5,
//!     lat_deg: 33.5,
//!     kind: PointKind::Site,
//! }];
//! let spec = MapSpec {
//!     title: "Coverage",
//!     subtitle: "example",
//!     layers: &layers,
//!     points: &points,
//!     bbox_deg: None,
//! };
//! let png = map::render(&spec)?.to_png()?;
//! assert_eq!(&png[1..4], b"PNG");
//! # Ok::<(), iadsim_plot::PlotError>(())
//! ```
//!
//! # What it does not guarantee
//!
//! Output is deterministic (the same input gives the same bytes) for one build; a change of the
//! font, of plotters or of the PNG encoder may change pixels. The map's basemap covers lon
//! 25–65°, lat 10–45° only.
#![deny(missing_docs)]

pub mod envelope;
mod error;
pub mod figure;
mod font;
mod image;
pub mod map;
pub mod style;
pub mod ticks;

pub use error::{BackendError, BasemapError, PlotError};
pub use image::Image;
