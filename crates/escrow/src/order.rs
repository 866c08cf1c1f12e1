//! The order of a selection round, established from the records and their receipts.
//!
//! Two parties' logs share no clock, so order comes from cosignatures: a record that embeds a
//! checkpoint of another log, cosigned by its author, was made after that checkpoint. A round
//! counts only in this order:
//!
//! 1. the declaration drawn from (a `declaration_commitment` record) is in its author's log;
//! 2. each seed commit names that declaration and its root, and carries the declaration's
//!    receipt: a checkpoint of the declarant's log holding it, cosigned by every other party of
//!    the round. A seed is therefore committed after the declaration was fixed, so no party can
//!    choose its declaration knowing where the draw will look;
//! 3. each seed reveal carries, for every other party, that party's seed commit in a checkpoint
//!    of its log cosigned by the revealer. The revealer had therefore seen every other commit
//!    before revealing, so no party can commit its seed knowing another's.
//!
//! [`check_seed_commit`] and [`check_seed_reveal`] check one record as it arrives;
//! [`run_round`] checks a whole round and draws the sites. A seed not revealed by the deadline
//! of the agreement becomes a finding against its party, and the draw goes on as the agreement
//! says ([`MissingReveal`]).

use std::collections::{BTreeMap, BTreeSet};

use accord_log_core::{
    CosignerKey, InclusionProof, Receipt, SignedLog, parse_hash, verify_receipt,
};
use accord_model::{
    AgreementId, Arg, Basis, Evidence, Finding, Instant, LogReceipt, Message, PartyId, ProvisionId,
    ReceiptProof, Record, RecordBody, RecordId, SeedCommit, SeedReveal, Severity,
    envelope::Envelope,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use crate::counts::CountCommitments;
use crate::selection::{
    Contribution, DrawSource, Selection, SelectionError, check_commit, check_contribution,
    free_choice, select, select_without,
};

/// Why a record does not count in a round.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    /// A record is not the kind expected, or its log entry does not carry it.
    #[error("record {record}: {reason}")]
    Record {
        /// The record at fault.
        record: RecordId,
        /// What is wrong.
        reason: String,
    },
    /// A receipt does not show what the order requires.
    #[error("record {record}: {what}: {reason}")]
    Receipt {
        /// The record whose receipt fails.
        record: RecordId,
        /// Which receipt.
        what: String,
        /// Why it fails.
        reason: String,
    },
    /// No log or cosigner key is known for a party.
    #[error("no {what} key is known for party {party}")]
    UnknownParty {
        /// The party.
        party: PartyId,
        /// `log` or `cosigner`.
        what: &'static str,
    },
    /// The seeds themselves are refused (digest, round, declaration, contributors, quota).
    #[error(transparent)]
    Selection(#[from] SelectionError),
    /// A committed seed is not revealed yet and its deadline has not passed.
    #[error("party {party} has not revealed its seed of round {round} yet{}", due.map(|d| format!(" (due by {d})")).unwrap_or_default())]
    Pending {
        /// The party that still has to reveal.
        party: PartyId,
        /// The round.
        round: String,
        /// The deadline, when the agreement sets one.
        due: Option<Instant>,
    },
}

/// A record as its author's log holds it: the entry's exact bytes and the record they carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// The record.
    pub record: Record,
    /// The log entry: the record's JSON, or a DSSE envelope whose payload is that JSON.
    pub entry: Vec<u8>,
}

impl Logged {
    /// Reads a log entry: a record's JSON, or a DSSE envelope of one (whose signature the log's
    /// intake checked; here only the log and its cosigners vouch for the bytes).
    pub fn from_entry(entry: Vec<u8>) -> Result<Logged, String> {
        if let Ok(record) = serde_json::from_slice::<Record>(&entry) {
            return Ok(Logged { record, entry });
        }
        let envelope = Envelope::from_json(&entry)
            .map_err(|e| format!("neither a record nor an envelope of one: {e}"))?;
        let payload = B64
            .decode(&envelope.payload)
            .map_err(|e| format!("envelope payload is not base64: {e}"))?;
        let record = serde_json::from_slice::<Record>(&payload)
            .map_err(|e| format!("envelope payload is not a record: {e}"))?;
        Ok(Logged { record, entry })
    }
}

/// A party's keys that make receipts: its log's signed-note verifier key and the verifier key
/// of its cosignatures on other parties' checkpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyKeys {
    /// The verifier key of the party's log.
    pub log: String,
    /// The verifier key the party cosigns other logs' checkpoints with.
    pub cosigner: String,
}

/// The keys of every party that can take part in a round.
pub type Trust = BTreeMap<PartyId, PartyKeys>;

fn keys<'a>(
    trust: &'a Trust,
    party: &PartyId,
    what: &'static str,
) -> Result<&'a PartyKeys, OrderError> {
    trust.get(party).ok_or_else(|| OrderError::UnknownParty {
        party: party.clone(),
        what,
    })
}

/// Checks that `receipt` shows `entry` in a checkpoint of `log_party`'s log cosigned by every
/// one of `cosigners`.
fn check_receipt(
    record: &RecordId,
    what: &str,
    receipt: &LogReceipt,
    entry: &[u8],
    log_party: &PartyId,
    cosigners: &[&PartyId],
    trust: &Trust,
) -> Result<(), OrderError> {
    let fail = |reason: String| OrderError::Receipt {
        record: record.clone(),
        what: what.to_owned(),
        reason,
    };
    let hashes = receipt
        .proof
        .hashes
        .iter()
        .map(|h| parse_hash(h))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(e.to_string()))?;
    let r = Receipt {
        checkpoint: receipt.checkpoint.clone(),
        proof: InclusionProof {
            index: receipt.proof.index,
            size: receipt.proof.size,
            hashes,
        },
    };
    let log_key = &keys(trust, log_party, "log")?.log;
    // A party's log of an agreement or channel (origin `<its log origin>/<scope>`) is signed
    // with the same key under its own origin.
    let log_name = log_key.split('+').next().unwrap_or_default();
    let origin = receipt.checkpoint.lines().next().unwrap_or_default();
    let scoped = origin
        .strip_prefix(log_name)
        .is_some_and(|rest| rest.starts_with('/'))
        .then(|| accord_log_core::ed25519_vkey_named(log_key, origin).ok())
        .flatten();
    let log_key = scoped.as_ref().unwrap_or(log_key);
    let cosigner_keys = cosigners
        .iter()
        .map(|p| keys(trust, p, "cosigner").map(|k| k.cosigner.as_str()))
        .collect::<Result<Vec<_>, _>>()?;
    verify_receipt(entry, &r, log_key, &cosigner_keys).map_err(|e| {
        fail(format!(
            "not a checkpoint of {log_party}'s log holding the record and cosigned by {}: {e}",
            cosigners
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    Ok(())
}

/// The receipt of entry `index` of `log`: its latest checkpoint with the cosignature of each
/// of `cosigners` (made at `timestamp`, seconds since the Unix epoch) and the inclusion proof.
pub fn receipt_of(
    log: &impl SignedLog,
    index: u64,
    cosigners: &[&CosignerKey],
    timestamp: u64,
) -> Result<LogReceipt, accord_log_core::LogError> {
    let cp = log.checkpoint();
    let mut note = cp.note().to_vec();
    for c in cosigners {
        note = c.cosign_note(&note, timestamp)?;
    }
    let proof = log.prove_inclusion(index, cp.size())?;
    Ok(LogReceipt {
        checkpoint: String::from_utf8_lossy(&note).into_owned(),
        proof: ReceiptProof {
            index: proof.index,
            size: proof.size,
            hashes: proof.hashes.iter().map(|h| B64.encode(h.0)).collect(),
        },
    })
}

/// The declaration a round draws from, read from its record.
pub fn draw_source(declaration: &Record) -> Result<DrawSource, OrderError> {
    let fail = |reason: String| OrderError::Record {
        record: declaration.id.clone(),
        reason,
    };
    let RecordBody::DeclarationCommitment(c) = &declaration.body else {
        return Err(fail(format!(
            "is a {} record, not a declaration_commitment",
            declaration.body.kind()
        )));
    };
    let counts = CountCommitments::decode(&c.counts).map_err(|e| fail(e.to_string()))?;
    let root = crate::escrow_root(&c.root).map_err(|e| fail(e.to_string()))?;
    Ok(DrawSource {
        commitment: declaration.id.clone(),
        root,
        sites: counts.sites,
    })
}

fn seed_commit(logged: &Logged) -> Result<&SeedCommit, OrderError> {
    match &logged.record.body {
        RecordBody::SeedCommit(c) => Ok(c),
        other => Err(OrderError::Record {
            record: logged.record.id.clone(),
            reason: format!("is a {} record, not a seed_commit", other.kind()),
        }),
    }
}

fn seed_reveal(logged: &Logged) -> Result<&SeedReveal, OrderError> {
    match &logged.record.body {
        RecordBody::SeedReveal(r) => Ok(r),
        other => Err(OrderError::Record {
            record: logged.record.id.clone(),
            reason: format!("is a {} record, not a seed_reveal", other.kind()),
        }),
    }
}

/// Checks a seed commit as it arrives: it draws from `declaration` in its round, and carries
/// the declaration's receipt cosigned by every party of `parties` other than the declarant.
pub fn check_seed_commit(
    commit: &Logged,
    declaration: &Logged,
    parties: &[PartyId],
    trust: &Trust,
) -> Result<(), OrderError> {
    let c = seed_commit(commit)?;
    let source = draw_source(&declaration.record)?;
    check_commit(&c.round, &commit.record.party, &source, c)?;
    let declarant = &declaration.record.party;
    let cosigners: Vec<&PartyId> = parties.iter().filter(|p| *p != declarant).collect();
    if cosigners.is_empty() {
        return Err(OrderError::Record {
            record: commit.record.id.clone(),
            reason: "the round has no party besides the declarant to cosign the declaration".into(),
        });
    }
    check_receipt(
        &commit.record.id,
        "declaration receipt",
        &c.declaration,
        &declaration.entry,
        declarant,
        &cosigners,
        trust,
    )
}

/// Checks a seed reveal as it arrives: it reveals `own_commit` (same party and round), the
/// seed opens it, and for every one of `others` (the other parties' seed commits of the round)
/// it carries that commit's receipt cosigned by the revealer. Returns the seed.
pub fn check_seed_reveal(
    reveal: &Logged,
    own_commit: &Logged,
    others: &[&Logged],
    source: &DrawSource,
    trust: &Trust,
) -> Result<[u8; 32], OrderError> {
    let r = seed_reveal(reveal)?;
    let c = seed_commit(own_commit)?;
    let revealer = &reveal.record.party;
    let fail = |reason: String| OrderError::Record {
        record: reveal.record.id.clone(),
        reason,
    };
    if own_commit.record.party != *revealer || r.commit != own_commit.record.id {
        return Err(fail(format!(
            "reveals {}, not {revealer}'s commit {}",
            r.commit, own_commit.record.id
        )));
    }
    let seed = check_contribution(
        &c.round,
        source,
        &Contribution {
            party: revealer.clone(),
            commit: c.clone(),
            reveal: r.clone(),
        },
    )?;
    for other in others {
        let seen = r
            .seen
            .iter()
            .find(|s| s.commit == other.record.id)
            .ok_or_else(|| {
                fail(format!(
                    "shows no receipt of {}'s seed commit {}: {revealer} cannot show it had \
                     seen that commit before revealing",
                    other.record.party, other.record.id
                ))
            })?;
        check_receipt(
            &reveal.record.id,
            &format!("receipt of {}", other.record.id),
            &seen.receipt,
            &other.entry,
            &other.record.party,
            &[revealer],
            trust,
        )?;
    }
    Ok(seed)
}

/// What happens when a committed seed is not revealed by its deadline, as the agreement says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingReveal {
    /// The seeds that were revealed decide the draw alone.
    HonestSeeds,
    /// The inspecting party chooses the sites.
    FreeChoice,
}

/// The agreement's rule for seed reveals: the time allowed after the last seed commit, and
/// what happens to a seed not revealed by then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevealRule {
    /// How long after the last seed commit (its `issued_at`) every seed must be revealed.
    pub within: jiff::SignedDuration,
    /// What happens when one is not.
    pub missing: MissingReveal,
}

/// One selection round: the records and what the agreement says.
#[derive(Debug, Clone)]
pub struct Round<'a> {
    /// The round's name.
    pub round: &'a str,
    /// The agreement and the (quota) provision the round is held under, for findings.
    pub agreement: AgreementId,
    /// The provision findings are filed under.
    pub provision: ProvisionId,
    /// The declaration drawn from.
    pub declaration: &'a Logged,
    /// Every seed commit of the round.
    pub commits: &'a [Logged],
    /// Every seed reveal of the round.
    pub reveals: &'a [Logged],
    /// How many sites to draw.
    pub quota: usize,
    /// The reveal deadline and what follows a missed one, when the agreement sets them.
    pub rule: Option<RevealRule>,
    /// The instant the round is judged at.
    pub at: Instant,
}

/// The result of a round.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundOutcome {
    /// The draw, unless the agreement leaves the choice to the inspecting party.
    pub selection: Option<Selection>,
    /// Parties whose seed was not revealed by the deadline.
    pub withheld: Vec<PartyId>,
    /// One violation per withheld seed.
    pub findings: Vec<Finding>,
    /// The declaration drawn from.
    pub source: DrawSource,
}

/// Checks a whole round in order and draws the sites (see the module documentation).
///
/// Refused (an error): a record of the wrong kind, round or declaration; a party committing or
/// revealing twice; two equal digests; a commit without the declaration's cosigned receipt; a
/// reveal that does not open its commit or lacks a cosigned receipt of every other commit; a
/// reveal without a commit; a reveal missing before its deadline. A reveal missing after its
/// deadline (or made after it) is a finding against its party, and the draw follows `rule`.
pub fn run_round(round: &Round<'_>, trust: &Trust) -> Result<RoundOutcome, OrderError> {
    let source = draw_source(&round.declaration.record)?;
    // One commit per party, no digest twice.
    let mut commits: BTreeMap<&PartyId, &Logged> = BTreeMap::new();
    let mut digests = BTreeSet::new();
    for c in round.commits {
        let body = seed_commit(c)?;
        check_commit(round.round, &c.record.party, &source, body)?;
        if commits.insert(&c.record.party, c).is_some() {
            return Err(OrderError::Record {
                record: c.record.id.clone(),
                reason: format!(
                    "{} already committed a seed in round {}",
                    c.record.party, round.round
                ),
            });
        }
        if !digests.insert(body.digest.to_ascii_lowercase()) {
            return Err(SelectionError::Contributors(format!(
                "the digest of {} was already published by another party",
                c.record.id
            ))
            .into());
        }
    }
    if commits.len() < 2 {
        return Err(SelectionError::Contributors(format!(
            "only {} party committed a seed",
            commits.len()
        ))
        .into());
    }
    let parties: Vec<PartyId> = commits.keys().map(|p| (*p).clone()).collect();
    for c in commits.values() {
        check_seed_commit(c, round.declaration, &parties, trust)?;
    }
    // One reveal per committed party.
    let mut reveals: BTreeMap<&PartyId, &Logged> = BTreeMap::new();
    for r in round.reveals {
        let body = seed_reveal(r)?;
        let party = &r.record.party;
        let Some(own) = commits.get(party) else {
            return Err(OrderError::Record {
                record: r.record.id.clone(),
                reason: format!("{party} reveals a seed it never committed in this round"),
            });
        };
        if body.round != round.round {
            return Err(SelectionError::WrongRound {
                party: party.clone(),
                what: "seed reveal",
                found: body.round.clone(),
                round: round.round.to_owned(),
            }
            .into());
        }
        if reveals.insert(party, r).is_some() {
            return Err(OrderError::Record {
                record: r.record.id.clone(),
                reason: format!("{party} already revealed a seed in round {}", round.round),
            });
        }
        let others: Vec<&Logged> = commits
            .iter()
            .filter(|(p, _)| *p != &party)
            .map(|(_, c)| *c)
            .collect();
        check_seed_reveal(r, own, &others, &source, trust)?;
    }
    // Deadlines.
    let last_commit = commits
        .values()
        .map(|c| c.record.issued_at)
        .max()
        .unwrap_or(round.at);
    let due = match &round.rule {
        Some(rule) => {
            Some(
                last_commit
                    .checked_add(rule.within)
                    .map_err(|e| OrderError::Record {
                        record: round.declaration.record.id.clone(),
                        reason: format!("reveal deadline out of range: {e}"),
                    })?,
            )
        }
        None => None,
    };
    let mut withheld = Vec::new();
    let mut findings = Vec::new();
    for (party, commit) in &commits {
        let reveal = reveals.get(party);
        let late = match (reveal, due) {
            (Some(r), Some(due)) => r.record.issued_at > due,
            (Some(_), None) => false,
            (None, Some(due)) if round.at > due => true,
            (None, _) => {
                return Err(OrderError::Pending {
                    party: (*party).clone(),
                    round: round.round.to_owned(),
                    due,
                });
            }
        };
        if late {
            let due = due.unwrap_or(round.at);
            withheld.push((*party).clone());
            findings.push(withheld_finding(round, party, commit, reveal.copied(), due));
        }
    }
    let contributions: Vec<Contribution> = reveals
        .iter()
        .filter(|(p, _)| !withheld.contains(p))
        .map(|(p, r)| -> Result<Contribution, OrderError> {
            Ok(Contribution {
                party: (*p).clone(),
                commit: seed_commit(commits[p])?.clone(),
                reveal: seed_reveal(r)?.clone(),
            })
        })
        .collect::<Result<_, _>>()?;
    let selection = if withheld.is_empty() {
        Some(select(round.round, &source, &contributions, round.quota)?)
    } else {
        match round.rule.map(|r| r.missing) {
            Some(MissingReveal::FreeChoice) => None,
            _ => Some(select_without(
                round.round,
                &source,
                &contributions,
                &withheld,
                round.quota,
            )?),
        }
    };
    Ok(RoundOutcome {
        selection,
        withheld,
        findings,
        source,
    })
}

/// A free choice after a withheld seed, checked against the round's declaration and quota.
pub fn choose(
    outcome: &RoundOutcome,
    round: &str,
    chosen: &[u64],
    quota: usize,
) -> Result<Selection, OrderError> {
    if outcome.withheld.is_empty() {
        return Err(SelectionError::Quota(
            "every seed was revealed in time: the draw decides, not a free choice".into(),
        )
        .into());
    }
    Ok(free_choice(
        round,
        &outcome.source,
        chosen,
        quota,
        &outcome.withheld,
    )?)
}

fn withheld_finding(
    round: &Round<'_>,
    party: &PartyId,
    commit: &Logged,
    late: Option<&Logged>,
    due: Instant,
) -> Finding {
    let message = match late {
        Some(r) => Message::new("seed-reveal-late").arg(
            "revealed_at",
            Arg::Id(r.record.issued_at.to_string().into()),
        ),
        None => Message::new("seed-reveal-missing"),
    }
    .arg("party", Arg::Id(party.as_str().into()))
    .arg("round", Arg::Id(round.round.to_string().into()))
    .arg("due", Arg::Id(due.to_string().into()));
    let mut evidence = vec![Evidence::record(commit.record.id.clone())];
    match late {
        Some(r) => evidence.push(Evidence::record(r.record.id.clone())),
        None => evidence.push(Evidence::Absence {
            expected: format!(
                "a seed_reveal by {party} of round {} issued by {due}",
                round.round
            ),
        }),
    }
    evidence.sort();
    Finding {
        agreement: round.agreement.clone(),
        provision: round.provision.clone(),
        party: party.clone(),
        severity: Severity::Violation,
        basis: Basis::Declared,
        summary: accord_messages::english(&message, &[]),
        message,
        notes: Vec::new(),
        figures: Vec::new(),
        evidence,
    }
}

#[cfg(test)]
#[path = "order_tests.rs"]
mod tests;
