//! Invariants of the flyout, the CPA and the speed profile.
use crate::{constant_speed, engage, origin};
use iadsim_interceptor::{
    closest_point_of_approach, passes_cpa_within_step, Interceptor, Kinematics,
    MIN_USEFUL_SPEED_FRACTION,
};
use nalgebra::Vector3;

/// Lateral-acceleration limit of [`g_limited`], m/s² (≈ 11.7 g).
const G_LIMIT_MPS2: f64 = 115.0;

/// A g-limited engagement that misses by about 84 m: a 400 m/s crossing target close in, against
/// a 900 m/s interceptor launched at the target's present position. (Above ≈ 120 m/s² it hits.)
fn g_limited(dt: f64) -> crate::Outcome {
    let kin = constant_speed(900.0, G_LIMIT_MPS2, 4.0);
    let target = origin() + Vector3::new(2_000.0, -3_000.0, 5_000.0);
    let target_vel = Vector3::new(0.0, 400.0, 0.0);
    let m = Interceptor::launch(origin(), target - origin(), kin).unwrap();
    engage(m, target, target_vel, dt)
}

#[test]
fn miss_distance_does_not_depend_on_the_step() {
    let coarse = g_limited(0.01).cpa.expect("cpa");
    let fine = g_limited(0.002).cpa.expect("cpa");
    assert!(
        coarse.miss_distance_m > 5.0,
        "not g-limited: {}",
        coarse.miss_distance_m
    );
    // 0.5 m: the brief's tolerance; the two agree to about 1 mm.
    assert!(
        (coarse.miss_distance_m - fine.miss_distance_m).abs() < 0.5,
        "{} m vs {} m",
        coarse.miss_distance_m,
        fine.miss_distance_m
    );
}

#[test]
fn lateral_acceleration_never_exceeds_the_limit() {
    let dt = 0.01;
    let out = g_limited(dt);
    let limit = G_LIMIT_MPS2;
    assert!(
        out.steps.iter().any(|s| s.accel_limited),
        "limit never reached"
    );
    for s in &out.steps {
        assert!(s.lateral_accel_mps2.norm() <= limit * (1.0 + 1e-12));
    }
    // Achieved, not only commanded: at constant speed all of Δv/Δt is lateral.
    for w in out.velocities.windows(2) {
        assert!((w[1] - w[0]).norm() / dt <= limit * (1.0 + 1e-9));
    }
}

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

#[test]
fn for_max_range_reaches_the_range_at_the_useful_speed_floor() {
    let kin = Kinematics::for_max_range(250_000.0, 2_000.0, 12.0, 400.0, 4.0).unwrap();
    let t = kin.max_flight_time_s;
    assert!((kin.distance_flown(t) - 250_000.0).abs() < 1e-6);
    assert!((kin.speed_at(t) / kin.max_speed_mps - MIN_USEFUL_SPEED_FRACTION).abs() < 1e-12);
    assert!(Kinematics::for_max_range(10_000.0, 2_000.0, 12.0, 400.0, 4.0).is_err());
}

#[test]
fn speed_profile_is_continuous_and_peaks_at_burnout() {
    let mut kin = Kinematics::for_max_range(100_000.0, 1_500.0, 5.0, 300.0, 4.0).unwrap();
    kin.launch_speed_mps = 30.0;
    assert_eq!(kin.speed_at(0.0), 30.0);
    assert!((kin.speed_at(5.0 - 1e-9) - 1_500.0).abs() < 1e-3);
    assert_eq!(kin.speed_at(5.0), 1_500.0);
    assert!(kin.speed_at(6.0) < 1_500.0);
    assert!((kin.distance_flown(5.0) - 0.5 * (30.0 + 1_500.0) * 5.0).abs() < 1e-9);
}

#[test]
fn launch_rejects_a_zero_direction() {
    let kin = constant_speed(900.0, 50.0, 4.0);
    assert!(Interceptor::launch(origin(), Vector3::zeros(), kin).is_err());
}

#[test]
fn flyout_converges_at_second_order() {
    // Heading-error engagement against a crossing target, flown to t = 4 s at three step sizes.
    let kin = constant_speed(1_000.0, 1e6, 4.0);
    let target0 = origin() + Vector3::new(1_000.0, -3_000.0, 10_000.0);
    let target_vel = Vector3::new(0.0, 300.0, 0.0);
    let fly = |dt: f64| {
        let mut m = Interceptor::launch(origin(), target0 - origin(), kin).unwrap();
        let n = (4.0 / dt).round() as usize;
        for i in 0..n {
            let target = target0 + target_vel * (i as f64 * dt);
            m.step(dt, &target, &target_vel);
        }
        m.position_ecef_m
    };
    let (p1, p2, p4) = (fly(0.04), fly(0.02), fly(0.01));
    let ratio = (p1 - p2).norm() / (p2 - p4).norm();
    // Richardson: a second-order scheme gives 4; 3–5 allows higher-order terms at dt = 0.04 s.
    assert!((3.0..5.0).contains(&ratio), "ratio {ratio}");
}
