//! # iadsim-sensors
//!
//! Radars that produce [`Plot`]s from truth, and nothing else: this crate sees target positions
//! (it is on the truth side of the firewall) and emits only what a radar would report.
//!
//! ## One dwell
//! 1. **Geometry** ([`Radar::look`]): the target must be inside the instrumented range, inside the
//!    azimuth sector, between the elevation limits, and above the 4/3-earth horizon from the
//!    antenna (`iadsim_geo::line_of_sight_4_3`). Otherwise the radar cannot see it at all.
//! 2. **Signal** ([`DetectionModel`]): the radar equation calibrated on the preset's reference
//!    point, `SNR = SNR_ref · (σ/σ_ref) · (R_ref/R)⁴`, where `SNR_ref` is the SNR at which a
//!    Swerling 1 target is detected with the reference Pd at the preset's Pfa.
//! 3. **Detection**: Swerling 1 (scan-to-scan Rayleigh fluctuation), single dwell, square-law
//!    detector: `Pd = Pfa^(1/(1+SNR))` (Skolnik, *Radar Handbook*, 3rd ed., eq. 2.31; Meyer &
//!    Mayer 1973). One uniform draw decides.
//! 4. **Measurement**: range, azimuth and elevation with Gaussian noise of the preset's σ.
//!
//! ## Scanning
//! A rotating radar looks at a target when its beam passes the target's azimuth: the rotation is
//! split into [`SECTORS_PER_ROTATION`] dwells, and dwell `k` looks at the azimuths
//! `[k, k+1)·360°/N`. A sector (phased-array) radar revisits its whole sector every `revisit_s`.
//!
//! ## Not modelled here (yet)
//! Other Swerling cases, pulse integration, false alarms, SNR-dependent accuracy, terrain masking,
//! Doppler notches and jamming. The horizon is the smooth 4/3-earth sphere.
#![deny(missing_docs)]

use iadsim_core::{Plot, PolarMeasurement, PolarSigma, SensorId, SimTime};
use iadsim_geo::{enu_to_polar, line_of_sight_4_3, Ecef, EnuFrame, Geodetic, Polar};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::{PI, TAU};

/// Dwells per rotation of a rotating radar (10° each).
pub const SECTORS_PER_ROTATION: u32 = 36;

/// Errors in radar parameters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SensorError {
    /// The reference point cannot calibrate a detector.
    #[error("reference Pd {pd} must lie in (Pfa = {pfa}, 1)")]
    UncalibratedReference {
        /// Reference probability of detection.
        pd: f64,
        /// False-alarm probability.
        pfa: f64,
    },
}

/// Swerling 1 single-dwell probability of detection: `Pd = Pfa^(1/(1+SNR))`.
pub fn swerling1_pd(snr: f64, pfa: f64) -> f64 {
    pfa.powf(1.0 / (1.0 + snr.max(0.0)))
}

/// The SNR at which a Swerling 1 target is detected with probability `pd` at `pfa`:
/// the inverse of [`swerling1_pd`], `SNR = ln Pfa / ln Pd − 1`.
pub fn swerling1_snr_for(pd: f64, pfa: f64) -> Result<f64, SensorError> {
    if !(pd > pfa && pd < 1.0 && pfa > 0.0) {
        return Err(SensorError::UncalibratedReference { pd, pfa });
    }
    Ok(pfa.ln() / pd.ln() - 1.0)
}

/// The radar equation calibrated on one reference point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DetectionModel {
    /// SNR at the reference point (linear).
    pub snr_ref: f64,
    /// Reference range, m.
    pub reference_range_m: f64,
    /// Reference RCS, m².
    pub reference_rcs_m2: f64,
    /// False-alarm probability.
    pub pfa: f64,
}

impl DetectionModel {
    /// Calibrates on "a target of `rcs_m2` is detected at `range_m` with `pd` at `pfa`".
    pub fn calibrate(range_m: f64, rcs_m2: f64, pd: f64, pfa: f64) -> Result<Self, SensorError> {
        Ok(DetectionModel {
            snr_ref: swerling1_snr_for(pd, pfa)?,
            reference_range_m: range_m,
            reference_rcs_m2: rcs_m2,
            pfa,
        })
    }

    /// Mean SNR (linear) of a target of `rcs_m2` at `range_m`.
    pub fn snr(&self, rcs_m2: f64, range_m: f64) -> f64 {
        self.snr_ref * (rcs_m2 / self.reference_rcs_m2) * (self.reference_range_m / range_m).powi(4)
    }

    /// Probability of detecting a Swerling 1 target of `rcs_m2` at `range_m`.
    pub fn pd(&self, rcs_m2: f64, range_m: f64) -> f64 {
        swerling1_pd(self.snr(rcs_m2, range_m), self.pfa)
    }

    /// Free-space range at which a Swerling 1 target of `rcs_m2` is detected with probability `pd`.
    pub fn range_for(&self, rcs_m2: f64, pd: f64) -> Result<f64, SensorError> {
        let snr = swerling1_snr_for(pd, self.pfa)?;
        Ok(self.reference_range_m
            * (self.snr_ref * rcs_m2 / (self.reference_rcs_m2 * snr)).powf(0.25))
    }
}

/// How a radar scans.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScanKind {
    /// Mechanically rotating, full circle, period `revisit_s`.
    Rotating,
    /// Electronically scanned sector, revisited every `revisit_s`.
    Sector,
}

/// Radar parameters in SI units (radians inside).
#[derive(Debug, Clone, PartialEq)]
pub struct RadarParams {
    /// Scenario-wide sensor id.
    pub id: SensorId,
    /// Antenna phase centre.
    pub antenna: Geodetic,
    /// Calibrated radar equation.
    pub detection: DetectionModel,
    /// No reports beyond this range, m.
    pub instrumented_range_m: f64,
    /// Rotation period or sector revisit, s.
    pub revisit_s: f64,
    /// Scan type.
    pub scan: ScanKind,
    /// Boresight azimuth, rad, clockwise from north.
    pub boresight_rad: f64,
    /// Half-width of the azimuth sector, rad (π for full circle).
    pub sector_half_width_rad: f64,
    /// Elevation limits, rad.
    pub min_elevation_rad: f64,
    /// Elevation limits, rad.
    pub max_elevation_rad: f64,
    /// Measurement noise (1σ).
    pub sigma: PolarSigma,
}

/// Why a radar cannot see a target, or where it sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Look {
    /// In coverage, at these true polar coordinates.
    InCoverage(Polar),
    /// Beyond the instrumented range.
    OutOfRange,
    /// Outside the azimuth sector.
    OutsideSector,
    /// Outside the elevation limits.
    OutsideElevation,
    /// Hidden by the earth (4/3-earth horizon).
    BelowHorizon,
}

/// A radar: parameters plus its local frame.
#[derive(Debug, Clone)]
pub struct Radar {
    /// Parameters.
    pub params: RadarParams,
    frame: EnuFrame,
    antenna_ecef: Ecef,
}

fn wrap_pi(a: f64) -> f64 {
    (a + PI).rem_euclid(TAU) - PI
}

impl Radar {
    /// Builds a radar (computes its ENU frame once).
    pub fn new(params: RadarParams) -> Radar {
        let frame = EnuFrame::new(params.antenna);
        let antenna_ecef = params.antenna.to_ecef();
        Radar {
            params,
            frame,
            antenna_ecef,
        }
    }

    /// The radar's local frame.
    pub fn frame(&self) -> &EnuFrame {
        &self.frame
    }

    /// Whether the target can be seen at all, and where.
    pub fn look(&self, target: &Geodetic, target_ecef: &Ecef) -> Look {
        let polar = enu_to_polar(&self.frame.to_enu(target_ecef));
        let p = &self.params;
        if polar.range_m > p.instrumented_range_m {
            return Look::OutOfRange;
        }
        if p.sector_half_width_rad < PI
            && wrap_pi(polar.azimuth_rad - p.boresight_rad).abs() > p.sector_half_width_rad
        {
            return Look::OutsideSector;
        }
        if polar.elevation_rad > p.max_elevation_rad {
            return Look::OutsideElevation;
        }
        if !line_of_sight_4_3(&p.antenna, target) {
            return Look::BelowHorizon;
        }
        // The elevation a radar measures is refracted; beyond the geometric horizontal it can be
        // slightly negative. The minimum-elevation limit applies to the geometric angle here.
        if polar.elevation_rad < p.min_elevation_rad {
            return Look::OutsideElevation;
        }
        Look::InCoverage(polar)
    }

    /// For a rotating radar, the azimuth interval `[lo, hi)` (rad) swept by dwell `k`.
    pub fn dwell_azimuths(&self, k: u64) -> (f64, f64) {
        let n = u64::from(SECTORS_PER_ROTATION);
        let width = TAU / f64::from(SECTORS_PER_ROTATION);
        let lo = (k % n) as f64 * width;
        (lo, lo + width)
    }

    /// Time between two dwells, s.
    pub fn dwell_interval_s(&self) -> f64 {
        match self.params.scan {
            ScanKind::Rotating => self.params.revisit_s / f64::from(SECTORS_PER_ROTATION),
            ScanKind::Sector => self.params.revisit_s,
        }
    }

    /// Whether dwell `k` illuminates azimuth `az` (rad).
    pub fn dwell_covers(&self, k: u64, azimuth_rad: f64) -> bool {
        match self.params.scan {
            ScanKind::Sector => true,
            ScanKind::Rotating => {
                let (lo, hi) = self.dwell_azimuths(k);
                azimuth_rad >= lo && azimuth_rad < hi
            }
        }
    }

    /// Whether dwell `k` looks at the point `p` (ECEF): inside the dwell's azimuth slice and inside
    /// the radar's coverage. Trackers use it to charge a miss only to tracks the radar looked at.
    pub fn dwell_footprint_contains(&self, k: u64, p: &Ecef) -> bool {
        match self.look(&p.to_geodetic(), p) {
            Look::InCoverage(polar) => self.dwell_covers(k, polar.azimuth_rad),
            _ => false,
        }
    }

    /// One detection attempt on a target in coverage at `polar` with `rcs_m2`. Draws the Swerling 1
    /// detection from `detection_rng` and the noise from `noise_rng`; `None` when not detected.
    pub fn attempt<R: Rng, N: Rng>(
        &self,
        time: SimTime,
        polar: &Polar,
        rcs_m2: f64,
        detection_rng: &mut R,
        noise_rng: &mut N,
    ) -> Option<Plot> {
        let snr = self.params.detection.snr(rcs_m2, polar.range_m);
        let pd = swerling1_pd(snr, self.params.detection.pfa);
        if detection_rng.random::<f64>() >= pd {
            return None;
        }
        let s = &self.params.sigma;
        let mut g = || -> f64 { StandardNormal.sample(noise_rng) };
        let range_m = (polar.range_m + s.range_m * g()).max(0.0);
        let azimuth_rad = (polar.azimuth_rad + s.azimuth_rad * g()).rem_euclid(TAU);
        let elevation_rad =
            (polar.elevation_rad + s.elevation_rad * g()).clamp(-PI / 2.0, PI / 2.0);
        Some(Plot {
            sensor: self.params.id,
            time,
            measurement: PolarMeasurement {
                range_m,
                azimuth_rad,
                elevation_rad,
            },
            sigma: *s,
            sensor_ecef_m: self.antenna_ecef.0.into(),
            sensor_lat_rad: self.params.antenna.lat_rad,
            sensor_lon_rad: self.params.antenna.lon_rad,
            snr,
        })
    }
}
