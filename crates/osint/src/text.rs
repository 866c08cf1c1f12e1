//! Text primitives: normalisation of report bodies, tokens with byte spans, sentences, stemming.

/// The kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, possibly with digits and inner `'`, `-`, `.` ("Russia's", "AT-4", "U.S.").
    Word,
    /// Starts with a digit ("120,000", "2.7", "175K", "10-16").
    Number,
    /// One punctuation character.
    Punct,
}

/// A token of a text, with its byte span.
#[derive(Debug, Clone)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset after the last byte.
    pub end: usize,
    /// What kind of token.
    pub kind: TokenKind,
    /// The token in lower case.
    pub lower: String,
}

impl Token {
    /// The token's text as written.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start..self.end]
    }
}

fn is_joiner(c: char, prev: char, next: char) -> bool {
    match c {
        ',' => prev.is_ascii_digit() && next.is_ascii_digit(),
        '.' => {
            (prev.is_ascii_digit() && next.is_ascii_digit())
                || (prev.is_alphabetic() && next.is_alphabetic())
        }
        '\'' => prev.is_alphabetic() && next.is_alphabetic(),
        '-' => prev.is_alphanumeric() && next.is_alphanumeric(),
        _ => false,
    }
}

/// Splits a text into word, number and punctuation tokens (whitespace is dropped).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            while j < chars.len() {
                let cj = chars[j].1;
                if cj.is_alphanumeric() {
                    j += 1;
                } else if j + 1 < chars.len() && is_joiner(cj, chars[j - 1].1, chars[j + 1].1) {
                    j += 2;
                } else {
                    break;
                }
            }
            let mut end = if j < chars.len() {
                chars[j].0
            } else {
                text.len()
            };
            // Dotted abbreviations keep their final dot: "U.S.", "U.K.".
            let word = &text[pos..end];
            if j < chars.len()
                && chars[j].1 == '.'
                && word.contains('.')
                && word.split('.').all(|p| p.chars().count() == 1)
            {
                end += 1;
            }
            let word = &text[pos..end];
            out.push(Token {
                start: pos,
                end,
                kind: if c.is_ascii_digit() {
                    TokenKind::Number
                } else {
                    TokenKind::Word
                },
                lower: word.to_lowercase(),
            });
            i = chars.partition_point(|&(p, _)| p < end);
            continue;
        }
        let end = pos + c.len_utf8();
        out.push(Token {
            start: pos,
            end,
            kind: TokenKind::Punct,
            lower: c.to_string(),
        });
        i += 1;
    }
    out
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "st", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "inc", "co", "corp", "jr", "sr",
    "gov", "sen", "rep", "maj", "capt", "adm", "prof", "gov", "approx", "e.g", "i.e", "cmdr",
];

/// A sentence: a byte span of the text and the range of its tokens.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Byte offset where the sentence starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// Index of its first token.
    pub first: usize,
    /// Index after its last token.
    pub last: usize,
}

/// Splits tokenised text into sentences: at line breaks (not where wrapped text goes on in lower
/// case), and at `.`, `!`, `?` followed by a token that starts with a capital, a digit or a quote
/// (not after abbreviations or initials).
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut first = 0;
    let close = |first: usize, last: usize, out: &mut Vec<Sentence>| {
        if last > first {
            out.push(Sentence {
                start: tokens[first].start,
                end: tokens[last - 1].end,
                first,
                last,
            });
        }
    };
    for i in 0..tokens.len() {
        let t = &tokens[i];
        // A line break between this token and the next ends the sentence.
        let next = tokens.get(i + 1);
        // Text wrapped at a fixed width continues its sentence on the next line: one line
        // break, after a word or a comma, before a word in lower case.
        let wrapped = next.is_some_and(|n| {
            text[t.end..n.start].matches('\n').count() == 1
                // (A table's row ends on a figure, not on a word or a comma.)
                && (t.kind == TokenKind::Word || t.lower == ",")
                && text[n.start..].chars().next().is_some_and(char::is_lowercase)
        });
        let line_break = !wrapped && next.is_some_and(|n| text[t.end..n.start].contains('\n'));
        let mut ends = line_break;
        if !ends && t.kind == TokenKind::Punct && matches!(t.lower.as_str(), "." | "!" | "?") {
            // Closing quotes and brackets belong to the sentence they close.
            let mut k = i + 1;
            while k < tokens.len()
                && tokens[k].kind == TokenKind::Punct
                && matches!(tokens[k].lower.as_str(), "\"" | "'" | ")")
                // (A quote after a space or a line break opens the next sentence.)
                && !text[tokens[k - 1].end..tokens[k].start].contains(char::is_whitespace)
            {
                k += 1;
            }
            let prev_abbrev = i > 0 && {
                let p = &tokens[i - 1];
                p.kind == TokenKind::Word
                    && (ABBREVIATIONS.contains(&p.lower.as_str())
                        || (p.lower.chars().count() == 1
                            && p.text(text).chars().all(|c| c.is_uppercase())))
            };
            if let Some(n) = tokens.get(k) {
                let c = text[n.start..].chars().next().unwrap_or(' ');
                if !prev_abbrev && (c.is_uppercase() || c.is_ascii_digit() || c == '"') {
                    if k > i + 1 {
                        close(first, k, &mut out);
                        first = k;
                        continue;
                    }
                    ends = true;
                }
            }
        }
        if ends {
            close(first, i + 1, &mut out);
            // Never back over tokens a sentence closed early already holds.
            first = first.max(i + 1);
        }
    }
    close(first, tokens.len(), &mut out);
    // A sentence that was closed early by closing quotes may leave `first` behind; drop overlaps.
    out.dedup_by(|b, a| b.first < a.last);
    out
}

/// Normalises typographic characters: curly quotes to straight ones, dashes to `-`, odd spaces
/// to plain spaces, zero-width characters removed.
pub fn normalise_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
            | '\u{2033}' => out.push('"'),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' => {
                out.push(' ')
            }
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            '\r' => {}
            // Cyrillic letters that look like Latin ones, as found in machine-spun text.
            'е' => out.push('e'),
            'а' => out.push('a'),
            'о' => out.push('o'),
            'р' => out.push('p'),
            'с' => out.push('c'),
            'х' => out.push('x'),
            _ => out.push(c),
        }
    }
    out
}

/// Collapses runs of spaces inside each line, trims lines and drops empty lines.
pub fn normalise_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let mut first = true;
        for w in line.split(' ').filter(|w| !w.is_empty()) {
            if first {
                if !out.is_empty() {
                    out.push('\n');
                }
                first = false;
            } else {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    out
}

/// A light suffix-stripping stemmer for fingerprints ("rejected", "rejects" -> "reject").
pub fn stem(w: &str) -> &str {
    let n = w.len();
    for suffix in [
        "ingly", "ings", "ing", "edly", "ies", "ied", "ed", "es", "ly", "s",
    ] {
        if n > suffix.len() + 3 && w.ends_with(suffix) {
            let cut = &w[..n - suffix.len()];
            if suffix == "s" && (cut.ends_with('s') || cut.ends_with('u') || cut.ends_with('i')) {
                return w;
            }
            return cut;
        }
    }
    w
}

/// Removes text inside double quotes (quoted speech), keeping the rest; a quote that does not
/// close within 600 bytes is treated as a stray mark.
pub fn strip_quotes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('"') {
            Some(close) if close <= 600 && !after[..close].contains('\n') => {
                out.push_str(" | ");
                rest = &after[close + 1..];
            }
            _ => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_numbers_and_abbreviations_whole() {
        let text = "The U.S. sent 120,000 troops, 2.7 billion and AT-4s to Russia's border.";
        let toks: Vec<_> = tokenize(text)
            .iter()
            .map(|t| t.text(text).to_owned())
            .collect();
        assert!(toks.contains(&"U.S.".to_owned()), "{toks:?}");
        assert!(toks.contains(&"120,000".to_owned()));
        assert!(toks.contains(&"2.7".to_owned()));
        assert!(toks.contains(&"AT-4s".to_owned()));
        assert!(toks.contains(&"Russia's".to_owned()));
        assert_eq!(toks.last().unwrap(), ".");
    }

    /// The text of each sentence of `text`.
    fn spans(text: &str) -> Vec<&str> {
        sentences(text, &tokenize(text))
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn sentences_split_at_stops_but_not_after_abbreviations() {
        let text = "Gen. Smith said the U.S. will act. Russia has 100 tanks.\nA new line";
        assert_eq!(
            spans(text),
            vec![
                "Gen. Smith said the U.S. will act.",
                "Russia has 100 tanks.",
                "A new line"
            ]
        );
    }

    #[test]
    fn wrapped_lines_go_on_but_headings_and_table_rows_do_not() {
        // Hard-wrapped text (a blog's copy of a Belarusian video page on Zapad 2013).
        let text = "Belarus-Russia\narmy exercise Zapad 2013\nThe strategic army exercise Zapad 2013\n[West 2013] took place in Belarus and Russia. The\nlarge-scale exercise involved over 22,000 personnel, over 530 armored vehicles,\nabout 90 aircraft.\nDeployed ICBMs 882 521\nand Deployed Heavy Bombers";
        assert_eq!(
            spans(text),
            vec![
                "Belarus-Russia\narmy exercise Zapad 2013",
                "The strategic army exercise Zapad 2013",
                "[West 2013] took place in Belarus and Russia.",
                "The\nlarge-scale exercise involved over 22,000 personnel, over 530 armored vehicles,\nabout 90 aircraft.",
                "Deployed ICBMs 882 521",
                "and Deployed Heavy Bombers",
            ]
        );
    }

    #[test]
    fn a_quote_that_closes_a_paragraph_loses_no_sentence_after_it() {
        // A statement quoted paragraph by paragraph (a report on US troops sent to Poland, 2022).
        let text = "\"The 300 members have also arrived.\"\n\n\"Together, these 5,000 additional personnel form a force,\" the statement reads.\n\nEarlier this week, Sullivan spoke.";
        assert_eq!(
            spans(text),
            vec![
                "\"The 300 members have also arrived.\"",
                "\"Together, these 5,000 additional personnel form a force,\" the statement reads.",
                "Earlier this week, Sullivan spoke.",
            ]
        );
    }

    #[test]
    fn typographic_characters_are_normalised() {
        assert_eq!(
            normalise_chars("\u{201C}Moscow\u{2019}s\u{201D}\u{00A0}\u{2014} x"),
            "\"Moscow's\" - x"
        );
        assert_eq!(normalise_whitespace("  a   b \n\n\n c  "), "a b\nc");
    }

    #[test]
    fn quotes_are_stripped() {
        assert_eq!(
            strip_quotes("He said \"no way\" today"),
            "He said  |  today"
        );
    }
}
