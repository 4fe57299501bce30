//! Static weapon-target assignment (WTA).
//!
//! Minimise the expected surviving value `Σ_j V_j Π_i (1 − p_ij)^{x_ij}` where `x_ij` units of
//! weapon type `i` are fired at target `j` and every unit is assigned to exactly one target
//! (`Σ_j x_ij = units[i]`). Three solvers share one result type, [`WtaSolution`]:
//!
//! - [`greedy`]: maximum marginal return (den Broeder, Ellison & Emerling 1959), optimal when all
//!   weapons are identical, `O(W·m·n)`.
//! - [`local_search`]: very-large-scale neighbourhood search (cyclic and path exchanges of an
//!   improvement graph, Ahuja et al. 2007, plus an exact assignment neighbourhood) iterated with
//!   random kicks, started from the greedy solution, deterministic for a given random stream when
//!   its iteration limit ends it.
//! - [`solve_exact`]: a WTA-specific Lagrangian branch-and-bound that proves optimality (relative
//!   tolerance [`ExactConfig::rel_tol`], 1e-9 by default) or, stopped by its time limit, returns
//!   the best solution with a proven lower bound. Its incumbent comes from the local search,
//!   which keeps improving it during the search. See [`exact`] for the bound.
//!
//! Pick one by [`WtaSolver`] (`"exact" | "greedy" | "local"`) and call [`solve`].
//!
//! ## Example
//! ```
//! use iadsim_c2::wta::{solve, WtaInstance, WtaSolver};
//! let inst = WtaInstance::new(vec![10.0, 5.0], vec![vec![0.5, 0.9], vec![0.5, 0.1]], vec![1, 2])
//!     .unwrap();
//! let sol = solve(&inst, WtaSolver::Exact, 10.0);
//! assert!(sol.optimal);
//! assert!((inst.objective(&sol.assignment).unwrap() - sol.objective).abs() < 1e-12);
//! ```
//!
//! ## Not guaranteed
//! The exact solver is exponential in the worst case; the largest public instances with 2–3 units
//! per type (`wta_200x400x2`, `wta_200x400x3`) are not closed in 10 minutes and are reported with
//! their gap (`docs/benchmarks.md`). `optimal` means "gap ≤ relative tolerance", not "bit-exact
//! optimum". Runs ended by a time limit depend on the machine's speed.
use serde::Serialize;
use std::path::PathBuf;

mod assign;
pub mod exact;
mod greedy;
mod instance;
mod local;
#[cfg(test)]
mod tests;

pub use exact::{solve_exact, ExactConfig};
pub use greedy::greedy;
pub use instance::{WtaFile, WtaInstance};
pub use local::{local_search, LocalSearchConfig};

/// Errors of WTA instance construction, parsing and evaluation.
#[derive(Debug, thiserror::Error)]
pub enum WtaError {
    /// The instance has no target.
    #[error("empty instance: no targets (values is empty)")]
    NoTargets,
    /// The instance has no weapon type.
    #[error("empty instance: no weapon types (p has no rows)")]
    NoWeaponTypes,
    /// A row of `p` does not have one entry per target.
    #[error("ragged p: row {row} (weapon type {row}) has {len} entries, expected {expected} (one per target)")]
    RaggedRow {
        /// Row (weapon type), 0-based.
        row: usize,
        /// Its length.
        len: usize,
        /// Number of targets.
        expected: usize,
    },
    /// A kill probability outside `[0, 1]` (or NaN).
    #[error("kill probability p[{weapon}][{target}] = {value} is outside [0, 1]")]
    ProbabilityOutOfRange {
        /// Weapon type, 0-based.
        weapon: usize,
        /// Target, 0-based.
        target: usize,
        /// The value given.
        value: f64,
    },
    /// A kill probability outside `[0, 1]` in a text file.
    #[error("line {line}: kill probability p[{weapon}][{target}] = {value} is outside [0, 1]")]
    ProbabilityOutOfRangeAt {
        /// Line, 1-based.
        line: usize,
        /// Weapon type, 0-based.
        weapon: usize,
        /// Target, 0-based.
        target: usize,
        /// The value given.
        value: f64,
    },
    /// A negative or non-finite target value.
    #[error("target {target} has value {value}; values must be finite and non-negative")]
    InvalidValue {
        /// Target, 0-based.
        target: usize,
        /// The value given.
        value: f64,
    },
    /// `units` does not have one entry per weapon type.
    #[error("units has {len} entries, expected {expected} (one per weapon type)")]
    UnitsLength {
        /// Its length.
        len: usize,
        /// Number of weapon types.
        expected: usize,
    },
    /// Malformed JSON (serde_json's message carries line and column).
    #[error("invalid WTA JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// A token of a text file that does not parse as what was expected there.
    #[error("line {line}: expected {expected}, found `{found}`")]
    Syntax {
        /// Line, 1-based.
        line: usize,
        /// The offending text.
        found: String,
        /// What the format requires there.
        expected: &'static str,
    },
    /// A text file ends early.
    #[error("unexpected end of file: expected {expected}")]
    UnexpectedEnd {
        /// What the format requires next.
        expected: &'static str,
    },
    /// A weapon-type or target index outside the header's sizes.
    #[error("line {line}: {what} index {index} out of range 0..{bound} (indices are 0-based)")]
    IndexOutOfRange {
        /// Line, 1-based.
        line: usize,
        /// "weapon type" or "target".
        what: &'static str,
        /// The index given.
        index: usize,
        /// Exclusive bound from the header.
        bound: usize,
    },
    /// The same `(i, j)` pair given twice.
    #[error("line {line}: p[{weapon}][{target}] given a second time")]
    DuplicatePair {
        /// Line, 1-based.
        line: usize,
        /// Weapon type, 0-based.
        weapon: usize,
        /// Target, 0-based.
        target: usize,
    },
    /// A file that cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An assignment vector of the wrong length.
    #[error("assignment has {len} entries, expected {expected} (one per individual weapon)")]
    AssignmentLength {
        /// Its length.
        len: usize,
        /// Number of weapons.
        expected: usize,
    },
    /// An assignment to a target that does not exist.
    #[error("weapon {weapon} is assigned to target {target}, but there are {targets} targets")]
    AssignmentTarget {
        /// Individual weapon, 0-based.
        weapon: usize,
        /// The target given.
        target: usize,
        /// Number of targets.
        targets: usize,
    },
    /// An unknown solver name.
    #[error("unknown WTA solver `{0}` (expected exact, greedy or local)")]
    UnknownSolver(String),
}

/// The result of a WTA solver.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WtaSolution {
    /// Target of each individual weapon; weapons of type `i` repeated `units[i]` times, in type
    /// order ([`WtaInstance::weapon_types`]).
    pub assignment: Vec<usize>,
    /// Expected surviving value of `assignment` (upper bound on the optimum).
    pub objective: f64,
    /// Proven lower bound on the optimum.
    pub lower_bound: f64,
    /// True when `objective − lower_bound ≤ rel_tol · objective` (the gap is closed).
    pub optimal: bool,
    /// Wall-clock time, s.
    pub seconds: f64,
}

impl WtaSolution {
    /// Relative gap `(objective − lower_bound) / objective` (0 when the objective is 0).
    pub fn gap(&self) -> f64 {
        if self.objective > 0.0 {
            ((self.objective - self.lower_bound) / self.objective).max(0.0)
        } else {
            0.0
        }
    }
}

/// Which solver to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum WtaSolver {
    /// Lagrangian branch-and-bound, [`solve_exact`].
    Exact,
    /// Maximum marginal return, [`greedy`].
    Greedy,
    /// Iterated very-large-scale neighbourhood search, [`local_search`].
    Local,
}

impl std::str::FromStr for WtaSolver {
    type Err = WtaError;
    fn from_str(s: &str) -> Result<Self, WtaError> {
        match s {
            "exact" => Ok(WtaSolver::Exact),
            "greedy" => Ok(WtaSolver::Greedy),
            "local" => Ok(WtaSolver::Local),
            other => Err(WtaError::UnknownSolver(other.to_string())),
        }
    }
}

/// Runs `solver` with default settings (seed 0) and a time limit in seconds (ignored by greedy).
pub fn solve(inst: &WtaInstance, solver: WtaSolver, time_limit_s: f64) -> WtaSolution {
    match solver {
        WtaSolver::Exact => solve_exact(
            inst,
            &ExactConfig {
                time_limit_s,
                ..ExactConfig::default()
            },
        ),
        WtaSolver::Greedy => greedy(inst),
        WtaSolver::Local => {
            use rand::SeedableRng;
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
            local_search(
                inst,
                &LocalSearchConfig {
                    time_limit_s,
                    ..LocalSearchConfig::default()
                },
                &mut rng,
            )
        }
    }
}
