//! Properties of the log over random input: random append batches give a log whose every
//! inclusion and consistency proof verifies (and no other entry or root does), the published
//! files prove the same as the log, and any single-byte change to a tile, an entry bundle or the
//! checkpoint is caught by `audit` and by verification from the files.

use std::path::{Path, PathBuf};

use accord_log::tiles::{entries_path, tile_path};
use accord_log::{
    Hash, Log, LogKey, MerkleTree, SignedCheckpoint, TILE_WIDTH, audit, consistency_proof_in_dir,
    leaf_hash, prove_inclusion_in_dir, verify_consistency, verify_entry_in_dir, verify_inclusion,
    verify_inclusion_hash,
};
use proptest::collection::vec;
use proptest::prelude::*;

const ORIGIN: &str = "accord.example/proptest";

/// Entries of 0 to 40 arbitrary bytes.
fn entry() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..40)
}

/// One to five batches whose total crosses a full tile (256 entries) often.
fn batches() -> impl Strategy<Value = Vec<Vec<Vec<u8>>>> {
    vec(vec(entry(), 1..200), 1..5)
}

/// A different hash from `h` (its first byte changed).
fn other(h: &Hash) -> Hash {
    let mut b = h.0;
    b[0] ^= 0x80;
    Hash(b)
}

/// A log in a temporary directory holding `batches`, appended batch by batch; returns the
/// directory, its key, the log, every entry, and the size after each batch.
fn logged(tmp: &Path, batches: &[Vec<Vec<u8>>]) -> (PathBuf, LogKey, Log, Vec<Vec<u8>>, Vec<u64>) {
    let dir = tmp.join("log");
    let key = LogKey::generate(ORIGIN).expect("a key");
    let mut log = Log::create(&dir, ORIGIN, &key).expect("a new log");
    let mut all = Vec::new();
    let mut sizes = Vec::new();
    for batch in batches {
        let range = log.append_batch(batch).expect("append");
        assert_eq!(range, all.len() as u64..(all.len() + batch.len()) as u64);
        all.extend(batch.iter().cloned());
        sizes.push(log.size());
    }
    (dir, key, log, all, sizes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// After random batches, every entry is proven in every tree size a checkpoint was made at,
    /// every pair of those sizes is consistent, and the proofs refuse another entry or root.
    #[test]
    fn random_batches_prove_every_entry_at_every_checkpoint(batches in batches()) {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let (dir, key, log, all, sizes) = logged(tmp.path(), &batches);
        let n = all.len() as u64;
        prop_assert_eq!(log.size(), n);
        let cp = SignedCheckpoint::verify(log.checkpoint().note(), key.vkey()).expect("signed");
        prop_assert_eq!((cp.size(), cp.root()), (n, log.root()));

        let roots: Vec<Hash> = sizes
            .iter()
            .map(|&s| log.tree().root_at(s).expect("a root for every size reached"))
            .collect();
        for (&size, root) in sizes.iter().zip(&roots) {
            for index in 0..size {
                let proof = log.prove_inclusion(index, size).expect("inclusion proof");
                let e = &all[index as usize];
                prop_assert!(verify_inclusion(e, &proof, root).is_ok(), "{} in {}", index, size);
                prop_assert!(verify_inclusion(e, &proof, &other(root)).is_err());
                let mut wrong = e.clone();
                wrong.push(0);
                prop_assert!(verify_inclusion(&wrong, &proof, root).is_err());
            }
        }
        for (i, &old) in sizes.iter().enumerate() {
            for (j, &new) in sizes.iter().enumerate().skip(i) {
                let proof = log.prove_consistency(old, new).expect("consistency proof");
                prop_assert!(verify_consistency(&proof, &roots[i], &roots[j]).is_ok());
                if old < new {
                    prop_assert!(verify_consistency(&proof, &other(&roots[i]), &roots[j]).is_err());
                    prop_assert!(verify_consistency(&proof, &roots[i], &other(&roots[j])).is_err());
                }
            }
        }

        // The published files prove the same, for entries at both ends and at tile edges.
        let probes = [0, 1, 255, 256, 257, n / 2, n - 1];
        for index in probes.into_iter().filter(|&i| i < n) {
            let (bytes, proof) = prove_inclusion_in_dir(&dir, &cp, index).expect("from files");
            prop_assert_eq!(&bytes, &all[index as usize]);
            prop_assert_eq!(&proof, &log.prove_inclusion(index, n).expect("from the log"));
            let verified = verify_entry_in_dir(&dir, index, key.vkey()).expect("verified");
            prop_assert_eq!(&verified.entry, &all[index as usize]);
        }
        for (&old, root) in sizes.iter().zip(&roots) {
            let (_, proof) = consistency_proof_in_dir(&dir, old, key.vkey()).expect("from files");
            prop_assert!(verify_consistency(&proof, root, &cp.root()).is_ok());
        }
        prop_assert!(audit(&dir, key.vkey()).expect("audit").is_clean());
    }

    /// In an in-memory tree, every (index, size) inclusion proof and every (old, new)
    /// consistency proof verifies, and the leaf next to the proven one does not.
    #[test]
    fn every_index_size_and_size_pair_verifies(entries in vec(entry(), 1..48)) {
        let mut tree = MerkleTree::new();
        tree.extend(&entries);
        let n = tree.size();
        let roots: Vec<Hash> = (0..=n).map(|s| tree.root_at(s).expect("root")).collect();
        for size in 1..=n {
            for index in 0..size {
                let proof = tree.prove_inclusion(index, size).expect("inclusion proof");
                let leaf = leaf_hash(&entries[index as usize]);
                prop_assert!(verify_inclusion_hash(&leaf, &proof, &roots[size as usize]).is_ok());
                let neighbour = leaf_hash(&entries[((index + 1) % size) as usize]);
                if neighbour != leaf {
                    prop_assert!(
                        verify_inclusion_hash(&neighbour, &proof, &roots[size as usize]).is_err()
                    );
                }
            }
        }
        for old in 0..=n {
            for new in old..=n {
                let proof = tree.prove_consistency(old, new).expect("consistency proof");
                prop_assert!(
                    verify_consistency(&proof, &roots[old as usize], &roots[new as usize]).is_ok(),
                    "{} -> {}", old, new
                );
            }
        }
    }

    /// Changing any one byte of any file the current tree is read from (hash tile, entry bundle
    /// or checkpoint) is caught: the audit reports a problem, and no entry verifies from the files with bytes
    /// other than those logged.
    #[test]
    fn any_single_byte_change_is_caught(
        batches in vec(vec(entry(), 1..200), 1..3),
        pick in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        xor in 1u8..=255,
    ) {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let (dir, key, log, all, _) = logged(tmp.path(), &batches);
        drop(log);
        let files = published_files(&dir, all.len() as u64);
        for f in &files {
            prop_assert!(f.is_file(), "{} is missing", f.display());
        }
        let file = pick.get(&files);
        let mut bytes = std::fs::read(file).expect("a published file");
        prop_assume!(!bytes.is_empty());
        let at = at.index(bytes.len());
        bytes[at] ^= xor;
        std::fs::write(file, &bytes).expect("write");

        let caught = match audit(&dir, key.vkey()) {
            Ok(report) => !report.is_clean(),
            Err(_) => true,
        };
        prop_assert!(caught, "byte {} of {} changed (xor {:#04x}) and the audit is clean",
            at, file.display(), xor);
        for (index, logged) in all.iter().enumerate() {
            if let Ok(v) = verify_entry_in_dir(&dir, index as u64, key.vkey()) {
                prop_assert_eq!(&v.entry, logged, "entry {} verified with other bytes", index);
            }
        }
    }
}

/// The files the tree of size `n` is read from: the checkpoint, and the hash tiles and entry
/// bundles of that size (full tiles and the one partial tile per level). Partial tiles left from
/// smaller sizes are not part of it.
fn published_files(dir: &Path, n: u64) -> Vec<PathBuf> {
    let mut out = vec![dir.join("checkpoint")];
    let full = TILE_WIDTH;
    let mut level = 0u8;
    let mut hashes = n;
    while hashes > 0 {
        let width = |k: u64| {
            let w = (hashes - k * full).min(full);
            u32::try_from(w).expect("a tile is at most 256 wide")
        };
        for k in 0..hashes.div_ceil(full) {
            out.push(dir.join(tile_path(level, k, width(k))));
            if level == 0 {
                out.push(dir.join(entries_path(k, width(k))));
            }
        }
        hashes /= full;
        level += 1;
    }
    out
}
