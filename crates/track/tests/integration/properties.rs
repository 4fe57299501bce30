//! Invariants, checked on many random cases.
use iadsim_core::{SensorId, SimTime};
use iadsim_track::{
    assignment, ConstantVelocity, GaussianState, KalmanPredictor, KalmanUpdater, Measurement,
    Predictor, StateCovariance, Updater,
};
use nalgebra::{Matrix3, Vector3, Vector6};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha12Rng;
use rand_distr::{Distribution, StandardNormal};

/// (number of finite pairs, total cost) of the best partial assignment, by trying them all:
/// each row takes an unused column or none.
fn brute_force(cost: &[f64], rows: usize, cols: usize) -> (usize, f64) {
    fn go(cost: &[f64], cols: usize, row: usize, rows: usize, used: &mut [bool]) -> (usize, f64) {
        if row == rows {
            return (0, 0.0);
        }
        let mut best = go(cost, cols, row + 1, rows, used);
        for j in 0..cols {
            let c = cost[row * cols + j];
            if used[j] || !c.is_finite() {
                continue;
            }
            used[j] = true;
            let (n, s) = go(cost, cols, row + 1, rows, used);
            used[j] = false;
            let cand = (n + 1, s + c);
            if cand.0 > best.0 || (cand.0 == best.0 && cand.1 < best.1) {
                best = cand;
            }
        }
        best
    }
    go(cost, cols, 0, rows, &mut vec![false; cols])
}

#[test]
fn assignment_is_optimal_against_brute_force() {
    let mut rng = ChaCha12Rng::seed_from_u64(7);
    for case in 0..400 {
        let rows = rng.random_range(1..=7);
        let cols = rng.random_range(1..=7);
        let p_inf = [0.0, 0.2, 0.6][case % 3];
        let integer = case % 2 == 0; // integer costs make ties common
        let cost: Vec<f64> = (0..rows * cols)
            .map(|_| {
                if rng.random::<f64>() < p_inf {
                    f64::INFINITY
                } else if integer {
                    f64::from(rng.random_range(-3..10))
                } else {
                    rng.random_range(-50.0..500.0)
                }
            })
            .collect();
        let got = assignment::solve(&cost, rows, cols);
        assert_eq!(got.len(), rows);
        let mut used = vec![false; cols];
        let (mut n, mut total) = (0, 0.0);
        for (i, j) in got.iter().enumerate() {
            if let Some(j) = *j {
                assert!(!used[j], "case {case}: column {j} used twice");
                used[j] = true;
                assert!(
                    cost[i * cols + j].is_finite(),
                    "case {case}: forbidden pair"
                );
                n += 1;
                total += cost[i * cols + j];
            }
        }
        let (best_n, best_total) = brute_force(&cost, rows, cols);
        assert_eq!(n, best_n, "case {case}: {rows}×{cols} {cost:?}");
        // Sums of at most 7 terms below 500: 1e-9 is rounding headroom.
        assert!(
            (total - best_total).abs() < 1e-9,
            "case {case}: {total} vs {best_total}, {rows}×{cols} {cost:?}"
        );
    }
}

fn random_spd(rng: &mut ChaCha12Rng, scale: f64) -> Matrix3<f64> {
    let a = Matrix3::from_fn(|_, _| StandardNormal.sample(rng)) * scale;
    a * a.transpose() + Matrix3::identity() * (scale * scale * 1e-3)
}

fn is_symmetric_pd(p: &StateCovariance) -> bool {
    p == &p.transpose() && p.cholesky().is_some()
}

#[test]
fn covariance_stays_symmetric_psd_after_update() {
    let mut rng = ChaCha12Rng::seed_from_u64(11);
    for case in 0..300 {
        let q = 10f64.powf(rng.random_range(-2.0..3.0));
        let predictor = KalmanPredictor {
            model: ConstantVelocity { q_m2ps3: q },
        };
        // A random SPD prior spanning position variances from 1 m² to 1e8 m².
        let a = StateCovariance::from_fn(|_, _| StandardNormal.sample(&mut rng));
        let p0 = a * a.transpose() * 10f64.powf(rng.random_range(0.0..8.0))
            + StateCovariance::identity();
        let mut state = GaussianState {
            time: SimTime::ZERO,
            x: Vector6::from_fn(|_, _| rng.random_range(-1e5..1e5)),
            p: (p0 + p0.transpose()) * 0.5,
        };
        for _ in 0..20 {
            let time = SimTime(state.time.0 + rng.random_range(0..10_000_000_000));
            let predicted = predictor.predict(&state, time);
            assert!(is_symmetric_pd(&predicted.p), "case {case}: prediction");
            let noise_scale = 10f64.powf(rng.random_range(0.0..3.5));
            let m = Measurement {
                time,
                sensor: SensorId(0),
                z_m: predicted.position() + Vector3::from_fn(|_, _| rng.random_range(-1e3..1e3)),
                // From a 1 m to a 3 km noise ellipsoid.
                r_m2: random_spd(&mut rng, noise_scale),
                polar: None,
            };
            state = KalmanUpdater.update(&predicted, &m).unwrap();
            assert!(is_symmetric_pd(&state.p), "case {case}: {:?}", state.p);
            // An update never increases the variance of any state component.
            for i in 0..6 {
                assert!(state.p[(i, i)] <= predicted.p[(i, i)] * (1.0 + 1e-9));
            }
        }
    }
}
