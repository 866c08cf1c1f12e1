//! The errors of the escrow, the count commitments and the limit proofs.

use accord_model::{Category, ProvisionId, SiteId};

/// Why a reveal was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevealErrorKind {
    /// The leaf and its inclusion proof do not lead to the committed root.
    NotUnderRoot,
    /// The salt does not hash to the salt digest committed in the leaf.
    WrongSalt,
    /// The entry, with its salt, does not hash to the entry digest committed in the leaf.
    TamperedEntry,
    /// The count does not open the entry's Pedersen commitment.
    CountDoesNotOpen,
    /// The entry holds another commitment than the one published at its index.
    WrongCommitment,
    /// The site was revealed before with different content.
    ConflictingReveal,
    /// The reveal does not cover every category of the site, or mixes sites in one block.
    IncompleteSite,
    /// A field could not be decoded (hex, base64, index out of range).
    Malformed,
}

impl RevealErrorKind {
    /// A short phrase naming the reason.
    pub fn label(&self) -> &'static str {
        match self {
            RevealErrorKind::NotUnderRoot => "entry not under the root",
            RevealErrorKind::WrongSalt => "wrong salt",
            RevealErrorKind::TamperedEntry => "tampered entry",
            RevealErrorKind::CountDoesNotOpen => "count does not open its commitment",
            RevealErrorKind::WrongCommitment => "entry holds another commitment than published",
            RevealErrorKind::ConflictingReveal => "site revealed twice with different content",
            RevealErrorKind::IncompleteSite => "incomplete site",
            RevealErrorKind::Malformed => "malformed reveal",
        }
    }
}

/// Everything that can go wrong in the escrow, its proofs and its files.
#[derive(Debug, thiserror::Error)]
pub enum EscrowError {
    /// The declaration input is inconsistent.
    #[error("declaration: {field}: {reason}")]
    Declaration {
        /// Where in the input, as a dotted path.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A reveal was rejected.
    #[error("reveal rejected ({}): entry {index}{}: {detail}", kind.label(), site.as_ref().map(|s| format!(" (site {s})")).unwrap_or_default())]
    Reveal {
        /// The reason class.
        kind: RevealErrorKind,
        /// The leaf index of the entry at fault.
        index: u64,
        /// The site named by the entry, when readable.
        site: Option<SiteId>,
        /// A sentence with the details.
        detail: String,
    },
    /// An encoded field (hex, base64, JSON, a point, a proof) could not be decoded.
    #[error("{what}: {reason}")]
    Decode {
        /// What was being decoded.
        what: String,
        /// Why it failed.
        reason: String,
    },
    /// A range proof over the per-site counts failed.
    #[error(
        "range proof of count batch {batch} (entries {first}..{end}) failed to verify: {reason}"
    )]
    CountRange {
        /// The batch number.
        batch: usize,
        /// The first entry index of the batch.
        first: usize,
        /// One past the last entry index of the batch.
        end: usize,
        /// What the verifier said.
        reason: String,
    },
    /// The committed (weighted) total exceeds its limit, so no proof can be made.
    #[error("{quantity}: committed total {total} exceeds the limit {limit}; no proof can be made")]
    OverLimit {
        /// The limited quantity, such as `warheads + heavy_bombers`.
        quantity: String,
        /// The committed total.
        total: u128,
        /// The limit.
        limit: u64,
    },
    /// A limit counts a category the declaration does not have.
    #[error(
        "provision {provision} counts category {category}, which the declaration does not have"
    )]
    UnknownCategory {
        /// The limit provision.
        provision: ProvisionId,
        /// The category missing from the declaration.
        category: Category,
    },
    /// A limit proof failed to verify.
    #[error("limit proof rejected: {0}")]
    LimitRejected(String),
    /// Reveals do not show exactly the positions a selection drew.
    #[error("reveals do not answer the selection: {0}")]
    NotTheSelection(String),
    /// Bulletproofs refused to make a proof.
    #[error("proving failed: {0}")]
    Proving(String),
    /// A record or agreement does not fit what it is used with (its kind, its commitment, its
    /// agreement, the escrowed categories).
    #[error("{0}")]
    Mismatch(String),
}

impl EscrowError {
    pub(crate) fn decode(what: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        EscrowError::Decode {
            what: what.into(),
            reason: reason.to_string(),
        }
    }

    pub(crate) fn decl(field: impl Into<String>, reason: impl Into<String>) -> Self {
        EscrowError::Declaration {
            field: field.into(),
            reason: reason.into(),
        }
    }
}
