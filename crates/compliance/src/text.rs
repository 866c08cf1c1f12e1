//! Words and numbers for people: digit grouping and a plain-text report of findings in a
//! language.

use std::fmt::Write as _;

use accord_messages::Lang;
use accord_model::{Arg, Evidence, Finding, Message, Severity};

/// A plain-text report in a language: findings grouped by severity (most serious first), each
/// with why and its evidence. Findings that do not apply are listed on one line each at the end.
pub fn render_text(findings: &[Finding], lang: Lang) -> String {
    let mut out = String::new();
    for severity in [Severity::Violation, Severity::Concern, Severity::Compliant] {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        let label = severity_word(lang, severity);
        let _ = writeln!(out, "== {} ({}) ==", label.to_uppercase(), group.len());
        for f in group {
            let _ = writeln!(
                out,
                "[{label}] {} / {} / {}",
                f.agreement, f.provision, f.party
            );
            let _ = writeln!(out, "    {}", finding_text(f, lang));
            for e in &f.evidence {
                let _ = writeln!(out, "    - {}", evidence_line(e, lang));
            }
        }
        out.push('\n');
    }
    let na: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::NotApplicable)
        .collect();
    if !na.is_empty() {
        let label = severity_word(lang, Severity::NotApplicable);
        let _ = writeln!(out, "== {} ({}) ==", label.to_uppercase(), na.len());
        for f in na {
            let _ = writeln!(
                out,
                "  {} / {} / {}: {}",
                f.agreement,
                f.provision,
                f.party,
                finding_text(f, lang)
            );
        }
    }
    out
}

/// What a finding says, in a language (its `summary` in English).
pub fn finding_text(f: &Finding, lang: Lang) -> String {
    match lang {
        Lang::En => f.summary.clone(),
        _ => accord_messages::render_finding(lang, &f.message, &f.notes),
    }
}

/// The word for a severity in a language ("violation", "нарушение").
pub fn severity_word(lang: Lang, severity: Severity) -> String {
    let id = match severity {
        Severity::Violation => "severity-violation",
        Severity::Concern => "severity-concern",
        Severity::Compliant => "severity-compliant",
        Severity::NotApplicable => "severity-not_applicable",
    };
    accord_messages::word(lang, id)
}

/// An agreement's status in words ("in force", "в силе"); none yet when `None`.
pub fn status_word(lang: Lang, status: Option<accord_agreements::Status>) -> String {
    match status {
        Some(s) => accord_messages::render(
            lang,
            &Message::new("agreement-status").arg("status", Arg::Id(s.as_str().into())),
        ),
        None => accord_messages::word(lang, "no-status-yet"),
    }
}

/// Counts by severity, as one line in a language.
pub fn tally(findings: &[Finding], lang: Lang) -> String {
    let count = |s| findings.iter().filter(|f| f.severity == s).count() as i64;
    accord_messages::render(
        lang,
        &Message::new("tally")
            .arg("violations", Arg::Number(count(Severity::Violation)))
            .arg("concerns", Arg::Number(count(Severity::Concern)))
            .arg("compliant", Arg::Number(count(Severity::Compliant)))
            .arg(
                "not_applicable",
                Arg::Number(count(Severity::NotApplicable)),
            ),
    )
}

/// One line describing a piece of evidence, in a language.
pub fn evidence_line(e: &Evidence, lang: Lang) -> String {
    let m = match e {
        Evidence::Record {
            id,
            log_index: Some(i),
            ..
        } => Message::new("evidence-record-logged")
            .arg("id", Arg::Id(id.as_str().into()))
            .arg("index", Arg::Id(i.to_string().into())),
        Evidence::Record {
            id,
            log_index: None,
            ..
        } => Message::new("evidence-record").arg("id", Arg::Id(id.as_str().into())),
        Evidence::Source { url } => {
            Message::new("evidence-source").arg("url", Arg::Id(url.as_str().into()))
        }
        Evidence::SignedNote { note } => Message::new("evidence-signed-note")
            .arg("line", Arg::Text(note.lines().next().unwrap_or("").into())),
        Evidence::Absence { expected } => {
            Message::new("evidence-missing").arg("expected", Arg::Text(expected.as_str().into()))
        }
    };
    accord_messages::render(lang, &m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_report_speaks_the_language_asked() {
        let f = Finding {
            agreement: accord_model::AgreementId::new("new-start").unwrap(),
            provision: accord_model::ProvisionId::new("art-ii-1-a").unwrap(),
            party: accord_model::PartyId::new("RU").unwrap(),
            severity: Severity::Violation,
            basis: accord_model::Basis::Declared,
            message: Message::new("exchange-missing")
                .arg("party", Arg::Id("RU".into()))
                .arg(
                    "as_of",
                    Arg::Date(accord_model::Date::new(2023, 3, 1).unwrap()),
                )
                .arg(
                    "due",
                    Arg::Date(accord_model::Date::new(2023, 3, 31).unwrap()),
                ),
            notes: vec![],
            summary: "RU made no data exchange as of 1 March 2023 (due by 31 March 2023)".into(),
            figures: vec![],
            evidence: vec![Evidence::logged(
                accord_model::RecordId::new("RU-2022-09-01").unwrap(),
                "accord/log/RU",
                1234,
            )],
        };
        let en = render_text(std::slice::from_ref(&f), Lang::En);
        assert!(en.starts_with("== VIOLATION (1) ==\n[violation] new-start / art-ii-1-a / RU\n"));
        assert!(
            en.contains("    RU made no data exchange as of 1 March 2023 (due by 31 March 2023)\n")
        );
        assert!(en.contains("    - record RU-2022-09-01 (log index 1234)\n"));
        let ru = render_text(&[f], Lang::Ru);
        assert!(
            ru.starts_with("== НАРУШЕНИЕ (1) ==\n[нарушение] new-start / art-ii-1-a / RU\n"),
            "{ru}"
        );
        assert!(
            ru.contains("RU не передала данные на 1 марта 2023 г. (срок — 31 марта 2023 г.)"),
            "{ru}"
        );
        assert!(
            ru.contains("запись RU-2022-09-01 (индекс в журнале 1234)"),
            "{ru}"
        );
    }
}
