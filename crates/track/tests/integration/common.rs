//! Helpers shared by the test modules.
use iadsim_core::{SensorId, SimTime};
use iadsim_track::Measurement;
use nalgebra::{Matrix3, Vector3};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// A zero-mean Gaussian vector with covariance `l lᵀ`.
pub fn gaussian3(rng: &mut impl Rng, l: &Matrix3<f64>) -> Vector3<f64> {
    let w = Vector3::from_fn(|_, _| StandardNormal.sample(rng));
    l * w
}

/// A measurement of `truth` with isotropic noise `sigma_m`.
pub fn measure(
    rng: &mut impl Rng,
    time: SimTime,
    sensor: SensorId,
    truth: Vector3<f64>,
    sigma_m: f64,
) -> Measurement {
    let l = Matrix3::identity() * sigma_m;
    Measurement {
        time,
        sensor,
        z_m: truth + gaussian3(rng, &l),
        r_m2: l * l.transpose(),
        polar: None,
    }
}

/// The χ²(k) quantile at standard-normal quantile `z`, Wilson & Hilferty (1931) approximation;
/// relative error well below 1e-3 for k in the hundreds, which is all the NEES bounds need.
pub fn chi2_quantile_wilson_hilferty(k: f64, z: f64) -> f64 {
    let h = 2.0 / (9.0 * k);
    k * (1.0 - h + z * h.sqrt()).powi(3)
}
