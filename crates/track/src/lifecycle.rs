//! Track life cycle: [`Initiator`], [`Confirmer`] and [`Deleter`].
use crate::state::{GaussianState, Measurement, StateCovariance};
use crate::track::{HitHistory, Projected, Track};
use iadsim_core::TrackStatus;
use nalgebra::Matrix3;
use serde::{Deserialize, Serialize};

/// How a one-plot track takes its second plot (`[initiation] velocity_start`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VelocityStart {
    /// Two-point differencing, [`Initiator::second_point`]: the velocity prior is set aside and
    /// the velocity is `(z₂ − z₁)/Δt` (Bar-Shalom, Li & Kirubarajan 2001, §5.5). Nothing is
    /// assumed about the target's speed beyond the gate of the one-plot track.
    #[default]
    TwoPoint,
    /// An ordinary Kalman update of the one-plot track (position = first plot, velocity 0 with
    /// the `init_velocity_sigma_mps` prior) with the second plot: single-point initiation
    /// (Mallick & La Scala 2008), as Stone Soup's `MultiMeasurementInitiator` does. Slightly
    /// more accurate when the prior fits the targets' speeds, biased towards zero velocity when
    /// it does not.
    Update,
}

/// Starts tracks from measurements no track claimed.
pub trait Initiator {
    /// The state of a new track started by `measurement`.
    fn initiate(&self, measurement: &Measurement) -> GaussianState;

    /// A better state from the track's first plot and its second associated plot, or `None` to
    /// fall back on an ordinary update (for instance when the two plots are simultaneous).
    fn second_point(&self, first: &Measurement, second: &Measurement) -> Option<GaussianState>;
}

/// Single-point initiation with a diffuse velocity, then a two-point velocity start.
///
/// * First plot: position = measurement, position covariance = `R`; velocity 0 with covariance
///   `σ_v² I` (`σ_v` = `init_velocity_sigma_mps`), uncorrelated with position.
/// * Second plot (two-point differencing, Bar-Shalom, Li & Kirubarajan 2001, §5.5, initialisation):
///   `x = z₂`, `v = (z₂ − z₁)/Δt`, with `P_pp = R₂`, `P_pv = R₂/Δt`,
///   `P_vv = (R₁ + R₂)/Δt² + (q Δt / 3) I`. The last term is the variance, under CWNA, of the
///   difference between the mean velocity over `Δt` and the velocity at the second plot.
///
/// The two-point start is used only if its velocity variance (trace) is smaller than the diffuse
/// prior's; otherwise (plots too close in time) the track takes an ordinary Kalman update and
/// waits for a later plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoPointInitiator {
    /// Initial one-sigma velocity uncertainty per axis, m/s.
    pub init_velocity_sigma_mps: f64,
    /// Process-noise intensity of the motion model, m²/s³.
    pub q_m2ps3: f64,
}

impl Initiator for TwoPointInitiator {
    fn initiate(&self, m: &Measurement) -> GaussianState {
        let mut p = StateCovariance::zeros();
        p.fixed_view_mut::<3, 3>(0, 0).copy_from(&m.r_m2);
        let var_v = self.init_velocity_sigma_mps * self.init_velocity_sigma_mps;
        p.fixed_view_mut::<3, 3>(3, 3)
            .copy_from(&(Matrix3::identity() * var_v));
        let mut x = crate::state::StateVector::zeros();
        x.fixed_rows_mut::<3>(0).copy_from(&m.z_m);
        GaussianState {
            time: m.time,
            x,
            p: crate::state::symmetrise(&p),
        }
    }

    fn second_point(&self, first: &Measurement, second: &Measurement) -> Option<GaussianState> {
        let dt = (second.time - first.time).as_secs_f64();
        if dt <= 0.0 {
            return None;
        }
        let p_vv = (first.r_m2 + second.r_m2) / (dt * dt)
            + Matrix3::identity() * (self.q_m2ps3 * dt / 3.0);
        let prior_var_v = 3.0 * self.init_velocity_sigma_mps * self.init_velocity_sigma_mps;
        if p_vv.trace() >= prior_var_v {
            return None;
        }
        let mut p = StateCovariance::zeros();
        p.fixed_view_mut::<3, 3>(0, 0).copy_from(&second.r_m2);
        p.fixed_view_mut::<3, 3>(0, 3)
            .copy_from(&(second.r_m2 / dt));
        p.fixed_view_mut::<3, 3>(3, 0)
            .copy_from(&(second.r_m2.transpose() / dt));
        p.fixed_view_mut::<3, 3>(3, 3).copy_from(&p_vv);
        let mut x = crate::state::StateVector::zeros();
        x.fixed_rows_mut::<3>(0).copy_from(&second.z_m);
        x.fixed_rows_mut::<3>(3)
            .copy_from(&((second.z_m - first.z_m) / dt));
        Some(GaussianState {
            time: second.time,
            x,
            p: crate::state::symmetrise(&p),
        })
    }
}

/// Decides when a tentative track becomes confirmed.
pub trait Confirmer {
    /// Whether a track with this hit history should be confirmed.
    fn is_confirmed(&self, history: &HitHistory) -> bool;
}

/// M-of-N confirmation: at least `m` hits among the last `n` update opportunities (the
/// initiating plot counts as the first hit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MOfN {
    /// Hits required.
    pub m: u32,
    /// Window length, opportunities (≤ 64).
    pub n: u32,
}

impl Confirmer for MOfN {
    fn is_confirmed(&self, history: &HitHistory) -> bool {
        history.hits_in_last(self.n) >= self.m
    }
}

/// Decides when a track is dropped.
pub trait Deleter {
    /// Whether `track` should be deleted now (judged on its 6-D projection, whatever the
    /// estimator's state type `S`).
    fn should_delete<S: Projected>(&self, track: &Track<S>) -> bool;
}

/// Delete after too many consecutive misses (separate limits for tentative and confirmed
/// tracks) or when the position uncertainty has grown too large.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MissCountDeleter {
    /// Consecutive misses that delete a tentative track.
    pub max_misses_tentative: u32,
    /// Consecutive misses that delete a confirmed track.
    pub max_misses_confirmed: u32,
    /// Trace of the position covariance above which any track is deleted, m².
    pub max_position_variance_m2: f64,
    /// A tentative track without a plot for this long is deleted, s. This catches tentative
    /// tracks that no sensor looks at any more (their misses are never counted).
    pub max_coast_tentative_s: f64,
}

impl Deleter for MissCountDeleter {
    fn should_delete<S: Projected>(&self, track: &Track<S>) -> bool {
        let limit = match track.status() {
            TrackStatus::Tentative => self.max_misses_tentative,
            TrackStatus::Confirmed => self.max_misses_confirmed,
        };
        let var = track.state().position_variance_m2();
        // A NaN variance is as good as infinite: delete.
        let coast_s = (track.state().time - track.last_update()).as_secs_f64();
        let stale =
            track.status() == TrackStatus::Tentative && coast_s > self.max_coast_tentative_s;
        track.consecutive_misses() >= limit
            || stale
            || var.is_nan()
            || var > self.max_position_variance_m2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iadsim_core::{SensorId, SimTime};
    use nalgebra::Vector3;

    #[test]
    fn m_of_n_counts_only_the_window() {
        let mut h = HitHistory::default();
        for hit in [true, true, false, false, false] {
            h.push(hit);
        }
        assert!(!MOfN { m: 2, n: 3 }.is_confirmed(&h));
        assert!(MOfN { m: 2, n: 5 }.is_confirmed(&h));
    }

    #[test]
    fn two_point_start_differences_positions() {
        let init = TwoPointInitiator {
            init_velocity_sigma_mps: 400.0,
            q_m2ps3: 0.0,
        };
        let r = Matrix3::identity() * 100.0;
        let m1 = Measurement {
            time: SimTime::ZERO,
            sensor: SensorId(1),
            z_m: Vector3::new(0.0, 0.0, 0.0),
            r_m2: r,
            polar: None,
        };
        let m2 = Measurement {
            time: SimTime::from_secs_f64(2.0),
            sensor: SensorId(2),
            z_m: Vector3::new(100.0, -50.0, 0.0),
            r_m2: r,
            polar: None,
        };
        let s = init.second_point(&m1, &m2).unwrap();
        assert_eq!(s.velocity(), Vector3::new(50.0, -25.0, 0.0));
        assert_eq!(s.p[(3, 3)], 50.0); // (100 + 100) / 2²
        assert_eq!(s.p[(0, 3)], 50.0); // 100 / 2
        assert!(init.second_point(&m1, &m1).is_none());
    }
}
