//! The preset catalogue, embedded in the binary from `presets/*.toml`.
use super::spec::{CommandPostSpec, LauncherSpec, MissileSpec, RadarSpec, TargetClassSpec};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// Source text of each preset file, by file name.
pub const PRESET_FILES: &[(&str, &str)] = &[
    (
        "radars.toml",
        include_str!("../../../../presets/radars.toml"),
    ),
    (
        "launchers.toml",
        include_str!("../../../../presets/launchers.toml"),
    ),
    (
        "missiles.toml",
        include_str!("../../../../presets/missiles.toml"),
    ),
    (
        "command_posts.toml",
        include_str!("../../../../presets/command_posts.toml"),
    ),
    (
        "targets.toml",
        include_str!("../../../../presets/targets.toml"),
    ),
];

/// All presets, by name.
#[derive(Debug, Clone)]
pub struct Presets {
    /// Radars.
    pub radars: BTreeMap<String, RadarSpec>,
    /// Launchers.
    pub launchers: BTreeMap<String, LauncherSpec>,
    /// Interceptor missiles.
    pub missiles: BTreeMap<String, MissileSpec>,
    /// Command posts.
    pub command_posts: BTreeMap<String, CommandPostSpec>,
    /// Target classes.
    pub targets: BTreeMap<String, TargetClassSpec>,
}

fn parse<T: DeserializeOwned>(name: &str) -> BTreeMap<String, T> {
    let text = PRESET_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or_default();
    // The preset files are part of the source tree and checked by the test suite
    // (`every_preset_parses_and_is_in_range`); a failure here is a build defect, not user input.
    toml::from_str(text).unwrap_or_else(|e| panic!("presets/{name} is invalid: {e}"))
}

impl Presets {
    /// The built-in catalogue.
    pub fn builtin() -> Presets {
        Presets {
            radars: parse("radars.toml"),
            launchers: parse("launchers.toml"),
            missiles: parse("missiles.toml"),
            command_posts: parse("command_posts.toml"),
            targets: parse("targets.toml"),
        }
    }
}

/// Comma-separated list of names, for hints.
pub(crate) fn names<T>(map: &BTreeMap<String, T>) -> String {
    map.keys().cloned().collect::<Vec<_>>().join(", ")
}
