//! CEL conditions: compiled when an agreement is loaded, evaluated by the compliance engine.
//!
//! A condition sees these variables (all documented in docs/agreements.md):
//!
//! | variable | CEL type | meaning |
//! | --- | --- | --- |
//! | `party` | string | the party the provision is evaluated for ("RU") |
//! | `date` | string | the evaluation date, `YYYY-MM-DD` (ISO dates compare as strings) |
//! | `status` | string | the agreement's status on that date ("in_force", "proposed", ...) |
//! | `level` | int | the counted level (limits), or 0 |
//! | `limit` | int | the limit's maximum, or 0 |
//! | `activity` | map | the activity considered, or an empty map (see below) |
//!
//! `activity` has `name`, `kind` ("exercise", "alert_activity", ...), `start` and `end`
//! (`YYYY-MM-DD`), `days` (int, inclusive), `zone` (string, "" if none), `participants` (list of
//! strings), and one int per vocabulary category (`activity.troops`, `activity.battle_tanks`, ...;
//! 0 when the activity does not involve it).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use accord_model::{Activity, Date, PartyId};
use cel::common::ast::{EntryExpr, Expr, IdedExpr};
use cel::objects::Key;
use cel::{Context, Env, Program, Value};
use serde::Serialize;

use crate::schema::Status;
use crate::vocabulary::Vocabulary;

/// The variables a condition may refer to.
pub const VARIABLES: &[&str] = &["party", "date", "status", "level", "limit", "activity"];

/// The longest condition accepted, in bytes. Conditions narrow where a provision applies; a
/// real one is a line or two.
pub const MAX_SOURCE_BYTES: usize = 2_000;
/// The deepest nesting of brackets a condition may hold: the parser is recursive, so nesting
/// and operators are bounded before it runs.
pub const MAX_NESTING: usize = 24;
/// The most operators (`+`, `&&`, `==`, `.`, ...) a condition may hold.
pub const MAX_OPERATORS: usize = 64;
/// The deepest expression tree a compiled condition may have.
const MAX_EXPRESSION_DEPTH: usize = 96;
/// The most steps a condition may take in the worst case (each comprehension multiplies its
/// body by the size of what it iterates over).
pub const MAX_COST: u64 = 100_000;
/// The size assumed for a list or map a condition reads from its variables; an evaluation over
/// a bigger one is refused rather than run.
pub const MAX_VARIABLE_COLLECTION: usize = 256;

/// A compiled CEL condition, with its source text.
#[derive(Clone)]
pub struct Condition {
    source: String,
    program: Arc<Program>,
}

/// Why a condition could not be compiled: a message and a 1-based position within the expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CompileError {
    /// Line within the expression, from 1.
    pub line: usize,
    /// Column within the expression's line, from 1.
    pub column: usize,
    /// What was wrong or expected.
    pub message: String,
}

/// Why a condition could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// The expression failed at run time (an unknown key, a type mismatch).
    #[error("condition `{source_text}` failed: {message}")]
    Execution {
        /// The expression.
        source_text: String,
        /// The interpreter's message.
        message: String,
    },
    /// The variables are larger than the condition's cost was bounded for.
    #[error(
        "condition `{source_text}` not evaluated: {what} has {size} elements, more than the {max} a condition may iterate over"
    )]
    TooLarge {
        /// The expression.
        source_text: String,
        /// The variable that is too large.
        what: String,
        /// Its size.
        size: usize,
        /// The bound.
        max: usize,
    },
    /// The expression produced something other than a boolean.
    #[error("condition `{source_text}` gave {found}, expected a boolean")]
    NotBoolean {
        /// The expression.
        source_text: String,
        /// What it produced, in words.
        found: String,
    },
}

impl Condition {
    /// Compiles an expression, refusing syntax errors and variables outside [`VARIABLES`].
    /// Conditions are bounded in size, nesting and worst-case cost ([`MAX_SOURCE_BYTES`],
    /// [`MAX_NESTING`], [`MAX_OPERATORS`], [`MAX_COST`]), so no agreement file can make loading
    /// or evaluation overflow the stack or run for long.
    pub fn compile(source: &str) -> Result<Condition, CompileError> {
        check_shape(source)?;
        let program = Program::compile(source).map_err(|errors| {
            let first = errors.errors.first();
            let (line, column) = first
                .map(|e| (e.pos.0.max(1) as usize, e.pos.1.max(0) as usize + 1))
                .unwrap_or((1, 1));
            let message = first
                .map(|e| e.msg.clone())
                .unwrap_or_else(|| "invalid CEL expression".to_owned());
            CompileError {
                line,
                column,
                message: format!("CEL syntax error: {message}"),
            }
        })?;
        let references = program.references();
        let mut bound = Vec::new();
        comprehension_variables(program.expression(), &mut bound);
        let mut unknown: Vec<&str> = references
            .variables()
            .into_iter()
            .filter(|v| !VARIABLES.contains(v) && !bound.iter().any(|b| b == v))
            .collect();
        unknown.sort_unstable();
        if let Some(name) = unknown.first() {
            let column = source.find(name).map(|i| i + 1).unwrap_or(1);
            return Err(CompileError {
                line: 1,
                column,
                message: format!(
                    "unknown variable `{name}` in condition, expected one of: {}",
                    VARIABLES.join(", ")
                ),
            });
        }
        let cost = cost(program.expression(), 0).map_err(|message| CompileError {
            line: 1,
            column: 1,
            message,
        })?;
        if cost.steps > MAX_COST {
            return Err(CompileError {
                line: 1,
                column: 1,
                message: format!(
                    "condition too costly: up to {} evaluation steps, at most {MAX_COST} allowed \
                     (nested comprehensions multiply)",
                    cost.steps
                ),
            });
        }
        Ok(Condition {
            source: source.to_owned(),
            program: Arc::new(program),
        })
    }

    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates the condition over the variables; it must give a boolean.
    pub fn evaluate(&self, vars: &Vars) -> Result<bool, EvalError> {
        if vars.participants > MAX_VARIABLE_COLLECTION {
            return Err(EvalError::TooLarge {
                source_text: self.source.clone(),
                what: "activity.participants".to_owned(),
                size: vars.participants,
                max: MAX_VARIABLE_COLLECTION,
            });
        }
        let mut context = Context::with_env(Arc::clone(stdlib()));
        context.add_variable_from_value("party", vars.party.clone());
        context.add_variable_from_value("date", vars.date.clone());
        context.add_variable_from_value("status", vars.status.clone());
        context.add_variable_from_value("level", vars.level);
        context.add_variable_from_value("limit", vars.limit);
        context.add_variable_from_value("activity", vars.activity.clone());
        match self.program.execute(&context) {
            Ok(Value::Bool(b)) => Ok(b),
            Ok(other) => Err(EvalError::NotBoolean {
                source_text: self.source.clone(),
                found: describe(&other),
            }),
            Err(e) => Err(EvalError::Execution {
                source_text: self.source.clone(),
                message: e.to_string(),
            }),
        }
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Condition").field(&self.source).finish()
    }
}

impl PartialEq for Condition {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Serialize for Condition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

/// The values a condition is evaluated over. Build with [`Vars::new`] and the `with_` methods.
#[derive(Debug, Clone)]
pub struct Vars {
    party: String,
    date: String,
    status: String,
    level: i64,
    limit: i64,
    activity: Value,
    participants: usize,
}

impl Vars {
    /// Variables for a party on a date; `status` is the agreement's status that day.
    pub fn new(party: &PartyId, date: Date, status: Option<Status>) -> Vars {
        Vars {
            party: party.to_string(),
            date: date.to_string(),
            status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            level: 0,
            limit: 0,
            activity: Value::Map(HashMap::<Key, Value>::new().into()),
            participants: 0,
        }
    }

    /// Sets `level` and `limit` (numerical limits).
    pub fn with_level(mut self, level: u64, limit: u64) -> Vars {
        self.level = i64::try_from(level).unwrap_or(i64::MAX);
        self.limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self
    }

    /// Sets `activity` from an activity record.
    pub fn with_activity(mut self, activity: &Activity) -> Vars {
        let mut map: HashMap<Key, Value> = HashMap::new();
        for category in builtin_categories() {
            map.insert(Key::from(category.as_str()), Value::Int(0));
        }
        for force in &activity.forces {
            let key = Key::from(force.category.as_str());
            let n = i64::try_from(force.count).unwrap_or(i64::MAX);
            let entry = map.entry(key).or_insert(Value::Int(0));
            if let Value::Int(prev) = entry {
                *prev = prev.saturating_add(n);
            }
        }
        let kind = serde_json::to_value(activity.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let days = (activity.end - activity.start).get_days() as i64 + 1;
        map.insert(Key::from("name"), Value::from(activity.name.clone()));
        map.insert(Key::from("kind"), Value::from(kind));
        map.insert(Key::from("start"), Value::from(activity.start.to_string()));
        map.insert(Key::from("end"), Value::from(activity.end.to_string()));
        map.insert(Key::from("days"), Value::Int(days));
        map.insert(
            Key::from("zone"),
            Value::from(
                activity
                    .area
                    .zone
                    .as_ref()
                    .map(|z| z.to_string())
                    .unwrap_or_default(),
            ),
        );
        map.insert(
            Key::from("participants"),
            Value::from(
                activity
                    .participants
                    .iter()
                    .map(|p| Value::from(p.to_string()))
                    .collect::<Vec<_>>(),
            ),
        );
        self.activity = Value::Map(map.into());
        self.participants = activity.participants.len();
        self
    }
}

/// The standard CEL environment, built once (building it costs far more than an evaluation).
fn stdlib() -> &'static Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| Arc::new(Env::stdlib()))
}

fn builtin_categories() -> &'static [accord_model::Category] {
    static CATEGORIES: OnceLock<Vec<accord_model::Category>> = OnceLock::new();
    CATEGORIES.get_or_init(|| Vocabulary::builtin().categories.keys().cloned().collect())
}

/// A value a condition produced, in words for the person who wrote the condition.
fn describe(v: &Value) -> String {
    match v {
        Value::Int(n) => format!("the number {n}"),
        Value::UInt(n) => format!("the number {n}"),
        Value::Float(x) => format!("the number {x}"),
        Value::String(s) => format!("the text \"{s}\""),
        Value::List(l) => format!("a list of {} items", l.len()),
        Value::Map(_) => "a map".to_owned(),
        Value::Null => "null".to_owned(),
        Value::Bytes(b) => format!("{} bytes", b.len()),
        Value::Bool(b) => format!("{b}"),
        _ => "a value of another type".to_owned(),
    }
}

/// Refuses, before parsing, what could exhaust the parser's stack: over-long text, deep
/// nesting, long operator chains.
fn check_shape(source: &str) -> Result<(), CompileError> {
    let refuse = |offset: usize, message: String| {
        let before = &source[..offset.min(source.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Err(CompileError {
            line,
            column,
            message,
        })
    };
    if source.len() > MAX_SOURCE_BYTES {
        return refuse(
            MAX_SOURCE_BYTES,
            format!(
                "condition too long: {} bytes, at most {MAX_SOURCE_BYTES}",
                source.len()
            ),
        );
    }
    let (mut depth, mut operators) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in source.char_indices() {
        if let Some(q) = quote {
            if c == q && prev != '\\' {
                quote = None;
            }
            prev = c;
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return refuse(
                        i,
                        format!(
                            "condition nested too deeply: at most {MAX_NESTING} levels of brackets"
                        ),
                    );
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '+' | '-' | '*' | '/' | '%' | '<' | '>' | '!' | '?' | '&' | '|' | '=' | '.' => {
                // `&&`, `||`, `==` and the like count once.
                let continues = (c == prev && matches!(c, '&' | '|' | '='))
                    || (c == '=' && matches!(prev, '<' | '>' | '!' | '='));
                if !continues {
                    operators += 1;
                }
                if operators > MAX_OPERATORS {
                    return refuse(
                        i,
                        format!("condition too long: more than {MAX_OPERATORS} operators"),
                    );
                }
            }
            _ => {}
        }
        prev = c;
    }
    Ok(())
}

/// The variables that comprehensions (`all`, `exists`, `map`, ...) bind.
fn comprehension_variables(e: &IdedExpr, out: &mut Vec<String>) {
    match &e.expr {
        Expr::Comprehension(c) => {
            out.push(c.iter_var.clone());
            out.extend(c.iter_var2.iter().cloned());
            out.push(c.accu_var.clone());
            for part in [
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ] {
                comprehension_variables(part, out);
            }
        }
        Expr::Call(call) => {
            for part in call.target.iter().map(|t| &**t).chain(call.args.iter()) {
                comprehension_variables(part, out);
            }
        }
        Expr::Select(sel) => comprehension_variables(&sel.operand, out),
        Expr::List(l) => l
            .elements
            .iter()
            .for_each(|x| comprehension_variables(x, out)),
        Expr::Map(m) => {
            for entry in &m.entries {
                if let EntryExpr::MapEntry(me) = &entry.expr {
                    comprehension_variables(&me.key, out);
                    comprehension_variables(&me.value, out);
                }
            }
        }
        _ => {}
    }
}

/// The worst-case cost of an expression and, where it is a list, its largest size.
struct Cost {
    steps: u64,
    size: u64,
}

/// Walks the compiled expression, multiplying each comprehension's body by its range's size.
fn cost(e: &IdedExpr, depth: usize) -> Result<Cost, String> {
    if depth > MAX_EXPRESSION_DEPTH {
        return Err(format!(
            "condition nested too deeply: more than {MAX_EXPRESSION_DEPTH} levels of operations"
        ));
    }
    let unknown = MAX_VARIABLE_COLLECTION as u64;
    let sum = |items: &mut dyn Iterator<Item = &IdedExpr>| -> Result<(u64, u64), String> {
        let (mut steps, mut size) = (1u64, 0u64);
        for item in items {
            let c = cost(item, depth + 1)?;
            steps = steps.saturating_add(c.steps);
            size = size.saturating_add(c.size.max(1));
        }
        Ok((steps, size))
    };
    Ok(match &e.expr {
        Expr::Unspecified | Expr::Literal(_) => Cost { steps: 1, size: 1 },
        Expr::Ident(_) => Cost {
            steps: 1,
            size: unknown,
        },
        Expr::Select(s) => {
            let c = cost(&s.operand, depth + 1)?;
            Cost {
                steps: c.steps.saturating_add(1),
                size: unknown,
            }
        }
        Expr::List(l) => {
            let (steps, _) = sum(&mut l.elements.iter())?;
            Cost {
                steps,
                size: l.elements.len() as u64,
            }
        }
        Expr::Map(m) => {
            let mut values = m.entries.iter().flat_map(|entry| match &entry.expr {
                EntryExpr::MapEntry(me) => vec![&me.key, &me.value],
                EntryExpr::StructField(sf) => vec![&sf.value],
            });
            let (steps, _) = sum(&mut values)?;
            Cost {
                steps,
                size: m.entries.len() as u64,
            }
        }
        Expr::Struct(st) => {
            let mut values = st.entries.iter().flat_map(|entry| match &entry.expr {
                EntryExpr::MapEntry(me) => vec![&me.key, &me.value],
                EntryExpr::StructField(sf) => vec![&sf.value],
            });
            let (steps, _) = sum(&mut values)?;
            Cost { steps, size: 1 }
        }
        Expr::Call(call) => {
            let mut parts = call.target.iter().map(|t| &**t).chain(call.args.iter());
            let (steps, size) = sum(&mut parts)?;
            // `+` of lists concatenates; any other call gives at most the largest input.
            Cost { steps, size }
        }
        Expr::Comprehension(c) => {
            let range = cost(&c.iter_range, depth + 1)?;
            let init = cost(&c.accu_init, depth + 1)?;
            let cond = cost(&c.loop_cond, depth + 1)?;
            let step = cost(&c.loop_step, depth + 1)?;
            let result = cost(&c.result, depth + 1)?;
            let body = cond.steps.saturating_add(step.steps);
            Cost {
                steps: range
                    .steps
                    .saturating_add(init.steps)
                    .saturating_add(range.size.saturating_mul(body))
                    .saturating_add(result.steps),
                size: range.size.max(step.size),
            }
        }
    })
}

#[cfg(test)]
mod bounds {
    use super::*;

    #[test]
    fn a_chain_of_25000_additions_is_refused_without_parsing() {
        let source = vec!["1"; 25_000].join(" + ");
        let err = Condition::compile(&source).unwrap_err();
        assert!(err.message.contains("too long"), "{}", err.message);
    }

    #[test]
    fn sixty_four_operators_pass_and_one_more_is_refused() {
        let ok = format!("{} == 64", vec!["1"; 64].join("+"));
        // 63 `+` and one `==`: exactly the bound.
        assert!(Condition::compile(&ok).is_ok());
        let over = format!("{} == 65", vec!["1"; 65].join("+"));
        let err = Condition::compile(&over).unwrap_err();
        assert!(
            err.message.contains("more than 64 operators"),
            "{}",
            err.message
        );
    }

    #[test]
    fn deep_nesting_is_refused_with_its_position() {
        let source = format!("{}true{}", "(".repeat(30), ")".repeat(30));
        let err = Condition::compile(&source).unwrap_err();
        assert!(err.message.contains("nested too deeply"), "{}", err.message);
        assert_eq!((err.line, err.column), (1, MAX_NESTING + 1));
    }

    #[test]
    fn ten_nested_comprehensions_are_refused_as_too_costly() {
        let mut source = "true".to_owned();
        for v in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            source = format!("[1,2,3,4,5,6,7,8,9,10].all({v}, {source})");
        }
        let err = Condition::compile(&source).unwrap_err();
        assert!(err.message.contains("too costly"), "{}", err.message);
    }

    #[test]
    fn ordinary_conditions_still_compile() {
        for source in [
            "activity.troops >= 13000 || activity.battle_tanks >= 300",
            "party in ['RU', 'BY'] && date >= '2022-01-01'",
            "activity.participants.exists(p, p == 'RU')",
            "[1,2,3].all(x, [1,2,3].all(y, x + y > 1))",
        ] {
            assert!(Condition::compile(source).is_ok(), "{source}");
        }
    }

    #[test]
    fn strings_do_not_count_as_operators_or_brackets() {
        let source = format!("party == '{}'", "(+".repeat(300));
        assert!(Condition::compile(&source).is_ok());
    }
}
