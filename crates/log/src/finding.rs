//! Equivocation as a finding of accord: the evidence a party's node and `accord log` report.

use accord_log_core::{Equivocation, Result, SignedCheckpoint, find_equivocation};
use accord_model::{
    AgreementId, Arg, Basis, Evidence, Finding, Message, PartyId, ProvisionId, Severity,
};

/// The finding that a log signed two different checkpoints of one size.
pub fn equivocation_finding(
    party: &PartyId,
    a: &SignedCheckpoint,
    b: &SignedCheckpoint,
) -> Finding {
    let mut evidence = vec![
        Evidence::SignedNote {
            note: a.as_str().to_owned(),
        },
        Evidence::SignedNote {
            note: b.as_str().to_owned(),
        },
    ];
    evidence.sort();
    Finding {
        agreement: AgreementId::new("accord-log").expect("a valid id"),
        provision: ProvisionId::new("log/append-only").expect("a valid id"),
        party: party.clone(),
        severity: Severity::Violation,
        basis: Basis::Declared,
        message: Message::new("log-equivocation")
            .arg("origin", Arg::Id(a.origin().into()))
            .arg(
                "size",
                Arg::Number(i64::try_from(a.size()).unwrap_or(i64::MAX)),
            )
            .arg("root_a", Arg::Id(a.root().to_string().into()))
            .arg("root_b", Arg::Id(b.root().to_string().into())),
        notes: Vec::new(),
        summary: Equivocation::new(a.clone(), b.clone()).summary,
        figures: Vec::new(),
        evidence,
    }
}

/// Checks two checkpoint notes signed by the log key `log_vkey`: if they have one size and
/// different bodies, returns the equivocation finding against `party`.
pub fn detect_equivocation(
    a: &[u8],
    b: &[u8],
    log_vkey: &str,
    party: &PartyId,
) -> Result<Option<Finding>> {
    Ok(find_equivocation(a, b, log_vkey)?.map(|e| equivocation_finding(party, &e.a, &e.b)))
}
