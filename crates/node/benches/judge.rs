//! From one incoming record to the node's updated evaluation, over a node state of 1,000,000
//! holdings (New START declarations of the United States and Russia) and 100,000 activities
//! (Vienna Document notifications of the United States, Russia and Belarus), each party's
//! records in its own log. The state is folded once, outside the measured loop; each step then
//! logs one more notification in one party's log and asks the judge for the findings at the
//! same instant: the record is folded into the kept state and the kept evaluation brought up
//! to date with the engine's update. Prints p50 and p99.
//!
//! `cargo bench -p accord-node --bench judge -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::time::{Duration, Instant as Clock};

use accord_model::{
    Activity, ActivityKind, AgreementId, Area, Category, Date, Declaration, ForceCount, Holding,
    HoldingStatus, Instant, Notification, PartyId, Record, RecordBody, RecordId, SiteId, ZoneId,
};
use accord_node::judge::{Judge, resolve_agreement};
use accord_node::node::LoggedRecord;
use criterion::Criterion;

const PARTIES: [&str; 3] = ["US", "RU", "BY"];
const ZONES: [&str; 4] = ["belarus", "poland", "lithuania", "russia-european-part"];
const CATEGORIES: [&str; 5] = [
    "icbms",
    "slbms",
    "heavy_bombers",
    "warheads",
    "icbm_launchers",
];

/// A deterministic source of numbers (xorshift).
struct Numbers(u64);

impl Numbers {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn day(&mut self) -> Date {
        let (y, m, d) = (self.below(10), self.below(12), self.below(28));
        Date::new(2016 + y as i16, 1 + m as i8, 1 + d as i8).unwrap()
    }
}

/// 20 declarations of each of the United States and Russia (twice a year for ten years), each
/// of 5,000 sites with 5 categories: 1,000,000 holdings.
fn declarations(logs: &mut [Vec<Record>; 3], n: &mut Numbers) {
    for (k, party) in PARTIES[..2].iter().enumerate() {
        for half in 0..20 {
            let as_of = Date::new(2016 + half / 2, if half % 2 == 0 { 3 } else { 9 }, 1).unwrap();
            let holdings = (0..25_000u64)
                .map(|h| Holding {
                    site: Some(SiteId::new(format!("site-{k}-{}", h / 5)).unwrap()),
                    category: Category::new(CATEGORIES[(h % 5) as usize]).unwrap(),
                    status: HoldingStatus::Deployed,
                    count: n.below(2),
                    derived: None,
                })
                .collect();
            logs[k].push(Record {
                id: RecordId::new(format!("{party}-NS-{as_of}")).unwrap(),
                party: PartyId::new(*party).unwrap(),
                issued_at: accord_state::start_of(as_of),
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

/// A notification of an exercise by the party of log `k`, number `i`, notified 30 to 60 days
/// ahead, below or above the threshold.
fn notification(k: usize, i: u64, n: &mut Numbers) -> Record {
    let start = n.day();
    let lead = jiff::Span::new().days(30 + n.below(30) as i64);
    Record {
        id: RecordId::new(format!("{}-N-{i}", PARTIES[k])).unwrap(),
        party: PartyId::new(PARTIES[k]).unwrap(),
        issued_at: accord_state::start_of(start.checked_sub(lead).unwrap()),
        body: RecordBody::Notification(Notification {
            agreement: AgreementId::new("vienna-document-2011").unwrap(),
            activity: Activity {
                name: "exercise".into(),
                kind: ActivityKind::Exercise,
                start,
                end: start.checked_add(jiff::Span::new().days(5)).unwrap(),
                area: Area {
                    zone: Some(ZoneId::new(ZONES[n.below(4) as usize]).unwrap()),
                    description: "exercise area".into(),
                },
                forces: vec![ForceCount {
                    category: Category::new("troops").unwrap(),
                    count: 1_000 + n.below(14_000),
                }],
                participants: Vec::new(),
            },
        }),
    }
}

/// The three logs, as (log, index, record) in the order a node would have received them.
fn logged(logs: &[Vec<Record>; 3]) -> Vec<LoggedRecord> {
    let mut out = Vec::new();
    for (k, log) in logs.iter().enumerate() {
        let party = PartyId::new(PARTIES[k]).unwrap();
        out.extend(
            log.iter()
                .enumerate()
                .map(|(i, r)| (party.clone(), i as u64, r.clone())),
        );
    }
    out
}

fn main() {
    let files: Vec<_> = ["vienna-document-2011", "new-start"]
        .iter()
        .map(|id| resolve_agreement(id).unwrap())
        .collect();
    let judge = Judge::new(&files);
    let mut n = Numbers(0x2545_F491_4F6C_DD1D);
    let mut logs: [Vec<Record>; 3] = Default::default();
    declarations(&mut logs, &mut n);
    for i in 0..100_000u64 {
        let k = n.below(3) as usize;
        logs[k].push(notification(k, i, &mut n));
    }
    let mut records = logged(&logs);
    let mut sizes: Vec<u64> = logs.iter().map(|l| l.len() as u64).collect();
    let at: Instant = "2026-01-01T00:00:00Z".parse().unwrap();
    let started = Clock::now();
    let first = judge.judge(&records, &[], at);
    eprintln!(
        "folded and evaluated {} records ({} findings) in {:.1} s",
        records.len(),
        first.findings.len(),
        started.elapsed().as_secs_f64()
    );
    let mut next = 100_000u64;
    let mut one = |records: &mut Vec<LoggedRecord>| {
        let k = (next % 3) as usize;
        let record = notification(k, next, &mut n);
        next += 1;
        records.push((PartyId::new(PARTIES[k]).unwrap(), sizes[k], record));
        sizes[k] += 1;
        let start = Clock::now();
        judge.update(black_box(records), &[], at);
        start.elapsed()
    };
    let mut took: Vec<Duration> = (0..2_000).map(|_| one(&mut records)).collect();
    let listed = Clock::now();
    let findings = judge.judge(&records, &[], at).findings.len();
    eprintln!(
        "listing the {findings} findings after them: {:.1} ms",
        listed.elapsed().as_secs_f64() * 1e3
    );
    took.sort();
    let pct = |q: f64| took[((took.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    eprintln!(
        "one record to the updated evaluation ({} records): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        took.len(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        took[took.len() - 1].as_secs_f64() * 1e3
    );
    let mut c = Criterion::default().configure_from_args();
    c.bench_function("judge/one_record_to_the_updated_evaluation", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| one(&mut records)).sum())
    });
    c.final_summary();
}
