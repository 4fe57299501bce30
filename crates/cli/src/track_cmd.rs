//! `iadsim track` and `iadsim track-eval`: the standalone tracker on a CSV of position
//! measurements, and its scoring against truth.
//!
//! ## `track MEAS.csv TRACKER.toml OUT.csv`
//! * **MEAS.csv**: header `time_s,x_m,y_m` or `time_s,x_m,y_m,z_m`, then one measurement per
//!   row. Consecutive rows with the same `time_s` are one scan of sensor 0; times must not
//!   decrease. Every measurement gets the covariance `sigma_m² I` of `[measurement]`.
//! * **2-D data** are gated with the χ²(2) threshold of `gate_probability` and tracked in 3-D
//!   with `z = 0` and a z noise of [`Z_SIGMA_2D_M`] (1 m, tiny
//!   against any plausible horizontal noise, so the track's z stays near 0 and the gate is in
//!   effect two-dimensional). JPDA needs the clutter density per unit of *3-D* volume: the file's
//!   `clutter_density` (per m² for 2-D data) is divided by the z-extent
//!   `L = √(2π) · σ_z`, the length over which a Gaussian z residual of standard deviation `σ_z`
//!   has the density of a uniform one at its peak — so the detection/clutter likelihood ratio
//!   is the 2-D one (up to the track's own z variance, which adds to `σ_z²`). Output is written
//!   back in 2-D.
//! * **TRACKER.toml**: [`iadsim_track::TrackerFileConfig`] (`[motion]`, `[filter]`,
//!   `[measurement]`, `[detection]`, `[association]`, `[initiation]`, `[deletion]`), unknown
//!   fields rejected.
//! * **OUT.csv**: header `time_s,track_id,x_m,y_m,vx_mps,vy_mps` (2-D) or
//!   `time_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps` (3-D), one row per confirmed track after
//!   each scan, in increasing track id; written to a temporary file beside OUT and renamed, so
//!   OUT is either the old file or the complete new one.
//!
//! ## `track-eval TRUTH.csv TRACKS.csv`
//! TRUTH.csv has the header `time_s,target_id,x_m,y_m[,z_m]`. For each time present in the
//! truth, GOSPA (α = 2, cut-off `c`, order `p`, [`iadsim_track::gospa`]) between the truths and
//! the tracks of TRACKS.csv at that time (columns found by name; 3-D if both files have `z_m`,
//! otherwise 2-D). Reported: the number of scans, the mean GOSPA distance (m) and the mean
//! localisation, missed and false parts (in m^p, as the metric decomposes `d^p`), and track
//! swaps and breaks ([`iadsim_track::ContinuityCounter`], cut-off `c`).
//!
//! Malformed input is an error naming the file, the line (and for TOML the column) and the
//! offending text; nothing here panics on input.
use anyhow::{anyhow, bail, Context, Result};
use iadsim_core::{SensorId, SimTime, TrackStatus};
use iadsim_track::{build_tracker, gospa, ContinuityCounter, Measurement, TrackerFileConfig};
use nalgebra::{Matrix3, Vector3};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Standard deviation of the synthetic z measurement given to 2-D data, m.
pub const Z_SIGMA_2D_M: f64 = 1.0;

/// A parsed CSV: header names and rows of numbers, each with its 1-based line number.
struct Csv {
    header: Vec<String>,
    rows: Vec<(usize, Vec<f64>)>,
}

impl Csv {
    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// Parse simple comma-separated numbers with a header line. Blank lines are skipped.
fn read_csv(path: &Path) -> Result<Csv> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse_csv(path, &text)
}

fn parse_csv(path: &Path, text: &str) -> Result<Csv> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, head)) = lines.next() else {
        bail!("{}: empty file, expected a header line", path.display());
    };
    let header: Vec<String> = head.split(',').map(|h| h.trim().to_string()).collect();
    let mut rows = Vec::new();
    for (line, l) in lines {
        let fields: Vec<&str> = l.split(',').collect();
        if fields.len() != header.len() {
            bail!(
                "{}:{line}: expected {} comma-separated fields ({}), found {}: \"{l}\"",
                path.display(),
                header.len(),
                header.join(","),
                fields.len()
            );
        }
        let mut row = Vec::with_capacity(fields.len());
        for (k, f) in fields.iter().enumerate() {
            let v: f64 = f
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    anyhow!(
                        "{}:{line}: column {} ({}): \"{}\" is not a finite number",
                        path.display(),
                        k + 1,
                        header[k],
                        f.trim()
                    )
                })?;
            row.push(v);
        }
        rows.push((line, row));
    }
    Ok(Csv { header, rows })
}

fn parse_config(path: &Path, text: &str) -> Result<TrackerFileConfig> {
    // toml's message carries the line, the column and the offending text.
    let file: TrackerFileConfig =
        toml::from_str(text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    file.validate()
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok(file)
}

/// One scan of the measurement file.
struct Scan {
    time_s: f64,
    positions: Vec<Vector3<f64>>,
}

/// The scans of a measurement CSV and whether it is 3-D.
fn scans(path: &Path, csv: &Csv) -> Result<(Vec<Scan>, bool)> {
    let h: Vec<&str> = csv.header.iter().map(String::as_str).collect();
    let three_d = match h.as_slice() {
        ["time_s", "x_m", "y_m"] => false,
        ["time_s", "x_m", "y_m", "z_m"] => true,
        _ => bail!(
            "{}:1: header must be \"time_s,x_m,y_m\" or \"time_s,x_m,y_m,z_m\", found \"{}\"",
            path.display(),
            csv.header.join(",")
        ),
    };
    let mut out: Vec<Scan> = Vec::new();
    for (line, row) in &csv.rows {
        let t = row[0];
        let z = if three_d { row[3] } else { 0.0 };
        let p = Vector3::new(row[1], row[2], z);
        match out.last_mut() {
            Some(s) if s.time_s == t => s.positions.push(p),
            Some(s) if t < s.time_s => bail!(
                "{}:{line}: time_s {t} is earlier than the previous row's {}; rows must be in \
                 time order",
                path.display(),
                s.time_s
            ),
            _ => out.push(Scan {
                time_s: t,
                positions: vec![p],
            }),
        }
    }
    Ok((out, three_d))
}

/// The CSV text of a tracking run: measurement file, configuration, nothing written.
fn track_to_string(
    meas: &Path,
    meas_text: &str,
    config: &Path,
    config_text: &str,
) -> Result<String> {
    let csv = parse_csv(meas, meas_text)?;
    let (scans, three_d) = scans(meas, &csv)?;
    let mut file = parse_config(config, config_text)?;
    let sigma = file.measurement.sigma_m;
    let mut r = Matrix3::identity() * (sigma * sigma);
    if !three_d {
        r[(2, 2)] = Z_SIGMA_2D_M * Z_SIGMA_2D_M;
        let z_extent_m = (2.0 * std::f64::consts::PI).sqrt() * Z_SIGMA_2D_M;
        file.detection.clutter_density /= z_extent_m;
        // The gate is meant for 2-D plots: use the χ²(2) threshold of the requested probability,
        // γ = −2 ln(1 − P), expressed as the χ²(3) probability the 3-D gate takes (the z residual
        // is ≈ 0 for planar data).
        let gamma = -2.0 * (1.0 - file.association.gate_probability).ln();
        file.association.gate_probability = iadsim_track::chi2::chi2_3_cdf(gamma);
    }
    let mut tracker = build_tracker(&file).map_err(|e| anyhow!("{}: {e}", config.display()))?;
    let sensor = SensorId(0);
    let mut out = String::new();
    out.push_str(if three_d {
        "time_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps\n"
    } else {
        "time_s,track_id,x_m,y_m,vx_mps,vy_mps\n"
    });
    for scan in &scans {
        let time = SimTime::from_secs_f64(scan.time_s);
        let plots: Vec<Measurement> = scan
            .positions
            .iter()
            .map(|p| Measurement {
                time,
                sensor,
                z_m: *p,
                r_m2: r,
                polar: None,
            })
            .collect();
        tracker
            .process_scan(time, sensor, &plots)
            .with_context(|| format!("tracking the scan at time_s = {}", scan.time_s))?;
        for rep in tracker
            .reports()
            .iter()
            .filter(|r| r.status == TrackStatus::Confirmed)
        {
            let (p, v) = (rep.position_ecef_m, rep.velocity_ecef_mps);
            if three_d {
                writeln!(
                    out,
                    "{},{},{},{},{},{},{},{}",
                    scan.time_s, rep.id.0, p[0], p[1], p[2], v[0], v[1], v[2]
                )?;
            } else {
                writeln!(
                    out,
                    "{},{},{},{},{},{}",
                    scan.time_s, rep.id.0, p[0], p[1], v[0], v[1]
                )?;
            }
        }
    }
    Ok(out)
}

/// Write `text` to `path` atomically: a temporary file in the same directory, then a rename.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| anyhow!("{}: not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| {
        let _ = std::fs::remove_file(&tmp);
        format!("renaming {} to {}", tmp.display(), path.display())
    })
}

/// `iadsim track MEAS.csv TRACKER.toml OUT.csv`: track the measurements and write the
/// confirmed tracks after every scan (see the module documentation for the formats).
pub fn run_track(meas: &Path, config: &Path, out: &Path) -> Result<()> {
    let meas_text =
        std::fs::read_to_string(meas).with_context(|| format!("reading {}", meas.display()))?;
    let config_text =
        std::fs::read_to_string(config).with_context(|| format!("reading {}", config.display()))?;
    let text = track_to_string(meas, &meas_text, config, &config_text)?;
    write_atomically(out, &text)
}

/// Scores of a tracking run against truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalSummary {
    /// Mean GOSPA distance over the scans, m.
    pub mean_gospa: f64,
    /// Mean localisation part of `d^p`, m^p.
    pub mean_localisation: f64,
    /// Mean missed-target part of `d^p`, m^p.
    pub mean_missed: f64,
    /// Mean false-track part of `d^p`, m^p.
    pub mean_false: f64,
    /// Truth times scored.
    pub scans: usize,
    /// Track swaps.
    pub swaps: usize,
    /// Track breaks.
    pub breaks: usize,
}

/// Rows of a CSV grouped by time (key: nanoseconds), `(id, position)`.
type ByTime = BTreeMap<i64, Vec<(u64, Vec<f64>)>>;

fn group(path: &Path, csv: &Csv, id_column: &str, dims: &[&str]) -> Result<ByTime> {
    let need = |name: &str| {
        csv.column(name).ok_or_else(|| {
            anyhow!(
                "{}:1: header has no column \"{name}\": \"{}\"",
                path.display(),
                csv.header.join(",")
            )
        })
    };
    let t = need("time_s")?;
    let id = need(id_column)?;
    let cols: Vec<usize> = dims.iter().map(|d| need(d)).collect::<Result<_>>()?;
    let mut out = ByTime::new();
    for (line, row) in &csv.rows {
        let raw = row[id];
        if raw < 0.0 || raw.fract() != 0.0 || raw > u32::MAX as f64 {
            bail!(
                "{}:{line}: {id_column} must be a non-negative integer, found {raw}",
                path.display()
            );
        }
        let key = (row[t] * 1e9).round() as i64;
        out.entry(key)
            .or_default()
            .push((raw as u64, cols.iter().map(|&c| row[c]).collect()));
    }
    Ok(out)
}

fn evaluate_d<const D: usize>(
    truth: &ByTime,
    tracks: &ByTime,
    c: f64,
    p: f64,
) -> Result<EvalSummary> {
    let to_points = |v: &[(u64, Vec<f64>)]| -> Vec<(u64, [f64; D])> {
        v.iter()
            .map(|(id, x)| (*id, std::array::from_fn(|k| x[k])))
            .collect()
    };
    let mut continuity = ContinuityCounter::<u64, u64>::new(c)?;
    let (mut g, mut l, mut m, mut f) = (0.0, 0.0, 0.0, 0.0);
    let empty = Vec::new();
    for (time, truths) in truth {
        let t = to_points(truths);
        let e = to_points(tracks.get(time).unwrap_or(&empty));
        let tp: Vec<[f64; D]> = t.iter().map(|x| x.1).collect();
        let ep: Vec<[f64; D]> = e.iter().map(|x| x.1).collect();
        let score = gospa(&tp, &ep, c, p)?;
        g += score.distance;
        l += score.localisation;
        m += score.missed;
        f += score.false_;
        continuity.push_scan(&t, &e)?;
    }
    let n = truth.len();
    let mean = |x: f64| if n == 0 { f64::NAN } else { x / n as f64 };
    Ok(EvalSummary {
        mean_gospa: mean(g),
        mean_localisation: mean(l),
        mean_missed: mean(m),
        mean_false: mean(f),
        scans: n,
        swaps: continuity.swaps(),
        breaks: continuity.breaks(),
    })
}

fn evaluate(truth: &Path, tracks: &Path, c: f64, p: f64) -> Result<EvalSummary> {
    let truth_csv = read_csv(truth)?;
    let tracks_csv = read_csv(tracks)?;
    let three_d = truth_csv.column("z_m").is_some() && tracks_csv.column("z_m").is_some();
    let dims: &[&str] = if three_d {
        &["x_m", "y_m", "z_m"]
    } else {
        &["x_m", "y_m"]
    };
    let t = group(truth, &truth_csv, "target_id", dims)?;
    let e = group(tracks, &tracks_csv, "track_id", dims)?;
    if three_d {
        evaluate_d::<3>(&t, &e, c, p)
    } else {
        evaluate_d::<2>(&t, &e, c, p)
    }
}

/// `iadsim track-eval TRUTH.csv TRACKS.csv --c C --p P [--json]`: GOSPA and continuity of a
/// tracking run (see the module documentation); prints a summary, or with `json` one JSON
/// object `{"mean_gospa", "mean_localisation", "mean_missed", "mean_false", "scans", "swaps",
/// "breaks"}`.
pub fn run_eval(truth: &Path, tracks: &Path, c: f64, p: f64, json: bool) -> Result<()> {
    let s = evaluate(truth, tracks, c, p)?;
    if json {
        println!("{}", serde_json::to_string(&s)?);
    } else {
        println!("scans: {}", s.scans);
        println!("mean GOSPA (c = {c} m, p = {p}): {:.3} m", s.mean_gospa);
        println!(
            "mean components of GOSPA^p: localisation {:.3}, missed {:.3}, false {:.3} (m^{p})",
            s.mean_localisation, s.mean_missed, s.mean_false
        );
        println!("track swaps: {}, breaks: {}", s.swaps, s.breaks);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A fresh scratch directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("iadsim-track-cmd-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn err_text(r: Result<impl std::fmt::Debug>) -> String {
        format!("{:#}", r.unwrap_err())
    }

    const GOOD_TOML: &str = "[motion]\nmodel = \"cv\"\nq = 1.0\n[measurement]\nsigma_m = 20.0\n";

    #[test]
    fn malformed_measurement_csv_names_file_line_and_text() {
        let m = Path::new("meas.csv");
        let c = Path::new("tracker.toml");
        let run = |meas: &str| track_to_string(m, meas, c, GOOD_TOML);
        let e = err_text(run("time_s,x_m,y_m\n0,1,2\n1,abc,3\n"));
        assert!(
            e.contains("meas.csv:3") && e.contains("\"abc\"") && e.contains("x_m"),
            "{e}"
        );
        let e = err_text(run("time_s,x_m,y_m\n0,1\n"));
        assert!(e.contains("meas.csv:2") && e.contains("\"0,1\""), "{e}");
        let e = err_text(run("time,x,y\n0,1,2\n"));
        assert!(e.contains("meas.csv:1") && e.contains("time,x,y"), "{e}");
        let e = err_text(run("time_s,x_m,y_m\n2,1,2\n1,1,2\n"));
        assert!(e.contains("meas.csv:3") && e.contains("time order"), "{e}");
        let e = err_text(run("time_s,x_m,y_m\n0,NaN,2\n"));
        assert!(e.contains("meas.csv:2") && e.contains("NaN"), "{e}");
        let e = err_text(run(""));
        assert!(e.contains("meas.csv") && e.contains("empty"), "{e}");
    }

    #[test]
    fn malformed_toml_names_file_line_column_and_field() {
        let m = Path::new("meas.csv");
        let c = Path::new("tracker.toml");
        let meas = "time_s,x_m,y_m\n0,1,2\n";
        let run = |toml: &str| track_to_string(m, meas, c, toml);
        // Syntax error: toml gives line and column.
        let e = err_text(run("[motion]\nmodel = \"cv\"\nq = = 1\n"));
        assert!(
            e.contains("tracker.toml") && e.contains("line 3") && e.contains("column"),
            "{e}"
        );
        // Unknown field.
        let e = err_text(run("[detection]\npfa = 0.1\n"));
        assert!(
            e.contains("tracker.toml") && e.contains("pfa") && e.contains("line 2"),
            "{e}"
        );
        // Unknown model.
        let e = err_text(run("[motion]\nmodel = \"warp\"\n"));
        assert!(e.contains("tracker.toml") && e.contains("warp"), "{e}");
        // Wrong type.
        let e = err_text(run("[initiation]\nm = \"two\"\n"));
        assert!(e.contains("tracker.toml") && e.contains("line 2"), "{e}");
        // Out-of-range value: the field, as written in the file.
        let e = err_text(run("[detection]\npd = 1.5\n"));
        assert!(
            e.contains("tracker.toml") && e.contains("detection.pd") && e.contains("1.5"),
            "{e}"
        );
    }

    #[test]
    fn malformed_truth_or_tracks_csv_is_an_error() {
        let d = scratch("eval-errors");
        let truth = d.join("truth.csv");
        let tracks = d.join("tracks.csv");
        std::fs::write(
            &tracks,
            "time_s,track_id,x_m,y_m,vx_mps,vy_mps\n0,0,1,2,0,0\n",
        )
        .unwrap();
        std::fs::write(&truth, "time_s,id,x_m,y_m\n0,0,1,2\n").unwrap();
        let e = err_text(evaluate(&truth, &tracks, 100.0, 2.0));
        assert!(e.contains("truth.csv:1") && e.contains("target_id"), "{e}");
        std::fs::write(&truth, "time_s,target_id,x_m,y_m\n0,1.5,1,2\n").unwrap();
        let e = err_text(evaluate(&truth, &tracks, 100.0, 2.0));
        assert!(e.contains("truth.csv:2") && e.contains("1.5"), "{e}");
        std::fs::write(&truth, "time_s,target_id,x_m,y_m\n0,1,1,2\n").unwrap();
        let e = err_text(evaluate(&truth, &tracks, -1.0, 2.0));
        assert!(e.contains("cut-off"), "{e}");
        let e = err_text(evaluate(&d.join("missing.csv"), &tracks, 1.0, 2.0));
        assert!(e.contains("missing.csv"), "{e}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    /// Two targets 5 km apart on parallel straight courses, 2-D, one scan a second for 60 s,
    /// with deterministic pseudo-noise of ±20 m.
    fn two_targets(d: &Path) -> (PathBuf, PathBuf) {
        let (mut meas, mut truth) = (
            String::from("time_s,x_m,y_m\n"),
            String::from("time_s,target_id,x_m,y_m\n"),
        );
        let noise = |k: u32, a: f64| 20.0 * (f64::from(k) * 12.9898 + a).sin();
        for k in 0..60 {
            let t = f64::from(k);
            for (id, (x, y)) in [
                (0.0 + 200.0 * t, 0.0),
                (1000.0 + 150.0 * t, 5000.0 - 50.0 * t),
            ]
            .into_iter()
            .enumerate()
            {
                writeln!(truth, "{t},{id},{x},{y}").unwrap();
                let a = id as f64 * 7.0;
                writeln!(meas, "{t},{},{}", x + noise(k, a), y + noise(k, a + 3.0)).unwrap();
            }
        }
        let (mp, tp) = (d.join("meas.csv"), d.join("truth.csv"));
        std::fs::write(&mp, meas).unwrap();
        std::fs::write(&tp, truth).unwrap();
        (mp, tp)
    }

    #[test]
    fn end_to_end_two_targets_in_2d() {
        let d = scratch("e2e");
        let (meas, truth) = two_targets(&d);
        for (name, toml) in [
            ("cv-gnn", GOOD_TOML.to_string()),
            (
                "imm-jpda",
                "[motion]\nmodel = \"imm\"\n[measurement]\nsigma_m = 20.0\n\
                 [association]\nmethod = \"jpda\"\n[detection]\nclutter_density = 1e-9\n"
                    .to_string(),
            ),
        ] {
            let cfg = d.join(format!("{name}.toml"));
            std::fs::write(&cfg, toml).unwrap();
            let out = d.join(format!("{name}-tracks.csv"));
            run_track(&meas, &cfg, &out).unwrap();
            let text = std::fs::read_to_string(&out).unwrap();
            assert!(
                text.starts_with("time_s,track_id,x_m,y_m,vx_mps,vy_mps\n"),
                "{name}"
            );
            // After the first couple of scans, two confirmed tracks a scan.
            let last: Vec<&str> = text.lines().filter(|l| l.starts_with("59,")).collect();
            assert_eq!(last.len(), 2, "{name}: {last:?}");
            let s = evaluate(&truth, &out, 200.0, 2.0).unwrap();
            assert_eq!(s.scans, 60, "{name}");
            assert_eq!((s.swaps, s.breaks), (0, 0), "{name}");
            // Only the first scans (before confirmation) miss; then localisation ~ noise.
            assert!(s.mean_gospa < 60.0, "{name}: {s:?}");
            assert!(s.mean_false == 0.0, "{name}: {s:?}");
            run_eval(&truth, &out, 200.0, 2.0, true).unwrap();
            // No temporary file left behind.
            let leftovers: Vec<_> = std::fs::read_dir(&d)
                .unwrap()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
                .collect();
            assert!(leftovers.is_empty());
        }
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn three_d_measurements_give_three_d_tracks() {
        let m = Path::new("m.csv");
        let c = Path::new("c.toml");
        let mut meas = String::from("time_s,x_m,y_m,z_m\n");
        for k in 0..5 {
            writeln!(meas, "{k},{},0,1000", 100.0 * f64::from(k)).unwrap();
        }
        let out = track_to_string(m, &meas, c, GOOD_TOML).unwrap();
        let mut lines = out.lines();
        assert_eq!(
            lines.next(),
            Some("time_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps")
        );
        let last: Vec<f64> = out
            .lines()
            .last()
            .unwrap()
            .split(',')
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!(last[0], 4.0);
        assert!(
            (last[4] - 1000.0).abs() < 1.0 && (last[5] - 100.0).abs() < 5.0,
            "{last:?}"
        );
    }
}
