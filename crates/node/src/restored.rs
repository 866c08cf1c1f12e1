//! A node restored from an older backup must not fork its own log: before it serves, it asks
//! each witness of its log (every peer, and the other witnesses configured) to cosign its
//! latest checkpoint through C2SP tlog-witness `add-checkpoint`, starting from the size it
//! believes the witness last cosigned. A witness that cosigned a larger size answers 409 with
//! that size; one that cosigned another root at a size the node holds answers 409 again at
//! that size, or 422 to the consistency proof from it. Either way the node refuses to sign its
//! log (every append is answered 409, `/healthz` says why) until its operator recovers the
//! missing entries from the peers' mirrors. Meanwhile it answers requests but signs nothing:
//! a submission waits for the answers.

use std::sync::Arc;
use std::time::Duration;

use crate::node::{Node, WitnessTarget};
use crate::outbox::blocking;

/// What a witness's answer says of the node's log against what it cosigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// The witness cosigned the node's latest checkpoint: what it cosigned before is a prefix
    /// of the node's log.
    Consistent,
    /// The witness cosigned more entries than the node holds.
    Larger {
        /// The size the witness cosigned.
        theirs: u64,
        /// The node's size.
        ours: u64,
    },
    /// The witness cosigned another root at a size the node holds.
    Different {
        /// The size.
        size: u64,
    },
}

/// Asks `target` to cosign the node's latest checkpoint and says how the node's log stands
/// against what it cosigned; an error when the witness cannot be asked or answers otherwise.
pub async fn compare_with_witness(
    node: &Arc<Node>,
    client: &reqwest::Client,
    target: &WitnessTarget,
    log: &str,
) -> Result<Comparison, String> {
    let (name, l) = (target.name.clone(), log.to_owned());
    let mut old = blocking(node, move |n| n.witnessed(&name, &l)).await?;
    let url = format!("{}/add-checkpoint", target.url.trim_end_matches('/'));
    // At most: the size the node believed, the size the witness gave, and that size again.
    for _ in 0..3 {
        let l = log.to_owned();
        let (size, note, body) = blocking(node, move |n| n.witness_request(&l, old)).await?;
        let (status, headers, answer) =
            crate::outbox::post(client, &url, "text/plain", body).await?;
        match status {
            200 => {
                let vkey = target.vkey.as_ref().map_err(|e| e.to_string())?.clone();
                let l = log.to_owned();
                blocking(node, move |n| {
                    n.accept_cosignature(&l, &vkey, size, &note, &answer)
                })
                .await
                .map_err(|e| format!("cosignature refused: {e}"))?;
                return Ok(Comparison::Consistent);
            }
            409 if crate::outbox::content_type(&headers)
                .starts_with(accord_log::witness::SIZE_CONTENT_TYPE) =>
            {
                let latest: u64 = String::from_utf8_lossy(&answer)
                    .trim()
                    .parse()
                    .map_err(|_| "409 without a size".to_owned())?;
                if latest > size {
                    return Ok(Comparison::Larger {
                        theirs: latest,
                        ours: size,
                    });
                }
                if latest == 0 {
                    // It holds nothing of the log (it may refuse to cosign an empty one).
                    return Ok(Comparison::Consistent);
                }
                if latest == old.min(size) {
                    // The old size was right, so the conflict is another root at this size.
                    return Ok(Comparison::Different { size: latest });
                }
                old = latest;
            }
            422 => {
                return Ok(Comparison::Different {
                    size: old.min(size),
                });
            }
            _ => {
                return Err(format!(
                    "{status}: {}",
                    String::from_utf8_lossy(&answer).trim()
                ));
            }
        }
    }
    Err("the witness kept changing the size it last cosigned".into())
}

/// How long the node waits for one witness's answer at start.
const ASK_TIMEOUT: Duration = Duration::from_secs(10);

/// Starts a served node's work on its own log: it holds its signing, asks its witnesses (while
/// it already answers requests, so that nodes started together answer each other), then signs
/// again unless a witness showed its log forked, and starts the outbox workers.
pub async fn start(node: Arc<Node>, client: reqwest::Client) {
    node.hold_signing();
    check_witnesses(&node, &client).await;
    if let Err(e) = blocking(&node, |n| n.open_signing()).await {
        tracing::error!(target: "accord_node", "delivery receipts held while asking the witnesses: {e}");
    }
    for target in crate::outbox::targets(&node) {
        tokio::spawn(crate::outbox::run(node.clone(), client.clone(), target));
    }
}

/// Asks every witness of each of the node's logs (those it holds, and those it may write but
/// does not hold) and refuses signing if one cosigned more entries or another history. A witness that cannot be asked is skipped with a warning; the outbox keeps
/// asking it, and refuses signing too if it answers so later.
pub async fn check_witnesses(node: &Arc<Node>, client: &reqwest::Client) {
    let logs = blocking(node, |n| Ok(n.own_logs()))
        .await
        .unwrap_or_default();
    for target in node.witness_targets() {
        for log in &logs {
            let asked = tokio::time::timeout(
                ASK_TIMEOUT,
                compare_with_witness(node, client, &target, log),
            )
            .await
            .unwrap_or_else(|_| Err(format!("no answer within {ASK_TIMEOUT:?}")));
            let reason = match asked {
                Ok(Comparison::Consistent) => continue,
                Ok(Comparison::Larger { theirs, ours }) => larger(&target.name, log, theirs, ours),
                Ok(Comparison::Different { size }) => different(&target.name, log, size),
                Err(e) => {
                    tracing::warn!(target: "accord_node", witness = %target.name, log = %log, "cannot compare our log with what it cosigned: {e}");
                    continue;
                }
            };
            tracing::error!(target: "accord_node", log = %log, "{reason}");
            node.refuse_signing(reason);
            return;
        }
        // The logs the node may write but does not hold: a witness that cosigned entries of
        // one saw a log made after the backup the node was restored from.
        let unheld = blocking(node, |n| Ok(n.unheld_own_logs()))
            .await
            .unwrap_or_default();
        for log in &unheld {
            let asked =
                tokio::time::timeout(ASK_TIMEOUT, cosigned_of_unheld(node, client, &target, log))
                    .await
                    .unwrap_or_else(|_| Err(format!("no answer within {ASK_TIMEOUT:?}")));
            match asked {
                Ok(0) => {}
                Ok(theirs) => {
                    let reason = larger(&target.name, log, theirs, 0);
                    tracing::error!(target: "accord_node", log = %log, "{reason}");
                    node.refuse_signing(reason);
                    return;
                }
                Err(e) => {
                    tracing::warn!(target: "accord_node", witness = %target.name, log = %log, "cannot ask what it cosigned of a log this node does not hold: {e}");
                }
            }
        }
    }
}

/// Why the node signs nothing when witness `name` cosigned `theirs` entries of its log `log`
/// of `ours`.
pub fn larger(name: &str, log: &str, theirs: u64, ours: u64) -> String {
    format!(
        "{name} cosigned {theirs} entries of this node's log {}, which holds {ours}: the node \
         was restored from an older backup; it signs nothing until the missing entries are \
         recovered from the peers' mirrors",
        crate::node::origin(log)
    )
}

/// Why the node signs nothing when witness `name` cosigned another root of its log `log` at
/// `size`.
pub fn different(name: &str, log: &str, size: u64) -> String {
    format!(
        "{name} cosigned another root of this node's log at size {size} ({}): this node's \
         log is not the one its witnesses hold; it signs nothing",
        crate::node::origin(log)
    )
}

/// The size witness `target` last cosigned of the node's log `log`, which the node does not
/// hold (a log made after the backup it was restored from, or never made): it is asked to
/// cosign an empty checkpoint of that log, and a witness that cosigned entries of it answers
/// with their number. 0 when it cosigned none.
pub async fn cosigned_of_unheld(
    node: &Arc<Node>,
    client: &reqwest::Client,
    target: &WitnessTarget,
    log: &str,
) -> Result<u64, String> {
    let l = log.to_owned();
    let body = blocking(node, move |n| n.empty_witness_request(&l)).await?;
    let url = format!("{}/add-checkpoint", target.url.trim_end_matches('/'));
    let (status, headers, answer) = crate::outbox::post(client, &url, "text/plain", body).await?;
    match status {
        200 => Ok(0),
        409 if crate::outbox::content_type(&headers)
            .starts_with(accord_log::witness::SIZE_CONTENT_TYPE) =>
        {
            String::from_utf8_lossy(&answer)
                .trim()
                .parse()
                .map_err(|_| "409 without a size".to_owned())
        }
        _ => Err(format!(
            "{status}: {}",
            String::from_utf8_lossy(&answer).trim()
        )),
    }
}
