//! Every measurement model of the crate, behind one trait, [`MeasurementModel`]: `z = h(x) + v`,
//! `v ~ N(0, R)`: Cartesian position, and a radar's range, azimuth, elevation (and range rate)
//! from a known position and orientation; [`PlotModel`] picks the one a tracker
//! [`Measurement`] is measured with.
//!
//! A measurement model knows the geometry; the noise covariance `R` travels with each
//! measurement ([`crate::state::MeasurementN`]), as the sensor reports it.
//!
//! Every model here reads position from components 0..3 and velocity from 3..6 of the state,
//! which all the layouts of [`crate::models`] share, so they work for any `N ≥ 6`.
use crate::state::{Measurement, MeasurementN};
use nalgebra::{Matrix3, RowVector3, SMatrix, SVector, Vector3};

pub use iadsim_core::angle::wrap_pi;

/// A measurement function `h: ℝᴺ → ℝᴹ` with its Jacobian and the arithmetic of its
/// measurement space (some components may be angles).
pub trait MeasurementModel<const N: usize, const M: usize> {
    /// `h(x)`, the noise-free measurement of state `x`.
    fn measure(&self, x: &SVector<f64, N>) -> SVector<f64, M>;

    /// `∂h/∂x` at `x`. May be non-finite where `h` is singular (the target at the sensor, or
    /// overhead for azimuth); the filters turn that into an error.
    fn jacobian(&self, x: &SVector<f64, N>) -> SMatrix<f64, M, N>;

    /// Components that are angles on a circle, to be wrapped into `[−π, π)` after subtraction.
    fn angular_components(&self) -> &'static [usize] {
        &[]
    }

    /// `a − b` in measurement space, angular components wrapped into `[−π, π)`.
    fn residual(&self, a: &SVector<f64, M>, b: &SVector<f64, M>) -> SVector<f64, M> {
        let mut d = a - b;
        for &i in self.angular_components() {
            d[i] = wrap_pi(d[i]);
        }
        d
    }
}

/// The Cartesian position `[x, y, z]` of the state, `H = [I₃ 0]`; linear. The model the tracker
/// uses implicitly for [`crate::Measurement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CartesianPosition;

impl<const N: usize> MeasurementModel<N, 3> for CartesianPosition {
    fn measure(&self, x: &SVector<f64, N>) -> SVector<f64, 3> {
        x.fixed_rows::<3>(0).into_owned()
    }
    fn jacobian(&self, _x: &SVector<f64, N>) -> SMatrix<f64, 3, N> {
        let mut h = SMatrix::<f64, 3, N>::zeros();
        h.fixed_view_mut::<3, 3>(0, 0).fill_with_identity();
        h
    }
}

/// Where a sensor is and how it is turned: its origin in the tracking frame and the rotation
/// that takes a vector from the sensor's local east–north–up frame into the tracking frame,
/// `v_frame = R v_enu` (so `v_enu = Rᵀ v_frame`). Building `R` from a geodetic position is the
/// caller's business (iadsim-geo); the track crate does not depend on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SensorFrame {
    /// Sensor position in the tracking frame, m.
    pub origin_m: Vector3<f64>,
    /// Rotation ENU → tracking frame (orthonormal, determinant +1).
    pub enu_to_frame: Matrix3<f64>,
}

impl SensorFrame {
    /// A sensor at `origin_m` whose ENU axes are the tracking frame's axes.
    pub fn aligned(origin_m: Vector3<f64>) -> Self {
        SensorFrame {
            origin_m,
            enu_to_frame: Matrix3::identity(),
        }
    }

    /// Range, azimuth, elevation of `p` (tracking frame, m), with `∂(r, az, el)/∂p`.
    ///
    /// Azimuth is clockwise from north, `atan2(e, n)` in `[−π, π]`; elevation is above the
    /// horizontal plane, `atan2(u, √(e² + n²))`. Source of the derivatives: direct
    /// differentiation; e.g. Bar-Shalom, Li & Kirubarajan 2001, §10.4 (polar measurements).
    fn rae_and_jacobian(&self, p: &Vector3<f64>) -> (Vector3<f64>, Matrix3<f64>) {
        let rt = self.enu_to_frame.transpose();
        let d = rt * (p - self.origin_m);
        let (e, n, u) = (d[0], d[1], d[2]);
        let rho2 = e * e + n * n;
        let rho = rho2.sqrt();
        let r2 = rho2 + u * u;
        let r = r2.sqrt();
        let z = Vector3::new(r, e.atan2(n), u.atan2(rho));
        // Rows: ∂/∂(e, n, u), then chained through d = Rᵀ (p − o).
        let j_enu = Matrix3::from_rows(&[
            RowVector3::new(e / r, n / r, u / r),
            RowVector3::new(n / rho2, -e / rho2, 0.0),
            RowVector3::new(-e * u / (r2 * rho), -n * u / (r2 * rho), rho / r2),
        ]);
        (z, j_enu * rt)
    }
}

/// Range (m), azimuth (rad), elevation (rad) of the target from a [`SensorFrame`]; azimuth
/// (component 1) is angular.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeAzimuthElevation {
    /// The sensor.
    pub frame: SensorFrame,
}

impl<const N: usize> MeasurementModel<N, 3> for RangeAzimuthElevation {
    fn measure(&self, x: &SVector<f64, N>) -> SVector<f64, 3> {
        self.frame
            .rae_and_jacobian(&x.fixed_rows::<3>(0).into_owned())
            .0
    }
    fn jacobian(&self, x: &SVector<f64, N>) -> SMatrix<f64, 3, N> {
        let (_, jp) = self
            .frame
            .rae_and_jacobian(&x.fixed_rows::<3>(0).into_owned());
        let mut h = SMatrix::<f64, 3, N>::zeros();
        h.fixed_view_mut::<3, 3>(0, 0).copy_from(&jp);
        h
    }
    fn angular_components(&self) -> &'static [usize] {
        &[1]
    }
}

/// Range (m), azimuth (rad), elevation (rad) and range rate (m/s, positive receding) of the
/// target from a stationary [`SensorFrame`]; azimuth (component 1) is angular.
///
/// `ṙ = (p − o)·v / r`, so `∂ṙ/∂p = (v − ṙ (p − o)/r)ᵀ / r` and `∂ṙ/∂v = (p − o)ᵀ / r`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeAzimuthElevationRate {
    /// The sensor.
    pub frame: SensorFrame,
}

impl<const N: usize> MeasurementModel<N, 4> for RangeAzimuthElevationRate {
    fn measure(&self, x: &SVector<f64, N>) -> SVector<f64, 4> {
        let p = x.fixed_rows::<3>(0).into_owned();
        let v = x.fixed_rows::<3>(3).into_owned();
        let (rae, _) = self.frame.rae_and_jacobian(&p);
        let d = p - self.frame.origin_m;
        SVector::<f64, 4>::new(rae[0], rae[1], rae[2], d.dot(&v) / rae[0])
    }
    fn jacobian(&self, x: &SVector<f64, N>) -> SMatrix<f64, 4, N> {
        let p = x.fixed_rows::<3>(0).into_owned();
        let v = x.fixed_rows::<3>(3).into_owned();
        let (rae, jp) = self.frame.rae_and_jacobian(&p);
        let d = p - self.frame.origin_m;
        let r = rae[0];
        let rdot = d.dot(&v) / r;
        let mut h = SMatrix::<f64, 4, N>::zeros();
        h.fixed_view_mut::<3, 3>(0, 0).copy_from(&jp);
        h.fixed_view_mut::<1, 3>(3, 0)
            .copy_from(&((v - d * (rdot / r)) / r).transpose());
        h.fixed_view_mut::<1, 3>(3, 3)
            .copy_from(&(d / r).transpose());
        h
    }
    fn angular_components(&self) -> &'static [usize] {
        &[1]
    }
}

/// The measurement model a tracker [`Measurement`] is measured with: the radar's own range,
/// azimuth and elevation when the plot carries its polar form ([`crate::PolarView`]), the
/// converted Cartesian position otherwise. The nonlinear estimators update with it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlotModel {
    /// [`CartesianPosition`], with the measurement's `z_m` and `r_m2`.
    Cartesian(CartesianPosition),
    /// [`RangeAzimuthElevation`], with the plot's polar value and noise.
    Polar(RangeAzimuthElevation),
}

impl PlotModel {
    /// The model and the value (in the model's space, with its noise) of `m`.
    pub fn of(m: &Measurement) -> (PlotModel, MeasurementN<3>) {
        let (model, z, r) = match m.polar {
            Some(p) => (
                PlotModel::Polar(RangeAzimuthElevation { frame: p.frame }),
                p.z,
                p.r,
            ),
            None => (PlotModel::Cartesian(CartesianPosition), m.z_m, m.r_m2),
        };
        let value = MeasurementN {
            time: m.time,
            sensor: m.sensor,
            z,
            r,
        };
        (model, value)
    }
}

impl<const N: usize> MeasurementModel<N, 3> for PlotModel {
    fn measure(&self, x: &SVector<f64, N>) -> SVector<f64, 3> {
        match self {
            PlotModel::Cartesian(h) => h.measure(x),
            PlotModel::Polar(h) => h.measure(x),
        }
    }
    fn jacobian(&self, x: &SVector<f64, N>) -> SMatrix<f64, 3, N> {
        match self {
            PlotModel::Cartesian(h) => h.jacobian(x),
            PlotModel::Polar(h) => h.jacobian(x),
        }
    }
    fn angular_components(&self) -> &'static [usize] {
        match self {
            PlotModel::Cartesian(h) => MeasurementModel::<N, 3>::angular_components(h),
            PlotModel::Polar(h) => MeasurementModel::<N, 3>::angular_components(h),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use std::f64::consts::PI;

    #[test]
    fn azimuth_is_clockwise_from_north_and_residuals_wrap() {
        let m = RangeAzimuthElevation {
            frame: SensorFrame::aligned(Vector3::zeros()),
        };
        let x = SVector::<f64, 6>::from([1000.0, 0.0, 1000.0, 0.0, 0.0, 0.0]);
        let z = m.measure(&x);
        assert_relative_eq!(z[1], PI / 2.0, epsilon = 1e-15);
        assert_relative_eq!(z[2], PI / 4.0, epsilon = 1e-15);
        let a = SVector::<f64, 3>::new(1.0, PI - 0.01, 0.0);
        let b = SVector::<f64, 3>::new(1.0, -PI + 0.01, 0.0);
        let d = <RangeAzimuthElevation as MeasurementModel<6, 3>>::residual(&m, &a, &b);
        assert_relative_eq!(d[1], -0.02, epsilon = 1e-12);
    }
}
