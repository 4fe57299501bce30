//! The scenario language: TOML as written ([`ScenarioFile`]) → validated [`Scenario`].
//!
//! Only a [`Scenario`] reaches the engine. Validation collects every problem it can find and
//! reports each with file, line and column, the offending value, the allowed range and a hint.
//!
//! The modules follow the data: `file` holds the raw serde types (with source positions), `spec`
//! and [`presets`] the equipment specifications and the built-in catalogue, `resolve` turns the
//! file into the model one section at a time (header, missiles, assets, sites with their radars,
//! launchers and doctrine, raids, zones), `model` holds the validated types and `error` the
//! diagnostics.
mod error;
mod file;
mod model;
pub mod presets;
mod resolve;
pub mod spec;

pub use error::{Diagnostic, ScenarioError};
pub use file::{
    AssetEntry, CircleEntry, DoctrineEntry, HeaderEntry, PositionEntry, RaidEntry, ScenarioFile,
    SiteEntry, ZoneEntry, ZoneKindEntry,
};
pub use model::{
    AltitudeReference, Asset, Doctrine, Launcher, Position, Radar, Raid, Scenario, Side, Site,
    TerrainSource, BUILTIN_TERRAIN,
};
pub use presets::{check_presets, Presets};
pub use resolve::{default_site_tracker, DEFAULT_IFF_P_CORRECT};
pub use spec::{
    CommandPostEntry, CommandPostSpec, LauncherEntry, LauncherSpec, Limit, MissileEntry,
    MissileSpec, RadarEntry, RadarRole, RadarSpec, TargetClassSpec, TargetKind,
};

use error::Reporter;

/// The built-in default scenario (`scenarios/s400-baghdad.toml`).
pub const DEFAULT_SCENARIO: &str = include_str!("../../../../scenarios/s400-baghdad.toml");
/// File name shown in diagnostics for the built-in scenario.
pub const DEFAULT_SCENARIO_NAME: &str = "s400-baghdad.toml";

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

    /// The resolved scenario (`resolved_toml`) with `seed` as its master seed: what a run
    /// directory keeps, so that `iadsim run` on it repeats a run made with `--seed`.
    pub fn resolved_toml_with_seed(&self, seed: u64) -> Result<String, toml::de::Error> {
        if seed == self.seed {
            return Ok(self.resolved_toml.clone());
        }
        let mut file: ScenarioFile = toml::from_str(&self.resolved_toml)?;
        file.scenario.seed = seed;
        // Serialising the types the resolved text was made from cannot fail.
        Ok(toml::to_string_pretty(&file).unwrap_or_default())
    }

    /// As [`Scenario::from_toml`], with an explicit preset catalogue.
    pub fn from_toml_with(
        file: &str,
        source: &str,
        presets: &Presets,
    ) -> Result<Scenario, ScenarioError> {
        let mut rep = Reporter::new(file, source);
        let Some(raw) = ScenarioFile::parse(source, &mut rep) else {
            return Err(rep.finish().expect_err("a parse error was recorded"));
        };
        let scenario = resolve::resolve(&raw, presets, &mut rep, file);
        rep.finish()?;
        Ok(scenario)
    }
}
