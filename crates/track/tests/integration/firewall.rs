//! The truth firewall: the tracker sees plots only, so `iadsim-track` must not depend on the
//! crates that hold truth or the simulation (docs/architecture.md).

#[test]
fn track_depends_on_no_truth_or_simulation_crate() {
    let manifest = include_str!("../../Cargo.toml");
    let table: toml::Table = toml::from_str(manifest).expect("Cargo.toml parses");
    let forbidden = [
        "iadsim-physics",
        "iadsim-sensors",
        "iadsim-interceptor",
        "iadsim-engine",
    ];
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let Some(deps) = table.get(section).and_then(|d| d.as_table()) else {
            continue;
        };
        for name in forbidden {
            assert!(
                !deps.contains_key(name),
                "iadsim-track [{section}] names {name}: the tracker must not see truth"
            );
        }
    }
    // The check reads what it should: the crate's own dependencies are there.
    let deps = table["dependencies"].as_table().expect("[dependencies]");
    assert!(deps.contains_key("iadsim-core") && deps.contains_key("nalgebra"));
}
