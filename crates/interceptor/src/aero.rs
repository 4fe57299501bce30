//! The 3-DOF description of a missile: motor, mass, drag, manoeuvre limits, guidance, warhead.
use crate::InterceptorError;
use iadsim_physics::atmosphere::G0_MPS2;
use serde::{Deserialize, Serialize};

/// Mach number up to which the zero-lift drag coefficient is the subsonic value.
pub const CD0_SUBSONIC_MACH: f64 = 0.8;
/// Mach number of the transonic drag peak.
pub const CD0_PEAK_MACH: f64 = 1.2;
/// Mach number at which `cd0_supersonic` is given.
pub const CD0_SUPERSONIC_REF_MACH: f64 = 2.0;

/// Everything the 3-DOF flyout needs to know about one missile type, in SI units.
///
/// The field names are those of the scenario presets (`presets/missiles.toml`).
///
/// **Motor.** Thrust acts along the velocity (body) axis: `boost_thrust_n` for `boost_time_s`,
/// then `sustain_thrust_n` for `sustain_time_s` (0 = no sustain phase; a two-pulse motor such as
/// PAC-3 MSE's is modelled as boost + sustain with no pause). The mass falls linearly during each
/// burn by its propellant mass and is constant after burnout.
///
/// **Drag.** `D = q S (CD0(M) + k CN²)`, `q = ½ρV²`, `S = π d²/4`, with the generic zero-lift
/// curve [`MissileAero::cd0`] and the normal-force coefficient needed for the current lateral
/// acceleration `CN = m a_lat / (q S)` (capped at `cn_max`).
///
/// **Manoeuvre.** The lateral acceleration is limited by both the structure
/// (`max_lateral_g · g₀`) and the lift available `q S cn_max / m` ([`MissileAero::lateral_limits`]).
///
/// **Guidance.** Proportional navigation with effective navigation ratio `nav_constant`,
/// augmented (`augmented_pn`) or true, through a first-order lag of time constant
/// `guidance_time_constant_s`; mid-course loft controlled by `loft_factor` (see
/// [`crate::flight`]).
///
/// **Warhead.** [`MissileAero::kill_probability`] of the miss distance, from `pk` and
/// `lethal_radius_m`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissileAero {
    /// Mass at launch, kg.
    pub launch_mass_kg: f64,
    /// Body diameter, m; the drag reference area is `π d²/4`.
    pub diameter_m: f64,
    /// Boost thrust, N.
    pub boost_thrust_n: f64,
    /// Boost burn time, s.
    pub boost_time_s: f64,
    /// Propellant burnt during boost, kg.
    pub boost_propellant_kg: f64,
    /// Sustain (or second-pulse) thrust, N.
    pub sustain_thrust_n: f64,
    /// Sustain burn time, s (0 = none).
    pub sustain_time_s: f64,
    /// Propellant burnt during sustain, kg.
    pub sustain_propellant_kg: f64,
    /// Zero-lift drag coefficient up to Mach 0.8.
    pub cd0_subsonic: f64,
    /// Zero-lift drag coefficient at Mach 2.
    pub cd0_supersonic: f64,
    /// Largest usable normal-force coefficient (referred to `π d²/4`).
    pub cn_max: f64,
    /// Induced-drag factor k in `CD = CD0 + k CN²`.
    pub induced_drag_factor: f64,
    /// Structural limit of the lateral acceleration, in g₀.
    pub max_lateral_g: f64,
    /// Time constant of the first-order lag between commanded and achieved acceleration, s
    /// (0 = no lag).
    pub guidance_time_constant_s: f64,
    /// Effective navigation ratio N'.
    pub nav_constant: f64,
    /// Augmented PN: add `N'/2 ·` the target acceleration normal to the line of sight.
    pub augmented_pn: bool,
    /// Mid-course loft: aim-point height bias as a fraction of the distance to go (0 = none).
    pub loft_factor: f64,
    /// Launcher elevation, degrees (90 = vertical launch).
    pub launch_elevation_deg: f64,
    /// Flight time after which the missile is lost (self-destructs), s.
    pub max_flight_time_s: f64,
    /// After burnout, the missile is lost when slower than this, m/s.
    pub min_speed_mps: f64,
    /// Lethal radius of the warhead, m (the σ of the Gaussian kill function).
    pub lethal_radius_m: f64,
    /// Kill probability at zero miss distance.
    pub pk: f64,
}

/// Which limit bounded a lateral acceleration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccelLimit {
    /// Not limited.
    None,
    /// Limited by the structure (`max_lateral_g`).
    Structural,
    /// Limited by the lift available (`q S cn_max / m`).
    Lift,
}

impl MissileAero {
    /// Check every field against its allowed range; the error names the field, the value and
    /// the range.
    pub fn validate(&self) -> Result<(), InterceptorError> {
        for (field, value, allowed) in self.field_ranges() {
            if !allowed.contains(value) {
                return Err(InterceptorError::OutOfRange {
                    field,
                    value,
                    allowed: allowed.text,
                });
            }
        }
        let propellant_kg = self.boost_propellant_kg + self.sustain_propellant_kg;
        if propellant_kg >= self.launch_mass_kg {
            return Err(InterceptorError::PropellantExceedsMass {
                propellant_kg,
                launch_mass_kg: self.launch_mass_kg,
            });
        }
        if self.sustain_time_s == 0.0 && self.sustain_propellant_kg > 0.0 {
            return Err(InterceptorError::PropellantWithoutBurnTime {
                propellant_kg: self.sustain_propellant_kg,
            });
        }
        Ok(())
    }

    /// Drag reference area `π d²/4`, m².
    pub fn reference_area_m2(&self) -> f64 {
        std::f64::consts::FRAC_PI_4 * self.diameter_m * self.diameter_m
    }

    /// End of the last burn (boost + sustain), s after launch.
    pub fn burnout_time_s(&self) -> f64 {
        self.boost_time_s + self.sustain_time_s
    }

    /// Mass after all propellant is burnt, kg.
    pub fn burnout_mass_kg(&self) -> f64 {
        self.launch_mass_kg - self.boost_propellant_kg - self.sustain_propellant_kg
    }

    /// Mass at time of flight `t_s`, kg: linear during each burn.
    pub fn mass_at(&self, t_s: f64) -> f64 {
        let t = t_s.max(0.0);
        let boost = self.boost_propellant_kg * (t / self.boost_time_s).min(1.0);
        let sustain = if self.sustain_time_s > 0.0 {
            self.sustain_propellant_kg
                * ((t - self.boost_time_s) / self.sustain_time_s).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.launch_mass_kg - boost - sustain
    }

    /// Thrust at time of flight `t_s`, N (constant in each phase).
    pub fn thrust_at(&self, t_s: f64) -> f64 {
        if t_s < 0.0 {
            0.0
        } else if t_s < self.boost_time_s {
            self.boost_thrust_n
        } else if t_s < self.burnout_time_s() {
            self.sustain_thrust_n
        } else {
            0.0
        }
    }

    /// Ideal velocity increment still to come from time of flight `t_s` to burnout, in vacuum
    /// without gravity (Tsiolkovsky with the effective exhaust velocity
    /// `c = F t_burn / m_propellant` of each burn), m/s. `t_s = 0` gives the whole motor's.
    pub fn remaining_ideal_delta_v_mps(&self, t_s: f64) -> f64 {
        let t = t_s.max(0.0);
        let mut dv = 0.0;
        for (f, start, dur, mp) in [
            (
                self.boost_thrust_n,
                0.0,
                self.boost_time_s,
                self.boost_propellant_kg,
            ),
            (
                self.sustain_thrust_n,
                self.boost_time_s,
                self.sustain_time_s,
                self.sustain_propellant_kg,
            ),
        ] {
            let end = start + dur;
            if dur <= 0.0 || t >= end {
                continue;
            }
            let t_from = t.max(start);
            let (m_from, m_to) = (self.mass_at(t_from), self.mass_at(end));
            dv += if mp > 0.0 {
                f * dur / mp * (m_from / m_to).ln()
            } else {
                f * (end - t_from) / m_from
            };
        }
        dv
    }

    /// Zero-lift drag coefficient at Mach `mach`: a generic surface-to-air-missile curve built
    /// from the two parameters.
    ///
    /// * `M ≤ 0.8`: `cd0_subsonic` (skin friction + base drag, no wave drag);
    /// * `M ≥ 1.2`: `cd0_supersonic · w(M) / w(2)` with `w(M) = 1.59 + 1.83/M²`, the Mach
    ///   dependence of Fleeman's supersonic body wave-drag estimate (E. L. Fleeman, *Missile
    ///   Design and System Engineering*, AIAA 2012, §2 "Aerodynamics", body zero-lift drag:
    ///   `CD0_wave = (1.59 + 1.83/M²) · [atan(0.5/(l_N/d))]^1.69`). The whole coefficient is
    ///   scaled by this shape, so it decays from 1.40·`cd0_supersonic` at M 1.2 to
    ///   0.78·`cd0_supersonic` as M → ∞ (it equals `cd0_supersonic` at M 2);
    /// * `0.8 < M < 1.2`: the transonic drag rise, a smoothstep `3u² − 2u³`,
    ///   `u = (M − 0.8)/0.4`, from `cd0_subsonic` to the M 1.2 value (the peak). The slope is
    ///   continuous at M 0.8, has a small kink at the peak.
    ///
    /// This is a shape, not a fit to any particular missile: the peak near M 1.1–1.2 and the
    /// `1/M²` decay are the textbook behaviour of slender finned bodies (Fleeman, figures on
    /// zero-lift drag against Mach number).
    pub fn cd0(&self, mach: f64) -> f64 {
        let w = |m: f64| 1.59 + 1.83 / (m * m);
        let sup = |m: f64| self.cd0_supersonic * w(m) / w(CD0_SUPERSONIC_REF_MACH);
        if mach <= CD0_SUBSONIC_MACH || !mach.is_finite() {
            self.cd0_subsonic
        } else if mach >= CD0_PEAK_MACH {
            sup(mach)
        } else {
            let u = (mach - CD0_SUBSONIC_MACH) / (CD0_PEAK_MACH - CD0_SUBSONIC_MACH);
            let s = u * u * (3.0 - 2.0 * u);
            self.cd0_subsonic + (sup(CD0_PEAK_MACH) - self.cd0_subsonic) * s
        }
    }

    /// The two lateral-acceleration limits at dynamic pressure `q_pa` and mass `mass_kg`:
    /// `(structural, lift)` in m/s², `structural = max_lateral_g · g₀`, `lift = q S cn_max / m`.
    pub fn lateral_limits(&self, q_pa: f64, mass_kg: f64) -> (f64, f64) {
        (
            self.max_lateral_g * G0_MPS2,
            q_pa * self.reference_area_m2() * self.cn_max / mass_kg,
        )
    }

    /// The lateral acceleration available, m/s², and which limit sets it.
    pub fn available_lateral_accel(&self, q_pa: f64, mass_kg: f64) -> (f64, AccelLimit) {
        let (structural, lift) = self.lateral_limits(q_pa, mass_kg);
        if lift < structural {
            (lift, AccelLimit::Lift)
        } else {
            (structural, AccelLimit::Structural)
        }
    }

    /// Drag force magnitude, N, at dynamic pressure `q_pa`, Mach `mach`, mass `mass_kg` and
    /// lateral acceleration `lateral_accel_mps2`: `q S (CD0(M) + k CN²)`,
    /// `CN = min(m a / (q S), cn_max)`.
    pub fn drag_n(&self, q_pa: f64, mach: f64, mass_kg: f64, lateral_accel_mps2: f64) -> f64 {
        let qs = q_pa * self.reference_area_m2();
        if qs <= 0.0 {
            return 0.0;
        }
        let cn = (mass_kg * lateral_accel_mps2 / qs).min(self.cn_max);
        qs * (self.cd0(mach) + self.induced_drag_factor * cn * cn)
    }

    /// Kill probability at miss distance `miss_m`: [`kill_probability`] with this missile's
    /// `pk` and `lethal_radius_m`.
    pub fn kill_probability(&self, miss_m: f64) -> f64 {
        kill_probability(self.pk, self.lethal_radius_m, miss_m)
    }
}

/// Kill probability at miss distance `miss_m` (m) of a warhead with kill probability `pk` at zero
/// miss and lethal radius `lethal_radius_m`: the Gaussian (circular normal) damage function
///
/// ```text
/// Pk(miss) = pk · exp(−miss² / (2 r²)),   r = lethal_radius_m
/// ```
///
/// so Pk falls to 61 % of `pk` at one lethal radius and 14 % at two. This is the
/// "cookie-cutter with soft edges" used in many open engagement models (e.g. Ball,
/// *The Fundamentals of Aircraft Combat Survivability*, 2nd ed., AIAA 2003, ch. 5, the
/// Carleton-type damage functions); with a Gaussian miss distribution it integrates in closed
/// form. A negative miss is treated as 0; a NaN miss gives NaN.
pub fn kill_probability(pk: f64, lethal_radius_m: f64, miss_m: f64) -> f64 {
    let x = if miss_m < 0.0 { 0.0 } else { miss_m } / lethal_radius_m;
    pk * (-0.5 * x * x).exp()
}

/// The allowed range of one [`MissileAero`] field: a finite value above `lo` (or at it, if
/// `lo_closed`) and at most `hi`; `text` is how error messages write the range.
#[derive(Clone, Copy)]
struct Allowed {
    lo: f64,
    lo_closed: bool,
    hi: f64,
    text: &'static str,
}

impl Allowed {
    /// `(lo, hi]`.
    const fn above(lo: f64, hi: f64, text: &'static str) -> Allowed {
        Allowed {
            lo,
            lo_closed: false,
            hi,
            text,
        }
    }

    /// `[lo, hi]`.
    const fn within(lo: f64, hi: f64, text: &'static str) -> Allowed {
        Allowed {
            lo,
            lo_closed: true,
            hi,
            text,
        }
    }

    fn contains(&self, value: f64) -> bool {
        let lo_ok = if self.lo_closed {
            value >= self.lo
        } else {
            value > self.lo
        };
        value.is_finite() && lo_ok && value <= self.hi
    }
}

impl MissileAero {
    /// Every field with its value and allowed range, in the order `validate` checks them.
    // One row per field: a table reads better than rustfmt's five lines per row.
    #[rustfmt::skip]
    fn field_ranges(&self) -> [(&'static str, f64, Allowed); 21] {
        use Allowed as A;
        [
            ("launch_mass_kg", self.launch_mass_kg, A::above(0.0, 1e5, "(0, 100000] kg")),
            ("diameter_m", self.diameter_m, A::above(0.0, 5.0, "(0, 5] m")),
            ("boost_thrust_n", self.boost_thrust_n, A::within(0.0, 1e8, "[0, 1e8] N")),
            ("boost_time_s", self.boost_time_s, A::above(0.0, 1000.0, "(0, 1000] s")),
            ("boost_propellant_kg", self.boost_propellant_kg, A::within(0.0, 1e5, "[0, 100000] kg")),
            ("sustain_thrust_n", self.sustain_thrust_n, A::within(0.0, 1e8, "[0, 1e8] N")),
            ("sustain_time_s", self.sustain_time_s, A::within(0.0, 1000.0, "[0, 1000] s")),
            ("sustain_propellant_kg", self.sustain_propellant_kg, A::within(0.0, 1e5, "[0, 100000] kg")),
            ("cd0_subsonic", self.cd0_subsonic, A::within(0.0, 5.0, "[0, 5]")),
            ("cd0_supersonic", self.cd0_supersonic, A::within(0.0, 5.0, "[0, 5]")),
            ("cn_max", self.cn_max, A::above(0.0, 200.0, "(0, 200]")),
            ("induced_drag_factor", self.induced_drag_factor, A::within(0.0, 10.0, "[0, 10]")),
            ("max_lateral_g", self.max_lateral_g, A::above(0.0, 200.0, "(0, 200] g")),
            ("guidance_time_constant_s", self.guidance_time_constant_s, A::within(0.0, 10.0, "[0, 10] s")),
            ("nav_constant", self.nav_constant, A::within(0.0, 20.0, "[0, 20]")),
            ("loft_factor", self.loft_factor, A::within(0.0, 3.0, "[0, 3]")),
            ("launch_elevation_deg", self.launch_elevation_deg, A::within(0.0, 90.0, "[0, 90] deg")),
            ("max_flight_time_s", self.max_flight_time_s, A::above(0.0, 3600.0, "(0, 3600] s")),
            ("min_speed_mps", self.min_speed_mps, A::within(0.0, 1e4, "[0, 10000] m/s")),
            ("lethal_radius_m", self.lethal_radius_m, A::above(0.0, 1000.0, "(0, 1000] m")),
            ("pk", self.pk, A::within(0.0, 1.0, "[0, 1]")),
        ]
    }
}
