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
#[allow(dead_code)]
pub fn cites(f: &Finding, id: &str) -> bool {
    f.evidence
        .iter()
        .any(|e| matches!(e, Evidence::Record { id: r, .. } if r.as_str() == id))
}

/// Every finding the embedded agreements give on `records` at `when`, with `assume` in force.
#[allow(dead_code)]
pub fn evaluate(records: Vec<Record>, when: &str, assume: &[&str]) -> Vec<Finding> {
    let state = accord_state::State::from_records(records).unwrap_or_else(|e| panic!("{e}"));
    let mut engine = accord_compliance::Engine::new(accord_agreements::builtin().unwrap());
    for a in assume {
        engine
            .assume_in_force(&accord_model::AgreementId::new(*a).unwrap())
            .unwrap();
    }
    engine.evaluate(&state, at(when)).findings()
}

/// The findings about one provision and party.
#[allow(dead_code)]
pub fn about(f: &[Finding], agreement: &str, provision: &str, party: &str) -> Vec<Finding> {
    f.iter()
        .filter(|x| {
            x.agreement.as_str() == agreement
                && x.provision.as_str() == provision
                && x.party.as_str() == party
        })
        .cloned()
        .collect()
}

/// An activity in `zone` with its forces and the other States taking part (JSON).
#[allow(dead_code)]
pub fn activity_in(
    name: &str,
    kind: &str,
    (start, end): (&str, &str),
    zone: &str,
    forces: &[(&str, u64)],
    participants: &[&str],
) -> Value {
    let forces: Vec<Value> = forces
        .iter()
        .map(|(c, n)| json!({"category": c, "count": n}))
        .collect();
    json!({
        "name": name, "kind": kind, "start": start, "end": end,
        "area": {"zone": zone, "description": zone},
        "forces": forces, "participants": participants
    })
}

/// An open-source observation of `actor`'s troops, from an official and corroborated source.
#[allow(dead_code)]
pub fn troops_observed(id: &str, actor: &str, zone: &str, date: &str, quantity: u64) -> Record {
    record(
        id,
        "OSINT",
        &format!("{date}T20:00:00Z"),
        json!({"type": "observation",
               "source": {"url": format!("https://example.org/{id}"), "outlet": "Example", "title": "t", "published": date},
               "actor": actor, "category": "troops", "quantity": quantity, "qualifier": {"kind": "exactly"},
               "area": {"zone": zone, "description": zone}, "date": date,
               "attribution": {"who": "officials", "official": true}, "text": "troops",
               "confidence": {"independent_sources": 2, "official_sources": 1, "score": 70}}),
    )
}

/// An agreement `id` between `parties`, in force since 1 December 2011, with the provisions given
/// in `provisions` (TOML from `[[provision]]` on).
#[allow(dead_code)]
pub fn agreement_of(id: &str, parties: &[&str], provisions: &str) -> accord_agreements::Agreement {
    let parties: Vec<String> = parties.iter().map(|p| format!("\"{p}\"")).collect();
    let text = format!(
        "id = \"{id}\"\ntitle = \"t\"\ncitation = \"t\"\nbinding = \"political\"\n\
         parties = [{}]\n\n[[history]]\nstatus = \"in_force\"\ndate = 2011-12-01\n\n{provisions}",
        parties.join(", ")
    );
    accord_agreements::parse(
        &text,
        &format!("{id}.toml"),
        accord_agreements::Vocabulary::builtin(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The findings on `party` when `agreement` alone judges `records` at `when`.
#[allow(dead_code)]
pub fn judged_under(
    agreement: &accord_agreements::Agreement,
    records: Vec<Record>,
    when: &str,
    party: &str,
) -> Vec<Finding> {
    let state = accord_state::State::from_records(records).unwrap_or_else(|e| panic!("{e}"));
    accord_compliance::Engine::new(vec![agreement.clone()])
        .evaluate(&state, at(when))
        .findings()
        .into_iter()
        .filter(|f| f.party.as_str() == party)
        .collect()
}
