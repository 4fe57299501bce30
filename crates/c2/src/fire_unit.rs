//! Fire units: a launcher as C2 knows it (rounds, launch interval, reloads).
use crate::decision::Decision;
use iadsim_core::{LauncherId, SimDuration, SimTime};
use serde::Serialize;
use std::collections::BTreeMap;

/// A launcher as C2 knows it: what it holds and when it can fire again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FireUnit {
    /// Launcher.
    pub launcher: LauncherId,
    /// Rounds left, by missile type.
    pub rounds: BTreeMap<String, u32>,
    /// Minimum time between two launches, s.
    pub min_launch_interval_s: f64,
    /// Last launch.
    pub last_launch: Option<SimTime>,
    /// The load it is reloaded to, by missile type.
    pub full_load: BTreeMap<String, u32>,
    /// Time to reload once empty, s.
    pub reload_time_s: f64,
    /// When an ongoing reload completes, and with what.
    pub reloading: Option<(SimTime, BTreeMap<String, u32>)>,
}

impl FireUnit {
    /// A loaded launcher that has not fired yet.
    pub fn new(
        launcher: LauncherId,
        load: BTreeMap<String, u32>,
        min_launch_interval_s: f64,
        reload_time_s: f64,
    ) -> FireUnit {
        FireUnit {
            launcher,
            rounds: load.clone(),
            min_launch_interval_s,
            last_launch: None,
            full_load: load,
            reload_time_s,
            reloading: None,
        }
    }

    /// Whether it can fire now: not reloading, a round left, the launch interval over.
    pub(crate) fn ready(&self, now: SimTime) -> bool {
        self.reloading.is_none()
            && self.rounds.values().any(|&n| n > 0)
            && self
                .last_launch
                .is_none_or(|t| now - t >= SimDuration::from_secs_f64(self.min_launch_interval_s))
    }

    /// Reload bookkeeping at `now`: an ongoing reload that is due completes; an empty launcher
    /// starts reloading from `stock` (up to its full load, as far as the stock goes). Returns
    /// the decision to log, if any.
    pub(crate) fn reload(
        &mut self,
        now: SimTime,
        stock: &mut BTreeMap<String, u32>,
    ) -> Option<Decision> {
        if let Some((until, load)) = &self.reloading {
            if *until > now {
                return None;
            }
            self.rounds = load.clone();
            self.reloading = None;
            return Some(Decision::ReloadComplete {
                launcher: self.launcher,
            });
        }
        if self.rounds.values().any(|&n| n > 0) {
            return None;
        }
        let mut load = BTreeMap::new();
        for (m, &want) in &self.full_load {
            let have = stock.get(m).copied().unwrap_or(0);
            let n = want.min(have);
            if n > 0 {
                load.insert(m.clone(), n);
                stock.insert(m.clone(), have - n);
            }
        }
        if load.is_empty() {
            return None;
        }
        let until = now + SimDuration::from_secs_f64(self.reload_time_s);
        self.reloading = Some((until, load.clone()));
        Some(Decision::ReloadStarted {
            launcher: self.launcher,
            complete_at_s: until.as_secs_f64(),
            rounds: load,
        })
    }
}
