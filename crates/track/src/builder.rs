//! From a [`TrackerFileConfig`] to a running tracker: [`build_tracker`] picks the concrete
//! [`Tracker`] type once, so that each scan dispatches on [`AnyTracker`] once and then runs
//! monomorphic code.
use crate::config::{FilterKind, MotionConfig, TrackerFileConfig};
use crate::filter::estimator::{ImmEstimator, ModelFilter};
use crate::filter::imm::{Imm, ImmMode};
use crate::filter::{ExtendedKalman, Filter, UnscentedKalman};
use crate::models::{ConstantAcceleration, ConstantVelocity7, CoordinatedTurn, Singer, TurnModel};
use crate::state::Measurement;
use crate::tracker::{ScanOutcome, Tracker};
use crate::TrackError;
use iadsim_core::{SensorId, SimTime, TrackId, TrackReport};
use nalgebra::{Matrix2, Vector2, Vector3};

/// The CV + CT IMM estimator on the 7-D turn state `[x, y, z, vx, vy, vz, ω]`.
pub type CvCtImm = ImmEstimator<7, 2, TurnModel, Filter>;

/// A tracker of any configured kind; each variant is a concrete, monomorphic [`Tracker`].
#[derive(Debug, Clone)]
pub enum AnyTracker {
    /// Constant velocity, linear Kalman filter (6-D).
    Cv(Tracker),
    /// Constant acceleration (9-D), EKF or UKF.
    Ca(Tracker<ModelFilter<9, ConstantAcceleration, Filter>>),
    /// Singer (9-D), EKF or UKF.
    Singer(Tracker<ModelFilter<9, Singer, Filter>>),
    /// Coordinated turn with estimated rate (7-D), EKF or UKF.
    Ct(Tracker<ModelFilter<7, CoordinatedTurn, Filter>>),
    /// CV + CT IMM (7-D), EKF or UKF in both modes.
    Imm(Tracker<CvCtImm>),
}

macro_rules! each {
    ($self:expr, $t:ident => $body:expr) => {
        match $self {
            AnyTracker::Cv($t) => $body,
            AnyTracker::Ca($t) => $body,
            AnyTracker::Singer($t) => $body,
            AnyTracker::Ct($t) => $body,
            AnyTracker::Imm($t) => $body,
        }
    };
}

impl AnyTracker {
    /// [`Tracker::process_scan`].
    pub fn process_scan(
        &mut self,
        time: SimTime,
        sensor: SensorId,
        measurements: &[Measurement],
    ) -> Result<ScanOutcome, TrackError> {
        each!(self, t => t.process_scan(time, sensor, measurements))
    }

    /// [`Tracker::process_dwell`].
    pub fn process_dwell(
        &mut self,
        time: SimTime,
        sensor: SensorId,
        measurements: &[Measurement],
        footprint: impl Fn(&Vector3<f64>) -> bool,
    ) -> Result<ScanOutcome, TrackError> {
        each!(self, t => t.process_dwell(time, sensor, measurements, footprint))
    }

    /// [`Tracker::reports`].
    pub fn reports(&self) -> Vec<TrackReport> {
        each!(self, t => t.reports())
    }

    /// [`Tracker::reports_into`].
    pub fn reports_into(&self, out: &mut Vec<TrackReport>) {
        each!(self, t => t.reports_into(out))
    }

    /// [`Tracker::predict_report`].
    pub fn predict_report(&self, id: TrackId, time: SimTime) -> Option<TrackReport> {
        each!(self, t => t.predict_report(id, time))
    }

    /// [`Tracker::config`].
    pub fn config(&self) -> &crate::TrackerConfig {
        each!(self, t => t.config())
    }
}

fn filter(kind: FilterKind) -> Filter {
    match kind {
        FilterKind::Kalman | FilterKind::Ekf => Filter::Extended(ExtendedKalman),
        FilterKind::Ukf { alpha, beta, kappa } => {
            Filter::Unscented(UnscentedKalman { alpha, beta, kappa })
        }
    }
}

/// The tracker a configuration file describes, validated (the error names the file's field).
pub fn build_tracker(file: &TrackerFileConfig) -> Result<AnyTracker, TrackError> {
    file.validate()?;
    let config = file.tracker_config();
    let f = filter(file.filter);
    Ok(match file.motion {
        MotionConfig::Cv { .. } => AnyTracker::Cv(Tracker::new(config)?),
        MotionConfig::Ca {
            q,
            init_acceleration_sigma_mps2,
        } => AnyTracker::Ca(Tracker::with_estimator(
            config,
            ModelFilter::new(
                ConstantAcceleration { q_m2ps5: q },
                f,
                init_acceleration_sigma_mps2,
            ),
        )?),
        MotionConfig::Singer {
            tau_s,
            sigma_a_mps2,
        } => AnyTracker::Singer(Tracker::with_estimator(
            config,
            ModelFilter::new(
                Singer {
                    tau_s,
                    sigma_mps2: sigma_a_mps2,
                },
                f,
                sigma_a_mps2,
            ),
        )?),
        MotionConfig::Ct {
            q,
            turn_rate_noise,
            init_turn_rate_sigma_radps,
        } => AnyTracker::Ct(Tracker::with_estimator(
            config,
            ModelFilter::new(
                CoordinatedTurn {
                    q_m2ps3: q,
                    q_omega_rad2ps3: turn_rate_noise,
                },
                f,
                init_turn_rate_sigma_radps,
            ),
        )?),
        MotionConfig::Imm {
            cv,
            ct,
            transition_diagonal: [a, b],
            initial_probabilities: [p, r],
            init_turn_rate_sigma_radps,
        } => {
            let bad = |field, value| TrackError::InvalidConfig {
                field,
                value,
                allowed: "a valid IMM probability".into(),
            };
            let imm = Imm::new(
                [
                    ImmMode {
                        model: TurnModel::Straight(ConstantVelocity7 {
                            q_m2ps3: cv.q,
                            omega_sigma_radps: cv.turn_rate_sigma_radps,
                        }),
                        filter: f,
                    },
                    ImmMode {
                        model: TurnModel::Turning(CoordinatedTurn {
                            q_m2ps3: ct.q,
                            q_omega_rad2ps3: ct.turn_rate_noise,
                        }),
                        filter: f,
                    },
                ],
                Matrix2::new(a, 1.0 - a, 1.0 - b, b),
            )
            .map_err(|_| bad("motion.transition_diagonal", a.min(b)))?;
            let est = ImmEstimator::new(imm, Vector2::new(p, r), init_turn_rate_sigma_radps)
                .map_err(|_| bad("motion.initial_probabilities", p + r))?;
            AnyTracker::Imm(Tracker::with_estimator(config, est)?)
        }
    })
}
