//! The preset catalogue, embedded in the binary from `presets/*.toml`, and its check.
use super::error::{show, Reporter};
use super::resolve::{check_elevations, check_missile_order};
use super::spec::{CommandPostSpec, LauncherSpec, MissileSpec, RadarSpec, TargetClassSpec};
use super::ScenarioError;
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
