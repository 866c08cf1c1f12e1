//! A party's node: peer exchange with receipts, the compliance engine over every log, the
//! hotline and the HTTP API.
//!
//! Each party runs one node. The node keeps the party's own logs (a public one, one per
//! agreement it is party to, one per hotline channel: [`scope`]) and a mirror of each peer's
//! log it may read (each an `accord-log` directory: C2SP tiles, signed checkpoints, SQLite
//! sequencing), takes records from its operator as signed DSSE envelopes, and hands its logs to
//! its peers from a persistent outbox with the C2SP protocols: each peer, as a witness, cosigns
//! every new checkpoint (tlog-witness `add-checkpoint`), then, if the log's scope includes it,
//! as a mirror, takes the entries up to it (tlog-mirror `add-entries`) and answers with its
//! mirror cosignature once they are stored (the receipt). Other witnesses are asked too, and an agreement's witness policy (k of n) says which
//! checkpoint is final. The node carries the hotline, judges every log it holds against its
//! agreements with the compliance engine, and serves all of it over HTTP with JSON as documented
//! in `openapi.json`.
#![deny(missing_docs)]
#![deny(unsafe_code)]

use std::path::{Path, PathBuf};

pub mod access;
pub mod alerts;
pub mod arrival;
pub mod backup;
pub mod client;
pub mod clock;
pub mod dashboard;
pub mod export;
pub mod health;
pub mod http;
pub mod judge;
pub mod keys;
pub mod metrics;
pub mod migrate;
pub mod node;
mod outbox;
pub mod restored;
pub mod rules;
pub mod scope;
pub mod settings;
pub mod store;
pub mod tls;
pub mod wire;

pub use node::{Config, Node, PeerConfig};

/// Ends the process at the named point when the environment variable `ACCORD_NODE_CRASH_AT`
/// names it: crash tests stop a node exactly between two writes, where a SIGKILL from outside
/// would land only by luck.
pub(crate) fn crash_point(name: &str) {
    if std::env::var_os("ACCORD_NODE_CRASH_AT").is_some_and(|v| v == name) {
        std::process::abort();
    }
}

/// The OpenAPI 3 document of the node's HTTP API.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Why the node refused something or failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NodeError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
    /// A configuration file (key, trust file) is malformed.
    #[error("{}: {reason}", file.display())]
    Config {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The storage failed.
    #[error("storage: {0}")]
    Store(#[from] accord_log::DbError),
    /// A log (own or mirror) failed.
    #[error("log: {0}")]
    Log(String),
    /// The request body is not the JSON expected.
    #[error("malformed request: {0}")]
    Malformed(String),
    /// The request body is larger than the node accepts.
    #[error("request body too large: {0}")]
    TooLarge(String),
    /// An envelope's signature does not verify against the key it names.
    #[error("bad signature: {0}")]
    BadSignature(String),
    /// The signer is not a party this node trusts.
    #[error("unknown party: {0}")]
    UnknownParty(String),
    /// The record names a party other than the one whose key signed it.
    #[error("wrong party: {0}")]
    WrongParty(String),
    /// The record is not valid on its own.
    #[error("invalid record: {0}")]
    InvalidRecord(String),
    /// The record breaks a rule of the agreements or of the exchange.
    #[error("rule: {0}")]
    Rule(String),
    /// The record was already logged: a replayed envelope.
    #[error("replay: {0}")]
    Replay(String),
    /// An entry's log index is not the next one expected.
    #[error("out of order: entry {got} sent, next expected is {expected}")]
    Gap {
        /// The index sent.
        got: u64,
        /// The next index the mirror expects.
        expected: u64,
    },
    /// An entry differs from what the mirror already holds at that index, or the checkpoint
    /// does not match the entries: the sender shows two histories.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A signed note (checkpoint, receipt) is malformed or does not verify.
    #[error("bad signed note: {0}")]
    BadNote(String),
    /// Nothing by that name.
    #[error("not found: {0}")]
    NotFound(String),
    /// The route exists but not for this method.
    #[error("method not allowed: {0}")]
    MethodNotAllowed(String),
    /// The request took longer than the node allows.
    #[error("timeout: {0}")]
    Timeout(String),
    /// A peer could not be reached or answered with an error.
    #[error("peer {peer}: {reason}")]
    Peer {
        /// The peer.
        peer: String,
        /// What went wrong.
        reason: String,
    },
}

impl From<rusqlite::Error> for NodeError {
    fn from(e: rusqlite::Error) -> Self {
        NodeError::Store(e.into())
    }
}

impl NodeError {
    /// Wraps an I/O error with its path.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        NodeError::Io {
            path: path.to_owned(),
            source,
        }
    }

    /// The short machine-readable code of the error, as sent in API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            NodeError::Io { .. }
            | NodeError::Config { .. }
            | NodeError::Store(_)
            | NodeError::Log(_) => "internal",
            NodeError::Malformed(_) => "malformed",
            NodeError::TooLarge(_) => "too_large",
            NodeError::BadSignature(_) => "bad_signature",
            NodeError::UnknownParty(_) => "unknown_party",
            NodeError::WrongParty(_) => "wrong_party",
            NodeError::InvalidRecord(_) => "invalid_record",
            NodeError::Rule(_) => "rule",
            NodeError::Replay(_) => "replay",
            NodeError::Gap { .. } => "gap",
            NodeError::Conflict(_) => "conflict",
            NodeError::BadNote(_) => "bad_note",
            NodeError::NotFound(_) => "not_found",
            NodeError::Peer { .. } => "peer",
            NodeError::MethodNotAllowed(_) => "method_not_allowed",
            NodeError::Timeout(_) => "timeout",
        }
    }
}
