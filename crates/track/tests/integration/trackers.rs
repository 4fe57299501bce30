//! The tracker with every estimator: IMM against CV through a manoeuvre, CA/Singer/CT on the
//! ten-target scenario, GNN and JPDA with the IMM, and the configuration file → tracker path.
use crate::common::measure;
use iadsim_core::{SensorId, SimTime, TrackReport, TrackStatus};
use iadsim_track::Measurement;
use iadsim_track::{build_tracker, AnyTracker, TrackError, TrackerFileConfig};
use nalgebra::{Matrix3, Vector3};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha12Rng;
use rand_distr::{Distribution, StandardNormal};

fn tracker(toml_text: &str) -> AnyTracker {
    let file: TrackerFileConfig = toml::from_str(toml_text).unwrap();
    build_tracker(&file).unwrap()
}

/// Truth of a target flying 250 m/s along +x at 3 km, then a 4 g (39.2 m/s²) left turn
/// through 180°, then straight back along −x. Position at `t` s; `turning` while in the turn.
fn manoeuvre(t: f64) -> (Vector3<f64>, bool) {
    let v = 250.0;
    let a = 4.0 * 9.806_65;
    let w = a / v; // rad/s
    let t1 = 30.0;
    let t_turn = std::f64::consts::PI / w;
    let r = v / w;
    let start = Vector3::new(0.0, 0.0, 3000.0);
    if t <= t1 {
        (start + Vector3::new(v * t, 0.0, 0.0), false)
    } else if t <= t1 + t_turn {
        let th = w * (t - t1);
        let c = start + Vector3::new(v * t1, r, 0.0);
        (c + Vector3::new(r * th.sin(), -r * th.cos(), 0.0), true)
    } else {
        let end = start + Vector3::new(v * t1, 2.0 * r, 0.0);
        (end + Vector3::new(-v * (t - t1 - t_turn), 0.0, 0.0), false)
    }
}

/// Position error of the report nearest to truth, capped at `cap` m (a lost track costs `cap`).
fn nearest_error(reports: &[TrackReport], truth: &Vector3<f64>, cap: f64) -> f64 {
    reports
        .iter()
        .map(|r| (Vector3::from(r.position_ecef_m) - truth).norm())
        .fold(cap, f64::min)
}

/// Position RMSE, over the turn, of the track that held the target before it (a track that
/// is lost or deleted costs 2 km a scan: a new track on the target does not count as keeping
/// it). Scans every second with 30 m noise.
fn turn_rmse(tracker: &mut AnyTracker, seed: u64) -> f64 {
    let mut rng = ChaCha12Rng::seed_from_u64(seed);
    let (mut sum, mut n) = (0.0, 0);
    let mut held = None;
    for k in 0..=80 {
        let t = f64::from(k);
        let time = SimTime::from_secs_f64(t);
        let (truth, turning) = manoeuvre(t);
        let plot = measure(&mut rng, time, SensorId(0), truth, 30.0);
        tracker.process_scan(time, SensorId(0), &[plot]).unwrap();
        let reports = tracker.reports();
        if !turning && held.is_none() && t > 20.0 {
            let confirmed: Vec<_> = reports
                .iter()
                .filter(|r| r.status == TrackStatus::Confirmed)
                .collect();
            assert_eq!(confirmed.len(), 1, "{reports:?}");
            held = Some(confirmed[0].id);
        }
        if turning {
            let mine: Vec<TrackReport> =
                reports.into_iter().filter(|r| Some(r.id) == held).collect();
            let e = nearest_error(&mine, &truth, 2_000.0);
            sum += e * e;
            n += 1;
        }
    }
    assert!(n > 10);
    (sum / f64::from(n)).sqrt()
}

#[test]
fn imm_follows_a_4g_turn_better_than_cv_with_the_same_q() {
    let mut cv = tracker("[motion]\nmodel = \"cv\"\nq = 1.0\n");
    let mut imm =
        tracker("[motion]\nmodel = \"imm\"\n[motion.cv]\nq = 1.0\n[motion.ct]\nq = 1.0\n");
    for seed in [1, 2, 3] {
        let e_cv = turn_rmse(&mut cv.clone(), seed);
        let e_imm = turn_rmse(&mut imm.clone(), seed);
        // A CV filter with q = 1 m²/s³ lags a 39 m/s² turn by hundreds of metres; the IMM's
        // turn mode follows it to within a few noise standard deviations.
        assert!(
            e_imm < 0.5 * e_cv,
            "seed {seed}: IMM {e_imm} m, CV {e_cv} m"
        );
        assert!(e_imm < 150.0, "seed {seed}: IMM {e_imm} m");
    }
    // The same holds with the UKF in both modes.
    imm = tracker(
        "[motion]\nmodel = \"imm\"\n[motion.cv]\nq = 1.0\n[motion.ct]\nq = 1.0\n\
         [filter]\nkind = \"ukf\"\nalpha = 0.5\n",
    );
    let e_ukf = turn_rmse(&mut imm, 1);
    let e_cv = turn_rmse(&mut cv, 1);
    assert!(e_ukf < 0.5 * e_cv, "IMM-UKF {e_ukf} m, CV {e_cv} m");
}

/// The ten well-separated targets of `scenarios.rs` (50 km grid, 200–290 m/s), two sensors
/// alternating every second, Pd 0.9, σ 50 m, for 60 s. Every target ends with exactly one
/// confirmed track within 300 m, and there are no other confirmed tracks.
fn ten_targets_end_to_end(tracker: &mut AnyTracker, seed: u64) {
    let targets: Vec<(Vector3<f64>, Vector3<f64>)> = (0..10)
        .map(|i| {
            let (gx, gy) = (f64::from(i % 5), f64::from(i / 5));
            let heading = (6.0 * f64::from(i)).to_radians();
            let speed = 200.0 + 10.0 * f64::from(i);
            (
                Vector3::new(
                    6.3e6 + 50e3 * gx,
                    100e3 + 50e3 * gy,
                    200e3 + 1e3 * f64::from(i),
                ),
                Vector3::new(0.0, speed * heading.cos(), speed * heading.sin()),
            )
        })
        .collect();
    let mut rng = ChaCha12Rng::seed_from_u64(seed);
    let end = 60;
    for k in 0..=end {
        let t = f64::from(k);
        let time = SimTime::from_secs_f64(t);
        let sensor = SensorId(1 + k % 2);
        let mut scan = Vec::new();
        for (p, v) in &targets {
            if rng.random::<f64>() < 0.9 {
                scan.push(measure(&mut rng, time, sensor, p + v * t, 50.0));
            }
        }
        tracker.process_scan(time, sensor, &scan).unwrap();
    }
    let confirmed: Vec<TrackReport> = tracker
        .reports()
        .into_iter()
        .filter(|r| r.status == TrackStatus::Confirmed)
        .collect();
    assert_eq!(confirmed.len(), targets.len(), "{confirmed:?}");
    for (p, v) in &targets {
        let truth = p + v * f64::from(end);
        let e = nearest_error(&confirmed, &truth, f64::INFINITY);
        assert!(e < 300.0, "target at {truth:?}: nearest track {e} m");
    }
}

#[test]
fn ca_singer_and_ct_trackers_run_the_ten_target_scenario() {
    for (name, text) in [
        ("ca", "[motion]\nmodel = \"ca\"\nq = 0.1\n"),
        (
            "singer",
            "[motion]\nmodel = \"singer\"\ntau_s = 20.0\nsigma_a_mps2 = 2.0\n",
        ),
        (
            "ct",
            "[motion]\nmodel = \"ct\"\nq = 5.0\n[filter]\nkind = \"ekf\"\n",
        ),
        (
            "ct-ukf",
            "[motion]\nmodel = \"ct\"\nq = 5.0\n[filter]\nkind = \"ukf\"\nalpha = 0.5\n",
        ),
    ] {
        let mut t = tracker(text);
        assert!(
            matches!(
                (&t, name),
                (AnyTracker::Ca(_), "ca")
                    | (AnyTracker::Singer(_), "singer")
                    | (AnyTracker::Ct(_), "ct" | "ct-ukf")
            ),
            "{name}"
        );
        ten_targets_end_to_end(&mut t, 11);
    }
}

#[test]
fn gnn_and_jpda_both_work_with_the_imm() {
    for method in ["gnn", "jpda"] {
        let mut t = tracker(&format!(
            "[motion]\nmodel = \"imm\"\n[association]\nmethod = \"{method}\"\n\
             [detection]\npd = 0.9\nclutter_density = 1e-12\n"
        ));
        ten_targets_end_to_end(&mut t, 12);
    }
}

#[test]
fn every_motion_model_parses_and_builds() {
    let cases = [
        ("model = \"cv\"\nq = 2.0\n", "cv"),
        (
            "model = \"ca\"\nq = 0.5\ninit_acceleration_sigma_mps2 = 5.0\n",
            "ca",
        ),
        (
            "model = \"ct\"\nq = 2.0\nturn_rate_noise = 1e-4\ninit_turn_rate_sigma_radps = 0.05\n",
            "ct",
        ),
        (
            "model = \"singer\"\ntau_s = 10.0\nsigma_a_mps2 = 3.0\n",
            "singer",
        ),
        (
            "model = \"imm\"\ntransition_diagonal = [0.9, 0.8]\n\
             initial_probabilities = [0.5, 0.5]\n[motion.cv]\nq = 0.5\n\
             turn_rate_sigma_radps = 1e-4\n[motion.ct]\nq = 3.0\nturn_rate_noise = 1e-2\n",
            "imm",
        ),
    ];
    for (motion, name) in cases {
        for filter in [
            "",
            "[filter]\nkind = \"ekf\"\n",
            "[filter]\nkind = \"ukf\"\n",
        ] {
            let text = format!("[motion]\n{motion}{filter}");
            let t = tracker(&text);
            let ok = matches!(
                (&t, name),
                (AnyTracker::Cv(_), "cv")
                    | (AnyTracker::Ca(_), "ca")
                    | (AnyTracker::Ct(_), "ct")
                    | (AnyTracker::Singer(_), "singer")
                    | (AnyTracker::Imm(_), "imm")
            );
            assert!(ok, "{text}");
        }
    }
    // Defaults: an empty file is the CV Kalman tracker with the library's defaults.
    let t = tracker("");
    assert!(matches!(t, AnyTracker::Cv(_)));
    assert_eq!(*t.config(), iadsim_track::TrackerConfig::default());
}

#[test]
fn bad_configuration_values_name_their_field() {
    let cases = [
        ("[motion]\nmodel = \"cv\"\nq = -1.0\n", "motion.q"),
        (
            "[motion]\nmodel = \"singer\"\ntau_s = 0.0\n",
            "motion.tau_s",
        ),
        (
            "[motion]\nmodel = \"ca\"\ninit_acceleration_sigma_mps2 = 0.0\n",
            "motion.init_acceleration_sigma_mps2",
        ),
        (
            "[motion]\nmodel = \"ct\"\nturn_rate_noise = -1.0\n",
            "motion.turn_rate_noise",
        ),
        (
            "[motion]\nmodel = \"imm\"\ninitial_probabilities = [0.5, 0.6]\n",
            "motion.initial_probabilities",
        ),
        (
            "[motion]\nmodel = \"imm\"\ntransition_diagonal = [1.5, 0.9]\n",
            "motion.transition_diagonal",
        ),
        (
            "[motion]\nmodel = \"imm\"\n[motion.ct]\nq = -2.0\n",
            "motion.ct.q",
        ),
        ("[filter]\nkind = \"ukf\"\nalpha = 0.0\n", "filter.alpha"),
        ("[measurement]\nsigma_m = 0.0\n", "measurement.sigma_m"),
        ("[detection]\npd = 1.5\n", "detection.pd"),
        ("[initiation]\nm = 4\nn = 3\n", "initiation.m"),
        ("[deletion]\nmax_misses = 0\n", "deletion.max_misses"),
        (
            "[association]\ngate_probability = 1.0\n",
            "association.gate_probability",
        ),
    ];
    for (text, field) in cases {
        let file: TrackerFileConfig = toml::from_str(text).unwrap();
        let err = build_tracker(&file).unwrap_err();
        assert!(
            matches!(&err, TrackError::InvalidConfig { field: f, .. } if *f == field),
            "{text}: {err:?}"
        );
        assert!(err.to_string().contains(field), "{err}");
    }
    // Unknown fields and models are parse errors.
    for text in [
        "[motion]\nmodel = \"cv\"\ntau_s = 3.0\n",
        "[motion]\nmodel = \"rocket\"\n",
        "[detection]\npfa = 0.1\n",
        "[filter]\nkind = \"ukf\"\ngamma = 1.0\n",
        "[motion]\nmodel = \"imm\"\n[motion.cv]\nomega = 1.0\n",
    ] {
        assert!(toml::from_str::<TrackerFileConfig>(text).is_err(), "{text}");
    }
}

#[test]
fn polar_plots_track_a_target_through_the_imm_without_conversion() {
    use iadsim_track::SensorFrame;
    use iadsim_track::{MotionConfig, PolarView};
    // A target 80 km east at 5 km altitude flying north at 250 m/s, seen by a radar at the
    // origin of the tracking frame (its ENU axes = the frame's axes) with 30 m / 2 mrad noise.
    let file = TrackerFileConfig {
        motion: MotionConfig::Imm {
            cv: iadsim_track::config::ImmCvConfig {
                q: 5.0,
                turn_rate_sigma_radps: 1e-3,
            },
            ct: iadsim_track::config::ImmCtConfig {
                q: 5.0,
                turn_rate_noise: 1e-3,
            },
            transition_diagonal: [0.95, 0.95],
            initial_probabilities: [0.9, 0.1],
            init_turn_rate_sigma_radps: 0.1,
        },
        filter: iadsim_track::FilterKind::Ekf,
        ..TrackerFileConfig::default()
    };
    let mut tracker = build_tracker(&file).expect("tracker");
    let mut rng = ChaCha12Rng::seed_from_u64(9);
    let frame = SensorFrame::aligned(Vector3::zeros());
    let sigma = Vector3::new(30.0, 2e-3, 2e-3);
    let mut last_err = f64::INFINITY;
    for k in 0..60 {
        let t = f64::from(k);
        let truth = Vector3::new(80_000.0, 250.0 * t, 5_000.0);
        let (e, n, u) = (truth.x, truth.y, truth.z);
        let range = truth.norm();
        let mut g = || -> f64 { StandardNormal.sample(&mut rng) };
        let z: Vector3<f64> = Vector3::new(
            range + sigma.x * g(),
            e.atan2(n).rem_euclid(std::f64::consts::TAU) + sigma.y * g(),
            (u / range).asin() + sigma.z * g(),
        );
        // The converted position (for initiation) and the polar view (for the update).
        let (sa, ca) = z.y.sin_cos();
        let (se, ce) = z.z.sin_cos();
        let pos = Vector3::new(z.x * ce * sa, z.x * ce * ca, z.x * se);
        let cross = (z.x * sigma.y).powi(2);
        let m = Measurement {
            time: SimTime::from_secs_f64(t),
            sensor: SensorId(0),
            z_m: pos,
            r_m2: Matrix3::from_diagonal(&Vector3::new(cross, cross, cross)),
            polar: Some(PolarView {
                frame,
                z,
                r: Matrix3::from_diagonal(&sigma.component_mul(&sigma)),
            }),
        };
        tracker
            .process_scan(SimTime::from_secs_f64(t), SensorId(0), &[m])
            .expect("scan");
        if let Some(r) = tracker.reports().first() {
            last_err = (Vector3::from(r.position_ecef_m) - truth).norm();
        }
    }
    // Cross-range noise 160 m per plot; after 60 plots the filtered error is well below it.
    assert!(last_err < 120.0, "{last_err}");
    assert_eq!(tracker.reports().len(), 1);
}

/// `[initiation] velocity_start`: "two_point" differences the first two plots; "update" makes an
/// ordinary Kalman update of the one-plot track's prior (the reference below is the CV Kalman
/// filter run by hand). Either way the tracks then run the same filter.
#[test]
fn velocity_start_two_point_differences_and_update_is_the_kalman_update_of_the_prior() {
    use iadsim_track::{
        ConstantVelocity, Initiator, KalmanPredictor, KalmanUpdater, Predictor, TwoPointInitiator,
        Updater,
    };
    let plot = |t: f64, x: f64, y: f64| Measurement {
        time: SimTime::from_secs_f64(t),
        sensor: SensorId(0),
        z_m: Vector3::new(x, y, 1000.0),
        r_m2: Matrix3::identity() * 2500.0,
        polar: None,
    };
    let (p1, p2, p3) = (
        plot(0.0, 1e4, 2e4),
        plot(2.0, 1e4 + 500.0, 2e4 - 260.0),
        plot(4.0, 1e4 + 1010.0, 2e4 - 490.0),
    );
    let config = |start: &str| {
        format!(
            "[motion]\nmodel = \"cv\"\nq = 2.0\n[initiation]\nm = 2\nn = 3\n\
             init_velocity_sigma_mps = 300.0\nvelocity_start = \"{start}\"\n"
        )
    };
    let run = |start: &str, plots: &[&Measurement]| {
        let mut t = tracker(&config(start));
        for p in plots {
            t.process_scan(p.time, SensorId(0), &[**p]).unwrap();
        }
        t.reports()[0]
    };

    let two_point = run("two_point", &[&p1, &p2]);
    assert_eq!(two_point.velocity_ecef_mps, [250.0, -130.0, 0.0]);
    assert_eq!(
        two_point.position_ecef_m,
        [1e4 + 500.0, 2e4 - 260.0, 1000.0]
    );

    // By hand: one-plot prior, predicted 2 s, updated with the second plot, then the third.
    let initiator = TwoPointInitiator {
        init_velocity_sigma_mps: 300.0,
        q_m2ps3: 2.0,
    };
    let (predictor, updater) = (
        KalmanPredictor {
            model: ConstantVelocity { q_m2ps3: 2.0 },
        },
        KalmanUpdater,
    );
    let mut state = initiator.initiate(&p1);
    let mut by_hand = Vec::new();
    for p in [&p2, &p3] {
        state = updater
            .update(&predictor.predict(&state, p.time), p)
            .unwrap();
        by_hand.push(state);
    }
    for (k, plots) in [vec![&p1, &p2], vec![&p1, &p2, &p3]].iter().enumerate() {
        let report = run("update", plots);
        let want = &by_hand[k];
        for i in 0..3 {
            assert!(
                (report.position_ecef_m[i] - want.x[i]).abs() < 1e-9,
                "{report:?}"
            );
            assert!(
                (report.velocity_ecef_mps[i] - want.x[3 + i]).abs() < 1e-9,
                "{report:?}"
            );
        }
        assert_eq!(report.status, TrackStatus::Confirmed);
    }
    // The prior pulls the velocity towards 0: 250 m/s becomes 250·σ²/(σ² + R/Δt² + …).
    let update = run("update", &[&p1, &p2]);
    assert!(update.velocity_ecef_mps[0] > 240.0 && update.velocity_ecef_mps[0] < 250.0);

    // A misspelt value is an error naming the allowed ones.
    let err = toml::from_str::<TrackerFileConfig>(&config("kalman")).unwrap_err();
    assert!(
        err.to_string().contains("two_point") && err.to_string().contains("update"),
        "{err}"
    );
}

/// Roles swap: a tracker configured for GNN and then given JPDA with
/// [`iadsim_track::Tracker::with_associator`] runs exactly what a tracker configured for JPDA
/// runs (the configured associator is only the default choice), and an error of the
/// associator reaches the caller with its cause chained.
#[test]
fn a_plugged_in_associator_is_the_configured_one_and_its_errors_chain() {
    use iadsim_track::{
        AssociationError, AssociationMethod, Jpda, JpdaConfig, JpdaError, Tracker, TrackerConfig,
    };
    use std::error::Error;
    let jpda_config = TrackerConfig {
        association: AssociationMethod::Jpda,
        clutter_density: 1e-10,
        ..TrackerConfig::default()
    };
    let jpda = Jpda {
        config: JpdaConfig::new(0.9, jpda_config.gate_probability, 1e-10),
    };
    let mut configured = Tracker::new(jpda_config).unwrap();
    let mut plugged = Tracker::new(TrackerConfig {
        association: AssociationMethod::Gnn,
        ..jpda_config
    })
    .unwrap()
    .with_associator(jpda);
    let mut rng = ChaCha12Rng::seed_from_u64(17);
    let sensor = SensorId(2);
    let mut associations = 0;
    for k in 0..15 {
        let t = 2.0 * f64::from(k);
        let time = SimTime::from_secs_f64(t);
        // Three targets, two of them close enough to share plots, and clutter.
        let mut plots: Vec<Measurement> = [(0.0, 0.0), (0.0, 300.0), (20_000.0, 5_000.0)]
            .iter()
            .map(|&(x, y)| {
                let truth = Vector3::new(x + 200.0 * t, y, 4_000.0);
                measure(&mut rng, time, sensor, truth, 60.0)
            })
            .collect();
        for _ in 0..2 {
            let z = Vector3::new(
                rng.random_range(-1e4..3e4),
                rng.random_range(-1e4..1e4),
                4_000.0,
            );
            plots.push(measure(&mut rng, time, sensor, z, 60.0));
        }
        let a = configured.process_scan(time, sensor, &plots).unwrap();
        let b = plugged.process_scan(time, sensor, &plots).unwrap();
        assert_eq!(a, b, "scan {k}");
        associations += a.associations.len();
        assert_eq!(configured.reports(), plugged.reports(), "scan {k}");
    }
    assert!(associations > 30, "{associations}");

    // An associator that fails: JPDA with an invalid detection probability.
    let mut broken = plugged.with_associator(Jpda {
        config: JpdaConfig::new(1.5, 0.99, 1e-10),
    });
    let time = SimTime::from_secs_f64(40.0);
    let plot = measure(&mut rng, time, sensor, Vector3::new(8e3, 0.0, 4e3), 60.0);
    let err = broken.process_scan(time, sensor, &[plot]).unwrap_err();
    assert!(matches!(
        err,
        TrackError::Association {
            source: AssociationError::Jpda(JpdaError::InvalidParameter { .. }),
            ..
        }
    ));
    let cause = err.source().and_then(|e| e.source()).map(|e| e.to_string());
    assert_eq!(
        cause.as_deref(),
        Some("invalid JPDA parameter `detection_probability` = 1.5: (0, 1]")
    );
}
