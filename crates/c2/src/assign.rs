//! The weapon-target assignment a command post solves each decision cycle.
//!
//! Unlike the static WTA of [`crate::wta`], a fire unit may hold fire, and doctrine caps the
//! assignment:
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
//! Solved exactly by depth-first branch and bound over the weapons (most capable first), each
//! weapon trying its targets in order of marginal return and then "hold". The bound: a weapon
//! assigned later can lower the objective by at most `max_j r_j · p_ij`, where `r_j` is target
//! `j`'s current surviving value (which only falls as weapons are added), and at most `G − used`
//! more weapons can fire; the sum of the largest such reductions bounds what the rest of the
//! branch can achieve. The greedy maximum-marginal-return assignment is the first incumbent. A
//! node limit stops pathological cases: the answer then says `optimal = false` and gives the root
//! bound.
use serde::Serialize;

/// One cycle's assignment problem.
#[derive(Debug, Clone, PartialEq)]
pub struct CycleProblem {
    /// Value of each target (its threat score).
    pub values: Vec<f64>,
    /// `p[i][j]`: kill probability of weapon `i` against target `j` (0 = infeasible).
    pub p: Vec<Vec<f64>>,
    /// At most this many weapons per target.
    pub max_per_target: u32,
    /// At most this many weapons in all.
    pub max_weapons: u32,
    /// At most this many distinct targets.
    pub max_targets: u32,
}

/// The solution of a [`CycleProblem`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CycleAssignment {
    /// Target of each weapon (`None`: hold fire).
    pub target_of: Vec<Option<usize>>,
    /// Expected surviving value Σ V_j Π (1 − p_ij)^{x_ij}.
    pub objective: f64,
    /// Expected surviving value if nothing is fired (Σ V_j).
    pub objective_if_idle: f64,
    /// A lower bound on the optimum (equal to `objective` when proven optimal).
    pub lower_bound: f64,
    /// Whether the search finished (the assignment is optimal).
    pub optimal: bool,
    /// Branch-and-bound nodes visited.
    pub nodes: u64,
}

/// Nodes after which the search stops and reports the bound.
pub const NODE_LIMIT: u64 = 200_000;

struct Search<'a> {
    prob: &'a CycleProblem,
    order: Vec<usize>,
    residual: Vec<f64>,
    count: Vec<u32>,
    used: u32,
    targets_used: u32,
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

    fn can_assign(&self, j: usize) -> bool {
        self.count[j] < self.prob.max_per_target
            && self.used < self.prob.max_weapons
            && (self.count[j] > 0 || self.targets_used < self.prob.max_targets)
    }

    /// Largest total reduction the weapons `order[k..]` could still bring.
    fn bound_gain(&self, k: usize) -> f64 {
        let left = self.prob.max_weapons.saturating_sub(self.used) as usize;
        if left == 0 {
            return 0.0;
        }
        let mut gains: Vec<f64> = self.order[k..]
            .iter()
            .map(|&i| {
                self.prob.p[i]
                    .iter()
                    .zip(&self.residual)
                    .enumerate()
                    .filter(|(j, _)| self.count[*j] < self.prob.max_per_target)
                    .map(|(_, (p, r))| p * r)
                    .fold(0.0, f64::max)
            })
            .collect();
        if gains.len() > left {
            gains.sort_by(|a, b| b.total_cmp(a));
            gains.truncate(left);
        }
        gains.iter().sum()
    }

    fn dfs(&mut self, k: usize) {
        self.nodes += 1;
        if self.nodes > NODE_LIMIT {
            self.aborted = true;
            return;
        }
        let obj = self.objective();
        if obj < self.best_obj - 1e-12 * self.best_obj.max(1.0) {
            self.best_obj = obj;
            self.best = self.current.clone();
        }
        if k == self.order.len() {
            return;
        }
        if obj - self.bound_gain(k) >= self.best_obj - 1e-12 * self.best_obj.max(1.0) {
            return;
        }
        let i = self.order[k];
        let mut options: Vec<(f64, usize)> = self.prob.p[i]
            .iter()
            .enumerate()
            .filter(|&(j, &p)| p > 0.0 && self.can_assign(j))
            .map(|(j, &p)| (p * self.residual[j], j))
            .collect();
        options.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, j) in options {
            let saved = self.residual[j];
            self.residual[j] *= 1.0 - self.prob.p[i][j];
            if self.count[j] == 0 {
                self.targets_used += 1;
            }
            self.count[j] += 1;
            self.used += 1;
            self.current[i] = Some(j);
            self.dfs(k + 1);
            self.current[i] = None;
            self.used -= 1;
            self.count[j] -= 1;
            if self.count[j] == 0 {
                self.targets_used -= 1;
            }
            self.residual[j] = saved;
            if self.aborted {
                return;
            }
        }
        self.dfs(k + 1);
    }
}

/// Greedy maximum marginal return under the caps: repeatedly fire the (weapon, target) pair that
/// lowers the objective most, until no pair helps.
pub fn greedy(prob: &CycleProblem) -> Vec<Option<usize>> {
    let n_w = prob.p.len();
    let mut residual = prob.values.clone();
    let mut count = vec![0u32; prob.values.len()];
    let mut target_of = vec![None; n_w];
    let (mut used, mut targets_used) = (0u32, 0u32);
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for (i, row) in prob.p.iter().enumerate() {
            if target_of[i].is_some() {
                continue;
            }
            for (j, &p) in row.iter().enumerate() {
                let ok = p > 0.0
                    && count[j] < prob.max_per_target
                    && used < prob.max_weapons
                    && (count[j] > 0 || targets_used < prob.max_targets);
                let gain = p * residual[j];
                if ok && gain > 0.0 && best.is_none_or(|(g, _, _)| gain > g) {
                    best = Some((gain, i, j));
                }
            }
        }
        let Some((_, i, j)) = best else { break };
        residual[j] *= 1.0 - prob.p[i][j];
        if count[j] == 0 {
            targets_used += 1;
        }
        count[j] += 1;
        used += 1;
        target_of[i] = Some(j);
    }
    target_of
}

/// Expected surviving value of an assignment.
pub fn objective(prob: &CycleProblem, target_of: &[Option<usize>]) -> f64 {
    let mut residual = prob.values.clone();
    for (i, t) in target_of.iter().enumerate() {
        if let Some(j) = t {
            residual[*j] *= 1.0 - prob.p[i][*j];
        }
    }
    residual.iter().sum()
}

/// Solves one cycle's assignment exactly (see the module documentation).
pub fn solve_cycle(prob: &CycleProblem) -> CycleAssignment {
    let n_w = prob.p.len();
    let idle: f64 = prob.values.iter().sum();
    let start = greedy(prob);
    let start_obj = objective(prob, &start);
    let mut order: Vec<usize> = (0..n_w).collect();
    let best_p = |i: usize| prob.p[i].iter().copied().fold(0.0, f64::max);
    order.sort_by(|&a, &b| best_p(b).total_cmp(&best_p(a)).then(a.cmp(&b)));
    order.retain(|&i| best_p(i) > 0.0);
    let mut s = Search {
        prob,
        order,
        residual: prob.values.clone(),
        count: vec![0; prob.values.len()],
        used: 0,
        targets_used: 0,
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn brute(prob: &CycleProblem) -> f64 {
        let n_w = prob.p.len();
        let n_t = prob.values.len();
        let mut best = f64::INFINITY;
        let mut choice = vec![0usize; n_w]; // 0 = hold, j+1 = target j
        loop {
            let target_of: Vec<Option<usize>> = choice
                .iter()
                .map(|&c| if c == 0 { None } else { Some(c - 1) })
                .collect();
            let mut count = vec![0u32; n_t];
            let mut ok = true;
            for (i, t) in target_of.iter().enumerate() {
                if let Some(j) = t {
                    count[*j] += 1;
                    ok &= prob.p[i][*j] > 0.0;
                }
            }
            let used: u32 = count.iter().sum();
            let targets = count.iter().filter(|&&c| c > 0).count() as u32;
            ok &= count.iter().all(|&c| c <= prob.max_per_target)
                && used <= prob.max_weapons
                && targets <= prob.max_targets;
            if ok {
                best = best.min(objective(prob, &target_of));
            }
            // Next choice vector (odometer).
            let mut k = 0;
            loop {
                if k == n_w {
                    return best;
                }
                choice[k] += 1;
                if choice[k] <= n_t {
                    break;
                }
                choice[k] = 0;
                k += 1;
            }
        }
    }

    fn random(rng: &mut ChaCha8Rng) -> CycleProblem {
        let n_w = rng.random_range(1..=6);
        let n_t = rng.random_range(1..=4);
        CycleProblem {
            values: (0..n_t).map(|_| rng.random_range(0.1..10.0)).collect(),
            p: (0..n_w)
                .map(|_| {
                    (0..n_t)
                        .map(|_| {
                            if rng.random_bool(0.2) {
                                0.0
                            } else {
                                rng.random_range(0.05..0.95)
                            }
                        })
                        .collect()
                })
                .collect(),
            max_per_target: rng.random_range(1..=3),
            max_weapons: rng.random_range(1..=6),
            max_targets: rng.random_range(1..=4),
        }
    }

    #[test]
    fn equals_brute_force_with_caps_on_random_instances() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for case in 0..300 {
            let prob = random(&mut rng);
            let sol = solve_cycle(&prob);
            let bf = brute(&prob);
            assert!(sol.optimal, "case {case}");
            assert!(
                (sol.objective - bf).abs() <= 1e-9 * bf.max(1.0),
                "case {case}: {} vs brute force {bf}",
                sol.objective
            );
            assert!((objective(&prob, &sol.target_of) - sol.objective).abs() < 1e-12);
            assert!(sol.objective <= objective(&prob, &greedy(&prob)) + 1e-12);
        }
    }

    #[test]
    fn caps_are_respected_and_holding_is_allowed() {
        // Three strong weapons, one target, salvo 2: the third holds fire.
        let prob = CycleProblem {
            values: vec![1.0],
            p: vec![vec![0.8]; 3],
            max_per_target: 2,
            max_weapons: 10,
            max_targets: 10,
        };
        let sol = solve_cycle(&prob);
        assert_eq!(sol.target_of.iter().flatten().count(), 2);
        assert!((sol.objective - 0.04).abs() < 1e-12);
        // One guidance channel: a single shot, at the more valuable target.
        let prob = CycleProblem {
            values: vec![1.0, 3.0],
            p: vec![vec![0.8, 0.5], vec![0.8, 0.5]],
            max_per_target: 2,
            max_weapons: 1,
            max_targets: 2,
        };
        let sol = solve_cycle(&prob);
        assert_eq!(sol.target_of.iter().flatten().collect::<Vec<_>>(), [&1]);
    }

    #[test]
    fn greedy_trap_is_solved_exactly() {
        // Greedy gives weapon 0 (best everywhere) to target 0, which leaves weapon 1 (it can
        // reach only target 0) idle under a salvo of one; the optimum splits them.
        let prob = CycleProblem {
            values: vec![1.0, 1.0],
            p: vec![vec![0.9, 0.85], vec![0.5, 0.0]],
            max_per_target: 1,
            max_weapons: 2,
            max_targets: 2,
        };
        let g = objective(&prob, &greedy(&prob));
        let sol = solve_cycle(&prob);
        assert!(sol.objective < g - 1e-9);
        assert_eq!(sol.target_of, vec![Some(1), Some(0)]);
    }
}
