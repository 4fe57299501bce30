//! The multi-target tracker: glue over the roles. One scan is predict → hypothesise →
//! associate → update (or miss) → initiate → confirm → delete, each step a role:
//! [`Estimator`], [`Hypothesiser`], [`DataAssociator`], [`Initiator`], [`Confirmer`],
//! [`Deleter`].
use crate::association::{Association, Associator, DataAssociator};
use crate::config::TrackerConfig;
use crate::filter::estimator::{Estimator, Kalman};
use crate::filter::FilterError;
use crate::filter::{Predictor, Updater};
use crate::hypothesis::{EllipsoidalGate, Hypothesis, Hypothesiser};
use crate::lifecycle::{
    Confirmer, Deleter, Initiator, MOfN, MissCountDeleter, TwoPointInitiator, VelocityStart,
};
use crate::state::Measurement;
use crate::track::{HitHistory, Projected, SensorSet, Track};
use crate::TrackError;
use iadsim_core::{SensorId, SimTime, TrackId, TrackReport, TrackStatus};
use nalgebra::{Cholesky, Vector3};

/// What one scan changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScanOutcome {
    /// `(measurement index in the scan, track it updated)`, in increasing measurement index.
    /// Measurements that started a track are listed in `initiated`, not here.
    pub associations: Vec<(usize, TrackId)>,
    /// Tracks confirmed by this scan.
    pub confirmed: Vec<TrackId>,
    /// Tracks deleted by this scan.
    pub deleted: Vec<TrackId>,
    /// Tracks started by this scan, in increasing measurement index.
    pub initiated: Vec<TrackId>,
}

/// A multi-target tracker for Cartesian position measurements from any number of sensors.
///
/// Generic over its two main roles: the per-track filter `E`, an [`Estimator`] with its own
/// state type (the default is the linear Kalman filter with a constant-velocity model,
/// [`Kalman`]; [`crate::filter::estimator`] has CA, Singer and CT models under the EKF or UKF
/// and the CV + CT IMM, and [`crate::build_tracker`] picks one from a configuration file), and
/// the associator `A`, a [`DataAssociator`] (the default, [`Associator`], is GNN or JPDA as
/// [`TrackerConfig::association`] says; [`Tracker::with_associator`] puts in any other).
/// Gating ([`EllipsoidalGate`]), initiation ([`TwoPointInitiator`]), confirmation ([`MOfN`])
/// and deletion ([`MissCountDeleter`]) are built from the [`TrackerConfig`].
#[derive(Debug, Clone)]
pub struct Tracker<E: Estimator = Kalman, A = Associator> {
    config: TrackerConfig,
    estimator: E,
    hypothesiser: EllipsoidalGate,
    associator: A,
    initiator: TwoPointInitiator,
    confirmer: MOfN,
    deleter: MissCountDeleter,
    /// Live tracks, in increasing id (= creation order).
    tracks: Vec<Track<E::State>>,
    next_id: u32,
    last_scan: Option<SimTime>,
    /// Buffers reused from scan to scan (their contents mean nothing between scans).
    scratch: Scratch<E::State>,
}

/// One scan as the commit step sees it.
struct Scan<'a> {
    sensor: SensorId,
    measurements: &'a [Measurement],
    /// Whether the sensor looked at a predicted position (see [`Tracker::process_dwell`]).
    footprint: &'a dyn Fn(&Vector3<f64>) -> bool,
}

/// Per-scan working memory of a [`Tracker`], kept so that a scan allocates little.
#[derive(Debug, Clone)]
struct Scratch<S> {
    /// Every track's id and predicted state.
    predictions: Vec<(TrackId, S)>,
    /// Every track's hypotheses.
    hypotheses: Vec<Vec<Hypothesis>>,
    /// The new states of the tracks that are not simply predicted (see `posteriors`).
    posteriors: Vec<(usize, S, bool)>,
}

impl<S> Default for Scratch<S> {
    fn default() -> Self {
        Scratch {
            predictions: Vec::new(),
            hypotheses: Vec::new(),
            posteriors: Vec::new(),
        }
    }
}

impl Tracker {
    /// A Kalman constant-velocity tracker with `config` (validated).
    pub fn new(config: TrackerConfig) -> Result<Self, TrackError> {
        Tracker::with_estimator(config, Kalman::cv(config.q_m2ps3))
    }
}

impl<P: Predictor, U: Updater> Tracker<Kalman<P, U>> {
    /// A tracker with the given 6-D filter. `config.q_m2ps3` is still used by the two-point
    /// initiator.
    pub fn with_filter(
        config: TrackerConfig,
        predictor: P,
        updater: U,
    ) -> Result<Self, TrackError> {
        Tracker::with_estimator(config, Kalman { predictor, updater })
    }
}

impl<E: Estimator> Tracker<E> {
    /// A tracker running `estimator` on every track, with the associator `config.association`
    /// names. `config.q_m2ps3` is used by the two-point initiator (the velocity variance it adds
    /// for the plots' time difference); set it to the model's white-noise acceleration
    /// intensity or an equivalent.
    pub fn with_estimator(config: TrackerConfig, estimator: E) -> Result<Self, TrackError> {
        config.validate()?;
        Ok(Tracker {
            config,
            estimator,
            hypothesiser: EllipsoidalGate::from_probability(config.gate_probability),
            associator: Associator::from_config(&config),
            initiator: TwoPointInitiator {
                init_velocity_sigma_mps: config.init_velocity_sigma_mps,
                q_m2ps3: config.q_m2ps3,
            },
            confirmer: MOfN {
                m: config.m,
                n: config.n,
            },
            deleter: MissCountDeleter {
                max_misses_tentative: config.max_misses_tentative,
                max_misses_confirmed: config.max_misses_confirmed,
                max_position_variance_m2: config.max_position_variance_m2,
                max_coast_tentative_s: config.max_coast_tentative_s,
            },
            tracks: Vec::new(),
            next_id: 0,
            last_scan: None,
            scratch: Scratch::default(),
        })
    }
}

impl<E: Estimator, A: DataAssociator> Tracker<E, A> {
    /// The same tracker with `associator` deciding every later scan (GNN and JPDA are
    /// [`crate::GlobalNearestNeighbour`] and [`crate::jpda::Jpda`]; a user's own implements
    /// [`DataAssociator`]).
    pub fn with_associator<B: DataAssociator>(self, associator: B) -> Tracker<E, B> {
        Tracker {
            config: self.config,
            estimator: self.estimator,
            hypothesiser: self.hypothesiser,
            associator,
            initiator: self.initiator,
            confirmer: self.confirmer,
            deleter: self.deleter,
            tracks: self.tracks,
            next_id: self.next_id,
            last_scan: self.last_scan,
            scratch: self.scratch,
        }
    }

    /// The associator.
    pub fn associator(&self) -> &A {
        &self.associator
    }

    /// The configuration the tracker was built with.
    pub fn config(&self) -> &TrackerConfig {
        &self.config
    }

    /// The estimator every track runs.
    pub fn estimator(&self) -> &E {
        &self.estimator
    }

    /// Live tracks, in increasing id.
    pub fn tracks(&self) -> &[Track<E::State>] {
        &self.tracks
    }

    /// Process one scan of `sensor` at `time`: every measurement must carry this `time` and
    /// `sensor` (a scan is one instant; split a rotating radar's sweep into one call per plot
    /// time if that matters). A scan with no measurements is still a scan: it is a miss for
    /// every track this sensor has contributed to.
    ///
    /// Order: predict → gate → associate → update or miss → initiate → confirm → delete. On
    /// error the tracker is unchanged.
    pub fn process_scan(
        &mut self,
        time: SimTime,
        sensor: SensorId,
        measurements: &[Measurement],
    ) -> Result<ScanOutcome, TrackError> {
        self.process_dwell(time, sensor, measurements, |_| true)
    }

    /// As [`Tracker::process_scan`], for a dwell that covers only part of the sensor's coverage
    /// (one beam position of a rotating radar, say). `footprint` tells whether a predicted
    /// position (the first three components of the state, m) lay inside the dwell; a track outside
    /// it is not charged a miss, because the sensor did not look there. Measurements may still
    /// associate with any track. `footprint` is asked only about undetected tracks this sensor
    /// has contributed to (the others are not charged a miss anyway), so it should be a pure
    /// test.
    pub fn process_dwell(
        &mut self,
        time: SimTime,
        sensor: SensorId,
        measurements: &[Measurement],
        footprint: impl Fn(&Vector3<f64>) -> bool,
    ) -> Result<ScanOutcome, TrackError> {
        self.check_scan(time, sensor, measurements)?;
        let mut scratch = std::mem::take(&mut self.scratch);
        let outcome = self.process_checked(time, sensor, measurements, footprint, &mut scratch);
        self.scratch = scratch;
        outcome
    }

    /// [`Tracker::process_dwell`] on a checked scan, with the scan's buffers: the glue over the
    /// roles. Everything that can fail comes before the first change to the tracks.
    fn process_checked(
        &mut self,
        time: SimTime,
        sensor: SensorId,
        measurements: &[Measurement],
        footprint: impl Fn(&Vector3<f64>) -> bool,
        scratch: &mut Scratch<E::State>,
    ) -> Result<ScanOutcome, TrackError> {
        self.predict_all(time, &mut scratch.predictions)?;
        let predictions = &scratch.predictions;
        self.hypothesiser.hypothesise_into(
            &self.estimator,
            predictions,
            measurements,
            &mut scratch.hypotheses,
        )?;
        let association = self
            .associator
            .associate(&scratch.hypotheses, measurements.len())
            .map_err(|source| TrackError::Association { time, source })?;
        self.posteriors(
            predictions,
            &association,
            measurements,
            &mut scratch.posteriors,
        )?;

        // Nothing below can fail: commit.
        let mut outcome = ScanOutcome::default();
        let mut used = vec![false; measurements.len()];
        let scan = Scan {
            sensor,
            measurements,
            footprint: &footprint,
        };
        self.commit(
            &scan,
            predictions,
            &association,
            &scratch.posteriors,
            &mut used,
            &mut outcome,
        );
        for (m, measurement) in measurements.iter().enumerate() {
            if !used[m] && !association.claims(m) {
                outcome.initiated.push(self.start_track(measurement));
            }
        }
        self.confirm_and_delete(&mut outcome);
        self.last_scan = Some(time);
        Ok(outcome)
    }

    /// Every track predicted to `time`, into `out`.
    fn predict_all(
        &self,
        time: SimTime,
        out: &mut Vec<(TrackId, E::State)>,
    ) -> Result<(), TrackError> {
        out.clear();
        out.reserve(self.tracks.len());
        for t in &self.tracks {
            match self.estimator.predict(&t.estimate, time) {
                Ok(predicted) => out.push((t.id, predicted)),
                Err(e) => return Err(filter_error(t.id, e)),
            }
        }
        Ok(())
    }

    /// Each track takes its new state (its posterior, or its prediction) and its hit or miss;
    /// the measurements chosen are marked in `used` and listed in `outcome.associations`.
    fn commit(
        &mut self,
        scan: &Scan<'_>,
        predictions: &[(TrackId, E::State)],
        association: &Association,
        posteriors: &[(usize, E::State, bool)],
        used: &mut [bool],
        outcome: &mut ScanOutcome,
    ) {
        let estimator = &self.estimator;
        let mut posteriors = posteriors.iter().peekable();
        for (t, ((track, (_, predicted)), hyp)) in self
            .tracks
            .iter_mut()
            .zip(predictions)
            .zip(&association.chosen)
            .enumerate()
        {
            let predicted_only = match posteriors.next_if(|p| p.0 == t) {
                Some((_, post, started)) => {
                    track.state = E::State::keep(estimator.gaussian(post));
                    track.estimate = post.clone();
                    if *started {
                        track.first_plot = None;
                    }
                    false
                }
                None => {
                    track.state = E::State::keep(estimator.gaussian(predicted));
                    track.estimate = predicted.clone();
                    true
                }
            };
            match *hyp {
                Hypothesis::Detected { measurement, .. } => {
                    used[measurement] = true;
                    outcome.associations.push((measurement, track.id));
                    record_hit(track, &scan.measurements[measurement]);
                }
                // Only a sensor that has contributed to the track, and looked where it was
                // predicted, charges it a miss.
                Hypothesis::Missed { .. } if track.sensors.contains(scan.sensor) => {
                    let looked = if predicted_only {
                        (scan.footprint)(&track.state().position()) // the same numbers
                    } else {
                        (scan.footprint)(&estimator.gaussian(predicted).position())
                    };
                    if looked {
                        track.consecutive_misses += 1;
                        track.history.push(false);
                    }
                }
                Hypothesis::Missed { .. } => {}
            }
        }
        sort_by_measurement(&mut outcome.associations, scan.measurements.len());
    }

    /// Confirm, then delete, in one pass (a track's confirmation does not depend on another's
    /// deletion, so the order within the pass changes nothing).
    fn confirm_and_delete(&mut self, outcome: &mut ScanOutcome) {
        let (confirmer, deleter) = (&self.confirmer, &self.deleter);
        self.tracks.retain_mut(|t| {
            if t.status == TrackStatus::Tentative && confirmer.is_confirmed(&t.history) {
                t.status = TrackStatus::Confirmed;
                outcome.confirmed.push(t.id);
            }
            let delete = deleter.should_delete(t);
            if delete {
                outcome.deleted.push(t.id);
            }
            !delete
        });
    }

    /// Reports for all live tracks, in increasing id.
    pub fn reports(&self) -> Vec<TrackReport> {
        let mut out = Vec::new();
        self.reports_into(&mut out);
        out
    }

    /// [`Tracker::reports`] into `out` (cleared first), reusing its memory scan after scan.
    pub fn reports_into(&self, out: &mut Vec<TrackReport>) {
        out.clear();
        out.extend(self.tracks.iter().map(|t| t.report(t.state())));
    }

    /// The report of track `id` with its state extrapolated to `time`, without changing the
    /// track; `None` if there is no such live track (or, for a nonlinear filter, if the
    /// prediction fails numerically).
    pub fn predict_report(&self, id: TrackId, time: SimTime) -> Option<TrackReport> {
        let i = self.tracks.binary_search_by_key(&id, |t| t.id).ok()?;
        let track = &self.tracks[i];
        let predicted = self.estimator.predict(&track.estimate, time).ok()?;
        Some(track.report(&self.estimator.gaussian(&predicted)))
    }

    fn check_scan(
        &self,
        time: SimTime,
        sensor: SensorId,
        measurements: &[Measurement],
    ) -> Result<(), TrackError> {
        if let Some(previous) = self.last_scan.filter(|&p| time < p) {
            return Err(TrackError::ScanOutOfSequence { previous, time });
        }
        // The covariance last found valid: the plots of a scan usually share one, and the same
        // bits give the same verdict.
        let mut valid_r: Option<&nalgebra::Matrix3<f64>> = None;
        for (index, m) in measurements.iter().enumerate() {
            if m.time != time || m.sensor != sensor {
                return Err(TrackError::MeasurementNotInScan {
                    index,
                    sensor: m.sensor,
                    time: m.time,
                    scan_sensor: sensor,
                    scan_time: time,
                });
            }
            let bad = |reason| TrackError::InvalidMeasurement {
                index,
                time,
                reason,
            };
            if !m.z_m.iter().all(|v| v.is_finite()) {
                return Err(bad("position is not finite"));
            }
            let same_bits = |r: &nalgebra::Matrix3<f64>| {
                r.iter()
                    .zip(m.r_m2.iter())
                    .all(|(a, b)| a.to_bits() == b.to_bits())
            };
            if valid_r.is_some_and(same_bits) {
                continue;
            }
            if !m.r_m2.iter().all(|v| v.is_finite()) {
                return Err(bad("covariance is not finite"));
            }
            let asym = (m.r_m2 - m.r_m2.transpose()).amax();
            if asym > 1e-9 * m.r_m2.amax() {
                return Err(bad("covariance is not symmetric"));
            }
            if Cholesky::new(m.r_m2).is_none() {
                return Err(bad("covariance is not positive definite"));
            }
            valid_r = Some(&m.r_m2);
        }
        Ok(())
    }

    /// The new state of every track that is not simply its prediction (a detection, or a soft
    /// association's mixture), in increasing track index, into `out`: `(track index, state,
    /// whether it completes the track's start from its first plot)` (a two-point start, or with
    /// [`VelocityStart::Update`] the update with its second plot).
    fn posteriors(
        &self,
        predictions: &[(TrackId, E::State)],
        association: &Association,
        measurements: &[Measurement],
        out: &mut Vec<(usize, E::State, bool)>,
    ) -> Result<(), TrackError> {
        out.clear();
        for (t, ((track, (id, predicted)), hyp)) in self
            .tracks
            .iter()
            .zip(predictions)
            .zip(&association.chosen)
            .enumerate()
        {
            let update = |m: &Measurement| {
                self.estimator
                    .update(predicted, m)
                    .map_err(|e| filter_error(*id, e))
            };
            // Soft association: a track past its two-point start is updated with every gated
            // measurement: the mixture of the miss and each detection, weighted by β, collapsed
            // by the estimator (crate::filter::estimator, "JPDA").
            if let (Some((missed, detected)), true) =
                (association.weights(t), track.first_plot.is_none())
            {
                if !detected.is_empty() {
                    let mut components = Vec::with_capacity(detected.len() + 1);
                    components.push((predicted.clone(), missed));
                    for &(j, beta) in detected {
                        components.push((update(&measurements[j])?, beta));
                    }
                    out.push((t, self.estimator.mixture(&components), false));
                    continue;
                }
            }
            if let Hypothesis::Detected { measurement, .. } = *hyp {
                let m = &measurements[measurement];
                let two_point = match (&track.first_plot, self.config.velocity_start) {
                    (Some(first), VelocityStart::TwoPoint) => self.initiator.second_point(first, m),
                    _ => None,
                };
                match two_point {
                    Some(started) => out.push((t, self.estimator.initiate(&started), true)),
                    None => {
                        // With `VelocityStart::Update` this update is the track's start.
                        let started = track.first_plot.is_some()
                            && self.config.velocity_start == VelocityStart::Update;
                        out.push((t, update(m)?, started));
                    }
                }
            }
        }
        Ok(())
    }

    fn start_track(&mut self, m: &Measurement) -> TrackId {
        let id = TrackId(self.next_id);
        self.next_id += 1;
        let mut history = HitHistory::default();
        history.push(true);
        let estimate = self.estimator.initiate(&self.initiator.initiate(m));
        self.tracks.push(Track {
            id,
            state: E::State::keep(self.estimator.gaussian(&estimate)),
            estimate,
            status: TrackStatus::Tentative,
            hits: 1,
            last_update: m.time,
            consecutive_misses: 0,
            history,
            sensors: SensorSet::one(m.sensor),
            first_plot: Some(Box::new(*m)),
        });
        id
    }
}

/// A filter failure of `track` as the tracker's error; a non-positive-definite innovation keeps
/// its own variant.
fn filter_error(track: TrackId, e: FilterError) -> TrackError {
    match e {
        FilterError::InnovationNotPositiveDefinite { time } => {
            TrackError::InnovationNotPositiveDefinite { track, time }
        }
        source => TrackError::Filter { track, source },
    }
}

/// `associations.sort_unstable()`, in linear time when (as the associators guarantee) no
/// measurement appears twice: each pair goes to its measurement's slot.
fn sort_by_measurement(associations: &mut Vec<(usize, TrackId)>, num_measurements: usize) {
    let mut slots: Vec<Option<TrackId>> = vec![None; num_measurements];
    for &(m, id) in associations.iter() {
        if slots[m].replace(id).is_some() {
            associations.sort_unstable();
            return;
        }
    }
    associations.clear();
    associations.extend(
        slots
            .iter()
            .enumerate()
            .filter_map(|(m, id)| id.map(|id| (m, id))),
    );
}

fn record_hit<S: Projected>(track: &mut Track<S>, m: &Measurement) {
    track.hits += 1;
    track.last_update = m.time;
    track.consecutive_misses = 0;
    track.history.push(true);
    track.sensors.insert(m.sensor);
}
