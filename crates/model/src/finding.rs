//! Findings: what the compliance engine concludes, with figures and evidence.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use smol_str::SmolStr;

use crate::{AgreementId, Message, PartyId, ProvisionId, RecordId};

/// How serious a finding is. Ordered from least to most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The provision does not apply at this instant (not yet binding, expired, suspended).
    NotApplicable,
    /// The party complies, as far as the evidence shows.
    Compliant,
    /// Something needs explaining, but the evidence does not show a breach.
    Concern,
    /// The evidence shows a breach.
    Violation,
}

impl Severity {
    /// The word used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::NotApplicable => "not applicable",
            Severity::Compliant => "compliant",
            Severity::Concern => "concern",
            Severity::Violation => "violation",
        }
    }
}

/// A measured figure that a finding rests on, such as a declared level against its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    /// What the figure measures ("deployed warheads").
    pub label: SmolStr,
    /// The value found.
    pub value: i64,
    /// The bound it is held against, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// The unit ("warheads", "troops", "hours").
    pub unit: SmolStr,
}

/// A piece of evidence a finding cites.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// A record, and its position in its author's log once logged.
    Record {
        /// The record.
        id: RecordId,
        /// The origin line of the log that holds the record (see [`log_origin`]), if logged.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        origin: Option<SmolStr>,
        /// The index of the record in that log, if known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        log_index: Option<u64>,
    },
    /// A public source.
    Source {
        /// Its address.
        url: String,
    },
    /// A signed note (a checkpoint), verbatim.
    SignedNote {
        /// The note's text and signatures.
        note: String,
    },
    /// Something required that is missing, described in words.
    Absence {
        /// What was expected and not found.
        expected: String,
    },
}

impl Evidence {
    /// A record not known to be logged.
    pub fn record(id: RecordId) -> Self {
        Evidence::Record {
            id,
            origin: None,
            log_index: None,
        }
    }

    /// A record at `index` of the log whose origin line is `origin`.
    pub fn logged(id: RecordId, origin: impl Into<SmolStr>, index: u64) -> Self {
        Evidence::Record {
            id,
            origin: Some(origin.into()),
            log_index: Some(index),
        }
    }
}

/// The C2SP origin line of the log of `party`'s records, as its node signs it and as evidence
/// cites it.
pub fn log_origin(party: &str) -> String {
    format!("accord/log/{party}")
}

/// What a finding rests on: the party's own word, another party's, or open sources alone.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The party's own records (declarations, notifications, replies) or their absence.
    #[default]
    Declared,
    /// Records of another party (its observations, inspection reports, requests).
    ReportedByParty,
    /// Open-source observations only: a suspicion with its confidence, not a proven breach.
    OpenSources,
}

/// One conclusion of the compliance engine about one party and one provision.
///
/// What it says is `message` followed by `notes`, rendered in any language from the message
/// files; `summary` is the English rendering, kept for plain-text output and for readers of the
/// JSON. The digest ([`findings_digest`]) leaves `summary` out, so every language gives the
/// same digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The agreement.
    pub agreement: AgreementId,
    /// The provision.
    pub provision: ProvisionId,
    /// The party the finding is about.
    pub party: PartyId,
    /// How serious.
    pub severity: Severity,
    /// What the finding rests on.
    #[serde(default)]
    pub basis: Basis,
    /// What was found, as a message id and its arguments.
    pub message: Message,
    /// Qualifications added to the message (stale figures, a declared suspension), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Message>,
    /// What was found, in English, in one sentence with the figures.
    pub summary: String,
    /// The figures the finding rests on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Figure>,
    /// The evidence, sorted.
    pub evidence: Vec<Evidence>,
}

/// The SHA-256 (hex) of the findings as canonical JSON without their English summaries.
///
/// Two nodes, or a node and `accord check`, that hold the same records and agreements give the
/// same digest whatever language they show. The findings must already be sorted.
pub fn findings_digest(findings: &[Finding]) -> String {
    #[derive(Serialize)]
    struct Digested<'a> {
        agreement: &'a AgreementId,
        provision: &'a ProvisionId,
        party: &'a PartyId,
        severity: Severity,
        basis: Basis,
        message: &'a Message,
        notes: &'a [Message],
        figures: &'a [Figure],
        evidence: &'a [Evidence],
    }
    let mut h = Sha256::new();
    for f in findings {
        let d = Digested {
            agreement: &f.agreement,
            provision: &f.provision,
            party: &f.party,
            severity: f.severity,
            basis: f.basis,
            message: &f.message,
            notes: &f.notes,
            figures: &f.figures,
            evidence: &f.evidence,
        };
        // Serialising these plain structs cannot fail; a newline separates findings.
        let line = serde_json::to_vec(&d).unwrap_or_default();
        h.update(&line);
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Arg;

    #[test]
    fn record_evidence_names_its_log_and_old_findings_still_parse() {
        let id = RecordId::new("US-Q-1").unwrap();
        let e = Evidence::logged(id.clone(), log_origin("US"), 7);
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"kind":"record","id":"US-Q-1","origin":"accord/log/US","log_index":7}"#
        );
        // Written before evidence named its log: the index alone, or nothing.
        let old: Evidence =
            serde_json::from_str(r#"{"kind":"record","id":"US-Q-1","log_index":7}"#).unwrap();
        assert_eq!(
            old,
            Evidence::Record {
                id: id.clone(),
                origin: None,
                log_index: Some(7)
            }
        );
        let bare: Evidence = serde_json::from_str(r#"{"kind":"record","id":"US-Q-1"}"#).unwrap();
        assert_eq!(bare, Evidence::record(id.clone()));
        assert_eq!(
            serde_json::to_string(&bare).unwrap(),
            r#"{"kind":"record","id":"US-Q-1"}"#
        );
    }

    #[test]
    fn severities_order_by_seriousness() {
        assert!(Severity::Violation > Severity::Concern);
        assert!(Severity::Concern > Severity::Compliant);
        assert!(Severity::Compliant > Severity::NotApplicable);
        assert_eq!(
            serde_json::to_string(&Severity::NotApplicable).unwrap(),
            "\"not_applicable\""
        );
    }

    fn sample(summary: &str) -> Finding {
        Finding {
            agreement: AgreementId::new("new-start").unwrap(),
            provision: ProvisionId::new("art-ii-1-a").unwrap(),
            party: PartyId::new("RU").unwrap(),
            severity: Severity::Violation,
            basis: Basis::Declared,
            message: Message::new("limit-exceeded")
                .arg("level", Arg::Number(1600))
                .arg("limit", Arg::Number(1550)),
            notes: vec![],
            summary: summary.into(),
            figures: vec![],
            evidence: vec![],
        }
    }

    #[test]
    fn digest_ignores_the_language_of_the_summary_but_not_the_arguments() {
        let en = sample("RU declared 1,600 warheads");
        let ru = sample("RU заявила 1 600 боезарядов");
        assert_eq!(
            findings_digest(std::slice::from_ref(&en)),
            findings_digest(&[ru])
        );
        let mut other = en.clone();
        other.message.args.insert("level".into(), Arg::Number(1601));
        assert_ne!(
            findings_digest(std::slice::from_ref(&en)),
            findings_digest(&[other])
        );
        let mut cited = en.clone();
        cited.evidence = vec![Evidence::logged(
            RecordId::new("RU-decl").unwrap(),
            log_origin("RU"),
            4,
        )];
        let mut elsewhere = cited.clone();
        elsewhere.evidence = vec![Evidence::logged(
            RecordId::new("RU-decl").unwrap(),
            log_origin("US"),
            4,
        )];
        assert_ne!(
            findings_digest(std::slice::from_ref(&cited)),
            findings_digest(&[elsewhere])
        );
        let mut based = en.clone();
        based.basis = Basis::OpenSources;
        assert_ne!(findings_digest(&[en]), findings_digest(&[based]));
    }
}
