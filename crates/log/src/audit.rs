//! Re-verifying a whole log directory from its files, as an outside auditor does: every entry
//! bundle, every hash tile, the checkpoint's signature and the chain of stored checkpoints; and
//! the database the log is served from (the directory's SQLite file, or any [`Database`] given)
//! against the published tree.

use std::path::Path;

use serde::Serialize;
use tlog_tiles::Tile;

use crate::database::{Database, Engine, Sqlite};
use crate::log::{DB_FILE, STORED_PASS, stored_checkpoint_notes, stored_entries};
use crate::tiles::{CHECKPOINT_FILE, entries_path, read_bundle, read_hash_tile, tile_path};
use accord_log_core::hash::leaf_hashes;
use accord_log_core::verify_consistency;
use accord_log_core::{LogError, Result};
use accord_log_core::{MerkleTree, TILE_HEIGHT, TILE_WIDTH};
use accord_log_core::{SignedCheckpoint, parse_vkey};

/// A bundle's number, the width needed, and its path and first entries as read.
type BundleRead = (u64, u32, Result<(String, Vec<Vec<u8>>)>);

/// What part of a log directory a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A checkpoint (the `checkpoint` file or one stored in the database).
    Checkpoint,
    /// A hash tile.
    Tile,
    /// An entry bundle file (missing or malformed).
    Bundle,
    /// One entry.
    Entry,
    /// The database the log's entries are served from.
    Database,
}

/// One thing an audit found wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditProblem {
    /// The kind of part.
    pub kind: ProblemKind,
    /// The file path within the log directory (or `log.db`).
    pub path: String,
    /// The entry index, for entry problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.index {
            Some(i) => write!(f, "entry {i} ({}): {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// The outcome of an audit.
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    /// The origin in the checkpoint.
    pub origin: String,
    /// The size in the checkpoint.
    pub size: u64,
    /// The root in the checkpoint (base64).
    pub root: String,
    /// Entries re-hashed.
    pub entries_checked: u64,
    /// Hash tiles compared.
    pub tiles_checked: u64,
    /// Checkpoints whose signature and root were checked.
    pub checkpoints_checked: u64,
    /// Entries of the log's database compared with the published tree (0 without one).
    pub database_entries_checked: u64,
    /// Everything found wrong; empty when the log verifies.
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    /// Whether the log verified.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

fn problem(kind: ProblemKind, path: &str, index: Option<u64>, message: String) -> AuditProblem {
    AuditProblem {
        kind,
        path: path.to_owned(),
        index,
        message,
    }
}

/// Audits the log in `dir` against the log's verifier key `vkey`.
pub fn audit(dir: &Path, vkey: &str) -> Result<AuditReport> {
    audit_with_progress(dir, vkey, &mut |_, _| {})
}

/// [`audit`], calling `progress(entries_done, entries_total)` as it goes.
pub fn audit_with_progress(
    dir: &Path,
    vkey: &str,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<AuditReport> {
    let path = dir.join(DB_FILE);
    let db = if path.is_file() {
        Some(
            Sqlite::open_read_only(&path).map_err(|source| LogError::Db {
                path: path.clone(),
                source: source.into(),
            })?,
        )
    } else {
        None
    };
    audit_in(dir, vkey, db.as_ref().map(|d| d as &dyn Database), progress)
}

/// [`audit_with_progress`] of the log whose published files are in `dir` and whose entries and
/// checkpoints are in `db` (none: the files alone are audited).
pub fn audit_in(
    dir: &Path,
    vkey: &str,
    db: Option<&dyn Database>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<AuditReport> {
    parse_vkey(vkey)?;
    if !dir.is_dir() {
        return Err(LogError::Layout {
            dir: dir.to_owned(),
            reason: "is not a directory".into(),
        });
    }
    let mut problems = Vec::new();
    let note = std::fs::read(dir.join(CHECKPOINT_FILE))
        .map_err(|e| LogError::io(dir.join(CHECKPOINT_FILE), e))?;
    let cp = match SignedCheckpoint::verify(&note, vkey) {
        Ok(cp) => cp,
        Err(e) => {
            problems.push(problem(
                ProblemKind::Checkpoint,
                CHECKPOINT_FILE,
                None,
                e.to_string(),
            ));
            match SignedCheckpoint::parse(&note) {
                Ok(cp) => cp,
                Err(_) => {
                    return Ok(AuditReport {
                        origin: String::new(),
                        size: 0,
                        root: String::new(),
                        entries_checked: 0,
                        tiles_checked: 0,
                        checkpoints_checked: 1,
                        database_entries_checked: 0,
                        problems,
                    });
                }
            }
        }
    };
    let n = cp.size();

    // 1. Re-hash every entry from the entry bundles.
    let mut tree = MerkleTree::with_capacity(n);
    let mut entries_ok = true;
    let bundles = n.div_ceil(TILE_WIDTH);
    let mut bundle_paths = Vec::with_capacity(bundles as usize);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut k0 = 0;
    while k0 < bundles {
        // Read a group of bundles, then hash their entries on every core.
        let group: Vec<u64> = (k0..bundles.min(k0 + 64)).collect();
        k0 += group.len() as u64;
        let read: Vec<BundleRead> = group
            .iter()
            .map(|&k| {
                let w = (n - k * TILE_WIDTH).min(TILE_WIDTH) as u32;
                (k, w, read_bundle(dir, k, w))
            })
            .collect();
        let hash_one = |(k, w, r): &BundleRead| {
            let w = *w;
            match r {
                Err(LogError::Tile { path, reason }) => {
                    Err(problem(ProblemKind::Bundle, path, None, reason.clone()))
                }
                Err(e) => Err(problem(
                    ProblemKind::Bundle,
                    &entries_path(*k, w),
                    None,
                    e.to_string(),
                )),
                Ok((_, es)) => {
                    let mut leaves = Vec::with_capacity(w as usize);
                    leaf_hashes(es, &mut leaves);
                    Ok(leaves)
                }
            }
        };
        let per = read.len().div_ceil(threads).max(1);
        let hashed: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = read
                .chunks(per)
                .map(|part| s.spawn(move || part.iter().map(hash_one).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("hashing does not panic"))
                .collect()
        });
        for ((k, w, r), leaves) in read.iter().zip(hashed) {
            bundle_paths.push(match r {
                Ok((path, _)) => path.clone(),
                Err(_) => entries_path(*k, *w),
            });
            match leaves {
                Ok(ls) => tree.extend_leaf_hashes(&ls),
                Err(p) => {
                    problems.push(p);
                    entries_ok = false;
                    // Keep going with zero hashes so that the tiles can still be compared.
                    tree.extend_leaf_hashes(&vec![tlog_tiles::Hash::default(); *w as usize]);
                }
            }
        }
        progress(tree.size(), n);
    }
    let entries_checked = tree.size();

    // 2. Read every hash tile and compare it with the recomputed one.
    let tiles = Tile::new_tiles(TILE_HEIGHT, 0, n);
    let mut stored: Vec<(Tile, String, Option<Vec<u8>>)> = Vec::with_capacity(tiles.len());
    for t in &tiles {
        match read_hash_tile(dir, t.level(), t.level_index(), t.width()) {
            Ok((path, d)) => stored.push((*t, path, Some(d))),
            Err(LogError::Tile { path, reason }) => {
                problems.push(problem(ProblemKind::Tile, &path, None, reason));
                stored.push((*t, path, None));
            }
            Err(e) => {
                let path = tile_path(t.level(), t.level_index(), t.width());
                problems.push(problem(ProblemKind::Tile, &path, None, e.to_string()));
                stored.push((*t, path, None));
            }
        }
    }
    let tiles_checked = stored.len() as u64;

    // 3. Decide whom to blame: the tree from the entries, or the tree from the level-0 tiles,
    //    whichever matches the signed root.
    let mut good = None;
    if entries_ok && tree.root() == cp.root() {
        good = Some(tree);
    } else {
        let mut from_tiles = MerkleTree::with_capacity(n);
        let mut complete = true;
        for (t, _, d) in stored.iter().filter(|(t, _, _)| t.level() == 0) {
            match d {
                Some(d) => {
                    for h in d.chunks(32) {
                        from_tiles.push_leaf_hash(tlog_tiles::Hash(h.try_into().expect("32")));
                    }
                }
                None => {
                    complete = false;
                    for _ in 0..t.width() {
                        from_tiles.push_leaf_hash(tlog_tiles::Hash::default());
                    }
                }
            }
        }
        if complete && from_tiles.size() == n && from_tiles.root() == cp.root() {
            // The level-0 tiles match the checkpoint: the entries that disagree were altered.
            for k in 0..n {
                if from_tiles.leaf_hash(k) != tree.leaf_hash(k) {
                    let b = k / TILE_WIDTH;
                    let path = bundle_paths
                        .get(b as usize)
                        .cloned()
                        .unwrap_or_else(|| entries_path(b, TILE_WIDTH as u32));
                    if entries_ok || tree.leaf_hash(k) != Some(tlog_tiles::Hash::default()) {
                        problems.push(problem(
                            ProblemKind::Entry,
                            &path,
                            Some(k),
                            "its hash matches neither its hash tile nor the signed root".into(),
                        ));
                    }
                }
            }
            good = Some(from_tiles);
        } else {
            problems.push(problem(
                ProblemKind::Checkpoint,
                CHECKPOINT_FILE,
                None,
                format!(
                    "root {} matches neither the entries (root {}) nor the hash tiles",
                    cp.root(),
                    tree.root()
                ),
            ));
            // Compare tiles against the entries, the best information there is.
            tree_for_tiles(&tree, &stored, &mut problems);
        }
    }
    if let Some(good) = &good {
        tree_for_tiles(good, &stored, &mut problems);
    }

    // 4. The stored checkpoints: signatures, and every root on the one history.
    let mut checkpoints_checked = 1;
    let db_name = db.map(database_name).unwrap_or_default();
    if let (Some(good), Some(db)) = (&good, db) {
        let notes = stored_checkpoint_notes(db)?;
        let mut prev: Option<SignedCheckpoint> = None;
        for (size, note) in notes {
            checkpoints_checked += 1;
            let where_ = format!("{db_name} checkpoint of size {size}");
            let c = match SignedCheckpoint::verify(&note, vkey) {
                Ok(c) if c.size() == size => c,
                Ok(c) => {
                    problems.push(problem(
                        ProblemKind::Checkpoint,
                        &where_,
                        None,
                        format!("is stored as size {size} but says size {}", c.size()),
                    ));
                    continue;
                }
                Err(e) => {
                    problems.push(problem(
                        ProblemKind::Checkpoint,
                        &where_,
                        None,
                        e.to_string(),
                    ));
                    continue;
                }
            };
            if size > n {
                problems.push(problem(
                    ProblemKind::Checkpoint,
                    &where_,
                    None,
                    format!("is newer than the published checkpoint (size {n})"),
                ));
                continue;
            }
            if good.root_at(size)? != c.root() {
                problems.push(problem(
                    ProblemKind::Checkpoint,
                    &where_,
                    None,
                    format!(
                        "root {} is not on the history of the published checkpoint",
                        c.root()
                    ),
                ));
                continue;
            }
            if let Some(p) = &prev {
                let proof = good.prove_consistency(p.size(), c.size())?;
                if let Err(e) = verify_consistency(&proof, &p.root(), &c.root()) {
                    problems.push(problem(
                        ProblemKind::Checkpoint,
                        &where_,
                        None,
                        e.to_string(),
                    ));
                }
            }
            prev = Some(c);
        }
    }

    // 5. The database the log is served from: every entry's bytes and stored leaf hash
    //    against the published tree.
    let database_entries_checked = match (&good, db) {
        (Some(good), Some(db)) => audit_database(db, &db_name, good, &mut problems)?,
        _ => 0,
    };

    Ok(AuditReport {
        origin: cp.origin().to_owned(),
        size: n,
        root: cp.root().to_string(),
        entries_checked,
        tiles_checked,
        checkpoints_checked,
        database_entries_checked,
        problems,
    })
}

/// Problems reported about the database before the rest are only counted.
const DATABASE_PROBLEMS_SHOWN: usize = 100;

/// How problems name the database `db`: the log directory's file, or where a server keeps it.
fn database_name(db: &dyn Database) -> String {
    match db.engine() {
        Engine::Sqlite => DB_FILE.to_owned(),
        Engine::Postgres => db.location().display().to_string(),
    }
}

/// Compares the entries stored in the log's database `db` (named `name` in problems) with the
/// published tree `good`: each of its first `good.size()` entries must be there, hash to the
/// tree's leaf and carry that leaf hash. Returns the number of entries compared.
fn audit_database(
    db: &dyn Database,
    name: &str,
    good: &MerkleTree,
    problems: &mut Vec<AuditProblem>,
) -> Result<u64> {
    let n = good.size();
    let mut found = Vec::new();
    let mut next = 0u64;
    let mut checked = 0u64;
    let mut report = |index: u64, message: String| {
        found.push(problem(ProblemKind::Database, name, Some(index), message));
    };
    let mut batch: Vec<(u64, Vec<u8>, Vec<u8>)> = Vec::with_capacity(STORED_PASS);
    let mut leaves = Vec::with_capacity(STORED_PASS);
    let mut check = |batch: &mut Vec<(u64, Vec<u8>, Vec<u8>)>,
                     report: &mut dyn FnMut(u64, String)| {
        leaves.clear();
        leaf_hashes(
            &batch.iter().map(|(_, d, _)| d).collect::<Vec<_>>(),
            &mut leaves,
        );
        for ((idx, _, stored), leaf) in batch.iter().zip(&leaves) {
            let published = good.leaf_hash(*idx);
            if Some(*leaf) != published {
                report(
                    *idx,
                    "its bytes differ from the published entry (their hash is not the leaf \
                     in the hash tiles and under the signed root)"
                        .into(),
                );
            } else if stored[..] != leaf.0[..] {
                report(
                    *idx,
                    "its stored leaf hash is not the hash of its bytes".into(),
                );
            }
        }
        checked += batch.len() as u64;
        batch.clear();
    };
    stored_entries(db, n, &mut |idx, data, leaf| {
        while next < idx {
            report(next, "is missing".into());
            next += 1;
        }
        next = idx + 1;
        batch.push((idx, data, leaf));
        if batch.len() == STORED_PASS {
            check(&mut batch, &mut report);
        }
    })?;
    check(&mut batch, &mut report);
    while next < n {
        report(next, "is missing".into());
        next += 1;
    }
    let extra = found.len().saturating_sub(DATABASE_PROBLEMS_SHOWN);
    found.truncate(DATABASE_PROBLEMS_SHOWN);
    problems.extend(found);
    if extra > 0 {
        problems.push(problem(
            ProblemKind::Database,
            name,
            None,
            format!("{extra} more entries are wrong"),
        ));
    }
    Ok(checked)
}

fn tree_for_tiles(
    tree: &MerkleTree,
    stored: &[(Tile, String, Option<Vec<u8>>)],
    problems: &mut Vec<AuditProblem>,
) {
    for (t, path, d) in stored {
        let Some(d) = d else { continue };
        let want = tree.tile_data(t.level(), t.level_index(), t.width());
        if *d != want {
            let k = d
                .chunks(32)
                .zip(want.chunks(32))
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            problems.push(problem(
                ProblemKind::Tile,
                path,
                None,
                format!("hash {k} differs from the one recomputed from the log"),
            ));
        }
    }
}
