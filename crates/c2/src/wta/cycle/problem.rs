//! The cycle problem and what its solvers share: the assignment type, the objective, the caps'
//! bookkeeping, the branching order and the root bound.
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
    /// Whether the assignment is proven optimal (the search finished, or a heuristic's answer
    /// meets the bound).
    pub optimal: bool,
    /// Branch-and-bound nodes visited (0 for the heuristics).
    pub nodes: u64,
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

/// Whether an assignment (target of each weapon) is feasible: one entry per weapon, targets that
/// exist, only feasible shots (`p > 0`), and within every cap.
pub fn is_feasible(prob: &CycleProblem, target_of: &[Option<usize>]) -> bool {
    if target_of.len() != prob.p.len() {
        return false;
    }
    let mut caps = Caps::new(prob.values.len());
    for (i, t) in target_of.iter().enumerate() {
        let Some(j) = *t else { continue };
        if j >= prob.values.len() || prob.p[i][j] <= 0.0 || !caps.allows(prob, j) {
            return false;
        }
        caps.add(j);
    }
    true
}

/// The shots booked so far against the caps of a [`CycleProblem`].
#[derive(Debug, Clone)]
pub(super) struct Caps {
    /// Weapons on each target.
    count: Vec<u32>,
    /// Weapons firing.
    used: u32,
    /// Targets with at least one weapon.
    targets_used: u32,
}

impl Caps {
    pub(super) fn new(targets: usize) -> Self {
        Caps {
            count: vec![0; targets],
            used: 0,
            targets_used: 0,
        }
    }

    /// Whether target `j` is below its salvo.
    pub(super) fn below_salvo(&self, prob: &CycleProblem, j: usize) -> bool {
        self.count[j] < prob.max_per_target
    }

    /// Whether one more weapon may fire at target `j`.
    pub(super) fn allows(&self, prob: &CycleProblem, j: usize) -> bool {
        self.below_salvo(prob, j)
            && self.used < prob.max_weapons
            && (self.count[j] > 0 || self.targets_used < prob.max_targets)
    }

    pub(super) fn add(&mut self, j: usize) {
        if self.count[j] == 0 {
            self.targets_used += 1;
        }
        self.count[j] += 1;
        self.used += 1;
    }

    pub(super) fn remove(&mut self, j: usize) {
        self.used -= 1;
        self.count[j] -= 1;
        if self.count[j] == 0 {
            self.targets_used -= 1;
        }
    }
}

/// Weapons that can fire at all, most capable (largest single-shot `p`) first, ties by index:
/// the branching order of [`exact`].
pub(super) fn weapon_order(prob: &CycleProblem) -> Vec<usize> {
    let mut order: Vec<usize> = (0..prob.p.len()).collect();
    let best_p = |i: usize| prob.p[i].iter().copied().fold(0.0, f64::max);
    order.sort_by(|&a, &b| best_p(b).total_cmp(&best_p(a)).then(a.cmp(&b)));
    order.retain(|&i| best_p(i) > 0.0);
    order
}

/// Largest total reduction of the objective the `weapons` could still bring from surviving
/// values `residual`: each weapon's best `p_ij · r_j` over targets below their salvo (`r_j` only
/// falls as weapons are added), the largest `G − used` of them.
pub(super) fn bound_gain(
    prob: &CycleProblem,
    weapons: &[usize],
    residual: &[f64],
    caps: &Caps,
) -> f64 {
    let left = prob.max_weapons.saturating_sub(caps.used) as usize;
    if left == 0 {
        return 0.0;
    }
    let mut gains: Vec<f64> = weapons
        .iter()
        .map(|&i| {
            prob.p[i]
                .iter()
                .zip(residual)
                .enumerate()
                .filter(|(j, _)| caps.below_salvo(prob, *j))
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

/// Whether `obj` is below `best` by more than rounding (relative 1e-12, absolute below 1).
pub(super) fn improves(obj: f64, best: f64) -> bool {
    obj < best - 1e-12 * best.max(1.0)
}

/// The answer of a heuristic: its objective and the root bound of the search.
pub(super) fn heuristic_answer(
    prob: &CycleProblem,
    target_of: Vec<Option<usize>>,
) -> CycleAssignment {
    let idle: f64 = prob.values.iter().sum();
    let caps = Caps::new(prob.values.len());
    let root = (idle - bound_gain(prob, &weapon_order(prob), &prob.values, &caps)).max(0.0);
    let objective = objective(prob, &target_of);
    let lower_bound = root.min(objective);
    CycleAssignment {
        optimal: !improves(lower_bound, objective),
        target_of,
        objective,
        objective_if_idle: idle,
        lower_bound,
        nodes: 0,
    }
}
