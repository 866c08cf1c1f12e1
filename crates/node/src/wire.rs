//! The JSON bodies of the node's HTTP API, as `openapi.json` documents them.

use std::collections::BTreeMap;

use accord_model::envelope::Envelope;
use accord_model::{AgreementId, Finding, PartyId, RecordId};
use serde::{Deserialize, Serialize};

/// Writes `rows` (index, envelope JSON bytes as logged) as a JSON array of objects with
/// `index` and `envelope`, copying each envelope's bytes as they are rather than re-encoding them.
pub fn write_log_entries(body: &mut Vec<u8>, rows: &[(u64, Vec<u8>)]) {
    body.push(b'[');
    for (i, (idx, env)) in rows.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(format!("{{\"index\":{idx},\"envelope\":").as_bytes());
        body.extend_from_slice(env);
        body.push(b'}');
    }
    body.push(b']');
}

/// The header of a 200 answer to `add-entries` that lists the entries of the upload that failed
/// their check on arrival: a JSON array of [`crate::arrival::FailedRecord`], absent when none
/// did. The body stays the C2SP tlog-mirror answer.
pub const FAILED_RECORDS_HEADER: &str = "accord-failed-records";

/// The value of [`FAILED_RECORDS_HEADER`] listing `failed`: their JSON, every character outside
/// ASCII escaped (`\uXXXX`), as a header value must be.
pub fn failed_records_header(failed: &[crate::arrival::FailedRecord]) -> String {
    let json = serde_json::to_string(failed).unwrap_or_else(|_| "[]".into());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            // Outside ASCII only within JSON strings, where an escape stands for it.
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Reads the list of [`FAILED_RECORDS_HEADER`].
pub fn parse_failed_records(value: &str) -> Result<Vec<crate::arrival::FailedRecord>, String> {
    serde_json::from_str(value).map_err(|e| format!("{FAILED_RECORDS_HEADER}: {e}"))
}

/// A receipt: the sender's checkpoint cosigned by the receiver as its mirror.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// The party that cosigned.
    pub witness: PartyId,
    /// The log size the receipt covers.
    pub size: u64,
    /// The checkpoint as a signed note with the author's signature and the witness's cosignature.
    pub note: String,
    /// The entries of this batch that failed their check on arrival (escrow and selection
    /// records): mirrored and cosigned all the same, kept out of the state, and findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<crate::arrival::FailedRecord>,
}

/// A batch of envelopes submitted by the node's own party.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitBatch {
    /// The signed records, in the order they are to be logged.
    pub envelopes: Vec<Envelope>,
}

/// What the node answers to a submission to its own logs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submitted {
    /// How many records were logged.
    pub count: u64,
    /// Each record logged, in the order submitted, with its log and index there.
    pub logged: Vec<LoggedAt>,
    /// The node's signed checkpoint of each log written, after the append, in the order of
    /// the logs' first records in the submission.
    pub checkpoints: Vec<String>,
}

/// Where a submitted record was logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggedAt {
    /// The record's id.
    pub record: RecordId,
    /// The origin of the log it went to: the log of its agreement, of its hotline channel, or
    /// the party's public log.
    pub origin: String,
    /// Its index in that log.
    pub index: u64,
}

/// A hotline message as the recipient's inbox holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboxMessage {
    /// Position in the inbox, from 1; messages are released in each sender's order.
    pub position: u64,
    /// The message's record id.
    pub record: RecordId,
    /// The sender.
    pub from: PartyId,
    /// The sender's sequence number on this channel.
    pub seq: u64,
    /// The message text.
    pub text: String,
    /// When the sender issued it (RFC 3339).
    pub issued_at: String,
    /// Whether a read receipt has been logged.
    pub read: bool,
}

/// A hotline message this node's party sent, and what is known of its delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentMessage {
    /// The message's record id.
    pub record: RecordId,
    /// The recipient.
    pub to: PartyId,
    /// The sequence number on the channel to `to`.
    pub seq: u64,
    /// The index of the message in this node's log.
    pub index: u64,
    /// When it was issued (RFC 3339).
    pub issued_at: String,
    /// Whether the recipient's node holds it: it cosigned a checkpoint that includes it, or
    /// logged a delivery receipt for it.
    pub delivered: bool,
    /// When the recipient's node logged its delivery receipt (RFC 3339), once that receipt
    /// reached this node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
    /// When the recipient logged that a person read it (RFC 3339), once that receipt reached
    /// this node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<String>,
}

/// The hotline messages this node's party sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sent {
    /// The messages, by recipient and sequence number.
    pub messages: Vec<SentMessage>,
}

/// A page of the hotline inbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inbox {
    /// The messages after the position asked for, in order.
    pub messages: Vec<InboxMessage>,
}

/// The next sequence number on a hotline channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// The recipient.
    pub to: PartyId,
    /// The sequence number the next message must carry.
    pub next_seq: u64,
}

/// The state of one log held by the node (its own or a mirror).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogState {
    /// The number of entries.
    pub size: u64,
    /// Hex of the Merkle root.
    pub root: String,
}

/// A peer as the node sees it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerStatus {
    /// The peer.
    pub party: PartyId,
    /// Its base URL.
    pub url: String,
    /// Whether its key is in the trust file.
    pub trusted: bool,
    /// How many entries of our log it has cosigned.
    pub acknowledged: u64,
    /// The records of our log it reported failing their check on arrival, in log order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed_on_arrival: Vec<crate::arrival::FailedRecord>,
}

/// The node's identity and status.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeInfo {
    /// The node's party.
    pub party: PartyId,
    /// Base64 of the node's Ed25519 public key.
    pub public_key: String,
    /// `SHA256:` and the hex digest of the public key.
    pub fingerprint: String,
    /// The DSSE key id of the key.
    pub key_id: String,
    /// The signed-note verifier key of the party's log.
    pub verifier_key: String,
    /// The cosigner verifier key with which the node cosigns the logs it mirrors.
    pub mirror_key: String,
    /// The cosigner verifier key with which the node cosigns checkpoints it witnesses.
    pub witness_key: String,
    /// The witnesses asked to cosign the node's checkpoints.
    pub witnesses: Vec<WitnessStatus>,
    /// For each agreement with a witness policy, which checkpoint of the node's log is final.
    pub finality: Vec<Finality>,
    /// The peers.
    pub peers: Vec<PeerStatus>,
    /// Every log held, by author.
    pub logs: BTreeMap<PartyId, LogState>,
    /// The agreements the node judges.
    pub agreements: Vec<HeldAgreement>,
}

/// A witness of the node's log, and the largest size it cosigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessStatus {
    /// The witness's cosigner name.
    pub name: String,
    /// Its submission prefix.
    pub url: String,
    /// The largest size of the node's log it cosigned (0 if none).
    pub cosigned: u64,
}

/// Which checkpoint of the node's log is final under an agreement's witness policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finality {
    /// The agreement.
    pub agreement: AgreementId,
    /// How many of the witnesses must cosign (k).
    pub threshold: usize,
    /// The policy's witnesses (n), by name.
    pub witnesses: Vec<String>,
    /// The size of the latest checkpoint any witness cosigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<u64>,
    /// The policy's witnesses that cosigned that checkpoint.
    pub latest_cosigned_by: Vec<String>,
    /// The size of the latest checkpoint that meets the policy: final.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_size: Option<u64>,
    /// That checkpoint, with its cosignatures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_checkpoint: Option<String>,
    /// The policy's witnesses that cosigned it.
    pub final_cosigned_by: Vec<String>,
}

/// The node's state: every log it holds and a digest over them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateSummary {
    /// Every log held, by author.
    pub logs: BTreeMap<PartyId, LogState>,
    /// Hex SHA-256 over the sorted `party size root` lines.
    pub digest: String,
}

/// An agreement the node holds: its id and the SHA-256 of the file it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeldAgreement {
    /// The agreement's id.
    pub id: AgreementId,
    /// Hex SHA-256 of the agreement file's bytes.
    pub sha256: String,
}

/// A logged record the engine cannot use, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unused {
    /// The log (author) holding it.
    pub log: PartyId,
    /// Its index in that log.
    pub index: u64,
    /// Why the state refused it.
    pub reason: String,
}

/// The compliance engine's findings over every log the node holds, at an instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Findings {
    /// The instant evaluated (RFC 3339).
    pub as_of: String,
    /// The agreements judged.
    pub agreements: Vec<HeldAgreement>,
    /// The findings that pass the filters asked for, sorted.
    pub findings: Vec<Finding>,
    /// `accord_compliance::judged_digest` of `agreements` and `findings`.
    pub digest: String,
    /// Logged records the state could not take.
    pub unused: Vec<Unused>,
    /// Logged records the state took but the engine cannot judge: they name a party,
    /// agreement, zone or category that no agreement the node holds knows.
    pub not_judged: Vec<Unused>,
}

/// A change of the findings at the node's clock, as `/v1/findings/stream` sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum FindingChange {
    /// A finding that is new, or that changed (its earlier form is sent as removed).
    Finding {
        /// The finding.
        finding: Finding,
    },
    /// A finding that no longer holds.
    Removed {
        /// The finding as it was.
        finding: Finding,
    },
    /// The findings after the changes sent before it: their instant and digest.
    Digest {
        /// The instant evaluated (RFC 3339).
        as_of: String,
        /// As in [`Findings`].
        digest: String,
    },
}

impl FindingChange {
    /// The event's name on the stream: `finding`, `removed` or `digest`.
    pub fn name(&self) -> &'static str {
        match self {
            FindingChange::Finding { .. } => "finding",
            FindingChange::Removed { .. } => "removed",
            FindingChange::Digest { .. } => "digest",
        }
    }
}

/// The changes from `before` to `now`: each finding of `before` that `now` lacks as removed,
/// each finding of `now` that `before` lacks as new, then the digest when anything changed.
pub fn changes(before: &[Finding], now: &Findings) -> Vec<FindingChange> {
    // Findings are counted by value, so that equal findings given twice stay two.
    let mut held: BTreeMap<String, (usize, &Finding)> = BTreeMap::new();
    let key = |f: &Finding| serde_json::to_string(f).unwrap_or_default();
    for f in before {
        held.entry(key(f)).or_insert((0, f)).0 += 1;
    }
    let mut added = Vec::new();
    for f in &now.findings {
        match held.get_mut(&key(f)) {
            Some((n, _)) if *n > 0 => *n -= 1,
            _ => added.push(FindingChange::Finding { finding: f.clone() }),
        }
    }
    let mut out: Vec<FindingChange> = held
        .into_values()
        .flat_map(|(n, f)| std::iter::repeat_n(f, n))
        .map(|f| FindingChange::Removed { finding: f.clone() })
        .collect();
    out.extend(added);
    if !out.is_empty() {
        out.push(FindingChange::Digest {
            as_of: now.as_of.clone(),
            digest: now.digest.clone(),
        });
    }
    out
}

/// An error answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    /// A short machine-readable code ("bad_signature", "replay", ...).
    pub code: String,
    /// What was wrong, in words.
    pub error: String,
    /// For `gap`: the index the node expects next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_index: Option<u64>,
}
