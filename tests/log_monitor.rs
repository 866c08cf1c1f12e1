//! `accord log monitor` against logs served by a plain static HTTP server (Python's
//! `http.server`): an honest log followed as it grows, then a log that shows another history
//! under the same key, which ends in the equivocation finding and exit 1.

mod common;

use std::io::BufRead as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{accord, code, ok, stdout};

/// The static server, killed when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Serves `dir` over HTTP on a free loopback port; `None` (with a skip note on the terminal)
/// when python3 is missing and `ACCORD_REQUIRE_ALL` is unset.
fn static_server(dir: &Path) -> Option<(Server, u16)> {
    let child = Command::new("python3")
        .args([
            "-u",
            "-m",
            "http.server",
            "0",
            "--bind",
            "127.0.0.1",
            "--directory",
        ])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            accord_testkit::require(
                "log monitor over HTTP",
                "python3",
                false,
                &format!("python3 cannot run: {e}"),
            );
            return None;
        }
    };
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let server = Server(child);
    // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
    let port = line
        .split(" port ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("the static server said {line:?}"));
    Some((server, port))
}

#[test]
fn monitor_follows_a_static_log_and_catches_an_equivocating_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let run = |args: &[&str]| ok(args, dir);
    let append = |log: &str, file: &str| {
        run(&["log", "append", log, "--key", "us.key", "--lines", file]);
    };
    run(&[
        "log",
        "keygen",
        "--origin",
        "accord.example/US",
        "--out",
        "us.key",
    ]);
    let lines = |from: u32, to: u32, path: &str, fork: bool| {
        let text: String = (from..to)
            .map(|i| {
                if fork && i == 7 {
                    "{\"entry\": \"rewritten\"}\n".to_owned()
                } else {
                    format!("{{\"entry\": {i}}}\n")
                }
            })
            .collect();
        std::fs::write(dir.join(path), text).unwrap();
    };
    lines(0, 300, "first.jsonl", false);
    append("site/us", "first.jsonl");
    let vkey = std::fs::read_to_string(dir.join("site/us/vkey")).unwrap();
    let Some((_server, port)) = static_server(&dir.join("site")) else {
        return;
    };
    let monitor = |log: &str, json: bool| {
        let url = format!("http://127.0.0.1:{port}/{log}");
        let mut args = vec![
            "log",
            "monitor",
            &url,
            "--vkey",
            vkey.trim(),
            "--state",
            "m.json",
        ];
        if json {
            args.push("--json");
        }
        accord(&args, dir)
    };

    // First look: every entry verified; the state is written.
    let first = monitor("us", true);
    assert_eq!(code(&first), 0, "{}", stdout(&first));
    let v: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(
        (v["from"].as_u64(), v["size"].as_u64()),
        (Some(0), Some(300))
    );
    assert!(dir.join("m.json").is_file());

    // Growth: consistent, the new entries verified.
    lines(300, 700, "second.jsonl", false);
    append("site/us", "second.jsonl");
    let grown = monitor("us", false);
    assert_eq!(code(&grown), 0, "{}", stdout(&grown));
    assert!(
        stdout(&grown).contains("grew from 300 to 700"),
        "{}",
        stdout(&grown)
    );
    let state = std::fs::read(dir.join("m.json")).unwrap();

    // The same key serves another history elsewhere: entry 7 differs, same size.
    lines(0, 700, "forked.jsonl", true);
    append("site/fork", "forked.jsonl");
    let forked = monitor("fork", false);
    assert_eq!(code(&forked), 1, "{}", stdout(&forked));
    let out = stdout(&forked);
    assert!(
        out.contains(
            "EQUIVOCATION  log accord.example/US signed two different checkpoints of size 700"
        ),
        "{out}"
    );
    assert_eq!(out.matches("  signed note:").count(), 2, "{out}");
    assert_eq!(
        std::fs::read(dir.join("m.json")).unwrap(),
        state,
        "state kept"
    );

    // The fork grows: a rewrite, reported as a finding in JSON with both notes.
    lines(700, 720, "more.jsonl", false);
    append("site/fork", "more.jsonl");
    let rewritten = monitor("fork", true);
    assert_eq!(code(&rewritten), 1);
    let f: serde_json::Value = serde_json::from_slice(&rewritten.stdout).unwrap();
    assert_eq!(f["message"]["id"], "log-equivocation");
    assert_eq!(f["party"], "US");
    assert_eq!(f["evidence"].as_array().map(Vec::len), Some(2));

    // The honest log is still followed.
    let again = monitor("us", false);
    assert_eq!(code(&again), 0);
    assert!(
        stdout(&again).contains("unchanged at size 700"),
        "{}",
        stdout(&again)
    );
}
