//! Exchange speed between two nodes on loopback, receipts included, and hotline delivery latency
//! under that load; then the same exchange between nodes that hold an agreement and judge
//! their logs as records arrive (the findings followed at each node's clock).
//!
//! `cargo bench -p accord-node --bench exchange -- --warm-up-time 1 --measurement-time 3`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use accord_model::envelope::Envelope;
use accord_model::{PartyId, Record, RecordBody, RecordId, SeedCommit};
use accord_node::client::Client;
use accord_node::{Config, Node, PeerConfig, keys};
use criterion::{Criterion, Throughput};

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

struct Pair {
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    us: Client,
    ru: Client,
    us_node: Arc<Node>,
    rt: tokio::runtime::Runtime,
}

/// Two nodes; with `engine`, each holds the Vienna Document and judges the logs as records
/// arrive.
fn pair(engine: bool) -> Pair {
    let rt = accord_node::http::runtime().unwrap();
    let (du, dr) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ku = keys::load_or_create_key(du.path()).unwrap();
    let kr = keys::load_or_create_key(dr.path()).unwrap();
    keys::add_trusted(du.path(), &p("RU"), &kr.verifying_key()).unwrap();
    keys::add_trusted(dr.path(), &p("US"), &ku.verifying_key()).unwrap();
    let (lu, lr) = rt.block_on(async {
        (
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        )
    });
    let uu = format!("http://{}", lu.local_addr().unwrap());
    let ur = format!("http://{}", lr.local_addr().unwrap());
    let config = |party: &str, dir: &std::path::Path, peer: &str, url: &str| {
        let mut c = Config::new(
            p(party),
            dir.to_owned(),
            vec![PeerConfig {
                party: p(peer),
                url: url.to_owned(),
            }],
        );
        if engine {
            c.agreements =
                vec![accord_node::judge::resolve_agreement("vienna-document-2011").unwrap()];
        }
        c
    };
    let nu = Arc::new(Node::open(config("US", du.path(), "RU", &ur)).unwrap());
    let nr = Node::open(config("RU", dr.path(), "US", &uu)).unwrap();
    rt.spawn(accord_node::http::serve(nu.clone(), lu));
    rt.spawn(accord_node::http::serve(Arc::new(nr), lr));
    Pair {
        us: Client::new(&uu, p("US"), ku),
        ru: Client::new(&ur, p("RU"), kr),
        us_node: nu,
        _dirs: (du, dr),
        rt,
    }
}

static NEXT: AtomicU64 = AtomicU64::new(0);

/// Signed batches of bulk records, as request bodies for `/v1/records/batch`.
fn bodies(key: &ed25519_dalek::SigningKey, n: usize, per: usize) -> Vec<Vec<u8>> {
    let now = jiff::Timestamp::now();
    (0..n)
        .map(|_| {
            let envelopes: Vec<Envelope> = (0..per)
                .map(|_| {
                    let i = NEXT.fetch_add(1, Ordering::Relaxed);
                    let r = Record {
                        id: RecordId::new(format!("US-bench-{i}")).unwrap(),
                        party: p("US"),
                        issued_at: now,
                        body: RecordBody::SeedCommit(SeedCommit {
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
                    };
                    Envelope::sign_record(&r, key)
                })
                .collect();
            serde_json::to_vec(&serde_json::json!({ "envelopes": envelopes })).unwrap()
        })
        .collect()
}

async fn wait_acked(node: &Node, size: u64) {
    while node.acked("RU").unwrap() < size {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

fn exchange(c: &mut Criterion, net: &Pair, name: &str) {
    const RECORDS: usize = 5000;
    let mut g = c.benchmark_group("exchange");
    g.throughput(Throughput::Elements(RECORDS as u64));
    g.sample_size(10);
    g.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let batches = bodies(net.us.signing_key(), RECORDS / 500, 500);
                total += net.rt.block_on(async {
                    let start = Instant::now();
                    for body in batches {
                        let (s, _) = net.us.post_raw("/v1/records/batch", body).await.unwrap();
                        assert_eq!(s, 201);
                    }
                    let size = net.us_node.logs()[&p("US")].size;
                    wait_acked(&net.us_node, size).await;
                    start.elapsed()
                });
            }
            total
        })
    });
    g.finish();
}

/// Sends hotline messages while bulk records flow at 5,000 per second and reports how long each
/// took from submission to the recipient's inbox.
fn hotline_under_load(net: &Pair) {
    const MESSAGES: u64 = 200;
    let loads = bodies(net.us.signing_key(), 200, 250);
    let latencies = net.rt.block_on(async {
        let us = net.us.clone();
        // 250 records every 50 ms: 5,000 records per second for 10 seconds.
        let load = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(50));
            let start = Instant::now();
            let mut sent = 0;
            for body in loads {
                tick.tick().await;
                let (s, _) = us.post_raw("/v1/records/batch", body).await.unwrap();
                assert_eq!(s, 201);
                sent += 250;
            }
            (sent, start.elapsed())
        });
        let first: serde_json::Value = net
            .ru
            .get("/v1/hotline/inbox?after=0&limit=1000")
            .await
            .unwrap();
        let mut after = first["messages"]
            .as_array()
            .unwrap()
            .last()
            .map_or(0, |m| m["position"].as_u64().unwrap());
        let mut lat = Vec::new();
        tokio::time::sleep(Duration::from_millis(200)).await;
        for i in 0..MESSAGES {
            let start = Instant::now();
            net.us
                .hotline_send(&p("RU"), &format!("message {i}"))
                .await
                .unwrap();
            loop {
                let inbox = net.ru.inbox(after, Duration::from_secs(5)).await.unwrap();
                if let Some(m) = inbox.messages.last() {
                    after = m.position;
                    break;
                }
            }
            lat.push(start.elapsed());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let (sent, took) = load.await.unwrap();
        let size = net.us_node.logs()[&p("US")].size;
        wait_acked(&net.us_node, size).await;
        eprintln!(
            "load: {sent} records in {:.2} s ({:.0}/s offered)",
            took.as_secs_f64(),
            sent as f64 / took.as_secs_f64()
        );
        lat
    });
    let mut ms: Vec<f64> = latencies.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let pct = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    eprintln!(
        "hotline delivery under load ({} messages): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms.len(),
        pct(0.50),
        pct(0.99),
        ms[ms.len() - 1]
    );
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let net = pair(false);
    exchange(&mut c, &net, "5000_records_us_to_ru_with_receipts");
    hotline_under_load(&net);
    drop(net);
    // The same exchange while both nodes judge their logs as records arrive, in the same run.
    let net = pair(true);
    exchange(
        &mut c,
        &net,
        "5000_records_us_to_ru_with_receipts_and_the_engine",
    );
    c.final_summary();
}
