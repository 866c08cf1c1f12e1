//! A self-contained HTML report in a language: the agreements, the observed forces against
//! thresholds, the declared levels against limits, the findings with links to the records they
//! cite, and those records embedded (drawn with plotters; no network needed to view).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use accord_agreements::{Agreement, ProvisionBody};
use accord_compliance::{evidence_line, severity_word};
use accord_messages::Lang;
use accord_model::{Arg, Basis, Evidence, Finding, Instant, Message, PartyId, RecordId, Severity};
use accord_state::{State, date_of};

use crate::charts::{
    ChartError, Drawn, Event, ForceSeries, LevelPoint, ThresholdLine, forces_chart, level_series,
    limit_chart,
};

/// What an HTML report shows.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// The title of the page.
    pub title: &'a str,
    /// A description in words.
    pub description: &'a str,
    /// The agreements evaluated.
    pub agreements: &'a [Agreement],
    /// The agreements assumed in force.
    pub assumed: &'a [accord_model::AgreementId],
    /// The state.
    pub state: &'a State,
    /// The instant evaluated.
    pub at: Instant,
    /// The findings, sorted.
    pub findings: &'a [Finding],
    /// The language of the page.
    pub lang: Lang,
}

pub(crate) fn say(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let mut m = Message::new(id);
    for (k, v) in args {
        m = m.arg(*k, v.clone());
    }
    accord_messages::render(lang, &m)
}

fn num(n: usize) -> Arg {
    Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
}

pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}\
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ddd;padding:.35em .5em;vertical-align:top;text-align:left}\
.violation{background:#fde0e0}.concern{background:#fff3cd}.compliant{background:#e6f4ea}.not_applicable{color:#555}\
.sev{font-weight:bold;white-space:nowrap}ul.ev{margin:.2em 0;padding-left:1.2em}code{font-size:.95em}.chart{margin:1em 0}\
.tally span{margin-right:1.5em}.basis{color:#555;font-size:.85em}details{margin:.5em 0}summary{cursor:pointer}\
pre{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:.8em}:target{outline:2px solid #1f77b4}\
.chart{display:flex;gap:1em;align-items:flex-start}ul.legend{list-style:none;padding:0;margin:1em 0;font-size:.85em}\
ul.legend li{margin:.2em 0}.swatch{display:inline-block;width:1.6em;margin-right:.4em;vertical-align:middle}";

pub(crate) fn class_of(s: Severity) -> &'static str {
    match s {
        Severity::Violation => "violation",
        Severity::Concern => "concern",
        Severity::Compliant => "compliant",
        Severity::NotApplicable => "not_applicable",
    }
}

fn basis_word(lang: Lang, b: Basis) -> String {
    let id = match b {
        Basis::Declared => "basis-declared",
        Basis::ReportedByParty => "basis-reported_by_party",
        Basis::OpenSources => "basis-open_sources",
    };
    accord_messages::word(lang, id)
}

/// A chart and its legend, the legend beside the drawing rather than over the data.
fn figure(d: &Drawn) -> String {
    let mut out = format!("<div class=\"chart\">{}<ul class=\"legend\">", d.svg);
    for i in &d.legend {
        let style = if i.dashed { "dashed" } else { "solid" };
        let _ = write!(
            out,
            "<li><span class=\"swatch\" style=\"border-top:3px {style} {}\"></span>{}</li>",
            esc(&i.colour),
            esc(&i.label)
        );
    }
    out.push_str("</ul></div>\n");
    out
}

/// An area in words: its zone's name, else its description.
fn area_name(area: &accord_model::Area) -> String {
    area.zone
        .as_ref()
        .and_then(|z| accord_agreements::Vocabulary::builtin().zones.get(z))
        .map(|z| z.name.clone())
        .unwrap_or_else(|| area.description.clone())
}

/// The anchor of an embedded record.
fn anchor(id: &RecordId) -> String {
    format!("rec-{}", esc(id.as_str()))
}

/// The address a cited record links to, from its id and, when logged, its log's origin line
/// and its index there.
pub(crate) type RecordLink<'a> = dyn Fn(&RecordId, Option<(&str, u64)>) -> String + 'a;

fn evidence_list(f: &Finding, lang: Lang, link: &RecordLink<'_>) -> String {
    let mut ev = String::from("<ul class=\"ev\">");
    for e in &f.evidence {
        let line = match e {
            Evidence::Source { url } => {
                format!(
                    "<a href=\"{}\">{}</a>",
                    esc(url),
                    esc(&evidence_line(e, lang))
                )
            }
            Evidence::Record {
                id,
                origin,
                log_index,
            } => format!(
                "<a href=\"{}\">{}</a>",
                link(id, origin.as_deref().zip(*log_index)),
                esc(&evidence_line(e, lang))
            ),
            other => esc(&evidence_line(other, lang)),
        };
        let _ = write!(ev, "<li>{line}</li>");
    }
    ev.push_str("</ul>");
    ev
}

/// A finding's text as HTML in `lang`: the message file's words escaped, and the text taken
/// verbatim from records and agreement files (names, titles, units) marked as of no known
/// language (`lang=""`), so the page claims its language only for its own words.
pub(crate) fn finding_html(f: &Finding, lang: Lang) -> String {
    const OPEN: char = '\u{E000}';
    const CLOSE: char = '\u{E001}';
    let mut texts: Vec<String> = Vec::new();
    let mut mark = |m: &Message| {
        let mut m = m.clone();
        m.args.for_each_text_mut(&mut |t| {
            texts.push(std::mem::take(t).to_string());
            *t = format!("{OPEN}{}{CLOSE}", texts.len() - 1).into();
        });
        m
    };
    let message = mark(&f.message);
    let notes: Vec<Message> = f.notes.iter().map(&mut mark).collect();
    let text = esc(&accord_messages::render_finding(lang, &message, &notes));
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len_utf8()..];
        let Some(end) = after.find(CLOSE) else {
            rest = after;
            break;
        };
        match after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|n| texts.get(n))
        {
            Some(t) => {
                let _ = write!(out, "<span lang=\"\">{}</span>", esc(t));
            }
            None => out.push_str(&after[..end]),
        }
        rest = &after[end + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}
/// The findings as table rows, each citing its records through `link`.
pub(crate) fn finding_rows(
    h: &mut String,
    findings: &[&Finding],
    lang: Lang,
    link: &RecordLink<'_>,
) {
    let _ = writeln!(
        h,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(&accord_messages::word(lang, "report-col-severity")),
        esc(&accord_messages::word(lang, "report-col-subject")),
        esc(&accord_messages::word(lang, "report-col-found")),
        esc(&accord_messages::word(lang, "report-col-evidence")),
    );
    for f in findings {
        let _ = writeln!(
            h,
            "<tr class=\"{}\"><td class=\"sev\">{}</td><td><code>{}</code><br><code>{}</code><br>{}</td><td>{}<br><span class=\"basis\">{}</span></td><td>{}</td></tr>",
            class_of(f.severity),
            esc(&severity_word(lang, f.severity)),
            esc(f.agreement.as_str()),
            esc(f.provision.as_str()),
            esc(f.party.as_str()),
            finding_html(f, lang),
            esc(&basis_word(lang, f.basis)),
            evidence_list(f, lang, link)
        );
    }
    h.push_str("</table>\n");
}

/// The observed-forces charts: per agreement with notification or observation thresholds and
/// per party observed, the observations by area against the thresholds, with requests for
/// explanation and their deadlines.
pub(crate) fn forces_section(input: &ReportInput<'_>) -> Result<String, ChartError> {
    let lang = input.lang;
    let until = date_of(input.at);
    let mut out = String::new();
    for a in input.agreements {
        let mut thresholds: Vec<(accord_model::Category, ThresholdLine)> = Vec::new();
        let mut reply_hours = None;
        let mut parties: BTreeSet<&PartyId> = BTreeSet::new();
        for p in &a.provisions {
            let ts = match &p.body {
                ProvisionBody::Notification(x) => &x.thresholds,
                ProvisionBody::Observation(x) => &x.thresholds,
                ProvisionBody::RiskReduction(x) => {
                    reply_hours.get_or_insert(x.reply_within_hours);
                    continue;
                }
                _ => continue,
            };
            parties.extend(p.applies_to.iter());
            for t in ts {
                thresholds.push((
                    t.category.clone(),
                    ThresholdLine {
                        at_least: t.at_least,
                        label: say(
                            lang,
                            "chart-threshold",
                            &[
                                ("provision", Arg::Id(p.id.as_str().into())),
                                ("count", Arg::Number(t.at_least as i64)),
                            ],
                        ),
                    },
                ));
            }
        }
        for party in parties {
            let observed =
                input
                    .state
                    .observations(party, accord_model::Date::MIN, until, input.at);
            let categories: BTreeSet<&accord_model::Category> = observed
                .iter()
                .map(|o| &o.observation.category)
                .filter(|c| thresholds.iter().any(|(tc, _)| tc == *c))
                .collect();
            for category in categories {
                let mut series: Vec<ForceSeries> = Vec::new();
                for o in observed
                    .iter()
                    .filter(|o| &o.observation.category == category)
                {
                    let area = area_name(&o.observation.area);
                    let point = (o.observation.date, o.observation.quantity);
                    match series.iter_mut().find(|s| s.area == area) {
                        Some(s) => s.points.push(point),
                        None => series.push(ForceSeries {
                            party: party.clone(),
                            area,
                            points: vec![point],
                        }),
                    }
                }
                for s in &mut series {
                    s.points.sort();
                }
                let lines: Vec<ThresholdLine> = thresholds
                    .iter()
                    .filter(|(c, _)| c == category)
                    .map(|(_, t)| t.clone())
                    .collect();
                let mut events = Vec::new();
                for r in input.state.requests_to(party, input.at) {
                    if r.request.agreement != a.id {
                        continue;
                    }
                    let id = Arg::Id(r.record.id.as_str().into());
                    events.push(Event {
                        date: date_of(r.record.issued_at),
                        label: say(lang, "chart-request", &[("id", id.clone())]),
                    });
                    if let Some(h) = reply_hours {
                        let due = r
                            .record
                            .issued_at
                            .checked_add(jiff::SignedDuration::from_hours(i64::from(h)))
                            .unwrap_or(r.record.issued_at);
                        events.push(Event {
                            date: date_of(due),
                            label: say(lang, "chart-deadline", &[("id", id)]),
                        });
                    }
                }
                let title = format!("{} / {party} / {category}", a.id);
                let _ = writeln!(out, "<h3>{}</h3>", esc(&title));
                let drawn =
                    forces_chart(&title, category.as_str(), &series, &lines, &events, lang)?;
                out.push_str(&figure(&drawn));
                let _ = writeln!(
                    out,
                    "<p>{}</p>",
                    esc(&say(
                        lang,
                        "report-forces-caption",
                        &[
                            ("party", Arg::Id(party.as_str().into())),
                            ("agreement", Arg::Id(a.id.as_str().into())),
                        ],
                    ))
                );
            }
        }
    }
    Ok(out)
}

pub(crate) fn levels_section(input: &ReportInput<'_>) -> Result<String, ChartError> {
    let lang = input.lang;
    let mut charts = String::new();
    for a in input.agreements {
        for p in &a.provisions {
            let ProvisionBody::Limit(l) = &p.body else {
                continue;
            };
            let mut parties: Vec<&PartyId> = p.applies_to.iter().collect();
            parties.sort();
            parties.dedup();
            let series: Vec<(PartyId, Vec<LevelPoint>)> = parties
                .into_iter()
                .map(|party| {
                    (
                        party.clone(),
                        level_series(input.state, a, l, party, input.at),
                    )
                })
                .filter(|(_, pts)| !pts.is_empty())
                .collect();
            if series.is_empty() {
                continue;
            }
            let _ = writeln!(
                charts,
                "<h3><code>{}</code> / <code>{}</code>: {}</h3>",
                esc(a.id.as_str()),
                esc(p.id.as_str()),
                esc(&p.title)
            );
            charts.push_str(&figure(&limit_chart(a, p, l, &series, input.at, lang)?));
            let points: usize = series.iter().map(|(_, s)| s.len()).sum();
            let _ = writeln!(
                charts,
                "<p>{}</p>",
                esc(&say(
                    lang,
                    "report-levels-caption",
                    &[
                        ("points", num(points)),
                        ("max", Arg::Number(l.max as i64)),
                        ("unit", Arg::Text(l.unit.as_str().into())),
                    ],
                ))
            );
        }
    }
    Ok(charts)
}

/// The records the findings cite, embedded as JSON, each with an anchor the evidence links to.
fn records_section(input: &ReportInput<'_>) -> String {
    let cited: BTreeSet<&RecordId> = input
        .findings
        .iter()
        .flat_map(|f| f.evidence.iter())
        .filter_map(|e| match e {
            Evidence::Record { id, .. } => Some(id),
            _ => None,
        })
        .collect();
    let mut out = String::new();
    for id in cited {
        let Some(record) = input.state.get(id) else {
            continue;
        };
        let json = serde_json::to_string_pretty(record).unwrap_or_default();
        let _ = writeln!(
            out,
            "<details id=\"{}\"><summary><code>{}</code></summary><pre>{}</pre></details>",
            anchor(id),
            esc(id.as_str()),
            esc(&json)
        );
    }
    out
}

/// Renders the report as one self-contained HTML page in the input's language.
pub fn render_html(input: &ReportInput<'_>) -> Result<String, ChartError> {
    let lang = input.lang;
    let word = |id: &str| esc(&accord_messages::word(lang, id));
    let date = date_of(input.at);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        lang.code(),
        esc(input.title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(input.title));
    let _ = writeln!(h, "<p>{}</p>", esc(input.description.trim()));
    let _ = writeln!(
        h,
        "<p>{}</p>",
        esc(&say(
            lang,
            "report-evaluated",
            &[
                ("instant", Arg::Id(input.at.to_string().into())),
                ("records", num(input.state.len())),
            ],
        ))
    );
    let _ = writeln!(
        h,
        "<table><tr><th>{}</th><th>{}</th></tr>",
        word("report-agreement"),
        esc(&say(lang, "report-status-on", &[("date", Arg::Date(date))]))
    );
    for a in input.agreements {
        let status = accord_compliance::status_word(lang, a.status_at(date));
        let assumed = if input.assumed.contains(&a.id) {
            format!(" ({})", word("assumed-in-force"))
        } else {
            String::new()
        };
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code> {}</td><td>{}{}</td></tr>",
            esc(a.id.as_str()),
            esc(&a.title),
            esc(&status),
            assumed
        );
    }
    h.push_str("</table>\n");
    let _ = writeln!(
        h,
        "<p class=\"tally\">{}</p>",
        esc(&accord_compliance::tally(input.findings, lang))
    );

    let forces = forces_section(input)?;
    if !forces.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>", word("report-forces-heading"));
        h.push_str(&forces);
    }
    let levels = levels_section(input)?;
    if !levels.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>", word("report-levels-heading"));
        h.push_str(&levels);
    }

    let _ = writeln!(h, "<h2>{}</h2>", word("report-findings-heading"));
    let mut applicable: Vec<&Finding> = input
        .findings
        .iter()
        .filter(|f| f.severity != Severity::NotApplicable)
        .collect();
    applicable.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let link = |id: &RecordId, _: Option<(&str, u64)>| format!("#{}", anchor(id));
    finding_rows(&mut h, &applicable, lang, &link);
    let na: Vec<&Finding> = input
        .findings
        .iter()
        .filter(|f| f.severity == Severity::NotApplicable)
        .collect();
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
        finding_rows(&mut h, &na, lang, &link);
        h.push_str("</details>\n");
    }

    let records = records_section(input);
    if !records.is_empty() {
        let _ = writeln!(
            h,
            "<h2>{}</h2>\n<p>{}</p>",
            word("report-records-heading"),
            word("report-records-caption")
        );
        h.push_str(&records);
    }
    h.push_str("</body></html>\n");
    Ok(h)
}
