//! Party nodes as real processes on loopback: exchange with receipts across a SIGKILL, the
//! hotline through the command line, and bad input refused with nothing changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use accord_model::envelope::Envelope;
use accord_model::{
    Acknowledgement, Activity, ActivityKind, AgreementId, Area, ExplanationReply,
    ExplanationRequest, Notification, PartyId, ProvisionId, Record, RecordBody, RecordId,
    SeedCommit,
};
use accord_node::client::Client;
use accord_node::keys;
use accord_node::note::{Frontier, Note, leaf_hash, witness_name};
use accord_node::wire::{Findings, NodeInfo, StateSummary};
use base64::Engine as _;
use ed25519_dalek::SigningKey;

const BIN: &str = env!("CARGO_BIN_EXE_accord");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

struct Proc {
    party: String,
    dir: PathBuf,
    port: u16,
    peers: Vec<(String, u16)>,
    extra: Vec<String>,
    child: Option<Child>,
}

impl Proc {
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn start(&mut self) {
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--party", &self.party, "--data"])
            .arg(&self.dir)
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .args(&self.extra);
        for (peer, port) in &self.peers {
            cmd.args(["--peer", &format!("{peer}=http://127.0.0.1:{port}")]);
        }
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        self.child = Some(cmd.spawn().expect("accord serve starts"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "node {} did not start",
                self.party
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            // SIGKILL: no chance to flush or shut down cleanly.
            c.kill().unwrap();
            c.wait().unwrap();
        }
    }

    fn key(&self) -> SigningKey {
        keys::load_key(&self.dir).unwrap()
    }

    fn client(&self) -> Client {
        Client::new(&self.url(), p(&self.party), self.key())
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

fn accord(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "accord {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Makes keys and trust files for `parties` under `root` and returns the processes (not started).
fn network(root: &Path, parties: &[&str], extra: &[&str]) -> Vec<Proc> {
    let ports: Vec<u16> = parties.iter().map(|_| free_port()).collect();
    let mut pubkeys = BTreeMap::new();
    for party in parties {
        let dir = root.join(party);
        let out = accord(&["keys", "--data", dir.to_str().unwrap(), "--json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(v["fingerprint"].as_str().unwrap().starts_with("SHA256:"));
        pubkeys.insert(*party, v["public_key"].as_str().unwrap().to_owned());
    }
    parties
        .iter()
        .enumerate()
        .map(|(i, party)| {
            let dir = root.join(party);
            for (other, key) in &pubkeys {
                if other != party {
                    accord(&[
                        "keys",
                        "--data",
                        dir.to_str().unwrap(),
                        "--trust",
                        &format!("{other}={key}"),
                    ]);
                }
            }
            Proc {
                party: party.to_string(),
                dir,
                port: ports[i],
                peers: parties
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(j, q)| (q.to_string(), ports[j]))
                    .collect(),
                extra: extra.iter().map(|s| s.to_string()).collect(),
                child: None,
            }
        })
        .collect()
}

fn rt() -> tokio::runtime::Runtime {
    accord_node::http::runtime().unwrap()
}

fn record(party: &str, id: String, issued_at: jiff::Timestamp, body: RecordBody) -> Record {
    Record {
        id: RecordId::new(id).unwrap(),
        party: p(party),
        issued_at,
        body,
    }
}

fn bulk(party: &str, i: usize, at: jiff::Timestamp) -> Record {
    record(
        party,
        format!("{party}-seed-{i}"),
        at,
        RecordBody::SeedCommit(SeedCommit {
            round: format!("round-{i}"),
            digest: format!("{i:064x}"),
            commitment: accord_model::RecordId::new("US-commitment").unwrap(),
            root: "00".repeat(32),
            declaration: accord_model::LogReceipt {
                checkpoint: String::new(),
                proof: accord_model::ReceiptProof {
                    index: 0,
                    size: 0,
                    hashes: Vec::new(),
                },
            },
        }),
    )
}

fn notification(party: &str, id: &str, at: jiff::Timestamp) -> Record {
    record(
        party,
        id.to_owned(),
        at,
        RecordBody::Notification(Notification {
            agreement: AgreementId::new("vienna-document-2011").unwrap(),
            activity: Activity {
                name: "Allied Resolve".into(),
                kind: ActivityKind::Exercise,
                start: "2022-02-10".parse().unwrap(),
                end: "2022-02-20".parse().unwrap(),
                area: Area {
                    zone: None,
                    description: "training area".into(),
                },
                forces: vec![],
                participants: vec![],
            },
        }),
    )
}

/// Everything each log should hold once the exchange settles: record ids per author.
type Expected = BTreeMap<String, Vec<String>>;

async fn submit_all(c: &Client, records: Vec<Record>, expected: &mut Expected) {
    for chunk in records.chunks(500) {
        let s = c.submit(chunk).await.unwrap();
        assert_eq!(s.count, chunk.len() as u64);
        expected
            .entry(c.party.to_string())
            .or_default()
            .extend(chunk.iter().map(|r| r.id.to_string()));
    }
}

async fn wait_settled(nodes: &[Proc], expected: &Expected) -> Vec<NodeInfo> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut infos = Vec::new();
        for n in nodes {
            infos.push(n.client().get::<NodeInfo>("/v1/node").await.unwrap());
        }
        let done = infos.iter().all(|info| {
            expected
                .iter()
                .all(|(log, ids)| info.logs.get(&p(log)).map(|s| s.size) == Some(ids.len() as u64))
                && info
                    .peers
                    .iter()
                    .all(|peer| peer.acknowledged == expected[info.party.as_str()].len() as u64)
        });
        if done {
            return infos;
        }
        assert!(
            Instant::now() < deadline,
            "exchange did not settle: {:#?}",
            infos
                .iter()
                .map(|i| (&i.party, &i.logs, &i.peers))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Reads a whole log from a node: (index, envelope JSON) pairs.
async fn read_log(c: &Client, log: &str) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    loop {
        let v: serde_json::Value = c
            .get(&format!(
                "/v1/logs/{log}/entries?start={}&limit=5000",
                all.len()
            ))
            .await
            .unwrap();
        let page = v["entries"].as_array().unwrap().clone();
        if page.is_empty() {
            return all;
        }
        for e in &page {
            assert_eq!(
                e["index"].as_u64().unwrap(),
                all.len() as u64,
                "entries in order"
            );
            all.push(e["envelope"].clone());
        }
    }
}

#[test]
fn three_nodes_exchange_10000_records_across_a_sigkill() {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network(root.path(), &["US", "RU", "UA"], &["--batch", "500"]);
    for n in nodes.iter_mut() {
        n.start();
    }
    let rt = rt();
    let now = jiff::Timestamp::now();
    let mut expected: Expected = BTreeMap::new();
    let (us, ru, ua) = (nodes[0].client(), nodes[1].client(), nodes[2].client());
    rt.block_on(async {
        // Records that create deadlines: RU notifies; US acknowledges, UA does not; UA asks RU
        // for an explanation, which RU never gives; US asks RU too and gets a reply.
        let mut ru_first = vec![notification("RU", "RU-notice-1", now)];
        ru_first.extend((0..1500).map(|i| bulk("RU", i, now)));
        submit_all(&ru, ru_first, &mut expected).await;
        let request = |party: &str, id: &str| {
            record(
                party,
                id.to_owned(),
                now,
                RecordBody::ExplanationRequest(ExplanationRequest {
                    agreement: AgreementId::new("vienna-document-2011").unwrap(),
                    provision: ProvisionId::new("chapter-iii-16").unwrap(),
                    to: p("RU"),
                    area: Area {
                        zone: None,
                        description: "near the border".into(),
                    },
                    text: "explain the concentration".into(),
                }),
            )
        };
        let mut us_first = vec![
            record(
                "US",
                "US-ack-1".into(),
                now,
                RecordBody::Acknowledgement(Acknowledgement {
                    of: RecordId::new("RU-notice-1").unwrap(),
                }),
            ),
            request("US", "US-request-1"),
        ];
        us_first.extend((0..1500).map(|i| bulk("US", i, now)));
        submit_all(&us, us_first, &mut expected).await;
        let mut ua_first = vec![request("UA", "UA-request-1")];
        ua_first.extend((0..1500).map(|i| bulk("UA", i, now)));
        submit_all(&ua, ua_first, &mut expected).await;
    });
    // RU dies mid-stream, without warning.
    std::thread::sleep(Duration::from_millis(300));
    nodes[1].kill();
    rt.block_on(async {
        submit_all(
            &us,
            (1500..3300).map(|i| bulk("US", i, now)).collect(),
            &mut expected,
        )
        .await;
        submit_all(
            &ua,
            (1500..3300).map(|i| bulk("UA", i, now)).collect(),
            &mut expected,
        )
        .await;
    });
    std::thread::sleep(Duration::from_millis(500));
    nodes[1].start();
    rt.block_on(async {
        let mut ru_rest = vec![record(
            "RU",
            "RU-reply-1".into(),
            now,
            RecordBody::ExplanationReply(ExplanationReply {
                request: RecordId::new("US-request-1").unwrap(),
                text: "a routine exercise".into(),
            }),
        )];
        ru_rest.extend((1500..3395).map(|i| bulk("RU", i, now)));
        submit_all(&ru, ru_rest, &mut expected).await;
        let total: usize = expected.values().map(Vec::len).sum();
        assert_eq!(total, 10_000);

        let infos = wait_settled(&nodes, &expected).await;
        // Identical logs everywhere: same sizes and roots, so the same state digest.
        let states: Vec<StateSummary> = futures_all(&nodes, "/v1/state").await;
        assert!(states.windows(2).all(|w| w[0] == w[1]), "{states:#?}");

        // Every log holds each record once, in the author's order, with nothing lost.
        for n in &nodes {
            let c = n.client();
            for (log, ids) in &expected {
                let entries = read_log(&c, log).await;
                let got: Vec<String> = entries
                    .iter()
                    .map(|e| {
                        let payload = base64::engine::general_purpose::STANDARD
                            .decode(e["payload"].as_str().unwrap())
                            .unwrap();
                        let r: Record = serde_json::from_slice(&payload).unwrap();
                        r.id.to_string()
                    })
                    .collect();
                assert_eq!(&got, ids, "log of {log} at node {}", n.party);
            }
        }

        // Every receipt verifies: the peer's cosignature, our signature, and our root at its size.
        let pubkeys: BTreeMap<String, ed25519_dalek::VerifyingKey> = infos
            .iter()
            .map(|i| {
                (
                    i.party.to_string(),
                    keys::parse_public_key(&i.public_key).unwrap(),
                )
            })
            .collect();
        let mut checked = 0;
        for n in &nodes {
            let c = n.client();
            let entries = read_log(&c, &n.party).await;
            let mut roots = vec![Frontier::default().root()];
            let mut f = Frontier::default();
            for e in &entries {
                f.push(leaf_hash(&serde_json::to_vec(e).unwrap()));
                roots.push(f.root());
            }
            for (peer, _) in &n.peers {
                let v: serde_json::Value = c.get(&format!("/v1/receipts/{peer}")).await.unwrap();
                let receipts = v["receipts"].as_array().unwrap();
                assert!(!receipts.is_empty());
                let mut max = 0;
                for r in receipts {
                    let note = Note::parse(r["note"].as_str().unwrap()).unwrap();
                    let cp = note.checkpoint().unwrap();
                    assert!(note.verify(&cp.origin, &pubkeys[&n.party]));
                    assert!(note.verify_cosignature(&witness_name(peer), &pubkeys[peer]));
                    assert_eq!(cp.root, roots[cp.size as usize]);
                    max = max.max(cp.size);
                    checked += 1;
                }
                assert_eq!(
                    max,
                    entries.len() as u64,
                    "{peer} cosigned all of {}",
                    n.party
                );
            }
        }
        assert!(checked >= 6);

        // The three nodes compute the same findings from the same logs.
        let at = (now + jiff::SignedDuration::from_hours(72)).to_string();
        let path = format!("/v1/findings?at={at}");
        let findings: Vec<Findings> = futures_all(&nodes, &path).await;
        assert!(findings.windows(2).all(|w| w[0] == w[1]));
        let f = &findings[0];
        // UA never acknowledged RU's notification; RU never answered UA's request.
        assert_eq!(f.findings.len(), 2, "{:#?}", f.findings);
        assert!(
            f.findings
                .iter()
                .any(|x| x.party.as_str() == "UA" && x.severity == accord_model::Severity::Concern)
        );
        assert!(
            f.findings.iter().any(
                |x| x.party.as_str() == "RU" && x.severity == accord_model::Severity::Violation
            )
        );
    });
}

async fn futures_all<T: serde::de::DeserializeOwned>(nodes: &[Proc], path: &str) -> Vec<T> {
    let mut out = Vec::new();
    for n in nodes {
        out.push(n.client().get(path).await.unwrap());
    }
    out
}

#[test]
fn hotline_messages_arrive_in_order_with_delivery_and_read_receipts() {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network(root.path(), &["US", "RU"], &[]);
    for n in nodes.iter_mut() {
        n.start();
    }
    let us_dir = nodes[0].dir.to_str().unwrap().to_owned();
    let ru_dir = nodes[1].dir.to_str().unwrap().to_owned();
    for text in ["first", "second", "third"] {
        let out = accord(&["hotline", "send", "--data", &us_dir, "--to", "RU", text]);
        assert!(out.contains("sent US-hotline-RU-"), "{out}");
    }
    let out = accord(&[
        "hotline", "watch", "--data", &ru_dir, "--count", "3", "--json",
    ]);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let texts: Vec<&str> = lines.iter().map(|l| l["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["first", "second", "third"]);
    let seqs: Vec<u64> = lines.iter().map(|l| l["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3]);
    // RU's log gains a delivery and a read receipt per message, and reaches US's mirror.
    let rt = rt();
    rt.block_on(async {
        let us = nodes[0].client();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let entries = read_log(&us, "RU").await;
            let kinds: Vec<(String, String)> = entries
                .iter()
                .map(|e| {
                    let payload = base64::engine::general_purpose::STANDARD
                        .decode(e["payload"].as_str().unwrap())
                        .unwrap();
                    let r: Record = serde_json::from_slice(&payload).unwrap();
                    match r.body {
                        RecordBody::HotlineReceipt(h) => {
                            (h.message.to_string(), format!("{:?}", h.kind))
                        }
                        other => (r.id.to_string(), other.kind().to_owned()),
                    }
                })
                .collect();
            let delivered: BTreeSet<&str> = kinds
                .iter()
                .filter(|k| k.1 == "Delivered")
                .map(|k| k.0.as_str())
                .collect();
            let read: BTreeSet<&str> = kinds
                .iter()
                .filter(|k| k.1 == "Read")
                .map(|k| k.0.as_str())
                .collect();
            if delivered.len() == 3 && read.len() == 3 {
                assert_eq!(kinds.len(), 6, "each receipt once: {kinds:?}");
                break;
            }
            assert!(Instant::now() < deadline, "receipts missing: {kinds:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // A second watch sees the messages as read.
        let inbox: serde_json::Value = nodes[1].client().get("/v1/hotline/inbox").await.unwrap();
        assert!(
            inbox["messages"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["read"] == true)
        );
    });
}

#[test]
fn bad_input_is_refused_with_a_clear_error_and_nothing_changes() {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network(root.path(), &["US", "RU"], &["--max-body", "65536"]);
    for n in nodes.iter_mut() {
        n.start();
    }
    let rt = rt();
    let now = jiff::Timestamp::now();
    rt.block_on(async {
        let us = nodes[0].client();
        let ru = nodes[1].client();
        let us_key = nodes[0].key();
        let ok = bulk("US", 1, now);
        us.submit(std::slice::from_ref(&ok)).await.unwrap();
        let states = |_: ()| async {
            (
                us.get::<StateSummary>("/v1/state").await.unwrap(),
                ru.get::<StateSummary>("/v1/state").await.unwrap(),
            )
        };
        // Let the first record reach RU so both states are stable.
        let deadline = Instant::now() + Duration::from_secs(20);
        while states(()).await.1.logs.get(&p("US")).map(|s| s.size) != Some(1) {
            assert!(Instant::now() < deadline);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let before = states(()).await;

        let check = |status: u16, body: Vec<u8>, want_status: u16, code: &str, words: &str| {
            let v: serde_json::Value = serde_json::from_slice(&body)
                .unwrap_or_else(|_| panic!("JSON error body: {}", String::from_utf8_lossy(&body)));
            assert_eq!(status, want_status, "{v}");
            assert_eq!(v["code"], code, "{v}");
            let msg = v["error"].as_str().unwrap();
            assert!(msg.contains(words), "{msg:?} should say {words:?}");
        };
        let post = |c: &Client, path: &'static str, body: Vec<u8>| {
            let c = c.clone();
            async move { c.post_raw(path, body).await.unwrap() }
        };

        // A bad signature: the payload altered after signing.
        let mut env = Envelope::sign_record(&bulk("US", 2, now), &us_key);
        let other = Envelope::sign_record(&bulk("US", 3, now), &us_key);
        env.payload = other.payload;
        let (s, b) = post(&us, "/v1/records", env.to_json()).await;
        check(s, b, 401, "bad_signature", "does not verify");

        // An unknown party: signed by a key in no trust file.
        let stranger = accord_model::envelope::generate_key();
        let env = Envelope::sign_record(&bulk("US", 4, now), &stranger);
        let (s, b) = post(&us, "/v1/records", env.to_json()).await;
        check(s, b, 403, "unknown_party", "trust file");

        // A record claiming another party's identity: US's key, RU's name.
        let env = Envelope::sign_record(&bulk("RU", 5, now), &us_key);
        let (s, b) = post(&us, "/v1/records", env.to_json()).await;
        check(s, b, 403, "wrong_party", "claims party RU but is signed by US");
        // The same through the exchange: an entry of US's log that claims to be RU's.
        let req = serde_json::json!({
            "from": "US",
            "checkpoint": us.get_raw("/v1/logs/US/checkpoint").await.map(|r| String::from_utf8(r.1).unwrap()).unwrap(),
            "entries": [{"index": 1, "envelope": env}],
        });
        let (s, b) = post(&ru, "/v1/exchange", serde_json::to_vec(&req).unwrap()).await;
        check(s, b, 403, "wrong_party", "claims party RU");

        // A replayed envelope: the first record again, to the node and through the exchange.
        let env = Envelope::sign_record(&ok, &us_key);
        let (s, b) = post(&us, "/v1/records", env.to_json()).await;
        check(s, b, 409, "replay", "already in the log of US");
        let req = serde_json::json!({
            "from": "US",
            "checkpoint": us.get_raw("/v1/logs/US/checkpoint").await.map(|r| String::from_utf8(r.1).unwrap()).unwrap(),
            "entries": [{"index": 1, "envelope": env}],
        });
        let (s, b) = post(&ru, "/v1/exchange", serde_json::to_vec(&req).unwrap()).await;
        check(s, b, 409, "replay", "already in US's log");
        // A repeated delivery of the same entry at its own index is harmless: a fresh receipt.
        let req = serde_json::json!({
            "from": "US",
            "checkpoint": us.get_raw("/v1/logs/US/checkpoint").await.map(|r| String::from_utf8(r.1).unwrap()).unwrap(),
            "entries": [{"index": 0, "envelope": env}],
        });
        let (s, b) = post(&ru, "/v1/exchange", serde_json::to_vec(&req).unwrap()).await;
        assert_eq!(s, 200, "{}", String::from_utf8_lossy(&b));

        // An oversized body.
        let big = bulk("US", 6, now);
        let mut v = serde_json::to_value(Envelope::sign_record(&big, &us_key)).unwrap();
        v["padding"] = "x".repeat(100_000).into();
        let (s, b) = post(&us, "/v1/records", serde_json::to_vec(&v).unwrap()).await;
        check(s, b, 413, "too_large", "too large");

        // Malformed JSON.
        let (s, b) = post(&us, "/v1/records", b"{\"payload\": ".to_vec()).await;
        check(s, b, 400, "malformed", "request body");
        let (s, b) = post(&ru, "/v1/exchange", b"[1, 2".to_vec()).await;
        check(s, b, 400, "malformed", "request body");

        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(states(()).await, before, "nothing changed");
    });
}
