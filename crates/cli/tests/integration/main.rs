//! End-to-end tests of the `iadsim` binary.
use std::path::PathBuf;
use std::process::{Command, Output};

mod bad_input;
mod envelope;

fn iadsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iadsim"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("iadsim-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn geo_inverse_json() {
    // geographiclib: Geodesic.WGS84.Inverse(33.3, 44.4, 31.0, 35.0)
    let o = iadsim(&["geo", "inverse", "33.3", "44.4", "31.0", "35.0", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    // s12 = 922337.9513268374, azi1 = -103.5047239203888, azi2 = -108.51592293792824.
    // Tolerances as the geo fixtures: 1 mm, 1e-6 degree.
    assert!((v["distance_m"].as_f64().expect("distance_m") - 922_337.951_326_837_4).abs() < 1e-3);
    assert!((v["azi1_deg"].as_f64().expect("azi1") + 103.504_723_920_388_8).abs() < 1e-6);
    assert!((v["azi2_deg"].as_f64().expect("azi2") + 108.515_922_937_928_24).abs() < 1e-6);
}

#[test]
fn geo_direct_json_round_trips_inverse() {
    let inv = json(&iadsim(&[
        "geo", "inverse", "33.3", "44.1", "33.2625", "44.2346", "--json",
    ]));
    let d = inv["distance_m"].as_f64().expect("distance");
    let a = inv["azi1_deg"].as_f64().expect("azimuth");
    let o = iadsim(&[
        "geo",
        "direct",
        "33.3",
        "44.1",
        &a.to_string(),
        &d.to_string(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    // Inverse then direct returns the end point to rounding (Karney 2013: ~15 nm).
    assert!((v["lat_deg"].as_f64().expect("lat") - 33.2625).abs() < 1e-9);
    assert!((v["lon_deg"].as_f64().expect("lon") - 44.2346).abs() < 1e-9);
    assert!(
        (v["azi2_deg"].as_f64().expect("azi2") - inv["azi2_deg"].as_f64().expect("azi2")).abs()
            < 1e-9
    );
}

#[test]
fn scenario_default_validates() {
    let dir = temp_dir("validate");
    let o = iadsim(&["scenario", "default"]);
    assert!(o.status.success());
    let path = dir.join("s.toml");
    std::fs::write(&path, &o.stdout).expect("write");
    let v = iadsim(&["validate", path.to_str().expect("utf-8")]);
    assert!(v.status.success(), "{}", stderr(&v));
    assert!(stdout(&v).contains("ok"), "{}", stdout(&v));

    let _ = std::fs::remove_dir_all(dir);
}

/// A reader that stops early (`iadsim … | head`) ends the command quietly, not with a panic.
#[test]
fn closed_stdout_is_not_a_panic() {
    use std::io::Read as _;
    use std::process::Stdio;
    for args in [
        &["scenario", "default"][..],
        &["geo", "inverse", "33", "44", "31", "35"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_iadsim"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        drop(child.stdout.take()); // closed before the command writes anything
        let mut err = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut err)
            .expect("stderr");
        let status = child.wait().expect("exit status");
        assert!(status.success(), "{args:?}: {status:?}, stderr: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn run_writes_the_run_directory_deterministically() {
    let dir = temp_dir("run");
    let a = dir.join("a");
    let b = dir.join("b");
    let o = iadsim(&[
        "run",
        "--seed",
        "7",
        "--out",
        a.to_str().expect("utf-8"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = json(&o);
    assert_eq!(summary["seed"], 7);
    assert!(summary["classes"]["cruise_missile"]["count"].as_u64() == Some(12));
    // --timing prints the per-stage table to stderr and changes no output.
    let o = iadsim(&[
        "run",
        "--seed",
        "7",
        "--out",
        b.to_str().expect("utf-8"),
        "--timing",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("target class"), "{}", stdout(&o));
    for row in [
        "build",
        "sensing",
        "tracking",
        "command",
        "engagement",
        "total",
    ] {
        assert!(stderr(&o).contains(row), "timing row {row}: {}", stderr(&o));
    }
    for f in ["scenario.toml", "summary.json", "events.jsonl"] {
        let x = std::fs::read(a.join(f)).expect("written");
        assert_eq!(x, std::fs::read(b.join(f)).expect("written"), "{f}");
    }
    let events = std::fs::read_to_string(a.join("events.jsonl")).expect("events");
    for line in events.lines() {
        let e: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
        assert!(e["time_s"].is_number() && e["kind"].is_string(), "{line}");
    }
    // The resolved scenario records the seed of the run (issue 11) and runs again, without
    // --seed, to the same result.
    let resolved = std::fs::read_to_string(a.join("scenario.toml")).expect("resolved");
    assert!(resolved.contains("\nseed = 7\n"), "{resolved}");
    let c = dir.join("c");
    let o = iadsim(&[
        "run",
        a.join("scenario.toml").to_str().expect("utf-8"),
        "--out",
        c.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(a.join("events.jsonl")).expect("a"),
        std::fs::read(c.join("events.jsonl")).expect("c")
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn radar_range_gives_back_the_reference_range_and_scales_as_rcs_to_the_quarter() {
    // presets/radars.toml: 92N6E, 250 km against 6 m² at the reference Pd, Pfa and case.
    let v = json(&iadsim(&[
        "radar", "range", "--preset", "92N6E", "--rcs", "6", "--json",
    ]));
    let r = v["range_m"].as_f64().expect("range_m");
    assert!((r - 250_000.0).abs() < 1e-3, "{r}");
    let v = json(&iadsim(&[
        "radar", "range", "--preset", "92N6E", "--rcs", "0.375", "--json",
    ]));
    assert!((v["range_m"].as_f64().expect("range_m") - 125_000.0).abs() < 1e-3);
    // Horizon-limited: a 25 m mast against a 30 m cruise missile.
    let v = json(&iadsim(&[
        "radar",
        "range",
        "--preset",
        "92N6E",
        "--rcs",
        "0.5",
        "--pd",
        "0.9",
        "--altitude",
        "65",
        "--target-altitude",
        "30",
        "--json",
    ]));
    let horizon = v["horizon_m"].as_f64().expect("horizon_m");
    assert!((horizon - 55_826.0).abs() < 50.0, "{horizon}");
    assert_eq!(
        v["limited_range_m"].as_f64(),
        Some(horizon.min(v["range_m"].as_f64().expect("range")))
    );
}

#[test]
fn radar_pd_matches_the_closed_form() {
    // Swerling 1, one pulse: Pd = Pfa^(1/(1+SNR)); SNR 10 dB, Pfa 1e-6 → 1e-6^(1/11).
    let v = json(&iadsim(&[
        "radar",
        "pd",
        "--snr-db",
        "10",
        "--pfa",
        "1e-6",
        "--swerling",
        "1",
        "--json",
    ]));
    assert!((v["pd"].as_f64().expect("pd") - 0.284_803_586_843_580_15).abs() < 1e-12);
}

#[test]
fn coverage_writes_geojson_polygons_and_a_png() {
    let dir = temp_dir("coverage");
    let o = iadsim(&[
        "coverage",
        "--rcs",
        "2",
        "--altitude",
        "5000",
        "--grid",
        "120",
        "--out",
        dir.to_str().expect("utf-8"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = json(&o);
    let rows = table.as_array().expect("rows");
    assert!(rows
        .iter()
        .any(|r| r["layer"] == "91N6E" && r["area_km2"].as_f64().unwrap_or(0.0) > 1e4));
    assert!(rows
        .iter()
        .any(|r| r["kind"] == "missile" && r["layer"] == "48N6E3"));
    let text = std::fs::read_to_string(dir.join("coverage.geojson")).expect("geojson");
    let gj: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(gj["type"], "FeatureCollection");
    for f in gj["features"].as_array().expect("features") {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "MultiPolygon");
        for p in ["layer", "kind", "rcs_m2", "altitude_m", "pd", "area_km2"] {
            assert!(!f["properties"][p].is_null(), "missing {p}");
        }
        // Every ring is closed (first point = last point), as GeoJSON requires.
        for poly in f["geometry"]["coordinates"].as_array().expect("polygons") {
            for ring in poly.as_array().expect("rings") {
                let ring = ring.as_array().expect("points");
                assert!(ring.len() >= 4 && ring.first() == ring.last());
            }
        }
    }
    let png = std::fs::read(dir.join("coverage.png")).expect("png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn wta_solve_finds_the_brute_force_optimum() {
    let dir = temp_dir("wta");
    // Two weapons, two targets: brute force over the 4 assignments gives weapon 0 → target 0,
    // weapon 1 → target 1: 10·0.5 + 5·0.7 = 8.5 (the alternatives: 10·0.5·0.7 + 5 = 8.5 … ties
    // broken by the solver are fine, so only the objective is checked).
    let path = dir.join("tiny.json");
    std::fs::write(
        &path,
        r#"{"values": [10, 5], "p": [[0.5, 0.2], [0.3, 0.3]]}"#,
    )
    .expect("write");
    let v = json(&iadsim(&[
        "wta",
        "solve",
        path.to_str().expect("utf-8"),
        "--json",
    ]));
    let brute = [
        10.0 * 0.5 * 0.7 + 5.0,
        10.0 * 0.5 + 5.0 * 0.7,
        10.0 * 0.7 + 5.0 * 0.8,
        10.0 + 5.0 * 0.8 * 0.7,
    ]
    .into_iter()
    .fold(f64::INFINITY, f64::min);
    assert!(
        (v["objective"].as_f64().expect("objective") - brute).abs() < 1e-12,
        "{v}"
    );
    assert_eq!(v["optimal"], true);
    let _ = std::fs::remove_dir_all(dir);
}
