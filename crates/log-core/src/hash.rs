//! RFC 6962 hashes of many leaves or interior nodes at once, on the fastest path the CPU has
//! unless a setting ([`BACKEND_ENV`], or the `*_with` functions) asks for another, and spread
//! over all cores (rayon's pool) when a batch is big.
//!
//! Building a tree over 256-byte entries costs seven SHA-256 blocks per entry (five for the
//! leaf, two for its share of interior nodes). Three paths compute them:
//! - where the CPU has the SHA extensions, the `sha256ni` module keeps several messages in
//!   flight at once through the SHA instructions, so that one message's rounds run while
//!   another's wait for their result;
//! - where it has AVX-512, the `sha256x16` module runs sixteen messages side by side, one per
//!   vector lane;
//! - everywhere the hashes can come one by one from the `sha2` crate.
//!
//! Which is fastest depends on the CPU (how many SHA instructions it starts per cycle, how
//! wide its vector units are), and may differ between leaves and interior nodes, so
//! [`Backend::Fastest`] times each path the CPU has on a small sample of each kind once per
//! process and uses the winner for that kind. All paths give the same bytes (tested against
//! `sha2` on messages of every length up to 300 bytes and more).

// The multi-message paths need `unsafe` for the run-time CPU-feature check and the vector loads
// and stores of local arrays and of the messages' bytes.
#[allow(unsafe_code)]
mod sha256ni;
#[allow(unsafe_code)]
mod sha256x16;

use std::sync::OnceLock;
use std::time::Instant;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use tlog_tiles::Hash;

/// The RFC 6962 domain-separation prefix of a leaf hash.
const LEAF_PREFIX: u8 = 0x00;
/// The RFC 6962 domain-separation prefix of an interior node hash.
const NODE_PREFIX: u8 = 0x01;

/// The environment variable that forces a hashing path for the whole process: `portable` for
/// one hash at a time with `sha2` whatever the CPU, `sha-ni` for several messages at once with
/// the SHA extensions and `avx512` for sixteen at a time with AVX-512, each where the CPU has
/// it; anything else, or unset, for the fastest path for each kind of message.
pub const BACKEND_ENV: &str = "ACCORD_LOG_HASH";

/// Batches of at least this many messages are split over rayon's pool.
const PARALLEL_MIN: usize = 1024;
/// Messages per parallel task (a multiple of the sixteen lanes).
const PARALLEL_CHUNK: usize = 512;

/// Messages of each kind in the sample that [`Backend::Fastest`] times each path on.
const CALIBRATION_MESSAGES: usize = 128;
/// Times each path hashes the sample; its best time counts, so that a pause of the process
/// in one round does not decide.
const CALIBRATION_ROUNDS: usize = 5;

/// The two kinds of message a Merkle tree hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// Leaves: 0x00 ‖ entry.
    Leaf,
    /// Interior nodes: 0x01 ‖ left ‖ right, 65 bytes.
    Node,
}

/// How SHA-256 computations are run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// For each kind of message, the path that hashed a sample of that kind fastest on this
    /// CPU, measured once per process at first use (every path gives the same bytes).
    Fastest,
    /// Several messages in flight at once through the SHA extensions' instructions.
    ShaNi,
    /// Sixteen messages at once in the lanes of AVX-512 vectors.
    Avx512x16,
    /// One message at a time with the `sha2` crate (which uses the SHA extensions where the
    /// CPU has them).
    Portable,
}

impl Backend {
    /// Every path that computes hashes itself (all but [`Backend::Fastest`], which picks one).
    pub const ALL: [Backend; 3] = [Backend::ShaNi, Backend::Avx512x16, Backend::Portable];

    /// Whether this CPU can run the path.
    pub fn available(self) -> bool {
        match self {
            Backend::Fastest | Backend::Portable => true,
            Backend::ShaNi => sha256ni::available(),
            Backend::Avx512x16 => sha256x16::available(),
        }
    }

    /// The path a setting asks for (the value of [`BACKEND_ENV`]): the portable one for
    /// `portable`, the SHA-extensions one for `sha-ni` and the sixteen-lane one for `avx512`
    /// where the CPU has them, else the fastest for each kind of message.
    pub fn from_setting(setting: Option<&str>) -> Backend {
        let asked = match setting.map(str::trim) {
            Some("portable") => Backend::Portable,
            Some("sha-ni") => Backend::ShaNi,
            Some("avx512") => Backend::Avx512x16,
            _ => return Backend::Fastest,
        };
        if asked.available() {
            asked
        } else {
            Backend::Fastest
        }
    }

    /// The path of this process: [`Backend::from_setting`] of [`BACKEND_ENV`], read once.
    pub fn current() -> Backend {
        static CURRENT: OnceLock<Backend> = OnceLock::new();
        *CURRENT.get_or_init(|| Backend::from_setting(std::env::var(BACKEND_ENV).ok().as_deref()))
    }

    /// The path that hashes messages of `kind`: this one where the CPU has it, the one measured
    /// fastest for [`Backend::Fastest`], the portable one for a path the CPU lacks.
    pub fn resolve(self, kind: MessageKind) -> Backend {
        match self {
            Backend::Fastest => {
                let [leaf, node] = *calibrated();
                match kind {
                    MessageKind::Leaf => leaf,
                    MessageKind::Node => node,
                }
            }
            b if b.available() => b,
            _ => Backend::Portable,
        }
    }

    /// A short name for reports and benches.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Fastest => "fastest",
            Backend::ShaNi => "sha-ni-x2",
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

/// The paths measured fastest on this CPU for leaves and for interior nodes, in that order:
/// each available path hashes a sample of 256-byte leaves and of interior nodes
/// [`CALIBRATION_ROUNDS`] times, the paths taking turns, and the least time wins.
fn calibrated() -> &'static [Backend; 2] {
    static CHOICE: OnceLock<[Backend; 2]> = OnceLock::new();
    CHOICE.get_or_init(|| {
        let paths: Vec<Backend> = Backend::ALL.into_iter().filter(|b| b.available()).collect();
        let leaves: Vec<[u8; 256]> = (0..CALIBRATION_MESSAGES)
            .map(|i| std::array::from_fn(|j| (i * 31 + j * 7) as u8))
            .collect();
        let nodes: Vec<[u8; 64]> = (0..CALIBRATION_MESSAGES)
            .map(|i| std::array::from_fn(|j| (i * 17 + j * 5) as u8))
            .collect();
        let mut out = vec![Hash::default(); CALIBRATION_MESSAGES];
        let mut best = [
            vec![f64::INFINITY; paths.len()],
            vec![f64::INFINITY; paths.len()],
        ];
        for _ in 0..CALIBRATION_ROUNDS {
            for (p, &path) in paths.iter().enumerate() {
                let t = Instant::now();
                hash_into(path, LEAF_PREFIX, &leaves, &mut out);
                best[0][p] = best[0][p].min(t.elapsed().as_secs_f64());
                let t = Instant::now();
                hash_into(path, NODE_PREFIX, &nodes, &mut out);
                best[1][p] = best[1][p].min(t.elapsed().as_secs_f64());
            }
        }
        [pick(&paths, &best[0]), pick(&paths, &best[1])]
    })
}

/// The path that took least time (`secs[i]` for `paths[i]`); a tie goes to the earlier path,
/// no path to the portable one.
fn pick(paths: &[Backend], secs: &[f64]) -> Backend {
    paths
        .iter()
        .zip(secs)
        .fold(
            None,
            |best: Option<(Backend, f64)>, (&path, &t)| match best {
                Some((_, least)) if least <= t => best,
                _ => Some((path, t)),
            },
        )
        .map_or(Backend::Portable, |(path, _)| path)
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
    prefixed_hashes(
        backend.resolve(MessageKind::Leaf),
        LEAF_PREFIX,
        entries,
        out,
    );
}

/// The RFC 6962 interior node hashes, SHA-256(0x01 ‖ left ‖ right), of `pairs` (each the left
/// child's hash followed by the right child's), appended to `out` in order.
pub fn node_hashes(pairs: &[[u8; 64]], out: &mut Vec<Hash>) {
    node_hashes_with(Backend::current(), pairs, out);
}

/// [`node_hashes`] on the given path (the portable one where the CPU lacks the one asked for).
pub fn node_hashes_with(backend: Backend, pairs: &[[u8; 64]], out: &mut Vec<Hash>) {
    prefixed_hashes(backend.resolve(MessageKind::Node), NODE_PREFIX, pairs, out);
}

/// SHA-256(prefix ‖ body) of every body, appended to `out` in order; a big batch is split
/// over rayon's pool (on the calling thread alone where the pool has one thread).
fn prefixed_hashes<E: AsRef<[u8]> + Sync>(
    backend: Backend,
    prefix: u8,
    bodies: &[E],
    out: &mut Vec<Hash>,
) {
    let start = out.len();
    out.resize(start + bodies.len(), Hash::default());
    let slots = &mut out[start..];
    if bodies.len() < PARALLEL_MIN || rayon::current_num_threads() == 1 {
        hash_into(backend, prefix, bodies, slots);
        return;
    }
    slots
        .par_chunks_mut(PARALLEL_CHUNK)
        .zip(bodies.par_chunks(PARALLEL_CHUNK))
        .for_each(|(slots, chunk)| hash_into(backend, prefix, chunk, slots));
}

/// SHA-256(prefix ‖ body) of every body on this thread, into the matching slot of `out` (as
/// long as `bodies`), on `backend` as [`Backend::resolve`] gives it (interior nodes for the
/// node prefix, leaves for any other).
fn hash_into<E: AsRef<[u8]>>(backend: Backend, prefix: u8, bodies: &[E], out: &mut [Hash]) {
    let kind = if prefix == NODE_PREFIX {
        MessageKind::Node
    } else {
        MessageKind::Leaf
    };
    match backend.resolve(kind) {
        Backend::ShaNi => sha256ni::hash_all(prefix, bodies, out),
        Backend::Avx512x16 => sha256x16::hash_all(prefix, bodies, out),
        Backend::Fastest | Backend::Portable => {
            for (slot, body) in out.iter_mut().zip(bodies) {
                *slot = one(prefix, body.as_ref());
            }
        }
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
    use crate::MerkleTree;

    /// The paths this CPU has, the portable one and the measured fastest always; each one it
    /// lacks is named in a skip note (a CPU feature is not something a setup can supply, so
    /// this never fails the test).
    fn available(test: &str) -> Vec<Backend> {
        Backend::ALL
            .into_iter()
            .filter(|&b| {
                accord_testkit::runs_on_this_machine(
                    test,
                    &format!("the {} hashing path (a CPU feature)", b.name()),
                    b.available(),
                )
            })
            .chain([Backend::Fastest])
            .collect()
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

    /// SHA-256(prefix ‖ body) straight from `sha2`, the reference.
    fn reference(prefix: u8, body: &[u8]) -> Hash {
        Hash(
            Sha256::new()
                .chain_update([prefix])
                .chain_update(body)
                .finalize()
                .into(),
        )
    }

    #[test]
    fn every_path_matches_sha2_on_every_length_up_to_300_bytes() {
        // Every length 0..=300 (every padding case: 54/55 body bytes, block multiples), in
        // order and shuffled, so that lanes hold messages of different lengths that finish at
        // different blocks; then a few long ones.
        let mut lengths: Vec<usize> = (0..=300).collect();
        let order = bytes(77, lengths.len());
        lengths.sort_by_key(|&n| (order[n], n));
        lengths.extend((0..=300).chain([1000, 4096]));
        let messages: Vec<Vec<u8>> = lengths
            .iter()
            .enumerate()
            .map(|(i, &n)| bytes(i as u64 + 1, n))
            .collect();
        for backend in available("every_path_matches_sha2_on_every_length_up_to_300_bytes") {
            for prefix in [LEAF_PREFIX, NODE_PREFIX, 0xA7] {
                for take in [1, 2, 3, 5, 16, 17, messages.len()] {
                    let mut got = vec![Hash::default(); take];
                    hash_into(backend, prefix, &messages[..take], &mut got);
                    let want: Vec<Hash> = messages[..take]
                        .iter()
                        .map(|m| reference(prefix, m))
                        .collect();
                    assert_eq!(got, want, "{backend:?}, prefix {prefix}, first {take}");
                }
            }
            let mut got = Vec::new();
            leaf_hashes_with(backend, &messages, &mut got);
            let want: Vec<Hash> = messages
                .iter()
                .map(|e| tlog_tiles::record_hash(e))
                .collect();
            assert_eq!(got, want, "{backend:?} leaf hashes");
        }
    }

    #[test]
    fn every_path_matches_sha2_on_batches_of_one_length() {
        // Runs of messages of one length (entries of a fixed size, interior nodes) fill whole
        // groups of lanes alike; 33 of them leave a partial group after two whole ones.
        for len in [0, 54, 55, 63, 64, 119, 256, 300] {
            let messages: Vec<Vec<u8>> = (0..33).map(|i| bytes(700 + i, len)).collect();
            for backend in available("every_path_matches_sha2_on_batches_of_one_length") {
                for prefix in [LEAF_PREFIX, NODE_PREFIX] {
                    let mut got = vec![Hash::default(); messages.len()];
                    hash_into(backend, prefix, &messages, &mut got);
                    let want: Vec<Hash> = messages.iter().map(|m| reference(prefix, m)).collect();
                    assert_eq!(got, want, "{backend:?}, prefix {prefix}, length {len}");
                }
            }
        }
    }

    #[test]
    fn every_path_gives_the_rfc_6962_test_vectors() {
        // The inputs and tree heads of the RFC 6962 reference tests (certificate-transparency's
        // merkle_tree_test): the root of the tree over the first n inputs, n = 1..=8.
        let inputs: [&[u8]; 8] = [
            b"",
            b"\x00",
            b"\x10",
            b"\x20\x21",
            b"\x30\x31",
            b"\x40\x41\x42\x43",
            b"\x50\x51\x52\x53\x54\x55\x56\x57",
            b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
        ];
        let roots = [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ];
        for backend in available("every_path_gives_the_rfc_6962_test_vectors") {
            for (n, root) in (1..=8).zip(roots) {
                let mut tree = MerkleTree::new().with_backend(backend);
                tree.extend(&inputs[..n]);
                assert_eq!(hex::encode(tree.root().0), root, "{backend:?}, {n} inputs");
            }
        }
    }

    #[test]
    fn node_hashes_match_tlog_tiles() {
        let pairs: Vec<[u8; 64]> = (0..45)
            .map(|i| bytes(1000 + i, 64).try_into().unwrap())
            .collect();
        for backend in available("node_hashes_match_tlog_tiles") {
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
        for backend in available("big_batches_split_over_the_pool_give_the_same_hashes_in_order") {
            for pool in [&one_thread, &two_threads] {
                let mut got = vec![Hash([9; 32])];
                pool.install(|| leaf_hashes_with(backend, &entries, &mut got));
                assert_eq!(got[0], Hash([9; 32]));
                assert_eq!(&got[1..], &want[..], "{backend:?}");
            }
        }
    }

    #[test]
    fn a_path_the_cpu_lacks_falls_back_to_the_same_hashes() {
        let entries: Vec<Vec<u8>> = (0..40).map(|i| bytes(9000 + i, 100 + i as usize)).collect();
        let want: Vec<Hash> = entries.iter().map(|e| tlog_tiles::record_hash(e)).collect();
        for backend in Backend::ALL {
            let mut got = Vec::new();
            leaf_hashes_with(backend, &entries, &mut got);
            assert_eq!(got, want, "{backend:?}");
        }
    }

    #[test]
    fn empty_input_gives_no_hashes() {
        for backend in Backend::ALL {
            let mut out = Vec::new();
            leaf_hashes_with::<&[u8]>(backend, &[], &mut out);
            node_hashes_with(backend, &[], &mut out);
            assert!(out.is_empty());
        }
    }

    #[test]
    fn the_setting_forces_a_path_the_cpu_has_and_otherwise_takes_the_fastest_per_kind() {
        assert_eq!(Backend::from_setting(Some("portable")), Backend::Portable);
        assert_eq!(
            Backend::from_setting(Some(" portable\n")),
            Backend::Portable
        );
        assert_eq!(Backend::from_setting(None), Backend::Fastest);
        assert_eq!(Backend::from_setting(Some("fast")), Backend::Fastest);
        for (setting, backend) in [("sha-ni", Backend::ShaNi), ("avx512", Backend::Avx512x16)] {
            let want = if backend.available() {
                backend
            } else {
                Backend::Fastest
            };
            assert_eq!(Backend::from_setting(Some(setting)), want, "{setting}");
        }
        for kind in [MessageKind::Leaf, MessageKind::Node] {
            // The measured choice is a path that computes hashes, one this CPU has.
            let chosen = Backend::Fastest.resolve(kind);
            assert!(Backend::ALL.contains(&chosen), "{kind:?}: {chosen:?}");
            assert!(chosen.available(), "{kind:?}: {chosen:?}");
            for backend in Backend::ALL {
                let want = if backend.available() {
                    backend
                } else {
                    Backend::Portable
                };
                assert_eq!(backend.resolve(kind), want, "{kind:?}, {backend:?}");
            }
        }
    }

    #[test]
    fn the_fastest_path_is_the_one_that_took_least_time() {
        let paths = Backend::ALL;
        assert_eq!(pick(&paths, &[3.0, 2.0, 2.5]), Backend::Avx512x16);
        assert_eq!(pick(&paths, &[1.0, 2.0, 2.5]), Backend::ShaNi);
        assert_eq!(pick(&paths, &[2.0, 2.0, 1.5]), Backend::Portable);
        // A tie goes to the earlier path; no path measured to the portable one.
        assert_eq!(pick(&paths, &[2.0, 2.0, 3.0]), Backend::ShaNi);
        assert_eq!(pick(&paths[1..], &[4.0, 4.0]), Backend::Avx512x16);
        assert_eq!(pick(&[], &[]), Backend::Portable);
    }
}
