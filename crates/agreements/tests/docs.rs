//! docs/agreements.md lists every provision of the embedded agreements, each with the text it
//! encodes and how the engine judges it.

use std::path::Path;

#[test]
fn every_provision_is_listed_with_its_text_and_how_it_is_judged() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/agreements.md"),
    )
    .unwrap();
    let agreements = accord_agreements::builtin().unwrap();
    assert_eq!(agreements.len(), 5);
    let mut rows = 0;
    for a in &agreements {
        assert!(
            doc.contains(&format!("(`{}.toml`", a.id))
                || doc.contains(&format!("`{}.toml`)", a.id)),
            "no section names {}.toml",
            a.id
        );
        for p in &a.provisions {
            let start = format!("| `{}` |", p.id);
            let row = doc
                .lines()
                .find(|l| l.starts_with(&start))
                .unwrap_or_else(|| panic!("docs/agreements.md has no row for {} {}", a.id, p.id));
            // Three cells: the provision, the text it encodes, how it is judged.
            let cells: Vec<&str> = row.trim_matches('|').split(" | ").collect();
            assert_eq!(cells.len(), 3, "{row}");
            assert!(cells.iter().all(|c| !c.trim().is_empty()), "{row}");
            rows += 1;
        }
    }
    // And no row for a provision that does not exist.
    let section = doc
        .split("## Every provision encoded")
        .nth(1)
        .and_then(|s| s.split("### The engine's own readings").next())
        .expect("the section listing every provision");
    let listed: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    assert_eq!(listed.len(), rows, "{listed:?}");
}
