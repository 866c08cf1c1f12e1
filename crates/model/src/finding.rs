//! Findings: what the compliance engine concludes, with figures and evidence.

use serde::{Deserialize, Serialize};

use crate::{AgreementId, PartyId, ProvisionId, RecordId};

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
    pub label: String,
    /// The value found.
    pub value: i64,
    /// The bound it is held against, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// The unit ("warheads", "troops", "hours").
    pub unit: String,
}

/// A piece of evidence a finding cites.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// A record, and its position in its author's log once logged.
    Record {
        /// The record.
        id: RecordId,
        /// The index of the record in its author's log, if known.
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

/// One conclusion of the compliance engine about one party and one provision.
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
    /// What was found, in one sentence with the figures.
    pub summary: String,
    /// The figures the finding rests on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Figure>,
    /// The evidence, sorted.
    pub evidence: Vec<Evidence>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
