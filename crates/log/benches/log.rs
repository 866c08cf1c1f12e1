//! Speed of the log, against its targets:
//! - tree over 10,000,000 entries of 256 bytes in memory: >= 1,000,000 entries/s per core;
//! - durable group-commit appends: >= 100,000 entries/s;
//! - inclusion proof for any index of a 10,000,000-entry log: <= 50 µs;
//! - full audit of a 10,000,000-entry log: <= 30 s.
//!
//! Also measured: an inclusion proof built from the published files of the audited log; a
//! witness answering C2SP tlog-witness add-checkpoint requests (>= 2,000 checkpoints/s, each
//! stored durably before the answer); a monitor verifying a log from its local tiles
//! (>= 1,000,000 entries/s; `ACCORD_LOG_BENCH_MONITOR_N` entries, 1,000,000 by default).
//!
//! `ACCORD_LOG_BENCH_N` sets the size of the big in-memory tree and `ACCORD_LOG_BENCH_AUDIT_N`
//! the size of the audited log (both 10,000,000 by default); the big structures are built once
//! per group, and the build is timed and printed.
//!
//! Run: `cargo bench -p accord-log --bench log -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::time::Instant;

use accord_log::{
    Log, LogKey, MerkleTree, audit, prove_inclusion_in_dir, read_checkpoint, verify_inclusion_hash,
};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

const ENTRY: usize = 256;

fn big_n() -> u64 {
    env_n("ACCORD_LOG_BENCH_N")
}

fn env_n(var: &str) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000)
}

/// Entry `i`: 256 bytes, distinct per index.
fn fill(buf: &mut [u8; ENTRY], i: u64) {
    buf[..8].copy_from_slice(&i.to_be_bytes());
    buf[8..16].copy_from_slice(&(i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).to_le_bytes());
}

/// CPU seconds used by this process so far (user + system, from /proc; 0 where unavailable),
/// printed beside wall time because the machine the figures were taken on is shared.
fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
            let utime: f64 = rest.get(11)?.parse().ok()?;
            let stime: f64 = rest.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

/// A tree over `n` entries, fed to [`MerkleTree::extend`] in batches as a log receives them.
fn build_tree(n: u64) -> MerkleTree {
    const BATCH: u64 = 4096;
    let mut tree = MerkleTree::with_capacity(n);
    let mut batch = vec![[0x5a; ENTRY]; BATCH as usize];
    for first in (0..n).step_by(BATCH as usize) {
        let len = BATCH.min(n - first) as usize;
        for (k, buf) in batch[..len].iter_mut().enumerate() {
            fill(buf, first + k as u64);
        }
        tree.extend(&batch[..len]);
    }
    tree
}

fn tree(c: &mut Criterion) {
    let n = big_n();
    let (t, cpu) = (Instant::now(), cpu_secs());
    let big = build_tree(n);
    let (secs, cpu) = (t.elapsed().as_secs_f64(), cpu_secs() - cpu);
    println!(
        "tree: built a {n}-entry tree of {ENTRY}-byte entries in {secs:.2} s wall = {:.0} entries/s; \
         {cpu:.2} s CPU = {:.0} entries/s per core",
        n as f64 / secs,
        n as f64 / cpu
    );
    let mut g = c.benchmark_group("tree");
    g.sample_size(10);
    g.throughput(Throughput::Elements(100_000));
    g.bench_function("append 100k entries of 256 B", |b| {
        b.iter(|| black_box(build_tree(100_000).root()))
    });
    g.finish();

    let mut g = c.benchmark_group("proof");
    let mut k = 0x1234_5678u64;
    g.bench_function(format!("prove inclusion, tree of {n}"), |b| {
        b.iter(|| {
            k = k
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            black_box(big.prove_inclusion(k % n, n).unwrap())
        })
    });
    let root = big.root();
    let p = big.prove_inclusion(n / 3, n).unwrap();
    let leaf = big.leaf_hash(n / 3).unwrap();
    g.bench_function(format!("verify inclusion, tree of {n}"), |b| {
        b.iter(|| verify_inclusion_hash(&leaf, &p, &root).unwrap())
    });
    g.finish();
}

/// Hashing on each path this CPU has, on one core and on all cores: the leaf hashes of a big
/// batch of 256-byte entries, and a tree built from such entries in batches of 65,536.
fn hashing(c: &mut Criterion) {
    use accord_log::hash::{Backend, MessageKind, leaf_hashes_with};
    const N: u64 = 262_144;
    let entries: Vec<[u8; ENTRY]> = (0..N)
        .map(|i| {
            let mut buf = [0x5a; ENTRY];
            fill(&mut buf, i);
            buf
        })
        .collect();
    let one_core = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let all_cores = rayon::ThreadPoolBuilder::new().build().unwrap();
    println!(
        "hash: fastest paths here: {} for leaves, {} for interior nodes; {} cores",
        Backend::Fastest.resolve(MessageKind::Leaf).name(),
        Backend::Fastest.resolve(MessageKind::Node).name(),
        all_cores.current_num_threads()
    );
    // CPU time beside wall time, per path, since the machine may be shared: entries per CPU
    // second is what one core gives whatever else runs.
    const ROUNDS: u64 = 8;
    // Every path this CPU has, then the measured fastest for each kind (the default).
    let paths: Vec<Backend> = Backend::ALL
        .into_iter()
        .filter(|b| b.available())
        .chain([Backend::Fastest])
        .collect();
    for &backend in &paths {
        for (cores, pool) in [("one core", &one_core), ("all cores", &all_cores)] {
            let (t, cpu) = (Instant::now(), cpu_secs());
            pool.install(|| {
                for _ in 0..ROUNDS {
                    black_box(tree_with(backend, &entries));
                }
            });
            let (secs, cpu) = (t.elapsed().as_secs_f64(), cpu_secs() - cpu);
            let n = (ROUNDS * N) as f64;
            println!(
                "hash: {}, {cores}: {ROUNDS} trees of {N} x {ENTRY} B in {secs:.2} s wall = {:.0} \
                 entries/s; {cpu:.2} s CPU = {:.0} entries/s per core",
                backend.name(),
                n / secs,
                n / cpu
            );
        }
    }
    let mut g = c.benchmark_group("hash");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N));
    for &backend in &paths {
        for (cores, pool) in [("one core", &one_core), ("all cores", &all_cores)] {
            g.bench_function(
                format!("{}: leaf hashes of {N} x 256 B, {cores}", backend.name()),
                |b| {
                    let mut out = Vec::with_capacity(N as usize);
                    b.iter(|| {
                        out.clear();
                        pool.install(|| leaf_hashes_with(backend, &entries, &mut out));
                        black_box(out.len())
                    })
                },
            );
            g.bench_function(
                format!("{}: tree of {N} x 256 B, {cores}", backend.name()),
                |b| b.iter(|| pool.install(|| black_box(tree_with(backend, &entries)))),
            );
        }
    }
    g.finish();
}

/// A tree over `entries` on `backend`, fed to it in batches of 65,536; gives its root.
fn tree_with(backend: accord_log::hash::Backend, entries: &[[u8; ENTRY]]) -> accord_log::Hash {
    let mut tree = MerkleTree::with_capacity(entries.len() as u64).with_backend(backend);
    for batch in entries.chunks(65_536) {
        tree.extend(batch);
    }
    tree.root()
}

fn durable(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let key = LogKey::generate("bench.example/log").unwrap();
    let mut log = Log::create(&tmp.path().join("log"), "bench.example/log", &key).unwrap();
    let next = std::cell::Cell::new(0u64);
    let mut g = c.benchmark_group("durable");
    g.sample_size(10);
    for batch in [1_000u64, 10_000] {
        g.throughput(Throughput::Elements(batch));
        g.bench_function(
            format!("append_batch of {batch} x 256 B (one commit)"),
            |b| {
                b.iter_batched(
                    || {
                        let start = next.get();
                        next.set(start + batch);
                        (start..start + batch)
                            .map(|i| {
                                let mut buf = [0x5a; ENTRY];
                                fill(&mut buf, i);
                                buf.to_vec()
                            })
                            .collect::<Vec<_>>()
                    },
                    |entries| log.append_batch(&entries).unwrap(),
                    BatchSize::PerIteration,
                )
            },
        );
    }
    g.finish();
}

fn audit_big(c: &mut Criterion) {
    let n = env_n("ACCORD_LOG_BENCH_AUDIT_N");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let key = LogKey::generate("bench.example/audit").unwrap();
    let (t, cpu) = (Instant::now(), cpu_secs());
    {
        let mut log = Log::create(&dir, "bench.example/audit", &key).unwrap();
        let mut i = 0;
        while i < n {
            let end = (i + 100_000).min(n);
            let batch: Vec<Vec<u8>> = (i..end)
                .map(|j| {
                    let mut buf = [0x5a; ENTRY];
                    fill(&mut buf, j);
                    buf.to_vec()
                })
                .collect();
            log.append_batch(&batch).unwrap();
            i = end;
        }
    }
    let (secs, cpu) = (t.elapsed().as_secs_f64(), cpu_secs() - cpu);
    println!(
        "audit: wrote a {n}-entry log in {secs:.1} s wall ({:.0} entries/s through append_batch \
         of 100,000), {cpu:.1} s CPU",
        n as f64 / secs
    );
    let (t, cpu) = (Instant::now(), cpu_secs());
    let r = audit(&dir, key.vkey()).unwrap();
    assert!(r.is_clean());
    println!(
        "audit: one full audit of {n} entries: {:.2} s wall, {:.2} s CPU (all cores)",
        t.elapsed().as_secs_f64(),
        cpu_secs() - cpu
    );
    let mut g = c.benchmark_group("audit");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n));
    g.bench_function(format!("full audit of a {n}-entry log"), |b| {
        b.iter(|| {
            let r = audit(&dir, key.vkey()).unwrap();
            assert!(r.is_clean());
            r.entries_checked
        })
    });
    g.finish();

    // A client's proof from the published files alone (checkpoint, hash tiles, entry bundle),
    // every tile authenticated against the checkpoint, as `accord log prove` makes it.
    let cp = read_checkpoint(&dir, Some(key.vkey())).unwrap();
    let mut g = c.benchmark_group("proof from files");
    let mut k = 0x9E37_79B9u64;
    g.bench_function(
        format!("prove inclusion from the tiles of a {n}-entry log"),
        |b| {
            b.iter(|| {
                k = k
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                black_box(prove_inclusion_in_dir(&dir, &cp, k % n).unwrap())
            })
        },
    );
    g.finish();
}

/// The add-checkpoint body that grows log `origin` (signed by `key`, entries of `tree`) from
/// size `old` to `old + 1`.
fn grow_by_one(key: &LogKey, origin: &str, tree: &MerkleTree, old: u64) -> Vec<u8> {
    let cp = key
        .sign(origin, old + 1, tree.root_at(old + 1).unwrap())
        .unwrap();
    accord_log::witness::AddCheckpoint {
        old_size: old,
        proof: tree.prove_consistency(old, old + 1).unwrap().hashes,
        checkpoint: cp.note().to_vec(),
    }
    .to_bytes()
}

/// A witness answering add-checkpoint for a log growing one entry per checkpoint: parse,
/// signature, consistency proof, the new size stored durably, the cosignature.
fn witness(c: &mut Criterion) {
    use accord_log::witness::TrustedLogs;
    use accord_log::{CosignerKey, WitnessStore};
    const REQUESTS: u64 = 20_000;
    let key = LogKey::generate("bench.example/witnessed").unwrap();
    let mut logs = TrustedLogs::new();
    logs.add(key.name(), key.vkey()).unwrap();
    let cosigner = CosignerKey::generate("bench.example/witness").unwrap();
    let tree = build_tree(REQUESTS + 1);
    let bodies: Vec<Vec<u8>> = (0..REQUESTS)
        .map(|old| grow_by_one(&key, key.name(), &tree, old))
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let mut generation = 0;
    let mut open = || {
        generation += 1;
        WitnessStore::open(&tmp.path().join(format!("w{generation}.db"))).unwrap()
    };
    let mut store = open();
    let mut next = 0usize;
    let mut g = c.benchmark_group("witness");
    g.throughput(Throughput::Elements(1));
    g.bench_function("add-checkpoint, stored durably before the answer", |b| {
        b.iter_custom(|iters| {
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..iters {
                if next == bodies.len() {
                    store = open();
                    next = 0;
                }
                let t = Instant::now();
                black_box(
                    store
                        .add_checkpoint(&bodies[next], &logs, &cosigner, 1_750_000_000)
                        .unwrap(),
                );
                spent += t.elapsed();
                next += 1;
            }
            spent
        })
    });
    g.finish();
}

/// A witness answering add-checkpoint for many logs at once, as it does in service: `LOGS`
/// client threads, each driving its own log one checkpoint at a time, through one
/// [`accord_log::SharedWitnessStore`] (requests that arrive together share one durable commit).
fn witness_concurrent(c: &mut Criterion) {
    use accord_log::witness::TrustedLogs;
    use accord_log::{CosignerKey, SharedWitnessStore};
    const LOGS: usize = 64;
    const STEPS: u64 = 2_000;
    let key = LogKey::generate("bench.example/witnessed").unwrap();
    let origins: Vec<String> = (0..LOGS).map(|i| format!("bench.example/log{i}")).collect();
    let mut logs = TrustedLogs::new();
    for o in &origins {
        logs.add(o, key.vkey()).unwrap();
    }
    let cosigner = CosignerKey::generate("bench.example/witness").unwrap();
    let tree = build_tree(STEPS + 1);
    // Request `old` of every log: from size `old` to `old + 1` (all logs share the entries).
    let bodies: Vec<Vec<Vec<u8>>> = origins
        .iter()
        .map(|o| {
            (0..STEPS)
                .map(|old| grow_by_one(&key, o, &tree, old))
                .collect()
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let mut generation = 0;
    let mut open = || {
        generation += 1;
        SharedWitnessStore::open(&tmp.path().join(format!("s{generation}.db"))).unwrap()
    };
    let mut store = open();
    let mut next = 0u64;
    let per_iter: u64 = 8;
    let mut g = c.benchmark_group("witness");
    g.sample_size(10);
    g.throughput(Throughput::Elements(LOGS as u64 * per_iter));
    g.bench_function(
        format!("add-checkpoint from {LOGS} logs at once, group commit"),
        |b| {
            b.iter_custom(|iters| {
                let mut spent = std::time::Duration::ZERO;
                for _ in 0..iters {
                    if next + per_iter > STEPS {
                        store = open();
                        next = 0;
                    }
                    let t = Instant::now();
                    std::thread::scope(|s| {
                        for log in &bodies {
                            let (store, logs, cosigner) = (&store, &logs, &cosigner);
                            s.spawn(move || {
                                for body in &log[next as usize..(next + per_iter) as usize] {
                                    store
                                        .add_checkpoint(body, logs, cosigner, 1_750_000_000)
                                        .unwrap();
                                }
                            });
                        }
                    });
                    spent += t.elapsed();
                    next += per_iter;
                }
                spent
            })
        },
    );
    g.finish();
}

/// A monitor's first look at a log directory: every entry bundle hashed into the tree that the
/// checkpoint signs.
fn monitor(c: &mut Criterion) {
    use accord_log::monitor::monitor_step;
    use accord_log::tiles::DirTileReader;
    let n = std::env::var("ACCORD_LOG_BENCH_MONITOR_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000u64);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let key = LogKey::generate("bench.example/monitored").unwrap();
    let mut log = Log::create(&dir, key.name(), &key).unwrap();
    let mut i = 0;
    while i < n {
        let end = (i + 100_000).min(n);
        let batch: Vec<[u8; ENTRY]> = (i..end)
            .map(|j| {
                let mut buf = [0x5a; ENTRY];
                fill(&mut buf, j);
                buf
            })
            .collect();
        log.append_batch(&batch).unwrap();
        i = end;
    }
    drop(log);
    let source = DirTileReader::new(&dir);
    let verify = || {
        let mut state = None;
        let s = monitor_step(&source, key.vkey(), &mut state, &mut |_, _| {}).unwrap();
        assert_eq!(s.checkpoint.size(), n);
    };
    let (t, cpu) = (Instant::now(), cpu_secs());
    verify();
    let (secs, cpu) = (t.elapsed().as_secs_f64(), cpu_secs() - cpu);
    println!(
        "monitor: verified {n} entries from local tiles in {secs:.2} s wall = {:.0} entries/s; \
         {cpu:.2} s CPU (all threads) = {:.0} entries per CPU second",
        n as f64 / secs,
        n as f64 / cpu
    );
    let mut g = c.benchmark_group("monitor");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n));
    g.bench_function(format!("verify a {n}-entry log from local tiles"), |b| {
        b.iter(verify)
    });
    g.finish();
}

criterion_group!(
    benches,
    tree,
    hashing,
    durable,
    audit_big,
    witness,
    witness_concurrent,
    monitor
);
criterion_main!(benches);
