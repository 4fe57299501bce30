//! Pieces every static solver shares: the result type, the optimality tolerance, deadlines, and
//! the odometer that enumerates assignments for the brute-force references.
use serde::Serialize;
use std::time::Duration;

/// Default relative optimality tolerance.
pub const DEFAULT_REL_TOL: f64 = 1e-9;

/// The result of a WTA solver.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WtaSolution {
    /// Target of each individual weapon; weapons of type `i` repeated `units[i]` times, in type
    /// order ([`WtaInstance::weapon_types`](super::WtaInstance::weapon_types)).
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

/// A duration of `s` seconds, clamped to what [`Duration`] holds (negative → 0).
pub(crate) fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.clamp(0.0, 1e9))
}

/// Advances `digits` as an odometer in base `base` (digit 0 turns fastest); false once it has
/// wrapped back to all zeros, i.e. after the last of the `base^len` vectors.
pub(crate) fn next_odometer(digits: &mut [usize], base: usize) -> bool {
    for d in digits.iter_mut() {
        *d += 1;
        if *d < base {
            return true;
        }
        *d = 0;
    }
    false
}
