//! Gaussian state estimates and measurements: the tracker's 6-D [`GaussianState`] and Cartesian
//! [`Measurement`], and their `N`-D and `M`-D forms for the filters of [`crate::filter`].
use iadsim_core::{SensorId, SimTime};
use nalgebra::{Matrix3, Matrix6, SMatrix, SVector, Vector3, Vector6};
use serde::{Deserialize, Serialize};

/// State vector `[x, y, z, vx, vy, vz]`, common Cartesian frame (ECEF in iadsim), m and m/s.
pub type StateVector = Vector6<f64>;
/// Covariance of a [`StateVector`], m², m²/s, m²/s².
pub type StateCovariance = Matrix6<f64>;

/// A Gaussian estimate of a target's kinematic state at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GaussianState {
    /// Time of validity.
    pub time: SimTime,
    /// Mean, `[x, y, z, vx, vy, vz]`, m and m/s.
    pub x: StateVector,
    /// Covariance of the mean.
    pub p: StateCovariance,
}

impl GaussianState {
    /// Position part of the mean, m.
    pub fn position(&self) -> Vector3<f64> {
        self.x.fixed_rows::<3>(0).into_owned()
    }

    /// Velocity part of the mean, m/s.
    pub fn velocity(&self) -> Vector3<f64> {
        self.x.fixed_rows::<3>(3).into_owned()
    }

    /// Trace of the position block of the covariance, m².
    pub fn position_variance_m2(&self) -> f64 {
        self.p[(0, 0)] + self.p[(1, 1)] + self.p[(2, 2)]
    }
}

/// A position measurement in the tracker's common Cartesian frame.
///
/// The caller (in iadsim, the engine) converts each radar's polar plot to this frame, with its
/// covariance. It may also attach the plot as measured ([`PolarView`]): estimators with a
/// nonlinear filter (EKF, UKF, IMM) then update with the polar measurement model instead of the
/// converted position; the linear Kalman filter and the initiator use the converted position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// Time of the measurement. All measurements of one scan share the scan's time.
    pub time: SimTime,
    /// The sensor that produced it.
    pub sensor: SensorId,
    /// Measured position, m.
    pub z_m: Vector3<f64>,
    /// Covariance of the position error, m²; symmetric positive definite.
    pub r_m2: Matrix3<f64>,
    /// The same plot in the sensor's own polar coordinates, when available.
    #[serde(skip)]
    pub polar: Option<PolarView>,
}

/// A plot as the radar measured it: range, azimuth (clockwise from north), elevation in the
/// sensor's ENU frame, with its noise, and where that frame sits in the tracking frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PolarView {
    /// The sensor in the tracking frame.
    pub frame: crate::measurement::SensorFrame,
    /// `[range_m, azimuth_rad, elevation_rad]`.
    pub z: Vector3<f64>,
    /// Noise covariance of `z` (m², rad²).
    pub r: Matrix3<f64>,
}

/// A Gaussian estimate of an `N`-dimensional state at one instant. The layout is the motion
/// model's (see the table in [`crate::models`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GaussianStateN<const N: usize> {
    /// Time of validity.
    pub time: SimTime,
    /// Mean.
    pub x: SVector<f64, N>,
    /// Covariance of the mean.
    pub p: SMatrix<f64, N, N>,
}

impl From<GaussianState> for GaussianStateN<6> {
    fn from(s: GaussianState) -> Self {
        GaussianStateN {
            time: s.time,
            x: s.x,
            p: s.p,
        }
    }
}

impl From<GaussianStateN<6>> for GaussianState {
    fn from(s: GaussianStateN<6>) -> Self {
        GaussianState {
            time: s.time,
            x: s.x,
            p: s.p,
        }
    }
}

/// A measurement in a model's own space (`[r, az, el]` for a radar, say) with its noise
/// covariance. The geometry is in the [`crate::MeasurementModel`] it is used with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MeasurementN<const M: usize> {
    /// Time of the measurement.
    pub time: SimTime,
    /// The sensor that produced it.
    pub sensor: SensorId,
    /// Measured value, in the units of the measurement model (m, rad, m/s).
    pub z: SVector<f64, M>,
    /// Noise covariance `R`, symmetric positive definite.
    pub r: SMatrix<f64, M, M>,
}

/// Copy of `m` made exactly symmetric: `(m + mᵀ) / 2`. Rounding in `F P Fᵀ` and in the update
/// leaves asymmetries of a few ulps which, left alone, grow over thousands of cycles.
pub(crate) fn symmetrise<const N: usize>(
    m: &nalgebra::SMatrix<f64, N, N>,
) -> nalgebra::SMatrix<f64, N, N> {
    (m + m.transpose()) * 0.5
}
