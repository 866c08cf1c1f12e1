//! One figure read as one claim: what it counts, how it is qualified, and what is no claim.

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn claim_at(
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
    // A day of the month after its weekday: "on Wednesday (27.", "Monday 14".
    let mut b = num.start;
    if b > s.first && ctx.is_punct(b - 1, &["("]) {
        b -= 1;
    }
    if b > s.first && weekday_of(w[b - 1]).is_some() && (1.0..=31.0).contains(&num.value) {
        return None;
    }
    // A number after "No." labels one thing ("Nikolai Kuznetsov (No. 10)"): it counts nothing.
    if num.start > s.first + 1
        && ctx.is_punct(num.start - 1, &["."])
        && matches!(ctx.text(num.start - 2), "No" | "Nos" | "no")
        && ctx.toks[num.start - 1].start == ctx.toks[num.start - 2].end
    {
        return None;
    }
    // A number that completes a model's designation counts nothing: after a word of
    // designation ("Type 90 infantry fighting vehicles", "the Block 15 aircraft", "Robot 57
    // (NLAW)") or after a maker's code in capitals ("14 JAS 39 Gripen fighters", "(CV 90)").
    if num.start > s.first && !num.money && designated(ctx, num.start) {
        return None;
    }
    // A day after its month: "a $550 million drawdown on Aug. 1 and includes munitions"; the
    // last day of a span of days after one ("will run from March 3 to 14, 2024").
    let after_month = |k: usize| {
        k > s.first
            && (month_of(w[k - 1]).is_some()
                || (w[k - 1] == "." && k > s.first + 1 && month_of(w[k - 2]).is_some()))
    };
    if (1.0..=31.0).contains(&num.value)
        && num.start > s.first
        && (after_month(num.start)
            || (num.start > s.first + 2
                && matches!(w[num.start - 1], "to" | "-" | "through" | "until")
                && ctx.toks[num.start - 2].kind == TokenKind::Number
                && after_month(num.start - 2)))
    {
        return None;
    }
    // An age: "children under the age of 18", "aged 18", "18 years old".
    if (num.start >= s.first + 2 && w[num.start - 2..num.start] == ["age", "of"])
        || (num.start > s.first && matches!(w[num.start - 1], "aged" | "ages"))
        || (w.get(num.end) == Some(&"years") && w.get(num.end + 1) == Some(&"old"))
    {
        return None;
    }
    // Time zones: "6 a.m. (UTC+8)", "GMT-5".
    if (num.start.saturating_sub(2).max(s.first)..num.start).any(|k| {
        matches!(w[k], "utc" | "gmt") || w[k].starts_with("utc") || w[k].starts_with("gmt")
    }) {
        return None;
    }
    // "Challenger 2 tanks", "Leopard 2": the number ends the name of a system; it counts nothing.
    if (num.start.saturating_sub(3).max(s.first)..num.start).any(|k| {
        g.category_words
            .match_at(w, k)
            .is_some_and(|(len, _)| k + len > num.start)
    }) {
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
    // "rose from 60 to 83": two figures at two times, not a range.
    // "increased its stockpile from 350 to 410 warheads", "will bring troop levels in Germany
    // from about 36,000 to 24,000": a verb of change a few words before, its object between.
    let change = opener
        && q_start > s.first
        && w[q_start] == "from"
        && (CHANGE_VERBS.contains(&w[q_start - 1])
            || (q_start.saturating_sub(6).max(s.first)..q_start - 1)
                .rev()
                .take_while(|&k| ctx.toks[k].kind == TokenKind::Word || ctx.is_punct(k, &["'"]))
                .any(|k| {
                    CHANGE_VERBS.contains(&w[k]) || CHANGE_VERBS_BEFORE_OBJECT.contains(&w[k])
                }));
    if change {
        q_start = num.start;
    }
    if low.is_none()
        && !change
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
            qualifier = qualifier_of(q);
        }
    }
    // "100+ warplanes": a plus joined to the figure makes it a lower bound.
    if end < s.last
        && ctx.is_punct(end, &["+"])
        && ctx.toks[end].start == ctx.toks[end - 1].end
        && low.is_none()
    {
        end += 1;
        qualifier = ClaimQualifier::MoreThan;
    }
    // Vague amounts, sizes of one unit, changes.
    if g.vague_before.match_ending(w, num.start).is_some()
        || g.unit_size_before.match_ending(w, q_start).is_some()
        || g.unit_size_before.match_ending(w, num.start).is_some()
        || (g.change_before.match_ending(w, q_start).is_some() && !agent_by(w, s, q_start))
    {
        return None;
    }
    if q_start > 0 && matches!(w[q_start - 1], "tens" | "hundreds" | "thousands" | "dozens") {
        return None;
    }
    // "Ukraine has said it needs 300 Western tanks", "asked for 300 tanks": a request, not a
    // count of anyone's forces.
    if q_start > s.first
        && (REQUEST_VERBS.contains(&w[q_start - 1])
            || (w[q_start - 1] == "for"
                && q_start > s.first + 1
                && matches!(
                    w[q_start - 2],
                    "asked" | "asks" | "asking" | "ask" | "called" | "calls" | "calling" | "call"
                )))
    {
        return None;
    }
    // The category: money, a weight unit, or a noun or system in a short window.
    let sentence_words = &w[s.first..s.last];
    let intro = list_intro(ctx, sents, si).map(|k| &sents[k]);
    let aid = aid_in(g, sentence_words) || intro.is_some_and(|p| aid_in(g, &w[p.first..p.last]));
    let non_military = g.non_military_aid.any_in(sentence_words);
    let military = g.military_words.any_in(sentence_words)
        || intro.is_some_and(|p| g.military_words.any_in(&w[p.first..p.last]));
    let mut cat_idx = None;
    let mut factor = 1.0;
    let mut weight = false;
    let mut noun_start = end;
    let mut noun_end = end;
    // Where the first noun or system named ends ("366 American Abrams| tanks and ... missiles":
    // a named system counts its own kind, whatever is listed after its head noun).
    let mut named_end = end;
    let mut adjectives = (end, end);
    let mut change_resume: Option<usize> = None;
    if num.money {
        // The price of a purchase or sale ("a deal ... to purchase $5.8 billion worth of
        // tanks") is no aid, unless the sentence also speaks of aid.
        let trade = sentence_words.iter().any(|x| TRADE_WORDS.contains(x));
        // A budget or what a state spends on its own forces is no aid either.
        let budget = sentence_words.iter().any(|x| BUDGET_WORDS.contains(x));
        // "$6.5 billion in security assistance ... as part of a $13.6 billion package", "the
        // total to $9.1 billion ... out of an authorized $54 billion": the whole that holds a
        // sum named before it is more than that aid.
        let whole = (q_start.saturating_sub(4).max(s.first + 1)..q_start)
            .any(|k| matches!(w[k - 1], "part" | "out") && w[k] == "of")
            && (s.first..q_start.saturating_sub(4)).any(|k| w[k] == "$");
        if !(aid || military) || non_military || ((trade || budget) && !aid) || whole {
            return None;
        }
        cat_idx = g.categories.iter().position(|c| c.money);
    } else {
        // "the 40,000-troop force": the noun is joined to the figure. A person joined to it
        // ("a 111-person contingent", "the 15-member Security Council") gives the size of
        // what follows, like "-strong": people of a force only.
        let tail = w[end - 1].rsplit_once('-').map(|(_, tail)| tail);
        let sized = tail.is_some_and(|t| matches!(t, "strong" | "member" | "person" | "man"));
        let joined = tail.filter(|_| !sized).and_then(|tail| {
            g.category_words
                .match_at(&[tail], 0)
                .or_else(|| g.category_words.match_at(&[format!("{tail}s").as_str()], 0))
        });
        if let Some((_, CategoryHit::Category(c))) = joined {
            cat_idx = Some(*c);
            noun_start = end - 1;
            noun_end = end;
        }
        // "the 19,000-strong force stationed near Estonia", "a 4,000-strong army brigade": the
        // strength of a force or unit named right after counts its people; "a 1,000-strong
        // battalion to each of the Baltic countries" is the size of one unit.
        if cat_idx.is_none() && !num.money && sized {
            // "a 300-strong crowd": the strength of no force counts nothing.
            let head = strong_force(ctx, s, end)?;
            if (head..(head + 3).min(s.last)).any(|k| w[k] == "each") {
                return None;
            }
            cat_idx = g.categories.iter().position(|c| c.id == "troops");
            noun_start = end - 1;
            noun_end = head;
            named_end = head;
            adjectives = (end, head);
        }
        let mut k = end;
        // "from 350 to 410 warheads": the earlier figure of a change counts the noun after the
        // later one, which is read next.
        if change
            && cat_idx.is_none()
            && w.get(end) == Some(&"to")
            && let Some((later, _)) = ctx.number(end + 1, s.last)
        {
            k = later.end;
            change_resume = Some(end);
        }
        // "14 of its own Challenger 2 tanks", "12 of their tanks": part of the owner's stock.
        if w.get(k) == Some(&"of")
            && let Some(p) = w.get(k + 1)
            && matches!(*p, "its" | "their" | "his" | "her" | "our")
        {
            k += 2 + usize::from(w.get(k + 2) == Some(&"own"));
        }
        // "14 units of these battle tanks": a word of counting before "of" (unless it is part
        // of a noun, as in "units of equipment").
        if w.get(k)
            .is_some_and(|x| matches!(*x, "units" | "pieces" | "items" | "examples"))
            && w.get(k + 1) == Some(&"of")
            && g.category_words.match_at(w, k).is_none()
        {
            k += 1;
        }
        // "another six of these BTGs", "48 of the K9 howitzers": part of a stock named after
        // it (not "8 of the 36 tanks", a share of a figure, nor "one of the").
        if w.get(k) == Some(&"of")
            && let Some(p) = w.get(k + 1)
            && matches!(*p, "these" | "those" | "the")
            && num.value >= 2.0
            && ctx.number(k + 2, s.last).is_none()
            && !ctx
                .toks
                .get(k + 2)
                .is_some_and(|t| t.kind == TokenKind::Number)
        {
            k += 2;
        }
        let from = k;
        while cat_idx.is_none() && k < s.last && k < from + 7 {
            // "49 ships, 61 aircraft, one submarine": one of a kind names it in the singular.
            let singular = (num.value == 1.0 && !w[k].ends_with('s'))
                .then(|| {
                    let plural = format!("{}s", w[k]);
                    let rest = s.last.min(k + g.category_words.longest());
                    let words: Vec<&str> = std::iter::once(plural.as_str())
                        .chain(w[k + 1..rest].iter().copied())
                        .collect();
                    g.category_words.match_at(&words, 0)
                })
                .flatten();
            if let Some((len, hit)) = g.category_words.match_at(w, k).or(singular) {
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
                named_end = noun_end;
                adjectives = (end, k);
                // "200 Stinger missiles", "14 Leopard-2 tanks": the noun after a weapon
                // system's name is the head of the phrase, and ends it.
                while noun_end < s.last
                    && noun_end < k + len + 3
                    && let Some((more, CategoryHit::Category(_))) =
                        g.category_words.match_at(w, noun_end)
                {
                    noun_end += more;
                }
                // "18 special forces and diving teams": people that name the kind of units
                // counted after "and".
                if g.categories[cat_idx.unwrap_or(0)].id == "troops"
                    && w.get(noun_end) == Some(&"and")
                    && let Some((j, len, unit)) = (noun_end + 1..(noun_end + 3).min(s.last))
                        .find_map(|j| match g.category_words.match_at(w, j) {
                            Some((len, CategoryHit::Category(c)))
                                if g.categories[*c].id == "battle_groups" =>
                            {
                                Some((j, len, *c))
                            }
                            _ => None,
                        })
                {
                    cat_idx = Some(unit);
                    noun_end = j + len;
                    named_end = noun_end;
                }
                // "48 FA-50 fighters": fighters named by a model designation are aircraft; so
                // are fighters in a sentence about the air ("Four NATO fighters are usually
                // stationed in the Baltics" for air policing, "four Flanker air-to-air fighters").
                let airborne = || {
                    (s.first..s.last).any(|j| {
                        matches!(
                            w[j],
                            "air"
                                | "airspace"
                                | "air-to-air"
                                | "jets"
                                | "jet"
                                | "aircraft"
                                | "planes"
                                | "warplanes"
                                | "bombers"
                                | "sortie"
                                | "sorties"
                                | "squadron"
                                | "scrambled"
                                | "airborne"
                        )
                    })
                };
                if matches!(w[k], "fighters" | "fighter")
                    && ((end..k).any(|d| designation(w[d])) || airborne())
                {
                    cat_idx = g.categories.iter().position(|c| c.id == "aircraft");
                }
                // "48 launchers for the US-designed Patriot air defence systems": launchers
                // of a named weapon system count in that system's category.
                if let Some(c) = cat_idx
                    && g.categories[c].id == "launchers"
                    && w.get(noun_end).is_some_and(|x| matches!(*x, "for" | "of"))
                    && let Some(sys) = (noun_end + 1..(noun_end + 6).min(s.last))
                        .take_while(|&j| !ctx.is_punct(j, &[",", ".", ";", ":"]))
                        .filter(|&j| g.systems.contains(w[j]))
                        .find_map(|j| match g.category_words.match_at(w, j) {
                            Some((_, CategoryHit::Category(sc))) if *sc != c => Some(*sc),
                            _ => None,
                        })
                {
                    cat_idx = Some(sys);
                }
                break;
            }
            let t = &ctx.toks[k];
            // A measure between figure and noun ("18 155-millimeter howitzers") is skipped.
            let unit = |x: &str| matches!(x, "mm" | "millimeter" | "millimetre");
            // So is the number of a designation ("14 JAS 39 Gripen fighters").
            let measure = (t.kind == TokenKind::Number
                && (t.lower.contains('-')
                    || (k > end && designated(ctx, k))
                    || t.lower.ends_with("mm")
                    || w.get(k + 1).is_some_and(|x| unit(x))))
                || (k > end && ctx.toks[k - 1].kind == TokenKind::Number && unit(w[k]));
            // Quotation marks around a term ("50 so-called \"Battalion Tactical Groups\"").
            let quote = t.kind == TokenKind::Punct && t.lower == "\"";
            // A writer's gloss in brackets right after a quoted figure ("north of 100,000
            // (troops on the border)").
            let gloss = k == end && t.kind == TokenKind::Punct && t.lower == "(";
            // A word in brackets before the noun ("more than 400,000 (artillery) rounds").
            let bracketed = k > end
                && t.kind == TokenKind::Punct
                && t.lower == ")"
                && ctx.is_punct(end, &["("]);
            // Another figure, written in words, counts what follows it ("two days after
            // nineteen Russian drones"); a duration counts time.
            let other_figure =
                k > end && (g.number_units.contains_key(w[k]) || g.number_tens.contains_key(w[k]));
            let duration = matches!(
                w[k],
                "days" | "weeks" | "months" | "years" | "hours" | "minutes" | "day" | "week"
            );
            // "28,000 U.S., allied and partner forces": a comma between the states' adjectives;
            // "5,600 ground, maritime and air forces": between the services'.
            let listed = t.kind == TokenKind::Punct
                && t.lower == ","
                && k > end
                && (g.actor_names.contains_key(ctx.text(k - 1))
                    || matches!(
                        w[k - 1],
                        "ground" | "land" | "maritime" | "naval" | "sea" | "air" | "special"
                    ))
                && ctx
                    .toks
                    .get(k + 1)
                    .is_some_and(|n| n.kind == TokenKind::Word);
            // "four additional countries participating and significantly more troops": a
            // figure of states counts states.
            let states = matches!(
                w[k],
                "countries" | "nations" | "allies" | "states" | "partners" | "members"
            ) && !(k > end && matches!(w[k - 1], "united" | "baltic" | "gulf"));
            if states
                || (t.kind == TokenKind::Punct
                    && t.lower != "-"
                    && !quote
                    && !gloss
                    && !listed
                    && !bracketed)
                || BOUNDARY_WORDS.contains(&w[k])
                || (t.kind == TokenKind::Number && !measure)
                || other_figure
                || duration
            {
                break;
            }
            k += 1;
        }
        // "the number of Russian troops near the border at 70,000", "raising the total number
        // of active servicemen to 1.5 million".
        if cat_idx.is_none() && q_start > s.first && matches!(w[q_start - 1], "at" | "to") {
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
            // "tripled the size of the NATO Response Force to 40,000": the size of a force
            // named right before the figure counts its troops.
            let head = q_start - 1;
            if cat_idx.is_none()
                && head > s.first
                && FORCE_NOUNS.contains(&w[head - 1])
                && let Some(p) = (from..head - 1)
                    .rev()
                    .find(|&p| matches!(w[p], "size" | "strength") && w.get(p + 1) == Some(&"of"))
                && p + 8 >= head
                && (p + 2..head).all(|k| ctx.toks[k].kind == TokenKind::Word)
            {
                cat_idx = g.categories.iter().position(|c| c.id == "troops");
                adjectives = (p + 2, head - 1);
                q_start = p.saturating_sub(usize::from(p > 0 && w[p - 1] == "the"));
                noun_start = end;
                noun_end = end;
            }
        }
    }
    // A cell of a table counts what its row's label names first ("Warheads on deployed ICBMs,
    // ... counted for deployed heavy bombers | 1474 |").
    if cat_idx.is_none()
        && !num.money
        && let Some((_, from, to)) = ctx.table.get(&num.start)
    {
        let mut k = *from;
        while k < *to {
            if let Some((_, CategoryHit::Category(c))) = g.category_words.match_at(w, k) {
                cat_idx = Some(*c);
                break;
            }
            k += 1;
        }
        noun_start = end;
        noun_end = end;
        adjectives = (end, end);
    }
    // "estimated at 94,000", "rose from 60 to 83", "the US had 800": a bare figure counts what
    // the sentence (or the one before) last named.
    if cat_idx.is_none()
        && !num.money
        && bare_figure(ctx, s, num.start, end)
        && let Some((c, at, parallel)) = named_before(ctx, s, q_start)
    {
        // "Russia's troop casualties could be between 3,000 and 10,000": what is counted was
        // named as losses.
        if (at..q_start).any(|k| g.casualty_after.match_at(w, k).is_some()) {
            return None;
        }
        cat_idx = Some(c);
        noun_start = end;
        noun_end = end;
        // Whose they are is said where they were named ("Russia's battalion tactical groups"),
        // unless the figure parallels an earlier one, whose clause names its own owner.
        adjectives = if parallel {
            (end, end)
        } else {
            (at.saturating_sub(3).max(s.first), at)
        };
    }
    let mut cat_idx = cat_idx?;
    // "US Intelligence Says Russia Planning for a Ukraine Invasion With 100 Battalions": in a
    // report about battalion tactical groups, battalions are those groups.
    if ctx.tactical_groups
        && g.categories[cat_idx].id == "battle_groups"
        && noun_end > noun_start
        && matches!(w[noun_end - 1], "battalions" | "battalion")
        && let Some(btg) = g
            .categories
            .iter()
            .position(|c| c.id == "battalion_tactical_groups")
    {
        cat_idx = btg;
    }
    // "50 armoured medical treatment vehicles": armour makes vehicles armoured vehicles.
    if g.categories[cat_idx].id == "combat_vehicles"
        && (adjectives.0..adjectives.1).any(|k| matches!(w[k], "armoured" | "armored"))
        && let Some(acv) = g
            .categories
            .iter()
            .position(|c| c.id == "armoured_combat_vehicles")
    {
        cat_idx = acv;
    }
    // "200 other regular Humvees", "up to 200 unarmored Humvees": vehicles said to lack armour
    // are not armoured vehicles.
    if g.categories[cat_idx].id == "armoured_combat_vehicles"
        && (adjectives.0..adjectives.1).any(|k| {
            matches!(
                w[k],
                "unarmored" | "unarmoured" | "regular" | "soft-skinned" | "non-armored"
            )
        })
        && let Some(cv) = g.categories.iter().position(|c| c.id == "combat_vehicles")
    {
        cat_idx = cv;
    }
    // "up to 760 armored vehicles, missile and artillery systems": one figure for kinds of
    // equipment listed after its noun counts them all, as items of equipment.
    if !weight
        && noun_end > noun_start
        && !matches!(
            g.categories[cat_idx].label.as_str(),
            "troops" | "battalion_tactical_groups"
        )
        && let Some(mixed) = listed_kinds(ctx, s, named_end, cat_idx)
    {
        cat_idx = mixed;
    }
    // "Two US planes landed in Ukraine with a new shipment of weapons": planes that land or
    // arrive with aid count shipments, not aircraft.
    if g.categories[cat_idx].id == "aircraft"
        && matches!(
            w[noun_start..noun_end].last().copied(),
            Some("planes" | "airplanes" | "aircraft" | "plane")
        )
        && sentence_words.iter().any(|x| {
            matches!(
                *x,
                "landed" | "arrived" | "lands" | "arrives" | "land" | "arrive"
            )
        })
        && sentence_words.iter().any(|x| {
            matches!(
                *x,
                "shipment" | "shipments" | "cargo" | "consignment" | "aid"
            )
        })
        && let Some(k) = g.categories.iter().position(|c| c.id == "shipments")
    {
        cat_idx = k;
    }
    // "In 2003, the US nuclear arsenal numbered just over 10,000 weapons": weapons counted
    // where the sentence or the one before speaks of nuclear arms are warheads.
    if g.categories[cat_idx].id == "small_arms"
        && (w[noun_start..noun_end].last() == Some(&"weapons")
            || (noun_start == noun_end && sentence_words.contains(&"weapons")))
        && !(adjectives.0..adjectives.1).any(|k| matches!(w[k], "small" | "light" | "infantry"))
        && sents[si.saturating_sub(1)..=si]
            .iter()
            .flat_map(|x| x.first..x.last)
            .any(|k| matches!(w[k], "nuclear" | "warheads" | "warhead" | "thermonuclear"))
        && let Some(k) = g.categories.iter().position(|c| c.id == "warheads")
    {
        cat_idx = k;
    }
    let cat = &g.categories[cat_idx];
    if (cat.aid_only && !aid) || (weight && !(aid || military)) {
        return None;
    }
    // People taking part, in a report about a named exercise, are its troops ("More than 50
    // thousand people will take part in them").
    let takes_part = exercise.is_some()
        && sentence_words.iter().any(|x| {
            matches!(
                *x,
                "part" | "participate" | "participating" | "participated" | "involve" | "involved"
            )
        });
    if cat.military_only && !(military || takes_part || g.exercise_words.any_in(sentence_words)) {
        return None;
    }
    // "a huge mobilisation resource of almost 25 million people", "a population of 2 million
    // people": people a state could call up or who live somewhere are not its forces.
    if cat.military_only
        && (q_start.saturating_sub(4).max(s.first)..q_start).any(|k| {
            matches!(
                w[k],
                "resource" | "resources" | "pool" | "population" | "home" | "inhabitants"
            )
        })
    {
        return None;
    }
    // "14 NATO members": members of an alliance are its member states, not troops.
    if noun_start > s.first
        && noun_end > noun_start
        && matches!(w[noun_start], "members" | "member")
        && g.actor_names
            .get(ctx.text(noun_start - 1))
            .is_some_and(|code| matches!(code.as_str(), "NATO" | "CSTO"))
    {
        return None;
    }
    // Counts of places ("two missile bases").
    if g.place_nouns.match_at(w, noun_end).is_some() {
        return None;
    }
    // What a place or ship can hold ("The base has a capacity to accommodate up to 5,000
    // troops", "a warship that can carry 14 helicopters") is no force.
    let before = &w[q_start.saturating_sub(6).max(s.first).min(q_start)..q_start];
    if before.contains(&"capacity")
        || before.windows(2).any(|p| {
            matches!(p[0], "can" | "could" | "able")
                && matches!(
                    p[1],
                    "carry" | "accommodate" | "house" | "hold" | "host" | "take"
                )
        })
    {
        return None;
    }
    // Sizes of one unit given after the noun ("900 troops each"), and comparisons ("100 more
    // warheads deployed than a year ago").
    if w.get(noun_end).is_some_and(|x| *x == "each")
        || (w.get(end).is_some_and(|x| *x == "more")
            && (noun_end..(noun_end + 6).min(s.last)).any(|k| w[k] == "than"))
    {
        return None;
    }
    // "the Switchblade 300, which is designed to hit specific personnel": a number right after a
    // weapon system's name is part of the name.
    if num.start > s.first
        && q_start == num.start
        && !num.money
        && !ctx.text(num.start).contains(',')
        && ctx.text(num.start - 1).starts_with(char::is_uppercase)
        && g.systems.contains(w[num.start - 1])
    {
        return None;
    }
    // Casualties and losses ("14 soldiers were killed", "could kill as many as 25,000 members").
    // ("two Norwegian F-16s intercepted the Tu-160s": a verb with an object after it is what
    // the figure did, not what befell it.) Crewed aircraft intercepted are escorted, not lost
    // ("NATO ... had intercepted at least 19 Russian military aircraft"); drones and missiles
    // intercepted are shot down.
    let crewed = cat.id == "aircraft"
        && !w[noun_start..noun_end]
            .iter()
            .any(|x| x.starts_with("drone") || x.starts_with("uav") || x.starts_with("unmanned"));
    let lost = |x: &str| !(crewed && matches!(x, "intercepted" | "intercepting"));
    if (noun_end..(noun_end + 3).min(s.last)).any(|k| {
        g.casualty_after.match_at(w, k).is_some_and(|(len, _)| {
            lost(w[k])
                && !w.get(k + len).is_some_and(|x| {
                    matches!(*x, "the" | "a" | "an" | "its" | "their" | "two" | "three" | "four")
                })
        })
    })
        || (q_start.saturating_sub(20).max(s.first)..q_start)
            .any(|k| matches!(w[k], "kill" | "kills" | "killing" | "wound" | "wounding"))
        // "4,700 casualties fighting alongside Russian forces": the figure counts casualties.
        || (end..noun_start).any(|k| {
            matches!(
                w[k],
                "casualties" | "deaths" | "fatalities" | "losses" | "dead" | "killed" | "wounded"
            )
        })
        // "the losses on the Russian side ... amount to approximately 342,800 military
        // personnel": a toll of losses, not a force.
        || losses_amount_to(ctx, s, q_start)
        // "has killed more than 13,000 people", "loss of 939 Russian military vehicles".
        || (q_start.saturating_sub(3).max(s.first)..q_start).any(|k| {
            lost(w[k])
                && matches!(
                w[k],
                "killed"
                    | "wounded"
                    | "loss"
                    | "losses"
                    | "lost"
                    | "destroyed"
                    | "downed"
                    | "shot"
                    | "eliminated"
                    | "intercepted"
                    // "Russian warships seized three Ukrainian naval vessels": a capture is a
                    // loss too.
                    | "seized"
                    | "seizing"
                    | "captured"
                    | "capturing"
                    | "impounded"
                    // "downing six military helicopters": the act of a loss.
                    | "downing"
                    | "destroying"
                    | "eliminating"
                    | "intercepting"
            )
        })
    {
        return None;
    }
    // Limits, caps, thresholds: anywhere before the figure in its sentence ("New START, which
    // went into effect in 2011, lets ... while possessing no more than 800") or right after it.
    let lim_from = s.first;
    let lim_to = (noun_end + 3).min(s.last);
    if (lim_from..lim_to).any(|k| limit_at(ctx, s, k)) {
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
    let delivered = (!is_aid_category)
        .then(|| delivered_to(ctx, s, ments, q_start))
        .flatten();
    let (actor, own_sentence) = match (ctx.table.get(&num.start), delivered) {
        (Some((column, _, _)), _) => (column.clone(), true),
        (None, Some(d)) => (d, true),
        (None, None) => resolve_actor(
            ctx,
            sents,
            si,
            ments,
            q_start,
            adjectives,
            (noun_start, noun_end),
            exercise,
            default_actor,
            is_aid_category || aid,
        )?,
    };
    // The zone.
    let (zone, location) = resolve_zone(
        ctx,
        s,
        q_start,
        noun_end,
        &actor,
        // Forces in a sentence about aid are not the aid: their place is their own.
        is_aid_category
            || (aid && !matches!(cat.label.as_str(), "troops" | "battalion_tactical_groups")),
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
        // "7,200 Belarusian servicemen": a member named on the figure's noun is that member.
        // "Belarus' expected deployment of 10,000": so is a member's possessive on the
        // phrase of the figure.
        let possessive_on_figure = |m: &Mention| {
            (ctx.text(m.at).ends_with("'s") || ctx.is_punct(m.at + 1, &["'"]))
                && m.at < q_start
                && m.at + 6 >= q_start
                && !(m.at + 2..q_start).any(|k| ctx.toks[k].kind == TokenKind::Punct)
        };
        let named_on_noun = ments.iter().any(|m| {
            ((m.at >= adjectives.0 && m.at < adjectives.1) || possessive_on_figure(m))
                && !m.person
                && !m.place
        });
        if members.contains(&actor.as_str())
            && !named_on_noun
            && (actor == "BY" || (!own_sentence && zone.as_deref() == Some("belarus")))
        {
            actor = e.actor.clone();
        }
    }
    let date = resolve_date(ctx, s, report.published.or_else(|| dateline(report)));
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
        change_resume.unwrap_or(noun_end.max(end)),
    ))
}

/// Nouns of a force or unit whose strength "N-strong" gives in people.
pub(super) const FORCE_NOUNS: &[&str] = &[
    "force",
    "forces",
    "army",
    "brigade",
    "battalion",
    "battlegroup",
    "division",
    "regiment",
    "contingent",
    "garrison",
    "corps",
    "unit",
    "detachment",
    "troop",
    "mission",
    "militia",
];

/// Where the phrase of a force after "N-strong" (ending at token `end`) ends: past its last
/// force noun within a few words ("rapid reaction force", "army brigade"), or `None` when no
/// force noun follows.
pub(super) fn strong_force(ctx: &Ctx, s: &Sentence, end: usize) -> Option<usize> {
    let w = &ctx.words;
    let mut head = None;
    let mut k = end;
    while k < s.last && k < end + 4 {
        if ctx.toks[k].kind != TokenKind::Word || BOUNDARY_WORDS.contains(&w[k]) {
            break;
        }
        if FORCE_NOUNS.contains(&w[k]) {
            head = Some(k + 1);
        } else if head.is_some() {
            break;
        }
        k += 1;
    }
    head
}

/// The category of items of equipment, when the noun ending at `noun_end` is followed by a
/// list of other kinds with no figure of their own: ", missile and artillery systems".
pub(super) fn listed_kinds(
    ctx: &Ctx,
    s: &Sentence,
    noun_end: usize,
    cat_idx: usize,
) -> Option<usize> {
    let g = ctx.g;
    let w = &ctx.words;
    // "36,000 tanks and armoured vehicles": kinds joined right after the noun count too.
    let joined_now = w.get(noun_end).is_some_and(|x| matches!(*x, "and" | "or"));
    if !ctx.is_punct(noun_end, &[","]) && !joined_now {
        return None;
    }
    let mut joined = false;
    for k in noun_end..(noun_end + 7).min(s.last) {
        let t = &ctx.toks[k];
        // Another figure, vague or not, counts the kinds after it ("and hundreds of AT4s").
        if t.kind == TokenKind::Number
            || g.number_units.contains_key(w[k])
            || matches!(
                w[k],
                "hundreds" | "thousands" | "dozens" | "tens" | "several" | "scores" | "a" | "an"
            )
        {
            return None;
        }
        if t.kind == TokenKind::Punct && t.lower != "," {
            return None;
        }
        // "50 armored medical treatment vehicles and medical supplies, Claymore ...
        // munitions": a comma after a joined item ends the kinds joined to the noun.
        if joined && ctx.is_punct(k, &[","]) {
            return None;
        }
        joined |= matches!(w[k], "and" | "or");
        if joined && let Some((_, CategoryHit::Category(c))) = g.category_words.match_at(w, k) {
            if g.categories[*c].label == g.categories[cat_idx].label {
                return None;
            }
            return g.categories.iter().position(|c| c.id == "equipment_items");
        }
    }
    None
}

/// Verbs of change that take an object before "from X to Y" ("increase Israel's fleet from 50
/// to 75"): two figures, not a range.
pub(super) const CHANGE_VERBS_BEFORE_OBJECT: &[&str] = &[
    "increase",
    "increases",
    "raise",
    "raises",
    "raised",
    "expand",
    "expands",
    "expanded",
    "reduce",
    "reduces",
    "reduced",
    "cut",
    "cuts",
    "boost",
    "boosts",
    "boosted",
    "bring",
    "brings",
    "brought",
    "grow",
    "grows",
    "shrink",
    "shrinks",
    "lower",
    "lowers",
    "lowered",
];

/// Verbs of change before "from X to Y" (two figures, not a range).
pub(super) const CHANGE_VERBS: &[&str] = &[
    "rose",
    "risen",
    "increased",
    "grew",
    "grown",
    "climbed",
    "jumped",
    "fell",
    "fallen",
    "dropped",
    "declined",
    "decreased",
    "up",
    "down",
    "went",
    "gone",
    "swelled",
    "shrank",
];

/// Whether a word of limit starts at token `k`: "limited" after an article or a degree word
/// describes an amount ("a limited number when compared to"), it sets no limit.
pub(super) fn limit_at(ctx: &Ctx, s: &Sentence, k: usize) -> bool {
    let w = &ctx.words;
    ctx.g.limit_words.match_at(w, k).is_some()
        && !(w[k] == "limited"
            && k > s.first
            && matches!(
                w[k - 1],
                "a" | "the" | "very" | "relatively" | "only" | "fairly" | "rather"
            ))
}

/// Words that may follow a figure that stands alone ("to 83 on Friday", "50 are deployed").
pub(super) const AFTER_BARE_FIGURE: &[&str] = &[
    "will",
    "would",
    "thought",
    "believed",
    "who",
    "which",
    "over",
    "through",
    "until",
    "on",
    "in",
    "last",
    "this",
    "as",
    "by",
    "and",
    "or",
    "while",
    "according",
    "at",
    "near",
    "along",
    "earlier",
    "ago",
    "now",
    "today",
    "yesterday",
    "are",
    "were",
    "is",
    "was",
    "had",
    "have",
    "has",
    "from",
    "to",
    "more",
    "reported",
    "claimed",
    "estimated",
    "deployed",
    "stationed",
    "massed",
    "amassed",
    "already",
    "currently",
    "within",
    "inside",
    "under",
    "before",
    "after",
    "since",
    "during",
    "when",
    "a",
    "the",
];

/// Whether the figure from `start` to `end` stands alone: written in digits (or a number word
/// followed by "more"), not part of a date, followed by the end of its clause or a word that
/// cannot be what it counts.
pub(super) fn bare_figure(ctx: &Ctx, s: &Sentence, start: usize, end: usize) -> bool {
    let w = &ctx.words;
    let digits = ctx.toks[start].kind == TokenKind::Number;
    if !digits && w.get(end) != Some(&"more") {
        return false;
    }
    if digits
        && (w[start].contains(['-', '.']) || (w[start].starts_with('0') && w[start].len() > 1))
    {
        return false;
    }
    // Times ("7:58"), and numbers in names ("Episode 1178", "Defender-Europe 21").
    if ctx.is_punct(start.wrapping_sub(1), &[":"]) || ctx.is_punct(end, &[":"]) {
        return false;
    }
    if start > s.first
        && ctx.toks[start - 1].kind == TokenKind::Word
        && ctx.text(start - 1).starts_with(char::is_uppercase)
        && start - 1 > s.first
        // A table row ends with its figure: "Deployed Heavy Bombers 800".
        && ctx.g.category_words.match_ending(w, start).is_none()
    {
        return false;
    }
    // Limits name their figures far from the verb ("limits ... to 700").
    if (s.first..s.last).any(|k| limit_at(ctx, s, k)) {
        return false;
    }
    // Days of a month: "Feb. 12", "12 February".
    let before = (start > s.first).then(|| w[start - 1]);
    let before2 = (start > s.first + 1).then(|| w[start - 2]);
    if before.is_some_and(|b| month_of(b).is_some())
        || (before == Some(".") && before2.is_some_and(|b| month_of(b).is_some()))
    {
        return false;
    }
    if end >= s.last {
        return true;
    }
    let next = &ctx.toks[end];
    match next.kind {
        TokenKind::Punct => matches!(next.lower.as_str(), "," | "." | ";" | ")" | ":" | "\""),
        TokenKind::Number => false,
        TokenKind::Word => {
            month_of(w[end]).is_none()
                && (AFTER_BARE_FIGURE.contains(&w[end])
                    // "2,500 of them are Russian", "24 of which are operational": a part of
                    // what was just counted (not "14 of them NATO allies", states).
                    || (w[end] == "of"
                        && w.get(end + 1).is_some_and(|x| matches!(*x, "them" | "whom" | "which"))
                        && !(end + 2..(end + 5).min(s.last))
                            .any(|k| STATES_WORDS.contains(&w[k]) || w[k] == "members"))
                    || ctx.g.number_units.contains_key(w[end])
                    // "stands at 1,585 for the US and 1,512 for Russia": whose it is.
                    || for_name(ctx, s, end).is_some()
                    // The next cell of a table row ("Heavy Bombers 800 Not provided").
                    || (ctx.text(end).starts_with(char::is_uppercase)
                        && ctx.g.category_words.match_ending(w, start).is_some()))
        }
    }
}

/// Words of budgets and spending: money in their sentence is what a state spends, not aid.
pub(super) const BUDGET_WORDS: &[&str] = &[
    "budget",
    "budgets",
    "spend",
    "spends",
    "spending",
    "spent",
    "expenditure",
    "expenditures",
    // What a state invests in its own forces or pays for a deployment or for bases.
    "invest",
    "invests",
    "investing",
    "investment",
    "cost",
    "costs",
    "pay",
    "pays",
    "paid",
    "price",
    "infrastructure",
];

/// Whether the number token at `k` completes a model's designation: after a word of
/// designation ("Type 90") or after a maker's code in capitals followed by a name or a bracket
/// ("JAS 39 Gripen", "(CV 90)").
fn designated(ctx: &Ctx, k: usize) -> bool {
    if k == 0 || ctx.toks[k].kind != TokenKind::Number {
        return false;
    }
    // Designations are short: "NATO 40,000-strong" is a figure.
    if ctx.text(k).len() > 3 {
        return false;
    }
    let before = ctx.text(k - 1);
    let code = (2..=4).contains(&before.len())
        && before.bytes().all(|b| b.is_ascii_uppercase())
        && !CURRENCY_CODES.contains(&before)
        && ctx.toks.get(k + 1).is_some_and(|n| {
            n.kind == TokenKind::Punct || ctx.text(k + 1).starts_with(char::is_uppercase)
        });
    code || DESIGNATION_WORDS.contains(&before)
}

/// Words after which a number completes a model's designation ("Type 90", "Block 15").
const DESIGNATION_WORDS: &[&str] = &[
    "Type", "Block", "Model", "Mark", "Mk", "Batch", "Series", "Tranche", "Robot", "Project",
];

/// Currency codes written before an amount ("USD 375 million"): no maker's code.
const CURRENCY_CODES: &[&str] = &[
    "USD", "EUR", "GBP", "SEK", "NOK", "DKK", "CHF", "CZK", "PLN", "JPY", "CNY", "RMB", "INR",
    "KRW", "AUD", "CAD", "RUB", "UAH", "ZAR", "PHP", "TWD", "NT",
];

/// Whether a token is a model designation: letters and digits joined by a hyphen ("fa-50",
/// "mig-29", "f-16").
pub(super) fn designation(token: &str) -> bool {
    token.split_once('-').is_some_and(|(a, b)| {
        !a.is_empty()
            && a.bytes().all(|c| c.is_ascii_alphabetic())
            && b.bytes().next().is_some_and(|c| c.is_ascii_digit())
    })
}

/// Verbs right before a figure that make it a request ("wants 300 tanks").
pub(super) const REQUEST_VERBS: &[&str] = &[
    "want",
    "wants",
    "wanted",
    "need",
    "needs",
    "needed",
    "requested",
    "requests",
    "requesting",
    "demanded",
    "demands",
    "seeks",
    "sought",
];

/// Whether the figure at `q_start` is what a toll of losses amounts to ("the losses on the
/// Russian side since the beginning of the full-scale invasion amount to approximately 342,800
/// military personnel"): a word of losses, then a verb of amounting right before the figure,
/// in one clause.
fn losses_amount_to(ctx: &Ctx, s: &Sentence, q_start: usize) -> bool {
    let w = &ctx.words;
    let verb = (q_start.saturating_sub(3).max(s.first)..q_start).find(|&k| {
        matches!(
            w[k],
            "amount"
                | "amounts"
                | "amounted"
                | "stand"
                | "stands"
                | "stood"
                | "reached"
                | "reach"
                | "reaches"
                | "total"
                | "totals"
                | "totaled"
                | "totalled"
        )
    });
    let Some(verb) = verb else {
        return false;
    };
    (verb.saturating_sub(14).max(s.first)..verb)
        .rev()
        .take_while(|&k| !ctx.is_punct(k, &[",", ";", ":"]))
        .any(|k| matches!(w[k], "losses" | "casualties" | "fatalities" | "toll"))
}
