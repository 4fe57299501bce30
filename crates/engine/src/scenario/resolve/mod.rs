//! Resolution, [`ScenarioFile`] → [`Scenario`]: one module a section of the file.
//!
//! Each section function takes its raw entry, the presets (or the missile catalogue) it draws on
//! and the diagnostics collector; it checks everything it can and returns a [`Resolved`] part: the
//! validated value and the entry written out in full (every preset value and default), from which
//! the run directory's `scenario.toml` is made. A section whose preset is unknown gives `None`
//! after its diagnostic, and resolution goes on, so that one pass reports every problem.
mod assets;
mod doctrine;
mod header;
mod launchers;
mod missiles;
mod radars;
mod raids;
mod sites;
mod terrain;
mod zones;

pub use doctrine::DEFAULT_IFF_P_CORRECT;
pub(crate) use missiles::check_missile_order;
pub(crate) use radars::check_elevations;
pub use sites::default_site_tracker;

use super::error::{show, Reporter};
use super::file::{PositionEntry, ScenarioFile};
use super::model::{Position, Scenario};
use super::presets::{self, Presets};
use super::spec::{check_limit, Limit, MissileSpec, PresetEntry};
use serde_spanned::Spanned;
use std::collections::BTreeMap;
use std::ops::Range;

/// A resolved section of the file.
pub(super) struct Resolved<T, E> {
    /// What the engine receives.
    pub(super) model: T,
    /// The raw entry with every preset value and default written out.
    pub(super) written: E,
}

/// Splits resolved sections into what the engine receives and what the resolved file says.
fn unzip<T, E>(parts: Vec<Resolved<T, E>>) -> (Vec<T>, Vec<E>) {
    parts.into_iter().map(|p| (p.model, p.written)).unzip()
}

/// Resolves every section in file order (so diagnostics at the same place keep that order) and
/// assembles the scenario and its resolved TOML. Meaningful only when `rep` records no error.
pub(super) fn resolve(
    raw: &ScenarioFile,
    presets: &Presets,
    rep: &mut Reporter<'_>,
    file: &str,
) -> Scenario {
    let header = header::header(&raw.scenario, file, rep);
    let catalogue = missiles::catalogue(&raw.missile, presets, rep);
    let assets = raw.asset.iter().map(|a| assets::asset(a, rep)).collect();
    let sites = raw
        .site
        .iter()
        .filter_map(|s| sites::site(s, presets, &catalogue.model, rep))
        .collect();
    let has_terrain = header.model.terrain.is_some();
    let raids = raw
        .raid
        .iter()
        .filter_map(|r| raids::raid(r, &presets.targets, has_terrain, rep))
        .collect();
    let zones = raw
        .zone
        .iter()
        .filter_map(|z| zones::zone(z, rep))
        .collect();

    let (assets, asset_entries) = unzip(assets);
    let (sites, site_entries) = unzip(sites);
    let (raids, raid_entries) = unzip(raids);
    let used_missiles = missiles::used(&sites, &catalogue.model);
    let target_classes = raids
        .iter()
        .filter_map(|r| Some((r.class.clone(), presets.targets.get(&r.class)?.clone())))
        .collect();
    let written = ScenarioFile {
        scenario: header.written,
        missile: missiles::written_out(catalogue.written, &used_missiles),
        asset: asset_entries,
        site: site_entries,
        raid: raid_entries,
        zone: raw.zone.clone(),
    };
    let h = header.model;
    Scenario {
        name: raw.scenario.name.clone(),
        duration_s: h.duration_s,
        seed: raw.scenario.seed,
        max_step_s: h.max_step_s,
        engagement_step_s: h.engagement_step_s,
        terrain: h.terrain,
        assets,
        sites,
        raids,
        zones,
        missiles: used_missiles,
        target_classes,
        resolved_toml: toml::to_string_pretty(&written).unwrap_or_default(),
    }
}

const LAT: Limit = Limit {
    lo: -90.0,
    hi: 90.0,
    lo_open: false,
    unit: "deg",
};
const LON: Limit = Limit {
    lo: -180.0,
    hi: 180.0,
    lo_open: false,
    unit: "deg",
};
/// Heights from the Dead Sea shore to ballistic apogees.
const ALT: Limit = Limit {
    lo: -500.0,
    hi: 1.0e6,
    lo_open: false,
    unit: "m",
};

/// A value as written, checked against its allowed range.
fn checked<T: Copy + Into<f64>>(
    rep: &mut Reporter<'_>,
    v: &Spanned<T>,
    context: &str,
    name: &str,
    limit: &Limit,
) -> T {
    check_limit(rep, v.span(), context, name, (*v.get_ref()).into(), limit);
    *v.get_ref()
}

/// An optional value: checked against its range when written, else the default.
fn optional<T: Copy + Into<f64>>(
    rep: &mut Reporter<'_>,
    v: &Option<Spanned<T>>,
    default: T,
    context: &str,
    name: &str,
    limit: Option<Limit>,
) -> T {
    match (v, limit) {
        (Some(s), Some(limit)) => checked(rep, s, context, name, &limit),
        (Some(s), None) => *s.get_ref(),
        (None, _) => default,
    }
}

/// A value for the resolved file (no source position: it was computed, not written).
fn spanless<T>(v: T) -> Option<Spanned<T>> {
    Some(Spanned::new(0..0, v))
}

fn position(rep: &mut Reporter<'_>, p: &PositionEntry, context: &str) -> Position {
    Position {
        lat_deg: checked(rep, &p.lat_deg, context, "lat_deg", &LAT),
        lon_deg: checked(rep, &p.lon_deg, context, "lon_deg", &LON),
        alt_m: checked(rep, &p.alt_m, context, "alt_m", &ALT),
    }
}

fn unknown_preset(rep: &mut Reporter<'_>, what: &str, name: &Spanned<String>, known: String) {
    rep.error(
        name.span(),
        format!("unknown {what} preset \"{}\"", name.get_ref()),
        Some(format!("one of: {known}")),
        Some(format!(
            "{what} presets live in presets/*.toml; `iadsim scenario default` shows one in use"
        )),
    );
}

/// An entry that names a preset: the preset with the entry's overrides, checked against the
/// allowed ranges, and the entry written out in full; `None`, after a diagnostic that lists the
/// known presets, when the preset is unknown.
fn from_preset<E: PresetEntry>(
    entry: &E,
    presets: &BTreeMap<String, E::Spec>,
    what: &str,
    context: &str,
    rep: &mut Reporter<'_>,
) -> Option<Resolved<E::Spec, E>> {
    let Some(base) = presets.get(entry.preset().get_ref()) else {
        unknown_preset(rep, what, entry.preset(), presets::names(presets));
        return None;
    };
    let spec = entry.apply(base);
    E::check(&spec, rep, context, &|f| entry.span_of(f));
    let mut written = entry.clone();
    written.fill_from(&spec);
    Some(Resolved {
        model: spec,
        written,
    })
}

/// Two values that must be in order, `lo.1 ≤ hi.1`; `span` is where `lo` was written.
fn check_order(
    rep: &mut Reporter<'_>,
    span: Range<usize>,
    context: &str,
    lo: (&str, f64),
    hi: (&str, f64),
) {
    if lo.1 > hi.1 {
        rep.error(
            span,
            format!(
                "{context}`{}` = {} exceeds `{}` = {}",
                lo.0,
                show(lo.1),
                hi.0,
                show(hi.1)
            ),
            Some(format!("{} ≤ {}", lo.0, hi.0)),
            Some(format!("lower `{}` or raise `{}`", lo.0, hi.0)),
        );
    }
}

/// A table of counts by missile name (reserve, reloads): names must be known missile types.
fn missile_counts(
    rep: &mut Reporter<'_>,
    table: Option<&BTreeMap<String, Spanned<u32>>>,
    missiles: &BTreeMap<String, MissileSpec>,
    context: &str,
    what: &str,
) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    for (name, n) in table.into_iter().flatten() {
        if !missiles.contains_key(name) {
            rep.error(
                n.span(),
                format!("{context}`{what}` names unknown missile \"{name}\""),
                Some(format!("one of: {}", presets::names(missiles))),
                Some("use a missile name from presets/missiles.toml or a [[missile]] entry".into()),
            );
            continue;
        }
        let limit = Limit::closed(0.0, 10_000.0, "").expect("limit");
        out.insert(
            name.clone(),
            checked(rep, n, context, &format!("{what}.{name}"), &limit),
        );
    }
    out
}

/// A table of counts for the resolved file.
fn spanless_counts(m: &BTreeMap<String, u32>) -> Option<BTreeMap<String, Spanned<u32>>> {
    Some(
        m.iter()
            .map(|(k, v)| (k.clone(), Spanned::new(0..0, *v)))
            .collect(),
    )
}
