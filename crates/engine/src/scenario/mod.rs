//! The scenario language: TOML as written ([`ScenarioFile`]) → validated [`Scenario`].
//!
//! Only a [`Scenario`] reaches the engine. Validation collects every problem it can find and
//! reports each with file, line and column, the offending value, the allowed range and a hint.
mod error;
pub mod presets;
pub mod spec;

pub use error::{Diagnostic, ScenarioError};
pub use presets::Presets;
pub use spec::{
    CommandPostEntry, CommandPostSpec, LauncherEntry, LauncherSpec, Limit, MissileEntry,
    MissileSpec, RadarEntry, RadarRole, RadarSpec, TargetClassSpec, TargetKind,
};

use error::{show, Reporter};
use iadsim_c2::{Zone, ZoneKind, ZoneShape};
use iadsim_track::TrackerFileConfig;
use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;
use spec::check_limit;
use std::collections::BTreeMap;
use std::ops::Range;

/// The built-in default scenario (`scenarios/s400-baghdad.toml`).
pub const DEFAULT_SCENARIO: &str = include_str!("../../../../scenarios/s400-baghdad.toml");
/// File name shown in diagnostics for the built-in scenario.
pub const DEFAULT_SCENARIO_NAME: &str = "s400-baghdad.toml";

// ---------------------------------------------------------------------------------------------
// Raw file types: exactly what the user wrote, with source positions.
// ---------------------------------------------------------------------------------------------

/// A scenario file as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Header.
    pub scenario: HeaderEntry,
    /// Missile types defined or overridden for this scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missile: Vec<MissileEntry>,
    /// Defended assets.
    #[serde(default)]
    pub asset: Vec<AssetEntry>,
    /// Air-defence sites.
    #[serde(default)]
    pub site: Vec<SiteEntry>,
    /// Raids.
    #[serde(default)]
    pub raid: Vec<RaidEntry>,
    /// Rules-of-engagement zones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zone: Vec<ZoneEntry>,
}

/// What a zone allows, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKindEntry {
    /// Intercepts allowed; when any such zone exists, intercepts must fall in one.
    WeaponsFree,
    /// No intercept may fall here.
    NoFire,
}

/// A circle as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CircleEntry {
    /// Centre latitude, deg.
    pub lat_deg: Spanned<f64>,
    /// Centre longitude, deg.
    pub lon_deg: Spanned<f64>,
    /// Geodesic radius, m.
    pub radius_m: Spanned<f64>,
}

/// `[[zone]]`: a rules-of-engagement zone, a circle or a polygon.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneEntry {
    /// Name.
    pub name: String,
    /// `"weapons_free"` or `"no_fire"`.
    pub kind: Spanned<ZoneKindEntry>,
    /// A circle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circle: Option<CircleEntry>,
    /// A polygon of `[lat_deg, lon_deg]` vertices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polygon: Option<Spanned<Vec<[f64; 2]>>>,
    /// Lowest altitude the zone applies to, m (default −500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_altitude_m: Option<Spanned<f64>>,
    /// Highest altitude the zone applies to, m (default 1,000 km).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_altitude_m: Option<Spanned<f64>>,
}

/// `[scenario]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderEntry {
    /// Scenario name.
    pub name: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Simulated time, s.
    pub duration_s: Spanned<f64>,
    /// Master random seed.
    pub seed: u64,
    /// Longest motion step when no interceptor flies, s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_step_s: Option<Spanned<f64>>,
    /// Step while interceptors fly, s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_step_s: Option<Spanned<f64>>,
    /// Terrain elevation model: a GeoTIFF path (relative to the scenario file) or
    /// `builtin:baghdad-synthetic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terrain: Option<Spanned<String>>,
}

/// A geodetic position as written: degrees and metres above the WGS-84 ellipsoid.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionEntry {
    /// Latitude, deg.
    pub lat_deg: Spanned<f64>,
    /// Longitude, deg.
    pub lon_deg: Spanned<f64>,
    /// Height above the WGS-84 ellipsoid, m.
    pub alt_m: Spanned<f64>,
}

/// `[[asset]]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetEntry {
    /// Name.
    pub name: String,
    /// Position.
    pub position: PositionEntry,
    /// Value (threat-evaluation weight).
    pub value: Spanned<f64>,
    /// A target that comes this close has reached the asset (leaked), m. Default 2,000 m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_m: Option<Spanned<f64>>,
}

/// `[[site]]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteEntry {
    /// Name.
    pub name: String,
    /// Position of the site (ground level; antenna heights are per radar).
    pub position: PositionEntry,
    /// Command post.
    pub command_post: CommandPostEntry,
    /// Radars.
    pub radars: Vec<RadarEntry>,
    /// Launchers.
    pub launchers: Vec<LauncherEntry>,
    /// Firing doctrine.
    #[serde(default)]
    pub doctrine: DoctrineEntry,
    /// Reload rounds stocked at the site, by missile name (default none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reloads: Option<BTreeMap<String, Spanned<u32>>>,
    /// The command post's tracker, in the format of `iadsim track --config` (default: IMM of
    /// constant velocity and coordinated turn, see docs/scenario.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracker: Option<Spanned<TrackerFileConfig>>,
}

/// Firing doctrine of a site.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoctrineEntry {
    /// Missiles fired at a target in one engagement (default 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salvo: Option<Spanned<u32>>,
    /// Look after the last interceptor of a salvo: the target is re-engaged if it had a plot
    /// during the look, else assessed killed, s (shoot-look-shoot; default 12 s, longer than the
    /// slowest rotating radar's revisit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kill_assessment_s: Option<Spanned<f64>>,
    /// Rounds of each missile type kept for direct threats (tracks predicted to pass within an
    /// asset's radius), by missile name (default none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserve: Option<BTreeMap<String, Spanned<u32>>>,
    /// Probability that IFF identifies a friendly aircraft as friendly (default 0.95); a
    /// friendly that is not identified is treated as hostile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iff_p_correct: Option<Spanned<f64>>,
}

/// `[[raid]]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RaidEntry {
    /// Name.
    pub name: String,
    /// Target class preset.
    pub class: Spanned<String>,
    /// Number of targets (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Spanned<u32>>,
    /// Launch time of the first target, s (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_s: Option<Spanned<f64>>,
    /// Time between consecutive targets, s (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing_s: Option<Spanned<f64>>,
    /// Override of the class RCS, m².
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rcs_m2: Option<Spanned<f64>>,
    /// Override of the class speed, m/s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_mps: Option<Spanned<f64>>,
    /// Override of the class Swerling case (0–4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swerling: Option<Spanned<u32>>,
    /// `"hostile"` (default) or `"friendly"` (friendly aircraft: never to be engaged; shooting
    /// one down is fratricide).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// What the route altitudes are measured from: `"ellipsoid"` (default) or `"ground"`
    /// (terrain following over the scenario's terrain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altitude_reference: Option<AltitudeReference>,
    /// Waypoints, flown along geodesics.
    pub route: Spanned<Vec<PositionEntry>>,
}

// ---------------------------------------------------------------------------------------------
// Validated types.
// ---------------------------------------------------------------------------------------------

/// A geodetic position, degrees and metres (converted to radians by the engine).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Position {
    /// Latitude, deg.
    pub lat_deg: f64,
    /// Longitude, deg.
    pub lon_deg: f64,
    /// Height above the WGS-84 ellipsoid, m.
    pub alt_m: f64,
}

/// A defended asset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Asset {
    /// Name.
    pub name: String,
    /// Position.
    pub position: Position,
    /// Value.
    pub value: f64,
    /// Leak radius, m.
    pub radius_m: f64,
}

/// A radar placed at a site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Radar {
    /// Preset it came from.
    pub preset: String,
    /// Resolved parameters.
    pub spec: RadarSpec,
}

/// One launcher (entries with `count > 1` are expanded).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Launcher {
    /// Preset it came from.
    pub preset: String,
    /// Resolved parameters.
    pub spec: LauncherSpec,
    /// Missile types loaded, by name (keys of [`Scenario::missiles`]).
    pub load: Vec<String>,
}

/// Firing doctrine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doctrine {
    /// Missiles per engagement.
    pub salvo: u32,
    /// Look time before re-engaging, s.
    pub kill_assessment_s: f64,
    /// Rounds kept for direct threats, by missile name.
    pub reserve: BTreeMap<String, u32>,
    /// Probability that IFF identifies a friendly as friendly.
    pub iff_p_correct: f64,
}

/// Which side a raid is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// To be engaged.
    #[default]
    Hostile,
    /// Own or allied aircraft.
    Friendly,
}

/// A validated air-defence site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// Name.
    pub name: String,
    /// Ground position.
    pub position: Position,
    /// Command post.
    pub command_post: CommandPostSpec,
    /// Radars.
    pub radars: Vec<Radar>,
    /// Launchers, one per physical launcher.
    pub launchers: Vec<Launcher>,
    /// Doctrine.
    pub doctrine: Doctrine,
    /// Reload rounds stocked at the site, by missile name.
    pub reload_stock: BTreeMap<String, u32>,
    /// The command post's tracker.
    pub tracker: TrackerFileConfig,
}

/// What route altitudes are measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AltitudeReference {
    /// Height above the WGS-84 ellipsoid.
    #[default]
    Ellipsoid,
    /// Height above the terrain (terrain following); the ellipsoid where there is no terrain.
    Ground,
}

/// Where the terrain comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TerrainSource {
    /// A DEM compiled into the binary, by name.
    Builtin(String),
    /// A GeoTIFF file.
    File(std::path::PathBuf),
}

/// Names of the DEMs compiled into the binary.
pub const BUILTIN_TERRAIN: &[&str] = &["baghdad-synthetic"];

/// A validated raid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Raid {
    /// Name.
    pub name: String,
    /// Target class name.
    pub class: String,
    /// Resolved class parameters (with the raid's overrides).
    pub spec: TargetClassSpec,
    /// Number of targets.
    pub count: u32,
    /// First launch, s.
    pub start_s: f64,
    /// Spacing, s.
    pub spacing_s: f64,
    /// Route.
    pub route: Vec<Position>,
    /// What the route altitudes are measured from.
    pub altitude_reference: AltitudeReference,
    /// Side.
    pub side: Side,
}

/// A validated scenario: what the engine runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// Simulated time, s.
    pub duration_s: f64,
    /// Master seed.
    pub seed: u64,
    /// Motion step without interceptors, s.
    pub max_step_s: f64,
    /// Motion step with interceptors airborne, s.
    pub engagement_step_s: f64,
    /// Terrain, if any.
    pub terrain: Option<TerrainSource>,
    /// Defended assets.
    pub assets: Vec<Asset>,
    /// Sites.
    pub sites: Vec<Site>,
    /// Raids.
    pub raids: Vec<Raid>,
    /// Rules-of-engagement zones (all sites obey all zones).
    pub zones: Vec<Zone>,
    /// Missile types available to the launchers.
    pub missiles: BTreeMap<String, MissileSpec>,
    /// Target classes used by the raids.
    pub target_classes: BTreeMap<String, TargetClassSpec>,
    /// The scenario as TOML with every preset value written out: re-running it gives the same run.
    #[serde(skip)]
    pub resolved_toml: String,
}

const LAT: Limit = Limit {
    lo: -90.0,
    hi: 90.0,
    lo_open: false,
    unit: "deg",
};
const LON: Limit = Limit {
    lo: -180.0,
    hi: 180.0,
    lo_open: false,
    unit: "deg",
};
/// Heights from the Dead Sea shore to ballistic apogees.
const ALT: Limit = Limit {
    lo: -500.0,
    hi: 1.0e6,
    lo_open: false,
    unit: "m",
};

impl Scenario {
    /// Parses and validates a scenario. `file` is the name used in diagnostics.
    pub fn from_toml(file: &str, source: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_toml_with(file, source, &Presets::builtin())
    }

    /// The built-in default scenario.
    pub fn builtin_default() -> Scenario {
        // Checked by the test `builtin_default_scenario_is_valid`.
        Scenario::from_toml(DEFAULT_SCENARIO_NAME, DEFAULT_SCENARIO)
            .unwrap_or_else(|e| panic!("the built-in scenario is invalid:\n{e}"))
    }

    /// As [`Scenario::from_toml`], with an explicit preset catalogue.
    pub fn from_toml_with(
        file: &str,
        source: &str,
        presets: &Presets,
    ) -> Result<Scenario, ScenarioError> {
        let mut rep = Reporter::new(file, source);
        let raw: ScenarioFile = match toml::from_str(source) {
            Ok(raw) => raw,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim().to_string();
                let hint = parse_hint(&message);
                rep.error(span, message, None, hint);
                return Err(rep.finish().expect_err("an error was recorded"));
            }
        };
        let scenario = resolve(&raw, presets, &mut rep, file);
        rep.finish()?;
        Ok(scenario)
    }
}

fn parse_hint(message: &str) -> Option<String> {
    if message.contains("unknown field") {
        Some("check the spelling of the key; the keys this table accepts are listed above (see docs/scenario.md)".into())
    } else if message.contains("missing field") {
        Some("add the missing key to this table (see docs/scenario.md)".into())
    } else if message.contains("invalid type") {
        Some("numbers are written without quotes and with a decimal point where fractional (e.g. 30.0); names are quoted".into())
    } else {
        Some("see docs/scenario.md for the scenario format".into())
    }
}

fn position(rep: &mut Reporter<'_>, p: &PositionEntry, context: &str) -> Position {
    check_limit(
        rep,
        p.lat_deg.span(),
        context,
        "lat_deg",
        *p.lat_deg.get_ref(),
        &LAT,
    );
    check_limit(
        rep,
        p.lon_deg.span(),
        context,
        "lon_deg",
        *p.lon_deg.get_ref(),
        &LON,
    );
    check_limit(
        rep,
        p.alt_m.span(),
        context,
        "alt_m",
        *p.alt_m.get_ref(),
        &ALT,
    );
    Position {
        lat_deg: *p.lat_deg.get_ref(),
        lon_deg: *p.lon_deg.get_ref(),
        alt_m: *p.alt_m.get_ref(),
    }
}

fn number(
    rep: &mut Reporter<'_>,
    v: &Option<Spanned<f64>>,
    default: f64,
    context: &str,
    name: &str,
    limit: Option<Limit>,
) -> f64 {
    match v {
        Some(s) => {
            if let Some(limit) = limit {
                check_limit(rep, s.span(), context, name, *s.get_ref(), &limit);
            }
            *s.get_ref()
        }
        None => default,
    }
}

fn count(
    rep: &mut Reporter<'_>,
    v: &Option<Spanned<u32>>,
    default: u32,
    context: &str,
    name: &str,
    limit: Option<Limit>,
) -> u32 {
    match v {
        Some(s) => {
            if let Some(limit) = limit {
                check_limit(
                    rep,
                    s.span(),
                    context,
                    name,
                    f64::from(*s.get_ref()),
                    &limit,
                );
            }
            *s.get_ref()
        }
        None => default,
    }
}

fn unknown_preset(rep: &mut Reporter<'_>, what: &str, name: &Spanned<String>, known: String) {
    rep.error(
        name.span(),
        format!("unknown {what} preset \"{}\"", name.get_ref()),
        Some(format!("one of: {known}")),
        Some(format!(
            "{what} presets live in presets/*.toml; `iadsim scenario default` shows one in use"
        )),
    );
}

fn check_order(
    rep: &mut Reporter<'_>,
    span: Range<usize>,
    context: &str,
    lo: (&str, f64),
    hi: (&str, f64),
) {
    if lo.1 > hi.1 {
        rep.error(
            span,
            format!(
                "{context}`{}` = {} exceeds `{}` = {}",
                lo.0,
                show(lo.1),
                hi.0,
                show(hi.1)
            ),
            Some(format!("{} ≤ {}", lo.0, hi.0)),
            Some(format!("lower `{}` or raise `{}`", lo.0, hi.0)),
        );
    }
}

#[allow(clippy::too_many_lines)]
fn terrain_source(
    rep: &mut Reporter<'_>,
    t: &Spanned<String>,
    file: &str,
) -> Option<TerrainSource> {
    let name = t.get_ref();
    if let Some(builtin) = name.strip_prefix("builtin:") {
        if BUILTIN_TERRAIN.contains(&builtin) {
            return Some(TerrainSource::Builtin(builtin.to_string()));
        }
        rep.error(
            t.span(),
            format!("unknown built-in terrain \"{name}\""),
            Some(
                BUILTIN_TERRAIN
                    .iter()
                    .map(|b| format!("builtin:{b}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Some("or give the path of a GeoTIFF DEM (SRTM / Copernicus, geographic grid)".into()),
        );
        return None;
    }
    let base = std::path::Path::new(file)
        .parent()
        .unwrap_or(std::path::Path::new(""));
    let path = base.join(name);
    if path.is_file() {
        Some(TerrainSource::File(path))
    } else {
        rep.error(
            t.span(),
            format!("terrain file \"{}\" not found", path.display()),
            None,
            Some("paths are relative to the scenario file; `builtin:baghdad-synthetic` is always available".into()),
        );
        None
    }
}

fn resolve(raw: &ScenarioFile, presets: &Presets, rep: &mut Reporter<'_>, file: &str) -> Scenario {
    let mut resolved = raw.clone();
    let h = &raw.scenario;
    let duration_s = *h.duration_s.get_ref();
    check_limit(
        rep,
        h.duration_s.span(),
        "",
        "duration_s",
        duration_s,
        &Limit::open_low(0.0, 7.0 * 86400.0, "s").expect("limit"),
    );
    let max_step_s = number(
        rep,
        &h.max_step_s,
        0.5,
        "",
        "max_step_s",
        Limit::closed(0.001, 10.0, "s"),
    );
    let engagement_step_s = number(
        rep,
        &h.engagement_step_s,
        0.05,
        "",
        "engagement_step_s",
        Limit::closed(0.0005, 1.0, "s"),
    );
    let terrain = h
        .terrain
        .as_ref()
        .and_then(|t| terrain_source(rep, t, file));
    if let Some(TerrainSource::File(path)) = &terrain {
        // The resolved copy lives elsewhere (the run directory): give it an absolute path.
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        resolved.scenario.terrain = Some(Spanned::new(0..0, absolute.display().to_string()));
    }
    resolved.scenario.max_step_s = Some(Spanned::new(0..0, max_step_s));
    resolved.scenario.engagement_step_s = Some(Spanned::new(0..0, engagement_step_s));

    // Missile catalogue: presets, then the scenario's [[missile]] entries.
    let mut missiles = presets.missiles.clone();
    for (i, m) in raw.missile.iter().enumerate() {
        let Some(base) = presets.missiles.get(m.preset.get_ref()) else {
            unknown_preset(rep, "missile", &m.preset, presets::names(&presets.missiles));
            continue;
        };
        let spec = m.apply(base);
        let name = m
            .name
            .as_ref()
            .map_or_else(|| m.preset.get_ref().clone(), |n| n.get_ref().clone());
        let context = format!("missile \"{name}\": ");
        spec.check(rep, &context, &|f| m.span_of(f));
        check_missile_order(rep, &spec, &context, &|f| m.span_of(f));
        resolved.missile[i].fill_from(&spec);
        missiles.insert(name, spec);
    }

    let mut assets = Vec::new();
    for a in &raw.asset {
        let context = format!("asset \"{}\": ", a.name);
        let position = position(rep, &a.position, &context);
        check_limit(
            rep,
            a.value.span(),
            &context,
            "value",
            *a.value.get_ref(),
            &Limit::closed(0.0, 1.0e9, "").expect("limit"),
        );
        let radius_m = number(
            rep,
            &a.radius_m,
            2000.0,
            &context,
            "radius_m",
            Limit::open_low(0.0, 1.0e5, "m"),
        );
        assets.push(Asset {
            name: a.name.clone(),
            position,
            value: *a.value.get_ref(),
            radius_m,
        });
    }
    for a in &mut resolved.asset {
        if a.radius_m.is_none() {
            a.radius_m = Some(Spanned::new(0..0, 2000.0));
        }
    }

    let mut sites = Vec::new();
    let mut used_missiles = BTreeMap::new();
    for (si, s) in raw.site.iter().enumerate() {
        let context = format!("site \"{}\": ", s.name);
        let position = position(rep, &s.position, &context);
        let cp = &s.command_post;
        let command_post = match presets.command_posts.get(cp.preset.get_ref()) {
            Some(base) => {
                let spec = cp.apply(base);
                spec.check(rep, &context, &|f| cp.span_of(f));
                resolved.site[si].command_post.fill_from(&spec);
                Some(spec)
            }
            None => {
                unknown_preset(
                    rep,
                    "command post",
                    &cp.preset,
                    presets::names(&presets.command_posts),
                );
                None
            }
        };
        let mut radars = Vec::new();
        for (ri, r) in s.radars.iter().enumerate() {
            let Some(base) = presets.radars.get(r.preset.get_ref()) else {
                unknown_preset(rep, "radar", &r.preset, presets::names(&presets.radars));
                continue;
            };
            let spec = r.apply(base);
            let rcontext = format!("{context}radar {}: ", r.preset.get_ref());
            spec.check(rep, &rcontext, &|f| r.span_of(f));
            check_elevations(rep, &spec, &rcontext, &|f| r.span_of(f));
            if spec.pfa >= spec.reference_pd {
                rep.error(
                    r.span_of("pfa"),
                    format!(
                        "{rcontext}`pfa` = {} is not below `reference_pd` = {}",
                        show(spec.pfa),
                        show(spec.reference_pd)
                    ),
                    Some("pfa < reference_pd".into()),
                    Some("a detector with Pfa ≥ Pd is not calibrated; lower `pfa`".into()),
                );
            }
            resolved.site[si].radars[ri].fill_from(&spec);
            radars.push(Radar {
                preset: r.preset.get_ref().clone(),
                spec,
            });
        }
        if s.radars.is_empty() {
            rep.error(
                s.position.lat_deg.span(),
                format!("{context}the site has no radar"),
                None,
                Some("add `radars = [{ preset = \"92N6E\" }]` or another radar".into()),
            );
        }
        let mut launchers = Vec::new();
        for (li, l) in s.launchers.iter().enumerate() {
            let Some(base) = presets.launchers.get(l.preset.get_ref()) else {
                unknown_preset(
                    rep,
                    "launcher",
                    &l.preset,
                    presets::names(&presets.launchers),
                );
                continue;
            };
            let spec = l.apply(base);
            let lcontext = format!("{context}launcher {}: ", l.preset.get_ref());
            spec.check(rep, &lcontext, &|f| l.span_of(f));
            let n = count(
                rep,
                &l.count,
                1,
                &lcontext,
                "count",
                Limit::closed(1.0, 64.0, ""),
            );
            let mut tubes_used = 0.0;
            let mut load = Vec::new();
            for m in &l.load {
                match missiles.get(m.get_ref()) {
                    Some(ms) => {
                        tubes_used += 1.0 / f64::from(ms.per_slot.max(1));
                        used_missiles.insert(m.get_ref().clone(), ms.clone());
                        load.push(m.get_ref().clone());
                    }
                    None => unknown_preset(rep, "missile", m, presets::names(&missiles)),
                }
            }
            if tubes_used > f64::from(spec.slots) + 1e-9 {
                let span = l.load.first().map_or(l.preset.span(), |m| m.span());
                rep.error(
                    span,
                    format!(
                        "{lcontext}the load fills {} tubes but the launcher has {}",
                        show(tubes_used),
                        spec.slots
                    ),
                    Some(format!(
                        "at most {} tubes (a missile with per_slot = k uses 1/k tube)",
                        spec.slots
                    )),
                    Some("remove missiles from `load` or raise `slots`".into()),
                );
            }
            resolved.site[si].launchers[li].fill_from(&spec);
            resolved.site[si].launchers[li].count = Some(Spanned::new(0..0, n));
            for _ in 0..n {
                launchers.push(Launcher {
                    preset: l.preset.get_ref().clone(),
                    spec: spec.clone(),
                    load: load.clone(),
                });
            }
        }
        let d = &s.doctrine;
        let doctrine = Doctrine {
            salvo: count(
                rep,
                &d.salvo,
                2,
                &context,
                "salvo",
                Limit::closed(1.0, 8.0, ""),
            ),
            kill_assessment_s: number(
                rep,
                &d.kill_assessment_s,
                12.0,
                &context,
                "kill_assessment_s",
                Limit::closed(0.0, 600.0, "s"),
            ),
            reserve: missile_counts(rep, d.reserve.as_ref(), &missiles, &context, "reserve"),
            iff_p_correct: number(
                rep,
                &d.iff_p_correct,
                DEFAULT_IFF_P_CORRECT,
                &context,
                "iff_p_correct",
                Limit::closed(0.0, 1.0, ""),
            ),
        };
        resolved.site[si].doctrine = DoctrineEntry {
            salvo: Some(Spanned::new(0..0, doctrine.salvo)),
            kill_assessment_s: Some(Spanned::new(0..0, doctrine.kill_assessment_s)),
            reserve: Some(spanless(&doctrine.reserve)),
            iff_p_correct: Some(Spanned::new(0..0, doctrine.iff_p_correct)),
        };
        let reload_stock = missile_counts(rep, s.reloads.as_ref(), &missiles, &context, "reloads");
        for m in reload_stock.keys() {
            if let Some(ms) = missiles.get(m) {
                used_missiles.insert(m.clone(), ms.clone());
            }
        }
        resolved.site[si].reloads = Some(spanless(&reload_stock));
        let tracker = match &s.tracker {
            Some(t) => {
                if let Err(e) = t.get_ref().validate() {
                    rep.error(
                        t.span(),
                        format!("{context}tracker: {e}"),
                        None,
                        Some("the [site.tracker] table takes the format of `iadsim track --config` (docs/scenario.md)".into()),
                    );
                }
                *t.get_ref()
            }
            None => default_site_tracker(),
        };
        resolved.site[si].tracker = Some(Spanned::new(0..0, tracker));
        if let Some(command_post) = command_post {
            sites.push(Site {
                name: s.name.clone(),
                position,
                command_post,
                radars,
                launchers,
                doctrine,
                reload_stock,
                tracker,
            });
        }
    }

    let mut raids = Vec::new();
    let mut target_classes = BTreeMap::new();
    for (ri, r) in raw.raid.iter().enumerate() {
        let context = format!("raid \"{}\": ", r.name);
        let Some(base) = presets.targets.get(r.class.get_ref()) else {
            unknown_preset(
                rep,
                "target class",
                &r.class,
                presets::names(&presets.targets),
            );
            continue;
        };
        let mut spec = base.clone();
        spec.rcs_m2 = number(
            rep,
            &r.rcs_m2,
            base.rcs_m2,
            &context,
            "rcs_m2",
            Limit::open_low(0.0, 1.0e4, "m²"),
        );
        spec.speed_mps = number(
            rep,
            &r.speed_mps,
            base.speed_mps,
            &context,
            "speed_mps",
            Limit::open_low(0.0, 1.0e4, "m/s"),
        );
        spec.swerling = count(
            rep,
            &r.swerling,
            base.swerling,
            &context,
            "swerling",
            Limit::closed(0.0, 4.0, ""),
        );
        if r.altitude_reference == Some(AltitudeReference::Ground) && terrain.is_none() {
            rep.error(
                r.class.span(),
                format!("{context}`altitude_reference = \"ground\"` needs terrain"),
                None,
                Some("add `terrain = \"builtin:baghdad-synthetic\"` (or a DEM path) to [scenario], or use \"ellipsoid\"".into()),
            );
        }
        let n = count(
            rep,
            &r.count,
            1,
            &context,
            "count",
            Limit::closed(1.0, 10000.0, ""),
        );
        let start_s = number(
            rep,
            &r.start_s,
            0.0,
            &context,
            "start_s",
            Limit::closed(0.0, 7.0 * 86400.0, "s"),
        );
        let spacing_s = number(
            rep,
            &r.spacing_s,
            0.0,
            &context,
            "spacing_s",
            Limit::closed(0.0, 86400.0, "s"),
        );
        let route: Vec<Position> = r
            .route
            .get_ref()
            .iter()
            .map(|p| position(rep, p, &context))
            .collect();
        if route.len() < 2 {
            rep.error(
                r.route.span(),
                format!("{context}the route has {} waypoint(s)", route.len()),
                Some("at least 2 waypoints".into()),
                Some("give the start and the end of the route".into()),
            );
        }
        for (k, w) in route.windows(2).enumerate() {
            if (w[0].lat_deg - w[1].lat_deg).abs() < 1e-9
                && (w[0].lon_deg - w[1].lon_deg).abs() < 1e-9
            {
                rep.error(
                    r.route.get_ref()[k + 1].lat_deg.span(),
                    format!(
                        "{context}waypoints {} and {} are at the same place",
                        k + 1,
                        k + 2
                    ),
                    Some("consecutive waypoints at different latitude/longitude".into()),
                    Some("remove the duplicate waypoint (vertical legs are not supported)".into()),
                );
            }
        }
        let rr = &mut resolved.raid[ri];
        rr.rcs_m2 = Some(Spanned::new(0..0, spec.rcs_m2));
        rr.speed_mps = Some(Spanned::new(0..0, spec.speed_mps));
        rr.count = Some(Spanned::new(0..0, n));
        rr.swerling = Some(Spanned::new(0..0, spec.swerling));
        rr.altitude_reference = Some(r.altitude_reference.unwrap_or_default());
        rr.start_s = Some(Spanned::new(0..0, start_s));
        rr.spacing_s = Some(Spanned::new(0..0, spacing_s));
        rr.side = Some(r.side.unwrap_or_default());
        target_classes.insert(r.class.get_ref().clone(), base.clone());
        raids.push(Raid {
            name: r.name.clone(),
            class: r.class.get_ref().clone(),
            spec,
            count: n,
            start_s,
            spacing_s,
            route,
            altitude_reference: r.altitude_reference.unwrap_or_default(),
            side: r.side.unwrap_or_default(),
        });
    }

    let zones = raw.zone.iter().filter_map(|z| zone(rep, z)).collect();

    // Write out every missile type the launchers use, so the resolved file does not depend on
    // the preset catalogue of the binary that reads it.
    for (name, spec) in &used_missiles {
        let defined = resolved
            .missile
            .iter()
            .any(|m| m.name.as_ref().map_or(m.preset.get_ref(), |n| n.get_ref()) == name);
        if !defined {
            if let Ok(mut entry) = toml::from_str::<MissileEntry>(&format!("preset = {name:?}")) {
                entry.fill_from(spec);
                resolved.missile.push(entry);
            }
        }
    }
    let resolved_toml = toml::to_string_pretty(&resolved).unwrap_or_default();
    Scenario {
        name: h.name.clone(),
        duration_s,
        seed: h.seed,
        max_step_s,
        engagement_step_s,
        terrain,
        assets,
        sites,
        raids,
        zones,
        missiles: used_missiles,
        target_classes,
        resolved_toml,
    }
}

/// Probability that IFF identifies a friendly as friendly, when the scenario does not say.
/// ASSUMPTION (docs/assumptions.md): no public figure for either system.
pub const DEFAULT_IFF_P_CORRECT: f64 = 0.95;

/// The command post's tracker when the scenario does not give one: an IMM of constant velocity
/// and coordinated turn (EKF), run in the site's local East-North-Up frame so that the turn mode
/// turns in the horizontal plane. The engagement radar revisits every second with a Pd that can be
/// below one half at long range, so a confirmed track survives 20 consecutive missed looks (a
/// track break makes C2 see a new target and fire again); tentative tracks need 3 hits in 4 looks
/// and a velocity prior wide enough (1,500 m/s per axis) for ballistic targets.
pub fn default_site_tracker() -> TrackerFileConfig {
    use iadsim_track::config::{DeletionSection, ImmCtConfig, ImmCvConfig, InitiationSection};
    use iadsim_track::VelocityStart;
    use iadsim_track::{FilterKind, MotionConfig};
    TrackerFileConfig {
        motion: MotionConfig::Imm {
            cv: ImmCvConfig {
                q: 20.0,
                turn_rate_sigma_radps: 1e-3,
            },
            ct: ImmCtConfig {
                q: 20.0,
                turn_rate_noise: 1e-3,
            },
            transition_diagonal: [0.95, 0.95],
            initial_probabilities: [0.9, 0.1],
            init_turn_rate_sigma_radps: 0.1,
        },
        filter: FilterKind::Ekf,
        initiation: InitiationSection {
            m: 3,
            n: 4,
            init_velocity_sigma_mps: 1_500.0,
            velocity_start: VelocityStart::TwoPoint,
        },
        deletion: DeletionSection {
            max_misses: 20,
            max_misses_tentative: 3,
            max_coast_tentative_s: 12.0,
            ..DeletionSection::default()
        },
        ..TrackerFileConfig::default()
    }
}

fn spanless(m: &BTreeMap<String, u32>) -> BTreeMap<String, Spanned<u32>> {
    m.iter()
        .map(|(k, v)| (k.clone(), Spanned::new(0..0, *v)))
        .collect()
}

/// A table of counts by missile name (reserve, reloads): names must be known missile types.
fn missile_counts(
    rep: &mut Reporter<'_>,
    table: Option<&BTreeMap<String, Spanned<u32>>>,
    missiles: &BTreeMap<String, MissileSpec>,
    context: &str,
    what: &str,
) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    for (name, n) in table.into_iter().flatten() {
        if !missiles.contains_key(name) {
            rep.error(
                n.span(),
                format!("{context}`{what}` names unknown missile \"{name}\""),
                Some(format!("one of: {}", presets::names(missiles))),
                Some("use a missile name from presets/missiles.toml or a [[missile]] entry".into()),
            );
            continue;
        }
        check_limit(
            rep,
            n.span(),
            context,
            &format!("{what}.{name}"),
            f64::from(*n.get_ref()),
            &Limit::closed(0.0, 10_000.0, "").expect("limit"),
        );
        out.insert(name.clone(), *n.get_ref());
    }
    out
}

fn zone(rep: &mut Reporter<'_>, z: &ZoneEntry) -> Option<Zone> {
    let context = format!("zone \"{}\": ", z.name);
    let min_altitude_m = number(
        rep,
        &z.min_altitude_m,
        -500.0,
        &context,
        "min_altitude_m",
        Some(ALT),
    );
    let max_altitude_m = number(
        rep,
        &z.max_altitude_m,
        1.0e6,
        &context,
        "max_altitude_m",
        Some(ALT),
    );
    let shape = match (&z.circle, &z.polygon) {
        (Some(c), None) => {
            check_limit(
                rep,
                c.lat_deg.span(),
                &context,
                "circle.lat_deg",
                *c.lat_deg.get_ref(),
                &LAT,
            );
            check_limit(
                rep,
                c.lon_deg.span(),
                &context,
                "circle.lon_deg",
                *c.lon_deg.get_ref(),
                &LON,
            );
            check_limit(
                rep,
                c.radius_m.span(),
                &context,
                "circle.radius_m",
                *c.radius_m.get_ref(),
                &Limit::open_low(0.0, 2.0e7, "m").expect("limit"),
            );
            ZoneShape::Circle {
                lat_deg: *c.lat_deg.get_ref(),
                lon_deg: *c.lon_deg.get_ref(),
                radius_m: *c.radius_m.get_ref(),
            }
        }
        (None, Some(poly)) => {
            let vertices = poly.get_ref();
            if vertices.len() < 3 {
                rep.error(
                    poly.span(),
                    format!("{context}the polygon has {} vertices", vertices.len()),
                    Some("at least 3 [lat_deg, lon_deg] vertices".into()),
                    Some("list the corners in order; the polygon closes itself".into()),
                );
            }
            for v in vertices {
                if !(LAT.admits(v[0]) && LON.admits(v[1])) {
                    rep.error(
                        poly.span(),
                        format!(
                            "{context}vertex [{}, {}] is not a latitude/longitude",
                            show(v[0]),
                            show(v[1])
                        ),
                        Some("-90 ≤ lat_deg ≤ 90, -180 ≤ lon_deg ≤ 180".into()),
                        Some("vertices are [lat_deg, lon_deg], latitude first".into()),
                    );
                }
            }
            ZoneShape::Polygon {
                vertices_deg: vertices.clone(),
            }
        }
        _ => {
            rep.error(
                z.kind.span(),
                format!("{context}give exactly one of `circle` and `polygon`"),
                None,
                Some("e.g. circle = { lat_deg = 33.3, lon_deg = 44.4, radius_m = 20000.0 }".into()),
            );
            return None;
        }
    };
    if min_altitude_m >= max_altitude_m {
        rep.error(
            z.min_altitude_m
                .as_ref()
                .map_or(z.kind.span(), |s| s.span()),
            format!(
                "{context}`min_altitude_m` = {} is not below `max_altitude_m` = {}",
                show(min_altitude_m),
                show(max_altitude_m)
            ),
            Some("min_altitude_m < max_altitude_m".into()),
            None,
        );
    }
    Some(Zone {
        name: z.name.clone(),
        kind: match z.kind.get_ref() {
            ZoneKindEntry::WeaponsFree => ZoneKind::WeaponsFree,
            ZoneKindEntry::NoFire => ZoneKind::NoFire,
        },
        shape,
        min_altitude_m,
        max_altitude_m,
    })
}

fn check_missile_order(
    rep: &mut Reporter<'_>,
    spec: &MissileSpec,
    context: &str,
    span_of: &dyn Fn(&str) -> Range<usize>,
) {
    check_order(
        rep,
        span_of("min_range_m"),
        context,
        ("min_range_m", spec.min_range_m),
        ("max_range_m", spec.max_range_m),
    );
    check_order(
        rep,
        span_of("min_altitude_m"),
        context,
        ("min_altitude_m", spec.min_altitude_m),
        ("max_altitude_m", spec.max_altitude_m),
    );
    // The 3-DOF flyout description must be physical (positive masses, propellant lighter than
    // the missile, burns of non-zero duration, …).
    if let Err(e) = spec.aero().validate() {
        let field = match &e {
            iadsim_interceptor::InterceptorError::OutOfRange { field, .. } => field,
            iadsim_interceptor::InterceptorError::PropellantExceedsMass { .. } => {
                "boost_propellant_kg"
            }
            _ => "boost_time_s",
        };
        rep.error(
            span_of(field),
            format!("{context}flyout model: {e}"),
            None,
            Some("see docs/flyout.md for the meaning of the flyout fields".into()),
        );
    }
}

fn check_elevations(
    rep: &mut Reporter<'_>,
    spec: &RadarSpec,
    context: &str,
    span_of: &dyn Fn(&str) -> Range<usize>,
) {
    if spec.min_elevation_deg >= spec.max_elevation_deg {
        rep.error(
            span_of("min_elevation_deg"),
            format!(
                "{context}`min_elevation_deg` = {} is not below `max_elevation_deg` = {}",
                show(spec.min_elevation_deg),
                show(spec.max_elevation_deg)
            ),
            Some("min_elevation_deg < max_elevation_deg".into()),
            Some("the radar must cover an elevation band; lower `min_elevation_deg`".into()),
        );
    }
}

/// Checks every preset of a catalogue against its allowed ranges and cross-field rules (the test
/// suite runs it on the built-in catalogue).
pub fn check_presets(presets: &Presets) -> Result<(), ScenarioError> {
    let mut rep = Reporter::new("<presets>", "");
    for (name, r) in &presets.radars {
        let context = format!("radar preset {name}: ");
        r.check(&mut rep, &context, &|_| 0..0);
        check_elevations(&mut rep, r, &context, &|_| 0..0);
    }
    for (name, t) in &presets.targets {
        let positive = |v: f64| v > 0.0 && v.is_finite();
        if t.swerling > 4 || !positive(t.rcs_m2) || !positive(t.speed_mps) {
            rep.error(
                0..0,
                format!(
                    "target class preset {name}: swerling {} / rcs_m2 {} / speed_mps {} out of range",
                    t.swerling,
                    show(t.rcs_m2),
                    show(t.speed_mps)
                ),
                Some("swerling 0–4, rcs_m2 > 0, speed_mps > 0".into()),
                None,
            );
        }
    }
    for (name, m) in &presets.missiles {
        let context = format!("missile preset {name}: ");
        m.check(&mut rep, &context, &|_| 0..0);
        check_missile_order(&mut rep, m, &context, &|_| 0..0);
    }
    for (name, l) in &presets.launchers {
        l.check(&mut rep, &format!("launcher preset {name}: "), &|_| 0..0);
    }
    for (name, c) in &presets.command_posts {
        c.check(&mut rep, &format!("command post preset {name}: "), &|_| {
            0..0
        });
    }
    rep.finish()
}
