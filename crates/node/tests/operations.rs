//! Running a node for years: the health report, the figures Prometheus scrapes, backup and
//! restore, and a database written by the previous release opened by this one. Nodes run in
//! this process on ports they bound themselves.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use accord_node::client::Client;
use accord_node::health::Health;
use accord_node::wire::StateSummary;
use accord_node::{Config, Node, PeerConfig, backup, keys};
use common::{Backend, ack, copy_dir, p, pair, wait_for};
use serde_json::Value;

/// One sample line of the text format: its name, labels and value.
type Sample = (String, BTreeMap<String, String>, f64);

/// Parses the samples of an OpenMetrics / Prometheus text answer, checking every line's form.
fn parse_metrics(text: &str) -> Vec<Sample> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            let mut words = line.split(' ');
            assert_eq!(words.next(), Some("#"), "{line}");
            let kind = words.next().unwrap();
            assert!(["HELP", "TYPE", "UNIT", "EOF"].contains(&kind), "{line}");
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("value in {line}"));
        let (name, labels) = match series.split_once('{') {
            Some((n, rest)) => {
                let body = rest.strip_suffix('}').unwrap_or_else(|| panic!("{line}"));
                let labels = body
                    .split(',')
                    .filter(|l| !l.is_empty())
                    .map(|l| {
                        let (k, v) = l.split_once('=').unwrap_or_else(|| panic!("{line}"));
                        let v = v
                            .strip_prefix('"')
                            .and_then(|v| v.strip_suffix('"'))
                            .unwrap_or_else(|| panic!("{line}"));
                        (k.to_owned(), v.to_owned())
                    })
                    .collect();
                (n, labels)
            }
            None => (series, BTreeMap::new()),
        };
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':'),
            "{line}"
        );
        out.push((name.to_owned(), labels, value));
    }
    assert_eq!(text.lines().last(), Some("# EOF"));
    out
}

fn sample(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|(n, l, _)| {
            n == name
                && labels
                    .iter()
                    .all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.2)
}

#[test]
fn health_reports_storage_and_each_peers_last_contact() {
    let net = pair();
    let health = |c: &Client| -> (u16, Health) {
        let (s, b) = net.rt.block_on(c.get_raw("/healthz")).unwrap();
        (s, serde_json::from_slice(&b).unwrap())
    };
    let (status, h) = health(&net.us);
    assert_eq!(status, 200);
    assert_eq!((h.status.as_str(), h.storage.writable), ("ok", true));
    assert_eq!(h.schema_version, accord_node::migrate::SCHEMA_VERSION);
    assert_eq!(h.peers.len(), 1);
    assert_eq!(h.peers[0].party, p("RU"));
    assert_eq!(h.peers[0].last_contact, None, "RU was never heard from");

    net.rt
        .block_on(net.us.submit(&[ack("US", 1, jiff::Timestamp::now())]))
        .unwrap();
    wait_for("RU's receipt to reach US's health report", || {
        health(&net.us).1.peers[0].last_contact.is_some()
    });
    let (_, h) = health(&net.us);
    assert_eq!(h.peers[0].last_contact_kind.as_deref(), Some("receipt"));
    assert!(h.peers[0].seconds_since.unwrap() >= 0);
    // RU heard from US when it took US's batch.
    let (_, h) = health(&net.ru);
    assert_eq!(h.peers[0].party, p("US"));
    assert_eq!(h.peers[0].last_contact_kind.as_deref(), Some("batch"));
}

#[test]
fn metrics_count_requests_mirror_uploads_queue_and_evaluations() {
    let net = pair();
    net.rt
        .block_on(net.us.submit(&[
            ack("US", 1, jiff::Timestamp::now()),
            ack("US", 2, jiff::Timestamp::now()),
            ack("US", 3, jiff::Timestamp::now()),
        ]))
        .unwrap();
    wait_for("RU to mirror US's records", || {
        net.rt
            .block_on(net.ru.get::<StateSummary>("/v1/state"))
            .unwrap()
            .logs
            .get(&p("US"))
            .is_some_and(|l| l.size == 3)
    });
    let (s, _) = net
        .rt
        .block_on(net.us.get_raw("/v1/findings?as_of=2026-01-01T00:00:00Z"))
        .unwrap();
    assert_eq!(s, 200);
    let (s, _) = net
        .rt
        .block_on(net.us.get_raw("/v1/no-such-route"))
        .unwrap();
    assert_eq!(s, 404);
    let scrape = |c: &Client| {
        let (s, b) = net.rt.block_on(c.get_raw("/metrics")).unwrap();
        assert_eq!(s, 200);
        parse_metrics(&String::from_utf8(b).unwrap())
    };
    wait_for("US's outbox queue to empty", || {
        sample(
            &scrape(&net.us),
            "accord_outbox_queue_entries",
            &[("peer", "RU")],
        ) == Some(0.0)
    });
    let us = scrape(&net.us);
    let requests = |route: &str, method: &str, status: &str| {
        sample(
            &us,
            "accord_http_requests_total",
            &[("route", route), ("method", method), ("status", status)],
        )
    };
    assert_eq!(requests("/v1/records/batch", "POST", "201"), Some(1.0));
    assert_eq!(requests("/v1/findings", "GET", "200"), Some(1.0));
    assert_eq!(requests("unmatched", "GET", "404"), Some(1.0));
    assert_eq!(
        sample(&us, "accord_log_entries", &[("log", "US")]),
        Some(3.0)
    );
    assert_eq!(
        sample(&us, "accord_evaluation_seconds_count", &[]),
        Some(1.0)
    );
    let ru = scrape(&net.ru);
    assert_eq!(
        sample(&ru, "accord_mirror_entries_total", &[("peer", "US")]),
        Some(3.0)
    );
    assert!(sample(&ru, "accord_mirror_uploads_total", &[("peer", "US")]).unwrap() >= 1.0);
    // RU witnessed and mirrored US's log through the two protocols' routes.
    for route in ["/add-checkpoint", "/add-entries"] {
        let taken = sample(
            &ru,
            "accord_http_requests_total",
            &[("route", route), ("method", "POST"), ("status", "200")],
        );
        assert!(taken.is_some_and(|n| n >= 1.0), "{route}: {taken:?}");
    }
    assert_eq!(
        sample(&ru, "accord_log_entries", &[("log", "US")]),
        Some(3.0)
    );
}

#[test]
fn a_restored_backup_serves_the_same_checkpoint_and_tiles() {
    for backend in Backend::each("a_restored_backup_serves_the_same_checkpoint_and_tiles") {
        restored_backup_serves_the_same_log(&backend);
    }
}

fn restored_backup_serves_the_same_log(backend: &Backend) {
    let data = tempfile::tempdir().unwrap();
    let database = backend.new_database();
    let node = Node::open(Backend::config(&database, "US", data.path(), vec![])).unwrap();
    let key = keys::load_key(data.path()).unwrap();
    let envelopes = (1..=5)
        .map(|n| node.sign(&ack("US", n, jiff::Timestamp::now())))
        .collect();
    node.submit(envelopes).unwrap();
    let checkpoint = node.checkpoint("US").unwrap();
    let tile = std::fs::read(node.log_file("US", "tile/entries/000.p/5").unwrap()).unwrap();

    // Backed up while the node is open.
    let kept = tempfile::tempdir().unwrap();
    let to = kept.path().join("backup");
    backend.backup(data.path(), &database, &to);
    // The node goes on after the backup: the restored copy holds the backup's state only.
    node.submit(vec![node.sign(&ack("US", 6, jiff::Timestamp::now()))])
        .unwrap();
    drop(node);

    let restored = tempfile::tempdir().unwrap();
    let target = restored.path().join("data");
    let restored_database = backend.restore(&to, &target);
    if let Backend::Sqlite = backend {
        let manifest = backup::restore(&to, &restored.path().join("other")).unwrap();
        assert_eq!(manifest.logs.get("US"), Some(&5));
        assert!(
            backup::restore(&to, &target).is_err(),
            "a restore never overwrites"
        );
    }
    if let Backend::Postgres(_) = backend {
        let refused = backup::restore_in(&to, &restored.path().join("other"), &restored_database)
            .unwrap_err()
            .to_string();
        assert!(
            refused.contains("already holds a node's schemas"),
            "a restore never overwrites: {refused}"
        );
    }
    let again = Node::open(Backend::config(&restored_database, "US", &target, vec![])).unwrap();
    assert_eq!(again.public_key(), key.verifying_key());
    assert_eq!(again.checkpoint("US").unwrap(), checkpoint);
    assert_eq!(
        std::fs::read(again.log_file("US", "tile/entries/000.p/5").unwrap()).unwrap(),
        tile
    );
    assert_eq!(
        std::fs::read_to_string(target.join("logs/US/checkpoint")).unwrap(),
        checkpoint
    );
    assert!(
        !target.join("logs/US/tile/entries/000.p/6").exists(),
        "no tile beyond the backed-up database"
    );
    let rows = again.entries("US", 0, 100).unwrap();
    assert_eq!(rows.len(), 5, "{}", backend.name());

    // The restored node's log exported as a scenario, read through the storage interface
    // while the node runs: the five records of the backup, each with its log and index.
    let out = restored.path().join("export");
    let written = accord_node::export::write_scenario_in(
        &target,
        &restored_database,
        &p("US"),
        &out,
        &[],
        jiff::Timestamp::now(),
    )
    .unwrap();
    assert_eq!(written, 5, "{}", backend.name());
    let exported: Vec<accord_node::export::ExportedEntry> =
        std::fs::read_to_string(out.join(accord_node::export::ENTRIES_FILE))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    let positions: Vec<(&str, u64)> = exported
        .iter()
        .map(|e| (e.origin.as_str(), e.index))
        .collect();
    assert_eq!(
        positions,
        (0..5).map(|i| ("accord/log/US", i)).collect::<Vec<_>>(),
        "{}",
        backend.name()
    );
    assert_eq!(exported[4].entry.as_bytes(), &rows[4].1[..]);
}

/// Data directories written by earlier releases, each US's node after a hotline exchange with
/// RU (two messages sent, one received), with the checkpoint it served then: before the
/// mirror protocol (receipts cosigned under the peer's witness name), and with it (its
/// witness state, pending checkpoints and receipts as mirror cosignatures). Both record
/// schema version 2.
const FIXTURES: [&str; 2] = [
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-2"),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/schema-2-mirror"
    ),
];

#[test]
fn databases_of_earlier_releases_are_migrated_and_serve_the_same_log() {
    for fixture in FIXTURES {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("us");
        copy_dir(&Path::new(fixture).join("us"), &data);
        let served =
            std::fs::read_to_string(Path::new(fixture).join("checkpoint-served.txt")).unwrap();
        let before = accord_log::database::Sqlite::open_read_only(&data.join("node.db")).unwrap();
        assert_eq!(
            accord_node::migrate::version(&before).unwrap(),
            Some(2),
            "{fixture}"
        );
        drop(before);

        let node = Node::open(Config::new(
            p("US"),
            data.clone(),
            vec![PeerConfig {
                party: p("RU"),
                url: "http://127.0.0.1:9".into(),
            }],
        ))
        .unwrap();
        let h = node.health().unwrap();
        assert_eq!(h.schema_version, 4);
        assert!(h.storage.writable);
        assert_eq!(node.checkpoint("US").unwrap(), served, "{fixture}");
        // What the old database held is all there: the messages sent and received, the
        // receipts.
        let sent = node.sent().unwrap();
        assert_eq!(sent.len(), 2, "{fixture}");
        assert!(sent.iter().all(|m| m.delivered), "{fixture}: {sent:?}");
        let inbox = node.inbox(0, 100).unwrap();
        assert_eq!(inbox.len(), 1, "{fixture}");
        assert_eq!(inbox[0].text, "fixture reply");
        let (verified, _) = node.verify_receipts("RU").unwrap();
        assert!(verified >= 1, "{fixture}");
        drop(node);
        let after = accord_log::database::Sqlite::open_read_only(&data.join("node.db")).unwrap();
        assert_eq!(accord_node::migrate::version(&after).unwrap(), Some(4));
    }
    // The release with the mirror protocol kept what its witness cosigned: RU cosigned all
    // three entries of US's log, and the node knows it after the migration.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("us");
    copy_dir(&Path::new(FIXTURES[1]).join("us"), &data);
    let node = Node::open(Config::new(
        p("US"),
        data,
        vec![PeerConfig {
            party: p("RU"),
            url: "http://127.0.0.1:9".into(),
        }],
    ))
    .unwrap();
    // The one log of that release is US's public log.
    assert_eq!(node.witnessed("accord/witness/RU", "US").unwrap(), 3);
    assert_eq!(node.acked("RU").unwrap(), 3);
    assert_eq!(node.verify_receipts("RU").unwrap().1, 3);
}

#[test]
fn a_node_restored_from_an_older_backup_asks_its_witnesses_and_refuses_to_sign_a_fork() {
    for backend in Backend::each(
        "a_node_restored_from_an_older_backup_asks_its_witnesses_and_refuses_to_sign_a_fork",
    ) {
        restored_node_refuses_to_sign_a_fork(&backend);
    }
}

/// The health report of a node once it refuses to sign (or after 30 s): it asks its witness
/// once it serves, so the refusal comes with the witness's answer.
fn refusal(rt: &tokio::runtime::Runtime, node: &Client) -> (u16, Health) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (status, body) = rt.block_on(node.get_raw("/healthz")).unwrap();
        let health: Health = serde_json::from_slice(&body).unwrap();
        if health.refusing.is_some() || std::time::Instant::now() > deadline {
            return (status, health);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Asserts that the node `node` refuses to sign (503, its health report saying `why`) and
/// refuses `record`, saying `refused`.
fn refuses(
    rt: &tokio::runtime::Runtime,
    node: &Client,
    why: &str,
    record: accord_model::Record,
    refused: &str,
) {
    let (status, health) = refusal(rt, node);
    assert_eq!(status, 503);
    let reason = health.refusing.unwrap_or_default();
    assert!(reason.contains(why), "{reason}");
    let e = rt.block_on(node.submit(&[record])).unwrap_err();
    assert!(e.to_string().contains(refused), "{e}");
}

/// A new data directory with a node key.
fn keyed() -> (tempfile::TempDir, ed25519_dalek::SigningKey) {
    let dir = tempfile::tempdir().unwrap();
    let key = keys::load_or_create_key(dir.path()).unwrap();
    (dir, key)
}

/// US's directory trusts RU's key and RU's US's.
fn trust_each_other(
    us: (&tempfile::TempDir, &ed25519_dalek::SigningKey),
    ru: (&tempfile::TempDir, &ed25519_dalek::SigningKey),
) {
    keys::add_trusted(us.0.path(), &p("RU"), &ru.1.verifying_key()).unwrap();
    keys::add_trusted(ru.0.path(), &p("US"), &us.1.verifying_key()).unwrap();
}

fn restored_node_refuses_to_sign_a_fork(backend: &Backend) {
    let ((du, ku), (dr, kr)) = (keyed(), keyed());
    trust_each_other((&du, &ku), (&dr, &kr));
    let us_database = backend.new_database();
    let rt_ru = accord_node::http::runtime().unwrap();
    let bind = |rt: &tokio::runtime::Runtime| {
        rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap()
    };
    let lr = bind(&rt_ru);
    let ru_url = format!("http://{}", lr.local_addr().unwrap());
    let start_us = |dir: &Path, database: &accord_node::store::DatabaseChoice| {
        let rt = accord_node::http::runtime().unwrap();
        let l = bind(&rt);
        let url = format!("http://{}", l.local_addr().unwrap());
        let node = Node::open(Backend::config(
            database,
            "US",
            dir,
            vec![PeerConfig {
                party: p("RU"),
                url: ru_url.clone(),
            }],
        ))
        .unwrap();
        rt.spawn(accord_node::http::serve(Arc::new(node), l));
        (rt, Client::new(&url, p("US"), ku.clone()))
    };
    let ru_node = Node::open(Backend::config(
        &backend.new_database(),
        "RU",
        dr.path(),
        vec![],
    ))
    .unwrap();
    rt_ru.spawn(accord_node::http::serve(Arc::new(ru_node), lr));
    let ru = Client::new(&ru_url, p("RU"), kr);
    let ru_holds = |n: u64| {
        rt_ru
            .block_on(ru.get::<StateSummary>("/v1/state"))
            .unwrap()
            .logs
            .get(&p("US"))
            .is_some_and(|l| l.size == n)
    };

    let (rt_us, us) = start_us(du.path(), &us_database);
    rt_us
        .block_on(us.submit(&[
            ack("US", 1, jiff::Timestamp::now()),
            ack("US", 2, jiff::Timestamp::now()),
        ]))
        .unwrap();
    wait_for("RU to mirror two records", || ru_holds(2));
    let kept = tempfile::tempdir().unwrap();
    backend.backup(du.path(), &us_database, &kept.path().join("b"));
    rt_us
        .block_on(us.submit(&[
            ack("US", 3, jiff::Timestamp::now()),
            ack("US", 4, jiff::Timestamp::now()),
            ack("US", 5, jiff::Timestamp::now()),
        ]))
        .unwrap();
    wait_for("RU to mirror five records", || ru_holds(5));
    rt_us.shutdown_timeout(Duration::from_secs(10));

    // The restored node holds two entries; RU cosigned five. Asked to cosign the restored
    // node's checkpoint, RU answers with the size it cosigned, and the node signs nothing.
    let restored = tempfile::tempdir().unwrap();
    let data = restored.path().join("us");
    let database = backend.restore(&kept.path().join("b"), &data);
    let (rt_us, us) = start_us(&data, &database);
    let (status, health) = refusal(&rt_us, &us);
    assert_eq!((status, health.status.as_str()), (503, "failing"));
    let why = health.refusing.unwrap();
    assert!(
        why.contains("accord/witness/RU cosigned 5 entries") && why.contains("holds 2"),
        "{why}"
    );
    let refused = rt_us
        .block_on(us.submit(&[ack("US", 6, jiff::Timestamp::now())]))
        .unwrap_err();
    assert!(refused.to_string().contains("older backup"), "{refused}");
    // Nothing was signed that RU could take for a fork of US's log.
    assert!(ru_holds(5));
    rt_us.shutdown_timeout(Duration::from_secs(10));

    // Restored again, and extended by other records to the size RU cosigned before the node
    // met its witness: another root at size 5, which RU refuses to cosign.
    let other = tempfile::tempdir().unwrap();
    let data = other.path().join("us");
    let database = backend.restore(&kept.path().join("b"), &data);
    let alone = Node::open(Backend::config(&database, "US", &data, vec![])).unwrap();
    let others = (13..=15)
        .map(|n| alone.sign(&ack("US", n, jiff::Timestamp::now())))
        .collect();
    alone.submit(others).unwrap();
    drop(alone);
    let (rt_us, us) = start_us(&data, &database);
    refuses(
        &rt_us,
        &us,
        "accord/witness/RU cosigned another root of this node's log at size 5",
        ack("US", 16, jiff::Timestamp::now()),
        "signs nothing",
    );
    assert!(ru_holds(5));
    let ru_copy = rt_ru
        .block_on(ru.get::<Value>("/v1/logs/US/entries?start=2&limit=10"))
        .unwrap();
    let ids: Vec<String> = ru_copy["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let env: accord_model::envelope::Envelope =
                serde_json::from_value(e["envelope"].clone()).unwrap();
            accord_node::node::decode_logged(&env.to_json())
                .unwrap()
                .id
                .to_string()
        })
        .collect();
    assert_eq!(
        ids,
        ["US-ack-3", "US-ack-4", "US-ack-5"],
        "RU keeps US's true log"
    );
    rt_us.shutdown_timeout(Duration::from_secs(10));
    rt_ru.shutdown_timeout(Duration::from_secs(10));
}

#[test]
fn a_node_restored_from_before_a_scoped_log_was_made_asks_its_witnesses_about_it() {
    for backend in Backend::each(
        "a_node_restored_from_before_a_scoped_log_was_made_asks_its_witnesses_about_it",
    ) {
        restored_node_asks_about_a_scoped_log(&backend);
    }
}

/// US and RU hold New START; US's backup is taken before US's New START log exists. Restored,
/// US does not hold that log, which RU cosigned one entry of: US signs nothing.
fn restored_node_asks_about_a_scoped_log(backend: &Backend) {
    let ((du, ku), (dr, kr)) = (keyed(), keyed());
    trust_each_other((&du, &ku), (&dr, &kr));
    let us_database = backend.new_database();
    let new_start = || vec![accord_node::judge::resolve_agreement("new-start").unwrap()];
    let bind = |rt: &tokio::runtime::Runtime| {
        rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap()
    };
    let rt_ru = accord_node::http::runtime().unwrap();
    let lr = bind(&rt_ru);
    let ru_url = format!("http://{}", lr.local_addr().unwrap());
    let mut ru_config = Backend::config(&backend.new_database(), "RU", dr.path(), vec![]);
    ru_config.agreements = new_start();
    rt_ru.spawn(accord_node::http::serve(
        Arc::new(Node::open(ru_config).unwrap()),
        lr,
    ));
    let ru = Client::new(&ru_url, p("RU"), kr);
    let start_us = |dir: &Path, database: &accord_node::store::DatabaseChoice| {
        let rt = accord_node::http::runtime().unwrap();
        let l = bind(&rt);
        let url = format!("http://{}", l.local_addr().unwrap());
        let peers = vec![PeerConfig {
            party: p("RU"),
            url: ru_url.clone(),
        }];
        let mut config = Backend::config(database, "US", dir, peers);
        config.agreements = new_start();
        rt.spawn(accord_node::http::serve(
            Arc::new(Node::open(config).unwrap()),
            l,
        ));
        (rt, Client::new(&url, p("US"), ku.clone()))
    };
    let (rt_us, us) = start_us(du.path(), &us_database);
    rt_us
        .block_on(us.submit(&[ack("US", 1, jiff::Timestamp::now())]))
        .unwrap();
    let ru_holds = |log: &str, n: u64| {
        rt_ru
            .block_on(ru.get::<StateSummary>("/v1/state"))
            .unwrap()
            .logs
            .get(&p(log))
            .is_some_and(|l| l.size == n)
    };
    wait_for("RU to mirror US's public log", || ru_holds("US", 1));
    let kept = tempfile::tempdir().unwrap();
    backend.backup(du.path(), &us_database, &kept.path().join("b"));
    let declaration: accord_model::Record = serde_json::from_str(&format!(
        r#"{{"id":"US-NS-1","party":"US","issued_at":"{}","body":{{"type":"declaration","agreement":"new-start","as_of":"2026-01-15","holdings":[]}}}}"#,
        jiff::Timestamp::now()
    ))
    .unwrap();
    let done = rt_us.block_on(us.submit(&[declaration])).unwrap();
    assert_eq!(done.logged[0].origin, "accord/log/US/new-start");
    wait_for("RU to mirror US's New START log", || {
        ru_holds("US/new-start", 1)
    });
    rt_us.shutdown_timeout(Duration::from_secs(10));

    let restored = tempfile::tempdir().unwrap();
    let data = restored.path().join("us");
    let database = backend.restore(&kept.path().join("b"), &data);
    let (rt_us, us) = start_us(&data, &database);
    refuses(
        &rt_us,
        &us,
        "accord/witness/RU cosigned 1 entries of this node's log accord/log/US/new-start, \
         which holds 0",
        ack("US", 2, jiff::Timestamp::now()),
        "older backup",
    );
    assert!(ru_holds("US", 1) && ru_holds("US/new-start", 1));
    rt_us.shutdown_timeout(Duration::from_secs(10));
}
