//! Open-source reports become evidence: claims -> observation records -> state -> compliance.
//! A large force observed with no notification under the Vienna Document is a finding that cites
//! the report it was read from.

use accord_compliance::Engine;
use accord_model::{Evidence, Finding, Severity};
use accord_state::State;

/// Runs reports through the osint pipeline and the Vienna Document, as of `at`.
fn findings_from_reports(texts: &[(&str, &str)], at: &str) -> Vec<Finding> {
    let reports: Vec<_> = texts
        .iter()
        .map(|(id, text)| accord_osint::parse_report(id, text).expect("a readable report"))
        .collect();
    let set = accord_osint::observations(&reports);
    assert!(!set.records.is_empty(), "the reports yield observations");
    let state = State::from_records(set.records).expect("observations fold into a state");
    let vd: Vec<_> = accord_agreements::builtin()
        .expect("the embedded agreements load")
        .into_iter()
        .filter(|a| a.id.as_str() == "vienna-document-2011")
        .collect();
    let at = accord_state::end_of(at.parse().unwrap());
    Engine::new(vd).evaluate(&state, at).findings()
}

/// The finding on RU's unnotified forces that cites `url`, at `severity` or worse.
fn unnotified_troops<'a>(
    findings: &'a [Finding],
    url: &str,
    severity: Severity,
) -> Option<&'a Finding> {
    findings.iter().find(|f| {
        f.provision.as_str() == "ch-v-notification"
            && f.party.as_str() == "RU"
            && f.severity >= severity
            && f.evidence
                .iter()
                .any(|e| matches!(e, Evidence::Source { url: u } if u == url))
    })
}

#[test]
fn an_unnotified_build_up_in_a_report_is_a_finding_citing_it() {
    let report = "url: https://wire.example/2022/01/20/buildup\n\
        outlet: Example Wire\n\
        published: 2022-01-20\n\
        title: Build-up continues near Ukraine\n\n\
        Build-up continues near Ukraine\n\
        Russia has massed more than 100,000 troops near the border with Ukraine, US officials said on Thursday.\n\
        Moscow denies any plan to attack its neighbour.\n";
    let findings = findings_from_reports(&[("wire-1", report)], "2022-01-21");
    let f = unnotified_troops(
        &findings,
        "https://wire.example/2022/01/20/buildup",
        Severity::Violation,
    )
    .unwrap_or_else(|| panic!("no unnotified-activity finding: {findings:#?}"));
    assert!(f.summary.contains("100,000"), "{}", f.summary);
    assert!(
        f.summary.contains("9,000"),
        "the threshold is stated: {}",
        f.summary
    );
}

#[test]
fn a_report_below_the_threshold_is_no_violation() {
    let report = "url: https://wire.example/2022/01/20/small\n\
        outlet: Example Wire\n\
        published: 2022-01-20\n\
        title: Small drill\n\n\
        Small drill\n\
        Russia has moved about 2,000 troops near the border with Ukraine for a drill, officials said.\n";
    let findings = findings_from_reports(&[("wire-2", report)], "2022-01-21");
    assert!(
        unnotified_troops(
            &findings,
            "https://wire.example/2022/01/20/small",
            Severity::Concern,
        )
        .is_none()
    );
}

/// Opt-in (ACCORD_SHARED): the corpus's seed-000, "more than 120,000 troops" near Ukraine.
#[test]
fn seed_000_is_a_finding_that_cites_the_report() {
    let Some(shared) = accord_testkit::shared_dir("seed_000_is_a_finding_that_cites_the_report")
    else {
        return;
    };
    let path = std::path::Path::new(&shared).join("corpus/reports/seed-000.txt");
    let text = std::fs::read_to_string(&path).expect("seed-000 in the corpus");
    let report = accord_osint::parse_report("seed-000", &text).unwrap();
    // The corpus gives no URL for seed-000; the observation then names the report itself.
    let url = report
        .url
        .clone()
        .unwrap_or_else(|| "report:seed-000".to_owned());
    let findings = findings_from_reports(&[("seed-000", &text)], "2022-01-27");
    // One outlet, no official quoted: the engine weighs it as a concern, not yet a violation.
    let f = unnotified_troops(&findings, &url, Severity::Concern)
        .unwrap_or_else(|| panic!("no finding citing {url}: {findings:#?}"));
    assert!(f.summary.contains("120,000"), "{}", f.summary);
}
