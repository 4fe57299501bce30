//! Invariants: round trips, horizon geometry, input errors.

use std::f64::consts::{FRAC_PI_2, TAU};

use iadsim_geo::{
    direct, elevation_angle_4_3_rad, enu_to_polar, inverse, line_of_sight_4_3, polar_to_enu,
    radar_horizon_m, Ecef, Enu, EnuFrame, GeoError, Geodetic, Polar, EFFECTIVE_EARTH_FACTOR,
    EFFECTIVE_EARTH_RADIUS_M, MEAN_EARTH_RADIUS_M, WGS84_A_M,
};
use nalgebra::{Matrix3, Vector3};

use crate::SplitMix;

fn origins() -> Vec<Geodetic> {
    vec![
        Geodetic::from_degrees(33.30, 44.10, 40.0), // Baghdad
        Geodetic::from_degrees(0.0, 0.0, 0.0),
        Geodetic::from_degrees(-45.0, 170.0, -400.0),
        Geodetic::from_degrees(89.999_999, 12.0, 3000.0),
        Geodetic::from_degrees(90.0, 0.0, 0.0),
        Geodetic::from_degrees(-90.0, 77.0, 10.0),
    ]
}

#[test]
fn ecef_geodetic_round_trip_holds_on_a_dense_grid_of_latitudes_and_altitudes() {
    // Sub-millimetre everywhere from 500 m below the ellipsoid to geostationary altitude; the
    // bound is the crate's 1 mm position tolerance.
    let alts = [-500.0, 0.0, 30.0, 1e3, 1e4, 1e5, 1e6, 5e6, 3.6e7];
    let mut lats: Vec<f64> = (-180..=180).map(|i| f64::from(i) * 0.5).collect();
    lats.extend([89.999_999_999, -89.999_999_999, 1e-12, -1e-12]);
    let (mut worst_p, mut worst_lat) = (0.0_f64, 0.0_f64);
    for &lat in &lats {
        for &h in &alts {
            let g = Geodetic::from_degrees(lat, 44.4, h);
            let e = g.to_ecef();
            let back = e.to_geodetic();
            let dp = (back.to_ecef().0 - e.0).norm();
            let dlat = (back.lat_rad - g.lat_rad).abs();
            assert!(dp < 1e-3, "({lat}, {h}): position error {dp} m");
            assert!(
                (back.alt_m - h).abs() < 1e-3,
                "({lat}, {h}): height {}",
                back.alt_m
            );
            // 1e-11 rad ≈ 0.06 mm on the surface: the method is exact up to rounding.
            assert!(dlat < 1e-11, "({lat}, {h}): latitude error {dlat} rad");
            worst_p = worst_p.max(dp);
            worst_lat = worst_lat.max(dlat);
        }
    }
    eprintln!("grid round trip: worst position {worst_p:e} m, worst latitude {worst_lat:e} rad");
}

#[test]
fn ecef_to_geodetic_is_consistent_deep_inside_the_earth() {
    // Inside the evolute of the meridian ellipse (< ~43 km from the centre) the normal through a
    // point is not unique; Vermeille's second branch must still return *a* valid foot point.
    for p in [
        Vector3::new(10_000.0, 5_000.0, 20_000.0),
        Vector3::new(30_000.0, 0.0, 1_000.0),
        Vector3::new(0.0, 0.0, 30_000.0),
        Vector3::new(1.0e6, 2.0e6, -3.0e6),
    ] {
        let g = Ecef(p).to_geodetic();
        let dp = (g.to_ecef().0 - p).norm();
        assert!(dp < 1e-6, "{p:?}: round trip error {dp} m ({g:?})");
    }
}

/// `height_and_up` is `to_geodetic`'s height (bit for bit) and the normal of its latitude and
/// longitude (to rounding), everywhere from inside the evolute to geostationary altitude, the
/// poles included.
#[test]
fn height_and_up_agree_with_to_geodetic() {
    let mut points: Vec<Vector3<f64>> = Vec::new();
    for i in -90..=90 {
        for &h in &[-500.0, 0.0, 30.0, 1e4, 1e6, 3.6e7] {
            let lat = f64::from(i) * 1.0;
            let lon = f64::from(i) * 2.3 - 170.0;
            points.push(Geodetic::from_degrees(lat, lon, h).to_ecef().0);
        }
    }
    points.extend([
        Vector3::new(10_000.0, 5_000.0, 20_000.0),
        Vector3::new(0.0, 0.0, 7_000_000.0),
        Vector3::new(0.0, 0.0, -6_000_000.0),
    ]);
    for p in points {
        let g = Ecef(p).to_geodetic();
        let (h, up) = Ecef(p).height_and_up();
        assert_eq!(h.to_bits(), g.alt_m.to_bits(), "{p:?}");
        let (sl, cl) = g.lat_rad.sin_cos();
        let (so, co) = g.lon_rad.sin_cos();
        let want = Vector3::new(cl * co, cl * so, sl);
        assert!((up - want).norm() < 1e-15, "{p:?}: {up:?} vs {want:?}");
        assert!((up.norm() - 1.0).abs() < 1e-15, "{p:?}");
    }
}

#[test]
fn polar_axis_points_convert_to_the_poles() {
    let north = Ecef(Vector3::new(0.0, 0.0, 7_000_000.0)).to_geodetic();
    assert_eq!(north.lat_rad, FRAC_PI_2);
    assert_eq!(north.lon_rad, 0.0);
    let b = WGS84_A_M * (1.0 - iadsim_geo::WGS84_F);
    assert!((north.alt_m - (7_000_000.0 - b)).abs() < 1e-6);
    let south = Ecef(Vector3::new(0.0, 0.0, -6_000_000.0)).to_geodetic();
    assert_eq!(south.lat_rad, -FRAC_PI_2);
    assert!((south.alt_m - (6_000_000.0 - b)).abs() < 1e-6);
}

#[test]
fn enu_round_trips_are_exact_to_micrometres() {
    let mut rng = SplitMix(7);
    for origin in origins() {
        let frame = EnuFrame::new(origin);
        for _ in 0..200 {
            let enu = Enu(Vector3::new(
                rng.uniform(-5e5, 5e5),
                rng.uniform(-5e5, 5e5),
                rng.uniform(-1e4, 1e5),
            ));
            let back = frame.to_enu(&frame.to_ecef(&enu));
            // 1 µm: two rotations and a translation of ~1e7 m values; rounding is ~1e-9 m.
            assert!(
                (back.0 - enu.0).norm() < 1e-6,
                "{origin:?}: {enu:?} → {back:?}"
            );
            let ecef = Ecef(frame.origin_ecef().0 + enu.0);
            let back = frame.to_ecef(&frame.to_enu(&ecef));
            assert!((back.0 - ecef.0).norm() < 1e-6);
            let v = enu.0 / 1000.0;
            assert!((frame.vector_to_enu(&frame.vector_to_ecef(&v)) - v).norm() < 1e-12);
        }
    }
}

#[test]
fn enu_rotation_is_proper_orthonormal_and_up_is_the_ellipsoid_normal() {
    for origin in origins() {
        let frame = EnuFrame::new(origin);
        let r = frame.rotation_enu_to_ecef();
        assert!((r.transpose() * r - Matrix3::identity()).norm() < 1e-14);
        assert!((r.determinant() - 1.0).abs() < 1e-14);
        assert_eq!(frame.origin(), origin);
        assert_eq!(frame.origin_ecef(), origin.to_ecef());
        // Raising the origin along the normal moves it straight up in its own frame.
        let raised = Geodetic {
            alt_m: origin.alt_m + 1000.0,
            ..origin
        };
        let up = frame.to_enu(&raised.to_ecef());
        assert!(
            (up.0 - Vector3::new(0.0, 0.0, 1000.0)).norm() < 1e-6,
            "{up:?}"
        );
    }
    // Away from the poles a point slightly north is +N and slightly east is +E.
    let frame = EnuFrame::new(Geodetic::from_degrees(33.3, 44.4, 0.0));
    let north = frame.to_enu(&Geodetic::from_degrees(33.301, 44.4, 0.0).to_ecef());
    let east = frame.to_enu(&Geodetic::from_degrees(33.3, 44.401, 0.0).to_ecef());
    assert!(north.0.y > 100.0 && north.0.x.abs() < 1e-6);
    assert!(east.0.x > 80.0 && east.0.y.abs() < 1e-2);
}

#[test]
fn enu_polar_round_trips_and_azimuth_stays_in_range() {
    let mut rng = SplitMix(11);
    for _ in 0..2000 {
        let enu = Enu(Vector3::new(
            rng.uniform(-1e5, 1e5),
            rng.uniform(-1e5, 1e5),
            rng.uniform(-1e5, 1e5),
        ));
        let p = enu_to_polar(&enu);
        assert!((0.0..TAU).contains(&p.azimuth_rad), "{p:?}");
        assert!(p.elevation_rad.abs() <= FRAC_PI_2);
        let back = polar_to_enu(&p);
        // 1e-9 relative: a handful of trigonometric roundings on 1e5 m.
        assert!((back.0 - enu.0).norm() < 1e-9 * enu.0.norm().max(1.0));

        let polar = Polar {
            range_m: rng.uniform(0.0, 4e5),
            azimuth_rad: rng.uniform(0.0, TAU),
            elevation_rad: rng.uniform(-1.5, 1.5),
        };
        let again = enu_to_polar(&polar_to_enu(&polar));
        assert!((again.range_m - polar.range_m).abs() < 1e-8);
        assert!((again.elevation_rad - polar.elevation_rad).abs() < 1e-12);
        let daz = (again.azimuth_rad - polar.azimuth_rad).rem_euclid(TAU);
        assert!(daz.min(TAU - daz) < 1e-12);
    }
    // A tiny negative azimuth wraps to [0, 2π), never to exactly 2π.
    let p = enu_to_polar(&Enu(Vector3::new(-1e-300, 1.0, 0.0)));
    assert!(p.azimuth_rad < TAU);
    // The compass: north 0, east π/2, south π, west 3π/2.
    for (e, n, az) in [
        (0.0, 1.0, 0.0),
        (1.0, 0.0, 0.25),
        (0.0, -1.0, 0.5),
        (-1.0, 0.0, 0.75),
    ] {
        let p = enu_to_polar(&Enu(Vector3::new(e, n, 0.0)));
        assert!(
            (p.azimuth_rad - az * TAU).abs() < 1e-15,
            "({e}, {n}): {p:?}"
        );
    }
}

#[test]
fn horizon_of_24m_mast_and_30m_target_matches_the_textbook_formula() {
    let kr = EFFECTIVE_EARTH_FACTOR * MEAN_EARTH_RADIUS_M;
    assert_eq!(kr, EFFECTIVE_EARTH_RADIUS_M);
    // Independent evaluation of the exact form as the brief writes it.
    let exact =
        ((kr + 24.0_f64).powi(2) - kr * kr).sqrt() + ((kr + 30.0_f64).powi(2) - kr * kr).sqrt();
    // The small-height approximation √(2kRh₁) + √(2kRh₂) ≈ 20.2 km + 22.6 km.
    let approx = (2.0 * kr * 24.0).sqrt() + (2.0 * kr * 30.0).sqrt();
    let d = radar_horizon_m(24.0, 30.0);
    // 1e-3 m: the literal form loses ~7 digits to cancellation of (kR + h)² − (kR)².
    assert!((d - exact).abs() < 1e-3, "{d} vs {exact}");
    // 0.1 m: the approximation drops h², worth h²/(2√(2kRh)) ≈ 0.03 m here.
    assert!((d - approx).abs() < 0.1, "{d} vs {approx}");
    assert!(((2.0 * kr * 24.0).sqrt() - 20_200.0).abs() < 50.0);
    assert!(((2.0 * kr * 30.0).sqrt() - 22_600.0).abs() < 50.0);
    eprintln!("horizon(24 m, 30 m) = {d:.3} m");
    // Negative heights clamp to zero.
    assert_eq!(radar_horizon_m(-10.0, 30.0), radar_horizon_m(0.0, 30.0));
    assert_eq!(radar_horizon_m(0.0, 0.0), 0.0);
}

/// A point at height `h2` whose geodesic distance from `a` is `d` metres, heading 250°.
fn point_at(a: &Geodetic, d: f64, h2: f64) -> Geodetic {
    let end = direct(a.lat_deg(), a.lon_deg(), 250.0, d).unwrap();
    Geodetic::from_degrees(end.lat_deg, end.lon_deg, h2)
}

#[test]
fn line_of_sight_is_true_just_inside_and_false_just_outside_the_radar_horizon() {
    let site = Geodetic::from_degrees(33.30, 44.10, 0.0);
    // 1 m either side: the ground-arc horizon is shorter than the tangent-length horizon by
    // kR(α₁³ + α₂³)/3, 0.09 m for 24/30 m and 0.43 m for 50/100 m, so 1 m inside is inside both.
    for (h1, h2) in [(24.0, 30.0), (50.0, 100.0)] {
        let a = Geodetic { alt_m: h1, ..site };
        let horizon = radar_horizon_m(h1, h2);
        assert!(
            line_of_sight_4_3(&a, &point_at(&a, horizon - 1.0, h2)),
            "{h1}/{h2} inside"
        );
        assert!(
            !line_of_sight_4_3(&a, &point_at(&a, horizon + 1.0, h2)),
            "{h1}/{h2} outside"
        );
        // Symmetric in its arguments.
        let b = point_at(&a, horizon - 1.0, h2);
        assert!(line_of_sight_4_3(&b, &a));
    }
}

#[test]
fn line_of_sight_boundary_is_the_ground_arc_horizon_at_altitude() {
    // For a 10 km target the tangent and arc horizons differ by ~0.3 km; the test must follow
    // the arc: kR (acos(kR/(kR+h₁)) + acos(kR/(kR+h₂))).
    let kr = EFFECTIVE_EARTH_RADIUS_M;
    let (h1, h2) = (24.0, 10_000.0);
    let arc = kr * ((kr / (kr + h1)).acos() + (kr / (kr + h2)).acos());
    let a = Geodetic::from_degrees(33.30, 44.10, h1);
    // 0.05 m: acos near 1 loses about half the digits, ~1e-8 relative in α, i.e. ~1 cm here.
    assert!(line_of_sight_4_3(&a, &point_at(&a, arc - 0.05, h2)));
    assert!(!line_of_sight_4_3(&a, &point_at(&a, arc + 0.05, h2)));
    assert!(arc < radar_horizon_m(h1, h2));
    // A point sees itself.
    let g = Geodetic::from_degrees(33.3, 44.1, 0.0);
    assert!(line_of_sight_4_3(&g, &g));
    // Two points on the smooth surface itself: any chord between them dips below it.
    assert!(!line_of_sight_4_3(&g, &point_at(&g, 10.0, 0.0)));
    // Invalid input is not visible.
    let bad = Geodetic::from_degrees(95.0, 0.0, 100.0);
    assert!(!line_of_sight_4_3(&a, &bad));
}

#[test]
fn elevation_4_3_matches_sphere_geometry() {
    let kr = EFFECTIVE_EARTH_RADIUS_M;
    let a = Geodetic::from_degrees(33.30, 44.10, 100.0);
    // Equal heights: the chord leaves at −θ/2.
    let d = 50_000.0;
    let b = point_at(&a, d, 100.0);
    let el = elevation_angle_4_3_rad(&a, &b);
    assert!((el + d / kr / 2.0).abs() < 1e-9, "{el}");
    // On the arc horizon the ray is tangent: depression acos(kR/(kR + h₁)).
    let h2 = 5_000.0;
    let arc = kr * ((kr / (kr + 100.0)).acos() + (kr / (kr + h2)).acos());
    let el = elevation_angle_4_3_rad(&a, &point_at(&a, arc, h2));
    assert!((el + (kr / (kr + 100.0)).acos()).abs() < 1e-8, "{el}");
    // Straight up.
    let above = Geodetic {
        alt_m: 5_000.0,
        ..a
    };
    assert!((elevation_angle_4_3_rad(&a, &above) - FRAC_PI_2).abs() < 1e-12);
}

#[test]
fn invalid_latitude_returns_an_error_naming_the_value_and_range() {
    let err = inverse(91.5, 0.0, 0.0, 0.0).unwrap_err();
    assert_eq!(
        err,
        GeoError::LatitudeOutOfRange {
            lat_deg: 91.5,
            min_deg: -90.0,
            max_deg: 90.0
        }
    );
    let msg = err.to_string();
    assert!(msg.contains("91.5") && msg.contains("[-90, 90]"), "{msg}");
    assert!(matches!(
        inverse(0.0, 0.0, -90.000_001, 0.0),
        Err(GeoError::LatitudeOutOfRange { lat_deg, .. }) if lat_deg == -90.000_001
    ));
    assert!(matches!(
        direct(-100.0, 0.0, 0.0, 1.0),
        Err(GeoError::LatitudeOutOfRange { lat_deg, .. }) if lat_deg == -100.0
    ));
    let err = inverse(0.0, f64::NAN, 0.0, 0.0).unwrap_err();
    assert!(matches!(err, GeoError::NonFinite { quantity: "lon1_deg", value } if value.is_nan()));
    assert!(err.to_string().contains("lon1_deg"));
    assert!(matches!(
        direct(0.0, 0.0, 0.0, f64::INFINITY),
        Err(GeoError::NonFinite {
            quantity: "distance_m",
            ..
        })
    ));
    assert!(matches!(
        inverse(f64::NAN, 0.0, 0.0, 0.0),
        Err(GeoError::NonFinite {
            quantity: "lat1_deg",
            ..
        })
    ));
    // The poles themselves and any finite longitude are fine.
    assert!(inverse(90.0, 1000.0, -90.0, -1000.0).is_ok());
}

#[test]
fn geodesic_results_serialise_with_unit_suffixed_names() {
    let g = inverse(33.3, 44.4, 31.0, 35.0).unwrap();
    let json = serde_json::to_string(&g).unwrap();
    assert!(
        json.contains("\"distance_m\"") && json.contains("\"azi1_deg\""),
        "{json}"
    );
    let d = direct(33.3, 44.4, 45.0, 1000.0).unwrap();
    let json = serde_json::to_string(&d).unwrap();
    assert!(
        json.contains("\"lat_deg\"") && json.contains("\"azi2_deg\""),
        "{json}"
    );
    let p = Geodetic::from_degrees(33.3, 44.4, 10.0);
    let back: Geodetic = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(back, p);
}
