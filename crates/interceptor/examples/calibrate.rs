//! Calibration of the 3-DOF missile presets against their published figures.
//!
//! ```sh
//! cargo run --release -p iadsim-interceptor --example calibrate            # every missile
//! cargo run --release -p iadsim-interceptor --example calibrate -- 48N6E3  # one missile
//! cargo run --release -p iadsim-interceptor --example calibrate -- 48N6E3 loft_factor=0.4
//! ```
//!
//! For each missile of `presets/missiles.toml` (the 3-DOF fields, optionally overridden by
//! `field=value` arguments) it
//! 1. builds the flyout table with `TableSpec::default_for(1.2 × max_range_m)` and times it;
//! 2. computes the launch acceptability region against a head-on (heading 180°) target at
//!    250 m/s and 10 km, by full guided engagements (step 0.02 s): launch ranges from 0.3 to
//!    1.5 × `max_range_m`, 10 grid points, 8 bisections of the edge;
//! 3. flies the maximum-range engagement again to report its peak speed and apogee;
//!
//! and prints one row per missile: published `max_speed_mps` and `max_range_m` next to the
//! model's peak speed and maximum launch range, their ratios, the time of flight at maximum
//! range and the table build time. The presets were tuned (by hand, with this tool) until both
//! ratios were within about 10 % of 1; see `docs/flyout.md`.
use iadsim_geo::{Ecef, Geodetic};
use iadsim_interceptor::{
    launch_acceptability_region, simulate_engagement, FlightOptions, FlyoutTable, LarSpec,
    LauncherFrame, LevelFlight, MissileAero, TableSpec,
};
use serde::Deserialize;
use std::time::Instant;

const FIELDS: [&str; 22] = [
    "launch_mass_kg",
    "diameter_m",
    "boost_thrust_n",
    "boost_time_s",
    "boost_propellant_kg",
    "sustain_thrust_n",
    "sustain_time_s",
    "sustain_propellant_kg",
    "cd0_subsonic",
    "cd0_supersonic",
    "cn_max",
    "induced_drag_factor",
    "max_lateral_g",
    "guidance_time_constant_s",
    "nav_constant",
    "augmented_pn",
    "loft_factor",
    "launch_elevation_deg",
    "max_flight_time_s",
    "min_speed_mps",
    "lethal_radius_m",
    "pk",
];

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../presets/missiles.toml");
    let text = std::fs::read_to_string(path).expect("presets/missiles.toml");
    let presets: toml::Table = text.parse().expect("valid TOML");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only: Vec<&String> = args.iter().filter(|a| !a.contains('=')).collect();
    let overrides: Vec<(&str, &str)> = args.iter().filter_map(|a| a.split_once('=')).collect();

    println!(
        "| missile | published max speed (m/s) | flyout peak speed (m/s) | ratio | published max range (km) | LAR max launch range, head-on 250 m/s at 10 km (km) | ratio | TOF at max range (s) | apogee (km) | table build (ms) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (name, value) in &presets {
        if !only.is_empty() && !only.contains(&name) {
            continue;
        }
        let preset = value.as_table().expect("a missile table");
        let mut t = toml::Table::new();
        for f in FIELDS {
            if let Some(v) = preset.get(f) {
                t.insert(f.to_string(), v.clone());
            }
        }
        for (k, v) in &overrides {
            let parsed: toml::Value =
                format!("x = {v}").parse::<toml::Table>().expect("value")["x"].clone();
            t.insert(k.to_string(), parsed);
        }
        let aero = match MissileAero::deserialize(toml::Value::Table(t)) {
            Ok(a) => a,
            Err(e) => {
                println!("| {name} | missing 3-DOF fields: {e} |");
                continue;
            }
        };
        if let Err(e) = aero.validate() {
            println!("| {name} | invalid: {e} |");
            continue;
        }
        let max_speed = preset["max_speed_mps"].as_float().unwrap_or(f64::NAN);
        let max_range = preset["max_range_m"].as_float().unwrap_or(f64::NAN);

        let started = Instant::now();
        let table =
            FlyoutTable::build(&aero, TableSpec::default_for(1.2 * max_range)).expect("table");
        let build_ms = started.elapsed().as_secs_f64() * 1e3;

        let spec = LarSpec {
            target_speed_mps: 250.0,
            target_heading_deg: 180.0,
            altitudes_m: vec![10_000.0],
            ground_ranges_m: (0..10)
                .map(|i| max_range * (0.3 + 0.1333 * i as f64))
                .collect(),
            latitude_deg: 33.0,
            dt_s: 0.02,
            refine_bisections: 8,
            options: FlightOptions::default(),
        };
        let lar = launch_acceptability_region(&aero, &table, &spec, |_, _| {}).expect("LAR");
        let row = lar.rows[0];
        let (peak, apogee) = match row.max_launch_range_m {
            Some(r) => {
                // Fly the maximum-range engagement again for its peak speed and apogee.
                let site = LauncherFrame::new(&Geodetic::from_degrees(33.0, 0.0, 0.0).to_ecef().0);
                let mut start = Ecef(site.point_north(r, 0.0)).to_geodetic();
                start.alt_m = 10_000.0;
                let target = LevelFlight::new(start, std::f64::consts::PI, 250.0);
                let launcher = site.geodetic().to_ecef().0;
                let o = simulate_engagement(
                    &aero,
                    FlightOptions::default(),
                    launcher,
                    0.0,
                    |t| target.at(t),
                    0.02,
                )
                .expect("engagement");
                (o.peak_speed_mps, o.apogee_m)
            }
            None => (f64::NAN, f64::NAN),
        };
        let max_r = row.max_launch_range_m.unwrap_or(f64::NAN);
        println!(
            "| {name} | {max_speed:.0} | {peak:.0} | {:.2} | {:.0} | {:.1}{} | {:.2} | {:.1} | {:.1} | {build_ms:.0} |",
            peak / max_speed,
            max_range / 1e3,
            max_r / 1e3,
            if row.max_at_grid_edge { " (grid edge)" } else { "" },
            max_r / max_range,
            row.time_of_flight_at_max_s.unwrap_or(f64::NAN),
            apogee / 1e3,
        );
    }
}
