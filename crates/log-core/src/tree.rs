//! An in-memory RFC 6962 Merkle tree, stored in the tlog hash order (Crosby and Wallach).

use tlog_tiles::{Hash, HashReader, node_hash, record_hash, stored_hash_count, stored_hash_index};

use crate::error::{LogError, Result};
use crate::hash::{Backend, leaf_hashes_with, node_hashes_with};
use crate::proof::{ConsistencyProof, InclusionProof};

/// The height of every tile: 8, so a full tile holds 256 hashes (C2SP tlog-tiles).
pub const TILE_HEIGHT: u8 = 8;
/// The number of hashes in a full tile, and of entries in a full entry bundle.
pub const TILE_WIDTH: u64 = 1 << TILE_HEIGHT;

/// Leaves hashed into the tree per pass of [`MerkleTree::extend_leaf_hashes`]: small enough
/// that a pass's levels stay in cache, large enough that most nodes are hashed sixteen at a time.
const PASS: usize = 4096;

/// An RFC 6962 Merkle tree held in memory: every stored hash, so that any root, any proof and
/// any tile of any earlier size can be produced.
#[derive(Clone, Default)]
pub struct MerkleTree {
    hashes: Vec<Hash>,
    size: u64,
    backend: Backend,
}

impl std::fmt::Debug for MerkleTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MerkleTree")
            .field("size", &self.size)
            .finish()
    }
}

impl MerkleTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty tree with room for `entries` leaves.
    pub fn with_capacity(entries: u64) -> Self {
        MerkleTree {
            hashes: Vec::with_capacity(stored_hash_count(entries) as usize),
            size: 0,
            backend: Backend::current(),
        }
    }

    /// The same tree, hashing from now on with `backend` (for tests and benches of each path).
    pub fn with_backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The tree over the given RFC 6962 leaf hashes.
    pub fn from_leaf_hashes(leaves: &[Hash]) -> Self {
        let mut tree = Self::with_capacity(leaves.len() as u64);
        tree.extend_leaf_hashes(leaves);
        tree
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends an entry (hashed as an RFC 6962 leaf) and returns its index.
    pub fn push(&mut self, entry: &[u8]) -> u64 {
        self.push_leaf_hash(record_hash(entry))
    }

    /// Appends a leaf by its RFC 6962 leaf hash and returns its index.
    pub fn push_leaf_hash(&mut self, leaf: Hash) -> u64 {
        let index = self.size;
        self.hashes.push(leaf);
        let mut h = leaf;
        let mut level = 0u8;
        let mut m = index;
        while m & 1 == 1 {
            let left = self.hashes[stored_hash_index(level, m - 1) as usize];
            h = node_hash(left, h);
            self.hashes.push(h);
            m >>= 1;
            level += 1;
        }
        self.size += 1;
        index
    }

    /// Appends many entries (each hashed as an RFC 6962 leaf), hashing them and the interior
    /// nodes they complete many at a time; gives the same tree as [`MerkleTree::push`] in turn.
    pub fn extend<E: AsRef<[u8]> + Sync>(&mut self, entries: &[E]) {
        let mut leaves = Vec::with_capacity(PASS.min(entries.len()));
        for pass in entries.chunks(PASS) {
            leaves.clear();
            leaf_hashes_with(self.backend, pass, &mut leaves);
            self.extend_leaf_hashes(&leaves);
        }
    }

    /// Appends many leaves by their RFC 6962 leaf hashes, hashing the interior nodes they
    /// complete many at a time; gives the same tree as [`MerkleTree::push_leaf_hash`] in turn.
    pub fn extend_leaf_hashes(&mut self, leaves: &[Hash]) {
        for pass in leaves.chunks(PASS) {
            self.extend_pass(pass);
        }
    }

    /// One pass of [`MerkleTree::extend_leaf_hashes`].
    ///
    /// Level by level, the nodes that the new leaves complete are computed together: at level
    /// `l` those are the nodes `k` with `start >> l <= k < end >> l`. Their right children are
    /// all new; a left child may be an older node, read from the stored hashes. The hashes are
    /// then stored in the tlog order: each leaf followed by the nodes it completes.
    fn extend_pass(&mut self, leaves: &[Hash]) {
        let start = self.size;
        let end = start + leaves.len() as u64;
        let mut levels: Vec<Vec<Hash>> = vec![leaves.to_vec()];
        let mut pairs: Vec<[u8; 64]> = Vec::with_capacity(leaves.len() / 2 + 1);
        for level in 1u8.. {
            let (lo, hi) = (start >> level, end >> level);
            if lo == hi {
                break;
            }
            let below = &levels[usize::from(level) - 1];
            let below_first = start >> (level - 1);
            let child = |k: u64| -> &Hash {
                match k.checked_sub(below_first) {
                    Some(i) => &below[i as usize],
                    None => &self.hashes[stored_hash_index(level - 1, k) as usize],
                }
            };
            pairs.clear();
            pairs.extend((lo..hi).map(|k| {
                let mut pair = [0u8; 64];
                pair[..32].copy_from_slice(&child(2 * k).0);
                pair[32..].copy_from_slice(&child(2 * k + 1).0);
                pair
            }));
            let mut nodes = Vec::with_capacity(pairs.len());
            node_hashes_with(self.backend, &pairs, &mut nodes);
            levels.push(nodes);
        }
        self.hashes
            .reserve((stored_hash_count(end) - stored_hash_count(start)) as usize);
        for (index, &leaf) in (start..end).zip(leaves) {
            self.hashes.push(leaf);
            let (mut m, mut level) = (index, 0u8);
            while m & 1 == 1 {
                m >>= 1;
                level += 1;
                let first = start >> level;
                self.hashes
                    .push(levels[usize::from(level)][(m - first) as usize]);
            }
        }
        self.size = end;
    }

    /// Drops every leaf from `size` on.
    pub fn truncate(&mut self, size: u64) {
        if size < self.size {
            self.hashes.truncate(stored_hash_count(size) as usize);
            self.size = size;
        }
    }

    /// The leaf hash of entry `index`.
    pub fn leaf_hash(&self, index: u64) -> Option<Hash> {
        (index < self.size).then(|| self.hashes[stored_hash_index(0, index) as usize])
    }

    /// The root hash of the whole tree.
    pub fn root(&self) -> Hash {
        self.root_at(self.size)
            .expect("the tree's own size is in range")
    }

    /// The root hash of the tree's first `size` leaves.
    pub fn root_at(&self, size: u64) -> Result<Hash> {
        self.check_size(size)?;
        tlog_tiles::tree_hash(size, self).map_err(|e| LogError::Proof(e.to_string()))
    }

    /// An inclusion proof for entry `index` in the tree of size `size`.
    pub fn prove_inclusion(&self, index: u64, size: u64) -> Result<InclusionProof> {
        self.check_size(size)?;
        if index >= size {
            return Err(LogError::OutOfRange {
                what: "index",
                value: index,
                size,
            });
        }
        let hashes = tlog_tiles::prove_record(size, index, self)
            .map_err(|e| LogError::Proof(e.to_string()))?;
        Ok(InclusionProof {
            index,
            size,
            hashes,
        })
    }

    /// A consistency proof that the tree of size `old` is a prefix of the tree of size `new`.
    pub fn prove_consistency(&self, old: u64, new: u64) -> Result<ConsistencyProof> {
        self.check_size(new)?;
        if old > new {
            return Err(LogError::OutOfRange {
                what: "old size",
                value: old,
                size: new,
            });
        }
        let hashes = if old == 0 || old == new {
            Vec::new()
        } else {
            tlog_tiles::prove_tree(new, old, self).map_err(|e| LogError::Proof(e.to_string()))?
        };
        Ok(ConsistencyProof {
            old_size: old,
            new_size: new,
            hashes,
        })
    }

    /// The bytes of hash tile `(level, n)` of width `width`: the hashes at tree level
    /// `level * 8`, positions `n * 256 ..  n * 256 + width`, concatenated.
    pub fn tile_data(&self, level: u8, n: u64, width: u32) -> Vec<u8> {
        let mut out = Vec::with_capacity(width as usize * 32);
        let tree_level = level * TILE_HEIGHT;
        for k in 0..u64::from(width) {
            let i = stored_hash_index(tree_level, n * TILE_WIDTH + k) as usize;
            out.extend_from_slice(&self.hashes[i].0);
        }
        out
    }

    fn check_size(&self, size: u64) -> Result<()> {
        if size > self.size {
            return Err(LogError::OutOfRange {
                what: "size",
                value: size,
                size: self.size,
            });
        }
        Ok(())
    }
}

impl HashReader for MerkleTree {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        indexes
            .iter()
            .map(|&i| {
                self.hashes
                    .get(i as usize)
                    .copied()
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(i: u64) -> Vec<u8> {
        let mut e = i.to_be_bytes().to_vec();
        e.resize(20 + (i % 300) as usize, (i % 251) as u8);
        e
    }

    /// The tree built one entry at a time, the reference for the batched paths.
    fn one_by_one(n: u64) -> MerkleTree {
        let mut t = MerkleTree::new();
        for i in 0..n {
            t.push(&entry(i));
        }
        t
    }

    #[test]
    fn extend_builds_the_same_tree_as_push_from_any_starting_size() {
        let n = 2 * PASS as u64 + 700;
        let reference = one_by_one(n);
        let all: Vec<Vec<u8>> = (0..n).map(entry).collect();
        // Start sizes and batch lengths that are odd, powers of two, and across passes; the
        // smallest batches stop early to keep the test quick.
        let cases = [
            (0, 1, 600),
            (1, 2, 1100),
            (3, 5, 2000),
            (255, 258, all.len()),
            (1024, 3000, all.len()),
            (5, 4100, all.len()),
        ];
        for ((first, batch, upto), backend) in
            cases.into_iter().flat_map(|c| Backend::ALL.map(|b| (c, b)))
        {
            let mut t = one_by_one(first).with_backend(backend);
            let mut at = first as usize;
            while at < upto {
                let to = (at + batch).min(upto);
                t.extend(&all[at..to]);
                at = to;
                assert_eq!(t.size(), to as u64);
                assert_eq!(t.root(), reference.root_at(to as u64).unwrap(), "size {to}");
            }
            let stored = stored_hash_count(upto as u64) as usize;
            assert_eq!(
                t.hashes,
                reference.hashes[..stored],
                "start {first}, batch {batch}, {backend:?}"
            );
        }
    }

    #[test]
    fn extend_leaf_hashes_matches_push_leaf_hash() {
        let leaves: Vec<Hash> = (0..1000u64).map(|i| record_hash(&entry(i))).collect();
        let mut a = MerkleTree::new();
        for &l in &leaves {
            a.push_leaf_hash(l);
        }
        let mut b = MerkleTree::new();
        b.extend_leaf_hashes(&leaves[..333]);
        b.extend_leaf_hashes(&leaves[333..]);
        assert_eq!(a.hashes, b.hashes);
        b.extend_leaf_hashes(&[]);
        assert_eq!(b.size(), 1000);
    }
}
