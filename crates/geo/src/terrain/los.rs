//! Terrain-aware line of sight and per-radial masking profiles.

use geographiclib_rs::{Geodesic, InverseGeodesic};

use super::track::{IndexMap, Track};
use super::Dem;
use crate::ellipsoid::Geodetic;
use crate::horizon::{
    clamp_height, smooth_earth_clear, smooth_earth_clear_sin_cos, EFFECTIVE_EARTH_RADIUS_M,
};

/// Most samples a [`RadialProfile`] will hold (2²⁴, e.g. 1 677 km at 100 m); more is treated
/// as invalid input.
const MAX_PROFILE_SAMPLES: usize = 1 << 24;

impl Dem {
    fn index_map(&self) -> IndexMap {
        IndexMap {
            row_origin_deg: self.north_lat_deg,
            row_per_deg: 1.0 / self.dlat_deg,
            col_origin_deg: self.west_lon_deg,
            col_per_deg: 1.0 / self.dlon_deg,
        }
    }
}

fn valid_position(p: &Geodetic) -> bool {
    p.lat_deg().abs() <= 90.0 && p.lon_rad.is_finite() && p.alt_m.is_finite()
}

/// Rotates `(cos ψ, sin ψ)` by the angle whose cosine and sine are `(cd, sd)`.
#[inline]
fn rotate((c, s): (f64, f64), (cd, sd): (f64, f64)) -> (f64, f64) {
    (c * cd - s * sd, s * cd + c * sd)
}

/// Whether the ray from `a` to `b` clears both the smooth 4/3 earth and the terrain of `dem`.
///
/// First the smooth-sphere test of [`line_of_sight_4_3`](crate::line_of_sight_4_3) (heights
/// clamped at 0). Then, if a DEM is given, the terrain is sampled along the WGS-84 geodesic from
/// `a` to `b` at evenly spaced ground distances no more than half of
/// [`Dem::post_spacing_m`] apart, strictly between the end points; the ray is blocked when a
/// terrain sample lies above it on the `kR` sphere (exact chord geometry, see the
/// [module documentation](crate::terrain)). Heights of `a` and `b` are used as given here (not
/// clamped), in the DEM's vertical convention. Samples outside the DEM or on nodata never block.
/// Grazing rays (terrain exactly on the ray) count as clear.
///
/// Invalid positions (latitude outside ±90°, non-finite values) give `false`.
///
/// Cost: one inverse geodesic, one direct geodesic per 50 km, and a few nanoseconds per sample
/// (the loop stops at the first blocking sample).
///
/// ```
/// use iadsim_geo::{line_of_sight, line_of_sight_4_3, Dem, Geodetic};
/// // A 300 m wall one post wide, north–south at 44.05° E, on flat ground at 0 m.
/// let (rows, cols) = (11, 11);
/// let heights = (0..rows * cols)
///     .map(|i| if i % cols == 5 { 300.0 } else { 0.0 })
///     .collect();
/// let dem = Dem::from_grid(33.05, 44.0, 0.01, 0.01, rows, cols, heights)?;
/// let radar = Geodetic::from_degrees(33.0, 44.01, 20.0);
/// let target = Geodetic::from_degrees(33.0, 44.09, 100.0);
/// assert!(line_of_sight_4_3(&radar, &target));
/// assert!(line_of_sight(None, &radar, &target));
/// assert!(!line_of_sight(Some(&dem), &radar, &target));
/// # Ok::<(), iadsim_geo::TerrainError>(())
/// ```
pub fn line_of_sight(dem: Option<&Dem>, a: &Geodetic, b: &Geodetic) -> bool {
    if !(valid_position(a) && valid_position(b)) {
        return false;
    }
    let (d, azi1, _azi2, _a12): (f64, f64, f64, f64) =
        Geodesic::wgs84().inverse(a.lat_deg(), a.lon_deg(), b.lat_deg(), b.lon_deg());
    if !d.is_finite() || !smooth_earth_clear(d, a.alt_m, b.alt_m) {
        return false;
    }
    match dem {
        None => true,
        Some(dem) => terrain_clear(dem, a, b, d, azi1),
    }
}

/// The terrain part of [`line_of_sight`], for end points `d` metres apart with initial azimuth
/// `azi1_deg` at `a`.
fn terrain_clear(dem: &Dem, a: &Geodetic, b: &Geodetic, d: f64, azi1_deg: f64) -> bool {
    let max_step = 0.5 * dem.post_spacing_m();
    let n = (d / max_step).ceil();
    // With fewer than two intervals there is no sample strictly between the ends.
    if n.is_nan() || n < 2.0 {
        return true;
    }
    let n = n as usize;
    let step = d / n as f64;
    let kr = EFFECTIVE_EARTH_RADIUS_M;
    let r1 = kr + a.alt_m;
    let r2 = kr + b.alt_m;
    let (sin_t, cos_t) = (d / kr).sin_cos();
    // A terrain point (r, ψ) is above the chord a→b iff its elevation seen from a is higher than
    // b's: (r cos ψ − r1)/(r sin ψ) > tan_b. Multiplied out to avoid a division per sample.
    let tan_b = (r2 * cos_t - r1) / (r2 * sin_t);
    let track = Track::new(
        &dem.index_map(),
        a.lat_deg(),
        dem.unwrap_lon_deg(a.lon_deg()),
        azi1_deg,
        d,
    );
    let delta = ((step / kr).cos(), (step / kr).sin());
    let mut cs = (1.0, 0.0);
    let mut clear = true;
    track.for_each(step, 1, n - 1, |_, row, col| {
        cs = rotate(cs, delta);
        let r = kr + dem.interpolate(row, col);
        // NaN terrain (outside the DEM, nodata) compares false and never blocks.
        if r * cs.0 - r1 > tan_b * r * cs.1 {
            clear = false;
        }
        clear
    });
    clear
}

/// Terrain along one radial from an antenna, with the running masking angle: built by
/// [`terrain_horizon_profile`], queried by [`visible`](Self::visible).
///
/// Sample `k` lies at ground distance `k · step_m` along the geodesic from the antenna on the
/// profile's azimuth (`k = 0` is the antenna's own position). The masking angle at sample `k`
/// is the highest 4/3-earth elevation angle, seen from the antenna, of the terrain samples
/// `1..=k`.
#[derive(Debug, Clone, Default)]
pub struct RadialProfile {
    azimuth_deg: f64,
    step_m: f64,
    antenna_alt_m: f64,
    valid: bool,
    /// Terrain height at each sample, metres; NaN where unknown.
    terrain_m: Vec<f32>,
    /// Running maximum of `tan(elevation)` of the terrain over samples `1..=k`; −∞ for none.
    mask_tan: Vec<f64>,
    /// `(cos ψₖ, sin ψₖ)` with `ψₖ = k·step_m/(kR)`, cached across rebuilds with the same step
    /// (a coverage map uses one step for all radials); `trig_step_m` is the step they are for.
    trig: Vec<(f64, f64)>,
    trig_step_m: f64,
}

/// Builds the [`RadialProfile`] of `dem` seen from `antenna` along the geodesic leaving it on
/// `azimuth_deg` (clockwise from north), with samples every `step_m` out to `max_range_m`
/// (ground distances).
///
/// Cost: one direct geodesic per 50 km, then for each sample a cubic Hermite position,
/// a bilinear lookup and one division (a few microseconds per 1000 samples). Positions are
/// interpolated between exact geodesic knots (error below 1 cm, see the
/// [module documentation](crate::terrain)). For many radials, reuse one profile's buffers with
/// [`RadialProfile::rebuild`].
///
/// Invalid input (antenna latitude outside ±90°, non-finite values, a non-positive step,
/// negative range, or more than 2²⁴ samples) gives an empty profile for which nothing is
/// visible.
///
/// ```
/// use iadsim_geo::{terrain_horizon_profile, Dem, Geodetic};
/// // A 300 m wall one post wide, north–south at 44.05° E, on flat ground at 0 m.
/// let (rows, cols) = (11, 11);
/// let heights = (0..rows * cols)
///     .map(|i| if i % cols == 5 { 300.0 } else { 0.0 })
///     .collect();
/// let dem = Dem::from_grid(33.05, 44.0, 0.01, 0.01, rows, cols, heights)?;
/// let radar = Geodetic::from_degrees(33.0, 44.01, 20.0);
/// let east = terrain_horizon_profile(&dem, &radar, 90.0, 8_000.0, 50.0);
/// assert!(east.visible(2_000.0, 10.0)); // in front of the wall (it begins 44.04° E, ~2.8 km)
/// assert!(!east.visible(7_000.0, 100.0)); // behind it
/// assert!(east.visible(7_000.0, 1_000.0)); // high enough to be seen over it
/// # Ok::<(), iadsim_geo::TerrainError>(())
/// ```
pub fn terrain_horizon_profile(
    dem: &Dem,
    antenna: &Geodetic,
    azimuth_deg: f64,
    max_range_m: f64,
    step_m: f64,
) -> RadialProfile {
    let mut profile = RadialProfile::default();
    profile.rebuild(dem, antenna, azimuth_deg, max_range_m, step_m);
    profile
}

impl RadialProfile {
    /// Recomputes this profile for a new radial, reusing its buffers; the result is the same as
    /// [`terrain_horizon_profile`] with the same arguments.
    pub fn rebuild(
        &mut self,
        dem: &Dem,
        antenna: &Geodetic,
        azimuth_deg: f64,
        max_range_m: f64,
        step_m: f64,
    ) {
        self.terrain_m.clear();
        self.mask_tan.clear();
        self.azimuth_deg = azimuth_deg;
        self.step_m = step_m;
        self.antenna_alt_m = antenna.alt_m;
        let n_f = (max_range_m / step_m + 1e-9).floor();
        self.valid = valid_position(antenna)
            && azimuth_deg.is_finite()
            && step_m.is_finite()
            && step_m > 0.0
            && max_range_m >= 0.0
            && n_f < MAX_PROFILE_SAMPLES as f64;
        if !self.valid {
            return;
        }
        let n = n_f as usize;
        self.terrain_m.resize(n + 1, f32::NAN);
        self.mask_tan.resize(n + 1, f64::NEG_INFINITY);
        let kr = EFFECTIVE_EARTH_RADIUS_M;
        let r1 = kr + antenna.alt_m;
        let track = Track::new(
            &dem.index_map(),
            antenna.lat_deg(),
            dem.unwrap_lon_deg(antenna.lon_deg()),
            azimuth_deg,
            n as f64 * step_m,
        );
        if self.trig_step_m != step_m || self.trig.len() < n + 1 {
            self.trig.clear();
            self.trig.extend((0..=n).map(|k| {
                let (sin, cos) = (k as f64 * step_m / kr).sin_cos();
                (cos, sin)
            }));
            self.trig_step_m = step_m;
        }
        let mut running = f64::NEG_INFINITY;
        let (terrain_m, mask_tan, trig) = (
            &mut self.terrain_m[..],
            &mut self.mask_tan[..],
            &self.trig[..=n],
        );
        track.for_each(step_m, 0, n, |k, row, col| {
            let h = dem.interpolate(row, col);
            terrain_m[k] = h as f32;
            if k > 0 {
                let (cos, sin) = trig[k];
                let r = kr + h;
                // NaN (unknown terrain) fails the comparison and does not mask.
                let tan_e = (r * cos - r1) / (r * sin);
                if tan_e > running {
                    running = tan_e;
                }
            }
            mask_tan[k] = running;
            true
        });
    }

    /// Whether a target at `ground_range_m` along this radial and `target_height_m` above the
    /// ellipsoid is visible from the antenna: it must clear the smooth 4/3 earth (as
    /// [`line_of_sight_4_3`](crate::line_of_sight_4_3), heights clamped at 0) and its 4/3-earth
    /// elevation angle must exceed the masking angle of every terrain sample strictly closer
    /// than it.
    ///
    /// Terrain beyond [`max_range_m`](Self::max_range_m) is unknown to the profile and does not
    /// mask, as terrain outside the DEM does not. An invalid profile, or non-finite arguments,
    /// give `false`.
    #[inline]
    pub fn visible(&self, ground_range_m: f64, target_height_m: f64) -> bool {
        if !(self.valid && ground_range_m.is_finite() && target_height_m.is_finite()) {
            return false;
        }
        let kr = EFFECTIVE_EARTH_RADIUS_M;
        let (sin_p, cos_p) = (ground_range_m / kr).sin_cos();
        if !smooth_earth_clear_sin_cos(sin_p, cos_p, self.antenna_alt_m, target_height_m) {
            return false;
        }
        let Some(k) = self.last_sample_before(ground_range_m) else {
            return true;
        };
        let r1 = kr + self.antenna_alt_m;
        let rt = kr + target_height_m;
        // tan(elevation) of the target, multiplied out by rt·sin ψ > 0.
        rt * cos_p - r1 > self.mask_tan[k] * rt * sin_p
    }

    /// The lowest height above the ellipsoid at which a target at `ground_range_m` is visible:
    /// [`visible`](Self::visible) is true for heights above it (the boundary itself may go
    /// either way). `−∞` when every height is visible (inside the smooth horizon with no
    /// masking terrain), `+∞` when none is (invalid profile, or terrain masking above the
    /// target's zenith angle).
    ///
    /// Useful for coverage maps of "lowest visible altitude"; one call per cell.
    pub fn min_visible_height_m(&self, ground_range_m: f64) -> f64 {
        if !(self.valid && ground_range_m.is_finite()) {
            return f64::INFINITY;
        }
        let kr = EFFECTIVE_EARTH_RADIUS_M;
        let psi = ground_range_m.max(0.0) / kr;
        // Smooth earth: above the tangent from the (clamped) antenna, polar equation
        // ρ(ψ) = kR / cos(ψ − ψₜ) with ψₜ = acos(kR / r₁).
        let r1c = kr + clamp_height(self.antenna_alt_m);
        let psi_t = (kr / r1c).acos();
        let smooth = if psi <= psi_t {
            f64::NEG_INFINITY
        } else if psi - psi_t >= std::f64::consts::FRAC_PI_2 {
            f64::INFINITY
        } else {
            // Targets below 0 are clamped to 0 by the smooth test, so a boundary at or below 0
            // lets every height through.
            let h = kr / (psi - psi_t).cos() - kr;
            if h <= 0.0 {
                f64::NEG_INFINITY
            } else {
                h
            }
        };
        let terrain = match self.last_sample_before(ground_range_m) {
            Some(k) if self.mask_tan[k] > f64::NEG_INFINITY => {
                let m = self.mask_tan[k];
                let (sin_p, cos_p) = psi.sin_cos();
                let denom = cos_p - m * sin_p;
                if denom <= 0.0 {
                    f64::INFINITY
                } else {
                    (kr + self.antenna_alt_m) / denom - kr
                }
            }
            _ => f64::NEG_INFINITY,
        };
        smooth.max(terrain)
    }

    /// Index of the last sample strictly closer than `ground_range_m`, excluding sample 0 (the
    /// antenna's own position), or `None` if there is none.
    #[inline]
    fn last_sample_before(&self, ground_range_m: f64) -> Option<usize> {
        // ceil(s/step) − 1 is the last k with k·step < s; the small slack keeps a target placed
        // exactly on a sample (up to rounding) from being masked by its own ground.
        let k = (ground_range_m / self.step_m - 1e-9).ceil() - 1.0;
        if k.is_nan() || k < 1.0 || self.mask_tan.is_empty() {
            return None;
        }
        Some((k as usize).min(self.mask_tan.len() - 1))
    }

    /// Number of samples (`0..=max_range_m/step_m`, so one more than the number of steps), 0 for
    /// an invalid profile.
    pub fn len(&self) -> usize {
        self.terrain_m.len()
    }

    /// Whether the profile has no samples (invalid input).
    pub fn is_empty(&self) -> bool {
        self.terrain_m.is_empty()
    }

    /// Distance between samples, metres.
    pub fn step_m(&self) -> f64 {
        self.step_m
    }

    /// Ground distance of the last sample, metres.
    pub fn max_range_m(&self) -> f64 {
        self.len().saturating_sub(1) as f64 * self.step_m
    }

    /// The radial's azimuth at the antenna, degrees clockwise from north.
    pub fn azimuth_deg(&self) -> f64 {
        self.azimuth_deg
    }

    /// Terrain height at sample `k` (ground distance `k · step_m`), metres above the ellipsoid;
    /// `None` outside the DEM, on nodata, or past the last sample.
    pub fn terrain_height_m(&self, k: usize) -> Option<f64> {
        self.terrain_m
            .get(k)
            .filter(|h| !h.is_nan())
            .map(|&h| f64::from(h))
    }

    /// The masking angle at sample `k`: the highest 4/3-earth elevation angle, seen from the
    /// antenna, of the terrain samples `1..=k`, radians; `−π/2` when none of them is known, and
    /// `None` past the last sample.
    pub fn masking_angle_rad(&self, k: usize) -> Option<f64> {
        self.mask_tan.get(k).map(|m| m.atan())
    }
}
