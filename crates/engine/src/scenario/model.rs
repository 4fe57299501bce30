//! The validated scenario: what the engine receives ([`Scenario`] and its parts), every preset
//! merged, every default filled in and every value checked.
use super::spec::{CommandPostSpec, LauncherSpec, MissileSpec, RadarSpec, TargetClassSpec};
use iadsim_c2::Zone;
use iadsim_track::TrackerFileConfig;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Solver of each cycle's weapon-target assignment.
    pub solver: iadsim_c2::CycleSolver,
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
