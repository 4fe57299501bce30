//! Optimal rectangular linear assignment.
//!
//! [`solve`] is the shortest-augmenting-path algorithm of Jonker & Volgenant (1987) in the
//! rectangular form of Crouse, "On implementing 2D rectangular assignment algorithms", IEEE
//! Trans. Aerospace and Electronic Systems 52(4), 2016, Algorithm 1 — the algorithm behind
//! SciPy's `linear_sum_assignment`. It is `O(n² m)` for an `n × m` problem with `n ≤ m`, exact
//! (not an approximation such as auction), and deterministic.
//!
//! Forbidden pairs are marked with a non-finite cost (normally `f64::INFINITY`). Unlike SciPy,
//! an instance in which not every row of the smaller side can be matched is not an error: the
//! solver returns a matching of the largest possible size and, among those, the cheapest.

/// Solve the assignment problem for the row-major `rows × cols` matrix `cost`.
///
/// Returns, for each row, the column assigned to it or `None`. The result maximises the number
/// of assigned (finite-cost) pairs and, among such matchings, minimises their total cost. Costs
/// may be negative; any non-finite cost (±∞, NaN) marks a forbidden pair. Works for `rows > cols`
/// and `rows < cols`; at most `min(rows, cols)` rows are assigned.
///
/// # Panics
/// If `cost.len() != rows * cols` (a programming error, not a data error).
pub fn solve(cost: &[f64], rows: usize, cols: usize) -> Vec<Option<usize>> {
    let mut result = Vec::new();
    solve_with(&mut Workspace::default(), cost, rows, cols, &mut result);
    result
}

/// Scratch memory of [`solve_with`], kept between calls so that solving many small problems
/// (one per cluster, scan after scan) allocates nothing once it has grown.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    c: Vec<f64>,
    u: Vec<f64>,
    v: Vec<f64>,
    spc: Vec<f64>,
    col4row: Vec<usize>,
    row4col: Vec<usize>,
    path: Vec<usize>,
    remaining: Vec<usize>,
    sr: Vec<bool>,
    sc: Vec<bool>,
}

/// [`solve`] with its scratch memory in `workspace` and its answer in `result` (cleared first,
/// then one entry per row). Same result as [`solve`], bit for bit.
///
/// # Panics
/// If `cost.len() != rows * cols`.
pub fn solve_with(
    workspace: &mut Workspace,
    cost: &[f64],
    rows: usize,
    cols: usize,
    result: &mut Vec<Option<usize>>,
) {
    assert_eq!(
        cost.len(),
        rows * cols,
        "assignment::solve: cost has {} entries, expected {rows} × {cols}",
        cost.len()
    );
    result.clear();
    result.resize(rows, None);
    if rows == 0 || cols == 0 {
        return;
    }

    // Work on a copy with n ≤ m (transposed if needed) in which forbidden pairs cost a finite
    // "big M", large enough that one more forbidden pair always costs more than any difference
    // in the finite costs: then a full matching always exists, the optimum uses as few forbidden
    // pairs as possible, and dropping them afterwards gives the maximum-size cheapest matching.
    let transpose = rows > cols;
    let (n, m) = if transpose {
        (cols, rows)
    } else {
        (rows, cols)
    };
    let at = |i: usize, j: usize| {
        if transpose {
            cost[j * cols + i]
        } else {
            cost[i * cols + j]
        }
    };
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &c in cost.iter().filter(|c| c.is_finite()) {
        lo = lo.min(c);
        hi = hi.max(c);
    }
    if !lo.is_finite() {
        return; // every pair is forbidden
    }
    // M > hi + (n − 1)(hi − lo) is what the argument needs; the extra terms keep a margin that
    // survives rounding.
    let big_m = hi + (n as f64 + 1.0) * (hi - lo) + hi.abs() + 1.0;
    let c = &mut workspace.c;
    c.clear();
    for i in 0..n {
        for j in 0..m {
            let v = at(i, j);
            c.push(if v.is_finite() { v } else { big_m });
        }
    }

    shortest_augmenting_path(workspace, n, m);
    for (i, &j) in workspace.col4row.iter().enumerate() {
        if !at(i, j).is_finite() {
            continue;
        }
        if transpose {
            result[j] = Some(i);
        } else {
            result[i] = Some(j);
        }
    }
}

/// `x` as `len` copies of `value`, in its own memory.
fn reset<T: Clone>(x: &mut Vec<T>, len: usize, value: T) {
    x.clear();
    x.resize(len, value);
}

/// Crouse (2016) Algorithm 1 on the finite `n × m` matrix `w.c` with `n ≤ m`: rows are added one
/// at a time, each by the shortest augmenting path in reduced costs (Dijkstra over columns),
/// after which the dual variables `u`, `v` are updated so that reduced costs stay non-negative.
/// Leaves the column of each row in `w.col4row`.
fn shortest_augmenting_path(w: &mut Workspace, n: usize, m: usize) {
    const NONE: usize = usize::MAX;
    reset(&mut w.u, n, 0.0);
    reset(&mut w.v, m, 0.0);
    reset(&mut w.spc, m, f64::INFINITY); // shortest path cost to each column
    reset(&mut w.col4row, n, NONE);
    reset(&mut w.row4col, m, NONE);
    reset(&mut w.path, m, NONE);
    reset(&mut w.remaining, m, 0);
    reset(&mut w.sr, n, false); // rows scanned in this search
    reset(&mut w.sc, m, false); // columns scanned in this search
    let Workspace {
        c,
        u,
        v,
        spc,
        col4row,
        row4col,
        path,
        remaining,
        sr,
        sc,
    } = w;

    for cur_row in 0..n {
        // --- Dijkstra from cur_row to the nearest free column. ---
        let mut min_val = 0.0;
        let mut num_remaining = m;
        // Scanning columns in reverse order breaks ties like SciPy; any order is optimal.
        for (k, r) in remaining.iter_mut().enumerate() {
            *r = m - k - 1;
        }
        sr.fill(false);
        sc.fill(false);
        spc.fill(f64::INFINITY);
        let mut i = cur_row;
        let sink = loop {
            sr[i] = true;
            let mut lowest = f64::INFINITY;
            let mut index = NONE;
            for (k, &j) in remaining[..num_remaining].iter().enumerate() {
                let r = min_val + c[i * m + j] - u[i] - v[j];
                if r < spc[j] {
                    path[j] = i;
                    spc[j] = r;
                }
                // Prefer a free column on ties: it ends the search early.
                if spc[j] < lowest || (spc[j] == lowest && row4col[j] == NONE) {
                    lowest = spc[j];
                    index = k;
                }
            }
            // All costs are finite, so some column is always reachable.
            min_val = lowest;
            let j = remaining[index];
            sc[j] = true;
            num_remaining -= 1;
            remaining[index] = remaining[num_remaining];
            if row4col[j] == NONE {
                break j;
            }
            i = row4col[j];
        };

        // --- Dual update. ---
        u[cur_row] += min_val;
        for r in 0..n {
            if sr[r] && r != cur_row {
                u[r] += min_val - spc[col4row[r]];
            }
        }
        for j in 0..m {
            if sc[j] {
                v[j] -= min_val - spc[j];
            }
        }

        // --- Augment along the path back to cur_row. ---
        let mut j = sink;
        loop {
            let r = path[j];
            row4col[j] = r;
            std::mem::swap(&mut col4row[r], &mut j);
            if r == cur_row {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_square_example() {
        // SciPy docs example: linear_sum_assignment([[4,1,3],[2,0,5],[3,2,2]]) -> cols [1,0,2], cost 5.
        let c = [4.0, 1.0, 3.0, 2.0, 0.0, 5.0, 3.0, 2.0, 2.0];
        assert_eq!(solve(&c, 3, 3), vec![Some(1), Some(0), Some(2)]);
    }

    #[test]
    fn forbidden_pairs_give_a_maximum_matching_not_a_failure() {
        // Row 1 can only take column 0, which row 0 would like too.
        let inf = f64::INFINITY;
        let c = [1.0, 10.0, 5.0, inf];
        assert_eq!(solve(&c, 2, 2), vec![Some(1), Some(0)]);
        // One column, two rows: the cheaper row wins even though it comes second.
        assert_eq!(solve(&[10.0, 1.0], 2, 1), vec![None, Some(0)]);
        assert_eq!(solve(&[inf, inf], 1, 2), vec![None]);
        assert_eq!(solve(&[], 0, 3), Vec::<Option<usize>>::new());
    }
}
