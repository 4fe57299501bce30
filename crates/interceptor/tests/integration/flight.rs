//! The 3-DOF flight model: physics against references, guidance through the real model.
use iadsim_geo::{EnuFrame, Geodetic};
use iadsim_interceptor::{
    kill_probability, passes_cpa_within_step, AccelLimit, Flight, FlightOptions, FlightState,
    GuidancePhase, InterceptorError, LossReason, MissileAero, TargetEstimate,
};
use iadsim_physics::atmosphere::{isa, G0_MPS2};
use iadsim_physics::earth::{normal_gravity_mps2, EARTH_RATE_RAD_S};
use nalgebra::Vector3;

/// A generic medium SAM (numbers of the 9M96 class; not a preset).
pub fn generic_aero() -> MissileAero {
    MissileAero {
        launch_mass_kg: 400.0,
        diameter_m: 0.24,
        boost_thrust_n: 100_000.0,
        boost_time_s: 5.0,
        boost_propellant_kg: 200.0,
        sustain_thrust_n: 0.0,
        sustain_time_s: 0.0,
        sustain_propellant_kg: 0.0,
        cd0_subsonic: 0.3,
        cd0_supersonic: 0.35,
        cn_max: 20.0,
        induced_drag_factor: 0.05,
        max_lateral_g: 30.0,
        guidance_time_constant_s: 0.2,
        nav_constant: 4.0,
        augmented_pn: false,
        loft_factor: 0.0,
        launch_elevation_deg: 90.0,
        max_flight_time_s: 120.0,
        min_speed_mps: 250.0,
        lethal_radius_m: 10.0,
        pk: 0.8,
    }
}

/// A body with no motor and (optionally) no drag, for physics checks.
fn inert(drag: bool) -> MissileAero {
    MissileAero {
        boost_thrust_n: 0.0,
        boost_propellant_kg: 0.0,
        boost_time_s: 1.0,
        cd0_subsonic: if drag { 0.3 } else { 0.0 },
        cd0_supersonic: if drag { 0.35 } else { 0.0 },
        induced_drag_factor: if drag { 0.05 } else { 0.0 },
        launch_mass_kg: 100.0,
        diameter_m: 0.2,
        max_flight_time_s: 3600.0,
        min_speed_mps: 0.0,
        ..generic_aero()
    }
}

/// A missile already flying (time of flight 100 s, past its burn) at `geo` with ENU velocity.
fn flying(aero: &MissileAero, geo: Geodetic, v_enu: Vector3<f64>, tof_s: f64) -> Flight {
    let frame = EnuFrame::new(geo);
    let v = frame.vector_to_ecef(&v_enu);
    let state = FlightState {
        position_ecef_m: geo.to_ecef().0,
        velocity_ecef_mps: v,
        mass_kg: aero.mass_at(tof_s),
        achieved_accel_mps2: Vector3::zeros(),
        time_of_flight_s: tof_s,
    };
    let axis = if v.norm() > 0.0 {
        v
    } else {
        frame.vector_to_ecef(&Vector3::new(0.0, 0.0, 1.0))
    };
    Flight::from_state(aero, state, axis, FlightOptions::default()).unwrap()
}

#[test]
fn free_fall_in_vacuum_matches_normal_gravity_and_the_coriolis_deflection() {
    let lat = 45.0_f64;
    let geo = Geodetic::from_degrees(lat, 10.0, 1_000.0);
    let frame = EnuFrame::new(geo);
    let mut f = flying(&inert(false), geo, Vector3::zeros(), 100.0);
    let (dt, n) = (0.01, 1_000);
    for _ in 0..n {
        let s = f.step(dt, None);
        assert_eq!(s.phase, GuidancePhase::Unguided);
    }
    let t = dt * n as f64;
    let enu = frame.to_enu(&iadsim_geo::Ecef(f.position_ecef_m())).0;
    // Drop: with γ growing linearly as the body falls (free-air gradient β = 3.1e-6 s⁻²),
    // d = ½ γ₀ t² (1 + β t²/12) = ½ γ(h₀ − d/6) t².
    let drop = -enu.z;
    let g_mean = normal_gravity_mps2(lat.to_radians(), 1_000.0 - drop / 6.0);
    // 1 mm (2e-6): the remaining terms are O(β² t⁴) and the Coriolis coupling.
    assert!(
        (drop - 0.5 * g_mean * t * t).abs() < 1e-3,
        "drop {drop} vs {}",
        0.5 * g_mean * t * t
    );
    // Eastward Coriolis deflection of a dropped body: x = ⅓ ω γ t³ cos φ (0.169 m here).
    let east = EARTH_RATE_RAD_S * g_mean * t.powi(3) * lat.to_radians().cos() / 3.0;
    // 1 %: second-order Coriolis terms (ω² t² ~ 5e-7) and the southward drift (≈ 1e-5 m).
    assert!(
        (enu.x / east - 1.0).abs() < 0.01,
        "east {} vs {east}",
        enu.x
    );
    assert!(enu.y.abs() < 1e-3, "north {}", enu.y);
}

#[test]
fn drag_deceleration_matches_a_planar_point_mass_reference() {
    // Horizontal subsonic flight (M < 0.8, so CD = cd0_subsonic) at 2 km, due north at the
    // equator, unguided. Reference: the 2-D flat-earth point mass v̇ = −D/m + g, with the same
    // ISA density and normal gravity at the current height, RK4 at 1 ms.
    let aero = inert(true);
    let geo = Geodetic::from_degrees(0.0, 30.0, 2_000.0);
    let mut f = flying(&aero, geo, Vector3::new(0.0, 250.0, 0.0), 100.0);
    let (dt, n) = (0.01, 500);
    for _ in 0..n {
        f.step(dt, None);
    }
    let s_area = aero.reference_area_m2();
    let m = aero.launch_mass_kg;
    let deriv = |s: [f64; 4]| {
        let (vx, vz, z) = (s[2], s[3], s[1]);
        let v = vx.hypot(vz);
        let rho = isa(z).density_kg_m3;
        let d = 0.5 * rho * v * v * s_area * aero.cd0_subsonic / m;
        let g = normal_gravity_mps2(0.0, z);
        [vx, vz, -d * vx / v, -d * vz / v - g]
    };
    let mut s = [0.0, 2_000.0, 250.0, 0.0];
    let h = 1e-3;
    for _ in 0..5_000 {
        let add = |a: [f64; 4], k: [f64; 4], c: f64| [0, 1, 2, 3].map(|i| a[i] + k[i] * c);
        let k1 = deriv(s);
        let k2 = deriv(add(s, k1, h / 2.0));
        let k3 = deriv(add(s, k2, h / 2.0));
        let k4 = deriv(add(s, k3, h));
        s = [0, 1, 2, 3].map(|i| s[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]));
    }
    let v_ref = s[2].hypot(s[3]);
    let v = f.velocity_ecef_mps().norm();
    assert!(v < 245.0, "drag barely acted: {v}");
    // 2e-5: earth curvature (the vertical turns by 2e-4 rad over the 1.2 km flown) and Coriolis.
    assert!((v / v_ref - 1.0).abs() < 2e-5, "{v} vs {v_ref}");
    let alt = Flight::from_state(
        &aero,
        *f.state(),
        f.velocity_ecef_mps(),
        FlightOptions::default(),
    )
    .unwrap()
    .step(1e-9, None)
    .altitude_m;
    // 0.3 m: the ellipsoid curves away under a straight path by x²/2R ≈ 0.11 m.
    assert!((alt - s[1]).abs() < 0.3, "{alt} vs {}", s[1]);
}

/// Specific mechanical energy in the equatorial plane, where normal gravity depends only on the
/// height: `v²/2 + Φ(h)`, `Φ = γₑ (h − c₁h²/2 + c₂h³/3)` integrates the free-air series.
fn equatorial_energy(f: &Flight, alt: f64) -> f64 {
    let a = iadsim_geo::WGS84_A_M;
    let g0 = normal_gravity_mps2(0.0, 0.0);
    let c1 = (g0 - normal_gravity_mps2(0.0, 1.0)) / g0; // ≈ 2/a (1 + f + m)
    let c2 = 3.0 / (a * a);
    let phi = g0 * (alt - c1 * alt * alt / 2.0 + c2 * alt.powi(3) / 3.0);
    0.5 * f.velocity_ecef_mps().norm_squared() + phi
}

#[test]
fn coasting_conserves_energy_without_drag_and_loses_it_with_drag() {
    let geo = Geodetic::from_degrees(0.0, 0.0, 0.0);
    let v0 = Vector3::new(1_500.0 * 0.6, 0.0, 1_500.0 * 0.8); // east and up: stays in the plane
    for drag in [false, true] {
        let mut f = flying(&inert(drag), geo, v0, 100.0);
        let mut e_prev = equatorial_energy(&f, 0.0);
        let e0 = e_prev;
        for _ in 0..2_000 {
            let s = f.step(0.05, None);
            let e = equatorial_energy(&f, s.altitude_m);
            if drag {
                assert!(e < e_prev, "energy rose");
            } else {
                // 1e-9 of the initial energy per step: RK4 at 50 ms on a smooth central field.
                assert!((e - e_prev).abs() < 1e-9 * e0, "{e} vs {e_prev}");
            }
            e_prev = e;
        }
        let apogee_ok = f.state().position_ecef_m.norm() > iadsim_geo::WGS84_A_M;
        assert!(apogee_ok);
        if drag {
            assert!(e_prev < 0.5 * e0);
        }
    }
}

#[test]
fn lift_limits_the_lateral_acceleration_at_altitude_below_the_structural_limit() {
    let mut aero = generic_aero();
    aero.guidance_time_constant_s = 0.0;
    let geo = Geodetic::from_degrees(30.0, 40.0, 25_000.0);
    let frame = EnuFrame::new(geo);
    let mut f = flying(&aero, geo, Vector3::new(0.0, 800.0, 0.0), 100.0);
    // A target 2 km abeam: a command far beyond any limit.
    let target = TargetEstimate::stationary(
        frame
            .to_ecef(&iadsim_geo::Enu(Vector3::new(2_000.0, 1_000.0, 0.0)))
            .0,
    );
    let s = f.step(0.01, Some(&target));
    let atm = isa(25_000.0);
    let q = 0.5 * atm.density_kg_m3 * 800.0 * 800.0;
    let lift = q * aero.reference_area_m2() * aero.cn_max / aero.mass_at(100.0);
    assert_eq!(s.limit, AccelLimit::Lift);
    assert!(lift < aero.max_lateral_g * G0_MPS2);
    // 1e-9: the same formula at the same state.
    assert!((s.achieved_lateral_accel_mps2.norm() / lift - 1.0).abs() < 1e-9);
    assert!((s.available_lateral_accel_mps2 / lift - 1.0).abs() < 1e-9);
    // Low and fast, the structure limits instead.
    let low = Geodetic::from_degrees(30.0, 40.0, 1_000.0);
    let mut f = flying(&aero, low, Vector3::new(0.0, 800.0, 0.0), 100.0);
    let frame = EnuFrame::new(low);
    let target = TargetEstimate::stationary(
        frame
            .to_ecef(&iadsim_geo::Enu(Vector3::new(300.0, 1_000.0, 0.0)))
            .0,
    );
    let s = f.step(0.01, Some(&target));
    assert_eq!(s.limit, AccelLimit::Structural);
    assert!((s.achieved_lateral_accel_mps2.norm() / (30.0 * G0_MPS2) - 1.0).abs() < 1e-12);
}

#[test]
fn vertical_launch_rises_straight_burns_its_propellant_and_stays_below_the_ideal_speed() {
    let aero = generic_aero();
    let site = Geodetic::from_degrees(33.3, 44.1, 40.0);
    let mut f = Flight::launch(&aero, site.to_ecef().0, 0.0).unwrap();
    let frame = EnuFrame::new(site);
    let target = TargetEstimate::stationary(
        frame
            .to_ecef(&iadsim_geo::Enu(Vector3::new(0.0, 20_000.0, 5_000.0)))
            .0,
    );
    let mut peak: f64 = 0.0;
    let mut phases = Vec::new();
    while f.time_of_flight_s() < 8.0 - 1e-9 {
        let s = f.step(0.01, Some(&target));
        peak = peak.max(f.velocity_ecef_mps().norm());
        if phases.last() != Some(&s.phase) {
            phases.push(s.phase);
        }
        if (f.time_of_flight_s() - 0.5).abs() < 1e-9 {
            let enu = frame.to_enu(&iadsim_geo::Ecef(f.position_ecef_m())).0;
            // On the rail: straight up (the rail cancels gravity's and Coriolis' side forces).
            assert!(enu.x.hypot(enu.y) < 1e-6 * enu.z, "{enu:?}");
        }
    }
    assert_eq!(
        phases,
        [
            GuidancePhase::Launch,
            GuidancePhase::PitchOver,
            GuidancePhase::Midcourse
        ]
    );
    assert_eq!(f.state().mass_kg, aero.burnout_mass_kg());
    assert!(peak < aero.remaining_ideal_delta_v_mps(0.0));
    assert!(
        peak > 0.6 * aero.remaining_ideal_delta_v_mps(0.0),
        "peak {peak}"
    );
}

/// A 3-D engagement through the real model: a missile at 8 km flying north at 900 m/s (past its
/// burn: decelerating by drag), against a target 12 km ahead crossing at 300 m/s with optional
/// constant acceleration, guided on the exact target state. Returns the miss and the time.
fn engagement_3d(aero: &MissileAero, dt: f64, target_acc_enu: Vector3<f64>) -> (f64, f64) {
    let geo = Geodetic::from_degrees(20.0, 30.0, 8_000.0);
    let frame = EnuFrame::new(geo);
    let mut f = flying(aero, geo, Vector3::new(0.0, 900.0, 0.0), 100.0);
    let p0 = frame
        .to_ecef(&iadsim_geo::Enu(Vector3::new(-3_000.0, 12_000.0, 1_000.0)))
        .0;
    let v0 = frame.vector_to_ecef(&Vector3::new(300.0, 0.0, 0.0));
    let a = frame.vector_to_ecef(&target_acc_enu);
    let truth = |t: f64| TargetEstimate {
        position_ecef_m: p0 + v0 * t + a * (0.5 * t * t),
        velocity_ecef_mps: v0 + a * t,
        acceleration_ecef_mps2: Some(a),
    };
    let mut t = 0.0;
    loop {
        let est = truth(t);
        let m0 = f.position_ecef_m();
        let s = f.step(dt, Some(&est));
        t += dt;
        let q1 = truth(t).position_ecef_m;
        if let Some(c) =
            passes_cpa_within_step(&m0, &f.position_ecef_m(), &est.position_ecef_m, &q1)
        {
            return (c.miss_distance_m, t - dt * (1.0 - c.fraction));
        }
        assert!(s.loss.is_none() && t < 60.0, "lost: {:?}", s.loss);
    }
}

#[test]
fn zero_lag_pn_through_the_flight_model_hits_a_constant_velocity_target_for_n_3_4_5() {
    for nav in [3.0, 4.0, 5.0] {
        let aero = MissileAero {
            guidance_time_constant_s: 0.0,
            nav_constant: nav,
            max_lateral_g: 60.0,
            ..generic_aero()
        };
        let (miss, t) = engagement_3d(&aero, 0.005, Vector3::zeros());
        // 0.1 m: the brief's bound. Drag, gravity (compensated) and the earth's rotation are the
        // only departures from Zarchan's kinematics; PN absorbs them.
        assert!(miss < 0.1, "N'={nav}: miss {miss} m at {t} s");
    }
}

#[test]
fn lagged_miss_against_a_manoeuvring_target_does_not_depend_on_the_step() {
    // τ = 0.5 s, true PN, target accelerating upwards at 1 g: a miss of decimetres (0.28 m), set
    // by the guidance dynamics.
    let aero = MissileAero {
        guidance_time_constant_s: 0.5,
        max_flight_time_s: 200.0,
        min_speed_mps: 0.0,
        ..generic_aero()
    };
    let acc = Vector3::new(0.0, 0.0, G0_MPS2);
    let (coarse, _) = engagement_3d(&aero, 1e-3, acc);
    let (fine, _) = engagement_3d(&aero, 5e-4, acc);
    assert!(coarse > 0.1, "no lag-induced miss: {coarse}");
    // 1 mm: RK4 plus the CPA of straight segments within the step (observed 3e-6 m).
    assert!((coarse - fine).abs() < 1e-3, "{coarse} vs {fine}");
    // Augmented PN, told the target's acceleration, misses less (Zarchan ch. 8).
    let apn = MissileAero {
        augmented_pn: true,
        ..aero
    };
    let (apn_miss, _) = engagement_3d(&apn, 1e-3, acc);
    assert!(apn_miss < coarse, "APN {apn_miss} vs PN {coarse}");
}

#[test]
fn loses_the_missile_for_each_reason() {
    // Too slow after burnout.
    let geo = Geodetic::from_degrees(0.0, 0.0, 10_000.0);
    let mut slow = inert(true);
    slow.min_speed_mps = 249.0;
    let low = Geodetic::from_degrees(0.0, 0.0, 2_000.0);
    let mut f = flying(&slow, low, Vector3::new(0.0, 250.0, 0.0), 100.0);
    let mut loss = None;
    for _ in 0..2_000 {
        loss = f.step(0.01, None).loss.or(loss);
        if loss.is_some() {
            break;
        }
    }
    assert_eq!(loss, Some(LossReason::TooSlow));
    assert_eq!(f.lost(), Some(LossReason::TooSlow));
    // Ground.
    let mut f = flying(
        &inert(false),
        Geodetic::from_degrees(0.0, 0.0, 100.0),
        Vector3::new(0.0, 0.0, -100.0),
        100.0,
    );
    let loss = (0..300).find_map(|_| f.step(0.01, None).loss);
    assert_eq!(loss, Some(LossReason::Ground));
    // Max flight time.
    let mut short = inert(false);
    short.max_flight_time_s = 100.5;
    let mut f = flying(&short, geo, Vector3::new(0.0, 250.0, 0.0), 100.0);
    let loss = (0..100).find_map(|_| f.step(0.01, None).loss);
    assert_eq!(loss, Some(LossReason::MaxFlightTime));
}

#[test]
fn drag_curve_is_continuous_and_has_its_documented_shape() {
    let a = generic_aero();
    assert_eq!(a.cd0(0.5), a.cd0_subsonic);
    assert!((a.cd0(2.0) - a.cd0_supersonic).abs() < 1e-15);
    for m in [0.8, 1.2] {
        assert!((a.cd0(m - 1e-9) - a.cd0(m + 1e-9)).abs() < 1e-8);
    }
    let peak = a.cd0(1.2);
    assert!((peak / a.cd0_supersonic - (1.59 + 1.83 / 1.44) / (1.59 + 1.83 / 4.0)).abs() < 1e-12);
    assert!(a.cd0(1.0) < peak && a.cd0(1.5) < peak && a.cd0(6.0) < a.cd0(3.0));
}

#[test]
fn kill_probability_is_gaussian_in_the_miss() {
    assert_eq!(kill_probability(0.8, 20.0, 0.0), 0.8);
    assert!((kill_probability(0.8, 20.0, 20.0) - 0.8 * (-0.5_f64).exp()).abs() < 1e-15);
    assert!(kill_probability(0.8, 20.0, 60.0) < 0.01);
    assert_eq!(generic_aero().kill_probability(-1.0), 0.8);
}

/// One bad field of the generic missile, and the field the error must name.
type BadField = (fn(&mut MissileAero), &'static str);

#[test]
fn invalid_fields_are_named_with_their_value_and_range() {
    let mut a = generic_aero();
    a.pk = 1.5;
    let e = a.validate().unwrap_err();
    assert_eq!(
        e,
        InterceptorError::OutOfRange {
            field: "pk",
            value: 1.5,
            allowed: "[0, 1]"
        }
    );
    assert_eq!(
        e.to_string(),
        "`pk` = 1.5 is outside the allowed range [0, 1]"
    );
    // Open and closed lower bounds, upper bounds, NaN and infinity.
    let cases: [BadField; 8] = [
        (|a| a.diameter_m = f64::NAN, "diameter_m"),
        (|a| a.launch_mass_kg = 0.0, "launch_mass_kg"),
        (|a| a.lethal_radius_m = 0.0, "lethal_radius_m"),
        (|a| a.boost_thrust_n = -1.0, "boost_thrust_n"),
        (|a| a.cn_max = 200.5, "cn_max"),
        (|a| a.launch_elevation_deg = 91.0, "launch_elevation_deg"),
        (|a| a.max_flight_time_s = f64::INFINITY, "max_flight_time_s"),
        (|a| a.nav_constant = -0.0001, "nav_constant"),
    ];
    for (spoil, field) in cases {
        let mut a = generic_aero();
        spoil(&mut a);
        match a.validate() {
            Err(InterceptorError::OutOfRange { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    // The ends of closed ranges are allowed.
    let ends: [BadField; 3] = [
        (|a| a.pk = 1.0, "pk"),
        (|a| a.launch_elevation_deg = 0.0, "launch_elevation_deg"),
        (|a| a.nav_constant = 0.0, "nav_constant"),
    ];
    for (set, field) in ends {
        let mut a = generic_aero();
        set(&mut a);
        assert_eq!(a.validate(), Ok(()), "{field}");
    }
    let mut a = generic_aero();
    a.boost_propellant_kg = 450.0;
    assert!(matches!(
        a.validate(),
        Err(InterceptorError::PropellantExceedsMass { .. })
    ));
    let mut a = generic_aero();
    a.sustain_propellant_kg = 10.0;
    assert_eq!(
        a.validate(),
        Err(InterceptorError::PropellantWithoutBurnTime {
            propellant_kg: 10.0
        })
    );
}

#[test]
fn missile_aero_reads_the_preset_field_names_and_rejects_unknown_ones() {
    let text = toml::to_string(&generic_aero()).unwrap();
    let back: MissileAero = toml::from_str(&text).unwrap();
    assert_eq!(back, generic_aero());
    let bad = format!("{text}\nmax_range_m = 1.0\n");
    assert!(toml::from_str::<MissileAero>(&bad).is_err());
    // Every preset in presets/missiles.toml carries a valid 3-DOF description.
    let presets: toml::Table = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../presets/missiles.toml"
    ))
    .unwrap()
    .parse()
    .unwrap();
    let fields: Vec<String> = toml::Value::try_from(generic_aero())
        .unwrap()
        .as_table()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    for (name, p) in &presets {
        let t: toml::Table = p
            .as_table()
            .unwrap()
            .iter()
            .filter(|(k, _)| fields.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let aero: MissileAero = t.try_into().unwrap_or_else(|e| panic!("{name}: {e}"));
        aero.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
