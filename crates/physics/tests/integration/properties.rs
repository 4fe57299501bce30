//! Invariants of a route.
use crate::{climb_cruise_dive, low_route};
use iadsim_geo::Geodetic;
use iadsim_physics::{PhysicsError, Route};

#[test]
fn duration_is_length_over_speed() {
    let route = climb_cruise_dive();
    assert!((route.duration_s() - route.length_m() / 250.0).abs() < 1e-9);
    assert_eq!(route.leg_start_s(3), route.duration_s());
    // The 3-D length exceeds the ground length (climb, dive, and 10 km above the ellipsoid).
    let ground: f64 = route
        .waypoints()
        .windows(2)
        .map(|w| {
            iadsim_geo::inverse(
                w[0].lat_deg(),
                w[0].lon_deg(),
                w[1].lat_deg(),
                w[1].lon_deg(),
            )
            .unwrap()
            .distance_m
        })
        .sum();
    assert!(route.length_m() > ground);
}

#[test]
fn leg_ends_are_the_waypoints_to_a_millimetre() {
    for route in [climb_cruise_dive(), low_route()] {
        for (i, wp) in route.waypoints().iter().enumerate() {
            let s = route.state_at(route.leg_start_s(i));
            let err = (s.position_ecef_m - wp.to_ecef().0).norm();
            assert!(err < 1e-3, "waypoint {i}: {err} m");
        }
        // Just before a leg ends, the point is within one speed·(1 µs) of the waypoint.
        for leg in 0..route.leg_count() {
            let s = route.state_at(route.leg_start_s(leg + 1) - 1e-6);
            assert_eq!(s.leg, leg);
            let wp = route.waypoints()[leg + 1].to_ecef().0;
            assert!((s.position_ecef_m - wp).norm() < 1e-3);
        }
    }
}

#[test]
fn speed_is_the_route_speed_everywhere() {
    let route = climb_cruise_dive();
    let n = 500;
    for i in 0..n {
        let s = route.state_at(route.duration_s() * i as f64 / n as f64);
        assert!((s.velocity_ecef_mps.norm() - 250.0).abs() < 1e-9);
    }
}

#[test]
fn velocity_is_the_time_derivative_of_position() {
    let route = climb_cruise_dive();
    let dt = 0.05;
    let n = 200;
    for i in 1..n {
        let t = route.duration_s() * i as f64 / n as f64;
        let s = route.state_at(t);
        // Central differences are invalid across a waypoint corner.
        if (0..=route.leg_count()).any(|k| (route.leg_start_s(k) - t).abs() < 2.0 * dt) {
            continue;
        }
        let fd = (route.state_at(t + dt).position_ecef_m - route.state_at(t - dt).position_ecef_m)
            / (2.0 * dt);
        // 1e-5 m/s: truncation (v²/R)·dt²/6-type terms are ~1e-8; rounding of 6e6 m ECEF
        // coordinates over 0.1 s is ~1e-8. Without the h/R stretch at 10 km the error is 0.4 m/s.
        let err = (fd - s.velocity_ecef_mps).norm();
        assert!(err < 1e-5, "t = {t}: {err} m/s");
    }
}

#[test]
fn waits_at_the_start_and_stops_at_the_end() {
    let route = low_route();
    let before = route.state_at(-10.0);
    assert_eq!(before.position, route.state_at(0.0).position);
    assert!(!before.finished);
    let after = route.state_at(route.duration_s() + 100.0);
    assert!(after.finished);
    assert_eq!(after.leg, 0);
    assert_eq!(after.position, route.waypoints()[1]);
    assert_eq!(after.velocity_ecef_mps.norm(), 0.0);
}

#[test]
fn invalid_routes_are_errors_naming_the_problem() {
    let a = Geodetic::from_degrees(33.0, 41.0, 30.0);
    let b = Geodetic::from_degrees(33.1, 41.0, 30.0);
    let up = Geodetic::from_degrees(33.0, 41.0, 1_000.0);
    assert_eq!(
        Route::new(&[a], 200.0),
        Err(PhysicsError::TooFewWaypoints { count: 1 })
    );
    assert!(matches!(
        Route::new(&[a, b], 0.0),
        Err(PhysicsError::InvalidSpeed { .. })
    ));
    assert!(matches!(
        Route::new(&[a, b], f64::NAN),
        Err(PhysicsError::InvalidSpeed { .. })
    ));
    assert!(matches!(
        Route::new(&[a, b, b], 200.0),
        Err(PhysicsError::ZeroLengthLeg { leg: 1, .. })
    ));
    assert!(matches!(
        Route::new(&[a, up], 200.0),
        Err(PhysicsError::VerticalLeg { leg: 0, .. })
    ));
    let bad = Geodetic::from_degrees(95.0, 41.0, 30.0);
    assert!(matches!(
        Route::new(&[a, bad], 200.0),
        Err(PhysicsError::Geodesic { leg: 0, .. })
    ));
}
