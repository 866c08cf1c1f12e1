//! Vienna Document chapters V, VI and IX as the text sets them, each at its boundaries: the host
//! State's duty to notify (paragraph 38.1) and activities under a single operational command
//! (paragraph 40.1); invitations of observers (paragraphs 47.4, 47.5 and 58) judged as their own
//! duty; inspections and evaluation visits counted as paragraphs 75-76 and 109 count them, with
//! the time an inspection takes from the agreement file (no grace of the engine's own).

mod common;

use accord_model::{Arg, Basis, Finding, Record, Severity};
use common::{
    about, activity_in as activity, cites, evaluate, record, troops_observed as observed,
};
use serde_json::{Value, json};

const VD: &str = "vienna-document-2011";

fn notification(id: &str, by: &str, issued_at: &str, activity: Value) -> Record {
    record(
        id,
        by,
        issued_at,
        json!({"type": "notification", "agreement": VD, "activity": activity}),
    )
}

fn statement(id: &str, by: &str, issued_at: &str, kind: &str, activity: Value) -> Record {
    record(
        id,
        by,
        issued_at,
        json!({"type": "statement", "kind": kind, "agreement": VD, "activity": activity,
               "text": "a statement"}),
    )
}

fn vd(records: Vec<Record>, when: &str, provision: &str, party: &str) -> Vec<Finding> {
    about(&evaluate(records, when, &[]), VD, provision, party)
}

fn severities(f: &[Finding]) -> Vec<Severity> {
    f.iter().map(|x| x.severity).collect()
}

fn ids(f: &[Finding]) -> Vec<&str> {
    f.iter().map(|x| x.message.id.as_str()).collect()
}

// ---- chapter VI: invitations of observers ----------------------------------------------------

const JUNE: (&str, &str) = ("2021-06-10", "2021-06-15");

fn exercise(forces: &[(&str, u64)]) -> Record {
    let act = activity("Exercise A", "exercise", JUNE, "belarus", forces, &[]);
    notification("BY-N", "BY", "2021-04-01T00:00:00Z", act)
}

fn invitation(issued_at: &str) -> Record {
    let act = activity("Exercise A", "exercise", JUNE, "belarus", &[], &[]);
    statement("BY-INV", "BY", issued_at, "observer_invitation", act)
}

#[test]
fn observers_are_invited_to_an_activity_of_13000_troops_not_of_12999() {
    // Paragraph 47.4: 13,000 troops. Without an invitation the duty is broken once the activity
    // starts (the invitation comes with the notification, at the latest before the start).
    let records = vec![exercise(&[("troops", 13_000)])];
    assert!(
        vd(
            records.clone(),
            "2021-06-10T00:00:00Z",
            "ch-vi-observation",
            "BY"
        )
        .is_empty()
    );
    let f = vd(records, "2021-06-10T00:01:00Z", "ch-vi-observation", "BY");
    assert_eq!(severities(&f), [Severity::Violation], "{f:#?}");
    assert_eq!(f[0].message.id, "observers-not-invited");
    assert_eq!(f[0].basis, Basis::Declared);
    assert!(cites(&f[0], "BY-N"));
    // It is chapter VI's own duty: chapter V finds the notification in time.
    let records = vec![exercise(&[("troops", 13_000)])];
    let v = vd(records, "2021-07-01T00:00:00Z", "ch-v-notification", "BY");
    assert_eq!(severities(&v), [Severity::Compliant], "{v:#?}");
    // One below the threshold: notifiable under chapter V, no observers owed.
    let records = vec![exercise(&[("troops", 12_999)])];
    assert!(vd(records, "2021-07-01T00:00:00Z", "ch-vi-observation", "BY").is_empty());
    // Invited with the notification: compliant, citing both records.
    let records = vec![
        exercise(&[("troops", 13_000)]),
        invitation("2021-04-01T00:00:00Z"),
    ];
    let f = vd(records, "2021-07-01T00:00:00Z", "ch-vi-observation", "BY");
    assert_eq!(ids(&f), ["observers-invited"], "{f:#?}");
    assert!(cites(&f[0], "BY-N") && cites(&f[0], "BY-INV"));
    // Invited only after the activity started: no invitation in time.
    let records = vec![
        exercise(&[("troops", 13_000)]),
        invitation("2021-06-10T00:01:00Z"),
    ];
    let f = vd(records, "2021-07-01T00:00:00Z", "ch-vi-observation", "BY");
    assert_eq!(severities(&f), [Severity::Violation], "{f:#?}");
}

#[test]
fn observers_for_300_tanks_and_3500_landing_troops_not_one_below() {
    // Paragraphs 47.4 (300 battle tanks) and 47.5 (3,500 troops in a landing or assault).
    for (category, at, below) in [("battle_tanks", 300, 299), ("landing_troops", 3_500, 3_499)] {
        let f = vd(
            vec![exercise(&[(category, at)])],
            "2021-07-01T00:00:00Z",
            "ch-vi-observation",
            "BY",
        );
        assert_eq!(severities(&f), [Severity::Violation], "{category}: {f:#?}");
        let f = vd(
            vec![exercise(&[(category, below)])],
            "2021-07-01T00:00:00Z",
            "ch-vi-observation",
            "BY",
        );
        assert!(f.is_empty(), "{category}: {f:#?}");
    }
}

#[test]
fn an_alert_activity_is_observed_only_beyond_72_hours_and_invited_within_them() {
    // Paragraph 58: an alert activity of three days (72 hours) owes no observers; one of four
    // days does, with the invitation due when its first 72 hours have passed.
    let alert = |end: &str| {
        let act = activity(
            "Alert",
            "alert_activity",
            ("2021-06-10", end),
            "belarus",
            &[("troops", 20_000)],
            &[],
        );
        notification("BY-N", "BY", "2021-06-10T08:00:00Z", act)
    };
    let f = vd(
        vec![alert("2021-06-12")],
        "2021-07-01T00:00:00Z",
        "ch-vi-observation",
        "BY",
    );
    assert!(f.is_empty(), "{f:#?}");
    let records = vec![alert("2021-06-13")];
    assert!(
        vd(
            records.clone(),
            "2021-06-13T00:00:00Z",
            "ch-vi-observation",
            "BY"
        )
        .is_empty()
    );
    let f = vd(records, "2021-06-13T00:01:00Z", "ch-vi-observation", "BY");
    assert_eq!(severities(&f), [Severity::Violation], "{f:#?}");
    let invited = statement(
        "BY-INV",
        "BY",
        "2021-06-13T00:00:00Z",
        "observer_invitation",
        activity(
            "Alert",
            "alert_activity",
            ("2021-06-10", "2021-06-13"),
            "belarus",
            &[],
            &[],
        ),
    );
    let f = vd(
        vec![alert("2021-06-13"), invited],
        "2021-07-01T00:00:00Z",
        "ch-vi-observation",
        "BY",
    );
    assert_eq!(severities(&f), [Severity::Compliant], "{f:#?}");
}

// ---- chapter V: one operational command; the host State notifies ---------------------------

#[test]
fn forces_under_one_command_count_together_and_the_hosts_notification_covers_its_guests() {
    // Paragraph 40.1: the forces of the participating States in one activity under a single
    // operational command count together: 9,000 troops of Belarus and Russia together are
    // notifiable, 8,999 are not.
    let joint = |troops: u64| {
        let act = activity(
            "Joint exercise",
            "exercise",
            JUNE,
            "belarus",
            &[("troops", troops)],
            &["RU"],
        );
        notification("BY-N", "BY", "2021-04-01T00:00:00Z", act)
    };
    let f = vd(
        vec![joint(9_000)],
        "2021-07-01T00:00:00Z",
        "ch-v-notification",
        "BY",
    );
    assert_eq!(ids(&f), ["notified-in-time"], "{f:#?}");
    let f = vd(
        vec![joint(8_999)],
        "2021-07-01T00:00:00Z",
        "ch-v-notification",
        "BY",
    );
    assert!(f.is_empty(), "{f:#?}");
    // Russian forces seen in the exercise are covered by the host's notification naming Russia.
    let f = vd(
        vec![
            joint(20_000),
            observed("O-RU", "RU", "belarus", "2021-06-12", 20_000),
        ],
        "2021-07-01T00:00:00Z",
        "ch-v-notification",
        "RU",
    );
    assert!(f.iter().all(|x| x.severity < Severity::Concern), "{f:#?}");
    // Forces of two States seen apart are not added up: separate commands cannot be excluded.
    let records = vec![
        observed("O-RU", "RU", "belarus", "2021-06-12", 5_000),
        observed("O-BY", "BY", "belarus", "2021-06-12", 5_000),
    ];
    let all = evaluate(records, "2021-07-01T00:00:00Z", &[]);
    for party in ["RU", "BY"] {
        let f = about(&all, VD, "ch-v-notification", party);
        assert!(f.iter().all(|x| x.severity < Severity::Concern), "{f:#?}");
    }
}

/// Russia notifies an exercise in Belarus, with Belarus taking part or not.
fn russian_exercise_in_belarus(participants: &[&str]) -> Record {
    let act = activity(
        "Exercise in Belarus",
        "exercise",
        JUNE,
        "belarus",
        &[("troops", 10_000)],
        participants,
    );
    notification("RU-N", "RU", "2021-04-01T00:00:00Z", act)
}

#[test]
fn the_host_state_notifies_an_activity_on_its_territory_42_days_ahead() {
    // Paragraph 38.1: the State on whose territory the activity takes place notifies it, even
    // when its own forces take no part. Due 42 days before 10 June: by the end of 29 April.
    let records = vec![russian_exercise_in_belarus(&["BY"])];
    assert!(
        vd(
            records.clone(),
            "2021-04-29T23:59:00Z",
            "ch-v-notification",
            "BY"
        )
        .is_empty()
    );
    let f = vd(records, "2021-04-30T00:01:00Z", "ch-v-notification", "BY");
    assert_eq!(ids(&f), ["host-not-notified"], "{f:#?}");
    assert_eq!(f[0].severity, Severity::Violation);
    assert_eq!(f[0].basis, Basis::ReportedByParty);
    assert!(cites(&f[0], "RU-N"));
    // Its own notification discharges it (and is judged as its own, in time).
    let own = activity(
        "Exercise in Belarus",
        "exercise",
        JUNE,
        "belarus",
        &[("troops", 10_000)],
        &["RU"],
    );
    let records = vec![
        russian_exercise_in_belarus(&["BY"]),
        notification("BY-N", "BY", "2021-04-20T00:00:00Z", own),
    ];
    let f = vd(records, "2021-07-01T00:00:00Z", "ch-v-notification", "BY");
    assert_eq!(ids(&f), ["notified-in-time"], "{f:#?}");
    // Where nothing shows the host takes part (no participation, no consent on record), its
    // duty is not established: foreign forces on a territory can be there against its will.
    let f = vd(
        vec![russian_exercise_in_belarus(&[])],
        "2021-07-01T00:00:00Z",
        "ch-v-notification",
        "BY",
    );
    assert!(f.is_empty(), "{f:#?}");
    // The host's consent on record to the other State's forces shows it takes part, though the
    // notification names no participants: the duty is the host's again.
    let consent = record(
        "BY-CONSENT",
        "BY",
        "2021-03-01T00:00:00Z",
        json!({"type": "statement", "kind": "host_consent", "about": "RU",
               "text": "consent to the exercise"}),
    );
    let f = vd(
        vec![consent, russian_exercise_in_belarus(&[])],
        "2021-07-01T00:00:00Z",
        "ch-v-notification",
        "BY",
    );
    assert_eq!(ids(&f), ["host-not-notified"], "{f:#?}");
    assert!(cites(&f[0], "RU-N"));
}

#[test]
fn an_invitation_to_another_activity_before_it_invites_no_observers() {
    // An invitation names its activity or the days and area it covers: one to a May exercise
    // of another name (over before June's begins) is no invitation to June's; one to the same
    // days and area under another name is.
    let other = |name: &str, (start, end): (&str, &str)| {
        let act = activity(name, "exercise", (start, end), "belarus", &[], &[]);
        statement(
            "BY-INV",
            "BY",
            "2021-04-01T00:00:00Z",
            "observer_invitation",
            act,
        )
    };
    let judged = |invitation: Record| {
        let records = vec![exercise(&[("troops", 13_000)]), invitation];
        ids(&vd(
            records,
            "2021-07-01T00:00:00Z",
            "ch-vi-observation",
            "BY",
        ))
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        judged(other("May drill", ("2021-05-01", "2021-05-05"))),
        ["observers-not-invited"]
    );
    assert_eq!(judged(other("June drill", JUNE)), ["observers-invited"]);
    // Named, it is the activity's invitation whatever days it gives.
    assert_eq!(
        judged(other("Exercise A", ("2021-05-01", "2021-05-05"))),
        ["observers-invited"]
    );
}

#[test]
fn the_host_of_an_alert_activity_notifies_it_when_it_starts() {
    // Paragraph 41 lets an alert activity be notified at its start; the host State's duty under
    // paragraph 38.1 follows it: nothing is owed during the first day, a finding after it.
    let alert = || {
        let act = activity(
            "Snap",
            "alert_activity",
            JUNE,
            "belarus",
            &[("troops", 10_000)],
            &["BY"],
        );
        notification("RU-A", "RU", "2021-06-10T00:00:00Z", act)
    };
    let f = vd(
        vec![alert()],
        "2021-06-10T23:59:00Z",
        "ch-v-notification",
        "BY",
    );
    assert!(f.is_empty(), "{f:#?}");
    let f = vd(
        vec![alert()],
        "2021-06-11T00:01:00Z",
        "ch-v-notification",
        "BY",
    );
    assert_eq!(ids(&f), ["host-not-notified"], "{f:#?}");
    assert_eq!(
        f[0].message.args.get("cite"),
        Some(&Arg::Text("Chapter V, paragraphs 38-41".into()))
    );
}

#[test]
fn the_host_notifies_an_activity_that_starts_on_new_years_day() {
    // An activity starting on 1 January is of that year's activities like any other.
    let act = activity(
        "New Year",
        "exercise",
        ("2021-01-01", "2021-01-05"),
        "belarus",
        &[("troops", 10_000)],
        &["BY"],
    );
    let records = vec![notification("RU-NY", "RU", "2020-11-01T00:00:00Z", act)];
    let f = vd(records, "2021-02-01T00:00:00Z", "ch-v-notification", "BY");
    assert_eq!(ids(&f), ["host-not-notified"], "{f:#?}");
    assert!(cites(&f[0], "RU-NY"));
    // Below the threshold (5,000 troops), the host owes nothing, whatever its State notified.
    let small = activity(
        "New Year",
        "exercise",
        ("2021-01-01", "2021-01-05"),
        "belarus",
        &[("troops", 5_000)],
        &["BY"],
    );
    let records = vec![notification("RU-NY", "RU", "2020-11-01T00:00:00Z", small)];
    let f = vd(records, "2021-02-01T00:00:00Z", "ch-v-notification", "BY");
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn the_host_owes_notice_only_of_the_kinds_of_activity_the_duty_names() {
    // An agreement asking notice of exercises only: Russia's exercise in Belarus, with Belarus
    // taking part, owes Belarus's notice as host; a transfer of the same forces owes nothing.
    let agreement = common::agreement_of(
        "exercises-only",
        &["BY", "RU"],
        "[[provision]]\nid = \"notify-exercises\"\ncite = \"t\"\ntitle = \"Notice of exercises\"\n\n\
                [provision.notification]\nlead_time_days = 42\nactivity_kinds = [\"exercise\"]\n\
                thresholds = [{ category = \"troops\", at_least = 9000 }]\n",
    );
    let host = |kind: &str| {
        let act = activity(
            "Moved in",
            kind,
            JUNE,
            "belarus",
            &[("troops", 10_000)],
            &["BY"],
        );
        let notice = record(
            "RU-N",
            "RU",
            "2021-04-01T00:00:00Z",
            json!({"type": "notification", "agreement": "exercises-only", "activity": act}),
        );
        common::judged_under(&agreement, vec![notice], "2021-07-01T00:00:00Z", "BY")
            .into_iter()
            .map(|x| x.message.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(host("exercise"), ["host-not-notified"]);
    assert!(host("transfer").is_empty(), "{:?}", host("transfer"));
}

#[test]
fn an_activity_notified_under_another_agreement_owes_nothing_under_the_vienna_document() {
    // An exercise notified under another agreement (here the NATO paper's proposed regime) is
    // that agreement's business: the host State owes no notification of it under paragraph 38.1,
    // and its State no invitation of observers under paragraph 47.4.
    let under_other = |id: &str, by: &str, participants: &[&str]| {
        record(
            id,
            by,
            "2021-04-01T00:00:00Z",
            json!({"type": "notification", "agreement": "nato-proposal-2022",
                   "activity": activity("Exercise in Belarus", "exercise", JUNE, "belarus",
                                        &[("troops", 13_000)], participants)}),
        )
    };
    let f = vd(
        vec![under_other("RU-N", "RU", &["BY"])],
        "2021-07-01T00:00:00Z",
        "ch-v-notification",
        "BY",
    );
    assert!(f.is_empty(), "{f:#?}");
    let f = vd(
        vec![under_other("BY-N", "BY", &[])],
        "2021-07-01T00:00:00Z",
        "ch-vi-observation",
        "BY",
    );
    assert!(f.is_empty(), "{f:#?}");
    // Notified under the Vienna Document, the same activities owe both.
    let f = vd(
        vec![russian_exercise_in_belarus(&["BY"])],
        "2021-07-01T00:00:00Z",
        "ch-v-notification",
        "BY",
    );
    assert_eq!(ids(&f), ["host-not-notified"], "{f:#?}");
    let f = vd(
        vec![exercise(&[("troops", 13_000)])],
        "2021-07-01T00:00:00Z",
        "ch-vi-observation",
        "BY",
    );
    assert_eq!(ids(&f), ["observers-not-invited"], "{f:#?}");
}

#[test]
fn foreign_forces_seen_on_a_hosts_territory_are_the_hosts_to_notify_where_it_takes_part() {
    let seen = observed("O-RU", "RU", "belarus", "2021-06-12", 20_000);
    let announced = statement(
        "RU-INFO",
        "RU",
        "2021-06-01T00:00:00Z",
        "voluntary_information",
        activity("Readiness check", "exercise", JUNE, "belarus", &[], &["BY"]),
    );
    let all = evaluate(vec![seen.clone(), announced], "2021-07-01T00:00:00Z", &[]);
    let by = about(&all, VD, "ch-v-notification", "BY");
    assert_eq!(ids(&by), ["host-unnotified-observed"], "{by:#?}");
    assert_eq!(by[0].severity, Severity::Violation);
    assert_eq!(by[0].basis, Basis::OpenSources);
    assert!(cites(&by[0], "O-RU") && cites(&by[0], "RU-INFO"));
    // Russia's own duty is judged beside it, once.
    let ru = about(&all, VD, "ch-v-notification", "RU");
    assert_eq!(ids(&ru), ["unnotified-observed"], "{ru:#?}");
    // Without a record that Belarus takes part, only Russia is judged.
    let all = evaluate(vec![seen], "2021-07-01T00:00:00Z", &[]);
    assert!(about(&all, VD, "ch-v-notification", "BY").is_empty());
    // Crimea lies in Ukraine; Russian forces there do not make Ukraine the notifying State.
    let all = evaluate(
        vec![observed("O-C", "RU", "crimea", "2021-06-12", 20_000)],
        "2021-07-01T00:00:00Z",
        &[],
    );
    assert!(about(&all, VD, "ch-v-notification", "UA").is_empty());
}

// ---- chapter IX: inspections ----------------------------------------------------------------

fn request(id: &str, by: &str, provision: &str, site: &str, date: &str) -> Record {
    record(
        id,
        by,
        &format!("{date}T00:00:00Z"),
        json!({"type": "inspection_request", "agreement": VD, "provision": provision,
               "inspected": "BY", "site": site, "date": date}),
    )
}

#[test]
fn an_inspection_is_reported_within_the_48_hours_the_file_gives_it() {
    // Paragraphs 80-86 (as the agreement file encodes them): an inspection requested for
    // 10 March lasts up to 48 hours, so its report is due by the end of 12 March.
    let records = vec![request(
        "LT-I",
        "LT",
        "ch-ix-inspections",
        "area-1",
        "2021-03-10",
    )];
    let f = vd(
        records.clone(),
        "2021-03-12T23:59:00Z",
        "ch-ix-inspections",
        "BY",
    );
    assert_eq!(severities(&f), [Severity::Compliant], "{f:#?}");
    let f = vd(records, "2021-03-13T00:01:00Z", "ch-ix-inspections", "BY");
    let late: Vec<_> = f
        .iter()
        .filter(|x| x.severity == Severity::Violation)
        .collect();
    assert_eq!(late.len(), 1, "{f:#?}");
    assert_eq!(late[0].notes[0].id, "note-report-due");
    assert!(cites(late[0], "LT-I"));
}

#[test]
fn a_request_the_state_need_not_accept_does_not_use_up_its_quota() {
    // Paragraph 76: one a year from the same State. Lithuania's second request is beyond it;
    // Latvia's and Estonia's are the second and third of the three (paragraph 75).
    let reports = |ids: &[(&str, &str, &str)]| {
        let mut v = Vec::new();
        for (id, by, date) in ids {
            v.push(request(id, by, "ch-ix-inspections", "area-1", date));
            v.push(record(
                &format!("{id}-R"),
                by,
                &format!("{date}T18:00:00Z"),
                json!({"type": "inspection_report", "request": id, "site": "area-1",
                       "date": date, "counts": []}),
            ));
        }
        v
    };
    let records = reports(&[
        ("LT-1", "LT", "2021-03-10"),
        ("LT-2", "LT", "2021-04-10"),
        ("LV-1", "LV", "2021-05-10"),
        ("EE-1", "EE", "2021-06-10"),
    ]);
    let f = vd(records, "2021-12-31T00:00:00Z", "ch-ix-inspections", "BY");
    assert_eq!(ids(&f), ["quota-beyond-per-party", "quota-used"], "{f:#?}");
    assert!(cites(&f[0], "LT-2"));
    assert_eq!((f[1].figures[0].value, f[1].figures[0].limit), (3, Some(3)));
}

// ---- chapter IX: evaluation visits ------------------------------------------------------------

fn units(count: u64) -> Record {
    record(
        "BY-AEMI",
        "BY",
        "2020-12-15T00:00:00Z",
        json!({"type": "declaration", "agreement": VD, "as_of": "2021-01-01",
               "holdings": [{"category": "units", "status": "deployed", "count": count}]}),
    )
}

fn visits(count: u64, requests: &[(&str, &str, &str, &str)]) -> Vec<Finding> {
    let mut records = vec![units(count)];
    for (id, by, unit, date) in requests {
        records.push(request(id, by, "ch-ix-evaluation-visits", unit, date));
    }
    vd(
        records,
        "2021-12-31T00:00:00Z",
        "ch-ix-evaluation-visits",
        "BY",
    )
}

/// The findings about requests beyond a limit: (message id, request cited).
fn beyond<'a>(f: &'a [Finding], requests: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    f.iter()
        .filter(|x| x.severity == Severity::Concern)
        .map(|x| {
            let id = requests
                .iter()
                .find(|r| cites(x, r))
                .copied()
                .unwrap_or("?");
            (x.message.id.as_str(), id)
        })
        .collect()
}

#[test]
fn evaluation_visits_one_per_60_units_and_a_fifth_from_one_state() {
    // Paragraph 109: 61 units give a quota of two; the third request is beyond it.
    let f = visits(
        61,
        &[
            ("LT-1", "LT", "u1", "2021-03-01"),
            ("LV-1", "LV", "u2", "2021-04-01"),
            ("EE-1", "EE", "u3", "2021-05-01"),
        ],
    );
    assert_eq!(beyond(&f, &["EE-1"]), [("quota-beyond", "EE-1")], "{f:#?}");
    let used = f.iter().find(|x| x.message.id == "quota-used").unwrap();
    assert_eq!((used.figures[0].value, used.figures[0].limit), (2, Some(2)));
    // 720 units: a quota of 12, of which a fifth (2, rounded down) from one State.
    let three = [
        ("LT-1", "LT", "u1", "2021-03-01"),
        ("LT-2", "LT", "u2", "2021-04-01"),
        ("LT-3", "LT", "u3", "2021-05-01"),
    ];
    assert_eq!(
        beyond(&visits(720, &three), &["LT-3"]),
        [("quota-beyond-share", "LT-3")]
    );
    // 240 units: a quota of four, below five: one visit a year from the same State.
    assert_eq!(
        beyond(&visits(240, &three[..2]), &["LT-2"]),
        [("quota-beyond-share", "LT-2")]
    );
    // Accepted visits with no report stay open: no time for them is encoded.
    let f = visits(720, &three[..1]);
    assert_eq!(ids(&f), ["quota-used", "quota-open"], "{f:#?}");
    assert_eq!(f[1].severity, Severity::NotApplicable);
}

#[test]
fn a_unit_twice_a_year_once_by_the_same_state_and_one_visit_at_a_time() {
    let f = visits(
        720,
        &[
            ("LT-1", "LT", "u1", "2021-03-01"),
            ("LV-1", "LV", "u1", "2021-04-01"),
            ("EE-1", "EE", "u1", "2021-05-01"),
        ],
    );
    assert_eq!(
        beyond(&f, &["EE-1"]),
        [("quota-beyond-site", "EE-1")],
        "{f:#?}"
    );
    let f = visits(
        720,
        &[
            ("LT-1", "LT", "u1", "2021-03-01"),
            ("LT-2", "LT", "u1", "2021-06-01"),
        ],
    );
    assert_eq!(
        beyond(&f, &["LT-2"]),
        [("quota-beyond-site-party", "LT-2")],
        "{f:#?}"
    );
    let f = visits(
        720,
        &[
            ("LT-1", "LT", "u1", "2021-03-01"),
            ("LV-1", "LV", "u2", "2021-03-01"),
            ("EE-1", "EE", "u3", "2021-03-02"),
        ],
    );
    assert_eq!(
        beyond(&f, &["LV-1"]),
        [("quota-beyond-at-a-time", "LV-1")],
        "{f:#?}"
    );
}

// ---- New START: no inspection time of the engine's own ------------------------------------------

#[test]
fn a_new_start_inspection_without_a_report_stays_open_without_a_time_limit() {
    let req = record(
        "US-I",
        "US",
        "2019-03-10T00:00:00Z",
        json!({"type": "inspection_request", "agreement": "new-start",
               "provision": "inspections-type-one", "inspected": "RU", "site": "base-1",
               "date": "2019-03-10"}),
    );
    let f = about(
        &evaluate(vec![req], "2019-12-31T00:00:00Z", &[]),
        "new-start",
        "inspections-type-one",
        "RU",
    );
    assert_eq!(ids(&f), ["quota-used", "quota-open"], "{f:#?}");
    assert!(f.iter().all(|x| x.severity < Severity::Concern));
    assert_eq!(f[1].notes[0].id, "note-no-report-time");
}

// ---- incremental evaluation ----------------------------------------------------------------------

#[test]
fn updating_after_each_of_these_records_matches_a_full_evaluation() {
    // Records whose findings land on another party's scope (the host), or that change a finding
    // made before them (an invitation, a statement linking a host, a declaration of units).
    let records = vec![
        statement(
            "RU-INFO",
            "RU",
            "2021-07-01T00:00:00Z",
            "voluntary_information",
            activity(
                "Readiness check",
                "exercise",
                ("2021-07-15", "2021-07-25"),
                "belarus",
                &[],
                &["BY"],
            ),
        ),
        observed("O-RU", "RU", "belarus", "2021-07-20", 20_000),
        russian_exercise_in_belarus(&["BY"]),
        invitation("2021-04-01T00:00:00Z"),
        exercise(&[("troops", 13_000)]),
        request("LT-1", "LT", "ch-ix-evaluation-visits", "u1", "2021-03-01"),
        request("LV-1", "LV", "ch-ix-evaluation-visits", "u2", "2021-04-01"),
        units(61),
        request("LT-I", "LT", "ch-ix-inspections", "area-1", "2021-03-10"),
    ];
    let now = common::at("2021-12-31T00:00:00Z");
    let engine = accord_compliance::Engine::new(accord_agreements::builtin().unwrap());
    let mut state = accord_state::State::new();
    let mut eval = engine.evaluate(&state, now);
    for r in records {
        state.append(r).unwrap();
        engine.update(&mut eval, &state);
        assert_eq!(eval.findings(), engine.evaluate(&state, now).findings());
    }
    let ids: Vec<String> = eval
        .findings()
        .into_iter()
        .map(|f| f.message.id.to_string())
        .collect();
    for id in [
        "host-unnotified-observed",
        "observers-invited",
        "quota-open",
    ] {
        assert!(ids.iter().any(|x| x == id), "{id} in {ids:?}");
    }
}

#[test]
fn reports_60_days_apart_are_one_run_and_61_days_apart_two() {
    // Observations of one zone no more than 60 days apart are one build-up, one finding; a
    // report 61 days after the last starts another.
    let runs = |second: &str| {
        let records = vec![
            observed("O-1", "RU", "belarus", "2021-03-01", 20_000),
            observed("O-2", "RU", "belarus", second, 20_000),
        ];
        vd(records, "2021-12-31T00:00:00Z", "ch-v-notification", "RU")
    };
    let f = runs("2021-04-30");
    assert_eq!(ids(&f), ["unnotified-observed"], "{f:#?}");
    assert!(cites(&f[0], "O-1") && cites(&f[0], "O-2"));
    let f = runs("2021-05-01");
    assert_eq!(
        ids(&f),
        ["unnotified-observed", "unnotified-observed"],
        "{f:#?}"
    );
}

#[test]
fn a_run_of_reports_across_new_year_is_judged_once_in_the_year_it_starts() {
    // Russian forces seen in Belarus on 20 December and again on 10 January, with Belarus
    // named as taking part: one build-up, judged once, in the year it began, for each State.
    let records = vec![
        observed("O-DEC", "RU", "belarus", "2020-12-20", 20_000),
        observed("O-JAN", "RU", "belarus", "2021-01-10", 20_000),
        statement(
            "RU-INFO",
            "RU",
            "2020-12-01T00:00:00Z",
            "voluntary_information",
            activity(
                "Winter check",
                "exercise",
                ("2020-12-15", "2021-01-20"),
                "belarus",
                &[],
                &["BY"],
            ),
        ),
    ];
    let all = evaluate(records, "2021-02-01T00:00:00Z", &[]);
    for (party, id) in [
        ("BY", "host-unnotified-observed"),
        ("RU", "unnotified-observed"),
    ] {
        let f = about(&all, VD, "ch-v-notification", party);
        assert_eq!(ids(&f), [id], "{party}: {f:#?}");
        assert!(cites(&f[0], "O-DEC") && cites(&f[0], "O-JAN"), "{f:#?}");
        // The finding says how many reports the run holds and when it began and ended.
        let run = f[0]
            .notes
            .iter()
            .find(|n| n.id == "note-observations")
            .unwrap_or_else(|| panic!("{party}: no note on the run: {f:#?}"));
        assert_eq!(run.args.get("count"), Some(&Arg::Number(2)));
        assert_eq!(
            run.args.get("first_date"),
            Some(&Arg::Date(date("2020-12-20")))
        );
        assert_eq!(
            run.args.get("last_date"),
            Some(&Arg::Date(date("2021-01-10")))
        );
    }
    // A single report makes no run to describe.
    let all = evaluate(
        vec![observed("O-JUN", "RU", "belarus", "2021-06-12", 20_000)],
        "2021-07-01T00:00:00Z",
        &[],
    );
    let f = about(&all, VD, "ch-v-notification", "RU");
    assert_eq!(ids(&f), ["unnotified-observed"], "{f:#?}");
    assert!(
        f[0].notes.iter().all(|n| n.id != "note-observations"),
        "{f:#?}"
    );
}

fn date(s: &str) -> accord_model::Date {
    s.parse().unwrap()
}

#[test]
fn a_run_of_reports_over_three_years_is_judged_once_in_the_year_it_starts() {
    // Reports 50 days apart from December 2019 to March 2021 are one build-up, judged in 2019
    // (from the reports of 2019 and 2020 its year's scope reads); a report in August 2021, more
    // than 60 days after the last, starts another, judged in 2021.
    let mut day = date("2019-12-01");
    let mut records = Vec::new();
    while day <= date("2021-03-31") {
        records.push(observed(
            &format!("O-{day}"),
            "RU",
            "belarus",
            &day.to_string(),
            20_000,
        ));
        day = day.checked_add(jiff::Span::new().days(50)).unwrap();
    }
    records.push(observed("O-AUG", "RU", "belarus", "2021-08-20", 20_000));
    let f = vd(records, "2021-12-31T00:00:00Z", "ch-v-notification", "RU");
    assert_eq!(
        ids(&f),
        ["unnotified-observed", "unnotified-observed"],
        "{f:#?}"
    );
    let first_dates: Vec<Option<&Arg>> = f
        .iter()
        .map(|f| {
            f.notes
                .iter()
                .find(|n| n.id == "note-observations")
                .and_then(|n| n.args.get("first_date"))
        })
        .collect();
    assert!(
        first_dates.contains(&Some(&Arg::Date(date("2019-12-01")))),
        "{f:#?}"
    );
    let long = f
        .iter()
        .find(|f| cites(f, "O-2019-12-01"))
        .unwrap_or_else(|| panic!("no finding on the long run: {f:#?}"));
    // The scope of 2019 reads reports up to the end of 2020: the run it judges ends there.
    assert!(
        cites(long, "O-2020-11-15") && !cites(long, "O-2021-01-04"),
        "{long:#?}"
    );
    let august = f
        .iter()
        .find(|f| cites(f, "O-AUG"))
        .unwrap_or_else(|| panic!("no finding on the August report: {f:#?}"));
    assert!(!cites(august, "O-2021-02-23"), "{august:#?}");
}
