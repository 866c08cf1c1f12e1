//! Reports: ingestion of plain-text and HTML news reports, with metadata and a normalised body.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::OsintError;
use crate::text::{normalise_chars, normalise_whitespace};

/// One news report, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// A short identifier (the file name, or a given id).
    pub id: String,
    /// The page address, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The publisher, with a wire or original outlet in parentheses where the page says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The publication date, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<jiff::civil::Date>,
    /// The headline, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A date marker found at the start of the captured text (not trusted as the publication date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured: Option<jiff::civil::Date>,
    /// The article text: typographic quotes straightened, whitespace collapsed, one paragraph
    /// per line, repeated title lines and repeated paragraphs dropped.
    pub body: String,
}

/// The format of a report file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `url:`/`outlet:`/`published:`/`title:` header lines, a blank line, then the body.
    Headed,
    /// An HTML page.
    Html,
    /// Plain text without metadata.
    Plain,
}

/// Guesses the format of a report from its text.
pub fn detect_format(text: &str) -> Format {
    let start = text.trim_start();
    let lower: String = start.chars().take(512).collect::<String>().to_lowercase();
    if lower.starts_with("url:")
        || lower.starts_with("outlet:")
        || lower.starts_with("published:")
        || lower.starts_with("title:")
    {
        Format::Headed
    } else if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.contains("<body")
        || (lower.starts_with('<') && (lower.contains("<p") || lower.contains("<div")))
    {
        Format::Html
    } else {
        Format::Plain
    }
}

fn unknown(v: &str) -> Option<String> {
    let v = v.trim();
    if v.is_empty() || v.eq_ignore_ascii_case("unknown") {
        None
    } else {
        Some(normalise_chars(v))
    }
}

/// Parses a date written as `YYYY-MM-DD` (possibly followed by a time).
pub fn parse_date(v: &str) -> Option<jiff::civil::Date> {
    let v = v.trim();
    let head = v.get(..10)?;
    head.parse().ok()
}

/// Parses a report of any supported format; `id` names it in errors and in the result.
pub fn parse_report(id: &str, text: &str) -> Result<Report, OsintError> {
    match detect_format(text) {
        Format::Headed => parse_headed(id, text),
        Format::Html => Ok(crate::html::parse_html(id, text)),
        Format::Plain => Ok(finish(id, None, None, None, None, text)),
    }
}

/// Reads and parses one report file.
pub fn read_report(path: &Path) -> Result<Report, OsintError> {
    let bytes = std::fs::read(path).map_err(|source| OsintError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        OsintError::BadReport {
            path: path.display().to_string(),
            line: upto.iter().filter(|&&b| b == b'\n').count() + 1,
            reason: "not valid UTF-8".into(),
        }
    })?;
    let id = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    parse_report(&id, &text).map_err(|e| match e {
        OsintError::BadReport { line, reason, .. } => OsintError::BadReport {
            path: path.display().to_string(),
            line,
            reason,
        },
        other => other,
    })
}

fn parse_headed(id: &str, text: &str) -> Result<Report, OsintError> {
    let (head, body) = match text.find("\n\n") {
        Some(i) => (&text[..i], &text[i + 2..]),
        None => (text, ""),
    };
    let (mut url, mut outlet, mut published, mut title) = (None, None, None, None);
    for (n, line) in head.lines().enumerate() {
        let Some((key, value)) = line.split_once(':') else {
            return Err(OsintError::BadReport {
                path: id.to_owned(),
                line: n + 1,
                reason: format!("header line {line:?} is not `key: value`"),
            });
        };
        match key.trim() {
            "url" => url = unknown(value),
            "outlet" => outlet = unknown(value),
            "title" => title = unknown(value),
            "published" => {
                published = match unknown(value) {
                    None => None,
                    Some(v) => Some(parse_date(&v).ok_or_else(|| OsintError::BadReport {
                        path: id.to_owned(),
                        line: n + 1,
                        reason: format!("published {v:?} is not a YYYY-MM-DD date"),
                    })?),
                }
            }
            // Unknown header keys are tolerated: sources add their own.
            _ => {}
        }
    }
    Ok(finish(id, url, outlet, published, title, body))
}

/// Normalises a body and assembles the report.
pub(crate) fn finish(
    id: &str,
    url: Option<String>,
    outlet: Option<String>,
    published: Option<jiff::civil::Date>,
    title: Option<String>,
    body: &str,
) -> Report {
    let mut text = normalise_whitespace(&normalise_chars(body));
    // A capture marker " date YYYY-MM-DD " at the very start is not article text.
    let mut captured = None;
    if let Some(rest) = text.strip_prefix("date ")
        && let Some(d) = parse_date(rest)
    {
        captured = Some(d);
        text = rest[10..].trim_start().to_owned();
    }
    let title = title.map(|t| normalise_whitespace(&t));
    let title_key = title.as_deref().map(line_key);
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::new();
    let mut title_seen = false;
    for line in text.lines() {
        let key = line_key(line);
        if key.is_empty() {
            continue;
        }
        if Some(&key) == title_key.as_ref() {
            if title_seen {
                continue;
            }
            title_seen = true;
        }
        // Page furniture and repeated paragraphs appear once.
        if !seen.insert(key) {
            continue;
        }
        kept.push(line);
    }
    Report {
        id: id.to_owned(),
        url,
        outlet,
        published,
        title,
        captured,
        body: kept.join("\n"),
    }
}

fn line_key(line: &str) -> String {
    line.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headed_report_metadata_and_repeated_title_lines() {
        let text = "url: https://example.org/a\noutlet: Example (Reuters)\npublished: 2022-01-26\ntitle: Big news\n\nBig news\n\nBig  news\n\u{201C}Quote\u{201D} here.\nQuote here again.";
        let r = parse_report("a.txt", text).unwrap();
        assert_eq!(r.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(r.outlet.as_deref(), Some("Example (Reuters)"));
        assert_eq!(r.published, Some(jiff::civil::date(2022, 1, 26)));
        assert_eq!(r.body, "Big news\n\"Quote\" here.\nQuote here again.");
    }

    #[test]
    fn unknown_fields_and_capture_marker() {
        let text = "url: unknown\noutlet: X\npublished: unknown\ntitle: unknown\n\n date 2022-02-03 Text starts.";
        let r = parse_report("b", text).unwrap();
        assert_eq!(r.url, None);
        assert_eq!(r.published, None);
        assert_eq!(r.captured, Some(jiff::civil::date(2022, 2, 3)));
        assert_eq!(r.body, "Text starts.");
    }

    #[test]
    fn bad_header_is_located() {
        let e = parse_report("c.txt", "url: x\npublished: 26 Jan\n\nbody").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("c.txt") && msg.contains("line 2"), "{msg}");
    }
}
