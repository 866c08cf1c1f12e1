//! Quality against the hand-labelled news corpus (opt-in: set `ACCORD_SHARED` to the shared
//! directory that holds `corpus/`). Prints the measured figures and asserts the thresholds:
//! claim precision >= 0.90 and recall >= 0.80 (a claim matches a label when actor, category and
//! quantity agree, weights within 1%, one to one); every labelled derived-from pair found and no
//! false pair.

use std::path::PathBuf;

use accord_osint::report::read_report;
use accord_osint::{Report, extract_claims, group_copies};

fn corpus() -> Option<PathBuf> {
    match std::env::var_os("ACCORD_SHARED") {
        Some(d) => Some(PathBuf::from(d).join("corpus")),
        None => {
            eprintln!("note: ACCORD_SHARED is not set; skipping the corpus quality test");
            None
        }
    }
}

struct Label {
    file: String,
    event: String,
    derived_from: Option<String>,
    claims: Vec<(String, String, f64, String)>,
}

fn labels(dir: &std::path::Path) -> Vec<Label> {
    let text = std::fs::read_to_string(dir.join("labels.jsonl")).expect("labels.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            Label {
                file: v["file"].as_str().unwrap().to_owned(),
                event: v["event"].as_str().unwrap().to_owned(),
                derived_from: v["derived_from"].as_str().map(str::to_owned),
                claims: v["claims"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| {
                        (
                            c["actor"].as_str().unwrap().to_owned(),
                            c["category"].as_str().unwrap().to_owned(),
                            c["quantity"].as_f64().unwrap(),
                            c["text"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

fn load(dir: &std::path::Path, labels: &[Label]) -> Vec<Report> {
    labels
        .iter()
        .map(|l| read_report(&dir.join("reports").join(&l.file)).expect("a readable report"))
        .collect()
}

fn quantity_matches(category: &str, a: f64, b: f64) -> bool {
    if category == "ammunition_tons" {
        (a - b).abs() <= 0.011 * a.abs().max(b.abs()).max(1.0)
    } else {
        (a - b).abs() < 0.5
    }
}

#[test]
fn claim_precision_and_recall_on_the_corpus() {
    let Some(dir) = corpus() else { return };
    let labels = labels(&dir);
    let reports = load(&dir, &labels);
    let (mut tp, mut found, mut expected) = (0usize, 0usize, 0usize);
    for (label, report) in labels.iter().zip(&reports) {
        let claims = extract_claims(report);
        found += claims.len();
        expected += label.claims.len();
        let mut used = vec![false; label.claims.len()];
        for c in &claims {
            let hit = label
                .claims
                .iter()
                .enumerate()
                .position(|(k, (actor, cat, q, _))| {
                    !used[k]
                        && *actor == c.actor
                        && *cat == c.label
                        && quantity_matches(cat, *q, c.quantity)
                });
            match hit {
                Some(k) => {
                    used[k] = true;
                    tp += 1;
                }
                None => println!(
                    "  false  {}: {} {} {} ({}) in {:?}\n         sentence {:?}",
                    label.file, c.actor, c.label, c.quantity, c.category, c.text, c.sentence
                ),
            }
        }
        for (k, (actor, cat, q, text)) in label.claims.iter().enumerate() {
            if !used[k] {
                println!("  missed {}: {actor} {cat} {q} in {text:?}", label.file);
            }
        }
    }
    let precision = tp as f64 / found.max(1) as f64;
    let recall = tp as f64 / expected.max(1) as f64;
    println!(
        "claims: {tp} matched of {found} extracted and {expected} labelled: precision {precision:.3}, recall {recall:.3}"
    );
    assert!(precision >= 0.90, "claim precision {precision:.3} < 0.90");
    assert!(recall >= 0.80, "claim recall {recall:.3} < 0.80");
}

#[test]
fn derived_pairs_and_events_on_the_corpus() {
    let Some(dir) = corpus() else { return };
    let labels = labels(&dir);
    let reports = load(&dir, &labels);
    let copies = group_copies(&reports);
    if std::env::var_os("OSINT_DEBUG").is_some() {
        let prints: Vec<_> = reports.iter().map(accord_osint::Fingerprint::of).collect();
        let mut pairs = Vec::new();
        for i in 0..reports.len() {
            for j in i + 1..reports.len() {
                let s = accord_osint::copies::similarity(&prints[i], &prints[j]);
                pairs.push((
                    s,
                    labels[i].event == labels[j].event,
                    &labels[i].file,
                    &labels[j].file,
                ));
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        for p in pairs.iter().filter(|p| !p.1).take(12) {
            println!("  cross-event {:.3} {} {}", p.0, p.2, p.3);
        }
        for p in pairs.iter().filter(|p| p.1).take(60) {
            println!("  same-event {:.3} {} {}", p.0, p.2, p.3);
        }
    }
    let mut found = Vec::new();
    for d in &copies.derived {
        found.push((labels[d.copy].file.clone(), labels[d.source].file.clone()));
    }
    let expected: Vec<(String, String)> = labels
        .iter()
        .filter_map(|l| l.derived_from.clone().map(|s| (l.file.clone(), s)))
        .collect();
    let missing: Vec<_> = expected.iter().filter(|p| !found.contains(p)).collect();
    let false_pairs: Vec<_> = found.iter().filter(|p| !expected.contains(p)).collect();
    println!(
        "derived_from: {} labelled, {} found, {} missing {missing:?}, {} false {false_pairs:?}",
        expected.len(),
        found.len(),
        missing.len(),
        false_pairs.len()
    );
    // Events: pairwise precision and recall of "same event".
    let (mut tp, mut fp, mut fnn) = (0, 0, 0);
    for i in 0..labels.len() {
        for j in i + 1..labels.len() {
            let same = labels[i].event == labels[j].event;
            let grouped = copies.event_of[i] == copies.event_of[j];
            match (same, grouped) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fnn += 1,
                _ => {}
            }
        }
    }
    let ep = tp as f64 / (tp + fp).max(1) as f64;
    let er = tp as f64 / (tp + fnn).max(1) as f64;
    println!(
        "events: {} groups for {} labelled events; same-event pairs precision {ep:.3}, recall {er:.3}",
        copies.events.len(),
        labels
            .iter()
            .map(|l| &l.event)
            .collect::<std::collections::HashSet<_>>()
            .len()
    );
    assert!(missing.is_empty(), "missing derived pairs: {missing:?}");
    assert!(
        false_pairs.is_empty(),
        "false derived pairs: {false_pairs:?}"
    );
    assert!(ep >= 0.8, "event pair precision {ep:.3} < 0.8");
}

#[test]
fn seed_000_troops_become_one_observation_sourced_to_the_original() {
    let Some(dir) = corpus() else { return };
    let labels = labels(&dir);
    let reports = load(&dir, &labels);
    let set = accord_osint::observations(&reports);
    let hits: Vec<_> = set
        .records
        .iter()
        .filter_map(|r| match &r.body {
            accord_model::RecordBody::Observation(o)
                if o.category.as_str() == "troops" && o.quantity == 120_000 =>
            {
                Some(o)
            }
            _ => None,
        })
        .collect();
    // seed-000 and its verbatim copy 005 carry the figure: one observation, one source.
    assert_eq!(hits.len(), 1, "{hits:#?}");
    let o = hits[0];
    println!(
        "seed-000 observation: {} {} {} {:?} zone {:?} date {} confidence {:?}",
        o.actor, o.category, o.quantity, o.qualifier, o.area.zone, o.date, o.confidence
    );
    assert_eq!(o.source.outlet, "The Hill");
    assert_eq!(o.actor.as_str(), "RU");
    assert_eq!(o.qualifier, accord_model::Qualifier::MoreThan);
    assert_eq!(
        o.area.zone.as_ref().map(|z| z.as_str()),
        Some("near-ukraine")
    );
    assert_eq!(o.date, jiff::civil::date(2022, 1, 26));
    assert_eq!(o.confidence.independent_sources, 1);
    println!(
        "observations: {} records from {} reports, {} claims skipped",
        set.records.len(),
        reports.len(),
        set.skipped.len()
    );
}
