//! Local search for the static WTA: very-large-scale neighbourhood search (VLSN) over cyclic and
//! path multi-exchanges (Ahuja, Kumar, Jha & Orlin 2007, "Exact and heuristic algorithms for the
//! weapon-target assignment problem", Operations Research 55(6):1136–1146, §5) and an exact
//! assignment neighbourhood, iterated with random kicks.
//!
//! ## Improvement graph
//! A solution is held as per-type counts `x[i][j]`. The graph has one node per occupied pair
//! `(i, j)` (a unit of type `i` on target `j`; units of one type on one target are interchangeable,
//! so one node stands for all of them) and one *slot* node per target. An arc `a → b` means "the
//! unit of `a` moves to the target of `b`, and the unit of `b` leaves it" (into a slot nothing
//! leaves: the target just gains a unit); an arc out of a slot means "the target of `b` loses its
//! unit and gains nothing". Its cost is the change of the surviving value of `b`'s target,
//!
//! `c(a → b) = W_b · q_{i_a, t_b} − S_{t_b}`,
//!
//! with `S_t` the surviving value of target `t`, `W_b = S_{t_b} / q_{i_b t_b}` its value without
//! `b`'s unit (`W = S` for a slot), `q = 1 − p` (taken as 1 when `a` is a slot). A cycle that visits
//! every target at most once (*subset-disjoint*) is a feasible exchange whose cost is exactly the
//! sum of its arc costs: each target's change depends only on the one arc entering it. Cycles
//! through units only are cyclic exchanges (a 2-cycle is a swap); a slot in the cycle turns it into
//! a path exchange (one target loses a unit, another gains one; `slot → b → slot` is a single move).
//!
//! Negative subset-disjoint cycles are searched by the paper's label-correcting heuristic: a
//! breadth-first dynamic programme over path length (at most [`LocalSearchConfig::max_cycle`]
//! nodes) along each node's 24 cheapest arcs, keeping for each node and length the cheapest path
//! that reaches it with every partial sum negative (every negative cycle has a rotation with that
//! property), extending it only to targets not on it, and closing it back to its start. One path
//! per node and length is kept, so the search is a heuristic; the most negative cycle found is
//! applied. Because that heuristic misses many 2-cycles, single moves and swaps are also searched
//! exhaustively (so every local optimum is also one of the two-neighbourhood search this module
//! had before).
//!
//! ## Assignment neighbourhood
//! Lift one unit off every occupied target (or off a random half of them) and put each lifted
//! unit back on a target that receives at most one of them: the change of the objective is then
//! linear, `Σ_t R_t q_{u(t),t}` with `R_t` the surviving value of `t` without its lifted unit, so
//! the best such reassignment is a rectangular linear assignment problem, solved by successive
//! shortest paths over a sparse graph (each unit's 48 best targets, each target's 48 best units,
//! each unit's own target; exact on that graph). It contains every subset-disjoint cyclic
//! exchange of the lifted units at once, and with half the targets lifting, path exchanges into
//! the others. Which unit a target with several types gives up is drawn at random. On the public
//! instances with two units per type this neighbourhood does most of the work (`wta_200x400x2`:
//! greedy 142.9, moves and exchanges 129.8, with it 115.7 after one descent).
//!
//! ## Descent and iteration
//! A descent applies moves, swaps, improvement-graph exchanges and assignment rounds until none
//! improves. [`local_search`] descends from greedy, then repeats kick (a few random units moved to
//! one of their best other targets) and descent from the best solution so far.
use super::common::{secs, WtaSolution, DEFAULT_REL_TOL};
use super::greedy::greedy_counts;
use super::instance::WtaInstance;
use super::lagrangian::price_bound;
use super::lap::assign_sparse;
use rand::{Rng, SeedableRng};
use std::time::Instant;

/// Settings of [`local_search`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalSearchConfig {
    /// Kick–descent rounds after the first descent.
    pub iterations: usize,
    /// Wall-clock limit, s; the search stops at whichever of this and `iterations` comes first.
    /// Results are deterministic for a given random stream when `iterations` ends the search.
    pub time_limit_s: f64,
    /// Weapon units moved by one kick.
    pub kick: usize,
    /// Most nodes (weapon units moved, plus slots) in one exchange of the improvement graph; at
    /// least 2.
    pub max_cycle: usize,
}

impl Default for LocalSearchConfig {
    fn default() -> Self {
        LocalSearchConfig {
            iterations: 2000,
            time_limit_s: 60.0,
            kick: 3,
            max_cycle: 5,
        }
    }
}

/// Arcs kept per node of the improvement graph (its cheapest ones).
const CYCLE_ARCS: usize = 24;
/// Arcs kept per unit and per target in the assignment neighbourhood (the cheapest ones).
const ASSIGN_ARCS: usize = 48;

/// Iterated VLSN: the greedy solution ([`super::greedy`]) is improved by a descent over single
/// moves, the cyclic and path exchanges of the improvement graph and the assignment neighbourhood
/// (see the docs of `wta/local.rs`) until none improves it; then, `iterations` times, the best
/// solution so far is perturbed (each of `kick` random units moves to a random one of its 8 best
/// other targets, by marginal return), descended again, and kept if strictly better.
/// `lower_bound` is the Lagrangian bound (`wta/lagrangian.rs`) at prices read off the final solution (a
/// few evaluations); `optimal` is set only if that closes the gap.
pub fn local_search(
    inst: &WtaInstance,
    cfg: &LocalSearchConfig,
    rng: &mut impl Rng,
) -> WtaSolution {
    let start = Instant::now();
    let x = improve(inst, greedy_counts(inst), cfg, rng, start);
    let objective = inst.objective_counts(&x);
    let lower_bound = price_bound(inst, &x).min(objective);
    WtaSolution {
        assignment: inst.counts_to_assignment(&x),
        objective,
        optimal: objective - lower_bound <= DEFAULT_REL_TOL * objective,
        lower_bound,
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// Iterated VLSN from the counts `x` (time measured from `start`); returns the best counts found,
/// never worse than `x`.
pub(crate) fn improve(
    inst: &WtaInstance,
    x: Vec<Vec<u32>>,
    cfg: &LocalSearchConfig,
    rng: &mut impl Rng,
    start: Instant,
) -> Vec<Vec<u32>> {
    let deadline = start + secs(cfg.time_limit_s);
    Improver::new(inst, cfg.max_cycle).iterate(&x, cfg.iterations, cfg.kick, rng, Some(deadline))
}

/// The local search, reusable on many solutions of one instance (used by the exact solver).
pub(crate) struct Improver {
    vlsn: Vlsn,
    /// Random stream of [`Improver::polish`], seeded once: polishing never draws from the
    /// caller's stream.
    polish_rng: rand_chacha::ChaCha8Rng,
}

impl Improver {
    pub(crate) fn new(inst: &WtaInstance, max_cycle: usize) -> Self {
        Improver {
            vlsn: Vlsn::new(inst, max_cycle),
            polish_rng: rand_chacha::ChaCha8Rng::seed_from_u64(0),
        }
    }

    /// Descent only (no kicks) from the counts `x`: a VLSN local optimum reached from `x`, never
    /// worse.
    pub(crate) fn polish(&mut self, x: &[Vec<u32>], deadline: Option<Instant>) -> Vec<Vec<u32>> {
        let mut sol = Sol::new(&self.vlsn.t, x);
        self.vlsn.descend(&mut sol, &mut self.polish_rng, deadline);
        sol.counts(&self.vlsn.t)
    }

    /// Descent from `x`, then `iterations` kick–descent rounds from the best solution so far
    /// (stopped early by `deadline`); returns the best counts found, never worse than `x`.
    pub(crate) fn iterate(
        &mut self,
        x: &[Vec<u32>],
        iterations: usize,
        kick: usize,
        rng: &mut impl Rng,
        deadline: Option<Instant>,
    ) -> Vec<Vec<u32>> {
        let vlsn = &mut self.vlsn;
        let mut best = Sol::new(&vlsn.t, x);
        vlsn.descend(&mut best, rng, deadline);
        if vlsn.t.units_total == 0 || vlsn.t.n < 2 {
            return best.counts(&vlsn.t);
        }
        let mut best_obj = best.objective();
        let mut cur = best.clone();
        for _ in 0..iterations {
            if deadline.is_some_and(|d| Instant::now() > d) {
                break;
            }
            cur.clone_from(&best);
            vlsn.kick(&mut cur, kick, rng);
            vlsn.descend(&mut cur, rng, deadline);
            let obj = cur.objective();
            if obj < best_obj - vlsn.t.threshold(best_obj) {
                std::mem::swap(&mut best, &mut cur);
                best_obj = obj;
            }
        }
        best.counts(&vlsn.t)
    }
}

/// Instance data, type-major (`[i * n + j]`).
struct Tables {
    m: usize,
    n: usize,
    values: Vec<f64>,
    p: Vec<f64>,
    q: Vec<f64>,
    /// Units per type (for drawing a random unit).
    units: Vec<u32>,
    units_total: usize,
    /// Rounding floor of improvements: `1e-15 Σ V`.
    eps_abs: f64,
}

impl Tables {
    fn new(inst: &WtaInstance) -> Self {
        let (m, n) = (inst.num_types(), inst.num_targets());
        let p: Vec<f64> = inst.p().iter().flatten().copied().collect();
        let q = p.iter().map(|v| 1.0 - v).collect();
        Tables {
            m,
            n,
            values: inst.values().to_vec(),
            p,
            q,
            units: inst.units().to_vec(),
            units_total: inst.num_weapons(),
            eps_abs: 1e-15 * inst.values().iter().sum::<f64>(),
        }
    }

    /// Smallest improvement of an objective `obj` that counts (avoids cycling on rounding).
    fn threshold(&self, obj: f64) -> f64 {
        (1e-12 * obj).max(self.eps_abs)
    }
}

/// A solution: counts, occupied types per target, surviving values.
#[derive(Debug, Clone)]
struct Sol {
    /// `x[i * n + j]`.
    count: Vec<u32>,
    /// Types with a unit on each target.
    on: Vec<Vec<usize>>,
    /// Surviving value of each target.
    s: Vec<f64>,
}

impl Sol {
    fn new(t: &Tables, x: &[Vec<u32>]) -> Self {
        let mut sol = Sol {
            count: x.iter().flatten().copied().collect(),
            on: vec![Vec::new(); t.n],
            s: vec![0.0; t.n],
        };
        for i in 0..t.m {
            for j in 0..t.n {
                if sol.count[i * t.n + j] > 0 {
                    sol.on[j].push(i);
                }
            }
        }
        for j in 0..t.n {
            sol.refresh(t, j);
        }
        sol
    }

    fn counts(&self, t: &Tables) -> Vec<Vec<u32>> {
        self.count.chunks(t.n).map(|c| c.to_vec()).collect()
    }

    fn objective(&self) -> f64 {
        self.s.iter().sum()
    }

    /// Recomputes the surviving value of target `j` from its counts (no drift, exact with p = 1).
    fn refresh(&mut self, t: &Tables, j: usize) {
        let mut s = t.values[j];
        for &i in &self.on[j] {
            s *= t.q[i * t.n + j].powi(self.count[i * t.n + j] as i32);
        }
        self.s[j] = s;
    }

    /// Surviving value of target `j` with one unit of type `i` fewer (`i` must be on `j`).
    fn without(&self, t: &Tables, i: usize, j: usize) -> f64 {
        let mut s = t.values[j];
        for &h in &self.on[j] {
            let c = self.count[h * t.n + j] - u32::from(h == i);
            if c > 0 {
                s *= t.q[h * t.n + j].powi(c as i32);
            }
        }
        s
    }

    /// Moves one unit of type `i` from target `from` to target `to` (surviving values not
    /// refreshed).
    fn shift(&mut self, t: &Tables, i: usize, from: usize, to: usize) {
        let a = i * t.n + from;
        self.count[a] -= 1;
        if self.count[a] == 0 {
            self.on[from].retain(|&h| h != i);
        }
        let b = i * t.n + to;
        if self.count[b] == 0 {
            self.on[to].push(i);
        }
        self.count[b] += 1;
    }

    /// Applies simultaneous moves `(type, from, to)` if they lower the objective by more than
    /// `thr`; otherwise leaves the solution unchanged. True if applied.
    fn apply_if_better(&mut self, t: &Tables, moves: &[(usize, usize, usize)], thr: f64) -> bool {
        if moves.is_empty() {
            return false;
        }
        let mut touched: Vec<usize> = moves.iter().flat_map(|&(_, a, b)| [a, b]).collect();
        touched.sort_unstable();
        touched.dedup();
        let before: f64 = touched.iter().map(|&j| self.s[j]).sum();
        for &(i, from, to) in moves {
            self.shift(t, i, from, to);
        }
        for &j in &touched {
            self.refresh(t, j);
        }
        let after: f64 = touched.iter().map(|&j| self.s[j]).sum();
        if after < before - thr {
            return true;
        }
        for &(i, from, to) in moves {
            self.shift(t, i, to, from);
        }
        for &j in &touched {
            self.refresh(t, j);
        }
        false
    }
}

/// Orders `(cost, index)` pairs by cost, ties by index (deterministic).
fn by_cost(x: &(f64, u32), y: &(f64, u32)) -> std::cmp::Ordering {
    x.0.total_cmp(&y.0).then(x.1.cmp(&y.1))
}

/// Keeps the `keep` cheapest pairs of `items` (by [`by_cost`]), in no particular order.
fn keep_cheapest(items: &mut Vec<(f64, u32)>, keep: usize) {
    if items.len() > keep {
        items.select_nth_unstable_by(keep, by_cost);
        items.truncate(keep);
    }
}

/// Marks a slot node (no unit).
const SLOT: usize = usize::MAX;
/// No predecessor.
const NONE: u32 = u32::MAX;

/// The search: instance tables and scratch space.
struct Vlsn {
    t: Tables,
    max_cycle: usize,
    /// Node type (`SLOT` for a slot), target, `W`, and `S` of its target.
    kind: Vec<usize>,
    tgt: Vec<usize>,
    w: Vec<f64>,
    st: Vec<f64>,
    /// Candidate arcs of node `a`: `arcs[a * CYCLE_ARCS..][..n_arcs[a]]`, `(head, cost)`.
    arcs: Vec<(u32, f64)>,
    n_arcs: Vec<usize>,
    /// Per layer `k` (path of `k` arcs) and node: cost, predecessor in layer `k − 1`, first node.
    cost: Vec<f64>,
    pred: Vec<u32>,
    first: Vec<u32>,
    /// Targets on the path being extended.
    on_path: Vec<usize>,
    /// Scratch for selecting candidates.
    scratch: Vec<(f64, u32)>,
}

impl Vlsn {
    fn new(inst: &WtaInstance, max_cycle: usize) -> Self {
        Vlsn {
            t: Tables::new(inst),
            max_cycle: max_cycle.max(2),
            kind: Vec::new(),
            tgt: Vec::new(),
            w: Vec::new(),
            st: Vec::new(),
            arcs: Vec::new(),
            n_arcs: Vec::new(),
            cost: Vec::new(),
            pred: Vec::new(),
            first: Vec::new(),
            on_path: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Moves, improvement-graph exchanges and assignment rounds until none improves (or the
    /// deadline passes).
    fn descend(&mut self, sol: &mut Sol, rng: &mut impl Rng, deadline: Option<Instant>) {
        loop {
            while self.move_pass(sol) {}
            if deadline.is_some_and(|d| Instant::now() > d) {
                return;
            }
            if self.swap_pass(sol) || self.cycle_search(sol) {
                continue;
            }
            // All occupied targets give a unit; then about half of them, so that the others can
            // gain one (path exchanges).
            if !self.assignment_round(sol, 1.0, rng) && !self.assignment_round(sol, 0.5, rng) {
                return;
            }
        }
    }

    /// One pass of best single moves over every occupied `(type, target)`; true if any improved.
    fn move_pass(&self, sol: &mut Sol) -> bool {
        let t = &self.t;
        let thr = t.threshold(sol.objective());
        let mut improved = false;
        for j in 0..t.n {
            let mut k = 0;
            while k < sol.on[j].len() {
                let i = sol.on[j][k];
                let loss = sol.without(t, i, j) * t.p[i * t.n + j];
                let row = &t.p[i * t.n..(i + 1) * t.n];
                let mut best = (thr, j);
                for (to, (&s, &p)) in sol.s.iter().zip(row).enumerate() {
                    let gain = s * p - loss;
                    if gain > best.0 && to != j {
                        best = (gain, to);
                    }
                }
                if best.1 != j {
                    sol.shift(t, i, j, best.1);
                    sol.refresh(t, j);
                    sol.refresh(t, best.1);
                    improved = true;
                    // `on[j]` may have lost `i`: look at position `k` again.
                    continue;
                }
                k += 1;
            }
        }
        improved
    }

    /// One pass over all swaps of two units of different types on different targets (the
    /// improvement graph's 2-cycles, searched exhaustively); true if any improved.
    fn swap_pass(&mut self, sol: &mut Sol) -> bool {
        let t = &self.t;
        let n = t.n;
        let thr = t.threshold(sol.objective());
        // Occupied pairs `(type, target, W)`, refreshed after each swap.
        let mut pairs: Vec<(usize, usize, f64)> = (0..n)
            .flat_map(|j| sol.on[j].iter().map(move |&i| (i, j)))
            .map(|(i, j)| (i, j, sol.without(t, i, j)))
            .collect();
        let mut improved = false;
        let mut a = 0;
        while a < pairs.len() {
            let (i, j, wa) = pairs[a];
            let mut best = (-thr, usize::MAX);
            for (b, &(h, k, wb)) in pairs.iter().enumerate() {
                if h == i || k == j {
                    continue;
                }
                let delta = wa * t.q[h * n + j] - sol.s[j] + wb * t.q[i * n + k] - sol.s[k];
                if delta < best.0 {
                    best = (delta, b);
                }
            }
            if best.1 == usize::MAX {
                a += 1;
                continue;
            }
            let (h, k, _) = pairs[best.1];
            if !sol.apply_if_better(t, &[(i, j, k), (h, k, j)], thr) {
                a += 1;
                continue;
            }
            improved = true;
            pairs = (0..n)
                .flat_map(|j| sol.on[j].iter().map(move |&i| (i, j)))
                .map(|(i, j)| (i, j, sol.without(t, i, j)))
                .collect();
        }
        improved
    }

    /// Cost of the arc `a → b`, or `None` if it is not an arc.
    #[inline]
    fn arc(&self, a: usize, b: usize) -> Option<f64> {
        let (ka, kb) = (self.kind[a], self.kind[b]);
        if self.tgt[a] == self.tgt[b] || ka == kb {
            // Same target; or two slots; or two units of one type (a zero-cost no-op).
            return None;
        }
        let q = if ka == SLOT {
            1.0
        } else {
            self.t.q[ka * self.t.n + self.tgt[b]]
        };
        Some(self.w[b] * q - self.st[b])
    }

    /// Builds the nodes of the improvement graph and each node's cheapest arcs.
    fn build_graph(&mut self, sol: &Sol) {
        let t = &self.t;
        self.kind.clear();
        self.tgt.clear();
        self.w.clear();
        self.st.clear();
        for j in 0..t.n {
            for &i in &sol.on[j] {
                self.kind.push(i);
                self.tgt.push(j);
                self.w.push(sol.without(t, i, j));
                self.st.push(sol.s[j]);
            }
        }
        for j in 0..t.n {
            self.kind.push(SLOT);
            self.tgt.push(j);
            self.w.push(sol.s[j]);
            self.st.push(sol.s[j]);
        }
        let nn = self.kind.len();
        self.arcs.clear();
        self.arcs.resize(nn * CYCLE_ARCS, (NONE, 0.0));
        self.n_arcs.clear();
        self.n_arcs.resize(nn, 0);
        let mut scratch = std::mem::take(&mut self.scratch);
        for a in 0..nn {
            scratch.clear();
            scratch.extend((0..nn).filter_map(|b| self.arc(a, b).map(|c| (c, b as u32))));
            keep_cheapest(&mut scratch, CYCLE_ARCS);
            scratch.sort_unstable_by(by_cost);
            for (k, &(c, b)) in scratch.iter().enumerate() {
                self.arcs[a * CYCLE_ARCS + k] = (b, c);
            }
            self.n_arcs[a] = scratch.len();
        }
        self.scratch = scratch;
    }

    /// Targets of the path ending at node `a` of layer `k`, into `self.on_path`.
    fn path_targets(&mut self, k: usize, a: usize) {
        let nn = self.kind.len();
        self.on_path.clear();
        let (mut layer, mut v) = (k, a);
        loop {
            self.on_path.push(self.tgt[v]);
            if layer == 0 {
                return;
            }
            v = self.pred[layer * nn + v] as usize;
            layer -= 1;
        }
    }

    /// Searches the improvement graph for a negative subset-disjoint cycle and applies the most
    /// negative one found; true if the solution improved.
    fn cycle_search(&mut self, sol: &mut Sol) -> bool {
        self.build_graph(sol);
        let nn = self.kind.len();
        let layers = self.max_cycle;
        self.cost.clear();
        self.cost.resize(layers * nn, f64::INFINITY);
        self.pred.clear();
        self.pred.resize(layers * nn, NONE);
        self.first.clear();
        self.first.resize(layers * nn, NONE);
        for v in 0..nn {
            self.cost[v] = 0.0;
            self.first[v] = v as u32;
        }
        let thr = self.t.threshold(sol.objective());
        let mut best = (-thr, None);
        for k in 0..layers {
            for a in 0..nn {
                let ca = self.cost[k * nn + a];
                if ca == f64::INFINITY {
                    continue;
                }
                let f = self.first[k * nn + a] as usize;
                if k >= 1 {
                    if let Some(c) = self.arc(a, f) {
                        if ca + c < best.0 {
                            best = (ca + c, Some((k, a)));
                        }
                    }
                }
                if k + 1 == layers {
                    continue;
                }
                self.path_targets(k, a);
                let next = (k + 1) * nn;
                for e in 0..self.n_arcs[a] {
                    let (b, c) = self.arcs[a * CYCLE_ARCS + e];
                    let b = b as usize;
                    let cb = ca + c;
                    if cb < 0.0 && cb < self.cost[next + b] && !self.on_path.contains(&self.tgt[b])
                    {
                        self.cost[next + b] = cb;
                        self.pred[next + b] = a as u32;
                        self.first[next + b] = f as u32;
                    }
                }
            }
        }
        let Some((k, a)) = best.1 else { return false };
        // Nodes of the cycle, in order (the path was stored last first).
        let mut cycle = Vec::with_capacity(k + 1);
        let (mut layer, mut v) = (k, a);
        loop {
            cycle.push(v);
            if layer == 0 {
                break;
            }
            v = self.pred[layer * nn + v] as usize;
            layer -= 1;
        }
        cycle.reverse();
        let moves: Vec<(usize, usize, usize)> = (0..cycle.len())
            .filter(|&c| self.kind[cycle[c]] != SLOT)
            .map(|c| {
                let (from, to) = (cycle[c], cycle[(c + 1) % cycle.len()]);
                (self.kind[from], self.tgt[from], self.tgt[to])
            })
            .collect();
        sol.apply_if_better(&self.t, &moves, thr)
    }

    /// One round of the assignment neighbourhood (module docs), each occupied target giving up a
    /// unit with probability `frac`; true if the solution improved.
    fn assignment_round(&mut self, sol: &mut Sol, frac: f64, rng: &mut impl Rng) -> bool {
        let t = &self.t;
        let n = t.n;
        let mut rows: Vec<(usize, usize)> = Vec::new();
        for (j, on) in sol.on.iter().enumerate() {
            if on.is_empty() || (frac < 1.0 && rng.random::<f64>() >= frac) {
                continue;
            }
            let i = if on.len() == 1 {
                on[0]
            } else {
                on[rng.random_range(0..on.len())]
            };
            rows.push((i, j));
        }
        if rows.is_empty() {
            return false;
        }
        let mut r = sol.s.clone();
        for &(i, j) in &rows {
            r[j] = sol.without(t, i, j);
        }
        // Arcs: each unit's cheapest targets, each target's cheapest units, and the unit's own
        // target (which keeps the current solution feasible).
        let nr = rows.len();
        let keep = n.min(ASSIGN_ARCS);
        let cost = |k: usize, j: usize| -r[j] * t.p[rows[k].0 * n + j];
        let mut mask = vec![false; nr * n];
        let mut scratch: Vec<(f64, u32)> = Vec::with_capacity(n.max(nr));
        for (k, &(_, j0)) in rows.iter().enumerate() {
            scratch.clear();
            scratch.extend((0..n).map(|j| (cost(k, j), j as u32)));
            keep_cheapest(&mut scratch, keep);
            for &(_, j) in &scratch {
                mask[k * n + j as usize] = true;
            }
            mask[k * n + j0] = true;
        }
        for j in 0..n {
            scratch.clear();
            scratch.extend((0..nr).map(|k| (cost(k, j), k as u32)));
            keep_cheapest(&mut scratch, keep);
            for &(_, k) in &scratch {
                mask[k as usize * n + j] = true;
            }
        }
        let mut start = Vec::with_capacity(nr + 1);
        let mut arcs: Vec<(usize, f64)> = Vec::new();
        for k in 0..nr {
            start.push(arcs.len());
            arcs.extend((0..n).filter(|&j| mask[k * n + j]).map(|j| (j, cost(k, j))));
        }
        start.push(arcs.len());
        let Some(col) = assign_sparse(n, &start, &arcs) else {
            return false;
        };
        let moves: Vec<(usize, usize, usize)> = rows
            .iter()
            .zip(&col)
            .filter(|(&(_, j), &c)| c != j)
            .map(|(&(i, j), &c)| (i, j, c))
            .collect();
        let thr = t.threshold(sol.objective());
        sol.apply_if_better(t, &moves, thr)
    }

    /// Moves each of `kick` random units to a random one of its 8 best other targets.
    fn kick(&self, sol: &mut Sol, kick: usize, rng: &mut impl Rng) {
        let t = &self.t;
        for _ in 0..kick {
            // A uniformly random unit: its type, then which of the type's units.
            let mut u = rng.random_range(0..t.units_total) as u32;
            let mut i = 0;
            while u >= t.units[i] {
                u -= t.units[i];
                i += 1;
            }
            let mut j = 0;
            loop {
                let c = sol.count[i * t.n + j];
                if u < c {
                    break;
                }
                u -= c;
                j += 1;
            }
            let mut options: Vec<(f64, usize)> = (0..t.n)
                .filter(|&k| k != j)
                .map(|k| (sol.s[k] * t.p[i * t.n + k], k))
                .collect();
            options.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            options.truncate(8);
            let k = options[rng.random_range(0..options.len())].1;
            sol.shift(t, i, j, k);
            sol.refresh(t, j);
            sol.refresh(t, k);
        }
    }
}
