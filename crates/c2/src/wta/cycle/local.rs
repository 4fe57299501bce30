//! Local search for the cycle assignment: from greedy, the best of all single-weapon moves (to
//! another target or to hold) and swaps of two weapons' targets is applied while it improves the
//! objective. Deterministic (ties: first in weapon order); never worse than greedy.
use super::greedy::greedy_targets;
use super::problem::{
    heuristic_answer, improves, is_feasible, objective, CycleAssignment, CycleProblem,
};

/// Greedy improved by moves and swaps until neither helps (module documentation). Its
/// `lower_bound` is the root bound of [`super::exact`].
pub fn local(prob: &CycleProblem) -> CycleAssignment {
    let mut target_of = greedy_targets(prob);
    let mut obj = objective(prob, &target_of);
    while let Some((better, better_obj)) = best_neighbour(prob, &target_of, obj) {
        target_of = better;
        obj = better_obj;
    }
    heuristic_answer(prob, target_of)
}

/// The best feasible neighbour of `target_of` (objective `obj`) if it improves on it.
fn best_neighbour(
    prob: &CycleProblem,
    target_of: &[Option<usize>],
    obj: f64,
) -> Option<(Vec<Option<usize>>, f64)> {
    let n_w = target_of.len();
    let choices = std::iter::once(None).chain((0..prob.values.len()).map(Some));
    let moves = (0..n_w).flat_map(|i| choices.clone().map(move |t| (i, t)));
    let mut best: Option<(Vec<Option<usize>>, f64)> = None;
    let mut consider = |cand: Vec<Option<usize>>| {
        let o = objective(prob, &cand);
        let bar = best.as_ref().map_or(obj, |b| b.1);
        if improves(o, bar) && is_feasible(prob, &cand) {
            best = Some((cand, o));
        }
    };
    for (i, t) in moves {
        if t != target_of[i] {
            let mut cand = target_of.to_vec();
            cand[i] = t;
            consider(cand);
        }
    }
    for i in 0..n_w {
        for k in i + 1..n_w {
            if target_of[i] != target_of[k] {
                let mut cand = target_of.to_vec();
                cand.swap(i, k);
                consider(cand);
            }
        }
    }
    best
}
