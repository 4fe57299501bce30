//! `iadsim envelope`: the launch acceptability region (LAR) of a missile preset, by full guided
//! 3-DOF engagements against a straight-and-level target, as a table, CSV/JSON and a PNG plot.
//!
//! The computation is `iadsim_interceptor::launch_acceptability_region` (docs/flyout.md): a
//! matrix of engagements over (launch ground range × target altitude), then bisection of each
//! row's outermost success/failure pairs for the maximum and minimum launch range. This module
//! chooses the grids, validates the options and presents the result.
use crate::outputs::{create_out_dir, write_png, LateProgress};
use anyhow::{bail, Context, Result};
use clap::Args;
use iadsim_engine::output::write_atomic;
use iadsim_engine::scenario::{MissileSpec, Presets};
use iadsim_interceptor::{
    launch_acceptability_region, FlightOptions, FlyoutTable, LarCell, LarRow, LarSpec,
    LaunchEnvelope3Dof, MissileAero, TableSpec,
};
use iadsim_plot::envelope::{self as plot, EnvelopePlot, EnvelopeRow};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

/// Default number of launch ground ranges (matrix columns).
const DEFAULT_RANGES: usize = 40;
/// Default number of target altitudes (matrix rows) between the published limits.
const DEFAULT_ALTITUDES: usize = 12;
/// The range grid runs from 0 to this multiple of the published maximum range, so that an
/// envelope somewhat larger than the published figure is still bracketed by a failure.
const RANGE_FACTOR: f64 = 1.3;
/// Latitude of the launcher, degrees: 33° N, the default scenario's (Baghdad), as the
/// calibration of the presets (`crates/interceptor/examples/calibrate.rs`).
const LATITUDE_DEG: f64 = 33.0;
/// Integration step, s: the calibration's, so that the head-on 10 km maximum matches the
/// published range as in docs/flyout.md.
const DT_S: f64 = 0.02;
/// Bisection engagements per edge and row: the edges are resolved to 1/256 of a grid interval
/// (40 m for a 250 km missile on the default grid).
const REFINE_BISECTIONS: u32 = 8;
/// Lowest accepted target altitude, m (below the launcher: the Dead Sea shore is at −430 m).
const MIN_TARGET_ALTITUDE_M: f64 = -500.0;
/// Highest accepted target altitude, m (the presets' own limit on `max_altitude_m`).
const MAX_TARGET_ALTITUDE_M: f64 = 200_000.0;
/// Fastest accepted target, m/s (the presets' limit on `max_target_speed_mps`).
const MAX_TARGET_SPEED_MPS: f64 = 10_000.0;

/// Arguments of `iadsim envelope`.
#[derive(Args, Debug)]
pub struct EnvelopeArgs {
    /// Missile preset (presets/missiles.toml), e.g. 48N6E3, 9M96E, "PAC-3 MSE".
    #[arg(long)]
    pub missile: String,
    /// Target ground speed, m/s.
    #[arg(long, default_value_t = 250.0, allow_negative_numbers = true)]
    pub target_speed: f64,
    /// Target altitudes above the launcher's ellipsoid height, m (one or more, e.g.
    /// `--target-altitude 100 5000 10000` or `100,5000`); default: --altitudes levels evenly
    /// spaced from the missile's published minimum to maximum altitude.
    #[arg(long, num_args = 1.., value_delimiter = ',', allow_negative_numbers = true)]
    pub target_altitude: Vec<f64>,
    /// Target heading relative to the launcher, degrees in [0, 360): 180 flies straight at the
    /// launcher (inbound), 0 straight away, 90 and 270 cross.
    #[arg(long, default_value_t = 180.0, allow_negative_numbers = true)]
    pub target_heading: f64,
    /// Launch ground ranges of the matrix, evenly spaced from 0 to 1.3 × the published maximum
    /// range [default: 40].
    #[arg(long)]
    pub ranges: Option<usize>,
    /// Target altitudes of the matrix when --target-altitude is not given [default: 12].
    #[arg(long)]
    pub altitudes: Option<usize>,
    /// Output directory: envelope.csv, envelope.json and envelope.png.
    #[arg(long, default_value = "envelope")]
    pub out: PathBuf,
    /// Print JSON (missile, published limits, spec, rows) instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// The published limits of the preset, for comparison with the computed envelope.
#[derive(Debug, Clone, Copy, Serialize)]
struct Published {
    max_range_m: f64,
    min_range_m: f64,
    max_altitude_m: f64,
    min_altitude_m: f64,
}

/// What `--json` prints and `envelope.json` holds (the latter with the matrix `cells`).
#[derive(Serialize)]
struct Report<'a> {
    missile: &'a str,
    published: Published,
    /// The 3-DOF description flown.
    aero: MissileAero,
    /// Ground range the flyout table (which aims the launches) was built to, m.
    flyout_table_max_range_m: f64,
    spec: &'a LarSpec,
    rows: &'a [LarRow],
    /// Per row, the runs of misses between its first and last intercept, `[first, last]`
    /// ground range of each run, m (empty: the intercepts form one interval).
    misses_inside_m: Vec<Vec<(f64, f64)>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cells: Option<&'a [LarCell]>,
}

/// Finds a preset by exact name, else by a unique case-insensitive match.
fn find_missile<'p>(presets: &'p Presets, name: &str) -> Result<(&'p str, &'p MissileSpec)> {
    if let Some((k, v)) = presets.missiles.get_key_value(name) {
        return Ok((k, v));
    }
    let folded: Vec<_> = presets
        .missiles
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .collect();
    if let [(k, v)] = folded[..] {
        return Ok((k, v));
    }
    bail!(
        "unknown missile preset \"{name}\"; one of: {}",
        presets
            .missiles
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `n` values evenly spaced from `a` to `b` (just `a` if `n == 1`).
fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![a];
    }
    (0..n)
        .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
        .collect()
}

/// Checks the options and builds the request.
fn lar_spec(args: &EnvelopeArgs, published: &Published) -> Result<LarSpec> {
    let speed = args.target_speed;
    if !(speed.is_finite() && speed > 0.0 && speed <= MAX_TARGET_SPEED_MPS) {
        bail!("--target-speed {speed} must be a positive speed in m/s, at most {MAX_TARGET_SPEED_MPS}");
    }
    let heading = args.target_heading;
    if !(heading.is_finite() && (0.0..360.0).contains(&heading)) {
        bail!("--target-heading {heading} must be in degrees in [0, 360) (180 = inbound)");
    }
    let n_ranges = args.ranges.unwrap_or(DEFAULT_RANGES);
    if !(2..=400).contains(&n_ranges) {
        bail!("--ranges {n_ranges} must be between 2 and 400");
    }
    let altitudes_m = if args.target_altitude.is_empty() {
        let n = args.altitudes.unwrap_or(DEFAULT_ALTITUDES);
        if !(1..=200).contains(&n) {
            bail!("--altitudes {n} must be between 1 and 200");
        }
        linspace(published.min_altitude_m, published.max_altitude_m, n)
    } else {
        if args.altitudes.is_some() {
            bail!("give either --target-altitude or --altitudes, not both");
        }
        for &h in &args.target_altitude {
            if !(h.is_finite() && (MIN_TARGET_ALTITUDE_M..=MAX_TARGET_ALTITUDE_M).contains(&h)) {
                bail!(
                    "--target-altitude {h} must be between {MIN_TARGET_ALTITUDE_M} and \
                     {MAX_TARGET_ALTITUDE_M} m"
                );
            }
        }
        let mut a = args.target_altitude.clone();
        a.sort_by(f64::total_cmp);
        a.dedup();
        a
    };
    Ok(LarSpec {
        target_speed_mps: speed,
        target_heading_deg: heading,
        altitudes_m,
        ground_ranges_m: linspace(0.0, RANGE_FACTOR * published.max_range_m, n_ranges),
        latitude_deg: LATITUDE_DEG,
        dt_s: DT_S,
        refine_bisections: REFINE_BISECTIONS,
        options: FlightOptions::default(),
    })
}

/// The flyout table that aims the launches: the engine's default grid, stretched to the LAR's
/// range grid and, if needed, to its highest altitude (prediction is "unreachable" off the
/// table, and the launch then falls back to the target's initial azimuth).
fn table_spec(spec: &LarSpec) -> TableSpec {
    let max_r = spec
        .ground_ranges_m
        .last()
        .copied()
        .unwrap_or(0.0)
        .max(1_000.0);
    let mut t = TableSpec::default_for(max_r);
    let top = spec.altitudes_m.last().copied().unwrap_or(0.0);
    if t.altitudes_m.last().is_some_and(|&h| top > h) {
        t.altitudes_m.push(top);
    }
    t
}

/// Runs the command.
pub fn run(args: &EnvelopeArgs) -> Result<()> {
    let presets = Presets::builtin();
    let (name, missile) = find_missile(&presets, &args.missile)?;
    let published = Published {
        max_range_m: missile.max_range_m,
        min_range_m: missile.min_range_m,
        max_altitude_m: missile.max_altitude_m,
        min_altitude_m: missile.min_altitude_m,
    };
    let spec = lar_spec(args, &published)?;
    let aero = missile.aero();

    let started = Instant::now();
    let mut progress = LateProgress::new(
        "{msg} [{bar:30}] {pos}/{len} engagements ({elapsed}, ~{eta} left)",
        format!("{name} envelope"),
    );
    let tspec = table_spec(&spec);
    let table_max_range_m = tspec.ground_ranges_m.last().copied().unwrap_or(0.0);
    let table = FlyoutTable::build(&aero, tspec)
        .with_context(|| format!("building the flyout table of {name}"))?;
    let table_s = started.elapsed().as_secs_f64();
    let lar = launch_acceptability_region(&aero, &table, &spec, |done, total| {
        progress.update(done, total)
    })
    .with_context(|| format!("computing the launch acceptability region of {name}"))?;
    progress.finish();
    let total_s = started.elapsed().as_secs_f64();

    let report = |cells| Report {
        missile: name,
        published,
        aero,
        flyout_table_max_range_m: table_max_range_m,
        spec: &lar.spec,
        rows: &lar.rows,
        misses_inside_m: lar
            .cells
            .chunks(lar.spec.ground_ranges_m.len())
            .map(row_gaps)
            .collect(),
        cells,
    };
    create_out_dir(&args.out)?;
    let csv_path = args.out.join("envelope.csv");
    let json_path = args.out.join("envelope.json");
    let png_path = args.out.join("envelope.png");
    write_atomic(&csv_path, rows_csv(&lar.rows).as_bytes())?;
    let mut text = serde_json::to_string_pretty(&report(Some(&lar.cells)))?;
    text.push('\n');
    write_atomic(&json_path, text.as_bytes())?;
    write_png(&png_path, &render(name, &published, &lar)?)?;

    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report(None))?);
    } else {
        out!("{}", rows_table(name, &published, &lar));
        outln!(
            "\n{} ranges × {} altitudes: {} engagements and at most {} edge bisections at dt {} s; \
             computed in {total_s:.1} s (flyout table {table_s:.1} s)",
            spec.ground_ranges_m.len(),
            spec.altitudes_m.len(),
            lar.cells.len(),
            lar.rows.len() * 2 * spec.refine_bisections as usize,
            spec.dt_s
        );
        outln!(
            "Wrote {}, {} and {}",
            csv_path.display(),
            json_path.display(),
            png_path.display()
        );
    }
    Ok(())
}

/// The PNG plot of the region (drawn by `iadsim_plot::envelope`).
fn render(
    name: &str,
    published: &Published,
    lar: &LaunchEnvelope3Dof,
) -> Result<iadsim_plot::Image> {
    let spec = &lar.spec;
    let title = format!("{name} — launch acceptability region");
    let subtitle = format!(
        "target {} m/s straight and level, heading {}°{} · 3-DOF flyout guided on the \
         exact target state · launcher at sea level, {}° N",
        spec.target_speed_mps,
        spec.target_heading_deg,
        heading_words(spec.target_heading_deg),
        spec.latitude_deg
    );
    let footnote = format!(
        "{} launch ranges × {} altitudes, edges refined by {} bisections; step {} s; \
         a kill = miss ≤ lethal radius",
        spec.ground_ranges_m.len(),
        spec.altitudes_m.len(),
        spec.refine_bisections,
        spec.dt_s
    );
    let time_of_flight_s: Vec<Option<f64>> = lar
        .cells
        .iter()
        .map(|c| c.intercept.then_some(c.time_of_flight_s))
        .collect();
    let rows: Vec<EnvelopeRow> = lar
        .rows
        .iter()
        .map(|r| EnvelopeRow {
            altitude_m: r.altitude_m,
            min_launch_range_m: r.min_launch_range_m,
            max_launch_range_m: r.max_launch_range_m,
        })
        .collect();
    Ok(plot::render(&EnvelopePlot {
        title: &title,
        subtitle: &subtitle,
        footnote: &footnote,
        ground_ranges_m: &spec.ground_ranges_m,
        altitudes_m: &spec.altitudes_m,
        time_of_flight_s: &time_of_flight_s,
        rows: &rows,
        published_max_range_m: published.max_range_m,
    })?)
}

/// A word for the relative heading.
fn heading_words(heading_deg: f64) -> &'static str {
    if heading_deg == 180.0 {
        " (inbound)"
    } else if heading_deg == 0.0 {
        " (outbound)"
    } else if heading_deg == 90.0 || heading_deg == 270.0 {
        " (crossing)"
    } else {
        ""
    }
}

/// Runs of misses between a row's first and last intercept, as (first, last) ground range of
/// each run, m: the bisection of the edges assumes one interval of success, so these are holes
/// in the region that the rows do not describe.
fn row_gaps(cells: &[LarCell]) -> Vec<(f64, f64)> {
    let (Some(f), Some(l)) = (
        cells.iter().position(|c| c.intercept),
        cells.iter().rposition(|c| c.intercept),
    ) else {
        return Vec::new();
    };
    let mut gaps: Vec<(f64, f64)> = Vec::new();
    let mut open = false;
    for c in &cells[f..=l] {
        match (c.intercept, open) {
            (false, false) => {
                gaps.push((c.ground_range_m, c.ground_range_m));
                open = true;
            }
            (false, true) => {
                if let Some(g) = gaps.last_mut() {
                    g.1 = c.ground_range_m;
                }
            }
            (true, _) => open = false,
        }
    }
    gaps
}

/// Notes on a row: where its edges are only bounded by the grid, and the holes inside it.
fn row_notes(row: &LarRow, cells: &[LarCell]) -> Vec<String> {
    let mut notes = Vec::new();
    if row.max_launch_range_m.is_none() {
        notes.push("no intercept on the grid".to_string());
    }
    if row.max_at_grid_edge {
        notes.push("max at grid edge (may be larger)".to_string());
    }
    if cells.first().is_some_and(|c| c.intercept) {
        notes.push("min at grid edge".to_string());
    }
    let gaps = row_gaps(cells);
    if !gaps.is_empty() {
        let list: Vec<String> = gaps
            .iter()
            .map(|&(a, b)| {
                if a == b {
                    format!("{:.1}", a / 1e3)
                } else {
                    format!("{:.1}–{:.1}", a / 1e3, b / 1e3)
                }
            })
            .collect();
        notes.push(format!("misses inside at {} km", list.join(", ")));
    }
    notes
}

fn km(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |x| format!("{:.1}", x / 1e3))
}

/// The text table on stdout.
fn rows_table(name: &str, published: &Published, lar: &LaunchEnvelope3Dof) -> String {
    use std::fmt::Write;
    let spec = &lar.spec;
    let nr = spec.ground_ranges_m.len();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{name} — launch acceptability region (3-DOF, full engagements)"
    );
    let _ = writeln!(
        s,
        "target {} m/s straight and level, heading {}°{}; published max range {:.1} km, \
         min {:.1} km, altitude {:.2}–{:.1} km\n",
        spec.target_speed_mps,
        spec.target_heading_deg,
        heading_words(spec.target_heading_deg),
        published.max_range_m / 1e3,
        published.min_range_m / 1e3,
        published.min_altitude_m / 1e3,
        published.max_altitude_m / 1e3,
    );
    let _ = writeln!(
        s,
        "  {:>11}  {:>13}  {:>13}  {:>12}  {:>13}  note",
        "altitude km", "min launch km", "max launch km", "TOF at max s", "max/published"
    );
    for (i, row) in lar.rows.iter().enumerate() {
        let cells = &lar.cells[i * nr..(i + 1) * nr];
        let ratio = row.max_launch_range_m.map_or_else(
            || "—".to_string(),
            |r| format!("{:.2}", r / published.max_range_m),
        );
        let tof = row
            .time_of_flight_at_max_s
            .map_or_else(|| "—".to_string(), |t| format!("{t:.1}"));
        let _ = writeln!(
            s,
            "  {:>11.2}  {:>13}  {:>13}  {:>12}  {:>13}  {}",
            row.altitude_m / 1e3,
            km(row.min_launch_range_m),
            km(row.max_launch_range_m),
            tof,
            ratio,
            row_notes(row, cells).join("; ")
        );
    }
    s
}

/// `envelope.csv`: one line per altitude; empty fields where there is no intercept.
fn rows_csv(rows: &[LarRow]) -> String {
    let opt = |v: Option<f64>| v.map_or_else(String::new, |x| x.to_string());
    let mut s = String::from(
        "altitude_m,min_launch_range_m,max_launch_range_m,time_of_flight_at_max_s,max_at_grid_edge\n",
    );
    for r in rows {
        s.push_str(&format!(
            "{},{},{},{},{}\n",
            r.altitude_m,
            opt(r.min_launch_range_m),
            opt(r.max_launch_range_m),
            opt(r.time_of_flight_at_max_s),
            r.max_at_grid_edge
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(range_km: f64, intercept: bool) -> LarCell {
        LarCell {
            ground_range_m: range_km * 1e3,
            altitude_m: 5e3,
            intercept,
            miss_distance_m: Some(if intercept { 1.0 } else { 100.0 }),
            time_of_flight_s: 10.0,
        }
    }

    #[test]
    fn row_gaps_are_the_runs_of_misses_between_the_first_and_last_intercept() {
        let row = [
            cell(0.0, false),
            cell(1.0, true),
            cell(2.0, false),
            cell(3.0, false),
            cell(4.0, true),
            cell(5.0, false),
            cell(6.0, true),
            cell(7.0, false),
        ];
        assert_eq!(row_gaps(&row), vec![(2e3, 3e3), (5e3, 5e3)]);
        assert!(row_gaps(&row[..2]).is_empty());
        assert!(row_gaps(&[cell(0.0, false)]).is_empty());
    }
}
