//! Every subcommand of the command line refuses bad input: exit 2, a message on standard error
//! that names what was wrong, and nothing written. The list of subcommands is read from the
//! command line's own help, so a new subcommand without a case here fails the test.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{accord, code, ok, stderr, stdout};

/// Each leaf subcommand, a bad invocation of it, and words its error must contain.
const CASES: &[(&str, &[&str], &str)] = &[
    (
        "demo",
        &["demo", "--log-dir", "notalog"],
        "notalog: exists and is not a scenario log",
    ),
    ("check", &["check", "missing"], "missing/scenario.toml"),
    (
        "report",
        &["report", "missing", "--html", "r.html"],
        "missing/scenario.toml",
    ),
    (
        "agreements lint",
        &["agreements", "lint", "missing.toml"],
        "1 of 1 file(s) invalid",
    ),
    (
        "agreements show",
        &["agreements", "show", "no-such-agreement"],
        "no-such-agreement: cannot read",
    ),
    (
        "agreements list",
        &["agreements", "list", "--color", "sometimes"],
        "invalid value 'sometimes' for '--color <WHEN>'",
    ),
    (
        "log keygen",
        &["log", "keygen", "--origin", "a b", "--out", "k"],
        "key name \"a b\" must be non-empty, without spaces",
    ),
    (
        "log append",
        &["log", "append", "l", "--key", "missing.key", "a"],
        "missing.key",
    ),
    (
        "log checkpoint",
        &["log", "checkpoint", "missing"],
        "missing/checkpoint",
    ),
    (
        "log prove",
        &["log", "prove", "missing", "--index", "0"],
        "missing/checkpoint",
    ),
    (
        "log proof-file",
        &["log", "proof-file", "missing", "--index", "0", "--out", "p"],
        "missing/checkpoint",
    ),
    ("log verify", &["log", "verify", "missing"], "missing/vkey"),
    ("log audit", &["log", "audit", "missing"], "missing/vkey"),
    (
        "log monitor",
        &[
            "log",
            "monitor",
            "http://127.0.0.1:1",
            "--vkey",
            "x+y+z",
            "--state",
            "s.json",
        ],
        "not a signed-note Ed25519 verifier key",
    ),
    (
        "log cosign",
        &[
            "log",
            "cosign",
            "missing",
            "--key",
            "missing.key",
            "--vkey",
            "v",
            "--party",
            "RU",
        ],
        "not a signed-note Ed25519 verifier key",
    ),
    (
        "log show",
        &["log", "show", "missing", "--index", "0"],
        "missing/vkey",
    ),
    (
        "declare commit",
        &[
            "declare",
            "commit",
            "--input",
            "missing.json",
            "--secret-out",
            "s",
            "--record-out",
            "r",
        ],
        "missing.json: cannot read",
    ),
    (
        "declare reveal",
        &[
            "declare",
            "reveal",
            "--secret",
            "missing.json",
            "--commitment",
            "c",
            "--record-out",
            "r",
        ],
        "missing.json: cannot read",
    ),
    (
        "declare verify",
        &["declare", "verify", "--commitment", "missing.json"],
        "missing.json: cannot read",
    ),
    (
        "limit prove",
        &[
            "limit",
            "prove",
            "--secret",
            "missing.json",
            "--commitment",
            "c.json",
            "--provision",
            "art-ii-1-b",
            "--record-out",
            "o",
        ],
        "missing.json: cannot read",
    ),
    (
        "limit verify",
        &[
            "limit",
            "verify",
            "--commitment",
            "missing.json",
            "--proof",
            "p.json",
            "--provision",
            "art-ii-1-b",
            "--limit",
            "warheads=1550",
        ],
        "missing.json: cannot read",
    ),
    (
        "inspect seed commit",
        &[
            "inspect",
            "seed",
            "commit",
            "--round",
            "r",
            "--party",
            "RU",
            "--declaration-receipt",
            "missing.json",
            "--seed-out",
            "s",
            "--record-out",
            "r",
        ],
        "missing.json: cannot read",
    ),
    (
        "inspect seed reveal",
        &[
            "inspect",
            "seed",
            "reveal",
            "--seed",
            "missing.json",
            "--seen",
            "x",
            "--record-out",
            "r",
        ],
        "missing.json: cannot read",
    ),
    (
        "inspect select",
        &[
            "inspect",
            "select",
            "--round",
            "r",
            "--declaration",
            "missing.json",
            "--quota",
            "1",
        ],
        "missing.json: cannot read",
    ),
    (
        "inspect report",
        &[
            "inspect",
            "report",
            "--commitment",
            "missing.json",
            "--report",
            "r",
            "--provision",
            "p",
        ],
        "missing.json: cannot read",
    ),
    (
        "inspect plan",
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
        "11 false sites among only 10 sites",
    ),
    (
        "osint ingest",
        &["osint", "ingest", "missing.html"],
        "missing.html",
    ),
    ("osint claims", &["osint", "claims"], "no reports in"),
    ("osint copies", &["osint", "copies"], "no reports in"),
    (
        "osint observations",
        &["osint", "observations"],
        "no reports in",
    ),
    (
        "osint publish",
        &["osint", "publish", "missing.jsonl", "--data", "d"],
        "missing.jsonl: No such file",
    ),
    (
        "serve",
        &["serve", "--party", "../x", "--data", "d"],
        "party \"../x\"",
    ),
    (
        "keys",
        &["keys", "--data", "kd", "--trust", "bad"],
        "--trust \"bad\" is not ID=KEY",
    ),
    (
        "keys add",
        &[
            "keys",
            "add",
            "--data",
            "kd",
            "--party",
            "RU",
            "--key",
            "notbase64",
        ],
        "--key: not base64 of a 32-byte Ed25519 public key",
    ),
    (
        "keys revoke",
        &[
            "keys", "revoke", "--data", "kd", "--party", "RU", "--key", "AAAA", "--at", "soon",
        ],
        "--at \"soon\" is neither an RFC 3339 instant nor a YYYY-MM-DD date",
    ),
    (
        "keys rotate",
        &[
            "keys",
            "rotate",
            "--data",
            "kd",
            "--party",
            "US",
            "--overlap-until",
            "2000-01-01",
        ],
        "--overlap-until 2000-01-01T00:00:00Z is not after now",
    ),
    (
        "node backup",
        &["node", "backup", "--data", "missing", "--to", "b"],
        "missing: holds no node (node.db is missing;",
    ),
    (
        "node restore",
        &["node", "restore", "--from", "missing", "--data", "new"],
        "missing/backup.json",
    ),
    (
        "export",
        &["export", "--data", "missing", "out"],
        "missing/node.json",
    ),
    (
        "submit",
        &["submit", "missing.jsonl", "--data", "kd"],
        "missing.jsonl",
    ),
    (
        "hotline send",
        &["hotline", "send", "--data", "missing", "--to", "RU", "hi"],
        "missing/node.json",
    ),
    (
        "hotline watch",
        &["hotline", "watch", "--data", "missing"],
        "missing/node.json",
    ),
    (
        "hotline status",
        &["hotline", "status", "--data", "missing"],
        "missing/node.json",
    ),
    (
        "records schema",
        &["records", "schema", "--color", "sometimes"],
        "invalid value 'sometimes' for '--color <WHEN>'",
    ),
    (
        "records lint",
        &["records", "lint", "missing.jsonl"],
        "missing.jsonl",
    ),
    (
        "completions",
        &["completions", "nosh"],
        "invalid value 'nosh' for '<SHELL>'",
    ),
    (
        "man",
        &["man", "--out-dir", "notalog/f"],
        "creating notalog/f",
    ),
];

/// The leaf subcommands under `path`, as the command line's help lists them.
fn leaves(path: &[&str], cwd: &Path) -> Vec<String> {
    let mut args = path.to_vec();
    args.push("--help");
    let help = ok(&args, cwd);
    let names: Vec<String> = help
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A name is indented by two spaces; a description carried onto the next line, more.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect();
    if names.is_empty() {
        return vec![path.join(" ")];
    }
    // A command whose usage also has a form without a subcommand runs by itself too.
    let runs_alone = help
        .lines()
        .skip_while(|l| !l.starts_with("Usage:"))
        .take_while(|l| !l.is_empty())
        .any(|l| !l.contains("<COMMAND>"));
    let own = runs_alone.then(|| path.join(" "));
    own.into_iter()
        .chain(names.iter().flat_map(|name| {
            let mut sub = path.to_vec();
            sub.push(name);
            leaves(&sub, cwd)
        }))
        .collect()
}

/// Every file and directory under `dir`, relative to it.
fn files(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            out.insert(p.strip_prefix(dir).unwrap().display().to_string());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out
}

#[test]
fn every_subcommand_refuses_bad_input_with_exit_2_naming_the_problem_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // A directory that is not a demo log, and a node directory with a key and no node running.
    std::fs::create_dir(dir.join("notalog")).unwrap();
    std::fs::write(dir.join("notalog/f"), "not a log\n").unwrap();
    ok(&["keys", "--data", "kd"], dir);

    let listed: BTreeSet<String> = leaves(&[], dir).into_iter().collect();
    let covered: BTreeSet<String> = CASES.iter().map(|c| c.0.to_owned()).collect();
    assert_eq!(
        covered, listed,
        "each subcommand the help lists has exactly one case here"
    );
    assert_eq!(listed.len(), CASES.len(), "one case per subcommand");

    let before = files(dir);
    for (name, args, words) in CASES {
        let o = accord(args, dir);
        assert_eq!(
            code(&o),
            2,
            "accord {name}: {args:?}\n{}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(
            stderr(&o).contains(words),
            "accord {name}: {args:?} should say {words:?} on standard error:\n{}",
            stderr(&o)
        );
        assert_eq!(
            files(dir),
            before,
            "accord {name}: {args:?} wrote something"
        );
    }
}

#[test]
fn keys_with_a_bad_trust_entry_makes_no_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for bad in ["bad", "RU=notbase64", "../x=AAAA"] {
        let o = accord(&["keys", "--data", "fresh", "--trust", bad], dir);
        assert_eq!(code(&o), 2, "{bad}: {}", stderr(&o));
        assert!(
            !dir.join("fresh/node.key").exists(),
            "{bad}: a key was made before the bad --trust was refused"
        );
    }
    ok(&["keys", "--data", "fresh"], dir);
    assert!(dir.join("fresh/node.key").exists());
}

#[test]
fn an_error_names_its_cause_once() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["export", "--data", "missing", "out"][..],
        &["log", "prove", "missing", "--index", "0"][..],
    ] {
        let o = accord(args, tmp.path());
        assert_eq!(code(&o), 2, "{args:?}");
        let err = stderr(&o);
        assert_eq!(
            err.matches("(os error 2)").count(),
            1,
            "{args:?}: the cause is said once: {err}"
        );
    }
}
