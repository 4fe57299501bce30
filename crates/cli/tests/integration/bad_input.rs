//! Every way the commands refuse bad input, as one table: the arguments, the fragments the
//! error message must contain, and the exit code (1 for a refused value or file, 2 for a usage
//! error caught by the argument parser).
use crate::{iadsim, stderr, temp_dir};

/// `{dir}` in an argument stands for a folder holding the bad files written by [`fixtures`].
const CASES: &[(&[&str], &[&str], i32)] = &[
    // geo
    (&["geo", "inverse", "95", "0", "0", "0"], &["95"], 1),
    // run and validate
    (
        &["run", "/nonexistent/scenario.toml"],
        &["cannot read /nonexistent/scenario.toml"],
        1,
    ),
    (
        &["validate", "{dir}/s.toml"],
        &["s.toml:", "unknown field `sed`", "hint:"],
        1,
    ),
    // radar
    (
        &["radar", "pd", "--snr-db", "10", "--swerling", "7"],
        &["--swerling 7"],
        1,
    ),
    // wta
    (&["wta", "solve", "{dir}/ragged.json"], &["row"], 1),
    // coverage
    (&["coverage", "--altitude", "100"], &["--rcs"], 2),
    (
        &["coverage", "--rcs", "0", "--altitude", "100"],
        &["--rcs 0 must be a positive number"],
        1,
    ),
    (
        &["coverage", "--rcs", "1", "--altitude", "100", "--pd", "1"],
        &["--pd 1 must lie strictly between 0 and 1"],
        1,
    ),
    (
        &["coverage", "--rcs", "1", "--altitude", "100", "--grid", "8"],
        &["--grid 8 must be between 16 and 4000"],
        1,
    ),
    (
        &[
            "coverage",
            "--rcs",
            "1",
            "--altitude",
            "100",
            "--swerling",
            "5",
        ],
        &["--swerling 5"],
        1,
    ),
    // envelope
    (
        &["envelope", "--missile", "S-500"],
        &[
            "unknown missile preset \"S-500\"",
            "48N6E3",
            "9M96E",
            "PAC-3 MSE",
        ],
        1,
    ),
    (
        &["envelope", "--missile", "9M96E", "--target-speed", "0"],
        &["--target-speed 0"],
        1,
    ),
    (
        &["envelope", "--missile", "9M96E", "--target-speed", "-250"],
        &["--target-speed -250"],
        1,
    ),
    (
        &["envelope", "--missile", "9M96E", "--target-heading", "360"],
        &["--target-heading 360"],
        1,
    ),
    (
        &["envelope", "--missile", "9M96E", "--target-heading", "-10"],
        &["--target-heading -10"],
        1,
    ),
    (
        &[
            "envelope",
            "--missile",
            "9M96E",
            "--target-altitude",
            "-600",
        ],
        &["--target-altitude -600"],
        1,
    ),
    (
        &[
            "envelope",
            "--missile",
            "9M96E",
            "--target-altitude",
            "100,NaN",
        ],
        &["--target-altitude NaN"],
        1,
    ),
    (
        &["envelope", "--missile", "9M96E", "--ranges", "1"],
        &["--ranges 1"],
        1,
    ),
    (
        &["envelope", "--missile", "9M96E", "--altitudes", "0"],
        &["--altitudes 0"],
        1,
    ),
    (
        &[
            "envelope",
            "--missile",
            "9M96E",
            "--target-altitude",
            "5000",
            "--altitudes",
            "3",
        ],
        &["either --target-altitude or --altitudes"],
        1,
    ),
];

/// Writes the bad files the table refers to: the default scenario with a misspelt key, and a
/// WTA instance with a short row.
fn fixtures() -> std::path::PathBuf {
    let dir = temp_dir("bad-input");
    let o = iadsim(&["scenario", "default"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bad = String::from_utf8_lossy(&o.stdout).replacen("seed = 42", "seed = 42\nsed = 1", 1);
    assert!(
        bad.contains("sed = 1"),
        "the default scenario has no `seed = 42` line"
    );
    std::fs::write(dir.join("s.toml"), bad).expect("write");
    std::fs::write(
        dir.join("ragged.json"),
        r#"{"values": [10, 5], "p": [[0.5, 0.2], [0.3]]}"#,
    )
    .expect("write");
    dir
}

#[test]
fn bad_input_is_refused_with_the_value_and_the_exit_code() {
    let dir = fixtures();
    let dir_str = dir.to_str().expect("utf-8");
    for (args, fragments, code) in CASES {
        let args: Vec<String> = args.iter().map(|a| a.replace("{dir}", dir_str)).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = iadsim(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(*code), "{args:?}: {err}");
        for f in *fragments {
            assert!(err.contains(f), "{args:?}: no {f:?} in {err}");
        }
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(dir);
}
