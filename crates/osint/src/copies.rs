//! Copies and events: verbatim copies, syndicated wire copies, edited and synonym-swapped
//! rewrites, and the groups of reports that tell one event.
//!
//! Every report gets a [`Fingerprint`]: its content words (lower case, stop words dropped,
//! stemmed, synonyms folded onto one representative from the gazetteer), the same per sentence
//! outside quoted speech, a one-permutation MinHash sketch, which wire services or original
//! outlets it is or says it carries, and the named exercise it is about. Candidate pairs come
//! from locality-sensitive hashing over the sketch (32 bands of 2 values, found by sorting band
//! keys, so memory stays flat), or every pair in a collection of at most `all_pairs_up_to`
//! reports; only candidates are compared exactly ([`compare`]). Fingerprints,
//! sketches and band keys are computed and sorted on every core, and so are the comparisons of
//! large collections:
//!
//! - **copy** (dates at most `copy_days` apart, or unknown): the sentences outside quotes align
//!   one to one in any order (each pair with Jaccard at least `sentence_jaccard`, best pairs
//!   first), at least `copy_min_sentences` of them, and their summed similarity is at least
//!   `copy_share` of the shorter report's sentences: substitutions, reordered paragraphs, a new
//!   lead and cuts leave that standing. A shorter report of two sentences (a wire's first
//!   take) is a copy when both align, with an average similarity of at least one half. Also
//!   `verbatim_sentences` long sentences nearly word for word in both (a page that lifts
//!   paragraphs of another into its own story), near-identical word sets, and two pages
//!   carrying one wire's or outlet's story (or one carrying the other publisher's) with content
//!   words at least `wire_jaccard` alike. A wire credited in the text
//!   is no evidence: outlets cite wires while writing their own story. Quoted speech is left out
//!   of the alignment because independent reports quote the same statement word for word.
//! - **same event**: Jaccard similarity of content words at least `event_jaccard`, dates within
//!   `event_days` of each other (or unknown); or, for two dated reports within `event_days`, the
//!   same similarity with each word weighted by its rarity in the collection (the log of the
//!   inverse share of reports holding it) at least `event_rare_jaccard`: independent reports of
//!   one event share its names, places and figures with few common words.
//! - **same exercise**: reports about one named exercise in one year (its name named at least
//!   twice, or once in the opening; "Zapad-2021", "Zapad 2017", "West-2021") whose dates are at
//!   most `exercise_gap_days` apart join one event, chained in date order, after the text links;
//!   an undated report of the exercise and year joins them when they make one event. No link,
//!   of text or of merged groups, puts reports about one exercise in two different years
//!   ("BALTOPS 22" undated, "BALTOPS 23", a BALTOPS report of 2017) in one event: an annual
//!   exercise is told in the same words every year.
//!
//! - **one story over days**: the events found so far whose groups, taken as wholes, share
//!   their rarer words, their written figures ("20,000" as one word) and their headlines' words
//!   (cosine similarity of word profiles weighted by rarity and by the share of each group's
//!   reports holding a word, at least `event_merge_cosine`), with known dates at
//!   most `event_merge_gap_days` apart, are merged best pair first, the profiles summed, into
//!   events of at most `event_merge_span_days`: one aid package or announcement told again by
//!   other outlets days later. Only groups holding a candidate pair are compared.
//!
//! Links are taken strongest first; an event linked pair by pair never spans more than
//! `event_span_days` of known dates (a page without a date takes its dateline's), and a copy link that would join two
//! events is not taken, so no derived pair crosses events. Reports are ordered by publication
//! date (an undated report takes the first known day of the reports its text is linked to),
//! then the outlet that another page of the copy group credits in parentheses ("Global Civil
//! War (Atlantic Sentinel)") before the rest, then a version whose lead tells of the event as still to come ("is scheduled to sign")
//! before one written after it, then the wire or outlet itself before a page carrying it before the rest, then an outlet
//! others copy (gazetteer `originals`), a dated report, and clear containment (a report held
//! almost whole in a linked copy that it covers at most half of is the earlier version, unless
//! the two are dated the other way round). Each
//! copy derives from the linked report before it that it shares most text with (aligned
//! sentences, then words), a dated one before an undated one. Corroboration counts copy groups,
//! never copies.

use jiff::civil::Date;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::text::stem;
use crate::{Gazetteer, Report};

/// Sources whose shared text with a copy is within this share of the most are near equals: of
/// those, the earliest is the source.
const PARENT_MARGIN: f32 = 0.05;

/// Number of MinHash values per sketch.
pub const SKETCH: usize = 64;
const ROWS: usize = 2;
const BANDS: usize = SKETCH / ROWS;

/// Thresholds of copy and event detection.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CopyParams {
    /// Minimum Jaccard similarity of content words for two reports to tell one event.
    pub event_jaccard: f64,
    /// Minimum Jaccard similarity of content words weighted by their rarity in the collection
    /// (names, places, figures weigh more than common words) for two reports to tell one event.
    pub event_rare_jaccard: f64,
    /// Maximum days between the publication dates of two linked reports of one event.
    pub event_days: i32,
    /// Maximum days between the publication dates of a copy and its source.
    pub copy_days: i32,
    /// Maximum days between the first and last known dates of one event.
    pub event_span_days: i32,
    /// Minimum Jaccard similarity for two sentences to align.
    pub sentence_jaccard: f64,
    /// Minimum summed similarity of the aligned sentences, as a share of the shorter report's
    /// sentences, for a copy.
    pub copy_share: f64,
    /// Minimum number of aligned sentences for a copy.
    pub copy_min_sentences: usize,
    /// Jaccard similarity of content words above which two reports are copies outright.
    pub identical_jaccard: f64,
    /// Minimum Jaccard similarity for two pages carrying one wire service's story to be copies.
    pub wire_jaccard: f64,
    /// LSH buckets with more members than this are skipped (too common to be informative).
    pub bucket_cap: usize,
    /// Collections of at most this many reports compare every pair instead of the pairs that
    /// share a band of their sketches.
    pub all_pairs_up_to: usize,
    /// Long sentences outside quotes, nearly word for word in both reports, that make a copy
    /// on their own (a page that lifts paragraphs of another's story into its own).
    pub verbatim_sentences: usize,
    /// Maximum days between consecutive dated reports of one named exercise and year that join
    /// one event (reports of an exercise run from its announcement to its end).
    pub exercise_gap_days: i32,
    /// Minimum cosine similarity of the rarity-weighted word profiles of two groups of reports
    /// for them to be merged into one event (a story told over weeks by many outlets).
    pub event_merge_cosine: f64,
    /// Maximum days between the known dates of two groups merged into one event.
    pub event_merge_gap_days: i32,
    /// Maximum days between the first and last known dates of an event made by merging groups.
    pub event_merge_span_days: i32,
}

impl Default for CopyParams {
    fn default() -> Self {
        CopyParams {
            event_jaccard: 0.18,
            event_rare_jaccard: 0.08,
            event_days: 3,
            copy_days: 7,
            event_span_days: 5,
            sentence_jaccard: 0.3,
            copy_share: 0.4,
            copy_min_sentences: 3,
            identical_jaccard: 0.8,
            wire_jaccard: 0.2,
            bucket_cap: 48,
            all_pairs_up_to: 2_000,
            verbatim_sentences: 2,
            exercise_gap_days: 31,
            event_merge_cosine: 0.25,
            event_merge_gap_days: 7,
            event_merge_span_days: 31,
        }
    }
}

/// What copy detection needs to know of one report.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// In one allocation (a million reports make a million fingerprints): the sorted, distinct
    /// hashes of the content words of the whole text; then the sorted, distinct word hashes of
    /// each sentence outside quotes, concatenated; then the end offset of each sentence in
    /// those.
    data: Box<[u32]>,
    /// Length of the words of the whole text in `data`.
    n_words: u32,
    /// Length of the sentences' words in `data`.
    n_sentence_words: u32,
    /// Length of the event words at the end of `data`: the sorted, distinct hashes of the
    /// written figures ("20,000") and the headline's words that are not among the text's words.
    n_event_words: u32,
    /// The MinHash sketch.
    sketch: [u32; SKETCH],
    /// Wires and original outlets whose text the report carries, named in parentheses after
    /// the publisher (bit per name of the gazetteer's `wires` then `originals`).
    carries: u128,
    /// The publisher itself, if it is one of those names (its bit).
    own: u128,
    /// Whether the outlet is one whose text others copy.
    original: bool,
    /// Hashes of the outlet's own name and of the first two names it credits in parentheses
    /// ("Global Civil War (Atlantic Sentinel)"), 0 where there is none.
    names: [u32; 3],
    /// The publication date.
    date: Option<Date>,
    /// The named exercise the report is about, if any: a hash of its name, and its year as
    /// written with the name ("BALTOPS 22"), else the year of the publication date.
    exercise: Option<(u64, i16)>,
    /// Whether the report's lead tells of the event as still to come (a version of a story
    /// written before the event it announces).
    preview: bool,
}

/// Buffers one thread reuses from one fingerprint to the next.
#[derive(Default)]
struct Scratch {
    words: Vec<u32>,
    sentence_words: Vec<u32>,
    sentence_ends: Vec<u32>,
    one: Vec<u32>,
    buf: String,
    lower: String,
    exercise_starts: Vec<usize>,
    event_words: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Other names of one exercise, folded onto the name used as its key ("West-2021" is Zapad).
const EXERCISE_ALIASES: &[(&str, &str)] = &[
    ("west", "zapad"),
    ("caucasus", "kavkaz"),
    ("center", "tsentr"),
    ("centre", "tsentr"),
];

/// The year written in a token ("2021", "21", "zapad-2021", "defender-europe-21").
fn year_in(token: &str) -> Option<i16> {
    let digits = token.rsplit('-').next().unwrap_or(token);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match digits.len() {
        4 => digits.parse().ok().filter(|y| (1950..=2100).contains(y)),
        2 => digits.parse::<i16>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

/// The named exercise a report is about, as a hash of its name and its year: the exercise named
/// most often (at least twice, or once in the opening), its year as written ("Zapad-2017",
/// "Defender Europe 21") or else the year of `date`. Reports of one exercise span weeks, from
/// its announcement to its end, with little text in common; its name and year tie them.
/// `starts` holds the byte offsets of capitalised words whose lower-case form starts a name.
fn main_exercise(
    g: &Gazetteer,
    text: &str,
    starts: &[usize],
    date: Option<Date>,
) -> Option<(u64, i16)> {
    let mut found: Vec<((u64, i16), usize)> = Vec::new();
    for &at in starts {
        let mut end = (at + 48).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let toks = crate::text::tokenize(&text[at..end]);
        let words: Vec<&str> = toks.iter().map(|t| t.lower.as_str()).collect();
        let Some((len, _)) = g.exercise_at(&words, 0) else {
            continue;
        };
        let year = words[..len]
            .iter()
            .chain(words.get(len))
            .find_map(|w| year_in(w))
            .or_else(|| date.map(|d| d.year()));
        let Some(year) = year else { continue };
        // Every word of the name but its year ("Union Resolve" and "Union Shield" are two
        // exercises), the first folded onto its key.
        let mut name = String::new();
        for part in words[..len]
            .iter()
            .flat_map(|w| w.split('-'))
            .filter(|w| !w.is_empty() && !w.bytes().all(|b| b.is_ascii_digit()))
        {
            let part = if name.is_empty() {
                EXERCISE_ALIASES
                    .iter()
                    .find(|(alias, _)| *alias == part)
                    .map_or(part, |(_, key)| key)
            } else {
                part
            };
            if !name.is_empty() {
                name.push(' ');
            }
            name.push_str(part);
        }
        found.push(((hash_word(&name), year), at));
    }
    let mut best: Option<(usize, usize, (u64, i16))> = None;
    for &(key, at) in &found {
        let count = found.iter().filter(|f| f.0 == key).count();
        let first = found.iter().find(|f| f.0 == key).map_or(at, |f| f.1);
        if (count >= 2 || first < 500)
            && best.is_none_or(|(c, f, _)| count > c || (count == c && first < f))
        {
            best = Some((count, first, key));
        }
    }
    best.map(|b| b.2)
}

/// Words of a lead that tell of an event still to come.
const PREVIEW_PHRASES: &[&str] = &[
    " is scheduled to ",
    " are scheduled to ",
    " is expected to ",
    " are expected to ",
    " is set to ",
    " are set to ",
    " is due to ",
    " are due to ",
    " is poised to ",
    " are poised to ",
];

/// Whether the first sentence of the story (after a capture-date marker and a dateline) tells
/// of the event as still to come: "MORAG, Poland (AP) — Poland is scheduled to seal a deal"
/// is the version written before the signing that a later "Poland has sealed a deal" updates.
fn is_preview(body: &str) -> bool {
    let head: String = body.chars().take(400).collect();
    let lead = head
        .lines()
        .map(str::trim)
        .find(|l| l.split_whitespace().count() >= 6)
        .unwrap_or("");
    let sentence = lead.split(". ").next().unwrap_or(lead);
    PREVIEW_PHRASES.iter().any(|p| sentence.contains(p))
}

fn hash_word(w: &str) -> u64 {
    // FNV-1a followed by a finaliser: fast and well mixed for short words.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in w.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h
}

/// Whether `rest` opens with the separator inside a written figure: a comma before a group of
/// three digits ("20,000") or a decimal point before a digit ("1.5").
fn figure_separator(rest: &[u8]) -> bool {
    let digit = |i: usize| rest.get(i).is_some_and(u8::is_ascii_digit);
    match rest.first() {
        Some(b',') => digit(1) && digit(2) && digit(3) && !digit(4),
        Some(b'.') => digit(1),
        _ => false,
    }
}

/// Folds one raw word onto its content form (lower case, stemmed, synonym representative) and
/// calls `f` with it, unless it is a stop word.
fn content_word(g: &Gazetteer, raw: &str, buf: &mut String, f: &mut impl FnMut(&str)) {
    buf.clear();
    if raw.is_ascii() {
        buf.push_str(raw);
        buf.make_ascii_lowercase();
    } else {
        for c in raw.chars() {
            buf.extend(c.to_lowercase());
        }
    }
    let w = buf.strip_suffix("'s").unwrap_or(buf);
    if g.stopwords.contains(w) {
        return;
    }
    if let Some(rep) = g.synonyms.get(w) {
        f(rep);
        return;
    }
    let s = stem(w);
    match g.synonyms.get(s) {
        Some(rep) => f(rep),
        None => f(s),
    }
}

/// The names of wires and original outlets (gazetteer `wires` then `originals`, at most 128).
fn source_names(g: &Gazetteer) -> impl Iterator<Item = &str> {
    g.wires
        .iter()
        .chain(g.originals.iter())
        .map(String::as_str)
        .take(128)
}

/// What a report's outlet says of its sources: (carried, the publisher itself, whether the
/// publisher is one others copy).
fn sources(g: &Gazetteer, outlet: Option<&str>) -> (u128, u128, bool) {
    let (mut carries, mut own) = (0u128, 0u128);
    let (name, inner) = match outlet {
        Some(o) => match o.split_once(" (") {
            Some((name, rest)) => (name, rest.trim_end_matches(')')),
            None => (o, ""),
        },
        None => ("", ""),
    };
    for (i, w) in source_names(g).enumerate() {
        let bit = 1u128 << i;
        if inner
            .split(['/', ','])
            .any(|p| p.trim().eq_ignore_ascii_case(w))
        {
            carries |= bit;
        }
        if name.eq_ignore_ascii_case(w) {
            own |= bit;
        }
    }
    let original = g.originals.iter().any(|x| {
        x.eq_ignore_ascii_case(name) || inner.split('/').any(|p| p.trim().eq_ignore_ascii_case(x))
    });
    (carries, own, original)
}

/// Hashes of an outlet's own name and of the first two names it credits in parentheses, split
/// at "/" and "," (lower case; 0 where there is none).
fn outlet_names(outlet: Option<&str>) -> [u32; 3] {
    let mut out = [0u32; 3];
    let Some(o) = outlet else { return out };
    let hash = |name: &str| {
        let name = name.trim().to_lowercase();
        if name.is_empty() {
            0
        } else {
            (hash_word(&name) as u32).max(1)
        }
    };
    let (name, inner) = match o.split_once(" (") {
        Some((name, rest)) => (name, rest.trim_end_matches(')')),
        None => (o, ""),
    };
    out[0] = hash(name);
    for (slot, credit) in out[1..].iter_mut().zip(inner.split(['/', ','])) {
        *slot = hash(credit);
    }
    out
}

impl Fingerprint {
    /// The fingerprint of a report, with the built-in gazetteer.
    pub fn of(report: &Report) -> Fingerprint {
        let (g, outlet) = (Gazetteer::builtin(), report.outlet.as_deref());
        let date = report.published.or_else(|| crate::claims::dateline(report));
        let title = report.title.as_deref();
        let mut f = SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                Fingerprint::build(g, &report.body, title, outlet, date, &mut scratch)
            }
            Err(_) => Fingerprint::build(
                g,
                &report.body,
                title,
                outlet,
                date,
                &mut Scratch::default(),
            ),
        });
        f.preview = is_preview(&report.body);
        f
    }

    /// The fingerprint of a text with its outlet and date.
    pub fn from_parts(
        g: &Gazetteer,
        text: &str,
        outlet: Option<&str>,
        date: Option<Date>,
    ) -> Fingerprint {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => Fingerprint::build(g, text, None, outlet, date, &mut scratch),
            Err(_) => Fingerprint::build(g, text, None, outlet, date, &mut Scratch::default()),
        })
    }

    /// The fingerprint of a text, working in `scratch`: the fingerprint's own vectors are
    /// allocated once, at their exact size.
    fn build(
        g: &Gazetteer,
        text: &str,
        title: Option<&str>,
        outlet: Option<&str>,
        date: Option<Date>,
        scratch: &mut Scratch,
    ) -> Fingerprint {
        let Scratch {
            words,
            sentence_words,
            sentence_ends,
            one,
            buf,
            lower,
            exercise_starts,
            event_words,
        } = scratch;
        words.clear();
        sentence_words.clear();
        sentence_ends.clear();
        one.clear();
        exercise_starts.clear();
        event_words.clear();
        let mut sketch = [u32::MAX; SKETCH];
        let mut close_sentence = |one: &mut Vec<u32>| {
            one.sort_unstable();
            one.dedup();
            if one.len() >= 4 {
                sentence_words.extend_from_slice(one);
                sentence_ends.push(sentence_words.len() as u32);
            }
            one.clear();
        };
        let mut in_quote = false;
        // One pass: words feed the sketch and the word set; words outside quotes also feed the
        // sentence in progress; line breaks, quotes and sentence stops close it.
        let bytes = text.as_bytes();
        let mut start = None;
        let mut k = 0;
        while k <= text.len() {
            let c = if k < text.len() {
                text[k..].chars().next().unwrap_or(' ')
            } else {
                ' '
            };
            let word_char = c.is_alphanumeric()
                || ((c == '\'' || c == '-')
                    && start.is_some()
                    && text[k + 1..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric))
                // A written figure is one word ("20,000", "1.5"), among the event words.
                || (start.is_some()
                    && k > 0
                    && bytes[k - 1].is_ascii_digit()
                    && figure_separator(&bytes[k..]));
            if word_char {
                if start.is_none() {
                    start = Some(k);
                }
            } else {
                if let Some(s0) = start.take() {
                    let raw = &text[s0..k];
                    if raw.as_bytes()[0].is_ascii_uppercase() {
                        lower.clear();
                        lower.push_str(raw);
                        lower.make_ascii_lowercase();
                        let head = lower.split('-').next().unwrap_or(lower);
                        if g.exercises.starts_with_word(head) || g.exercises.starts_with_word(lower)
                        {
                            exercise_starts.push(s0);
                        }
                    }
                    let mut push = |w: &str| {
                        let h = hash_word(w);
                        words.push(h as u32);
                        let bin = (h >> 58) as usize;
                        let v = (h >> 16) as u32;
                        if v < sketch[bin] {
                            sketch[bin] = v;
                        }
                        if !in_quote {
                            one.push(h as u32);
                        }
                    };
                    if raw.bytes().any(|b| b == b',' || b == b'.') {
                        // The text's words keep the figure's digit groups ("20", "000").
                        event_words.push(hash_word(raw) as u32);
                        for part in raw.split([',', '.']) {
                            content_word(g, part, buf, &mut push);
                        }
                    } else {
                        content_word(g, raw, buf, &mut push);
                    }
                }
                match c {
                    '"' => {
                        close_sentence(one);
                        in_quote = !in_quote;
                    }
                    '\n' => {
                        close_sentence(one);
                        in_quote = false;
                    }
                    '!' | '?' => close_sentence(one),
                    '.' if bytes.get(k + 1) == Some(&b' ') => close_sentence(one),
                    _ => {}
                }
            }
            k += c.len_utf8().max(1);
        }
        close_sentence(one);
        words.sort_unstable();
        words.dedup();
        // The headline's words name what the report is about.
        for raw in title
            .unwrap_or("")
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
            .map(|w| w.trim_matches(|c| c == '\'' || c == '-'))
            .filter(|w| !w.is_empty())
        {
            content_word(g, raw, buf, &mut |w| event_words.push(hash_word(w) as u32));
        }
        event_words.sort_unstable();
        event_words.dedup();
        event_words.retain(|w| words.binary_search(w).is_err());
        // Densify empty bins from the next filled one, so sparse texts still band.
        densify(&mut sketch);
        let (carries, own, original) = sources(g, outlet);
        let names = outlet_names(outlet);
        let exercise = if exercise_starts.is_empty() {
            None
        } else {
            main_exercise(g, text, exercise_starts, date)
        };
        Fingerprint {
            exercise,
            preview: false,
            data: words
                .iter()
                .chain(sentence_words.iter())
                .chain(sentence_ends.iter())
                .chain(event_words.iter())
                .copied()
                .collect(),
            n_words: words.len() as u32,
            n_sentence_words: sentence_words.len() as u32,
            n_event_words: event_words.len() as u32,
            sketch,
            carries,
            own,
            original,
            names,
            date,
        }
    }

    fn carries_any(&self) -> bool {
        self.carries != 0
    }

    /// Sorted, distinct hashes of the content words of the whole text.
    fn words(&self) -> &[u32] {
        &self.data[..self.n_words as usize]
    }

    fn sentence_words(&self) -> &[u32] {
        &self.data[self.n_words as usize..(self.n_words + self.n_sentence_words) as usize]
    }

    fn sentence_ends(&self) -> &[u32] {
        &self.data[(self.n_words + self.n_sentence_words) as usize
            ..self.data.len() - self.n_event_words as usize]
    }

    /// Sorted, distinct hashes of the written figures and headline words not among `words`.
    fn event_words(&self) -> &[u32] {
        &self.data[self.data.len() - self.n_event_words as usize..]
    }

    fn sentence(&self, i: usize) -> &[u32] {
        let ends = self.sentence_ends();
        let start = if i == 0 { 0 } else { ends[i - 1] as usize };
        &self.sentence_words()[start..ends[i] as usize]
    }

    fn sentences(&self) -> usize {
        self.data.len() - (self.n_words + self.n_sentence_words + self.n_event_words) as usize
    }

    /// The shingles: sorted, distinct 32-bit hashes of the report's content words.
    pub fn shingles(&self) -> &[u32] {
        self.words()
    }

    /// Bytes of memory the fingerprint holds.
    pub fn heap_size(&self) -> usize {
        std::mem::size_of::<Self>() + 4 * self.data.len()
    }
}

fn intersection(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let n = intersection(a, b);
    n as f64 / (a.len() + b.len() - n) as f64
}

/// Jaccard similarity of the content words of two fingerprinted reports.
pub fn similarity(a: &Fingerprint, b: &Fingerprint) -> f64 {
    jaccard(a.words(), b.words())
}

/// Sentences of `a` and `b` that align one to one, in any order: the most similar pairs are
/// taken first, each sentence at most once, if their Jaccard similarity is at least
/// `min_jaccard`. Order is not required, so reordered paragraphs, a new lead and cuts still
/// align. Also counts the aligned pairs of long sentences that are nearly the same words.
fn aligned_sentences(a: &Fingerprint, b: &Fingerprint, min_jaccard: f64) -> Alignment {
    ALIGN_SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => align_in(a, b, min_jaccard, &mut scratch),
        Err(_) => align_in(a, b, min_jaccard, &mut AlignScratch::default()),
    })
}

/// Buffers one thread reuses from one alignment to the next (a large collection compares
/// millions of pairs).
#[derive(Default)]
struct AlignScratch {
    pairs: Vec<(f32, u32, u32)>,
    used: Vec<bool>,
}

thread_local! {
    static ALIGN_SCRATCH: std::cell::RefCell<AlignScratch> =
        std::cell::RefCell::new(AlignScratch::default());
}

/// [`aligned_sentences`], working in `scratch`.
fn align_in(
    a: &Fingerprint,
    b: &Fingerprint,
    min_jaccard: f64,
    scratch: &mut AlignScratch,
) -> Alignment {
    let (n, m) = (a.sentences(), b.sentences());
    let mut out = Alignment::default();
    if n == 0 || m == 0 {
        return out;
    }
    let AlignScratch { pairs, used } = scratch;
    pairs.clear();
    for i in 0..n {
        let sa = a.sentence(i);
        for j in 0..m {
            let s = jaccard(sa, b.sentence(j));
            if s >= min_jaccard {
                pairs.push((s as f32, i as u32, j as u32));
            }
        }
    }
    pairs.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    used.clear();
    used.resize(n + m, false);
    let (used_a, used_b) = used.split_at_mut(n);
    for &(sim, i, j) in pairs.iter() {
        let (iu, ju) = (i as usize, j as usize);
        if !used_a[iu] && !used_b[ju] {
            used_a[iu] = true;
            used_b[ju] = true;
            if sim >= NEAR_VERBATIM
                && a.sentence(iu).len().min(b.sentence(ju).len()) >= LONG_SENTENCE
            {
                out.verbatim += 1;
            }
            out.aligned += 1;
            out.mass += f64::from(sim);
        }
    }
    out
}

/// How the sentences of two reports align.
#[derive(Debug, Clone, Copy, Default)]
struct Alignment {
    /// Pairs at least `sentence_jaccard` alike, one to one in any order.
    aligned: usize,
    /// Their summed similarity.
    mass: f64,
    /// Pairs of long sentences that are nearly the same words.
    verbatim: usize,
}

/// Average similarity of the aligned sentences of a report shorter than `copy_min_sentences`
/// (at least two), every one of them aligned, for it to be held whole in the other.
const WHOLE_SHORT_SHARE: f64 = 0.5;

/// Jaccard similarity at or above which two sentences are nearly the same words.
const NEAR_VERBATIM: f32 = 0.7;
/// Content words of a sentence long enough to be distinctive.
const LONG_SENTENCE: usize = 8;

/// How two reports relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Unrelated (or too far apart in time).
    None,
    /// Reports of one event, written independently.
    Event,
    /// One copies or rewrites the other.
    Copy,
}

/// What the exact comparison of two reports found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The relation decided.
    pub relation: Relation,
    /// Jaccard similarity of the content words.
    pub jaccard: f64,
    /// Sentences (outside quotes) that align one to one.
    pub aligned: usize,
    /// The sum of the similarities of the aligned sentence pairs.
    pub aligned_similarity: f64,
    /// Sentences (outside quotes) of each report.
    pub sentences: (usize, usize),
    /// Pairs of long sentences outside quotes that are nearly the same words.
    pub verbatim: usize,
    /// Which test made the pair a copy, if it is one.
    pub rule: Option<CopyRule>,
}

/// The test that made two reports copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyRule {
    /// Nearly the same content words.
    Identical,
    /// Two pages carrying one wire's or outlet's story.
    Wire,
    /// Sentences aligned over enough of the shorter report.
    Aligned,
    /// Long sentences lifted nearly word for word.
    Verbatim,
}

impl Comparison {
    /// Share of the first report's sentences that align with the second's.
    pub fn contained_first(&self) -> f64 {
        self.aligned as f64 / self.sentences.0.max(1) as f64
    }
    /// Share of the second report's sentences that align with the first's.
    pub fn contained_second(&self) -> f64 {
        self.aligned as f64 / self.sentences.1.max(1) as f64
    }
}

fn days_apart(a: Option<Date>, b: Option<Date>) -> Option<i32> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a - b).get_days().abs()),
        _ => None,
    }
}

/// Compares two fingerprinted reports exactly.
pub fn compare(a: &Fingerprint, b: &Fingerprint, p: &CopyParams) -> Comparison {
    let j = jaccard(a.words(), b.words());
    let mut c = Comparison {
        relation: Relation::None,
        jaccard: j,
        aligned: 0,
        aligned_similarity: 0.0,
        sentences: (a.sentences(), b.sentences()),
        verbatim: 0,
        rule: None,
    };
    let apart = days_apart(a.date, b.date);
    if apart.is_some_and(|d| d > p.copy_days) {
        return c;
    }
    if j >= p.event_jaccard * 0.5 {
        let al = aligned_sentences(a, b, p.sentence_jaccard);
        (c.aligned, c.aligned_similarity) = (al.aligned, al.mass);
        c.verbatim = al.verbatim;
    }
    let shorter = c.sentences.0.min(c.sentences.1);
    // Two pages carrying one wire's or outlet's story, or a page carrying the story of the
    // other's publisher, carry versions of one text.
    let same_wire = (a.carries & (b.carries | b.own)) != 0 || (b.carries & a.own) != 0;
    c.rule = if j >= p.identical_jaccard {
        Some(CopyRule::Identical)
    } else if c.aligned >= p.copy_min_sentences
        && shorter > 0
        && c.aligned_similarity >= p.copy_share * shorter as f64
    {
        Some(CopyRule::Aligned)
    } else if (2..p.copy_min_sentences).contains(&shorter)
        && c.aligned == shorter
        && c.aligned_similarity >= WHOLE_SHORT_SHARE * shorter as f64
    {
        // A short report (a wire's first take, a brief) held whole in the other, which may put
        // a new lead before it.
        Some(CopyRule::Aligned)
    } else if c.verbatim >= p.verbatim_sentences {
        Some(CopyRule::Verbatim)
    } else if same_wire && j >= p.wire_jaccard {
        Some(CopyRule::Wire)
    } else {
        None
    };
    c.relation = if c.rule.is_some() {
        Relation::Copy
    } else if j >= p.event_jaccard && apart.is_none_or(|d| d <= p.event_days) {
        Relation::Event
    } else {
        Relation::None
    };
    c
}

/// The editions of named exercises a group of reports is about: each one's name (hashed) and
/// year.
#[derive(Clone, Default)]
struct Editions(Vec<(u64, i16)>);

impl Editions {
    /// The edition a report is about, if it names an exercise.
    fn of(f: &Fingerprint) -> Editions {
        Editions(f.exercise.into_iter().collect())
    }

    /// Whether two groups are about one exercise in two different years: an annual exercise
    /// is told in the same words every year, and those reports are two events.
    fn clash(&self, other: &Editions) -> bool {
        self.0
            .iter()
            .any(|&(n, y)| other.0.iter().any(|&(m, z)| n == m && y != z))
    }

    /// Adds the editions of another group.
    fn absorb(&mut self, other: Editions) {
        for e in other.0 {
            if !self.0.contains(&e) {
                self.0.push(e);
            }
        }
    }
}

#[derive(Clone)]
struct UnionFind(Vec<u32>);

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind((0..n as u32).collect())
    }
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] as usize != r {
            r = self.0[r] as usize;
        }
        let mut x = x;
        while self.0[x] as usize != r {
            let next = self.0[x] as usize;
            self.0[x] = r as u32;
            x = next;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            self.0[hi] = lo as u32;
        }
    }
    fn groups(&mut self) -> (Vec<Vec<usize>>, Vec<usize>) {
        let n = self.0.len();
        // The group of each root, by the root's index (no hashing).
        let mut index: Vec<u32> = vec![u32::MAX; n];
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut of = vec![0; n];
        for (i, slot) in of.iter_mut().enumerate() {
            let r = self.find(i);
            if index[r] == u32::MAX {
                index[r] = groups.len() as u32;
                groups.push(Vec::new());
            }
            let g = index[r] as usize;
            groups[g].push(i);
            *slot = g;
        }
        (groups, of)
    }
}

/// One report that copies or rewrites another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerivedPair {
    /// Index of the copy.
    pub copy: usize,
    /// Index of the report it derives from (the earliest of its copy group).
    pub source: usize,
}

/// The outcome of copy detection over a set of reports (indexes into the input).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Copies {
    /// Reports of one event, each group in input order; every report is in exactly one group.
    pub events: Vec<Vec<usize>>,
    /// Groups of copies (independent sources), the source first; every report is in one.
    pub groups: Vec<Vec<usize>>,
    /// For each report, the index of its copy group in `groups`.
    pub group_of: Vec<usize>,
    /// For each report, the index of its event in `events`.
    pub event_of: Vec<usize>,
    /// Which report derives from which.
    pub derived: Vec<DerivedPair>,
    /// Candidate pairs compared exactly.
    pub compared: u64,
    /// LSH buckets skipped for holding more than `bucket_cap` reports.
    pub skipped_buckets: u64,
}

impl Copies {
    /// The source a report derives from, if it is a copy.
    pub fn source_of(&self, report: usize) -> Option<usize> {
        self.derived
            .iter()
            .find(|d| d.copy == report)
            .map(|d| d.source)
    }
}

/// Groups reports into copies and events with the default parameters.
pub fn group_copies(reports: &[Report]) -> Copies {
    let prints: Vec<Fingerprint> = reports.par_iter().map(Fingerprint::of).collect();
    group_fingerprints(&prints, &CopyParams::default())
}

/// How rare each content word is in a collection: its document frequency in a sample of the
/// reports (every report of a collection up to 20,000; an even spread of 20,000 of a larger one).
struct Rarity {
    df: crate::gazetteer::FastMap<u32, u32>,
    sample: u32,
}

impl Rarity {
    fn of(prints: &[Fingerprint]) -> Rarity {
        let step = (prints.len() / 20_000).max(1);
        let mut df: crate::gazetteer::FastMap<u32, u32> = Default::default();
        let mut sample = 0u32;
        for f in prints.iter().step_by(step) {
            sample += 1;
            for &w in f.words().iter().chain(f.event_words()) {
                *df.entry(w).or_default() += 1;
            }
        }
        Rarity { df, sample }
    }

    /// The weight of a word: the log of the inverse share of reports that hold it.
    fn weight(&self, w: u32) -> f32 {
        let df = self.df.get(&w).copied().unwrap_or(0);
        ((self.sample as f32 + 1.0) / (df as f32 + 1.0)).ln()
    }
}

/// Jaccard similarity of two sorted word sets, each word weighted by its rarity.
fn rare_jaccard(a: &[u32], b: &[u32], r: &Rarity) -> f64 {
    let (mut i, mut j) = (0, 0);
    let (mut shared, mut all) = (0f32, 0f32);
    while i < a.len() || j < b.len() {
        let (w, both) = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                i += 1;
                j += 1;
                (x, true)
            }
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                (x, false)
            }
            (Some(&x), None) => {
                i += 1;
                (x, false)
            }
            (_, Some(&y)) => {
                j += 1;
                (y, false)
            }
            (None, None) => break,
        };
        let weight = r.weight(w);
        all += weight;
        if both {
            shared += weight;
        }
    }
    if all > 0.0 {
        f64::from(shared / all)
    } else {
        0.0
    }
}

/// Sketches for banding. In a large collection, words found in more than 2% of a sample of
/// reports (and in at least 50 of them) are the collection's own stop words: they are left out of
/// the sketches, so that reports do not collide on them. Small collections use the sketches as
/// they are.
fn corpus_sketches(prints: &[Fingerprint], rarity: &Rarity) -> Vec<[u32; SKETCH]> {
    let sample = rarity.sample as usize;
    let threshold = (sample / 50).max(50);
    let common: crate::gazetteer::FastSet<u32> = if sample > threshold {
        rarity
            .df
            .iter()
            .filter(|&(_, &c)| c as usize > threshold)
            .map(|(&w, _)| w)
            .collect()
    } else {
        Default::default()
    };
    prints
        .par_iter()
        .map(|f| {
            if common.is_empty() {
                return f.sketch;
            }
            let mut sketch = [u32::MAX; SKETCH];
            let mut any = false;
            for &w in f.words().iter().filter(|w| !common.contains(w)) {
                let mut h = u64::from(w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                h ^= h >> 31;
                h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
                h ^= h >> 29;
                let bin = (h >> 58) as usize;
                let v = (h >> 16) as u32;
                sketch[bin] = sketch[bin].min(v);
                any = true;
            }
            if !any {
                return f.sketch;
            }
            densify(&mut sketch);
            sketch
        })
        .collect()
}

fn densify(sketch: &mut [u32; SKETCH]) {
    if let Some(first) = (0..SKETCH).find(|&b| sketch[b] != u32::MAX) {
        for k in 1..=SKETCH {
            let b = (first + SKETCH - k) % SKETCH;
            if sketch[b] == u32::MAX {
                let from = (b + 1) % SKETCH;
                sketch[b] = sketch[from].wrapping_add(0x9e37_79b9);
            }
        }
    }
}

/// Groups fingerprinted reports into copies and events.
pub fn group_fingerprints(prints: &[Fingerprint], p: &CopyParams) -> Copies {
    group_on(prints, p, None)
}

/// Groups fingerprinted reports with `threads` threads comparing candidate pairs (`None`: every
/// core, once there are enough pairs to share out).
fn group_on(prints: &[Fingerprint], p: &CopyParams, threads: Option<usize>) -> Copies {
    let n = prints.len();
    let rarity = Rarity::of(prints);
    let sketches = corpus_sketches(prints, &rarity);
    let id_bits = (usize::BITS - n.max(2).leading_zeros()).max(1);
    let band_bits = 5;
    let low_bits = id_bits + band_bits;
    // Band keys packed with the band and the report index, sorted so that equal keys are
    // adjacent: memory is one word per report and band, whatever the collisions.
    // The key of a band of a sketch, shifted left by `id_bits` (room for the report index).
    let band_key = |sketch: &[u32; SKETCH], b: usize| {
        let mut h: u64 = (b as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for r in 0..ROWS {
            h ^= u64::from(sketch[b * ROWS + r]);
            h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
            h ^= h >> 29;
        }
        (h << low_bits) | ((b as u64) << id_bits)
    };
    let mut keys: Vec<u64> = sketches
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, sketch)| (0..BANDS).map(move |b| band_key(sketch, b) | i as u64))
        .collect();
    keys.par_sort_unstable();
    let mask = (1u64 << id_bits) - 1;
    // Buckets too large to compare: a pair that meets first in one of them is compared in the
    // next band where it meets. Buckets of one report hold no pair.
    let mut too_large: crate::gazetteer::FastSet<u64> = Default::default();
    let mut buckets: Vec<(usize, usize)> = Vec::new();
    let mut pairs_in_buckets = 0usize;
    let mut start = 0;
    while start < keys.len() {
        let key = keys[start] >> id_bits;
        let end = start + keys[start..].partition_point(|k| k >> id_bits == key);
        if end - start > p.bucket_cap {
            too_large.insert(key);
        } else if end - start > 1 {
            buckets.push((start, end));
            pairs_in_buckets += (end - start) * (end - start - 1) / 2;
        }
        start = end;
    }
    let skipped = too_large.len() as u64;
    // Compares one candidate pair and keeps the link it finds.
    let link = |a: usize, b: usize, edges: &mut Vec<Edge>, compared: &mut u64| {
        let (sa, sb) = (&sketches[a], &sketches[b]);
        // The sketches estimate the similarity: skip pairs far below any threshold.
        let same = sa.iter().zip(sb.iter()).filter(|(x, y)| x == y).count();
        if (same as f64) < p.event_jaccard * 0.5 * SKETCH as f64 {
            return;
        }
        *compared += 1;
        let mut c = compare(&prints[a], &prints[b], p);
        // Independent reports of one event share its names, places and figures, rare in the
        // collection, with few common words.
        let mut rare = false;
        if c.relation == Relation::None
            && c.jaccard >= p.event_jaccard * 0.5
            && days_apart(prints[a].date, prints[b].date).is_some_and(|d| d <= p.event_days)
            && rare_jaccard(prints[a].words(), prints[b].words(), &rarity) >= p.event_rare_jaccard
        {
            c.relation = Relation::Event;
            rare = true;
        }
        if c.relation == Relation::None {
            if days_apart(prints[a].date, prints[b].date)
                .is_none_or(|d| d <= p.event_merge_gap_days)
            {
                edges.push(Edge {
                    similarity: c.jaccard as f32,
                    shared: 0.0,
                    a: a as u32,
                    b: b as u32,
                    copy: false,
                    rare: true,
                    weak: true,
                    held: (0.0, 0.0),
                });
            }
        } else {
            edges.push(Edge {
                similarity: c.jaccard as f32,
                shared: (c.aligned_similarity + c.jaccard) as f32,
                a: a as u32,
                b: b as u32,
                copy: c.relation == Relation::Copy,
                rare,
                weak: false,
                held: (c.contained_first() as f32, c.contained_second() as f32),
            });
        }
    };
    // Compares the pairs of some buckets: the links found and the number of pairs compared.
    let compare_buckets = |chunk: &[(usize, usize)]| {
        let mut edges: Vec<Edge> = Vec::new();
        let mut compared = 0u64;
        for &(start, end) in chunk {
            let key = keys[start] >> id_bits;
            let band = ((key & ((1 << band_bits) - 1)) as usize).min(BANDS - 1);
            for x in start..end {
                for y in x + 1..end {
                    let (a, b) = ((keys[x] & mask) as usize, (keys[y] & mask) as usize);
                    if a == b {
                        continue;
                    }
                    // Compare each pair once: in the first band where the sketches agree and
                    // whose bucket is compared.
                    let (sa, sb) = (&sketches[a], &sketches[b]);
                    if (0..band).any(|e| {
                        sa[e * ROWS..(e + 1) * ROWS] == sb[e * ROWS..(e + 1) * ROWS]
                            && !too_large.contains(&(band_key(sa, e) >> id_bits))
                    }) {
                        continue;
                    }
                    link(a, b, &mut edges, &mut compared);
                }
            }
        }
        (edges, compared)
    };
    // The buckets are compared on every core, in chunks of about equal numbers of pairs; the
    // links are sorted below, so the result does not depend on how the work was divided.
    let threads = threads.unwrap_or_else(|| {
        if pairs_in_buckets < 50_000 {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |t| t.get().min(8))
        }
    });
    let results: Vec<(Vec<Edge>, u64)> = if n <= p.all_pairs_up_to {
        // A small collection: every pair, so that no pair of one event is left to chance.
        let (mut edges, mut compared) = (Vec::new(), 0);
        for a in 0..n {
            for b in a + 1..n {
                link(a, b, &mut edges, &mut compared);
            }
        }
        vec![(edges, compared)]
    } else if threads < 2 {
        vec![compare_buckets(&buckets)]
    } else {
        let per_thread = pairs_in_buckets.div_ceil(threads);
        let mut chunks: Vec<&[(usize, usize)]> = Vec::new();
        let (mut from, mut acc) = (0, 0);
        for (k, &(s0, e0)) in buckets.iter().enumerate() {
            acc += (e0 - s0) * (e0 - s0 - 1) / 2;
            if acc >= per_thread {
                chunks.push(&buckets[from..=k]);
                from = k + 1;
                acc = 0;
            }
        }
        chunks.push(&buckets[from..]);
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .into_iter()
                .map(|chunk| scope.spawn(move || compare_buckets(chunk)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    let compared: u64 = results.iter().map(|r| r.1).sum();
    let mut edges: Vec<Edge> = Vec::with_capacity(results.iter().map(|r| r.0.len()).sum());
    for (e, _) in results {
        edges.extend(e);
    }
    drop(keys);
    // Strongest links first; an event never spans more than `event_span_days` of known dates,
    // so undated reports cannot chain separate events together, and a copy link is only taken
    // inside one event.
    edges.par_sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    let mut copies = UnionFind::new(n);
    let mut events = UnionFind::new(n);
    // The events told by links of text in common, without the weaker links of rare words.
    let mut dating = UnionFind::new(n);
    let mut span: Vec<Option<(Date, Date)>> =
        prints.iter().map(|f| f.date.map(|d| (d, d))).collect();
    let mut editions: Vec<Editions> = prints.iter().map(Editions::of).collect();
    let mut copy_edges: Vec<&Edge> = Vec::new();
    for e in &edges {
        let (a, b) = (e.a as usize, e.b as usize);
        if e.weak {
            continue;
        }
        let (ra, rb) = (events.find(a), events.find(b));
        if ra != rb {
            let merged = match (span[ra], span[rb]) {
                (Some((a0, a1)), Some((b0, b1))) => Some((a0.min(b0), a1.max(b1))),
                (x, None) | (None, x) => x,
            };
            if merged.is_some_and(|(lo, hi)| (hi - lo).get_days() > p.event_span_days) {
                continue;
            }
            if editions[ra].clash(&editions[rb]) {
                continue;
            }
            events.union(a, b);
            let r = events.find(a);
            span[r] = merged;
            let other = std::mem::take(&mut editions[if r == ra { rb } else { ra }]);
            editions[r].absorb(other);
        }
        if !e.rare {
            dating.union(a, b);
        }
        if e.copy {
            copies.union(a, b);
            copy_edges.push(e);
        }
    }
    // The events told by text alone date undated reports below (an exercise's weeks would
    // give them its first day).
    let (text_events, text_event_of) = dating.groups();
    // Text ties reports a few days apart; the name of an exercise and its year tie the groups
    // of its reports through the weeks it is announced, held and reported on: reports at most
    // `exercise_gap_days` apart, chained in date order, and undated reports to the rest.
    let mut by_exercise: Vec<((u64, i16), Option<Date>, usize)> = prints
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.exercise.map(|k| (k, f.date, i)))
        .collect();
    by_exercise.sort_unstable();
    for w in by_exercise.windows(2) {
        let close = match (w[0].1, w[1].1) {
            (Some(a), Some(b)) => (b - a).get_days() <= p.exercise_gap_days,
            _ => false,
        };
        if w[0].0 == w[1].0 && close {
            events.union(w[0].2, w[1].2);
        }
    }
    // An undated report of an exercise and year (sorted first) joins its dated reports when
    // they tell one event; where they tell several, which one it belongs to is unknown.
    for run in by_exercise.chunk_by(|x, y| x.0 == y.0) {
        let dated: Vec<usize> = run.iter().filter(|r| r.1.is_some()).map(|r| r.2).collect();
        let Some(&first) = dated.first() else {
            continue;
        };
        let root = events.find(first);
        if dated.iter().all(|&d| events.find(d) == root) {
            for r in run.iter().filter(|r| r.1.is_none()) {
                events.union(r.2, first);
            }
        }
    }
    merge_events(prints, p, &rarity, &mut events, &edges);
    let (event_groups, event_of) = events.groups();
    let (mut groups, group_of) = copies.groups();
    // The first known date of each event stands in for undated reports.
    let event_first: Vec<Option<Date>> = text_events
        .iter()
        .map(|g| g.iter().filter_map(|&i| prints[i].date).min())
        .collect();
    // Containment, where it is clear: a report held almost whole in a linked copy whose own
    // text it covers at most half of is the earlier version, which the later one extends;
    // unless their dates say the other way round (a later cut of a report is held whole in it).
    let mut held = vec![0i32; n];
    for e in &copy_edges {
        let (a, b) = (e.a as usize, e.b as usize);
        let (first, then) = if e.held.0 >= 0.9 && e.held.1 <= 0.5 {
            (a, b)
        } else if e.held.1 >= 0.9 && e.held.0 <= 0.5 {
            (b, a)
        } else {
            continue;
        };
        if let (Some(x), Some(y)) = (prints[first].date, prints[then].date)
            && x > y
        {
            continue;
        }
        held[first] -= 1;
        held[then] += 1;
    }
    let order_key = |i: usize| {
        let f = &prints[i];
        let effective = f
            .date
            .or(event_first[text_event_of[i]])
            .unwrap_or(Date::MAX);
        // The wire or outlet itself, then a page that says it carries one, then the rest.
        let closeness = if f.own != 0 {
            0u8
        } else if f.carries_any() {
            1
        } else {
            2
        };
        (
            effective,
            // A version written before the event comes before one written after it.
            u8::from(!f.preview),
            closeness,
            u8::from(!f.original),
            u8::from(f.date.is_none()),
            held[i],
            i,
        )
    };
    let mut rank = vec![0usize; n];
    let mut not_credited = vec![1u8; n];
    let mut credits: Vec<(u32, usize)> = Vec::new();
    for g in &mut groups {
        // The outlet that another page of the group credits as its source is the original:
        // it comes before the versions of the same day (or of unknown days).
        credits.clear();
        for &j in g.iter() {
            for &h in prints[j].names[1..].iter().filter(|&&h| h != 0) {
                credits.push((h, j));
            }
        }
        credits.sort_unstable();
        for &i in g.iter() {
            let own = prints[i].names[0];
            let from = credits.partition_point(|c| c.0 < own);
            let credited = own != 0
                && credits[from..]
                    .iter()
                    .take_while(|c| c.0 == own)
                    .any(|c| c.1 != i);
            not_credited[i] = u8::from(!credited);
        }
        g.sort_by(|&x, &y| {
            let (kx, ky) = (order_key(x), order_key(y));
            (kx.0, not_credited[x], kx).cmp(&(ky.0, not_credited[y], ky))
        });
        for (r, &i) in g.iter().enumerate() {
            rank[i] = r;
        }
    }
    // Each copy derives from the report it shares most text with (aligned sentences, then
    // words) among those it is linked to that come before it (a dated one before an undated
    // one, whose place in time is a guess; of near equals, within `PARENT_MARGIN`, the
    // earliest), or else from the first of its group.
    let mut linked: Vec<Vec<(bool, f32, usize)>> = vec![Vec::new(); n];
    for e in &copy_edges {
        let (a, b) = (e.a as usize, e.b as usize);
        let (copy, source) = if rank[a] > rank[b] { (a, b) } else { (b, a) };
        linked[copy].push((prints[source].date.is_some(), e.shared, source));
    }
    let parent: Vec<Option<usize>> = linked
        .iter()
        .map(|cands| {
            let dated = cands.iter().any(|c| c.0);
            let best = cands
                .iter()
                .filter(|c| c.0 == dated)
                .map(|c| c.1)
                .fold(f32::MIN, f32::max);
            cands
                .iter()
                .filter(|c| c.0 == dated && c.1 >= best * (1.0 - PARENT_MARGIN))
                .min_by_key(|c| rank[c.2])
                .map(|c| c.2)
        })
        .collect();
    let mut derived = Vec::new();
    for g in &groups {
        for &c in &g[1..] {
            derived.push(DerivedPair {
                copy: c,
                source: parent[c].unwrap_or(g[0]),
            });
        }
    }
    derived.sort_by_key(|d| d.copy);
    Copies {
        events: event_groups,
        groups,
        group_of,
        event_of,
        derived,
        compared,
        skipped_buckets: skipped,
    }
}

/// Merges the events found from pairs of reports into larger ones where their groups, as
/// wholes, share a story: the cosine similarity of their word profiles (each word weighted by
/// its rarity in the collection and by the share of the group's reports holding it) at least
/// `event_merge_cosine`, their known dates within `event_merge_gap_days` of each other and the
/// merged event within `event_merge_span_days`. The best pair is merged first and the profiles
/// of merged groups are summed, so a weak pair of reports does not chain two events. Only groups
/// holding a pair of reports compared (the candidate pairs, never all pairs of a large
/// collection) are considered.
fn merge_events(
    prints: &[Fingerprint],
    p: &CopyParams,
    rarity: &Rarity,
    events: &mut UnionFind,
    edges: &[Edge],
) {
    use crate::gazetteer::FastMap;
    use std::collections::BinaryHeap;
    if p.event_merge_cosine > 1.0 {
        return;
    }
    let (groups, of) = events.groups();
    // The pairs of groups that hold a pair of reports compared and not joined.
    let mut pairs: Vec<(u32, u32)> = edges
        .iter()
        .map(|e| {
            let (x, y) = (of[e.a as usize] as u32, of[e.b as usize] as u32);
            (x.min(y), x.max(y))
        })
        .filter(|(x, y)| x != y)
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    if pairs.is_empty() {
        return;
    }
    let mut involved = vec![false; groups.len()];
    for &(x, y) in &pairs {
        involved[x as usize] = true;
        involved[y as usize] = true;
    }
    // Word profiles of the groups involved: how many of a group's reports hold each word.
    let mut profile: Vec<FastMap<u32, f32>> = groups
        .par_iter()
        .zip(involved.par_iter())
        .map(|(g, &inv)| {
            let mut m: FastMap<u32, f32> = Default::default();
            if inv {
                for &i in g {
                    for &w in prints[i].words().iter().chain(prints[i].event_words()) {
                        *m.entry(w).or_default() += 1.0;
                    }
                }
            }
            m
        })
        .collect();
    let mut size: Vec<f32> = groups.iter().map(|g| g.len() as f32).collect();
    let mut span: Vec<Option<(Date, Date)>> = groups
        .iter()
        .map(|g| {
            let dates = g.iter().filter_map(|&i| prints[i].date);
            dates.clone().min().zip(dates.max())
        })
        .collect();
    let mut editions: Vec<Editions> = groups
        .iter()
        .map(|g| {
            let mut e = Editions::default();
            for &i in g {
                e.absorb(Editions::of(&prints[i]));
            }
            e
        })
        .collect();
    let weight = |w: u32, c: f32, size: f32| c / size * rarity.weight(w);
    let cosine = |a: &FastMap<u32, f32>, sa: f32, b: &FastMap<u32, f32>, sb: f32| {
        let norm = |m: &FastMap<u32, f32>, s: f32| {
            m.iter()
                .map(|(&w, &c)| weight(w, c, s).powi(2))
                .sum::<f32>()
                .sqrt()
        };
        let ((small, ss), (large, sl)) = if a.len() <= b.len() {
            ((a, sa), (b, sb))
        } else {
            ((b, sb), (a, sa))
        };
        let dot: f32 = small
            .iter()
            .filter_map(|(&w, &c)| large.get(&w).map(|&d| weight(w, c, ss) * weight(w, d, sl)))
            .sum();
        let den = norm(a, sa) * norm(b, sb);
        if den > 0.0 { f64::from(dot / den) } else { 0.0 }
    };
    // Whether two groups' known dates allow them to be one event.
    let fits = |a: Option<(Date, Date)>, b: Option<(Date, Date)>| match (a, b) {
        (Some((a0, a1)), Some((b0, b1))) => {
            let gap = if a1 < b0 {
                (b0 - a1).get_days()
            } else if b1 < a0 {
                (a0 - b1).get_days()
            } else {
                0
            };
            gap <= p.event_merge_gap_days
                && (a1.max(b1) - a0.min(b0)).get_days() <= p.event_merge_span_days
        }
        _ => true,
    };
    // Best pair first; a pair whose groups changed since it was queued is judged again.
    let key = |c: f64| (c.clamp(0.0, 1.0) * 1e9) as u64;
    let mut heap: BinaryHeap<(u64, u32, u32, u32, u32)> = pairs
        .par_iter()
        .filter_map(|&(x, y)| {
            let (xi, yi) = (x as usize, y as usize);
            if !fits(span[xi], span[yi]) || editions[xi].clash(&editions[yi]) {
                return None;
            }
            let c = cosine(&profile[xi], size[xi], &profile[yi], size[yi]);
            (c >= p.event_merge_cosine).then_some((key(c), x, y, 0, 0))
        })
        .collect::<Vec<_>>()
        .into();
    let mut merged = UnionFind::new(groups.len());
    let mut version = vec![0u32; groups.len()];
    while let Some((_, x, y, vx, vy)) = heap.pop() {
        let (rx, ry) = (merged.find(x as usize), merged.find(y as usize));
        if rx == ry || !fits(span[rx], span[ry]) || editions[rx].clash(&editions[ry]) {
            continue;
        }
        if (rx, ry, version[rx], version[ry]) != (x as usize, y as usize, vx, vy) {
            let c = cosine(&profile[rx], size[rx], &profile[ry], size[ry]);
            if c >= p.event_merge_cosine {
                heap.push((key(c), rx as u32, ry as u32, version[rx], version[ry]));
            }
            continue;
        }
        merged.union(rx, ry);
        let (root, other) = if merged.find(rx) == rx {
            (rx, ry)
        } else {
            (ry, rx)
        };
        for (w, c) in std::mem::take(&mut profile[other]) {
            *profile[root].entry(w).or_default() += c;
        }
        size[root] += size[other];
        let absorbed = std::mem::take(&mut editions[other]);
        editions[root].absorb(absorbed);
        span[root] = match (span[root], span[other]) {
            (Some((a0, a1)), Some((b0, b1))) => Some((a0.min(b0), a1.max(b1))),
            (x, None) | (None, x) => x,
        };
        version[root] += 1;
    }
    for (g, members) in groups.iter().enumerate() {
        let r = merged.find(g);
        if r != g {
            events.union(members[0], groups[r][0]);
        }
    }
}

/// A link found between two reports.
struct Edge {
    similarity: f32,
    /// The text the two share: the summed similarity of aligned sentences plus that of words.
    shared: f32,
    a: u32,
    b: u32,
    copy: bool,
    /// Whether only the rare words the two share link them (a weaker link, which does not date
    /// undated reports).
    rare: bool,
    /// Whether the two tell no one event on their own, and are only close enough in time for
    /// their events to be merged as wholes ([`merge_events`]).
    weak: bool,
    /// The share of each report's sentences that the other holds.
    held: (f32, f32),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(id: &str, outlet: &str, date: Option<&str>, body: &str) -> Report {
        Report {
            id: id.into(),
            url: None,
            outlet: Some(outlet.into()),
            published: date.map(|d| d.parse().unwrap()),
            title: None,
            captured: None,
            body: body.into(),
        }
    }

    const ORIGINAL: &str = "Washington and NATO have formally rejected Russia's key demands for assurances that the alliance will not expand closer to its borders.\nMoscow's calls for a written guarantee that Ukraine will not be admitted were dismissed after several rounds of talks between Russian and Western diplomats.\nOfficials say they remain open to dialogue and have offered some areas of possible cooperation.\nThe written reply largely mirrors what Western officials have said publicly during the tense standoff.";
    const REWRITE: &str = "Washington and NATO have publicly rejected Russia's fundamental demand for guarantees the alliance will not grow closer to its frontiers.\nMoscow's demands for a formal assurance that Ukraine will not be accepted were rejected during multiple rounds of negotiations between Russian and Western negotiators.\nOfficials state they remain receptive to talks and have suggested several areas of potential cooperation.\nThe detailed response essentially mirrors what Western officials have publicly stated throughout the heated impasse.";
    const OTHER: &str = "The Pentagon put 8,500 troops on heightened alert for deployment to eastern Europe.\nThe troops would join a NATO response force if the alliance activates it.\nRussia denies planning an invasion and says its forces are on exercises.\nThe defence secretary said no decision on deployment had been made.";

    #[test]
    fn rewrite_and_verbatim_copy_derive_from_the_earliest() {
        let reports = vec![
            report("rewrite", "Spin Blog", None, REWRITE),
            report("original", "Wire Daily", Some("2022-02-02"), ORIGINAL),
            report("verbatim", "Copy Site", Some("2022-02-03"), ORIGINAL),
            report("other", "Other Post", Some("2022-01-24"), OTHER),
        ];
        let c = group_copies(&reports);
        assert_eq!(c.source_of(0), Some(1), "{c:?}");
        assert_eq!(c.source_of(2), Some(1));
        assert_eq!(c.source_of(1), None);
        assert_eq!(c.source_of(3), None);
        assert_eq!(c.groups.len(), 2);
        assert_ne!(c.event_of[3], c.event_of[1]);
    }

    #[test]
    fn shared_quotes_alone_do_not_make_a_copy() {
        let quote = "\"We have officially triggered the risk reduction mechanism and requested Russia to provide detailed explanations on military activities near the territory of Ukraine,\" the minister said.";
        let a = format!(
            "Ukraine invoked the Vienna Document on Friday, its foreign minister said.\n{quote}\nThe minister said Russia has 48 hours to reply."
        );
        let b = format!(
            "Kyiv has asked Moscow to explain its military build-up near the border.\n{quote}\nThe OSCE has 57 participating states across Europe, Central Asia and North America.\nMeanwhile Russian exercises continue in Belarus and the Black Sea."
        );
        let reports = vec![
            report("a", "Agency A", Some("2022-02-11"), &a),
            report("b", "Outlet B", Some("2022-02-12"), &b),
        ];
        let c = group_copies(&reports);
        assert!(c.derived.is_empty(), "{c:?}");
    }

    #[test]
    fn a_credit_alone_does_not_make_a_copy_but_one_wire_carried_twice_does() {
        let a = "NATO's secretary general called on Russia to be open about its exercises and the troop numbers involved.\nHe urged Moscow to meet its obligations under the Vienna Document governing military exercises in Europe.\nRussia says it is within its rights to exercise on its territory.";
        let b = "Alliance Secretary General urged Russia to be open about its military exercises, Reuters reported on Friday.\nHe calls on Russia to fulfil its obligations under the Vienna Document governing military exercises in Europe.\nThe joint exercises will take place from 10 to 16 September.";
        // Outlets cite a wire while writing their own story: the credit is no evidence.
        let reports = vec![
            report("b", "Front News", Some("2021-09-03"), b),
            report("a", "Panorama (Reuters)", Some("2021-09-03"), a),
        ];
        assert!(group_copies(&reports).derived.is_empty());
        // Two pages that say they carry Reuters' story of one event carry versions of it.
        let reports = vec![
            report("b", "Front News (Reuters)", Some("2021-09-03"), b),
            report("a", "Panorama (Reuters)", Some("2021-09-03"), a),
        ];
        let c = group_copies(&reports);
        assert_eq!(c.derived, vec![DerivedPair { copy: 1, source: 0 }], "{c:?}");
    }

    const WIRE: &str = "Russia has moved more than 100,000 troops to positions near the Ukrainian border, US officials said on Friday.\nThe Kremlin denies any plan to invade and says the forces are there for exercises on its own soil.\nWestern governments have threatened unprecedented sanctions if Moscow attacks its neighbour.\nDiplomats from both sides met in Geneva for talks that ended without a breakthrough this week.\nNATO has placed forces on standby and sent additional ships and fighter jets to eastern Europe.\nThe foreign ministers are expected to speak again by telephone later this month.";

    /// The wire story with a new lead, two paragraphs cut, the rest reordered and a few words
    /// changed.
    fn edited() -> String {
        let lines: Vec<&str> = WIRE.lines().collect();
        [
            "A regional daily learned on Saturday that the crisis dominates the summit agenda in Brussels.",
            lines[4],
            &lines[0].replace("moved", "sent").replace("positions", "areas"),
            &lines[2].replace("threatened", "promised"),
            lines[3],
        ]
        .join("\n")
    }

    #[test]
    fn a_copy_with_a_new_lead_cuts_and_reordered_paragraphs_is_found() {
        let reports = vec![
            report("wire", "Wire Daily", Some("2022-01-21"), WIRE),
            report("edited", "Regional Daily", Some("2022-01-22"), &edited()),
            report("other", "Other Post", Some("2022-01-22"), OTHER),
        ];
        let c = group_copies(&reports);
        assert_eq!(c.derived, vec![DerivedPair { copy: 1, source: 0 }], "{c:?}");
        let f: Vec<Fingerprint> = reports.iter().map(Fingerprint::of).collect();
        let cmp = compare(&f[1], &f[0], &CopyParams::default());
        assert_eq!(cmp.relation, Relation::Copy);
        assert_eq!(cmp.aligned, 4, "{cmp:?}");
        assert_eq!(cmp.sentences, (5, 6));
    }

    #[test]
    fn direction_from_publication_date_then_containment() {
        // Dated: the earlier report is the source, although it is the shorter one.
        let reports = vec![
            report("later", "Regional Daily", Some("2022-01-22"), WIRE),
            report("earlier", "Wire Daily", Some("2022-01-21"), &edited()),
        ];
        assert_eq!(group_copies(&reports).source_of(0), Some(1));
        // Undated: the text held whole in the other is the earlier version it extends.
        let lines: Vec<&str> = WIRE.lines().collect();
        let first = lines[..3].join("\n");
        let reports = vec![
            report("extended", "Regional Daily", None, WIRE),
            report("first", "Wire Daily", None, &first),
        ];
        let c = group_copies(&reports);
        assert_eq!(c.derived, vec![DerivedPair { copy: 0, source: 1 }], "{c:?}");
    }

    /// AFP's first take of 28 October 2024 (dev 309.txt), a page that puts its own lead before
    /// it and adds to it (311.txt), and an independent report of the same briefing (314.txt).
    const FIRST_TAKE: &str = " date 2024-10-28 North Korea has sent some 10,000 troops to train in Russia, the Pentagon said Monday, raising Washington's previous estimate of 3,000 from last week.\n\n\n\n\"We believe that the DPRK has sent around 10,000 soldiers in total to train in eastern Russia that will probably augment Russian forces near Ukraine over the next several weeks,\" Deputy Pentagon Press Secretary Sabrina Singh told journalists, using an abbreviation for North Korea's official name.\n\n\n\nAFP";
    const NEW_LEAD: &str = " date 2024-10-28 + \u{21ba} \u{2212} 16 px\n\nNorth Korea has deployed around 10,000 troops to train in Russia, the Pentagon reported on Monday, significantly increasing Washington's previous estimate of 3,000 from last week, News.Az reports citing foreign media.\n\n\"We believe that the DPRK has sent around 10,000 soldiers in total to train in eastern Russia that will probably augment Russian forces near Ukraine over the next several weeks,\" Deputy Pentagon Press Secretary Sabrina Singh told journalists, using an abbreviation for North Korea's official name.US President Joe Biden also warned the deployment was \"very dangerous\", after Washington previously put the number of North Korean troops in Russia at more than 3,000.Additionally, NATO chief Mark Rutte called the troop deployment \"a dangerous expansion of Russia's war\" and \"a sign of Putin's growing desperation\".Rutte noted more than 600,000 Russian soldiers have been killed or wounded since the conflict started in 2022, adding the Kremlin was unable to sustain the invasion without foreign support.\n\nNews.Az";
    const SAME_BRIEFING: &str = "North Korea has sent about 10,000 troops to train in Russia with the expectation they\u{2019}ll be sent to fight in Ukraine within \u{201c}the next several weeks,\u{201d} the Pentagon said Monday.\n\u{201c}We believe that the [Democratic People\u{2019}s Republic of Korea (DPRK)] has sent around 10,000 soldiers in total to train in eastern Russia that will probably augment Russian forces near Ukraine over the next several weeks,\u{201d} deputy press secretary Sabrina Singh told reporters.\nSingh said a portion of the North Korean soldiers have already moved closer to Ukraine, and U.S. officials believe they are heading to the Kursk border region in Russia, where Ukrainian troops this summer launched an incursion that Kremlin forces have struggled to push back.\n\u{201c}It is likely that they are moving in that direction towards Kursk. But I don\u{2019}t have more details just yet,\u{201d} Singh said of the North Koreans.\nThe new U.S. estimate of 10,000 troops comes after Washington last week confirmed at least 3,000 North Korean soldiers were undergoing military training at multiple sites in Russia, a disclosure that followed similar intelligence reports from Kyiv and Seoul.";

    #[test]
    fn a_short_first_take_held_whole_under_a_new_lead_is_a_copy() {
        let p = CopyParams::default();
        let take = report("take", "LBCI (AFP)", Some("2024-10-28"), FIRST_TAKE);
        let lead = report("lead", "News.Az", Some("2024-10-28"), NEW_LEAD);
        let other = report("other", "Online Tuner", Some("2024-10-28"), SAME_BRIEFING);
        let f: Vec<Fingerprint> = [&take, &lead, &other].map(Fingerprint::of).to_vec();
        let c = compare(&f[0], &f[1], &p);
        assert_eq!(c.sentences.0, 2, "{c:?}");
        assert_eq!(
            (c.relation, c.rule),
            (Relation::Copy, Some(CopyRule::Aligned)),
            "{c:?}"
        );
        // The same two sentences align with a report of the same briefing in its own words,
        // at a lower similarity: one event, not a copy.
        let c = compare(&f[0], &f[2], &p);
        assert_ne!(c.relation, Relation::Copy, "{c:?}");
        let g = group_copies(&[take, lead, other]);
        assert_eq!(g.derived, vec![DerivedPair { copy: 1, source: 0 }], "{g:?}");
    }

    #[test]
    fn containment_against_the_dates_does_not_order_copies() {
        // Taipei, 15 October 2024 (dev 341.txt, Reuters), sentence by sentence.
        let s = [
            "Taiwan's defence ministry on Tuesday detailed the surge in Chinese warplane activity around the island during war games the previous day, saying it had detected a record 153 Chinese military aircraft.",
            "China held a single day of what it called Joint Sword-2024B drills on Monday as a warning to separatist acts, following last week's national day speech by Taiwan President Lai Ching-te that Beijing denounced.",
            "In its daily update on Chinese military activity around the island in the previous 24 hours, Taiwan's defence ministry said it spotted 153 Chinese military aircraft, updating a figure given on Monday evening of 125.",
            "Of those aircraft, 28 crossed the sensitive median line of the Taiwan Strait, according to a map the ministry released, which had previously served as an unofficial barrier.",
            "Other areas of activity included off Taiwan's southeastern coast, home to a major Taiwanese air base, and to the southwest of Taiwan where the Pratas Islands are located.",
            "There were also 14 Chinese navy ships and 12 official ships, which refer to the coast guard and other military adjacent vessels, spotted, the ministry said.",
        ];
        // Other reports of the day (dev 342.txt, 344.txt).
        let t = [
            "Beijing deployed fighter jets, drones, warships and coast guard boats to encircle Taiwan on Monday, with Taiwan responding by dispatching appropriate forces and placing its outlying islands on heightened alert.",
            "China claims Taiwan as part of its territory and insisted Monday it will never renounce the use of force to bring the island under its control.",
            "Taiwan has been governed by its local administration since 1949 when the remaining Kuomintang forces led by Chiang Kai-shek fled to the island after suffering a defeat in China's civil war.",
        ];
        let original = s.join("\n");
        // The same day: half of the original and three sentences of its own.
        let same_day = [s[0], s[2], s[4], t[0], t[1], t[2]].join("\n");
        // A day later: a cut of the original, held whole in it.
        let later_cut = [s[1], s[3], s[5]].join("\n");
        let reports = vec![
            report("original", "Wire Daily", Some("2024-10-15"), &original),
            report("same day", "Regional Daily", Some("2024-10-15"), &same_day),
            report(
                "later cut",
                "Republishing Page",
                Some("2024-10-16"),
                &later_cut,
            ),
        ];
        let c = group_copies(&reports);
        // Held whole in the original, the cut would make the original the later version and
        // the same-day page its source; the dates say the cut is the later one.
        assert_eq!(c.source_of(1), Some(0), "{c:?}");
        assert_eq!(c.source_of(2), Some(0), "{c:?}");
    }

    #[test]
    fn threads_sharing_the_comparisons_give_the_same_grouping() {
        // Ten versions of a story a month apart, each with a verbatim copy and an edited one.
        let mut reports = Vec::new();
        for k in 0..10 {
            let story: String = WIRE
                .lines()
                .map(|l| format!("{l} Story {k} item {}.", k * 7 + 3))
                .collect::<Vec<_>>()
                .join("\n");
            let date = format!("2022-{:02}-10", k + 1);
            reports.push(report("wire", "Wire Daily", Some(&date), &story));
            reports.push(report("copy", "Copy Site", Some(&date), &story));
            let edited = story
                .replace("moved", "sent")
                .replace("threatened", "promised");
            reports.push(report("edit", "Regional Daily", Some(&date), &edited));
        }
        let prints: Vec<Fingerprint> = reports.iter().map(Fingerprint::of).collect();
        let p = CopyParams {
            all_pairs_up_to: 0,
            ..CopyParams::default()
        };
        let one = group_on(&prints, &p, Some(1));
        assert_eq!(one.derived.len(), 20, "{one:?}");
        for threads in [2, 3, 7] {
            assert_eq!(
                group_on(&prints, &p, Some(threads)),
                one,
                "{threads} threads"
            );
        }
    }

    #[test]
    fn reports_of_one_named_exercise_days_apart_tell_one_event() {
        // Openings of https://www.rt.com/russia/534501-russian-belarusian-troops-military-exercises/
        // (10 September 2021) and https://forsided.com/2021/09/14/putin-visited-zapad-2021-military-drills-video/
        // (14 September 2021): little text in common, one exercise.
        let rt = "In a statement issued on Friday, Moscow's Ministry of Defense confirmed that the Zapad-2021 drills had begun in earnest, across 14 separate training grounds from the Baltic Sea to Central Russian cities like Voronezh and Nizhny Novgorod.\nTroops from former Soviet republics, including Armenia, Kazakhstan and Kyrgyzstan, as well as personnel from India and Mongolia are taking part.";
        let forsided = "The President of Russia Vladimir Putin arrived on a working visit to the Mulino training ground, where the main stage of the joint military exercises Zapad 2021 is taking place.\nNearly 100,000 Russian and Belarussian soldiers, sailors, and airmen are participating in major military drills that span half of Europe.";
        // The same exercise four years before: another event.
        let earlier = "Russia and Belarus began the Zapad 2017 exercise on Thursday, with 12,700 troops declared.\nNATO observers were not invited to watch the drills.";
        let reports = vec![
            report("rt", "RT", Some("2021-09-10"), rt),
            report("forsided", "Forsided", Some("2021-09-14"), forsided),
            report("earlier", "Other Post", Some("2017-09-14"), earlier),
        ];
        let c = group_copies(&reports);
        assert_eq!(c.event_of[0], c.event_of[1], "{c:?}");
        assert_ne!(c.event_of[0], c.event_of[2]);
        assert!(c.derived.is_empty(), "{c:?}");
        // An undated report of the exercise and year joins its one event:
        // https://news.by/eng/news/obshchestvo/na_14_ti_poligonakh_belarusi_i_rossii_startovala_aktivnaya_faza_strategicheskogo_ucheniya_zapad_2021
        let newsby = "About 200 000 servicemen are at 14 training grounds in Belarus and Russia, as well as in the Baltic Sea! Today the active phase of the strategic exercise \"Zapad-2021\" has started.";
        let mut reports = reports;
        reports.push(report("newsby", "News.by", None, newsby));
        let c = group_copies(&reports);
        assert_eq!(c.event_of[3], c.event_of[0], "{c:?}");
        assert_ne!(c.event_of[3], c.event_of[2]);
        // Where the dated reports of the exercise tell two events months apart, which one it
        // belongs to is unknown.
        reports.push(report("later", "Other Post", Some("2021-12-20"), forsided));
        let c = group_copies(&reports);
        assert_ne!(c.event_of[4], c.event_of[0], "{c:?}");
        assert_ne!(c.event_of[3], c.event_of[0], "{c:?}");
        assert_ne!(c.event_of[3], c.event_of[4], "{c:?}");
        // A name with its year written apart, or none, takes the report's year.
        let g = Gazetteer::builtin();
        let key = |text: &str, date: &str| {
            Fingerprint::from_parts(g, text, None, Some(date.parse().unwrap())).exercise
        };
        let a = key("Zapad-2021 began on Friday.", "2021-09-10");
        assert!(a.is_some());
        assert_eq!(key("The Zapad exercise began on Friday.", "2021-09-10"), a);
        assert_eq!(key("West-2021 began on Friday.", "2021-09-10"), a);
        assert_ne!(key("Zapad 2017 began on Thursday.", "2021-09-10"), a);
        // Exercises that share a first word are not one exercise.
        assert_eq!(
            key("Union Resolve 2022 began on Thursday.", "2022-02-10"),
            key(
                "The Union Resolve exercise began on Thursday.",
                "2022-02-10"
            )
        );
        assert_ne!(
            key("Union Resolve 2022 began on Thursday.", "2022-02-10"),
            key("Union Shield 2022 began on Thursday.", "2022-02-10")
        );
        // Named once, late in a report about something else: not what it is about.
        let late = format!(
            "{}{}",
            "Diplomats met again. ".repeat(30),
            "Zapad-2021 ended."
        );
        assert_eq!(key(&late, "2021-09-20"), None);
    }

    #[test]
    fn undated_reports_of_a_yearly_exercise_tell_the_year_they_name() {
        // https://ukdefencejournal.org.uk/massive-nato-fleet-conducts-exercise-in-baltic-sea/,
        // http://warsawpoint.com/news/34938-baltops-22-annual-nato-exercises-launched.html and
        // https://www.nato.int/cps/ru/natohq/photos_215620.htm (all undated), and
        // https://www.navaltoday.com/2017/05/29/poland-to-host-baltic-sea-drill-baltops-17/:
        // one annual exercise in three years, told in the same words each June.
        let y2022 = "Fourteen NATO allies along with Finland and Sweden have over 45 ships, 75 aircraft and 7,500 personnel deployed to the Baltic.\n\
            The maritime-focused annual exercise kicked off from Stockholm, Sweden, on the 5th of June.According to a statement from NATO:\u{201c}It takes place in the Baltic region from June 5-17 and provides a unique training opportunity to strengthen combined response capabilities critical to preserving freedom of navigation and security in the Baltic Sea. This is the 51st iteration of the exercise series, which began in 1972.\n\
            HMS Defender with the fleet.\n\
            Participating nations include Belgium, Bulgaria, Denmark, Estonia, Finland, France, Germany, Latvia, Lithuania, the Netherlands, Norway, Poland, Sweden, Turkey, the United Kingdom, and the United States. These countries will exercise a range of capabilities demonstrating the inherent flexibility of maritime forces.\u{201d}\n\
            Exercise scenarios include amphibious operations, gunnery, anti-submarine, air defence, mine clearance operations, explosive ordnance disposal, unmanned underwater vehicles, and medical response.\n\
            BALTOPS 22 takes place in Sweden, and coincides with the 500th anniversary of the Swedish Navy. NATO also add that BALTOPS 22 features more robust medical response scenarios, specifically during personnel recovery training aboard a submarine.";
        let y2022_other = "BALTOPS NATO exercises are being held in the Baltic Sea from June 5 until June 17. The exercises \u{201c}provide a unique training opportunity to strengthen the combined response capability critical to preserving the freedom of navigation and security in the Baltic Sea,\u{201d} a press release from the Naval Striking and Support Forces NATO (STRIKFORNATO) website stated.\n\
            The exercises include anti-submarine detection and combat manoeuvres, amphibious and artillery operations, and the removal of mines. It will take place at sea and at coastal training grounds in Sweden, Poland, Germany, and the Baltic states. This is the 51st iteration of the exercises series that began in 1972.\n\
            #BALTOPS22 is kicking off.\n\
            BALTOPS 22 provides a unique training opportunity that strengthens combined response capability critical to preserving the freedom of navigation and security in the Baltic Sea region.#StrongerTogehter#WeAreNATO pic.twitter.com/dE5LTbj1TV";
        let y2023 = "Exercise BALTOPS 23 gets underway\n\
            Twenty nations, 50 ships, more than 45 aircraft and 6,000 personnel are participating in exercise Baltic Operations (BALTOPS) 2023, an annual maritime exercise. Held in the Baltic Sea, this year\u{2019}s iteration started on 4 June and will continue until 16 June, giving NATO Allies and partners a chance to practise large-scale maritime and amphibious operations. Led by the US Navy\u{2019}s Sixth Fleet, the exercise is controlled by Naval Striking and Support Forces NATO (STRIKFORNATO), NATO\u{2019}s maritime operational staff. While Finland has participated in previous iterations of the exercise, this year marks the first time the country participates as a NATO member country.";
        let y2017 = "Poland-hosted Baltic Sea drill BALTOPS 17 ready for take off\n\
            Poland is hosting 40 ships from 14 nations for this year\u{2019}s edition of the international Baltic Sea exercise BALTOPS 17.\n\
            Starting June 1, the drill will be the 45th iteration of the annual maritime exercise.\n\
            Air, maritime, and ground assets from several NATO allies and partner Nations will be involved in the live training event that sets sail from Szczecin, Poland and finishes in Kiel, Germany, on June 16.";
        let reports = vec![
            report("2022", "UK Defence Journal", None, y2022),
            report("2022 other", "Warsaw Point", None, y2022_other),
            report("2023", "NATO", None, y2023),
            report("2017", "Naval Today", Some("2017-05-29"), y2017),
        ];
        let prints: Vec<Fingerprint> = reports.iter().map(Fingerprint::of).collect();
        let years: Vec<Option<i16>> = prints.iter().map(|f| f.exercise.map(|e| e.1)).collect();
        // The second names "BALTOPS 22" once, late in its text: no edition of its own.
        assert_eq!(years, [Some(2022), None, Some(2023), Some(2017)]);
        let c = group_copies(&reports);
        assert_eq!(c.event_of[0], c.event_of[1], "{c:?}");
        assert_ne!(c.event_of[0], c.event_of[2], "{c:?}");
        assert_ne!(c.event_of[2], c.event_of[3], "{c:?}");
        assert_ne!(c.event_of[0], c.event_of[3], "{c:?}");
    }

    #[test]
    fn reports_of_one_named_exercise_weeks_apart_tell_one_event() {
        // https://www.legitgov.org/thousands-troops-training-cold-weather-around-norway
        // (16 March 2022) and https://www.dvidshub.net/video/836061/exercise-cold-response
        // (25 March 2022): one exercise reported nine days apart.
        let under_way = "Thousands of troops are braving cold weather and training on the land, air and sea around Norway as part of the North Atlantic Treaty Organization's biennial Cold Response exercise that is meant to shore up defenses of member nations. NATO says around 30,000 troops from 27 nations, including the U.S., are taking part in the exercise that is expected to run through April 1.";
        let video = "30,000 troops from 27 NATO Allied and partner countries come together in Norway for Exercise Cold Response 2022.\n\
            Exercise Cold Response 2022 is a long-planned exercise bringing together 30,000 troops from 27 NATO Allied and partner countries in the High North, testing their ability to work together in cold weather conditions across Norway \u{2013} on land, in the air and at sea.";
        let reports = vec![
            report("under way", "legitgov.org", Some("2022-03-16"), under_way),
            report("video", "DVIDS (NATO Channel)", Some("2022-03-25"), video),
        ];
        let prints: Vec<Fingerprint> = reports.iter().map(Fingerprint::of).collect();
        assert!(prints[0].exercise.is_some());
        assert_eq!(prints[0].exercise, prints[1].exercise);
        let c = group_copies(&reports);
        assert_eq!(c.event_of[0], c.event_of[1], "{c:?}");
        // Reports a week apart or less only, they would be two events.
        let week = CopyParams {
            exercise_gap_days: 7,
            event_merge_cosine: 2.0,
            ..CopyParams::default()
        };
        let c = group_fingerprints(&prints, &week);
        assert_ne!(c.event_of[0], c.event_of[1], "{c:?}");
    }

    #[test]
    fn written_figures_and_headline_words_are_event_words() {
        // https://www.dvidshub.net/video/836061/exercise-cold-response, under the headline of
        // https://www.legitgov.org/thousands-troops-training-cold-weather-around-norway.
        let title = "Thousands of troops training in cold weather around Norway";
        let mut r = report(
            "video",
            "DVIDS (NATO Channel)",
            Some("2022-03-25"),
            "30,000 troops from 27 NATO Allied and partner countries come together in Norway for Exercise Cold Response 2022. It builds on roughly $2.6 billion in military assistance that Biden had previously approved.",
        );
        r.title = Some(title.into());
        let f = Fingerprint::of(&r);
        let event = |w: &str| f.event_words().contains(&(hash_word(w) as u32));
        let text = |w: &str| f.words().contains(&(hash_word(w) as u32));
        // The figure is one event word; the text's words, which find copies, keep its groups.
        assert!(event("30,000") && event("2.6"));
        assert!(text("30") && text("000") && !text("30,000"));
        // The headline's words not in the text join the event words, once.
        let mut buf = String::new();
        let mut weather = Vec::new();
        content_word(Gazetteer::builtin(), "weather", &mut buf, &mut |w| {
            weather.push(w.to_owned())
        });
        assert!(event(&weather[0]) && !text(&weather[0]));
        assert!(
            f.event_words()
                .iter()
                .all(|w| f.words().binary_search(w).is_err())
        );
        // Without a headline, a text gives the same words and sentences.
        let plain = Fingerprint::from_parts(Gazetteer::builtin(), &r.body, None, None);
        assert_eq!(plain.words(), f.words());
        assert_eq!(plain.sentences(), f.sentences());
    }

    #[test]
    fn two_long_sentences_lifted_word_for_word_make_a_copy() {
        // https://www.rt.com/russia/534501-russian-belarusian-troops-military-exercises/ and
        // https://forsided.com/2021/09/14/putin-visited-zapad-2021-military-drills-video/: the
        // later page writes its own lead and quotes, and lifts two of the earlier's paragraphs.
        let rt = "In a statement issued on Friday, Moscow's Ministry of Defense confirmed that the Zapad-2021 drills had begun in earnest, across 14 separate training grounds from the Baltic Sea to Central Russian cities like Voronezh and Nizhny Novgorod.\n\
            Troops from former Soviet republics, including Armenia, Kazakhstan and Kyrgyzstan, as well as personnel from India and Mongolia are taking part.\n\
            However, Moscow's military commanders insist that while the exercises involve large numbers of squadrons and military hardware, the quantity of troops involved in any one set of exercises does not exceed 6,400 people, in line with requirements under international law.\n\
            The objective of the drills is to demonstrate and test the level of combat readiness of Russian and Belarusian troops to defend the Union State which binds the two nations.";
        let forsided = "Nearly 100,000 Russian and Belarussian soldiers, sailors, and airmen are participating in major military drills that span half of Europe and include hundreds of aircraft, armoured vehicles, and even missile systems.\n\
            Zapad-2021 drills had begun in earnest, across 14 separate training grounds from the Baltic Sea to Central Russian cities like Voronezh and Nizhny Novgorod.\n\
            The President of Russia Vladimir Putin arrived on a working visit to the Mulino training ground, where the main stage of the joint military exercises Zapad 2021 is taking place.\n\
            Moscow\u{2019}s military commanders insist that while the exercises involve large numbers of squadrons and military hardware, the quantity of troops involved in any one set of exercises does not exceed 6,400 people, in line with requirements under international law.";
        let reports = vec![
            report("rt", "RT", Some("2021-09-10"), rt),
            report("forsided", "Forsided", Some("2021-09-14"), forsided),
        ];
        let f: Vec<Fingerprint> = reports.iter().map(Fingerprint::of).collect();
        let cmp = compare(&f[1], &f[0], &CopyParams::default());
        assert_eq!(cmp.verbatim, 2, "{cmp:?}");
        assert_eq!(cmp.relation, Relation::Copy);
        let c = group_copies(&reports);
        assert_eq!(c.derived, vec![DerivedPair { copy: 1, source: 0 }], "{c:?}");
        // One lifted sentence alone is no copy.
        let one: String = forsided.lines().take(3).collect::<Vec<_>>().join("\n");
        let f1 = Fingerprint::of(&report("one", "Forsided", Some("2021-09-14"), &one));
        let cmp = compare(&f1, &f[0], &CopyParams::default());
        assert_eq!(cmp.verbatim, 1, "{cmp:?}");
        assert_ne!(cmp.relation, Relation::Copy);
    }

    #[test]
    fn a_copy_derives_from_the_version_it_shares_most_text_with() {
        // Two versions of one AP story and a page carrying the second:
        // https://www.wbbjtv.com/2022/04/21/biden-announces-800m-in-new-military-assistance-for-ukraine/
        // https://www.iolaregister.com/news/national-news/biden-announces-heavy-artillery-weapons-for-ukraine
        // https://www.cheddar.com/media/biden-announces-800m-in-new-military-assistance-for-ukraine/
        let first = "WASHINGTON (AP) \u{2014} President Joe Biden on Thursday announced he has approved an additional $800 million in military aid to help Ukraine fight back against the Russian invasion, but warned Congress will need to approve additional assistance.\n\
            The new military assistance package includes much needed heavy artillery, 144,000 rounds of ammunition, and drones for Ukrainian forces in the escalating battle for the Donbas region of eastern Ukraine, and builds on roughly $2.6 billion in military assistance that Biden had previously approved for Ukraine.\n\
            Biden said that $13.6 billion approved last month by Congress for military and humanitarian assistance is \u{201c}almost exhausted.\u{201d}";
        let second = "Biden announces heavy artillery, weapons for Ukraine\n\
            President Joe Biden pledged another $800 million in military aid to help Ukraine in its fight against the Russian invasion.\n\
            April 21, 2022 - 3:04 PM\n\
            U.S. President Joe Biden provides an update on Russia and Ukraine in the East Room of the White House in Washington, D.C., on Tuesday, Feb. 22, 2022. (Yuri Gripas/Abaca Press/TNS)\n\
            WASHINGTON (AP) \u{2014} President Joe Biden on Thursday announced an additional $800 million in military aid to help Ukraine fight back in its strong but increasingly difficult battle against the Russian invasion, but he also warned that Congress will need to approve even more assistance if the U.S. is to keep up its crucial support.\n\
            The new military package includes much needed heavy artillery, 144,000 rounds of ammunition and drones for the escalating battle in the Donbas region of eastern Ukraine. It builds on roughly $2.6 billion in military assistance that Biden had previously approved.\n\
            The aid, Biden said, will be sent \u{201c}directly to the front lines of freedom.\u{201d}";
        let page = "By Aamer Madhani, Robert Burns, and Darlene Superville\n\
            President Joe Biden on Thursday announced an additional $800 million in military aid to help Ukraine fight back in its strong but increasingly difficult battle against the Russian invasion, but he also warned that Congress will need to approve even more assistance if the U.S. is to keep up its crucial support.\n\
            The new military package includes much needed heavy artillery, 144,000 rounds of ammunition and drones for the escalating battle in the Donbas region of eastern Ukraine. It builds on roughly $2.6 billion in military assistance that Biden had previously approved.\n\
            The aid, Biden said, will be sent \u{201c}directly to the front lines of freedom.\u{201d}\n\
            \u{201c}Putin is banking on us losing interest,\u{201d} Biden said. The Russian president is betting that \"Western unity will crack ... and once again we\u{2019}re going to prove him wrong.\u{201d}\n\
            Biden underscored the need for the United States and Western allies to remain resolved in their support for Ukraine amid signs that Americans may becoming more wary of the war.";
        let reports = vec![
            report("first", "WBBJ-TV (AP)", Some("2022-04-21"), first),
            report(
                "second",
                "The Iola Register (AP)",
                Some("2022-04-21"),
                second,
            ),
            // The page a day later, so that the order of the three is certain.
            report("page", "Cheddar (AP)", Some("2022-04-22"), page),
        ];
        // Its words are about as close to both versions (within `PARENT_MARGIN`); its
        // sentences are the second's.
        let f: Vec<Fingerprint> = reports.iter().map(Fingerprint::of).collect();
        let p = CopyParams::default();
        let (to_first, to_second) = (compare(&f[2], &f[0], &p), compare(&f[2], &f[1], &p));
        assert!((to_second.jaccard - to_first.jaccard).abs() < f64::from(PARENT_MARGIN));
        assert!(to_second.aligned_similarity > 2.0 * to_first.aligned_similarity);
        let c = group_copies(&reports);
        assert_eq!(c.source_of(1), Some(0), "{c:?}");
        assert_eq!(c.source_of(2), Some(1), "{c:?}");
    }

    #[test]
    fn the_version_written_before_the_event_is_the_source() {
        // https://kesq.com/news/ap-national-news/2022/08/26/poland-and-south-korea-to-seal-5-8-billion-military-deal-2/
        // (undated) and https://kesq.com/news/ap-national-business/2022/08/26/poland-and-south-korea-seal-5-8-billion-military-deal/
        // (26 August 2022): one AP story before and after the signing.
        let before = "MORAG, Poland (AP) \u{2014} Poland is scheduled to seal a deal with South Korea for the purchase of some $5.8 billion worth of tanks, howitzers and ammunition. Poland\u{2019}s deputy prime minister and the head of South Korea\u{2019}s Defense Acquisition Program Administration are expected to sign the contracts at a military base in northern Poland on Friday. Poland\u{2019}s conservative government has moved to strengthen the country\u{2019}s defense and deterrence capabilities in response to Russia\u{2019}s war in Ukraine. Under the deal with South Korea, Poland is purchasing 180 K2 Black Panther tanks worth some $3.4 billion and 212 K9 Thunder howitzers worth some $2.4 billion. The deal includes training, logistics and ammunition.";
        let after = "MORAG, Poland (AP) \u{2014} Poland has sealed a deal with South Korea to purchase $5.8 billion worth of tanks, howitzers and ammunition. Poland\u{2019}s deputy prime minister on Friday signed the contract to confirm it. The ceremony took place at a military base in Morag, in northern Poland. Poland\u{2019}s conservative government has moved to strengthen the country\u{2019}s defense and deterrence in response to Russia\u{2019}s war in Ukraine. Under the deal with South Korea, Poland is purchasing 180 K2 Black Panther tanks worth $3.4 billion and 212 K9 Thunder howitzers worth $2.4 billion. The deal includes training, logistics and ammunition.";
        assert!(is_preview(before));
        assert!(!is_preview(after));
        // A future tense later in the story does not make a preview.
        assert!(!is_preview(
            "Poland has sealed the deal. More contracts are expected to follow next year."
        ));
        let reports = vec![
            report("after", "KESQ (AP)", Some("2022-08-26"), after),
            report("before", "KESQ (AP)", None, before),
        ];
        let c = group_copies(&reports);
        assert_eq!(c.derived, vec![DerivedPair { copy: 0, source: 1 }], "{c:?}");
    }

    #[test]
    fn the_outlet_a_page_credits_is_its_source() {
        // https://atlanticsentinel.com/2013/09/zapad-2013/ (undated) and
        // https://globalcivilwar.wordpress.com/2013/09/20/russia-belarus-to-stage-massive-defense-exercise-near-baltic-sea/
        // (20 September 2013), which credits the Atlantic Sentinel.
        let original = "Belarus and Russia are due to hold their joint Zapad (\u{201c}West\u{201d}) 2013 military exercise next week, a combined operational training involving nearly 13,000 personnel, 350 combat vehicles, including seventy tanks, over fifty artillery units, Multiple Launch Rocket Systems as well as over fifty aircraft and ships, including the Azov amphibious support vessel to rehearse and test rapid reaction capabilities across Belarus and Russia\u{2019}s Western Military District. The majority of activity will be concentrated around Russia\u{2019}s Kaliningrad Oblast and at six Belarusian firing ranges, along with limited naval components in the Baltic and Barents Seas.\n\
            This mobilization marks an upgrade from the last Russian-Belarusian exercise, Zapad 2009, which involved only two hundred vehicles.";
        let page = "RUSSIA, BELARUS TO STAGE MASSIVE DEFENSE EXERCISE NEAR BALTIC SEA on September 2013 reported that Belarus and Russia are due to hold their joint Zapad (\u{201c}West\u{201d}) 2013 military exercise September 20 \u{2013} 26. It is a combined operational training involving nearly thirteen thousand personnel, 350 combat vehicles, including seventy tanks, over fifty artillery units, Multiple Launch Rocket Systems as well as over fifty aircraft and ships, including the Azov amphibious support vessel to rehearse and test rapid reaction capabilities across Belarus and Russia\u{2019}s Western Military District. The majority of activity will be concentrated around Russia\u{2019}s Kaliningrad Oblast on the Baltic Sea and at six Belarusian firing ranges, along with limited naval components in the Baltic and Barents Seas.\n\
            This mobilization marks an upgrade from the last Russian-Belarusian exercise, Zapad 2009, which involved only two hundred vehicles.";
        let reports = vec![
            report(
                "page",
                "Global Civil War (Atlantic Sentinel)",
                Some("2013-09-20"),
                page,
            ),
            report("original", "Atlantic Sentinel", None, original),
        ];
        let c = group_copies(&reports);
        assert_eq!(c.derived, vec![DerivedPair { copy: 0, source: 1 }], "{c:?}");
        // Without the credit, the dated page comes first.
        let mut uncredited = reports.clone();
        uncredited[0].outlet = Some("Global Civil War".into());
        let c = group_copies(&uncredited);
        assert_eq!(c.derived, vec![DerivedPair { copy: 1, source: 0 }], "{c:?}");
        assert_eq!(
            outlet_names(Some("Global Civil War (Atlantic Sentinel)"))[1],
            outlet_names(Some("Atlantic Sentinel"))[0]
        );
    }

    #[test]
    fn no_derived_pair_across_events_far_apart_in_time() {
        let reports = vec![
            report("jan", "Wire Daily", Some("2022-01-21"), WIRE),
            report("mar", "Regional Daily", Some("2022-03-21"), WIRE),
        ];
        let c = group_copies(&reports);
        assert!(c.derived.is_empty(), "{c:?}");
        assert_ne!(c.event_of[0], c.event_of[1]);
    }
    #[test]
    fn reports_of_one_event_sharing_rare_names_and_figures_tell_one_event() {
        // https://www.cnn.com/europe/live-news/russia-ukraine-war-news-03-17-23/h_51d1cecb3cc9765637600e105bfebf96
        // and https://news360.es/uk/2023/03/17/slovakia-to-send-thirteen-mig-29-fighters-to-ukraine/
        // (17 March 2023): one announcement written twice, few common words in common.
        let cnn = "Slovakia will send 13 MiG-29 fighter jets to Ukraine, Prime Minister Eduard Heger said Friday, making it the second NATO member to pledge the aircraft after Poland.\n\
            \"Promises must be kept and when [Ukrainian President Volodymyr] Zelensky asked for more weapons including fighter jets, I said we'll do our best. Glad others [are] doing the same,\" Heger said on twitter.\n\
            Military aid is key, he added, to ensure Ukraine \"can defend itself\" and Europe against Russia.\n\
            Some context: Poland has already announced that it will transfer four MiG-29 fighter jets to Ukraine in the coming days.\n\
            Polish President Andrzej Duda said the planes \u{2013} from about a dozen that it had inherited from the former German Democratic Republic \u{2013} would be handed over after being serviced.\n\
            The White House said Thursday that Poland\u{2019}s decision to send the fighter jets is a \"sovereign decision\" that won\u{2019}t spur US President Joe Biden to send F-16 aircraft.";
        let news360 = "Slovak authorities will send thirteen MiG-29 fighters and part of the \u{2018}Kub\u{2019} air defense system to Ukraine, Slovak Prime Minister Eduard Heger announced Friday at a press conference following a meeting of his cabinet.\n\
            The shipment, which has been unanimously approved, was already requested in February by Ukrainian President Volodimir Zelenski, and Heger promised to do everything possible in this regard, according to Tasr agency.\n\
            Poland also announced on Thursday the dispatch of four such fighter jets in the coming days, although it did not specify the total number. The United States, for its part, has not changed its position on sending F-16 fighters and is not contemplating this step for the time being.\n\
            The \u{2018}Kub\u{2019} are Soviet-made tracked vehicles whose function is air defense and would serve, among other things, to respond to the periodic bombardment of Ukraine by Russian forces.";
        // Openings of reports of other events (dated the same day here), which share the common
        // words of military aid to Ukraine:
        // https://theatlasnews.co/brief/2023/01/14/british-pm-pledges-challenger-2-tanks-to-ukraine/
        // https://www.pravda.com.ua/eng/news/2023/08/20/7416344/
        // https://www.wbbjtv.com/2022/04/21/biden-announces-800m-in-new-military-assistance-for-ukraine/
        let others = [
            "British PM Rishi Sunak has confirmed in a conversation with Ukrainian President Zelensky that the United Kingdom will send a squadron of Challenger 2 tanks and additional artillery systems to Ukraine.\n\
            Ukrainian officials have said they hoped that tanks from the UK would make it possible for Germany to send Leopard 2 tanks as well. Ukraine has said previously it wants 300 western tanks as part of a wider resupply effort to help it drive out Russian forces.",
            "Denmark has announced that it will join the Netherlands to supply Ukraine with F-16 fighter jets to help Ukraine protect its airspace from Russian aggression.\n\
            Denmark\u{2019}s support for Ukraine is unwavering, and with the donation of F-16 aircraft [to Ukraine], Denmark is now leading the way,\"said Jakob Ellemann-Jensen, Minister of Defence of Denmark.",
            "WASHINGTON (AP) \u{2014} President Joe Biden on Thursday announced he has approved an additional $800 million in military aid to help Ukraine fight back against the Russian invasion, but warned Congress will need to approve additional assistance.\n\
            The new military assistance package includes much needed heavy artillery, 144,000 rounds of ammunition, and drones for Ukrainian forces in the escalating battle for the Donbas region of eastern Ukraine, and builds on roughly $2.6 billion in military assistance that Biden had previously approved for Ukraine.",
        ];
        let mut reports = vec![
            report("cnn", "CNN", Some("2023-03-17"), cnn),
            report(
                "news360",
                "News360 (Europa Press)",
                Some("2023-03-17"),
                news360,
            ),
        ];
        for (k, text) in others.iter().enumerate() {
            reports.push(report(
                &format!("other{k}"),
                "Other Post",
                Some("2023-03-17"),
                text,
            ));
        }
        let prints: Vec<Fingerprint> = reports.iter().map(Fingerprint::of).collect();
        let p = CopyParams::default();
        // Below the plain similarity of one event, not copies.
        let c = compare(&prints[0], &prints[1], &p);
        assert!(c.jaccard < p.event_jaccard, "{c:?}");
        assert_eq!(c.relation, Relation::None);
        let grouped = group_fingerprints(&prints, &p);
        assert_eq!(grouped.event_of[0], grouped.event_of[1], "{grouped:?}");
        for k in 2..reports.len() {
            assert_ne!(grouped.event_of[k], grouped.event_of[0], "{k}: {grouped:?}");
        }
        assert!(grouped.derived.is_empty(), "{grouped:?}");
        // The rare words make the link: without them the two stay apart.
        let plain = CopyParams {
            event_rare_jaccard: 1.0,
            ..p
        };
        let apart = group_fingerprints(&prints, &plain);
        assert_ne!(apart.event_of[0], apart.event_of[1]);
        // Undated, the rare words alone do not tie them.
        reports[1].published = None;
        let undated: Vec<Fingerprint> = reports.iter().map(Fingerprint::of).collect();
        let c = group_fingerprints(&undated, &p);
        assert_ne!(c.event_of[0], c.event_of[1], "{c:?}");
    }
    #[test]
    fn groups_of_one_story_told_days_apart_merge_into_one_event() {
        // https://www.independent.co.uk/news/ap-biden-washington-russia-white-house-b2249482.html
        // (21 December 2022) and https://www.presidentialprayerteam.org/2022/12/27/pentagon-announces-1-85-billion-additional-aid-to-ukraine/
        // (27 December 2022): one aid package announced, then told again six days later.
        let announced = "US sending $1.85 billion in military aid to Ukraine\n\
            The Biden administration says it will provide $1.85 billion in military aid to Ukraine\n\
            The Biden administration announced Wednesday that it will provide $1.85 billion in military aid to Ukraine, rolling out funding for a Patriot missile battery as Ukrainian President Volodymyr Zelenskyy is arriving in Washington for a first trip out of his country since Russia invaded in February.\n\
            The White House announcement came just hours before Zelenskyy was expected to arrive. The package includes $1 billion in weapons and equipment from Pentagon stocks, including the Patriot battery, and $850 million in funding through the Ukraine Security Assistance Initiative.";
        let told_again = "Pentagon Announces $1.85 Billion Additional Aid to Ukraine\n\
            Patriot air defense systems will be included in assistance.\n\
            The Department of Defense has authorized the 28th presidential drawdown of security assistance for Ukraine. This new round of weapons is worth $1 billion and combines with $850 million in additional assistance through the Ukraine Security Assistance Initiative to provide the country with $1.85 billion in weapons for the conflict with Russia this winter. A notable part of this contribution is the inclusion of a Patriot air defense system, giving Ukraine the ability to accept incoming missiles and aircraft at long ranges.";
        let same_day = "\"$1.85 Billion in Additional US Military Assistance, Including the First Transfer of Patriot Air Defense System,\" Blinken said in a press release, according to Sputnik.\n\
            Earlier in the day, the White House announced that US President Joe Biden authorized the drawdown of up to $1 billion in additional security assistance for Ukraine.";
        // Another story of military aid to Ukraine (dated in the same week here):
        // https://theatlasnews.co/brief/2023/01/14/british-pm-pledges-challenger-2-tanks-to-ukraine/
        let other = "British PM Rishi Sunak has confirmed in a conversation with Ukrainian President Zelensky that the United Kingdom will send a squadron of Challenger 2 tanks and additional artillery systems to Ukraine.\n\
            Ukrainian officials have said they hoped that tanks from the UK would make it possible for Germany to send Leopard 2 tanks as well. Ukraine has said previously it wants 300 western tanks as part of a wider resupply effort to help it drive out Russian forces.";
        let mut reports = vec![
            report(
                "announced",
                "The Independent (AP)",
                Some("2022-12-21"),
                announced,
            ),
            report(
                "told again",
                "Presidential Prayer Team (Department of Defense)",
                Some("2022-12-27"),
                told_again,
            ),
            report("other", "The Atlas News", Some("2022-12-24"), other),
            // https://en.mehrnews.com/news/195231/US-announces-1-85bln-in-new-military-aid-for-Ukraine
            report(
                "same day",
                "Mehr News Agency (Sputnik)",
                Some("2022-12-21"),
                same_day,
            ),
        ];
        // Openings of other reports of aid to Ukraine (dated weeks before here), so that the
        // words of such news are common in the collection:
        // https://www.pravda.com.ua/eng/news/2023/08/20/7416344/
        // https://www.wbbjtv.com/2022/04/21/biden-announces-800m-in-new-military-assistance-for-ukraine/
        // https://www.cnn.com/europe/live-news/russia-ukraine-war-news-03-17-23/h_51d1cecb3cc9765637600e105bfebf96
        // https://www.israelnationalnews.com (German Leopard 2 tanks, 25 January 2023)
        for (k, text) in [
            "Denmark has announced that it will join the Netherlands to supply Ukraine with F-16 fighter jets to help Ukraine protect its airspace from Russian aggression.\n\
            Denmark\u{2019}s support for Ukraine is unwavering, and with the donation of F-16 aircraft [to Ukraine], Denmark is now leading the way,\"said Jakob Ellemann-Jensen, Minister of Defence of Denmark.",
            "WASHINGTON (AP) \u{2014} President Joe Biden on Thursday announced he has approved an additional $800 million in military aid to help Ukraine fight back against the Russian invasion, but warned Congress will need to approve additional assistance.\n\
            The new military assistance package includes much needed heavy artillery, 144,000 rounds of ammunition, and drones for Ukrainian forces in the escalating battle for the Donbas region of eastern Ukraine, and builds on roughly $2.6 billion in military assistance that Biden had previously approved for Ukraine.",
            "Slovakia will send 13 MiG-29 fighter jets to Ukraine, Prime Minister Eduard Heger said Friday, making it the second NATO member to pledge the aircraft after Poland.\n\
            Military aid is key, he added, to ensure Ukraine \"can defend itself\" and Europe against Russia.",
            "German Chancellor Olaf Scholz announced that his country will send at least 14 Leopard 2 tanks to Ukraine for help with the war with Russia. Other EU nations will also be able to supply Leopard tanks acquired from Germany to Ukraine.",
        ]
        .iter()
        .enumerate()
        {
            let day = format!("2022-11-{:02}", 1 + 2 * k);
            reports.push(report(&format!("other{k}"), "Other Post", Some(&day), text));
        }
        let prints: Vec<Fingerprint> = reports.iter().map(Fingerprint::of).collect();
        let p = CopyParams::default();
        let c = group_fingerprints(&prints, &p);
        assert_eq!(c.event_of[0], c.event_of[1], "{c:?}");
        assert_eq!(c.event_of[3], c.event_of[0], "{c:?}");
        for k in [2, 4, 5, 6, 7] {
            assert_ne!(c.event_of[k], c.event_of[0], "{k}: {c:?}");
        }
        assert!(c.derived.is_empty(), "{c:?}");
        // The pair alone does not join them: they are more than `event_days` apart.
        let apart = group_fingerprints(
            &prints,
            &CopyParams {
                event_merge_cosine: 2.0,
                ..p
            },
        );
        assert_ne!(apart.event_of[0], apart.event_of[1], "{apart:?}");
        // Further apart than `event_merge_gap_days`, they stay two events.
        let mut later = reports.clone();
        later[1].published = Some("2023-01-05".parse().unwrap());
        let c = group_copies(&later);
        assert_ne!(c.event_of[0], c.event_of[1], "{c:?}");
    }

    #[test]
    fn the_common_words_of_military_news_are_not_folded() {
        // Independent reports of one event all say that officials said troops were sent: with
        // those words folded ("troops"/"soldiers"/"personnel", "say"/"state"/"claim") they look
        // like rewrites of each other.
        let g = Gazetteer::builtin();
        for w in [
            "troop",
            "soldier",
            "personnel",
            "say",
            "state",
            "claim",
            "send",
            "aid",
            "new",
            "attack",
            "exercise",
            "drill",
            "deploy",
            "weapon",
            "president",
            "official",
        ] {
            assert!(!g.synonyms.contains_key(w), "{w} is folded");
        }
        // What a spinner swaps still folds.
        assert_eq!(g.synonyms.get("rebuff"), g.synonyms.get("reject"));
        assert_eq!(g.synonyms.get("frontier"), g.synonyms.get("border"));
    }
}
