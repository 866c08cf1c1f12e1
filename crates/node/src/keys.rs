//! A node's signing key and its trust file of the parties' public keys: several keys per
//! party, each with a validity period and a revocation date, so that keys rotate and a
//! compromised key stops counting.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use accord_log::{KeyPeriod, KeySet};
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

/// One key of a party in the trust file, with when it counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustKey {
    /// Base64 of the 32-byte Ed25519 public key (`accord keys` prints it).
    pub key: String,
    /// The first instant the key signs for the party (RFC 3339); open when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<jiff::Timestamp>,
    /// The instant the key stops signing for the party, as planned by a rotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<jiff::Timestamp>,
    /// The instant the key was found compromised: its signatures count for nothing from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<jiff::Timestamp>,
}

/// What a party is in the exchange, as its trust-file entry says (`role`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A State party (the default when no role is written): its log holds its declarations,
    /// notifications, requests, replies and the rest of its own business, never observations.
    #[default]
    State,
    /// An open-source party (`role = "open-sources"`): its log holds observations read from
    /// open sources and nothing else, and findings on them have the open-sources basis.
    OpenSources,
}

impl Role {
    /// The role as the trust file writes it: `state` or `open-sources`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::State => "state",
            Role::OpenSources => "open-sources",
        }
    }

    fn is_state(&self) -> bool {
        *self == Role::State
    }
}

/// One trusted party in the trust file: a single `key` valid at every instant (the original
/// form), or `keys`, each with its period and revocation; and its role.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustEntry {
    /// What the party is: a State party (the default) or an open-source party.
    #[serde(default, skip_serializing_if = "Role::is_state")]
    pub role: Role,
    /// Base64 of the party's 32-byte Ed25519 public key, valid at every instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The party's keys with their periods, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<TrustKey>,
}

impl TrustEntry {
    /// Every key of the entry with its period: `key` first, then `keys`.
    fn all(&self) -> Vec<TrustKey> {
        let mut v: Vec<TrustKey> = self
            .key
            .iter()
            .map(|k| TrustKey {
                key: k.clone(),
                from: None,
                until: None,
                revoked: None,
            })
            .collect();
        v.extend(self.keys.iter().cloned());
        v
    }
}

/// The trust file: `[parties.ID]` with `key = "..."`, or `[[parties.ID.keys]]` tables with
/// `key`, `from`, `until` and `revoked`, for each party whose records the node accepts, and
/// `role = "open-sources"` for a party that publishes observations from open sources only. The
/// node's own party may be listed too: its former keys, kept for a rotation's overlap, and its
/// role.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustFile {
    /// The trusted parties by id.
    #[serde(default)]
    pub parties: BTreeMap<PartyId, TrustEntry>,
}

/// Seconds since the Unix epoch of an instant, as key periods count them (0 before 1970).
pub fn unix_seconds(t: jiff::Timestamp) -> u64 {
    t.as_second().max(0) as u64
}

/// A trusted key with the period in which it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartyKey {
    /// The Ed25519 public key.
    pub key: VerifyingKey,
    /// When it counts.
    pub period: KeyPeriod,
}

/// The trusted parties with their parsed keys, indexed by party and by DSSE key id.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    by_party: BTreeMap<PartyId, Vec<PartyKey>>,
    by_keyid: BTreeMap<String, (PartyId, PartyKey)>,
    /// The parties marked as open-source parties.
    open_sources: BTreeSet<PartyId>,
}

fn period_of(k: &TrustKey) -> KeyPeriod {
    KeyPeriod {
        from: k.from.map(unix_seconds),
        until: k.until.map(unix_seconds),
        revoked: k.revoked.map(unix_seconds),
    }
}

fn read_trust_file(path: &Path) -> Result<Option<TrustFile>, NodeError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(NodeError::io(path, e)),
    };
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| NodeError::Config {
            file: path.to_owned(),
            reason: e.to_string(),
        })
}

impl Trust {
    /// Reads `dir/trust.toml`; a missing file means no peer is trusted yet.
    pub fn load(dir: &Path) -> Result<Trust, NodeError> {
        let path: PathBuf = dir.join(TRUST_FILE);
        let Some(file) = read_trust_file(&path)? else {
            return Ok(Trust::default());
        };
        let mut trust = Trust::default();
        let config = |reason: String| NodeError::Config {
            file: path.clone(),
            reason,
        };
        for (party, entry) in file.parties {
            check_party(&party).map_err(|e| config(format!("parties.{party}: {e}")))?;
            // An entry may give the role alone: the node's own party's, whose key is its own.
            if entry.key.is_none() && entry.keys.is_empty() && entry.role == Role::State {
                return Err(config(format!("parties.{party} lists no key")));
            }
            for (n, k) in entry.all().into_iter().enumerate() {
                let field = if entry.key.is_some() && n == 0 {
                    format!("parties.{party}.key")
                } else {
                    format!(
                        "parties.{party}.keys[{}]",
                        n - usize::from(entry.key.is_some())
                    )
                };
                let key = parse_public_key(&k.key).ok_or_else(|| {
                    config(format!(
                        "{field} is not base64 of a 32-byte Ed25519 public key"
                    ))
                })?;
                let period = period_of(&k);
                if let (Some(f), Some(u)) = (period.from, period.until)
                    && u <= f
                {
                    return Err(config(format!("{field}: `until` is not after `from`")));
                }
                if trust.by_keyid.contains_key(&key_id(&key)) {
                    return Err(config(format!(
                        "{field}: the key is listed twice (key id {})",
                        key_id(&key)
                    )));
                }
                trust.insert_key(party.clone(), key, period);
            }
            trust.set_role(party, entry.role);
        }
        Ok(trust)
    }

    /// Adds a party's key valid at every instant.
    pub fn insert(&mut self, party: PartyId, key: VerifyingKey) {
        self.insert_key(party, key, KeyPeriod::ALWAYS);
    }

    /// Adds a party's key with the period in which it counts.
    pub fn insert_key(&mut self, party: PartyId, key: VerifyingKey, period: KeyPeriod) {
        let pk = PartyKey { key, period };
        self.by_keyid.insert(key_id(&key), (party.clone(), pk));
        let keys = self.by_party.entry(party).or_default();
        keys.retain(|k| k.key != key);
        keys.push(pk);
    }

    /// Sets a party's role.
    pub fn set_role(&mut self, party: PartyId, role: Role) {
        match role {
            Role::OpenSources => self.open_sources.insert(party),
            Role::State => self.open_sources.remove(&party),
        };
    }

    /// The party's role: a State party unless its entry says `role = "open-sources"`.
    pub fn role(&self, party: &str) -> Role {
        if self.open_sources.iter().any(|p| p.as_str() == party) {
            Role::OpenSources
        } else {
            Role::State
        }
    }

    /// The parties marked as open-source parties.
    pub fn open_sources(&self) -> &BTreeSet<PartyId> {
        &self.open_sources
    }

    /// The party's newest key: the last listed that is not revoked.
    pub fn key(&self, party: &str) -> Option<&VerifyingKey> {
        self.keys(party)
            .iter()
            .rev()
            .find(|k| k.period.revoked.is_none())
            .map(|k| &k.key)
    }

    /// Every key listed for the party, oldest first.
    pub fn keys(&self, party: &str) -> &[PartyKey] {
        self.by_party
            .iter()
            .find(|(p, _)| p.as_str() == party)
            .map_or(&[], |(_, k)| k.as_slice())
    }

    /// The party's keys that count at `at` (Unix seconds), oldest first.
    pub fn keys_at(&self, party: &str, at: u64) -> Vec<VerifyingKey> {
        self.keys(party)
            .iter()
            .filter(|k| k.period.valid_at(at))
            .map(|k| k.key)
            .collect()
    }

    /// The party's keys as signed-note verifier keys named `name` (a log origin or a witness
    /// name), each with its period.
    pub fn keyset(&self, party: &str, name: &str) -> Result<KeySet, NodeError> {
        let mut set = KeySet::new();
        for k in self.keys(party) {
            let vkey = accord_log::ed25519_vkey(name, &k.key)
                .map_err(|e| NodeError::Malformed(e.to_string()))?;
            set.add(&vkey, k.period)
                .map_err(|e| NodeError::Malformed(e.to_string()))?;
        }
        Ok(set)
    }

    /// The party whose key has this DSSE key id.
    pub fn party_of_keyid(&self, keyid: &str) -> Option<&PartyId> {
        self.by_keyid.get(keyid).map(|(p, _)| p)
    }

    /// The party and key with this DSSE key id.
    pub fn key_of_keyid(&self, keyid: &str) -> Option<(&PartyId, &PartyKey)> {
        self.by_keyid.get(keyid).map(|(p, k)| (p, k))
    }

    /// The trusted parties.
    pub fn parties(&self) -> impl Iterator<Item = &PartyId> {
        self.by_party.keys()
    }
}

fn write_trust_file(dir: &Path, file: &TrustFile) -> Result<(), NodeError> {
    let path = dir.join(TRUST_FILE);
    let body = toml::to_string(file).map_err(|e| NodeError::Config {
        file: path.clone(),
        reason: e.to_string(),
    })?;
    let text = format!(
        "# Parties whose records this accord node accepts: [parties.ID] key = base64 Ed25519 key,\n\
         # or [[parties.ID.keys]] tables with key, from, until and revoked (RFC 3339 instants);\n\
         # role = \"open-sources\" marks a party that publishes observations only.\n{body}"
    );
    std::fs::create_dir_all(dir).map_err(|e| NodeError::io(dir, e))?;
    let tmp = dir.join(format!("{TRUST_FILE}.tmp"));
    std::fs::write(&tmp, text).map_err(|e| NodeError::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| NodeError::io(&path, e))
}

fn edit_trust_file(
    dir: &Path,
    edit: impl FnOnce(&mut TrustFile) -> Result<(), NodeError>,
) -> Result<(), NodeError> {
    let path = dir.join(TRUST_FILE);
    let mut file = read_trust_file(&path)?.unwrap_or_default();
    edit(&mut file)?;
    write_trust_file(dir, &file)
}

/// The trust file's modification time and length, to notice that it changed; `None` when
/// it is missing.
pub fn trust_file_stamp(dir: &Path) -> Option<(std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(dir.join(TRUST_FILE)).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// Writes or replaces one party's keys in `dir/trust.toml` with a single key valid at every
/// instant, keeping its role and the other parties.
pub fn add_trusted(dir: &Path, party: &PartyId, key: &VerifyingKey) -> Result<(), NodeError> {
    check_party(party)?;
    edit_trust_file(dir, |file| {
        let entry = file.parties.entry(party.clone()).or_default();
        entry.key = Some(public_key_text(key));
        entry.keys = Vec::new();
        Ok(())
    })
}

/// Sets one party's role in `dir/trust.toml`, keeping its keys and the other parties (an
/// entry with a role and no key is the node's own party's).
pub fn set_role(dir: &Path, party: &PartyId, role: Role) -> Result<(), NodeError> {
    check_party(party)?;
    edit_trust_file(dir, |file| {
        let entry = file.parties.entry(party.clone()).or_default();
        entry.role = role;
        if role == Role::State && entry.key.is_none() && entry.keys.is_empty() {
            file.parties.remove(party);
        }
        Ok(())
    })
}

/// What to change about one key of a party in the trust file; `None` leaves a field as it is.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyChange {
    /// Sets the first instant the key counts.
    pub from: Option<jiff::Timestamp>,
    /// Sets the instant the key stops counting.
    pub until: Option<jiff::Timestamp>,
    /// Revokes the key from this instant.
    pub revoked: Option<jiff::Timestamp>,
}

/// Adds a key to a party's entry in `dir/trust.toml`, or changes the period of a key listed
/// already, keeping the party's other keys (a single `key` becomes the first of `keys`).
pub fn set_trusted_key(
    dir: &Path,
    party: &PartyId,
    key: &VerifyingKey,
    change: KeyChange,
) -> Result<(), NodeError> {
    check_party(party)?;
    let text = public_key_text(key);
    edit_trust_file(dir, |file| {
        let entry = file.parties.entry(party.clone()).or_default();
        let mut keys = entry.all();
        entry.key = None;
        let k = match keys
            .iter()
            .position(|k| parse_public_key(&k.key) == Some(*key))
        {
            Some(i) => &mut keys[i],
            None => {
                keys.push(TrustKey {
                    key: text,
                    from: None,
                    until: None,
                    revoked: None,
                });
                keys.last_mut().expect("just pushed")
            }
        };
        k.from = change.from.or(k.from);
        k.until = change.until.or(k.until);
        k.revoked = change.revoked.or(k.revoked);
        if let (Some(f), Some(u)) = (k.from, k.until)
            && u <= f
        {
            return Err(NodeError::Malformed(format!(
                "party {party}: `until` {u} is not after `from` {f}"
            )));
        }
        entry.keys = keys;
        Ok(())
    })
}

/// Writes a party's role in `dir/trust.toml` (a State party, or an open-source party whose log
/// holds observations only), keeping its keys.
pub fn set_trusted_role(dir: &Path, party: &PartyId, role: Role) -> Result<(), NodeError> {
    check_party(party)?;
    edit_trust_file(dir, |file| {
        file.parties.entry(party.clone()).or_default().role = role;
        Ok(())
    })
}

/// The directory, in the data directory, of the node's former signing keys: each
/// `<DSSE key id>.key`, kept so that the node signs with them through a rotation's overlap.
pub const RETIRED_DIR: &str = "retired";

/// What a rotation did: the former and the new public key, and the end of the overlap.
#[derive(Debug, Clone)]
pub struct Rotation {
    /// The key the node signed with until now.
    pub old: VerifyingKey,
    /// The key it signs with from now on.
    pub new: VerifyingKey,
    /// Until when the old key still signs checkpoints beside the new one.
    pub overlap_until: jiff::Timestamp,
}

/// Moves the node in `dir` of party `own` to a new signing key: the old key is kept in
/// `retired/`, and the trust file lists both under the own party (the old one until
/// `overlap_until`, the new one from `now`), so that the node signs its checkpoints with both
/// until then. The node takes the new key at its next start.
pub fn rotate_key(
    dir: &Path,
    own: &PartyId,
    now: jiff::Timestamp,
    overlap_until: jiff::Timestamp,
) -> Result<Rotation, NodeError> {
    check_party(own)?;
    if overlap_until <= now {
        return Err(NodeError::Malformed(format!(
            "the overlap must end after now ({now}), not at {overlap_until}"
        )));
    }
    let old = load_key(dir)?;
    let retired = dir.join(RETIRED_DIR);
    std::fs::create_dir_all(&retired).map_err(|e| NodeError::io(&retired, e))?;
    let kept = retired.join(format!("{}.key", key_id(&old.verifying_key())));
    if !kept.exists() {
        write_secret(&kept, &format!("{}\n", hex::encode(old.to_bytes())))?;
    }
    let new = generate_key();
    set_trusted_key(
        dir,
        own,
        &old.verifying_key(),
        KeyChange {
            until: Some(overlap_until),
            ..KeyChange::default()
        },
    )?;
    set_trusted_key(
        dir,
        own,
        &new.verifying_key(),
        KeyChange {
            from: Some(now),
            ..KeyChange::default()
        },
    )?;
    let path = dir.join(KEY_FILE);
    let tmp = dir.join(format!("{KEY_FILE}.new"));
    let _ = std::fs::remove_file(&tmp);
    write_secret(&tmp, &format!("{}\n", hex::encode(new.to_bytes())))?;
    std::fs::rename(&tmp, &path).map_err(|e| NodeError::io(&path, e))?;
    Ok(Rotation {
        old: old.verifying_key(),
        new: new.verifying_key(),
        overlap_until,
    })
}

/// The node's signing keys that count at `at` (Unix seconds): the current key first, then
/// the former keys of `retired/` that the trust file still lets sign for the own party.
pub fn signing_keys(
    dir: &Path,
    own: &str,
    trust: &Trust,
    at: u64,
) -> Result<Vec<SigningKey>, NodeError> {
    let current = load_key(dir)?;
    let mut keys = vec![current];
    for k in trust.keys(own) {
        if !k.period.valid_at(at) || k.key == keys[0].verifying_key() {
            continue;
        }
        let path = dir
            .join(RETIRED_DIR)
            .join(format!("{}.key", key_id(&k.key)));
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let sk = parse_key(&path, &text)?;
                if sk.verifying_key() != k.key {
                    return Err(NodeError::Config {
                        file: path,
                        reason: "holds another key than its name says".into(),
                    });
                }
                keys.push(sk);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(NodeError::io(&path, e)),
        }
    }
    Ok(keys)
}

/// Every former signing key kept in `dir/retired/`, whatever its period.
pub fn retired_keys(dir: &Path) -> Result<Vec<SigningKey>, NodeError> {
    let retired = dir.join(RETIRED_DIR);
    let listing = match std::fs::read_dir(&retired) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(NodeError::io(&retired, e)),
    };
    let mut keys = Vec::new();
    for entry in listing {
        let path = entry.map_err(|e| NodeError::io(&retired, e))?.path();
        if path.extension().is_some_and(|x| x == "key") {
            let text = std::fs::read_to_string(&path).map_err(|e| NodeError::io(&path, e))?;
            keys.push(parse_key(&path, &text)?);
        }
    }
    Ok(keys)
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

    fn at(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn todays_trust_files_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let k = generate_key().verifying_key();
        std::fs::write(
            dir.path().join(TRUST_FILE),
            format!("[parties.RU]\nkey = \"{}\"\n", public_key_text(&k)),
        )
        .unwrap();
        let trust = Trust::load(dir.path()).unwrap();
        assert_eq!(trust.key("RU"), Some(&k));
        assert_eq!(trust.keys_at("RU", 0), vec![k]);
        assert_eq!(trust.keys_at("RU", u64::MAX), vec![k]);
    }

    #[test]
    fn several_keys_with_periods_and_a_revocation() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (
            generate_key().verifying_key(),
            generate_key().verifying_key(),
        );
        std::fs::write(
            dir.path().join(TRUST_FILE),
            format!(
                "[[parties.US.keys]]\nkey = \"{}\"\nuntil = \"2026-06-01T00:00:00Z\"\n\
                 revoked = \"2026-05-01T00:00:00Z\"\n\
                 [[parties.US.keys]]\nkey = \"{}\"\nfrom = \"2026-04-01T00:00:00Z\"\n",
                public_key_text(&a),
                public_key_text(&b)
            ),
        )
        .unwrap();
        let trust = Trust::load(dir.path()).unwrap();
        let t = |s: &str| unix_seconds(at(s));
        assert_eq!(trust.keys_at("US", t("2026-03-01T00:00:00Z")), vec![a]);
        assert_eq!(trust.keys_at("US", t("2026-04-15T00:00:00Z")), vec![a, b]);
        // Revoked on 1 May although its period ran to 1 June.
        assert_eq!(trust.keys_at("US", t("2026-05-01T00:00:00Z")), vec![b]);
        assert_eq!(trust.key("US"), Some(&b));
        let (party, pk) = trust.key_of_keyid(&key_id(&a)).unwrap();
        assert_eq!(
            (party.as_str(), pk.period.revoked),
            ("US", Some(t("2026-05-01T00:00:00Z")))
        );
        let set = trust.keyset("US", "accord/log/US").unwrap();
        assert_eq!(set.valid_at(t("2026-04-15T00:00:00Z")).len(), 2);
    }

    #[test]
    fn bad_periods_and_repeated_keys_name_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let a = public_key_text(&generate_key().verifying_key());
        for (text, field) in [
            (
                format!(
                    "[[parties.US.keys]]\nkey = \"{a}\"\nfrom = \"2026-02-01T00:00:00Z\"\nuntil = \"2026-01-01T00:00:00Z\"\n"
                ),
                "parties.US.keys[0]: `until` is not after `from`",
            ),
            (
                format!("[parties.US]\nkey = \"{a}\"\n[[parties.US.keys]]\nkey = \"{a}\"\n"),
                "parties.US.keys[0]: the key is listed twice",
            ),
            ("[parties.US]\n".to_owned(), "parties.US lists no key"),
        ] {
            std::fs::write(dir.path().join(TRUST_FILE), text).unwrap();
            let e = Trust::load(dir.path()).unwrap_err().to_string();
            assert!(e.contains(field), "{e}");
        }
    }

    #[test]
    fn rotation_keeps_the_old_key_signing_through_the_overlap() {
        let dir = tempfile::tempdir().unwrap();
        let us = PartyId::new("US").unwrap();
        let old = load_or_create_key(dir.path()).unwrap();
        let now = at("2026-12-01T00:00:00Z");
        let end = at("2026-12-08T00:00:00Z");
        let r = rotate_key(dir.path(), &us, now, end).unwrap();
        assert_eq!(r.old, old.verifying_key());
        let new = load_key(dir.path()).unwrap();
        assert_eq!(r.new, new.verifying_key());
        assert_ne!(r.new, r.old);
        let trust = Trust::load(dir.path()).unwrap();
        let during = signing_keys(dir.path(), "US", &trust, unix_seconds(now) + 60).unwrap();
        let pubs: Vec<_> = during.iter().map(SigningKey::verifying_key).collect();
        assert_eq!(
            pubs,
            vec![r.new, r.old],
            "the new key first, the old one beside it"
        );
        let after = signing_keys(dir.path(), "US", &trust, unix_seconds(end)).unwrap();
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].verifying_key(), r.new);
        assert_eq!(retired_keys(dir.path()).unwrap()[0].verifying_key(), r.old);
        // A revocation ends the overlap at once.
        set_trusted_key(
            dir.path(),
            &us,
            &r.old,
            KeyChange {
                revoked: Some(now),
                ..KeyChange::default()
            },
        )
        .unwrap();
        let trust = Trust::load(dir.path()).unwrap();
        assert_eq!(
            signing_keys(dir.path(), "US", &trust, unix_seconds(now) + 60)
                .unwrap()
                .len(),
            1
        );
        assert!(rotate_key(dir.path(), &us, end, now).is_err());
    }
}
