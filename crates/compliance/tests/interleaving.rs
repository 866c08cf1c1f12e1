//! Findings do not depend on the order in which the logs' records arrive: a state built from
//! any interleaving of the parties' logs (each log in its own order), evaluated once or brought
//! up to date record by record, gives the findings and digest of a fresh evaluation of the state
//! folded in (log, index) order.

use std::path::Path;

use accord_compliance::{Engine, Scenario};
use accord_model::{AgreementId, Finding, Instant, PartyId, Record};
use accord_state::{LogPosition, State};

/// A small deterministic generator (xorshift), so that a failing interleaving can be replayed.
struct Xorshift(u64);

impl Xorshift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn scenario(name: &str) -> Scenario {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    Scenario::load(&dir).unwrap()
}

/// Each party's records in scenario order: the party's log.
fn logs(records: &[Record]) -> Vec<(PartyId, Vec<Record>)> {
    let mut logs: Vec<(PartyId, Vec<Record>)> = Vec::new();
    for r in records {
        match logs.iter_mut().find(|(p, _)| *p == r.party) {
            Some((_, v)) => v.push(r.clone()),
            None => logs.push((r.party.clone(), vec![r.clone()])),
        }
    }
    logs
}

/// A random interleaving of the logs, each kept in its own order.
fn interleave(logs: &[(PartyId, Vec<Record>)], rng: &mut Xorshift) -> Vec<(LogPosition, Record)> {
    let mut next = vec![0usize; logs.len()];
    let mut out = Vec::new();
    loop {
        let open: Vec<usize> = (0..logs.len())
            .filter(|&k| next[k] < logs[k].1.len())
            .collect();
        if open.is_empty() {
            return out;
        }
        let k = open[rng.below(open.len())];
        let (log, records) = &logs[k];
        let position = LogPosition {
            log: log.clone(),
            index: next[k] as u64,
        };
        out.push((position, records[next[k]].clone()));
        next[k] += 1;
    }
}

/// The state of the logs folded in (log, index) order, as the judging of an export folds them.
fn sorted_fold(logs: &[(PartyId, Vec<Record>)]) -> State {
    let mut sorted: Vec<&(PartyId, Vec<Record>)> = logs.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut state = State::new();
    for (log, records) in sorted {
        for (index, r) in (0..).zip(records) {
            let at = LogPosition {
                log: log.clone(),
                index,
            };
            state.append_logged(r.clone(), at).unwrap();
        }
    }
    state
}

/// Fails naming the findings one list has and the other has not.
fn same(got: &[Finding], want: &[Finding], what: &str) {
    if got == want {
        return;
    }
    let line = |f: &Finding| {
        format!(
            "{} {} {} {:?}: {}",
            f.agreement, f.provision, f.party, f.severity, f.summary
        )
    };
    let extra: Vec<String> = got.iter().filter(|f| !want.contains(f)).map(line).collect();
    let missing: Vec<String> = want.iter().filter(|f| !got.contains(f)).map(line).collect();
    let mut order = Vec::new();
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        if g != w {
            order.push(format!("{k}: {} / {}", line(g), line(w)));
            order.push(format!("{g:?}\n{w:?}"));
            break;
        }
    }
    panic!(
        "{what}: findings differ ({} and {})\n  extra: {extra:#?}\n  missing: {missing:#?}\n  first difference: {order:#?}",
        got.len(),
        want.len()
    );
}

fn check(name: &str, assume: &[&str], instants: &[&str], runs: u64) {
    let s = scenario(name);
    let assume: Vec<AgreementId> = assume
        .iter()
        .map(|a| AgreementId::new(*a).unwrap())
        .collect();
    let engine: Engine = s.engine(&assume).unwrap();
    let logs = logs(s.state.records());
    assert!(logs.len() >= 2, "{name}: {} logs", logs.len());
    let reference = sorted_fold(&logs);
    for when in instants {
        let at: Instant = when.parse().unwrap();
        let expected: Vec<Finding> = engine.evaluate(&reference, at).findings();
        assert!(
            !expected.is_empty(),
            "{name} at {when}: no findings to compare"
        );
        let digest = accord_model::findings_digest(&expected);
        for seed in 1..=runs {
            let mut rng = Xorshift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let arrivals = interleave(&logs, &mut rng);
            let mut state = State::new();
            let mut eval = engine.evaluate(&state, at);
            for (k, (position, record)) in arrivals.into_iter().enumerate() {
                state.append_logged(record, position).unwrap();
                engine.update(&mut eval, &state);
                if k % 7 == 0 {
                    same(
                        &eval.findings(),
                        &engine.evaluate(&state, at).findings(),
                        &format!("{name} at {when}, seed {seed}: update after {k} records"),
                    );
                }
            }
            let updated = eval.findings();
            same(
                &updated,
                &expected,
                &format!("{name} at {when}, seed {seed}: updated"),
            );
            assert_eq!(accord_model::findings_digest(&updated), digest);
            let fresh = engine.evaluate(&state, at).findings();
            same(
                &fresh,
                &expected,
                &format!("{name} at {when}, seed {seed}: fresh"),
            );
        }
    }
}

#[test]
fn the_crisis_logs_in_any_order_give_the_sorted_folds_findings() {
    check(
        "2022-crisis",
        &["us-proposal-2022", "nato-proposal-2022"],
        &["2022-02-12T00:00:00Z", "2022-02-21T00:00:00Z"],
        20,
    );
}

#[test]
fn the_new_start_logs_in_any_order_give_the_sorted_folds_findings() {
    check(
        "new-start-history",
        &[],
        &["2019-01-01T00:00:00Z", "2024-01-01T00:00:00Z"],
        20,
    );
}

#[test]
fn a_log_whose_name_sorts_first_arriving_last_renumbers_the_order() {
    let s = scenario("2022-crisis");
    let logs = logs(s.state.records());
    let mut by_name: Vec<&(PartyId, Vec<Record>)> = logs.iter().collect();
    by_name.sort_by(|a, b| b.0.cmp(&a.0));
    let mut state = State::new();
    for (log, records) in by_name {
        for (k, r) in records.iter().enumerate() {
            let position = LogPosition {
                log: log.clone(),
                index: k as u64,
            };
            state.append_logged(r.clone(), position).unwrap();
        }
    }
    // Every log after the first sorts before those held: the order was renumbered each time.
    assert_eq!(state.renumbered(), logs.len() - 1);
    let engine = s.engine(&[]).unwrap();
    let at: Instant = "2022-02-21T00:00:00Z".parse().unwrap();
    assert_eq!(
        engine.evaluate(&state, at).findings(),
        engine.evaluate(&sorted_fold(&logs), at).findings()
    );
}
