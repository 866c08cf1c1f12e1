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
//! another, in a form that stays a flat map of typed arguments (and so digests the same in every
//! language):
//!
//! - [`MessageExt::nested`]: the argument `name` is another message, rendered first;
//! - [`MessageExt::list`]: the argument `name` is a list of messages, rendered and joined by a
//!   separator message (`list-and`, `list-or`, `list-comma`).
#![deny(missing_docs)]
#![deny(unsafe_code)]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use accord_model::{Arg, Message, SmolStr};
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

/// Separator of a composite argument's parts in the flattened argument names.
const SEP: char = '.';
/// Part name holding the id of a nested message.
const NESTED: &str = "@";
/// Part name holding the separator message of a list.
const LIST: &str = "@list";

/// Builders for messages that hold other messages as arguments.
pub trait MessageExt {
    /// The same message with argument `name` being another message.
    fn nested(self, name: &str, inner: Message) -> Message;
    /// The same message with argument `name` being a list of messages joined by the separator
    /// message `sep` (`list-and`, `list-or`, `list-comma`).
    fn list(self, name: &str, sep: &str, items: Vec<Message>) -> Message;
    /// The same message with argument `name` being the message `id` with arguments `args`: as
    /// [`MessageExt::nested`] given that message, without making it first.
    fn nested_parts<'a>(
        self,
        name: &str,
        id: &str,
        args: impl IntoIterator<Item = (&'a str, Arg)>,
    ) -> Message;
}

/// `prefix`, the separator and `name`, joined (without the formatting machinery: findings are
/// made by the thousand and each names its arguments so).
fn key(prefix: &str, name: &str) -> SmolStr {
    let mut k = smol_str::SmolStrBuilder::new();
    k.push_str(prefix);
    k.push(SEP);
    k.push_str(name);
    k.finish()
}

fn flatten_into(args: &mut BTreeMap<SmolStr, Arg>, prefix: &str, inner: Message) {
    args.insert(key(prefix, NESTED), Arg::Id(inner.id));
    for (k, v) in inner.args {
        args.insert(key(prefix, &k), v);
    }
}

impl MessageExt for Message {
    fn nested(mut self, name: &str, inner: Message) -> Message {
        flatten_into(&mut self.args, name, inner);
        self
    }

    fn nested_parts<'a>(
        mut self,
        name: &str,
        id: &str,
        args: impl IntoIterator<Item = (&'a str, Arg)>,
    ) -> Message {
        self.args.insert(key(name, NESTED), Arg::Id(id.into()));
        for (k, v) in args {
            self.args.insert(key(name, k), v);
        }
        self
    }

    fn list(mut self, name: &str, sep: &str, items: Vec<Message>) -> Message {
        self.args.insert(key(name, LIST), Arg::Id(sep.into()));
        for (i, item) in items.into_iter().enumerate() {
            flatten_into(&mut self.args, &key(name, &i.to_string()), item);
        }
        self
    }
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

/// A composite argument's parts: direct parts by name, and list items by index.
#[derive(Default)]
struct Composite {
    parts: BTreeMap<SmolStr, Arg>,
}

/// Splits flattened arguments into plain ones and composites (by their first name segment).
fn split(args: &BTreeMap<SmolStr, Arg>) -> (Vec<(&str, &Arg)>, BTreeMap<&str, Composite>) {
    let mut plain = Vec::new();
    let mut composites: BTreeMap<&str, Composite> = BTreeMap::new();
    for (k, v) in args {
        match k.split_once(SEP) {
            None => plain.push((k.as_str(), v)),
            Some((head, rest)) => {
                composites
                    .entry(head)
                    .or_default()
                    .parts
                    .insert(SmolStr::new(rest), v.clone());
            }
        }
    }
    (plain, composites)
}

fn render_composite(lang: Lang, c: &Composite) -> Result<String, MessageError> {
    if let Some(Arg::Id(sep)) = c.parts.get(LIST) {
        let separator = render_parts(lang, sep, &BTreeMap::new())?;
        let mut items: BTreeMap<usize, BTreeMap<SmolStr, Arg>> = BTreeMap::new();
        for (k, v) in &c.parts {
            if let Some((i, rest)) = k.split_once(SEP)
                && let Ok(i) = i.parse::<usize>()
            {
                items
                    .entry(i)
                    .or_default()
                    .insert(SmolStr::new(rest), v.clone());
            }
        }
        let mut rendered = Vec::with_capacity(items.len());
        for parts in items.into_values() {
            rendered.push(render_composite(lang, &Composite { parts })?);
        }
        return Ok(rendered.join(&separator));
    }
    let id = match c.parts.get(NESTED) {
        Some(Arg::Id(id)) => id.clone(),
        _ => {
            return Err(MessageError::Format {
                id: String::new(),
                lang,
                errors: "a composite argument names no message".into(),
            });
        }
    };
    let args = c
        .parts
        .iter()
        .filter(|(k, _)| k.as_str() != NESTED)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    render_parts(lang, &id, &args)
}

fn value(lang: Lang, arg: &Arg) -> FluentValue<'static> {
    match arg {
        Arg::Number(n) => FluentValue::from(*n),
        Arg::Date(d) => FluentValue::from(format::date(lang, *d)),
        Arg::Id(s) | Arg::Text(s) => FluentValue::from(s.to_string()),
    }
}

fn render_parts(
    lang: Lang,
    id: &str,
    args: &BTreeMap<SmolStr, Arg>,
) -> Result<String, MessageError> {
    let bundle = bundle_of(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return Err(MessageError::Unknown {
            id: id.to_owned(),
            lang,
        });
    };
    let (plain, composites) = split(args);
    let mut fargs = FluentArgs::with_capacity(plain.len() + composites.len());
    for (k, v) in plain {
        fargs.set(k.to_owned(), value(lang, v));
    }
    for (k, c) in &composites {
        fargs.set(
            (*k).to_owned(),
            FluentValue::from(render_composite(lang, c)?),
        );
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
fn lossy(lang: Lang, id: &str, args: &BTreeMap<SmolStr, Arg>) -> String {
    let bundle = bundle_of(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return format!("[{id}]");
    };
    let (plain, composites) = split(args);
    let mut fargs = FluentArgs::new();
    for (k, v) in plain {
        fargs.set(k.to_owned(), value(lang, v));
    }
    for (k, c) in &composites {
        let s = render_composite(lang, c).unwrap_or_else(|e| format!("[{e}]"));
        fargs.set((*k).to_owned(), FluentValue::from(s));
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned()
}

#[cfg(test)]
mod tests;
