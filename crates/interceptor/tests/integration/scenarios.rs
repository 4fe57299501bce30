//! Whole engagements.
use crate::{engage, origin};
use iadsim_interceptor::{predict_intercept, Interceptor, Kinematics};
use nalgebra::Vector3;

/// Crossing target 3 km up, 12 km north, flying east at 300 m/s; x up, y east, z north.
fn crossing_target() -> (Vector3<f64>, Vector3<f64>) {
    (
        origin() + Vector3::new(3_000.0, -6_000.0, 12_000.0),
        Vector3::new(0.0, 300.0, 0.0),
    )
}

#[test]
fn zero_lag_pn_hits_a_crossing_target_for_n_3_4_5() {
    let (target, target_vel) = crossing_target();
    for nav in [3.0, 4.0, 5.0] {
        let mut kin = Kinematics::for_max_range(60_000.0, 1_200.0, 3.0, 1e6, nav).unwrap();
        kin.launch_speed_mps = 40.0;
        // Launched straight at the target's present position: a large heading error to remove.
        let m = Interceptor::launch(origin(), target - origin(), kin).unwrap();
        let out = engage(m, target, target_vel, 0.01);
        let cpa = out.cpa.expect("intercept before max flight time");
        assert!(
            cpa.miss_distance_m < 1.0,
            "N'={nav}: miss {} m",
            cpa.miss_distance_m
        );
    }
}

#[test]
fn predict_intercept_agrees_with_a_straight_flight() {
    let (target, target_vel) = crossing_target();
    let kin = Kinematics::for_max_range(60_000.0, 1_200.0, 3.0, 300.0, 0.0).unwrap();
    let aim = predict_intercept(&origin(), &target, &target_vel, &kin).expect("reachable");
    // N' = 0: no guidance, the interceptor flies the straight line it was launched along.
    let m = Interceptor::launch(origin(), aim.launch_direction_unit, kin).unwrap();
    let out = engage(m, target, target_vel, 0.01);
    let cpa = out.cpa.expect("closest approach");
    // 1 %: the brief's tolerance; the straight flight is in fact exact to the CPA interpolation.
    assert!(
        (out.time_s / aim.time_to_go_s - 1.0).abs() < 0.01,
        "{} s vs {} s",
        out.time_s,
        aim.time_to_go_s
    );
    assert!(cpa.miss_distance_m < 1.0, "miss {} m", cpa.miss_distance_m);
    assert!((aim.interceptor_speed_mps - kin.speed_at(aim.time_to_go_s)).abs() < 1e-9);
}

#[test]
fn predict_intercept_is_none_out_of_reach() {
    let kin = Kinematics::for_max_range(40_000.0, 1_200.0, 3.0, 300.0, 4.0).unwrap();
    // 60 km away and receding at 300 m/s.
    let target = origin() + Vector3::new(5_000.0, 0.0, 60_000.0);
    assert!(predict_intercept(&origin(), &target, &Vector3::new(0.0, 0.0, 300.0), &kin).is_none());
    // The same target 20 km away is reachable (caught after about 45 s).
    let near = origin() + Vector3::new(5_000.0, 0.0, 20_000.0);
    assert!(predict_intercept(&origin(), &near, &Vector3::new(0.0, 0.0, 300.0), &kin).is_some());
}
