//! The gazetteer: states, alliances, exercises, places, weapon systems, category nouns,
//! qualifiers and synonyms, read from `data/gazetteer.toml` (embedded at build time).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::OsintError;
use crate::text::{TokenKind, tokenize};

/// A fast, non-cryptographic hasher for short gazetteer keys (the Fx hash of rustc).
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut v = 0u64;
            for (i, b) in chunk.iter().enumerate() {
                v |= u64::from(*b) << (8 * i);
            }
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map keyed by short strings, with [`FxHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// A hash set of short strings, with [`FxHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// The gazetteer shipped with accord.
pub const GAZETTEER_TOML: &str = include_str!("../data/gazetteer.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActor {
    code: String,
    names: Vec<String>,
    people: Vec<String>,
    /// An organisation of states (the UN, the EU): one of its members may be named by its
    /// membership ("the European Union and NATO member").
    #[serde(default)]
    organisation: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJoint {
    code: String,
    members: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlliance {
    code: String,
    members: Vec<String>,
    /// Members that joined within the period the corpus covers, with the day they joined.
    #[serde(default)]
    joined: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExercise {
    names: Vec<String>,
    actor: String,
    zone: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    words: Vec<String>,
    tons: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: String,
    label: String,
    #[serde(default)]
    nouns: Vec<String>,
    #[serde(default)]
    systems: Vec<String>,
    #[serde(default)]
    units: Vec<RawUnit>,
    #[serde(default)]
    aid_only: bool,
    #[serde(default)]
    military_only: bool,
    #[serde(default)]
    money: bool,
    #[serde(default)]
    distinct_nouns: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQualifiers {
    more_than: Vec<String>,
    at_least: Vec<String>,
    about: Vec<String>,
    up_to: Vec<String>,
    more_than_after: Vec<String>,
    range_joiners: Vec<String>,
    range_openers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNumbers {
    units: HashMap<String, u64>,
    tens: HashMap<String, u64>,
    scales: HashMap<String, u64>,
    vague_before: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContext {
    limit_words: Vec<String>,
    unit_size_before: Vec<String>,
    change_before: Vec<String>,
    casualty_after: Vec<String>,
    aid_words: Vec<String>,
    military_words: Vec<String>,
    speaker_nouns: Vec<String>,
    non_military_aid: Vec<String>,
    future_words: Vec<String>,
    place_after: Vec<String>,
    place_nouns: Vec<String>,
    exercise_words: Vec<String>,
    place_prepositions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawZone {
    id: String,
    label: String,
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttribution {
    verbs: Vec<String>,
    openers: Vec<String>,
    not_speakers: Vec<String>,
    official_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCopies {
    synonyms: Vec<Vec<String>>,
    stopwords: Vec<String>,
    wires: Vec<String>,
    originals: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGazetteer {
    not_actors: Vec<String>,
    actor: Vec<RawActor>,
    joint: Vec<RawJoint>,
    alliance: Vec<RawAlliance>,
    exercise: Vec<RawExercise>,
    category: Vec<RawCategory>,
    qualifiers: RawQualifiers,
    numbers: RawNumbers,
    context: RawContext,
    zone: Vec<RawZone>,
    attribution: RawAttribution,
    copies: RawCopies,
}

/// A category of counted forces or material.
#[derive(Debug, Clone)]
pub struct CategoryDef {
    /// The snake_case id ("troops", "battle_tanks").
    pub id: String,
    /// The coarser label of the hand-labelled corpus ("acv", "other").
    pub label: String,
    /// Counts only in a military-aid context.
    pub aid_only: bool,
    /// Counts only in a sentence about the military ("80,000 people" in drills).
    pub military_only: bool,
    /// A US dollar amount of military aid.
    pub money: bool,
    /// Different nouns of the category are different things.
    pub distinct_nouns: bool,
}

/// A place that figures are located in.
#[derive(Debug, Clone)]
pub struct ZoneDef {
    /// The zone id ("near-ukraine").
    pub id: String,
    /// A label in words ("near Ukraine border").
    pub label: String,
}

/// A named exercise and whose total it counts.
#[derive(Debug, Clone)]
pub struct ExerciseDef {
    /// The actor code ("BY+RU").
    pub actor: String,
    /// The zone the exercise is held in.
    pub zone: String,
}

/// An alliance: its code and its members, with the day each joined where the corpus's period
/// holds it.
#[derive(Debug, Clone)]
pub struct Alliance {
    /// The alliance's actor code ("NATO").
    pub code: String,
    /// Member codes, with the day each joined if it joined within the corpus's period.
    pub members: Vec<(String, Option<jiff::civil::Date>)>,
}

impl Alliance {
    /// Whether `code` was a member on `day` (on any day, if `day` is unknown).
    pub fn member_on(&self, code: &str, day: Option<jiff::civil::Date>) -> bool {
        self.members.iter().any(|(m, joined)| {
            m == code
                && match (joined, day) {
                    (Some(j), Some(d)) => *j <= d,
                    _ => true,
                }
        })
    }
}

/// A phrase table: token sequences (lower case) mapped to a payload, looked up by first token.
#[derive(Debug, Clone)]
pub struct Phrases<T> {
    by_first: FastMap<String, Vec<(Vec<String>, T)>>,
    longest: usize,
}

impl<T: Clone> Phrases<T> {
    fn new() -> Self {
        Phrases {
            by_first: FastMap::default(),
            longest: 0,
        }
    }

    fn add(&mut self, phrase: &str, value: T) {
        let toks: Vec<String> = tokenize(phrase).into_iter().map(|t| t.lower).collect();
        if toks.is_empty() {
            return;
        }
        self.longest = self.longest.max(toks.len());
        let list = self.by_first.entry(toks[0].clone()).or_default();
        list.push((toks, value));
        // Longest phrase first, so that "battle tanks" wins over "tanks".
        list.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    }

    /// The longest phrase that starts at `words[i]`, with its length in tokens.
    pub fn match_at(&self, words: &[&str], i: usize) -> Option<(usize, &T)> {
        let first = words.get(i)?;
        let list = self.by_first.get(*first)?;
        list.iter()
            .find(|(toks, _)| {
                i + toks.len() <= words.len() && toks.iter().zip(&words[i..]).all(|(a, b)| a == b)
            })
            .map(|(toks, v)| (toks.len(), v))
    }

    /// The longest phrase that ends right before `words[end]`, with its length in tokens.
    pub fn match_ending(&self, words: &[&str], end: usize) -> Option<(usize, &T)> {
        (1..=end.min(6))
            .rev()
            .filter_map(|n| self.match_at(words, end - n).filter(|(len, _)| *len == n))
            .next()
    }

    /// How many tokens the longest phrase takes.
    pub fn longest(&self) -> usize {
        self.longest
    }

    /// Whether some phrase starts with this word (lower case).
    pub fn starts_with_word(&self, word: &str) -> bool {
        self.by_first.contains_key(word)
    }

    /// Whether any phrase occurs anywhere in `words`.
    pub fn any_in(&self, words: &[&str]) -> bool {
        (0..words.len()).any(|i| self.match_at(words, i).is_some())
    }
}

/// A qualifier word class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualWord {
    /// "more than", "over".
    MoreThan,
    /// "at least".
    AtLeast,
    /// "about", "some".
    About,
    /// "up to", "as many as".
    UpTo,
}

/// What a word in a category window says.
#[derive(Debug, Clone, Copy)]
pub enum CategoryHit {
    /// A noun or system of category `index`.
    Category(usize),
    /// A weight unit of category `index`, with its factor to metric tonnes.
    Weight(usize, f64),
}

/// The loaded gazetteer, with its phrase tables ready for matching.
#[derive(Debug)]
pub struct Gazetteer {
    /// Case-sensitive one-word actor names: text -> actor code.
    pub actor_names: FastMap<String, String>,
    /// Multi-word actor names (case-sensitive token sequences) -> actor code, by first token.
    pub actor_phrases: FastMap<String, Vec<(Vec<String>, String)>>,
    /// Names that contain an actor's name but are not the actor (case-sensitive token sequences).
    pub not_actors: FastMap<String, Vec<Vec<String>>>,
    /// Every token that can start an actor name, a person or a non-actor name (a fast filter).
    pub actor_first: FastSet<String>,
    /// People -> actor code (case-sensitive surnames).
    pub people: FastMap<String, String>,
    /// Joint actor codes by their sorted members.
    pub joints: Vec<(Vec<String>, String)>,
    /// Alliances: their code and members.
    pub alliances: Vec<Alliance>,
    /// Codes of organisations of states other than alliances ("EU", "UN").
    pub organisations: FastSet<String>,
    /// Exercise names (lower case phrases).
    pub exercises: Phrases<ExerciseDef>,
    /// Categories, indexed by the payloads of `category_words`.
    pub categories: Vec<CategoryDef>,
    /// Nouns, systems and units that name a category.
    pub category_words: Phrases<CategoryHit>,
    /// The names of weapon systems, in lower case ("switchblade", "himars").
    pub systems: FastSet<String>,
    /// Qualifier phrases that end right before a number.
    pub qualifiers_before: Phrases<QualWord>,
    /// "or more" after the noun.
    pub more_than_after: Phrases<()>,
    /// Words that join the two ends of a range.
    pub range_joiners: Vec<String>,
    /// Words that open a range ("between").
    pub range_openers: Phrases<()>,
    /// Number words: units and teens.
    pub number_units: FastMap<String, u64>,
    /// Number words: tens.
    pub number_tens: FastMap<String, u64>,
    /// Number words and suffixes: scales ("thousand", "k", "dozen").
    pub number_scales: FastMap<String, u64>,
    /// Words before a number that make it vague.
    pub vague_before: Phrases<()>,
    /// Limit, cap and threshold words.
    pub limit_words: Phrases<()>,
    /// Words before a number that make it the size of one unit.
    pub unit_size_before: Phrases<()>,
    /// Words before a number that make it a change.
    pub change_before: Phrases<()>,
    /// Words after the noun that make it casualties.
    pub casualty_after: Phrases<()>,
    /// Words of a military-aid context.
    pub aid_words: Phrases<()>,
    /// Words that make aid military.
    pub military_words: Phrases<()>,
    /// Nouns after an actor name that make it a speaker.
    pub speaker_nouns: Phrases<()>,
    /// Words of non-military aid.
    pub non_military_aid: Phrases<()>,
    /// Words of plans and the future.
    pub future_words: Phrases<()>,
    /// Words before an actor name that make it a place.
    pub place_prepositions: Vec<String>,
    /// Words after a country name that make it a target or place.
    pub place_after: Vec<String>,
    /// Nouns after the category noun that make the figure a count of places.
    pub place_nouns: Phrases<()>,
    /// Words that refer back to a report's exercise.
    pub exercise_words: Phrases<()>,
    /// Zones in priority order.
    pub zones: Vec<ZoneDef>,
    /// Zone phrases -> index in `zones`.
    pub zone_phrases: Phrases<usize>,
    /// Verbs of saying.
    pub attribution_verbs: Phrases<()>,
    /// Openers of a speaker ("according to").
    pub attribution_openers: Phrases<()>,
    /// Words that cannot be a speaker on their own.
    pub not_speakers: Vec<String>,
    /// Words that make a speaker official.
    pub official_words: Phrases<()>,
    /// Synonym folding: word -> representative.
    pub synonyms: FastMap<String, String>,
    /// Stopwords dropped from fingerprints.
    pub stopwords: FastSet<String>,
    /// Wire services (as written).
    pub wires: Vec<String>,
    /// First words of the wire names (a fast filter).
    pub wire_first: FastSet<String>,
    /// Outlets whose text others copy (as written).
    pub originals: Vec<String>,
}

impl Gazetteer {
    /// The gazetteer shipped with accord, loaded once.
    pub fn builtin() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            Gazetteer::from_toml(GAZETTEER_TOML).expect("the embedded gazetteer is valid")
        })
    }

    /// Loads a gazetteer from TOML text.
    pub fn from_toml(text: &str) -> Result<Gazetteer, OsintError> {
        let raw: RawGazetteer =
            toml::from_str(text).map_err(|e| OsintError::Gazetteer(e.to_string()))?;
        let phrases = |list: &[String]| {
            let mut p = Phrases::new();
            for w in list {
                p.add(w, ());
            }
            p
        };
        let mut actor_names = FastMap::default();
        let mut actor_phrases: FastMap<String, Vec<(Vec<String>, String)>> = FastMap::default();
        let mut people = FastMap::default();
        let mut organisations = FastSet::default();
        for a in &raw.actor {
            if a.organisation {
                organisations.insert(a.code.clone());
            }
            for n in &a.names {
                let toks: Vec<String> = tokenize(n).iter().map(|t| t.text(n).to_owned()).collect();
                if toks.len() == 1 {
                    actor_names.insert(toks[0].clone(), a.code.clone());
                } else {
                    actor_phrases
                        .entry(toks[0].clone())
                        .or_default()
                        .push((toks, a.code.clone()));
                }
            }
            for p in &a.people {
                people.insert(p.clone(), a.code.clone());
            }
        }
        for list in actor_phrases.values_mut() {
            list.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        }
        let mut joints = Vec::new();
        for j in &raw.joint {
            let mut m = j.members.clone();
            m.sort();
            joints.push((m, j.code.clone()));
        }
        let mut alliances = Vec::new();
        for a in &raw.alliance {
            let mut members = Vec::new();
            for m in &a.members {
                let joined = match a.joined.get(m) {
                    Some(d) => Some(d.parse::<jiff::civil::Date>().map_err(|e| {
                        OsintError::Gazetteer(format!(
                            "alliance {}: the day {m} joined, {d:?}: {e}",
                            a.code
                        ))
                    })?),
                    None => None,
                };
                members.push((m.clone(), joined));
            }
            if let Some(m) = a.joined.keys().find(|m| !a.members.contains(m)) {
                return Err(OsintError::Gazetteer(format!(
                    "alliance {}: {m} joined but is not among its members",
                    a.code
                )));
            }
            alliances.push(Alliance {
                code: a.code.clone(),
                members,
            });
        }
        let mut exercises = Phrases::new();
        for e in &raw.exercise {
            for n in &e.names {
                exercises.add(
                    n,
                    ExerciseDef {
                        actor: e.actor.clone(),
                        zone: e.zone.clone(),
                    },
                );
            }
        }
        let mut categories = Vec::new();
        let mut category_words = Phrases::new();
        let mut systems = FastSet::default();
        for (i, c) in raw.category.iter().enumerate() {
            categories.push(CategoryDef {
                id: c.id.clone(),
                label: c.label.clone(),
                aid_only: c.aid_only,
                military_only: c.military_only,
                money: c.money,
                distinct_nouns: c.distinct_nouns,
            });
            for n in c.nouns.iter().chain(&c.systems) {
                category_words.add(n, CategoryHit::Category(i));
            }
            systems.extend(c.systems.iter().map(|n| n.to_lowercase()));
            // A system counted in the plural ("18 Paladins", "11 deployed B-2s").
            for n in &c.systems {
                if !n.ends_with(['s', 'S']) {
                    category_words.add(&format!("{n}s"), CategoryHit::Category(i));
                }
            }
            for u in &c.units {
                for w in &u.words {
                    category_words.add(w, CategoryHit::Weight(i, u.tons));
                }
            }
        }
        let mut qualifiers_before = Phrases::new();
        for (list, q) in [
            (&raw.qualifiers.more_than, QualWord::MoreThan),
            (&raw.qualifiers.at_least, QualWord::AtLeast),
            (&raw.qualifiers.about, QualWord::About),
            (&raw.qualifiers.up_to, QualWord::UpTo),
        ] {
            for w in list {
                qualifiers_before.add(w, q);
            }
        }
        let mut zones = Vec::new();
        let mut zone_phrases = Phrases::new();
        for (i, z) in raw.zone.iter().enumerate() {
            zones.push(ZoneDef {
                id: z.id.clone(),
                label: z.label.clone(),
            });
            for p in &z.phrases {
                zone_phrases.add(p, i);
            }
        }
        let mut synonyms = FastMap::default();
        for group in &raw.copies.synonyms {
            let Some(rep) = group.first() else { continue };
            let rep = crate::text::stem(rep).to_owned();
            for w in group {
                synonyms.entry(w.clone()).or_insert_with(|| rep.clone());
                synonyms
                    .entry(crate::text::stem(w).to_owned())
                    .or_insert_with(|| rep.clone());
            }
        }
        // Check that every number word is a single token.
        for w in raw.numbers.units.keys().chain(raw.numbers.tens.keys()) {
            let t = tokenize(w);
            if t.len() != 1 || t[0].kind != TokenKind::Word {
                return Err(OsintError::Gazetteer(format!(
                    "number word {w:?} must be one word"
                )));
            }
        }
        let mut not_actors: FastMap<String, Vec<Vec<String>>> = FastMap::default();
        for n in &raw.not_actors {
            let toks: Vec<String> = tokenize(n).iter().map(|t| t.text(n).to_owned()).collect();
            if let Some(first) = toks.first() {
                not_actors.entry(first.clone()).or_default().push(toks);
            }
        }
        let actor_first: FastSet<String> = actor_names
            .keys()
            .chain(people.keys())
            .chain(actor_phrases.keys())
            .chain(not_actors.keys())
            .cloned()
            .collect();
        Ok(Gazetteer {
            actor_first,
            not_actors,
            actor_names,
            actor_phrases,
            people,
            joints,
            alliances,
            organisations,
            exercises,
            categories,
            category_words,
            systems,
            qualifiers_before,
            more_than_after: phrases(&raw.qualifiers.more_than_after),
            range_joiners: raw.qualifiers.range_joiners.clone(),
            range_openers: phrases(&raw.qualifiers.range_openers),
            number_units: raw.numbers.units.into_iter().collect(),
            number_tens: raw.numbers.tens.into_iter().collect(),
            number_scales: raw.numbers.scales.into_iter().collect(),
            vague_before: phrases(&raw.numbers.vague_before),
            limit_words: phrases(&raw.context.limit_words),
            unit_size_before: phrases(&raw.context.unit_size_before),
            change_before: phrases(&raw.context.change_before),
            casualty_after: phrases(&raw.context.casualty_after),
            aid_words: phrases(&raw.context.aid_words),
            non_military_aid: phrases(&raw.context.non_military_aid),
            military_words: phrases(&raw.context.military_words),
            speaker_nouns: phrases(&raw.context.speaker_nouns),
            future_words: phrases(&raw.context.future_words),
            place_prepositions: raw.context.place_prepositions.clone(),
            place_after: raw.context.place_after.clone(),
            place_nouns: phrases(&raw.context.place_nouns),
            exercise_words: phrases(&raw.context.exercise_words),
            zones,
            zone_phrases,
            attribution_verbs: phrases(&raw.attribution.verbs),
            attribution_openers: phrases(&raw.attribution.openers),
            not_speakers: raw.attribution.not_speakers.clone(),
            official_words: phrases(&raw.attribution.official_words),
            synonyms,
            stopwords: raw.copies.stopwords.into_iter().collect(),
            wire_first: raw
                .copies
                .wires
                .iter()
                .filter_map(|w| w.split(' ').next().map(str::to_owned))
                .collect(),
            wires: raw.copies.wires,
            originals: raw.copies.originals,
        })
    }

    /// The joint actor code for a set of member codes, if one is defined; else, for two or more
    /// states that all belong to one alliance, the alliance's code.
    pub fn joint_of(&self, members: &[&str]) -> Option<&str> {
        self.joint_of_on(members, None)
    }

    /// Like [`Gazetteer::joint_of`], counting as an alliance's members on `day` only the states
    /// that had joined it by then ("Swedish and Finnish troops" in 2018 are no NATO force).
    pub fn joint_of_on(&self, members: &[&str], day: Option<jiff::civil::Date>) -> Option<&str> {
        let mut m: Vec<&str> = members.to_vec();
        m.sort();
        m.dedup();
        if let Some((_, c)) = self
            .joints
            .iter()
            .find(|(ms, _)| ms.len() == m.len() && ms.iter().zip(&m).all(|(a, b)| a == b))
        {
            return Some(c);
        }
        if m.len() < 2 {
            return None;
        }
        self.alliances
            .iter()
            .find(|a| m.iter().all(|c| a.member_on(c, day)))
            .map(|a| a.code.as_str())
    }

    /// The named exercise at `words[i]`, with its length in tokens: a listed name, or a listed
    /// name joined to its year ("vostok-2022", "defender-europe-21").
    pub fn exercise_at(&self, words: &[&str], i: usize) -> Option<(usize, &ExerciseDef)> {
        if let Some(hit) = self.exercises.match_at(words, i) {
            return Some(hit);
        }
        let (head, year) = words.get(i)?.rsplit_once('-')?;
        if !(year.len() == 2 || year.len() == 4) || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        self.exercises
            .match_at(&[head], 0)
            .filter(|(len, _)| *len == 1)
            .map(|(_, e)| (1, e))
    }

    /// The zone definition with this id.
    pub fn zone(&self, id: &str) -> Option<&ZoneDef> {
        self.zones.iter().find(|z| z.id == id)
    }

    /// The category definition with this id.
    pub fn category(&self, id: &str) -> Option<&CategoryDef> {
        self.categories.iter().find(|c| c.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_gazetteer_loads_with_every_category_and_zone() {
        let g = Gazetteer::builtin();
        for id in [
            "troops",
            "battle_tanks",
            "armoured_combat_vehicles",
            "artillery",
            "aircraft",
            "warheads",
            "missiles",
            "ammunition_tons",
            "shipments",
            "battalion_tactical_groups",
        ] {
            assert!(g.category(id).is_some(), "{id}");
        }
        for z in ["ukraine", "belarus", "near-ukraine", "crimea", "black-sea"] {
            assert!(g.zone(z).is_some(), "{z}");
        }
        assert_eq!(g.actor_names.get("Kremlin").map(String::as_str), Some("RU"));
        assert_eq!(g.joint_of(&["RU", "BY"]), Some("BY+RU"));
    }

    #[test]
    fn longest_phrase_wins() {
        let g = Gazetteer::builtin();
        let words = ["main", "battle", "tanks"];
        let (len, hit) = g.category_words.match_at(&words, 0).unwrap();
        assert_eq!(len, 3);
        let CategoryHit::Category(i) = hit else {
            panic!("not a category")
        };
        assert_eq!(g.categories[*i].id, "battle_tanks");
    }

    #[test]
    fn an_alliance_counts_its_members_on_the_day() {
        let g = Gazetteer::builtin();
        let day = |d: &str| Some(d.parse::<jiff::civil::Date>().unwrap());
        assert_eq!(
            g.joint_of_on(&["UK", "PL"], day("2015-06-05")),
            Some("NATO")
        );
        // Finland joined on 4 April 2023, Sweden on 7 March 2024.
        assert_eq!(g.joint_of_on(&["SE", "FI", "US"], day("2015-06-05")), None);
        assert_eq!(
            g.joint_of_on(&["FI", "US"], day("2023-05-01")),
            Some("NATO")
        );
        assert_eq!(g.joint_of_on(&["SE", "FI", "US"], day("2023-05-01")), None);
        assert_eq!(
            g.joint_of_on(&["SE", "FI", "US"], day("2024-06-01")),
            Some("NATO")
        );
        // Undated: any member.
        assert_eq!(g.joint_of_on(&["SE", "FI", "US"], None), Some("NATO"));
        let bad = GAZETTEER_TOML.replace(
            "joined = { ME = \"2017-06-05\"",
            "joined = { XX = \"2017-06-05\"",
        );
        assert!(
            Gazetteer::from_toml(&bad)
                .unwrap_err()
                .to_string()
                .contains("XX joined but is not among its members")
        );
    }

    #[test]
    fn weapon_systems_name_their_category_and_exercises_match_with_their_year() {
        let g = Gazetteer::builtin();
        let category = |w: &str| match g.category_words.match_at(&[w], 0) {
            Some((_, CategoryHit::Category(i))) => g.categories[*i].id.as_str(),
            _ => "",
        };
        for (system, id) in [
            ("abrams", "battle_tanks"),
            ("bradley", "armoured_combat_vehicles"),
            ("f-16s", "aircraft"),
            ("paladin", "artillery"),
            ("patriot", "missiles"),
        ] {
            assert_eq!(category(system), id, "{system}");
        }
        let actor = |words: &[&str]| g.exercise_at(words, 0).map(|(_, e)| e.actor.clone());
        assert_eq!(actor(&["vostok-2022"]).as_deref(), Some("RU"));
        assert_eq!(actor(&["zapad-2017"]).as_deref(), Some("BY+RU"));
        assert_eq!(actor(&["steadfast", "defender"]).as_deref(), Some("NATO"));
        assert_eq!(actor(&["defender-europe-21"]).as_deref(), Some("NATO"));
        // A year, not any suffix: "vostok-battalion" is no exercise.
        assert_eq!(actor(&["vostok-battalion"]), None);
    }

    #[test]
    fn malformed_gazetteer_is_an_error() {
        let e = Gazetteer::from_toml("actor = 3").unwrap_err();
        assert!(e.to_string().starts_with("gazetteer:"), "{e}");
    }
}
