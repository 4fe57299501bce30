//! Sparse rectangular linear assignment by successive shortest augmenting paths (Dijkstra with
//! potentials; Ahuja, Magnanti & Orlin 1993, *Network Flows*, §12.4), used by the assignment
//! neighbourhood of the local search.
use std::cmp::Ordering;
use std::collections::BinaryHeap;

const NONE: usize = usize::MAX;

/// A heap entry: distance, then column, smallest first.
#[derive(PartialEq)]
struct Entry(f64, usize);
impl Eq for Entry {}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Least-cost assignment of every row to a distinct column, over the arcs given: row `r`'s arcs
/// are `arcs[start[r]..start[r + 1]]`, each `(column, cost)`, columns `< cols`. Returns the column
/// of each row, or `None` if no assignment covers every row. Optimal up to rounding: reduced costs
/// that rounding makes slightly negative are taken as 0. Deterministic (ties by column index).
pub(crate) fn assign_sparse(
    cols: usize,
    start: &[usize],
    arcs: &[(usize, f64)],
) -> Option<Vec<usize>> {
    let rows = start.len().saturating_sub(1);
    let mut s = Ssp {
        start,
        arcs,
        // Potentials: reduced cost `c − u_r − v_c` stays ≥ 0 on every arc, 0 on matched ones.
        u: (0..rows)
            .map(|r| {
                arcs[start[r]..start[r + 1]]
                    .iter()
                    .map(|a| a.1)
                    .fold(f64::INFINITY, f64::min)
            })
            .collect(),
        v: vec![0.0; cols],
        owner: vec![NONE; cols],
        matched: vec![NONE; rows],
        dist: vec![f64::INFINITY; cols],
        pred: vec![NONE; cols],
        settled: vec![false; cols],
        touched: Vec::new(),
        heap: BinaryHeap::new(),
    };
    let mut done: Vec<usize> = Vec::new();
    for r0 in 0..rows {
        if !s.u[r0].is_finite() {
            return None;
        }
        for &c in &s.touched {
            s.dist[c] = f64::INFINITY;
            s.settled[c] = false;
        }
        s.touched.clear();
        s.heap.clear();
        done.clear();
        s.relax(r0, 0.0);
        let mut end = None;
        while let Some(Entry(d, c)) = s.heap.pop() {
            if s.settled[c] || d > s.dist[c] {
                continue;
            }
            s.settled[c] = true;
            done.push(c);
            if s.owner[c] == NONE {
                end = Some((c, d));
                break;
            }
            s.relax(s.owner[c], d);
        }
        let (end, big_d) = end?;
        for &c in &done {
            let delta = big_d - s.dist[c];
            s.v[c] -= delta;
            if s.owner[c] != NONE {
                s.u[s.owner[c]] += delta;
            }
        }
        s.u[r0] += big_d;
        let mut c = end;
        loop {
            let r = s.pred[c];
            let prev = s.matched[r];
            s.owner[c] = r;
            s.matched[r] = c;
            if r == r0 {
                break;
            }
            c = prev;
        }
    }
    Some(s.matched)
}

/// State of the successive-shortest-path solver.
struct Ssp<'a> {
    start: &'a [usize],
    arcs: &'a [(usize, f64)],
    u: Vec<f64>,
    v: Vec<f64>,
    owner: Vec<usize>,
    matched: Vec<usize>,
    dist: Vec<f64>,
    pred: Vec<usize>,
    settled: Vec<bool>,
    touched: Vec<usize>,
    heap: BinaryHeap<Entry>,
}

impl Ssp<'_> {
    /// Relaxes the arcs of row `r`, reached at distance `d`.
    fn relax(&mut self, r: usize, d: f64) {
        for &(c, w) in &self.arcs[self.start[r]..self.start[r + 1]] {
            if self.settled[c] {
                continue;
            }
            let nd = d + (w - self.u[r] - self.v[c]).max(0.0);
            if nd < self.dist[c] {
                if self.dist[c] == f64::INFINITY {
                    self.touched.push(c);
                }
                self.dist[c] = nd;
                self.pred[c] = r;
                self.heap.push(Entry(nd, c));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Least cost over all injective maps rows → columns using only given arcs (brute force).
    fn brute(rows: usize, cols: usize, cost: &[Option<f64>]) -> Option<f64> {
        fn go(
            r: usize,
            rows: usize,
            cols: usize,
            cost: &[Option<f64>],
            used: &mut [bool],
        ) -> Option<f64> {
            if r == rows {
                return Some(0.0);
            }
            let mut best: Option<f64> = None;
            for c in 0..cols {
                if used[c] {
                    continue;
                }
                let Some(w) = cost[r * cols + c] else {
                    continue;
                };
                used[c] = true;
                if let Some(rest) = go(r + 1, rows, cols, cost, used) {
                    best = Some(best.map_or(w + rest, |b: f64| b.min(w + rest)));
                }
                used[c] = false;
            }
            best
        }
        go(0, rows, cols, cost, &mut vec![false; cols])
    }

    #[test]
    fn sparse_assignment_equals_brute_force() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
        for case in 0..400 {
            let cols = rng.random_range(1..=6);
            let rows = rng.random_range(0..=cols);
            let density = rng.random_range(0.3..1.0);
            let cost: Vec<Option<f64>> = (0..rows * cols)
                .map(|_| (rng.random::<f64>() < density).then(|| rng.random_range(-10.0..10.0)))
                .collect();
            let mut start = vec![0];
            let mut arcs = Vec::new();
            for r in 0..rows {
                for c in 0..cols {
                    if let Some(w) = cost[r * cols + c] {
                        arcs.push((c, w));
                    }
                }
                start.push(arcs.len());
            }
            let got = assign_sparse(cols, &start, &arcs);
            match (brute(rows, cols, &cost), got) {
                (None, None) => {}
                (Some(want), Some(col)) => {
                    let mut seen = vec![false; cols];
                    let mut total = 0.0;
                    for (r, &c) in col.iter().enumerate() {
                        assert!(!seen[c], "case {case}: column {c} used twice");
                        seen[c] = true;
                        total += cost[r * cols + c].expect("an arc");
                    }
                    assert!(
                        (total - want).abs() < 1e-9,
                        "case {case}: {total} vs {want}"
                    );
                }
                (want, got) => panic!("case {case}: brute force {want:?}, sparse {got:?}"),
            }
        }
    }
}
