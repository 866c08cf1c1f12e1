//! Who gave a figure: speakers and sources.

use super::*;

pub(super) fn speaker_before(ctx: &Ctx, s: &Sentence, v: usize) -> Option<String> {
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

pub(super) fn speaker_after(ctx: &Ctx, s: &Sentence, v: usize) -> Option<String> {
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

pub(super) fn resolve_attribution(
    ctx: &Ctx,
    sents: &[Sentence],
    si: usize,
) -> (Option<String>, bool) {
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
