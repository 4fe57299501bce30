//! The `terrain` key of `[scenario]`: a built-in DEM or a GeoTIFF path relative to the scenario.
use super::Reporter;
use crate::scenario::model::{TerrainSource, BUILTIN_TERRAIN};
use serde_spanned::Spanned;
use std::path::Path;

/// Where the terrain named by `t` comes from; `file` is the scenario's path.
pub(super) fn source(
    t: &Spanned<String>,
    file: &str,
    rep: &mut Reporter<'_>,
) -> Option<TerrainSource> {
    let name = t.get_ref();
    if let Some(builtin) = name.strip_prefix("builtin:") {
        if BUILTIN_TERRAIN.contains(&builtin) {
            return Some(TerrainSource::Builtin(builtin.to_string()));
        }
        rep.error(
            t.span(),
            format!("unknown built-in terrain \"{name}\""),
            Some(
                BUILTIN_TERRAIN
                    .iter()
                    .map(|b| format!("builtin:{b}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Some("or give the path of a GeoTIFF DEM (SRTM / Copernicus, geographic grid)".into()),
        );
        return None;
    }
    let base = Path::new(file).parent().unwrap_or(Path::new(""));
    let path = base.join(name);
    if path.is_file() {
        Some(TerrainSource::File(path))
    } else {
        rep.error(
            t.span(),
            format!("terrain file \"{}\" not found", path.display()),
            None,
            Some("paths are relative to the scenario file; `builtin:baghdad-synthetic` is always available".into()),
        );
        None
    }
}
