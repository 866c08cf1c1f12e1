//! accord's side of the comparison with a MinHash LSH library (`benches/compare_datasketch.py`
//! runs it): generates the synthetic reports of the grouping bench, writes each report's
//! shingles (the 32-bit hashes of its content words, the very sets accord compares) and the
//! generator's record of planted copies to a JSON-lines file, then times accord's fingerprinting
//! and grouping of the texts and prints its figures as one JSON object.
//!
//! Usage: `compare_synthetic OUT.jsonl [REPORTS [JACCARD]]` (defaults 100000 and 0.5): JACCARD is
//! the content-word similarity at or above which two reports count as copies.

#[path = "../benches/synthetic/mod.rs"]
mod synthetic;

use std::io::Write;
use std::time::Instant;

use accord_osint::Gazetteer;
use accord_osint::copies::{CopyParams, Fingerprint, group_fingerprints};
use synthetic::{Planted, Stream, recall};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .ok_or("usage: compare_synthetic OUT.jsonl [REPORTS [JACCARD]]")?;
    let n: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let threshold: f64 = args.next().map_or(Ok(0.5), |a| a.parse())?;
    let mut stream = Stream::default();
    let reports: Vec<(String, Planted)> = (0..n).map(|_| stream.next_report()).collect();
    let g = Gazetteer::builtin();
    let params = CopyParams {
        identical_jaccard: threshold,
        ..CopyParams::default()
    };
    let start = Instant::now();
    let prints: Vec<Fingerprint> = reports
        .iter()
        .map(|(t, _)| Fingerprint::from_parts(g, t, Some("Synthetic"), None))
        .collect();
    let copies = group_fingerprints(&prints, &params);
    let seconds = start.elapsed().as_secs_f64();
    let planted: Vec<Planted> = reports.iter().map(|r| r.1).collect();
    let r = recall(&planted, &copies);

    let mut w = std::io::BufWriter::new(std::fs::File::create(&out)?);
    for (f, p) in prints.iter().zip(&planted) {
        let (kind, source) = match p {
            Planted::Original => ("original", None),
            Planted::Verbatim(s) => ("verbatim", Some(*s)),
            Planted::Rewrite(s) => ("rewrite", Some(*s)),
        };
        serde_json::to_writer(
            &mut w,
            &serde_json::json!({"kind": kind, "source": source, "shingles": f.shingles()}),
        )?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    let found = r.verbatim.0 + r.rewrites.0;
    let planted_copies = r.verbatim.1 + r.rewrites.1;
    println!(
        "{}",
        serde_json::json!({
            "reports": n,
            "threshold": threshold,
            "seconds": seconds,
            "planted": planted_copies,
            "found": found,
            "recall": found as f64 / planted_copies.max(1) as f64,
            "rewrites_found": r.rewrites.0,
            "rewrites_planted": r.rewrites.1,
            "verbatim_found": r.verbatim.0,
            "verbatim_planted": r.verbatim.1,
            "other_pairs": r.other_pairs,
        })
    );
    Ok(())
}
