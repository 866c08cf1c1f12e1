//! CEL conditions: compiled at load time, evaluated over the documented variables.

use accord_agreements::{Condition, EvalError, Status, Vars};
use accord_model::{Activity, ActivityKind, Area, Category, Date, ForceCount, PartyId, ZoneId};

fn activity(kind: ActivityKind, troops: u64) -> Activity {
    Activity {
        name: "Union Resolve 2022".into(),
        kind,
        start: "2022-02-10".parse().unwrap(),
        end: "2022-02-20".parse().unwrap(),
        area: Area {
            zone: Some(ZoneId::new("belarus").unwrap()),
            description: "five training grounds".into(),
        },
        forces: vec![ForceCount {
            category: Category::new("troops").unwrap(),
            count: troops,
        }],
        participants: vec![PartyId::new("BY").unwrap()],
    }
}

fn vars() -> Vars {
    let date: Date = "2022-02-15".parse().unwrap();
    Vars::new(&PartyId::new("RU").unwrap(), date, Some(Status::InForce))
}

fn eval(src: &str, vars: &Vars) -> Result<bool, EvalError> {
    Condition::compile(src).unwrap().evaluate(vars)
}

#[test]
fn activity_fields_and_categories() {
    let v = vars().with_activity(&activity(ActivityKind::Exercise, 30_000));
    assert!(eval("activity.troops >= 13000", &v).unwrap());
    assert!(!eval("activity.troops >= 40001", &v).unwrap());
    // Categories the activity does not involve read as 0.
    assert!(eval("activity.battle_tanks == 0", &v).unwrap());
    assert!(
        eval(
            "activity.kind == 'exercise' && activity.zone == 'belarus'",
            &v
        )
        .unwrap()
    );
    assert!(eval("activity.days == 11 && activity.start == '2022-02-10'", &v).unwrap());
    assert!(eval("'BY' in activity.participants", &v).unwrap());
    let v = vars().with_activity(&activity(ActivityKind::AlertActivity, 100));
    assert!(!eval("activity.kind == 'exercise'", &v).unwrap());
}

#[test]
fn party_date_status_level_limit() {
    let v = vars().with_level(1_444, 1_550);
    assert!(eval("party == 'RU' && status == 'in_force'", &v).unwrap());
    assert!(eval("date >= '2018-02-05' && date < '2026-02-05'", &v).unwrap());
    assert!(eval("level <= limit", &v).unwrap());
    assert!(!eval("limit - level > 200", &v).unwrap());
}

#[test]
fn non_boolean_result_is_an_error() {
    let e = eval("level + 1", &vars()).unwrap_err();
    assert!(matches!(e, EvalError::NotBoolean { .. }), "{e}");
    // Said in words, not in the interpreter's debug form.
    assert_eq!(
        e.to_string(),
        "condition `level + 1` gave the number 1, expected a boolean"
    );
    let e = eval("party", &vars()).unwrap_err();
    assert!(e.to_string().contains("gave the text \"RU\""), "{e}");
}

#[test]
fn runtime_error_is_an_error_not_a_panic() {
    let e = eval("activity.nonexistent > 3", &vars()).unwrap_err();
    assert!(matches!(e, EvalError::Execution { .. }), "{e}");
    let e = eval("level / 0 == 1", &vars()).unwrap_err();
    assert!(matches!(e, EvalError::Execution { .. }), "{e}");
}

#[test]
fn compile_rejects_syntax_errors_and_unknown_variables() {
    let e = Condition::compile("level >").unwrap_err();
    assert_eq!(e.line, 1);
    assert!(e.message.contains("CEL syntax error"), "{e}");
    let e = Condition::compile("level > 0 && troops > 3").unwrap_err();
    assert_eq!(e.column, 14);
    assert!(e.message.contains("unknown variable `troops`"), "{e}");
}

#[test]
fn conditions_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync>(_: &T) {}
    let c = Condition::compile("level <= limit").unwrap();
    shareable(&c);
    let v = vars().with_level(1, 2);
    let handle = std::thread::spawn(move || c.evaluate(&v).unwrap());
    assert!(handle.join().unwrap());
}

#[test]
fn a_comprehension_over_participants_is_evaluated_and_bounded() {
    let cond = "activity.participants.exists(p, p == 'BY')";
    let mut a = activity(ActivityKind::Exercise, 9_000);
    assert!(eval(cond, &vars().with_activity(&a)).unwrap());
    // More participants than a condition's cost was bounded for: refused, not run.
    a.participants = (0..300)
        .map(|i| PartyId::new(format!("P{i}")).unwrap())
        .collect();
    let e = eval(cond, &vars().with_activity(&a)).unwrap_err();
    assert!(
        matches!(
            e,
            EvalError::TooLarge {
                size: 300,
                max: 256,
                ..
            }
        ),
        "{e}"
    );
}
