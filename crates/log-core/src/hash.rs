//! RFC 6962 hashes of many leaves or interior nodes at once, on the fastest path the CPU has
//! unless a setting ([`BACKEND_ENV`], or the `*_with` functions) asks for another, and spread
//! over all cores (rayon's pool) when a batch is big.
//!
//! Building a tree over 256-byte entries costs seven SHA-256 blocks per entry (five for the
//! leaf, two for its share of interior nodes). One block at a time, on a core without the SHA
//! extensions, that caps tree building near 350,000 entries per second. Where the CPU has
//! AVX-512, the `sha256x16` module runs sixteen independent SHA-256 computations side by side, one per
//! vector lane, which is how the tree reaches millions of entries per second on one core.
//! Everywhere else the hashes come one by one from the `sha2` crate, which uses the SHA
//! extensions where the CPU has them (its own run-time detection). Where a CPU has both, the
//! faster of the two is chosen at run time by timing each on the same small batch once per
//! process ([`Backend::fastest`]). All paths give the same bytes (tested against `sha2` on
//! messages of every length class).

// The sixteen-lane path needs `unsafe` for the run-time CPU-feature check and the vector loads
// and stores of local arrays. Measured on a 2-core Xeon without SHA extensions: one hash at a
// time with `sha2`, 349 k entries/s per core; sixteen at a time, 2.0-2.6 M entries/s per core;
// on the same machine class with SHA extensions and under load, sixteen lanes still hashed
// leaves 1.5 times as fast as `sha2` (BENCHMARKS.md of accord-log).
#[allow(unsafe_code)]
mod sha256x16;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use tlog_tiles::Hash;

/// The RFC 6962 domain-separation prefix of a leaf hash.
const LEAF_PREFIX: u8 = 0x00;
/// The RFC 6962 domain-separation prefix of an interior node hash.
const NODE_PREFIX: u8 = 0x01;

/// The environment variable that forces a hashing path for the whole process: `portable` for
/// one hash at a time with `sha2` whatever the CPU, `avx512` for sixteen at a time where the
/// CPU has AVX-512; anything else, or unset, for the fastest.
pub const BACKEND_ENV: &str = "ACCORD_LOG_HASH";

/// Batches of at least this many messages are split over rayon's pool.
const PARALLEL_MIN: usize = 1024;
/// Messages per parallel task (a multiple of the sixteen lanes).
const PARALLEL_CHUNK: usize = 512;

/// How many SHA-256 computations run at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Sixteen messages at once in the lanes of AVX-512 vectors.
    Avx512x16,
    /// One message at a time with the `sha2` crate (which uses the SHA extensions where the
    /// CPU has them).
    Portable,
}

impl Backend {
    /// Whether this CPU can run the path.
    pub fn available(self) -> bool {
        match self {
            Backend::Avx512x16 => sha256x16::available(),
            Backend::Portable => true,
        }
    }

    /// The path a setting asks for (the value of [`BACKEND_ENV`]): the portable one for
    /// `portable`, the sixteen-lane one for `avx512` where the CPU has it, else the fastest.
    pub fn from_setting(setting: Option<&str>) -> Backend {
        match setting.map(str::trim) {
            Some("portable") => Backend::Portable,
            Some("avx512") if Backend::Avx512x16.available() => Backend::Avx512x16,
            _ => Backend::fastest(),
        }
    }

    /// The fastest path on this CPU: without AVX-512, `sha2`; with AVX-512 but without the SHA
    /// extensions, sixteen lanes; with both, whichever hashed a small batch of leaves and nodes
    /// faster when first asked (timed once per process).
    pub fn fastest() -> Backend {
        static FASTEST: OnceLock<Backend> = OnceLock::new();
        *FASTEST.get_or_init(|| {
            let sixteen_lanes_win = Backend::Avx512x16.available()
                && (!sha_extensions()
                    || time_sample(Backend::Avx512x16) < time_sample(Backend::Portable));
            if sixteen_lanes_win {
                Backend::Avx512x16
            } else {
                Backend::Portable
            }
        })
    }

    /// The path of this process: [`Backend::from_setting`] of [`BACKEND_ENV`], read once.
    pub fn current() -> Backend {
        static CURRENT: OnceLock<Backend> = OnceLock::new();
        *CURRENT.get_or_init(|| Backend::from_setting(std::env::var(BACKEND_ENV).ok().as_deref()))
    }

    /// A short name for reports and benches.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Avx512x16 => "avx512-x16",
            Backend::Portable => "sha2",
        }
    }
}

impl Default for Backend {
    fn default() -> Self {
        Backend::current()
    }
}

/// Whether the CPU has the SHA extensions (`sha2` then uses them).
fn sha_extensions() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("sha")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The least time, over a few rounds, that `backend` takes on one core to hash 256 leaves of
/// 256 bytes and their 255 interior nodes.
fn time_sample(backend: Backend) -> Duration {
    let leaves = vec![[0x5au8; 256]; 256];
    let pairs = vec![[0xa5u8; 64]; 255];
    let mut out = Vec::with_capacity(512);
    (0..5)
        .map(|_| {
            out.clear();
            let t = Instant::now();
            sequential_hashes(backend, LEAF_PREFIX, &leaves, &mut out);
            sequential_hashes(backend, NODE_PREFIX, &pairs, &mut out);
            std::hint::black_box(&out);
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// The RFC 6962 leaf hashes, SHA-256(0x00 ‖ entry), of `entries`, appended to `out` in order.
pub fn leaf_hashes<E: AsRef<[u8]> + Sync>(entries: &[E], out: &mut Vec<Hash>) {
    leaf_hashes_with(Backend::current(), entries, out);
}

/// [`leaf_hashes`] on the given path (the portable one where the CPU lacks the one asked for).
pub fn leaf_hashes_with<E: AsRef<[u8]> + Sync>(
    backend: Backend,
    entries: &[E],
    out: &mut Vec<Hash>,
) {
    prefixed_hashes(backend, LEAF_PREFIX, entries, out);
}

/// The RFC 6962 interior node hashes, SHA-256(0x01 ‖ left ‖ right), of `pairs` (each the left
/// child's hash followed by the right child's), appended to `out` in order.
pub fn node_hashes(pairs: &[[u8; 64]], out: &mut Vec<Hash>) {
    node_hashes_with(Backend::current(), pairs, out);
}

/// [`node_hashes`] on the given path (the portable one where the CPU lacks the one asked for).
pub fn node_hashes_with(backend: Backend, pairs: &[[u8; 64]], out: &mut Vec<Hash>) {
    prefixed_hashes(backend, NODE_PREFIX, pairs, out);
}

/// SHA-256(prefix ‖ body) of every body, appended to `out` in order; a big batch is split
/// over rayon's pool (on the calling thread alone where the pool has one thread).
fn prefixed_hashes<E: AsRef<[u8]> + Sync>(
    backend: Backend,
    prefix: u8,
    bodies: &[E],
    out: &mut Vec<Hash>,
) {
    if bodies.len() < PARALLEL_MIN || rayon::current_num_threads() == 1 {
        sequential_hashes(backend, prefix, bodies, out);
        return;
    }
    let start = out.len();
    out.resize(start + bodies.len(), Hash::default());
    out[start..]
        .par_chunks_mut(PARALLEL_CHUNK)
        .zip(bodies.par_chunks(PARALLEL_CHUNK))
        .for_each(|(slots, chunk)| {
            let mut hashed = Vec::with_capacity(chunk.len());
            sequential_hashes(backend, prefix, chunk, &mut hashed);
            slots.copy_from_slice(&hashed);
        });
}

/// SHA-256(prefix ‖ body) of every body on this thread, appended to `out` in order.
fn sequential_hashes<E: AsRef<[u8]>>(
    backend: Backend,
    prefix: u8,
    bodies: &[E],
    out: &mut Vec<Hash>,
) {
    out.reserve(bodies.len());
    if backend == Backend::Avx512x16 && sha256x16::available() {
        let mut lanes: [&[u8]; sha256x16::LANES] = [&[]; sha256x16::LANES];
        for group in bodies.chunks(sha256x16::LANES) {
            for (lane, body) in lanes.iter_mut().zip(group) {
                *lane = body.as_ref();
            }
            let digests = sha256x16::hash(prefix, &lanes[..group.len()]);
            out.extend(digests[..group.len()].iter().map(|&d| Hash(d)));
        }
    } else {
        out.extend(bodies.iter().map(|b| one(prefix, b.as_ref())));
    }
}

/// SHA-256(prefix ‖ body) with the `sha2` crate.
fn one(prefix: u8, body: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([prefix]);
    h.update(body);
    Hash(h.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every path, the portable one first; the sixteen-lane one is also run where the CPU lacks
    /// AVX-512 (it then falls back) and says so.
    fn both() -> [Backend; 2] {
        if !Backend::Avx512x16.available() {
            eprintln!("note: no AVX-512 here; the sixteen-lane path falls back to sha2");
        }
        [Backend::Portable, Backend::Avx512x16]
    }

    /// A deterministic byte stream for test messages.
    fn bytes(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn leaf_hashes_match_sha2_for_every_length_class() {
        // Lengths around every padding boundary (55/56 bytes with the prefix byte, block
        // multiples) and mixed within one group of lanes, in groups that are not multiples of 16.
        let lengths: Vec<usize> = (0..=130)
            .chain([191, 192, 255, 256, 257, 1000, 4096])
            .collect();
        let entries: Vec<Vec<u8>> = lengths
            .iter()
            .enumerate()
            .map(|(i, &n)| bytes(i as u64, n))
            .collect();
        for backend in both() {
            for take in [1, 7, 16, 17, 33, entries.len()] {
                let mut got = Vec::new();
                leaf_hashes_with(backend, &entries[..take], &mut got);
                let want: Vec<Hash> = entries[..take]
                    .iter()
                    .map(|e| tlog_tiles::record_hash(e))
                    .collect();
                assert_eq!(got, want, "{backend:?}, first {take} entries");
            }
        }
    }

    #[test]
    fn node_hashes_match_tlog_tiles() {
        let pairs: Vec<[u8; 64]> = (0..45)
            .map(|i| bytes(1000 + i, 64).try_into().unwrap())
            .collect();
        for backend in both() {
            let mut got = Vec::new();
            node_hashes_with(backend, &pairs, &mut got);
            for (p, g) in pairs.iter().zip(&got) {
                let left = Hash(p[..32].try_into().unwrap());
                let right = Hash(p[32..].try_into().unwrap());
                assert_eq!(*g, tlog_tiles::node_hash(left, right), "{backend:?}");
            }
            assert_eq!(got.len(), pairs.len());
        }
    }

    #[test]
    fn big_batches_split_over_the_pool_give_the_same_hashes_in_order() {
        // Above the parallel threshold, not a multiple of the chunk, after existing output.
        let entries: Vec<Vec<u8>> = (0..2 * PARALLEL_MIN + 37)
            .map(|i| bytes(5000 + i as u64, i % 300))
            .collect();
        let want: Vec<Hash> = entries.iter().map(|e| tlog_tiles::record_hash(e)).collect();
        let one_thread = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let two_threads = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        for backend in both() {
            for pool in [&one_thread, &two_threads] {
                let mut got = vec![Hash([9; 32])];
                pool.install(|| leaf_hashes_with(backend, &entries, &mut got));
                assert_eq!(got[0], Hash([9; 32]));
                assert_eq!(&got[1..], &want[..], "{backend:?}");
            }
        }
    }

    #[test]
    fn empty_input_gives_no_hashes() {
        for backend in both() {
            let mut out = Vec::new();
            leaf_hashes_with::<&[u8]>(backend, &[], &mut out);
            node_hashes_with(backend, &[], &mut out);
            assert!(out.is_empty());
        }
    }

    #[test]
    fn the_setting_forces_the_portable_path_and_otherwise_picks_the_fastest() {
        assert_eq!(Backend::from_setting(Some("portable")), Backend::Portable);
        assert_eq!(
            Backend::from_setting(Some(" portable\n")),
            Backend::Portable
        );
        let fastest = Backend::fastest();
        if !Backend::Avx512x16.available() {
            assert_eq!(fastest, Backend::Portable);
        } else if !sha_extensions() {
            assert_eq!(fastest, Backend::Avx512x16);
        }
        assert_eq!(Backend::from_setting(None), fastest);
        assert_eq!(Backend::from_setting(Some("fast")), fastest);
        let avx512 = Backend::from_setting(Some("avx512"));
        if Backend::Avx512x16.available() {
            assert_eq!(avx512, Backend::Avx512x16);
        } else {
            assert_eq!(avx512, fastest);
        }
    }
}
