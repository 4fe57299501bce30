//! Every bad-input case gives a diagnostic naming the place, the value and the allowed range.
use iadsim_engine::scenario::{check_presets, Presets, Scenario, ScenarioError, DEFAULT_SCENARIO};

#[test]
fn builtin_default_scenario_is_valid() {
    let s = Scenario::from_toml("s400-baghdad.toml", DEFAULT_SCENARIO).expect("valid");
    assert_eq!(s.sites.len(), 1);
    assert_eq!(s.sites[0].launchers.len(), 8);
    assert_eq!(s.sites[0].radars.len(), 3);
}

#[test]
fn every_preset_parses_and_is_in_range() {
    check_presets(&Presets::builtin()).expect("presets in range");
}

#[test]
fn resolved_scenario_reparses_to_the_same_scenario() {
    let s = Scenario::from_toml("a.toml", DEFAULT_SCENARIO).expect("valid");
    let again = Scenario::from_toml("resolved.toml", &s.resolved_toml).expect("resolved is valid");
    assert_eq!(s, again);
}

/// Replaces the first occurrence of `from` in the default scenario and validates the result.
fn bad(from: &str, to: &str) -> (String, ScenarioError) {
    assert!(
        DEFAULT_SCENARIO.contains(from),
        "fixture text {from:?} not found"
    );
    let text = DEFAULT_SCENARIO.replacen(from, to, 1);
    let err = Scenario::from_toml("bad.toml", &text).expect_err("must be rejected");
    (text, err)
}

/// Line and column (1-based) of the first occurrence of `needle` in `text`.
fn place(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle present");
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

fn assert_points_at(err: &ScenarioError, text: &str, needle: &str) {
    let (line, col) = place(text, needle);
    let d = &err.diagnostics[0];
    assert_eq!((d.line, d.column), (line, col), "diagnostic: {err}");
    let shown = err.to_string();
    assert!(shown.contains(&format!("bad.toml:{line}:{col}")), "{shown}");
    assert!(shown.contains("hint:"), "{shown}");
}

#[test]
fn latitude_out_of_range_names_value_place_and_range() {
    let (text, err) = bad("lat_deg = 33.3000", "lat_deg = 133.3");
    assert_points_at(&err, &text, "133.3");
    let shown = err.to_string();
    assert!(
        shown.contains("`lat_deg` = 133.3 is out of range"),
        "{shown}"
    );
    assert!(shown.contains("-90 ≤ lat_deg ≤ 90 deg"), "{shown}");
}

#[test]
fn negative_rcs_is_rejected() {
    let (text, err) = bad("class = \"fighter\"", "class = \"fighter\"\nrcs_m2 = -2.0");
    assert_points_at(&err, &text, "-2.0");
    let shown = err.to_string();
    assert!(shown.contains("`rcs_m2` = -2 is out of range"), "{shown}");
    assert!(shown.contains("0 < rcs_m2 ≤ 10000 m²"), "{shown}");
}

#[test]
fn altitude_below_minus_500_m_is_rejected() {
    let (text, err) = bad("alt_m = 9000.0", "alt_m = -900.0");
    assert_points_at(&err, &text, "-900.0");
    let shown = err.to_string();
    assert!(shown.contains("`alt_m` = -900 is out of range"), "{shown}");
    assert!(shown.contains("-500 ≤ alt_m ≤ 1000000 m"), "{shown}");
}

#[test]
fn zero_speed_is_rejected() {
    let (text, err) = bad(
        "class = \"fighter\"",
        "class = \"fighter\"\nspeed_mps = 0.0",
    );
    assert_points_at(&err, &text, "0.0\ncount = 4");
    let shown = err.to_string();
    assert!(shown.contains("`speed_mps` = 0 is out of range"), "{shown}");
    assert!(shown.contains("0 < speed_mps ≤ 10000 m/s"), "{shown}");
}

#[test]
fn unknown_key_is_rejected_with_its_place() {
    let (text, err) = bad("spacing_s = 10.0", "spacing_sec = 10.0");
    assert_points_at(&err, &text, "spacing_sec");
    let shown = err.to_string();
    assert!(shown.contains("unknown field `spacing_sec`"), "{shown}");
    assert!(
        shown.contains("spacing_s"),
        "the accepted keys are listed: {shown}"
    );
}

#[test]
fn missing_field_is_rejected_with_its_place() {
    let (text, err) = bad("duration_s = 1600.0\n", "");
    let shown = err.to_string();
    assert!(shown.contains("missing field `duration_s`"), "{shown}");
    let (line, _) = place(&text, "[scenario]");
    assert!(err.diagnostics[0].line >= line, "{shown}");
    assert!(shown.contains("bad.toml:"), "{shown}");
}

#[test]
fn unknown_preset_lists_the_known_ones() {
    let (text, err) = bad("{ preset = \"96L6E\" }", "{ preset = \"96L6X\" }");
    assert_points_at(&err, &text, "\"96L6X\"");
    let shown = err.to_string();
    assert!(shown.contains("unknown radar preset \"96L6X\""), "{shown}");
    assert!(shown.contains("91N6E, 92N6E, 96L6E"), "{shown}");
}

#[test]
fn override_out_of_range_points_at_the_override() {
    let (text, err) = bad(
        "{ preset = \"92N6E\", boresight_deg = 270.0 }",
        "{ preset = \"92N6E\", pfa = 1.5 }",
    );
    assert_points_at(&err, &text, "1.5");
    assert!(
        err.to_string().contains("`pfa` = 1.5 is out of range"),
        "{err}"
    );
}

#[test]
fn overfull_launcher_is_rejected() {
    let (_, err) = bad(
        "count = 1, load = [\"40N6E\", \"40N6E\", \"40N6E\", \"40N6E\"]",
        "count = 1, load = [\"40N6E\", \"40N6E\", \"40N6E\", \"40N6E\", \"40N6E\"]",
    );
    assert!(
        err.to_string()
            .contains("the load fills 5 tubes but the launcher has 4"),
        "{err}"
    );
}

#[test]
fn syntax_error_is_reported_not_panicked() {
    let (text, err) = bad("seed = 42", "seed = = 42");
    let (line, _) = place(&text, "seed = = 42");
    assert_eq!(err.diagnostics[0].line, line, "{err}");
}

#[test]
fn a_missile_heavier_in_propellant_than_in_total_is_rejected_before_running() {
    let text = DEFAULT_SCENARIO.replacen(
        "[[asset]]",
        "[[missile]]\npreset = \"9M96E\"\nname = \"stubby\"\nboost_propellant_kg = 5000.0\n\n[[asset]]",
        1,
    );
    let err = Scenario::from_toml("bad.toml", &text).expect_err("rejected");
    assert_points_at(&err, &text, "5000.0");
    let shown = err.to_string();
    assert!(shown.contains("flyout model:"), "{shown}");
    assert!(shown.contains("propellant"), "{shown}");
}

#[test]
fn unknown_terrain_is_rejected_with_its_place() {
    let (text, err) = bad(
        "terrain = \"builtin:baghdad-synthetic\"",
        "terrain = \"builtin:mars\"",
    );
    assert_points_at(&err, &text, "\"builtin:mars\"");
    assert!(
        err.to_string().contains("builtin:baghdad-synthetic"),
        "{err}"
    );
    let (text, err) = bad(
        "terrain = \"builtin:baghdad-synthetic\"",
        "terrain = \"nowhere/dem.tif\"",
    );
    assert_points_at(&err, &text, "\"nowhere/dem.tif\"");
    assert!(err.to_string().contains("not found"), "{err}");
}

#[test]
fn swerling_override_out_of_range_is_rejected() {
    let (text, err) = bad("class = \"fighter\"", "class = \"fighter\"\nswerling = 5");
    assert_points_at(&err, &text, "5\ncount");
    assert!(err.to_string().contains("0 ≤ swerling ≤ 4"), "{err}");
}

#[test]
fn equal_elevation_limits_are_rejected_not_a_crash() {
    let (text, err) = bad(
        "{ preset = \"96L6E\" }",
        "{ preset = \"96L6E\", min_elevation_deg = 5.0, max_elevation_deg = 5.0 }",
    );
    assert_points_at(&err, &text, "5.0, max");
    assert!(
        err.to_string().contains("is not below `max_elevation_deg`"),
        "{err}"
    );
}

#[test]
fn terrain_following_without_terrain_is_rejected() {
    let (_, err) = bad("terrain = \"builtin:baghdad-synthetic\"\n", "");
    assert!(err.to_string().contains("needs terrain"), "{err}");
}

#[test]
fn a_reserve_of_an_unknown_missile_is_rejected_with_the_known_ones() {
    let (text, err) = bad(
        "doctrine = { salvo = 2,",
        "doctrine = { reserve = { \"48N6X\" = 2 }, salvo = 2,",
    );
    assert_points_at(&err, &text, "2 }, salvo");
    let shown = err.to_string();
    assert!(shown.contains("unknown missile \"48N6X\""), "{shown}");
    assert!(shown.contains("48N6E3"), "{shown}");
}

#[test]
fn iff_probability_out_of_range_is_rejected() {
    let (text, err) = bad(
        "doctrine = { salvo = 2,",
        "doctrine = { iff_p_correct = 1.5, salvo = 2,",
    );
    assert_points_at(&err, &text, "1.5");
    assert!(err.to_string().contains("0 ≤ iff_p_correct ≤ 1"), "{err}");
}

#[test]
fn a_zone_needs_exactly_one_shape() {
    let text = format!("{DEFAULT_SCENARIO}\n[[zone]]\nname = \"z\"\nkind = \"no_fire\"\n");
    let err = Scenario::from_toml("bad.toml", &text).expect_err("must be rejected");
    assert_points_at(&err, &text, "\"no_fire\"");
    assert!(
        err.to_string()
            .contains("exactly one of `circle` and `polygon`"),
        "{err}"
    );
    let text = format!(
        "{DEFAULT_SCENARIO}\n[[zone]]\nname = \"z\"\nkind = \"weapons_free\"\npolygon = [[33.0, 44.0], [34.0, 190.0], [34.0, 44.0]]\n"
    );
    let err = Scenario::from_toml("bad.toml", &text).expect_err("must be rejected");
    assert!(err.to_string().contains("vertex [34, 190]"), "{err}");
}

#[test]
fn a_bad_site_tracker_is_reported_at_its_table() {
    let (text, err) = bad(
        "doctrine = { salvo = 2,",
        "tracker = { initiation = { m = 5, n = 3 } }\ndoctrine = { salvo = 2,",
    );
    assert_points_at(&err, &text, "{ initiation");
    assert!(err.to_string().contains("tracker:"), "{err}");
}

#[test]
fn the_site_tracker_can_be_set_in_the_scenario() {
    let text = DEFAULT_SCENARIO.replacen(
        "doctrine = { salvo = 2,",
        "tracker = { motion = { model = \"cv\", q = 50.0 }, initiation = { m = 2, n = 3 } }\ndoctrine = { salvo = 2,",
        1,
    );
    let s = Scenario::from_toml("t.toml", &text).expect("valid");
    assert_eq!(s.sites[0].tracker.initiation.m, 2);
    let again = Scenario::from_toml("resolved.toml", &s.resolved_toml).expect("resolved is valid");
    assert_eq!(s, again);
}
