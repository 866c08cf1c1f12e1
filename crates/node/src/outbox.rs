//! The persistent outbox: one worker per witness of our logs. For each of our logs it asks its
//! witness to cosign the latest checkpoint (C2SP tlog-witness `add-checkpoint`, with a
//! consistency proof from the size it last cosigned); a peer that may read the log (its scope
//! includes the peer, [`crate::scope`]) also mirrors it, and the worker then sends the entries
//! up to that checkpoint (C2SP tlog-mirror `add-entries`) until the peer answers with its mirror
//! cosignature, the receipt. A peer outside a log's scope witnesses its checkpoints only: they
//! are public, its entries are not. Failures are retried with exponential backoff.
//!
//! What each witness cosigned and each peer's receipts are kept in SQLite, so a restart or a peer
//! that is down for hours resumes where it stopped; the mirror skips entries it already holds,
//! so an entry sent twice (a receipt lost in flight) is harmless.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use accord_log::mirror::{ADD_ENTRIES_CONTENT_TYPE, MirrorInfo};
use accord_model::PartyId;
use axum::http::header;

use crate::node::{Node, mirror_name};
use crate::wire::{ErrorBody, Receipt};

/// The first retry delay.
const BACKOFF_START: Duration = Duration::from_millis(50);
/// The longest retry delay.
const BACKOFF_MAX: Duration = Duration::from_secs(10);

/// A witness of our log, and whether it also mirrors it (a peer).
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// The witness's cosigner name.
    name: String,
    /// Its submission prefix.
    url: String,
    /// The peer's party, if the witness is a peer that mirrors our log.
    peer: Option<PartyId>,
}

/// Every witness of the node's log.
pub(crate) fn targets(node: &Node) -> Vec<Target> {
    node.witness_targets()
        .into_iter()
        .map(|t| Target {
            name: t.name,
            url: t.url.trim_end_matches('/').to_owned(),
            peer: t.peer,
        })
        .collect()
}

enum Outcome {
    Sent,
    Idle,
    Failed(String),
}

/// Where the worker stands with its witness.
#[derive(Default)]
struct Progress {
    /// The size of our log the witness last cosigned, as far as we know.
    witnessed: Option<u64>,
    /// The checkpoint the witness (mirror) holds as pending: its size and note.
    pending: Option<(u64, String)>,
    /// The mirror's next entry, as it last said.
    next: Option<u64>,
}

/// Runs the worker for `target` forever, over every own log in turn.
pub(crate) async fn run(node: Arc<Node>, client: reqwest::Client, target: Target) {
    let mut wake = node.outbox_wake.subscribe();
    let mut backoff = BACKOFF_START;
    let mut progress: HashMap<String, Progress> = HashMap::new();
    loop {
        let logs = blocking(&node, |n| Ok(n.own_logs()))
            .await
            .unwrap_or_default();
        let mut outcome = Outcome::Idle;
        for log in logs {
            let p = progress.entry(log.clone()).or_default();
            match step(&node, &client, &target, &log, p).await {
                Outcome::Idle => {}
                Outcome::Sent => {
                    if !matches!(outcome, Outcome::Failed(_)) {
                        outcome = Outcome::Sent;
                    }
                }
                Outcome::Failed(reason) => outcome = Outcome::Failed(format!("{log}: {reason}")),
            }
        }
        match outcome {
            Outcome::Sent => backoff = BACKOFF_START,
            Outcome::Idle => {
                backoff = BACKOFF_START;
                wake.borrow_and_update();
                let _ = tokio::time::timeout(Duration::from_secs(5), wake.changed()).await;
            }
            Outcome::Failed(reason) => {
                if backoff >= Duration::from_secs(1) {
                    tracing::warn!(witness = %target.name, %reason, retry_in = ?backoff, "outbox");
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(BACKOFF_MAX);
            }
        }
    }
}

/// Runs a blocking call of the node off the runtime's threads.
pub(crate) async fn blocking<T: Send + 'static>(
    node: &Arc<Node>,
    f: impl FnOnce(&Node) -> Result<T, crate::NodeError> + Send + 'static,
) -> Result<T, String> {
    let n = node.clone();
    match tokio::task::spawn_blocking(move || f(&n)).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// Posts `body` to `url` and returns the status, headers and body of the answer.
pub(crate) async fn post(
    client: &reqwest::Client,
    url: &str,
    ctype: &str,
    body: Vec<u8>,
) -> Result<(u16, header::HeaderMap, Vec<u8>), String> {
    let resp = client
        .post(url)
        .header(header::CONTENT_TYPE, ctype)
        .timeout(Duration::from_secs(30))
        .body(body)
        .send()
        .await
        .map_err(|e| format!("cannot reach {url}: {e}"))?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.map_err(|e| e.to_string())?;
    Ok((status, headers, bytes.to_vec()))
}

/// The content type an answer's headers give, or nothing.
pub(crate) fn content_type(headers: &header::HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// What a refusal says, for the log.
fn reason(status: u16, body: &[u8]) -> String {
    let text = serde_json::from_slice::<ErrorBody>(body)
        .map(|e| e.error)
        .unwrap_or_else(|_| String::from_utf8_lossy(body).trim().to_owned());
    format!("{status}: {text}")
}

async fn step(
    node: &Arc<Node>,
    client: &reqwest::Client,
    target: &Target,
    log: &str,
    progress: &mut Progress,
) -> Outcome {
    match step_inner(node, client, target, log, progress).await {
        Ok(o) => o,
        Err(e) => Outcome::Failed(e),
    }
}

async fn step_inner(
    node: &Arc<Node>,
    client: &reqwest::Client,
    target: &Target,
    log: &str,
    progress: &mut Progress,
) -> Result<Outcome, String> {
    let (name, l) = (target.name.clone(), log.to_owned());
    let witnessed = match progress.witnessed {
        Some(w) => w,
        None => blocking(node, move |n| n.witnessed(&name, &l)).await?,
    };
    let l = log.to_owned();
    let size = blocking(node, move |n| Ok(n.log_size(&l))).await?;
    // A peer mirrors the logs it may read, and witnesses the others' checkpoints only.
    let mirror = target
        .peer
        .as_ref()
        .filter(|p| node.peer_mirrors(p, log))
        .cloned();
    let acked = match &mirror {
        Some(p) => {
            let (p, l) = (p.to_string(), log.to_owned());
            blocking(node, move |n| n.acked_in(&p, &l)).await?
        }
        None => size,
    };
    // 1. The witness cosigns our latest checkpoint (and, for a peer, holds it as pending) once
    // the entries up to the last one it holds were uploaded.
    let due = match progress.pending.as_ref().map(|p| p.0) {
        None => true,
        Some(p) => p < size && acked >= p,
    };
    if size > 0 && due {
        let l = log.to_owned();
        let (cp_size, note, body) =
            blocking(node, move |n| n.witness_request(&l, witnessed)).await?;
        let url = format!("{}/add-checkpoint", target.url);
        let (status, headers, answer) = post(client, &url, "text/plain", body).await?;
        match status {
            200 => {
                let vkey = node
                    .witness_targets()
                    .into_iter()
                    .find(|t| t.name == target.name)
                    .map(|t| t.vkey)
                    .ok_or("the witness is no longer configured")?
                    .map_err(|e| e.to_string())?;
                let (n2, l) = (note.clone(), log.to_owned());
                blocking(node, move |n| {
                    n.accept_cosignature(&l, &vkey, cp_size, &n2, &answer)
                })
                .await
                .map_err(|e| format!("cosignature refused: {e}"))?;
                progress.witnessed = Some(cp_size);
                progress.pending = Some((cp_size, note));
            }
            409 if content_type(&headers).starts_with(accord_log::witness::SIZE_CONTENT_TYPE) => {
                let latest: u64 = String::from_utf8_lossy(&answer)
                    .trim()
                    .parse()
                    .map_err(|_| "409 without a size".to_owned())?;
                // Another root at the size it cosigned, or more entries than we hold: our
                // log is not the one it cosigned, and we sign nothing more.
                let refused = if latest > cp_size {
                    Some(crate::restored::larger(&target.name, log, latest, cp_size))
                } else if latest > 0 && latest == witnessed.min(cp_size) {
                    Some(crate::restored::different(&target.name, log, latest))
                } else {
                    None
                };
                if let Some(reason) = refused {
                    node.refuse_signing(reason.clone());
                    return Err(reason);
                }
                progress.witnessed = Some(latest);
                return Ok(Outcome::Sent);
            }
            _ => return Err(reason(status, &answer)),
        }
    }
    // 2. A peer mirrors the entries up to its pending checkpoint.
    let Some(peer) = &mirror else {
        return Ok(Outcome::Idle);
    };
    let Some((end, note)) = progress.pending.clone() else {
        return Ok(Outcome::Idle);
    };
    if acked >= end {
        return Ok(Outcome::Idle);
    }
    let start = progress.next.unwrap_or(acked).min(end);
    let max = node.config.batch as u64;
    let l = log.to_owned();
    let (body, _) = blocking(node, move |n| n.mirror_request(&l, start, end, max)).await?;
    let url = format!("{}/add-entries", target.url);
    let (status, headers, answer) = post(client, &url, ADD_ENTRIES_CONTENT_TYPE, body).await?;
    match status {
        200 => {
            let p = peer.to_string();
            let vkey = {
                let key = node.peer_key(&p).map_err(|e| e.to_string())?;
                accord_log::ed25519_cosigner_vkey(&mirror_name(&p), &key)
                    .map_err(|e| e.to_string())?
            };
            let joined = accord_log::witness::add_cosignatures(note.as_bytes(), &answer, &vkey)
                .map_err(|e| format!("receipt refused: {e}"))?;
            // The records the mirror found failing on arrival, listed beside its answer.
            let failed = match headers.get(crate::wire::FAILED_RECORDS_HEADER) {
                None => Vec::new(),
                Some(v) => v
                    .to_str()
                    .map_err(|e| e.to_string())
                    .and_then(crate::wire::parse_failed_records)
                    .unwrap_or_else(|e| {
                        tracing::warn!(peer = %peer, "unreadable list of failed records: {e}");
                        Vec::new()
                    }),
            };
            let receipt = Receipt {
                witness: peer.clone(),
                size: end,
                note: String::from_utf8_lossy(&joined).into_owned(),
                failed,
            };
            blocking(node, move |n| n.accept_receipt(&p, &receipt))
                .await
                .map_err(|e| format!("receipt refused: {e}"))?;
            progress.next = None;
            Ok(Outcome::Sent)
        }
        202 => {
            let info = MirrorInfo::parse(&answer).map_err(|e| e.to_string())?;
            if info.next <= start {
                return Err(format!(
                    "the mirror took nothing (next entry {})",
                    info.next
                ));
            }
            progress.next = Some(info.next);
            Ok(Outcome::Sent)
        }
        409 => {
            // The mirror's pending checkpoint or next entry is elsewhere: add our checkpoint
            // again and go where it is.
            let info = MirrorInfo::parse(&answer).map_err(|e| e.to_string())?;
            progress.next = Some(info.next);
            progress.pending = None;
            progress.witnessed = None;
            Err(format!(
                "the mirror expects entries from {} up to {}",
                info.next, info.size
            ))
        }
        422 => {
            progress.pending = None;
            progress.witnessed = None;
            Err(reason(status, &answer))
        }
        _ => Err(reason(status, &answer)),
    }
}
