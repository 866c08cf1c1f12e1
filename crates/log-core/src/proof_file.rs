//! Offline proofs in the C2SP tlog-proof format: a checkpoint (with any cosignatures), an entry
//! index and its inclusion proof, and opaque extra data, in one text file (`.tlog-proof`).
//!
//! accord puts the entry's exact bytes in the extra data, so that the file alone shows what was
//! logged; a verifier never trusts them before they hash to the proven leaf.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use crate::Hash;
use crate::checkpoint::SignedCheckpoint;
use crate::cosign::{Cosignature, verify_cosigned};
use crate::error::{LogError, Result};
use crate::proof::{InclusionProof, parse_hash, verify_inclusion};

/// The first line of every tlog-proof.
pub const TLOG_PROOF_V1: &str = "c2sp.org/tlog-proof@v1";

/// The file extension the specification recommends.
pub const TLOG_PROOF_EXTENSION: &str = "tlog-proof";

/// The most hashes an inclusion proof in a tree of up to 2^64 entries can have.
const MAX_PROOF_HASHES: usize = 64;

/// A C2SP tlog-proof: an inclusion proof for entry `index` in the tree of `checkpoint`.
#[derive(Debug, Clone, PartialEq)]
pub struct TlogProof {
    /// Opaque, unauthenticated extra data (in accord, the entry's bytes).
    pub extra: Option<Vec<u8>>,
    /// The entry's index.
    pub index: u64,
    /// The inclusion proof, from the leaf's sibling up to the root's child.
    pub hashes: Vec<Hash>,
    /// The checkpoint note, verbatim, with the log's signature and any cosignatures.
    pub checkpoint: Vec<u8>,
}

/// What a verified proof shows.
#[derive(Debug, Clone)]
pub struct ProvenEntry {
    /// The entry's bytes.
    pub entry: Vec<u8>,
    /// The checkpoint the entry is proven in.
    pub checkpoint: SignedCheckpoint,
    /// The inclusion proof.
    pub proof: InclusionProof,
    /// The valid cosignatures of the witnesses asked for.
    pub cosignatures: Vec<Cosignature>,
}

impl TlogProof {
    /// The proof for `entry` (kept as extra data) at `proof.index` in the tree of `checkpoint`.
    pub fn new(entry: &[u8], proof: &InclusionProof, checkpoint: &[u8]) -> Self {
        TlogProof {
            extra: Some(entry.to_vec()),
            index: proof.index,
            hashes: proof.hashes.clone(),
            checkpoint: checkpoint.to_vec(),
        }
    }

    /// The proof's text.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("{TLOG_PROOF_V1}\n");
        if let Some(extra) = &self.extra {
            out.push_str(&format!("extra {}\n", B64.encode(extra)));
        }
        out.push_str(&format!("index {}\n", self.index));
        for h in &self.hashes {
            out.push_str(&format!("{h}\n"));
        }
        out.push('\n');
        let mut out = out.into_bytes();
        out.extend_from_slice(&self.checkpoint);
        out
    }

    /// Parses a proof's text, naming the line that is wrong.
    pub fn parse(text: &[u8]) -> Result<Self> {
        let bad =
            |line: usize, why: &str| LogError::Proof(format!("tlog-proof line {line}: {why}"));
        let mut rest = text;
        let mut next_line = |n: usize| -> Result<&[u8]> {
            let end = rest
                .iter()
                .position(|&b| b == b'\n')
                .ok_or_else(|| bad(n, "ends before the checkpoint"))?;
            let line = &rest[..end];
            rest = &rest[end + 1..];
            Ok(line)
        };
        let mut n = 1;
        if next_line(n)? != TLOG_PROOF_V1.as_bytes() {
            return Err(bad(n, &format!("must be {TLOG_PROOF_V1}")));
        }
        n += 1;
        let mut line = utf8(next_line(n)?, n)?;
        let mut extra = None;
        if let Some(b64) = line.strip_prefix("extra ") {
            extra = Some(
                B64.decode(b64)
                    .map_err(|_| bad(n, "the extra data is not base64"))?,
            );
            n += 1;
            line = utf8(next_line(n)?, n)?;
        }
        let digits = line
            .strip_prefix("index ")
            .ok_or_else(|| bad(n, "must be `index <N>`"))?;
        if digits.is_empty()
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || (digits.len() > 1 && digits.starts_with('0'))
        {
            return Err(bad(
                n,
                "the index must be a decimal number with no leading zero",
            ));
        }
        let index = digits
            .parse()
            .map_err(|_| bad(n, "the index is out of range"))?;
        let mut hashes = Vec::new();
        loop {
            n += 1;
            let line = utf8(next_line(n)?, n)?;
            if line.is_empty() {
                break;
            }
            if hashes.len() == MAX_PROOF_HASHES {
                return Err(bad(n, "more proof hashes than any tree needs"));
            }
            hashes.push(parse_hash(line).map_err(|e| bad(n, &e.to_string()))?);
        }
        let checkpoint = rest.to_vec();
        SignedCheckpoint::parse(&checkpoint)
            .map_err(|e| bad(n + 1, &format!("the checkpoint: {e}")))?;
        Ok(TlogProof {
            extra,
            index,
            hashes,
            checkpoint,
        })
    }

    /// Checks the proof offline: the log's signature by `log_vkey`, a valid cosignature by every
    /// witness in `cosigner_vkeys`, and the inclusion of `entry` (or, if none is given, of the
    /// extra data) at the index in the checkpoint's tree.
    pub fn verify(
        &self,
        entry: Option<&[u8]>,
        log_vkey: &str,
        cosigner_vkeys: &[&str],
    ) -> Result<ProvenEntry> {
        let (checkpoint, cosignatures) =
            verify_cosigned(&self.checkpoint, log_vkey, cosigner_vkeys)?;
        let entry = match (entry, &self.extra) {
            (Some(e), _) => e.to_vec(),
            (None, Some(e)) => e.clone(),
            (None, None) => {
                return Err(LogError::Proof(
                    "the proof carries no entry (no extra data); give the entry to check".into(),
                ));
            }
        };
        let proof = InclusionProof {
            index: self.index,
            size: checkpoint.size(),
            hashes: self.hashes.clone(),
        };
        verify_inclusion(&entry, &proof, &checkpoint.root())?;
        Ok(ProvenEntry {
            entry,
            checkpoint,
            proof,
            cosignatures,
        })
    }
}

/// A line of a proof as text.
fn utf8(line: &[u8], n: usize) -> Result<&str> {
    std::str::from_utf8(line)
        .map_err(|_| LogError::Proof(format!("tlog-proof line {n}: is not UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CosignerKey, LogKey, MerkleTree};

    fn sample() -> (LogKey, CosignerKey, MerkleTree, TlogProof) {
        let key = LogKey::from_signing_key(
            "accord.example/US",
            &ed25519_dalek::SigningKey::from_bytes(&[3; 32]),
        )
        .unwrap();
        let witness = CosignerKey::new(
            "witness.example/RU",
            ed25519_dalek::SigningKey::from_bytes(&[4; 32]),
        )
        .unwrap();
        let mut tree = MerkleTree::new();
        let entries: Vec<Vec<u8>> = (0..13u8).map(|i| vec![i; 10 + usize::from(i)]).collect();
        tree.extend(&entries);
        let cp = key.sign("accord.example/US", 13, tree.root()).unwrap();
        let cosigned = witness.cosign_note(cp.note(), 1_700_000_000).unwrap();
        let proof = tree.prove_inclusion(6, 13).unwrap();
        (
            key,
            witness,
            tree,
            TlogProof::new(&entries[6], &proof, &cosigned),
        )
    }

    #[test]
    fn round_trips_and_verifies_with_the_log_and_witness_keys() {
        let (key, witness, _, p) = sample();
        let text = p.to_bytes();
        let s = std::str::from_utf8(&text).unwrap();
        assert!(s.starts_with("c2sp.org/tlog-proof@v1\nextra BgYGBgYGBgYGBgYGBgYGBg==\nindex 6\n"));
        assert_eq!(TlogProof::parse(&text).unwrap(), p);
        let wv = witness.vkey();
        let proven = p.verify(None, key.vkey(), &[&wv]).unwrap();
        assert_eq!(proven.entry, vec![6u8; 16]);
        assert_eq!(proven.cosignatures[0].timestamp, 1_700_000_000);
        assert!(p.verify(Some(b"other"), key.vkey(), &[]).is_err());
        let other = CosignerKey::new(
            "witness.example/XX",
            ed25519_dalek::SigningKey::from_bytes(&[5; 32]),
        )
        .unwrap()
        .vkey();
        assert!(p.verify(None, key.vkey(), &[&other]).is_err());
    }

    #[test]
    fn refuses_malformed_proofs_naming_the_line() {
        let (_, _, _, p) = sample();
        let good = String::from_utf8(p.to_bytes()).unwrap();
        let cases = [
            (good.replacen("@v1", "@v2", 1), "line 1"),
            (good.replacen("index 6", "index 06", 1), "line 3"),
            (good.replacen("index 6", "index", 1), "line 3"),
            (good.replacen("extra BgYG", "extra !gYG", 1), "line 2"),
            (good.replacen("\n\naccord", "\nAAAA\n\naccord", 1), "line 8"),
            (good.replacen("13\n", "13x\n", 1), "checkpoint"),
            (good[..40].to_owned(), "ends before"),
        ];
        for (bad, want) in cases {
            let e = TlogProof::parse(bad.as_bytes()).unwrap_err().to_string();
            assert!(e.contains(want), "{want}: {e}");
        }
    }
}
