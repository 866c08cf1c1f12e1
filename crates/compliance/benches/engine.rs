//! The compliance engine at scale: a synthetic state of 1,000,000 holdings across 10,000 sites
//! and 100,000 activities over ten years, evaluated against all five embedded agreements (the
//! two proposals assumed in force); then the cost of one more record.
//!
//! Run: cargo bench -p accord-compliance --bench engine -- --warm-up-time 1 --measurement-time 3

use std::hint::black_box;

use accord_compliance::Engine;
use accord_model::{
    Activity, ActivityKind, AgreementId, Area, Category, Confidence, Declaration,
    ExplanationRequest, ForceCount, Holding, HoldingStatus, Instant, Notification, Observation,
    PartyId, ProvisionId, Qualifier, Record, RecordBody, RecordId, SiteId, Source, ZoneId,
};
use accord_state::State;
use criterion::{Criterion, criterion_group, criterion_main};

/// The binary's allocator, so that the engine is measured as `accord` runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const VD_PARTIES: [&str; 13] = [
    "US", "RU", "UA", "BY", "PL", "RO", "BG", "LT", "LV", "EE", "GB", "FR", "DE",
];
const ZONES: [&str; 6] = [
    "near-ukraine",
    "belarus",
    "poland",
    "romania",
    "lithuania",
    "russia-european-part",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn date(y: i16, m: i8, d: i8) -> accord_model::Date {
    accord_model::Date::new(y, m, d).unwrap()
}

fn instant(d: accord_model::Date) -> Instant {
    accord_state::start_of(d)
}

fn area(zone: &str) -> Area {
    Area {
        zone: Some(ZoneId::new(zone).unwrap()),
        description: zone.to_owned(),
    }
}

/// 40 New START declarations (US and RU, twice a year for ten years), each naming 5,000 sites
/// with 5 categories: 1,000,000 holdings across 10,000 sites.
fn declarations(out: &mut Vec<Record>, rng: &mut Rng) {
    let cats: Vec<Category> = [
        "icbms",
        "slbms",
        "heavy_bombers",
        "warheads",
        "icbm_launchers",
    ]
    .iter()
    .map(|c| Category::new(*c).unwrap())
    .collect();
    for (p, party) in ["US", "RU"].iter().enumerate() {
        for y in 2016..2026 {
            for m in [3, 9] {
                let as_of = date(y, m, 1);
                let mut holdings = Vec::with_capacity(25_000);
                for s in 0..5_000 {
                    let site = SiteId::new(format!("site-{}", p * 5_000 + s)).unwrap();
                    for c in &cats {
                        holdings.push(Holding {
                            site: Some(site.clone()),
                            category: c.clone(),
                            status: HoldingStatus::Deployed,
                            count: rng.below(2) * (s % 3 == 0) as u64,
                            derived: None,
                        });
                    }
                }
                out.push(Record {
                    id: RecordId::new(format!("{party}-NS-{as_of}")).unwrap(),
                    party: PartyId::new(*party).unwrap(),
                    issued_at: instant(as_of),
                    body: RecordBody::Declaration(Declaration {
                        agreement: AgreementId::new("new-start").unwrap(),
                        as_of,
                        holdings,
                        source: None,
                        channel: Default::default(),
                    }),
                });
            }
        }
    }
}

fn notification(
    id: String,
    party: &str,
    start: accord_model::Date,
    troops: u64,
    zone: &str,
    lead: i64,
) -> Record {
    let issued = start.checked_sub(jiff::Span::new().days(lead)).unwrap();
    Record {
        id: RecordId::new(id).unwrap(),
        party: PartyId::new(party).unwrap(),
        issued_at: instant(issued),
        body: RecordBody::Notification(Notification {
            agreement: AgreementId::new("vienna-document-2011").unwrap(),
            activity: Activity {
                name: "exercise".into(),
                kind: ActivityKind::Exercise,
                start,
                end: start.checked_add(jiff::Span::new().days(5)).unwrap(),
                area: area(zone),
                forces: vec![ForceCount {
                    category: Category::new("troops").unwrap(),
                    count: troops,
                }],
                participants: Vec::new(),
            },
        }),
    }
}

/// 99,000 notified activities and 1,000 observed ones over 2016-2025, spread over 13 parties.
fn activities(out: &mut Vec<Record>, rng: &mut Rng) {
    for k in 0..99_000u64 {
        let party = VD_PARTIES[rng.below(13) as usize];
        let start = date(
            2016 + rng.below(10) as i16,
            1 + rng.below(12) as i8,
            1 + rng.below(28) as i8,
        );
        let troops = 1_000 + rng.below(14_000);
        let zone = ZONES[rng.below(6) as usize];
        out.push(notification(
            format!("N-{k}"),
            party,
            start,
            troops,
            zone,
            30 + rng.below(30) as i64,
        ));
    }
    for k in 0..1_000u64 {
        let actor = VD_PARTIES[rng.below(13) as usize];
        let d = date(
            2016 + rng.below(10) as i16,
            1 + rng.below(12) as i8,
            1 + rng.below(28) as i8,
        );
        out.push(Record {
            id: RecordId::new(format!("O-{k}")).unwrap(),
            party: PartyId::new("OSINT").unwrap(),
            issued_at: instant(d),
            body: RecordBody::Observation(Observation {
                source: Source {
                    url: format!("https://example.org/{k}"),
                    outlet: "Example".into(),
                    title: "report".into(),
                    published: d,
                },
                actor: PartyId::new(actor).unwrap(),
                category: Category::new("troops").unwrap(),
                quantity: 5_000 + rng.below(60_000),
                qualifier: Qualifier::About,
                area: area(ZONES[rng.below(6) as usize]),
                date: d,
                attribution: None,
                text: "troops".into(),
                confidence: Confidence {
                    independent_sources: 1,
                    official_sources: 0,
                    score: 40,
                },
            }),
        });
    }
    for k in 0..200u64 {
        let d = date(
            2016 + rng.below(10) as i16,
            1 + rng.below(12) as i8,
            1 + rng.below(28) as i8,
        );
        out.push(Record {
            id: RecordId::new(format!("Q-{k}")).unwrap(),
            party: PartyId::new("UA").unwrap(),
            issued_at: instant(d),
            body: RecordBody::ExplanationRequest(ExplanationRequest {
                agreement: AgreementId::new("vienna-document-2011").unwrap(),
                provision: ProvisionId::new("ch-iii-unusual-activities").unwrap(),
                to: PartyId::new(VD_PARTIES[rng.below(13) as usize]).unwrap(),
                area: area("near-ukraine"),
                text: "explain".into(),
            }),
        });
    }
}

fn setup() -> (Engine, State) {
    let mut rng = Rng(0x5eed_acc0_7d00_0001);
    let mut records = Vec::new();
    declarations(&mut records, &mut rng);
    activities(&mut records, &mut rng);
    records.sort_by(|a, b| a.issued_at.cmp(&b.issued_at).then(a.id.cmp(&b.id)));
    let state = State::from_records(records).unwrap();
    let mut engine = Engine::new(accord_agreements::builtin().unwrap());
    for id in ["us-proposal-2022", "nato-proposal-2022"] {
        engine
            .assume_in_force(&AgreementId::new(id).unwrap())
            .unwrap();
    }
    (engine, state)
}

fn bench(c: &mut Criterion) {
    let (engine, mut state) = setup();
    let holdings: usize = state
        .records()
        .iter()
        .map(|r| match &r.body {
            RecordBody::Declaration(d) => d.holdings.len(),
            _ => 0,
        })
        .sum();
    let at = instant(date(2025, 12, 31));
    let eval = engine.evaluate(&state, at);
    eprintln!(
        "synthetic state: {} records, {holdings} holdings, {} findings",
        state.len(),
        eval.findings().len()
    );
    let mut group = c.benchmark_group("compliance");
    group.sample_size(10);
    group.bench_function(
        "full evaluation (1M holdings, 100k activities, 5 agreements)",
        |b| b.iter(|| black_box(engine.evaluate(&state, at))),
    );
    let mut eval = engine.evaluate(&state, at);
    let mut k = 0u64;
    group.bench_function("re-evaluation after one more record", |b| {
        b.iter(|| {
            k += 1;
            let start = date(2025, 1 + (k % 12) as i8, 1 + (k % 28) as i8);
            let r = notification(
                format!("NEW-{k}"),
                VD_PARTIES[(k % 13) as usize],
                start,
                12_000,
                "poland",
                50,
            );
            state.append(r).unwrap();
            engine.update(&mut eval, &state);
            black_box(eval.worst())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
