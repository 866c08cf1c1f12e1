//! Cosignatures (C2SP tlog-cosignature, Ed25519 `cosignature/v1`), witnesses, receipts and
//! equivocation.
//!
//! `signed_note` 0.2.0 knows only signature type 0x01 (plain Ed25519 note signatures); the
//! timestamped cosignature type 0x04 is implemented here against the specification: the key ID
//! is `SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key)[:4]`, the signature is the 8-byte big-endian
//! timestamp followed by an Ed25519 signature over `"cosignature/v1\ntime <t>\n"` and the
//! checkpoint body.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signer as _, SigningKey, Verifier as _, VerifyingKey};
use serde::{Deserialize, Serialize};
use signed_note::{Note, Signer, Verifier, VerifierList};

use crate::checkpoint::{SignedCheckpoint, parse_vkey};
use crate::error::{Equivocation, LogError, Result};
use crate::proof::{ConsistencyProof, InclusionProof, verify_consistency, verify_inclusion};

/// The signature type byte of Ed25519 cosignatures in key IDs and verifier keys.
pub const COSIGNATURE_V1: u8 = 0x04;

fn cosigned_message(timestamp: u64, body: &[u8]) -> Vec<u8> {
    let mut m = format!("cosignature/v1\ntime {timestamp}\n").into_bytes();
    m.extend_from_slice(body);
    m
}

/// The key ID of a cosigner: `SHA-256(name ‖ "\n" ‖ 0x04 ‖ key)[:4]`.
fn cosigner_key_id(name: &str, key: &VerifyingKey) -> u32 {
    let mut k = vec![COSIGNATURE_V1];
    k.extend_from_slice(key.as_bytes());
    signed_note::key_id(name, &k)
}

fn cosigner_vkey_text(name: &str, key: &VerifyingKey) -> String {
    let mut raw = vec![COSIGNATURE_V1];
    raw.extend_from_slice(key.as_bytes());
    format!(
        "{name}+{:08x}+{}",
        cosigner_key_id(name, key),
        B64.encode(raw)
    )
}

/// The cosigner verifier key string of the Ed25519 public key `key` under the name `name`:
/// `<name>+<key id>+base64(0x04 ‖ key)`, what a witness's clients are given.
pub fn ed25519_cosigner_vkey(name: &str, key: &VerifyingKey) -> Result<String> {
    if !signed_note::is_key_name_valid(name) {
        return Err(LogError::Key(format!(
            "cosigner name {name:?} must be non-empty, without spaces or '+'"
        )));
    }
    Ok(cosigner_vkey_text(name, key))
}

/// A cosigner's (witness's) Ed25519 key and name.
#[derive(Clone)]
pub struct CosignerKey {
    name: String,
    key: SigningKey,
}

impl std::fmt::Debug for CosignerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CosignerKey")
            .field("vkey", &self.vkey())
            .finish()
    }
}

impl CosignerKey {
    /// A cosigner key named `name` from an Ed25519 key.
    pub fn new(name: &str, key: SigningKey) -> Result<Self> {
        if !signed_note::is_key_name_valid(name) {
            return Err(LogError::Key(format!(
                "cosigner name {name:?} must be non-empty, without spaces or '+'"
            )));
        }
        Ok(CosignerKey {
            name: name.to_owned(),
            key,
        })
    }

    /// A cosigner key with the name and Ed25519 key of a signed-note private key (as made by
    /// `accord log keygen`).
    pub fn from_log_key(key: &crate::LogKey) -> Result<Self> {
        Self::new(key.name(), key.signing_key().clone())
    }

    /// A fresh cosigner key from the operating system's randomness.
    pub fn generate(name: &str) -> Result<Self> {
        Self::new(name, SigningKey::generate(&mut rand_core::OsRng))
    }

    /// The cosigner's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The verifier key string: `<name>+<key id>+base64(0x04 ‖ public key)`.
    pub fn vkey(&self) -> String {
        cosigner_vkey_text(&self.name, &self.key.verifying_key())
    }

    /// This key's cosignature line (`— <name> <base64>` and a newline) on the checkpoint text
    /// `body`, made at `timestamp` (seconds since the Unix epoch).
    pub fn cosignature_line(&self, body: &[u8], timestamp: u64) -> Vec<u8> {
        let signer = TimestampedSigner {
            key: self,
            timestamp,
        };
        let sig = signer.sign(body).unwrap_or_default();
        match signed_note::Signature::new(self.name.clone(), signer.key_id(), sig) {
            Ok(s) => s.to_bytes(),
            Err(_) => Vec::new(),
        }
    }

    /// Adds this key's cosignature, made at `timestamp` (seconds since the Unix epoch), to a
    /// signed checkpoint note and returns the new note bytes.
    pub fn cosign_note(&self, note: &[u8], timestamp: u64) -> Result<Vec<u8>> {
        let mut n = Note::from_bytes(note)
            .map_err(|e| LogError::Checkpoint(format!("not a signed note: {e}")))?;
        let signer = TimestampedSigner {
            key: self,
            timestamp,
        };
        n.add_sigs(&[&signer])
            .map_err(|e| LogError::Cosignature(e.to_string()))?;
        Ok(n.to_bytes())
    }
}

struct TimestampedSigner<'a> {
    key: &'a CosignerKey,
    timestamp: u64,
}

impl Signer for TimestampedSigner<'_> {
    fn name(&self) -> &str {
        &self.key.name
    }
    fn key_id(&self) -> u32 {
        cosigner_key_id(&self.key.name, &self.key.key.verifying_key())
    }
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, ed25519_dalek::SignatureError> {
        let sig = self.key.key.sign(&cosigned_message(self.timestamp, msg));
        let mut out = self.timestamp.to_be_bytes().to_vec();
        out.extend_from_slice(&sig.to_bytes());
        Ok(out)
    }
}

/// Verifies `cosignature/v1` signatures of one cosigner.
#[derive(Debug, Clone)]
pub struct CosignatureVerifier {
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl CosignatureVerifier {
    /// Parses a cosigner verifier key string (`<name>+<key id>+base64(0x04 ‖ key)`).
    pub fn new(vkey: &str) -> Result<Self> {
        let bad = |why: &str| LogError::Key(format!("cosigner key {vkey:?}: {why}"));
        let mut parts = vkey.trim().splitn(3, '+');
        let (Some(name), Some(id), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad("expected <name>+<key id>+<base64 key>"));
        };
        let id = u32::from_str_radix(id, 16).map_err(|_| bad("key id is not hex"))?;
        let raw = B64.decode(b64).map_err(|_| bad("key is not base64"))?;
        if raw.len() != 33 || raw[0] != COSIGNATURE_V1 {
            return Err(bad("not an Ed25519 cosignature/v1 key (type 0x04)"));
        }
        let key = VerifyingKey::from_bytes(raw[1..].try_into().expect("32 bytes"))
            .map_err(|_| bad("not an Ed25519 public key"))?;
        if cosigner_key_id(name, &key) != id {
            return Err(bad("key id does not match the name and key"));
        }
        Ok(CosignatureVerifier {
            name: name.to_owned(),
            id,
            key,
        })
    }
}

impl Verifier for CosignatureVerifier {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> u32 {
        self.id
    }
    fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        if sig.len() != 72 {
            return false;
        }
        let ts = u64::from_be_bytes(sig[..8].try_into().expect("8 bytes"));
        if ts > i64::MAX as u64 {
            return false;
        }
        let Ok(s) = ed25519_dalek::Signature::from_slice(&sig[8..]) else {
            return false;
        };
        self.key.verify(&cosigned_message(ts, msg), &s).is_ok()
    }
}

/// A cosignature found valid on a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cosignature {
    /// The cosigner's name.
    pub cosigner: String,
    /// When it cosigned, in seconds since the Unix epoch.
    pub timestamp: u64,
}

/// Checks a checkpoint's log signature and the cosignature of every cosigner in
/// `cosigner_vkeys` (all must be present and valid); returns the checkpoint and the cosignatures.
pub fn verify_cosigned(
    note: &[u8],
    log_vkey: &str,
    cosigner_vkeys: &[&str],
) -> Result<(SignedCheckpoint, Vec<Cosignature>)> {
    let cp = SignedCheckpoint::verify(note, log_vkey)?;
    let parsed = Note::from_bytes(note).map_err(|e| LogError::Checkpoint(e.to_string()))?;
    let mut found = Vec::new();
    for vk in cosigner_vkeys {
        let v = CosignatureVerifier::new(vk)?;
        let name = v.name.clone();
        let list = VerifierList::new(vec![Box::new(v)]);
        let (ok, _) = parsed.verify(&list).map_err(|e| {
            LogError::Cosignature(format!(
                "no valid cosignature by {name} on the checkpoint of size {}: {e}",
                cp.size()
            ))
        })?;
        let sig = &ok[0];
        let timestamp = u64::from_be_bytes(sig.signature()[..8].try_into().expect("72 bytes"));
        found.push(Cosignature {
            cosigner: name,
            timestamp,
        });
    }
    Ok((cp, found))
}

/// A record's receipt: a cosigned checkpoint that contains the record, and the inclusion proof.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// The checkpoint note with the log's signature and the cosignatures.
    pub checkpoint: String,
    /// The proof that the record is in that checkpoint's tree.
    pub proof: InclusionProof,
}

/// Checks a receipt for `entry`: the log's signature, every listed cosignature, and inclusion.
pub fn verify_receipt(
    entry: &[u8],
    receipt: &Receipt,
    log_vkey: &str,
    cosigner_vkeys: &[&str],
) -> Result<Vec<Cosignature>> {
    let (cp, cosigs) = verify_cosigned(receipt.checkpoint.as_bytes(), log_vkey, cosigner_vkeys)?;
    if receipt.proof.size != cp.size() {
        return Err(LogError::Proof(format!(
            "the proof is for size {}, the checkpoint has size {}",
            receipt.proof.size,
            cp.size()
        )));
    }
    verify_inclusion(entry, &receipt.proof, &cp.root())?;
    Ok(cosigs)
}

/// Checks two checkpoint notes signed by the log key `log_vkey`: if they have one origin and
/// size and different bodies, returns the equivocation.
pub fn find_equivocation(a: &[u8], b: &[u8], log_vkey: &str) -> Result<Option<Equivocation>> {
    let ca = SignedCheckpoint::verify(a, log_vkey)?;
    let cb = SignedCheckpoint::verify(b, log_vkey)?;
    if ca.origin() == cb.origin() && ca.size() == cb.size() && ca.body() != cb.body() {
        Ok(Some(Equivocation::new(ca, cb)))
    } else {
        Ok(None)
    }
}

/// A peer that witnesses a log: it checks that each new checkpoint is consistent with the last
/// one it saw, then cosigns it. A cosigned checkpoint that contains a record is that record's
/// receipt.
#[derive(Debug, Clone)]
pub struct Witness {
    key: CosignerKey,
    log_vkey: String,
    last: Option<SignedCheckpoint>,
}

impl Witness {
    /// A witness with `key` of the log whose checkpoints verify with `log_vkey`; `last` is the
    /// last checkpoint note it cosigned, if it is resuming.
    pub fn new(key: CosignerKey, log_vkey: &str, last: Option<&[u8]>) -> Result<Self> {
        parse_vkey(log_vkey)?;
        let last = last
            .map(|n| SignedCheckpoint::verify(n, log_vkey))
            .transpose()?;
        Ok(Witness {
            key,
            log_vkey: log_vkey.trim().to_owned(),
            last,
        })
    }

    /// The last checkpoint cosigned.
    pub fn last(&self) -> Option<&SignedCheckpoint> {
        self.last.as_ref()
    }

    /// The witness's cosigner verifier key.
    pub fn vkey(&self) -> String {
        self.key.vkey()
    }

    /// Checks `note` (signed by the log) against the last checkpoint seen, using `proof` (a
    /// consistency proof from the last size to the new one; ignored for the first checkpoint,
    /// which is trusted on first use), and cosigns it at `timestamp`. Returns the cosigned note.
    ///
    /// A checkpoint of the last size with another root is equivocation:
    /// [`LogError::Equivocation`] carries both checkpoints.
    pub fn cosign(
        &mut self,
        note: &[u8],
        proof: &ConsistencyProof,
        timestamp: u64,
    ) -> Result<Vec<u8>> {
        let cp = SignedCheckpoint::verify(note, &self.log_vkey)?;
        if let Some(last) = &self.last {
            if cp.origin() != last.origin() {
                return Err(LogError::Checkpoint(format!(
                    "origin {:?} is not the witnessed log's {:?}",
                    cp.origin(),
                    last.origin()
                )));
            }
            if cp.size() == last.size() {
                if cp.body() != last.body() {
                    return Err(LogError::Equivocation(Box::new(Equivocation::new(
                        last.clone(),
                        cp,
                    ))));
                }
            } else if cp.size() < last.size() {
                return Err(LogError::Proof(format!(
                    "checkpoint of size {} is older than the last one cosigned (size {})",
                    cp.size(),
                    last.size()
                )));
            } else {
                if proof.old_size != last.size() || proof.new_size != cp.size() {
                    return Err(LogError::Proof(format!(
                        "need a consistency proof from {} to {}, got one from {} to {}",
                        last.size(),
                        cp.size(),
                        proof.old_size,
                        proof.new_size
                    )));
                }
                verify_consistency(proof, &last.root(), &cp.root())?;
            }
        }
        let cosigned = self.key.cosign_note(note, timestamp)?;
        self.last = Some(cp);
        Ok(cosigned)
    }
}
