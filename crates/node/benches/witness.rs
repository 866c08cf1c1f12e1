//! A node answering C2SP tlog-witness `add-checkpoint` for its trusted parties' logs (goal:
//! at least 2,000 checkpoints/s): each request carries a real consistency proof from the size
//! the node last cosigned, is checked against the party's key and the stored size, stored
//! durably before the answer, and made the pending checkpoint of the node's mirror.
//!
//! Measured one request at a time (one log growing one entry per checkpoint) and with many
//! logs' requests arriving at once (one thread per log), as the node's HTTP handlers call it.
//!
//! `cargo bench -p accord-node --bench witness -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::time::{Duration, Instant};

use accord_log::witness::AddCheckpoint;
use accord_log::{LogKey, MerkleTree};
use accord_model::PartyId;
use accord_node::node::origin;
use accord_node::{Config, Node, keys};
use criterion::{Criterion, Throughput};

/// Requests prepared per log: the log grows from size `k` to `k + 1` in request `k`.
const STEPS: u64 = 4_000;

/// The logs of `parties` trusted parties, each with its key, and their requests.
struct Logs {
    keys: Vec<(PartyId, ed25519_dalek::SigningKey)>,
    /// `requests[log][k]`: the body that grows log `log` from size `k` to `k + 1`.
    requests: Vec<Vec<Vec<u8>>>,
}

fn logs(parties: usize) -> Logs {
    let tree = {
        let entries: Vec<Vec<u8>> = (0..=STEPS)
            .map(|i| format!("entry {i}").into_bytes())
            .collect();
        let mut t = MerkleTree::new();
        t.extend(&entries);
        t
    };
    let keys: Vec<(PartyId, ed25519_dalek::SigningKey)> = (0..parties)
        .map(|i| {
            let party = PartyId::new(format!("L{i}")).unwrap();
            (
                party,
                ed25519_dalek::SigningKey::from_bytes(&[i as u8 + 1; 32]),
            )
        })
        .collect();
    let requests = keys
        .iter()
        .map(|(party, sk)| {
            let key = LogKey::from_signing_key(&origin(party.as_str()), sk).unwrap();
            (0..STEPS)
                .map(|old| {
                    let cp = key
                        .sign(key.name(), old + 1, tree.root_at(old + 1).unwrap())
                        .unwrap();
                    AddCheckpoint {
                        old_size: old,
                        proof: tree.prove_consistency(old, old + 1).unwrap().hashes,
                        checkpoint: cp.note().to_vec(),
                    }
                    .to_bytes()
                })
                .collect()
        })
        .collect();
    Logs { keys, requests }
}

/// A fresh node of party `W` that trusts every party of `logs`, in its own directory.
fn node(logs: &Logs) -> (tempfile::TempDir, Node) {
    let dir = tempfile::tempdir().unwrap();
    keys::load_or_create_key(dir.path()).unwrap();
    for (party, sk) in &logs.keys {
        keys::add_trusted(dir.path(), party, &sk.verifying_key()).unwrap();
    }
    let node = Node::open(Config::new(
        PartyId::new("W").unwrap(),
        dir.path().to_owned(),
        vec![],
    ))
    .unwrap();
    (dir, node)
}

/// `per_iter` requests of every log per iteration, each log on its own thread (one thread:
/// one request after another); a fresh node whenever the prepared requests run out. Only the
/// requests are timed.
fn answer_all(c: &mut Criterion, name: &str, logs: &Logs, per_iter: u64) {
    let mut current = node(logs);
    let mut next = 0u64;
    let mut g = c.benchmark_group("witness");
    g.sample_size(10);
    g.throughput(Throughput::Elements(logs.keys.len() as u64 * per_iter));
    g.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                if next + per_iter > STEPS {
                    current = node(logs);
                    next = 0;
                }
                let node = &current.1;
                let range = next as usize..(next + per_iter) as usize;
                let t = Instant::now();
                std::thread::scope(|s| {
                    for requests in &logs.requests {
                        let range = range.clone();
                        s.spawn(move || {
                            for body in &requests[range] {
                                black_box(node.add_checkpoint(body).unwrap());
                            }
                        });
                    }
                });
                spent += t.elapsed();
                next += per_iter;
            }
            spent
        })
    });
    g.finish();
}

fn main() {
    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1));
    answer_all(
        &mut c,
        "add-checkpoint, one log, one request at a time",
        &logs(1),
        64,
    );
    answer_all(
        &mut c,
        "add-checkpoint, 16 logs at once (group commit)",
        &logs(16),
        8,
    );
    c.final_summary();
}
