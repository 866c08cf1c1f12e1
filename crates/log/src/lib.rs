//! The tamper-evident Merkle log of accord: every record a party says goes in, in order, and
//! anyone can check that nothing was changed, dropped or shown differently to different peers.
//!
//! - Entries are opaque bytes: in accord, the exact bytes of DSSE envelopes
//!   ([`accord_model::envelope::Envelope::to_json`]).
//! - Hashing is RFC 6962 (SHA-256, `0x00` leaves, `0x01` nodes); proofs are RFC 6962 / 9162
//!   inclusion and consistency proofs ([`verify_inclusion`], [`verify_consistency`]).
//! - On disk, a log directory follows C2SP tlog-tiles: hash tiles `tile/<L>/<N>[.p/<W>]`, entry
//!   bundles `tile/entries/<N>[.p/<W>]` and a `checkpoint` file, a C2SP signed note (Ed25519)
//!   over a C2SP tlog-checkpoint body, so any static HTTP server can serve it. Sequencing is in
//!   SQLite (`log.db`, WAL): an append is acknowledged only once committed.
//! - Peers mirror the log ([`Log::create_mirror`], [`Log::mirror_extend`]) and cosign its
//!   checkpoints ([`Witness`], C2SP tlog-cosignature); a cosigned checkpoint with an inclusion
//!   proof is a record's [`Receipt`]. Two checkpoints of one size signed by the log's key are
//!   equivocation, reported as an [`accord_model::Finding`].
//! - [`audit()`] re-verifies a whole log directory from its files.
//!
//! Hashing, proofs and checkpoint bodies come from `tlog_tiles` and `signed_note` (pinned at
//! 0.2.0, ports of Go's `x/mod/sumdb`); C2SP paths, entry bundles and cosignatures are written
//! here because 0.2.0 lacks them.
#![deny(missing_docs)]

pub mod audit;
mod checkpoint;
mod cosign;
mod error;
mod hash;
mod log;
mod proof;
pub mod published;
pub mod tiles;
mod tree;

pub use audit::{AuditProblem, AuditReport, ProblemKind, audit, audit_with_progress};
pub use checkpoint::{LogKey, SignedCheckpoint, parse_vkey};
pub use cosign::{
    COSIGNATURE_V1, Cosignature, CosignatureVerifier, CosignerKey, Receipt, Witness,
    detect_equivocation, equivocation_finding, verify_cosigned, verify_receipt,
};
pub use error::{LogError, Result};
pub use log::{DB_FILE, Log, Role, VKEY_FILE};
pub use proof::{
    ConsistencyProof, InclusionProof, leaf_hash, parse_hash, verify_consistency, verify_inclusion,
    verify_inclusion_hash,
};
pub use published::{
    VerifiedEntry, consistency_proof_in_dir, prove_consistency_in_dir, prove_inclusion_in_dir,
    read_checkpoint, root_in_dir, verify_entry_in_dir,
};
pub use tlog_tiles::Hash;
pub use tree::{MerkleTree, TILE_HEIGHT, TILE_WIDTH};
