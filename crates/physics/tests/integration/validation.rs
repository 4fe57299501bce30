//! Against independent computations (dense sampling, geodesic inverse, ECEF chords).
use crate::{climb_cruise_dive, low_route};
use iadsim_geo::{inverse, Ecef, Geodetic};

#[test]
fn length_matches_a_dense_sum_of_ecef_chords() {
    let route = climb_cruise_dive();
    for leg in 0..route.leg_count() {
        let (t0, t1) = (route.leg_start_s(leg), route.leg_start_s(leg + 1));
        let n = 20_000;
        let mut sum = 0.0;
        let mut prev = route.state_at(t0).position_ecef_m;
        for i in 1..=n {
            // Sample leg `leg` itself at its end, not the next leg's start (same point).
            let t = if i == n {
                t1 - 1e-9
            } else {
                t0 + (t1 - t0) * i as f64 / n as f64
            };
            let p = route.state_at(t).position_ecef_m;
            sum += (p - prev).norm();
            prev = p;
        }
        let leg_len = (t1 - t0) * route.speed_mps();
        // 1e-7: chords of ~15 m under-run the arc by ~1e-13; the rest is rounding and 1 ns.
        assert!(
            (sum / leg_len - 1.0).abs() < 1e-7,
            "leg {leg}: {sum} vs {leg_len}"
        );
    }
}

#[test]
fn low_route_stays_at_its_altitude_where_a_chord_goes_underground() {
    let route = low_route();
    let n = 1_000;
    for i in 0..=n {
        let s = route.state_at(route.duration_s() * i as f64 / n as f64);
        assert!(
            (s.position.alt_m - 30.0).abs() < 1e-3,
            "{} m",
            s.position.alt_m
        );
        // The ECEF position is the geodetic one (round trip through the geo crate).
        let back = Ecef(s.position_ecef_m).to_geodetic();
        assert!((back.alt_m - 30.0).abs() < 1e-3);
    }
    // Why: the straight ECEF chord between the same waypoints dips ~1.8 km below the ellipsoid.
    let a = Geodetic::from_degrees(33.0, 41.0, 30.0).to_ecef().0;
    let b = Geodetic::from_degrees(33.26, 44.23, 30.0).to_ecef().0;
    let mid = Ecef((a + b) * 0.5).to_geodetic();
    assert!(mid.alt_m < -1_500.0, "{} m", mid.alt_m);
}

#[test]
fn altitude_is_linear_in_ground_distance_along_the_geodesic() {
    let route = climb_cruise_dive();
    let wp = route.waypoints().to_vec();
    for leg in 0..route.leg_count() {
        let (a, b) = (wp[leg], wp[leg + 1]);
        let total = inverse(a.lat_deg(), a.lon_deg(), b.lat_deg(), b.lon_deg())
            .unwrap()
            .distance_m;
        let (t0, t1) = (route.leg_start_s(leg), route.leg_start_s(leg + 1));
        for k in 1..10 {
            let s = route.state_at(t0 + (t1 - t0) * k as f64 / 10.0);
            assert_eq!(s.leg, leg);
            let g = inverse(
                a.lat_deg(),
                a.lon_deg(),
                s.position.lat_deg(),
                s.position.lon_deg(),
            )
            .unwrap();
            let expected = a.alt_m + (b.alt_m - a.alt_m) * g.distance_m / total;
            assert!((s.position.alt_m - expected).abs() < 1e-3);
            // And the point is on the leg's geodesic: the remaining distance adds up.
            let rest = inverse(
                s.position.lat_deg(),
                s.position.lon_deg(),
                b.lat_deg(),
                b.lon_deg(),
            )
            .unwrap();
            assert!((g.distance_m + rest.distance_m - total).abs() < 1e-3);
        }
    }
}
