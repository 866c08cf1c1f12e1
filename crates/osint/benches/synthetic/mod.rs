//! A stream of synthetic ~1 KB reports for the grouping benches, with the generator's own record
//! of every copy it plants.
//!
//! 70% of reports are originals, 15% verbatim copies of a recent original with page furniture,
//! 15% rewrites of a recent original that swap one word in five for a random word. Each story
//! draws 65% of its words from its own 150 topic words and 35% from a common vocabulary of 2,000
//! words (of 200,000), so that unrelated stories share only common words, as real ones do.

/// A small deterministic generator (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A roughly Zipf-distributed index below `n`.
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
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

/// What the generator planted at one position of the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Planted {
    /// An original story.
    Original,
    /// A verbatim copy (with page furniture) of the original at this index.
    Verbatim(usize),
    /// A rewrite, one word in five swapped, of the original at this index.
    Rewrite(usize),
}

/// Generates the stream of reports.
pub struct Stream {
    vocab: Vec<String>,
    rng: Rng,
    /// Recent originals: (index in the stream, text).
    recent: Vec<(usize, String)>,
    produced: usize,
}

impl Default for Stream {
    fn default() -> Self {
        Stream {
            vocab: vocabulary(200_000),
            rng: Rng(0x0123_4567_89ab_cdef),
            recent: Vec::new(),
            produced: 0,
        }
    }
}

impl Stream {
    fn original(&mut self) -> String {
        let mut s = String::with_capacity(1100);
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
                    if let Some(first) = c.next() {
                        s.push(first.to_ascii_uppercase());
                    }
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

    /// The next report and what it is.
    pub fn next_report(&mut self) -> (String, Planted) {
        let index = self.produced;
        self.produced += 1;
        let kind = self.rng.below(100);
        if kind < 70 || self.recent.is_empty() {
            let s = self.original();
            if self.recent.len() < 1000 {
                self.recent.push((index, s.clone()));
            } else {
                let k = self.rng.below(1000);
                self.recent[k] = (index, s.clone());
            }
            (s, Planted::Original)
        } else if kind < 85 {
            let (from, text) = &self.recent[self.rng.below(self.recent.len())];
            (
                format!("ADVERTISEMENT\n{text}\nRead more\n"),
                Planted::Verbatim(*from),
            )
        } else {
            let (from, src) = self.recent[self.rng.below(self.recent.len())].clone();
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
            (out, Planted::Rewrite(from))
        }
    }
}

/// Planted copies found: of the verbatim copies and of the rewrites, (found, planted), where a
/// copy is found when the grouping derives it from its original; and derived pairs the
/// generator did not plant (between two copies of one original, or unrelated reports).
pub struct Recall {
    /// Verbatim copies: (found, planted).
    pub verbatim: (usize, usize),
    /// Rewrites: (found, planted).
    pub rewrites: (usize, usize),
    /// Derived pairs that are not a planted copy and its original.
    pub other_pairs: usize,
    /// Of those, pairs between two copies of one original.
    pub sibling_pairs: usize,
}

/// Counts the planted copies the grouping found, against the generator's record.
pub fn recall(planted: &[Planted], copies: &accord_osint::Copies) -> Recall {
    let origin = |i: usize| match planted[i] {
        Planted::Original => i,
        Planted::Verbatim(o) | Planted::Rewrite(o) => o,
    };
    let mut r = Recall {
        verbatim: (0, 0),
        rewrites: (0, 0),
        other_pairs: 0,
        sibling_pairs: 0,
    };
    for p in planted {
        match p {
            Planted::Verbatim(_) => r.verbatim.1 += 1,
            Planted::Rewrite(_) => r.rewrites.1 += 1,
            Planted::Original => {}
        }
    }
    for d in &copies.derived {
        match planted[d.copy] {
            Planted::Verbatim(o) if o == d.source => r.verbatim.0 += 1,
            Planted::Rewrite(o) if o == d.source => r.rewrites.0 += 1,
            _ if origin(d.copy) == origin(d.source) => {
                r.other_pairs += 1;
                r.sibling_pairs += 1;
            }
            _ => r.other_pairs += 1,
        }
    }
    r
}
