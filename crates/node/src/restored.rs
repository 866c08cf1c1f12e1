//! A node restored from an older backup must not fork its own log: before it signs anything,
//! it asks each peer for the checkpoint of its log that the peer last cosigned (the peer's
//! mirror, `GET /v1/logs/<own party>/checkpoint`). If a peer holds a larger log, or a
//! different root at a size the node has, the node refuses to sign its log (every append is
//! answered 409) and says why, until its operator recovers the missing entries.

use std::time::Duration;

use crate::NodeError;
use crate::node::Node;

/// What a peer's copy of the node's own log says against the node's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// The peer's copy is a prefix of the node's log (or the peer holds none).
    Behind,
    /// The peer cosigned more entries than the node holds.
    Larger {
        /// The size the peer cosigned.
        theirs: u64,
        /// The node's size.
        ours: u64,
    },
    /// The peer cosigned another root at a size the node holds.
    Different {
        /// The size.
        size: u64,
    },
}

impl Node {
    /// Compares a checkpoint note of the node's own log, as a peer serves it, with the log:
    /// the note must carry a signature by one of the node's keys (current or former).
    pub fn compare_own_checkpoint(&self, note: &[u8]) -> Result<Comparison, NodeError> {
        let cp = self.verify_own_checkpoint(note)?;
        let store = self.store();
        let ours = store.size(self.party.as_str());
        if cp.size() > ours {
            return Ok(Comparison::Larger {
                theirs: cp.size(),
                ours,
            });
        }
        if store.root_at(self.party.as_str(), cp.size())? != cp.root().0 {
            return Ok(Comparison::Different { size: cp.size() });
        }
        Ok(Comparison::Behind)
    }
}

/// Asks every peer for its copy of the node's log and refuses signing if one holds more or
/// another history. A peer that cannot be reached is skipped with a warning; its answer is
/// the outbox's to wait for.
pub async fn check_peers(node: &std::sync::Arc<Node>, client: &reqwest::Client) {
    for peer in &node.config.peers {
        let url = format!(
            "{}/v1/logs/{}/checkpoint",
            peer.url.trim_end_matches('/'),
            node.party
        );
        let answer = client
            .get(&url)
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        let resp = match answer {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(target: "accord_node", peer = %peer.party, "cannot ask for our log's checkpoint: {e}");
                continue;
            }
        };
        if resp.status() == reqwest::StatusCode::NOT_FOUND {
            continue;
        }
        let Ok(body) = resp.bytes().await else {
            continue;
        };
        let n = node.clone();
        let compared = tokio::task::spawn_blocking(move || n.compare_own_checkpoint(&body)).await;
        let reason = match compared {
            Ok(Ok(Comparison::Behind)) => continue,
            Ok(Ok(Comparison::Larger { theirs, ours })) => format!(
                "{} cosigned {theirs} entries of this node's log, which holds {ours}: the node \
                 was restored from an older backup; it signs nothing until the missing entries \
                 are recovered from the peers' mirrors",
                peer.party
            ),
            Ok(Ok(Comparison::Different { size })) => format!(
                "{} cosigned another root of this node's log at size {size}: this node's log \
                 is not the one its peers hold; it signs nothing",
                peer.party
            ),
            Ok(Err(e)) => {
                tracing::warn!(target: "accord_node", peer = %peer.party, "its copy of our log's checkpoint: {e}");
                continue;
            }
            Err(e) => {
                tracing::warn!(target: "accord_node", peer = %peer.party, "{e}");
                continue;
            }
        };
        tracing::error!(target: "accord_node", "{reason}");
        node.refuse_signing(reason);
    }
}
