//! Weapon-target assignment (WTA): the problem a command post solves every cycle ([`cycle`]),
//! and the static problem of the literature with its three solvers (the rest of this module).
//!
//! ## Files
//! | file | holds |
//! |---|---|
//! | `cycle/` | the per-cycle problem (holds allowed, salvo and channel caps): [`CycleSolver`] → exact, greedy, local |
//! | `instance.rs`, `error.rs` | [`WtaInstance`] (JSON and Andersen et al. text formats), [`WtaError`] |
//! | `common.rs` | [`WtaSolution`], the default tolerance, deadlines, the brute-force odometer |
//! | `lagrangian.rs` | the Lagrangian lower bound every static solver reports |
//! | `greedy.rs`, `local.rs`, `exact.rs` | the static solvers (each imports only the files above it and `lap.rs`) |
//! | `lap.rs` | sparse linear assignment, for the local search's assignment neighbourhood |
//!
//! ## Static WTA
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
//!   which keeps improving it during the search. The bound is described in `wta/lagrangian.rs`.
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
//! optimum". Runs ended by a time limit depend on the machine's speed (the per-cycle solvers of
//! [`cycle`] have no time limit: their results never depend on the machine).
use serde::Serialize;

mod common;
pub mod cycle;
mod error;
pub mod exact;
mod greedy;
mod instance;
mod lagrangian;
mod lap;
mod local;
#[cfg(test)]
mod tests;

pub use common::WtaSolution;
pub use cycle::{solve_cycle, CycleAssignment, CycleProblem, CycleSolver};
pub use error::WtaError;
pub use exact::{solve_exact, ExactConfig};
pub use greedy::greedy;
pub use instance::{WtaFile, WtaInstance};
pub use local::{local_search, LocalSearchConfig};

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
