//! The weapon-target assignment a command post solves each decision cycle.
//!
//! Unlike the static WTA of the rest of [`crate::wta`], a weapon may hold fire, and doctrine caps
//! the assignment:
//!
//! ```text
//! minimise   Σ_j V_j · Π_i (1 − p_ij)^{x_ij}
//! subject to Σ_j x_ij ≤ 1                 each ready weapon fires at most once this cycle
//!            Σ_i x_ij ≤ salvo             doctrine: at most a salvo per target
//!            Σ_ij x_ij ≤ G                free missile-guidance channels
//!            #{j : Σ_i x_ij > 0} ≤ T      free target channels
//!            x_ij = 0 where the shot is infeasible (p_ij = 0)
//! ```
//!
//! Three solvers, chosen by doctrine through [`CycleSolver`] and run by [`solve_cycle`]:
//!
//! - [`exact`]: depth-first branch and bound, proves the optimum unless its *node* budget runs
//!   out (the default, [`NODE_LIMIT`] nodes). The budget counts search nodes, not seconds, so the
//!   answer is the same bits on any machine under any load — a simulation run stays a pure
//!   function of its scenario and seed.
//! - [`greedy`]: maximum marginal return under the caps.
//! - [`local`]: greedy, then single-weapon moves (to another target or to hold) and swaps of two
//!   weapons' targets until none improves; never worse than greedy.
//!
//! Every answer reports a lower bound on the optimum: the exact search's own, or for the
//! heuristics the root bound of the search (each weapon's best single-shot reduction, the `G`
//! largest of them).
use serde::{Deserialize, Serialize};

mod exact;
mod greedy;
mod local;
mod problem;
#[cfg(test)]
mod tests;

pub use exact::{exact, NODE_LIMIT};
pub use greedy::greedy;
pub use local::local;
pub use problem::{is_feasible, objective, CycleAssignment, CycleProblem};

/// Which solver a command post runs on its cycle's assignment (doctrine). Written in lower case
/// in files: `"exact"`, `"greedy"`, `"local"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CycleSolver {
    /// Branch and bound within the deterministic node budget [`NODE_LIMIT`] ([`exact`]).
    #[default]
    Exact,
    /// Maximum marginal return ([`greedy`]).
    Greedy,
    /// Greedy improved by moves and swaps ([`local`]).
    Local,
}

/// Solves one cycle's assignment with `solver`.
pub fn solve_cycle(prob: &CycleProblem, solver: CycleSolver) -> CycleAssignment {
    match solver {
        CycleSolver::Exact => exact(prob, NODE_LIMIT),
        CycleSolver::Greedy => greedy(prob),
        CycleSolver::Local => local(prob),
    }
}
