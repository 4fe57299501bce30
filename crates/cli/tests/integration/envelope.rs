//! End-to-end tests of `iadsim envelope` (issue 5, item 5).
use crate::{iadsim, stderr, temp_dir};

#[test]
fn envelope_of_9m96e_writes_csv_json_and_png_with_a_max_range_within_the_grid() {
    let dir = temp_dir("envelope");
    // One altitude, five ranges (0 to 52 km): well under a second in the test profile.
    let o = iadsim(&[
        "envelope",
        "--missile",
        "9M96E",
        "--target-altitude",
        "5000",
        "--ranges",
        "5",
        "--out",
        dir.to_str().expect("utf-8"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert_eq!(v["missile"], "9M96E");
    let published = v["published"]["max_range_m"]
        .as_f64()
        .expect("published range");
    assert_eq!(published, 40_000.0); // presets/missiles.toml
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1);
    let max = rows[0]["max_launch_range_m"]
        .as_f64()
        .expect("an intercept");
    // The grid ends at 1.3 × the published range; the refined edge lies inside it.
    assert!(max > 0.0 && max <= 1.3 * published, "{max}");
    assert!(rows[0]["time_of_flight_at_max_s"].as_f64().expect("tof") > 0.0);
    assert!(
        v.get("cells").is_none(),
        "the matrix goes to envelope.json only"
    );

    let csv = std::fs::read_to_string(dir.join("envelope.csv")).expect("csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "altitude_m,min_launch_range_m,max_launch_range_m,time_of_flight_at_max_s,\
             max_at_grid_edge"
        )
    );
    let row: Vec<&str> = lines.next().expect("one row").split(',').collect();
    assert_eq!(row[0], "5000");
    assert_eq!(row[2].parse::<f64>().expect("max range"), max);
    assert!(lines.next().is_none());

    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("envelope.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(file["rows"], v["rows"]);
    assert_eq!(file["spec"]["target_speed_mps"], 250.0);
    assert_eq!(file["spec"]["target_heading_deg"], 180.0);
    let cells = file["cells"].as_array().expect("cells");
    assert_eq!(cells.len(), 5);
    assert!(cells.iter().any(|c| c["intercept"] == true));

    let png = std::fs::read(dir.join("envelope.png")).expect("png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // No temporary file is left beside the outputs.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["envelope.csv", "envelope.json", "envelope.png"]);
    let _ = std::fs::remove_dir_all(dir);
}

/// Regression: a lofted missile against a high target. Before the loft faded with the intercept
/// height, the 48N6E3 climbed to about 40 km, could not dive back, and its region at 24.5 km
/// ended near 78 km with holes; it is now one piece reaching more than half the published range.
#[test]
fn a_lofted_missile_keeps_its_reach_against_a_high_target() {
    let dir = temp_dir("envelope-high");
    let o = iadsim(&[
        "envelope",
        "--missile",
        "48N6E3",
        "--target-altitude",
        "24500",
        "--ranges",
        "12",
        "--out",
        dir.to_str().expect("utf-8"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    let row = &v["rows"][0];
    let max = row["max_launch_range_m"].as_f64().expect("an intercept");
    assert!(max > 125_000.0, "max launch range {max} m at 24.5 km");
    let holes = &v["misses_inside_m"][0];
    assert!(
        holes.is_null() || holes.as_array().is_some_and(|h| h.is_empty()),
        "holes inside the region: {holes}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
