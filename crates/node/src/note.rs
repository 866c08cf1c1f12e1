//! Merkle hashing (RFC 6962), checkpoints (C2SP tlog-checkpoint) and their signatures and
//! cosignatures (C2SP signed-note, tlog-cosignature), as the node exchanges them as receipts.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::NodeError;

/// A SHA-256 hash of a Merkle tree node.
pub type Hash = [u8; 32];

/// The RFC 6962 hash of a leaf: SHA-256(0x00 || entry).
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry);
    h.finalize().into()
}

/// The RFC 6962 hash of an interior node: SHA-256(0x01 || left || right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The right edge of a Merkle tree: enough to append leaves and compute the root.
#[derive(Debug, Clone, Default)]
pub struct Frontier {
    size: u64,
    /// Roots of the perfect subtrees, largest first, one per set bit of `size`.
    stack: Vec<Hash>,
}

impl Frontier {
    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends one leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        let mut h = leaf;
        let mut s = self.size;
        while s & 1 == 1 {
            let left = self.stack.pop().expect("one subtree per set bit");
            h = node_hash(&left, &h);
            s >>= 1;
        }
        self.stack.push(h);
        self.size += 1;
    }

    /// The tree's root (the hash of the empty string for an empty tree).
    pub fn root(&self) -> Hash {
        let mut it = self.stack.iter().rev();
        match it.next() {
            None => Sha256::digest(b"").into(),
            Some(first) => it.fold(*first, |acc, left| node_hash(left, &acc)),
        }
    }
}

/// The origin line of a party's log.
pub fn origin(party: &str) -> String {
    format!("accord/log/{party}")
}

/// The name under which a party cosigns other parties' checkpoints.
pub fn witness_name(party: &str) -> String {
    format!("accord/witness/{party}")
}

/// The body of a checkpoint: origin, size and base64 root, one per line.
pub fn checkpoint_body(origin: &str, size: u64, root: &Hash) -> String {
    format!("{origin}\n{size}\n{}\n", B64.encode(root))
}

/// A parsed checkpoint body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin line.
    pub origin: String,
    /// The number of entries.
    pub size: u64,
    /// The Merkle root.
    pub root: Hash,
}

/// A signed note split into its text and signature lines.
#[derive(Debug, Clone)]
pub struct Note {
    /// The signed text, ending in a newline.
    pub body: String,
    /// Signature lines: key name and decoded signature bytes.
    pub sigs: Vec<(String, Vec<u8>)>,
}

fn bad(what: impl Into<String>) -> NodeError {
    NodeError::BadNote(what.into())
}

impl Note {
    /// Parses a signed note: text, a blank line, then `— name base64` lines.
    pub fn parse(text: &str) -> Result<Note, NodeError> {
        let split = text
            .find("\n\n")
            .ok_or_else(|| bad("no blank line before signatures"))?;
        let body = text[..split + 1].to_owned();
        let mut sigs = Vec::new();
        for line in text[split + 2..].lines() {
            let rest = line.strip_prefix("\u{2014} ").ok_or_else(|| {
                bad(format!(
                    "signature line {line:?} does not start with an em dash"
                ))
            })?;
            let (name, b64) = rest
                .split_once(' ')
                .ok_or_else(|| bad(format!("signature line {line:?} has no signature")))?;
            let bytes = B64
                .decode(b64)
                .map_err(|e| bad(format!("signature of {name} is not base64: {e}")))?;
            sigs.push((name.to_owned(), bytes));
        }
        Ok(Note { body, sigs })
    }

    /// The checkpoint the body states.
    pub fn checkpoint(&self) -> Result<Checkpoint, NodeError> {
        let mut lines = self.body.lines();
        let origin = lines
            .next()
            .ok_or_else(|| bad("checkpoint without origin"))?;
        let size = lines
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("checkpoint size is not a number"))?;
        let root = lines
            .next()
            .and_then(|s| B64.decode(s).ok())
            .and_then(|b| <Hash>::try_from(b.as_slice()).ok())
            .ok_or_else(|| bad("checkpoint root is not 32 bytes of base64"))?;
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
        })
    }

    /// The note as text.
    pub fn to_text(&self) -> String {
        let mut out = self.body.clone();
        out.push('\n');
        for (name, sig) in &self.sigs {
            out.push_str(&format!("\u{2014} {name} {}\n", B64.encode(sig)));
        }
        out
    }

    /// Signs the body as the log itself (signed-note Ed25519, algorithm 0x01).
    pub fn sign(&mut self, name: &str, key: &SigningKey) {
        let sig = key.sign(self.body.as_bytes());
        let mut bytes = key_hash(name, 0x01, &key.verifying_key()).to_vec();
        bytes.extend_from_slice(&sig.to_bytes());
        self.sigs.push((name.to_owned(), bytes));
    }

    /// Checks the log's own signature by `key` under `name`.
    pub fn verify(&self, name: &str, key: &VerifyingKey) -> bool {
        let hash = key_hash(name, 0x01, key);
        self.sigs.iter().any(|(n, b)| {
            n == name
                && b.len() == 68
                && b[..4] == hash
                && Signature::from_slice(&b[4..])
                    .is_ok_and(|s| key.verify(self.body.as_bytes(), &s).is_ok())
        })
    }

    /// Adds a witness cosignature (tlog-cosignature, algorithm 0x04) made at `time` (Unix seconds).
    pub fn cosign(&mut self, name: &str, key: &SigningKey, time: u64) {
        let sig = key.sign(&cosigned_message(&self.body, time));
        let mut bytes = key_hash(name, 0x04, &key.verifying_key()).to_vec();
        bytes.extend_from_slice(&time.to_be_bytes());
        bytes.extend_from_slice(&sig.to_bytes());
        self.sigs.push((name.to_owned(), bytes));
    }

    /// Checks a witness cosignature by `key` under `name`.
    pub fn verify_cosignature(&self, name: &str, key: &VerifyingKey) -> bool {
        let hash = key_hash(name, 0x04, key);
        self.sigs.iter().any(|(n, b)| {
            n == name && b.len() == 76 && b[..4] == hash && {
                let time = u64::from_be_bytes(b[4..12].try_into().expect("8 bytes"));
                Signature::from_slice(&b[12..])
                    .is_ok_and(|s| key.verify(&cosigned_message(&self.body, time), &s).is_ok())
            }
        })
    }
}

fn cosigned_message(body: &str, time: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {time}\n{body}").into_bytes()
}

/// The signed-note key hash: the first 4 bytes of SHA-256(name || "\n" || alg || key).
pub fn key_hash(name: &str, alg: u8, key: &VerifyingKey) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([alg]);
    h.update(key.as_bytes());
    h.finalize()[..4].try_into().expect("4 bytes")
}

/// The signed-note verifier key text of a log key: `name+hash+base64(0x01 || key)`.
pub fn verifier_key(name: &str, key: &VerifyingKey) -> String {
    let mut bytes = vec![0x01];
    bytes.extend_from_slice(key.as_bytes());
    format!(
        "{name}+{}+{}",
        hex::encode(key_hash(name, 0x01, key)),
        B64.encode(bytes)
    )
}

/// The C2SP cosigner (witness) verifier key text: `name+hash+base64(0x04 || key)`.
pub fn cosigner_key(name: &str, key: &VerifyingKey) -> String {
    let mut bytes = vec![0x04];
    bytes.extend_from_slice(key.as_bytes());
    format!(
        "{name}+{}+{}",
        hex::encode(key_hash(name, 0x04, key)),
        B64.encode(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_of(leaves: &[Hash]) -> Hash {
        // RFC 6962 MTH, recursively.
        match leaves.len() {
            0 => Sha256::digest(b"").into(),
            1 => leaves[0],
            n => {
                let k = (n as u64).next_power_of_two() as usize / 2;
                let k = if k == n { n / 2 } else { k };
                node_hash(&root_of(&leaves[..k]), &root_of(&leaves[k..]))
            }
        }
    }

    #[test]
    fn frontier_root_matches_the_recursive_definition() {
        let leaves: Vec<Hash> = (0..40u32).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let mut f = Frontier::default();
        assert_eq!(f.root(), root_of(&[]));
        for (i, l) in leaves.iter().enumerate() {
            f.push(*l);
            assert_eq!(f.root(), root_of(&leaves[..=i]), "size {}", i + 1);
        }
    }

    #[test]
    fn signatures_and_cosignatures_verify_and_detect_tampering() {
        let log = SigningKey::from_bytes(&[1; 32]);
        let witness = SigningKey::from_bytes(&[2; 32]);
        let mut note = Note {
            body: checkpoint_body("accord/log/US", 5, &[9; 32]),
            sigs: vec![],
        };
        note.sign("accord/log/US", &log);
        note.cosign("accord/witness/RU", &witness, 1_700_000_000);
        let parsed = Note::parse(&note.to_text()).unwrap();
        assert!(parsed.verify("accord/log/US", &log.verifying_key()));
        assert!(parsed.verify_cosignature("accord/witness/RU", &witness.verifying_key()));
        assert!(!parsed.verify_cosignature("accord/witness/RU", &log.verifying_key()));
        assert_eq!(parsed.checkpoint().unwrap().size, 5);
        let tampered = Note::parse(&note.to_text().replace("\n5\n", "\n6\n")).unwrap();
        assert!(!tampered.verify("accord/log/US", &log.verifying_key()));
        assert!(!tampered.verify_cosignature("accord/witness/RU", &witness.verifying_key()));
    }
}
