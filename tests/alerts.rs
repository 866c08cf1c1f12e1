//! `accord serve --alert-command / --alert-url / --alert-within`: a new violation and a deadline
//! coming due are handed once each to a command (appending to a file) and posted once each to a
//! small HTTP listener of the test's own on loopback; a violation that appears later is alerted
//! in its turn and the earlier ones are not given again.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{ok, wait_until};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_accord");
const LIMIT: Duration = Duration::from_secs(60);

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A listener on a port of its own that answers each POST 200 and sends its body on.
fn listener() -> (u16, mpsc::Receiver<Value>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut conn) = conn else { continue };
            conn.set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut length = 0usize;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                if let Some((k, v)) = line.split_once(':')
                    && k.eq_ignore_ascii_case("content-length")
                {
                    length = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let _ = conn
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            if let Ok(v) = serde_json::from_slice(&body)
                && tx.send(v).is_err()
            {
                return;
            }
        }
    });
    (port, rx)
}

/// A request for explanation from UA to RU, issued `hours_ago` hours before now.
fn request(id: &str, hours_ago: i64) -> String {
    let issued = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(hours_ago))
        .unwrap()
        .round(jiff::Unit::Second)
        .unwrap();
    json!({"id": id, "party": "UA", "issued_at": issued.to_string(), "body": {
        "type": "explanation_request", "agreement": "vienna-document-2011",
        "provision": "ch-iii-unusual-activities", "to": "RU",
        "area": {"zone": "belarus", "description": "Belarus"}, "text": "the forces near"}})
    .to_string()
}

fn submit(dir: &Path, lines: &[String]) {
    let file = dir.join(format!("submit-{}.jsonl", lines.len()));
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    ok(
        &[
            "submit",
            file.to_str().unwrap(),
            "--data",
            dir.join("ua").to_str().unwrap(),
        ],
        dir,
    );
}

/// The alerts the command wrote, one JSON a line.
fn written(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn kinds(alerts: &[Value]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = alerts
        .iter()
        .map(|a| {
            let about = match a["alert"].as_str().unwrap() {
                "violation" => a["finding"]["evidence"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find_map(|e| e["id"].as_str())
                    .unwrap_or(""),
                _ => a["deadline"]["owed"]["request"].as_str().unwrap_or(""),
            };
            (a["alert"].as_str().unwrap().to_owned(), about.to_owned())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn violations_and_near_deadlines_are_alerted_once_to_a_command_and_a_loopback_url() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("ua");
    let file = dir.path().join("alerts.jsonl");
    let (port, posts) = listener();
    let command = format!(
        "cat >> '{}' && echo >> '{}'",
        file.display(),
        file.display()
    );
    // RU, asked by the requests, is a peer the node knows (its node never answers here).
    let ru = dir.path().join("ru");
    let keys: Value = serde_json::from_str(&ok(
        &["keys", "--data", ru.to_str().unwrap(), "--json"],
        dir.path(),
    ))
    .unwrap();
    ok(
        &[
            "keys",
            "--data",
            data.to_str().unwrap(),
            "--trust",
            &format!("RU={}", keys["public_key"].as_str().unwrap()),
        ],
        dir.path(),
    );
    // A port held, never answered, for the whole test: RU's node is away.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let ru_url = format!("http://127.0.0.1:{}", silent.local_addr().unwrap().port());
    let child = Command::new(BIN)
        .args(["serve", "--party", "UA", "--data"])
        .arg(&data)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--agreement",
            "vienna-document-2011",
            "--peer",
            &format!("RU={ru_url}"),
            "--alert-command",
            &command,
            "--alert-url",
            &format!("http://127.0.0.1:{port}/alert"),
            "--alert-within",
            "48h",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _node = Killed(child);
    wait_until("the node reports its address", LIMIT, || {
        accord_node::client::read_node_file(&data).map_err(|e| e.to_string())
    });
    // Unanswered for 72 hours of the 48 allowed: a violation. Asked an hour ago: a reply due
    // in 47 hours, within the 48 hours that alert.
    submit(
        dir.path(),
        &[request("UA-Q-OLD", 72), request("UA-Q-NEW", 1)],
    );
    let first = vec![
        ("deadline".to_owned(), "UA-Q-NEW".to_owned()),
        ("violation".to_owned(), "UA-Q-OLD".to_owned()),
    ];
    let alerts = wait_until("two alerts from the command", LIMIT, || {
        let w = written(&file);
        if w.len() >= 2 {
            Ok(w)
        } else {
            Err(format!("{w:?}"))
        }
    });
    assert_eq!(kinds(&alerts), first, "{alerts:#?}");
    for a in &alerts {
        assert_eq!(a["node"], json!("UA"));
        assert_eq!(a["key"].as_str().map(str::len), Some(64), "{a}");
    }
    let violation = alerts
        .iter()
        .find(|a| a["alert"] == json!("violation"))
        .unwrap();
    assert_eq!(violation["finding"]["party"], json!("RU"));
    assert_eq!(violation["finding"]["severity"], json!("violation"));
    assert_eq!(
        violation["finding"]["message"]["id"],
        json!("request-unanswered")
    );
    let deadline = alerts
        .iter()
        .find(|a| a["alert"] == json!("deadline"))
        .unwrap();
    assert_eq!(deadline["deadline"]["party"], json!("RU"));
    assert_eq!(deadline["deadline"]["owed"]["type"], json!("reply"));
    let posted: Vec<Value> = (0..2)
        .map(|_| posts.recv_timeout(LIMIT).expect("an alert posted"))
        .collect();
    assert_eq!(kinds(&posted), first);

    // A new violation is alerted once more; the first two are not given again.
    submit(dir.path(), &[request("UA-Q-OLDER", 96)]);
    let alerts = wait_until("the third alert", LIMIT, || {
        let w = written(&file);
        if w.len() >= 3 {
            Ok(w)
        } else {
            Err(format!("{w:?}"))
        }
    });
    let third = posts.recv_timeout(LIMIT).expect("the third alert posted");
    assert_eq!(
        kinds(&[third]),
        vec![("violation".to_owned(), "UA-Q-OLDER".to_owned())]
    );
    let mut all = first.clone();
    all.push(("violation".to_owned(), "UA-Q-OLDER".to_owned()));
    all.sort();
    assert_eq!(kinds(&alerts), all, "{alerts:#?}");
    // The node remembers what it alerted: one line per alert and destination, written once
    // the destination took it (the listener may see the post before the node hears back).
    let remembered = wait_until("six alerts remembered", LIMIT, || {
        let text = std::fs::read_to_string(data.join(accord_node::alerts::ALERTED_FILE))
            .map_err(|e| e.to_string())?;
        if text.lines().count() >= 6 {
            Ok(text)
        } else {
            Err(text)
        }
    });
    let mut lines: Vec<&str> = remembered.lines().collect();
    assert_eq!(lines.len(), 6, "{remembered}");
    lines.sort_unstable();
    lines.dedup();
    assert_eq!(
        lines.len(),
        6,
        "each alert and destination once: {remembered}"
    );
}

#[test]
fn an_alert_url_off_this_machine_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--party", "UA", "--data"])
        .arg(dir.path())
        .args([
            "--listen",
            "127.0.0.1:0",
            "--alert-url",
            "http://192.0.2.1/alert",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("http://192.0.2.1/alert") && err.contains("loopback"),
        "{err}"
    );
}
