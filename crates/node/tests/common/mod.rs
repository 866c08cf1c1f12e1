//! Helpers shared by the node's tests of operations and key rotation.

#![allow(dead_code)]

pub mod postgres;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant as Deadline};

use accord_model::{Acknowledgement, PartyId, Record, RecordBody, RecordId};
use accord_node::client::Client;
use accord_node::store::DatabaseChoice;
use accord_node::{Config, Node, PeerConfig, backup, keys};

/// Where a test's nodes keep their tables and logs.
#[derive(Clone)]
pub enum Backend {
    /// SQLite files in each node's data directory.
    Sqlite,
    /// A database per node on a PostgreSQL server of the test's own.
    Postgres(Arc<postgres::PgServer>),
}

impl Backend {
    /// SQLite, and PostgreSQL where its server binaries are installed (else a one-line skip
    /// note, or a failure under `ACCORD_REQUIRE_ALL`).
    pub fn each(test: &str) -> Vec<Backend> {
        let mut all = vec![Backend::Sqlite];
        if let Some(server) = postgres::PgServer::start(test) {
            all.push(Backend::Postgres(Arc::new(server)));
        }
        all
    }

    /// The backend's name, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres(_) => "PostgreSQL",
        }
    }

    /// The database of a new node: its data directory's files, or a new PostgreSQL database.
    pub fn new_database(&self) -> DatabaseChoice {
        match self {
            Backend::Sqlite => DatabaseChoice::Sqlite,
            Backend::Postgres(server) => DatabaseChoice::Postgres(server.new_database().1),
        }
    }

    /// The configuration of a node of `party` in `dir` on `database`.
    pub fn config(
        database: &DatabaseChoice,
        party: &str,
        dir: &Path,
        peers: Vec<PeerConfig>,
    ) -> Config {
        let mut config = Config::new(p(party), dir.to_owned(), peers);
        config.database = database.clone();
        config
    }

    /// Backs the node of data directory `data` and database `database` up into the new
    /// directory `to`, while it runs (`accord node backup`: SQLite files copied, or a
    /// PostgreSQL database dumped with pg_dump).
    pub fn backup(&self, data: &Path, database: &DatabaseChoice, to: &Path) {
        let manifest = backup::backup_in(data, database, to).unwrap();
        assert_eq!(
            manifest.dump.is_some(),
            matches!(self, Backend::Postgres(_)),
            "{manifest:?}"
        );
    }

    /// Restores the backup `from` into the new data directory `data` (`accord node restore`:
    /// for PostgreSQL, into a new database); the database the restored node opens.
    pub fn restore(&self, from: &Path, data: &Path) -> DatabaseChoice {
        let database = self.new_database();
        backup::restore_in(from, data, &database).unwrap();
        database
    }
}

/// A party id.
pub fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

/// An acknowledgement record, number `n` of `party`, issued at `issued_at`.
pub fn ack(party: &str, n: u32, issued_at: jiff::Timestamp) -> Record {
    Record {
        id: RecordId::new(format!("{party}-ack-{n}")).unwrap(),
        party: p(party),
        issued_at,
        body: RecordBody::Acknowledgement(Acknowledgement {
            of: RecordId::new(format!("note-{n}")).unwrap(),
        }),
    }
}

/// Polls `check` until it holds, for at most a minute.
pub fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Deadline::now() + Duration::from_secs(60);
    while !check() {
        assert!(Deadline::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Two nodes in this process, US and RU, trusting each other, on loopback ports they bound.
pub struct Pair {
    /// Their data directories.
    pub _dirs: (tempfile::TempDir, tempfile::TempDir),
    /// A client of US's node, signing as US.
    pub us: Client,
    /// A client of RU's node, signing as RU.
    pub ru: Client,
    /// The runtime both serve on.
    pub rt: tokio::runtime::Runtime,
}

/// Starts the two nodes, on SQLite.
pub fn pair() -> Pair {
    pair_on(&Backend::Sqlite)
}

/// Starts the two nodes, each on a database of `backend`.
pub fn pair_on(backend: &Backend) -> Pair {
    let rt = accord_node::http::runtime().unwrap();
    let (du, dr) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ku = keys::load_or_create_key(du.path()).unwrap();
    let kr = keys::load_or_create_key(dr.path()).unwrap();
    keys::add_trusted(du.path(), &p("RU"), &kr.verifying_key()).unwrap();
    keys::add_trusted(dr.path(), &p("US"), &ku.verifying_key()).unwrap();
    let (lu, lr) = rt.block_on(async {
        (
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        )
    });
    let url = |l: &tokio::net::TcpListener| format!("http://{}", l.local_addr().unwrap());
    let (uu, ur) = (url(&lu), url(&lr));
    let node = |party: &str, dir: &Path, peer: &str, peer_url: &str| {
        Node::open(Backend::config(
            &backend.new_database(),
            party,
            dir,
            vec![PeerConfig {
                party: p(peer),
                url: peer_url.to_owned(),
            }],
        ))
        .unwrap()
    };
    let nu = node("US", du.path(), "RU", &ur);
    let nr = node("RU", dr.path(), "US", &uu);
    rt.spawn(accord_node::http::serve(Arc::new(nu), lu));
    rt.spawn(accord_node::http::serve(Arc::new(nr), lr));
    Pair {
        us: Client::new(&uu, p("US"), ku),
        ru: Client::new(&ur, p("RU"), kr),
        _dirs: (du, dr),
        rt,
    }
}
