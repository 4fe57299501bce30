//! Detection and engagement coverage of a scenario's sites (`iadsim coverage`).
//!
//! For each radar: the cells where the target is detected with at least the requested Pd
//! ([`iadsim_sensors::coverage::radar_coverage`]). For each site: the union of its radars. For
//! each missile type a site carries: the cells where the target, at that altitude, is inside the
//! missile's published ground-range and altitude limits (the ballistic range limit for a
//! ballistic target) *and* inside the detection coverage of one of the site's engagement radars
//! (no fire-control track, no shot).
use crate::scenario::{RadarRole, Scenario, Site};
use crate::world::{build_radar, load_terrain};
use crate::EngineError;
use iadsim_core::SensorId;
use iadsim_geo::{radar_horizon_m, Dem, Geodetic};
use iadsim_sensors::coverage::{
    distance_bearing, radar_coverage, AltitudeReference, CoverageMap, CoverageTarget, Grid,
    GridGeometry,
};
use iadsim_sensors::Radar;
use std::sync::Arc;

/// What a coverage layer describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerKind {
    /// One radar's detection coverage.
    Radar,
    /// The union of a site's radars.
    Site,
    /// A missile type's engagement envelope.
    Missile,
}

/// One computed layer.
#[derive(Debug, Clone)]
pub struct CoverageLayer {
    /// Site name.
    pub site: String,
    /// Radar preset, missile type, or "all radars".
    pub name: String,
    /// What it is.
    pub kind: LayerKind,
    /// The map.
    pub map: CoverageMap,
    /// Largest ground distance from the site to a covered cell, m.
    pub max_range_m: f64,
    /// Covered area, m².
    pub area_m2: f64,
}

/// A coverage request.
#[derive(Debug, Clone)]
pub struct CoverageRequest {
    /// The target.
    pub target: CoverageTarget,
    /// Whether the target is ballistic (selects the missiles' ballistic range limit).
    pub ballistic: bool,
    /// Minimum probability of detection.
    pub pd: f64,
    /// Cells along each side of the grid.
    pub cells: usize,
    /// Terrain radial profiles per full circle.
    pub radials: usize,
    /// Terrain to use instead of the scenario's (`None`: the scenario's, if any).
    pub terrain: Option<Arc<Dem>>,
}

/// Computes every layer. `progress(done, total)` is called after each radar.
pub fn coverage(
    scenario: &Scenario,
    request: &CoverageRequest,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<CoverageLayer>, EngineError> {
    let terrain = match (&request.terrain, &scenario.terrain) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(source)) => Some(Arc::new(load_terrain(source)?)),
        (None, None) => None,
    };
    let total: usize = scenario.sites.iter().map(|s| s.radars.len()).sum();
    let mut done = 0;
    let mut layers = Vec::new();
    // Build every radar first: the grid must reach the farthest detection of this target.
    let (radars, reach_m) = build_radars(scenario, request, terrain.clone())?;
    let (lat0, lon0) = centre(scenario);
    let extent = reach_m + scenario_spread_m(scenario, lat0, lon0);
    let grid = Grid::around(lat0, lon0, extent * 1.05, request.cells.max(16));
    let mut radars = radars.into_iter();
    for site in &scenario.sites {
        let ground = Geodetic::from_degrees(
            site.position.lat_deg,
            site.position.lon_deg,
            site.position.alt_m,
        );
        let mut site_map = CoverageMap::empty(grid);
        let mut engagement_map = CoverageMap::empty(grid);
        for r in &site.radars {
            let Some(radar) = radars.next() else {
                break;
            };
            let map = radar_coverage(
                &radar,
                &request.target,
                request.pd,
                &grid,
                terrain.as_deref(),
                request.radials,
            )
            .map_err(|source| EngineError::Radar {
                radar: r.preset.clone(),
                source,
            })?;
            site_map.union(&map);
            if r.spec.role == RadarRole::Engagement {
                engagement_map.union(&map);
            }
            layers.push(layer(&site.name, &r.preset, LayerKind::Radar, map, ground));
            done += 1;
            progress(done, total);
        }
        layers.push(layer(
            &site.name,
            "all radars",
            LayerKind::Site,
            site_map,
            ground,
        ));
        missile_layers(scenario, request, site, &engagement_map, &mut layers);
    }
    Ok(layers)
}

/// Every radar of the scenario, in site order, and the farthest any of them detects the target
/// (at least 1 km).
fn build_radars(
    scenario: &Scenario,
    request: &CoverageRequest,
    terrain: Option<Arc<Dem>>,
) -> Result<(Vec<Radar>, f64), EngineError> {
    let mut radars = Vec::new();
    let mut reach_m: f64 = 1_000.0;
    // A target following the terrain can stand as high as the highest post of the DEM.
    let terrain_margin_m = match (&terrain, request.target.reference) {
        (Some(dem), AltitudeReference::Ground) => dem.highest_post_m(),
        _ => 0.0,
    };
    for site in &scenario.sites {
        let ground = Geodetic::from_degrees(
            site.position.lat_deg,
            site.position.lon_deg,
            site.position.alt_m,
        );
        for r in &site.radars {
            let radar = build_radar(
                &r.spec,
                &r.preset,
                SensorId(radars.len() as u32),
                ground,
                terrain.clone(),
            )?;
            let detect = radar
                .params
                .detection
                .range_for(request.target.rcs_m2, request.pd, request.target.swerling)
                .map_err(|source| EngineError::Radar {
                    radar: r.preset.clone(),
                    source,
                })?;
            let horizon = radar_horizon_m(
                radar.params.antenna.alt_m,
                request.target.altitude_m + terrain_margin_m,
            );
            reach_m = reach_m.max(detect.min(r.spec.instrumented_range_m).min(horizon));
            radars.push(radar);
        }
    }
    Ok((radars, reach_m))
}

/// For each missile type the site carries: the cells inside its published ground-range and
/// altitude limits and inside the site's engagement-radar coverage.
fn missile_layers(
    scenario: &Scenario,
    request: &CoverageRequest,
    site: &Site,
    engagement_map: &CoverageMap,
    layers: &mut Vec<CoverageLayer>,
) {
    let grid = engagement_map.grid;
    let ground = Geodetic::from_degrees(
        site.position.lat_deg,
        site.position.lon_deg,
        site.position.alt_m,
    );
    let geo = GridGeometry::new(&grid, ground.lat_deg(), ground.lon_deg());
    let mut types: Vec<&String> = site.launchers.iter().flat_map(|l| &l.load).collect();
    types.sort();
    types.dedup();
    for m in types {
        let Some(spec) = scenario.missiles.get(m) else {
            continue;
        };
        let max_range_m = if request.ballistic {
            spec.max_range_ballistic_m
        } else {
            spec.max_range_m
        };
        let mut map = CoverageMap::empty(grid);
        let altitude_ok =
            (spec.min_altitude_m..=spec.max_altitude_m).contains(&request.target.altitude_m);
        if altitude_ok {
            for row in 0..grid.rows {
                for col in 0..grid.cols {
                    let d = geo.distance_m(row, col);
                    map.covered[row * grid.cols + col] = d >= spec.min_range_m && d <= max_range_m;
                }
            }
        }
        map.intersect(engagement_map);
        layers.push(layer(&site.name, m, LayerKind::Missile, map, ground));
    }
}

fn layer(
    site: &str,
    name: &str,
    kind: LayerKind,
    map: CoverageMap,
    ground: Geodetic,
) -> CoverageLayer {
    CoverageLayer {
        site: site.to_string(),
        name: name.to_string(),
        kind,
        max_range_m: map.max_distance_from_m(ground.lat_deg(), ground.lon_deg()),
        area_m2: map.area_m2(),
        map,
    }
}

/// Mean position of the sites (the assets when there is no site).
fn centre(s: &Scenario) -> (f64, f64) {
    let points: Vec<(f64, f64)> = if s.sites.is_empty() {
        s.assets
            .iter()
            .map(|a| (a.position.lat_deg, a.position.lon_deg))
            .collect()
    } else {
        s.sites
            .iter()
            .map(|x| (x.position.lat_deg, x.position.lon_deg))
            .collect()
    };
    if points.is_empty() {
        return (0.0, 0.0);
    }
    let n = points.len() as f64;
    (
        points.iter().map(|p| p.0).sum::<f64>() / n,
        points.iter().map(|p| p.1).sum::<f64>() / n,
    )
}

fn scenario_spread_m(s: &Scenario, lat0: f64, lon0: f64) -> f64 {
    s.sites
        .iter()
        .map(|x| distance_bearing(lat0, lon0, x.position.lat_deg, x.position.lon_deg).0)
        .fold(0.0, f64::max)
}
