//! Whole engagements flown with the 3-DOF model against a known target path (for the flyout
//! table, the launch envelope and tests), and the ground-range geometry they share.
use crate::aero::MissileAero;
use crate::cpa::passes_cpa_within_step;
use crate::flight::{Flight, FlightOptions, GuidancePhase, LossReason, TargetEstimate};
use crate::InterceptorError;
use iadsim_geo::{radii_of_curvature, Ecef, EnuFrame, Geodetic};
use nalgebra::Vector3;

/// How an engagement ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EngagementOutcome {
    /// Closest approach to the target, m, if the range stopped closing before the missile was
    /// lost (the fuze is armed once `Launch` and `PitchOver` are over).
    pub miss_distance_m: Option<f64>,
    /// Time of flight at the closest approach (or at the loss), s.
    pub time_of_flight_s: f64,
    /// Why the missile was lost before a closest approach, if it was.
    pub loss: Option<LossReason>,
    /// Missile speed at the end, m/s.
    pub final_speed_mps: f64,
    /// Lateral acceleration available at the end, m/s².
    pub available_lateral_accel_mps2: f64,
    /// Highest speed reached, m/s.
    pub peak_speed_mps: f64,
    /// Highest height above the ellipsoid reached, m.
    pub apogee_m: f64,
}

/// Fly `aero` from `launcher_ecef_m` at `launch_azimuth_rad` against a target whose exact state
/// at time `t` (s after launch) is `target(t)`, guiding on that exact state, with step `dt_s`,
/// until the closest approach or a loss.
pub fn simulate_engagement(
    aero: &MissileAero,
    options: FlightOptions,
    launcher_ecef_m: Vector3<f64>,
    launch_azimuth_rad: f64,
    mut target: impl FnMut(f64) -> TargetEstimate,
    dt_s: f64,
) -> Result<EngagementOutcome, InterceptorError> {
    if !(dt_s.is_finite() && dt_s > 0.0) {
        return Err(InterceptorError::NotPositive {
            field: "dt_s",
            value: dt_s,
        });
    }
    let mut flight = Flight::launch_with(aero, launcher_ecef_m, launch_azimuth_rad, options)?;
    let mut tgt = target(0.0);
    let mut peak_speed_mps: f64 = 0.0;
    let mut apogee_m = f64::NEG_INFINITY;
    loop {
        let p0 = flight.position_ecef_m();
        let q0 = tgt.position_ecef_m;
        let step = flight.step(dt_s, Some(&tgt));
        let t1 = flight.time_of_flight_s();
        tgt = target(t1);
        let speed = flight.velocity_ecef_mps().norm();
        peak_speed_mps = peak_speed_mps.max(speed);
        apogee_m = apogee_m.max(step.altitude_m);
        let armed = !matches!(step.phase, GuidancePhase::Launch | GuidancePhase::PitchOver);
        let cpa = if armed {
            passes_cpa_within_step(&p0, &flight.position_ecef_m(), &q0, &tgt.position_ecef_m)
        } else {
            None
        };
        if cpa.is_some() || step.loss.is_some() {
            return Ok(EngagementOutcome {
                miss_distance_m: cpa.map(|c| c.miss_distance_m),
                time_of_flight_s: match cpa {
                    Some(c) => t1 - dt_s * (1.0 - c.fraction),
                    None => t1,
                },
                loss: if cpa.is_some() { None } else { step.loss },
                final_speed_mps: speed,
                available_lateral_accel_mps2: flight.available_lateral_accel_mps2(),
                peak_speed_mps,
                apogee_m,
            });
        }
    }
}

/// Where a point is, seen from a launcher, in the coordinates of a flyout table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroundGeometry {
    /// Ground range along the ellipsoid, m (see [`LauncherFrame::locate`]).
    pub ground_range_m: f64,
    /// Height of the point above the launcher's height, m.
    pub height_above_launcher_m: f64,
    /// Azimuth from the launcher, radians clockwise from north.
    pub azimuth_rad: f64,
    /// The local vertical at the point (the ellipsoid normal), ECEF unit vector: the gradient
    /// of its height.
    pub up_unit: Vector3<f64>,
}

/// A launcher's local frame, for fast ground-range computations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LauncherFrame {
    geo: Geodetic,
    frame: EnuFrame,
    up: Vector3<f64>,
    m: f64,
    n: f64,
}

impl LauncherFrame {
    /// The frame of a launcher at `launcher_ecef_m`.
    pub fn new(launcher_ecef_m: &Vector3<f64>) -> LauncherFrame {
        let geo = Ecef(*launcher_ecef_m).to_geodetic();
        let (m, n) = radii_of_curvature(geo.lat_rad);
        LauncherFrame {
            geo,
            frame: EnuFrame::new(geo),
            // The normal as `locate` computes it for any point, so that the launcher's own
            // position is at ground range 0 exactly.
            up: Ecef(*launcher_ecef_m).height_and_up().1,
            m,
            n,
        }
    }

    /// The frame of a reference launcher at sea level on the prime meridian at `latitude_deg`,
    /// where flyout tables and launch envelopes are flown.
    pub fn reference(latitude_deg: f64) -> LauncherFrame {
        LauncherFrame::new(&Geodetic::from_degrees(latitude_deg, 0.0, 0.0).to_ecef().0)
    }

    /// The launcher's geodetic position.
    pub fn geodetic(&self) -> Geodetic {
        self.geo
    }

    /// The launcher's height above the ellipsoid, m.
    pub fn height_m(&self) -> f64 {
        self.geo.alt_m
    }

    /// Ground range, relative height and azimuth of `p` (ECEF, m).
    ///
    /// Ground range = `R_α · θ`, with `θ` the angle between the ellipsoid normals at the
    /// launcher and under the point, and `R_α = M N / (N cos²α + M sin²α)` the radius of
    /// curvature of the ellipsoid at the launcher in the azimuth `α` of the point (Euler's
    /// theorem). Against the geodesic distance (Karney) this is within about 1e-4 relative to
    /// 300 km (the curvature changes along the path), and it costs one geodetic conversion
    /// instead of a geodesic inverse. Flyout tables use the same function to place their aim
    /// points, so table and query agree exactly.
    pub fn locate(&self, p: &Vector3<f64>) -> GroundGeometry {
        let (alt_m, up) = Ecef(*p).height_and_up();
        let theta = self.up.cross(&up).norm().atan2(self.up.dot(&up));
        let enu = self.frame.to_enu(&Ecef(*p)).0;
        let az = if enu.x == 0.0 && enu.y == 0.0 {
            0.0
        } else {
            enu.x.atan2(enu.y)
        };
        let (s, c) = az.sin_cos();
        let r_alpha = self.m * self.n / (self.n * c * c + self.m * s * s);
        GroundGeometry {
            ground_range_m: r_alpha * theta,
            height_above_launcher_m: alt_m - self.geo.alt_m,
            azimuth_rad: az.rem_euclid(std::f64::consts::TAU),
            up_unit: up,
        }
    }

    /// The point due north of the launcher at ground range `ground_range_m` (in the sense of
    /// [`LauncherFrame::locate`]) and `height_m` above the launcher's height, ECEF.
    pub fn point_north(&self, ground_range_m: f64, height_m: f64) -> Vector3<f64> {
        Geodetic {
            lat_rad: self.geo.lat_rad + ground_range_m / self.m,
            lon_rad: self.geo.lon_rad,
            alt_m: self.geo.alt_m + height_m,
        }
        .to_ecef()
        .0
    }
}
