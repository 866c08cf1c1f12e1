//! The error type of the log.

use std::path::PathBuf;

use crate::checkpoint::SignedCheckpoint;

/// Why a log operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The database that stores a log failed.
    #[error("log database {}: {source}", path.display())]
    Db {
        /// The database file.
        path: PathBuf,
        /// The underlying error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// An entry is longer than a tlog-tiles entry bundle can frame (a 16-bit length).
    #[error("entry of {len} bytes is too large: tlog-tiles entry bundles hold at most 65535 bytes")]
    EntryTooLarge {
        /// The entry's length.
        len: usize,
    },
    /// An index or size lies outside the tree.
    #[error("{what} {value} is outside the log of size {size}")]
    OutOfRange {
        /// What was asked for ("index", "size").
        what: &'static str,
        /// The value asked for.
        value: u64,
        /// The size of the log.
        size: u64,
    },
    /// A key string or key file is malformed.
    #[error("invalid key: {0}")]
    Key(String),
    /// A checkpoint is malformed, or its signature does not verify.
    #[error("checkpoint: {0}")]
    Checkpoint(String),
    /// A proof does not verify.
    #[error("proof does not verify: {0}")]
    Proof(String),
    /// A cosignature or receipt does not verify.
    #[error("cosignature: {0}")]
    Cosignature(String),
    /// Two different checkpoints of one size are both signed by the log key.
    #[error("equivocation: {}", .0.summary)]
    Equivocation(Box<Equivocation>),
    /// The directory is not a log of the expected kind, or the operation does not fit it.
    #[error("{}: {reason}", dir.display())]
    Layout {
        /// The log directory.
        dir: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A tile or entry bundle is malformed or does not match the tree.
    #[error("{path}: {reason}")]
    Tile {
        /// The tile's path within the log directory.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// Two different checkpoints of one size, both validly signed by one log's key.
#[derive(Debug, Clone, PartialEq)]
pub struct Equivocation {
    /// The checkpoint seen first.
    pub a: SignedCheckpoint,
    /// The conflicting checkpoint.
    pub b: SignedCheckpoint,
    /// What happened, in one sentence.
    pub summary: String,
}

impl Equivocation {
    /// The equivocation between `a` and `b`, two checkpoints of one origin: of one size with
    /// different roots, or of two sizes not on one history.
    pub fn new(a: SignedCheckpoint, b: SignedCheckpoint) -> Self {
        let summary = if a.size() == b.size() {
            format!(
                "log {} signed two different checkpoints of size {}: roots {} and {}",
                a.origin(),
                a.size(),
                a.root(),
                b.root()
            )
        } else {
            format!(
                "log {} signed checkpoints of sizes {} and {} that are not on one history: \
                 roots {} and {}",
                a.origin(),
                a.size(),
                b.size(),
                a.root(),
                b.root()
            )
        };
        Equivocation { a, b, summary }
    }
}

impl LogError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        LogError::Io {
            path: path.into(),
            source,
        }
    }
}

/// A result with a [`LogError`].
pub type Result<T, E = LogError> = std::result::Result<T, E>;
