//! Cosignatures (C2SP tlog-cosignature), witnesses, receipts and equivocation.
//!
//! `signed_note` 0.2.0 knows only signature type 0x01 (plain Ed25519 note signatures); the two
//! timestamped cosignature types are implemented here against the specification:
//!
//! - Ed25519 (type 0x04, `cosignature/v1`): the key ID is `SHA-256(name ‖ "\n" ‖ 0x04 ‖ public
//!   key)[:4]`, the signature the 8-byte big-endian timestamp followed by an Ed25519 signature
//!   over `"cosignature/v1\ntime <t>\n"` and the checkpoint body.
//! - ML-DSA-44 (type 0x06, `subtree/v1`, secure against quantum computers): the key ID is
//!   `SHA-256(name ‖ "\n" ‖ 0x06 ‖ 1312-byte public key)[:4]`, the signature the timestamp
//!   followed by a 2420-byte ML-DSA-44 signature (FIPS 204, empty context, the deterministic
//!   variant) over the `cosigned_message` structure ([`subtree_message`]), which commits to the
//!   cosigner's name, the origin, the tree size and root, and not to extension lines.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signer as _, SigningKey, Verifier as _, VerifyingKey};
use ml_dsa::MlDsa44;
use rand_core::RngCore as _;
use serde::{Deserialize, Serialize};
use signed_note::{Note, Signer, Verifier, VerifierList};
use tlog_tiles::Checkpoint;

use crate::Hash;
use crate::checkpoint::{SignedCheckpoint, parse_vkey};
use crate::error::{Equivocation, LogError, Result};
use crate::proof::{ConsistencyProof, InclusionProof, verify_consistency, verify_inclusion};

/// The signature type byte of Ed25519 cosignatures in key IDs and verifier keys.
pub const COSIGNATURE_V1: u8 = 0x04;

/// The signature type byte of ML-DSA-44 cosignatures in key IDs and verifier keys.
pub const COSIGNATURE_ML_DSA_44: u8 = 0x06;

/// The label that starts every ML-DSA-44 cosigned message.
pub const SUBTREE_V1_LABEL: &[u8; 12] = b"subtree/v1\n\0";

/// The length of an ML-DSA-44 public key.
const ML_DSA_44_PUBLIC: usize = 1312;
/// The length of an ML-DSA-44 signature.
const ML_DSA_44_SIGNATURE: usize = 2420;

fn cosigned_message(timestamp: u64, body: &[u8]) -> Vec<u8> {
    let mut m = format!("cosignature/v1\ntime {timestamp}\n").into_bytes();
    m.extend_from_slice(body);
    m
}

/// The `cosigned_message` an ML-DSA-44 cosigner signs (C2SP tlog-cosignature): the label
/// `subtree/v1\n\0`, the cosigner's name and the log's origin each with a one-byte length,
/// and the timestamp, first leaf (`start`), end and root hash, numbers as big-endian u64.
/// A checkpoint is the subtree from 0 to its size; a subtree that starts elsewhere carries
/// timestamp 0. Names and origins must be 1 to 255 bytes.
pub fn subtree_message(
    cosigner: &str,
    timestamp: u64,
    origin: &str,
    start: u64,
    end: u64,
    hash: &Hash,
) -> Result<Vec<u8>> {
    let short = |what: &str, s: &str| {
        u8::try_from(s.len())
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| LogError::Cosignature(format!("{what} {s:?} is not 1 to 255 bytes")))
    };
    if start != 0 && timestamp != 0 {
        return Err(LogError::Cosignature(
            "a subtree that does not start at 0 is cosigned with timestamp 0".into(),
        ));
    }
    let mut m = Vec::with_capacity(12 + 2 + cosigner.len() + origin.len() + 56);
    m.extend_from_slice(SUBTREE_V1_LABEL);
    m.push(short("cosigner name", cosigner)?);
    m.extend_from_slice(cosigner.as_bytes());
    m.extend_from_slice(&timestamp.to_be_bytes());
    m.push(short("origin", origin)?);
    m.extend_from_slice(origin.as_bytes());
    m.extend_from_slice(&start.to_be_bytes());
    m.extend_from_slice(&end.to_be_bytes());
    m.extend_from_slice(&hash.0);
    Ok(m)
}

/// The `subtree_message` of a checkpoint body as an ML-DSA-44 cosigner `name` signs it at
/// `timestamp`; `None` if the body is not a checkpoint.
fn checkpoint_subtree_message(name: &str, timestamp: u64, body: &[u8]) -> Option<Vec<u8>> {
    let cp = Checkpoint::from_bytes(body).ok()?;
    subtree_message(name, timestamp, cp.origin(), 0, cp.size(), cp.hash()).ok()
}

/// The key ID of a cosigner: `SHA-256(name ‖ "\n" ‖ type ‖ public key)[:4]`.
fn cosigner_key_id(name: &str, kind: CosignatureKind, public: &[u8]) -> u32 {
    let mut k = vec![kind.type_byte()];
    k.extend_from_slice(public);
    signed_note::key_id(name, &k)
}

/// The cosigner verifier key string of the Ed25519 public key `key` under the name `name`:
/// `<name>+<key id>+base64(0x04 ‖ key)`, what a witness's clients are given.
pub fn ed25519_cosigner_vkey(name: &str, key: &VerifyingKey) -> Result<String> {
    if !signed_note::is_key_name_valid(name) {
        return Err(LogError::Key(format!(
            "cosigner name {name:?} must be non-empty, without spaces or '+'"
        )));
    }
    let kind = CosignatureKind::Ed25519;
    let mut raw = vec![kind.type_byte()];
    raw.extend_from_slice(key.as_bytes());
    Ok(format!(
        "{name}+{:08x}+{}",
        cosigner_key_id(name, kind, key.as_bytes()),
        B64.encode(raw)
    ))
}

/// The two kinds of cosignature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CosignatureKind {
    /// Ed25519 over `cosignature/v1` (type 0x04).
    Ed25519,
    /// ML-DSA-44 over `subtree/v1` (type 0x06), secure against quantum computers.
    MlDsa44,
}

impl CosignatureKind {
    /// The signature type byte in key IDs and verifier keys.
    pub fn type_byte(self) -> u8 {
        match self {
            CosignatureKind::Ed25519 => COSIGNATURE_V1,
            CosignatureKind::MlDsa44 => COSIGNATURE_ML_DSA_44,
        }
    }

    /// The name people read: `Ed25519` or `ML-DSA-44`.
    pub fn name(self) -> &'static str {
        match self {
            CosignatureKind::Ed25519 => "Ed25519",
            CosignatureKind::MlDsa44 => "ML-DSA-44",
        }
    }
}

/// A cosigner's private key.
#[derive(Clone)]
enum Secret {
    Ed25519(Box<SigningKey>),
    MlDsa44(Arc<ml_dsa::SigningKey<MlDsa44>>),
}

/// A cosigner's (witness's) key and name: Ed25519 or ML-DSA-44.
#[derive(Clone)]
pub struct CosignerKey {
    name: String,
    secret: Secret,
    public: Vec<u8>,
}

impl std::fmt::Debug for CosignerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CosignerKey")
            .field("vkey", &self.vkey())
            .finish()
    }
}

fn check_name(name: &str) -> Result<()> {
    if signed_note::is_key_name_valid(name) {
        Ok(())
    } else {
        Err(LogError::Key(format!(
            "cosigner name {name:?} must be non-empty, without spaces or '+'"
        )))
    }
}

impl CosignerKey {
    /// An Ed25519 cosigner key named `name`.
    pub fn new(name: &str, key: SigningKey) -> Result<Self> {
        check_name(name)?;
        Ok(CosignerKey {
            name: name.to_owned(),
            public: key.verifying_key().as_bytes().to_vec(),
            secret: Secret::Ed25519(Box::new(key)),
        })
    }

    /// An ML-DSA-44 cosigner key named `name`, from its 32-byte seed (FIPS 204
    /// `ML-DSA.KeyGen_internal`; the seed is the key's preferred form).
    pub fn ml_dsa_44(name: &str, seed: &[u8; 32]) -> Result<Self> {
        check_name(name)?;
        if name.len() > 255 {
            return Err(LogError::Key(format!(
                "ML-DSA-44 cosigner name {name:?} is longer than 255 bytes"
            )));
        }
        let key = ml_dsa::SigningKey::<MlDsa44>::from_seed(&(*seed).into());
        let public = ml_dsa::signature::Keypair::verifying_key(&key)
            .encode()
            .to_vec();
        Ok(CosignerKey {
            name: name.to_owned(),
            secret: Secret::MlDsa44(Arc::new(key)),
            public,
        })
    }

    /// A cosigner key with the name and Ed25519 key of a signed-note private key (as made by
    /// `accord log keygen`).
    pub fn from_log_key(key: &crate::LogKey) -> Result<Self> {
        Self::new(key.name(), key.signing_key().clone())
    }

    /// A fresh Ed25519 cosigner key from the operating system's randomness.
    pub fn generate(name: &str) -> Result<Self> {
        Self::new(name, SigningKey::generate(&mut rand_core::OsRng))
    }

    /// A fresh ML-DSA-44 cosigner key from the operating system's randomness.
    pub fn generate_ml_dsa_44(name: &str) -> Result<Self> {
        let mut seed = [0u8; 32];
        rand_core::OsRng.fill_bytes(&mut seed);
        Self::ml_dsa_44(name, &seed)
    }

    /// The cosigner's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The kind of cosignature this key makes.
    pub fn kind(&self) -> CosignatureKind {
        match self.secret {
            Secret::Ed25519(_) => CosignatureKind::Ed25519,
            Secret::MlDsa44(_) => CosignatureKind::MlDsa44,
        }
    }

    /// The key ID of its signature lines.
    fn key_id(&self) -> u32 {
        cosigner_key_id(&self.name, self.kind(), &self.public)
    }

    /// The verifier key string: `<name>+<key id>+base64(type ‖ public key)`, type 0x04 for
    /// Ed25519 and 0x06 for ML-DSA-44.
    pub fn vkey(&self) -> String {
        let mut raw = vec![self.kind().type_byte()];
        raw.extend_from_slice(&self.public);
        format!("{}+{:08x}+{}", self.name, self.key_id(), B64.encode(raw))
    }

    /// The timestamped signature of checkpoint text `body` at `timestamp`.
    fn sign(&self, body: &[u8], timestamp: u64) -> Result<Vec<u8>> {
        let mut out = timestamp.to_be_bytes().to_vec();
        match &self.secret {
            Secret::Ed25519(key) => {
                out.extend_from_slice(&key.sign(&cosigned_message(timestamp, body)).to_bytes());
            }
            Secret::MlDsa44(key) => {
                let message =
                    checkpoint_subtree_message(&self.name, timestamp, body).ok_or_else(|| {
                        LogError::Checkpoint("the note text is not a checkpoint".into())
                    })?;
                let sig = ml_dsa::signature::Signer::try_sign(key.as_ref(), &message)
                    .map_err(|e| LogError::Cosignature(format!("ML-DSA-44 signing: {e}")))?;
                out.extend_from_slice(&sig.encode());
            }
        }
        Ok(out)
    }

    /// This key's cosignature line (`— <name> <base64>` and a newline) on the checkpoint text
    /// `body`, made at `timestamp` (seconds since the Unix epoch); empty if `body` is not a
    /// checkpoint.
    pub fn cosignature_line(&self, body: &[u8], timestamp: u64) -> Vec<u8> {
        self.sign(body, timestamp)
            .ok()
            .and_then(|sig| signed_note::Signature::new(self.name.clone(), self.key_id(), sig).ok())
            .map(|s| s.to_bytes())
            .unwrap_or_default()
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
        self.key.key_id()
    }
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, ed25519_dalek::SignatureError> {
        self.key
            .sign(msg, self.timestamp)
            .map_err(|_| ed25519_dalek::SignatureError::new())
    }
}

/// A cosigner's public key.
#[derive(Debug, Clone)]
enum Public {
    Ed25519(VerifyingKey),
    MlDsa44(Arc<ml_dsa::VerifyingKey<MlDsa44>>),
}

/// Verifies the cosignatures of one cosigner, Ed25519 (`cosignature/v1`) or ML-DSA-44
/// (`subtree/v1`) as its verifier key says.
#[derive(Debug, Clone)]
pub struct CosignatureVerifier {
    name: String,
    id: u32,
    key: Public,
}

impl CosignatureVerifier {
    /// Parses a cosigner verifier key string: `<name>+<key id>+base64(0x04 ‖ Ed25519 key)` or
    /// `<name>+<key id>+base64(0x06 ‖ ML-DSA-44 key)`.
    pub fn new(vkey: &str) -> Result<Self> {
        let shown: String = vkey.chars().take(80).collect();
        let bad = |why: &str| LogError::Key(format!("cosigner key {shown:?}: {why}"));
        let mut parts = vkey.trim().splitn(3, '+');
        let (Some(name), Some(id), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad("expected <name>+<key id>+<base64 key>"));
        };
        let id = u32::from_str_radix(id, 16).map_err(|_| bad("key id is not hex"))?;
        let raw = B64.decode(b64).map_err(|_| bad("key is not base64"))?;
        let (kind, key) = match (raw.first(), raw.len()) {
            (Some(&COSIGNATURE_V1), 33) => {
                let bytes: [u8; 32] = raw[1..].try_into().map_err(|_| bad("short key"))?;
                let key = VerifyingKey::from_bytes(&bytes)
                    .map_err(|_| bad("not an Ed25519 public key"))?;
                (CosignatureKind::Ed25519, Public::Ed25519(key))
            }
            (Some(&COSIGNATURE_ML_DSA_44), n) if n == 1 + ML_DSA_44_PUBLIC => {
                let enc = ml_dsa::EncodedVerifyingKey::<MlDsa44>::try_from(&raw[1..])
                    .map_err(|_| bad("not an ML-DSA-44 public key"))?;
                let key = ml_dsa::VerifyingKey::<MlDsa44>::decode(&enc);
                (CosignatureKind::MlDsa44, Public::MlDsa44(Arc::new(key)))
            }
            _ => {
                return Err(bad(
                    "not an Ed25519 (type 0x04, 32 bytes) or ML-DSA-44 (type 0x06, 1312 bytes) \
                     cosigner key",
                ));
            }
        };
        if cosigner_key_id(name, kind, &raw[1..]) != id {
            return Err(bad("key id does not match the name and key"));
        }
        if kind == CosignatureKind::MlDsa44 && name.len() > 255 {
            return Err(bad("an ML-DSA-44 cosigner name is at most 255 bytes"));
        }
        Ok(CosignatureVerifier {
            name: name.to_owned(),
            id,
            key,
        })
    }

    /// The kind of cosignature it verifies.
    pub fn kind(&self) -> CosignatureKind {
        match self.key {
            Public::Ed25519(_) => CosignatureKind::Ed25519,
            Public::MlDsa44(_) => CosignatureKind::MlDsa44,
        }
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
        let Some((ts, sig)) = sig.split_first_chunk::<8>() else {
            return false;
        };
        let ts = u64::from_be_bytes(*ts);
        if ts > i64::MAX as u64 {
            return false;
        }
        match &self.key {
            Public::Ed25519(key) => {
                let Ok(s) = ed25519_dalek::Signature::from_slice(sig) else {
                    return false;
                };
                key.verify(&cosigned_message(ts, msg), &s).is_ok()
            }
            Public::MlDsa44(key) => {
                if sig.len() != ML_DSA_44_SIGNATURE {
                    return false;
                }
                let Ok(s) = ml_dsa::Signature::<MlDsa44>::try_from(sig) else {
                    return false;
                };
                let Some(message) = checkpoint_subtree_message(&self.name, ts, msg) else {
                    return false;
                };
                key.verify_with_context(&message, &[], &s)
            }
        }
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
        let timestamp = u64::from_be_bytes(
            sig.signature()[..8]
                .try_into()
                .expect("a verified cosignature starts with its timestamp"),
        );
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

/// A log as receipts are made from it: its latest signed checkpoint and inclusion proofs in
/// any earlier tree (accord-log implements it for its stored log).
pub trait SignedLog {
    /// The latest signed checkpoint.
    fn checkpoint(&self) -> &SignedCheckpoint;
    /// The inclusion proof of entry `index` in the tree of size `size`.
    fn prove_inclusion(&self, index: u64, size: u64) -> Result<InclusionProof>;
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

#[cfg(test)]
#[path = "cosign_tests.rs"]
mod tests;
