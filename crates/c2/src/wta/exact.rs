//! Exact static WTA: Lagrangian branch-and-bound over the bound of `wta/lagrangian.rs`.
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
use super::common::{secs, WtaSolution};
use super::greedy::{fill_greedy, greedy_counts};
use super::instance::WtaInstance;
use super::lagrangian::{price_candidates, Evaluator, NodeState, Problem};
use super::local::{Improver, LocalSearchConfig};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

pub use super::common::DEFAULT_REL_TOL;

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

/// FNV-1a hash of per-type counts.
fn hash_counts(x: &[Vec<u32>]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &c in x.iter().flatten() {
        h = (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
    }
    h
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
        fill_greedy(self.inst, &mut x, &mut remaining, &mut survive);
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
