//! Tests of deadlines judged from the logs' cosignatures and of findings on records' dates.

use accord_model::{Evidence, ExplanationReply, Record, RecordBody, Severity};
use accord_state::{Cosignature, LogPosition, State};

use crate::tests::{at, engine, of, p, request, rid};

fn reply(issued: &str) -> Record {
    Record {
        id: rid("RU-A"),
        party: p("RU"),
        issued_at: at(issued),
        body: RecordBody::ExplanationReply(ExplanationReply {
            request: rid("US-Q"),
            text: "planned training".into(),
        }),
    }
}

fn cosig(log: &str, size: u64, cosigner: &str, t: &str) -> Cosignature {
    Cosignature {
        log: p(log),
        size,
        cosigner: p(cosigner),
        timestamp: at(t),
    }
}

/// A state of the request (US log, entry 0) and the reply (RU log, entry 3: three earlier
/// records of RU's log are not part of the test) with the given cosignatures.
fn state(request_at: &str, reply_at: &str, cosignatures: &[Cosignature]) -> State {
    let mut s = State::from_records([request("US-Q", request_at), reply(reply_at)]).unwrap();
    let positions = [
        (
            0,
            LogPosition {
                log: p("US"),
                index: 0,
            },
        ),
        (
            1,
            LogPosition {
                log: p("RU"),
                index: 3,
            },
        ),
    ];
    s.apply_cosignatures(&positions, cosignatures);
    s
}

const ASKED: &str = "2022-02-11T12:00:00Z";
const DATED_AN_HOUR_LATER: &str = "2022-02-11T13:00:00Z";
const NOW: &str = "2022-03-01T00:00:00Z";

#[test]
fn a_reply_sent_three_days_late_but_dated_an_hour_after_the_request_is_late() {
    // US cosigned RU's log without the reply until three days later, then with it.
    let s = state(
        ASKED,
        DATED_AN_HOUR_LATER,
        &[
            cosig("RU", 3, "US", "2022-02-14T11:00:00Z"),
            cosig("RU", 4, "US", "2022-02-14T12:00:00Z"),
        ],
    );
    let f = engine().evaluate(&s, at(NOW)).findings();
    let rr = of(&f, "rr", "RU");
    assert_eq!(rr.len(), 1);
    assert_eq!(rr[0].severity, Severity::Violation);
    assert!(
        rr[0].summary.contains("after 72 hours"),
        "{}",
        rr[0].summary
    );
    assert_eq!(rr[0].notes[0].id, "note-time-witnessed");
    assert!(
        accord_messages::english(&rr[0].notes[0], &[])
            .contains("RU dated it 11 February 2022, 13:00 UTC"),
        "{:?}",
        rr[0].notes
    );
    // Its date lies three days before the log was last seen without it: a finding of its own,
    // under the agreement of the request it answers, citing the record's place in its log.
    let time = of(&f, crate::RECORD_TIME_PROVISION, "RU");
    assert_eq!(time.len(), 1);
    assert_eq!(time[0].severity, Severity::Concern);
    assert_eq!(time[0].party, p("RU"));
    assert_eq!(time[0].agreement.as_str(), "test-treaty");
    assert_eq!(time[0].message.id, "record-dated-before-logged");
    assert_eq!(
        time[0].evidence,
        vec![Evidence::logged(rid("RU-A"), "accord/log/RU", 3)]
    );
    // Before the requester held it, the reply does not count: the request is open, then
    // unanswered past its deadline.
    let before = engine().evaluate(&s, at("2022-02-12T00:00:00Z")).findings();
    assert_eq!(of(&before, "rr", "RU")[0].message.id, "request-open");
    let past = engine().evaluate(&s, at("2022-02-14T00:00:00Z")).findings();
    assert_eq!(of(&past, "rr", "RU")[0].message.id, "request-unanswered");
    // The lower bound is only known once the log was seen without it.
    assert!(of(&before, crate::RECORD_TIME_PROVISION, "RU").is_empty());
}

#[test]
fn without_log_times_the_date_counts_and_the_finding_says_so() {
    let s = state(ASKED, DATED_AN_HOUR_LATER, &[]);
    let f = engine().evaluate(&s, at(NOW)).findings();
    let rr = of(&f, "rr", "RU");
    assert_eq!(rr[0].severity, Severity::Compliant);
    assert_eq!(rr[0].notes[0].id, "note-time-dated");
    assert_eq!(
        rr[0].notes[0].args.get("party"),
        Some(&accord_model::Arg::Id("RU".into()))
    );
    assert!(of(&f, crate::RECORD_TIME_PROVISION, "RU").is_empty());
    // Witnessed in time by the requester, it complies and says from when it counts.
    let s = state(
        ASKED,
        DATED_AN_HOUR_LATER,
        &[cosig("RU", 4, "US", "2022-02-11T13:02:00Z")],
    );
    let f = engine().evaluate(&s, at(NOW)).findings();
    assert_eq!(of(&f, "rr", "RU")[0].severity, Severity::Compliant);
    assert_eq!(of(&f, "rr", "RU")[0].notes[0].id, "note-time-witnessed");
    assert!(of(&f, crate::RECORD_TIME_PROVISION, "RU").is_empty());
}

#[test]
fn the_requesters_cosignature_counts_before_any_other() {
    // A third party held the reply in time; the requester only three days later.
    let s = state(
        ASKED,
        DATED_AN_HOUR_LATER,
        &[
            cosig("RU", 4, "BY", "2022-02-11T13:05:00Z"),
            cosig("RU", 4, "US", "2022-02-14T12:00:00Z"),
        ],
    );
    let f = engine().evaluate(&s, at(NOW)).findings();
    assert_eq!(of(&f, "rr", "RU")[0].severity, Severity::Violation);
    // With only the third party's, that one counts.
    let s = state(
        ASKED,
        DATED_AN_HOUR_LATER,
        &[cosig("RU", 4, "BY", "2022-02-11T13:05:00Z")],
    );
    let f = engine().evaluate(&s, at(NOW)).findings();
    assert_eq!(of(&f, "rr", "RU")[0].severity, Severity::Compliant);
    assert_eq!(of(&f, "rr", "RU")[0].notes[0].id, "note-time-witnessed");
}

#[test]
fn a_reply_dated_before_its_request_is_never_on_time() {
    let s = state(ASKED, "2022-02-11T11:00:00Z", &[]);
    let f = engine().evaluate(&s, at(NOW)).findings();
    let rr = of(&f, "rr", "RU");
    assert_eq!(rr.len(), 1);
    assert_eq!(rr[0].severity, Severity::Violation);
    assert_eq!(rr[0].message.id, "request-reply-predates");
    let time = of(&f, crate::RECORD_TIME_PROVISION, "RU");
    assert_eq!(time.len(), 1);
    assert_eq!(time[0].message.id, "record-dated-before-answered");
    assert_eq!(time[0].severity, Severity::Concern);
    assert_eq!(time[0].evidence.len(), 2);
    // Even when the requester's cosignature shows it arrived within the hours allowed.
    let s = state(
        ASKED,
        "2022-02-11T11:00:00Z",
        &[cosig("RU", 4, "US", "2022-02-11T12:30:00Z")],
    );
    let f = engine().evaluate(&s, at(NOW)).findings();
    assert_eq!(of(&f, "rr", "RU")[0].severity, Severity::Violation);
}

#[test]
fn a_record_dated_after_it_was_witnessed_is_a_concern_beyond_the_tolerance() {
    let witnessed = "2022-02-11T14:00:00Z";
    let cosigs = [cosig("RU", 4, "US", witnessed)];
    // Within the tolerance: clocks differ a little.
    let s = state(ASKED, "2022-02-11T14:09:00Z", &cosigs);
    let f = engine().evaluate(&s, at(NOW)).findings();
    assert!(of(&f, crate::RECORD_TIME_PROVISION, "RU").is_empty());
    // Beyond it: dated a day after the requester already held it.
    let s = state(ASKED, "2022-02-12T14:00:00Z", &cosigs);
    let f = engine().evaluate(&s, at(NOW)).findings();
    let time = of(&f, crate::RECORD_TIME_PROVISION, "RU");
    assert_eq!(time.len(), 1);
    assert_eq!(time[0].message.id, "record-dated-after-logged");
    assert!(
        time[0]
            .summary
            .contains("more than 10 minutes after US cosigned"),
        "{}",
        time[0].summary
    );
    // And in Russian too.
    let ru = accord_messages::render(accord_messages::Lang::Ru, &time[0].message);
    assert!(ru.contains("RU-A"), "{ru}");
    // Known from the moment of the cosignature, even before the date it carries.
    let early = engine().evaluate(&s, at("2022-02-11T15:00:00Z")).findings();
    assert_eq!(of(&early, crate::RECORD_TIME_PROVISION, "RU").len(), 1);
}

#[test]
fn updating_as_cosignatures_arrive_matches_a_full_evaluation() {
    let e = engine();
    let now = at(NOW);
    let mut s = State::new();
    let mut eval = e.evaluate(&s, now);
    // The reply first (another log may be folded before the requester's), then the request.
    for r in [reply(DATED_AN_HOUR_LATER), request("US-Q", ASKED)] {
        s.append(r).unwrap();
        e.update(&mut eval, &s);
        assert_eq!(eval.findings(), e.evaluate(&s, now).findings());
    }
    let positions = s.party_log_positions();
    let mut cosigs = Vec::new();
    for c in [
        cosig("RU", 0, "US", "2022-02-11T11:00:00Z"),
        cosig("RU", 1, "BY", "2022-02-12T00:00:00Z"),
        cosig("RU", 1, "US", "2022-02-14T12:00:00Z"),
        cosig("US", 1, "RU", "2022-02-11T12:01:00Z"),
    ] {
        cosigs.push(c);
        let before = eval.findings();
        assert!(s.apply_cosignatures(&positions, &cosigs) > 0);
        e.update(&mut eval, &s);
        assert_eq!(eval.findings(), e.evaluate(&s, now).findings());
        if cosigs.len() == 3 {
            assert_ne!(eval.findings(), before);
        }
    }
    let rr = eval.findings();
    assert_eq!(of(&rr, "rr", "RU")[0].severity, Severity::Violation);
}
