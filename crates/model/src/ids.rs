//! Identifiers: validated string newtypes for parties, agreements, provisions, records and places.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};
use smol_str::SmolStr;

/// An identifier that does not have the shape the vocabulary requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} {value:?}: {reason}")]
pub struct IdError {
    /// Which kind of identifier was being read ("party", "record", ...).
    pub kind: &'static str,
    /// The rejected text.
    pub value: String,
    /// What was expected instead.
    pub reason: &'static str,
}

/// Checks the shared identifier grammar: 1 to 128 characters of `[A-Za-z0-9._:/-]`.
fn check(kind: &'static str, value: &str) -> Result<(), IdError> {
    let err = |reason| IdError {
        kind,
        value: value.to_owned(),
        reason,
    };
    if value.is_empty() {
        return Err(err("must not be empty"));
    }
    if value.len() > 128 {
        return Err(err("must be at most 128 characters"));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':' | b'/'))
    {
        return Err(err("may contain only ASCII letters, digits and . _ - : /"));
    }
    Ok(())
}

/// Reads an identifier from a string without an intermediate allocation.
struct IdVisitor<T>(fn(&str) -> Result<T, IdError>);

impl<T> serde::de::Visitor<'_> for IdVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an identifier")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        (self.0)(v).map_err(E::custom)
    }
}

// Identifiers are held as `SmolStr`: the short ones every record carries (parties, agreements,
// categories, record ids) sit inline, so the engine compares, hashes, copies and frees them
// without touching the heap; longer ones share one allocation between their copies.
macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(schemars::JsonSchema)]
        #[schemars(transparent)]
        pub struct $name(#[schemars(with = "String")] SmolStr);

        impl $name {
            /// Validates and wraps an identifier.
            pub fn new(value: impl AsRef<str>) -> Result<Self, IdError> {
                Self::parse(value.as_ref())
            }

            /// Validates and wraps an identifier given as text.
            fn parse(text: &str) -> Result<Self, IdError> {
                check($kind, text)?;
                Ok(Self(SmolStr::new(text)))
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(IdVisitor(Self::parse))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

string_id!(
    /// A party to an agreement: a state ("US", "RU", "UA", "BY") or an organisation ("NATO").
    PartyId,
    "party"
);
string_id!(
    /// An agreement, such as "new-start" or "vienna-document-2011".
    AgreementId,
    "agreement"
);
string_id!(
    /// A provision within an agreement, such as "art-ii-1-c".
    ProvisionId,
    "provision"
);
string_id!(
    /// A record, unique within its author's log, such as "RU-2022-0001".
    RecordId,
    "record"
);
string_id!(
    /// A declared site (a base, a depot, a test range).
    SiteId,
    "site"
);
string_id!(
    /// A named geographic zone that provisions and activities refer to ("ukraine", "belarus").
    ZoneId,
    "zone"
);
string_id!(
    /// A category of treaty-limited item or force ("deployed_warheads", "troops", "battle_tanks").
    Category,
    "category"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_identifier_grammar() {
        assert_eq!(PartyId::new("US").unwrap().as_str(), "US");
        assert!(RecordId::new("RU-2022/0001:a.b_c").is_ok());
    }

    #[test]
    fn rejects_empty_long_and_odd_characters() {
        assert!(PartyId::new("").is_err());
        assert!(PartyId::new("a".repeat(129)).is_err());
        let e = SiteId::new("site one").unwrap_err();
        assert_eq!(e.kind, "site");
        assert!(e.to_string().contains("site one"));
    }

    #[test]
    fn deserialising_validates() {
        assert!(serde_json::from_str::<PartyId>("\"RU\"").is_ok());
        assert!(serde_json::from_str::<PartyId>("\"R U\"").is_err());
    }
}
