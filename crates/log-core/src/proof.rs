//! Inclusion and consistency proofs (RFC 6962 / RFC 9162) and the functions that verify them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use tlog_tiles::{Hash, record_hash};

use crate::error::{LogError, Result};

/// A proof that entry `index` is in the tree of size `size`: the audit path, leaf to root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InclusionProof {
    /// The entry's index.
    pub index: u64,
    /// The size of the tree the proof is for.
    pub size: u64,
    /// The audit path, base64 in JSON.
    #[serde(with = "b64_hashes")]
    pub hashes: Vec<Hash>,
}

/// A proof that the tree of size `old_size` is a prefix of the tree of size `new_size`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsistencyProof {
    /// The smaller tree's size.
    pub old_size: u64,
    /// The larger tree's size.
    pub new_size: u64,
    /// The proof hashes, base64 in JSON.
    #[serde(with = "b64_hashes")]
    pub hashes: Vec<Hash>,
}

/// The RFC 6962 leaf hash of an entry: SHA-256(0x00 ‖ entry).
pub fn leaf_hash(entry: &[u8]) -> Hash {
    record_hash(entry)
}

/// Checks that `entry` is at `proof.index` in the tree of size `proof.size` whose root is `root`.
pub fn verify_inclusion(entry: &[u8], proof: &InclusionProof, root: &Hash) -> Result<()> {
    verify_inclusion_hash(&record_hash(entry), proof, root)
}

/// Checks an inclusion proof for a leaf given by its leaf hash.
pub fn verify_inclusion_hash(leaf: &Hash, proof: &InclusionProof, root: &Hash) -> Result<()> {
    if proof.index >= proof.size {
        return Err(LogError::Proof(format!(
            "index {} is not below the tree size {}",
            proof.index, proof.size
        )));
    }
    tlog_tiles::check_record(&proof.hashes, proof.size, *root, proof.index, *leaf).map_err(|_| {
        LogError::Proof(format!(
            "entry {} is not in the tree of size {} with root {}",
            proof.index, proof.size, root
        ))
    })
}

/// Checks that the tree of size `proof.old_size` with root `old_root` is a prefix of the tree of
/// size `proof.new_size` with root `new_root`.
///
/// Policy for the edge cases: from size 0 any tree is consistent, with an empty proof; for equal
/// sizes the proof must be empty and the roots equal.
pub fn verify_consistency(
    proof: &ConsistencyProof,
    old_root: &Hash,
    new_root: &Hash,
) -> Result<()> {
    let (old, new) = (proof.old_size, proof.new_size);
    let fail = |why: &str| {
        Err(LogError::Proof(format!(
            "tree {old} ({old_root}) is not consistent with tree {new} ({new_root}): {why}"
        )))
    };
    if old > new {
        return fail("the old size is larger than the new one");
    }
    if old == 0 {
        return if proof.hashes.is_empty() {
            Ok(())
        } else {
            fail("a proof from the empty tree must be empty")
        };
    }
    if old == new {
        return if !proof.hashes.is_empty() {
            fail("a proof between equal sizes must be empty")
        } else if old_root != new_root {
            fail("equal sizes with different roots")
        } else {
            Ok(())
        };
    }
    tlog_tiles::check_tree(&proof.hashes, new, *new_root, old, *old_root)
        .or_else(|_| fail("the proof does not verify"))
}

/// Parses a base64 hash as it appears in checkpoints and proofs.
pub fn parse_hash(s: &str) -> Result<Hash> {
    let bytes = B64
        .decode(s.trim())
        .map_err(|e| LogError::Proof(format!("hash {s:?} is not base64: {e}")))?;
    let arr: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
        LogError::Proof(format!("hash {s:?} has {} bytes, not 32", b.len()))
    })?;
    Ok(Hash(arr))
}

mod b64_hashes {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(hashes: &[Hash], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(hashes.iter().map(|h| B64.encode(h.0)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Hash>, D::Error> {
        let strings = Vec::<String>::deserialize(d)?;
        strings
            .iter()
            .map(|s| parse_hash(s).map_err(serde::de::Error::custom))
            .collect()
    }
}
