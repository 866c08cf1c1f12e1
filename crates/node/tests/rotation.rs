//! Key rotation and revocation through the nodes' public behaviour: US moves to a new key
//! while it keeps sending its log to RU, every record exchanged before and after verifies, and
//! once RU revokes US's old key, a log extended by whoever stole that key is refused while US's
//! own log keeps flowing. Both nodes run in this process on ports they bound themselves, on a
//! clock the test sets.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use accord_log::{KeyPeriod, KeySet, signature_lines};
use accord_model::envelope::{Envelope, key_id};
use accord_node::client::Client;
use accord_node::clock::ManualClock;
use accord_node::wire::{NodeInfo, StateSummary};
use accord_node::{Config, Node, PeerConfig, keys};
use common::{ack, copy_dir, p, wait_for};
use serde_json::Value;

fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

/// A node serving on its own runtime, so that it can be stopped and started again.
struct Running {
    rt: tokio::runtime::Runtime,
    url: String,
}

impl Running {
    fn stop(self) {
        self.rt.shutdown_timeout(Duration::from_secs(10));
    }
}

fn listen(addr: &str) -> (tokio::runtime::Runtime, tokio::net::TcpListener) {
    let rt = accord_node::http::runtime().unwrap();
    let l = rt.block_on(tokio::net::TcpListener::bind(addr)).unwrap();
    (rt, l)
}

fn start(
    (rt, listener): (tokio::runtime::Runtime, tokio::net::TcpListener),
    party: &str,
    dir: &Path,
    peer: (&str, &str),
    clock: &Arc<ManualClock>,
) -> Running {
    let url = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config::new(
        p(party),
        dir.to_owned(),
        vec![PeerConfig {
            party: p(peer.0),
            url: peer.1.to_owned(),
        }],
    );
    config.clock = clock.clone();
    let node = Arc::new(Node::open(config).unwrap());
    rt.spawn(accord_node::http::serve(node, listener));
    Running { rt, url }
}

fn get<T: serde::de::DeserializeOwned>(rt: &tokio::runtime::Runtime, c: &Client, path: &str) -> T {
    rt.block_on(c.get(path)).unwrap()
}

fn log_size(rt: &tokio::runtime::Runtime, c: &Client, party: &str) -> u64 {
    get::<StateSummary>(rt, c, "/v1/state")
        .logs
        .get(&p(party))
        .map_or(0, |l| l.size)
}

fn acknowledged(rt: &tokio::runtime::Runtime, c: &Client, peer: &str) -> u64 {
    get::<NodeInfo>(rt, c, "/v1/node")
        .peers
        .iter()
        .find(|s| s.party.as_str() == peer)
        .map_or(0, |s| s.acknowledged)
}

/// The envelopes of `party`'s log as `c`'s node serves them.
fn entries(rt: &tokio::runtime::Runtime, c: &Client, party: &str) -> Vec<Envelope> {
    let v: Value = get(rt, c, &format!("/v1/logs/{party}/entries?limit=100"));
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| serde_json::from_value(e["envelope"].clone()).unwrap())
        .collect()
}

#[test]
fn a_rotation_while_exchanging_leaves_every_record_verifiable_and_a_revoked_key_counts_for_nothing()
{
    let t0 = at("2026-12-01T00:00:00Z");
    let clock = Arc::new(ManualClock::new(t0));
    let (du, dr) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let old = keys::load_or_create_key(du.path()).unwrap();
    let kr = keys::load_or_create_key(dr.path()).unwrap();
    // Today's trust files: one key per party.
    keys::add_trusted(du.path(), &p("RU"), &kr.verifying_key()).unwrap();
    keys::add_trusted(dr.path(), &p("US"), &old.verifying_key()).unwrap();

    let lu = listen("127.0.0.1:0");
    let lr = listen("127.0.0.1:0");
    let us_addr = lu.1.local_addr().unwrap().to_string();
    let ru_url = format!("http://{}", lr.1.local_addr().unwrap());
    let us_url = format!("http://{us_addr}");
    let ru = start(lr, "RU", dr.path(), ("US", &us_url), &clock);
    let us = start(lu, "US", du.path(), ("RU", &ru_url), &clock);
    let to_ru = Client::new(&ru.url, p("RU"), kr.clone());

    // Before the rotation: three records signed with the old key reach RU and are cosigned.
    let us_old = Client::new(&us.url, p("US"), old.clone());
    us.rt
        .block_on(us_old.submit(&[ack("US", 1, t0), ack("US", 2, t0), ack("US", 3, t0)]))
        .unwrap();
    wait_for("RU to mirror US's first records", || {
        log_size(&ru.rt, &to_ru, "US") == 3
    });
    wait_for("US to hold RU's receipt", || {
        acknowledged(&us.rt, &us_old, "RU") == 3
    });
    // Whoever steals the key now holds it with a copy of the log.
    let stolen = tempfile::tempdir().unwrap();
    copy_dir(du.path(), stolen.path());
    us.stop();

    // The rotation: a new key for US, the old one signing beside it for a week. RU learns the
    // new key (and the end of the old one's period) while its node keeps running.
    let t1 = at("2026-12-01T01:00:00Z");
    let overlap_end = at("2026-12-08T01:00:00Z");
    let r = keys::rotate_key(du.path(), &p("US"), t1, overlap_end).unwrap();
    assert_eq!(r.old, old.verifying_key());
    let new = keys::load_key(du.path()).unwrap();
    assert_eq!(r.new, new.verifying_key());
    keys::set_trusted_key(
        dr.path(),
        &p("US"),
        &r.new,
        keys::KeyChange {
            from: Some(t1),
            ..keys::KeyChange::default()
        },
    )
    .unwrap();
    keys::set_trusted_key(
        dr.path(),
        &p("US"),
        &r.old,
        keys::KeyChange {
            until: Some(overlap_end),
            ..keys::KeyChange::default()
        },
    )
    .unwrap();
    clock.set(at("2026-12-01T02:00:00Z"));
    let us = start(listen(&us_addr), "US", du.path(), ("RU", &ru_url), &clock);
    let us_new = Client::new(&us.url, p("US"), new.clone());

    // Through the overlap US's checkpoints carry both keys' signatures.
    let note: String = us
        .rt
        .block_on(us_new.get_raw("/v1/logs/US/checkpoint"))
        .map(|(s, b)| {
            assert_eq!(s, 200);
            String::from_utf8(b).unwrap()
        })
        .unwrap();
    assert_eq!(signature_lines(note.as_bytes()).unwrap().len(), 2, "{note}");

    // After the rotation: three records signed with the new key reach RU.
    let t2 = at("2026-12-01T02:00:00Z");
    us.rt
        .block_on(us_new.submit(&[ack("US", 4, t2), ack("US", 5, t2), ack("US", 6, t2)]))
        .unwrap();
    wait_for("RU to mirror US's records after the rotation", || {
        log_size(&ru.rt, &to_ru, "US") == 6
    });
    wait_for("US to hold RU's receipt after the rotation", || {
        acknowledged(&us.rt, &us_new, "RU") == 6
    });

    // Every record RU mirrors verifies against the key US signed it with, old then new.
    let mirrored = entries(&ru.rt, &to_ru, "US");
    assert_eq!(mirrored.len(), 6);
    for (i, env) in mirrored.iter().enumerate() {
        let key = if i < 3 { r.old } else { r.new };
        assert_eq!(env.signatures[0].keyid, key_id(&key), "entry {i}");
        env.open_record("US", &key)
            .unwrap_or_else(|e| panic!("entry {i}: {e}"));
    }
    // Every receipt US holds from RU, over checkpoints signed before and after, verifies.
    let receipts: Value = get(&us.rt, &us_new, "/v1/receipts/RU");
    let sizes: Vec<u64> = receipts["receipts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["size"].as_u64().unwrap())
        .collect();
    assert!(sizes.contains(&3) && sizes.contains(&6), "{sizes:?}");
    // A verifier holding the key set checks RU's cosigned copy of US's log at any instant of
    // the overlap and after it.
    let name = "accord/log/US";
    let mut set = KeySet::new();
    set.add(
        &accord_log::ed25519_vkey(name, &r.old).unwrap(),
        KeyPeriod {
            until: Some(keys::unix_seconds(overlap_end)),
            ..KeyPeriod::ALWAYS
        },
    )
    .unwrap();
    set.add(
        &accord_log::ed25519_vkey(name, &r.new).unwrap(),
        KeyPeriod {
            from: Some(keys::unix_seconds(t1)),
            ..KeyPeriod::ALWAYS
        },
    )
    .unwrap();
    let (_, cosigned) = ru
        .rt
        .block_on(to_ru.get_raw("/v1/logs/US/checkpoint"))
        .unwrap();
    for when in [t1, overlap_end] {
        let cp = set.verify_at(&cosigned, keys::unix_seconds(when)).unwrap();
        assert_eq!(cp.size(), 6);
    }

    // The old key is found stolen: RU revokes it from now.
    let t3 = at("2026-12-02T00:00:00Z");
    clock.set(t3);
    keys::set_trusted_key(
        dr.path(),
        &p("US"),
        &r.old,
        keys::KeyChange {
            revoked: Some(t3),
            ..keys::KeyChange::default()
        },
    )
    .unwrap();
    // The thief extends the stolen copy of US's log with the old key and offers it to RU as
    // its witness and mirror would take any extension of US's log: add-checkpoint with the
    // consistency proof from the size RU cosigned, then add-entries.
    let mut config = Config::new(p("US"), stolen.path().to_owned(), vec![]);
    config.clock = clock.clone();
    let thief = Node::open(config).unwrap();
    let forged = thief.sign(&ack("US", 99, t3));
    thief.submit(vec![forged]).unwrap();
    let (size, note, body) = thief.witness_request("US", 3).unwrap();
    assert_eq!(size, 4);
    assert_eq!(signature_lines(note.as_bytes()).unwrap().len(), 1, "{note}");
    let (status, answer) = ru
        .rt
        .block_on(to_ru.post_raw("/add-checkpoint", body))
        .unwrap();
    let answer = String::from_utf8(answer).unwrap();
    assert_eq!(status, 403, "{answer}");
    assert!(
        answer.contains("no valid signature by a key trusted for accord/log/US"),
        "{answer}"
    );
    // Nor does the mirror take the forged entry: no checkpoint of size 4 is pending.
    let (upload, _) = thief.mirror_request("US", 3, 4, 100).unwrap();
    let (status, answer) = ru
        .rt
        .block_on(to_ru.post_raw("/add-entries", upload))
        .unwrap();
    assert!([409, 422].contains(&status), "{status}: {answer:?}");
    // The thief's checkpoint verifies by the old key's period alone; with the revocation in
    // the key set it counts for nothing.
    assert_eq!(
        set.verify_at(note.as_bytes(), keys::unix_seconds(t3))
            .unwrap()
            .size(),
        4
    );
    let mut revoked = KeySet::new();
    revoked
        .add(
            &accord_log::ed25519_vkey(name, &r.old).unwrap(),
            KeyPeriod {
                until: Some(keys::unix_seconds(overlap_end)),
                revoked: Some(keys::unix_seconds(t3)),
                ..KeyPeriod::ALWAYS
            },
        )
        .unwrap();
    revoked
        .add(
            &accord_log::ed25519_vkey(name, &r.new).unwrap(),
            KeyPeriod {
                from: Some(keys::unix_seconds(t1)),
                ..KeyPeriod::ALWAYS
            },
        )
        .unwrap();
    assert!(
        revoked
            .verify_at(note.as_bytes(), keys::unix_seconds(t3))
            .is_err()
    );
    // RU holds exactly US's six records, and US's own log keeps flowing past the revocation:
    // its checkpoints still verify by the new key.
    assert_eq!(log_size(&ru.rt, &to_ru, "US"), 6);
    us.rt.block_on(us_new.submit(&[ack("US", 7, t3)])).unwrap();
    wait_for("RU to mirror US's record after the revocation", || {
        log_size(&ru.rt, &to_ru, "US") == 7
    });
    let mirrored = entries(&ru.rt, &to_ru, "US");
    assert_eq!(mirrored[6].signatures[0].keyid, key_id(&r.new));
    assert_eq!(mirrored[3].signatures[0].keyid, key_id(&r.new));
    us.stop();
    ru.stop();
}
