//! End-to-end behaviour on small synthetic reports shipped in `tests/data/` (no shared data
//! needed): ingestion of text and HTML, claims, copies, observations.

use std::path::PathBuf;

use accord_model::{Qualifier, RecordBody};
use accord_osint::report::read_report;
use accord_osint::{Report, extract_claims, group_copies, observations};

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn load() -> Vec<Report> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|f| read_report(f).unwrap()).collect()
}

fn by_id<'a>(reports: &'a [Report], id: &str) -> (usize, &'a Report) {
    let i = reports.iter().position(|r| r.id == id).unwrap();
    (i, &reports[i])
}

#[test]
fn html_report_gives_article_text_metadata_and_aid_claims() {
    let reports = load();
    let (_, r) = by_id(&reports, "delta-aid.html");
    assert_eq!(r.outlet.as_deref(), Some("Kyiv Ledger"));
    assert_eq!(
        r.title.as_deref(),
        Some("Second US aid shipment lands in Kyiv")
    );
    assert_eq!(r.published, Some(jiff::civil::date(2022, 1, 25)));
    assert_eq!(
        r.url.as_deref(),
        Some("https://kyivledger.example/news/second-us-aid-shipment")
    );
    for furniture in ["Home", "Most read", "Photo", "dataLayer", "Kyiv Ledger\n"] {
        assert!(!r.body.contains(furniture), "{furniture:?} in {}", r.body);
    }
    let claims = extract_claims(r);
    let summary: Vec<(String, String, f64)> = claims
        .iter()
        .map(|c| (c.actor.clone(), c.category.clone(), c.quantity))
        .collect();
    let expect = [
        ("US", "ammunition_tons", 80.0),
        ("US", "shipments", 3.0),
        ("US", "military_aid_usd", 200_000_000.0),
        ("RU", "troops", 100_000.0),
    ];
    assert_eq!(summary.len(), expect.len(), "{summary:?}");
    for (a, c, q) in expect {
        assert!(
            summary.iter().any(|s| s.0 == a && s.1 == c && s.2 == q),
            "{a} {c} {q} not in {summary:?}"
        );
    }
    let troops = claims.iter().find(|c| c.category == "troops").unwrap();
    assert_eq!(troops.zone.as_deref(), Some("near-ukraine"));
    assert_eq!(troops.attributed_to.as_deref(), Some("Western estimates"));
    let shipments = claims.iter().find(|c| c.category == "shipments").unwrap();
    assert_eq!(shipments.zone.as_deref(), Some("ukraine"));
    assert_eq!(&r.body[shipments.span.0..shipments.span.1], shipments.text);
}

#[test]
fn wire_copy_and_rewrite_derive_from_the_wire_story() {
    let reports = load();
    let copies = group_copies(&reports);
    let (alpha, _) = by_id(&reports, "alpha-wire.txt");
    let (beta, beta_r) = by_id(&reports, "beta-copy.txt");
    let (gamma, _) = by_id(&reports, "gamma-rewrite.txt");
    let (epsilon, _) = by_id(&reports, "epsilon-independent.txt");
    let (delta, _) = by_id(&reports, "delta-aid.html");
    assert_eq!(copies.source_of(beta), Some(alpha), "{copies:?}");
    assert_eq!(copies.source_of(gamma), Some(alpha), "{copies:?}");
    assert_eq!(copies.source_of(alpha), None);
    assert_eq!(copies.source_of(epsilon), None);
    assert_eq!(copies.source_of(delta), None);
    assert_eq!(copies.derived.len(), 2);
    assert_eq!(copies.groups.len(), 3);
    // Normalisation: the repeated title, advertisements and curly quotes are gone.
    assert_eq!(beta_r.body.matches("begin large drills").count(), 1);
    assert!(!beta_r.body.contains("ADVERTISEMENT\nADVERTISEMENT"));
    assert!(beta_r.body.contains("Ukraine's security"));
}

#[test]
fn observations_count_independent_groups_not_copies() {
    let reports = load();
    let set = observations(&reports);
    let troops: Vec<_> = set
        .records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::Observation(o)
                if o.category.as_str() == "troops" && o.quantity == 30000 =>
            {
                Some(o)
            }
            _ => None,
        })
        .collect();
    assert_eq!(troops.len(), 2, "one per independent group: {troops:#?}");
    for o in &troops {
        assert_eq!(o.actor.as_str(), "RU");
        assert_eq!(o.area.zone.as_ref().map(|z| z.as_str()), Some("belarus"));
        assert_eq!(o.qualifier, Qualifier::About);
        assert_eq!(o.confidence.independent_sources, 2);
        assert_eq!(o.confidence.official_sources, 2);
    }
    let outlets: Vec<&str> = troops.iter().map(|o| o.source.outlet.as_str()).collect();
    assert!(outlets.contains(&"Daily Courier (Reuters)"), "{outlets:?}");
    assert!(outlets.contains(&"Evening Post"), "{outlets:?}");
    // Every record is valid and deterministic.
    for r in &set.records {
        r.validate().unwrap();
    }
    let again = observations(&reports);
    assert_eq!(again.records, set.records);
}
