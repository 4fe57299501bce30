//! # iadsim-models
//!
//! Filter-grade measurement models shared by the sensors (to simulate plots) and the tracker side
//! (to use them): the polar measurement of a radar in its local East-North-Up frame, its Jacobian,
//! and the *converted measurement* — a plot expressed as an ECEF position with a covariance.
//!
//! One tick: a radar measures `(r, az, el)` with noise σ = (σ_r, σ_az, σ_el) in its ENU frame
//! ([`iadsim_core::Plot`]); [`converted_measurement`] turns it into `z` (ECEF, m) and
//! `R = C·J·diag(σ²)·Jᵀ·Cᵀ`, where `J = ∂(e,n,u)/∂(r,az,el)` at the measured point and `C` rotates
//! ENU into ECEF. A linear Kalman filter in ECEF can then fuse plots from any number of radars.
//!
//! What it does not guarantee: the conversion is linearised. Its bias grows with
//! `r·σ_az²` (Bar-Shalom, Willett & Tian, *Tracking and Data Fusion*, 2011, §9.3); it stays far below
//! the noise for cross-range errors under a few percent of range, which holds for the angular
//! accuracies of the radars modelled here.
#![deny(missing_docs)]

use iadsim_core::Plot;
use iadsim_geo::{polar_to_enu, Ecef, EnuFrame, Polar};
use nalgebra::{Matrix3, Vector3};

/// A plot as a position and covariance in ECEF.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConvertedMeasurement {
    /// Measured position, ECEF, m.
    pub position_ecef_m: Vector3<f64>,
    /// Its covariance, ECEF, m².
    pub covariance_m2: Matrix3<f64>,
}

/// `∂(e, n, u)/∂(r, az, el)` for azimuth clockwise from north.
#[allow(non_snake_case)]
pub fn polar_jacobian(p: &Polar) -> Matrix3<f64> {
    let (r, a, e) = (p.range_m, p.azimuth_rad, p.elevation_rad);
    let (sa, ca) = a.sin_cos();
    let (se, ce) = e.sin_cos();
    Matrix3::new(
        ce * sa,
        r * ce * ca,
        -r * se * sa,
        ce * ca,
        -r * ce * sa,
        -r * se * ca,
        se,
        0.0,
        r * ce,
    )
}

/// The ENU frame a plot was measured in.
pub fn plot_frame(plot: &Plot) -> EnuFrame {
    let antenna = Ecef(Vector3::from(plot.sensor_ecef_m)).to_geodetic();
    EnuFrame::new(antenna)
}

/// Converts a plot to an ECEF position with covariance (see the crate documentation).
pub fn converted_measurement(plot: &Plot, frame: &EnuFrame) -> ConvertedMeasurement {
    let polar = Polar {
        range_m: plot.measurement.range_m,
        azimuth_rad: plot.measurement.azimuth_rad,
        elevation_rad: plot.measurement.elevation_rad,
    };
    let enu = polar_to_enu(&polar);
    let j = polar_jacobian(&polar);
    let s = Matrix3::from_diagonal(&Vector3::new(
        plot.sigma.range_m.powi(2),
        plot.sigma.azimuth_rad.powi(2),
        plot.sigma.elevation_rad.powi(2),
    ));
    let c = frame.rotation_enu_to_ecef();
    let cov = c * j * s * j.transpose() * c.transpose();
    ConvertedMeasurement {
        position_ecef_m: frame.to_ecef(&enu).0,
        covariance_m2: 0.5 * (cov + cov.transpose()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iadsim_core::{PolarMeasurement, PolarSigma, SensorId, SimTime};
    use iadsim_geo::{enu_to_polar, Enu, Geodetic};

    #[test]
    fn jacobian_matches_central_differences() {
        let p = Polar {
            range_m: 120_000.0,
            azimuth_rad: 4.1,
            elevation_rad: 0.07,
        };
        let j = polar_jacobian(&p);
        let h = [1e-3, 1e-8, 1e-8];
        for k in 0..3 {
            let mut lo = [p.range_m, p.azimuth_rad, p.elevation_rad];
            let mut hi = lo;
            lo[k] -= h[k];
            hi[k] += h[k];
            let f = |x: [f64; 3]| {
                polar_to_enu(&Polar {
                    range_m: x[0],
                    azimuth_rad: x[1],
                    elevation_rad: x[2],
                })
                .0
            };
            let fd = (f(hi) - f(lo)) / (2.0 * h[k]);
            // Central differences are exact to O(h²); 1e-5 relative covers rounding at 120 km.
            assert!(
                (fd - j.column(k)).norm() <= 1e-5 * fd.norm().max(1.0),
                "column {k}"
            );
        }
    }

    #[test]
    fn converted_measurement_returns_the_point_and_a_psd_covariance() {
        let antenna = Geodetic::from_degrees(33.3, 44.1, 65.0);
        let frame = EnuFrame::new(antenna);
        let target = Enu(Vector3::new(-80_000.0, 10_000.0, 3_000.0));
        let polar = enu_to_polar(&target);
        let plot = Plot {
            sensor: SensorId(0),
            time: SimTime::ZERO,
            measurement: PolarMeasurement {
                range_m: polar.range_m,
                azimuth_rad: polar.azimuth_rad,
                elevation_rad: polar.elevation_rad,
                range_rate_mps: None,
            },
            sigma: PolarSigma {
                range_m: 50.0,
                azimuth_rad: 0.005,
                elevation_rad: 0.005,
                range_rate_mps: 0.0,
            },
            sensor_ecef_m: antenna.to_ecef().0.into(),
            sensor_lat_rad: antenna.lat_rad,
            sensor_lon_rad: antenna.lon_rad,
            snr: 100.0,
        };
        let m = converted_measurement(&plot, &plot_frame(&plot));
        assert!((m.position_ecef_m - frame.to_ecef(&target).0).norm() < 1e-3);
        let eig = m.covariance_m2.symmetric_eigen().eigenvalues;
        assert!(eig.iter().all(|&l| l > 0.0));
        // The largest axis is cross-range: r·σ_az ≈ 81 km · 5 mrad ≈ 405 m.
        let max_sigma = eig.max().sqrt();
        assert!((max_sigma - 81_000.0 * 0.005).abs() < 10.0, "{max_sigma}");
    }
}
