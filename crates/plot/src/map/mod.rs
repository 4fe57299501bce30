//! Coverage maps as PNG images: coverage polygons over a Natural Earth basemap.
//!
//! The map is an equirectangular projection whose x scale is multiplied by the cosine of the view's
//! mid-latitude, so shapes near that latitude are not stretched (a circle of 100 km stays round
//! within a few per cent over a 10°-tall view). Distances are only exact along the mid-latitude
//! parallel; the scale bar says so.
//!
//! Rendering is done here, not with plotters' elements, for three reasons: plotters' `Polygon` has
//! no holes (a coverage ring with a blind zone would be drawn full), its bitmap lines are not
//! anti-aliased, and semi-transparent overlapping polygons of one layer must not darken where they
//! overlap. Every shape is rasterised into a coverage mask (even-odd rule, 4 sub-scanlines, exact
//! horizontal coverage; strokes from the distance to each segment), and the mask is blended once
//! with its colour. Plotters supplies the glyph outlines (`ab_glyph`, DejaVu Sans embedded; the
//! crate's `font` module lays them out). Everything is deterministic: the same spec gives the
//! same bytes.
//!
//! The basemap (`data/basemap/ne_50m_middle_east.geojson`, made by `tools/gen_basemap.mjs`) covers
//! lon 25–65°, lat 10–45°; any part of a view outside it is painted light grey (`NO_DATA_RGB`), not sea.

use crate::style::{Rgb, SECONDARY_RGB, SUBTITLE_SIZE_PX, TITLE_SIZE_PX};
use crate::{Image, PlotError};
use canvas::Canvas;
use geometry::{Projection, Rect};

mod basemap;
mod canvas;
mod geometry;
mod graticule;
mod marks;
mod panel;
#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// One coverage layer: a set of polygons filled in one colour and listed once in the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLayer {
    /// Legend text.
    pub label: String,
    /// Fill and outline colour.
    pub rgb: Rgb,
    /// Fill opacity in `[0, 1]` (outlines are opaque).
    pub fill_opacity: f64,
    /// Polygons; each is a list of rings of `(lon_deg, lat_deg)`, the first ring the exterior and
    /// the others holes. Rings may be open or closed, in either winding (even-odd fill).
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

/// What a marker stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    /// A sensor or weapon site (triangle).
    Site,
    /// A defended asset (square).
    Asset,
}

/// A labelled marker.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    /// Text drawn beside the marker.
    pub label: String,
    /// Longitude, degrees east.
    pub lon_deg: f64,
    /// Latitude, degrees north.
    pub lat_deg: f64,
    /// Marker shape.
    pub kind: PointKind,
}

/// Everything one map shows.
#[derive(Debug, Clone, Copy)]
pub struct MapSpec<'a> {
    /// Large text above the map.
    pub title: &'a str,
    /// Smaller text under the title (scenario, parameters).
    pub subtitle: &'a str,
    /// Coverage layers, in legend order (they are drawn largest area first).
    pub layers: &'a [MapLayer],
    /// Markers, drawn above the layers.
    pub points: &'a [MapPoint],
    /// `(lon_min, lat_min, lon_max, lat_max)`, degrees; `None` fits the layers and points with a
    /// 5 % margin. The view is widened in one direction to fill the frame without distortion.
    pub bbox_deg: Option<(f64, f64, f64, f64)>,
}

/// Renders `spec` to an image of [`IMAGE_W`]×[`IMAGE_H`] pixels.
///
/// Errors on an opacity outside `[0, 1]`, non-finite coordinates, an empty or inverted
/// `bbox_deg`, or if the embedded basemap cannot be read.
pub fn render(spec: &MapSpec) -> Result<Image, PlotError> {
    Ok(Image {
        width: IMAGE_W,
        height: IMAGE_H,
        rgb: render_rgb(spec)?,
    })
}

// ---------------------------------------------------------------------------------------------
// Rendering choices
// ---------------------------------------------------------------------------------------------

/// Image width, pixels.
pub const IMAGE_W: u32 = 1600;
/// Image height, pixels.
pub const IMAGE_H: u32 = 1200;

/// Map frame (pixels): left edge, room for latitude labels to its left.
const MAP_LEFT: f64 = 84.0;
/// Map frame top edge, below title and subtitle.
const MAP_TOP: f64 = 112.0;
/// Map frame right edge; the legend panel is to its right.
const MAP_RIGHT: f64 = 1268.0;
/// Map frame bottom edge, room for longitude labels and the attribution below.
const MAP_BOTTOM: f64 = 1124.0;
/// Legend panel left edge.
const PANEL_LEFT: f64 = 1290.0;
/// Legend panel right edge.
const PANEL_RIGHT: f64 = 1586.0;
/// Inner padding of the legend and scale boxes.
const PANEL_PAD: f64 = 14.0;

/// Page background outside the map frame.
const PAGE_RGB: Rgb = (255, 255, 255);
/// Sea.
const SEA_RGB: Rgb = (212, 227, 238);
/// Land.
const LAND_RGB: Rgb = (243, 240, 232);
/// Parts of the view outside the basemap's extent (unknown, neither land nor sea).
const NO_DATA_RGB: Rgb = (228, 228, 228);
/// Coastline stroke.
const COAST_RGB: Rgb = (112, 138, 160);
/// Coastline width, pixels.
const COAST_WIDTH_PX: f64 = 1.0;
/// International border stroke.
const BORDER_RGB: Rgb = (150, 142, 130);
/// Border width, pixels.
const BORDER_WIDTH_PX: f64 = 1.1;
/// Country name colour (drawn under the coverage layers).
const COUNTRY_LABEL_RGB: Rgb = (150, 140, 124);
/// Country name size, pixels.
const COUNTRY_LABEL_SIZE_PX: f64 = 14.0;
/// A country is named only where its label point is this far (pixels) from its edge.
const COUNTRY_LABEL_MIN_CLEARANCE_PX: f64 = 30.0;
/// Graticule stroke.
const GRATICULE_RGB: Rgb = (120, 130, 140);
/// Graticule opacity.
const GRATICULE_ALPHA: f64 = 0.35;
/// Graticule width, pixels.
const GRATICULE_WIDTH_PX: f64 = 0.9;
/// Candidate graticule spacings, degrees; the finest giving at most [`GRATICULE_MAX_LINES`] wins.
const GRATICULE_STEPS_DEG: [f64; 8] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0];
/// Most graticule lines across the longer side of the view.
const GRATICULE_MAX_LINES: f64 = 10.0;
/// Map frame stroke.
const FRAME_RGB: Rgb = (60, 60, 60);
/// Coverage outline width, pixels.
const LAYER_OUTLINE_WIDTH_PX: f64 = 2.0;
/// Site marker (triangle) fill.
const SITE_RGB: Rgb = (25, 25, 25);
/// Asset marker (square) fill.
const ASSET_RGB: Rgb = (255, 255, 255);
/// Marker outline.
const MARKER_OUTLINE_RGB: Rgb = (25, 25, 25);
/// Marker size (triangle height, square side), pixels.
const MARKER_SIZE_PX: f64 = 15.0;
/// White rim around markers so they read on any fill.
const MARKER_HALO_WIDTH_PX: f64 = 5.0;
/// Point label size, pixels.
const POINT_LABEL_SIZE_PX: f64 = 17.0;
/// Point label colour.
const POINT_LABEL_RGB: Rgb = (20, 20, 20);
/// Halo behind point labels and graticule labels, radius pixels.
const HALO_RADIUS_PX: i32 = 2;
/// Halo colour.
const HALO_RGB: Rgb = (255, 255, 255);
/// Title colour.
const TITLE_RGB: Rgb = (20, 20, 20);
/// Graticule label size, pixels.
const AXIS_LABEL_SIZE_PX: f64 = 15.0;
/// Attribution size, pixels.
const ATTRIBUTION_SIZE_PX: f64 = 14.0;
/// Attribution text required by the basemap's provenance.
const ATTRIBUTION: &str = "Basemap: Natural Earth (public domain)";
/// Legend heading size, pixels.
const LEGEND_HEADING_SIZE_PX: f64 = 19.0;
/// Legend entry size, pixels.
const LEGEND_TEXT_SIZE_PX: f64 = 16.0;
/// Legend swatch width × height, pixels.
const LEGEND_SWATCH_PX: (f64, f64) = (30.0, 18.0);
/// Legend box border.
const PANEL_BORDER_RGB: Rgb = (170, 170, 170);
/// Legend box background.
const PANEL_BG_RGB: Rgb = (250, 250, 250);
/// Scale bar height, pixels.
const SCALE_BAR_HEIGHT_PX: f64 = 9.0;
/// Fit margin when `bbox_deg` is `None`, fraction of the span on each side.
const FIT_MARGIN: f64 = 0.05;
/// Smallest view span, degrees (a single point still gets a readable map).
const MIN_SPAN_DEG: f64 = 0.5;
/// View used when there is nothing to fit: the basemap's extent.
const DEFAULT_BBOX_DEG: (f64, f64, f64, f64) = (25.0, 10.0, 65.0, 45.0);
/// Vertical sub-samples per pixel row in the polygon rasteriser (anti-aliasing).
const SUBSAMPLES: usize = 4;

/// Basemap extent, degrees, as written by `tools/gen_basemap.mjs`.
const BASEMAP_BBOX_DEG: (f64, f64, f64, f64) = (25.0, 10.0, 65.0, 45.0);
/// Natural Earth 1:50m extract (see `data/basemap/README.md`).
const BASEMAP_GEOJSON: &str = include_str!("../../../../data/basemap/ne_50m_middle_east.geojson");

/// WGS-84 semi-major axis and first eccentricity squared, for the scale along the mid-latitude
/// parallel: a parallel at geodetic latitude φ has radius N(φ)·cos φ, with
/// N = a / sqrt(1 − e² sin² φ) (NIMA TR8350.2, eq. 4-15).
const WGS84_A_M: f64 = iadsim_geo::WGS84_A_M;
/// See [`WGS84_A_M`].
const WGS84_E2: f64 = iadsim_geo::WGS84_E2;
fn validate(spec: &MapSpec) -> Result<(), PlotError> {
    for layer in spec.layers {
        if !(0.0..=1.0).contains(&layer.fill_opacity) {
            return Err(PlotError::Opacity {
                layer: layer.label.clone(),
                opacity: layer.fill_opacity,
            });
        }
        for (pi, poly) in layer.polygons.iter().enumerate() {
            for ring in poly {
                if let Some(&(lon, lat)) =
                    ring.iter().find(|(x, y)| !x.is_finite() || !y.is_finite())
                {
                    return Err(PlotError::NonFiniteVertex {
                        layer: layer.label.clone(),
                        polygon: pi,
                        lon_deg: lon,
                        lat_deg: lat,
                    });
                }
            }
        }
    }
    for p in spec.points {
        if !p.lon_deg.is_finite() || !p.lat_deg.is_finite() || p.lat_deg.abs() > 90.0 {
            return Err(PlotError::PointPosition {
                label: p.label.clone(),
                lon_deg: p.lon_deg,
                lat_deg: p.lat_deg,
            });
        }
    }
    if let Some((lon0, lat0, lon1, lat1)) = spec.bbox_deg {
        let finite = [lon0, lat0, lon1, lat1].iter().all(|v| v.is_finite());
        if !finite || lon0 >= lon1 || lat0 >= lat1 || lat0 < -90.0 || lat1 > 90.0 {
            return Err(PlotError::Bbox {
                bbox_deg: (lon0, lat0, lon1, lat1),
            });
        }
    }
    Ok(())
}

/// The bbox to show: the given one, or layers + points with a margin.
fn view_bbox_deg(spec: &MapSpec) -> (f64, f64, f64, f64) {
    if let Some(b) = spec.bbox_deg {
        return b;
    }
    let mut b = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    let mut add = |lon: f64, lat: f64| {
        b = (b.0.min(lon), b.1.min(lat), b.2.max(lon), b.3.max(lat));
    };
    for layer in spec.layers {
        for poly in &layer.polygons {
            for &(lon, lat) in poly.first().into_iter().flatten() {
                add(lon, lat);
            }
        }
    }
    for p in spec.points {
        add(p.lon_deg, p.lat_deg);
    }
    if !b.0.is_finite() {
        return DEFAULT_BBOX_DEG;
    }
    let grow = |lo: f64, hi: f64| {
        let span = (hi - lo).max(MIN_SPAN_DEG);
        let mid = 0.5 * (lo + hi);
        (
            mid - span * (0.5 + FIT_MARGIN),
            mid + span * (0.5 + FIT_MARGIN),
        )
    };
    let (lon0, lon1) = grow(b.0, b.2);
    let (lat0, lat1) = grow(b.1, b.3);
    (lon0, lat0.max(-89.0), lon1, lat1.min(89.0))
}

// ---------------------------------------------------------------------------------------------
// The map
// ---------------------------------------------------------------------------------------------

/// The map frame, pixels.
fn map_frame() -> Rect {
    Rect {
        x0: MAP_LEFT,
        y0: MAP_TOP,
        x1: MAP_RIGHT,
        y1: MAP_BOTTOM,
    }
}

/// Renders `spec` to an RGB8 buffer of [`IMAGE_W`]×[`IMAGE_H`].
fn render_rgb(spec: &MapSpec) -> Result<Vec<u8>, PlotError> {
    validate(spec)?;
    let base = basemap::basemap()?;
    let frame = map_frame();
    let proj = Projection::fit(view_bbox_deg(spec), frame);
    let mut cv = Canvas::new(IMAGE_W as usize, IMAGE_H as usize, PAGE_RGB);

    // Point labels are placed first so country names can keep clear of them.
    let placed = marks::place_points(&cv, &proj, spec.points);
    let taken: Vec<Rect> = placed.iter().flat_map(|p| [p.marker, p.label]).collect();
    basemap::draw_basemap(&mut cv, &proj, base, &taken);
    graticule::draw_lines(&mut cv, &proj);
    marks::draw_layers(&mut cv, &proj, spec.layers);
    marks::draw_points(&mut cv, &placed);
    cv.stroke(&frame.ring(), 1.2, cv.full(), FRAME_RGB, 1.0);
    graticule::draw_labels(&mut cv, &proj);
    panel::draw_titles(&mut cv, spec, &proj);
    let legend_bottom = panel::draw_legend(&mut cv, spec);
    panel::draw_scale_bar(&mut cv, &proj, legend_bottom + 18.0);
    Ok(cv.rgb)
}
