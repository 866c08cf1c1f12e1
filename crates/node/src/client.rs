//! A small client of a node's API, for the command line (`accord hotline`) and the tests.

use std::path::Path;
use std::time::Duration;

use accord_model::envelope::Envelope;
use accord_model::{
    HotlineMessage, HotlineReceipt, HotlineReceiptKind, PartyId, Record, RecordBody, RecordId,
};
use ed25519_dalek::SigningKey;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::NodeError;
use crate::wire::{Channel, ErrorBody, Inbox, InboxMessage, Sent, SentMessage, Submitted};

/// The file a running node writes in its data directory: its party and URL.
pub const NODE_FILE: &str = "node.json";

/// What `node.json` says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeFile {
    /// The node's party.
    pub party: PartyId,
    /// The URL the node serves on.
    pub url: String,
    /// The agreements the node judges.
    #[serde(default)]
    pub agreements: Vec<crate::wire::HeldAgreement>,
}

/// Writes `node.json` into the data directory, whole or not at all (a reader never sees half).
pub fn write_node_file(dir: &Path, file: &NodeFile) -> Result<(), NodeError> {
    let path = dir.join(NODE_FILE);
    let tmp = dir.join(format!("{NODE_FILE}.tmp"));
    let text =
        serde_json::to_string_pretty(file).map_err(|e| NodeError::Malformed(e.to_string()))?;
    std::fs::write(&tmp, text).map_err(|e| NodeError::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| NodeError::io(&path, e))
}

/// Reads `node.json` from the data directory.
pub fn read_node_file(dir: &Path) -> Result<NodeFile, NodeError> {
    let path = dir.join(NODE_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| NodeError::io(&path, e))?;
    serde_json::from_str(&text).map_err(|e| NodeError::Config {
        file: path,
        reason: e.to_string(),
    })
}

/// What [`Client::submit_new`] did.
#[derive(Debug, Clone, Default)]
pub struct SubmittedNew {
    /// The submission of the records the log did not hold, if there were any.
    pub submitted: Option<Submitted>,
    /// The records the log held already, the same.
    pub already: Vec<RecordId>,
    /// The records whose id the log holds with other content: the logged one stands (a log
    /// is append-only).
    pub differing: Vec<RecordId>,
}

/// A client of one node, signing as the node's party.
#[derive(Debug, Clone)]
pub struct Client {
    /// The node's base URL.
    pub url: String,
    /// The party.
    pub party: PartyId,
    key: SigningKey,
    /// The HTTP client, or why none could be made (reported at the first request).
    http: Result<reqwest::Client, String>,
    /// Where the `issued_at` of the records the client makes is read.
    clock: std::sync::Arc<dyn crate::clock::Clock>,
}

impl Client {
    /// A client of the node at `url` signing with `key` as `party`. Over `https` the client
    /// shows a certificate made from `key` and accepts only a server whose certificate carries
    /// `key`: the node of that same party.
    pub fn new(url: &str, party: PartyId, key: SigningKey) -> Self {
        let http = if url.starts_with("https://") {
            crate::tls::own_node_client(&key, &party).map_err(|e| e.to_string())
        } else {
            crate::tls::plain_client().map_err(|e| e.to_string())
        };
        Client {
            url: url.trim_end_matches('/').to_owned(),
            party,
            key,
            http,
            clock: std::sync::Arc::new(crate::clock::SystemClock),
        }
    }

    /// The same client, dating the records it makes by `clock`.
    pub fn with_clock(mut self, clock: std::sync::Arc<dyn crate::clock::Clock>) -> Self {
        self.clock = clock;
        self
    }

    fn http(&self) -> Result<&reqwest::Client, NodeError> {
        self.http.as_ref().map_err(|reason| NodeError::Peer {
            peer: self.url.clone(),
            reason: reason.clone(),
        })
    }

    /// The key the client signs with.
    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    async fn answer<T: DeserializeOwned>(&self, resp: reqwest::Response) -> Result<T, NodeError> {
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(|e| self.err(e))?;
        if !status.is_success() {
            let reason = serde_json::from_slice::<ErrorBody>(&bytes)
                .map(|e| e.error)
                .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned());
            return Err(NodeError::Peer {
                peer: self.url.clone(),
                reason: format!("{status}: {reason}"),
            });
        }
        serde_json::from_slice(&bytes).map_err(|e| NodeError::Peer {
            peer: self.url.clone(),
            reason: format!("unexpected answer: {e}"),
        })
    }

    fn err(&self, e: reqwest::Error) -> NodeError {
        NodeError::Peer {
            peer: self.url.clone(),
            reason: e.to_string(),
        }
    }

    /// Sends a POST of JSON bytes to `path`.
    async fn send_post(&self, path: &str, body: Vec<u8>) -> Result<reqwest::Response, NodeError> {
        self.http()?
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| self.err(e))
    }

    /// Sends a GET of `path`.
    async fn send_get(&self, path: &str) -> Result<reqwest::Response, NodeError> {
        self.http()?
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .map_err(|e| self.err(e))
    }

    /// The status and body of a response.
    async fn raw(&self, resp: reqwest::Response) -> Result<(u16, Vec<u8>), NodeError> {
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(|e| self.err(e))?;
        Ok((status, bytes.to_vec()))
    }

    /// POSTs raw bytes as JSON to `path`; returns the status and the body.
    pub async fn post_raw(&self, path: &str, body: Vec<u8>) -> Result<(u16, Vec<u8>), NodeError> {
        let resp = self.send_post(path, body).await?;
        self.raw(resp).await
    }

    /// GETs `path`; returns the status and the body.
    pub async fn get_raw(&self, path: &str) -> Result<(u16, Vec<u8>), NodeError> {
        let resp = self.send_get(path).await?;
        self.raw(resp).await
    }

    /// GETs a JSON document from the node.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, NodeError> {
        let resp = self.send_get(path).await?;
        self.answer(resp).await
    }

    /// Signs records and submits them to the node's log.
    pub async fn submit(&self, records: &[Record]) -> Result<Submitted, NodeError> {
        let envelopes: Vec<Envelope> = records
            .iter()
            .map(|r| Envelope::sign_record(r, &self.key))
            .collect();
        let body = serde_json::to_vec(&crate::wire::SubmitBatch { envelopes }).expect("json");
        let resp = self.send_post("/v1/records/batch", body).await?;
        self.answer(resp).await
    }

    /// Every record of `log` (a log name: `US`, `US/new-start`) the node holds, with its index,
    /// read page by page.
    pub async fn log_records(&self, log: &PartyId) -> Result<Vec<(u64, Record)>, NodeError> {
        // A scoped log's name holds slashes, escaped in the path's one segment.
        let log = log.as_str().replace('/', "%2F");
        #[derive(Deserialize)]
        struct Page {
            entries: Vec<Entry>,
        }
        #[derive(Deserialize)]
        struct Entry {
            index: u64,
            envelope: serde_json::Value,
        }
        let mut out = Vec::new();
        loop {
            let page: Page = self
                .get(&format!(
                    "/v1/logs/{log}/entries?start={}&limit=10000",
                    out.len()
                ))
                .await?;
            if page.entries.is_empty() {
                return Ok(out);
            }
            for e in page.entries {
                let bytes = serde_json::to_vec(&e.envelope)
                    .map_err(|e| NodeError::Malformed(e.to_string()))?;
                out.push((e.index, crate::node::decode_logged(&bytes)?));
            }
        }
    }

    /// Signs and submits the records the node's logs do not hold yet, in one batch (the node
    /// checks them all before logging any); records whose id one of the party's logs holds
    /// already are left out and listed.
    pub async fn submit_new(&self, records: &[Record]) -> Result<SubmittedNew, NodeError> {
        let state: crate::wire::StateSummary = self.get("/v1/state").await?;
        let mut logged: std::collections::HashMap<RecordId, Record> = Default::default();
        for log in state.logs.keys().filter(|l| {
            crate::scope::LogName::parse_key(l.as_str()).is_ok_and(|n| n.party == self.party)
        }) {
            for (_, r) in self.log_records(log).await? {
                logged.insert(r.id.clone(), r);
            }
        }
        let mut out = SubmittedNew::default();
        let mut new = Vec::new();
        for r in records {
            match logged.get(&r.id) {
                None => new.push(r.clone()),
                Some(held) if held == r => out.already.push(r.id.clone()),
                Some(_) => out.differing.push(r.id.clone()),
            }
        }
        if !new.is_empty() {
            out.submitted = Some(self.submit(&new).await?);
        }
        Ok(out)
    }

    /// Sends a hotline message to `to`; retries if another sender took the sequence number.
    pub async fn hotline_send(
        &self,
        to: &PartyId,
        text: &str,
    ) -> Result<(Record, Submitted), NodeError> {
        let mut last = None;
        for _ in 0..5 {
            let ch: Channel = self.get(&format!("/v1/hotline/channels/{to}")).await?;
            let record = Record {
                id: RecordId::new(format!("{}-hotline-{to}-{}", self.party, ch.next_seq))
                    .map_err(|e| NodeError::Malformed(e.to_string()))?,
                party: self.party.clone(),
                issued_at: self.clock.now(),
                body: RecordBody::HotlineMessage(HotlineMessage {
                    to: to.clone(),
                    seq: ch.next_seq,
                    text: text.to_owned(),
                }),
            };
            match self.submit(std::slice::from_ref(&record)).await {
                Ok(s) => return Ok((record, s)),
                Err(e) => last = Some(e),
            }
        }
        Err(last.expect("at least one try"))
    }

    /// The hotline messages the node's party sent, with their receipts.
    pub async fn sent(&self) -> Result<Vec<SentMessage>, NodeError> {
        Ok(self.get::<Sent>("/v1/hotline/sent").await?.messages)
    }

    /// Waits up to `limit` until the node says the message `record` it sent reached its
    /// recipient's node; returns whether it did.
    pub async fn wait_delivered(
        &self,
        record: &RecordId,
        limit: Duration,
    ) -> Result<bool, NodeError> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            if self
                .sent()
                .await?
                .iter()
                .any(|m| m.record == *record && m.delivered)
            {
                return Ok(true);
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(false);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits up to `wait` for inbox messages after `after`.
    pub async fn inbox(&self, after: u64, wait: Duration) -> Result<Inbox, NodeError> {
        self.get(&format!(
            "/v1/hotline/inbox?after={after}&wait={}",
            wait.as_secs()
        ))
        .await
    }

    /// Logs a read receipt for a message of the inbox.
    pub async fn mark_read(&self, message: &InboxMessage) -> Result<Submitted, NodeError> {
        let record = Record {
            id: RecordId::new(format!(
                "{}-read-{}-{}",
                self.party, message.from, message.seq
            ))
            .map_err(|e| NodeError::Malformed(e.to_string()))?,
            party: self.party.clone(),
            issued_at: self.clock.now(),
            body: RecordBody::HotlineReceipt(HotlineReceipt {
                message: message.record.clone(),
                from: Some(message.from.clone()),
                kind: HotlineReceiptKind::Read,
            }),
        };
        self.submit(&[record]).await
    }
}

/// The two request bodies that bring a mirror holding the first `old` entries of a log up to
/// the signed checkpoint `note` (C2SP tlog-mirror): `add-checkpoint` with the consistency proof
/// from size `old`, then `add-entries` of the rest of `entries` (the whole log), each package
/// proven against the tree of `entries`. For tests and tools that play a log's author.
pub fn mirror_upload(
    note: &str,
    entries: &[Vec<u8>],
    old: u64,
) -> Result<(Vec<u8>, Vec<u8>), NodeError> {
    use accord_log::mirror::{AddEntries, package_base, packages, prove_subtree_consistency};
    let log = crate::store::log_error;
    let cp = accord_log::SignedCheckpoint::parse(note.as_bytes()).map_err(log)?;
    let mut tree = accord_log::MerkleTree::new();
    tree.extend(entries);
    let size = cp.size().min(tree.size());
    let checkpoint = accord_log::witness::AddCheckpoint {
        old_size: old,
        proof: tree
            .prove_consistency(old.min(size), size)
            .map_err(log)?
            .hashes,
        checkpoint: note.as_bytes().to_vec(),
    }
    .to_bytes();
    let head = AddEntries {
        origin: cp.origin().to_owned(),
        upload_start: old,
        upload_end: cp.size(),
        ticket: Vec::new(),
    };
    let mut body = head.to_bytes().map_err(log)?;
    for (start, end) in packages(old, cp.size()) {
        let have = entries.len() as u64;
        let rows = &entries[start.min(have) as usize..end.min(have) as usize];
        let proof = if end <= size {
            prove_subtree_consistency(&tree, package_base(end), end, size).map_err(log)?
        } else {
            Vec::new()
        };
        accord_log::mirror::write_package(&mut body, rows, &proof).map_err(log)?;
    }
    Ok((checkpoint, body))
}
