//! The flyout table of one missile type and the 3-DOF intercept prediction built on it.
//!
//! **Table.** For aim points at rest on a grid of (ground range, height above the launcher), the
//! guided 3-DOF flight (the same [`Flight`](crate::Flight) the engine flies, from a launcher at sea level at
//! [`TableSpec::reference_latitude_deg`], launched due north) gives the time of flight, the
//! arrival speed and the lateral acceleration available on arrival. A cell is **reachable** when
//! the flight reaches the closest approach within [`REACH_MISS_M`] of the point without being
//! lost (so its speed is still at least `min_speed_mps` after burnout) **and** the lateral
//! acceleration available on arrival is at least [`TableSpec::required_lateral_accel_mps2`]
//! (the manoeuvre margin left for the end game; by default 3 g, enough to follow a 1 g target
//! with PN's factor of about three). In each altitude row the edge of reach beyond the last
//! reachable grid range is refined by bisection ([`TableSpec::edge_bisections`] flights), so
//! the maximum range is resolved much more finely than the grid. Reach is taken to be one
//! interval of ranges per row: the scan of a row stops at its first unreachable range beyond a
//! reachable one, and the cells further out are marked unreachable without being flown.
//!
//! Rows are independent (each flight is a pure function of the spec), computed in parallel with
//! rayon and collected in grid order: the table is bit-identical whatever the number of threads.
//!
//! **Lookup.** Linear interpolation in ground range inside an altitude row (between reachable
//! nodes, including the refined edge), then linear in height between the two rows that bracket
//! the query. Where only one row reaches the query range, it is extrapolated along its last
//! segment if the range is within the edge interpolated between the rows. Outside the grid (below
//! the first or above the last height, beyond the last range) the point is unreachable.
//!
//! **Prediction** ([`predict_intercept_3dof`]): the earliest time `t` at which the target,
//! extrapolated at constant velocity, is at a reachable point whose table time of flight is at
//! most `t`: a scan in steps of [`PREDICT_SCAN_STEP_S`] for the first feasible sample (jumping
//! ahead while the target is beyond the table's farthest reach, by that distance over its
//! speed, and, where the point is reachable but the missile would arrive late, by the lateness
//! over the fastest rate at which it can shrink; neither can skip a feasible time), then
//! narrowing to 1e-6 s of the bracket of the predicate "reachable and `TOF(t) ≤ t`" (regula
//! falsi with the Illinois rule on the lateness `TOF(t) − t`, bisection where that is undefined;
//! see [`PREDICT_TOLERANCE_S`]). The launch azimuth is the
//! azimuth of that point; the missile's own mid-course guidance does the rest.
use crate::aero::MissileAero;
use crate::engagement::{simulate_engagement, GroundGeometry, LauncherFrame};
use crate::flight::{FlightOptions, TargetEstimate};
use crate::InterceptorError;
use nalgebra::Vector3;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Largest closest-approach distance to a table aim point that counts as reaching it, m. The
/// guided flight to a point at rest hits it to centimetres when it can reach it at all; a miss
/// larger than this means the missile could not turn enough (e.g. a point almost overhead).
pub const REACH_MISS_M: f64 = 5.0;
/// Missile speed floor used to bound how fast the time of flight can change along the target's
/// path, m/s (when `min_speed_mps` is lower).
const MIN_SCAN_SPEED_MPS: f64 = 100.0;
/// Scan step of [`predict_intercept_3dof`], s.
pub const PREDICT_SCAN_STEP_S: f64 = 0.25;

/// One reachable table cell.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FlyoutCell {
    /// Time of flight from launch, s.
    pub time_of_flight_s: f64,
    /// Speed on arrival, m/s.
    pub arrival_speed_mps: f64,
    /// Lateral acceleration available on arrival (structural or lift limit), m/s².
    pub available_lateral_accel_mps2: f64,
}

/// The refined edge of reach of one altitude row.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RowEdge {
    /// Largest reachable ground range found, m.
    pub ground_range_m: f64,
    /// The flight to it.
    pub cell: FlyoutCell,
}

/// How to build a flyout table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSpec {
    /// Ground ranges of the grid, m, strictly increasing, ≥ 0.
    pub ground_ranges_m: Vec<f64>,
    /// Heights above the launcher of the grid, m, strictly increasing.
    pub altitudes_m: Vec<f64>,
    /// Integration step of the table flights, s.
    pub dt_s: f64,
    /// Latitude of the launcher the table is flown from, degrees.
    pub reference_latitude_deg: f64,
    /// Lateral acceleration that must be available on arrival, m/s².
    pub required_lateral_accel_mps2: f64,
    /// Bisection flights per altitude row to refine the edge of reach.
    pub edge_bisections: u32,
    /// Guidance-phase constants.
    pub options: FlightOptions,
}

impl TableSpec {
    /// A default grid for a maximum ground range of interest `max_range_m` (typically 1.2 × the
    /// published range): 16 ranges from 0.5 km, heights 0, 0.1, 1, 3, 6, 10, 15, 20, 25, 30,
    /// 40 km (11 rows), step 0.05 s, latitude 33° (Iraq), 3 g on arrival, 6 edge bisections
    /// (edge resolution `max_range_m / 15 / 64`, 0.3 km for a 250 km missile).
    pub fn default_for(max_range_m: f64) -> TableSpec {
        let n = 16;
        let ground_ranges_m = (0..n)
            .map(|i| 500.0 + (max_range_m - 500.0) * i as f64 / (n - 1) as f64)
            .collect();
        TableSpec {
            ground_ranges_m,
            altitudes_m: vec![
                0.0, 100.0, 1_000.0, 3_000.0, 6_000.0, 10_000.0, 15_000.0, 20_000.0, 25_000.0,
                30_000.0, 40_000.0,
            ],
            dt_s: 0.05,
            reference_latitude_deg: 33.0,
            required_lateral_accel_mps2: 3.0 * iadsim_physics::atmosphere::G0_MPS2,
            edge_bisections: 6,
            options: FlightOptions::default(),
        }
    }
}

/// The flyout table of one missile type; see the module documentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlyoutTable {
    /// The missile.
    pub aero: MissileAero,
    /// How the table was built.
    pub spec: TableSpec,
    /// Cells, row-major: `cells[i_alt * n_ranges + i_range]`, `None` = unreachable.
    pub cells: Vec<Option<FlyoutCell>>,
    /// Per altitude row, the refined edge of reach beyond the last reachable grid range (`None`
    /// if the row reaches nothing, or reaches the last grid range).
    pub edges: Vec<Option<RowEdge>>,
    /// Per altitude row, its nodes (grid cells and refined edge) in range order, kept so that a
    /// lookup does not rebuild them (not serialised; rebuilt per lookup when absent).
    #[serde(skip)]
    nodes: Vec<Vec<(f64, Option<FlyoutCell>)>>,
}

/// A grid (of ranges or heights) must be non-empty, finite and strictly increasing.
pub(crate) fn check_grid(name: &'static str, g: &[f64]) -> Result<(), InterceptorError> {
    let ok = !g.is_empty() && g.iter().all(|x| x.is_finite()) && g.windows(2).all(|w| w[0] < w[1]);
    if ok {
        Ok(())
    } else {
        Err(InterceptorError::BadGrid { name })
    }
}

impl FlyoutTable {
    /// Fly every cell (in parallel) and refine each row's edge of reach.
    pub fn build(aero: &MissileAero, spec: TableSpec) -> Result<FlyoutTable, InterceptorError> {
        aero.validate()?;
        check_grid("ground_ranges_m", &spec.ground_ranges_m)?;
        check_grid("altitudes_m", &spec.altitudes_m)?;
        if spec.ground_ranges_m[0] < 0.0 {
            return Err(InterceptorError::BadGrid {
                name: "ground_ranges_m",
            });
        }
        if !(spec.dt_s.is_finite() && spec.dt_s > 0.0) {
            return Err(InterceptorError::NotPositive {
                field: "dt_s",
                value: spec.dt_s,
            });
        }
        let site = LauncherFrame::reference(spec.reference_latitude_deg);
        let nr = spec.ground_ranges_m.len();
        // One job per altitude row: scan outwards, stop at the first unreachable range after a
        // reachable one (reach is taken to be one interval of ranges), then bisect that edge.
        type Row = (Vec<Option<FlyoutCell>>, Option<RowEdge>);
        let rows: Result<Vec<Row>, InterceptorError> = spec
            .altitudes_m
            .par_iter()
            .map(|&h| {
                let mut row = vec![None; nr];
                let mut edge = None;
                let mut seen = false;
                for (i, &r) in spec.ground_ranges_m.iter().enumerate() {
                    row[i] = fly_to_point(aero, &spec, &site, r, h)?;
                    match (seen, row[i]) {
                        (_, Some(_)) => seen = true,
                        (true, None) => {
                            let (mut lo, mut hi) = (spec.ground_ranges_m[i - 1], r);
                            let mut best = RowEdge {
                                ground_range_m: lo,
                                cell: row[i - 1].expect("reachable"),
                            };
                            for _ in 0..spec.edge_bisections {
                                let mid = 0.5 * (lo + hi);
                                match fly_to_point(aero, &spec, &site, mid, h)? {
                                    Some(cell) => {
                                        lo = mid;
                                        best = RowEdge {
                                            ground_range_m: mid,
                                            cell,
                                        };
                                    }
                                    None => hi = mid,
                                }
                            }
                            edge = Some(best);
                            break;
                        }
                        (false, None) => {}
                    }
                }
                Ok((row, edge))
            })
            .collect();
        let (rows, edges): (Vec<_>, Vec<_>) = rows?.into_iter().unzip();
        let cells = rows.concat();
        let mut table = FlyoutTable {
            aero: *aero,
            spec,
            cells,
            edges,
            nodes: Vec::new(),
        };
        table.nodes = (0..table.spec.altitudes_m.len())
            .map(|i| table.row_nodes(i))
            .collect();
        Ok(table)
    }

    /// The cell at grid indices.
    pub fn cell(&self, i_alt: usize, i_range: usize) -> Option<FlyoutCell> {
        self.cells[i_alt * self.spec.ground_ranges_m.len() + i_range]
    }

    /// The largest reachable ground range of an altitude row, m (refined edge or grid node).
    pub fn row_max_range_m(&self, i_alt: usize) -> Option<f64> {
        let nr = self.spec.ground_ranges_m.len();
        if let Some(e) = self.edges[i_alt] {
            return Some(e.ground_range_m);
        }
        let row = &self.cells[i_alt * nr..(i_alt + 1) * nr];
        row.iter()
            .rposition(|c| c.is_some())
            .map(|i| self.spec.ground_ranges_m[i])
    }

    /// The reachable nodes of a row in range order: grid cells and the refined edge.
    fn row_nodes(&self, i_alt: usize) -> Vec<(f64, Option<FlyoutCell>)> {
        let nr = self.spec.ground_ranges_m.len();
        let mut nodes: Vec<(f64, Option<FlyoutCell>)> = (0..nr)
            .map(|i| (self.spec.ground_ranges_m[i], self.cells[i_alt * nr + i]))
            .collect();
        if let Some(e) = self.edges[i_alt] {
            let pos = nodes.partition_point(|n| n.0 < e.ground_range_m);
            if nodes.get(pos).map(|n| n.0) != Some(e.ground_range_m) {
                nodes.insert(pos, (e.ground_range_m, Some(e.cell)));
            }
        }
        nodes
    }

    /// A row evaluated at ground range `r`: interpolated between reachable nodes, or (if
    /// `extrapolate`) extended along the last reachable segment beyond the edge.
    fn row_at(&self, i_alt: usize, r: f64, extrapolate: bool) -> Option<FlyoutCell> {
        let built;
        let nodes: &[(f64, Option<FlyoutCell>)] = match self.nodes.get(i_alt) {
            Some(n) => n,
            None => {
                built = self.row_nodes(i_alt);
                &built
            }
        };
        let last = nodes.iter().rposition(|n| n.1.is_some())?;
        if r > nodes[last].0 {
            if !extrapolate || last == 0 || nodes[last - 1].1.is_none() {
                return None;
            }
            return Some(lerp_cell(&nodes[last - 1], &nodes[last], r));
        }
        let j = nodes.partition_point(|n| n.0 <= r);
        if j == 0 {
            return None;
        }
        let a = &nodes[j - 1];
        if a.0 == r {
            return a.1;
        }
        let b = nodes.get(j)?;
        match (a.1, b.1) {
            (Some(_), Some(_)) => Some(lerp_cell(a, b, r)),
            _ => None,
        }
    }

    /// The table at ground range `ground_range_m` and height above the launcher `height_m`, or
    /// `None` if unreachable (see the module documentation).
    pub fn lookup(&self, ground_range_m: f64, height_m: f64) -> Option<FlyoutCell> {
        let hs = &self.spec.altitudes_m;
        if !(ground_range_m.is_finite() && height_m.is_finite()) {
            return None;
        }
        if height_m < hs[0] || height_m > hs[hs.len() - 1] {
            return None;
        }
        let j = hs
            .partition_point(|&h| h <= height_m)
            .clamp(1, hs.len().max(2) - 1);
        if hs.len() == 1 {
            return self.row_at(0, ground_range_m, false);
        }
        let (i0, i1) = (j - 1, j);
        let w = (height_m - hs[i0]) / (hs[i1] - hs[i0]);
        let edge = |i| self.row_max_range_m(i);
        let max_r = match (edge(i0), edge(i1)) {
            (Some(a), Some(b)) => a + (b - a) * w,
            _ => return None,
        };
        if ground_range_m > max_r {
            return None;
        }
        let c0 = self.row_at(i0, ground_range_m, true)?;
        let c1 = self.row_at(i1, ground_range_m, true)?;
        let l = |a: f64, b: f64| a + (b - a) * w;
        let cell = FlyoutCell {
            time_of_flight_s: l(c0.time_of_flight_s, c1.time_of_flight_s),
            arrival_speed_mps: l(c0.arrival_speed_mps, c1.arrival_speed_mps),
            available_lateral_accel_mps2: l(
                c0.available_lateral_accel_mps2,
                c1.available_lateral_accel_mps2,
            ),
        };
        let ok = cell.time_of_flight_s > 0.0
            && cell.arrival_speed_mps >= self.aero.min_speed_mps
            && cell.available_lateral_accel_mps2 >= self.spec.required_lateral_accel_mps2;
        ok.then_some(cell)
    }
}

fn lerp_cell(a: &(f64, Option<FlyoutCell>), b: &(f64, Option<FlyoutCell>), r: f64) -> FlyoutCell {
    let (ca, cb) = (a.1.expect("reachable"), b.1.expect("reachable"));
    let w = (r - a.0) / (b.0 - a.0);
    let l = |x: f64, y: f64| x + (y - x) * w;
    FlyoutCell {
        time_of_flight_s: l(ca.time_of_flight_s, cb.time_of_flight_s),
        arrival_speed_mps: l(ca.arrival_speed_mps, cb.arrival_speed_mps),
        available_lateral_accel_mps2: l(
            ca.available_lateral_accel_mps2,
            cb.available_lateral_accel_mps2,
        ),
    }
}

/// One table flight: to the point at `ground_range_m`, `height_m` due north of `site`.
fn fly_to_point(
    aero: &MissileAero,
    spec: &TableSpec,
    site: &LauncherFrame,
    ground_range_m: f64,
    height_m: f64,
) -> Result<Option<FlyoutCell>, InterceptorError> {
    let aim = site.point_north(ground_range_m, height_m);
    let launcher = site.geodetic().to_ecef().0;
    let est = TargetEstimate::stationary(aim);
    let out = simulate_engagement(aero, spec.options, launcher, 0.0, |_| est, spec.dt_s)?;
    Ok(match out.miss_distance_m {
        Some(miss)
            if miss <= REACH_MISS_M
                && out.available_lateral_accel_mps2 >= spec.required_lateral_accel_mps2 =>
        {
            Some(FlyoutCell {
                time_of_flight_s: out.time_of_flight_s,
                arrival_speed_mps: out.final_speed_mps,
                available_lateral_accel_mps2: out.available_lateral_accel_mps2,
            })
        }
        _ => None,
    })
}

/// Smallest radius of curvature of a surface of constant height that a target's height is
/// measured against, m: the meridian radius at the equator, `a (1 − e²)` ≈ 6,335 km, less 35 km
/// of margin for points below the ellipsoid.
const MIN_CURVATURE_RADIUS_M: f64 = 6.3e6;

/// A lower bound on the time a point moving in a straight line at `speed_mps` needs to rise by
/// `gap_m` > 0, with `rate_mps` its height rate now; `+∞` if it never can.
///
/// The height's second derivative along a straight line is `vᵀ ∇²h v`, and the Hessian of the
/// geodetic height has eigenvalues `1/(M + h)`, `1/(N + h)` and 0 (the curvatures of the
/// surface of constant height through the point), so it is at most `κ = v² / 6,300 km`:
/// `h(t + Δ) ≤ h(t) + ḣ Δ + κ Δ²/2`, and the bound is the positive root of `gap = ḣ Δ + κ Δ²/2`.
fn time_to_rise(gap_m: f64, rate_mps: f64, speed_mps: f64) -> f64 {
    let kappa = speed_mps * speed_mps / MIN_CURVATURE_RADIUS_M;
    if kappa.is_nan() || kappa <= 0.0 {
        return f64::INFINITY;
    }
    let root = (rate_mps * rate_mps + 2.0 * kappa * gap_m).sqrt();
    // The positive root of κΔ²/2 + ḣΔ − gap, in the form without cancellation for each sign.
    if rate_mps >= 0.0 {
        2.0 * gap_m / (rate_mps + root)
    } else {
        (root - rate_mps) / kappa
    }
}

/// Bound on the rate of the ground range of [`LauncherFrame::locate`] per unit speed, for points
/// no deeper than 30 km below the ellipsoid: the angle between the normals changes at most at
/// `v / (M + h)` (`M ≥ 6,335 km`), the ground range is that angle times a radius of curvature at
/// the launcher (`≤ N ≤ 6,400 km`), and that radius changes with the azimuth by under 1 %:
/// `6,400 / 6,305 + 0.01 < 1.03`, rounded up.
const GROUND_RANGE_RATE_BOUND: f64 = 1.05;

/// The farthest ground range the table reaches at any height in `[low, high]` (heights above
/// the launcher), from the rows' reach `edges`, or `None` if no height there reaches anything.
/// A superset of what [`FlyoutTable::lookup`] accepts: between two rows the reach is interpolated
/// linearly (its largest value on a sub-interval is at an end), and where only one of the two rows
/// reaches anything, that row's reach is used.
fn max_edge_between(hs: &[f64], edges: &[Option<f64>], low: f64, high: f64) -> Option<f64> {
    let mut best: Option<f64> = None;
    let mut take = |v: f64| best = Some(best.map_or(v, |b| b.max(v)));
    if hs.len() == 1 {
        if let (true, Some(e)) = (low <= hs[0] && hs[0] <= high, edges[0]) {
            take(e);
        }
        return best;
    }
    for i in 0..hs.len() - 1 {
        let (a, b) = (hs[i], hs[i + 1]);
        let (l, u) = (low.max(a), high.min(b));
        if l > u {
            continue;
        }
        match (edges[i], edges[i + 1]) {
            (Some(ea), Some(eb)) => {
                let at = |x: f64| ea + (eb - ea) * ((x - a) / (b - a));
                take(at(l).max(at(u)));
            }
            (Some(e), None) | (None, Some(e)) => take(e),
            (None, None) => {}
        }
    }
    best
}

/// Width to which [`predict_intercept_3dof`] narrows the bracket of the earliest intercept, s.
pub const PREDICT_TOLERANCE_S: f64 = 1e-6;

/// The feasible end of a bracket `[lo, hi]` (`lo` infeasible, `hi` feasible) narrowed to
/// [`PREDICT_TOLERANCE_S`]. `probe(t)` = (feasible, `TOF(t) − t` where the point is reachable).
///
/// Where both ends have a lateness `f = TOF − t` (negative or zero at `hi`, positive at `lo`)
/// the next probe is the regula falsi point, with the Illinois rule (the end that stayed twice
/// has its `f` halved; Dowell & Jarratt 1971), which converges superlinearly where `f` is smooth,
/// as it is inside the table. Otherwise — `lo` unreachable, the point not strictly inside, or
/// after 40 probes, or right after a regula falsi probe that did not halve the bracket — the
/// probe is the midpoint. So the bracket always shrinks, the answer is as accurate as
/// bisection's, and the probes are never much more than twice bisection's (tested on lateness
/// shapes that defeat regula falsi).
fn refine_earliest(
    mut lo: f64,
    mut hi: f64,
    mut probe: impl FnMut(f64) -> (bool, Option<f64>),
) -> f64 {
    let (_, mut f_lo) = probe(lo);
    let (_, f_hi) = probe(hi);
    let Some(mut f_hi) = f_hi else {
        return hi;
    };
    let mut last_side = 0i8;
    // After a regula falsi probe that did not halve the bracket, the next probe bisects: never
    // more than about twice bisection's probes, whatever the lateness looks like.
    let mut bisect_next = false;
    for probes in 0.. {
        let width = hi - lo;
        // (Written so that a NaN width also stops.)
        if width.is_nan() || width <= PREDICT_TOLERANCE_S {
            break;
        }
        let mid = 0.5 * (lo + hi);
        let falsi = match f_lo {
            Some(fl) if !bisect_next && probes < 40 && fl > 0.0 && f_hi <= 0.0 => {
                let x = lo + width * fl / (fl - f_hi);
                // Keep the probe at least a quarter tolerance inside, so the bracket shrinks.
                let margin = 0.25 * PREDICT_TOLERANCE_S;
                Some(x.clamp(lo + margin, hi - margin))
            }
            _ => None,
        };
        let t = falsi.unwrap_or(mid);
        let (feasible, f) = probe(t);
        if feasible {
            hi = t;
            f_hi = f.unwrap_or(0.0);
            if last_side == 1 {
                f_lo = f_lo.map(|v| 0.5 * v);
            }
            last_side = 1;
        } else {
            lo = t;
            f_lo = f;
            if last_side == -1 {
                f_hi *= 0.5;
            }
            last_side = -1;
        }
        bisect_next = falsi.is_some() && hi - lo > 0.5 * width;
    }
    hi
}

/// A predicted 3-DOF intercept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Intercept3Dof {
    /// Time from launch (now) to the intercept, s.
    pub time_to_go_s: f64,
    /// Predicted intercept point, ECEF, m.
    pub point_ecef_m: Vector3<f64>,
    /// Launch azimuth, radians clockwise from north: the azimuth of the point.
    pub launch_azimuth_rad: f64,
    /// Unit vector from the launcher to the point, ECEF (the straight-line direction; the
    /// missile itself leaves at `launch_elevation_deg` on `launch_azimuth_rad`).
    pub direction_unit: Vector3<f64>,
    /// Interceptor speed on arrival, m/s.
    pub arrival_speed_mps: f64,
    /// Lateral acceleration available on arrival, m/s².
    pub available_lateral_accel_mps2: f64,
    /// Ground range of the point from the launcher, m.
    pub ground_range_m: f64,
    /// Height of the point above the launcher, m.
    pub altitude_m: f64,
}

/// The earliest reachable intercept of a constant-velocity target (see the module
/// documentation), launching now from `launcher_ecef_m`; `None` if there is none within the
/// missile's `max_flight_time_s`.
pub fn predict_intercept_3dof(
    table: &FlyoutTable,
    launcher_ecef_m: &Vector3<f64>,
    target_pos_ecef_m: &Vector3<f64>,
    target_vel_ecef_mps: &Vector3<f64>,
) -> Option<Intercept3Dof> {
    let frame = LauncherFrame::new(launcher_ecef_m);
    let at = |t: f64| -> (Vector3<f64>, GroundGeometry, Option<FlyoutCell>) {
        let p = target_pos_ecef_m + target_vel_ecef_mps * t;
        let g = frame.locate(&p);
        let c = table.lookup(g.ground_range_m, g.height_above_launcher_m);
        (p, g, c)
    };
    let t_max = table.aero.max_flight_time_s;
    if !t_max.is_finite() {
        return None;
    }
    // The farthest reachable ground range at any height: while the target is beyond it, no
    // sample can be feasible, and its ground range falls no faster than its speed, so the scan
    // may jump ahead by the distance to that reach divided by the speed.
    let edges: Vec<Option<f64>> = (0..table.spec.altitudes_m.len())
        .map(|i| table.row_max_range_m(i))
        .collect();
    let reach_m = edges
        .iter()
        .flatten()
        .fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let speed = target_vel_ecef_mps.norm();
    let mut prev = 0.0;
    let mut t = 0.0;
    let hit = loop {
        let (_, g, c) = at(t);
        if matches!(c, Some(c) if c.time_of_flight_s <= t) {
            break t;
        }
        if t >= t_max {
            return None;
        }
        let beyond_m = g.ground_range_m - reach_m;
        let jump = if beyond_m > 0.0 && speed > 0.0 {
            (beyond_m / speed).max(PREDICT_SCAN_STEP_S)
        } else if beyond_m > 0.0 {
            return None;
        } else if let Some(c) = c {
            // Reachable but too early (TOF > t): f(t) = TOF(t) − t falls no faster than
            // 1 + speed / min_speed (the time of flight changes by at most 1/v per metre of range,
            // and the missile is never slower than `min_speed_mps`), so no root lies closer.
            let slope = 1.0 + speed / table.aero.min_speed_mps.max(MIN_SCAN_SPEED_MPS);
            ((c.time_of_flight_s - t) / slope).max(PREDICT_SCAN_STEP_S)
        } else {
            // Unreachable within the reach: if the point is below the table's lowest height, it
            // cannot get there sooner than its height can rise (see `time_to_rise`); above
            // the highest, sooner than its speed can take it down.
            let (h, hs) = (g.height_above_launcher_m, &table.spec.altitudes_m);
            let (h_low, h_high) = (hs[0], hs[hs.len() - 1]);
            // The curvature bound holds down to 35 km below the ellipsoid.
            let bound_holds = h + frame.height_m() > -30_000.0;
            let rate = target_vel_ecef_mps.dot(&g.up_unit);
            let jump = if h < h_low && bound_holds {
                time_to_rise(h_low - h, rate, speed)
            } else if h > h_high {
                // Height changes no faster than the speed (+∞ for a target at rest).
                (h - h_high) / speed
            } else if bound_holds && speed > 0.0 {
                // Inside the band but beyond the reach of its height: the first later scan time
                // at which some height the target can have by then reaches its ground range.
                let reachable_after = |s: f64| {
                    let low = h + rate * s;
                    let high = low + 0.5 * speed * speed / MIN_CURVATURE_RADIUS_M * s * s;
                    max_edge_between(hs, &edges, low, high).is_some_and(|edge| {
                        g.ground_range_m - GROUND_RANGE_RATE_BOUND * speed * s <= edge + 1.0
                    })
                };
                let mut s = PREDICT_SCAN_STEP_S;
                while s < t_max - t && !reachable_after(s) {
                    s += PREDICT_SCAN_STEP_S;
                }
                s
            } else {
                PREDICT_SCAN_STEP_S
            };
            jump.max(PREDICT_SCAN_STEP_S)
        };
        prev = t;
        t = (t + jump).min(t_max);
    };
    let hi = if hit > 0.0 {
        refine_earliest(prev, hit, |t| {
            let tof = at(t).2.map(|c| c.time_of_flight_s);
            (matches!(tof, Some(f) if f <= t), tof.map(|f| f - t))
        })
    } else {
        hit
    };
    let (p, g, c) = at(hi);
    let c = c?;
    let d = p - launcher_ecef_m;
    let n = d.norm();
    Some(Intercept3Dof {
        time_to_go_s: hi,
        point_ecef_m: p,
        launch_azimuth_rad: g.azimuth_rad,
        direction_unit: if n > 0.0 { d / n } else { Vector3::zeros() },
        arrival_speed_mps: c.arrival_speed_mps,
        available_lateral_accel_mps2: c.available_lateral_accel_mps2,
        ground_range_m: g.ground_range_m,
        altitude_m: g.height_above_launcher_m,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `time_to_rise` is the positive root of `κΔ²/2 + ḣΔ = gap`, without cancellation for
    /// either sign of the rate, +∞ for a point at rest, and a lower bound on the time a straight
    /// flight takes to rise over a sphere of the smallest radius.
    #[test]
    fn time_to_rise_is_the_root_and_a_lower_bound() {
        for (gap, rate, speed) in [
            (50.0, 0.0, 250.0),
            (50.0, 20.0, 250.0),
            (50.0, -20.0, 250.0),
            (1.07e-12, -131.7, 3923.0),
            (1e-9, -300.0, 300.0),
            (3000.0, -900.0, 1000.0),
        ] {
            let t = time_to_rise(gap, rate, speed);
            let kappa = speed * speed / MIN_CURVATURE_RADIUS_M;
            assert!(t.is_finite() && t > 0.0, "{gap} {rate} {speed}: {t}");
            let residual = 0.5 * kappa * t * t + rate * t - gap;
            let scale = 0.5 * kappa * t * t + rate.abs() * t + gap;
            assert!(
                residual.abs() <= 1e-12 * scale,
                "{gap} {rate} {speed}: {residual}"
            );
        }
        assert_eq!(time_to_rise(10.0, 0.0, 0.0), f64::INFINITY);
        // A level flight tangent to a sphere of radius R rises by √(R² + d²) − R ≤ d²/(2R) over a
        // distance d: over the smallest radius it has not quite risen by the gap when the bound
        // expires (the bound is tight to a millimetre here), over the Earth's mean radius less.
        let (v, gap) = (300.0, 100.0);
        let t = time_to_rise(gap, 0.0, v);
        let d = v * t;
        let rise = |radius: f64| d * d / ((radius * radius + d * d).sqrt() + radius);
        let tight = rise(MIN_CURVATURE_RADIUS_M);
        assert!(tight <= gap && gap - tight < 1e-2, "{tight}");
        assert!(rise(6_371_000.0) < tight);
    }

    /// `max_edge_between` is at least the reach `lookup` interpolates at every height of the
    /// interval (both bracketing rows reaching), and `None` only where no row near it reaches.
    #[test]
    fn max_edge_between_bounds_the_interpolated_reach() {
        let hs = [0.0, 2_500.0, 5_000.0, 12_000.0, 20_000.0];
        let edges = [
            Some(30_000.0),
            Some(42_000.0),
            None,
            Some(60_000.0),
            Some(55_000.0),
        ];
        let reach_at = |x: f64| -> Option<f64> {
            let j = hs.partition_point(|&h| h <= x).clamp(1, hs.len() - 1);
            let w = (x - hs[j - 1]) / (hs[j] - hs[j - 1]);
            match (edges[j - 1], edges[j]) {
                (Some(a), Some(b)) if (hs[0]..=hs[4]).contains(&x) => Some(a + (b - a) * w),
                _ => None,
            }
        };
        for k in 0..2_000 {
            let low = -3_000.0 + 13.7 * f64::from(k);
            for width in [0.0, 10.0, 800.0, 6_000.0] {
                let high = low + width;
                let bound = max_edge_between(&hs, &edges, low, high);
                for i in 0..=20 {
                    let x = low + width * f64::from(i) / 20.0;
                    if let Some(r) = reach_at(x) {
                        let b = bound.expect("a bound where a height reaches");
                        assert!(r <= b + 1e-9, "[{low}, {high}] at {x}: {r} > {b}");
                    }
                }
            }
        }
        assert_eq!(max_edge_between(&hs, &edges, -900.0, -100.0), None);
        assert_eq!(max_edge_between(&hs, &edges, 21_000.0, 30_000.0), None);
        assert_eq!(max_edge_between(&hs, &edges, 0.0, 2_500.0), Some(42_000.0));
        // Between a reaching row and one that does not: the reaching row's reach.
        assert_eq!(
            max_edge_between(&hs, &edges, 3_000.0, 3_100.0),
            Some(42_000.0)
        );
    }

    /// The refinement finds the bracketed boundary as bisection does (to the tolerance, on the
    /// feasible side), in far fewer probes where the lateness is smooth, and no more than
    /// bisection's where it is undefined at the infeasible end.
    #[test]
    fn refinement_matches_bisection_with_fewer_probes() {
        let bisect = |mut lo: f64, mut hi: f64, feasible: &dyn Fn(f64) -> bool| {
            while hi - lo > PREDICT_TOLERANCE_S {
                let mid = 0.5 * (lo + hi);
                if feasible(mid) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            hi
        };
        let mut total_probes = 0;
        for k in 0..200 {
            let root = 3.0 + 0.25 * (f64::from(k) * 0.618_034).fract();
            // Smooth lateness with curvature, and one undefined below `root − 0.1` half the time.
            let undefined_below = if k % 2 == 0 {
                f64::NEG_INFINITY
            } else {
                root - 0.1
            };
            let lateness = move |t: f64| {
                (t >= undefined_below).then(|| (root - t) * (1.0 + 0.3 * (t - root).powi(2)))
            };
            let feasible = move |t: f64| matches!(lateness(t), Some(f) if f <= 0.0);
            let mut probes = 0;
            let got = refine_earliest(3.0, 3.25 + 1e-3, |t| {
                probes += 1;
                (feasible(t), lateness(t))
            });
            let want = bisect(3.0, 3.25 + 1e-3, &feasible);
            assert!(feasible(got), "case {k}");
            assert!(
                (got - root).abs() <= PREDICT_TOLERANCE_S,
                "case {k}: {got} vs {root}"
            );
            assert!(
                (got - want).abs() <= PREDICT_TOLERANCE_S,
                "case {k}: {got} vs {want}"
            );
            assert!(probes <= 20, "case {k}: {probes} probes");
            total_probes += probes;
        }
        // Bisection needs 18 probes here; the refinement about 7 on average (two of them the
        // ends).
        assert!(total_probes <= 200 * 9, "{total_probes} probes");

        // Lateness shapes that defeat regula falsi (a step, flat then steep, zero at the
        // feasible end, huge at the other): still the boundary, in at most about twice
        // bisection's probes.
        let root = 3.123_456_7;
        let shapes: [&dyn Fn(f64) -> f64; 4] = [
            &|t| if t < root { 1.0 } else { -1.0 },
            &|t| {
                if t < root {
                    1e-9 * (root - t)
                } else {
                    1e3 * (root - t)
                }
            },
            &|t| (root - t).max(0.0) * 1e6,
            &|t| (root - t) * (root - t).abs().powi(8) * 1e12,
        ];
        for (k, lateness) in shapes.iter().enumerate() {
            let mut probes = 0;
            let got = refine_earliest(3.0, 3.25, |t| {
                probes += 1;
                let f = lateness(t);
                (f <= 0.0, Some(f))
            });
            assert!(lateness(got) <= 0.0, "shape {k}");
            assert!(
                got - root <= PREDICT_TOLERANCE_S && root - got <= PREDICT_TOLERANCE_S,
                "shape {k}: {got}"
            );
            assert!(probes <= 40, "shape {k}: {probes} probes");
        }
    }
}
