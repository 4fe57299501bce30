//! # iadsim-track
//!
//! A standalone multi-target tracker: it turns position measurements from any number of sensors
//! into numbered tracks with state estimates and a life cycle (tentative → confirmed → deleted).
//! It knows nothing about radars, truth or the rest of iadsim; a researcher can feed it
//! measurements directly.
//!
//! ## Shape
//! The tracker is glue over small roles, after Stone Soup: an [`Estimator`] (by default a
//! [`MotionModel`] inside a [`Predictor`] and an [`Updater`], Kalman, Joseph form; see
//! [`estimator`] for CA, Singer, CT and the IMM), a [`Hypothesiser`] (chi-square gate), a
//! [`DataAssociator`] (global nearest neighbour on an exact assignment solver, [`assignment`]),
//! an [`Initiator`] (two-point start), a [`Confirmer`] (M-of-N) and a [`Deleter`] (consecutive
//! misses, uncertainty). A missed detection is an explicit [`Hypothesis::Missed`].
//!
//! ## One scan
//! ```
//! use iadsim_core::{SensorId, SimTime};
//! use iadsim_track::{Measurement, Tracker, TrackerConfig};
//! use nalgebra::{Matrix3, Vector3};
//!
//! let mut tracker = Tracker::new(TrackerConfig::default())?;
//! let radar = SensorId(7);
//! for k in 0..4 {
//!     let time = SimTime::from_secs_f64(2.0 * k as f64);
//!     // A target at 250 m/s along x; the caller has already converted the plot to the common
//!     // Cartesian frame with its covariance.
//!     let plot = Measurement {
//!         time,
//!         sensor: radar,
//!         z_m: Vector3::new(10_000.0 + 500.0 * k as f64, 0.0, 3_000.0),
//!         r_m2: Matrix3::identity() * 50.0_f64.powi(2),
//!         polar: None,
//!     };
//!     let outcome = tracker.process_scan(time, radar, &[plot])?;
//!     if k == 0 { assert_eq!(outcome.initiated.len(), 1) }
//!     if k == 1 { assert_eq!(outcome.confirmed.len(), 1) } // 2 of 3 with the defaults
//! }
//! let report = &tracker.reports()[0];
//! assert!((report.velocity_ecef_mps[0] - 250.0).abs() < 1.0);
//! # Ok::<(), iadsim_track::TrackError>(())
//! ```
//! [`Tracker::process_scan`] takes one sensor's scan (all measurements at one instant) and:
//! 1. **predicts** every track to the scan time;
//! 2. **gates**: coarse tests (a grid of cells, or a sweep along x), then the ellipsoid
//!    `νᵀS⁻¹ν ≤ γ` with `γ` the χ²(3) quantile of `gate_probability`
//!    ([`chi2::chi2_3_quantile`]); `S` and its Cholesky factor are computed once per track
//!    ([`InnovationFactor`]) and reused for every plot near it;
//! 3. **associates** with global nearest neighbour, cost `d² + ln|S|`, clusters solved
//!    separately and exactly;
//! 4. **updates** each detected track (the second plot of a track gives the two-point velocity
//!    start) and counts a **miss** for each undetected track *that this sensor has already
//!    contributed to* — the other tracks were not given a chance;
//! 5. **initiates** a tentative track from every unused measurement;
//! 6. **confirms** tentative tracks with `m` hits among their last `n` opportunities;
//! 7. **deletes** tracks after too many consecutive misses or when the trace of the position
//!    covariance exceeds `max_position_variance_m2`.
//!
//! ## What it does not guarantee
//! * **A simple clutter model.** Under GNN every unassociated measurement starts a tentative
//!   track and false alarms are filtered only by M-of-N. Under JPDA
//!   ([`AssociationMethod::Jpda`], [`jpda`]) the clutter density weighs each association, and only
//!   measurements more likely clutter than a track's start tracks.
//! * **Hard or soft decisions, no MHT.** GNN commits to one association per scan; crossing targets
//!   closer than their gates can swap. JPDA shares measurements between tracks (exact enumeration
//!   for small clusters, belief propagation for large ones); multiple-hypothesis tracking is not
//!   implemented.
//! * **Any filter, one per tracker.** The per-track filter is an [`Estimator`] with its own
//!   state type: the 6-D Kalman CV filter ([`Kalman`], the default), any [`TransitionModel`]
//!   under the EKF or UKF ([`ModelFilter`]: CA, Singer, CT) or the CV + CT IMM
//!   ([`ImmEstimator`]); [`build_tracker`] picks one from a [`TrackerFileConfig`]. Every track of
//!   a tracker runs the same estimator, with Cartesian position measurements only (convert polar
//!   plots before). The IMM's mode transition matrix applies per scan, whatever the interval.
//! * **Scans in time order.** A scan earlier than the previous one is rejected
//!   ([`TrackError::ScanOutOfSequence`]); out-of-sequence measurements are not handled.
//! * **Unbiased, correctly described sensors.** Registration errors between sensors are not
//!   estimated; a covariance that understates the noise makes the gate reject the target.
//! * **Deterministic, not order-free.** Given the same calls in the same order the output is
//!   bit-identical; processing two simultaneous scans in the other order can give different
//!   (equally valid) results.
#![deny(missing_docs)]

pub mod assignment;
pub mod association;
pub mod builder;
pub mod chi2;
pub mod config;
mod error;
pub mod filter;
pub mod hypothesis;
pub mod jpda;
pub mod lifecycle;
pub mod measurement;
pub mod metrics;
pub mod models;
pub mod state;
pub mod track;
pub mod tracker;

/// The measurement models under their former module name (`iadsim_track::polar::SensorFrame`
/// and the like keep working); see [`measurement`].
pub mod polar {
    pub use crate::measurement::{
        wrap_pi, CartesianPosition, MeasurementModel, RangeAzimuthElevation,
        RangeAzimuthElevationRate, SensorFrame,
    };
}

pub use association::{
    Association, AssociationError, Associator, DataAssociator, GlobalNearestNeighbour,
};
pub use builder::{build_tracker, AnyTracker, CvCtImm};
pub use config::{AssociationMethod, FilterKind, MotionConfig, TrackerConfig, TrackerFileConfig};
pub use error::TrackError;
pub use filter::{
    Estimator, ExtendedKalman, FilterError, GaussianFilter, Imm, ImmEstimator, ImmMode, ImmState,
    Innovation, InnovationFactor, Kalman, KalmanPredictor, KalmanUpdater, ModelFilter,
    NotPositiveDefinite, Predictor, UnscentedKalman, Updater,
};
pub use hypothesis::{EllipsoidalGate, Hypothesis, Hypothesiser};
pub use jpda::{Jpda, JpdaConfig, JpdaError, Marginals};
pub use lifecycle::{
    Confirmer, Deleter, Initiator, MOfN, MissCountDeleter, TwoPointInitiator, VelocityStart,
};
pub use measurement::{MeasurementModel, SensorFrame};
pub use metrics::{gospa, ospa, ContinuityCounter, Gospa, MetricError};
pub use models::{ConstantVelocity, TransitionModel};
pub use state::{
    GaussianState, GaussianStateN, Measurement, MeasurementN, PolarView, StateCovariance,
    StateVector,
};
pub use track::{HitHistory, Projected, Track};
pub use tracker::{ScanOutcome, Tracker};
