//! An RFC 6962 Merkle tree over the escrow's leaves, stored the way `tlog_tiles` expects.

use tlog_tiles::{
    Hash, HashReader, check_record, prove_record, stored_hash_count, stored_hashes_for_record_hash,
    tree_hash,
};

/// A complete tree held in memory: every stored hash, indexed by stored-hash index.
pub(crate) struct Tree {
    hashes: Vec<Hash>,
    n: u64,
}

impl HashReader for Tree {
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

impl Tree {
    /// Builds the tree over the given leaf hashes (already `record_hash`ed).
    pub(crate) fn build(leaves: &[Hash]) -> Tree {
        let n = leaves.len() as u64;
        let mut tree = Tree {
            hashes: Vec::with_capacity(stored_hash_count(n) as usize),
            n: 0,
        };
        for (i, leaf) in leaves.iter().enumerate() {
            // Reading our own in-memory vector cannot fail.
            let new = stored_hashes_for_record_hash(i as u64, *leaf, &tree)
                .expect("stored hashes of an in-memory tree");
            tree.hashes.extend(new);
        }
        tree.n = n;
        tree
    }

    /// The root hash.
    pub(crate) fn root(&self) -> Hash {
        tree_hash(self.n, self).expect("root of an in-memory tree")
    }

    /// The inclusion proof of leaf `index`.
    pub(crate) fn prove(&self, index: u64) -> Vec<Hash> {
        prove_record(self.n, index, self).expect("inclusion proof in an in-memory tree")
    }
}

/// Checks that `leaf` sits at `index` (tlog_tiles takes the tree size first) in the tree of `n` leaves with root `root`.
pub(crate) fn check(proof: &[Hash], index: u64, root: Hash, n: u64, leaf: Hash) -> bool {
    index < n && check_record(&proof.to_vec(), n, root, index, leaf).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tlog_tiles::record_hash;

    #[test]
    fn proofs_verify_and_match_rfc6962_shape() {
        let leaves: Vec<Hash> = (0..7u8).map(|i| record_hash(&[i])).collect();
        let t = Tree::build(&leaves);
        let root = t.root();
        // Hand computation for three leaves: node(node(l0,l1), l2).
        let t3 = Tree::build(&leaves[..3]);
        let h = tlog_tiles::node_hash(tlog_tiles::node_hash(leaves[0], leaves[1]), leaves[2]);
        assert_eq!(t3.root(), h);
        for i in 0..7 {
            let p = t.prove(i);
            assert!(check(&p, i, root, 7, leaves[i as usize]));
            assert!(!check(&p, i, root, 7, leaves[(i as usize + 1) % 7]));
        }
        assert!(!check(&t.prove(0), 7, root, 7, leaves[0]));
    }
}
