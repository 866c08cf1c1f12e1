//! `accord keys` as an operator runs it through a rotation and a revocation: the node moves to
//! a new key, the commands it prints for the peers work as printed, and a revoked key is
//! listed with its end. Each command runs the built binary.

mod common;

use std::path::Path;

use common::{accord, code, ok, stderr};
use serde_json::Value;

fn keys_json(dir: &Path, data: &str) -> Value {
    serde_json::from_str(&ok(&["keys", "--data", data, "--json"], dir)).unwrap()
}

/// The keys `data` lists for `party`, as (key, from, until, revoked).
fn listed(dir: &Path, data: &str, party: &str) -> Vec<(String, Value, Value, Value)> {
    keys_json(dir, data)["keys"][party]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["key"].as_str().unwrap().to_owned(),
                k["from"].clone(),
                k["until"].clone(),
                k["revoked"].clone(),
            )
        })
        .collect()
}

#[test]
fn a_rotation_prints_the_peers_commands_and_a_revoked_key_is_listed_with_its_end() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let old = keys_json(dir, "us")["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let ru = keys_json(dir, "ru")["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        &["keys", "--data", "ru", "--trust", &format!("US={old}")],
        dir,
    );

    let o = accord(
        &[
            "keys",
            "rotate",
            "--data",
            "us",
            "--party",
            "US",
            "--overlap-until",
            "2099-01-01",
        ],
        dir,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let new = keys_json(dir, "us")["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new, old);
    let kept = std::fs::read_dir(dir.join("us/retired")).unwrap().count();
    assert_eq!(kept, 1, "the old key is kept in retired/");
    let own = listed(dir, "us", "US");
    assert_eq!(own.len(), 2);
    assert_eq!(
        (own[0].0.as_str(), own[0].2.as_str()),
        (old.as_str(), Some("2099-01-01T00:00:00Z"))
    );
    assert_eq!(own[1].0, new);
    assert!(own[1].1.is_string(), "the new key counts from now: {own:?}");

    // The commands printed for the peers, run on RU's node as printed.
    let said = stderr(&o);
    let commands: Vec<Vec<String>> = said
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("accord keys add"))
        .map(|l| {
            l.split_whitespace()
                .skip(1)
                .map(|w| {
                    if w == "PEERDIR" {
                        "ru".to_owned()
                    } else {
                        w.to_owned()
                    }
                })
                .collect()
        })
        .collect();
    assert_eq!(commands.len(), 2, "{said}");
    for c in &commands {
        let args: Vec<&str> = c.iter().map(String::as_str).collect();
        ok(&args, dir);
    }
    let seen = listed(dir, "ru", "US");
    let of = |k: &str| seen.iter().find(|s| s.0 == k).unwrap().clone();
    assert_eq!(of(&old).2.as_str(), Some("2099-01-01T00:00:00Z"));
    assert_eq!(
        of(&new).1,
        own[1].1,
        "RU's node counts the new key from the same instant"
    );

    // The old key is found stolen: revoked from an instant, listed so.
    ok(
        &[
            "keys",
            "revoke",
            "--data",
            "ru",
            "--party",
            "US",
            "--key",
            &old,
            "--at",
            "2030-01-01",
        ],
        dir,
    );
    assert_eq!(
        of_listed(dir, &old).3.as_str(),
        Some("2030-01-01T00:00:00Z")
    );

    // A key the trust file does not list for the party cannot be revoked; a period that ends
    // before it starts is refused; neither changes the trust file.
    let before = std::fs::read(dir.join("ru/trust.toml")).unwrap();
    let o = accord(
        &[
            "keys", "revoke", "--data", "ru", "--party", "US", "--key", &ru,
        ],
        dir,
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("lists no such key for US"),
        "{}",
        stderr(&o)
    );
    let o = accord(
        &[
            "keys",
            "add",
            "--data",
            "ru",
            "--party",
            "US",
            "--key",
            &new,
            "--from",
            "2031-01-01",
            "--until",
            "2030-01-01",
        ],
        dir,
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("is not after `from`"), "{}", stderr(&o));
    assert_eq!(std::fs::read(dir.join("ru/trust.toml")).unwrap(), before);
}

fn of_listed(dir: &Path, key: &str) -> (String, Value, Value, Value) {
    listed(dir, "ru", "US")
        .into_iter()
        .find(|s| s.0 == key)
        .unwrap()
}

#[test]
fn the_help_of_each_key_command_teaches_its_use() {
    let tmp = tempfile::tempdir().unwrap();
    for (cmd, words) in [
        ("rotate", "A rotation, step by step"),
        (
            "revoke",
            "From then on the node takes nothing on that key alone",
        ),
        ("add", "reads its trust file"),
    ] {
        let help = ok(&["keys", cmd, "--help"], tmp.path());
        assert!(help.contains(words), "keys {cmd} --help:\n{help}");
        assert!(
            help.contains(&format!("accord keys {cmd} --data DIR")),
            "{help}"
        );
    }
}

#[test]
fn an_open_source_party_is_marked_by_its_role_and_a_role_outside_the_two_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let osint = keys_json(dir, "osint")["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(keys_json(dir, "us")["open_sources"], serde_json::json!([]));
    ok(
        &[
            "keys",
            "add",
            "--data",
            "us",
            "--party",
            "OSINT",
            "--key",
            &osint,
            "--role",
            "open-sources",
        ],
        dir,
    );
    let shown = keys_json(dir, "us");
    assert_eq!(shown["open_sources"], serde_json::json!(["OSINT"]));
    assert_eq!(shown["trusted"], serde_json::json!(["OSINT"]));
    let file = std::fs::read_to_string(dir.join("us/trust.toml")).unwrap();
    assert!(file.contains("role = \"open-sources\""), "{file}");
    assert!(ok(&["keys", "--data", "us"], dir).contains("open sources: OSINT"));
    // Back to a State party: the role is no longer written, the key stays.
    ok(
        &[
            "keys", "add", "--data", "us", "--party", "OSINT", "--key", &osint, "--role", "state",
        ],
        dir,
    );
    let shown = keys_json(dir, "us");
    assert_eq!(shown["open_sources"], serde_json::json!([]));
    assert_eq!(listed(dir, "us", "OSINT").len(), 1);
    // Any other word is refused before the trust file changes.
    let before = std::fs::read_to_string(dir.join("us/trust.toml")).unwrap();
    let o = accord(
        &[
            "keys", "add", "--data", "us", "--party", "OSINT", "--key", &osint, "--role",
            "observer",
        ],
        dir,
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("observer"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.join("us/trust.toml")).unwrap(),
        before
    );
}
