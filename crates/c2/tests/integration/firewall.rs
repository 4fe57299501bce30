//! The truth firewall: C2 sees tracks, never truth. Neither this crate nor any workspace crate it
//! depends on (directly or through another) may depend on `iadsim-physics`, `iadsim-sensors`,
//! `iadsim-interceptor` or `iadsim-engine`.
use std::collections::BTreeSet;
use std::path::Path;

/// Workspace crates under the firewall's other side.
const FORBIDDEN: [&str; 4] = [
    "iadsim-physics",
    "iadsim-sensors",
    "iadsim-interceptor",
    "iadsim-engine",
];

/// The `iadsim-*` names in the `[dependencies]` section of a manifest (dev-dependencies are
/// test-only and do not cross the firewall).
fn workspace_dependencies(manifest: &str) -> Vec<String> {
    let mut in_deps = false;
    let mut deps = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        let name = line.split(['.', '=', ' ']).next().unwrap_or("");
        if in_deps && name.starts_with("iadsim-") {
            deps.push(name.to_string());
        }
    }
    deps
}

#[test]
fn c2_depends_on_no_truth_crate_even_indirectly() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seen = BTreeSet::new();
    let mut todo = vec![("iadsim-c2".to_string(), "c2".to_string())];
    while let Some((name, dir)) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let path = crates.join(&dir).join("Cargo.toml");
        let manifest = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        for dep in workspace_dependencies(&manifest) {
            assert!(
                !FORBIDDEN.contains(&dep.as_str()),
                "{name} depends on {dep}: C2 must not see truth"
            );
            let dir = dep.trim_start_matches("iadsim-").to_string();
            todo.push((dep, dir));
        }
    }
    assert!(seen.contains("iadsim-core"), "the walk found {seen:?}");
}

#[test]
fn the_manifest_reader_finds_dependencies_only_in_their_section() {
    let manifest = "[package]\nname = \"iadsim-x\"\n[dependencies]\niadsim-core.workspace = true\n\
                    iadsim-geo = { path = \"../geo\" }\nserde = \"1\"\n[dev-dependencies]\n\
                    iadsim-engine.workspace = true\n";
    assert_eq!(
        workspace_dependencies(manifest),
        ["iadsim-core", "iadsim-geo"]
    );
}
