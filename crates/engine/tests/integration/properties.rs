//! Invariants of a whole run of the built-in scenario.
use iadsim_engine::events::EventKind;
use iadsim_engine::scenario::{Scenario, TargetKind};
use iadsim_engine::{output, run, RunOutput};
use iadsim_geo::radar_horizon_m;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn default_run() -> &'static RunOutput {
    static OUT: OnceLock<RunOutput> = OnceLock::new();
    OUT.get_or_init(|| {
        let s = Scenario::builtin_default();
        run(&s, s.seed, 0).expect("the default scenario runs")
    })
}

#[test]
fn same_seed_gives_byte_identical_outputs() {
    let s = Scenario::builtin_default();
    let dir = std::env::temp_dir().join(format!("iadsim-det-{}", std::process::id()));
    let a = dir.join("a");
    let b = dir.join("b");
    output::write_run_dir(&a, default_run()).expect("write a");
    output::write_run_dir(&b, &run(&s, s.seed, 0).expect("runs")).expect("write b");
    for f in ["summary.json", "events.jsonl", "scenario.toml"] {
        let x = std::fs::read(a.join(f)).expect("read");
        let y = std::fs::read(b.join(f)).expect("read");
        assert!(x == y, "{f} differs between two runs with the same seed");
    }
    let other = run(&s, s.seed + 1, 0).expect("runs");
    assert_ne!(
        other.events,
        default_run().events,
        "another seed changes the run"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn no_radar_detects_beyond_its_horizon() {
    let s = Scenario::builtin_default();
    let site = &s.sites[0];
    let out = default_run();
    let mut checked = 0;
    for e in &out.events {
        if let EventKind::Detection {
            sensor,
            range_m,
            target_altitude_m,
            ..
        } = &e.kind
        {
            let radar = &site.radars[sensor.0 as usize].spec;
            let antenna_m = site.position.alt_m + radar.antenna_height_m;
            // The slant range can exceed the horizon ground distance only by the height
            // difference; 1 km covers that for every target below 90 km.
            let horizon = radar_horizon_m(antenna_m, *target_altitude_m);
            assert!(*range_m <= horizon + 1_000.0, "{e:?}: horizon {horizon} m");
            assert!(*range_m <= radar.instrumented_range_m, "{e:?}");
            checked += 1;
        }
    }
    assert!(checked > 10);
}

#[test]
fn low_cruise_missiles_are_first_seen_inside_the_mast_radar_horizon() {
    let s = Scenario::builtin_default();
    let site = &s.sites[0];
    let out = default_run();
    let mast = site
        .radars
        .iter()
        .find(|r| r.preset == "96L6E")
        .expect("96L6E");
    let antenna_m = site.position.alt_m + mast.spec.antenna_height_m;
    let mut cruise = BTreeSet::new();
    let mut seen = 0;
    for e in &out.events {
        match &e.kind {
            EventKind::TargetLaunched { target, class, .. } if class == "cruise_missile" => {
                cruise.insert(*target);
            }
            EventKind::Detection {
                radar,
                target,
                range_m,
                target_altitude_m,
                ..
            } if radar == "96L6E" && cruise.contains(target) => {
                // Terrain following: the height is above the ellipsoid, ground included. The
                // smooth 4/3-earth horizon for these heights bounds the first detection (terrain
                // can only shorten it).
                let horizon = radar_horizon_m(antenna_m, *target_altitude_m);
                assert!(
                    *range_m <= horizon + 1.0,
                    "first seen at {range_m} m, horizon {horizon} m"
                );
                seen += 1;
            }
            _ => {}
        }
    }
    assert_eq!(seen, 12, "the mast radar sees every cruise missile");
}

#[test]
fn every_launch_is_at_a_confirmed_track_and_inside_the_published_envelope() {
    let s = Scenario::builtin_default();
    let out = default_run();
    let mut confirmed = BTreeSet::new();
    let mut launches = 0;
    let mut missile_of = std::collections::BTreeMap::new();
    let mut class_of = std::collections::BTreeMap::new();
    for e in &out.events {
        match &e.kind {
            EventKind::TargetLaunched { target, class, .. } => {
                class_of.insert(*target, class.clone());
            }
            EventKind::TrackConfirmed { track, .. } => {
                confirmed.insert(*track);
            }
            EventKind::TrackDeleted { track, .. } => {
                confirmed.remove(track);
            }
            EventKind::Launch {
                interceptor,
                missile,
                track,
                target,
                predicted_ground_range_m,
                predicted_altitude_m,
                ..
            } => {
                assert!(
                    confirmed.contains(track),
                    "launch at unconfirmed track: {e:?}"
                );
                let m = &s.missiles[missile];
                let class = target
                    .and_then(|t| class_of.get(&t))
                    .expect("launch at a real target");
                if s.target_classes[class].kind == TargetKind::Ballistic {
                    assert!(
                        *predicted_ground_range_m <= m.max_range_ballistic_m,
                        "{e:?}"
                    );
                }
                assert!(*predicted_ground_range_m >= m.min_range_m, "{e:?}");
                assert!(*predicted_ground_range_m <= m.max_range_m, "{e:?}");
                assert!(*predicted_altitude_m >= m.min_altitude_m, "{e:?}");
                assert!(*predicted_altitude_m <= m.max_altitude_m, "{e:?}");
                missile_of.insert(*interceptor, missile.clone());
                launches += 1;
            }
            EventKind::Intercept {
                interceptor,
                ground_range_m,
                ..
            } => {
                let m = &s.missiles[&missile_of[interceptor]];
                // The flyout path is at least as long as the ground range; 0.5 % covers the
                // difference between the chord the missile flies and the arc on the ellipsoid.
                assert!(*ground_range_m <= m.max_range_m * 1.005, "{e:?}");
            }
            _ => {}
        }
    }
    assert!(launches > 0, "the default scenario engages");
}

#[test]
fn summary_counts_are_consistent() {
    let out = default_run();
    let t = &out.summary.total;
    assert_eq!(t.count, 19);
    assert!(t.killed + t.leaked + t.airborne_at_end == t.count);
    assert!(t.engaged <= t.tracked && t.tracked <= t.detected && t.detected <= t.count);
    let i = &out.summary.interceptors;
    assert_eq!(i.intercepts, i.kills + i.misses);
    assert!(i.intercepts + i.lost <= i.fired);
    assert_eq!(i.kills, t.killed);
}
