//! Deadlines: the acknowledgements and replies that agreements require, tracked over every log
//! the node holds. Overdue and late answers are findings.
//!
//! - A notification is acknowledged by every other party of the exchange within
//!   [`ACKNOWLEDGEMENT_HOURS`] (accord's default; an overdue acknowledgement is a concern).
//! - A request for explanation of unusual military activity is answered by the party asked within
//!   [`EXPLANATION_REPLY_HOURS`] (Vienna Document 2011, chapter III, paragraph 16.1: 48 hours; an
//!   overdue reply is a violation, a late one a concern).
//!
//! The evaluation depends only on the records and the instant, so every node holding the same
//! logs computes the same findings, byte for byte.

use std::collections::BTreeMap;

use accord_model::{
    AgreementId, Evidence, Finding, Instant, PartyId, ProvisionId, Record, RecordBody, RecordId,
    Severity,
};
use jiff::SignedDuration;
use sha2::{Digest, Sha256};

use crate::wire::{Deadline, Findings};

/// Hours within which a notification is to be acknowledged.
pub const ACKNOWLEDGEMENT_HOURS: i64 = 24;
/// Hours within which a request for explanation is to be answered.
pub const EXPLANATION_REPLY_HOURS: i64 = 48;

struct Due<'a> {
    record: &'a Record,
    log_index: u64,
    kind: &'static str,
    owed_by: PartyId,
    due: Instant,
    agreement: AgreementId,
    provision: ProvisionId,
}

/// Evaluates every deadline over `records` (log author, index, record) at `at`.
pub fn evaluate(records: &[(PartyId, u64, Record)], parties: &[PartyId], at: Instant) -> Findings {
    let visible: Vec<&(PartyId, u64, Record)> = records
        .iter()
        .filter(|(_, _, r)| r.issued_at <= at)
        .collect();
    // The earliest answer per (answering party, record answered, kind of answer).
    let mut answers: BTreeMap<(&PartyId, &RecordId, &str), (&Record, u64)> = BTreeMap::new();
    for (log, idx, r) in &visible {
        let key = match &r.body {
            RecordBody::Acknowledgement(a) => (log, &a.of, "acknowledgement"),
            RecordBody::ExplanationReply(a) => (log, &a.request, "explanation_reply"),
            _ => continue,
        };
        if r.party != *log {
            continue;
        }
        let e = answers.entry(key).or_insert((r, *idx));
        if (r.issued_at, &r.id) < (e.0.issued_at, &e.0.id) {
            *e = (r, *idx);
        }
    }
    let mut dues = Vec::new();
    for (_, idx, r) in &visible {
        match &r.body {
            RecordBody::Notification(n) => {
                for p in parties.iter().filter(|p| **p != r.party) {
                    dues.push(Due {
                        record: r,
                        log_index: *idx,
                        kind: "acknowledgement",
                        owed_by: p.clone(),
                        due: r.issued_at + SignedDuration::from_hours(ACKNOWLEDGEMENT_HOURS),
                        agreement: n.agreement.clone(),
                        provision: ProvisionId::new("acknowledgement").expect("valid id"),
                    });
                }
            }
            RecordBody::ExplanationRequest(q) => dues.push(Due {
                record: r,
                log_index: *idx,
                kind: "explanation_reply",
                owed_by: q.to.clone(),
                due: r.issued_at + SignedDuration::from_hours(EXPLANATION_REPLY_HOURS),
                agreement: q.agreement.clone(),
                provision: q.provision.clone(),
            }),
            _ => {}
        }
    }
    let mut deadlines = Vec::new();
    let mut findings = Vec::new();
    for d in dues {
        let answer = answers.get(&(&d.owed_by, &d.record.id, d.kind));
        let status = match answer {
            Some((a, _)) if a.issued_at <= d.due => "met",
            Some(_) => "late",
            None if at <= d.due => "pending",
            None => "overdue",
        };
        let what = if d.kind == "acknowledgement" {
            "acknowledgement of notification"
        } else {
            "reply to request for explanation"
        };
        let mut evidence = vec![Evidence::Record {
            id: d.record.id.clone(),
            log_index: Some(d.log_index),
        }];
        let finding = match (status, answer) {
            ("late", Some((a, i))) => {
                evidence.push(Evidence::Record {
                    id: a.id.clone(),
                    log_index: Some(*i),
                });
                let hours = a.issued_at.duration_since(d.record.issued_at).as_secs() / 3600;
                Some((
                    Severity::Concern,
                    format!(
                        "{} gave its {what} {} after {hours} hours, later than the {} hours allowed",
                        d.owed_by,
                        d.record.id,
                        d.due.duration_since(d.record.issued_at).as_secs() / 3600
                    ),
                ))
            }
            ("overdue", _) => {
                evidence.push(Evidence::Absence {
                    expected: format!("{what} {} by {} due {}", d.record.id, d.owed_by, d.due),
                });
                Some((
                    if d.kind == "acknowledgement" {
                        Severity::Concern
                    } else {
                        Severity::Violation
                    },
                    format!(
                        "{} has not given its {what} {}, due {}",
                        d.owed_by, d.record.id, d.due
                    ),
                ))
            }
            _ => None,
        };
        if let Some((severity, summary)) = finding {
            evidence.sort();
            findings.push(Finding {
                agreement: d.agreement.clone(),
                provision: d.provision.clone(),
                party: d.owed_by.clone(),
                severity,
                basis: accord_model::Basis::Declared,
                // Transitional: one message carrying the English text until the engine judges deadlines.
                message: accord_model::Message::new("finding-text")
                    .arg("text", accord_model::Arg::Text(summary.clone())),
                notes: Vec::new(),
                summary,
                figures: vec![],
                evidence,
            });
        }
        deadlines.push(Deadline {
            record: d.record.id.clone(),
            kind: d.kind.to_owned(),
            owed_by: d.owed_by.clone(),
            due: d.due.to_string(),
            answered_by: answer.map(|(a, _)| a.id.clone()),
            status: status.to_owned(),
        });
    }
    deadlines.sort_by(|a, b| {
        (&a.due, &a.record, &a.owed_by, &a.kind).cmp(&(&b.due, &b.record, &b.owed_by, &b.kind))
    });
    findings.sort_by(|a, b| {
        (&a.agreement, &a.provision, &a.party, &a.summary).cmp(&(
            &b.agreement,
            &b.provision,
            &b.party,
            &b.summary,
        ))
    });
    let digest = hex::encode(Sha256::digest(
        serde_json::to_vec(&findings).expect("findings serialise"),
    ));
    Findings {
        at: at.to_string(),
        deadlines,
        findings,
        digest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_model::{
        Acknowledgement, Activity, ActivityKind, Area, ExplanationReply, ExplanationRequest,
        Notification,
    };

    fn p(s: &str) -> PartyId {
        PartyId::new(s).unwrap()
    }

    fn rec(id: &str, party: &str, at: &str, body: RecordBody) -> Record {
        Record {
            id: RecordId::new(id).unwrap(),
            party: p(party),
            issued_at: at.parse().unwrap(),
            body,
        }
    }

    fn notification(id: &str, party: &str, at: &str) -> Record {
        rec(
            id,
            party,
            at,
            RecordBody::Notification(Notification {
                agreement: AgreementId::new("vienna-document-2011").unwrap(),
                activity: Activity {
                    name: "exercise".into(),
                    kind: ActivityKind::Exercise,
                    start: "2022-02-10".parse().unwrap(),
                    end: "2022-02-20".parse().unwrap(),
                    area: Area {
                        zone: None,
                        description: "somewhere".into(),
                    },
                    forces: vec![],
                    participants: vec![],
                },
            }),
        )
    }

    #[test]
    fn overdue_reply_is_a_violation_and_late_ack_a_concern() {
        let parties = [p("RU"), p("UA"), p("US")];
        let records = vec![
            (
                p("RU"),
                0,
                notification("RU-1", "RU", "2022-02-01T00:00:00Z"),
            ),
            (
                p("US"),
                0,
                rec(
                    "US-1",
                    "US",
                    "2022-02-01T10:00:00Z",
                    RecordBody::Acknowledgement(Acknowledgement {
                        of: RecordId::new("RU-1").unwrap(),
                    }),
                ),
            ),
            (
                p("UA"),
                0,
                rec(
                    "UA-1",
                    "UA",
                    "2022-02-03T00:00:00Z",
                    RecordBody::Acknowledgement(Acknowledgement {
                        of: RecordId::new("RU-1").unwrap(),
                    }),
                ),
            ),
            (
                p("UA"),
                1,
                rec(
                    "UA-2",
                    "UA",
                    "2022-02-13T00:00:00Z",
                    RecordBody::ExplanationRequest(ExplanationRequest {
                        agreement: AgreementId::new("vienna-document-2011").unwrap(),
                        provision: ProvisionId::new("chapter-iii-16").unwrap(),
                        to: p("RU"),
                        area: Area {
                            zone: None,
                            description: "border".into(),
                        },
                        text: "explain".into(),
                    }),
                ),
            ),
        ];
        let before = evaluate(&records, &parties, "2022-02-14T00:00:00Z".parse().unwrap());
        assert_eq!(before.findings.len(), 1, "{:#?}", before.findings);
        assert_eq!(before.findings[0].party, p("UA"));
        assert_eq!(before.findings[0].severity, Severity::Concern);
        let after = evaluate(&records, &parties, "2022-02-16T00:00:00Z".parse().unwrap());
        assert_eq!(after.findings.len(), 2);
        let v = after
            .findings
            .iter()
            .find(|f| f.severity == Severity::Violation)
            .unwrap();
        assert_eq!(v.party, p("RU"));
        assert_eq!(v.provision.as_str(), "chapter-iii-16");
        // The reply clears it.
        let mut answered = records.clone();
        answered.push((
            p("RU"),
            1,
            rec(
                "RU-2",
                "RU",
                "2022-02-14T00:00:00Z",
                RecordBody::ExplanationReply(ExplanationReply {
                    request: RecordId::new("UA-2").unwrap(),
                    text: "routine".into(),
                }),
            ),
        ));
        let fixed = evaluate(&answered, &parties, "2022-02-16T00:00:00Z".parse().unwrap());
        assert_eq!(fixed.findings.len(), 1);
        assert!(fixed.deadlines.iter().any(|d| d.status == "met"));
        assert_ne!(fixed.digest, after.digest);
    }
}
