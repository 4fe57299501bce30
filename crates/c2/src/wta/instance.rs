//! WTA instances: the validated [`WtaInstance`], its raw JSON form and the Andersen–Pavlikov–Toffolo
//! text format.
use super::common::next_odometer;
use super::error::WtaError;
use serde::Deserialize;
use std::path::Path;

/// A static weapon-target assignment instance, validated.
///
/// Weapon type `i` has `units[i]` identical units; one unit of type `i` kills target `j` with
/// probability `p[i][j]`; target `j` is worth `values[j]`. The objective of an assignment is the
/// expected surviving value `Σ_j V_j Π_i (1 − p_ij)^{x_ij}`.
#[derive(Debug, Clone, PartialEq)]
pub struct WtaInstance {
    values: Vec<f64>,
    p: Vec<Vec<f64>>,
    units: Vec<u32>,
}

/// A WTA instance as written in JSON, before validation: `{"values": [...], "p": [[...], ...],
/// "units": [...]}`; `units` defaults to one per weapon type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WtaFile {
    /// Target values.
    pub values: Vec<f64>,
    /// Kill probabilities, one row per weapon type, one column per target.
    pub p: Vec<Vec<f64>>,
    /// Units per weapon type (default: 1 each).
    #[serde(default)]
    pub units: Option<Vec<u32>>,
}

impl TryFrom<WtaFile> for WtaInstance {
    type Error = WtaError;
    fn try_from(f: WtaFile) -> Result<Self, WtaError> {
        let units = f.units.unwrap_or_else(|| vec![1; f.p.len()]);
        WtaInstance::new(f.values, f.p, units)
    }
}

impl WtaInstance {
    /// Validates and builds an instance: at least one target and one weapon type, every row of
    /// `p` as long as `values`, every `p` in `[0, 1]`, every value finite and non-negative, one
    /// `units` entry per weapon type. Types with zero units are allowed (they are never assigned).
    pub fn new(values: Vec<f64>, p: Vec<Vec<f64>>, units: Vec<u32>) -> Result<Self, WtaError> {
        if values.is_empty() {
            return Err(WtaError::NoTargets);
        }
        if p.is_empty() {
            return Err(WtaError::NoWeaponTypes);
        }
        for (target, &value) in values.iter().enumerate() {
            if !value.is_finite() || value < 0.0 {
                return Err(WtaError::InvalidValue { target, value });
            }
        }
        for (weapon, row) in p.iter().enumerate() {
            if row.len() != values.len() {
                return Err(WtaError::RaggedRow {
                    row: weapon,
                    len: row.len(),
                    expected: values.len(),
                });
            }
            for (target, &value) in row.iter().enumerate() {
                // `contains` is false for NaN, so NaN is rejected too.
                if !(0.0..=1.0).contains(&value) {
                    return Err(WtaError::ProbabilityOutOfRange {
                        weapon,
                        target,
                        value,
                    });
                }
            }
        }
        if units.len() != p.len() {
            return Err(WtaError::UnitsLength {
                len: units.len(),
                expected: p.len(),
            });
        }
        Ok(WtaInstance { values, p, units })
    }

    /// Parses the JSON form ([`WtaFile`]) and validates it.
    pub fn from_json_str(text: &str) -> Result<Self, WtaError> {
        let file: WtaFile = serde_json::from_str(text).map_err(WtaError::Json)?;
        file.try_into()
    }

    /// Parses the text format of Andersen, Pavlikov & Toffolo (2022): line 1 `m n mu`, then `n`
    /// lines with the value of each target, then `m·n` lines `i j p_ij` with 0-based indices (as
    /// in the published files). Blank lines are skipped; errors carry 1-based line numbers.
    pub fn from_andersen_str(text: &str) -> Result<Self, WtaError> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(k, l)| (k + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty());
        let mut next =
            |expected: &'static str| lines.next().ok_or(WtaError::UnexpectedEnd { expected });
        let (line, header) = next("header `m n mu`")?;
        let fields = three_fields(line, header, "header `m n mu` (three integers)")?;
        let m: usize = parse_field(line, fields[0], "number of weapon types m")?;
        let n: usize = parse_field(line, fields[1], "number of targets n")?;
        let mu: u32 = parse_field(line, fields[2], "units per weapon type mu")?;
        let mut values = Vec::with_capacity(n);
        for _ in 0..n {
            let (line, l) = next("a target value")?;
            values.push(parse_field::<f64>(line, l, "a target value")?);
        }
        let mut p = vec![vec![f64::NAN; n]; m];
        for _ in 0..m * n {
            let (line, l) = next("a line `i j p_ij`")?;
            let f = three_fields(line, l, "`i j p_ij` (weapon type, target, probability)")?;
            let i: usize = parse_field(line, f[0], "weapon type index i")?;
            let j: usize = parse_field(line, f[1], "target index j")?;
            let pij: f64 = parse_field(line, f[2], "kill probability p_ij")?;
            check_index(line, "weapon type", i, m)?;
            check_index(line, "target", j, n)?;
            if !(0.0..=1.0).contains(&pij) {
                return Err(WtaError::ProbabilityOutOfRangeAt {
                    line,
                    weapon: i,
                    target: j,
                    value: pij,
                });
            }
            if !p[i][j].is_nan() {
                return Err(WtaError::DuplicatePair {
                    line,
                    weapon: i,
                    target: j,
                });
            }
            p[i][j] = pij;
        }
        if let Some((line, l)) = lines.next() {
            return Err(WtaError::Syntax {
                line,
                found: l.to_string(),
                expected: "end of file after the m·n probabilities",
            });
        }
        WtaInstance::new(values, p, vec![mu; m])
    }

    /// Reads a file: JSON when the extension is `.json` or the text starts with `{`, the
    /// Andersen text format otherwise.
    pub fn from_path(path: &Path) -> Result<Self, WtaError> {
        let text = std::fs::read_to_string(path).map_err(|source| WtaError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || text.trim_start().starts_with('{');
        if is_json {
            Self::from_json_str(&text)
        } else {
            Self::from_andersen_str(&text)
        }
    }

    /// Target values `V_j`.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
    /// Kill probabilities `p[i][j]` of one unit of weapon type `i` against target `j`.
    pub fn p(&self) -> &[Vec<f64>] {
        &self.p
    }
    /// Units per weapon type.
    pub fn units(&self) -> &[u32] {
        &self.units
    }
    /// Number of weapon types `m`.
    pub fn num_types(&self) -> usize {
        self.p.len()
    }
    /// Number of targets `n`.
    pub fn num_targets(&self) -> usize {
        self.values.len()
    }
    /// Number of individual weapons `Σ_i units[i]`.
    pub fn num_weapons(&self) -> usize {
        self.units.iter().map(|&u| u as usize).sum()
    }
    /// The weapon type of each individual weapon, types in order, type `i` repeated `units[i]`
    /// times: the layout of every assignment vector.
    pub fn weapon_types(&self) -> Vec<usize> {
        self.units
            .iter()
            .enumerate()
            .flat_map(|(i, &u)| std::iter::repeat_n(i, u as usize))
            .collect()
    }
    /// True when every weapon type has the same kill probabilities (or there is one type): then
    /// greedy maximum marginal return is optimal (den Broeder, Ellison & Emerling 1959).
    pub fn identical_weapons(&self) -> bool {
        self.p.iter().all(|row| row == &self.p[0])
    }

    /// Expected surviving value of an assignment (target of each individual weapon, in the layout
    /// of [`weapon_types`](Self::weapon_types)).
    pub fn objective(&self, assignment: &[usize]) -> Result<f64, WtaError> {
        let types = self.weapon_types();
        if assignment.len() != types.len() {
            return Err(WtaError::AssignmentLength {
                len: assignment.len(),
                expected: types.len(),
            });
        }
        let mut survive = self.values.clone();
        for (weapon, (&t, &i)) in assignment.iter().zip(&types).enumerate() {
            if t >= self.values.len() {
                return Err(WtaError::AssignmentTarget {
                    weapon,
                    target: t,
                    targets: self.values.len(),
                });
            }
            survive[t] *= 1.0 - self.p[i][t];
        }
        Ok(survive.iter().sum())
    }

    /// The optimum by enumerating a target for every individual weapon: `n^W` assignments for
    /// `n` targets and `W` weapons, so only for tiny instances. `None` if that is more than
    /// `max_assignments`. The independent reference the solvers are tested against.
    pub fn brute_force_optimum(&self, max_assignments: u64) -> Option<f64> {
        let (w, n) = (self.num_weapons(), self.num_targets());
        let count = (n as u64).checked_pow(u32::try_from(w).ok()?)?;
        if count > max_assignments {
            return None;
        }
        let mut a = vec![0usize; w];
        let mut best = self.objective(&a).ok()?;
        loop {
            if !next_odometer(&mut a, n) {
                return Some(best);
            }
            best = best.min(self.objective(&a).ok()?);
        }
    }

    /// A random instance with `types` weapon types holding `units` (one entry per type) against
    /// `targets` targets: values uniform in [1, 100); kill probabilities uniform in [0, 1),
    /// except that one in twenty is exactly 0 and one in twenty exactly 1 (the edge cases a
    /// solver must handle). For tests and benchmarks; the same `rng` state gives the same
    /// instance.
    pub fn random(
        rng: &mut impl rand::Rng,
        types: usize,
        targets: usize,
        units: Vec<u32>,
    ) -> Result<WtaInstance, WtaError> {
        let values = (0..targets).map(|_| rng.random_range(1.0..100.0)).collect();
        let p = (0..types)
            .map(|_| {
                (0..targets)
                    .map(|_| match rng.random_range(0..20) {
                        0 => 0.0,
                        1 => 1.0,
                        _ => rng.random_range(0.0..1.0),
                    })
                    .collect()
            })
            .collect();
        WtaInstance::new(values, p, units)
    }

    /// Objective of per-type counts `x[i][j]` (no validation; internal).
    pub(crate) fn objective_counts(&self, x: &[Vec<u32>]) -> f64 {
        (0..self.num_targets())
            .map(|j| {
                let mut s = self.values[j];
                for (i, row) in x.iter().enumerate() {
                    if row[j] > 0 {
                        s *= (1.0 - self.p[i][j]).powi(row[j] as i32);
                    }
                }
                s
            })
            .sum()
    }

    /// The assignment vector of per-type counts `x[i][j]` (targets of one type in increasing order).
    pub(crate) fn counts_to_assignment(&self, x: &[Vec<u32>]) -> Vec<usize> {
        let mut a = Vec::with_capacity(self.num_weapons());
        for row in x {
            for (j, &c) in row.iter().enumerate() {
                a.extend(std::iter::repeat_n(j, c as usize));
            }
        }
        a
    }
}

/// The three whitespace-separated fields of a line of the text format.
fn three_fields<'a>(
    line: usize,
    text: &'a str,
    expected: &'static str,
) -> Result<[&'a str; 3], WtaError> {
    let fields: Vec<&str> = text.split_whitespace().collect();
    fields.try_into().map_err(|_| WtaError::Syntax {
        line,
        found: text.to_string(),
        expected,
    })
}

/// `index` (of a `what`) is below `bound`, or the error that names it.
fn check_index(
    line: usize,
    what: &'static str,
    index: usize,
    bound: usize,
) -> Result<(), WtaError> {
    if index < bound {
        Ok(())
    } else {
        Err(WtaError::IndexOutOfRange {
            line,
            what,
            index,
            bound,
        })
    }
}

fn parse_field<T: std::str::FromStr>(
    line: usize,
    text: &str,
    expected: &'static str,
) -> Result<T, WtaError> {
    text.parse().map_err(|_| WtaError::Syntax {
        line,
        found: text.to_string(),
        expected,
    })
}
