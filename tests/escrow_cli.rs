//! End-to-end tests of `accord declare`, `accord limit` and `accord inspect` on small declarations.

mod common;

use std::path::Path;
use std::process::Output;

use common::{accord, code, ok, stderr, stdout};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use rand_chacha::rand_core::SeedableRng as _;
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
    let bundle = json(&String::from_utf8(B64.decode(entries).unwrap()).unwrap());
    // One count raised by one: it no longer opens the entry's commitment.
    let mut raised = bundle.clone();
    let count = raised["entries"][0]["count"].as_u64().unwrap();
    raised["entries"][0]["count"] = Value::from(count + 1);
    let mut r = record.clone();
    r["body"]["entries"] = Value::from(B64.encode(raised.to_string()));
    std::fs::write(dir.join("raised.json"), r.to_string()).unwrap();
    let o = accord(
        &[
            "declare",
            "verify",
            "--commitment",
            "commitment.json",
            "--reveal",
            "raised.json",
        ],
        dir,
    );
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("count does not open its commitment"),
        "{}",
        stdout(&o)
    );
    // The entry moved to another phase: it is no longer the entry committed.
    let mut bundle = bundle;
    bundle["entries"][0]["entry"]["phase"] = Value::from("9");
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
        "--provision",
        "art-ii-1-b",
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
    assert_eq!(report["required"][0]["limit"], 1550);
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
    let o = verify_limit(dir, &["--limit", "warheads+2*heavy_bombers=74", "--json"]);
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
fn inspections_are_reported_and_planned() {
    let tmp = committed();
    let dir = tmp.path();
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

#[test]
fn the_verifier_states_the_provision_and_limit_it_requires() {
    let tmp = committed();
    let dir = tmp.path();
    // A party proves an absurd limit of its own choosing...
    let o = prove(
        dir,
        &[
            "--provision",
            "art-ii-1-b",
            "--limit",
            "warheads=4000000000",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // ...which no verifier accepts without saying what it requires,
    let o = accord(
        &[
            "limit",
            "verify",
            "--commitment",
            "commitment.json",
            "--proof",
            "proof.json",
            "--provision",
            "art-ii-1-b",
        ],
        dir,
    );
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("--limit"), "{}", stderr(&o));
    // and which the agreement's limit refuses.
    let o = verify_limit(dir, &["--agreement", "new-start"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("says nothing of warheads + heavy_bombers"),
        "{}",
        stdout(&o)
    );

    // A proof of the right limit filed under another provision is not the one required.
    let o = prove(
        dir,
        &[
            "--provision",
            "art-ii-1-c",
            "--limit",
            "warheads+heavy_bombers=1550",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = verify_limit(dir, &["--agreement", "new-start"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("filed under provision art-ii-1-c, the verifier requires art-ii-1-b"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_limit_proof_for_another_date_than_the_declaration_is_refused() {
    let tmp = committed();
    let dir = tmp.path();
    // The prover cannot pick a date any more: the proof holds for the declaration's date.
    let o = prove(dir, &["--provision", "art-ii-1-b", "--date", "2031-12-31"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    // A proof made for 2031-12-31 over the 2026-02-05 declaration (as a party could make one
    // with the library) is refused, and so is the record relabelled with either date.
    let secret = accord_escrow::EscrowSecret::from_json(
        &std::fs::read_to_string(dir.join("secret.json")).unwrap(),
    )
    .unwrap();
    let provision = accord_model::ProvisionId::new("art-ii-1-b").unwrap();
    for (proof_date, record_date) in [
        ("2031-12-31", "2031-12-31"),
        ("1990-01-01", "1990-01-01"),
        ("2031-12-31", "2026-02-05"),
    ] {
        let ctx = accord_escrow::LimitContext {
            agreement: secret.agreement.clone(),
            provision: provision.clone(),
            party: secret.party.clone(),
            date: proof_date.parse().unwrap(),
            root: secret.root_bytes().unwrap(),
        };
        let limit = accord_escrow::LimitValue {
            terms: ["warheads", "heavy_bombers"]
                .iter()
                .map(|c| accord_escrow::LimitTerm {
                    category: accord_model::Category::new(*c).unwrap(),
                    weight: 1,
                })
                .collect(),
            limit: 1550,
        };
        let proof = accord_escrow::prove_limit(
            &secret.openings().unwrap(),
            &ctx,
            &[limit],
            &mut rand_chacha::ChaCha20Rng::from_seed([1; 32]),
        )
        .unwrap();
        let record = serde_json::json!({
            "id": "RU-limit", "party": "RU", "issued_at": "2026-02-06T00:00:00Z",
            "body": {"type": "limit_proof", "agreement": "new-start", "provision": "art-ii-1-b",
                     "commitment": "RU-commitment-2026-02-05", "as_of": record_date,
                     "proof": proof.encode()},
        });
        std::fs::write(dir.join("proof.json"), record.to_string()).unwrap();
        let o = verify_limit(dir, &["--agreement", "new-start", "--json"]);
        assert_eq!(code(&o), 1, "{proof_date}/{record_date}: {}", stdout(&o));
        assert_eq!(json(&stdout(&o))["verified"], false);
        if record_date != "2026-02-05" {
            assert!(
                stdout(&o).contains("the declaration holds for 2026-02-05"),
                "{}",
                stdout(&o)
            );
        }
    }
}

#[test]
fn a_commitment_record_one_commitment_short_is_bad_input_not_a_crash() {
    let tmp = committed();
    let dir = tmp.path();
    let mut record = json(&std::fs::read_to_string(dir.join("commitment.json")).unwrap());
    let counts = record["body"]["counts"].as_str().unwrap().to_owned();
    let mut inner = json(&String::from_utf8(B64.decode(counts).unwrap()).unwrap());
    inner["commitments"].as_array_mut().unwrap().pop();
    record["body"]["counts"] = Value::from(B64.encode(inner.to_string()));
    std::fs::write(dir.join("short.json"), record.to_string()).unwrap();
    reveal_phase(dir, "1", "reveal-1.json");
    for extra in [&["--no-range-proofs"][..], &[]] {
        let mut args = vec![
            "declare",
            "verify",
            "--commitment",
            "short.json",
            "--reveal",
            "reveal-1.json",
        ];
        args.extend_from_slice(extra);
        let o = accord(&args, dir);
        assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("11 commitments for 4 sites x 3 categories"),
            "{}",
            stderr(&o)
        );
    }
}

/// Runs accord, expects exit 0, and writes what it printed to `file` in `dir`.
fn ok_to(args: &[&str], dir: &Path, file: &str) -> String {
    let out = ok(args, dir);
    std::fs::write(dir.join(file), &out).unwrap();
    out
}

/// Verifier keys of both parties' logs and witnesses, as `inspect select` takes them.
struct Keys {
    args: Vec<String>,
}

/// A committed declaration logged by RU and witnessed by US, with both parties' seeds committed
/// and logged, and each party's witness having cosigned the other's log: everything a round
/// needs before the reveals. Returns the keys.
fn round_up_to_reveals(dir: &Path) -> Keys {
    let mut vkeys = std::collections::BTreeMap::new();
    for (name, origin) in [
        ("ru", "ru.example/log"),
        ("us", "us.example/log"),
        ("ru-w", "ru.example/witness"),
        ("us-w", "us.example/witness"),
    ] {
        let out = ok(
            &[
                "log",
                "keygen",
                "--origin",
                origin,
                "--out",
                &format!("{name}.key"),
            ],
            dir,
        );
        vkeys.insert(name, out.trim().to_owned());
    }
    let cosign = |log: &str, witness: &str, vkey: &str, party: &str| -> String {
        let out = ok(
            &[
                "log",
                "cosign",
                log,
                "--key",
                witness,
                "--vkey",
                vkey,
                "--party",
                party,
                "--state",
                &format!("{witness}.{party}.state"),
                "--out",
                &format!("{log}.by-{witness}.note"),
                "--json",
            ],
            dir,
        );
        json(&out)["cosigner"].as_str().unwrap().to_owned()
    };
    let prove = |log: &str, witness: &str, index: &str, out: &str| {
        ok_to(
            &[
                "log",
                "prove",
                log,
                "--index",
                index,
                "--checkpoint",
                &format!("{log}.by-{witness}.note"),
                "--json",
            ],
            dir,
            out,
        );
    };
    ok(
        &[
            "log",
            "append",
            "ru-log",
            "--key",
            "ru.key",
            "commitment.json",
        ],
        dir,
    );
    let us_cosigner = cosign("ru-log", "us-w.key", &vkeys["ru"], "RU");
    prove("ru-log", "us-w.key", "0", "decl-receipt.json");
    for party in ["US", "RU"] {
        let lower = party.to_lowercase();
        ok(
            &[
                "inspect",
                "seed",
                "commit",
                "--round",
                "r1",
                "--party",
                party,
                "--declaration-receipt",
                "decl-receipt.json",
                "--seed-out",
                &format!("{lower}-seed.json"),
                "--record-out",
                &format!("{lower}-c.json"),
                "--issued-at",
                "2026-03-01T00:00:00Z",
            ],
            dir,
        );
        ok(
            &[
                "log",
                "append",
                &format!("{lower}-log"),
                "--key",
                &format!("{lower}.key"),
                &format!("{lower}-c.json"),
            ],
            dir,
        );
    }
    let ru_cosigner = cosign("us-log", "ru-w.key", &vkeys["us"], "US");
    prove("us-log", "ru-w.key", "0", "us-c-receipt.json");
    cosign("ru-log", "us-w.key", &vkeys["ru"], "RU");
    prove("ru-log", "us-w.key", "1", "ru-c-receipt.json");
    Keys {
        args: vec![
            format!("US={}", vkeys["us"]),
            format!("RU={}", vkeys["ru"]),
            format!("US={us_cosigner}"),
            format!("RU={ru_cosigner}"),
        ],
    }
}

fn reveal_seed(dir: &Path, party: &str, seen: &str) {
    let lower = party.to_lowercase();
    ok(
        &[
            "inspect",
            "seed",
            "reveal",
            "--seed",
            &format!("{lower}-seed.json"),
            "--seen",
            seen,
            "--record-out",
            &format!("{lower}-r.json"),
            "--issued-at",
            "2026-03-02T00:00:00Z",
        ],
        dir,
    );
}

/// Copies the record `from` to `to`, changed by `change`.
fn edit_record(dir: &Path, from: &str, to: &str, change: impl FnOnce(&mut Value)) {
    let mut r = json(&std::fs::read_to_string(dir.join(from)).unwrap());
    change(&mut r);
    std::fs::write(dir.join(to), r.to_string()).unwrap();
}

/// Expects exit 1 with `text` on standard output.
fn refused(o: &Output, text: &str) {
    assert_eq!(code(o), 1, "{}{}", stdout(o), stderr(o));
    assert!(stdout(o).contains(text), "{}", stdout(o));
}

/// A round with both seeds committed and revealed in order.
fn revealed_round() -> (tempfile::TempDir, Keys) {
    let tmp = committed();
    let keys = round_up_to_reveals(tmp.path());
    reveal_seed(tmp.path(), "US", "ru-c-receipt.json");
    reveal_seed(tmp.path(), "RU", "us-c-receipt.json");
    (tmp, keys)
}

fn select(dir: &Path, keys: &Keys, reveals: &[&str], extra: &[&str]) -> Output {
    select_from(dir, "commitment.json", keys, reveals, extra)
}

fn select_from(
    dir: &Path,
    declaration: &str,
    keys: &Keys,
    reveals: &[&str],
    extra: &[&str],
) -> Output {
    let mut args = vec![
        "inspect",
        "select",
        "--round",
        "r1",
        "--declaration",
        declaration,
        "--commit",
        "us-c.json",
        "--commit",
        "ru-c.json",
        "--log-key",
        &keys.args[0],
        "--log-key",
        &keys.args[1],
        "--cosigner",
        &keys.args[2],
        "--cosigner",
        &keys.args[3],
    ];
    for r in reveals {
        args.extend(["--reveal", r]);
    }
    args.extend_from_slice(extra);
    accord(&args, dir)
}

#[test]
fn a_round_in_order_draws_from_the_declaration_and_reveals_must_match_the_draw() {
    let (tmp, keys) = revealed_round();
    let dir = tmp.path();
    let extra = ["--quota", "2", "--selection-out", "sel.json", "--json"];
    let o = select(dir, &keys, &["us-r.json", "ru-r.json"], &extra);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let first = json(&stdout(&o));
    assert_eq!(first["verified"], true);
    let sel = &first["selection"];
    assert_eq!(sel["commitment"], "RU-commitment-2026-02-05");
    let record = json(&std::fs::read_to_string(dir.join("commitment.json")).unwrap());
    assert_eq!(sel["root"], record["body"]["root"]);
    assert_eq!(sel["contributors"], serde_json::json!(["RU", "US"]));
    // Anyone with the records draws the same positions.
    let o = select(dir, &keys, &["ru-r.json", "us-r.json"], &extra);
    assert_eq!(json(&stdout(&o))["selection"], *sel);
    let drawn: Vec<u64> = sel["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_u64().unwrap())
        .collect();
    assert_eq!(drawn.len(), 2);

    // RU reveals exactly the drawn positions; that reveal answers the selection.
    ok(
        &[
            "declare",
            "reveal",
            "--secret",
            "secret.json",
            "--commitment",
            "commitment.json",
            "--selection",
            "sel.json",
            "--record-out",
            "drawn.json",
        ],
        dir,
    );
    let verify = |reveal: &str| {
        accord(
            &[
                "declare",
                "verify",
                "--commitment",
                "commitment.json",
                "--reveal",
                reveal,
                "--selection",
                "sel.json",
                "--no-range-proofs",
            ],
            dir,
        )
    };
    let o = verify("drawn.json");
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    // A reveal of one drawn position and one other is refused, naming both.
    let other = (0..4u64).find(|p| !drawn.contains(p)).unwrap();
    ok(
        &[
            "declare",
            "reveal",
            "--secret",
            "secret.json",
            "--commitment",
            "commitment.json",
            "--position",
            &drawn[0].to_string(),
            "--position",
            &other.to_string(),
            "--record-out",
            "swapped.json",
        ],
        dir,
    );
    let o = verify("swapped.json");
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("do not answer the selection"), "{out}");
    assert!(out.contains(&format!("missing {}", drawn[1])), "{out}");
    assert!(out.contains(&format!("not drawn: {other}")), "{out}");
    // inspect report holds the same line.
    inspection_report(
        dir,
        "report.json",
        "kozelsk",
        &[("icbms", 10), ("warheads", 40)],
    );
    let o = accord(
        &[
            "inspect",
            "report",
            "--commitment",
            "commitment.json",
            "--reveal",
            "swapped.json",
            "--selection",
            "sel.json",
            "--report",
            "report.json",
            "--provision",
            "inspections-type-one",
        ],
        dir,
    );
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("do not answer the selection"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_round_out_of_order_or_from_another_declaration_is_refused() {
    let (tmp, keys) = revealed_round();
    let dir = tmp.path();
    // A US reveal that cannot show it saw RU's commit first (made before RU committed).
    edit_record(dir, "us-r.json", "us-early.json", |r| {
        r["body"]["seen"] = serde_json::json!([])
    });
    let o = select(
        dir,
        &keys,
        &["us-early.json", "ru-r.json"],
        &["--quota", "2"],
    );
    refused(&o, "shows no receipt of RU's seed commit RU-seed-commit-r1");
    // The same seeds against a second declaration of the same size.
    ok(
        &[
            "declare",
            "commit",
            "--input",
            "decl.json",
            "--secret-out",
            "secret-2.json",
            "--record-out",
            "commitment-2.json",
        ],
        dir,
    );
    let o = select_from(
        dir,
        "commitment-2.json",
        &keys,
        &["us-r.json", "ru-r.json"],
        &["--quota", "2"],
    );
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("the seed commit draws from"),
        "{}",
        stdout(&o)
    );
    // A seed that does not open its commit.
    edit_record(dir, "ru-r.json", "ru-forged.json", |r| {
        r["body"]["seed"] = Value::from("00".repeat(32))
    });
    let o = select(
        dir,
        &keys,
        &["us-r.json", "ru-forged.json"],
        &["--quota", "2"],
    );
    refused(&o, "does not open its commitment");
}

#[test]
fn a_withheld_seed_is_pending_then_a_violation_and_the_agreement_decides() {
    let tmp = committed();
    let dir = tmp.path();
    let keys = round_up_to_reveals(dir);
    reveal_seed(dir, "US", "ru-c-receipt.json");
    // RU has seen the US seed and withholds its own. New START: 48 hours, then free choice.
    let rule = [
        "--quota",
        "2",
        "--agreement",
        "new-start",
        "--provision",
        "inspections-type-one",
    ];
    let at = |t: &'static str| [&rule[..], &["--at", t]].concat();
    let o = select(dir, &keys, &["us-r.json"], &at("2026-03-02T12:00:00Z"));
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o)
            .contains("RU has not revealed its seed of round r1 yet (due by 2026-03-03T00:00:00Z)"),
        "{}",
        stderr(&o)
    );
    let o = select(dir, &keys, &["us-r.json"], &at("2026-03-03T00:00:01Z"));
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("--choose"), "{}", stderr(&o));
    let mut args = at("2026-03-03T00:00:01Z");
    args.extend(["--choose", "3", "--choose", "0", "--json"]);
    let o = select(dir, &keys, &["us-r.json"], &args);
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    let out = json(&stdout(&o));
    assert_eq!(out["selection"]["method"], "free_choice");
    assert_eq!(out["selection"]["selected"], serde_json::json!([3, 0]));
    assert_eq!(out["selection"]["withheld"], serde_json::json!(["RU"]));
    let f = &out["findings"][0];
    assert_eq!(f["party"], "RU");
    assert_eq!(f["severity"], "violation");
    assert!(
        f["summary"]
            .as_str()
            .unwrap()
            .contains("did not reveal it by 2026-03-03T00:00:00Z"),
        "{f}"
    );
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn secrets_are_private_and_never_overwritten_without_force() {
    let tmp = committed();
    let dir = tmp.path();
    assert_eq!(mode(&dir.join("secret.json")), 0o600);
    let before = std::fs::read(dir.join("secret.json")).unwrap();
    let commit = |extra: &[&str]| {
        let mut args = vec![
            "declare",
            "commit",
            "--input",
            "decl.json",
            "--secret-out",
            "secret.json",
            "--record-out",
            "commitment-again.json",
        ];
        args.extend_from_slice(extra);
        accord(&args, dir)
    };
    let o = commit(&[]);
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("secret.json: already exists") && stderr(&o).contains("--force"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(dir.join("secret.json")).unwrap(), before);
    assert!(!dir.join("commitment-again.json").exists());
    let o = commit(&["--force"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_ne!(std::fs::read(dir.join("secret.json")).unwrap(), before);
    assert_eq!(mode(&dir.join("secret.json")), 0o600);
    // Seeds before their reveal are secrets too.
    let keys = round_up_to_reveals(dir);
    let _ = keys;
    assert_eq!(mode(&dir.join("us-seed.json")), 0o600);
    let seed = std::fs::read(dir.join("us-seed.json")).unwrap();
    let o = accord(
        &[
            "inspect",
            "seed",
            "commit",
            "--round",
            "r1",
            "--party",
            "US",
            "--declaration-receipt",
            "decl-receipt.json",
            "--seed-out",
            "us-seed.json",
            "--record-out",
            "us-c-2.json",
        ],
        dir,
    );
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(std::fs::read(dir.join("us-seed.json")).unwrap(), seed);
    // No temporary file is left behind.
    let stray: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".accord-secret-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

/// `accord serve` for RU on port 0 in `data`, holding New START; stopped when dropped.
struct Serve(std::process::Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(data: &Path) -> Serve {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["serve", "--party", "RU", "--listen", "127.0.0.1:0"])
        .args(["--agreement", "new-start", "--data"])
        .arg(data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("accord serve starts");
    let node = Serve(child);
    // node.json is written once the node is bound.
    common::wait_until(
        "the node writes node.json",
        std::time::Duration::from_secs(30),
        || accord_node::client::read_node_file(data).map_err(|e| e.to_string()),
    );
    node
}

/// The size of RU's New START log in the node running on `data`.
fn logged(data: &Path) -> u64 {
    let file = accord_node::client::read_node_file(data).unwrap();
    let key = accord_node::keys::load_key(data).unwrap();
    let client = accord_node::client::Client::new(&file.url, file.party, key);
    let rt = accord_node::http::runtime().unwrap();
    let info: accord_node::wire::NodeInfo = rt.block_on(client.get("/v1/node")).unwrap();
    info.logs
        .get(&accord_model::PartyId::new("RU/new-start").unwrap())
        .map_or(0, |l| l.size)
}

#[test]
fn declare_and_limit_submit_to_the_node_which_refuses_a_proof_of_another_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("ru-node");
    let _node = serve(&data);
    let data = data.to_str().unwrap();
    std::fs::write(tmp.path().join("decl.json"), DECLARATION).unwrap();
    let o = accord(
        &[
            "declare",
            "commit",
            "--input",
            "decl.json",
            "--secret-out",
            "secret.json",
            "--record-out",
            "commitment.json",
            "--data",
            data,
        ],
        tmp.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "logged RU-commitment-2026-02-05 at index 0 of RU's log accord/log/RU/new-start"
        ),
        "{}",
        stderr(&o)
    );
    let prove = |extra: &[&str]| {
        let mut args = vec![
            "limit",
            "prove",
            "--secret",
            "secret.json",
            "--commitment",
            "commitment.json",
            "--provision",
            "art-ii-1-b",
            "--data",
            data,
        ];
        args.extend_from_slice(extra);
        accord(&args, tmp.path())
    };
    let o = prove(&["--record-out", "limit.json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("at index 1 of RU's log accord/log/RU/new-start"),
        "{}",
        stderr(&o)
    );
    assert_eq!(logged(Path::new(data)), 2);

    // A proof of a looser limit than the node's New START sets: written, refused, exit 2.
    let o = prove(&[
        "--record-out",
        "loose.json",
        "--record-id",
        "RU-loose",
        "--limit",
        "warheads+heavy_bombers=4000000",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("RU-loose is written to loose.json, but the node did not log it")
            && err.contains("required limit is 1550"),
        "{err}"
    );
    assert!(tmp.path().join("loose.json").exists());
    assert_eq!(logged(Path::new(data)), 2);
}
