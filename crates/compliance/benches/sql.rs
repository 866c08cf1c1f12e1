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

    let engine_s = mean(5, || {
        black_box(engine.evaluate(&state, at));
    });
    let sql_s = mean(5, || {
        black_box(side_by_side::ask(&db, at).expect("the questions run"));
    });
    eprintln!(
        "mean of 5: engine {:.1} ms, sql {:.1} ms: the engine is {:.1} times faster",
        engine_s * 1e3,
        sql_s * 1e3,
        sql_s / engine_s
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
