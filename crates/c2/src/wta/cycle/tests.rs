//! The cycle solvers against brute force and against each other, on random small instances
//! with every cap active.
use super::*;
use crate::wta::common::next_odometer;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The optimum by enumerating every weapon's choice (hold or a target).
fn brute(prob: &CycleProblem) -> f64 {
    let n_t = prob.values.len();
    let mut best = f64::INFINITY;
    let mut choice = vec![0usize; prob.p.len()]; // 0 = hold, j + 1 = target j
    loop {
        let target_of: Vec<Option<usize>> = choice.iter().map(|&c| c.checked_sub(1)).collect();
        if is_feasible(prob, &target_of) {
            best = best.min(objective(prob, &target_of));
        }
        if !next_odometer(&mut choice, n_t + 1) {
            return best;
        }
    }
}

/// Up to 6 weapons, 4 targets, a fifth of the shots infeasible, random caps.
fn random(rng: &mut ChaCha8Rng) -> CycleProblem {
    let n_w = rng.random_range(1..=6);
    let n_t = rng.random_range(1..=4);
    CycleProblem {
        values: (0..n_t).map(|_| rng.random_range(0.1..10.0)).collect(),
        p: (0..n_w)
            .map(|_| {
                (0..n_t)
                    .map(|_| {
                        if rng.random_bool(0.2) {
                            0.0
                        } else {
                            rng.random_range(0.05..0.95)
                        }
                    })
                    .collect()
            })
            .collect(),
        max_per_target: rng.random_range(1..=3),
        max_weapons: rng.random_range(1..=6),
        max_targets: rng.random_range(1..=4),
    }
}

/// A problem with caps `(salvo, guidance channels, target channels)`.
fn problem(values: &[f64], p: &[&[f64]], caps: (u32, u32, u32)) -> CycleProblem {
    CycleProblem {
        values: values.to_vec(),
        p: p.iter().map(|row| row.to_vec()).collect(),
        max_per_target: caps.0,
        max_weapons: caps.1,
        max_targets: caps.2,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.max(1.0)
}

#[test]
fn exact_equals_brute_force_with_caps_on_random_instances() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for case in 0..300 {
        let prob = random(&mut rng);
        let sol = solve_cycle(&prob, CycleSolver::Exact);
        let bf = brute(&prob);
        assert!(sol.optimal, "case {case}");
        assert!(
            close(sol.objective, bf),
            "case {case}: {} vs brute force {bf}",
            sol.objective
        );
        assert!(is_feasible(&prob, &sol.target_of), "case {case}");
        assert!((objective(&prob, &sol.target_of) - sol.objective).abs() < 1e-12);
    }
}

#[test]
fn heuristics_are_feasible_bounded_by_exact_and_local_never_loses_to_greedy() {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let mut local_better = 0;
    for case in 0..300 {
        let prob = random(&mut rng);
        let bf = brute(&prob);
        let exact = solve_cycle(&prob, CycleSolver::Exact);
        let greedy = solve_cycle(&prob, CycleSolver::Greedy);
        let local = solve_cycle(&prob, CycleSolver::Local);
        for (name, sol) in [("greedy", &greedy), ("local", &local)] {
            assert!(is_feasible(&prob, &sol.target_of), "case {case} {name}");
            assert_eq!(objective(&prob, &sol.target_of), sol.objective);
            assert!(
                sol.objective >= exact.objective - 1e-12,
                "case {case} {name}"
            );
            assert!(sol.lower_bound <= bf + 1e-12, "case {case} {name}: bound");
            assert!(
                !sol.optimal || close(sol.objective, bf),
                "case {case} {name}"
            );
        }
        assert!(local.objective <= greedy.objective, "case {case}");
        if local.objective < greedy.objective - 1e-9 {
            local_better += 1;
        }
    }
    // The moves and swaps must do something: greedy is not optimal on random capped instances.
    assert!(
        local_better >= 5,
        "local beat greedy on only {local_better}/300"
    );
}

#[test]
fn a_small_node_budget_keeps_the_answer_feasible_and_the_bound_valid() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut cut = 0;
    for case in 0..100 {
        let prob = random(&mut rng);
        let bf = brute(&prob);
        let sol = exact(&prob, 4);
        assert!(is_feasible(&prob, &sol.target_of), "case {case}");
        assert!(sol.objective >= bf - 1e-12, "case {case}");
        assert!(sol.objective <= greedy(&prob).objective, "case {case}");
        assert!(sol.lower_bound <= bf + 1e-12, "case {case}");
        assert_eq!(sol.optimal, sol.nodes <= 4, "case {case}");
        cut += usize::from(!sol.optimal);
    }
    assert!(cut >= 20, "the budget stopped only {cut}/100 searches");
}

#[test]
fn caps_are_respected_and_holding_is_allowed() {
    // Three strong weapons, one target, salvo 2: the third holds fire.
    let prob = problem(&[1.0], &[&[0.8], &[0.8], &[0.8]], (2, 10, 10));
    for solver in [CycleSolver::Exact, CycleSolver::Greedy, CycleSolver::Local] {
        let sol = solve_cycle(&prob, solver);
        assert_eq!(sol.target_of.iter().flatten().count(), 2, "{solver:?}");
        assert!((sol.objective - 0.04).abs() < 1e-12, "{solver:?}");
    }
    // One guidance channel: a single shot, at the more valuable target.
    let prob = problem(&[1.0, 3.0], &[&[0.8, 0.5], &[0.8, 0.5]], (2, 1, 2));
    let sol = solve_cycle(&prob, CycleSolver::Exact);
    assert_eq!(sol.target_of.iter().flatten().collect::<Vec<_>>(), [&1]);
    // One target channel: both weapons at the more valuable target.
    let prob = problem(&[1.0, 3.0], &[&[0.8, 0.5], &[0.8, 0.5]], (2, 2, 1));
    let sol = solve_cycle(&prob, CycleSolver::Exact);
    assert_eq!(sol.target_of, vec![Some(1), Some(1)]);
}

#[test]
fn greedy_trap_is_solved_exactly() {
    // Greedy gives weapon 0 (best everywhere) to target 0, which leaves weapon 1 (it can
    // reach only target 0) idle under a salvo of one; the optimum splits them.
    let prob = problem(&[1.0, 1.0], &[&[0.9, 0.85], &[0.5, 0.0]], (1, 2, 2));
    let g = greedy(&prob);
    let sol = solve_cycle(&prob, CycleSolver::Exact);
    assert!(sol.objective < g.objective - 1e-9);
    assert_eq!(sol.target_of, vec![Some(1), Some(0)]);
    assert!(!g.optimal);
}

#[test]
fn solver_names_are_lowercase_and_exact_is_the_default() {
    assert_eq!(CycleSolver::default(), CycleSolver::Exact);
    for (solver, name) in [
        (CycleSolver::Exact, "\"exact\""),
        (CycleSolver::Greedy, "\"greedy\""),
        (CycleSolver::Local, "\"local\""),
    ] {
        assert_eq!(serde_json::to_string(&solver).unwrap(), name);
        assert_eq!(serde_json::from_str::<CycleSolver>(name).unwrap(), solver);
    }
    assert!(serde_json::from_str::<CycleSolver>("\"Exact\"").is_err());
}
