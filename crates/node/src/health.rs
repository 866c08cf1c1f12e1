//! The node's health, served at `GET /healthz` for operators and load balancers: whether its
//! storage takes writes, and when each peer was last heard from (a receipt for our log, or a
//! batch of its own), kept in the node's database across restarts.

use std::path::Path;

use accord_log::Database;
use accord_model::{Instant, PartyId};
use serde::{Deserialize, Serialize};

use crate::NodeError;

/// What a contact with a peer was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    /// The peer mirrored our log: it answered `add-entries` with its cosignature, a receipt.
    Receipt,
    /// The peer uploaded entries of its log that we took into our mirror of it.
    Batch,
}

impl Contact {
    fn as_str(self) -> &'static str {
        match self {
            Contact::Receipt => "receipt",
            Contact::Batch => "batch",
        }
    }
}

/// Whether the storage takes writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageHealth {
    /// Whether a write to the node's database and a file written and synced in the data directory both
    /// succeeded just now.
    pub writable: bool,
    /// What failed, if anything did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// When a peer was last heard from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerHealth {
    /// The peer.
    pub party: PartyId,
    /// Its base URL.
    pub url: String,
    /// When it was last heard from (RFC 3339), if ever.
    pub last_contact: Option<String>,
    /// What that contact was: `receipt` or `batch`.
    pub last_contact_kind: Option<String>,
    /// Seconds since then, by the node's clock.
    pub seconds_since: Option<i64>,
}

/// The answer of `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok` when the storage takes writes and the node signs its log, `failing` otherwise.
    pub status: String,
    /// Why the node signs nothing, if it refuses (a peer holds more of its log: it was
    /// restored from an older backup).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusing: Option<String>,
    /// The node's party.
    pub party: PartyId,
    /// The schema version of the node's tables.
    pub schema_version: i64,
    /// The storage check.
    pub storage: StorageHealth,
    /// Every configured peer.
    pub peers: Vec<PeerHealth>,
}

/// Records that `peer` was heard from at `at`.
pub fn record_contact(
    db: &dyn Database,
    peer: &str,
    at: Instant,
    what: Contact,
) -> Result<(), NodeError> {
    db.execute(
        "INSERT INTO peer_contacts(peer, at, what) VALUES (?1, ?2, ?3)
         ON CONFLICT(peer) DO UPDATE SET at = excluded.at, what = excluded.what",
        &[peer.into(), at.to_string().into(), what.as_str().into()],
    )?;
    Ok(())
}

/// When `peer` was last heard from, and how.
pub fn last_contact(db: &dyn Database, peer: &str) -> Result<Option<(String, String)>, NodeError> {
    match db.row(
        "SELECT at, what FROM peer_contacts WHERE peer = ?1",
        &[peer.into()],
    )? {
        Some(r) => Ok(Some((r[0].text()?, r[1].text()?))),
        None => Ok(None),
    }
}

/// The file written, synced and removed in the data directory by the storage check.
const PROBE_FILE: &str = "health.probe";

/// Checks that the node's database takes a write (in a transaction rolled back) and that the
/// data directory takes a file written and synced (the logs' tiles are files there).
pub fn check_storage(db: &dyn Database, dir: &Path, at: Instant) -> StorageHealth {
    let result = (|| -> Result<(), NodeError> {
        db.begin(true)?;
        let wrote = db.execute(
            "INSERT INTO meta(key, value) VALUES ('health_probe', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            &[at.to_string().into()],
        );
        db.rollback()?;
        wrote?;
        let path = dir.join(PROBE_FILE);
        let written = std::fs::File::create(&path).and_then(|mut f| {
            use std::io::Write as _;
            f.write_all(at.to_string().as_bytes())?;
            f.sync_all()
        });
        let _ = std::fs::remove_file(&path);
        written.map_err(|e| NodeError::io(&path, e))
    })();
    StorageHealth {
        writable: result.is_ok(),
        error: result.err().map(|e| e.to_string()),
    }
}

impl crate::Node {
    /// The node's health: its storage checked now, and each peer's last contact.
    pub fn health(&self) -> Result<Health, NodeError> {
        let now = self.now();
        let store = self.store();
        let storage = check_storage(store.db(), self.dir(), now);
        let mut peers = Vec::with_capacity(self.config.peers.len());
        for p in &self.config.peers {
            let last = last_contact(store.db(), p.party.as_str())?;
            let seconds_since = last
                .as_ref()
                .and_then(|(at, _)| at.parse::<Instant>().ok())
                .map(|at| now.duration_since(at).as_secs());
            peers.push(PeerHealth {
                party: p.party.clone(),
                url: p.url.clone(),
                last_contact_kind: last.as_ref().map(|(_, what)| what.clone()),
                last_contact: last.map(|(at, _)| at),
                seconds_since,
            });
        }
        let refusing = self.signing_refused();
        Ok(Health {
            status: if storage.writable && refusing.is_none() {
                "ok"
            } else {
                "failing"
            }
            .to_owned(),
            refusing,
            party: self.party.clone(),
            schema_version: crate::migrate::SCHEMA_VERSION,
            storage,
            peers,
        })
    }

    /// Records that `peer` was heard from now.
    pub(crate) fn contacted(&self, store: &crate::store::Store, peer: &str, what: Contact) {
        if let Err(e) = record_contact(store.db(), peer, self.now(), what) {
            tracing::warn!(target: "accord_node", peer, "last contact not recorded: {e}");
        }
    }
}
