//! `iadsim`: the command-line interface of the integrated air-defence simulator.
use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use iadsim_engine::scenario::{Scenario, DEFAULT_SCENARIO, DEFAULT_SCENARIO_NAME};
use iadsim_engine::{output, run, RunOutput};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod report;

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
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
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
            let out: RunOutput = run(&scenario, seed, 0)?;
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
                println!("{}", serde_json::to_string_pretty(&out.summary)?);
            } else {
                print!("{}", report::summary_table(&out.summary));
                println!("\nRun directory: {}", dir.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { scenario } => {
            let Some(s) = load(Some(&scenario))? else {
                return Ok(ExitCode::FAILURE);
            };
            println!("{}: ok — {}", scenario.display(), report::scenario_line(&s));
            Ok(ExitCode::SUCCESS)
        }
        Command::Scenario {
            which: ScenarioCommand::Default,
        } => {
            print!("{DEFAULT_SCENARIO}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Geo { problem } => geo(problem),
    }
}

fn geo(problem: GeoCommand) -> Result<ExitCode> {
    match problem {
        GeoCommand::Inverse {
            lat1,
            lon1,
            lat2,
            lon2,
            json,
        } => {
            let g = iadsim_geo::inverse(lat1, lon1, lat2, lon2)?;
            if json {
                println!("{}", serde_json::to_string(&g)?);
            } else {
                println!(
                    "distance  {:.3} m ({:.3} km)",
                    g.distance_m,
                    g.distance_m / 1000.0
                );
                println!("azimuth 1 {:.9} deg", g.azi1_deg);
                println!("azimuth 2 {:.9} deg", g.azi2_deg);
            }
        }
        GeoCommand::Direct {
            lat,
            lon,
            azi_deg,
            dist_m,
            json,
        } => {
            let g = iadsim_geo::direct(lat, lon, azi_deg, dist_m)?;
            if json {
                println!("{}", serde_json::to_string(&g)?);
            } else {
                println!("latitude  {:.9} deg", g.lat_deg);
                println!("longitude {:.9} deg", g.lon_deg);
                println!("azimuth 2 {:.9} deg", g.azi2_deg);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
