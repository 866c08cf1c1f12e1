//! Inspection reports held against revealed entries: contradictions become findings.

use std::collections::BTreeMap;

use accord_model::{
    AgreementId, Arg, Category, Evidence, Figure, Finding, Message, PartyId, ProvisionId, Record,
    RecordBody, RecordId, Severity, SiteId,
};

use crate::escrow::RevealedSite;

/// Who and what a report's findings are about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportContext {
    /// The agreement under which the inspection took place.
    pub agreement: AgreementId,
    /// The inspection (or declaration) provision the findings are filed under.
    pub provision: ProvisionId,
    /// The inspected party, whose declaration is escrowed.
    pub inspected: PartyId,
    /// The `DeclarationCommitment` record the reveals were checked against.
    pub commitment: RecordId,
}

/// A report that cannot be held against anything.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("record {record}: {reason}")]
pub struct ReportError {
    /// The record at fault.
    pub record: RecordId,
    /// What is wrong.
    pub reason: String,
}

fn record_evidence(id: &str) -> Option<Evidence> {
    RecordId::new(id).ok().map(Evidence::record)
}

/// Holds an inspection report against the verified reveals.
///
/// A site that no verified reveal shows is undeclared: items counted there are a violation. At
/// a revealed site, every category the inspectors counted (all statuses added up) must equal
/// the revealed count; a difference either way is a violation. A report that agrees gives one
/// compliant finding. Evidence: the report, the commitment and the reveals of the site.
pub fn report_findings(
    report: &Record,
    revealed: &BTreeMap<SiteId, RevealedSite>,
    ctx: &ReportContext,
) -> Result<Vec<Finding>, ReportError> {
    let RecordBody::InspectionReport(body) = &report.body else {
        return Err(ReportError {
            record: report.id.clone(),
            reason: format!(
                "is a {} record, not an inspection report",
                report.body.kind()
            ),
        });
    };
    let mut counted: BTreeMap<&Category, u64> = BTreeMap::new();
    for c in &body.counts {
        *counted.entry(&c.category).or_default() += c.counted;
    }
    let mut evidence = vec![
        Evidence::record(report.id.clone()),
        Evidence::record(ctx.commitment.clone()),
    ];
    // Inspectors of another party counted: the finding rests on their report.
    let finding = |severity, message: Message, figures: Vec<Figure>, evidence: &Vec<Evidence>| {
        let mut evidence = evidence.clone();
        evidence.sort();
        evidence.dedup();
        Finding {
            agreement: ctx.agreement.clone(),
            provision: ctx.provision.clone(),
            party: ctx.inspected.clone(),
            severity,
            basis: accord_model::Basis::ReportedByParty,
            summary: accord_messages::english(&message, &[]),
            message,
            notes: Vec::new(),
            figures,
            evidence,
        }
    };
    let site_msg = |id: &str| {
        Message::new(id)
            .arg("site", Arg::Id(body.site.as_str().into()))
            .arg("date", Arg::Date(body.date))
    };
    let mut out = Vec::new();
    let Some(site) = revealed.get(&body.site) else {
        let total: u64 = counted.values().sum();
        let figures: Vec<Figure> = counted
            .iter()
            .map(|(c, &n)| Figure {
                label: format!("{c} counted at {}", body.site).into(),
                value: n as i64,
                limit: Some(0),
                unit: c.as_str().into(),
            })
            .collect();
        evidence.push(Evidence::Absence {
            expected: format!(
                "a verified reveal of site {} under commitment {}",
                body.site, ctx.commitment
            ),
        });
        if total > 0 {
            out.push(finding(
                Severity::Violation,
                site_msg("inspection-undeclared-site")
                    .arg("total", number(total))
                    .arg("party", Arg::Id(ctx.inspected.as_str().into())),
                figures,
                &evidence,
            ));
        } else {
            out.push(finding(
                Severity::Concern,
                site_msg("inspection-empty-unrevealed"),
                figures,
                &evidence,
            ));
        }
        return Ok(out);
    };
    evidence.extend(site.revealed_by.iter().filter_map(|l| record_evidence(l)));
    for (category, &n) in &counted {
        let declared = site.counts.get(*category).copied();
        if declared == Some(n) {
            continue;
        }
        let declared_n = declared.unwrap_or(0);
        let why = match declared {
            None => Message::new("inspection-category-undeclared")
                .arg("category", Arg::Id(category.as_str().into())),
            Some(_) if n > declared_n => {
                Message::new("inspection-more").arg("difference", number(n - declared_n))
            }
            Some(_) => Message::new("inspection-fewer").arg("difference", number(declared_n - n)),
        };
        out.push(finding(
            Severity::Violation,
            site_msg("inspection-mismatch")
                .arg("counted", number(n))
                .arg("category", Arg::Id(category.as_str().into()))
                .arg("declared", number(declared_n))
                .nested("why", why),
            vec![Figure {
                label: format!("{category} counted at {}", body.site).into(),
                value: n as i64,
                limit: Some(declared_n as i64),
                unit: category.as_str().into(),
            }],
            &evidence,
        ));
    }
    if out.is_empty() {
        out.push(finding(
            Severity::Compliant,
            site_msg("inspection-agrees").arg("count", number(counted.len() as u64)),
            Vec::new(),
            &evidence,
        ));
    }
    Ok(out)
}

/// A count as a message argument.
fn number(n: u64) -> Arg {
    Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
}
