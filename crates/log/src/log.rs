//! The log itself: a database for durable sequencing (SQLite in WAL mode in the log's
//! directory, or another [`Database`]), tiles and the checkpoint on disk.

use std::ops::Range;
use std::path::{Path, PathBuf};

use accord_model::PartyId;
use tlog_tiles::{Hash, Tile};

use accord_log_core::hash::leaf_hashes;
use accord_log_core::{
    ConsistencyProof, Equivocation, InclusionProof, LogError, LogKey, MerkleTree, Result,
    SignedCheckpoint, TILE_HEIGHT, TILE_WIDTH,
};

use crate::database::{Database, DbError, Durability, Sqlite, Value, transaction};
use crate::tiles::{CHECKPOINT_FILE, encode_entry, entries_path, tile_path, write_atomic};

/// The SQLite database in a log directory.
pub const DB_FILE: &str = "log.db";
/// The file holding the log's verifier key, for convenience; auditors should get the key from
/// the log's owner, not from the directory they audit.
pub const VKEY_FILE: &str = "vkey";

/// Leaf hashes read from the database per tree extension when a log is reopened.
const REBUILD_PASS: usize = 1 << 16;

/// The tables of a log, in the SQL every [`Database`] runs.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL, leaf BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (size INTEGER PRIMARY KEY, note BLOB NOT NULL);
";

/// Stores `note` as the checkpoint of size `size`, replacing one stored at that size.
const PUT_CHECKPOINT: &str = "INSERT INTO checkpoints(size, note) VALUES (?1, ?2)
     ON CONFLICT(size) DO UPDATE SET note = excluded.note";

/// Sets a `meta` value.
const PUT_META: &str = "INSERT INTO meta(key, value) VALUES (?1, ?2)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value";

/// The function that names the database `db` in its errors.
pub(crate) fn db_error(db: &dyn Database) -> impl Fn(DbError) -> LogError + use<> {
    let path = db.location();
    move |source| LogError::Db {
        path: path.clone(),
        source: source.into(),
    }
}

/// Whose log a directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Our own log, which we sign.
    Own,
    /// A mirror of a peer's log, holding the peer's signed checkpoints.
    Mirror,
}

/// A tamper-evident, append-only Merkle log in a directory.
///
/// Entries are opaque bytes (in accord, the exact bytes of DSSE envelopes). Every append is
/// committed to SQLite (WAL, `synchronous=FULL`) before it is acknowledged, then its hash tiles,
/// entry bundles and a new signed checkpoint are written at their C2SP tlog-tiles paths, so
/// any static HTTP server can serve the directory to auditors.
///
/// ```
/// use accord_log::{Log, LogKey, verify_inclusion, SignedCheckpoint};
/// # let tmp = tempfile::tempdir().unwrap();
/// # let dir = tmp.path().join("us-log");
/// let key = LogKey::generate("accord.example/US").unwrap();
/// let mut log = Log::create(&dir, "accord.example/US", &key).unwrap();
///
/// // Write a batch of records (DSSE envelope bytes) in one durable commit.
/// let envelopes: Vec<Vec<u8>> = vec![b"{\"payload\":\"...\"}".to_vec(); 3];
/// let indices = log.append_batch(&envelopes).unwrap();
/// assert_eq!(indices, 0..3);
///
/// // Anyone holding the verifier key checks the checkpoint, then the inclusion proof.
/// let note = log.checkpoint().note().to_vec();
/// let cp = SignedCheckpoint::verify(&note, key.vkey()).unwrap();
/// let proof = log.prove_inclusion(1, cp.size()).unwrap();
/// verify_inclusion(&log.entry(1).unwrap(), &proof, &cp.root()).unwrap();
/// ```
pub struct Log {
    dir: PathBuf,
    db: Box<dyn Database>,
    origin: String,
    vkey: String,
    role: Role,
    party: Option<PartyId>,
    key: Option<LogKey>,
    /// Keys that sign each new checkpoint beside `key` (a rotation's overlap).
    cosigning: Vec<LogKey>,
    /// The verifier keys whose signature makes a checkpoint of this log valid here.
    accepted: Vec<String>,
    tree: MerkleTree,
    /// The entries of the trailing, not yet full, entry bundle.
    bundle: Vec<Vec<u8>>,
    checkpoint: SignedCheckpoint,
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Log")
            .field("dir", &self.dir)
            .field("origin", &self.origin)
            .field("size", &self.tree.size())
            .finish()
    }
}

/// Opens the SQLite database of the log directory `dir` for durable writes, with the log's
/// tables.
fn sqlite(dir: &Path) -> Result<Box<dyn Database>> {
    Ok(Box::new(connect(&dir.join(DB_FILE), SCHEMA)?))
}

impl Log {
    /// Creates a new, empty log in `dir` (created if missing) under `origin`, signed by `key`.
    pub fn create(dir: &Path, origin: &str, key: &LogKey) -> Result<Log> {
        std::fs::create_dir_all(dir).map_err(|e| LogError::io(dir, e))?;
        Self::create_in(dir, sqlite(dir)?, origin, key)
    }

    /// Creates a new, empty log under `origin`, signed by `key`, sequenced in `db` (which holds
    /// no log yet), its files in `dir`.
    pub fn create_in(dir: &Path, db: Box<dyn Database>, origin: &str, key: &LogKey) -> Result<Log> {
        let checkpoint = key.sign(origin, 0, MerkleTree::new().root())?;
        Self::init(
            dir,
            &*db,
            origin,
            key.vkey(),
            Role::Own,
            None,
            Some(checkpoint),
        )?;
        Self::open_in(dir, db, key)
    }

    /// Opens an existing log of ours for appending, recovering from a crash if needed.
    pub fn open(dir: &Path, key: &LogKey) -> Result<Log> {
        Self::open_in(dir, Self::existing(dir)?, key)
    }

    /// The SQLite database of the log in `dir`, refused if `dir` holds no log.
    fn existing(dir: &Path) -> Result<Box<dyn Database>> {
        if !Self::exists(dir) {
            return Err(LogError::Layout {
                dir: dir.to_owned(),
                reason: format!("holds no log ({DB_FILE} is missing or was never initialised)"),
            });
        }
        sqlite(dir)
    }

    /// Opens our log sequenced in `db`, its files in `dir`, for appending, recovering from a
    /// crash if needed.
    pub fn open_in(dir: &Path, db: Box<dyn Database>, key: &LogKey) -> Result<Log> {
        let mut log = Self::open_inner(dir, db, Some(key.clone()))?;
        if log.role != Role::Own {
            return Err(log.layout("is a mirror of a peer's log; open it with Log::open_reader"));
        }
        if log.vkey != key.vkey() {
            return Err(log.layout(&format!(
                "is signed by {}, not by the key given ({})",
                log.vkey,
                key.vkey()
            )));
        }
        log.recover()?;
        Ok(log)
    }

    /// Creates a log with `key` in `dir` if it holds none yet, else opens it.
    pub fn open_or_create(dir: &Path, origin: &str, key: &LogKey) -> Result<Log> {
        if Self::exists(dir) {
            Self::open(dir, key)
        } else {
            Self::create(dir, origin, key)
        }
    }

    /// Whether `dir` holds a log (a database whose creation was committed).
    pub fn exists(dir: &Path) -> bool {
        let path = dir.join(DB_FILE);
        path.exists()
            && Sqlite::open_read_only(&path).is_ok_and(|db| Self::exists_in(&db).unwrap_or(false))
    }

    /// Whether `db` holds a log (its creation was committed).
    pub fn exists_in(db: &dyn Database) -> Result<bool> {
        if !db.has_table("meta").map_err(db_error(db))? {
            return Ok(false);
        }
        Ok(db
            .value("SELECT value FROM meta WHERE key = 'origin'", &[])
            .map_err(db_error(db))?
            .is_some())
    }

    /// Opens a log (ours or a mirror) to read entries and make proofs, without its key.
    pub fn open_reader(dir: &Path) -> Result<Log> {
        Self::open_inner(dir, Self::existing(dir)?, None)
    }

    /// Opens a log (ours or a mirror) sequenced in `db`, its files in `dir`, to read entries
    /// and make proofs, without its key.
    pub fn open_reader_in(dir: &Path, db: Box<dyn Database>) -> Result<Log> {
        Self::open_inner(dir, db, None)
    }

    /// Creates an empty mirror of `party`'s log `origin`, whose checkpoints verify with `peer_vkey`.
    pub fn create_mirror(
        dir: &Path,
        party: &PartyId,
        origin: &str,
        peer_vkey: &str,
    ) -> Result<Log> {
        std::fs::create_dir_all(dir).map_err(|e| LogError::io(dir, e))?;
        Self::create_mirror_in(dir, sqlite(dir)?, party, origin, peer_vkey)
    }

    /// Creates an empty mirror of `party`'s log `origin` sequenced in `db` (which holds no log
    /// yet), its files in `dir`, whose checkpoints verify with `peer_vkey`.
    pub fn create_mirror_in(
        dir: &Path,
        db: Box<dyn Database>,
        party: &PartyId,
        origin: &str,
        peer_vkey: &str,
    ) -> Result<Log> {
        accord_log_core::parse_vkey(peer_vkey)?;
        Self::init(
            dir,
            &*db,
            origin,
            peer_vkey.trim(),
            Role::Mirror,
            Some(party),
            None,
        )?;
        Self::open_inner(dir, db, None)
    }

    fn init(
        dir: &Path,
        db: &dyn Database,
        origin: &str,
        vkey: &str,
        role: Role,
        party: Option<&PartyId>,
        checkpoint: Option<SignedCheckpoint>,
    ) -> Result<()> {
        db.batch(SCHEMA).map_err(db_error(db))?;
        if Self::exists_in(db)? {
            return Err(LogError::Layout {
                dir: dir.to_owned(),
                reason: "already holds a log".into(),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| LogError::io(dir, e))?;
        let role_s = match role {
            Role::Own => "own",
            Role::Mirror => "mirror",
        };
        let mut meta = vec![("origin", origin), ("vkey", vkey), ("role", role_s)];
        if let Some(p) = party {
            meta.push(("party", p.as_str()));
        }
        transaction(db, false, |tx| {
            for (k, v) in meta {
                tx.execute(
                    "INSERT INTO meta(key, value) VALUES (?1, ?2)",
                    &[k.into(), v.into()],
                )?;
            }
            if let Some(cp) = &checkpoint {
                tx.execute(PUT_CHECKPOINT, &[0i64.into(), cp.note().into()])?;
            }
            Ok::<_, DbError>(())
        })
        .map_err(db_error(db))?;
        write_atomic(dir, VKEY_FILE, format!("{vkey}\n").as_bytes())?;
        if let Some(cp) = &checkpoint {
            write_atomic(dir, CHECKPOINT_FILE, cp.note())?;
        }
        Ok(())
    }

    fn open_inner(dir: &Path, db: Box<dyn Database>, key: Option<LogKey>) -> Result<Log> {
        if !Self::exists_in(&*db)? {
            return Err(LogError::Layout {
                dir: dir.to_owned(),
                reason: format!(
                    "holds no log ({} holds none, or its creation was never committed)",
                    db.location().display()
                ),
            });
        }
        let err = db_error(&*db);
        let meta = |k: &str| -> Result<Option<String>> {
            db.value("SELECT value FROM meta WHERE key = ?1", &[k.into()])
                .and_then(|v| v.map(|v| v.text()).transpose())
                .map_err(&err)
        };
        let missing = |k: &str| LogError::Layout {
            dir: dir.to_owned(),
            reason: format!("{DB_FILE} lacks the {k} setting"),
        };
        let origin = meta("origin")?.ok_or_else(|| missing("origin"))?;
        let vkey = meta("vkey")?.ok_or_else(|| missing("vkey"))?;
        let role = match meta("role")?.as_deref() {
            Some("own") => Role::Own,
            Some("mirror") => Role::Mirror,
            _ => return Err(missing("role")),
        };
        let party = meta("party")?.and_then(|p| PartyId::new(p).ok());

        // Rebuild the tree from the durable leaf hashes.
        let count = db
            .value("SELECT COUNT(*) FROM entries", &[])
            .and_then(|v| v.map_or(Ok(0), |v| v.size()))
            .map_err(&err)?;
        let mut tree = MerkleTree::with_capacity(count);
        {
            let mut pending = Vec::with_capacity(REBUILD_PASS);
            let mut damage: Option<LogError> = None;
            let walked = db.each_row(
                "SELECT idx, leaf FROM entries ORDER BY idx",
                &[],
                &mut |row| {
                    let idx = row[0].int()?;
                    let layout = |reason: String| LogError::Layout {
                        dir: dir.to_owned(),
                        reason,
                    };
                    let leaf: Option<[u8; 32]> = row[1].blob()?.try_into().ok();
                    let expected = tree.size() + pending.len() as u64;
                    let problem = match leaf {
                        None => Some(format!("{DB_FILE}: entry {idx} has a malformed leaf hash")),
                        Some(_) if idx as u64 != expected => Some(format!(
                            "{DB_FILE}: entry {expected} is missing (found {idx})"
                        )),
                        Some(_) => None,
                    };
                    if let Some(reason) = problem {
                        damage = Some(layout(reason));
                        return Err(DbError::Value("a damaged log".into()));
                    }
                    pending.push(Hash(leaf.unwrap_or_default()));
                    if pending.len() == REBUILD_PASS {
                        tree.extend_leaf_hashes(&pending);
                        pending.clear();
                    }
                    Ok(())
                },
            );
            walked.map_err(|e| damage.take().unwrap_or_else(|| err(e)))?;
            tree.extend_leaf_hashes(&pending);
        }
        let note: Option<Vec<u8>> = db
            .value(
                "SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1",
                &[],
            )
            .and_then(|v| v.map(|v| v.blob()).transpose())
            .map_err(&err)?;
        let checkpoint = match note {
            Some(n) => SignedCheckpoint::parse(&n)?,
            None => {
                // A mirror that has not yet received a checkpoint.
                SignedCheckpoint::parse(&unsigned_empty_note(&origin))?
            }
        };
        if checkpoint.size() > tree.size() || tree.root_at(checkpoint.size())? != checkpoint.root()
        {
            return Err(LogError::Layout {
                dir: dir.to_owned(),
                reason: format!(
                    "{DB_FILE}: the latest checkpoint (size {}) does not match the stored entries",
                    checkpoint.size()
                ),
            });
        }
        let bundle_start = tree.size() / TILE_WIDTH * TILE_WIDTH;
        let mut log = Log {
            dir: dir.to_owned(),
            db,
            origin,
            vkey: vkey.clone(),
            role,
            party,
            key,
            cosigning: Vec::new(),
            accepted: vec![vkey.clone()],
            tree,
            bundle: Vec::new(),
            checkpoint,
        };
        log.bundle = log.entries(bundle_start..log.tree.size())?;
        Ok(log)
    }

    /// Writes every published file of the log in `dir` (hash tiles, entry bundles, the
    /// checkpoint and `vkey` files) again from its database, removing any tile the database
    /// does not back: after a restore from a backup, the files agree with the database exactly.
    pub fn republish(dir: &Path) -> Result<()> {
        Self::republish_in(dir, Self::existing(dir)?)
    }

    /// Writes every published file of the log sequenced in `db` in `dir` again, as
    /// [`Log::republish`] does.
    pub fn republish_in(dir: &Path, db: Box<dyn Database>) -> Result<()> {
        Self::open_inner(dir, db, None)?.republish_files()
    }

    /// Writes every published file of this log again from its database, as
    /// [`Log::republish`] does.
    pub fn republish_files(&mut self) -> Result<()> {
        let log = self;
        let dir = log.dir.clone();
        let tiles = dir.join("tile");
        match std::fs::remove_dir_all(&tiles) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(LogError::io(&tiles, e)),
        }
        let _ = std::fs::remove_file(dir.join(CHECKPOINT_FILE));
        write_atomic(&log.dir, VKEY_FILE, format!("{}\n", log.vkey).as_bytes())?;
        log.bundle.clear();
        let all = log.entries(0..log.tree.size())?;
        if log.tree.size() > 0 || log.role == Role::Own {
            log.publish(0, &all)?;
        }
        Ok(())
    }

    /// Re-derives tiles and the checkpoint file when they lag the durable entries (after a
    /// crash between the commit and the writing of the tiles).
    fn recover(&mut self) -> Result<()> {
        if !self.dir.join(VKEY_FILE).exists() {
            write_atomic(&self.dir, VKEY_FILE, format!("{}\n", self.vkey).as_bytes())?;
        }
        let n = self.tree.size();
        let published = std::fs::read(self.dir.join(CHECKPOINT_FILE))
            .ok()
            .and_then(|b| SignedCheckpoint::parse(&b).ok())
            .filter(|cp| {
                cp.size() <= n
                    && self.tree.root_at(cp.size()).ok() == Some(cp.root())
                    && cp.origin() == self.origin
            })
            .map_or(0, |cp| cp.size());
        if published == n && self.published_matches() {
            return Ok(());
        }
        let start = published / TILE_WIDTH * TILE_WIDTH;
        self.bundle = self.entries(start..published)?;
        let rest = self.entries(published..n)?;
        self.publish(published, &rest)
    }

    fn published_matches(&self) -> bool {
        std::fs::read(self.dir.join(CHECKPOINT_FILE))
            .ok()
            .as_deref()
            == Some(self.checkpoint.note())
    }

    /// Writes hash tiles, entry bundles and the checkpoint file for the growth from size `from`
    /// to the current size; `new_entries` are the entries from `from` on, and `self.bundle`
    /// holds those of the bundle `from` falls in.
    fn publish<T: AsRef<[u8]>>(&mut self, from: u64, new_entries: &[T]) -> Result<()> {
        let to = self.tree.size();
        for t in Tile::new_tiles(TILE_HEIGHT, from, to) {
            let data = self.tree.tile_data(t.level(), t.level_index(), t.width());
            write_atomic(
                &self.dir,
                &tile_path(t.level(), t.level_index(), t.width()),
                &data,
            )?;
            if u64::from(t.width()) == TILE_WIDTH {
                let p = self.dir.join(format!(
                    "{}.p",
                    tile_path(t.level(), t.level_index(), TILE_WIDTH as u32)
                ));
                let _ = std::fs::remove_dir_all(p);
            }
        }
        let mut idx = from;
        for e in new_entries {
            self.bundle.push(e.as_ref().to_vec());
            idx += 1;
            if self.bundle.len() as u64 == TILE_WIDTH {
                let n = (idx - 1) / TILE_WIDTH;
                self.write_bundle(n)?;
                self.bundle.clear();
                let _ = std::fs::remove_dir_all(
                    self.dir
                        .join(format!("{}.p", entries_path(n, TILE_WIDTH as u32))),
                );
            }
        }
        if !self.bundle.is_empty() && !new_entries.is_empty() {
            self.write_bundle(idx / TILE_WIDTH)?;
        }
        if !self.published_matches() {
            write_atomic(&self.dir, CHECKPOINT_FILE, self.checkpoint.note())?;
        }
        Ok(())
    }

    fn write_bundle(&self, n: u64) -> Result<()> {
        let mut data = Vec::with_capacity(self.bundle.iter().map(|e| e.len() + 2).sum());
        for e in &self.bundle {
            encode_entry(&mut data, e)?;
        }
        write_atomic(&self.dir, &entries_path(n, self.bundle.len() as u32), &data)
    }

    /// Appends one entry durably and returns its index.
    pub fn append(&mut self, entry: &[u8]) -> Result<u64> {
        Ok(self.append_batch(&[entry])?.start)
    }

    /// Appends a batch of entries in one durable commit (group commit), publishes their tiles
    /// and a new signed checkpoint, and returns their indices.
    pub fn append_batch<T: AsRef<[u8]> + Sync>(&mut self, entries: &[T]) -> Result<Range<u64>> {
        let Some(key) = self.key.clone() else {
            return Err(self.layout(match self.role {
                Role::Mirror => "is a mirror: extend it with mirror_extend",
                Role::Own => "was opened without its key",
            }));
        };
        for e in entries {
            let len = e.as_ref().len();
            if len > u16::MAX as usize {
                return Err(LogError::EntryTooLarge { len });
            }
        }
        let old = self.tree.size();
        if entries.is_empty() {
            return Ok(old..old);
        }
        let mut leaves = Vec::with_capacity(entries.len());
        leaf_hashes(entries, &mut leaves);
        self.tree.extend_leaf_hashes(&leaves);
        let new = self.tree.size();
        let signers: Vec<&LogKey> = std::iter::once(&key).chain(&self.cosigning).collect();
        let signed = LogKey::sign_all(&signers, &self.origin, new, self.tree.root());
        let commit = signed.and_then(|cp| {
            self.commit(old, entries, &leaves, &cp)?;
            Ok(cp)
        });
        match commit {
            Ok(cp) => self.checkpoint = cp,
            Err(e) => {
                self.tree.truncate(old);
                return Err(e);
            }
        }
        self.publish(old, entries)?;
        Ok(old..new)
    }

    fn commit<T: AsRef<[u8]> + Sync>(
        &mut self,
        first: u64,
        entries: &[T],
        leaves: &[Hash],
        cp: &SignedCheckpoint,
    ) -> Result<()> {
        let rows: Vec<Vec<Value>> = (first..)
            .zip(entries.iter().zip(leaves))
            .map(|(idx, (e, l))| vec![idx.into(), e.as_ref().into(), Value::Blob(l.0.to_vec())])
            .collect();
        transaction(&*self.db, false, |tx| {
            tx.insert_rows("entries", &["idx", "data", "leaf"], &rows)?;
            tx.execute(PUT_CHECKPOINT, &[cp.size().into(), cp.note().into()])?;
            Ok::<_, DbError>(())
        })
        .map_err(db_error(&*self.db))
    }

    /// Extends a mirror with `entries` received from the peer, after checking that the mirror's
    /// new root equals the root of the peer's signed checkpoint `peer_note` (whose size must be
    /// the mirror's size plus the number of entries). Nothing is stored if the check fails.
    ///
    /// A checkpoint no larger than the mirror is checked against the mirror's tree at its size;
    /// a different root there, under a valid signature, is equivocation (or a forked history)
    /// and is returned as [`LogError::Equivocation`] when the mirror holds the other note.
    pub fn mirror_extend<T: AsRef<[u8]> + Sync>(
        &mut self,
        entries: &[T],
        peer_note: &[u8],
    ) -> Result<SignedCheckpoint> {
        if self.role != Role::Mirror {
            return Err(self.layout("is not a mirror"));
        }
        let cp = self.verify_note(peer_note)?;
        if cp.origin() != self.origin {
            return Err(LogError::Checkpoint(format!(
                "origin {:?} is not the mirrored log's {:?}",
                cp.origin(),
                self.origin
            )));
        }
        let old = self.tree.size();
        if cp.size() <= old {
            if !entries.is_empty() {
                return Err(self.layout(&format!(
                    "holds {old} entries already; the checkpoint of size {} takes none more",
                    cp.size()
                )));
            }
            self.check_checkpoint(peer_note)?;
            return Ok(cp);
        }
        if cp.size() != old + entries.len() as u64 {
            return Err(self.layout(&format!(
                "holds {old} entries; {} more do not make the checkpoint's size {}",
                entries.len(),
                cp.size()
            )));
        }
        let mut leaves = Vec::with_capacity(entries.len());
        leaf_hashes(entries, &mut leaves);
        self.tree.extend_leaf_hashes(&leaves);
        if self.tree.root() != cp.root() {
            self.tree.truncate(old);
            return Err(LogError::Proof(format!(
                "the mirror's root over {} entries differs from the peer's checkpoint: the entries \
                 received are not the ones the peer signed, or the peer rewrote its history",
                cp.size()
            )));
        }
        if let Err(e) = self.commit(old, entries, &leaves, &cp) {
            self.tree.truncate(old);
            return Err(e);
        }
        self.checkpoint = cp.clone();
        self.publish(old, entries)?;
        Ok(cp)
    }

    /// Checks a checkpoint signed by this log's key against the tree held here: its size must
    /// not exceed ours and its root must equal our root at that size. A different root is
    /// returned as equivocation when a stored checkpoint of that size is signed too.
    pub fn check_checkpoint(&self, note: &[u8]) -> Result<SignedCheckpoint> {
        let cp = self.verify_note(note)?;
        if cp.size() > self.tree.size() {
            return Err(LogError::OutOfRange {
                what: "checkpoint size",
                value: cp.size(),
                size: self.tree.size(),
            });
        }
        if self.tree.root_at(cp.size())? == cp.root() {
            return Ok(cp);
        }
        if let Some(ours) = self.stored_checkpoint(cp.size())? {
            return Err(LogError::Equivocation(Box::new(Equivocation::new(
                ours, cp,
            ))));
        }
        Err(LogError::Proof(format!(
            "checkpoint of size {} has root {}, but the log holds root {} at that size",
            cp.size(),
            cp.root(),
            self.tree.root_at(cp.size())?
        )))
    }

    fn stored_checkpoint(&self, size: u64) -> Result<Option<SignedCheckpoint>> {
        let note: Option<Vec<u8>> = self
            .db
            .value(
                "SELECT note FROM checkpoints WHERE size = ?1",
                &[size.into()],
            )
            .and_then(|v| v.map(|v| v.blob()).transpose())
            .map_err(db_error(&*self.db))?;
        note.map(|n| SignedCheckpoint::parse(&n)).transpose()
    }

    /// Every checkpoint stored, oldest first.
    pub fn checkpoints(&self) -> Result<Vec<SignedCheckpoint>> {
        read_checkpoints(&*self.db)
    }

    /// The latest checkpoint (signed by the log's key, or for a mirror by the peer's).
    pub fn checkpoint(&self) -> &SignedCheckpoint {
        &self.checkpoint
    }

    /// The number of entries.
    pub fn size(&self) -> u64 {
        self.tree.size()
    }

    /// The root hash over all entries.
    pub fn root(&self) -> Hash {
        self.tree.root()
    }

    /// The log's origin line.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The verifier key of the log's checkpoints.
    pub fn vkey(&self) -> &str {
        &self.vkey
    }

    /// Checks a checkpoint note's signature by one of the keys accepted for this log.
    fn verify_note(&self, note: &[u8]) -> Result<SignedCheckpoint> {
        let keys: Vec<&str> = self.accepted.iter().map(String::as_str).collect();
        SignedCheckpoint::verify_any(note, &keys)
    }

    /// The key of record of the log in `dir` (its verifier key string), read without opening
    /// the log, so that its owner can find the matching key among several.
    pub fn recorded_vkey(dir: &Path) -> Result<String> {
        let db_path = dir.join(DB_FILE);
        if !Self::exists(dir) {
            return Err(LogError::Layout {
                dir: dir.to_owned(),
                reason: format!("holds no log ({DB_FILE} is missing or was never initialised)"),
            });
        }
        let db = Sqlite::open_read_only(&db_path).map_err(|source| LogError::Db {
            path: db_path,
            source: source.into(),
        })?;
        Self::recorded_vkey_in(&db)
    }

    /// The key of record of the log sequenced in `db`, read without opening the log.
    pub fn recorded_vkey_in(db: &dyn Database) -> Result<String> {
        db.value("SELECT value FROM meta WHERE key = 'vkey'", &[])
            .and_then(|v| {
                v.ok_or_else(|| DbError::Value("no vkey is recorded".into()))?
                    .text()
            })
            .map_err(db_error(db))
    }

    /// Opens our log with the keys that sign its checkpoints from now on (a key rotation:
    /// the first becomes the log's key of record, the others sign beside it). `held` are
    /// every key the caller holds for the log, former ones included: the one the log was last
    /// recorded under must be among them or among `keys`. If the signing keys changed, the
    /// latest checkpoint is signed again with them, so its note carries one line per key.
    pub fn open_with_keys(dir: &Path, keys: &[LogKey], held: &[LogKey]) -> Result<Log> {
        Self::open_with_keys_in(dir, Self::existing(dir)?, keys, held)
    }

    /// Opens our log sequenced in `db`, its files in `dir`, with the keys that sign its
    /// checkpoints from now on, as [`Log::open_with_keys`] does.
    pub fn open_with_keys_in(
        dir: &Path,
        db: Box<dyn Database>,
        keys: &[LogKey],
        held: &[LogKey],
    ) -> Result<Log> {
        let recorded = Self::recorded_vkey_in(&*db)?;
        let Some(of_record) = keys.iter().chain(held).find(|k| k.vkey() == recorded) else {
            return Err(LogError::Layout {
                dir: dir.to_owned(),
                reason: format!(
                    "is signed by {recorded}, and no key given matches it: a key rotation \
                     keeps the former key until the log has been opened with the new one"
                ),
            });
        };
        let mut log = Self::open_in(dir, db, of_record)?;
        log.set_signing_keys(keys)?;
        Ok(log)
    }

    /// Sets the keys that sign our log's checkpoints from now on: the first becomes the key
    /// of record (stored, and written to the `vkey` file), the others sign beside it. The
    /// latest checkpoint is signed again if the set of signers changed.
    pub fn set_signing_keys(&mut self, keys: &[LogKey]) -> Result<()> {
        if self.role != Role::Own {
            return Err(self.layout("is a mirror: only our own log is signed"));
        }
        let Some((first, rest)) = keys.split_first() else {
            return Err(LogError::Key("a log needs at least one signing key".into()));
        };
        let before: Vec<&str> = self
            .key
            .iter()
            .chain(&self.cosigning)
            .map(LogKey::vkey)
            .collect();
        let after: Vec<&str> = keys.iter().map(LogKey::vkey).collect();
        if before == after {
            return Ok(());
        }
        let signers: Vec<&LogKey> = keys.iter().collect();
        let cp = LogKey::sign_all(&signers, &self.origin, self.tree.size(), self.tree.root())?;
        transaction(&*self.db, false, |tx| {
            tx.execute(PUT_META, &["vkey".into(), first.vkey().into()])?;
            tx.execute(PUT_CHECKPOINT, &[cp.size().into(), cp.note().into()])?;
            Ok::<_, DbError>(())
        })
        .map_err(db_error(&*self.db))?;
        let former = self.vkey.clone();
        self.vkey = first.vkey().to_owned();
        self.key = Some(first.clone());
        self.cosigning = rest.to_vec();
        self.accepted = keys.iter().map(|k| k.vkey().to_owned()).collect();
        if !self.accepted.contains(&former) {
            self.accepted.push(former);
        }
        self.checkpoint = cp;
        write_atomic(&self.dir, VKEY_FILE, format!("{}\n", self.vkey).as_bytes())?;
        write_atomic(&self.dir, CHECKPOINT_FILE, self.checkpoint.note())
    }

    /// Sets the verifier keys whose signature makes a checkpoint of this mirror valid (the
    /// peer's keys that count now, several across its key rotation); its signature by any of
    /// them is required from now on.
    pub fn set_accepted_keys(&mut self, vkeys: &[&str]) -> Result<()> {
        if vkeys.is_empty() {
            return Err(LogError::Key(format!(
                "no key is accepted for the log {}",
                self.origin
            )));
        }
        for k in vkeys {
            accord_log_core::parse_vkey(k)?;
        }
        self.accepted = vkeys.iter().map(|k| k.trim().to_owned()).collect();
        Ok(())
    }

    /// The party whose log a mirror holds (none for our own log).
    pub fn party(&self) -> Option<&PartyId> {
        self.party.as_ref()
    }

    /// Whether this is our log or a mirror.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The in-memory tree.
    pub fn tree(&self) -> &MerkleTree {
        &self.tree
    }

    /// The exact bytes of entry `index`.
    pub fn entry(&self, index: u64) -> Result<Vec<u8>> {
        let size = self.tree.size();
        if index >= size {
            return Err(LogError::OutOfRange {
                what: "index",
                value: index,
                size,
            });
        }
        self.db
            .value("SELECT data FROM entries WHERE idx = ?1", &[index.into()])
            .and_then(|v| {
                v.ok_or_else(|| DbError::Value(format!("entry {index} is missing")))?
                    .blob()
            })
            .map_err(db_error(&*self.db))
    }

    /// The entries with indices in `range`, in order (for a peer's mirror).
    pub fn entries(&self, range: Range<u64>) -> Result<Vec<Vec<u8>>> {
        if range.end > self.tree.size() {
            return Err(LogError::OutOfRange {
                what: "index",
                value: range.end.saturating_sub(1),
                size: self.tree.size(),
            });
        }
        let mut out = Vec::with_capacity((range.end.saturating_sub(range.start)) as usize);
        self.db
            .each_row(
                "SELECT data FROM entries WHERE idx >= ?1 AND idx < ?2 ORDER BY idx",
                &[range.start.into(), range.end.into()],
                &mut |mut row| {
                    out.push(row[0].take_blob()?);
                    Ok(())
                },
            )
            .map_err(db_error(&*self.db))?;
        Ok(out)
    }

    /// An inclusion proof for entry `index` in the tree of size `size`.
    pub fn prove_inclusion(&self, index: u64, size: u64) -> Result<InclusionProof> {
        self.tree.prove_inclusion(index, size)
    }

    /// A consistency proof from the tree of size `old` to the tree of size `new`.
    pub fn prove_consistency(&self, old: u64, new: u64) -> Result<ConsistencyProof> {
        self.tree.prove_consistency(old, new)
    }

    fn layout(&self, reason: &str) -> LogError {
        LogError::Layout {
            dir: self.dir.clone(),
            reason: reason.to_owned(),
        }
    }
}

impl accord_log_core::SignedLog for Log {
    fn checkpoint(&self) -> &SignedCheckpoint {
        Log::checkpoint(self)
    }

    fn prove_inclusion(&self, index: u64, size: u64) -> Result<InclusionProof> {
        Log::prove_inclusion(self, index, size)
    }
}

/// An empty checkpoint text with no signature, for a mirror that has received nothing yet.
fn unsigned_empty_note(origin: &str) -> Vec<u8> {
    let body = tlog_tiles::Checkpoint::new(origin, 0, MerkleTree::new().root(), "")
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    // A signature line is required by the note syntax; this one verifies under no key.
    let mut note = body;
    note.extend_from_slice("\n— unsigned AAAAAAA=\n".as_bytes());
    note
}

/// Opens the SQLite database at `path` for durable writes (WAL, every commit synced before it
/// returns) and creates the tables of `schema`.
pub(crate) fn connect(path: &Path, schema: &str) -> Result<Sqlite> {
    let db = |source: DbError| LogError::Db {
        path: path.to_owned(),
        source: source.into(),
    };
    // FULL: a commit is on disk (the WAL is fsynced) before an append is acknowledged.
    let conn = Sqlite::open(path, Durability::Full).map_err(db)?;
    conn.batch(schema).map_err(db)?;
    Ok(conn)
}

/// Reads every stored checkpoint of the log database `db`, oldest first.
pub(crate) fn read_checkpoints(db: &dyn Database) -> Result<Vec<SignedCheckpoint>> {
    let rows = db
        .rows("SELECT note FROM checkpoints ORDER BY size", &[])
        .map_err(db_error(db))?;
    rows.iter()
        .map(|r| {
            let note = r[0].blob().map_err(db_error(db))?;
            SignedCheckpoint::parse(&note)
        })
        .collect()
}

/// Stored checkpoints as (size, note bytes).
pub(crate) type StoredNotes = Vec<(u64, Vec<u8>)>;

/// The stored checkpoints of a log's database, by size.
pub(crate) fn stored_checkpoint_notes(db: &dyn Database) -> Result<StoredNotes> {
    let err = db_error(db);
    let rows = db
        .rows("SELECT size, note FROM checkpoints ORDER BY size", &[])
        .map_err(&err)?;
    rows.into_iter()
        .map(|mut r| Ok((r[0].size().map_err(&err)?, r[1].take_blob().map_err(&err)?)))
        .collect()
}

/// Entries read from the database per batch when it is audited.
pub(crate) const STORED_PASS: usize = 4096;

/// Calls `each(index, bytes, stored leaf hash)` for every entry with an index below `below` in
/// a log's database, in index order.
pub(crate) fn stored_entries(
    db: &dyn Database,
    below: u64,
    each: &mut dyn FnMut(u64, Vec<u8>, Vec<u8>),
) -> Result<()> {
    db.each_row(
        "SELECT idx, data, leaf FROM entries WHERE idx >= 0 AND idx < ?1 ORDER BY idx",
        &[below.into()],
        &mut |mut r| {
            let idx = r[0].size()?;
            let (data, leaf) = (r[1].take_blob()?, r[2].take_blob()?);
            each(idx, data, leaf);
            Ok(())
        },
    )
    .map_err(db_error(db))
}
