//! The Lagrangian lower bound of the static WTA, shared by every solver: the exact solver
//! branches on it, greedy and the local search report it as their `lower_bound`.
//!
//! ## Bound
//! Relax the weapon constraints `Σ_j x_ij ≤ r_i` (`r_i` free units of type `i`; `≤` is enough,
//! since an extra weapon never raises the objective) with prices `λ_i ≥ 0`:
//!
//! `L(λ) = Σ_j φ_j(λ) − Σ_i λ_i r_i`, `φ_j(λ) = min_{x_j ∈ {0..r_i}^m} E_j Π_i q_ij^{x_ij} + Σ_i λ_i x_ij`,
//!
//! where `E_j` is the surviving value of target `j` after the weapons already fixed, and
//! `q = 1 − p`. Every `λ ≥ 0` gives a valid lower bound. Each target's subproblem `φ_j` is an
//! integer problem solved *exactly* (depth-first search, below), so the Lagrangian dual equals the
//! linear relaxation of the set-partitioning (column) formulation in which each target chooses one
//! multiset of weapons — the strongest of the classical WTA relaxations, stronger than the convex
//! (log-linear) relaxation used by outer approximation, which lets weapons split. The dual is
//! maximised by the volume algorithm (Barahona & Anbil 2000; see `BranchAndBound::ascend`),
//! a subgradient method with Polyak steps towards the incumbent from the best prices so far along
//! an average of subgradients. At the root it starts from the best of three price vectors read
//! off the incumbent (`price_candidates`): the largest gain of one more unit of each type
//! anywhere, `max_k S_k p_ik`, is the one that matters — the loss of removing a unit (the old
//! start) overprices every type when targets hold several units, and left `L` negative for
//! thousands of steps on `wta_200x400x3`. A child starts from its parent's best prices.
//!
//! Subproblem search: a weapon `i` can be worth adding at surviving value `e` only if
//! `e·p_ij > λ_i` — and since `e` only falls as weapons are added, one that fails this test now
//! fails it in every completion (no optimal multiset contains it: removing it would not raise the
//! cost). Completions are bounded below by the continuous relaxation of the subproblem: with
//! `T = Σ x_i (−ln q_i)` the log-kill bought, `e·exp(−T)` plus the cheapest way to buy `T`, a
//! fractional knapsack by increasing price per unit of log-kill `λ_i / (−ln q_i)`, capped by the
//! units left. A subproblem whose search exceeds a node budget contributes this relaxation
//! instead of its optimum (valid, weaker; not seen on the public instances).
use super::instance::WtaInstance;
use std::time::Instant;

/// The Lagrangian bound at the marginal prices of the counts `x` (one evaluation; valid for any
/// prices). Used by the heuristics to report a lower bound.
pub(crate) fn price_bound(inst: &WtaInstance, x: &[Vec<u32>]) -> f64 {
    let prob = Problem::new(inst);
    let node = NodeState::root(inst);
    let mut ev = Evaluator::new(&prob);
    let mut best = 0.0f64;
    for lam in price_candidates(&prob, x) {
        ev.evaluate(&prob, &node, &lam, None);
        best = best.max(ev.l);
    }
    best
}

/// Candidate starting prices read off the solution `x`. For `x` to solve every target's
/// subproblem, type `i`'s price must lie between the largest gain of adding one more unit of it
/// anywhere, `a_i = max_k S_k p_ik`, and the smallest loss of removing one of its units,
/// `d_i = min_j S_j^{−i} p_ij` (`S_j^{−i}` the surviving value of `j` without that unit). The
/// candidates are `a`, the midpoint of `a` and `d` (where `a ≤ d`, else `a`), and the largest
/// loss `max_j S_j^{−i} p_ij` (the old start: weak on multi-unit instances, where it overprices
/// every type).
pub(super) fn price_candidates(prob: &Problem, x: &[Vec<u32>]) -> Vec<Vec<f64>> {
    let (m, n) = (prob.m, prob.n);
    let mut survive = prob.values.clone();
    for (j, s) in survive.iter_mut().enumerate() {
        for (i, row) in x.iter().enumerate() {
            if row[j] > 0 {
                *s *= prob.q[j * m + i].powi(row[j] as i32);
            }
        }
    }
    let mut add = vec![0.0f64; m];
    let mut dmin = vec![f64::INFINITY; m];
    let mut dmax = vec![0.0f64; m];
    for j in 0..n {
        for i in 0..m {
            add[i] = add[i].max(survive[j] * prob.p[j * m + i]);
            if x[i][j] == 0 {
                continue;
            }
            let mut s = prob.values[j];
            for (h, row) in x.iter().enumerate() {
                let c = if h == i { row[j] - 1 } else { row[j] };
                if c > 0 {
                    s *= prob.q[j * m + h].powi(c as i32);
                }
            }
            let d = s * prob.p[j * m + i];
            dmin[i] = dmin[i].min(d);
            dmax[i] = dmax[i].max(d);
        }
    }
    let mid = (0..m)
        .map(|i| {
            if dmin[i].is_finite() && dmin[i] >= add[i] {
                0.5 * (add[i] + dmin[i])
            } else {
                add[i]
            }
        })
        .collect();
    vec![add, mid, dmax]
}

/// Instance data, target-major (`[j * m + i]`) for the per-target subproblems.
pub(super) struct Problem {
    pub(super) m: usize,
    pub(super) n: usize,
    pub(super) values: Vec<f64>,
    pub(super) p: Vec<f64>,
    pub(super) q: Vec<f64>,
    /// `−ln q_ij` (infinite when `p_ij = 1`).
    a: Vec<f64>,
}

impl Problem {
    pub(super) fn new(inst: &WtaInstance) -> Self {
        let (m, n) = (inst.num_types(), inst.num_targets());
        let mut p = vec![0.0; m * n];
        for (i, row) in inst.p().iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                p[j * m + i] = v;
            }
        }
        let q: Vec<f64> = p.iter().map(|v| 1.0 - v).collect();
        let a = q.iter().map(|v| -v.ln()).collect();
        Problem {
            m,
            n,
            values: inst.values().to_vec(),
            p,
            q,
            a,
        }
    }
}

/// What is fixed at a node.
#[derive(Debug, Clone)]
pub(super) struct NodeState {
    /// Surviving value of each target after the fixed units.
    pub(super) e0: Vec<f64>,
    /// Free units of each type.
    pub(super) r: Vec<u32>,
    /// Free units of a type may only go to targets at or after this index (symmetry).
    pub(super) min_t: Vec<usize>,
    /// Fixed counts `[i][j]`.
    pub(super) fixed: Vec<Vec<u32>>,
}

impl NodeState {
    pub(super) fn root(inst: &WtaInstance) -> Self {
        NodeState {
            e0: inst.values().to_vec(),
            r: inst.units().to_vec(),
            min_t: vec![0; inst.num_types()],
            fixed: vec![vec![0; inst.num_targets()]; inst.num_types()],
        }
    }
    fn cap(&self, i: usize, j: usize) -> u32 {
        if j >= self.min_t[i] {
            self.r[i]
        } else {
            0
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Cand {
    i: usize,
    p: f64,
    q: f64,
    lam: f64,
    cap: u32,
    /// `λ_i / (−ln q_ij)`: price of one unit of log-kill.
    ratio: f64,
}

/// Search nodes allowed per subproblem; beyond it the subproblem's relaxation bound is used
/// instead of its optimum (still a valid bound, only weaker).
const SUBPROBLEM_BUDGET: usize = 50_000;

/// Exact solver of one target's subproblem `min E Π q^x + λ·x`.
#[derive(Default)]
struct TargetSolver {
    cands: Vec<Cand>,
    /// Candidate indices by increasing `ratio`.
    by_ratio: Vec<usize>,
    count: Vec<u32>,
    best: f64,
    best_count: Vec<u32>,
    visited: usize,
}

impl TargetSolver {
    /// Solves with the candidates in `self.cands`; returns a lower bound on the optimum, equal to
    /// it unless the search budget ran out. The best solution found is in `best`/`best_count`.
    fn solve(&mut self, e0: f64) -> f64 {
        let k = self.cands.len();
        self.best = e0;
        self.best_count.clear();
        self.best_count.resize(k, 0);
        if k == 0 {
            return e0;
        }
        self.cands
            .sort_by(|a, b| (e0 * b.p - b.lam).total_cmp(&(e0 * a.p - a.lam)));
        self.by_ratio.clear();
        self.by_ratio.extend(0..k);
        let cands = &self.cands;
        self.by_ratio
            .sort_by(|&a, &b| cands[a].ratio.total_cmp(&cands[b].ratio));
        self.count.clear();
        self.count.resize(k, 0);
        self.visited = 0;
        self.dfs(0, e0, 0.0);
        if self.visited > SUBPROBLEM_BUDGET {
            self.relaxed(0, e0).min(self.best)
        } else {
            self.best
        }
    }

    /// Lower bound on `e·Π q^x + λ·x` over the units still available among candidates `from..`:
    /// the continuous relaxation, a fractional knapsack of log-kill `−ln q` bought cheapest
    /// `ratio` first while its marginal value `e·exp(−T)` exceeds its price.
    fn relaxed(&self, from: usize, e: f64) -> f64 {
        let mut e = e;
        let mut cost = 0.0;
        for &s in &self.by_ratio {
            if s < from {
                continue;
            }
            let c = self.cands[s];
            let left = c.cap - self.count[s];
            if left == 0 {
                continue;
            }
            if c.ratio <= 0.0 {
                e *= c.q.powi(left as i32);
                continue;
            }
            if e <= c.ratio {
                break;
            }
            let need = (e / c.ratio).ln();
            let avail = -(c.q.ln()) * left as f64;
            if need <= avail {
                cost += c.ratio * need;
                e = c.ratio;
                break;
            }
            cost += c.ratio * avail;
            e *= c.q.powi(left as i32);
        }
        e + cost
    }

    fn dfs(&mut self, start: usize, e: f64, c: f64) {
        self.visited += 1;
        let v = e + c;
        if v < self.best {
            self.best = v;
            self.best_count.copy_from_slice(&self.count);
        }
        if self.visited > SUBPROBLEM_BUDGET {
            return;
        }
        for t in start..self.cands.len() {
            // The relaxation only loses candidates as t grows, so the first failure ends the loop.
            if c + self.relaxed(t, e) >= self.best {
                break;
            }
            let cd = self.cands[t];
            if self.count[t] >= cd.cap || e * cd.p <= cd.lam {
                continue;
            }
            self.count[t] += 1;
            self.dfs(t, e * cd.q, c + cd.lam);
            self.count[t] -= 1;
        }
    }
}

/// Evaluates `L(λ)` at a node, keeping each target's `φ_j` and solution.
pub(super) struct Evaluator {
    ts: TargetSolver,
    phi: Vec<f64>,
    /// Lagrangian solution per target: `(type, units)`.
    pub(super) x: Vec<Vec<(usize, u32)>>,
    /// Subgradient `Σ_j x_ij − r_i`.
    pub(super) g: Vec<f64>,
    pub(super) l: f64,
}

impl Evaluator {
    pub(super) fn new(prob: &Problem) -> Self {
        Evaluator {
            ts: TargetSolver::default(),
            phi: vec![0.0; prob.n],
            x: vec![Vec::new(); prob.n],
            g: vec![0.0; prob.m],
            l: 0.0,
        }
    }

    /// Fills `ts.cands` for target `j` (type `forced` gets one unit fewer).
    fn candidates(
        &mut self,
        prob: &Problem,
        node: &NodeState,
        lam: &[f64],
        j: usize,
        e0: f64,
        forced: Option<usize>,
    ) {
        let m = prob.m;
        self.ts.cands.clear();
        for (i, &lam_i) in lam.iter().enumerate() {
            let mut cap = node.cap(i, j);
            if forced == Some(i) {
                cap -= 1;
            }
            let p = prob.p[j * m + i];
            if cap == 0 || e0 * p <= lam_i {
                continue;
            }
            self.ts.cands.push(Cand {
                i,
                p,
                q: prob.q[j * m + i],
                lam: lam_i,
                cap,
                ratio: lam_i / prob.a[j * m + i],
            });
        }
    }

    /// Evaluates `L(λ)`; if `deadline` passes part-way, `l` is `−∞` (no bound).
    pub(super) fn evaluate(
        &mut self,
        prob: &Problem,
        node: &NodeState,
        lam: &[f64],
        deadline: Option<Instant>,
    ) {
        for (g, &r) in self.g.iter_mut().zip(&node.r) {
            *g = -(r as f64);
        }
        let mut l: f64 = -lam
            .iter()
            .zip(&node.r)
            .map(|(l, &r)| l * r as f64)
            .sum::<f64>();
        for j in 0..prob.n {
            if j % 16 == 0 && deadline.is_some_and(|d| Instant::now() > d) {
                self.l = f64::NEG_INFINITY;
                return;
            }
            let e0 = node.e0[j];
            self.candidates(prob, node, lam, j, e0, None);
            let phi = self.ts.solve(e0);
            self.phi[j] = phi;
            l += phi;
            self.x[j].clear();
            for (c, &k) in self.ts.cands.iter().zip(&self.ts.best_count) {
                if k > 0 {
                    self.x[j].push((c.i, k));
                    self.g[c.i] += k as f64;
                }
            }
        }
        self.l = l;
    }

    /// Cheap bound of the child that fixes one unit of type `k` to target `t`, from the last
    /// evaluation at `lam`.
    pub(super) fn child_bound(
        &mut self,
        prob: &Problem,
        node: &NodeState,
        lam: &[f64],
        k: usize,
        t: usize,
    ) -> f64 {
        let e0 = node.e0[t] * prob.q[t * prob.m + k];
        self.candidates(prob, node, lam, t, e0, Some(k));
        let phi_t = self.ts.solve(e0);
        self.l - self.phi[t] + phi_t + lam[k]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wta::common::next_odometer;
    use crate::wta::greedy::greedy_counts;
    use crate::wta::tests::{brute_force, tiny_instance};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Random prices: a fifth at 0, the rest up to the largest target value.
    fn random_prices(rng: &mut ChaCha8Rng, inst: &WtaInstance) -> Vec<f64> {
        let vmax = inst.values().iter().fold(0.0f64, |a, &b| a.max(b));
        (0..inst.num_types())
            .map(|_| {
                if rng.random_range(0..5) == 0 {
                    0.0
                } else {
                    rng.random_range(0.0..=vmax)
                }
            })
            .collect()
    }

    #[test]
    fn lagrangian_bound_is_at_most_the_optimum_at_any_prices() {
        let mut rng = ChaCha8Rng::seed_from_u64(36);
        for case in 0..300 {
            let inst = tiny_instance(&mut rng);
            let opt = brute_force(&inst);
            let prob = Problem::new(&inst);
            let node = NodeState::root(&inst);
            let mut ev = Evaluator::new(&prob);
            let mut prices = price_candidates(&prob, &greedy_counts(&inst));
            prices.extend((0..20).map(|_| random_prices(&mut rng, &inst)));
            for lam in &prices {
                ev.evaluate(&prob, &node, lam, None);
                assert!(
                    ev.l <= opt * (1.0 + 1e-12) + 1e-12,
                    "case {case}: L({lam:?}) = {} > optimum {opt} on {inst:?}",
                    ev.l
                );
            }
            assert!(price_bound(&inst, &greedy_counts(&inst)) <= opt * (1.0 + 1e-12) + 1e-12);
        }
    }

    /// The cheap child bound used to order and prune children never exceeds the optimum of the
    /// child: one unit of type `k` on target `t`, the type's other units on targets `≥ t`.
    #[test]
    fn child_bound_is_at_most_the_child_optimum() {
        let mut rng = ChaCha8Rng::seed_from_u64(37);
        for case in 0..150 {
            let inst = tiny_instance(&mut rng);
            let (w, n) = (inst.num_weapons(), inst.num_targets());
            let types = inst.weapon_types();
            // Child optima by brute force: min target of type k's units is t.
            let m = inst.num_types();
            let mut child_opt = vec![f64::INFINITY; m * n];
            let mut a = vec![0usize; w];
            loop {
                let obj = inst.objective(&a).unwrap();
                for k in 0..m {
                    if let Some(t) = (0..w).filter(|&u| types[u] == k).map(|u| a[u]).min() {
                        child_opt[k * n + t] = child_opt[k * n + t].min(obj);
                    }
                }
                if !next_odometer(&mut a, n) {
                    break;
                }
            }
            let prob = Problem::new(&inst);
            let node = NodeState::root(&inst);
            let mut ev = Evaluator::new(&prob);
            for _ in 0..5 {
                let lam = random_prices(&mut rng, &inst);
                ev.evaluate(&prob, &node, &lam, None);
                for k in (0..m).filter(|&k| inst.units()[k] > 0) {
                    for t in 0..n {
                        let b = ev.child_bound(&prob, &node, &lam, k, t);
                        let want = child_opt[k * n + t];
                        assert!(
                            b <= want * (1.0 + 1e-12) + 1e-12,
                            "case {case}: child ({k}, {t}) bound {b} > its optimum {want}"
                        );
                    }
                }
            }
        }
    }
}
