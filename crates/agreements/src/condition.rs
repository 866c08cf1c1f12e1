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
use cel::objects::Key;
use cel::{Context, Env, Program, Value};
use serde::Serialize;

use crate::schema::Status;
use crate::vocabulary::Vocabulary;

/// The variables a condition may refer to.
pub const VARIABLES: &[&str] = &["party", "date", "status", "level", "limit", "activity"];

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
    pub fn compile(source: &str) -> Result<Condition, CompileError> {
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
        let mut unknown: Vec<&str> = references
            .variables()
            .into_iter()
            .filter(|v| !VARIABLES.contains(v))
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
                found: format!("{other:?}"),
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
