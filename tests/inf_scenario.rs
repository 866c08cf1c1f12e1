//! The INF scenario from the command line: its records use the categories the INF agreement
//! file defines, and both `records lint` and `check` take them as judged records.

mod common;

use std::path::Path;

use common::{accord, code, stderr, stdout};

#[test]
fn the_inf_scenario_lints_clean_and_check_judges_every_record() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = accord(&["records", "lint", "examples/inf-9m729"], repo);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "ok: 8 records in 1 files\n");
    let out = accord(&["check", "examples/inf-9m729"], repo);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stderr(&out).contains("not judged"), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("0 violations, 3 concerns, 0 compliant, 5 not applicable"),
        "{}",
        stdout(&out)
    );
}
