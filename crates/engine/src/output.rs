//! The run directory, written atomically: each file goes to a temporary name in the same
//! directory and is renamed into place, so a reader never sees half a file and an interrupted run
//! leaves no truncated output.
use crate::{EngineError, EventLog, RunOutput};
use std::fs;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically (temporary file in the same directory, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
    let io = |source| EngineError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// Writes `scenario.toml`, `summary.json` and `events.jsonl` into `dir`.
pub fn write_run_dir(dir: &Path, out: &RunOutput) -> Result<(), EngineError> {
    let mut scenario = String::from(
        "# Resolved scenario: every preset value written out. `iadsim run` on this file repeats the run.\n",
    );
    scenario.push_str(&out.resolved_scenario);
    write_atomic(&dir.join("scenario.toml"), scenario.as_bytes())?;
    let mut summary = serde_json::to_string_pretty(&out.summary).unwrap_or_default();
    summary.push('\n');
    write_atomic(&dir.join("summary.json"), summary.as_bytes())?;
    let events = EventLog::to_jsonl(&out.events);
    write_atomic(&dir.join("events.jsonl"), events.as_bytes())
}
