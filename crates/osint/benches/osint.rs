//! Benchmarks of accord-osint on synthetic reports generated here (no shared data needed).
//!
//! - `extract/3KB`: ingestion (header parsing, normalisation) and claim extraction of one ~3 KB
//!   report, single-threaded; throughput in reports per second.
//! - `group/100k`: fingerprinting and grouping 100,000 ~1 KB reports (70% originals, 15% verbatim
//!   copies with page furniture, 15% rewrites with one word in five swapped) into copies and
//!   events, single-threaded. Each story draws 65% of its words from its own 150 topic words
//!   and 35% from a common vocabulary of 2,000 words (of 200,000), so that unrelated stories share
//!   only common words, as real ones do.
//! - With `OSINT_BENCH_1M=1` in the environment, one timed pass over 1,000,000 such reports is
//!   run before the criterion groups and its figures printed.

use std::hint::black_box;
use std::time::{Duration, Instant};

use accord_osint::copies::{CopyParams, Fingerprint, group_fingerprints};
use accord_osint::{Gazetteer, extract_claims, parse_report};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Roughly Zipf-distributed index below `n`.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

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

/// A synthetic vocabulary of pronounceable words.
fn vocabulary(n: usize) -> Vec<String> {
    const SYL: &[&str] = &[
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "dra", "pol", "sti", "gan", "bor",
        "tek", "wu", "xi", "qua", "fen", "jor",
    ];
    let mut rng = Rng(0xbeef);
    (0..n)
        .map(|_| {
            let k = 3 + rng.below(3);
            (0..k)
                .map(|_| SYL[rng.below(SYL.len())])
                .collect::<String>()
        })
        .collect()
}

/// Words of the vocabulary that every story may use.
const COMMON: usize = 2000;

/// Generates report `i` of a stream: originals, verbatim copies of a recent original with
/// furniture, and rewrites that swap one word in five.
struct Stream {
    vocab: Vec<String>,
    rng: Rng,
    recent: Vec<String>,
}

impl Stream {
    fn new() -> Self {
        Stream {
            vocab: vocabulary(200_000),
            rng: Rng(0x0123_4567_89ab_cdef),
            recent: Vec::new(),
        }
    }

    fn original(&mut self) -> String {
        let mut s = String::with_capacity(1100);
        // A story has its own topic words (150 drawn from the whole vocabulary, used with a Zipf
        // distribution) and shares a common vocabulary of 2,000 words with every other story,
        // as news stories do.
        let topic: Vec<usize> = (0..150)
            .map(|_| COMMON + self.rng.below(self.vocab.len() - COMMON))
            .collect();
        while s.len() < 1000 {
            let words = 10 + self.rng.below(8);
            for w in 0..words {
                let index = if self.rng.below(100) < 35 {
                    self.rng.below(COMMON)
                } else {
                    topic[self.rng.zipf(topic.len())]
                };
                let word = &self.vocab[index];
                if w == 0 {
                    let mut c = word.chars();
                    let first = c.next().unwrap().to_ascii_uppercase();
                    s.push(first);
                    s.push_str(c.as_str());
                } else {
                    s.push(' ');
                    s.push_str(word);
                }
            }
            s.push_str(".\n");
        }
        s
    }

    fn next(&mut self) -> String {
        let kind = self.rng.below(100);
        if kind < 70 || self.recent.is_empty() {
            let s = self.original();
            if self.recent.len() < 1000 {
                self.recent.push(s.clone());
            } else {
                let k = self.rng.below(1000);
                self.recent[k] = s.clone();
            }
            s
        } else if kind < 85 {
            let k = self.rng.below(self.recent.len());
            format!("ADVERTISEMENT\n{}\nRead more\n", self.recent[k])
        } else {
            let k = self.rng.below(self.recent.len());
            let src = self.recent[k].clone();
            let mut out = String::with_capacity(src.len());
            for (n, w) in src.split(' ').enumerate() {
                if n > 0 {
                    out.push(' ');
                }
                if self.rng.below(5) == 0 && !w.contains('\n') {
                    out.push_str(&self.vocab[self.rng.below(self.vocab.len())]);
                } else {
                    out.push_str(w);
                }
            }
            out
        }
    }
}

fn fingerprints(n: usize) -> (Vec<Fingerprint>, Duration, usize) {
    let g = Gazetteer::builtin();
    let mut stream = Stream::new();
    let mut prints = Vec::with_capacity(n);
    let mut spent = Duration::ZERO;
    let mut bytes = 0;
    for _ in 0..n {
        let text = stream.next();
        bytes += text.len();
        let t = Instant::now();
        prints.push(Fingerprint::from_parts(g, &text, Some("Synthetic"), None));
        spent += t.elapsed();
    }
    (prints, spent, bytes)
}

fn one_million() {
    let n = 1_000_000;
    let (prints, fp_time, bytes) = fingerprints(n);
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
}

fn bench_group(c: &mut Criterion) {
    if std::env::var_os("OSINT_BENCH_1M").is_some() {
        one_million();
    }
    let n = 100_000;
    let mut stream = Stream::new();
    let texts: Vec<String> = (0..n).map(|_| stream.next()).collect();
    let g = Gazetteer::builtin();
    let mut grp = c.benchmark_group("group");
    grp.sample_size(10);
    grp.throughput(Throughput::Elements(n as u64));
    grp.bench_function("100k", |b| {
        b.iter(|| {
            let prints: Vec<Fingerprint> = texts
                .iter()
                .map(|t| Fingerprint::from_parts(g, t, Some("Synthetic"), None))
                .collect();
            black_box(group_fingerprints(&prints, &CopyParams::default()))
        })
    });
    grp.finish();
}

criterion_group!(benches, bench_extract, bench_group);
criterion_main!(benches);
