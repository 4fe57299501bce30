//! The simulated world and the pipeline that advances it.
//!
//! `World::step` runs, in this order: motion and flyout up to the next event (closest-approach
//! intercepts and leaks are found inside the step) → radar dwells due now (plots → tracker) →
//! C2 cycles due now (tracks → fire orders → launches). Ties between radars break by sensor id,
//! between sites by site order, so a run is a pure function of the scenario and the seed.
use crate::events::{Event, EventKind, LeakReason, LossReason};
use crate::scenario::{
    AltitudeReference, MissileSpec, RadarRole, RadarSpec, Scenario, Side, TargetKind, TerrainSource,
};
use crate::EngineError;
use iadsim_c2::{
    AssetInfo, C2Config, CommandPost, FireUnit, Identity, InterceptSolution, LaunchEnvelope,
    NoShot, Roe, ThreatClass,
};
use iadsim_core::random::{seed_for, SimRng, Stream};
use iadsim_core::{
    AssetId, InterceptorId, LauncherId, Plot, PolarSigma, SensorId, SimDuration, SimTime, TargetId,
    TrackId, TrackReport,
};
use iadsim_geo::{inverse, line_of_sight, Dem, Ecef, Enu, EnuFrame, Geodetic};
use iadsim_interceptor::{
    passes_cpa_within_step, predict_intercept_3dof, Flight as Airframe, FlyoutTable,
    LossReason as FlightLoss, MissileAero, TableSpec, TargetEstimate,
};
use iadsim_models::{converted_measurement, plot_frame};
use iadsim_physics::{Route, RouteState};
use iadsim_sensors::detection::Swerling;
use iadsim_sensors::{DetectionModel, Look, Radar, RadarParams, Resolution, ScanKind};
use iadsim_track::polar::SensorFrame;
use iadsim_track::{build_tracker, AnyTracker, Measurement, PolarView};
use nalgebra::Vector3;
use rand::Rng;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Truth of one target.
#[derive(Debug, Clone)]
pub struct TargetTruth {
    /// Id (scenario order: raid by raid).
    pub id: TargetId,
    /// Raid name.
    pub raid: String,
    /// Class name.
    pub class: String,
    /// Aerodynamic or ballistic.
    pub kind: TargetKind,
    /// RCS, m².
    pub rcs_m2: f64,
    /// Fluctuation model.
    pub swerling: Swerling,
    /// Route.
    pub route: Route,
    /// Whether the route altitudes are above the terrain.
    pub terrain_following: bool,
    /// Launch time.
    pub start: SimTime,
    /// Hostile or friendly.
    pub side: Side,
    /// Fate so far.
    pub fate: Fate,
}

/// What became of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Not launched yet.
    Waiting,
    /// Flying.
    Flying,
    /// Destroyed.
    Killed,
    /// Got through.
    Leaked,
}

impl TargetTruth {
    fn state_at(&self, t: SimTime, terrain: Option<&Dem>) -> RouteState {
        let mut state = self.route.state_at((t - self.start).as_secs_f64().max(0.0));
        if self.terrain_following {
            if let Some(h) =
                terrain.and_then(|d| d.height_m(state.position.lat_deg(), state.position.lon_deg()))
            {
                // Terrain following: the route altitude is a clearance above the ground. The
                // vertical speed of following the terrain is not added to the velocity.
                state.position.alt_m += h;
                state.position_ecef_m = state.position.to_ecef().0;
            }
        }
        state
    }
}

/// The flyout table of a missile (fire control's time of flight and reach over ground range and
/// height), built once per distinct missile description and shared by every world of the
/// process: building one takes a fraction of a second, and a Monte Carlo study builds many
/// worlds. The table is a pure function of the description, so sharing keeps runs
/// deterministic.
fn flyout_table(m: &MissileSpec) -> Result<Arc<FlyoutTable>, iadsim_interceptor::InterceptorError> {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<BTreeMap<String, Arc<FlyoutTable>>>> =
        std::sync::OnceLock::new();
    let aero = m.aero();
    let spec = TableSpec::default_for(FLYOUT_TABLE_RANGE_FACTOR * m.max_range_m);
    let key = format!("{aero:?}|{spec:?}");
    let cache = CACHE.get_or_init(Default::default);
    if let Some(t) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(t);
    }
    let table = Arc::new(FlyoutTable::build(&aero, spec)?);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, table.clone());
    }
    Ok(table)
}

/// Fire control takes a shot only if the predicted time of flight is at most this fraction of
/// the missile's `max_flight_time_s` (ASSUMPTION, docs/assumptions.md).
const FIRE_CONTROL_TIME_MARGIN: f64 = 0.9;
/// … and the predicted arrival speed at least this multiple of its `min_speed_mps`.
const FIRE_CONTROL_SPEED_MARGIN: f64 = 1.25;

/// The flyout table reaches this multiple of the published maximum range, so that the published
/// limit, not the table's edge, bounds the envelope.
const FLYOUT_TABLE_RANGE_FACTOR: f64 = 1.2;

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
        terrain: terrain.clone(),
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
pub const BAGHDAD_SYNTHETIC_DEM: &[u8] = include_bytes!("../../../data/dem/baghdad-synthetic.tif");

struct SiteRadar {
    radar: Radar,
    preset: String,
    role: RadarRole,
    next_dwell: u64,
    max_guided: u32,
    max_targets: u32,
}

struct LauncherState {
    id: LauncherId,
    position: Geodetic,
    position_ecef: Vector3<f64>,
}

struct SiteState {
    name: String,
    radars: Vec<SiteRadar>,
    launchers: Vec<LauncherState>,
    /// The tracker, in `frame` (site-local ENU) coordinates.
    tracker: AnyTracker,
    frame: EnuFrame,
    command_post: CommandPost,
    c2_cycle: SimDuration,
    next_c2: SimTime,
    /// Truth label of each track: the target of its most recent plot (recorder side only).
    track_truth: BTreeMap<TrackId, Option<TargetId>>,
    /// IFF identification of each confirmed track (drawn at confirmation).
    identities: BTreeMap<TrackId, Identity>,
    /// Probability that IFF identifies a friendly as friendly.
    iff_p_correct: f64,
}

struct Flight {
    id: InterceptorId,
    site: usize,
    missile: String,
    track: TrackId,
    target: Option<TargetId>,
    launcher_position: Geodetic,
    body: Airframe,
    aero: MissileAero,
    seeker_range_m: f64,
    /// Last track estimate (position, velocity, time), kept for guidance if the track is lost.
    last_estimate: (Vector3<f64>, Vector3<f64>, SimTime),
}

/// Running tallies the summary is built from.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tally {
    pub(crate) first_detection: BTreeMap<TargetId, (f64, SimTime)>,
    pub(crate) detected_by: BTreeSet<(TargetId, SensorId)>,
    pub(crate) tracked: BTreeSet<TargetId>,
    pub(crate) engaged: BTreeSet<TargetId>,
    pub(crate) fired_by_type: BTreeMap<String, u32>,
}

/// The whole simulated world.
pub struct World {
    scenario: Scenario,
    now: SimTime,
    end: SimTime,
    targets: Vec<TargetTruth>,
    assets: Vec<(AssetId, Vector3<f64>, f64)>,
    sites: Vec<SiteState>,
    flights: Vec<Flight>,
    flyout: BTreeMap<String, Arc<FlyoutTable>>,
    terrain: Option<Arc<Dem>>,
    next_interceptor: u32,
    rng_clutter: SimRng,
    rng_detection: SimRng,
    rng_noise: SimRng,
    rng_kill: SimRng,
    rng_iff: SimRng,
    events: Vec<Event>,
    pub(crate) tally: Tally,
}

/// A track report from the site's ENU frame to ECEF (what C2 and guidance use).
fn report_to_ecef(frame: &EnuFrame, r: TrackReport) -> TrackReport {
    TrackReport {
        position_ecef_m: frame
            .to_ecef(&Enu(Vector3::from(r.position_ecef_m)))
            .0
            .into(),
        velocity_ecef_mps: frame
            .vector_to_ecef(&Vector3::from(r.velocity_ecef_mps))
            .into(),
        ..r
    }
}

fn geodetic(p: &crate::scenario::Position) -> Geodetic {
    Geodetic::from_degrees(p.lat_deg, p.lon_deg, p.alt_m)
}

impl World {
    /// Builds the world of replication `run` of `scenario` with master seed `seed`.
    pub fn new(scenario: &Scenario, seed: u64, run: u64) -> Result<World, EngineError> {
        let terrain = match &scenario.terrain {
            Some(source) => Some(Arc::new(load_terrain(source)?)),
            None => None,
        };
        let mut targets = Vec::new();
        for raid in &scenario.raids {
            let waypoints: Vec<Geodetic> = raid.route.iter().map(geodetic).collect();
            let route = Route::new(&waypoints, raid.spec.speed_mps).map_err(|source| {
                EngineError::Route {
                    raid: raid.name.clone(),
                    source,
                }
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
        let assets: Vec<(AssetId, Vector3<f64>, f64)> = scenario
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    AssetId(i as u32),
                    geodetic(&a.position).to_ecef().0,
                    a.radius_m,
                )
            })
            .collect();
        let asset_info: Vec<AssetInfo> = scenario
            .assets
            .iter()
            .zip(&assets)
            .map(|(a, (id, p, r))| AssetInfo {
                id: *id,
                position_ecef_m: (*p).into(),
                value: a.value,
                radius_m: *r,
            })
            .collect();

        let mut flyout = BTreeMap::new();
        for (name, m) in &scenario.missiles {
            let table = flyout_table(m).map_err(|source| EngineError::Missile {
                missile: name.clone(),
                source,
            })?;
            flyout.insert(name.clone(), table);
        }
        // Preference: shortest reach first, to keep long-range rounds for long-range shots.
        let mut preference: Vec<(f64, String)> = scenario
            .missiles
            .iter()
            .map(|(n, m)| (m.max_range_m, n.clone()))
            .collect();
        preference.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let preference: Vec<String> = preference.into_iter().map(|(_, n)| n).collect();

        let mut sites = Vec::new();
        let mut sensor_count = 0u32;
        let mut launcher_count = 0u32;
        for site in &scenario.sites {
            let ground = geodetic(&site.position);
            let mut radars = Vec::new();
            for r in &site.radars {
                let s = &r.spec;
                let radar = build_radar(
                    s,
                    &r.preset,
                    SensorId(sensor_count),
                    ground,
                    terrain.clone(),
                )?;
                sensor_count += 1;
                radars.push(SiteRadar {
                    radar,
                    preset: r.preset.clone(),
                    role: s.role,
                    next_dwell: 0,
                    max_guided: s.max_guided_missiles,
                    max_targets: s.max_tracked_targets,
                });
            }
            let mut launchers = Vec::new();
            let mut fire_units = Vec::new();
            for l in &site.launchers {
                let id = LauncherId(launcher_count);
                launcher_count += 1;
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
            let engagement = radars.iter().filter(|r| r.role == RadarRole::Engagement);
            let config = C2Config {
                salvo: site.doctrine.salvo,
                kill_assessment_s: site.doctrine.kill_assessment_s,
                reaction_time_s: site.command_post.reaction_time_s,
                max_engaged_targets: engagement.clone().map(|r| r.max_targets).sum(),
                max_guided_missiles: engagement.map(|r| r.max_guided).sum(),
                reserve: site.doctrine.reserve.clone(),
            };
            let command_post =
                CommandPost::new(config, fire_units, preference.clone(), asset_info.clone())
                    .map_err(|source| EngineError::CommandPost {
                        site: site.name.clone(),
                        source,
                    })?
                    .with_roe(Roe {
                        zones: scenario.zones.clone(),
                    })
                    .with_reload_stock(site.reload_stock.clone());
            let tracker = build_tracker(&site.tracker).map_err(EngineError::Tracker)?;
            sites.push(SiteState {
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
            });
        }

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
            rng_clutter: seed_for(seed, run, Stream::Clutter),
            rng_detection: seed_for(seed, run, Stream::Detection),
            rng_noise: seed_for(seed, run, Stream::MeasurementNoise),
            rng_kill: seed_for(seed, run, Stream::Kill),
            rng_iff: seed_for(seed, run, Stream::Identification),
            events: Vec::new(),
            tally: Tally::default(),
        })
    }

    /// Current simulation time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Whether the run has reached its end.
    pub fn finished(&self) -> bool {
        self.now >= self.end
    }

    /// Targets and their fates.
    pub fn targets(&self) -> &[TargetTruth] {
        &self.targets
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Events logged so far.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Rounds left per missile type over all sites.
    pub fn remaining_rounds(&self) -> BTreeMap<String, u32> {
        let mut out = BTreeMap::new();
        for s in &self.sites {
            for fu in s.command_post.fire_units() {
                for (m, n) in &fu.rounds {
                    *out.entry(m.clone()).or_insert(0) += n;
                }
            }
        }
        out
    }

    fn log(&mut self, kind: EventKind) {
        self.events.push(Event::new(self.now, kind));
    }

    fn radar_dwell_time(radar: &SiteRadar, k: u64) -> SimTime {
        SimTime::from_secs_f64(k as f64 * radar.radar.dwell_interval_s())
    }

    fn next_event_time(&self) -> SimTime {
        let mut t = self.end;
        for s in &self.sites {
            t = t.min(s.next_c2);
            for r in &s.radars {
                t = t.min(Self::radar_dwell_time(r, r.next_dwell));
            }
        }
        for target in &self.targets {
            if target.fate == Fate::Waiting {
                t = t.min(target.start);
            }
        }
        t
    }

    /// Advances the world to its next event (or by one motion step, whichever comes first) and
    /// processes the events due then. Returns `false` once the end of the run is reached.
    pub fn step(&mut self) -> Result<bool, EngineError> {
        if self.finished() {
            return Ok(false);
        }
        let step_s = if self.flights.is_empty() {
            self.scenario.max_step_s
        } else {
            self.scenario.engagement_step_s
        };
        let t_next = self
            .next_event_time()
            .min(self.now + SimDuration::from_secs_f64(step_s));
        if t_next > self.now {
            self.advance(t_next);
        }
        self.now = t_next;
        self.launch_targets();
        self.check_leaks();
        self.radar_dwells()?;
        self.c2_cycles();
        Ok(!self.finished())
    }

    /// Runs to the end.
    pub fn run_to_end(&mut self) -> Result<(), EngineError> {
        while self.step()? {}
        Ok(())
    }

    fn launch_targets(&mut self) {
        for i in 0..self.targets.len() {
            let t = &self.targets[i];
            if t.fate == Fate::Waiting && t.start <= self.now {
                let (target, class, raid) = (t.id, t.class.clone(), t.raid.clone());
                self.targets[i].fate = Fate::Flying;
                self.log(EventKind::TargetLaunched {
                    target,
                    class,
                    raid,
                });
            }
        }
    }

    /// Motion from `self.now` to `t1`: interceptors fly and may intercept.
    fn advance(&mut self, t1: SimTime) {
        let t0 = self.now;
        let dt_s = (t1 - t0).as_secs_f64();
        let terrain_arc = self.terrain.clone();
        let terrain = terrain_arc.as_deref();
        let mut finished = Vec::new();
        for (fi, f) in self.flights.iter_mut().enumerate() {
            // Guidance on the tracker's estimate (never truth), extrapolated to the step start.
            let site = &self.sites[f.site];
            if let Some(r) = site
                .tracker
                .predict_report(f.track, t0)
                .map(|r| report_to_ecef(&site.frame, r))
            {
                f.last_estimate = (
                    Vector3::from(r.position_ecef_m),
                    Vector3::from(r.velocity_ecef_mps),
                    t0,
                );
            }
            let (p_est, v_est, t_est) = f.last_estimate;
            let mut p_est = p_est + v_est * (t0 - t_est).as_secs_f64();
            let mut v_est = v_est;
            // Terminal homing: inside its acquisition range the seeker (TVM or active radar)
            // measures the target itself. It is modelled as ideal here (no noise, no lag).
            if let Some(target) = f.target.map(|t| &self.targets[t.0 as usize]) {
                if target.fate == Fate::Flying {
                    let truth = target.state_at(t0, terrain);
                    if (truth.position_ecef_m - f.body.position_ecef_m()).norm() <= f.seeker_range_m
                    {
                        p_est = truth.position_ecef_m;
                        v_est = truth.velocity_ecef_mps;
                    }
                }
            }
            let m0 = f.body.position_ecef_m();
            let estimate = TargetEstimate {
                position_ecef_m: p_est,
                velocity_ecef_mps: v_est,
                acceleration_ecef_mps2: None,
            };
            let result = f.body.step(dt_s, Some(&estimate));
            let m1 = f.body.position_ecef_m();
            let lost = result.loss.map(|l| match l {
                FlightLoss::MaxFlightTime => LossReason::MaxFlightTime,
                FlightLoss::TooSlow => LossReason::TooSlow,
                FlightLoss::Ground => LossReason::HitGround,
            });
            let Some(target_id) = f.target else {
                if let Some(reason) = lost {
                    finished.push((fi, Outcome::Lost(reason)));
                }
                continue;
            };
            let target = &self.targets[target_id.0 as usize];
            match target.fate {
                Fate::Killed => {
                    finished.push((fi, Outcome::Lost(LossReason::TargetDestroyed)));
                    continue;
                }
                Fate::Leaked => {
                    finished.push((fi, Outcome::Lost(LossReason::TargetLeaked)));
                    continue;
                }
                Fate::Waiting | Fate::Flying => {}
            }
            let q0 = target.state_at(t0, terrain).position_ecef_m;
            let q1 = target.state_at(t1, terrain).position_ecef_m;
            if let Some(cpa) = passes_cpa_within_step(&m0, &m1, &q0, &q1) {
                let point = m0 + (m1 - m0) * cpa.fraction;
                let tof = f.body.time_of_flight_s() - dt_s * (1.0 - cpa.fraction);
                finished.push((
                    fi,
                    Outcome::Intercept {
                        miss_distance_m: cpa.miss_distance_m,
                        point,
                        time_of_flight_s: tof,
                    },
                ));
            } else if let Some(reason) = lost {
                finished.push((fi, Outcome::Lost(reason)));
            }
        }
        self.now = t1;
        // Resolve in interceptor order; a target killed by an earlier one in this step is gone.
        let mut done = Vec::new();
        for (fi, outcome) in finished {
            self.resolve_flight(fi, outcome);
            done.push(fi);
        }
        let mut k = 0;
        self.flights.retain(|_| {
            let keep = !done.contains(&k);
            k += 1;
            keep
        });
    }

    fn resolve_flight(&mut self, fi: usize, outcome: Outcome) {
        let (id, site, track, target, missile) = {
            let f = &self.flights[fi];
            (f.id, f.site, f.track, f.target, f.missile.clone())
        };
        match outcome {
            Outcome::Intercept {
                miss_distance_m,
                point,
                time_of_flight_s,
            } => {
                let target = target.expect("an intercept has a target");
                let ti = target.0 as usize;
                if self.targets[ti].fate != Fate::Flying {
                    self.log(EventKind::InterceptorLost {
                        interceptor: id,
                        target: Some(target),
                        reason: LossReason::TargetDestroyed,
                    });
                } else {
                    let f = &self.flights[fi];
                    let at = Ecef(point).to_geodetic();
                    let ground_range_m = inverse(
                        f.launcher_position.lat_deg(),
                        f.launcher_position.lon_deg(),
                        at.lat_deg(),
                        at.lon_deg(),
                    )
                    .map_or(f64::NAN, |g| g.distance_m);
                    let pk = f.aero.kill_probability(miss_distance_m);
                    self.log(EventKind::Intercept {
                        interceptor: id,
                        missile,
                        target,
                        miss_distance_m,
                        ground_range_m,
                        altitude_m: at.alt_m,
                        time_of_flight_s,
                    });
                    // The kill draw is made for every intercept, so that the Kill stream stays
                    // aligned between paired runs whatever the miss distances.
                    let u: f64 = self.rng_kill.random();
                    if u < pk {
                        self.targets[ti].fate = Fate::Killed;
                        self.log(EventKind::Kill {
                            interceptor: id,
                            target,
                        });
                    } else {
                        self.log(EventKind::Miss {
                            interceptor: id,
                            target,
                            miss_distance_m,
                        });
                    }
                }
            }
            Outcome::Lost(reason) => self.log(EventKind::InterceptorLost {
                interceptor: id,
                target,
                reason,
            }),
        }
        let now = self.now;
        self.sites[site]
            .command_post
            .interceptor_finished(track, now);
    }

    fn check_leaks(&mut self) {
        for i in 0..self.targets.len() {
            if self.targets[i].fate != Fate::Flying {
                continue;
            }
            let state = self.targets[i].state_at(self.now, self.terrain.as_deref());
            // A friendly flies its route to the end (landing at a defended airfield is no leak).
            let hostile = self.targets[i].side == Side::Hostile;
            let reached = self
                .assets
                .iter()
                .find(|(_, p, r)| hostile && (state.position_ecef_m - p).norm() <= *r)
                .map(|(id, _, _)| *id);
            let reason = if reached.is_some() {
                LeakReason::ReachedAsset
            } else if state.finished {
                LeakReason::RouteEnd
            } else {
                continue;
            };
            self.targets[i].fate = Fate::Leaked;
            let (target, class) = (self.targets[i].id, self.targets[i].class.clone());
            self.log(EventKind::Leak {
                target,
                class,
                reason,
                asset: reached,
            });
        }
    }

    fn radar_dwells(&mut self) -> Result<(), EngineError> {
        let now = self.now;
        // Positions of all flying targets now, computed once for all radars.
        let flying: Vec<(usize, RouteState)> = self
            .targets
            .iter()
            .enumerate()
            .filter(|(_, t)| t.fate == Fate::Flying)
            .map(|(i, t)| (i, t.state_at(now, self.terrain.as_deref())))
            .collect();
        for si in 0..self.sites.len() {
            for ri in 0..self.sites[si].radars.len() {
                let due = Self::radar_dwell_time(
                    &self.sites[si].radars[ri],
                    self.sites[si].radars[ri].next_dwell,
                );
                if due > now {
                    continue;
                }
                let k = self.sites[si].radars[ri].next_dwell;
                self.sites[si].radars[ri].next_dwell += 1;
                self.dwell(si, ri, k, &flying)?;
            }
        }
        Ok(())
    }

    fn dwell(
        &mut self,
        si: usize,
        ri: usize,
        k: u64,
        flying: &[(usize, RouteState)],
    ) -> Result<(), EngineError> {
        let now = self.now;
        let mut plots: Vec<(Plot, Option<TargetId>, f64, f64)> = Vec::new();
        {
            let r = &self.sites[si].radars[ri];
            let antenna = r.radar.params.antenna.to_ecef().0;
            for (ti, state) in flying {
                let target = &self.targets[*ti];
                let ecef = Ecef(state.position_ecef_m);
                let velocity: [f64; 3] = state.velocity_ecef_mps.into();
                // The beam position first: it is the cheapest test.
                let az = r.radar.frame().to_enu(&ecef);
                if !r
                    .radar
                    .dwell_covers(k, iadsim_geo::enu_to_polar(&az).azimuth_rad)
                {
                    continue;
                }
                let Look::InCoverage(polar) = r.radar.look(&state.position, &ecef, &velocity)
                else {
                    continue;
                };
                let los = state.position_ecef_m - antenna;
                let range_rate = state.velocity_ecef_mps.dot(&los) / los.norm().max(1e-9);
                if let Some(plot) = r.radar.attempt(
                    now,
                    &polar,
                    range_rate,
                    target.rcs_m2,
                    target.swerling,
                    &mut self.rng_detection,
                    &mut self.rng_noise,
                ) {
                    plots.push((plot, Some(target.id), polar.range_m, state.position.alt_m));
                }
            }
            for plot in r.radar.false_alarms(now, k, &mut self.rng_clutter) {
                plots.push((plot, None, plot.measurement.range_m, f64::NAN));
            }
        }
        let sensor = self.sites[si].radars[ri].radar.params.id;
        let preset = self.sites[si].radars[ri].preset.clone();
        for (plot, target, range_m, alt_m) in &plots {
            let Some(target) = target else { continue };
            if self.tally.detected_by.insert((*target, sensor)) {
                self.log(EventKind::Detection {
                    sensor,
                    radar: preset.clone(),
                    target: *target,
                    range_m: *range_m,
                    target_altitude_m: *alt_m,
                    snr_db: 10.0 * plot.snr.log10(),
                });
            }
            let entry = self
                .tally
                .first_detection
                .entry(*target)
                .or_insert((*range_m, now));
            if entry.1 == now && *range_m > entry.0 {
                entry.0 = *range_m;
            }
        }
        let site_frame = &self.sites[si].frame;
        let measurements: Vec<Measurement> = plots
            .iter()
            .map(|(plot, _, _, _)| {
                let sensor_frame = plot_frame(plot);
                let c = converted_measurement(plot, &sensor_frame);
                let rot = site_frame.rotation_enu_to_ecef();
                // The plot as measured, for the IMM's polar measurement model: the sensor's
                // position and axes in the site frame.
                let polar = PolarView {
                    frame: SensorFrame {
                        origin_m: site_frame
                            .to_enu(&Ecef(Vector3::from(plot.sensor_ecef_m)))
                            .0,
                        enu_to_frame: rot.transpose() * sensor_frame.rotation_enu_to_ecef(),
                    },
                    z: Vector3::new(
                        plot.measurement.range_m,
                        plot.measurement.azimuth_rad,
                        plot.measurement.elevation_rad,
                    ),
                    r: nalgebra::Matrix3::from_diagonal(&Vector3::new(
                        plot.sigma.range_m.powi(2),
                        plot.sigma.azimuth_rad.powi(2),
                        plot.sigma.elevation_rad.powi(2),
                    )),
                };
                Measurement {
                    time: now,
                    sensor,
                    z_m: site_frame.to_enu(&Ecef(c.position_ecef_m)).0,
                    r_m2: rot.transpose() * c.covariance_m2 * rot,
                    polar: Some(polar),
                }
            })
            .collect();
        let site = &mut self.sites[si];
        let SiteState {
            radars,
            tracker,
            frame,
            ..
        } = site;
        let radar = &radars[ri].radar;
        let outcome = tracker
            .process_dwell(now, sensor, &measurements, |p| {
                radar.dwell_footprint_contains(k, &frame.to_ecef(&Enu(*p)))
            })
            .map_err(EngineError::Tracker)?;
        for (m, track) in outcome.associations.iter() {
            site.track_truth.insert(*track, plots[*m].1);
        }
        // Initiated tracks come from the unassociated plots, in increasing plot index.
        let associated: BTreeSet<usize> = outcome.associations.iter().map(|(m, _)| *m).collect();
        let unassociated = (0..plots.len()).filter(|m| !associated.contains(m));
        for (m, track) in unassociated.zip(outcome.initiated.iter()) {
            site.track_truth.insert(*track, plots[m].1);
        }
        let site_name = site.name.clone();
        let mut new_events = Vec::new();
        for track in &outcome.confirmed {
            let target = site.track_truth.get(track).copied().flatten();
            if let Some(t) = target {
                self.tally.tracked.insert(t);
            }
            // IFF: a friendly answers and is identified with probability `iff_p_correct`; a
            // hostile or a false track never answers. One draw per confirmed track keeps the
            // stream aligned between paired runs.
            let u: f64 = self.rng_iff.random();
            let friendly =
                target.is_some_and(|t| self.targets[t.0 as usize].side == Side::Friendly);
            let identity = if friendly && u < site.iff_p_correct {
                Identity::Friend
            } else {
                Identity::Unknown
            };
            site.identities.insert(*track, identity);
            new_events.push(EventKind::TrackConfirmed {
                site: site_name.clone(),
                track: *track,
                target,
            });
        }
        for track in &outcome.deleted {
            site.identities.remove(track);
            let target = site.track_truth.remove(track).flatten();
            new_events.push(EventKind::TrackDeleted {
                site: site_name.clone(),
                track: *track,
                target,
            });
        }
        for e in new_events {
            self.log(e);
        }
        Ok(())
    }

    fn c2_cycles(&mut self) {
        let now = self.now;
        for si in 0..self.sites.len() {
            if self.sites[si].next_c2 > now {
                continue;
            }
            let cycle = self.sites[si].c2_cycle;
            self.sites[si].next_c2 = now + cycle;
            let site = &self.sites[si];
            let reports: Vec<TrackReport> = site
                .tracker
                .reports()
                .iter()
                .filter_map(|r| site.tracker.predict_report(r.id, now))
                .map(|r| report_to_ecef(&site.frame, r))
                .collect();
            let SiteState {
                launchers,
                radars,
                command_post,
                identities,
                name: site_name,
                ..
            } = &mut self.sites[si];
            let envelope = SiteEnvelope {
                launchers,
                engagement_radars: radars
                    .iter()
                    .filter(|r| r.role == RadarRole::Engagement)
                    .map(|r| &r.radar)
                    .collect(),
                missiles: &self.scenario.missiles,
                flyout: &self.flyout,
                answers: Default::default(),
            };
            let outcome = command_post.plan(now, &reports, identities, &envelope);
            let site_name = site_name.clone();
            for decision in outcome.decisions {
                self.log(EventKind::Decision {
                    site: site_name.clone(),
                    decision,
                });
            }
            for order in outcome.orders {
                let site = &self.sites[si];
                let Some(launcher) = site.launchers.iter().find(|l| l.id == order.launcher) else {
                    continue;
                };
                let Some(report) = reports.iter().find(|r| r.id == order.track) else {
                    continue;
                };
                let Some(spec) = self.scenario.missiles.get(&order.missile) else {
                    continue;
                };
                let p = Vector3::from(report.position_ecef_m);
                let v = Vector3::from(report.velocity_ecef_mps);
                // Launch on the azimuth of the predicted intercept point.
                let aim = EnuFrame::new(launcher.position)
                    .to_enu(&Ecef(Vector3::from(order.solution.point_ecef_m)))
                    .0;
                let azimuth_rad = aim.x.atan2(aim.y);
                let aero = spec.aero();
                let Ok(body) = Airframe::launch(&aero, launcher.position_ecef, azimuth_rad) else {
                    continue;
                };
                let id = InterceptorId(self.next_interceptor);
                self.next_interceptor += 1;
                let target = site.track_truth.get(&order.track).copied().flatten();
                if let Some(t) = target {
                    self.tally.engaged.insert(t);
                }
                *self
                    .tally
                    .fired_by_type
                    .entry(order.missile.clone())
                    .or_insert(0) += 1;
                let flight = Flight {
                    id,
                    site: si,
                    missile: order.missile.clone(),
                    track: order.track,
                    target,
                    launcher_position: launcher.position,
                    body,
                    aero,
                    seeker_range_m: spec.seeker_range_m,
                    last_estimate: (p, v, now),
                };
                let event = EventKind::Launch {
                    site: site.name.clone(),
                    interceptor: id,
                    launcher: order.launcher,
                    missile: order.missile.clone(),
                    track: order.track,
                    target,
                    predicted_time_to_go_s: order.solution.time_to_go_s,
                    predicted_ground_range_m: order.solution.ground_range_m,
                    predicted_altitude_m: order.solution.altitude_m,
                    threat_score: order.threat.score,
                    threatened_asset: order.threat.asset,
                    planned_pk: order.solution.pk,
                };
                self.flights.push(flight);
                self.log(event);
            }
        }
    }
}

enum Outcome {
    Intercept {
        miss_distance_m: f64,
        point: Vector3<f64>,
        time_of_flight_s: f64,
    },
    Lost(LossReason),
}

/// The launch acceptability test C2 asks: flyout prediction plus the missile's published limits
/// and the engagement radar's coverage of the intercept point.
struct SiteEnvelope<'a> {
    launchers: &'a [LauncherState],
    engagement_radars: Vec<&'a Radar>,
    missiles: &'a BTreeMap<String, MissileSpec>,
    flyout: &'a BTreeMap<String, Arc<FlyoutTable>>,
    /// Answers already given in this cycle: a site's launchers share its position, so the same
    /// question comes once per launcher.
    answers: std::cell::RefCell<BTreeMap<EnvelopeKey, Result<InterceptSolution, NoShot>>>,
}

/// Missile, launcher position, track position and velocity (bit patterns).
type EnvelopeKey = (String, [u64; 3], [u64; 6]);

impl LaunchEnvelope for SiteEnvelope<'_> {
    fn intercept(
        &self,
        launcher: LauncherId,
        missile: &str,
        track: &TrackReport,
        class: ThreatClass,
    ) -> Result<InterceptSolution, NoShot> {
        let l = self
            .launchers
            .iter()
            .find(|l| l.id == launcher)
            .ok_or(NoShot::Unknown)?;
        let bits = |v: &[f64]| -> Vec<u64> { v.iter().map(|x| x.to_bits()).collect() };
        let state: Vec<u64> = bits(&track.position_ecef_m)
            .into_iter()
            .chain(bits(&track.velocity_ecef_mps))
            .collect();
        let key: EnvelopeKey = (
            format!("{missile}|{class:?}"),
            bits(l.position_ecef.as_slice())
                .try_into()
                .unwrap_or([0; 3]),
            state.try_into().unwrap_or([0; 6]),
        );
        if let Some(answer) = self.answers.borrow().get(&key) {
            return *answer;
        }
        let answer = self.answer(l, missile, track, class);
        self.answers.borrow_mut().insert(key, answer);
        answer
    }
}

impl SiteEnvelope<'_> {
    fn answer(
        &self,
        l: &LauncherState,
        missile: &str,
        track: &TrackReport,
        class: ThreatClass,
    ) -> Result<InterceptSolution, NoShot> {
        let spec = self.missiles.get(missile).ok_or(NoShot::Unknown)?;
        let table = self.flyout.get(missile).ok_or(NoShot::Unknown)?;
        let p = Vector3::from(track.position_ecef_m);
        let v = Vector3::from(track.velocity_ecef_mps);
        if v.norm() > spec.max_target_speed_mps {
            return Err(NoShot::TargetTooFast);
        }
        let pred =
            predict_intercept_3dof(table, &l.position_ecef, &p, &v).ok_or(NoShot::Unreachable)?;
        // Fire-control margin: the prediction assumes a constant-velocity target and the table's
        // reference flight; a shot at the very edge of the kinematic envelope (late in the flight
        // time, or arriving barely above the speed at which the missile is lost) is not taken.
        let aero = &table.aero;
        if pred.time_to_go_s > FIRE_CONTROL_TIME_MARGIN * aero.max_flight_time_s
            || pred.arrival_speed_mps < FIRE_CONTROL_SPEED_MARGIN * aero.min_speed_mps
        {
            return Err(NoShot::Unreachable);
        }
        let at = Ecef(pred.point_ecef_m).to_geodetic();
        if at.alt_m < spec.min_altitude_m || at.alt_m > spec.max_altitude_m {
            return Err(NoShot::OutsideAltitudeLimits);
        }
        let ground_range_m = inverse(
            l.position.lat_deg(),
            l.position.lon_deg(),
            at.lat_deg(),
            at.lon_deg(),
        )
        .map_err(|_| NoShot::Unreachable)?
        .distance_m;
        let ballistic = class == ThreatClass::Ballistic;
        let max_range_m = if ballistic {
            spec.max_range_ballistic_m
        } else {
            spec.max_range_m
        };
        if ground_range_m > max_range_m {
            return Err(NoShot::BeyondMaxRange);
        }
        if ground_range_m < spec.min_range_m {
            return Err(NoShot::InsideMinRange);
        }
        // An engagement radar must see the intercept point to guide the missile there.
        let guided = self.engagement_radars.iter().any(|r| {
            matches!(
                r.look(&at, &Ecef(pred.point_ecef_m), &track.velocity_ecef_mps),
                Look::InCoverage(_)
            ) && line_of_sight(r.params.terrain.as_deref(), &r.params.antenna, &at)
        });
        if !guided {
            return Err(NoShot::NotGuidable);
        }
        Ok(InterceptSolution {
            time_to_go_s: pred.time_to_go_s,
            ground_range_m,
            altitude_m: at.alt_m,
            point_ecef_m: pred.point_ecef_m.into(),
            pk: spec.pk,
        })
    }
}
