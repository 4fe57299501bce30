//! Data association: from each track's hypotheses to a decision for the scan. The role is
//! [`DataAssociator`]; its implementations are [`GlobalNearestNeighbour`] (one hypothesis per
//! track, jointly optimal), [`crate::jpda::Jpda`] (weights over every hypothesis) and
//! [`Associator`], the one a [`TrackerConfig`] names. A user's own associator implements the
//! trait and goes into [`crate::Tracker::with_associator`] (see `examples/custom_associator.rs`).
use crate::assignment;
use crate::config::{AssociationMethod, TrackerConfig};
use crate::hypothesis::Hypothesis;
use crate::jpda::{Jpda, JpdaConfig, JpdaError, Marginals};
use thiserror::Error;

/// What an associator decided for one scan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Association {
    /// One hypothesis per track, in the order of the hypotheses given, no measurement used
    /// twice: the hard decision. The tracker counts hits and misses from it, and starts a
    /// track's velocity from it.
    pub chosen: Vec<Hypothesis>,
    /// For a soft associator, every track's weights over its hypotheses: the tracker then
    /// updates a track past its start with the mixture of all of them, and a measurement that
    /// is more likely a track's than clutter starts no track. `None` for a hard associator.
    pub weights: Option<Marginals>,
}

impl Association {
    /// A hard decision: `chosen`, no weights.
    pub fn hard(chosen: Vec<Hypothesis>) -> Self {
        Association {
            chosen,
            weights: None,
        }
    }

    /// `(β₀, [(measurement, βⱼ)])` of track `track` under a soft association, `None` under a
    /// hard one.
    pub fn weights(&self, track: usize) -> Option<(f64, &[(usize, f64)])> {
        self.weights
            .as_ref()
            .map(|m| (m.missed[track], m.detected[track].as_slice()))
    }

    /// Whether measurement `measurement` belongs to the tracks even if no track chose it: under
    /// a soft association, when it is at most as likely clutter as a track's.
    pub fn claims(&self, measurement: usize) -> bool {
        self.weights
            .as_ref()
            .is_some_and(|m| m.clutter[measurement] <= 0.5)
    }
}

/// Why an association failed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AssociationError {
    /// Joint probabilistic data association rejected its input.
    #[error("joint probabilistic data association failed")]
    Jpda(#[from] JpdaError),
}

/// Decides a scan from each track's hypotheses.
pub trait DataAssociator {
    /// The decision for a scan of `num_measurements` measurements, given one list of hypotheses
    /// per track (as a [`crate::Hypothesiser`] makes them: the gated detections, then one
    /// [`Hypothesis::Missed`]).
    fn associate(
        &self,
        hypotheses: &[Vec<Hypothesis>],
        num_measurements: usize,
    ) -> Result<Association, AssociationError>;
}

/// The associator a [`TrackerConfig`] names ([`AssociationMethod`]), chosen once when the
/// tracker is built; each scan then runs the chosen one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Associator {
    /// [`GlobalNearestNeighbour`].
    Gnn(GlobalNearestNeighbour),
    /// [`Jpda`].
    Jpda(Jpda),
}

impl Associator {
    /// The associator of `config.association`, with JPDA's parameters from `config`.
    pub fn from_config(config: &TrackerConfig) -> Self {
        match config.association {
            AssociationMethod::Gnn => Associator::Gnn(GlobalNearestNeighbour),
            AssociationMethod::Jpda => Associator::Jpda(Jpda {
                config: JpdaConfig::new(
                    config.detection_probability,
                    config.gate_probability,
                    config.clutter_density,
                ),
            }),
        }
    }
}

impl DataAssociator for Associator {
    fn associate(
        &self,
        hypotheses: &[Vec<Hypothesis>],
        num_measurements: usize,
    ) -> Result<Association, AssociationError> {
        match self {
            Associator::Gnn(a) => a.associate(hypotheses, num_measurements),
            Associator::Jpda(a) => a.associate(hypotheses, num_measurements),
        }
    }
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

/// The root of `i` in a union–find forest, halving the path on the way.
pub(crate) fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The choice of [`assignment::solve`] for a cluster of one track, without building the
/// matrix; `None` if the track's hypotheses are not in the form the hypothesiser promises
/// (detections in strictly increasing measurement index, then one miss, all costs finite), in
/// which case the caller solves the general way.
///
/// Alone in its cluster, the track owns every column of its row, all finite, and the solver's
/// Dijkstra step picks the cheapest column, the lowest-numbered one on ties (it scans columns
/// from the last and lets a later, free, column win a tie). The columns are the detections in
/// increasing measurement index, then the miss: so the first cheapest detection, or the miss
/// if it is strictly cheaper than every detection.
fn single_track_choice(hyps: &[Hypothesis]) -> Option<Hypothesis> {
    let (miss, detections) = hyps.split_last()?;
    let Hypothesis::Missed { cost: miss_cost } = *miss else {
        return None;
    };
    if !miss_cost.is_finite() {
        return None;
    }
    let mut best: Option<(f64, Hypothesis)> = None;
    let mut previous = None;
    for h in detections {
        let Hypothesis::Detected {
            measurement, cost, ..
        } = *h
        else {
            return None;
        };
        if !cost.is_finite() || previous.is_some_and(|p| measurement <= p) {
            return None;
        }
        previous = Some(measurement);
        if best.is_none_or(|(b, _)| cost < b) {
            best = Some((cost, *h));
        }
    }
    match best {
        Some((b, h)) if b <= miss_cost => Some(h),
        _ => Some(*miss),
    }
}

impl DataAssociator for GlobalNearestNeighbour {
    fn associate(
        &self,
        hypotheses: &[Vec<Hypothesis>],
        num_measurements: usize,
    ) -> Result<Association, AssociationError> {
        Ok(Association::hard(associate_by_clusters(
            hypotheses,
            num_measurements,
            true,
        )))
    }
}

/// [`GlobalNearestNeighbour`]'s association. With `settle_lone_tracks`, a track whose
/// measurements no other track gated is decided at once, without the clustering (the same
/// choice: it would be a cluster of its own); the unit tests check the two ways agree.
fn associate_by_clusters(
    hypotheses: &[Vec<Hypothesis>],
    num_measurements: usize,
    settle_lone_tracks: bool,
) -> Vec<Hypothesis> {
    let mut chosen: Vec<Hypothesis> = hypotheses
        .iter()
        .map(|h| Hypothesis::missed_of(h))
        .collect();
    let settled = if settle_lone_tracks {
        settle_lone(hypotheses, num_measurements, &mut chosen)
    } else {
        vec![false; hypotheses.len()]
    };
    let clusters = Clusters::new(hypotheses, num_measurements, &settled);
    let nt = hypotheses.len();
    let mut col_of_measurement = vec![NONE; num_measurements];
    let mut cost = Vec::new();
    let mut workspace = assignment::Workspace::default();
    let mut solution = Vec::new();
    for c in 0..clusters.count() {
        let (tracks, meas) = clusters.members(c);
        if let [t] = *tracks {
            if let Some(h) = single_track_choice(&hypotheses[t]) {
                chosen[t] = h;
                continue;
            }
        }
        // One row per track; one column per measurement, then one "missed" column per track.
        let (rows, nm) = (tracks.len(), meas.len());
        let cols = nm + rows;
        for (col, &node) in meas.iter().enumerate() {
            col_of_measurement[node - nt] = col;
        }
        cost.clear();
        cost.resize(rows * cols, f64::INFINITY);
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
        assignment::solve_with(&mut workspace, &cost, rows, cols, &mut solution);
        for (r, col) in solution.iter().enumerate() {
            if let Some(col) = col.filter(|&col| col < nm) {
                let t = tracks[r];
                chosen[t] = Hypothesis::detection_of(&hypotheses[t], meas[col] - nt)
                    .expect("the solver only picks finite-cost, i.e. hypothesised, pairs");
            }
        }
    }
    chosen
}

/// No cluster, or no such index.
const NONE: usize = usize::MAX;

fn has_detection(hyps: &[Hypothesis]) -> bool {
    hyps.iter()
        .any(|h| matches!(h, Hypothesis::Detected { .. }))
}

/// A track none of whose measurements another track gated is a cluster of its own (the usual
/// case): settle it at once (into `chosen`) and leave it out of the clustering. Returns which
/// tracks were settled.
fn settle_lone(
    hypotheses: &[Vec<Hypothesis>],
    num_measurements: usize,
    chosen: &mut [Hypothesis],
) -> Vec<bool> {
    let mut gated_by = vec![0u32; num_measurements];
    for hyps in hypotheses {
        for h in hyps {
            if let Hypothesis::Detected { measurement, .. } = *h {
                gated_by[measurement] = gated_by[measurement].saturating_add(1);
            }
        }
    }
    let mut settled = vec![false; hypotheses.len()];
    for (t, hyps) in hypotheses.iter().enumerate() {
        let alone = has_detection(hyps)
            && hyps.iter().all(|h| match *h {
                Hypothesis::Detected { measurement, .. } => gated_by[measurement] == 1,
                Hypothesis::Missed { .. } => true,
            });
        if let Some(h) = single_track_choice(hyps).filter(|_| alone) {
            chosen[t] = h;
            settled[t] = true;
        }
    }
    settled
}

/// The connected components of the gating graph over the tracks not yet settled, as nodes
/// `0..T` (tracks) and `T..T+M` (measurements), numbered in order of their first track.
struct Clusters {
    /// Every cluster's nodes, tracks then measurements, each in increasing index; cluster `c`
    /// is `members[start[c]..start[c + 1]]`, its first `tracks_in[c]` nodes tracks.
    members: Vec<usize>,
    start: Vec<usize>,
    tracks_in: Vec<usize>,
}

impl Clusters {
    fn new(hypotheses: &[Vec<Hypothesis>], num_measurements: usize, settled: &[bool]) -> Self {
        let nt = hypotheses.len();
        let clustered = |t: usize| !settled[t] && has_detection(&hypotheses[t]);
        // Union–find over nodes 0..nt (tracks) and nt..nt+M (measurements).
        let mut parent: Vec<usize> = (0..nt + num_measurements).collect();
        for (t, hyps) in hypotheses.iter().enumerate() {
            if settled[t] {
                continue;
            }
            for h in hyps {
                if let Hypothesis::Detected { measurement, .. } = *h {
                    let (a, b) = (find(&mut parent, t), find(&mut parent, nt + measurement));
                    // Smaller root wins, so clusters are labelled by their first track.
                    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                    parent[hi] = lo;
                }
            }
        }
        // Clusters numbered in order of their first track; each node's cluster (or NONE).
        let mut cluster_of_node = vec![NONE; nt + num_measurements];
        let mut clusters = 0;
        for t in (0..nt).filter(|&t| clustered(t)) {
            let r = find(&mut parent, t);
            if cluster_of_node[r] == NONE {
                cluster_of_node[r] = clusters;
                clusters += 1;
            }
            cluster_of_node[t] = cluster_of_node[r];
        }
        for mi in 0..num_measurements {
            let r = find(&mut parent, nt + mi);
            if r < nt {
                cluster_of_node[nt + mi] = cluster_of_node[r];
            }
        }
        Clusters::by_cluster(&cluster_of_node, clusters, nt)
    }

    /// Members of each cluster: a counting sort of the nodes by cluster (no allocation per
    /// cluster).
    fn by_cluster(cluster_of_node: &[usize], clusters: usize, nt: usize) -> Self {
        let mut start = vec![0usize; clusters + 1];
        let mut tracks_in = vec![0usize; clusters];
        for (node, &c) in cluster_of_node.iter().enumerate() {
            if c != NONE {
                start[c + 1] += 1;
                if node < nt {
                    tracks_in[c] += 1;
                }
            }
        }
        for c in 0..clusters {
            start[c + 1] += start[c];
        }
        let mut members = vec![0usize; start[clusters]];
        let mut fill = start.clone();
        for (node, &c) in cluster_of_node.iter().enumerate() {
            if c != NONE {
                members[fill[c]] = node;
                fill[c] += 1;
            }
        }
        Clusters {
            members,
            start,
            tracks_in,
        }
    }

    fn count(&self) -> usize {
        self.tracks_in.len()
    }

    /// Cluster `c`'s tracks and measurement nodes (`T + measurement index`).
    fn members(&self, c: usize) -> (&[usize], &[usize]) {
        self.members[self.start[c]..self.start[c + 1]].split_at(self.tracks_in[c])
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
    fn settling_lone_tracks_first_changes_no_association() {
        let mut state = 13_u64;
        let mut next = || iadsim_core::random::splitmix64(&mut state);
        for _ in 0..500 {
            let (nt, nm) = (1 + (next() % 30) as usize, (next() % 40) as usize);
            let hyps: Vec<Vec<Hypothesis>> = (0..nt)
                .map(|_| {
                    let mut h = Vec::new();
                    for m in 0..nm {
                        if next() % 8 == 0 {
                            h.push(det(m, (next() % 5) as f64));
                        }
                    }
                    h.push(Hypothesis::Missed { cost: 4.0 });
                    h
                })
                .collect();
            assert_eq!(
                associate_by_clusters(&hyps, nm, true),
                associate_by_clusters(&hyps, nm, false),
                "{hyps:?}"
            );
        }
    }

    #[test]
    fn single_track_shortcut_chooses_what_the_solver_chooses() {
        let mut state = 11_u64;
        let mut next = || iadsim_core::random::splitmix64(&mut state);
        for _ in 0..5_000 {
            let n = (next() % 5) as usize;
            // Few distinct costs, so that ties are common.
            let mut cost = || (next() % 4) as f64 - 1.0;
            let mut hyps: Vec<Hypothesis> = (0..n).map(|j| det(2 * j + 1, cost())).collect();
            hyps.push(Hypothesis::Missed { cost: cost() });
            let row: Vec<f64> = hyps.iter().map(Hypothesis::cost).collect();
            let want = match assignment::solve(&row, 1, n + 1)[0] {
                Some(c) => hyps[c],
                None => unreachable!("a finite row is always assigned"),
            };
            assert_eq!(single_track_choice(&hyps), Some(want), "{hyps:?}");
        }
        // Not in the hypothesiser's form: left to the solver.
        let miss = Hypothesis::Missed { cost: 1.0 };
        assert_eq!(single_track_choice(&[det(3, 0.0), det(3, 1.0), miss]), None);
        assert_eq!(single_track_choice(&[det(1, f64::INFINITY), miss]), None);
        assert_eq!(single_track_choice(&[det(1, 0.0)]), None);
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
        let chosen = GlobalNearestNeighbour.associate(&hyps, 3).unwrap().chosen;
        assert_eq!(
            chosen,
            vec![det(1, 2.0), det(0, 3.0), Hypothesis::Missed { cost: 10.0 }]
        );
    }
}
