//! The node's core: intake of its own party's records, intake of peers' logs with receipts, the
//! hotline inbox, and the derived views (state digest, deadlines and findings).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock};

use accord_model::envelope::{Envelope, EnvelopeError, key_id};
use accord_model::{
    HotlineReceipt, HotlineReceiptKind, Instant, PartyId, Record, RecordBody, RecordId,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::NodeError;
use crate::keys::{self, Trust};
use crate::note::{self, Note, checkpoint_body, origin, witness_name};
use crate::rules::{self, RuleContext};
use crate::store::{InboxEntry, NewEntry, Store};
use crate::wire::{
    ExchangeRequest, Findings, HotlineAccepted, HotlinePush, InboxMessage, LogState, NodeInfo,
    PeerStatus, Receipt, StateSummary, Submitted,
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
}

impl Config {
    /// A configuration with the default batch size (1,000) and body limit (8 MiB).
    pub fn new(party: PartyId, data: PathBuf, peers: Vec<PeerConfig>) -> Self {
        Config {
            party,
            data,
            peers,
            batch: 1000,
            max_body: 8 << 20,
        }
    }
}

/// A running node's state, shared by the HTTP handlers and the outbox workers.
#[derive(Debug)]
pub struct Node {
    /// The node's party.
    pub party: PartyId,
    key: SigningKey,
    dir: PathBuf,
    trust: RwLock<Trust>,
    store: Mutex<Store>,
    /// The configuration.
    pub config: Config,
    /// Bumped whenever the own log grows, to wake the outbox workers.
    pub(crate) outbox_wake: tokio::sync::watch::Sender<u64>,
    /// Bumped whenever the hotline inbox changes, to wake long polls.
    pub(crate) inbox_wake: tokio::sync::watch::Sender<u64>,
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

/// The instant now.
pub fn now() -> Instant {
    jiff::Timestamp::now()
}

/// Decodes a logged envelope's record without checking its signature (checked at intake).
pub fn decode_logged(bytes: &[u8]) -> Result<Record, NodeError> {
    let env = Envelope::from_json(bytes).map_err(|e| NodeError::Malformed(e.to_string()))?;
    let payload = B64
        .decode(&env.payload)
        .map_err(|e| NodeError::Malformed(e.to_string()))?;
    serde_json::from_slice(&payload).map_err(|e| NodeError::InvalidRecord(e.to_string()))
}

fn entry_of(record: &Record, env: &Envelope) -> NewEntry {
    entry_of_record(record, env.to_json())
}

/// The index entry of a record whose envelope bytes are `envelope`.
pub(crate) fn entry_of_record(record: &Record, envelope: Vec<u8>) -> NewEntry {
    NewEntry {
        record_id: record.id.to_string(),
        kind: record.body.kind().to_owned(),
        hotline: match &record.body {
            RecordBody::HotlineMessage(m) => Some((m.to.to_string(), m.seq)),
            _ => None,
        },
        envelope,
    }
}

/// What an intake did besides logging, for the HTTP layer to act on.
#[derive(Debug, Default)]
pub struct Effects {
    /// Hotline messages just logged by this node: (recipient, index, envelope).
    pub pushes: Vec<(PartyId, u64, Envelope)>,
}

impl Node {
    /// Opens a node: loads or makes its key, reads the trust file, opens the store.
    pub fn open(config: Config) -> Result<Node, NodeError> {
        let key = keys::load_or_create_key(&config.data)?;
        let trust = Trust::load(&config.data)?;
        let store = Store::open(&config.data, config.party.as_str(), &key)?;
        let size = store.size(config.party.as_str());
        Ok(Node {
            party: config.party.clone(),
            key,
            dir: config.data.clone(),
            trust: RwLock::new(trust),
            store: Mutex::new(store),
            config,
            outbox_wake: tokio::sync::watch::channel(size).0,
            inbox_wake: tokio::sync::watch::channel(0).0,
        })
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
        if let Some(k) = self.trust.read().expect("trust lock").key(party) {
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
        let t = Trust::load(&self.dir)?;
        *self.trust.write().expect("trust lock") = t;
        Ok(())
    }

    /// The party whose key signed an envelope (its first signature's key id).
    fn signer_of(&self, env: &Envelope) -> Result<(PartyId, VerifyingKey), NodeError> {
        let keyid = env
            .signatures
            .first()
            .map(|s| s.keyid.clone())
            .ok_or_else(|| NodeError::BadSignature("the envelope carries no signature".into()))?;
        if keyid == key_id(&self.public_key()) {
            return Ok((self.party.clone(), self.public_key()));
        }
        let lookup = |t: &Trust| t.party_of_keyid(&keyid).cloned();
        let mut party = lookup(&self.trust.read().expect("trust lock"));
        if party.is_none() {
            self.reload_trust()?;
            party = lookup(&self.trust.read().expect("trust lock"));
        }
        let party = party.ok_or_else(|| {
            NodeError::UnknownParty(format!(
                "key id {keyid} belongs to no party in the trust file of {}",
                self.party
            ))
        })?;
        let key = self.peer_key(party.as_str())?;
        Ok((party, key))
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
        n.sign(&name, &self.key);
        n.to_text()
    }

    /// Signs a record with the node's key.
    pub fn sign(&self, record: &Record) -> Envelope {
        Envelope::sign_record(record, &self.key)
    }

    /// Takes envelopes signed by the node's own party and appends them to its log.
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
        let mut store = self.store();
        let (first, effects) = self.append_own(&mut store, records.clone(), &parties)?;
        // Read receipts mark the inbox.
        for (r, _) in &records {
            if let RecordBody::HotlineReceipt(HotlineReceipt {
                message,
                kind: HotlineReceiptKind::Read,
            }) = &r.body
            {
                store.mark_read(message.as_str())?;
            }
        }
        let checkpoint = store
            .checkpoint(self.party.as_str())?
            .expect("checkpoint written with the append");
        drop(store);
        Ok((
            Submitted {
                first_index: first,
                count: records.len() as u64,
                records: records.into_iter().map(|(r, _)| r.id).collect(),
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
        let me = self.party.as_str();
        let mut ctx = RuleContext {
            parties,
            now: now(),
            next_seq: HashMap::new(),
        };
        let mut seen = BTreeSet::new();
        for (r, _) in &records {
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
        }
        let first = store.size(me);
        let entries: Vec<NewEntry> = records.iter().map(|(r, e)| entry_of(r, e)).collect();
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
    pub fn receive(&self, req: ExchangeRequest) -> Result<(Receipt, Effects), NodeError> {
        let from = req.from.as_str();
        if req.from == self.party {
            return Err(NodeError::WrongParty(format!(
                "a batch from {from} sent to {from}'s own node"
            )));
        }
        let from_key = self.peer_key(from)?;
        let note = Note::parse(&req.checkpoint)?;
        let name = origin(from);
        if !note.verify(&name, &from_key) {
            return Err(NodeError::BadSignature(format!(
                "the checkpoint is not signed by {from}'s key as {name}"
            )));
        }
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
            now: now(),
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
        let mut new: Vec<(Record, Envelope)> = Vec::new();
        let mut seen = BTreeSet::new();
        for entry in req.entries {
            let expected = size + new.len() as u64;
            if entry.index < size && new.is_empty() {
                // A repeated delivery: harmless if identical.
                let held = store
                    .envelope_at(from, entry.index)?
                    .expect("indices below the size are held");
                if held != entry.envelope.to_json() {
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
            new.push((record, entry.envelope));
        }
        let end = size + new.len() as u64;
        let witness = witness_name(self.party.as_str());
        let cosigner = accord_log::CosignerKey::new(&witness, self.key.clone())
            .map_err(crate::store::log_error)?;
        let cosign = |mut n: Note| -> Result<String, NodeError> {
            n.sigs.retain(|(k, _)| *k == name);
            let bytes = cosigner
                .cosign_note(n.to_text().as_bytes(), now().as_second().max(0) as u64)
                .map_err(crate::store::log_error)?;
            String::from_utf8(bytes).map_err(|e| NodeError::BadNote(e.to_string()))
        };
        let receipt_note = if new.is_empty() {
            if cp.size > size || store.root_at(from, cp.size)? != cp.root {
                return Err(NodeError::Conflict(format!(
                    "checkpoint of {from} at size {} does not match the mirror (size {size})",
                    cp.size
                )));
            }
            cosign(note)?
        } else {
            if cp.size != end {
                return Err(NodeError::Malformed(format!(
                    "checkpoint size {} but the entries end at {end}",
                    cp.size
                )));
            }
            let entries: Vec<NewEntry> = new.iter().map(|(r, e)| entry_of(r, e)).collect();
            let text = cosign(note.clone())?;
            let vkey = note::verifier_key(&name, &from_key);
            store.append_mirror(from, &vkey, &entries, &req.checkpoint, &text)?;
            text
        };
        // Hotline messages for this node go to the inbox; new ones get a delivery receipt.
        let mut effects = Effects::default();
        let mut delivered = Vec::new();
        for (r, _) in &new {
            if let RecordBody::HotlineMessage(m) = &r.body
                && m.to == self.party
                && store.inbox_insert(&inbox_entry(r, m))?
            {
                delivered.push(r.id.clone());
            }
        }
        if !delivered.is_empty() {
            effects = self.deliver_receipts(&mut store, delivered, &parties)?;
        }
        drop(store);
        Ok((
            Receipt {
                witness: self.party.clone(),
                size: cp.size,
                note: receipt_note,
            },
            effects,
        ))
    }

    fn deliver_receipts(
        &self,
        store: &mut Store,
        messages: Vec<RecordId>,
        parties: &BTreeSet<PartyId>,
    ) -> Result<Effects, NodeError> {
        self.inbox_wake.send_modify(|v| *v += 1);
        let records: Vec<(Record, Envelope)> = messages
            .into_iter()
            .map(|m| {
                let r = Record {
                    id: RecordId::new(format!("{}-delivered-{m}", self.party))
                        .map_err(|e| NodeError::InvalidRecord(e.to_string()))?,
                    party: self.party.clone(),
                    issued_at: now(),
                    body: RecordBody::HotlineReceipt(HotlineReceipt {
                        message: m,
                        kind: HotlineReceiptKind::Delivered,
                    }),
                };
                let e = self.sign(&r);
                Ok((r, e))
            })
            .collect::<Result<_, NodeError>>()?;
        Ok(self.append_own(store, records, parties)?.1)
    }

    /// Takes a hotline message pushed ahead of the log exchange.
    pub fn hotline_push(&self, push: HotlinePush) -> Result<(HotlineAccepted, Effects), NodeError> {
        let (signer, key) = self.signer_of(&push.envelope)?;
        if signer == self.party {
            return Err(NodeError::WrongParty(format!(
                "a hotline message from {signer} pushed to {signer}'s own node"
            )));
        }
        let record = push
            .envelope
            .open_record(signer.as_str(), &key)
            .map_err(envelope_error)?;
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
        let parties = self.parties();
        let mut store = self.store();
        if let Some(held) = store.envelope_at(signer.as_str(), push.index)?
            && held != push.envelope.to_json()
        {
            return Err(NodeError::Conflict(format!(
                "entry {} of {signer}'s log differs from the one already mirrored",
                push.index
            )));
        }
        let new = store.inbox_insert(&inbox_entry(&record, m))?;
        let effects = if new {
            self.deliver_receipts(&mut store, vec![record.id.clone()], &parties)?
        } else {
            Effects::default()
        };
        Ok((
            HotlineAccepted {
                record: record.id,
                new,
            },
            effects,
        ))
    }

    /// Released hotline messages after `after`, at most `limit`.
    pub fn inbox(&self, after: u64, limit: u64) -> Result<Vec<InboxMessage>, NodeError> {
        let rows = self.store().inbox(after, limit)?;
        rows.into_iter()
            .map(|(position, record, from, seq, text, issued_at, read)| {
                Ok(InboxMessage {
                    position,
                    record: RecordId::new(record)
                        .map_err(|e| NodeError::InvalidRecord(e.to_string()))?,
                    from: PartyId::new(from)
                        .map_err(|e| NodeError::InvalidRecord(e.to_string()))?,
                    seq,
                    text,
                    issued_at,
                    read,
                })
            })
            .collect()
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
        let key = self.peer_key(peer)?;
        let me = origin(self.party.as_str());
        let (cp, _) = accord_log::verify_cosigned(
            receipt.note.as_bytes(),
            &note::verifier_key(&me, &self.public_key()),
            &[&note::cosigner_key(&witness_name(peer), &key)],
        )
        .map_err(|e| NodeError::BadNote(format!("receipt from {peer}: {e}")))?;
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
        store.add_receipt(peer, cp.size, &receipt.note)
    }

    /// Verifies every receipt held from `peer`; returns how many verified and the largest size.
    pub fn verify_receipts(&self, peer: &str) -> Result<(usize, u64), NodeError> {
        let receipts = self.store().receipts(peer)?;
        let mut max = 0;
        for (size, note) in &receipts {
            self.accept_receipt(
                peer,
                &Receipt {
                    witness: PartyId::new(peer).map_err(|e| NodeError::Malformed(e.to_string()))?,
                    size: *size,
                    note: note.clone(),
                },
            )?;
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
        let trust = self.trust.read().expect("trust lock").clone();
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
        })
    }

    /// The latest checkpoint of `log` as a signed note.
    pub fn checkpoint(&self, log: &str) -> Result<String, NodeError> {
        self.store()
            .checkpoint(log)?
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

    /// Every record of every log, decoded, with its log and index.
    pub fn all_records(&self) -> Result<Vec<(PartyId, u64, Record)>, NodeError> {
        let rows = self.store().all_envelopes()?;
        rows.into_iter()
            .map(|(log, idx, env)| {
                Ok((
                    PartyId::new(log).map_err(|e| NodeError::InvalidRecord(e.to_string()))?,
                    idx,
                    decode_logged(&env)?,
                ))
            })
            .collect()
    }

    /// The deadlines and findings at `at`, computed from every log held.
    pub fn findings(&self, at: Instant) -> Result<Findings, NodeError> {
        let records = self.all_records()?;
        let parties: Vec<PartyId> = self.parties().into_iter().collect();
        Ok(crate::deadlines::evaluate(&records, &parties, at))
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
            let trust = self.trust.read().expect("trust lock");
            for party in trust.parties() {
                let name = origin(party.as_str());
                if let Some(vkey) = trust
                    .key(party.as_str())
                    .and_then(|k| accord_log::ed25519_vkey(&name, k).ok())
                {
                    logs.add(&name, &vkey).map_err(storage)?;
                }
            }
        }
        let key =
            accord_log::CosignerKey::new(&witness_name(self.party.as_str()), self.key.clone())
                .map_err(storage)?;
        let mut store =
            accord_log::WitnessStore::open(&self.dir.join(WITNESS_DB)).map_err(storage)?;
        store.add_checkpoint(body, &logs, &key, now().as_second().max(0) as u64)
    }
}

fn inbox_entry(r: &Record, m: &accord_model::HotlineMessage) -> InboxEntry {
    InboxEntry {
        record_id: r.id.to_string(),
        sender: r.party.to_string(),
        seq: m.seq,
        text: m.text.clone(),
        issued_at: r.issued_at.to_string(),
    }
}
