//! # iadsim-track
//!
//! A standalone multi-target tracker: it turns position measurements from any number of sensors
//! into numbered tracks with state estimates and a life cycle (tentative → confirmed → deleted).
//! It knows nothing about radars, truth or the rest of iadsim; a researcher can feed it
//! measurements directly.
//!
//! ## Roles
//! The [`Tracker`] is glue over small roles, after Stone Soup (`stonesoup/tracker/simple.py`):
//!
//! | role | trait | implementations | module |
//! |------|-------|-----------------|--------|
//! | motion model | [`TransitionModel`] | CV, CA, Singer, CT (known and estimated rate), CV in the turn state | [`models`] |
//! | measurement model | [`MeasurementModel`] | Cartesian position; range, azimuth, elevation (and rate) | [`measurement`] |
//! | per-track filter | [`Estimator`] | [`Kalman`] (6-D, CV by default), [`ModelFilter`] (any model under the EKF or UKF), [`ImmEstimator`] | [`filter`] |
//! | hypothesiser | [`Hypothesiser`] | [`EllipsoidalGate`] (χ² gate) | [`hypothesis`] |
//! | data associator | [`DataAssociator`] | [`GlobalNearestNeighbour`], [`Jpda`], [`Associator`] (the configured one) | [`association`], [`jpda`] |
//! | initiator, confirmer, deleter | [`Initiator`], [`Confirmer`], [`Deleter`] | [`TwoPointInitiator`], [`MOfN`], [`MissCountDeleter`] | [`lifecycle`] |
//!
//! The constant-velocity Kalman filter keeps a fast path that gives the same bits as the
//! general formulas: [`ConstantVelocity`] overrides [`TransitionModel::propagate_covariance`],
//! and [`KalmanUpdater`] factors the 3 × 3 innovation covariance once per track and scan
//! ([`filter::kalman`]). [`build_tracker`] turns a configuration file ([`TrackerFileConfig`])
//! into an [`AnyTracker`]: the concrete filter is chosen once, and each scan runs monomorphic
//! code.
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
//! [`Tracker::process_scan`] takes one sensor's scan (all measurements at one instant) and
//! walks the roles in order (`Tracker::process_checked` in `tracker.rs` is this list):
//! 1. **predict** every track to the scan time ([`Estimator::predict`]);
//! 2. **hypothesise** ([`Hypothesiser`]): for each track, its gated detections and one
//!    [`Hypothesis::Missed`]. The gate tests coarse boxes first (a grid of cells, or a sweep
//!    along x), then the ellipsoid `νᵀS⁻¹ν ≤ γ` with `γ` the χ²(3) quantile of
//!    `gate_probability` ([`chi2::chi2_3_quantile`]); `S` and its Cholesky factor are computed
//!    once per track ([`InnovationFactor`]) and reused for every plot near it;
//! 3. **associate** ([`DataAssociator`]): an [`Association`], one hypothesis per track and, for
//!    a soft associator, weights over all of them. GNN minimises `Σ d² + ln|S|`, clusters
//!    solved separately and exactly; JPDA weighs every joint event;
//! 4. **update** each detected track (the second plot of a track gives the two-point velocity
//!    start; under JPDA the update is the β-weighted mixture, [`Estimator::mixture`]) and count
//!    a **miss** for each undetected track *that this sensor has already contributed to* — the
//!    other tracks were not given a chance;
//! 5. **initiate** a tentative track from every measurement no track took ([`Initiator`]);
//! 6. **confirm** tentative tracks with `m` hits among their last `n` opportunities
//!    ([`Confirmer`]);
//! 7. **delete** tracks after too many consecutive misses or when the trace of the position
//!    covariance exceeds `max_position_variance_m2` ([`Deleter`]).
//!
//! Everything that can fail (a filter's numerical failure, JPDA rejecting its input) happens
//! in steps 1–4 before any track changes: on error the tracker is as it was. Errors are
//! [`TrackError`], with the cause chained as its `source()`.
//!
//! ## Plugging in your own role
//! * **A filter**: implement [`Estimator`] (its state type may be [`GaussianState`],
//!   [`GaussianStateN`] or [`filter::ImmState`]) and build the tracker with
//!   [`Tracker::with_estimator`]; or implement [`TransitionModel`] and run it under
//!   [`ModelFilter`] with the EKF or UKF. Example: `examples/custom_filter.rs` (an α–β filter).
//! * **An associator**: implement [`DataAssociator`] and swap it in with
//!   [`Tracker::with_associator`]. Example: `examples/custom_associator.rs` (greedy nearest
//!   neighbour).
//!
//! Run them with `cargo run -p iadsim-track --example custom_filter` (or `custom_associator`).
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
//! * **One filter per tracker.** Every track of a tracker runs the same [`Estimator`]. The
//!   linear Kalman filter ([`Kalman`]) updates with Cartesian positions only; the nonlinear
//!   ones ([`ModelFilter`], [`ImmEstimator`]) update with the radar's own polar plot when the
//!   measurement carries it ([`PolarView`]). The IMM's mode transition matrix applies per scan,
//!   whatever the interval.
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
pub use measurement::{MeasurementModel, PlotModel, SensorFrame};
pub use metrics::{gospa, ospa, ContinuityCounter, Gospa, MetricError};
pub use models::{ConstantVelocity, TransitionModel};
pub use state::{
    GaussianState, GaussianStateN, Measurement, MeasurementN, PolarView, StateCovariance,
    StateVector,
};
pub use track::{HitHistory, Projected, Track};
pub use tracker::{ScanOutcome, Tracker};
