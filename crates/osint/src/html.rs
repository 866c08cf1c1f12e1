//! Article text from HTML pages: a small, fast readability-style extractor.
//!
//! The page is scanned once. Text inside `script`, `style`, `nav`, `header`, `footer`, `aside`,
//! `form`, `figure` and similar page furniture is dropped; block elements become paragraphs.
//! When the page has `<article>` elements only their text is kept. Paragraphs that are mostly link
//! text (menus, "read more" lists) are dropped. Metadata comes from `<title>`, Open Graph and
//! `article:` meta tags, `<link rel=canonical>`, `<time datetime>` and the first `<h1>`.

use crate::report::{Report, finish, parse_date};

const SKIP: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "figure",
    "figcaption",
    "iframe",
    "select",
    "textarea",
    "menu",
    "object",
    "canvas",
];
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "br",
    "tr",
    "td",
    "th",
    "table",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "hr",
    "title",
    "body",
];

/// Nesting of skipped elements tracked at most (deeper ones are inside a skipped one anyway).
const MAX_SKIP_DEPTH: usize = 256;

#[derive(Default)]
struct Block {
    text: String,
    link_chars: usize,
    in_article: bool,
}

/// Decodes the HTML character references of a text fragment.
fn decode_entities(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let Some(end) = end else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "rsquo" | "lsquo" => Some('\''),
            "rdquo" | "ldquo" => Some('"'),
            "mdash" | "ndash" => Some('-'),
            "hellip" => Some('\u{2026}'),
            "shy" => Some('\u{00AD}'),
            _ => {
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse::<u32>().ok().and_then(char::from_u32)
                } else {
                    None
                }
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// The value of attribute `name` in a tag's attribute text.
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let vstart = attrs.len() - rest.len() + 1;
        let v = attrs[vstart..].trim_start();
        let vstart = attrs.len() - v.len();
        let (q, body) = match v.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &attrs[vstart + 1..]),
            _ => (None, &attrs[vstart..]),
        };
        let end = match q {
            Some(q) => body.find(q).unwrap_or(body.len()),
            None => body
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(body.len()),
        };
        return Some(&body[..end]);
    }
    None
}

/// Whether the `<` at `i` opens a tag, comment or declaration (a letter, `/`, `!` or `?` follows
/// it, and a `>` comes later); otherwise it is text ("a < b").
fn is_tag(bytes: &[u8], i: usize, last_gt: Option<usize>) -> bool {
    bytes[i] == b'<'
        && last_gt.is_some_and(|g| g > i)
        && bytes
            .get(i + 1)
            .is_some_and(|&c| c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?'))
}

/// The position of the next tag at or after `from`, or the end of the page.
fn next_tag(bytes: &[u8], from: usize, last_gt: Option<usize>) -> usize {
    let mut k = from;
    while k < bytes.len() {
        match bytes[k..].iter().position(|&b| b == b'<') {
            Some(p) if is_tag(bytes, k + p, last_gt) => return k + p,
            Some(p) => k += p + 1,
            None => break,
        }
    }
    bytes.len()
}

/// Where the raw text of a `script` or `style` element that starts at `from` ends: at its
/// closing tag, matched without regard to case, or at the end of the page.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut k = from;
    while let Some(p) = bytes[k..].windows(2).position(|w| w == b"</") {
        let at = k + p;
        let rest = &bytes[at + 2..];
        if rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name) {
            return at;
        }
        k = at + 2;
    }
    bytes.len()
}

/// Extracts a report from an HTML page.
pub fn parse_html(id: &str, html: &str) -> Report {
    let mut blocks: Vec<Block> = vec![Block::default()];
    let mut skip_depth = 0usize;
    let mut skip_stack: Vec<String> = Vec::new();
    let mut article_depth = 0usize;
    let mut link_depth = 0usize;
    let (mut title_tag, mut og_title, mut h1) = (None::<String>, None::<String>, None::<String>);
    let (mut site, mut url, mut date) = (None::<String>, None::<String>, None);
    let mut in_title = false;
    let mut in_h1 = false;
    let mut i = 0;
    let bytes = html.as_bytes();
    // A `<` with no `>` after it cannot open a tag: it is text.
    let last_gt = html.rfind('>');
    while i < html.len() {
        if is_tag(bytes, i, last_gt) {
            if html[i..].starts_with("<!--") {
                i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
                continue;
            }
            let Some(close) = html[i..].find('>') else {
                break;
            };
            let tag = &html[i + 1..i + close];
            i += close + 1;
            let closing = tag.starts_with('/');
            let tag_body = tag.trim_start_matches('/');
            let name_end = tag_body
                .find(|c: char| c.is_whitespace() || c == '/')
                .unwrap_or(tag_body.len());
            let name = tag_body[..name_end].to_ascii_lowercase();
            let attrs = &tag_body[name_end..];
            if name == "script" || name == "style" {
                if !closing {
                    // Raw text elements: jump to the closing tag.
                    i = find_end_tag(bytes, i, name.as_bytes());
                }
                continue;
            }
            match (name.as_str(), closing) {
                ("meta", false) => {
                    let key = attr(attrs, "property")
                        .or_else(|| attr(attrs, "name"))
                        .or_else(|| attr(attrs, "itemprop"))
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    let content = attr(attrs, "content").map(|c| {
                        let mut s = String::new();
                        decode_entities(c, &mut s);
                        s
                    });
                    if let Some(c) = content {
                        match key.as_str() {
                            "og:title" | "twitter:title" if og_title.is_none() => {
                                og_title = Some(c)
                            }
                            "og:site_name" | "application-name" if site.is_none() => site = Some(c),
                            "og:url" if url.is_none() => url = Some(c),
                            "article:published_time"
                            | "datepublished"
                            | "date"
                            | "pubdate"
                            | "publish-date"
                            | "dc.date"
                            | "sailthru.date"
                                if date.is_none() =>
                            {
                                date = parse_date(&c)
                            }
                            _ => {}
                        }
                    }
                }
                ("link", false)
                    if attr(attrs, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
                        && url.is_none() =>
                {
                    url = attr(attrs, "href").map(str::to_owned);
                }
                ("time", false) if date.is_none() => {
                    date = attr(attrs, "datetime").and_then(parse_date);
                }
                ("title", c) => in_title = !c,
                ("h1", c) => in_h1 = !c && h1.is_none(),
                ("article", false) => article_depth += 1,
                ("article", true) => article_depth = article_depth.saturating_sub(1),
                ("a", false) => link_depth += 1,
                ("a", true) => link_depth = link_depth.saturating_sub(1),
                _ => {}
            }
            if SKIP.contains(&name.as_str()) && !tag.ends_with('/') {
                if closing {
                    if let Some(p) = skip_stack.iter().rposition(|n| *n == name) {
                        skip_stack.truncate(p);
                        skip_depth = skip_stack.len();
                    }
                } else if skip_stack.len() < MAX_SKIP_DEPTH {
                    // Deeper nesting is already skipped; a bound keeps hostile pages linear.
                    skip_stack.push(name.clone());
                    skip_depth = skip_stack.len();
                }
            }
            if BLOCK.contains(&name.as_str()) && !blocks.last().is_some_and(|b| b.text.is_empty()) {
                blocks.push(Block::default());
            }
            continue;
        }
        let next = next_tag(bytes, i + 1, last_gt);
        let raw = &html[i..next];
        i = next;
        let mut text = String::new();
        decode_entities(raw, &mut text);
        if in_title {
            title_tag.get_or_insert_with(String::new).push_str(&text);
            continue;
        }
        if in_h1 {
            let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                h1 = Some(t);
            }
        }
        if skip_depth > 0 {
            continue;
        }
        let b = blocks.last_mut().expect("one block at least");
        if !b.text.is_empty() && !b.text.ends_with(' ') && text.starts_with(char::is_whitespace) {
            b.text.push(' ');
        }
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if words.is_empty() {
            continue;
        }
        if !b.text.is_empty() && !b.text.ends_with(' ') && raw.starts_with(char::is_whitespace) {
            b.text.push(' ');
        }
        b.text.push_str(&words);
        if text.ends_with(char::is_whitespace) {
            b.text.push(' ');
        }
        if link_depth > 0 {
            b.link_chars += words.len();
        }
        if article_depth > 0 {
            b.in_article = true;
        }
    }
    let any_article = blocks
        .iter()
        .any(|b| b.in_article && !b.text.trim().is_empty());
    let mut body = String::new();
    for b in &blocks {
        let t = b.text.trim();
        if t.is_empty() || (any_article && !b.in_article) {
            continue;
        }
        // Menus and link lists: mostly link text and short.
        if b.link_chars * 2 > t.len() && t.len() < 200 {
            continue;
        }
        body.push_str(t);
        body.push('\n');
    }
    let clean = |s: Option<String>| {
        s.map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
    };
    let title = clean(og_title).or(clean(h1)).or(clean(title_tag));
    finish(id, clean(url), clean(site), date, title, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head>
<title>Site | Russia masses troops</title>
<meta property="og:title" content="Russia masses troops &amp; tanks">
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://example.org/russia-troops">
<meta property="article:published_time" content="2022-01-20T10:00:00Z">
<script>var x = "<p>not text</p>";</script><style>p { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Russia masses troops &amp; tanks</h1>
<p>Russia has amassed more than 100,000 troops near the Ukrainian border, US officials said.</p>
<figure><img src="a.jpg"><figcaption>Photo: tanks</figcaption></figure>
<p>The build&shy;up continues &#8220;unabated&#8221;.</p>
<ul><li><a href="/x">Read more</a></li></ul>
</article>
<footer>Copyright</footer></body></html>"#;

    #[test]
    fn article_text_and_metadata() {
        let r = parse_html("page.html", PAGE);
        assert_eq!(r.title.as_deref(), Some("Russia masses troops & tanks"));
        assert_eq!(r.outlet.as_deref(), Some("Example News"));
        assert_eq!(r.url.as_deref(), Some("https://example.org/russia-troops"));
        assert_eq!(r.published, Some(jiff::civil::date(2022, 1, 20)));
        assert!(
            r.body
                .contains("more than 100,000 troops near the Ukrainian border")
        );
        assert!(r.body.contains("\"unabated\""), "{}", r.body);
        for furniture in [
            "not text",
            "Home",
            "Photo",
            "Copyright",
            "Read more",
            "color",
        ] {
            assert!(!r.body.contains(furniture), "{furniture} in {}", r.body);
        }
    }

    #[test]
    fn malformed_and_hostile_pages_give_text_without_panicking() {
        // A stray `<` is text; a tag that never closes ends the markup, not the text.
        let r = parse_html(
            "a",
            "<p>If 3 < 5 and 7 > 2 then <b>bold</b></p><p>tail <unclosed",
        );
        assert_eq!(r.body, "If 3 < 5 and 7 > 2 then bold\ntail <unclosed");
        // Entities out of range, surrogates, NUL and unterminated ones stay as written.
        let r = parse_html(
            "b",
            "<p>&#xFFFFFFFFF; &#55296; &#0; &#99999999999999999999; &amp &unknown; caf&eacute;</p>",
        );
        assert!(r.body.starts_with("&#xFFFFFFFFF; &#55296;"), "{}", r.body);
        assert!(r.body.contains("&amp &unknown;"), "{}", r.body);
        // Unclosed comments, scripts and attribute quotes swallow the rest, never beyond it.
        for page in [
            "<p>before</p><!-- never closed <p>hidden</p>",
            "<p>before</p><script>var s = '<p>hidden</p>';",
            "<p>before</p><SCRIPT>x</ScRiPt ><p>after</p>",
            "<p>before</p><meta content=\"no end><p>after</p>",
        ] {
            let r = parse_html("c", page);
            assert!(r.body.starts_with("before"), "{page}: {:?}", r.body);
            assert!(!r.body.contains("hidden"), "{page}: {:?}", r.body);
        }
        assert_eq!(
            parse_html("d", "<p>before</p><SCRIPT>x</ScRiPt ><p>after</p>").body,
            "before\nafter"
        );
        // Multi-byte text against tags (dashes normalised, pictographs dropped), empty and odd
        // tags, a bare `<` at the end.
        let r = parse_html("e", "<p>Київ—</><p>🚀</p><>x<");
        assert_eq!(r.body, "Київ-\n<>x<");
        // Deep nesting and many raw-text elements stay linear and give their text.
        let deep = format!(
            "{}<p>deep text</p>{}",
            "<div><nav>".repeat(20_000),
            "</aside>".repeat(20_000)
        );
        assert_eq!(parse_html("f", &deep).body, "");
        let many = format!("{}<p>end</p>", "<script>x</script>".repeat(20_000));
        assert_eq!(parse_html("g", &many).body, "end");
        let nested = format!(
            "{}<p>inner</p>{}",
            "<div>".repeat(50_000),
            "</div>".repeat(50_000)
        );
        assert_eq!(parse_html("h", &nested).body, "inner");
    }
}
