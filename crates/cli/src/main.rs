//! `iadsim`: the command-line interface of the integrated air-defence simulator.
use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use iadsim_engine::scenario::{Presets, Scenario, DEFAULT_SCENARIO, DEFAULT_SCENARIO_NAME};
use iadsim_engine::{output, run_with, RunOptions, RunOutput};
use iadsim_sensors::detection::{self, Swerling};
use iadsim_sensors::DetectionModel;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `out!` to stdout that returns an error instead of panicking when stdout is closed
/// (`iadsim … | head`); `main` ends quietly on such an error.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*).map_err(anyhow::Error::from)?
    }};
}

/// `outln!` that returns an error instead of panicking when stdout is closed (see [`out!`]).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err(anyhow::Error::from)?
    }};
}

mod coverage_cmd;
mod envelope_cmd;
mod outputs;
mod report;
mod track_cmd;
mod wta_cmd;

/// iadsim — an open, transparent integrated air-defence simulator for analysis and education.
///
/// It models publicly documented, unclassified parameters, each with its source; it never talks
/// to real sensors, launchers or any hardware.
#[derive(Parser, Debug)]
#[command(name = "iadsim", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run one replication of a scenario (the built-in S-400 Baghdad scenario when none is given).
    Run(RunArgs),
    /// Check a scenario file and report every problem with file:line:column.
    Validate {
        /// Scenario file (TOML).
        scenario: PathBuf,
    },
    /// Print built-in scenarios.
    Scenario {
        #[command(subcommand)]
        which: ScenarioCommand,
    },
    /// Radar calculators: probability of detection and detection range.
    Radar {
        #[command(subcommand)]
        calc: RadarCommand,
    },
    /// Detection and engagement coverage of a scenario's sites: GeoJSON polygons and a PNG map.
    Coverage(coverage_cmd::CoverageArgs),
    /// Launch acceptability region of a missile preset against a straight-and-level target:
    /// max and min launch range and time of flight by altitude, by full 3-DOF engagements
    /// (table, CSV, JSON and a PNG plot).
    Envelope(envelope_cmd::EnvelopeArgs),
    /// Run the tracking library on your own measurements (CSV) with a tracker configuration (TOML).
    Track {
        /// Measurements: header `time_s,x_m,y_m` (or with `z_m`); rows with the same time are one scan.
        #[arg(long)]
        measurements: PathBuf,
        /// Tracker configuration (TOML: [motion], [measurement], [detection], [association], …).
        #[arg(long)]
        config: PathBuf,
        /// Confirmed tracks per scan: `time_s,track_id,x_m,y_m,vx_mps,vy_mps` (+ z columns in 3-D).
        #[arg(long)]
        out: PathBuf,
        /// Print where the time went (reading, parsing, tracking, output) and plots per second
        /// to stderr.
        #[arg(long)]
        timing: bool,
    },
    /// Score tracks against truth with GOSPA (α = 2) and track continuity.
    TrackEval {
        /// Truth: header `time_s,target_id,x_m,y_m` (or with `z_m`).
        #[arg(long)]
        truth: PathBuf,
        /// Tracks as written by `iadsim track`.
        #[arg(long)]
        tracks: PathBuf,
        /// GOSPA cut-off distance c, m.
        #[arg(long, default_value_t = 500.0)]
        c: f64,
        /// GOSPA order p.
        #[arg(long, default_value_t = 2.0)]
        p: f64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Static weapon-target assignment: minimise the expected surviving value.
    Wta {
        #[command(subcommand)]
        calc: WtaCommand,
    },
    /// Geodesic calculator on the WGS-84 ellipsoid (Karney's algorithms).
    Geo {
        #[command(subcommand)]
        problem: GeoCommand,
    },
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Scenario file (TOML); the built-in default when omitted.
    scenario: Option<PathBuf>,
    /// Master random seed (overrides the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Run directory to write (default: runs/<scenario file stem>-seed<N>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print the summary as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Print where the time went, stage by stage (wall time), to stderr.
    #[arg(long)]
    timing: bool,
}

#[derive(Subcommand, Debug)]
enum RadarCommand {
    /// Probability of detection of a Swerling target (exact, square-law detector).
    Pd {
        /// Mean single-pulse signal-to-noise ratio, dB.
        #[arg(long, allow_negative_numbers = true)]
        snr_db: f64,
        /// Probability of false alarm per cell.
        #[arg(long, default_value_t = 1e-6)]
        pfa: f64,
        /// Swerling case, 0 to 4.
        #[arg(long, default_value_t = 1)]
        swerling: u8,
        /// Pulses integrated non-coherently.
        #[arg(long, default_value_t = 1)]
        pulses: u32,
        /// Print JSON: {"pd"}.
        #[arg(long)]
        json: bool,
    },
    /// Free-space detection range of a radar preset against a target (and the horizon-limited
    /// range when both heights are given).
    Range {
        /// Radar preset (see presets/radars.toml).
        #[arg(long)]
        preset: String,
        /// Target RCS, m².
        #[arg(long)]
        rcs: f64,
        /// Required probability of detection (default: the preset's reference Pd).
        #[arg(long)]
        pd: Option<f64>,
        /// Probability of false alarm (default: the preset's).
        #[arg(long)]
        pfa: Option<f64>,
        /// Swerling case of the target (default: the preset's reference case).
        #[arg(long)]
        swerling: Option<u8>,
        /// Antenna height above the ellipsoid, m (with --target-altitude: horizon-limited range).
        #[arg(long, allow_negative_numbers = true)]
        altitude: Option<f64>,
        /// Target height above the ellipsoid, m.
        #[arg(long, allow_negative_numbers = true)]
        target_altitude: Option<f64>,
        /// Print JSON: {"range_m"[, "horizon_m", "limited_range_m"]}.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum WtaCommand {
    /// Solve an instance: JSON `{"values", "p", "units"}` or the Andersen, Pavlikov & Toffolo
    /// (2022) text format.
    Solve {
        /// Instance file (.json or .txt).
        instance: PathBuf,
        /// Solver: exact (proves optimality or reports the gap), greedy, or local.
        #[arg(long, default_value = "exact")]
        solver: String,
        /// Time limit, s.
        #[arg(long, default_value_t = 60.0)]
        time_limit: f64,
        /// Print JSON: {"assignment", "objective", "lower_bound", "optimal", "seconds"}.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum ScenarioCommand {
    /// Print the built-in default scenario (a starting point for your own).
    Default,
}

#[derive(Subcommand, Debug)]
enum GeoCommand {
    /// Distance and azimuths between two points.
    #[command(allow_negative_numbers = true)]
    Inverse {
        /// Latitude of point 1, deg.
        lat1: f64,
        /// Longitude of point 1, deg.
        lon1: f64,
        /// Latitude of point 2, deg.
        lat2: f64,
        /// Longitude of point 2, deg.
        lon2: f64,
        /// Print JSON: {"distance_m", "azi1_deg", "azi2_deg"}.
        #[arg(long)]
        json: bool,
    },
    /// The point reached from a start, an azimuth and a distance.
    #[command(allow_negative_numbers = true)]
    Direct {
        /// Latitude of the start, deg.
        lat: f64,
        /// Longitude of the start, deg.
        lon: f64,
        /// Azimuth at the start, deg clockwise from north.
        azi_deg: f64,
        /// Distance, m (negative goes backwards).
        dist_m: f64,
        /// Print JSON: {"lat_deg", "lon_deg", "azi2_deg"}.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        // The reader closed stdout (`iadsim … | head`): it has all it wanted.
        Err(e) if closed_stdout(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether `e` is a write to a closed pipe.
fn closed_stdout(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Loads a scenario; on validation errors prints every diagnostic and returns `None`.
fn load(path: Option<&Path>) -> Result<Option<Scenario>> {
    let (name, text) = match path {
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
        None => (
            DEFAULT_SCENARIO_NAME.to_string(),
            DEFAULT_SCENARIO.to_string(),
        ),
    };
    match Scenario::from_toml(&name, &text) {
        Ok(s) => Ok(Some(s)),
        Err(e) => {
            eprint!("{e}");
            Ok(None)
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Run(args) => {
            let Some(scenario) = load(args.scenario.as_deref())? else {
                return Ok(ExitCode::FAILURE);
            };
            let seed = args.seed.unwrap_or(scenario.seed);
            let options = RunOptions {
                timing: args.timing,
            };
            let out: RunOutput = run_with(&scenario, seed, 0, options, &mut [])?;
            if let Some(timing) = &out.timing {
                eprintln!("{timing}");
            }
            let dir = args.out.unwrap_or_else(|| {
                let stem = args
                    .scenario
                    .as_deref()
                    .and_then(|p| p.file_stem())
                    .map_or_else(
                        || "s400-baghdad".to_string(),
                        |s| s.to_string_lossy().into_owned(),
                    );
                PathBuf::from("runs").join(format!("{stem}-seed{seed}"))
            });
            output::write_run_dir(&dir, &out)?;
            if args.json {
                outln!("{}", serde_json::to_string_pretty(&out.summary)?);
            } else {
                out!("{}", report::summary_table(&out.summary));
                outln!("\nRun directory: {}", dir.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { scenario } => {
            let Some(s) = load(Some(&scenario))? else {
                return Ok(ExitCode::FAILURE);
            };
            outln!("{}: ok — {}", scenario.display(), report::scenario_line(&s));
            Ok(ExitCode::SUCCESS)
        }
        Command::Scenario {
            which: ScenarioCommand::Default,
        } => {
            out!("{DEFAULT_SCENARIO}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Geo { problem } => geo(problem),
        Command::Radar { calc } => radar(calc),
        Command::Wta {
            calc:
                WtaCommand::Solve {
                    instance,
                    solver,
                    time_limit,
                    json,
                },
        } => {
            if !(time_limit > 0.0 && time_limit.is_finite()) {
                anyhow::bail!("--time-limit {time_limit} must be a positive number of seconds");
            }
            wta_cmd::run(&instance, &solver, time_limit, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Track {
            measurements,
            config,
            out,
            timing,
        } => {
            let spent = track_cmd::run_track(&measurements, &config, &out)?;
            if timing {
                eprintln!("{}", spent.summary());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::TrackEval {
            truth,
            tracks,
            c,
            p,
            json,
        } => {
            track_cmd::run_eval(&truth, &tracks, c, p, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Envelope(args) => {
            envelope_cmd::run(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Coverage(args) => coverage_cmd::run(args),
    }
}

fn geo(problem: GeoCommand) -> Result<ExitCode> {
    // (JSON, text) of the answer; `--json` picks one.
    let (json, as_json, as_text) = match problem {
        GeoCommand::Inverse {
            lat1,
            lon1,
            lat2,
            lon2,
            json,
        } => {
            let g = iadsim_geo::inverse(lat1, lon1, lat2, lon2)?;
            let text = format!(
                "distance  {:.3} m ({:.3} km)\nazimuth 1 {:.9} deg\nazimuth 2 {:.9} deg",
                g.distance_m,
                g.distance_m / 1000.0,
                g.azi1_deg,
                g.azi2_deg
            );
            (json, serde_json::to_string(&g)?, text)
        }
        GeoCommand::Direct {
            lat,
            lon,
            azi_deg,
            dist_m,
            json,
        } => {
            let g = iadsim_geo::direct(lat, lon, azi_deg, dist_m)?;
            let text = format!(
                "latitude  {:.9} deg\nlongitude {:.9} deg\nazimuth 2 {:.9} deg",
                g.lat_deg, g.lon_deg, g.azi2_deg
            );
            (json, serde_json::to_string(&g)?, text)
        }
    };
    outln!("{}", if json { as_json } else { as_text });
    Ok(ExitCode::SUCCESS)
}

fn swerling(k: u8) -> Result<Swerling> {
    Swerling::try_from(k)
        .map_err(|_| anyhow::anyhow!("--swerling {k} is not a Swerling case (0, 1, 2, 3 or 4)"))
}

fn check_unit_interval(name: &str, v: f64) -> Result<()> {
    if v > 0.0 && v < 1.0 {
        Ok(())
    } else {
        anyhow::bail!("{name} {v} must lie strictly between 0 and 1")
    }
}

fn radar(calc: RadarCommand) -> Result<ExitCode> {
    match calc {
        RadarCommand::Pd {
            snr_db,
            pfa,
            swerling: k,
            pulses,
            json,
        } => {
            let snr = 10f64.powf(snr_db / 10.0);
            let pd = detection::pd(snr, pfa, pulses, swerling(k)?)?;
            if json {
                outln!("{}", serde_json::json!({ "pd": pd }));
            } else {
                outln!("Pd = {pd:.9}  (SNR {snr_db} dB per pulse, {pulses} pulse(s), Pfa {pfa:e}, Swerling {k})");
            }
        }
        RadarCommand::Range {
            preset,
            rcs,
            pd,
            pfa,
            swerling: k,
            altitude,
            target_altitude,
            json,
        } => {
            let presets = Presets::builtin();
            let Some(spec) = presets.radars.get(&preset) else {
                anyhow::bail!(
                    "unknown radar preset \"{preset}\"; one of: {}",
                    presets
                        .radars
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            };
            if !(rcs > 0.0 && rcs.is_finite()) {
                anyhow::bail!("--rcs {rcs} must be a positive number of m²");
            }
            let pd = pd.unwrap_or(spec.reference_pd);
            check_unit_interval("--pd", pd)?;
            let case = swerling(k.unwrap_or(spec.reference_swerling as u8))?;
            let mut model = DetectionModel::calibrate(
                spec.reference_range_m,
                spec.reference_rcs_m2,
                spec.reference_pd,
                spec.pfa,
                spec.pulses,
                swerling(spec.reference_swerling as u8)?,
            )?;
            if let Some(pfa) = pfa {
                check_unit_interval("--pfa", pfa)?;
                // The radar's sensitivity (reference SNR) is fixed; another threshold changes
                // the SNR needed.
                model.pfa = pfa;
            }
            let range_m = model.range_for(rcs, pd, case)?;
            let horizon = match (altitude, target_altitude) {
                (Some(a), Some(t)) => Some(iadsim_geo::radar_horizon_m(a, t)),
                (None, None) => None,
                _ => anyhow::bail!(
                    "give both --altitude and --target-altitude for the horizon-limited range"
                ),
            };
            if json {
                let mut v = serde_json::json!({ "range_m": range_m });
                if let Some(h) = horizon {
                    v["horizon_m"] = h.into();
                    v["limited_range_m"] = range_m.min(h).into();
                }
                outln!("{v}");
            } else {
                outln!(
                    "{preset}: free-space range {:.1} km for {rcs} m², Pd {pd}, Swerling {}",
                    range_m / 1e3,
                    u8::from(case)
                );
                if let Some(h) = horizon {
                    outln!(
                        "4/3-earth horizon {:.1} km; horizon-limited range {:.1} km",
                        h / 1e3,
                        range_m.min(h) / 1e3
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
