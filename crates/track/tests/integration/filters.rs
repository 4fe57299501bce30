//! Validation of the EKF, UKF and IMM (`models`, `measurement`, `filter`) against filterpy
//! runs, finite differences and a manoeuvre scenario, and their covariance invariants.
//!
//! Reference runs: `python3 tools/gen_filter_fixtures.py` (filterpy==1.4.5, numpy==2.4.6; the
//! exact command and every parameter are at the top of each CSV in
//! `tests/fixtures/filters/`).
use iadsim_core::{SensorId, SimTime};
use iadsim_track::filter::imm::{Imm, ImmMode, ImmState};
use iadsim_track::filter::{ExtendedKalman, Filter, UnscentedKalman};
use iadsim_track::measurement::{
    wrap_pi, CartesianPosition, RangeAzimuthElevation, RangeAzimuthElevationRate, SensorFrame,
};
use iadsim_track::models::{
    ConstantAcceleration, ConstantVelocity7, CoordinatedTurn, Singer, TurnModel,
};
use iadsim_track::{
    ConstantVelocity, GaussianFilter, GaussianState, GaussianStateN, KalmanPredictor,
    KalmanUpdater, Measurement, MeasurementModel, MeasurementN, Predictor, TransitionModel,
    Updater,
};
use nalgebra::{DMatrix, Matrix2, Matrix3, SMatrix, SVector, SymmetricEigen, Vector3};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use std::collections::HashMap;

/// A parsed fixture: `# name = values` parameters and `kind,t,z…,x…,P…` rows.
struct Fixture {
    params: HashMap<String, Vec<f64>>,
    rows: Vec<(String, f64, Vec<f64>)>,
}

fn load(name: &str) -> Fixture {
    let path = format!(
        "{}/tests/fixtures/filters/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut params = HashMap::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(c) = line.strip_prefix("# ") {
            if let Some((k, v)) = c.split_once(" = ") {
                let vals = v.split(' ').map(|s| s.parse().unwrap()).collect();
                params.insert(k.to_string(), vals);
            }
        } else if !line.is_empty() {
            let mut it = line.split(',');
            let kind = it.next().unwrap().to_string();
            let t: f64 = it.next().unwrap().parse().unwrap();
            rows.push((kind, t, it.map(|s| s.parse().unwrap()).collect()));
        }
    }
    Fixture { params, rows }
}

impl Fixture {
    fn scalar(&self, k: &str) -> f64 {
        self.params[k][0]
    }
    fn matrix<const R: usize, const C: usize>(&self, k: &str) -> SMatrix<f64, R, C> {
        SMatrix::<f64, R, C>::from_row_slice(&self.params[k])
    }
    /// Row `i` as `(t, z, x, P)`.
    fn row<const M: usize, const N: usize>(
        &self,
        i: usize,
    ) -> (SimTime, SVector<f64, M>, GaussianStateN<N>) {
        let (_, t, v) = &self.rows[i];
        assert_eq!(v.len(), M + N + N * N);
        let time = SimTime::from_secs_f64(*t);
        let z = SVector::<f64, M>::from_column_slice(&v[..M]);
        let x = SVector::<f64, N>::from_column_slice(&v[M..M + N]);
        let p = SMatrix::<f64, N, N>::from_row_slice(&v[M + N..]);
        (time, z, GaussianStateN { time, x, p })
    }
}

/// Worst errors of `ours` against `reference`: state component error relative to the larger
/// of the reference value and its standard deviation; covariance element error relative to
/// `√(Pᵢᵢ Pⱼⱼ)` (i.e. as a correlation-scale error).
#[derive(Debug, Default, Clone, Copy)]
struct Worst {
    state: f64,
    cov: f64,
}

impl Worst {
    fn add<const N: usize>(&mut self, ours: &GaussianStateN<N>, reference: &GaussianStateN<N>) {
        let (a, b) = (ours, reference);
        for i in 0..N {
            let scale = b.x[i].abs().max(b.p[(i, i)].sqrt());
            self.state = self.state.max((a.x[i] - b.x[i]).abs() / scale);
            for j in 0..N {
                let scale = (b.p[(i, i)] * b.p[(j, j)]).sqrt();
                self.cov = self.cov.max((a.p[(i, j)] - b.p[(i, j)]).abs() / scale);
            }
        }
    }
}

/// Runs a filter over a fixture's rows, returning the worst errors.
fn replay<const M: usize, const N: usize>(
    fx: &Fixture,
    r: SMatrix<f64, M, M>,
    mut step: impl FnMut(&GaussianStateN<N>, &MeasurementN<M>) -> GaussianStateN<N>,
) -> Worst {
    let (_, _, mut state) = fx.row::<M, N>(0);
    let mut worst = Worst::default();
    for i in 1..fx.rows.len() {
        let (time, z, reference) = fx.row::<M, N>(i);
        let m = MeasurementN {
            time,
            sensor: SensorId(1),
            z,
            r,
        };
        state = step(&state, &m);
        worst.add(&state, &reference);
    }
    worst
}

// Tolerances: filterpy inverts S explicitly (numpy.linalg.inv) where we solve with Cholesky,
// does not symmetrise, and sums in another order; all of that is rounding, ~1e-13 relative
// after 50 steps, so the 1e-9 (state) / 1e-8 (covariance) bounds of the issue are generous.
const STATE_TOL: f64 = 1e-9;
const COV_TOL: f64 = 1e-8;

#[test]
fn kalman_filter_matches_filterpy_on_a_constant_velocity_run() {
    // filterpy KalmanFilter, Joseph-form update: tests/fixtures/filters/kf_cv.csv
    let fx = load("kf_cv.csv");
    let r: Matrix3<f64> = fx.matrix("r_m2");
    let cv = ConstantVelocity {
        q_m2ps3: fx.scalar("q_m2ps3"),
    };
    // The tracker's own KalmanPredictor / KalmanUpdater.
    let predictor = KalmanPredictor { model: cv };
    let kf = replay::<3, 6>(&fx, r, |s, m| {
        let prior = GaussianState::from(*s);
        let predicted = predictor.predict(&prior, m.time);
        let plot = Measurement {
            time: m.time,
            sensor: m.sensor,
            z_m: m.z,
            r_m2: m.r,
            polar: None,
        };
        KalmanUpdater.update(&predicted, &plot).unwrap().into()
    });
    // The EKF with linear models is the same filter.
    let ekf = replay::<3, 6>(&fx, r, |s, m| {
        let predicted = ExtendedKalman.predict(&cv, s, m.time).unwrap();
        ExtendedKalman
            .update(&CartesianPosition, &predicted, m)
            .unwrap()
            .state
    });
    eprintln!("KF vs filterpy: {kf:?}; EKF(linear) vs filterpy: {ekf:?}");
    for w in [kf, ekf] {
        assert!(w.state < STATE_TOL && w.cov < COV_TOL, "{w:?}");
    }
}

fn radar_from(fx: &Fixture) -> RangeAzimuthElevation {
    RangeAzimuthElevation {
        frame: SensorFrame {
            origin_m: fx.matrix::<3, 1>("origin_m"),
            enu_to_frame: fx.matrix("enu_to_frame"),
        },
    }
}

fn turn_from(fx: &Fixture) -> CoordinatedTurn {
    CoordinatedTurn {
        q_m2ps3: fx.scalar("q_m2ps3"),
        q_omega_rad2ps3: fx.scalar("q_omega_rad2ps3"),
    }
}

#[test]
fn unscented_filter_matches_filterpy_on_a_turn_seen_in_range_azimuth_elevation() {
    // filterpy UnscentedKalmanFilter + MerweScaledSigmaPoints(7, 0.5, 2, 1), sigma points
    // redrawn after predict, angle-aware z mean: tests/fixtures/filters/ukf_ct_rae.csv. The
    // azimuth wraps through ±π once along the run.
    let fx = load("ukf_ct_rae.csv");
    let ukf = UnscentedKalman {
        alpha: fx.scalar("alpha"),
        beta: fx.scalar("beta"),
        kappa: fx.scalar("kappa"),
    };
    let (ct, radar) = (turn_from(&fx), radar_from(&fx));
    let w = replay::<3, 7>(&fx, fx.matrix("r"), |s, m| {
        let predicted = ukf.predict(&ct, s, m.time).unwrap();
        ukf.update(&radar, &predicted, m).unwrap().state
    });
    eprintln!("UKF vs filterpy: {w:?}");
    assert!(w.state < STATE_TOL && w.cov < COV_TOL, "{w:?}");
}

#[test]
fn extended_filter_matches_filterpy_on_a_turn_seen_in_range_azimuth_elevation() {
    // filterpy ExtendedKalmanFilter (Joseph-form update) with the same analytic Jacobians:
    // tests/fixtures/filters/ekf_ct_rae.csv.
    let fx = load("ekf_ct_rae.csv");
    let (ct, radar) = (turn_from(&fx), radar_from(&fx));
    let w = replay::<3, 7>(&fx, fx.matrix("r"), |s, m| {
        let predicted = ExtendedKalman.predict(&ct, s, m.time).unwrap();
        ExtendedKalman.update(&radar, &predicted, m).unwrap().state
    });
    eprintln!("EKF vs filterpy: {w:?}");
    assert!(w.state < STATE_TOL && w.cov < COV_TOL, "{w:?}");
}

/// Worst `|analytic − central difference| / max(|analytic|, 1e-3 · largest |entry| of the
/// row)` (the floor keeps structurally tiny entries from dominating).
fn jacobian_error<const M: usize, const N: usize>(
    analytic: &SMatrix<f64, M, N>,
    f: impl Fn(&SVector<f64, N>) -> SVector<f64, M>,
    x: &SVector<f64, N>,
    steps: &SVector<f64, N>,
    residual: impl Fn(&SVector<f64, M>, &SVector<f64, M>) -> SVector<f64, M>,
) -> f64 {
    let mut worst: f64 = 0.0;
    for j in 0..N {
        let h = steps[j];
        let mut xp = *x;
        let mut xm = *x;
        xp[j] += h;
        xm[j] -= h;
        let col = residual(&f(&xp), &f(&xm)) / (xp[j] - xm[j]);
        for i in 0..M {
            let row_max = analytic.row(i).amax();
            let scale = analytic[(i, j)].abs().max(1e-3 * row_max);
            worst = worst.max((analytic[(i, j)] - col[i]).abs() / scale);
        }
    }
    worst
}

#[test]
fn analytic_jacobians_match_central_differences() {
    // Central differences with steps ~1e-4 of each component's scale: truncation (h²) and
    // rounding (ε/h) errors both stay well below the 1e-6 relative tolerance.
    let ct = CoordinatedTurn {
        q_m2ps3: 1.0,
        q_omega_rad2ps3: 1e-4,
    };
    let mut worst_ct: f64 = 0.0;
    for omega in [0.0, 1e-7, 0.02, 0.049, 0.051, 0.196, -0.3, 1.2] {
        for dt in [0.5, 2.0, 4.0] {
            let x = SVector::<f64, 7>::from([12e3, -3e3, 4e3, 230.0, -110.0, 8.0, omega]);
            let steps = SVector::<f64, 7>::from([1.0, 1.0, 1.0, 0.01, 0.01, 0.01, 1e-6]);
            let e = jacobian_error(
                &ct.jacobian(&x, dt),
                |x| ct.propagate(x, dt),
                &x,
                &steps,
                |a, b| a - b,
            );
            worst_ct = worst_ct.max(e);
        }
    }
    let rot = Matrix3::new(
        0.8775825618903728,
        -0.4793296566926098,
        0.009587871550817147,
        0.479425538604203,
        0.8774070512284671,
        -0.017550481151126913,
        0.0,
        0.01999866669333308,
        0.9998000066665778,
    );
    let frame = SensorFrame {
        origin_m: Vector3::new(2000.0, -1000.0, 50.0),
        enu_to_frame: rot,
    };
    let rae = RangeAzimuthElevation { frame };
    let raer = RangeAzimuthElevationRate { frame };
    let mut worst_polar: f64 = 0.0;
    for p in [
        [30e3, 40e3, 8e3],
        [-5e3, -20e3, 500.0],
        [2100.0, -40e3, 12e3],
        [-60e3, 1e3, 20e3],
    ] {
        let x = SVector::<f64, 6>::from([p[0], p[1], p[2], -180.0, 220.0, -15.0]);
        let steps = SVector::<f64, 6>::from([1.0, 1.0, 1.0, 0.01, 0.01, 0.01]);
        let res3 = |a: &SVector<f64, 3>, b: &SVector<f64, 3>| {
            <RangeAzimuthElevation as MeasurementModel<6, 3>>::residual(&rae, a, b)
        };
        let e3 = jacobian_error(
            &MeasurementModel::<6, 3>::jacobian(&rae, &x),
            |x| MeasurementModel::<6, 3>::measure(&rae, x),
            &x,
            &steps,
            res3,
        );
        let res4 = |a: &SVector<f64, 4>, b: &SVector<f64, 4>| {
            <RangeAzimuthElevationRate as MeasurementModel<6, 4>>::residual(&raer, a, b)
        };
        let e4 = jacobian_error(
            &MeasurementModel::<6, 4>::jacobian(&raer, &x),
            |x| MeasurementModel::<6, 4>::measure(&raer, x),
            &x,
            &steps,
            res4,
        );
        worst_polar = worst_polar.max(e3).max(e4);
    }
    eprintln!("Jacobian vs central differences: CT {worst_ct:.2e}, polar {worst_polar:.2e}");
    assert!(worst_ct < 1e-6, "{worst_ct}");
    assert!(worst_polar < 1e-6, "{worst_polar}");
}

fn gaussian<const K: usize>(rng: &mut ChaCha8Rng) -> SVector<f64, K> {
    SVector::<f64, K>::from_fn(|_, _| StandardNormal.sample(rng))
}

/// A radar at the origin (ENU = frame), σ_r = 20 m, σ_az = σ_el = 1 mrad.
fn radar() -> (RangeAzimuthElevation, Matrix3<f64>) {
    let radar = RangeAzimuthElevation {
        frame: SensorFrame::aligned(Vector3::zeros()),
    };
    let r = Matrix3::from_diagonal(&Vector3::new(20.0_f64.powi(2), 1e-6, 1e-6));
    (radar, r)
}

fn noisy_plot(
    rng: &mut ChaCha8Rng,
    radar: &RangeAzimuthElevation,
    r: &Matrix3<f64>,
    truth: &SVector<f64, 7>,
    time: SimTime,
) -> MeasurementN<3> {
    let mut z = MeasurementModel::<7, 3>::measure(radar, truth)
        + r.map(f64::sqrt)
            .diagonal()
            .component_mul(&gaussian::<3>(rng));
    z[1] = wrap_pi(z[1]);
    MeasurementN {
        time,
        sensor: SensorId(1),
        z,
        r: *r,
    }
}

type TurnImm = Imm<7, 2, TurnModel, Filter>;

fn cv_ct_imm(filter: Filter) -> TurnImm {
    Imm::new(
        [
            ImmMode {
                model: TurnModel::Straight(ConstantVelocity7 {
                    q_m2ps3: 0.5,
                    omega_sigma_radps: 1e-3,
                }),
                filter,
            },
            ImmMode {
                model: TurnModel::Turning(CoordinatedTurn {
                    q_m2ps3: 2.0,
                    q_omega_rad2ps3: 2e-3,
                }),
                filter,
            },
        ],
        Matrix2::new(0.95, 0.05, 0.05, 0.95),
    )
    .unwrap()
}

/// CV flight for 30 s then a 5 g coordinated turn (ω = 5 g / v = 0.196 rad/s at 250 m/s),
/// 1 s scans; returns the CT mode probability after every scan.
fn manoeuvre_run(filter: Filter, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (radar, r) = radar();
    let imm = cv_ct_imm(filter);
    let exact = CoordinatedTurn {
        q_m2ps3: 0.0,
        q_omega_rad2ps3: 0.0,
    };
    let speed = 250.0;
    let omega_turn = 5.0 * 9.80665 / speed;
    let mut truth = SVector::<f64, 7>::from([20e3, 15e3, 5e3, -speed, 0.0, 0.0, 0.0]);
    let start = GaussianStateN {
        time: SimTime::ZERO,
        x: truth + SVector::<f64, 7>::from([80.0, -60.0, 30.0, 15.0, -10.0, 0.0, 0.0]),
        p: SMatrix::<f64, 7, 7>::from_diagonal(&SVector::<f64, 7>::from([
            100.0f64.powi(2),
            100.0f64.powi(2),
            100.0f64.powi(2),
            30.0f64.powi(2),
            30.0f64.powi(2),
            30.0f64.powi(2),
            1e-4,
        ])),
    };
    let mut state = ImmState::new(start, SVector::<f64, 2>::new(0.9, 0.1)).unwrap();
    let mut mu_ct = Vec::new();
    for k in 1..=50 {
        truth[6] = if k > 30 { omega_turn } else { 0.0 };
        truth = exact.propagate(&truth, 1.0);
        let time = SimTime::from_secs_f64(k as f64);
        let plot = noisy_plot(&mut rng, &radar, &r, &truth, time);
        let predicted = imm.predict(&state, time).unwrap();
        state = imm.update(&radar, &predicted, &plot).unwrap().state;
        mu_ct.push(state.probabilities[1]);
    }
    mu_ct
}

#[test]
fn imm_mode_probabilities_follow_a_5g_turn_onset() {
    // Truth turns from the scan at t = 31 s (index 30). CV must dominate in straight flight
    // (after a short settling), and μ_CT must exceed 0.8 within a few scans of onset.
    for (name, filter) in [
        ("EKF", Filter::Extended(ExtendedKalman)),
        (
            "UKF",
            Filter::Unscented(UnscentedKalman {
                alpha: 0.5,
                beta: 2.0,
                kappa: 0.0,
            }),
        ),
    ] {
        for seed in [1_u64, 2, 3] {
            let mu = manoeuvre_run(filter, seed);
            let straight_max = mu[5..30].iter().copied().fold(0.0, f64::max);
            let straight_mean = mu[5..30].iter().sum::<f64>() / 25.0;
            let first_above = mu[30..].iter().position(|&m| m > 0.8);
            let turn_min = mu[31..].iter().copied().fold(1.0, f64::min);
            let turn_mean = mu[31..].iter().sum::<f64>() / 19.0;
            eprintln!(
                "{name} seed {seed}: straight mean μ_CT {straight_mean:.3} max {straight_max:.3}; \
                 μ_CT > 0.8 after {first_above:?} scans of the turn; over scans 32..50 mean \
                 {turn_mean:.3}, min {turn_min:.3}"
            );
            assert!(straight_mean < 0.2 && straight_max < 0.5, "{mu:?}");
            assert!(first_above.is_some_and(|n| n <= 4), "{mu:?}");
            // A single noisy scan can still favour CV mid-turn; on average CT must hold.
            assert!(turn_mean > 0.85, "{mu:?}");
        }
    }
}

fn assert_symmetric_psd<const N: usize>(p: &SMatrix<f64, N, N>, what: &str) {
    assert_eq!(*p, p.transpose(), "{what}: not exactly symmetric");
    let eig = SymmetricEigen::new(DMatrix::from_column_slice(N, N, p.as_slice())).eigenvalues;
    let min = eig.min();
    assert!(
        min >= -1e-12 * eig.amax(),
        "{what}: eigenvalue {min} (max {})",
        eig.amax()
    );
}

#[test]
fn covariance_stays_symmetric_psd_over_long_runs() {
    // 2000 scans (a weaving target, some long gaps, 1–5 s) through the EKF, the UKF and the
    // IMM of both; every predicted and posterior covariance must be exactly symmetric and
    // positive semi-definite to rounding.
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (radar, r) = radar();
    let exact = CoordinatedTurn {
        q_m2ps3: 0.0,
        q_omega_rad2ps3: 0.0,
    };
    let ct = CoordinatedTurn {
        q_m2ps3: 2.0,
        q_omega_rad2ps3: 1e-3,
    };
    let ukf = UnscentedKalman {
        alpha: 0.5,
        beta: 2.0,
        kappa: 0.0,
    };
    let imms = [
        cv_ct_imm(Filter::Extended(ExtendedKalman)),
        cv_ct_imm(Filter::Unscented(ukf)),
    ];
    let mut truth = SVector::<f64, 7>::from([30e3, -10e3, 6e3, 0.0, 220.0, 3.0, 0.0]);
    let start = GaussianStateN {
        time: SimTime::ZERO,
        x: truth,
        p: SMatrix::<f64, 7, 7>::identity() * 100.0,
    };
    let (mut ekf_s, mut ukf_s) = (start, start);
    let mut imm_s = [ImmState::new(start, SVector::<f64, 2>::new(0.5, 0.5)).unwrap(); 2];
    let mut t = 0.0;
    for k in 0..2000 {
        let dt = [1.0, 2.0, 5.0][k % 3];
        truth[6] = 0.1 * (k as f64 / 40.0).sin();
        truth = exact.propagate(&truth, dt);
        // Keep the target within ~60 km of the radar, turning back whenever it strays.
        if truth.fixed_rows::<2>(0).norm() > 60e3 {
            truth[3] = -truth[3];
            truth[4] = -truth[4];
        }
        t += dt;
        let time = SimTime::from_secs_f64(t);
        let plot = noisy_plot(&mut rng, &radar, &r, &truth, time);
        let p = ExtendedKalman.predict(&ct, &ekf_s, time).unwrap();
        assert_symmetric_psd(&p.p, "EKF predicted");
        ekf_s = ExtendedKalman.update(&radar, &p, &plot).unwrap().state;
        assert_symmetric_psd(&ekf_s.p, "EKF posterior");
        let p = ukf.predict(&ct, &ukf_s, time).unwrap();
        assert_symmetric_psd(&p.p, "UKF predicted");
        ukf_s = ukf.update(&radar, &p, &plot).unwrap().state;
        assert_symmetric_psd(&ukf_s.p, "UKF posterior");
        for (imm, s) in imms.iter().zip(imm_s.iter_mut()) {
            let p = imm.predict(s, time).unwrap();
            *s = imm.update(&radar, &p, &plot).unwrap().state;
            for m in &s.modes {
                assert_symmetric_psd(&m.p, "IMM mode posterior");
            }
            assert_symmetric_psd(&s.combined().p, "IMM combined");
            assert!((s.probabilities.sum() - 1.0).abs() < 1e-12);
        }
    }
}

#[test]
fn nine_state_models_run_through_the_ekf() {
    // The 9-D models need no special filter: a constant-acceleration target is followed by
    // both, and the Singer estimate of a steady 20 m/s² acceleration converges to it.
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let ca = ConstantAcceleration { q_m2ps5: 0.1 };
    // Singer pulls the acceleration back towards 0 with time constant τ, so a steady
    // acceleration is only followed without bias when τ is long compared with the run.
    let singer = Singer {
        tau_s: 600.0,
        sigma_mps2: 20.0,
    };
    let mut truth = SVector::<f64, 9>::zeros();
    truth[3] = 200.0;
    truth[7] = 20.0;
    let start = GaussianStateN {
        time: SimTime::ZERO,
        x: truth,
        p: SMatrix::<f64, 9, 9>::identity() * 100.0,
    };
    let (mut a, mut s) = (start, start);
    let r = Matrix3::identity() * 25.0;
    let exact = ConstantAcceleration { q_m2ps5: 0.0 };
    for k in 1..=60 {
        truth = exact.propagate(&truth, 1.0);
        let time = SimTime::from_secs_f64(k as f64);
        let m = MeasurementN {
            time,
            sensor: SensorId(1),
            z: truth.fixed_rows::<3>(0) + gaussian::<3>(&mut rng) * 5.0,
            r,
        };
        let pa = ExtendedKalman.predict(&ca, &a, time).unwrap();
        a = ExtendedKalman
            .update(&CartesianPosition, &pa, &m)
            .unwrap()
            .state;
        let ps = ExtendedKalman.predict(&singer, &s, time).unwrap();
        s = ExtendedKalman
            .update(&CartesianPosition, &ps, &m)
            .unwrap()
            .state;
    }
    assert!((a.x[7] - 20.0).abs() < 2.0, "{}", a.x[7]);
    assert!((s.x[7] - 20.0).abs() < 3.0, "{}", s.x[7]);
    assert!((a.x[3] - 200.0).abs() < 5.0);
}
