//! The crate graph is a tested contract: the truth firewall holds, and `docs/architecture.md`
//! lists exactly the dependency edges the `Cargo.toml` files declare.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Each workspace crate's name and the workspace crates in its `[dependencies]` (not dev- or
/// build-dependencies: tests may use anything).
fn crate_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    let crates = std::fs::read_dir(workspace_root().join("crates")).expect("crates/ is readable");
    for entry in crates {
        let manifest = entry.expect("directory entry").path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let doc: toml::Table = toml::from_str(&text).expect("Cargo.toml parses");
        let name = doc["package"]["name"]
            .as_str()
            .expect("package.name")
            .to_string();
        let deps = doc
            .get("dependencies")
            .and_then(|d| d.as_table())
            .map(|d| {
                d.keys()
                    .filter(|k| k.starts_with("iadsim-"))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        graph.insert(name, deps);
    }
    graph
}

/// Everything `name` depends on, directly or through other workspace crates.
fn closure(graph: &BTreeMap<String, BTreeSet<String>>, name: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![name.to_string()];
    while let Some(n) = stack.pop() {
        for d in graph.get(&n).into_iter().flatten() {
            if seen.insert(d.clone()) {
                stack.push(d.clone());
            }
        }
    }
    seen
}

#[test]
fn track_and_c2_never_depend_on_truth_grade_crates() {
    let graph = crate_graph();
    let forbidden = [
        "iadsim-physics",
        "iadsim-sensors",
        "iadsim-interceptor",
        "iadsim-engine",
    ];
    for researcher_crate in ["iadsim-track", "iadsim-c2"] {
        assert!(
            graph.contains_key(researcher_crate),
            "{researcher_crate} not found"
        );
        let deps = closure(&graph, researcher_crate);
        for f in forbidden {
            assert!(
                !deps.contains(f),
                "truth firewall: {researcher_crate} depends on {f} (directly or transitively); \
                 it must see plots and track reports only"
            );
        }
    }
}

#[test]
fn architecture_doc_lists_exactly_the_cargo_dependency_edges() {
    let doc = std::fs::read_to_string(workspace_root().join("docs/architecture.md"))
        .expect("docs/architecture.md is readable");
    let marker =
        "<!-- dependency edges: checked by crates/engine/tests/integration/architecture.rs -->";
    let block = doc
        .split_once(marker)
        .expect("docs/architecture.md has the dependency-edges block")
        .1
        .split("```")
        .nth(1)
        .expect("the block is fenced");
    let mut documented = BTreeMap::new();
    for line in block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "text")
    {
        let (name, deps) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("edge line without ':': {line}"));
        let deps: BTreeSet<String> = deps.split_whitespace().map(String::from).collect();
        documented.insert(name.trim().to_string(), deps);
    }
    assert_eq!(
        documented,
        crate_graph(),
        "docs/architecture.md's dependency edges differ from the Cargo.toml files: update the doc"
    );
}
