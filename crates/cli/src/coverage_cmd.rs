//! `iadsim coverage`: detection and engagement coverage as GeoJSON polygons and a PNG map.
use crate::outputs::{create_out_dir, write_png, LateProgress};
use crate::{check_unit_interval, swerling};
use anyhow::{bail, Context, Result};
use clap::Args;
use contour::ContourBuilder;
use geo_types::MultiPolygon;
use iadsim_engine::coverage::{coverage, CoverageLayer, CoverageRequest, LayerKind};
use iadsim_engine::output::write_atomic;
use iadsim_engine::Scenario;
use iadsim_plot::map::{self, MapLayer, MapPoint, MapSpec, PointKind};
use iadsim_plot::style::CATEGORICAL;
use iadsim_sensors::coverage::{AltitudeReference, CoverageTarget};
use iadsim_sensors::detection::Swerling;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `iadsim coverage`, as typed.
#[derive(Args, Debug)]
pub struct CoverageArgs {
    /// Scenario file (TOML); the built-in default when omitted.
    scenario: Option<PathBuf>,
    /// Target RCS, m².
    #[arg(long)]
    rcs: f64,
    /// Target altitude, m (above the ellipsoid unless --agl).
    #[arg(long, allow_negative_numbers = true)]
    altitude: f64,
    /// The altitude is above ground level (terrain following).
    #[arg(long)]
    agl: bool,
    /// Terrain DEM (GeoTIFF, geographic grid); overrides the scenario's `terrain`.
    #[arg(long)]
    terrain: Option<PathBuf>,
    /// Minimum probability of detection.
    #[arg(long, default_value_t = 0.5)]
    pd: f64,
    /// Swerling case of the target, 0 to 4.
    #[arg(long, default_value_t = 1)]
    swerling: u8,
    /// The target is ballistic (missile envelopes use their ballistic range limit).
    #[arg(long)]
    ballistic: bool,
    /// Grid cells per side.
    #[arg(long, default_value_t = 800)]
    grid: usize,
    /// Output directory.
    #[arg(long, default_value = "coverage")]
    out: PathBuf,
    /// Print the table as JSON.
    #[arg(long)]
    json: bool,
}

/// Options of `iadsim coverage`, checked.
pub struct CoverageOptions {
    /// Target RCS, m².
    pub rcs_m2: f64,
    /// Target altitude, m.
    pub altitude_m: f64,
    /// Whether the altitude is above ground (else above the ellipsoid).
    pub above_ground: bool,
    /// Minimum Pd.
    pub pd: f64,
    /// Swerling case of the target.
    pub swerling: Swerling,
    /// Whether the target is ballistic.
    pub ballistic: bool,
    /// Grid cells per side.
    pub cells: usize,
    /// DEM file overriding the scenario's terrain.
    pub terrain: Option<PathBuf>,
    /// Output directory.
    pub out: PathBuf,
    /// Print JSON instead of a table.
    pub json: bool,
}

#[derive(Serialize)]
struct LayerSummary {
    site: String,
    layer: String,
    kind: &'static str,
    area_km2: f64,
    max_range_km: f64,
}

fn kind_name(k: LayerKind) -> &'static str {
    match k {
        LayerKind::Radar => "radar",
        LayerKind::Site => "site",
        LayerKind::Missile => "missile",
    }
}

/// Vectorises a layer into polygons of (lon, lat) rings.
fn polygons(layer: &CoverageLayer) -> Result<MultiPolygon<f64>> {
    let g = &layer.map.grid;
    let dlon = (g.lon_max_deg - g.lon_min_deg) / g.cols as f64;
    let dlat = (g.lat_max_deg - g.lat_min_deg) / g.rows as f64;
    let values: Vec<f64> = layer
        .map
        .covered
        .iter()
        .map(|&c| if c { 1.0 } else { 0.0 })
        .collect();
    let builder = ContourBuilder::new(g.cols, g.rows, true)
        .x_origin(g.lon_min_deg + dlon / 2.0)
        .y_origin(g.lat_min_deg + dlat / 2.0)
        .x_step(dlon)
        .y_step(dlat);
    let contours = builder
        .contours(&values, &[0.5])
        .context("vectorising the coverage grid")?;
    Ok(contours
        .into_iter()
        .next()
        .map(|c| c.into_inner().0)
        .unwrap_or_else(|| MultiPolygon(Vec::new())))
}

fn rings(mp: &MultiPolygon<f64>) -> Vec<Vec<Vec<(f64, f64)>>> {
    mp.0.iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|ring| ring.coords().map(|c| (c.x, c.y)).collect())
                .collect()
        })
        .collect()
}

/// Runs the command: checks the options, loads the scenario (on a scenario error the
/// diagnostics are printed and the exit code is a failure), computes and writes.
pub fn run(args: CoverageArgs) -> Result<ExitCode> {
    let Some(scenario) = crate::load(args.scenario.as_deref())? else {
        return Ok(ExitCode::FAILURE);
    };
    check_unit_interval("--pd", args.pd)?;
    if !(args.rcs > 0.0 && args.rcs.is_finite()) {
        bail!("--rcs {} must be a positive number of m²", args.rcs);
    }
    if !(16..=4000).contains(&args.grid) {
        bail!("--grid {} must be between 16 and 4000 cells", args.grid);
    }
    let opts = CoverageOptions {
        rcs_m2: args.rcs,
        altitude_m: args.altitude,
        above_ground: args.agl,
        pd: args.pd,
        swerling: swerling(args.swerling)?,
        ballistic: args.ballistic,
        cells: args.grid,
        terrain: args.terrain,
        out: args.out,
        json: args.json,
    };
    compute_and_write(&scenario, &opts)?;
    Ok(ExitCode::SUCCESS)
}

/// Computes the coverage, writes the GeoJSON and the map, prints the table.
fn compute_and_write(scenario: &Scenario, opts: &CoverageOptions) -> Result<()> {
    let request = request(opts)?;
    let mut progress = LateProgress::new(
        "{msg} [{bar:30}] {pos}/{len} radars ({elapsed})",
        "coverage",
    );
    let computing = std::time::Instant::now();
    let layers = coverage(scenario, &request, &mut |done, total| {
        progress.update(done, total)
    })?;
    let compute_s = computing.elapsed().as_secs_f64();
    progress.finish();

    let altitude_ref = if opts.above_ground {
        "ground"
    } else {
        "ellipsoid"
    };
    let mut features = Vec::new();
    let mut map_layers = Vec::new();
    let mut summaries = Vec::new();
    for (i, layer) in layers.iter().enumerate() {
        let mp = polygons(layer)?;
        features.push(geojson::Feature {
            bbox: None,
            geometry: Some(geojson::Geometry::from(&mp)),
            id: None,
            properties: Some(properties(layer, opts, altitude_ref)),
            foreign_members: None,
        });
        summaries.push(LayerSummary {
            site: layer.site.clone(),
            layer: layer.name.clone(),
            kind: kind_name(layer.kind),
            area_km2: layer.area_m2 / 1e6,
            max_range_km: layer.max_range_m / 1e3,
        });
        if layer.kind != LayerKind::Site {
            map_layers.push(map_layer(layer, i, &mp));
        }
    }
    let collection = geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    };
    create_out_dir(&opts.out)?;
    let mut text = geojson::GeoJson::from(collection).to_string();
    text.push('\n');
    write_atomic(&opts.out.join("coverage.geojson"), text.as_bytes())?;

    let subtitle = format!(
        "target RCS {} m², Swerling {}, {} m above {}, Pd ≥ {}",
        opts.rcs_m2,
        u8::from(opts.swerling),
        opts.altitude_m,
        altitude_ref,
        opts.pd
    );
    let title = format!("{} — coverage", scenario.name);
    let points = map_points(scenario);
    let spec = MapSpec {
        title: &title,
        subtitle: &subtitle,
        layers: &map_layers,
        points: &points,
        bbox_deg: None,
    };
    write_png(&opts.out.join("coverage.png"), &map::render(&spec)?)?;

    if opts.json {
        outln!("{}", serde_json::to_string_pretty(&summaries)?);
    } else {
        outln!("{title}\n{subtitle}\n");
        print_table(&summaries, &layers, compute_s)?;
        outln!(
            "Wrote {} and {}",
            opts.out.join("coverage.geojson").display(),
            opts.out.join("coverage.png").display()
        );
    }
    Ok(())
}

/// What to compute, from the options (the DEM read if one is given).
fn request(opts: &CoverageOptions) -> Result<CoverageRequest> {
    let terrain = match &opts.terrain {
        Some(p) => Some(Arc::new(
            iadsim_geo::Dem::from_geotiff(p)
                .with_context(|| format!("cannot read terrain {}", p.display()))?,
        )),
        None => None,
    };
    Ok(CoverageRequest {
        target: CoverageTarget {
            rcs_m2: opts.rcs_m2,
            swerling: opts.swerling,
            altitude_m: opts.altitude_m,
            reference: if opts.above_ground {
                AltitudeReference::Ground
            } else {
                AltitudeReference::Ellipsoid
            },
        },
        ballistic: opts.ballistic,
        pd: opts.pd,
        cells: opts.cells,
        radials: (opts.cells * 4).max(720),
        terrain,
    })
}

/// The GeoJSON properties of a layer's feature.
fn properties(
    layer: &CoverageLayer,
    opts: &CoverageOptions,
    altitude_ref: &str,
) -> serde_json::Map<String, serde_json::Value> {
    let mut props = serde_json::Map::new();
    props.insert("site".into(), layer.site.clone().into());
    props.insert("layer".into(), layer.name.clone().into());
    props.insert("kind".into(), kind_name(layer.kind).into());
    if layer.kind == LayerKind::Radar {
        props.insert("radar".into(), layer.name.clone().into());
    }
    if layer.kind == LayerKind::Missile {
        props.insert("missile".into(), layer.name.clone().into());
    }
    props.insert("rcs_m2".into(), opts.rcs_m2.into());
    props.insert("altitude_m".into(), opts.altitude_m.into());
    props.insert("altitude_reference".into(), altitude_ref.into());
    props.insert("pd".into(), opts.pd.into());
    props.insert("swerling".into(), u8::from(opts.swerling).into());
    props.insert("area_km2".into(), (layer.area_m2 / 1e6).into());
    props.insert("max_range_km".into(), (layer.max_range_m / 1e3).into());
    props
}

/// The map layer of the `i`-th coverage layer: its own categorical colour, engagement
/// envelopes fainter than detection.
fn map_layer(layer: &CoverageLayer, i: usize, mp: &MultiPolygon<f64>) -> MapLayer {
    MapLayer {
        label: match layer.kind {
            LayerKind::Missile => format!("{} engagement envelope", layer.name),
            _ => format!("{} detection", layer.name),
        },
        rgb: CATEGORICAL[i % CATEGORICAL.len()],
        fill_opacity: if layer.kind == LayerKind::Missile {
            0.10
        } else {
            0.18
        },
        polygons: rings(mp),
    }
}

/// Sites and assets as map markers.
fn map_points(scenario: &Scenario) -> Vec<MapPoint> {
    let sites = scenario.sites.iter().map(|s| MapPoint {
        label: s.name.clone(),
        lon_deg: s.position.lon_deg,
        lat_deg: s.position.lat_deg,
        kind: PointKind::Site,
    });
    let assets = scenario.assets.iter().map(|a| MapPoint {
        label: a.name.clone(),
        lon_deg: a.position.lon_deg,
        lat_deg: a.position.lat_deg,
        kind: PointKind::Asset,
    });
    sites.chain(assets).collect()
}

/// The text table of layers, and the grid's size and cost.
fn print_table(summaries: &[LayerSummary], layers: &[CoverageLayer], compute_s: f64) -> Result<()> {
    outln!(
        "  {:<16} {:<26} {:>12} {:>14}",
        "site",
        "layer",
        "area km²",
        "max range km"
    );
    for s in summaries {
        outln!(
            "  {:<16} {:<26} {:>12.0} {:>14.1}",
            s.site,
            s.layer,
            s.area_km2,
            s.max_range_km
        );
    }
    if let Some(g) = layers.first().map(|l| l.map.grid) {
        outln!(
            "\n{} × {} grid, {:.2} km cells; coverage computed in {compute_s:.3} s",
            g.cols,
            g.rows,
            g.cell_height_m() / 1e3
        );
    }
    Ok(())
}
