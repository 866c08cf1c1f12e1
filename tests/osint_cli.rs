//! `accord osint ingest` as a user types it: the store keeps reports apart by content and source
//! address, never by file name alone.

mod common;

use common::{accord, code, ok, stderr, stdout};

const HEAD: &str = "outlet: Test\npublished: 2022-01-26\ntitle: unknown\n\n";

#[test]
fn ingest_keeps_a_different_report_with_the_same_file_name_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (folder, url, body) in [
        ("a", "https://a.example/1", "Russia moved 10,000 troops."),
        (
            "b",
            "https://b.example/9",
            "The US sent three shipments of aid.",
        ),
    ] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        std::fs::write(
            dir.join(folder).join("001.txt"),
            format!("url: {url}\n{HEAD}{body}"),
        )
        .unwrap();
    }
    let first = ok(&["osint", "ingest", "a", "--store", "s"], dir);
    assert!(first.contains("1 new, 0 already stored; 1 in"), "{first}");
    let second = ok(&["osint", "ingest", "b/001.txt", "--store", "s"], dir);
    assert!(
        second.contains(
            "note: b/001.txt differs from stored report 001.txt with the same file name; both are kept, the new one as 001.txt~"
        ),
        "{second}"
    );
    assert!(second.contains("1 new, 0 already stored; 2 in"), "{second}");
    // Reading the same files again stores nothing new.
    let again = accord(
        &["osint", "ingest", "a", "b", "--store", "s", "--json"],
        dir,
    );
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    let v: serde_json::Value = serde_json::from_str(stdout(&again).trim()).unwrap();
    assert_eq!(v["added"], 0);
    assert_eq!(v["unchanged"], 2);
    assert_eq!(v["total"], 2);
    // Both reports are there, each with its own claims.
    let claims = ok(&["osint", "claims", "--store", "s"], dir);
    assert!(claims.contains("10000"), "{claims}");
    assert!(claims.contains("shipments"), "{claims}");
}

#[test]
fn a_changed_page_at_a_stored_address_is_kept_beside_the_older_text() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let page = |body: &str| format!("url: https://a.example/1\n{HEAD}{body}");
    std::fs::write(dir.join("old.txt"), page("Russia moved 10,000 troops.")).unwrap();
    std::fs::write(dir.join("new.txt"), page("Russia moved 12,000 troops.")).unwrap();
    ok(&["osint", "ingest", "old.txt", "--store", "s"], dir);
    let out = ok(&["osint", "ingest", "new.txt", "--store", "s"], dir);
    assert!(
        out.contains("note: new.txt differs from stored report old.txt with the same address; both are kept, the new one as new.txt"),
        "{out}"
    );
}

#[test]
fn a_damaged_store_is_refused_with_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("s")).unwrap();
    std::fs::write(
        dir.join("s/reports.jsonl"),
        "{\"id\": \"x\", \"body\": \"ok\"}\nnot json\n",
    )
    .unwrap();
    let out = accord(&["osint", "claims", "--store", "s"], dir);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(
        stderr(&out).contains("reports.jsonl: line 2: not a report"),
        "{}",
        stderr(&out)
    );
}
