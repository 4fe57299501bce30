//! Integration tests of iadsim-c2: doctrine and channel limits of the greedy command post.
mod wta;
use iadsim_c2::{AssetInfo, C2Config, CommandPost, FireUnit, InterceptSolution, LaunchEnvelope};
use iadsim_core::{AssetId, LauncherId, SimTime, TrackId, TrackReport, TrackStatus};
use std::collections::BTreeMap;

/// Every shot is feasible, except missile "short" beyond 50 km from the origin.
struct Everywhere;
impl LaunchEnvelope for Everywhere {
    fn intercept(
        &self,
        _: LauncherId,
        missile: &str,
        t: &TrackReport,
    ) -> Option<InterceptSolution> {
        let r = t.position_ecef_m[0].abs();
        (missile != "short" || r <= 50_000.0).then_some(InterceptSolution {
            time_to_go_s: 10.0,
            ground_range_m: r,
            altitude_m: 100.0,
        })
    }
}

fn track(id: u32, x: f64, t: f64, status: TrackStatus) -> TrackReport {
    TrackReport {
        id: TrackId(id),
        time: SimTime::from_secs_f64(t),
        position_ecef_m: [x, 0.0, 0.0],
        velocity_ecef_mps: [-250.0, 0.0, 0.0],
        position_variance_m2: 100.0,
        status,
        hits: 5,
        last_update: SimTime::from_secs_f64(t),
    }
}

fn post(salvo: u32, max_targets: u32, max_missiles: u32, units: u32) -> CommandPost {
    let fire_units = (0..units)
        .map(|i| FireUnit {
            launcher: LauncherId(i),
            rounds: BTreeMap::from([("long".to_string(), 4), ("short".to_string(), 4)]),
            min_launch_interval_s: 3.0,
            last_launch: None,
        })
        .collect();
    CommandPost::new(
        C2Config {
            salvo,
            kill_assessment_s: 5.0,
            reaction_time_s: 2.0,
            max_engaged_targets: max_targets,
            max_guided_missiles: max_missiles,
        },
        fire_units,
        vec!["short".into(), "long".into()],
        vec![AssetInfo {
            id: AssetId(0),
            position_ecef_m: [0.0; 3],
            value: 1.0,
            radius_m: 1000.0,
        }],
    )
    .expect("valid")
}

fn at(s: f64) -> SimTime {
    SimTime::from_secs_f64(s)
}

#[test]
fn tentative_tracks_and_the_reaction_time_hold_fire() {
    let mut cp = post(2, 10, 20, 4);
    let tentative = [track(0, 30_000.0, 0.0, TrackStatus::Tentative)];
    assert!(cp.plan(at(0.0), &tentative, &Everywhere).is_empty());
    let confirmed = [track(0, 30_000.0, 1.0, TrackStatus::Confirmed)];
    assert!(
        cp.plan(at(1.0), &confirmed, &Everywhere).is_empty(),
        "reaction time not elapsed"
    );
    let confirmed = [track(0, 29_500.0, 3.0, TrackStatus::Confirmed)];
    let orders = cp.plan(at(3.0), &confirmed, &Everywhere);
    assert_eq!(orders.len(), 2, "a salvo of two");
    assert_ne!(orders[0].launcher, orders[1].launcher, "from two launchers");
    assert!(
        orders.iter().all(|o| o.missile == "short"),
        "the preferred type first"
    );
}

#[test]
fn the_preferred_missile_gives_way_when_out_of_its_envelope() {
    let mut cp = post(1, 10, 20, 1);
    let far = [track(0, 120_000.0, 0.0, TrackStatus::Confirmed)];
    cp.plan(at(0.0), &far, &Everywhere);
    let orders = cp.plan(at(2.0), &far, &Everywhere);
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].missile, "long");
}

#[test]
fn channel_limits_cap_targets_and_missiles() {
    let mut cp = post(2, 2, 3, 8);
    let tracks: Vec<TrackReport> = (0..5)
        .map(|i| {
            track(
                i,
                20_000.0 + 5_000.0 * f64::from(i),
                0.0,
                TrackStatus::Confirmed,
            )
        })
        .collect();
    cp.plan(at(0.0), &tracks, &Everywhere);
    let orders = cp.plan(at(2.0), &tracks, &Everywhere);
    let targets: std::collections::BTreeSet<TrackId> = orders.iter().map(|o| o.track).collect();
    assert!(targets.len() <= 2, "{orders:?}");
    assert!(orders.len() <= 3, "{orders:?}");
    assert_eq!(cp.missiles_in_flight(), orders.len() as u32);
    assert_eq!(
        targets.iter().next(),
        Some(&TrackId(0)),
        "the nearest threat first"
    );
}

#[test]
fn shoot_look_shoot_reengages_only_a_track_still_seen() {
    let mut cp = post(1, 10, 20, 2);
    let t0 = [track(0, 30_000.0, 0.0, TrackStatus::Confirmed)];
    cp.plan(at(0.0), &t0, &Everywhere);
    assert_eq!(cp.plan(at(2.0), &t0, &Everywhere).len(), 1);
    // While the interceptor flies, no second shot.
    assert!(cp.plan(at(6.0), &t0, &Everywhere).is_empty());
    cp.interceptor_finished(TrackId(0), at(12.0));
    // During the look, nothing.
    let seen = [track(0, 27_000.0, 14.0, TrackStatus::Confirmed)];
    assert!(cp.plan(at(14.0), &seen, &Everywhere).is_empty());
    // After the look: the track had a plot after the salvo, so it is engaged again.
    let seen = [track(0, 25_000.0, 17.0, TrackStatus::Confirmed)];
    assert_eq!(cp.plan(at(17.0), &seen, &Everywhere).len(), 1);
    cp.interceptor_finished(TrackId(0), at(25.0));
    // This time no plot after the salvo: assessed killed, never engaged again.
    let stale = [track(0, 25_000.0, 24.0, TrackStatus::Confirmed)];
    assert!(cp.plan(at(31.0), &stale, &Everywhere).is_empty());
    assert!(cp.plan(at(35.0), &stale, &Everywhere).is_empty());
}

#[test]
fn launchers_respect_their_minimum_interval_and_inventory() {
    let mut cp = post(1, 10, 20, 1);
    let tracks: Vec<TrackReport> = (0..3)
        .map(|i| {
            track(
                i,
                20_000.0 + 1_000.0 * f64::from(i),
                0.0,
                TrackStatus::Confirmed,
            )
        })
        .collect();
    cp.plan(at(0.0), &tracks, &Everywhere);
    assert_eq!(
        cp.plan(at(2.0), &tracks, &Everywhere).len(),
        1,
        "one launcher, one launch"
    );
    assert!(
        cp.plan(at(4.0), &tracks, &Everywhere).is_empty(),
        "interval of 3 s"
    );
    assert_eq!(cp.plan(at(5.0), &tracks, &Everywhere).len(), 1);
    let left: u32 = cp.fire_units()[0].rounds.values().sum();
    assert_eq!(left, 6);
}
