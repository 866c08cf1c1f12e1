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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    /// Categories of counted items or forces, by id.
    #[serde(default)]
    pub categories: BTreeMap<Category, CategoryInfo>,
    /// Named zones, by id.
    #[serde(default)]
    pub zones: BTreeMap<ZoneId, ZoneInfo>,
    /// Parties (states and organisations), by id.
    #[serde(default)]
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
    /// The state whose territory the zone is, when it is one state's (whose consent a
    /// prohibition "without host-nation consent" asks for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<PartyId>,
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
        vocabulary.check()?;
        Ok(vocabulary)
    }

    /// Whether it defines nothing.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.zones.is_empty() && self.parties.is_empty()
    }

    /// This vocabulary with `more` added: new ids only, or ids defined exactly as here (an
    /// agreement or scenario cannot change what an id already means). References are checked
    /// on the result.
    pub fn extended(&self, more: &Vocabulary) -> Result<Vocabulary, VocabularyError> {
        fn add<K: Ord + Clone + std::fmt::Display, V: Clone + PartialEq>(
            into: &mut BTreeMap<K, V>,
            from: &BTreeMap<K, V>,
            what: &str,
        ) -> Result<(), VocabularyError> {
            for (k, v) in from {
                match into.get(k) {
                    Some(old) if old != v => {
                        return Err(VocabularyError(format!(
                            "{what} {k} is already defined differently; choose a new id"
                        )));
                    }
                    Some(_) => {}
                    None => {
                        into.insert(k.clone(), v.clone());
                    }
                }
            }
            Ok(())
        }
        let mut out = self.clone();
        add(&mut out.categories, &more.categories, "category")?;
        add(&mut out.zones, &more.zones, "zone")?;
        add(&mut out.parties, &more.parties, "party")?;
        out.check()?;
        Ok(out)
    }

    /// The built-in vocabulary extended with what each agreement defines.
    pub fn for_agreements<'a>(
        agreements: impl IntoIterator<Item = &'a crate::Agreement>,
    ) -> Result<Vocabulary, VocabularyError> {
        let mut v = Vocabulary::builtin().clone();
        for a in agreements {
            v = v
                .extended(&a.defines)
                .map_err(|e| VocabularyError(format!("agreement {}: {}", a.id, e.0)))?;
        }
        Ok(v)
    }

    fn check(&self) -> Result<(), VocabularyError> {
        let vocabulary = self;
        for (id, zone) in &vocabulary.zones {
            if let Some(host) = &zone.host
                && !vocabulary.parties.contains_key(host)
            {
                return Err(VocabularyError(format!(
                    "zone {id} has unknown host {host}"
                )));
            }
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
        Ok(())
    }

    /// The built-in vocabulary (parsed once).
    pub fn builtin() -> &'static Vocabulary {
        static BUILTIN: OnceLock<Vocabulary> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // The file is part of the crate and checked by its tests.
            Vocabulary::parse(BUILTIN_VOCABULARY).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// The host state of a zone, or of the nearest zone containing it that has one.
    pub fn host_of(&self, zone: &ZoneId) -> Option<&PartyId> {
        if let Some(h) = self.zones.get(zone).and_then(|z| z.host.as_ref()) {
            return Some(h);
        }
        self.zones
            .iter()
            .filter(|(outer, info)| {
                *outer != zone && info.host.is_some() && self.zone_within(zone, outer)
            })
            .find_map(|(_, info)| info.host.as_ref())
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
