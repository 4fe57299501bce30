//! Recorders: what a caller's recorder receives, sampling on demand only, engagement records,
//! stage timing.
use iadsim_core::SimDuration;
use iadsim_engine::events::{Event, EventKind};
use iadsim_engine::record::{EngagementOutcome, EngagementRecord, Sample};
use iadsim_engine::{
    output, run_with, EventLog, Pipeline, Recorder, Recorders, RunOptions, RunOutput, Scenario,
    Stage, World,
};
use std::sync::OnceLock;

/// The built-in scenario cut after its first kills (shorter in a debug build).
fn short_scenario() -> Scenario {
    let mut s = Scenario::builtin_default();
    s.duration_s = 600.0;
    s
}

/// Writes each event as the event log's JSON line, and keeps samples and engagement records.
#[derive(Default)]
struct Probe {
    lines: String,
    interval: Option<SimDuration>,
    samples: Vec<Sample>,
    engagements: Vec<EngagementRecord>,
}

impl Recorder for Probe {
    fn event(&mut self, event: &Event) {
        self.lines
            .push_str(&serde_json::to_string(event).expect("serialises"));
        self.lines.push('\n');
    }
    fn engagement(&mut self, record: &EngagementRecord) {
        self.engagements.push(record.clone());
    }
    fn wants_samples(&self) -> Option<SimDuration> {
        self.interval
    }
    fn sample(&mut self, sample: &Sample) {
        self.samples.push(sample.clone());
    }
}

/// One short run with two sampling probes (10 s and 7 s) and stage timing.
fn probed_run() -> &'static (RunOutput, Probe, Probe) {
    static OUT: OnceLock<(RunOutput, Probe, Probe)> = OnceLock::new();
    OUT.get_or_init(|| {
        let s = short_scenario();
        let mut ten = Probe {
            interval: Some(SimDuration::from_secs_f64(10.0)),
            ..Probe::default()
        };
        let mut seven = Probe {
            interval: Some(SimDuration::from_secs_f64(7.0)),
            ..Probe::default()
        };
        let options = RunOptions { timing: true };
        let out = run_with(&s, s.seed, 0, options, &mut [&mut ten, &mut seven]).expect("runs");
        (out, ten, seven)
    })
}

#[test]
fn a_callers_recorder_receives_exactly_the_events_of_events_jsonl() {
    let (out, probe, _) = probed_run();
    let dir = std::env::temp_dir().join(format!("iadsim-rec-{}", std::process::id()));
    output::write_run_dir(&dir, out).expect("writes");
    let written = std::fs::read_to_string(dir.join("events.jsonl")).expect("reads");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(written.lines().count() > 100, "a run with events");
    assert_eq!(probe.lines, written);
    assert_eq!(EventLog::to_jsonl(&out.events), written);
}

#[test]
fn a_sampling_recorder_gets_one_sample_per_interval_at_its_first_step_end() {
    let (_, ten, seven) = probed_run();
    let s = short_scenario();
    for probe in [ten, seven] {
        let interval_s = probe.interval.expect("samples").as_secs_f64();
        let due = (s.duration_s / interval_s).floor() as usize + 1;
        assert_eq!(probe.samples.len(), due, "every {interval_s} s");
        for (k, sample) in probe.samples.iter().enumerate() {
            let late_s = sample.time.as_secs_f64() - k as f64 * interval_s;
            // Steps are at most `max_step_s` apart, so a sample is at most that late.
            assert!(
                (0.0..=s.max_step_s).contains(&late_s),
                "sample {k} at {} s, {late_s} s after its due time",
                sample.time
            );
        }
        let seen = |f: fn(&Sample) -> usize| probe.samples.iter().map(f).max().unwrap_or(0);
        assert!(seen(|x| x.targets.len()) > 0, "truth is sampled");
        assert!(seen(|x| x.tracks.len()) > 0, "tracks are sampled");
    }
    assert!(
        ten.samples.iter().any(|x| !x.interceptors.is_empty()),
        "interceptors are sampled"
    );
}

#[test]
fn without_a_sampling_recorder_no_sample_is_built() {
    let mut s = short_scenario();
    s.duration_s = 120.0;
    let count = |sampler: Option<f64>| {
        let mut world = World::new(&s, s.seed, 0).expect("builds");
        let mut log = EventLog::default();
        let mut probe = Probe {
            interval: sampler.map(SimDuration::from_secs_f64),
            ..Probe::default()
        };
        let mut recorders = Recorders::new(&world, vec![&mut log, &mut probe]);
        Pipeline::new()
            .run_to_end(&mut world, &mut recorders)
            .expect("runs");
        recorders.samples_built()
    };
    assert_eq!(count(None), 0);
    assert_eq!(count(Some(60.0)), 3, "0, 60 and 120 s");
}

#[test]
fn one_engagement_record_per_finished_interceptor_agrees_with_the_events() {
    let (out, probe, _) = probed_run();
    let of = |f: fn(&EventKind) -> bool| out.events.iter().filter(|e| f(&e.kind)).count();
    let kills = of(|k| matches!(k, EventKind::Kill { .. }));
    let misses = of(|k| matches!(k, EventKind::Miss { .. }));
    let lost = of(|k| matches!(k, EventKind::InterceptorLost { .. }));
    let outcome = |o: fn(&EngagementOutcome) -> bool| {
        probe.engagements.iter().filter(|r| o(&r.outcome)).count()
    };
    assert!(kills > 0, "the short run has kills");
    assert_eq!(outcome(|o| *o == EngagementOutcome::Kill), kills);
    assert_eq!(outcome(|o| *o == EngagementOutcome::Miss), misses);
    assert_eq!(outcome(|o| matches!(o, EngagementOutcome::Lost(_))), lost);
    for r in &probe.engagements {
        let intercepted =
            r.outcome == EngagementOutcome::Kill || r.outcome == EngagementOutcome::Miss;
        assert_eq!(r.intercept_time_s.is_some(), intercepted, "{r:?}");
        assert_eq!(r.miss_distance_m.is_some(), intercepted, "{r:?}");
        assert!(
            r.intercept_time_s.is_none_or(|t| t > r.launch_time_s),
            "{r:?}"
        );
    }
}

#[test]
fn stage_times_add_up_to_the_run() {
    let (out, _, _) = probed_run();
    let t = out.timing.as_ref().expect("timed");
    assert!(t.total_s > 0.0);
    let share = t.stages_s() / t.total_s;
    // The rest is the loop itself and the recorders' start and finish.
    assert!((0.8..=1.0).contains(&share), "stages {share} of the run");
    assert_eq!(t.get(Stage::Build).calls, 1);
    assert!(t.get(Stage::Sensing).calls > 0);
    assert_eq!(t.get(Stage::Sensing).calls, t.get(Stage::Tracking).calls);
    assert_eq!(t.get(Stage::Command).calls, t.get(Stage::Launch).calls);
    assert!(t.to_string().contains("tracking"));
}
