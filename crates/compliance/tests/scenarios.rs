//! The key findings of the two scenarios in examples/.

use std::path::{Path, PathBuf};

use accord_compliance::Scenario;
use accord_model::{AgreementId, Evidence, Finding, Instant, Severity};

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn at(s: &str) -> Instant {
    s.parse().unwrap()
}

fn findings(s: &Scenario, when: Instant, assume: &[&str]) -> Vec<Finding> {
    let assume: Vec<AgreementId> = assume
        .iter()
        .map(|a| AgreementId::new(*a).unwrap())
        .collect();
    s.engine(&assume)
        .unwrap()
        .evaluate(&s.state, when)
        .findings()
}

fn of<'a>(f: &'a [Finding], agreement: &str, provision: &str, party: &str) -> Vec<&'a Finding> {
    f.iter()
        .filter(|x| {
            x.agreement.as_str() == agreement
                && x.provision.as_str() == provision
                && x.party.as_str() == party
        })
        .collect()
}

fn cites(f: &Finding, id: &str) -> bool {
    f.evidence
        .iter()
        .any(|e| matches!(e, Evidence::Record { id: r, .. } if r.as_str() == id))
}

// ---- 2022 crisis ----------------------------------------------------------------------------

#[test]
fn crisis_ukraines_unanswered_request_is_a_violation_citing_the_request() {
    let s = Scenario::load(&dir("2022-crisis")).unwrap();
    let f = findings(&s, s.file.as_of, &[]);
    let rr = of(
        &f,
        "vienna-document-2011",
        "ch-iii-unusual-activities",
        "RU",
    );
    let first = rr
        .iter()
        .find(|x| cites(x, "UA-2022-02-11-VD-III"))
        .expect("a finding on Ukraine's request");
    assert_eq!(first.severity, Severity::Violation);
    assert!(first.summary.contains("no reply"), "{}", first.summary);
    // A day after the request, the reply was not yet due.
    let f = findings(&s, at("2022-02-12T12:00:00Z"), &[]);
    let rr = of(
        &f,
        "vienna-document-2011",
        "ch-iii-unusual-activities",
        "RU",
    );
    assert_eq!(rr.len(), 1);
    assert_eq!(rr[0].severity, Severity::Compliant);
}

#[test]
fn crisis_belarus_replied_to_the_baltic_request_in_time() {
    let s = Scenario::load(&dir("2022-crisis")).unwrap();
    let f = findings(&s, s.file.as_of, &[]);
    // The records start in September 2021: earlier exchanges are not expected of them.
    assert!(
        !f.iter()
            .any(|x| x.provision.as_str() == "data-exchange" && x.severity != Severity::Compliant)
    );
    let rr = of(
        &f,
        "vienna-document-2011",
        "ch-iii-unusual-activities",
        "BY",
    );
    // The reply in time, and Belarus's attendance at the meeting of 14 February.
    assert_eq!(rr.len(), 2, "{rr:#?}");
    assert!(rr.iter().all(|x| x.severity == Severity::Compliant));
    assert!(
        rr.iter()
            .any(|x| cites(x, "BY-2022-02-11-VD-III") && cites(x, "LT-2022-02-09-VD-III"))
    );
    assert!(rr.iter().any(|x| cites(x, "LT-2022-02-14-VD-III-MEETING")));
}

#[test]
fn crisis_russia_absent_from_the_meetings_of_15_and_18_february() {
    let s = Scenario::load(&dir("2022-crisis")).unwrap();
    let f = findings(&s, s.file.as_of, &[]);
    let rr = of(
        &f,
        "vienna-document-2011",
        "ch-iii-unusual-activities",
        "RU",
    );
    let consultation = rr
        .iter()
        .find(|x| cites(x, "UA-2022-02-15-VD-III-MEETING"))
        .expect("a finding on the consultations of 15 February");
    assert_eq!(consultation.severity, Severity::Violation);
    assert_eq!(consultation.basis, accord_model::Basis::ReportedByParty);
    let joint = rr
        .iter()
        .find(|x| cites(x, "UA-2022-02-18-VD-III-JOINT"))
        .expect("a finding on the joint meeting of 18 February");
    assert_eq!(joint.severity, Severity::Concern);
    // The meeting request is not counted as a second unanswered request for explanation.
    let unanswered: Vec<_> = rr
        .iter()
        .filter(|x| x.message.id == "request-unanswered")
        .collect();
    assert_eq!(unanswered.len(), 1, "{rr:#?}");
}

#[test]
fn crisis_forces_observed_far_above_the_threshold_without_notification_are_violations() {
    let s = Scenario::load(&dir("2022-crisis")).unwrap();
    let f = findings(&s, s.file.as_of, &[]);
    let v = of(&f, "vienna-document-2011", "ch-v-notification", "RU");
    // The estimate of 18 February spans Belarus, Crimea and Russia near Ukraine: it is judged in
    // the zone of application, not placed in one of the zones it covers.
    let wide = v
        .iter()
        .find(|x| cites(x, "OSINT-2022-02-18-a"))
        .expect("a finding on the estimate in and near Ukraine");
    assert_eq!(wide.severity, Severity::Violation);
    assert_eq!(wide.figures[0].value, 169_000);
    assert_eq!(wide.figures[0].limit, Some(9000));
    assert!(
        wide.summary.contains("Vienna Document zone of application"),
        "{}",
        wide.summary
    );
    let near = v
        .iter()
        .find(|x| cites(x, "OSINT-2022-02-02-a"))
        .expect("a finding near Ukraine's borders");
    assert_eq!(near.severity, Severity::Violation);
    assert_eq!(near.figures[0].value, 130_000);
    // Resting on open sources alone, it says so, with the confidence.
    assert_eq!(near.basis, accord_model::Basis::OpenSources);
    assert!(
        near.summary.contains("a suspicion on open sources alone"),
        "{}",
        near.summary
    );
    // NATO's expectation of 30,000 in Belarus is a forecast, not an observation: no finding
    // rests on it, and none places observed forces in Belarus.
    assert!(!f.iter().any(|x| cites(x, "NATO-2022-02-03-FORECAST")));
    assert!(!v.iter().any(|x| x.summary.contains("forces in Belarus")));
    // Observation (chapter VI) depends on notification: the same forces are not judged twice.
    let obs = of(&f, "vienna-document-2011", "ch-vi-observation", "RU");
    assert!(
        !obs.iter().any(|x| cites(x, "OSINT-2022-02-18-a")),
        "{obs:#?}"
    );
    // December 2021 is judged in its own year.
    assert!(v.iter().any(|x| cites(x, "OSINT-2021-12-04-a")));
}

#[test]
fn crisis_proposals_are_drafts_until_assumed_in_force() {
    let s = Scenario::load(&dir("2022-crisis")).unwrap();
    let f = findings(&s, s.file.as_of, &[]);
    let us: Vec<_> = f
        .iter()
        .filter(|x| x.agreement.as_str() == "us-proposal-2022")
        .collect();
    assert!(!us.is_empty());
    assert!(us.iter().all(|x| x.severity == Severity::NotApplicable
        && x.summary.contains("--assume-in-force us-proposal-2022")));
    let f = findings(
        &s,
        s.file.as_of,
        &["us-proposal-2022", "nato-proposal-2022"],
    );
    // The Aegis Ashore visits are owed only once Russia has granted the reciprocal ones.
    let aegis = of(&f, "us-proposal-2022", "aegis-ashore-transparency", "US");
    assert_eq!(aegis.len(), 1);
    assert!(
        aegis[0]
            .summary
            .contains("russian-missile-base-transparency")
    );
    // No record places Russian forces in Ukraine, Georgia or Moldova, but the estimates of
    // 15-18 February cover an area that includes Ukraine: compliance is not established.
    let ban = of(&f, "nato-proposal-2022", "withdraw-forces", "RU");
    assert_eq!(ban.len(), 1);
    assert_eq!(ban[0].severity, Severity::NotApplicable);
    assert!(cites(ban[0], "OSINT-2022-02-18-a"));
}

// ---- New START history ------------------------------------------------------------------------

#[test]
fn new_start_before_2018_levels_are_shown_against_limits_without_binding() {
    let s = Scenario::load(&dir("new-start-history")).unwrap();
    let f = findings(&s, at("2017-09-30T00:00:00Z"), &[]);
    let wh = of(&f, "new-start", "art-ii-1-b", "RU");
    assert_eq!(wh.len(), 1);
    assert_eq!(wh[0].severity, Severity::NotApplicable);
    assert_eq!(wh[0].figures[0].value, 1561);
    assert_eq!(wh[0].figures[0].limit, Some(1550));
    assert!(cites(wh[0], "RU-NS-DE-2017-09-01"));
}

#[test]
fn new_start_after_2018_each_figure_is_checked_and_traced() {
    let s = Scenario::load(&dir("new-start-history")).unwrap();
    let f = findings(&s, at("2018-09-30T00:00:00Z"), &[]);
    let wh = of(&f, "new-start", "art-ii-1-b", "RU");
    assert_eq!(wh[0].severity, Severity::Compliant);
    assert_eq!(wh[0].figures[0].value, 1420);
    assert!(cites(wh[0], "RU-NS-DE-2018-09-01"));
    // The US launcher figure of 2018-02-05 was not published: the last one stated is used.
    let f = findings(&s, at("2018-06-01T00:00:00Z"), &[]);
    let l = of(&f, "new-start", "art-ii-1-c", "US");
    assert_eq!(l[0].figures[0].value, 800);
    assert!(cites(l[0], "US-NS-DE-2017-09-01") && cites(l[0], "US-NS-DE-2018-02-05"));
    assert!(
        l[0].summary.contains("does not state it"),
        "{}",
        l[0].summary
    );
}

#[test]
fn new_start_every_published_exchange_is_traced_in_the_findings() {
    let s = Scenario::load(&dir("new-start-history")).unwrap();
    let f = findings(&s, s.file.as_of, &[]);
    let csv = std::fs::read_to_string(dir("new-start-history").join("data-exchanges.csv")).unwrap();
    let mut rows = 0;
    for line in csv.lines().skip(1) {
        let mut cols = line.split(',');
        let (date, party) = (cols.next().unwrap(), cols.next().unwrap());
        let id = format!("{party}-NS-DE-{date}");
        assert!(
            s.state.get(&id.parse().unwrap()).is_some(),
            "{id} has no record"
        );
        assert!(
            f.iter().any(|x| cites(x, &id)),
            "{id} is cited by no finding"
        );
        rows += 1;
    }
    assert_eq!(rows, 45);
}

#[test]
fn new_start_missing_exchanges_after_the_suspension_are_violations() {
    let s = Scenario::load(&dir("new-start-history")).unwrap();
    let f = findings(&s, s.file.as_of, &[]);
    let ru: Vec<_> = of(&f, "new-start", "data-exchange", "RU")
        .into_iter()
        .filter(|x| x.severity == Severity::Violation)
        .collect();
    assert!(ru.iter().any(|x| x.summary.contains("as of 1 March 2023")));
    assert!(
        ru.iter()
            .all(|x| x.summary.contains("suspended on 28 February 2023"))
    );
    assert_eq!(ru.len(), 6, "2023-03 to 2025-09");
    let us: Vec<_> = of(&f, "new-start", "data-exchange", "US")
        .into_iter()
        .filter(|x| x.severity == Severity::Violation)
        .collect();
    // The US figures as of 2023-03-01 were published, not exchanged: six missing, 2023-03 to
    // 2025-09, each beside the countermeasures the US declared.
    assert_eq!(us.len(), 6, "2023-03 to 2025-09");
    assert!(us.iter().all(|x| cites(x, "US-2023-03-28-COUNTERMEASURE")));
    let march = us
        .iter()
        .find(|x| x.summary.contains("as of 1 March 2023"))
        .unwrap();
    assert!(cites(march, "US-NS-DE-2023-03-01"), "{march:#?}");
    assert!(march.notes.iter().any(|n| n.id == "note-published-only"));
    // Before the suspension, every scheduled exchange was made.
    let f = findings(&s, at("2022-12-31T23:59:59Z"), &[]);
    assert!(
        !f.iter()
            .any(|x| x.provision.as_str() == "data-exchange" && x.severity == Severity::Violation)
    );
}

#[test]
fn new_start_has_expired_after_2026_02_05() {
    let s = Scenario::load(&dir("new-start-history")).unwrap();
    let f = findings(&s, at("2026-03-01T00:00:00Z"), &[]);
    assert!(!f.is_empty());
    assert!(f.iter().all(|x| x.severity == Severity::NotApplicable));
    assert!(
        f.iter()
            .all(|x| x.summary.contains("expired on 5 February 2026"))
    );
}

#[test]
fn scenario_output_is_byte_for_byte_reproducible() {
    let a = Scenario::load(&dir("2022-crisis")).unwrap();
    let b = Scenario::load(&dir("2022-crisis")).unwrap();
    let ja = serde_json::to_vec(&findings(&a, a.file.as_of, &["us-proposal-2022"])).unwrap();
    let jb = serde_json::to_vec(&findings(&b, b.file.as_of, &["us-proposal-2022"])).unwrap();
    assert_eq!(ja, jb);
}

#[test]
fn a_bad_record_is_reported_with_its_file_and_line() {
    let e = Scenario::from_texts(
        "name='x'\ntitle='x'\nparties=['US']\nagreements=['new-start']\nas_of='2020-01-01T00:00:00Z'\n",
        "scenario.toml",
        "{\"id\":\"a\"}\n",
        "records.jsonl",
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("records.jsonl:1:"), "{e}");
    let e = Scenario::from_texts(
        "name='x'\ntitle='x'\nparties=['US']\nagreements=['nothing']\nas_of='2020-01-01T00:00:00Z'\n",
        "scenario.toml",
        "",
        "records.jsonl",
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown agreement nothing"), "{e}");
    let e = Scenario::from_texts("name=1\n", "scenario.toml", "", "r").unwrap_err();
    assert!(e.to_string().starts_with("scenario.toml:1:"), "{e}");
}

#[test]
fn a_scenario_defines_its_own_zones_and_parties_for_its_agreements() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scenario-define");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("agreements")).unwrap();
    std::fs::write(
        dir.join("scenario.toml"),
        "name='steppe'\ntitle='t'\nparties=['KZ','XA']\nagreements=['steppe']\nas_of='2024-06-01T00:00:00Z'\n\n\
         [define.parties.XA]\nname='Example Republic'\n\n[define.zones.steppe-range]\nname='Steppe range'\nhost='KZ'\n",
    )
    .unwrap();
    std::fs::write(dir.join("records.jsonl"), "").unwrap();
    std::fs::write(
        dir.join("agreements/steppe.toml"),
        "id='steppe'\ntitle='t'\ncitation='t'\nbinding='political'\nparties=['KZ','XA']\nzones=['steppe-range']\n\n\
         [[history]]\nstatus='in_force'\ndate=2024-01-01\n\n[[provision]]\nid='no-troops'\ncite='Article 1'\ntitle='t'\n\n\
         [provision.zone_prohibition]\nzones=['steppe-range']\ncategories=['troops']\nreciprocal=true\nwithout_host_consent=true\n",
    )
    .unwrap();
    let s = Scenario::load(&dir).unwrap_or_else(|e| panic!("{e}"));
    let zone = accord_model::ZoneId::new("steppe-range").unwrap();
    assert_eq!(s.vocabulary.host_of(&zone).map(|p| p.as_str()), Some("KZ"));
    assert_eq!(s.agreements[0].parties.len(), 2);
    // Without the scenario's definitions the agreement beside it does not load.
    let toml = std::fs::read_to_string(dir.join("scenario.toml")).unwrap();
    std::fs::write(
        dir.join("scenario.toml"),
        toml.split("\n\n[define").next().unwrap(),
    )
    .unwrap();
    let e = Scenario::load(&dir).unwrap_err().to_string();
    assert!(
        e.contains("steppe.toml:5:") && e.contains("unknown party `XA`"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- INF: the 9M729 case -------------------------------------------------------------------------

#[test]
fn inf_9m729_reports_are_suspected_breaches_with_their_basis() {
    let s = Scenario::load(&dir("inf-9m729")).unwrap();
    let f = findings(&s, s.file.as_of, &[]);
    let ban = of(&f, "inf", "art-i-elimination", "RU");
    let on = |id: &str| {
        ban.iter()
            .find(|x| cites(x, id))
            .copied()
            .unwrap_or_else(|| panic!("no finding cites {id}: {ban:#?}"))
    };
    // The United States' own report: a suspected breach reported by another party.
    let us = on("US-2019-02-01-9M729");
    assert_eq!(
        (us.severity, us.basis),
        (Severity::Concern, accord_model::Basis::ReportedByParty)
    );
    // News reports, with or without an attribution to US officials: open sources alone, with
    // their confidence (30 and 40 of 100).
    for (id, score) in [
        ("OSINT-2018-11-27-FLIGHT-TEST", "30"),
        ("OSINT-2018-11-27-DEPLOYED", "40"),
    ] {
        let o = on(id);
        assert_eq!(
            (o.severity, o.basis),
            (Severity::Concern, accord_model::Basis::OpenSources)
        );
        assert!(
            o.notes.iter().any(|n| n.id == "note-open-sources"),
            "{o:#?}"
        );
        assert!(
            o.summary.contains(&format!("confidence {score} of 100")),
            "{}",
            o.summary
        );
    }
    // Reports are never a violation, and Russia declared none of the banned missiles.
    assert!(
        ban.iter().all(|x| x.severity < Severity::Violation),
        "{ban:#?}"
    );
    assert!(ban.iter().any(|x| x.message.id == "class-ban-undeclared"));
    // The report of 10 February 2019 was not published yet on 1 February.
    assert!(!ban.iter().any(|x| cites(x, "OSINT-2019-02-10-BATTALIONS")));
    // From 2 February both parties had suspended it; from 2 August it was terminated.
    let f = findings(&s, at("2019-02-11T00:00:00Z"), &[]);
    let ban = of(&f, "inf", "art-i-elimination", "RU");
    let after = ban
        .iter()
        .find(|x| cites(x, "OSINT-2019-02-10-BATTALIONS"))
        .expect("the February 2019 report is judged");
    assert!(
        after.notes.iter().any(|n| n.id == "note-suspended-because"),
        "{after:#?}"
    );
    let f = findings(&s, at("2019-08-03T00:00:00Z"), &[]);
    assert!(f.iter().all(|x| x.severity == Severity::NotApplicable));
}

// ---- messages ---------------------------------------------------------------------------------

#[test]
fn every_finding_of_both_scenarios_renders_in_english_and_russian() {
    use accord_messages::{Lang, try_render_finding};
    let mut seen = std::collections::BTreeSet::new();
    for name in ["2022-crisis", "new-start-history", "inf-9m729"] {
        let s = Scenario::load(&dir(name)).unwrap();
        let assume = ["us-proposal-2022", "nato-proposal-2022"];
        for assume in [&[][..], &assume[..]] {
            for when in [s.file.as_of, at("2026-03-01T00:00:00Z")] {
                let assume: Vec<&str> = assume
                    .iter()
                    .copied()
                    .filter(|a| s.file.agreements.iter().any(|x| x.as_str() == *a))
                    .collect();
                for f in findings(&s, when, &assume) {
                    let en = try_render_finding(Lang::En, &f.message, &f.notes).unwrap();
                    assert_eq!(en, f.summary);
                    let ru = try_render_finding(Lang::Ru, &f.message, &f.notes).unwrap();
                    assert_ne!(ru, en, "{}", f.message.id);
                    seen.insert(f.message.id.clone());
                }
            }
        }
    }
    assert!(seen.len() >= 14, "{seen:?}");
    assert!(seen.contains("unnotified-observed") && seen.contains("limit-within"));
}
