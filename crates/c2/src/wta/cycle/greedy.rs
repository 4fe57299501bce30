//! Greedy cycle assignment: maximum marginal return under the caps.
use super::problem::{heuristic_answer, Caps, CycleAssignment, CycleProblem};

/// Greedy maximum marginal return under the caps: repeatedly fire the (weapon, target) pair that
/// lowers the objective most (ties: lowest weapon, then lowest target), until no pair helps.
/// Its `lower_bound` is the root bound of [`super::exact`].
pub fn greedy(prob: &CycleProblem) -> CycleAssignment {
    heuristic_answer(prob, greedy_targets(prob))
}

/// The target of each weapon under greedy maximum marginal return.
pub(super) fn greedy_targets(prob: &CycleProblem) -> Vec<Option<usize>> {
    let mut residual = prob.values.clone();
    let mut caps = Caps::new(prob.values.len());
    let mut target_of = vec![None; prob.p.len()];
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for (i, row) in prob.p.iter().enumerate() {
            if target_of[i].is_some() {
                continue;
            }
            for (j, &p) in row.iter().enumerate() {
                let gain = p * residual[j];
                if p > 0.0
                    && caps.allows(prob, j)
                    && gain > 0.0
                    && best.is_none_or(|(g, _, _)| gain > g)
                {
                    best = Some((gain, i, j));
                }
            }
        }
        let Some((_, i, j)) = best else { break };
        residual[j] *= 1.0 - prob.p[i][j];
        caps.add(j);
        target_of[i] = Some(j);
    }
    target_of
}
