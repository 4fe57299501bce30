//! The radars of a site (`radars = [{ preset = … }]`) and the cross-field rules of a radar.
use super::{from_preset, show, Reporter, Resolved};
use crate::scenario::model::Radar;
use crate::scenario::spec::{RadarEntry, RadarSpec};
use std::collections::BTreeMap;
use std::ops::Range;

/// One radar of a site; `context` names the site.
pub(super) fn radar(
    r: &RadarEntry,
    presets: &BTreeMap<String, RadarSpec>,
    context: &str,
    rep: &mut Reporter<'_>,
) -> Option<Resolved<Radar, RadarEntry>> {
    let context = format!("{context}radar {}: ", r.preset.get_ref());
    let Resolved {
        model: spec,
        written,
    } = from_preset(r, presets, "radar", &context, rep)?;
    check_elevations(rep, &spec, &context, &|f| r.span_of(f));
    if spec.pfa >= spec.reference_pd {
        rep.error(
            r.span_of("pfa"),
            format!(
                "{context}`pfa` = {} is not below `reference_pd` = {}",
                show(spec.pfa),
                show(spec.reference_pd)
            ),
            Some("pfa < reference_pd".into()),
            Some("a detector with Pfa ≥ Pd is not calibrated; lower `pfa`".into()),
        );
    }
    Some(Resolved {
        model: Radar {
            preset: r.preset.get_ref().clone(),
            spec,
        },
        written,
    })
}

/// The radar must cover an elevation band.
pub(crate) fn check_elevations(
    rep: &mut Reporter<'_>,
    spec: &RadarSpec,
    context: &str,
    span_of: &dyn Fn(&str) -> Range<usize>,
) {
    if spec.min_elevation_deg >= spec.max_elevation_deg {
        rep.error(
            span_of("min_elevation_deg"),
            format!(
                "{context}`min_elevation_deg` = {} is not below `max_elevation_deg` = {}",
                show(spec.min_elevation_deg),
                show(spec.max_elevation_deg)
            ),
            Some("min_elevation_deg < max_elevation_deg".into()),
            Some("the radar must cover an elevation band; lower `min_elevation_deg`".into()),
        );
    }
}
