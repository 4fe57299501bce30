//! Equipment and target-class specifications, as found in `presets/*.toml` and overridable field
//! by field in a scenario.
//!
//! Each specification is declared once with `preset_spec!`, which generates
//! * the specification (`RadarSpec` …: every field required, unknown keys rejected),
//! * the scenario entry that names a preset and may override any field (`RadarEntry` …), with
//!   the source position of every value kept for diagnostics,
//! * the allowed range of every numeric field, checked after presets and overrides are merged.
use super::error::{show, Reporter};
use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;
use std::ops::Range;

/// The allowed range of a numeric field.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound (inclusive).
    pub hi: f64,
    /// Whether the lower bound itself is excluded.
    pub lo_open: bool,
    /// Unit, for messages.
    pub unit: &'static str,
}

impl Limit {
    /// `lo ≤ v ≤ hi`.
    pub const fn closed(lo: f64, hi: f64, unit: &'static str) -> Option<Limit> {
        Some(Limit {
            lo,
            hi,
            lo_open: false,
            unit,
        })
    }
    /// `lo < v ≤ hi`.
    pub const fn open_low(lo: f64, hi: f64, unit: &'static str) -> Option<Limit> {
        Some(Limit {
            lo,
            hi,
            lo_open: true,
            unit,
        })
    }
    /// Whether `v` is allowed (NaN never is).
    pub fn admits(&self, v: f64) -> bool {
        let above = if self.lo_open {
            v > self.lo
        } else {
            v >= self.lo
        };
        above && v <= self.hi
    }
    /// Human description, e.g. `0 < rcs_m2 ≤ 10000 m²`.
    pub fn describe(&self, name: &str) -> String {
        let op = if self.lo_open { "<" } else { "≤" };
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        format!("{} {op} {name} ≤ {}{unit}", show(self.lo), show(self.hi))
    }
}

/// Values whose range can be checked.
pub trait Numeric {
    /// The value as a number, if it is one.
    fn as_number(&self) -> Option<f64>;
}
impl Numeric for f64 {
    fn as_number(&self) -> Option<f64> {
        Some(*self)
    }
}
impl Numeric for u32 {
    fn as_number(&self) -> Option<f64> {
        Some(f64::from(*self))
    }
}
impl Numeric for bool {
    fn as_number(&self) -> Option<f64> {
        None
    }
}
impl Numeric for String {
    fn as_number(&self) -> Option<f64> {
        None
    }
}

/// Checks one value against its limit; `span` is where the user wrote it.
pub(crate) fn check_limit(
    rep: &mut Reporter<'_>,
    span: Range<usize>,
    context: &str,
    name: &str,
    value: f64,
    limit: &Limit,
) {
    if !limit.admits(value) {
        rep.error(
            span,
            format!("{context}`{name}` = {} is out of range", show(value)),
            Some(limit.describe(name)),
            Some(format!(
                "set `{name}` to a value in that range (units: {})",
                if limit.unit.is_empty() {
                    "none"
                } else {
                    limit.unit
                }
            )),
        );
    }
}

macro_rules! preset_spec {
    (
        $(#[$sm:meta])* spec $spec:ident;
        $(#[$em:meta])* entry $entry:ident { $( $(#[$xm:meta])* $xfield:ident : $xty:ty ),* $(,)? }
        fields { $( $(#[$fm:meta])* $field:ident : $ty:ty => $limit:expr ),* $(,)? }
    ) => {
        $(#[$sm])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $spec {
            $( $(#[$fm])* pub $field: $ty, )*
        }

        $(#[$em])*
        #[derive(Debug, Clone, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $entry {
            /// Name of the preset this entry starts from.
            pub preset: Spanned<String>,
            $( $(#[$xm])* pub $xfield: $xty, )*
            $(
                #[doc = concat!("Override of `", stringify!($field), "`.")]
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<Spanned<$ty>>,
            )*
        }

        impl $spec {
            /// Names of all fields, for hints.
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// Checks every numeric field against its allowed range. `span_of` gives the source
            /// position of a field (the override if there is one, else the preset reference).
            pub(crate) fn check(
                &self,
                rep: &mut Reporter<'_>,
                context: &str,
                span_of: &dyn Fn(&str) -> Range<usize>,
            ) {
                $(
                    let limit: Option<Limit> = $limit;
                    if let (Some(limit), Some(v)) = (limit, Numeric::as_number(&self.$field)) {
                        check_limit(rep, span_of(stringify!($field)), context, stringify!($field), v, &limit);
                    }
                )*
            }
        }

        impl PresetEntry for $entry {
            type Spec = $spec;
            fn preset(&self) -> &Spanned<String> {
                &self.preset
            }
            fn apply(&self, base: &$spec) -> $spec {
                $entry::apply(self, base)
            }
            fn span_of(&self, field: &str) -> Range<usize> {
                $entry::span_of(self, field)
            }
            fn fill_from(&mut self, spec: &$spec) {
                $entry::fill_from(self, spec)
            }
            fn check(
                spec: &$spec,
                rep: &mut Reporter<'_>,
                context: &str,
                span_of: &dyn Fn(&str) -> Range<usize>,
            ) {
                spec.check(rep, context, span_of)
            }
        }

        impl $entry {
            /// The preset with this entry's overrides applied.
            pub fn apply(&self, base: &$spec) -> $spec {
                let mut spec = base.clone();
                $( if let Some(v) = &self.$field { spec.$field = v.get_ref().clone(); } )*
                spec
            }

            /// Where a field was written: its override, else the `preset = …` reference.
            pub fn span_of(&self, field: &str) -> Range<usize> {
                $( if field == stringify!($field) { if let Some(v) = &self.$field { return v.span(); } } )*
                self.preset.span()
            }

            /// Sets every field from `spec`, so that the entry is self-contained (the resolved
            /// scenario written to a run directory).
            pub fn fill_from(&mut self, spec: &$spec) {
                $( self.$field = Some(Spanned::new(0..0, spec.$field.clone())); )*
            }
        }
    };
}

/// What a radar is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RadarRole {
    /// Long-range acquisition, rotating.
    Surveillance,
    /// Low-altitude gap filler, rotating, usually on a mast.
    LowAltitude,
    /// Fire control: sector, tracks targets and guides missiles.
    Engagement,
}

impl Numeric for RadarRole {
    fn as_number(&self) -> Option<f64> {
        None
    }
}

/// How a target class flies, which selects the engagement envelope used against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Aircraft, cruise missiles, drones.
    Aerodynamic,
    /// Ballistic missiles (the missiles' `max_range_ballistic_m` applies).
    Ballistic,
}

impl Numeric for TargetKind {
    fn as_number(&self) -> Option<f64> {
        None
    }
}

preset_spec! {
    /// A radar: detection calibration, coverage, accuracy and fire-control capacity.
    spec RadarSpec;
    /// A radar of a site: a preset with optional per-field overrides.
    entry RadarEntry {}
    fields {
        /// What the preset is.
        description: String => None,
        /// Surveillance, low-altitude or engagement.
        role: RadarRole => None,
        /// Range at which a target of `reference_rcs_m2` is detected with `reference_pd`, m.
        reference_range_m: f64 => Limit::open_low(0.0, 5.0e6, "m"),
        /// RCS of the reference target, m².
        reference_rcs_m2: f64 => Limit::open_low(0.0, 1.0e4, "m²"),
        /// Probability of detection at the reference point (single dwell).
        reference_pd: f64 => Limit::open_low(0.0, 0.999999, ""),
        /// False-alarm probability per resolution cell.
        pfa: f64 => Limit::open_low(0.0, 0.1, ""),
        /// Range beyond which the radar reports nothing, m.
        instrumented_range_m: f64 => Limit::open_low(0.0, 5.0e6, "m"),
        /// Rotation period (rotating radars) or track revisit interval (sector radars), s.
        revisit_s: f64 => Limit::closed(0.01, 120.0, "s"),
        /// Half-width of the azimuth coverage around the boresight; 180 for a rotating radar, deg.
        sector_half_width_deg: f64 => Limit::open_low(0.0, 180.0, "deg"),
        /// Azimuth of the boresight, clockwise from north, deg.
        boresight_deg: f64 => Limit::closed(-360.0, 360.0, "deg"),
        /// Antenna phase centre above the site's ground (mast height included), m.
        antenna_height_m: f64 => Limit::closed(0.0, 200.0, "m"),
        /// Lowest elevation covered, deg.
        min_elevation_deg: f64 => Limit::closed(-10.0, 90.0, "deg"),
        /// Highest elevation covered, deg.
        max_elevation_deg: f64 => Limit::closed(-10.0, 90.0, "deg"),
        /// Pulses integrated non-coherently per dwell.
        pulses: u32 => Limit::closed(1.0, 1000.0, ""),
        /// Swerling case (0–4) of the reference target.
        reference_swerling: u32 => Limit::closed(0.0, 4.0, ""),
        /// Highest altitude covered, m.
        max_altitude_m: f64 => Limit::open_low(0.0, 2.0e6, "m"),
        /// Range resolution, m.
        range_resolution_m: f64 => Limit::open_low(0.0, 1.0e4, "m"),
        /// Azimuth 3 dB beamwidth, deg.
        beamwidth_azimuth_deg: f64 => Limit::open_low(0.0, 30.0, "deg"),
        /// Elevation 3 dB beamwidth, deg.
        beamwidth_elevation_deg: f64 => Limit::open_low(0.0, 90.0, "deg"),
        /// Doppler resolution, m/s (0: the radar does not measure radial velocity).
        velocity_resolution_mps: f64 => Limit::closed(0.0, 1000.0, "m/s"),
        /// Radial speeds below this are cancelled by the Doppler filter, m/s (0: no notch).
        min_radial_speed_mps: f64 => Limit::closed(0.0, 500.0, "m/s"),
        /// Monopulse slope k in σ = beamwidth / (k·√(2·n·SNR)).
        monopulse_slope: f64 => Limit::open_low(0.0, 10.0, ""),
        /// Range accuracy floor (1σ), m.
        sigma_range_floor_m: f64 => Limit::open_low(0.0, 1.0e4, "m"),
        /// Azimuth accuracy floor (1σ), deg.
        sigma_azimuth_floor_deg: f64 => Limit::open_low(0.0, 10.0, "deg"),
        /// Elevation accuracy floor (1σ), deg.
        sigma_elevation_floor_deg: f64 => Limit::open_low(0.0, 10.0, "deg"),
        /// Range-rate accuracy floor (1σ), m/s.
        sigma_range_rate_floor_mps: f64 => Limit::open_low(0.0, 1000.0, "m/s"),
        /// Targets that can be engaged at once (fire-control channels); 0 for a search radar.
        max_tracked_targets: u32 => Limit::closed(0.0, 1000.0, ""),
        /// Missiles that can be guided at once; 0 for a search radar.
        max_guided_missiles: u32 => Limit::closed(0.0, 1000.0, ""),
    }
}

preset_spec! {
    /// A launcher.
    spec LauncherSpec;
    /// Launchers of a site: a preset, how many, and what each carries.
    entry LauncherEntry {
        /// Number of identical launchers (default 1).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        count: Option<Spanned<u32>>,
        /// Missiles loaded on each launcher, by missile name.
        load: Vec<Spanned<String>>,
    }
    fields {
        /// What the preset is.
        description: String => None,
        /// Missile tubes (a 9M96 quad-pack fills one tube with four missiles).
        slots: u32 => Limit::closed(1.0, 64.0, ""),
        /// Minimum time between two launches from this launcher, s.
        min_launch_interval_s: f64 => Limit::closed(0.0, 600.0, "s"),
        /// Time to reload an empty launcher from the site's reload stock, s.
        reload_time_s: f64 => Limit::closed(0.0, 86400.0, "s"),
    }
}

preset_spec! {
    /// A command post: the site's decision cycle.
    spec CommandPostSpec;
    /// The command post of a site.
    entry CommandPostEntry {}
    fields {
        /// What the preset is.
        description: String => None,
        /// Time from track confirmation to the earliest launch at it, s.
        reaction_time_s: f64 => Limit::closed(0.0, 600.0, "s"),
        /// Period of the C2 decision cycle, s.
        cycle_s: f64 => Limit::closed(0.05, 60.0, "s"),
    }
}

preset_spec! {
    /// An interceptor missile type.
    spec MissileSpec;
    /// A missile type defined in the scenario from a preset (`[[missile]]`).
    entry MissileEntry {
        /// Name of the new type; when absent the preset itself is overridden for this scenario.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<Spanned<String>>,
    }
    fields {
        /// What the preset is.
        description: String => None,
        /// Maximum engagement range against aerodynamic targets, m.
        max_range_m: f64 => Limit::open_low(0.0, 1.0e6, "m"),
        /// Minimum engagement range, m.
        min_range_m: f64 => Limit::closed(0.0, 1.0e6, "m"),
        /// Highest intercept altitude, m.
        max_altitude_m: f64 => Limit::closed(0.0, 2.0e5, "m"),
        /// Lowest intercept altitude, m.
        min_altitude_m: f64 => Limit::closed(0.0, 2.0e5, "m"),
        /// Maximum engagement range against ballistic targets, m.
        max_range_ballistic_m: f64 => Limit::closed(0.0, 1.0e6, "m"),
        /// Fastest target the missile can engage, m/s.
        max_target_speed_mps: f64 => Limit::open_low(0.0, 1.0e4, "m/s"),
        /// Peak speed, reached at the end of the boost, m/s.
        max_speed_mps: f64 => Limit::open_low(0.0, 1.0e4, "m/s"),
        /// Boost duration, s.
        boost_time_s: f64 => Limit::open_low(0.0, 300.0, "s"),
        /// Lateral acceleration limit, g.
        max_lateral_g: f64 => Limit::open_low(0.0, 100.0, "g"),
        /// Proportional-navigation constant N'.
        nav_constant: f64 => Limit::closed(1.0, 10.0, ""),
        /// Range to the target below which the terminal seeker guides the missile, m (0: command
        /// guidance on the track all the way).
        seeker_range_m: f64 => Limit::closed(0.0, 1.0e5, "m"),
        /// Miss distance within which the warhead can kill, m.
        lethal_radius_m: f64 => Limit::open_low(0.0, 1000.0, "m"),
        /// Probability of kill when the miss distance is within the lethal radius.
        pk: f64 => Limit::closed(0.0, 1.0, ""),
        /// Missiles per launcher tube.
        per_slot: u32 => Limit::closed(1.0, 16.0, ""),
        /// 3-DOF flyout (docs/flyout.md): mass at launch, kg.
        launch_mass_kg: f64 => Limit::open_low(0.0, 1.0e5, "kg"),
        /// Body diameter (drag reference area π d²/4), m.
        diameter_m: f64 => Limit::open_low(0.0, 5.0, "m"),
        /// Boost thrust, N.
        boost_thrust_n: f64 => Limit::closed(0.0, 1.0e8, "N"),
        /// Propellant burnt during the boost, kg.
        boost_propellant_kg: f64 => Limit::closed(0.0, 1.0e5, "kg"),
        /// Sustain (or second-pulse) thrust, N.
        sustain_thrust_n: f64 => Limit::closed(0.0, 1.0e8, "N"),
        /// Sustain burn time, s (0: none).
        sustain_time_s: f64 => Limit::closed(0.0, 600.0, "s"),
        /// Propellant burnt during the sustain phase, kg.
        sustain_propellant_kg: f64 => Limit::closed(0.0, 1.0e5, "kg"),
        /// Zero-lift drag coefficient up to Mach 0.8.
        cd0_subsonic: f64 => Limit::open_low(0.0, 5.0, ""),
        /// Zero-lift drag coefficient at Mach 2.
        cd0_supersonic: f64 => Limit::open_low(0.0, 5.0, ""),
        /// Largest usable normal-force coefficient.
        cn_max: f64 => Limit::open_low(0.0, 100.0, ""),
        /// Induced-drag factor k in CD = CD0 + k·CN².
        induced_drag_factor: f64 => Limit::closed(0.0, 10.0, ""),
        /// Time constant of the guidance/autopilot first-order lag, s.
        guidance_time_constant_s: f64 => Limit::closed(0.0, 10.0, "s"),
        /// Augmented proportional navigation.
        augmented_pn: bool => None,
        /// Mid-course loft: aim-point height bias as a fraction of the distance to go.
        loft_factor: f64 => Limit::closed(0.0, 5.0, ""),
        /// Launcher elevation, deg (90: vertical launch).
        launch_elevation_deg: f64 => Limit::closed(0.0, 90.0, "deg"),
        /// Flight time after which the missile is lost, s.
        max_flight_time_s: f64 => Limit::open_low(0.0, 3600.0, "s"),
        /// After burnout the missile is lost when slower than this, m/s.
        min_speed_mps: f64 => Limit::closed(0.0, 1.0e4, "m/s"),
    }
}

impl MissileSpec {
    /// The 3-DOF flyout description of this missile.
    pub fn aero(&self) -> iadsim_interceptor::MissileAero {
        iadsim_interceptor::MissileAero {
            launch_mass_kg: self.launch_mass_kg,
            diameter_m: self.diameter_m,
            boost_thrust_n: self.boost_thrust_n,
            boost_time_s: self.boost_time_s,
            boost_propellant_kg: self.boost_propellant_kg,
            sustain_thrust_n: self.sustain_thrust_n,
            sustain_time_s: self.sustain_time_s,
            sustain_propellant_kg: self.sustain_propellant_kg,
            cd0_subsonic: self.cd0_subsonic,
            cd0_supersonic: self.cd0_supersonic,
            cn_max: self.cn_max,
            induced_drag_factor: self.induced_drag_factor,
            max_lateral_g: self.max_lateral_g,
            guidance_time_constant_s: self.guidance_time_constant_s,
            nav_constant: self.nav_constant,
            augmented_pn: self.augmented_pn,
            loft_factor: self.loft_factor,
            launch_elevation_deg: self.launch_elevation_deg,
            max_flight_time_s: self.max_flight_time_s,
            min_speed_mps: self.min_speed_mps,
            lethal_radius_m: self.lethal_radius_m,
            pk: self.pk,
        }
    }
}

/// A target class (`presets/targets.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetClassSpec {
    /// What the class is.
    pub description: String,
    /// Aerodynamic or ballistic.
    pub kind: TargetKind,
    /// Radar cross-section, m².
    pub rcs_m2: f64,
    /// Speed along the route, m/s.
    pub speed_mps: f64,
    /// Swerling fluctuation case, 0–4.
    pub swerling: u32,
}

/// A scenario entry that names a preset and overrides some of its fields (implemented by
/// `preset_spec!`), so that one function resolves every kind of such entry.
pub(crate) trait PresetEntry: Clone {
    /// The specification a preset gives.
    type Spec;
    /// The name of the preset, where it was written.
    fn preset(&self) -> &Spanned<String>;
    /// The preset with this entry's overrides applied.
    fn apply(&self, base: &Self::Spec) -> Self::Spec;
    /// Where a field was written: its override, else the `preset = …` reference.
    fn span_of(&self, field: &str) -> Range<usize>;
    /// Sets every field from `spec`.
    fn fill_from(&mut self, spec: &Self::Spec);
    /// Checks every numeric field of `spec` against its allowed range.
    fn check(
        spec: &Self::Spec,
        rep: &mut Reporter<'_>,
        context: &str,
        span_of: &dyn Fn(&str) -> Range<usize>,
    );
}
