//! The errors of WTA instance construction, parsing and evaluation.
use std::path::PathBuf;

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
