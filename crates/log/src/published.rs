//! Proofs and checks from a log's published files alone (the checkpoint, hash tiles and entry
//! bundles any static HTTP server can serve), as a client or a witness that holds no copy of
//! the log's database reads them. Every tile is authenticated against the checkpoint's root.

use std::path::Path;

use tlog_tiles::TileHashReader;

use crate::tiles::{CHECKPOINT_FILE, DirTileReader, read_bundle};
use accord_log_core::SignedCheckpoint;
use accord_log_core::TILE_WIDTH;
use accord_log_core::monitor::SourceTiles;
use accord_log_core::{ConsistencyProof, InclusionProof, verify_inclusion};
use accord_log_core::{LogError, Result};

/// An entry checked the way a static client checks it.
#[derive(Debug, Clone)]
pub struct VerifiedEntry {
    /// The entry's exact bytes.
    pub entry: Vec<u8>,
    /// The checkpoint it was checked against.
    pub checkpoint: SignedCheckpoint,
    /// The inclusion proof, built from tiles authenticated against that checkpoint.
    pub proof: InclusionProof,
}

/// The signed checkpoint of the log directory `dir`, checked against `vkey`, and a consistency
/// proof from the tree of size `old` to it, built from the hash tiles (each authenticated
/// against the checkpoint's root). For `old` of 0 or at least the checkpoint's size the proof
/// is empty.
pub fn consistency_proof_in_dir(
    dir: &Path,
    old: u64,
    vkey: &str,
) -> Result<(SignedCheckpoint, ConsistencyProof)> {
    let cp = read_checkpoint(dir, Some(vkey))?;
    let proof = prove_consistency_in_dir(dir, &cp, old)?;
    Ok((cp, proof))
}

/// The checkpoint file of the log directory `dir`, its signature checked against `vkey` if given.
pub fn read_checkpoint(dir: &Path, vkey: Option<&str>) -> Result<SignedCheckpoint> {
    let path = dir.join(CHECKPOINT_FILE);
    let note = std::fs::read(&path).map_err(|e| LogError::io(&path, e))?;
    match vkey {
        Some(vkey) => SignedCheckpoint::verify(&note, vkey),
        None => SignedCheckpoint::parse(&note),
    }
}

/// A consistency proof from the tree of size `old` to the tree of checkpoint `cp`, built from
/// the hash tiles of `dir` (each authenticated against `cp`'s root); empty for `old` of 0 or at
/// least `cp`'s size.
pub fn prove_consistency_in_dir(
    dir: &Path,
    cp: &SignedCheckpoint,
    old: u64,
) -> Result<ConsistencyProof> {
    let n = cp.size();
    let hashes = if old == 0 || old >= n {
        Vec::new()
    } else {
        let files = DirTileReader::new(dir);
        let reader = SourceTiles(&files);
        let tiles = TileHashReader::new(n, cp.root(), &reader);
        tlog_tiles::prove_tree(n, old, &tiles).map_err(tiles_not_authentic)?
    };
    Ok(ConsistencyProof {
        old_size: old.min(n),
        new_size: n,
        hashes,
    })
}

/// The root of the first `size` entries of the tree of checkpoint `cp`, from the hash tiles of
/// `dir` (each authenticated against `cp`'s root).
pub fn root_in_dir(dir: &Path, cp: &SignedCheckpoint, size: u64) -> Result<tlog_tiles::Hash> {
    if size > cp.size() {
        return Err(LogError::OutOfRange {
            what: "size",
            value: size,
            size: cp.size(),
        });
    }
    let files = DirTileReader::new(dir);
    let reader = SourceTiles(&files);
    let tiles = TileHashReader::new(cp.size(), cp.root(), &reader);
    tlog_tiles::tree_hash(size, &tiles).map_err(tiles_not_authentic)
}

/// An inclusion proof for entry `index` in the tree of checkpoint `cp`, built from the hash
/// tiles of `dir` (each authenticated against `cp`'s root), and the entry's bytes from its
/// entry bundle; the proof is checked against the entry before it is returned.
pub fn prove_inclusion_in_dir(
    dir: &Path,
    cp: &SignedCheckpoint,
    index: u64,
) -> Result<(Vec<u8>, InclusionProof)> {
    let n = cp.size();
    if index >= n {
        return Err(LogError::OutOfRange {
            what: "index",
            value: index,
            size: n,
        });
    }
    let files = DirTileReader::new(dir);
    let reader = SourceTiles(&files);
    let hashes = TileHashReader::new(n, cp.root(), &reader);
    let proof_hashes = tlog_tiles::prove_record(n, index, &hashes).map_err(tiles_not_authentic)?;
    let b = index / TILE_WIDTH;
    let w = (n - b * TILE_WIDTH).min(TILE_WIDTH) as u32;
    let (bpath, mut entries) = read_bundle(dir, b, w)?;
    let entry = entries.swap_remove((index % TILE_WIDTH) as usize);
    let proof = InclusionProof {
        index,
        size: n,
        hashes: proof_hashes,
    };
    verify_inclusion(&entry, &proof, &cp.root()).map_err(|e| LogError::Tile {
        path: bpath,
        reason: format!(
            "entry {index} and the hash tiles do not authenticate against the checkpoint \
             (this entry bundle or a tile on its path was altered): {e}"
        ),
    })?;
    Ok((entry, proof))
}

/// The error of hash tiles that do not authenticate against a checkpoint's root.
fn tiles_not_authentic(e: tlog_tiles::Error) -> LogError {
    LogError::Tile {
        path: "tile/".into(),
        reason: format!("the hash tiles do not authenticate against the checkpoint: {e}"),
    }
}

/// Checks entry `index` of the log directory `dir` from its files alone: the checkpoint's
/// signature by `vkey`, an inclusion proof built from the hash tiles (each authenticated against
/// the checkpoint's root), and the entry's bytes from its entry bundle.
pub fn verify_entry_in_dir(dir: &Path, index: u64, vkey: &str) -> Result<VerifiedEntry> {
    let cp = read_checkpoint(dir, Some(vkey))?;
    let (entry, proof) = prove_inclusion_in_dir(dir, &cp, index)?;
    Ok(VerifiedEntry {
        entry,
        checkpoint: cp,
        proof,
    })
}
