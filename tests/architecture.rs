//! ARCHITECTURE.md's table of crates says what each crate depends on among the workspace's own
//! crates; this test holds it to the Cargo manifests, so the document cannot drift from the code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The table's rows: crate name -> the workspace crates it says it depends on (short names).
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut rows = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("| `accord")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
        assert_eq!(
            cells.len(),
            3,
            "a row of the crates table has three cells: {line}"
        );
        let name = cells[0]
            .split('`')
            .nth(1)
            .unwrap_or_else(|| panic!("no crate name in backquotes: {line}"))
            .to_owned();
        // Parenthesised words say why a dependency is there; they are not crate names.
        let mut deps = String::new();
        let mut depth = 0usize;
        for c in cells[2].trim().chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                c if depth == 0 => deps.push(c),
                _ => {}
            }
        }
        let deps: BTreeSet<String> = if deps.trim() == "none" {
            BTreeSet::new()
        } else {
            deps.split(',')
                .map(|d| d.split_whitespace().next().unwrap_or_default().to_owned())
                .collect()
        };
        rows.insert(name, deps);
    }
    rows
}

/// The workspace crates each manifest lists under `[dependencies]` (short names).
fn manifests() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![root.join("Cargo.toml")];
    for entry in std::fs::read_dir(root.join("crates")).expect("crates/") {
        let path = entry.expect("crates/ entry").path().join("Cargo.toml");
        if path.exists() {
            paths.push(path);
        }
    }
    let mut out = BTreeMap::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("manifest");
        let manifest: toml::Table = toml::from_str(&text).expect("manifest parses");
        let name = manifest["package"]["name"]
            .as_str()
            .expect("package.name")
            .to_owned();
        let deps: BTreeSet<String> = manifest
            .get("dependencies")
            .and_then(|d| d.as_table())
            .map(|t| {
                t.keys()
                    .filter_map(|k| k.strip_prefix("accord-"))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        out.insert(name, deps);
    }
    out
}

#[test]
fn the_crates_table_matches_the_manifests() {
    let documented = documented();
    let manifests = manifests();
    assert_eq!(
        documented.keys().collect::<Vec<_>>(),
        manifests.keys().collect::<Vec<_>>(),
        "ARCHITECTURE.md lists exactly the workspace's crates"
    );
    for (name, deps) in &manifests {
        assert_eq!(
            &documented[name], deps,
            "ARCHITECTURE.md's dependencies of {name} (left) differ from its Cargo.toml (right)"
        );
    }
}
