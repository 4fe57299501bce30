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
    assert_eq!(
        cost.len(),
        rows * cols,
        "assignment::solve: cost has {} entries, expected {rows} × {cols}",
        cost.len()
    );
    let mut result = vec![None; rows];
    if rows == 0 || cols == 0 {
        return result;
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
        return result; // every pair is forbidden
    }
    // M > hi + (n − 1)(hi − lo) is what the argument needs; the extra terms keep a margin that
    // survives rounding.
    let big_m = hi + (n as f64 + 1.0) * (hi - lo) + hi.abs() + 1.0;
    let mut c = Vec::with_capacity(n * m);
    for i in 0..n {
        for j in 0..m {
            let v = at(i, j);
            c.push(if v.is_finite() { v } else { big_m });
        }
    }

    let col4row = shortest_augmenting_path(&c, n, m);
    for (i, &j) in col4row.iter().enumerate() {
        if !at(i, j).is_finite() {
            continue;
        }
        if transpose {
            result[j] = Some(i);
        } else {
            result[i] = Some(j);
        }
    }
    result
}

/// Crouse (2016) Algorithm 1 on a finite `n × m` matrix with `n ≤ m`: rows are added one at a
/// time, each by the shortest augmenting path in reduced costs (Dijkstra over columns), after
/// which the dual variables `u`, `v` are updated so that reduced costs stay non-negative.
/// Returns the column of each row.
fn shortest_augmenting_path(c: &[f64], n: usize, m: usize) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let mut u = vec![0.0; n];
    let mut v = vec![0.0; m];
    let mut col4row = vec![NONE; n];
    let mut row4col = vec![NONE; m];
    let mut path = vec![NONE; m];
    let mut spc = vec![f64::INFINITY; m]; // shortest path cost to each column
    let mut sr = vec![false; n]; // rows scanned in this search
    let mut sc = vec![false; m]; // columns scanned in this search
    let mut remaining = vec![0usize; m];

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
    col4row
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
