//! Whose forces or material a figure counts.

use super::*;

/// Verbs by which a state's leader moves its forces.
pub(super) const DEPLOY_VERBS: &[&str] = &[
    "put",
    "puts",
    "sent",
    "sends",
    "send",
    "sending",
    "ordered",
    "orders",
    "deployed",
    "deploys",
    "deploying",
    "dispatched",
    "dispatches",
    "placed",
    "places",
    "moved",
    "moves",
    "approved",
];

/// Verbs by which forces leave a place: "from X" after their figure names the place left, not
/// their owner ("will be pulling almost 12,000 troops from Germany").
pub(super) const LEAVE_VERBS: &[&str] = &[
    "withdraw",
    "withdraws",
    "withdrawing",
    "withdrew",
    "pull",
    "pulls",
    "pulling",
    "pulled",
    "cut",
    "cuts",
    "cutting",
    "remove",
    "removes",
    "removing",
    "removed",
    "reposition",
    "repositions",
    "repositioning",
    "re-position",
    "re-positions",
    "relocate",
    "relocates",
    "relocating",
    "redeploy",
    "redeploys",
    "redeploying",
    "evacuate",
    "evacuates",
    "evacuating",
    "bring",
    "brings",
    "bringing",
    "reduce",
    "reduces",
    "reducing",
    // Their nouns: "the withdrawal of about 4,500 troops from South Korea".
    "withdrawal",
    "withdrawals",
    "pullout",
    "pull-out",
    "removal",
    "redeployment",
    "relocation",
    "evacuation",
];

/// The token of the name after "for" (and "the") at `k` ("1,585 for the US"), if it is one.
pub(super) fn for_name(ctx: &Ctx, s: &Sentence, k: usize) -> Option<usize> {
    if ctx.words.get(k) != Some(&"for") {
        return None;
    }
    let at = k + 1 + usize::from(ctx.words.get(k + 1) == Some(&"the"));
    (at < s.last && ctx.g.actor_first.contains(ctx.text(at))).then_some(at)
}

/// The states that each have the figure at `num_start`, named in a list right before "each"
/// and its verb: "Britain, Canada, Germany and the United States would each send some 800
/// soldiers" is one figure for each of the four.
pub(super) fn each_of(ctx: &Ctx, s: &Sentence, ments: &[Mention], num_start: usize) -> Vec<String> {
    let w = &ctx.words;
    let Some(e) = (num_start.saturating_sub(5).max(s.first)..num_start)
        .rev()
        .find(|&k| w[k] == "each")
    else {
        return Vec::new();
    };
    // The verb and a qualifier between "each" and the figure, no clause or phrase of its own.
    let between = (e + 1..num_start).all(|k| {
        ctx.toks[k].kind == TokenKind::Word && !matches!(w[k], "of" | "with" | "than" | "for")
    });
    if !between || e + 1 == num_start {
        return Vec::new();
    }
    let mut p = e;
    while p > s.first
        && (AUXILIARIES.contains(&w[p - 1]) || matches!(w[p - 1], "can" | "should" | "must"))
    {
        p -= 1;
    }
    let mut codes: Vec<String> = Vec::new();
    // The names that end at `p`, one after another backwards.
    while let Some(m) = ments.iter().rev().find(|m| m.at < p) {
        let name_only = p - m.at <= 3
            && (m.at..p).all(|k| {
                ctx.toks[k].kind == TokenKind::Word && ctx.text(k).starts_with(char::is_uppercase)
            });
        if !name_only || m.place || m.person || m.speaker {
            break;
        }
        if !codes.contains(&m.code) {
            codes.push(m.code.clone());
        }
        p = m.at;
        if p > s.first && w[p - 1] == "the" {
            p -= 1;
        }
        // The list goes on after a comma or "and" ("Canada, Germany and the United States").
        if p > s.first && w[p - 1] == "and" {
            p -= 1;
        }
        if p > s.first && ctx.is_punct(p - 1, &[","]) {
            p -= 1;
        } else if w.get(p) != Some(&"and") {
            break;
        }
    }
    if codes.len() < 2 {
        return Vec::new();
    }
    codes.reverse();
    codes
}

/// What a bare figure at token `before` counts: the category of the last figure before it in
/// its sentence ("the US had 1,357 warheads ..., while Russia had 1,456"), else the category
/// last named before it there.
/// Returns the category, the token where it was named and whether that was with a figure.
pub(super) fn named_before(ctx: &Ctx, s: &Sentence, before: usize) -> Option<(usize, usize, bool)> {
    let w = &ctx.words;
    let category_at = |k: usize| match ctx.g.category_words.match_at(w, k) {
        Some((len, CategoryHit::Category(c))) => Some((len, *c)),
        _ => None,
    };
    let figure = (s.first..before).rev().find_map(|k| {
        if ctx.toks[k].kind != TokenKind::Number {
            return None;
        }
        (k + 1..(k + 4).min(before)).find_map(|j| category_at(j).map(|(_, c)| (c, j, true)))
    });
    figure.or_else(|| {
        let mut found = None;
        let mut k = s.first;
        while k < before {
            match category_at(k) {
                Some((len, c)) => {
                    found = Some((c, k, false));
                    k += len;
                }
                None => k += 1,
            }
        }
        found
    })
}

/// The sentence that introduces the list this sentence is an item of ("... will include:").
pub(super) fn list_intro(ctx: &Ctx, sents: &[Sentence], si: usize) -> Option<usize> {
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
pub(super) fn resolve_actor(
    ctx: &Ctx,
    sents: &[Sentence],
    si: usize,
    ments: &[Mention],
    q_start: usize,
    adjectives: (usize, usize),
    (noun_start, noun_end): (usize, usize),
    exercise: Option<&crate::gazetteer::ExerciseDef>,
    default_actor: Option<&str>,
    aid: bool,
) -> Option<(String, bool)> {
    let g = ctx.g;
    let s = &sents[si];
    let w = &ctx.words;
    // People stand for their state as donors of aid and as those who send or put forces
    // somewhere ("Biden had put 8,500 troops on alert"); otherwise they are speakers.
    let commands =
        |m: &Mention| (m.at + 1..(m.at + 4).min(s.last)).any(|k| DEPLOY_VERBS.contains(&w[k]));
    // What a state receives is not counted among its own forces ("Ukrainian forces celebrated
    // the 16 HIMARS Ukraine has received"): its owner is the one who gave it.
    let receives = |code: &str| ments.iter().any(|m| m.recipient && m.code == code);
    let usable = |m: &Mention| {
        if m.maker || receives(&m.code) {
            false
        } else if aid {
            m.code != "UA"
        } else {
            !m.person || commands(m)
        }
    };
    // The foreign contingents of a Russian exercise counted together ("No more than 1,000
    // foreign troops will take part in the drills", "1,000 servicemen from six foreign states",
    // "about a thousand military personnel from Armenia, Belarus, China, Myanmar and Pakistan")
    // are the CSTO's, as the corpus labels them; the exercise's totals stay Russia's.
    if !aid
        && let Some(e) = (s.first..s.last)
            .find_map(|k| g.exercise_at(w, k).map(|e| e.1))
            .or(exercise)
        && e.actor == "RU"
        && foreign_contingents(ctx, s, ments, q_start, noun_end)
    {
        return Some(("CSTO".to_owned(), true));
    }
    // "Egypt has signed a deal with France to buy 30 Rafale fighter jets", "Poland has signed
    // an agreement to purchase 288 South Korean rocket artillery systems": what is bought is
    // the buyer's, named before the verb of buying; not the seller's ("with France") nor its
    // maker's. In a sentence about a sale, what a state receives it has bought.
    // A sentence about a sale that says nothing of aid is about the sale, whatever verb of
    // delivery it uses ("signed a basic contract with Poland ... to supply 288 Chunmoo").
    let sale = speaks_of_trade(&w[s.first..s.last])
        && !w[s.first..s.last].iter().any(|x| {
            matches!(
                *x,
                "aid" | "assistance" | "donated" | "donation" | "drawdown" | "package"
            )
        });
    if (!aid || sale)
        && let Some(m) = buyer(ctx, s, ments, q_start)
    {
        return Some((m.code.clone(), true));
    }
    // "Earlier this month, Poland said it would buy 32 AW149 ... helicopters. It has also
    // ordered 366 American Abrams tanks": a buyer named by a pronoun is the previous sentence's
    // subject, and the state named on what it buys made it.
    if !aid && let Some(code) = buyer_before(ctx, sents, si, q_start) {
        return Some((code, true));
    }
    // (a) Actor adjectives between number and noun ("7,000 Estonian troops"; "Russian and
    // Belarusian soldiers" is the joint force).
    let own: Vec<String> = ments
        .iter()
        // "more than 35,000 rebels": a noun that names its actor.
        .filter(|m| {
            ((m.at >= adjectives.0 && m.at < adjectives.1)
                || (m.at >= noun_start && m.at < noun_end))
                && !m.person
                && !m.maker
        })
        .map(|m| m.code.clone())
        .collect();
    // A multinational total ("30,000 troops from 27 nations", "a 24-nation, 31,000-troop
    // event") is the exercise's: named in the sentence, else the report's; "28,000 U.S., allied
    // and partner forces from 26 nations" too, whose adjectives name several of the states.
    let several = {
        let mut u: Vec<&String> = own.iter().collect();
        u.sort();
        u.dedup();
        u.len() >= 2
    };
    // "approximately 4,000 U.S. and European soldiers from 14 countries": a force drawn from
    // many nations is the exercise's, whichever of them is named on it.
    let many = (!aid && multinational(ctx, s, q_start, (noun_start, noun_end)))
        || sent_by_states(ctx, s, q_start);
    if own.is_empty() || several || many {
        // Falls through to the multinational test below.
    } else if let Some(a) = joint_or_single(ctx, &own) {
        return Some((a, true));
    }
    // "700 Swedish, Finnish and U.S. troops" in a report on BALTOPS 2015: states that form no
    // joint force nor, on the report's day, an alliance together are the exercise's force.
    let unjoined = several && {
        let mut u: Vec<&str> = own.iter().map(String::as_str).collect();
        u.sort();
        u.dedup();
        g.joint_of_on(&u, ctx.day).is_none()
    };
    if many || (unjoined && !aid) {
        let named = (s.first..s.last).find_map(|k| g.exercise_at(w, k).map(|e| e.1));
        if let Some(e) = named.or(exercise) {
            return Some((e.actor.clone(), true));
        }
        // With no exercise known, a force "from 11 NATO member states" is the alliance's.
        if many
            && let Some(m) = ments.iter().find(|m| {
                m.at > noun_end
                    && m.at < (noun_end + 16).min(s.last)
                    && g.alliances.iter().any(|a| a.code == m.code)
                    && (m.at + 1..(m.at + 3).min(s.last)).any(|k| STATES_WORDS.contains(&w[k]))
            })
        {
            return Some((m.code.clone(), true));
        }
    }
    if let Some(a) = joint_or_single(ctx, &own) {
        return Some((a, true));
    }
    // "(of which) a mere 2,500 will be Russian", "2,500 of them are Russian": a state's
    // adjective said of the figure after a verb of being.
    let mut k = noun_end;
    if w.get(k) == Some(&"of") && w.get(k + 1).is_some_and(|x| matches!(*x, "them" | "whom")) {
        k += 2;
    }
    if w.get(k).is_some_and(|x| matches!(*x, "will" | "would")) && w.get(k + 1) == Some(&"be") {
        k += 2;
    } else if w
        .get(k)
        .is_some_and(|x| matches!(*x, "are" | "were" | "is" | "was"))
    {
        k += 1;
    } else {
        k = usize::MAX;
    }
    if let Some(m) = ments.iter().find(|m| m.at == k && !m.place && !m.person)
        && ctx
            .text(k)
            .trim_end_matches("'s")
            .ends_with(['n', 'h', 'e'])
        && (k + 1 >= s.last || ctx.toks[k + 1].kind != TokenKind::Word)
    {
        return Some((m.code.clone(), true));
    }
    // "18 ships, 21 aircraft and more than 250 marines from both sides", "nine ships from both
    // countries": the two parties named last, in this sentence or the ones before, together.
    if (q_start..s.last.saturating_sub(2)).any(|k| {
        matches!(w[k], "from" | "of")
            && w[k + 1] == "both"
            && matches!(
                w[k + 2],
                "sides" | "countries" | "nations" | "navies" | "militaries" | "armies"
            )
    }) {
        let mut codes: Vec<String> = Vec::new();
        for k in (si.saturating_sub(3)..=si).rev() {
            for m in mentions(ctx, &sents[k]).iter().rev() {
                if !m.person && !codes.contains(&m.code) && codes.len() < 2 {
                    codes.push(m.code.clone());
                }
            }
        }
        if codes.len() == 2
            && let Some(joint) = g.joint_of_on(&[codes[0].as_str(), codes[1].as_str()], ctx.day)
        {
            return Some((joint.to_owned(), true));
        }
    }
    // (b) "from <actor>[, <actor>]" right after the noun, unless a verb of leaving just before
    // the figure makes it the place left ("plans to withdraw 11,900 military personnel from
    // Germany").
    let leaving =
        (q_start.saturating_sub(4).max(s.first)..q_start).any(|k| LEAVE_VERBS.contains(&w[k]));
    // "Poland will buy about 1,000 tanks from South Korea": the one bought from sells them.
    // "Qatar signs $12bn deal for up to 36 F-15 fighter jets from the US": so does a deal's.
    let buying = (q_start.saturating_sub(4).max(s.first)..q_start).any(|k| {
        BUY_VERBS.contains(&w[k])
            || (matches!(w[k], "deal" | "contract" | "agreement") && w.get(k + 1) == Some(&"for"))
    });
    // "24 aircraft and five ships from China's military": an origin after the list's last item
    // is every item's.
    let from_at = match list_end(ctx, s, noun_end) {
        e if e > noun_end && e < s.last && w[e] == "from" && w[noun_end..e].contains(&"and") => e,
        _ => noun_end,
    };
    if from_at < s.last && matches!(w[from_at], "from") && !leaving && !buying {
        let stop = (from_at + 1..s.last)
            // An auxiliary starts the clause the figure is the subject of: its "to" is that
            // verb's ("troops from the Russian Wagner group have moved closer to Grodno").
            // Another figure starts another item ("up to 200 troops from Denmark and
            // approximately 150 troops from France"), unless it counts the origins ("from 13
            // NATO and partner countries").
            .find(|&k| {
                ctx.is_punct(k, &[".", ";", ":", "("])
                    || w[k] == "to"
                    || AUXILIARIES.contains(&w[k])
                    // An ordinal names a unit, not another item ("from the 4th Infantry
                    // Division from Fort Carson").
                    || (ctx.toks[k].kind == TokenKind::Number
                        && w[k - 1] != "from"
                        && !["st", "nd", "rd", "th"].iter().any(|x| w[k].ends_with(x)))
            })
            .unwrap_or(s.last)
            .min(from_at + 14);
        // "from Germany to Romania" is a movement, not an origin ("100,000 from the United
        // States, ... according to" is one).
        let movement = stop < s.last
            && w[stop] == "to"
            && !(from_at + 1..stop).any(|k| ctx.is_punct(k, &[","]));
        let codes: Vec<String> = ments
            .iter()
            // A name right after "from" is marked as a place; here it is the origin.
            .filter(|m| {
                let after_from = (m.at >= 1 && w[m.at - 1] == "from")
                    || (m.at >= 2 && w[m.at - 1] == "the" && w[m.at - 2] == "from");
                m.at > from_at && m.at < stop && (!m.place || after_from) && !m.speaker
            })
            .map(|m| m.code.clone())
            .collect();
        if !movement && let Some(a) = joint_or_single(ctx, &codes) {
            return Some((a, true));
        }
    }
    // "approximately 28,000 containers loaded with weapons and ammunition have been shipped
    // from North Korea to Russia": aid or supplies sent from a state are that state's, the one
    // who sends them.
    if aid
        && let Some(v) = (noun_end..(noun_end + 8).min(s.last)).find(|&k| {
            matches!(
                w[k],
                "shipped" | "sent" | "supplied" | "delivered" | "transferred" | "exported"
            ) && w.get(k + 1) == Some(&"from")
        })
        && let Some(m) = ments.iter().find(|m| {
            (m.at == v + 2 || (m.at == v + 3 && w[v + 2] == "the")) && !m.person && !m.speaker
        })
    {
        return Some((m.code.clone(), true));
    }
    // "24 Rafale jets for the Egyptian Air Force": what is for a state's service is that
    // state's (aid "for Ukraine's military" stays the donor's), past a breakdown in brackets
    // ("26 Rafale aircraft (22 single-seater and four twin-seater) for the Indian Navy").
    let for_at = past_brackets(ctx, s, noun_end);
    if (!aid || sale || ctx.sale_report) && for_at + 2 < s.last && w[for_at] == "for" {
        let at = for_at + 1 + usize::from(w[for_at + 1] == "the");
        if let Some(m) = ments.iter().find(|m| m.at == at && !m.person)
            && w.get(at + m.len).is_some_and(|x| {
                matches!(
                    *x,
                    "air" | "navy" | "army" | "military" | "armed" | "marines" | "forces" | "coast"
                )
            })
        {
            return Some((m.code.clone(), true));
        }
    }
    // "up to ten ships of the Baltic Fleet": a force named as part of a state's forces is its.
    if !aid && noun_end + 1 < s.last && w[noun_end] == "of" {
        let at = noun_end + 1 + usize::from(w[noun_end + 1] == "the");
        if let Some(m) = ments
            .iter()
            .find(|m| m.at == at && !m.place && !m.person && !m.maker && !m.speaker)
        {
            return Some((m.code.clone(), true));
        }
    }
    // "The deployed warheads count stands at 1,585 for the US and 1,512 for Russia": a figure
    // standing alone before "for" and a name is that one's.
    if !aid
        && noun_start == noun_end
        && let Some(at) = for_name(ctx, s, noun_end)
        && let Some(m) = ments.iter().find(|m| m.at == at && !m.person)
    {
        return Some((m.code.clone(), true));
    }
    // "40,000 troops under direct NATO command".
    if noun_end < s.last && w[noun_end] == "under" {
        let command = (noun_end + 1..(noun_end + 5).min(s.last)).find(|&k| w[k] == "command");
        if let Some(m) = command.and_then(|c| ments.iter().find(|m| m.at > noun_end && m.at < c)) {
            return Some((m.code.clone(), true));
        }
    }
    // (c) The nearest actor named before the figure that is not a place ("X and Y": joint).
    let mut before: Vec<&Mention> = ments
        .iter()
        .filter(|m| m.at < q_start && !m.place && !m.agent && usable(m))
        // "Australia's military assistance to Ukraine since the start of Russia's full-scale
        // invasion to more than $1.3 billion": the author of an act of war gives no aid.
        .filter(|m| !aid || !act_of_war(ctx, m))
        .collect();
    // "US officials say Russia has ...": a speaker owns the figure only if no one else can,
    // in this sentence or, failing that, the ones before it ("South Korea's defence minister
    // said they likely contained three million shells", after a sentence on North Korea's); so
    // does the one who says the clause before it ("North Korea has sent some 10,000 troops to
    // train in Russia, the Pentagon said Monday, raising Washington's previous estimate of
    // 3,000").
    // "Taiwan's army also said it detected four unmanned aerial vehicles": one who detects or
    // tracks a figure observes another's forces.
    // "Taiwan's defense ministry reported ... a record-breaking 153 aircraft detected during
    // China's drills": so does a speaker of a figure said to be detected.
    let detect = |k: usize| {
        matches!(
            w[k],
            "detected"
                | "detects"
                | "tracked"
                | "tracks"
                | "spotted"
                | "spots"
                | "monitored"
                | "observed"
                | "sighted"
                | "intercepted"
                // "it successively discovered 49 main and auxiliary fighter planes".
                | "discovered"
                | "discovers"
        )
    };
    let detected = noun_end < s.last && detect(noun_end);
    let observes = |m: &Mention| (m.at + m.len..q_start).any(detect) || (detected && m.speaker);
    // "Polish President Andrzej Duda said his country would hand over the first four MiG-29
    // fighter jets": a speaker who then speaks of itself owns what it speaks of.
    let speaks_of_itself = |m: &Mention| {
        (m.at + m.len..q_start).any(|k| {
            matches!(w[k], "it" | "its" | "we" | "our")
                || (matches!(w[k], "his" | "her" | "their")
                    && w.get(k + 1)
                        .is_some_and(|x| matches!(*x, "country" | "government")))
        })
    };
    let speaks = |m: &Mention| {
        let p = if m.at > s.first && w[m.at - 1] == "the" {
            m.at - 1
        } else {
            m.at
        };
        observes(m)
            || (m.speaker && !speaks_of_itself(m))
            || (p > s.first && ctx.is_punct(p - 1, &[","]) && says_after(ctx, s, m))
    };
    // A speaker who says "they" points back to forces named before ("South Korea's defence
    // minister said they ..."); one who says "it", "his country" or a figure outright speaks of
    // its own ("Russia said it had deployed 1,474 nuclear warheads").
    let points_back = |m: &Mention| {
        (m.at + m.len..q_start).any(|k| matches!(w[k], "they" | "them" | "these" | "those"))
    };
    let mut speaker_owner = None;
    if before.iter().any(|m| !speaks(m)) {
        before.retain(|m| !speaks(m));
    } else if !aid
        && before.last().is_some_and(|m| {
            m.source
                || observes(m)
                || (m.speaker && points_back(m))
                // "Taiwan's Defense Ministry said 39 aircraft entered Taiwan's air defence
                // identification zone": a speaker whose state is where the figure goes
                // reports another's forces.
                || (m.speaker
                    && ments
                        .iter()
                        .any(|p| p.place && p.code == m.code && p.at > q_start))
        })
    {
        speaker_owner = before.last().map(|m| m.code.clone());
        before.clear();
    }
    // "US intelligence estimates put 50 battalion tactical groups near the border": one who
    // estimates counts another's forces, named elsewhere in the sentence or before it; the
    // estimator owns the figure only when no one else is named.
    let mut estimator = None;
    if !aid && before.iter().any(|m| !m.estimator) {
        before.retain(|m| !m.estimator);
    }
    if !aid && !before.is_empty() && before.iter().all(|m| m.estimator) {
        estimator = before.last().map(|m| m.code.clone());
        before.clear();
    }
    // A donor of aid may be named in any role ("in a U.S. shipment"), but not as where the aid
    // goes ("delivered more than 780 troops to Armenia, as well as more than 120 pieces").
    let destination = |m: &Mention| {
        m.at > s.first
            && (w[m.at - 1] == "to"
                || (m.at > s.first + 1 && w[m.at - 1] == "the" && w[m.at - 2] == "to"))
    };
    let donor = aid
        .then(|| {
            ments.iter().rev().find(|m| {
                m.at < q_start && usable(m) && !m.person && !destination(m) && !act_of_war(ctx, m)
            })
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
        return joint_or_single(ctx, &codes).map(|a| (a, true));
    }
    // "So we have 250,000 official ... members of our army. Plus, I said 400,000 veterans and
    // 200,000 reservists. 175,000 (is) not enough to go to Ukraine," Reznikov said: in quoted
    // speech that names no one before the figure, "we", "our" and "I" are the speaker's state,
    // said in this sentence or one of the next two.
    if !aid
        && (s.first..noun_end.max(q_start)).any(|k| matches!(w[k], "we" | "our" | "i"))
        && (s.first..s.last)
            .chain(
                sents[si..(si + 3).min(sents.len())]
                    .iter()
                    .flat_map(|x| x.first..x.last),
            )
            .any(|k| ctx.is_punct(k, &["\""]))
    {
        for k in si..(si + 3).min(sents.len()) {
            if let (Some(who), _) = resolve_attribution(ctx, sents, k) {
                if let Some(code) = tokenize(&who).iter().find_map(|t| {
                    let x = t.text(&who);
                    g.people.get(x).or_else(|| g.actor_names.get(x))
                }) {
                    return Some((code.clone(), true));
                }
                break;
            }
        }
    }
    // (d) A named exercise in the sentence, or "the exercise" in a report about one.
    if let Some(e) = (s.first..s.last).find_map(|k| g.exercise_at(w, k)) {
        return Some((e.1.actor.clone(), true));
    }
    if let Some(e) = exercise
        && !aid
        && g.exercise_words.any_in(&w[s.first..s.last])
    {
        return Some((e.actor.clone(), true));
    }
    // (e) An actor named after the figure in the same sentence, not as a place (never for aid,
    // whose donor is named before or in an earlier sentence), nor as the one who gives the
    // figure ("... 127 thousand soldiers\", said the Defense of Ukraine", "US officials said").
    let attributed = |m: &Mention| {
        m.speaker
            || (noun_end..m.at).any(|k| {
                w[k] == "according"
                    || w[k] == "citing"
                    || g.attribution_verbs.match_at(w, k).is_some()
            })
            || says_after(ctx, s, m)
    };
    let entered = entered_zone(ctx, s, ments, noun_end);
    let after: Vec<&Mention> = ments
        .iter()
        .filter(|m| m.at >= noun_end && !m.place && !m.agent && usable(m) && !attributed(m))
        .filter(|m| entered != Some(m.code.as_str()))
        // "the 4,700 soldiers comprise an infantry brigade intended to reassure fellow NATO
        // member Poland": a name in a clause of purpose or circumstance after the figure is
        // not its owner.
        .filter(|m| !(noun_end..m.at).any(|k| CLAUSE_AFTER.contains(&w[k])))
        // "14 units of these battle tanks to help combat the Russian invasion": a name on an act
        // of war names its author.
        .filter(|m| !act_of_war(ctx, m))
        .collect();
    if !aid && let Some(m) = after.first() {
        // "including the Russian and Belarusian regulars": the joint force.
        if let Some(n) = after.get(1)
            && n.at >= 2
            && n.at <= m.at + 2
            && w[n.at - 1] == "and"
        {
            return joint_or_single(ctx, &[m.code.clone(), n.code.clone()]).map(|a| (a, true));
        }
        return Some((m.code.clone(), true));
    }
    // (f) The sentence introducing the list, or the previous sentences (the last actor named).
    // "10 Shenyang J-16 fighter jets ... entered Taiwan's ADIZ": forces that enter a state's
    // zone are not that state's; the owner is then looked for further back.
    let intro = list_intro(ctx, sents, si);
    let back = if entered.is_some() { 4 } else { 2 };
    let earlier: Vec<usize> = match intro {
        Some(k) => vec![k],
        None => (1..=back).filter(|b| si >= *b).map(|b| si - b).collect(),
    };
    // The donor of aid is named where the aid is: earlier sentences about aid come first.
    let about_aid = |k: usize| g.aid_words.any_in(&w[sents[k].first..sents[k].last]);
    let earlier: Vec<usize> = if aid && intro.is_none() {
        let mut about: Vec<usize> = (1..=4)
            .filter(|b| si >= *b)
            .map(|b| si - b)
            .filter(|&k| about_aid(k))
            .collect();
        let rest: Vec<usize> = earlier.into_iter().filter(|k| !about.contains(k)).collect();
        about.extend(rest);
        about
    } else {
        earlier
    };
    for k in earlier {
        let p = &sents[k];
        let pm = mentions(ctx, p);
        // "..., Seoul says": a name that closes its sentence with a verb of saying gave it.
        let closing_source = |m: &Mention| {
            says_after(ctx, p, m)
                && (m.at + 1..p.last).all(|k| !ctx.is_punct(k, &[","]))
                && (p.first..m.at).any(|k| ctx.is_punct(k, &[","]))
        };
        // "during the Russian invasion": a name on an act of war names its author, not the
        // owner of the next sentence's figures.
        let fits = |m: &&Mention| {
            !m.place
                && entered != Some(m.code.as_str())
                && !m.agent
                && usable(m)
                && (aid || !m.speaker)
                && !act_of_war(ctx, m)
                && !closing_source(m)
        };
        // Of forces, the actor named last; of aid, the donor, named first in its sentence ("A US
        // plane carrying ... ahead of a possible Russian offensive").
        let found = if aid && about_aid(k) {
            pm.iter().find(fits)
        } else {
            pm.iter().rev().find(fits)
        };
        // "the annual Ukrainian military exercise": a name on the exercise the report is about
        // (the exercise, not "Russia's snap exercise") names its host; the forces the exercise
        // gathers are its own.
        if let Some(m) = found
            && !aid
            && let Some(e) = exercise
            && !ctx.text(m.at).ends_with("'s")
            && (m.at.saturating_sub(3).max(p.first)..m.at).any(|k| w[k] == "the")
            && (m.at + 1..(m.at + 4).min(p.last)).any(|k| g.exercise_words.match_at(w, k).is_some())
        {
            return Some((e.actor.clone(), false));
        }
        // "Fourteen NATO Allies are joined this year by NATO partners Finland, Georgia and
        // Sweden. Overall, 5,600 troops are involved.": in a report on an exercise, a figure
        // after a list of states is the exercise's, not the last state's.
        if found.is_some() && !aid {
            let mut codes: Vec<&str> = pm
                .iter()
                .filter(|m| !m.place && !m.person)
                .map(|m| m.code.as_str())
                .collect();
            codes.sort_unstable();
            codes.dedup();
            if codes.len() >= 3
                && let Some(e) = exercise
            {
                return Some((e.actor.clone(), false));
            }
        }
        if let Some(m) = found {
            return Some((m.code.clone(), false));
        }
    }
    if let Some(a) = speaker_owner {
        return Some((a, true));
    }
    if entered.is_some() {
        return None;
    }
    // (g) The exercise of the report, or its main actor.
    if let Some(e) = exercise
        && !aid
    {
        return Some((e.actor.clone(), false));
    }
    if let Some(a) = estimator {
        return Some((a, true));
    }
    // The recipient of aid is not its donor.
    default_actor
        .filter(|a| !aid || *a != "UA")
        .map(|a| (a.to_owned(), false))
}

/// The state whose zone, airspace or waters the figure is said to enter after its noun ("...
/// entered Taiwan's ADIZ", "violated Estonian airspace").
pub(super) fn entered_zone<'m>(
    ctx: &Ctx,
    s: &Sentence,
    ments: &'m [Mention],
    noun_end: usize,
) -> Option<&'m str> {
    let w = &ctx.words;
    let verb = (noun_end..(noun_end + 40).min(s.last)).find(|&k| {
        matches!(
            w[k],
            "entered"
                | "enter"
                | "entering"
                | "intruded"
                | "intruding"
                | "violated"
                | "violating"
                | "breached"
                | "penetrated"
        )
    })?;
    ments
        .iter()
        .find(|m| m.at > verb && m.at <= verb + 6)
        .map(|m| m.code.as_str())
}

/// Whether the name `m` is the subject of a verb of saying right after it, past the rest of
/// its phrase ("..., Ukraine said", "..., Ukrainian Defence Minister Oleksii Reznikov told
/// parliament", "..., the UK Defense Ministry intelligence update reports"): it names the source.
pub(super) fn says_after(ctx: &Ctx, s: &Sentence, m: &Mention) -> bool {
    let g = ctx.g;
    let w = &ctx.words;
    // The words after the name ("the United States had": not "states").
    let at = m.at + m.len - 1;
    let mut k = at + 1;
    while k < s.last && k <= at + 6 {
        if g.attribution_verbs.match_at(w, k).is_some() {
            return true;
        }
        let phrase = ctx.toks[k].kind == TokenKind::Word
            && (ctx.text(k).starts_with(char::is_uppercase)
                || g.official_words.match_at(w, k).is_some()
                || g.speaker_nouns.match_at(w, k).is_some()
                || matches!(w[k], "update" | "chief" | "'s"));
        if !phrase {
            return false;
        }
        k += 1;
    }
    false
}

/// Whether `w` is an adverb that may stand between an auxiliary and its verb ("has now
/// received", "has already sent", "will reportedly get").
pub(super) fn adverb(w: &str) -> bool {
    (w.len() > 4 && w.ends_with("ly"))
        || matches!(
            w,
            "now" | "already" | "also" | "just" | "yet" | "since" | "soon"
        )
}

/// Whether the words from `k` name one who speaks for the state named just before, then a verb
/// of saying ("South Korea's defence minister said"): that state is the source of what follows,
/// unlike the state itself saying it ("Russia said it had deployed 1,474 warheads").
pub(super) fn official_says(ctx: &Ctx, s: &Sentence, k: usize) -> bool {
    let g = ctx.g;
    let w = &ctx.words;
    let mut title = false;
    for j in k..s.last.min(k + 5) {
        if g.attribution_verbs.match_at(w, j).is_some() {
            return title;
        }
        if TITLE_NOUNS.contains(&w[j]) || g.official_words.match_at(w, j).is_some() {
            title = true;
        } else if !(ctx.toks[j].kind == TokenKind::Word
            && ctx.text(j).starts_with(char::is_uppercase))
        {
            return false;
        }
    }
    false
}

/// Whether "by" right before the figure at `q_start` names who does something ("attended by
/// 12.600 servicemen", "backed by 100 tanks"), not a change ("rose by 9").
pub(super) fn agent_by(w: &[&str], s: &Sentence, q_start: usize) -> bool {
    // "They will be backed up by four British Typhoon jets": the participle may take "up".
    let verb = if q_start >= s.first + 3 && w[q_start - 2] == "up" {
        q_start - 3
    } else {
        q_start.saturating_sub(2)
    };
    q_start >= s.first + 2
        && w[q_start - 1] == "by"
        && matches!(
            w[verb],
            "attended"
                | "joined"
                | "supported"
                | "backed"
                | "accompanied"
                | "manned"
                | "staffed"
                | "crewed"
                | "reinforced"
                | "escorted"
                | "guarded"
                | "conducted"
                | "involved"
        )
}

/// Whether a name is on an act of war ("the Russian invasion", "Russia's full-scale
/// invasion"): it names the act's author.
pub(super) fn act_of_war(ctx: &Ctx, m: &Mention) -> bool {
    let w = &ctx.words;
    let act = |k: usize| {
        w.get(k).is_some_and(|x| {
            matches!(
                *x,
                "invasion" | "aggression" | "war" | "attack" | "offensive" | "annexation"
            )
        })
    };
    // One word may qualify the act ("full-scale", "unprovoked"), not a noun of forces.
    act(m.at + 1)
        || (act(m.at + 2)
            && ctx.toks[m.at + 1].kind == TokenKind::Word
            && !BOUNDARY_WORDS.contains(&w[m.at + 1])
            && ctx.g.category_words.match_at(w, m.at + 1).is_none())
}

/// Words after a figure that open a clause of purpose or circumstance: a name after one does
/// not own the figure.
pub(super) const CLAUSE_AFTER: &[&str] = &[
    "intended", "designed", "aimed", "meant", "amid", "because", "whereas", "although", "though",
    "despite", "unless", "reassure", "deter", "help", "repel", "counter", "prevent",
];

/// Words after "from N" that make a figure a total of several states.
pub(super) const STATES_WORDS: &[&str] = &["countries", "nations", "states", "allies", "armies"];
/// Words that qualify the states a force is drawn from ("member", "participating", "partner").
pub(super) const MEMBER_WORDS: &[&str] = &[
    "member",
    "participating",
    "partner",
    "allied",
    "other",
    "those",
    "these",
];

/// Whether the figure at `q_start`, its noun ending at `noun_end`, counts foreign contingents
/// together: "foreign" on its noun or on the subject before it ("the number of foreign troops
/// will not exceed 1 thousand"), "from six foreign states" after it, or several states other
/// than Russia listed after "from".
pub(super) fn foreign_contingents(
    ctx: &Ctx,
    s: &Sentence,
    ments: &[Mention],
    q_start: usize,
    noun_end: usize,
) -> bool {
    let w = &ctx.words;
    let clause_start = (s.first..q_start)
        .rev()
        .find(|&k| ctx.is_punct(k, &[",", ";", ":"]))
        .map_or(s.first, |k| k + 1);
    let to = (noun_end + 5).min(s.last);
    let foreign = (clause_start..to).any(|k| {
        w[k] == "foreign"
            && !w
                .get(k + 1)
                .is_some_and(|x| matches!(*x, "ministry" | "minister" | "affairs" | "policy"))
    });
    if foreign {
        return true;
    }
    if noun_end >= s.last || w[noun_end] != "from" {
        return false;
    }
    let stop = (noun_end + 1..s.last)
        .find(|&k| !(ctx.toks[k].kind == TokenKind::Word || ctx.is_punct(k, &[","])))
        .unwrap_or(s.last)
        .min(noun_end + 14);
    let mut listed: Vec<&str> = ments
        .iter()
        .filter(|m| m.at > noun_end && m.at < stop && !m.person)
        .map(|m| m.code.as_str())
        .collect();
    listed.sort_unstable();
    listed.dedup();
    listed.len() >= 3 && !listed.contains(&"RU")
}

/// Whether the figure at `q_start`, its noun ending at `noun_end`, counts the forces of several
/// states together: "from 27 nations", "from 24 different countries" after it, or "24-nation"
/// right before it.
pub(super) fn multinational(
    ctx: &Ctx,
    s: &Sentence,
    q_start: usize,
    (noun_start, noun_end): (usize, usize),
) -> bool {
    let w = &ctx.words;
    // "7,000 sailors, airmen, and marines from 16 nations": further nouns of the list may stand
    // between the noun and "from".
    // So may further items with their figures and a word before their noun ("2,000 soldiers,
    // 1,000 assistance personnel and 500 vehicles from 11 NATO member states").
    let from = list_end(ctx, s, noun_end);
    // The states counted may be qualified ("from 11 NATO member states"), or not counted at all
    // ("5,600 air, ground and maritime forces from participating nations").
    let states_after = |start: usize| {
        let mut k = start;
        while k < s.last
            && k < start + 3
            && (MEMBER_WORDS.contains(&w[k]) || ctx.g.actor_names.contains_key(ctx.text(k)))
        {
            k += 1;
        }
        (k < s.last && STATES_WORDS.contains(&w[k]))
            || (start..(start + 2).min(s.last)).any(|j| STATES_WORDS.contains(&w[j]))
    };
    let after = from + 1 < s.last
        && w[from] == "from"
        && (ctx
            .plain_number(from + 1, s.last)
            .is_some_and(|(_, end, _)| states_after(end))
            || (MEMBER_WORDS.contains(&w[from + 1]) && states_after(from + 1)));
    let before = (q_start.saturating_sub(3).max(s.first)..q_start).any(|k| {
        w[k].split_once('-').is_some_and(|(n, rest)| {
            matches!(rest, "nation" | "country" | "nations" | "countries")
                && (n.bytes().all(|b| b.is_ascii_digit())
                    || ctx.g.number_units.contains_key(n)
                    || ctx.g.number_tens.contains_key(n))
        })
    });
    // "Thirty-two countries from six continents are providing 5,000 troops, 32 ships": the
    // states are counted before the figures, and no state or alliance is named between.
    let counted_before = (s.first..q_start).any(|k| {
        ctx.number(k, q_start).is_some_and(|(n, _)| {
            (n.end..(n.end + 1).min(q_start)).any(|j| STATES_WORDS.contains(&w[j]))
                && (n.end + 1..q_start).all(|j| {
                    let t = ctx.text(j);
                    !(ctx.g.actor_names.contains_key(t)
                        || ctx.g.actor_phrases.contains_key(t)
                        || ctx.g.people.contains_key(t))
                })
        })
    });
    // "Some 4,000 U.S. and European troops": a force named as many states' by its adjective.
    let many_adjective = (q_start..noun_start).any(|k| {
        matches!(
            w[k],
            "european" | "allied" | "multinational" | "coalition" | "partner"
        )
    });
    after || before || counted_before || many_adjective
}

/// Where the items listed after a figure's noun end: further nouns, figures, a word before a
/// noun, commas and "and" ("2,000 soldiers|, 1,000 assistance personnel and 500 vehicles| from").
pub(super) fn list_end(ctx: &Ctx, s: &Sentence, noun_end: usize) -> usize {
    let w = &ctx.words;
    let mut k = noun_end;
    while k < s.last
        && k < noun_end + 12
        && (ctx.is_punct(k, &[","])
            || w[k] == "and"
            || ctx.g.category_words.match_at(w, k).is_some()
            || ctx.plain_number(k, s.last).is_some()
            || (k + 1 < s.last
                && ctx.toks[k].kind == TokenKind::Word
                && ctx.plain_number(k - 1, s.last).is_some()
                && ctx.g.category_words.match_at(w, k + 1).is_some()))
    {
        k += 1;
    }
    k
}

/// Whether states spoken of together are the subject that sends or brings the figure ("Those
/// countries will send 3,600 troops"), whatever the sentence says of aid.
pub(super) fn sent_by_states(ctx: &Ctx, s: &Sentence, q_start: usize) -> bool {
    let w = &ctx.words;
    (q_start.saturating_sub(6).max(s.first + 1)..q_start).any(|k| {
        STATES_WORDS.contains(&w[k])
            && MEMBER_WORDS.contains(&w[k - 1])
            && (k.saturating_sub(4).max(s.first)..q_start).all(|j| {
                let t = ctx.text(j);
                !(ctx.g.actor_names.contains_key(t) || ctx.g.actor_phrases.contains_key(t))
            })
    })
}

/// The token after a phrase in brackets that opens at `k` and closes within its sentence, else
/// `k`.
pub(super) fn past_brackets(ctx: &Ctx, s: &Sentence, k: usize) -> usize {
    if !ctx.is_punct(k, &["("]) {
        return k;
    }
    (k + 1..s.last)
        .find(|&j| ctx.is_punct(j, &[")"]))
        .map_or(k, |j| j + 1)
}
