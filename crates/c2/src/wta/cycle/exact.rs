//! Exact cycle assignment: depth-first branch and bound over the weapons (most capable first),
//! each weapon trying its targets in order of marginal return and then "hold". The bound: a
//! weapon assigned later can lower the objective by at most `max_j r_j · p_ij`, where `r_j` is
//! target `j`'s current surviving value (which only falls as weapons are added), and at most
//! `G − used` more weapons can fire; the sum of the largest such reductions bounds what the rest
//! of the branch can achieve. The greedy assignment is the first incumbent.
//!
//! A budget of search nodes stops pathological cases: the answer then says `optimal = false`
//! and gives the root bound. The budget counts nodes, never time, so results do not depend on
//! the machine or its load.
use super::greedy::greedy_targets;
use super::problem::{
    bound_gain, improves, objective, weapon_order, Caps, CycleAssignment, CycleProblem,
};

/// Default node budget of [`exact`] (the one doctrine's [`super::CycleSolver::Exact`] uses).
pub const NODE_LIMIT: u64 = 200_000;

struct Search<'a> {
    prob: &'a CycleProblem,
    node_limit: u64,
    order: Vec<usize>,
    residual: Vec<f64>,
    caps: Caps,
    current: Vec<Option<usize>>,
    best: Vec<Option<usize>>,
    best_obj: f64,
    nodes: u64,
    aborted: bool,
}

impl Search<'_> {
    fn objective(&self) -> f64 {
        self.residual.iter().sum()
    }

    /// Largest total reduction the weapons `order[k..]` could still bring.
    fn bound_gain(&self, k: usize) -> f64 {
        bound_gain(self.prob, &self.order[k..], &self.residual, &self.caps)
    }

    fn dfs(&mut self, k: usize) {
        self.nodes += 1;
        if self.nodes > self.node_limit {
            self.aborted = true;
            return;
        }
        let obj = self.objective();
        if improves(obj, self.best_obj) {
            self.best_obj = obj;
            self.best = self.current.clone();
        }
        if k == self.order.len() {
            return;
        }
        if !improves(obj - self.bound_gain(k), self.best_obj) {
            return;
        }
        let i = self.order[k];
        let mut options: Vec<(f64, usize)> = self.prob.p[i]
            .iter()
            .enumerate()
            .filter(|&(j, &p)| p > 0.0 && self.caps.allows(self.prob, j))
            .map(|(j, &p)| (p * self.residual[j], j))
            .collect();
        options.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, j) in options {
            let saved = self.residual[j];
            self.residual[j] *= 1.0 - self.prob.p[i][j];
            self.caps.add(j);
            self.current[i] = Some(j);
            self.dfs(k + 1);
            self.current[i] = None;
            self.caps.remove(j);
            self.residual[j] = saved;
            if self.aborted {
                return;
            }
        }
        self.dfs(k + 1);
    }
}

/// Solves one cycle's assignment by branch and bound (see the module documentation) within
/// `node_limit` search nodes: optimal when the search finishes, else the best assignment found
/// with the root bound.
pub fn exact(prob: &CycleProblem, node_limit: u64) -> CycleAssignment {
    let n_w = prob.p.len();
    let idle: f64 = prob.values.iter().sum();
    let start = greedy_targets(prob);
    let start_obj = objective(prob, &start);
    let mut s = Search {
        prob,
        node_limit,
        order: weapon_order(prob),
        residual: prob.values.clone(),
        caps: Caps::new(prob.values.len()),
        current: vec![None; n_w],
        best: start,
        best_obj: start_obj,
        nodes: 0,
        aborted: false,
    };
    let root_bound = (idle - s.bound_gain(0)).max(0.0);
    s.dfs(0);
    let optimal = !s.aborted;
    CycleAssignment {
        objective: s.best_obj,
        objective_if_idle: idle,
        lower_bound: if optimal {
            s.best_obj
        } else {
            root_bound.min(s.best_obj)
        },
        optimal,
        nodes: s.nodes,
        target_of: s.best,
    }
}
