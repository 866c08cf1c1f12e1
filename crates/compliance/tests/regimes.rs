//! The regimes as their texts run them: New START's deadlines, refusals and countermeasures,
//! the Vienna Document chapter III mechanism, the INF ban against reports and open sources,
//! host-nation consent, and one finding per activity.

mod common;

use accord_model::{Basis, Finding, Record, Severity};
use common::{about as of, cites, evaluate as all, record};
use serde_json::json;

fn with_severity(f: &[Finding], s: Severity) -> Vec<&Finding> {
    f.iter().filter(|x| x.severity == s).collect()
}

/// The findings about the exchange as of one date.
fn as_of(f: &[Finding], date: &str) -> Vec<Finding> {
    let d = accord_model::Arg::Date(date.parse().unwrap());
    f.iter()
        .filter(|x| x.message.args.get("as_of") == Some(&d))
        .cloned()
        .collect()
}

// ---- New START: data updates due 30 days after each six-month period ---------------------------

fn exchange(party: &str, as_of: &str, issued_at: &str) -> Record {
    record(
        &format!("{party}-{as_of}"),
        party,
        issued_at,
        json!({"type": "declaration", "agreement": "new-start", "as_of": as_of,
               "holdings": [{"category": "accountable_warheads", "status": "deployed", "count": 1400}]}),
    )
}

#[test]
fn a_new_start_update_is_due_by_30_march_and_late_the_day_after() {
    // Protocol Part Four, Section II.2: the period ending 28 February 2019 is reported by
    // 30 March 2019. A party with an exchange on record is held to the schedule.
    let base = exchange("US", "2018-09-01", "2018-09-30T00:00:00Z");
    let judge = |issued: &str| {
        let f = all(
            vec![base.clone(), exchange("US", "2019-03-01", issued)],
            "2019-06-01T00:00:00Z",
            &[],
        );
        as_of(&of(&f, "new-start", "data-exchange", "US"), "2019-03-01")
    };
    let f = judge("2019-03-30T23:59:00Z");
    assert!(with_severity(&f, Severity::Concern).is_empty(), "{f:#?}");
    let f = judge("2019-03-31T00:01:00Z");
    let late = with_severity(&f, Severity::Concern);
    assert_eq!(late.len(), 1, "{f:#?}");
    assert!(cites(late[0], "US-2019-03-01"));
    // Missing altogether: a violation from 31 March on, not before (no grace of the engine's own).
    let f = all(vec![base.clone()], "2019-03-30T23:00:00Z", &[]);
    let f = as_of(&of(&f, "new-start", "data-exchange", "US"), "2019-03-01");
    assert!(f.is_empty(), "{f:#?}");
    let f = all(vec![base], "2019-03-31T01:00:00Z", &[]);
    let f = as_of(&of(&f, "new-start", "data-exchange", "US"), "2019-03-01");
    assert_eq!(with_severity(&f, Severity::Violation).len(), 1, "{f:#?}");
}

#[test]
fn an_exchange_without_figures_is_made_and_said_to_hold_none() {
    // An update that states no holdings still makes the exchange; the finding on the
    // exchanges made says how many held no figures.
    let mut empty = exchange("US", "2019-09-01", "2019-09-20T00:00:00Z");
    if let accord_model::RecordBody::Declaration(d) = &mut empty.body {
        d.holdings.clear();
    }
    let without_figures = |second: Record| {
        let records = vec![exchange("US", "2019-03-01", "2019-03-20T00:00:00Z"), second];
        let f = all(records, "2019-12-01T00:00:00Z", &[]);
        let made: Vec<Finding> = of(&f, "new-start", "data-exchange", "US")
            .into_iter()
            .filter(|x| x.message.id == "exchanges-made")
            .collect();
        assert_eq!(made.len(), 1, "{f:#?}");
        made[0]
            .notes
            .iter()
            .find(|n| n.id == "note-without-figures")
            .map(|n| n.args.get("count").cloned())
    };
    assert_eq!(
        without_figures(empty),
        Some(Some(accord_model::Arg::Number(1)))
    );
    assert_eq!(
        without_figures(exchange("US", "2019-09-01", "2019-09-20T00:00:00Z")),
        None
    );
}

#[test]
fn the_initial_new_start_exchange_is_due_45_days_after_entry_into_force() {
    // Protocol Part Four, Section II.1: the first notification of data, as of entry into force
    // on 5 February 2011, is due no later than 45 days after it, by the end of 22 March 2011.
    let judge = |issued: &str| {
        let f = all(
            vec![exchange("RU", "2011-02-05", issued)],
            "2011-06-01T00:00:00Z",
            &[],
        );
        as_of(&of(&f, "new-start", "data-exchange", "RU"), "2011-02-05")
    };
    let f = judge("2011-03-22T23:59:00Z");
    assert!(with_severity(&f, Severity::Concern).is_empty(), "{f:#?}");
    // The whole of 22 March counts, to its last instant.
    let f = judge("2011-03-22T23:59:59.999999999Z");
    assert!(with_severity(&f, Severity::Concern).is_empty(), "{f:#?}");
    let f = judge("2011-03-23T00:00:00Z");
    assert_eq!(with_severity(&f, Severity::Concern).len(), 1, "{f:#?}");
    let f = judge("2011-03-23T00:01:00Z");
    let late = with_severity(&f, Severity::Concern);
    assert_eq!(late.len(), 1, "{f:#?}");
    assert_eq!(late[0].message.id, "exchange-late");
    assert_eq!(
        late[0].message.args.get("due"),
        Some(&accord_model::Arg::Date("2011-03-22".parse().unwrap()))
    );
    assert!(cites(late[0], "RU-2011-02-05"));
}

#[test]
fn published_figures_are_not_an_exchange_and_a_countermeasure_stands_beside_the_finding() {
    let mut published = exchange("US", "2023-03-01", "2023-05-15T00:00:00Z");
    if let accord_model::RecordBody::Declaration(d) = &mut published.body {
        d.channel = accord_model::Channel::PublishedOnly;
    }
    let countermeasure = record(
        "US-CM",
        "US",
        "2023-03-28T12:00:00Z",
        json!({"type": "countermeasure", "agreement": "new-start", "provisions": ["data-exchange"],
               "against": "RU", "from": "2023-03-28", "measures": "data update withheld",
               "in_response_to": "Russia's claimed suspension"}),
    );
    let records = vec![
        exchange("US", "2022-09-01", "2022-09-30T00:00:00Z"),
        published,
        countermeasure,
    ];
    let f = all(records, "2023-06-30T00:00:00Z", &[]);
    let f = as_of(&of(&f, "new-start", "data-exchange", "US"), "2023-03-01");
    let missing = with_severity(&f, Severity::Violation);
    assert_eq!(missing.len(), 1, "{f:#?}");
    // The finding cites the published figures and the countermeasure that explains it.
    assert!(cites(missing[0], "US-2023-03-01"), "{:#?}", missing[0]);
    assert!(cites(missing[0], "US-CM"), "{:#?}", missing[0]);
    assert!(
        missing[0]
            .notes
            .iter()
            .any(|n| n.id.contains("countermeasure")),
        "{:#?}",
        missing[0].notes
    );
}

#[test]
fn figures_older_than_the_binding_date_do_not_show_a_breach() {
    // Russia's 1,561 warheads as of 1 September 2017 were above 1,550 before the limits bound;
    // on 5 February 2018, with no newer figures, they are no evidence of a breach then.
    let old = record(
        "RU-2017-09-01",
        "RU",
        "2017-09-30T00:00:00Z",
        json!({"type": "declaration", "agreement": "new-start", "as_of": "2017-09-01",
               "holdings": [{"category": "accountable_warheads", "status": "deployed", "count": 1561}]}),
    );
    let f = all(vec![old], "2018-02-05T23:59:59Z", &[]);
    let f = of(&f, "new-start", "art-ii-1-b", "RU");
    assert_eq!(f.len(), 1);
    assert_ne!(f[0].severity, Severity::Violation, "{:#?}", f[0]);
    assert_eq!(f[0].figures[0].value, 1561);
}

// ---- New START inspections: refusals -------------------------------------------------------------

#[test]
fn an_inspection_refusal_is_a_violation_citing_it() {
    let refusal = record(
        "RU-REFUSAL",
        "RU",
        "2022-08-08T12:00:00Z",
        json!({"type": "inspection_refusal", "agreement": "new-start",
               "provisions": ["inspections-type-one", "inspections-type-two"],
               "from": "2022-08-08", "reason": "temporarily exempts its facilities"}),
    );
    let f = all(vec![refusal.clone()], "2022-08-07T12:00:00Z", &[]);
    assert!(of(&f, "new-start", "inspections-type-one", "RU").is_empty());
    let f = all(vec![refusal], "2022-08-09T00:00:00Z", &[]);
    for p in ["inspections-type-one", "inspections-type-two"] {
        let v = of(&f, "new-start", p, "RU");
        let v = with_severity(&v, Severity::Violation);
        assert_eq!(v.len(), 1, "{p}");
        assert!(cites(v[0], "RU-REFUSAL"));
        assert_eq!(v[0].basis, Basis::Declared);
    }
}

// ---- Vienna Document chapter III: meeting and attendance -------------------------------------

const VD: &str = "vienna-document-2011";

fn request(id: &str, by: &str, to: &str, issued_at: &str) -> Record {
    record(
        id,
        by,
        issued_at,
        json!({"type": "explanation_request", "agreement": VD, "provision": "ch-iii-unusual-activities",
               "to": to, "area": {"zone": "near-ukraine", "description": "near Ukraine"}, "text": "explain"}),
    )
}

fn meeting_request(id: &str, request: &str, issued_at: &str) -> Record {
    record(
        id,
        "UA",
        issued_at,
        json!({"type": "meeting_request", "agreement": VD, "provision": "ch-iii-unusual-activities",
               "request": request, "to": "RU", "text": "a meeting within 48 hours"}),
    )
}

fn meeting(id: &str, request: &str, kind: &str, held_at: &str, absent: &[&str]) -> Record {
    record(
        id,
        "UA",
        held_at,
        json!({"type": "meeting", "agreement": VD, "provision": "ch-iii-unusual-activities",
               "request": request, "kind": kind, "held_at": held_at, "present": ["UA"],
               "absent": absent, "text": "held"}),
    )
}

#[test]
fn a_meeting_request_is_not_a_second_request_for_explanation() {
    let records = vec![
        request("UA-REQ", "UA", "RU", "2022-02-11T12:00:00Z"),
        meeting_request("UA-MEET", "UA-REQ", "2022-02-13T12:00:00Z"),
    ];
    let f = all(records, "2022-02-14T12:00:00Z", &[]);
    let rr = of(&f, VD, "ch-iii-unusual-activities", "RU");
    // One violation: the unanswered request. The meeting request is open, due within 48 hours.
    let v = with_severity(&rr, Severity::Violation);
    assert_eq!(v.len(), 1, "{rr:#?}");
    assert!(cites(v[0], "UA-REQ"));
    assert!(
        rr.iter()
            .any(|x| cites(x, "UA-MEET") && x.severity != Severity::Violation)
    );
}

#[test]
fn a_meeting_requested_is_open_for_48_hours_then_noted_as_unrecorded_not_judged() {
    // Paragraph 17: the meeting is held within 48 hours of its request. Until then the request
    // is open (compliant); once the 48 hours have passed with no meeting recorded, the finding
    // says so without judging anyone (who convenes it is not the responding State alone).
    let records = vec![
        request("UA-REQ", "UA", "RU", "2022-02-11T12:00:00Z"),
        meeting_request("UA-MEET", "UA-REQ", "2022-02-13T12:00:00Z"),
    ];
    let on_meeting = |when: &str| -> (Severity, String) {
        let f = all(records.clone(), when, &[]);
        let rr = of(&f, VD, "ch-iii-unusual-activities", "RU");
        let m: Vec<_> = rr.iter().filter(|x| cites(x, "UA-MEET")).collect();
        assert_eq!(m.len(), 1, "{rr:#?}");
        (m[0].severity, m[0].message.id.to_string())
    };
    let open = (Severity::Compliant, "meeting-requested".to_owned());
    assert_eq!(on_meeting("2022-02-14T12:00:00Z"), open);
    assert_eq!(
        on_meeting("2022-02-15T12:00:00Z"),
        open,
        "48 hours to the second"
    );
    assert_eq!(
        on_meeting("2022-02-15T12:00:01Z"),
        (Severity::NotApplicable, "meeting-unrecorded".to_owned())
    );
}

#[test]
fn the_responding_state_absent_from_the_meeting_is_a_violation_reported_by_the_requester() {
    let base = vec![
        request("UA-REQ", "UA", "RU", "2022-02-11T12:00:00Z"),
        meeting_request("UA-MEET", "UA-REQ", "2022-02-13T12:00:00Z"),
    ];
    let mut absent = base.clone();
    absent.push(meeting(
        "UA-HELD",
        "UA-MEET",
        "consultation",
        "2022-02-15T12:00:00Z",
        &["RU"],
    ));
    let f = all(absent, "2022-02-16T00:00:00Z", &[]);
    let rr = of(&f, VD, "ch-iii-unusual-activities", "RU");
    let held: Vec<_> = rr.iter().filter(|x| cites(x, "UA-HELD")).collect();
    assert_eq!(held.len(), 1, "{rr:#?}");
    assert_eq!(held[0].severity, Severity::Violation);
    assert_eq!(held[0].basis, Basis::ReportedByParty);
    // Present: no finding against it.
    let mut present = base;
    present.push(record(
        "UA-HELD",
        "UA",
        "2022-02-15T12:00:00Z",
        json!({"type": "meeting", "agreement": VD, "provision": "ch-iii-unusual-activities",
               "request": "UA-MEET", "kind": "consultation", "held_at": "2022-02-15T12:00:00Z",
               "present": ["UA", "RU"], "text": "held"}),
    ));
    let f = all(present, "2022-02-16T00:00:00Z", &[]);
    let rr = of(&f, VD, "ch-iii-unusual-activities", "RU");
    assert!(
        rr.iter()
            .filter(|x| cites(x, "UA-HELD"))
            .all(|x| x.severity == Severity::Compliant),
        "{rr:#?}"
    );
}

#[test]
fn absence_from_the_joint_session_is_a_concern_not_a_violation() {
    let records = vec![
        request("UA-REQ", "UA", "RU", "2022-02-11T12:00:00Z"),
        meeting_request("UA-MEET", "UA-REQ", "2022-02-13T12:00:00Z"),
        meeting(
            "UA-JOINT",
            "UA-MEET",
            "joint_session",
            "2022-02-18T12:00:00Z",
            &["RU"],
        ),
    ];
    let f = all(records, "2022-02-19T00:00:00Z", &[]);
    let rr = of(&f, VD, "ch-iii-unusual-activities", "RU");
    let joint: Vec<_> = rr.iter().filter(|x| cites(x, "UA-JOINT")).collect();
    assert_eq!(joint.len(), 1, "{rr:#?}");
    assert_eq!(joint[0].severity, Severity::Concern);
}

// ---- one activity, one finding --------------------------------------------------------------------

fn observed(id: &str, zone: &str, date: &str, quantity: u64) -> Record {
    common::troops_observed(id, "RU", zone, date, quantity)
}

#[test]
fn chapter_vi_does_not_repeat_the_finding_of_chapter_v() {
    let f = all(
        vec![observed("O-1", "near-ukraine", "2022-02-06", 110_000)],
        "2022-02-20T00:00:00Z",
        &[],
    );
    let v = of(&f, VD, "ch-v-notification", "RU");
    assert_eq!(with_severity(&v, Severity::Violation).len(), 1, "{v:#?}");
    assert_eq!(v[0].basis, Basis::OpenSources);
    let vi = of(&f, VD, "ch-vi-observation", "RU");
    assert!(
        vi.iter()
            .all(|x| x.severity < Severity::Concern && !cites(x, "O-1")),
        "{vi:#?}"
    );
}

#[test]
fn a_build_up_spanning_the_year_end_is_judged_in_the_year_it_starts() {
    let f = all(
        vec![
            observed("O-DEC", "near-ukraine", "2021-12-03", 95_000),
            observed("O-FEB", "near-ukraine", "2022-01-26", 110_000),
        ],
        "2022-02-20T00:00:00Z",
        &[],
    );
    let v = of(&f, VD, "ch-v-notification", "RU");
    let found: Vec<_> = v
        .iter()
        .filter(|x| x.severity >= Severity::Concern)
        .collect();
    assert_eq!(found.len(), 1, "{v:#?}");
    assert!(cites(found[0], "O-DEC") && cites(found[0], "O-FEB"));
    assert_eq!(found[0].figures[0].value, 110_000);
    // Reports more than 60 days apart are two activities, each in its own year.
    let f = all(
        vec![
            observed("O-DEC", "near-ukraine", "2021-12-03", 95_000),
            observed("O-MAR", "near-ukraine", "2022-03-01", 110_000),
        ],
        "2022-03-20T00:00:00Z",
        &[],
    );
    let v = of(&f, VD, "ch-v-notification", "RU");
    assert_eq!(
        v.iter().filter(|x| x.severity >= Severity::Concern).count(),
        2,
        "{v:#?}"
    );
}

// ---- INF: the ban against reports and open sources --------------------------------------------

fn inf_report(author: &str, score: u8) -> Record {
    record(
        &format!("{author}-9M729"),
        author,
        "2018-12-04T12:00:00Z",
        json!({"type": "observation",
               "source": {"url": "https://example.org/9m729", "outlet": "Example", "title": "t", "published": "2018-12-04"},
               "actor": "RU", "category": "intermediate_range_missiles", "quantity": 1,
               "qualifier": {"kind": "at_least"},
               "area": {"zone": "russia", "description": "Russia"}, "date": "2018-12-04",
               "text": "a ground-launched cruise missile flight-tested to intermediate range",
               "confidence": {"independent_sources": 1, "official_sources": 1, "score": score}}),
    )
}

#[test]
fn the_inf_ban_is_held_against_reports_and_open_sources_with_their_caveat() {
    // Reported by another party (the United States): a suspected breach, reported by a party.
    let f = all(vec![inf_report("US", 60)], "2018-12-31T00:00:00Z", &[]);
    let ban = of(&f, "inf", "art-i-elimination", "RU");
    let suspected: Vec<_> = ban.iter().filter(|x| cites(x, "US-9M729")).collect();
    assert_eq!(suspected.len(), 1, "{ban:#?}");
    assert_eq!(suspected[0].severity, Severity::Concern);
    assert_eq!(suspected[0].basis, Basis::ReportedByParty);
    // From open sources only: a concern resting on open sources, with its confidence.
    let f = all(vec![inf_report("OSINT", 40)], "2018-12-31T00:00:00Z", &[]);
    let ban = of(&f, "inf", "art-i-elimination", "RU");
    let suspected: Vec<_> = ban.iter().filter(|x| cites(x, "OSINT-9M729")).collect();
    assert_eq!(suspected.len(), 1, "{ban:#?}");
    assert_eq!(suspected[0].severity, Severity::Concern);
    assert_eq!(suspected[0].basis, Basis::OpenSources);
    assert!(
        suspected[0].summary.contains("40"),
        "{}",
        suspected[0].summary
    );
}

// ---- host-nation consent --------------------------------------------------------------------------

fn troops_in(zone: &str) -> Record {
    observed("O-Z", zone, "2022-02-10", 5000)
}

#[test]
fn forces_present_with_the_hosts_consent_are_not_concerned() {
    let nato = "nato-proposal-2022";
    let f = all(vec![troops_in("moldova")], "2022-02-20T00:00:00Z", &[nato]);
    let w = of(&f, nato, "withdraw-forces", "RU");
    assert_eq!(with_severity(&w, Severity::Concern).len(), 1, "{w:#?}");
    let consent = record(
        "MD-CONSENT",
        "MD",
        "2022-01-01T00:00:00Z",
        json!({"type": "statement", "kind": "host_consent", "about": "RU",
               "text": "consent to the presence of these forces"}),
    );
    let f = all(
        vec![consent, troops_in("moldova")],
        "2022-02-20T00:00:00Z",
        &[nato],
    );
    let w = of(&f, nato, "withdraw-forces", "RU");
    assert!(w.iter().all(|x| x.severity < Severity::Concern), "{w:#?}");
}

#[test]
fn forces_seen_in_a_wider_zone_leave_a_prohibition_not_established() {
    // Forces estimated across the zone of application (which contains Ukraine) are neither in
    // nor out of Ukraine: the prohibition is not shown to be kept.
    let nato = "nato-proposal-2022";
    let f = all(
        vec![troops_in("vd-zone-of-application")],
        "2022-02-20T00:00:00Z",
        &[nato],
    );
    let w = of(&f, nato, "withdraw-forces", "RU");
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].severity, Severity::NotApplicable);
    assert!(cites(&w[0], "O-Z"));
}

// ---- New START notifications: changes in data within five days, launches 24 hours ahead -------

fn notice(id: &str, event: &str, provision: &str, occurs: &str, issued: &str) -> Record {
    record(
        id,
        "US",
        issued,
        json!({"type": "event_notice", "agreement": "new-start", "provision": provision,
               "event": event, "occurs": occurs, "text": "an event"}),
    )
}

#[test]
fn a_change_in_data_is_notified_within_five_days_of_the_day_it_occurs() {
    // Protocol Part Four, Section II.3: a change on 10 March is notified by the end of 15 March.
    let judge = |issued: &str| {
        let f = all(
            vec![notice(
                "US-N",
                "conversion",
                "changes-in-data",
                "2019-03-10T08:00:00Z",
                issued,
            )],
            "2019-06-01T00:00:00Z",
            &[],
        );
        of(&f, "new-start", "changes-in-data", "US")
    };
    let f = judge("2019-03-15T23:59:00Z");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Compliant);
    let f = judge("2019-03-16T00:01:00Z");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Violation);
    assert!(cites(&f[0], "US-N"));
}

#[test]
fn a_launch_is_notified_at_least_24_hours_ahead() {
    let judge = |issued: &str| {
        let f = all(
            vec![notice(
                "US-L",
                "icbm_launch",
                "launch-notification",
                "2019-05-02T12:00:00Z",
                issued,
            )],
            "2019-06-01T00:00:00Z",
            &[],
        );
        of(&f, "new-start", "launch-notification", "US")
    };
    assert_eq!(
        judge("2019-05-01T12:00:00Z")[0].severity,
        Severity::Compliant
    );
    assert_eq!(
        judge("2019-05-01T12:01:00Z")[0].severity,
        Severity::Violation
    );
}

#[test]
fn notifications_withheld_as_a_countermeasure_are_a_concern_beside_it() {
    let cm = record(
        "US-CM",
        "US",
        "2023-06-01T12:00:00Z",
        json!({"type": "countermeasure", "agreement": "new-start", "provisions": ["changes-in-data"],
               "against": "RU", "from": "2023-06-01", "measures": "notifications withheld",
               "in_response_to": "Russia's breaches"}),
    );
    let f = all(vec![cm.clone()], "2023-05-31T12:00:00Z", &[]);
    let f = of(&f, "new-start", "changes-in-data", "US");
    assert_eq!(f[0].severity, Severity::NotApplicable, "{f:#?}");
    let f = all(vec![cm], "2023-06-02T00:00:00Z", &[]);
    let f = of(&f, "new-start", "changes-in-data", "US");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Concern);
    assert!(cites(&f[0], "US-CM"));
    assert_eq!(f[0].notes[0].id, "note-countermeasure");
}
