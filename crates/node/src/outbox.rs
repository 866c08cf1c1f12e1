//! The persistent outbox: one worker per peer sends our log in order from the last entry the
//! peer cosigned, and retries with exponential backoff until it holds a receipt for everything.
//!
//! The cursor is the size of the last verified receipt, kept in SQLite, so a restart or a peer
//! that is down for hours resumes where it stopped; the peer's mirror is idempotent by log index,
//! so an entry sent twice (a receipt lost in flight) is harmless.

use std::sync::Arc;
use std::time::Duration;

use axum::http::header;

use crate::node::{Node, PeerConfig};
use crate::wire::{ErrorBody, Receipt};

/// The first retry delay.
const BACKOFF_START: Duration = Duration::from_millis(50);
/// The longest retry delay.
const BACKOFF_MAX: Duration = Duration::from_secs(10);

enum Outcome {
    Sent,
    Idle,
    Failed(String),
}

/// Runs the worker for `peer` forever.
pub(crate) async fn run(node: Arc<Node>, client: reqwest::Client, peer: PeerConfig) {
    let mut wake = node.outbox_wake.subscribe();
    let mut backoff = BACKOFF_START;
    let url = format!("{}/v1/exchange", peer.url.trim_end_matches('/'));
    let name = peer.party.to_string();
    let mut cursor: Option<u64> = None;
    loop {
        match step(&node, &client, &url, &name, &mut cursor).await {
            Outcome::Sent => backoff = BACKOFF_START,
            Outcome::Idle => {
                backoff = BACKOFF_START;
                wake.borrow_and_update();
                let _ = tokio::time::timeout(Duration::from_secs(5), wake.changed()).await;
            }
            Outcome::Failed(reason) => {
                if backoff >= Duration::from_secs(1) {
                    tracing::warn!(peer = %name, %reason, retry_in = ?backoff, "outbox");
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(BACKOFF_MAX);
            }
        }
    }
}

async fn step(
    node: &Arc<Node>,
    client: &reqwest::Client,
    url: &str,
    peer: &str,
    cursor: &mut Option<u64>,
) -> Outcome {
    let acked = match node.acked(peer) {
        Ok(a) => a,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let from = cursor.unwrap_or(acked);
    let n = node.clone();
    let batch = tokio::task::spawn_blocking(move || n.outbox_batch(from)).await;
    let (body, size) = match batch {
        Ok(Ok(Some(b))) => b,
        Ok(Ok(None)) => return Outcome::Idle,
        Ok(Err(e)) => return Outcome::Failed(e.to_string()),
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let resp = client
        .post(url)
        .header(header::CONTENT_TYPE, "application/json")
        .timeout(Duration::from_secs(30))
        .body(body)
        .send()
        .await;
    let resp = match resp {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(format!("cannot reach {url}: {e}")),
    };
    let status = resp.status();
    let bytes = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    if !status.is_success() {
        if let Ok(err) = serde_json::from_slice::<ErrorBody>(&bytes) {
            if let Some(expected) = err.expected_index {
                // The peer's mirror is elsewhere (it lost data or we resent): go where it is.
                *cursor = Some(expected);
                return Outcome::Failed(format!("peer expects index {expected}"));
            }
            return Outcome::Failed(format!("{status}: {}", err.error));
        }
        return Outcome::Failed(format!("{status}"));
    }
    let receipt: Receipt = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(format!("receipt is not JSON: {e}")),
    };
    let n = node.clone();
    let p = peer.to_owned();
    let verified = tokio::task::spawn_blocking(move || n.accept_receipt(&p, &receipt)).await;
    match verified {
        Ok(Ok(())) => {
            *cursor = Some(size);
            Outcome::Sent
        }
        Ok(Err(e)) => Outcome::Failed(format!("receipt refused: {e}")),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}
