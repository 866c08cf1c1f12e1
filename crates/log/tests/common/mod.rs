//! Building the Go programs of the interop tests offline, against Debian's Go and x/mod.
// Each test file uses what it needs of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Where Debian's golang-golang-x-mod-dev installs its sources (GOPATH mode).
pub const GOPATH: &str = "/usr/share/gocode";

/// Builds `interop/<name>/main.go` into `out_dir`; `None` (with a skip note on the terminal)
/// only when `go` is absent and `ACCORD_REQUIRE_ALL` is unset; with it set (`.ci/run`), a missing
/// Go fails the test.
pub fn go_build(name: &str, out_dir: &Path) -> Option<PathBuf> {
    let go = Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !accord_testkit::require(
        name,
        "Go (`go`)",
        go,
        "apt-get install golang-go golang-golang-x-mod-dev",
    ) {
        return None;
    }
    assert!(
        Path::new(GOPATH)
            .join("src/golang.org/x/mod/sumdb/tlog")
            .is_dir(),
        "golang-golang-x-mod-dev is not installed under {GOPATH}"
    );
    // From the manifest directory of accord-log or of a sibling crate whose tests use it too.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../log/interop/{name}/main.go"));
    let bin = out_dir.join(name);
    let build = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg(&src)
        .env("GO111MODULE", "off")
        .env("GOPATH", GOPATH)
        .env("GOPROXY", "off")
        .env("GOFLAGS", "")
        .env("GOCACHE", out_dir.join("gocache"))
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "go build of {name} failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    Some(bin)
}

/// Kills a Go program when the test ends, however it ends.
pub struct Reaper(pub Child);

impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the Go witness `bin` (built by [`go_build`]) for the log with verifier key `log_vkey`,
/// cosigning as `name` with the Ed25519 key of `seed`; returns it and the port it listens on.
pub fn go_witness(bin: &Path, log_vkey: &str, name: &str, seed: &[u8; 32]) -> (Reaper, u16) {
    use std::io::BufRead as _;
    let mut child = Command::new(bin)
        .args(["serve", log_vkey, name])
        .arg(hex::encode(seed))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let reaper = Reaper(child);
    let port = first
        .strip_prefix("listening ")
        .unwrap_or_else(|| panic!("the Go witness said {first:?}"))
        .trim()
        .parse()
        .unwrap();
    (reaper, port)
}

/// Runs the Go witness client `bin` against the witness at `url` (its submission prefix) for the
/// log whose signed-note private key is `log_skey`, and asserts that it met every answer of
/// `add-checkpoint` and found the cosignatures valid by `witness_vkey`.
pub fn go_witness_client(bin: &Path, url: &str, log_skey: &str, witness_vkey: &str) {
    let out = Command::new(bin)
        .args(["client", url, log_skey, witness_vkey])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for step in [
        "first checkpoint cosigned (200)",
        "stale old size refused (409)",
        "bad consistency proof refused (422)",
        "consistent growth cosigned (200)",
        "same checkpoint cosigned again (200)",
        "fork at the same size refused (409)",
        "old size above the size refused (400)",
        "malformed body refused (400)",
        "unknown origin refused (404)",
        "untrusted key refused (403)",
    ] {
        assert!(stdout.contains(&format!("ok {step}")), "{step}: {stdout}");
    }
}
