//! Every kind of provision judged against records at the boundaries its text sets: exactly at a
//! threshold and one below, the minute before and after a deadline, each with the paragraph it
//! comes from. The agreements are the embedded ones (`agreements/`), so these tests also hold the
//! encoded figures to the texts.

mod common;

use accord_compliance::Engine;
use accord_model::{AgreementId, Finding, Record, Severity};
use accord_state::State;
use common::{at, cites, record};
use serde_json::{Value, json};

/// The findings for `(agreement, provision, party)` when the embedded agreements judge `records`
/// at `when`, with `assume` taken as in force.
fn judge(
    records: Vec<Record>,
    when: &str,
    assume: &[&str],
    agreement: &str,
    provision: &str,
    party: &str,
) -> Vec<Finding> {
    let state = State::from_records(records).unwrap_or_else(|e| panic!("{e}"));
    let mut engine = Engine::new(accord_agreements::builtin().unwrap());
    for a in assume {
        engine
            .assume_in_force(&AgreementId::new(*a).unwrap())
            .unwrap();
    }
    engine
        .evaluate(&state, at(when))
        .findings()
        .into_iter()
        .filter(|f| {
            f.agreement.as_str() == agreement
                && f.provision.as_str() == provision
                && f.party.as_str() == party
        })
        .collect()
}

/// The findings of the embedded agreements on `first` at `when`, and those of that evaluation
/// brought up to date with `second` appended, after checking they are what an evaluation of
/// both made afresh gives.
fn updated_with(first: Record, second: Record, when: &str) -> (Vec<Finding>, Vec<Finding>) {
    let engine = Engine::new(accord_agreements::builtin().unwrap());
    let mut state = State::new();
    state.append(first).unwrap();
    let mut eval = engine.evaluate(&state, at(when));
    let before = eval.findings();
    state.append(second).unwrap();
    engine.update(&mut eval, &state);
    let fresh = engine.evaluate(&state, at(when)).findings();
    assert_eq!(eval.findings(), fresh, "brought up to date and made afresh");
    (before, fresh)
}

/// Asserts that `agreement` binds `party` in nothing: each of its findings on the party says so,
/// one of them on `provision`.
fn assert_not_binding(findings: &[Finding], agreement: &str, party: &str, provision: &str) {
    let on: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.agreement.as_str() == agreement && f.party.as_str() == party)
        .collect();
    assert!(
        on.iter()
            .all(|f| f.severity == Severity::NotApplicable && f.message.id == "not-binding"),
        "{on:#?}"
    );
    let of = on
        .iter()
        .filter(|f| f.provision.as_str() == provision)
        .count();
    assert_eq!(of, 1, "{on:#?}");
}

fn severities(f: &[Finding]) -> Vec<Severity> {
    f.iter().map(|x| x.severity).collect()
}

/// A Vienna Document activity of `troops` (and optionally battle tanks) in Belarus.
fn activity(name: &str, kind: &str, start: &str, end: &str, forces: &[(&str, u64)]) -> Value {
    common::activity_in(name, kind, (start, end), "belarus", forces, &[])
}

fn notification(id: &str, issued_at: &str, act: Value) -> Record {
    record(
        id,
        "BY",
        issued_at,
        json!({"type": "notification", "agreement": "vienna-document-2011", "activity": act}),
    )
}

const VD: &str = "vienna-document-2011";

/// The Vienna Document findings on Belarus for one provision.
fn vd(provision: &str, when: &str, records: Vec<Record>) -> Vec<Finding> {
    judge(records, when, &[], VD, provision, "BY")
}

// ---- limits: New START Article II.1(b), 1,550 warheads ----------------------------------------

fn warheads(id: &str, as_of: &str, count: u64) -> Record {
    record(
        id,
        "RU",
        &format!("{as_of}T00:00:00Z"),
        json!({"type": "declaration", "agreement": "new-start", "as_of": as_of,
               "holdings": [{"category": "accountable_warheads", "status": "deployed", "count": count}]}),
    )
}

#[test]
fn limit_at_1550_warheads_complies_and_1551_violates() {
    let f = judge(
        vec![warheads("RU-1", "2019-09-01", 1550)],
        "2019-10-01T00:00:00Z",
        &[],
        "new-start",
        "art-ii-1-b",
        "RU",
    );
    assert_eq!(severities(&f), [Severity::Compliant]);
    assert_eq!(
        (f[0].figures[0].value, f[0].figures[0].limit),
        (1550, Some(1550))
    );
    let f = judge(
        vec![warheads("RU-1", "2019-09-01", 1551)],
        "2019-10-01T00:00:00Z",
        &[],
        "new-start",
        "art-ii-1-b",
        "RU",
    );
    assert_eq!(severities(&f), [Severity::Violation]);
    assert!(cites(&f[0], "RU-1"));
    // The central limits bind from 5 February 2018 (Article II.1): the day before, 1,551 is
    // shown against the limit but judged not applicable.
    let f = judge(
        vec![warheads("RU-1", "2017-09-01", 1551)],
        "2018-02-04T12:00:00Z",
        &[],
        "new-start",
        "art-ii-1-b",
        "RU",
    );
    assert_eq!(severities(&f), [Severity::NotApplicable]);
    assert_eq!(f[0].figures[0].value, 1551);
}

#[test]
fn figures_from_before_the_limit_bound_are_a_concern_only_above_it() {
    // After 5 February 2018, with Russia's newest figures as of 1 September 2017: 1,551
    // warheads is a concern (no evidence of a breach once the limit bound), 1,550 within it.
    let judged = |count: u64| {
        judge(
            vec![warheads("RU-1", "2017-09-01", count)],
            "2018-03-01T00:00:00Z",
            &[],
            "new-start",
            "art-ii-1-b",
            "RU",
        )
    };
    let f = judged(1551);
    assert_eq!(severities(&f), [Severity::Concern], "{f:#?}");
    assert_eq!(f[0].message.id, "limit-before-binding");
    let f = judged(1550);
    assert_eq!(severities(&f), [Severity::Compliant], "{f:#?}");
    assert_eq!(f[0].message.id, "limit-within");
}

// ---- prior notification: Vienna Document chapter V, paragraphs 38 and 40.1.1 ------------------

#[test]
fn notification_42_days_ahead_complies_and_a_minute_later_violates() {
    let act = activity(
        "Test 1",
        "exercise",
        "2021-03-15",
        "2021-03-20",
        &[("troops", 9000)],
    );
    // 42 days before 15 March 2021 is 1 February 2021; the whole of that day is in time.
    let f = vd(
        "ch-v-notification",
        "2021-04-01T00:00:00Z",
        vec![notification("BY-1", "2021-02-01T23:59:00Z", act.clone())],
    );
    assert_eq!(severities(&f), [Severity::Compliant]);
    let f = vd(
        "ch-v-notification",
        "2021-04-01T00:00:00Z",
        vec![notification("BY-1", "2021-02-02T00:00:00Z", act)],
    );
    assert_eq!(severities(&f), [Severity::Violation]);
    assert_eq!(
        (f[0].figures[0].value, f[0].figures[0].limit),
        (41, Some(42))
    );
}

#[test]
fn notifications_before_the_vienna_document_was_in_force_bind_no_one_afresh_or_when_updating() {
    // The Vienna Document 2011 was reissued on 30 November 2011 and is in force from
    // 1 December: on the 30th no chapter binds Belarus yet, neither on the first notification
    // of an exercise nor once a second one is added to the evaluation already made.
    let exercise = |name, start, end| activity(name, "exercise", start, end, &[("troops", 13000)]);
    let first = notification(
        "BY-1",
        "2011-11-01T00:00:00Z",
        exercise("Exercise 1", "2012-01-16", "2012-01-20"),
    );
    let second = notification(
        "BY-2",
        "2011-11-15T00:00:00Z",
        exercise("Exercise 2", "2012-02-13", "2012-02-17"),
    );
    let (before, after) = updated_with(first, second, "2011-11-30T12:00:00Z");
    for findings in [before, after] {
        assert_not_binding(&findings, VD, "BY", "ch-v-notification");
        assert_not_binding(&findings, VD, "BY", "ch-vi-observation");
        let why = findings
            .iter()
            .find(|f| f.agreement.as_str() == VD && f.provision.as_str() == "ch-v-notification")
            .map(|f| f.summary.as_str());
        assert_eq!(
            why,
            Some(
                "Prior notification of certain military activities: vienna-document-2011 was \
                 signed on 30 November 2011 but is not in force"
            )
        );
    }
}

#[test]
fn notification_threshold_is_9000_troops_and_8999_is_not_notifiable() {
    let late = |troops: u64| {
        vd(
            "ch-v-notification",
            "2021-04-01T00:00:00Z",
            vec![notification(
                "BY-1",
                "2021-03-14T00:00:00Z",
                activity(
                    "Test",
                    "exercise",
                    "2021-03-15",
                    "2021-03-20",
                    &[("troops", troops)],
                ),
            )],
        )
    };
    assert_eq!(severities(&late(9000)), [Severity::Violation]);
    assert!(late(8999).is_empty());
}

#[test]
fn sorties_alone_do_not_make_an_activity_notifiable() {
    // Paragraph 40.1.2: 200 sorties or more are included in the notification of a notifiable
    // activity; an air activity of 300 sorties and few troops notified the day before is no breach.
    let f = vd(
        "ch-v-notification",
        "2021-04-01T00:00:00Z",
        vec![notification(
            "BY-AIR",
            "2021-03-14T00:00:00Z",
            activity(
                "Air",
                "exercise",
                "2021-03-15",
                "2021-03-16",
                &[("sorties", 300), ("troops", 1500)],
            ),
        )],
    );
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn alert_activity_is_notified_at_its_start_not_42_days_ahead() {
    // Paragraph 41: an alert activity is notified when the troops start it.
    let act = activity(
        "Snap",
        "alert_activity",
        "2021-03-15",
        "2021-03-16",
        &[("troops", 20000)],
    );
    let f = vd(
        "ch-v-notification",
        "2021-04-01T00:00:00Z",
        vec![notification("BY-1", "2021-03-15T23:59:00Z", act.clone())],
    );
    assert_eq!(severities(&f), [Severity::Compliant]);
    let f = vd(
        "ch-v-notification",
        "2021-04-01T00:00:00Z",
        vec![notification("BY-1", "2021-03-16T00:01:00Z", act)],
    );
    assert_eq!(severities(&f), [Severity::Violation]);
}

#[test]
fn a_notification_of_less_than_half_the_troops_sources_report_is_a_concern() {
    // A notified exercise covers the forces seen during it; a source that reports more than
    // twice the notified troops is a concern about the notification (open sources alone), and
    // one that reports twice as many is not.
    let judged = |observed: u64| {
        vd(
            "ch-v-notification",
            "2021-04-01T00:00:00Z",
            vec![
                notification(
                    "BY-1",
                    "2021-02-01T00:00:00Z",
                    activity(
                        "Test",
                        "exercise",
                        "2021-03-15",
                        "2021-03-20",
                        &[("troops", 9000)],
                    ),
                ),
                common::troops_observed("O-1", "BY", "belarus", "2021-03-16", observed),
            ],
        )
    };
    let f = judged(18000);
    assert_eq!(severities(&f), [Severity::Compliant], "{f:#?}");
    assert_eq!(f[0].message.id, "notified-in-time");
    let f = judged(18001);
    let below: Vec<&Finding> = f
        .iter()
        .filter(|x| x.message.id == "notified-below-observed")
        .collect();
    assert_eq!(below.len(), 1, "{f:#?}");
    assert_eq!(below[0].severity, Severity::Concern);
    assert_eq!(below[0].basis, accord_model::Basis::OpenSources);
    assert_eq!(
        (below[0].figures[0].value, below[0].figures[0].limit),
        (18001, Some(9000))
    );
    assert!(cites(below[0], "BY-1") && cites(below[0], "O-1"));
    assert_eq!(
        below[0].message.args.get("unit"),
        Some(&accord_model::Arg::Text("troops".into()))
    );
    // The exercise itself was notified in time all the same.
    assert!(
        f.iter()
            .any(|x| x.message.id == "notified-in-time" && x.severity == Severity::Compliant)
    );
}

// ---- observation: chapter VI, paragraph 47.4 (13,000 troops), from open sources ----------------

fn observed(id: &str, quantity: u64, score: u8, official: bool) -> Record {
    record(
        id,
        "OSINT",
        "2021-06-02T00:00:00Z",
        json!({"type": "observation",
               "source": {"url": format!("https://example.org/{id}"), "outlet": "Example",
                          "title": "t", "published": "2021-06-02"},
               "actor": "BY", "category": "troops", "quantity": quantity,
               "qualifier": {"kind": "exactly"},
               "area": {"zone": "belarus", "description": "Belarus"}, "date": "2021-06-01",
               "attribution": {"who": "a ministry", "official": official},
               "text": "troops seen",
               "confidence": {"independent_sources": 1, "official_sources": u32::from(official), "score": score}}),
    )
}

#[test]
fn observation_duty_starts_at_13000_observed_troops() {
    // An agreement with chapter VI's duty alone (paragraph 47.4) judges unnotified forces from
    // 13,000 troops on.
    let observers_only = format!(
        "{}\n[[provision]]\nid = \"ch-vi\"\ncite = \"Chapter VI, paragraph 47.4\"\ntitle = \"Observation\"\n\n\
         [provision.observation]\nthresholds = [{{ category = \"troops\", at_least = 13000 }}]\n",
        "id = \"observers\"\ntitle = \"t\"\ncitation = \"t\"\nbinding = \"political\"\nparties = [\"BY\", \"LT\"]\n\n\
         [[history]]\nstatus = \"in_force\"\ndate = 2011-12-01\n"
    );
    let agreement = accord_agreements::parse(
        &observers_only,
        "observers.toml",
        accord_agreements::Vocabulary::builtin(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let f = |q: u64| {
        let state = State::from_records(vec![observed("O-1", q, 40, false)]).unwrap();
        Engine::new(vec![agreement.clone()])
            .evaluate(&state, at("2021-07-01T00:00:00Z"))
            .findings()
            .into_iter()
            .filter(|x| x.party.as_str() == "BY")
            .collect::<Vec<_>>()
    };
    assert!(f(12_999).is_empty());
    // A single weak source just at the threshold: a concern, not a violation.
    let at_threshold = f(13_000);
    assert_eq!(severities(&at_threshold), [Severity::Concern]);
    assert_eq!(at_threshold[0].figures[0].limit, Some(13_000));
    // In the Vienna Document the same forces are judged once, under chapter V (9,000 troops),
    // and not repeated under chapter VI, which depends on it.
    let vi = vd(
        "ch-vi-observation",
        "2021-07-01T00:00:00Z",
        vec![observed("O-1", 13_000, 40, false)],
    );
    assert!(vi.is_empty(), "{vi:#?}");
    let v = vd(
        "ch-v-notification",
        "2021-07-01T00:00:00Z",
        vec![observed("O-1", 13_000, 40, false)],
    );
    assert_eq!(severities(&v), [Severity::Concern]);
}

#[test]
fn unnotified_forces_twice_the_threshold_from_an_official_source_are_a_violation() {
    // Chapter V threshold 9,000: 18,000 from an official source is at least twice it.
    let f = |q: u64, official: bool| {
        vd(
            "ch-v-notification",
            "2021-07-01T00:00:00Z",
            vec![observed("O-1", q, 40, official)],
        )
    };
    assert_eq!(severities(&f(18_000, true)), [Severity::Violation]);
    assert_eq!(severities(&f(17_999, true)), [Severity::Concern]);
    assert_eq!(severities(&f(18_000, false)), [Severity::Concern]);
}

#[test]
fn an_activity_notified_under_another_agreement_is_not_notified_under_the_vienna_document() {
    // Belarus notified its exercise of 20,000 troops under another arrangement, not under the
    // Vienna Document: the forces an official source saw are unnotified there (a violation, as
    // with no notification at all); notified under the Vienna Document they are covered.
    let notified_under = |agreement: &str| {
        record(
            "BY-N",
            "BY",
            "2021-04-01T00:00:00Z",
            json!({"type": "notification", "agreement": agreement, "activity": activity(
                "Exercise", "exercise", "2021-05-28", "2021-06-05", &[("troops", 20_000)])}),
        )
    };
    let seen = || observed("O-1", 20_000, 40, true);
    let judged = |records| vd("ch-v-notification", "2021-07-01T00:00:00Z", records);
    let alone = judged(vec![seen()]);
    assert_eq!(severities(&alone), [Severity::Violation]);
    let elsewhere = judged(vec![notified_under("us-proposal-2022"), seen()]);
    assert_eq!(
        severities(&elsewhere),
        [Severity::Violation],
        "{elsewhere:#?}"
    );
    assert!(cites(&elsewhere[0], "O-1") && !cites(&elsewhere[0], "BY-N"));
    let here = judged(vec![notified_under(VD), seen()]);
    assert!(
        here.iter().all(|x| x.severity == Severity::Compliant),
        "{here:#?}"
    );
}

#[test]
fn an_official_source_or_a_high_score_alone_makes_unnotified_forces_a_violation() {
    // Twice the chapter V threshold seen: a violation where the evidence is strong, which one
    // official source, a score of 50, or an attribution to an official each make on its own.
    let judged = |score: u8, official_sources: u32, official_attribution: bool| {
        let seen = record(
            "O-1",
            "OSINT",
            "2021-06-02T00:00:00Z",
            json!({"type": "observation",
                   "source": {"url": "https://example.org/O-1", "outlet": "Example",
                              "title": "t", "published": "2021-06-02"},
                   "actor": "BY", "category": "troops", "quantity": 18_000,
                   "qualifier": {"kind": "exactly"},
                   "area": {"zone": "belarus", "description": "Belarus"}, "date": "2021-06-01",
                   "attribution": {"who": "a correspondent", "official": official_attribution},
                   "text": "troops seen",
                   "confidence": {"independent_sources": 1, "official_sources": official_sources,
                                  "score": score}}),
        );
        severities(&vd("ch-v-notification", "2021-07-01T00:00:00Z", vec![seen]))
    };
    assert_eq!(judged(40, 1, false), [Severity::Violation]);
    assert_eq!(judged(50, 0, false), [Severity::Violation]);
    assert_eq!(judged(49, 0, true), [Severity::Violation]);
    assert_eq!(judged(49, 0, false), [Severity::Concern]);
}

#[test]
fn forces_seen_during_two_notified_activities_are_set_against_the_one_that_began_first() {
    // A long exercise from February and a short one in March are both under way on the day
    // a source reports more than twice the troops of either: the finding names the exercise
    // that began first, whichever list (long or short activities) holds it.
    let f = vd(
        "ch-v-notification",
        "2021-05-01T00:00:00Z",
        vec![
            notification(
                "BY-LONG",
                "2020-12-01T00:00:00Z",
                activity(
                    "Long",
                    "exercise",
                    "2021-02-01",
                    "2021-04-30",
                    &[("troops", 10_000)],
                ),
            ),
            notification(
                "BY-SHORT",
                "2021-01-15T00:00:00Z",
                activity(
                    "Short",
                    "exercise",
                    "2021-03-10",
                    "2021-03-20",
                    &[("troops", 9_500)],
                ),
            ),
            common::troops_observed("O-1", "BY", "belarus", "2021-03-16", 25_000),
        ],
    );
    let below: Vec<&Finding> = f
        .iter()
        .filter(|x| x.message.id == "notified-below-observed")
        .collect();
    assert_eq!(below.len(), 1, "{f:#?}");
    assert!(
        cites(below[0], "BY-LONG") && !cites(below[0], "BY-SHORT"),
        "{:#?}",
        below[0]
    );
    assert_eq!(below[0].figures[0].limit, Some(10_000));
    // Without the long exercise, the short one covers the same report.
    let f = vd(
        "ch-v-notification",
        "2021-05-01T00:00:00Z",
        vec![
            notification(
                "BY-SHORT",
                "2021-01-15T00:00:00Z",
                activity(
                    "Short",
                    "exercise",
                    "2021-03-10",
                    "2021-03-20",
                    &[("troops", 9_500)],
                ),
            ),
            common::troops_observed("O-1", "BY", "belarus", "2021-03-16", 25_000),
        ],
    );
    let below: Vec<&Finding> = f
        .iter()
        .filter(|x| x.message.id == "notified-below-observed")
        .collect();
    assert_eq!(below.len(), 1, "{f:#?}");
    assert!(cites(below[0], "BY-SHORT"));
}

#[test]
fn a_notification_duty_for_some_kinds_of_activity_judges_those_kinds_alone() {
    // An agreement asking 42 days' notice of exercises only: an exercise notified 14 days ahead
    // is late; a transfer of the same forces notified as late owes nothing.
    let agreement = common::agreement_of(
        "exercises-only",
        &["BY", "LT"],
        "[[provision]]\nid = \"notify-exercises\"\ncite = \"t\"\ntitle = \"Notice of exercises\"\n\n\
                [provision.notification]\nlead_time_days = 42\nactivity_kinds = [\"exercise\"]\n\
                thresholds = [{ category = \"troops\", at_least = 9000 }]\n",
    );
    let judged = |kind: &str| {
        let notice = record(
            "BY-1",
            "BY",
            "2021-03-01T00:00:00Z",
            json!({"type": "notification", "agreement": "exercises-only",
                   "activity": activity("Test", kind, "2021-03-15", "2021-03-20", &[("troops", 10_000)])}),
        );
        common::judged_under(&agreement, vec![notice], "2021-04-01T00:00:00Z", "BY")
            .into_iter()
            .filter(|x| x.severity == Severity::Violation)
            .collect::<Vec<_>>()
    };
    let late = judged("exercise");
    assert_eq!(late.len(), 1, "{late:#?}");
    assert!(cites(&late[0], "BY-1"));
    assert!(judged("transfer").is_empty());
}

// ---- annual calendars: chapter VII, paragraph 61 (by 15 November for the next year) -----------

fn calendar(id: &str, issued_at: &str, year: i16) -> Record {
    record(
        id,
        "BY",
        issued_at,
        json!({"type": "annual_calendar", "agreement": VD, "year": year,
               "activities": [activity("Planned", "exercise", &format!("{year}-06-01"), &format!("{year}-06-10"), &[("troops", 41000)])]}),
    )
}

#[test]
fn annual_calendar_due_by_15_november_the_minute_after_is_late() {
    let judge_2021 = |issued: &str| {
        vd(
            "ch-vii-annual-calendar",
            "2021-12-01T00:00:00Z",
            vec![calendar("BY-CAL-2022", issued, 2022)],
        )
    };
    let f = judge_2021("2021-11-15T23:59:00Z");
    assert_eq!(severities(&f), [Severity::Compliant]);
    assert!(cites(&f[0], "BY-CAL-2022"));
    let f = judge_2021("2021-11-16T00:01:00Z");
    assert_eq!(severities(&f), [Severity::Violation]);
    assert!(cites(&f[0], "BY-CAL-2022"));
    // The whole of 15 November counts, to its last instant; midnight is already late.
    let f = judge_2021("2021-11-15T23:59:59.999999999Z");
    assert_eq!(severities(&f), [Severity::Compliant]);
    assert_eq!(f[0].message.id, "calendar-on-time");
    let f = judge_2021("2021-11-16T00:00:00Z");
    assert_eq!(severities(&f), [Severity::Violation]);
    assert_eq!(f[0].message.id, "calendar-late");
}

#[test]
fn a_missing_annual_calendar_is_a_violation_once_due() {
    // Belarus issued a calendar for 2021 but none for 2022.
    let records = vec![calendar("BY-CAL-2021", "2020-11-10T00:00:00Z", 2021)];
    let f = vd(
        "ch-vii-annual-calendar",
        "2021-11-15T12:00:00Z",
        records.clone(),
    );
    assert!(
        !f.iter().any(|x| x.severity == Severity::Violation),
        "not yet due: {f:#?}"
    );
    let f = vd("ch-vii-annual-calendar", "2021-11-16T12:00:00Z", records);
    let v: Vec<_> = f
        .iter()
        .filter(|x| x.severity == Severity::Violation)
        .collect();
    assert_eq!(v.len(), 1, "{f:#?}");
    assert!(v[0].evidence.iter().any(
        |e| matches!(e, accord_model::Evidence::Absence { expected } if expected.contains("2022"))
    ));
    // A party that has never issued a calendar is not checked.
    let f = vd("ch-vii-annual-calendar", "2021-11-16T12:00:00Z", vec![]);
    assert_eq!(severities(&f), [Severity::NotApplicable]);
}

#[test]
fn a_calendar_due_on_the_first_day_records_are_kept_from_is_expected() {
    // A state holding records from a date expects the calendars due on or after it: due on
    // 15 November 2021, the 2022 calendar is missing when records start that day, and not
    // judged when they start the day after.
    let records = vec![calendar("BY-CAL-2021", "2020-11-10T00:00:00Z", 2021)];
    let judged = |from: &str| {
        let state = State::from_records(records.clone()).unwrap();
        Engine::new(accord_agreements::builtin().unwrap())
            .with_records_from(from.parse().unwrap())
            .evaluate(&state, at("2021-12-01T00:00:00Z"))
            .findings()
            .into_iter()
            .filter(|f| {
                f.agreement.as_str() == VD
                    && f.provision.as_str() == "ch-vii-annual-calendar"
                    && f.party.as_str() == "BY"
                    && f.severity == Severity::Violation
            })
            .count()
    };
    assert_eq!(judged("2021-11-15"), 1);
    assert_eq!(judged("2021-11-16"), 0);
    assert_eq!(judged("2021-01-01"), 1);
}

#[test]
fn an_exchange_as_of_the_first_day_records_are_kept_from_is_expected() {
    // Russia's update as of 1 September 2018 is held; the one as of 1 March 2019 is missing
    // once due (by 31 March): expected where records start that day, not where they start
    // the day after.
    let missing = |from: &str| {
        let state = State::from_records(vec![warheads("RU-1", "2018-09-01", 1500)]).unwrap();
        Engine::new(accord_agreements::builtin().unwrap())
            .with_records_from(from.parse().unwrap())
            .evaluate(&state, at("2019-06-01T00:00:00Z"))
            .findings()
            .into_iter()
            .filter(|f| {
                f.agreement.as_str() == "new-start"
                    && f.provision.as_str() == "data-exchange"
                    && f.party.as_str() == "RU"
                    && f.message.id == "exchange-missing"
            })
            .count()
    };
    assert_eq!(missing("2019-03-01"), 1);
    assert_eq!(missing("2019-03-02"), 0);
}

#[test]
fn observers_are_owed_only_for_the_kinds_of_activity_the_duty_names() {
    // An agreement asking observers at exercises only: an exercise of 13,000 troops notified
    // without an invitation breaks it; a transfer of the same forces owes none.
    let agreement = common::agreement_of(
        "exercises-observed",
        &["BY", "LT"],
        "[[provision]]\nid = \"observe-exercises\"\ncite = \"t\"\ntitle = \"Observers\"\n\n\
                [provision.observation]\nactivity_kinds = [\"exercise\"]\n\
                thresholds = [{ category = \"troops\", at_least = 13000 }]\n",
    );
    let violations = |kind: &str| {
        let notice = record(
            "BY-1",
            "BY",
            "2021-04-01T00:00:00Z",
            json!({"type": "notification", "agreement": "exercises-observed",
                   "activity": activity("Test", kind, "2021-06-10", "2021-06-15", &[("troops", 13_000)])}),
        );
        common::judged_under(&agreement, vec![notice], "2021-07-01T00:00:00Z", "BY")
            .into_iter()
            .filter(|x| x.severity == Severity::Violation)
            .count()
    };
    assert_eq!(violations("exercise"), 1);
    assert_eq!(violations("transfer"), 0);
}

#[test]
fn an_activity_exempt_up_to_some_hours_is_owed_notice_beyond_them() {
    // A duty that exempts alert activities of up to 72 hours: three days (10 to 12 June) owe
    // no notice, four days notified late are a violation.
    let agreement = common::agreement_of(
        "short-alerts",
        &["BY", "LT"],
        "[[provision]]\nid = \"notify\"\ncite = \"t\"\ntitle = \"Notice\"\n\n\
                [provision.notification]\nlead_time_days = 42\n\
                thresholds = [{ category = \"troops\", at_least = 9000 }]\n\
                exemptions = [{ activity_kind = \"alert_activity\", only_if_longer_than_hours = 72, cite = \"t\" }]\n",
    );
    let violations = |end: &str| {
        let notice = record(
            "BY-1",
            "BY",
            "2021-06-10T08:00:00Z",
            json!({"type": "notification", "agreement": "short-alerts",
                   "activity": activity("Alert", "alert_activity", "2021-06-10", end, &[("troops", 20_000)])}),
        );
        common::judged_under(&agreement, vec![notice], "2021-07-01T00:00:00Z", "BY")
            .into_iter()
            .filter(|x| x.severity == Severity::Violation)
            .count()
    };
    assert_eq!(violations("2021-06-12"), 0);
    assert_eq!(violations("2021-06-13"), 1);
}

// ---- constraining provisions: chapter VIII, paragraphs 67.1, 67.3 and 68 -----------------------

fn on_time(id: &str, start: &str, end: &str, troops: u64) -> Record {
    notification(
        id,
        "2020-01-02T00:00:00Z",
        activity(id, "exercise", start, end, &[("troops", troops)]),
    )
}

#[test]
fn at_most_three_simultaneous_activities_over_13000_troops() {
    // Paragraph 67.3: three at once comply, a fourth at the same time violates; an activity of
    // exactly 13,000 troops is not "over 13,000" and does not count.
    let mut records: Vec<Record> = (1..=3)
        .map(|k| on_time(&format!("A{k}"), "2020-06-01", "2020-06-10", 13_001))
        .collect();
    records.push(on_time("A4", "2020-06-05", "2020-06-12", 13_000));
    let f = vd("ch-viii-67-3", "2020-12-31T00:00:00Z", records.clone());
    assert_eq!(severities(&f), [Severity::Compliant]);
    assert_eq!((f[0].figures[0].value, f[0].figures[0].limit), (3, Some(3)));
    records.pop();
    records.push(on_time("A4", "2020-06-05", "2020-06-12", 13_001));
    let f = vd("ch-viii-67-3", "2020-12-31T00:00:00Z", records);
    assert_eq!(severities(&f), [Severity::Violation]);
    assert_eq!(f[0].figures[0].value, 4);
    assert!(cites(&f[0], "A4"));
    // A fourth that ended the day before the others started does not overlap them.
    let mut apart: Vec<Record> = (1..=3)
        .map(|k| on_time(&format!("A{k}"), "2020-06-01", "2020-06-10", 13_001))
        .collect();
    apart.push(on_time("A0", "2020-05-20", "2020-05-31", 13_001));
    let f = vd("ch-viii-67-3", "2020-12-31T00:00:00Z", apart);
    assert_eq!(severities(&f), [Severity::Compliant]);
    assert_eq!(f[0].figures[0].value, 3);
}

#[test]
fn four_simultaneous_activities_are_cited_as_of_the_first_day_four_were_under_way() {
    // Paragraph 67.3 is breached when a fourth activity over 13,000 troops is under way at the
    // same time as three others. Four were under way together in June and four again in
    // September: the finding cites the four of June, when the breach began.
    let four = |month: &str, start: &str, end: &str| -> Vec<Record> {
        (1..=4)
            .map(|k| on_time(&format!("{month}{k}"), start, end, 13_001))
            .collect()
    };
    let records = [
        four("JUN", "2020-06-01", "2020-06-10"),
        four("SEP", "2020-09-01", "2020-09-10"),
    ]
    .concat();
    let f = vd("ch-viii-67-3", "2020-12-31T00:00:00Z", records);
    assert_eq!(severities(&f), [Severity::Violation]);
    assert_eq!(f[0].figures[0].value, 4);
    for k in 1..=4 {
        assert!(cites(&f[0], &format!("JUN{k}")), "{:#?}", f[0]);
        assert!(!cites(&f[0], &format!("SEP{k}")), "{:#?}", f[0]);
    }
}

#[test]
fn at_most_one_activity_over_40000_troops_within_three_calendar_years() {
    // Paragraph 67.1: a second one within three calendar years violates; 40,000 does not count.
    let first = on_time("BIG-2018", "2018-09-01", "2018-09-10", 40_001);
    let f = vd(
        "ch-viii-67-1",
        "2020-12-31T00:00:00Z",
        vec![
            first.clone(),
            on_time("BIG-2020", "2020-09-01", "2020-09-10", 40_000),
        ],
    );
    assert!(
        f.iter().all(|x| x.severity == Severity::Compliant),
        "{f:#?}"
    );
    let records = vec![
        first.clone(),
        on_time("BIG-2020", "2020-09-01", "2020-09-10", 40_001),
    ];
    let f = vd("ch-viii-67-1", "2020-12-31T00:00:00Z", records);
    let v: Vec<_> = f
        .iter()
        .filter(|x| x.severity == Severity::Violation)
        .collect();
    assert_eq!(v.len(), 1, "{f:#?}");
    assert!(cites(v[0], "BIG-2018") && cites(v[0], "BIG-2020"));
    // The finding names the window of three calendar years it counted in.
    assert!(v[0].summary.contains("in 2018 to 2020"), "{}", v[0].summary);
    // Four calendar years apart (2018 and 2021) is outside the window of three.
    let f = vd(
        "ch-viii-67-1",
        "2021-12-31T00:00:00Z",
        vec![
            first,
            on_time("BIG-2021", "2021-09-01", "2021-09-10", 40_001),
        ],
    );
    assert!(
        f.iter().all(|x| x.severity == Severity::Compliant),
        "{f:#?}"
    );
}

#[test]
fn at_most_six_activities_over_13000_troops_in_a_calendar_year() {
    // Paragraph 67.2: six in a year comply, a seventh violates; one of over 40,000 troops is
    // counted under paragraph 67.1 instead, and one in the next year counts in that year.
    let month = |k: u32| {
        let start = format!("2020-{k:02}-01");
        let end = format!("2020-{k:02}-05");
        on_time(&format!("M{k}"), &start, &end, 13_001)
    };
    let six: Vec<Record> = (1..=6).map(month).collect();
    let mut with_others = six.clone();
    with_others.push(on_time("HUGE", "2020-08-01", "2020-08-05", 40_001));
    with_others.push(on_time("NEXT-YEAR", "2021-01-04", "2021-01-08", 13_001));
    let f = vd("ch-viii-67-2", "2020-12-31T00:00:00Z", with_others);
    assert!(
        !f.is_empty() && f.iter().all(|x| x.severity == Severity::Compliant),
        "{f:#?}"
    );
    let mut seven = six;
    seven.push(month(7));
    let f = vd("ch-viii-67-2", "2020-12-31T00:00:00Z", seven);
    let v: Vec<_> = f
        .iter()
        .filter(|x| x.severity == Severity::Violation)
        .collect();
    assert_eq!(v.len(), 1, "{f:#?}");
    assert!(
        (1..=7).all(|k| cites(v[0], &format!("M{k}"))),
        "{:#?}",
        v[0]
    );
    assert_eq!(v[0].figures[0].value, 7);
    // One calendar year, named alone.
    assert!(v[0].summary.contains("in 2020"), "{}", v[0].summary);
    assert!(!v[0].summary.contains(" to "), "{}", v[0].summary);
}

#[test]
fn an_activity_over_40000_troops_must_be_in_the_annual_calendar() {
    // Paragraph 68. The calendar of BY for 2022 lists "Planned" (1 to 10 June 2022).
    let cal = calendar("BY-CAL-2022", "2021-11-01T00:00:00Z", 2022);
    let listed = notification(
        "BY-LISTED",
        "2022-01-02T00:00:00Z",
        activity(
            "Planned",
            "exercise",
            "2022-06-01",
            "2022-06-10",
            &[("troops", 40_001)],
        ),
    );
    let unlisted = notification(
        "BY-UNLISTED",
        "2022-01-02T00:00:00Z",
        activity(
            "Other",
            "exercise",
            "2022-09-01",
            "2022-09-10",
            &[("troops", 40_001)],
        ),
    );
    let f = vd(
        "ch-viii-68",
        "2022-12-31T00:00:00Z",
        vec![cal, listed, unlisted],
    );
    let listed = f.iter().find(|x| cites(x, "BY-LISTED")).unwrap();
    assert_eq!(listed.severity, Severity::Compliant);
    let unlisted = f.iter().find(|x| cites(x, "BY-UNLISTED")).unwrap();
    assert_eq!(unlisted.severity, Severity::Violation);
    // Renamed but held in the days the calendar gives (5 to 12 June against 1 to 10 June): the
    // same activity, listed; a day after the listed one ends, another.
    let renamed = |start: &str, end: &str| {
        let f = vd(
            "ch-viii-68",
            "2022-12-31T00:00:00Z",
            vec![
                calendar("BY-CAL-2022", "2021-11-01T00:00:00Z", 2022),
                notification(
                    "BY-RENAMED",
                    "2022-01-02T00:00:00Z",
                    activity("Renamed", "exercise", start, end, &[("troops", 40_001)]),
                ),
            ],
        );
        f.iter().find(|x| cites(x, "BY-RENAMED")).unwrap().severity
    };
    assert_eq!(renamed("2022-06-05", "2022-06-12"), Severity::Compliant);
    assert_eq!(renamed("2022-05-25", "2022-06-01"), Severity::Compliant);
    assert_eq!(renamed("2022-06-11", "2022-06-20"), Severity::Violation);
}

// ---- risk reduction: chapter III, paragraph 16.1 (reply within 48 hours) -----------------------

fn request_and_reply(reply_at: Option<&str>) -> Vec<Record> {
    let mut v = vec![record(
        "LT-REQ",
        "LT",
        "2022-02-09T12:00:00Z",
        json!({"type": "explanation_request", "agreement": VD, "provision": "ch-iii-unusual-activities",
               "to": "BY", "area": {"zone": "belarus", "description": "Belarus"}, "text": "explain"}),
    )];
    if let Some(t) = reply_at {
        v.push(record(
            "BY-REPLY",
            "BY",
            t,
            json!({"type": "explanation_reply", "request": "LT-REQ", "text": "within parameters"}),
        ));
    }
    v
}

#[test]
fn a_reply_at_48_hours_is_in_time_and_a_minute_later_is_late() {
    let rr = |reply: Option<&str>, when: &str| {
        vd("ch-iii-unusual-activities", when, request_and_reply(reply))
    };
    let f = rr(Some("2022-02-11T12:00:00Z"), "2022-02-20T00:00:00Z");
    assert_eq!(severities(&f), [Severity::Compliant]);
    let f = rr(Some("2022-02-11T12:01:00Z"), "2022-02-20T00:00:00Z");
    assert_eq!(severities(&f), [Severity::Violation]);
    // No reply: still open (compliant) at the deadline, a violation the minute after it.
    let f = rr(None, "2022-02-11T12:00:00Z");
    assert_eq!(severities(&f), [Severity::Compliant]);
    let f = rr(None, "2022-02-11T12:01:00Z");
    assert_eq!(severities(&f), [Severity::Violation]);
    assert!(cites(&f[0], "LT-REQ"));
    // Judged the next year, beside a request of that year answered in time, the late reply of
    // 2022 is one finding still, not one a year.
    let mut records = request_and_reply(Some("2022-02-11T12:01:00Z"));
    records.push(record(
        "LT-REQ-2023",
        "LT",
        "2023-02-01T12:00:00Z",
        json!({"type": "explanation_request", "agreement": VD, "provision": "ch-iii-unusual-activities",
               "to": "BY", "area": {"zone": "belarus", "description": "Belarus"}, "text": "explain"}),
    ));
    records.push(record(
        "BY-REPLY-2023",
        "BY",
        "2023-02-02T12:00:00Z",
        json!({"type": "explanation_reply", "request": "LT-REQ-2023", "text": "within parameters"}),
    ));
    let f = vd(
        "ch-iii-unusual-activities",
        "2023-03-01T00:00:00Z",
        records.clone(),
    );
    let mut judged: Vec<(Severity, bool)> =
        f.iter().map(|x| (x.severity, cites(x, "LT-REQ"))).collect();
    judged.sort();
    assert_eq!(
        judged,
        [(Severity::Compliant, false), (Severity::Violation, true)],
        "{f:#?}"
    );
    // A request made under another agreement, though it names the same paragraph, is not owed
    // a reply under this one.
    records.push(record(
        "LT-REQ-OTHER",
        "LT",
        "2023-02-01T12:00:00Z",
        json!({"type": "explanation_request", "agreement": "new-start", "provision": "ch-iii-unusual-activities",
               "to": "BY", "area": {"zone": "belarus", "description": "Belarus"}, "text": "explain"}),
    ));
    let f = vd("ch-iii-unusual-activities", "2023-03-01T00:00:00Z", records);
    assert_eq!(f.len(), 2, "{f:#?}");
    assert!(!f.iter().any(|x| cites(x, "LT-REQ-OTHER")), "{f:#?}");
}

#[test]
fn a_reply_dated_with_its_request_answers_it_and_one_dated_before_it_is_a_violation() {
    // A reply written the same second as the request answers it in time; a reply that claims to
    // have been written before the request it answers cannot be true and is judged as such.
    let f = vd(
        "ch-iii-unusual-activities",
        "2022-02-20T00:00:00Z",
        request_and_reply(Some("2022-02-09T12:00:00Z")),
    );
    assert_eq!(severities(&f), [Severity::Compliant], "{f:#?}");
    let f = vd(
        "ch-iii-unusual-activities",
        "2022-02-20T00:00:00Z",
        request_and_reply(Some("2022-02-09T11:59:59Z")),
    );
    assert_eq!(severities(&f), [Severity::Violation], "{f:#?}");
    assert!(cites(&f[0], "BY-REPLY"), "{f:#?}");
}

#[test]
fn a_request_naming_another_paragraph_is_owed_a_reply_under_the_one_risk_reduction_provision() {
    // The Vienna Document has one mechanism for unusual military activities (chapter III): a
    // request under the agreement that cites its paragraph by another name is still owed a reply
    // within its 48 hours.
    let request = record(
        "LT-REQ",
        "LT",
        "2022-02-09T12:00:00Z",
        json!({"type": "explanation_request", "agreement": VD, "provision": "ch-iii-16-1",
               "to": "BY", "area": {"zone": "belarus", "description": "Belarus"}, "text": "explain"}),
    );
    let f = vd(
        "ch-iii-unusual-activities",
        "2022-02-11T12:01:00Z",
        vec![request],
    );
    assert_eq!(severities(&f), [Severity::Violation], "{f:#?}");
    assert_eq!(f[0].message.id, "request-unanswered");
    assert!(cites(&f[0], "LT-REQ"));
}

// ---- quotas: chapter IX, paragraphs 75 and 76 ----------------------------------------------------

fn inspection_request(id: &str, by: &str, date: &str) -> Record {
    record(
        id,
        by,
        &format!("{date}T00:00:00Z"),
        json!({"type": "inspection_request", "agreement": VD, "provision": "ch-ix-inspections",
               "inspected": "BY", "area": {"zone": "belarus", "description": "a specified area"},
               "date": date}),
    )
}

fn inspection_report(id: &str, by: &str, request: &str, date: &str) -> Record {
    record(
        id,
        by,
        &format!("{date}T18:00:00Z"),
        json!({"type": "inspection_report", "request": request, "site": "area-1", "date": date,
               "counts": []}),
    )
}

#[test]
fn three_inspections_a_year_one_per_inspecting_state() {
    let mut records = Vec::new();
    for (k, by) in ["LT", "LV", "EE"].iter().enumerate() {
        let date = format!("2021-0{}-10", k + 3);
        records.push(inspection_request(&format!("{by}-INSP"), by, &date));
        records.push(inspection_report(
            &format!("{by}-REP"),
            by,
            &format!("{by}-INSP"),
            &date,
        ));
    }
    let f = vd("ch-ix-inspections", "2021-12-31T00:00:00Z", records.clone());
    assert_eq!(severities(&f), [Severity::Compliant]);
    assert_eq!((f[0].figures[0].value, f[0].figures[0].limit), (3, Some(3)));
    // A fourth request in the year (from a fourth state) is beyond the quota: BY need not
    // accept it, a concern about the request, not a finding against BY's conduct.
    let mut four = records.clone();
    four.push(inspection_request("PL-INSP", "PL", "2021-07-10"));
    let f = vd("ch-ix-inspections", "2021-12-31T00:00:00Z", four);
    let beyond: Vec<_> = f
        .iter()
        .filter(|x| x.severity == Severity::Concern)
        .collect();
    assert_eq!(beyond.len(), 1, "{f:#?}");
    assert!(cites(beyond[0], "PL-INSP"));
    assert!(!f.iter().any(|x| x.severity == Severity::Violation));
    // A second request from the same state in the year is beyond its share (paragraph 76).
    let mut twice = records[..2].to_vec();
    twice.push(inspection_request("LT-INSP-2", "LT", "2021-09-10"));
    let f = vd("ch-ix-inspections", "2021-12-31T00:00:00Z", twice);
    let beyond: Vec<_> = f
        .iter()
        .filter(|x| x.severity == Severity::Concern)
        .collect();
    assert_eq!(beyond.len(), 1, "{f:#?}");
    assert!(cites(beyond[0], "LT-INSP-2"));
    // An evaluation visit is counted under its own quota, not among the inspections.
    let mut visit = records.clone();
    visit.push(record(
        "PL-VISIT",
        "PL",
        "2021-07-10T00:00:00Z",
        json!({"type": "inspection_request", "agreement": VD, "provision": "ch-ix-evaluation-visits",
               "inspected": "BY", "site": "unit-1", "date": "2021-07-10"}),
    ));
    let f = vd("ch-ix-inspections", "2021-12-31T00:00:00Z", visit);
    assert_eq!(severities(&f), [Severity::Compliant], "{f:#?}");
    assert_eq!((f[0].figures[0].value, f[0].figures[0].limit), (3, Some(3)));
}

#[test]
fn an_accepted_inspection_within_the_quota_without_a_report_is_a_violation() {
    let f = vd(
        "ch-ix-inspections",
        "2021-12-31T00:00:00Z",
        vec![inspection_request("LT-INSP", "LT", "2021-03-10")],
    );
    let v: Vec<_> = f
        .iter()
        .filter(|x| x.severity == Severity::Violation)
        .collect();
    assert_eq!(v.len(), 1, "{f:#?}");
    assert!(cites(v[0], "LT-INSP"));
}

// ---- visits and reciprocity: the US paper of January 2022 (assumed in force) ------------------

const US: &str = "us-proposal-2022";

fn visit_request(id: &str, by: &str, host: &str, provision: &str, date: &str) -> Record {
    record(
        id,
        by,
        &format!("{date}T00:00:00Z"),
        json!({"type": "inspection_request", "agreement": US, "provision": provision,
               "inspected": host, "site": "site-1", "date": date}),
    )
}

fn visit_report(id: &str, by: &str, request: &str, date: &str, tomahawks: u64) -> Record {
    record(
        id,
        by,
        &format!("{date}T18:00:00Z"),
        json!({"type": "inspection_report", "request": request, "site": "site-1", "date": date,
               "counts": [{"category": "missiles", "status": "deployed", "counted": tomahawks}]}),
    )
}

#[test]
fn aegis_ashore_visits_are_owed_only_after_the_reciprocal_visits() {
    let aegis = |records: Vec<Record>| {
        judge(
            records,
            "2022-06-30T00:00:00Z",
            &[US],
            US,
            "aegis-ashore-transparency",
            "US",
        )
    };
    let us_visit = visit_request(
        "RU-V1",
        "RU",
        "US",
        "aegis-ashore-transparency",
        "2022-06-01",
    );
    // Requested, but Russia has not granted the visits to its own bases: nothing is owed yet.
    let f = aegis(vec![us_visit.clone()]);
    assert_eq!(severities(&f), [Severity::NotApplicable]);
    // Once a reciprocal visit in Russia has a report, the US visit is owed. The paper sets no
    // time for a visit and the engine adds none: with no report it stays open, not a breach.
    let ru_visit = visit_request(
        "US-V1",
        "US",
        "RU",
        "russian-missile-base-transparency",
        "2022-05-01",
    );
    let ru_report = visit_report("US-R1", "US", "US-V1", "2022-05-01", 0);
    let f = aegis(vec![ru_visit.clone(), ru_report.clone(), us_visit.clone()]);
    assert_eq!(severities(&f), [Severity::NotApplicable]);
    assert_eq!(f[0].message.id, "visit-open");
    assert!(cites(&f[0], "RU-V1"));
    // Hosted, and no Tomahawk found: compliant; one found: a violation.
    let f = aegis(vec![
        ru_visit.clone(),
        ru_report.clone(),
        us_visit.clone(),
        visit_report("RU-R1", "RU", "RU-V1", "2022-06-01", 0),
    ]);
    assert_eq!(severities(&f), [Severity::Compliant]);
    let f = aegis(vec![
        ru_visit,
        ru_report,
        us_visit,
        visit_report("RU-R1", "RU", "RU-V1", "2022-06-01", 1),
    ]);
    assert_eq!(severities(&f), [Severity::Violation]);
    assert!(cites(&f[0], "RU-R1"));
}

#[test]
fn a_visit_hosted_before_any_reciprocal_visit_is_not_owed() {
    // The United States hosted a Russian visit under the Aegis Ashore provision, but no visit
    // to a Russian missile base has a report: the hosted visit counts for nothing owed (and
    // is not taken for the reciprocal visit it is not).
    let f = judge(
        vec![
            visit_request(
                "RU-V1",
                "RU",
                "US",
                "aegis-ashore-transparency",
                "2022-06-01",
            ),
            visit_report("RU-R1", "RU", "RU-V1", "2022-06-01", 0),
        ],
        "2022-06-30T00:00:00Z",
        &[US],
        US,
        "aegis-ashore-transparency",
        "US",
    );
    assert_eq!(severities(&f), [Severity::NotApplicable], "{f:#?}");
    assert!(f[0].message.id.starts_with("visit-not-owed"), "{f:#?}");
}

// ---- zone prohibitions: the US paper, Ukraine section (assumed in force) -----------------------

fn missiles_seen(zone: &str) -> Record {
    record(
        "O-M",
        "OSINT",
        "2022-02-10T00:00:00Z",
        json!({"type": "observation",
               "source": {"url": "https://example.org/m", "outlet": "Example", "title": "t", "published": "2022-02-10"},
               "actor": "RU", "category": "missiles", "quantity": 4, "qualifier": {"kind": "exactly"},
               "area": {"zone": zone, "description": zone}, "date": "2022-02-09",
               "text": "launchers seen", "confidence": {"independent_sources": 1, "official_sources": 0, "score": 40}}),
    )
}

#[test]
fn zone_prohibition_open_sources_are_a_concern_a_notified_deployment_a_violation() {
    let ban = |records: Vec<Record>| {
        judge(
            records,
            "2022-02-20T00:00:00Z",
            &[US],
            US,
            "ukraine-no-offensive-missiles",
            "RU",
        )
    };
    assert_eq!(severities(&ban(vec![])), [Severity::Compliant]);
    // Crimea lies within Ukraine; Russian territory near Ukraine does not.
    assert_eq!(
        severities(&ban(vec![missiles_seen("crimea")])),
        [Severity::Concern]
    );
    assert_eq!(
        severities(&ban(vec![missiles_seen("near-ukraine")])),
        [Severity::Compliant]
    );
    let deployment = missiles_deployed_to_ukraine();
    let f = ban(vec![deployment]);
    assert_eq!(severities(&f), [Severity::Violation]);
    assert!(cites(&f[0], "RU-DEP"));
}

#[test]
fn a_zone_prohibition_binds_the_parties_it_names_and_every_party_when_it_names_none() {
    // Troops notified into a zone under a prohibition: a violation by a bound party, nothing
    // for a party the prohibition does not bind, and a violation by any party when it names
    // none.
    let prohibition = |bound: &str| {
        let text = format!(
            "id = \"zone-test\"\ntitle = \"t\"\ncitation = \"t\"\nbinding = \"political\"\n\
             parties = [\"US\", \"RU\"]\nzones = [\"ukraine\"]\n\n\
             [[history]]\nstatus = \"in_force\"\ndate = 2011-12-01\n\n\
             [[provision]]\nid = \"no-troops\"\ncite = \"t\"\ntitle = \"No troops in the zone\"\n\n\
             [provision.zone_prohibition]\nzones = [\"ukraine\"]\ncategories = [\"troops\"]\n\
             reciprocal = false\n{bound}\n"
        );
        accord_agreements::parse(
            &text,
            "zone-test.toml",
            accord_agreements::Vocabulary::builtin(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let troops_into_ukraine = |id: &str, party: &str| {
        record(
            id,
            party,
            "2022-02-01T00:00:00Z",
            json!({"type": "notification", "agreement": "zone-test", "activity": {
                "name": "Deployment", "kind": "deployment", "start": "2022-02-05", "end": "2022-12-31",
                "area": {"zone": "ukraine", "description": "Ukraine"},
                "forces": [{"category": "troops", "count": 500}]}}),
        )
    };
    let records = || {
        vec![
            troops_into_ukraine("RU-DEP", "RU"),
            troops_into_ukraine("US-DEP", "US"),
        ]
    };
    let when = "2022-03-01T00:00:00Z";
    let russia_only = prohibition("bound = [\"RU\"]");
    let on_russia = common::judged_under(&russia_only, records(), when, "RU");
    assert_eq!(
        severities(&on_russia),
        [Severity::Violation],
        "{on_russia:#?}"
    );
    assert!(cites(&on_russia[0], "RU-DEP"));
    let on_us = common::judged_under(&russia_only, records(), when, "US");
    assert!(
        on_us
            .iter()
            .all(|f| f.severity == Severity::NotApplicable || f.severity == Severity::Compliant)
            && !on_us.iter().any(|f| cites(f, "US-DEP")),
        "{on_us:#?}"
    );
    let everyone = prohibition("");
    for (party, id) in [("RU", "RU-DEP"), ("US", "US-DEP")] {
        let f = common::judged_under(&everyone, records(), when, party);
        assert_eq!(severities(&f), [Severity::Violation], "{party}: {f:#?}");
        assert!(cites(&f[0], id));
    }
}

/// Russia's notification, under the US paper, of a deployment of missiles to Ukraine.
fn missiles_deployed_to_ukraine() -> Record {
    missile_deployment("RU-DEP", "2022-02-01T00:00:00Z", "2022-02-05")
}

/// Russia's notification `id`, issued at `issued`, of missiles deployed to Ukraine from `start`
/// under the US paper.
fn missile_deployment(id: &str, issued: &str, start: &str) -> Record {
    record(
        id,
        "RU",
        issued,
        json!({"type": "notification", "agreement": US, "activity": {
            "name": "Deployment", "kind": "deployment", "start": start, "end": "2022-12-31",
            "area": {"zone": "ukraine", "description": "Ukraine"},
            "forces": [{"category": "missiles", "count": 1}]}}),
    )
}

#[test]
fn a_deployment_notified_under_the_us_paper_is_judged_alike_afresh_and_when_updating() {
    // The US paper is a proposal: unless assumed in force its ban binds no one, and a deployment
    // notified under it is shown as not applicable; assumed in force, the deployment of missiles
    // to Ukraine is a violation. Either way the evaluation brought up to date with the
    // notification gives what one made afresh gives.
    let deployment = missiles_deployed_to_ukraine();
    for (assumed, severity, id) in [
        (false, Severity::NotApplicable, "not-binding"),
        (true, Severity::Violation, "zone-deployment-notified"),
    ] {
        let mut engine = Engine::new(accord_agreements::builtin().unwrap());
        if assumed {
            engine
                .assume_in_force(&AgreementId::new(US).unwrap())
                .unwrap();
        }
        let now = at("2022-02-20T00:00:00Z");
        let mut state = State::new();
        let mut updated = engine.evaluate(&state, now);
        state.append(deployment.clone()).unwrap();
        engine.update(&mut updated, &state);
        let fresh = engine.evaluate(&state, now).findings();
        assert_eq!(updated.findings(), fresh, "assumed in force: {assumed}");
        let ban: Vec<Finding> = fresh
            .into_iter()
            .filter(|f| {
                f.agreement.as_str() == US
                    && f.provision.as_str() == "ukraine-no-offensive-missiles"
                    && f.party.as_str() == "RU"
            })
            .collect();
        assert_eq!(severities(&ban), [severity], "{ban:#?}");
        assert_eq!(ban[0].message.id, id);
    }
}

#[test]
fn a_deployment_appended_after_a_report_of_missiles_breaks_the_ban_as_afresh() {
    // The ban on missiles in Ukraine already judged for 2022 on a report of missiles in Crimea
    // (a concern); brought up to date with Russia's notified deployment there, it is the
    // violation an evaluation made afresh finds.
    let mut engine = Engine::new(accord_agreements::builtin().unwrap());
    engine
        .assume_in_force(&AgreementId::new(US).unwrap())
        .unwrap();
    let now = at("2022-02-20T00:00:00Z");
    let mut state = State::new();
    state.append(missiles_seen("crimea")).unwrap();
    let mut updated = engine.evaluate(&state, now);
    let ban = |findings: Vec<Finding>| -> Vec<Severity> {
        findings
            .into_iter()
            .filter(|f| {
                f.agreement.as_str() == US
                    && f.provision.as_str() == "ukraine-no-offensive-missiles"
                    && f.party.as_str() == "RU"
            })
            .map(|f| f.severity)
            .collect()
    };
    assert_eq!(ban(updated.findings()), [Severity::Concern]);
    state.append(missiles_deployed_to_ukraine()).unwrap();
    engine.update(&mut updated, &state);
    let fresh = engine.evaluate(&state, now).findings();
    assert_eq!(updated.findings(), fresh);
    assert!(ban(fresh).contains(&Severity::Violation));
}

#[test]
fn a_second_deployment_under_the_us_paper_not_in_force_leaves_its_ban_not_binding() {
    // Not assumed in force, the US paper binds no one. An evaluation that already judged the
    // ban on a first deployment of missiles to Ukraine, brought up to date with a second one,
    // still shows every provision of the paper as not binding for Russia, exactly as an
    // evaluation made afresh does.
    let second = missile_deployment("RU-DEP-2", "2022-02-10T00:00:00Z", "2022-02-12");
    let (before, after) = updated_with(
        missiles_deployed_to_ukraine(),
        second,
        "2022-02-20T00:00:00Z",
    );
    for findings in [before, after] {
        assert_not_binding(&findings, US, "RU", "ukraine-no-offensive-missiles");
    }
}

#[test]
fn a_deployment_in_ukraine_without_missiles_is_no_breach_of_the_missile_ban() {
    // The missile ban reaches offensive ground-launched missile systems only: combat forces
    // deployed to Ukraine, or a deployment that states no missiles, are the other provision's
    // business (permanent forces), not this one's.
    let deployment = |forces: Value| {
        record(
            "RU-DEP",
            "RU",
            "2022-02-01T00:00:00Z",
            json!({"type": "notification", "agreement": US, "activity": {
                "name": "Deployment", "kind": "deployment", "start": "2022-02-05", "end": "2022-12-31",
                "area": {"zone": "ukraine", "description": "Ukraine"}, "forces": forces}}),
        )
    };
    let judged = |provision: &str, r: Record| {
        judge(vec![r], "2022-02-20T00:00:00Z", &[US], US, provision, "RU")
    };
    let troops = || deployment(json!([{"category": "combat_forces", "count": 500}]));
    let missiles = judged("ukraine-no-offensive-missiles", troops());
    assert_eq!(severities(&missiles), [Severity::Compliant]);
    assert_eq!(missiles[0].message.id, "zone-clear");
    assert_eq!(
        severities(&judged("ukraine-no-permanent-combat-forces", troops())),
        [Severity::Violation]
    );
    let none = judged(
        "ukraine-no-offensive-missiles",
        deployment(json!([{"category": "missiles", "count": 0}])),
    );
    assert_eq!(severities(&none), [Severity::Compliant]);
}

#[test]
fn a_ban_on_permanent_forces_does_not_reach_an_exercise() {
    // The condition "activity.kind == 'deployment'" keeps exercises out of the ban.
    let notified = |kind: &str| {
        record(
            "RU-ACT",
            "RU",
            "2022-02-01T00:00:00Z",
            json!({"type": "notification", "agreement": US, "activity": {
                "name": "Activity", "kind": kind, "start": "2022-02-05", "end": "2022-02-15",
                "area": {"zone": "ukraine", "description": "Ukraine"},
                "forces": [{"category": "combat_forces", "count": 500}]}}),
        )
    };
    let ban = |r: Record| {
        judge(
            vec![r],
            "2022-02-20T00:00:00Z",
            &[US],
            US,
            "ukraine-no-permanent-combat-forces",
            "RU",
        )
    };
    assert_eq!(
        severities(&ban(notified("exercise"))),
        [Severity::Compliant]
    );
    assert_eq!(
        severities(&ban(notified("deployment"))),
        [Severity::Violation]
    );
}

// ---- class bans: INF Articles I, IV-VI --------------------------------------------------------

fn inf_declaration(missiles: u64) -> Record {
    record(
        "RU-INF",
        "RU",
        "2018-06-01T00:00:00Z",
        json!({"type": "declaration", "agreement": "inf", "as_of": "2018-06-01",
               "holdings": [{"category": "intermediate_range_missiles", "status": "deployed", "count": missiles}]}),
    )
}

#[test]
fn declared_items_of_a_banned_class_are_a_violation_and_none_complies() {
    let ban = |records: Vec<Record>| {
        judge(
            records,
            "2018-07-01T00:00:00Z",
            &[],
            "inf",
            "art-i-elimination",
            "RU",
        )
    };
    let f = ban(vec![inf_declaration(1)]);
    assert_eq!(severities(&f), [Severity::Violation]);
    assert_eq!((f[0].figures[0].value, f[0].figures[0].limit), (1, Some(0)));
    assert_eq!(
        severities(&ban(vec![inf_declaration(0)])),
        [Severity::Compliant]
    );
    // Missiles of other ranges (declared under the general category) are not of a banned class.
    let other = record(
        "RU-INF",
        "RU",
        "2018-06-01T00:00:00Z",
        json!({"type": "declaration", "agreement": "inf", "as_of": "2018-06-01",
               "holdings": [{"category": "missiles", "status": "deployed", "count": 40}]}),
    );
    assert_eq!(severities(&ban(vec![other])), [Severity::Compliant]);
    // No declaration: the ban is not checked, and says so.
    assert_eq!(severities(&ban(vec![])), [Severity::NotApplicable]);
    // After termination on 2 August 2019 nothing binds.
    let f = judge(
        vec![inf_declaration(1)],
        "2019-08-02T00:00:00Z",
        &[],
        "inf",
        "art-i-elimination",
        "RU",
    );
    assert_eq!(severities(&f), [Severity::NotApplicable]);
}

// ---- commitments: stated in words, never machine-checked ---------------------------------------

#[test]
fn commitments_are_reported_as_not_machine_checked() {
    let f = judge(
        vec![],
        "2022-02-20T00:00:00Z",
        &["nato-proposal-2022"],
        "nato-proposal-2022",
        "missions",
        "RU",
    );
    assert_eq!(severities(&f), [Severity::NotApplicable]);
    assert!(
        f[0].summary.contains("not machine-checked"),
        "{}",
        f[0].summary
    );
    // Not assumed in force, the proposal binds no one.
    let f = judge(
        vec![],
        "2022-02-20T00:00:00Z",
        &[],
        "nato-proposal-2022",
        "missions",
        "RU",
    );
    assert_eq!(severities(&f), [Severity::NotApplicable]);
    assert!(f[0].summary.contains("proposal"), "{}", f[0].summary);
}

/// The named number argument of a finding's message.
fn number(f: &Finding, name: &str) -> Option<i64> {
    match f.message.args.get(name) {
        Some(accord_model::Arg::Number(n)) => Some(*n),
        _ => None,
    }
}

#[test]
fn figures_from_before_a_limit_binds_are_a_concern_naming_the_excess() {
    // Declared 1,553 on 1 September 2017, judged on 1 March 2018: the limit has bound since
    // 5 February 2018, but no figure since then shows whether it is kept.
    let f = judge(
        vec![warheads("RU-1", "2017-09-01", 1553)],
        "2018-03-01T00:00:00Z",
        &[],
        "new-start",
        "art-ii-1-b",
        "RU",
    );
    assert_eq!(severities(&f), [Severity::Concern]);
    assert_eq!(f[0].message.id, "limit-before-binding");
    assert_eq!(number(&f[0], "excess"), Some(3));
    assert_eq!(number(&f[0], "level"), Some(1553));
    assert_eq!(
        f[0].message.args.get("binds_from"),
        Some(&accord_model::Arg::Date("2018-02-05".parse().unwrap()))
    );
    // A declaration made once the limit binds is judged as it stands.
    let f = judge(
        vec![warheads("RU-1", "2018-02-05", 1553)],
        "2018-03-01T00:00:00Z",
        &[],
        "new-start",
        "art-ii-1-b",
        "RU",
    );
    assert_eq!(severities(&f), [Severity::Violation]);
    assert_eq!(f[0].message.id, "limit-exceeded");
    assert_eq!(number(&f[0], "excess"), Some(3));
}
