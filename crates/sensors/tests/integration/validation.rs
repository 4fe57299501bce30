//! The radar model against closed forms, geometry and brute force.
use iadsim_core::{PolarSigma, SensorId, SimTime};
use iadsim_geo::{direct, line_of_sight, radar_horizon_m, Dem, Ecef, Geodetic};
use iadsim_sensors::coverage::{radar_coverage, AltitudeReference, CoverageTarget, Grid};
use iadsim_sensors::detection::{pd, Swerling};
use iadsim_sensors::{DetectionModel, Look, Radar, RadarParams, Resolution, ScanKind};
use rand::SeedableRng;
use rand_chacha::ChaCha12Rng;
use std::sync::Arc;

#[test]
fn calibration_reproduces_the_reference_range_and_scales_as_rcs_to_the_quarter() {
    for case in Swerling::ALL {
        let m = DetectionModel::calibrate(250_000.0, 6.0, 0.5, 1e-6, 16, Swerling::One)
            .expect("calibrated");
        // The reference target, case and Pd give back the reference range (to rounding).
        let r = m.range_for(6.0, 0.5, Swerling::One).expect("range");
        assert!((r - 250_000.0).abs() < 1e-6, "{r}");
        assert!((m.pd(6.0, 250_000.0, Swerling::One) - 0.5).abs() < 1e-9);
        // R ∝ σ^¼ for any case and Pd: σ/16 halves the range.
        let a = m.range_for(2.0, 0.8, case).expect("range");
        let b = m.range_for(2.0 / 16.0, 0.8, case).expect("range");
        assert!((a / b - 2.0).abs() < 1e-9, "{case}: {a} / {b}");
    }
}

fn params(antenna: Geodetic, terrain: Option<Arc<Dem>>) -> RadarParams {
    RadarParams {
        id: SensorId(0),
        antenna,
        detection: DetectionModel::calibrate(300_000.0, 4.0, 0.5, 1e-6, 8, Swerling::One)
            .expect("calibrated"),
        instrumented_range_m: 300_000.0,
        max_altitude_m: 30_000.0,
        revisit_s: 6.0,
        scan: ScanKind::Rotating,
        boresight_rad: 0.0,
        sector_half_width_rad: std::f64::consts::PI,
        min_elevation_rad: (-2.0f64).to_radians(),
        max_elevation_rad: 60.0f64.to_radians(),
        min_radial_speed_mps: 10.0,
        resolution: Resolution {
            range_m: 100.0,
            beamwidth_azimuth_rad: 1.4f64.to_radians(),
            beamwidth_elevation_rad: 2.0f64.to_radians(),
            velocity_mps: 10.0,
            monopulse_slope: 1.6,
            floor: PolarSigma {
                range_m: 20.0,
                azimuth_rad: 0.05f64.to_radians(),
                elevation_rad: 0.08f64.to_radians(),
                range_rate_mps: 1.0,
            },
        },
        terrain,
    }
}

fn at(lat: f64, lon: f64, az: f64, d: f64, alt: f64) -> Geodetic {
    let p = direct(lat, lon, az, d).expect("direct");
    Geodetic::from_degrees(p.lat_deg, p.lon_deg, alt)
}

#[test]
fn a_low_target_beyond_the_horizon_is_never_detected() {
    let radar = Radar::new(params(Geodetic::from_degrees(33.3, 44.1, 65.0), None));
    let horizon = radar_horizon_m(65.0, 30.0);
    for (d, visible) in [(horizon - 500.0, true), (horizon + 500.0, false)] {
        let target = at(33.3, 44.1, 270.0, d, 30.0);
        let look = radar.look_geometry(&target, &target.to_ecef());
        assert_eq!(
            matches!(look, Look::InCoverage(_)),
            visible,
            "{d} m: {look:?}"
        );
        if !visible {
            assert_eq!(look, Look::BelowHorizon);
        }
    }
}

#[test]
fn detection_frequency_matches_the_exact_pd() {
    let radar = Radar::new(params(Geodetic::from_degrees(33.3, 44.1, 65.0), None));
    let target = at(33.3, 44.1, 200.0, 150_000.0, 8_000.0);
    let Look::InCoverage(polar) = radar.look_geometry(&target, &target.to_ecef()) else {
        panic!("in coverage")
    };
    let expected = radar
        .params
        .detection
        .pd(1.0, polar.range_m, Swerling::Three);
    let mut det = ChaCha12Rng::seed_from_u64(1);
    let mut noise = ChaCha12Rng::seed_from_u64(2);
    let n = 20_000;
    let hits = (0..n)
        .filter(|_| {
            radar
                .attempt(
                    SimTime::ZERO,
                    &polar,
                    -250.0,
                    1.0,
                    Swerling::Three,
                    &mut det,
                    &mut noise,
                )
                .is_some()
        })
        .count();
    let freq = hits as f64 / f64::from(n);
    // 4.5 binomial standard deviations: fails by chance less than once in 10⁵ runs.
    let tol = 4.5 * (expected * (1.0 - expected) / f64::from(n)).sqrt();
    assert!(
        (freq - expected).abs() < tol,
        "freq {freq} vs pd {expected}"
    );
}

#[test]
fn measurement_noise_shrinks_with_snr_down_to_its_floor() {
    let radar = Radar::new(params(Geodetic::from_degrees(33.3, 44.1, 65.0), None));
    let r = &radar.params.resolution;
    let low = radar.sigma_at(1.0);
    // Barton: σ_θ = θ₃ / (k_m √(2 n SNR)); n = 8 pulses, SNR = 1.
    let expected = r.beamwidth_azimuth_rad / (1.6 * (2.0f64 * 8.0).sqrt());
    assert!((low.azimuth_rad - expected).abs() < 1e-15);
    assert!((low.range_m - 100.0 / 4.0).abs() < 1e-12);
    let high = radar.sigma_at(1e6);
    assert_eq!(high.azimuth_rad, r.floor.azimuth_rad);
    assert_eq!(high.range_m, r.floor.range_m);
    // And the plots scatter with that σ.
    let target = at(33.3, 44.1, 90.0, 120_000.0, 5_000.0);
    let Look::InCoverage(polar) = radar.look_geometry(&target, &target.to_ecef()) else {
        panic!("in coverage")
    };
    let snr = radar.params.detection.snr(50.0, polar.range_m);
    let sigma = radar.sigma_at(snr);
    let mut det = ChaCha12Rng::seed_from_u64(3);
    let mut noise = ChaCha12Rng::seed_from_u64(4);
    let errors: Vec<f64> = (0..4000)
        .filter_map(|_| {
            radar.attempt(
                SimTime::ZERO,
                &polar,
                -100.0,
                50.0,
                Swerling::Zero,
                &mut det,
                &mut noise,
            )
        })
        .map(|p| p.measurement.range_m - polar.range_m)
        .collect();
    let sd = (errors.iter().map(|e| e * e).sum::<f64>() / errors.len() as f64).sqrt();
    // Sample σ of ≥ 3000 draws is within 5 % of the truth with overwhelming probability.
    assert!(
        (sd / sigma.range_m - 1.0).abs() < 0.05,
        "{sd} vs {}",
        sigma.range_m
    );
}

#[test]
fn the_doppler_notch_hides_tangential_targets() {
    let radar = Radar::new(params(Geodetic::from_degrees(33.3, 44.1, 65.0), None));
    let target = at(33.3, 44.1, 0.0, 50_000.0, 3_000.0);
    let p = target.to_ecef();
    // Flying east, across the line of sight from the radar due south of it.
    let frame = radar.frame();
    let east = frame.vector_to_ecef(&nalgebra::Vector3::new(250.0, 0.0, 0.0));
    let north = frame.vector_to_ecef(&nalgebra::Vector3::new(0.0, -250.0, 0.0));
    assert_eq!(radar.look(&target, &p, &east.into()), Look::DopplerNotch);
    assert!(matches!(
        radar.look(&target, &p, &north.into()),
        Look::InCoverage(_)
    ));
}

#[test]
fn false_alarms_average_pfa_times_cells_and_stay_in_coverage() {
    let radar = Radar::new(params(Geodetic::from_degrees(33.3, 44.1, 65.0), None));
    let mean = radar.expected_false_alarms(0);
    // 3000 range cells × (10° / 1.4°) azimuth cells × (62° / 2°) elevation cells × 1e-6.
    let cells = (300_000.0 / 100.0) * (10.0 / 1.4) * (62.0 / 2.0);
    assert!((mean - cells * 1e-6).abs() < 1e-9, "{mean}");
    let mut rng = ChaCha12Rng::seed_from_u64(5);
    let mut n = 0usize;
    let dwells = 2000;
    for k in 0..dwells {
        for plot in radar.false_alarms(SimTime::ZERO, k, &mut rng) {
            n += 1;
            let (lo, hi) = radar.dwell_azimuths(k);
            let az = plot.measurement.azimuth_rad;
            let centre = 0.5 * (lo + hi);
            let off = (az - centre + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU)
                - std::f64::consts::PI;
            // Noise can push a plot just across the slice edge: allow 5 σ.
            let slack = 5.0 * plot.sigma.azimuth_rad;
            assert!(
                off.abs() <= 0.5 * (hi - lo) + slack,
                "{az} not in [{lo}, {hi})"
            );
        }
    }
    // Poisson mean per dwell, minus those outside coverage (below the horizon or above the
    // ceiling): the observed rate lies below Pfa × cells and well above zero.
    let rate = n as f64 / dwells as f64;
    assert!(
        rate <= mean * 1.1 && rate > 0.2 * mean,
        "rate {rate} vs mean {mean}"
    );
}

fn ridge() -> Arc<Dem> {
    // A north–south ridge 600 m high, 40 km east of the radar, on flat ground at 50 m.
    let (rows, cols) = (201usize, 401usize);
    let (north, west, d) = (33.6, 43.9, 1.0 / 400.0);
    let mut h = Vec::with_capacity(rows * cols);
    for _ in 0..rows {
        for c in 0..cols {
            let lon = west + c as f64 * d;
            let x = (lon - 44.53) / 0.03;
            h.push((50.0 + 550.0 * (-x * x).exp()) as f32);
        }
    }
    Arc::new(Dem::from_grid(north, west, d, d, rows, cols, h).expect("grid"))
}

#[test]
fn a_ridge_hides_a_low_target_that_is_visible_without_terrain() {
    let antenna = Geodetic::from_degrees(33.3, 44.1, 75.0);
    let flat = Radar::new(params(antenna, None));
    let hilly = Radar::new(params(antenna, Some(ridge())));
    let target = at(33.3, 44.1, 90.0, 50_000.0, 150.0);
    assert!(matches!(
        flat.look_geometry(&target, &target.to_ecef()),
        Look::InCoverage(_)
    ));
    assert_eq!(
        hilly.look_geometry(&target, &target.to_ecef()),
        Look::BelowHorizon
    );
    // High above the ridge it is seen again.
    let high = at(33.3, 44.1, 90.0, 50_000.0, 3_000.0);
    assert!(matches!(
        hilly.look_geometry(&high, &high.to_ecef()),
        Look::InCoverage(_)
    ));
}

#[test]
fn coverage_agrees_with_line_of_sight_and_the_radar_equation() {
    let antenna = Geodetic::from_degrees(33.3, 44.1, 75.0);
    let dem = ridge();
    let radar = Radar::new(params(antenna, Some(dem.clone())));
    let target = CoverageTarget {
        rcs_m2: 1.0,
        swerling: Swerling::One,
        altitude_m: 200.0,
        reference: AltitudeReference::Ellipsoid,
    };
    let grid = Grid::around(33.3, 44.1, 120_000.0, 200);
    let map = radar_coverage(&radar, &target, 0.5, &grid, Some(&dem), 2000).expect("coverage");
    let detect_m = radar
        .params
        .detection
        .range_for(1.0, 0.5, Swerling::One)
        .expect("range");
    let (mut agree, mut total) = (0, 0);
    for r in (0..grid.rows).step_by(7) {
        for c in (0..grid.cols).step_by(7) {
            let p = Geodetic::from_degrees(grid.lat_deg(r), grid.lon_deg(c), 200.0);
            let ecef: Ecef = p.to_ecef();
            let slant = (ecef.0 - antenna.to_ecef().0).norm();
            let expected = slant <= detect_m && line_of_sight(Some(&dem), &antenna, &p);
            total += 1;
            agree += usize::from(map.covered[r * grid.cols + c] == expected);
        }
    }
    // Cells on the coverage edge may differ: the map uses a sphere and nearest radials.
    assert!(agree as f64 >= 0.99 * total as f64, "{agree} / {total}");
    // The ridge casts a shadow: there are uncovered cells inside the detection range.
    let shadowed = (0..grid.rows * grid.cols)
        .filter(|&i| !map.covered[i])
        .count();
    assert!(shadowed > 0);
    let pd_at_edge = pd(
        radar.params.detection.snr(1.0, detect_m),
        1e-6,
        8,
        Swerling::One,
    )
    .expect("pd");
    assert!((pd_at_edge - 0.5).abs() < 1e-9);
}
