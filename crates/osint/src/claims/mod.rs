//! Quantified military claims: who, how many, of what, where, when, according to whom.
//!
//! The extractor reads a report sentence by sentence. A claim is an explicit number (digits, number
//! words, "forty-eight", "175K", "200 000", "12.600", "12 thousand 900", "$2.7 billion",
//! "$200-million", "USD 1 billion", "two dozen", "a thousand", "half a million"; "C$64.8
//! million" and "A$100 million" are no US dollars) followed by a category noun or weapon
//! system from the gazetteer ("120,000 troops", "the 40,000-troop force", "2,000 Javelin anti-armor
//! missiles", "200,000 pounds of lethal aid", "the 19,000-strong force": a force's strength counts
//! its troops), or preceded by `"the number of <noun> ... at"` or `"... to"` ("the size of the NATO
//! Response Force to 40,000" too), or
//! standing alone where its sentence named what it counts ("estimated at 94,000", "rose from 60 to
//! 83", "while Russia had 1,456"). The context then decides the rest, with general rules only:
//!
//! - qualifier: the gazetteer's qualifier phrases right before the number ("north of"), ranges
//!   ("between X and Y", "X to Y"), "or more" after the noun, a plus joined to the figure
//!   ("100+ warplanes"); "rose from X to Y" is two figures, and so is "increased its stockpile
//!   from 350 to 410 warheads" (a verb of change and its object before "from"), whose earlier
//!   figure counts the noun after the later one;
//! - an earlier figure of the same thing ("40,000 soldiers, up from around 10,000"; "The figure was
//!   down from 1,515 in March 2022" after a sentence giving the figure) takes the owner and
//!   category of the figure it is compared with (a repeat of a headline's figure included), and no
//!   date; a figure whose noun is left out after another name in a list ("1,887 troops, ahead of
//!   Lithuania's 1,632 and Estonia's 1,430") counts the same thing for that name; a figure with its
//!   noun left out after "another", "a further" or "the first" ("with a further eight following",
//!   "The first 48, manufactured by ...") or followed by "more" or the next period ("deliver
//!   eight next year and five more the year after") counts more of the thing last counted, in its
//!   sentence or the one before, for the same owner; a figure after a sentence opening `"Of those
//!   <noun>,"` counts a part of the last larger figure of that noun ("Of those aircraft, 28
//!   crossed"), and so does a figure with its noun after a sentence opening "Out of this," or
//!   "Of these," ("Out of this, 35 aircraft crossed the median line", the whole's owner's); a figure right after a state and a verb of having or
//!   declaring ("Russia reported 526 a year earlier", "and the United States has 1,357", "with the
//!   United States having 848") counts for that state what the sentence or the one before last
//!   counted;
//! - actor, from the structure of the sentence: a noun that names its actor ("35,000 rebels"),
//!   actor adjectives between number and noun ("7,000 Estonian troops"; "Russian and Belarusian
//!   soldiers" is the joint force; "US-based"), a state's adjective said of a part ("of which a
//!   mere 2,500 will be Russian"), `"from <actor>"` after the noun or figure ("100,000 from the
//!   United States"; not "from X to Y", a movement, unless aid or supplies are sent from a
//!   state: "28,000 containers ... have been shipped from North Korea to Russia" are its; nor
//!   after a verb of leaving: "withdraw 11,900 military personnel from Germany", nor after a
//!   verb of buying or a deal: "a deal for up to 36 F-15 fighter jets from the US" names the
//!   seller), the subject of a verb of buying after
//!   "for" ("for Singapore to procure 12 F-35B"), "under X command", the nearest actor
//!   named before the number that is not a place ("near Ukraine", "the two former Soviet states",
//!   and a name joined to a place by "and"; "with Poland contributing" makes it the subject,
//!   "with Poland's president" is the state, and "within U.S. European Command" a command, not
//!   a place), not a speaker ("US officials say") unless no
//!   one else is, not one who estimates ("US intelligence assessments place 50 ...") unless no one
//!   else is named in the sentence or before it ("the US estimates", "NATO estimated"), not the
//!   source of a figure ("claimed by Kiev"), not the one who receives ("providing Ukraine with 13
//!   jets", "will help Ukraine with 14 Leopards"; a name on the noun still owns it), not one who
//!   gives an estimate ("the highest estimate the US has given"), nor its forces
//!   named in the sentence ("Ukrainian forces celebrated the 16 HIMARS Ukraine has received") nor
//!   where aid goes ("delivered ... to Armenia"), an actor named after the figure, not as its
//!   source ("..., the UK Defense Ministry intelligence update reports") nor in a clause of
//!   purpose ("intended to reassure fellow NATO member Poland"; two joined by "and" are the
//!   joint force: "80,000 troops, including the Russian and Belarusian regulars"), "we", "our" or
//!   "I" in quoted speech that names no one before the figure (the speaker's state: "Plus, I said
//!   400,000 veterans and 200,000 reservists ...' Reznikov said"), the subject of a relative clause
//!   ("Russia, which has placed"), a leader who sends or puts forces, the name after "for" that
//!   follows a figure standing alone ("stands at 1,585 for the US and 1,512 for Russia"), each
//!   state of a list before "each" ("Britain, Canada, Germany and the United States would each
//!   send some 800 soldiers" is one claim per state), a named exercise (with its
//!   year: "Vostok-2022"; material "involved in the maneuver" of a report about one), the actor of
//!   the previous sentence (not the author of an act of war: "during the Russian invasion"), the
//!   report's main actor; a multinational total ("30,000 troops from 27 nations", "28,000 U.S.,
//!   allied and partner forces from 26 nations", "a 24-nation, 31,000-troop event") is its
//!   exercise's; a figure for a joint exercise or counted on a member's soil becomes the joint
//!   actor, unless the member is named on its noun ("400 Belarusian servicemen"); a force of
//!   several states with no joint name is theirs together, written with their codes sorted and
//!   joined ("Philippine and U.S. troops" is `PH+US`); a state joined to a participle of making
//!   ("U.S.-manufactured") is the maker, never the owner; nouns of leaving ("the withdrawal of
//!   4,500 troops from South Korea") name the place left; one member of an alliance or union
//!   named by its membership ("the EU and NATO member", "NATO ally Lithuania") is a state, not
//!   the organisation; parts in brackets after a whole take its owner, and what is "for" a
//!   state's service is its past such a breakdown; in a report about a sale, equipment credited
//!   to a seller or maker its opening names ("buy 12 ... Rafale fighter jets from France",
//!   "approves sale of F-35B jets to Singapore", "a deal with Poland to export tanks", "38
//!   American M1A2T Abrams tanks") or to buyer and seller together is the buyer's where its
//!   sentence speaks of the transaction (buying, selling, delivery, receipt), unless a service
//!   of the state is named on it ("two Russian Air Force AN-124 cargo planes"), its sentence
//!   gives it ("will send at least 14 Leopard 2 tanks to Ukraine") or sends it to another;
//! - category: the noun or system within a few words, a gloss in brackets included ("north of
//!   100,000 (troops on the border)") and past a possessive or a demonstrative ("14 of its own
//!   Challenger 2 tanks", "another six of these BTGs", "48 of the K9 howitzers", not "8 of the 36
//!   tanks"), never past another figure or a duration ("two days after nineteen Russian drones");
//!   one figure for kinds listed after its noun ("760 armored vehicles, missile and artillery
//!   systems", "36,000 tanks and armoured vehicles") counts items of equipment, unless the kinds
//!   have a count of their own ("and an undefined number of K9 howitzers"); fighters named by a
//!   model designation ("48 FA-50 fighters") are aircraft; planes that land with aid ("Two US
//!   planes landed in Ukraine with a new shipment") are shipments; people taking part in a named
//!   exercise are troops; a figure of a thousand or more repeated for one category in another
//!   sentence is one claim (twice in one sentence, two things: "8,000 naval forces, and 8,000 air
//!   forces"); "a pair of" is two; a person joined to a figure ("a 111-person contingent")
//!   sizes a force like "-strong"; squadrons are units; a battery of a named air-defence system
//!   counts the system; launchers of a named system count in its category ("48 launchers for
//!   the ... Patriot air defence systems"); aircraft may be named by their seats ("two-seater");
//!   weapons counted where the sentence or the one before speaks of nuclear arms are warheads;
//!   one figure of two model designations counts two things, not one repeated;
//! - not claims: limits, caps, thresholds, obligations and treaty allowances anywhere before the
//!   figure in its sentence; percentages; years, times, time zones ("UTC+8"), days after their
//!   weekday ("on Wednesday (27.") or month, the last of a span of days ("from March 3 to
//!   14"), ages ("under the age of 18"), codes; sizes of one unit ("each with up to", "900 troops
//!   each"); changes ("by 9", "added 130") and comparisons ("100 more warheads than"); vague
//!   amounts ("several hundred"); casualties and losses ("has killed more than 13,000 people",
//!   "loss of 939 vehicles", "30 drones were eliminated", "4,700 casualties fighting alongside
//!   Russian forces", "the losses on the Russian side ... amount to approximately 342,800
//!   military personnel"; crewed aircraft intercepted are
//!   escorted, not lost: "had intercepted at least 19 Russian military aircraft"); a number
//!   that ends a system's name ("Challenger 2 tanks") or completes a designation ("Type 90",
//!   "the Block 15 aircraft", "JAS 39 Gripen"), or labels one thing ("No. 10"); requests
//!   ("wants 300 tanks", "asked for"); people outside a military sentence; money and weights
//!   outside a military-aid context, and the price of a purchase or sale ("a deal to purchase
//!   $5.8 billion worth of tanks") or what a state spends ("its $877
//!   billion representing 39% of global military spending"), invests or pays for its own
//!   forces, a deployment's cost and base infrastructure;
//! - tables: in a table whose header names two actors ("Category of Data  United States of
//!   America  Russian Federation", or a name a line), each row's figures belong to the actors of
//!   their columns and count what the row's label names first (a label may wrap over lines, and
//!   cells apart by a space are two figures);
//! - place: the zone phrase nearest the figure in its sentence, else the exercise area, else
//!   Ukraine for aid (forces in a sentence about aid keep their own place);
//! - date: an explicit date in the sentence, a weekday resolved against the publication date (or
//!   the report's own dateline), nothing for plans and history, else the publication date;
//! - attribution: "according to X", "X said/told/estimates", "said X", the list introduction.
//!
//! One module a step: `numbers` reads a figure and its qualifier, `mentions` the names of its
//! sentence, `figure` makes the claim (what it counts, and what is no claim), `owner` and
//! `trade` decide whose it is, `referring` reads figures that count a thing counted before,
//! `zone`, `dates` and `attribution` give its place, day and source, and `tables` reads
//! tables with one column per actor.

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use crate::Report;
use crate::gazetteer::{CategoryHit, Gazetteer, QualWord};
use crate::text::{Sentence, Token, TokenKind, sentences, tokenize};

mod attribution;
mod dates;
mod figure;
mod mentions;
mod numbers;
mod owner;
mod referring;
mod tables;
mod trade;
mod zone;

use attribution::*;
pub use dates::dateline;
use dates::*;
use figure::*;
use mentions::*;
use numbers::*;
use owner::*;
use referring::*;
use tables::*;
use trade::*;
use zone::*;

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
    /// The report speaks of battalion tactical groups: its "battalions" are those groups.
    tactical_groups: bool,
    /// Figures in the rows of a table with one column per actor: by the figure's token, the
    /// actor of its column and the tokens of its row's label.
    table: std::collections::HashMap<usize, (String, usize, usize)>,
    /// The report's day (published, else its dateline): who belonged to an alliance then.
    day: Option<Date>,
    /// The report is about an arms sale: what is delivered goes to its buyer.
    sale_report: bool,
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

    /// Where a figure at token `at` starts with the qualifier right before it ("about",
    /// "more than"), and that qualifier.
    fn qualified_start(&self, at: usize) -> (usize, ClaimQualifier) {
        match self.g.qualifiers_before.match_ending(&self.words, at) {
            Some((n, q)) => (at - n, qualifier_of(q)),
            None => (at, ClaimQualifier::Exactly),
        }
    }
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
    let tactical_groups = words.windows(2).any(|p| {
        (p[0] == "battalion" && p[1] == "tactical") || p[0].starts_with("battalion-tactical")
    }) || words.iter().any(|w| matches!(*w, "btg" | "btgs"));
    let sents = sentences(body, &toks);
    // A report about an arms sale: its opening speaks of buying or a deal, and no sentence of it
    // speaks of aid.
    let sale_report = sents
        .iter()
        .take(3)
        .any(|s| speaks_of_trade(&words[s.first..s.last]))
        && !words.iter().any(|x| GIFT_WORDS.contains(x));
    let mut ctx = Ctx {
        g,
        body,
        toks: &toks,
        words,
        tactical_groups,
        table: std::collections::HashMap::new(),
        day: report.published.or_else(|| dateline(report)),
        sale_report,
    };
    ctx.table = table_cells(&ctx, &sents);
    // The report's context: a joint exercise named anywhere, the main actor of its opening.
    let exercise =
        (0..toks.len()).find_map(|i| g.exercise_at(&ctx.words, i).map(|(_, e)| e.clone()));
    let mut default_actor = None;
    for s in sents.iter().take(3) {
        if let Some(m) = mentions(&ctx, s).into_iter().find(|m| !m.place) {
            default_actor = Some(m.code);
            break;
        }
    }
    // An opening that names no one: the first actor named in the report ("... the military
    // security of Russia and its allies" after the figures of "Vostok-2022").
    if default_actor.is_none() {
        default_actor = sents
            .iter()
            .skip(3)
            .find_map(|s| mentions(&ctx, s).into_iter().find(|m| !m.place))
            .map(|m| m.code);
    }
    let mut out: Vec<Claim> = Vec::new();
    // The last figure read, merged or not: an earlier figure of the same thing may follow it.
    let mut last: Option<Claim> = None;
    for (si, s) in sents.iter().enumerate() {
        // Cheap filter: most sentences hold no digit and no number word.
        if !(s.first..s.last).any(|i| {
            // "forty-eight" is read whole by the number parser: its first part tells.
            let head = ctx.words[i].split('-').next().unwrap_or("");
            toks[i].kind == TokenKind::Number
                || g.number_units.contains_key(head)
                || g.number_tens.contains_key(head)
                || (ctx.words[i].len() > 1 && g.number_scales.contains_key(ctx.words[i]))
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
            // "40,000 soldiers, up from around 10,000", "The figure was down from 1,515": the
            // earlier figure of the thing just counted.
            if let Some(c) = last.as_ref().and_then(|l| {
                earlier_figure(&ctx, s, l, &num)
                    .or_else(|| gapped_figure(&ctx, s, &ments, l, &num))
                    .or_else(|| origin_figure(&ctx, s, &ments, l, &num))
                    .or_else(|| {
                        let from = if si > 0 { sents[si - 1].start } else { s.start };
                        elliptic_figure(&ctx, s, from, l, &num)
                            .or_else(|| subject_figure(&ctx, s, from, &ments, l, &num))
                    })
            }) {
                let at = merge(&mut out, c, false);
                last = Some(out[at].clone());
                i = consumed;
                continue;
            }
            // "Of those aircraft, 28 crossed the sensitive median line": a part of a thing
            // counted before.
            if let Some(c) = partitive_figure(&ctx, s, &out, &num) {
                let at = merge(&mut out, c, false);
                last = Some(out[at].clone());
                i = consumed;
                continue;
            }
            let num_start = num.start;
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
                let mut claim = c.0;
                // "The aircraft, including 34 J-16 fighters and 12 nuclear-capable H-6 bombers,
                // all flew ...": parts of a whole counted before are its owner's.
                if let Some(whole) = included_in(&ctx, s, &ments, &out, num_start, &claim)
                    .or_else(|| bracketed_part(&ctx, s, last.as_ref(), num_start, &claim))
                    .or_else(|| part_of_before(&ctx, s, &ments, &out, num_start, &claim))
                {
                    claim.actor = whole;
                }
                // "Britain, Canada, Germany and the United States would each send some 800
                // soldiers": one claim for each of them.
                let each = each_of(&ctx, s, &ments, num_start);
                let claim = match each.split_last() {
                    Some((final_code, rest)) => {
                        for code in rest {
                            let one = Claim {
                                actor: code.clone(),
                                ..claim.clone()
                            };
                            let distinct =
                                g.category(&one.category).is_some_and(|c| c.distinct_nouns);
                            merge(&mut out, one, distinct);
                        }
                        Claim {
                            actor: final_code.clone(),
                            ..claim
                        }
                    }
                    None => claim,
                };
                let distinct = g
                    .category(&claim.category)
                    .is_some_and(|c| c.distinct_nouns);
                // A figure repeated is the thing first counted, with its owner; read here, it
                // is what a figure after it in this sentence is compared with ("Some 40,000
                // soldiers, up from around 10,000" after a headline giving the 40,000).
                let (span, sentence) = (claim.span, claim.sentence.clone());
                let at = merge(&mut out, claim, distinct);
                last = Some(Claim {
                    span,
                    sentence,
                    ..out[at].clone()
                });
                i = end_tok.max(consumed);
            } else {
                i = consumed.max(i + 1);
            }
        }
    }
    // In a report about a sale, what its opening's seller or maker is credited with is what its
    // buyer buys.
    if ctx.sale_report
        && let Some(parties) = sale_parties(&ctx, &sents)
    {
        for c in &mut out {
            // Sentences are in text order: the claim's is the last one starting at or before it.
            let Some(s) = sents[..sents.partition_point(|s| s.start <= c.span.0)].last() else {
                continue;
            };
            if let Some(buyer) = parties.owner_of(&ctx, s, c) {
                c.actor = buyer.to_owned();
            }
        }
    }
    out
}

/// Adds a claim unless the report already states the same figure for the same thing; a range
/// whose upper bound repeats an earlier figure replaces it.
/// Returns the index of the claim kept.
fn merge(out: &mut Vec<Claim>, c: Claim, distinct_nouns: bool) -> usize {
    // A figure repeated for the same thing is one claim, even where the second mention is
    // read with another owner ("100,000 troops ... the 100,000 Russian and Belarusian forces").
    // Two mentions of one figure in one sentence count two things ("8,000 naval forces, and
    // 8,000 air forces").
    let same = out.iter_mut().enumerate().find(|(_, o)| {
        let one_sentence = o.sentence == c.sentence && c.span.0 < o.span.0 + o.sentence.len();
        !one_sentence
            && (o.actor == c.actor || c.quantity >= 1000.0)
            && o.category == c.category
            && (o.quantity - c.quantity).abs() < 1e-9
            && (!distinct_nouns || o.noun == c.noun)
            && !other_models(o, &c)
    });
    match same {
        Some((k, o)) => {
            if o.quantity_min.is_none() && c.quantity_min.is_some() {
                *o = c;
            }
            k
        }
        None => {
            out.push(c);
            out.len() - 1
        }
    }
}

/// Whether two claims name different model designations ("one KJ-500" and "one Shaanxi Y-8"):
/// then they count different things, whatever their figures.
fn other_models(a: &Claim, b: &Claim) -> bool {
    let models = |c: &Claim| -> Vec<String> {
        c.text
            .split(|ch: char| ch.is_whitespace() || matches!(ch, ',' | '(' | ')'))
            .map(|t| t.to_lowercase())
            .filter(|t| designation(t))
            .collect()
    };
    let (ma, mb) = (models(a), models(b));
    !ma.is_empty() && !mb.is_empty() && ma != mb
}

#[cfg(test)]
mod tests;
