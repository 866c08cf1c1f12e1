//! Declarations in escrow, zero-knowledge limit proofs and fair inspection selection.
//!
//! A party commits to its whole declaration at once ([`commit`]): every (site, category) count
//! becomes a Pedersen commitment over Ristretto with a Bulletproofs range proof that it lies in
//! `[0, 2^bits)`, and a salted entry holding that commitment under one RFC 6962 Merkle root.
//! Only the root and the Pedersen commitments are published (a [`accord_model::DeclarationCommitment`] record). The
//! party then reveals sites step by step ([`EscrowSecret::reveal`]) with inclusion proofs, which
//! anyone checks against the root ([`RevealVerifier`]), and proves in zero knowledge that its
//! totals respect a limit ([`prove_limit`], [`verify_limit`]).
//!
//! Inspections are drawn fairly from committed seeds bound to the declaration ([`selection`]),
//! in an order that cosigned checkpoints establish ([`order`]); an inspection report
//! that contradicts the revealed entries becomes findings ([`inspection`]); and [`plan`] gives
//! the exact odds of catching false entries. A node checks every escrow and selection record
//! as it arrives with [`arrival::check`].
#![deny(missing_docs)]
#![deny(unsafe_code)]

pub mod arrival;
mod counts;
mod error;
mod escrow;
pub mod inspection;
mod limit;
pub mod order;
pub mod plan;
mod prover;
pub mod selection;

pub use counts::COUNTS_VERSION;
pub use counts::{
    CountCommitments, Openings, RangeContext, VerifiedCounts, commit_counts, pedersen_commit,
};
pub use error::{EscrowError, RevealErrorKind};
pub use escrow::{
    DeclarationInput, DeclaredCount, ESCROW_VERSION, Entry, EscrowSecret, RevealBundle,
    RevealSelection, RevealVerifier, RevealedEntry, RevealedSite, SecretEntry, SiteInput, commit,
    commit_escrow,
};
pub use limit::{
    LIMIT_PROOF_VERSION, LimitContext, LimitProof, LimitTerm, LimitValue, prove_limit,
    proves_required, provision_limit, verify_limit,
};

/// Decodes a hex Merkle root (as records carry it) into bytes.
pub fn escrow_root(hex_root: &str) -> Result<[u8; 32], EscrowError> {
    escrow::decode32("root", hex_root)
}

/// Bit widths that Bulletproofs range proofs support.
pub const SUPPORTED_BITS: [u8; 4] = [8, 16, 32, 64];

/// Bit width of a limit proof: `limit - total` is shown to lie in `[0, 2^32)`.
pub const LIMIT_BITS: usize = 32;

#[cfg(test)]
mod tests;
