//! Coverage maps: where a target of given RCS, Swerling case and altitude is detected with at
//! least a given probability.
//!
//! The map is a regular latitude/longitude grid. For each cell the target is placed at the
//! requested altitude (above the ellipsoid, or above the terrain when a DEM is given and the
//! altitude is above ground) and tested against the radar exactly as [`crate::Radar::look`] would
//! (range from the calibrated radar equation, instrumented range, sector, elevation limits,
//! altitude ceiling, 4/3-earth horizon, terrain masking), except for two approximations that keep
//! a 1000 × 1000 map well under a second:
//! * the ground distance and azimuth from the antenna use a sphere of the mean earth radius
//!   (haversine and initial bearing) instead of the WGS-84 geodesic — about 0.3 % in distance;
//! * terrain masking is evaluated on radial profiles, one per `360°/radials`, each cell taking the
//!   nearest radial ([`iadsim_geo::terrain_horizon_profile`]).
//!
//! The Doppler notch is not applied (it depends on the target's heading, not on its position).
use crate::detection::Swerling;
use crate::{Radar, SensorError};
use iadsim_geo::{
    radar_horizon_m, terrain_horizon_profile, Dem, RadialProfile, EFFECTIVE_EARTH_RADIUS_M,
    MEAN_EARTH_RADIUS_M,
};
use rayon::prelude::*;
use std::f64::consts::TAU;

/// What the altitude of a coverage target is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AltitudeReference {
    /// Above the terrain (the DEM), or above the ellipsoid where there is no DEM.
    Ground,
    /// Above the WGS-84 ellipsoid (≈ above mean sea level).
    Ellipsoid,
}

/// The target a coverage map is drawn for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoverageTarget {
    /// RCS, m².
    pub rcs_m2: f64,
    /// Fluctuation model.
    pub swerling: Swerling,
    /// Altitude, m.
    pub altitude_m: f64,
    /// What the altitude is measured from.
    pub reference: AltitudeReference,
}

/// A regular latitude/longitude grid of cell centres; row 0 is the southernmost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// Southern edge, deg.
    pub lat_min_deg: f64,
    /// Northern edge, deg.
    pub lat_max_deg: f64,
    /// Western edge, deg.
    pub lon_min_deg: f64,
    /// Eastern edge, deg.
    pub lon_max_deg: f64,
    /// Rows (latitude).
    pub rows: usize,
    /// Columns (longitude).
    pub cols: usize,
}

impl Grid {
    /// A square grid of `n × n` cells centred on (`lat_deg`, `lon_deg`) reaching `half_extent_m`
    /// north, south, east and west.
    pub fn around(lat_deg: f64, lon_deg: f64, half_extent_m: f64, n: usize) -> Grid {
        let dlat = (half_extent_m / MEAN_EARTH_RADIUS_M).to_degrees();
        let dlon = dlat / lat_deg.to_radians().cos().max(0.05);
        Grid {
            lat_min_deg: (lat_deg - dlat).max(-89.9),
            lat_max_deg: (lat_deg + dlat).min(89.9),
            lon_min_deg: lon_deg - dlon,
            lon_max_deg: lon_deg + dlon,
            rows: n,
            cols: n,
        }
    }

    /// Latitude of the centre of row `r`, deg.
    pub fn lat_deg(&self, r: usize) -> f64 {
        self.lat_min_deg
            + (r as f64 + 0.5) * (self.lat_max_deg - self.lat_min_deg) / self.rows as f64
    }

    /// Longitude of the centre of column `c`, deg.
    pub fn lon_deg(&self, c: usize) -> f64 {
        self.lon_min_deg
            + (c as f64 + 0.5) * (self.lon_max_deg - self.lon_min_deg) / self.cols as f64
    }

    /// Area of one cell of row `r` on the mean-radius sphere, m².
    pub fn cell_area_m2(&self, r: usize) -> f64 {
        let dlat = (self.lat_max_deg - self.lat_min_deg).to_radians() / self.rows as f64;
        let dlon = (self.lon_max_deg - self.lon_min_deg).to_radians() / self.cols as f64;
        let lat0 = self.lat_min_deg.to_radians() + r as f64 * dlat;
        MEAN_EARTH_RADIUS_M.powi(2) * dlon * ((lat0 + dlat).sin() - lat0.sin())
    }

    /// Size of a cell along a meridian, m.
    pub fn cell_height_m(&self) -> f64 {
        (self.lat_max_deg - self.lat_min_deg).to_radians() / self.rows as f64 * MEAN_EARTH_RADIUS_M
    }
}

/// A boolean map over a [`Grid`] (row-major, row 0 south) with its summary figures.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageMap {
    /// The grid.
    pub grid: Grid,
    /// Whether each cell is covered.
    pub covered: Vec<bool>,
}

impl CoverageMap {
    /// An empty map.
    pub fn empty(grid: Grid) -> CoverageMap {
        CoverageMap {
            grid,
            covered: vec![false; grid.rows * grid.cols],
        }
    }

    /// Covered area, m².
    pub fn area_m2(&self) -> f64 {
        (0..self.grid.rows)
            .map(|r| {
                let n = self.covered[r * self.grid.cols..(r + 1) * self.grid.cols]
                    .iter()
                    .filter(|&&c| c)
                    .count();
                n as f64 * self.grid.cell_area_m2(r)
            })
            .sum()
    }

    /// Cell-wise OR.
    pub fn union(&mut self, other: &CoverageMap) {
        for (a, b) in self.covered.iter_mut().zip(&other.covered) {
            *a |= *b;
        }
    }

    /// Cell-wise AND.
    pub fn intersect(&mut self, other: &CoverageMap) {
        for (a, b) in self.covered.iter_mut().zip(&other.covered) {
            *a &= *b;
        }
    }

    /// Largest ground distance (mean-radius sphere) from (`lat_deg`, `lon_deg`) to a covered cell
    /// centre, m; 0 when nothing is covered.
    pub fn max_distance_from_m(&self, lat_deg: f64, lon_deg: f64) -> f64 {
        let geo = GridGeometry::new(&self.grid, lat_deg, lon_deg);
        let mut best: f64 = 0.0;
        for r in 0..self.grid.rows {
            for c in 0..self.grid.cols {
                if self.covered[r * self.grid.cols + c] {
                    best = best.max(geo.distance_m(r, c));
                }
            }
        }
        best
    }
}

/// Ground distance and bearing from one origin to every cell of a grid, with the trigonometry
/// that depends only on the row or only on the column computed once: the haversine
/// `h = sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2)` splits into a row term and a row × column product,
/// and the bearing `atan2(sin Δλ cos φ₂, cos φ₁ sin φ₂ − sin φ₁ cos φ₂ cos Δλ)` likewise.
pub struct GridGeometry {
    sin2_dlat: Vec<f64>,
    cos_prod: Vec<f64>,
    cos_p2: Vec<f64>,
    row_b: Vec<f64>,
    row_c: Vec<f64>,
    sin2_dlon: Vec<f64>,
    sin_dlon: Vec<f64>,
    cos_dlon: Vec<f64>,
}

impl GridGeometry {
    /// Precomputes the terms for `grid` seen from (`lat_deg`, `lon_deg`).
    pub fn new(grid: &Grid, lat_deg: f64, lon_deg: f64) -> GridGeometry {
        let p1 = lat_deg.to_radians();
        let (sp1, cp1) = p1.sin_cos();
        let mut g = GridGeometry {
            sin2_dlat: Vec::with_capacity(grid.rows),
            cos_prod: Vec::with_capacity(grid.rows),
            cos_p2: Vec::with_capacity(grid.rows),
            row_b: Vec::with_capacity(grid.rows),
            row_c: Vec::with_capacity(grid.rows),
            sin2_dlon: Vec::with_capacity(grid.cols),
            sin_dlon: Vec::with_capacity(grid.cols),
            cos_dlon: Vec::with_capacity(grid.cols),
        };
        for r in 0..grid.rows {
            let p2 = grid.lat_deg(r).to_radians();
            let (sp2, cp2) = p2.sin_cos();
            g.sin2_dlat.push(((p2 - p1) / 2.0).sin().powi(2));
            g.cos_prod.push(cp1 * cp2);
            g.cos_p2.push(cp2);
            g.row_b.push(cp1 * sp2);
            g.row_c.push(sp1 * cp2);
        }
        for c in 0..grid.cols {
            let dl = (grid.lon_deg(c) - lon_deg).to_radians();
            g.sin2_dlon.push((dl / 2.0).sin().powi(2));
            let (s, co) = dl.sin_cos();
            g.sin_dlon.push(s);
            g.cos_dlon.push(co);
        }
        g
    }

    /// Ground distance to cell (`r`, `c`) on the mean-radius sphere, m.
    #[inline]
    pub fn distance_m(&self, r: usize, c: usize) -> f64 {
        let h = self.sin2_dlat[r] + self.cos_prod[r] * self.sin2_dlon[c];
        2.0 * MEAN_EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
    }

    /// Initial bearing to cell (`r`, `c`), rad clockwise from north in [0, 2π).
    #[inline]
    pub fn bearing_rad(&self, r: usize, c: usize) -> f64 {
        let y = self.sin_dlon[c] * self.cos_p2[r];
        let x = self.row_b[r] - self.row_c[r] * self.cos_dlon[c];
        y.atan2(x).rem_euclid(TAU)
    }
}

/// Haversine ground distance (m) and initial bearing (rad, clockwise from north) on the
/// mean-radius sphere.
pub fn distance_bearing(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> (f64, f64) {
    let (p1, p2) = (lat1_deg.to_radians(), lat2_deg.to_radians());
    let dl = (lon2_deg - lon1_deg).to_radians();
    let h = ((p2 - p1) / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    let d = 2.0 * MEAN_EARTH_RADIUS_M * h.sqrt().min(1.0).asin();
    let y = dl.sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos();
    (d, y.atan2(x).rem_euclid(TAU))
}

/// Whether the straight ray between heights `h1` and `h2` separated by ground distance `d` clears
/// the smooth 4/3 earth (the same test as `iadsim_geo::line_of_sight_4_3`).
fn clears_smooth_earth(h1: f64, h2: f64, d: f64) -> bool {
    let kr = EFFECTIVE_EARTH_RADIUS_M;
    let theta = d / kr;
    let (r1, r2) = (kr + h1.max(0.0), kr + h2.max(0.0));
    let (px, py) = (r2 * theta.cos() - r1, r2 * theta.sin());
    let len2 = px * px + py * py;
    let t = if len2 > 0.0 {
        (-(r1 * px) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (r1 + t * px).hypot(t * py) >= kr
}

/// The detection coverage of one radar against `target` with probability at least `pd_min`.
/// `radials` terrain profiles are computed when a DEM is given.
pub fn radar_coverage(
    radar: &Radar,
    target: &CoverageTarget,
    pd_min: f64,
    grid: &Grid,
    dem: Option<&Dem>,
    radials: usize,
) -> Result<CoverageMap, SensorError> {
    let p = &radar.params;
    let detect_m = p
        .detection
        .range_for(target.rcs_m2, pd_min, target.swerling)?
        .min(p.instrumented_range_m);
    let antenna = p.antenna;
    let (alat, alon) = (antenna.lat_deg(), antenna.lon_deg());
    let radials = radials.max(8);
    // Terrain profiles only need to reach the horizon of the highest possible target.
    let highest_target_m = match (target.reference, dem) {
        (AltitudeReference::Ground, Some(dem)) => target.altitude_m + dem.highest_post_m(),
        _ => target.altitude_m,
    };
    let profile_m = detect_m.min(radar_horizon_m(antenna.alt_m, highest_target_m) + 1_000.0);
    let profiles: Vec<RadialProfile> = match dem {
        Some(dem) => {
            let step = (grid.cell_height_m() / 2.0).clamp(30.0, 1000.0);
            (0..radials)
                .into_par_iter()
                .map(|i| {
                    let az = 360.0 * i as f64 / radials as f64;
                    terrain_horizon_profile(dem, &antenna, az, profile_m, step)
                })
                .collect()
        }
        None => Vec::new(),
    };
    let geo = GridGeometry::new(grid, alat, alon);
    let mut map = CoverageMap::empty(*grid);
    let r_e = MEAN_EARTH_RADIUS_M;
    // Rows are independent: fill them in parallel (each cell's answer depends on nothing else,
    // so the result is the same for any thread count).
    map.covered
        .par_chunks_mut(grid.cols)
        .enumerate()
        .for_each(|(r, row)| {
            let lat = grid.lat_deg(r);
            for (c, cell) in row.iter_mut().enumerate() {
                let d = geo.distance_m(r, c);
                if d > detect_m {
                    continue;
                }
                let az = geo.bearing_rad(r, c);
                if p.outside_sector(az) {
                    continue;
                }
                let ground = match (target.reference, dem) {
                    (AltitudeReference::Ground, Some(dem)) => {
                        dem.height_m(lat, grid.lon_deg(c)).unwrap_or(0.0)
                    }
                    _ => 0.0,
                };
                let h = ground + target.altitude_m;
                if h > p.max_altitude_m {
                    continue;
                }
                // Slant range and geometric elevation on the mean-radius sphere.
                let theta = d / r_e;
                let (st, ct) = theta.sin_cos();
                let (r1, r2) = (r_e + antenna.alt_m, r_e + h);
                let slant = (r1 * r1 + r2 * r2 - 2.0 * r1 * r2 * ct).max(0.0).sqrt();
                if slant > detect_m {
                    continue;
                }
                let elevation = (r2 * ct - r1).atan2(r2 * st);
                if elevation < p.min_elevation_rad || elevation > p.max_elevation_rad {
                    continue;
                }
                if !clears_smooth_earth(antenna.alt_m, h, d) {
                    continue;
                }
                if !profiles.is_empty() {
                    let i = ((az / TAU) * radials as f64).round() as usize % radials;
                    if !profiles[i].visible(d, h) {
                        continue;
                    }
                }
                *cell = true;
            }
        });
    Ok(map)
}
