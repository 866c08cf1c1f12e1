//! The encoded agreements of `agreements/` validate, and carry the figures of the fact sheet.

use accord_agreements::{
    Agreement, Binding, CountStatus, ProvisionBody, Status, Vocabulary, builtin, parse,
};
use accord_model::{Category, Date, HoldingStatus, PartyId, ProvisionId};

fn agreement(id: &str) -> Agreement {
    builtin()
        .unwrap_or_else(|e| panic!("built-in agreements must validate:\n{e}"))
        .into_iter()
        .find(|a| a.id.as_str() == id)
        .unwrap_or_else(|| panic!("no built-in agreement {id}"))
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

#[test]
fn every_file_in_agreements_dir_validates_and_is_embedded() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../agreements");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if let Err(e) = parse(&text, &name, Vocabulary::builtin()) {
                panic!("{e}");
            }
            let embedded = accord_agreements::BUILTIN_FILES
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("{name} is not embedded in BUILTIN_FILES"));
            assert_eq!(embedded.1, text, "{name}: embedded copy differs");
            names.push(name);
        }
    }
    names.sort();
    assert_eq!(
        names,
        [
            "inf.toml",
            "nato-proposal-2022.toml",
            "new-start.toml",
            "us-proposal-2022.toml",
            "vienna-document-2011.toml"
        ]
    );
}

#[test]
fn new_start_central_limits_and_bomber_counting() {
    let a = agreement("new-start");
    let limit = |id: &str| match &a.provision(&ProvisionId::new(id).unwrap()).unwrap().body {
        ProvisionBody::Limit(l) => l.clone(),
        other => panic!("{id} is {}", other.kind()),
    };
    let (dv, wh, l) = (
        limit("art-ii-1-a"),
        limit("art-ii-1-b"),
        limit("art-ii-1-c"),
    );
    assert_eq!((dv.max, wh.max, l.max), (700, 1550, 800));
    assert_eq!(wh.unit, "warheads");
    // A deployed heavy bomber counts as one warhead; a non-deployed one does not count.
    let bombers = Category::new("heavy_bombers").unwrap();
    let warheads = Category::new("warheads").unwrap();
    let level = wh.level([
        (&warheads, HoldingStatus::Deployed, 1000),
        (&bombers, HoldingStatus::Deployed, 50),
        (&bombers, HoldingStatus::NonDeployed, 7),
    ]);
    assert_eq!(level, 1050);
    // Launchers count deployed and non-deployed alike.
    assert!(l.counts.iter().all(|t| t.status == CountStatus::Any));
    for id in ["art-ii-1-a", "art-ii-1-b", "art-ii-1-c"] {
        let prov = a.provision(&ProvisionId::new(id).unwrap()).unwrap();
        assert_eq!(prov.binds_from, Some(d("2018-02-05")));
        assert_eq!(
            a.binding(prov, &p("RU"), d("2017-09-01"), false),
            Binding::NotYet {
                binds_from: d("2018-02-05")
            }
        );
        assert!(a.binding(prov, &p("RU"), d("2018-02-05"), false).binds());
    }
}

#[test]
fn new_start_status_over_time() {
    let a = agreement("new-start");
    assert_eq!(a.status_at(d("2010-01-01")), None);
    assert_eq!(a.status_at(d("2010-06-01")), Some(Status::Signed));
    assert_eq!(a.status_at(d("2011-02-05")), Some(Status::InForce));
    assert_eq!(a.status_at(d("2021-02-03")), Some(Status::Extended));
    // Russia's suspension is its own: the treaty stays in force, and the suspension is reported.
    assert_eq!(a.status_at(d("2023-06-01")), Some(Status::Extended));
    assert_eq!(
        a.status_for(&p("RU"), d("2023-06-01")),
        Some(Status::Suspended)
    );
    assert_eq!(
        a.status_for(&p("US"), d("2023-06-01")),
        Some(Status::Extended)
    );
    assert!(a.suspension(&p("RU"), d("2023-06-01")).is_some());
    assert!(a.suspension(&p("RU"), d("2023-02-27")).is_none());
    assert_eq!(a.status_at(d("2026-02-05")), Some(Status::Expired));
    assert!(a.in_force_at(d("2026-02-04")));
    assert!(!a.in_force_at(d("2026-02-05")));
    assert_eq!(a.entry_into_force(), Some(d("2011-02-05")));
    let data = a
        .provision(&ProvisionId::new("data-exchange").unwrap())
        .unwrap();
    let ProvisionBody::DataExchange(x) = &data.body else {
        panic!("data-exchange is not a data exchange")
    };
    let as_of: Vec<String> = x.as_of.iter().map(|m| m.to_string()).collect();
    assert_eq!(as_of, ["03-01", "09-01"]);
}

#[test]
fn vienna_document_thresholds() {
    let a = agreement("vienna-document-2011");
    let n = a
        .provision(&ProvisionId::new("ch-v-notification").unwrap())
        .unwrap();
    let ProvisionBody::Notification(n) = &n.body else {
        panic!("not a notification")
    };
    assert_eq!(n.lead_time_days, 42);
    let at = |cat: &str| {
        n.thresholds
            .iter()
            .find(|t| t.category.as_str() == cat)
            .map(|t| t.at_least)
    };
    assert_eq!(at("troops"), Some(9000));
    assert_eq!(at("battle_tanks"), Some(250));
    assert_eq!(at("landing_troops"), Some(3000));
    let troops = Category::new("troops").unwrap();
    let reached = accord_agreements::reached(&n.thresholds, [(&troops, 30_000u64)]);
    assert_eq!(reached.map(|t| t.at_least), Some(9000));
    assert!(accord_agreements::reached(&n.thresholds, [(&troops, 8_999u64)]).is_none());

    let o = a
        .provision(&ProvisionId::new("ch-vi-observation").unwrap())
        .unwrap();
    let ProvisionBody::Observation(o) = &o.body else {
        panic!("not an observation")
    };
    assert_eq!(o.thresholds[0].at_least, 13000);

    let r = a
        .provision(&ProvisionId::new("ch-iii-unusual-activities").unwrap())
        .unwrap();
    let ProvisionBody::RiskReduction(r) = &r.body else {
        panic!("not risk reduction")
    };
    assert_eq!(
        (r.reply_within_hours, r.meeting_within_hours),
        (48, Some(48))
    );
    assert!(a.in_force_at(d("2022-02-11")));
    // Paragraph 40.1.2: sorties are a component of a notification, not a threshold.
    assert_eq!(at("sorties"), None);
    assert_eq!(n.components[0].category.as_str(), "sorties");
    assert_eq!(n.components[0].at_least, 200);
    // Paragraph 109: evaluation visits counted on reported units, limits per unit and State.
    let ProvisionBody::Quota(q) = &a
        .provision(&ProvisionId::new("ch-ix-evaluation-visits").unwrap())
        .unwrap()
        .body
    else {
        panic!("not a quota")
    };
    assert_eq!(q.units_category.as_ref().map(|c| c.as_str()), Some("units"));
    assert_eq!(q.quota_for(60), 1);
    assert_eq!(q.quota_for(61), 2);
    assert_eq!(q.quota_for(6_000), 15);
    assert_eq!(
        (q.per_site_per_year, q.per_site_from_one_party),
        (Some(2), Some(1))
    );
}

#[test]
fn inf_class_ban_and_termination() {
    let a = agreement("inf");
    let class = |id: &str| {
        a.classes
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.range_km)
            .unwrap_or_else(|| panic!("no range for {id}"))
    };
    // Article II: shorter range is 500 km up to and including 1,000 km; intermediate range is
    // "in excess of" 1,000 km, so a missile of exactly 1,000 km is shorter-range.
    let (shorter, intermediate) = (
        class("shorter-range-missiles"),
        class("intermediate-range-missiles"),
    );
    assert!(!shorter.contains(499) && shorter.contains(500) && shorter.contains(1000));
    assert!(!intermediate.contains(1000) && intermediate.contains(1001));
    assert!(intermediate.contains(5500) && !intermediate.contains(5501));
    assert!(a.in_force_at(d("2019-08-01")));
    assert_eq!(a.status_at(d("2019-08-02")), Some(Status::Terminated));
    // After 1991: the United States and four successor states of the USSR.
    let parties: Vec<&str> = a.parties.iter().map(|p| p.as_str()).collect();
    assert_eq!(parties, ["US", "RU", "BY", "KZ", "UA"]);
    // Russia announced its suspension on 2 February 2019 (decree of 4 March 2019).
    assert!(a.suspension(&p("RU"), d("2019-02-01")).is_none());
    let s = a.suspension(&p("RU"), d("2019-02-02")).expect("suspended");
    assert!(s.note.as_deref().unwrap_or("").contains("4 March 2019"));
    assert!(a.suspension(&p("KZ"), d("2019-06-01")).is_none());
}

#[test]
fn new_start_updates_are_due_30_days_after_each_six_month_period() {
    let a = agreement("new-start");
    let prov = a
        .provision(&ProvisionId::new("data-exchange").unwrap())
        .unwrap();
    let ProvisionBody::DataExchange(x) = &prov.body else {
        panic!("data-exchange is not a data exchange")
    };
    assert_eq!(x.initial_within_days, Some(45));
    // Protocol Part Four, Section II.2: periods end on the last day of February and of August.
    assert_eq!(x.deadline(d("2011-09-01")), Some(d("2011-09-30")));
    assert_eq!(x.deadline(d("2013-03-01")), Some(d("2013-03-30")));
    // In a leap year the period ends on 29 February; 30 days later is still 30 March.
    assert_eq!(x.deadline(d("2012-03-01")), Some(d("2012-03-30")));
    assert!(prov.source.as_deref().unwrap_or("").contains("30 days"));
    // Article III.2(b) is the heavy-bomber rule the warhead limit counts by.
    let text = accord_agreements::builtin_file("new-start").unwrap().1;
    assert!(text.contains("Article III.2(b): each deployed heavy bomber"));
    assert!(!text.contains("III.2(c)"));
    for id in ["inspections-type-one", "inspections-type-two"] {
        let ProvisionBody::Quota(q) = &a.provision(&ProvisionId::new(id).unwrap()).unwrap().body
        else {
            panic!("{id} is not a quota")
        };
        assert_eq!(q.at_a_time, Some(1), "{id}");
    }
}

#[test]
fn vienna_document_request_is_the_requesting_states_own() {
    let a = agreement("vienna-document-2011");
    let prov = a
        .provision(&ProvisionId::new("ch-iii-unusual-activities").unwrap())
        .unwrap();
    let ProvisionBody::RiskReduction(r) = &prov.body else {
        panic!("not risk reduction")
    };
    // Ukraine's wording of 11 February 2022 is an example in the notes, not the requirement.
    let request = r.request.as_deref().unwrap_or("");
    assert!(!request.contains("subordination"), "{request}");
    let notes = prov.notes.as_deref().unwrap_or("");
    assert!(notes.contains("11 February for objectives"), "{notes}");
}

#[test]
fn nato_withdrawal_concerns_forces_without_host_nation_consent() {
    let a = agreement("nato-proposal-2022");
    let prov = a
        .provision(&ProvisionId::new("withdraw-forces").unwrap())
        .unwrap();
    let ProvisionBody::ZoneProhibition(z) = &prov.body else {
        panic!("not a zone prohibition")
    };
    assert!(z.without_host_consent);
    let v = Vocabulary::builtin();
    let hosts: Vec<&str> = z
        .zones
        .iter()
        .map(|zone| v.host_of(zone).map(|h| h.as_str()).unwrap_or("-"))
        .collect();
    assert_eq!(hosts, ["UA", "GE", "MD"]);
    // A zone within a state's territory has that state as host.
    let crimea = accord_model::ZoneId::new("crimea").unwrap();
    assert_eq!(v.host_of(&crimea).map(|h| h.as_str()), Some("UA"));
    let vd = accord_model::ZoneId::new("vd-zone-of-application").unwrap();
    assert_eq!(v.host_of(&vd), None);
}

#[test]
fn proposals_are_drafts_that_can_be_assumed_in_force() {
    let us = agreement("us-proposal-2022");
    assert_eq!(us.status_at(d("2022-02-15")), Some(Status::Proposed));
    assert!(us.is_proposal_at(d("2022-02-15")));
    let aegis = us
        .provision(&ProvisionId::new("aegis-ashore-transparency").unwrap())
        .unwrap();
    assert_eq!(
        aegis.reciprocity.as_ref().map(|r| r.provision.as_str()),
        Some("russian-missile-base-transparency")
    );
    assert_eq!(
        us.binding(aegis, &p("US"), d("2022-02-15"), false),
        Binding::NotInForce {
            status: Some(Status::Proposed)
        }
    );
    assert!(us.binding(aegis, &p("US"), d("2022-02-15"), true).binds());
    assert_eq!(
        us.binding(aegis, &p("RU"), d("2022-02-15"), true),
        Binding::NotApplicable
    );
    let nato = agreement("nato-proposal-2022");
    assert!(nato.is_proposal_at(d("2022-02-15")));
}

#[test]
fn builtin_vocabulary_parses_and_nests_zones() {
    let v = Vocabulary::parse(accord_agreements::vocabulary::BUILTIN_VOCABULARY).unwrap();
    let z = |s: &str| accord_model::ZoneId::new(s).unwrap();
    assert!(v.zone_within(&z("crimea"), &z("ukraine")));
    assert!(v.zone_within(&z("near-ukraine"), &z("vd-zone-of-application")));
    assert!(!v.zone_within(&z("ukraine"), &z("russia")));
    assert!(v.party_in(&p("PL"), &p("NATO")));
    assert!(!v.party_in(&p("RU"), &p("NATO")));
    assert_eq!(
        v.unit(&Category::new("battle_tanks").unwrap()),
        Some("battle tanks")
    );
    // Every category the corpus labels with a force or weapon is known.
    for c in [
        "troops",
        "battle_tanks",
        "armoured_combat_vehicles",
        "artillery",
        "aircraft",
        "warheads",
        "missiles",
        "battalion_tactical_groups",
    ] {
        assert!(v.categories.contains_key(&Category::new(c).unwrap()), "{c}");
    }
}

#[test]
fn a_vocabulary_with_a_dangling_zone_is_refused() {
    let text = "[categories]\n[parties]\n[zones.a]\nname = \"A\"\ncontains = [\"b\"]\n";
    let e = Vocabulary::parse(text).unwrap_err();
    assert!(e.to_string().contains("unknown zone b"), "{e}");
}

#[test]
fn new_start_type_one_seeds_are_revealed_in_48_hours_or_the_inspector_chooses() {
    let a = agreement("new-start");
    let quota = |id: &str| match &a.provision(&ProvisionId::new(id).unwrap()).unwrap().body {
        ProvisionBody::Quota(q) => q.clone(),
        other => panic!("{id} is {}", other.kind()),
    };
    let rule = quota("inspections-type-one").seed_reveal.unwrap();
    assert_eq!(rule.within_hours, 48);
    assert_eq!(
        rule.missing,
        accord_agreements::MissingSeedReveal::FreeChoice
    );
    assert_eq!(quota("inspections-type-two").seed_reveal, None);
}
