//! Human-readable output.
use iadsim_engine::summary::{ClassSummary, Summary};
use iadsim_engine::Scenario;
use std::fmt::Write;

/// One line describing a validated scenario.
pub fn scenario_line(s: &Scenario) -> String {
    let radars: usize = s.sites.iter().map(|x| x.radars.len()).sum();
    let launchers: usize = s.sites.iter().map(|x| x.launchers.len()).sum();
    let targets: u32 = s.raids.iter().map(|r| r.count).sum();
    format!(
        "\"{}\": {} site(s), {radars} radar(s), {launchers} launcher(s), {} raid(s) of {targets} target(s), {} asset(s), {} s",
        s.name,
        s.sites.len(),
        s.raids.len(),
        s.assets.len(),
        s.duration_s
    )
}

fn km(stats: Option<iadsim_engine::summary::Stats>) -> String {
    stats.map_or_else(
        || "—".to_string(),
        |s| {
            format!(
                "{:.0} / {:.0} / {:.0}",
                s.min / 1e3,
                s.mean / 1e3,
                s.max / 1e3
            )
        },
    )
}

fn row(out: &mut String, name: &str, c: &ClassSummary) {
    let _ = writeln!(
        out,
        "  {name:<20} {:>5} {:>8} {:>7} {:>7} {:>6} {:>6} {:>8}   {}",
        c.count,
        c.detected,
        c.tracked,
        c.engaged,
        c.killed,
        c.leaked,
        c.airborne_at_end,
        km(c.first_detection_range_m)
    );
}

/// The summary as a table and a timeline.
pub fn summary_table(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "iadsim run — {} (seed {}, {} s)\n",
        s.scenario, s.seed, s.duration_s
    );
    let _ = writeln!(
        out,
        "  {:<20} {:>5} {:>8} {:>7} {:>7} {:>6} {:>6} {:>8}   first detection km (min / mean / max)",
        "target class", "count", "detected", "tracked", "engaged", "killed", "leaked", "airborne"
    );
    for (name, c) in &s.classes {
        row(&mut out, name, c);
    }
    row(&mut out, "all", &s.total);
    let f = &s.friendly;
    if f.count > 0 {
        let _ = writeln!(
            out,
            "\nFriendly aircraft: {} flown, {} fired at, {} shot down (fratricide)",
            f.count, f.engaged, f.shot_down
        );
    }
    let i = &s.interceptors;
    let _ = writeln!(
        out,
        "\nInterceptors: {} fired, {} intercepts, {} kills, {} misses, {} lost without intercept",
        i.fired, i.intercepts, i.kills, i.misses, i.lost
    );
    for (m, n) in &i.fired_by_type {
        let left = i.remaining_rounds.get(m).copied().unwrap_or(0);
        let _ = writeln!(out, "  {m:<10} fired {n:>3}   left {left:>3}");
    }
    for (m, left) in &i.remaining_rounds {
        if !i.fired_by_type.contains_key(m) {
            let _ = writeln!(out, "  {m:<10} fired   0   left {left:>3}");
        }
    }
    let t = &s.tracking;
    let _ = writeln!(
        out,
        "\nTracking: {} tracks confirmed, {} of them false (clutter); {} interceptors fired at false tracks",
        t.tracks_confirmed, t.false_tracks_confirmed, t.launches_at_false_tracks
    );
    let _ = writeln!(out, "\nTimeline:");
    for e in &s.timeline {
        let _ = writeln!(out, "  {:>8.1} s  {}", e.time_s, e.text);
    }
    out
}
