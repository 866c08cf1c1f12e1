//! The dashboard's pages rendered from the example scenarios: filters and pages of findings on
//! the server, links that keep the language and instant, records and their proof, every
//! interface string of a Russian page from the Russian message file.

use std::path::{Path, PathBuf};

use accord_compliance::Scenario;
use accord_messages::Lang;
use accord_model::{Finding, Instant};
use accord_views::dashboard::{
    self, FindingsQuery, Frame, HotlineRow, Overview, PAGE_SIZE, RecordPage, Tab,
};

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn crisis() -> (Scenario, Vec<Finding>) {
    let s = Scenario::load(&dir("2022-crisis")).unwrap();
    let at = s.file.as_of;
    let findings = s.engine(&[]).unwrap().evaluate(&s.state, at).findings();
    (s, findings)
}

fn frame(lang: Lang, at: Instant) -> Frame<'static> {
    Frame {
        lang,
        party: "US",
        as_of: Some(at),
        at,
    }
}

#[test]
fn findings_are_filtered_on_the_server_and_link_to_record_pages_keeping_language_and_instant() {
    let (s, findings) = crisis();
    let f = frame(Lang::En, s.file.as_of);
    let violations = findings
        .iter()
        .filter(|x| x.severity == accord_model::Severity::Violation)
        .count();
    assert!(violations > 0);
    let q = FindingsQuery {
        severity: Some("violation".into()),
        ..Default::default()
    };
    let body = dashboard::findings_page(&f, &findings, &q);
    assert_eq!(body.matches("<tr class=\"violation\">").count(), violations);
    assert_eq!(body.matches("<tr class=\"concern\">").count(), 0);
    assert!(body.contains(&format!("{violations} shown of {violations} matching")));
    let cited = findings
        .iter()
        .filter(|x| x.severity == accord_model::Severity::Violation)
        .flat_map(|x| &x.evidence)
        .find_map(|e| match e {
            accord_model::Evidence::Record { id, .. } => Some(id.clone()),
            _ => None,
        })
        .unwrap();
    let as_of = s.file.as_of.to_string().replace(':', "%3A");
    let href = format!(
        "href=\"/records/{}?lang=en&amp;as_of={as_of}\"",
        cited.as_str()
    );
    assert!(body.contains(&href), "{href} not in page");
    // Evidence that names the record's log and index links to that very entry and its proof.
    let mut logged = findings
        .iter()
        .find(|x| x.severity == accord_model::Severity::Violation)
        .unwrap()
        .clone();
    logged.evidence = vec![accord_model::Evidence::logged(
        cited.clone(),
        "accord/log/RU",
        4,
    )];
    let one = dashboard::findings_page(&f, &[logged], &q);
    let at_entry = format!(
        "href=\"/records/{}?lang=en&amp;as_of={as_of}&amp;origin=accord%2Flog%2FRU&amp;index=4\"",
        cited.as_str()
    );
    assert!(one.contains(&at_entry), "{at_entry} not in page");
    let page = dashboard::layout(&f, Some(Tab::Findings), "Findings", &body);
    assert!(page.contains("aria-current=\"page\">Findings</a>"));
    assert!(page.contains("<html lang=\"en\">"));
}

#[test]
fn twenty_thousand_findings_come_a_hundred_to_a_page() {
    let (s, findings) = crisis();
    let one = findings
        .iter()
        .find(|x| x.severity == accord_model::Severity::Concern)
        .unwrap()
        .clone();
    let many = vec![one; 20_000];
    let f = frame(Lang::En, s.file.as_of);
    let q = FindingsQuery {
        page: 3,
        ..Default::default()
    };
    let body = dashboard::findings_page(&f, &many, &q);
    assert_eq!(body.matches("<tr class=\"concern\">").count(), PAGE_SIZE);
    assert!(body.contains("page 4 of 200"));
    assert!(body.contains("page=2\">previous</a>"));
    assert!(body.contains("page=4\">next</a>"));
    // A page beyond the last shows the last.
    let q = FindingsQuery {
        page: 10_000,
        ..Default::default()
    };
    let body = dashboard::findings_page(&f, &many, &q);
    assert!(body.contains("page 200 of 200"));
    assert!(!body.contains(">next</a>"));
}

#[test]
fn the_overview_counts_severities_and_says_the_time_left() {
    let (s, findings) = crisis();
    let at = s.file.as_of;
    let f = frame(Lang::En, at);
    let due = at
        .checked_add(jiff::SignedDuration::from_hours(30))
        .unwrap();
    let deadlines = [accord_compliance::Deadline {
        due,
        agreement: "vienna-document-2011".parse().unwrap(),
        provision: "ch-iii-unusual-activities".parse().unwrap(),
        party: "RU".parse().unwrap(),
        owed: accord_compliance::Obligation::Reply {
            request: "US-REQ-1".parse().unwrap(),
            requester: "US".parse().unwrap(),
        },
    }];
    let body = dashboard::overview(
        &f,
        &Overview {
            agreements: &[],
            findings: &findings,
            deadlines: &deadlines,
            logs: &[],
            alerts: &["equivocation by RU".to_owned()],
        },
    );
    assert!(body.contains("30 hours left"), "{body}");
    assert!(body.contains("RU owes US an answer"), "{body}");
    assert!(body.contains("href=\"/records/US-REQ-1?lang=en"), "{body}");
    assert!(body.contains("<li class=\"violation\">equivocation by RU</li>"));
    let n = findings
        .iter()
        .filter(|x| x.severity == accord_model::Severity::Violation)
        .count();
    assert!(body.contains(&format!("violation: {n}</a>")), "{body}");
}

#[test]
fn a_record_page_carries_what_the_browser_needs_to_check_it_and_escapes_the_record() {
    let (s, _) = crisis();
    let mut record = s.state.records()[0].clone();
    record.id = "X-1".parse().unwrap();
    record.body = accord_model::RecordBody::HotlineMessage(accord_model::HotlineMessage {
        to: "RU".parse().unwrap(),
        seq: 1,
        text: "</pre><script>alert(1)</script>".into(),
    });
    let f = frame(Lang::En, s.file.as_of);
    let proof = vec!["AAAA".to_owned(), "BBBB".to_owned()];
    let body = dashboard::record_page(
        &f,
        &RecordPage {
            record: &record,
            origin: "accord.example/US",
            index: 5,
            entry_b64: "ZW50cnk=",
            proof: &proof,
            checkpoint: "accord.example/US\n6\nroot\n\n\u{2014} accord.example/US sig\n",
            node_keys: &["accord.example/US+01020304+AQ==".to_owned()],
        },
    );
    assert!(body.contains("<li>AAAA</li><li>BBBB</li>"));
    assert!(body.contains("data-index=\"5\" hidden>ZW50cnk=</p>"));
    assert!(body.contains("crypto.subtle"));
    assert!(body.contains("\"dash-check-valid\":\"valid:"));
    assert!(body.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!body.contains("<script>alert"));
}

#[test]
fn a_russian_page_takes_its_interface_strings_from_the_russian_file() {
    let (s, findings) = crisis();
    let f = frame(Lang::Ru, s.file.as_of);
    let body = dashboard::findings_page(&f, &findings, &FindingsQuery::default());
    let page = dashboard::layout(&f, Some(Tab::Findings), "Выводы", &body);
    for id in [
        "dash-tab-overview",
        "dash-tab-hotline",
        "dash-filter",
        "dash-as-of",
    ] {
        let ru = accord_messages::word(Lang::Ru, id);
        let en = accord_messages::word(Lang::En, id);
        assert!(page.contains(&ru), "{id}: {ru}");
        assert_ne!(ru, en);
    }
    assert!(page.contains("<html lang=\"ru\">"));
    assert!(page.contains("hreflang=\"en\""));
    let hot = dashboard::hotline(
        &f,
        &["RU".to_owned()],
        &[HotlineRow {
            peer: "RU".into(),
            seq: 1,
            text: "<b>проверка</b>".into(),
            sent_at: s.file.as_of,
            delivered: Some(s.file.as_of),
            read: None,
        }],
        &[],
        true,
    );
    assert!(hot.contains("&lt;b&gt;проверка&lt;/b&gt;"));
    assert!(hot.contains(&accord_messages::word(Lang::Ru, "dash-inbox")));
}

#[test]
fn text_from_agreement_files_is_marked_as_of_no_known_language_on_a_russian_page() {
    let (s, findings) = crisis();
    let mut f = findings[0].clone();
    f.severity = accord_model::Severity::Violation;
    f.message = accord_model::Message::new("not-binding")
        .arg(
            "title",
            accord_model::Arg::Text("Type One <inspections>".into()),
        )
        .arg("why", accord_model::Arg::Text("suspended".into()));
    f.notes = Vec::new();
    let body = dashboard::findings_page(
        &frame(Lang::Ru, s.file.as_of),
        &[f],
        &FindingsQuery::default(),
    );
    assert!(
        body.contains("<span lang=\"\">Type One &lt;inspections&gt;</span>"),
        "{body}"
    );
    assert!(!body.contains('\u{E000}'), "{body}");
}
