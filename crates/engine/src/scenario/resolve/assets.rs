//! `[[asset]]`: defended assets.
use super::{checked, optional, position, spanless, Reporter, Resolved};
use crate::scenario::file::AssetEntry;
use crate::scenario::model::Asset;
use crate::scenario::spec::Limit;

/// Leak radius when the scenario does not give one, m.
const DEFAULT_RADIUS_M: f64 = 2000.0;

pub(super) fn asset(a: &AssetEntry, rep: &mut Reporter<'_>) -> Resolved<Asset, AssetEntry> {
    let context = format!("asset \"{}\": ", a.name);
    let position = position(rep, &a.position, &context);
    let value = checked(
        rep,
        &a.value,
        &context,
        "value",
        &Limit::closed(0.0, 1.0e9, "").expect("limit"),
    );
    let radius_m = optional(
        rep,
        &a.radius_m,
        DEFAULT_RADIUS_M,
        &context,
        "radius_m",
        Limit::open_low(0.0, 1.0e5, "m"),
    );
    let mut written = a.clone();
    written.radius_m = spanless(radius_m);
    Resolved {
        model: Asset {
            name: a.name.clone(),
            position,
            value,
            radius_m,
        },
        written,
    }
}
