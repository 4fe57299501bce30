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
use std::time::Instant;

/// Standard deviation of the synthetic z measurement given to 2-D data, m.
pub const Z_SIGMA_2D_M: f64 = 1.0;

/// A parsed CSV: header names and rows of numbers, each with its 1-based line number.
struct Csv {
    header: Vec<String>,
    /// The rows' values, row after row, `header.len()` per row.
    values: Vec<f64>,
    /// The 1-based line number of each row.
    lines: Vec<usize>,
}

impl Csv {
    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// `(line number, values)` of each row.
    fn rows(&self) -> impl Iterator<Item = (usize, &[f64])> {
        self.lines
            .iter()
            .copied()
            .zip(self.values.chunks_exact(self.header.len()))
    }
}

/// Parse simple comma-separated numbers with a header line. Blank lines are skipped.
fn read_csv(path: &Path) -> Result<Csv> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse_csv(path, &text)
}

/// `s.trim()`, quicker when there is nothing to trim (the usual case).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// A field as a finite number, or `None`.
fn parse_field(f: &str) -> Option<f64> {
    parse_plain_decimal(f.as_bytes())
        .or_else(|| trim(f).parse().ok().filter(|v: &f64| v.is_finite()))
}

/// `10^k`, exact in `f64` for `k ≤ 22`.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A field of the plain form `[-]digits[.digits]` with a short mantissa, parsed quickly; `None`
/// for anything else (which `str::parse` then handles).
///
/// Exact, the same value `str::parse` gives: the digits without the point are an integer
/// `m < 2⁵³` and the point divides by `10^k`, `k ≤ 22`; both are exact `f64`s, so the one
/// rounding of `m / 10^k` gives the correctly rounded value of the decimal (Clinger's fast path,
/// which `core`'s parser takes for such input too).
fn parse_plain_decimal(field: &[u8]) -> Option<f64> {
    let (negative, digits) = match field.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, field),
    };
    let (mut m, mut count, mut point) = (0u64, 0usize, None);
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' if count < 19 => {
                m = 10 * m + u64::from(b - b'0');
                count += 1;
            }
            b'.' if point.is_none() && i > 0 => point = Some(i),
            _ => return None,
        }
    }
    let decimals = match point {
        Some(i) if i + 1 == digits.len() => return None, // "1." : leave to str::parse
        Some(i) => digits.len() - 1 - i,
        None => 0,
    };
    if count == 0 || m >= 1 << 53 || decimals >= POWERS_OF_TEN.len() {
        return None;
    }
    let v = m as f64 / POWERS_OF_TEN[decimals];
    Some(if negative { -v } else { v })
}

/// The comma-separated fields of a line (as `line.split(',')`).
fn fields(line: &str) -> impl Iterator<Item = &str> {
    split_bytes(line, b',')
}

/// `s.split(sep as char)` for an ASCII `sep`, quicker on short pieces.
fn split_bytes(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii());
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == sep) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

fn parse_csv(path: &Path, text: &str) -> Result<Csv> {
    let bytes = text.as_bytes();
    // The line starting at `*pos` (its 1-based number, counted in `*line`), without its "\n"
    // and trailing "\r"s, as `text.split('\n')` would give it; `*pos` moves past it.
    let next_line = |pos: &mut usize, line: &mut usize| -> Option<(usize, &str)> {
        if *pos >= bytes.len() {
            return None;
        }
        let end = bytes[*pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| *pos + i);
        let l = text[*pos..end].trim_end_matches('\r');
        *pos = end + 1;
        *line += 1;
        Some((*line, l))
    };
    let (mut pos, mut line) = (0, 0);
    let head = loop {
        match next_line(&mut pos, &mut line) {
            Some((_, l)) if trim(l).is_empty() => continue,
            Some((_, l)) => break l,
            None => bail!("{}: empty file, expected a header line", path.display()),
        }
    };
    let header: Vec<String> = head.split(',').map(|h| h.trim().to_string()).collect();
    let ncols = header.len();
    // About one row per line of the text; a guess, to avoid most reallocation.
    let guess = text.len() / (8 * ncols + 1);
    let mut values = Vec::with_capacity(guess * ncols);
    let mut rows = Vec::with_capacity(guess);
    loop {
        // The usual row, read in one pass; anything else the general way below.
        if let Some(next) = quick_row(bytes, pos, ncols, &mut values) {
            pos = next;
            line += 1;
            rows.push(line);
            continue;
        }
        let Some((line, l)) = next_line(&mut pos, &mut line) else {
            break;
        };
        if trim(l).is_empty() {
            continue;
        }
        let start = values.len();
        let (mut found, mut bad) = (0, None);
        for f in fields(l) {
            if found < ncols && bad.is_none() {
                match parse_field(f) {
                    Some(v) => values.push(v),
                    None => bad = Some(found),
                }
            }
            found += 1;
        }
        if found != ncols {
            bail!(
                "{}:{line}: expected {} comma-separated fields ({}), found {found}: \"{l}\"",
                path.display(),
                ncols,
                header.join(","),
            );
        }
        if let Some(k) = bad {
            bail!(
                "{}:{line}: column {} ({}): \"{}\" is not a finite number",
                path.display(),
                k + 1,
                header[k],
                l.split(',').nth(k).unwrap_or_default().trim()
            );
        }
        debug_assert_eq!(values.len(), start + ncols);
        rows.push(line);
    }
    Ok(Csv {
        header,
        values,
        lines: rows,
    })
}

/// Reads the line at `bytes[start..]` in one pass if it is `ncols` plain decimals (as
/// [`parse_plain_decimal`] takes them) separated by commas and ended by "\n", "\r\n" or the end
/// of the text: appends the values to `values` and returns where the next line starts. Any other
/// line (blank, spaces, exponents, an error, …) gives `None` and leaves `values` as it was; the
/// general path then reads it, with the same result for the lines this one accepts.
fn quick_row(bytes: &[u8], start: usize, ncols: usize, values: &mut Vec<f64>) -> Option<usize> {
    let mark = values.len();
    let mut pos = start;
    for col in 0..ncols {
        let negative = bytes.get(pos) == Some(&b'-');
        pos += usize::from(negative);
        let (mut m, mut count, mut decimals, mut point) = (0u64, 0usize, 0usize, false);
        loop {
            match bytes.get(pos) {
                Some(&b) if b.is_ascii_digit() && count < 19 => {
                    m = 10 * m + u64::from(b - b'0');
                    count += 1;
                    decimals += usize::from(point);
                }
                Some(b'.') if !point && count > 0 => point = true,
                _ => break,
            }
            pos += 1;
        }
        let plain =
            count > 0 && (!point || decimals > 0) && m < 1 << 53 && decimals < POWERS_OF_TEN.len();
        let last = col + 1 == ncols;
        let next = match (bytes.get(pos), bytes.get(pos + 1)) {
            (Some(b','), _) if !last => Some(pos + 1),
            (Some(b'\n'), _) if last => Some(pos + 1),
            (Some(b'\r'), Some(b'\n')) if last => Some(pos + 2),
            (None, _) if last => Some(pos),
            _ => None,
        };
        match next.filter(|_| plain) {
            Some(next) => {
                let v = m as f64 / POWERS_OF_TEN[decimals];
                values.push(if negative { -v } else { v });
                pos = next;
            }
            None => {
                values.truncate(mark);
                return None;
            }
        }
    }
    Some(pos)
}

fn parse_config(path: &Path, text: &str) -> Result<TrackerFileConfig> {
    // toml's message carries the line, the column and the offending text.
    let file: TrackerFileConfig =
        toml::from_str(text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    file.validate()
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok(file)
}

/// One scan of the measurement file: its time and its rows of the CSV.
struct Scan {
    time_s: f64,
    rows: std::ops::Range<usize>,
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
    for (k, (line, row)) in csv.rows().enumerate() {
        let t = row[0];
        match out.last_mut() {
            Some(s) if s.time_s == t => s.rows.end = k + 1,
            Some(s) if t < s.time_s => bail!(
                "{}:{line}: time_s {t} is earlier than the previous row's {}; rows must be in \
                 time order",
                path.display(),
                s.time_s
            ),
            _ => out.push(Scan {
                time_s: t,
                rows: k..k + 1,
            }),
        }
    }
    Ok((out, three_d))
}

/// Append `v` to `out` exactly as `{}` (`Display`) writes it: the shortest decimal that reads
/// back as the same `f64`, in positional notation (no exponent), "-" for negatives (including
/// −0), no ".0" on integers.
///
/// The digits come from `zmij` (several times faster than `core::fmt`), then are laid out as
/// `Display` does. Both give the shortest digits that read back as `v` and, among those, the
/// ones closest to `v`; they differ only when two candidates are exactly equally close, which
/// `zmij` breaks to even and `core` upwards (`247204985509173.625` prints as `…73.62` and
/// `…73.63`). [`may_tie`] singles out every value where that can happen, and those go through
/// `core::fmt`. `display_f64_matches_core_fmt` checks the two against each other.
fn push_f64(out: &mut String, v: f64) {
    if !v.is_finite() || may_tie(v) {
        // "NaN", "inf", "-inf" and possible ties: rare in a tracker's output.
        let _ = write!(out, "{v}");
        return;
    }
    let mut buffer = zmij::Buffer::new();
    let s = buffer.format_finite(v);
    // zmij writes an exponent as "e", a sign and up to three digits, at the end.
    let tail = s.len().saturating_sub(5);
    let Some(e) = s.as_bytes()[tail..]
        .iter()
        .position(|&b| b == b'e')
        .map(|i| tail + i)
    else {
        // Positional already; integers end in ".0", which Display omits.
        out.push_str(s.strip_suffix(".0").unwrap_or(s));
        return;
    };
    // Scientific "d.ddde±x": the digits, and the decimal point after `point` of them.
    let (mantissa, exponent) = (&s[..e], &s[e + 1..]);
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    out.push_str(sign);
    let (lead, rest) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let n = (lead.len() + rest.len()) as i64;
    let point = exponent + 1;
    let zeros = |out: &mut String, k: i64| out.extend(std::iter::repeat_n('0', k as usize));
    if point <= 0 {
        out.push_str("0.");
        zeros(out, -point);
        out.push_str(lead);
        out.push_str(rest);
    } else if point >= n {
        out.push_str(lead);
        out.push_str(rest);
        zeros(out, point - n);
    } else {
        // 1 ≤ point < n, and `lead` is one digit.
        let split = (point - 1) as usize;
        out.push_str(lead);
        out.push_str(&rest[..split]);
        out.push('.');
        out.push_str(&rest[split..]);
    }
}

/// Whether the shortest decimal of `v` might be a tie between two candidates equally close to
/// `v` (see [`push_f64`]); `false` guarantees it is not.
///
/// The shortest decimal has at most 17 significant digits, and a tie puts `v` exactly halfway
/// between two of them, so `v`'s exact decimal expansion has at most 18. For a normal `v` in
/// `(0, 2²⁶)`, `v = M 2⁻ᵏ` with `M` odd, whose expansion `M 5ᵏ / 10ᵏ` has as many significant
/// digits as the integer `M 5ᵏ`: at least 19 when `k ≥ 27` (`5²⁷ > 10¹⁸`), else counted. No
/// candidate of at most 17 digits can then sit exactly on the boundary of `v`'s rounding
/// interval either: the boundaries `(2M' ± 1) 2^(e−1)` (`M'`, `e` the unreduced mantissa and
/// exponent, `e ≤ −27` below 2²⁶) have at least 19 digits. Larger, subnormal and integer-valued
/// large numbers simply answer `true`.
fn may_tie(v: f64) -> bool {
    const LIMIT: f64 = (1u64 << 26) as f64;
    let a = v.abs();
    if a == 0.0 {
        return false;
    }
    if !(f64::MIN_POSITIVE..LIMIT).contains(&a) {
        return true;
    }
    let bits = a.to_bits();
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let exponent = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let zeros = mantissa.trailing_zeros();
    let k = -(exponent + i64::from(zeros));
    if k <= 0 {
        return false; // an integer below 2²⁶: its own exact, unique shortest decimal
    }
    if k >= 27 {
        return false;
    }
    let digits = u128::from(mantissa >> zeros) * 5u128.pow(k as u32);
    digits < 10u128.pow(18)
}

/// The CSV text of a tracking run: measurement file, configuration, nothing written.
#[cfg(test)]
fn track_to_string(
    meas: &Path,
    meas_text: &str,
    config: &Path,
    config_text: &str,
) -> Result<String> {
    let mut all = String::new();
    track_to_sink(meas, meas_text, config, config_text, &mut |text| {
        all.push_str(text);
        Ok(())
    })?;
    Ok(all)
}

/// Output is handed to the sink in blocks of about this many bytes (whole rows).
const BLOCK_BYTES: usize = 1 << 16;

/// A tracking run: measurement file, configuration; the CSV text goes to `sink` in blocks of
/// whole rows as the scans are processed (so that no copy of the whole output is held in
/// memory). Input errors are found before anything goes to the sink.
fn track_to_sink(
    meas: &Path,
    meas_text: &str,
    config: &Path,
    config_text: &str,
    sink: &mut dyn FnMut(&str) -> Result<()>,
) -> Result<TrackTiming> {
    let started = Instant::now();
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
    let mut timing = TrackTiming {
        scans: scans.len(),
        plots: csv.values.len() / csv.header.len().max(1),
        parse_s: started.elapsed().as_secs_f64(),
        ..TrackTiming::default()
    };
    let sensor = SensorId(0);
    let ncols = csv.header.len();
    let mut out = String::with_capacity(BLOCK_BYTES + 1024);
    out.push_str(if three_d {
        "time_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps\n"
    } else {
        "time_s,track_id,x_m,y_m,vx_mps,vy_mps\n"
    });
    let mut plots: Vec<Measurement> = Vec::new();
    let mut reports = Vec::new();
    let mut time_text = String::new();
    for scan in &scans {
        let scan_started = Instant::now();
        let time = SimTime::from_secs_f64(scan.time_s);
        plots.clear();
        plots.extend(
            csv.values[scan.rows.start * ncols..scan.rows.end * ncols]
                .chunks_exact(ncols)
                .map(|row| Measurement {
                    time,
                    sensor,
                    z_m: Vector3::new(row[1], row[2], if three_d { row[3] } else { 0.0 }),
                    r_m2: r,
                    polar: None,
                }),
        );
        tracker
            .process_scan(time, sensor, &plots)
            .with_context(|| format!("tracking the scan at time_s = {}", scan.time_s))?;
        tracker.reports_into(&mut reports);
        let tracked = Instant::now();
        timing.tracking_s += (tracked - scan_started).as_secs_f64();
        time_text.clear();
        push_f64(&mut time_text, scan.time_s);
        for rep in reports
            .iter()
            .filter(|r| r.status == TrackStatus::Confirmed)
        {
            let (p, v) = (rep.position_ecef_m, rep.velocity_ecef_mps);
            out.push_str(&time_text);
            out.push(',');
            out.push_str(itoa::Buffer::new().format(rep.id.0));
            let values: &[f64] = if three_d {
                &[p[0], p[1], p[2], v[0], v[1], v[2]]
            } else {
                &[p[0], p[1], v[0], v[1]]
            };
            for &x in values {
                out.push(',');
                push_f64(&mut out, x);
            }
            out.push('\n');
            if out.len() >= BLOCK_BYTES {
                sink(&out)?;
                out.clear();
            }
        }
        timing.output_s += tracked.elapsed().as_secs_f64();
    }
    let flushed = Instant::now();
    sink(&out)?;
    timing.output_s += flushed.elapsed().as_secs_f64();
    Ok(timing)
}

/// Where the time of an `iadsim track` run went (`--timing`), wall clock.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TrackTiming {
    /// Scans processed.
    pub scans: usize,
    /// Plots (measurement rows) processed.
    pub plots: usize,
    /// Reading the measurement and configuration files, s.
    pub read_s: f64,
    /// Parsing and checking the CSV and TOML, grouping the scans, building the tracker, s.
    pub parse_s: f64,
    /// Inside the tracker: building each scan's plots, `process_scan`, the track reports, s.
    pub tracking_s: f64,
    /// Formatting TRACKS.csv and writing it (to the temporary file, then the rename), s.
    pub output_s: f64,
}

impl TrackTiming {
    /// Plots per second of tracking alone (0 when nothing was tracked).
    pub fn tracking_plots_per_s(&self) -> f64 {
        rate(self.plots, self.tracking_s)
    }

    /// The human-readable summary printed by `iadsim track --timing`.
    pub fn summary(&self) -> String {
        let total_s = self.read_s + self.parse_s + self.tracking_s + self.output_s;
        format!(
            "{} plots in {} scans: reading {:.1} ms, parsing {:.1} ms, tracking {:.1} ms \
             ({:.0} plots/s), output {:.1} ms; total {:.1} ms ({:.0} plots/s)",
            self.plots,
            self.scans,
            1e3 * self.read_s,
            1e3 * self.parse_s,
            1e3 * self.tracking_s,
            self.tracking_plots_per_s(),
            1e3 * self.output_s,
            1e3 * total_s,
            rate(self.plots, total_s),
        )
    }
}

/// `count / seconds`, or 0 when there was nothing to count or no measurable time.
fn rate(count: usize, seconds: f64) -> f64 {
    if count == 0 || seconds.is_nan() || seconds <= 0.0 {
        0.0
    } else {
        count as f64 / seconds
    }
}

/// The temporary file beside `path` that [`run_track`] writes before renaming it to `path`.
fn temporary_path(path: &Path) -> Result<std::path::PathBuf> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| anyhow!("{}: not a file name", path.display()))?;
    Ok(dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// `iadsim track MEAS.csv TRACKER.toml OUT.csv`: track the measurements and write the
/// confirmed tracks after every scan (see the module documentation for the formats).
///
/// The rows are written as they are made to a temporary file in OUT's directory, which is
/// renamed to OUT at the end (or removed on an error): OUT is either the old file or the
/// complete new one.
pub fn run_track(meas: &Path, config: &Path, out: &Path) -> Result<TrackTiming> {
    use std::io::Write as _;
    let started = Instant::now();
    let meas_text =
        std::fs::read_to_string(meas).with_context(|| format!("reading {}", meas.display()))?;
    let config_text =
        std::fs::read_to_string(config).with_context(|| format!("reading {}", config.display()))?;
    let read_s = started.elapsed().as_secs_f64();
    let tmp = temporary_path(out)?;
    let mut file: Option<std::fs::File> = None;
    let tracked = track_to_sink(meas, &meas_text, config, &config_text, &mut |text| {
        if file.is_none() {
            file = Some(
                std::fs::File::create(&tmp)
                    .with_context(|| format!("writing {}", tmp.display()))?,
            );
        }
        match file.as_mut() {
            Some(f) => f
                .write_all(text.as_bytes())
                .with_context(|| format!("writing {}", tmp.display())),
            None => Ok(()),
        }
    });
    let created = file.is_some();
    let closing = Instant::now();
    drop(file);
    let mut timing = match tracked {
        Ok(timing) => timing,
        Err(e) => {
            if created {
                let _ = std::fs::remove_file(&tmp);
            }
            return Err(e);
        }
    };
    std::fs::rename(&tmp, out).with_context(|| {
        let _ = std::fs::remove_file(&tmp);
        format!("renaming {} to {}", tmp.display(), out.display())
    })?;
    timing.read_s = read_s;
    timing.output_s += closing.elapsed().as_secs_f64();
    Ok(timing)
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
    for (line, row) in csv.rows() {
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
        outln!("{}", serde_json::to_string(&s)?);
    } else {
        outln!("scans: {}", s.scans);
        outln!("mean GOSPA (c = {c} m, p = {p}): {:.3} m", s.mean_gospa);
        outln!(
            "mean components of GOSPA^p: localisation {:.3}, missed {:.3}, false {:.3} (m^{p})",
            s.mean_localisation,
            s.mean_missed,
            s.mean_false
        );
        outln!("track swaps: {}, breaks: {}", s.swaps, s.breaks);
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

    /// `push_f64` writes what `{}` writes, byte for byte (TRACKS.csv must not change).
    #[test]
    fn display_f64_matches_core_fmt() {
        let check = |v: f64| {
            let mut s = String::new();
            push_f64(&mut s, v);
            assert_eq!(s, format!("{v}"), "{v:e} (bits {:#x})", v.to_bits());
        };
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            1e-7,
            1e-5,
            1e15,
            1e16,
            1e21,
            1e22,
            123_456_789_012_345_680.0,
            38.949_999_999_997_09,
            // 247204985509173.625 exactly, halfway between the 17-digit …173.62 and …173.63.
            f64::from_bits(0x42ec_1a9c_ab22_a6b4),
            -f64::from_bits(0x42ec_1a9c_ab22_a6b4),
            0.5,
            0.125,
            1.25,
            2.5,
            67_108_863.75,
            67_108_864.0,
            5e-324,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            check(v);
        }
        for e in -330..=310 {
            let p = 10f64.powi(e);
            for m in [1.0, -1.5, 1.234_567_890_123_456_7, 9.999_999_999_999_998] {
                check(m * p);
            }
        }
        // Pseudo-random bit patterns (splitmix64: every exponent, NaNs, subnormals) and values
        // of a tracker's magnitudes.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || iadsim_core::random::splitmix64(&mut state);
        for _ in 0..200_000 {
            let bits = next();
            check(f64::from_bits(bits));
            let u = (bits >> 11) as f64 / (1u64 << 53) as f64;
            check((u - 0.5) * 1e6);
            check((u * 1e9).round() / 1e3);
            // Values with short binary fractions, where ties live.
            let e = (bits % 60) as i32 - 30;
            check(((bits >> 20) % (1 << 30)) as f64 * 2f64.powi(e));
        }
    }

    /// The quick decimal parser gives what `str::parse` gives, and declines anything else.
    #[test]
    fn plain_decimals_parse_exactly_as_str_parse() {
        let mut state = 0x1234_5678_u64;
        let mut next = || iadsim_core::random::splitmix64(&mut state);
        let mut quick = 0;
        for _ in 0..300_000 {
            let digits = 1 + (next() % 22) as usize;
            let mut s = String::new();
            if next() % 3 == 0 {
                s.push('-');
            }
            for _ in 0..digits {
                s.push(char::from(b'0' + (next() % 10) as u8));
            }
            if next() % 4 != 0 {
                let at = 1 + (next() as usize) % digits;
                s.insert(at + usize::from(s.starts_with('-')), '.');
            }
            let want: f64 = s.parse().unwrap();
            match parse_plain_decimal(s.as_bytes()) {
                Some(v) => {
                    quick += 1;
                    assert_eq!(v.to_bits(), want.to_bits(), "{s}");
                }
                None => assert!(
                    digits > 15 || s.ends_with('.'),
                    "{s} should take the quick path"
                ),
            }
            assert_eq!(
                parse_field(&s).map(f64::to_bits),
                Some(want.to_bits()),
                "{s}"
            );
        }
        assert!(quick > 100_000, "{quick}");
        for odd in [
            "", "-", ".", "1.", ".5", "-.5", "+1", "1e3", " 1", "1 ", "1.2.3", "0x10", "inf",
            "NaN", "1_000", "--1",
        ] {
            assert_eq!(parse_plain_decimal(odd.as_bytes()), None, "{odd}");
            assert_eq!(
                parse_field(odd).map(f64::to_bits),
                odd.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .map(f64::to_bits),
                "{odd}"
            );
        }
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
    fn timing_of_an_empty_run_has_no_nan() {
        let t = TrackTiming::default();
        assert_eq!(t.tracking_plots_per_s(), 0.0);
        let line = t.summary();
        assert!(!line.contains("NaN") && !line.contains("inf"), "{line}");
        assert!(line.starts_with("0 plots in 0 scans"), "{line}");
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
            let timing = run_track(&meas, &cfg, &out).unwrap();
            let rows = std::fs::read_to_string(&meas).unwrap().lines().count() - 1;
            assert_eq!((timing.scans, timing.plots), (60, rows), "{name}");
            let parts = [
                timing.read_s,
                timing.parse_s,
                timing.tracking_s,
                timing.output_s,
            ];
            assert!(parts.iter().all(|t| t.is_finite() && *t >= 0.0));
            assert!(timing.tracking_s > 0.0, "{timing:?}");
            let line = timing.summary();
            assert!(
                line.starts_with(&format!("{rows} plots in 60 scans: reading "))
                    && line.contains(" ms, tracking ")
                    && line.ends_with(" plots/s)"),
                "{line}"
            );
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
