//! Profiling aid: times the pieces of committing 16-bit counts with range proofs on one thread.

use std::time::Instant;

use accord_escrow::{Openings, RangeContext, commit_counts, pedersen_commit};
use accord_model::{AgreementId, Category, PartyId};
use bulletproofs::{BulletproofGens, PedersenGens, RangeProof};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use merlin::Transcript;

/// CPU time (user + system) of this process so far, in seconds (Linux /proc, 100 ticks/s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<f64> = stat
        .rsplit_once(')')
        .map(|(_, rest)| {
            rest.split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    // After the name come the state (skipped: not a number), then ppid; utime and stime are
    // the 11th and 12th numbers.
    fields.get(10).copied().unwrap_or(0.0) / 100.0 + fields.get(11).copied().unwrap_or(0.0) / 100.0
}

fn full(batch: usize) {
    let width = 5;
    let total = 1_000 * width;
    let mut rng = rand::thread_rng();
    let openings = Openings {
        categories: (0..width)
            .map(|j| Category::new(format!("c{j}")).unwrap())
            .collect(),
        counts: (0..total as u64).map(|i| (i * 7) % 40).collect(),
        blindings: (0..total).map(|_| Scalar::random(&mut rng)).collect(),
    };
    let ctx = RangeContext {
        agreement: AgreementId::new("new-start").unwrap(),
        party: PartyId::new("RU").unwrap(),
        as_of: "2026-02-05".parse().unwrap(),
        root: [7; 32],
    };
    if std::env::var("VERIFY_ONLY").is_ok() {
        let counts = commit_counts(&openings, 16, batch, &ctx, &mut rand::thread_rng()).unwrap();
        for _ in 0..5 {
            counts.verify(&ctx).unwrap();
        }
        return;
    }
    for _ in 0..2 {
        let (t, c) = (Instant::now(), cpu_seconds());
        let counts = commit_counts(&openings, 16, batch, &ctx, &mut rand::thread_rng()).unwrap();
        let (el, commit_cpu) = (t.elapsed(), cpu_seconds() - c);
        let (t, c) = (Instant::now(), cpu_seconds());
        counts.verify(&ctx).unwrap();
        eprintln!(
            "1000x5 batch {batch}, {} threads: commit {el:.2?} ({commit_cpu:.2} s CPU), \
             verify {:.2?} ({:.2} s CPU)",
            rayon::current_num_threads(),
            t.elapsed(),
            cpu_seconds() - c
        );
    }
}

fn main() {
    if let Ok(b) = std::env::var("FULL") {
        full(b.parse().unwrap());
        return;
    }
    let batch: usize = std::env::args().nth(1).map_or(128, |s| s.parse().unwrap());
    let reps: usize = std::env::args().nth(2).map_or(3, |s| s.parse().unwrap());
    let mut rng = rand::thread_rng();
    let counts: Vec<u64> = (0..batch as u64).map(|i| i * 37 % 500).collect();
    let blindings: Vec<Scalar> = (0..batch).map(|_| Scalar::random(&mut rng)).collect();

    let t = Instant::now();
    let gens = BulletproofGens::new(16, batch);
    eprintln!("generators 16 x {batch}: {:?}", t.elapsed());
    let pc = PedersenGens::default();

    let t = Instant::now();
    for (c, r) in counts.iter().zip(&blindings) {
        std::hint::black_box(pedersen_commit(*c, r));
    }
    eprintln!("{batch} pedersen commitments: {:?}", t.elapsed());

    let p: Vec<RistrettoPoint> = (0..2).map(|_| RistrettoPoint::random(&mut rng)).collect();
    let s: Vec<Scalar> = (0..2).map(|_| Scalar::random(&mut rng)).collect();
    let msm_reps = if std::env::var("ONLY_PROVE").is_ok() {
        0
    } else {
        10_000
    };
    let t = Instant::now();
    for _ in 0..msm_reps {
        std::hint::black_box(RistrettoPoint::vartime_multiscalar_mul(&s, &p));
    }
    eprintln!(
        "2-point vartime MSM: {:?} each",
        t.elapsed() / msm_reps.max(1)
    );

    let lib_reps = if std::env::var("ONLY_PROVE").is_ok() {
        0
    } else {
        reps
    };
    for _ in 0..lib_reps {
        let t = Instant::now();
        let mut tr = Transcript::new(b"profile");
        let (proof, _) =
            RangeProof::prove_multiple(&gens, &pc, &mut tr, &counts, &blindings, 16).unwrap();
        let el = t.elapsed();
        eprintln!(
            "prove {batch} x 16 bits: {el:?} ({:.1} us/bit), {} bytes",
            el.as_secs_f64() * 1e6 / (batch * 16) as f64,
            proof.to_bytes().len()
        );
    }
    let openings = Openings {
        categories: vec![Category::new("warheads").unwrap()],
        counts,
        blindings,
    };
    let ctx = RangeContext {
        agreement: AgreementId::new("new-start").unwrap(),
        party: PartyId::new("RU").unwrap(),
        as_of: "2026-02-05".parse().unwrap(),
        root: [7; 32],
    };
    for _ in 0..reps {
        let t = Instant::now();
        let _ = commit_counts(&openings, 16, batch, &ctx, &mut rand::thread_rng()).unwrap();
        eprintln!("commit_counts {batch} x 16 bits: {:?}", t.elapsed());
    }
}
