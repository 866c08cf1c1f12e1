//! The pure core of accord's tamper-evident Merkle log: everything a log, a witness, a monitor
//! or a verifier computes, with no storage and no knowledge of what the entries mean.
//!
//! - Hashing is RFC 6962 (SHA-256, `0x00` leaves, `0x01` nodes), many messages at a time where
//!   the CPU allows ([`hash`]); proofs are RFC 6962 / 9162 inclusion and consistency proofs
//!   ([`verify_inclusion`], [`verify_consistency`]) over a [`MerkleTree`].
//! - Checkpoints are C2SP tlog-checkpoint bodies in C2SP signed notes (Ed25519,
//!   [`SignedCheckpoint`], [`LogKey`]); witnesses cosign them (C2SP tlog-cosignature, Ed25519
//!   or ML-DSA-44: [`CosignerKey`], [`Witness`]); a cosigned checkpoint with an inclusion proof
//!   is a [`Receipt`].
//! - [`keyset`] holds a signer's keys with their validity periods and revocations, so a log
//!   moves to a new key with no gap in verifiability.
//! - [`tiles`] gives the C2SP tlog-tiles paths and the entry-bundle codec.
//!
//! Hashing, proofs and checkpoint bodies come from `tlog_tiles` and `signed_note` (pinned at
//! 0.2.0, ports of Go's `x/mod/sumdb`); C2SP paths, entry bundles and cosignatures are written
//! here because 0.2.0 lacks them.
#![deny(missing_docs)]
#![deny(unsafe_code)]

mod checkpoint;
mod cosign;
mod error;
pub mod hash;
pub mod keyset;
pub mod mirror;
pub mod monitor;
mod proof;
mod proof_file;
pub mod tiles;
mod tree;
pub mod witness;

pub use checkpoint::{
    LogKey, SignedCheckpoint, ed25519_vkey, ed25519_vkey_named, parse_vkey, signature_lines,
};
pub use cosign::{
    COSIGNATURE_ML_DSA_44, COSIGNATURE_V1, Cosignature, CosignatureKind, CosignatureVerifier,
    CosignerKey, Receipt, SUBTREE_V1_LABEL, SignedLog, Witness, ed25519_cosigner_vkey,
    find_equivocation, subtree_message, verify_cosigned, verify_receipt,
};
pub use error::{Equivocation, LogError, Result};
pub use keyset::{KeyPeriod, KeySet};
pub use proof::{
    ConsistencyProof, InclusionProof, leaf_hash, parse_hash, verify_consistency, verify_inclusion,
    verify_inclusion_hash,
};
pub use proof_file::{ProvenEntry, TLOG_PROOF_EXTENSION, TLOG_PROOF_V1, TlogProof};
pub use tlog_tiles::Hash;
pub use tree::{MerkleTree, TILE_HEIGHT, TILE_WIDTH};
