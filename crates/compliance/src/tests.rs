//! Engine tests over a small agreement written for them.

use accord_agreements::{Vocabulary, parse};
use accord_model::{
    Activity, ActivityKind, AgreementId, Area, Category, Confidence, Declaration, Evidence,
    ExplanationReply, ExplanationRequest, ForceCount, Holding, HoldingStatus, Notification,
    Observation, PartyId, ProvisionId, Qualifier, Record, RecordBody, RecordId, Severity, Source,
    ZoneId,
};
use accord_state::State;

use super::*;

const TREATY: &str = r#"
id = "test-treaty"
title = "A treaty for the engine's tests"
citation = "test"
sources = ["test"]
binding = "legal"
parties = ["US", "RU"]

[[history]]
status = "in_force"
date = 2011-02-05

[[history]]
status = "suspended"
date = 2023-02-28
by = ["RU"]
note = "suspended by law"

[[history]]
status = "expired"
date = 2026-02-05

[[provision]]
id = "warheads"
cite = "Article II.1(b)"
title = "Deployed warheads"
binds_from = 2018-02-05

[provision.limit]
name = "deployed warheads"
unit = "warheads"
max = 1550
counts = [
  { category = "warheads", status = "deployed" },
  { category = "heavy_bombers", status = "deployed", weight = 1 },
]
aggregate = { category = "accountable_warheads", status = "deployed" }

[[provision]]
id = "exchange"
cite = "Protocol, Part Four"
title = "Data exchange"

[provision.data_exchange]
as_of = ["03-01", "09-01"]
due_days_after_period = 30
categories = ["accountable_warheads"]
content = "aggregate numbers"

[[provision]]
id = "rr"
cite = "Chapter III"
title = "Unusual activities"

[provision.risk_reduction]
subject = "unusual activities"
reply_within_hours = 48

[[provision]]
id = "notify"
cite = "Chapter V"
title = "Prior notification"

[provision.notification]
lead_time_days = 42
thresholds = [{ category = "troops", at_least = 9000 }]
"#;

const DRAFT: &str = r#"
id = "draft"
title = "A draft"
citation = "test"
sources = ["test"]
binding = "proposal"
parties = ["US", "RU"]

[[history]]
status = "proposed"
date = 2022-01-26

[[provision]]
id = "cap"
cite = "1"
title = "A cap for the United States only"
condition = "party == 'US'"

[provision.limit]
name = "deployed warheads"
unit = "warheads"
max = 1000
counts = [{ category = "warheads", status = "deployed" }]
aggregate = { category = "accountable_warheads", status = "deployed" }
"#;

fn agreement(text: &str) -> accord_agreements::Agreement {
    parse(text, "test.toml", Vocabulary::builtin()).unwrap_or_else(|e| panic!("{e}"))
}

pub(crate) fn engine() -> Engine {
    Engine::new(vec![agreement(TREATY), agreement(DRAFT)])
}

pub(crate) fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}
pub(crate) fn at(s: &str) -> Instant {
    s.parse().unwrap()
}
pub(crate) fn rid(s: &str) -> RecordId {
    RecordId::new(s).unwrap()
}
fn cat(s: &str) -> Category {
    Category::new(s).unwrap()
}

fn declaration(party: &str, as_of: &str, holdings: &[(&str, u64)]) -> Record {
    Record {
        id: rid(&format!("{party}-{as_of}")),
        party: p(party),
        issued_at: at(&format!("{as_of}T00:00:00Z")),
        body: RecordBody::Declaration(Declaration {
            agreement: AgreementId::new("test-treaty").unwrap(),
            as_of: as_of.parse().unwrap(),
            holdings: holdings
                .iter()
                .map(|(c, n)| Holding {
                    site: None,
                    category: cat(c),
                    status: HoldingStatus::Deployed,
                    count: *n,
                    derived: None,
                })
                .collect(),
            source: None,
            channel: Default::default(),
        }),
    }
}

pub(crate) fn of<'a>(findings: &'a [Finding], provision: &str, party: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.provision.as_str() == provision && f.party.as_str() == party)
        .collect()
}

fn cites(f: &Finding, id: &str) -> bool {
    f.evidence
        .iter()
        .any(|e| matches!(e, Evidence::Record { id: r, .. } if r.as_str() == id))
}

#[test]
fn limit_before_it_binds_shows_level_against_limit_as_not_applicable() {
    let state = State::from_records([declaration(
        "RU",
        "2017-09-01",
        &[("accountable_warheads", 1561)],
    )])
    .unwrap();
    let findings = engine()
        .evaluate(&state, at("2017-10-01T00:00:00Z"))
        .findings();
    let f = of(&findings, "warheads", "RU");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::NotApplicable);
    assert_eq!(f[0].figures[0].value, 1561);
    assert_eq!(f[0].figures[0].limit, Some(1550));
    assert!(
        f[0].summary.contains("binds only from 5 February 2018"),
        "{}",
        f[0].summary
    );
    assert_eq!(f[0].message.id, "not-binding-limit");
    assert_eq!(f[0].basis, accord_model::Basis::Declared);
    assert!(cites(f[0], "RU-2017-09-01"));
}

#[test]
fn limit_counts_bombers_as_one_warhead_each_and_finds_an_excess() {
    let ok = State::from_records([declaration(
        "US",
        "2019-09-01",
        &[("warheads", 1400), ("heavy_bombers", 60)],
    )])
    .unwrap();
    let findings = engine()
        .evaluate(&ok, at("2019-10-01T00:00:00Z"))
        .findings();
    let f = of(&findings, "warheads", "US");
    assert_eq!(f[0].severity, Severity::Compliant);
    assert_eq!(f[0].figures[0].value, 1460);
    assert!(cites(f[0], "US-2019-09-01"));

    let over = State::from_records([declaration(
        "US",
        "2019-09-01",
        &[("warheads", 1500), ("heavy_bombers", 60)],
    )])
    .unwrap();
    let findings = engine()
        .evaluate(&over, at("2019-10-01T00:00:00Z"))
        .findings();
    let f = of(&findings, "warheads", "US");
    assert_eq!(f[0].severity, Severity::Violation);
    assert!(
        f[0].summary.contains("1,560") && f[0].summary.contains("10 above"),
        "{}",
        f[0].summary
    );
}

#[test]
fn missing_exchanges_after_a_suspension_are_violations_and_expiry_makes_all_not_applicable() {
    let mut records = Vec::new();
    for y in 2011..=2022 {
        for md in ["03-01", "09-01"] {
            let d = format!("{y}-{md}");
            if d.as_str() > "2011-02-05" {
                records.push(declaration("RU", &d, &[("accountable_warheads", 1400)]));
            }
        }
    }
    let state = State::from_records(records).unwrap();
    let findings = engine()
        .evaluate(&state, at("2024-01-01T00:00:00Z"))
        .findings();
    let missing: Vec<_> = of(&findings, "exchange", "RU")
        .into_iter()
        .filter(|f| f.severity == Severity::Violation)
        .collect();
    // 2023-03-01 and 2023-09-01 are past due; 2024-03-01 is not yet.
    assert_eq!(missing.len(), 2, "{missing:#?}");
    assert!(missing[0].summary.contains("as of 1 March 2023"));
    assert!(missing[0].summary.contains("suspended on 28 February 2023"));
    assert_eq!(missing[0].message.id, "exchange-missing");
    let notes: Vec<&str> = missing[0].notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(notes, ["note-last-exchange", "note-suspended-because"]);
    assert!(
        missing[0]
            .evidence
            .iter()
            .any(|e| matches!(e, Evidence::Absence { .. }))
    );
    assert!(cites(missing[0], "RU-2022-09-01"));
    let made = of(&findings, "exchange", "RU")
        .into_iter()
        .find(|f| f.severity == Severity::Compliant)
        .unwrap();
    // 2011-03-01, 24 days after entry into force, is not scheduled on its own: 23 counted.
    assert_eq!(made.figures[0].value, 23);
    // The limit is judged on stale figures: a concern.
    assert_eq!(
        of(&findings, "warheads", "RU")[0].severity,
        Severity::Concern
    );

    let after = engine()
        .evaluate(&state, at("2026-03-01T00:00:00Z"))
        .findings();
    assert!(
        of(&after, "exchange", "RU")
            .iter()
            .chain(of(&after, "warheads", "RU").iter())
            .all(|f| f.severity == Severity::NotApplicable
                && f.summary.contains("expired on 5 February 2026"))
    );
}

pub(crate) fn request(id: &str, issued: &str) -> Record {
    Record {
        id: rid(id),
        party: p("US"),
        issued_at: at(issued),
        body: RecordBody::ExplanationRequest(ExplanationRequest {
            agreement: AgreementId::new("test-treaty").unwrap(),
            provision: ProvisionId::new("rr").unwrap(),
            to: p("RU"),
            area: Area {
                zone: None,
                description: "near the border".into(),
            },
            text: "explain".into(),
        }),
    }
}

#[test]
fn an_unanswered_request_past_its_deadline_is_a_violation_citing_the_request() {
    let state = State::from_records([request("US-Q-1", "2022-02-11T12:00:00Z")]).unwrap();
    let e = engine();
    let open = e.evaluate(&state, at("2022-02-12T12:00:00Z")).findings();
    assert_eq!(of(&open, "rr", "RU")[0].severity, Severity::Compliant);
    assert!(
        of(&open, "rr", "RU")[0]
            .summary
            .contains("due by 13 February 2022, 12:00 UTC")
    );
    let late = e.evaluate(&state, at("2022-02-20T12:00:00Z")).findings();
    let f = of(&late, "rr", "RU");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Violation);
    assert!(cites(f[0], "US-Q-1"));
    assert_eq!(f[0].basis, accord_model::Basis::ReportedByParty);
    assert_eq!(f[0].message.id, "request-unanswered");
    assert_eq!(f[0].figures[0].value, 216);
    assert_eq!(f[0].figures[0].limit, Some(48));
}

#[test]
fn a_reply_in_time_complies_and_a_late_one_does_not() {
    let reply = |id: &str, when: &str| Record {
        id: rid(id),
        party: p("RU"),
        issued_at: at(when),
        body: RecordBody::ExplanationReply(ExplanationReply {
            request: rid("US-Q-1"),
            text: "planned training".into(),
        }),
    };
    let now = at("2022-03-01T00:00:00Z");
    let s = State::from_records([
        request("US-Q-1", "2022-02-11T12:00:00Z"),
        reply("RU-A", "2022-02-12T08:00:00Z"),
    ])
    .unwrap();
    let f = engine().evaluate(&s, now).findings();
    assert_eq!(of(&f, "rr", "RU")[0].severity, Severity::Compliant);
    assert!(cites(of(&f, "rr", "RU")[0], "RU-A"));
    let s = State::from_records([
        request("US-Q-1", "2022-02-11T12:00:00Z"),
        reply("RU-A", "2022-02-15T12:00:00Z"),
    ])
    .unwrap();
    let f = engine().evaluate(&s, now).findings();
    assert_eq!(of(&f, "rr", "RU")[0].severity, Severity::Violation);
    assert!(of(&f, "rr", "RU")[0].summary.contains("after 96 hours"));
}

fn observation(id: &str, date: &str, troops: u64) -> Record {
    Record {
        id: rid(id),
        party: p("OSINT"),
        issued_at: at(&format!("{date}T18:00:00Z")),
        body: RecordBody::Observation(Observation {
            source: Source {
                url: format!("https://example.org/{id}"),
                outlet: "Example".into(),
                title: "troops".into(),
                published: date.parse().unwrap(),
            },
            actor: p("RU"),
            category: cat("troops"),
            quantity: troops,
            qualifier: Qualifier::MoreThan,
            area: Area {
                zone: Some(ZoneId::new("near-ukraine").unwrap()),
                description: "near Ukraine".into(),
            },
            date: date.parse().unwrap(),
            attribution: None,
            text: format!("more than {troops} troops"),
            confidence: Confidence {
                independent_sources: 2,
                official_sources: 1,
                score: 80,
            },
        }),
    }
}

fn notification(id: &str, issued: &str, start: &str, end: &str, troops: u64) -> Record {
    Record {
        id: rid(id),
        party: p("RU"),
        issued_at: at(issued),
        body: RecordBody::Notification(Notification {
            agreement: AgreementId::new("test-treaty").unwrap(),
            activity: Activity {
                name: "Exercise".into(),
                kind: ActivityKind::Exercise,
                start: start.parse().unwrap(),
                end: end.parse().unwrap(),
                area: Area {
                    zone: Some(ZoneId::new("near-ukraine").unwrap()),
                    description: "near Ukraine".into(),
                },
                forces: vec![ForceCount {
                    category: cat("troops"),
                    count: troops,
                }],
                participants: vec![],
            },
        }),
    }
}

#[test]
fn an_activity_observed_far_above_the_threshold_without_notification_is_a_violation() {
    let s = State::from_records([
        observation("O-1", "2022-01-26", 100_000),
        observation("O-2", "2022-02-15", 150_000),
    ])
    .unwrap();
    let f = engine().evaluate(&s, at("2022-02-20T00:00:00Z")).findings();
    let f = of(&f, "notify", "RU");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Violation);
    assert!(cites(f[0], "O-1") && cites(f[0], "O-2"));
    assert_eq!(f[0].figures[0].value, 150_000);
    assert_eq!(f[0].figures[0].limit, Some(9000));

    // Just above the threshold: a concern, not a violation.
    let s = State::from_records([observation("O-1", "2022-01-26", 10_000)]).unwrap();
    let f = engine().evaluate(&s, at("2022-02-20T00:00:00Z")).findings();
    assert_eq!(of(&f, "notify", "RU")[0].severity, Severity::Concern);
}

#[test]
fn a_notification_in_time_covers_the_observation_and_a_late_one_is_a_violation() {
    let s = State::from_records([
        notification(
            "N-1",
            "2021-12-01T00:00:00Z",
            "2022-02-10",
            "2022-02-20",
            12_000,
        ),
        observation("O-1", "2022-02-15", 11_000),
    ])
    .unwrap();
    let f = engine().evaluate(&s, at("2022-02-20T00:00:00Z")).findings();
    let f = of(&f, "notify", "RU");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Compliant);
    assert!(cites(f[0], "N-1"));

    let s = State::from_records([notification(
        "N-1",
        "2022-02-01T00:00:00Z",
        "2022-02-10",
        "2022-02-20",
        12_000,
    )])
    .unwrap();
    let f = engine().evaluate(&s, at("2022-02-20T00:00:00Z")).findings();
    let f = of(&f, "notify", "RU");
    assert_eq!(f[0].severity, Severity::Violation);
    assert_eq!(f[0].figures[0].value, 9);
}

#[test]
fn a_proposal_binds_only_when_assumed_in_force_and_its_condition_holds() {
    let s = State::from_records([
        declaration("US", "2021-09-01", &[("accountable_warheads", 1389)]),
        declaration("RU", "2021-09-01", &[("accountable_warheads", 1458)]),
    ])
    .unwrap();
    let now = at("2022-02-20T00:00:00Z");
    let f = engine().evaluate(&s, now).findings();
    let cap = of(&f, "cap", "US");
    assert_eq!(cap[0].severity, Severity::NotApplicable);
    assert!(cap[0].summary.contains("--assume-in-force draft"));

    let mut e = engine();
    e.assume_in_force(&AgreementId::new("draft").unwrap())
        .unwrap();
    assert!(
        e.assume_in_force(&AgreementId::new("nothing").unwrap())
            .is_err()
    );
    let f = e.evaluate(&s, now).findings();
    let us = of(&f, "cap", "US");
    assert_eq!(us[0].severity, Severity::Violation);
    assert!(us[0].summary.contains("1,389") && us[0].summary.contains("389 above"));
    assert!(us[0].summary.contains("none being made under draft"));
    let ru = of(&f, "cap", "RU");
    assert_eq!(ru[0].severity, Severity::NotApplicable);
    assert!(ru[0].summary.contains("party == 'US'"));
}

fn mixed_records() -> Vec<Record> {
    vec![
        declaration("US", "2019-09-01", &[("accountable_warheads", 1376)]),
        declaration("RU", "2019-09-01", &[("accountable_warheads", 1426)]),
        observation("O-1", "2022-01-26", 100_000),
        request("US-Q-1", "2022-02-11T12:00:00Z"),
        notification(
            "N-1",
            "2021-11-01T00:00:00Z",
            "2022-02-10",
            "2022-02-20",
            12_000,
        ),
        declaration("US", "2020-03-01", &[("accountable_warheads", 1373)]),
    ]
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let now = at("2022-02-20T00:00:00Z");
    let a = State::from_records(mixed_records()).unwrap();
    let b = State::from_records(mixed_records()).unwrap();
    let ja = serde_json::to_vec(&engine().evaluate(&a, now).findings()).unwrap();
    let jb = serde_json::to_vec(&engine().evaluate(&b, now).findings()).unwrap();
    assert!(!ja.is_empty());
    assert_eq!(ja, jb);
    let mut sorted = engine().evaluate(&a, now).findings();
    let before = sorted.clone();
    sorted.reverse();
    sort_findings(&mut sorted);
    assert_eq!(sorted, before);
}

#[test]
fn updating_after_each_record_matches_a_full_evaluation() {
    let now = at("2022-02-20T00:00:00Z");
    let e = engine();
    let mut state = State::new();
    let mut eval = e.evaluate(&state, now);
    for r in mixed_records() {
        state.append(r).unwrap();
        e.update(&mut eval, &state);
        assert_eq!(eval.records_seen(), state.len());
        assert_eq!(eval.findings(), e.evaluate(&state, now).findings());
    }
    // A reply arriving later re-evaluates the request's scope.
    state
        .append(Record {
            id: rid("RU-A"),
            party: p("RU"),
            issued_at: at("2022-02-12T00:00:00Z"),
            body: RecordBody::ExplanationReply(ExplanationReply {
                request: rid("US-Q-1"),
                text: "planned training".into(),
            }),
        })
        .unwrap();
    e.update(&mut eval, &state);
    assert_eq!(eval.findings(), e.evaluate(&state, now).findings());
    // Cosignatures arriving later set the records' log times: the reply now counts from when
    // US held it, and a record dated after it was witnessed is a finding of its own.
    let positions = state.party_log_positions();
    let cosignatures = |n: usize| {
        [
            // US held the reply only after its deadline: now late.
            ("RU", 3, "US", "2022-02-14T00:00:00Z"),
            // RU's log was seen without the reply after the date it carries.
            ("RU", 2, "US", "2022-02-13T00:00:00Z"),
            // US's first declaration was held before the date it carries.
            ("US", 1, "RU", "2019-08-01T00:00:00Z"),
        ][..n]
            .iter()
            .map(|(log, size, by, t)| accord_state::Cosignature {
                log: p(log),
                size: *size,
                cosigner: p(by),
                timestamp: at(t),
            })
            .collect::<Vec<_>>()
    };
    for n in 1..=3 {
        let before = eval.findings();
        assert!(state.apply_cosignatures(&positions, &cosignatures(n)) > 0);
        e.update(&mut eval, &state);
        let full = e.evaluate(&state, now).findings();
        assert_eq!(eval.findings(), full);
        assert_ne!(full, before, "{n} cosignatures");
    }
}

#[test]
fn evidence_carries_log_positions_when_given() {
    let state = State::from_records([request("US-Q-1", "2022-02-11T12:00:00Z")]).unwrap();
    let e = engine().with_log_index(
        "example.org/log",
        [(rid("US-Q-1"), 7)].into_iter().collect(),
    );
    let f = e.evaluate(&state, at("2022-02-20T00:00:00Z")).findings();
    assert!(of(&f, "rr", "RU")[0].evidence.contains(&Evidence::Record {
        id: rid("US-Q-1"),
        origin: Some("example.org/log".into()),
        log_index: Some(7)
    }));
    // Read from a plain file with no log: the record alone.
    let plain = engine()
        .evaluate(&state, at("2022-02-20T00:00:00Z"))
        .findings();
    assert!(
        of(&plain, "rr", "RU")[0]
            .evidence
            .contains(&Evidence::record(rid("US-Q-1")))
    );
    // Logged in the state: its author's log and index, whatever the engine was given.
    let mut logged = State::new();
    logged
        .append_logged(
            request("US-Q-1", "2022-02-11T12:00:00Z"),
            accord_state::LogPosition {
                log: p("US"),
                index: 5,
            },
        )
        .unwrap();
    let f = e.evaluate(&logged, at("2022-02-20T00:00:00Z")).findings();
    assert!(of(&f, "rr", "RU")[0].evidence.contains(&Evidence::logged(
        rid("US-Q-1"),
        "accord/log/US",
        5
    )));
    assert_eq!(
        e.evaluate(&state, at("2022-02-20T00:00:00Z")).worst(),
        Some(Severity::Violation)
    );
}

/// The message ids rules.rs writes: the string literal after each `Message::new(`, `msg(` or
/// list separator.
fn ids_in_rules() -> Vec<String> {
    let mut ids = Vec::new();
    for (src, opener) in [include_str!("rules.rs"), include_str!("timing.rs")]
        .into_iter()
        .flat_map(|src| {
            ["Message::new(\"", "msg(\"", "\"list-", "dated(\""]
                .into_iter()
                .map(move |o| (src, o))
        })
    {
        let mut rest = src;
        while let Some(i) = rest.find(opener) {
            rest = &rest[i + opener.len()..];
            let end = rest.find('"').unwrap_or(0);
            let prefix = if opener == "\"list-" { "list-" } else { "" };
            ids.push(format!("{prefix}{}", &rest[..end]));
        }
    }
    // Instants are nested by their id's constant.
    ids.push(crate::rules::INSTANT.to_owned());
    ids
}

#[test]
fn every_message_the_rules_write_is_in_both_languages() {
    let ids = ids_in_rules();
    assert!(ids.len() > 60, "{ids:?}");
    assert!(ids.iter().any(|i| i == "limit-exceeded"));
    assert!(ids.iter().any(|i| i == "list-or"));
    for id in &ids {
        for lang in accord_messages::Lang::ALL {
            assert!(
                accord_messages::has_message(lang, id),
                "{id} missing in {lang}"
            );
        }
    }
    assert!(!include_str!("rules.rs").contains("finding-text"));
}

#[test]
fn times_written_out_read_as_strftime_writes_them() {
    let instants = [
        "2021-03-01T00:00:00Z",
        "2021-12-31T23:59:59.999Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:30Z",
        "0001-01-01T05:07:00Z",
        "9999-12-30T21:09:00Z",
    ]
    .map(|s| s.parse::<Instant>().unwrap())
    .into_iter()
    .chain([Instant::MIN, Instant::MAX]);
    for t in instants {
        assert_eq!(
            crate::rules::utc_minute(t),
            t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            "{t}"
        );
        let [(_, date), (_, time)] = crate::rules::instant_parts(t);
        assert_eq!(
            date,
            accord_model::Arg::Date(accord_state::date_of(t)),
            "{t}"
        );
        assert_eq!(
            time,
            accord_model::Arg::Text(t.strftime("%H:%M").to_string().into()),
            "{t}"
        );
    }
}
