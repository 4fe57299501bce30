//! Plugging your own data associator into the tracker.
//!
//! `GreedyNearestNeighbour` below is a [`DataAssociator`] written outside the crate: each track,
//! in order, takes its cheapest detection that no earlier track took, if it is cheaper than
//! the track's miss. (The built-in `GlobalNearestNeighbour` solves the same problem jointly and
//! exactly; greedy is quicker and can be worse when gates overlap.) The tracker runs it in place
//! of the configured GNN or JPDA; everything else (gating, filter, life cycle) is unchanged.
//!
//! Run with `cargo run -p iadsim-track --example custom_associator`.
use iadsim_core::{SensorId, SimTime, TrackStatus};
use iadsim_track::{
    Association, AssociationError, DataAssociator, Hypothesis, Measurement, TrackError, Tracker,
    TrackerConfig,
};
use nalgebra::{Matrix3, Vector3};

/// Greedy nearest neighbour, track by track.
struct GreedyNearestNeighbour;

impl DataAssociator for GreedyNearestNeighbour {
    fn associate(
        &self,
        hypotheses: &[Vec<Hypothesis>],
        num_measurements: usize,
    ) -> Result<Association, AssociationError> {
        let mut taken = vec![false; num_measurements];
        let chosen = hypotheses
            .iter()
            .map(|hyps| {
                let missed = Hypothesis::missed_of(hyps);
                let best = hyps
                    .iter()
                    .filter(|h| match h {
                        Hypothesis::Detected { measurement, .. } => !taken[*measurement],
                        Hypothesis::Missed { .. } => false,
                    })
                    .min_by(|a, b| a.cost().total_cmp(&b.cost()))
                    .copied();
                match best {
                    Some(h @ Hypothesis::Detected { measurement, .. })
                        if h.cost() <= missed.cost() =>
                    {
                        taken[measurement] = true;
                        h
                    }
                    _ => missed,
                }
            })
            .collect();
        // A hard decision: no weights, so unused measurements start tentative tracks.
        Ok(Association::hard(chosen))
    }
}

/// Two targets 2 km apart flying east at 200 m/s, seen by one radar every 2 s with 30 m noise
/// (a fixed, deterministic wobble stands in for random noise), and one false alarm per scan.
fn scan(k: u32, radar: SensorId) -> (SimTime, Vec<Measurement>) {
    let t = 2.0 * f64::from(k);
    let time = SimTime::from_secs_f64(t);
    let wobble = |phase: f64| 30.0 * (1.7 * t + phase).sin();
    let plot = |x: f64, y: f64| Measurement {
        time,
        sensor: radar,
        z_m: Vector3::new(x, y, 3_000.0),
        r_m2: Matrix3::identity() * 30.0_f64.powi(2),
        polar: None,
    };
    let plots = vec![
        plot(200.0 * t + wobble(0.0), wobble(1.0)),
        plot(200.0 * t + wobble(2.0), 2_000.0 + wobble(3.0)),
        plot(15_000.0 * (2.9 * t).sin(), 9_000.0 * (1.3 * t).cos()),
    ];
    (time, plots)
}

fn main() -> Result<(), TrackError> {
    let config = TrackerConfig {
        q_m2ps3: 1.0,
        ..TrackerConfig::default()
    };
    let mut tracker = Tracker::new(config)?.with_associator(GreedyNearestNeighbour);
    let radar = SensorId(1);
    for k in 0..10 {
        let (time, plots) = scan(k, radar);
        let outcome = tracker.process_scan(time, radar, &plots)?;
        println!(
            "t = {:4.1} s: {} associated, {} started, {} confirmed, {} deleted",
            time.as_secs_f64(),
            outcome.associations.len(),
            outcome.initiated.len(),
            outcome.confirmed.len(),
            outcome.deleted.len()
        );
    }
    for report in tracker
        .reports()
        .iter()
        .filter(|r| r.status == TrackStatus::Confirmed)
    {
        let [x, y, _] = report.position_ecef_m;
        let [vx, vy, _] = report.velocity_ecef_mps;
        println!(
            "{}: position ({x:8.0}, {y:6.0}) m, velocity ({vx:5.1}, {vy:5.1}) m/s, {} hits",
            report.id, report.hits
        );
    }
    Ok(())
}
