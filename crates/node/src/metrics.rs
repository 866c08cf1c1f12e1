//! The node's figures for monitoring, served at `GET /metrics` in the OpenMetrics text format
//! that Prometheus scrapes: requests by route, method and status, `add-entries` uploads and
//! entries taken into the mirrors of peers' logs, the outbox queue per peer, log sizes, and the
//! time the compliance engine takes.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// The content type of the answer of `GET /metrics`.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// A request's route (the template it matched), method and status.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

/// One peer.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PeerLabels {
    peer: String,
}

/// One log held.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LogLabels {
    log: String,
}

/// Every figure the node keeps.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    uploads: Family<PeerLabels, Counter>,
    entries: Family<PeerLabels, Counter>,
    queue: Family<PeerLabels, Gauge>,
    failed: Family<PeerLabels, Counter>,
    log_size: Family<LogLabels, Gauge>,
    evaluation: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Zeroed figures, registered under the prefix `accord`.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("accord");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            requests.clone(),
        );
        let uploads = Family::<PeerLabels, Counter>::default();
        registry.register(
            "mirror_uploads",
            "add-entries requests of a peer taken into the mirror of its log",
            uploads.clone(),
        );
        let entries = Family::<PeerLabels, Counter>::default();
        registry.register(
            "mirror_entries",
            "Entries of a peer's log stored in its mirror",
            entries.clone(),
        );
        let queue = Family::<PeerLabels, Gauge>::default();
        registry.register(
            "outbox_queue_entries",
            "Entries of the own log a peer has not yet cosigned",
            queue.clone(),
        );
        let failed = Family::<PeerLabels, Counter>::default();
        registry.register(
            "arrival_failures_reported",
            "Records of the own log a peer reported failing their check on arrival",
            failed.clone(),
        );
        let log_size = Family::<LogLabels, Gauge>::default();
        registry.register(
            "log_entries",
            "Entries in each log held (the own and the mirrors)",
            log_size.clone(),
        );
        let evaluation = Histogram::new(exponential_buckets(0.001, 2.0, 16));
        registry.register(
            "evaluation_seconds",
            "Time the compliance engine took to judge the logs for one answer",
            evaluation.clone(),
        );
        Metrics {
            registry,
            requests,
            uploads,
            entries,
            queue,
            failed,
            log_size,
            evaluation,
        }
    }

    /// Counts one answered request.
    pub fn request(&self, route: &str, method: &str, status: u16) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method: method.to_owned(),
                status,
            })
            .inc();
    }

    /// Counts an `add-entries` request of `peer` taken, which stored `entries` new entries in
    /// the mirror of its log (none while entries are still held for a later request).
    pub fn mirror_batch(&self, peer: &str, entries: u64) {
        let l = PeerLabels {
            peer: peer.to_owned(),
        };
        self.uploads.get_or_create(&l).inc();
        self.entries.get_or_create(&l).inc_by(entries);
    }

    /// Counts a record of the own log that `peer` reported failing its check on arrival.
    pub fn failed_on_arrival(&self, peer: &str) {
        self.failed
            .get_or_create(&PeerLabels {
                peer: peer.to_owned(),
            })
            .inc();
    }

    /// Records one evaluation's time.
    pub fn evaluated(&self, took: Duration) {
        self.evaluation.observe(took.as_secs_f64());
    }

    /// The text to answer a scrape with, after setting the figures read at scrape time: the
    /// outbox queue per peer and the size of every log.
    pub fn render(
        &self,
        queues: impl IntoIterator<Item = (String, u64)>,
        logs: impl IntoIterator<Item = (String, u64)>,
    ) -> Result<String, std::fmt::Error> {
        for (peer, n) in queues {
            self.queue
                .get_or_create(&PeerLabels { peer })
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
        for (log, n) in logs {
            self.log_size
                .get_or_create(&LogLabels { log })
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

impl crate::Node {
    /// The figures as the text `GET /metrics` answers.
    pub fn metrics_text(&self) -> Result<String, crate::NodeError> {
        let (queues, logs) = {
            let mut queues = Vec::with_capacity(self.config.peers.len());
            for p in &self.config.peers {
                queues.push((p.party.to_string(), self.backlog(&p.party)?));
            }
            let store = self.store();
            let logs: Vec<(String, u64)> = store
                .logs()
                .into_iter()
                .map(|l| {
                    let n = store.size(&l);
                    (l, n)
                })
                .collect();
            (queues, logs)
        };
        self.metrics
            .render(queues, logs)
            .map_err(|e| crate::NodeError::Malformed(format!("metrics: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_in_the_text_format() {
        let m = Metrics::new();
        m.request("/v1/node", "GET", 200);
        m.request("/v1/node", "GET", 200);
        m.request("/add-entries", "POST", 409);
        m.mirror_batch("RU", 1000);
        m.mirror_batch("RU", 3);
        m.evaluated(Duration::from_millis(3));
        let text = m
            .render([("RU".to_owned(), 7)], [("US".to_owned(), 12)])
            .unwrap();
        for line in [
            "accord_http_requests_total{route=\"/v1/node\",method=\"GET\",status=\"200\"} 2",
            "accord_http_requests_total{route=\"/add-entries\",method=\"POST\",status=\"409\"} 1",
            "accord_mirror_uploads_total{peer=\"RU\"} 2",
            "accord_mirror_entries_total{peer=\"RU\"} 1003",
            "accord_outbox_queue_entries{peer=\"RU\"} 7",
            "accord_log_entries{log=\"US\"} 12",
            "accord_evaluation_seconds_count 1",
            "accord_evaluation_seconds_bucket{le=\"0.004\"} 1",
            "accord_evaluation_seconds_bucket{le=\"0.002\"} 0",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing:\n{text}");
        }
        assert!(text.ends_with("# EOF\n"));
    }
}
