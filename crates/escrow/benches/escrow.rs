//! Speed of the escrow: count commitments with range proofs, their verification, the Merkle
//! escrow, and limit proofs. Rayon uses every core the machine has (`RAYON_NUM_THREADS` to
//! change); proof sizes are printed once before the timings, and so is one commit's wall and
//! CPU time (the CPU time says what a shared machine took from the run).
//!
//! Range proofs are made by accord-escrow's own prover (`src/prover.rs`) and checked by the
//! `bulletproofs` verifier. Profiled with `perf`: the `bulletproofs` prover spent ~70% of its
//! time in the inner-product argument, mostly folding generators with one two-point scalar
//! multiplication each, and ~15% on per-value blinding shares of its multi-party protocol;
//! curve25519-dalek's AVX2 backend was in use. On a 2.5 GHz Cascade Lake core it proved
//! ~170 µs per bit (dalek's published 114 µs/bit is at 3.5 GHz), ~13.6 s of CPU for the
//! 80,000 bits of 1,000 sites x 5 categories x 16 bits, 8.0-8.4 s on 2 cores at load 0.6.
//! The own prover (deferred folding, one blinding per proof) takes ~115 µs per bit (235 ms
//! against 344 ms for one batch of 128 x 16 bits), ~9 s of CPU, ~4.5 s on 2 cores.
//! Batch size barely matters (64 and 128 within noise); 128 is the default.

use std::collections::BTreeMap;

use accord_escrow::{
    CountCommitments, DeclarationInput, LimitContext, LimitTerm, LimitValue, Openings,
    RangeContext, SiteInput, VerifiedCounts, commit, commit_counts, commit_escrow, prove_limit,
    verify_limit,
};
use accord_model::{AgreementId, Category, PartyId, ProvisionId, SiteId};
use criterion::{Criterion, criterion_group, criterion_main};
use curve25519_dalek::scalar::Scalar;

const CATEGORIES: [&str; 5] = [
    "deployed_icbm",
    "deployed_slbm",
    "deployed_heavy_bombers",
    "deployed_warheads",
    "non_deployed_launchers",
];

fn declaration(sites: usize, bits: u8, batch: usize) -> DeclarationInput {
    DeclarationInput {
        party: PartyId::new("RU").unwrap(),
        agreement: AgreementId::new("new-start").unwrap(),
        as_of: "2026-02-05".parse().unwrap(),
        bits,
        batch,
        categories: Vec::new(),
        sites: (0..sites)
            .map(|i| SiteInput {
                site: SiteId::new(format!("site-{i:05}")).unwrap(),
                phase: format!("{}", 1 + i % 3),
                counts: CATEGORIES
                    .iter()
                    .enumerate()
                    .map(|(j, c)| (Category::new(*c).unwrap(), ((i * 7 + j * 3) % 40) as u64))
                    .collect(),
                items: BTreeMap::new(),
            })
            .collect(),
    }
}

/// CPU time (user + system) this process has used so far, from /proc (Linux), in seconds.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn counts_commit_and_verify(c: &mut Criterion) {
    let threads = rayon::current_num_threads();
    for batch in [128usize, 256] {
        let input = declaration(1_000, 16, batch);
        let secret = commit_escrow(&input, &mut rand::thread_rng()).unwrap();
        let openings = secret.openings().unwrap();
        let ctx = secret.range_context().unwrap();
        let cpu = cpu_seconds();
        let wall = std::time::Instant::now();
        let counts: CountCommitments =
            commit_counts(&openings, 16, batch, &ctx, &mut rand::thread_rng()).unwrap();
        let wall = wall.elapsed().as_secs_f64();
        if let (Some(before), Some(after)) = (cpu, cpu_seconds()) {
            eprintln!(
                "one commit, batches of {batch}: {wall:.2} s wall, {:.2} s CPU",
                after - before
            );
        }
        eprintln!(
            "1,000 sites x 5 categories, 16-bit counts, batches of {batch}: {} range proofs, {} bytes in all; {threads} rayon threads",
            counts.range_proofs.len(),
            counts.proof_bytes()
        );
        let mut g = c.benchmark_group(format!("counts_1000x5_b{batch}"));
        g.sample_size(10);
        // The whole commit: shuffle, salts, Pedersen commitments held in the Merkle entries,
        // the root, then the batched range proofs.
        g.bench_function("commit_with_range_proofs", |b| {
            b.iter(|| commit(&input, &mut rand::thread_rng()).unwrap())
        });
        g.bench_function("verify_range_proofs", |b| {
            b.iter(|| counts.verify(&ctx).unwrap())
        });
        g.finish();
    }
}

/// One aggregated range proof over one batch of 16-bit counts: the unit of the commit cost.
fn count_batch(c: &mut Criterion) {
    for batch in [128usize, 256] {
        let openings = Openings {
            categories: vec![Category::new("warheads").unwrap()],
            counts: (0..batch as u64).map(|i| i * 37 % 500).collect(),
            blindings: (0..batch)
                .map(|_| Scalar::random(&mut rand::thread_rng()))
                .collect(),
        };
        let ctx = RangeContext {
            agreement: AgreementId::new("new-start").unwrap(),
            party: PartyId::new("RU").unwrap(),
            as_of: "2026-02-05".parse().unwrap(),
            root: [7; 32],
        };
        let counts = commit_counts(&openings, 16, batch, &ctx, &mut rand::thread_rng()).unwrap();
        eprintln!(
            "one batch of {batch} 16-bit counts: {} bytes of range proof",
            counts.proof_bytes()
        );
        let mut g = c.benchmark_group(format!("count_batch_{batch}x16bit"));
        g.sample_size(10);
        g.bench_function("prove", |b| {
            b.iter(|| commit_counts(&openings, 16, batch, &ctx, &mut rand::thread_rng()).unwrap())
        });
        g.bench_function("verify", |b| b.iter(|| counts.verify(&ctx).unwrap()));
        g.finish();
    }
}

fn merkle_escrow(c: &mut Criterion) {
    let input = declaration(10_000, 16, 128);
    let mut g = c.benchmark_group("merkle_escrow_10000x5");
    g.sample_size(20);
    g.bench_function("commit_escrow", |b| {
        b.iter(|| commit_escrow(&input, &mut rand::thread_rng()).unwrap())
    });
    g.finish();
}

fn limit_proofs(c: &mut Criterion) {
    let input = declaration(10_000, 16, 128);
    let secret = commit_escrow(&input, &mut rand::thread_rng()).unwrap();
    let openings = secret.openings().unwrap();
    // Given verified commitments: the points a verifier holds after checking the range proofs.
    let verified = VerifiedCounts::from_openings(&openings, 16).unwrap();
    let ctx = LimitContext {
        agreement: input.agreement.clone(),
        provision: ProvisionId::new("art-ii-1-b").unwrap(),
        party: input.party.clone(),
        date: input.as_of,
        root: secret.root_bytes().unwrap(),
    };
    let one = vec![LimitValue::single(
        Category::new("deployed_warheads").unwrap(),
        1_000_000,
    )];
    let all: Vec<LimitValue> = CATEGORIES
        .iter()
        .map(|c| LimitValue::single(Category::new(*c).unwrap(), 1_000_000))
        .collect();
    // New START Article II.1(b)-like: warheads plus heavy bombers counted one warhead each.
    let weighted = vec![LimitValue {
        terms: vec![
            LimitTerm {
                category: Category::new("deployed_warheads").unwrap(),
                weight: 1,
            },
            LimitTerm {
                category: Category::new("deployed_heavy_bombers").unwrap(),
                weight: 2,
            },
        ],
        limit: 2_000_000,
    }];
    for (name, limits) in [
        ("one_category", &one),
        ("five_categories", &all),
        ("weighted_two_categories", &weighted),
    ] {
        let proof = prove_limit(&openings, &ctx, limits, &mut rand::thread_rng()).unwrap();
        verify_limit(&verified, &ctx, &proof).unwrap();
        eprintln!(
            "limit proof over 10,000 sites, {name}: {} bytes",
            proof.proof_bytes()
        );
        let mut g = c.benchmark_group(format!("limit_10000_sites_{name}"));
        g.bench_function("prove", |b| {
            b.iter(|| prove_limit(&openings, &ctx, limits, &mut rand::thread_rng()).unwrap())
        });
        g.bench_function("verify", |b| {
            b.iter(|| verify_limit(&verified, &ctx, &proof).unwrap())
        });
        g.finish();
    }
}

criterion_group!(
    benches,
    merkle_escrow,
    limit_proofs,
    count_batch,
    counts_commit_and_verify
);
criterion_main!(benches);
