//! Confirmed false tracks from clutter alone, against M-of-N theory.
//!
//! The issue's requirement: "with clutter the confirmed false-track rate stays near what M-of-N
//! theory predicts." The tracker (CV Kalman, GNN, two-point start, M-of-N, consecutive-miss
//! deletion) is fed nothing but clutter, and the number of confirmed tracks is compared with the
//! number the M-of-N logic predicts.
//!
//! ## Clutter
//! Each scan (every `T` s, one sensor) holds `Poisson(N)` false alarms uniform in a cube of
//! volume `V`: a Poisson point process of density `λ = N / V` per m³ per scan, independent from
//! scan to scan.
//!
//! ## Theory (M-of-N initiation with clutter)
//! The false-track analysis of M-of-N (sliding-window) initiation: Bar-Shalom, Willett & Tian,
//! *Tracking and Data Fusion*, YBS 2011, §3.5 (track formation, "M/N logic"); Blackman & Popoli,
//! *Design and Analysis of Modern Tracking Systems*, Artech House 1999, §6.3 (sequential track
//! initiation, false-track confirmation probability). In short:
//!
//! * Under GNN every plot no track takes starts a tentative track (the first hit of its
//!   history).
//! * At each later scan (an *update opportunity*) the track's gate is the ellipsoid
//!   `νᵀ S⁻¹ ν ≤ γ`, `γ` the χ²(3) quantile of the gate probability, of volume
//!   `V_gate = (4/3) π γ^{3/2} √|S|`. A Poisson field of density `λ` puts at least one point in
//!   it with probability `p = 1 − exp(−λ V_gate)`; the tracker takes any gated plot rather than
//!   a miss (the miss cost is at least every gated plot's cost, `crate::hypothesis`), so that is
//!   the probability of a *hit*.
//! * `S` depends only on the track's hit/miss pattern, not on where the plots fell (a linear
//!   Kalman filter's covariance does not see the measurement values), so the probability of
//!   confirmation is a sum over hit/miss sequences of the product of the `p`s and `1 − p`s along
//!   the sequence, each `p` evaluated with the `S` that sequence gives. [`confirmation_by_age`]
//!   enumerates the sequences with the tracker's documented rules: first plot → position `R`,
//!   velocity `σ_v² I`; CV prediction with CWNA noise `q`; at the second hit the two-point
//!   start (`P_pp = R`, `P_pv = R/Δt`, `P_vv = 2R/Δt² + qΔt/3`, used if it beats the diffuse
//!   prior) and ordinary Kalman updates otherwise; confirmation when the last `n`
//!   opportunities hold `m` hits; deletion after `max_misses_tentative` consecutive misses.
//!   Every covariance here is a per-axis 2 × 2 matrix times `I₃` (isotropic `R`), so
//!   `√|S| = s^{3/2}` with `s` the per-axis innovation variance. Nothing of the tracker's code is
//!   reused: the covariance algebra, the χ² threshold (scipy's value) and the combinatorics are
//!   written out here.
//! * For 2-of-3 with two misses to delete, the sequences are `H` (confirmed at the first
//!   opportunity, gate from the single-plot start predicted `T`) and `M H` (gate from the
//!   single-plot start predicted `2T`), `M M` deletes: `P = p₁ + (1 − p₁) p₂`. The two-point
//!   start happens at the confirming hit, so it cannot change a 2-of-N confirmation; the 3-of-3
//!   test below is there to exercise it (its second gate is the two-point start's, predicted
//!   `T`).
//! * Expected confirmed false tracks = (tentative tracks started) × Σ_k P(confirmed at
//!   opportunity k). The number of tracks started is taken from the run (it is the exposure,
//!   not the quantity under test), as is usual for a rate per initiation.
//!
//! ## Approximations and tolerance
//! * **Edges.** A gate that crosses the cube's faces holds fewer clutter points than the theory
//!   assumes. Only tracks started at least `margin` inside the cube are counted, with `margin`
//!   larger than any gate's reach on a confirming path (the gate centre stays at the first plot
//!   `z₁` until the two-point start; one scan after it the centre is `2 z₂ − z₁`, at most twice
//!   the first gate's radius from `z₁`), so this approximation is removed, not bounded.
//! * **Competition.** A clutter point in this track's gate can also lie in another track's gate;
//!   GNN gives it to one of them, so the theory (independent tracks) overestimates each `p` by
//!   about half the fraction of space other tracks' gates cover, `≈ λ Σ V_gate(other live
//!   tracks) / 2`, and by more when this track's gate is the larger one (the GNN cost
//!   `d² + ln|S|` favours the smaller gate). Clutter is kept sparse for this (`λ V_gate ≤ 0.085`
//!   on every confirming path); the bias is one-sided (GNN removes hits, never adds any). With
//!   the parameters below other gates cover ≈ 2.4 % of space in the 2-of-3 run and ≈ 5.5 % in the
//!   3-of-3 run (measured: Σ λ V_gate over live tracks / N). Measured over six seeds (the
//!   test's and five others): 2-of-3, observed / theory = 0.98 ± 0.02; 3-of-3, 0.88 ± 0.02. In
//!   the 3-of-3 run the first hit's rate matches `p₁` (0.0580 against 0.0581) and the whole
//!   shortfall is at the second hit, whose two-point gate is larger than the gates of the
//!   ≈ 190 single-plot tracks started the scan before, so it loses most contests; that is more
//!   than the half-coverage estimate (≈ 3 %) but within two of its standard errors of the full
//!   coverage (5.5 %). The tracker's covariance after the two-point start was checked against
//!   the one used here (`P_pp = 900`, `P_pv = 900`, `P_vv = 1801.7`): the gap is not the model.
//! * **Counting.** Given the number of tracks started, the confirmations are a sum of nearly
//!   independent Bernoulli trials with small `P`, so very nearly Poisson (binomial variance
//!   `E (1 − P)` is slightly smaller: the Poisson interval is conservative).
//! * **Tail.** The enumeration stops at path probability `1e-15` and tracks started in the last
//!   scans (which cannot complete their sequence) are not counted.
//!
//! The assertion is the Poisson 4.5σ interval `E ± 4.5 √E` around the theory, `E` ≈ 250–300:
//! ±26–28 %. That is an order of magnitude wider than the 2-of-3 bias; for 3-of-3 it leaves
//! ≈ 2.8σ of headroom below the biased mean (≈ 220 against the bound 178; the test's seed gives
//! 223), which is why the 3-of-3 run is not made any sharper. It is narrow enough to catch a
//! wrong gate threshold (0.99 instead of 0.9999 changes `V_gate` by a factor 2.5), a window
//! or deletion off by one opportunity, or a gate built from the wrong covariance (an ordinary
//! update instead of the two-point start changes the 3-of-3 prediction by ≈ 40 %). Opportunities
//! expected to confirm at least 25 tracks are checked one by one with the same rule.
use iadsim_core::{SensorId, SimTime, TrackId};
use iadsim_track::{Measurement, Tracker, TrackerConfig};
use nalgebra::{Matrix3, Vector3};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha12Rng;
use rand_distr::{Distribution, Poisson};
use std::f64::consts::PI;

/// `scipy.stats.chi2.ppf(0.9999, 3)`: the gate threshold for `gate_probability = 0.9999`.
const GAMMA_0_9999: f64 = 21.107_513_63;

/// The clutter field and the run.
#[derive(Debug, Clone, Copy)]
struct Scenario {
    /// Side of the clutter cube, m.
    side_m: f64,
    /// Mean false alarms per scan in the cube.
    mean_per_scan: f64,
    /// Scan interval, s.
    scan_s: f64,
    /// Measurement noise, m per axis (isotropic `R`).
    sigma_m: f64,
    /// Tracks started closer than this to a face are not counted, m.
    margin_m: f64,
    scans: u32,
    seed: u64,
}

impl Scenario {
    /// Clutter density `λ`, per m³ per scan.
    fn density(&self) -> f64 {
        self.mean_per_scan / self.side_m.powi(3)
    }
}

/// Per-axis covariance of `[position, velocity]`; every covariance of a clutter track is this
/// block times `I₃`.
#[derive(Debug, Clone, Copy)]
struct AxisCov {
    pp: f64,
    pv: f64,
    vv: f64,
}

impl AxisCov {
    /// CV prediction over `dt` with CWNA intensity `q`.
    fn predict(self, dt: f64, q: f64) -> Self {
        AxisCov {
            pp: self.pp + 2.0 * dt * self.pv + dt * dt * self.vv + q * dt.powi(3) / 3.0,
            pv: self.pv + dt * self.vv + q * dt * dt / 2.0,
            vv: self.vv + q * dt,
        }
    }

    /// Kalman update with a position measurement of variance `r` (Joseph and short forms agree
    /// for the optimal gain).
    fn update(self, r: f64) -> Self {
        let s = self.pp + r;
        AxisCov {
            pp: self.pp - self.pp * self.pp / s,
            pv: self.pv - self.pp * self.pv / s,
            vv: self.vv - self.pv * self.pv / s,
        }
    }
}

/// One hit/miss sequence of a tentative clutter track, in the enumeration.
#[derive(Debug, Clone, Copy)]
struct Path {
    prob: f64,
    /// Covariance at `cov_t`, s after the first plot.
    cov: AxisCov,
    cov_t: f64,
    /// The first plot still waits for its two-point start.
    first_pending: bool,
    /// Hit history, newest in bit 0.
    history: u64,
    misses: u32,
    last_hit_t: f64,
}

/// `P(confirmed at update opportunity k)` for `k = 1, 2, …` (index 0 is the initiating scan,
/// always 0 for `m > 1`) of a track started by a clutter plot, summed over hit/miss sequences.
fn confirmation_by_age(cfg: &TrackerConfig, sc: &Scenario, gamma: f64) -> Vec<f64> {
    let r = sc.sigma_m * sc.sigma_m;
    let start = Path {
        prob: 1.0,
        cov: AxisCov {
            pp: r,
            pv: 0.0,
            vv: cfg.init_velocity_sigma_mps.powi(2),
        },
        cov_t: 0.0,
        first_pending: true,
        history: 1,
        misses: 0,
        last_hit_t: 0.0,
    };
    let mut by_age = vec![0.0];
    explore(cfg, sc, gamma, start, 1, &mut by_age);
    by_age
}

fn explore(cfg: &TrackerConfig, sc: &Scenario, gamma: f64, path: Path, k: u32, out: &mut Vec<f64>) {
    if path.prob < 1e-15 {
        return;
    }
    assert!(k < 64, "enumeration too deep: the clutter is not sparse");
    let (r, q) = (sc.sigma_m * sc.sigma_m, cfg.q_m2ps3);
    let t = f64::from(k) * sc.scan_s;
    let predicted = path.cov.predict(t - path.cov_t, q);
    let s = predicted.pp + r;
    let v_gate = 4.0 / 3.0 * PI * gamma.powf(1.5) * s.powf(1.5);
    let p_hit = 1.0 - (-sc.density() * v_gate).exp();
    let window = (1u64 << cfg.n) - 1;
    if out.len() <= k as usize {
        out.resize(k as usize + 1, 0.0);
    }

    // Hit.
    let mut hit = Path {
        prob: path.prob * p_hit,
        history: (path.history << 1) | 1,
        misses: 0,
        last_hit_t: t,
        cov_t: t,
        ..path
    };
    let two_point = path.first_pending.then(|| {
        let dt = t; // the first plot is at 0
        2.0 * r / (dt * dt) + q * dt / 3.0
    });
    match two_point {
        // Used only if its velocity variance beats the diffuse prior's.
        Some(vv) if vv < cfg.init_velocity_sigma_mps.powi(2) => {
            hit.cov = AxisCov {
                pp: r,
                pv: r / t,
                vv,
            };
            hit.first_pending = false;
        }
        _ => hit.cov = predicted.update(r),
    }
    if (hit.history & window).count_ones() >= cfg.m {
        out[k as usize] += hit.prob;
    } else if !deleted(cfg, &hit, t) {
        explore(cfg, sc, gamma, hit, k + 1, out);
    }

    // Miss.
    let miss = Path {
        prob: path.prob * (1.0 - p_hit),
        cov: predicted,
        cov_t: t,
        history: path.history << 1,
        misses: path.misses + 1,
        ..path
    };
    if !deleted(cfg, &miss, t) {
        explore(cfg, sc, gamma, miss, k + 1, out);
    }
}

/// The tentative-track deletion rules: consecutive misses, coasting time, position variance.
fn deleted(cfg: &TrackerConfig, path: &Path, t: f64) -> bool {
    path.misses >= cfg.max_misses_tentative
        || t - path.last_hit_t > cfg.max_coast_tentative_s
        || 3.0 * path.cov.pp > cfg.max_position_variance_m2
}

/// What the run gave, for tracks started inside the margin early enough to finish.
#[derive(Debug)]
struct Observed {
    /// Tentative tracks counted.
    started: u64,
    /// Of those, confirmed at update opportunity k (index k).
    confirmed_by_age: Vec<u64>,
    /// All tracks started, anywhere.
    started_all: u64,
}

/// Run the tracker on clutter only; count tracks started at least `margin` inside the cube and
/// at least `max_age` scans before the end, and their confirmations by age.
fn run(cfg: TrackerConfig, sc: &Scenario, max_age: usize) -> Observed {
    let mut rng = ChaCha12Rng::seed_from_u64(sc.seed);
    let count = Poisson::new(sc.mean_per_scan).unwrap();
    let mut tracker = Tracker::new(cfg).unwrap();
    let sensor = SensorId(1);
    let r = Matrix3::identity() * sc.sigma_m * sc.sigma_m;
    // Per track id (ids are 0, 1, 2 … in creation order): its start scan if it is counted.
    let mut counted: Vec<Option<u32>> = Vec::new();
    let mut obs = Observed {
        started: 0,
        confirmed_by_age: vec![0; max_age + 1],
        started_all: 0,
    };
    let last_counted_start = sc.scans - 1 - max_age as u32;
    let inside = |z: &Vector3<f64>| {
        z.iter()
            .all(|&c| c >= sc.margin_m && c <= sc.side_m - sc.margin_m)
    };
    for k in 0..sc.scans {
        let time = SimTime::from_secs_f64(f64::from(k) * sc.scan_s);
        let n = count.sample(&mut rng) as usize;
        let scan: Vec<Measurement> = (0..n)
            .map(|_| Measurement {
                time,
                sensor,
                z_m: Vector3::from_fn(|_, _| rng.random::<f64>() * sc.side_m),
                r_m2: r,
                polar: None,
            })
            .collect();
        let out = tracker.process_scan(time, sensor, &scan).unwrap();

        let mut used = vec![false; scan.len()];
        for &(mi, _) in &out.associations {
            used[mi] = true;
        }
        let unused = (0..scan.len()).filter(|&mi| !used[mi]);
        for (mi, &TrackId(id)) in unused.zip(&out.initiated) {
            assert_eq!(id as usize, counted.len());
            let keep = k <= last_counted_start && inside(&scan[mi].z_m);
            counted.push(keep.then_some(k));
            obs.started += u64::from(keep);
        }
        obs.started_all += out.initiated.len() as u64;
        for &TrackId(id) in &out.confirmed {
            if let Some(k0) = counted[id as usize] {
                let age = (k - k0) as usize;
                assert!(age <= max_age, "track {id} confirmed at age {age}");
                obs.confirmed_by_age[age] += 1;
            }
        }
    }
    obs
}

/// Run `cfg` on `sc`, compare with the theory, and assert the Poisson 4.5σ intervals.
fn check(cfg: TrackerConfig, sc: &Scenario) {
    assert_eq!(
        cfg.gate_probability, 0.9999,
        "GAMMA_0_9999 is for this gate"
    );
    let theory = confirmation_by_age(&cfg, sc, GAMMA_0_9999);
    let max_age = theory.len() - 1;
    let started_at = std::time::Instant::now();
    let obs = run(cfg, sc, max_age);
    let elapsed = started_at.elapsed();

    let n0 = obs.started as f64;
    let p_confirm: f64 = theory.iter().sum();
    let expected = n0 * p_confirm;
    let observed: u64 = obs.confirmed_by_age.iter().sum();
    eprintln!(
        "{}-of-{}: λ = {:.3e} /m³, {} tracks started ({} counted), P(confirm) = {:.5} \
         (by opportunity {:?}); expected {:.1}, observed {} confirmed false tracks \
         (by opportunity {:?}); run {:.2?}",
        cfg.m,
        cfg.n,
        sc.density(),
        obs.started_all,
        obs.started,
        p_confirm,
        theory,
        expected,
        observed,
        obs.confirmed_by_age,
        elapsed
    );
    // The design: enough expected confirmations for a meaningful comparison.
    assert!((200.0..600.0).contains(&expected), "expected {expected}");
    let within = |e: f64, o: u64| (o as f64 - e).abs() <= 4.5 * e.sqrt();
    assert!(
        within(expected, observed),
        "{observed} confirmed false tracks, theory {expected:.1} ± {:.1} (4.5σ)",
        4.5 * expected.sqrt()
    );
    for (age, (&p, &o)) in theory.iter().zip(&obs.confirmed_by_age).enumerate() {
        let e = n0 * p;
        if e >= 25.0 {
            assert!(
                within(e, o),
                "opportunity {age}: {o} confirmed, theory {e:.1} ± {:.1} (4.5σ)",
                4.5 * e.sqrt()
            );
        }
    }
}

#[test]
fn clutter_false_track_confirmations_match_2_of_3_theory() {
    // The tracker's default parameters, spelled out. Radar-like scan: 2 s, 50 m per axis.
    // p₁ = 1 − exp(−λ V_gate(T)) ≈ 0.0024 and p₂ ≈ 0.019 (the diffuse 400 m/s velocity makes
    // the second gate 8 × larger), P(confirm) ≈ 0.0215; about 13 500 tracks are counted, so
    // ≈ 290 confirmations are expected. The gate radius after two scans is √(γ s₂) ≈ 7.4 km:
    // margin 8 km.
    let cfg = TrackerConfig {
        q_m2ps3: 5.0,
        gate_probability: 0.9999,
        m: 2,
        n: 3,
        max_misses_tentative: 2,
        max_misses_confirmed: 4,
        init_velocity_sigma_mps: 400.0,
        max_position_variance_m2: 1e10,
        max_coast_tentative_s: 30.0,
        ..TrackerConfig::default()
    };
    let sc = Scenario {
        side_m: 120e3,
        mean_per_scan: 20.0,
        scan_s: 2.0,
        sigma_m: 50.0,
        margin_m: 8e3,
        scans: 1070,
        seed: 11,
    };
    check(cfg, &sc);
}

#[test]
fn clutter_false_track_confirmations_match_3_of_3_theory_through_the_two_point_start() {
    // Three hits in a row, any miss deletes: P = p₁ p₂ with p₂ from the two-point start's
    // covariance predicted one scan (s₂ ≈ 5400 m² against s₁ ≈ 4300 m² for the single-plot
    // start; an ordinary Kalman update instead would give s₂ ≈ 3700 m², 43 % less gate volume).
    // σ_v = 50 m/s > √2 σ/T so the two-point start is taken at the second plot. λ V_gate(1)
    // ≈ 0.06, λ V_gate(2) ≈ 0.085. Reach of a confirming path from the first plot: the second
    // gate (radius √(γ s₂) ≈ 340 m) is centred at 2 z₂ − z₁, ≤ 2 × 300 m from z₁ (z₂ was in the
    // first gate, radius ≈ 300 m): ≤ 940 m, margin 950 m. About 53 000 tracks are counted, so
    // ≈ 250 confirmations are expected.
    let cfg = TrackerConfig {
        q_m2ps3: 5.0,
        gate_probability: 0.9999,
        m: 3,
        n: 3,
        max_misses_tentative: 1,
        max_misses_confirmed: 4,
        init_velocity_sigma_mps: 50.0,
        max_position_variance_m2: 1e10,
        max_coast_tentative_s: 30.0,
        ..TrackerConfig::default()
    };
    let sc = Scenario {
        side_m: 7.26e3,
        mean_per_scan: 200.0,
        scan_s: 1.0,
        sigma_m: 30.0,
        margin_m: 950.0,
        scans: 700,
        seed: 12,
    };
    check(cfg, &sc);
}
