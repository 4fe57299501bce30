//! Sensing: one radar dwell. Each flying target inside the dwell's beam and the radar's coverage
//! (range, sector, elevation, horizon and terrain, Doppler notch) gets a detection attempt — the
//! exact Swerling draw, then measurement noise scaled by SNR — and the dwell adds its false
//! alarms. A plot carries no truth; the truth behind it travels beside it in [`Detection`].
//!
//! In: the radar, the dwell index, the flying targets' true states. Out: a [`Dwell`] of
//! detections in target order then false alarms; a `Detection` event for each target this radar
//! sees for the first time; every detection to the recorders.
//! Random streams: `Detection` (fluctuation and Pd), `MeasurementNoise`, `Clutter`.
use super::motion::FlyingTarget;
use crate::events::EventKind;
use crate::record::{Detection, PlotTruth, Recorders};
use crate::world::{SiteRadar, Streams, TargetTruth};
use iadsim_core::{SensorId, SimTime};
use iadsim_geo::Ecef;
use iadsim_sensors::Look;

/// What one dwell of one radar produced.
pub(crate) struct Dwell {
    /// Dwell index (its beam position and footprint).
    pub(crate) index: u64,
    pub(crate) sensor: SensorId,
    pub(crate) time: SimTime,
    pub(crate) detections: Vec<Detection>,
}

/// Runs dwell `k` of `site_radar` at `now`.
pub(crate) fn dwell(
    site_radar: &mut SiteRadar,
    k: u64,
    targets: &[TargetTruth],
    flying: &[FlyingTarget],
    streams: &mut Streams,
    now: SimTime,
    out: &mut Recorders<'_>,
) -> Dwell {
    let r = &site_radar.radar;
    let antenna = r.params.antenna.to_ecef().0;
    let mut detections = Vec::new();
    for FlyingTarget { index, state } in flying {
        let target = &targets[*index];
        let ecef = Ecef(state.position_ecef_m);
        let velocity: [f64; 3] = state.velocity_ecef_mps.into();
        // The beam position first: it is the cheapest test.
        let az = r.frame().to_enu(&ecef);
        if !r.dwell_covers(k, iadsim_geo::enu_to_polar(&az).azimuth_rad) {
            continue;
        }
        let Look::InCoverage(polar) = r.look(&state.position, &ecef, &velocity) else {
            continue;
        };
        let los = state.position_ecef_m - antenna;
        let range_rate = state.velocity_ecef_mps.dot(&los) / los.norm().max(1e-9);
        if let Some(plot) = r.attempt(
            now,
            &polar,
            range_rate,
            target.rcs_m2,
            target.swerling,
            &mut streams.detection,
            &mut streams.noise,
        ) {
            detections.push(Detection {
                plot,
                truth: Some(PlotTruth {
                    target: target.id,
                    range_m: polar.range_m,
                    altitude_m: state.position.alt_m,
                }),
            });
        }
    }
    for plot in r.false_alarms(now, k, &mut streams.clutter) {
        detections.push(Detection { plot, truth: None });
    }
    let sensor = r.params.id;
    for d in &detections {
        out.detection(d);
        let Some(truth) = d.truth else { continue };
        if site_radar.reported.insert(truth.target) {
            out.event(
                now,
                EventKind::Detection {
                    sensor,
                    radar: site_radar.preset.clone(),
                    target: truth.target,
                    range_m: truth.range_m,
                    target_altitude_m: truth.altitude_m,
                    snr_db: 10.0 * d.plot.snr.log10(),
                },
            );
        }
    }
    Dwell {
        index: k,
        sensor,
        time: now,
        detections,
    }
}
