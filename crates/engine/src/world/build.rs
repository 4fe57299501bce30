//! Building a [`World`] from a validated [`Scenario`]: truth targets from the raids, assets, the
//! flyout table of every missile type, and each site (radars, launchers, command post, tracker).
//! Everything that could make a later stage fail (a missile that cannot fly, a radar that cannot
//! be calibrated) is checked here.
use super::flyout_cache::flyout_table;
use super::{Asset, Fate, LauncherState, SiteRadar, SiteState, Streams, TargetTruth, World};
use crate::scenario::{AltitudeReference, RadarRole, RadarSpec, Scenario, Site, TerrainSource};
use crate::EngineError;
use iadsim_c2::{AssetInfo, C2Config, CommandPost, FireUnit, Roe};
use iadsim_core::random::{seed_for, Stream};
use iadsim_core::{AssetId, LauncherId, PolarSigma, SensorId, SimDuration, SimTime, TargetId};
use iadsim_geo::{Dem, EnuFrame, Geodetic};
use iadsim_interceptor::FlyoutTable;
use iadsim_physics::Route;
use iadsim_sensors::detection::Swerling;
use iadsim_sensors::{DetectionModel, Radar, RadarParams, Resolution, ScanKind};
use iadsim_track::build_tracker;
use std::collections::BTreeMap;
use std::sync::Arc;

impl World {
    /// Builds the world of replication `run` of `scenario` with master seed `seed`.
    pub fn new(scenario: &Scenario, seed: u64, run: u64) -> Result<World, EngineError> {
        let terrain = match &scenario.terrain {
            Some(source) => Some(Arc::new(load_terrain(source)?)),
            None => None,
        };
        let targets = build_targets(scenario)?;
        let assets = build_assets(scenario);
        let flyout = build_flyout_tables(scenario)?;
        let shared = SiteInputs {
            scenario,
            preference: missile_preference(scenario),
            assets: scenario
                .assets
                .iter()
                .zip(&assets)
                .map(|(a, x)| AssetInfo {
                    id: x.id,
                    position_ecef_m: x.position_ecef_m.into(),
                    value: a.value,
                    radius_m: x.radius_m,
                })
                .collect(),
            terrain: terrain.clone(),
        };
        let mut ids = IdCounters::default();
        let sites = scenario
            .sites
            .iter()
            .map(|site| build_site(site, &shared, &mut ids))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(World {
            scenario: scenario.clone(),
            now: SimTime::ZERO,
            end: SimTime::from_secs_f64(scenario.duration_s),
            targets,
            assets,
            sites,
            flights: Vec::new(),
            flyout,
            terrain,
            next_interceptor: 0,
            streams: Streams {
                clutter: seed_for(seed, run, Stream::Clutter),
                detection: seed_for(seed, run, Stream::Detection),
                noise: seed_for(seed, run, Stream::MeasurementNoise),
                kill: seed_for(seed, run, Stream::Kill),
                iff: seed_for(seed, run, Stream::Identification),
            },
        })
    }
}

fn geodetic(p: &crate::scenario::Position) -> Geodetic {
    Geodetic::from_degrees(p.lat_deg, p.lon_deg, p.alt_m)
}

/// The targets of every raid, in scenario order (their ids).
fn build_targets(scenario: &Scenario) -> Result<Vec<TargetTruth>, EngineError> {
    let mut targets = Vec::new();
    for raid in &scenario.raids {
        let waypoints: Vec<Geodetic> = raid.route.iter().map(geodetic).collect();
        let route =
            Route::new(&waypoints, raid.spec.speed_mps).map_err(|source| EngineError::Route {
                raid: raid.name.clone(),
                source,
            })?;
        for k in 0..raid.count {
            targets.push(TargetTruth {
                id: TargetId(targets.len() as u32),
                raid: raid.name.clone(),
                class: raid.class.clone(),
                kind: raid.spec.kind,
                rcs_m2: raid.spec.rcs_m2,
                swerling: Swerling::try_from(raid.spec.swerling as u8).unwrap_or(Swerling::One),
                route: route.clone(),
                terrain_following: raid.altitude_reference == AltitudeReference::Ground,
                start: SimTime::from_secs_f64(raid.start_s + f64::from(k) * raid.spacing_s),
                side: raid.side,
                fate: Fate::Waiting,
            });
        }
    }
    Ok(targets)
}

fn build_assets(scenario: &Scenario) -> Vec<Asset> {
    scenario
        .assets
        .iter()
        .enumerate()
        .map(|(i, a)| Asset {
            id: AssetId(i as u32),
            position_ecef_m: geodetic(&a.position).to_ecef().0,
            radius_m: a.radius_m,
        })
        .collect()
}

/// The flyout table of every missile type. The missile's aerodynamics are validated here, so a
/// fire order can never name a missile that cannot be launched.
fn build_flyout_tables(
    scenario: &Scenario,
) -> Result<BTreeMap<String, Arc<FlyoutTable>>, EngineError> {
    let mut flyout = BTreeMap::new();
    for (name, m) in &scenario.missiles {
        let error = |source| EngineError::Missile {
            missile: name.clone(),
            source,
        };
        m.aero().validate().map_err(error)?;
        flyout.insert(name.clone(), flyout_table(m).map_err(error)?);
    }
    Ok(flyout)
}

/// Missile types in the order C2 prefers them: shortest reach first, to keep long-range rounds
/// for long-range shots.
fn missile_preference(scenario: &Scenario) -> Vec<String> {
    let mut preference: Vec<(f64, String)> = scenario
        .missiles
        .iter()
        .map(|(n, m)| (m.max_range_m, n.clone()))
        .collect();
    preference.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    preference.into_iter().map(|(_, n)| n).collect()
}

/// What every site is built with.
struct SiteInputs<'a> {
    scenario: &'a Scenario,
    preference: Vec<String>,
    assets: Vec<AssetInfo>,
    terrain: Option<Arc<Dem>>,
}

/// Sensor and launcher ids run over all sites, in scenario order.
#[derive(Default)]
struct IdCounters {
    sensors: u32,
    launchers: u32,
}

fn build_site(
    site: &Site,
    shared: &SiteInputs<'_>,
    ids: &mut IdCounters,
) -> Result<SiteState, EngineError> {
    let ground = geodetic(&site.position);
    let mut radars = Vec::new();
    for r in &site.radars {
        let s = &r.spec;
        let id = SensorId(ids.sensors);
        let radar = build_radar(s, &r.preset, id, ground, shared.terrain.clone())?;
        ids.sensors += 1;
        radars.push(SiteRadar {
            radar,
            preset: r.preset.clone(),
            role: s.role,
            next_dwell: 0,
            max_guided: s.max_guided_missiles,
            max_targets: s.max_tracked_targets,
            reported: Default::default(),
        });
    }
    let mut launchers = Vec::new();
    let mut fire_units = Vec::new();
    for l in &site.launchers {
        let id = LauncherId(ids.launchers);
        ids.launchers += 1;
        let mut rounds = BTreeMap::new();
        // A quad-pack lists its four missiles one by one in `load`.
        for m in &l.load {
            *rounds.entry(m.clone()).or_insert(0) += 1;
        }
        fire_units.push(FireUnit::new(
            id,
            rounds,
            l.spec.min_launch_interval_s,
            l.spec.reload_time_s,
        ));
        launchers.push(LauncherState {
            id,
            position: ground,
            position_ecef: ground.to_ecef().0,
        });
    }
    let command_post = build_command_post(site, shared, &radars, fire_units)?;
    let tracker = build_tracker(&site.tracker).map_err(EngineError::Tracker)?;
    Ok(SiteState {
        name: site.name.clone(),
        radars,
        launchers,
        tracker,
        frame: EnuFrame::new(ground),
        command_post,
        c2_cycle: SimDuration::from_secs_f64(site.command_post.cycle_s),
        next_c2: SimTime::ZERO,
        track_truth: BTreeMap::new(),
        identities: BTreeMap::new(),
        iff_p_correct: site.doctrine.iff_p_correct,
    })
}

/// The command post of a site: its fire channels are those of its engagement radars.
fn build_command_post(
    site: &Site,
    shared: &SiteInputs<'_>,
    radars: &[SiteRadar],
    fire_units: Vec<FireUnit>,
) -> Result<CommandPost, EngineError> {
    let engagement = radars.iter().filter(|r| r.role == RadarRole::Engagement);
    let config = C2Config {
        salvo: site.doctrine.salvo,
        kill_assessment_s: site.doctrine.kill_assessment_s,
        reaction_time_s: site.command_post.reaction_time_s,
        max_engaged_targets: engagement.clone().map(|r| r.max_targets).sum(),
        max_guided_missiles: engagement.map(|r| r.max_guided).sum(),
        reserve: site.doctrine.reserve.clone(),
    };
    Ok(CommandPost::new(
        config,
        fire_units,
        shared.preference.clone(),
        shared.assets.clone(),
    )
    .map_err(|source| EngineError::CommandPost {
        site: site.name.clone(),
        source,
    })?
    .with_roe(Roe {
        zones: shared.scenario.zones.clone(),
    })
    .with_reload_stock(site.reload_stock.clone())
    .with_solver(site.doctrine.solver))
}

/// Builds the radar described by `s` at a site whose ground position is `ground`.
pub fn build_radar(
    s: &RadarSpec,
    preset: &str,
    id: SensorId,
    ground: Geodetic,
    terrain: Option<Arc<Dem>>,
) -> Result<Radar, EngineError> {
    let antenna = Geodetic {
        alt_m: ground.alt_m + s.antenna_height_m,
        ..ground
    };
    let detection = DetectionModel::calibrate(
        s.reference_range_m,
        s.reference_rcs_m2,
        s.reference_pd,
        s.pfa,
        s.pulses,
        Swerling::try_from(s.reference_swerling as u8).unwrap_or(Swerling::One),
    )
    .map_err(|source| EngineError::Radar {
        radar: preset.to_string(),
        source,
    })?;
    let params = RadarParams {
        id,
        antenna,
        detection,
        instrumented_range_m: s.instrumented_range_m,
        max_altitude_m: s.max_altitude_m,
        revisit_s: s.revisit_s,
        scan: if s.role == RadarRole::Engagement || s.sector_half_width_deg < 180.0 {
            ScanKind::Sector
        } else {
            ScanKind::Rotating
        },
        boresight_rad: s.boresight_deg.to_radians(),
        sector_half_width_rad: s.sector_half_width_deg.to_radians(),
        min_elevation_rad: s.min_elevation_deg.to_radians(),
        max_elevation_rad: s.max_elevation_deg.to_radians(),
        min_radial_speed_mps: s.min_radial_speed_mps,
        resolution: Resolution {
            range_m: s.range_resolution_m,
            beamwidth_azimuth_rad: s.beamwidth_azimuth_deg.to_radians(),
            beamwidth_elevation_rad: s.beamwidth_elevation_deg.to_radians(),
            velocity_mps: s.velocity_resolution_mps,
            monopulse_slope: s.monopulse_slope,
            floor: PolarSigma {
                range_m: s.sigma_range_floor_m,
                azimuth_rad: s.sigma_azimuth_floor_deg.to_radians(),
                elevation_rad: s.sigma_elevation_floor_deg.to_radians(),
                range_rate_mps: s.sigma_range_rate_floor_mps,
            },
        },
        terrain,
    };
    Ok(Radar::new(params))
}

/// Loads the scenario's terrain.
pub fn load_terrain(source: &TerrainSource) -> Result<Dem, EngineError> {
    match source {
        TerrainSource::Builtin(name) => {
            let bytes: &[u8] = match name.as_str() {
                "baghdad-synthetic" => BAGHDAD_SYNTHETIC_DEM,
                _ => &[],
            };
            Dem::from_geotiff_bytes(bytes).map_err(|source| EngineError::Terrain {
                path: format!("builtin:{name}"),
                source,
            })
        }
        TerrainSource::File(path) => {
            Dem::from_geotiff(path).map_err(|source| EngineError::Terrain {
                path: path.display().to_string(),
                source,
            })
        }
    }
}

/// The synthetic DEM of the default scenario (data/dem/README.md).
pub const BAGHDAD_SYNTHETIC_DEM: &[u8] =
    include_bytes!("../../../../data/dem/baghdad-synthetic.tif");
