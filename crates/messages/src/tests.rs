use std::collections::{BTreeMap, BTreeSet};

use accord_model::{Arg, Date, Message};
use fluent_bundle::FluentResource;

use super::*;

/// Each message id of a file with the variables its text uses.
fn ids_and_variables(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let starts_entry = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if starts_entry {
            let (id, _) = line.split_once('=').expect("an entry line holds '='");
            let id = id.trim().to_owned();
            assert!(!out.contains_key(&id), "{id} defined twice");
            out.insert(id.clone(), BTreeSet::new());
            current = Some(id);
        } else if !line.starts_with(' ') {
            current = None;
        }
        if let Some(id) = &current {
            let vars = out.get_mut(id).expect("inserted above");
            let mut rest = line;
            while let Some(i) = rest.find('$') {
                rest = &rest[i + 1..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                vars.insert(name);
            }
        }
    }
    out
}

#[test]
fn every_file_parses_without_errors() {
    for (lang, name, source) in FILES {
        let parsed = FluentResource::try_new(source.to_owned());
        assert!(
            parsed.is_ok(),
            "{lang}/{name}: {:?}",
            parsed.err().map(|e| e.1)
        );
    }
}

#[test]
fn every_id_and_argument_is_in_both_languages() {
    for (en, ru, least) in [
        (EN_FINDINGS, RU_FINDINGS, 60),
        (EN_INTERFACE, RU_INTERFACE, 15),
    ] {
        same_ids_and_arguments(en, ru, least);
    }
}

fn same_ids_and_arguments(en: &str, ru: &str, least: usize) {
    let en = ids_and_variables(en);
    let ru = ids_and_variables(ru);
    assert!(en.len() >= least, "{} ids", en.len());
    let en_ids: BTreeSet<_> = en.keys().collect();
    let ru_ids: BTreeSet<_> = ru.keys().collect();
    assert_eq!(
        en_ids.difference(&ru_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "ids only in English"
    );
    assert_eq!(
        ru_ids.difference(&en_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "ids only in Russian"
    );
    for (id, vars) in &en {
        assert_eq!(vars, &ru[id], "arguments of {id} differ between en and ru");
        assert!(
            has_message(Lang::En, id) && has_message(Lang::Ru, id),
            "{id}"
        );
    }
}

fn exceeded() -> Message {
    Message::new("limit-exceeded")
        .arg("party", Arg::Id("RU".into()))
        .arg("level", Arg::Number(1600))
        .arg("unit", Arg::Text("warheads".into()))
        .arg("limit", Arg::Text("deployed warheads".into()))
        .arg("as_of", Arg::Date(Date::new(2022, 2, 20).unwrap()))
        .arg("excess", Arg::Number(50))
        .arg("max", Arg::Number(1550))
}

#[test]
fn a_finding_renders_with_numbers_and_dates_of_its_language() {
    assert_eq!(
        try_render(Lang::En, &exceeded()).unwrap(),
        "RU declared 1,600 warheads (deployed warheads) as of 20 February 2022: 50 above the limit of 1,550"
    );
    assert_eq!(
        try_render(Lang::Ru, &exceeded()).unwrap(),
        "RU заявила 1\u{202f}600 warheads (deployed warheads) на 20 февраля 2022 г.: на 50 больше предела 1\u{202f}550"
    );
}

#[test]
fn notes_follow_the_message() {
    let note = Message::new("note-suspended")
        .arg("party", Arg::Id("RU".into()))
        .arg("date", Arg::Date(Date::new(2023, 2, 28).unwrap()));
    assert_eq!(
        english(&exceeded(), std::slice::from_ref(&note)),
        "RU declared 1,600 warheads (deployed warheads) as of 20 February 2022: 50 above the limit \
         of 1,550; RU declared its participation suspended on 28 February 2023"
    );
    assert!(
        render_finding(Lang::Ru, &exceeded(), &[note])
            .ends_with("; RU заявила о приостановке своего участия 28 февраля 2023 г.")
    );
}

#[test]
fn russian_plurals_follow_the_number() {
    let late = |days| {
        Message::new("exchange-late")
            .arg("party", Arg::Id("US".into()))
            .arg("as_of", Arg::Date(Date::new(2023, 3, 1).unwrap()))
            .arg("days", Arg::Number(days))
            .arg("due", Arg::Date(Date::new(2023, 3, 31).unwrap()))
    };
    let ru = |d| try_render(Lang::Ru, &late(d)).unwrap();
    assert!(ru(1).contains("на 1 день "), "{}", ru(1));
    assert!(ru(3).contains("на 3 дня "), "{}", ru(3));
    assert!(ru(11).contains("на 11 дней "), "{}", ru(11));
    assert!(ru(21).contains("на 21 день "), "{}", ru(21));
    let en = |d| try_render(Lang::En, &late(d)).unwrap();
    assert!(en(1).contains(" 1 day after"), "{}", en(1));
    assert!(en(2).contains(" 2 days after"), "{}", en(2));
}

#[test]
fn nested_messages_and_lists_render_in_place() {
    let msg = Message::new("zone-deployment-notified")
        .arg("party", Arg::Id("RU".into()))
        .arg("zone", Arg::Text("Belarus".into()))
        .list(
            "forces",
            "list-comma",
            vec![
                Message::new("force")
                    .arg("count", Arg::Number(30_000))
                    .arg("unit", Arg::Text("troops".into())),
                Message::new("force")
                    .arg("count", Arg::Number(250))
                    .arg("unit", Arg::Text("tanks".into())),
            ],
        );
    assert_eq!(
        try_render(Lang::En, &msg).unwrap(),
        "RU notified a deployment in Belarus (30,000 troops, 250 tanks): forbidden there"
    );
    let asked = Message::new("request-open")
        .nested(
            "request",
            Message::new("request-asked")
                .arg("requester", Arg::Id("UA".into()))
                .arg("party", Arg::Id("RU".into()))
                .nested(
                    "asked",
                    Message::new("instant")
                        .arg("date", Arg::Date(Date::new(2022, 2, 11).unwrap()))
                        .arg("time", Arg::Text("14:00".into())),
                )
                .arg("area", Arg::Text("Belarus".into()))
                .arg("cite", Arg::Text("paragraph 16".into())),
        )
        .nested(
            "due",
            Message::new("instant")
                .arg("date", Arg::Date(Date::new(2022, 2, 13).unwrap()))
                .arg("time", Arg::Text("14:00".into())),
        );
    assert_eq!(
        try_render(Lang::En, &asked).unwrap(),
        "UA asked RU on 11 February 2022, 14:00 UTC for an explanation (Belarus) under paragraph \
         16; reply open, due by 13 February 2022, 14:00 UTC"
    );
    assert!(
        try_render(Lang::Ru, &asked)
            .unwrap()
            .contains("11 февраля 2022 г., 14:00 UTC")
    );
}

#[test]
fn missing_ids_and_arguments_are_errors_but_never_panics() {
    let unknown = Message::new("no-such-message");
    assert_eq!(
        try_render(Lang::En, &unknown),
        Err(MessageError::Unknown {
            id: "no-such-message".into(),
            lang: Lang::En
        })
    );
    assert_eq!(render(Lang::Ru, &unknown), "[no-such-message]");
    let mut partial = exceeded();
    partial.args.remove("excess");
    assert!(matches!(
        try_render(Lang::En, &partial),
        Err(MessageError::Format { .. })
    ));
    assert!(render(Lang::En, &partial).starts_with("RU declared 1,600 warheads"));
}

#[test]
fn languages_are_named_by_code_or_locale() {
    assert_eq!(Lang::parse("ru"), Some(Lang::Ru));
    assert_eq!(Lang::parse("ru_RU.UTF-8"), Some(Lang::Ru));
    assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
    assert_eq!(Lang::parse("C"), None);
    assert_eq!("RU".parse::<Lang>(), Ok(Lang::Ru));
    assert!("de".parse::<Lang>().is_err());
}

#[test]
fn interface_words_come_from_the_files() {
    assert_eq!(word(Lang::En, "severity-violation"), "violation");
    assert_eq!(word(Lang::Ru, "severity-violation"), "нарушение");
    let tally = Message::new("tally")
        .arg("violations", Arg::Number(1))
        .arg("concerns", Arg::Number(12))
        .arg("compliant", Arg::Number(1200))
        .arg("not_applicable", Arg::Number(0));
    assert_eq!(
        try_render(Lang::En, &tally).unwrap(),
        "1 violation, 12 concerns, 1,200 compliant, 0 not applicable"
    );
}
