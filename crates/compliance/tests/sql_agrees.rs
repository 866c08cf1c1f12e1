//! The SQL the `sql` bench measures gives the engine's answers: limits per party and date,
//! overdue replies and unnotified activities above a threshold, on a small data set of the same
//! shape.

use accord_compliance::Engine;
use accord_state::State;

#[path = "../benches/sql/side_by_side.rs"]
mod side_by_side;

use side_by_side::Size;

#[test]
fn sql_gives_the_engines_answers() {
    let size = Size {
        sites: 20,
        notifications: 600,
        observations: 600,
        requests: 300,
    };
    let agreements = side_by_side::agreements();
    let state = State::from_records(side_by_side::records(size)).expect("the records are valid");
    let db = side_by_side::load(&state, &agreements).expect("the records load into SQLite");
    let at = side_by_side::evaluated_at();
    let findings = Engine::new(agreements.clone())
        .evaluate(&state, at)
        .findings();
    let from_engine = side_by_side::from_findings(&findings, &state, &agreements);
    let from_sql = side_by_side::ask(&db, at).expect("the questions run");

    // Every question has answers of each kind, so that agreeing says something.
    assert_eq!(from_engine.limits.len(), 6, "three limits for two parties");
    assert!(from_engine.limits.iter().any(|l| l.5), "a limit exceeded");
    assert!(from_engine.limits.iter().any(|l| !l.5), "a limit kept");
    assert!(
        from_engine.overdue.iter().any(|o| o.3.is_some()),
        "a late reply"
    );
    assert!(
        from_engine.overdue.iter().any(|o| o.3.is_none()),
        "a missing reply"
    );
    assert!(
        from_engine.unnotified.iter().any(|u| u.3.len() > 1),
        "a run of several observations"
    );
    assert!(
        from_engine.unnotified.len() > 10,
        "unnotified activities: {}",
        from_engine.unnotified.len()
    );

    eprintln!("{}", from_engine.describe());
    assert_eq!(from_engine.limits, from_sql.limits);
    assert_eq!(from_engine.overdue, from_sql.overdue);
    assert_eq!(from_engine.unnotified, from_sql.unnotified);
}
