//! Hypotheses and gating: which measurements each track could have produced.
use crate::filter::estimator::Estimator;
use crate::filter::InnovationFactor;
use crate::state::Measurement;
use crate::TrackError;
use iadsim_core::TrackId;

/// One way to explain a track's part of a scan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hypothesis {
    /// The track produced measurement `measurement` (an index into the scan).
    Detected {
        /// Index of the measurement in the scan.
        measurement: usize,
        /// Squared Mahalanobis distance of the innovation.
        mahalanobis2: f64,
        /// Association cost, `d² + ln|S|`: twice the negative log-likelihood of the measurement
        /// under the track's prediction, up to a constant common to all pairs.
        cost: f64,
    },
    /// The track was not detected in this scan.
    Missed {
        /// Association cost of the miss, in the same units as [`Hypothesis::Detected::cost`].
        cost: f64,
    },
}

impl Hypothesis {
    /// The hypothesis's association cost.
    pub fn cost(&self) -> f64 {
        match *self {
            Hypothesis::Detected { cost, .. } | Hypothesis::Missed { cost } => cost,
        }
    }

    /// The miss among a track's hypotheses (a miss at cost 0 if there is none).
    pub fn missed_of(hypotheses: &[Hypothesis]) -> Hypothesis {
        hypotheses
            .iter()
            .copied()
            .find(|h| matches!(h, Hypothesis::Missed { .. }))
            .unwrap_or(Hypothesis::Missed { cost: 0.0 })
    }

    /// The detection of measurement `measurement` among a track's hypotheses, if gated.
    pub fn detection_of(hypotheses: &[Hypothesis], measurement: usize) -> Option<Hypothesis> {
        hypotheses
            .iter()
            .copied()
            .find(|h| matches!(*h, Hypothesis::Detected { measurement: m, .. } if m == measurement))
    }
}

/// Produces, for each predicted track, the hypotheses worth considering: the gated detections
/// (in increasing measurement index) followed by exactly one [`Hypothesis::Missed`].
pub trait Hypothesiser {
    /// Hypotheses for each of `predictions` (track id and state predicted to the scan time,
    /// by `estimator`), into `out` (resized to one list per prediction), so that a caller
    /// running scan after scan reuses the lists' memory. On error `out` holds unspecified
    /// hypotheses.
    fn hypothesise_into<E: Estimator>(
        &self,
        estimator: &E,
        predictions: &[(TrackId, E::State)],
        measurements: &[Measurement],
        out: &mut Vec<Vec<Hypothesis>>,
    ) -> Result<(), TrackError>;

    /// As [`Hypothesiser::hypothesise_into`], into new lists.
    fn hypothesise<E: Estimator>(
        &self,
        estimator: &E,
        predictions: &[(TrackId, E::State)],
        measurements: &[Measurement],
    ) -> Result<Vec<Vec<Hypothesis>>, TrackError> {
        let mut out = Vec::new();
        self.hypothesise_into(estimator, predictions, measurements, &mut out)?;
        Ok(out)
    }
}

/// `(x̂, P_xx)`: mean and variance of the first position coordinate of `predicted`, m and m²
/// (for the coarse gate).
fn first_coordinate<E: Estimator>(estimator: &E, predicted: &E::State) -> (f64, f64) {
    let g = estimator.gaussian(predicted);
    (g.x[0], g.p[(0, 0)])
}

/// Ellipsoidal chi-square gate on the squared Mahalanobis distance, behind a coarse gate on the
/// first coordinate.
///
/// **Coarse gate.** A measurement inside the ellipsoid `νᵀ S⁻¹ ν ≤ γ` has
/// `|ν_x| ≤ √(γ S_xx)` (the ellipsoid's half-width along x). Each track gets the interval
/// `x̂ ± √(γ (P_xx + max_j R_j,xx))`, and a sweep over the intervals and the measurements, both
/// sorted along x, lists only the track–measurement pairs whose x-coordinates are compatible. The
/// cost is `O((T + M) log(T + M) + K)` for `T` tracks, `M` measurements and `K` listed pairs,
/// instead of `T × M`, as long as targets are spread along x. (Targets stacked along one line
/// of constant x all pass the coarse gate; the result is still exact, only slower.)
///
/// **One factorisation per track.** When the filter's innovation is linear in the measured
/// position ([`Estimator::innovation_factor`], the Kalman filter), `S` and its Cholesky factor are
/// computed once per track (per distinct `R`, normally once per scan; `ln |S|` only for tracks
/// that gate a plot) and reused for every listed plot, which is then tested on the y
/// half-width `|ν_y| ≤ √(γ S_yy)` before the full Mahalanobis distance. The result is bit for
/// bit that of one [`Estimator::innovation`] per pair.
///
/// **Grid.** With factors, and one `R` for the whole scan (one sensor's plots), the pairs are
/// found through a grid of cells over the plots instead of the sweep: each track is listed in
/// the cells its box (the interval along x, the y half-width along y) covers, and a plot is
/// tried against its cell's tracks only, with the same tests, so the hypotheses are the same;
/// only the order in which pairs are tried differs, and on any failure (a track's `S` not
/// positive definite) the gate runs the sweep, which reports the failure as it always has.
///
/// **Missed-detection cost.** Every track's miss costs the same, `C = γ + max ln|S|` over all
/// gated pairs of the scan: the cost of the worst acceptable detection. A constant matters:
/// with a per-track miss cost `γ + ln|S_i|` the `ln|S|` terms would cancel and a diffuse
/// tentative track could take a plot from a precise confirmed track on Mahalanobis distance
/// alone. With `C` at least every detection's cost, a gated plot is always preferred to a miss
/// for a track alone, and the `ln|S|` term favours the precise track when two compete. (The
/// full likelihood ratio would need Pd and the clutter density, which this version does not
/// model.)
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EllipsoidalGate {
    /// Gate threshold `γ` on the squared Mahalanobis distance.
    pub threshold: f64,
}

impl EllipsoidalGate {
    /// The gate that a target's own (Gaussian, correctly modelled) measurement passes with
    /// probability `gate_probability` (the χ²(3) quantile).
    pub fn from_probability(gate_probability: f64) -> Self {
        EllipsoidalGate {
            threshold: crate::chi2::chi2_3_quantile(gate_probability),
        }
    }
}

/// A track's factor has not been asked for yet.
const NO_FACTOR: u32 = u32::MAX;
/// The filter has no factor ([`Estimator::innovation_factor`] gave `None`): one innovation per pair.
const UNFACTORED: u32 = u32::MAX - 1;

/// Relative margin on the y half-width test. The test is exact in real arithmetic
/// (`ν_y² ≤ γ S_yy` inside the ellipsoid); the margin, far above the rounding error of the
/// Cholesky-based `νᵀ S⁻¹ ν` for any covariance a tracker meets, makes sure that it never
/// rejects a pair the full test would accept, so that it changes no result.
const Y_TEST_MARGIN: f64 = 1e-6;

/// What both gates read: the threshold `γ`, the filter, the scan.
struct GateInput<'a, E: Estimator> {
    gamma: f64,
    estimator: &'a E,
    predictions: &'a [(TrackId, E::State)],
    measurements: &'a [Measurement],
    /// The largest `R_xx` of the scan's measurements (the tracks' intervals along x hold it).
    r_max_xx: f64,
}

/// Where the sweep starts: each track's interval along x (`Active`, and its lower end), the
/// tracks in increasing lower end and the measurements in increasing x (ties by index).
struct SweepOrder {
    gate: Vec<Active>,
    lower: Vec<f64>,
    intervals: Vec<(u64, usize)>,
    points: Vec<Point>,
}

impl<E: Estimator> GateInput<'_, E> {
    /// `ln |S|`-carrying detection of measurement `j` by track `t`, if `d² ≤ γ`; keeps the
    /// scan's largest `ln |S|`.
    fn record(
        &self,
        out: &mut [Vec<Hypothesis>],
        max_ln_det: &mut f64,
        (t, j): (usize, usize),
        (mahalanobis2, ln_det_s): (f64, f64),
    ) {
        if mahalanobis2 <= self.gamma {
            *max_ln_det = max_ln_det.max(ln_det_s);
            out[t].push(Hypothesis::Detected {
                measurement: j,
                mahalanobis2,
                cost: mahalanobis2 + ln_det_s,
            });
        }
    }

    /// Track `t`'s non-positive-definite innovation with measurement `j`.
    fn not_positive_definite(&self, t: usize, j: usize) -> TrackError {
        TrackError::InnovationNotPositiveDefinite {
            track: self.predictions[t].0,
            time: self.measurements[j].time,
        }
    }

    fn sweep_order(&self) -> SweepOrder {
        let (gamma, r_max_xx) = (self.gamma, self.r_max_xx);
        let gate: Vec<Active> = self
            .predictions
            .iter()
            .enumerate()
            .map(|(t, (_, s))| {
                let (x, pxx) = first_coordinate(self.estimator, s);
                Active {
                    upper: x + (gamma * (pxx + r_max_xx)).sqrt(),
                    track: t,
                    x,
                    pxx,
                }
            })
            .collect();
        let lower: Vec<f64> = gate
            .iter()
            .map(|a| a.x - (gamma * (a.pxx + r_max_xx)).sqrt())
            .collect();
        let mut intervals: Vec<(u64, usize)> = lower
            .iter()
            .enumerate()
            .map(|(t, &l)| (total_order_key(l), t))
            .collect();
        radix_sort_by_key(&mut intervals);
        let classes = covariance_classes(self.measurements);
        let mut order: Vec<(u64, usize)> = self
            .measurements
            .iter()
            .enumerate()
            .map(|(j, m)| (total_order_key(m.z_m[0]), j))
            .collect();
        radix_sort_by_key(&mut order);
        let points = order
            .iter()
            .map(|&(_, j)| {
                let m = &self.measurements[j];
                Point {
                    z: m.z_m.into(),
                    r_xx: m.r_m2[(0, 0)],
                    index: j,
                    class: classes[j],
                }
            })
            .collect();
        SweepOrder {
            gate,
            lower,
            intervals,
            points,
        }
    }

    /// The reference gate: a sweep along x over the tracks' intervals and the measurements,
    /// both sorted, with one innovation factor per track made when its first pair passes the x
    /// test (see [`EllipsoidalGate`]). Returns the largest `ln |S|` of the gated pairs (−∞ if
    /// none); the first failure in sweep order is the error.
    fn sweep(&self, out: &mut [Vec<Hypothesis>]) -> Result<f64, TrackError> {
        let SweepOrder {
            gate,
            lower,
            intervals,
            points,
        } = self.sweep_order();
        // Per track: its factor (NO_FACTOR, UNFACTORED or an index into `factors`), the
        // covariance class it was made for, and the y test.
        let mut gates = vec![
            TrackGate {
                factor: NO_FACTOR,
                class: 0,
                y: 0.0,
                y_limit: 0.0,
                ln_det_s: f64::NAN,
            };
            self.predictions.len()
        ];
        let mut factors: Vec<InnovationFactor> = Vec::with_capacity(self.predictions.len());
        let mut next = 0;
        let mut active: Vec<Active> = Vec::new();
        let mut max_ln_det = f64::NEG_INFINITY;
        for p in &points {
            let zx = p.z[0];
            while next < intervals.len() && lower[intervals[next].1] <= zx {
                active.push(gate[intervals[next].1]);
                next += 1;
            }
            // Points come in increasing x, so an interval that ends before this one never
            // matches again.
            active.retain(|a| a.upper >= zx);
            for a in &active {
                let g = &mut gates[a.track];
                if let Some(d2_ln) = self.sweep_pair(a, p, g, &mut factors)? {
                    self.record(out, &mut max_ln_det, (a.track, p.index), d2_ln);
                }
            }
        }
        Ok(max_ln_det)
    }

    /// The sweep's tests of one pair, cheapest first: the exact x half-width, then (making
    /// or remaking the track's factor if needed) the y half-width and the Mahalanobis distance;
    /// `(d², ln |S|)` of a pair that passes the tests before the last (the caller applies
    /// `d² ≤ γ`), `None` otherwise.
    fn sweep_pair(
        &self,
        a: &Active,
        p: &Point,
        g: &mut TrackGate,
        factors: &mut Vec<InnovationFactor>,
    ) -> Result<Option<(f64, f64)>, TrackError> {
        let gamma = self.gamma;
        let dx = p.z[0] - a.x;
        if dx * dx > gamma * (a.pxx + p.r_xx) {
            return Ok(None);
        }
        let (t, j) = (a.track, p.index);
        let state = &self.predictions[t].1;
        let m = &self.measurements[j];
        if g.factor == NO_FACTOR || (g.factor != UNFACTORED && g.class != p.class) {
            match self.estimator.innovation_factor(state, m) {
                None => g.factor = UNFACTORED,
                Some(f) => {
                    let f = f.map_err(|_| self.not_positive_definite(t, j))?;
                    if g.factor == NO_FACTOR {
                        g.factor = factors.len() as u32;
                        factors.push(f);
                    } else {
                        factors[g.factor as usize] = f;
                    }
                    g.class = p.class;
                    g.y = f.predicted_m[1];
                    g.y_limit = gamma * f.s[(1, 1)] * (1.0 + Y_TEST_MARGIN);
                    g.ln_det_s = f64::NAN;
                }
            }
        }
        if g.factor == UNFACTORED {
            let inn = self
                .estimator
                .innovation(state, m)
                .map_err(|_| self.not_positive_definite(t, j))?;
            return Ok(Some((inn.mahalanobis2, inn.ln_det_s)));
        }
        let dy = p.z[1] - g.y;
        if dy * dy > g.y_limit {
            return Ok(None);
        }
        let f = &factors[g.factor as usize];
        let d2 = f
            .mahalanobis2(&p.z.into())
            .ok_or_else(|| self.not_positive_definite(t, j))?;
        if d2 > gamma {
            return Ok(None);
        }
        if g.ln_det_s.is_nan() {
            g.ln_det_s = f.ln_det_s();
        }
        Ok(Some((d2, g.ln_det_s)))
    }

    /// Every track's box and factor for the grid, all made with the scan's one covariance (that
    /// of `first`); `None` if a track has no factor or a NaN box.
    fn grid_tracks(&self, first: &Measurement) -> Option<(Vec<GridTrack>, Vec<InnovationFactor>)> {
        let gamma = self.gamma;
        let mut tracks = Vec::with_capacity(self.predictions.len());
        let mut factors = Vec::with_capacity(self.predictions.len());
        for (_, state) in self.predictions {
            let (x, pxx) = first_coordinate(self.estimator, state);
            let half = (gamma * (pxx + self.r_max_xx)).sqrt();
            let (lower, upper) = (x - half, x + half);
            let f = self.estimator.innovation_factor(state, first)?.ok()?;
            let y = f.predicted_m[1];
            let y_limit = gamma * f.s[(1, 1)] * (1.0 + Y_TEST_MARGIN);
            // Wider than the y test by far more than rounding: a superset is all the grid needs.
            let reach = y_limit.sqrt() * (1.0 + 1e-6) + 1e-9 * (y.abs() + 1.0);
            if lower.is_nan() || upper.is_nan() || reach.is_nan() {
                return None;
            }
            tracks.push(GridTrack {
                lower,
                upper,
                x,
                pxx,
                y,
                y_limit,
                y_low: y - reach,
                y_high: y + reach,
                ln_det_s: f64::NAN,
            });
            factors.push(f);
        }
        Some((tracks, factors))
    }

    /// The gate by a grid of cells, when it applies: the same hypotheses as
    /// [`GateInput::sweep`], with fewer pairs looked at. Each track is listed in the cells its
    /// box (the sweep interval along x, the y test's extent along y) overlaps, and each
    /// measurement is tried against the tracks of its own cell only, with exactly the sweep's
    /// tests: inside the interval, the x test, the y test, the Mahalanobis distance (the box
    /// holds every measurement that passes the interval and the y test, so no gated pair is
    /// missed). The order pairs are looked at differs from the sweep's, which matters only for
    /// which failure is reported first.
    ///
    /// `None` — and the caller runs the sweep, the reference — when the filter has no factor,
    /// the plots of the scan do not all share one covariance, a factorisation fails (the sweep
    /// then reports it, or not, as it always has) or the geometry gives no sensible grid.
    /// Factors are made for every track here (the sweep makes them only for tracks with a plot
    /// near them in x).
    fn grid(&self, out: &mut [Vec<Hypothesis>]) -> Option<f64> {
        let (first, rest) = self.measurements.split_first()?;
        let same_r = |m: &Measurement| {
            m.r_m2
                .iter()
                .zip(first.r_m2.iter())
                .all(|(a, b)| a.to_bits() == b.to_bits())
        };
        if self.predictions.is_empty() || !rest.iter().all(same_r) {
            return None;
        }
        let r_xx = first.r_m2[(0, 0)];
        let (mut tracks, factors) = self.grid_tracks(first)?;
        let grid = Grid::new(&tracks, self.measurements)?;
        let gamma = self.gamma;
        let mut max_ln_det = f64::NEG_INFINITY;
        for (j, m) in self.measurements.iter().enumerate() {
            let (zx, zy) = (m.z_m[0], m.z_m[1]);
            for &t in grid.tracks_at(zx, zy) {
                let t = t as usize;
                let g = &mut tracks[t];
                // The sweep's interval, then its x and y tests.
                if !(g.lower <= zx && g.upper >= zx) {
                    continue;
                }
                let dx = zx - g.x;
                if dx * dx > gamma * (g.pxx + r_xx) {
                    continue;
                }
                let dy = zy - g.y;
                if dy * dy > g.y_limit {
                    continue;
                }
                let f = &factors[t];
                let mahalanobis2 = f.mahalanobis2(&m.z_m)?;
                if mahalanobis2 <= gamma && g.ln_det_s.is_nan() {
                    g.ln_det_s = f.ln_det_s();
                }
                self.record(out, &mut max_ln_det, (t, j), (mahalanobis2, g.ln_det_s));
            }
        }
        Some(max_ln_det)
    }
}

/// A track in [`GateInput::grid`]: its sweep interval `[lower, upper]` along x, `(x̂, P_xx)` for
/// the x test, `ŷ` and the y test's limit, and the y extent `[y_low, y_high]` that holds every
/// measurement passing the y test.
#[derive(Debug, Clone, Copy)]
struct GridTrack {
    lower: f64,
    upper: f64,
    x: f64,
    pxx: f64,
    y: f64,
    y_limit: f64,
    y_low: f64,
    y_high: f64,
    /// `ln |S|` once needed (NaN before).
    ln_det_s: f64,
}

/// Square cells over the plots' bounding box, each listing the tracks whose box overlaps it.
struct Grid {
    x_min: f64,
    y_min: f64,
    per_cell: f64,
    nx: usize,
    ny: usize,
    /// Cell `k`'s tracks are `members[start[k]..start[k + 1]]`, in increasing index.
    start: Vec<u32>,
    members: Vec<u32>,
}

impl Grid {
    /// Cells about as many as tracks and plots, and not much smaller than a typical gate;
    /// `None` if the geometry gives no sensible grid or the boxes are so large that the sweep
    /// is the better tool.
    fn new(tracks: &[GridTrack], measurements: &[Measurement]) -> Option<Grid> {
        let (mut x_min, mut x_max, mut y_min, mut y_max) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for m in measurements {
            x_min = x_min.min(m.z_m[0]);
            x_max = x_max.max(m.z_m[0]);
            y_min = y_min.min(m.z_m[1]);
            y_max = y_max.max(m.z_m[1]);
        }
        let mut halves: Vec<f64> = tracks.iter().map(|g| 0.5 * (g.upper - g.lower)).collect();
        let middle = halves.len() / 2;
        let typical_half = *halves.select_nth_unstable_by(middle, f64::total_cmp).1;
        let items = (tracks.len() + measurements.len()) as f64;
        let mut cell = ((x_max - x_min) * (y_max - y_min) / items)
            .sqrt()
            .max(typical_half);
        if !(cell.is_finite() && cell > 0.0) {
            return None;
        }
        let most_cells = 4 * (tracks.len() + measurements.len()) + 64;
        let (nx, ny) = loop {
            let nx = ((x_max - x_min) / cell) as usize + 1;
            let ny = ((y_max - y_min) / cell) as usize + 1;
            if nx.saturating_mul(ny) <= most_cells {
                break (nx, ny);
            }
            cell *= 2.0;
        };
        let mut grid = Grid {
            x_min,
            y_min,
            per_cell: 1.0 / cell,
            nx,
            ny,
            start: Vec::new(),
            members: Vec::new(),
        };
        // Each track's rectangle of cells (empty if its box misses the plots' bounding box).
        let rectangles: Vec<[usize; 4]> = tracks
            .iter()
            .map(|g| {
                let inside =
                    g.lower <= x_max && g.upper >= x_min && g.y_low <= y_max && g.y_high >= y_min;
                if inside {
                    [
                        grid.column(g.lower.max(x_min)),
                        grid.column(g.upper.min(x_max)) + 1,
                        grid.row(g.y_low.max(y_min)),
                        grid.row(g.y_high.min(y_max)) + 1,
                    ]
                } else {
                    [0; 4]
                }
            })
            .collect();
        // Huge gates would list a track in many cells: the sweep is then the better tool.
        let listed: usize = rectangles
            .iter()
            .map(|&[c0, c1, r0, r1]| (c1 - c0) * (r1 - r0))
            .sum();
        if listed > 16 * (tracks.len() + measurements.len()) + 1024 {
            return None;
        }
        grid.list(&rectangles);
        Some(grid)
    }

    /// Tracks by cell (counting sort; each cell's tracks in increasing index).
    fn list(&mut self, rectangles: &[[usize; 4]]) {
        let (nx, ny) = (self.nx, self.ny);
        let mut start = vec![0u32; nx * ny + 1];
        for &[c0, c1, r0, r1] in rectangles {
            for r in r0..r1 {
                for count in &mut start[r * nx + c0 + 1..r * nx + c1 + 1] {
                    *count += 1;
                }
            }
        }
        for k in 0..nx * ny {
            start[k + 1] += start[k];
        }
        let mut fill = start.clone();
        let mut members = vec![0u32; start[nx * ny] as usize];
        for (t, &[c0, c1, r0, r1]) in rectangles.iter().enumerate() {
            for r in r0..r1 {
                for next in &mut fill[r * nx + c0..r * nx + c1] {
                    members[*next as usize] = t as u32;
                    *next += 1;
                }
            }
        }
        self.start = start;
        self.members = members;
    }

    /// The column of `x`: monotone in `x` (so a box's end cells bracket every point in it);
    /// below the minimum is 0.
    fn column(&self, x: f64) -> usize {
        (((x - self.x_min) * self.per_cell) as usize).min(self.nx - 1)
    }

    /// The row of `y`, as [`Grid::column`].
    fn row(&self, y: f64) -> usize {
        (((y - self.y_min) * self.per_cell) as usize).min(self.ny - 1)
    }

    /// The tracks listed in the cell of `(x, y)`.
    fn tracks_at(&self, x: f64, y: f64) -> &[u32] {
        let k = self.row(y) * self.nx + self.column(x);
        &self.members[self.start[k] as usize..self.start[k + 1] as usize]
    }
}

/// A key whose unsigned integer order is the order of [`f64::total_cmp`] (which sorts −0 before
/// +0 and NaNs at the ends): the sign bit flipped for positives, every bit for negatives.
fn total_order_key(v: f64) -> u64 {
    let bits = v.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Sorts `items` as `sort_unstable` would if every index is distinct (by key, then index), for
/// `items` built in increasing index.
///
/// A least-significant-digit radix sort, a byte at a time, on the upper 32 bits of the keys
/// (skipping bytes that all keys share), which is stable and so keeps equal upper halves in
/// index order; then an insertion sort on the whole `(key, index)`, which only has the rare
/// equal upper halves left to put in order. A few linear passes where a comparison sort makes
/// `n log n` unpredictable comparisons.
fn radix_sort_by_key(items: &mut Vec<(u64, usize)>) {
    let n = items.len();
    if n < 64 {
        items.sort_unstable();
        return;
    }
    let mut counts = [[0usize; 256]; 4];
    for &(key, _) in items.iter() {
        for (byte, count) in counts.iter_mut().enumerate() {
            count[((key >> (32 + 8 * byte)) & 0xff) as usize] += 1;
        }
    }
    let mut sorted = vec![(0, 0); n];
    for (byte, count) in counts.iter().enumerate() {
        if count.contains(&n) {
            continue; // every key has the same value in this byte
        }
        let mut next = [0usize; 256];
        let mut total = 0;
        for (next, &c) in next.iter_mut().zip(count) {
            *next = total;
            total += c;
        }
        for &item in items.iter() {
            let b = ((item.0 >> (32 + 8 * byte)) & 0xff) as usize;
            sorted[next[b]] = item;
            next[b] += 1;
        }
        std::mem::swap(items, &mut sorted);
    }
    for i in 1..n {
        let mut j = i;
        while j > 0 && items[j - 1] > items[j] {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// A measurement on the sweep: its position, `R_xx`, index in the scan and covariance class.
#[derive(Debug, Clone, Copy)]
struct Point {
    z: [f64; 3],
    r_xx: f64,
    index: usize,
    class: u32,
}

/// A track's gating state during a sweep.
#[derive(Debug, Clone, Copy)]
struct TrackGate {
    /// `NO_FACTOR`, `UNFACTORED` or the index of the track's factor.
    factor: u32,
    /// The covariance class of the measurements the factor fits.
    class: u32,
    /// `ŷ`, and `γ S_yy` with the margin: the y half-width test.
    y: f64,
    y_limit: f64,
    /// `ln |S|` once needed (NaN before).
    ln_det_s: f64,
}

/// Numbers each measurement's covariance so that measurements with bit-identical covariances
/// share a number (a scan's plots usually share one `R`): consecutive repeats and the last few
/// distinct covariances are recognised; a covariance not recognised gets a new number, which
/// costs only a refactorisation.
fn covariance_classes(measurements: &[Measurement]) -> Vec<u32> {
    const REMEMBERED: usize = 8;
    let same = |a: &nalgebra::Matrix3<f64>, b: &nalgebra::Matrix3<f64>| {
        a.iter()
            .zip(b.iter())
            .all(|(x, y)| x.to_bits() == y.to_bits())
    };
    let mut recent: Vec<(&nalgebra::Matrix3<f64>, u32)> = Vec::new();
    let mut next = 0;
    measurements
        .iter()
        .map(|m| {
            if let Some(&(_, class)) = recent.iter().rev().find(|(r, _)| same(r, &m.r_m2)) {
                return class;
            }
            if recent.len() == REMEMBERED {
                recent.remove(0);
            }
            recent.push((&m.r_m2, next));
            next += 1;
            next - 1
        })
        .collect()
}

/// A track on the sweep: its interval's upper end, index, and `(x̂, P_xx)`.
#[derive(Debug, Clone, Copy)]
struct Active {
    upper: f64,
    track: usize,
    x: f64,
    pxx: f64,
}

impl Hypothesiser for EllipsoidalGate {
    fn hypothesise_into<E: Estimator>(
        &self,
        estimator: &E,
        predictions: &[(TrackId, E::State)],
        measurements: &[Measurement],
        out: &mut Vec<Vec<Hypothesis>>,
    ) -> Result<(), TrackError> {
        let gamma = self.threshold;
        out.resize_with(predictions.len(), Vec::new);
        for hyps in out.iter_mut() {
            hyps.clear();
        }

        let input = GateInput {
            gamma,
            estimator,
            predictions,
            measurements,
            r_max_xx: measurements
                .iter()
                .map(|m| m.r_m2[(0, 0)])
                .fold(0.0_f64, f64::max),
        };
        let max_ln_det = match input.grid(out) {
            Some(max_ln_det) => max_ln_det,
            None => {
                for hyps in out.iter_mut() {
                    hyps.clear();
                }
                input.sweep(out)?
            }
        };

        let miss_cost = if max_ln_det.is_finite() {
            gamma + max_ln_det
        } else {
            gamma
        };
        for hyps in out.iter_mut() {
            // Each measurement appears at most once per track.
            hyps.sort_unstable_by_key(|h| match *h {
                Hypothesis::Detected { measurement, .. } => measurement,
                Hypothesis::Missed { .. } => usize::MAX,
            });
            hyps.push(Hypothesis::Missed { cost: miss_cost });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{Innovation, Kalman, KalmanUpdater, NotPositiveDefinite, Updater};
    use crate::state::GaussianState;
    use iadsim_core::{SensorId, SimTime};
    use nalgebra::{Matrix3, Matrix6, Vector3, Vector6};

    /// The Kalman updater without its factor: the gate's one-innovation-per-pair path.
    struct PerPair;

    impl Updater for PerPair {
        fn innovation(
            &self,
            predicted: &GaussianState,
            measurement: &Measurement,
        ) -> Result<Innovation, NotPositiveDefinite> {
            KalmanUpdater.innovation(predicted, measurement)
        }
        fn update(
            &self,
            predicted: &GaussianState,
            measurement: &Measurement,
        ) -> Result<GaussianState, NotPositiveDefinite> {
            KalmanUpdater.update(predicted, measurement)
        }
    }

    #[test]
    fn factored_gate_gives_the_per_pair_hypotheses_bit_for_bit() {
        let mut state = 3_u64;
        let mut uniform = || iadsim_core::random::splitmix64(&mut state) as f64 / u64::MAX as f64;
        let time = SimTime::from_secs_f64(1.0);
        let gate = EllipsoidalGate::from_probability(0.999);
        let mut total = 0;
        for scan in 0..60 {
            // Every fifth scan some tracks have huge gates.
            let spread = if scan % 5 == 4 { 1e4 } else { 30.0 };
            let predictions: Vec<(TrackId, GaussianState)> = (0..60)
                .map(|t| {
                    let l = Matrix6::from_fn(|i, j| if j <= i { spread * uniform() } else { 0.0 });
                    let x = Vector6::new(2e4 * uniform(), 2e4 * uniform(), 0.0, 0.0, 0.0, 0.0);
                    let p = l * l.transpose() + Matrix6::identity() * (1.0 + 1e4 * uniform());
                    (TrackId(t), GaussianState { time, x, p })
                })
                .collect();
            // Plots near tracks and clutter; one shared R, or (odd scans) two Rs alternating.
            let shared = Matrix3::identity() * 2500.0;
            let other = Matrix3::new(900.0, 100.0, 0.0, 100.0, 1600.0, 0.0, 0.0, 0.0, 1.0);
            // Also: all plots on one line of constant x, and a single plot.
            let count = if scan % 5 == 3 { 1 } else { 150 };
            let measurements: Vec<Measurement> = (0..count)
                .map(|j| {
                    let mut z_m = if j % 3 == 0 {
                        Vector3::new(2e4 * uniform(), 2e4 * uniform(), 0.0)
                    } else {
                        predictions[j % 60].1.position()
                            + Vector3::new(
                                300.0 * (uniform() - 0.5),
                                300.0 * (uniform() - 0.5),
                                0.0,
                            )
                    };
                    if scan % 5 == 2 {
                        z_m[0] = predictions[7].1.x[0];
                    }
                    let r_m2 = if scan % 2 == 1 && j % 2 == 1 {
                        other
                    } else {
                        shared
                    };
                    Measurement {
                        time,
                        sensor: SensorId(0),
                        z_m,
                        r_m2,
                        polar: None,
                    }
                })
                .collect();
            let factored = gate
                .hypothesise(&Kalman::cv(1.0), &predictions, &measurements)
                .unwrap();
            let per_pair = gate
                .hypothesise(
                    &Kalman::cv(1.0).with_updater(PerPair),
                    &predictions,
                    &measurements,
                )
                .unwrap();
            let gated = factored.iter().map(Vec::len).sum::<usize>() - 60;
            assert_eq!(format!("{factored:?}"), format!("{per_pair:?}"));
            assert!(count == 1 || gated > 5, "{gated}");
            total += gated;
        }
        assert!(total > 2000, "{total}");
    }

    #[test]
    fn radix_sort_sorts_like_sort_unstable_on_key_and_index() {
        let mut state = 5_u64;
        let mut next = || iadsim_core::random::splitmix64(&mut state);
        for n in [0, 1, 5, 63, 64, 65, 1000, 5000] {
            // Keys of positions (as the gate sorts them), with many ties.
            let mut items: Vec<(u64, usize)> = (0..n)
                .map(|i| {
                    let x = (next() % 2000) as f64 * 0.5 - 300.0;
                    (total_order_key(x), i)
                })
                .collect();
            let mut want = items.clone();
            want.sort_unstable();
            radix_sort_by_key(&mut items);
            assert_eq!(items, want, "n = {n}");
        }
    }

    #[test]
    fn total_order_key_sorts_like_total_cmp() {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            1e300,
            -1e300,
        ];
        let mut by_key = values.clone();
        values.sort_by(f64::total_cmp);
        by_key.sort_by_key(|&v| total_order_key(v));
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&values), bits(&by_key));
    }
}
