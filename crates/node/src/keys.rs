//! A node's signing key and its trust file of peers' public keys.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use accord_model::PartyId;
use accord_model::envelope::{generate_key, key_id};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::NodeError;

/// The file in the data directory that holds the node's secret key (hex of the Ed25519 seed).
pub const KEY_FILE: &str = "node.key";
/// The file in the data directory that lists the peers' public keys.
pub const TRUST_FILE: &str = "trust.toml";

/// The longest party id a node accepts.
pub const MAX_PARTY_LEN: usize = 32;

/// Checks that a party id is fit to name a node, a log directory and a trust entry: 1 to 32
/// ASCII letters, digits, `_` and `-` (no `.`, `/` or `:`, so never a path).
pub fn check_party(party: &PartyId) -> Result<(), NodeError> {
    let s = party.as_str();
    if s.len() <= MAX_PARTY_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Ok(());
    }
    Err(NodeError::Malformed(format!(
        "party {s:?}: a node's party id is 1 to {MAX_PARTY_LEN} ASCII letters, digits, `_` or `-`"
    )))
}

/// Loads the node's signing key from `dir`, making a new one (and the directory) if none exists.
pub fn load_or_create_key(dir: &Path) -> Result<SigningKey, NodeError> {
    let path = dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_key(&path, &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| NodeError::io(dir, e))?;
            let key = generate_key();
            write_secret(&path, &format!("{}\n", hex::encode(key.to_bytes())))?;
            Ok(key)
        }
        Err(e) => Err(NodeError::io(&path, e)),
    }
}

/// Loads the node's signing key from `dir`, failing if there is none.
pub fn load_key(dir: &Path) -> Result<SigningKey, NodeError> {
    let path = dir.join(KEY_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| NodeError::io(&path, e))?;
    parse_key(&path, &text)
}

fn parse_key(path: &Path, text: &str) -> Result<SigningKey, NodeError> {
    let bytes: [u8; 32] = hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| NodeError::Config {
            file: path.to_owned(),
            reason: "the key file must hold 64 hex digits (an Ed25519 seed)".into(),
        })?;
    Ok(SigningKey::from_bytes(&bytes))
}

fn write_secret(path: &Path, text: &str) -> Result<(), NodeError> {
    use std::io::Write as _;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| NodeError::io(path, e))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| NodeError::io(path, e))
}

/// The public key as base64 of its 32 raw bytes, as written in trust files.
pub fn public_key_text(key: &VerifyingKey) -> String {
    B64.encode(key.as_bytes())
}

/// The fingerprint of a public key: `SHA256:` and the hex SHA-256 of its raw bytes.
pub fn fingerprint(key: &VerifyingKey) -> String {
    format!("SHA256:{}", hex::encode(Sha256::digest(key.as_bytes())))
}

/// Parses a public key written as base64 of its 32 raw bytes.
pub fn parse_public_key(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = B64.decode(text.trim()).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// One trusted party in the trust file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustEntry {
    /// Base64 of the party's 32-byte Ed25519 public key (`accord keys` prints it).
    pub key: String,
}

/// The trust file: `[parties.ID] key = "..."` for each peer whose records the node accepts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustFile {
    /// The trusted parties by id.
    #[serde(default)]
    pub parties: BTreeMap<PartyId, TrustEntry>,
}

/// The trusted parties with their parsed keys, indexed by party and by DSSE key id.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    by_party: BTreeMap<PartyId, VerifyingKey>,
    by_keyid: BTreeMap<String, PartyId>,
}

impl Trust {
    /// Reads `dir/trust.toml`; a missing file means no peer is trusted yet.
    pub fn load(dir: &Path) -> Result<Trust, NodeError> {
        let path: PathBuf = dir.join(TRUST_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Trust::default()),
            Err(e) => return Err(NodeError::io(&path, e)),
        };
        let file: TrustFile = toml::from_str(&text).map_err(|e| NodeError::Config {
            file: path.clone(),
            reason: e.to_string(),
        })?;
        let mut trust = Trust::default();
        for (party, entry) in file.parties {
            check_party(&party).map_err(|e| NodeError::Config {
                file: path.clone(),
                reason: format!("parties.{party}: {e}"),
            })?;
            let key = parse_public_key(&entry.key).ok_or_else(|| NodeError::Config {
                file: path.clone(),
                reason: format!(
                    "parties.{party}.key is not base64 of a 32-byte Ed25519 public key"
                ),
            })?;
            trust.insert(party, key);
        }
        Ok(trust)
    }

    /// Adds a party and its key.
    pub fn insert(&mut self, party: PartyId, key: VerifyingKey) {
        self.by_keyid.insert(key_id(&key), party.clone());
        self.by_party.insert(party, key);
    }

    /// The key of a party.
    pub fn key(&self, party: &str) -> Option<&VerifyingKey> {
        self.by_party
            .iter()
            .find(|(p, _)| p.as_str() == party)
            .map(|(_, k)| k)
    }

    /// The party whose key has this DSSE key id.
    pub fn party_of_keyid(&self, keyid: &str) -> Option<&PartyId> {
        self.by_keyid.get(keyid)
    }

    /// The trusted parties.
    pub fn parties(&self) -> impl Iterator<Item = &PartyId> {
        self.by_party.keys()
    }
}

/// Writes or replaces one party's entry in `dir/trust.toml`, keeping the others.
pub fn add_trusted(dir: &Path, party: &PartyId, key: &VerifyingKey) -> Result<(), NodeError> {
    check_party(party)?;
    let path = dir.join(TRUST_FILE);
    let mut file: TrustFile = match std::fs::read_to_string(&path) {
        Ok(t) => toml::from_str(&t).map_err(|e| NodeError::Config {
            file: path.clone(),
            reason: e.to_string(),
        })?,
        Err(_) => TrustFile::default(),
    };
    file.parties.insert(
        party.clone(),
        TrustEntry {
            key: public_key_text(key),
        },
    );
    let text = format!(
        "# Parties whose records this accord node accepts: [parties.ID] key = base64 Ed25519 key.\n{}",
        toml::to_string(&file).expect("trust files serialise")
    );
    std::fs::create_dir_all(dir).map_err(|e| NodeError::io(dir, e))?;
    std::fs::write(&path, text).map_err(|e| NodeError::io(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_made_once_and_trust_file_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let k1 = load_or_create_key(dir.path()).unwrap();
        let k2 = load_or_create_key(dir.path()).unwrap();
        assert_eq!(k1.to_bytes(), k2.to_bytes());
        let ru = PartyId::new("RU").unwrap();
        add_trusted(dir.path(), &ru, &k1.verifying_key()).unwrap();
        let trust = Trust::load(dir.path()).unwrap();
        assert_eq!(trust.key("RU"), Some(&k1.verifying_key()));
        assert_eq!(
            trust.party_of_keyid(&key_id(&k1.verifying_key())),
            Some(&ru)
        );
    }

    #[test]
    fn bad_trust_file_names_the_field() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(TRUST_FILE),
            "[parties.RU]\nkey = \"not a key\"\n",
        )
        .unwrap();
        let e = Trust::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("parties.RU.key"), "{e}");
    }
}
