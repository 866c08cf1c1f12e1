//! Bad agreement files: each gets a located error saying what was expected, never a panic.

use accord_agreements::{Diagnostic, Vocabulary, parse};

/// A small valid agreement; each test breaks one thing in it.
const GOOD: &str = r#"id = "test"
title = "Test agreement"
citation = "Test"
binding = "legal"
parties = ["US", "RU"]
zones = ["ukraine"]

[[history]]
status = "signed"
date = 2010-04-08

[[history]]
status = "in_force"
date = 2011-02-05

[[provision]]
id = "limit-1"
cite = "Article II.1(b)"
title = "Warheads"
binds_from = 2018-02-05

[provision.limit]
name = "deployed warheads"
unit = "warheads"
max = 1550
counts = [{ category = "warheads", status = "deployed" }]

[[provision]]
id = "notify"
cite = "Chapter V"
title = "Notification"
condition = "activity.troops >= 9000"

[provision.notification]
lead_time_days = 42
thresholds = [{ category = "troops", at_least = 9000 }]
"#;

fn errors(text: &str) -> Vec<Diagnostic> {
    match parse(text, "bad.toml", Vocabulary::builtin()) {
        Ok(_) => panic!("expected errors, the file was accepted"),
        Err(d) => d.0,
    }
}

/// The single error of a file, checked for its location and a fragment of its message.
fn single(text: &str, line: usize, column: usize, fragment: &str) -> Diagnostic {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "expected one error, got {errs:#?}");
    let e = errs.into_iter().next().unwrap();
    assert_eq!(e.file, "bad.toml");
    assert_eq!((e.line, e.column), (line, column), "{e}");
    assert!(e.message.contains(fragment), "{e} lacks {fragment:?}");
    e
}

fn replace(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from:?} not in the base file");
    GOOD.replacen(from, to, 1)
}

#[test]
fn the_base_file_is_valid() {
    let a = parse(GOOD, "good.toml", Vocabulary::builtin()).unwrap();
    assert_eq!(a.provisions.len(), 2);
}

#[test]
fn unknown_category() {
    let text = replace(r#"{ category = "warheads""#, r#"{ category = "warheadz""#);
    single(
        &text,
        26,
        24,
        "unknown category `warheadz`, expected one of:",
    );
}

#[test]
fn unknown_threshold_category() {
    let text = replace(r#"{ category = "troops""#, r#"{ category = "soldiers""#);
    single(&text, 36, 28, "unknown category `soldiers`");
}

#[test]
fn unknown_party() {
    let text = replace(r#"parties = ["US", "RU"]"#, r#"parties = ["US", "XX"]"#);
    let e = single(&text, 5, 18, "unknown party `XX`");
    assert!(e.message.contains("expected one of"));
}

#[test]
fn party_not_in_agreement() {
    let text = replace(
        "title = \"Warheads\"\n",
        "title = \"Warheads\"\napplies_to = [\"UA\"]\n",
    );
    single(&text, 20, 15, "`UA` is not a party to this agreement");
}

#[test]
fn unknown_zone() {
    let text = replace(r#"zones = ["ukraine"]"#, r#"zones = ["atlantis"]"#);
    single(&text, 6, 10, "unknown zone `atlantis`");
}

#[test]
fn limit_without_unit() {
    let text = replace("unit = \"warheads\"\n", "");
    single(&text, 22, 1, "limit without a unit");
}

#[test]
fn negative_threshold() {
    let text = replace("at_least = 9000", "at_least = -5");
    single(&text, 36, 49, "must not be negative, found -5");
}

#[test]
fn negative_limit() {
    let text = replace("max = 1550", "max = -1550");
    single(&text, 25, 7, "max must not be negative");
}

#[test]
fn dates_out_of_order() {
    let text = replace("date = 2011-02-05", "date = 2009-02-05");
    let e = single(&text, 14, 8, "dates out of order");
    assert!(e.message.contains("in date order"), "{e}");
}

#[test]
fn a_time_where_a_date_is_expected() {
    let text = replace(
        "binds_from = 2018-02-05",
        "binds_from = 2018-02-05T10:00:00Z",
    );
    single(&text, 20, 14, "expected a date such as 2011-02-05");
}

#[test]
fn cel_syntax_error() {
    let text = replace("activity.troops >= 9000", "activity.troops >= ");
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = &errs[0];
    assert_eq!(e.line, 32, "{e}");
    // The column points inside the string, where the expression ends unfinished.
    assert_eq!(e.column, 33, "{e}");
    assert!(e.message.contains("CEL syntax error"), "{e}");
}

#[test]
fn cel_unknown_variable() {
    let text = replace("activity.troops >= 9000", "troops >= 9000");
    single(&text, 32, 14, "unknown variable `troops`");
}

#[test]
fn duplicated_provision_id() {
    let text = replace(r#"id = "notify""#, r#"id = "limit-1""#);
    let e = single(&text, 29, 6, "duplicate provision id `limit-1`");
    assert!(e.message.contains("first defined at line 17"), "{e}");
}

#[test]
fn toml_syntax_error() {
    let text = replace("max = 1550", "max = = 1550");
    let e = single(&text, 25, 7, "");
    assert!(!e.message.is_empty());
}

#[test]
fn unknown_field() {
    let text = replace("max = 1550", "maximum = 1550");
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = &errs[0];
    assert_eq!(e.line, 25, "{e}");
    assert!(e.message.contains("unknown field `maximum`"), "{e}");
}

#[test]
fn missing_field() {
    let text = replace("cite = \"Chapter V\"\n", "");
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].message.contains("missing field `cite`"),
        "{}",
        errs[0]
    );
}

#[test]
fn unknown_status() {
    let text = replace(r#"status = "signed""#, r#"status = "ratified""#);
    single(
        &text,
        9,
        10,
        "unknown status `ratified`, expected one of: proposed",
    );
}

#[test]
fn provision_without_kind() {
    let text = replace(
        "[provision.notification]\nlead_time_days = 42\nthresholds = [{ category = \"troops\", at_least = 9000 }]\n",
        "",
    );
    let e = single(&text, 28, 1, "must have exactly one kind table, found none");
    assert!(e.message.contains("limit, zone_prohibition"), "{e}");
}

#[test]
fn unknown_class_reference() {
    let text = format!(
        "{GOOD}\n[[provision]]\nid = \"ban\"\ncite = \"Article I\"\ntitle = \"Ban\"\n\n[provision.class_ban]\nclasses = [\"nope\"]\n"
    );
    single(&text, 44, 12, "unknown class `nope`");
}

#[test]
fn unknown_reciprocity_reference() {
    let text = replace(
        "title = \"Notification\"\n",
        "title = \"Notification\"\nreciprocity = { provision = \"nowhere\" }\n",
    );
    single(&text, 32, 29, "unknown provision `nowhere`");
}

#[test]
fn several_problems_are_all_reported() {
    let text = replace(r#"{ category = "warheads""#, r#"{ category = "warheadz""#).replacen(
        "at_least = 9000",
        "at_least = -1",
        1,
    );
    let errs = errors(&text);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(errs[0].line < errs[1].line);
}

#[test]
fn garbage_never_panics() {
    // Truncations of a valid file at every line, and some odd inputs, give errors or agreements.
    let lines: Vec<&str> = GOOD.lines().collect();
    for n in 0..lines.len() {
        let text = lines[..n].join("\n");
        let _ = parse(&text, "cut.toml", Vocabulary::builtin());
    }
    for text in [
        "",
        "\u{0}",
        "id = 1",
        "[[provision]]\n[[provision]]",
        "é = \"x\"\nid = \"ü\"",
    ] {
        let errs = errors(text);
        assert!(errs.iter().all(|e| e.line >= 1 && e.column >= 1));
    }
}

#[test]
fn diagnostics_display_file_line_column() {
    let text = replace(r#"parties = ["US", "RU"]"#, r#"parties = ["US", "XX"]"#);
    let err = parse(&text, "bad.toml", Vocabulary::builtin()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("bad.toml:5:18: unknown party `XX`")
    );
}

#[test]
fn a_seed_reveal_rule_with_an_unknown_consequence_or_no_time() {
    let quota = |rule: &str| {
        format!(
            "{GOOD}\n[[provision]]\nid = \"inspections\"\ncite = \"Article XI\"\ntitle = \"Inspections\"\n\n\
             [provision.quota]\nactivity = \"inspection\"\nper_year = 10\nseed_reveal = {rule}\n"
        )
    };
    let ok = quota(r#"{ within_hours = 48, missing = "honest_seeds" }"#);
    assert!(parse(&ok, "good.toml", Vocabulary::builtin()).is_ok());
    let e = errors(&quota(r#"{ within_hours = 48, missing = "coin_toss" }"#));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].message.contains("coin_toss") && e[0].message.contains("honest_seeds, free_choice"),
        "{}",
        e[0]
    );
    let e = errors(&quota(r#"{ within_hours = 0, missing = "free_choice" }"#));
    assert!(e[0].message.contains("at least 1"), "{}", e[0]);
    let e = errors(&quota(r#"{ missing = "free_choice" }"#));
    assert!(e[0].message.contains("within_hours"), "{}", e[0]);
}

// ---- what an agreement defines for itself -----------------------------------------------------

const DEFINES: &str = r#"id = "steppe"
title = "A regional agreement with its own vocabulary"
citation = "Test"
binding = "political"
parties = ["KZ", "XA"]
zones = ["steppe-range"]

[define.parties.XA]
name = "Example Republic"

[define.zones.steppe-range]
name = "Steppe test range"
host = "KZ"

[define.categories.drones]
unit = "drones"
description = "Armed uncrewed aircraft"

[[history]]
status = "in_force"
date = 2024-01-01

[[provision]]
id = "no-drones"
cite = "Article 1"
title = "No armed drones on the test range"

[provision.zone_prohibition]
zones = ["steppe-range"]
categories = ["drones"]
reciprocal = true
without_host_consent = true
"#;

#[test]
fn an_agreement_defines_its_own_parties_zones_and_categories() {
    let a = parse(DEFINES, "steppe.toml", Vocabulary::builtin()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.parties.len(), 2);
    assert_eq!(a.defines.parties.len(), 1);
    assert_eq!(a.defines.categories.len(), 1);
    // The engine's vocabulary is the built-in one plus what the agreements define.
    let v = Vocabulary::for_agreements([&a]).unwrap();
    let zone = accord_model::ZoneId::new("steppe-range").unwrap();
    assert_eq!(v.host_of(&zone).map(|p| p.as_str()), Some("KZ"));
    assert_eq!(
        v.unit(&accord_model::Category::new("drones").unwrap()),
        Some("drones")
    );
    // The built-in vocabulary itself is untouched.
    assert!(!Vocabulary::builtin().zones.contains_key(&zone));
    // Without the definitions the same references are unknown.
    let stripped: String = DEFINES
        .split("[[history]]")
        .next()
        .unwrap()
        .lines()
        .take_while(|l| !l.starts_with("[define"))
        .chain(["", "[[history]]"])
        .collect::<Vec<_>>()
        .join("\n")
        + DEFINES.split("[[history]]").nth(1).unwrap();
    let errs = errors(&stripped);
    assert!(
        errs.iter()
            .any(|e| e.message.contains("unknown party `XA`")),
        "{errs:#?}"
    );
}

#[test]
fn an_agreement_cannot_redefine_a_known_id() {
    let text = DEFINES.replace(
        "[define.categories.drones]",
        "[define.categories.troops]\nunit = \"soldiers\"\ndescription = \"x\"\n\n[define.categories.drones]",
    );
    let e = single(
        &text,
        8,
        2,
        "category troops is already defined differently",
    );
    assert!(e.message.starts_with("[define]"), "{e}");
}

#[test]
fn host_consent_needs_a_zone_with_a_host() {
    let text = GOOD.replace(
        "[[provision]]\nid = \"notify\"",
        "[[provision]]\nid = \"ban\"\ncite = \"x\"\ntitle = \"x\"\n\n[provision.zone_prohibition]\nzones = [\"ukraine\"]\ncategories = [\"troops\"]\nreciprocal = true\nwithout_host_consent = true\n\n[[provision]]\nid = \"notify\"",
    ).replace("zones = [\"ukraine\"]\n\n[[history]]", "zones = [\"ukraine\", \"vd-zone-of-application\"]\n\n[[history]]");
    // Ukraine has a host: accepted.
    parse(&text, "ok.toml", Vocabulary::builtin()).unwrap_or_else(|e| panic!("{e}"));
    let bad = text.replace(
        "zones = [\"ukraine\"]\ncategories",
        "zones = [\"vd-zone-of-application\"]\ncategories",
    );
    single(&bad, 34, 10, "has no host state");
}

#[test]
fn range_bands_and_deadlines_take_one_rule_each() {
    let text = GOOD.replace(
        "[[provision]]\nid = \"limit-1\"",
        "[[class]]\nid = \"c\"\nname = \"c\"\ncategories = [\"missiles\"]\nrange_km = { min = 500, over = 500, max = 1000 }\n\n[[provision]]\nid = \"limit-1\"",
    );
    single(&text, 20, 12, "exactly one lower bound");
    let text = GOOD.replace(
        "[[provision]]\nid = \"limit-1\"",
        "[[class]]\nid = \"c\"\nname = \"c\"\ncategories = [\"missiles\"]\nrange_km = { over = 1000, max = 1000 }\n\n[[provision]]\nid = \"limit-1\"",
    );
    single(&text, 20, 12, "is empty");
    let text = format!(
        "{GOOD}\n[[provision]]\nid = \"x\"\ncite = \"x\"\ntitle = \"x\"\n\n[provision.data_exchange]\nas_of = [\"03-01\"]\ndue = \"03-30\"\ndue_days_after_period = 30\ncontent = \"x\"\n"
    );
    single(&text, 46, 25, "one deadline rule");
}
