//! The node's core: intake of its own party's records, intake of peers' logs with receipts, the
//! hotline inbox, and the derived views (state digest, deadlines and findings).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
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
use crate::rules::{self, RuleContext};
use crate::scope::{LogName, Scope};
use crate::store::{HeldMessage, HotlineIndex, NewEntry, Store};
use crate::wire::{
    Finality, Findings, InboxMessage, LogState, LoggedAt, NodeInfo, PeerStatus, Receipt,
    SentMessage, StateSummary, Submitted, WitnessStatus,
};
use accord_log::mirror::{
    AddEntries, MirrorInfo, hash_of_leaves, package_base, packages, read_package,
    verify_subtree_consistency,
};
use accord_log::witness::{PolicyWitness, WitnessPolicy};
use accord_log::{SignedCheckpoint, ed25519_cosigner_vkey, ed25519_vkey};

/// The origin line of a party's log.
pub fn origin(party: &str) -> String {
    accord_model::log_origin(party)
}

/// The name under which a party cosigns other parties' checkpoints as their witness.
pub fn witness_name(party: &str) -> String {
    format!("accord/witness/{party}")
}

/// The name under which a party cosigns the checkpoints of the logs it mirrors (a C2SP
/// tlog-mirror cosignature: the entries are stored and served).
pub fn mirror_name(party: &str) -> String {
    format!("accord/mirror/{party}")
}

/// The name of the log whose origin is `origin` (the origin without `accord/log/`, such as
/// `US` or `US/new-start`), if it is an accord log origin ([`crate::scope`]).
pub fn party_of_origin(origin: &str) -> Option<&str> {
    origin
        .strip_prefix("accord/log/")
        .filter(|k| LogName::parse_key(k).is_ok())
}

/// A witness the node asks to cosign its checkpoints.
#[derive(Debug)]
pub struct WitnessTarget {
    /// Its cosigner name.
    pub name: String,
    /// Its cosigner verifier key, or why it is unknown (a peer missing from the trust file).
    pub vkey: Result<String, NodeError>,
    /// Its submission prefix.
    pub url: String,
    /// The peer's party, if the witness is a peer that also mirrors the node's log.
    pub peer: Option<PartyId>,
}

/// A witness other than the peers: its cosigner name, key and URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitnessConfig {
    /// The witness's cosigner verifier key (`<name>+<key id>+<base64>`); its name is the key's.
    pub vkey: String,
    /// The witness's submission prefix, such as `http://127.0.0.1:7400`.
    pub url: String,
}

impl WitnessConfig {
    /// The witness's name: the name in its key.
    pub fn name(&self) -> &str {
        self.vkey.split('+').next().unwrap_or_default()
    }
}

/// A witness policy of an agreement: its checkpoints are final once `threshold` of
/// `witnesses` (peers' party ids or other witnesses' names) cosigned them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyConfig {
    /// The agreement.
    pub agreement: accord_model::AgreementId,
    /// How many must cosign (k).
    pub threshold: usize,
    /// The witnesses (n): party ids of peers, or names of the configured witnesses.
    pub witnesses: Vec<String>,
}

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
    /// Witnesses asked to cosign the node's checkpoints besides the peers.
    pub witnesses: Vec<WitnessConfig>,
    /// The witness policy of each agreement that has one.
    pub policies: Vec<PolicyConfig>,
    /// Where alerts go and when a deadline alerts.
    pub alerts: crate::alerts::AlertConfig,
    /// Whether the node serves TLS (its certificate made from its key, peers pinned by the
    /// trust file) rather than plain HTTP.
    pub tls: bool,
    /// Where the node keeps its tables and its logs' sequencing (SQLite in `data` by default).
    pub database: crate::store::DatabaseChoice,
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
            witnesses: Vec::new(),
            policies: Vec::new(),
            alerts: crate::alerts::AlertConfig::default(),
            tls: false,
            database: crate::store::DatabaseChoice::Sqlite,
        }
    }
}

/// Records that failed their check on arrival, by (log, index).
type FailedByEntry = BTreeMap<(PartyId, u64), crate::arrival::FailedRecord>;

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
    /// Bumped whenever an own log grows, to wake the outbox workers.
    pub(crate) outbox_wake: tokio::sync::watch::Sender<u64>,
    /// Bumped whenever the hotline inbox changes, to wake long polls.
    pub(crate) inbox_wake: tokio::sync::watch::Sender<u64>,
    /// Bumped whenever records or cosignatures arrive, to bring the findings up to date.
    pub(crate) findings_wake: tokio::sync::watch::Sender<u64>,
    /// The changes of the findings at the node's clock, as they are brought up to date.
    pub(crate) finding_changes: tokio::sync::broadcast::Sender<Arc<crate::wire::FindingChange>>,
    /// Records decoded from every log, kept for the findings so that a call does not re-read
    /// the logs.
    decoded: Mutex<Decoded>,
    /// The compliance engine over the logs.
    judge: crate::judge::Judge,
    /// Entries of peers' logs received by `add-entries` and authenticated against a pending
    /// checkpoint, held until every entry up to that checkpoint is here.
    held: Mutex<HashMap<String, BTreeMap<u64, Vec<u8>>>>,
    /// Records of the own logs that peers reported failing their check on arrival, by peer.
    reported: Mutex<BTreeMap<PartyId, FailedByEntry>>,
    /// The figures served at `/metrics`.
    pub metrics: crate::metrics::Metrics,
    /// Whether the node signs its own log now.
    sign_state: Mutex<Signing>,
    /// Notified when `signing` changes.
    signing_changed: Condvar,
    /// What this node cosigned as a tlog-witness, opened once; requests that arrive together
    /// share one durable commit.
    witness: accord_log::SharedWitnessStore,
}

/// Whether a node signs its own log.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Signing {
    /// It signs.
    Open,
    /// Not yet: it is asking its witnesses what they cosigned ([`crate::restored`]).
    Asking,
    /// Never again until its operator steps in, for this reason.
    Refused(String),
}

/// How long a submission waits for the node to finish asking its witnesses at start.
const ASKING_WAIT: Duration = Duration::from_secs(30);

/// Which findings an answer holds: all, or those of one agreement, party or severity.
#[derive(Debug, Clone, Default)]
pub struct FindingFilter {
    /// Only this agreement's.
    pub agreement: Option<accord_model::AgreementId>,
    /// Only this party's.
    pub party: Option<PartyId>,
    /// Only findings of this severity.
    pub severity: Option<accord_model::Severity>,
    /// Only the findings this trusted party may see: of an agreement it is party to (or of
    /// none the node holds), every record of their evidence in a log it reads.
    pub reader: Option<PartyId>,
}

impl FindingFilter {
    fn admits(&self, f: &Finding) -> bool {
        self.agreement.as_ref().is_none_or(|a| *a == f.agreement)
            && self.party.as_ref().is_none_or(|p| *p == f.party)
            && self.severity.is_none_or(|s| s == f.severity)
    }
}

/// How many changes of the findings a slow reader of the stream may fall behind by before it
/// is told it missed some.
const FINDING_CHANGES_KEPT: usize = 4096;

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

/// The most entries an `add-entries` request may send again that the mirror already holds.
const MAX_EXCESS_ENTRIES: u64 = 1 << 16;

/// What the mirror answers to an `add-entries` request it takes.
#[derive(Debug)]
pub enum MirrorAnswer {
    /// 200: every entry up to the checkpoint is stored; the mirror's cosignature line on it.
    Cosigned {
        /// The cosignature line (`— <name> <base64>` and a newline).
        line: Vec<u8>,
        /// The entries of the upload that failed their check on arrival, listed to the sender
        /// in the [`crate::wire::FAILED_RECORDS_HEADER`] header.
        failed: Vec<crate::arrival::FailedRecord>,
    },
    /// 202: some entries are held; the upload goes on from `next`.
    Partial(MirrorInfo),
}

/// Why the mirror refuses an `add-entries` request, as the HTTP answer C2SP tlog-mirror gives.
#[derive(Debug)]
pub enum MirrorRefusal {
    /// 400: the body is malformed or holds no whole entry package.
    BadRequest(String),
    /// 404: the origin is not the log of a trusted peer.
    UnknownLog(String),
    /// 409: the sizes do not fit the mirror's state, which the body gives.
    Conflict(MirrorInfo),
    /// 422: no checkpoint of the log was added, or a package's proof does not verify.
    Unprocessable(String),
    /// The entries are authentic but not acceptable records, or the node failed.
    Node(NodeError),
}

impl From<NodeError> for MirrorRefusal {
    fn from(e: NodeError) -> Self {
        MirrorRefusal::Node(e)
    }
}

impl Node {
    /// Opens a node: loads or makes its key, reads the trust file, opens the store, and logs
    /// the delivery receipts a crash may have left unwritten.
    pub fn open(config: Config) -> Result<Node, NodeError> {
        crate::tls::install_provider();
        keys::check_party(&config.party)?;
        let key = keys::load_or_create_key(&config.data)?;
        let trust_stamp = keys::trust_file_stamp(&config.data);
        let trust = Trust::load(&config.data)?;
        let at = keys::unix_seconds(config.clock.now());
        let signing = keys::signing_keys(&config.data, config.party.as_str(), &trust, at)?;
        let retired = keys::retired_keys(&config.data)?;
        let store = Store::open_in(
            &config.data,
            &config.database,
            config.party.as_str(),
            &signing,
            &retired,
        )?;
        let judge = crate::judge::Judge::new(&config.agreements);
        let witness = config.database.witness(&config.data)?;
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
            outbox_wake: tokio::sync::watch::channel(0).0,
            inbox_wake: tokio::sync::watch::channel(0).0,
            findings_wake: tokio::sync::watch::channel(0).0,
            finding_changes: tokio::sync::broadcast::channel(FINDING_CHANGES_KEPT).0,
            decoded: Mutex::new(Decoded::default()),
            judge,
            held: Mutex::new(HashMap::new()),
            reported: Mutex::new(BTreeMap::new()),
            metrics: crate::metrics::Metrics::new(),
            sign_state: Mutex::new(Signing::Open),
            signing_changed: Condvar::new(),
            witness,
        };
        for policy in &node.config.policies {
            node.policy(policy)?;
        }
        node.check_open_sources()?;
        let parties = node.parties();
        let mut store = node.store();
        node.deliver_pending(&mut store, &parties)?;
        drop(store);
        Ok(node)
    }

    /// Refuses a trust file that marks a party of a held agreement as an open-source party:
    /// findings on an open-source party's records have the open-sources basis, which a State
    /// party's reports never have.
    fn check_open_sources(&self) -> Result<(), NodeError> {
        let trust = self.trust();
        for party in trust.open_sources() {
            if let Some(a) = self
                .judge
                .agreements()
                .iter()
                .find(|a| a.parties.contains(party))
            {
                return Err(NodeError::Config {
                    file: self.dir.join(keys::TRUST_FILE),
                    reason: format!(
                        "parties.{party}: role \"open-sources\", but {party} is a party of {}",
                        a.id
                    ),
                });
            }
        }
        Ok(())
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

    /// The node's TLS configurations (server and client), its certificate made from its key
    /// at first start and kept in the data directory: servers it calls are pinned by the trust
    /// file's keys, clients it answers by `clients`.
    pub fn tls(
        self: &Arc<Self>,
        clients: Arc<dyn crate::tls::Pins>,
    ) -> Result<(rustls::ServerConfig, rustls::ClientConfig), NodeError> {
        let cert = crate::tls::certificate(&self.dir, &self.key, &self.party)?;
        let servers: Arc<dyn crate::tls::Pins> = self.clone();
        Ok((
            crate::tls::server_config(cert.clone(), &self.key, clients)?,
            crate::tls::client_config(cert, &self.key, servers)?,
        ))
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
        self.trust().key(party).copied().ok_or_else(|| {
            NodeError::UnknownParty(format!(
                "party {party} is not in the trust file of {}",
                self.party
            ))
        })
    }

    fn reload_trust(&self) -> Result<(), NodeError> {
        let stamp = keys::trust_file_stamp(&self.dir);
        let t = Trust::load(&self.dir)?;
        *self.trust.write().unwrap_or_else(|p| p.into_inner()) = t;
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
        let mut s: BTreeSet<PartyId> = self.trust().parties().cloned().collect();
        s.insert(self.party.clone());
        s
    }

    /// Holds the node's signing of its own log until [`Node::open_signing`] or
    /// [`Node::refuse_signing`]: while it asks its witnesses what they cosigned.
    pub fn hold_signing(&self) {
        self.set_signing(Signing::Asking);
    }

    /// Lets the node sign its log again after [`Node::hold_signing`] (unless it refused), and
    /// logs the delivery receipts held meanwhile.
    pub fn open_signing(&self) -> Result<(), NodeError> {
        {
            let mut state = self.sign_state.lock().unwrap_or_else(|p| p.into_inner());
            if *state != Signing::Asking {
                return Ok(());
            }
            *state = Signing::Open;
        }
        self.signing_changed.notify_all();
        let parties = self.parties();
        let mut store = self.store();
        self.deliver_pending(&mut store, &parties)
    }

    /// Stops the node signing its log from now on, for `reason` (a witness cosigned more of its
    /// log than it holds, or another history: [`crate::restored`]).
    pub fn refuse_signing(&self, reason: String) {
        self.set_signing(Signing::Refused(reason));
    }

    fn set_signing(&self, to: Signing) {
        *self.sign_state.lock().unwrap_or_else(|p| p.into_inner()) = to;
        self.signing_changed.notify_all();
    }

    /// Why the node signs nothing, if it refuses.
    pub fn signing_refused(&self) -> Option<String> {
        match &*self.sign_state.lock().unwrap_or_else(|p| p.into_inner()) {
            Signing::Refused(why) => Some(why.clone()),
            _ => None,
        }
    }

    /// Waits (at most [`ASKING_WAIT`]) while the node asks its witnesses; fails if it refuses
    /// to sign or is still asking.
    fn may_sign(&self, wait: Duration) -> Result<(), NodeError> {
        let state = self.sign_state.lock().unwrap_or_else(|p| p.into_inner());
        let (state, _) = self
            .signing_changed
            .wait_timeout_while(state, wait, |s| *s == Signing::Asking)
            .unwrap_or_else(|p| p.into_inner());
        match &*state {
            Signing::Open => Ok(()),
            Signing::Refused(why) => Err(NodeError::Conflict(why.clone())),
            Signing::Asking => Err(NodeError::Conflict(
                "the node is still asking its witnesses what they cosigned of its log; \
                 try again shortly"
                    .into(),
            )),
        }
    }

    /// The signed-note verifier keys of our own log of origin `name`: every key of ours,
    /// current or former.
    fn own_vkeys(&self, name: &str) -> Result<Vec<String>, NodeError> {
        self.signing
            .iter()
            .chain(&self.retired)
            .map(|k| ed25519_vkey(name, &k.verifying_key()).map_err(crate::store::log_error))
            .collect()
    }

    /// The instant now in Unix seconds, as key periods count it.
    fn unix_now(&self) -> u64 {
        keys::unix_seconds(self.now())
    }

    /// The keys of `party` under signed-note `name` (its log origin) with their periods,
    /// re-reading the trust file once if it lists none.
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
    pub fn submit(&self, envelopes: Vec<Envelope>) -> Result<Submitted, NodeError> {
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
        self.may_sign(ASKING_WAIT)?;
        let mut store = self.store();
        for (r, _) in &records {
            if let RecordBody::HotlineReceipt(receipt) = &r.body {
                check_own_receipt(&store, &r.id, receipt)?;
            }
        }
        let ids: Vec<RecordId> = records.iter().map(|(r, _)| r.id.clone()).collect();
        let at = self.append_own(&mut store, records, &parties)?;
        let mut checkpoints = Vec::new();
        let mut written: Vec<&str> = Vec::new();
        for (log, _) in &at {
            if !written.contains(&log.as_str()) {
                written.push(log);
                checkpoints.push(store.own_checkpoint(log)?);
            }
        }
        drop(store);
        Ok(Submitted {
            count: ids.len() as u64,
            logged: ids
                .into_iter()
                .zip(at)
                .map(|(record, (log, index))| LoggedAt {
                    record,
                    origin: origin(&log),
                    index,
                })
                .collect(),
            checkpoints,
        })
    }

    /// The parties of agreement `id` as the agreement file the node holds lists them.
    pub fn agreement_parties(&self, id: &accord_model::AgreementId) -> Option<Vec<PartyId>> {
        self.judge
            .agreements()
            .iter()
            .find(|a| a.id == *id)
            .map(|a| a.parties.clone())
    }

    /// Whether `party` may read the entries of a log of `scope`: every trusted party the public
    /// logs, an agreement's parties (by the node's agreement file) its logs, a channel's ends
    /// its log.
    pub fn reads(&self, party: &PartyId, scope: &Scope) -> bool {
        scope.includes(party, |a| self.agreement_parties(a))
    }

    /// The own log a record of this node's party goes to ([`LogName::for_record`]); a record
    /// under an agreement the node holds no file of is refused.
    fn own_log_for(
        &self,
        store: &Store,
        batch: &HashMap<RecordId, String>,
        record: &Record,
    ) -> Result<String, NodeError> {
        // A record answered is found among the batch's records first, then in the logs held.
        let log = LogName::for_record(&self.party, record, |id| {
            batch
                .get(id)
                .cloned()
                .or_else(|| store.log_of_record(id.as_str()).ok().flatten())
                .and_then(|l| LogName::parse_key(&l).ok())
        });
        if let Scope::Agreement(a) = &log.scope {
            let held = self.agreement_parties(a).ok_or_else(|| {
                NodeError::Rule(format!(
                    "record {}: agreement {a} is not held by this node (no agreement file), so \
                     it keeps no log for it",
                    record.id
                ))
            })?;
            if !held.contains(&self.party) {
                return Err(NodeError::Rule(format!(
                    "record {}: {} is not a party of {a}",
                    record.id, self.party
                )));
            }
        }
        // Agreement ids a log name cannot hold, or the node's database, are refused before
        // anything is written.
        LogName::parse_key(&log.key())
            .map_err(|e| NodeError::Rule(format!("record {}: {e}", record.id)))?;
        if let crate::store::DatabaseChoice::Postgres(_) = self.config.database {
            crate::store::postgres::checked_log_schema(&log.key())
                .map_err(|e| NodeError::Rule(format!("record {}: {e}", record.id)))?;
        }
        Ok(log.key())
    }

    /// Checks and appends records of this node's party to its own logs, each to the log of its
    /// scope; returns the log of the first record and its index there.
    fn append_own(
        &self,
        store: &mut Store,
        records: Vec<(Record, Envelope)>,
        parties: &BTreeSet<PartyId>,
    ) -> Result<Vec<(String, u64)>, NodeError> {
        self.may_sign(Duration::ZERO)?;
        let me = self.party.as_str();
        let open_sources = self.trust().open_sources().clone();
        let mut ctx = RuleContext {
            parties,
            open_sources: &open_sources,
            now: self.now(),
            next_seq: HashMap::new(),
        };
        let mut seen = BTreeSet::new();
        // Entries by log, the logs in the order of their first record.
        let mut by_log: Vec<(String, Vec<NewEntry>)> = Vec::new();
        let mut batch: HashMap<RecordId, String> = HashMap::new();
        // Each record's log and its place among that log's new entries.
        let mut placed: Vec<(String, u64)> = Vec::with_capacity(records.len());
        for (r, e) in &records {
            let bytes = e.to_json();
            check_entry_size(&r.id, bytes.len())?;
            if let Some((log, i)) = store.find_of_party(me, r.id.as_str())? {
                return Err(NodeError::Replay(format!(
                    "record {} is already in the log {log} at index {i}",
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
            let log = self.own_log_for(store, &batch, r)?;
            batch.insert(r.id.clone(), log.clone());
            let entry = entry_of_record(r, bytes);
            let entries = match by_log.iter_mut().find(|(l, _)| *l == log) {
                Some((_, entries)) => entries,
                None => {
                    by_log.push((log.clone(), Vec::new()));
                    let last = by_log.len() - 1;
                    &mut by_log[last].1
                }
            };
            placed.push((log, entries.len() as u64));
            entries.push(entry);
        }
        let mut starts: HashMap<&str, u64> = HashMap::new();
        for (log, entries) in &by_log {
            starts.insert(log, store.size(log));
            store.append_own(log, entries)?;
        }
        let at = placed
            .iter()
            .map(|(log, k)| {
                (
                    log.clone(),
                    starts.get(log.as_str()).copied().unwrap_or(0) + k,
                )
            })
            .collect();
        self.outbox_wake.send_modify(|v| *v += 1);
        self.findings_wake.send_modify(|v| *v += 1);
        Ok(at)
    }

    /// Checks entry `index` of `from`'s log: signed by `from`'s key, a valid record naming
    /// `from`.
    fn open_entry(&self, from: &str, index: u64, envelope: &Envelope) -> Result<Record, NodeError> {
        let (signer, key) = self.signer_of(envelope)?;
        if signer.as_str() != from {
            return Err(NodeError::WrongParty(format!(
                "entry {index} of {from}'s log is signed by {signer}"
            )));
        }
        envelope.open_record(from, &key).map_err(envelope_error)
    }

    /// Answers a C2SP tlog-mirror `add-entries` request body for the log of a trusted peer.
    ///
    /// Each entry package is authenticated by its subtree consistency proof against the pending
    /// checkpoint of size `upload_end` (one this node witnessed through `add-checkpoint`) and
    /// held; once every entry up to that checkpoint is here, they are checked as records and
    /// appended to the mirror in one durable commit, hotline messages to this node reach the
    /// inbox with them, and the answer is the mirror's cosignature on that checkpoint.
    pub fn add_entries(&self, body: &[u8]) -> Result<MirrorAnswer, MirrorRefusal> {
        let mut rest = body;
        let head =
            AddEntries::read(&mut rest).map_err(|e| MirrorRefusal::BadRequest(e.to_string()))?;
        let unknown = || MirrorRefusal::UnknownLog(head.origin.clone());
        let name = LogName::parse_origin(&head.origin)
            .ok()
            .filter(|l| l.party != self.party)
            .ok_or_else(unknown)?;
        // A log whose scope leaves this node out is never stored here.
        if !self.reads(&self.party, &name.scope) {
            return Err(MirrorRefusal::Node(NodeError::UnknownParty(format!(
                "{} is not for {}: a node mirrors the public logs, the logs of the agreements \
                 it is party to and the hotline channels it is an end of",
                head.origin, self.party
            ))));
        }
        let from = name.key();
        let author = name.party.to_string();
        // The author's keys that count now: through a rotation's overlap its old and new key,
        // never a key revoked or past its period.
        let keyset = self.keyset(&author, &head.origin).map_err(|_| unknown())?;
        let at = self.unix_now();
        let vkeys: Vec<String> = keyset.valid_at(at).into_iter().map(str::to_owned).collect();
        let mut store = self.store();
        let pending = store.pending(&from)?;
        let Some(latest) = pending.last().map(|p| p.0) else {
            return Err(MirrorRefusal::Unprocessable(format!(
                "no checkpoint of {} was added here with add-checkpoint",
                head.origin
            )));
        };
        let size = store.size(&from);
        let mut held_all = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let held = held_all.entry(from.clone()).or_default();
        held.retain(|i, _| *i >= size);
        let next_entry = |held: &BTreeMap<u64, Vec<u8>>| {
            let mut n = size;
            while held.contains_key(&n) {
                n += 1;
            }
            n
        };
        let next = next_entry(held);
        let conflict = |size, next| {
            MirrorRefusal::Conflict(MirrorInfo {
                size,
                next,
                ticket: Vec::new(),
            })
        };
        let target = match pending.iter().find(|p| p.0 == head.upload_end) {
            Some((_, note)) => note.clone(),
            None if head.upload_end == size => match store.signed_checkpoint(&from) {
                Some(cp) if size > 0 => cp.as_str().to_owned(),
                _ => return Err(conflict(latest, next)),
            },
            None => return Err(conflict(latest, next)),
        };
        if head.upload_end < size || head.upload_start > next {
            return Err(conflict(head.upload_end.max(latest), next));
        }
        if head.upload_end.min(next) - head.upload_start > MAX_EXCESS_ENTRIES {
            return Err(conflict(head.upload_end, next));
        }
        let cp = keyset
            .verify_at(target.as_bytes(), at)
            .map_err(|e| MirrorRefusal::Unprocessable(e.to_string()))?;
        let root = cp.root();
        let canonical = packages(head.upload_start, head.upload_end);
        let mut taken = 0;
        for &(start, end) in &canonical {
            let Some(package) = read_package(&mut rest, end - start) else {
                break;
            };
            let base = package_base(end);
            let mut leaves = Vec::with_capacity((end - base) as usize);
            for i in base..start {
                let leaf = store
                    .leaf_hash(&from, i)
                    .or_else(|| held.get(&i).map(|e| accord_log::leaf_hash(e)))
                    .ok_or_else(|| conflict(head.upload_end, next))?;
                leaves.push(leaf);
            }
            leaves.extend(package.entries.iter().map(|e| accord_log::leaf_hash(e)));
            let subtree = hash_of_leaves(&leaves);
            verify_subtree_consistency(base, end, head.upload_end, &subtree, &root, &package.proof)
                .map_err(|e| {
                    MirrorRefusal::Unprocessable(format!(
                        "entries {start} to {} of {}: {e}",
                        end - 1,
                        head.origin
                    ))
                })?;
            for (i, entry) in (start..end).zip(package.entries) {
                if i >= size {
                    held.entry(i).or_insert_with(|| entry.to_vec());
                }
            }
            taken += 1;
        }
        if taken == 0 && !canonical.is_empty() {
            return Err(MirrorRefusal::BadRequest(
                "the body holds no whole entry package".into(),
            ));
        }
        let next = next_entry(held);
        if next < head.upload_end {
            self.metrics.mirror_batch(&from, 0);
            return Ok(MirrorAnswer::Partial(MirrorInfo {
                size: head.upload_end,
                next,
                ticket: Vec::new(),
            }));
        }
        let entries: Vec<Vec<u8>> = (size..head.upload_end)
            .filter_map(|i| held.remove(&i))
            .collect();
        drop(held_all);
        let parties = self.parties();
        let taken = entries.len() as u64;
        let line = self.commit_mirror(&mut store, &from, &vkeys, &cp, entries, &parties)?;
        self.contacted(&store, &author, crate::health::Contact::Batch);
        drop(store);
        self.metrics.mirror_batch(&from, taken);
        // Records that fail their check on arrival are mirrored and cosigned all the same (the
        // author's log must not stall); they become findings against their author and are
        // listed to the sender, those of an upload sent again included.
        let log = PartyId::new(from.as_str()).map_err(|e| NodeError::Malformed(e.to_string()))?;
        let failed = self.failed_on_arrival(&log, head.upload_start.min(size), head.upload_end);
        for f in &failed {
            tracing::warn!(log = %f.log, index = f.index, record = %f.record, "{}", f.failure);
        }
        Ok(MirrorAnswer::Cosigned { line, failed })
    }

    /// Checks entries of `from`'s log authenticated against its checkpoint `cp` as records,
    /// appends them to the mirror with `cp`, and returns the mirror's cosignature line on `cp`.
    ///
    /// Every entry and the delivery receipts they call for are checked before anything is
    /// written; hotline messages to this node reach the inbox with their entries, in one
    /// transaction, so the inbox holds exactly what the mirror holds.
    fn commit_mirror(
        &self,
        store: &mut Store,
        from: &str,
        vkeys: &[String],
        cp: &SignedCheckpoint,
        entries: Vec<Vec<u8>>,
        parties: &BTreeSet<PartyId>,
    ) -> Result<Vec<u8>, NodeError> {
        let size = store.size(from);
        let name = LogName::parse_key(from)?;
        let author = name.party.as_str();
        let open_sources = self.trust().open_sources().clone();
        let mut ctx = RuleContext {
            parties,
            open_sources: &open_sources,
            now: self.now(),
            next_seq: HashMap::new(),
        };
        let mut new: Vec<NewEntry> = Vec::with_capacity(entries.len());
        let mut seen = BTreeSet::new();
        for (index, bytes) in (size..).zip(entries) {
            let envelope = Envelope::from_json(&bytes)
                .map_err(|e| NodeError::Malformed(format!("entry {index} of {from}'s log: {e}")))?;
            let record = self.open_entry(author, index, &envelope)?;
            check_entry_size(&record.id, bytes.len())?;
            if let Some(i) = store.index_of(from, record.id.as_str())? {
                return Err(NodeError::Replay(format!(
                    "record {} is already in {from}'s log at index {i}",
                    record.id
                )));
            }
            if !seen.insert(record.id.clone()) {
                return Err(NodeError::Replay(format!(
                    "record {} appears twice in {from}'s log",
                    record.id
                )));
            }
            rules::check(&mut ctx, &record, |to| store.last_seq(author, to))?;
            if let RecordBody::HotlineMessage(m) = &record.body
                && m.to == self.party
            {
                self.delivery_receipt(author, record.id.as_str(), m.seq)?;
            }
            new.push(entry_of_record(&record, bytes));
        }
        let time = self.config.clock.unix_seconds();
        let note = cp.as_str();
        if new.is_empty() {
            store.check_mirror_checkpoint(from, note)?;
        } else {
            let cosigned = store.cosign(note, &name.origin(), time)?;
            store.append_mirror(from, vkeys, &new, note, &cosigned)?;
            crate::crash_point("mirror-indexed");
        }
        // Kept for the engine: when this node held the peer's log at this size.
        store.record_cosignature(from, cp.size(), self.party.as_str(), time)?;
        let line = store.cosignature_line(cp, time);
        self.deliver_pending(store, parties)?;
        self.findings_wake.send_modify(|v| *v += 1);
        Ok(line)
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
    ) -> Result<(), NodeError> {
        let pending = store.undelivered()?;
        if pending.is_empty() {
            return Ok(());
        }
        self.inbox_wake.send_modify(|v| *v += 1);
        if self.may_sign(Duration::ZERO).is_err() {
            // Logged once the node signs its log again.
            return Ok(());
        }
        let records: Vec<(Record, Envelope)> = pending
            .iter()
            .map(|m| {
                let r = self.delivery_receipt(&m.sender, &m.record_id, m.seq)?;
                let e = self.sign(&r);
                Ok((r, e))
            })
            .collect::<Result<_, NodeError>>()?;
        self.append_own(store, records, parties)?;
        Ok(())
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
                let cosigned = store.acked(&m.recipient, &m.log)? > m.index;
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
                "storage {} ({}, log files in {}/)",
                self.dir.display(),
                self.config.database.describe(),
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
        for p in trust.open_sources() {
            lines.push(format!(
                "open-source party {p}: its log holds observations only"
            ));
        }
        for w in &self.config.witnesses {
            lines.push(format!("witness {} at {}", w.name(), w.url));
        }
        for p in &self.config.policies {
            lines.push(format!(
                "witness policy of {}: {} of {}",
                p.agreement,
                p.threshold,
                p.witnesses.join(", ")
            ));
        }
        lines
    }

    /// The sequence number the next hotline message to `to` must carry.
    pub fn next_seq(&self, to: &str) -> Result<u64, NodeError> {
        Ok(self.store().last_seq(self.party.as_str(), to)? + 1)
    }

    /// The entries `start..end` of `log` that failed their check on arrival (escrow and
    /// selection records).
    pub fn failed_on_arrival(
        &self,
        log: &PartyId,
        start: u64,
        end: u64,
    ) -> Vec<crate::arrival::FailedRecord> {
        crate::arrival::received(self, log, start, end)
    }

    /// The cosigner verifier key of `party` as a mirror or witness (`name`).
    fn cosigner_vkey(&self, party: &str, name: &str) -> Result<String, NodeError> {
        let key = self.peer_key(party)?;
        ed25519_cosigner_vkey(name, &key).map_err(crate::store::log_error)
    }

    /// The witness keys of trusted `party`: its newest key, then every other key of its that
    /// counts now by the trust file (a key it rotated away from, during the overlap), so a
    /// cosignature made just before a rotation still counts towards the policy.
    fn peer_cosigner_vkeys(&self, party: &str) -> Result<(String, Vec<String>), NodeError> {
        let name = witness_name(party);
        let newest = self.peer_key(party)?;
        let now = keys::unix_seconds(self.config.clock.now());
        let more = self
            .trust()
            .keys_at(party, now)
            .into_iter()
            .filter(|k| *k != newest)
            .map(|k| ed25519_cosigner_vkey(&name, &k).map_err(crate::store::log_error))
            .collect::<Result<Vec<_>, _>>()?;
        let vkey = ed25519_cosigner_vkey(&name, &newest).map_err(crate::store::log_error)?;
        Ok((vkey, more))
    }

    /// Checks a receipt from `peer` (our checkpoint with the mirror cosignature of `peer`)
    /// against our own log and keeps it.
    pub fn accept_receipt(&self, peer: &str, receipt: &Receipt) -> Result<(), NodeError> {
        let (log, size, cosignatures) = self.check_receipt(peer, &receipt.note)?;
        let store = self.store();
        for c in &cosignatures {
            // Kept for the engine: when the peer held our log at this size.
            store.record_cosignature(&log, size, peer, c.timestamp)?;
        }
        store.add_receipt(peer, &log, size, &receipt.note)?;
        self.contacted(&store, peer, crate::health::Contact::Receipt);
        drop(store);
        self.reported_failed(peer, &receipt.failed);
        self.findings_wake.send_modify(|v| *v += 1);
        Ok(())
    }

    /// Keeps what `peer` reported of records of the own log that failed their check on
    /// arrival there (shown in `/v1/node`, counted in `/metrics`, and warned of); a record
    /// reported again is kept once.
    fn reported_failed(&self, peer: &str, failed: &[crate::arrival::FailedRecord]) {
        let Ok(party) = PartyId::new(peer) else {
            return;
        };
        let mut reported = self.reported.lock().unwrap_or_else(|p| p.into_inner());
        let of_peer = reported.entry(party).or_default();
        let own =
            |log: &PartyId| LogName::parse_key(log.as_str()).is_ok_and(|l| l.party == self.party);
        for f in failed.iter().filter(|f| own(&f.log)) {
            if of_peer
                .insert((f.log.clone(), f.index), f.clone())
                .is_none()
            {
                tracing::warn!(
                    peer,
                    index = f.index,
                    record = %f.record,
                    "our record failed its check on arrival at {peer}: {}",
                    f.failure
                );
                self.metrics.failed_on_arrival(peer);
            }
        }
    }

    /// The records of the own log that `peer` reported failing their check on arrival, in
    /// log order.
    pub fn reported_failures(&self, peer: &PartyId) -> Vec<crate::arrival::FailedRecord> {
        let reported = self.reported.lock().unwrap_or_else(|p| p.into_inner());
        reported
            .get(peer)
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Checks a receipt note from `peer` against our own logs: our checkpoint of one of them,
    /// signed by one of our keys (current or former), with the mirror cosignature of a key of
    /// `peer` that counted when it cosigned (its cosignature's timestamp; a key revoked before
    /// then counts for nothing). Returns the log, the size it cosigns and the peer's
    /// cosignatures on it.
    fn check_receipt(
        &self,
        peer: &str,
        note: &str,
    ) -> Result<(String, u64, Vec<accord_log::Cosignature>), NodeError> {
        let not_ours = || {
            NodeError::BadNote(format!(
                "receipt from {peer} is not over a checkpoint of ours"
            ))
        };
        let me = SignedCheckpoint::parse(note.as_bytes())
            .ok()
            .map(|c| c.origin().to_owned())
            .filter(|o| LogName::parse_origin(o).is_ok_and(|l| l.party == self.party))
            .ok_or_else(not_ours)?;
        let log = LogName::parse_origin(&me).map_err(|_| not_ours())?.key();
        // The peer's key, re-reading the trust file once if it lists none.
        self.peer_key(peer)?;
        let peer_keys = self.trust().keys(peer).to_vec();
        // Receipts kept by the release before the mirror protocol carry the peer's cosignature
        // under its witness name.
        let names = [mirror_name(peer), witness_name(peer)];
        let mut last = None;
        let mut verified = None;
        'keys: for own in self.own_vkeys(&me)? {
            for (pk, name) in peer_keys
                .iter()
                .flat_map(|k| names.iter().map(move |n| (k, n)))
            {
                let cosigner =
                    ed25519_cosigner_vkey(name, &pk.key).map_err(crate::store::log_error)?;
                match accord_log::verify_cosigned(note.as_bytes(), &own, &[&cosigner]) {
                    Ok((cp, cosigs)) => {
                        match cosigs.iter().find_map(|c| pk.period.why_not(c.timestamp)) {
                            None => {
                                verified = Some((cp, cosigs));
                                break 'keys;
                            }
                            Some(why) => {
                                last = Some(format!(
                                    "cosigned by key {} which does not count then ({why})",
                                    key_id(&pk.key)
                                ))
                            }
                        }
                    }
                    Err(e) => {
                        if last.is_none() {
                            last = Some(e.to_string());
                        }
                    }
                }
            }
        }
        let (cp, cosignatures) = verified.ok_or_else(|| {
            NodeError::BadNote(format!(
                "receipt from {peer}: {}",
                last.unwrap_or_else(|| "no key to check it with".into())
            ))
        })?;
        if cp.origin() != me {
            return Err(not_ours());
        }
        if self.store().root_at(&log, cp.size())? != cp.root() {
            return Err(NodeError::Conflict(format!(
                "receipt from {peer} cosigns a root we never had at size {} of {log}",
                cp.size()
            )));
        }
        Ok((log, cp.size(), cosignatures))
    }

    /// The `add-checkpoint` request body that asks a witness which last cosigned size `old` of
    /// our log `log` to cosign its latest checkpoint; with that checkpoint's size and note.
    pub fn witness_request(
        &self,
        log: &str,
        old: u64,
    ) -> Result<(u64, String, Vec<u8>), NodeError> {
        let mut store = self.store();
        let note = store.own_checkpoint(log)?;
        let size = store.size(log);
        let old = old.min(size);
        let proof = store
            .own_tree(log)?
            .prove_consistency(old, size)
            .map_err(crate::store::log_error)?;
        drop(store);
        let body = accord_log::witness::AddCheckpoint {
            old_size: old,
            proof: proof.hashes,
            checkpoint: note.clone().into_bytes(),
        }
        .to_bytes();
        Ok((size, note, body))
    }

    /// Keeps the cosignature lines a witness answered to `add-checkpoint` for our checkpoint
    /// `note` of size `size` of our log `log`, those valid by `vkey` only; fails if there is
    /// none.
    pub fn accept_cosignature(
        &self,
        log: &str,
        vkey: &str,
        size: u64,
        note: &str,
        answer: &[u8],
    ) -> Result<(), NodeError> {
        let joined = accord_log::witness::add_cosignatures(note.as_bytes(), answer, vkey)
            .map_err(|e| NodeError::BadNote(e.to_string()))?;
        let line = String::from_utf8_lossy(&joined[note.len()..]).into_owned();
        let name = vkey.split('+').next().unwrap_or_default();
        self.store().add_cosignature(log, size, name, note, &line)
    }

    /// The largest size of our log `log` that the witness `name` cosigned.
    pub fn witnessed(&self, name: &str, log: &str) -> Result<u64, NodeError> {
        self.store().witnessed(name, log)
    }

    /// The node's own logs, the public log first.
    pub fn own_logs(&self) -> Vec<String> {
        let mut logs = self.store().own_logs();
        if logs.is_empty() {
            logs.push(self.party.to_string());
        }
        logs
    }

    /// The own logs the node may write but does not hold: the log of each agreement it holds
    /// and is party to, and of its hotline channel with each trusted party.
    pub fn unheld_own_logs(&self) -> Vec<String> {
        let held = self.own_logs();
        let agreements = self
            .judge
            .agreements()
            .iter()
            .filter(|a| a.parties.contains(&self.party))
            .map(|a| Scope::Agreement(a.id.clone()));
        let channels = self
            .parties()
            .into_iter()
            .filter(|p| *p != self.party)
            .map(|p| Scope::channel(self.party.clone(), p));
        agreements
            .chain(channels)
            .map(|scope| {
                LogName {
                    party: self.party.clone(),
                    scope,
                }
                .key()
            })
            .filter(|k| !held.contains(k) && LogName::parse_key(k).is_ok())
            .collect()
    }

    /// The body of a C2SP tlog-witness `add-checkpoint` request for an empty checkpoint of
    /// the own log `log`, which the node does not hold: signed with its keys under the log's
    /// origin, without making the log.
    pub fn empty_witness_request(&self, log: &str) -> Result<Vec<u8>, NodeError> {
        let note = self.store().empty_checkpoint(log)?;
        Ok(accord_log::witness::AddCheckpoint {
            old_size: 0,
            proof: Vec::new(),
            checkpoint: note.into_bytes(),
        }
        .to_bytes())
    }

    /// The number of entries of `log`.
    pub fn log_size(&self, log: &str) -> u64 {
        self.store().size(log)
    }

    /// Whether `peer` may read (and so mirrors) the entries of our log `log`.
    pub fn peer_mirrors(&self, peer: &PartyId, log: &str) -> bool {
        LogName::parse_key(log).is_ok_and(|l| self.reads(peer, &l.scope))
    }

    /// The `add-entries` request body that sends our entries from `start` towards `end` (the
    /// size of the checkpoint the mirror holds as pending), at most about `max` entries in
    /// whole packages; with the index after the last entry sent.
    pub fn mirror_request(
        &self,
        log: &str,
        start: u64,
        end: u64,
        max: u64,
    ) -> Result<(Vec<u8>, u64), NodeError> {
        let store = self.store();
        let me = log;
        let head = AddEntries {
            origin: LogName::parse_key(log)?.origin(),
            upload_start: start,
            upload_end: end,
            ticket: Vec::new(),
        };
        let mut body = head.to_bytes().map_err(crate::store::log_error)?;
        let mut last = start;
        for (s, e) in packages(start, end) {
            if last > start && last - start >= max {
                break;
            }
            let rows = store.envelopes_from(me, s, e)?;
            let proof = accord_log::mirror::prove_subtree_consistency(
                store.own_tree(log)?,
                package_base(e),
                e,
                end,
            )
            .map_err(crate::store::log_error)?;
            accord_log::mirror::write_package(&mut body, &rows, &proof)
                .map_err(crate::store::log_error)?;
            last = e;
        }
        Ok((body, last))
    }

    /// The witnesses asked to cosign our checkpoints: each peer as `accord/witness/<party>`
    /// and every configured witness.
    pub fn witness_targets(&self) -> Vec<WitnessTarget> {
        let mut out = Vec::new();
        for p in &self.config.peers {
            let name = witness_name(p.party.as_str());
            out.push(WitnessTarget {
                vkey: self.cosigner_vkey(p.party.as_str(), &name),
                name,
                url: p.url.clone(),
                peer: Some(p.party.clone()),
            });
        }
        for w in &self.config.witnesses {
            out.push(WitnessTarget {
                name: w.name().to_owned(),
                vkey: Ok(w.vkey.clone()),
                url: w.url.clone(),
                peer: None,
            });
        }
        out
    }

    /// The witness policy of `config` with every witness's name and key.
    fn policy(&self, config: &PolicyConfig) -> Result<WitnessPolicy, NodeError> {
        let witnesses = config
            .witnesses
            .iter()
            .map(|w| {
                let other = self.config.witnesses.iter().find(|c| c.name() == w);
                let (vkey, more_vkeys) = match other {
                    Some(c) => (c.vkey.clone(), Vec::new()),
                    None if w == self.party.as_str() => (
                        ed25519_cosigner_vkey(&witness_name(w), &self.public_key())
                            .map_err(crate::store::log_error)?,
                        Vec::new(),
                    ),
                    None => self.peer_cosigner_vkeys(w)?,
                };
                let name = vkey.split('+').next().unwrap_or_default().to_owned();
                Ok(PolicyWitness {
                    name,
                    vkey,
                    more_vkeys,
                })
            })
            .collect::<Result<Vec<_>, NodeError>>()?;
        WitnessPolicy::new(config.threshold, witnesses).map_err(|e| NodeError::Config {
            file: self.dir.clone(),
            reason: format!("the witness policy of {}: {e}", config.agreement),
        })
    }

    /// For each agreement with a witness policy, the latest checkpoint of our log of that
    /// agreement that meets it (final) and the latest cosigned one, with the witnesses that
    /// cosigned each.
    pub fn finality(&self) -> Result<Vec<Finality>, NodeError> {
        let mut out = Vec::new();
        for config in &self.config.policies {
            let log = LogName {
                party: self.party.clone(),
                scope: Scope::Agreement(config.agreement.clone()),
            };
            let cosigned = self.store().cosigned(&log.key(), 64)?;
            let policy = self.policy(config)?;
            let mut finality = Finality {
                agreement: config.agreement.clone(),
                threshold: policy.threshold,
                witnesses: policy.witnesses.iter().map(|w| w.name.clone()).collect(),
                latest: None,
                latest_cosigned_by: Vec::new(),
                final_size: None,
                final_checkpoint: None,
                final_cosigned_by: Vec::new(),
            };
            for (size, note) in &cosigned {
                let outcome = policy
                    .evaluate(note.as_bytes())
                    .map_err(|e| NodeError::BadNote(e.to_string()))?;
                if finality.latest.is_none() {
                    finality.latest = Some(*size);
                    finality.latest_cosigned_by = outcome.cosigned_by.clone();
                }
                if outcome.is_final() {
                    finality.final_size = Some(*size);
                    finality.final_checkpoint = Some(note.clone());
                    finality.final_cosigned_by = outcome.cosigned_by;
                    break;
                }
            }
            out.push(finality);
        }
        Ok(out)
    }

    /// What is known of each witness of our logs: how many of their entries it cosigned (the
    /// largest size of each log it cosigned, summed over the logs).
    pub fn witness_status(&self) -> Result<Vec<WitnessStatus>, NodeError> {
        let logs = self.own_logs();
        self.witness_targets()
            .into_iter()
            .map(|t| {
                let mut cosigned = 0;
                for log in &logs {
                    cosigned += self.witnessed(&t.name, log)?;
                }
                Ok(WitnessStatus {
                    cosigned,
                    name: t.name,
                    url: t.url,
                })
            })
            .collect()
    }

    /// The C2SP tlog-proof of entry `index` of the log `origin` against the latest checkpoint
    /// of it that is cosigned: ours by our witnesses, a peer's by this node as its mirror.
    pub fn proof(&self, origin_line: &str, index: u64) -> Result<Vec<u8>, NodeError> {
        let party = party_of_origin(origin_line)
            .ok_or_else(|| NodeError::NotFound(format!("no log with origin {origin_line:?} here")))?
            .to_owned();
        let note = if self.store().is_own(&party) {
            let cosigned = self.store().cosigned(&party, 1)?;
            cosigned.into_iter().next().map(|(_, n)| n)
        } else {
            self.checkpoint(&party).ok()
        };
        let note = note.ok_or_else(|| {
            NodeError::NotFound(format!("no cosigned checkpoint of {origin_line} yet"))
        })?;
        let cp = SignedCheckpoint::parse(note.as_bytes()).map_err(crate::store::log_error)?;
        if index >= cp.size() {
            return Err(NodeError::NotFound(format!(
                "entry {index} of {origin_line} is not in its latest cosigned checkpoint (size {})",
                cp.size()
            )));
        }
        let store = self.store();
        let entry = store
            .envelope_at(&party, index)?
            .ok_or_else(|| NodeError::NotFound(format!("no entry {index} of {origin_line}")))?;
        let proof = store.prove_inclusion(&party, index, cp.size())?;
        Ok(accord_log::TlogProof::new(&entry, &proof, note.as_bytes()).to_bytes())
    }

    /// Verifies every receipt held from `peer`; returns how many verified and the largest size
    /// (of any of our logs).
    pub fn verify_receipts(&self, peer: &str) -> Result<(usize, u64), NodeError> {
        let receipts = self.store().receipts(peer)?;
        let mut max = 0;
        for (log, size, note) in &receipts {
            let (of, cosigned, _) = self.check_receipt(peer, note)?;
            if cosigned != *size || of != *log {
                return Err(NodeError::Conflict(format!(
                    "the receipt from {peer} kept for size {size} of {log} cosigns size \
                     {cosigned} of {of}"
                )));
            }
            max = max.max(*size);
        }
        Ok((receipts.len(), max))
    }

    /// How many entries of our logs `peer` has cosigned, over every log.
    pub fn acked(&self, peer: &str) -> Result<u64, NodeError> {
        let logs = self.own_logs();
        let store = self.store();
        let mut sum = 0;
        for log in &logs {
            sum += store.acked(peer, log)?;
        }
        Ok(sum)
    }

    /// How many entries of our logs `peer` mirrors and has not cosigned yet.
    pub fn backlog(&self, peer: &PartyId) -> Result<u64, NodeError> {
        let logs = self.own_logs();
        let mut sum = 0;
        for log in logs.iter().filter(|l| self.peer_mirrors(peer, l)) {
            let store = self.store();
            sum += store
                .size(log)
                .saturating_sub(store.acked(peer.as_str(), log)?);
        }
        Ok(sum)
    }

    /// How many entries of our log `log` `peer` has cosigned.
    pub fn acked_in(&self, peer: &str, log: &str) -> Result<u64, NodeError> {
        self.store().acked(peer, log)
    }

    /// Every receipt held from `peer`, by log and size.
    pub fn receipts(&self, peer: &str) -> Result<Vec<(String, u64, String)>, NodeError> {
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
                    root: hex::encode(store.root(&l).0),
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
                    failed_on_arrival: self.reported_failures(&p.party),
                })
            })
            .collect::<Result<_, NodeError>>()?;
        Ok(NodeInfo {
            party: self.party.clone(),
            public_key: keys::public_key_text(&vk),
            fingerprint: keys::fingerprint(&vk),
            key_id: key_id(&vk),
            verifier_key: ed25519_vkey(&origin(self.party.as_str()), &vk)
                .map_err(crate::store::log_error)?,
            mirror_key: ed25519_cosigner_vkey(&mirror_name(self.party.as_str()), &vk)
                .map_err(crate::store::log_error)?,
            witness_key: ed25519_cosigner_vkey(&witness_name(self.party.as_str()), &vk)
                .map_err(crate::store::log_error)?,
            witnesses: self.witness_status()?,
            finality: self.finality()?,
            peers,
            logs: self.logs(),
            agreements: self.judge.held().to_vec(),
        })
    }

    /// The latest checkpoint of `log` as a signed note.
    pub fn checkpoint(&self, log: &str) -> Result<String, NodeError> {
        self.store()
            .checkpoint(log, self.config.clock.unix_seconds())?
            .ok_or_else(|| NodeError::NotFound(format!("no log {log} here")))
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

    /// The agreements the node holds, each with the SHA-256 of its file.
    pub fn held_agreements(&self) -> Vec<(accord_agreements::Agreement, String)> {
        self.judge
            .held()
            .iter()
            .filter_map(|h| {
                let a = self.judge.agreements().iter().find(|a| a.id == h.id)?;
                Some((a.clone(), h.sha256.clone()))
            })
            .collect()
    }

    /// The signed-note verifier keys this node trusts: each party's log key and the keys it
    /// cosigns with as witness and as mirror, for a reader to compare before pinning them.
    pub fn verifier_keys(&self) -> Vec<String> {
        let mut out = Vec::new();
        for party in self.parties() {
            let key = if party == self.party {
                Ok(self.public_key())
            } else {
                self.peer_key(party.as_str())
            };
            let Ok(key) = key else { continue };
            let p = party.as_str();
            out.extend(ed25519_vkey(&origin(p), &key).ok());
            out.extend(ed25519_cosigner_vkey(&witness_name(p), &key).ok());
            out.extend(ed25519_cosigner_vkey(&mirror_name(p), &key).ok());
        }
        out
    }

    /// The obligations open at `at` over every log held, as the engine reads them.
    pub fn open_deadlines(
        &self,
        at: Instant,
    ) -> Result<Vec<accord_compliance::Deadline>, NodeError> {
        let records = self.all_records()?;
        let cosignatures = self.store().cosignatures()?;
        let checks = self.arrival_failures(&records);
        Ok(self
            .judge
            .open_deadlines(&records, &cosignatures, at, &checks))
    }

    /// Runs `view` on the state the judge keeps, folded from every log held.
    pub fn with_state<R>(
        &self,
        view: impl FnOnce(&accord_state::State) -> R,
    ) -> Result<R, NodeError> {
        let records = self.all_records()?;
        let cosignatures = self.store().cosignatures()?;
        let checks = self.arrival_failures(&records);
        Ok(self
            .judge
            .with_state(&records, &cosignatures, &checks, view))
    }

    /// Brings the findings at the node's clock up to date whenever records or cosignatures
    /// arrive, and publishes each finding that is new or changed, and each one removed, to
    /// the readers of the findings stream; `ready` is told once the findings that later changes
    /// are told against are known. Runs until the node is dropped.
    pub(crate) async fn follow_findings(self: Arc<Self>, ready: tokio::sync::oneshot::Sender<()>) {
        let mut ready = Some(ready);
        if self.judge.held().is_empty() {
            return;
        }
        let mut wake = self.findings_wake.subscribe();
        let mut previous: Option<Vec<Finding>> = None;
        loop {
            let node = self.clone();
            let now = tokio::task::spawn_blocking(move || {
                node.findings(node.now(), &FindingFilter::default())
            })
            .await;
            match now {
                Ok(Ok(now)) => {
                    if let Some(before) = &previous {
                        for change in crate::wire::changes(before, &now) {
                            // No reader is no error.
                            let _ = self.finding_changes.send(Arc::new(change));
                        }
                    }
                    previous = Some(now.findings);
                }
                Ok(Err(e)) => tracing::warn!("findings not brought up to date: {e}"),
                Err(e) => tracing::warn!("findings not brought up to date: {e}"),
            }
            if let Some(ready) = ready.take() {
                // The server may have stopped waiting; nothing to tell then.
                let _ = ready.send(());
            }
            if wake.changed().await.is_err() {
                return;
            }
        }
    }

    /// The changes of the findings the node publishes, from now on.
    pub fn subscribe_findings(
        &self,
    ) -> tokio::sync::broadcast::Receiver<Arc<crate::wire::FindingChange>> {
        self.finding_changes.subscribe()
    }

    /// The engine's findings at `at` over every log held, shared with the judge's kept list
    /// (nothing copied), with the records it could not use.
    pub fn judged(&self, at: Instant) -> Result<crate::judge::Judged, NodeError> {
        let records = self.all_records()?;
        let cosignatures = self.store().cosignatures()?;
        let checks = self.arrival_failures(&records);
        let started = std::time::Instant::now();
        let judged = self
            .judge
            .findings_shared(records, &cosignatures, at, &checks);
        self.metrics.evaluated(started.elapsed());
        Ok(judged)
    }

    /// Whether trusted party `reader` may see finding `f`: it is party to the finding's
    /// agreement (where the node holds it), and reads every log its evidence cites.
    pub fn sees(&self, reader: &PartyId, f: &Finding) -> bool {
        let agreement_ok = self
            .agreement_parties(&f.agreement)
            .is_none_or(|ps| ps.contains(reader));
        agreement_ok
            && f.evidence.iter().all(|e| match e {
                accord_model::Evidence::Record {
                    origin: Some(o), ..
                } => LogName::parse_origin(o)
                    .is_ok_and(|l| l.party == *reader || self.reads(reader, &l.scope)),
                _ => true,
            })
    }

    /// The engine's findings at `at` over every log held, those of `filter` only.
    pub fn findings(&self, at: Instant, filter: &FindingFilter) -> Result<Findings, NodeError> {
        let judged = self.judged(at)?;
        for w in &judged.not_judged {
            tracing::warn!(log = %w.log, index = w.index, "{}", w.reason);
        }
        let findings: Vec<Finding> = judged
            .findings
            .iter()
            .filter(|f| filter.admits(f))
            .filter(|f| filter.reader.as_ref().is_none_or(|p| self.sees(p, f)))
            .cloned()
            .collect();
        let held = self.judge.held();
        Ok(Findings {
            as_of: at.to_string(),
            agreements: held.to_vec(),
            digest: accord_compliance::judged_digest(
                held.iter().map(|h| (&h.id, h.sha256.as_str())),
                &findings,
            ),
            findings,
            unused: judged.unused,
            not_judged: judged.not_judged,
        })
    }
}

impl crate::tls::Pins for Node {
    fn caller(&self, key: &VerifyingKey) -> Option<crate::access::Caller> {
        if *key == self.public_key() {
            return Some(crate::access::Caller::Party(self.party.clone()));
        }
        let trust = self.trust.read().unwrap_or_else(|p| p.into_inner());
        trust
            .parties()
            .find(|p| trust.key(p.as_str()) == Some(key))
            .map(|p| crate::access::Caller::Party(p.clone()))
    }
}

/// The file, in the data directory, of what this node cosigned as a C2SP tlog-witness.
pub const WITNESS_DB: &str = "witness.db";

impl Node {
    /// Answers a C2SP tlog-witness `add-checkpoint` request body: this node witnesses the log of
    /// every trusted party (its origin, signed with the party's key) and cosigns as
    /// `accord/witness/<own party>`; the new size is stored durably before the answer. The
    /// checkpoint becomes the pending checkpoint of this node's mirror of that log.
    pub fn add_checkpoint(
        &self,
        body: &[u8],
    ) -> Result<Vec<u8>, accord_log::witness::WitnessRefusal> {
        use accord_log::witness::{AddCheckpoint, TrustedLogs, WitnessRefusal};
        let storage = |e: accord_log::LogError| WitnessRefusal::Storage(e.to_string());
        // Only the key of the log the request names is needed; a body that does not parse
        // finds no log trusted, and the store's own check refuses it with the reason.
        let named = AddCheckpoint::parse(body)
            .ok()
            .and_then(|req| Some((SignedCheckpoint::parse(&req.checkpoint).ok()?, req)));
        let mut logs = TrustedLogs::new();
        let log = named
            .as_ref()
            .and_then(|(cp, _)| LogName::parse_origin(cp.origin()).ok());
        if let Some((cp, _)) = &named
            && let Some(log) = &log
        {
            let party = log.party.as_str();
            // The keys of the named log's party that count now: a revoked key's signature
            // counts for nothing.
            let trust = self.trust();
            for k in trust.keys_at(party, self.unix_now()) {
                if let Ok(vkey) = accord_log::ed25519_vkey(cp.origin(), &k) {
                    logs.add(cp.origin(), &vkey).map_err(storage)?;
                }
            }
        }
        let key =
            accord_log::CosignerKey::new(&witness_name(self.party.as_str()), self.key.clone())
                .map_err(storage)?;
        let now = self.now().as_second().max(0) as u64;
        let lines = self.witness.add_checkpoint(body, &logs, &key, now)?;
        // The checkpoint just witnessed is also the pending checkpoint of our mirror of that
        // log (C2SP tlog-mirror): `add-entries` may now send the entries up to it.
        // Only a log this node may read is mirrored; the others it witnesses alone.
        if let Some((cp, req)) = &named
            && let Some(log) = &log
            && log.party != self.party
            && self.reads(&self.party, &log.scope)
        {
            let note = String::from_utf8_lossy(&req.checkpoint);
            self.store()
                .add_pending(&log.key(), cp.size(), &note)
                .map_err(|e| WitnessRefusal::Storage(e.to_string()))?;
        }
        if let Some((cp, _)) = &named {
            self.keep_witnessed(cp, now);
        }
        Ok(lines)
    }

    /// Keeps the cosignature this node just made as a tlog-witness on a trusted party's log,
    /// for the engine; a failure to keep it is logged, the cosignature stands.
    fn keep_witnessed(&self, cp: &SignedCheckpoint, now: u64) {
        let party = LogName::parse_origin(cp.origin())
            .ok()
            .filter(|l| self.trust().parties().any(|p| *p == l.party))
            .map(|l| l.key());
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
