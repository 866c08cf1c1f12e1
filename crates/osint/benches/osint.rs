//! Benchmarks of accord-osint on synthetic reports generated here (no shared data needed).
//!
//! - `extract/3KB`: ingestion (header parsing, normalisation) and claim extraction of one ~3 KB
//!   report, single-threaded; throughput in reports per second.
//! - `group/100k`: fingerprinting and grouping 100,000 ~1 KB synthetic reports (`synthetic`:
//!   70% originals, 15% verbatim copies with page furniture, 15% rewrites with one word in five
//!   swapped) into copies and events (fingerprints, band keys and candidate pairs on every
//!   core).
//! - With `OSINT_BENCH_1M=1` in the environment, one timed pass over 1,000,000 such reports is
//!   run before the criterion groups and its figures printed, with the planted copies found
//!   counted against the generator's own record.

use std::hint::black_box;
use std::time::{Duration, Instant};

use accord_osint::copies::{CopyParams, Fingerprint, group_fingerprints};
use accord_osint::{Gazetteer, extract_claims, parse_report};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;

mod synthetic;

use synthetic::{Planted, Rng, Stream, recall};

const CLAIM_SENTENCES: &[&str] = &[
    "Russia has amassed more than {N},000 troops near the Ukrainian border, US officials said on {D}.",
    "According to Western intelligence, Moscow has deployed some {N} battalion tactical groups in Belarus.",
    "The Pentagon said the United States sent {S} shipments of military aid to Ukraine this week.",
    "The latest package includes {N}0 Javelin anti-armor missiles and {N} Stinger anti-aircraft systems.",
    "Belarus says it will host up to {N},000 troops for the Union Resolve exercise.",
    "The embassy said the shipment carried about {N}0 tonnes of ammunition for the front line.",
    "Satellite images show {N}0 tanks and {N} armoured personnel carriers at a field camp in Crimea.",
    "Ukraine's defence ministry said Russia keeps about {N}0 warships in the Black Sea.",
];

const FILLER: &[&str] = &[
    "Diplomats from both sides met in Geneva for talks that ended without a breakthrough.",
    "The Kremlin denies any plan to invade and says the forces are there for exercises.",
    "Western governments have threatened unprecedented sanctions if Moscow attacks its neighbour.",
    "Officials in Kyiv urged calm and said there was no reason to panic at this stage.",
    "Analysts said the deployments could be a way to pressure the West into concessions.",
    "The foreign ministers are expected to speak again by telephone later this month.",
    "NATO has placed forces on standby and sent additional ships and fighter jets to eastern Europe.",
    "Read more: what the latest satellite images show about the build-up.",
    "The talks are part of a wider effort to reduce tensions through diplomacy and dialogue.",
    "The alliance rejected the demand to close its door to new members as a matter of principle.",
];

const DAYS: &[&str] = &["Monday", "Tuesday", "Jan. 30", "February 12", "Friday"];

fn report_3kb(rng: &mut Rng, i: usize) -> String {
    let mut body = format!(
        "url: https://news.example/{i}\noutlet: Example News (Reuters)\npublished: 2022-02-{:02}\ntitle: Tensions rise over Ukraine\n\nTensions rise over Ukraine\n",
        1 + rng.below(27)
    );
    while body.len() < 3000 {
        let s = if rng.below(3) == 0 {
            CLAIM_SENTENCES[rng.below(CLAIM_SENTENCES.len())]
                .replace("{N}", &(2 + rng.below(180)).to_string())
                .replace("{S}", ["two", "three", "four"][rng.below(3)])
                .replace("{D}", DAYS[rng.below(DAYS.len())])
        } else {
            FILLER[rng.below(FILLER.len())].to_owned()
        };
        body.push_str(&s);
        body.push(if rng.below(3) == 0 { '\n' } else { ' ' });
    }
    body
}

/// CPU time (user and system) this process has used, from /proc (Linux), if readable.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command; clock ticks.
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn bench_extract(c: &mut Criterion) {
    let mut rng = Rng(0x5eed);
    let reports: Vec<String> = (0..1000).map(|i| report_3kb(&mut rng, i)).collect();
    let bytes: usize = reports.iter().map(String::len).sum();
    eprintln!(
        "extract: {} reports, mean {} bytes",
        reports.len(),
        bytes / reports.len()
    );
    Gazetteer::builtin();
    // On a shared machine wall time overstates the cost: also measure CPU time of one pass.
    if let Some(before) = cpu_time() {
        let wall = Instant::now();
        let rounds = 5;
        let mut claims = 0;
        for _ in 0..rounds {
            for text in &reports {
                let r = parse_report("bench", text).unwrap();
                claims += extract_claims(&r).len();
            }
        }
        let wall = wall.elapsed();
        if let Some(after) = cpu_time() {
            let n = (rounds * reports.len()) as f64;
            let cpu = (after - before).as_secs_f64();
            eprintln!(
                "extract: {n} reports ({claims} claims): CPU {cpu:.2} s = {:.0} reports/s per core; wall {:.2} s = {:.0} reports/s",
                n / cpu.max(1e-9),
                wall.as_secs_f64(),
                n / wall.as_secs_f64()
            );
        }
    }
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Elements(1));
    g.bench_function("3KB", |b| {
        let mut k = 0;
        b.iter(|| {
            let text = &reports[k % reports.len()];
            k += 1;
            let r = parse_report("bench", black_box(text)).unwrap();
            black_box(extract_claims(&r))
        })
    });
    g.finish();
}

/// Fingerprints of `n` synthetic reports, generated in chunks (not timed) and fingerprinted on
/// every core (timed: wall clock and CPU), with the generator's record and the bytes of text.
fn fingerprints(n: usize) -> (Vec<Fingerprint>, Vec<Planted>, (Duration, Duration), usize) {
    let g = Gazetteer::builtin();
    let mut stream = Stream::default();
    let mut prints = Vec::with_capacity(n);
    let mut planted = Vec::with_capacity(n);
    let mut spent = Duration::ZERO;
    let mut cpu = Duration::ZERO;
    let mut bytes = 0;
    let chunk = 50_000;
    let mut texts: Vec<String> = Vec::with_capacity(chunk);
    while planted.len() < n {
        texts.clear();
        for _ in 0..chunk.min(n - planted.len()) {
            let (text, what) = stream.next_report();
            bytes += text.len();
            texts.push(text);
            planted.push(what);
        }
        let (t, cpu0) = (Instant::now(), cpu_time());
        prints.par_extend(
            texts
                .par_iter()
                .map(|text| Fingerprint::from_parts(g, text, Some("Synthetic"), None)),
        );
        spent += t.elapsed();
        if let (Some(a), Some(b)) = (cpu0, cpu_time()) {
            cpu += b.saturating_sub(a);
        }
    }
    (prints, planted, (spent, cpu), bytes)
}

fn one_million() {
    let n = 1_000_000;
    let (prints, planted, (fp_time, fp_cpu), bytes) = fingerprints(n);
    eprintln!(
        "group 1M: fingerprinting CPU time {:.1} s",
        fp_cpu.as_secs_f64()
    );
    let heap: usize = prints.iter().map(Fingerprint::heap_size).sum();
    let t = Instant::now();
    let cpu0 = cpu_time();
    let copies = group_fingerprints(&prints, &CopyParams::default());
    let group_time = t.elapsed();
    if let (Some(a), Some(b)) = (cpu0, cpu_time()) {
        eprintln!("group 1M: grouping CPU time {:.1} s", (b - a).as_secs_f64());
    }
    eprintln!(
        "group 1M: {n} reports (mean {} bytes): fingerprinting {:.1} s, grouping {:.1} s, total {:.1} s; \
         {} copy groups, {} derived, {} events, {} pairs compared, {} buckets skipped; fingerprints {} MB",
        bytes / n,
        fp_time.as_secs_f64(),
        group_time.as_secs_f64(),
        (fp_time + group_time).as_secs_f64(),
        copies.groups.len(),
        copies.derived.len(),
        copies.events.len(),
        copies.compared,
        copies.skipped_buckets,
        heap / 1_000_000
    );
    let r = recall(&planted, &copies);
    eprintln!(
        "group 1M: against the generator's record: rewrites (one word in five) found {} of {} ({:.1}%), \
         verbatim copies found {} of {} ({:.1}%); {} other derived pairs ({} between copies of one original)",
        r.rewrites.0,
        r.rewrites.1,
        100.0 * r.rewrites.0 as f64 / r.rewrites.1.max(1) as f64,
        r.verbatim.0,
        r.verbatim.1,
        100.0 * r.verbatim.0 as f64 / r.verbatim.1.max(1) as f64,
        r.other_pairs,
        r.sibling_pairs
    );
}

fn bench_group(c: &mut Criterion) {
    if std::env::var_os("OSINT_BENCH_1M").is_some() {
        one_million();
    }
    let n = 100_000;
    let mut stream = Stream::default();
    let texts: Vec<String> = (0..n).map(|_| stream.next_report().0).collect();
    let g = Gazetteer::builtin();
    let mut grp = c.benchmark_group("group");
    grp.sample_size(10);
    grp.throughput(Throughput::Elements(n as u64));
    grp.bench_function("100k", |b| {
        b.iter(|| {
            let prints: Vec<Fingerprint> = texts
                .par_iter()
                .map(|t| Fingerprint::from_parts(g, t, Some("Synthetic"), None))
                .collect();
            black_box(group_fingerprints(&prints, &CopyParams::default()))
        })
    });
    grp.finish();
}

criterion_group!(benches, bench_extract, bench_group);
criterion_main!(benches);
