//! Detection model against closed forms and the horizon against geometry.
use iadsim_core::{PolarSigma, SensorId, SimTime};
use iadsim_geo::{direct, radar_horizon_m, Geodetic};
use iadsim_sensors::{swerling1_pd, DetectionModel, Look, Radar, RadarParams, ScanKind};
use rand::SeedableRng;
use rand_chacha::ChaCha12Rng;

#[test]
fn swerling1_pd_matches_the_exponential_closed_form() {
    // For a Swerling 1 target with a square-law detector, Pd = exp(−T/(1+SNR)) with threshold
    // T = −ln Pfa (Marcum & Swerling 1960). At SNR = 10 (10 dB), Pfa = 1e-6: Pd = 1e-6^(1/11).
    let pd = swerling1_pd(10.0, 1e-6);
    assert!((pd - ((1e-6f64).ln() / 11.0).exp()).abs() < 1e-15);
    assert!((pd - 0.284_803_586_843_580_3).abs() < 1e-12); // python: 1e-6 ** (1/11)
}

#[test]
fn calibration_reproduces_the_reference_range_and_scales_as_rcs_to_the_quarter() {
    let m = DetectionModel::calibrate(250_000.0, 6.0, 0.5, 1e-6).expect("calibrated");
    assert!((m.pd(6.0, 250_000.0) - 0.5).abs() < 1e-12);
    let r = m.range_for(6.0, 0.5).expect("range");
    assert!((r - 250_000.0).abs() < 1e-6);
    let r_small = m.range_for(6.0 / 16.0, 0.5).expect("range");
    assert!(
        (r_small - 125_000.0).abs() < 1e-6,
        "σ/16 halves the range: {r_small}"
    );
}

fn radar_at(antenna: Geodetic) -> Radar {
    Radar::new(RadarParams {
        id: SensorId(0),
        antenna,
        detection: DetectionModel::calibrate(300_000.0, 4.0, 0.5, 1e-6).expect("calibrated"),
        instrumented_range_m: 300_000.0,
        revisit_s: 6.0,
        scan: ScanKind::Rotating,
        boresight_rad: 0.0,
        sector_half_width_rad: std::f64::consts::PI,
        min_elevation_rad: (-2.0f64).to_radians(),
        max_elevation_rad: 60.0f64.to_radians(),
        sigma: PolarSigma {
            range_m: 50.0,
            azimuth_rad: 0.004,
            elevation_rad: 0.005,
        },
    })
}

#[test]
fn a_low_target_beyond_the_horizon_is_never_detected() {
    let antenna = Geodetic::from_degrees(33.3, 44.1, 40.0 + 25.0);
    let radar = radar_at(antenna);
    let horizon = radar_horizon_m(65.0, 30.0);
    for (d, visible) in [(horizon - 500.0, true), (horizon + 500.0, false)] {
        let p = direct(33.3, 44.1, 270.0, d).expect("direct");
        let target = Geodetic::from_degrees(p.lat_deg, p.lon_deg, 30.0);
        let look = radar.look(&target, &target.to_ecef());
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
fn detection_frequency_matches_pd() {
    let radar = radar_at(Geodetic::from_degrees(33.3, 44.1, 65.0));
    let p = direct(33.3, 44.1, 200.0, 150_000.0).expect("direct");
    let target = Geodetic::from_degrees(p.lat_deg, p.lon_deg, 8_000.0);
    let Look::InCoverage(polar) = radar.look(&target, &target.to_ecef()) else {
        panic!("in coverage")
    };
    let pd = radar.params.detection.pd(1.0, polar.range_m);
    let mut det = ChaCha12Rng::seed_from_u64(1);
    let mut noise = ChaCha12Rng::seed_from_u64(2);
    let n = 20_000;
    let hits = (0..n)
        .filter(|_| {
            radar
                .attempt(SimTime::ZERO, &polar, 1.0, &mut det, &mut noise)
                .is_some()
        })
        .count();
    let freq = hits as f64 / f64::from(n);
    // 4.5 binomial standard deviations: fails by chance less than once in 10⁵ runs.
    let tol = 4.5 * (pd * (1.0 - pd) / f64::from(n)).sqrt();
    assert!((freq - pd).abs() < tol, "freq {freq} vs pd {pd}");
}
