//! Quantified military claims: who, how many, of what, where, when, according to whom.
//!
//! The extractor reads a report sentence by sentence. A claim is an explicit number (digits,
//! number words, "175K", "$2.7 billion", "200 thousand", "two dozen") followed by a category noun
//! or weapon system from the gazetteer ("120,000 troops", "2,000 Javelin anti-armor missiles",
//! "200,000 pounds of lethal aid"), or preceded by `"the number of <noun> ... at"`. The context then
//! decides the rest, with general rules only:
//!
//! - qualifier: the gazetteer's qualifier phrases right before the number, ranges
//!   ("between X and Y", "X to Y"), "or more" after the noun;
//! - actor: an actor adjective between number and noun ("70,000 Russian troops"), `"from <actor>"`
//!   after the noun, the nearest actor named before the number that is not a place ("near
//!   Ukraine"), a named exercise, the actor of the previous sentence, the report's main actor;
//!   a figure for a joint exercise or counted on a member's soil becomes the joint actor;
//! - not claims: limits, caps and thresholds; percentages; years; sizes of one unit ("each with
//!   up to"); changes ("by 9"); vague amounts ("several hundred"); casualties; money and weights
//!   outside a military-aid context;
//! - place: the zone phrase nearest the figure in its sentence, else the exercise area, else
//!   Ukraine for aid;
//! - date: an explicit date in the sentence, a weekday resolved against the publication date,
//!   nothing for plans and history, else the publication date;
//! - attribution: "according to X", "X said/told/estimates", "said X", the list introduction.

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use crate::Report;
use crate::gazetteer::{CategoryHit, Gazetteer, QualWord};
use crate::text::{Sentence, Token, TokenKind, sentences, tokenize};

/// How a claimed figure is qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimQualifier {
    /// A bare number.
    Exactly,
    /// "more than", "over", "or more".
    MoreThan,
    /// "at least".
    AtLeast,
    /// "about", "some", "nearly".
    About,
    /// "up to", "as many as", "no more than".
    UpTo,
    /// "between X and Y": `quantity_min` to `quantity`.
    Range,
}

impl ClaimQualifier {
    /// The qualifier in the words of the corpus labels ("more than", "about", "up to", "exactly").
    pub fn label(self) -> &'static str {
        match self {
            ClaimQualifier::Exactly => "exactly",
            ClaimQualifier::MoreThan | ClaimQualifier::AtLeast => "more than",
            ClaimQualifier::About => "about",
            ClaimQualifier::UpTo | ClaimQualifier::Range => "up to",
        }
    }
}

/// One quantified military claim in one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The report's id.
    pub report: String,
    /// Whose forces or material ("RU", "US", "BY+RU"); for aid, the donor.
    pub actor: String,
    /// The category id ("troops", "battle_tanks", "military_aid_usd").
    pub category: String,
    /// The coarser category of the corpus labels ("acv", "other").
    pub label: String,
    /// The figure: the upper bound of a range; metric tonnes for weights; US dollars for money.
    pub quantity: f64,
    /// The lower bound of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity_min: Option<f64>,
    /// How the figure is qualified.
    pub qualifier: ClaimQualifier,
    /// The zone id ("near-ukraine"), if the text places the figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// The place in words ("near Ukraine border").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The day the figure refers to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Who the text says gave the figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    /// Whether the speaker is an official of a state or organisation.
    pub official: bool,
    /// The exact text of the figure and its noun, a substring of the report body.
    pub text: String,
    /// Byte span of `text` in the report body.
    pub span: (usize, usize),
    /// The sentence the claim sits in, a substring of the report body.
    pub sentence: String,
    /// The category noun or weapon system as written (lower case).
    pub noun: String,
}

struct Num {
    value: f64,
    start: usize,
    end: usize,
    money: bool,
}

struct Ctx<'a> {
    g: &'a Gazetteer,
    body: &'a str,
    toks: &'a [Token],
    words: Vec<&'a str>,
}

const BOUNDARY_WORDS: &[&str] = &[
    "to", "in", "on", "at", "by", "for", "from", "with", "was", "were", "is", "are", "has", "have",
    "had", "will", "would", "that", "which", "who", "of", "than", "per", "each", "a", "an", "the",
    "be", "been", "being", "as", "if", "but", "said", "says",
];

impl<'a> Ctx<'a> {
    fn is_punct(&self, i: usize, set: &[&str]) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct && set.contains(&t.lower.as_str()))
    }

    fn text(&self, i: usize) -> &'a str {
        self.toks[i].text(self.body)
    }

    /// Parses a plain number (digits with optional suffix, or number words) at token `i`.
    fn plain_number(&self, i: usize, last: usize) -> Option<(f64, usize, Option<f64>)> {
        let g = self.g;
        let t = self.toks.get(i)?;
        if i >= last {
            return None;
        }
        match t.kind {
            TokenKind::Number => {
                let s = t.lower.as_str();
                // "95,000-100,000": a range in one token.
                if let Some((a, b)) = s.split_once('-')
                    && let (Some(a), Some(b)) = (digits(a, g), digits(b, g))
                {
                    return Some((b.0, i + 1, Some(a.0)));
                }
                let (mut v, has_comma_or_suffix) = digits(s, g)?;
                let mut end = i + 1;
                if let Some(next) = self.words.get(end).filter(|_| end < last)
                    && next.len() > 1
                    && let Some(scale) = g.number_scales.get(*next)
                {
                    v *= *scale as f64;
                    end += 1;
                } else if !has_comma_or_suffix
                    && !s.contains('.')
                    && (1800.0..=2100.0).contains(&v)
                    && s.len() == 4
                {
                    return None; // a year
                }
                Some((v, end, None))
            }
            TokenKind::Word => {
                let mut total = 0u64;
                let mut current = 0u64;
                let mut seen = false;
                let mut j = i;
                while j < last {
                    let w = self.words[j];
                    let parts: Vec<&str> = w.split('-').collect();
                    let mut handled = true;
                    let mut part_value = 0u64;
                    for p in &parts {
                        if let Some(u) = g.number_units.get(*p) {
                            part_value += u;
                        } else if let Some(t) = g.number_tens.get(*p) {
                            part_value += t;
                        } else {
                            handled = false;
                        }
                    }
                    if handled && parts.len() <= 2 {
                        current += part_value;
                        seen = true;
                        j += 1;
                        continue;
                    }
                    if seen && w.len() > 1 {
                        if let Some(&scale) = g.number_scales.get(w) {
                            if scale < 1000 {
                                current = current.max(1) * scale;
                            } else {
                                total += current.max(1) * scale;
                                current = 0;
                            }
                            j += 1;
                            continue;
                        }
                        if w == "and"
                            && self.words.get(j + 1).is_some_and(|n| {
                                g.number_units.contains_key(*n) || g.number_tens.contains_key(*n)
                            })
                        {
                            j += 1;
                            continue;
                        }
                    }
                    break;
                }
                if !seen {
                    return None;
                }
                Some(((total + current) as f64, j, None))
            }
            TokenKind::Punct => None,
        }
    }

    /// Parses a number with its money sign at `i`.
    fn number(&self, i: usize, last: usize) -> Option<(Num, Option<f64>)> {
        let money_sign = self.is_punct(i, &["$"]);
        let at = if money_sign { i + 1 } else { i };
        let (value, mut end, low) = self.plain_number(at, last)?;
        let mut money = money_sign;
        if let Some(w) = self.words.get(end)
            && end < last
            && matches!(*w, "usd" | "dollars")
        {
            money = true;
            end += 1;
        }
        Some((
            Num {
                value,
                start: i,
                end,
                money,
            },
            low,
        ))
    }
}

/// Parses digits with thousands commas, a decimal point and a scale suffix ("175k", "2.7bn").
fn digits(s: &str, g: &Gazetteer) -> Option<(f64, bool)> {
    let split = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let scale = if suffix.is_empty() {
        1.0
    } else {
        *g.number_scales.get(suffix)? as f64
    };
    if num.is_empty() || !num.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (int, frac) = match num.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (num, None),
    };
    let groups: Vec<&str> = int.split(',').collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    let int: String = groups.concat();
    if !int.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut v: f64 = int.parse().ok()?;
    if let Some(f) = frac {
        if !f.chars().all(|c| c.is_ascii_digit()) || f.is_empty() {
            return None;
        }
        v = format!("{int}.{f}").parse().ok()?;
    }
    Some((v * scale, groups.len() > 1 || !suffix.is_empty()))
}

#[derive(Debug, Clone)]
struct Mention {
    at: usize,
    code: String,
    place: bool,
    person: bool,
    speaker: bool,
}

fn month_of(w: &str) -> Option<i8> {
    Some(match w.trim_end_matches('.') {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

fn weekday_of(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

fn day_of(w: &str) -> Option<i8> {
    let head: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &w[head.len()..];
    if !(rest.is_empty() || rest.starts_with('-') || matches!(rest, "st" | "nd" | "rd" | "th")) {
        return None;
    }
    head.parse().ok().filter(|d| (1..=31).contains(d))
}

/// Extracts the claims of one report with the built-in gazetteer.
pub fn extract_claims(report: &Report) -> Vec<Claim> {
    extract_claims_with(Gazetteer::builtin(), report)
}

/// Extracts the claims of one report with a given gazetteer.
pub fn extract_claims_with(g: &Gazetteer, report: &Report) -> Vec<Claim> {
    let body = report.body.as_str();
    let toks = tokenize(body);
    let words: Vec<&str> = toks.iter().map(|t| t.lower.as_str()).collect();
    let ctx = Ctx {
        g,
        body,
        toks: &toks,
        words,
    };
    let sents = sentences(body, &toks);
    // The report's context: a joint exercise named anywhere, the main actor of its opening.
    let exercise =
        (0..toks.len()).find_map(|i| g.exercises.match_at(&ctx.words, i).map(|(_, e)| e.clone()));
    let mut default_actor = None;
    for s in sents.iter().take(3) {
        if let Some(m) = mentions(&ctx, s).into_iter().find(|m| !m.place) {
            default_actor = Some(m.code);
            break;
        }
    }
    let mut out: Vec<Claim> = Vec::new();
    for (si, s) in sents.iter().enumerate() {
        // Cheap filter: most sentences hold no digit and no number word.
        if !(s.first..s.last).any(|i| {
            toks[i].kind == TokenKind::Number
                || g.number_units.contains_key(ctx.words[i])
                || g.number_tens.contains_key(ctx.words[i])
                || ctx.words[i] == "$"
        }) {
            continue;
        }
        let ments = mentions(&ctx, s);
        let mut i = s.first;
        while i < s.last {
            let Some((num, low)) = ctx.number(i, s.last) else {
                i += 1;
                continue;
            };
            let consumed = num.end;
            if let Some(c) = claim_at(
                &ctx,
                report,
                &sents,
                si,
                &ments,
                num,
                low,
                exercise.as_ref(),
                default_actor.as_deref(),
            ) {
                let end_tok = c.1;
                let claim = c.0;
                let distinct = g
                    .category(&claim.category)
                    .is_some_and(|c| c.distinct_nouns);
                merge(&mut out, claim, distinct);
                i = end_tok.max(consumed);
            } else {
                i = consumed.max(i + 1);
            }
        }
    }
    out
}

/// Adds a claim unless the report already states the same figure for the same thing; a range
/// whose upper bound repeats an earlier figure replaces it.
fn merge(out: &mut Vec<Claim>, c: Claim, distinct_nouns: bool) {
    let same = out.iter_mut().find(|o| {
        o.actor == c.actor
            && o.category == c.category
            && (o.quantity - c.quantity).abs() < 1e-9
            && (!distinct_nouns || o.noun == c.noun)
    });
    match same {
        Some(o) => {
            if o.quantity_min.is_none() && c.quantity_min.is_some() {
                *o = c;
            }
        }
        None => out.push(c),
    }
}

/// Actor mentions (names, people, exercises are separate) in a sentence.
fn mentions(ctx: &Ctx, s: &Sentence) -> Vec<Mention> {
    let g = ctx.g;
    let mut out = Vec::new();
    let mut i = s.first;
    while i < s.last {
        let here = ctx.text(i);
        if ctx.toks[i].kind != TokenKind::Word
            || !(g.actor_first.contains(here)
                || here
                    .strip_suffix("'s")
                    .is_some_and(|b| g.actor_first.contains(b)))
        {
            i += 1;
            continue;
        }
        if let Some(len) = g.not_actors.get(here).and_then(|list| {
            list.iter()
                .find(|p| {
                    i + p.len() <= s.last
                        && p.iter()
                            .enumerate()
                            .all(|(k, x)| ctx.text(i + k) == x.as_str())
                })
                .map(Vec::len)
        }) {
            i += len;
            continue;
        }
        let mut found = None;
        let mut person = false;
        for (phrase, code) in g.actor_phrases.get(here).into_iter().flatten() {
            if i + phrase.len() <= s.last
                && phrase
                    .iter()
                    .enumerate()
                    .all(|(k, p)| ctx.text(i + k) == p.as_str())
            {
                found = Some((phrase.len(), code.clone()));
                break;
            }
        }
        if found.is_none() {
            let t = ctx.text(i);
            let bare = t.strip_suffix("'s").unwrap_or(t);
            if let Some(code) = g.actor_names.get(t).or_else(|| g.actor_names.get(bare)) {
                found = Some((1, code.clone()));
            } else if let Some(code) = g.people.get(bare) {
                found = Some((1, code.clone()));
                person = true;
            }
        }
        match found {
            Some((len, code)) => {
                let mut p = i;
                // Skip a determiner or adjective between preposition and name ("near the
                // Ukrainian border", "against Ukraine").
                while p > s.first && matches!(ctx.words[p - 1], "the" | "a" | "an" | "former") {
                    p -= 1;
                }
                let before_prep =
                    p > s.first && g.place_prepositions.iter().any(|w| w == ctx.words[p - 1]);
                // "the Ukrainian border", "Ukraine's border", "a Ukraine offensive": a place or
                // target. An adjective ("Russian offensive") names the actor, except of a border.
                let name = ctx.text(i + len - 1).trim_end_matches("'s");
                let adjective = name.ends_with("an") || name.ends_with("sh");
                let place_after = ctx.words.get(i + len).is_some_and(|w| {
                    if adjective {
                        matches!(*w, "border" | "borders" | "frontier" | "soil" | "territory")
                    } else {
                        g.place_after.iter().any(|p| p == w)
                    }
                });
                let speaker = g.speaker_nouns.match_at(&ctx.words, i + len).is_some();
                out.push(Mention {
                    at: i,
                    code,
                    place: before_prep || place_after,
                    person,
                    speaker,
                });
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

fn joint_or_single(g: &Gazetteer, codes: &[String]) -> Option<String> {
    let mut uniq: Vec<&str> = codes.iter().map(String::as_str).collect();
    uniq.sort();
    uniq.dedup();
    match uniq.len() {
        0 => None,
        1 => Some(uniq[0].to_owned()),
        _ => g
            .joint_of(&uniq)
            .map(str::to_owned)
            .or_else(|| Some(codes[0].clone())),
    }
}

#[allow(clippy::too_many_arguments)]
fn claim_at(
    ctx: &Ctx,
    report: &Report,
    sents: &[Sentence],
    si: usize,
    ments: &[Mention],
    num: Num,
    low: Option<f64>,
    exercise: Option<&crate::gazetteer::ExerciseDef>,
    default_actor: Option<&str>,
) -> Option<(Claim, usize)> {
    let g = ctx.g;
    let s = &sents[si];
    let w = &ctx.words;
    // Percentages.
    if w.get(num.end)
        .is_some_and(|n| matches!(*n, "%" | "percent" | "per" | "pc"))
    {
        return None;
    }
    // A range: "X to Y", "between X and Y", "X-Y".
    let mut low = low;
    let mut hi = num.value;
    let mut end = num.end;
    let mut q_start = num.start;
    let mut opener = false;
    if let Some((n, _)) = g.range_openers.match_ending(w, num.start) {
        opener = true;
        q_start = num.start - n;
    }
    if low.is_none()
        && let Some(j) = w.get(end)
        && g.range_joiners.iter().any(|r| r == j)
        && (*j != "and" || opener)
        && let Some((second, _)) = ctx.number(end + 1, s.last)
        && second.value > num.value
        && second.money == num.money
    {
        low = Some(num.value);
        hi = second.value;
        end = second.end;
    }
    // Qualifier before the number (or before the range opener).
    let mut qualifier = if low.is_some() {
        ClaimQualifier::Range
    } else {
        ClaimQualifier::Exactly
    };
    if let Some((n, q)) = g.qualifiers_before.match_ending(w, q_start) {
        q_start -= n;
        if low.is_none() {
            qualifier = match q {
                QualWord::MoreThan => ClaimQualifier::MoreThan,
                QualWord::AtLeast => ClaimQualifier::AtLeast,
                QualWord::About => ClaimQualifier::About,
                QualWord::UpTo => ClaimQualifier::UpTo,
            };
        }
    }
    // Vague amounts, sizes of one unit, changes.
    if g.vague_before.match_ending(w, num.start).is_some()
        || g.unit_size_before.match_ending(w, q_start).is_some()
        || g.unit_size_before.match_ending(w, num.start).is_some()
        || g.change_before.match_ending(w, q_start).is_some()
    {
        return None;
    }
    if q_start > 0 && matches!(w[q_start - 1], "tens" | "hundreds" | "thousands" | "dozens") {
        return None;
    }
    // The category: money, a weight unit, or a noun or system in a short window.
    let sentence_words = &w[s.first..s.last];
    let intro = list_intro(ctx, sents, si).map(|k| &sents[k]);
    let aid = g.aid_words.any_in(sentence_words)
        || intro.is_some_and(|p| g.aid_words.any_in(&w[p.first..p.last]));
    let non_military = g.non_military_aid.any_in(sentence_words);
    let military = g.military_words.any_in(sentence_words)
        || intro.is_some_and(|p| g.military_words.any_in(&w[p.first..p.last]));
    let mut cat_idx = None;
    let mut factor = 1.0;
    let mut weight = false;
    let mut noun_start = end;
    let mut noun_end = end;
    let mut adjectives = (end, end);
    if num.money {
        if !(aid || military) || non_military {
            return None;
        }
        cat_idx = g.categories.iter().position(|c| c.money);
    } else {
        let mut k = end;
        while k < s.last && k < end + 7 {
            if let Some((len, hit)) = g.category_words.match_at(w, k) {
                match *hit {
                    CategoryHit::Category(c) => cat_idx = Some(c),
                    CategoryHit::Weight(c, f) => {
                        if k != end {
                            break;
                        }
                        cat_idx = Some(c);
                        factor = f;
                        weight = true;
                    }
                }
                noun_start = k;
                noun_end = k + len;
                adjectives = (end, k);
                break;
            }
            let t = &ctx.toks[k];
            if (t.kind == TokenKind::Punct && t.lower != "-")
                || BOUNDARY_WORDS.contains(&w[k])
                || t.kind == TokenKind::Number
            {
                break;
            }
            k += 1;
        }
        // "the number of Russian troops near the border at 70,000".
        if cat_idx.is_none() && q_start > s.first && w[q_start - 1] == "at" {
            let from = q_start.saturating_sub(14).max(s.first);
            if let Some(p) = (from..q_start)
                .rev()
                .find(|&p| w[p] == "number" && w.get(p + 1) == Some(&"of"))
            {
                let mut k = p + 2;
                while k < q_start && k < p + 6 {
                    if let Some((_, CategoryHit::Category(c))) = g.category_words.match_at(w, k) {
                        cat_idx = Some(*c);
                        adjectives = (p + 2, k);
                        break;
                    }
                    k += 1;
                }
                if cat_idx.is_some() {
                    q_start = p.saturating_sub(usize::from(p > 0 && w[p - 1] == "the"));
                    noun_start = end;
                    noun_end = end;
                }
            }
        }
    }
    let cat_idx = cat_idx?;
    let cat = &g.categories[cat_idx];
    if (cat.aid_only && !aid) || (weight && !(aid || military)) {
        return None;
    }
    // Counts of places ("two missile bases").
    if g.place_nouns.match_at(w, noun_end).is_some() {
        return None;
    }
    // Casualties and losses.
    if (noun_end..(noun_end + 3).min(s.last)).any(|k| g.casualty_after.match_at(w, k).is_some()) {
        return None;
    }
    // Limits, caps, thresholds: shortly before the figure or right after it.
    let lim_from = q_start.saturating_sub(16).max(s.first);
    let lim_to = (noun_end + 3).min(s.last);
    if (lim_from..lim_to).any(|k| g.limit_words.match_at(w, k).is_some()) {
        return None;
    }
    if g.more_than_after.match_at(w, noun_end).is_some() && qualifier == ClaimQualifier::Exactly {
        qualifier = ClaimQualifier::MoreThan;
    }
    let mut quantity = hi * factor;
    let mut quantity_min = low.map(|l| l * factor);
    if weight {
        quantity = (quantity * 10.0).round() / 10.0;
        quantity_min = quantity_min.map(|q| (q * 10.0).round() / 10.0);
    }
    if quantity <= 0.0 {
        return None;
    }
    // The actor.
    let is_aid_category = cat.money || cat.aid_only || weight;
    let (actor, own_sentence) = resolve_actor(
        ctx,
        sents,
        si,
        ments,
        q_start,
        adjectives,
        noun_end,
        exercise,
        default_actor,
        is_aid_category || aid,
    )?;
    // The zone.
    let (zone, location) = resolve_zone(
        ctx,
        s,
        q_start,
        noun_end,
        &actor,
        is_aid_category || aid,
        exercise,
    );
    // Joint figures: in a report about a joint exercise, the host member's figures, and figures
    // on the host's soil whose actor comes from earlier sentences, are the joint total.
    let mut actor = actor;
    if let Some(e) = exercise
        && !is_aid_category
    {
        let members: Vec<&str> = g
            .joints
            .iter()
            .find(|(_, c)| *c == e.actor)
            .map(|(m, _)| m.iter().map(String::as_str).collect())
            .unwrap_or_default();
        if members.contains(&actor.as_str())
            && (actor == "BY" || (!own_sentence && zone.as_deref() == Some("belarus")))
        {
            actor = e.actor.clone();
        }
    }
    let date = resolve_date(ctx, s, report.published);
    let (attributed_to, official) = resolve_attribution(ctx, sents, si);
    let span_start = ctx.toks[q_start].start;
    let span_end = ctx.toks[noun_end.max(end) - 1].end;
    Some((
        Claim {
            report: report.id.clone(),
            actor,
            category: cat.id.clone(),
            label: cat.label.clone(),
            quantity,
            quantity_min,
            qualifier,
            zone,
            location,
            date,
            attributed_to,
            official,
            text: ctx.body[span_start..span_end].to_owned(),
            span: (span_start, span_end),
            sentence: ctx.body[s.start..s.end].to_owned(),
            noun: if noun_end > noun_start {
                w[noun_start..noun_end].join(" ")
            } else {
                String::new()
            },
        },
        noun_end.max(end),
    ))
}

/// The sentence that introduces the list this sentence is an item of ("... will include:").
fn list_intro(ctx: &Ctx, sents: &[Sentence], si: usize) -> Option<usize> {
    let mut k = si;
    while k > 0 {
        let p = &sents[k - 1];
        if ctx.is_punct(p.last - 1, &[":"]) {
            return Some(k - 1);
        }
        let first = &ctx.toks[p.first];
        let item = p.last - p.first <= 10
            && (first.kind == TokenKind::Number
                || (first.kind == TokenKind::Punct && first.lower != "\"")
                || ctx.g.number_units.contains_key(first.lower.as_str()));
        if !item {
            return None;
        }
        k -= 1;
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn resolve_actor(
    ctx: &Ctx,
    sents: &[Sentence],
    si: usize,
    ments: &[Mention],
    q_start: usize,
    adjectives: (usize, usize),
    noun_end: usize,
    exercise: Option<&crate::gazetteer::ExerciseDef>,
    default_actor: Option<&str>,
    aid: bool,
) -> Option<(String, bool)> {
    let g = ctx.g;
    let s = &sents[si];
    let w = &ctx.words;
    // People stand for their state only as donors of aid; otherwise they are speakers.
    let usable = |m: &Mention| if aid { m.code != "UA" } else { !m.person };
    // (a) An actor adjective between number and noun.
    if let Some(m) = ments
        .iter()
        .find(|m| m.at >= adjectives.0 && m.at < adjectives.1 && !m.person)
    {
        return Some((m.code.clone(), true));
    }
    // (b) "from <actor>[, <actor>]" right after the noun.
    if noun_end < s.last && matches!(w[noun_end], "from") {
        let stop = (noun_end + 1..s.last)
            .find(|&k| ctx.is_punct(k, &[".", ";", ":", "("]) || w[k] == "to")
            .unwrap_or(s.last)
            .min(noun_end + 14);
        let codes: Vec<String> = ments
            .iter()
            .filter(|m| m.at > noun_end && m.at < stop)
            .map(|m| m.code.clone())
            .collect();
        if let Some(a) = joint_or_single(g, &codes) {
            return Some((a, true));
        }
    }
    // (c) The nearest actor named before the figure that is not a place ("X and Y": joint).
    let before: Vec<&Mention> = ments
        .iter()
        .filter(|m| m.at < q_start && !m.place && usable(m))
        .collect();
    // A donor of aid may be named in any role ("in a U.S. shipment").
    let donor = aid
        .then(|| {
            ments
                .iter()
                .rev()
                .find(|m| m.at < q_start && usable(m) && !m.person)
        })
        .flatten();
    if before.is_empty()
        && let Some(m) = donor
    {
        return Some((m.code.clone(), true));
    }
    if let Some(m) = before.last() {
        let mut codes = vec![m.code.clone()];
        if before.len() >= 2 {
            let p = before[before.len() - 2];
            if m.at >= 2 && p.at + 2 >= m.at - 1 && w[m.at - 1] == "and" {
                codes.push(p.code.clone());
            }
        }
        return joint_or_single(g, &codes).map(|a| (a, true));
    }
    // (d) A named exercise in the sentence, or "the exercise" in a report about one.
    if let Some(e) = (s.first..s.last).find_map(|k| g.exercises.match_at(w, k)) {
        return Some((e.1.actor.clone(), true));
    }
    if let Some(e) = exercise
        && !aid
        && g.exercise_words.any_in(&w[s.first..s.last])
    {
        return Some((e.actor.clone(), true));
    }
    // (e) An actor named after the figure in the same sentence, not as a place (never for aid,
    // whose donor is named before or in an earlier sentence).
    if !aid
        && let Some(m) = ments
            .iter()
            .find(|m| m.at >= noun_end && !m.place && usable(m))
    {
        return Some((m.code.clone(), true));
    }
    // (f) The sentence introducing the list, or the previous sentences (the last actor named).
    let intro = list_intro(ctx, sents, si);
    let earlier: Vec<usize> = match intro {
        Some(k) => vec![k],
        None => (1..=2).filter(|b| si >= *b).map(|b| si - b).collect(),
    };
    for k in earlier {
        let p = &sents[k];
        let pm = mentions(ctx, p);
        if let Some(m) = pm
            .iter()
            .rev()
            .find(|m| !m.place && usable(m) && (aid || !m.speaker))
        {
            return Some((m.code.clone(), false));
        }
    }
    // (g) The exercise of the report, or its main actor.
    if let Some(e) = exercise
        && !aid
    {
        return Some((e.actor.clone(), false));
    }
    default_actor.map(|a| (a.to_owned(), false))
}

fn resolve_zone(
    ctx: &Ctx,
    s: &Sentence,
    q_start: usize,
    noun_end: usize,
    actor: &str,
    aid: bool,
    exercise: Option<&crate::gazetteer::ExerciseDef>,
) -> (Option<String>, Option<String>) {
    let g = ctx.g;
    let w = &ctx.words;
    let mut best: Option<(usize, usize)> = None; // (distance, zone index)
    for k in s.first..s.last {
        if let Some((len, &zi)) = g.zone_phrases.match_at(w, k) {
            let d = if k >= noun_end {
                k - noun_end
            } else {
                q_start.saturating_sub(k + len) + 2
            };
            if best.is_none_or(|(bd, bz)| d < bd || (d == bd && zi < bz)) {
                best = Some((d, zi));
            }
        }
    }
    if let Some((_, zi)) = best {
        let z = &g.zones[zi];
        // Aid goes to Ukraine as a whole, not to its border.
        if aid
            && z.id == "near-ukraine"
            && let Some(u) = g.zone("ukraine")
        {
            return (Some(u.id.clone()), Some(u.label.clone()));
        }
        return (Some(z.id.clone()), Some(z.label.clone()));
    }
    let fallback = if let Some(e) = exercise.filter(|e| e.actor == actor) {
        Some(e.zone.as_str())
    } else if aid && (s.first..s.last).any(|k| matches!(w[k], "ukraine" | "ukraine's")) {
        Some("ukraine")
    } else {
        None
    };
    match fallback.and_then(|id| g.zone(id)) {
        Some(z) => (Some(z.id.clone()), Some(z.label.clone())),
        None => (None, None),
    }
}

fn resolve_date(ctx: &Ctx, s: &Sentence, published: Option<Date>) -> Option<Date> {
    let g = ctx.g;
    let w = &ctx.words;
    // An explicit date: "Jan. 30", "September 10-16", "3 September", "Sept. 1, 2021".
    for k in s.first..s.last {
        let Some(month) = month_of(w[k]) else {
            continue;
        };
        if w[k] == "may" && !ctx.text(k).starts_with('M') {
            continue;
        }
        let mut after = k + 1;
        if ctx.is_punct(after, &["."]) {
            after += 1;
        }
        let day = w
            .get(after)
            .filter(|_| after < s.last)
            .and_then(|d| day_of(d))
            .map(|d| (d, after + 1))
            .or_else(|| {
                (k > s.first)
                    .then(|| day_of(w[k - 1]))
                    .flatten()
                    .map(|d| (d, k + 1))
            });
        let Some((day, next)) = day else { continue };
        let mut n = next;
        if ctx.is_punct(n, &[","]) {
            n += 1;
        }
        let year = w
            .get(n)
            .filter(|_| n < s.last)
            .and_then(|y| y.parse::<i16>().ok())
            .filter(|y| (1900..=2100).contains(y));
        let year = match (year, published) {
            (Some(y), _) => y,
            (None, Some(p)) => {
                // The nearest year that keeps the date within half a year of publication.
                let y = p.year();
                match Date::new(y, month, day) {
                    Ok(d) if d > p.saturating_add(jiff::Span::new().days(183)) => y - 1,
                    Ok(d) if d < p.saturating_sub(jiff::Span::new().days(183)) => y + 1,
                    _ => y,
                }
            }
            (None, None) => return None,
        };
        if let Ok(d) = Date::new(year, month, day) {
            return Some(d);
        }
    }
    let published = published?;
    // A weekday, resolved to the latest such day on or before publication.
    for word in &w[s.first..s.last] {
        if let Some(wd) = weekday_of(word) {
            let back = (published.weekday().to_monday_zero_offset() - wd.to_monday_zero_offset())
                .rem_euclid(7);
            return published
                .checked_sub(jiff::Span::new().days(i64::from(back)))
                .ok();
        }
    }
    // Plans and forecasts have no date; neither do earlier years' figures.
    let words = &w[s.first..s.last];
    if g.future_words.any_in(words) {
        return None;
    }
    let historical = (s.first..s.last).any(|k| {
        let t = w[k];
        let tail = t.rsplit('-').next().unwrap_or(t);
        tail.len() == 4
            && tail
                .parse::<i16>()
                .is_ok_and(|y| (1900..published.year()).contains(&y))
    });
    if historical {
        return None;
    }
    Some(published)
}

fn speaker_before(ctx: &Ctx, s: &Sentence, v: usize) -> Option<String> {
    let g = ctx.g;
    let mut k = v;
    while k > s.first {
        let t = &ctx.toks[k - 1];
        let text = t.text(ctx.body);
        let ok = t.kind == TokenKind::Word
            && (text.starts_with(char::is_uppercase)
                || g.official_words.match_at(&ctx.words, k - 1).is_some()
                || (matches!(t.lower.as_str(), "of" | "the" | "'s") && k < v))
            && v - k < 7;
        if !ok {
            break;
        }
        k -= 1;
    }
    while k < v && matches!(ctx.words[k], "the" | "of" | "a") {
        k += 1;
    }
    if k >= v {
        return None;
    }
    let phrase = ctx.body[ctx.toks[k].start..ctx.toks[v - 1].end].to_owned();
    let lower = phrase.to_lowercase();
    if g.not_speakers.contains(&lower) {
        return None;
    }
    Some(phrase)
}

fn speaker_after(ctx: &Ctx, s: &Sentence, v: usize) -> Option<String> {
    let g = ctx.g;
    let mut k = v + 1;
    while k < s.last && matches!(ctx.words[k], "the" | "a") {
        k += 1;
    }
    let start = k;
    while k < s.last && k < start + 7 {
        let t = &ctx.toks[k];
        let text = t.text(ctx.body);
        let ok = t.kind == TokenKind::Word
            && (text.starts_with(char::is_uppercase)
                || g.official_words.match_at(&ctx.words, k).is_some()
                || (ctx.words[k] == "of" && k > start));
        if !ok {
            break;
        }
        k += 1;
    }
    if k == start {
        return None;
    }
    Some(ctx.body[ctx.toks[start].start..ctx.toks[k - 1].end].to_owned())
}

fn resolve_attribution(ctx: &Ctx, sents: &[Sentence], si: usize) -> (Option<String>, bool) {
    let g = ctx.g;
    let s = &sents[si];
    let w = &ctx.words;
    let mut who = None;
    for k in s.first..s.last {
        if let Some((len, _)) = g.attribution_openers.match_at(w, k) {
            let start = k + len;
            let mut e = start;
            while e < s.last && e < start + 8 && ctx.toks[e].kind != TokenKind::Punct {
                e += 1;
            }
            if e > start {
                let mut b = start;
                while b < e && matches!(w[b], "the" | "a" | "an") {
                    b += 1;
                }
                if b < e {
                    who = Some(ctx.body[ctx.toks[b].start..ctx.toks[e - 1].end].to_owned());
                    break;
                }
            }
        }
    }
    if who.is_none() {
        for k in s.first..s.last {
            if g.attribution_verbs.match_at(w, k).is_none() {
                continue;
            }
            who = speaker_before(ctx, s, k).or_else(|| {
                (matches!(
                    w[k],
                    "said" | "says" | "stated" | "wrote" | "added" | "noted"
                ))
                .then(|| speaker_after(ctx, s, k))
                .flatten()
            });
            if who.is_some() {
                break;
            }
        }
    }
    // A list item takes the attribution of the sentence that introduces the list.
    if who.is_none()
        && let Some(k) = list_intro(ctx, sents, si)
    {
        return resolve_attribution(ctx, sents, k);
    }
    let Some(who) = who else {
        return (None, false);
    };
    let toks = tokenize(&who);
    let lw: Vec<&str> = toks.iter().map(|t| t.lower.as_str()).collect();
    let official = g.official_words.any_in(&lw)
        || toks.iter().any(|t| {
            let x = t.text(&who);
            g.people.contains_key(x) || g.actor_names.contains_key(x)
        });
    (Some(who), official)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_report;

    fn claims(body: &str) -> Vec<Claim> {
        let text =
            format!("url: unknown\noutlet: Test\npublished: 2022-01-26\ntitle: unknown\n\n{body}");
        extract_claims(&parse_report("t", &text).unwrap())
    }

    #[test]
    fn troops_near_the_border_with_qualifier_and_date() {
        let c = claims(
            "Russia has amassed more than 120,000 troops on its border with the former Soviet republic.",
        );
        assert_eq!(c.len(), 1, "{c:?}");
        let c = &c[0];
        assert_eq!(c.actor, "RU");
        assert_eq!(c.category, "troops");
        assert_eq!(c.quantity, 120000.0);
        assert_eq!(c.qualifier, ClaimQualifier::MoreThan);
        assert_eq!(c.zone.as_deref(), Some("near-ukraine"));
        assert_eq!(c.date, Some(jiff::civil::date(2022, 1, 26)));
        assert_eq!(c.text, "more than 120,000 troops");
    }

    #[test]
    fn number_words_ranges_suffixes_and_weights() {
        let c = claims(
            "The US this week sent three shipments of military aid to Ukraine.\n\
             Officials said Moscow could use somewhere around 95,000 to 100,000 Russian soldiers.\n\
             US intelligence says Russia plans an offensive involving 175K troops.\n\
             The embassy said 200,000 pounds of lethal aid arrived in Kyiv.",
        );
        let find = |cat: &str| c.iter().find(|c| c.category == cat).unwrap();
        let s = find("shipments");
        assert_eq!((s.actor.as_str(), s.quantity), ("US", 3.0));
        assert_eq!(s.zone.as_deref(), Some("ukraine"));
        let r: Vec<_> = c.iter().filter(|c| c.category == "troops").collect();
        assert_eq!(r.len(), 2, "{c:?}");
        assert_eq!(r[0].quantity_min, Some(95000.0));
        assert_eq!(r[0].quantity, 100000.0);
        assert_eq!(r[0].qualifier, ClaimQualifier::Range);
        assert_eq!(r[0].actor, "RU");
        assert_eq!(r[1].quantity, 175000.0);
        let w = find("ammunition_tons");
        assert_eq!(w.quantity, 90.7);
        assert_eq!(w.attributed_to.as_deref(), Some("embassy"));
        assert!(w.official);
    }

    #[test]
    fn limits_percentages_vague_amounts_and_casualties_are_not_claims() {
        let c = claims(
            "The treaty limits each side to 1,550 deployed warheads.\n\
             About 70 percent of the troops are combat ready.\n\
             Several hundred soldiers and tens of thousands of troops moved.\n\
             Exercises with more than 13,000 troops must be notified.\n\
             Some 14 soldiers were killed in the fighting.\n\
             In 2014 troops entered Crimea.",
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn attribution_and_weekday_dates() {
        let c = claims(
            "According to US officials, Russia had deployed 50 battalion tactical groups on Tuesday.",
        );
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].attributed_to.as_deref(), Some("US officials"));
        assert!(c[0].official);
        assert_eq!(c[0].category, "battalion_tactical_groups");
        assert_eq!(c[0].date, Some(jiff::civil::date(2022, 1, 25)));
        assert_eq!(c[0].actor, "RU");
    }

    #[test]
    fn aid_money_lists_and_joint_exercises() {
        let c = claims(
            "Biden announced $800 million in new military aid to Ukraine, including:\n\
             800 Stinger anti-aircraft systems\n\
             2,000 Javelin anti-armor missiles\n\
             Russia and Belarus will hold the Zapad-2021 exercise with some 200,000 soldiers, 80 planes and helicopters and 290 tanks on September 10.",
        );
        let get = |cat: &str| c.iter().find(|c| c.category == cat).unwrap();
        assert_eq!(get("military_aid_usd").quantity, 800_000_000.0);
        assert_eq!(get("military_aid_usd").actor, "US");
        let m: Vec<_> = c.iter().filter(|c| c.category == "missiles").collect();
        assert_eq!(m.len(), 2, "{c:?}");
        assert!(m.iter().all(|m| m.actor == "US"));
        let t = get("troops");
        assert_eq!((t.actor.as_str(), t.quantity), ("BY+RU", 200000.0));
        assert_eq!(t.date, Some(jiff::civil::date(2021, 9, 10)));
        assert_eq!(get("aircraft").quantity, 80.0);
        assert_eq!(get("battle_tanks").actor, "BY+RU");
    }
}
