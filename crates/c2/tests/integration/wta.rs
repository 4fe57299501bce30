//! Static weapon-target assignment: exact against brute force, greedy against den Broeder's
//! theorem, local search against exact, parsers, and the public Andersen et al. (2022) instances.
use iadsim_c2::wta::{
    greedy, local_search, solve_exact, ExactConfig, LocalSearchConfig, WtaError, WtaInstance,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;

/// Relative tolerance of objective comparisons: the exact solver proves optimality to 1e-9
/// relative; sums of a few products of probabilities agree to ~1e-15, so 1e-9 is the binding one.
const REL: f64 = 1e-9;

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}

fn random_instance(rng: &mut ChaCha8Rng, m: usize, n: usize, units: Vec<u32>) -> WtaInstance {
    WtaInstance::random(rng, m, n, units).unwrap()
}

/// Small random instance: ≤ 6 weapons in ≤ 4 types, ≤ 5 targets.
fn small_instance(rng: &mut ChaCha8Rng) -> WtaInstance {
    let n = rng.random_range(1..=5);
    let m = rng.random_range(1..=4);
    let mut units: Vec<u32> = (0..m).map(|_| rng.random_range(0..=3)).collect();
    while units.iter().sum::<u32>() > 6 {
        let i = rng.random_range(0..m);
        units[i] = units[i].saturating_sub(1);
    }
    random_instance(rng, m, n, units)
}

/// Optimum by enumeration (n^W ≤ 5^6 assignments).
fn brute_force(inst: &WtaInstance) -> f64 {
    inst.brute_force_optimum(1 << 20).unwrap()
}

fn quick_exact() -> ExactConfig {
    ExactConfig {
        time_limit_s: 30.0,
        local: LocalSearchConfig {
            iterations: 50,
            ..LocalSearchConfig::default()
        },
        ..ExactConfig::default()
    }
}

#[test]
fn exact_equals_brute_force_on_small_random_instances() {
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    for case in 0..300 {
        let inst = small_instance(&mut rng);
        let want = brute_force(&inst);
        let sol = solve_exact(&inst, &quick_exact());
        assert!(sol.optimal, "case {case}: not proven optimal: {sol:?}");
        assert!(
            close(sol.objective, want, REL),
            "case {case}: exact {} vs brute force {want} on {inst:?}",
            sol.objective
        );
        assert!(sol.lower_bound <= sol.objective);
        assert!(sol.lower_bound <= want * (1.0 + 1e-12));
        assert_eq!(sol.assignment.len(), inst.num_weapons());
        assert!(close(
            inst.objective(&sol.assignment).unwrap(),
            sol.objective,
            1e-12
        ));
    }
}

#[test]
fn greedy_is_optimal_when_all_weapons_are_identical_den_broeder_1959() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for case in 0..100 {
        let n = rng.random_range(1..=8);
        let m = rng.random_range(1..=3);
        let row: Vec<f64> = (0..n).map(|_| rng.random_range(0.05..0.95)).collect();
        let values = (0..n).map(|_| rng.random_range(1.0..100.0)).collect();
        let units = (0..m).map(|_| rng.random_range(1..=4)).collect();
        let inst = WtaInstance::new(values, vec![row; m], units).unwrap();
        let g = greedy(&inst);
        assert!(g.optimal, "case {case}");
        let e = solve_exact(&inst, &quick_exact());
        assert!(e.optimal, "case {case}");
        assert!(
            close(g.objective, e.objective, REL),
            "case {case}: greedy {} vs exact {}",
            g.objective,
            e.objective
        );
        if inst.num_weapons() <= 6 && n <= 5 {
            assert!(close(g.objective, brute_force(&inst), REL), "case {case}");
        }
    }
}

#[test]
fn local_search_never_beats_exact_and_usually_matches_it() {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let cases = 200;
    let mut equal = 0;
    for case in 0..cases {
        let inst = small_instance(&mut rng);
        let e = solve_exact(&inst, &quick_exact());
        let mut ls_rng = ChaCha8Rng::seed_from_u64(case);
        let l = local_search(&inst, &LocalSearchConfig::default(), &mut ls_rng);
        assert!(
            l.objective >= e.objective * (1.0 - REL),
            "case {case}: local {} below exact {}",
            l.objective,
            e.objective
        );
        assert!(l.lower_bound <= e.objective * (1.0 + 1e-12), "case {case}");
        assert!(close(
            inst.objective(&l.assignment).unwrap(),
            l.objective,
            1e-12
        ));
        if close(l.objective, e.objective, REL) {
            equal += 1;
        }
    }
    assert!(
        equal >= cases * 95 / 100,
        "local search matched exact on {equal}/{cases}"
    );
}

#[test]
fn local_search_is_deterministic_for_a_seed() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let inst = random_instance(&mut rng, 12, 20, vec![2; 12]);
    let cfg = LocalSearchConfig {
        iterations: 300,
        time_limit_s: 1e9,
        ..LocalSearchConfig::default()
    };
    let a = local_search(&inst, &cfg, &mut ChaCha8Rng::seed_from_u64(1));
    let b = local_search(&inst, &cfg, &mut ChaCha8Rng::seed_from_u64(1));
    assert_eq!(a.assignment, b.assignment);
    assert_eq!(a.objective.to_bits(), b.objective.to_bits());
}

#[test]
fn exact_honours_its_time_limit_and_reports_a_valid_bound() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let inst = random_instance(&mut rng, 60, 90, vec![3; 60]);
    let cfg = ExactConfig {
        time_limit_s: 0.5,
        ..ExactConfig::default()
    };
    let sol = solve_exact(&inst, &cfg);
    // One more subgradient step or child bound may run after the limit is seen.
    assert!(
        sol.seconds < cfg.time_limit_s + 1.0,
        "took {} s",
        sol.seconds
    );
    assert!(sol.lower_bound <= sol.objective);
    assert!(sol.lower_bound >= 0.0);
    assert_eq!(sol.optimal, sol.gap() <= cfg.rel_tol);
    assert!(close(
        inst.objective(&sol.assignment).unwrap(),
        sol.objective,
        1e-12
    ));
}

#[test]
fn solutions_with_zero_unit_types_and_certain_kills_are_consistent() {
    // Type 1 has no units; type 0 kills target 1 for certain (p = 1).
    let inst = WtaInstance::new(
        vec![5.0, 10.0, 0.0],
        vec![vec![0.5, 1.0, 0.3], vec![0.9, 0.9, 0.9]],
        vec![2, 0],
    )
    .unwrap();
    let sol = solve_exact(&inst, &quick_exact());
    assert!(sol.optimal);
    assert_eq!(sol.assignment, vec![0, 1]);
    assert!(close(sol.objective, 2.5, 1e-15));
}

// ---- parsers and validation ----

#[test]
fn json_defaults_units_to_one_per_type() {
    let inst =
        WtaInstance::from_json_str(r#"{"values": [1, 2], "p": [[0.1, 0.2], [0.3, 0.4]]}"#).unwrap();
    assert_eq!(inst.units(), &[1, 1]);
    assert_eq!(inst.num_weapons(), 2);
    let inst =
        WtaInstance::from_json_str(r#"{"values": [1], "p": [[0.5]], "units": [3]}"#).unwrap();
    assert_eq!(inst.weapon_types(), vec![0, 0, 0]);
}

#[test]
fn validation_errors_name_the_problem() {
    let e =
        WtaInstance::new(vec![1.0, 2.0], vec![vec![0.1, 0.2], vec![0.1]], vec![1, 1]).unwrap_err();
    assert!(
        matches!(
            e,
            WtaError::RaggedRow {
                row: 1,
                len: 1,
                expected: 2
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("row 1"), "{e}");

    let e = WtaInstance::new(vec![1.0, 2.0], vec![vec![0.1, 1.5]], vec![1]).unwrap_err();
    assert!(
        matches!(e, WtaError::ProbabilityOutOfRange { weapon: 0, target: 1, value } if value == 1.5),
        "{e}"
    );
    assert!(e.to_string().contains("1.5"), "{e}");
    let e = WtaInstance::new(vec![1.0], vec![vec![f64::NAN]], vec![1]).unwrap_err();
    assert!(matches!(e, WtaError::ProbabilityOutOfRange { .. }), "{e}");

    let e = WtaInstance::new(vec![1.0, -2.0], vec![vec![0.1, 0.2]], vec![1]).unwrap_err();
    assert!(
        matches!(e, WtaError::InvalidValue { target: 1, value } if value == -2.0),
        "{e}"
    );
    let e = WtaInstance::new(vec![f64::INFINITY], vec![vec![0.1]], vec![1]).unwrap_err();
    assert!(matches!(e, WtaError::InvalidValue { target: 0, .. }), "{e}");

    let e = WtaInstance::new(vec![], vec![vec![]], vec![1]).unwrap_err();
    assert!(matches!(e, WtaError::NoTargets), "{e}");
    let e = WtaInstance::new(vec![1.0], vec![], vec![]).unwrap_err();
    assert!(matches!(e, WtaError::NoWeaponTypes), "{e}");
    let e = WtaInstance::new(vec![1.0], vec![vec![0.5]], vec![1, 2]).unwrap_err();
    assert!(
        matches!(
            e,
            WtaError::UnitsLength {
                len: 2,
                expected: 1
            }
        ),
        "{e}"
    );

    let e = WtaInstance::from_json_str("{\"values\": [1],\n \"p\": [[0.5,]]}").unwrap_err();
    assert!(matches!(e, WtaError::Json(_)), "{e}");
    assert!(e.to_string().contains("line 2"), "{e}");
    let e = WtaInstance::from_json_str(r#"{"values": [1], "p": [[2.0]]}"#).unwrap_err();
    assert!(matches!(e, WtaError::ProbabilityOutOfRange { .. }), "{e}");
}

#[test]
fn andersen_format_parses_and_errors_carry_line_numbers() {
    let ok = "2 2 3\n10\n20\n0 0 0.5\n0 1 0.25\n1 0 0.1\n1 1 0.9\n\n";
    let inst = WtaInstance::from_andersen_str(ok).unwrap();
    assert_eq!(inst.values(), &[10.0, 20.0]);
    assert_eq!(inst.p(), &[vec![0.5, 0.25], vec![0.1, 0.9]]);
    assert_eq!(inst.units(), &[3, 3]);

    let err = |text: &str| WtaInstance::from_andersen_str(text).unwrap_err();
    let e = err("2 2 3\n10\nx20\n0 0 0.5\n0 1 0.25\n1 0 0.1\n1 1 0.9\n");
    assert!(
        matches!(&e, WtaError::Syntax { line: 3, found, .. } if found == "x20"),
        "{e}"
    );
    assert!(e.to_string().starts_with("line 3"), "{e}");
    let e = err("2 2 3\n10\n20\n0 0 0.5\n0 2 0.25\n1 0 0.1\n1 1 0.9\n");
    assert!(
        matches!(
            e,
            WtaError::IndexOutOfRange {
                line: 5,
                what: "target",
                index: 2,
                bound: 2
            }
        ),
        "{e}"
    );
    let e = err("2 2 3\n10\n20\n0 0 0.5\n0 0 0.25\n1 0 0.1\n1 1 0.9\n");
    assert!(
        matches!(
            e,
            WtaError::DuplicatePair {
                line: 5,
                weapon: 0,
                target: 0
            }
        ),
        "{e}"
    );
    let e = err("2 2 3\n10\n20\n0 0 0.5\n0 1 1.25\n1 0 0.1\n1 1 0.9\n");
    assert!(
        matches!(e, WtaError::ProbabilityOutOfRangeAt { line: 5, value, .. } if value == 1.25),
        "{e}"
    );
    let e = err("2 2 3\n10\n20\n0 0 0.5\n0 1 0.25\n1 0 0.1\n");
    assert!(matches!(e, WtaError::UnexpectedEnd { .. }), "{e}");
    let e = err("2 2\n");
    assert!(matches!(e, WtaError::Syntax { line: 1, .. }), "{e}");
    let e = err("2 2 3\n10\n20\n0 0 0.5\n0 1 0.25\n1 0 0.1\n1 1 0.9\n1 1 0.9\n");
    assert!(matches!(e, WtaError::Syntax { line: 8, .. }), "{e}");
    let e = err("1 1 1\n-5\n0 0 0.5\n");
    assert!(matches!(e, WtaError::InvalidValue { target: 0, .. }), "{e}");
}

#[test]
fn objective_rejects_malformed_assignments() {
    let inst = WtaInstance::new(vec![1.0, 2.0], vec![vec![0.5, 0.5]], vec![2]).unwrap();
    assert!(matches!(
        inst.objective(&[0]),
        Err(WtaError::AssignmentLength {
            len: 1,
            expected: 2
        })
    ));
    assert!(matches!(
        inst.objective(&[0, 2]),
        Err(WtaError::AssignmentTarget {
            weapon: 1,
            target: 2,
            targets: 2
        })
    ));
    assert!(close(inst.objective(&[0, 1]).unwrap(), 1.5, 1e-15));
}

// ---- public instances of Andersen, Pavlikov & Toffolo (2022) ----

/// Shipped as data under `bench/` (GPL-3.0, licence beside them).
fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench/wta-andersen2022")
}

#[test]
fn andersen_files_are_zero_based_and_complete() {
    let dir = reference_dir();
    let inst = WtaInstance::from_path(&dir.join("wta_50x100x2.txt")).unwrap();
    assert_eq!((inst.num_types(), inst.num_targets()), (50, 100));
    assert_eq!(inst.units()[0], 2);
    // head -4 wta_50x100x1.txt: value of target 0 is 13, p[0][0] = 0.409311426086.
    assert_eq!(inst.values()[0], 13.0);
    assert_eq!(inst.p()[0][0], 0.409311426086);
    // tail -1: "49 99 0.792880953021".
    assert_eq!(inst.p()[49][99], 0.792880953021);
}

/// Reference optima: an independent exact MILP solve (HiGHS) recorded in the instances' README
/// (`bench/wta-andersen2022/README.md`); compared at 1e-8 relative, the README's
/// advice, above our 1e-9 proof tolerance.
#[test]
fn public_instances_50x100x1_and_100x200x1_solve_to_proven_optimality() {
    let dir = reference_dir();
    for (name, want) in [
        ("wta_50x100x1.txt", 1734.302278),
        ("wta_100x200x1.txt", 2862.302805),
    ] {
        let inst = WtaInstance::from_path(&dir.join(name)).unwrap();
        let sol = solve_exact(
            &inst,
            &ExactConfig {
                time_limit_s: 120.0,
                ..ExactConfig::default()
            },
        );
        assert!(
            sol.optimal,
            "{name}: {} .. {}",
            sol.lower_bound, sol.objective
        );
        assert!(
            close(sol.objective, want, 1e-8),
            "{name}: {} vs {want}",
            sol.objective
        );
        assert!(
            close(sol.lower_bound, want, 1e-8),
            "{name}: LB {}",
            sol.lower_bound
        );
    }
}

/// The enumeration reference on a hand-solved instance, and its size limit.
#[test]
fn brute_force_optimum_by_hand_and_its_limit() {
    // Two targets worth 10 and 4; one type, two units, p = 0.5 on both. Options: both on
    // target 0 → 10·0.25 + 4 = 6.5; one each → 5 + 2 = 7; both on target 1 → 10 + 1 = 11.
    let inst = WtaInstance::new(vec![10.0, 4.0], vec![vec![0.5, 0.5]], vec![2]).unwrap();
    assert_eq!(inst.brute_force_optimum(4), Some(6.5));
    assert_eq!(inst.brute_force_optimum(3), None); // 2² = 4 assignments
}
