//! Tables with one column per actor: each figure's actor and the label of its row.

use super::*;

/// The figures of tables with one column per actor, as the page's text keeps them: a header
/// naming two actors and nothing else ("Category of Data  United States of America  Russian
/// Federation", or one name a line, each followed by "|"), then rows that give a label and one
/// figure per column, on one line ("... Heavy Bombers 662 Not provided") or a line each ("...
/// heavy bombers |", "526 |", "686 |"). Returns, by the token of each figure, the actor of its
/// column and the tokens of its row's label.
pub(super) fn table_cells(
    ctx: &Ctx,
    sents: &[Sentence],
) -> std::collections::HashMap<usize, (String, usize, usize)> {
    let mut out = std::collections::HashMap::new();
    let has_number =
        |s: &Sentence| (s.first..s.last).any(|k| ctx.toks[k].kind == TokenKind::Number);
    let bar = |k: usize| ctx.is_punct(k, &["|"]);
    // The actors named in a sentence, each once, with where each is last named ("United States
    // of America" names one).
    let named = |s: &Sentence| -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> = Vec::new();
        for m in mentions(ctx, s).into_iter().filter(|m| !m.person) {
            match v.iter_mut().find(|x| x.0 == m.code) {
                Some(x) => x.1 = m.at,
                None => v.push((m.code, m.at)),
            }
        }
        v
    };
    // A sentence that is only a name and bars: its code.
    let lone_name = |s: &Sentence| -> Option<String> {
        let m = named(s);
        let words = (s.first..s.last).filter(|&k| !bar(k)).count();
        (m.len() == 1 && !has_number(s) && words <= 5).then(|| m[0].0.clone())
    };
    let mut si = 0;
    while si < sents.len() {
        let s = &sents[si];
        let mut columns: Vec<String> = Vec::new();
        let mut next = si + 1;
        // A header is a short line without figures, before a row or another header line.
        let short = |x: &Sentence| x.last - x.first <= 12;
        if short(s)
            && !has_number(s)
            && sents.get(si + 1).is_some_and(|n| short(n) || has_number(n))
        {
            let m = named(s);
            // Two names, the last of them ending the line.
            if m.len() == 2 {
                let tail = (m[1].1..s.last).all(|k| bar(k) || ctx.toks[k].kind == TokenKind::Word);
                let after = (m[1].1 + 1..s.last).filter(|&k| !bar(k)).count();
                if tail && after <= 3 {
                    columns = vec![m[0].0.clone(), m[1].0.clone()];
                }
            } else if let (Some(a), Some(b)) = (lone_name(s), sents.get(si + 1).and_then(lone_name))
                && a != b
            {
                columns = vec![a, b];
                next = si + 2;
            }
        }
        if columns.is_empty() {
            si += 1;
            continue;
        }
        // The rows.
        let mut label: Option<(usize, usize)> = None;
        let mut cell = 0;
        let mut k = next;
        // Lines of words alone in a row after the header: a row's label wrapped over lines
        // ("Warheads on Deployed ICBMs, 1800 1537", "on Deployed SLBMs,", "and Nuclear Warheads").
        let mut wrapped = 0;
        let mut rows = 0;
        while k < sents.len() && k < next + 40 {
            let r = &sents[k];
            let nums: Vec<usize> = (r.first..r.last)
                .filter(|&j| ctx.toks[j].kind == TokenKind::Number)
                .collect();
            let only_cell = nums.len() == 1 && (r.first..r.last).all(|j| j == nums[0] || bar(j));
            if only_cell {
                if let Some((from, to)) = label
                    && cell < columns.len()
                {
                    out.insert(nums[0], (columns[cell].clone(), from, to));
                    cell += 1;
                }
            } else if nums.is_empty() {
                // A label on a line of its own, before its cells.
                if !(r.first..r.last).any(bar) {
                    wrapped += 1;
                    if wrapped > 3 || !short(r) || rows == 0 {
                        break;
                    }
                    k += 1;
                    continue;
                }
                label = Some((r.first, r.last));
                cell = 0;
            } else if nums.len() <= columns.len()
                && nums[0] > r.first
                && (nums[0]..r.last).all(|j| {
                    ctx.toks[j].kind != TokenKind::Word
                        || matches!(
                            ctx.words[j],
                            "not" | "provided" | "available" | "classified"
                        )
                })
            {
                // A row on one line: its label, then a figure (or "Not provided") per column.
                for (c, &j) in nums.iter().enumerate() {
                    out.insert(j, (columns[c].clone(), r.first, nums[0]));
                }
                label = None;
                wrapped = 0;
                rows += 1;
            } else {
                break;
            }
            k += 1;
        }
        si = k.max(si + 1);
    }
    out
}
