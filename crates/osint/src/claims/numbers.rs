//! Reading a figure: digits, number words, scales, money signs and the qualifier before it.

use super::*;

impl Ctx<'_> {
    /// Parses a plain number (digits with optional suffix, or number words) at token `i`.
    pub(super) fn plain_number(&self, i: usize, last: usize) -> Option<(f64, usize, Option<f64>)> {
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
                // "200-million", "1.7-billion-dollar", "40,000-troop": a figure joined to its
                // scale (and to what it counts, which the caller reads from the token).
                if let Some((a, rest)) = s.split_once('-')
                    && let Some((v, _)) = digits(a, g)
                {
                    let mut parts = rest.split('-');
                    let first = parts.next().unwrap_or("");
                    let scale = g.number_scales.get(first).filter(|_| first.len() > 1);
                    let noun = match scale {
                        Some(_) => parts.next(),
                        None => Some(first),
                    };
                    // Anything else joined to a number ("155-millimeter") is a measure.
                    // "the 19,000-strong force": the strength of a force in people.
                    // "the 500-soldier headquarters": the noun joined in the singular.
                    let counted = noun.is_none_or(|n| {
                        matches!(n, "dollar" | "dollars" | "strong")
                            || g.category_words.match_at(&[n], 0).is_some()
                            || g.category_words
                                .match_at(&[format!("{n}s").as_str()], 0)
                                .is_some()
                    });
                    if !counted {
                        return None;
                    }
                    return Some((v * scale.map_or(1.0, |&k| k as f64), i + 1, None));
                }
                // "200 000": thousands separated by a space.
                let mut s = std::borrow::Cow::Borrowed(s);
                let mut end = i + 1;
                while end < last
                    && self.toks[end].kind == TokenKind::Number
                    && self.words[end].len() == 3
                    && self.words[end].bytes().all(|b| b.is_ascii_digit())
                    && s.len() <= 3
                    && !s.contains(',')
                    && self.toks[end].start == self.toks[end - 1].end + 1
                    // "882 521" in a table's row: one figure per column.
                    && !self.table.contains_key(&end)
                    // "20 120 mm mortars": the second number is a calibre.
                    && !self.words.get(end + 1).is_some_and(|n| {
                        matches!(*n, "mm" | "millimeter" | "millimetre" | "caliber" | "calibre")
                    })
                {
                    s = std::borrow::Cow::Owned(format!("{s},{}", self.words[end]));
                    end += 1;
                }
                let s = s.as_ref();
                // A calibre is a measure, not a count ("120 mm mortar systems").
                if self.words.get(i + 1).is_some_and(|n| {
                    matches!(
                        *n,
                        "mm" | "millimeter" | "millimetre" | "caliber" | "calibre"
                    )
                }) {
                    return None;
                }
                // Seven digits or more without separators are codes and dates ("20210914").
                if s.len() >= 7 && s.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let (mut v, has_comma_or_suffix) = digits(s, g)?;
                let scale_next = self
                    .words
                    .get(end)
                    .filter(|_| end < last)
                    .is_some_and(|n| n.len() > 1 && g.number_scales.contains_key(*n));
                // "12.600 servicemen": a dot before groups of three digits separates thousands,
                // as in much of Europe, unless a scale word follows ("1.500 billion").
                let groups: Vec<&str> = s.split('.').collect();
                if !scale_next
                    && groups.len() >= 2
                    && (1..=3).contains(&groups[0].len())
                    && groups[1..].iter().all(|p| p.len() == 3)
                    && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                    && let Ok(whole) = groups.concat().parse::<f64>()
                {
                    v = whole;
                }
                if let Some(next) = self.words.get(end).filter(|_| end < last)
                    && next.len() > 1
                    && let Some(scale) = g.number_scales.get(*next)
                {
                    v *= *scale as f64;
                    end += 1;
                    // "12 thousand 900": the hundreds after the thousands.
                    if *scale == 1000
                        && end < last
                        && self.toks[end].kind == TokenKind::Number
                        && let Ok(rest) = self.words[end].parse::<u16>()
                        && rest < 1000
                    {
                        v += f64::from(rest);
                        end += 1;
                    }
                } else if !has_comma_or_suffix
                    && !s.contains('.')
                    && (1800.0..=2100.0).contains(&v)
                    && s.len() == 4
                    // "Warheads on Deployed ICBMs, 1800 1537": a table's cell is a figure.
                    && !self.table.contains_key(&i)
                {
                    return None; // a year
                }
                Some((v, end, None))
            }
            TokenKind::Word => {
                // "a hundred tanks", "a thousand troops", "half a million soldiers".
                let scale_at = |k: usize| {
                    self.words
                        .get(k)
                        .filter(|_| k < last)
                        .and_then(|w| g.number_scales.get(*w).filter(|_| w.len() > 1))
                        .copied()
                };
                if self.words[i] == "a"
                    && let Some(scale) = scale_at(i + 1)
                {
                    return Some((scale as f64, i + 2, None));
                }
                // "A pair of Tu-160 bombers": two.
                if self.words[i] == "a"
                    && self.words.get(i + 1) == Some(&"pair")
                    && self.words.get(i + 2) == Some(&"of")
                    && i + 3 < last
                {
                    return Some((2.0, i + 3, None));
                }
                if self.words[i] == "half"
                    && self.words.get(i + 1) == Some(&"a")
                    && let Some(scale) = scale_at(i + 2)
                    && scale >= 1000
                {
                    return Some((scale as f64 / 2.0, i + 3, None));
                }
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
                    // "one-thousand containers", "two-hundred troops": a number word joined to
                    // its scale.
                    if let [unit, scale] = parts[..]
                        && let Some(u) = g.number_units.get(unit).or(g.number_tens.get(unit))
                        && let Some(&scale) = g.number_scales.get(scale).filter(|_| scale.len() > 1)
                    {
                        current += u;
                        if scale < 1000 {
                            current *= scale;
                        } else {
                            total += current * scale;
                            current = 0;
                        }
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
    pub(super) fn number(&self, i: usize, last: usize) -> Option<(Num, Option<f64>)> {
        // "$200", "USD 1 billion", "US$200-million" (the "US" is read as a word before "$").
        let money_sign = self.is_punct(i, &["$"]) || self.words.get(i).is_some_and(|w| *w == "usd");
        // "C$64.8 million", "A$100 million", "NZ$": dollars of another state, not US dollars.
        let foreign_dollars = self.is_punct(i, &["$"])
            && i > 0
            && self.toks[i - 1].end == self.toks[i].start
            && self.toks[i - 1].kind == TokenKind::Word
            && FOREIGN_DOLLARS.contains(&self.words[i - 1]);
        let at = if money_sign { i + 1 } else { i };
        // A money sign that ends the sentence or the text has no figure after it.
        if at >= last.min(self.toks.len()) {
            return None;
        }
        // "&#39;" in a page's text is a character written as its code, not a figure.
        if at >= 1 && self.body[..self.toks[at].start].ends_with("&#") {
            return None;
        }
        let (value, mut end, low) = self.plain_number(at, last)?;
        let mut money = (money_sign && !foreign_dollars)
            || self.words[at]
                .split('-')
                .skip(1)
                .any(|p| matches!(p, "dollar" | "dollars"));
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

/// The letters written before "$" for the dollars of states other than the United States
/// ("C$", "A$", "NZ$", "S$", "HK$", "NT$").
const FOREIGN_DOLLARS: &[&str] = &["c", "ca", "can", "a", "au", "nz", "s", "hk", "nt", "r"];

/// Parses digits with thousands commas, a decimal point and a scale suffix ("175k", "2.7bn").
pub(super) fn digits(s: &str, g: &Gazetteer) -> Option<(f64, bool)> {
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

/// The qualifier a gazetteer qualifier phrase gives.
pub(super) fn qualifier_of(q: &QualWord) -> ClaimQualifier {
    match q {
        QualWord::MoreThan => ClaimQualifier::MoreThan,
        QualWord::AtLeast => ClaimQualifier::AtLeast,
        QualWord::About => ClaimQualifier::About,
        QualWord::UpTo => ClaimQualifier::UpTo,
    }
}
