//! Unit tests of the solvers against brute force and against each other: the VLSN local search
//! never loses to greedy or to the two-neighbourhood descent it replaced, equals brute force on
//! tiny instances, and every reported lower bound is at most the optimum.
use super::greedy::greedy_counts;
use super::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Objectives agree to this relative tolerance: the exact solver proves optimality to 1e-9.
const REL: f64 = 1e-9;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= REL * a.abs().max(b.abs()).max(1e-300)
}

/// A random instance (see [`WtaInstance::random`]).
pub(super) fn random_instance(
    rng: &mut ChaCha8Rng,
    m: usize,
    n: usize,
    units: Vec<u32>,
) -> WtaInstance {
    WtaInstance::random(rng, m, n, units).unwrap()
}

/// Tiny random instance: ≤ 6 weapons in ≤ 4 types, ≤ 5 targets.
pub(super) fn tiny_instance(rng: &mut ChaCha8Rng) -> WtaInstance {
    let n = rng.random_range(1..=5);
    let m = rng.random_range(1..=4);
    let mut units: Vec<u32> = (0..m).map(|_| rng.random_range(0..=3)).collect();
    while units.iter().sum::<u32>() > 6 {
        let i = rng.random_range(0..m);
        units[i] = units[i].saturating_sub(1);
    }
    random_instance(rng, m, n, units)
}

/// Optimum by enumeration ([`WtaInstance::brute_force_optimum`]; tiny instances only).
pub(super) fn brute_force(inst: &WtaInstance) -> f64 {
    inst.brute_force_optimum(1 << 20).unwrap()
}

/// The descent of the local search this crate had before the VLSN: from greedy, single-unit
/// moves and two-unit exchanges (units of different types on different targets) until neither
/// improves. Returns its objective.
fn old_descent(inst: &WtaInstance) -> f64 {
    let mut a = inst.counts_to_assignment(&greedy_counts(inst));
    let types = inst.weapon_types();
    let n = inst.num_targets();
    let mut obj = inst.objective(&a).unwrap();
    let eps = 1e-12 * inst.values().iter().sum::<f64>();
    loop {
        let mut improved = false;
        for u in 0..a.len() {
            for k in 0..n {
                let old = a[u];
                a[u] = k;
                let o = inst.objective(&a).unwrap();
                if o < obj - eps {
                    obj = o;
                    improved = true;
                } else {
                    a[u] = old;
                }
            }
        }
        for u in 0..a.len() {
            for v in u + 1..a.len() {
                if types[u] == types[v] || a[u] == a[v] {
                    continue;
                }
                a.swap(u, v);
                let o = inst.objective(&a).unwrap();
                if o < obj - eps {
                    obj = o;
                    improved = true;
                } else {
                    a.swap(u, v);
                }
            }
        }
        if !improved {
            return obj;
        }
    }
}

fn quick_local() -> LocalSearchConfig {
    LocalSearchConfig {
        iterations: 30,
        time_limit_s: 1e9,
        ..LocalSearchConfig::default()
    }
}

#[test]
fn local_search_equals_brute_force_on_tiny_instances() {
    let mut rng = ChaCha8Rng::seed_from_u64(31);
    for case in 0..300 {
        let inst = tiny_instance(&mut rng);
        let want = brute_force(&inst);
        let sol = local_search(&inst, &quick_local(), &mut ChaCha8Rng::seed_from_u64(case));
        assert!(
            close(sol.objective, want),
            "case {case}: local {} vs brute force {want} on {inst:?}",
            sol.objective
        );
        assert!(close(
            inst.objective(&sol.assignment).unwrap(),
            sol.objective
        ));
        assert!(sol.lower_bound <= want * (1.0 + 1e-12), "case {case}");
    }
}

#[test]
fn local_search_never_loses_to_greedy_or_the_old_descent() {
    let mut rng = ChaCha8Rng::seed_from_u64(32);
    let mut better = 0;
    for case in 0..60 {
        let m = rng.random_range(2..=10);
        let n = rng.random_range(2..=16);
        let units = (0..m).map(|_| rng.random_range(1..=3)).collect();
        let inst = random_instance(&mut rng, m, n, units);
        let g = greedy(&inst).objective;
        let old = old_descent(&inst);
        let sol = local_search(&inst, &quick_local(), &mut ChaCha8Rng::seed_from_u64(case));
        assert!(
            sol.objective <= g * (1.0 + 1e-12),
            "case {case}: {} > greedy {g}",
            sol.objective
        );
        assert!(
            sol.objective <= old * (1.0 + REL),
            "case {case}: {} > old descent {old}",
            sol.objective
        );
        if sol.objective < old * (1.0 - 1e-6) {
            better += 1;
        }
    }
    assert!(
        better >= 10,
        "better than the old descent on only {better}/60"
    );
}

#[test]
fn local_search_is_deterministic_for_a_seed_and_an_iteration_limit() {
    let mut rng = ChaCha8Rng::seed_from_u64(33);
    let units = (0..15).map(|i| 1 + i % 3).collect();
    let inst = random_instance(&mut rng, 15, 25, units);
    let cfg = LocalSearchConfig {
        iterations: 40,
        ..quick_local()
    };
    let a = local_search(&inst, &cfg, &mut ChaCha8Rng::seed_from_u64(9));
    let b = local_search(&inst, &cfg, &mut ChaCha8Rng::seed_from_u64(9));
    assert_eq!(a.assignment, b.assignment);
    assert_eq!(a.objective.to_bits(), b.objective.to_bits());
    assert_eq!(a.lower_bound.to_bits(), b.lower_bound.to_bits());
}

/// Every solver's bounds bracket the brute-force optimum: `LB ≤ optimum ≤ UB`, on many seeds,
/// with the exact solver also stopped early (tiny time limits, few subgradient steps).
#[test]
fn every_bound_brackets_the_brute_force_optimum() {
    let mut rng = ChaCha8Rng::seed_from_u64(34);
    for case in 0..400u64 {
        let inst = tiny_instance(&mut rng);
        let opt = brute_force(&inst);
        let lo = opt * (1.0 + 1e-12) + 1e-300;
        let hi = opt * (1.0 - 1e-12);
        let mut sols = vec![
            ("greedy", greedy(&inst)),
            (
                "local",
                local_search(&inst, &quick_local(), &mut ChaCha8Rng::seed_from_u64(case)),
            ),
        ];
        for (limit, root, node) in [(30.0, 3000, 60), (30.0, 2, 1), (0.0, 3000, 60)] {
            let cfg = ExactConfig {
                time_limit_s: limit,
                root_iterations: root,
                node_iterations: node,
                seed: case,
                local: quick_local(),
                ..ExactConfig::default()
            };
            sols.push(("exact", solve_exact(&inst, &cfg)));
        }
        for (name, s) in &sols {
            assert!(
                s.lower_bound <= lo,
                "case {case} {name}: LB {} > optimum {opt} on {inst:?}",
                s.lower_bound
            );
            assert!(
                s.objective >= hi,
                "case {case} {name}: UB {} < optimum {opt}",
                s.objective
            );
            assert!(s.lower_bound <= s.objective, "case {case} {name}");
            assert_eq!(
                s.optimal,
                s.gap() <= exact::DEFAULT_REL_TOL,
                "case {case} {name}"
            );
        }
        assert!(sols[2].1.optimal, "case {case}: exact not proven");
    }
}

/// Bounds stay valid when the time limit stops the branch-and-bound part-way, on instances too
/// big to close in that time (optimum from an unhurried exact solve).
#[test]
fn bounds_stay_valid_when_the_time_limit_cuts_the_search() {
    let mut rng = ChaCha8Rng::seed_from_u64(35);
    for case in 0..6u64 {
        let units = (0..6).map(|_| rng.random_range(1..=3)).collect();
        let inst = random_instance(&mut rng, 6, 9, units);
        let full = solve_exact(&inst, &ExactConfig::default());
        assert!(full.optimal, "case {case}");
        for limit in [0.0, 1e-4, 1e-3, 1e-2] {
            let cut = solve_exact(
                &inst,
                &ExactConfig {
                    time_limit_s: limit,
                    ..ExactConfig::default()
                },
            );
            assert!(
                cut.lower_bound <= full.objective * (1.0 + 1e-9),
                "case {case} limit {limit}: LB {} > optimum {}",
                cut.lower_bound,
                full.objective
            );
            assert!(cut.objective >= full.objective * (1.0 - 1e-9));
            assert!(
                cut.lower_bound > 0.0 || full.objective == 0.0,
                "case {case}: trivial LB"
            );
        }
    }
}
