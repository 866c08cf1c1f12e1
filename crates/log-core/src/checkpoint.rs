//! Log keys and signed checkpoints: C2SP tlog-checkpoint bodies in C2SP signed notes (Ed25519).

use std::path::Path;

use signed_note::{Note, StandardSigner, StandardVerifier, VerifierList};
use tlog_tiles::{Checkpoint, Hash};

use crate::error::{LogError, Result};

/// A log's signing key, kept as a signed-note private key string
/// (`PRIVATE+KEY+<name>+<key id>+<base64>`, the format of Go's `x/mod/sumdb/note`).
#[derive(Clone)]
pub struct LogKey {
    skey: String,
    vkey: String,
    signer: StandardSigner,
    key: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for LogKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogKey").field("vkey", &self.vkey).finish()
    }
}

impl LogKey {
    /// Makes a new Ed25519 key named `name` (by convention the log's origin) from the operating
    /// system's randomness.
    pub fn generate(name: &str) -> Result<Self> {
        if !signed_note::is_key_name_valid(name) {
            return Err(LogError::Key(format!(
                "key name {name:?} must be non-empty, without spaces or '+'"
            )));
        }
        let (skey, _) = signed_note::generate_key(&mut rand_core::OsRng, name);
        Self::from_skey(&skey)
    }

    /// Wraps an existing Ed25519 signing key under the key name `name`.
    pub fn from_signing_key(name: &str, key: &ed25519_dalek::SigningKey) -> Result<Self> {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD;
        let vkey = signed_note::new_ed25519_verifier_key(name, &key.verifying_key());
        let id = vkey
            .split('+')
            .nth(1)
            .ok_or_else(|| LogError::Key(format!("key name {name:?} is invalid")))?;
        let mut raw = vec![1u8];
        raw.extend_from_slice(&key.to_bytes());
        Self::from_skey(&format!("PRIVATE+KEY+{name}+{id}+{}", b64.encode(raw)))
    }

    /// Parses a private key string.
    pub fn from_skey(skey: &str) -> Result<Self> {
        let skey = skey.trim();
        let signer = StandardSigner::new(skey)
            .map_err(|e| LogError::Key(format!("not a signed-note Ed25519 private key: {e}")))?;
        // The verifier key is the private key string without the PRIVATE+KEY+ prefix and with
        // the public key in place of the private one.
        let parts: Vec<&str> = skey.splitn(5, '+').collect();
        let seed = {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(parts[4])
                .map_err(|e| LogError::Key(e.to_string()))?
        };
        let sk = ed25519_dalek::SigningKey::try_from(&seed[1..])
            .map_err(|e| LogError::Key(e.to_string()))?;
        let vkey = signed_note::new_ed25519_verifier_key(parts[2], &sk.verifying_key());
        Ok(LogKey {
            skey: skey.to_owned(),
            vkey,
            signer,
            key: sk,
        })
    }

    /// Reads a private key string from a file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| LogError::io(path, e))?;
        Self::from_skey(&text).map_err(|e| match e {
            LogError::Key(m) => LogError::Key(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    /// Writes the private key string to a new file, readable only by its owner on Unix.
    pub fn save(&self, path: &Path) -> Result<()> {
        use std::io::Write as _;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            opts.mode(0o600);
        }
        let mut f = opts.open(path).map_err(|e| LogError::io(path, e))?;
        f.write_all(format!("{}\n", self.skey).as_bytes())
            .map_err(|e| LogError::io(path, e))
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        signed_note::Signer::name(&self.signer)
    }

    /// The private key string.
    pub fn skey(&self) -> &str {
        &self.skey
    }

    /// The Ed25519 signing key inside.
    pub fn signing_key(&self) -> &ed25519_dalek::SigningKey {
        &self.key
    }

    /// The public verifier key string (`<name>+<key id>+<base64>`), what auditors are given.
    pub fn vkey(&self) -> &str {
        &self.vkey
    }

    /// Signs the checkpoint body of tree `size` with `root` under `origin` with every key of
    /// `keys` at once: during a key rotation a log signs with its old and new keys, so that
    /// verifiers holding either accept every checkpoint of the overlap.
    pub fn sign_all(
        keys: &[&LogKey],
        origin: &str,
        size: u64,
        root: Hash,
    ) -> Result<SignedCheckpoint> {
        let body = Checkpoint::new(origin, size, root, "")
            .map_err(|_| LogError::Checkpoint(format!("origin {origin:?} is not valid")))?;
        let mut note =
            Note::new(&body.to_bytes(), &[]).map_err(|e| LogError::Checkpoint(e.to_string()))?;
        let signers: Vec<&dyn signed_note::Signer> = keys
            .iter()
            .map(|k| &k.signer as &dyn signed_note::Signer)
            .collect();
        if signers.is_empty() {
            return Err(LogError::Key("a checkpoint needs at least one key".into()));
        }
        note.add_sigs(&signers)
            .map_err(|e| LogError::Checkpoint(e.to_string()))?;
        Ok(SignedCheckpoint {
            note: note.to_bytes(),
            origin: origin.to_owned(),
            size,
            root,
        })
    }

    /// Signs the checkpoint body of tree `size` with `root` under `origin` as a signed note.
    pub fn sign(&self, origin: &str, size: u64, root: Hash) -> Result<SignedCheckpoint> {
        Self::sign_all(&[self], origin, size, root)
    }
}

/// The signed-note verifier key string of the Ed25519 public key `key` under the key name
/// `name` (by convention the log's origin).
pub fn ed25519_vkey(name: &str, key: &ed25519_dalek::VerifyingKey) -> Result<String> {
    if !signed_note::is_key_name_valid(name) {
        return Err(LogError::Key(format!(
            "key name {name:?} must be non-empty, without spaces or '+'"
        )));
    }
    Ok(signed_note::new_ed25519_verifier_key(name, key))
}

/// The Ed25519 verifier key string of the key in `vkey` under the key name `name`: the same
/// key signing a log of another origin. The key is read from the string's third `+` field
/// (its algorithm byte 0x01 and 32 bytes, base64, which may itself hold `+`), as C2SP
/// signed-note writes it after the name and the key hash.
pub fn ed25519_vkey_named(vkey: &str, name: &str) -> Result<String> {
    use base64::Engine as _;
    let bad = |why: &str| LogError::Key(format!("verifier key {vkey:?}: {why}"));
    let field = vkey.trim().splitn(3, '+').nth(2).unwrap_or_default();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(field)
        .map_err(|e| bad(&e.to_string()))?;
    let key: [u8; 32] = match bytes.split_first() {
        Some((1, key)) => key.try_into().map_err(|_| bad("not 32 key bytes"))?,
        _ => return Err(bad("not an Ed25519 key")),
    };
    let key = ed25519_dalek::VerifyingKey::from_bytes(&key).map_err(|e| bad(&e.to_string()))?;
    ed25519_vkey(name, &key)
}

/// Parses a verifier key string, so a bad key is reported before any checking starts.
pub fn parse_vkey(vkey: &str) -> Result<StandardVerifier> {
    StandardVerifier::new(vkey.trim()).map_err(|e| {
        LogError::Key(format!(
            "not a signed-note Ed25519 verifier key ({e}): {vkey:?}"
        ))
    })
}

/// The signature lines of a signed note, checked for syntax, and refused if two come from one
/// key (one key name and key ID).
pub fn signature_lines(note: &[u8]) -> Result<Vec<signed_note::Signature>> {
    let bad = |why: String| LogError::Checkpoint(format!("not a signed note: {why}"));
    let text = std::str::from_utf8(note).map_err(|_| bad("not UTF-8".into()))?;
    let (_, block) = text
        .rsplit_once("\n\n")
        .ok_or_else(|| bad("no blank line before the signatures".into()))?;
    let block = block
        .strip_suffix('\n')
        .ok_or_else(|| bad("the last signature line does not end in a newline".into()))?;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (n, line) in block.split('\n').enumerate() {
        let sig = signed_note::Signature::from_bytes(line.as_bytes())
            .map_err(|_| bad(format!("signature line {} is malformed", n + 1)))?;
        if !seen.insert((sig.name().to_owned(), sig.id())) {
            return Err(bad(format!(
                "signature line {} repeats a signature by {}+{:08x}",
                n + 1,
                sig.name(),
                sig.id()
            )));
        }
        out.push(sig);
    }
    Ok(out)
}

/// A checkpoint as a signed note: its exact bytes, with the parsed origin, size and root.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedCheckpoint {
    note: Vec<u8>,
    origin: String,
    size: u64,
    root: Hash,
}

impl SignedCheckpoint {
    /// Parses a signed checkpoint note without checking any signature.
    ///
    /// The note must be well formed as C2SP signed-note says (UTF-8 without control characters
    /// other than newline, text ending in a newline, a blank line, then at most 100 signature
    /// lines, each an em dash, a key name and base64 of a key ID and a signature), and no two
    /// of its signatures may come from one key (one key name and key ID): a verifier would
    /// check only one of them.
    pub fn parse(note: &[u8]) -> Result<Self> {
        let parsed = Note::from_bytes(note)
            .map_err(|e| LogError::Checkpoint(format!("not a signed note: {e}")))?;
        signature_lines(note)?;
        let body = Checkpoint::from_bytes(parsed.text())
            .map_err(|e| LogError::Checkpoint(format!("note text is not a checkpoint: {e}")))?;
        Ok(SignedCheckpoint {
            note: note.to_vec(),
            origin: body.origin().to_owned(),
            size: body.size(),
            root: *body.hash(),
        })
    }

    /// Parses a signed checkpoint and checks that it carries a valid signature by `vkey`.
    pub fn verify(note: &[u8], vkey: &str) -> Result<Self> {
        let cp = Self::parse(note)?;
        let verifier = parse_vkey(vkey)?;
        let name = signed_note::Verifier::name(&verifier).to_owned();
        let list = VerifierList::new(vec![Box::new(verifier)]);
        let parsed = Note::from_bytes(note).map_err(|e| LogError::Checkpoint(e.to_string()))?;
        parsed.verify(&list).map_err(|e| {
            LogError::Checkpoint(format!(
                "no valid signature by the log key {name} on the checkpoint of size {}: {e}",
                cp.size
            ))
        })?;
        Ok(cp)
    }

    /// Parses a signed checkpoint and checks that it carries a valid signature by at least one
    /// of `vkeys` (the keys a verifier trusts for the log, several across a key rotation) and
    /// no invalid one by any of them.
    pub fn verify_any(note: &[u8], vkeys: &[&str]) -> Result<Self> {
        let cp = Self::parse(note)?;
        let verifiers = vkeys
            .iter()
            .map(|k| parse_vkey(k).map(|v| Box::new(v) as Box<dyn signed_note::Verifier>))
            .collect::<Result<Vec<_>>>()?;
        let parsed = Note::from_bytes(note).map_err(|e| LogError::Checkpoint(e.to_string()))?;
        parsed.verify(&VerifierList::new(verifiers)).map_err(|e| {
            LogError::Checkpoint(format!(
                "no valid signature by the {} trusted log key(s) on the checkpoint of size \
                     {}: {e}",
                vkeys.len(),
                cp.size
            ))
        })?;
        Ok(cp)
    }

    /// The note's exact bytes (text, blank line, signature lines).
    pub fn note(&self) -> &[u8] {
        &self.note
    }

    /// The note as text (notes are UTF-8 by construction).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.note).unwrap_or_default()
    }

    /// The checkpoint body: the signed text without signature lines.
    pub fn body(&self) -> &[u8] {
        let end = self
            .note
            .windows(2)
            .rposition(|w| w == b"\n\n")
            .map_or(self.note.len(), |p| p + 1);
        &self.note[..end]
    }

    /// The log's origin line.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The tree size.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root hash.
    pub fn root(&self) -> Hash {
        self.root
    }
}

#[cfg(test)]
mod named_tests {
    use super::*;

    #[test]
    fn a_verifier_key_under_another_name_verifies_that_origin() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
        let vkey = ed25519_vkey("accord/log/RU", &key.verifying_key()).unwrap();
        let named = ed25519_vkey_named(&vkey, "accord/log/RU/new-start").unwrap();
        assert_eq!(
            named,
            ed25519_vkey("accord/log/RU/new-start", &key.verifying_key()).unwrap()
        );
        let log = LogKey::from_signing_key("accord/log/RU/new-start", &key).unwrap();
        let cp = log
            .sign("accord/log/RU/new-start", 0, tlog_tiles::Hash::default())
            .unwrap();
        SignedCheckpoint::verify(cp.note(), &named).unwrap();
        assert!(SignedCheckpoint::verify(cp.note(), &vkey).is_err());
        // Keys whose base64 holds a `+` are read whole.
        let mut plus = 0;
        for seed in 0..=255u8 {
            let key = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]).verifying_key();
            let vkey = ed25519_vkey("accord/log/RU", &key).unwrap();
            plus += usize::from(vkey.matches('+').count() > 2);
            assert_eq!(
                ed25519_vkey_named(&vkey, "accord/log/RU/x").unwrap(),
                ed25519_vkey("accord/log/RU/x", &key).unwrap()
            );
        }
        assert!(plus > 0, "no key of the sample has a `+` in its base64");
        let e = ed25519_vkey_named("accord/log/RU+00+AAAA", "x").unwrap_err();
        assert!(e.to_string().contains("not an Ed25519 key"), "{e}");
    }
}
