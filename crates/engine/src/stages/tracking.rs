//! Tracking: the plots of one dwell go to the tracker of the radar's site. Each plot becomes a
//! converted measurement in the site's ENU frame (with its polar form for the IMM's measurement
//! model); the tracker associates, updates, initiates, confirms (M of N) and deletes, charging
//! misses only inside the dwell's footprint. Tracks take the truth label of their latest plot
//! (for events and scoring only), and a newly confirmed track gets its IFF answer.
//!
//! In: a site, one of its radars' [`Dwell`]s. Out: the site's tracks; `TrackConfirmed` and
//! `TrackDeleted` events. Random stream: `Identification` (one draw per confirmed track).
use super::sensing::Dwell;
use crate::events::EventKind;
use crate::record::{Detection, Recorders};
use crate::scenario::Side;
use crate::world::{SiteState, TargetTruth};
use crate::EngineError;
use iadsim_c2::Identity;
use iadsim_core::random::SimRng;
use iadsim_geo::{Ecef, Enu, EnuFrame};
use iadsim_models::{converted_measurement, plot_frame};
use iadsim_track::polar::SensorFrame;
use iadsim_track::{Measurement, PolarView};
use nalgebra::Vector3;
use rand::Rng;
use std::collections::BTreeSet;

/// Feeds `dwell` (made by the site's radar `radar`) to the site's tracker.
pub(crate) fn track(
    site: &mut SiteState,
    radar: usize,
    dwell: &Dwell,
    targets: &[TargetTruth],
    iff: &mut SimRng,
    out: &mut Recorders<'_>,
) -> Result<(), EngineError> {
    let now = dwell.time;
    let measurements: Vec<Measurement> = dwell
        .detections
        .iter()
        .map(|d| measurement(d, &site.frame, dwell))
        .collect();
    let SiteState {
        radars,
        tracker,
        frame,
        ..
    } = site;
    let footprint = &radars[radar].radar;
    let outcome = tracker
        .process_dwell(now, dwell.sensor, &measurements, |p| {
            footprint.dwell_footprint_contains(dwell.index, &frame.to_ecef(&Enu(*p)))
        })
        .map_err(EngineError::Tracker)?;
    let label = |m: usize| dwell.detections[m].truth.map(|t| t.target);
    for (m, track) in outcome.associations.iter() {
        site.track_truth.insert(*track, label(*m));
    }
    // Initiated tracks come from the unassociated plots, in increasing plot index.
    let associated: BTreeSet<usize> = outcome.associations.iter().map(|(m, _)| *m).collect();
    let unassociated = (0..dwell.detections.len()).filter(|m| !associated.contains(m));
    for (m, track) in unassociated.zip(outcome.initiated.iter()) {
        site.track_truth.insert(*track, label(m));
    }
    for track in &outcome.confirmed {
        let target = site.track_truth.get(track).copied().flatten();
        // IFF: a friendly answers and is identified with probability `iff_p_correct`; a
        // hostile or a false track never answers. One draw per confirmed track keeps the
        // stream aligned between paired runs.
        let u: f64 = iff.random();
        let friendly = target.is_some_and(|t| targets[t.0 as usize].side == Side::Friendly);
        let identity = if friendly && u < site.iff_p_correct {
            Identity::Friend
        } else {
            Identity::Unknown
        };
        site.identities.insert(*track, identity);
        let site = site.name.clone();
        let track = *track;
        out.event(
            now,
            EventKind::TrackConfirmed {
                site,
                track,
                target,
            },
        );
    }
    for track in &outcome.deleted {
        site.identities.remove(track);
        let target = site.track_truth.remove(track).flatten();
        let site = site.name.clone();
        let track = *track;
        out.event(
            now,
            EventKind::TrackDeleted {
                site,
                track,
                target,
            },
        );
    }
    Ok(())
}

/// A plot as the tracker takes it: converted to a position and covariance in the site's frame,
/// and as measured, for the IMM's polar measurement model (the sensor's position and axes in
/// the site frame).
fn measurement(d: &Detection, site_frame: &EnuFrame, dwell: &Dwell) -> Measurement {
    let plot = &d.plot;
    let sensor_frame = plot_frame(plot);
    let c = converted_measurement(plot, &sensor_frame);
    let rot = site_frame.rotation_enu_to_ecef();
    let polar = PolarView {
        frame: SensorFrame {
            origin_m: site_frame
                .to_enu(&Ecef(Vector3::from(plot.sensor_ecef_m)))
                .0,
            enu_to_frame: rot.transpose() * sensor_frame.rotation_enu_to_ecef(),
        },
        z: Vector3::new(
            plot.measurement.range_m,
            plot.measurement.azimuth_rad,
            plot.measurement.elevation_rad,
        ),
        r: nalgebra::Matrix3::from_diagonal(&Vector3::new(
            plot.sigma.range_m.powi(2),
            plot.sigma.azimuth_rad.powi(2),
            plot.sigma.elevation_rad.powi(2),
        )),
    };
    Measurement {
        time: dwell.time,
        sensor: dwell.sensor,
        z_m: site_frame.to_enu(&Ecef(c.position_ecef_m)).0,
        r_m2: rot.transpose() * c.covariance_m2 * rot,
        polar: Some(polar),
    }
}
