//! Pixel rectangles, the map projection (lon/lat to pixels and metres per pixel) and areas.

use super::{MapLayer, WGS84_A_M, WGS84_E2};

/// Axis-aligned rectangle in pixels, `x0 <= x1`, `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rect {
    pub(super) x0: f64,
    pub(super) y0: f64,
    pub(super) x1: f64,
    pub(super) y1: f64,
}

impl Rect {
    pub(super) fn intersects(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    pub(super) fn contains(&self, o: &Rect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }
    pub(super) fn ring(&self) -> Vec<(f64, f64)> {
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
pub(super) struct Projection {
    pub(super) lon_c: f64,
    pub(super) lat_c: f64,
    pub(super) cos_lat0: f64,
    /// Pixels per degree of latitude.
    pub(super) px_per_deg: f64,
    pub(super) frame: Rect,
}

impl Projection {
    /// Fits `bbox` (lon_min, lat_min, lon_max, lat_max) into `frame`, widening it in one direction
    /// so the frame is filled without distortion.
    pub(super) fn fit(bbox: (f64, f64, f64, f64), frame: Rect) -> Projection {
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
    pub(super) fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        let cx = 0.5 * (self.frame.x0 + self.frame.x1);
        let cy = 0.5 * (self.frame.y0 + self.frame.y1);
        (
            cx + (lon - self.lon_c) * self.cos_lat0 * self.px_per_deg,
            cy - (lat - self.lat_c) * self.px_per_deg,
        )
    }
    pub(super) fn lonlat(&self, x: f64, y: f64) -> (f64, f64) {
        let cx = 0.5 * (self.frame.x0 + self.frame.x1);
        let cy = 0.5 * (self.frame.y0 + self.frame.y1);
        (
            self.lon_c + (x - cx) / (self.cos_lat0 * self.px_per_deg),
            self.lat_c - (y - cy) / self.px_per_deg,
        )
    }
    /// The view actually shown, (lon_min, lat_min, lon_max, lat_max).
    pub(super) fn view_bbox(&self) -> (f64, f64, f64, f64) {
        let (lon0, lat0) = self.lonlat(self.frame.x0, self.frame.y1);
        let (lon1, lat1) = self.lonlat(self.frame.x1, self.frame.y0);
        (lon0, lat0, lon1, lat1)
    }
    /// Metres per pixel along the mid-latitude parallel (WGS-84).
    pub(super) fn metres_per_px(&self) -> f64 {
        let phi = self.lat_c.to_radians();
        let n = WGS84_A_M / (1.0 - WGS84_E2 * phi.sin().powi(2)).sqrt();
        // One pixel is 1 / (cos φ0 · px_per_deg) degrees of longitude; the parallel's radius is
        // N cos φ0, so the cosines cancel.
        n * std::f64::consts::PI / 180.0 / self.px_per_deg
    }
    pub(super) fn ring_px(&self, ring: &[(f64, f64)]) -> Vec<(f64, f64)> {
        ring.iter().map(|&(lon, lat)| self.xy(lon, lat)).collect()
    }
}

/// Shoelace area of a ring, in its own units squared (absolute).
pub(super) fn ring_area(ring: &[(f64, f64)]) -> f64 {
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
pub(super) fn layer_area(layer: &MapLayer, cos_lat0: f64) -> f64 {
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
