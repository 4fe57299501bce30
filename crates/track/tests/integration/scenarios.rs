//! Multi-target scenarios: two asynchronous sensors, well-separated constant-velocity targets.
use crate::common::measure;
use iadsim_core::{SensorId, SimTime, TrackId, TrackReport, TrackStatus};
use iadsim_track::{Measurement, TrackError, Tracker, TrackerConfig};
use nalgebra::Vector3;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha12Rng;
use std::collections::{BTreeMap, BTreeSet};

struct Target {
    p0: Vector3<f64>,
    v: Vector3<f64>,
    /// The target produces plots only before this time, s.
    until_s: f64,
}

impl Target {
    fn at(&self, t: f64) -> Vector3<f64> {
        self.p0 + self.v * t
    }
}

/// Ten targets on a 50 km grid near the Earth's surface in ECEF, 200–290 m/s on headings
/// 0–54°: the closest approach over two minutes stays above 25 km.
fn ten_targets() -> Vec<Target> {
    (0..10)
        .map(|i| {
            let (gx, gy) = ((i % 5) as f64, (i / 5) as f64);
            let heading = (6.0 * i as f64).to_radians();
            let speed = 200.0 + 10.0 * i as f64;
            Target {
                p0: Vector3::new(6.3e6 + 50e3 * gx, 100e3 + 50e3 * gy, 200e3 + 1e3 * i as f64),
                v: Vector3::new(0.0, speed * heading.cos(), speed * heading.sin()),
                until_s: f64::INFINITY,
            }
        })
        .collect()
}

/// What happened over a run, seen with the truth the tracker never had.
#[derive(Default)]
struct Log {
    /// Target of every track, from the plots it took.
    target_of: BTreeMap<TrackId, usize>,
    /// (track, target it had, target of the plot) for every association that changed target.
    swaps: Vec<(TrackId, usize, usize)>,
    /// Deleted tracks with the scan time of their deletion, s.
    deleted: Vec<(TrackId, f64)>,
    confirmed_ever: BTreeSet<TrackId>,
    final_reports: Vec<TrackReport>,
}

/// Sensor 1 scans at t = 0, 2, 4 … s and sensor 2 at t = 1, 3, 5 … s, until `duration_s`; each
/// live target is detected with probability `pd` with isotropic noise `sigma_m`. Plots come in
/// a random order within a scan.
fn run(
    targets: &[Target],
    pd: f64,
    sigma_m: f64,
    duration_s: f64,
    config: TrackerConfig,
    seed: u64,
) -> Log {
    let mut rng = ChaCha12Rng::seed_from_u64(seed);
    let mut tracker = Tracker::new(config).unwrap();
    let mut log = Log::default();
    let mut k = 0;
    while f64::from(k) <= duration_s {
        let t = f64::from(k);
        let time = SimTime::from_secs_f64(t);
        let sensor = SensorId(1 + k % 2);
        let mut plots = Vec::new();
        for (i, tg) in targets.iter().enumerate() {
            if t < tg.until_s && rng.random::<f64>() < pd {
                plots.push((i, measure(&mut rng, time, sensor, tg.at(t), sigma_m)));
            }
        }
        plots.shuffle(&mut rng);
        let scan: Vec<_> = plots.iter().map(|(_, m)| *m).collect();
        let out = tracker.process_scan(time, sensor, &scan).unwrap();

        for &(mi, id) in &out.associations {
            let target = plots[mi].0;
            let had = *log.target_of.entry(id).or_insert(target);
            if had != target {
                log.swaps.push((id, had, target));
            }
        }
        // A new track's target is the plot that started it (listed in measurement order).
        let unused: Vec<usize> = (0..scan.len())
            .filter(|mi| !out.associations.iter().any(|(a, _)| a == mi))
            .collect();
        assert_eq!(unused.len(), out.initiated.len());
        for (&mi, &id) in unused.iter().zip(&out.initiated) {
            log.target_of.insert(id, plots[mi].0);
        }
        log.confirmed_ever.extend(out.confirmed.iter().copied());
        log.deleted.extend(out.deleted.iter().map(|&id| (id, t)));
        k += 1;
    }
    log.final_reports = tracker.reports();
    log
}

/// Every target has exactly one confirmed track, no track was ever confirmed on anything else
/// or lost, and no track changed target.
fn assert_one_confirmed_track_per_target(log: &Log, n_targets: usize) {
    assert!(log.swaps.is_empty(), "swaps: {:?}", log.swaps);
    let lost: Vec<_> = log
        .deleted
        .iter()
        .filter(|(id, _)| log.confirmed_ever.contains(id))
        .collect();
    assert!(lost.is_empty(), "confirmed tracks lost: {lost:?}");
    let confirmed: Vec<&TrackReport> = log
        .final_reports
        .iter()
        .filter(|r| r.status == TrackStatus::Confirmed)
        .collect();
    assert_eq!(
        log.confirmed_ever.len(),
        n_targets,
        "{:?}",
        log.confirmed_ever
    );
    assert_eq!(confirmed.len(), n_targets);
    let targets: BTreeSet<usize> = confirmed.iter().map(|r| log.target_of[&r.id]).collect();
    assert_eq!(targets.len(), n_targets, "two tracks on one target");
}

#[test]
fn ten_targets_two_async_sensors_pd_1_give_one_confirmed_track_each() {
    let targets = ten_targets();
    let log = run(&targets, 1.0, 50.0, 120.0, TrackerConfig::default(), 1);
    assert_one_confirmed_track_per_target(&log, 10);
    // A plot outside its target's 0.9999 gate (about one run in ten has one among its 1210
    // plots) starts a tentative track that loses every later plot to the confirmed track and is
    // deleted after `max_misses_tentative` misses; it is never confirmed. So only tentative
    // tracks may be extra, and they must have been deleted or still be tentative.
    let tentative_only = log.target_of.len() - 10;
    assert!(
        tentative_only <= 2,
        "{} extra tentative tracks",
        tentative_only
    );
    for r in &log.final_reports {
        if r.status != TrackStatus::Confirmed {
            continue;
        }
        let tg = &targets[log.target_of[&r.id]];
        let err = (Vector3::from(r.position_ecef_m) - tg.at(120.0)).norm();
        let verr = (Vector3::from(r.velocity_ecef_mps) - tg.v).norm();
        // 50 m noise per axis, two sensors, steady state: errors of a few tens of m and m/s.
        assert!(err < 150.0 && verr < 30.0, "{}: {err} m, {verr} m/s", r.id);
    }
}

#[test]
fn tracks_survive_pd_0_8() {
    // With Pd = 0.8 a run of k misses has probability 0.2^k per opportunity. Over 121 scans ×
    // 10 targets the default k = 4 (1.6e-3) loses about 1.5 confirmed tracks per run (measured:
    // 1.5 over 40 seeds) — expected behaviour, not a bug — so this test uses k = 7 (1.3e-5,
    // about 0.01 expected losses per run).
    let config = TrackerConfig {
        max_misses_confirmed: 7,
        ..TrackerConfig::default()
    };
    let targets = ten_targets();
    let log = run(&targets, 0.8, 50.0, 120.0, config, 2);
    assert_one_confirmed_track_per_target(&log, 10);
}

#[test]
fn track_of_a_vanished_target_is_deleted_after_the_configured_misses() {
    let mut targets = ten_targets();
    targets[3].until_s = 60.0; // last plot at t = 59 s
    let config = TrackerConfig::default();
    let log = run(&targets, 1.0, 50.0, 90.0, config, 3);
    assert!(log.swaps.is_empty(), "swaps: {:?}", log.swaps);
    assert_eq!(log.deleted.len(), 1, "{:?}", log.deleted);
    assert_eq!(log.target_of.len(), 10);
    let (id, t) = log.deleted[0];
    assert_eq!(log.target_of[&id], 3);
    // Both sensors contributed, so the scans at 60, 61, 62, 63 s are the four misses.
    assert_eq!(t, 59.0 + f64::from(config.max_misses_confirmed));
    assert_eq!(log.final_reports.len(), 9);
    assert!(log.final_reports.iter().all(|r| r.id != id));
}

#[test]
fn a_sensor_that_never_saw_a_track_does_not_count_misses_against_it() {
    let targets = ten_targets();
    let mut rng = ChaCha12Rng::seed_from_u64(4);
    let mut tracker = Tracker::new(TrackerConfig::default()).unwrap();
    for k in 0..40 {
        let t = f64::from(k);
        let time = SimTime::from_secs_f64(t);
        if k % 2 == 0 {
            let m = measure(&mut rng, time, SensorId(1), targets[0].at(t), 50.0);
            tracker.process_scan(time, SensorId(1), &[m]).unwrap();
        } else {
            // Sensor 2 scans but cannot see the target: not an opportunity.
            let out = tracker.process_scan(time, SensorId(2), &[]).unwrap();
            assert!(out.deleted.is_empty());
        }
    }
    let track = &tracker.tracks()[0];
    assert_eq!(track.sensors(), &[SensorId(1)]);
    assert_eq!((track.hits(), track.history().len()), (20, 20));
}

#[test]
fn same_inputs_give_bit_identical_reports() {
    let targets = ten_targets();
    let a = run(&targets, 0.8, 50.0, 60.0, TrackerConfig::default(), 5);
    let b = run(&targets, 0.8, 50.0, 60.0, TrackerConfig::default(), 5);
    let bits = |rs: &[TrackReport]| -> Vec<u64> {
        rs.iter()
            .flat_map(|r| r.position_ecef_m.into_iter().chain(r.velocity_ecef_mps))
            .map(f64::to_bits)
            .collect()
    };
    assert_eq!(bits(&a.final_reports), bits(&b.final_reports));
    assert_eq!(a.final_reports, b.final_reports);
}

#[test]
fn many_targets_are_gated_in_clusters() {
    // 400 targets on a 20 km grid: the coarse gate and clustering keep this fast (a dense
    // 400 × 400 assignment per scan would not be). Over 4400 plots a rare outlier can throw a
    // young track off (this seed has a 4.8σ plot at t = 2 s, right after a two-point start, and
    // the target is re-initiated two scans later), so the checks are: no swaps, at the end
    // exactly one confirmed track per target among those still being updated, and at most 1 %
    // of the tracks lost on the way (0.1 per run on average over 40 seeds).
    let targets: Vec<Target> = (0..400)
        .map(|i| Target {
            p0: Vector3::new(6.3e6 + 20e3 * (i % 20) as f64, 20e3 * (i / 20) as f64, 1e5),
            v: Vector3::new(150.0, 100.0, 0.0),
            until_s: f64::INFINITY,
        })
        .collect();
    let log = run(&targets, 1.0, 50.0, 10.0, TrackerConfig::default(), 6);
    assert!(log.swaps.is_empty(), "swaps: {:?}", log.swaps);
    let lost = log
        .deleted
        .iter()
        .filter(|(id, _)| log.confirmed_ever.contains(id))
        .count();
    assert!(lost <= 4, "{lost} confirmed tracks lost");
    // Tracks that took a plot in the last two scans (a thrown-off track may still be coasting
    // towards deletion).
    let recent = SimTime::from_secs_f64(9.0);
    let confirmed: Vec<usize> = log
        .final_reports
        .iter()
        .filter(|r| r.status == TrackStatus::Confirmed && r.last_update >= recent)
        .map(|r| log.target_of[&r.id])
        .collect();
    let distinct: BTreeSet<usize> = confirmed.iter().copied().collect();
    assert_eq!((confirmed.len(), distinct.len()), (400, 400));
}

#[test]
fn predict_report_extrapolates_without_changing_the_track() {
    let targets = ten_targets();
    let mut rng = ChaCha12Rng::seed_from_u64(8);
    let mut tracker = Tracker::new(TrackerConfig::default()).unwrap();
    for k in 0..10 {
        let time = SimTime::from_secs_f64(f64::from(k));
        let m = measure(
            &mut rng,
            time,
            SensorId(1),
            targets[2].at(f64::from(k)),
            50.0,
        );
        tracker.process_scan(time, SensorId(1), &[m]).unwrap();
    }
    let before = tracker.reports();
    let id = before[0].id;
    let later = tracker
        .predict_report(id, SimTime::from_secs_f64(39.0))
        .unwrap();
    assert_eq!(tracker.reports(), before);
    assert_eq!(later.time, SimTime::from_secs_f64(39.0));
    let moved = Vector3::from(later.position_ecef_m) - Vector3::from(before[0].position_ecef_m);
    let expected = Vector3::from(before[0].velocity_ecef_mps) * 30.0;
    assert!((moved - expected).norm() < 1e-6);
    assert!(later.position_variance_m2 > before[0].position_variance_m2);
    assert!(tracker.predict_report(TrackId(99), SimTime::ZERO).is_none());
}

#[test]
fn bad_scans_are_errors_and_leave_the_tracker_unchanged() {
    let mut rng = ChaCha12Rng::seed_from_u64(9);
    let mut tracker = Tracker::new(TrackerConfig::default()).unwrap();
    let t5 = SimTime::from_secs_f64(5.0);
    let m = measure(&mut rng, t5, SensorId(1), Vector3::new(1e6, 0.0, 0.0), 50.0);
    tracker.process_scan(t5, SensorId(1), &[m]).unwrap();
    let before = tracker.reports();

    let t4 = SimTime::from_secs_f64(4.0);
    let early = Measurement { time: t4, ..m };
    assert!(matches!(
        tracker.process_scan(t4, SensorId(1), &[early]),
        Err(TrackError::ScanOutOfSequence { .. })
    ));
    let t6 = SimTime::from_secs_f64(6.0);
    assert!(matches!(
        tracker.process_scan(t6, SensorId(1), &[m]),
        Err(TrackError::MeasurementNotInScan { index: 0, .. })
    ));
    let nan = Measurement {
        time: t6,
        z_m: Vector3::new(f64::NAN, 0.0, 0.0),
        ..m
    };
    let not_pd = Measurement {
        time: t6,
        r_m2: -m.r_m2,
        ..m
    };
    for bad in [nan, not_pd] {
        assert!(matches!(
            tracker.process_scan(t6, SensorId(1), &[Measurement { time: t6, ..m }, bad]),
            Err(TrackError::InvalidMeasurement { index: 1, .. })
        ));
    }
    assert_eq!(tracker.reports(), before);
}

#[test]
fn a_dwell_charges_misses_only_inside_its_footprint() {
    // One sensor looks at half of space per dwell (x < 0, then x ≥ 0), like a rotating radar's
    // beam positions. A target at x > 0 is detected by every other dwell and is never charged
    // for the dwells that looked the other way.
    let targets = ten_targets();
    let target = &targets[0];
    let mut rng = ChaCha12Rng::seed_from_u64(5);
    let mut tracker = Tracker::new(TrackerConfig::default()).unwrap();
    let east = target.at(0.0).x;
    for k in 0..60u32 {
        let t = f64::from(k) * 0.5;
        let time = SimTime::from_secs_f64(t);
        let looks_east = k % 2 == 0;
        let footprint = |p: &Vector3<f64>| (p.x >= east - 1e5) == looks_east;
        let plots = if looks_east {
            vec![measure(&mut rng, time, SensorId(1), target.at(t), 50.0)]
        } else {
            Vec::new()
        };
        let out = tracker
            .process_dwell(time, SensorId(1), &plots, footprint)
            .unwrap();
        assert!(out.deleted.is_empty(), "dwell {k}: {out:?}");
    }
    let track = &tracker.tracks()[0];
    assert_eq!(track.status(), TrackStatus::Confirmed);
    assert_eq!((track.hits(), track.history().len()), (30, 30));
    // The same sweep as whole-coverage scans deletes the track after the configured misses.
    let mut tracker = Tracker::new(TrackerConfig::default()).unwrap();
    let mut deleted = false;
    for k in 0..60u32 {
        let t = f64::from(k) * 0.5;
        let time = SimTime::from_secs_f64(t);
        let plots = if k < 10 {
            vec![measure(&mut rng, time, SensorId(1), target.at(t), 50.0)]
        } else {
            Vec::new()
        };
        deleted |= !tracker
            .process_scan(time, SensorId(1), &plots)
            .unwrap()
            .deleted
            .is_empty();
    }
    assert!(deleted);
}

#[test]
fn jpda_keeps_every_well_separated_target_without_swaps() {
    let targets = ten_targets();
    // Either start from the first two plots (two-point differencing or a Kalman update).
    for (seed, pd, velocity_start) in [
        (1, 1.0, iadsim_track::VelocityStart::TwoPoint),
        (2, 0.8, iadsim_track::VelocityStart::TwoPoint),
        (3, 0.8, iadsim_track::VelocityStart::Update),
    ] {
        let config = TrackerConfig {
            association: iadsim_track::AssociationMethod::Jpda,
            detection_probability: 0.9,
            clutter_density: 1e-15,
            max_misses_confirmed: 7,
            velocity_start,
            ..TrackerConfig::default()
        };
        let log = run(&targets, pd, 50.0, 120.0, config, seed);
        assert_one_confirmed_track_per_target(&log, 10);
        for r in log
            .final_reports
            .iter()
            .filter(|r| r.status == TrackStatus::Confirmed)
        {
            let tg = &targets[log.target_of[&r.id]];
            let err = (Vector3::from(r.position_ecef_m) - tg.at(120.0)).norm();
            // As for GNN: a few tens of metres with 50 m noise and two sensors.
            assert!(err < 150.0, "{}: {err} m", r.id);
        }
    }
}
