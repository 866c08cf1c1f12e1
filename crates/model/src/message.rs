//! Messages: what a finding says, as a message id of the message files and typed arguments, in
//! no language.
//!
//! An argument may itself be a message, or a list of messages joined by a separator message.
//! In memory these are held whole; in JSON (and so in the findings digest) they are flattened
//! into the one object of arguments under dotted names: a nested message `m` as `name.@` (its
//! id) and `name.<arg>`, a list as `name.@list` (the separator's id) and each item `i` as
//! `name.<i>.@` and `name.<i>.<arg>`. Reading JSON rebuilds them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

use crate::Date;

/// Separator of a composite argument's parts in the flattened argument names.
const SEP: char = '.';
/// Part name holding the id of a nested message.
const NESTED: &str = "@";
/// Part name holding the separator message of a list.
const LIST: &str = "@list";

/// One argument of a [`Message`]: typed so each language formats it its own way.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arg {
    /// A whole number (grouped by the language's rules when shown).
    Number(i64),
    /// A calendar date.
    Date(Date),
    /// An identifier shown as it is (party, category, zone, record, provision).
    Id(SmolStr),
    /// Free text taken verbatim from a record or an agreement file (a unit, a name).
    Text(SmolStr),
    /// Another message, shown in this argument's place (flattened in JSON, see the module).
    #[serde(skip)]
    Message(Box<Message>),
    /// Messages shown one after another, joined by the separator message `sep` (`list-and`,
    /// `list-or`, `list-comma`); flattened in JSON, see the module.
    #[serde(skip)]
    List {
        /// The separator message's id.
        sep: SmolStr,
        /// The items, in order.
        items: Vec<Message>,
    },
}

/// The named arguments of a [`Message`], kept sorted by name, one value per name.
///
/// A message holds a handful of arguments, and the engine builds them by the ten thousand per
/// evaluation: a sorted vector makes them one allocation where a map made a node per message.
/// Serialised as a JSON object with its (flattened) names in order, as a sorted map would be.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Args(Vec<(SmolStr, Arg)>);

impl Args {
    /// Whether there are no arguments.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many arguments there are (a nested message or a list counts as one).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    /// The value of argument `name`, if set.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    /// Sets argument `name` to `value`, returning the value it replaces.
    pub fn insert(&mut self, name: SmolStr, value: Arg) -> Option<Arg> {
        // Builders add names mostly in order: a name after the last is appended unsearched.
        if self
            .0
            .last()
            .is_none_or(|(k, _)| k.as_str() < name.as_str())
        {
            self.0.push((name, value));
            return None;
        }
        match self.find(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (name, value));
                None
            }
        }
    }

    /// Removes argument `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<Arg> {
        self.find(name).ok().map(|i| self.0.remove(i).1)
    }

    /// The arguments in name order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&SmolStr, &Arg)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The argument names in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &SmolStr> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values in name order, to change in place.
    pub fn values_mut(&mut self) -> impl ExactSizeIterator<Item = &mut Arg> {
        self.0.iter_mut().map(|(_, v)| v)
    }

    /// Calls `f` on every text argument, those of nested and listed messages included.
    pub fn for_each_text_mut(&mut self, f: &mut dyn FnMut(&mut SmolStr)) {
        for v in self.values_mut() {
            match v {
                Arg::Text(t) => f(t),
                Arg::Message(m) => m.args.for_each_text_mut(f),
                Arg::List { items, .. } => {
                    for m in items {
                        m.args.for_each_text_mut(f);
                    }
                }
                Arg::Number(_) | Arg::Date(_) | Arg::Id(_) => {}
            }
        }
    }

    /// The arguments as JSON names them: nested messages and lists flattened, in name order.
    fn flat(&self) -> Vec<(SmolStr, Flat<'_>)> {
        let mut out = Vec::with_capacity(self.0.len());
        flatten(self, None, &mut out);
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// A flattened argument: one of the message's own, or the id of a nested message or list
/// separator, written as an [`Arg::Id`] is.
enum Flat<'a> {
    Arg(&'a Arg),
    Id(&'a SmolStr),
}

impl Serialize for Flat<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Flat::Arg(a) => a.serialize(s),
            // As the derived form of `Arg::Id` (variant 2, "id").
            Flat::Id(id) => s.serialize_newtype_variant("Arg", 2, "id", id.as_str()),
        }
    }
}

/// `prefix`, the separator and `name`, joined; `name` alone without a prefix.
fn key(prefix: Option<&str>, name: &str) -> SmolStr {
    let Some(prefix) = prefix else {
        return SmolStr::new(name);
    };
    let mut k = smol_str::SmolStrBuilder::new();
    k.push_str(prefix);
    k.push(SEP);
    k.push_str(name);
    k.finish()
}

fn flatten<'a>(args: &'a Args, prefix: Option<&str>, out: &mut Vec<(SmolStr, Flat<'a>)>) {
    for (name, v) in &args.0 {
        let name = key(prefix, name);
        match v {
            Arg::Message(m) => flatten_message(m, &name, out),
            Arg::List { sep, items } => {
                out.push((key(Some(&name), LIST), Flat::Id(sep)));
                for (i, m) in items.iter().enumerate() {
                    flatten_message(m, &key(Some(&name), &i.to_string()), out);
                }
            }
            plain => out.push((name, Flat::Arg(plain))),
        }
    }
}

fn flatten_message<'a>(m: &'a Message, prefix: &str, out: &mut Vec<(SmolStr, Flat<'a>)>) {
    out.push((key(Some(prefix), NESTED), Flat::Id(&m.id)));
    flatten(&m.args, Some(prefix), out);
}

/// Rebuilds nested messages and lists from flattened names. A composite whose parts do not
/// make one (no `@` or `@list` id) keeps its parts as plain arguments under their full names,
/// so that nothing read is lost.
fn unflatten(flat: Vec<(SmolStr, Arg)>) -> Args {
    let mut plain: Vec<(SmolStr, Arg)> = Vec::new();
    let mut composites: BTreeMap<SmolStr, Vec<(SmolStr, Arg)>> = BTreeMap::new();
    for (k, v) in flat {
        match k.split_once(SEP) {
            None => plain.push((k, v)),
            Some((head, rest)) => composites
                .entry(SmolStr::new(head))
                .or_default()
                .push((SmolStr::new(rest), v)),
        }
    }
    let mut args: Args = plain.into_iter().collect();
    for (head, parts) in composites {
        match composite(parts) {
            Ok(arg) => {
                args.insert(head, arg);
            }
            Err(parts) => args.extend(
                parts
                    .into_iter()
                    .map(|(rest, v)| (key(Some(&head), &rest), v)),
            ),
        }
    }
    args
}

/// The message or list the parts of one composite make, or the parts back when they make none.
fn composite(parts: Vec<(SmolStr, Arg)>) -> Result<Arg, Vec<(SmolStr, Arg)>> {
    let is_id = |parts: &[(SmolStr, Arg)], name: &str| {
        parts
            .iter()
            .any(|(k, v)| k == name && matches!(v, Arg::Id(_)))
    };
    if !is_id(&parts, LIST) {
        return message(parts).map(|m| Arg::Message(Box::new(m)));
    }
    let original = parts.clone();
    let mut sep = SmolStr::default();
    let mut by_index: BTreeMap<usize, Vec<(SmolStr, Arg)>> = BTreeMap::new();
    for (k, v) in parts {
        match (k.as_str(), v) {
            (LIST, Arg::Id(id)) => sep = id,
            (k, v) => match k
                .split_once(SEP)
                .and_then(|(i, rest)| Some((i.parse::<usize>().ok()?, rest)))
            {
                Some((i, rest)) => by_index.entry(i).or_default().push((SmolStr::new(rest), v)),
                None => return Err(original),
            },
        }
    }
    let mut items = Vec::with_capacity(by_index.len());
    for item in by_index.into_values() {
        match message(item) {
            Ok(m) => items.push(m),
            Err(_) => return Err(original),
        }
    }
    Ok(Arg::List { sep, items })
}

/// The message the parts make: its id under `@`, its arguments the rest.
fn message(mut parts: Vec<(SmolStr, Arg)>) -> Result<Message, Vec<(SmolStr, Arg)>> {
    let Some(i) = parts
        .iter()
        .position(|(k, v)| k == NESTED && matches!(v, Arg::Id(_)))
    else {
        return Err(parts);
    };
    let Arg::Id(id) = parts.remove(i).1 else {
        return Err(parts);
    };
    Ok(Message {
        id,
        args: unflatten(parts),
    })
}

impl Extend<(SmolStr, Arg)> for Args {
    /// Adds the arguments, a later value of a name replacing an earlier one.
    fn extend<I: IntoIterator<Item = (SmolStr, Arg)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl FromIterator<(SmolStr, Arg)> for Args {
    fn from_iter<I: IntoIterator<Item = (SmolStr, Arg)>>(iter: I) -> Self {
        let mut args = Args::default();
        args.extend(iter);
        args
    }
}

impl IntoIterator for Args {
    type Item = (SmolStr, Arg);
    type IntoIter = std::vec::IntoIter<(SmolStr, Arg)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Args {
    type Item = (&'a SmolStr, &'a Arg);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (SmolStr, Arg)>,
        fn(&'a (SmolStr, Arg)) -> (&'a SmolStr, &'a Arg),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl Serialize for Args {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let composite = |v: &Arg| matches!(v, Arg::Message(_) | Arg::List { .. });
        if !self.0.iter().any(|(_, v)| composite(v)) {
            return s.collect_map(self.0.iter().map(|(k, v)| (k, v)));
        }
        s.collect_map(self.flat())
    }
}

impl<'de> Deserialize<'de> for Args {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Read as a map (a later duplicate name wins), then rebuilt in name order.
        let map = BTreeMap::<SmolStr, Arg>::deserialize(d)?;
        Ok(unflatten(map.into_iter().collect()))
    }
}

/// A message id of the message files and its named arguments: what a finding says, in no language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Message {
    /// The Fluent message id (`limit-exceeded`).
    pub id: SmolStr,
    /// The named arguments, sorted by name.
    #[serde(default, skip_serializing_if = "Args::is_empty")]
    pub args: Args,
}

impl Message {
    /// A message with no arguments.
    pub fn new(id: impl Into<SmolStr>) -> Self {
        Message {
            id: id.into(),
            args: Args::default(),
        }
    }

    /// The same message with one more argument.
    pub fn arg(mut self, name: impl Into<SmolStr>, value: Arg) -> Self {
        self.args.insert(name.into(), value);
        self
    }

    /// The same message with argument `name` being another message.
    pub fn nested(self, name: impl Into<SmolStr>, inner: Message) -> Self {
        self.arg(name, Arg::Message(Box::new(inner)))
    }

    /// The same message with argument `name` being the message `id` with arguments `args`: as
    /// [`Message::nested`] given that message, without making it first.
    pub fn nested_parts<'a>(
        self,
        name: impl Into<SmolStr>,
        id: impl Into<SmolStr>,
        args: impl IntoIterator<Item = (&'a str, Arg)>,
    ) -> Self {
        let inner = Message {
            id: id.into(),
            args: args
                .into_iter()
                .map(|(k, v)| (SmolStr::new(k), v))
                .collect(),
        };
        self.nested(name, inner)
    }

    /// The same message with argument `name` being a list of messages joined by the separator
    /// message `sep`.
    pub fn list(
        self,
        name: impl Into<SmolStr>,
        sep: impl Into<SmolStr>,
        items: Vec<Message>,
    ) -> Self {
        self.arg(
            name,
            Arg::List {
                sep: sep.into(),
                items,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Message {
        Message::new("top")
            .arg("b", Arg::Number(2))
            .nested(
                "inner",
                Message::new("in")
                    .arg("x", Arg::Text("t".into()))
                    .nested("deep", Message::new("d").arg("y", Arg::Number(1))),
            )
            .list(
                "items",
                "list-and",
                (0..12)
                    .map(|i| Message::new("item").arg("value", Arg::Number(i)))
                    .collect(),
            )
            .arg("a", Arg::Id("A".into()))
    }

    #[test]
    fn composites_flatten_in_name_order_and_read_back_whole() {
        let m = sample();
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.starts_with(
            r#"{"id":"top","args":{"a":{"id":"A"},"b":{"number":2},"inner.@":{"id":"in"},"inner.deep.@":{"id":"d"},"inner.deep.y":{"number":1},"inner.x":{"text":"t"},"items.0.@":{"id":"item"},"items.0.value":{"number":0},"items.1.@":{"id":"item"},"items.1.value":{"number":1},"items.10.@""#
        ), "{json}");
        assert!(
            json.contains(r#""items.@list":{"id":"list-and"}"#),
            "{json}"
        );
        let back: Message = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }

    #[test]
    fn parts_that_make_no_message_are_kept_under_their_names() {
        let json = r#"{"id":"m","args":{"odd.x":{"number":1},"list.@list":{"id":"list-or"},"list.0.v":{"number":2},"ok":{"number":3}}}"#;
        let m: Message = serde_json::from_str(json).unwrap();
        assert_eq!(m.args.get("odd.x"), Some(&Arg::Number(1)));
        assert_eq!(m.args.get("list.0.v"), Some(&Arg::Number(2)));
        assert_eq!(m.args.get("list.@list"), Some(&Arg::Id("list-or".into())));
        assert_eq!(m.args.get("ok"), Some(&Arg::Number(3)));
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"id":"m","args":{"list.0.v":{"number":2},"list.@list":{"id":"list-or"},"odd.x":{"number":1},"ok":{"number":3}}}"#
        );
    }

    #[test]
    fn a_later_value_replaces_an_earlier_one() {
        let mut a = Args::default();
        assert_eq!(a.insert("z".into(), Arg::Number(1)), None);
        assert_eq!(a.insert("a".into(), Arg::Number(2)), None);
        assert_eq!(a.insert("z".into(), Arg::Number(3)), Some(Arg::Number(1)));
        assert_eq!(a.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["a", "z"]);
        assert_eq!(a.remove("a"), Some(Arg::Number(2)));
        assert_eq!(a.len(), 1);
    }
}
