//! Every bad-input case gives a diagnostic naming the place, the value and the allowed range: one
//! table of edits to the default scenario with what the diagnostic must say, checked by one loop.
use iadsim_c2::CycleSolver;
use iadsim_engine::scenario::{check_presets, Presets, Scenario, DEFAULT_SCENARIO};

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

#[test]
fn issue_11_resolved_scenario_records_the_seed_of_the_run() {
    let s = Scenario::from_toml("a.toml", DEFAULT_SCENARIO).expect("valid");
    assert_eq!(
        s.resolved_toml_with_seed(s.seed).expect("same seed"),
        s.resolved_toml
    );
    let text = s.resolved_toml_with_seed(7).expect("rewritten");
    let changed: Vec<(&str, &str)> = s
        .resolved_toml
        .lines()
        .zip(text.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed, [("seed = 42", "seed = 7")]);
    let again = Scenario::from_toml("resolved.toml", &text).expect("resolved is valid");
    assert_eq!(again.seed, 7);
    assert_eq!(
        Scenario {
            seed: s.seed,
            resolved_toml: s.resolved_toml.clone(),
            ..again
        },
        s
    );
}

#[test]
fn doctrine_chooses_the_cycle_solver_and_the_resolved_file_keeps_it() {
    let default = Scenario::from_toml("d.toml", DEFAULT_SCENARIO).expect("valid");
    assert_eq!(default.sites[0].doctrine.solver, CycleSolver::Exact);
    for (name, solver) in [
        ("greedy", CycleSolver::Greedy),
        ("local", CycleSolver::Local),
    ] {
        let text = DEFAULT_SCENARIO.replacen(
            "doctrine = { salvo = 2,",
            &format!("doctrine = {{ solver = \"{name}\", salvo = 2,"),
            1,
        );
        let s = Scenario::from_toml("s.toml", &text).expect("valid");
        assert_eq!(s.sites[0].doctrine.solver, solver);
        assert!(s.resolved_toml.contains(&format!("solver = \"{name}\"")));
        let again = Scenario::from_toml("resolved.toml", &s.resolved_toml).expect("resolved");
        assert_eq!(s, again);
    }
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

/// How a case changes the default scenario.
enum Edit {
    /// Replace the first occurrence of each `from` by its `to`, in order.
    Replace(&'static [(&'static str, &'static str)]),
    /// Add a snippet at the end of the file.
    Append(&'static str),
}

/// Where the first diagnostic must point.
enum At {
    /// At the first occurrence of this text in the edited file: `bad.toml:line:column` is shown,
    /// with a hint.
    Text(&'static str),
    /// On the line of the first occurrence of this text.
    Line(&'static str),
    /// On or after the line of the first occurrence of this text.
    NotBefore(&'static str),
    /// Anywhere: the message alone identifies the problem.
    Anywhere,
}

/// One bad input and what its diagnostics must say.
struct Case {
    name: &'static str,
    edit: Edit,
    at: At,
    says: &'static [&'static str],
}

use At::{Anywhere, Line, NotBefore, Text};
use Edit::{Append, Replace};

const CASES: &[Case] = &[
    Case {
        name: "latitude out of range names value, place and range",
        edit: Replace(&[("lat_deg = 33.3000", "lat_deg = 133.3")]),
        at: Text("133.3"),
        says: &["`lat_deg` = 133.3 is out of range", "-90 ≤ lat_deg ≤ 90 deg"],
    },
    Case {
        name: "negative rcs",
        edit: Replace(&[("class = \"fighter\"", "class = \"fighter\"\nrcs_m2 = -2.0")]),
        at: Text("-2.0"),
        says: &["`rcs_m2` = -2 is out of range", "0 < rcs_m2 ≤ 10000 m²"],
    },
    Case {
        name: "altitude below -500 m",
        edit: Replace(&[("alt_m = 9000.0", "alt_m = -900.0")]),
        at: Text("-900.0"),
        says: &["`alt_m` = -900 is out of range", "-500 ≤ alt_m ≤ 1000000 m"],
    },
    Case {
        name: "zero speed",
        edit: Replace(&[("class = \"fighter\"", "class = \"fighter\"\nspeed_mps = 0.0")]),
        at: Text("0.0\ncount = 4"),
        says: &["`speed_mps` = 0 is out of range", "0 < speed_mps ≤ 10000 m/s"],
    },
    Case {
        name: "unknown key, with the accepted keys listed",
        edit: Replace(&[("spacing_s = 10.0", "spacing_sec = 10.0")]),
        at: Text("spacing_sec"),
        says: &["unknown field `spacing_sec`", "spacing_s"],
    },
    Case {
        name: "missing field",
        edit: Replace(&[("duration_s = 1600.0\n", "")]),
        at: NotBefore("[scenario]"),
        says: &["missing field `duration_s`", "bad.toml:"],
    },
    Case {
        name: "unknown preset lists the known ones",
        edit: Replace(&[("{ preset = \"96L6E\" }", "{ preset = \"96L6X\" }")]),
        at: Text("\"96L6X\""),
        says: &["unknown radar preset \"96L6X\"", "91N6E, 92N6E, 96L6E"],
    },
    Case {
        name: "override out of range points at the override",
        edit: Replace(&[(
            "{ preset = \"92N6E\", boresight_deg = 270.0 }",
            "{ preset = \"92N6E\", pfa = 1.5 }",
        )]),
        at: Text("1.5"),
        says: &["`pfa` = 1.5 is out of range"],
    },
    Case {
        name: "overfull launcher",
        edit: Replace(&[(
            "count = 1, load = [\"40N6E\", \"40N6E\", \"40N6E\", \"40N6E\"]",
            "count = 1, load = [\"40N6E\", \"40N6E\", \"40N6E\", \"40N6E\", \"40N6E\"]",
        )]),
        at: Anywhere,
        says: &["the load fills 5 tubes but the launcher has 4"],
    },
    Case {
        name: "syntax error is reported, not panicked",
        edit: Replace(&[("seed = 42", "seed = = 42")]),
        at: Line("seed = = 42"),
        says: &[],
    },
    Case {
        name: "a missile heavier in propellant than in total is rejected before running",
        edit: Replace(&[(
            "[[asset]]",
            "[[missile]]\npreset = \"9M96E\"\nname = \"stubby\"\nboost_propellant_kg = 5000.0\n\n[[asset]]",
        )]),
        at: Text("5000.0"),
        says: &["flyout model:", "propellant"],
    },
    Case {
        name: "unknown built-in terrain",
        edit: Replace(&[(
            "terrain = \"builtin:baghdad-synthetic\"",
            "terrain = \"builtin:mars\"",
        )]),
        at: Text("\"builtin:mars\""),
        says: &["builtin:baghdad-synthetic"],
    },
    Case {
        name: "terrain file not found",
        edit: Replace(&[(
            "terrain = \"builtin:baghdad-synthetic\"",
            "terrain = \"nowhere/dem.tif\"",
        )]),
        at: Text("\"nowhere/dem.tif\""),
        says: &["not found"],
    },
    Case {
        name: "swerling override out of range",
        edit: Replace(&[("class = \"fighter\"", "class = \"fighter\"\nswerling = 5")]),
        at: Text("5\ncount"),
        says: &["0 ≤ swerling ≤ 4"],
    },
    Case {
        name: "equal elevation limits are rejected, not a crash",
        edit: Replace(&[(
            "{ preset = \"96L6E\" }",
            "{ preset = \"96L6E\", min_elevation_deg = 5.0, max_elevation_deg = 5.0 }",
        )]),
        at: Text("5.0, max"),
        says: &["is not below `max_elevation_deg`"],
    },
    Case {
        name: "terrain following without terrain",
        edit: Replace(&[("terrain = \"builtin:baghdad-synthetic\"\n", "")]),
        at: Anywhere,
        says: &["needs terrain"],
    },
    Case {
        name: "a reserve of an unknown missile lists the known ones",
        edit: Replace(&[(
            "doctrine = { salvo = 2,",
            "doctrine = { reserve = { \"48N6X\" = 2 }, salvo = 2,",
        )]),
        at: Text("2 }, salvo"),
        says: &["unknown missile \"48N6X\"", "48N6E3"],
    },
    Case {
        name: "IFF probability out of range",
        edit: Replace(&[(
            "doctrine = { salvo = 2,",
            "doctrine = { iff_p_correct = 1.5, salvo = 2,",
        )]),
        at: Text("1.5"),
        says: &["0 ≤ iff_p_correct ≤ 1"],
    },
    Case {
        name: "an unknown WTA solver names the choices",
        edit: Replace(&[(
            "doctrine = { salvo = 2,",
            "doctrine = { solver = \"optimal\", salvo = 2,",
        )]),
        at: Text("\"optimal\""),
        says: &["unknown variant `optimal`", "`exact`, `greedy`, `local`"],
    },
    Case {
        name: "a zone needs a shape",
        edit: Append("\n[[zone]]\nname = \"z\"\nkind = \"no_fire\"\n"),
        at: Text("\"no_fire\""),
        says: &["exactly one of `circle` and `polygon`"],
    },
    Case {
        name: "a zone vertex off the globe",
        edit: Append(
            "\n[[zone]]\nname = \"z\"\nkind = \"weapons_free\"\npolygon = [[33.0, 44.0], [34.0, 190.0], [34.0, 44.0]]\n",
        ),
        at: Anywhere,
        says: &["vertex [34, 190]"],
    },
    Case {
        name: "a bad site tracker is reported at its table",
        edit: Replace(&[(
            "doctrine = { salvo = 2,",
            "tracker = { initiation = { m = 5, n = 3 } }\ndoctrine = { salvo = 2,",
        )]),
        at: Text("{ initiation"),
        says: &["tracker:"],
    },
    // Cases added with the split of scenario resolution by section: one or more per section.
    Case {
        name: "duration out of range",
        edit: Replace(&[("duration_s = 1600.0", "duration_s = 0.0")]),
        at: Text("0.0\nseed"),
        says: &["`duration_s` = 0 is out of range", "0 < duration_s ≤ 604800 s"],
    },
    Case {
        name: "motion step out of range",
        edit: Replace(&[("max_step_s = 0.5", "max_step_s = 20.0")]),
        at: Text("20.0"),
        says: &["`max_step_s` = 20 is out of range", "0.001 ≤ max_step_s ≤ 10 s"],
    },
    Case {
        name: "wrong type",
        edit: Replace(&[("count = 4", "count = \"4\"")]),
        at: Text("\"4\""),
        says: &["invalid type: string \"4\", expected u32", "without quotes"],
    },
    Case {
        name: "unknown missile preset in [[missile]]",
        edit: Append("\n[[missile]]\npreset = \"9M96X\"\nname = \"nope\"\n"),
        at: Text("\"9M96X\""),
        says: &["unknown missile preset \"9M96X\"", "9M96E2"],
    },
    Case {
        name: "missile ranges out of order",
        edit: Replace(&[(
            "[[asset]]",
            "[[missile]]\npreset = \"9M96E\"\nname = \"short\"\nmin_range_m = 90000.0\nmax_range_m = 1000.0\n\n[[asset]]",
        )]),
        at: Text("90000.0"),
        says: &[
            "missile \"short\": `min_range_m` = 90000 exceeds `max_range_m` = 1000",
            "min_range_m ≤ max_range_m",
        ],
    },
    Case {
        name: "missile preset override out of range",
        edit: Replace(&[(
            "[[asset]]",
            "[[missile]]\npreset = \"48N6E3\"\npk = 1.5\n\n[[asset]]",
        )]),
        at: Text("1.5"),
        says: &["missile \"48N6E3\": `pk` = 1.5 is out of range", "0 ≤ pk ≤ 1"],
    },
    Case {
        name: "negative asset value",
        edit: Replace(&[("value = 100.0", "value = -1.0")]),
        at: Text("-1.0"),
        says: &["asset \"Baghdad International Airport\": `value` = -1 is out of range"],
    },
    Case {
        name: "negative asset radius",
        edit: Replace(&[("radius_m = 3000.0", "radius_m = -5.0")]),
        at: Text("-5.0"),
        says: &["`radius_m` = -5 is out of range", "0 < radius_m ≤ 100000 m"],
    },
    Case {
        name: "unknown command post preset",
        edit: Replace(&[("\"55K6E\"", "\"55K6X\"")]),
        at: Text("\"55K6X\""),
        says: &["unknown command post preset \"55K6X\"", "55K6E"],
    },
    Case {
        name: "a site without radar",
        edit: Replace(&[
            ("  { preset = \"91N6E\" },\n", ""),
            ("  { preset = \"96L6E\" },", ""),
            ("  { preset = \"92N6E\", boresight_deg = 270.0 },\n", ""),
        ]),
        at: Anywhere,
        says: &["site \"1st battalion\": the site has no radar"],
    },
    Case {
        name: "a detector with pfa at or above its reference pd",
        edit: Replace(&[(
            "{ preset = \"91N6E\" }",
            "{ preset = \"91N6E\", pfa = 0.09, reference_pd = 0.05 }",
        )]),
        at: Text("0.09"),
        says: &["`pfa` = 0.09 is not below `reference_pd` = 0.05"],
    },
    Case {
        name: "unknown launcher preset",
        edit: Replace(&[("{ preset = \"5P85SE2\", count = 1", "{ preset = \"5P85XX\", count = 1")]),
        at: Text("\"5P85XX\""),
        says: &["unknown launcher preset \"5P85XX\"", "5P85SE2"],
    },
    Case {
        name: "unknown missile in a load",
        edit: Replace(&[("load = [\"40N6E\",", "load = [\"40N6Q\",")]),
        at: Text("\"40N6Q\""),
        says: &["unknown missile preset \"40N6Q\"", "40N6E"],
    },
    Case {
        name: "launcher count out of range",
        edit: Replace(&[("count = 1, load", "count = 65, load")]),
        at: Text("65"),
        says: &["launcher 5P85SE2: `count` = 65 is out of range", "1 ≤ count ≤ 64"],
    },
    Case {
        name: "salvo out of range",
        edit: Replace(&[("salvo = 2,", "salvo = 9,")]),
        at: Text("9, kill"),
        says: &["`salvo` = 9 is out of range", "1 ≤ salvo ≤ 8"],
    },
    Case {
        name: "reloads of an unknown missile",
        edit: Replace(&[(
            "doctrine = { salvo = 2,",
            "reloads = { \"9M96Z\" = 3 }\ndoctrine = { salvo = 2,",
        )]),
        at: Text("3 }"),
        says: &["`reloads` names unknown missile \"9M96Z\""],
    },
    Case {
        name: "unknown target class",
        edit: Replace(&[("class = \"fighter\"", "class = \"fighterz\"")]),
        at: Text("\"fighterz\""),
        says: &["unknown target class preset \"fighterz\"", "cruise_missile"],
    },
    Case {
        name: "a vertical route leg",
        edit: Replace(&[(
            "  { lat_deg = 33.05, lon_deg = 43.20, alt_m = 30.0 },\n",
            "  { lat_deg = 33.05, lon_deg = 43.20, alt_m = 30.0 },\n  { lat_deg = 33.050, lon_deg = 43.20, alt_m = 300.0 },\n",
        )]),
        at: Text("33.050"),
        says: &["waypoints 2 and 3 are at the same place", "vertical legs are not supported"],
    },
    Case {
        name: "a route of one waypoint",
        edit: Replace(&[("  { lat_deg = 33.20, lon_deg = 42.20, alt_m = 90000.0 },\n", "")]),
        at: Anywhere,
        says: &["the route has 1 waypoint(s)", "at least 2 waypoints"],
    },
    Case {
        name: "a polygon of two vertices",
        edit: Append(
            "\n[[zone]]\nname = \"z\"\nkind = \"no_fire\"\npolygon = [[33.0, 44.0], [34.0, 45.0]]\n",
        ),
        at: Text("[[33.0"),
        says: &["zone \"z\": the polygon has 2 vertices", "at least 3"],
    },
    Case {
        name: "a zone whose floor is above its ceiling",
        edit: Append(
            "\n[[zone]]\nname = \"z\"\nkind = \"no_fire\"\ncircle = { lat_deg = 33.0, lon_deg = 44.0, radius_m = 9000.0 }\nmin_altitude_m = 5000.0\nmax_altitude_m = 100.0\n",
        ),
        at: Line("min_altitude_m = 5000.0"),
        says: &["`min_altitude_m` = 5000 is not below `max_altitude_m` = 100"],
    },
    Case {
        name: "a zone circle of zero radius",
        edit: Append(
            "\n[[zone]]\nname = \"z\"\nkind = \"no_fire\"\ncircle = { lat_deg = 33.0, lon_deg = 44.0, radius_m = 0.0 }\n",
        ),
        at: Anywhere,
        says: &["`circle.radius_m` = 0 is out of range"],
    },
    Case {
        name: "every problem of a file is reported in one pass",
        edit: Replace(&[
            ("lat_deg = 33.3000", "lat_deg = 133.3"),
            ("{ preset = \"96L6E\" }", "{ preset = \"96L6X\" }"),
            ("salvo = 2,", "salvo = 9,"),
            ("class = \"fighter\"", "class = \"fighterz\""),
        ]),
        at: Text("133.3"),
        says: &["4 problems found", "96L6X", "`salvo` = 9", "fighterz"],
    },
];

/// Line and column (1-based) of the first occurrence of `needle` in `text`.
fn place(text: &str, needle: &str) -> Result<(usize, usize), String> {
    let at = text
        .find(needle)
        .ok_or_else(|| format!("{needle:?} not in the edited file"))?;
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    Ok((line, col))
}

/// The case's edit of the default scenario.
fn edited(edit: &Edit) -> Result<String, String> {
    match edit {
        Replace(pairs) => {
            pairs
                .iter()
                .try_fold(DEFAULT_SCENARIO.to_string(), |text, (from, to)| {
                    if text.contains(from) {
                        Ok(text.replacen(from, to, 1))
                    } else {
                        Err(format!("fixture text {from:?} not found"))
                    }
                })
        }
        Append(snippet) => Ok(format!("{DEFAULT_SCENARIO}{snippet}")),
    }
}

/// Checks one case; the error says what is wrong.
fn check(case: &Case) -> Result<(), String> {
    let text = edited(&case.edit)?;
    let err = match Scenario::from_toml("bad.toml", &text) {
        Ok(_) => return Err("accepted".into()),
        Err(err) => err,
    };
    let shown = err.to_string();
    let first = &err.diagnostics[0];
    let fail = |what: String| Err(format!("{what}\n{shown}"));
    match case.at {
        Text(needle) => {
            let (line, col) = place(&text, needle)?;
            if (first.line, first.column) != (line, col) {
                return fail(format!("first diagnostic not at {line}:{col}"));
            }
            if !shown.contains(&format!("bad.toml:{line}:{col}")) || !shown.contains("hint:") {
                return fail(format!("no `bad.toml:{line}:{col}` or no hint"));
            }
        }
        Line(needle) if first.line != place(&text, needle)?.0 => {
            return fail(format!("first diagnostic not on the line of {needle:?}"));
        }
        NotBefore(needle) if first.line < place(&text, needle)?.0 => {
            return fail(format!("first diagnostic before the line of {needle:?}"));
        }
        Line(_) | NotBefore(_) | Anywhere => {}
    }
    match case.says.iter().find(|s| !shown.contains(**s)) {
        Some(missing) => fail(format!("does not say {missing:?}")),
        None => Ok(()),
    }
}

#[test]
fn every_bad_input_names_its_place_value_and_allowed_range() {
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|case| check(case).err().map(|why| format!("{}: {why}", case.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}
