//! Waypoint routes flown along WGS-84 geodesics at constant speed.
use crate::PhysicsError;
use iadsim_geo::{direct, inverse, radii_of_curvature, EnuFrame, Geodetic};
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

/// Spacing, m, of the nodes at which a leg's path-length integrand is tabulated.
///
/// The integrand `|dP/ds|` differs from 1 by at most `h/R + (dh/ds)²/2` and varies on the scale
/// of the Earth's radius, so linear interpolation over 5 km is exact to better than 1e-12 relative.
const NODE_SPACING_M: f64 = 5_000.0;
/// Ground distance, m, below which a leg counts as having no horizontal extent.
const MIN_GROUND_M: f64 = 1e-3;

/// A target route: waypoints joined by WGS-84 geodesics, flown at a constant 3-D speed.
///
/// On leg `i` (waypoint `i` to `i + 1`) the ground track is the geodesic between the waypoints
/// (not the ECEF chord, which on a 300 km leg at 30 m passes 1.8 km underground), and the
/// height above the ellipsoid varies linearly with the ground distance `s` along the geodesic:
/// `h(s) = h_i + (h_{i+1} − h_i) · s / S_i`.
///
/// The speed is the true 3-D ECEF speed of the point. In ENU at the current point, with `α` the
/// geodesic azimuth, `M`, `N` the meridional and prime-vertical radii of curvature and
/// `k = dh/ds` (see [`Route::state_at`]):
///
/// ```text
/// dP/ds = ( sin α · (1 + h/N),  cos α · (1 + h/M),  k )        (exact for an ellipsoid of revolution)
/// ```
///
/// so the along-track ground speed is `v / |dP/ds| ≈ v · cos γ` with `γ = atan(k)`, and the small
/// `h/R` factor (1.6e-3 at 10 km) is accounted for: positions and velocities are consistent.
/// Time is mapped to `s` through the path length `ℓ(s) = ∫ |dP/ds| ds`, tabulated per leg at
/// nodes every 5 km (trapezoid rule, exact for the linear interpolant used to invert it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    waypoints: Vec<Geodetic>,
    speed_mps: f64,
    legs: Vec<Leg>,
    /// Start time of each leg, s, plus the end time of the route as the last entry.
    leg_start_s: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Leg {
    /// Start of the leg, degrees.
    lat0_deg: f64,
    lon0_deg: f64,
    /// Geodesic azimuth at the start, degrees clockwise from north.
    azi0_deg: f64,
    /// Height at the start, m, and its slope with respect to ground distance, m/m.
    h0_m: f64,
    slope: f64,
    /// Geodesic ground length, m.
    ground_m: f64,
    /// Node spacing in ground distance, m.
    ds_m: f64,
    /// `|dP/ds|` at the nodes `s_j = j · ds_m`.
    stretch: Vec<f64>,
    /// Path length `ℓ(s_j)`, m, at the nodes.
    path_m: Vec<f64>,
}

/// The kinematic state of a target on its route.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RouteState {
    /// Position, WGS-84 geodetic.
    pub position: Geodetic,
    /// Position, ECEF, m.
    pub position_ecef_m: Vector3<f64>,
    /// Velocity, ECEF, m/s (zero once the route is finished).
    pub velocity_ecef_mps: Vector3<f64>,
    /// Index of the current leg (the last leg once finished).
    pub leg: usize,
    /// Whether the route has been flown to its end.
    pub finished: bool,
}

impl Route {
    /// A route through `waypoints` (at least two) at `speed_mps` (finite, > 0).
    pub fn new(waypoints: &[Geodetic], speed_mps: f64) -> Result<Route, PhysicsError> {
        if waypoints.len() < 2 {
            return Err(PhysicsError::TooFewWaypoints {
                count: waypoints.len(),
            });
        }
        if !(speed_mps.is_finite() && speed_mps > 0.0) {
            return Err(PhysicsError::InvalidSpeed { speed_mps });
        }
        if let Some((waypoint, w)) = waypoints
            .iter()
            .enumerate()
            .find(|(_, w)| !w.alt_m.is_finite())
        {
            return Err(PhysicsError::NonFiniteAltitude {
                waypoint,
                alt_m: w.alt_m,
            });
        }
        let mut legs = Vec::with_capacity(waypoints.len() - 1);
        let mut leg_start_s = vec![0.0];
        for (i, pair) in waypoints.windows(2).enumerate() {
            let leg = Leg::new(i, &pair[0], &pair[1])?;
            let end = leg_start_s[i] + leg.length_m() / speed_mps;
            leg_start_s.push(end);
            legs.push(leg);
        }
        Ok(Route {
            waypoints: waypoints.to_vec(),
            speed_mps,
            legs,
            leg_start_s,
        })
    }

    /// The waypoints as given.
    pub fn waypoints(&self) -> &[Geodetic] {
        &self.waypoints
    }

    /// The constant 3-D speed, m/s.
    pub fn speed_mps(&self) -> f64 {
        self.speed_mps
    }

    /// Time to fly the whole route, s (= [`Route::length_m`] / speed).
    pub fn duration_s(&self) -> f64 {
        self.leg_start_s[self.legs.len()]
    }

    /// 3-D path length of the whole route, m.
    pub fn length_m(&self) -> f64 {
        self.legs.iter().map(Leg::length_m).sum()
    }

    /// Time at which leg `leg` starts, s; `leg = number of legs` gives the route's end.
    pub fn leg_start_s(&self, leg: usize) -> f64 {
        self.leg_start_s[leg]
    }

    /// Number of legs (waypoints − 1).
    pub fn leg_count(&self) -> usize {
        self.legs.len()
    }

    /// The state `t_s` seconds after the route start. Before the start the target waits at the
    /// first waypoint; at and after [`Route::duration_s`] it stays at the last waypoint with zero
    /// velocity and `finished = true`.
    ///
    /// Velocity: `v · dP/ds / |dP/ds|` with `dP/ds` from the geodesic azimuth at the current point
    /// (formula on [`Route`]), rotated from the local ENU frame to ECEF, so `|velocity| = v` to
    /// rounding and the velocity is the time derivative of the position.
    pub fn state_at(&self, t_s: f64) -> RouteState {
        let last = self.legs.len() - 1;
        if t_s >= self.duration_s() {
            let position = self.waypoints[last + 1];
            return RouteState {
                position,
                position_ecef_m: position.to_ecef().0,
                velocity_ecef_mps: Vector3::zeros(),
                leg: last,
                finished: true,
            };
        }
        let t = t_s.max(0.0);
        // The leg whose start is the latest one at or before t.
        let leg = self.leg_start_s[..=last].partition_point(|&s| s <= t) - 1;
        let path_m = (t - self.leg_start_s[leg]) * self.speed_mps;
        let (position, dp_ds_enu) = self.legs[leg].at_path_length(path_m);
        let frame = EnuFrame::new(position);
        let velocity_enu = dp_ds_enu * (self.speed_mps / dp_ds_enu.norm());
        RouteState {
            position,
            position_ecef_m: frame.origin_ecef().0,
            velocity_ecef_mps: frame.vector_to_ecef(&velocity_enu),
            leg,
            finished: false,
        }
    }
}

impl Leg {
    fn new(index: usize, a: &Geodetic, b: &Geodetic) -> Result<Leg, PhysicsError> {
        let geo_err = |source| PhysicsError::Geodesic { leg: index, source };
        let g = inverse(a.lat_deg(), a.lon_deg(), b.lat_deg(), b.lon_deg()).map_err(geo_err)?;
        let ground_m = g.distance_m;
        let climb_m = b.alt_m - a.alt_m;
        if ground_m < MIN_GROUND_M {
            return Err(if climb_m.abs() < MIN_GROUND_M {
                PhysicsError::ZeroLengthLeg {
                    leg: index,
                    ground_m,
                    climb_m,
                }
            } else {
                PhysicsError::VerticalLeg {
                    leg: index,
                    ground_m,
                    climb_m,
                }
            });
        }
        let intervals = (ground_m / NODE_SPACING_M).ceil().max(1.0) as usize;
        let mut leg = Leg {
            lat0_deg: a.lat_deg(),
            lon0_deg: a.lon_deg(),
            azi0_deg: g.azi1_deg,
            h0_m: a.alt_m,
            slope: climb_m / ground_m,
            ground_m,
            ds_m: ground_m / intervals as f64,
            stretch: Vec::with_capacity(intervals + 1),
            path_m: Vec::with_capacity(intervals + 1),
        };
        for j in 0..=intervals {
            let s = if j == intervals {
                ground_m
            } else {
                j as f64 * leg.ds_m
            };
            let (_, dp_ds) = leg.at_ground(s).map_err(geo_err)?;
            let f = dp_ds.norm();
            let path = match (leg.stretch.last(), leg.path_m.last()) {
                (Some(f_prev), Some(l_prev)) => l_prev + 0.5 * (f_prev + f) * leg.ds_m,
                _ => 0.0,
            };
            leg.stretch.push(f);
            leg.path_m.push(path);
        }
        Ok(leg)
    }

    fn length_m(&self) -> f64 {
        *self.path_m.last().expect("a leg has at least two nodes")
    }

    /// Position at ground distance `s` and `dP/ds` in its ENU frame.
    fn at_ground(&self, s: f64) -> Result<(Geodetic, Vector3<f64>), iadsim_geo::GeoError> {
        let d = direct(self.lat0_deg, self.lon0_deg, self.azi0_deg, s)?;
        let h = self.h0_m + self.slope * s;
        let position = Geodetic::from_degrees(d.lat_deg, d.lon_deg, h);
        let (m, n) = radii_of_curvature(position.lat_rad);
        let (sin_az, cos_az) = d.azi2_deg.to_radians().sin_cos();
        let dp_ds = Vector3::new(sin_az * (1.0 + h / n), cos_az * (1.0 + h / m), self.slope);
        Ok((position, dp_ds))
    }

    /// Position and `dP/ds` (ENU) after flying `path_m` metres of 3-D path along the leg.
    fn at_path_length(&self, path_m: f64) -> (Geodetic, Vector3<f64>) {
        let l = path_m.clamp(0.0, self.length_m());
        let intervals = self.path_m.len() - 1;
        let j = (self.path_m.partition_point(|&p| p <= l).max(1) - 1).min(intervals - 1);
        // ℓ(s_j + u) = ℓ_j + f_j u + (f_{j+1} − f_j) u² / (2 ds), solved for u ≥ 0 in the
        // cancellation-free form u = 2c / (b + √(b² + 4ac)).
        let c = l - self.path_m[j];
        let b = self.stretch[j];
        let a = (self.stretch[j + 1] - b) / (2.0 * self.ds_m);
        let u = 2.0 * c / (b + (b * b + 4.0 * a * c).max(0.0).sqrt());
        let s = if j + 1 == intervals && l >= self.length_m() {
            self.ground_m
        } else {
            (j as f64 * self.ds_m + u).min(self.ground_m)
        };
        self.at_ground(s)
            .expect("the leg's start and azimuth were validated when it was built")
    }
}
