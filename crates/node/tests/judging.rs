//! The node's judge gives the same findings, digest and unused records whatever order the logs'
//! records and cosignatures arrive in: the findings of a fresh evaluation of the state folded in
//! (log, index) order and timed by the same cosignatures.

use std::path::Path;

use accord_compliance::{Engine, Scenario};
use accord_model::{Finding, Instant, PartyId, Record};
use accord_node::judge::{Judge, resolve_agreement};
use accord_node::node::LoggedRecord;
use accord_state::{Cosignature, LogPosition, State};

/// A small deterministic generator (xorshift), so that a failing order can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

/// The crisis scenario's records as the parties' logs, and a copy of Ukraine's request logged
/// again by Belarus (a repeated id: the (log, index) order decides which one the state holds).
fn logs() -> Vec<(PartyId, Vec<Record>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/2022-crisis");
    let s = Scenario::load(&dir).unwrap();
    let mut logs: Vec<(PartyId, Vec<Record>)> = Vec::new();
    for r in s.state.records() {
        match logs.iter_mut().find(|(p, _)| *p == r.party) {
            Some((_, v)) => v.push(r.clone()),
            None => logs.push((r.party.clone(), vec![r.clone()])),
        }
    }
    let copy = s
        .state
        .records()
        .iter()
        .find(|r| r.id.as_str() == "UA-2022-02-11-VD-III")
        .unwrap()
        .clone();
    logs.iter_mut()
        .find(|(p, _)| p.as_str() == "BY")
        .unwrap()
        .1
        .push(copy);
    logs
}

/// Cosignatures on each log: the next party in the list cosigns every size of it, a day apart.
fn cosignatures(logs: &[(PartyId, Vec<Record>)]) -> Vec<Cosignature> {
    let start: Instant = "2022-02-01T00:00:00Z".parse().unwrap();
    let mut out = Vec::new();
    for (k, (log, records)) in logs.iter().enumerate() {
        let cosigner = logs[(k + 1) % logs.len()].0.clone();
        for size in 1..=records.len() as u64 {
            out.push(Cosignature {
                log: log.clone(),
                size,
                cosigner: cosigner.clone(),
                timestamp: start
                    .checked_add(jiff::SignedDuration::from_hours(24 * size as i64))
                    .unwrap(),
            });
        }
    }
    out
}

/// The findings of a fresh evaluation of `records` folded in (log, index) order, timed by
/// `cosignatures`.
fn reference(
    engine: &Engine,
    records: &[LoggedRecord],
    cosignatures: &[Cosignature],
    at: Instant,
) -> Vec<Finding> {
    let mut sorted: Vec<&LoggedRecord> = records.iter().collect();
    sorted.sort_by(|a, b| (a.0.as_str(), a.1).cmp(&(b.0.as_str(), b.1)));
    let mut state = State::new();
    let mut positions = Vec::new();
    for (log, index, record) in sorted {
        let position = LogPosition {
            log: log.clone(),
            index: *index,
        };
        if let Ok(i) = state.append_logged(record.clone(), position.clone()) {
            positions.push((i, position));
        }
    }
    state.apply_cosignatures(&positions, cosignatures);
    engine.evaluate(&state, at).findings()
}

/// Fails naming the findings one list has and the other has not.
fn same(got: &[Finding], want: &[Finding], what: &str) {
    if got == want {
        return;
    }
    let line = |f: &Finding| {
        format!(
            "{} {} {} {:?}: {} {:?}",
            f.agreement, f.provision, f.party, f.severity, f.summary, f.evidence
        )
    };
    let extra: Vec<String> = got.iter().filter(|f| !want.contains(f)).map(line).collect();
    let missing: Vec<String> = want.iter().filter(|f| !got.contains(f)).map(line).collect();
    panic!(
        "{what}: findings differ ({} and {})\n  extra: {extra:#?}\n  missing: {missing:#?}",
        got.len(),
        want.len()
    );
}

#[test]
fn any_order_of_records_and_cosignatures_gives_the_sorted_folds_findings() {
    let ids = [
        "vienna-document-2011",
        "new-start",
        "inf",
        "us-proposal-2022",
        "nato-proposal-2022",
    ];
    let files: Vec<_> = ids
        .iter()
        .map(|id| resolve_agreement(id).unwrap())
        .collect();
    let engine = Engine::new(files.iter().map(|f| f.agreement.clone()).collect());
    let logs = logs();
    assert!(logs.len() >= 3);
    let all_cosignatures = cosignatures(&logs);
    let at: Instant = "2022-02-21T00:00:00Z".parse().unwrap();
    let mut digests = std::collections::BTreeSet::new();
    let mut unused = std::collections::BTreeSet::new();
    for seed in 1..=12u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let judge = Judge::new(&files);
        let mut next = vec![0usize; logs.len()];
        let mut cosigned = vec![0usize; logs.len()];
        let mut records: Vec<LoggedRecord> = Vec::new();
        loop {
            let open: Vec<usize> = (0..logs.len())
                .filter(|&k| next[k] < logs[k].1.len())
                .collect();
            if open.is_empty() {
                break;
            }
            // One to three records of one log, as a mirror batch brings them.
            let k = open[rng.below(open.len())];
            for _ in 0..=rng.below(3) {
                if next[k] < logs[k].1.len() {
                    records.push((
                        logs[k].0.clone(),
                        next[k] as u64,
                        logs[k].1[next[k]].clone(),
                    ));
                    next[k] += 1;
                }
            }
            // Cosignatures arrive later than the records, log by log, and are never lost.
            for (c, n) in cosigned.iter_mut().zip(&next) {
                if rng.below(2) == 0 {
                    *c = *n;
                }
            }
            let held: Vec<Cosignature> = all_cosignatures
                .iter()
                .filter(|c| {
                    let k = logs.iter().position(|(p, _)| *p == c.log).unwrap_or(0);
                    c.size as usize <= cosigned[k]
                })
                .cloned()
                .collect();
            let judged = judge.judge(&records, &held, at);
            let expected = reference(&engine, &records, &held, at);
            same(
                &judged.findings,
                &expected,
                &format!("seed {seed} after {} records", records.len()),
            );
        }
        let judged = judge.judge(&records, &all_cosignatures, at);
        let expected = reference(&engine, &records, &all_cosignatures, at);
        same(
            &judged.findings,
            &expected,
            &format!("seed {seed}: all records"),
        );
        assert!(
            judged
                .findings
                .iter()
                .any(|f| f.provision.as_str() == accord_compliance::RECORD_TIME_PROVISION),
            "the cosignatures time the records: some are dated after they were held"
        );
        digests.insert(accord_model::findings_digest(&judged.findings));
        unused.insert(format!("{:?}", judged.unused));
        // The copy in Belarus's log sorts first: Ukraine's own is the one refused.
        assert_eq!(judged.unused.len(), 1, "{:?}", judged.unused);
        assert_eq!(judged.unused[0].log, p("UA"));
    }
    assert_eq!(digests.len(), 1);
    assert_eq!(unused.len(), 1);
}
