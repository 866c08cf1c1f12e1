//! Numbers and dates written the way each language writes them.
//!
//! Fluent selects plural forms but leaves number and date formatting to the application; the
//! few formats the messages need are written here rather than pulling in a full locale-data
//! library.

use accord_model::Date;

use crate::Lang;

/// A whole number with the language's digit grouping: 1,550 in English, 1 550 (narrow no-break
/// space) in Russian.
pub fn number(lang: Lang, v: i64) -> String {
    let sep = match lang {
        Lang::En => ",",
        Lang::Ru => "\u{202f}",
    };
    let digits = v.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len() + 1);
    if v < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Russian month names in the genitive, as a date writes them ("20 февраля").
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// The name of month `m` (1-12) as a date writes it: "February", "февраля".
pub fn month(lang: Lang, m: i8) -> &'static str {
    let i = usize::try_from(m - 1).unwrap_or(0).min(11);
    match lang {
        Lang::En => MONTHS_EN[i],
        Lang::Ru => MONTHS_RU[i],
    }
}

/// A calendar date in words: 20 February 2022, 20 февраля 2022 г.
pub fn date(lang: Lang, d: Date) -> String {
    let name = month(lang, d.month());
    match lang {
        Lang::En => format!("{} {name} {}", d.day(), d.year()),
        Lang::Ru => format!("{} {name} {} г.", d.day(), d.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_groups_thousands_with_commas() {
        assert_eq!(number(Lang::En, 0), "0");
        assert_eq!(number(Lang::En, 999), "999");
        assert_eq!(number(Lang::En, 1550), "1,550");
        assert_eq!(number(Lang::En, 190_000), "190,000");
        assert_eq!(number(Lang::En, 1_000_000), "1,000,000");
        assert_eq!(number(Lang::En, -1550), "-1,550");
    }

    #[test]
    fn russian_groups_thousands_with_a_narrow_no_break_space() {
        assert_eq!(number(Lang::Ru, 1550), "1\u{202f}550");
        assert_eq!(number(Lang::Ru, 13_000), "13\u{202f}000");
        assert_eq!(number(Lang::Ru, 190_000), "190\u{202f}000");
        assert_eq!(number(Lang::Ru, 1_000_000), "1\u{202f}000\u{202f}000");
        assert_eq!(number(Lang::Ru, 999), "999");
    }

    #[test]
    fn dates_are_written_in_words() {
        let d = Date::new(2022, 2, 20).unwrap();
        assert_eq!(date(Lang::En, d), "20 February 2022");
        assert_eq!(date(Lang::Ru, d), "20 февраля 2022 г.");
        let d = Date::new(2026, 12, 1).unwrap();
        assert_eq!(date(Lang::En, d), "1 December 2026");
        assert_eq!(date(Lang::Ru, d), "1 декабря 2026 г.");
    }
}
