//! Escrow and selection records checked as they arrive ([`accord_escrow::arrival::check`]).
//!
//! A record of the node's own party that fails is refused before anything is written. A peer's
//! record that fails is mirrored and cosigned all the same (the peer's log is append-only and
//! must not stall), listed in the exchange answer, kept out of the state, and becomes a
//! finding against its author with the record (log and index) as evidence. Failures are
//! worked out from the logs held alone, so nodes holding the same logs list the same ones.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use accord_agreements::Agreement;
use accord_escrow::arrival::{Checked, Failure, Held, check, inspection_findings};
use accord_escrow::order::{Logged, PartyKeys, Trust};
use accord_escrow::order::{OrderError, RoundOutcome};
use accord_escrow::rounds::{HeldRound, RoundView, held_rounds};
use accord_model::envelope::Envelope;
use accord_model::{
    AgreementId, Finding, LogReceipt, PartyId, ReceiptProof, Record, RecordBody, RecordId,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};

use crate::NodeError;
use crate::node::{LoggedRecord, Node, decode_logged};
use crate::node::{mirror_name, origin};
use crate::store::Store;

/// A record that failed its check on arrival, as the exchange answer lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailedRecord {
    /// The log (author) holding it.
    pub log: PartyId,
    /// Its index in that log.
    pub index: u64,
    /// The record.
    pub record: RecordId,
    /// Its kind, such as `limit_proof`.
    pub kind: String,
    /// The check that failed and why, in words.
    pub failure: String,
}

/// The selection rounds a node holds, as `GET /v1/inspections` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspections {
    /// The instant the rounds were judged at (RFC 3339).
    pub as_of: String,
    /// Every round a seed commit held names, in (round, declaration) order.
    pub rounds: Vec<RoundView>,
}

/// What a record's check came to.
#[derive(Debug, Clone)]
enum Verdict {
    Stands,
    Waiting,
    Failed(String, Failure),
}

/// The checks of the logs held, brought up to date as records are added: a record is checked
/// when it arrives, and again when a record it waits for arrives or when its selection round
/// gains a record (a seed's check depends on the round's other seeds).
#[derive(Debug, Default)]
pub(crate) struct Arrivals {
    cache: Mutex<Cache>,
}

#[derive(Debug, Default)]
struct Cache {
    /// How many of the node's records (in `Node::all_records` order) were taken into account.
    records: usize,
    verdicts: HashMap<(PartyId, u64), Verdict>,
    /// Records waiting, by the ids of the records they refer to.
    waiting: HashMap<RecordId, Vec<(PartyId, u64)>>,
    /// Seed commits and reveals by round.
    rounds: HashMap<String, Vec<(PartyId, u64)>>,
    /// The inspection reports held.
    reports: Vec<(PartyId, u64)>,
    checks: Arc<Checks>,
}

/// The records that failed, by (log, index), with their kind.
pub(crate) type Failed = BTreeMap<(PartyId, u64), (String, Failure)>;

/// What the checks of the logs held came to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Checks {
    /// The records that failed their check on arrival.
    pub(crate) failed: Failed,
    /// Inspection reports held against the revealed declaration their site was drawn from.
    pub(crate) reports: Vec<Finding>,
    /// Every selection round a seed commit held names, with its records.
    pub(crate) rounds: Vec<HeldRound>,
}

/// What the receiver holds, read from its store, with a submission's records not yet logged.
struct HeldLogs<'a> {
    /// Records about to be logged by the node's own party, with their envelopes.
    pending: &'a [(Record, Vec<u8>)],
    own: &'a PartyId,
    store: &'a Store,
    agreements: &'a [crate::judge::AgreementFile],
    trust: Trust,
}

impl<'a> HeldLogs<'a> {
    fn new(node: &'a Node, pending: &'a [(Record, Vec<u8>)], store: &'a Store) -> Holding<Self> {
        Holding(HeldLogs {
            pending,
            own: &node.party,
            store,
            agreements: &node.config.agreements,
            trust: trust_of(node),
        })
    }

    /// Entry `index` of `log`, read back with its record.
    fn at(&self, log: &str, index: u64) -> Option<Logged> {
        let entry = self.store.envelope_at(log, index).ok()??;
        let record = decode_logged(&entry).ok()?;
        Some(Logged { record, entry })
    }
}

/// The logs the checks read, wherever they are held: the node's store, or an export's entries.
trait Entries {
    /// Every logged record of `kind` that `want` picks, in (log, index) order.
    fn of_kind(&self, kind: &str, want: &dyn Fn(&Record) -> bool) -> Vec<Logged>;
    /// The record `id` as logged by `author` (by any author when `None`).
    fn find(&self, author: Option<&PartyId>, id: &RecordId) -> Option<Logged>;
    /// The agreements the receiver holds.
    fn agreements(&self) -> &[crate::judge::AgreementFile];
    /// The parties' keys.
    fn keys(&self) -> &Trust;
}

impl Entries for HeldLogs<'_> {
    /// Every logged record of `kind` that `want` picks, in (log, index) order, then those of
    /// the submission.
    fn of_kind(&self, kind: &str, want: &dyn Fn(&Record) -> bool) -> Vec<Logged> {
        let mut out: Vec<Logged> = self
            .store
            .records_of_kind(kind)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(log, index)| self.at(&log, index))
            .filter(|l| want(&l.record))
            .collect();
        out.extend(
            self.pending
                .iter()
                .filter(|(r, _)| r.body.kind() == kind && want(r))
                .map(|(r, bytes)| Logged {
                    record: r.clone(),
                    entry: bytes.clone(),
                }),
        );
        out
    }

    fn find(&self, author: Option<&PartyId>, id: &RecordId) -> Option<Logged> {
        let wanted = |p: &PartyId| author.is_none_or(|a| a == p);
        if let Some((r, bytes)) = self
            .pending
            .iter()
            .find(|(r, _)| &r.id == id && wanted(self.own))
        {
            return Some(Logged {
                record: r.clone(),
                entry: bytes.clone(),
            });
        }
        // Every log of the author: its public log and its scoped ones.
        let logs: Vec<String> = self
            .store
            .logs()
            .into_iter()
            .filter(|l| {
                author.is_none_or(|a| {
                    crate::scope::LogName::parse_key(l).is_ok_and(|n| n.party == *a)
                })
            })
            .collect();
        logs.iter().find_map(|log| {
            let index = self.store.index_of(log, id.as_str()).ok()??;
            self.at(log, index)
        })
    }

    fn agreements(&self) -> &[crate::judge::AgreementFile] {
        self.agreements
    }

    fn keys(&self) -> &Trust {
        &self.trust
    }
}

/// Logs held, as the checks read them.
pub(crate) struct Holding<E>(E);

impl<E> std::ops::Deref for Holding<E> {
    type Target = E;
    fn deref(&self) -> &E {
        &self.0
    }
}

impl<E: Entries> Held for Holding<E> {
    fn logged(&self, author: Option<&PartyId>, id: &RecordId) -> Option<Logged> {
        self.find(author, id)
    }

    fn seed_commits(&self, round: &str, declaration: &RecordId) -> Vec<Logged> {
        self.of_kind("seed_commit", &|r| {
            matches!(&r.body, RecordBody::SeedCommit(c)
                if c.round == round && &c.commitment == declaration)
        })
    }

    fn agreement(&self, id: &AgreementId) -> Option<&Agreement> {
        self.agreements()
            .iter()
            .map(|a| &a.agreement)
            .find(|a| &a.id == id)
    }

    fn trust(&self) -> &Trust {
        self.keys()
    }

    fn seed_reveals(&self, round: &str) -> Vec<Logged> {
        self.of_kind(
            "seed_reveal",
            &|r| matches!(&r.body, RecordBody::SeedReveal(b) if b.round == round),
        )
    }

    fn reveals(&self, author: &PartyId, commitment: &RecordId) -> Vec<Logged> {
        self.of_kind("reveal", &|r| {
            &r.party == author
                && matches!(&r.body, RecordBody::Reveal(b) if &b.commitment == commitment)
        })
    }
}

/// The log and cosigner keys of every party the node knows: its own and the trusted ones.
pub(crate) fn trust_of(node: &Node) -> Trust {
    let mut trust = Trust::new();
    for party in node.parties() {
        let key = if party == node.party {
            node.public_key()
        } else {
            match node.peer_key(party.as_str()) {
                Ok(k) => k,
                Err(_) => continue,
            }
        };
        if let Some(keys) = party_keys(&party, &key) {
            trust.insert(party.clone(), keys);
        }
    }
    trust
}

/// The verifier keys of `party`'s log and of its cosignatures as the mirror of other logs
/// (receipts are those cosignatures), from its public key.
pub(crate) fn party_keys(party: &PartyId, key: &ed25519_dalek::VerifyingKey) -> Option<PartyKeys> {
    let log = accord_log::ed25519_vkey(&origin(party.as_str()), key).ok()?;
    let cosigner = accord_log::ed25519_cosigner_vkey(&mirror_name(party.as_str()), key).ok()?;
    Some(PartyKeys { log, cosigner })
}

/// Every entry of a set of logs, held in memory: what an exported node's logs hold.
pub(crate) struct HeldEntries<'a> {
    entries: BTreeMap<(PartyId, u64), Logged>,
    /// The index of each record in each log, by (log, record id).
    index: HashMap<(PartyId, RecordId), u64>,
    agreements: &'a [crate::judge::AgreementFile],
    trust: Trust,
}

impl<'a> HeldEntries<'a> {
    /// Holds `entries` (each log's entries with their indices and records), judged against
    /// `agreements`, with the parties' keys `trust`.
    pub(crate) fn new(
        entries: impl IntoIterator<Item = (PartyId, u64, Logged)>,
        agreements: &'a [crate::judge::AgreementFile],
        trust: Trust,
    ) -> Holding<Self> {
        let mut held = HeldEntries {
            entries: BTreeMap::new(),
            index: HashMap::new(),
            agreements,
            trust,
        };
        for (log, i, logged) in entries {
            held.index
                .entry((log.clone(), logged.record.id.clone()))
                .or_insert(i);
            held.entries.insert((log, i), logged);
        }
        Holding(held)
    }
}

impl Holding<HeldEntries<'_>> {
    /// What the checks come to over every entry held: each escrow and selection record
    /// checked with every other held, the inspection reports, the selection rounds.
    pub(crate) fn checks(&self) -> Checks {
        let mut checks = Checks::default();
        for ((log, index), logged) in &self.entries {
            let key = (log.clone(), *index);
            let kind = || logged.record.body.kind().to_owned();
            if is_checked(&logged.record)
                && let Err(f) = check(logged, self)
            {
                checks.failed.insert(key.clone(), (kind(), f));
            }
            match inspection_findings(logged, self) {
                Ok(Some(found)) => checks.reports.extend(found),
                Ok(None) => {}
                Err(f) => {
                    checks.failed.insert(key, (kind(), f));
                }
            }
        }
        checks.rounds = held_rounds(self, &self.of_kind("seed_commit", &|_| true));
        checks
    }
}

impl Entries for HeldEntries<'_> {
    fn of_kind(&self, kind: &str, want: &dyn Fn(&Record) -> bool) -> Vec<Logged> {
        self.entries
            .values()
            .filter(|l| l.record.body.kind() == kind && want(&l.record))
            .cloned()
            .collect()
    }

    fn find(&self, author: Option<&PartyId>, id: &RecordId) -> Option<Logged> {
        let at = |log: &PartyId| {
            let i = self.index.get(&(log.clone(), id.clone()))?;
            self.entries.get(&(log.clone(), *i)).cloned()
        };
        // Every log of the author (its public log and its scoped ones), or every log.
        let logs: std::collections::BTreeSet<&PartyId> = self
            .entries
            .keys()
            .map(|(log, _)| log)
            .filter(|log| {
                author.is_none_or(|a| {
                    crate::scope::LogName::parse_key(log.as_str()).is_ok_and(|n| n.party == *a)
                })
            })
            .collect();
        logs.into_iter().find_map(at)
    }

    fn agreements(&self) -> &[crate::judge::AgreementFile] {
        self.agreements
    }

    fn keys(&self) -> &Trust {
        &self.trust
    }
}

/// The records a record refers to, and so may wait for.
fn referents(record: &Record) -> Vec<RecordId> {
    match &record.body {
        RecordBody::Reveal(r) => vec![r.commitment.clone()],
        RecordBody::LimitProof(l) => vec![l.commitment.clone()],
        RecordBody::SeedCommit(c) => vec![c.commitment.clone()],
        RecordBody::SeedReveal(r) => std::iter::once(r.commit.clone())
            .chain(r.seen.iter().map(|s| s.commit.clone()))
            .collect(),
        _ => Vec::new(),
    }
}

/// The selection round of a seed record.
fn round_of(record: &Record) -> Option<&str> {
    match &record.body {
        RecordBody::SeedCommit(c) => Some(&c.round),
        RecordBody::SeedReveal(r) => Some(&r.round),
        _ => None,
    }
}

fn is_checked(record: &Record) -> bool {
    matches!(
        record.body,
        RecordBody::DeclarationCommitment(_)
            | RecordBody::Reveal(_)
            | RecordBody::LimitProof(_)
            | RecordBody::SeedCommit(_)
            | RecordBody::SeedReveal(_)
    )
}

/// Whether a record can change a selection round: its declaration, seeds, or the reveals
/// that name its drawn sites.
fn bears_on_rounds(record: &Record) -> bool {
    matches!(
        record.body,
        RecordBody::DeclarationCommitment(_)
            | RecordBody::Reveal(_)
            | RecordBody::SeedCommit(_)
            | RecordBody::SeedReveal(_)
    )
}

/// Whether a record can change what an inspection report is held against.
fn bears_on_reports(record: &Record) -> bool {
    is_checked(record)
        || matches!(
            record.body,
            RecordBody::InspectionRequest(_) | RecordBody::InspectionReport(_)
        )
}

impl Arrivals {
    /// The checks of `records` (every record held, in `Node::all_records` order), brought up
    /// to date with the records added since the last call.
    pub(crate) fn failures(&self, node: &Node, records: &[LoggedRecord]) -> Arc<Checks> {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.records >= records.len() {
            return cache.checks.clone();
        }
        let fresh = &records[cache.records..];
        let mut todo: Vec<(PartyId, u64)> = Vec::new();
        let mut reports_changed = false;
        let mut declarations = false;
        let mut rounds_changed = false;
        // The rounds seeds arrived in, when seeds alone arrived of what bears on rounds: only
        // those are gathered again.
        let mut seeded: Option<BTreeSet<String>> = Some(BTreeSet::new());
        for (log, index, record) in fresh {
            reports_changed |= bears_on_reports(record);
            rounds_changed |= bears_on_rounds(record);
            if matches!(record.body, RecordBody::InspectionReport(_)) {
                cache.reports.push((log.clone(), *index));
            }
            if is_checked(record) {
                todo.push((log.clone(), *index));
            }
            if let Some(waiting) = cache.waiting.remove(&record.id) {
                todo.extend(waiting);
            }
            match round_of(record) {
                Some(round) => {
                    if let Some(seeded) = &mut seeded {
                        seeded.insert(round.to_owned());
                    }
                }
                None if bears_on_rounds(record) => seeded = None,
                None => {}
            }
            if let Some(round) = round_of(record) {
                let seeds = cache.rounds.entry(round.to_owned()).or_default();
                todo.extend(seeds.iter().cloned());
                seeds.push((log.clone(), *index));
            }
            declarations |= matches!(record.body, RecordBody::DeclarationCommitment(_));
        }
        if declarations {
            // A seed reveal waits for its round's declaration through its own commit.
            let waiting_seeds: Vec<(PartyId, u64)> = cache
                .rounds
                .values()
                .flatten()
                .filter(|k| matches!(cache.verdicts.get(*k), Some(Verdict::Waiting)))
                .cloned()
                .collect();
            todo.extend(waiting_seeds);
        }
        todo.sort();
        todo.dedup();
        let store = node.store();
        let held = HeldLogs::new(node, &[], &store);
        let mut checks = (*cache.checks).clone();
        for key in todo {
            let Some(logged) = held.at(key.0.as_str(), key.1) else {
                continue;
            };
            let kind = logged.record.body.kind().to_owned();
            let verdict = match check(&logged, &held) {
                Ok(Checked::Waiting(_)) => {
                    for id in referents(&logged.record) {
                        cache.waiting.entry(id).or_default().push(key.clone());
                    }
                    Verdict::Waiting
                }
                Ok(_) => Verdict::Stands,
                Err(f) => Verdict::Failed(kind, f),
            };
            match &verdict {
                Verdict::Failed(kind, f) => {
                    checks.failed.insert(key.clone(), (kind.clone(), f.clone()));
                }
                _ => {
                    checks.failed.remove(&key);
                }
            }
            cache.verdicts.insert(key, verdict);
        }
        if reports_changed {
            checks.reports.clear();
            for (log, index) in &cache.reports {
                let Some(logged) = held.at(log.as_str(), *index) else {
                    continue;
                };
                match inspection_findings(&logged, &held) {
                    Ok(Some(found)) => checks.reports.extend(found),
                    Ok(None) => {}
                    Err(f) => {
                        let kind = logged.record.body.kind().to_owned();
                        checks.failed.insert((log.clone(), *index), (kind, f));
                    }
                }
            }
        }
        if rounds_changed {
            checks.rounds = match seeded {
                // A round is gathered from its own seeds, its declaration and that
                // declaration's reveals: seeds arriving change their own rounds alone.
                Some(seeded) => {
                    let commits: Vec<Logged> = seeded
                        .iter()
                        .filter_map(|round| cache.rounds.get(round))
                        .flatten()
                        .filter_map(|(log, index)| held.at(log.as_str(), *index))
                        .filter(|l| matches!(l.record.body, RecordBody::SeedCommit(_)))
                        .collect();
                    let mut rounds: Vec<HeldRound> = std::mem::take(&mut checks.rounds)
                        .into_iter()
                        .filter(|r| !seeded.contains(&r.round))
                        .chain(held_rounds(&held, &commits))
                        .collect();
                    rounds.sort_by(|a, b| {
                        (&a.round, &a.declaration.record.id)
                            .cmp(&(&b.round, &b.declaration.record.id))
                    });
                    rounds
                }
                None => held_rounds(&held, &held.of_kind("seed_commit", &|_| true)),
            };
        }
        drop(store);
        cache.records = records.len();
        cache.checks = Arc::new(checks);
        cache.checks.clone()
    }
}

/// The findings the checks came to at `at`: the failures, the inspection reports, and the
/// seeds withheld past their deadline in the selection rounds.
pub(crate) fn findings(checks: &Checks, at: accord_model::Instant) -> Vec<Finding> {
    checks
        .failed
        .iter()
        .filter_map(|((log, index), (kind, f))| {
            // Against the record's author, citing the record in its log (a scoped log's
            // name is not its author's).
            let author = crate::scope::LogName::parse_key(log.as_str())
                .map(|l| l.party)
                .unwrap_or_else(|_| log.clone());
            let mut finding = f.finding(&author, kind, *index)?;
            finding.evidence = vec![accord_model::Evidence::logged(
                f.record.clone(),
                accord_model::log_origin(log.as_str()),
                *index,
            )];
            Some(finding)
        })
        .chain(checks.reports.iter().cloned())
        .chain(
            checks
                .rounds
                .iter()
                .filter_map(|r| r.judge(at).ok())
                .flat_map(|o| o.findings),
        )
        .collect()
}

/// The failures among entries `start..end` of `log`, as the exchange answer lists them.
pub(crate) fn received(node: &Node, log: &PartyId, start: u64, end: u64) -> Vec<FailedRecord> {
    if start >= end {
        return Vec::new();
    }
    let records = match node.all_records() {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!("escrow records of {log} {start}..{end} not checked: {e}");
            return Vec::new();
        }
    };
    let checks = node.arrival_failures(&records);
    checks
        .failed
        .range((log.clone(), start)..(log.clone(), end))
        .map(|((log, index), (kind, f))| FailedRecord {
            log: log.clone(),
            index: *index,
            record: f.record.clone(),
            kind: kind.clone(),
            failure: f.to_string(),
        })
        .collect()
}

/// Refuses a submission of the node's own party if any of its records fails its check; the
/// records before it in the batch count as held. A record that refers to one not held yet is
/// taken, and checked when that one arrives.
pub(crate) fn refuse_failing(node: &Node, batch: &[(Record, Envelope)]) -> Result<(), NodeError> {
    if !batch.iter().any(|(r, _)| is_checked(r)) {
        return Ok(());
    }
    let pending: Vec<(Record, Vec<u8>)> = batch
        .iter()
        .map(|(r, e)| (r.clone(), e.to_json()))
        .collect();
    let store = node.store();
    for (i, (record, bytes)) in pending.iter().enumerate() {
        if !is_checked(record) {
            continue;
        }
        let held = HeldLogs::new(node, &pending[..i], &store);
        let logged = Logged {
            record: record.clone(),
            entry: bytes.clone(),
        };
        if let Err(f) = check(&logged, &held) {
            return Err(NodeError::InvalidRecord(f.to_string()));
        }
    }
    Ok(())
}

impl Node {
    /// The receipt of entry `index` of `log`: for the node's own log, the latest checkpoint
    /// `cosigner` cosigned that holds it; for a peer's log, the node's own cosigned checkpoint
    /// of its mirror. With the entry's inclusion proof against that checkpoint.
    pub fn log_receipt(
        &self,
        log: &PartyId,
        index: u64,
        cosigner: &PartyId,
    ) -> Result<LogReceipt, NodeError> {
        let store = self.store();
        let (size, note) = if store.is_own(log.as_str()) {
            store
                .receipts(cosigner.as_str())?
                .into_iter()
                .filter(|(l, _, _)| l == log.as_str())
                .map(|(_, size, note)| (size, note))
                .rev()
                .find(|(size, _)| *size > index)
                .ok_or_else(|| {
                    NodeError::NotFound(format!(
                        "no checkpoint of {log}'s log holding entry {index} is cosigned by \
                         {cosigner} yet"
                    ))
                })?
        } else if *cosigner == self.party {
            let note = store
                .checkpoint(log.as_str(), self.config.clock.unix_seconds())?
                .ok_or_else(|| NodeError::NotFound(format!("no log of party {log} here")))?;
            let size = accord_log::SignedCheckpoint::parse(note.as_bytes())
                .map_err(crate::store::log_error)?
                .size();
            (size, note)
        } else {
            return Err(NodeError::NotFound(format!(
                "this node holds only its own cosignatures of {log}'s log, not {cosigner}'s"
            )));
        };
        if index >= size {
            return Err(NodeError::NotFound(format!(
                "entry {index} of {log}'s log is not in its latest cosigned checkpoint (size \
                 {size})"
            )));
        }
        let proof = store.prove_inclusion(log.as_str(), index, size)?;
        Ok(LogReceipt {
            checkpoint: note,
            proof: ReceiptProof {
                index: proof.index,
                size: proof.size,
                hashes: proof.hashes.iter().map(|h| B64.encode(h.0)).collect(),
            },
        })
    }
}

impl Node {
    /// Every selection round the logs held show, as judged at `at`.
    pub fn inspections(&self, at: accord_model::Instant) -> Result<Inspections, NodeError> {
        let records = self.all_records()?;
        let checks = self.arrival_failures(&records);
        Ok(Inspections {
            as_of: at.to_string(),
            rounds: checks.rounds.iter().map(|r| r.view(at)).collect(),
        })
    }

    /// The draw of selection round `round` from the declaration record `declaration` over the
    /// logs this node holds ([`accord_escrow::arrival::draw`]): `quota` sites, at `at`.
    pub fn draw(
        &self,
        round: &str,
        declaration: &RecordId,
        quota: usize,
        at: accord_model::Instant,
    ) -> Result<RoundOutcome, NodeError> {
        let store = self.store();
        let held = HeldLogs::new(self, &[], &store);
        accord_escrow::arrival::draw(&held, round, declaration, quota, at)
            .map_err(|e: OrderError| NodeError::InvalidRecord(e.to_string()))
    }
}
