//! End-to-end tests of the `accord` command line: the demo and its log, check, report, lint.

mod common;

use std::path::Path;
use std::process::Output;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use common::{accord, code, stderr, stdout};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The log indices the demo's evidence cites, as printed ("log index N").
fn cited_indices(text: &str) -> Vec<u64> {
    let mut v: Vec<u64> = text
        .match_indices("(log index ")
        .map(|(at, m)| {
            let rest = &text[at + m.len()..];
            rest[..rest.find(')').unwrap()].parse().unwrap()
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[test]
fn demo_logs_its_records_and_cited_indices_verify() {
    let tmp = tempfile::tempdir().unwrap();
    let out = accord(&["demo", "--log-dir", "log"], tmp.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("[violation] vienna-document-2011 / ch-iii-unusual-activities / RU"));
    let cited = cited_indices(&text);
    assert!(cited.len() >= 5, "the demo cites log indices: {cited:?}");

    let mut args = vec!["log".to_owned(), "verify".into(), "log".into()];
    for i in &cited {
        args.extend(["--index".into(), i.to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let ok = accord(&args, tmp.path());
    assert!(ok.status.success(), "{}{}", stdout(&ok), stderr(&ok));
    assert_eq!(stdout(&ok).matches("ok").count(), cited.len());

    // The evidence index points at the record it names.
    let check = accord(
        &[
            "check",
            &repo().join("examples/2022-crisis").to_string_lossy(),
            "--log",
            "log",
            "--json",
        ],
        tmp.path(),
    );
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let cites_request = report["findings"].as_array().unwrap().iter().any(|f| {
        f["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == "UA-2022-02-11-VD-III" && e["log_index"].as_u64().is_some())
    });
    assert!(cites_request, "check --log cites the request's log index");

    // Tampering with a logged entry is caught.
    let bundle = tmp.path().join("log/tile/entries/000.p/21");
    let mut bytes = std::fs::read(&bundle).expect("a partial entry bundle of 21 entries");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&bundle, bytes).unwrap();
    let bad = accord(
        &["log", "verify", "log", "--index", &cited[0].to_string()],
        tmp.path(),
    );
    let audit = accord(&["log", "audit", "log"], tmp.path());
    assert!(
        !bad.status.success() || !audit.status.success(),
        "a flipped byte is caught"
    );
    assert_eq!(audit.status.code(), Some(1), "{}", stdout(&audit));

    // A second run replaces its own log but never a directory it did not write.
    assert!(
        accord(&["demo", "--log-dir", "log"], tmp.path())
            .status
            .success()
    );
    std::fs::create_dir(tmp.path().join("mine")).unwrap();
    std::fs::write(tmp.path().join("mine/notes.txt"), "keep").unwrap();
    let refused = accord(&["demo", "--log-dir", "mine"], tmp.path());
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("mine/notes.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn check_exits_1_on_violations_and_is_byte_for_byte_repeatable() {
    let dir = repo().join("examples/2022-crisis");
    let dir = dir.to_string_lossy();
    let a = accord(&["check", &dir, "--json"], repo());
    let b = accord(&["check", &dir, "--json"], repo());
    assert_eq!(a.status.code(), Some(1));
    assert_eq!(a.stdout, b.stdout);
    let assumed = accord(
        &[
            "check",
            &dir,
            "--assume-in-force",
            "us-proposal-2022",
            "--json",
        ],
        repo(),
    );
    let v: serde_json::Value = serde_json::from_slice(&assumed.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["agreement"] == "us-proposal-2022" && f["severity"] != "not_applicable")
    );
}

#[test]
fn check_json_is_a_versioned_object_with_counts_and_the_findings_digest() {
    let dir = repo().join("examples/2022-crisis");
    let dir = dir.to_string_lossy();
    let out = accord(&["check", &dir, "--json"], repo());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "accord-check");
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["scenario"], "2022-crisis");
    assert_eq!(v["instant"], "2022-02-20T12:00:00Z");
    let findings: Vec<accord_model::Finding> =
        serde_json::from_value(v["findings"].clone()).unwrap();
    let violations = findings
        .iter()
        .filter(|f| f.severity == accord_model::Severity::Violation)
        .count();
    assert_eq!(v["counts"]["violation"], violations);
    assert_eq!(v["counts"]["violation"], 4);
    assert_eq!(v["records_known"], 21);
    assert_eq!(v["warnings"], serde_json::json!([]));
    // The digest covers the findings and the file of each agreement judged.
    let scenario = accord_compliance::Scenario::load(&repo().join("examples/2022-crisis")).unwrap();
    assert_eq!(scenario.agreement_sha256.len(), 5);
    assert_eq!(
        v["findings_digest"],
        accord_compliance::judged_digest(
            scenario
                .agreement_sha256
                .iter()
                .map(|(id, sha)| (id, sha.as_str())),
            &findings
        )
    );
    // The digest covers every finding, whatever is shown and in whatever language.
    let hidden = accord(
        &[
            "check",
            &dir,
            "--json",
            "--hide-not-applicable",
            "--lang",
            "ru",
        ],
        repo(),
    );
    let h: serde_json::Value = serde_json::from_slice(&hidden.stdout).unwrap();
    assert_eq!(h["findings_digest"], v["findings_digest"]);
    assert!(h["findings_shown"].as_u64() < v["findings_shown"].as_u64());
}

#[test]
fn check_speaks_english_or_russian() {
    let dir = repo().join("examples/2022-crisis");
    let dir = dir.to_string_lossy();
    let en = stdout(&accord(&["check", &dir, "--lang", "en"], repo()));
    assert!(en.contains("== VIOLATION (4) =="), "{en}");
    assert!(en.contains("no reply after 216 hours"), "{en}");
    let ru = stdout(&accord(&["check", &dir, "--lang", "ru"], repo()));
    assert!(ru.contains("== НАРУШЕНИЕ (4) =="), "{ru}");
    assert!(ru.contains("ответа нет через 216 часов"), "{ru}");
    assert!(ru.contains("на 18 февраля 2022 г."), "{ru}");
    assert!(ru.contains("нарушений: 4"), "{ru}");
    let bad = accord(&["check", &dir, "--lang", "de"], repo());
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn check_rejects_bad_input_with_exit_2() {
    let missing = accord(&["check", "no/such/dir"], repo());
    assert_eq!(missing.status.code(), Some(2));
    let bad_instant = accord(
        &[
            "check",
            &repo().join("examples/2022-crisis").to_string_lossy(),
            "--as-of",
            "yesterday",
        ],
        repo(),
    );
    assert_eq!(bad_instant.status.code(), Some(2));
    assert!(stderr(&bad_instant).contains("--as-of"));
}

#[test]
fn report_writes_one_page_with_limit_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("r.html");
    let out = accord(
        &[
            "report",
            &repo().join("examples/new-start-history").to_string_lossy(),
            "--html",
            &html.to_string_lossy(),
        ],
        repo(),
    );
    // Written: exit 0, although the history holds violations.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg"), "an SVG chart per limit");
    assert!(
        page.contains("1,550"),
        "New START's warhead limit, as printed"
    );
    assert!(!page.contains("<script src"), "no external script");
    assert!(!page.contains("<link "), "no external stylesheet");
    assert!(!page.contains("src=\"http"), "no external image or frame");
}

#[test]
fn report_fails_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("r.html");
    let html = html.to_string_lossy();
    let crisis = repo().join("examples/2022-crisis");
    let crisis = crisis.to_string_lossy();
    let run = |extra: &[&str]| {
        let mut args = vec!["report", &*crisis, "--html", &*html];
        args.extend_from_slice(extra);
        accord(&args, repo()).status.code()
    };
    assert_eq!(run(&[]), Some(0));
    assert_eq!(run(&["--fail-on", "violation"]), Some(1));
    assert_eq!(run(&["--fail-on", "concern"]), Some(1));
    assert_eq!(run(&["--fail-on", "nothing"]), Some(2));
}

#[test]
fn agreements_lint_locates_errors_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let good = accord(
        &[
            "agreements",
            "lint",
            &repo().join("agreements/new-start.toml").to_string_lossy(),
        ],
        repo(),
    );
    assert_eq!(good.status.code(), Some(0), "{}", stderr(&good));
    let bad = tmp.path().join("bad.toml");
    let text = std::fs::read_to_string(repo().join("agreements/new-start.toml"))
        .unwrap()
        .replacen("max = 1550", "max = -1550", 1);
    std::fs::write(&bad, text).unwrap();
    let out = accord(&["agreements", "lint", &bad.to_string_lossy()], repo());
    assert_eq!(out.status.code(), Some(2));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        all.contains("bad.toml:"),
        "names the file and position: {all}"
    );
}

#[test]
fn osint_ingests_reports_and_recognises_copies() {
    let tmp = tempfile::tempdir().unwrap();
    let data = repo().join("crates/osint/tests/data");
    let ingest = accord(
        &["osint", "ingest", &data.to_string_lossy(), "--store", "s"],
        tmp.path(),
    );
    assert!(ingest.status.success(), "{}", stderr(&ingest));
    let claims = accord(&["osint", "claims", "--store", "s", "--json"], tmp.path());
    assert!(claims.status.success());
    let text = stdout(&claims);
    assert!(text.contains("30000") && text.contains("troops"), "{text}");
    let copies = accord(&["osint", "copies", "--store", "s"], tmp.path());
    let text = stdout(&copies);
    assert!(
        text.contains("beta-copy.txt derives from alpha-wire.txt"),
        "{text}"
    );
    assert!(
        text.contains("gamma-rewrite.txt derives from alpha-wire.txt"),
        "{text}"
    );
    let missing = accord(
        &["osint", "ingest", "no/such/dir", "--store", "s"],
        tmp.path(),
    );
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn log_cosign_witnesses_growth_and_refuses_a_forked_log() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let run = |args: &[&str]| accord(args, dir);
    let ok = |o: &Output| assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
    ok(&run(&[
        "log",
        "keygen",
        "--origin",
        "accord.example/US",
        "--out",
        "us.key",
    ]));
    ok(&run(&[
        "log",
        "keygen",
        "--origin",
        "witness.example/RU",
        "--out",
        "ru.key",
    ]));
    for (i, name) in ["a", "b", "c", "d", "e", "x", "y", "z"].iter().enumerate() {
        std::fs::write(dir.join(name), format!("entry {i}")).unwrap();
    }
    ok(&run(&[
        "log", "append", "us-log", "--key", "us.key", "a", "b", "c",
    ]));
    let vkey = std::fs::read_to_string(dir.join("us-log/vkey")).unwrap();
    let cosign = |log: &str| {
        run(&[
            "log",
            "cosign",
            log,
            "--key",
            "ru.key",
            "--vkey",
            vkey.trim(),
            "--party",
            "US",
            "--state",
            "ru-saw-us.note",
            "--json",
        ])
    };

    // First sight: trusted on first use, and a real cosignature by the witness's key.
    let first = cosign("us-log");
    ok(&first);
    let v: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(v["size"], 3);
    let witness_vkey = v["cosigner"].as_str().unwrap().to_owned();
    let note = v["note"].as_str().unwrap();
    let (cp, cosigs) =
        accord_log::verify_cosigned(note.as_bytes(), vkey.trim(), &[witness_vkey.as_str()])
            .unwrap();
    assert_eq!((cp.size(), cosigs.len()), (3, 1));

    // Growth: consistent with size 3, cosigned at size 5.
    ok(&run(&[
        "log", "append", "us-log", "--key", "us.key", "d", "e",
    ]));
    let grown = cosign("us-log");
    ok(&grown);
    let v: serde_json::Value = serde_json::from_slice(&grown.stdout).unwrap();
    assert_eq!(v["size"], 5);
    let state = std::fs::read(dir.join("ru-saw-us.note")).unwrap();

    // The cosigned checkpoint and an inclusion proof for it are entry 4's receipt.
    let v: serde_json::Value = serde_json::from_slice(&grown.stdout).unwrap();
    std::fs::write(dir.join("cosigned.note"), v["note"].as_str().unwrap()).unwrap();
    ok(&run(&[
        "log",
        "proof-file",
        "us-log",
        "--index",
        "4",
        "--checkpoint",
        "cosigned.note",
        "--out",
        "receipt.tlog-proof",
    ]));
    let text = std::fs::read(dir.join("receipt.tlog-proof")).unwrap();
    assert!(text.starts_with(b"c2sp.org/tlog-proof@v1\nextra "));
    let proof = accord_log::TlogProof::parse(&text).unwrap();
    assert_eq!(
        (proof.index, proof.extra.as_deref()),
        (4, Some(&b"entry 4"[..]))
    );
    let receipt = |cosigner: &str| {
        run(&[
            "log",
            "verify",
            "--proof-file",
            "receipt.tlog-proof",
            "--vkey",
            vkey.trim(),
            "--cosigner",
            cosigner,
        ])
    };
    let checked = receipt(&witness_vkey);
    ok(&checked);
    assert!(stdout(&checked).contains("cosigned by witness.example/RU"));
    // Another witness's key finds no cosignature of its own: exit 1.
    let other = accord_log::CosignerKey::generate("witness.example/NATO").unwrap();
    assert_eq!(receipt(&other.vkey()).status.code(), Some(1));

    // The same key shows another tree of size 5: equivocation, exit 1, state kept.
    ok(&run(&[
        "log", "append", "fork", "--key", "us.key", "a", "b", "c", "d", "x",
    ]));
    let fork = cosign("fork");
    assert_eq!(fork.status.code(), Some(1), "{}", stdout(&fork));
    let finding: serde_json::Value = serde_json::from_slice(&fork.stdout).unwrap();
    assert_eq!(finding["severity"], "violation");
    assert_eq!(finding["evidence"].as_array().unwrap().len(), 2);
    assert_eq!(std::fs::read(dir.join("ru-saw-us.note")).unwrap(), state);

    // A longer tree that rewrote history is not consistent with size 5: exit 1.
    ok(&run(&[
        "log", "append", "rewrite", "--key", "us.key", "a", "b", "x", "y", "z", "d", "e",
    ]));
    let rewrite = cosign("rewrite");
    assert_eq!(rewrite.status.code(), Some(1));
    assert!(stderr(&rewrite).contains("not cosigned"));
    assert_eq!(std::fs::read(dir.join("ru-saw-us.note")).unwrap(), state);

    // A state file that is not a checkpoint of this log is bad input: exit 2.
    std::fs::write(dir.join("ru-saw-us.note"), "not a note\n").unwrap();
    let bad = cosign("us-log");
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--state"));
}

#[test]
fn demo_walks_through_escrow_limit_proof_fair_selection_and_cosigning() {
    let tmp = tempfile::tempdir().unwrap();
    let run = || {
        let out = accord(&["demo", "--json", "--log-dir", "log"], tmp.path());
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let first = run();
    let escrow = &first["escrow"];
    assert_eq!(escrow["party"], "RU");
    assert_eq!(escrow["limit"]["provision"], "art-ii-1-b");
    assert_eq!(escrow["limit"]["verified"], true);
    assert_eq!(escrow["limit"]["proof_bytes"], 608);
    // The demo's commitment and limit proof records verify again by `accord limit verify`,
    // held to the agreement's limit; a proof with one byte changed does not.
    let file = |key: &str| tmp.path().join(escrow["limit"][key].as_str().unwrap());
    let (commitment, proof) = (file("commitment_file"), file("proof_file"));
    assert_eq!(commitment, tmp.path().join("log/escrow/commitment.json"));
    // Runs `limit verify` on `proof`, expects exit `want` and returns the JSON report.
    let verify = |proof: &Path, want: i32| {
        let o = accord(
            &[
                "limit",
                "verify",
                "--commitment",
                commitment.to_str().unwrap(),
                "--proof",
                proof.to_str().unwrap(),
                "--provision",
                "art-ii-1-b",
                "--agreement",
                "new-start",
                "--json",
            ],
            tmp.path(),
        );
        assert_eq!(code(&o), want, "{}{}", stdout(&o), stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let report = verify(&proof, 0);
    assert_eq!(report["verified"], true);
    assert_eq!(report["commitment"], "RU-commitment-2026-02-05");
    assert_eq!(report["proof_bytes"], 608);
    let mut record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&proof).unwrap()).unwrap();
    let mut inner: serde_json::Value = serde_json::from_slice(
        &B64.decode(record["body"]["proof"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    let mut bytes = B64.decode(inner["proof"].as_str().unwrap()).unwrap();
    bytes[300] ^= 1;
    inner["proof"] = B64.encode(&bytes).into();
    record["body"]["proof"] = B64.encode(inner.to_string()).into();
    let tampered = tmp.path().join("tampered.json");
    std::fs::write(&tampered, record.to_string()).unwrap();
    let report = verify(&tampered, 1);
    assert_eq!(report["verified"], false);
    assert!(
        report["failure"]
            .as_str()
            .unwrap()
            .contains("limit proof rejected"),
        "{report}"
    );
    let first_proof = tmp.path().join("first-proof.json");
    std::fs::copy(&proof, &first_proof).unwrap();
    assert_eq!(escrow["phase_1_sites"].as_array().unwrap().len(), 2);
    let selected = escrow["inspection"]["selected"].as_array().unwrap().clone();
    assert_eq!(selected.len(), 2);
    // The log's checkpoint carries the witness's cosignature beside the log's signature.
    let cosigned = first["log"]["cosigned"].as_str().unwrap();
    assert!(cosigned.contains("\n— accord.example/scenario "));
    assert!(cosigned.contains("\n— witness.example/US "));
    // Fresh salts and blindings each run, so a new root; the draw is bound to the declaration
    // it draws from, its record and root.
    assert_eq!(escrow["inspection"]["root"], escrow["root"]);
    assert_eq!(
        escrow["inspection"]["commitment"],
        "RU-commitment-2026-02-05"
    );
    let second = run();
    assert_ne!(second["escrow"]["root"], escrow["root"]);
    // A proof of the first run is not a proof over the second run's commitments.
    let report = verify(&first_proof, 1);
    assert_eq!(report["verified"], false);
    assert_eq!(
        second["escrow"]["inspection"]["root"],
        second["escrow"]["root"]
    );
}

/// Makes a log signing key for `origin` in `dir/out`.
fn keygen(dir: &Path, origin: &str, out: &str) {
    common::ok(&["log", "keygen", "--origin", origin, "--out", out], dir);
}

/// Copies a directory tree, for a log's published files without its database.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn log_prove_answers_from_the_published_files_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let ok = |args: &[&str]| common::ok(args, dir);
    keygen(dir, "accord.example/US", "us.key");
    let lines: String = (0..300).map(|i| format!("{{\"entry\": {i}}}\n")).collect();
    std::fs::write(dir.join("entries.jsonl"), lines).unwrap();
    ok(&[
        "log",
        "append",
        "us-log",
        "--key",
        "us.key",
        "--lines",
        "entries.jsonl",
    ]);
    // What a static HTTP server would publish: no log.db.
    copy_tree(&dir.join("us-log/tile"), &dir.join("copy/tile"));
    std::fs::copy(dir.join("us-log/checkpoint"), dir.join("copy/checkpoint")).unwrap();
    let vkey = std::fs::read_to_string(dir.join("us-log/vkey")).unwrap();

    let v: serde_json::Value =
        serde_json::from_str(&ok(&["log", "prove", "copy", "--index", "299", "--json"])).unwrap();
    assert_eq!(
        (v["index"].as_u64(), v["size"].as_u64()),
        (Some(299), Some(300))
    );
    let file = ok(&["log", "proof-file", "copy", "--index", "299"]);
    assert_eq!(v["tlog_proof"].as_str(), Some(file.as_str()));
    std::fs::write(dir.join("e299.tlog-proof"), &file).unwrap();
    ok(&[
        "log",
        "verify",
        "--proof-file",
        "e299.tlog-proof",
        "--vkey",
        vkey.trim(),
    ]);
    // The entry given apart must be the one proven; another is refused (exit 1).
    std::fs::write(dir.join("e299"), "{\"entry\": 299}").unwrap();
    std::fs::write(dir.join("e298"), "{\"entry\": 298}").unwrap();
    let with_entry = |e: &str| {
        accord(
            &[
                "log",
                "verify",
                "--proof-file",
                "e299.tlog-proof",
                "--entry",
                e,
                "--vkey",
                vkey.trim(),
            ],
            dir,
        )
    };
    assert_eq!(with_entry("e299").status.code(), Some(0));
    assert_eq!(with_entry("e298").status.code(), Some(1));

    let c: serde_json::Value = serde_json::from_str(&ok(&[
        "log",
        "prove",
        "copy",
        "--consistency",
        "100",
        "--json",
    ]))
    .unwrap();
    let proof: accord_log::ConsistencyProof = serde_json::from_value(c["proof"].clone()).unwrap();
    let old_root = accord_log::parse_hash(c["old_root"].as_str().unwrap()).unwrap();
    let cp = accord_log::SignedCheckpoint::verify(
        c["checkpoint"].as_str().unwrap().as_bytes(),
        vkey.trim(),
    )
    .unwrap();
    accord_log::verify_consistency(&proof, &old_root, &cp.root()).unwrap();
    assert_eq!((proof.old_size, proof.new_size), (100, 300));

    // A tile altered in the copy no longer authenticates against the checkpoint.
    let tile = dir.join("copy/tile/0/000");
    let mut bytes = std::fs::read(&tile).unwrap();
    bytes[40] ^= 1;
    std::fs::write(&tile, bytes).unwrap();
    let bad = accord(&["log", "prove", "copy", "--index", "5"], dir);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("do not authenticate"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn log_checkpoint_prints_the_signed_checkpoint_and_refuses_a_missing_log() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    keygen(dir, "accord.example/US", "us.key");
    std::fs::write(dir.join("a"), "entry a").unwrap();
    std::fs::write(dir.join("b"), "entry b").unwrap();
    common::ok(&["log", "append", "l", "--key", "us.key", "a", "b"], dir);
    let v: serde_json::Value =
        serde_json::from_str(&common::ok(&["log", "checkpoint", "l", "--json"], dir)).unwrap();
    assert_eq!(v["origin"], "accord.example/US");
    assert_eq!(v["size"], 2);
    let vkey = std::fs::read_to_string(dir.join("l/vkey")).unwrap();
    let cp =
        accord_log::SignedCheckpoint::verify(v["note"].as_str().unwrap().as_bytes(), vkey.trim())
            .unwrap();
    assert_eq!(cp.size(), 2);
    let text = common::ok(&["log", "checkpoint", "l"], dir);
    assert_eq!(text.trim_end(), v["note"].as_str().unwrap().trim_end());
    let missing = accord(&["log", "checkpoint", "nolog"], dir);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert!(stderr(&missing).starts_with("error: "));
}

#[test]
fn osint_observations_emit_records_check_accepts_and_refuse_a_bad_party() {
    let tmp = tempfile::tempdir().unwrap();
    let data = repo().join("crates/osint/tests/data");
    common::ok(
        &["osint", "ingest", &data.to_string_lossy(), "--store", "s"],
        tmp.path(),
    );
    let out = common::ok(&["osint", "observations", "--store", "s"], tmp.path());
    let records: Vec<accord_model::Record> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!records.is_empty());
    assert!(records.iter().all(|r| r.party.as_str() == "OSINT"));
    assert!(records.iter().all(|r| r.body.kind() == "observation"));
    std::fs::write(tmp.path().join("obs.jsonl"), &out).unwrap();
    let lint = accord(&["records", "lint", "obs.jsonl"], tmp.path());
    assert!(
        stdout(&lint).contains(&format!("{} records", records.len())),
        "{}",
        stdout(&lint)
    );
    let custom = common::ok(
        &["osint", "observations", "--store", "s", "--party", "NATO"],
        tmp.path(),
    );
    assert!(custom.lines().all(|l| l.contains("\"party\":\"NATO\"")));
    let bad = accord(
        &[
            "osint",
            "observations",
            "--store",
            "s",
            "--party",
            "not a party",
        ],
        tmp.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--party"), "{}", stderr(&bad));
    let empty = accord(&["osint", "observations", "--store", "none"], tmp.path());
    assert_eq!(empty.status.code(), Some(2), "{}", stderr(&empty));
}

#[test]
fn a_scenario_with_cosignatures_is_linted_and_checked_by_its_log_times() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("scenario.toml"),
        "name = \"t\"\ntitle = \"t\"\nparties = [\"LT\", \"BY\"]\n\
         agreements = [\"vienna-document-2011\"]\nas_of = \"2022-03-01T00:00:00Z\"\n\
         cosignatures = \"cosignatures.jsonl\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("records.jsonl"),
        concat!(
            r#"{"id":"LT-Q","party":"LT","issued_at":"2022-02-09T12:00:00Z","body":{"type":"explanation_request","agreement":"vienna-document-2011","provision":"ch-iii-unusual-activities","to":"BY","area":{"zone":"belarus","description":"Belarus"},"text":"totals"}}"#,
            "\n",
            r#"{"id":"BY-A","party":"BY","issued_at":"2022-02-09T13:00:00Z","body":{"type":"explanation_reply","request":"LT-Q","text":"within the parameters"}}"#,
            "\n"
        ),
    )
    .unwrap();
    let cosignatures =
        "{\"log\":\"BY\",\"size\":1,\"cosigner\":\"LT\",\"timestamp\":\"2022-02-12T12:00:00Z\"}\n";
    std::fs::write(dir.join("cosignatures.jsonl"), cosignatures).unwrap();
    let lint = accord(&["records", "lint", "."], dir);
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
    // The reply was held three days after the request: late, whatever its date says.
    let check = accord(&["check", ".", "--json"], dir);
    let v: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let late = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["provision"] == "ch-iii-unusual-activities" && f["party"] == "BY")
        .unwrap()
        .clone();
    assert_eq!(late["severity"], "violation", "{late:#}");
    assert_eq!(check.status.code(), Some(1));
    // A checkpoint larger than the log is a problem at its line and field.
    std::fs::write(
        dir.join("cosignatures.jsonl"),
        format!(
            "{cosignatures}{}",
            cosignatures.replace("\"size\":1", "\"size\":3")
        ),
    )
    .unwrap();
    let lint = accord(&["records", "lint", "."], dir);
    assert_eq!(lint.status.code(), Some(2));
    assert!(
        stdout(&lint).contains("cosignatures.jsonl:2: field `size`: a checkpoint of 3 entries"),
        "{}",
        stdout(&lint)
    );
    let check = accord(&["check", "."], dir);
    assert_eq!(check.status.code(), Some(2), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("cosignatures.jsonl:2:"),
        "{}",
        stderr(&check)
    );
}
