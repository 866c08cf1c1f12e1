//! Dates: a report's own dateline and the day a figure refers to.

use super::*;

pub(super) fn month_of(w: &str) -> Option<i8> {
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

pub(super) fn weekday_of(w: &str) -> Option<Weekday> {
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

pub(super) fn day_of(w: &str) -> Option<i8> {
    let head: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &w[head.len()..];
    if !(rest.is_empty() || rest.starts_with('-') || matches!(rest, "st" | "nd" | "rd" | "th")) {
        return None;
    }
    head.parse().ok().filter(|d| (1..=31).contains(d))
}

/// The date of a report's own dateline, for a report whose page gives none: "WASHINGTON, Jan
/// 25 (Reuters) -", `"Washington [US], August 8 (ANI):"`, "KYIV, Feb. 11, 2022 -". A dateline
/// without its year takes the year of the capture marker, the nearest that keeps the day within
/// half a year of it.
pub fn dateline(report: &Report) -> Option<Date> {
    let head: String = report.body.chars().take(200).collect();
    let line = head.lines().find(|l| !l.trim().is_empty())?;
    // The dateline ends at the wire in parentheses or a dash, and begins the text.
    let end = line
        .find(['(', '\u{2014}', '\u{2013}'])
        .or_else(|| line.find(" - "))
        .or_else(|| line.find(':'))?;
    let toks = tokenize(&line[..end]);
    let words: Vec<&str> = toks.iter().map(|t| t.lower.as_str()).collect();
    for (k, w) in words.iter().enumerate() {
        let Some(month) = month_of(w) else { continue };
        let mut d = k + 1;
        if words.get(d) == Some(&".") {
            d += 1;
        }
        let Some(day) = words.get(d).and_then(|x| day_of(x)) else {
            continue;
        };
        let mut y = d + 1;
        if words.get(y) == Some(&",") {
            y += 1;
        }
        let year = words
            .get(y)
            .and_then(|x| x.parse::<i16>().ok())
            .filter(|x| (1900..=2100).contains(x));
        let year = match (year, report.captured) {
            (Some(y), _) => y,
            (None, Some(c)) => {
                let near = |y: i16| {
                    Date::new(y, month, day)
                        .ok()
                        .map(|d| (d - c).get_days().abs())
                };
                [c.year() - 1, c.year(), c.year() + 1]
                    .into_iter()
                    .min_by_key(|&y| near(y).unwrap_or(i32::MAX))?
            }
            (None, None) => return None,
        };
        return Date::new(year, month, day).ok();
    }
    None
}

pub(super) fn resolve_date(ctx: &Ctx, s: &Sentence, published: Option<Date>) -> Option<Date> {
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
