//! Launch acceptability region (LAR): where a launch ends in a kill-range miss, by full guided
//! 3-DOF engagements.
//!
//! The target flies straight and level (constant speed along a great circle at constant height
//! above the ellipsoid) with a heading given relative to the launcher: it starts due north of the
//! launcher at the launch ground range, with true heading = relative heading, so 180° is flying
//! straight at the launcher's site. The missile is launched at time 0 on the azimuth of
//! [`predict_intercept_3dof`] (or at the target if no intercept is predicted) and guides on the
//! **exact** target state (no tracking error). An engagement succeeds when the closest approach
//! is within `lethal_radius_m`.
//!
//! For each target height, the engagements on the range grid form one row of the matrix; the
//! maximum and minimum launch ranges are then refined by bisection between the outermost success
//! and the failure next to it ([`LarSpec::refine_bisections`] engagements each), assuming a
//! single interval of success between them. Everything is deterministic: cells run in parallel
//! (rayon) but are collected in grid order; the progress callback is called from the calling
//! thread after each row and each refinement.
use crate::aero::MissileAero;
use crate::engagement::{simulate_engagement, EngagementOutcome, LauncherFrame};
use crate::flight::{FlightOptions, TargetEstimate};
use crate::table::{check_grid, predict_intercept_3dof, FlyoutTable};
use crate::InterceptorError;
use iadsim_geo::{Ecef, Geodetic};
use nalgebra::Vector3;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// What to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LarSpec {
    /// Target ground speed, m/s.
    pub target_speed_mps: f64,
    /// Target heading relative to the launcher, degrees (180 = straight at the launcher).
    pub target_heading_deg: f64,
    /// Target heights above the ellipsoid (launcher at height 0), m, strictly increasing.
    pub altitudes_m: Vec<f64>,
    /// Launch ground ranges of the matrix, m, strictly increasing.
    pub ground_ranges_m: Vec<f64>,
    /// Latitude of the launcher, degrees.
    pub latitude_deg: f64,
    /// Integration step, s.
    pub dt_s: f64,
    /// Bisection engagements for each of the two edges of each row.
    pub refine_bisections: u32,
    /// Guidance-phase constants.
    pub options: FlightOptions,
}

/// One matrix cell.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LarCell {
    /// Launch ground range, m.
    pub ground_range_m: f64,
    /// Target height, m.
    pub altitude_m: f64,
    /// Miss distance within the lethal radius.
    pub intercept: bool,
    /// Closest approach, m, if one was reached before a loss.
    pub miss_distance_m: Option<f64>,
    /// Time of flight to the closest approach (or the loss), s.
    pub time_of_flight_s: f64,
}

/// The envelope at one target height.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LarRow {
    /// Target height, m.
    pub altitude_m: f64,
    /// Largest launch ground range that intercepts, m (`None`: none in the grid).
    pub max_launch_range_m: Option<f64>,
    /// Smallest launch ground range that intercepts, m.
    pub min_launch_range_m: Option<f64>,
    /// Time of flight at the maximum launch range, s.
    pub time_of_flight_at_max_s: Option<f64>,
    /// Whether the maximum is the last grid range (the true maximum may be larger).
    pub max_at_grid_edge: bool,
}

/// The launch acceptability region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaunchEnvelope3Dof {
    /// The request.
    pub spec: LarSpec,
    /// One row per target height.
    pub rows: Vec<LarRow>,
    /// Matrix cells, row-major: `cells[i_alt * n_ranges + i_range]`.
    pub cells: Vec<LarCell>,
}

/// The target of a LAR engagement: straight and level flight.
#[derive(Debug, Clone, Copy)]
pub struct LevelFlight {
    p0: Vector3<f64>,
    east_dir: Vector3<f64>,
    radius: f64,
    alt_m: f64,
    speed_mps: f64,
}

impl LevelFlight {
    /// A target at `start` (geodetic) flying at `speed_mps` on true heading `heading_rad`.
    pub fn new(start: Geodetic, heading_rad: f64, speed_mps: f64) -> LevelFlight {
        let p0 = start.to_ecef().0;
        let (sl, cl) = start.lat_rad.sin_cos();
        let (so, co) = start.lon_rad.sin_cos();
        let north = Vector3::new(-sl * co, -sl * so, cl);
        let east = Vector3::new(-so, co, 0.0);
        let (sh, ch) = heading_rad.sin_cos();
        let dir = north * ch + east * sh;
        // The great circle through p0 (geocentric) along the horizontal direction `dir`.
        let radius = p0.norm();
        let r_hat = p0 / radius;
        let t_hat = (dir - r_hat * r_hat.dot(&dir)).normalize();
        LevelFlight {
            p0: r_hat,
            east_dir: t_hat,
            radius,
            alt_m: start.alt_m,
            speed_mps,
        }
    }

    /// The exact state at time `t_s` (position on the great circle with the height above the
    /// ellipsoid held constant; velocity horizontal at `speed_mps`).
    pub fn at(&self, t_s: f64) -> TargetEstimate {
        let ang = self.speed_mps * t_s / self.radius;
        let (s, c) = ang.sin_cos();
        let on_circle = (self.p0 * c + self.east_dir * s) * self.radius;
        let tangent = self.east_dir * c - self.p0 * s;
        let mut geo = Ecef(on_circle).to_geodetic();
        geo.alt_m = self.alt_m;
        let up = geo.up();
        let horiz = (tangent - up * up.dot(&tangent)).normalize();
        TargetEstimate {
            position_ecef_m: geo.to_ecef().0,
            velocity_ecef_mps: horiz * self.speed_mps,
            acceleration_ecef_mps2: None,
        }
    }
}

/// One LAR engagement at launch ground range `r` and target height `h`.
fn engage(
    aero: &MissileAero,
    table: &FlyoutTable,
    spec: &LarSpec,
    site: &LauncherFrame,
    r: f64,
    h: f64,
) -> Result<EngagementOutcome, InterceptorError> {
    let launcher = site.geodetic().to_ecef().0;
    let north = site.point_north(r, 0.0);
    let mut start = Ecef(north).to_geodetic();
    start.alt_m = h;
    let target = LevelFlight::new(
        start,
        spec.target_heading_deg.to_radians(),
        spec.target_speed_mps,
    );
    let t0 = target.at(0.0);
    let azimuth =
        predict_intercept_3dof(table, &launcher, &t0.position_ecef_m, &t0.velocity_ecef_mps)
            .map(|p| p.launch_azimuth_rad)
            .unwrap_or(0.0);
    simulate_engagement(
        aero,
        spec.options,
        launcher,
        azimuth,
        |t| target.at(t),
        spec.dt_s,
    )
}

fn success(aero: &MissileAero, o: &EngagementOutcome) -> bool {
    matches!(o.miss_distance_m, Some(m) if m <= aero.lethal_radius_m)
}

/// Compute the launch acceptability region of `aero` (whose flyout `table` aims the launches)
/// against the target of `spec`. `progress(done, total)` is called after each matrix row and each
/// row's edge refinement; the last call has `done == total`.
pub fn launch_acceptability_region(
    aero: &MissileAero,
    table: &FlyoutTable,
    spec: &LarSpec,
    mut progress: impl FnMut(usize, usize),
) -> Result<LaunchEnvelope3Dof, InterceptorError> {
    aero.validate()?;
    check_grid("altitudes_m", &spec.altitudes_m)?;
    check_grid("ground_ranges_m", &spec.ground_ranges_m)?;
    let site = LauncherFrame::reference(spec.latitude_deg);
    let nr = spec.ground_ranges_m.len();
    let na = spec.altitudes_m.len();
    let per_row_refine = 2 * spec.refine_bisections as usize;
    let total = na * nr + na * per_row_refine;
    let mut done = 0;
    let mut cells = Vec::with_capacity(na * nr);
    let mut rows = Vec::with_capacity(na);
    for &h in &spec.altitudes_m {
        let outcomes: Result<Vec<EngagementOutcome>, InterceptorError> = spec
            .ground_ranges_m
            .par_iter()
            .map(|&r| engage(aero, table, spec, &site, r, h))
            .collect();
        let outcomes = outcomes?;
        done += nr;
        progress(done, total);
        let row_cells: Vec<LarCell> = spec
            .ground_ranges_m
            .iter()
            .zip(&outcomes)
            .map(|(&r, o)| LarCell {
                ground_range_m: r,
                altitude_m: h,
                intercept: success(aero, o),
                miss_distance_m: o.miss_distance_m,
                time_of_flight_s: o.time_of_flight_s,
            })
            .collect();

        // Refine both edges (in parallel: two independent bisections).
        let first = row_cells.iter().position(|c| c.intercept);
        let last = row_cells.iter().rposition(|c| c.intercept);
        let refine =
            |inside: usize, outside: Option<usize>| -> Result<(f64, f64), InterceptorError> {
                let mut r_in = spec.ground_ranges_m[inside];
                let mut tof_in = row_cells[inside].time_of_flight_s;
                if let Some(out) = outside {
                    let mut r_out = spec.ground_ranges_m[out];
                    for _ in 0..spec.refine_bisections {
                        let mid = 0.5 * (r_in + r_out);
                        let o = engage(aero, table, spec, &site, mid, h)?;
                        if success(aero, &o) {
                            r_in = mid;
                            tof_in = o.time_of_flight_s;
                        } else {
                            r_out = mid;
                        }
                    }
                }
                Ok((r_in, tof_in))
            };
        let row = match (first, last) {
            (Some(f), Some(l)) => {
                let below = f.checked_sub(1);
                let above = (l + 1 < nr).then_some(l + 1);
                let (max_r, min_r) = rayon::join(|| refine(l, above), || refine(f, below));
                let (max_r, tof) = max_r?;
                let (min_r, _) = min_r?;
                LarRow {
                    altitude_m: h,
                    max_launch_range_m: Some(max_r),
                    min_launch_range_m: Some(min_r),
                    time_of_flight_at_max_s: Some(tof),
                    max_at_grid_edge: above.is_none(),
                }
            }
            _ => LarRow {
                altitude_m: h,
                max_launch_range_m: None,
                min_launch_range_m: None,
                time_of_flight_at_max_s: None,
                max_at_grid_edge: false,
            },
        };
        done += per_row_refine;
        progress(done, total);
        rows.push(row);
        cells.extend(row_cells);
    }
    Ok(LaunchEnvelope3Dof {
        spec: spec.clone(),
        rows,
        cells,
    })
}
