//! Greedy maximum marginal return (den Broeder, Ellison & Emerling 1959, "On optimum target
//! assignments", Operations Research 7(3):322–326).
use super::common::{WtaSolution, DEFAULT_REL_TOL};
use super::instance::WtaInstance;
use super::lagrangian::price_bound;
use std::time::Instant;

/// Maximum marginal return: repeatedly give the remaining weapon unit and target with the largest
/// decrease of expected surviving value, `S_j · p_ij` (`S_j` the current surviving value of target
/// `j`); ties go to the lowest type, then the lowest target. `O(W·m·n)` for `W` units.
///
/// Optimal when all weapons are identical (den Broeder et al. 1959: the objective is then a sum
/// of convex decreasing functions of the number of weapons per target, for which marginal
/// allocation is exact); `optimal` is set in that case. Otherwise `lower_bound` is the Lagrangian
/// bound (`wta/lagrangian.rs`) at prices read off the greedy solution (a few evaluations, always valid),
/// and `optimal` is set only if it closes the gap.
pub fn greedy(inst: &WtaInstance) -> WtaSolution {
    let start = Instant::now();
    let x = greedy_counts(inst);
    let objective = inst.objective_counts(&x);
    let identical = inst.identical_weapons();
    let lower_bound = if identical {
        objective
    } else {
        price_bound(inst, &x).min(objective)
    };
    WtaSolution {
        assignment: inst.counts_to_assignment(&x),
        objective,
        lower_bound,
        optimal: identical || objective - lower_bound <= DEFAULT_REL_TOL * objective,
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// Per-type counts `x[i][j]` of the greedy solution.
pub(crate) fn greedy_counts(inst: &WtaInstance) -> Vec<Vec<u32>> {
    let (m, n) = (inst.num_types(), inst.num_targets());
    let mut x = vec![vec![0u32; n]; m];
    let mut remaining = inst.units().to_vec();
    let mut survive = inst.values().to_vec();
    fill_greedy(inst, &mut x, &mut remaining, &mut survive);
    x
}

/// Assigns all `remaining` units by maximum marginal return on top of the current counts `x`,
/// whose surviving values are `survive`.
pub(crate) fn fill_greedy(
    inst: &WtaInstance,
    x: &mut [Vec<u32>],
    remaining: &mut [u32],
    survive: &mut [f64],
) {
    let p = inst.p();
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for (i, row) in p.iter().enumerate() {
            if remaining[i] == 0 {
                continue;
            }
            for (j, &pij) in row.iter().enumerate() {
                let gain = survive[j] * pij;
                if best.is_none_or(|(g, _, _)| gain > g) {
                    best = Some((gain, i, j));
                }
            }
        }
        let Some((_, i, j)) = best else { return };
        remaining[i] -= 1;
        x[i][j] += 1;
        survive[j] *= 1.0 - p[i][j];
    }
}
