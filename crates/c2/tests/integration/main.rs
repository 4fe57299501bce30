//! Integration tests of iadsim-c2: doctrine, channel limits, rules of engagement and the
//! decision record of the command post.
mod firewall;
mod wta;
use iadsim_c2::{
    AssetInfo, C2Config, CommandPost, CycleOutcome, CycleSolver, Decision, FireOrder, FireUnit,
    HoldReason, Identity, InterceptSolution, LaunchEnvelope, NoShot, Roe, ThreatClass, Zone,
    ZoneKind, ZoneShape,
};
use iadsim_core::{AssetId, LauncherId, SimTime, TrackId, TrackReport, TrackStatus};
use iadsim_geo::{Ecef, Enu, EnuFrame, Geodetic};
use nalgebra::Vector3;
use std::collections::BTreeMap;

/// The defended asset, at the origin of the local frame.
fn frame() -> EnuFrame {
    EnuFrame::new(Geodetic::from_degrees(33.3, 44.4, 0.0))
}

/// Every shot is feasible, except missile "short" beyond 50 km from the origin.
struct Everywhere;
impl LaunchEnvelope for Everywhere {
    fn intercept(
        &self,
        _: LauncherId,
        missile: &str,
        t: &TrackReport,
        _: ThreatClass,
    ) -> Result<InterceptSolution, NoShot> {
        let enu = frame().to_enu(&Ecef(Vector3::from(t.position_ecef_m))).0;
        let r = enu.xy().norm();
        if missile == "short" && r > 50_000.0 {
            return Err(NoShot::BeyondMaxRange);
        }
        Ok(InterceptSolution {
            time_to_go_s: 10.0,
            ground_range_m: r,
            altitude_m: enu.z,
            point_ecef_m: t.position_ecef_m,
            pk: 0.7,
        })
    }
}

/// A track `x` m east of the asset at 5 km height, flying west at 250 m/s.
fn track(id: u32, x: f64, t: f64, status: TrackStatus) -> TrackReport {
    let f = frame();
    TrackReport {
        id: TrackId(id),
        time: SimTime::from_secs_f64(t),
        position_ecef_m: f.to_ecef(&Enu(Vector3::new(x, 0.0, 5_000.0))).0.into(),
        velocity_ecef_mps: f.vector_to_ecef(&Vector3::new(-250.0, 0.0, 0.0)).into(),
        position_variance_m2: 100.0,
        status,
        hits: 5,
        last_update: SimTime::from_secs_f64(t),
    }
}

fn config(salvo: u32, max_targets: u32, max_missiles: u32) -> C2Config {
    C2Config {
        salvo,
        kill_assessment_s: 5.0,
        reaction_time_s: 2.0,
        max_engaged_targets: max_targets,
        max_guided_missiles: max_missiles,
        reserve: BTreeMap::new(),
    }
}

fn units(n: u32) -> Vec<FireUnit> {
    (0..n)
        .map(|i| {
            FireUnit::new(
                LauncherId(i),
                BTreeMap::from([("long".to_string(), 4), ("short".to_string(), 4)]),
                3.0,
                600.0,
            )
        })
        .collect()
}

fn assets() -> Vec<AssetInfo> {
    vec![AssetInfo {
        id: AssetId(0),
        position_ecef_m: Geodetic::from_degrees(33.3, 44.4, 0.0).to_ecef().0.into(),
        value: 1.0,
        // Above the 5 km track height, so that inbound tracks are direct threats.
        radius_m: 6000.0,
    }]
}

fn post(salvo: u32, max_targets: u32, max_missiles: u32, n: u32) -> CommandPost {
    CommandPost::new(
        config(salvo, max_targets, max_missiles),
        units(n),
        vec!["short".into(), "long".into()],
        assets(),
    )
    .expect("valid")
}

fn at(s: f64) -> SimTime {
    SimTime::from_secs_f64(s)
}

/// Plans with no IFF identities and returns the orders.
trait Plan {
    fn go(&mut self, now: SimTime, tracks: &[TrackReport]) -> Vec<FireOrder>;
}
impl Plan for CommandPost {
    fn go(&mut self, now: SimTime, tracks: &[TrackReport]) -> Vec<FireOrder> {
        self.plan(now, tracks, &BTreeMap::new(), &Everywhere).orders
    }
}

#[test]
fn tentative_tracks_and_the_reaction_time_hold_fire() {
    let mut cp = post(2, 10, 20, 4);
    let tentative = [track(0, 30_000.0, 0.0, TrackStatus::Tentative)];
    assert!(cp.go(at(0.0), &tentative).is_empty());
    let confirmed = [track(0, 30_000.0, 1.0, TrackStatus::Confirmed)];
    assert!(
        cp.go(at(1.0), &confirmed).is_empty(),
        "reaction time not elapsed"
    );
    let confirmed = [track(0, 29_500.0, 3.0, TrackStatus::Confirmed)];
    let orders = cp.go(at(3.0), &confirmed);
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
    cp.go(at(0.0), &far);
    let orders = cp.go(at(2.0), &far);
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
    cp.go(at(0.0), &tracks);
    let orders = cp.go(at(2.0), &tracks);
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
    cp.go(at(0.0), &t0);
    assert_eq!(cp.go(at(2.0), &t0).len(), 1);
    // While the interceptor flies, no second shot.
    assert!(cp.go(at(6.0), &t0).is_empty());
    cp.interceptor_finished(TrackId(0), at(12.0));
    // During the look, nothing.
    let seen = [track(0, 27_000.0, 14.0, TrackStatus::Confirmed)];
    assert!(cp.go(at(14.0), &seen).is_empty());
    // After the look: the track had a plot after the salvo, so it is engaged again.
    let seen = [track(0, 25_000.0, 17.0, TrackStatus::Confirmed)];
    assert_eq!(cp.go(at(17.0), &seen).len(), 1);
    cp.interceptor_finished(TrackId(0), at(25.0));
    // This time no plot after the salvo: assessed killed, never engaged again.
    let stale = [track(0, 25_000.0, 24.0, TrackStatus::Confirmed)];
    assert!(cp.go(at(31.0), &stale).is_empty());
    assert!(cp.go(at(35.0), &stale).is_empty());
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
    cp.go(at(0.0), &tracks);
    assert_eq!(cp.go(at(2.0), &tracks).len(), 1, "one launcher, one launch");
    assert!(cp.go(at(4.0), &tracks).is_empty(), "interval of 3 s");
    assert_eq!(cp.go(at(5.0), &tracks).len(), 1);
    let left: u32 = cp.fire_units()[0].rounds.values().sum();
    assert_eq!(left, 6);
}

#[test]
fn friends_are_never_engaged_and_the_hold_is_explained() {
    let mut cp = post(2, 10, 20, 4);
    let tracks = [
        track(0, 30_000.0, 0.0, TrackStatus::Confirmed),
        track(1, 40_000.0, 0.0, TrackStatus::Confirmed),
    ];
    let ids = BTreeMap::from([(TrackId(0), Identity::Friend)]);
    cp.plan(at(0.0), &tracks, &ids, &Everywhere);
    let out = cp.plan(at(2.0), &tracks, &ids, &Everywhere);
    assert!(out.orders.iter().all(|o| o.track == TrackId(1)), "{out:?}");
    assert!(!out.orders.is_empty());
    let held: Vec<_> = out
        .decisions
        .iter()
        .filter_map(|d| match d {
            Decision::Hold { track, reason } => Some((*track, reason.clone())),
            _ => None,
        })
        .collect();
    // The friend's hold was logged at t = 0 already, and is not repeated.
    assert!(held.is_empty(), "{held:?}");
    let mut cp = post(2, 10, 20, 4);
    let first = cp.plan(at(0.0), &tracks, &ids, &Everywhere);
    assert!(first.decisions.iter().any(|d| matches!(
        d,
        Decision::Hold {
            track: TrackId(0),
            reason: HoldReason::IdentifiedFriend
        }
    )));
    assert!(first
        .decisions
        .iter()
        .any(|d| matches!(d, Decision::ThreatList { threats } if threats.len() == 2)));
}

#[test]
fn a_no_fire_zone_over_the_asset_holds_fire_there() {
    let roe = Roe {
        zones: vec![Zone {
            name: "city".into(),
            kind: ZoneKind::NoFire,
            shape: ZoneShape::Circle {
                lat_deg: 33.3,
                lon_deg: 44.4,
                radius_m: 20_000.0,
            },
            min_altitude_m: 0.0,
            max_altitude_m: 50_000.0,
        }],
    };
    let mut cp = post(1, 10, 20, 2).with_roe(roe);
    let near = [track(0, 10_000.0, 0.0, TrackStatus::Confirmed)];
    cp.go(at(0.0), &near);
    let out = cp.plan(at(2.0), &near, &BTreeMap::new(), &Everywhere);
    assert!(out.orders.is_empty());
    assert!(out.decisions.iter().any(|d| matches!(
        d,
        Decision::Hold {
            reason: HoldReason::Roe { .. },
            ..
        }
    )));
    let far = [track(1, 30_000.0, 2.0, TrackStatus::Confirmed)];
    cp.go(at(2.0), &far);
    assert_eq!(cp.go(at(4.0), &far).len(), 1, "outside the zone it fires");
}

#[test]
fn the_reserve_is_kept_for_direct_threats() {
    let mut cfg = config(1, 10, 20);
    cfg.reserve = BTreeMap::from([("short".to_string(), 4), ("long".to_string(), 4)]);
    let mut cp = CommandPost::new(cfg, units(1), vec!["short".into(), "long".into()], assets())
        .expect("valid");
    // Passing 30 km north of the asset: not a direct threat, only reserve rounds left.
    let f = frame();
    let mut passing = track(0, 30_000.0, 0.0, TrackStatus::Confirmed);
    passing.position_ecef_m = f
        .to_ecef(&Enu(Vector3::new(30_000.0, 30_000.0, 5_000.0)))
        .0
        .into();
    cp.go(at(0.0), &[passing]);
    let out = cp.plan(at(2.0), &[passing], &BTreeMap::new(), &Everywhere);
    assert!(out.orders.is_empty());
    assert!(out.decisions.iter().any(|d| matches!(
        d,
        Decision::Hold {
            reason: HoldReason::ReserveOnly,
            ..
        }
    )));
    // Heading straight for the asset: the reserve fires.
    let direct = track(1, 30_000.0, 2.0, TrackStatus::Confirmed);
    cp.go(at(2.0), &[direct]);
    assert_eq!(cp.go(at(4.0), &[direct]).len(), 1);
}

#[test]
fn an_empty_launcher_reloads_from_the_stock() {
    let unit = FireUnit::new(
        LauncherId(0),
        BTreeMap::from([("short".to_string(), 1)]),
        1.0,
        30.0,
    );
    let mut cp = CommandPost::new(
        config(1, 10, 20),
        vec![unit],
        vec!["short".into()],
        assets(),
    )
    .expect("valid")
    .with_reload_stock(BTreeMap::from([("short".to_string(), 1)]));
    let t = |id, s| track(id, 30_000.0, s, TrackStatus::Confirmed);
    cp.go(at(0.0), &[t(0, 0.0)]);
    assert_eq!(cp.go(at(2.0), &[t(0, 2.0)]).len(), 1);
    // Empty: the reload starts at the next cycle and takes 30 s.
    let out = cp.plan(
        at(3.0),
        &[t(0, 3.0), t(1, 3.0)],
        &BTreeMap::new(),
        &Everywhere,
    );
    assert!(out.orders.is_empty());
    assert!(out
        .decisions
        .iter()
        .any(|d| matches!(d, Decision::ReloadStarted { complete_at_s, .. } if (*complete_at_s - 33.0).abs() < 1e-9)));
    assert!(cp.go(at(20.0), &[t(1, 20.0)]).is_empty());
    let out = cp.plan(at(33.0), &[t(1, 33.0)], &BTreeMap::new(), &Everywhere);
    assert!(out
        .decisions
        .iter()
        .any(|d| matches!(d, Decision::ReloadComplete { .. })));
    assert_eq!(out.orders.len(), 1, "reloaded and firing again");
    assert_eq!(cp.reload_stock()["short"], 0);
}

/// Pk depends on the launcher: launcher 0 is good against both tracks, launcher 1 only
/// reaches track 0.
struct Uneven;
impl LaunchEnvelope for Uneven {
    fn intercept(
        &self,
        l: LauncherId,
        _: &str,
        t: &TrackReport,
        _: ThreatClass,
    ) -> Result<InterceptSolution, NoShot> {
        let pk = match (l.0, t.id.0) {
            (0, 0) => 0.9,
            (0, 1) => 0.85,
            (1, 0) => 0.5,
            _ => return Err(NoShot::Unreachable),
        };
        Ok(InterceptSolution {
            time_to_go_s: 10.0,
            ground_range_m: 1.0,
            altitude_m: 1.0,
            point_ecef_m: t.position_ecef_m,
            pk,
        })
    }
}

/// The cycle after the reaction time against two equal threats (same range, mirrored, so the
/// values tie) under [`Uneven`], with a salvo of one and two launchers; the launcher → track
/// pairs fired and the outcome.
fn greedy_trap(solver: CycleSolver) -> (BTreeMap<u32, u32>, CycleOutcome) {
    let mut cp = post(1, 10, 20, 2).with_solver(solver);
    let f = frame();
    let mut b = track(1, 30_000.0, 0.0, TrackStatus::Confirmed);
    b.position_ecef_m = f
        .to_ecef(&Enu(Vector3::new(0.0, 30_000.0, 5_000.0)))
        .0
        .into();
    b.velocity_ecef_mps = f.vector_to_ecef(&Vector3::new(0.0, -250.0, 0.0)).into();
    let tracks = [track(0, 30_000.0, 0.0, TrackStatus::Confirmed), b];
    cp.plan(at(0.0), &tracks, &BTreeMap::new(), &Uneven);
    let out = cp.plan(at(2.0), &tracks, &BTreeMap::new(), &Uneven);
    let pairs = out
        .orders
        .iter()
        .map(|o| (o.launcher.0, o.track.0))
        .collect();
    (pairs, out)
}

#[test]
fn the_cycle_assignment_is_optimal_where_greedy_is_not() {
    assert_eq!(post(1, 10, 20, 2).solver(), CycleSolver::Exact);
    let (pairs, out) = greedy_trap(CycleSolver::default());
    assert_eq!(pairs, BTreeMap::from([(0, 1), (1, 0)]), "{out:?}");
    assert!(out
        .decisions
        .iter()
        .any(|d| matches!(d, Decision::Assignment { optimal: true, .. })));
}

#[test]
fn doctrine_picks_the_cycle_solver() {
    // Greedy gives launcher 0 (best everywhere) to track 0; launcher 1 reaches only track 0,
    // which already has its salvo: it holds. No single move or swap improves on that.
    for solver in [CycleSolver::Greedy, CycleSolver::Local] {
        let (pairs, out) = greedy_trap(solver);
        assert_eq!(pairs, BTreeMap::from([(0, 0)]), "{solver:?}: {out:?}");
        assert!(
            out.decisions.iter().any(|d| matches!(
                d,
                Decision::Assignment {
                    optimal: false,
                    nodes: 0,
                    ..
                }
            )),
            "{solver:?}: {out:?}"
        );
    }
}
