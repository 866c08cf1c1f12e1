//! Test support for accord's test suites.
//!
//! Some tests need something outside the repository: the shared reference material
//! (`ACCORD_SHARED`), Go, PostgreSQL, Chromium. Where it is missing they skip, and say so on the
//! terminal (the test harness hides what a passing test prints with `println!`, so the note is
//! written to the process's standard error directly). With `ACCORD_REQUIRE_ALL` set, as `.ci/run`
//! sets it, a missing dependency fails the test instead: nothing is skipped in CI.
#![deny(missing_docs)]
#![deny(unsafe_code)]

use std::io::Write as _;
use std::path::PathBuf;

/// The variable that turns every skip into a failure.
pub const REQUIRE_ALL: &str = "ACCORD_REQUIRE_ALL";

/// Whether every external dependency of the suite is required (`ACCORD_REQUIRE_ALL` is set and
/// not `0`).
pub fn all_required() -> bool {
    std::env::var_os(REQUIRE_ALL).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Decides whether a test that needs `what` runs: true when `available`; otherwise a visible
/// skip note naming the test and how to get `what`, or a panic when every dependency is
/// required.
pub fn require(test: &str, what: &str, available: bool, how: &str) -> bool {
    if available {
        return true;
    }
    assert!(
        !all_required(),
        "{test}: {what} is missing and {REQUIRE_ALL} is set: {how}"
    );
    // Written to stderr directly, not through `eprintln!`, so the harness does not capture it.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {what} is missing ({how})"
    );
    false
}

/// Decides whether a test of something this machine may lack by its make (a CPU feature) runs:
/// true when `available`; otherwise a visible skip note naming the test. Never a failure, even
/// under [`REQUIRE_ALL`]: no setup can supply what the hardware lacks.
pub fn runs_on_this_machine(test: &str, what: &str, available: bool) -> bool {
    if !available {
        // Written to stderr directly, as in `require`.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: {what} is missing on this machine"
        );
    }
    available
}

/// The shared reference directory (`ACCORD_SHARED`) if it is set and exists, after a visible
/// skip note (or a failure under [`REQUIRE_ALL`]) when it is not.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("ACCORD_SHARED").map(PathBuf::from);
    let ok = dir.as_ref().is_some_and(|d| d.is_dir());
    if require(
        test,
        "the shared reference directory",
        ok,
        "set ACCORD_SHARED to the directory holding corpus/ and reference/",
    ) {
        dir
    } else {
        None
    }
}

/// Whether a program answers `--version` (or the given probe arguments) successfully.
pub fn program_runs(program: &str, args: &[&str]) -> bool {
    std::process::Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_available_dependency_runs_the_test() {
        assert!(require("t", "x", true, "nothing to do"));
    }

    #[test]
    fn a_missing_program_is_detected() {
        assert!(!program_runs("accord-testkit-no-such-program", &[]));
        assert!(program_runs("true", &[]));
    }
}
