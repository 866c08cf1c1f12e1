//! The HTML report of the two example scenarios: charts, collapsed rows, linked records, languages.

use std::path::{Path, PathBuf};

use accord_compliance::Scenario;
use accord_messages::Lang;
use accord_model::Instant;
use accord_views::{ReportInput, render_html};

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn page(name: &str, at: Option<Instant>, lang: Lang) -> String {
    let s = Scenario::load(&dir(name)).unwrap();
    let at = at.unwrap_or(s.file.as_of);
    let findings = s.engine(&[]).unwrap().evaluate(&s.state, at).findings();
    render_html(&ReportInput {
        title: &s.file.title,
        description: &s.file.description,
        agreements: &s.agreements,
        assumed: &[],
        state: &s.state,
        at,
        findings: &findings,
        lang,
    })
    .unwrap()
}

/// The texts of the charts (SVG text and legend entries), chart by chart.
fn chart_texts(page: &str) -> Vec<Vec<String>> {
    page.split("<div class=\"chart\">")
        .skip(1)
        .map(|chart| {
            let chart = &chart[..chart.find("</ul></div>").unwrap()];
            let (svg, legend) = chart.split_once("</svg>").unwrap();
            let mut texts: Vec<String> = svg
                .split("<text")
                .skip(1)
                .map(|t| {
                    let t = &t[t.find('>').unwrap() + 1..];
                    t[..t.find("</text>").unwrap()].trim().to_owned()
                })
                .collect();
            texts.extend(
                legend
                    .split("</span>")
                    .skip(1)
                    .map(|t| t[..t.find("</li>").unwrap()].to_owned()),
            );
            texts
        })
        .collect()
}

#[test]
fn the_crisis_gets_a_chart_of_observed_forces_against_the_thresholds_and_the_request() {
    let p = page("2022-crisis", None, Lang::En);
    let charts = chart_texts(&p);
    let forces = charts
        .iter()
        .find(|t| t.iter().any(|x| x == "ch-v-notification: 9,000"))
        .expect("a chart with the notification threshold");
    assert!(forces.iter().any(|x| x == "ch-vi-observation: 13,000"));
    assert!(forces.iter().any(|x| x == "request UA-2022-02-11-VD-III"));
    assert!(
        forces
            .iter()
            .any(|x| x == "reply due to UA-2022-02-11-VD-III")
    );
    // Observations are grouped by zone: one line near Ukraine, one in Belarus.
    let lines: Vec<&String> = forces.iter().filter(|x| x.starts_with("RU (")).collect();
    assert_eq!(lines.len(), 2, "{forces:?}");
}

#[test]
fn not_applicable_findings_are_collapsed_and_evidence_links_to_embedded_records() {
    let p = page("2022-crisis", None, Lang::En);
    let (open, collapsed) = p.split_once("<details class=\"not_applicable\">").unwrap();
    let collapsed = &collapsed[..collapsed.find("</details>").unwrap()];
    assert!(collapsed.starts_with("<summary>63 findings that do not apply"));
    assert_eq!(
        collapsed.matches("<tr class=\"not_applicable\">").count(),
        63
    );
    assert_eq!(open.matches("<tr class=\"not_applicable\">").count(), 0);
    assert_eq!(open.matches("<tr class=\"violation\">").count(), 4);
    // The request is linked from its finding and embedded as JSON with that anchor.
    assert!(p.contains("<a href=\"#rec-UA-2022-02-11-VD-III\">record UA-2022-02-11-VD-III</a>"));
    let embedded = p
        .split("<details id=\"rec-UA-2022-02-11-VD-III\">")
        .nth(1)
        .expect("the record is embedded");
    let json = &embedded[embedded.find("<pre>").unwrap() + 5..embedded.find("</pre>").unwrap()];
    let json = json
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["id"], "UA-2022-02-11-VD-III");
}

#[test]
fn limit_charts_mark_binds_from_and_suspension_with_distinct_year_ticks() {
    let p = page("new-start-history", None, Lang::En);
    let charts = chart_texts(&p);
    assert!(!charts.is_empty());
    for texts in &charts {
        let years: Vec<&String> = texts
            .iter()
            .filter(|t| t.len() == 4 && t.parse::<u16>().is_ok_and(|y| y > 1990))
            .collect();
        let mut distinct = years.clone();
        distinct.dedup();
        assert_eq!(years, distinct, "each year labelled once");
        assert!(years.len() >= 10, "{years:?}");
        assert!(texts.iter().any(|t| t == "binds from 5 February 2018"));
        assert!(texts.iter().any(|t| t == "suspended 28 February 2023 (RU)"));
    }
    let after = page(
        "new-start-history",
        Some("2026-03-01T00:00:00Z".parse().unwrap()),
        Lang::En,
    );
    assert!(
        chart_texts(&after)
            .iter()
            .all(|t| t.iter().any(|x| x == "expired 5 February 2026"))
    );
}

#[test]
fn the_russian_page_takes_its_words_from_the_russian_files() {
    let p = page("2022-crisis", None, Lang::Ru);
    assert!(p.contains("<html lang=\"ru\">"));
    assert!(p.contains("<h2>Выводы</h2>"));
    assert!(p.contains("нарушений: 4"));
    assert!(
        p.contains("<td>в силе</td>"),
        "the status of the Vienna Document in words"
    );
    assert!(p.contains("ответа нет через 216 часов"));
    for english in [
        "Findings",
        "violations",
        "what was found",
        "Records cited",
        "reply due",
    ] {
        assert!(!p.contains(english), "{english} on the Russian page");
    }
}
