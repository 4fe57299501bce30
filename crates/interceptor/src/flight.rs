//! 3-DOF point-mass flight over the rotating WGS-84 earth, with guidance phases.
//!
//! **State** ([`FlightState`]): ECEF position and velocity, mass, the achieved lateral
//! acceleration (the state of the first-order guidance lag) and the time of flight.
//!
//! **Forces** (see [`iadsim_physics::earth`] for the frame): thrust along the velocity, drag against it,
//! the achieved lateral (guidance) acceleration perpendicular to it, WGS-84 normal gravity along
//! the ellipsoid normal and the Coriolis term. The atmosphere ([`iadsim_physics::isa`]) is
//! evaluated at the geodetic height of the point (Vermeille's exact conversion, `iadsim-geo`).
//!
//! **Integration**: classical fixed-step RK4 on (position, velocity, achieved acceleration);
//! the mass is the exact linear function of time ([`MissileAero::mass_at`]). The guidance
//! command is re-evaluated at each RK4 stage, on the target estimate extrapolated to the stage
//! time (constant acceleration if one is given, else constant velocity), so the scheme stays
//! fourth-order inside a guidance phase; the phase itself is chosen once per step.
//!
//! **Guidance phases** ([`GuidancePhase`]):
//! 1. `Launch` (first [`FlightOptions::launch_hold_s`]): the missile leaves the tube or rail
//!    along the launch axis (azimuth, `launch_elevation_deg`); the rail cancels the
//!    perpendicular part of gravity and Coriolis, so the path is straight.
//! 2. `PitchOver`: the velocity is turned towards the guidance direction (the mid-course aim
//!    point, or the target if homing starts at once) with a commanded turn rate
//!    `angle error / pitch_over_time_constant_s`. The turn is made by thrust-vector or
//!    gas-dynamic control, as on vertically launched SAMs, so only the structural limit applies
//!    (not the lift limit, which is near zero at low speed). It ends when the error is below
//!    [`FlightOptions::pitch_over_done_deg`] or after [`FlightOptions::pitch_over_max_s`].
//! 3. `Midcourse` (command guidance while the time to go exceeds
//!    [`FlightOptions::terminal_time_to_go_s`]): PN towards a stationary aim point
//!    `A = PIP + up · loft_factor · d_go · ramp`, where the predicted intercept point
//!    `PIP = p_T + v_T t_go` is found by fixed-point iteration of `t_go = |PIP − r| / V_est`,
//!    `d_go = |PIP − r|`, `up` is the ellipsoid normal at the PIP and
//!    `ramp = clamp((t_go − T_h)/T_h, 0, 1)` with `T_h` the terminal time to go: a lofted
//!    trajectory for long shots whose bias decays to zero as the missile nears the PIP (at
//!    `t_go = 2 T_h` it starts to fade, at `T_h` it is gone). `V_est` is the current speed, or
//!    before burnout `max(v, 0.6 (v + ΔV_ideal remaining))`, a deliberately rough mean speed.
//! 4. `Terminal` (homing on the target estimate, latched once entered): true or augmented PN
//!    ([`crate::guidance::pn_command`]).
//!
//! Without a target estimate the missile flies `Unguided` (zero command; the lag decays).
//! In every guided phase the command includes gravity compensation, `−γ⊥` (the part of normal
//! gravity perpendicular to the velocity), so PN does not have to fight gravity through its
//! line-of-sight rate. The command (projected perpendicular to the velocity) is limited to the
//! available acceleration, then passes the lag `ȧ = (a_c − a)/τ` (none if τ = 0); the achieved
//! acceleration is again projected and limited, because the velocity turns and the lift limit
//! falls as the missile climbs.
use crate::aero::{AccelLimit, MissileAero};
use crate::guidance::{perpendicular, pn_command, true_pn_accel};
use crate::InterceptorError;
use iadsim_geo::{Ecef, EnuFrame};
use iadsim_physics::earth::{coriolis_ecef, normal_gravity_mps2};
use iadsim_physics::isa;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

/// Fraction of `v + ΔV_ideal remaining` used as the mean-speed estimate before burnout.
pub const SPEED_ESTIMATE_FRACTION: f64 = 0.6;
/// Below this speed, m/s, the thrust acts along the launch axis (the velocity has no direction).
const MIN_DIRECTION_SPEED_MPS: f64 = 1.0;

/// Tunable constants of the guidance phases. The defaults are modelling choices (not published
/// figures), documented in `docs/flyout.md`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlightOptions {
    /// Time on the rail / in the tube along the launch axis, s (default 0.5).
    pub launch_hold_s: f64,
    /// Time constant of the pitch-over turn, s (default 0.5).
    pub pitch_over_time_constant_s: f64,
    /// Pitch-over ends below this angle error, degrees (default 3).
    pub pitch_over_done_deg: f64,
    /// Longest pitch-over, s (default 5).
    pub pitch_over_max_s: f64,
    /// Terminal homing starts when the time to go falls to this, s (default 8).
    pub terminal_time_to_go_s: f64,
    /// Add gravity compensation to the guidance command (default true).
    pub gravity_compensation: bool,
}

impl Default for FlightOptions {
    fn default() -> FlightOptions {
        FlightOptions {
            launch_hold_s: 0.5,
            pitch_over_time_constant_s: 0.5,
            pitch_over_done_deg: 3.0,
            pitch_over_max_s: 5.0,
            terminal_time_to_go_s: 8.0,
            gravity_compensation: true,
        }
    }
}

/// What the missile is told about its target at the start of a step (from the engagement radar
/// or the seeker; never truth unless the caller chooses so). ECEF, SI units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TargetEstimate {
    /// Position, ECEF, m.
    pub position_ecef_m: Vector3<f64>,
    /// Velocity, ECEF, m/s.
    pub velocity_ecef_mps: Vector3<f64>,
    /// Acceleration, ECEF, m/s², if estimated (used by augmented PN and the extrapolation).
    pub acceleration_ecef_mps2: Option<Vector3<f64>>,
}

impl TargetEstimate {
    /// A stationary point (an aim point, or a target at rest).
    pub fn stationary(position_ecef_m: Vector3<f64>) -> TargetEstimate {
        TargetEstimate {
            position_ecef_m,
            velocity_ecef_mps: Vector3::zeros(),
            acceleration_ecef_mps2: None,
        }
    }

    /// Position and velocity extrapolated by `dt_s` (constant acceleration, or constant velocity
    /// without one).
    pub fn extrapolate(&self, dt_s: f64) -> (Vector3<f64>, Vector3<f64>) {
        match self.acceleration_ecef_mps2 {
            Some(a) => (
                self.position_ecef_m + self.velocity_ecef_mps * dt_s + a * (0.5 * dt_s * dt_s),
                self.velocity_ecef_mps + a * dt_s,
            ),
            None => (
                self.position_ecef_m + self.velocity_ecef_mps * dt_s,
                self.velocity_ecef_mps,
            ),
        }
    }
}

/// The guidance phase of a step; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuidancePhase {
    /// On the rail / in the tube.
    Launch,
    /// Turning from the launch axis to the guidance direction.
    PitchOver,
    /// PN towards the (lofted) predicted intercept point.
    Midcourse,
    /// Homing on the target estimate.
    Terminal,
    /// No target estimate: no command.
    Unguided,
}

/// Why a missile is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LossReason {
    /// The time of flight reached `max_flight_time_s`.
    MaxFlightTime,
    /// After burnout the speed fell below `min_speed_mps`.
    TooSlow,
    /// The missile went below [`Flight::ground_floor_m`] (the ellipsoid by default).
    Ground,
}

/// The state of a missile in flight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FlightState {
    /// Position, ECEF, m.
    pub position_ecef_m: Vector3<f64>,
    /// Velocity, ECEF, m/s.
    pub velocity_ecef_mps: Vector3<f64>,
    /// Mass, kg.
    pub mass_kg: f64,
    /// State of the guidance lag: the achieved acceleration before the final projection and
    /// limit, ECEF, m/s².
    pub achieved_accel_mps2: Vector3<f64>,
    /// Time since launch, s.
    pub time_of_flight_s: f64,
}

/// What happened during one [`Flight::step`]. The acceleration fields are evaluated at the start
/// of the step (the first RK4 stage).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlightStep {
    /// The guidance phase of the step.
    pub phase: GuidancePhase,
    /// Commanded lateral acceleration after projection and limiting, ECEF, m/s².
    pub commanded_lateral_accel_mps2: Vector3<f64>,
    /// Achieved (applied) lateral acceleration, ECEF, m/s² (during `Launch`, the rail reaction).
    pub achieved_lateral_accel_mps2: Vector3<f64>,
    /// The lateral acceleration available, m/s².
    pub available_lateral_accel_mps2: f64,
    /// Whether, and by which limit, the command or the achieved acceleration was limited.
    pub limit: AccelLimit,
    /// Mach number.
    pub mach: f64,
    /// Height above the ellipsoid at the end of the step, m.
    pub altitude_m: f64,
    /// Set if the missile is lost at the end of this step.
    pub loss: Option<LossReason>,
}

/// A missile in 3-DOF flight.
#[derive(Debug, Clone, PartialEq)]
pub struct Flight {
    aero: MissileAero,
    options: FlightOptions,
    state: FlightState,
    phase: GuidancePhase,
    launch_axis: Vector3<f64>,
    pitch_over_start_s: Option<f64>,
    pitch_over_done: bool,
    lost: Option<LossReason>,
    /// Loss by [`LossReason::Ground`] below this height above the ellipsoid, m. Set by
    /// [`Flight::launch`] to `min(0, launcher height)`; the engine may raise it (terrain).
    pub ground_floor_m: f64,
}

/// Quantities of one derivative evaluation.
#[derive(Debug, Clone, Copy)]
struct Eval {
    dr: Vector3<f64>,
    dv: Vector3<f64>,
    da: Vector3<f64>,
    commanded: Vector3<f64>,
    achieved: Vector3<f64>,
    available: f64,
    limit: AccelLimit,
    mach: f64,
}

/// Per-step constants of the derivative.
struct StepContext<'a> {
    phase: GuidancePhase,
    target: Option<&'a TargetEstimate>,
    t0: f64,
    speed_estimate_mps: f64,
    loft_up: Vector3<f64>,
    /// Fraction of the loft kept for this step: `1 − h_PIP / LOFT_FADE_HEIGHT_M`, clamped.
    loft_scale: f64,
    /// Time to go at the start of the step (the fixed-point iteration's starting value).
    t_go_hint: Option<f64>,
    vertical: LocalVertical,
}

/// The local vertical at the start of a step and a second-order expansion around it.
///
/// The exact ECEF → geodetic conversion is done once per step (at the start); the RK4 stages,
/// which lie within one step's flight (≲ 100 m) of it, use
/// `h ≈ h₀ + û₀·Δ + |Δ_horizontal|² / (2 R)` and `û ≈ normalise(û₀ + Δ_horizontal / R)`, with `R` the
/// Gaussian mean radius of curvature plus `h₀`. For a 100 m displacement the height error is
/// below a micrometre (the curvature differs by under 1 % between azimuths), far below anything
/// the atmosphere or gravity can feel, and the expansion is smooth, so RK4 keeps its order.
#[derive(Debug, Clone, Copy)]
struct LocalVertical {
    r0: Vector3<f64>,
    up0: Vector3<f64>,
    alt0: f64,
    lat0: f64,
    radius: f64,
}

impl LocalVertical {
    fn new(r0: &Vector3<f64>) -> LocalVertical {
        let geo = Ecef(*r0).to_geodetic();
        let s2 = geo.lat_rad.sin().powi(2);
        let w2 = 1.0 - iadsim_geo::WGS84_E2 * s2;
        // Gaussian mean radius √(M N) = a √(1 − e²) / (1 − e² sin²φ).
        let gauss = iadsim_geo::WGS84_A_M * (1.0 - iadsim_geo::WGS84_E2).sqrt() / w2;
        LocalVertical {
            r0: *r0,
            up0: geo.up(),
            alt0: geo.alt_m,
            lat0: geo.lat_rad,
            radius: gauss + geo.alt_m,
        }
    }

    /// Height above the ellipsoid and the up unit vector at `r`.
    fn at(&self, r: &Vector3<f64>) -> (f64, Vector3<f64>) {
        let d = r - self.r0;
        let dv = self.up0.dot(&d);
        let horiz = d - self.up0 * dv;
        let alt = self.alt0 + dv + horiz.norm_squared() / (2.0 * self.radius);
        let up = (self.up0 + horiz / self.radius).normalize();
        (alt, up)
    }
}

/// The ellipsoid normal through the point of the ellipsoid nearest to `p`, approximately:
/// the gradient `(x, y, z / (1 − e²))` of the ellipsoid's equation at `p`. Exact on the ellipsoid;
/// about 1e-5 rad off at 10 km height. Used only for the loft direction.
fn up_approx(p: &Vector3<f64>) -> Vector3<f64> {
    Vector3::new(p.x, p.y, p.z / (1.0 - iadsim_geo::WGS84_E2)).normalize()
}

/// Height of the predicted intercept point at and above which the missile does not loft, m. The
/// loft buys range by flying through thin air; against a target that is already high it would
/// carry the missile above the height where lift can still bring it down (at 40 km a 48N6-class
/// missile has about 1 g of lift), so it fades linearly to nothing at this height.
pub const LOFT_FADE_HEIGHT_M: f64 = 30_000.0;

/// The fraction of the loft kept for a predicted intercept point at height `h_pip_m`.
pub fn loft_scale(h_pip_m: f64) -> f64 {
    (1.0 - h_pip_m / LOFT_FADE_HEIGHT_M).clamp(0.0, 1.0)
}

impl Flight {
    /// A missile on the launcher at `launcher_ecef_m`, its axis at `launch_azimuth_rad` (from
    /// north, clockwise, in the launcher's local ENU frame) and `aero.launch_elevation_deg`,
    /// at rest, with the default [`FlightOptions`].
    pub fn launch(
        aero: &MissileAero,
        launcher_ecef_m: Vector3<f64>,
        launch_azimuth_rad: f64,
    ) -> Result<Flight, InterceptorError> {
        Flight::launch_with(
            aero,
            launcher_ecef_m,
            launch_azimuth_rad,
            FlightOptions::default(),
        )
    }

    /// As [`Flight::launch`], with explicit options.
    pub fn launch_with(
        aero: &MissileAero,
        launcher_ecef_m: Vector3<f64>,
        launch_azimuth_rad: f64,
        options: FlightOptions,
    ) -> Result<Flight, InterceptorError> {
        aero.validate()?;
        if !launcher_ecef_m.iter().all(|c| c.is_finite()) {
            return Err(InterceptorError::BadLaunchPosition);
        }
        if !launch_azimuth_rad.is_finite() {
            return Err(InterceptorError::OutOfRange {
                field: "launch_azimuth_rad",
                value: launch_azimuth_rad,
                allowed: "finite",
            });
        }
        let geo = Ecef(launcher_ecef_m).to_geodetic();
        let el = aero.launch_elevation_deg.to_radians();
        let (sa, ca) = launch_azimuth_rad.sin_cos();
        let enu = Vector3::new(sa * el.cos(), ca * el.cos(), el.sin());
        let axis = EnuFrame::new(geo).vector_to_ecef(&enu);
        let state = FlightState {
            position_ecef_m: launcher_ecef_m,
            velocity_ecef_mps: Vector3::zeros(),
            mass_kg: aero.launch_mass_kg,
            achieved_accel_mps2: Vector3::zeros(),
            time_of_flight_s: 0.0,
        };
        let mut f = Flight::from_state(aero, state, axis, options)?;
        f.ground_floor_m = geo.alt_m.min(0.0);
        Ok(f)
    }

    /// A missile already in flight, in the given state (the launch phase and pitch-over are
    /// over if `time_of_flight_s` is past them). `axis` is the body direction used while the
    /// speed is below 1 m/s. The ground floor is the ellipsoid.
    pub fn from_state(
        aero: &MissileAero,
        state: FlightState,
        axis: Vector3<f64>,
        options: FlightOptions,
    ) -> Result<Flight, InterceptorError> {
        aero.validate()?;
        let n = axis.norm();
        if !(n.is_finite() && n > 0.0) {
            return Err(InterceptorError::BadLaunchDirection {
                x: axis.x,
                y: axis.y,
                z: axis.z,
            });
        }
        let past_launch = state.time_of_flight_s >= options.launch_hold_s;
        Ok(Flight {
            aero: *aero,
            options,
            state,
            phase: if past_launch {
                GuidancePhase::Midcourse
            } else {
                GuidancePhase::Launch
            },
            launch_axis: axis / n,
            pitch_over_start_s: None,
            pitch_over_done: past_launch,
            lost: None,
            ground_floor_m: 0.0,
        })
    }

    /// The current state.
    pub fn state(&self) -> &FlightState {
        &self.state
    }

    /// Position, ECEF, m.
    pub fn position_ecef_m(&self) -> Vector3<f64> {
        self.state.position_ecef_m
    }

    /// Velocity, ECEF, m/s.
    pub fn velocity_ecef_mps(&self) -> Vector3<f64> {
        self.state.velocity_ecef_mps
    }

    /// Time since launch, s.
    pub fn time_of_flight_s(&self) -> f64 {
        self.state.time_of_flight_s
    }

    /// The missile description.
    pub fn aero(&self) -> &MissileAero {
        &self.aero
    }

    /// The phase of the last step.
    pub fn phase(&self) -> GuidancePhase {
        self.phase
    }

    /// The first loss, if any.
    pub fn lost(&self) -> Option<LossReason> {
        self.lost
    }

    /// The lateral acceleration the missile could achieve now (structural or lift limit), m/s².
    pub fn available_lateral_accel_mps2(&self) -> f64 {
        let atm = isa(Ecef(self.state.position_ecef_m).height_and_up().0);
        let v = self.state.velocity_ecef_mps.norm();
        let q = 0.5 * atm.density_kg_m3 * v * v;
        self.aero
            .available_lateral_accel(q, self.aero.mass_at(self.state.time_of_flight_s))
            .0
    }

    /// Unit vector along the velocity, or the launch axis at (near) zero speed.
    fn direction(&self, v: &Vector3<f64>) -> Vector3<f64> {
        let s = v.norm();
        if s > MIN_DIRECTION_SPEED_MPS {
            v / s
        } else {
            self.launch_axis
        }
    }

    /// Mean-speed estimate for the time to go, m/s (see the module doc).
    fn speed_estimate_mps(&self) -> f64 {
        let v = self.state.velocity_ecef_mps.norm();
        let t = self.state.time_of_flight_s;
        let est = if t < self.aero.burnout_time_s() {
            SPEED_ESTIMATE_FRACTION * (v + self.aero.remaining_ideal_delta_v_mps(t))
        } else {
            0.0
        };
        v.max(est).max(MIN_DIRECTION_SPEED_MPS)
    }

    /// The predicted intercept point and time to go from position `r`, and the aim point with
    /// the loft bias along `up`.
    fn midcourse_aim(
        &self,
        ctx: &StepContext<'_>,
        target: &TargetEstimate,
        t: f64,
        r: &Vector3<f64>,
    ) -> (Vector3<f64>, f64) {
        let (p, v) = target.extrapolate(t - ctx.t0);
        let (pip, t_go) = match ctx.t_go_hint {
            Some(hint) => {
                let t_go = (p + v * hint - r).norm() / ctx.speed_estimate_mps;
                (p + v * t_go, t_go)
            }
            None => predicted_intercept_point(&p, &v, r, ctx.speed_estimate_mps),
        };
        let th = self.options.terminal_time_to_go_s;
        let ramp = if th > 0.0 {
            ((t_go - th) / th).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let d_go = (pip - r).norm();
        (
            pip + ctx.loft_up * (self.aero.loft_factor * ctx.loft_scale * d_go * ramp),
            t_go,
        )
    }

    /// The derivative of (r, v, a) at time `t`, and the guidance quantities.
    fn eval(
        &self,
        ctx: &StepContext<'_>,
        t: f64,
        r: &Vector3<f64>,
        v: &Vector3<f64>,
        a_lag: &Vector3<f64>,
    ) -> Eval {
        let aero = &self.aero;
        let (alt, up) = ctx.vertical.at(r);
        let atm = isa(alt);
        let speed = v.norm();
        let u = self.direction(v);
        let q = 0.5 * atm.density_kg_m3 * speed * speed;
        let mach = speed / atm.speed_of_sound_mps;
        let m = aero.mass_at(t);
        let gravity = -normal_gravity_mps2(ctx.vertical.lat0, alt) * up;
        let coriolis = coriolis_ecef(v);
        let (structural, lift) = aero.lateral_limits(q, m);

        let zero = Vector3::zeros();
        let (commanded, achieved, da, available, limit) = if ctx.phase == GuidancePhase::Launch {
            let rail = -perpendicular(&(gravity + coriolis), &u);
            (zero, rail, zero, structural, AccelLimit::None)
        } else {
            let gc = if self.options.gravity_compensation {
                -perpendicular(&gravity, &u)
            } else {
                zero
            };
            let raw = self.raw_command(ctx, t, r, v, gc);
            let (available, which) = if ctx.phase == GuidancePhase::PitchOver {
                (structural, AccelLimit::Structural)
            } else if lift < structural {
                (lift, AccelLimit::Lift)
            } else {
                (structural, AccelLimit::Structural)
            };
            let mut limit = AccelLimit::None;
            let clip = |x: Vector3<f64>, limit: &mut AccelLimit| {
                let x = perpendicular(&x, &u);
                let n = x.norm();
                if n > available {
                    *limit = which;
                    if n > 0.0 {
                        x * (available / n)
                    } else {
                        x
                    }
                } else {
                    x
                }
            };
            let commanded = clip(raw, &mut limit);
            let tau = aero.guidance_time_constant_s;
            if tau > 0.0 {
                let achieved = clip(*a_lag, &mut limit);
                (
                    commanded,
                    achieved,
                    (commanded - a_lag) / tau,
                    available,
                    limit,
                )
            } else {
                (commanded, commanded, zero, available, limit)
            }
        };

        let lateral_for_drag = if ctx.phase == GuidancePhase::Launch {
            0.0
        } else {
            achieved.norm()
        };
        let drag = aero.drag_n(q, mach, m, lateral_for_drag);
        let axial = (aero.thrust_at(t) - drag) / m;
        Eval {
            dr: *v,
            dv: u * axial + achieved + gravity + coriolis,
            da,
            commanded,
            achieved,
            available,
            limit,
            mach,
        }
    }

    /// The guidance acceleration the current phase asks for at `(t, r, v)`, before the limits,
    /// with the gravity compensation `gc` added; zero without a target (and on the rail).
    fn raw_command(
        &self,
        ctx: &StepContext<'_>,
        t: f64,
        r: &Vector3<f64>,
        v: &Vector3<f64>,
        gc: Vector3<f64>,
    ) -> Vector3<f64> {
        let aero = &self.aero;
        let zero = Vector3::zeros();
        match (ctx.phase, ctx.target) {
            (GuidancePhase::PitchOver, Some(tgt)) => {
                let (aim, _) = self.midcourse_aim(ctx, tgt, t, r);
                let (speed, u) = (v.norm(), self.direction(v));
                let d = aim - r;
                let n = perpendicular(&d, &u);
                let nn = n.norm();
                if nn > 0.0 {
                    let err = nn.atan2(d.dot(&u));
                    n / nn
                        * (speed.max(MIN_DIRECTION_SPEED_MPS) * err
                            / self.options.pitch_over_time_constant_s)
                        + gc
                } else {
                    gc
                }
            }
            (GuidancePhase::Midcourse, Some(tgt)) => {
                let (aim, _) = self.midcourse_aim(ctx, tgt, t, r);
                true_pn_accel(r, v, &aim, &zero, aero.nav_constant) + gc
            }
            (GuidancePhase::Terminal, Some(tgt)) => {
                let (p, vt) = tgt.extrapolate(t - ctx.t0);
                let at = tgt.acceleration_ecef_mps2;
                pn_command(
                    r,
                    v,
                    &p,
                    &vt,
                    at.as_ref(),
                    aero.nav_constant,
                    aero.augmented_pn,
                ) + gc
            }
            _ => zero,
        }
    }

    /// The phase for the step starting now.
    fn choose_phase(
        &mut self,
        target: Option<&TargetEstimate>,
        ctx: &StepContext<'_>,
    ) -> GuidancePhase {
        let t = self.state.time_of_flight_s;
        if t < self.options.launch_hold_s {
            return GuidancePhase::Launch;
        }
        let Some(tgt) = target else {
            return GuidancePhase::Unguided;
        };
        if self.phase == GuidancePhase::Terminal {
            return GuidancePhase::Terminal;
        }
        let r = self.state.position_ecef_m;
        let (aim, t_go) = self.midcourse_aim(ctx, tgt, t, &r);
        let terminal = t_go <= self.options.terminal_time_to_go_s;
        if !self.pitch_over_done {
            let start = *self.pitch_over_start_s.get_or_insert(t);
            let d = if terminal { tgt.position_ecef_m } else { aim } - r;
            let u = self.direction(&self.state.velocity_ecef_mps);
            let err = perpendicular(&d, &u).norm().atan2(d.dot(&u));
            if err > self.options.pitch_over_done_deg.to_radians()
                && t - start < self.options.pitch_over_max_s
            {
                return GuidancePhase::PitchOver;
            }
            self.pitch_over_done = true;
        }
        if terminal {
            GuidancePhase::Terminal
        } else {
            GuidancePhase::Midcourse
        }
    }

    /// Advance by `dt_s` seconds guiding on `target` (its estimate at the start of the step), or
    /// unguided if `None`. Classical RK4; see the module documentation.
    pub fn step(&mut self, dt_s: f64, target: Option<&TargetEstimate>) -> FlightStep {
        let t0 = self.state.time_of_flight_s;
        let mut ctx = StepContext {
            phase: GuidancePhase::Unguided,
            target,
            t0,
            speed_estimate_mps: self.speed_estimate_mps(),
            loft_up: Vector3::zeros(),
            loft_scale: 0.0,
            t_go_hint: None,
            vertical: LocalVertical::new(&self.state.position_ecef_m),
        };
        if let Some(tgt) = target {
            let (pip, t_go) = predicted_intercept_point(
                &tgt.position_ecef_m,
                &tgt.velocity_ecef_mps,
                &self.state.position_ecef_m,
                ctx.speed_estimate_mps,
            );
            ctx.loft_up = up_approx(&pip);
            ctx.loft_scale = loft_scale(Ecef(pip).height_and_up().0);
            ctx.t_go_hint = Some(t_go);
        }
        ctx.phase = self.choose_phase(target, &ctx);
        self.phase = ctx.phase;

        let s = self.state;
        let (r0, v0, a0) = (
            s.position_ecef_m,
            s.velocity_ecef_mps,
            s.achieved_accel_mps2,
        );
        let h = dt_s;
        let k1 = self.eval(&ctx, t0, &r0, &v0, &a0);
        let k2 = self.eval(
            &ctx,
            t0 + 0.5 * h,
            &(r0 + k1.dr * (0.5 * h)),
            &(v0 + k1.dv * (0.5 * h)),
            &(a0 + k1.da * (0.5 * h)),
        );
        let k3 = self.eval(
            &ctx,
            t0 + 0.5 * h,
            &(r0 + k2.dr * (0.5 * h)),
            &(v0 + k2.dv * (0.5 * h)),
            &(a0 + k2.da * (0.5 * h)),
        );
        let k4 = self.eval(
            &ctx,
            t0 + h,
            &(r0 + k3.dr * h),
            &(v0 + k3.dv * h),
            &(a0 + k3.da * h),
        );
        let w = h / 6.0;
        let t1 = t0 + h;
        self.state.position_ecef_m = r0 + (k1.dr + 2.0 * k2.dr + 2.0 * k3.dr + k4.dr) * w;
        self.state.velocity_ecef_mps = v0 + (k1.dv + 2.0 * k2.dv + 2.0 * k3.dv + k4.dv) * w;
        self.state.achieved_accel_mps2 = if self.aero.guidance_time_constant_s > 0.0 {
            a0 + (k1.da + 2.0 * k2.da + 2.0 * k3.da + k4.da) * w
        } else {
            k4.achieved
        };
        self.state.time_of_flight_s = t1;
        self.state.mass_kg = self.aero.mass_at(t1);

        let altitude_m = ctx.vertical.at(&self.state.position_ecef_m).0;
        let speed = self.state.velocity_ecef_mps.norm();
        let loss = if t1 >= self.aero.max_flight_time_s {
            Some(LossReason::MaxFlightTime)
        } else if t1 > self.aero.burnout_time_s() && speed < self.aero.min_speed_mps {
            Some(LossReason::TooSlow)
        } else if t1 > self.options.launch_hold_s && altitude_m < self.ground_floor_m {
            Some(LossReason::Ground)
        } else {
            None
        };
        if self.lost.is_none() {
            self.lost = loss;
        }
        FlightStep {
            phase: ctx.phase,
            commanded_lateral_accel_mps2: k1.commanded,
            achieved_lateral_accel_mps2: k1.achieved,
            available_lateral_accel_mps2: k1.available,
            limit: k1.limit,
            mach: k1.mach,
            altitude_m,
            loss,
        }
    }
}

/// Predicted intercept point of a constant-velocity target at `p` moving at `v`, for a missile
/// at `r` closing at mean speed `speed_mps`: the fixed point of `t = |p + v t − r| / speed`,
/// three iterations from `t = |p − r| / speed` (enough while the target is slower than the
/// missile). Returns the point and the time to go.
pub fn predicted_intercept_point(
    p: &Vector3<f64>,
    v: &Vector3<f64>,
    r: &Vector3<f64>,
    speed_mps: f64,
) -> (Vector3<f64>, f64) {
    let mut t = (p - r).norm() / speed_mps;
    for _ in 0..3 {
        t = (p + v * t - r).norm() / speed_mps;
    }
    (p + v * t, t)
}
