//! The dashboard's pages rendered for a node holding 100,000 records (the 2022 crisis and
//! 99,979 synthetic notified activities and observations over 2016-2025), and the findings page
//! filtered on the server to its first 100 of 20,000 findings. Each is to render within 50 ms.
//!
//! Run: cargo bench -p accord-views --bench dashboard -- --warm-up-time 1 --measurement-time 3

use std::hint::black_box;
use std::path::Path;

use accord_compliance::{Deadline, Obligation, Scenario};
use accord_messages::Lang;
use accord_model::{
    Activity, ActivityKind, AgreementId, Area, Category, Confidence, Finding, ForceCount, Instant,
    Notification, Observation, PartyId, Qualifier, Record, RecordBody, RecordId, Source, ZoneId,
};
use accord_state::State;
use accord_views::ReportInput;
use accord_views::dashboard::{self, FindingsQuery, Frame, HotlineRow, Overview, RecordPage};
use criterion::{Criterion, criterion_group, criterion_main};

const RECORDS: usize = 100_000;
const FINDINGS: usize = 20_000;
const PARTIES: [&str; 6] = ["US", "RU", "UA", "BY", "PL", "LT"];
const ZONES: [&str; 4] = ["near-ukraine", "belarus", "poland", "lithuania"];

/// A xorshift generator: the same records every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn date(&mut self) -> accord_model::Date {
        let (y, m, d) = (self.below(10), self.below(12), self.below(28));
        accord_model::Date::new(2016 + y as i16, 1 + m as i8, 1 + d as i8).unwrap()
    }
}

fn area(zone: &str) -> Area {
    Area {
        zone: Some(ZoneId::new(zone).unwrap()),
        description: zone.to_owned(),
    }
}

/// One synthetic record: nine in ten a notified exercise, one in ten an observation.
fn synthetic(k: usize, rng: &mut Rng) -> Record {
    let d = rng.date();
    let party = PARTIES[rng.below(PARTIES.len() as u64) as usize];
    let zone = ZONES[rng.below(ZONES.len() as u64) as usize];
    let troops = Category::new("troops").unwrap();
    let body = if k.is_multiple_of(10) {
        RecordBody::Observation(Observation {
            source: Source {
                url: format!("https://example.org/{k}"),
                outlet: "Example".into(),
                title: "report".into(),
                published: d,
            },
            actor: PartyId::new(party).unwrap(),
            category: troops,
            quantity: 5_000 + rng.below(60_000),
            qualifier: Qualifier::About,
            area: area(zone),
            date: d,
            attribution: None,
            text: "troops".into(),
            confidence: Confidence {
                independent_sources: 1,
                official_sources: 0,
                score: 40,
            },
        })
    } else {
        RecordBody::Notification(Notification {
            agreement: AgreementId::new("vienna-document-2011").unwrap(),
            activity: Activity {
                name: "exercise".into(),
                kind: ActivityKind::Exercise,
                start: d,
                end: d.checked_add(jiff::Span::new().days(5)).unwrap(),
                area: area(zone),
                forces: vec![ForceCount {
                    category: troops,
                    count: 1_000 + rng.below(14_000),
                }],
                participants: Vec::new(),
            },
        })
    };
    let issued = d.checked_sub(jiff::Span::new().days(45)).unwrap();
    Record {
        id: RecordId::new(format!("S-{k}")).unwrap(),
        party: PartyId::new(if k.is_multiple_of(10) { "OSINT" } else { party }).unwrap(),
        issued_at: accord_state::start_of(issued),
        body,
    }
}

/// 20,000 findings: the crisis's, again and again, each copy about another provision name.
fn many_findings(base: &[Finding]) -> Vec<Finding> {
    (0..FINDINGS)
        .map(|i| {
            let mut f = base[i % base.len()].clone();
            f.provision = format!("{}-{}", f.provision, i / base.len())
                .parse()
                .unwrap();
            f
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/2022-crisis");
    let scenario = Scenario::load(&dir).unwrap();
    let at: Instant = scenario.file.as_of;
    let mut records: Vec<Record> = scenario.state.records().to_vec();
    let mut rng = Rng(0x5eed);
    for k in records.len()..RECORDS {
        records.push(synthetic(k, &mut rng));
    }
    let state = State::from_records(records.clone()).unwrap();
    assert_eq!(state.len(), RECORDS);
    let engine = scenario.engine(&[]).unwrap();
    let findings = engine.evaluate(&state, at).findings();
    let twenty_thousand = many_findings(&findings);
    let deadlines = vec![Deadline {
        due: at,
        agreement: "vienna-document-2011".parse().unwrap(),
        provision: "ch-iii-unusual-activities".parse().unwrap(),
        party: "RU".parse().unwrap(),
        owed: Obligation::Reply {
            request: records[0].id.clone(),
            requester: "UA".parse().unwrap(),
        },
    }];
    let frame = Frame {
        lang: Lang::Ru,
        party: "US",
        as_of: None,
        at,
    };
    let page = |body: String| dashboard::layout(&frame, None, "page", &body);
    let mut g = c.benchmark_group("dashboard page, 100,000 records");
    g.sample_size(10);
    g.bench_function("overview", |b| {
        b.iter(|| {
            page(dashboard::overview(
                &frame,
                &Overview {
                    agreements: &[],
                    findings: black_box(&twenty_thousand),
                    deadlines: &deadlines,
                    logs: &[],
                    alerts: &[],
                },
            ))
        })
    });
    g.bench_function("findings: violations, first 100 of 20,000", |b| {
        let q = FindingsQuery {
            severity: Some("violation".into()),
            ..Default::default()
        };
        b.iter(|| {
            page(dashboard::findings_page(
                &frame,
                black_box(&twenty_thousand),
                &q,
            ))
        })
    });
    g.bench_function("findings: all, first 100 of 20,000", |b| {
        let q = FindingsQuery::default();
        b.iter(|| {
            page(dashboard::findings_page(
                &frame,
                black_box(&twenty_thousand),
                &q,
            ))
        })
    });
    let agreements = scenario.agreements.clone();
    g.bench_function("timeline", |b| {
        b.iter(|| {
            page(
                dashboard::timeline(
                    &frame,
                    &ReportInput {
                        title: "",
                        description: "",
                        agreements: &agreements,
                        assumed: &[],
                        state: black_box(&state),
                        at,
                        findings: &findings,
                        lang: frame.lang,
                    },
                )
                .unwrap(),
            )
        })
    });
    g.bench_function("escrow", |b| {
        b.iter(|| page(dashboard::escrow(&frame, black_box(&records), &[])))
    });
    let rows: Vec<HotlineRow> = (0..1000u64)
        .map(|seq| HotlineRow {
            peer: "RU".into(),
            seq,
            text: format!("message {seq}"),
            sent_at: at,
            delivered: Some(at),
            read: None,
        })
        .collect();
    g.bench_function("hotline, 1,000 messages each way", |b| {
        b.iter(|| {
            page(dashboard::hotline(
                &frame,
                &["RU".to_owned()],
                black_box(&rows),
                &rows,
                true,
            ))
        })
    });
    let proof: Vec<String> = (0..17).map(|i| format!("{i:0>44}")).collect();
    g.bench_function("record", |b| {
        b.iter(|| {
            page(dashboard::record_page(
                &frame,
                &RecordPage {
                    record: black_box(&records[RECORDS / 2]),
                    origin: "accord.example/US",
                    index: 50_000,
                    entry_b64: "AAAA",
                    proof: &proof,
                    checkpoint: "accord.example/US\n100000\nAAAA\n",
                    node_keys: &[],
                },
            ))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
