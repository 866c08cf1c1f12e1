//! Helpers shared by the command-line tests: run the built `accord` and read what it printed.
// Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

pub mod relay;

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

/// How often a wait looks at its condition again.
const POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// Waits until `check` gives `Ok`, looking again every few milliseconds; fails after `limit`
/// with `what` and the last `Err` (what was seen instead).
pub fn wait_until<T>(
    what: &str,
    limit: std::time::Duration,
    mut check: impl FnMut() -> Result<T, String>,
) -> T {
    let deadline = std::time::Instant::now() + limit;
    loop {
        match check() {
            Ok(v) => return v,
            Err(seen) => assert!(
                std::time::Instant::now() < deadline,
                "{what}: not within {limit:?}; last seen: {seen}"
            ),
        }
        std::thread::sleep(POLL);
    }
}

/// [`wait_until`] for a condition that is itself asynchronous (a request to a node).
pub async fn wait_until_async<T, F>(
    what: &str,
    limit: std::time::Duration,
    mut check: impl FnMut() -> F,
) -> T
where
    F: std::future::Future<Output = Result<T, String>>,
{
    let deadline = std::time::Instant::now() + limit;
    loop {
        match check().await {
            Ok(v) => return v,
            Err(seen) => assert!(
                std::time::Instant::now() < deadline,
                "{what}: not within {limit:?}; last seen: {seen}"
            ),
        }
        tokio::time::sleep(POLL).await;
    }
}
