//! Party nodes as real processes on loopback: exchange with receipts across a SIGKILL, the
//! hotline through the command line, and bad input refused with nothing changed.

mod common;
#[allow(dead_code)]
#[path = "../crates/node/tests/common/postgres.rs"]
mod postgres;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use accord_model::envelope::Envelope;
use accord_model::{
    Acknowledgement, Activity, ActivityKind, AgreementId, Area, ExplanationReply,
    ExplanationRequest, HotlineMessage, HotlineReceipt, HotlineReceiptKind, Notification, PartyId,
    ProvisionId, Record, RecordBody, RecordId, SeedCommit,
};
use accord_node::client::Client;
use accord_node::keys;
use accord_node::wire::{Findings, Inbox, InboxMessage, NodeInfo, StateSummary};
use base64::Engine as _;
use common::relay::Relay;
use common::{wait_until, wait_until_async};
use ed25519_dalek::SigningKey;

const BIN: &str = env!("CARGO_BIN_EXE_accord");

/// Where a test's nodes keep their tables: SQLite files in each data directory, or a
/// database per node on one PostgreSQL server (one for the whole test binary).
#[derive(Clone, Copy)]
enum Store<'a> {
    Sqlite,
    Postgres(&'a postgres::PgServer),
}

impl Store<'_> {
    /// The `--database` of a new node: none for SQLite, a new PostgreSQL database otherwise.
    fn new_database(&self) -> Option<String> {
        match self {
            Store::Sqlite => None,
            Store::Postgres(server) => Some(server.new_database().1),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Store::Sqlite => "SQLite",
            Store::Postgres(_) => "PostgreSQL",
        }
    }
}

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

struct Proc {
    party: String,
    dir: PathBuf,
    /// The port the running node bound (port 0 at start) and reported in DIR/node.json.
    port: u16,
    /// The port the peers are given, which stays the node's across restarts.
    relay: Relay,
    /// Each peer and the port of its relay.
    peers: Vec<(String, u16)>,
    extra: Vec<String>,
    /// The node's `--database`, if not SQLite.
    database: Option<String>,
    env: Vec<(String, String)>,
    /// Where the node's standard error goes (its logs), if kept.
    stderr: Option<PathBuf>,
    child: Option<Child>,
}

impl Proc {
    /// The node's address through its relay, which stays the same across restarts.
    fn url(&self) -> String {
        format!("{}://127.0.0.1:{}", self.scheme(), self.relay.port())
    }

    /// `https` for a node started with `--tls`.
    fn scheme(&self) -> &'static str {
        if self.extra.iter().any(|e| e == "--tls") {
            "https"
        } else {
            "http"
        }
    }

    /// Starts the node on port 0, reads the port it reports in DIR/node.json and points its
    /// relay there.
    fn start(&mut self) {
        assert!(self.child.is_none(), "node {} is running", self.party);
        let node_file = self.dir.join(accord_node::client::NODE_FILE);
        let _ = std::fs::remove_file(&node_file);
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--party", &self.party, "--data"])
            .arg(&self.dir)
            .args(["--listen", "127.0.0.1:0"])
            .args(&self.extra)
            .args(self.database_args());
        for (peer, port) in &self.peers {
            let scheme = self.scheme();
            cmd.args(["--peer", &format!("{peer}={scheme}://127.0.0.1:{port}")]);
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd.stdout(Stdio::null());
        match &self.stderr {
            Some(path) => cmd.stderr(std::fs::File::create(path).unwrap()),
            None => cmd.stderr(Stdio::null()),
        };
        self.child = Some(cmd.spawn().expect("accord serve starts"));
        // node.json is written once the node is bound: wait for it.
        let file = wait_until(
            &format!("node {} reports its address", self.party),
            Duration::from_secs(20),
            || accord_node::client::read_node_file(&self.dir).map_err(|e| e.to_string()),
        );
        self.port = file.url.rsplit(':').next().unwrap().parse().unwrap();
        self.relay.point_at(self.port);
    }

    fn kill(&mut self) {
        self.relay.point_at(0);
        if let Some(mut c) = self.child.take() {
            // SIGKILL: no chance to flush or shut down cleanly.
            c.kill().unwrap();
            c.wait().unwrap();
        }
    }

    /// Waits for the process to end by itself (a crash point), failing after 180 s (a loaded
    /// machine is slow; a hang still fails, and the process is then killed with the `Proc`).
    fn wait_exit(&mut self) {
        let child = self.child.as_mut().expect("running");
        self.relay.point_at(0);
        wait_until(
            &format!("node {} stops by itself", self.party),
            Duration::from_secs(180),
            || match child.try_wait().unwrap() {
                Some(status) => Ok(status),
                None => Err("still running".into()),
            },
        );
        self.child = None;
    }

    /// `--database URL` for a node on PostgreSQL, nothing for SQLite.
    fn database_args(&self) -> Vec<String> {
        match &self.database {
            Some(url) => vec!["--database".into(), url.clone()],
            None => vec![],
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

/// Makes keys and trust files for `parties` under `root` and returns the processes (not
/// started), on SQLite.
fn network(root: &Path, parties: &[&str], extra: &[&str]) -> Vec<Proc> {
    network_on(root, parties, extra, Store::Sqlite)
}

/// [`network`] of nodes keeping their tables in `store`.
fn network_on(root: &Path, parties: &[&str], extra: &[&str], store: Store<'_>) -> Vec<Proc> {
    // Peers must know each other's addresses at start: each node's relay holds one for it.
    let relays: Vec<Relay> = parties.iter().map(|_| Relay::bind()).collect();
    let ports: Vec<u16> = relays.iter().map(Relay::port).collect();
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
        .zip(relays)
        .enumerate()
        .map(|(i, (party, relay))| {
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
                port: 0,
                relay,
                peers: parties
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(j, q)| (q.to_string(), ports[j]))
                    .collect(),
                extra: extra.iter().map(|s| s.to_string()).collect(),
                database: store.new_database(),
                env: vec![],
                stderr: None,
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
    wait_until_async("the exchange settles", Duration::from_secs(120), || async {
        let mut infos = Vec::new();
        for n in nodes {
            infos.push(n.client().get::<NodeInfo>("/v1/node").await.unwrap());
        }
        let done = infos.iter().all(|info| {
            expected
                .iter()
                .all(|(author, ids)| author_size(info, author) == ids.len() as u64)
                && info
                    .peers
                    .iter()
                    .all(|peer| peer.acknowledged == expected[info.party.as_str()].len() as u64)
        });
        if done {
            Ok(infos)
        } else {
            Err(format!(
                "{:#?}",
                infos
                    .iter()
                    .map(|i| (&i.party, &i.logs, &i.peers))
                    .collect::<Vec<_>>()
            ))
        }
    })
    .await
}

/// Reads a whole log (by its name: `US`, `US/vienna-document-2011`) from a node: (index,
/// envelope JSON) pairs; nothing if the node holds no such log.
async fn read_log(c: &Client, log: &str) -> Vec<serde_json::Value> {
    let escaped = log.replace('/', "%2F");
    let mut all = Vec::new();
    loop {
        let (status, body) = c
            .get_raw(&format!(
                "/v1/logs/{escaped}/entries?start={}&limit=5000",
                all.len()
            ))
            .await
            .unwrap();
        if status == 404 && all.is_empty() {
            return all;
        }
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
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

/// The names of the logs of `author` a node holds, sorted.
async fn logs_of(c: &Client, author: &str) -> Vec<String> {
    let st: StateSummary = c.get("/v1/state").await.unwrap();
    st.logs
        .keys()
        .map(|l| l.to_string())
        .filter(|l| l == author || l.starts_with(&format!("{author}/")))
        .collect()
}

/// The number of entries of every log of `author` in `info`.
fn author_size(info: &NodeInfo, author: &str) -> u64 {
    info.logs
        .iter()
        .filter(|(l, _)| l.as_str() == author || l.as_str().starts_with(&format!("{author}/")))
        .map(|(_, s)| s.size)
        .sum()
}

#[test]
fn three_nodes_exchange_10000_records_across_a_sigkill() {
    exchange_across_a_sigkill(Store::Sqlite, (1500, 3300, 3395));
}

/// The tests of the node's processes whose outcome depends on its store, run again with every
/// node on PostgreSQL: one server for them all, a database per node.
#[test]
fn the_exchange_and_the_hotline_on_postgresql() {
    let Some(server) = postgres::PgServer::start("the_exchange_and_the_hotline_on_postgresql")
    else {
        return;
    };
    let store = Store::Postgres(&server);
    hotline_in_order_with_receipts(store);
    hotline_survives_a_crash_between_storing_and_releasing(store);
    // A tenth of the records SQLite's run exchanges: the same batches, kill and restart, and
    // the suite's time not doubled.
    exchange_across_a_sigkill(store, (150, 330, 339));
}

/// Three nodes exchange `5 + 2 * second + ru_end` records, RU killed after the first `first`
/// bulk records of each party and restarted after `second` of US's and UA's.
fn exchange_across_a_sigkill(store: Store<'_>, (first, second, ru_end): (usize, usize, usize)) {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network_on(
        root.path(),
        &["US", "RU", "UA"],
        &["--batch", "500", "--agreement", "vienna-document-2011"],
        store,
    );
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
        ru_first.extend((0..first).map(|i| bulk("RU", i, now)));
        submit_all(&ru, ru_first, &mut expected).await;
        let request = |party: &str, id: &str| {
            record(
                party,
                id.to_owned(),
                now,
                RecordBody::ExplanationRequest(ExplanationRequest {
                    agreement: AgreementId::new("vienna-document-2011").unwrap(),
                    provision: ProvisionId::new("ch-iii-unusual-activities").unwrap(),
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
        us_first.extend((0..first).map(|i| bulk("US", i, now)));
        submit_all(&us, us_first, &mut expected).await;
        let mut ua_first = vec![request("UA", "UA-request-1")];
        ua_first.extend((0..first).map(|i| bulk("UA", i, now)));
        submit_all(&ua, ua_first, &mut expected).await;
    });
    // RU dies mid-stream, without warning: once it holds part of US's log.
    rt.block_on(async {
        wait_until_async("US's log reaches RU", Duration::from_secs(180), || async {
            let st: StateSummary = ru.get("/v1/state").await.unwrap();
            match st.logs.get(&p("US")) {
                Some(l) if l.size > 0 => Ok(()),
                other => Err(format!("{other:?}")),
            }
        })
        .await;
    });
    nodes[1].kill();
    rt.block_on(async {
        submit_all(
            &us,
            (first..second).map(|i| bulk("US", i, now)).collect(),
            &mut expected,
        )
        .await;
        submit_all(
            &ua,
            (first..second).map(|i| bulk("UA", i, now)).collect(),
            &mut expected,
        )
        .await;
    });
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
        ru_rest.extend((first..ru_end).map(|i| bulk("RU", i, now)));
        submit_all(&ru, ru_rest, &mut expected).await;
        let total: usize = expected.values().map(Vec::len).sum();
        assert_eq!(total, 5 + 2 * second + ru_end);

        let infos = wait_settled(&nodes, &expected).await;
        // Identical logs everywhere: same sizes and roots, so the same state digest.
        let states: Vec<StateSummary> = futures_all(&nodes, "/v1/state").await;
        assert!(states.windows(2).all(|w| w[0] == w[1]), "{states:#?}");

        // The logs of each author hold each of its records once, each log in the author's
        // order, with nothing lost: records under the Vienna Document in its log of that
        // agreement, the others in its public log.
        for n in &nodes {
            let c = n.client();
            for (author, ids) in &expected {
                let mut all: Vec<String> = Vec::new();
                for log in logs_of(&c, author).await {
                    let got: Vec<String> = read_log(&c, &log)
                        .await
                        .iter()
                        .map(|e| decode(e).id.to_string())
                        .collect();
                    let in_order: Vec<&String> =
                        ids.iter().filter(|id| got.contains(id)).collect();
                    assert_eq!(
                        got.iter().collect::<Vec<_>>(),
                        in_order,
                        "log {log} at node {}",
                        n.party
                    );
                    all.extend(got);
                }
                all.sort();
                let mut want = ids.clone();
                want.sort();
                assert_eq!(all, want, "logs of {author} at node {}", n.party);
            }
        }

        // Every receipt verifies: the peer's mirror cosignature, our signature, and our root at
        // its size.
        let info_of: BTreeMap<String, &NodeInfo> =
            infos.iter().map(|i| (i.party.to_string(), i)).collect();
        let mut checked = 0;
        for n in &nodes {
            let c = n.client();
            let key = n.key();
            for log in logs_of(&c, &n.party).await {
                let entries = read_log(&c, &log).await;
                let mut tree = accord_log::MerkleTree::new();
                tree.extend(
                    &entries
                        .iter()
                        .map(|e| serde_json::to_vec(e).unwrap())
                        .collect::<Vec<_>>(),
                );
                // Each log is signed with the party's key under its own origin.
                let vkey = accord_log::ed25519_vkey(&format!("accord/log/{log}"), &key.verifying_key())
                    .unwrap();
                for (peer, _) in &n.peers {
                    let v: serde_json::Value =
                        c.get(&format!("/v1/receipts/{peer}")).await.unwrap();
                    let receipts: Vec<&serde_json::Value> = v["receipts"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|r| r["log"] == log.as_str())
                        .collect();
                    assert!(!receipts.is_empty(), "{peer} on {log}");
                    let mut max = 0;
                    for r in receipts {
                        let (cp, _) = accord_log::verify_cosigned(
                            r["note"].as_str().unwrap().as_bytes(),
                            &vkey,
                            &[&info_of[peer.as_str()].mirror_key],
                        )
                        .unwrap();
                        assert_eq!(cp.root(), tree.root_at(cp.size()).unwrap());
                        max = max.max(cp.size());
                        checked += 1;
                    }
                    assert_eq!(max, entries.len() as u64, "{peer} cosigned all of {log}");
                }
            }
        }
        assert!(checked >= 6);

        // The three nodes judge the same logs the same, RU after its SIGKILL and restart too.
        let at = (now + jiff::SignedDuration::from_hours(72)).to_string();
        let path = format!("/v1/findings?as_of={at}");
        let findings: Vec<Findings> = futures_all(&nodes, &path).await;
        assert!(findings.windows(2).all(|w| w[0] == w[1]), "{findings:#?}");
        let f = &findings[0];
        let digest_of = |f: &Findings, findings: &[accord_model::Finding]| {
            accord_compliance::judged_digest(
                f.agreements.iter().map(|a| (&a.id, a.sha256.as_str())),
                findings,
            )
        };
        assert_eq!(f.digest, digest_of(f, &f.findings));
        assert_eq!(f.agreements.len(), 1);
        assert!(f.unused.is_empty(), "{:?}", f.unused);
        // RU never answered UA's request: a violation citing it, the engine's own judgment.
        let unanswered: Vec<&accord_model::Finding> = f
            .findings
            .iter()
            .filter(|x| {
                x.party.as_str() == "RU"
                    && x.provision.as_str() == "ch-iii-unusual-activities"
                    && x.severity == accord_model::Severity::Violation
            })
            .collect();
        assert_eq!(unanswered.len(), 1, "{:#?}", f.findings);
        assert!(
            unanswered[0]
                .evidence
                .iter()
                .any(|e| matches!(e, accord_model::Evidence::Record { id, .. } if id.as_str() == "UA-request-1")),
            "{:#?}",
            unanswered[0]
        );
        // Filters: RU's violations only.
        let only: Findings = nodes[0]
            .client()
            .get(&format!("{path}&party=RU&severity=violation"))
            .await
            .unwrap();
        assert_eq!(only.findings, unanswered.into_iter().cloned().collect::<Vec<_>>());
        assert_eq!(only.digest, digest_of(&only, &only.findings));

        // Each node's logs audited against their published files, the database they are
        // served from included.
        // A party's records are in its public log and its logs of agreements (`scopes/`):
        // together they hold every record of the party.
        for n in &nodes {
            for log in expected.keys() {
                let mut dirs = vec![n.dir.join("logs").join(log)];
                let mut held = 0;
                while let Some(dir) = dirs.pop() {
                    if let Ok(listing) = std::fs::read_dir(&dir) {
                        dirs.extend(
                            listing
                                .filter_map(Result::ok)
                                .map(|e| e.path())
                                .filter(|p| p.is_dir() && !p.ends_with("tile")),
                        );
                    }
                    if !dir.join("checkpoint").is_file() {
                        continue;
                    }
                    let mut args =
                        vec!["log".to_owned(), "audit".into(), dir.display().to_string()];
                    args.extend(n.database_args());
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let out = accord(&args);
                    assert!(
                        out.contains("ok: the log verifies"),
                        "{}: {} at {}: {out}",
                        store.name(),
                        dir.display(),
                        n.party
                    );
                    held += out
                        .split(" size ")
                        .nth(1)
                        .and_then(|r| r.split(' ').next())
                        .and_then(|n| n.parse::<usize>().ok())
                        .unwrap_or(0);
                }
                assert_eq!(held, expected[log].len(), "{}: {log} at {}", store.name(), n.party);
            }
        }

        // The node's logs exported as a scenario: `accord check` gives the same digest.
        let out = root.path().join("export");
        let mut args = vec![
            "export".to_owned(),
            "--data".into(),
            nodes[1].dir.display().to_string(),
            out.display().to_string(),
        ];
        args.extend(nodes[1].database_args());
        accord(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let checked = Command::new(BIN)
            .args(["check", out.to_str().unwrap(), "--as-of", &at, "--json"])
            .output()
            .unwrap();
        // Exit 1: the scenario holds a violation.
        assert_eq!(checked.status.code(), Some(1), "{checked:?}");
        let v: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
        // The digest `accord check` prints is the node's, agreements' file hashes included.
        assert_eq!(v["findings_digest"], f.digest.as_str());
        let list = if v.is_array() { v } else { v["findings"].clone() };
        let checked: Vec<accord_model::Finding> = serde_json::from_value(list).unwrap();
        assert_eq!(checked, f.findings);
        assert_eq!(digest_of(f, &checked), f.digest);
        // The HTML report of the export holds the node's findings too, not the plain engine's.
        let html = root.path().join("export.html");
        let reported = Command::new(BIN)
            .args(["report", out.to_str().unwrap(), "--as-of", &at, "--html"])
            .arg(&html)
            .output()
            .unwrap();
        assert!(reported.status.success(), "{reported:?}");
        let said = String::from_utf8_lossy(&reported.stderr);
        assert!(
            said.contains(&format!("({} findings:", checked.len())),
            "{said}"
        );
        // Assuming an agreement in force cannot apply to what a node judged: refused, exit 2.
        let assumed = Command::new(BIN)
            .args(["check", out.to_str().unwrap(), "--assume-in-force", "vienna-document-2011"])
            .output()
            .unwrap();
        assert_eq!(assumed.status.code(), Some(2), "{assumed:?}");
        assert!(
            String::from_utf8_lossy(&assumed.stderr).contains("--assume-in-force vienna-document-2011 does not apply"),
            "{assumed:?}"
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
    hotline_in_order_with_receipts(Store::Sqlite);
}

fn hotline_in_order_with_receipts(store: Store<'_>) {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network_on(root.path(), &["US", "RU"], &[], store);
    for n in nodes.iter_mut() {
        n.start();
    }
    let us_dir = nodes[0].dir.to_str().unwrap().to_owned();
    let ru_dir = nodes[1].dir.to_str().unwrap().to_owned();
    for text in ["first", "second", "third"] {
        let out = accord(&["hotline", "send", "--data", &us_dir, "--to", "RU", text]);
        assert!(out.starts_with("delivered US-hotline-RU-"), "{out}");
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
        let kinds = wait_until_async(
            "RU's receipts reach US",
            Duration::from_secs(30),
            || async {
                // RU's receipts go to its log of the channel with US.
                let entries = read_log(&us, "RU/hotline/RU/US").await;
                let kinds: Vec<(String, String)> = entries
                    .iter()
                    .map(|e| {
                        let r = decode(e);
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
                    Ok(kinds.clone())
                } else {
                    Err(format!("{kinds:?}"))
                }
            },
        )
        .await;
        assert_eq!(kinds.len(), 6, "each receipt once: {kinds:?}");
        // The sender sees each message delivered and read, once RU's receipts reach it.
        let sent = wait_until(
            "US sees its messages delivered and read",
            Duration::from_secs(30),
            || {
                let out = accord(&["hotline", "status", "--data", &us_dir, "--json"]);
                let sent: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
                assert_eq!(sent.len(), 3, "{out}");
                if sent
                    .iter()
                    .all(|m| m["delivered_at"].is_string() && m["read_at"].is_string())
                {
                    Ok(sent)
                } else {
                    Err(out)
                }
            },
        );
        let seqs: Vec<u64> = sent.iter().map(|m| m["seq"].as_u64().unwrap()).collect();
        assert_eq!(seqs, [1, 2, 3]);
        assert!(
            sent.iter()
                .all(|m| m["delivered"] == true && m["to"] == "RU")
        );
        let text = accord(&["hotline", "status", "--data", &us_dir]);
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(
            text.lines()
                .all(|l| l.contains(": delivered 20") && l.contains(", read 20")),
            "{text}"
        );
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
        wait_until_async(
            "US's first record reaches RU",
            Duration::from_secs(20),
            || async {
                match states(()).await.1.logs.get(&p("US")).map(|s| s.size) {
                    Some(1) => Ok(()),
                    other => Err(format!("RU holds {other:?} of US's log")),
                }
            },
        )
        .await;
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
        check(
            s,
            b,
            403,
            "wrong_party",
            "claims party RU but is signed by US",
        );
        // Through the mirror protocol, as US's log would carry them: the log as RU holds it,
        // added again, is harmless (a fresh cosignature); the first record again as the next
        // entry is a replay.
        let env = Envelope::sign_record(&ok, &us_key);
        let us_cp = |entries: &[Vec<u8>]| {
            accord_log::LogKey::from_signing_key("accord/log/US", &us_key)
                .unwrap()
                .sign("accord/log/US", entries.len() as u64, {
                    let mut t = accord_log::MerkleTree::new();
                    t.extend(entries);
                    t.root()
                })
                .unwrap()
                .as_str()
                .to_owned()
        };
        let upload = |entries: Vec<Vec<u8>>, old: u64| {
            let ru = ru.clone();
            let note = us_cp(&entries);
            async move {
                let (cp, body) = accord_node::client::mirror_upload(&note, &entries, old).unwrap();
                let added = ru.post_raw("/add-checkpoint", cp).await.unwrap();
                assert_eq!(added.0, 200, "{}", String::from_utf8_lossy(&added.1));
                ru.post_raw("/add-entries", body).await.unwrap()
            }
        };
        let (s, b) = upload(vec![env.to_json()], 1).await;
        assert_eq!(s, 200, "{}", String::from_utf8_lossy(&b));
        let (s, b) = upload(vec![env.to_json(), env.to_json()], 1).await;
        check(s, b, 409, "replay", "already in US's log");

        // An oversized body.
        let big = bulk("US", 6, now);
        let mut v = serde_json::to_value(Envelope::sign_record(&big, &us_key)).unwrap();
        v["padding"] = "x".repeat(100_000).into();
        let (s, b) = post(&us, "/v1/records", serde_json::to_vec(&v).unwrap()).await;
        check(s, b, 413, "too_large", "too large");

        // Malformed JSON.
        let (s, b) = post(&us, "/v1/records", b"{\"payload\": ".to_vec()).await;
        check(s, b, 400, "malformed", "request body");
        let (s, b) = post(&ru, "/add-entries", b"[1, 2".to_vec()).await;
        assert_eq!(s, 400, "{}", String::from_utf8_lossy(&b));

        // Every refusal was answered before this: the states are final.
        assert_eq!(states(()).await, before, "nothing changed");
    });
}

/// Signs, with `key`, a checkpoint of `party`'s log holding exactly `entries` (envelope bytes).
fn checkpoint_over(key: &SigningKey, party: &str, entries: &[Vec<u8>]) -> String {
    let name = format!("accord/log/{party}");
    let mut tree = accord_log::MerkleTree::new();
    tree.extend(entries);
    accord_log::LogKey::from_signing_key(&name, key)
        .unwrap()
        .sign(&name, tree.size(), tree.root())
        .unwrap()
        .as_str()
        .to_owned()
}

/// Sends `entries`, the whole log of `from` signed with `key`, to the mirror at `c` from a
/// mirror state of size `old`: the answers to `add-checkpoint` and to `add-entries`.
async fn upload(
    c: &Client,
    from: &str,
    key: &SigningKey,
    entries: &[&Record],
    old: u64,
) -> ((u16, Vec<u8>), (u16, Vec<u8>)) {
    let bytes: Vec<Vec<u8>> = entries
        .iter()
        .map(|r| Envelope::sign_record(r, key).to_json())
        .collect();
    let note = checkpoint_over(key, from, &bytes);
    let (cp, body) = accord_node::client::mirror_upload(&note, &bytes, old).unwrap();
    (
        c.post_raw("/add-checkpoint", cp).await.unwrap(),
        c.post_raw("/add-entries", body).await.unwrap(),
    )
}

fn hotline(from: &str, id: &str, to: &str, seq: u64, text: &str) -> Record {
    record(
        from,
        id.to_owned(),
        jiff::Timestamp::now(),
        RecordBody::HotlineMessage(HotlineMessage {
            to: p(to),
            seq,
            text: text.to_owned(),
        }),
    )
}

fn decode(envelope: &serde_json::Value) -> Record {
    let payload = base64::engine::general_purpose::STANDARD
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    serde_json::from_slice(&payload).unwrap()
}

async fn inbox_of(c: &Client) -> Vec<InboxMessage> {
    c.get::<Inbox>("/v1/hotline/inbox?limit=1000")
        .await
        .unwrap()
        .messages
}

/// The logs of `author` that may hold its hotline traffic with `other`: its public log (where
/// a peer's log may carry it) and its log of their channel.
fn hotline_logs(author: &str, other: &str) -> [String; 2] {
    let (a, b) = if author < other {
        (author, other)
    } else {
        (other, author)
    };
    [author.to_owned(), format!("{author}/hotline/{a}/{b}")]
}

/// The entries of the logs of `author` that may hold its hotline traffic with `other`.
async fn hotline_entries(c: &Client, author: &str, other: &str) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    for log in hotline_logs(author, other) {
        all.extend(read_log(c, &log).await);
    }
    all
}

/// The hotline messages to `to` that `node` holds in its copies of `from`'s logs, in order:
/// (record id, seq, text).
async fn logged_messages(c: &Client, from: &str, to: &str) -> Vec<(String, u64, String)> {
    hotline_entries(c, from, to)
        .await
        .iter()
        .map(decode)
        .filter_map(|r| match r.body {
            RecordBody::HotlineMessage(m) if m.to.as_str() == to => {
                Some((r.id.to_string(), m.seq, m.text))
            }
            _ => None,
        })
        .collect()
}

/// The delivery receipts in `party`'s logs for messages from `from` as (sender, message id),
/// in order.
async fn delivery_receipts(c: &Client, party: &str, from: &str) -> Vec<(String, String)> {
    hotline_entries(c, party, from)
        .await
        .iter()
        .map(decode)
        .filter_map(|r| match r.body {
            RecordBody::HotlineReceipt(h) if h.kind == HotlineReceiptKind::Delivered => Some((
                h.from.map(|f| f.to_string()).unwrap_or_default(),
                h.message.to_string(),
            )),
            _ => None,
        })
        .collect()
}

/// Checks that the inbox of `c`'s node shows exactly the hotline messages its logs hold for
/// it, from each sender in `senders`, in each sender's order.
async fn assert_inbox_is_the_log(c: &Client, senders: &[&str]) -> Vec<InboxMessage> {
    let inbox = inbox_of(c).await;
    for from in senders {
        let shown: Vec<(String, u64, String)> = inbox
            .iter()
            .filter(|m| m.from.as_str() == *from)
            .map(|m| (m.record.to_string(), m.seq, m.text.clone()))
            .collect();
        assert_eq!(
            shown,
            logged_messages(c, from, c.party.as_str()).await,
            "inbox of {} against {from}'s log",
            c.party
        );
    }
    inbox
}

#[test]
fn hotline_messages_survive_a_crash_between_storing_and_releasing() {
    hotline_survives_a_crash_between_storing_and_releasing(Store::Sqlite);
}

fn hotline_survives_a_crash_between_storing_and_releasing(store: Store<'_>) {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network_on(root.path(), &["US", "RU"], &[], store);
    nodes[0].start();
    let us_dir = nodes[0].dir.to_str().unwrap().to_owned();
    let rt = rt();
    for point in ["mirror-stored", "mirror-indexed"] {
        nodes[1].kill();
        nodes[1].env = vec![("ACCORD_NODE_CRASH_AT".into(), point.into())];
        nodes[1].start();
        // RU stores US's message, then dies before the next write.
        let out = accord(&["hotline", "send", "--data", &us_dir, "--to", "RU", point]);
        assert!(out.contains("US-hotline-RU-"), "{out}");
        nodes[1].wait_exit();
        nodes[1].env.clear();
        nodes[1].start();
        rt.block_on(async {
            let ru = nodes[1].client();
            // The mirror's checkpoint is served for what the mirror holds.
            let channel = "US/hotline/RU/US";
            let size = ru.get::<StateSummary>("/v1/state").await.unwrap().logs[&p(channel)].size;
            let (s, b) = ru
                .get_raw("/v1/logs/US%2Fhotline%2FRU%2FUS/checkpoint")
                .await
                .unwrap();
            assert_eq!(s, 200, "{}", String::from_utf8_lossy(&b));
            let note = String::from_utf8(b).unwrap();
            assert!(
                note.starts_with(&format!("accord/log/{channel}\n{size}\n")),
                "{note}"
            );
        });
    }
    for i in 0..5 {
        accord(&[
            "hotline",
            "send",
            "--data",
            &us_dir,
            "--to",
            "RU",
            &format!("after {i}"),
        ]);
    }
    rt.block_on(async {
        let ru = nodes[1].client();
        wait_until_async(
            "RU holds and receipts 7 messages",
            Duration::from_secs(60),
            || async {
                let inbox = inbox_of(&ru).await;
                if inbox.len() >= 7 && delivery_receipts(&ru, "RU", "US").await.len() >= 7 {
                    Ok(())
                } else {
                    Err(format!("inbox {inbox:?}"))
                }
            },
        )
        .await;
        let inbox = assert_inbox_is_the_log(&ru, &["US"]).await;
        let texts: Vec<&str> = inbox.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "mirror-stored",
                "mirror-indexed",
                "after 0",
                "after 1",
                "after 2",
                "after 3",
                "after 4"
            ]
        );
        // One delivery receipt per message, naming sender and message.
        let receipts = delivery_receipts(&ru, "RU", "US").await;
        let expected: Vec<(String, String)> = inbox
            .iter()
            .map(|m| ("US".to_owned(), m.record.to_string()))
            .collect();
        assert_eq!(receipts, expected);
    });
}

#[test]
fn a_hotline_message_is_taken_only_as_its_authors_log_holds_it() {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network(root.path(), &["US", "RU", "UA"], &[]);
    nodes[1].start();
    let (us_key, ua_key) = (nodes[0].key(), nodes[2].key());
    let rt = rt();
    rt.block_on(async {
        let ru = nodes[1].client();
        let before = ru.get::<StateSummary>("/v1/state").await.unwrap();
        let check = |(status, body): (u16, Vec<u8>), want: u16, code: &str, words: &str| {
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(status, want, "{v}");
            assert_eq!(v["code"], code, "{v}");
            assert!(v["error"].as_str().unwrap().contains(words), "{v}");
        };

        // A message whose id has the longest length allowed is taken whole, with its receipt.
        let long_id = format!("US-{}", "a".repeat(125));
        let a = hotline("US", &long_id, "RU", 1, "A");
        let (added, r) = upload(&ru, "US", &us_key, &[&a], 0).await;
        assert_eq!(added.0, 200);
        assert_eq!(r.0, 200, "{}", String::from_utf8_lossy(&r.1));
        // The same entry delivered again is harmless: a fresh cosignature.
        let bytes = vec![Envelope::sign_record(&a, &us_key).to_json()];
        let (_, body) =
            accord_node::client::mirror_upload(&checkpoint_over(&us_key, "US", &bytes), &bytes, 0)
                .unwrap();
        let (s, b) = ru.post_raw("/add-entries", body).await.unwrap();
        assert_eq!(
            s,
            200,
            "a repeated delivery is harmless: {}",
            String::from_utf8_lossy(&b)
        );
        // Another message at the same index is the sender showing two histories: refused by
        // the witness and by the mirror.
        let b = hotline("US", "US-h-B", "RU", 1, "B");
        let (added, r) = upload(&ru, "US", &us_key, &[&b], 0).await;
        assert_eq!(added.0, 409);
        assert_eq!(r.0, 422, "{}", String::from_utf8_lossy(&r.1));
        // A log whose next entries break a rule on their second: the first is not kept either.
        let two = hotline("US", "US-h-2", "RU", 2, "two");
        let four = hotline("US", "US-h-4", "RU", 4, "four");
        let (added, r) = upload(&ru, "US", &us_key, &[&a, &two, &four], 1).await;
        assert_eq!(added.0, 200);
        check(r, 422, "rule", "must carry 3");
        // UA uses the same record id: a different message.
        let a2 = hotline("UA", &long_id, "RU", 1, "from UA");
        let (added, r) = upload(&ru, "UA", &ua_key, &[&a2], 0).await;
        assert_eq!(
            (added.0, r.0),
            (200, 200),
            "{}",
            String::from_utf8_lossy(&r.1)
        );
        // A sequence number far ahead.
        let jump = hotline("UA", "UA-h-1000", "RU", 1000, "jump");
        let (added, r) = upload(&ru, "UA", &ua_key, &[&a2, &jump], 1).await;
        assert_eq!(added.0, 200);
        check(r, 422, "rule", "must carry 2");
        let sizes = ru.get::<StateSummary>("/v1/state").await.unwrap().logs;
        assert_eq!((sizes[&p("US")].size, sizes[&p("UA")].size), (1, 1));
        assert!(sizes.len() > before.logs.len());
        let inbox = assert_inbox_is_the_log(&ru, &["US", "UA"]).await;
        let shown: Vec<(&str, &str, &str)> = inbox
            .iter()
            .map(|m| (m.from.as_str(), m.record.as_str(), m.text.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("US", long_id.as_str(), "A"),
                ("UA", long_id.as_str(), "from UA")
            ]
        );
        // Each receipt in RU's log of the channel with the sender.
        for from in ["US", "UA"] {
            assert_eq!(
                delivery_receipts(&ru, "RU", from).await,
                [(from.to_owned(), long_id.clone())]
            );
        }

        // A read receipt names the message by sender and id.
        ru.mark_read(&inbox[1]).await.unwrap();
        let read: Vec<(String, bool)> = inbox_of(&ru)
            .await
            .iter()
            .map(|m| (m.from.to_string(), m.read))
            .collect();
        assert_eq!(read, [("US".to_owned(), false), ("UA".to_owned(), true)]);
        let ambiguous = record(
            "RU",
            "RU-read-any".into(),
            jiff::Timestamp::now(),
            RecordBody::HotlineReceipt(HotlineReceipt {
                message: RecordId::new(long_id.clone()).unwrap(),
                from: None,
                kind: HotlineReceiptKind::Read,
            }),
        );
        let e = Envelope::sign_record(&ambiguous, &nodes[1].key());
        let r = ru.post_raw("/v1/records", e.to_json()).await.unwrap();
        check(r, 422, "rule", "several senders");
    });
}

/// Opens a TCP connection to `port` on loopback from the local address `from`.
fn connect_from(rt: &tokio::runtime::Runtime, from: &str, port: u16) -> std::net::TcpStream {
    rt.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
        let stream = socket
            .connect(format!("127.0.0.1:{port}").parse().unwrap())
            .await
            .unwrap();
        let std = stream.into_std().unwrap();
        std.set_nonblocking(false).unwrap();
        std
    })
}

/// Whether the node closed the connection: a read sees the end (or a reset) within 30 s.
fn closed_by_node(s: &mut std::net::TcpStream) -> bool {
    use std::io::Read as _;
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

/// Whether the connection is still open: nothing to read yet, and no end.
fn still_open(s: &std::net::TcpStream) -> bool {
    s.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 1];
    let open = matches!(s.peek(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
    s.set_nonblocking(false).unwrap();
    open
}

/// Sends raw bytes to the node on `port` and reads the whole answer: status and body.
fn raw_http(port: u16, request: &[u8]) -> (u16, Vec<u8>) {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in {text:?}"));
    let body = match text.find("\r\n\r\n") {
        Some(i) => out[i + 4..].to_vec(),
        None => vec![],
    };
    (status, body)
}

#[test]
fn slow_and_idle_connections_are_closed_and_capped_per_address() {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network(
        root.path(),
        &["US"],
        &[
            "--header-timeout",
            "3",
            "--request-timeout",
            "3",
            "--max-connections-per-address",
            "4",
        ],
    );
    nodes[0].start();
    let port = nodes[0].port;
    let rt = rt();
    // Four idle connections from one address are taken; a fifth is closed at once, while the
    // four are still open.
    let mut idle: Vec<std::net::TcpStream> = (0..4)
        .map(|_| connect_from(&rt, "127.0.0.2", port))
        .collect();
    // The node has admitted the four once an ordinary request from there would be refused.
    let mut fifth = connect_from(&rt, "127.0.0.2", port);
    assert!(closed_by_node(&mut fifth), "a fifth connection is closed");
    assert!(idle.iter().all(still_open), "the first four are still open");
    // Another address is served meanwhile.
    let (s, body) = raw_http(
        port,
        b"GET /v1/node HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&body));
    // Idle connections are closed after the header timeout.
    for c in idle.iter_mut() {
        assert!(closed_by_node(c), "an idle connection is closed");
    }
    // So is one that sends half its headers.
    let mut slow = connect_from(&rt, "127.0.0.2", port);
    std::io::Write::write_all(&mut slow, b"GET /v1/node HTTP/1.1\r\nHost: n\r\n").unwrap();
    assert!(closed_by_node(&mut slow));
    // A body that never ends is answered 408 with the JSON error body.
    let (s, body) = raw_http(
        port,
        b"POST /v1/records HTTP/1.1\r\nHost: n\r\nContent-Type: application/json\r\n\
          Content-Length: 100\r\n\r\n{",
    );
    assert_eq!(s, 408, "{}", String::from_utf8_lossy(&body));
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["code"], "timeout");
}

#[test]
fn party_ids_that_are_paths_and_bad_requests_are_refused_with_json() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("a").join("b");
    // `serve --party ../../x` is refused before anything is written.
    let out = Command::new(BIN)
        .args(["serve", "--party", "../../x", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("party"));
    assert!(!data.exists() && !root.path().join("x").exists());
    // `keys --trust ../../x=KEY` too, and the trust file keeps what it had.
    let key = accord(&["keys", "--data", data.to_str().unwrap(), "--json"]);
    let key: serde_json::Value = serde_json::from_str(&key).unwrap();
    let out = Command::new(BIN)
        .args(["keys", "--data", data.to_str().unwrap(), "--trust"])
        .arg(format!("../../x={}", key["public_key"].as_str().unwrap()))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!data.join("trust.toml").exists());

    let mut nodes = network(root.path(), &["US"], &[]);
    nodes[0].start();
    let port = nodes[0].port;
    let get = |path: &str| {
        raw_http(
            port,
            format!("GET {path} HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    };
    let json_error = |(status, body): (u16, Vec<u8>), want: u16, code: &str| {
        let v: serde_json::Value = serde_json::from_slice(&body)
            .unwrap_or_else(|_| panic!("JSON body: {}", String::from_utf8_lossy(&body)));
        assert_eq!((status, v["code"].as_str().unwrap()), (want, code), "{v}");
    };
    json_error(get("/v1/hotline/inbox?after=abc"), 400, "malformed");
    json_error(get("/v1/logs/US/entries?start=-1"), 400, "malformed");
    json_error(get("/v1/findings?at=yesterday"), 400, "malformed");
    json_error(
        get("/v1/findings?when=2022-01-01T00:00:00Z"),
        400,
        "malformed",
    );
    json_error(get("/v1/hotline/channels/..%2Fx"), 400, "malformed");
    let method = |m: &str, path: &str| {
        raw_http(
            port,
            format!(
                "{m} {path} HTTP/1.1\r\nHost: n\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
    };
    json_error(method("DELETE", "/v1/node"), 405, "method_not_allowed");
    json_error(method("POST", "/v1/state"), 405, "method_not_allowed");
    json_error(method("GET", "/add-entries"), 405, "method_not_allowed");
}

#[test]
fn hotline_send_says_queued_until_the_recipient_holds_the_message() {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network(root.path(), &["US", "RU"], &[]);
    nodes[0].start();
    let us_dir = nodes[0].dir.to_str().unwrap().to_owned();
    // RU's node is down: the message is queued, and the command says so.
    let out = accord(&[
        "hotline",
        "send",
        "--data",
        &us_dir,
        "--to",
        "RU",
        "are you there",
    ]);
    assert!(out.starts_with("queued US-hotline-RU-1 for RU"), "{out}");
    let out = Command::new(BIN)
        .args([
            "hotline",
            "send",
            "--data",
            &us_dir,
            "--to",
            "RU",
            "--wait",
            "--timeout",
            "1",
        ])
        .args(["--json", "still there?"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["record"].as_str(), v["status"].as_str()),
        (Some("US-hotline-RU-2"), Some("queued"))
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not reach RU's node"));
    let status = accord(&["hotline", "status", "--data", &us_dir]);
    assert_eq!(status.matches(": queued, not read").count(), 2, "{status}");
    // Once RU is up, --wait returns when RU's node holds the message, the earlier ones too.
    nodes[1].start();
    let out = accord(&[
        "hotline", "send", "--data", &us_dir, "--to", "RU", "--wait", "third",
    ]);
    assert!(out.starts_with("delivered US-hotline-RU-3 to RU"), "{out}");
    let out = accord(&["hotline", "status", "--data", &us_dir, "--json"]);
    let sent: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(sent.iter().all(|m| m["delivered"] == true), "{out}");
}

#[test]
fn the_node_logs_each_request_and_what_it_runs_with() {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network(root.path(), &["US", "RU"], &[]);
    let log = root.path().join("us.log");
    nodes[0].stderr = Some(log.clone());
    nodes[0].start();
    let rt = rt();
    let us = nodes[0].client();
    rt.block_on(async {
        let (s, _) = us.get_raw("/v1/node").await.unwrap();
        assert_eq!(s, 200);
        let (s, _) = us.get_raw("/v1/logs/XX/checkpoint").await.unwrap();
        assert_eq!(s, 404);
    });
    // Each request is logged before it is answered.
    let text = std::fs::read_to_string(&log).unwrap();
    let line = |path: &str| {
        text.lines()
            .find(|l| l.contains(&format!("path={path}")))
            .unwrap_or_else(|| panic!("no line for {path} in {text}"))
            .to_owned()
    };
    let node = line("/v1/node");
    assert!(
        node.contains("method=GET") && node.contains("status=200"),
        "{node}"
    );
    assert!(
        node.contains("peer=127.0.0.1:") && node.contains("latency_ms="),
        "{node}"
    );
    assert!(line("/v1/logs/XX/checkpoint").contains("status=404"));
    assert!(text.contains("listening on http://127.0.0.1:"), "{text}");
    assert!(text.contains("party US (key SHA256:"), "{text}");
    assert!(
        text.contains(&format!(
            "storage {} (SQLite node.db, log files in logs/)",
            nodes[0].dir.display()
        )),
        "{text}"
    );
    assert!(text.contains("peer RU at http://127.0.0.1:"), "{text}");
    assert!(text.contains("(in the trust file)"), "{text}");
    nodes[0].kill();

    // RUST_LOG filters: warnings only, so neither requests nor the start are logged.
    nodes[0].env = vec![("RUST_LOG".into(), "warn".into())];
    nodes[0].start();
    rt.block_on(async {
        let (s, _) = us.get_raw("/v1/node").await.unwrap();
        assert_eq!(s, 200);
    });
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        !text.contains("path=/v1/node") && !text.contains("listening"),
        "{text}"
    );
    nodes[0].kill();
    // A filter that does not parse is refused at start.
    let out = Command::new(BIN)
        .env("RUST_LOG", "accord_node=[")
        .args(["serve", "--party", "US", "--data"])
        .arg(&nodes[0].dir)
        .args(["--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("RUST_LOG"));
}

#[test]
fn records_are_submitted_to_the_running_node_from_a_file_or_standard_input() {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network(root.path(), &["US"], &[]);
    nodes[0].start();
    let dir = nodes[0].dir.to_str().unwrap().to_owned();
    let now = jiff::Timestamp::now();
    let lines = |rs: &[Record]| {
        rs.iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect::<String>()
    };
    let file = root.path().join("records.jsonl");
    std::fs::write(&file, lines(&[bulk("US", 1, now), bulk("US", 2, now)])).unwrap();
    let out = accord(&["submit", file.to_str().unwrap(), "--data", &dir, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v,
        serde_json::json!([
            {"record": "US-seed-1", "origin": "accord/log/US", "index": 0},
            {"record": "US-seed-2", "origin": "accord/log/US", "index": 1}
        ])
    );
    // From standard input.
    let mut child = Command::new(BIN)
        .args(["submit", "-", "--data", &dir])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        lines(&[bulk("US", 3, now)]).as_bytes(),
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "logged 1 records at indices 2..3 of accord/log/US\n"
    );
    let fail = |args: &[&str], input: &str, words: &str| {
        std::fs::write(&file, input).unwrap();
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "{err} should say {words}");
    };
    let f = file.to_str().unwrap();
    // A malformed line is named; another party's record is refused; nothing is logged.
    let good = lines(&[bulk("US", 4, now)]);
    fail(
        &["submit", f, "--data", &dir],
        &format!("{good}{{\"id\": 1}}\n"),
        ":2",
    );
    fail(
        &["submit", f, "--data", &dir],
        &format!("{good}{}", lines(&[bulk("RU", 5, now)])),
        "claims party RU",
    );
    // An escrow record of the node's own party that fails its check on arrival (a limit proof
    // under an agreement the node does not hold) is refused, naming the record and the check,
    // and nothing of the batch is logged.
    let unheld = record(
        "US",
        "US-limit-1".into(),
        now,
        RecordBody::LimitProof(accord_model::LimitProofRecord {
            agreement: accord_model::AgreementId::new("no-such-treaty").unwrap(),
            provision: accord_model::ProvisionId::new("art-ii").unwrap(),
            commitment: accord_model::RecordId::new("US-commitment").unwrap(),
            as_of: accord_model::Date::new(2026, 1, 1).unwrap(),
            proof: String::new(),
        }),
    );
    fail(
        &["submit", f, "--data", &dir],
        &format!("{good}{}", lines(&[unheld])),
        "record US-limit-1: agreement held failed: agreement no-such-treaty is not one this node holds",
    );
    let rt = rt();
    rt.block_on(async {
        let st: StateSummary = nodes[0].client().get("/v1/state").await.unwrap();
        assert_eq!(st.logs[&p("US")].size, 3);
    });
    // No node running there.
    nodes[0].kill();
    fail(
        &["submit", f, "--data", &dir],
        &good,
        "submitting to the node",
    );
}

#[test]
fn nodes_serve_tls_when_asked_and_plain_http_only_on_loopback() {
    let root = tempfile::tempdir().unwrap();
    let mut nodes = network(root.path(), &["US", "RU"], &["--tls"]);
    for n in &mut nodes {
        n.start();
    }
    let file = accord_node::client::read_node_file(&nodes[0].dir).unwrap();
    assert!(file.url.starts_with("https://127.0.0.1:"), "{}", file.url);
    // `accord submit` finds the node through node.json and speaks TLS to it.
    let records = root.path().join("records.jsonl");
    let now = jiff::Timestamp::now();
    std::fs::write(
        &records,
        serde_json::to_string(&bulk("US", 1, now)).unwrap() + "\n",
    )
    .unwrap();
    let dir = nodes[0].dir.to_str().unwrap().to_owned();
    let out = accord(&[
        "submit",
        records.to_str().unwrap(),
        "--data",
        &dir,
        "--json",
    ]);
    assert!(
        out.contains("\"index\": 0") || out.contains("\"index\":0"),
        "{out}"
    );
    // RU's node mirrors US's log over https.
    let rt = rt();
    let ru = nodes[1].client();
    wait_until(
        "RU mirrors US's record over TLS",
        Duration::from_secs(30),
        || {
            let st: StateSummary = rt
                .block_on(ru.get("/v1/state"))
                .map_err(|e| e.to_string())?;
            match st.logs.get(&p("US")) {
                Some(l) if l.size == 1 => Ok(()),
                other => Err(format!("{other:?}")),
            }
        },
    );
    // Plain HTTP beyond loopback is refused unless asked for by name.
    let out = Command::new(BIN)
        .args([
            "serve",
            "--party",
            "US",
            "--data",
            &dir,
            "--listen",
            "0.0.0.0:0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--tls") && err.contains("--insecure-http"),
        "{err}"
    );
    // A bad operators file is refused before the node says it listens.
    nodes[1].kill();
    let ru = nodes[1].dir.clone();
    std::fs::write(
        ru.join(accord_node::access::OPERATORS_FILE),
        "[operators.a]\nkey = \"x\"\nrole = \"officer\"\n",
    )
    .unwrap();
    let _ = std::fs::remove_file(ru.join(accord_node::client::NODE_FILE));
    let out = Command::new(BIN)
        .args([
            "serve",
            "--party",
            "RU",
            "--tls",
            "--listen",
            "127.0.0.1:0",
            "--data",
        ])
        .arg(&ru)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("operators.a.key"), "{err}");
    assert!(!ru.join(accord_node::client::NODE_FILE).exists());
}

#[test]
fn a_node_reads_its_settings_from_a_configuration_file_and_flags_override_them() {
    let root = tempfile::tempdir().unwrap();
    let config = root.path().join("node.toml");
    let witness = accord_log::CosignerKey::generate("w.example/witness").unwrap();
    std::fs::write(
        &config,
        format!(
            "party = \"US\"\ndata = \"us-data\"\nlisten = \"127.0.0.1:1\"\n\
             agreements = [\"vienna-document-2011\"]\n\n[peers]\nRU = \"http://127.0.0.1:9\"\n\
             [[witnesses]]\nkey = \"{}\"\nurl = \"http://127.0.0.1:9\"\n\
             [witness_policy.vienna-document-2011]\nthreshold = 1\n\
             witnesses = [\"w.example/witness\"]\n",
            witness.vkey()
        ),
    )
    .unwrap();
    let data = root.path().join("us-data");
    // --listen overrides the file's address: the node binds port 0 and reports it.
    let mut child = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&config)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let file = wait_until(
        "the node reports its address",
        Duration::from_secs(20),
        || accord_node::client::read_node_file(&data).map_err(|e| e.to_string()),
    );
    let rt = rt();
    let info: NodeInfo = rt.block_on(async {
        Client::new(&file.url, p("US"), keys::load_key(&data).unwrap())
            .get("/v1/node")
            .await
            .unwrap()
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(info.party.as_str(), "US");
    let ids: Vec<&str> = info.agreements.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["vienna-document-2011"]);
    assert_eq!(
        info.peers
            .iter()
            .map(|p| (p.party.as_str(), p.url.as_str()))
            .collect::<Vec<_>>(),
        [("RU", "http://127.0.0.1:9")]
    );
    // The witnesses asked (the peer and the file's), and the file's witness policy, under
    // which nothing is final yet.
    assert_eq!(
        info.witnesses
            .iter()
            .map(|w| (w.name.as_str(), w.cosigned))
            .collect::<Vec<_>>(),
        [("accord/witness/RU", 0), ("w.example/witness", 0)]
    );
    let f = &info.finality[0];
    assert_eq!(
        (f.agreement.as_str(), f.threshold, f.witnesses.as_slice()),
        (
            "vienna-document-2011",
            1,
            &["w.example/witness".to_owned()][..]
        )
    );
    assert_eq!(f.final_size, None);
    // A mistake in the file is named with its line.
    std::fs::write(&config, "party = \"US\"\nlisten = 7300\n").unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("node.toml") && err.contains("line 2"), "{err}");
}
