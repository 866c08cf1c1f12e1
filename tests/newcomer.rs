//! A newcomer's path through the command line, typed as a user would: the records format and
//! its linter, warnings for records `check` cannot judge, dates out of range, colour, `-q`/`-v`,
//! completions and the manual page, `log show`, and the subcommands a first tour runs.

mod common;

use std::path::{Path, PathBuf};

use common::{accord, code, ok, stderr, stdout};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn crisis() -> String {
    repo().join("examples/2022-crisis").display().to_string()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Every JSON block of docs/records.md, in order.
fn doc_examples() -> Vec<String> {
    let doc = std::fs::read_to_string(repo().join("docs/records.md")).unwrap();
    doc.split("```json\n")
        .skip(1)
        .map(|b| b[..b.find("\n```").unwrap()].to_owned())
        .collect()
}

/// A copy of the 2022 scenario with extra records appended, in a temporary directory.
fn crisis_with(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    std::fs::create_dir(&dir).unwrap();
    let src = repo().join("examples/2022-crisis");
    std::fs::copy(src.join("scenario.toml"), dir.join("scenario.toml")).unwrap();
    let mut records = std::fs::read_to_string(src.join("records.jsonl")).unwrap();
    for line in extra {
        records.push_str(line);
        records.push('\n');
    }
    std::fs::write(dir.join("records.jsonl"), records).unwrap();
    (tmp, dir)
}

/// An observation of the 2022 scenario with some fields replaced.
fn observation(id: &str, zone: &str, category: &str, actor: &str) -> String {
    let line = std::fs::read_to_string(repo().join("examples/2022-crisis/records.jsonl"))
        .unwrap()
        .lines()
        .find(|l| l.contains("\"type\":\"observation\""))
        .unwrap()
        .to_owned();
    let mut v = json(&line);
    v["id"] = id.into();
    v["body"]["area"]["zone"] = zone.into();
    v["body"]["category"] = category.into();
    v["body"]["actor"] = actor.into();
    v.to_string()
}

#[test]
fn the_published_schema_is_what_records_schema_prints() {
    let printed = ok(&["records", "schema"], repo());
    let published = std::fs::read_to_string(repo().join("docs/records.schema.json")).unwrap();
    assert_eq!(
        printed, published,
        "regenerate: accord records schema > docs/records.schema.json"
    );
    let schema = json(&printed);
    assert_eq!(schema["title"], "Record");
    assert_eq!(
        schema["required"],
        serde_json::json!(["id", "party", "issued_at", "body"])
    );
    assert_eq!(schema["additionalProperties"], false);
    let types: Vec<String> = schema["$defs"]["RecordBody"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            v["properties"]["type"]["const"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(types.len(), 22, "{types:?}");
    assert!(types.contains(&"hotline_receipt".to_owned()));
}

#[test]
fn every_record_type_has_one_example_in_the_docs_and_each_lints_clean() {
    let examples = doc_examples();
    let mut kinds: Vec<String> = examples
        .iter()
        .map(|e| json(e)["body"]["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds.len(), 22);
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds.len(), 22, "one example per type: {kinds:?}");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("docs.jsonl"), examples.join("\n") + "\n").unwrap();
    let out = accord(&["records", "lint", "docs.jsonl"], tmp.path());
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "ok: 22 records in 1 files\n");
    // And each is accepted by the parser `check` uses.
    for e in &examples {
        serde_json::from_str::<accord_model::Record>(e).unwrap();
    }
}

#[test]
fn lint_names_file_line_field_and_suggests_near_misses() {
    let tmp = tempfile::tempdir().unwrap();
    let mut typo_field = json(&observation("C", "belarus", "troops", "RU"));
    let body = typo_field["body"].as_object_mut().unwrap();
    let q = body.remove("qualifier").unwrap();
    body.insert("qualifer".into(), q);
    let lines = [
        observation("A", "belarus", "troop", "RU"),
        observation("B", "belarrus", "troops", "CN"),
        typo_field.to_string(),
        observation("A", "belarus", "troops", "RU"),
        "{\"id\": ".to_owned(),
    ];
    std::fs::write(tmp.path().join("r.jsonl"), lines.join("\n") + "\n").unwrap();
    let out = accord(
        &["records", "lint", "r.jsonl", "--scenario", &crisis()],
        tmp.path(),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let text = stdout(&out);
    let expected = [
        "r.jsonl:1: field `body.category`: category `troop` is not in the vocabulary; did you \
         mean `troops`?",
        "r.jsonl:2: field `body.actor`: party `CN` is not a party of the scenario",
        "r.jsonl:2: field `body.area.zone`: zone `belarrus` is not in the vocabulary; did you \
         mean `belarus`?",
        "r.jsonl:3: field `body.qualifer`: unknown field `qualifer`, expected one of `source`, \
         `actor`, `category`, `quantity`, `qualifier`, `area`, `date`, `attribution`, `text`, \
         `confidence`; did you mean `qualifier`?",
        "r.jsonl:4: field `id`: record id `A` is already used at r.jsonl:1",
        "r.jsonl:5: EOF while parsing a value at column 6",
        "6 problems in 1 of 1 files (2 records read)",
    ];
    assert_eq!(text.lines().collect::<Vec<_>>(), expected, "{text}");
    // -q keeps the problems and drops the summary.
    let quiet = stdout(&accord(
        &["records", "lint", "r.jsonl", "--scenario", &crisis(), "-q"],
        tmp.path(),
    ));
    assert_eq!(quiet.lines().collect::<Vec<_>>(), expected[..6]);

    let out = accord(
        &[
            "records",
            "lint",
            "r.jsonl",
            "--scenario",
            &crisis(),
            "--json",
        ],
        tmp.path(),
    );
    assert_eq!(code(&out), 2);
    let v = json(&stdout(&out));
    assert_eq!(v["ok"], false);
    assert_eq!(v["records"], 2);
    assert_eq!(v["problems"].as_array().unwrap().len(), 6);
    assert_eq!(v["problems"][0]["line"], 1);
    assert_eq!(v["problems"][0]["field"], "body.category");
    assert_eq!(v["problems"][0]["suggestion"], "troops");

    // A record type misspelt, a figure of the wrong type.
    let mut kind = json(&observation("D", "belarus", "troops", "RU"));
    kind["body"]["type"] = "observaton".into();
    let mut figure = json(&observation("E", "belarus", "troops", "RU"));
    figure["body"]["quantity"] = "many".into();
    std::fs::write(
        tmp.path().join("t.jsonl"),
        format!("{kind}\n# a comment\n\n{figure}\n"),
    )
    .unwrap();
    let text = stdout(&accord(&["records", "lint", "t.jsonl"], tmp.path()));
    assert!(
        text.starts_with("t.jsonl:1: field `body.type`: unknown variant `observaton`"),
        "{text}"
    );
    assert!(text.contains("did you mean `observation`?"), "{text}");
    assert!(
        text.contains(
            "t.jsonl:4: field `body.quantity`: invalid type: string \"many\", expected u64"
        ),
        "{text}"
    );
}

#[test]
fn lint_accepts_the_example_scenarios_and_refuses_a_missing_file() {
    let out = ok(&["records", "lint", &crisis()], repo());
    assert_eq!(out, "ok: 21 records in 1 files\n");
    let history = repo().join("examples/new-start-history");
    let out = ok(&["records", "lint", &history.display().to_string()], repo());
    assert!(out.starts_with("ok: "), "{out}");
    let missing = accord(&["records", "lint", "no/such.jsonl"], repo());
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).starts_with("error: reading no/such.jsonl"),
        "{}",
        stderr(&missing)
    );
    let empty = tempfile::tempdir().unwrap();
    let none = accord(&["records", "lint", "."], empty.path());
    assert_eq!(code(&none), 2);
    assert!(stderr(&none).contains("no scenario.toml and no *.jsonl"));
}

#[test]
fn check_warns_of_each_record_it_cannot_judge_and_counts_records_known_then() {
    let typo = observation("OSINT-X-1", "belarrus", "troops", "RU");
    let stranger = observation("OSINT-X-2", "belarus", "troops", "CN");
    let (_tmp, dir) = crisis_with(&[&typo, &stranger]);
    let dir = dir.display().to_string();
    let out = accord(&["check", &dir], repo());
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let warnings: Vec<String> = stderr(&out)
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: record OSINT-X-1 (observation): field `body.area.zone`: zone `belarrus` \
             is not in the vocabulary: not judged; did you mean `belarus`?",
            "warning: record OSINT-X-2 (observation): field `body.actor`: party `CN` is not a \
             party of the scenario: not judged",
        ]
    );
    // -q keeps the results and drops warnings, heading and tally.
    let quiet = accord(&["check", &dir, "-q"], repo());
    assert_eq!(stderr(&quiet), "");
    assert!(
        stdout(&quiet).starts_with("== VIOLATION"),
        "{}",
        stdout(&quiet)
    );
    assert!(!stdout(&quiet).contains("violations,"));

    // The heading counts the records issued by the instant, not the whole file.
    let records =
        std::fs::read_to_string(repo().join("examples/2022-crisis/records.jsonl")).unwrap();
    let by_new_year = records
        .lines()
        .filter(|l| json(l)["issued_at"].as_str().unwrap() <= "2021-12-31T23:59:59Z")
        .count();
    assert!(by_new_year > 0 && by_new_year < records.lines().count());
    let text = stdout(&accord(
        &["check", &crisis(), "--as-of", "2021-12-31"],
        repo(),
    ));
    let expected =
        format!("as of 2021-12-31T23:59:59.999999999Z: {by_new_year} records from 8 parties");
    assert!(text.contains(&expected), "{text}");
}

#[test]
fn more_than_ten_warnings_are_summarised_unless_verbose() {
    let lines: Vec<String> = (0..12)
        .map(|i| observation(&format!("OSINT-Z-{i}"), "atlantis", "troops", "RU"))
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (_tmp, dir) = crisis_with(&refs);
    let dir = dir.display().to_string();
    let normal = stderr(&accord(&["check", &dir], repo()));
    assert_eq!(
        normal.lines().filter(|l| l.contains("`atlantis`")).count(),
        10
    );
    assert!(normal.contains("warning: 2 more records not judged (-v shows them all)"));
    let verbose = stderr(&accord(&["check", &dir, "-v"], repo()));
    assert_eq!(
        verbose.lines().filter(|l| l.contains("`atlantis`")).count(),
        12
    );
}

#[test]
fn dates_beyond_the_supported_range_are_bad_input_not_a_panic() {
    for as_of in ["9999-12-30", "9001-01-01", "0999-12-31T00:00:00Z"] {
        let out = accord(&["check", &crisis(), "--as-of", as_of], repo());
        assert_eq!(code(&out), 2, "{as_of}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with(&format!("error: --as-of {as_of}")),
            "{}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("outside the supported range of years 1000 to 9000"));
        assert!(!stderr(&out).contains("panicked"));
    }
    // A scenario whose own instant lies near the end of time.
    let (_tmp, dir) = crisis_with(&[]);
    let toml = std::fs::read_to_string(dir.join("scenario.toml"))
        .unwrap()
        .replace(
            "as_of = \"2022-02-20T12:00:00Z\"",
            "as_of = \"9999-12-30T12:00:00Z\"",
        );
    std::fs::write(dir.join("scenario.toml"), toml).unwrap();
    let out = accord(&["check", &dir.display().to_string()], repo());
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("`as_of` of "), "{}", stderr(&out));
    assert!(stderr(&out).contains("9999-12-30T12:00:00Z is outside the supported range"));
    // A record dated there is refused with its line and field.
    let mut far = json(&observation("OSINT-FAR", "belarus", "troops", "RU"));
    far["body"]["date"] = "9999-12-30".into();
    let (_tmp, dir) = crisis_with(&[&far.to_string()]);
    let out = accord(&["check", &dir.display().to_string()], repo());
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out)
            .contains("records.jsonl:22: record OSINT-FAR (position 21): body.date 9999-12-30"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let always = accord(&["--color", "always", "check", &crisis()], repo());
    assert!(stdout(&always).contains("\x1b[1;31m[violation]\x1b[0m"));
    let piped = accord(&["check", &crisis()], repo());
    assert!(!stdout(&piped).contains('\x1b'));
    assert!(stdout(&piped).contains("[violation]"));
    let never = accord(&["check", &crisis(), "--color", "never"], repo());
    assert!(!stdout(&never).contains('\x1b'));
    let bad = accord(&["--color", "always", "check", "no/such/dir"], repo());
    assert!(
        stderr(&bad).starts_with("\x1b[1;31merror:\x1b[0m "),
        "{:?}",
        stderr(&bad)
    );
    let plain = accord(&["check", "no/such/dir"], repo());
    assert!(stderr(&plain).starts_with("error: "));
    let wrong = accord(&["--color", "sometimes", "check", &crisis()], repo());
    assert_eq!(code(&wrong), 2);
    assert!(stderr(&wrong).contains("possible values: auto, always, never"));
}

#[test]
fn no_color_turns_auto_colour_off() {
    // Auto colour needs a terminal, which a test does not have; what NO_COLOR does to `auto` is
    // tested in the unit tests of the output module. Here: `always` wins over NO_COLOR, and
    // NO_COLOR with `auto` into a pipe stays plain.
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let crisis = crisis();
    assert!(!stdout(&run(&["check", &crisis])).contains('\x1b'));
    assert!(stdout(&run(&["check", &crisis, "--color", "always"])).contains("\x1b[1;31m"));
}

#[test]
fn completions_and_the_manual_page_come_from_the_command_line() {
    let bash = ok(&["completions", "bash"], repo());
    assert!(bash.contains("_accord()"));
    assert!(bash.contains("records") && bash.contains("completions"));
    let zsh = ok(&["completions", "zsh"], repo());
    assert!(zsh.starts_with("#compdef accord"));
    let fish = ok(&["completions", "fish"], repo());
    assert!(fish.contains("complete -c accord"));
    let bad = accord(&["completions", "tcsh"], repo());
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("invalid value 'tcsh'"));

    let page = ok(&["man"], repo());
    assert!(page.contains(".TH accord 1"));
    assert!(page.contains("records"));
    let tmp = tempfile::tempdir().unwrap();
    ok(&["man", "--out-dir", "pages"], tmp.path());
    let check = std::fs::read_to_string(tmp.path().join("pages/accord-check.1")).unwrap();
    assert!(check.contains("\\-\\-as\\-of"), "{check}");
    assert!(tmp.path().join("pages/accord-records-lint.1").is_file());
    std::fs::write(tmp.path().join("file"), "").unwrap();
    let refused = accord(&["man", "--out-dir", "file"], tmp.path());
    assert_eq!(code(&refused), 2);
}

#[test]
fn log_show_prints_the_record_an_index_holds_and_refuses_bad_indices() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&["demo", "--log-dir", "log"], tmp.path());
    let records =
        std::fs::read_to_string(repo().join("examples/2022-crisis/records.jsonl")).unwrap();
    let lines: Vec<&str> = records.lines().collect();
    let vkey = std::fs::read_to_string(tmp.path().join("log/vkey")).unwrap();
    for i in [0, lines.len() - 1] {
        let shown = json(&ok(
            &[
                "log",
                "show",
                "log",
                "--index",
                &i.to_string(),
                "--vkey",
                vkey.trim(),
                "--json",
            ],
            tmp.path(),
        ));
        assert_eq!(shown["index"], i);
        assert_eq!(shown["size"], lines.len());
        assert_eq!(shown["kind"], "record");
        assert_eq!(
            shown["record"],
            json(lines[i]),
            "entry {i} is line {}",
            i + 1
        );
    }
    let text = ok(&["log", "show", "log", "--index", "0", "-q"], tmp.path());
    let first = json(lines[0]);
    assert!(text.starts_with(&format!(
        "entry 0 of {}: record {} by {} (declaration)",
        lines.len(),
        first["id"].as_str().unwrap(),
        first["party"].as_str().unwrap()
    )));

    let past = accord(
        &["log", "show", "log", "--index", &lines.len().to_string()],
        tmp.path(),
    );
    assert_eq!(code(&past), 2);
    assert!(stderr(&past).contains(&format!("outside the log of size {}", lines.len())));
    let other = accord_log::LogKey::generate("accord.example/other").unwrap();
    let wrong_key = accord(
        &["log", "show", "log", "--index", "0", "--vkey", other.vkey()],
        tmp.path(),
    );
    assert_eq!(code(&wrong_key), 2, "{}", stderr(&wrong_key));
    let missing = accord(&["log", "show", "nolog", "--index", "0"], tmp.path());
    assert_eq!(code(&missing), 2);
}

#[test]
fn agreements_list_and_show_and_their_failures() {
    let text = ok(&["agreements", "list"], repo());
    let ids: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "new-start",
            "vienna-document-2011",
            "inf",
            "us-proposal-2022",
            "nato-proposal-2022"
        ],
        "{text}"
    );
    let v = json(&ok(&["agreements", "list", "--json"], repo()));
    let listed: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ids);
    assert_eq!(v[0]["file"], "new-start.toml");
    assert_eq!(
        v[4]["title"],
        "NATO response to the Russian draft agreement on security measures"
    );

    let shown = ok(
        &["agreements", "show", "new-start", "--as-of", "2022-02-20"],
        repo(),
    );
    assert!(shown.starts_with("new-start — "), "{shown}");
    assert!(shown.contains("art-ii-1-b"), "{shown}");
    let parsed = json(&ok(&["agreements", "show", "new-start", "--json"], repo()));
    assert_eq!(parsed["id"], "new-start");
    let missing = accord(&["agreements", "show", "no-such-agreement"], repo());
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).starts_with("error: no-such-agreement: cannot read"),
        "{}",
        stderr(&missing)
    );
    let bad_date = accord(
        &["agreements", "show", "new-start", "--as-of", "soon"],
        repo(),
    );
    assert_eq!(code(&bad_date), 2);
    let extra = accord(&["agreements", "list", "extra"], repo());
    assert_eq!(code(&extra), 2);
}

#[test]
fn accord_data_stands_in_for_data() {
    let tmp = tempfile::tempdir().unwrap();
    let with_flag = json(&ok(&["keys", "--data", "node", "--json"], tmp.path()));
    let from_env = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["keys", "--json"])
        .env("ACCORD_DATA", "node")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(code(&from_env), 0, "{}", stderr(&from_env));
    let from_env = json(&stdout(&from_env));
    assert_eq!(
        from_env["public_key"], with_flag["public_key"],
        "the same node's key"
    );
    let neither = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["keys"])
        .env_remove("ACCORD_DATA")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(code(&neither), 2);
    assert!(
        stderr(&neither).contains("--data <DIR>"),
        "{}",
        stderr(&neither)
    );
    let help = ok(&["keys", "--help"], tmp.path());
    assert!(help.contains("[env: ACCORD_DATA"), "{help}");
}

#[test]
fn a_long_list_of_lint_problems_is_cut_short_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("bad.jsonl"), "not json\n".repeat(30)).unwrap();
    let out = accord(&["records", "lint", "bad.jsonl"], tmp.path());
    assert_eq!(code(&out), 2);
    let text = stdout(&out);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("bad.jsonl:")).count(),
        20
    );
    assert!(
        text.contains("... 10 more problems (-v shows them all)"),
        "{text}"
    );
    let all = stdout(&accord(&["-v", "records", "lint", "bad.jsonl"], tmp.path()));
    assert_eq!(
        all.lines().filter(|l| l.starts_with("bad.jsonl:")).count(),
        30
    );
}
