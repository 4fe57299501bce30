//! The crate's error type: what was wrong with a figure's input, or which drawing step failed.

use plotters::prelude::{BitMapBackend, DrawingAreaErrorKind, DrawingBackend};
use thiserror::Error;

/// The error of the bitmap drawing backend.
pub type BackendError = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

/// Why a figure could not be drawn.
#[derive(Debug, Error)]
pub enum PlotError {
    /// A map layer's fill opacity is outside `[0, 1]`.
    #[error("layer {layer:?}: fill_opacity {opacity} is outside [0, 1]")]
    Opacity {
        /// The layer's legend text.
        layer: String,
        /// The opacity given.
        opacity: f64,
    },
    /// A map polygon has a NaN or infinite vertex.
    #[error("layer {layer:?}, polygon {polygon}: non-finite vertex ({lon_deg}, {lat_deg})")]
    NonFiniteVertex {
        /// The layer's legend text.
        layer: String,
        /// Index of the polygon in the layer.
        polygon: usize,
        /// The vertex's longitude, degrees.
        lon_deg: f64,
        /// The vertex's latitude, degrees.
        lat_deg: f64,
    },
    /// A map marker is not finite or its latitude is beyond ±90°.
    #[error("point {label:?}: invalid position ({lon_deg}, {lat_deg})")]
    PointPosition {
        /// The marker's label.
        label: String,
        /// Longitude given, degrees.
        lon_deg: f64,
        /// Latitude given, degrees.
        lat_deg: f64,
    },
    /// A map view that is not finite, empty, inverted or beyond the poles.
    #[error(
        "bbox_deg ({}, {}, {}, {}) is not a valid lon_min, lat_min, lon_max, lat_max",
        bbox_deg.0, bbox_deg.1, bbox_deg.2, bbox_deg.3
    )]
    Bbox {
        /// `(lon_min, lat_min, lon_max, lat_max)` as given, degrees.
        bbox_deg: (f64, f64, f64, f64),
    },
    /// An envelope matrix without one cell per (altitude, range) pair.
    #[error("envelope matrix: {cells} cells for {altitudes} altitudes × {ranges} ranges")]
    Matrix {
        /// Launch ground ranges (columns).
        ranges: usize,
        /// Target altitudes (rows).
        altitudes: usize,
        /// Cells given.
        cells: usize,
    },
    /// The basemap compiled into the crate could not be read.
    #[error("embedded basemap: {0}")]
    Basemap(#[source] BasemapError),
    /// The font compiled into the crate could not be loaded, so text cannot be drawn.
    #[error("the embedded font could not be loaded")]
    Font,
    /// A glyph could not be rasterised.
    #[error("drawing the glyphs of {text:?}")]
    Glyph {
        /// The text being drawn.
        text: String,
        /// The font backend's error.
        #[source]
        source: plotters::style::FontError,
    },
    /// Plotters failed to draw a shape.
    #[error("drawing {what}")]
    Draw {
        /// What was being drawn.
        what: &'static str,
        /// Plotters' error.
        #[source]
        source: DrawingAreaErrorKind<BackendError>,
    },
    /// The PNG encoder failed.
    #[error("encoding a {width}×{height} PNG")]
    Encode {
        /// Image width, pixels.
        width: u32,
        /// Image height, pixels.
        height: u32,
        /// The encoder's error.
        #[source]
        source: image::ImageError,
    },
}

/// Why the embedded basemap could not be read (kept, so that every later map reports it).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum BasemapError {
    /// The text is not GeoJSON.
    #[error("parsing GeoJSON: {message}")]
    Parse {
        /// The GeoJSON parser's message.
        message: String,
    },
    /// The GeoJSON is not a feature collection.
    #[error("not a FeatureCollection")]
    NotFeatureCollection,
    /// No land or no coastline features.
    #[error("no land or coastline features")]
    Empty,
}
