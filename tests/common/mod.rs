//! Helpers shared by the command-line tests: run the built `accord` and read what it printed.
// Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the built `accord` with `args` in `cwd`.
pub fn accord(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        // Output in English whatever the machine's locale, as the tests read it.
        .env("ACCORD_LANG", "en")
        .current_dir(cwd)
        .output()
        .expect("accord runs")
}

/// What a run printed on standard output.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What a run printed on standard error.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A run's exit code.
pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

/// Runs and expects exit 0, returning stdout.
pub fn ok(args: &[&str], cwd: &Path) -> String {
    let o = accord(args, cwd);
    assert_eq!(code(&o), 0, "{args:?}\n{}{}", stdout(&o), stderr(&o));
    stdout(&o)
}
