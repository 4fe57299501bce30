//! `iadsim wta`: solve a static weapon-target assignment instance file.
//!
//! Needs `iadsim-c2` as a dependency of the CLI crate (`iadsim-c2.workspace = true`).
use anyhow::{Context, Result};
use iadsim_c2::wta::{solve, WtaInstance, WtaSolver};
use std::path::Path;

/// Reads a WTA instance (`.json`, or the Andersen–Pavlikov–Toffolo text format; sniffed when the
/// extension says neither), solves it with `solver` (`exact`, `greedy` or `local`) within
/// `time_limit_s` seconds and prints the solution as JSON (`--json`) or as a short summary.
pub fn run(path: &Path, solver: &str, time_limit_s: f64, json: bool) -> Result<()> {
    let solver: WtaSolver = solver.parse()?;
    anyhow::ensure!(
        time_limit_s.is_finite() && time_limit_s > 0.0,
        "time limit must be positive and finite, got {time_limit_s} s"
    );
    let inst = WtaInstance::from_path(path)
        .with_context(|| format!("reading WTA instance {}", path.display()))?;
    let sol = solve(&inst, solver, time_limit_s);
    if json {
        outln!("{}", serde_json::to_string(&sol)?);
        return Ok(());
    }
    outln!(
        "{}: {} weapon types, {} targets, {} weapons",
        path.display(),
        inst.num_types(),
        inst.num_targets(),
        inst.num_weapons()
    );
    outln!("solver       {solver:?}");
    outln!(
        "objective    {:.6} (expected surviving value)",
        sol.objective
    );
    outln!("lower bound  {:.6}", sol.lower_bound);
    outln!(
        "gap          {:.4} %{}",
        100.0 * sol.gap(),
        if sol.optimal { " (optimal)" } else { "" }
    );
    outln!("time         {:.2} s", sol.seconds);
    let types = inst.weapon_types();
    let mut by_target: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (w, &t) in sol.assignment.iter().enumerate() {
        by_target.entry(t).or_default().push(w);
    }
    outln!("assignment   (target: weapons as index/type)");
    for (t, ws) in by_target {
        let list: Vec<String> = ws.iter().map(|&w| format!("{w}/{}", types[w])).collect();
        outln!("  {t:>5}: {}", list.join(" "));
    }
    Ok(())
}
