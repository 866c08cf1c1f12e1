//! Following a log from outside, as a monitor does: from its published files alone (the
//! checkpoint, hash tiles and entry bundles, fetched from wherever they are served), check
//! every new checkpoint's signature and its consistency with the last one seen, and hash every
//! new entry into the tree that checkpoint signs.
//!
//! The monitor keeps only the last checkpoint and the right edge of its tree (the roots of the
//! complete subtrees, at most 64 hashes), so following a log costs its growth, not its size.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tlog_tiles::{Tile, TileHashReader, TileReader, node_hash};

use crate::Hash;
use crate::checkpoint::SignedCheckpoint;
use crate::error::{Equivocation, LogError, Result};
use crate::hash::leaf_hashes;
use crate::proof::{ConsistencyProof, verify_consistency};
use crate::tiles::{CHECKPOINT_FILE, decode_bundle, entries_path, tile_path};
use crate::tree::{MerkleTree, TILE_HEIGHT, TILE_WIDTH};

/// Entry bundles fetched together, then hashed together on all cores while the next group is
/// fetched.
const FETCH_GROUP: usize = 64;

/// Where a log's published files come from (a directory, an HTTP server).
pub trait TileSource {
    /// The bytes of the file at `path` (`checkpoint`, `tile/...`); `Ok(None)` if there is none.
    fn fetch(&self, path: &str) -> Result<Option<Vec<u8>>>;
}

/// What a monitor remembers of a log between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorState {
    /// The last checkpoint verified, as its note.
    pub checkpoint: String,
    /// The roots of the complete subtrees of that checkpoint's tree, largest first.
    pub frontier: Vec<String>,
}

/// What one look at a log found.
#[derive(Debug, Clone, PartialEq)]
pub struct MonitorStep {
    /// The size seen before (0 at first).
    pub from: u64,
    /// The verified checkpoint now.
    pub checkpoint: SignedCheckpoint,
}

/// The right edge of a tree: the roots of its complete subtrees, largest first.
#[derive(Debug, Clone, Default)]
struct Frontier {
    /// (level, hash) with strictly decreasing levels.
    nodes: Vec<(u8, Hash)>,
}

impl Frontier {
    fn push(&mut self, mut level: u8, mut hash: Hash) {
        while let Some(&(l, left)) = self.nodes.last() {
            if l != level {
                break;
            }
            self.nodes.pop();
            hash = node_hash(left, hash);
            level += 1;
        }
        self.nodes.push((level, hash));
    }

    fn root(&self) -> Hash {
        let mut it = self.nodes.iter().rev();
        let Some(&(_, mut root)) = it.next() else {
            return MerkleTree::new().root();
        };
        for &(_, left) in it {
            root = node_hash(left, root);
        }
        root
    }

    /// The frontier of a tree of `size` from its hashes, largest subtree first.
    fn from_hashes(size: u64, hashes: &[Hash]) -> Option<Self> {
        let levels: Vec<u8> = (0..64u8).rev().filter(|l| size >> l & 1 == 1).collect();
        (levels.len() == hashes.len()).then(|| Frontier {
            nodes: levels.into_iter().zip(hashes.iter().copied()).collect(),
        })
    }
}

/// Reads hash tiles from a [`TileSource`] for `tlog_tiles::TileHashReader`, which
/// authenticates them against the checkpoint's root; a missing partial tile is read from the
/// full one, and a tile whose length is not what its path says is refused.
pub struct SourceTiles<'a, S: TileSource + ?Sized>(pub &'a S);

impl<S: TileSource + ?Sized> TileReader for SourceTiles<'_, S> {
    fn height(&self) -> u8 {
        TILE_HEIGHT
    }

    fn read_tiles(&self, tiles: &[Tile]) -> Result<Vec<Vec<u8>>, tlog_tiles::Error> {
        tiles
            .iter()
            .map(|t| {
                let want = t.width() as usize * 32;
                let exact = tile_path(t.level(), t.level_index(), t.width());
                let full = tile_path(t.level(), t.level_index(), TILE_WIDTH as u32);
                let data = match self.0.fetch(&exact) {
                    Ok(Some(d)) if d.len() == want => Some(d),
                    Ok(None) if exact != full => match self.0.fetch(&full) {
                        Ok(Some(d)) if d.len() == TILE_WIDTH as usize * 32 => Some(d),
                        _ => None,
                    },
                    _ => None,
                };
                let mut d = data.ok_or(tlog_tiles::Error::InvalidTile)?;
                d.truncate(want);
                Ok(d)
            })
            .collect()
    }

    fn save_tiles(&self, _tiles: &[Tile], _data: &[Vec<u8>]) {}
}

/// Entry bundle `n` of a tree of size `size` as served: the exact partial bundle, or the full
/// one where the partial is gone. Gives its path, bytes and how many of its entries the tree
/// holds.
fn fetch_bundle<S: TileSource + ?Sized>(
    source: &S,
    n: u64,
    size: u64,
) -> Result<(String, Vec<u8>, usize)> {
    let width = (size - n * TILE_WIDTH).min(TILE_WIDTH) as u32;
    let exact = entries_path(n, width);
    let full = entries_path(n, TILE_WIDTH as u32);
    let (path, data) = match source.fetch(&exact)? {
        Some(d) => (exact, d),
        None if width != TILE_WIDTH as u32 => match source.fetch(&full)? {
            Some(d) => (full, d),
            None => return Err(missing(&exact)),
        },
        None => return Err(missing(&exact)),
    };
    Ok((path, data, width as usize))
}

/// What a bundle adds to the tree edge: one subtree root for a whole full bundle, else the
/// leaf hashes of its new entries.
enum BundleHashes {
    Subtree(Hash),
    Leaves(Vec<Hash>),
}

/// Decodes a fetched bundle (which must hold exactly the entries its path says) and hashes its
/// entries from `skip` to `width`.
fn hash_bundle(path: &str, data: &[u8], width: usize, skip: usize) -> Result<BundleHashes> {
    let entries = decode_bundle(path, data)?;
    let declared = if path.contains(".p/") {
        width
    } else {
        TILE_WIDTH as usize
    };
    if entries.len() != declared {
        return Err(LogError::Tile {
            path: path.to_owned(),
            reason: format!("holds {} entries; its path says {declared}", entries.len()),
        });
    }
    let mut leaves = Vec::with_capacity(width - skip);
    leaf_hashes(&entries[skip..width], &mut leaves);
    Ok(if leaves.len() == TILE_WIDTH as usize {
        BundleHashes::Subtree(MerkleTree::from_leaf_hashes(&leaves).root())
    } else {
        BundleHashes::Leaves(leaves)
    })
}

/// Hashes a group of fetched bundles (numbers `group`) on all cores, those before `from`'s
/// bundle from their first entry on, the one holding `from` from that entry on.
fn hash_group(
    group: &[u64],
    fetched: &[(String, Vec<u8>, usize)],
    from: u64,
) -> Result<Vec<BundleHashes>> {
    group
        .par_iter()
        .zip(fetched.par_iter())
        .map(|(&n, (path, data, width))| {
            let skip = from.saturating_sub(n * TILE_WIDTH) as usize;
            hash_bundle(path, data, *width, skip)
        })
        .collect()
}

/// The result of a hashing thread (its panic, a bug, goes on unwinding here).
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn missing(path: &str) -> LogError {
    LogError::Tile {
        path: path.to_owned(),
        reason: "is not served".into(),
    }
}

/// Looks at the log served by `source` once: verifies its checkpoint with `vkey`, and if it
/// grew since `state`, its consistency with the checkpoint in `state` and every new entry;
/// then updates `state`. `progress(done, total)` counts entries hashed.
///
/// Two checkpoints signed by the log that cannot both be true (another root at the same size,
/// or a larger tree that does not extend the one seen) are [`LogError::Equivocation`], with
/// both notes; a checkpoint older than the one seen, or files that do not hash to the signed
/// root, are other errors. `state` changes only when everything verified.
pub fn monitor_step<S: TileSource + ?Sized>(
    source: &S,
    vkey: &str,
    state: &mut Option<MonitorState>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<MonitorStep> {
    let note = source
        .fetch(CHECKPOINT_FILE)?
        .ok_or_else(|| missing(CHECKPOINT_FILE))?;
    let new = SignedCheckpoint::verify(&note, vkey)?;
    let (old, mut frontier) = match state {
        None => (None, Frontier::default()),
        Some(s) => {
            let old = SignedCheckpoint::verify(s.checkpoint.as_bytes(), vkey)?;
            let hashes = s
                .frontier
                .iter()
                .map(|h| crate::parse_hash(h))
                .collect::<Result<Vec<_>>>()?;
            let frontier = Frontier::from_hashes(old.size(), &hashes)
                .filter(|f| f.root() == old.root())
                .ok_or_else(|| {
                    LogError::Checkpoint(
                        "the monitor's state is damaged: its tree edge does not give the root \
                         of its checkpoint"
                            .into(),
                    )
                })?;
            (Some(old), frontier)
        }
    };
    let from = old.as_ref().map_or(0, SignedCheckpoint::size);
    if let Some(old) = &old {
        if new.origin() != old.origin() {
            return Err(LogError::Checkpoint(format!(
                "origin {:?} is not the monitored log's {:?}",
                new.origin(),
                old.origin()
            )));
        }
        if new.size() < old.size() {
            return Err(LogError::Proof(format!(
                "the log serves a checkpoint of size {}, older than the one seen (size {})",
                new.size(),
                old.size()
            )));
        }
        if new.size() == old.size() {
            if new.root() != old.root() {
                return Err(LogError::Equivocation(Box::new(Equivocation::new(
                    old.clone(),
                    new,
                ))));
            }
            return Ok(MonitorStep {
                from,
                checkpoint: new,
            });
        }
        if from > 0 {
            let reader = SourceTiles(source);
            let tiles = TileHashReader::new(new.size(), new.root(), &reader);
            let proof =
                tlog_tiles::prove_tree(new.size(), from, &tiles).map_err(|e| LogError::Tile {
                    path: "tile/".into(),
                    reason: format!(
                        "the hash tiles do not authenticate against the checkpoint: {e}"
                    ),
                })?;
            let proof = ConsistencyProof {
                old_size: from,
                new_size: new.size(),
                hashes: proof,
            };
            if verify_consistency(&proof, &old.root(), &new.root()).is_err() {
                return Err(LogError::Equivocation(Box::new(Equivocation::new(
                    old.clone(),
                    new,
                ))));
            }
        }
    }

    // Every new entry, hashed into the tree edge; whole bundles as one subtree each. Bundles
    // are fetched in order, a group at a time, on this thread, while the group fetched before
    // is hashed on all cores (the source need not be shared between threads).
    let to = new.size();
    let bundles: Vec<u64> = (from / TILE_WIDTH..to.div_ceil(TILE_WIDTH)).collect();
    let mut add = |group: &[u64], hashed: Vec<BundleHashes>| {
        for (&n, bundle) in group.iter().zip(hashed) {
            match bundle {
                BundleHashes::Subtree(root) => frontier.push(TILE_HEIGHT, root),
                BundleHashes::Leaves(leaves) => {
                    for leaf in leaves {
                        frontier.push(0, leaf);
                    }
                }
            }
            let done = (n * TILE_WIDTH + TILE_WIDTH).min(to);
            progress(done - from, to - from);
        }
    };
    std::thread::scope(|scope| -> Result<()> {
        let mut hashing = None;
        for group in bundles.chunks(FETCH_GROUP) {
            let fetched = group
                .iter()
                .map(|&n| fetch_bundle(source, n, to))
                .collect::<Result<Vec<_>>>();
            // The group before is added first (in order), whether or not this one fetched.
            if let Some((before, handle)) = hashing.take() {
                add(before, joined(handle)?);
            }
            let fetched = fetched?;
            hashing = Some((
                group,
                scope.spawn(move || hash_group(group, &fetched, from)),
            ));
        }
        if let Some((before, handle)) = hashing {
            add(before, joined(handle)?);
        }
        Ok(())
    })?;
    if frontier.root() != new.root() {
        return Err(LogError::Tile {
            path: "tile/entries/".into(),
            reason: format!(
                "entries {from} to {to} do not hash to the root the checkpoint of size {to} signs"
            ),
        });
    }
    *state = Some(MonitorState {
        checkpoint: new.as_str().to_owned(),
        frontier: frontier.nodes.iter().map(|(_, h)| h.to_string()).collect(),
    });
    Ok(MonitorStep {
        from,
        checkpoint: new,
    })
}
