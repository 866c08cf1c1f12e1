//! The node's core: intake of its own party's records, intake of peers' logs with receipts, the
//! hotline inbox, and the derived views (state digest, deadlines and findings).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use accord_model::envelope::{Envelope, EnvelopeError, key_id};
use accord_model::{
    Finding, HotlineReceipt, HotlineReceiptKind, Instant, PartyId, Record, RecordBody, RecordId,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::NodeError;
use crate::clock::{Clock, SystemClock};
use crate::keys::{self, Trust};
use crate::note::{self, Note, checkpoint_body, origin, witness_name};
use crate::rules::{self, RuleContext};
use crate::store::{HeldMessage, HotlineIndex, NewEntry, Store};
use crate::wire::{
    ExchangeRequest, Findings, InboxMessage, LogState, NodeInfo, PeerStatus, Receipt, SentMessage,
    StateSummary, Submitted,
};

/// A peer node: its party and base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerConfig {
    /// The peer's party.
    pub party: PartyId,
    /// The peer's base URL, such as `http://127.0.0.1:7301`.
    pub url: String,
}

/// How a node is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// The node's party.
    pub party: PartyId,
    /// The data directory (key, trust file, database).
    pub data: PathBuf,
    /// The peers to send the log to.
    pub peers: Vec<PeerConfig>,
    /// The most entries sent to a peer in one request.
    pub batch: usize,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    /// How long a client may take to send a request's headers, and how long an idle
    /// connection is kept open.
    pub header_timeout: Duration,
    /// How long a request may take from its headers to the end of the answer.
    pub request_timeout: Duration,
    /// The most connections open at once from one peer address.
    pub max_connections_per_address: usize,
    /// The most connections open at once in all.
    pub max_connections: usize,
    /// Where the node reads the time.
    pub clock: Arc<dyn Clock>,
    /// The agreements the node judges its logs against.
    pub agreements: Vec<crate::judge::AgreementFile>,
}

impl Config {
    /// A configuration with the defaults: batches of 1,000 entries, bodies up to 8 MiB, 10 s
    /// for headers and idle connections, 60 s per request, 32 connections per address and
    /// 200 in all, the system clock, no agreement.
    pub fn new(party: PartyId, data: PathBuf, peers: Vec<PeerConfig>) -> Self {
        Config {
            party,
            data,
            peers,
            batch: 1000,
            max_body: 8 << 20,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_connections_per_address: 32,
            max_connections: 200,
            clock: Arc::new(SystemClock),
            agreements: Vec::new(),
        }
    }
}

/// A running node's state, shared by the HTTP handlers and the outbox workers.
#[derive(Debug)]
pub struct Node {
    /// The node's party.
    pub party: PartyId,
    key: SigningKey,
    /// The own keys that sign checkpoints now: `key` first, then former keys still inside a
    /// rotation's overlap.
    signing: Vec<SigningKey>,
    /// Every former own key kept in `retired/`, for checking receipts over old checkpoints.
    retired: Vec<SigningKey>,
    dir: PathBuf,
    trust: RwLock<Trust>,
    /// The trust file's modification time and length when it was last read.
    trust_stamp: Mutex<Option<(std::time::SystemTime, u64)>>,
    store: Mutex<Store>,
    /// The configuration.
    pub config: Config,
    /// Bumped whenever the own log grows, to wake the outbox workers.
    pub(crate) outbox_wake: tokio::sync::watch::Sender<u64>,
    /// Bumped whenever the hotline inbox changes, to wake long polls.
    pub(crate) inbox_wake: tokio::sync::watch::Sender<u64>,
    /// Records decoded from every log, kept for the findings so that a call does not re-read
    /// the logs.
    decoded: Mutex<Decoded>,
    /// The compliance engine over the logs.
    judge: crate::judge::Judge,
    /// The figures served at `/metrics`.
    pub metrics: crate::metrics::Metrics,
    /// Why the node signs nothing, if a peer holds more of its log than it does.
    refusing: Mutex<Option<String>>,
}

/// Which findings an answer holds: all, or those of one agreement, party or severity.
#[derive(Debug, Clone, Default)]
pub struct FindingFilter {
    /// Only this agreement's.
    pub agreement: Option<accord_model::AgreementId>,
    /// Only this party's.
    pub party: Option<PartyId>,
    /// Only findings of this severity.
    pub severity: Option<accord_model::Severity>,
}

impl FindingFilter {
    fn admits(&self, f: &Finding) -> bool {
        self.agreement.as_ref().is_none_or(|a| *a == f.agreement)
            && self.party.as_ref().is_none_or(|p| *p == f.party)
            && self.severity.is_none_or(|s| s == f.severity)
    }
}

/// A record with the log (its author) and the index it was logged at.
pub type LoggedRecord = (PartyId, u64, Record);

/// Every log's records decoded so far.
#[derive(Debug, Default)]
struct Decoded {
    sizes: BTreeMap<String, u64>,
    records: Arc<Vec<LoggedRecord>>,
}

fn envelope_error(e: EnvelopeError) -> NodeError {
    match e {
        EnvelopeError::BadSignature { keyid } => {
            NodeError::BadSignature(format!("the signature by key {keyid} does not verify"))
        }
        EnvelopeError::WrongParty {
            record,
            claimed,
            signer,
        } => NodeError::WrongParty(format!(
            "record {record} claims party {claimed} but is signed by {signer}"
        )),
        EnvelopeError::Invalid(e) => NodeError::InvalidRecord(e.to_string()),
        EnvelopeError::Record(e) => NodeError::InvalidRecord(e),
        other => NodeError::Malformed(other.to_string()),
    }
}

/// Decodes a logged envelope's record without checking its signature (checked at intake).
pub fn decode_logged(bytes: &[u8]) -> Result<Record, NodeError> {
    let env = Envelope::from_json(bytes).map_err(|e| NodeError::Malformed(e.to_string()))?;
    let payload = B64
        .decode(&env.payload)
        .map_err(|e| NodeError::Malformed(e.to_string()))?;
    serde_json::from_slice(&payload).map_err(|e| NodeError::InvalidRecord(e.to_string()))
}

/// The index entry of a record whose envelope bytes are `envelope`.
pub(crate) fn entry_of_record(record: &Record, envelope: Vec<u8>) -> NewEntry {
    NewEntry {
        record_id: record.id.to_string(),
        kind: record.body.kind().to_owned(),
        hotline: match &record.body {
            RecordBody::HotlineMessage(m) => HotlineIndex::Message {
                to: m.to.to_string(),
                seq: m.seq,
                text: m.text.clone(),
                issued_at: record.issued_at.to_string(),
            },
            RecordBody::HotlineReceipt(r) => HotlineIndex::Receipt {
                from: r.from.as_ref().map(|p| p.to_string()),
                message: r.message.to_string(),
                kind: match r.kind {
                    HotlineReceiptKind::Delivered => "delivered",
                    HotlineReceiptKind::Read => "read",
                },
                issued_at: record.issued_at.to_string(),
            },
            _ => HotlineIndex::None,
        },
        envelope,
    }
}

/// Refuses an envelope too large for a log entry before anything is written.
fn check_entry_size(record: &RecordId, bytes: usize) -> Result<(), NodeError> {
    if bytes > MAX_ENTRY_BYTES {
        return Err(NodeError::TooLarge(format!(
            "record {record} is an envelope of {bytes} bytes; a log entry holds at most \
             {MAX_ENTRY_BYTES}"
        )));
    }
    Ok(())
}

/// The largest envelope a log entry holds (C2SP tlog-tiles entry bundles use 16-bit lengths).
pub const MAX_ENTRY_BYTES: usize = u16::MAX as usize;

/// What an intake did besides logging, for the HTTP layer to act on.
#[derive(Debug, Default)]
pub struct Effects {
    /// Hotline messages just logged by this node: (recipient, index, envelope).
    pub pushes: Vec<(PartyId, u64, Envelope)>,
}

impl Node {
    /// Opens a node: loads or makes its key, reads the trust file, opens the store, and logs
    /// the delivery receipts a crash may have left unwritten.
    pub fn open(config: Config) -> Result<Node, NodeError> {
        keys::check_party(&config.party)?;
        let key = keys::load_or_create_key(&config.data)?;
        let trust_stamp = keys::trust_file_stamp(&config.data);
        let trust = Trust::load(&config.data)?;
        let at = keys::unix_seconds(config.clock.now());
        let signing = keys::signing_keys(&config.data, config.party.as_str(), &trust, at)?;
        let retired = keys::retired_keys(&config.data)?;
        let store = Store::open(&config.data, config.party.as_str(), &signing, &retired)?;
        let size = store.size(config.party.as_str());
        let judge = crate::judge::Judge::new(&config.agreements);
        let node = Node {
            party: config.party.clone(),
            key,
            signing,
            retired,
            dir: config.data.clone(),
            trust: RwLock::new(trust),
            trust_stamp: Mutex::new(trust_stamp),
            store: Mutex::new(store),
            config,
            outbox_wake: tokio::sync::watch::channel(size).0,
            inbox_wake: tokio::sync::watch::channel(0).0,
            decoded: Mutex::new(Decoded::default()),
            judge,
            metrics: crate::metrics::Metrics::new(),
            refusing: Mutex::new(None),
        };
        let parties = node.parties();
        let mut store = node.store();
        node.deliver_pending(&mut store, &parties)?;
        drop(store);
        Ok(node)
    }

    /// The instant now, by the node's clock.
    pub fn now(&self) -> Instant {
        self.config.clock.now()
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The node's public key.
    pub fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The key of a trusted party, re-reading the trust file once if the party is not known.
    pub fn peer_key(&self, party: &str) -> Result<VerifyingKey, NodeError> {
        if let Some(k) = self.trust().key(party) {
            return Ok(*k);
        }
        self.reload_trust()?;
        self.trust
            .read()
            .expect("trust lock")
            .key(party)
            .copied()
            .ok_or_else(|| {
                NodeError::UnknownParty(format!(
                    "party {party} is not in the trust file of {}",
                    self.party
                ))
            })
    }

    fn reload_trust(&self) -> Result<(), NodeError> {
        let stamp = keys::trust_file_stamp(&self.dir);
        let t = Trust::load(&self.dir)?;
        *self.trust.write().expect("trust lock") = t;
        *self.trust_stamp.lock().unwrap_or_else(|p| p.into_inner()) = stamp;
        Ok(())
    }

    /// The trust file as last read, read again first if it changed on disk since (an
    /// operator added, rotated or revoked a key while the node runs).
    fn trust(&self) -> std::sync::RwLockReadGuard<'_, Trust> {
        let stamp = keys::trust_file_stamp(&self.dir);
        let changed = *self.trust_stamp.lock().unwrap_or_else(|p| p.into_inner()) != stamp;
        if changed && let Err(e) = self.reload_trust() {
            tracing::warn!(target: "accord_node", "trust file not read again: {e}");
        }
        self.trust.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The party whose key signed an envelope (its first signature's key id).
    fn signer_of(&self, env: &Envelope) -> Result<(PartyId, VerifyingKey), NodeError> {
        let keyid = env
            .signatures
            .first()
            .map(|s| s.keyid.clone())
            .ok_or_else(|| NodeError::BadSignature("the envelope carries no signature".into()))?;
        if let Some(k) = self
            .signing
            .iter()
            .find(|k| key_id(&k.verifying_key()) == keyid)
        {
            return Ok((self.party.clone(), k.verifying_key()));
        }
        let lookup = |t: &Trust| t.key_of_keyid(&keyid).map(|(p, k)| (p.clone(), *k));
        let mut found = lookup(&self.trust());
        if found.is_none() {
            self.reload_trust()?;
            found = lookup(&self.trust());
        }
        let (party, pk) = found.ok_or_else(|| {
            NodeError::UnknownParty(format!(
                "key id {keyid} belongs to no party in the trust file of {}",
                self.party
            ))
        })?;
        if let Some(why) = pk.period.why_not(self.unix_now()) {
            return Err(NodeError::BadSignature(format!(
                "key {keyid} of {party} does not count now ({why})"
            )));
        }
        Ok((party, pk.key))
    }

    /// Every party of the exchange: this node's and the trusted ones.
    pub fn parties(&self) -> BTreeSet<PartyId> {
        let mut s: BTreeSet<PartyId> = self
            .trust
            .read()
            .expect("trust lock")
            .parties()
            .cloned()
            .collect();
        s.insert(self.party.clone());
        s
    }

    fn sign_checkpoint(&self, size: u64, root: &note::Hash) -> String {
        let name = origin(self.party.as_str());
        let mut n = Note {
            body: checkpoint_body(&name, size, root),
            sigs: vec![],
        };
        for k in &self.signing {
            n.sign(&name, k);
        }
        n.to_text()
    }

    /// Stops the node signing its log from now on, for `reason` (its log is behind what a
    /// peer cosigned: [`crate::restored`]).
    pub fn refuse_signing(&self, reason: String) {
        *self.refusing.lock().unwrap_or_else(|p| p.into_inner()) = Some(reason);
    }

    /// Why the node signs nothing, if it refuses.
    pub fn signing_refused(&self) -> Option<String> {
        self.refusing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Checks that a checkpoint note of our own log carries a signature by one of our keys,
    /// current or former.
    pub fn verify_own_checkpoint(
        &self,
        note_bytes: &[u8],
    ) -> Result<accord_log::SignedCheckpoint, NodeError> {
        let name = origin(self.party.as_str());
        let vkeys = self
            .signing
            .iter()
            .chain(&self.retired)
            .map(|k| note::verifier_key(&name, &k.verifying_key()))
            .collect::<Vec<_>>();
        let keys: Vec<&str> = vkeys.iter().map(String::as_str).collect();
        accord_log::SignedCheckpoint::verify_any(note_bytes, &keys)
            .map_err(|e| NodeError::BadNote(format!("not a checkpoint of our log: {e}")))
    }

    /// The instant now in Unix seconds, as key periods count it.
    fn unix_now(&self) -> u64 {
        keys::unix_seconds(self.now())
    }

    /// The keys of `party` under signed-note `name` (its log origin or witness name) with
    /// their periods, re-reading the trust file once if it lists none.
    fn keyset(&self, party: &str, name: &str) -> Result<accord_log::KeySet, NodeError> {
        let set = self.trust().keyset(party, name)?;
        if !set.is_empty() {
            return Ok(set);
        }
        self.reload_trust()?;
        let set = self.trust().keyset(party, name)?;
        if set.is_empty() {
            return Err(NodeError::UnknownParty(format!(
                "party {party} is not in the trust file of {}",
                self.party
            )));
        }
        Ok(set)
    }

    /// Signs a record with the node's key.
    pub fn sign(&self, record: &Record) -> Envelope {
        Envelope::sign_record(record, &self.key)
    }

    /// Takes envelopes signed by the node's own party and appends them to its log. Everything
    /// is checked before anything is written: one bad envelope refuses the whole batch.
    pub fn submit(&self, envelopes: Vec<Envelope>) -> Result<(Submitted, Effects), NodeError> {
        if envelopes.is_empty() {
            return Err(NodeError::Malformed("no envelope submitted".into()));
        }
        let parties = self.parties();
        let mut records = Vec::with_capacity(envelopes.len());
        for env in envelopes {
            let (signer, key) = self.signer_of(&env)?;
            if signer != self.party {
                return Err(NodeError::WrongParty(format!(
                    "envelope signed by {signer}: only {} may write to this node's log; \
                     records of other parties arrive by exchange",
                    self.party
                )));
            }
            let record = env
                .open_record(signer.as_str(), &key)
                .map_err(envelope_error)?;
            records.push((record, env));
        }
        crate::arrival::refuse_failing(self, &records)?;
        let mut store = self.store();
        for (r, _) in &records {
            if let RecordBody::HotlineReceipt(receipt) = &r.body {
                check_own_receipt(&store, &r.id, receipt)?;
            }
        }
        let ids: Vec<RecordId> = records.iter().map(|(r, _)| r.id.clone()).collect();
        let (first, effects) = self.append_own(&mut store, records, &parties)?;
        let checkpoint = store.own_checkpoint();
        drop(store);
        Ok((
            Submitted {
                first_index: first,
                count: ids.len() as u64,
                records: ids,
                checkpoint,
            },
            effects,
        ))
    }

    /// Checks and appends records of this node's party to its own log; returns the first index.
    fn append_own(
        &self,
        store: &mut Store,
        records: Vec<(Record, Envelope)>,
        parties: &BTreeSet<PartyId>,
    ) -> Result<(u64, Effects), NodeError> {
        if let Some(reason) = self.signing_refused() {
            return Err(NodeError::Conflict(reason));
        }
        let me = self.party.as_str();
        let mut ctx = RuleContext {
            parties,
            now: self.now(),
            next_seq: HashMap::new(),
        };
        let mut seen = BTreeSet::new();
        let mut entries = Vec::with_capacity(records.len());
        for (r, e) in &records {
            let bytes = e.to_json();
            check_entry_size(&r.id, bytes.len())?;
            if let Some(i) = store.index_of(me, r.id.as_str())? {
                return Err(NodeError::Replay(format!(
                    "record {} is already in the log of {me} at index {i}",
                    r.id
                )));
            }
            if !seen.insert(r.id.clone()) {
                return Err(NodeError::Replay(format!(
                    "record {} appears twice in the batch",
                    r.id
                )));
            }
            rules::check(&mut ctx, r, |to| store.last_seq(me, to))?;
            entries.push(entry_of_record(r, bytes));
        }
        let first = store.size(me);
        let (size, _) = store.append_own(&entries)?;
        self.outbox_wake.send_replace(size);
        let mut effects = Effects::default();
        for (i, (r, e)) in records.into_iter().enumerate() {
            if let RecordBody::HotlineMessage(m) = &r.body {
                effects.pushes.push((m.to.clone(), first + i as u64, e));
            }
        }
        Ok((first, effects))
    }

    /// Checks an entry of `from`'s log: signed by `from`'s key, a valid record naming `from`.
    fn open_entry(&self, from: &str, entry: &crate::wire::LogEntry) -> Result<Record, NodeError> {
        let (signer, key) = self.signer_of(&entry.envelope)?;
        if signer.as_str() != from {
            return Err(NodeError::WrongParty(format!(
                "entry {} of {from}'s log is signed by {signer}",
                entry.index
            )));
        }
        entry
            .envelope
            .open_record(from, &key)
            .map_err(envelope_error)
    }

    /// Takes a batch of a peer's log, appends it to the mirror and returns the receipt.
    ///
    /// Every entry, the checkpoint and the delivery receipts the batch calls for are checked
    /// before anything is written; hotline messages to this node reach the inbox with their
    /// entries, in one transaction, so the inbox holds exactly what the mirror holds.
    pub fn receive(&self, req: ExchangeRequest) -> Result<(Receipt, Effects), NodeError> {
        let from = req.from.as_str();
        if req.from == self.party {
            return Err(NodeError::WrongParty(format!(
                "a batch from {from} sent to {from}'s own node"
            )));
        }
        let note = Note::parse(&req.checkpoint)?;
        let name = origin(from);
        let keyset = self.keyset(from, &name)?;
        let at = self.unix_now();
        keyset
            .verify_at(req.checkpoint.as_bytes(), at)
            .map_err(|e| {
                NodeError::BadSignature(format!(
                    "the checkpoint is not signed by {from}'s key as {name} (of its keys, those \
                     that count now): {e}"
                ))
            })?;
        let vkeys: Vec<String> = keyset.valid_at(at).into_iter().map(str::to_owned).collect();
        let cp = note.checkpoint()?;
        if cp.origin != name {
            return Err(NodeError::BadNote(format!(
                "checkpoint origin {:?}, expected {name:?}",
                cp.origin
            )));
        }
        let parties = self.parties();
        let mut ctx = RuleContext {
            parties: &parties,
            now: self.now(),
            next_seq: HashMap::new(),
        };
        // Signatures are checked before the store is locked, so other requests (a hotline push)
        // are not held up by a large batch.
        let size0 = self.store().size(from);
        let mut verified: HashMap<u64, Record> = HashMap::new();
        for entry in req.entries.iter().filter(|e| e.index >= size0) {
            verified.insert(entry.index, self.open_entry(from, entry)?);
        }
        let mut store = self.store();
        let size = store.size(from);
        let mut new: Vec<(Record, Vec<u8>)> = Vec::new();
        let mut seen = BTreeSet::new();
        for entry in req.entries {
            let expected = size + new.len() as u64;
            let bytes = entry.envelope.to_json();
            if entry.index < size && new.is_empty() {
                // A repeated delivery: harmless if identical.
                if store.envelope_at(from, entry.index)?.as_deref() != Some(bytes.as_slice()) {
                    return Err(NodeError::Conflict(format!(
                        "entry {} of {from}'s log differs from the one already mirrored",
                        entry.index
                    )));
                }
                continue;
            }
            if entry.index != expected {
                return Err(NodeError::Gap {
                    got: entry.index,
                    expected,
                });
            }
            let record = match verified.remove(&entry.index) {
                Some(r) => r,
                None => self.open_entry(from, &entry)?,
            };
            check_entry_size(&record.id, bytes.len())?;
            if let Some(i) = store.index_of(from, record.id.as_str())? {
                return Err(NodeError::Replay(format!(
                    "record {} is already in {from}'s log at index {i}",
                    record.id
                )));
            }
            if !seen.insert(record.id.clone()) {
                return Err(NodeError::Replay(format!(
                    "record {} appears twice in the batch",
                    record.id
                )));
            }
            rules::check(&mut ctx, &record, |to| store.last_seq(from, to))?;
            if let RecordBody::HotlineMessage(m) = &record.body
                && m.to == self.party
            {
                self.delivery_receipt(from, record.id.as_str(), m.seq)?;
            }
            new.push((record, bytes));
        }
        let end = size + new.len() as u64;
        let time = self.config.clock.unix_seconds();
        let receipt_note = if new.is_empty() {
            if cp.size > size || store.root_at(from, cp.size)? != cp.root {
                return Err(NodeError::Conflict(format!(
                    "checkpoint of {from} at size {} does not match the mirror (size {size})",
                    cp.size
                )));
            }
            store.cosign(&req.checkpoint, &name, time)?
        } else {
            if cp.size != end {
                return Err(NodeError::Malformed(format!(
                    "checkpoint size {} but the entries end at {end}",
                    cp.size
                )));
            }
            let entries: Vec<NewEntry> = new
                .into_iter()
                .map(|(r, bytes)| entry_of_record(&r, bytes))
                .collect();
            let text = store.cosign(&req.checkpoint, &name, time)?;
            store.append_mirror(from, &vkeys, &entries, &req.checkpoint, &text)?;
            crate::crash_point("mirror-indexed");
            text
        };
        // Kept for the engine: when this node held the peer's log at this size.
        store.record_cosignature(from, cp.size, self.party.as_str(), time)?;
        let effects = self.deliver_pending(&mut store, &parties)?;
        self.contacted(&store, from, crate::health::Contact::Batch);
        drop(store);
        self.metrics.exchanged(from, end - size);
        let failed = crate::arrival::received(self, &req.from, size, end);
        Ok((
            Receipt {
                witness: self.party.clone(),
                size: cp.size,
                note: receipt_note,
                failed,
            },
            effects,
        ))
    }

    /// The delivery receipt this node logs for message `message`, number `seq` from `sender`.
    fn delivery_receipt(&self, sender: &str, message: &str, seq: u64) -> Result<Record, NodeError> {
        let invalid = |e: accord_model::IdError| NodeError::InvalidRecord(e.to_string());
        Ok(Record {
            id: RecordId::new(format!("{}-delivered-{sender}-{seq}", self.party))
                .map_err(invalid)?,
            party: self.party.clone(),
            issued_at: self.now(),
            body: RecordBody::HotlineReceipt(HotlineReceipt {
                message: RecordId::new(message).map_err(invalid)?,
                from: Some(PartyId::new(sender).map_err(invalid)?),
                kind: HotlineReceiptKind::Delivered,
            }),
        })
    }

    /// Logs a delivery receipt for every inbox message that has none yet (new messages, and
    /// those whose receipt a crash kept from being written).
    fn deliver_pending(
        &self,
        store: &mut Store,
        parties: &BTreeSet<PartyId>,
    ) -> Result<Effects, NodeError> {
        let pending = store.undelivered()?;
        if pending.is_empty() {
            return Ok(Effects::default());
        }
        self.inbox_wake.send_modify(|v| *v += 1);
        let records: Vec<(Record, Envelope)> = pending
            .iter()
            .map(|m| {
                let r = self.delivery_receipt(&m.sender, &m.record_id, m.seq)?;
                let e = self.sign(&r);
                Ok((r, e))
            })
            .collect::<Result<_, NodeError>>()?;
        Ok(self.append_own(store, records, parties)?.1)
    }

    /// Takes a hotline message pushed ahead of the rest of its author's log: a batch of the
    /// author's log holding that one message, taken as the exchange takes any batch.
    pub fn hotline_push(&self, req: ExchangeRequest) -> Result<(Receipt, Effects), NodeError> {
        let [entry] = req.entries.as_slice() else {
            return Err(NodeError::Malformed(format!(
                "a hotline push carries exactly one entry, not {}",
                req.entries.len()
            )));
        };
        let from = req.from.as_str();
        if req.from == self.party {
            return Err(NodeError::WrongParty(format!(
                "a hotline message from {from} pushed to {from}'s own node"
            )));
        }
        let record = self.open_entry(from, entry)?;
        let RecordBody::HotlineMessage(m) = &record.body else {
            return Err(NodeError::Rule(format!(
                "record {} is a {}, not a hotline message",
                record.id,
                record.body.kind()
            )));
        };
        if m.to != self.party {
            return Err(NodeError::Rule(format!(
                "hotline message {} is for {}, not {}",
                record.id, m.to, self.party
            )));
        }
        self.receive(req)
    }

    /// The exchange request that pushes our log's entry `index` (a hotline message) alone.
    pub fn push_request(&self, index: u64, envelope: Envelope) -> Result<Vec<u8>, NodeError> {
        let root = self.store().root_at(self.party.as_str(), index + 1)?;
        let req = ExchangeRequest::new(
            self.party.clone(),
            self.sign_checkpoint(index + 1, &root),
            [(index, envelope)],
        );
        serde_json::to_vec(&req).map_err(|e| NodeError::Malformed(e.to_string()))
    }

    /// Released hotline messages after `after`, at most `limit`.
    pub fn inbox(&self, after: u64, limit: u64) -> Result<Vec<InboxMessage>, NodeError> {
        let rows = self.store().inbox(after, limit)?;
        rows.into_iter().map(inbox_message).collect()
    }

    /// The hotline messages this node's party sent, with their delivery and read receipts.
    pub fn sent(&self) -> Result<Vec<SentMessage>, NodeError> {
        let store = self.store();
        let rows = store.sent()?;
        let invalid = |e: accord_model::IdError| NodeError::InvalidRecord(e.to_string());
        rows.into_iter()
            .map(|m| {
                let cosigned = store.acked(&m.recipient)? > m.index;
                Ok(SentMessage {
                    record: RecordId::new(m.record_id).map_err(invalid)?,
                    to: PartyId::new(m.recipient).map_err(invalid)?,
                    seq: m.seq,
                    index: m.index,
                    issued_at: m.issued_at,
                    delivered: cosigned || m.delivered_at.is_some(),
                    delivered_at: m.delivered_at,
                    read_at: m.read_at,
                })
            })
            .collect()
    }

    /// What the node runs with, in words: its party, storage and peers.
    pub fn describe(&self) -> Vec<String> {
        let trust = self.trust();
        let mut lines = vec![
            format!(
                "party {} (key {})",
                self.party,
                keys::fingerprint(&self.public_key())
            ),
            format!(
                "storage {} (SQLite {}, logs in {}/)",
                self.dir.display(),
                crate::store::DB_FILE,
                crate::store::LOGS_DIR
            ),
        ];
        if self.judge.held().is_empty() {
            lines.push("agreements: none (no findings are judged)".into());
        }
        for a in self.judge.held() {
            lines.push(format!("agreement {} (file SHA-256 {})", a.id, a.sha256));
        }
        if self.config.peers.is_empty() {
            lines.push("peers: none".into());
        }
        for p in &self.config.peers {
            lines.push(format!(
                "peer {} at {} ({})",
                p.party,
                p.url,
                if trust.key(p.party.as_str()).is_some() {
                    "in the trust file"
                } else {
                    "NOT in the trust file: its records are refused"
                }
            ));
        }
        lines
    }

    /// The sequence number the next hotline message to `to` must carry.
    pub fn next_seq(&self, to: &str) -> Result<u64, NodeError> {
        Ok(self.store().last_seq(self.party.as_str(), to)? + 1)
    }

    /// The next batch of our log for `peer` from `cursor`, as the JSON body to send, with the
    /// checkpoint size it covers; `None` when the peer has everything.
    pub fn outbox_batch(&self, cursor: u64) -> Result<Option<(Vec<u8>, u64)>, NodeError> {
        let store = self.store();
        let me = self.party.as_str();
        let rows = store.envelopes(me, cursor, self.config.batch as u64)?;
        let Some(last) = rows.last() else {
            return Ok(None);
        };
        let size = last.0 + 1;
        let root = store.root_at(me, size)?;
        drop(store);
        let checkpoint = self.sign_checkpoint(size, &root);
        let mut body = Vec::with_capacity(rows.iter().map(|r| r.1.len() + 32).sum::<usize>() + 512);
        body.extend_from_slice(b"{\"from\":");
        serde_json::to_writer(&mut body, &self.party).expect("json");
        body.extend_from_slice(b",\"checkpoint\":");
        serde_json::to_writer(&mut body, &checkpoint).expect("json");
        body.extend_from_slice(b",\"entries\":");
        crate::wire::write_log_entries(&mut body, &rows);
        body.push(b'}');
        Ok(Some((body, size)))
    }

    /// Checks a receipt from `peer` against our own log and keeps it.
    pub fn accept_receipt(&self, peer: &str, receipt: &Receipt) -> Result<(), NodeError> {
        let (size, cosignatures) = self.check_receipt(peer, &receipt.note)?;
        let store = self.store();
        for c in &cosignatures {
            // Kept for the engine: when the peer held our log at this size.
            store.record_cosignature(self.party.as_str(), size, peer, c.timestamp)?;
        }
        store.add_receipt(peer, size, &receipt.note)?;
        self.contacted(&store, peer, crate::health::Contact::Receipt);
        Ok(())
    }

    /// Checks a receipt note from `peer` against our own log; returns the size it cosigns and
    /// the peer's cosignatures on it.
    fn check_receipt(
        &self,
        peer: &str,
        receipt_note: &str,
    ) -> Result<(u64, Vec<accord_log::Cosignature>), NodeError> {
        let me = origin(self.party.as_str());
        let (cp, cosignatures) = self.verify_receipt_note(peer, receipt_note)?;
        let cp = note::Checkpoint {
            origin: cp.origin().to_owned(),
            size: cp.size(),
            root: cp.root().0,
        };
        if cp.origin != me {
            return Err(NodeError::BadNote(format!(
                "receipt from {peer} is not over a checkpoint of ours"
            )));
        }
        let store = self.store();
        if store.root_at(self.party.as_str(), cp.size)? != cp.root {
            return Err(NodeError::Conflict(format!(
                "receipt from {peer} cosigns a root we never had at size {}",
                cp.size
            )));
        }
        Ok((cp.size, cosignatures))
    }

    /// Checks a receipt note from `peer`: our checkpoint, signed by one of our keys (current or
    /// former), cosigned by a key of `peer` that counted when it cosigned (its cosignature's
    /// timestamp; a key revoked before then counts for nothing).
    fn verify_receipt_note(
        &self,
        peer: &str,
        note_text: &str,
    ) -> Result<(accord_log::SignedCheckpoint, Vec<accord_log::Cosignature>), NodeError> {
        let me = origin(self.party.as_str());
        let witness = witness_name(peer);
        // The peer's key, re-reading the trust file once if it lists none.
        self.peer_key(peer)?;
        let peer_keys = self.trust().keys(peer).to_vec();
        let own = self
            .signing
            .iter()
            .chain(&self.retired)
            .map(SigningKey::verifying_key);
        let mut last = None;
        for ours in own {
            for pk in &peer_keys {
                match accord_log::verify_cosigned(
                    note_text.as_bytes(),
                    &note::verifier_key(&me, &ours),
                    &[&note::cosigner_key(&witness, &pk.key)],
                ) {
                    Ok((cp, cosigs)) => match pk.period.why_not(cosigs[0].timestamp) {
                        None => return Ok((cp, cosigs)),
                        Some(why) => {
                            last = Some(format!(
                                "cosigned by key {} at {}, which does not count then ({why})",
                                key_id(&pk.key),
                                cosigs[0].timestamp
                            ))
                        }
                    },
                    Err(e) => {
                        if last.is_none() {
                            last = Some(e.to_string());
                        }
                    }
                }
            }
        }
        Err(NodeError::BadNote(format!(
            "receipt from {peer}: {}",
            last.unwrap_or_else(|| "no key to check it with".into())
        )))
    }

    /// Verifies every receipt held from `peer`; returns how many verified and the largest size.
    pub fn verify_receipts(&self, peer: &str) -> Result<(usize, u64), NodeError> {
        let receipts = self.store().receipts(peer)?;
        let mut max = 0;
        for (size, note) in &receipts {
            let (cosigned, _) = self.check_receipt(peer, note)?;
            if cosigned != *size {
                return Err(NodeError::Conflict(format!(
                    "the receipt from {peer} kept for size {size} cosigns size {cosigned}"
                )));
            }
            max = max.max(*size);
        }
        Ok((receipts.len(), max))
    }

    /// How many entries of our log `peer` has cosigned.
    pub fn acked(&self, peer: &str) -> Result<u64, NodeError> {
        self.store().acked(peer)
    }

    /// Every receipt held from `peer`, by size.
    pub fn receipts(&self, peer: &str) -> Result<Vec<(u64, String)>, NodeError> {
        self.store().receipts(peer)
    }

    /// Every log held with its size and root.
    pub fn logs(&self) -> BTreeMap<PartyId, LogState> {
        let store = self.store();
        store
            .logs()
            .into_iter()
            .filter_map(|l| {
                let st = LogState {
                    size: store.size(&l),
                    root: hex::encode(store.root(&l)),
                };
                PartyId::new(l).ok().map(|p| (p, st))
            })
            .collect()
    }

    /// The state summary: every log and a digest over them.
    pub fn state(&self) -> StateSummary {
        let logs = self.logs();
        let mut h = Sha256::new();
        for (p, s) in &logs {
            h.update(format!("{p} {} {}\n", s.size, s.root));
        }
        StateSummary {
            logs,
            digest: hex::encode(h.finalize()),
        }
    }

    /// The node's identity and status.
    pub fn info(&self) -> Result<NodeInfo, NodeError> {
        let vk = self.public_key();
        let trust = self.trust().clone();
        let peers = self
            .config
            .peers
            .iter()
            .map(|p| {
                Ok(PeerStatus {
                    party: p.party.clone(),
                    url: p.url.clone(),
                    trusted: trust.key(p.party.as_str()).is_some(),
                    acknowledged: self.acked(p.party.as_str())?,
                })
            })
            .collect::<Result<_, NodeError>>()?;
        Ok(NodeInfo {
            party: self.party.clone(),
            public_key: keys::public_key_text(&vk),
            fingerprint: keys::fingerprint(&vk),
            key_id: key_id(&vk),
            verifier_key: note::verifier_key(&origin(self.party.as_str()), &vk),
            peers,
            logs: self.logs(),
            agreements: self.judge.held().to_vec(),
        })
    }

    /// The latest checkpoint of `log` as a signed note.
    pub fn checkpoint(&self, log: &str) -> Result<String, NodeError> {
        self.store()
            .checkpoint(log, self.config.clock.unix_seconds())?
            .ok_or_else(|| NodeError::NotFound(format!("no log of party {log} here")))
    }

    /// The path of a file of `log`'s tlog-tiles directory (`tile/...`), if the log is held.
    pub fn log_file(&self, log: &str, path: &str) -> Option<PathBuf> {
        self.store().log_dir(log).map(|d| d.join(path))
    }

    /// Entries of `log` from `start`, at most `limit`.
    pub fn entries(
        &self,
        log: &str,
        start: u64,
        limit: u64,
    ) -> Result<Vec<(u64, Vec<u8>)>, NodeError> {
        self.store().envelopes(log, start, limit)
    }

    /// Every record of every log, decoded, with its log and index. Records are decoded once
    /// and kept: a call decodes only the entries appended since the last.
    pub fn all_records(&self) -> Result<Arc<Vec<LoggedRecord>>, NodeError> {
        let mut decoded = self.decoded.lock().unwrap_or_else(|p| p.into_inner());
        let store = self.store();
        let mut fresh = Vec::new();
        for log in store.logs() {
            let have = decoded.sizes.get(&log).copied().unwrap_or(0);
            let size = store.size(&log);
            if size > have {
                let rows = store.envelopes_from(&log, have, size)?;
                fresh.push((log, have, rows));
            }
        }
        drop(store);
        if !fresh.is_empty() {
            let Decoded { sizes, records } = &mut *decoded;
            let records = Arc::make_mut(records);
            for (log, first, rows) in fresh {
                let party = PartyId::new(log.as_str())
                    .map_err(|e| NodeError::InvalidRecord(e.to_string()))?;
                for (k, env) in rows.iter().enumerate() {
                    records.push((party.clone(), first + k as u64, decode_logged(env)?));
                }
                sizes.insert(log, first + rows.len() as u64);
            }
        }
        Ok(decoded.records.clone())
    }

    /// The escrow and selection records of `records` that failed their check on arrival.
    pub(crate) fn arrival_failures(&self, records: &[LoggedRecord]) -> Arc<crate::arrival::Checks> {
        self.judge.arrivals.failures(self, records)
    }

    /// The engine's findings at `at` over every log held, those of `filter` only.
    pub fn findings(&self, at: Instant, filter: &FindingFilter) -> Result<Findings, NodeError> {
        let records = self.all_records()?;
        let cosignatures = self.store().cosignatures()?;
        let checks = self.arrival_failures(&records);
        let started = std::time::Instant::now();
        let (all, unused, not_judged) = self.judge.findings(&records, &cosignatures, at, &checks);
        self.metrics.evaluated(started.elapsed());
        for w in &not_judged {
            tracing::warn!(log = %w.log, index = w.index, "{}", w.reason);
        }
        let findings: Vec<Finding> = all.iter().filter(|f| filter.admits(f)).cloned().collect();
        Ok(Findings {
            as_of: at.to_string(),
            agreements: self.judge.held().to_vec(),
            digest: accord_model::findings_digest(&findings),
            findings,
            unused,
            not_judged,
        })
    }
}

/// The file, in the data directory, of what this node cosigned as a C2SP tlog-witness.
pub const WITNESS_DB: &str = "witness.db";

impl Node {
    /// Answers a C2SP tlog-witness `add-checkpoint` request body: this node witnesses the log of
    /// every trusted party (its origin, signed with the party's key) and cosigns as
    /// `accord/witness/<own party>`; the new size is stored durably before the answer.
    pub fn add_checkpoint(
        &self,
        body: &[u8],
    ) -> Result<Vec<u8>, accord_log::witness::WitnessRefusal> {
        use accord_log::witness::{TrustedLogs, WitnessRefusal};
        let storage = |e: accord_log::LogError| WitnessRefusal::Storage(e.to_string());
        let mut logs = TrustedLogs::new();
        {
            let trust = self.trust();
            let at = self.unix_now();
            for party in trust.parties() {
                let name = origin(party.as_str());
                for k in trust.keys_at(party.as_str(), at) {
                    if let Ok(vkey) = accord_log::ed25519_vkey(&name, &k) {
                        logs.add(&name, &vkey).map_err(storage)?;
                    }
                }
            }
        }
        let key =
            accord_log::CosignerKey::new(&witness_name(self.party.as_str()), self.key.clone())
                .map_err(storage)?;
        let mut store =
            accord_log::WitnessStore::open(&self.dir.join(WITNESS_DB)).map_err(storage)?;
        let now = self.now().as_second().max(0) as u64;
        let answer = store.add_checkpoint(body, &logs, &key, now)?;
        self.keep_witnessed(body, now);
        Ok(answer)
    }

    /// Keeps the cosignature this node just made as a tlog-witness on a trusted party's log,
    /// for the engine; a failure to keep it is logged, the cosignature stands.
    fn keep_witnessed(&self, body: &[u8], now: u64) {
        let Some(cp) = accord_log::witness::AddCheckpoint::parse(body)
            .ok()
            .and_then(|req| accord_log::SignedCheckpoint::parse(&req.checkpoint).ok())
        else {
            return;
        };
        let party = self
            .trust
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .parties()
            .into_iter()
            .find(|p| origin(p.as_str()) == cp.origin())
            .map(|p| p.to_string());
        if let Some(party) = party
            && let Err(e) =
                self.store()
                    .record_cosignature(&party, cp.size(), self.party.as_str(), now)
        {
            tracing::warn!(log = %party, size = cp.size(), "cosignature not kept: {e}");
        }
    }
}

fn inbox_message(m: HeldMessage) -> Result<InboxMessage, NodeError> {
    let invalid = |e: accord_model::IdError| NodeError::InvalidRecord(e.to_string());
    Ok(InboxMessage {
        position: m.position.unwrap_or(0),
        record: RecordId::new(m.record_id).map_err(invalid)?,
        from: PartyId::new(m.sender).map_err(invalid)?,
        seq: m.seq,
        text: m.text,
        issued_at: m.issued_at,
        read: m.read_at.is_some(),
    })
}

/// Checks a hotline receipt the node's own party submits: only read receipts (the node logs
/// delivery receipts itself), for a message in the inbox, named without ambiguity.
fn check_own_receipt(
    store: &Store,
    id: &RecordId,
    receipt: &HotlineReceipt,
) -> Result<(), NodeError> {
    let rule = |reason: String| NodeError::Rule(format!("record {id}: {reason}"));
    if receipt.kind != HotlineReceiptKind::Read {
        return Err(rule(
            "delivery receipts are logged by the node when a message arrives".into(),
        ));
    }
    let from = receipt.from.as_ref().map(PartyId::as_str);
    match store.inbox_message(from, receipt.message.as_str())?.len() {
        1 => Ok(()),
        0 => Err(rule(format!(
            "field `body.message` names {}{}, which is not in the inbox",
            receipt.message,
            from.map(|f| format!(" from {f}")).unwrap_or_default()
        ))),
        _ => Err(rule(format!(
            "field `body.message` names {}, which several senders used: give `body.from`",
            receipt.message
        ))),
    }
}
