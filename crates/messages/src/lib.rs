//! What accord says to people, in English and Russian: Fluent message files embedded in the
//! binary, and the rendering of a [`Message`] (a finding's message id and typed arguments) in a
//! language, with numbers and dates written the way that language writes them.
//!
//! The message files are `locales/en/findings.ftl` and `locales/ru/findings.ftl`; every message
//! id is in both, with the same arguments. A finding's English `summary` is rendered from the
//! English file, which is the only source of English finding text.
//!
//! Arguments are typed ([`Arg`]): numbers are grouped per language, dates written in words,
//! ids and free text shown as they are. Two kinds of composite argument let one message hold
//! another (flattened into one map of typed arguments in JSON, and so digested the same in
//! every language):
//!
//! - [`Message::nested`]: the argument `name` is another message, rendered first;
//! - [`Message::list`]: the argument `name` is a list of messages, rendered and joined by a
//!   separator message (`list-and`, `list-or`, `list-comma`).
#![deny(missing_docs)]
#![deny(unsafe_code)]

use std::sync::LazyLock;

use accord_model::{Arg, Args, Message};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub mod format;

/// The English message file.
pub const EN_FINDINGS: &str = include_str!("../locales/en/findings.ftl");
/// The Russian message file.
pub const RU_FINDINGS: &str = include_str!("../locales/ru/findings.ftl");
/// The English words around findings (severities, evidence, tallies).
pub const EN_INTERFACE: &str = include_str!("../locales/en/interface.ftl");
/// The Russian words around findings.
pub const RU_INTERFACE: &str = include_str!("../locales/ru/interface.ftl");

/// Each language's message files, in the order they are loaded.
pub const FILES: [(Lang, &str, &str); 4] = [
    (Lang::En, "findings.ftl", EN_FINDINGS),
    (Lang::En, "interface.ftl", EN_INTERFACE),
    (Lang::Ru, "findings.ftl", RU_FINDINGS),
    (Lang::Ru, "interface.ftl", RU_INTERFACE),
];

/// A language the messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The language's code (`en`, `ru`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language a code or locale names (`en`, `ru`, `ru-RU`, `ru_RU.UTF-8`), if one of ours.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// The language the environment asks for: `ACCORD_LANG`, else `LANG`, else English.
    pub fn from_env() -> Lang {
        ["ACCORD_LANG", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find_map(|v| Lang::parse(&v))
            .unwrap_or_default()
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s).ok_or_else(|| UnknownLang(s.to_owned()))
    }
}

/// A language code that names none of the message files' languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}: expected en or ru")]
pub struct UnknownLang(pub String);

/// A message that could not be rendered exactly as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    /// The id is in no message file of the language.
    #[error("message {id} is not in the {lang} message file")]
    Unknown {
        /// The message id.
        id: String,
        /// The language.
        lang: Lang,
    },
    /// Fluent reported errors (a missing argument, an unknown reference).
    #[error("message {id} in {lang}: {errors}")]
    Format {
        /// The message id.
        id: String,
        /// The language.
        lang: Lang,
        /// What Fluent reported.
        errors: String,
    },
}

/// A message of the interface file with no arguments (`severity-violation`), in a language.
pub fn word(lang: Lang, id: &str) -> String {
    render(lang, &Message::new(id))
}

/// A message with one text argument per item: for lists of ids or names.
pub fn item(value: Arg) -> Message {
    Message::new("item").arg("value", value)
}

fn format_en<M>(v: &FluentValue<'_>, _: &M) -> Option<String> {
    match v {
        FluentValue::Number(n) => Some(format::number(Lang::En, n.value as i64)),
        _ => None,
    }
}

fn format_ru<M>(v: &FluentValue<'_>, _: &M) -> Option<String> {
    match v {
        FluentValue::Number(n) => Some(format::number(Lang::Ru, n.value as i64)),
        _ => None,
    }
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let langid: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![langid]);
    b.set_use_isolating(false);
    match lang {
        Lang::En => b.set_formatter(Some(format_en)),
        Lang::Ru => b.set_formatter(Some(format_ru)),
    }
    // The files are embedded and checked by this crate's tests: a syntax error there keeps the
    // entries that parse, and the tests fail on it.
    for (_, _, source) in FILES.iter().filter(|(l, _, _)| *l == lang) {
        let resource = match FluentResource::try_new((*source).to_owned()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        let _ = b.add_resource(resource);
    }
    b
}

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 2]> =
    LazyLock::new(|| [bundle(Lang::En), bundle(Lang::Ru)]);

fn bundle_of(lang: Lang) -> &'static FluentBundle<FluentResource> {
    match lang {
        Lang::En => &BUNDLES[0],
        Lang::Ru => &BUNDLES[1],
    }
}

/// Whether the language's message file has this id.
pub fn has_message(lang: Lang, id: &str) -> bool {
    bundle_of(lang).has_message(id)
}

/// Renders a message in a language, failing on an unknown id or a missing argument.
pub fn try_render(lang: Lang, message: &Message) -> Result<String, MessageError> {
    render_parts(lang, &message.id, &message.args)
}

/// Renders a message in a language; an unknown id or a missing argument still gives text (the
/// id and what Fluent could resolve), never a panic.
pub fn render(lang: Lang, message: &Message) -> String {
    match try_render(lang, message) {
        Ok(s) => s,
        Err(MessageError::Unknown { id, .. }) => format!("[{id}]"),
        Err(MessageError::Format { .. }) => lossy(lang, &message.id, &message.args),
    }
}

/// A finding's message followed by its notes, in a language: the sentence `summary` holds in
/// English.
pub fn render_finding(lang: Lang, message: &Message, notes: &[Message]) -> String {
    let mut out = render(lang, message);
    for n in notes {
        out.push_str("; ");
        out.push_str(&render(lang, n));
    }
    out
}

/// Like [`render_finding`], failing on the first message that does not render exactly.
pub fn try_render_finding(
    lang: Lang,
    message: &Message,
    notes: &[Message],
) -> Result<String, MessageError> {
    let mut out = try_render(lang, message)?;
    for n in notes {
        out.push_str("; ");
        out.push_str(&try_render(lang, n)?);
    }
    Ok(out)
}

/// The English rendering of a finding's message and notes: its `summary`.
pub fn english(message: &Message, notes: &[Message]) -> String {
    render_finding(Lang::En, message, notes)
}

/// The Fluent value of an argument; a composite is rendered first, failing as its message does.
fn value(lang: Lang, arg: &Arg) -> Result<FluentValue<'static>, MessageError> {
    Ok(match arg {
        Arg::Number(n) => FluentValue::from(*n),
        Arg::Date(d) => FluentValue::from(format::date(lang, *d)),
        Arg::Id(s) | Arg::Text(s) => FluentValue::from(s.to_string()),
        Arg::Message(m) => FluentValue::from(render_parts(lang, &m.id, &m.args)?),
        Arg::List { sep, items } => {
            let sep = render_parts(lang, sep, &Args::default())?;
            let items = items
                .iter()
                .map(|m| render_parts(lang, &m.id, &m.args))
                .collect::<Result<Vec<_>, _>>()?;
            FluentValue::from(items.join(&sep))
        }
    })
}

/// The Fluent value of an argument, a composite rendered as far as it goes.
fn lossy_value(lang: Lang, arg: &Arg) -> FluentValue<'static> {
    match arg {
        Arg::Message(m) => FluentValue::from(render(lang, m)),
        Arg::List { sep, items } => {
            let sep = word(lang, sep);
            let items: Vec<String> = items.iter().map(|m| render(lang, m)).collect();
            FluentValue::from(items.join(&sep))
        }
        plain => value(lang, plain).unwrap_or_else(|e| FluentValue::from(format!("[{e}]"))),
    }
}

fn render_parts(lang: Lang, id: &str, args: &Args) -> Result<String, MessageError> {
    let bundle = bundle_of(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return Err(MessageError::Unknown {
            id: id.to_owned(),
            lang,
        });
    };
    let mut fargs = FluentArgs::with_capacity(args.len());
    for (k, v) in args {
        fargs.set(k.to_string(), value(lang, v)?);
    }
    let mut errors = Vec::new();
    let out = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
    if errors.is_empty() {
        Ok(out.into_owned())
    } else {
        Err(MessageError::Format {
            id: id.to_owned(),
            lang,
            errors: errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        })
    }
}

/// What Fluent makes of a message despite errors, composites rendered as far as they go.
fn lossy(lang: Lang, id: &str, args: &Args) -> String {
    let bundle = bundle_of(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return format!("[{id}]");
    };
    let mut fargs = FluentArgs::with_capacity(args.len());
    for (k, v) in args {
        fargs.set(k.to_string(), lossy_value(lang, v));
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned()
}

#[cfg(test)]
mod tests;
