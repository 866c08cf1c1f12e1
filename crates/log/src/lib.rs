//! The tamper-evident Merkle log of accord, stored: every record a party says goes in, in
//! order, and anyone can check that nothing was changed, dropped or shown differently to
//! different peers.
//!
//! The computation (RFC 6962 hashing, trees, proofs, signed-note checkpoints, cosignatures,
//! tile paths) is the pure core, `accord-log-core`, re-exported here whole so that
//! `accord_log::X` names every part of the log. This crate adds what is stored:
//!
//! - Entries are opaque bytes: in accord, the exact bytes of DSSE envelopes
//!   ([`accord_model::envelope::Envelope::to_json`]).
//! - On disk, a log directory follows C2SP tlog-tiles: hash tiles `tile/<L>/<N>[.p/<W>]`, entry
//!   bundles `tile/entries/<N>[.p/<W>]` and a `checkpoint` file, a C2SP signed note (Ed25519)
//!   over a C2SP tlog-checkpoint body, so any static HTTP server can serve it. Sequencing is in
//!   a database behind one interface ([`Database`]): SQLite (`log.db`, WAL) by default, or
//!   another implementation such as the node's PostgreSQL one; an append is acknowledged only
//!   once committed.
//! - Peers mirror the log ([`Log::create_mirror`], [`Log::mirror_extend`]) and cosign its
//!   checkpoints ([`Witness`], C2SP tlog-cosignature); a cosigned checkpoint with an inclusion
//!   proof is a record's [`Receipt`]. Two checkpoints of one size signed by the log's key are
//!   equivocation, reported as an [`accord_model::Finding`] ([`equivocation_finding`]).
//! - [`audit()`] re-verifies a whole log directory from its files.
#![deny(missing_docs)]
#![deny(unsafe_code)]

pub mod audit;
pub mod database;
mod finding;
mod log;
pub mod published;
pub mod records;
pub mod tiles;
mod witness_store;

pub use accord_log_core::*;
pub use audit::{AuditProblem, AuditReport, ProblemKind, audit, audit_in, audit_with_progress};
pub use database::{Database, DbError, Engine, Value};
pub use finding::{detect_equivocation, equivocation_finding};
pub use log::{DB_FILE, Log, Role, SCHEMA as LOG_SCHEMA, VKEY_FILE};
pub use published::{
    VerifiedEntry, consistency_proof_in_dir, prove_consistency_in_dir, prove_inclusion_in_dir,
    read_checkpoint, root_in_dir, verify_entry_in_dir,
};
pub use records::{RecordsError, receipt_from_proof, record_index};
pub use witness_store::{SharedWitnessStore, WitnessStore};
