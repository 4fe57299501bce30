//! The launchers of a site (`launchers = [{ preset = …, count = …, load = […] }]`).
use super::{from_preset, optional, show, spanless, unknown_preset, Reporter, Resolved};
use crate::scenario::model::Launcher;
use crate::scenario::presets;
use crate::scenario::spec::{LauncherEntry, LauncherSpec, Limit, MissileSpec};
use std::collections::BTreeMap;

/// One launcher entry of a site, expanded to `count` identical launchers; `context` names the
/// site.
pub(super) fn launcher(
    l: &LauncherEntry,
    presets: &BTreeMap<String, LauncherSpec>,
    missiles: &BTreeMap<String, MissileSpec>,
    context: &str,
    rep: &mut Reporter<'_>,
) -> Option<Resolved<Vec<Launcher>, LauncherEntry>> {
    let context = format!("{context}launcher {}: ", l.preset.get_ref());
    let Resolved {
        model: spec,
        mut written,
    } = from_preset(l, presets, "launcher", &context, rep)?;
    let count = Limit::closed(1.0, 64.0, "");
    let n = optional(rep, &l.count, 1, &context, "count", count);
    let load = load(l, &spec, missiles, &context, rep);
    written.count = spanless(n);
    let launcher = Launcher {
        preset: l.preset.get_ref().clone(),
        spec,
        load,
    };
    // A count out of range is an error already; expanding it could exhaust memory.
    let copies = if count.is_some_and(|c| c.admits(f64::from(n))) {
        n as usize
    } else {
        0
    };
    Some(Resolved {
        model: vec![launcher; copies],
        written,
    })
}

/// The missiles loaded on the launcher: known types that fit its tubes.
fn load(
    l: &LauncherEntry,
    spec: &LauncherSpec,
    missiles: &BTreeMap<String, MissileSpec>,
    context: &str,
    rep: &mut Reporter<'_>,
) -> Vec<String> {
    let mut tubes_used = 0.0;
    let mut load = Vec::new();
    for m in &l.load {
        match missiles.get(m.get_ref()) {
            Some(ms) => {
                tubes_used += 1.0 / f64::from(ms.per_slot.max(1));
                load.push(m.get_ref().clone());
            }
            None => unknown_preset(rep, "missile", m, presets::names(missiles)),
        }
    }
    if tubes_used > f64::from(spec.slots) + 1e-9 {
        let span = l.load.first().map_or(l.preset.span(), |m| m.span());
        rep.error(
            span,
            format!(
                "{context}the load fills {} tubes but the launcher has {}",
                show(tubes_used),
                spec.slots
            ),
            Some(format!(
                "at most {} tubes (a missile with per_slot = k uses 1/k tube)",
                spec.slots
            )),
            Some("remove missiles from `load` or raise `slots`".into()),
        );
    }
    load
}
