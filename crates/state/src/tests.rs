use accord_model::{
    Acknowledgement, Activity, ActivityKind, Area, Confidence, ExplanationReply, ForceCount,
    Holding, Notification, Qualifier, Source, ZoneId,
};

use super::*;

fn id(s: &str) -> RecordId {
    RecordId::new(s).unwrap()
}
fn party(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}
fn at(s: &str) -> Instant {
    s.parse().unwrap()
}
fn day(s: &str) -> Date {
    s.parse().unwrap()
}
fn ns() -> AgreementId {
    AgreementId::new("new-start").unwrap()
}

fn declaration(rid: &str, p: &str, issued: &str, as_of: &str, warheads: &[u64]) -> Record {
    Record {
        id: id(rid),
        party: party(p),
        issued_at: at(issued),
        body: RecordBody::Declaration(Declaration {
            agreement: ns(),
            as_of: day(as_of),
            holdings: warheads
                .iter()
                .enumerate()
                .map(|(k, &count)| Holding {
                    site: Some(accord_model::SiteId::new(format!("site-{k}")).unwrap()),
                    category: Category::new("warheads").unwrap(),
                    status: HoldingStatus::Deployed,
                    count,
                    derived: None,
                })
                .collect(),
            source: None,
            channel: Default::default(),
        }),
    }
}

fn activity(start: &str, end: &str, troops: u64) -> Activity {
    Activity {
        name: "exercise".into(),
        kind: ActivityKind::Exercise,
        start: day(start),
        end: day(end),
        area: Area {
            zone: Some(ZoneId::new("belarus").unwrap()),
            description: "Belarus".into(),
        },
        forces: vec![ForceCount {
            category: Category::new("troops").unwrap(),
            count: troops,
        }],
        participants: vec![],
    }
}

#[test]
fn latest_declaration_replaces_earlier_and_respects_the_instant() {
    let s = State::from_records([
        declaration(
            "RU-1",
            "RU",
            "2018-02-06T00:00:00Z",
            "2018-02-05",
            &[700, 744],
        ),
        declaration("RU-2", "RU", "2018-10-01T00:00:00Z", "2018-09-01", &[1420]),
    ])
    .unwrap();
    let w = Category::new("warheads").unwrap();
    let early = s
        .latest_declaration(&ns(), &party("RU"), at("2018-03-01T00:00:00Z"))
        .unwrap();
    assert_eq!(early.record.id, id("RU-1"));
    assert_eq!(early.total(&w, HoldingStatus::Deployed), 1444);
    assert_eq!(early.sites, 2);
    let late = s
        .latest_declaration(&ns(), &party("RU"), at("2019-01-01T00:00:00Z"))
        .unwrap();
    assert_eq!(late.total(&w, HoldingStatus::Deployed), 1420);
    assert!(
        s.latest_declaration(&ns(), &party("RU"), at("2018-01-01T00:00:00Z"))
            .is_none()
    );
    assert_eq!(
        s.declarations(&ns(), &party("RU"), at("2030-01-01T00:00:00Z"))
            .len(),
        2
    );
    assert_eq!(
        s.holdings(&party("RU"), at("2030-01-01T00:00:00Z")).len(),
        1
    );
    assert_eq!(s.declaring_parties(&ns()), vec![&party("RU")]);
}

#[test]
fn duplicate_id_is_a_located_error() {
    let mut s = State::new();
    s.append(declaration(
        "X-1",
        "US",
        "2020-01-01T00:00:00Z",
        "2020-01-01",
        &[1],
    ))
    .unwrap();
    let e = s
        .append(declaration(
            "X-1",
            "US",
            "2020-02-01T00:00:00Z",
            "2020-02-01",
            &[2],
        ))
        .unwrap_err();
    assert_eq!(
        e,
        StateError::Duplicate {
            id: id("X-1"),
            first: 0,
            index: 1
        }
    );
    assert_eq!(s.len(), 1);
}

#[test]
fn invalid_record_is_refused_with_its_field() {
    let r = Record {
        id: id("RU-N-1"),
        party: party("RU"),
        issued_at: at("2022-01-01T00:00:00Z"),
        body: RecordBody::Notification(Notification {
            agreement: AgreementId::new("vd").unwrap(),
            activity: activity("2022-02-20", "2022-02-10", 9000),
        }),
    };
    let e = State::new().append(r).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("RU-N-1") && msg.contains("body.activity.end"),
        "{msg}"
    );
}

#[test]
fn jsonl_errors_name_file_and_line() {
    let good = serde_json::to_string(&declaration(
        "US-1",
        "US",
        "2020-01-01T00:00:00Z",
        "2020-01-01",
        &[5],
    ))
    .unwrap();
    let text = format!("# records\n{good}\n\n{good}\n");
    let e = State::from_jsonl(&text, "records.jsonl").unwrap_err();
    assert!(e.to_string().starts_with("records.jsonl:4:"), "{e}");
    let e = State::from_jsonl("{\"id\":\"a\"}\n", "r.jsonl").unwrap_err();
    assert!(e.to_string().starts_with("r.jsonl:1:"), "{e}");
    assert_eq!(State::from_jsonl(&good, "x").unwrap().len(), 1);
}

#[test]
fn requests_see_only_replies_issued_by_then_and_by_the_party_asked() {
    let req = request_by("UA-1", "UA");
    let reply = |rid: &str, p: &str, when: &str| Record {
        id: id(rid),
        party: party(p),
        issued_at: at(when),
        body: RecordBody::ExplanationReply(ExplanationReply {
            request: id("UA-1"),
            text: "planned training".into(),
        }),
    };
    let ack = Record {
        id: id("RU-ACK"),
        party: party("RU"),
        issued_at: at("2022-02-11T13:00:00Z"),
        body: RecordBody::Acknowledgement(Acknowledgement { of: id("UA-1") }),
    };
    let s = State::from_records([
        req,
        ack,
        reply("XX-1", "BY", "2022-02-12T00:00:00Z"),
        reply("RU-9", "RU", "2022-02-20T00:00:00Z"),
    ])
    .unwrap();
    let before = s.requests_to(&party("RU"), at("2022-02-14T00:00:00Z"));
    assert_eq!(before.len(), 1);
    assert!(before[0].replies.is_empty());
    let after = s.requests_to(&party("RU"), at("2022-02-21T00:00:00Z"));
    assert_eq!(after[0].replies.len(), 1);
    assert_eq!(after[0].replies[0].id, id("RU-9"));
    assert!(
        s.requests_to(&party("RU"), at("2022-02-01T00:00:00Z"))
            .is_empty()
    );
    assert_eq!(
        s.acknowledgements(&id("UA-1"), at("2022-03-01T00:00:00Z"))
            .len(),
        1
    );
}

#[test]
fn activities_and_observations_are_found_by_party_and_date() {
    let note = Record {
        id: id("BY-N"),
        party: party("BY"),
        issued_at: at("2022-01-01T00:00:00Z"),
        body: RecordBody::Notification(Notification {
            agreement: AgreementId::new("vd").unwrap(),
            activity: activity("2022-02-10", "2022-02-20", 9500),
        }),
    };
    let obs = Record {
        id: id("OSINT-1"),
        party: party("OSINT"),
        issued_at: at("2022-02-04T00:00:00Z"),
        body: RecordBody::Observation(Observation {
            source: Source {
                url: "https://example.org/a".into(),
                outlet: "example".into(),
                title: "t".into(),
                published: day("2022-02-03"),
            },
            actor: party("RU"),
            category: Category::new("troops").unwrap(),
            quantity: 30000,
            qualifier: Qualifier::About,
            area: Area {
                zone: Some(ZoneId::new("belarus").unwrap()),
                description: "Belarus".into(),
            },
            date: day("2022-02-03"),
            attribution: None,
            text: "30,000 troops".into(),
            confidence: Confidence {
                independent_sources: 3,
                official_sources: 1,
                score: 80,
            },
        }),
    };
    let s = State::from_records([note, obs]).unwrap();
    let now = at("2022-03-01T00:00:00Z");
    let acts = s.activities(&party("BY"), day("2022-01-01"), day("2022-12-31"), now);
    assert_eq!(acts.len(), 1);
    assert_eq!(acts[0].source, ActivitySource::Notified);
    assert!(
        s.activities(&party("BY"), day("2022-03-01"), day("2022-12-31"), now)
            .is_empty()
    );
    assert_eq!(
        s.observations(&party("RU"), day("2022-02-01"), day("2022-02-28"), now)
            .len(),
        1
    );
    assert!(
        s.observations(
            &party("RU"),
            day("2022-02-01"),
            day("2022-02-28"),
            at("2022-02-03T00:00:00Z")
        )
        .is_empty()
    );
    assert_eq!(s.active_parties(), vec![&party("BY"), &party("RU")]);
}

#[test]
fn day_bounds() {
    assert_eq!(date_of(at("2022-02-13T23:59:59Z")), day("2022-02-13"));
    assert_eq!(start_of(day("2022-02-13")), at("2022-02-13T00:00:00Z"));
    assert!(end_of(day("2022-02-13")) < at("2022-02-14T00:00:00Z"));
    assert!(end_of(day("2022-02-13")) > at("2022-02-13T23:59:59Z"));
}

#[test]
fn participants_see_the_activity_and_calendars_are_kept_by_year() {
    let mut a = activity("2022-02-10", "2022-02-20", 12_000);
    a.participants = vec![party("RU")];
    let note = Record {
        id: id("BY-N"),
        party: party("BY"),
        issued_at: at("2021-12-01T00:00:00Z"),
        body: RecordBody::Notification(Notification {
            agreement: AgreementId::new("vd").unwrap(),
            activity: a.clone(),
        }),
    };
    let cal = Record {
        id: id("BY-CAL-2022"),
        party: party("BY"),
        issued_at: at("2021-11-10T00:00:00Z"),
        body: RecordBody::AnnualCalendar(accord_model::AnnualCalendar {
            agreement: AgreementId::new("vd").unwrap(),
            year: 2022,
            activities: vec![a],
        }),
    };
    let s = State::from_records([note, cal]).unwrap();
    let now = at("2022-03-01T00:00:00Z");
    let ru = s.activities(&party("RU"), day("2022-01-01"), day("2022-12-31"), now);
    assert_eq!(ru.len(), 2);
    assert!(ru.iter().all(|a| a.record.party == party("BY")));
    assert_eq!(s.activity_years(&party("RU")), vec![2022]);
    assert_eq!(s.calendars(&party("BY"), 2022, now).len(), 1);
    assert!(
        s.calendars(&party("BY"), 2022, at("2021-11-01T00:00:00Z"))
            .is_empty()
    );
    assert_eq!(
        s.calendar_parties(&AgreementId::new("vd").unwrap()),
        vec![&party("BY")]
    );
}

#[test]
fn day_bounds_never_overflow_at_the_ends_of_time() {
    // The last days instants can reach: no panic, and the order of days is kept.
    let last = end_of(day("9999-12-30"));
    assert!(last > start_of(day("9999-12-30")) || last == Instant::MAX);
    assert_eq!(end_of(day("9999-12-31")), Instant::MAX);
    assert_eq!(start_of(day("9999-12-31")), Instant::MAX);
    assert_eq!(start_of(Date::MIN), Instant::MIN);
    assert!(check_instant(at("9000-12-31T23:59:59Z"), "--as-of").is_ok());
    let e = check_instant(at("9001-01-01T00:00:00Z"), "--as-of").unwrap_err();
    assert_eq!(
        e.to_string(),
        "--as-of 9001-01-01T00:00:00Z is outside the supported range of years 1000 to 9000"
    );
    assert!(check_date(day("0999-12-31"), "as_of").is_err());
}

#[test]
fn a_record_dated_beyond_the_supported_range_is_refused_by_name_and_field() {
    let mut s = State::new();
    let e = s
        .append(declaration(
            "RU-FAR",
            "RU",
            "2020-01-01T00:00:00Z",
            "9999-12-30",
            &[1],
        ))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "record RU-FAR (position 0): body.as_of 9999-12-30 is outside the supported range of \
         years 1000 to 9000"
    );
    assert!(s.is_empty(), "nothing half-appended");
}

fn known() -> Known {
    Known {
        parties: [party("RU"), party("BY")].into(),
        agreements: [ns()].into(),
        zones: [ZoneId::new("belarus").unwrap()].into(),
        categories: [
            Category::new("troops").unwrap(),
            Category::new("warheads").unwrap(),
        ]
        .into(),
    }
}

#[test]
fn records_naming_what_the_scenario_does_not_know_are_reported_with_their_field() {
    let mut a = activity("2022-02-10", "2022-02-20", 12_000);
    a.area.zone = Some(ZoneId::new("belarrus").unwrap());
    a.forces[0].category = Category::new("troop").unwrap();
    a.participants = vec![party("CN")];
    let note = Record {
        id: id("BY-N"),
        party: party("BY"),
        issued_at: at("2022-01-01T00:00:00Z"),
        body: RecordBody::Notification(Notification {
            agreement: AgreementId::new("vd").unwrap(),
            activity: a,
        }),
    };
    let reply = Record {
        id: id("RU-R"),
        party: party("RU"),
        issued_at: at("2022-03-01T00:00:00Z"),
        body: RecordBody::ExplanationReply(ExplanationReply {
            request: id("NO-SUCH-REQUEST"),
            text: "none".into(),
        }),
    };
    let fine = declaration("RU-1", "RU", "2022-01-05T00:00:00Z", "2022-01-01", &[5]);
    let s = State::from_records([note, fine, reply]).unwrap();

    let found = s.unevaluable(&known(), at("2022-02-01T00:00:00Z"));
    let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "record BY-N (notification): field `body.agreement`: agreement `vd` is not loaded",
            "record BY-N (notification): field `body.activity.area.zone`: zone `belarrus` is not \
             in the vocabulary",
            "record BY-N (notification): field `body.activity.forces[0].category`: category \
             `troop` is not in the vocabulary",
            "record BY-N (notification): field `body.activity.participants[0]`: party `CN` is \
             not a party of the scenario",
        ]
    );
    assert!(found.iter().all(|u| u.index == 0));
    // The reply is issued later: at the later instant it is reported too.
    let later = s.unevaluable(&known(), at("2022-03-02T00:00:00Z"));
    let last = later.last().unwrap();
    assert_eq!(
        (last.index, last.kind, last.name.as_str()),
        (2, NameKind::Record, "NO-SUCH-REQUEST")
    );
    assert_eq!(later.len(), 5);
}

#[test]
fn known_at_counts_only_the_records_issued_by_then() {
    let s = State::from_records([
        declaration("RU-1", "RU", "2018-02-06T00:00:00Z", "2018-02-05", &[1]),
        declaration("RU-2", "RU", "2018-10-01T00:00:00Z", "2018-09-01", &[1]),
    ])
    .unwrap();
    assert_eq!(s.known_at(at("2018-01-01T00:00:00Z")), 0);
    assert_eq!(s.known_at(at("2018-02-06T00:00:00Z")), 1);
    assert_eq!(s.known_at(at("2030-01-01T00:00:00Z")), 2);
    assert_eq!(s.len(), 2);
}

fn cosig(log: &str, size: u64, cosigner: &str, t: &str) -> Cosignature {
    Cosignature {
        log: party(log),
        size,
        cosigner: party(cosigner),
        timestamp: at(t),
    }
}

fn pos(log: &str, index: u64) -> LogPosition {
    LogPosition {
        log: party(log),
        index,
    }
}

#[test]
fn log_times_come_from_the_earliest_including_and_latest_earlier_cosignatures() {
    let cosigs = [
        cosig("US", 1, "RU", "2022-02-11T10:00:00Z"),
        cosig("US", 3, "RU", "2022-02-11T12:00:00Z"),
        cosig("US", 2, "BY", "2022-02-11T11:30:00Z"),
        // The same old checkpoint cosigned again after the records were witnessed: it says
        // nothing about when they were logged.
        cosig("US", 1, "RU", "2022-02-11T13:00:00Z"),
        // Another log's cosignatures do not count.
        cosig("RU", 9, "US", "2022-02-10T00:00:00Z"),
    ];
    let times = log_times((0..4).map(|i| pos("US", i)), &cosigs);
    let t0 = times[0].clone().unwrap();
    assert_eq!(
        t0.witnessed_by(&party("RU")),
        Some(at("2022-02-11T10:00:00Z"))
    );
    assert_eq!(
        t0.witnessed_by(&party("BY")),
        Some(at("2022-02-11T11:30:00Z"))
    );
    assert_eq!(t0.not_before, None);
    assert_eq!(
        t0.earliest(),
        Some((&party("RU"), at("2022-02-11T10:00:00Z")))
    );
    let t1 = times[1].clone().unwrap();
    assert_eq!(
        t1.witnessed_by(&party("RU")),
        Some(at("2022-02-11T12:00:00Z"))
    );
    assert_eq!(
        t1.witnessed_by(&party("BY")),
        Some(at("2022-02-11T11:30:00Z"))
    );
    assert_eq!(t1.not_before, Some(at("2022-02-11T10:00:00Z")));
    let t2 = times[2].clone().unwrap();
    assert_eq!(t2.witnessed_by(&party("BY")), None);
    assert_eq!(
        t2.witnessed_by(&party("RU")),
        Some(at("2022-02-11T12:00:00Z"))
    );
    assert_eq!(t2.not_before, Some(at("2022-02-11T11:30:00Z")));
    let t3 = times[3].clone().unwrap();
    assert!(t3.witnessed.is_empty());
    assert_eq!(t3.not_before, Some(at("2022-02-11T13:00:00Z")));
    assert_eq!(t3.position, pos("US", 3));
    // A log nobody cosigned has no times.
    assert_eq!(log_times([pos("BY", 0)], &cosigs), vec![None]);
}

#[test]
fn changed_ranges_hold_exactly_the_indices_whose_log_time_changes() {
    // Cosignatures added one by one in a scrambled order of sizes, cosigners and times: after
    // each, the ranges named are exactly the indices whose log time differs.
    let mut n: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |m: u64| {
        n ^= n << 13;
        n ^= n >> 7;
        n ^= n << 17;
        n % m
    };
    let cosigners = ["RU", "BY", "PL"];
    let mut held: Vec<Cosignature> = Vec::new();
    let mut changes = 0;
    for _ in 0..60 {
        let c = cosig(
            "US",
            1 + next(40),
            cosigners[next(3) as usize],
            &format!("2022-02-11T{:02}:{:02}:00Z", next(24), next(60)),
        );
        let mut after = held.clone();
        after.push(c);
        let ranges = changed_ranges(&held, &after);
        let before_times = log_times((0..50).map(|i| pos("US", i)), &held);
        let after_times = log_times((0..50).map(|i| pos("US", i)), &after);
        for i in 0..50u64 {
            let differs = before_times[i as usize] != after_times[i as usize];
            let named = ranges.iter().any(|r| r.contains(&i));
            assert_eq!(differs, named, "index {i} after {:?}", after.last());
            changes += usize::from(differs);
        }
        held = after;
    }
    // The test means something: times did change, and not everywhere each time.
    assert!(changes > 60 && changes < 60 * 50, "{changes} changes");
    assert_eq!(changed_ranges(&held, &held), Vec::new());
}

#[test]
fn cosignatures_set_log_times_by_record_and_count_changes() {
    let mut s = State::from_records([
        declaration("US-1", "US", "2022-01-01T00:00:00Z", "2022-01-01", &[1]),
        declaration("RU-1", "RU", "2022-01-01T00:00:00Z", "2022-01-01", &[1]),
        declaration("US-2", "US", "2022-01-02T00:00:00Z", "2022-01-02", &[1]),
    ])
    .unwrap();
    let positions = s.party_log_positions();
    assert_eq!(positions[2], (2, pos("US", 1)));
    assert_eq!(positions[1], (1, pos("RU", 0)));
    let cosigs = vec![cosig("US", 1, "RU", "2022-01-01T00:05:00Z")];
    assert_eq!(s.apply_cosignatures(&positions, &cosigs), 2);
    assert_eq!(s.log_time_changes(), 2);
    assert_eq!(
        s.witnessed(&id("US-1")).unwrap().witnessed_by(&party("RU")),
        Some(at("2022-01-01T00:05:00Z"))
    );
    assert!(s.witnessed(&id("RU-1")).is_none());
    assert_eq!(
        s.witnessed(&id("US-2")).unwrap().not_before,
        Some(at("2022-01-01T00:05:00Z"))
    );
    // The same cosignatures again change nothing; one more changes only the record it covers.
    assert_eq!(s.apply_cosignatures(&positions, &cosigs), 0);
    let more = [
        cosigs[0].clone(),
        cosig("US", 2, "RU", "2022-01-02T00:01:00Z"),
    ];
    assert_eq!(s.apply_cosignatures(&positions, &more), 1);
    assert_eq!(s.log_times_changed_since(2), &[2]);
}

#[test]
fn cosignature_files_are_read_with_located_errors() {
    let text = "# cosignatures\n\
        {\"log\":\"US\",\"size\":2,\"cosigner\":\"RU\",\"timestamp\":\"2022-01-01T00:00:00Z\"}\n\n\
        {\"log\":\"US\",\"size\":2,\"cosigner\":\"US\",\"timestamp\":\"2022-01-01T00:00:00Z\"}\n";
    let err = parse_cosignatures(text, "c.jsonl").unwrap_err().to_string();
    assert!(
        err.starts_with("c.jsonl:4: field `cosigner`: US cosigns its own log"),
        "{err}"
    );
    let ok = parse_cosignatures(
        &text.replace("\"cosigner\":\"US\"", "\"cosigner\":\"BY\""),
        "c",
    )
    .unwrap();
    assert_eq!(ok[1].0, 4);
    assert_eq!(ok[1].1, cosig("US", 2, "BY", "2022-01-01T00:00:00Z"));
    let err = parse_cosignatures("{\"log\":\"US\",\"size\":-1}", "c.jsonl")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("c.jsonl:1: "), "{err}");
}

#[test]
fn answers_are_found_by_the_record_they_answer() {
    let reply = Record {
        id: id("RU-A"),
        party: party("RU"),
        issued_at: at("2022-02-12T00:00:00Z"),
        body: RecordBody::ExplanationReply(ExplanationReply {
            request: id("US-Q"),
            text: "training".into(),
        }),
    };
    let ack = Record {
        id: id("RU-ACK"),
        party: party("RU"),
        issued_at: at("2022-02-12T00:00:00Z"),
        body: RecordBody::Acknowledgement(Acknowledgement { of: id("US-Q") }),
    };
    let s = State::from_records([reply, ack]).unwrap();
    assert_eq!(s.answers_to(&id("US-Q")), &[0, 1]);
    assert!(s.answers_to(&id("RU-A")).is_empty());
    assert_eq!(answered(&s.records()[1]), Some(&id("US-Q")));
}

/// A request for explanation by `from` to RU.
fn request_by(rid: &str, from: &str) -> Record {
    Record {
        id: id(rid),
        party: party(from),
        issued_at: at("2022-02-11T12:00:00Z"),
        body: RecordBody::ExplanationRequest(ExplanationRequest {
            agreement: AgreementId::new("vd").unwrap(),
            provision: accord_model::ProvisionId::new("ch-iii-16-1").unwrap(),
            to: party("RU"),
            area: Area {
                zone: None,
                description: "near Ukraine".into(),
            },
            text: "explain".into(),
        }),
    }
}

#[test]
fn logged_records_are_answered_in_log_order_whatever_order_they_arrive_in() {
    let ua = (request_by("UA-1", "UA"), pos("UA", 0));
    let lt = (request_by("LT-1", "LT"), pos("LT", 0));
    let ee = (request_by("EE-1", "EE"), pos("EE", 0));
    let orders = [
        [ua.clone(), lt.clone(), ee.clone()],
        [lt.clone(), ee.clone(), ua.clone()],
        [ee, ua, lt],
    ];
    for arrivals in orders {
        let mut s = State::new();
        for (r, p) in arrivals {
            s.append_logged(r, p).unwrap();
        }
        let asked: Vec<&str> = s
            .requests_to(&party("RU"), at("2022-03-01T00:00:00Z"))
            .iter()
            .map(|r| r.record.id.as_str())
            .collect();
        assert_eq!(asked, ["EE-1", "LT-1", "UA-1"]);
        assert_eq!(
            s.log_position(s.position(&id("LT-1")).unwrap()),
            Some(&pos("LT", 0))
        );
    }
}

#[test]
fn a_repeated_id_earlier_in_log_order_asks_for_the_state_to_be_built_again() {
    let mut s = State::new();
    s.append_logged(request_by("Q-1", "UA"), pos("UA", 0))
        .unwrap();
    // The same id later in (log, index) order is the duplicate, refused as usual.
    assert!(matches!(
        s.append_logged(request_by("Q-1", "UA"), pos("UA", 1)),
        Err(StateError::Duplicate { .. })
    ));
    // Earlier in that order, it is the one the state should hold.
    let err = s
        .append_logged(request_by("Q-1", "LT"), pos("LT", 0))
        .unwrap_err();
    assert_eq!(
        err,
        StateError::Precedes {
            id: id("Q-1"),
            log: party("LT"),
            index: 0
        }
    );
    assert_eq!(s.len(), 1);
    // The log that sorts first arriving after another renumbered the order once.
    assert_eq!(s.renumbered(), 1);
}
