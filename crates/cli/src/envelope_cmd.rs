//! `iadsim envelope`: the launch acceptability region (LAR) of a missile preset, by full guided
//! 3-DOF engagements against a straight-and-level target, as a table, CSV/JSON and a PNG plot.
//!
//! The computation is `iadsim_interceptor::launch_acceptability_region` (docs/flyout.md): a
//! matrix of engagements over (launch ground range × target altitude), then bisection of each
//! row's outermost success/failure pairs for the maximum and minimum launch range. This module
//! chooses the grids, validates the options and presents the result.
use crate::map::{fonts_registered, FontMetrics, FONT_FAMILY, FONT_TTF};
use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use iadsim_engine::output::write_atomic;
use iadsim_engine::scenario::{MissileSpec, Presets};
use iadsim_interceptor::{
    launch_acceptability_region, FlightOptions, FlyoutTable, LarCell, LarRow, LarSpec,
    LaunchEnvelope3Dof, MissileAero, TableSpec,
};
use indicatif::{ProgressBar, ProgressStyle};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::{FontDesc, FontFamily, FontStyle};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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

    let bar = ProgressBar::hidden();
    let started = Instant::now();
    let tspec = table_spec(&spec);
    let table_max_range_m = tspec.ground_ranges_m.last().copied().unwrap_or(0.0);
    let table = FlyoutTable::build(&aero, tspec)
        .with_context(|| format!("building the flyout table of {name}"))?;
    let table_s = started.elapsed().as_secs_f64();
    let mut shown = false;
    let on_progress = |done: usize, total: usize| {
        if !shown && started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg} [{bar:30}] {pos}/{len} engagements ({elapsed}, ~{eta} left)",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_message(format!("{name} envelope"));
            shown = true;
        }
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let lar = launch_acceptability_region(&aero, &table, &spec, on_progress)
        .with_context(|| format!("computing the launch acceptability region of {name}"))?;
    bar.finish_and_clear();
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
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let csv_path = args.out.join("envelope.csv");
    let json_path = args.out.join("envelope.json");
    let png_path = args.out.join("envelope.png");
    write_atomic(&csv_path, rows_csv(&lar.rows).as_bytes())?;
    let mut text = serde_json::to_string_pretty(&report(Some(&lar.cells)))?;
    text.push('\n');
    write_atomic(&json_path, text.as_bytes())?;
    render_png(&png_path, name, &published, &lar)?;

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

// ---------------------------------------------------------------------------------------------
// Plot
// ---------------------------------------------------------------------------------------------
//
// Plotters draws the shapes into an RGB buffer; text is drawn afterwards glyph by glyph at pen
// positions from the font's own metrics (as `map.rs` does, for the same reason: plotters'
// `ab_glyph` layout drops each glyph's left side bearing and spaces letters unevenly).

/// Image size, pixels.
const IMAGE_W: u32 = 1500;
const IMAGE_H: u32 = 1000;
/// Plot frame, pixels: left, top, right, bottom edges.
const PLOT_LEFT: i32 = 110;
const PLOT_TOP: i32 = 125;
const PLOT_RIGHT: i32 = 1150;
const PLOT_BOTTOM: i32 = 890;
/// Left edge of the legend and colour bar panel, pixels.
const PANEL_LEFT: i32 = 1195;
/// Fill of cells where the engagement misses.
const NO_INTERCEPT_RGB: RGBColor = RGBColor(232, 232, 232);
/// Envelope curves: red stands out on every colour of viridis.
const CURVE_RGB: RGBColor = RGBColor(215, 25, 28);
const TEXT_RGB: RGBColor = RGBColor(25, 25, 25);
const SECONDARY_RGB: RGBColor = RGBColor(85, 85, 85);
const TITLE_SIZE_PX: f64 = 34.0;
const SUBTITLE_SIZE_PX: f64 = 19.0;
const AXIS_TITLE_SIZE_PX: f64 = 22.0;
const TICK_LABEL_SIZE_PX: f64 = 18.0;
const LEGEND_SIZE_PX: f64 = 18.0;
const FOOTNOTE_SIZE_PX: f64 = 15.0;
/// Viridis at 10 evenly spaced points (matplotlib's `viridis`, van der Walt & Smith 2015,
/// CC0), interpolated linearly: perceptually uniform, readable in grey and by colour-blind
/// readers.
const VIRIDIS: [(u8, u8, u8); 10] = [
    (0x44, 0x01, 0x54),
    (0x48, 0x28, 0x78),
    (0x3e, 0x4a, 0x89),
    (0x31, 0x68, 0x8e),
    (0x26, 0x82, 0x8e),
    (0x1f, 0x9e, 0x89),
    (0x35, 0xb7, 0x79),
    (0x6d, 0xcd, 0x59),
    (0xb4, 0xde, 0x2c),
    (0xfd, 0xe7, 0x25),
];

fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let l = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * f).round() as u8;
    RGBColor(l(a.0, b.0), l(a.1, b.1), l(a.2, b.2))
}

/// A colour scale from 0 covering `v`: `(top, step)` with `step` 1, 2 or 5 × 10^k giving at most
/// six ticks and `top` the first multiple of `step` at or above `v`.
fn nice_scale(v: f64) -> (f64, f64) {
    if !(v.is_finite() && v > 0.0) {
        return (1.0, 0.2);
    }
    let step = nice_step(v / 6.0, &[1.0, 2.0, 5.0]);
    ((v / step - 1e-9).ceil().max(1.0) * step, step)
}

/// The smallest `m × 10^k` (m from `mantissas`) at or above `raw > 0`.
fn nice_step(raw: f64, mantissas: &[f64]) -> f64 {
    let p = 10f64.powf(raw.log10().floor());
    mantissas
        .iter()
        .map(|m| m * p)
        .find(|&x| x >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// Axis ticks: multiples of a nice step inside `[lo, hi]`, about `target` of them.
fn ticks(lo: f64, hi: f64, target: f64) -> (Vec<f64>, f64) {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return (vec![lo], 1.0);
    }
    let step = nice_step(span / target, &[1.0, 2.0, 2.5, 5.0]);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    ((first..=last).map(|k| k as f64 * step).collect(), step)
}

/// A tick value with as many decimals as the step needs.
fn tick_label(v: f64, step: f64) -> String {
    let decimals = (0..4)
        .find(|&d| {
            let s = step * 10f64.powi(d);
            (s - s.round()).abs() < 1e-9
        })
        .unwrap_or(4) as usize;
    let v = if v.abs() < step * 1e-9 { 0.0 } else { v };
    format!("{v:.decimals$}")
}

/// Cell boundaries around grid values: midpoints inside, half an interval outside (`half_single`
/// on each side of a single value); for values all at or above `floor`, the first boundary is
/// raised to `floor` if below it (no altitude band below the ground for a 10 m level).
fn edges(values: &[f64], half_single: f64, floor: f64) -> Vec<f64> {
    let n = values.len();
    let mut e = Vec::with_capacity(n + 1);
    if n == 1 {
        e.push(values[0] - half_single);
        e.push(values[0] + half_single);
    } else {
        e.push(values[0] - 0.5 * (values[1] - values[0]));
        e.extend(values.windows(2).map(|w| 0.5 * (w[0] + w[1])));
        e.push(values[n - 1] + 0.5 * (values[n - 1] - values[n - 2]));
    }
    if values[0] >= floor {
        e[0] = e[0].max(floor);
    }
    e
}

fn plot_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("drawing the envelope plot: {e:?}")
}

/// How a label sits on its anchor point.
#[derive(Clone, Copy)]
enum Anchor {
    Left,
    Centre,
    Right,
}

/// A line of text to draw after the shapes; `(x, y)` is the anchor on the baseline. Vertical
/// text reads upwards, with its baseline on the line `x` and its anchor at height `y`.
struct Label {
    text: String,
    x: i32,
    y: i32,
    size_px: f64,
    rgb: RGBColor,
    anchor: Anchor,
    vertical: bool,
}

impl Label {
    fn new(text: impl Into<String>, (x, y): (i32, i32), size_px: f64) -> Label {
        Label {
            text: text.into(),
            x,
            y,
            size_px,
            rgb: TEXT_RGB,
            anchor: Anchor::Left,
            vertical: false,
        }
    }
    fn anchor(mut self, anchor: Anchor) -> Label {
        self.anchor = anchor;
        self
    }
    fn rgb(mut self, rgb: RGBColor) -> Label {
        self.rgb = rgb;
        self
    }
    fn vertical(mut self) -> Label {
        self.vertical = true;
        self
    }
}

/// Draws the labels into the RGB buffer (`w` pixels wide), glyph by glyph.
fn draw_labels(rgb: &mut [u8], w: usize, labels: &[Label]) -> Result<()> {
    let h = rgb.len() / (3 * w);
    let metrics = FontMetrics::parse(FONT_TTF)
        .filter(|_| fonts_registered())
        .ok_or_else(|| anyhow!("the embedded font could not be loaded"))?;
    let mut buf = [0u8; 4];
    for l in labels {
        let width: f64 = l.text.chars().map(|c| metrics.h_metrics(c).0).sum::<f64>() * l.size_px;
        let mut pen = match l.anchor {
            Anchor::Left => 0.0,
            Anchor::Centre => -0.5 * width,
            Anchor::Right => -width,
        };
        let font = FontDesc::new(FontFamily::Name(FONT_FAMILY), l.size_px, FontStyle::Normal);
        // plotters' ab_glyph backend puts the baseline `size / 2` below the given y.
        let y = (-0.5 * l.size_px).round() as i32;
        let mut cov: Vec<(i32, i32, f32)> = Vec::new();
        for c in l.text.chars() {
            let (advance, lsb) = metrics.h_metrics(c);
            let x = pen.round() as i32 + (lsb * l.size_px).floor() as i32;
            font.draw(c.encode_utf8(&mut buf), (x, y), |u, v, a| {
                cov.push((u, v, a));
                Ok::<(), ()>(())
            })
            .map_err(plot_err)?
            .map_err(plot_err)?;
            pen += advance * l.size_px;
        }
        for (u, v, a) in cov {
            // Text space: u along the text, v down from the baseline.
            let (px, py) = if l.vertical {
                (l.x + v, l.y - u)
            } else {
                (l.x + u, l.y + v)
            };
            if px < 0 || py < 0 || px as usize >= w || py as usize >= h {
                continue;
            }
            let a = a.clamp(0.0, 1.0) as f64;
            let i = 3 * (py as usize * w + px as usize);
            for (k, c) in [l.rgb.0, l.rgb.1, l.rgb.2].into_iter().enumerate() {
                let old = rgb[i + k] as f64;
                rgb[i + k] = (old + (c as f64 - old) * a).round() as u8;
            }
        }
    }
    Ok(())
}

/// Renders the envelope to `path` (PNG, written atomically).
fn render_png(
    path: &Path,
    name: &str,
    published: &Published,
    lar: &LaunchEnvelope3Dof,
) -> Result<()> {
    let mut rgb = vec![255u8; IMAGE_W as usize * IMAGE_H as usize * 3];
    let mut labels = Vec::new();
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (IMAGE_W, IMAGE_H)).into_drawing_area();
        draw(&root, name, published, lar, &mut labels)?;
        root.present().map_err(plot_err)?;
    }
    draw_labels(&mut rgb, IMAGE_W as usize, &labels)?;
    // write_atomic needs the encoded bytes: encode through plotters (the encoder picks the
    // format from the extension) into a hidden file beside the target, then replace the target.
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(".envelope-encode.{}.png", std::process::id()));
    let encoded = (|| -> Result<Vec<u8>> {
        let mut backend = BitMapBackend::new(&tmp, (IMAGE_W, IMAGE_H));
        backend
            .blit_bitmap((0, 0), (IMAGE_W, IMAGE_H), &rgb)
            .map_err(plot_err)?;
        backend.present().map_err(plot_err)?;
        drop(backend);
        std::fs::read(&tmp).with_context(|| format!("reading {}", tmp.display()))
    })();
    let _ = std::fs::remove_file(&tmp);
    write_atomic(path, &encoded?)?;
    Ok(())
}

/// Line segments of one envelope edge (km), broken where a row has no intercept.
fn curve(rows: &[LarRow], pick: fn(&LarRow) -> Option<f64>) -> Vec<Vec<(f64, f64)>> {
    let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for row in rows {
        match pick(row) {
            Some(r) => segments
                .last_mut()
                .expect("one segment")
                .push((r / 1e3, row.altitude_m / 1e3)),
            None => segments.push(Vec::new()),
        }
    }
    segments.retain(|s| !s.is_empty());
    segments
}

fn draw(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    name: &str,
    published: &Published,
    lar: &LaunchEnvelope3Dof,
    labels: &mut Vec<Label>,
) -> Result<()> {
    root.fill(&WHITE).map_err(plot_err)?;
    let spec = &lar.spec;
    labels.push(Label::new(
        format!("{name} — launch acceptability region"),
        (PLOT_LEFT - 70, 52),
        TITLE_SIZE_PX,
    ));
    labels.push(
        Label::new(
            format!(
                "target {} m/s straight and level, heading {}°{} · 3-DOF flyout guided on the \
                 exact target state · launcher at sea level, {}° N",
                spec.target_speed_mps,
                spec.target_heading_deg,
                heading_words(spec.target_heading_deg),
                spec.latitude_deg
            ),
            (PLOT_LEFT - 70, 90),
            SUBTITLE_SIZE_PX,
        )
        .rgb(SECONDARY_RGB),
    );

    // Grid geometry in km.
    let ranges_km: Vec<f64> = spec.ground_ranges_m.iter().map(|r| r / 1e3).collect();
    let alts_km: Vec<f64> = spec.altitudes_m.iter().map(|h| h / 1e3).collect();
    let x_edges = edges(&ranges_km, 0.05 * published.max_range_m / 1e3, 0.0);
    let y_edges = edges(&alts_km, 1.0, 0.0);
    let (x0, x1) = (x_edges[0], x_edges[x_edges.len() - 1]);
    let (y0, y1) = (y_edges[0], y_edges[y_edges.len() - 1]);
    let tof_max = lar
        .cells
        .iter()
        .filter(|c| c.intercept)
        .map(|c| c.time_of_flight_s)
        .fold(0.0, f64::max);
    let (tof_scale, tof_step) = nice_scale(tof_max);

    let plot_area = root.margin(
        PLOT_TOP,
        IMAGE_H as i32 - PLOT_BOTTOM,
        PLOT_LEFT,
        IMAGE_W as i32 - PLOT_RIGHT,
    );
    let mut chart = ChartBuilder::on(&plot_area)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(plot_err)?;
    let nr = ranges_km.len();
    chart
        .draw_series(lar.cells.iter().enumerate().map(|(k, c)| {
            let (i, j) = (k / nr, k % nr);
            let fill = if c.intercept {
                viridis(c.time_of_flight_s / tof_scale)
            } else {
                NO_INTERCEPT_RGB
            };
            Rectangle::new(
                [(x_edges[j], y_edges[i]), (x_edges[j + 1], y_edges[i + 1])],
                fill.filled(),
            )
        }))
        .map_err(plot_err)?;

    // Grid lines over the cells, ticks and labels outside the frame.
    let (xt, xstep) = ticks(x0, x1, 10.0);
    let (yt, ystep) = ticks(y0, y1, 8.0);
    let grid = WHITE.mix(0.45);
    for &t in &xt {
        chart
            .draw_series(LineSeries::new([(t, y0), (t, y1)], grid))
            .map_err(plot_err)?;
        let (px, py) = chart.backend_coord(&(t, y0));
        root.draw(&PathElement::new(vec![(px, py), (px, py + 7)], BLACK))
            .map_err(plot_err)?;
        labels.push(
            Label::new(tick_label(t, xstep), (px, py + 29), TICK_LABEL_SIZE_PX)
                .anchor(Anchor::Centre),
        );
    }
    for &t in &yt {
        chart
            .draw_series(LineSeries::new([(x0, t), (x1, t)], grid))
            .map_err(plot_err)?;
        let (px, py) = chart.backend_coord(&(x0, t));
        root.draw(&PathElement::new(vec![(px - 7, py), (px, py)], BLACK))
            .map_err(plot_err)?;
        labels.push(
            Label::new(tick_label(t, ystep), (px - 12, py + 6), TICK_LABEL_SIZE_PX)
                .anchor(Anchor::Right),
        );
    }
    labels.push(
        Label::new(
            "launch ground range, km",
            ((PLOT_LEFT + PLOT_RIGHT) / 2, PLOT_BOTTOM + 68),
            AXIS_TITLE_SIZE_PX,
        )
        .anchor(Anchor::Centre),
    );
    labels.push(
        Label::new(
            "target altitude, km",
            (PLOT_LEFT - 62, (PLOT_TOP + PLOT_BOTTOM) / 2),
            AXIS_TITLE_SIZE_PX,
        )
        .anchor(Anchor::Centre)
        .vertical(),
    );

    // Published maximum range: dashed vertical line.
    let pub_km = published.max_range_m / 1e3;
    if (x0..=x1).contains(&pub_km) {
        chart
            .draw_series(DashedLineSeries::new(
                [(pub_km, y0), (pub_km, y1)],
                12,
                8,
                BLACK.stroke_width(2),
            ))
            .map_err(plot_err)?;
    }

    // Max and min launch range curves.
    for seg in curve(&lar.rows, |r| r.max_launch_range_m) {
        chart
            .draw_series(LineSeries::new(seg.clone(), CURVE_RGB.stroke_width(4)))
            .map_err(plot_err)?;
        chart
            .draw_series(seg.iter().map(|&p| Circle::new(p, 6, CURVE_RGB.filled())))
            .map_err(plot_err)?;
    }
    for seg in curve(&lar.rows, |r| r.min_launch_range_m) {
        chart
            .draw_series(LineSeries::new(seg.clone(), CURVE_RGB.stroke_width(4)))
            .map_err(plot_err)?;
        chart
            .draw_series(
                seg.iter()
                    .map(|&p| TriangleMarker::new(p, 8, CURVE_RGB.filled())),
            )
            .map_err(plot_err)?;
    }
    root.draw(&Rectangle::new(
        [(PLOT_LEFT, PLOT_TOP), (PLOT_RIGHT, PLOT_BOTTOM)],
        BLACK,
    ))
    .map_err(plot_err)?;

    labels.push(
        Label::new(
            format!(
                "{} launch ranges × {} altitudes, edges refined by {} bisections; step {} s; \
                 a kill = miss ≤ lethal radius",
                spec.ground_ranges_m.len(),
                spec.altitudes_m.len(),
                spec.refine_bisections,
                spec.dt_s
            ),
            (PLOT_RIGHT, IMAGE_H as i32 - 18),
            FOOTNOTE_SIZE_PX,
        )
        .anchor(Anchor::Right)
        .rgb(SECONDARY_RGB),
    );
    draw_panel(root, published, tof_scale, tof_step, labels)
}

/// The right-hand panel: legend and time-of-flight colour bar.
fn draw_panel(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    published: &Published,
    tof_scale: f64,
    tof_step: f64,
    labels: &mut Vec<Label>,
) -> Result<()> {
    let x = PANEL_LEFT;
    let swatch = |y: i32| [(x, y - 9), (x + 40, y + 9)];
    let entries = [
        "max launch range".to_string(),
        "min launch range".to_string(),
        format!("published max {:.0} km", published.max_range_m / 1e3),
        "no intercept".to_string(),
    ];
    let rows: Vec<i32> = (0..entries.len() as i32)
        .map(|k| PLOT_TOP + 12 + 36 * k)
        .collect();
    let line = |y: i32| PathElement::new(vec![(x, y), (x + 40, y)], CURVE_RGB.stroke_width(4));
    root.draw(&line(rows[0])).map_err(plot_err)?;
    root.draw(&Circle::new((x + 20, rows[0]), 6, CURVE_RGB.filled()))
        .map_err(plot_err)?;
    root.draw(&line(rows[1])).map_err(plot_err)?;
    root.draw(&TriangleMarker::new(
        (x + 20, rows[1]),
        8,
        CURVE_RGB.filled(),
    ))
    .map_err(plot_err)?;
    root.draw(&DashedPathElement::new(
        vec![(x, rows[2]), (x + 40, rows[2])],
        12,
        8,
        BLACK.stroke_width(2),
    ))
    .map_err(plot_err)?;
    root.draw(&Rectangle::new(swatch(rows[3]), NO_INTERCEPT_RGB.filled()))
        .map_err(plot_err)?;
    root.draw(&Rectangle::new(swatch(rows[3]), SECONDARY_RGB))
        .map_err(plot_err)?;
    for (text, &y) in entries.into_iter().zip(&rows) {
        labels.push(Label::new(text, (x + 52, y + 6), LEGEND_SIZE_PX));
    }

    // Colour bar: time of flight of the intercepts.
    let top = rows[rows.len() - 1] + 75;
    labels.push(Label::new(
        "time of flight to intercept, s",
        (x, top - 18),
        LEGEND_SIZE_PX,
    ));
    let (bar_x0, bar_x1) = (x, x + 40);
    let bar_bottom = PLOT_BOTTOM;
    let h = (bar_bottom - top).max(1);
    for py in top..bar_bottom {
        let t = (bar_bottom - py) as f64 / h as f64;
        root.draw(&Rectangle::new(
            [(bar_x0, py), (bar_x1, py + 1)],
            viridis(t).filled(),
        ))
        .map_err(plot_err)?;
    }
    root.draw(&Rectangle::new(
        [(bar_x0, top), (bar_x1, bar_bottom)],
        SECONDARY_RGB,
    ))
    .map_err(plot_err)?;
    let n = (tof_scale / tof_step).round() as usize;
    for k in 0..=n {
        let v = tof_step * k as f64;
        let py = bar_bottom - (h as f64 * v / tof_scale).round() as i32;
        root.draw(&PathElement::new(
            vec![(bar_x1, py), (bar_x1 + 7, py)],
            SECONDARY_RGB,
        ))
        .map_err(plot_err)?;
        labels.push(Label::new(
            tick_label(v, tof_step),
            (bar_x1 + 12, py + 6),
            TICK_LABEL_SIZE_PX,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_edges_are_midpoints_and_respect_the_floor() {
        assert_eq!(
            edges(&[0.0, 10.0, 20.0], 1.0, 0.0),
            vec![0.0, 5.0, 15.0, 25.0]
        );
        assert_eq!(edges(&[5.0], 1.0, 0.0), vec![4.0, 6.0]);
        assert_eq!(edges(&[0.5, 2.5], 1.0, 0.0), vec![0.0, 1.5, 3.5]);
        assert_eq!(edges(&[-0.5, 0.5], 1.0, 0.0), vec![-1.0, 0.0, 1.0]);
    }

    #[test]
    fn nice_scale_covers_the_value_with_at_most_six_ticks() {
        assert_eq!(nice_scale(277.0), (300.0, 50.0));
        assert_eq!(nice_scale(52.5), (60.0, 10.0));
        assert_eq!(nice_scale(300.0), (300.0, 50.0));
        assert_eq!(nice_scale(0.0), (1.0, 0.2));
    }

    #[test]
    fn ticks_are_nice_multiples_inside_the_range() {
        assert_eq!(
            ticks(0.0, 330.0, 10.0),
            ((0..=6).map(|k| 50.0 * k as f64).collect(), 50.0)
        );
        let (t, step) = ticks(-0.9, 1.1, 8.0);
        assert_eq!(step, 0.25);
        assert_eq!(t.first(), Some(&-0.75));
        assert_eq!(tick_label(0.5, 0.25), "0.50");
        assert_eq!(tick_label(-1e-17, 0.25), "0.00");
        assert_eq!(tick_label(150.0, 50.0), "150");
    }

    #[test]
    fn viridis_ends_are_the_table_ends() {
        assert_eq!(viridis(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(viridis(1.0), RGBColor(0xfd, 0xe7, 0x25));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }
}
