//! Open deadlines: requests awaiting a reply and exchanges not yet made, due when the
//! agreement's provisions say.

mod common;

use accord_compliance::{Deadline, Engine, Obligation};
use accord_model::Record;
use common::{at, record};
use serde_json::json;

const VD: &str = "vienna-document-2011";
const UNUSUAL: &str = "ch-iii-unusual-activities";

fn request() -> Record {
    record(
        "UA-Q",
        "UA",
        "2022-02-11T09:30:00Z",
        json!({"type": "explanation_request", "agreement": VD, "provision": UNUSUAL, "to": "RU",
               "area": {"zone": "crimea", "description": "Crimea"}, "text": "the forces near"}),
    )
}

fn reply(issued_at: &str) -> Record {
    record(
        "RU-A",
        "RU",
        issued_at,
        json!({"type": "explanation_reply", "request": "UA-Q", "text": "exercises"}),
    )
}

fn deadlines(records: Vec<Record>, when: &str) -> Vec<Deadline> {
    let state = accord_state::State::from_records(records).unwrap();
    Engine::new(accord_agreements::builtin().unwrap()).open_deadlines(&state, at(when))
}

fn replies_owed(d: &[Deadline]) -> Vec<&Deadline> {
    d.iter()
        .filter(|d| matches!(d.owed, Obligation::Reply { .. }))
        .collect()
}

#[test]
fn a_request_awaits_its_reply_for_the_hours_the_provision_allows() {
    let d = deadlines(vec![request()], "2022-02-12T09:30:00Z");
    let owed = replies_owed(&d);
    assert_eq!(owed.len(), 1, "{d:?}");
    let o = owed[0];
    assert_eq!(o.agreement.as_str(), VD);
    assert_eq!(o.provision.as_str(), UNUSUAL);
    assert_eq!(o.party.as_str(), "RU");
    // Chapter III gives 48 hours from the request.
    assert_eq!(o.due, at("2022-02-13T09:30:00Z"));
    assert_eq!(
        o.owed,
        Obligation::Reply {
            request: "UA-Q".parse().unwrap(),
            requester: "UA".parse().unwrap(),
        }
    );
}

#[test]
fn a_request_is_not_open_before_it_is_made_once_answered_or_once_overdue() {
    assert!(replies_owed(&deadlines(vec![request()], "2022-02-11T09:00:00Z")).is_empty());
    // At the very instant it falls due it is still open; a second later the findings judge it.
    assert_eq!(
        replies_owed(&deadlines(vec![request()], "2022-02-13T09:30:00Z")).len(),
        1
    );
    assert!(replies_owed(&deadlines(vec![request()], "2022-02-13T09:30:01Z")).is_empty());
    let answered = vec![request(), reply("2022-02-12T10:00:00Z")];
    assert!(replies_owed(&deadlines(answered.clone(), "2022-02-12T12:00:00Z")).is_empty());
    // Before the reply was issued the request was open.
    assert_eq!(
        replies_owed(&deadlines(answered, "2022-02-12T09:00:00Z")).len(),
        1
    );
}

fn declaration(id: &str, party: &str, issued_at: &str, as_of: &str) -> Record {
    record(
        id,
        party,
        issued_at,
        json!({"type": "declaration", "agreement": VD, "as_of": as_of,
               "holdings": [{"category": "troops", "status": "deployed", "count": 1000}]}),
    )
}

fn exchanges_owed(d: &[Deadline], party: &str) -> Vec<(String, String)> {
    d.iter()
        .filter(|d| d.party.as_str() == party)
        .filter_map(|d| match &d.owed {
            Obligation::Exchange { as_of } => Some((as_of.to_string(), d.due.to_string())),
            _ => None,
        })
        .collect()
}

#[test]
fn an_exchange_is_open_until_made_and_due_on_the_day_the_agreement_sets() {
    let first = declaration("PL-2021", "PL", "2020-12-10T00:00:00Z", "2021-01-01");
    // Chapter I: data as of 1 January, exchanged by 15 December of the year before.
    let d = deadlines(vec![first.clone()], "2021-12-01T00:00:00Z");
    assert_eq!(
        exchanges_owed(&d, "PL"),
        vec![(
            "2022-01-01".to_owned(),
            "2021-12-15T23:59:59.999999999Z".to_owned()
        )],
        "{d:?}"
    );
    let made = declaration("PL-2022", "PL", "2021-12-10T00:00:00Z", "2022-01-01");
    let d = deadlines(vec![first.clone(), made], "2021-12-11T00:00:00Z");
    assert_eq!(exchanges_owed(&d, "PL"), Vec::new(), "{d:?}");
    // Past its day it is the findings' to judge, no longer an open deadline.
    let d = deadlines(vec![first], "2021-12-16T00:00:00Z");
    assert_eq!(exchanges_owed(&d, "PL"), Vec::new(), "{d:?}");
}
