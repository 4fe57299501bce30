//! Data association: choose one hypothesis per track, each measurement used at most once.
use crate::assignment;
use crate::hypothesis::Hypothesis;

/// Picks a jointly consistent set of hypotheses for a scan.
pub trait DataAssociator {
    /// One hypothesis per track (same order as `hypotheses`), no measurement used twice.
    /// `num_measurements` is the size of the scan.
    fn associate(&self, hypotheses: &[Vec<Hypothesis>], num_measurements: usize)
        -> Vec<Hypothesis>;
}

/// Global nearest neighbour: the joint hypothesis of least total cost, found exactly with
/// [`assignment::solve`].
///
/// Tracks and measurements are first split into clusters (connected components of the gating
/// graph), each solved on its own, so the cubic solver only ever sees small matrices. Within a
/// cluster the matrix has one row per track and one column per measurement plus one "missed"
/// column per track, which only its own track may take; a full assignment therefore always
/// exists and a miss is chosen explicitly, at its own cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GlobalNearestNeighbour;

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

impl DataAssociator for GlobalNearestNeighbour {
    fn associate(
        &self,
        hypotheses: &[Vec<Hypothesis>],
        num_measurements: usize,
    ) -> Vec<Hypothesis> {
        let nt = hypotheses.len();
        let missed = |hyps: &[Hypothesis]| {
            hyps.iter()
                .copied()
                .find(|h| matches!(h, Hypothesis::Missed { .. }))
                .unwrap_or(Hypothesis::Missed { cost: 0.0 })
        };

        // Union–find over nodes 0..nt (tracks) and nt..nt+M (measurements).
        let mut parent: Vec<usize> = (0..nt + num_measurements).collect();
        for (t, hyps) in hypotheses.iter().enumerate() {
            for h in hyps {
                if let Hypothesis::Detected { measurement, .. } = *h {
                    let (a, b) = (find(&mut parent, t), find(&mut parent, nt + measurement));
                    // Smaller root wins, so clusters are labelled by their first track.
                    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                    parent[hi] = lo;
                }
            }
        }
        // Clusters in order of their first track; members in increasing index.
        let mut cluster_of_root = vec![usize::MAX; nt + num_measurements];
        let mut clusters: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        for (t, hyps) in hypotheses.iter().enumerate() {
            if !hyps
                .iter()
                .any(|h| matches!(h, Hypothesis::Detected { .. }))
            {
                continue;
            }
            let r = find(&mut parent, t);
            if cluster_of_root[r] == usize::MAX {
                cluster_of_root[r] = clusters.len();
                clusters.push((Vec::new(), Vec::new()));
            }
            clusters[cluster_of_root[r]].0.push(t);
        }
        for mi in 0..num_measurements {
            let r = find(&mut parent, nt + mi);
            if r < nt && cluster_of_root[r] != usize::MAX {
                clusters[cluster_of_root[r]].1.push(mi);
            }
        }

        let mut chosen: Vec<Hypothesis> = hypotheses.iter().map(|h| missed(h)).collect();
        let mut col_of_measurement = vec![usize::MAX; num_measurements];
        for (tracks, meas) in &clusters {
            let (rows, nm) = (tracks.len(), meas.len());
            let cols = nm + rows;
            for (c, &mi) in meas.iter().enumerate() {
                col_of_measurement[mi] = c;
            }
            let mut cost = vec![f64::INFINITY; rows * cols];
            for (r, &t) in tracks.iter().enumerate() {
                for h in &hypotheses[t] {
                    match *h {
                        Hypothesis::Detected {
                            measurement,
                            cost: c,
                            ..
                        } => {
                            cost[r * cols + col_of_measurement[measurement]] = c;
                        }
                        Hypothesis::Missed { cost: c } => cost[r * cols + nm + r] = c,
                    }
                }
            }
            for (r, col) in assignment::solve(&cost, rows, cols).into_iter().enumerate() {
                let t = tracks[r];
                if let Some(c) = col.filter(|&c| c < nm) {
                    chosen[t] = hypotheses[t]
                        .iter()
                        .copied()
                        .find(|h| matches!(*h, Hypothesis::Detected { measurement, .. } if measurement == meas[c]))
                        .expect("the solver only picks finite-cost, i.e. hypothesised, pairs");
                }
            }
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det(measurement: usize, cost: f64) -> Hypothesis {
        Hypothesis::Detected {
            measurement,
            mahalanobis2: cost,
            cost,
        }
    }

    #[test]
    fn competing_tracks_share_measurements_optimally() {
        // Track 0 likes m0 (1) and m1 (2); track 1 only gates m0 (3). Greedy would give m0 to
        // track 0 and starve track 1; GNN gives 2 + 3 = 5 < 1 + miss(10).
        let hyps = vec![
            vec![det(0, 1.0), det(1, 2.0), Hypothesis::Missed { cost: 10.0 }],
            vec![det(0, 3.0), Hypothesis::Missed { cost: 10.0 }],
            vec![Hypothesis::Missed { cost: 10.0 }],
        ];
        let chosen = GlobalNearestNeighbour.associate(&hyps, 3);
        assert_eq!(
            chosen,
            vec![det(1, 2.0), det(0, 3.0), Hypothesis::Missed { cost: 10.0 }]
        );
    }
}
