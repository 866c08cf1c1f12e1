//! Agreement files: parse, validate with located errors, and query provisions.
//!
//! An agreement is a TOML file (format in docs/agreements.md) stating its parties, status
//! history and provisions: numerical limits, prohibitions by zone, class bans, notification and
//! observation thresholds, annual calendars, constraining provisions, risk reduction, quotas,
//! visits, data exchanges and reciprocity. [`parse`] and [`load`] check it against the
//! [`Vocabulary`] and report every problem with its file, line and column; the resulting
//! [`Agreement`] answers the compliance engine's questions ([`Agreement::status_at`],
//! [`Agreement::binding`]) and its CEL [`Condition`]s are compiled once, at load time.
//!
//! The five agreements of `agreements/` at the repository root are embedded: [`builtin`].
#![deny(missing_docs)]
#![deny(unsafe_code)]

pub mod condition;
pub mod describe;
mod eval;
mod load;
pub mod schema;
pub mod vocabulary;

pub use condition::{CompileError, Condition, EvalError, Vars};
pub use describe::describe;
pub use eval::Binding;
pub use load::{Diagnostic, Diagnostics, LoadError, line_column, load, parse};
pub use schema::*;
pub use vocabulary::Vocabulary;

/// The agreement files embedded in the binary, as (file name, text).
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "new-start.toml",
        include_str!("../../../agreements/new-start.toml"),
    ),
    (
        "vienna-document-2011.toml",
        include_str!("../../../agreements/vienna-document-2011.toml"),
    ),
    ("inf.toml", include_str!("../../../agreements/inf.toml")),
    (
        "us-proposal-2022.toml",
        include_str!("../../../agreements/us-proposal-2022.toml"),
    ),
    (
        "nato-proposal-2022.toml",
        include_str!("../../../agreements/nato-proposal-2022.toml"),
    ),
];

/// Parses every embedded agreement file against the built-in vocabulary.
pub fn builtin() -> Result<Vec<Agreement>, Diagnostics> {
    BUILTIN_FILES
        .iter()
        .map(|(name, text)| parse(text, name, Vocabulary::builtin()))
        .collect()
}

/// The text of an embedded agreement, by file name ("new-start.toml") or agreement id ("new-start").
pub fn builtin_file(name: &str) -> Option<(&'static str, &'static str)> {
    BUILTIN_FILES
        .iter()
        .find(|(file, _)| *file == name || file.strip_suffix(".toml") == Some(name))
        .copied()
}
