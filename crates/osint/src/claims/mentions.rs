//! Who a sentence names: states, alliances, forces, speakers, estimators and places.

use super::*;

#[derive(Debug, Clone)]
pub(super) struct Mention {
    pub(super) at: usize,
    /// How many words the name takes ("the United States": 2, from "united").
    pub(super) len: usize,
    pub(super) code: String,
    pub(super) place: bool,
    pub(super) person: bool,
    pub(super) speaker: bool,
    /// A speaker that estimates ("US intelligence", "Western estimates"): it counts others'
    /// forces, so it owns a figure only when no one else can.
    pub(super) estimator: bool,
    /// Named as the agent of a passive ("claimed by Kiev"): a source, not an owner.
    pub(super) agent: bool,
    /// Named as the one a figure is "according to": its source, an owner only when no one else
    /// in the report can be.
    pub(super) source: bool,
    /// Named as the maker of a model another buys ("980 tanks of the South Korean K2 model"):
    /// never the owner.
    pub(super) maker: bool,
    /// Named as the one who receives ("the 16 HIMARS Ukraine has received").
    pub(super) recipient: bool,
}

/// Actor mentions (names, people, exercises are separate) in a sentence.
pub(super) fn mentions(ctx: &Ctx, s: &Sentence) -> Vec<Mention> {
    let g = ctx.g;
    let mut out = Vec::new();
    let mut i = s.first;
    while i < s.last {
        let here = ctx.text(i);
        // "US-based troops", "NATO-led forces": the actor is the head of the compound;
        // "the Taiwan-controlled Pratas Islands": a place.
        if let Some((head, tail)) = here.split_once('-')
            && matches!(
                tail,
                "based" | "led" | "controlled" | "held" | "administered" | "occupied"
            )
            && let Some(code) = g.actor_names.get(head)
        {
            out.push(Mention {
                at: i,
                len: 1,
                code: code.clone(),
                place: !matches!(tail, "based" | "led"),
                person: false,
                speaker: false,
                estimator: false,
                agent: false,
                source: false,
                maker: false,
                recipient: false,
            });
            i += 1;
            continue;
        }
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
        // "The European Union and NATO member said it planned to buy 32 F-35s", "NATO ally
        // Lithuania": one member of an alliance is a state named by its membership, not the
        // alliance ("from 11 NATO member states" names the alliance's members together).
        let body_of_states = |code: &str| {
            g.alliances.iter().any(|a| a.code == code) || g.organisations.contains(code)
        };
        if let Some((len, code)) = &found
            && body_of_states(code)
            && ctx
                .words
                .get(i + len)
                .is_some_and(|w| matches!(*w, "member" | "ally" | "member-state"))
            && !ctx
                .words
                .get(i + len + 1)
                .is_some_and(|w| matches!(*w, "states" | "countries" | "nations" | "governments"))
        {
            // "The European Union and NATO member": both name the one state.
            if i > s.first
                && ctx.words[i - 1] == "and"
                && out
                    .last()
                    .is_some_and(|m: &Mention| m.at + m.len + 1 == i && body_of_states(&m.code))
            {
                out.pop();
            }
            i += len + 1;
            continue;
        }
        match found {
            Some((len, code)) => {
                let mut p = i;
                // Skip a determiner or adjective between preposition and name ("near the
                // Ukrainian border", "against Ukraine").
                while p > s.first && matches!(ctx.words[p - 1], "the" | "a" | "an" | "former") {
                    p -= 1;
                }
                // "with Poland's president, Andrzej Duda, announcing": "with" governs the one
                // who speaks for the state, not a place.
                let with_speaker = p > s.first
                    && ctx.words[p - 1] == "with"
                    && ctx.text(i + len - 1).ends_with("'s")
                    && (g.speaker_nouns.match_at(&ctx.words, i + len).is_some()
                        || ctx
                            .words
                            .get(i + len)
                            .is_some_and(|w| TITLE_NOUNS.contains(w)));
                // "within U.S. European Command": a name on a command or service is no place.
                let organisation = (i + len..(i + len + 2).min(s.last))
                    .any(|k| matches!(ctx.text(k), "Command" | "Army" | "Navy" | "Armed"));
                // "the sea of Japan", "the territory of Belarus": a name after "of" on a noun of
                // geography is a place.
                let of_place = p > s.first + 1
                    && ctx.words[p - 1] == "of"
                    && GEOGRAPHY_NOUNS.contains(&ctx.words[p - 2]);
                // "compared to Belarus' expected deployment of 10,000": a preposition before a
                // possessive governs what the state owns, which is no place.
                let possessive = ctx.text(i + len - 1).ends_with("'s")
                    || (ctx.text(i + len - 1).ends_with('s')
                        && i + len < s.last
                        && ctx.is_punct(i + len, &["'"])
                        && ctx.toks[i + len].start == ctx.toks[i + len - 1].end);
                let owned = possessive
                    && (i + len..(i + len + 4).min(s.last))
                        .any(|k| OWNED_FORCE_NOUNS.contains(&ctx.words[k]));
                // "an air base near Latakia, Syria": a state after a comma that closes a place
                // named after a preposition is where that place is.
                let town_of = p > s.first + 2
                    && ctx.is_punct(p - 1, &[","])
                    && ctx.toks[p - 2].kind == TokenKind::Word
                    && ctx.text(p - 2).starts_with(char::is_uppercase)
                    && (p.saturating_sub(5).max(s.first)..p - 2)
                        .any(|k| g.place_prepositions.iter().any(|w| w == ctx.words[k]))
                    && (i + len >= s.last || ctx.toks[i + len].kind == TokenKind::Punct);
                // "approval has been given for Singapore to procure 12 F-35B": the subject of
                // a verb of buying after "for" buys, it is no place.
                let buys_after_for = p > s.first
                    && ctx.words[p - 1] == "for"
                    && ctx.words.get(i + len) == Some(&"to")
                    && ctx
                        .words
                        .get(i + len + 1)
                        .is_some_and(|v| BUY_VERBS.contains(v));
                // "with Poland contributing around 15,000 troops": "with" and a participle
                // make the name the subject of what follows, no place.
                let with_subject = p > s.first
                    && ctx.words[p - 1] == "with"
                    && ctx
                        .words
                        .get(i + len)
                        .is_some_and(|v| v.len() > 5 && v.ends_with("ing"));
                let before_prep = p > s.first
                    && (g.place_prepositions.iter().any(|w| w == ctx.words[p - 1])
                        || of_place
                        || town_of)
                    && !with_speaker
                    && !with_subject
                    && !organisation
                    && !owned
                    && !buys_after_for;
                // "the Ukrainian border", "Ukraine's border", "a Ukraine offensive": a place or
                // target. An adjective ("Russian offensive") names the actor, except of a border.
                let name = ctx.text(i + len - 1).trim_end_matches("'s");
                let adjective = name.ends_with("an") || name.ends_with("sh");
                // "Russia's 2014 annexation": a year between the name and its noun.
                let year = ctx
                    .words
                    .get(i + len)
                    .is_some_and(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()));
                let place_after = ctx.words.get(i + len + usize::from(year)).is_some_and(|w| {
                    if adjective {
                        matches!(
                            *w,
                            "border"
                                | "borders"
                                | "frontier"
                                | "soil"
                                | "territory"
                                | "strait"
                                | "straits"
                                | "sea"
                                | "gulf"
                                | "peninsula"
                                | "coast"
                                | "airspace"
                                | "waters"
                                // "the German port of Bremerhaven", "the northern Syrian air
                                // base in Latakia": a place in that state.
                                | "port"
                                | "city"
                                | "town"
                                | "village"
                                | "province"
                                | "region"
                                | "capital"
                                | "island"
                                | "islands"
                                | "mainland"
                                | "airbase"
                                | "airfield"
                        ) || (matches!(*w, "air" | "naval" | "military")
                            && ctx
                                .words
                                .get(i + len + usize::from(year) + 1)
                                .is_some_and(|x| matches!(*x, "base" | "bases" | "field")))
                    } else {
                        g.place_after.iter().any(|p| p == w)
                    }
                }) || possessive_area(ctx, s, i + len);
                // "NATO estimated up to 100,000", "Kyiv believes": one who estimates.
                let estimates = ctx
                    .words
                    .get(i + len)
                    .is_some_and(|w| ESTIMATE_VERBS.contains(w));
                // "the highest estimate the US has given": a name after an estimate that it
                // gives is the one who estimates, not the owner of what is estimated.
                let gives_estimate = p > s.first
                    && matches!(
                        ctx.words[p - 1],
                        "estimate" | "estimates" | "assessment" | "figure" | "figures" | "tally"
                    )
                    && (i + len..(i + len + 3).min(s.last)).any(|k| {
                        matches!(
                            ctx.words[k],
                            "given"
                                | "gave"
                                | "gives"
                                | "provided"
                                | "released"
                                | "issued"
                                | "published"
                                | "offered"
                                | "made"
                        )
                    });
                // "According to the Taiwanese military, 111 aircraft crossed": the one a
                // figure is according to gives it.
                // "according to a senior United States official": articles and adjectives may
                // stand between.
                let according = (p.saturating_sub(5).max(s.first + 1)..p).any(|k| {
                    ctx.words[k] == "to"
                        && ctx.words[k - 1] == "according"
                        && (k + 1..p).all(|j| ctx.toks[j].kind == TokenKind::Word)
                });
                // "Washington's previous estimate of 3,000": a word of time may stand between
                // the name and its estimate.
                let estimate_at = i
                    + len
                    + usize::from(
                        ctx.words.get(i + len).is_some_and(|w| {
                            matches!(
                                *w,
                                "previous" | "earlier" | "latest" | "last" | "new" | "initial"
                            )
                        }) && ctx
                            .words
                            .get(i + len + 1)
                            .is_some_and(|w| ESTIMATOR_NOUNS.contains(w)),
                    );
                let speaker = estimates
                    || gives_estimate
                    || according
                    || g.speaker_nouns.match_at(&ctx.words, estimate_at).is_some()
                    || official_says(ctx, s, i + len);
                let estimator = estimates
                    || gives_estimate
                    || (speaker
                        && ctx
                            .words
                            .get(estimate_at)
                            .is_some_and(|w| ESTIMATOR_NOUNS.contains(w)));
                // "the two former Soviet states": a past state names a place, not who has forces.
                let former = i > s.first && ctx.words[i - 1] == "former";
                // "to Poland and Germany": a name joined to a place is a place too; so is one
                // listed after it ("to Estonia, Latvia, Lithuania and Poland"), but not after an
                // origin ("from Russia, Belarus and several other countries").
                let joined_to_place = p > s.first + 1
                    && matches!(ctx.words[p - 1], "and" | "or" | ",")
                    && out.last().is_some_and(|m: &Mention| {
                        m.place
                            && m.at + 3 >= p
                            && (ctx.words[p - 1] != ","
                                || (p == i
                                    && m.at > s.first
                                    && ctx.words[m.at - 1] != "from"
                                    && ctx
                                        .words
                                        .get(i + len)
                                        .is_some_and(|n| matches!(*n, "," | "and" | "or"))))
                    });
                // "deployed to the Baltic nations and Poland": a name joined to a group of
                // states named as a place is a place too.
                let joined_to_states = p > s.first + 3
                    && matches!(ctx.words[p - 1], "and" | "or")
                    && matches!(
                        ctx.words[p - 2],
                        "nations" | "states" | "countries" | "republics"
                    )
                    && (p.saturating_sub(6).max(s.first)..p - 2).any(|k| {
                        ctx.words[k] != "from"
                            && g.place_prepositions.iter().any(|x| x == ctx.words[k])
                            && (k + 1..p - 2).all(|j| ctx.toks[j].kind == TokenKind::Word)
                    });
                let joined_to_place = joined_to_place || joined_to_states;
                // "Russia, which has placed 100,000 troops": the subject of the clause.
                let relative = ctx.is_punct(i + len, &[","])
                    && ctx
                        .words
                        .get(i + len + 1)
                        .is_some_and(|w| matches!(*w, "which" | "who" | "whose"));
                // "94,000 claimed by Kiev", "70,000 by the Pentagon": the source of a figure.
                let agent = p > s.first + 1
                    && ctx.words[p - 1] == "by"
                    && (ctx.toks[p - 2].kind == TokenKind::Number
                        || matches!(
                            ctx.words[p - 2],
                            "claimed"
                                | "estimated"
                                | "reported"
                                | "cited"
                                | "given"
                                | "put"
                                | "assessed"
                                | "quoted"
                                | "published"
                                | "released"
                        ));
                // "providing Ukraine with 13 jets", "Ukraine will receive four jets": the one
                // who receives is not the owner.
                let after = |k: usize| ctx.words.get(i + len + k).copied().unwrap_or("");
                // A name on the noun ("send US troops") is the owner: a recipient is followed
                // by "with" or by what it receives.
                let object_follows = after(0) == "with"
                    || ctx
                        .toks
                        .get(i + len)
                        .is_some_and(|t| t.kind == TokenKind::Number)
                    || matches!(
                        after(0),
                        "a" | "an"
                            | "the"
                            | "another"
                            | "additional"
                            | "more"
                            | "about"
                            | "some"
                            | "around"
                            | "nearly"
                            | "roughly"
                            | "approximately"
                    );
                // "rumbling into Germany in support of NATO allies", "its military support for
                // the regime of Syrian President Bashar al-Assad": the one supported is no owner.
                let supported = (p.saturating_sub(6).max(s.first + 1)..p).any(|k| {
                    matches!(ctx.words[k - 1], "support" | "backing")
                        && matches!(ctx.words[k], "of" | "for" | "to")
                        && (k + 1..p).all(|j| ctx.toks[j].kind == TokenKind::Word)
                }) && !possessive
                    && !organisation;
                let recipient =
                    (p > s.first && GIVE_VERBS.contains(&ctx.words[p - 1]) && object_follows)
                        || matches!(after(0), "receives" | "received" | "receiving" | "gets")
                        || (matches!(
                            after(0),
                            "will" | "would" | "to" | "has" | "have" | "had" | "is" | "should"
                        ) && (matches!(after(1), "receive" | "received" | "get" | "obtain")
                            // "Syria has now received even more firepower from Russia".
                            || (adverb(after(1))
                                && matches!(after(2), "receive" | "received" | "get" | "obtain"))));
                out.push(Mention {
                    at: i,
                    len,
                    code,
                    agent,
                    // "Russian news outlets said 18 ships ... would take part": the state's
                    // media report figures, they do not own them.
                    source: according
                        || (i + len..(i + len + 3).min(s.last)).any(|k| {
                            matches!(
                                ctx.words[k],
                                "media"
                                    | "outlets"
                                    | "outlet"
                                    | "newspaper"
                                    | "newspapers"
                                    | "broadcaster"
                                    | "television"
                                    | "tv"
                            )
                        }),
                    maker: makes_model(ctx, s, i + len) || made_by(ctx, i + len),
                    recipient,
                    place: ((before_prep
                        || place_after
                        || joined_to_place
                        || former
                        || recipient
                        || supported)
                        && !relative
                        && !according)
                        || dateline_place(ctx, s, i, len),
                    person,
                    speaker,
                    estimator,
                });
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// Whether the name at `i` is the country of a dateline that opens its sentence ("ADAZI, Latvia
/// (April 30, 2014)-- Approximately 600 paratroopers ..."): a place.
pub(super) fn dateline_place(ctx: &Ctx, s: &Sentence, i: usize, len: usize) -> bool {
    let city_caps = |k: usize| {
        let t = ctx.text(k);
        t.len() > 1 && t.chars().all(|c| c.is_uppercase() || c == '-')
    };
    i >= s.first + 2
        && i <= s.first + 4
        && ctx.is_punct(i - 1, &[","])
        && (s.first..i - 1).all(city_caps)
        && i + len < s.last
        && (ctx.is_punct(i + len, &["(", "-"])
            || ctx.text(i + len).starts_with(['\u{2014}', '\u{2013}']))
}

/// Whether a possessive name stands right before an area of its own, past the area's
/// adjectives ("entered Taiwan's northern, southwestern, and eastern Air Defense Identification
/// Zone"): the name is a place there, not an owner.
pub(super) fn possessive_area(ctx: &Ctx, s: &Sentence, after: usize) -> bool {
    if after == s.first || !ctx.text(after - 1).ends_with("'s") {
        return false;
    }
    for k in after..s.last.min(after + 12) {
        let w = ctx.words[k];
        if matches!(
            w,
            "airspace"
                | "zone"
                | "adiz"
                | "waters"
                | "coast"
                | "coastline"
                | "territory"
                | "shores"
        ) {
            return true;
        }
        let adjective_or_joiner = ctx.is_punct(k, &[","])
            || matches!(w, "and" | "or")
            || (ctx.toks[k].kind == TokenKind::Word
                && (ctx.text(k).starts_with(char::is_uppercase)
                    || w.ends_with("ern")
                    || w.ends_with("al")
                    || matches!(
                        w,
                        "air" | "defense" | "defence" | "identification" | "economic" | "exclusive"
                    )));
        if !adjective_or_joiner {
            return false;
        }
    }
    false
}

/// Nouns of geography whose "of <name>" names a place ("the sea of Japan", "the territory of
/// Belarus").
/// Auxiliary verbs that open the predicate of a clause.
pub(super) const AUXILIARIES: &[&str] = &[
    "have", "has", "had", "is", "are", "was", "were", "will", "would", "could", "may", "might",
];

pub(super) const GEOGRAPHY_NOUNS: &[&str] = &[
    "sea",
    "gulf",
    "bay",
    "strait",
    "straits",
    "coast",
    "coasts",
    "shores",
    "waters",
    "territory",
    "territories",
    "soil",
    "airspace",
    "outskirts",
    "regions",
    "region",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "capital",
];

/// Nouns of a state's own forces: its possessive before one is no place ("compared to
/// Belarus' expected deployment of 10,000").
pub(super) const OWNED_FORCE_NOUNS: &[&str] = &[
    "deployment",
    "deployments",
    "contribution",
    "contributions",
    "contingent",
    "contingents",
    "buildup",
    "build-up",
    "arsenal",
    "stockpile",
];

/// Titles of those who speak for a state ("Poland's president", "Denmark's prime minister").
pub(super) const TITLE_NOUNS: &[&str] = &[
    "president",
    "prime",
    "minister",
    "defence",
    "defense",
    "foreign",
    "leader",
    "chancellor",
];

pub(super) fn joint_or_single(ctx: &Ctx, codes: &[String]) -> Option<String> {
    let mut uniq: Vec<&str> = codes.iter().map(String::as_str).collect();
    uniq.sort();
    uniq.dedup();
    match uniq.len() {
        0 => None,
        1 => Some(uniq[0].to_owned()),
        _ => ctx
            .g
            .joint_of_on(&uniq, ctx.day)
            .map(str::to_owned)
            .or_else(|| Some(uniq.join("+"))),
    }
}

/// Verbs after an actor's name that make it one who estimates others' forces.
pub(super) const ESTIMATE_VERBS: &[&str] = &[
    "estimated",
    "estimates",
    "estimate",
    "believes",
    "believe",
    "assessed",
    "assesses",
];

/// Nouns after an actor's name that make it one who estimates others' forces.
pub(super) const ESTIMATOR_NOUNS: &[&str] = &[
    "intelligence",
    "estimate",
    "estimates",
    "assessment",
    "assessments",
    "sources",
    "analysts",
    "media",
    "press",
    "map",
];
