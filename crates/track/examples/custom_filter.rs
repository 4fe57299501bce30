//! Plugging your own per-track filter into the tracker.
//!
//! `AlphaBeta` below is an [`Estimator`] written outside the crate: the classic fixed-gain
//! α–β tracker (constant velocity; position corrected by `α ν`, velocity by `β ν / T`). Its
//! covariance, which the gate and the reports see, is carried forward by the crate's
//! [`ConstantVelocity`] model between plots and reset to a fixed steady-state value by each
//! update. The tracker runs it on every track in place of its Kalman filter; gating,
//! association and the life cycle are unchanged.
//!
//! Run with `cargo run -p iadsim-track --example custom_filter`.
use iadsim_core::{SensorId, SimTime};
use iadsim_track::{
    ConstantVelocity, Estimator, FilterError, GaussianState, Innovation, Measurement,
    StateCovariance, TrackError, Tracker, TrackerConfig,
};
use nalgebra::{Matrix3, Vector3};

/// Fixed-gain α–β filter for a scan period `period_s`.
struct AlphaBeta {
    model: ConstantVelocity,
    alpha: f64,
    beta: f64,
    period_s: f64,
    /// The covariance after an update: position and velocity standard deviations per axis.
    position_sigma_m: f64,
    velocity_sigma_mps: f64,
}

impl AlphaBeta {
    fn covariance(&self) -> StateCovariance {
        let (p, v) = (self.position_sigma_m, self.velocity_sigma_mps);
        StateCovariance::from_diagonal(&[p * p, p * p, p * p, v * v, v * v, v * v].into())
    }
}

impl Estimator for AlphaBeta {
    type State = GaussianState;

    fn predict(&self, state: &GaussianState, time: SimTime) -> Result<GaussianState, FilterError> {
        let (f, q) = self.model.transition((time - state.time).as_secs_f64());
        Ok(GaussianState {
            time,
            x: f * state.x,
            p: f * state.p * f.transpose() + q,
        })
    }

    fn innovation(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<Innovation, FilterError> {
        let nu = measurement.z_m - predicted.position();
        let s = predicted.p.fixed_view::<3, 3>(0, 0) + measurement.r_m2;
        let not_pd = FilterError::InnovationNotPositiveDefinite {
            time: measurement.time,
        };
        let chol = s.cholesky().ok_or(not_pd)?;
        let ln_det_s = 2.0 * chol.l().diagonal().iter().map(|d| d.ln()).sum::<f64>();
        Ok(Innovation {
            nu,
            s,
            mahalanobis2: nu.dot(&chol.solve(&nu)),
            ln_det_s,
        })
    }

    fn update(
        &self,
        predicted: &GaussianState,
        measurement: &Measurement,
    ) -> Result<GaussianState, FilterError> {
        let nu = measurement.z_m - predicted.position();
        let mut x = predicted.x;
        for i in 0..3 {
            x[i] += self.alpha * nu[i];
            x[i + 3] += self.beta / self.period_s * nu[i];
        }
        Ok(GaussianState {
            time: predicted.time,
            x,
            p: self.covariance(),
        })
    }

    fn gaussian(&self, state: &GaussianState) -> GaussianState {
        *state
    }

    fn initiate(&self, start: &GaussianState) -> GaussianState {
        *start
    }

    /// Soft association (JPDA) would want a moment match; this filter keeps the most likely
    /// component.
    fn mixture(&self, components: &[(GaussianState, f64)]) -> GaussianState {
        let heaviest = components.iter().max_by(|a, b| a.1.total_cmp(&b.1));
        heaviest.map_or(components[0].0, |c| c.0)
    }
}

fn main() -> Result<(), TrackError> {
    let period_s = 1.0;
    let filter = AlphaBeta {
        model: ConstantVelocity { q_m2ps3: 5.0 },
        alpha: 0.5,
        beta: 0.2,
        period_s,
        position_sigma_m: 40.0,
        velocity_sigma_mps: 30.0,
    };
    let mut tracker = Tracker::with_estimator(TrackerConfig::default(), filter)?;
    let radar = SensorId(3);
    // One target at 250 m/s heading north-east, climbing at 10 m/s; 25 m of deterministic
    // wobble stands in for measurement noise.
    let truth = |t: f64| Vector3::new(177.0 * t, 177.0 * t, 2_000.0 + 10.0 * t);
    for k in 0..20 {
        let t = period_s * f64::from(k);
        let time = SimTime::from_secs_f64(t);
        let wobble = Vector3::new((2.3 * t).sin(), (3.1 * t).cos(), (1.3 * t).sin()) * 25.0;
        let plot = Measurement {
            time,
            sensor: radar,
            z_m: truth(t) + wobble,
            r_m2: Matrix3::identity() * 25.0_f64.powi(2),
            polar: None,
        };
        tracker.process_scan(time, radar, &[plot])?;
    }
    let t_end = period_s * 19.0;
    for track in tracker.tracks() {
        let s = track.state();
        let error_m = (s.position() - truth(t_end)).norm();
        let v = s.velocity();
        println!(
            "{} ({:?}, {} hits): position error {error_m:.1} m, velocity ({:.1}, {:.1}, {:.1}) m/s",
            track.id(),
            track.status(),
            track.hits(),
            v[0],
            v[1],
            v[2]
        );
    }
    Ok(())
}
