//! A self-contained HTML report: the findings, and per numerical limit an SVG chart of the
//! declared levels against the limit over time (drawn with plotters; no network needed to view).

use std::fmt::Write as _;

use accord_agreements::{Agreement, Limit, Provision, ProvisionBody};
use accord_model::{Date, Evidence, Finding, Instant, PartyId, Severity};
use accord_state::{State, date_of};
use plotters::prelude::*;

use accord_compliance::{evidence_line, group_digits};

/// A chart that could not be drawn.
#[derive(Debug, Clone, thiserror::Error)]
#[error("chart {title}: {message}")]
pub struct ChartError {
    /// The chart's title.
    pub title: String,
    /// What the drawing backend reported.
    pub message: String,
}

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
}

/// One point of a declared-level series: when, how much, which record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelPoint {
    /// The date the figures hold for.
    pub as_of: Date,
    /// The counted level.
    pub level: u64,
    /// The declaration record.
    pub record: accord_model::RecordId,
}

/// The declared levels of a party under a limit, oldest first, as visible at `at`.
pub fn level_series(
    state: &State,
    agreement: &Agreement,
    limit: &Limit,
    party: &PartyId,
    at: Instant,
) -> Vec<LevelPoint> {
    state
        .declarations(&agreement.id, party, at)
        .iter()
        .filter_map(|d| {
            accord_compliance::limit_level(limit, d).map(|level| LevelPoint {
                as_of: d.declaration.as_of,
                level,
                record: d.record.id.clone(),
            })
        })
        .collect()
}

fn year_fraction(d: Date) -> f64 {
    f64::from(d.year()) + f64::from(d.day_of_year() - 1) / 365.25
}

const COLOURS: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
];

/// Draws one limit chart as SVG text.
pub fn limit_chart(
    provision: &Provision,
    limit: &Limit,
    series: &[(PartyId, Vec<LevelPoint>)],
    at: Instant,
) -> Result<String, ChartError> {
    let title = format!("{} ({})", limit.name, provision.cite);
    let err = |e: &dyn std::fmt::Display| ChartError {
        title: title.clone(),
        message: e.to_string(),
    };
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| year_fraction(p.as_of)))
        .chain(provision.binds_from.map(year_fraction))
        .collect();
    let ys: Vec<u64> = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| p.level))
        .chain([limit.max])
        .collect();
    let x0 = xs.iter().copied().fold(f64::INFINITY, f64::min).floor();
    let x1 = xs
        .iter()
        .copied()
        .chain([year_fraction(date_of(at)).min(x0 + 60.0)])
        .fold(f64::NEG_INFINITY, f64::max)
        .ceil()
        .max(x0 + 1.0);
    let ymax = *ys.iter().max().unwrap_or(&1) as f64 * 1.08;
    let ymin = (*ys.iter().min().unwrap_or(&0) as f64 * 0.85).floor();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 340)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&title, ("sans-serif", 15))
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(64)
            .build_cartesian_2d(x0..x1, ymin..ymax)
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc("as of")
            .y_desc(limit.unit.as_str())
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| group_digits(*y as u64))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| err(&e))?;
        let red = RGBColor(200, 0, 0);
        chart
            .draw_series(LineSeries::new(
                [(x0, limit.max as f64), (x1, limit.max as f64)],
                red.stroke_width(2),
            ))
            .map_err(|e| err(&e))?
            .label(format!("limit {}", group_digits(limit.max)))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], red.stroke_width(2)));
        if let Some(from) = provision.binds_from {
            let x = year_fraction(from);
            let grey = RGBColor(120, 120, 120);
            chart
                .draw_series(DashedLineSeries::new(
                    [(x, ymin), (x, ymax)],
                    6,
                    4,
                    grey.stroke_width(1),
                ))
                .map_err(|e| err(&e))?
                .label(format!("binds from {from}"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], grey));
        }
        for (i, (party, points)) in series.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let pts: Vec<(f64, f64)> = points
                .iter()
                .map(|p| (year_fraction(p.as_of), p.level as f64))
                .collect();
            chart
                .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))
                .map_err(|e| err(&e))?
                .label(party.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
                });
            chart
                .draw_series(pts.into_iter().map(|p| Circle::new(p, 3, colour.filled())))
                .map_err(|e| err(&e))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}

fn esc(s: &str) -> String {
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

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}\
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ddd;padding:.35em .5em;vertical-align:top;text-align:left}\
.violation{background:#fde0e0}.concern{background:#fff3cd}.compliant{background:#e6f4ea}.not_applicable{color:#777}\
.sev{font-weight:bold;white-space:nowrap}ul.ev{margin:.2em 0;padding-left:1.2em}code{font-size:.95em}.chart{margin:1em 0}\
.tally span{margin-right:1.5em}";

/// Renders the report as one self-contained HTML page.
pub fn render_html(input: &ReportInput<'_>) -> Result<String, ChartError> {
    let date = date_of(input.at);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        esc(input.title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(input.title));
    let _ = writeln!(h, "<p>{}</p>", esc(input.description.trim()));
    let _ = writeln!(
        h,
        "<p>Evaluated as of <b>{}</b> over {} records. Generated by accord; the same records and agreements give the same page.</p>",
        esc(&input.at.to_string()),
        input.state.len()
    );
    let _ = writeln!(
        h,
        "<table><tr><th>agreement</th><th>status on {date}</th></tr>"
    );
    for a in input.agreements {
        let status = a
            .status_at(date)
            .map(|s| s.to_string())
            .unwrap_or_else(|| "no status yet".into());
        let assumed = if input.assumed.contains(&a.id) {
            " (assumed in force)"
        } else {
            ""
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
    let count = |s| input.findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        h,
        "<p class=\"tally\"><span class=\"violation\">{} violations</span><span class=\"concern\">{} concerns</span><span class=\"compliant\">{} compliant</span><span class=\"not_applicable\">{} not applicable</span></p>",
        count(Severity::Violation),
        count(Severity::Concern),
        count(Severity::Compliant),
        count(Severity::NotApplicable)
    );

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
            let _ = writeln!(
                charts,
                "<div class=\"chart\">{}</div>",
                limit_chart(p, l, &series, input.at)?
            );
            let points: usize = series.iter().map(|(_, s)| s.len()).sum();
            let _ = writeln!(
                charts,
                "<p>{points} declared levels against the limit of {} {}; each point is a declaration record.</p>",
                group_digits(l.max),
                esc(&l.unit)
            );
        }
    }
    if !charts.is_empty() {
        h.push_str("<h2>Declared levels against the limits</h2>\n");
        h.push_str(&charts);
    }

    h.push_str("<h2>Findings</h2>\n<table><tr><th>severity</th><th>agreement / provision / party</th><th>what was found</th><th>evidence</th></tr>\n");
    let mut ordered: Vec<&Finding> = input.findings.iter().collect();
    ordered.sort_by_key(|f| std::cmp::Reverse(f.severity));
    for f in ordered {
        let class = match f.severity {
            Severity::Violation => "violation",
            Severity::Concern => "concern",
            Severity::Compliant => "compliant",
            Severity::NotApplicable => "not_applicable",
        };
        let mut ev = String::from("<ul class=\"ev\">");
        for e in &f.evidence {
            let line = match e {
                Evidence::Source { url } => {
                    format!("source <a href=\"{}\">{}</a>", esc(url), esc(url))
                }
                other => esc(&evidence_line(other, accord_messages::Lang::En)),
            };
            let _ = write!(ev, "<li>{line}</li>");
        }
        ev.push_str("</ul>");
        let _ = writeln!(
            h,
            "<tr class=\"{class}\"><td class=\"sev\">{}</td><td><code>{}</code><br><code>{}</code><br>{}</td><td>{}</td><td>{}</td></tr>",
            f.severity.label(),
            esc(f.agreement.as_str()),
            esc(f.provision.as_str()),
            esc(f.party.as_str()),
            esc(&f.summary),
            ev
        );
    }
    h.push_str("</table>\n</body></html>\n");
    Ok(h)
}
