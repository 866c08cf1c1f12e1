//! End-to-end tests of `accord declare`, `accord limit` and `accord inspect` on small declarations.

mod common;

use std::path::Path;
use std::process::Output;

use common::{accord, code, ok, stderr, stdout};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Totals: icbms 34, warheads 68, heavy_bombers 3. New START Article II.1(b) counts warheads
/// plus heavy bombers (71 <= 1550); Article II.1(a) counts slbms, which this escrow lacks.
const DECLARATION: &str = r#"{
  "party": "RU", "agreement": "new-start", "as_of": "2026-02-05", "bits": 16, "batch": 4,
  "sites": [
    {"site": "kozelsk", "phase": "1", "counts": {"icbms": 10, "warheads": 40}},
    {"site": "tatishchevo", "phase": "1", "counts": {"icbms": 6, "warheads": 6}},
    {"site": "engels", "phase": "2", "counts": {"heavy_bombers": 3, "icbms": 0}},
    {"site": "teykovo", "phase": "2", "counts": {"icbms": 18, "warheads": 22}}
  ]
}"#;

/// A committed declaration in a temporary directory: decl.json, secret.json, commitment.json.
fn committed() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("decl.json"), DECLARATION).unwrap();
    let out = ok(
        &[
            "declare",
            "commit",
            "--input",
            "decl.json",
            "--secret-out",
            "secret.json",
            "--record-out",
            "commitment.json",
            "--issued-at",
            "2026-02-05T12:00:00Z",
            "--json",
        ],
        tmp.path(),
    );
    let summary = json(&out);
    assert_eq!(summary["record"], "RU-commitment-2026-02-05");
    assert_eq!(summary["sites"], 4);
    assert_eq!(summary["entries"], 12);
    assert_eq!(summary["range_proofs"], 3);
    tmp
}

fn reveal_phase(dir: &Path, phase: &str, out: &str) {
    ok(
        &[
            "declare",
            "reveal",
            "--secret",
            "secret.json",
            "--commitment",
            "commitment.json",
            "--phase",
            phase,
            "--record-out",
            out,
        ],
        dir,
    );
}

#[test]
fn declare_commit_reveal_and_verify_step_by_step() {
    let tmp = committed();
    let dir = tmp.path();
    let record = json(&std::fs::read_to_string(dir.join("commitment.json")).unwrap());
    assert_eq!(record["body"]["type"], "declaration_commitment");
    assert_eq!(record["issued_at"], "2026-02-05T12:00:00Z");
    reveal_phase(dir, "1", "reveal-1.json");
    reveal_phase(dir, "2", "reveal-2.json");
    let report = json(&ok(
        &[
            "declare",
            "verify",
            "--commitment",
            "commitment.json",
            "--reveal",
            "reveal-1.json",
            "--reveal",
            "reveal-2.json",
            "--json",
        ],
        dir,
    ));
    let text = report.to_string();
    for site in ["kozelsk", "tatishchevo", "engels", "teykovo"] {
        assert!(text.contains(site), "{site} revealed: {text}");
    }
    // The reveal record's id defaults from the commitment and the phase.
    let r = json(&std::fs::read_to_string(dir.join("reveal-1.json")).unwrap());
    assert_eq!(r["id"], "RU-commitment-2026-02-05-reveal-1");
}

#[test]
fn a_tampered_reveal_fails_with_exit_1_and_says_why() {
    let tmp = committed();
    let dir = tmp.path();
    reveal_phase(dir, "1", "reveal.json");
    let mut record = json(&std::fs::read_to_string(dir.join("reveal.json")).unwrap());
    let entries = record["body"]["entries"].as_str().unwrap().to_owned();
    let mut bundle = json(&String::from_utf8(B64.decode(entries).unwrap()).unwrap());
    let count = bundle["entries"][0]["entry"]["count"].as_u64().unwrap();
    bundle["entries"][0]["entry"]["count"] = Value::from(count + 1);
    record["body"]["entries"] = Value::from(B64.encode(bundle.to_string()));
    std::fs::write(dir.join("tampered.json"), record.to_string()).unwrap();
    let verify = [
        "declare",
        "verify",
        "--commitment",
        "commitment.json",
        "--reveal",
        "tampered.json",
    ];
    let o = accord(&verify, dir);
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("tampered entry"), "{}", stdout(&o));
    // With --json the failure is still JSON, and says the same.
    let o = accord(&[&verify[..], &["--json"]].concat(), dir);
    assert_eq!(code(&o), 1);
    assert!(json(&stdout(&o)).to_string().contains("tampered entry"));
}

#[test]
fn malformed_inputs_name_the_file_and_field_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let too_big = DECLARATION.replace(r#""warheads": 22"#, r#""warheads": 70000"#);
    std::fs::write(dir.join("big.json"), too_big).unwrap();
    let commit = |input: &str| {
        accord(
            &[
                "declare",
                "commit",
                "--input",
                input,
                "--secret-out",
                "s.json",
                "--record-out",
                "c.json",
            ],
            dir,
        )
    };
    let o = commit("big.json");
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("big.json") && e.contains("teykovo") && e.contains("warheads"),
        "{e}"
    );
    assert!(e.contains("does not fit in 16 bits"), "{e}");
    std::fs::write(
        dir.join("typo.json"),
        DECLARATION.replace("\"sites\"", "\"sitez\""),
    )
    .unwrap();
    let o = commit("typo.json");
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("typo.json") && stderr(&o).contains("sitez"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("c.json").exists(), "nothing written on bad input");
    std::fs::write(dir.join("broken.json"), "{\"id\": ").unwrap();
    let o = accord(&["declare", "verify", "--commitment", "broken.json"], dir);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("broken.json"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

fn prove(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "limit",
        "prove",
        "--secret",
        "secret.json",
        "--commitment",
        "commitment.json",
        "--record-out",
        "proof.json",
    ];
    args.extend_from_slice(extra);
    accord(&args, dir)
}

fn verify_limit(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "limit",
        "verify",
        "--commitment",
        "commitment.json",
        "--proof",
        "proof.json",
    ];
    args.extend_from_slice(extra);
    accord(&args, dir)
}

#[test]
fn a_provision_weighted_limit_is_proven_from_the_agreement_and_verified() {
    let tmp = committed();
    let dir = tmp.path();
    let o = prove(dir, &["--provision", "art-ii-1-b", "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let summary = json(&stdout(&o));
    assert_eq!(summary["limits"][0]["limit"], 1550);
    assert_eq!(summary["limits"][0]["terms"].as_array().unwrap().len(), 2);
    let o = verify_limit(dir, &["--agreement", "new-start", "--json"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let report = json(&stdout(&o));
    assert_eq!(report["verified"], true);
    assert_eq!(report["checked_against_agreement"], true);
    // The same limit, stated by hand in another order, matches the proof too.
    let o = verify_limit(dir, &["--limit", "heavy_bombers+warheads=1550"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    // A weaker limit than the agreement's fails.
    let o = verify_limit(dir, &["--limit", "heavy_bombers+warheads=2000"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    // Another agreement's provisions do not apply to a new-start declaration.
    let o = verify_limit(dir, &["--agreement", "inf"]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert!(
        stderr(&o).contains("made under new-start"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn weighted_limits_that_hold_prove_and_exceeded_ones_do_not() {
    let tmp = committed();
    let dir = tmp.path();
    // warheads + 2*heavy_bombers = 68 + 6 = 74.
    let o = prove(
        dir,
        &[
            "--provision",
            "art-ii-1-b",
            "--limit",
            "warheads+2*heavy_bombers=74",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("warheads + 2*heavy_bombers <= 74"),
        "{}",
        stdout(&o)
    );
    let o = verify_limit(dir, &["--limit", "2*heavy_bombers+warheads=74"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    // Held to the agreement (weight 1 for bombers), this proof is for another quantity.
    let o = verify_limit(dir, &["--agreement", "new-start"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(stdout(&o).contains("says nothing of"), "{}", stdout(&o));
    // A proof edited to other weights does not verify.
    let mut record = json(&std::fs::read_to_string(dir.join("proof.json")).unwrap());
    let inner = record["body"]["proof"].as_str().unwrap().to_owned();
    let mut proof = json(&String::from_utf8(B64.decode(inner).unwrap()).unwrap());
    proof["limits"][0]["terms"][1]["weight"] = Value::from(1);
    record["body"]["proof"] = Value::from(B64.encode(proof.to_string()));
    std::fs::write(dir.join("proof.json"), record.to_string()).unwrap();
    let o = verify_limit(dir, &["--json"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert_eq!(json(&stdout(&o))["verified"], false);

    // 73 < 74: no proof, exit 1, nothing written.
    std::fs::remove_file(dir.join("proof.json")).unwrap();
    let o = prove(
        dir,
        &[
            "--provision",
            "art-ii-1-b",
            "--limit",
            "warheads+2*heavy_bombers=73",
        ],
    );
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("exceeds the limit 73"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("proof.json").exists());
}

#[test]
fn a_provision_counting_a_category_not_escrowed_is_an_error_naming_both() {
    let tmp = committed();
    let dir = tmp.path();
    // Article II.1(a) counts ICBMs, SLBMs and heavy bombers; this escrow has no slbms.
    let o = prove(dir, &["--provision", "art-ii-1-a"]);
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("art-ii-1-a") && e.contains("slbms"), "{e}");
    let o = prove(dir, &["--provision", "inspections-type-one"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not a limit"), "{}", stderr(&o));
    let o = prove(dir, &["--provision", "art-ii-1-b", "--limit", "warheads=x"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("whole number"), "{}", stderr(&o));
}

fn inspection_report(dir: &Path, name: &str, site: &str, counts: &[(&str, u64)]) {
    let counts: Vec<Value> = counts
        .iter()
        .map(|(c, n)| serde_json::json!({"category": c, "status": "deployed", "counted": n}))
        .collect();
    let record = serde_json::json!({
        "id": format!("US-report-{site}"), "party": "US", "issued_at": "2026-03-01T12:00:00Z",
        "body": {"type": "inspection_report", "request": "US-request-1", "site": site,
                 "date": "2026-03-01", "counts": counts},
    });
    std::fs::write(dir.join(name), record.to_string()).unwrap();
}

#[test]
fn inspections_are_selected_fairly_reported_and_planned() {
    let tmp = committed();
    let dir = tmp.path();
    for party in ["US", "RU"] {
        ok(
            &[
                "inspect",
                "seed",
                "--round",
                "r1",
                "--party",
                party,
                "--commit-out",
                &format!("{party}-commit.json"),
                "--reveal-out",
                &format!("{party}-reveal.json"),
            ],
            dir,
        );
    }
    let select = [
        "inspect",
        "select",
        "--round",
        "r1",
        "--commit",
        "US-commit.json",
        "--commit",
        "RU-commit.json",
        "--reveal",
        "US-reveal.json",
        "--reveal",
        "RU-reveal.json",
        "--commitment",
        "commitment.json",
        "--quota",
        "2",
        "--json",
    ];
    let first = json(&ok(&select, dir));
    assert_eq!(first, json(&ok(&select, dir)), "anyone reproduces the draw");
    let positions: Vec<String> = first["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
        .collect();
    assert_eq!(positions.len(), 2);

    // Reveal everything, then hold reports against it.
    reveal_phase(dir, "1", "reveal-1.json");
    reveal_phase(dir, "2", "reveal-2.json");
    let report_as = |name: &str, format: &[&str]| {
        let mut args = vec![
            "inspect",
            "report",
            "--commitment",
            "commitment.json",
            "--reveal",
            "reveal-1.json",
            "--reveal",
            "reveal-2.json",
            "--report",
            name,
            "--provision",
            "inspections-type-one",
        ];
        args.extend_from_slice(format);
        accord(&args, dir)
    };
    let report = |name: &str| report_as(name, &["--json"]);
    inspection_report(
        dir,
        "good.json",
        "kozelsk",
        &[("icbms", 10), ("warheads", 40)],
    );
    let o = report("good.json");
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    json(&stdout(&o));
    inspection_report(dir, "bad.json", "kozelsk", &[("icbms", 12)]);
    let o = report("bad.json");
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    assert!(json(&stdout(&o)).to_string().contains("kozelsk"));
    inspection_report(dir, "hidden.json", "dombarovsky", &[("icbms", 6)]);
    let o = report("hidden.json");
    assert_eq!(code(&o), 1, "items at an undeclared site: {}", stdout(&o));
    // In words, the missing reveal is named as such, not as a Rust value.
    let text = report_as("hidden.json", &[]);
    assert_eq!(code(&text), 1);
    let text = stdout(&text);
    assert!(
        text.contains("missing: a verified reveal of site dombarovsky under commitment"),
        "{text}"
    );
    assert!(!text.contains("Absence {"), "{text}");

    let plan = json(&ok(
        &[
            "inspect",
            "plan",
            "--sites",
            "100",
            "--false",
            "5",
            "--inspections",
            "20",
            "--json",
        ],
        dir,
    ));
    // P(detect) = 1 - C(95,20)/C(100,20) = 1 - (80*79*78*77*76)/(100*99*98*97*96).
    let expected = 1.0 - (80.0 * 79.0 * 78.0 * 77.0 * 76.0) / (100.0 * 99.0 * 98.0 * 97.0 * 96.0);
    assert_eq!(
        (&plan["sites"], &plan["false"], &plan["inspections"]),
        (
            &serde_json::json!(100),
            &serde_json::json!(5),
            &serde_json::json!(20)
        )
    );
    let p = plan["probability"].as_f64().unwrap();
    assert!(
        (p - expected).abs() < 1e-12,
        "P(detect) for 20 of 100 with 5 false is {expected} (0.6807), not {p}"
    );
    let o = accord(
        &[
            "inspect",
            "plan",
            "--sites",
            "10",
            "--false",
            "11",
            "--inspections",
            "2",
        ],
        dir,
    );
    assert_eq!(code(&o), 2, "k > N is bad input: {}", stderr(&o));
}
