//! The scenario file as written: serde types that mirror the TOML ([`ScenarioFile`] and its
//! sections), with the source position of every value the resolver checks, and the parse step
//! that turns a TOML error into a diagnostic.
use super::error::Reporter;
use super::model::{AltitudeReference, Side};
use super::spec::{CommandPostEntry, LauncherEntry, MissileEntry, RadarEntry};
use iadsim_track::TrackerFileConfig;
use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;
use std::collections::BTreeMap;

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
    /// Solver of each cycle's weapon-target assignment: `"exact"` (default: branch and bound
    /// within a deterministic node budget), `"greedy"` (maximum marginal return) or `"local"`
    /// (greedy improved by moves and swaps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solver: Option<Spanned<iadsim_c2::CycleSolver>>,
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

impl ScenarioFile {
    /// Parses the TOML text; a syntax or shape error (unknown key, missing key, wrong type) is
    /// recorded in `rep` with a hint, and gives `None`.
    pub(crate) fn parse(source: &str, rep: &mut Reporter<'_>) -> Option<ScenarioFile> {
        match toml::from_str(source) {
            Ok(raw) => Some(raw),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim().to_string();
                let hint = parse_hint(&message);
                rep.error(span, message, None, hint);
                None
            }
        }
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
