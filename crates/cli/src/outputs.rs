//! What the commands that compute for a while and write files share: a progress bar that shows
//! up only when the work is slow, the output folder, and writing figures.

use anyhow::{Context, Result};
use iadsim_engine::output::write_atomic;
use iadsim_plot::Image;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::Path;
use std::time::{Duration, Instant};

/// A progress bar on stderr that appears once the work has taken more than a second, so quick
/// commands print nothing but their result.
pub struct LateProgress {
    bar: ProgressBar,
    started: Instant,
    template: &'static str,
    message: String,
    shown: bool,
}

impl LateProgress {
    /// A hidden bar; `template` is indicatif's (e.g. `"{msg} [{bar:30}] {pos}/{len}"`).
    pub fn new(template: &'static str, message: impl Into<String>) -> LateProgress {
        LateProgress {
            bar: ProgressBar::hidden(),
            started: Instant::now(),
            template,
            message: message.into(),
            shown: false,
        }
    }

    /// Reports `done` of `total` steps.
    pub fn update(&mut self, done: usize, total: usize) {
        if !self.shown && self.started.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.set_style(
                ProgressStyle::with_template(self.template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            self.bar.set_message(self.message.clone());
            self.shown = true;
        }
        self.bar.set_length(total as u64);
        self.bar.set_position(done as u64);
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Creates the output folder `dir` (and its parents).
pub fn create_out_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

/// Encodes `image` as PNG and writes it atomically to `path`.
pub fn write_png(path: &Path, image: &Image) -> Result<()> {
    write_atomic(path, &image.to_png()?)?;
    Ok(())
}
