//! Exact static WTA: Lagrangian branch-and-bound.
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
//! maximised by projected subgradient ascent with Polyak steps towards the incumbent
//! (Held–Wolfe–Crowder 1974), warm-started from the prices of the incumbent (each weapon's
//! marginal contribution) and, in a child, from its parent's best prices.
//!
//! Subproblem search: a weapon `i` can be worth adding at surviving value `e` only if
//! `e·p_ij > λ_i` — and since `e` only falls as weapons are added, one that fails this test now
//! fails it in every completion (no optimal multiset contains it: removing it would not raise the
//! cost). Completions are bounded below by the continuous relaxation of the subproblem: with
//! `T = Σ x_i (−ln q_i)` the log-kill bought, `e·exp(−T)` plus the cheapest way to buy `T`, a
//! fractional knapsack by increasing price per unit of log-kill `λ_i / (−ln q_i)`, capped by the
//! units left. A subproblem whose search exceeds a node budget contributes this relaxation
//! instead of its optimum (valid, weaker; not seen on the public instances).
//!
//! ## Branching
//! Depth first on weapon types in a fixed order (largest single-shot value `max_j V_j p_ij` first);
//! one node fixes one unit of the type to a target, units of one type go to non-decreasing target
//! indices (no symmetric duplicates). Children are visited in order of a cheap bound — the
//! parent's `L` with only the chosen target's subproblem re-solved, valid because restricting the
//! other targets' subproblems can only raise them — and pruned when it reaches the incumbent.
//! Each visited node runs a few subgradient steps and is pruned once `L ≥ UB − tol`. Every
//! Lagrangian solution that uses no type more than available is completed greedily into a
//! feasible assignment (a primal heuristic); the first incumbent comes from [`local_search`](super::local_search).
//!
//! ## Tolerance and time limit
//! A node is pruned when its bound is within `rel_tol · UB` (default [`DEFAULT_REL_TOL`] = 1e-9)
//! of the incumbent, so `optimal` means `UB − LB ≤ rel_tol · UB`. When the time limit stops the
//! search, the bound of every node not yet explored is kept, and `lower_bound` is the smallest
//! bound over all pruned and unexplored nodes (never above the objective).
use super::local::{improve, LocalSearchConfig};
use super::{greedy::greedy_counts, WtaInstance, WtaSolution};
use rand::SeedableRng;
use std::time::Instant;

/// Default relative optimality tolerance.
pub const DEFAULT_REL_TOL: f64 = 1e-9;

/// Settings of [`solve_exact`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExactConfig {
    /// Wall-clock limit, s (the initial local search gets at most a tenth of it).
    pub time_limit_s: f64,
    /// Relative optimality tolerance: nodes within `rel_tol · UB` of the incumbent are pruned.
    pub rel_tol: f64,
    /// Seed of the initial local search.
    pub seed: u64,
    /// Initial local search.
    pub local: LocalSearchConfig,
    /// Subgradient steps at the root.
    pub root_iterations: usize,
    /// Subgradient steps at every other node.
    pub node_iterations: usize,
}

impl Default for ExactConfig {
    fn default() -> Self {
        ExactConfig {
            time_limit_s: 600.0,
            rel_tol: DEFAULT_REL_TOL,
            seed: 0,
            local: LocalSearchConfig::default(),
            root_iterations: 3000,
            node_iterations: 60,
        }
    }
}

/// Solves a WTA instance by Lagrangian branch-and-bound (see the [module](self) docs): proves
/// optimality within `cfg.rel_tol`, or returns the incumbent with a proven lower bound when the
/// time limit stops it.
pub fn solve_exact(inst: &WtaInstance, cfg: &ExactConfig) -> WtaSolution {
    let start = Instant::now();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(cfg.seed);
    let local_cfg = LocalSearchConfig {
        time_limit_s: cfg.local.time_limit_s.min(0.1 * cfg.time_limit_s),
        ..cfg.local
    };
    let x0 = improve(inst, greedy_counts(inst), &local_cfg, &mut rng, start);
    let mut bb = BranchAndBound::new(inst, x0, cfg, start);
    bb.run();
    let objective = inst.objective_counts(&bb.best);
    // The objective is a sum of non-negative terms, so 0 is always a bound.
    let lower_bound = bb.open_lb.min(objective).max(0.0);
    WtaSolution {
        assignment: inst.counts_to_assignment(&bb.best),
        objective,
        lower_bound,
        optimal: objective - lower_bound <= cfg.rel_tol * objective,
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// The Lagrangian bound at the marginal prices of the counts `x` (one evaluation; valid for any
/// prices). Used by the heuristics to report a lower bound.
pub(crate) fn price_bound(inst: &WtaInstance, x: &[Vec<u32>]) -> f64 {
    let prob = Problem::new(inst);
    let node = NodeState::root(inst);
    let lam = prices(&prob, x);
    let mut ev = Evaluator::new(&prob);
    ev.evaluate(&prob, &node, &lam, None);
    ev.l.max(0.0)
}

/// Marginal contribution of each type in the solution `x`: the surviving value its target would
/// regain without one unit of it, `S_j^{−i} p_ij` (maximum over the targets of the type; the
/// minimum lets one badly placed unit make its type free, and the first bound very weak).
fn prices(prob: &Problem, x: &[Vec<u32>]) -> Vec<f64> {
    let (m, n) = (prob.m, prob.n);
    let mut lam = vec![0.0f64; m];
    for j in 0..n {
        for i in 0..m {
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
            lam[i] = lam[i].max(s * prob.p[j * m + i]);
        }
    }
    lam
}

/// Instance data, target-major (`[j * m + i]`) for the per-target subproblems.
struct Problem {
    m: usize,
    n: usize,
    values: Vec<f64>,
    p: Vec<f64>,
    q: Vec<f64>,
    /// `−ln q_ij` (infinite when `p_ij = 1`).
    a: Vec<f64>,
}

impl Problem {
    fn new(inst: &WtaInstance) -> Self {
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
struct NodeState {
    /// Surviving value of each target after the fixed units.
    e0: Vec<f64>,
    /// Free units of each type.
    r: Vec<u32>,
    /// Free units of a type may only go to targets at or after this index (symmetry).
    min_t: Vec<usize>,
    /// Fixed counts `[i][j]`.
    fixed: Vec<Vec<u32>>,
}

impl NodeState {
    fn root(inst: &WtaInstance) -> Self {
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
struct Evaluator {
    ts: TargetSolver,
    phi: Vec<f64>,
    /// Lagrangian solution per target: `(type, units)`.
    x: Vec<Vec<(usize, u32)>>,
    /// Subgradient `Σ_j x_ij − r_i`.
    g: Vec<f64>,
    l: f64,
}

impl Evaluator {
    fn new(prob: &Problem) -> Self {
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
    fn evaluate(
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
    fn child_bound(
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

struct BranchAndBound<'a> {
    inst: &'a WtaInstance,
    prob: Problem,
    cfg: &'a ExactConfig,
    start: Instant,
    node: NodeState,
    ev: Evaluator,
    order: Vec<usize>,
    best: Vec<Vec<u32>>,
    ub: f64,
    /// Smallest bound of any pruned or unexplored node.
    open_lb: f64,
    timed_out: bool,
    deadline: Instant,
    nodes: u64,
}

impl<'a> BranchAndBound<'a> {
    fn new(inst: &'a WtaInstance, x0: Vec<Vec<u32>>, cfg: &'a ExactConfig, start: Instant) -> Self {
        let prob = Problem::new(inst);
        let (m, n) = (prob.m, prob.n);
        let mut order: Vec<usize> = (0..m).collect();
        let key = |i: usize| {
            (0..n)
                .map(|j| prob.values[j] * prob.p[j * m + i])
                .fold(0.0, f64::max)
        };
        order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
        let ub = inst.objective_counts(&x0);
        BranchAndBound {
            inst,
            ev: Evaluator::new(&prob),
            node: NodeState::root(inst),
            prob,
            cfg,
            start,
            order,
            best: x0,
            ub,
            open_lb: f64::INFINITY,
            timed_out: false,
            deadline: start + std::time::Duration::from_secs_f64(cfg.time_limit_s.clamp(0.0, 1e9)),
            nodes: 0,
        }
    }

    fn tol(&self) -> f64 {
        self.cfg.rel_tol * self.ub.abs()
    }

    fn out_of_time(&mut self) -> bool {
        if !self.timed_out && self.start.elapsed().as_secs_f64() > self.cfg.time_limit_s {
            self.timed_out = true;
        }
        self.timed_out
    }

    fn record(&mut self, bound: f64) {
        self.open_lb = self.open_lb.min(bound);
    }

    fn run(&mut self) {
        let lam = prices(&self.prob, &self.best);
        self.branch(lam, f64::NEG_INFINITY, true);
    }

    /// Completes the last Lagrangian solution into a feasible assignment and keeps it if better.
    fn primal(&mut self) {
        if self.ev.l == f64::NEG_INFINITY {
            // An evaluation cut short by the deadline: its solution is incomplete.
            return;
        }
        let (m, n) = (self.prob.m, self.prob.n);
        let mut x = self.node.fixed.clone();
        let mut remaining = self.node.r.clone();
        let over: Vec<bool> = (0..m).map(|i| self.ev.g[i] > 0.0).collect();
        for (j, xs) in self.ev.x.iter().enumerate() {
            for &(i, k) in xs {
                if !over[i] {
                    x[i][j] += k;
                    remaining[i] -= k;
                }
            }
        }
        let mut survive: Vec<f64> = (0..n)
            .map(|j| {
                let mut s = self.prob.values[j];
                for (i, row) in x.iter().enumerate() {
                    if row[j] > 0 {
                        s *= self.prob.q[j * m + i].powi(row[j] as i32);
                    }
                }
                s
            })
            .collect();
        super::greedy::fill_greedy(self.inst, &mut x, &mut remaining, &mut survive);
        let obj = self.inst.objective_counts(&x);
        if obj < self.ub {
            self.ub = obj;
            self.best = x;
        }
    }

    /// Projected subgradient ascent from `lam`; leaves the best prices in `lam` and the
    /// evaluation at them in `self.ev`. Returns the best bound.
    fn ascend(&mut self, lam: &mut Vec<f64>, iterations: usize, theta0: f64) -> f64 {
        let mut best_l = f64::NEG_INFINITY;
        let mut best_lam = lam.clone();
        let mut theta = theta0;
        let mut stall = 0;
        let patience = (iterations / 20).clamp(3, 30);
        let mut evaluated_best = false;
        for _ in 0..iterations.max(1) {
            self.ev
                .evaluate(&self.prob, &self.node, lam, Some(self.deadline));
            let l = self.ev.l;
            if l > best_l {
                best_l = l;
                best_lam.clone_from(lam);
                stall = 0;
                evaluated_best = true;
            } else {
                stall += 1;
                evaluated_best = false;
            }
            self.primal();
            if best_l >= self.ub - self.tol() || self.out_of_time() {
                break;
            }
            let mut norm2 = 0.0;
            for (g, &lm) in self.ev.g.iter_mut().zip(lam.iter()) {
                if lm <= 0.0 && *g < 0.0 {
                    *g = 0.0;
                }
                norm2 += *g * *g;
            }
            if norm2 == 0.0 {
                break;
            }
            if stall >= patience {
                theta *= 0.5;
                stall = 0;
                if theta < 1e-5 {
                    break;
                }
            }
            let step = theta * (self.ub - l) / norm2;
            for (lm, &g) in lam.iter_mut().zip(&self.ev.g) {
                *lm = (*lm + step * g).max(0.0);
            }
            evaluated_best = false;
        }
        lam.clone_from(&best_lam);
        if !evaluated_best {
            self.ev
                .evaluate(&self.prob, &self.node, lam, Some(self.deadline));
        }
        best_l
    }

    fn branch(&mut self, mut lam: Vec<f64>, est: f64, root: bool) {
        if self.out_of_time() {
            self.record(est);
            return;
        }
        self.nodes += 1;
        let Some(k) = self.order.iter().copied().find(|&i| self.node.r[i] > 0) else {
            let v: f64 = self.node.e0.iter().sum();
            if v < self.ub {
                self.ub = v;
                self.best = self.node.fixed.clone();
            }
            self.record(v);
            return;
        };
        let (iterations, theta) = if root {
            (self.cfg.root_iterations, 2.0)
        } else {
            (self.cfg.node_iterations, 0.5)
        };
        let l = self.ascend(&mut lam, iterations, theta).max(est);
        if l >= self.ub - self.tol() || self.timed_out {
            self.record(l);
            return;
        }
        let mut children: Vec<(f64, usize)> = (self.node.min_t[k]..self.prob.n)
            .map(|t| {
                let b = self.ev.child_bound(&self.prob, &self.node, &lam, k, t);
                (b.max(l), t)
            })
            .collect();
        children.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (b, t) in children {
            if b >= self.ub - self.tol() || self.out_of_time() {
                self.record(b);
                break;
            }
            let m = self.prob.m;
            let (old_e, old_min) = (self.node.e0[t], self.node.min_t[k]);
            self.node.e0[t] *= self.prob.q[t * m + k];
            self.node.r[k] -= 1;
            self.node.min_t[k] = t;
            self.node.fixed[k][t] += 1;
            self.branch(lam.clone(), b, false);
            self.node.e0[t] = old_e;
            self.node.r[k] += 1;
            self.node.min_t[k] = old_min;
            self.node.fixed[k][t] -= 1;
        }
    }
}
