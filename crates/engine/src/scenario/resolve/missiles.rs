//! `[[missile]]`: missile types defined from presets, the catalogue the launchers load from, the
//! cross-field rules every missile obeys, and the missile types the resolved file writes out.
use super::{check_order, from_preset, Reporter, Resolved};
use crate::scenario::model::Site;
use crate::scenario::presets::Presets;
use crate::scenario::spec::{MissileEntry, MissileSpec};
use std::collections::BTreeMap;
use std::ops::Range;

/// The catalogue: every preset missile, then the scenario's `[[missile]]` entries (a new name adds
/// a type, no name overrides the preset for this scenario).
pub(super) fn catalogue(
    entries: &[MissileEntry],
    presets: &Presets,
    rep: &mut Reporter<'_>,
) -> Resolved<BTreeMap<String, MissileSpec>, Vec<MissileEntry>> {
    let mut missiles = presets.missiles.clone();
    let mut written = Vec::new();
    for m in entries {
        let name = m
            .name
            .as_ref()
            .map_or_else(|| m.preset.get_ref().clone(), |n| n.get_ref().clone());
        let context = format!("missile \"{name}\": ");
        let Some(entry) = from_preset(m, &presets.missiles, "missile", &context, rep) else {
            continue;
        };
        check_missile_order(rep, &entry.model, &context, &|f| m.span_of(f));
        written.push(entry.written);
        missiles.insert(name, entry.model);
    }
    Resolved {
        model: missiles,
        written,
    }
}

/// The missile types the sites' launchers carry or keep in reload stock.
pub(super) fn used(
    sites: &[Site],
    missiles: &BTreeMap<String, MissileSpec>,
) -> BTreeMap<String, MissileSpec> {
    let loaded = sites
        .iter()
        .flat_map(|s| s.launchers.iter().flat_map(|l| l.load.iter()));
    let stocked = sites.iter().flat_map(|s| s.reload_stock.keys());
    loaded
        .chain(stocked)
        .filter_map(|name| Some((name.clone(), missiles.get(name)?.clone())))
        .collect()
}

/// The scenario's `[[missile]]` entries, then every other missile type in use, so that the
/// resolved file does not depend on the preset catalogue of the binary that reads it.
pub(super) fn written_out(
    mut written: Vec<MissileEntry>,
    used: &BTreeMap<String, MissileSpec>,
) -> Vec<MissileEntry> {
    for (name, spec) in used {
        let defined = written
            .iter()
            .any(|m| m.name.as_ref().map_or(m.preset.get_ref(), |n| n.get_ref()) == name);
        if !defined {
            if let Ok(mut entry) = toml::from_str::<MissileEntry>(&format!("preset = {name:?}")) {
                entry.fill_from(spec);
                written.push(entry);
            }
        }
    }
    written
}

/// Cross-field rules of a missile: ranges and altitudes in order, a physical flyout model.
pub(crate) fn check_missile_order(
    rep: &mut Reporter<'_>,
    spec: &MissileSpec,
    context: &str,
    span_of: &dyn Fn(&str) -> Range<usize>,
) {
    for (lo, hi) in [
        (
            ("min_range_m", spec.min_range_m),
            ("max_range_m", spec.max_range_m),
        ),
        (
            ("min_altitude_m", spec.min_altitude_m),
            ("max_altitude_m", spec.max_altitude_m),
        ),
    ] {
        check_order(rep, span_of(lo.0), context, lo, hi);
    }
    // The 3-DOF flyout description must be physical (positive masses, propellant lighter than
    // the missile, burns of non-zero duration, …).
    if let Err(e) = spec.aero().validate() {
        let field = match &e {
            iadsim_interceptor::InterceptorError::OutOfRange { field, .. } => field,
            iadsim_interceptor::InterceptorError::PropellantExceedsMass { .. } => {
                "boost_propellant_kg"
            }
            _ => "boost_time_s",
        };
        rep.error(
            span_of(field),
            format!("{context}flyout model: {e}"),
            None,
            Some("see docs/flyout.md for the meaning of the flyout fields".into()),
        );
    }
}
