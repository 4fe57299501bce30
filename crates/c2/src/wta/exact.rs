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
//!
//! ## Branching
//! Depth first on weapon types in a fixed order (largest single-shot value `max_j V_j p_ij` first);
//! one node fixes one unit of the type to a target, units of one type go to non-decreasing target
//! indices (no symmetric duplicates). Children are visited in order of a cheap bound — the
//! parent's `L` with only the chosen target's subproblem re-solved, valid because restricting the
//! other targets' subproblems can only raise them — and pruned when it reaches the incumbent.
//! Each visited node runs a few ascent steps and is pruned once `L ≥ UB − tol`.
//!
//! ## Upper bound
//! The first incumbent comes from a short run of the VLSN local search ([`super::local_search`])
//! from greedy. Every Lagrangian solution is then made feasible — types used more than available
//! give up the units whose removal costs least, free units are placed greedily — and, if it is a
//! new incumbent or within [`ExactConfig::polish_gap`] of it, polished by the local search's
//! descent. Bursts of iterated local search from the incumbent run whenever they and the
//! polishing have had less than [`ExactConfig::heuristic_share`] of the elapsed time.
//!
//! ## Tolerance and time limit
//! A node is pruned when its bound is within `rel_tol · UB` (default [`DEFAULT_REL_TOL`] = 1e-9)
//! of the incumbent, so `optimal` means `UB − LB ≤ rel_tol · UB`. When the time limit stops the
//! search, the bound of every node not yet explored is kept, and `lower_bound` is the smallest
//! bound over all pruned and unexplored nodes (never above the objective). The root's first
//! candidate prices are always evaluated in full, so the bound is at least `L` there even when
//! the limit is shorter than one ascent step.
use super::local::{Improver, LocalSearchConfig};
use super::{greedy::greedy_counts, WtaInstance, WtaSolution};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::time::{Duration, Instant};

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.clamp(0.0, 1e9))
}

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
    /// Initial local search (its `iterations` and `time_limit_s`, capped at a tenth of the time
    /// limit; `kick` and `max_cycle` also serve the later bursts and polishing).
    pub local: LocalSearchConfig,
    /// Subgradient steps at the root.
    pub root_iterations: usize,
    /// Subgradient steps at every other node.
    pub node_iterations: usize,
    /// Share of the elapsed time given to bursts of local search from the incumbent during the
    /// branch-and-bound (0 disables them).
    pub heuristic_share: f64,
    /// Lagrangian primal solutions within this relative distance of the incumbent are polished
    /// by the local search's descent.
    pub polish_gap: f64,
}

impl Default for ExactConfig {
    fn default() -> Self {
        ExactConfig {
            time_limit_s: 600.0,
            rel_tol: DEFAULT_REL_TOL,
            seed: 0,
            local: LocalSearchConfig {
                iterations: 10,
                ..LocalSearchConfig::default()
            },
            root_iterations: 3000,
            node_iterations: 60,
            heuristic_share: 0.2,
            polish_gap: 0.01,
        }
    }
}

/// Solves a WTA instance by Lagrangian branch-and-bound (see the [module](self) docs): proves
/// optimality within `cfg.rel_tol`, or returns the incumbent with a proven lower bound when the
/// time limit stops it.
pub fn solve_exact(inst: &WtaInstance, cfg: &ExactConfig) -> WtaSolution {
    let start = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let local_cfg = LocalSearchConfig {
        time_limit_s: cfg.local.time_limit_s.min(0.1 * cfg.time_limit_s),
        ..cfg.local
    };
    let mut improver = Improver::new(inst, cfg.local.max_cycle);
    let x0 = improver.iterate(
        &greedy_counts(inst),
        local_cfg.iterations,
        local_cfg.kick,
        &mut rng,
        Some(start + secs(local_cfg.time_limit_s)),
    );
    let mut bb = BranchAndBound::new(inst, x0, cfg, start, improver, rng);
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
fn price_candidates(prob: &Problem, x: &[Vec<u32>]) -> Vec<Vec<f64>> {
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

/// FNV-1a hash of per-type counts.
fn hash_counts(x: &[Vec<u32>]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &c in x.iter().flatten() {
        h = (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
    }
    h
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
    improver: Improver,
    rng: ChaCha8Rng,
    /// Time spent in local-search bursts.
    heuristic_s: f64,
    /// Hashes of the last primal solutions polished (the ascent often repeats one).
    recent: Vec<u64>,
}

impl<'a> BranchAndBound<'a> {
    fn new(
        inst: &'a WtaInstance,
        x0: Vec<Vec<u32>>,
        cfg: &'a ExactConfig,
        start: Instant,
        improver: Improver,
        rng: ChaCha8Rng,
    ) -> Self {
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
            deadline: start + secs(cfg.time_limit_s),
            nodes: 0,
            improver,
            rng,
            heuristic_s: 0.0,
            recent: Vec::new(),
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
        // The best of the candidate prices starts the root ascent; the first candidate is always
        // evaluated in full, so the reported bound is never trivially 0 when time runs out.
        let mut best: Option<(f64, Vec<f64>)> = None;
        for (k, lam) in price_candidates(&self.prob, &self.best)
            .into_iter()
            .enumerate()
        {
            let deadline = (k > 0).then_some(self.deadline);
            self.ev.evaluate(&self.prob, &self.node, &lam, deadline);
            if best.as_ref().is_none_or(|(l, _)| self.ev.l > *l) {
                best = Some((self.ev.l, lam));
            }
        }
        let (l0, lam) = best.expect("three candidates");
        self.branch(lam, l0, true);
    }

    /// Completes the last Lagrangian solution into a feasible assignment and keeps it if better.
    fn primal(&mut self) {
        if self.ev.l == f64::NEG_INFINITY {
            // An evaluation cut short by the deadline: its solution is incomplete.
            return;
        }
        let (m, n) = (self.prob.m, self.prob.n);
        let mut x = self.node.fixed.clone();
        let mut used = vec![0u32; m];
        for (j, xs) in self.ev.x.iter().enumerate() {
            for &(i, k) in xs {
                x[i][j] += k;
                used[i] += k;
            }
        }
        let surviving = |x: &[Vec<u32>], j: usize| {
            let mut s = self.prob.values[j];
            for (i, row) in x.iter().enumerate() {
                if row[j] > 0 {
                    s *= self.prob.q[j * m + i].powi(row[j] as i32);
                }
            }
            s
        };
        let mut survive: Vec<f64> = (0..n).map(|j| surviving(&x, j)).collect();
        // Over-used types give up the units whose removal costs least.
        for i in 0..m {
            while used[i] > self.node.r[i] {
                let mut best = (f64::INFINITY, usize::MAX);
                for j in 0..n {
                    if x[i][j] > self.node.fixed[i][j] {
                        let q = self.prob.q[j * m + i];
                        let loss = if q > 1e-9 {
                            survive[j] / q * (1.0 - q)
                        } else {
                            x[i][j] -= 1;
                            let s = surviving(&x, j);
                            x[i][j] += 1;
                            s * (1.0 - q)
                        };
                        if loss < best.0 {
                            best = (loss, j);
                        }
                    }
                }
                let j = best.1;
                x[i][j] -= 1;
                used[i] -= 1;
                survive[j] = surviving(&x, j);
            }
        }
        let mut remaining: Vec<u32> = (0..m).map(|i| self.node.r[i] - used[i]).collect();
        super::greedy::fill_greedy(self.inst, &mut x, &mut remaining, &mut survive);
        let obj = self.inst.objective_counts(&x);
        // Polish a new incumbent always; a near one while polishing and bursts stay within their
        // share of the time, and only if not polished recently.
        let near = obj < self.ub * (1.0 + self.cfg.polish_gap)
            && self.heuristic_s <= self.cfg.heuristic_share * self.start.elapsed().as_secs_f64();
        if obj < self.ub || near {
            let h = hash_counts(&x);
            if !self.recent.contains(&h) {
                if self.recent.len() >= 64 {
                    self.recent.remove(0);
                }
                self.recent.push(h);
                let t0 = Instant::now();
                let y = self.improver.polish(&x, Some(self.deadline));
                self.heuristic_s += t0.elapsed().as_secs_f64();
                let obj_y = self.inst.objective_counts(&y);
                if obj_y < obj {
                    x = y;
                }
            }
        }
        let obj = self.inst.objective_counts(&x);
        if obj < self.ub {
            self.ub = obj;
            self.best = x;
        }
    }

    /// Runs a burst of iterated local search from the incumbent if bursts have had less than
    /// their share of the elapsed time.
    fn maybe_burst(&mut self) {
        const BURST_S: f64 = 0.5;
        let elapsed = self.start.elapsed().as_secs_f64();
        if self.heuristic_s + BURST_S > self.cfg.heuristic_share * elapsed {
            return;
        }
        let t0 = Instant::now();
        let deadline = (t0 + secs(BURST_S)).min(self.deadline);
        let x = self.improver.iterate(
            &self.best,
            usize::MAX,
            self.cfg.local.kick,
            &mut self.rng,
            Some(deadline),
        );
        let obj = self.inst.objective_counts(&x);
        if obj < self.ub {
            self.ub = obj;
            self.best = x;
        }
        self.heuristic_s += t0.elapsed().as_secs_f64();
    }

    /// Maximises `L(λ)` from `lam` by the volume algorithm (Barahona & Anbil 2000, "The volume
    /// algorithm: producing primal solutions with a subgradient method", Mathematical
    /// Programming 87(3):385–399): Polyak steps `θ (UB − L̄) / ‖v‖²` from the best prices so far
    /// `λ̄` (value `L̄`) along `v`, an exponential average of subgradients (weight `α` of the
    /// newest, chosen to shorten `v`, at most `α_max`). A step that raises the bound moves `λ̄`,
    /// and raises `θ` by 10 % if the new subgradient still points along `v` ("green"); 20 steps
    /// in a row that do not raise it ("red") shrink `θ` by a third; `α_max` halves whenever 100
    /// steps raise `L̄` by less than 1 % of the gap. Plain subgradient steps with `θ` halving on a
    /// stall converged early once the incumbent was optimal from the start (`wta_200x400x1`
    /// stopped 1e-4 short at the root); this closes it there. Leaves the best prices in `lam`
    /// and the evaluation at them in `self.ev`; returns the best bound.
    fn ascend(&mut self, lam: &mut Vec<f64>, iterations: usize, theta0: f64) -> f64 {
        self.ev
            .evaluate(&self.prob, &self.node, lam, Some(self.deadline));
        let mut centre_l = self.ev.l;
        if centre_l == f64::NEG_INFINITY {
            return centre_l;
        }
        let mut centre = lam.clone();
        let mut v = self.ev.g.clone();
        self.primal();
        let mut theta = theta0;
        let mut reds = 0;
        let mut alpha_max: f64 = 0.1;
        let mut checkpoint = centre_l;
        let mut trial = lam.clone();
        let mut d = v.clone();
        let mut centre_evaluated = true;
        for it in 1..iterations.max(1) {
            self.maybe_burst();
            if centre_l >= self.ub - self.tol() || self.out_of_time() {
                break;
            }
            // Projected direction: prices at 0 cannot fall.
            let mut norm2 = 0.0;
            for ((di, &vi), &c) in d.iter_mut().zip(&v).zip(&centre) {
                *di = if c <= 0.0 && vi < 0.0 { 0.0 } else { vi };
                norm2 += *di * *di;
            }
            if norm2 == 0.0 {
                break;
            }
            let step = theta * (self.ub - centre_l) / norm2;
            for ((t, &c), &di) in trial.iter_mut().zip(&centre).zip(&d) {
                *t = (c + step * di).max(0.0);
            }
            self.ev
                .evaluate(&self.prob, &self.node, &trial, Some(self.deadline));
            let l = self.ev.l;
            if l == f64::NEG_INFINITY {
                break;
            }
            self.primal();
            let g = &self.ev.g;
            let (mut num, mut den) = (0.0, 0.0);
            for (&vi, &gi) in v.iter().zip(g) {
                num += vi * (vi - gi);
                den += (vi - gi) * (vi - gi);
            }
            let alpha = if den > 0.0 {
                (num / den).clamp(alpha_max / 10.0, alpha_max)
            } else {
                alpha_max
            };
            let green = d.iter().zip(g).map(|(a, b)| a * b).sum::<f64>() >= 0.0;
            for (vi, &gi) in v.iter_mut().zip(g) {
                *vi = alpha * gi + (1.0 - alpha) * *vi;
            }
            if l > centre_l {
                if green {
                    theta = (theta * 1.1).min(2.0);
                }
                centre_l = l;
                centre.clone_from(&trial);
                reds = 0;
                centre_evaluated = true;
            } else {
                centre_evaluated = false;
                reds += 1;
                if reds >= 20 {
                    theta *= 0.66;
                    reds = 0;
                    if theta < 1e-6 {
                        break;
                    }
                }
            }
            if it % 100 == 0 {
                if centre_l - checkpoint < 0.01 * (self.ub - centre_l) {
                    alpha_max = (alpha_max / 2.0).max(1e-5);
                }
                checkpoint = centre_l;
            }
        }
        lam.clone_from(&centre);
        if !centre_evaluated {
            self.ev
                .evaluate(&self.prob, &self.node, lam, Some(self.deadline));
        }
        centre_l
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
        if l >= self.ub - self.tol() || self.out_of_time() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wta::tests::{brute_force, tiny_instance};
    use rand::Rng;

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
                let mut u = 0;
                while u < w {
                    a[u] += 1;
                    if a[u] < n {
                        break;
                    }
                    a[u] = 0;
                    u += 1;
                }
                if u == w {
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
