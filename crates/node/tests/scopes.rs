//! Who may read what: each party keeps a log per agreement and per hotline channel, a node
//! mirrors only the logs whose scope includes it, entries are served only to the parties of a
//! log's scope (and the node's operators and own machine) while checkpoints and hash tiles
//! stay public. Three nodes over TLS: US and RU hold New START, all three the Vienna Document.

mod common;

use std::sync::Arc;

use accord_model::{AgreementId, PartyId, Record};
use accord_node::access::Caller;
use accord_node::client::Client;
use accord_node::judge::resolve_agreement;
use accord_node::node::FindingFilter;
use accord_node::tls::{Pins, anonymous_client_config, certificate, client_config, http_client};
use accord_node::{Config, Node, PeerConfig, keys};
use ed25519_dalek::{SigningKey, VerifyingKey};

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

/// Pins one party's key.
#[derive(Debug)]
struct Pin(VerifyingKey, PartyId);

impl Pins for Pin {
    fn caller(&self, key: &VerifyingKey) -> Option<Caller> {
        (key == &self.0).then(|| Caller::Party(self.1.clone()))
    }
}

const PARTIES: [&str; 3] = ["US", "RU", "BY"];
const NEW_START: &str = "new-start";
const VIENNA: &str = "vienna-document-2011";
/// The US New START log's name, with its slash escaped for a path.
const US_NEW_START: &str = "US%2Fnew-start";

struct Net {
    _dirs: Vec<tempfile::TempDir>,
    keys: Vec<SigningKey>,
    urls: Vec<String>,
    nodes: Vec<Arc<Node>>,
    /// A key listed as an analyst in US's operators file, with a directory for its
    /// certificate.
    analyst: (SigningKey, tempfile::TempDir),
    rt: tokio::runtime::Runtime,
}

/// The three nodes, each the others' peer over https, every key trusted by every node.
fn net() -> Net {
    let rt = accord_node::http::runtime().unwrap();
    let dirs: Vec<tempfile::TempDir> = PARTIES
        .iter()
        .map(|_| tempfile::tempdir().unwrap())
        .collect();
    let keys: Vec<SigningKey> = dirs
        .iter()
        .map(|d| keys::load_or_create_key(d.path()).unwrap())
        .collect();
    for (i, d) in dirs.iter().enumerate() {
        for (j, k) in keys.iter().enumerate() {
            if i != j {
                keys::add_trusted(d.path(), &p(PARTIES[j]), &k.verifying_key()).unwrap();
            }
        }
    }
    let analyst = SigningKey::from_bytes(&[31; 32]);
    std::fs::write(
        dirs[0].path().join(accord_node::access::OPERATORS_FILE),
        format!(
            "[operators.ana]\nkey = \"{}\"\nrole = \"analyst\"\n",
            keys::public_key_text(&analyst.verifying_key())
        ),
    )
    .unwrap();
    let listeners: Vec<tokio::net::TcpListener> = rt.block_on(async {
        let mut v = Vec::new();
        for _ in PARTIES {
            v.push(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap());
        }
        v
    });
    let urls: Vec<String> = listeners
        .iter()
        .map(|l| format!("https://{}", l.local_addr().unwrap()))
        .collect();
    let mut nodes = Vec::new();
    for (i, party) in PARTIES.iter().enumerate() {
        let peers = (0..PARTIES.len())
            .filter(|j| *j != i)
            .map(|j| PeerConfig {
                party: p(PARTIES[j]),
                url: urls[j].clone(),
            })
            .collect();
        let mut c = Config::new(p(party), dirs[i].path().to_owned(), peers);
        c.tls = true;
        c.agreements = if *party == "BY" {
            vec![resolve_agreement(VIENNA).unwrap()]
        } else {
            vec![
                resolve_agreement(NEW_START).unwrap(),
                resolve_agreement(VIENNA).unwrap(),
            ]
        };
        nodes.push(Arc::new(Node::open(c).unwrap()));
    }
    for (node, listener) in nodes.iter().zip(listeners) {
        rt.spawn(accord_node::http::serve(node.clone(), listener));
    }
    Net {
        _dirs: dirs,
        keys,
        urls,
        nodes,
        analyst: (analyst, tempfile::tempdir().unwrap()),
        rt,
    }
}

impl Net {
    fn client(&self, i: usize) -> Client {
        Client::new(&self.urls[i], p(PARTIES[i]), self.keys[i].clone())
    }

    /// A client of US's node showing a certificate made from `key`.
    fn caller_of_us(&self, key: &SigningKey, dir: &std::path::Path) -> reqwest::Client {
        let cert = certificate(dir, key, &p("XX")).unwrap();
        let pin = Arc::new(Pin(self.keys[0].verifying_key(), p("US")));
        http_client(client_config(cert, key, pin).unwrap()).unwrap()
    }

    /// The size of log `log` at node `i` (0 if it does not hold it).
    fn size(&self, i: usize, log: &str) -> u64 {
        self.nodes[i].logs().get(&p(log)).map_or(0, |l| l.size)
    }
}

fn record(json: &str) -> Record {
    serde_json::from_str(json).unwrap()
}

/// US's New START declaration, above the limit of deployed warheads.
fn us_declaration(now: &str) -> Record {
    record(&format!(
        r#"{{"id":"US-NS-1","party":"US","issued_at":"{now}","body":{{"type":"declaration","agreement":"new-start","as_of":"2026-09-01","holdings":[{{"category":"strategic_delivery_vehicles","status":"deployed","count":665}},{{"category":"accountable_warheads","status":"deployed","count":1600}},{{"category":"strategic_launchers","status":"deployed","count":800}}]}}}}"#
    ))
}

/// A Vienna Document request for explanation by `from` to `to`.
fn vd_request(id: &str, from: &str, to: &str, now: &str) -> Record {
    record(&format!(
        r#"{{"id":"{id}","party":"{from}","issued_at":"{now}","body":{{"type":"explanation_request","agreement":"vienna-document-2011","provision":"ch-iii-unusual-activities","to":"{to}","area":{{"zone":"belarus","description":"Belarus"}},"text":"forces near the border"}}}}"#
    ))
}

async fn status(http: &reqwest::Client, url: String) -> u16 {
    http.get(url).send().await.unwrap().status().as_u16()
}

/// The JSON answer of a GET.
async fn json(http: &reqwest::Client, url: String) -> serde_json::Value {
    let bytes = http.get(url).send().await.unwrap().bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn each_log_reaches_and_is_read_by_the_parties_of_its_scope_only() {
    let net = net();
    let (us, ru, by) = (net.client(0), net.client(1), net.client(2));
    let now = jiff::Timestamp::now().to_string();
    net.rt.block_on(async {
        us.submit(&[us_declaration(&now)]).await.unwrap();
        us.submit(&[vd_request("US-VD-1", "US", "RU", &now)])
            .await
            .unwrap();
        ru.submit(&[vd_request("RU-VD-1", "RU", "BY", &now)])
            .await
            .unwrap();
        us.hotline_send(&p("RU"), "for RU only").await.unwrap();
        // A record under an agreement BY's node holds no file of has no log there.
        let e = by
            .submit(&[record(&format!(
                r#"{{"id":"BY-NS-1","party":"BY","issued_at":"{now}","body":{{"type":"declaration","agreement":"new-start","as_of":"2026-09-01","holdings":[]}}}}"#
            ))])
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("agreement new-start is not held"), "{e}");
    });
    // Each record went to its scope's log: nothing to the public log.
    assert_eq!(net.size(0, "US/new-start"), 1);
    assert_eq!(net.size(0, "US/vienna-document-2011"), 1);
    assert_eq!(net.size(0, "US/hotline/RU/US"), 1);
    assert_eq!(net.size(0, "US"), 0);

    // RU mirrors all three US logs; BY mirrors the Vienna Document log and witnesses the New
    // START and channel logs' checkpoints without receiving their entries.
    let us_node = net.nodes[0].clone();
    let witnessed_by = |log: &str| us_node.witnessed("accord/witness/BY", log).unwrap();
    common::wait_for("the logs reach their readers", || {
        net.size(1, "US/new-start") == 1
            && net.size(1, "US/hotline/RU/US") == 1
            && net.size(1, "US/vienna-document-2011") == 1
            && net.size(2, "US/vienna-document-2011") == 1
            && net.size(0, "RU/vienna-document-2011") == 1
            && net.size(2, "RU/vienna-document-2011") == 1
            && witnessed_by("US/new-start") == 1
            && witnessed_by("US/hotline/RU/US") == 1
    });
    let by_logs = net.nodes[2].logs();
    assert!(!by_logs.contains_key(&p("US/new-start")), "{by_logs:?}");
    assert!(!by_logs.contains_key(&p("US/hotline/RU/US")), "{by_logs:?}");
    assert!(
        !net.nodes[2]
            .all_records()
            .unwrap()
            .iter()
            .any(|(_, _, r)| r.id.as_str() == "US-NS-1"),
        "BY's node never holds the New START declaration"
    );
    // BY's node refuses to store a mirror of the New START log if it is sent anyway.
    let body = net.nodes[0]
        .mirror_request("US/new-start", 0, 1, 100)
        .unwrap()
        .0;
    match net.nodes[2].add_entries(&body) {
        Err(accord_node::node::MirrorRefusal::Node(e)) => {
            assert!(e.to_string().contains("is not for BY"), "{e}")
        }
        other => panic!("BY's node took the New START log: {other:?}"),
    }

    let certs = tempfile::tempdir().unwrap();
    let (dir_by, dir_ru) = (certs.path().join("by"), certs.path().join("ru"));
    std::fs::create_dir_all(&dir_by).unwrap();
    std::fs::create_dir_all(&dir_ru).unwrap();
    let as_by = net.caller_of_us(&net.keys[2], &dir_by);
    let as_ru = net.caller_of_us(&net.keys[1], &dir_ru);
    let as_analyst = net.caller_of_us(&net.analyst.0, net.analyst.1.path());
    let anonymous = http_client(
        anonymous_client_config(Arc::new(Pin(net.keys[0].verifying_key(), p("US")))).unwrap(),
    )
    .unwrap();
    let url = |path: &str| format!("{}{path}", net.urls[0]);
    let checkpoint = url(&format!("/v1/logs/{US_NEW_START}/checkpoint"));
    let hashes = url(&format!("/v1/logs/{US_NEW_START}/tile/0/000.p/1"));
    let bundle = url(&format!("/v1/logs/{US_NEW_START}/tile/entries/000.p/1"));
    let entries = url(&format!("/v1/logs/{US_NEW_START}/entries"));
    let proof = url("/v1/proof?origin=accord/log/US/new-start&index=0");
    let channel_bundle = url("/v1/logs/US%2Fhotline%2FRU%2FUS/tile/entries/000.p/1");
    let vd_bundle = url("/v1/logs/US%2Fvienna-document-2011/tile/entries/000.p/1");
    net.rt.block_on(async {
        // Checkpoints and hash tiles are public; entries are for the scope's parties, the
        // operators and the node's own party.
        for (who, http, reads_ns, reads_channel) in [
            ("BY", &as_by, false, false),
            ("anonymous", &anonymous, false, false),
            ("RU", &as_ru, true, true),
            ("an analyst", &as_analyst, true, true),
        ] {
            assert_eq!(status(http, checkpoint.clone()).await, 200, "{who}");
            assert_eq!(status(http, hashes.clone()).await, 200, "{who}");
            let want = if reads_ns { 200 } else { 403 };
            assert_eq!(status(http, bundle.clone()).await, want, "{who} bundle");
            assert_eq!(status(http, entries.clone()).await, want, "{who} entries");
            let want = if reads_channel { 200 } else { 403 };
            assert_eq!(status(http, channel_bundle.clone()).await, want, "{who}");
        }
        // BY reads the Vienna Document log, the anonymous caller nothing.
        assert_eq!(status(&as_by, vd_bundle.clone()).await, 200);
        assert_eq!(status(&anonymous, vd_bundle.clone()).await, 403);
        let r = as_by.get(&bundle).send().await.unwrap();
        let body = r.text().await.unwrap();
        assert!(body.contains("are for the parties of its scope"), "{body}");
        // Proofs carry the entry: the same rule.
        let (s, _) = us
            .get_raw("/v1/proof?origin=accord/log/US/new-start&index=0")
            .await
            .unwrap();
        assert!(matches!(s, 200 | 404), "{s}");
        assert_eq!(status(&as_by, proof.clone()).await, 403);
        // The hotline: BY sees none of the US-RU traffic.
        let sent = json(&as_by, url("/v1/hotline/sent")).await;
        assert_eq!(sent["messages"].as_array().map(Vec::len), Some(0), "{sent}");
        let sent = json(&as_ru, url("/v1/hotline/sent")).await;
        assert_eq!(sent["messages"].as_array().map(Vec::len), Some(1), "{sent}");
        // The dashboard is for the node's operators and its own party.
        assert_eq!(status(&as_by, url("/")).await, 403);
        assert_eq!(status(&as_analyst, url("/")).await, 200);
        // Findings: BY sees no New START finding, RU and the analyst do.
        let agreements = |v: &serde_json::Value| -> Vec<String> {
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["agreement"].as_str().unwrap().to_owned())
                .collect()
        };
        for (who, http, sees_ns) in [
            ("BY", &as_by, false),
            ("RU", &as_ru, true),
            ("an analyst", &as_analyst, true),
        ] {
            assert_eq!(status(http, url("/v1/findings")).await, 200, "{who}");
            let v = json(http, url("/v1/findings")).await;
            let found = agreements(&v);
            assert_eq!(
                found.iter().any(|a| a == NEW_START),
                sees_ns,
                "{who}: {found:?}"
            );
            assert!(found.iter().any(|a| a == VIENNA), "{who}: {found:?}");
        }
    });

    // The three nodes judge the Vienna Document alike: all hold its logs.
    common::wait_for("every Vienna Document log everywhere", || {
        ["US", "RU"].iter().all(|author| {
            let log = format!("{author}/vienna-document-2011");
            (0..3).all(|i| net.size(i, &log) == 1)
        })
    });
    let vd = FindingFilter {
        agreement: Some(AgreementId::new(VIENNA).unwrap()),
        ..FindingFilter::default()
    };
    let at = net.nodes[0].now();
    let digests: Vec<(usize, String)> = net
        .nodes
        .iter()
        .map(|n| {
            let f = n.findings(at, &vd).unwrap().findings;
            (f.len(), accord_model::findings_digest(&f))
        })
        .collect();
    assert!(digests[0].0 >= 2, "two open requests: {digests:?}");
    assert!(digests.iter().all(|d| *d == digests[0]), "{digests:?}");
}

/// US's node as the release before scoped logs left it (schema 3) after a hotline exchange
/// with RU (two messages sent, one received) and a New START declaration, all in its one log,
/// with the checkpoint it served then.
const SCHEMA_3: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-3");

#[test]
fn a_data_directory_of_one_log_keeps_it_as_the_public_log() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("us");
    common::copy_dir(&std::path::Path::new(SCHEMA_3).join("us"), &data);
    let served =
        std::fs::read_to_string(std::path::Path::new(SCHEMA_3).join("checkpoint-served.txt"))
            .unwrap();
    let before = accord_log::database::Sqlite::open_read_only(&data.join("node.db")).unwrap();
    assert_eq!(accord_node::migrate::version(&before).unwrap(), Some(3));
    drop(before);
    let mut config = Config::new(
        p("US"),
        data.clone(),
        vec![PeerConfig {
            party: p("RU"),
            url: "http://127.0.0.1:9".into(),
        }],
    );
    config.agreements = vec![resolve_agreement(NEW_START).unwrap()];
    let node = Node::open(config).unwrap();
    assert_eq!(node.health().unwrap().schema_version, 4);
    // The one log is the public log, served as before, with all it held.
    assert_eq!(node.checkpoint("US").unwrap(), served);
    assert_eq!(node.logs()[&p("US")].size, 4);
    assert_eq!(node.own_logs(), ["US"]);
    let sent = node.sent().unwrap();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|m| m.delivered), "{sent:?}");
    let inbox = node.inbox(0, 100).unwrap();
    assert_eq!(
        inbox.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
        ["fixture reply"]
    );
    // What RU cosigned and acknowledged is about the public log.
    assert_eq!(node.witnessed("accord/witness/RU", "US").unwrap(), 4);
    assert_eq!(node.acked_in("RU", "US").unwrap(), 4);
    assert_eq!(
        node.verify_receipts("RU").unwrap(),
        (4, 4),
        "a receipt per size"
    );
    assert!(
        node.all_records()
            .unwrap()
            .iter()
            .any(|(log, i, r)| log.as_str() == "US" && *i == 3 && r.id.as_str() == "US-NS-FIXTURE")
    );
    // New records go to the logs of their scopes; the next hotline number follows the old log.
    assert_eq!(node.next_seq("RU").unwrap(), 3);
    let now = node.now().to_string();
    let declaration = record(&format!(
        r#"{{"id":"US-NS-2","party":"US","issued_at":"{now}","body":{{"type":"declaration","agreement":"new-start","as_of":"2026-11-15","holdings":[{{"category":"accountable_warheads","status":"deployed","count":1500}}]}}}}"#
    ));
    let replayed = record(&format!(
        r#"{{"id":"US-NS-FIXTURE","party":"US","issued_at":"{now}","body":{{"type":"declaration","agreement":"new-start","as_of":"2026-11-15","holdings":[]}}}}"#
    ));
    let e = node.submit(vec![node.sign(&replayed)]).unwrap_err();
    assert!(
        e.to_string().contains("already in the log US at index 3"),
        "{e}"
    );
    let done = node.submit(vec![node.sign(&declaration)]).unwrap();
    assert_eq!(done.logged.len(), 1);
    assert_eq!(done.logged[0].origin, "accord/log/US/new-start");
    assert_eq!(done.logged[0].index, 0);
    assert_eq!(done.checkpoints.len(), 1);
    assert!(
        done.checkpoints[0].starts_with("accord/log/US/new-start\n1\n"),
        "{}",
        done.checkpoints[0]
    );
    assert_eq!(node.own_logs(), ["US", "US/new-start"]);
    // One submission that spans two logs names each record's log and index, and a checkpoint
    // per log written.
    let statement = record(&format!(
        r#"{{"id":"US-ST-1","party":"US","issued_at":"{now}","body":{{"type":"statement","kind":"decision","text":"forces stay"}}}}"#
    ));
    let second = record(&format!(
        r#"{{"id":"US-NS-3","party":"US","issued_at":"{now}","body":{{"type":"declaration","agreement":"new-start","as_of":"2026-11-16","holdings":[{{"category":"accountable_warheads","status":"deployed","count":1500}}]}}}}"#
    ));
    let done = node
        .submit(vec![node.sign(&second), node.sign(&statement)])
        .unwrap();
    assert_eq!(done.count, 2);
    let at: Vec<(&str, &str, u64)> = done
        .logged
        .iter()
        .map(|l| (l.record.as_str(), l.origin.as_str(), l.index))
        .collect();
    assert_eq!(
        at,
        [
            ("US-NS-3", "accord/log/US/new-start", 1),
            ("US-ST-1", "accord/log/US", 4)
        ]
    );
    assert_eq!(done.checkpoints.len(), 2);
    assert!(done.checkpoints[0].starts_with("accord/log/US/new-start\n2\n"));
    assert!(done.checkpoints[1].starts_with("accord/log/US\n5\n"));
    drop(node);
    // Both logs open again.
    let mut config = Config::new(p("US"), data, vec![]);
    config.agreements = vec![resolve_agreement(NEW_START).unwrap()];
    let node = Node::open(config).unwrap();
    assert_eq!(node.logs()[&p("US/new-start")].size, 2);
    assert_eq!(node.logs()[&p("US")].size, 5);
}
