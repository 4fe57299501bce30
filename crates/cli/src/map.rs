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
//! with its colour. Plotters supplies the glyph outlines (`ab_glyph`, DejaVu Sans embedded) and the
//! PNG encoder. Everything is deterministic: the same spec gives the same bytes.
//!
//! The basemap (`data/basemap/ne_50m_middle_east.geojson`, made by `tools/gen_basemap.mjs`) covers
//! lon 25–65°, lat 10–45°; any part of a view outside it is painted [`NO_DATA_RGB`], not sea.

use anyhow::{anyhow, bail, Context, Result};
use plotters::backend::BitMapBackend;
use plotters::prelude::DrawingBackend;
use plotters::style::{register_font, FontDesc, FontFamily, FontStyle};
use std::path::Path;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// One coverage layer: a set of polygons filled in one colour and listed once in the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLayer {
    /// Legend text.
    pub label: String,
    /// Fill and outline colour.
    pub rgb: (u8, u8, u8),
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

/// Renders `spec` to a PNG of [`IMAGE_W`]×[`IMAGE_H`] pixels at `path`.
///
/// Writes atomically: a temporary file in the same folder, then a rename, so a reader never sees
/// half a PNG. Errors on non-finite coordinates, an empty or inverted `bbox_deg`, or I/O failure.
pub fn render_png(path: &Path, spec: &MapSpec) -> Result<()> {
    let rgb = render_rgb(spec)?;
    write_png_atomic(path, &rgb)
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
const PAGE_RGB: (u8, u8, u8) = (255, 255, 255);
/// Sea.
const SEA_RGB: (u8, u8, u8) = (212, 227, 238);
/// Land.
const LAND_RGB: (u8, u8, u8) = (243, 240, 232);
/// Parts of the view outside the basemap's extent (unknown, neither land nor sea).
const NO_DATA_RGB: (u8, u8, u8) = (228, 228, 228);
/// Coastline stroke.
const COAST_RGB: (u8, u8, u8) = (112, 138, 160);
/// Coastline width, pixels.
const COAST_WIDTH_PX: f64 = 1.0;
/// International border stroke.
const BORDER_RGB: (u8, u8, u8) = (150, 142, 130);
/// Border width, pixels.
const BORDER_WIDTH_PX: f64 = 1.1;
/// Country name colour (drawn under the coverage layers).
const COUNTRY_LABEL_RGB: (u8, u8, u8) = (150, 140, 124);
/// Country name size, pixels.
const COUNTRY_LABEL_SIZE_PX: f64 = 14.0;
/// A country is named only where its label point is this far (pixels) from its edge.
const COUNTRY_LABEL_MIN_CLEARANCE_PX: f64 = 30.0;
/// Graticule stroke.
const GRATICULE_RGB: (u8, u8, u8) = (120, 130, 140);
/// Graticule opacity.
const GRATICULE_ALPHA: f64 = 0.35;
/// Graticule width, pixels.
const GRATICULE_WIDTH_PX: f64 = 0.9;
/// Candidate graticule spacings, degrees; the finest giving at most [`GRATICULE_MAX_LINES`] wins.
const GRATICULE_STEPS_DEG: [f64; 8] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0];
/// Most graticule lines across the longer side of the view.
const GRATICULE_MAX_LINES: f64 = 10.0;
/// Map frame stroke.
const FRAME_RGB: (u8, u8, u8) = (60, 60, 60);
/// Coverage outline width, pixels.
const LAYER_OUTLINE_WIDTH_PX: f64 = 2.0;
/// Site marker (triangle) fill.
const SITE_RGB: (u8, u8, u8) = (25, 25, 25);
/// Asset marker (square) fill.
const ASSET_RGB: (u8, u8, u8) = (255, 255, 255);
/// Marker outline.
const MARKER_OUTLINE_RGB: (u8, u8, u8) = (25, 25, 25);
/// Marker size (triangle height, square side), pixels.
const MARKER_SIZE_PX: f64 = 15.0;
/// White rim around markers so they read on any fill.
const MARKER_HALO_WIDTH_PX: f64 = 5.0;
/// Point label size, pixels.
const POINT_LABEL_SIZE_PX: f64 = 17.0;
/// Point label colour.
const POINT_LABEL_RGB: (u8, u8, u8) = (20, 20, 20);
/// Halo behind point labels and graticule labels, radius pixels.
const HALO_RADIUS_PX: i32 = 2;
/// Halo colour.
const HALO_RGB: (u8, u8, u8) = (255, 255, 255);
/// Title size, pixels.
const TITLE_SIZE_PX: f64 = 34.0;
/// Title colour.
const TITLE_RGB: (u8, u8, u8) = (20, 20, 20);
/// Subtitle size, pixels.
const SUBTITLE_SIZE_PX: f64 = 19.0;
/// Subtitle, attribution and axis-label colour.
const SECONDARY_RGB: (u8, u8, u8) = (85, 85, 85);
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
const PANEL_BORDER_RGB: (u8, u8, u8) = (170, 170, 170);
/// Legend box background.
const PANEL_BG_RGB: (u8, u8, u8) = (250, 250, 250);
/// Scale bar height, pixels.
const SCALE_BAR_HEIGHT_PX: f64 = 9.0;
/// Nice scale bar lengths per decade (× 10ⁿ km).
const SCALE_NICE_STEPS: [f64; 4] = [1.0, 2.0, 2.5, 5.0];
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
const BASEMAP_GEOJSON: &str = include_str!("../../../data/basemap/ne_50m_middle_east.geojson");
/// DejaVu Sans 2.37 (Bitstream Vera licence, `data/basemap/LICENSE-DejaVu.txt`).
pub(crate) const FONT_TTF: &[u8] = include_bytes!("../../../data/basemap/DejaVuSans.ttf");
/// Family name the font is registered under in plotters.
pub(crate) const FONT_FAMILY: &str = "sans-serif";

/// WGS-84 semi-major axis and first eccentricity squared, for the scale along the mid-latitude
/// parallel: a parallel at geodetic latitude φ has radius N(φ)·cos φ, with
/// N = a / sqrt(1 − e² sin² φ) (NIMA TR8350.2, eq. 4-15).
const WGS84_A_M: f64 = iadsim_geo::WGS84_A_M;
/// See [`WGS84_A_M`].
const WGS84_E2: f64 = iadsim_geo::WGS84_E2;

// ---------------------------------------------------------------------------------------------
// Geometry helpers
// ---------------------------------------------------------------------------------------------

/// Axis-aligned rectangle in pixels, `x0 <= x1`, `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn intersects(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    fn contains(&self, o: &Rect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }
    fn ring(&self) -> Vec<(f64, f64)> {
        vec![
            (self.x0, self.y0),
            (self.x1, self.y0),
            (self.x1, self.y1),
            (self.x0, self.y1),
            (self.x0, self.y0),
        ]
    }
}

/// The view: lon/lat to pixels.
#[derive(Debug, Clone, Copy)]
struct Projection {
    lon_c: f64,
    lat_c: f64,
    cos_lat0: f64,
    /// Pixels per degree of latitude.
    px_per_deg: f64,
    frame: Rect,
}

impl Projection {
    /// Fits `bbox` (lon_min, lat_min, lon_max, lat_max) into `frame`, widening it in one direction
    /// so the frame is filled without distortion.
    fn fit(bbox: (f64, f64, f64, f64), frame: Rect) -> Projection {
        let (lon0, lat0, lon1, lat1) = bbox;
        let lat_c = 0.5 * (lat0 + lat1);
        let cos_lat0 = lat_c.to_radians().cos().max(0.05);
        let w_deg = (lon1 - lon0) * cos_lat0;
        let h_deg = lat1 - lat0;
        let px_per_deg = ((frame.x1 - frame.x0) / w_deg).min((frame.y1 - frame.y0) / h_deg);
        Projection {
            lon_c: 0.5 * (lon0 + lon1),
            lat_c,
            cos_lat0,
            px_per_deg,
            frame,
        }
    }
    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        let cx = 0.5 * (self.frame.x0 + self.frame.x1);
        let cy = 0.5 * (self.frame.y0 + self.frame.y1);
        (
            cx + (lon - self.lon_c) * self.cos_lat0 * self.px_per_deg,
            cy - (lat - self.lat_c) * self.px_per_deg,
        )
    }
    fn lonlat(&self, x: f64, y: f64) -> (f64, f64) {
        let cx = 0.5 * (self.frame.x0 + self.frame.x1);
        let cy = 0.5 * (self.frame.y0 + self.frame.y1);
        (
            self.lon_c + (x - cx) / (self.cos_lat0 * self.px_per_deg),
            self.lat_c - (y - cy) / self.px_per_deg,
        )
    }
    /// The view actually shown, (lon_min, lat_min, lon_max, lat_max).
    fn view_bbox(&self) -> (f64, f64, f64, f64) {
        let (lon0, lat0) = self.lonlat(self.frame.x0, self.frame.y1);
        let (lon1, lat1) = self.lonlat(self.frame.x1, self.frame.y0);
        (lon0, lat0, lon1, lat1)
    }
    /// Metres per pixel along the mid-latitude parallel (WGS-84).
    fn metres_per_px(&self) -> f64 {
        let phi = self.lat_c.to_radians();
        let n = WGS84_A_M / (1.0 - WGS84_E2 * phi.sin().powi(2)).sqrt();
        // One pixel is 1 / (cos φ0 · px_per_deg) degrees of longitude; the parallel's radius is
        // N cos φ0, so the cosines cancel.
        n * std::f64::consts::PI / 180.0 / self.px_per_deg
    }
    fn ring_px(&self, ring: &[(f64, f64)]) -> Vec<(f64, f64)> {
        ring.iter().map(|&(lon, lat)| self.xy(lon, lat)).collect()
    }
}

/// Shoelace area of a ring, in its own units squared (absolute).
fn ring_area(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    if n < 3 {
        return 0.0;
    }
    let mut a = 0.0;
    for i in 0..n {
        let (x0, y0) = ring[i];
        let (x1, y1) = ring[(i + 1) % n];
        a += x0 * y1 - x1 * y0;
    }
    (0.5 * a).abs()
}

/// A layer's area in projected square degrees: exteriors minus holes.
fn layer_area(layer: &MapLayer, cos_lat0: f64) -> f64 {
    let scaled = |r: &Vec<(f64, f64)>| -> f64 { ring_area(r) * cos_lat0 };
    layer
        .polygons
        .iter()
        .map(|p| {
            let mut rings = p.iter();
            let ext = rings.next().map(scaled).unwrap_or(0.0);
            ext - rings.map(scaled).sum::<f64>()
        })
        .sum()
}

fn validate(spec: &MapSpec) -> Result<()> {
    for layer in spec.layers {
        if !(0.0..=1.0).contains(&layer.fill_opacity) {
            bail!(
                "layer {:?}: fill_opacity {} is outside [0, 1]",
                layer.label,
                layer.fill_opacity
            );
        }
        for (pi, poly) in layer.polygons.iter().enumerate() {
            for ring in poly {
                if let Some(&(lon, lat)) =
                    ring.iter().find(|(x, y)| !x.is_finite() || !y.is_finite())
                {
                    bail!(
                        "layer {:?}, polygon {pi}: non-finite vertex ({lon}, {lat})",
                        layer.label
                    );
                }
            }
        }
    }
    for p in spec.points {
        if !p.lon_deg.is_finite() || !p.lat_deg.is_finite() || p.lat_deg.abs() > 90.0 {
            bail!(
                "point {:?}: invalid position ({}, {})",
                p.label,
                p.lon_deg,
                p.lat_deg
            );
        }
    }
    if let Some((lon0, lat0, lon1, lat1)) = spec.bbox_deg {
        let finite = [lon0, lat0, lon1, lat1].iter().all(|v| v.is_finite());
        if !finite || lon0 >= lon1 || lat0 >= lat1 || lat0 < -90.0 || lat1 > 90.0 {
            bail!("bbox_deg ({lon0}, {lat0}, {lon1}, {lat1}) is not a valid lon_min, lat_min, lon_max, lat_max");
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
// Canvas: an RGB buffer plus a coverage mask
// ---------------------------------------------------------------------------------------------

struct Canvas {
    w: usize,
    h: usize,
    rgb: Vec<u8>,
    /// Coverage in `[0, 1]` of the shape being built; blended by [`Canvas::paint`].
    mask: Vec<f32>,
    /// Pixel box of the mask's non-zero part: x0, y0, x1, y1 (exclusive); empty when x0 >= x1.
    dirty: (usize, usize, usize, usize),
    /// Whether plotters has the font (text is omitted otherwise).
    font_ok: bool,
    /// Glyph advances and bearings read from the embedded font.
    metrics: Option<FontMetrics>,
}

impl Canvas {
    fn new(w: usize, h: usize, bg: (u8, u8, u8)) -> Canvas {
        let mut rgb = Vec::with_capacity(w * h * 3);
        for _ in 0..w * h {
            rgb.extend_from_slice(&[bg.0, bg.1, bg.2]);
        }
        Canvas {
            w,
            h,
            rgb,
            mask: vec![0.0; w * h],
            dirty: (usize::MAX, usize::MAX, 0, 0),
            font_ok: fonts_registered(),
            metrics: FontMetrics::parse(FONT_TTF),
        }
    }

    fn full(&self) -> Rect {
        Rect {
            x0: 0.0,
            y0: 0.0,
            x1: self.w as f64,
            y1: self.h as f64,
        }
    }

    fn touch(&mut self, x0: usize, y0: usize, x1: usize, y1: usize) {
        let d = &mut self.dirty;
        *d = (d.0.min(x0), d.1.min(y0), d.2.max(x1), d.3.max(y1));
    }

    /// Pixel index range of `clip`, clamped to the image.
    fn clip_px(&self, clip: Rect) -> (usize, usize, usize, usize) {
        let cx = |v: f64| v.clamp(0.0, self.w as f64) as usize;
        let cy = |v: f64| v.clamp(0.0, self.h as f64) as usize;
        (
            cx(clip.x0.floor()),
            cy(clip.y0.floor()),
            cx(clip.x1.ceil()),
            cy(clip.y1.ceil()),
        )
    }

    /// Blends `rgb` at `alpha × mask` over the image and clears the mask.
    fn paint(&mut self, rgb: (u8, u8, u8), alpha: f64) {
        let (x0, y0, x1, y1) = self.dirty;
        if x0 >= x1 || y0 >= y1 {
            self.dirty = (usize::MAX, usize::MAX, 0, 0);
            return;
        }
        let src = [rgb.0 as f32, rgb.1 as f32, rgb.2 as f32];
        let alpha = alpha as f32;
        for y in y0..y1 {
            for x in x0..x1 {
                let i = y * self.w + x;
                let a = self.mask[i] * alpha;
                if a > 0.0 {
                    let px = &mut self.rgb[i * 3..i * 3 + 3];
                    for c in 0..3 {
                        px[c] = (px[c] as f32 + (src[c] - px[c] as f32) * a).round() as u8;
                    }
                }
                self.mask[i] = 0.0;
            }
        }
        self.dirty = (usize::MAX, usize::MAX, 0, 0);
    }

    /// Opaque axis-aligned rectangle, snapped to whole pixels.
    fn fill_rect(&mut self, r: Rect, rgb: (u8, u8, u8)) {
        let (x0, y0, x1, y1) = self.clip_px(Rect {
            x0: r.x0.round(),
            y0: r.y0.round(),
            x1: r.x1.round(),
            y1: r.y1.round(),
        });
        for y in y0..y1 {
            for x in x0..x1 {
                let i = (y * self.w + x) * 3;
                self.rgb[i..i + 3].copy_from_slice(&[rgb.0, rgb.1, rgb.2]);
            }
        }
    }

    /// Adds the even-odd interior of `rings` (pixel coordinates) to the mask, inside `clip`.
    fn mask_fill(&mut self, rings: &[Vec<(f64, f64)>], clip: Rect) {
        struct Edge {
            x0: f64,
            y0: f64,
            y1: f64,
            dxdy: f64,
        }
        let mut edges = Vec::new();
        for ring in rings {
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if a.1 == b.1 {
                    continue;
                }
                let (top, bot) = if a.1 < b.1 { (a, b) } else { (b, a) };
                edges.push(Edge {
                    x0: top.0,
                    y0: top.1,
                    y1: bot.1,
                    dxdy: (bot.0 - top.0) / (bot.1 - top.1),
                });
            }
        }
        if edges.is_empty() {
            return;
        }
        edges.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        let (cx0, cy0, cx1, cy1) = self.clip_px(clip);
        let ey0 = edges[0].y0;
        let ey1 = edges.iter().map(|e| e.y1).fold(f64::NEG_INFINITY, f64::max);
        let py0 = cy0.max(ey0.floor().max(0.0) as usize);
        let py1 = cy1.min(ey1.ceil().max(0.0) as usize);
        if py0 >= py1 || cx0 >= cx1 {
            return;
        }
        let (fx0, fx1) = (cx0 as f64, cx1 as f64);
        let weight = 1.0 / SUBSAMPLES as f32;
        let mut acc = vec![0.0f32; self.w];
        let mut active: Vec<usize> = Vec::new();
        let mut next = 0;
        let mut xs: Vec<f64> = Vec::new();
        let (mut dx0, mut dx1) = (usize::MAX, 0);
        for py in py0..py1 {
            let (mut lo, mut hi) = (usize::MAX, 0usize);
            for s in 0..SUBSAMPLES {
                let sy = py as f64 + (s as f64 + 0.5) / SUBSAMPLES as f64;
                while next < edges.len() && edges[next].y0 <= sy {
                    active.push(next);
                    next += 1;
                }
                active.retain(|&i| edges[i].y1 > sy);
                xs.clear();
                xs.extend(
                    active
                        .iter()
                        .map(|&i| edges[i].x0 + (sy - edges[i].y0) * edges[i].dxdy),
                );
                xs.sort_by(f64::total_cmp);
                for pair in xs.chunks_exact(2) {
                    let xa = pair[0].max(fx0);
                    let xb = pair[1].min(fx1);
                    if xb <= xa {
                        continue;
                    }
                    let i0 = xa.floor() as usize;
                    let i1 = xb.floor() as usize;
                    lo = lo.min(i0);
                    hi = hi.max((i1 + 1).min(self.w));
                    if i0 == i1 {
                        acc[i0] += (xb - xa) as f32 * weight;
                    } else {
                        acc[i0] += (i0 as f64 + 1.0 - xa) as f32 * weight;
                        for a in &mut acc[i0 + 1..i1] {
                            *a += weight;
                        }
                        if i1 < self.w {
                            acc[i1] += (xb - i1 as f64) as f32 * weight;
                        }
                    }
                }
            }
            if lo < hi {
                let row = py * self.w;
                let mask_row = &mut self.mask[row + lo..row + hi];
                for (m, a) in mask_row.iter_mut().zip(&mut acc[lo..hi]) {
                    *m = m.max(a.min(1.0));
                    *a = 0.0;
                }
                dx0 = dx0.min(lo);
                dx1 = dx1.max(hi);
                self.touch(dx0, py, dx1, py + 1);
            }
        }
    }

    /// Adds an anti-aliased stroke of `width_px` along `pts` (round joins and caps) to the mask.
    fn mask_stroke(&mut self, pts: &[(f64, f64)], width_px: f64, clip: Rect) {
        let r = 0.5 * width_px;
        let (cx0, cy0, cx1, cy1) = self.clip_px(clip);
        for seg in pts.windows(2) {
            let ((ax, ay), (bx, by)) = (seg[0], seg[1]);
            let x0 = (ax.min(bx) - r - 1.0).floor().max(cx0 as f64);
            let x1 = (ax.max(bx) + r + 1.0).ceil().min(cx1 as f64);
            let y0 = (ay.min(by) - r - 1.0).floor().max(cy0 as f64);
            let y1 = (ay.max(by) + r + 1.0).ceil().min(cy1 as f64);
            if x0 >= x1 || y0 >= y1 {
                continue;
            }
            let (x0, x1, y0, y1) = (x0 as usize, x1 as usize, y0 as usize, y1 as usize);
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = dx * dx + dy * dy;
            for y in y0..y1 {
                let py = y as f64 + 0.5;
                for x in x0..x1 {
                    let px = x as f64 + 0.5;
                    let t = if len2 > 0.0 {
                        (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let d = ((px - ax - t * dx).powi(2) + (py - ay - t * dy).powi(2)).sqrt();
                    let cov = (r + 0.5 - d).clamp(0.0, 1.0) as f32;
                    if cov > 0.0 {
                        let m = &mut self.mask[y * self.w + x];
                        *m = m.max(cov);
                    }
                }
            }
            self.touch(x0, y0, x1, y1);
        }
    }

    fn stroke(&mut self, pts: &[(f64, f64)], width_px: f64, clip: Rect, rgb: (u8, u8, u8), a: f64) {
        self.mask_stroke(pts, width_px, clip);
        self.paint(rgb, a);
    }

    fn fill(&mut self, rings: &[Vec<(f64, f64)>], clip: Rect, rgb: (u8, u8, u8), a: f64) {
        self.mask_fill(rings, clip);
        self.paint(rgb, a);
    }

    // ---- text ----

    fn font(size_px: f64) -> FontDesc<'static> {
        FontDesc::new(FontFamily::Name(FONT_FAMILY), size_px, FontStyle::Normal)
    }

    /// Advance width of `text`, pixels.
    fn text_width(&self, text: &str, size_px: f64) -> f64 {
        match (&self.metrics, self.font_ok) {
            (Some(m), true) => text.chars().map(|c| m.h_metrics(c).0).sum::<f64>() * size_px,
            _ => 0.0,
        }
    }

    /// Draws `text` with its left end at `x` and its baseline at `baseline`, optionally over a
    /// halo so it reads on any background.
    ///
    /// Glyphs are drawn one by one at pen positions from the font's own metrics: plotters'
    /// `ab_glyph` layout drops each glyph's left side bearing and truncates the pen position,
    /// which spaces letters unevenly ("synt hetic").
    fn text(&mut self, t: &TextRun, rgb: (u8, u8, u8), halo: bool) {
        let Some(metrics) = self.metrics.as_ref().filter(|_| self.font_ok) else {
            return;
        };
        if t.text.is_empty() {
            return;
        }
        let font = Self::font(t.size_px);
        // plotters' ab_glyph backend puts the baseline `size / 2` below the given y.
        let y = (t.baseline - 0.5 * t.size_px).round() as i32;
        let (w, h) = (self.w as i32, self.h as i32);
        let mut cov: Vec<(usize, f32)> = Vec::new();
        let mut pen = t.x;
        let mut buf = [0u8; 4];
        for c in t.text.chars() {
            let (advance, lsb) = metrics.h_metrics(c);
            let x = pen.round() as i32 + (lsb * t.size_px).floor() as i32;
            let drawn = font.draw(c.encode_utf8(&mut buf), (x, y), |px, py, a| {
                if px >= 0 && py >= 0 && px < w && py < h && a > 0.0 {
                    cov.push((py as usize * w as usize + px as usize, a.min(1.0)));
                }
                Ok::<(), ()>(())
            });
            if drawn.is_err() {
                return;
            }
            pen += advance * t.size_px;
        }
        if halo {
            for &(i, c) in &cov {
                let (x, y) = ((i % self.w) as i32, (i / self.w) as i32);
                for oy in -HALO_RADIUS_PX..=HALO_RADIUS_PX {
                    for ox in -HALO_RADIUS_PX..=HALO_RADIUS_PX {
                        let d2 = ox * ox + oy * oy;
                        if d2 > HALO_RADIUS_PX * HALO_RADIUS_PX + 1 {
                            continue;
                        }
                        let (qx, qy) = (x + ox, y + oy);
                        if qx < 0 || qy < 0 || qx >= w || qy >= h {
                            continue;
                        }
                        let m = &mut self.mask[qy as usize * self.w + qx as usize];
                        *m = m.max(c);
                    }
                }
            }
            self.touch_text(&cov, HALO_RADIUS_PX as usize);
            self.paint(HALO_RGB, 0.85);
        }
        for &(i, c) in &cov {
            let m = &mut self.mask[i];
            *m = (*m + c).min(1.0);
        }
        self.touch_text(&cov, 0);
        self.paint(rgb, 1.0);
    }

    fn touch_text(&mut self, cov: &[(usize, f32)], pad: usize) {
        for &(i, _) in cov {
            let (x, y) = (i % self.w, i / self.w);
            self.touch(
                x.saturating_sub(pad),
                y.saturating_sub(pad),
                (x + pad + 1).min(self.w),
                (y + pad + 1).min(self.h),
            );
        }
    }
}

/// One line of text to draw.
struct TextRun<'t> {
    text: &'t str,
    size_px: f64,
    x: f64,
    baseline: f64,
}

/// Registers the embedded font once per process; false (text omitted) if it cannot be parsed.
pub(crate) fn fonts_registered() -> bool {
    static OK: OnceLock<bool> = OnceLock::new();
    *OK.get_or_init(|| register_font(FONT_FAMILY, FontStyle::Normal, FONT_TTF).is_ok())
}

/// Horizontal metrics of a TrueType font, read from its `head`, `hhea`, `OS/2`, `hmtx` and `cmap`
/// tables (OpenType spec, <https://learn.microsoft.com/typography/opentype/spec/>). Scaled the way
/// `ab_glyph` scales: one pixel of font size is `ascender − descender` font units.
pub(crate) struct FontMetrics {
    data: &'static [u8],
    /// Start of the chosen `cmap` subtable and its format (4 or 12).
    cmap: (usize, u16),
    hmtx: usize,
    n_hmetrics: usize,
    n_glyphs: usize,
    /// Font units per pixel of font size.
    height_units: f64,
}

impl FontMetrics {
    pub(crate) fn parse(data: &'static [u8]) -> Option<FontMetrics> {
        let u16_at = |o: usize| -> Option<u16> {
            Some(u16::from_be_bytes(data.get(o..o + 2)?.try_into().ok()?))
        };
        let u32_at = |o: usize| -> Option<u32> {
            Some(u32::from_be_bytes(data.get(o..o + 4)?.try_into().ok()?))
        };
        let i16_at = |o: usize| u16_at(o).map(|v| v as i16);
        let table = |tag: &[u8; 4]| -> Option<usize> {
            let n = u16_at(4)? as usize;
            (0..n).find_map(|i| {
                let rec = 12 + 16 * i;
                (data.get(rec..rec + 4)? == tag)
                    .then(|| u32_at(rec + 8).map(|o| o as usize))
                    .flatten()
            })
        };
        let hhea = table(b"hhea")?;
        let mut ascender = i16_at(hhea + 4)?;
        let mut descender = i16_at(hhea + 6)?;
        // ttf-parser (under ab_glyph) prefers the OS/2 typographic metrics when fsSelection
        // bit 7 (USE_TYPO_METRICS) is set.
        if let Some(os2) = table(b"OS/2") {
            if u16_at(os2 + 62)? & (1 << 7) != 0 {
                ascender = i16_at(os2 + 68)?;
                descender = i16_at(os2 + 70)?;
            }
        }
        let n_hmetrics = u16_at(hhea + 34)? as usize;
        let n_glyphs = u16_at(table(b"maxp")? + 4)? as usize;
        let hmtx = table(b"hmtx")?;
        let cmap_base = table(b"cmap")?;
        let n_sub = u16_at(cmap_base + 2)? as usize;
        let mut best: Option<(usize, u16)> = None;
        for i in 0..n_sub {
            let rec = cmap_base + 4 + 8 * i;
            let (platform, encoding) = (u16_at(rec)?, u16_at(rec + 2)?);
            let off = cmap_base + u32_at(rec + 4)? as usize;
            let format = u16_at(off)?;
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            if unicode && (format == 12 || (format == 4 && best.is_none())) {
                best = Some((off, format));
            }
        }
        Some(FontMetrics {
            data,
            cmap: best?,
            hmtx,
            n_hmetrics,
            n_glyphs,
            height_units: (ascender as f64 - descender as f64).max(1.0),
        })
    }

    fn u16_at(&self, o: usize) -> u16 {
        self.data
            .get(o..o + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .unwrap_or(0)
    }

    fn u32_at(&self, o: usize) -> u32 {
        (self.u16_at(o) as u32) << 16 | self.u16_at(o + 2) as u32
    }

    /// Glyph id of `c` (0, the missing glyph, when absent).
    fn glyph(&self, c: char) -> usize {
        let c = c as u32;
        let (off, format) = self.cmap;
        if format == 12 {
            let n = self.u32_at(off + 12) as usize;
            for g in 0..n {
                let rec = off + 16 + 12 * g;
                let (start, end) = (self.u32_at(rec), self.u32_at(rec + 4));
                if (start..=end).contains(&c) {
                    return (self.u32_at(rec + 8) + c - start) as usize;
                }
            }
            return 0;
        }
        if c > 0xFFFF {
            return 0;
        }
        let seg = self.u16_at(off + 6) as usize / 2;
        let ends = off + 14;
        let starts = ends + 2 * seg + 2;
        let deltas = starts + 2 * seg;
        let ranges = deltas + 2 * seg;
        for i in 0..seg {
            if c > self.u16_at(ends + 2 * i) as u32 {
                continue;
            }
            let start = self.u16_at(starts + 2 * i) as u32;
            if c < start {
                return 0;
            }
            let delta = self.u16_at(deltas + 2 * i) as u32;
            let range = self.u16_at(ranges + 2 * i) as usize;
            if range == 0 {
                return ((c + delta) & 0xFFFF) as usize;
            }
            let at = ranges + 2 * i + range + 2 * (c - start) as usize;
            let g = self.u16_at(at) as u32;
            return if g == 0 {
                0
            } else {
                ((g + delta) & 0xFFFF) as usize
            };
        }
        0
    }

    /// (advance, left side bearing) of `c`, in pixels per pixel of font size.
    pub(crate) fn h_metrics(&self, c: char) -> (f64, f64) {
        let g = self.glyph(c).min(self.n_glyphs.saturating_sub(1));
        let last = self.n_hmetrics.saturating_sub(1);
        let advance = self.u16_at(self.hmtx + 4 * g.min(last)) as f64;
        let lsb = if g < self.n_hmetrics {
            self.u16_at(self.hmtx + 4 * g + 2)
        } else {
            self.u16_at(self.hmtx + 4 * self.n_hmetrics + 2 * (g - self.n_hmetrics))
        } as i16 as f64;
        (advance / self.height_units, lsb / self.height_units)
    }
}

/// `text` cut with an ellipsis to fit `max_w` pixels.
fn fit_text(canvas: &Canvas, text: &str, size_px: f64, max_w: f64) -> String {
    if canvas.text_width(text, size_px) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    for n in (0..chars.len()).rev() {
        let s: String = chars[..n].iter().collect::<String>() + "…";
        if canvas.text_width(&s, size_px) <= max_w {
            return s;
        }
    }
    String::new()
}

/// Greedy word wrap of `text` into lines of at most `max_w` pixels (long words are cut).
fn wrap_text(canvas: &Canvas, text: &str, size_px: f64, max_w: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if canvas.text_width(&cand, size_px) <= max_w || cur.is_empty() {
            cur = cand;
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
        .into_iter()
        .map(|l| fit_text(canvas, &l, size_px, max_w))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Basemap
// ---------------------------------------------------------------------------------------------

/// The parsed basemap: polygons and lines in (lon, lat) degrees.
struct Basemap {
    land: Vec<Vec<Vec<(f64, f64)>>>,
    coast: Vec<Vec<(f64, f64)>>,
    borders: Vec<Vec<(f64, f64)>>,
    /// Name, label point, clearance (degrees) of the label point from the country's edge.
    labels: Vec<(String, (f64, f64), f64)>,
}

fn basemap() -> Result<&'static Basemap> {
    static BASEMAP: OnceLock<std::result::Result<Basemap, String>> = OnceLock::new();
    BASEMAP
        .get_or_init(|| parse_basemap(BASEMAP_GEOJSON).map_err(|e| format!("{e:#}")))
        .as_ref()
        .map_err(|e| anyhow!("embedded basemap: {e}"))
}

fn parse_basemap(text: &str) -> Result<Basemap> {
    use geojson::{GeoJson, GeometryValue as Value, Position};
    let gj: GeoJson = text.parse().context("parsing GeoJSON")?;
    let GeoJson::FeatureCollection(fc) = gj else {
        bail!("not a FeatureCollection");
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
        bail!("no land or coastline features");
    }
    Ok(map)
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
fn render_rgb(spec: &MapSpec) -> Result<Vec<u8>> {
    validate(spec)?;
    let base = basemap()?;
    let frame = map_frame();
    let proj = Projection::fit(view_bbox_deg(spec), frame);
    let mut cv = Canvas::new(IMAGE_W as usize, IMAGE_H as usize, PAGE_RGB);

    // Point labels are placed first so country names can keep clear of them.
    let placed = place_points(&cv, &proj, spec.points);
    let taken: Vec<Rect> = placed.iter().flat_map(|p| [p.marker, p.label]).collect();
    draw_basemap(&mut cv, &proj, base, &taken);
    draw_graticule_lines(&mut cv, &proj);
    draw_layers(&mut cv, &proj, spec.layers);
    draw_points(&mut cv, &placed);
    cv.stroke(&frame.ring(), 1.2, cv.full(), FRAME_RGB, 1.0);
    draw_graticule_labels(&mut cv, &proj);
    draw_titles(&mut cv, spec, &proj);
    let legend_bottom = draw_legend(&mut cv, spec);
    draw_scale_bar(&mut cv, &proj, legend_bottom + 18.0);
    Ok(cv.rgb)
}

fn draw_basemap(cv: &mut Canvas, proj: &Projection, base: &Basemap, taken: &[Rect]) {
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

/// Graticule spacing for the view, degrees.
fn graticule_step(proj: &Projection) -> f64 {
    let (lon0, lat0, lon1, lat1) = proj.view_bbox();
    let span = (lon1 - lon0).max(lat1 - lat0);
    GRATICULE_STEPS_DEG
        .iter()
        .copied()
        .find(|s| span / s <= GRATICULE_MAX_LINES)
        .unwrap_or(GRATICULE_STEPS_DEG[GRATICULE_STEPS_DEG.len() - 1])
}

/// Multiples of `step` in `[lo, hi]`.
fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

fn draw_graticule_lines(cv: &mut Canvas, proj: &Projection) {
    let (lon0, lat0, lon1, lat1) = proj.view_bbox();
    let step = graticule_step(proj);
    let f = proj.frame;
    for lon in ticks(lon0, lon1, step) {
        let (x, _) = proj.xy(lon, 0.0);
        cv.mask_stroke(&[(x, f.y0), (x, f.y1)], GRATICULE_WIDTH_PX, f);
    }
    for lat in ticks(lat0, lat1, step) {
        let (_, y) = proj.xy(0.0, lat);
        cv.mask_stroke(&[(f.x0, y), (f.x1, y)], GRATICULE_WIDTH_PX, f);
    }
    cv.paint(GRATICULE_RGB, GRATICULE_ALPHA);
}

/// "44°E", "33.5°N", "0°".
fn degree_label(v: f64, pos: char, neg: char, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else if step >= 0.5 {
        1
    } else {
        2
    };
    let hemi = if v > 1e-9 {
        pos.to_string()
    } else if v < -1e-9 {
        neg.to_string()
    } else {
        String::new()
    };
    format!("{:.*}°{hemi}", decimals, v.abs())
}

fn draw_graticule_labels(cv: &mut Canvas, proj: &Projection) {
    let (lon0, lat0, lon1, lat1) = proj.view_bbox();
    let step = graticule_step(proj);
    let f = proj.frame;
    let size = AXIS_LABEL_SIZE_PX;
    let full = cv.full();
    for lon in ticks(lon0, lon1, step) {
        let (x, _) = proj.xy(lon, 0.0);
        cv.stroke(&[(x, f.y1), (x, f.y1 + 5.0)], 1.0, full, FRAME_RGB, 1.0);
        let s = degree_label(lon, 'E', 'W', step);
        let w = cv.text_width(&s, size);
        let t = TextRun {
            text: &s,
            size_px: size,
            x: x - 0.5 * w,
            baseline: f.y1 + 8.0 + size * 0.8,
        };
        cv.text(&t, SECONDARY_RGB, false);
    }
    for lat in ticks(lat0, lat1, step) {
        let (_, y) = proj.xy(0.0, lat);
        cv.stroke(&[(f.x0 - 5.0, y), (f.x0, y)], 1.0, full, FRAME_RGB, 1.0);
        let s = degree_label(lat, 'N', 'S', step);
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

fn draw_layers(cv: &mut Canvas, proj: &Projection, layers: &[MapLayer]) {
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
fn marker_ring(kind: PointKind, x: f64, y: f64, size: f64) -> Vec<(f64, f64)> {
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

fn draw_marker(cv: &mut Canvas, kind: PointKind, x: f64, y: f64, clip: Rect) {
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
struct PlacedPoint<'p> {
    point: &'p MapPoint,
    x: f64,
    y: f64,
    /// The marker's box, pixels.
    marker: Rect,
    /// The label's box, pixels.
    label: Rect,
    /// Label position: left end and baseline.
    text_at: (f64, f64),
}

/// Places the markers inside the frame and their labels: for each, the first of right, left,
/// above, below that stays in the frame and hits no marker or earlier label; otherwise right.
fn place_points<'p>(
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

fn draw_points(cv: &mut Canvas, placed: &[PlacedPoint]) {
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

fn draw_titles(cv: &mut Canvas, spec: &MapSpec, proj: &Projection) {
    let max_w = PANEL_RIGHT - MAP_LEFT;
    let title = fit_text(cv, spec.title, TITLE_SIZE_PX, max_w);
    let t = TextRun {
        text: &title,
        size_px: TITLE_SIZE_PX,
        x: MAP_LEFT,
        baseline: 50.0,
    };
    cv.text(&t, TITLE_RGB, false);
    let subtitle = fit_text(cv, spec.subtitle, SUBTITLE_SIZE_PX, max_w);
    let t = TextRun {
        text: &subtitle,
        size_px: SUBTITLE_SIZE_PX,
        x: MAP_LEFT,
        baseline: 84.0,
    };
    cv.text(&t, SECONDARY_RGB, false);
    let note = format!(
        "{ATTRIBUTION}.  Equirectangular projection, x scaled by cos {:.1}°.",
        proj.lat_c
    );
    let t = TextRun {
        text: &note,
        size_px: ATTRIBUTION_SIZE_PX,
        x: MAP_LEFT,
        baseline: IMAGE_H as f64 - 22.0,
    };
    cv.text(&t, SECONDARY_RGB, false);
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

/// Composites `rgb` at `alpha` over `under` (for legend swatches that match the map's look).
fn over(rgb: (u8, u8, u8), alpha: f64, under: (u8, u8, u8)) -> (u8, u8, u8) {
    let mix = |a: u8, b: u8| (b as f64 + (a as f64 - b as f64) * alpha).round() as u8;
    (
        mix(rgb.0, under.0),
        mix(rgb.1, under.1),
        mix(rgb.2, under.2),
    )
}

/// Draws the legend in the side panel; returns its bottom edge.
fn draw_legend(cv: &mut Canvas, spec: &MapSpec) -> f64 {
    let text_x = PANEL_LEFT + PANEL_PAD + LEGEND_SWATCH_PX.0 + 10.0;
    let text_w = PANEL_RIGHT - PANEL_PAD - text_x;
    let line_h = LEGEND_TEXT_SIZE_PX * 1.3;
    let entry_gap = 8.0;
    let max_bottom = MAP_BOTTOM - 150.0;

    let mut kinds: Vec<(PointKind, &str)> = Vec::new();
    for (kind, name) in [
        (PointKind::Site, "Site"),
        (PointKind::Asset, "Defended asset"),
    ] {
        if spec.points.iter().any(|p| p.kind == kind) {
            kinds.push((kind, name));
        }
    }
    // Measure first: the box is drawn before its contents.
    let mut entries: Vec<(Option<&MapLayer>, Option<PointKind>, Vec<String>)> = Vec::new();
    for layer in spec.layers {
        entries.push((
            Some(layer),
            None,
            wrap_text(cv, &layer.label, LEGEND_TEXT_SIZE_PX, text_w),
        ));
    }
    for &(kind, name) in &kinds {
        entries.push((None, Some(kind), vec![name.to_string()]));
    }
    let heading_h = LEGEND_HEADING_SIZE_PX * 1.6;
    let entry_h = |lines: &Vec<String>| {
        (lines.len().max(1) as f64 * line_h).max(LEGEND_SWATCH_PX.1 + 4.0) + entry_gap
    };
    let mut height = PANEL_PAD + heading_h;
    let mut shown = 0;
    for e in &entries {
        if MAP_TOP + height + entry_h(&e.2) + line_h + PANEL_PAD > max_bottom {
            break;
        }
        height += entry_h(&e.2);
        shown += 1;
    }
    let hidden = entries.len() - shown;
    if hidden > 0 {
        height += line_h;
    }
    let divider = shown > spec.layers.len().min(shown) && spec.layers.len().min(shown) > 0;
    if divider {
        height += entry_gap;
    }
    height += PANEL_PAD - entry_gap;
    let r = Rect {
        x0: PANEL_LEFT,
        y0: MAP_TOP,
        x1: PANEL_RIGHT,
        y1: MAP_TOP + height,
    };
    panel_box(cv, r);
    let t = TextRun {
        text: "Legend",
        size_px: LEGEND_HEADING_SIZE_PX,
        x: PANEL_LEFT + PANEL_PAD,
        baseline: MAP_TOP + PANEL_PAD + LEGEND_HEADING_SIZE_PX * 0.8,
    };
    cv.text(&t, TITLE_RGB, false);
    let mut y = MAP_TOP + PANEL_PAD + heading_h;
    let full = cv.full();
    for (n, (layer, kind, lines)) in entries.iter().take(shown).enumerate() {
        if divider && n == spec.layers.len() {
            let yy = (y - 0.5 * entry_gap).round() + 0.5;
            cv.stroke(
                &[(PANEL_LEFT + PANEL_PAD, yy), (PANEL_RIGHT - PANEL_PAD, yy)],
                1.0,
                full,
                PANEL_BORDER_RGB,
                1.0,
            );
            y += entry_gap;
        }
        let sw = Rect {
            x0: PANEL_LEFT + PANEL_PAD,
            y0: y + 1.0,
            x1: PANEL_LEFT + PANEL_PAD + LEGEND_SWATCH_PX.0,
            y1: y + 1.0 + LEGEND_SWATCH_PX.1,
        };
        if let Some(layer) = layer {
            cv.fill_rect(sw, over(layer.rgb, layer.fill_opacity, LAND_RGB));
            let inner = Rect {
                x0: sw.x0 + 1.0,
                y0: sw.y0 + 1.0,
                x1: sw.x1 - 1.0,
                y1: sw.y1 - 1.0,
            };
            cv.stroke(&inner.ring(), LAYER_OUTLINE_WIDTH_PX, full, layer.rgb, 1.0);
        }
        if let Some(kind) = kind {
            let (cx, cy) = (0.5 * (sw.x0 + sw.x1), 0.5 * (sw.y0 + sw.y1));
            draw_marker(cv, *kind, cx, cy + 1.0, full);
        }
        for (k, line) in lines.iter().enumerate() {
            let t = TextRun {
                text: line,
                size_px: LEGEND_TEXT_SIZE_PX,
                x: text_x,
                baseline: y + LEGEND_TEXT_SIZE_PX * 0.95 + k as f64 * line_h,
            };
            cv.text(&t, TITLE_RGB, false);
        }
        y += entry_h(lines);
    }
    if hidden > 0 {
        let s = format!("… and {hidden} more");
        let t = TextRun {
            text: &s,
            size_px: LEGEND_TEXT_SIZE_PX,
            x: text_x,
            baseline: y + LEGEND_TEXT_SIZE_PX * 0.95,
        };
        cv.text(&t, SECONDARY_RGB, false);
    }
    r.y1
}

/// Largest "nice" length (1, 2, 2.5, 5 × 10ⁿ) not above `max`.
fn nice_length(max: f64) -> f64 {
    let decade = 10f64.powf(max.log10().floor());
    SCALE_NICE_STEPS
        .iter()
        .rev()
        .map(|s| s * decade)
        .find(|&v| v <= max * (1.0 + 1e-9))
        .unwrap_or(decade)
}

/// "500", "2.5", "0.25".
fn format_km(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn draw_scale_bar(cv: &mut Canvas, proj: &Projection, top: f64) {
    let m_per_px = proj.metres_per_px();
    let map_w_km = (proj.frame.x1 - proj.frame.x0) * m_per_px / 1000.0;
    // Room for the bar plus half of its end label.
    let inner_w = PANEL_RIGHT - PANEL_LEFT - 2.0 * PANEL_PAD - 24.0;
    let target_km = (map_w_km / 5.0).min(inner_w * m_per_px / 1000.0);
    let len_km = nice_length(target_km);
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

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/// Encodes the RGB buffer as PNG next to `path`, then renames it over `path`.
fn write_png_atomic(path: &Path, rgb: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "map".to_string());
    // The encoder picks the format from the extension, hence ".png" last.
    let tmp = dir.join(format!(".{name}.{}.tmp.png", std::process::id()));
    let result = (|| -> Result<()> {
        let mut backend = BitMapBackend::new(&tmp, (IMAGE_W, IMAGE_H));
        backend
            .blit_bitmap((0, 0), (IMAGE_W, IMAGE_H), rgb)
            .map_err(|e| anyhow!("{e}"))?;
        backend.present().map_err(|e| anyhow!("{e}"))?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.context(format!("writing map {}", tmp.display())));
    }
    std::fs::rename(&tmp, path).with_context(|| {
        let _ = std::fs::remove_file(&tmp);
        format!("renaming {} to {}", tmp.display(), path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAGHDAD: (f64, f64) = (44.3661, 33.3152);

    /// A circle of `radius_km` around (lon, lat), in degrees, on a local sphere (good enough for a
    /// test picture).
    fn circle(lon: f64, lat: f64, radius_km: f64) -> Vec<(f64, f64)> {
        let r_deg = radius_km / 111.2;
        (0..=96)
            .map(|k| {
                let a = k as f64 / 96.0 * std::f64::consts::TAU;
                (
                    lon + r_deg * a.cos() / lat.to_radians().cos(),
                    lat + r_deg * a.sin(),
                )
            })
            .collect()
    }

    fn example_layers() -> Vec<MapLayer> {
        let (lon, lat) = BAGHDAD;
        vec![
            MapLayer {
                label: "Surveillance radar, Pd ≥ 0.5 at 10 km altitude (synthetic)".to_string(),
                rgb: (31, 119, 180),
                fill_opacity: 0.25,
                polygons: vec![vec![circle(lon, lat, 390.0), circle(lon, lat, 60.0)]],
            },
            MapLayer {
                label: "Engagement zone, battery 2".to_string(),
                rgb: (214, 39, 40),
                fill_opacity: 0.30,
                polygons: vec![vec![circle(lon + 1.5, lat - 1.2, 120.0)]],
            },
        ]
    }

    fn example_points() -> Vec<MapPoint> {
        vec![
            MapPoint {
                label: "Radar site 1".to_string(),
                lon_deg: BAGHDAD.0,
                lat_deg: BAGHDAD.1,
                kind: PointKind::Site,
            },
            MapPoint {
                label: "Battery 2".to_string(),
                lon_deg: BAGHDAD.0 + 1.5,
                lat_deg: BAGHDAD.1 - 1.2,
                kind: PointKind::Site,
            },
            MapPoint {
                label: "Baghdad airport".to_string(),
                lon_deg: 44.2346,
                lat_deg: 33.2625,
                kind: PointKind::Asset,
            },
        ]
    }

    fn example_spec<'a>(layers: &'a [MapLayer], points: &'a [MapPoint]) -> MapSpec<'a> {
        MapSpec {
            title: "Radar coverage — Baghdad S-400 scenario",
            subtitle: "Target altitude 10 km, 4/3 Earth, Swerling 1, Pd ≥ 0.5",
            layers,
            points,
            bbox_deg: None,
        }
    }

    fn png_size(bytes: &[u8]) -> (u32, u32) {
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
        assert_eq!(&bytes[12..16], b"IHDR");
        let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        (w, h)
    }

    #[test]
    fn map_png_has_expected_size_and_is_deterministic() {
        let (layers, points) = (example_layers(), example_points());
        let spec = example_spec(&layers, &points);
        let dir = std::env::temp_dir().join(format!("iadsim-map-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (a, b) = (dir.join("a.png"), dir.join("b.png"));
        render_png(&a, &spec).unwrap();
        render_png(&b, &spec).unwrap();
        let (ba, bb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        assert_eq!(png_size(&ba), (IMAGE_W, IMAGE_H));
        assert!(ba == bb, "same spec must give the same bytes");
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 2);
        let _ = std::fs::copy(&a, "/tmp/map-example.png");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn map_hole_is_not_filled() {
        let layers = example_layers();
        let bbox = (38.0, 28.0, 51.0, 38.0);
        let with = MapSpec {
            title: "",
            subtitle: "",
            layers: &layers,
            points: &[],
            bbox_deg: Some(bbox),
        };
        let without = MapSpec {
            layers: &[],
            ..with
        };
        let (rgb, bare) = (render_rgb(&with).unwrap(), render_rgb(&without).unwrap());
        let proj = Projection::fit(bbox, map_frame());
        let px = |img: &[u8], lon: f64, lat: f64| {
            let (x, y) = proj.xy(lon, lat);
            let i = (y as usize * IMAGE_W as usize + x as usize) * 3;
            (img[i], img[i + 1], img[i + 2])
        };
        let (lon, lat) = BAGHDAD;
        // 20 km from the centre: inside the 60 km hole; 200 km: inside the ring.
        let hole = (lon - 0.2, lat + 0.1);
        let ring = (lon - 2.0, lat + 0.5);
        assert_eq!(px(&rgb, hole.0, hole.1), px(&bare, hole.0, hole.1));
        assert_ne!(px(&rgb, ring.0, ring.1), px(&bare, ring.0, ring.1));
    }

    #[test]
    fn map_layers_overlapping_in_one_layer_do_not_darken() {
        let (lon, lat) = BAGHDAD;
        let layers = vec![MapLayer {
            label: "two discs".to_string(),
            rgb: (0, 0, 0),
            fill_opacity: 0.5,
            polygons: vec![
                vec![circle(lon, lat, 100.0)],
                vec![circle(lon + 0.5, lat, 100.0)],
            ],
        }];
        let spec = MapSpec {
            title: "",
            subtitle: "",
            layers: &layers,
            points: &[],
            bbox_deg: None,
        };
        let rgb = render_rgb(&spec).unwrap();
        let proj = Projection::fit(view_bbox_deg(&spec), map_frame());
        let px = |lon: f64, lat: f64| {
            let (x, y) = proj.xy(lon, lat);
            rgb[(y as usize * IMAGE_W as usize + x as usize) * 3]
        };
        assert_eq!(px(lon - 0.3, lat + 0.3), px(lon + 0.25, lat + 0.3));
    }

    #[test]
    fn map_scale_matches_geodesic_along_the_parallel() {
        let proj = Projection::fit(
            (40.0, 30.0, 50.0, 36.0),
            Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 1000.0,
                y1: 1000.0,
            },
        );
        // 0.1° of longitude along the mid-latitude parallel: the geodesic and the parallel arc
        // agree to ~1e-6 at this length, so the tolerance is about the arc/chord difference.
        let px = 0.1 * proj.cos_lat0 * proj.px_per_deg;
        let g = iadsim_geo::inverse(proj.lat_c, 45.0, proj.lat_c, 45.1).unwrap();
        let rel = (px * proj.metres_per_px() - g.distance_m).abs() / g.distance_m;
        assert!(rel < 1e-5, "relative error {rel}");
    }

    #[test]
    fn map_rejects_bad_input() {
        let layers = vec![MapLayer {
            label: "bad".to_string(),
            rgb: (0, 0, 0),
            fill_opacity: 0.5,
            polygons: vec![vec![vec![(f64::NAN, 1.0), (2.0, 2.0), (3.0, 1.0)]]],
        }];
        let spec = MapSpec {
            title: "",
            subtitle: "",
            layers: &layers,
            points: &[],
            bbox_deg: None,
        };
        assert!(render_rgb(&spec).is_err());
        let spec = MapSpec {
            layers: &[],
            bbox_deg: Some((50.0, 30.0, 40.0, 35.0)),
            ..spec
        };
        assert!(render_rgb(&spec).is_err());
    }

    #[test]
    fn map_font_metrics_agree_with_plotters() {
        assert!(fonts_registered());
        let m = FontMetrics::parse(FONT_TTF).unwrap();
        // plotters truncates its layout width to whole pixels, hence 100 repetitions and 1 px.
        for c in ['M', 'i', 'a', '°', '≥', 'ö'] {
            let text: String = std::iter::repeat_n(c, 100).collect();
            let (w, _) = Canvas::font(20.0).box_size(&text).unwrap();
            let ours = 100.0 * 20.0 * m.h_metrics(c).0;
            assert!((ours - w as f64).abs() <= 1.0, "{c}: {ours} vs {w}");
        }
    }

    #[test]
    fn map_nice_lengths() {
        assert_eq!(nice_length(740.0), 500.0);
        assert_eq!(nice_length(260.0), 250.0);
        assert_eq!(nice_length(199.0), 100.0);
        assert_eq!(nice_length(2.0), 2.0);
        assert_eq!(format_km(2.5), "2.5");
        assert_eq!(format_km(500.0), "500");
    }
}
