//! The node's storage: every log (its own and the mirrors of its peers') is an `accord-log`
//! log whose files (C2SP tlog-tiles) are under `DIR/logs/<party>` (a public log) or
//! `DIR/logs/<party>/scopes/<scope>` (a log of an agreement or a hotline channel, see
//! [`crate::scope`]), named inside the node by its origin without `accord/log/`; the node's own tables hold
//! what it needs besides: the index of record ids for replay checks, hotline channel numbers,
//! the outbox cursors, the receipts and the hotline inbox.
//!
//! Every table sits behind one interface, [`accord_log::Database`], with two implementations:
//! SQLite embedded (the default: each log's `log.db` in its directory, the node's tables in
//! `DIR/node.db`, WAL) and PostgreSQL ([`postgres`]: one database, a schema per log and one for
//! the node's tables), chosen by [`DatabaseChoice`].
//!
//! A log is committed before the node's tables index it; on open, entries the index lacks (a
//! crash in between) are indexed again from the log, so the two never disagree for long.

pub mod postgres;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use accord_log::database::{Durability, Sqlite, transaction};
use accord_log::{
    CosignerKey, Database, DbError, Hash, Log, LogError, LogKey, MerkleTree, SignedCheckpoint,
    Value,
};
use ed25519_dalek::SigningKey;

use crate::NodeError;
use crate::node::mirror_name;
use crate::scope::{LogName, SCOPES_DIR};

/// Where the node keeps its tables and its logs' sequencing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DatabaseChoice {
    /// SQLite files in the data directory.
    #[default]
    Sqlite,
    /// A PostgreSQL server, by its connection string (`postgres://...` or `host=... user=...`).
    Postgres(String),
}

impl DatabaseChoice {
    /// The choice a `--database` value or `database` setting names: a PostgreSQL connection
    /// string (`postgres://`, `postgresql://`), or `sqlite` for the embedded default.
    pub fn parse(value: &str) -> Result<DatabaseChoice, NodeError> {
        let v = value.trim();
        if v.eq_ignore_ascii_case("sqlite") {
            Ok(DatabaseChoice::Sqlite)
        } else if v.starts_with("postgres://") || v.starts_with("postgresql://") {
            Ok(DatabaseChoice::Postgres(v.to_owned()))
        } else {
            Err(NodeError::Malformed(format!(
                "database {v:?}: give sqlite or a postgres:// connection URL"
            )))
        }
    }

    /// The database in words, for the node's start-up lines: `SQLite node.db`, or
    /// `PostgreSQL` and the connection string without its password.
    pub fn describe(&self) -> String {
        match self {
            DatabaseChoice::Sqlite => format!("SQLite {DB_FILE}"),
            DatabaseChoice::Postgres(url) => {
                format!("PostgreSQL {}", postgres::without_password(url))
            }
        }
    }

    /// Opens the database of the node's own tables.
    fn node_tables(&self, dir: &Path) -> Result<(Box<dyn Database>, bool), NodeError> {
        match self {
            DatabaseChoice::Sqlite => {
                let path = dir.join(DB_FILE);
                let existing = path.exists();
                Ok((Box::new(Sqlite::open(&path, Durability::Normal)?), existing))
            }
            DatabaseChoice::Postgres(url) => {
                let db = postgres::Postgres::connect(url, postgres::NODE_SCHEMA)?;
                let existing = db.has_table("meta")?;
                Ok((Box::new(db), existing))
            }
        }
    }

    /// Opens the database of the log named `party` (a log name), whose files are in `dir`.
    fn log(&self, dir: &Path, party: &str) -> Result<Box<dyn Database>, NodeError> {
        match self {
            DatabaseChoice::Sqlite => {
                std::fs::create_dir_all(dir).map_err(|e| NodeError::io(dir, e))?;
                let db = Sqlite::open(&dir.join(accord_log::DB_FILE), Durability::Full)?;
                db.batch(accord_log::LOG_SCHEMA)?;
                Ok(Box::new(db))
            }
            DatabaseChoice::Postgres(url) => Ok(Box::new(postgres::Postgres::connect(
                url,
                &postgres::checked_log_schema(party)?,
            )?)),
        }
    }

    /// Opens the witness's table (what this node cosigned for others).
    pub fn witness(&self, dir: &Path) -> Result<accord_log::SharedWitnessStore, NodeError> {
        let opened = match self {
            DatabaseChoice::Sqlite => {
                accord_log::SharedWitnessStore::open(&dir.join(crate::node::WITNESS_DB))
            }
            DatabaseChoice::Postgres(url) => accord_log::SharedWitnessStore::open_in(Box::new(
                postgres::Postgres::connect(url, postgres::WITNESS_SCHEMA_NAME)?,
            )),
        };
        opened.map_err(|e| NodeError::Log(e.to_string()))
    }

    /// The names of the logs the database holds, besides those under `logs_dir`.
    fn held_logs(&self, logs_dir: &Path) -> Result<Vec<String>, NodeError> {
        let mut parties = Vec::new();
        if let DatabaseChoice::Sqlite = self {
            logs_under(logs_dir, logs_dir, &mut parties)?;
        }
        if let DatabaseChoice::Postgres(url) = self {
            parties.extend(postgres::logs_held(url)?);
        }
        Ok(parties)
    }
}

/// Adds to `found` the name of every log under `dir` (a party's directory, and the scoped
/// logs under its `scopes/`), `logs_dir` being the node's `logs/`.
fn logs_under(logs_dir: &Path, dir: &Path, found: &mut Vec<String>) -> Result<(), NodeError> {
    let listing = match std::fs::read_dir(dir) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(NodeError::io(dir, e)),
    };
    for entry in listing {
        let path = entry.map_err(|e| NodeError::io(dir, e))?.path();
        if !path.is_dir() {
            continue;
        }
        let Ok(rel) = path.strip_prefix(logs_dir) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        // `US` is a public log, `US/scopes/...` the scoped logs of US.
        let key = match parts.split_first() {
            Some((party, [])) => party.clone(),
            Some((party, [scopes, rest @ ..])) if scopes == SCOPES_DIR && !rest.is_empty() => {
                format!("{party}/{}", rest.join("/"))
            }
            Some((_, [scopes])) if scopes == SCOPES_DIR => {
                logs_under(logs_dir, &path, found)?;
                continue;
            }
            _ => continue,
        };
        if Log::exists(&path) && LogName::parse_key(&key).is_ok_and(|l| l.dir() == rel) {
            found.push(key);
        }
        if parts.len() == 1 || parts.get(1).is_some_and(|s| s == SCOPES_DIR) {
            logs_under(logs_dir, &path, found)?;
        }
    }
    Ok(())
}

/// The directory of the log named `log` under the node's `logs/` directory `logs_dir`, if the
/// name is one.
pub fn log_path(logs_dir: &Path, log: &str) -> Result<PathBuf, NodeError> {
    Ok(logs_dir.join(LogName::parse_key(log)?.dir()))
}

/// The name of the log whose published files are in `dir` (a node's `logs/<party>/`, or a
/// scoped log's directory under its `scopes/`), from the origin line of its checkpoint.
pub fn log_name_in(dir: &Path) -> Result<String, NodeError> {
    let path = dir.join("checkpoint");
    let text = std::fs::read_to_string(&path).map_err(|e| NodeError::io(&path, e))?;
    let origin = text.lines().next().unwrap_or_default();
    Ok(LogName::parse_origin(origin)?.key())
}

/// Every log whose files are under the node's `logs/` directory `logs_dir` (public and scoped):
/// its name and directory, sorted by name.
pub fn log_dirs(logs_dir: &Path) -> Result<Vec<(String, PathBuf)>, NodeError> {
    let mut names = Vec::new();
    logs_under(logs_dir, logs_dir, &mut names)?;
    names.sort();
    names
        .into_iter()
        .map(|n| Ok((n.clone(), log_path(logs_dir, &n)?)))
        .collect()
}

/// The database file in the data directory.
pub const DB_FILE: &str = "node.db";
/// The directory of the logs in the data directory, one subdirectory per party.
pub const LOGS_DIR: &str = "logs";

/// What an entry means for the hotline, indexed beside its record id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HotlineIndex {
    /// Not a hotline record.
    None,
    /// A hotline message.
    Message {
        /// The recipient.
        to: String,
        /// The author's sequence number on the channel to `to`.
        seq: u64,
        /// The text.
        text: String,
        /// When it was issued (RFC 3339).
        issued_at: String,
    },
    /// A delivery or read receipt for a message sent to the receipt's author.
    Receipt {
        /// The message's sender, if the receipt names it.
        from: Option<String>,
        /// The message's record id.
        message: String,
        /// "delivered" or "read".
        kind: &'static str,
        /// When it was issued (RFC 3339).
        issued_at: String,
    },
}

/// One entry to append to a log.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// The record id.
    pub record_id: String,
    /// The record kind (`RecordBody::kind`).
    pub kind: String,
    /// What the entry means for the hotline.
    pub hotline: HotlineIndex,
    /// The envelope bytes as logged.
    pub envelope: Vec<u8>,
}

/// A hotline message held by the node, with what is known of its receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldMessage {
    /// The position in the inbox (messages to this node only).
    pub position: Option<u64>,
    /// The author.
    pub sender: String,
    /// The recipient.
    pub recipient: String,
    /// The log that holds it (the channel's log of its author).
    pub log: String,
    /// The index in that log.
    pub index: u64,
    /// The record id.
    pub record_id: String,
    /// The author's sequence number on the channel.
    pub seq: u64,
    /// The text.
    pub text: String,
    /// When it was issued (RFC 3339).
    pub issued_at: String,
    /// When the recipient's delivery receipt was issued, if one is logged.
    pub delivered_at: Option<String>,
    /// When the recipient's read receipt was issued, if one is logged.
    pub read_at: Option<String>,
}

/// The logs and the node's own database.
#[derive(Debug)]
pub struct Store {
    db: Box<dyn Database>,
    choice: DatabaseChoice,
    dir: PathBuf,
    own: String,
    logs: HashMap<String, Log>,
    cosigner: CosignerKey,
    /// The keys that sign the own logs now, and the former ones, for an own log made later.
    signers: Vec<SigningKey>,
    former: Vec<SigningKey>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records(
    log TEXT NOT NULL, idx INTEGER NOT NULL, record_id TEXT NOT NULL, kind TEXT NOT NULL,
    PRIMARY KEY(log, idx), UNIQUE(log, record_id));
CREATE INDEX IF NOT EXISTS records_record_id ON records(record_id);
CREATE TABLE IF NOT EXISTS checkpoints(log TEXT PRIMARY KEY, note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox(peer TEXT PRIMARY KEY, acked INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS receipts(
    peer TEXT NOT NULL, size INTEGER NOT NULL, note TEXT NOT NULL, PRIMARY KEY(peer, size));
DROP TABLE IF EXISTS hotline;
DROP TABLE IF EXISTS channels;
CREATE TABLE IF NOT EXISTS messages(
    author TEXT NOT NULL, idx INTEGER NOT NULL, record_id TEXT NOT NULL, recipient TEXT NOT NULL,
    seq INTEGER NOT NULL, text TEXT NOT NULL, issued_at TEXT NOT NULL, position INTEGER UNIQUE,
    PRIMARY KEY(author, idx), UNIQUE(author, recipient, seq));
CREATE INDEX IF NOT EXISTS messages_recipient ON messages(recipient, position);
CREATE TABLE IF NOT EXISTS hotline_receipts(
    author TEXT NOT NULL, idx INTEGER NOT NULL, sender TEXT, message TEXT NOT NULL,
    kind TEXT NOT NULL, issued_at TEXT NOT NULL, PRIMARY KEY(author, idx));
CREATE INDEX IF NOT EXISTS hotline_receipts_message ON hotline_receipts(message, author);
CREATE TABLE IF NOT EXISTS pending(
    log TEXT NOT NULL, size INTEGER NOT NULL, note TEXT NOT NULL, PRIMARY KEY(log, size));
CREATE TABLE IF NOT EXISTS own_cosignatures(
    size INTEGER NOT NULL, witness TEXT NOT NULL, note TEXT NOT NULL, line TEXT NOT NULL,
    PRIMARY KEY(size, witness));
CREATE TABLE IF NOT EXISTS witnessed(witness TEXT PRIMARY KEY, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS cosignatures(
    log TEXT NOT NULL, size INTEGER NOT NULL, cosigner TEXT NOT NULL, timestamp INTEGER NOT NULL,
    PRIMARY KEY(log, size, cosigner, timestamp));
";

/// The receipt of `kind` by the recipient for message `m` (an alias of `messages`), as SQL.
macro_rules! receipt_of {
    ($kind:literal) => {
        concat!(
            "(SELECT MIN(r.issued_at) FROM hotline_receipts r WHERE r.author = m.recipient
              AND r.kind = '",
            $kind,
            "' AND r.message = m.record_id AND (r.sender IS NULL OR r.sender = m.author))"
        )
    };
}

/// Maps a log error to the node's: a mismatch with a signed checkpoint is a conflict.
pub fn log_error(e: LogError) -> NodeError {
    match e {
        LogError::Proof(m) => NodeError::Conflict(m),
        LogError::Equivocation(f) => NodeError::Conflict(format!("equivocation: {}", f.summary)),
        LogError::Checkpoint(m) | LogError::Cosignature(m) => NodeError::BadNote(m),
        LogError::EntryTooLarge { len } => NodeError::TooLarge(format!(
            "an envelope of {len} bytes; a log entry holds at most 65535"
        )),
        LogError::OutOfRange { what, value, size } => {
            NodeError::NotFound(format!("{what} {value} is outside the log of size {size}"))
        }
        other => NodeError::Log(other.to_string()),
    }
}

impl Store {
    /// Opens (or creates) the store in `dir` for party `own`, whose log `keys` sign (the
    /// current key first, then former keys inside a rotation's overlap; `retired` are the
    /// other former keys), opening every log held and indexing whatever the index lacks.
    pub fn open(
        dir: &Path,
        own: &str,
        keys: &[SigningKey],
        retired: &[SigningKey],
    ) -> Result<Store, NodeError> {
        Self::open_in(dir, &DatabaseChoice::Sqlite, own, keys, retired)
    }

    /// Opens (or creates) the store of party `own` as [`Store::open`] does, its tables in the
    /// database `choice` names and its logs' files in `dir`.
    pub fn open_in(
        dir: &Path,
        choice: &DatabaseChoice,
        own: &str,
        keys: &[SigningKey],
        retired: &[SigningKey],
    ) -> Result<Store, NodeError> {
        let key = keys
            .first()
            .ok_or_else(|| NodeError::Malformed("a node needs a signing key".into()))?;
        std::fs::create_dir_all(dir).map_err(|e| NodeError::io(dir, e))?;
        let (db, existing) = choice.node_tables(dir)?;
        let migration = crate::migrate::migrate(&*db, SCHEMA, existing)?;
        if !matches!(
            migration,
            crate::migrate::Migration::Current | crate::migrate::Migration::Created
        ) {
            tracing::info!(target: "accord_node", "node.db: {migration:?} to schema version {}", crate::migrate::SCHEMA_VERSION);
        }
        let logs_dir = dir.join(LOGS_DIR);
        std::fs::create_dir_all(&logs_dir).map_err(|e| NodeError::io(&logs_dir, e))?;
        let cosigner = CosignerKey::new(&mirror_name(own), key.clone()).map_err(log_error)?;
        let mut store = Store {
            db,
            choice: choice.clone(),
            dir: dir.to_owned(),
            own: own.to_owned(),
            logs: HashMap::new(),
            cosigner,
            signers: keys.to_vec(),
            former: retired.to_vec(),
        };
        // Rows kept before the tables named the own log they are about are about the public
        // log, the only own log then.
        for table in ["outbox", "receipts", "own_cosignatures", "witnessed"] {
            store.db.execute(
                &format!("UPDATE {table} SET log = ?1 WHERE log = ''"),
                &[own.into()],
            )?;
        }
        store.open_own(own)?;
        for log in choice.held_logs(&logs_dir)? {
            if store.logs.contains_key(&log) {
                continue;
            }
            let name = LogName::parse_key(&log)?;
            if name.party.as_str() == own {
                store.open_own(&log)?;
                continue;
            }
            let log_dir = logs_dir.join(name.dir());
            let db = choice.log(&log_dir, &log)?;
            if !Log::exists_in(&*db).map_err(log_error)? {
                continue;
            }
            let mut mirror = Log::open_reader_in(&log_dir, db).map_err(log_error)?;
            if mirror.size() > 0 && !log_dir.join(accord_log::tiles::CHECKPOINT_FILE).exists() {
                // A database restored without the files (PostgreSQL's pg_restore): the
                // published files are written again from it.
                mirror.republish_files().map_err(log_error)?;
            }
            store.logs.insert(log, mirror);
        }
        for log in store.logs() {
            store.reindex(&log)?;
        }
        Ok(store)
    }

    /// Opens the own log named `log`, or makes it, signed with the node's keys under its
    /// origin.
    fn open_own(&mut self, log: &str) -> Result<(), NodeError> {
        let name = LogName::parse_key(log)?;
        let origin = name.origin();
        let log_keys = |ks: &[SigningKey]| {
            ks.iter()
                .map(|k| LogKey::from_signing_key(&origin, k))
                .collect::<Result<Vec<_>, _>>()
                .map_err(log_error)
        };
        let (signers, former) = (log_keys(&self.signers)?, log_keys(&self.former)?);
        let first = signers
            .first()
            .ok_or_else(|| NodeError::Malformed("a node needs a signing key".into()))?;
        let own_dir = self.dir.join(LOGS_DIR).join(name.dir());
        let own_db = self.choice.log(&own_dir, log)?;
        let own_log = if Log::exists_in(&*own_db).map_err(log_error)? {
            Log::open_with_keys_in(&own_dir, own_db, &signers, &former)
        } else {
            Log::create_in(&own_dir, own_db, &origin, first).and_then(|mut l| {
                l.set_signing_keys(&signers)?;
                Ok(l)
            })
        }
        .map_err(log_error)?;
        self.logs.insert(log.to_owned(), own_log);
        Ok(())
    }

    /// A checkpoint of size 0 of the own log `log`, signed with the node's current keys under
    /// the log's origin, without making the log.
    pub fn empty_checkpoint(&self, log: &str) -> Result<String, NodeError> {
        let origin = LogName::parse_key(log)?.origin();
        let keys = self
            .signers
            .iter()
            .map(|k| LogKey::from_signing_key(&origin, k))
            .collect::<Result<Vec<_>, _>>()
            .map_err(log_error)?;
        let refs: Vec<&LogKey> = keys.iter().collect();
        let cp =
            LogKey::sign_all(&refs, &origin, 0, MerkleTree::new().root()).map_err(log_error)?;
        Ok(cp.as_str().to_owned())
    }

    /// Whether `log` is one of the node's own logs.
    pub fn is_own(&self, log: &str) -> bool {
        log == self.own
            || log
                .strip_prefix(self.own.as_str())
                .is_some_and(|r| r.starts_with('/'))
    }

    /// The names of the node's own logs held, sorted (the public log first).
    pub fn own_logs(&self) -> Vec<String> {
        self.logs().into_iter().filter(|l| self.is_own(l)).collect()
    }

    /// Indexes the entries of `log` that `node.db` does not know yet.
    fn reindex(&mut self, log: &str) -> Result<(), NodeError> {
        let indexed = self
            .db
            .value("SELECT COUNT(*) FROM records WHERE log = ?1", &[log.into()])?
            .map_or(Ok(0), |v| v.size())?;
        let size = self.size(log);
        if indexed < size {
            let entries = self.logs[log].entries(indexed..size).map_err(log_error)?;
            let new: Vec<NewEntry> = entries
                .into_iter()
                .map(|e| {
                    let r = crate::node::decode_logged(&e)?;
                    Ok(crate::node::entry_of_record(&r, e))
                })
                .collect::<Result<_, NodeError>>()?;
            self.index(log, indexed, &new)?;
        }
        Ok(())
    }

    /// Indexes entries of `log` from `first` in one transaction: record ids, hotline messages
    /// (released to the inbox in log order when addressed to this node) and hotline receipts.
    fn index(&mut self, log: &str, first: u64, entries: &[NewEntry]) -> Result<(), NodeError> {
        let own = self.own.clone();
        let author = LogName::parse_key(log)?.party.to_string();
        transaction(&*self.db, false, |tx| {
            let mut position = tx
                .value("SELECT COALESCE(MAX(position), 0) FROM messages", &[])?
                .map_or(Ok(0), |v| v.int())?;
            // Each table's rows go in as one batch: a server is asked once per table, not
            // once per entry.
            let (mut records, mut messages, mut receipts) = (Vec::new(), Vec::new(), Vec::new());
            for (idx, e) in (first..).zip(entries) {
                let idx = Value::from(idx);
                records.push(vec![
                    log.into(),
                    idx.clone(),
                    (&e.record_id).into(),
                    (&e.kind).into(),
                ]);
                match &e.hotline {
                    HotlineIndex::None => {}
                    HotlineIndex::Message {
                        to,
                        seq,
                        text,
                        issued_at,
                    } => {
                        let pos = if *to == own && author != own {
                            position += 1;
                            Some(position)
                        } else {
                            None
                        };
                        messages.push(vec![
                            log.into(),
                            author.as_str().into(),
                            idx,
                            (&e.record_id).into(),
                            to.into(),
                            (*seq).into(),
                            text.into(),
                            issued_at.into(),
                            pos.into(),
                        ]);
                    }
                    HotlineIndex::Receipt {
                        from,
                        message,
                        kind,
                        issued_at,
                    } => receipts.push(vec![
                        log.into(),
                        author.as_str().into(),
                        idx,
                        from.as_deref().into(),
                        message.into(),
                        (*kind).into(),
                        issued_at.into(),
                    ]),
                }
            }
            tx.insert_rows("records", &["log", "idx", "record_id", "kind"], &records)?;
            tx.insert_rows(
                "messages",
                &[
                    "log",
                    "author",
                    "idx",
                    "record_id",
                    "recipient",
                    "seq",
                    "text",
                    "issued_at",
                    "position",
                ],
                &messages,
            )?;
            tx.insert_rows(
                "hotline_receipts",
                &[
                    "log",
                    "author",
                    "idx",
                    "sender",
                    "message",
                    "kind",
                    "issued_at",
                ],
                &receipts,
            )?;
            Ok::<_, DbError>(())
        })?;
        Ok(())
    }

    /// The database of the node's own tables, for the node's health and its migrations.
    pub(crate) fn db(&self) -> &dyn Database {
        &*self.db
    }

    /// Where the node keeps its tables and its logs' sequencing.
    pub fn database(&self) -> &DatabaseChoice {
        &self.choice
    }

    /// The directory of `log`'s files (tiles, entry bundles, checkpoint).
    pub fn log_dir(&self, log: &str) -> Option<PathBuf> {
        self.logs
            .get(log)
            .and_then(|_| log_path(&self.dir.join(LOGS_DIR), log).ok())
    }

    /// The number of entries in `log`.
    pub fn size(&self, log: &str) -> u64 {
        self.logs.get(log).map_or(0, Log::size)
    }

    /// The current root of `log`.
    pub fn root(&self, log: &str) -> Hash {
        match self.logs.get(log) {
            Some(l) => l.root(),
            None => MerkleTree::new().root(),
        }
    }

    /// The names of every log held, sorted.
    pub fn logs(&self) -> Vec<String> {
        let mut v: Vec<String> = self.logs.keys().cloned().collect();
        v.sort();
        v
    }

    /// The root of `log` when it had `size` entries.
    pub fn root_at(&self, log: &str, size: u64) -> Result<Hash, NodeError> {
        match self.logs.get(log) {
            Some(l) => l.tree().root_at(size).map_err(log_error),
            None if size == 0 => Ok(MerkleTree::new().root()),
            None => Err(NodeError::NotFound(format!("no log {log} here"))),
        }
    }

    /// The log and index of a record of `party` in any of its logs, if logged.
    pub fn find_of_party(
        &self,
        party: &str,
        record_id: &str,
    ) -> Result<Option<(String, u64)>, NodeError> {
        let row = self.db.rows(
            // `party/...` sorts from `party/` to just before `party0` ('0' follows '/').
            "SELECT log, idx FROM records WHERE record_id = ?2 AND (log = ?1 OR
                 (log > ?3 AND log < ?4))",
            &[
                party.into(),
                record_id.into(),
                format!("{party}/").into(),
                format!("{party}0").into(),
            ],
        )?;
        Ok(match row.first() {
            Some(r) => Some((r[0].text()?, r[1].size()?)),
            None => None,
        })
    }

    /// The log of the first record `record_id` found among every log held, if any.
    pub fn log_of_record(&self, record_id: &str) -> Result<Option<String>, NodeError> {
        Ok(self
            .db
            .value(
                "SELECT log FROM records WHERE record_id = ?1 ORDER BY log LIMIT 1",
                &[record_id.into()],
            )?
            .map(|v| v.text())
            .transpose()?)
    }

    /// The index of a record in `log`, if logged.
    pub fn index_of(&self, log: &str, record_id: &str) -> Result<Option<u64>, NodeError> {
        Ok(self
            .db
            .value(
                "SELECT idx FROM records WHERE log = ?1 AND record_id = ?2",
                &[log.into(), record_id.into()],
            )?
            .map(|v| v.size())
            .transpose()?)
    }

    /// The (log, index) of every record of `kind` (`RecordBody::kind`), in (log, index) order.
    pub fn records_of_kind(&self, kind: &str) -> Result<Vec<(String, u64)>, NodeError> {
        let rows = self.db.rows(
            "SELECT log, idx FROM records WHERE kind = ?1 ORDER BY log, idx",
            &[kind.into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| Ok((r[0].text()?, r[1].size()?)))
            .collect::<Result<_, DbError>>()?)
    }

    /// The envelope bytes at `index` of `log`.
    pub fn envelope_at(&self, log: &str, index: u64) -> Result<Option<Vec<u8>>, NodeError> {
        match self.logs.get(log) {
            Some(l) if index < l.size() => Ok(Some(l.entry(index).map_err(log_error)?)),
            _ => Ok(None),
        }
    }

    /// The RFC 6962 inclusion proof of entry `index` of `log` in its tree of `size` entries.
    pub fn prove_inclusion(
        &self,
        log: &str,
        index: u64,
        size: u64,
    ) -> Result<accord_log::InclusionProof, NodeError> {
        let l = self
            .logs
            .get(log)
            .ok_or_else(|| NodeError::NotFound(format!("no log {log} here")))?;
        l.prove_inclusion(index, size).map_err(log_error)
    }

    /// Envelope bytes of `log` from `start`, at most `limit` of them.
    pub fn envelopes(
        &self,
        log: &str,
        start: u64,
        limit: u64,
    ) -> Result<Vec<(u64, Vec<u8>)>, NodeError> {
        let Some(l) = self.logs.get(log) else {
            return Ok(vec![]);
        };
        let end = l.size().min(start.saturating_add(limit));
        if start >= end {
            return Ok(vec![]);
        }
        let rows = l.entries(start..end).map_err(log_error)?;
        Ok((start..end).zip(rows).collect())
    }

    /// The last sequence number used by `log`'s author on the hotline channel to `recipient`.
    pub fn last_seq(&self, log: &str, recipient: &str) -> Result<u64, NodeError> {
        Ok(self
            .db
            .value(
                "SELECT COALESCE(MAX(seq), 0) FROM messages WHERE author = ?1 AND recipient = ?2",
                &[log.into(), recipient.into()],
            )?
            .map_or(Ok(0), |v| v.size())?)
    }

    /// Appends entries to the node's own log `log` (one durable commit and one signed
    /// checkpoint), making the log on first use, and returns the new size and root.
    pub fn append_own(
        &mut self,
        log: &str,
        entries: &[NewEntry],
    ) -> Result<(u64, Hash), NodeError> {
        if !self.is_own(log) {
            return Err(NodeError::WrongParty(format!(
                "log {log} is not one of {}'s",
                self.own
            )));
        }
        if !self.logs.contains_key(log) {
            self.open_own(log)?;
        }
        let l = self
            .logs
            .get_mut(log)
            .ok_or_else(|| NodeError::NotFound(format!("no log {log} here")))?;
        let bytes: Vec<&[u8]> = entries.iter().map(|e| e.envelope.as_slice()).collect();
        let range = l.append_batch(&bytes).map_err(log_error)?;
        let (size, root) = (l.size(), l.root());
        self.index(log, range.start, entries)?;
        Ok((size, root))
    }

    /// Extends the mirror of `log` with entries received with the author's signed checkpoint
    /// `peer_note` (whose root must match, signed by one of `vkeys`: the author's keys that
    /// count now), creating the mirror on first use, and stores `cosigned` as the mirror's
    /// latest checkpoint. Nothing is stored if the entries do not hash to the checkpoint's root.
    pub fn append_mirror(
        &mut self,
        log: &str,
        vkeys: &[String],
        entries: &[NewEntry],
        peer_note: &str,
        cosigned: &str,
    ) -> Result<(), NodeError> {
        if !self.logs.contains_key(log) {
            // A new mirror is made only for entries that hash to the checkpoint's root, so a
            // refused first batch leaves no empty mirror behind.
            let keys: Vec<&str> = vkeys.iter().map(String::as_str).collect();
            let cp =
                SignedCheckpoint::verify_any(peer_note.as_bytes(), &keys).map_err(log_error)?;
            let mut tree = accord_log::MerkleTree::new();
            tree.extend(&entries.iter().map(|e| &e.envelope).collect::<Vec<_>>());
            if cp.size() != tree.size() || cp.root() != tree.root() {
                return Err(NodeError::Conflict(format!(
                    "the root over {} entries differs from {log}'s checkpoint of size {}",
                    tree.size(),
                    cp.size()
                )));
            }
            let name = LogName::parse_key(log)?;
            let mirror_dir = self.dir.join(LOGS_DIR).join(name.dir());
            let db = self.choice.log(&mirror_dir, log)?;
            let m = Log::create_mirror_in(
                &mirror_dir,
                db,
                &name.party,
                &name.origin(),
                vkeys.first().map_or("", String::as_str),
            )
            .map_err(log_error)?;
            self.logs.insert(log.to_owned(), m);
        }
        let mirror = self.logs.get_mut(log).expect("just opened");
        let keys: Vec<&str> = vkeys.iter().map(String::as_str).collect();
        mirror.set_accepted_keys(&keys).map_err(log_error)?;
        let first = mirror.size();
        let bytes: Vec<&[u8]> = entries.iter().map(|e| e.envelope.as_slice()).collect();
        mirror
            .mirror_extend(&bytes, peer_note.as_bytes())
            .map_err(log_error)?;
        crate::crash_point("mirror-stored");
        self.index(log, first, entries)?;
        self.set_checkpoint(log, cosigned)
    }

    /// The latest checkpoint of the node's own log `log`, signed (an own log not made yet is
    /// empty; its checkpoint is made with it).
    pub fn own_checkpoint(&mut self, log: &str) -> Result<String, NodeError> {
        if !self.logs.contains_key(log) {
            self.open_own(log)?;
        }
        Ok(self.logs[log].checkpoint().as_str().to_owned())
    }

    /// Stores the latest checkpoint note of `log` (without appending).
    pub fn set_checkpoint(&self, log: &str, note: &str) -> Result<(), NodeError> {
        self.db.execute(
            "INSERT INTO checkpoints(log, note) VALUES (?1, ?2)
             ON CONFLICT(log) DO UPDATE SET note = excluded.note",
            &[log.into(), note.into()],
        )?;
        Ok(())
    }

    /// Cosigns a checkpoint note of a peer's log as this node's mirror at `time` (Unix
    /// seconds), keeping only the signatures of the log's own key `origin`.
    pub fn cosign(&self, note: &str, origin: &str, time: u64) -> Result<String, NodeError> {
        let bytes = self
            .cosigner
            .cosign_note(&log_signed(note, origin)?, time)
            .map_err(log_error)?;
        String::from_utf8(bytes).map_err(|e| NodeError::BadNote(e.to_string()))
    }

    /// The mirror's cosignature line on the checkpoint `cp` at `time` (Unix seconds).
    pub fn cosignature_line(&self, cp: &SignedCheckpoint, time: u64) -> Vec<u8> {
        self.cosigner.cosignature_line(cp.body(), time)
    }

    /// The latest checkpoint note of `log`: ours signed, a mirror's cosigned by us as its mirror. A mirror
    /// whose cosigned note was lost (a crash after its entries were stored) is cosigned again
    /// at `time` (Unix seconds).
    pub fn checkpoint(&self, log: &str, time: u64) -> Result<Option<String>, NodeError> {
        let Some(mirror) = self.logs.get(log) else {
            return Ok(None);
        };
        if self.is_own(log) {
            return Ok(Some(mirror.checkpoint().as_str().to_owned()));
        }
        let origin = LogName::parse_key(log)?.origin();
        if mirror.size() == 0 {
            return Ok(None);
        }
        let stored: Option<String> = self
            .db
            .value("SELECT note FROM checkpoints WHERE log = ?1", &[log.into()])?
            .map(|v| v.text())
            .transpose()?;
        if let Some(note) = stored
            && SignedCheckpoint::parse(note.as_bytes()).is_ok_and(|c| c.size() == mirror.size())
        {
            return Ok(Some(note));
        }
        let note = self.cosign(mirror.checkpoint().as_str(), &origin, time)?;
        self.set_checkpoint(log, &note)?;
        self.record_cosignature(log, mirror.size(), &self.own, time)?;
        Ok(Some(note))
    }

    /// Keeps a cosignature on the checkpoint of size `size` of `log` by `cosigner` at
    /// `timestamp` (Unix seconds): one this node made, or one a peer made on this node's log and
    /// returned in a receipt. The engine reads them to know when records were logged. A
    /// timestamp outside the years accord evaluates is refused.
    pub fn record_cosignature(
        &self,
        log: &str,
        size: u64,
        cosigner: &str,
        timestamp: u64,
    ) -> Result<(), NodeError> {
        cosignature_of(log, size, cosigner, timestamp)?;
        self.db.execute(
            "INSERT INTO cosignatures(log, size, cosigner, timestamp) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
            &[log.into(), size.into(), cosigner.into(), timestamp.into()],
        )?;
        Ok(())
    }

    /// Every cosignature kept, by log, size, cosigner and timestamp.
    pub fn cosignatures(&self) -> Result<Vec<accord_state::Cosignature>, NodeError> {
        cosignatures_in(&*self.db)
    }

    /// How many entries of our log `log` `peer` has cosigned.
    pub fn acked(&self, peer: &str, log: &str) -> Result<u64, NodeError> {
        Ok(self
            .db
            .value(
                "SELECT acked FROM outbox WHERE peer = ?1 AND log = ?2",
                &[peer.into(), log.into()],
            )?
            .map_or(Ok(0), |v| v.size())?)
    }

    /// Records a verified receipt from `peer` covering `size` entries of our log `log`.
    pub fn add_receipt(
        &self,
        peer: &str,
        log: &str,
        size: u64,
        note: &str,
    ) -> Result<(), NodeError> {
        self.db.execute(
            "INSERT INTO receipts(peer, log, size, note) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(peer, log, size) DO NOTHING",
            &[peer.into(), log.into(), size.into(), note.into()],
        )?;
        self.db.execute(
            "INSERT INTO outbox(peer, log, acked) VALUES (?1, ?2, ?3)
             ON CONFLICT(peer, log) DO UPDATE SET acked = CASE WHEN excluded.acked > outbox.acked
                 THEN excluded.acked ELSE outbox.acked END",
            &[peer.into(), log.into(), size.into()],
        )?;
        Ok(())
    }

    /// Every receipt held from `peer`, by log and size.
    pub fn receipts(&self, peer: &str) -> Result<Vec<(String, u64, String)>, NodeError> {
        let rows = self.db.rows(
            "SELECT log, size, note FROM receipts WHERE peer = ?1 ORDER BY log, size",
            &[peer.into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| Ok((r[0].text()?, r[1].size()?, r[2].text()?)))
            .collect::<Result<_, DbError>>()?)
    }

    fn held(&self, filter: &str, args: &[Value]) -> Result<Vec<HeldMessage>, NodeError> {
        let sql = format!(
            "SELECT m.position, m.author, m.recipient, m.idx, m.record_id, m.seq, m.text,
                    m.issued_at, {}, {}, m.log FROM messages m WHERE {filter}",
            receipt_of!("delivered"),
            receipt_of!("read"),
        );
        let rows = self.db.rows(&sql, args)?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(HeldMessage {
                    position: r[0].opt_int()?.map(|v| v as u64),
                    sender: r[1].text()?,
                    recipient: r[2].text()?,
                    index: r[3].size()?,
                    record_id: r[4].text()?,
                    seq: r[5].size()?,
                    text: r[6].text()?,
                    issued_at: r[7].text()?,
                    delivered_at: r[8].opt_text()?,
                    read_at: r[9].opt_text()?,
                    log: r[10].text()?,
                })
            })
            .collect::<Result<_, DbError>>()?)
    }

    /// Inbox messages (hotline messages to this node, in the order released) after `position`,
    /// at most `limit`.
    pub fn inbox(&self, after: u64, limit: u64) -> Result<Vec<HeldMessage>, NodeError> {
        self.held(
            "m.position > ?1 ORDER BY m.position LIMIT ?2",
            &[after.into(), limit.into()],
        )
    }

    /// Inbox messages for which this node has not logged a delivery receipt yet.
    pub fn undelivered(&self) -> Result<Vec<HeldMessage>, NodeError> {
        let filter = format!(
            "m.position IS NOT NULL AND {} IS NULL ORDER BY m.position",
            receipt_of!("delivered")
        );
        self.held(&filter, &[])
    }

    /// The inbox message `record_id` from `sender` (any sender if `None`).
    pub fn inbox_message(
        &self,
        sender: Option<&str>,
        record_id: &str,
    ) -> Result<Vec<HeldMessage>, NodeError> {
        self.held(
            "m.position IS NOT NULL AND m.record_id = ?1 AND m.author = COALESCE(?2, m.author)
             ORDER BY m.position",
            &[record_id.into(), sender.into()],
        )
    }

    /// Hotline messages this node's party sent, by recipient and sequence number.
    pub fn sent(&self) -> Result<Vec<HeldMessage>, NodeError> {
        self.held(
            "m.author = ?1 ORDER BY m.recipient, m.seq",
            &[(&self.own).into()],
        )
    }

    /// The envelopes of `log` from `start` to `end` (exclusive).
    pub fn envelopes_from(
        &self,
        log: &str,
        start: u64,
        end: u64,
    ) -> Result<Vec<Vec<u8>>, NodeError> {
        match self.logs.get(log) {
            Some(l) if start < end => l.entries(start..end.min(l.size())).map_err(log_error),
            _ => Ok(vec![]),
        }
    }
}

/// The note `note` with only the signatures made under the key name `origin` (the log's own).
pub fn log_signed(note: &str, origin: &str) -> Result<Vec<u8>, NodeError> {
    let cp = SignedCheckpoint::parse(note.as_bytes()).map_err(log_error)?;
    let mut out = cp.body().to_vec();
    out.push(b'\n');
    for sig in accord_log::signature_lines(note.as_bytes()).map_err(log_error)? {
        if sig.name() == origin {
            out.extend_from_slice(&sig.to_bytes());
        }
    }
    Ok(out)
}

/// A cosignature as the engine reads it, checked: parties are valid ids and the timestamp lies
/// within the years accord evaluates.
fn cosignature_of(
    log: &str,
    size: u64,
    cosigner: &str,
    timestamp: u64,
) -> Result<accord_state::Cosignature, NodeError> {
    let party =
        |p: &str| accord_model::PartyId::new(p).map_err(|e| NodeError::Malformed(e.to_string()));
    let bad = |why: String| {
        NodeError::BadNote(format!(
            "cosignature by {cosigner} on {log}'s log at size {size}: timestamp {timestamp} {why}"
        ))
    };
    let at = i64::try_from(timestamp)
        .ok()
        .and_then(|t| accord_model::Instant::from_second(t).ok())
        .ok_or_else(|| bad("is not an instant".into()))?;
    accord_state::check_instant(at, "timestamp").map_err(|e| bad(e.to_string()))?;
    Ok(accord_state::Cosignature {
        log: party(log)?,
        size,
        cosigner: party(cosigner)?,
        timestamp: at,
    })
}

/// The cosignatures kept in a node database (none in a database from before they were kept).
fn cosignatures_in(db: &dyn Database) -> Result<Vec<accord_state::Cosignature>, NodeError> {
    if !db.has_table("cosignatures")? {
        return Ok(Vec::new());
    }
    let rows = db.rows(
        "SELECT log, size, cosigner, timestamp FROM cosignatures
         ORDER BY log, size, cosigner, timestamp",
        &[],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(cosignature_of(
            &r[0].text()?,
            r[1].size()?,
            &r[2].text()?,
            r[3].size()?,
        )?);
    }
    Ok(out)
}

/// Rows of (size, note) as read.
fn sized_notes(rows: Vec<accord_log::database::Row>) -> Result<Vec<(u64, String)>, NodeError> {
    Ok(rows
        .iter()
        .map(|r| Ok((r[0].size()?, r[1].text()?)))
        .collect::<Result<_, DbError>>()?)
}

/// How many pending checkpoints of a log are kept: `add-entries` may name any of them.
const PENDING_KEPT: u64 = 16;

impl Store {
    /// Keeps `note` (signed by `log`'s author, just witnessed) as a pending checkpoint of the
    /// mirror of `log`, of size `size`.
    pub fn add_pending(&self, log: &str, size: u64, note: &str) -> Result<(), NodeError> {
        self.db.execute(
            "INSERT INTO pending(log, size, note) VALUES (?1, ?2, ?3)
             ON CONFLICT(log, size) DO UPDATE SET note = excluded.note",
            &[log.into(), size.into(), note.into()],
        )?;
        self.db.execute(
            "DELETE FROM pending WHERE log = ?1 AND size NOT IN
             (SELECT size FROM pending WHERE log = ?1 ORDER BY size DESC LIMIT ?2)",
            &[log.into(), PENDING_KEPT.into()],
        )?;
        Ok(())
    }

    /// The pending checkpoints of the mirror of `log`, by size.
    pub fn pending(&self, log: &str) -> Result<Vec<(u64, String)>, NodeError> {
        sized_notes(self.db.rows(
            "SELECT size, note FROM pending WHERE log = ?1 ORDER BY size",
            &[log.into()],
        )?)
    }

    /// The leaf hash of entry `index` of `log`, if held.
    pub fn leaf_hash(&self, log: &str, index: u64) -> Option<Hash> {
        self.logs.get(log).and_then(|l| l.tree().leaf_hash(index))
    }

    /// The latest checkpoint of `log` as its author signed it, if the log is held.
    pub fn signed_checkpoint(&self, log: &str) -> Option<&SignedCheckpoint> {
        self.logs.get(log).map(Log::checkpoint)
    }

    /// Checks a checkpoint of a mirrored `log` against the entries held.
    pub fn check_mirror_checkpoint(&self, log: &str, note: &str) -> Result<(), NodeError> {
        match self.logs.get(log) {
            Some(l) => l
                .check_checkpoint(note.as_bytes())
                .map(|_| ())
                .map_err(log_error),
            None => Ok(()),
        }
    }

    /// The tree of the node's own log `log` (an empty one if it is not made yet).
    pub fn own_tree(&self, log: &str) -> Result<&MerkleTree, NodeError> {
        self.logs
            .get(log)
            .filter(|_| self.is_own(log))
            .map(Log::tree)
            .ok_or_else(|| NodeError::NotFound(format!("no own log {log} here")))
    }

    /// Keeps witness `witness`'s cosignature `line` on our checkpoint `note` of size `size` of
    /// our log `log`.
    pub fn add_cosignature(
        &self,
        log: &str,
        size: u64,
        witness: &str,
        note: &str,
        line: &str,
    ) -> Result<(), NodeError> {
        self.db.execute(
            "INSERT INTO own_cosignatures(log, size, witness, note, line)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(log, size, witness) DO NOTHING",
            &[
                log.into(),
                size.into(),
                witness.into(),
                note.into(),
                line.into(),
            ],
        )?;
        self.db.execute(
            "INSERT INTO witnessed(witness, log, size) VALUES (?1, ?2, ?3)
             ON CONFLICT(witness, log) DO UPDATE SET size = CASE WHEN excluded.size > witnessed.size
                 THEN excluded.size ELSE witnessed.size END",
            &[witness.into(), log.into(), size.into()],
        )?;
        Ok(())
    }

    /// The largest size of our log `log` that `witness` cosigned.
    pub fn witnessed(&self, witness: &str, log: &str) -> Result<u64, NodeError> {
        Ok(self
            .db
            .value(
                "SELECT size FROM witnessed WHERE witness = ?1 AND log = ?2",
                &[witness.into(), log.into()],
            )?
            .map_or(Ok(0), |v| v.size())?)
    }

    /// Our checkpoints of `log` that witnesses cosigned, newest first, each as one note with
    /// every cosignature kept for it.
    pub fn cosigned(&self, log: &str, limit: u64) -> Result<Vec<(u64, String)>, NodeError> {
        let rows = self.db.rows(
            "SELECT size, note, line FROM own_cosignatures WHERE log = ?2 AND size IN
             (SELECT DISTINCT size FROM own_cosignatures WHERE log = ?2
              ORDER BY size DESC LIMIT ?1)
             ORDER BY size DESC, witness",
            &[limit.into(), log.into()],
        )?;
        let mut out: Vec<(u64, String)> = Vec::new();
        for r in rows {
            let (size, note, line) = (r[0].size()?, r[1].text()?, r[2].text()?);
            match out.last_mut() {
                Some((s, n)) if *s == size => n.push_str(&line),
                _ => out.push((size, note + &line)),
            }
        }
        Ok(out)
    }
}

/// The cosignatures kept in the node database of the data directory `dir`, read without
/// opening the node (for an export while it runs).
pub fn read_cosignatures(dir: &Path) -> Result<Vec<accord_state::Cosignature>, NodeError> {
    read_cosignatures_in(dir, &DatabaseChoice::Sqlite)
}

/// [`read_cosignatures`] of the node whose tables are in the database `choice` names.
pub fn read_cosignatures_in(
    dir: &Path,
    choice: &DatabaseChoice,
) -> Result<Vec<accord_state::Cosignature>, NodeError> {
    match choice {
        DatabaseChoice::Sqlite => {
            let path = dir.join(DB_FILE);
            if !path.exists() {
                return Ok(Vec::new());
            }
            cosignatures_in(&Sqlite::open_read_only(&path)?)
        }
        DatabaseChoice::Postgres(url) => {
            cosignatures_in(&postgres::Postgres::connect(url, postgres::NODE_SCHEMA)?)
        }
    }
}

/// Every log the node of data directory `dir` holds in the database `choice` names, opened to
/// read without opening the node (for an export or a backup while it runs), by party.
pub fn read_logs(dir: &Path, choice: &DatabaseChoice) -> Result<Vec<(String, Log)>, NodeError> {
    let logs_dir = dir.join(LOGS_DIR);
    let mut parties = match choice {
        // A PostgreSQL node restored from a dump may not have written its logs' files yet.
        DatabaseChoice::Postgres(url) => postgres::logs_held(url)?,
        DatabaseChoice::Sqlite if logs_dir.is_dir() => choice.held_logs(&logs_dir)?,
        DatabaseChoice::Sqlite => Vec::new(),
    };
    parties.sort();
    parties.dedup();
    let mut out = Vec::with_capacity(parties.len());
    for party in parties {
        let party_dir = log_path(&logs_dir, &party)?;
        let log = match choice {
            DatabaseChoice::Sqlite => Log::open_reader(&party_dir),
            DatabaseChoice::Postgres(url) => {
                let db = postgres::Postgres::connect(url, &postgres::log_schema(&party))?;
                if !Log::exists_in(&db).map_err(log_error)? {
                    continue;
                }
                Log::open_reader_in(&party_dir, Box::new(db))
            }
        }
        .map_err(log_error)?;
        out.push((party, log));
    }
    Ok(out)
}
