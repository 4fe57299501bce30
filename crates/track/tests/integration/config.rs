//! Configuration: defaults, parsing, validation.
use iadsim_track::{TrackError, Tracker, TrackerConfig};

#[test]
fn bad_config_error_names_the_field_and_value() {
    let config = TrackerConfig {
        m: 4,
        n: 3,
        ..TrackerConfig::default()
    };
    let err = Tracker::new(config).unwrap_err();
    assert!(
        matches!(&err, TrackError::InvalidConfig { field: "m", value, .. } if *value == 4.0),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("`m` = 4") && text.contains("n = 3"), "{text}");

    let config = TrackerConfig {
        gate_probability: 1.0,
        ..TrackerConfig::default()
    };
    let text = config.validate().unwrap_err().to_string();
    assert!(
        text.contains("gate_probability") && text.contains("= 1,") && text.contains("< 1"),
        "{text}"
    );

    for bad in [
        TrackerConfig {
            q_m2ps3: -1.0,
            ..Default::default()
        },
        TrackerConfig {
            q_m2ps3: f64::NAN,
            ..Default::default()
        },
        TrackerConfig {
            n: 65,
            m: 2,
            ..Default::default()
        },
        TrackerConfig {
            m: 0,
            ..Default::default()
        },
        TrackerConfig {
            max_misses_tentative: 0,
            ..Default::default()
        },
        TrackerConfig {
            max_misses_confirmed: 0,
            ..Default::default()
        },
        TrackerConfig {
            init_velocity_sigma_mps: 0.0,
            ..Default::default()
        },
        TrackerConfig {
            max_position_variance_m2: 0.0,
            ..Default::default()
        },
    ] {
        assert!(bad.validate().is_err(), "{bad:?} accepted");
    }
    assert!(TrackerConfig::default().validate().is_ok());
}

#[test]
fn config_parses_with_defaults_and_rejects_unknown_fields() {
    let config: TrackerConfig = toml::from_str("q_m2ps3 = 20.0\nm = 3\nn = 5\n").unwrap();
    assert_eq!(config.q_m2ps3, 20.0);
    assert_eq!((config.m, config.n), (3, 5));
    assert_eq!(
        config.gate_probability,
        TrackerConfig::default().gate_probability
    );
    let err = toml::from_str::<TrackerConfig>("q = 20.0\n").unwrap_err();
    assert!(err.to_string().contains("unknown field"), "{err}");
}
