//! The C2SP tlog-witness protocol, `add-checkpoint`: the request a log sends a witness, every
//! answer the witness gives, the checks in between, and the witness policy (k of n) that says
//! when a checkpoint is final.
//!
//! The checks here are pure: they take the witness's latest cosigned size and root for the
//! origin and say whether to cosign. A witness must check and store the new size atomically;
//! the storage that does so is the caller's (`accord_log::WitnessStore`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use signed_note::{Note, StandardVerifier, Verifier, VerifierList};

use crate::Hash;
use crate::checkpoint::{SignedCheckpoint, parse_vkey};
use crate::cosign::{CosignatureVerifier, CosignerKey};
use crate::error::{LogError, Result};
use crate::proof::{ConsistencyProof, parse_hash, verify_consistency};

/// The most consistency proof lines a request may carry.
pub const MAX_PROOF_LINES: usize = 63;

/// The content type of a 409 answer's body, the witness's latest size.
pub const SIZE_CONTENT_TYPE: &str = "text/x.tlog.size";

/// The body of `POST <prefix>/add-checkpoint`.
#[derive(Debug, Clone, PartialEq)]
pub struct AddCheckpoint {
    /// The size of the previous checkpoint the log believes the witness cosigned.
    pub old_size: u64,
    /// A consistency proof from `old_size` to the checkpoint's size.
    pub proof: Vec<Hash>,
    /// The checkpoint note, with the log's signature(s).
    pub checkpoint: Vec<u8>,
}

/// Why a witness does not cosign, as the HTTP answer the protocol prescribes.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WitnessRefusal {
    /// 400: the request is malformed, or its old size exceeds the checkpoint's size.
    #[error("400 bad request: {0}")]
    BadRequest(String),
    /// 403: no signature on the checkpoint verifies with a key trusted for its origin.
    #[error("403 forbidden: {0}")]
    Forbidden(String),
    /// 404: the checkpoint's origin is not a log this witness follows.
    #[error("404 unknown log {0:?}")]
    UnknownOrigin(String),
    /// 409: the old size is not the size the witness last cosigned (given), or a checkpoint of
    /// that size has another root.
    #[error("409 conflict: the witness last cosigned size {latest_size}{}", if *.same_size_fork { " with another root" } else { "" })]
    Conflict {
        /// The size of the latest checkpoint the witness cosigned for the origin.
        latest_size: u64,
        /// Whether the conflict is another root at the same size (a fork).
        same_size_fork: bool,
    },
    /// 422: the consistency proof does not verify.
    #[error("422 unprocessable: {0}")]
    Unprocessable(String),
    /// 500: the witness could not read or store its state.
    #[error("500 witness storage: {0}")]
    Storage(String),
}

impl WitnessRefusal {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        match self {
            WitnessRefusal::BadRequest(_) => 400,
            WitnessRefusal::Forbidden(_) => 403,
            WitnessRefusal::UnknownOrigin(_) => 404,
            WitnessRefusal::Conflict { .. } => 409,
            WitnessRefusal::Unprocessable(_) => 422,
            WitnessRefusal::Storage(_) => 500,
        }
    }

    /// The answer's content type and body: for 409 the latest size and a newline, as
    /// `text/x.tlog.size`; otherwise the reason as plain text.
    pub fn body(&self) -> (&'static str, Vec<u8>) {
        match self {
            WitnessRefusal::Conflict { latest_size, .. } => {
                (SIZE_CONTENT_TYPE, format!("{latest_size}\n").into_bytes())
            }
            other => (
                "text/plain; charset=utf-8",
                format!("{other}\n").into_bytes(),
            ),
        }
    }
}

impl AddCheckpoint {
    /// Parses a request body; anything malformed is a [`WitnessRefusal::BadRequest`].
    pub fn parse(body: &[u8]) -> std::result::Result<Self, WitnessRefusal> {
        let bad = |why: String| WitnessRefusal::BadRequest(why);
        let mut rest = body;
        let mut lines = 0usize;
        let mut next = || -> std::result::Result<&[u8], WitnessRefusal> {
            lines += 1;
            let end = rest
                .iter()
                .position(|&b| b == b'\n')
                .ok_or_else(|| bad(format!("line {lines} does not end in a newline")))?;
            let line = &rest[..end];
            rest = &rest[end + 1..];
            Ok(line)
        };
        let first = next()?;
        let digits = first
            .strip_prefix(b"old ")
            .ok_or_else(|| bad("the first line must be `old <size>`".into()))?;
        let old_size = decimal(digits).ok_or_else(|| {
            bad("the old size must be a decimal number with no leading zero".into())
        })?;
        let mut proof = Vec::new();
        loop {
            let line = next()?;
            if line.is_empty() {
                break;
            }
            if proof.len() == MAX_PROOF_LINES {
                return Err(bad(format!(
                    "more than {MAX_PROOF_LINES} consistency proof lines"
                )));
            }
            let text = std::str::from_utf8(line)
                .map_err(|_| bad(format!("proof line {} is not UTF-8", proof.len() + 1)))?;
            proof.push(parse_hash(text).map_err(|e| bad(e.to_string()))?);
        }
        Ok(AddCheckpoint {
            old_size,
            proof,
            checkpoint: rest.to_vec(),
        })
    }

    /// The request body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("old {}\n", self.old_size);
        for h in &self.proof {
            out.push_str(&format!("{h}\n"));
        }
        out.push('\n');
        let mut out = out.into_bytes();
        out.extend_from_slice(&self.checkpoint);
        out
    }
}

/// An ASCII decimal with no leading zero (except `0` itself).
fn decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty()
        || !digits.iter().all(u8::is_ascii_digit)
        || (digits.len() > 1 && digits[0] == b'0')
    {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// The logs a witness follows: for each origin, the verifier keys trusted to sign its
/// checkpoints (several during a key rotation).
#[derive(Debug, Clone, Default)]
pub struct TrustedLogs {
    logs: BTreeMap<String, Vec<String>>,
}

impl TrustedLogs {
    /// No logs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts `vkey` (a signed-note Ed25519 verifier key) for checkpoints of `origin`.
    pub fn add(&mut self, origin: &str, vkey: &str) -> Result<()> {
        parse_vkey(vkey)?;
        self.logs
            .entry(origin.to_owned())
            .or_default()
            .push(vkey.trim().to_owned());
        Ok(())
    }

    /// The verifier keys trusted for `origin`.
    pub fn keys(&self, origin: &str) -> Option<&[String]> {
        self.logs.get(origin).map(Vec::as_slice)
    }
}

/// What a witness last cosigned for one origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Witnessed {
    /// The tree size.
    pub size: u64,
    /// The root hash.
    pub root: Hash,
}

/// Checks a request against the logs the witness trusts and what it last cosigned for the
/// checkpoint's origin (`latest`, `None` if never), in the order the protocol gives; returns
/// the checkpoint to cosign. The two halves, [`verify_add_checkpoint`] and
/// [`check_against_latest`], can run apart (signatures before, state inside a transaction).
pub fn check_add_checkpoint(
    req: &AddCheckpoint,
    logs: &TrustedLogs,
    latest: impl FnOnce(&str) -> std::result::Result<Option<Witnessed>, WitnessRefusal>,
) -> std::result::Result<SignedCheckpoint, WitnessRefusal> {
    let cp = verify_add_checkpoint(req, logs)?;
    check_against_latest(req, &cp, latest(cp.origin())?)?;
    Ok(cp)
}

/// The checks of a request that need no state: the checkpoint is a signed note of a log the
/// witness follows (else 400 or 404), signed by a key trusted for its origin (else 403), and
/// the old size does not exceed its size (else 400). Returns the checkpoint.
pub fn verify_add_checkpoint(
    req: &AddCheckpoint,
    logs: &TrustedLogs,
) -> std::result::Result<SignedCheckpoint, WitnessRefusal> {
    let cp = SignedCheckpoint::parse(&req.checkpoint)
        .map_err(|e| WitnessRefusal::BadRequest(e.to_string()))?;
    let keys = logs
        .keys(cp.origin())
        .ok_or_else(|| WitnessRefusal::UnknownOrigin(cp.origin().to_owned()))?;
    let verifiers: Vec<Box<dyn Verifier>> = keys
        .iter()
        .filter_map(|k| StandardVerifier::new(k).ok())
        .map(|v| Box::new(v) as Box<dyn Verifier>)
        .collect();
    let note = Note::from_bytes(&req.checkpoint)
        .map_err(|e| WitnessRefusal::BadRequest(format!("not a signed note: {e}")))?;
    note.verify(&VerifierList::new(verifiers)).map_err(|e| {
        WitnessRefusal::Forbidden(format!(
            "no valid signature by a key trusted for {}: {e}",
            cp.origin()
        ))
    })?;
    if req.old_size > cp.size() {
        return Err(WitnessRefusal::BadRequest(format!(
            "old size {} exceeds the checkpoint's size {}",
            req.old_size,
            cp.size()
        )));
    }
    Ok(cp)
}

/// The checks of a request against what the witness last cosigned for its origin (`latest`,
/// `None` if never), for a checkpoint [`verify_add_checkpoint`] accepted: the old size must be
/// the size last cosigned (else 409 with it), a checkpoint of that size must have its root
/// (else 409), and the consistency proof must verify (else 422).
pub fn check_against_latest(
    req: &AddCheckpoint,
    cp: &SignedCheckpoint,
    latest: Option<Witnessed>,
) -> std::result::Result<(), WitnessRefusal> {
    let latest_size = latest.map_or(0, |w| w.size);
    if req.old_size != latest_size {
        return Err(WitnessRefusal::Conflict {
            latest_size,
            same_size_fork: false,
        });
    }
    if let Some(w) = latest
        && w.size == cp.size()
    {
        if w.root != cp.root() {
            return Err(WitnessRefusal::Conflict {
                latest_size,
                same_size_fork: true,
            });
        }
        if !req.proof.is_empty() {
            return Err(WitnessRefusal::Unprocessable(
                "a proof between equal sizes must be empty".into(),
            ));
        }
        return Ok(());
    }
    if req.old_size == 0 {
        if !req.proof.is_empty() {
            return Err(WitnessRefusal::Unprocessable(
                "the proof from size 0 must be empty".into(),
            ));
        }
        return Ok(());
    }
    let old_root = latest.map(|w| w.root).unwrap_or_default();
    let proof = ConsistencyProof {
        old_size: req.old_size,
        new_size: cp.size(),
        hashes: req.proof.clone(),
    };
    verify_consistency(&proof, &old_root, &cp.root())
        .map_err(|e| WitnessRefusal::Unprocessable(e.to_string()))
}

/// The witness's answer to a request it accepts: its cosignature line on `cp`, made at
/// `timestamp` (seconds since the Unix epoch).
pub fn cosignature_answer(key: &CosignerKey, cp: &SignedCheckpoint, timestamp: u64) -> Vec<u8> {
    key.cosignature_line(cp.body(), timestamp)
}

/// Adds the cosignature lines of a witness's 200 answer to `note`, keeping only the valid
/// ones by `witness_vkey`; fails if there is none.
pub fn add_cosignatures(note: &[u8], answer: &[u8], witness_vkey: &str) -> Result<Vec<u8>> {
    let v = CosignatureVerifier::new(witness_vkey)?;
    let mut joined = note.to_vec();
    joined.extend_from_slice(answer);
    let parsed = Note::from_bytes(&joined)
        .map_err(|e| LogError::Cosignature(format!("the witness's answer is malformed: {e}")))?;
    let name = v.name().to_owned();
    let (ok, _) = parsed
        .verify(&VerifierList::new(vec![Box::new(v)]))
        .map_err(|e| LogError::Cosignature(format!("no valid cosignature by {name}: {e}")))?;
    let mut out = note.to_vec();
    for sig in &ok {
        out.extend_from_slice(&sig.to_bytes());
    }
    crate::checkpoint::signature_lines(&out)?;
    Ok(out)
}

/// One witness in a policy: its name and the cosigner verifier key(s) the policy accepts from
/// it, each Ed25519 or ML-DSA-44 (the key's type byte says which).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyWitness {
    /// The witness's name (its key name).
    pub name: String,
    /// Its cosigner verifier key (`<name>+<key id>+<base64>`).
    pub vkey: String,
    /// Further keys of the same witness whose cosignatures count too (its ML-DSA-44 key beside
    /// its Ed25519 one, say); a witness counts once however many of its keys cosigned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_vkeys: Vec<String>,
}

impl PolicyWitness {
    /// A witness `name` with the one key `vkey`.
    pub fn new(name: &str, vkey: &str) -> Self {
        PolicyWitness {
            name: name.to_owned(),
            vkey: vkey.trim().to_owned(),
            more_vkeys: Vec::new(),
        }
    }

    /// The same witness with one more accepted key.
    pub fn with_key(mut self, vkey: &str) -> Self {
        self.more_vkeys.push(vkey.trim().to_owned());
        self
    }

    /// Every key the policy accepts from this witness.
    pub fn vkeys(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.vkey.as_str()).chain(self.more_vkeys.iter().map(String::as_str))
    }

    /// The verifiers of every key, each checked to carry the witness's name.
    fn verifiers(&self) -> Result<Vec<Box<dyn Verifier>>> {
        self.vkeys()
            .map(|k| {
                let v = CosignatureVerifier::new(k)?;
                if v.name() != self.name {
                    return Err(LogError::Key(format!(
                        "witness policy: {} has a key named {}",
                        self.name,
                        v.name()
                    )));
                }
                Ok(Box::new(v) as Box<dyn Verifier>)
            })
            .collect()
    }
}

/// A witness policy: a checkpoint is final once at least `threshold` of `witnesses` have
/// validly cosigned it (k of n).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessPolicy {
    /// How many distinct witnesses must cosign (k).
    pub threshold: usize,
    /// The witnesses (n).
    pub witnesses: Vec<PolicyWitness>,
}

/// How far a checkpoint is in meeting a witness policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyOutcome {
    /// The witnesses whose valid cosignature the note carries, in policy order.
    pub cosigned_by: Vec<String>,
    /// How many are needed.
    pub threshold: usize,
}

impl PolicyOutcome {
    /// Whether the checkpoint is final under the policy.
    pub fn is_final(&self) -> bool {
        self.cosigned_by.len() >= self.threshold
    }
}

impl WitnessPolicy {
    /// A policy of `threshold` out of `witnesses`, checked for sense: a threshold from 1 to the
    /// number of witnesses, valid keys, no witness twice.
    pub fn new(threshold: usize, witnesses: Vec<PolicyWitness>) -> Result<Self> {
        let policy = WitnessPolicy {
            threshold,
            witnesses,
        };
        policy.validate()?;
        Ok(policy)
    }

    /// Checks the policy for sense (see [`WitnessPolicy::new`]).
    pub fn validate(&self) -> Result<()> {
        if self.threshold == 0 || self.threshold > self.witnesses.len() {
            return Err(LogError::Key(format!(
                "witness policy: a threshold of {} out of {} witnesses",
                self.threshold,
                self.witnesses.len()
            )));
        }
        let mut names = std::collections::BTreeSet::new();
        for w in &self.witnesses {
            w.verifiers()?;
            if !names.insert(&w.name) {
                return Err(LogError::Key(format!(
                    "witness policy: {} is listed twice",
                    w.name
                )));
            }
        }
        Ok(())
    }

    /// Which of the policy's witnesses validly cosigned `note` (a bad cosignature by one of
    /// them is an error: the note is not to be trusted).
    pub fn evaluate(&self, note: &[u8]) -> Result<PolicyOutcome> {
        let parsed = Note::from_bytes(note).map_err(|e| LogError::Checkpoint(format!("{e}")))?;
        let mut cosigned_by = Vec::new();
        for w in &self.witnesses {
            match parsed.verify(&VerifierList::new(w.verifiers()?)) {
                Ok(_) => cosigned_by.push(w.name.clone()),
                Err(signed_note::NoteError::UnverifiedNote) => {}
                Err(e) => {
                    return Err(LogError::Cosignature(format!(
                        "{}'s cosignature does not verify: {e}",
                        w.name
                    )));
                }
            }
        }
        Ok(PolicyOutcome {
            cosigned_by,
            threshold: self.threshold,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LogKey, MerkleTree};

    const ORIGIN: &str = "accord.example/US";

    struct Setup {
        key: LogKey,
        tree: MerkleTree,
        logs: TrustedLogs,
        witness: CosignerKey,
    }

    fn setup() -> Setup {
        let key =
            LogKey::from_signing_key(ORIGIN, &ed25519_dalek::SigningKey::from_bytes(&[1; 32]))
                .unwrap();
        let mut tree = MerkleTree::new();
        tree.extend(&(0..40u8).map(|i| vec![i; 9]).collect::<Vec<_>>());
        let mut logs = TrustedLogs::new();
        logs.add(ORIGIN, key.vkey()).unwrap();
        let witness = CosignerKey::new(
            "witness.example/RU",
            ed25519_dalek::SigningKey::from_bytes(&[2; 32]),
        )
        .unwrap();
        Setup {
            key,
            tree,
            logs,
            witness,
        }
    }

    impl Setup {
        fn request(&self, old: u64, size: u64) -> AddCheckpoint {
            let cp = self
                .key
                .sign(ORIGIN, size, self.tree.root_at(size).unwrap())
                .unwrap();
            AddCheckpoint {
                old_size: old,
                proof: self.tree.prove_consistency(old, size).unwrap().hashes,
                checkpoint: cp.note().to_vec(),
            }
        }

        fn latest(&self, size: u64) -> Option<Witnessed> {
            Some(Witnessed {
                size,
                root: self.tree.root_at(size).unwrap(),
            })
        }

        fn check(
            &self,
            req: &AddCheckpoint,
            latest: Option<Witnessed>,
        ) -> std::result::Result<SignedCheckpoint, WitnessRefusal> {
            check_add_checkpoint(req, &self.logs, |_| Ok(latest))
        }
    }

    #[test]
    fn requests_round_trip_and_malformed_ones_are_400() {
        let s = setup();
        let req = s.request(10, 30);
        let body = req.to_bytes();
        assert!(body.starts_with(b"old 10\n"));
        assert_eq!(AddCheckpoint::parse(&body).unwrap(), req);
        let text = String::from_utf8(body).unwrap();
        for bad in [
            text.replacen("old 10", "old 010", 1),
            text.replacen("old 10", "old10", 1),
            text.replacen("old 10\n", "old 10", 1),
            format!("old 10\n{}", "AAAA\n"),
            format!(
                "old 10\n{}\n{}",
                format!("{}\n", Hash::default()).repeat(64),
                ""
            ),
        ] {
            let e = AddCheckpoint::parse(bad.as_bytes()).unwrap_err();
            assert_eq!(e.status(), 400, "{bad:?}: {e}");
        }
    }

    #[test]
    fn every_answer_of_the_protocol() {
        let s = setup();
        // 200: first sight (old 0, empty proof), growth with a valid proof, the same again.
        assert_eq!(s.check(&s.request(0, 10), None).unwrap().size(), 10);
        assert_eq!(
            s.check(&s.request(10, 30), s.latest(10)).unwrap().size(),
            30
        );
        assert_eq!(
            s.check(&s.request(30, 30), s.latest(30)).unwrap().size(),
            30
        );

        // 404: an origin the witness does not follow.
        let other = LogKey::generate("accord.example/XX").unwrap();
        let cp = other
            .sign("accord.example/XX", 3, s.tree.root_at(3).unwrap())
            .unwrap();
        let req = AddCheckpoint {
            old_size: 0,
            proof: vec![],
            checkpoint: cp.note().to_vec(),
        };
        assert_eq!(s.check(&req, None).unwrap_err().status(), 404);

        // 403: the right origin signed by another key.
        let impostor = LogKey::generate(ORIGIN).unwrap();
        let cp = impostor
            .sign(ORIGIN, 3, s.tree.root_at(3).unwrap())
            .unwrap();
        let req = AddCheckpoint {
            checkpoint: cp.note().to_vec(),
            ..req
        };
        assert_eq!(s.check(&req, None).unwrap_err().status(), 403);

        // 400: old size above the checkpoint's.
        let mut req = s.request(10, 20);
        req.old_size = 25;
        assert_eq!(s.check(&req, s.latest(25)).unwrap_err().status(), 400);

        // 409 with the latest size, as text/x.tlog.size.
        let e = s.check(&s.request(10, 30), s.latest(20)).unwrap_err();
        assert_eq!(e.status(), 409);
        assert_eq!(e.body(), (SIZE_CONTENT_TYPE, b"20\n".to_vec()));
        let e = s.check(&s.request(0, 30), None).unwrap();
        assert_eq!(e.size(), 30);
        let e = s.check(&s.request(0, 30), s.latest(5)).unwrap_err();
        assert_eq!(e.body().1, b"5\n");
        // 409: the same size with another root (a fork).
        let forked = s.key.sign(ORIGIN, 30, s.tree.root_at(29).unwrap()).unwrap();
        let req = AddCheckpoint {
            old_size: 30,
            proof: vec![],
            checkpoint: forked.note().to_vec(),
        };
        let e = s.check(&req, s.latest(30)).unwrap_err();
        assert_eq!(
            e,
            WitnessRefusal::Conflict {
                latest_size: 30,
                same_size_fork: true
            }
        );

        // 422: a proof that does not verify, or a non-empty proof from 0.
        let mut req = s.request(10, 30);
        req.proof[0] = Hash([7; 32]);
        assert_eq!(s.check(&req, s.latest(10)).unwrap_err().status(), 422);
        let mut req = s.request(0, 30);
        req.proof = s.tree.prove_consistency(10, 30).unwrap().hashes;
        assert_eq!(s.check(&req, None).unwrap_err().status(), 422);
        // A growing checkpoint whose root is not the extension of the one cosigned.
        let forked = s.key.sign(ORIGIN, 31, s.tree.root_at(29).unwrap()).unwrap();
        let req = AddCheckpoint {
            old_size: 30,
            proof: s
                .tree
                .prove_consistency(30, 31)
                .unwrap_or_else(|_| s.tree.prove_consistency(29, 30).unwrap())
                .hashes,
            checkpoint: forked.note().to_vec(),
        };
        assert_eq!(s.check(&req, s.latest(30)).unwrap_err().status(), 422);
    }

    #[test]
    fn answers_are_cosignature_lines_the_log_can_add() {
        let s = setup();
        let req = s.request(0, 12);
        let cp = s.check(&req, None).unwrap();
        let answer = cosignature_answer(&s.witness, &cp, 1_750_000_000);
        assert!(answer.starts_with("— witness.example/RU ".as_bytes()));
        assert!(answer.ends_with(b"\n"));
        let cosigned = add_cosignatures(cp.note(), &answer, &s.witness.vkey()).unwrap();
        let (_, cosigs) =
            crate::verify_cosigned(&cosigned, s.key.vkey(), &[&s.witness.vkey()]).unwrap();
        assert_eq!(cosigs[0].timestamp, 1_750_000_000);
        // An answer by another key adds nothing and is refused.
        let other = CosignerKey::generate("witness.example/RU").unwrap();
        let forged = cosignature_answer(&other, &cp, 1);
        assert!(add_cosignatures(cp.note(), &forged, &s.witness.vkey()).is_err());
    }

    #[test]
    fn a_policy_is_met_by_k_distinct_witnesses() {
        let s = setup();
        let ws: Vec<CosignerKey> = (0..3u8)
            .map(|i| {
                CosignerKey::new(
                    &format!("w{i}.example"),
                    ed25519_dalek::SigningKey::from_bytes(&[10 + i; 32]),
                )
                .unwrap()
            })
            .collect();
        let members: Vec<PolicyWitness> = ws
            .iter()
            .map(|w| PolicyWitness::new(w.name(), &w.vkey()))
            .collect();
        let policy = WitnessPolicy::new(2, members.clone()).unwrap();
        assert!(WitnessPolicy::new(0, members.clone()).is_err());
        assert!(WitnessPolicy::new(4, members.clone()).is_err());
        let mut twice = members.clone();
        twice.push(members[0].clone());
        assert!(WitnessPolicy::new(2, twice).is_err());

        let cp = s.key.sign(ORIGIN, 40, s.tree.root()).unwrap();
        let one = ws[0].cosign_note(cp.note(), 5).unwrap();
        let o = policy.evaluate(&one).unwrap();
        assert_eq!(
            (o.cosigned_by.clone(), o.is_final()),
            (vec!["w0.example".to_owned()], false)
        );
        let two = ws[2].cosign_note(&one, 6).unwrap();
        let o = policy.evaluate(&two).unwrap();
        assert_eq!(o.cosigned_by, vec!["w0.example", "w2.example"]);
        assert!(o.is_final());
        // A cosignature by an outsider does not count.
        let outsider = CosignerKey::generate("w9.example").unwrap();
        let o = policy
            .evaluate(&outsider.cosign_note(&one, 7).unwrap())
            .unwrap();
        assert!(!o.is_final());
    }
}
