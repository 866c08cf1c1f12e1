//! An in-memory RFC 6962 Merkle tree, stored in the tlog hash order (Crosby and Wallach).

use tlog_tiles::{Hash, HashReader, node_hash, record_hash, stored_hash_count, stored_hash_index};

use crate::error::{LogError, Result};
use crate::proof::{ConsistencyProof, InclusionProof};

/// The height of every tile: 8, so a full tile holds 256 hashes (C2SP tlog-tiles).
pub const TILE_HEIGHT: u8 = 8;
/// The number of hashes in a full tile, and of entries in a full entry bundle.
pub const TILE_WIDTH: u64 = 1 << TILE_HEIGHT;

/// An RFC 6962 Merkle tree held in memory: every stored hash, so that any root, any proof and
/// any tile of any earlier size can be produced.
#[derive(Clone, Default)]
pub struct MerkleTree {
    hashes: Vec<Hash>,
    size: u64,
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
        }
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
