//! Validation against external reference values and statistical consistency.
use crate::common::{chi2_quantile_wilson_hilferty, gaussian3};
use iadsim_core::{SensorId, SimTime};
use iadsim_track::chi2::{chi2_3_cdf, chi2_3_quantile};
use iadsim_track::{
    ConstantVelocity, GaussianState, Initiator, KalmanPredictor, KalmanUpdater, Measurement,
    Predictor, TwoPointInitiator, Updater, VelocityStart,
};
use nalgebra::{Matrix3, Matrix6, Vector3, Vector6};
use rand::SeedableRng;
use rand_chacha::ChaCha12Rng;
use rand_distr::{Distribution, StandardNormal};

#[test]
fn chi2_3_quantile_matches_tables() {
    // Reference values: scipy.stats.chi2.ppf(p, 3) (also in Abramowitz & Stegun table 26.8 at
    // 4-5 digits). Tolerance 1e-3 is the brief's; the implementation is good to ~1e-12.
    for (p, want) in [
        (0.5, 2.365_973_884),    // chi2.ppf(0.5, 3)
        (0.95, 7.814_727_903),   // chi2.ppf(0.95, 3)
        (0.99, 11.344_866_73),   // chi2.ppf(0.99, 3)
        (0.999, 16.266_236_19),  // chi2.ppf(0.999, 3)
        (0.9999, 21.107_513_63), // chi2.ppf(0.9999, 3)
    ] {
        let got = chi2_3_quantile(p);
        assert!((got - want).abs() < 1e-3, "p = {p}: {got} vs {want}");
        assert!((chi2_3_cdf(got) - p).abs() < 1e-12, "p = {p}");
    }
}

fn cv_filter(q: f64) -> (KalmanPredictor<ConstantVelocity>, KalmanUpdater) {
    (
        KalmanPredictor {
            model: ConstantVelocity { q_m2ps3: q },
        },
        KalmanUpdater,
    )
}

#[test]
fn estimate_converges_to_a_noise_free_constant_velocity_target() {
    let (predictor, updater) = cv_filter(5.0);
    let initiator = TwoPointInitiator {
        init_velocity_sigma_mps: 400.0,
        q_m2ps3: 5.0,
    };
    let (p0, v) = (
        Vector3::new(5e6, 1e6, 3e6),
        Vector3::new(-220.0, 130.0, 5.0),
    );
    let r = Matrix3::identity() * 2500.0;
    let plot = |k: u32| {
        let t = 2.0 * f64::from(k);
        Measurement {
            time: SimTime::from_secs_f64(t),
            sensor: SensorId(0),
            z_m: p0 + v * t,
            r_m2: r,
            polar: None,
        }
    };
    // One-point start (velocity 0), then plain Kalman updates: no two-point help.
    let mut state = initiator.initiate(&plot(0));
    let mut errors = Vec::new();
    for k in 1..=60 {
        let m = plot(k);
        state = updater
            .update(&predictor.predict(&state, m.time), &m)
            .unwrap();
        let t = m.time.as_secs_f64();
        errors.push((
            (state.position() - (p0 + v * t)).norm(),
            (state.velocity() - v).norm(),
        ));
    }
    let (pos_err, vel_err) = *errors.last().unwrap();
    // The error decays geometrically (no noise to hold it up); after 2 minutes it is far below
    // the 50 m measurement sigma.
    assert!(
        pos_err < 1e-3 && vel_err < 1e-3,
        "{pos_err} m, {vel_err} m/s"
    );
    assert!(errors[9].1 > errors[59].1);
}

/// Run-averaged normalised estimation error squared (NEES) at each step of Monte Carlo runs of a
/// CV target that follows CWNA with intensity `truth_q` (exact discretisation) and correlated
/// Gaussian measurement noise, tracked by a filter that assumes `q = 5`. Returns the fraction of
/// steps whose average lies in the two-sided 95 % interval of χ²(6N)/N.
fn nees_fraction_inside(seed: u64, truth_q: f64, start: VelocityStart) -> f64 {
    const RUNS: usize = 200;
    const STEPS: usize = 40;
    let q = 5.0;
    let dt = 2.0;
    let (predictor, updater) = cv_filter(q);
    let initiator = TwoPointInitiator {
        init_velocity_sigma_mps: 400.0,
        q_m2ps3: q,
    };
    let (f, big_q) = ConstantVelocity { q_m2ps3: truth_q }.transition(dt);
    let lq = big_q.cholesky().unwrap().l();
    // A range-azimuth-like noise ellipsoid: 30 m along one axis, 300 m across, tilted.
    let a = Matrix3::new(30.0, 0.0, 0.0, 150.0, 260.0, 0.0, 10.0, 40.0, 80.0);
    let r = a * a.transpose();
    let lr = r.cholesky().unwrap().l();
    let step_ns = SimTime::from_secs_f64(dt).0;

    let mut rng = ChaCha12Rng::seed_from_u64(seed);
    let mut nees_sum = vec![0.0; STEPS];
    for _ in 0..RUNS {
        let mut truth = Vector6::new(1e5, -2e5, 8e3, 250.0, -120.0, 0.0);
        let mut time = SimTime::ZERO;
        let measure = |truth: &Vector6<f64>, time: SimTime, rng: &mut ChaCha12Rng| Measurement {
            time,
            sensor: SensorId(1),
            z_m: truth.fixed_rows::<3>(0).into_owned() + gaussian3(rng, &lr),
            r_m2: r,
            polar: None,
        };
        let step = |truth: &mut Vector6<f64>, rng: &mut ChaCha12Rng| {
            let w = Vector6::from_fn(|_, _| StandardNormal.sample(rng));
            *truth = f * *truth + lq * w;
        };
        let first = measure(&truth, time, &mut rng);
        step(&mut truth, &mut rng);
        time = SimTime(time.0 + step_ns);
        // The start from the second plot is part of what is checked.
        let second = measure(&truth, time, &mut rng);
        let mut state: GaussianState = match start {
            VelocityStart::TwoPoint => initiator.second_point(&first, &second).unwrap(),
            VelocityStart::Update => updater
                .update(
                    &predictor.predict(&initiator.initiate(&first), time),
                    &second,
                )
                .unwrap(),
        };
        for sum in nees_sum.iter_mut() {
            step(&mut truth, &mut rng);
            time = SimTime(time.0 + step_ns);
            let m = measure(&truth, time, &mut rng);
            state = updater
                .update(&predictor.predict(&state, time), &m)
                .unwrap();
            let e = truth - state.x;
            let p_inv: Matrix6<f64> = state.p.try_inverse().unwrap();
            *sum += (e.transpose() * p_inv * e)[0];
        }
    }
    // N·NEES ~ χ²(6N) for a consistent filter (Bar-Shalom, Li & Kirubarajan 2001, §5.4.2);
    // z = ±1.959964 for the two-sided 95 % interval.
    let k = 6.0 * RUNS as f64;
    let lo = chi2_quantile_wilson_hilferty(k, -1.959_964) / RUNS as f64;
    let hi = chi2_quantile_wilson_hilferty(k, 1.959_964) / RUNS as f64;
    let inside = nees_sum
        .iter()
        .filter(|&&s| (lo..=hi).contains(&(s / RUNS as f64)))
        .count();
    inside as f64 / STEPS as f64
}

#[test]
fn nees_is_consistent_over_monte_carlo_runs() {
    // About 95 % of the steps should fall inside; 85 % leaves room for the correlation between
    // the steps of one run without letting a real inconsistency (which moves every step)
    // through.
    for start in [VelocityStart::TwoPoint, VelocityStart::Update] {
        let fraction = nees_fraction_inside(20_240_601, 5.0, start);
        assert!(
            fraction >= 0.85,
            "{start:?}: only {fraction} of the steps inside"
        );
        // The check has power: a target manoeuvring 10× harder than the filter assumes fails.
        let fraction = nees_fraction_inside(20_240_601, 50.0, start);
        assert!(
            fraction < 0.5,
            "{start:?}: {fraction} of the steps inside with q mismatched"
        );
    }
}
