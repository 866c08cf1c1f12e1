//! Sets of keys with validity periods: which of a signer's keys count at an instant, and a
//! signed note checked against the keys that count then.
//!
//! A log moves to a new key without a gap in verifiability by signing each checkpoint with its
//! old and new keys for a while (several signature lines on one note, [`crate::LogKey::sign_all`]):
//! a verifier holding either key accepts every checkpoint of the overlap. Each key is valid
//! over a period `[from, until)`; a key found compromised is *revoked* at an instant, after
//! which its signatures count for nothing, even where its period has not ended. Instants are
//! seconds since the Unix epoch, the unit of C2SP cosignature timestamps.

use signed_note::{Note, VerifierList};

use crate::checkpoint::{SignedCheckpoint, parse_vkey, signature_lines};
use crate::error::{LogError, Result};

/// When one key counts: from `from` (inclusive) to `until` (exclusive), and never from
/// `revoked` on. `None` leaves that side open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyPeriod {
    /// The first instant the key signs for its owner.
    pub from: Option<u64>,
    /// The instant the key stops signing for its owner (a planned rotation).
    pub until: Option<u64>,
    /// The instant the key was taken as compromised: its signatures count for nothing at this
    /// instant and after.
    pub revoked: Option<u64>,
}

impl KeyPeriod {
    /// A key valid at every instant.
    pub const ALWAYS: KeyPeriod = KeyPeriod {
        from: None,
        until: None,
        revoked: None,
    };

    /// Whether the key counts at instant `at`.
    pub fn valid_at(&self, at: u64) -> bool {
        self.from.is_none_or(|f| at >= f)
            && self.until.is_none_or(|u| at < u)
            && self.revoked.is_none_or(|r| at < r)
    }

    /// Why the key does not count at `at`, in words; `None` when it does.
    pub fn why_not(&self, at: u64) -> Option<String> {
        if let Some(r) = self.revoked.filter(|r| at >= *r) {
            return Some(format!("revoked at {r}"));
        }
        if let Some(u) = self.until.filter(|u| at >= *u) {
            return Some(format!("valid until {u}"));
        }
        if let Some(f) = self.from.filter(|f| at < *f) {
            return Some(format!("valid from {f}"));
        }
        None
    }
}

/// One signer's keys (signed-note verifier key strings), each with its period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeySet {
    keys: Vec<(String, KeyPeriod)>,
}

impl KeySet {
    /// An empty set.
    pub fn new() -> Self {
        KeySet::default()
    }

    /// A set of one key valid at every instant.
    pub fn single(vkey: &str) -> Result<Self> {
        let mut s = KeySet::new();
        s.add(vkey, KeyPeriod::ALWAYS)?;
        Ok(s)
    }

    /// Adds a verifier key with its period; a malformed key, a period that ends before it
    /// starts, or a key already in the set is an error.
    pub fn add(&mut self, vkey: &str, period: KeyPeriod) -> Result<()> {
        let vkey = vkey.trim();
        parse_vkey(vkey)?;
        if let (Some(f), Some(u)) = (period.from, period.until)
            && u <= f
        {
            return Err(LogError::Key(format!(
                "key {vkey}: its period ends ({u}) before it starts ({f})"
            )));
        }
        if self.keys.iter().any(|(k, _)| k == vkey) {
            return Err(LogError::Key(format!("key {vkey} is listed twice")));
        }
        self.keys.push((vkey.to_owned(), period));
        Ok(())
    }

    /// Every key with its period, in the order added.
    pub fn keys(&self) -> impl Iterator<Item = (&str, &KeyPeriod)> {
        self.keys.iter().map(|(k, p)| (k.as_str(), p))
    }

    /// Whether the set holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys that count at `at`.
    pub fn valid_at(&self, at: u64) -> Vec<&str> {
        self.keys
            .iter()
            .filter(|(_, p)| p.valid_at(at))
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// Checks that the checkpoint note carries a valid signature by at least one key that
    /// counts at `at`, and no invalid signature by any of them. Signatures by keys outside
    /// their period or revoked are ignored; a note signed only by such keys is refused with
    /// the reason.
    pub fn verify_at(&self, note: &[u8], at: u64) -> Result<SignedCheckpoint> {
        let cp = SignedCheckpoint::parse(note)?;
        let valid = self.valid_at(at);
        if valid.is_empty() {
            return Err(LogError::Checkpoint(format!(
                "no key trusted for the checkpoint of size {} counts at {at}{}",
                cp.size(),
                self.reasons(note, at)
            )));
        }
        SignedCheckpoint::verify_any(note, &valid).map_err(|e| match e {
            LogError::Checkpoint(m) => {
                LogError::Checkpoint(format!("{m}{}", self.reasons(note, at)))
            }
            other => other,
        })
    }

    /// Like [`KeySet::verify_at`] for any signed note (not only checkpoints): the verified
    /// signature lines' key names and ids.
    pub fn verify_note_at(&self, note: &[u8], at: u64) -> Result<Vec<(String, u32)>> {
        signature_lines(note)?;
        let valid = self.valid_at(at);
        let verifiers = valid
            .iter()
            .map(|k| parse_vkey(k).map(|v| Box::new(v) as Box<dyn signed_note::Verifier>))
            .collect::<Result<Vec<_>>>()?;
        let parsed = Note::from_bytes(note).map_err(|e| LogError::Checkpoint(e.to_string()))?;
        let (ok, _) = parsed
            .verify(&VerifierList::new(verifiers))
            .map_err(|e| LogError::Checkpoint(format!("{e}{}", self.reasons(note, at))))?;
        Ok(ok.iter().map(|s| (s.name().to_owned(), s.id())).collect())
    }

    /// The note's signature lines by keys of this set that do not count at `at`, in words
    /// (empty when there are none).
    fn reasons(&self, note: &[u8], at: u64) -> String {
        let Ok(lines) = signature_lines(note) else {
            return String::new();
        };
        let mut out = Vec::new();
        for (vkey, period) in &self.keys {
            let Some(why) = period.why_not(at) else {
                continue;
            };
            let Ok(v) = parse_vkey(vkey) else { continue };
            let (name, id) = (
                signed_note::Verifier::name(&v),
                signed_note::Verifier::key_id(&v),
            );
            if lines.iter().any(|s| s.name() == name && s.id() == id) {
                out.push(format!(
                    "the signature by {name}+{id:08x} does not count: {why}"
                ));
            }
        }
        if out.is_empty() {
            String::new()
        } else {
            format!(" ({})", out.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Hash, LogKey};

    const ORIGIN: &str = "accord/log/US";

    fn root() -> Hash {
        Hash([7; 32])
    }

    #[test]
    fn periods_bound_both_sides_and_revocation_wins() {
        let p = KeyPeriod {
            from: Some(100),
            until: Some(200),
            revoked: None,
        };
        assert!(!p.valid_at(99));
        assert!(p.valid_at(100));
        assert!(p.valid_at(199));
        assert!(!p.valid_at(200));
        let r = KeyPeriod {
            revoked: Some(150),
            ..p
        };
        assert!(r.valid_at(149));
        assert!(!r.valid_at(150));
        assert_eq!(r.why_not(170).as_deref(), Some("revoked at 150"));
        assert_eq!(p.why_not(50).as_deref(), Some("valid from 100"));
        assert_eq!(p.why_not(120), None);
        assert!(KeyPeriod::ALWAYS.valid_at(0) && KeyPeriod::ALWAYS.valid_at(u64::MAX));
    }

    #[test]
    fn a_rotation_leaves_no_instant_without_a_valid_signature() {
        let old = LogKey::generate(ORIGIN).unwrap();
        let new = LogKey::generate(ORIGIN).unwrap();
        let mut set = KeySet::new();
        set.add(
            old.vkey(),
            KeyPeriod {
                until: Some(2_000),
                ..KeyPeriod::ALWAYS
            },
        )
        .unwrap();
        set.add(
            new.vkey(),
            KeyPeriod {
                from: Some(1_000),
                ..KeyPeriod::ALWAYS
            },
        )
        .unwrap();
        let before = old.sign(ORIGIN, 1, root()).unwrap();
        let overlap = LogKey::sign_all(&[&old, &new], ORIGIN, 2, root()).unwrap();
        let after = new.sign(ORIGIN, 3, root()).unwrap();
        assert_eq!(
            signature_lines(overlap.note()).unwrap().len(),
            2,
            "the overlap signs with both keys"
        );
        // Before the new key's period: the old key alone counts.
        assert_eq!(set.verify_at(before.note(), 500).unwrap().size(), 1);
        assert!(set.verify_at(after.note(), 500).is_err());
        // During the overlap every note verifies.
        for n in [&before, &overlap, &after] {
            assert!(set.verify_at(n.note(), 1_500).is_ok(), "{}", n.as_str());
        }
        // After the old key's period: only notes the new key signed.
        assert!(set.verify_at(overlap.note(), 2_500).is_ok());
        assert!(set.verify_at(after.note(), 2_500).is_ok());
        let e = set.verify_at(before.note(), 2_500).unwrap_err().to_string();
        assert!(e.contains("valid until 2000"), "{e}");
    }

    #[test]
    fn a_revoked_key_counts_for_nothing_from_its_revocation() {
        let stolen = LogKey::generate(ORIGIN).unwrap();
        let mut set = KeySet::new();
        set.add(
            stolen.vkey(),
            KeyPeriod {
                revoked: Some(1_000),
                ..KeyPeriod::ALWAYS
            },
        )
        .unwrap();
        let forged = stolen.sign(ORIGIN, 9, root()).unwrap();
        assert!(set.verify_at(forged.note(), 999).is_ok());
        let e = set.verify_at(forged.note(), 1_000).unwrap_err().to_string();
        assert!(e.contains("revoked at 1000"), "{e}");
        assert!(set.verify_note_at(forged.note(), 1_000).is_err());
        assert_eq!(
            set.verify_note_at(forged.note(), 10).unwrap(),
            vec![(ORIGIN.to_owned(), parse_id(stolen.vkey()))]
        );
    }

    fn parse_id(vkey: &str) -> u32 {
        u32::from_str_radix(vkey.split('+').nth(1).unwrap(), 16).unwrap()
    }

    #[test]
    fn a_bad_signature_by_a_valid_key_is_refused_even_beside_a_good_one() {
        let a = LogKey::generate(ORIGIN).unwrap();
        let b = LogKey::generate(ORIGIN).unwrap();
        let both = LogKey::sign_all(&[&a, &b], ORIGIN, 4, root()).unwrap();
        // Swap the root: both signatures now sign another body.
        let other = LogKey::sign_all(&[&a, &b], ORIGIN, 4, Hash([8; 32])).unwrap();
        let text = both.as_str();
        let (body, _) = text.split_once("\n\n").unwrap();
        let (_, sigs) = other.as_str().split_once("\n\n").unwrap();
        let second_bad = format!(
            "{body}\n\n{}\n{}\n",
            text.split_once("\n\n").unwrap().1.lines().next().unwrap(),
            sigs.lines().nth(1).unwrap()
        );
        let mut set = KeySet::new();
        set.add(a.vkey(), KeyPeriod::ALWAYS).unwrap();
        set.add(b.vkey(), KeyPeriod::ALWAYS).unwrap();
        assert!(set.verify_at(both.note(), 0).is_ok());
        assert!(set.verify_at(second_bad.as_bytes(), 0).is_err());
        // With only `a` trusted, `b`'s bad line is an unknown key's and is ignored.
        let only_a = KeySet::single(a.vkey()).unwrap();
        assert!(only_a.verify_at(second_bad.as_bytes(), 0).is_ok());
    }

    #[test]
    fn malformed_sets_are_refused() {
        let k = LogKey::generate(ORIGIN).unwrap();
        let mut set = KeySet::new();
        assert!(set.add("not a key", KeyPeriod::ALWAYS).is_err());
        assert!(
            set.add(
                k.vkey(),
                KeyPeriod {
                    from: Some(5),
                    until: Some(5),
                    revoked: None
                }
            )
            .is_err()
        );
        set.add(k.vkey(), KeyPeriod::ALWAYS).unwrap();
        assert!(set.add(k.vkey(), KeyPeriod::ALWAYS).is_err());
        assert_eq!(set.valid_at(0), vec![k.vkey()]);
        assert!(!set.is_empty());
    }
}
