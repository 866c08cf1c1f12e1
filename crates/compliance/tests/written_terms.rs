//! Rules of the engine that no embedded agreement's terms reach, judged under an agreement
//! written for these tests: data exchanges scheduled while the agreement stood suspended as a
//! whole, a notification duty limited by a condition on the activity, and requests judged under
//! the one of two risk-reduction provisions they name.

mod common;

use accord_agreements::{Agreement, Vocabulary};
use accord_compliance::Engine;
use accord_model::{Arg, Finding, Record, Severity};
use accord_state::State;
use common::{activity_in, at, cites, record};
use serde_json::json;

const IN_FORCE: &str = r#"
[[history]]
status = "in_force"
date = 2011-02-05
"#;

/// An agreement between the United States and Russia with `terms` (history and provisions,
/// in TOML).
fn agreement(terms: &str) -> Agreement {
    let text = format!(
        r#"
id = "test-terms"
title = "Terms written for the engine's tests"
citation = "test"
sources = ["test"]
binding = "legal"
parties = ["US", "RU"]
{terms}
"#
    );
    accord_agreements::parse(&text, "test-terms.toml", Vocabulary::builtin())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The findings on Russia under `terms` for `records` at `when`.
fn on_russia(terms: &str, records: Vec<Record>, when: &str) -> Vec<Finding> {
    let state = State::from_records(records).unwrap_or_else(|e| panic!("{e}"));
    Engine::new(vec![agreement(terms)])
        .evaluate(&state, at(when))
        .findings()
        .into_iter()
        .filter(|f| f.party.as_str() == "RU")
        .collect()
}

// ---- data exchanges: owed only for dates the agreement is in force ------------------------------

const EXCHANGE: &str = r#"
[[provision]]
id = "exchange"
cite = "Part Four"
title = "Six-monthly data updates"

[provision.data_exchange]
as_of = ["03-01", "09-01"]
due_days_after_period = 30
categories = ["accountable_warheads"]
content = "aggregate numbers"
"#;

#[test]
fn exchanges_scheduled_while_the_agreement_stood_suspended_are_not_owed() {
    // In force from 5 February 2011, suspended by both parties through 2015, in force again
    // from 1 January 2016. Russia's one update is as of 1 September 2014: every other update due
    // by 1 June 2016 is missing, except those as of 1 March and 1 September 2015, which fell due
    // while the agreement bound no one.
    let history = format!(
        r#"{IN_FORCE}
[[history]]
status = "suspended"
date = 2015-01-01

[[history]]
status = "in_force"
date = 2016-01-01
{EXCHANGE}"#
    );
    let update = record(
        "RU-2014-09-01",
        "RU",
        "2014-09-20T00:00:00Z",
        json!({"type": "declaration", "agreement": "test-terms", "as_of": "2014-09-01",
               "holdings": [{"category": "accountable_warheads", "status": "deployed", "count": 1400}]}),
    );
    let f = on_russia(&history, vec![update], "2016-06-01T00:00:00Z");
    let mut missing: Vec<String> = f
        .iter()
        .filter(|x| x.message.id == "exchange-missing")
        .map(|x| {
            assert_eq!(x.severity, Severity::Violation);
            match x.message.args.get("as_of") {
                Some(Arg::Date(d)) => d.to_string(),
                other => panic!("as_of: {other:?}"),
            }
        })
        .collect();
    missing.sort();
    assert_eq!(
        missing,
        [
            "2011-09-01",
            "2012-03-01",
            "2012-09-01",
            "2013-03-01",
            "2013-09-01",
            "2014-03-01",
            "2016-03-01"
        ],
        "{f:#?}"
    );
    // A missing update names the last one made before it, and none when none came before.
    let last_before = |as_of: &str| -> Option<String> {
        let missing = f
            .iter()
            .find(|x| {
                x.message.id == "exchange-missing"
                    && matches!(x.message.args.get("as_of"), Some(Arg::Date(d)) if d.to_string() == as_of)
            })
            .unwrap_or_else(|| panic!("no missing update as of {as_of}"));
        missing
            .notes
            .iter()
            .find(|n| n.id == "note-last-exchange")
            .map(|n| match n.args.get("as_of") {
                Some(Arg::Date(d)) => d.to_string(),
                other => panic!("as_of: {other:?}"),
            })
    };
    assert_eq!(last_before("2016-03-01").as_deref(), Some("2014-09-01"));
    assert_eq!(last_before("2014-03-01"), None);
    assert_eq!(last_before("2011-09-01"), None);
}

#[test]
fn a_provision_of_a_suspended_agreement_is_not_binding_since_the_suspension_then_current() {
    // Suspended by both parties in 2015, in force again in 2016, suspended again in 2018, and
    // suspended by Russia alone in 2019 (a party's own suspension says nothing of the whole).
    // Judged in mid-2015 the provision is not binding since the first suspension, not the later.
    let history = format!(
        r#"{IN_FORCE}
[[history]]
status = "suspended"
date = 2015-01-01

[[history]]
status = "in_force"
date = 2016-01-01

[[history]]
status = "suspended"
date = 2018-01-01

[[history]]
status = "suspended"
date = 2019-01-01
by = ["RU"]
{EXCHANGE}"#
    );
    let since = |when: &str| -> Vec<String> {
        on_russia(&history, Vec::new(), when)
            .into_iter()
            .map(|x| {
                assert_eq!(x.severity, Severity::NotApplicable, "{x:#?}");
                x.summary
            })
            .collect()
    };
    let mid_2015 = since("2015-06-01T00:00:00Z");
    assert!(!mid_2015.is_empty());
    for s in &mid_2015 {
        assert!(s.contains("suspended since 1 January 2015"), "{s}");
    }
    for s in since("2020-06-01T00:00:00Z") {
        assert!(s.contains("suspended since 1 January 2018"), "{s}");
    }
}

// ---- notification: a condition on the activity limits the duty --------------------------------

/// A prior-notification duty of 42 days for activities of 9,000 troops or more that meet
/// `condition`.
fn notification_terms(condition: &str) -> String {
    format!(
        r#"{IN_FORCE}
[[provision]]
id = "notify"
cite = "Chapter V"
title = "Prior notification of exercises"
condition = "{condition}"

[provision.notification]
lead_time_days = 42
thresholds = [{{ category = "troops", at_least = 9000 }}]
"#
    )
}

/// Russia's notification `id`, ten days before it starts, of an activity of `kind` in Russia.
fn notified_late(id: &str, kind: &str) -> Record {
    let act = activity_in(
        id,
        kind,
        ("2021-06-10", "2021-06-15"),
        "russia",
        &[("troops", 12_000)],
        &[],
    );
    record(
        id,
        "RU",
        "2021-05-31T00:00:00Z",
        json!({"type": "notification", "agreement": "test-terms", "activity": act}),
    )
}

#[test]
fn a_notification_duty_for_exercises_does_not_reach_a_deployment() {
    // The duty covers exercises only: the exercise notified ten days ahead (not 42) is late, the
    // deployment notified as late is no business of this provision.
    let terms = notification_terms("activity.kind == 'exercise'");
    let records = vec![
        notified_late("RU-EX", "exercise"),
        notified_late("RU-DEP", "deployment"),
    ];
    let f = on_russia(&terms, records, "2021-07-01T00:00:00Z");
    let late: Vec<&Finding> = f
        .iter()
        .filter(|x| x.severity == Severity::Violation)
        .collect();
    assert_eq!(late.len(), 1, "{f:#?}");
    assert!(cites(late[0], "RU-EX"), "{f:#?}");
    assert!(!f.iter().any(|x| cites(x, "RU-DEP")), "{f:#?}");
}

#[test]
fn a_condition_that_cannot_be_evaluated_is_a_concern_citing_the_notification() {
    // A condition that gives text, not a yes or no, cannot say whether the activity is
    // covered: the notification is not judged in time or late but shown as a concern.
    let terms = notification_terms("activity.kind");
    let f = on_russia(
        &terms,
        vec![notified_late("RU-EX", "exercise")],
        "2021-07-01T00:00:00Z",
    );
    let errors: Vec<&Finding> = f
        .iter()
        .filter(|x| x.message.id == "activity-condition-error")
        .collect();
    assert_eq!(errors.len(), 1, "{f:#?}");
    assert_eq!(errors[0].severity, Severity::Concern);
    assert!(cites(errors[0], "RU-EX"), "{f:#?}");
    assert!(
        !f.iter().any(|x| x.severity == Severity::Violation),
        "{f:#?}"
    );
}

// ---- risk reduction: a request is judged under the provision it names -------------------------

/// Two risk-reduction mechanisms with their own reply times: 48 hours about unusual
/// activities, 72 hours about hazardous incidents.
const TWO_MECHANISMS: &str = r#"
[[provision]]
id = "unusual"
cite = "Chapter III, paragraph 16"
title = "Explanation of unusual military activities"

[provision.risk_reduction]
subject = "unusual military activities"
reply_within_hours = 48

[[provision]]
id = "incidents"
cite = "Chapter III, paragraph 17"
title = "Explanation of hazardous incidents"

[provision.risk_reduction]
subject = "hazardous incidents of a military nature"
reply_within_hours = 72
"#;

#[test]
fn a_request_is_judged_under_the_risk_reduction_provision_it_names_only() {
    // Asked about an incident 60 hours ago: within the 72 hours of that mechanism, past the 48
    // of the other, which never judges it.
    let asked = record(
        "US-Q-1",
        "US",
        "2021-03-01T00:00:00Z",
        json!({"type": "explanation_request", "agreement": "test-terms", "provision": "incidents",
               "to": "RU", "area": {"zone": "black-sea", "description": "the Black Sea"},
               "text": "explain the incident"}),
    );
    let f = on_russia(
        &format!("{IN_FORCE}{TWO_MECHANISMS}"),
        vec![asked],
        "2021-03-03T12:00:00Z",
    );
    let on: Vec<&Finding> = f.iter().filter(|x| cites(x, "US-Q-1")).collect();
    assert_eq!(on.len(), 1, "{f:#?}");
    assert_eq!(on[0].provision.as_str(), "incidents");
    assert_eq!(on[0].severity, Severity::Compliant);
    assert_eq!(on[0].message.id, "request-open");
}

#[test]
fn a_suspended_duty_judged_year_by_year_says_so_once_for_the_year_judged() {
    // Notifications in 2020 and 2021 under a duty whose agreement stands suspended since the
    // start of 2020: judged in 2021, the duty is not binding, said once (for the year judged),
    // not once a year and not never, whether or not the year judged has activities of its own.
    let terms = notification_terms("activity.kind == 'exercise'").replace(
        "[[provision]]",
        "[[history]]\nstatus = \"suspended\"\ndate = 2020-01-01\n\n[[provision]]",
    );
    let notified_in = |id: &str, start: &str, end: &str| {
        let act = activity_in(
            id,
            "exercise",
            (start, end),
            "russia",
            &[("troops", 12_000)],
            &[],
        );
        record(
            id,
            "RU",
            "2020-01-02T00:00:00Z",
            json!({"type": "notification", "agreement": "test-terms", "activity": act}),
        )
    };
    let records = vec![
        notified_in("RU-2020", "2020-06-10", "2020-06-15"),
        notified_in("RU-2021", "2021-06-10", "2021-06-15"),
    ];
    for records in [records.clone(), records[1..].to_vec()] {
        let f = on_russia(&terms, records, "2021-07-01T00:00:00Z");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::NotApplicable, "{f:#?}");
        assert!(
            f[0].summary.contains("suspended since 1 January 2020"),
            "{f:#?}"
        );
    }
}
