//! The engine against plain SQL: one synthetic data set of three parties (New START
//! declarations with 240,000 holdings, 30,000 notified activities, 31,500 observations, 10,000
//! requests for explanation with their replies) evaluated by the engine in full, and the three
//! questions an analyst would otherwise ask of it in SQLite (limits per party and date, overdue
//! replies, unnotified activities above a threshold), measured side by side in one run after
//! checking that both give the same answers.
//!
//! Run: cargo bench -p accord-compliance --bench sql

use std::hint::black_box;
use std::time::Instant as Clock;

use accord_compliance::Engine;
use accord_state::State;
use criterion::{Criterion, criterion_group, criterion_main};

/// The binary's allocator, so that the engine is measured as `accord` runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "sql/side_by_side.rs"]
mod side_by_side;

use side_by_side::Size;

const SIZE: Size = Size {
    sites: 1_000,
    notifications: 30_000,
    observations: 30_000,
    requests: 10_000,
};

/// The mean time of `runs` calls, in seconds.
fn mean(runs: u32, mut f: impl FnMut()) -> f64 {
    let start = Clock::now();
    for _ in 0..runs {
        f();
    }
    start.elapsed().as_secs_f64() / f64::from(runs)
}

/// How many rounds time the engine and the SQL in turn.
const ROUNDS: usize = 5;

/// How many runs of each a round times, one after another (the first warms the caches for
/// the others, as criterion's warm-up does).
const RUNS: u32 = 3;

/// The median of `values` (sorted in place).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn bench(c: &mut Criterion) {
    let agreements = side_by_side::agreements();
    let state = State::from_records(side_by_side::records(SIZE)).expect("the records are valid");
    let engine = Engine::new(agreements.clone());
    let db = side_by_side::load(&state, &agreements).expect("the records load into SQLite");
    let at = side_by_side::evaluated_at();

    let findings = engine.evaluate(&state, at).findings();
    let from_engine = side_by_side::from_findings(&findings, &state, &agreements);
    let from_sql = side_by_side::ask(&db, at).expect("the questions run");
    assert_eq!(from_engine, from_sql, "the engine and SQL answer alike");
    eprintln!(
        "{} records, {} findings; both answer: {}",
        state.len(),
        findings.len(),
        from_sql.describe()
    );

    let mut group = c.benchmark_group("engine vs sql");
    group.sample_size(10);
    group.bench_function("engine: full evaluation", |b| {
        b.iter(|| black_box(engine.evaluate(&state, at)))
    });
    group.bench_function("sql: the three questions", |b| {
        b.iter(|| black_box(side_by_side::ask(&db, at).expect("the questions run")))
    });
    group.finish();

    // The engine and the SQL timed in turn, round by round, so that a slow spell of the
    // machine weighs on both alike; each round's ratio compares them under the same load.
    let (mut engine_s, mut sql_s, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let e = mean(RUNS, || {
            black_box(engine.evaluate(&state, at));
        });
        let q = mean(RUNS, || {
            black_box(side_by_side::ask(&db, at).expect("the questions run"));
        });
        engine_s.push(e);
        sql_s.push(q);
        ratios.push(q / e);
    }
    for (name, question) in side_by_side::QUESTIONS {
        let s = mean(5, || {
            let mut answers = side_by_side::Answers::default();
            question(&db, at, &mut answers).expect("the question runs");
            black_box(answers);
        });
        eprintln!("sql, {name}: {:.1} ms", s * 1e3);
    }
    let (lowest, highest) = ratios
        .iter()
        .fold((f64::MAX, 0.0_f64), |(lo, hi), &r| (lo.min(r), hi.max(r)));
    eprintln!(
        "{ROUNDS} rounds in turn, each the mean of {RUNS} runs; medians: engine {:.1} ms, sql \
         {:.1} ms: the engine is {:.1} times faster (median of the rounds' ratios; lowest {:.1}, \
         highest {:.1})",
        median(&mut engine_s) * 1e3,
        median(&mut sql_s) * 1e3,
        median(&mut ratios),
        lowest,
        highest
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
