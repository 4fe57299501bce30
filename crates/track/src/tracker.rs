//! The multi-target tracker: glue over the roles.
use crate::association::{DataAssociator, GlobalNearestNeighbour};
use crate::config::{AssociationMethod, TrackerConfig};
use crate::estimator::{Estimator, Kalman};
use crate::filter::{KalmanPredictor, KalmanUpdater, Predictor, Updater};
use crate::hypothesis::{ByEstimator, EllipsoidalGate, Hypothesis, Hypothesiser};
use crate::jpda::{marginals, pairs_from_hypotheses, JpdaConfig, Marginals};
use crate::lifecycle::{Confirmer, Deleter, Initiator, MOfN, MissCountDeleter, TwoPointInitiator};
use crate::motion::ConstantVelocity;
use crate::nonlinear::FilterError;
use crate::state::Measurement;
use crate::track::{HitHistory, Track};
use crate::TrackError;
use iadsim_core::{SensorId, SimTime, TrackId, TrackReport, TrackStatus};
use nalgebra::Cholesky;

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
/// The filter is the type parameter, an [`Estimator`] with its own state type: the default is
/// the linear Kalman filter with a constant-velocity model ([`Kalman`]); [`crate::estimator`]
/// has CA, Singer and CT models under the EKF or UKF and the CV + CT IMM, and
/// [`crate::build_tracker`] picks one from a configuration file. Gating
/// ([`EllipsoidalGate`]), association ([`GlobalNearestNeighbour`] or JPDA), initiation
/// ([`TwoPointInitiator`]), confirmation ([`MOfN`]) and deletion ([`MissCountDeleter`]) are
/// built from the [`TrackerConfig`].
#[derive(Debug, Clone)]
pub struct Tracker<E: Estimator = Kalman> {
    config: TrackerConfig,
    estimator: E,
    hypothesiser: EllipsoidalGate,
    associator: GlobalNearestNeighbour,
    initiator: TwoPointInitiator,
    confirmer: MOfN,
    deleter: MissCountDeleter,
    /// Live tracks, in increasing id (= creation order).
    tracks: Vec<Track<E::State>>,
    next_id: u32,
    last_scan: Option<SimTime>,
}

impl Tracker {
    /// A Kalman constant-velocity tracker with `config` (validated).
    pub fn new(config: TrackerConfig) -> Result<Self, TrackError> {
        let predictor = KalmanPredictor {
            model: ConstantVelocity {
                q_m2ps3: config.q_m2ps3,
            },
        };
        Tracker::with_filter(config, predictor, KalmanUpdater)
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
    /// A tracker running `estimator` on every track. `config.q_m2ps3` is used by the two-point
    /// initiator (the velocity variance it adds for the plots' time difference); set it to the
    /// model's white-noise acceleration intensity or an equivalent.
    pub fn with_estimator(config: TrackerConfig, estimator: E) -> Result<Self, TrackError> {
        config.validate()?;
        Ok(Tracker {
            config,
            estimator,
            hypothesiser: EllipsoidalGate::from_probability(config.gate_probability),
            associator: GlobalNearestNeighbour,
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
        })
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
    /// associate with any track.
    pub fn process_dwell(
        &mut self,
        time: SimTime,
        sensor: SensorId,
        measurements: &[Measurement],
        footprint: impl Fn(&nalgebra::Vector3<f64>) -> bool,
    ) -> Result<ScanOutcome, TrackError> {
        self.check_scan(time, sensor, measurements)?;
        let predictions: Vec<(TrackId, E::State)> = self
            .tracks
            .iter()
            .map(|t| {
                self.estimator
                    .predict(&t.estimate, time)
                    .map(|s| (t.id, s))
                    .map_err(|e| filter_error(t.id, e))
            })
            .collect::<Result<_, _>>()?;
        let hypotheses = self.hypothesiser.hypothesise(
            &ByEstimator(&self.estimator),
            &predictions,
            measurements,
        )?;
        let (chosen, marginals) = match self.config.association {
            AssociationMethod::Gnn => (
                self.associator.associate(&hypotheses, measurements.len()),
                None,
            ),
            AssociationMethod::Jpda => {
                let cfg = JpdaConfig::new(
                    self.config.detection_probability,
                    self.config.gate_probability,
                    self.config.clutter_density,
                );
                let m = marginals(
                    &cfg,
                    predictions.len(),
                    measurements.len(),
                    &pairs_from_hypotheses(&hypotheses),
                )
                .map_err(|e| TrackError::Association {
                    time,
                    reason: e.to_string(),
                })?;
                (most_likely(&hypotheses, &m), Some(m))
            }
        };
        let posteriors =
            self.posteriors(&predictions, &chosen, measurements, marginals.as_ref())?;

        // Nothing below can fail: commit.
        let mut outcome = ScanOutcome::default();
        let mut used = vec![false; measurements.len()];
        let estimator = &self.estimator;
        for ((track, (_, predicted)), (hyp, (post, started))) in self
            .tracks
            .iter_mut()
            .zip(&predictions)
            .zip(chosen.iter().zip(posteriors))
        {
            track.state = estimator.gaussian(&post);
            track.estimate = post;
            if started {
                track.first_plot = None;
            }
            match *hyp {
                Hypothesis::Detected { measurement, .. } => {
                    used[measurement] = true;
                    outcome.associations.push((measurement, track.id));
                    record_hit(track, &measurements[measurement]);
                }
                Hypothesis::Missed { .. } => {
                    let looked = footprint(&estimator.gaussian(predicted).position());
                    if looked && track.sensors.binary_search(&sensor).is_ok() {
                        track.consecutive_misses += 1;
                        track.history.push(false);
                    }
                }
            }
        }
        outcome.associations.sort_unstable();
        // Under JPDA a measurement that is more likely a track's than clutter starts no track.
        if let Some(m) = &marginals {
            for (j, u) in used.iter_mut().enumerate() {
                *u |= m.clutter[j] <= 0.5;
            }
        }
        for (m, _) in measurements.iter().enumerate().filter(|(i, _)| !used[*i]) {
            let id = self.start_track(&measurements[m]);
            outcome.initiated.push(id);
        }
        for track in &mut self.tracks {
            if track.status == TrackStatus::Tentative && self.confirmer.is_confirmed(&track.history)
            {
                track.status = TrackStatus::Confirmed;
                outcome.confirmed.push(track.id);
            }
        }
        let deleter = &self.deleter;
        self.tracks.retain(|t| {
            let delete = deleter.should_delete(t);
            if delete {
                outcome.deleted.push(t.id);
            }
            !delete
        });
        self.last_scan = Some(time);
        Ok(outcome)
    }

    /// Reports for all live tracks, in increasing id.
    pub fn reports(&self) -> Vec<TrackReport> {
        self.tracks.iter().map(|t| t.report(&t.state)).collect()
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
        }
        Ok(())
    }

    /// The new state of every track under the chosen hypotheses, and whether it is a two-point
    /// start.
    fn posteriors(
        &self,
        predictions: &[(TrackId, E::State)],
        chosen: &[Hypothesis],
        measurements: &[Measurement],
        marginals: Option<&Marginals>,
    ) -> Result<Vec<(E::State, bool)>, TrackError> {
        let mut out = Vec::with_capacity(predictions.len());
        for (t, ((track, (id, predicted)), hyp)) in
            self.tracks.iter().zip(predictions).zip(chosen).enumerate()
        {
            // JPDA: a track past its two-point start is updated with every gated measurement:
            // the mixture of the miss and each detection, weighted by β, collapsed by the
            // estimator (crate::estimator, "JPDA").
            if let (Some(m), None) = (marginals, track.first_plot) {
                if !m.detected[t].is_empty() {
                    let mut components = Vec::with_capacity(m.detected[t].len() + 1);
                    components.push((predicted.clone(), m.missed[t]));
                    for &(j, beta) in &m.detected[t] {
                        let updated = self
                            .estimator
                            .update(predicted, &measurements[j])
                            .map_err(|e| filter_error(*id, e))?;
                        components.push((updated, beta));
                    }
                    out.push((self.estimator.mixture(&components), false));
                    continue;
                }
            }
            let post = match *hyp {
                Hypothesis::Missed { .. } => (predicted.clone(), false),
                Hypothesis::Detected { measurement, .. } => {
                    let m = &measurements[measurement];
                    match track
                        .first_plot
                        .and_then(|first| self.initiator.second_point(&first, m))
                    {
                        Some(started) => (self.estimator.initiate(&started), true),
                        None => {
                            let updated = self
                                .estimator
                                .update(predicted, m)
                                .map_err(|e| filter_error(*id, e))?;
                            (updated, false)
                        }
                    }
                }
            };
            out.push(post);
        }
        Ok(out)
    }

    fn start_track(&mut self, m: &Measurement) -> TrackId {
        let id = TrackId(self.next_id);
        self.next_id += 1;
        let mut history = HitHistory::default();
        history.push(true);
        let estimate = self.estimator.initiate(&self.initiator.initiate(m));
        self.tracks.push(Track {
            id,
            state: self.estimator.gaussian(&estimate),
            estimate,
            status: TrackStatus::Tentative,
            hits: 1,
            last_update: m.time,
            consecutive_misses: 0,
            history,
            sensors: vec![m.sensor],
            first_plot: Some(*m),
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

fn record_hit<S>(track: &mut Track<S>, m: &Measurement) {
    track.hits += 1;
    track.last_update = m.time;
    track.consecutive_misses = 0;
    track.history.push(true);
    if let Err(i) = track.sensors.binary_search(&m.sensor) {
        track.sensors.insert(i, m.sensor);
    }
}

/// Under JPDA, each track's most likely single association (for hit/miss bookkeeping and the
/// two-point start): its most probable gated measurement, or a miss if that is likelier. A
/// measurement is given to at most one track (the one with the highest β for it).
fn most_likely(hypotheses: &[Vec<Hypothesis>], m: &Marginals) -> Vec<Hypothesis> {
    let mut best_for_measurement: std::collections::BTreeMap<usize, (usize, f64)> =
        std::collections::BTreeMap::new();
    for (t, d) in m.detected.iter().enumerate() {
        for &(j, beta) in d {
            let e = best_for_measurement.entry(j).or_insert((t, beta));
            if beta > e.1 {
                *e = (t, beta);
            }
        }
    }
    hypotheses
        .iter()
        .enumerate()
        .map(|(t, hyps)| {
            let missed = hyps
                .iter()
                .find(|h| matches!(h, Hypothesis::Missed { .. }))
                .copied()
                .unwrap_or(Hypothesis::Missed { cost: 0.0 });
            let pick = m.detected[t]
                .iter()
                .filter(|(j, beta)| {
                    *beta > m.missed[t] && best_for_measurement.get(j).is_some_and(|b| b.0 == t)
                })
                .max_by(|a, b| a.1.total_cmp(&b.1));
            match pick {
                Some(&(j, _)) => hyps
                    .iter()
                    .find(|h| matches!(h, Hypothesis::Detected { measurement, .. } if *measurement == j))
                    .copied()
                    .unwrap_or(missed),
                None => missed,
            }
        })
        .collect()
}
