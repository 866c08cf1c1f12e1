//! Backup and restore of a node's data directory, safe while the node runs.
//!
//! A backup holds the keys and the trust file, a consistent copy of each SQLite database made
//! with `VACUUM INTO` (`node.db` first, then each log's, so that the logs hold at least what
//! `node.db` indexes: on open the node indexes what it lacks), each log's published files
//! (tiles, entry bundles, checkpoint), and `backup.json` saying what it holds. A restore copies
//! it into an empty data directory and writes each log's published files again from its
//! database, so that they agree exactly. A backup holds the node's secret keys: keep it as
//! safe as the node itself.

use std::collections::BTreeMap;
use std::path::Path;

use accord_log::Log;
use accord_log::database::Sqlite;
use serde::{Deserialize, Serialize};

use crate::NodeError;
use crate::keys::{KEY_FILE, RETIRED_DIR, TRUST_FILE};
use crate::store::{DB_FILE, LOGS_DIR};

/// The file in a backup that says what it holds.
pub const MANIFEST: &str = "backup.json";

/// The witness database in the data directory (what the node cosigned for others).
const WITNESS_DB: &str = crate::node::WITNESS_DB;

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// When it was made (RFC 3339).
    pub made_at: String,
    /// The schema version of its `node.db`.
    pub schema_version: Option<i64>,
    /// Each log held, with its size when copied.
    pub logs: BTreeMap<String, u64>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> NodeError + '_ {
    move |e| NodeError::io(path, e)
}

/// Copies a consistent snapshot of the SQLite database `from` to the new file `to`.
fn snapshot(from: &Path, to: &Path) -> Result<(), NodeError> {
    let db = Sqlite::open_read_only(from)?;
    let target = to
        .to_str()
        .ok_or_else(|| NodeError::Malformed(format!("{}: not UTF-8", to.display())))?;
    db.connection().execute("VACUUM INTO ?1", [target])?;
    Ok(())
}

/// Whether a file name is a SQLite database or one of its journals (copied by snapshot only).
fn is_database(name: &str, db: &str) -> bool {
    name == db || name == format!("{db}-wal") || name == format!("{db}-shm")
}

/// Copies the files of `from` into `to` recursively, but not the database `db` or its journals.
fn copy_files(from: &Path, to: &Path, db: &str) -> Result<(), NodeError> {
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let (src, dst) = (entry.path(), to.join(&name));
        let kind = entry.file_type().map_err(io(&src))?;
        if kind.is_dir() {
            copy_files(&src, &dst, db)?;
        } else if kind.is_file() && !is_database(&name, db) && !name.ends_with(".tmp") {
            std::fs::copy(&src, &dst).map_err(io(&src))?;
        }
    }
    Ok(())
}

fn require_empty(dir: &Path, what: &str) -> Result<(), NodeError> {
    match std::fs::read_dir(dir) {
        Ok(mut l) => {
            if l.next().is_some() {
                return Err(NodeError::Config {
                    file: dir.to_owned(),
                    reason: format!("{what} is not empty: nothing was written"),
                });
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io(dir))
        }
        Err(e) => Err(NodeError::io(dir, e)),
    }
}

/// Backs up the node data directory `data` into the new or empty directory `to`; the node may
/// be running.
pub fn backup(data: &Path, to: &Path) -> Result<Manifest, NodeError> {
    let db = data.join(DB_FILE);
    if !db.exists() {
        return Err(NodeError::Config {
            file: data.to_owned(),
            reason: format!(
                "holds no node ({DB_FILE} is missing; a node whose database is PostgreSQL is \
                 backed up with pg_dump, see docs/operations.md)"
            ),
        });
    }
    require_empty(to, "the backup directory")?;
    for file in [KEY_FILE, TRUST_FILE] {
        let src = data.join(file);
        if src.exists() {
            std::fs::copy(&src, to.join(file)).map_err(io(&src))?;
        }
    }
    if data.join(RETIRED_DIR).is_dir() {
        copy_files(&data.join(RETIRED_DIR), &to.join(RETIRED_DIR), "")?;
    }
    snapshot(&db, &to.join(DB_FILE))?;
    let schema_version = crate::migrate::version(&Sqlite::open_read_only(&to.join(DB_FILE))?)?;
    if data.join(WITNESS_DB).exists() {
        snapshot(&data.join(WITNESS_DB), &to.join(WITNESS_DB))?;
    }
    let mut logs = BTreeMap::new();
    let logs_dir = data.join(LOGS_DIR);
    if logs_dir.is_dir() {
        // Every log, public and scoped (`logs/<party>/scopes/...`).
        for (name, dir) in crate::store::log_dirs(&logs_dir)? {
            let target = crate::store::log_path(&to.join(LOGS_DIR), &name)?;
            copy_files(&dir, &target, accord_log::DB_FILE)?;
            snapshot(
                &dir.join(accord_log::DB_FILE),
                &target.join(accord_log::DB_FILE),
            )?;
            let size = Log::open_reader(&target)
                .map_err(crate::store::log_error)?
                .size();
            logs.insert(name, size);
        }
    }
    let manifest = Manifest {
        made_at: jiff::Timestamp::now().to_string(),
        schema_version,
        logs,
    };
    let text =
        serde_json::to_string_pretty(&manifest).map_err(|e| NodeError::Malformed(e.to_string()))?;
    let path = to.join(MANIFEST);
    std::fs::write(&path, text).map_err(io(&path))?;
    Ok(manifest)
}

/// Restores the backup `from` into the new or empty data directory `data` and writes each
/// log's published files again from its database. Start the node on `data` afterwards; it
/// migrates an older `node.db` on open.
pub fn restore(from: &Path, data: &Path) -> Result<Manifest, NodeError> {
    let path = from.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(io(&path))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| NodeError::Config {
        file: path.clone(),
        reason: e.to_string(),
    })?;
    require_empty(data, "the data directory")?;
    copy_files(from, data, "")?;
    std::fs::remove_file(data.join(MANIFEST)).map_err(io(data))?;
    for (name, size) in &manifest.logs {
        let dir = crate::store::log_path(&data.join(LOGS_DIR), name)?;
        Log::republish(&dir).map_err(crate::store::log_error)?;
        let held = Log::open_reader(&dir)
            .map_err(crate::store::log_error)?
            .size();
        if held != *size {
            return Err(NodeError::Conflict(format!(
                "the log of {name} in the backup holds {held} entries, its manifest says {size}"
            )));
        }
    }
    Ok(manifest)
}
