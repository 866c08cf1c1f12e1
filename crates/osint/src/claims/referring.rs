//! Figures that count a thing counted before: comparisons, ellipses, parts and wholes.

use super::*;

/// Words before "from" that compare a figure with an earlier one of the same thing ("up from",
/// "a sharp increase from").
pub(super) const EARLIER_BEFORE_FROM: &[&str] = &[
    "up", "down", "increase", "decrease", "rise", "drop", "decline", "jump", "fall", "climb",
];

/// Words that open a sentence about the figure of the sentence before ("The figure was down
/// from 1,515").
pub(super) const FIGURE_SUBJECTS: &[&str] = &[
    "figure", "number", "total", "tally", "count", "that", "this",
];

/// The earlier figure of a thing just counted: a number after "up from", "down from", "an
/// increase from" (a qualifier may stand between: "up from around 10,000") takes the owner and
/// category of the figure before it in its sentence ("Some 40,000 soldiers, up from around
/// 10,000"), or of the last figure of the sentence before when its sentence opens on that figure
/// ("The figure was down from 1,515 in March 2022"). Its date is not the report's.
pub(super) fn earlier_figure(ctx: &Ctx, s: &Sentence, last: &Claim, num: &Num) -> Option<Claim> {
    let w = &ctx.words;
    let (k, qualifier) = ctx.qualified_start(num.start);
    if k < s.first + 2 || w[k - 1] != "from" || !EARLIER_BEFORE_FROM.contains(&w[k - 2]) {
        return None;
    }
    // "from 60 to 83" is a change between two figures, read elsewhere; a year is no figure.
    if w.get(num.end).is_some_and(|n| *n == "to")
        || (!num.money
            && (1900.0..=2100.0).contains(&num.value)
            && !ctx.text(num.start).contains(','))
    {
        return None;
    }
    let in_sentence = last.span.0 >= s.start;
    let opens_on_figure = (s.first..(s.first + 3).min(k)).any(|i| FIGURE_SUBJECTS.contains(&w[i]));
    if !in_sentence && !opens_on_figure {
        return None;
    }
    Some(Claim {
        date: None,
        ..again(ctx, s, last, num.value, qualifier, (k - 2, num.end))
    })
}

/// Determiners after which a figure with its noun left out counts more of the thing just
/// counted ("another 12", "a further eight", "the first 180").
pub(super) const ELLIPSIS_BEFORE: &[&[&str]] = &[
    &["another"],
    &["a", "further"],
    &["a", "second"],
    &["the", "first"],
    &["the", "remaining"],
    &["the", "other"],
    &["the", "last"],
    &["the", "next"],
];

/// Words that may follow a figure whose noun is left out ("another 12 will move", "a further
/// eight following").
pub(super) const AFTER_ELLIPSIS: &[&str] = &[
    "will",
    "would",
    "could",
    "should",
    "can",
    "may",
    "might",
    "are",
    "were",
    "is",
    "was",
    "following",
    "to",
    "from",
    "in",
    "on",
    "by",
    "later",
    "soon",
    "and",
];

/// A figure whose noun is left out after "another", "a further", "the first" ...: "Twenty AH-64
/// Apache helicopters will move from Germany to the Baltic region and another 12 will move from
/// Greece to Poland", "four Challenger 2 tanks ..., with a further eight following", "The first
/// 180 will be delivered later this year" after a sentence counting the tanks. It counts more of
/// the thing last counted, in its sentence or the one before (from byte `from`), for the same
/// owner.
pub(super) fn elliptic_figure(
    ctx: &Ctx,
    s: &Sentence,
    from: usize,
    last: &Claim,
    num: &Num,
) -> Option<Claim> {
    let w = &ctx.words;
    if last.span.0 < from || last.span.1 > ctx.toks[num.start].start {
        return None;
    }
    if num.money != last.category.ends_with("_usd") || num.value < 2.0 {
        return None;
    }
    let k = num.start;
    let det = ELLIPSIS_BEFORE.iter().find(|d| {
        k >= s.first + d.len() && d.iter().enumerate().all(|(j, x)| w[k - d.len() + j] == *x)
    });
    let ends_at = |e: usize| {
        e >= s.last || ctx.is_punct(e, &[",", ";", ".", ")"]) || AFTER_ELLIPSIS.contains(&w[e])
    };
    // "The plan is to deliver eight next year and five more the year after": a figure followed
    // by "more" or by the next period of time counts more of the thing too.
    let period = |e: usize| {
        matches!(w.get(e).copied(), Some("next" | "this"))
            && matches!(w.get(e + 1).copied(), Some("year" | "month" | "week"))
    };
    let more = w.get(num.end) == Some(&"more")
        && num.end < s.last
        && (ends_at(num.end + 1) || period(num.end + 1) || w.get(num.end + 1) == Some(&"the"))
        && w.get(num.end + 1) != Some(&"than");
    let ends = match det {
        Some(_) => ends_at(num.end),
        None => (num.end < s.last && period(num.end)) || more,
    };
    let year = !num.money && (1900.0..=2100.0).contains(&num.value);
    if !ends || year {
        return None;
    }
    Some(again(
        ctx,
        s,
        last,
        num.value,
        ClaimQualifier::Exactly,
        (k - det.map_or(0, |d| d.len()), num.end),
    ))
}

/// A figure whose noun is left out after a sentence's opening "Of the <noun>," or "Of those
/// <noun> ...,": "Of those aircraft, 28 crossed the sensitive median line of the Taiwan Strait",
/// "Of the aircraft spotted, 111 crossed the median line". It counts a part of the thing last
/// counted of that noun's category in the report, a larger figure, for the same owner.
pub(super) fn partitive_figure(ctx: &Ctx, s: &Sentence, out: &[Claim], num: &Num) -> Option<Claim> {
    let g = ctx.g;
    let w = &ctx.words;
    if num.money || s.first + 3 > num.start || w[s.first] != "of" {
        return None;
    }
    let (k, qualifier) = ctx.qualified_start(num.start);
    if k < s.first + 3
        || !ctx.is_punct(k - 1, &[","])
        || !matches!(w[s.first + 1], "the" | "those" | "these")
        || k - 1 > s.first + 6
        || g.category_words.match_at(w, num.end).is_some()
    {
        return None;
    }
    // The noun of the whole, with no figure and no other punctuation before the comma.
    let phrase = s.first + 2..k - 1;
    if phrase.clone().any(|j| ctx.toks[j].kind != TokenKind::Word) {
        return None;
    }
    let category = phrase
        .clone()
        .find_map(|j| match g.category_words.match_at(w, j) {
            Some((_, CategoryHit::Category(c))) => Some(&g.categories[*c]),
            _ => None,
        })?;
    let whole = larger_whole(out, &category.id, num.value)?;
    Some(Claim {
        noun: String::new(),
        ..again(ctx, s, whole, num.value, qualifier, (k, num.end))
    })
}

/// The owner of a whole counted before, when a sentence opens with that whole's noun and lists
/// its parts after "including" ("The aircraft, including 34 J-16 fighters ...").
pub(super) fn included_in(
    ctx: &Ctx,
    s: &Sentence,
    ments: &[Mention],
    out: &[Claim],
    num_start: usize,
    claim: &Claim,
) -> Option<String> {
    let g = ctx.g;
    let w = &ctx.words;
    if !matches!(w[s.first], "the" | "these" | "those") {
        return None;
    }
    let comma = (s.first + 1..(s.first + 5).min(num_start)).find(|&k| ctx.is_punct(k, &[","]))?;
    if w.get(comma + 1) != Some(&"including")
        || ments.iter().any(|m| m.at < num_start)
        || (s.first + 1..comma).any(|k| ctx.toks[k].kind != TokenKind::Word)
    {
        return None;
    }
    let whole_category =
        (s.first + 1..comma).find_map(|j| match g.category_words.match_at(w, j) {
            Some((_, CategoryHit::Category(c))) => Some(g.categories[*c].id.as_str()),
            _ => None,
        })?;
    if whole_category != claim.category {
        return None;
    }
    larger_whole(out, &claim.category, claim.quantity).map(|o| o.actor.clone())
}

/// The owner of a whole just counted in the sentence, when the figure at `num_start` is one of
/// its parts in brackets right after it ("26 Rafale aircraft (22 single-seater and four
/// twin-seater) for the Indian Navy"): the whole's, or that of the part before it in the same
/// brackets.
pub(super) fn bracketed_part(
    ctx: &Ctx,
    s: &Sentence,
    last: Option<&Claim>,
    num_start: usize,
    claim: &Claim,
) -> Option<String> {
    let last =
        last.filter(|l| l.span.0 >= ctx.toks[s.first].start && l.category == claim.category)?;
    let open = (s.first..num_start)
        .rev()
        .find(|&j| ctx.toks[j].kind == TokenKind::Punct && matches!(ctx.words[j], "(" | ")"))?;
    if ctx.words[open] != "(" {
        return None;
    }
    let at = ctx.toks[open].start;
    let whole = last.quantity > claim.quantity
        && ctx
            .body
            .get(last.span.1..at)
            .is_some_and(|gap| gap.trim().is_empty());
    let sibling = last.span.0 > at;
    (whole || sibling).then(|| last.actor.clone())
}

/// Verbs between a state and a figure whose noun is left out ("Russia reported 526").
pub(super) const HAVE_VERBS: &[&str] = &[
    "has",
    "had",
    "have",
    "reported",
    "declared",
    "declares",
    "reports",
    "listed",
    "possesses",
    "possessed",
    "having",
];

/// A figure whose noun is left out right after a state and a verb of having or declaring, in
/// the sentence after one that counted a thing (or later in the same sentence): "Russia reported
/// 526 a year earlier" after "The US warheads are on 662 intercontinental ballistic missiles and
/// other deployed delivery systems"; "and the United States has 1,357 (1,457 in September)"
/// after "the Russian Federation currently has 1,456 warheads". It counts the same thing for that
/// state.
pub(super) fn subject_figure(
    ctx: &Ctx,
    s: &Sentence,
    from: usize,
    ments: &[Mention],
    last: &Claim,
    num: &Num,
) -> Option<Claim> {
    let w = &ctx.words;
    if !counts_like(ctx, from, last, num)
        || ctx.toks[num.start].kind != TokenKind::Number
        || ctx.text(num.start).contains(['-', '.'])
    {
        return None;
    }
    let (k, qualifier) = ctx.qualified_start(num.start);
    if k < s.first + 2 || !HAVE_VERBS.contains(&w[k - 1]) {
        return None;
    }
    let m = ments.iter().rev().find(|m| m.at < k - 1)?;
    // "with the United States having 848 and Russia having 847": the subject of "having" after
    // "with" is no place.
    let name_end = (m.at..k - 1).all(|j| ctx.toks[j].kind == TokenKind::Word)
        && m.at + 4 >= k - 1
        && (!m.place || w[k - 1] == "having")
        && !m.person;
    let ends = num.end >= s.last
        || ctx.is_punct(num.end, &[",", ";", ".", "("])
        || matches!(w[num.end], "a" | "in" | "as" | "last" | "and" | "while");
    let year = (1900.0..=2100.0).contains(&num.value) && !ctx.text(num.start).contains(',');
    if !name_end || !ends || year || m.code == last.actor && last.span.0 >= s.start {
        return None;
    }
    Some(Claim {
        actor: m.code.clone(),
        ..again(ctx, s, last, num.value, qualifier, (m.at, num.end))
    })
}

/// A figure whose noun is left out after another name in a list: "Germany will deploy 4,000
/// soldiers, Britain 2,000 and France 1,500". Right after a name (not a place, a person or a
/// speaker) that follows a comma, "and" or "while", ending its clause, in a sentence that has
/// counted a thing before it, it counts the same thing for that name.
pub(super) fn gapped_figure(
    ctx: &Ctx,
    s: &Sentence,
    ments: &[Mention],
    last: &Claim,
    num: &Num,
) -> Option<Claim> {
    let w = &ctx.words;
    if !counts_like(ctx, s.start, last, num) {
        return None;
    }
    let (k, qualifier) = ctx.qualified_start(num.start);
    let m = ments.iter().rev().find(|m| m.at < k)?;
    let name_only = (m.at..k).all(|i| {
        ctx.toks[i].kind == TokenKind::Word
            && ctx.text(i).chars().next().is_some_and(char::is_uppercase)
    });
    if m.place || m.person || m.speaker || m.at + 3 < k || !name_only {
        return None;
    }
    let p = if m.at > s.first && w[m.at - 1] == "the" {
        m.at - 1
    } else {
        m.at
    };
    let listed = p > s.first
        && (ctx.is_punct(p - 1, &[",", ";"]) || matches!(w[p - 1], "and" | "while" | "whereas"));
    let clause_ends = num.end >= s.last
        || ctx.is_punct(num.end, &[",", ";", ".", ")"])
        || matches!(w[num.end], "and" | "while" | "whereas");
    let year =
        !num.money && (1900.0..=2100.0).contains(&num.value) && !ctx.text(num.start).contains(',');
    if !listed || !clause_ends || year || m.code == last.actor {
        return None;
    }
    Some(Claim {
        actor: m.code.clone(),
        ..again(ctx, s, last, num.value, qualifier, (p, num.end))
    })
}

/// A figure whose noun is left out before its origin or its owner's adjective, after a thing
/// counted in the same sentence: "5,000 servicemen from Russia and more than 7,000 from
/// Belarus", "about 15,000 troops (6,500 Belarussian and 8,500 Russian)". It counts the same
/// thing for that state.
pub(super) fn origin_figure(
    ctx: &Ctx,
    s: &Sentence,
    ments: &[Mention],
    last: &Claim,
    num: &Num,
) -> Option<Claim> {
    let w = &ctx.words;
    if !counts_like(ctx, s.start, last, num) {
        return None;
    }
    let (k, qualifier) = ctx.qualified_start(num.start);
    if k <= s.first || !(w[k - 1] == "and" || ctx.is_punct(k - 1, &[",", "("])) {
        return None;
    }
    if num.end + 1 >= s.last {
        return None;
    }
    // "(6,500 Belarussian and 8,500 Russian)": the state's adjective closes the item.
    let adjective = ments.iter().find(|m| {
        m.at == num.end
            && !m.person
            && !m.place
            && (m.at + m.len >= s.last
                || ctx.is_punct(m.at + m.len, &[",", ")", ";"])
                || w[m.at + m.len] == "and")
    });
    let m = match adjective {
        Some(m) => m,
        None => {
            if w[num.end] != "from" {
                return None;
            }
            let name = num.end + 1 + usize::from(w[num.end + 1] == "the");
            ments.iter().find(|m| m.at == name && !m.person)?
        }
    };
    Some(Claim {
        actor: m.code.clone(),
        ..again(ctx, s, last, num.value, qualifier, (k, m.at + m.len))
    })
}

/// The thing `like` counts, counted again by the figure `value` over the tokens `first..end` of
/// sentence `s`: same owner, category and place, with its own text and qualifier.
fn again(
    ctx: &Ctx,
    s: &Sentence,
    like: &Claim,
    value: f64,
    qualifier: ClaimQualifier,
    (first, end): (usize, usize),
) -> Claim {
    let (start, end) = (ctx.toks[first].start, ctx.toks[end - 1].end);
    Claim {
        quantity: value,
        quantity_min: None,
        qualifier,
        text: ctx.body[start..end].to_owned(),
        span: (start, end),
        sentence: ctx.body[s.start..s.end].to_owned(),
        ..like.clone()
    }
}

/// Whether `last` was read from byte `from` on and before the figure `num`, and counts money as
/// `num` does: what a figure with its noun left out may count again.
fn counts_like(ctx: &Ctx, from: usize, last: &Claim, num: &Num) -> bool {
    last.span.0 >= from
        && last.span.1 <= ctx.toks[num.start].start
        && num.money == last.category.ends_with("_usd")
}

/// The owner of a whole counted before, when a sentence opens on it as a demonstrative and
/// counts a part of it ("Out of this, 35 aircraft crossed the median line", "Of these, 20
/// tanks are ..."): the last larger figure of the part's category, its owner named nowhere
/// else before the part.
pub(super) fn part_of_before(
    ctx: &Ctx,
    s: &Sentence,
    ments: &[Mention],
    out: &[Claim],
    num_start: usize,
    claim: &Claim,
) -> Option<String> {
    let w = &ctx.words;
    // The sentence may open inside a quotation.
    let first =
        (s.first..(s.first + 2).min(s.last)).find(|&k| ctx.toks[k].kind == TokenKind::Word)?;
    let at = match w.get(first..first + 2)? {
        ["out", "of"] => first + 2,
        ["of", _] => first + 1,
        _ => return None,
    };
    if !matches!(w.get(at), Some(&("this" | "these" | "those" | "them")))
        || !ctx.is_punct(at + 1, &[","])
        || ctx.qualified_start(num_start).0 != at + 2
        || ments.iter().any(|m| m.at < num_start)
    {
        return None;
    }
    larger_whole(out, &claim.category, claim.quantity).map(|o| o.actor.clone())
}

/// The last figure counted before of `category`, larger than `quantity`: the whole a part is
/// counted of.
fn larger_whole<'a>(out: &'a [Claim], category: &str, quantity: f64) -> Option<&'a Claim> {
    out.iter()
        .rev()
        .find(|o| o.category == category && o.quantity > quantity)
}
