//! End-to-end tests of the `iadsim` binary.
use std::path::PathBuf;
use std::process::{Command, Output};

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
fn geo_rejects_bad_latitude_with_the_value() {
    let o = iadsim(&["geo", "inverse", "95", "0", "0", "0"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("95"), "{}", stderr(&o));
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

    let bad = String::from_utf8_lossy(&o.stdout).replacen("seed = 42", "seed = 42\nsed = 1", 1);
    std::fs::write(&path, bad).expect("write");
    let v = iadsim(&["validate", path.to_str().expect("utf-8")]);
    assert!(!v.status.success());
    let err = stderr(&v);
    assert!(
        err.contains("s.toml:") && err.contains("unknown field `sed`"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
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
    let o = iadsim(&["run", "--seed", "7", "--out", b.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("target class"), "{}", stdout(&o));
    for f in ["scenario.toml", "summary.json", "events.jsonl"] {
        let x = std::fs::read(a.join(f)).expect("written");
        assert_eq!(x, std::fs::read(b.join(f)).expect("written"), "{f}");
    }
    let events = std::fs::read_to_string(a.join("events.jsonl")).expect("events");
    for line in events.lines() {
        let e: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
        assert!(e["time_s"].is_number() && e["kind"].is_string(), "{line}");
    }
    // The resolved scenario runs again to the same result.
    let c = dir.join("c");
    let o = iadsim(&[
        "run",
        a.join("scenario.toml").to_str().expect("utf-8"),
        "--seed",
        "7",
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
fn run_on_a_missing_file_is_a_clear_error() {
    let o = iadsim(&["run", "/nonexistent/scenario.toml"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("cannot read /nonexistent/scenario.toml"),
        "{}",
        stderr(&o)
    );
}
