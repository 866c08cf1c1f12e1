//! A PostgreSQL server of the test's own, started from the installed server binaries (Debian's
//! `postgresql` package, as `.ci/run` installs it) in a temporary directory, reached through a
//! Unix socket in that directory only, and stopped when dropped, also when the test fails. Run
//! as root, the cluster belongs to the `postgres` user, as the server refuses to run as root.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where Debian installs each major version's server binaries.
const VERSIONS_DIR: &str = "/usr/lib/postgresql";
/// The server's port: it names the socket file; no TCP port is opened.
const PORT: u16 = 5432;

/// A running server.
pub struct PgServer {
    bin: PathBuf,
    /// The cluster's directory and the socket's; removed after the server stops.
    root: tempfile::TempDir,
    as_postgres: bool,
    databases: AtomicUsize,
}

/// The directory of the newest installed server binaries that has `initdb` and `pg_ctl`.
fn server_binaries() -> Option<PathBuf> {
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir(VERSIONS_DIR)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((version, bin))
        })
        .collect();
    dirs.sort();
    dirs.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Runs a program and fails the test with its output if it fails.
fn run(mut cmd: Command, what: &str) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl PgServer {
    /// Starts a server for `test`, or says in one line that PostgreSQL is missing and gives
    /// none (a failure under `ACCORD_REQUIRE_ALL`).
    pub fn start(test: &str) -> Option<PgServer> {
        let bin = server_binaries();
        if !accord_testkit::require(
            test,
            "PostgreSQL (initdb and pg_ctl under /usr/lib/postgresql/*/bin)",
            bin.is_some(),
            "install the Debian package postgresql, as .ci/run does",
        ) {
            return None;
        }
        let bin = bin?;
        let root = tempfile::Builder::new()
            .prefix("accord-pg")
            .tempdir()
            .expect("a temporary directory");
        let as_postgres = is_root();
        if as_postgres {
            let mut chown = Command::new("chown");
            chown.arg("postgres:").arg(root.path());
            run(chown, "chown of the cluster directory to postgres");
        }
        let server = PgServer {
            bin,
            root,
            as_postgres,
            databases: AtomicUsize::new(0),
        };
        let data = server.data();
        let mut initdb = server.server_command("initdb");
        initdb.arg("-D").arg(&data).args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        run(initdb, "initdb");
        let mut start = server.server_command("pg_ctl");
        start
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(server.root.path().join("server.log"))
            .args(["-w", "-o"])
            .arg(format!(
                "-k {} -p {PORT} -c listen_addresses= -c fsync=off",
                server.socket_dir().display()
            ))
            .arg("start");
        run(start, "pg_ctl start");
        Some(server)
    }

    fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    fn socket_dir(&self) -> &Path {
        self.root.path()
    }

    /// A command running a server program, as the `postgres` user when the test runs as root.
    fn server_command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// A command running a client program (`createdb`, `pg_dump`, `pg_restore`) against the
    /// server.
    pub fn client_command(&self, program: &str) -> Command {
        let mut c = Command::new(self.bin.join(program));
        c.arg("-h")
            .arg(self.socket_dir())
            .args(["-p", &PORT.to_string(), "-U", "postgres"]);
        c
    }

    /// The connection URL of database `name`.
    pub fn url(&self, name: &str) -> String {
        let host: String = self
            .socket_dir()
            .display()
            .to_string()
            .replace('%', "%25")
            .replace('/', "%2F");
        format!("postgresql://postgres@{host}:{PORT}/{name}")
    }

    /// Creates a new, empty database and gives its connection URL.
    pub fn new_database(&self) -> (String, String) {
        let name = format!("node{}", self.databases.fetch_add(1, Ordering::SeqCst));
        let mut c = self.client_command("createdb");
        c.arg(&name);
        run(c, "createdb");
        (name.clone(), self.url(&name))
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let mut stop = self.server_command("pg_ctl");
        stop.arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"]);
        // Stopping is all that is left to do; a failure here shows in the server log.
        let _ = stop.output();
    }
}
