//! Helpers shared by the engine's integration tests: records from JSON, instants, evidence.

use accord_model::{Evidence, Finding, Instant, Record};
use serde_json::{Value, json};

/// An instant from RFC 3339 text.
pub fn at(s: &str) -> Instant {
    s.parse().unwrap()
}

/// One record from its id, author, issue time and body (JSON).
pub fn record(id: &str, party: &str, issued_at: &str, body: Value) -> Record {
    serde_json::from_value(json!({
        "id": id, "party": party, "issued_at": issued_at, "body": body
    }))
    .unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// Whether a finding cites a record.
pub fn cites(f: &Finding, id: &str) -> bool {
    f.evidence
        .iter()
        .any(|e| matches!(e, Evidence::Record { id: r, .. } if r.as_str() == id))
}
