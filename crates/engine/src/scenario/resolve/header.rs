//! `[scenario]`: run length, motion steps and terrain.
use super::{checked, optional, spanless, terrain, Reporter, Resolved};
use crate::scenario::file::HeaderEntry;
use crate::scenario::model::TerrainSource;
use crate::scenario::spec::Limit;
use serde_spanned::Spanned;

/// Motion step when no interceptor flies, s, when the scenario does not say.
const DEFAULT_MAX_STEP_S: f64 = 0.5;
/// Motion step while interceptors fly, s, when the scenario does not say.
const DEFAULT_ENGAGEMENT_STEP_S: f64 = 0.05;

/// The validated header values (name and seed are taken as written).
pub(super) struct Header {
    pub(super) duration_s: f64,
    pub(super) max_step_s: f64,
    pub(super) engagement_step_s: f64,
    pub(super) terrain: Option<TerrainSource>,
}

pub(super) fn header(
    h: &HeaderEntry,
    file: &str,
    rep: &mut Reporter<'_>,
) -> Resolved<Header, HeaderEntry> {
    let duration_s = checked(
        rep,
        &h.duration_s,
        "",
        "duration_s",
        &Limit::open_low(0.0, 7.0 * 86400.0, "s").expect("limit"),
    );
    let max_step_s = optional(
        rep,
        &h.max_step_s,
        DEFAULT_MAX_STEP_S,
        "",
        "max_step_s",
        Limit::closed(0.001, 10.0, "s"),
    );
    let engagement_step_s = optional(
        rep,
        &h.engagement_step_s,
        DEFAULT_ENGAGEMENT_STEP_S,
        "",
        "engagement_step_s",
        Limit::closed(0.0005, 1.0, "s"),
    );
    let terrain = h
        .terrain
        .as_ref()
        .and_then(|t| terrain::source(t, file, rep));
    let mut written = h.clone();
    if let Some(TerrainSource::File(path)) = &terrain {
        // The resolved copy lives elsewhere (the run directory): give it an absolute path.
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        written.terrain = Some(Spanned::new(0..0, absolute.display().to_string()));
    }
    written.max_step_s = spanless(max_step_s);
    written.engagement_step_s = spanless(engagement_step_s);
    Resolved {
        model: Header {
            duration_s,
            max_step_s,
            engagement_step_s,
            terrain,
        },
        written,
    }
}
