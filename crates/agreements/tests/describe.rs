//! Plain-language summaries say what each provision demands, of whom and from when.

use accord_agreements::{builtin, describe, describe::group};

fn summary(agreement: &str, provision: &str) -> String {
    let all = builtin().unwrap();
    let a = all.iter().find(|a| a.id.as_str() == agreement).unwrap();
    let p = a
        .provisions
        .iter()
        .find(|p| p.id.as_str() == provision)
        .unwrap();
    describe(a, p)
}

#[test]
fn limits_name_the_figure_the_parties_and_the_date() {
    let s = summary("new-start", "art-ii-1-b");
    assert!(
        s.starts_with("Each of US and RU must hold no more than 1,550 warheads"),
        "{s}"
    );
    assert!(s.contains("deployed heavy_bombers"), "{s}");
    assert!(s.ends_with("Binds from 2018-02-05."), "{s}");
}

#[test]
fn notification_names_lead_time_thresholds_and_exemption() {
    let s = summary("vienna-document-2011", "ch-v-notification");
    assert!(s.contains("at least 42 days before it starts"), "{s}");
    assert!(s.contains("9,000 troops"), "{s}");
    assert!(
        s.contains("alert activities are notified when the troops start them"),
        "{s}"
    );
}

#[test]
fn reciprocity_and_visits() {
    let s = summary("us-proposal-2022", "aegis-ashore-transparency");
    assert!(
        s.starts_with("US must host visits by RU in romania and poland"),
        "{s}"
    );
    assert!(
        s.contains("Reciprocity (`russian-missile-base-transparency`)"),
        "{s}"
    );
}

#[test]
fn one_sided_prohibition() {
    let s = summary("nato-proposal-2022", "withdraw-forces");
    assert!(
        s.starts_with("RU must not have troops or combat forces in ukraine, georgia and moldova"),
        "{s}"
    );
    assert!(s.contains("one-sided"), "{s}");
}

#[test]
fn thousands_are_grouped() {
    assert_eq!(group(0), "0");
    assert_eq!(group(999), "999");
    assert_eq!(group(1550), "1,550");
    assert_eq!(group(1_000_000), "1,000,000");
}
