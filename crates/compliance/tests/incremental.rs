//! The engine's update gives exactly a fresh full evaluation: random streams of records of
//! every kind the engine judges activities, requests and inspections by (notifications of
//! every size, kind and zone, some on another State's territory or with other States taking
//! part, observations, invitations and host consent, calendars, requests and replies,
//! inspection requests and reports, declarations, countermeasures), appended one by one and
//! the evaluation brought up to date after each, compared with a full evaluation of the same
//! state: findings and digest.

mod common;

use accord_compliance::Engine;
use accord_model::PartyId;
use accord_model::{AgreementId, Finding, Instant, Record};
use accord_state::{Cosignature, State};
use proptest::prelude::*;
use serde_json::{Value, json};

use common::record;

const PARTIES: [&str; 4] = ["US", "RU", "BY", "UA"];
const ZONES: [&str; 7] = [
    "belarus",
    "poland",
    "russia-european-part",
    "near-ukraine",
    "lithuania",
    "ukraine",
    "united-states",
];
const KINDS: [&str; 4] = ["exercise", "alert_activity", "deployment", "concentration"];
const VIENNA: &str = "vienna-document-2011";

/// The instant evaluated: records issued after it are in the state but not yet visible.
const AT: &str = "2022-06-30T00:00:00Z";

/// One record to make, with numbers drawn at random; references to earlier records are taken
/// modulo the records made so far.
#[derive(Debug, Clone)]
enum Op {
    Notify {
        party: usize,
        kind: usize,
        zone: usize,
        start: u32,
        days: u32,
        lead: i64,
        troops: u64,
        tanks: u64,
        with: Option<usize>,
    },
    Observe {
        actor: usize,
        zone: usize,
        day: u32,
        troops: u64,
        score: u8,
    },
    Invite {
        of: usize,
        late: bool,
    },
    Consent {
        host: usize,
        about: usize,
        day: u32,
    },
    Calendar {
        party: usize,
        year: u32,
        of: usize,
        late: bool,
    },
    Ask {
        from: usize,
        to: usize,
        day: u32,
    },
    Reply {
        of: usize,
        hours: u32,
    },
    Inspect {
        inspected: usize,
        day: u32,
        report: bool,
    },
    Declare {
        party: usize,
        year: u32,
        warheads: u64,
    },
    Countermeasure {
        party: usize,
        day: u32,
    },
    /// A statement by one State naming another taking part in an activity on its territory.
    TakesPart {
        of: usize,
        by_host: bool,
    },
    /// A meeting request on a request for explanation, and perhaps the meeting.
    Meet {
        of: usize,
        held: bool,
        absent: bool,
    },
    /// A cosignature by `by` on the log of `log`'s records, of its first `size` records, at
    /// `day`.
    Cosign {
        log: usize,
        by: usize,
        size: usize,
        day: u32,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0..4usize, 0..4usize, 0..7usize, 0..1100u32, 0..70u32, -10..90i64, 1_000..60_000u64, 0..1_200u64, proptest::option::weighted(0.3, 0..4usize))
            .prop_map(|(party, kind, zone, start, days, lead, troops, tanks, with)| Op::Notify {
                party, kind, zone, start, days, lead, troops, tanks, with
            }),
        3 => (0..4usize, 0..7usize, 0..1100u32, 5_000..60_000u64, 20..90u8)
            .prop_map(|(actor, zone, day, troops, score)| Op::Observe { actor, zone, day, troops, score }),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(of, late)| Op::Invite { of, late }),
        1 => (0..4usize, 0..4usize, 0..1100u32).prop_map(|(host, about, day)| Op::Consent { host, about, day }),
        1 => (0..4usize, 0..3u32, any::<usize>(), any::<bool>())
            .prop_map(|(party, year, of, late)| Op::Calendar { party, year, of, late }),
        2 => (0..4usize, 0..4usize, 0..1100u32).prop_map(|(from, to, day)| Op::Ask { from, to, day }),
        2 => (any::<usize>(), 1..120u32).prop_map(|(of, hours)| Op::Reply { of, hours }),
        1 => (0..2usize, 0..1100u32, any::<bool>())
            .prop_map(|(inspected, day, report)| Op::Inspect { inspected, day, report }),
        1 => (0..2usize, 0..3u32, 1_300..1_700u64)
            .prop_map(|(party, year, warheads)| Op::Declare { party, year, warheads }),
        1 => (0..4usize, 0..1100u32).prop_map(|(party, day)| Op::Countermeasure { party, day }),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(of, by_host)| Op::TakesPart { of, by_host }),
        1 => (any::<usize>(), any::<bool>(), any::<bool>())
            .prop_map(|(of, held, absent)| Op::Meet { of, held, absent }),
        2 => (0..4usize, 0..4usize, 0..40usize, 0..1100u32)
            .prop_map(|(log, by, size, day)| Op::Cosign { log, by, size, day }),
    ]
}

/// The day `days` after 1 January 2020.
fn day(days: u32) -> jiff::civil::Date {
    jiff::civil::date(2020, 1, 1)
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .unwrap()
}

fn noon(d: jiff::civil::Date) -> String {
    format!("{d}T12:00:00Z")
}

fn activity(
    name: &str,
    kind: &str,
    start: jiff::civil::Date,
    end: jiff::civil::Date,
    zone: &str,
    forces: Value,
    participants: &[&str],
) -> Value {
    json!({
        "name": name, "kind": kind, "start": start.to_string(), "end": end.to_string(),
        "area": {"zone": zone, "description": zone},
        "forces": forces, "participants": participants
    })
}

/// What to append next: a record, or cosignatures that time the records of a log.
enum Step {
    Append(Box<Record>),
    Cosign(Cosignature),
}

/// The host State of the zones of [`ZONES`] that are a party's territory.
fn host(zone: &str) -> Option<&'static str> {
    match zone {
        "belarus" => Some("BY"),
        "russia-european-part" => Some("RU"),
        "ukraine" => Some("UA"),
        "united-states" => Some("US"),
        _ => None,
    }
}

/// The steps the operations make, each record's id new. Notifications and requests are
/// remembered so that later operations can refer to them.
fn steps(ops: &[Op]) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    // (id, party, name, start, end, zone) of each notification made.
    let mut notified: Vec<(
        String,
        &str,
        String,
        jiff::civil::Date,
        jiff::civil::Date,
        &str,
    )> = Vec::new();
    // (id, party asked, issued) of each request made.
    let mut asked: Vec<(String, &str, jiff::civil::Date)> = Vec::new();
    let mut inspections: Vec<(String, &str, jiff::civil::Date)> = Vec::new();
    for (k, op) in ops.iter().enumerate() {
        let id = format!("R-{k}");
        match *op {
            Op::Notify {
                party,
                kind,
                zone,
                start,
                days,
                lead,
                troops,
                tanks,
                with,
            } => {
                let (p, z) = (PARTIES[party], ZONES[zone]);
                let (s, e) = (day(start), day(start + days));
                let issued = s.checked_sub(jiff::Span::new().days(lead)).unwrap();
                let name = format!("Exercise {k}");
                let participants: Vec<&str> = with.map(|w| PARTIES[w]).into_iter().collect();
                let forces = json!([
                    {"category": "troops", "count": troops},
                    {"category": "battle_tanks", "count": tanks}
                ]);
                out.push(appended(
                    &id,
                    p,
                    &noon(issued),
                    json!({"type": "notification", "agreement": VIENNA,
                           "activity": activity(&name, KINDS[kind], s, e, z, forces, &participants)}),
                ));
                notified.push((id, p, name, s, e, z));
            }
            Op::Observe {
                actor,
                zone,
                day: d,
                troops,
                score,
            } => {
                let date = day(d).to_string();
                out.push(appended(
                    &id,
                    "OSINT",
                    &format!("{date}T20:00:00Z"),
                    json!({"type": "observation",
                           "source": {"url": format!("https://example.org/{id}"), "outlet": "Example", "title": "t", "published": date},
                           "actor": PARTIES[actor], "category": "troops", "quantity": troops,
                           "qualifier": {"kind": "exactly"},
                           "area": {"zone": ZONES[zone], "description": ZONES[zone]}, "date": date,
                           "attribution": {"who": "officials", "official": score > 60}, "text": "troops",
                           "confidence": {"independent_sources": 2, "official_sources": u32::from(score > 60), "score": score}}),
                ));
            }
            Op::Invite { of, late } if !notified.is_empty() => {
                let (_, p, name, s, e, z) = &notified[of % notified.len()];
                let issued = if late {
                    s.checked_add(jiff::Span::new().days(2)).unwrap()
                } else {
                    s.checked_sub(jiff::Span::new().days(5)).unwrap()
                };
                out.push(appended(
                    &id,
                    p,
                    &noon(issued),
                    json!({"type": "statement", "kind": "observer_invitation", "agreement": VIENNA,
                           "activity": activity(name, "exercise", *s, *e, z, json!([]), &[]),
                           "text": "observers invited"}),
                ));
            }
            Op::Consent {
                host,
                about,
                day: d,
            } => out.push(appended(
                &id,
                PARTIES[host],
                &noon(day(d)),
                json!({"type": "statement", "kind": "host_consent", "about": PARTIES[about],
                       "text": "consent"}),
            )),
            Op::Calendar {
                party,
                year,
                of,
                late,
            } => {
                let y = 2020 + year as i16;
                let due = jiff::civil::date(y - 1, 11, 15);
                let issued = if late {
                    due.checked_add(jiff::Span::new().days(20)).unwrap()
                } else {
                    due.checked_sub(jiff::Span::new().days(3)).unwrap()
                };
                let planned: Vec<Value> = notified
                    .get(of % notified.len().max(1))
                    .filter(|n| n.3.year() == y)
                    .map(|(_, _, name, s, e, z)| {
                        activity(name, "exercise", *s, *e, z, json!([]), &[])
                    })
                    .into_iter()
                    .collect();
                out.push(appended(
                    &id,
                    PARTIES[party],
                    &noon(issued),
                    json!({"type": "annual_calendar", "agreement": VIENNA, "year": y,
                           "activities": planned}),
                ));
            }
            Op::Ask { from, to, day: d } => {
                let (from, to) = (PARTIES[from], PARTIES[to]);
                if from == to {
                    continue;
                }
                out.push(appended(
                    &id,
                    from,
                    &noon(day(d)),
                    json!({"type": "explanation_request", "agreement": VIENNA,
                           "provision": "ch-iii-unusual-activities", "to": to,
                           "area": {"zone": "belarus", "description": "belarus"},
                           "text": "what is this"}),
                ));
                asked.push((id, to, day(d)));
            }
            Op::Reply { of, hours } if !asked.is_empty() => {
                let (request, to, d) = &asked[of % asked.len()];
                let issued: Instant = noon(*d).parse::<Instant>().unwrap()
                    + jiff::SignedDuration::from_hours(i64::from(hours));
                out.push(appended(
                    &id,
                    to,
                    &issued.to_string(),
                    json!({"type": "explanation_reply", "request": request, "text": "training"}),
                ));
            }
            Op::Inspect {
                inspected,
                day: d,
                report,
            } => {
                let (inspected, by) = [("US", "RU"), ("RU", "US")][inspected];
                let date = day(d);
                out.push(appended(
                    &id,
                    by,
                    &noon(date.checked_sub(jiff::Span::new().days(10)).unwrap()),
                    json!({"type": "inspection_request", "agreement": VIENNA,
                           "provision": "ch-ix-inspections", "inspected": inspected,
                           "area": {"zone": "belarus", "description": "area"},
                           "date": date.to_string()}),
                ));
                inspections.push((id.clone(), by, date));
                if report {
                    out.push(appended(
                        &format!("{id}-report"),
                        by,
                        &noon(date.checked_add(jiff::Span::new().days(2)).unwrap()),
                        json!({"type": "inspection_report", "request": id, "site": "area-1",
                               "date": date.to_string(), "counts": []}),
                    ));
                }
            }
            Op::Declare {
                party,
                year,
                warheads,
            } => {
                let as_of = jiff::civil::date(2020 + year as i16, 3, 1);
                out.push(appended(
                    &id,
                    ["US", "RU"][party],
                    &noon(as_of),
                    json!({"type": "declaration", "agreement": "new-start",
                           "as_of": as_of.to_string(),
                           "holdings": [{"category": "accountable_warheads", "status": "deployed",
                                         "count": warheads}]}),
                ));
            }
            Op::Countermeasure { party, day: d } => out.push(appended(
                &id,
                PARTIES[party],
                &noon(day(d)),
                json!({"type": "countermeasure", "agreement": VIENNA,
                       "provisions": ["ch-ix-inspections", "ch-vi-observation"],
                       "against": PARTIES[(party + 1) % 4], "from": day(d).to_string(),
                       "measures": "inspections withheld", "in_response_to": "breach"}),
            )),
            Op::TakesPart { of, by_host } if !notified.is_empty() => {
                let (_, p, name, s, e, z) = &notified[of % notified.len()];
                let Some(h) = host(z).filter(|h| h != p) else {
                    continue;
                };
                let (author, named) = if by_host { (h, *p) } else { (*p, h) };
                out.push(appended(
                    &id,
                    author,
                    &noon(s.checked_sub(jiff::Span::new().days(1)).unwrap()),
                    json!({"type": "statement", "kind": "voluntary_information",
                           "agreement": VIENNA, "about": named,
                           "activity": activity(name, "exercise", *s, *e, z, json!([]), &[named]),
                           "text": "taking part"}),
                ));
            }
            Op::Meet { of, held, absent } if !asked.is_empty() => {
                let (request, to, d) = &asked[of % asked.len()];
                let asked_at = d.checked_add(jiff::Span::new().days(3)).unwrap();
                let requester = if *to == "RU" { "US" } else { "RU" };
                out.push(appended(
                    &id,
                    requester,
                    &noon(asked_at),
                    json!({"type": "meeting_request", "agreement": VIENNA,
                           "provision": "ch-iii-unusual-activities", "request": request,
                           "to": to, "text": "meet"}),
                ));
                if held {
                    let (present, missing): (Vec<&str>, Vec<&str>) = if absent {
                        (vec![requester], vec![*to])
                    } else {
                        (vec![requester, *to], vec![])
                    };
                    out.push(appended(
                        &format!("{id}-meeting"),
                        requester,
                        &noon(asked_at.checked_add(jiff::Span::new().days(1)).unwrap()),
                        json!({"type": "meeting", "agreement": VIENNA,
                               "provision": "ch-iii-unusual-activities", "request": id,
                               "kind": "consultation",
                               "held_at": noon(asked_at.checked_add(jiff::Span::new().days(1)).unwrap()),
                               "present": present, "absent": missing, "text": "met"}),
                    ));
                }
            }
            Op::Cosign {
                log,
                by,
                size,
                day: d,
            } => out.push(Step::Cosign(Cosignature {
                log: PartyId::new(PARTIES[log]).unwrap(),
                size: size as u64,
                cosigner: PartyId::new(PARTIES[by]).unwrap(),
                timestamp: noon(day(d)).parse().unwrap(),
            })),
            Op::Invite { .. } | Op::Reply { .. } | Op::TakesPart { .. } | Op::Meet { .. } => {}
        }
    }
    out
}

/// A record to append, from its id, author, issue time and body (JSON).
fn appended(id: &str, party: &str, issued_at: &str, body: Value) -> Step {
    Step::Append(Box::new(record(id, party, issued_at, body)))
}

fn engine() -> Engine {
    let mut engine = Engine::new(accord_agreements::builtin().unwrap());
    for proposal in ["us-proposal-2022", "nato-proposal-2022"] {
        engine
            .assume_in_force(&AgreementId::new(proposal).unwrap())
            .unwrap();
    }
    engine
}

/// The findings one list has and the other has not, one line each.
fn difference(updated: &[Finding], full: &[Finding]) -> String {
    let line = |f: &Finding| {
        format!(
            "{} {} {} {:?} {}: {}",
            f.agreement,
            f.provision,
            f.party,
            f.severity,
            f.message.id,
            accord_messages::english(&f.message, &f.notes)
        )
    };
    let only = |a: &[Finding], b: &[Finding]| -> Vec<String> {
        a.iter().filter(|f| !b.contains(f)).map(line).collect()
    };
    format!(
        "only updated: {:#?}\nonly full: {:#?}",
        only(updated, full),
        only(full, updated)
    )
}

/// The number of random streams: 48, or `PROPTEST_CASES` where set (fewer for a mutation run,
/// more for a long hunt).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn updating_record_by_record_gives_a_fresh_full_evaluation(
        ops in proptest::collection::vec(op(), 1..40)
    ) {
        let engine = engine();
        let at: Instant = AT.parse().unwrap();
        let mut state = State::new();
        let mut eval = engine.evaluate(&state, at);
        let mut cosignatures: Vec<Cosignature> = Vec::new();
        for step in steps(&ops) {
            let id = match step {
                Step::Append(r) => {
                    let id = r.id.to_string();
                    state.append(*r).unwrap();
                    id
                }
                Step::Cosign(c) => {
                    let id = format!("a cosignature by {} on {}'s log", c.cosigner, c.log);
                    cosignatures.push(c);
                    state.apply_cosignatures(&state.party_log_positions(), &cosignatures);
                    id
                }
            };
            engine.update(&mut eval, &state);
            let updated = eval.findings();
            let full = engine.evaluate(&state, at).findings();
            prop_assert_eq!(
                accord_model::findings_digest(&updated),
                accord_model::findings_digest(&full),
                "digest after {}: {}", id, difference(&updated, &full)
            );
            prop_assert_eq!(updated, full, "findings after {}", id);
        }
    }
}
