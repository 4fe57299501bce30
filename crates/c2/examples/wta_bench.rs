//! Solves WTA instance files with one solver and prints one line per file:
//! `name lb ub gap seconds optimal`.
//!
//! `cargo run --release -p iadsim-c2 --example wta_bench -- <exact|greedy|local> <time_limit_s> FILE...`
use iadsim_c2::wta::{solve, WtaInstance, WtaSolver};
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err("usage: wta_bench <exact|greedy|local> <time_limit_s> FILE...".into());
    }
    let solver: WtaSolver = args[0].parse()?;
    let limit: f64 = args[1].parse()?;
    for file in &args[2..] {
        let path = Path::new(file);
        let inst = WtaInstance::from_path(path)?;
        let sol = solve(&inst, solver, limit);
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or(file);
        println!(
            "{name} {:.6} {:.6} {:.3e} {:.2} {}",
            sol.lower_bound,
            sol.objective,
            sol.gap(),
            sol.seconds,
            sol.optimal
        );
    }
    Ok(())
}
