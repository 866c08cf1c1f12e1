//! A second, independent client: a Go program built offline against Debian's
//! golang-golang-x-mod-dev (`sumdb/note`, `sumdb/tlog`) verifies our signed checkpoint, our
//! entry bundles and hash tiles, an inclusion proof and a consistency proof.
//!
//! Skips with a note only when `go` is absent and `CI` is unset; under CI it must run.

mod common;

use std::process::Command;

use accord_log::{Log, LogKey};

#[test]
fn go_sumdb_verifies_our_log() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let key = LogKey::generate("accord.example/US").unwrap();
    let mut log = Log::create(&dir, "accord.example/US", &key).unwrap();
    let entries: Vec<Vec<u8>> = (0..1000u32)
        .map(|i| {
            format!(
                "{{\"record\":{i},\"pad\":\"{}\"}}",
                "x".repeat((i % 97) as usize)
            )
            .into_bytes()
        })
        .collect();
    log.append_batch(&entries[..300]).unwrap();
    let old = log.size();
    let old_root = log.root();
    for chunk in entries[300..].chunks(77) {
        log.append_batch(chunk).unwrap();
    }
    let size = log.size();
    let inclusion = log.prove_inclusion(523, size).unwrap();
    let consistency = log.prove_consistency(old, size).unwrap();
    let inc_path = tmp.path().join("inclusion.json");
    let con_path = tmp.path().join("consistency.json");
    std::fs::write(&inc_path, serde_json::to_vec(&inclusion).unwrap()).unwrap();
    let mut con = serde_json::to_value(&consistency).unwrap();
    con["old_root"] = old_root.to_string().into();
    std::fs::write(&con_path, serde_json::to_vec(&con).unwrap()).unwrap();

    let Some(bin) = common::go_build("go", tmp.path()) else {
        return;
    };
    let run = |vkey: &str| {
        Command::new(&bin)
            .arg(&dir)
            .arg(vkey)
            .arg(&inc_path)
            .arg(&con_path)
            .output()
            .unwrap()
    };
    let out = run(key.vkey());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the Go verifier disagrees:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for what in ["checkpoint", "entries", "tiles", "inclusion", "consistency"] {
        assert!(stdout.contains(&format!("ok {what}")), "{stdout}");
    }
    // The Go verifier is not a rubber stamp: another key, or a flipped tile byte, fails it.
    let other = LogKey::generate("accord.example/US").unwrap();
    assert!(!run(other.vkey()).status.success());
    let tile = dir.join("tile/0/001");
    let mut b = std::fs::read(&tile).unwrap();
    b[100] ^= 1;
    std::fs::write(&tile, b).unwrap();
    assert!(!run(key.vkey()).status.success());
}
