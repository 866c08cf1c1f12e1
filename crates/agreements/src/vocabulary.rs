//! The vocabulary agreements are written in: known categories, zones and parties.
//!
//! The built-in vocabulary is the data file `crates/agreements/data/vocabulary.toml`, embedded in
//! the binary. Agreement files may name only what it lists.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use accord_model::{Category, PartyId, ZoneId};
use serde::{Deserialize, Serialize};

/// The text of the built-in vocabulary file.
pub const BUILTIN_VOCABULARY: &str = include_str!("../data/vocabulary.toml");

/// Known categories, zones and parties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    /// Categories of counted items or forces, by id.
    pub categories: BTreeMap<Category, CategoryInfo>,
    /// Named zones, by id.
    pub zones: BTreeMap<ZoneId, ZoneInfo>,
    /// Parties (states and organisations), by id.
    pub parties: BTreeMap<PartyId, PartyInfo>,
}

/// What the vocabulary says about a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryInfo {
    /// The unit items of the category are counted in ("warheads", "troops").
    pub unit: String,
    /// What the category covers.
    pub description: String,
}

/// What the vocabulary says about a zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneInfo {
    /// Its name in words.
    pub name: String,
    /// Zones that lie wholly within it.
    #[serde(default)]
    pub contains: Vec<ZoneId>,
    /// A description, when the name is not enough.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// What the vocabulary says about a party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyInfo {
    /// Its name in words.
    pub name: String,
    /// For an organisation, the member parties the vocabulary knows.
    #[serde(default)]
    pub members: Vec<PartyId>,
}

/// The built-in vocabulary file is malformed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("vocabulary: {0}")]
pub struct VocabularyError(pub String);

impl Vocabulary {
    /// Parses a vocabulary file and checks that zone and member references resolve.
    pub fn parse(text: &str) -> Result<Vocabulary, VocabularyError> {
        let vocabulary: Vocabulary =
            toml::from_str(text).map_err(|e| VocabularyError(e.to_string()))?;
        for (id, zone) in &vocabulary.zones {
            for inner in &zone.contains {
                if !vocabulary.zones.contains_key(inner) {
                    return Err(VocabularyError(format!(
                        "zone {id} contains unknown zone {inner}"
                    )));
                }
            }
        }
        for (id, party) in &vocabulary.parties {
            for member in &party.members {
                if !vocabulary.parties.contains_key(member) {
                    return Err(VocabularyError(format!(
                        "party {id} has unknown member {member}"
                    )));
                }
            }
        }
        Ok(vocabulary)
    }

    /// The built-in vocabulary (parsed once).
    pub fn builtin() -> &'static Vocabulary {
        static BUILTIN: OnceLock<Vocabulary> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // The file is part of the crate and checked by its tests.
            Vocabulary::parse(BUILTIN_VOCABULARY).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// The unit of a category, if the category is known.
    pub fn unit(&self, category: &Category) -> Option<&str> {
        self.categories.get(category).map(|c| c.unit.as_str())
    }

    /// Whether `inner` is `outer` or lies (transitively) within it.
    pub fn zone_within(&self, inner: &ZoneId, outer: &ZoneId) -> bool {
        if inner == outer {
            return true;
        }
        let mut seen = BTreeSet::new();
        let mut stack = vec![outer];
        while let Some(z) = stack.pop() {
            if !seen.insert(z) {
                continue;
            }
            if let Some(info) = self.zones.get(z) {
                for c in &info.contains {
                    if c == inner {
                        return true;
                    }
                    stack.push(c);
                }
            }
        }
        false
    }

    /// Whether `party` is `group` or one of its members.
    pub fn party_in(&self, party: &PartyId, group: &PartyId) -> bool {
        party == group
            || self
                .parties
                .get(group)
                .is_some_and(|g| g.members.contains(party))
    }
}
