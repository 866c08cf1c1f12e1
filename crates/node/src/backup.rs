//! Backup and restore of a node's data directory, safe while the node runs.
//!
//! A backup holds the keys and the trust file, a consistent copy of each SQLite database made
//! with `VACUUM INTO` (`node.db` first, then each log's, so that the logs hold at least what
//! `node.db` indexes: on open the node indexes what it lacks), each log's published files
//! (tiles, entry bundles, checkpoint), and `backup.json` saying what it holds. A restore copies
//! it into an empty data directory and writes each log's published files again from its
//! database, so that they agree exactly. A backup holds the node's secret keys: keep it as
//! safe as the node itself.
//!
//! A node whose database is PostgreSQL is backed up the same way, its database as one
//! `pg_dump` of a snapshot in which the logs' sizes are read for the manifest (so the manifest
//! says exactly what the dump holds); a restore loads the dump with `pg_restore` into an empty
//! database and writes the logs' published files from it. The server's client programs are
//! found on `PATH` or beside the installed server's binaries.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use accord_log::Log;
use accord_log::database::{Database, DbError, Sqlite};
use serde::{Deserialize, Serialize};

use crate::NodeError;
use crate::keys::{KEY_FILE, RETIRED_DIR, TRUST_FILE};
use crate::store::postgres::Postgres;
use crate::store::{DB_FILE, DatabaseChoice, LOGS_DIR};

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
    /// The file holding the dump of a PostgreSQL node's database; none for SQLite files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dump: Option<String>,
}

/// The file in a backup of a PostgreSQL node that holds its database (`pg_dump`'s custom
/// format).
pub const DUMP_FILE: &str = "node.dump";

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
    copy_keys(data, to)?;
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
    write_manifest(to, schema_version, logs, None)
}

/// Copies the node's keys and trust file from the data directory `data` into `to`.
fn copy_keys(data: &Path, to: &Path) -> Result<(), NodeError> {
    for file in [KEY_FILE, TRUST_FILE] {
        let src = data.join(file);
        if src.exists() {
            std::fs::copy(&src, to.join(file)).map_err(io(&src))?;
        }
    }
    if data.join(RETIRED_DIR).is_dir() {
        copy_files(&data.join(RETIRED_DIR), &to.join(RETIRED_DIR), "")?;
    }
    Ok(())
}

/// Writes the manifest of the backup `to`, made now, and gives it back.
fn write_manifest(
    to: &Path,
    schema_version: Option<i64>,
    logs: BTreeMap<String, u64>,
    dump: Option<String>,
) -> Result<Manifest, NodeError> {
    let manifest = Manifest {
        made_at: jiff::Timestamp::now().to_string(),
        schema_version,
        logs,
        dump,
    };
    let text =
        serde_json::to_string_pretty(&manifest).map_err(|e| NodeError::Malformed(e.to_string()))?;
    let path = to.join(MANIFEST);
    std::fs::write(&path, text).map_err(io(&path))?;
    Ok(manifest)
}

/// Backs up the node of data directory `data` whose database `choice` names into the new or
/// empty directory `to`, as [`backup`] does; the node may be running.
pub fn backup_in(data: &Path, choice: &DatabaseChoice, to: &Path) -> Result<Manifest, NodeError> {
    let url = match choice {
        DatabaseChoice::Sqlite => return backup(data, to),
        DatabaseChoice::Postgres(url) => url,
    };
    require_empty(to, "the backup directory")?;
    copy_keys(data, to)?;
    // One snapshot, read for the manifest and dumped: what the manifest says is what the dump
    // holds, whatever the running node writes meanwhile.
    let db = Postgres::connect(url, crate::store::postgres::NODE_SCHEMA)?;
    let db: &dyn Database = &db;
    db.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
    let dumped = (|| {
        let snapshot = db
            .value("SELECT pg_export_snapshot()", &[])?
            .ok_or_else(|| NodeError::Store(DbError::Server("no snapshot exported".into())))?
            .text()?;
        let schema_version = crate::migrate::version(db)?;
        let mut logs = BTreeMap::new();
        for party in crate::store::postgres::logs_held(url)? {
            let sql = format!(
                "SELECT COUNT(*) FROM {}.entries",
                quoted(&crate::store::postgres::log_schema(&party))
            );
            let size = db.value(&sql, &[])?.map_or(Ok(0), |v| v.size())?;
            logs.insert(party, size);
        }
        let dump = to.join(DUMP_FILE);
        let mut command = client_program("pg_dump")?;
        command
            .args(["--format=custom", "--no-password"])
            .arg(format!("--snapshot={snapshot}"))
            .arg("--file")
            .arg(&dump)
            .arg(format!("--dbname={url}"));
        run(command, "pg_dump")?;
        Ok::<_, NodeError>((schema_version, logs))
    })();
    // The snapshot is released once the dump is made; a failed end changes nothing read.
    let _ = db.batch("COMMIT");
    let (schema_version, logs) = dumped?;
    let logs_dir = data.join(LOGS_DIR);
    if logs_dir.is_dir() {
        copy_files(&logs_dir, &to.join(LOGS_DIR), accord_log::DB_FILE)?;
    }
    write_manifest(to, schema_version, logs, Some(DUMP_FILE.to_owned()))
}

/// A schema name quoted as a PostgreSQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Where Debian installs each major version's server and client binaries.
const POSTGRES_VERSIONS: &str = "/usr/lib/postgresql";

/// A command running PostgreSQL's client program `name`: the one on `PATH`, else the one
/// beside the newest installed server's binaries.
fn client_program(name: &str) -> Result<std::process::Command, NodeError> {
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .find(|p| p.is_file());
    let beside_server = || {
        let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(POSTGRES_VERSIONS)
            .ok()?
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
                let path = e.path().join("bin").join(name);
                path.is_file().then_some((version, path))
            })
            .collect();
        found.sort();
        found.pop().map(|(_, p)| p)
    };
    match on_path.or_else(beside_server) {
        Some(path) => Ok(std::process::Command::new(path)),
        None => Err(NodeError::Config {
            file: PathBuf::from(name),
            reason: format!(
                "PostgreSQL's {name} is neither on PATH nor under {POSTGRES_VERSIONS}/*/bin: \
                 install the server's client programs"
            ),
        }),
    }
}

/// Runs `command` (the program `what`), failing with what it printed if it fails.
fn run(mut command: std::process::Command, what: &str) -> Result<(), NodeError> {
    let out = command.output().map_err(|e| NodeError::Config {
        file: PathBuf::from(what),
        reason: format!("cannot run: {e}"),
    })?;
    if !out.status.success() {
        return Err(NodeError::Store(DbError::Server(format!(
            "{what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))));
    }
    Ok(())
}

/// The manifest of the backup `from`, and its path.
fn read_manifest(from: &Path) -> Result<(PathBuf, Manifest), NodeError> {
    let path = from.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(io(&path))?;
    let manifest = serde_json::from_str(&text).map_err(|e| NodeError::Config {
        file: path.clone(),
        reason: e.to_string(),
    })?;
    Ok((path, manifest))
}

/// Restores the backup `from` into the new or empty data directory `data` and writes each
/// log's published files again from its database. Start the node on `data` afterwards; it
/// migrates an older `node.db` on open.
pub fn restore(from: &Path, data: &Path) -> Result<Manifest, NodeError> {
    let (path, manifest) = read_manifest(from)?;
    if manifest.dump.is_some() {
        return Err(NodeError::Config {
            file: path,
            reason: "the backup holds a PostgreSQL dump: restore it with --database and the \
                     URL of an empty database"
                .into(),
        });
    }
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

/// Restores the backup `from` into the new or empty data directory `data` and the database
/// `choice` names, as [`restore`] does: a PostgreSQL node's dump is loaded into that database,
/// which must hold no node yet, and each log's published files are written from it.
pub fn restore_in(
    from: &Path,
    data: &Path,
    choice: &DatabaseChoice,
) -> Result<Manifest, NodeError> {
    let (path, manifest) = read_manifest(from)?;
    let (url, dump) = match (choice, &manifest.dump) {
        // [`restore`] refuses a dump with the words to restore it.
        (DatabaseChoice::Sqlite, _) => return restore(from, data),
        (DatabaseChoice::Postgres(url), Some(dump)) => (url, from.join(dump)),
        (DatabaseChoice::Postgres(_), None) => {
            return Err(NodeError::Config {
                file: path,
                reason: "the backup holds SQLite files, not a PostgreSQL dump: restore it \
                         without --database"
                    .into(),
            });
        }
    };
    // The database must hold no node: its schemas would be mixed with the dump's.
    let probe = Postgres::connect(url, "public")?;
    let held = (&probe as &dyn Database).rows(
        "SELECT nspname::text FROM pg_namespace WHERE nspname = ?1 OR nspname = ?2
         OR starts_with(nspname, 'log_') ORDER BY nspname",
        &[
            crate::store::postgres::NODE_SCHEMA.into(),
            crate::store::postgres::WITNESS_SCHEMA_NAME.into(),
        ],
    )?;
    drop(probe);
    if !held.is_empty() {
        let names: Vec<String> = held.iter().map(|r| r[0].text()).collect::<Result<_, _>>()?;
        return Err(NodeError::Config {
            file: dump,
            reason: format!(
                "the database already holds a node's schemas ({}): restore into an empty one; \
                 nothing was written",
                names.join(", ")
            ),
        });
    }
    require_empty(data, "the data directory")?;
    copy_keys(from, data)?;
    let mut command = client_program("pg_restore")?;
    command
        .args(["--exit-on-error", "--no-owner", "--no-password"])
        .arg(format!("--dbname={url}"))
        .arg(&dump);
    run(command, "pg_restore")?;
    for (name, mut log) in crate::store::read_logs(data, choice)? {
        let dir = crate::store::log_path(&data.join(LOGS_DIR), &name)?;
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        log.republish_files().map_err(crate::store::log_error)?;
        let expected = manifest.logs.get(&name).copied().unwrap_or(0);
        if log.size() != expected {
            return Err(NodeError::Conflict(format!(
                "the log of {name} in the backup holds {} entries, its manifest says {expected}",
                log.size()
            )));
        }
    }
    Ok(manifest)
}
