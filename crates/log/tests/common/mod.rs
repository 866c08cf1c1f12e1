//! Building the Go programs of the interop tests offline, against Debian's Go and x/mod.

use std::path::{Path, PathBuf};
use std::process::Command;

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
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("interop/{name}/main.go"));
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
