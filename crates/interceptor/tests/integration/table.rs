//! Flyout table, 3-DOF intercept prediction and launch acceptability region.
use crate::flight::generic_aero;
use iadsim_geo::{Ecef, EnuFrame, Geodetic};
use iadsim_interceptor::{
    launch_acceptability_region, predict_intercept_3dof, simulate_engagement, FlightOptions,
    FlyoutTable, LarSpec, LauncherFrame, LevelFlight, MissileAero, TableSpec, TargetEstimate,
};
use nalgebra::Vector3;

fn small_spec() -> TableSpec {
    TableSpec {
        ground_ranges_m: vec![
            2_000.0, 5_000.0, 8_000.0, 11_500.0, 15_000.0, 20_000.0, 25_000.0, 30_000.0, 35_000.0,
            45_000.0,
        ],
        altitudes_m: vec![0.0, 2_500.0, 5_000.0, 12_000.0],
        edge_bisections: 4,
        reference_latitude_deg: 33.0,
        ..TableSpec::default_for(45_000.0)
    }
}

fn aero() -> MissileAero {
    MissileAero {
        max_flight_time_s: 90.0,
        ..generic_aero()
    }
}

#[test]
fn table_is_bit_identical_whatever_the_thread_count() {
    let build = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| FlyoutTable::build(&aero(), small_spec()).unwrap())
    };
    let one = build(1);
    let two = build(2);
    assert_eq!(one, two);
    // Near cells are reachable, the far ones are not, and the edge lies in between.
    assert!(one.cell(2, 1).is_some());
    let edge = one.row_max_range_m(2).expect("some reach");
    assert!(edge > 8_000.0 && edge < 45_000.0, "edge {edge}");
    // Time of flight grows with range along a row.
    let t = |i| one.cell(2, i).map(|c| c.time_of_flight_s);
    assert!(t(1) < t(2));
}

#[test]
fn table_time_of_flight_agrees_with_a_direct_flight_off_the_grid() {
    let table = FlyoutTable::build(&aero(), small_spec()).unwrap();
    // A point between grid nodes, due north of the reference site.
    let (r, h) = (11_000.0, 3_000.0);
    let looked_up = table.lookup(r, h).expect("reachable");
    let site = Geodetic::from_degrees(33.0, 0.0, 0.0);
    let frame = iadsim_interceptor::LauncherFrame::new(&site.to_ecef().0);
    let aim = frame.point_north(r, h);
    let out = simulate_engagement(
        &aero(),
        FlightOptions::default(),
        site.to_ecef().0,
        0.0,
        |_| TargetEstimate::stationary(aim),
        0.01,
    )
    .unwrap();
    let flown = out.time_of_flight_s;
    // 3 %: linear interpolation on this coarse test grid (3.5 km × 2.5 km) of a time of flight
    // that is strongly curved while the missile still accelerates.
    assert!(
        (looked_up.time_of_flight_s / flown - 1.0).abs() < 0.03,
        "{} vs {flown}",
        looked_up.time_of_flight_s
    );
    assert!(out.miss_distance_m.unwrap() < 1.0);
    // Outside the grid: unreachable.
    assert!(table.lookup(60_000.0, 3_000.0).is_none());
    assert!(table.lookup(10_000.0, 20_000.0).is_none());
}

#[test]
fn predicted_intercept_is_met_by_the_guided_flight() {
    let table = FlyoutTable::build(&aero(), small_spec()).unwrap();
    let launcher = Geodetic::from_degrees(33.2, 44.3, 50.0);
    let frame = EnuFrame::new(launcher);
    // A target 25 km north-east at 4 km, crossing at 250 m/s.
    let p0 = frame
        .to_ecef(&iadsim_geo::Enu(Vector3::new(15_000.0, 20_000.0, 4_000.0)))
        .0;
    let v = frame.vector_to_ecef(&Vector3::new(-200.0, 150.0, 0.0));
    let pred = predict_intercept_3dof(&table, &launcher.to_ecef().0, &p0, &v).expect("reachable");
    // The launch azimuth points at the predicted point.
    let enu = frame.to_enu(&Ecef(pred.point_ecef_m)).0;
    assert!(
        (enu.x.atan2(enu.y).rem_euclid(std::f64::consts::TAU) - pred.launch_azimuth_rad).abs()
            < 1e-9
    );
    let geo = Ecef(pred.point_ecef_m).to_geodetic();
    assert!((pred.altitude_m - (geo.alt_m - 50.0)).abs() < 1e-6);
    let out = simulate_engagement(
        &aero(),
        FlightOptions::default(),
        launcher.to_ecef().0,
        pred.launch_azimuth_rad,
        |t| TargetEstimate {
            position_ecef_m: p0 + v * t,
            velocity_ecef_mps: v,
            acceleration_ecef_mps2: None,
        },
        0.01,
    )
    .unwrap();
    assert!(out.miss_distance_m.expect("intercept") < aero().lethal_radius_m);
    // 3 %: the table is flown against points at rest from a sea-level launcher due north; this
    // engagement flies a collision course from 50 m.
    assert!(
        (out.time_of_flight_s / pred.time_to_go_s - 1.0).abs() < 0.03,
        "flown {} s vs predicted {} s",
        out.time_of_flight_s,
        pred.time_to_go_s
    );
    // Receding fast beyond reach: no intercept.
    let far = frame
        .to_ecef(&iadsim_geo::Enu(Vector3::new(0.0, 40_000.0, 4_000.0)))
        .0;
    let away = frame.vector_to_ecef(&Vector3::new(0.0, 600.0, 0.0));
    assert!(predict_intercept_3dof(&table, &launcher.to_ecef().0, &far, &away).is_none());
}

#[test]
fn launch_acceptability_region_brackets_the_successes_and_reports_progress() {
    let table = FlyoutTable::build(&aero(), small_spec()).unwrap();
    let spec = LarSpec {
        target_speed_mps: 250.0,
        target_heading_deg: 180.0,
        altitudes_m: vec![3_000.0, 60_000.0],
        ground_ranges_m: vec![5_000.0, 25_000.0, 45_000.0, 65_000.0, 85_000.0],
        latitude_deg: 33.0,
        dt_s: 0.02,
        refine_bisections: 4,
        options: FlightOptions::default(),
    };
    let mut calls = Vec::new();
    let lar =
        launch_acceptability_region(&aero(), &table, &spec, |d, t| calls.push((d, t))).unwrap();
    let total = calls.last().unwrap().1;
    assert_eq!(calls.last().unwrap().0, total);
    assert!(calls
        .windows(2)
        .all(|w| w[0].0 < w[1].0 && w[0].1 == w[1].1));
    let low = lar.rows[0];
    let max = low.max_launch_range_m.expect("reachable at 3 km");
    let min = low.min_launch_range_m.unwrap();
    assert!(
        min <= 5_000.0 && max > 25_000.0 && max < 85_000.0,
        "{min} .. {max}"
    );
    assert!(low.time_of_flight_at_max_s.unwrap() > 10.0);
    // The matrix agrees with the rows: successes lie inside [min, max].
    for c in &lar.cells[..5] {
        assert_eq!(
            c.intercept,
            c.ground_range_m >= min && c.ground_range_m <= max
        );
    }
    // 60 km is out of this missile's reach.
    assert_eq!(lar.rows[1].max_launch_range_m, None);
    // Deterministic.
    let again = launch_acceptability_region(&aero(), &table, &spec, |_, _| {}).unwrap();
    assert_eq!(lar, again);
}

#[test]
fn level_flight_holds_its_height_and_speed() {
    let start = Geodetic::from_degrees(33.0, 44.0, 10_000.0);
    let target = LevelFlight::new(start, 0.3, 250.0);
    for t in [0.0, 100.0, 400.0] {
        let s = target.at(t);
        let geo = Ecef(s.position_ecef_m).to_geodetic();
        assert!((geo.alt_m - 10_000.0).abs() < 1e-6);
        assert!((s.velocity_ecef_mps.norm() - 250.0).abs() < 1e-9);
    }
    // Ground distance flown ≈ speed × time (within the sphere-vs-ellipsoid difference, 0.5 %).
    let d = iadsim_geo::inverse(
        33.0,
        44.0,
        Ecef(target.at(400.0).position_ecef_m)
            .to_geodetic()
            .lat_deg(),
        Ecef(target.at(400.0).position_ecef_m)
            .to_geodetic()
            .lon_deg(),
    )
    .unwrap()
    .distance_m;
    assert!((d / 100_000.0 - 1.0).abs() < 0.005, "{d}");
}

/// A launcher near Baghdad, 40 m above the ellipsoid: its position (ECEF), ENU frame and
/// launcher frame.
fn baghdad_launcher() -> (Vector3<f64>, EnuFrame, LauncherFrame) {
    let site = Geodetic::from_degrees(33.3, 44.1, 40.0);
    let launcher = site.to_ecef().0;
    (launcher, EnuFrame::new(site), LauncherFrame::new(&launcher))
}

/// A target at `range` m on `bearing` (rad from north) and `height` m in the launcher's ENU
/// frame, flying on `heading` at `speed` m/s horizontally and `climb` m/s up: (position,
/// velocity), ECEF.
fn target(
    enu: &EnuFrame,
    bearing: f64,
    range: f64,
    height: f64,
    heading: f64,
    speed: f64,
    climb: f64,
) -> (Vector3<f64>, Vector3<f64>) {
    let p = enu.to_ecef(&iadsim_geo::Enu(Vector3::new(
        range * bearing.sin(),
        range * bearing.cos(),
        height,
    )));
    let v = enu.vector_to_ecef(&Vector3::new(
        speed * heading.sin(),
        speed * heading.cos(),
        climb,
    ));
    (p.0, v)
}

/// Checks `predict_intercept_3dof` against a scan of its feasibility predicate every 10 ms
/// (to within a scan step); true if there is an intercept.
fn agrees_with_brute_force(
    table: &FlyoutTable,
    launcher: &Vector3<f64>,
    p: &Vector3<f64>,
    v: &Vector3<f64>,
    case: u32,
) -> bool {
    let frame = iadsim_interceptor::LauncherFrame::new(launcher);
    let fast = predict_intercept_3dof(table, launcher, p, v);
    let feasible = |t: f64| {
        let g = frame.locate(&(p + v * t));
        matches!(table.lookup(g.ground_range_m, g.height_above_launcher_m),
            Some(c) if c.time_of_flight_s <= t)
    };
    let mut brute = None;
    let mut t = 0.0;
    while t <= table.aero.max_flight_time_s {
        if feasible(t) {
            brute = Some(t);
            break;
        }
        t += 0.01;
    }
    match (fast, brute) {
        (Some(f), Some(b)) => {
            assert!(
                (f.time_to_go_s - b).abs() <= 0.011,
                "case {case}: {} vs {b}",
                f.time_to_go_s
            );
            true
        }
        (None, None) => false,
        (f, b) => panic!(
            "case {case}: fast {:?} vs brute force {b:?}",
            f.map(|x| x.time_to_go_s)
        ),
    }
}

/// The accelerated scan of `predict_intercept_3dof` (jumps while the target is out of reach or
/// the missile would be late) finds the same earliest intercept as a brute-force scan of the
/// feasibility predicate every 10 ms.
#[test]
fn fast_prediction_scan_agrees_with_a_brute_force_scan() {
    let table = FlyoutTable::build(&aero(), small_spec()).unwrap();
    let (launcher, enu, _) = baghdad_launcher();
    let mut checked = 0;
    for k in 0..24 {
        let bearing = f64::from(k) * 0.7;
        let range = 8_000.0 + 2_500.0 * f64::from(k % 8);
        let height = 500.0 + 800.0 * f64::from(k % 5);
        let speed = [150.0, 300.0, 900.0][k as usize % 3];
        // Inbound, somewhat off the launcher.
        let heading = bearing + std::f64::consts::PI + 0.3 * (f64::from(k % 3) - 1.0);
        let (p, v) = target(&enu, bearing, range, height, heading, speed, 0.0);
        if agrees_with_brute_force(&table, &launcher, &p, &v, k) {
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} cases had an intercept");
}

/// The same against targets below the table's lowest height or above its highest, level,
/// climbing and diving, where the scan jumps by the time the height needs to reach the table
/// (bounded by the curvature of the earth for a target flying straight and level below it).
#[test]
fn prediction_scan_jumps_over_heights_outside_the_table_safely() {
    let spec = TableSpec {
        altitudes_m: vec![1_500.0, 2_500.0, 5_000.0, 8_000.0],
        ..small_spec()
    };
    let aero = MissileAero {
        max_flight_time_s: 200.0,
        ..generic_aero()
    };
    let table = FlyoutTable::build(&aero, spec).unwrap();
    let (launcher, enu, frame) = baghdad_launcher();
    let (mut below, mut above) = (0, 0);
    for k in 0..120 {
        let bearing = f64::from(k) * 0.37;
        let range = 3_000.0 + 9_000.0 * f64::from(k % 7);
        let height = [100.0, 1_300.0, 1_450.0, 9_000.0, 14_000.0][k as usize % 5];
        let climb = [0.0, 15.0, -20.0, 60.0][k as usize % 4];
        let speed = [200.0, 600.0, 2_000.0][k as usize % 3];
        // Outbound half the time: some only rise into the table through the earth's curvature.
        let heading = bearing
            + if k % 2 == 0 {
                std::f64::consts::PI
            } else {
                0.4
            };
        let (p, v) = target(&enu, bearing, range, height, heading, speed, climb);
        if agrees_with_brute_force(&table, &launcher, &p, &v, k) {
            let h0 = frame.locate(&p).height_above_launcher_m;
            below += usize::from(h0 < 1_500.0);
            above += usize::from(h0 > 8_000.0);
        }
    }
    assert!(
        below >= 6 && above >= 3,
        "intercepts from below {below}, from above {above}"
    );
}

/// The same against targets inside the table's heights but beyond the reach of their height
/// (low, where the reach is shortest), inbound, outbound and crossing, level, climbing and
/// diving: the scan jumps to the first time at which some height the target can have by then
/// reaches its ground range.
#[test]
fn prediction_scan_jumps_over_ranges_beyond_the_reach_of_the_height_safely() {
    let aero = MissileAero {
        max_flight_time_s: 200.0,
        ..generic_aero()
    };
    let table = FlyoutTable::build(&aero, small_spec()).unwrap();
    let (launcher, enu, frame) = baghdad_launcher();
    let reach = (0..4)
        .filter_map(|i| table.row_max_range_m(i))
        .fold(0.0, f64::max);
    let mut jumped = 0;
    for k in 0..150 {
        let bearing = f64::from(k) * 0.53;
        let range = 20_000.0 + 4_000.0 * f64::from(k % 9);
        let height = [100.0, 400.0, 1_000.0, 2_000.0, 6_000.0][k as usize % 5];
        let climb = [0.0, 25.0, -8.0, 120.0][k as usize % 4];
        let speed = [150.0, 450.0, 1_200.0][k as usize % 3];
        let heading = bearing + [std::f64::consts::PI, 0.3, 1.6][k as usize % 3];
        let (p, v) = target(&enu, bearing, range, height, heading, speed, climb);
        let g = frame.locate(&p);
        let beyond_its_height = g.ground_range_m < reach
            && table
                .lookup(g.ground_range_m, g.height_above_launcher_m)
                .is_none();
        if agrees_with_brute_force(&table, &launcher, &p, &v, k) && beyond_its_height {
            jumped += 1;
        }
    }
    assert!(
        jumped >= 10,
        "only {jumped} intercepts from beyond the reach of the height"
    );
}
