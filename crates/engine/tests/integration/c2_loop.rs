//! The command post in the loop: channels, inventories, identification, rules of engagement,
//! reserve and reload, and the decision record behind every launch.
use iadsim_c2::{Decision, HoldReason};
use iadsim_engine::events::{EventKind, LossReason};
use iadsim_engine::scenario::{Scenario, DEFAULT_SCENARIO};
use iadsim_engine::{run, RunOutput};
use std::collections::BTreeMap;

fn run_text(text: &str) -> (Scenario, RunOutput) {
    let s = Scenario::from_toml("test.toml", text).unwrap_or_else(|e| panic!("{e:?}"));
    let out = run(&s, s.seed, 0).expect("runs");
    (s, out)
}

/// The default scenario with `extra` appended and the doctrine line replaced by `doctrine`.
fn variant(doctrine: &str, extra: &str) -> String {
    let line = "doctrine = { salvo = 2, kill_assessment_s = 12.0 }";
    assert!(
        DEFAULT_SCENARIO.contains(line),
        "the doctrine line is in the default scenario"
    );
    let base = DEFAULT_SCENARIO.replace(line, doctrine);
    format!("{base}\n{extra}")
}

const FRIENDLY: &str = r#"
[[raid]]
name = "friendly patrol"
class = "fighter"
side = "friendly"
count = 2
start_s = 100.0
spacing_s = 60.0
route = [
  { lat_deg = 33.30, lon_deg = 42.60, alt_m = 8000.0 },
  { lat_deg = 33.30, lon_deg = 44.00, alt_m = 8000.0 },
  { lat_deg = 33.60, lon_deg = 44.40, alt_m = 8000.0 },
]
"#;

#[test]
fn channels_and_inventories_hold_and_every_launch_follows_an_assignment() {
    let s = Scenario::builtin_default();
    let out = run(&s, s.seed, 0).expect("runs");
    let site = &s.sites[0];
    let max_guided: u32 = site.radars.iter().map(|r| r.spec.max_guided_missiles).sum();
    let mut loaded: BTreeMap<String, u32> = BTreeMap::new();
    for l in &site.launchers {
        for m in &l.load {
            *loaded.entry(m.clone()).or_default() += 1;
        }
    }
    let mut fired: BTreeMap<String, u32> = BTreeMap::new();
    let mut in_flight = 0u32;
    let mut planned: Vec<(f64, u32, u32)> = Vec::new();
    let mut launches = 0;
    for e in &out.events {
        match &e.kind {
            EventKind::Decision {
                decision: Decision::Assignment { shots, optimal, .. },
                ..
            } => {
                assert!(*optimal, "the cycle assignments are proven optimal: {e:?}");
                for sh in shots {
                    planned.push((e.time_s, sh.launcher.0, sh.track.0));
                }
            }
            EventKind::Launch {
                launcher,
                track,
                missile,
                ..
            } => {
                assert!(
                    planned.contains(&(e.time_s, launcher.0, track.0)),
                    "launch without an assignment decision: {e:?}"
                );
                *fired.entry(missile.clone()).or_default() += 1;
                in_flight += 1;
                launches += 1;
                assert!(in_flight <= max_guided, "guidance channels exceeded");
            }
            EventKind::Intercept { .. } => in_flight -= 1,
            EventKind::InterceptorLost { reason, .. } => {
                // No missile is launched at a target it cannot reach: none runs out of time or
                // energy, or hits the ground; the only losses are targets already gone.
                assert!(
                    matches!(
                        reason,
                        LossReason::TargetDestroyed | LossReason::TargetLeaked
                    ),
                    "lost for a kinematic reason: {e:?}"
                );
                in_flight -= 1;
            }
            _ => {}
        }
    }
    assert!(launches > 0);
    for (m, n) in &fired {
        assert!(*n <= loaded[m], "{m}: fired {n} of {}", loaded[m]);
    }
}

#[test]
fn identified_friends_are_never_engaged_and_failed_iff_shows_as_fratricide() {
    let (_, out) = run_text(&variant(
        "doctrine = { salvo = 2, kill_assessment_s = 12.0, iff_p_correct = 1.0 }",
        FRIENDLY,
    ));
    assert_eq!(out.summary.friendly.count, 2);
    assert_eq!(out.summary.friendly.engaged, 0);
    assert_eq!(
        out.summary.total.count, 19,
        "friendlies are not counted as targets"
    );
    assert!(out.events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Decision {
            decision: Decision::Hold {
                reason: HoldReason::IdentifiedFriend,
                ..
            },
            ..
        }
    )));
    let (_, out) = run_text(&variant(
        "doctrine = { salvo = 2, kill_assessment_s = 12.0, iff_p_correct = 0.0 }",
        FRIENDLY,
    ));
    assert_eq!(
        out.summary.friendly.engaged, 2,
        "without IFF both are fired at"
    );
    assert!(
        out.summary.friendly.shot_down >= 1,
        "{:?}",
        out.summary.friendly
    );
}

#[test]
fn a_no_fire_zone_over_everything_holds_every_shot_with_its_reason() {
    let zone = r#"
[[zone]]
name = "everything"
kind = "no_fire"
circle = { lat_deg = 33.3, lon_deg = 44.1, radius_m = 2000000.0 }
"#;
    let (_, out) = run_text(&variant(
        "doctrine = { salvo = 2, kill_assessment_s = 12.0 }",
        zone,
    ));
    assert_eq!(out.summary.interceptors.fired, 0);
    assert!(out.events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Decision {
            decision: Decision::Hold {
                reason: HoldReason::Roe { .. },
                ..
            },
            ..
        }
    )));
}

#[test]
fn launchers_reload_from_the_site_stock() {
    // One launcher of four 48N6E3 reloading in 60 s from a stock of four.
    let text = variant(
        "doctrine = { salvo = 2, kill_assessment_s = 12.0 }\nreloads = { \"48N6E3\" = 4 }",
        "",
    )
    .replace(
        r#"launchers = [
  { preset = "5P85SE2", count = 5, load = ["48N6E3", "48N6E3", "48N6E3", "48N6E3"] },
  { preset = "5P85SE2", count = 1, load = ["40N6E", "40N6E", "40N6E", "40N6E"] },
  { preset = "5P85SE2", count = 2, load = ["9M96E2", "9M96E2", "9M96E2", "9M96E2", "48N6E3", "48N6E3", "48N6E3"] },
]"#,
        r#"launchers = [
  { preset = "5P85SE2", reload_time_s = 60.0, load = ["48N6E3", "48N6E3", "48N6E3", "48N6E3"] },
]"#,
    );
    let (_, out) = run_text(&text);
    let started = out
        .events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Decision {
                    decision: Decision::ReloadStarted { .. },
                    ..
                }
            )
        })
        .count();
    assert_eq!(started, 1, "one reload: the stock holds one launcher load");
    assert_eq!(out.summary.interceptors.fired, 8, "four, then four more");
}
