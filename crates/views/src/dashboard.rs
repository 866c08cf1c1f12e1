//! The pages of a node's dashboard, server-rendered HTML in a language: the overview, the
//! findings with filters, one record with its inclusion proof (re-checked in the browser), the
//! timeline with the report's charts, the hotline, and escrow and inspections. Each page is a
//! function of the data the node hands it; nothing here reads storage or the network.

use std::fmt::Write as _;

use accord_compliance::Obligation;
use accord_messages::Lang;
use accord_model::{Arg, Finding, Instant, Record, RecordBody, RecordId, Severity};

use crate::charts::ChartError;
use crate::html::{
    ReportInput, STYLE, class_of, esc, finding_rows, forces_section, levels_section, say,
};

/// The dashboard's pages, as its navigation lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Agreements, findings by severity, open deadlines, the logs.
    Overview,
    /// The findings, filtered.
    Findings,
    /// Records and charts over time.
    Timeline,
    /// The hotline: send, inbox, receipts.
    Hotline,
    /// Escrow commitments, reveals, limit proofs and draws.
    Escrow,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Overview,
        Tab::Findings,
        Tab::Timeline,
        Tab::Hotline,
        Tab::Escrow,
    ];

    /// The page's path on the node.
    pub fn path(self) -> &'static str {
        match self {
            Tab::Overview => "/",
            Tab::Findings => "/findings",
            Tab::Timeline => "/timeline",
            Tab::Hotline => "/hotline",
            Tab::Escrow => "/escrow",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Tab::Overview => "dash-tab-overview",
            Tab::Findings => "dash-tab-findings",
            Tab::Timeline => "dash-tab-timeline",
            Tab::Hotline => "dash-tab-hotline",
            Tab::Escrow => "dash-tab-escrow",
        }
    }
}

/// What every page shares: the language, the node's party, the instant shown.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// The language of the page.
    pub lang: Lang,
    /// The party whose node serves the page.
    pub party: &'a str,
    /// The instant asked for with `?as_of=`, if any (else the node's present).
    pub as_of: Option<Instant>,
    /// The instant the page shows.
    pub at: Instant,
}

impl Frame<'_> {
    fn word(&self, id: &str) -> String {
        esc(&accord_messages::word(self.lang, id))
    }

    /// A link to `path` that keeps the page's language and instant, with `extra` query pairs.
    pub fn link(&self, path: &str, extra: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(String, String)> = vec![("lang".into(), self.lang.code().into())];
        if let Some(t) = self.as_of {
            pairs.push(("as_of".into(), t.to_string()));
        }
        for (k, v) in extra {
            if !v.is_empty() {
                pairs.push(((*k).into(), (*v).into()));
            }
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect();
        esc(&format!("{path}?{}", query.join("&")))
    }

    /// The address of a record's page.
    pub fn record_link(&self, id: &RecordId) -> String {
        self.record_link_at(id, None)
    }

    /// The address of the page of a record as logged at `at` (its log's origin line and its
    /// index there): that entry, with its inclusion proof.
    pub fn record_link_at(&self, id: &RecordId, at: Option<(&str, u64)>) -> String {
        let path = format!("/records/{}", url_encode(id.as_str()));
        match at {
            Some((origin, index)) => {
                self.link(&path, &[("origin", origin), ("index", &index.to_string())])
            }
            None => self.link(&path, &[]),
        }
    }
}

/// An instant to the second (RFC 3339): the nanoseconds a node's clock gives say nothing to a
/// reader.
fn seconds(t: Instant) -> String {
    t.round(jiff::Unit::Second).unwrap_or(t).to_string()
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Wraps a page's body in the layout: navigation, the instant form, the language switch.
pub fn layout(frame: &Frame<'_>, current: Option<Tab>, title: &str, body: &str) -> String {
    let lang = frame.lang;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · {}</title><style>{STYLE}{DASH_STYLE}</style></head><body>\n",
        lang.code(),
        esc(title),
        esc(frame.party)
    );
    let _ = write!(
        h,
        "<header><nav aria-label=\"{}\"><ul>",
        frame.word("dash-nav")
    );
    for tab in Tab::ALL {
        let current_attr = if Some(tab) == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            h,
            "<li><a href=\"{}\"{current_attr}>{}</a></li>",
            frame.link(tab.path(), &[]),
            frame.word(tab.word())
        );
    }
    h.push_str("</ul></nav>");
    let as_of = frame.as_of.map(|t| t.to_string()).unwrap_or_default();
    let _ = write!(
        h,
        "<form class=\"asof\" method=\"get\"><input type=\"hidden\" name=\"lang\" value=\"{}\">\
         <label for=\"as_of\">{}</label> <input id=\"as_of\" name=\"as_of\" value=\"{}\" \
         placeholder=\"2022-02-20T00:00:00Z\" size=\"22\"> <button type=\"submit\">{}</button></form>",
        lang.code(),
        frame.word("dash-as-of"),
        esc(&as_of),
        frame.word("dash-show"),
    );
    let other = match lang {
        Lang::En => Lang::Ru,
        Lang::Ru => Lang::En,
    };
    let _ = write!(
        h,
        "<p class=\"lang\"><a href=\"?lang={}{}\" hreflang=\"{}\" lang=\"{}\">{}</a></p></header>\n<main>\n<h1>{}</h1>\n<p class=\"at\">{}</p>\n",
        other.code(),
        frame
            .as_of
            .map(|t| format!("&amp;as_of={}", url_encode(&t.to_string())))
            .unwrap_or_default(),
        other.code(),
        other.code(),
        esc(&accord_messages::word(other, "dash-language-name")),
        esc(title),
        esc(&say(
            lang,
            "dash-showing",
            &[
                ("party", Arg::Id(frame.party.into())),
                ("instant", Arg::Id(seconds(frame.at).into())),
            ]
        )),
    );
    h.push_str(body);
    h.push_str("</main></body></html>\n");
    h
}

const DASH_STYLE: &str = "header{display:flex;flex-wrap:wrap;gap:1em;align-items:center;border-bottom:1px solid #ccc;padding-bottom:.5em}\
nav ul{list-style:none;display:flex;gap:1em;margin:0;padding:0}nav a[aria-current]{font-weight:bold}\
form.asof{margin-left:auto}.lang{margin:0}.at{color:#444}a{color:#0b57a4}\
.filters{display:flex;flex-wrap:wrap;gap:.8em;align-items:end;margin:1em 0}.filters label{display:block;font-size:.85em}\
.valid{color:#14632d;font-weight:bold}.invalid{color:#a4161a;font-weight:bold}.pager{margin:1em 0;display:flex;gap:1em}\
textarea{width:100%;min-height:5em}.mono{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all}";

/// An agreement the node holds, as the overview lists it.
#[derive(Debug, Clone)]
pub struct AgreementRow {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its status at the instant shown, in words.
    pub status: String,
    /// The SHA-256 of its file.
    pub sha256: String,
}

/// A log the node holds, as the overview lists it.
#[derive(Debug, Clone)]
pub struct LogRow {
    /// Its origin line.
    pub origin: String,
    /// The party that writes it.
    pub party: String,
    /// The entries the node holds.
    pub size: u64,
    /// The size of its latest checkpoint that meets the witness policy, if one does.
    pub final_size: Option<u64>,
    /// The witnesses that cosigned the latest checkpoint.
    pub cosigners: Vec<String>,
}

/// What the overview shows.
#[derive(Debug, Clone, Copy)]
pub struct Overview<'a> {
    /// The agreements held.
    pub agreements: &'a [AgreementRow],
    /// Every finding at the instant shown.
    pub findings: &'a [Finding],
    /// Obligations still open, as the compliance engine reads them.
    pub deadlines: &'a [accord_compliance::Deadline],
    /// The logs held: the node's own and its mirrors.
    pub logs: &'a [LogRow],
    /// Alerts in words: equivocation, new violations, deadlines near.
    pub alerts: &'a [String],
}

/// Alerts listed on the overview; the rest are a link away.
const ALERTS_SHOWN: usize = 10;

/// The overview page.
pub fn overview(frame: &Frame<'_>, o: &Overview<'_>) -> String {
    let lang = frame.lang;
    let mut h = String::new();
    if !o.alerts.is_empty() {
        let _ = write!(
            h,
            "<section aria-labelledby=\"alerts\"><h2 id=\"alerts\">{}</h2><ul>",
            frame.word("dash-alerts")
        );
        for a in o.alerts.iter().take(ALERTS_SHOWN) {
            let _ = write!(h, "<li class=\"violation\">{}</li>", esc(a));
        }
        if o.alerts.len() > ALERTS_SHOWN {
            let _ = write!(
                h,
                "<li><a href=\"{}\">{}</a></li>",
                frame.link(Tab::Findings.path(), &[("severity", "violation")]),
                esc(&say(
                    lang,
                    "dash-alerts-more",
                    &[("count", num(o.alerts.len() - ALERTS_SHOWN))]
                ))
            );
        }
        h.push_str("</ul></section>\n");
    }
    let _ = write!(
        h,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>SHA-256</th></tr>",
        frame.word("dash-agreements"),
        frame.word("report-agreement"),
        frame.word("dash-status"),
    );
    for a in o.agreements {
        let _ = write!(
            h,
            "<tr><td><code>{}</code> {}</td><td>{}</td><td class=\"mono\">{}</td></tr>",
            esc(&a.id),
            esc(&a.title),
            esc(&a.status),
            esc(&a.sha256)
        );
    }
    h.push_str("</table>\n");
    let _ = write!(
        h,
        "<h2>{}</h2><ul class=\"tally\">",
        frame.word("dash-by-severity")
    );
    for s in [
        Severity::Violation,
        Severity::Concern,
        Severity::Compliant,
        Severity::NotApplicable,
    ] {
        let n = o.findings.iter().filter(|f| f.severity == s).count();
        let _ = write!(
            h,
            "<li class=\"{}\"><a href=\"{}\">{}: {}</a></li>",
            class_of(s),
            frame.link(Tab::Findings.path(), &[("severity", class_of(s))]),
            esc(&accord_compliance::severity_word(lang, s)),
            esc(&accord_messages::format::number(
                lang,
                i64::try_from(n).unwrap_or(i64::MAX)
            ))
        );
    }
    h.push_str("</ul>\n");
    let _ = write!(h, "<h2>{}</h2>", frame.word("dash-deadlines"));
    if o.deadlines.is_empty() {
        let _ = write!(h, "<p>{}</p>", frame.word("dash-none"));
    } else {
        let _ = write!(
            h,
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            frame.word("dash-what"),
            frame.word("report-agreement"),
            frame.word("dash-due"),
            frame.word("dash-time-left")
        );
        for d in o.deadlines {
            let left = d.due.duration_since(frame.at);
            let left_words = if left.is_negative() {
                frame.word("dash-overdue")
            } else {
                let hours = left.as_secs() / 3600;
                esc(&say(
                    lang,
                    "dash-hours-left",
                    &[("hours", Arg::Number(hours))],
                ))
            };
            let what = match &d.owed {
                Obligation::Reply { request, .. } => format!(
                    "{} (<a href=\"{}\">{}</a>)",
                    esc(&owed_text(lang, d)),
                    frame.record_link(request),
                    esc(request.as_str())
                ),
                Obligation::Exchange { .. } => esc(&owed_text(lang, d)),
            };
            let _ = write!(
                h,
                "<tr><td>{what}</td><td><code>{} {}</code></td><td>{}</td><td>{}</td></tr>",
                esc(d.agreement.as_str()),
                esc(d.provision.as_str()),
                esc(&seconds(d.due)),
                left_words
            );
        }
        h.push_str("</table>\n");
    }
    let _ = write!(
        h,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        frame.word("dash-logs"),
        frame.word("dash-party"),
        frame.word("dash-origin"),
        frame.word("dash-size"),
        frame.word("dash-final"),
        frame.word("dash-cosigners"),
    );
    for l in o.logs {
        let fin = match l.final_size {
            Some(n) => {
                let lag = l.size.saturating_sub(n);
                esc(&say(
                    lang,
                    "dash-final-size",
                    &[
                        ("size", Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))),
                        ("lag", Arg::Number(i64::try_from(lag).unwrap_or(i64::MAX))),
                    ],
                ))
            }
            None => frame.word("dash-not-final"),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.party),
            esc(&l.origin),
            l.size,
            fin,
            esc(&l.cosigners.join(", "))
        );
    }
    h.push_str("</table>\n");
    h
}

/// What an open deadline asks of whom, in words.
pub fn owed_text(lang: Lang, d: &accord_compliance::Deadline) -> String {
    match &d.owed {
        Obligation::Reply { requester, .. } => say(
            lang,
            "dash-owed-reply",
            &[
                ("party", Arg::Id(d.party.as_str().into())),
                ("requester", Arg::Id(requester.as_str().into())),
            ],
        ),
        Obligation::Exchange { as_of } => say(
            lang,
            "dash-owed-exchange",
            &[
                ("party", Arg::Id(d.party.as_str().into())),
                ("as_of", Arg::Date(*as_of)),
            ],
        ),
    }
}

/// The filters of the findings page, as its query gives them.
#[derive(Debug, Clone, Default)]
pub struct FindingsQuery {
    /// Only this agreement.
    pub agreement: Option<String>,
    /// Only this party.
    pub party: Option<String>,
    /// Only this severity (`violation`, `concern`, `compliant`, `not_applicable`).
    pub severity: Option<String>,
    /// The page, from 0.
    pub page: usize,
}

/// Findings per page of the findings page.
pub const PAGE_SIZE: usize = 100;

impl FindingsQuery {
    /// Whether a finding passes the filters.
    pub fn admits(&self, f: &Finding) -> bool {
        self.agreement
            .as_deref()
            .is_none_or(|a| f.agreement.as_str() == a)
            && self.party.as_deref().is_none_or(|p| f.party.as_str() == p)
            && self
                .severity
                .as_deref()
                .is_none_or(|s| class_of(f.severity) == s)
    }
}

fn options(h: &mut String, name: &str, label: &str, values: &[String], chosen: Option<&str>) {
    let _ = write!(
        h,
        "<div><label for=\"f-{name}\">{label}</label><select id=\"f-{name}\" name=\"{name}\"><option value=\"\">*</option>"
    );
    for v in values {
        let sel = if Some(v.as_str()) == chosen {
            " selected"
        } else {
            ""
        };
        let _ = write!(h, "<option{sel}>{}</option>", esc(v));
    }
    h.push_str("</select></div>");
}

/// The findings page: filters, the matching findings a page at a time (not-applicable ones
/// folded away), each linking to the records it cites.
pub fn findings_page(frame: &Frame<'_>, findings: &[Finding], q: &FindingsQuery) -> String {
    let lang = frame.lang;
    let mut agreements: Vec<String> = findings.iter().map(|f| f.agreement.to_string()).collect();
    agreements.sort();
    agreements.dedup();
    let mut parties: Vec<String> = findings.iter().map(|f| f.party.to_string()).collect();
    parties.sort();
    parties.dedup();
    let severities: Vec<String> = ["violation", "concern", "compliant", "not_applicable"]
        .map(str::to_owned)
        .to_vec();
    let mut h = String::new();
    let _ = write!(
        h,
        "<form class=\"filters\" method=\"get\"><input type=\"hidden\" name=\"lang\" value=\"{}\">",
        lang.code()
    );
    if let Some(t) = frame.as_of {
        let _ = write!(
            h,
            "<input type=\"hidden\" name=\"as_of\" value=\"{}\">",
            esc(&t.to_string())
        );
    }
    options(
        &mut h,
        "agreement",
        &frame.word("report-agreement"),
        &agreements,
        q.agreement.as_deref(),
    );
    options(
        &mut h,
        "party",
        &frame.word("dash-party"),
        &parties,
        q.party.as_deref(),
    );
    options(
        &mut h,
        "severity",
        &frame.word("report-col-severity"),
        &severities,
        q.severity.as_deref(),
    );
    let _ = writeln!(
        h,
        "<div><button type=\"submit\">{}</button></div></form>",
        frame.word("dash-filter")
    );
    let matching: Vec<&Finding> = findings.iter().filter(|f| q.admits(f)).collect();
    let (applicable, na): (Vec<&Finding>, Vec<&Finding>) = matching
        .iter()
        .partition(|f| f.severity != Severity::NotApplicable);
    let pages = applicable.len().div_ceil(PAGE_SIZE).max(1);
    let page = q.page.min(pages - 1);
    let shown = &applicable
        [(page * PAGE_SIZE).min(applicable.len())..((page + 1) * PAGE_SIZE).min(applicable.len())];
    let _ = writeln!(
        h,
        "<p>{}</p>",
        esc(&say(
            lang,
            "dash-findings-count",
            &[
                ("shown", num(shown.len())),
                ("matching", num(applicable.len())),
                ("total", num(findings.len())),
            ]
        ))
    );
    let link = |id: &RecordId, at: Option<(&str, u64)>| frame.record_link_at(id, at);
    finding_rows(&mut h, shown, lang, &link);
    if pages > 1 {
        let keep = |p: usize| {
            let page = p.to_string();
            frame.link(
                Tab::Findings.path(),
                &[
                    ("agreement", q.agreement.as_deref().unwrap_or("")),
                    ("party", q.party.as_deref().unwrap_or("")),
                    ("severity", q.severity.as_deref().unwrap_or("")),
                    ("page", &page),
                ],
            )
        };
        h.push_str("<nav class=\"pager\">");
        if page > 0 {
            let _ = write!(
                h,
                "<a href=\"{}\">{}</a>",
                keep(page - 1),
                frame.word("dash-previous")
            );
        }
        let _ = write!(
            h,
            "<span>{}</span>",
            esc(&say(
                lang,
                "dash-page-of",
                &[("page", num(page + 1)), ("pages", num(pages))]
            ))
        );
        if page + 1 < pages {
            let _ = write!(
                h,
                "<a href=\"{}\">{}</a>",
                keep(page + 1),
                frame.word("dash-next")
            );
        }
        h.push_str("</nav>\n");
    }
    if !na.is_empty() {
        let _ = writeln!(
            h,
            "<details class=\"not_applicable\"><summary>{}</summary>",
            esc(&say(
                lang,
                "report-not-applicable",
                &[("count", num(na.len()))]
            ))
        );
        finding_rows(&mut h, &na[..na.len().min(PAGE_SIZE)], lang, &link);
        h.push_str("</details>\n");
    }
    h
}

fn num(n: usize) -> Arg {
    Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A record as its page shows it: where it is logged and the proof that it is.
#[derive(Debug, Clone, Copy)]
pub struct RecordPage<'a> {
    /// The record.
    pub record: &'a Record,
    /// The origin line of the log that holds it.
    pub origin: &'a str,
    /// Its index in that log.
    pub index: u64,
    /// The log entry, base64 (the DSSE envelope's bytes).
    pub entry_b64: &'a str,
    /// The inclusion proof's hashes, base64, against the checkpoint below.
    pub proof: &'a [String],
    /// The checkpoint the proof leads to, as a signed note with its cosignatures.
    pub checkpoint: &'a str,
    /// The log's verifier key and the witnesses' keys this node trusts (signed-note vkeys).
    pub node_keys: &'a [String],
}

/// A record's page: the record, its signer, its log and index, the inclusion proof and the
/// cosigned checkpoint, and a script that re-checks them in the browser against keys the reader
/// pins, so the reader need not trust the server.
pub fn record_page(frame: &Frame<'_>, r: &RecordPage<'_>) -> String {
    let json = serde_json::to_string_pretty(r.record).unwrap_or_default();
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<table><tr><th>{}</th><td>{}</td></tr><tr><th>{}</th><td>{}</td></tr>\
         <tr><th>{}</th><td class=\"mono\">{}</td></tr><tr><th>{}</th><td>{}</td></tr></table>",
        frame.word("dash-signer"),
        esc(r.record.party.as_str()),
        frame.word("dash-issued"),
        esc(&r.record.issued_at.to_string()),
        frame.word("dash-origin"),
        esc(r.origin),
        frame.word("dash-index"),
        r.index
    );
    let _ = writeln!(
        h,
        "<h2>{}</h2><pre>{}</pre>",
        frame.word("dash-record"),
        esc(&json)
    );
    let _ = write!(
        h,
        "<h2>{}</h2><p>{}</p>\
         <pre id=\"checkpoint\">{}</pre>\
         <ol id=\"proof\" class=\"mono\">",
        frame.word("dash-proof"),
        frame.word("dash-proof-caption"),
        esc(r.checkpoint)
    );
    for p in r.proof {
        let _ = write!(h, "<li>{}</li>", esc(p));
    }
    let _ = write!(
        h,
        "</ol><p class=\"mono\" id=\"entry\" data-index=\"{}\" hidden>{}</p>",
        r.index,
        esc(r.entry_b64)
    );
    let _ = write!(
        h,
        "<h3>{}</h3><p>{}</p><ul id=\"pinned\" class=\"mono\"></ul>\
         <label for=\"pin\">{}</label><textarea id=\"pin\" placeholder=\"name+1a2b3c4d+AQ...\"></textarea>\
         <p><button type=\"button\" id=\"pin-add\">{}</button> <button type=\"button\" id=\"pin-clear\">{}</button> \
         <button type=\"button\" id=\"check\">{}</button></p><p id=\"result\" role=\"status\"></p>\
         <details><summary>{}</summary><ul class=\"mono\">",
        frame.word("dash-pinned"),
        frame.word("dash-pinned-caption"),
        frame.word("dash-pin-label"),
        frame.word("dash-pin"),
        frame.word("dash-unpin"),
        frame.word("dash-check"),
        frame.word("dash-node-keys"),
    );
    for k in r.node_keys {
        let _ = write!(h, "<li>{}</li>", esc(k));
    }
    let words: Vec<(&str, String)> = [
        "dash-check-valid",
        "dash-check-invalid",
        "dash-check-no-keys",
        "dash-fingerprint",
    ]
    .iter()
    .map(|id| (*id, accord_messages::word(frame.lang, id)))
    .collect();
    let words_json = serde_json::to_string(
        &words
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<std::collections::BTreeMap<_, _>>(),
    )
    .unwrap_or_default();
    let _ = write!(
        h,
        "</ul></details>\n<script id=\"words\" type=\"application/json\">{}</script>\n<script>{PROOF_CHECK}</script>\n",
        words_json.replace("</", "<\\/")
    );
    h
}

/// The in-browser check of a record page: RFC 6962 inclusion with SHA-256, the checkpoint's
/// Ed25519 signature and its cosignatures (C2SP signed-note and tlog-cosignature), by WebCrypto,
/// against keys the reader pinned in the browser's storage.
const PROOF_CHECK: &str = include_str!("proof_check.js");

/// How many records the timeline lists, newest first.
const TIMELINE_ROWS: usize = 500;

/// What the timeline shows: the report's input, for its charts and records.
pub fn timeline(frame: &Frame<'_>, input: &ReportInput<'_>) -> Result<String, ChartError> {
    let lang = frame.lang;
    let mut h = String::new();
    let forces = forces_section(input)?;
    if !forces.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>", frame.word("report-forces-heading"));
        h.push_str(&forces);
    }
    let levels = levels_section(input)?;
    if !levels.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>", frame.word("report-levels-heading"));
        h.push_str(&levels);
    }
    let _ = write!(
        h,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        frame.word("dash-records"),
        frame.word("dash-issued"),
        frame.word("dash-party"),
        frame.word("dash-kind"),
        frame.word("dash-record"),
    );
    let mut records: Vec<&Record> = input
        .state
        .records()
        .iter()
        .filter(|r| r.issued_at <= input.at)
        .collect();
    // The newest 500 only: picked in linear time, then only they are sorted.
    let newest_first =
        |a: &&Record, b: &&Record| b.issued_at.cmp(&a.issued_at).then(a.id.cmp(&b.id));
    if records.len() > TIMELINE_ROWS {
        records.select_nth_unstable_by(TIMELINE_ROWS, newest_first);
        records.truncate(TIMELINE_ROWS);
    }
    records.sort_unstable_by(newest_first);
    for r in &records {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td><a href=\"{}\">{}</a></td></tr>",
            esc(&accord_messages::format::date(
                lang,
                accord_state::date_of(r.issued_at)
            )),
            esc(r.party.as_str()),
            esc(kind_of(r)),
            frame.record_link(&r.id),
            esc(r.id.as_str())
        );
    }
    h.push_str("</table>\n");
    Ok(h)
}

/// A record's type as its JSON names it.
fn kind_of(r: &Record) -> &'static str {
    match &r.body {
        RecordBody::Declaration(_) => "declaration",
        RecordBody::Notification(_) => "notification",
        RecordBody::AnnualCalendar(_) => "annual_calendar",
        RecordBody::Acknowledgement(_) => "acknowledgement",
        RecordBody::ExplanationRequest(_) => "explanation_request",
        RecordBody::ExplanationReply(_) => "explanation_reply",
        RecordBody::InspectionRequest(_) => "inspection_request",
        RecordBody::InspectionReport(_) => "inspection_report",
        RecordBody::Observation(_) => "observation",
        RecordBody::DeclarationCommitment(_) => "declaration_commitment",
        RecordBody::Reveal(_) => "reveal",
        RecordBody::LimitProof(_) => "limit_proof",
        RecordBody::SeedCommit(_) => "seed_commit",
        RecordBody::SeedReveal(_) => "seed_reveal",
        RecordBody::HotlineMessage(_) => "hotline_message",
        RecordBody::HotlineReceipt(_) => "hotline_receipt",
        _ => "record",
    }
}

/// A hotline message as the hotline page lists it.
#[derive(Debug, Clone)]
pub struct HotlineRow {
    /// The other end of the channel.
    pub peer: String,
    /// The message's sequence number on its channel.
    pub seq: u64,
    /// Its text.
    pub text: String,
    /// When it was sent.
    pub sent_at: Instant,
    /// When it was delivered, if a receipt says so.
    pub delivered: Option<Instant>,
    /// When it was read, if a receipt says so.
    pub read: Option<Instant>,
}

/// The hotline page: a form to send (for operators who may), the inbox and the sent messages
/// with their delivery and read receipts.
pub fn hotline(
    frame: &Frame<'_>,
    peers: &[String],
    inbox: &[HotlineRow],
    sent: &[HotlineRow],
    can_send: bool,
) -> String {
    let mut h = String::new();
    if can_send {
        let _ = write!(
            h,
            "<h2>{}</h2><form method=\"post\" action=\"{}\"><label for=\"to\">{}</label> <select id=\"to\" name=\"to\">",
            frame.word("dash-send"),
            frame.link("/hotline/send", &[]),
            frame.word("dash-to"),
        );
        for p in peers {
            let _ = write!(h, "<option value=\"{0}\">{0}</option>", esc(p));
        }
        let _ = writeln!(
            h,
            "</select><label for=\"text\">{}</label><textarea id=\"text\" name=\"text\" maxlength=\"4000\" required></textarea>\
             <button type=\"submit\">{}</button></form>",
            frame.word("dash-text"),
            frame.word("dash-send")
        );
    }
    for (heading, rows, from) in [
        ("dash-inbox", inbox, "dash-from"),
        ("dash-sent", sent, "dash-to"),
    ] {
        let _ = write!(
            h,
            "<h2>{}</h2><table><tr><th>{}</th><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            frame.word(heading),
            frame.word(from),
            frame.word("dash-text"),
            frame.word("dash-issued"),
            frame.word("dash-delivered"),
            frame.word("dash-read"),
        );
        for m in rows {
            let when = |t: Option<Instant>| t.map(|t| esc(&seconds(t))).unwrap_or_default();
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&m.peer),
                m.seq,
                esc(&m.text),
                esc(&seconds(m.sent_at)),
                when(m.delivered),
                when(m.read)
            );
        }
        h.push_str("</table>\n");
    }
    h
}

/// The escrow page: commitments, reveals by phase, limit proofs and seeds from the records known
/// at the instant shown, and the records that failed their check on arrival.
pub fn escrow(frame: &Frame<'_>, records: &[Record], failed: &[(RecordId, String)]) -> String {
    let mut h = String::new();
    let rows = |h: &mut String, heading: &str, pick: &dyn Fn(&Record) -> Option<String>| {
        let mut list: Vec<(&Record, String)> = records
            .iter()
            .filter(|r| r.issued_at <= frame.at)
            .filter_map(|r| pick(r).map(|d| (r, d)))
            .collect();
        list.sort_by_key(|(r, _)| r.issued_at);
        let _ = write!(
            h,
            "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            frame.word(heading),
            frame.word("dash-issued"),
            frame.word("dash-party"),
            frame.word("dash-record"),
            frame.word("dash-what"),
        );
        for (r, d) in &list {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td><a href=\"{}\">{}</a></td><td>{}</td></tr>",
                esc(&r.issued_at.to_string()),
                esc(r.party.as_str()),
                frame.record_link(&r.id),
                esc(r.id.as_str()),
                esc(d)
            );
        }
        if list.is_empty() {
            let _ = write!(
                h,
                "<tr><td colspan=\"4\">{}</td></tr>",
                frame.word("dash-none")
            );
        }
        h.push_str("</table>\n");
    };
    rows(&mut h, "dash-commitments", &|r| match &r.body {
        RecordBody::DeclarationCommitment(c) => Some(format!(
            "{} · {} · {}",
            c.agreement,
            c.as_of,
            say(
                frame.lang,
                "dash-entries",
                &[(
                    "count",
                    Arg::Number(i64::try_from(c.entries).unwrap_or(i64::MAX))
                )]
            )
        )),
        _ => None,
    });
    rows(&mut h, "dash-reveals", &|r| match &r.body {
        RecordBody::Reveal(v) => Some(format!("{} · {}", v.commitment, v.phase)),
        _ => None,
    });
    rows(&mut h, "dash-limit-proofs", &|r| match &r.body {
        RecordBody::LimitProof(p) => Some(format!(
            "{} / {} · {} · {}",
            p.agreement, p.provision, p.commitment, p.as_of
        )),
        _ => None,
    });
    rows(&mut h, "dash-seeds", &|r| match &r.body {
        RecordBody::SeedCommit(s) => Some(format!("{} · {}", s.round, s.commitment)),
        RecordBody::SeedReveal(s) => Some(format!("{} · {}", s.round, s.commit)),
        _ => None,
    });
    let _ = write!(h, "<h2>{}</h2>", frame.word("dash-failed-checks"));
    if failed.is_empty() {
        let _ = write!(h, "<p>{}</p>", frame.word("dash-none"));
    } else {
        h.push_str("<ul>");
        for (id, why) in failed {
            let _ = write!(
                h,
                "<li class=\"violation\"><a href=\"{}\">{}</a>: {}</li>",
                frame.record_link(id),
                esc(id.as_str()),
                esc(why)
            );
        }
        h.push_str("</ul>");
    }
    h
}
