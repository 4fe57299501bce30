//! Iterated local search for the static WTA.
use super::{exact, greedy::greedy_counts, WtaInstance, WtaSolution};
use rand::Rng;
use std::time::Instant;

/// Settings of [`local_search`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalSearchConfig {
    /// Perturbation–descent rounds after the first descent.
    pub iterations: usize,
    /// Wall-clock limit, s; the search stops at whichever of this and `iterations` comes first.
    /// Results are deterministic for a given random stream when `iterations` ends the search.
    pub time_limit_s: f64,
    /// Weapon units moved by one perturbation.
    pub kick: usize,
}

impl Default for LocalSearchConfig {
    fn default() -> Self {
        LocalSearchConfig {
            iterations: 2000,
            time_limit_s: 60.0,
            kick: 3,
        }
    }
}

/// Iterated local search: the greedy solution ([`super::greedy`]) is improved by a descent over
/// two neighbourhoods until neither improves it —
/// - *move*: one weapon unit to another target (best target for each unit in turn),
/// - *2-exchange*: two units of different types on different targets swap targets,
///
/// then, `iterations` times, the best solution so far is perturbed (each of `kick` random units
/// moves to a random one of its 8 best other targets, by marginal return), descended again, and
/// kept if strictly better. `lower_bound` is the Lagrangian bound of [`exact`] at the prices of
/// the final solution (one evaluation); `optimal` is set only if that closes the gap.
pub fn local_search(
    inst: &WtaInstance,
    cfg: &LocalSearchConfig,
    rng: &mut impl Rng,
) -> WtaSolution {
    let start = Instant::now();
    let x = improve(inst, greedy_counts(inst), cfg, rng, start);
    let objective = inst.objective_counts(&x);
    let lower_bound = exact::price_bound(inst, &x).min(objective);
    WtaSolution {
        assignment: inst.counts_to_assignment(&x),
        objective,
        optimal: objective - lower_bound <= exact::DEFAULT_REL_TOL * objective,
        lower_bound,
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// Iterated local search from the counts `x`; returns the best counts found.
pub(crate) fn improve(
    inst: &WtaInstance,
    x: Vec<Vec<u32>>,
    cfg: &LocalSearchConfig,
    rng: &mut impl Rng,
    start: Instant,
) -> Vec<Vec<u32>> {
    let mut best = State::new(inst, &x);
    best.descend(inst);
    let mut best_obj = best.objective();
    let eps = 1e-12 * inst.values().iter().sum::<f64>();
    let n = inst.num_targets();
    if best.target.is_empty() || n < 2 {
        return best.counts(inst);
    }
    for _ in 0..cfg.iterations {
        if start.elapsed().as_secs_f64() > cfg.time_limit_s {
            break;
        }
        let mut cur = best.clone();
        for _ in 0..cfg.kick {
            let u = rng.random_range(0..cur.target.len());
            let i = cur.kind[u];
            let j = cur.target[u];
            let mut options: Vec<(f64, usize)> = (0..n)
                .filter(|&k| k != j)
                .map(|k| (cur.survive[k] * inst.p()[i][k], k))
                .collect();
            options.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            options.truncate(8);
            let k = options[rng.random_range(0..options.len())].1;
            cur.relocate(inst, u, k);
        }
        cur.descend(inst);
        let obj = cur.objective();
        if obj < best_obj - eps {
            best = cur;
            best_obj = obj;
        }
    }
    best.counts(inst)
}

/// A solution as per-unit targets, with per-target surviving values and members.
#[derive(Debug, Clone)]
struct State {
    /// Weapon type of each unit.
    kind: Vec<usize>,
    /// Target of each unit.
    target: Vec<usize>,
    /// Surviving value of each target.
    survive: Vec<f64>,
    /// Units on each target.
    members: Vec<Vec<usize>>,
    /// Improvements smaller than this are ignored (avoids cycling on rounding).
    eps: f64,
}

impl State {
    fn new(inst: &WtaInstance, x: &[Vec<u32>]) -> Self {
        let kind = inst.weapon_types();
        let target = inst.counts_to_assignment(x);
        let mut s = State {
            kind,
            target,
            survive: vec![0.0; inst.num_targets()],
            members: vec![Vec::new(); inst.num_targets()],
            eps: 1e-12 * inst.values().iter().sum::<f64>(),
        };
        for (u, &t) in s.target.iter().enumerate() {
            s.members[t].push(u);
        }
        for j in 0..inst.num_targets() {
            s.refresh(inst, j);
        }
        s
    }

    fn objective(&self) -> f64 {
        self.survive.iter().sum()
    }

    fn counts(&self, inst: &WtaInstance) -> Vec<Vec<u32>> {
        inst.assignment_to_counts(&self.target)
    }

    /// Recomputes the surviving value of target `j` from its members (no drift, exact with p = 1).
    fn refresh(&mut self, inst: &WtaInstance, j: usize) {
        let mut s = inst.values()[j];
        for &u in &self.members[j] {
            s *= 1.0 - inst.p()[self.kind[u]][j];
        }
        self.survive[j] = s;
    }

    /// Surviving value of the target of `u` without `u`.
    fn without(&self, inst: &WtaInstance, u: usize) -> f64 {
        let j = self.target[u];
        let mut s = inst.values()[j];
        for &w in &self.members[j] {
            if w != u {
                s *= 1.0 - inst.p()[self.kind[w]][j];
            }
        }
        s
    }

    fn relocate(&mut self, inst: &WtaInstance, u: usize, k: usize) {
        let j = self.target[u];
        self.members[j].retain(|&w| w != u);
        self.members[k].push(u);
        self.target[u] = k;
        self.refresh(inst, j);
        self.refresh(inst, k);
    }

    /// Descent over moves and 2-exchanges until neither improves.
    fn descend(&mut self, inst: &WtaInstance) {
        let p = inst.p();
        let w = self.target.len();
        loop {
            let mut improved = false;
            for u in 0..w {
                let (i, j) = (self.kind[u], self.target[u]);
                let loss = self.without(inst, u) * p[i][j];
                let mut best = (self.eps, j);
                for (k, &s_k) in self.survive.iter().enumerate() {
                    let gain = s_k * p[i][k] - loss;
                    if k != j && gain > best.0 {
                        best = (gain, k);
                    }
                }
                if best.1 != j {
                    self.relocate(inst, u, best.1);
                    improved = true;
                }
            }
            let mut without: Vec<f64> = (0..w).map(|u| self.without(inst, u)).collect();
            for u in 0..w {
                for v in u + 1..w {
                    let (i, j) = (self.kind[u], self.target[u]);
                    let (h, k) = (self.kind[v], self.target[v]);
                    if i == h || j == k {
                        continue;
                    }
                    let delta = without[u] * (1.0 - p[h][j]) - self.survive[j]
                        + without[v] * (1.0 - p[i][k])
                        - self.survive[k];
                    if delta < -self.eps {
                        self.members[j].retain(|&x| x != u);
                        self.members[k].retain(|&x| x != v);
                        self.members[j].push(v);
                        self.members[k].push(u);
                        self.target[u] = k;
                        self.target[v] = j;
                        self.refresh(inst, j);
                        self.refresh(inst, k);
                        for &x in self.members[j].iter().chain(&self.members[k]) {
                            without[x] = self.without(inst, x);
                        }
                        improved = true;
                    }
                }
            }
            if !improved {
                return;
            }
        }
    }
}
