//! Invariants of the closest point of approach.
use crate::origin;
use iadsim_interceptor::{closest_point_of_approach, passes_cpa_within_step};
use nalgebra::Vector3;

#[test]
fn cpa_of_crossing_segments_matches_brute_force_sampling() {
    let p0 = origin() + Vector3::new(100.0, -50.0, 0.0);
    let p1 = p0 + Vector3::new(10.0, 12.0, -3.0);
    let q0 = origin() + Vector3::new(105.0, -40.0, -2.0);
    let q1 = q0 + Vector3::new(-4.0, -9.0, 1.0);
    let cpa = closest_point_of_approach(&p0, &p1, &q0, &q1);
    let n = 100_000;
    let (mut best_s, mut best_d) = (0.0, f64::INFINITY);
    for i in 0..=n {
        let s = i as f64 / n as f64;
        let d = ((q0 + (q1 - q0) * s) - (p0 + (p1 - p0) * s)).norm();
        if d < best_d {
            (best_s, best_d) = (s, d);
        }
    }
    assert!(cpa.fraction > 0.0 && cpa.fraction < 1.0);
    assert!((cpa.fraction - best_s).abs() < 2.0 / n as f64);
    // Sampling can only overestimate the minimum; 1e-6 m covers a 1e-5 step at this quadratic.
    assert!(cpa.miss_distance_m <= best_d + 1e-9 && best_d - cpa.miss_distance_m < 1e-6);
    assert_eq!(passes_cpa_within_step(&p0, &p1, &q0, &q1), Some(cpa));
    // Still closing at the end of a shortened step: not yet.
    let p_half = p0 + (p1 - p0) * (0.5 * cpa.fraction);
    let q_half = q0 + (q1 - q0) * (0.5 * cpa.fraction);
    assert_eq!(passes_cpa_within_step(&p0, &p_half, &q0, &q_half), None);
}
