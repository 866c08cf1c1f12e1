//! Words and numbers for people: digit grouping and a plain-text report of findings.

use std::fmt::Write as _;

use accord_model::{Evidence, Finding, Severity};

/// A number with thousands separators: 1550 -> "1,550".
pub fn group_digits(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A plain-text report: findings grouped by severity (most serious first), each with why and its
/// evidence. Findings that do not apply are listed on one line each at the end.
pub fn render_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for severity in [Severity::Violation, Severity::Concern, Severity::Compliant] {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "== {} ({}) ==",
            severity.label().to_uppercase(),
            group.len()
        );
        for f in group {
            let _ = writeln!(
                out,
                "[{}] {} / {} / {}",
                severity.label(),
                f.agreement,
                f.provision,
                f.party
            );
            let _ = writeln!(out, "    {}", f.summary);
            for e in &f.evidence {
                let _ = writeln!(out, "    - {}", evidence_line(e));
            }
        }
        out.push('\n');
    }
    let na: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::NotApplicable)
        .collect();
    if !na.is_empty() {
        let _ = writeln!(out, "== NOT APPLICABLE ({}) ==", na.len());
        for f in na {
            let _ = writeln!(
                out,
                "  {} / {} / {}: {}",
                f.agreement, f.provision, f.party, f.summary
            );
        }
    }
    out
}

/// One line describing a piece of evidence.
pub(crate) fn evidence_line(e: &Evidence) -> String {
    match e {
        Evidence::Record {
            id,
            log_index: Some(i),
        } => format!("record {id} (log index {i})"),
        Evidence::Record {
            id,
            log_index: None,
        } => format!("record {id}"),
        Evidence::Source { url } => format!("source {url}"),
        Evidence::SignedNote { note } => {
            format!("signed note {}", note.lines().next().unwrap_or(""))
        }
        Evidence::Absence { expected } => format!("missing: {expected}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_by_thousands() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1550), "1,550");
        assert_eq!(group_digits(1_000_000), "1,000,000");
    }
}
