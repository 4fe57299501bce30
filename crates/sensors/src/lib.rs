//! # iadsim-sensors
//!
//! Radars that produce [`Plot`]s from truth, and nothing else: this crate sees target positions
//! (it is on the truth side of the firewall) and emits only what a radar would report.
//!
//! ## One dwell
//! 1. **Geometry** ([`Radar::look`]): the target must be inside the instrumented range, the
//!    azimuth sector, the elevation limits and the altitude ceiling, outside the Doppler notch
//!    (radial speed below `min_radial_speed_mps` is cancelled by the MTI / Doppler filter), and in
//!    line of sight from the antenna over the 4/3 earth and, when a DEM is given, the terrain.
//! 2. **Signal** ([`DetectionModel`]): the radar equation calibrated on the preset's reference
//!    point, `SNR = SNR_ref · (σ/σ_ref) · (R_ref/R)⁴`, where `SNR_ref` is the single-pulse SNR at
//!    which the reference target (its Swerling case, `pulses` non-coherently integrated) is
//!    detected with the reference Pd at the preset's Pfa.
//! 3. **Detection** ([`detection`]): exact Swerling 0–4 probability of detection for the target's
//!    case; one uniform draw decides.
//! 4. **Measurement**: range, azimuth, elevation (and range rate for Doppler radars) with Gaussian
//!    noise whose σ shrinks with SNR: `σ_θ = θ₃ / (k_m·√(2·n·SNR))`, `σ_R = ΔR / √(2·n·SNR)`,
//!    `σ_Ṙ = Δv / √(2·n·SNR)` (Barton, *Radar System Analysis and Modeling*, 2005, §8.1), each
//!    bounded below by the preset's floor (bias, multipath and processing limits).
//! 5. **False alarms** ([`Radar::false_alarms`]): a Poisson number with mean `Pfa × cells`, where
//!    the cells are the range × azimuth × elevation resolution cells of the dwell, placed uniformly
//!    among them; those that fall outside the radar's coverage (above the ceiling, below the
//!    horizon, in the terrain) are then discarded.
//!
//! ## Scanning
//! A rotating radar looks at a target when its beam passes the target's azimuth: the rotation is
//! split into [`SECTORS_PER_ROTATION`] dwells, and dwell `k` looks at the azimuths
//! `[k, k+1)·360°/N`. A sector (phased-array) radar revisits its whole sector every `revisit_s`.
//!
//! ## Not modelled here (yet)
//! Clutter maps and CFAR losses, jamming, multipath lobing, ducting; the refraction of measured
//! elevation; track-dwell energy management of phased arrays.
#![deny(missing_docs)]

pub mod detection;

pub mod coverage;

use detection::{DetectionError, Swerling};
use iadsim_core::angle::wrap_pi;
use iadsim_core::{Plot, PolarMeasurement, PolarSigma, SensorId, SimTime};
use iadsim_geo::{enu_to_polar, line_of_sight, polar_to_enu, Dem, Ecef, EnuFrame, Geodetic, Polar};
use rand::Rng;
use rand_distr::{Distribution, Poisson, StandardNormal};
use std::f64::consts::{PI, TAU};
use std::sync::Arc;

/// Dwells per rotation of a rotating radar (10° each).
pub const SECTORS_PER_ROTATION: u32 = 36;

/// Errors in radar parameters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SensorError {
    /// The reference point cannot calibrate a detector.
    #[error("cannot calibrate on the reference point")]
    Calibration(#[from] DetectionError),
}

/// The radar equation calibrated on one reference point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DetectionModel {
    /// Single-pulse SNR at the reference point (linear).
    pub snr_ref: f64,
    /// Reference range, m.
    pub reference_range_m: f64,
    /// Reference RCS, m².
    pub reference_rcs_m2: f64,
    /// False-alarm probability per resolution cell.
    pub pfa: f64,
    /// Pulses integrated non-coherently per dwell.
    pub pulses: u32,
}

impl DetectionModel {
    /// Calibrates on "a `reference` Swerling target of `rcs_m2` is detected at `range_m` with
    /// probability `pd` at `pfa`, integrating `pulses` pulses".
    pub fn calibrate(
        range_m: f64,
        rcs_m2: f64,
        pd: f64,
        pfa: f64,
        pulses: u32,
        reference: Swerling,
    ) -> Result<Self, SensorError> {
        Ok(DetectionModel {
            snr_ref: detection::snr_for_pd(pd, pfa, pulses, reference)?,
            reference_range_m: range_m,
            reference_rcs_m2: rcs_m2,
            pfa,
            pulses,
        })
    }

    /// Mean single-pulse SNR (linear) of a target of `rcs_m2` at `range_m`.
    pub fn snr(&self, rcs_m2: f64, range_m: f64) -> f64 {
        self.snr_ref * (rcs_m2 / self.reference_rcs_m2) * (self.reference_range_m / range_m).powi(4)
    }

    /// Probability of detecting a target of `rcs_m2` and Swerling `case` at `range_m`.
    pub fn pd(&self, rcs_m2: f64, range_m: f64, case: Swerling) -> f64 {
        detection::pd(self.snr(rcs_m2, range_m), self.pfa, self.pulses, case).unwrap_or(0.0)
    }

    /// Free-space range at which a target of `rcs_m2` and Swerling `case` is detected with
    /// probability `pd`: `R = R_ref · (SNR_ref·σ / (σ_ref·SNR_needed))^¼`.
    pub fn range_for(&self, rcs_m2: f64, pd: f64, case: Swerling) -> Result<f64, SensorError> {
        let needed = detection::snr_for_pd(pd, self.pfa, self.pulses, case)?;
        Ok(self.reference_range_m
            * (self.snr_ref * rcs_m2 / (self.reference_rcs_m2 * needed)).powf(0.25))
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

/// Resolution and accuracy of a radar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolution {
    /// Range resolution, m.
    pub range_m: f64,
    /// Azimuth 3 dB beamwidth, rad.
    pub beamwidth_azimuth_rad: f64,
    /// Elevation 3 dB beamwidth, rad.
    pub beamwidth_elevation_rad: f64,
    /// Doppler (radial velocity) resolution, m/s; 0 when the radar does not measure it.
    pub velocity_mps: f64,
    /// Monopulse slope `k_m` in `σ_θ = θ₃ / (k_m √(2 SNR))`.
    pub monopulse_slope: f64,
    /// Accuracy floor (σ never goes below it).
    pub floor: PolarSigma,
}

/// Radar parameters in SI units (radians inside).
#[derive(Debug, Clone)]
pub struct RadarParams {
    /// Scenario-wide sensor id.
    pub id: SensorId,
    /// Antenna phase centre.
    pub antenna: Geodetic,
    /// Calibrated radar equation.
    pub detection: DetectionModel,
    /// No reports beyond this range, m.
    pub instrumented_range_m: f64,
    /// No reports above this altitude, m.
    pub max_altitude_m: f64,
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
    /// Radial speeds below this are cancelled (Doppler notch / MTI), m/s; 0 for none.
    pub min_radial_speed_mps: f64,
    /// Resolution and accuracy.
    pub resolution: Resolution,
    /// Terrain for masking, if any.
    pub terrain: Option<Arc<Dem>>,
}

impl RadarParams {
    /// Whether the azimuth `azimuth_rad` (clockwise from north) is outside the radar's sector
    /// (never for a full circle, `sector_half_width_rad ≥ π`).
    pub fn outside_sector(&self, azimuth_rad: f64) -> bool {
        self.sector_half_width_rad < PI
            && wrap_pi(azimuth_rad - self.boresight_rad).abs() > self.sector_half_width_rad
    }
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
    /// Outside the elevation limits or above the altitude ceiling.
    OutsideElevation,
    /// Hidden by the earth (4/3-earth horizon) or the terrain.
    BelowHorizon,
    /// Radial speed inside the Doppler notch.
    DopplerNotch,
}

/// A radar: parameters plus its local frame.
#[derive(Debug, Clone)]
pub struct Radar {
    /// Parameters.
    pub params: RadarParams,
    frame: EnuFrame,
    antenna_ecef: Ecef,
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

    /// Whether the target (at `target`, moving at `velocity_ecef_mps`) can be seen at all, and
    /// where: [`Radar::look_geometry`] plus the Doppler notch.
    pub fn look(
        &self,
        target: &Geodetic,
        target_ecef: &Ecef,
        velocity_ecef_mps: &[f64; 3],
    ) -> Look {
        let look = self.look_geometry(target, target_ecef);
        let p = &self.params;
        if let Look::InCoverage(polar) = look {
            if p.min_radial_speed_mps > 0.0 && polar.range_m > 0.0 {
                let rel = target_ecef.0 - self.antenna_ecef.0;
                let v = nalgebra::Vector3::from(*velocity_ecef_mps);
                if (v.dot(&rel) / polar.range_m).abs() < p.min_radial_speed_mps {
                    return Look::DopplerNotch;
                }
            }
        }
        look
    }

    /// Whether a point is inside the radar's coverage: range, sector, elevation limits, altitude
    /// ceiling, and line of sight over the 4/3 earth and the terrain (the ray march comes last, as
    /// the most expensive test).
    pub fn look_geometry(&self, target: &Geodetic, target_ecef: &Ecef) -> Look {
        let polar = enu_to_polar(&self.frame.to_enu(target_ecef));
        let p = &self.params;
        if polar.range_m > p.instrumented_range_m {
            return Look::OutOfRange;
        }
        if p.outside_sector(polar.azimuth_rad) {
            return Look::OutsideSector;
        }
        if polar.elevation_rad > p.max_elevation_rad
            || polar.elevation_rad < p.min_elevation_rad
            || target.alt_m > p.max_altitude_m
        {
            return Look::OutsideElevation;
        }
        if !line_of_sight(p.terrain.as_deref(), &p.antenna, target) {
            return Look::BelowHorizon;
        }
        Look::InCoverage(polar)
    }

    /// For a rotating radar, the azimuth interval `[lo, hi)` (rad) swept by dwell `k`.
    pub fn dwell_azimuths(&self, k: u64) -> (f64, f64) {
        match self.params.scan {
            ScanKind::Sector => (
                self.params.boresight_rad - self.params.sector_half_width_rad,
                self.params.boresight_rad + self.params.sector_half_width_rad,
            ),
            ScanKind::Rotating => {
                let n = u64::from(SECTORS_PER_ROTATION);
                let width = TAU / f64::from(SECTORS_PER_ROTATION);
                let lo = (k % n) as f64 * width;
                (lo, lo + width)
            }
        }
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
    /// the radar's coverage (ignoring the Doppler notch, which depends on the target's motion).
    /// Trackers use it to charge a miss only to tracks the radar looked at.
    pub fn dwell_footprint_contains(&self, k: u64, p: &Ecef) -> bool {
        // The beam position first: it is the cheapest test and rejects most points.
        let azimuth_rad = enu_to_polar(&self.frame.to_enu(p)).azimuth_rad;
        self.dwell_covers(k, azimuth_rad)
            && matches!(self.look_geometry(&p.to_geodetic(), p), Look::InCoverage(_))
    }

    /// Measurement σ at mean single-pulse SNR `snr` (see the crate documentation).
    pub fn sigma_at(&self, snr: f64) -> PolarSigma {
        let r = &self.params.resolution;
        let root = (2.0 * f64::from(self.params.detection.pulses) * snr.max(1e-9)).sqrt();
        PolarSigma {
            range_m: (r.range_m / root).max(r.floor.range_m),
            azimuth_rad: (r.beamwidth_azimuth_rad / (r.monopulse_slope * root))
                .max(r.floor.azimuth_rad),
            elevation_rad: (r.beamwidth_elevation_rad / (r.monopulse_slope * root))
                .max(r.floor.elevation_rad),
            range_rate_mps: (r.velocity_mps / root).max(r.floor.range_rate_mps),
        }
    }

    fn plot(
        &self,
        time: SimTime,
        truth: &Polar,
        range_rate_mps: Option<f64>,
        snr: f64,
        noise: &mut impl Rng,
    ) -> Plot {
        let s = self.sigma_at(snr);
        let mut g = || -> f64 { StandardNormal.sample(noise) };
        let range_m = (truth.range_m + s.range_m * g()).max(0.0);
        let azimuth_rad = (truth.azimuth_rad + s.azimuth_rad * g()).rem_euclid(TAU);
        let elevation_rad =
            (truth.elevation_rad + s.elevation_rad * g()).clamp(-PI / 2.0, PI / 2.0);
        let range_rate_mps = if self.params.resolution.velocity_mps > 0.0 {
            range_rate_mps.map(|v| v + s.range_rate_mps * g())
        } else {
            None
        };
        Plot {
            sensor: self.params.id,
            time,
            measurement: PolarMeasurement {
                range_m,
                azimuth_rad,
                elevation_rad,
                range_rate_mps,
            },
            sigma: s,
            sensor_ecef_m: self.antenna_ecef.0.into(),
            sensor_lat_rad: self.params.antenna.lat_rad,
            sensor_lon_rad: self.params.antenna.lon_rad,
            snr,
        }
    }

    /// One detection attempt on a target in coverage at `polar`, of `rcs_m2` and Swerling
    /// `case`, with true range rate `range_rate_mps`. Draws the detection from `detection_rng` and
    /// the noise from `noise_rng` (always the same number of draws, detected or not, so that
    /// paired runs stay aligned); `None` when not detected.
    #[allow(clippy::too_many_arguments)]
    pub fn attempt<R: Rng, N: Rng>(
        &self,
        time: SimTime,
        polar: &Polar,
        range_rate_mps: f64,
        rcs_m2: f64,
        case: Swerling,
        detection_rng: &mut R,
        noise_rng: &mut N,
    ) -> Option<Plot> {
        let snr = self.params.detection.snr(rcs_m2, polar.range_m);
        let pd = detection::pd(
            snr,
            self.params.detection.pfa,
            self.params.detection.pulses,
            case,
        )
        .unwrap_or(0.0);
        let detected = detection_rng.random::<f64>() < pd;
        let plot = self.plot(time, polar, Some(range_rate_mps), snr, noise_rng);
        detected.then_some(plot)
    }

    /// Mean number of false alarms in dwell `k`: `Pfa × cells`, counting the range, azimuth and
    /// elevation resolution cells searched.
    pub fn expected_false_alarms(&self, k: u64) -> f64 {
        let p = &self.params;
        let r = &p.resolution;
        let (lo, hi) = self.dwell_azimuths(k);
        let range_cells = p.instrumented_range_m / r.range_m;
        let azimuth_cells = ((hi - lo) / r.beamwidth_azimuth_rad).max(1.0);
        let elevation_cells =
            ((p.max_elevation_rad - p.min_elevation_rad) / r.beamwidth_elevation_rad).max(1.0);
        p.detection.pfa * range_cells * azimuth_cells * elevation_cells
    }

    /// The false alarms of dwell `k`: a Poisson number of plots placed uniformly over the searched
    /// cells; those that fall outside the radar's coverage (above the ceiling, below the horizon,
    /// inside the terrain) are discarded. Drawn from `rng` (the clutter stream).
    pub fn false_alarms<R: Rng>(&self, time: SimTime, k: u64, rng: &mut R) -> Vec<Plot> {
        let mean = self.expected_false_alarms(k);
        let Ok(poisson) = Poisson::new(mean) else {
            return Vec::new();
        };
        let count = poisson.sample(rng) as u64;
        let (lo, hi) = self.dwell_azimuths(k);
        let p = &self.params;
        // The first range cells are blanked while the transmitter is on (eclipsing).
        let min_range_m = (10.0 * p.resolution.range_m)
            .max(1_000.0)
            .min(p.instrumented_range_m / 2.0);
        if !(p.min_elevation_rad < p.max_elevation_rad
            && lo < hi
            && min_range_m < p.instrumented_range_m)
        {
            return Vec::new();
        }
        let mut out = Vec::new();
        for _ in 0..count {
            let polar = Polar {
                range_m: rng.random_range(min_range_m..p.instrumented_range_m),
                azimuth_rad: rng.random_range(lo..hi).rem_euclid(TAU),
                elevation_rad: rng.random_range(p.min_elevation_rad..p.max_elevation_rad),
            };
            let ecef = self.frame.to_ecef(&polar_to_enu(&polar));
            // Only cells the radar can actually see hold false alarms: not below the horizon,
            // inside the terrain or above the ceiling.
            if !matches!(
                self.look_geometry(&ecef.to_geodetic(), &ecef),
                Look::InCoverage(_)
            ) {
                continue;
            }
            // A false alarm crosses the threshold with SNR near 1.
            let range_rate = if p.resolution.velocity_mps > 0.0 {
                Some(rng.random_range(-1000.0..1000.0))
            } else {
                None
            };
            out.push(self.plot(time, &polar, range_rate, 1.0, rng));
        }
        out
    }
}
