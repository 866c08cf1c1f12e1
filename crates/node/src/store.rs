//! The node's storage: one SQLite file (WAL) holding every log, the outbox cursors, the receipts
//! and the hotline inbox.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use crate::NodeError;
use crate::note::{Frontier, Hash, leaf_hash};

fn i(v: u64) -> i64 {
    v as i64
}

/// The database file in the data directory.
pub const DB_FILE: &str = "node.db";

/// One entry to append to a log.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// The record id.
    pub record_id: String,
    /// The record kind (`RecordBody::kind`).
    pub kind: String,
    /// For hotline messages: the recipient and sequence number.
    pub hotline: Option<(String, u64)>,
    /// The envelope bytes as logged.
    pub envelope: Vec<u8>,
}

/// A hotline message to put in the inbox.
#[derive(Debug, Clone)]
pub struct InboxEntry {
    /// The message's record id.
    pub record_id: String,
    /// The sender.
    pub sender: String,
    /// The sender's sequence number on the channel.
    pub seq: u64,
    /// The text.
    pub text: String,
    /// When it was issued.
    pub issued_at: String,
}

/// The SQLite store with the in-memory right edges of every log.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    frontiers: HashMap<String, Frontier>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS entries(
    log TEXT NOT NULL, idx INTEGER NOT NULL, record_id TEXT NOT NULL, kind TEXT NOT NULL,
    envelope BLOB NOT NULL, leaf BLOB NOT NULL, root BLOB NOT NULL,
    PRIMARY KEY(log, idx), UNIQUE(log, record_id));
CREATE TABLE IF NOT EXISTS channels(
    log TEXT NOT NULL, recipient TEXT NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY(log, recipient, seq));
CREATE TABLE IF NOT EXISTS checkpoints(log TEXT PRIMARY KEY, note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox(peer TEXT PRIMARY KEY, acked INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS receipts(
    peer TEXT NOT NULL, size INTEGER NOT NULL, note TEXT NOT NULL, PRIMARY KEY(peer, size));
CREATE TABLE IF NOT EXISTS hotline(
    record_id TEXT PRIMARY KEY, sender TEXT NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL,
    issued_at TEXT NOT NULL, position INTEGER UNIQUE, read INTEGER NOT NULL DEFAULT 0,
    UNIQUE(sender, seq));
";

impl Store {
    /// Opens (or creates) the store in `dir` and rebuilds the logs' right edges.
    pub fn open(dir: &Path) -> Result<Store, NodeError> {
        std::fs::create_dir_all(dir).map_err(|e| NodeError::io(dir, e))?;
        let conn = Connection::open(dir.join(DB_FILE))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        let mut frontiers: HashMap<String, Frontier> = HashMap::new();
        {
            let mut stmt = conn.prepare("SELECT log, leaf FROM entries ORDER BY log, idx")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let log: String = row.get(0)?;
                let leaf: Vec<u8> = row.get(1)?;
                let leaf: Hash = leaf.try_into().map_err(|_| {
                    rusqlite::Error::InvalidColumnType(
                        1,
                        "leaf".into(),
                        rusqlite::types::Type::Blob,
                    )
                })?;
                frontiers.entry(log).or_default().push(leaf);
            }
        }
        Ok(Store { conn, frontiers })
    }

    /// The number of entries in `log`.
    pub fn size(&self, log: &str) -> u64 {
        self.frontiers.get(log).map_or(0, Frontier::size)
    }

    /// The current root of `log`.
    pub fn root(&self, log: &str) -> Hash {
        self.frontiers.get(log).cloned().unwrap_or_default().root()
    }

    /// The names of every log held, sorted.
    pub fn logs(&self) -> Vec<String> {
        let mut v: Vec<String> = self.frontiers.keys().cloned().collect();
        v.sort();
        v
    }

    /// The root of `log` when it had `size` entries.
    pub fn root_at(&self, log: &str, size: u64) -> Result<Hash, NodeError> {
        if size == 0 {
            return Ok(Frontier::default().root());
        }
        let root: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT root FROM entries WHERE log = ?1 AND idx = ?2",
                params![log, i(size - 1)],
                |r| r.get(0),
            )
            .optional()?;
        root.and_then(|r| r.try_into().ok())
            .ok_or_else(|| NodeError::NotFound(format!("log {log} has no size {size}")))
    }

    /// The index of a record in `log`, if logged.
    pub fn index_of(&self, log: &str, record_id: &str) -> Result<Option<u64>, NodeError> {
        Ok(self
            .conn
            .query_row(
                "SELECT idx FROM entries WHERE log = ?1 AND record_id = ?2",
                params![log, record_id],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map(|v| v as u64))
    }

    /// The envelope bytes at `index` of `log`.
    pub fn envelope_at(&self, log: &str, index: u64) -> Result<Option<Vec<u8>>, NodeError> {
        Ok(self
            .conn
            .query_row(
                "SELECT envelope FROM entries WHERE log = ?1 AND idx = ?2",
                params![log, i(index)],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Envelope bytes of `log` from `start`, at most `limit` of them.
    pub fn envelopes(
        &self,
        log: &str,
        start: u64,
        limit: u64,
    ) -> Result<Vec<(u64, Vec<u8>)>, NodeError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT idx, envelope FROM entries WHERE log = ?1 AND idx >= ?2 ORDER BY idx LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![log, i(start), i(limit)], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The last sequence number used by `log`'s author on the hotline channel to `recipient`.
    pub fn last_seq(&self, log: &str, recipient: &str) -> Result<u64, NodeError> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM channels WHERE log = ?1 AND recipient = ?2",
            params![log, recipient],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Appends entries to `log` in one transaction, together with the checkpoint note `note`
    /// computed by `make_note` from the new size and root, and returns the new size and root.
    /// When `make_note` fails nothing is written.
    pub fn append(
        &mut self,
        log: &str,
        entries: &[NewEntry],
        make_note: impl FnOnce(u64, &Hash) -> Result<String, NodeError>,
    ) -> Result<(u64, Hash), NodeError> {
        let mut frontier = self.frontiers.get(log).cloned().unwrap_or_default();
        let tx = self.conn.transaction()?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO entries(log, idx, record_id, kind, envelope, leaf, root)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut chan =
                tx.prepare_cached("INSERT INTO channels(log, recipient, seq) VALUES (?1, ?2, ?3)")?;
            for e in entries {
                let idx = frontier.size();
                let leaf = leaf_hash(&e.envelope);
                frontier.push(leaf);
                let root = frontier.root();
                ins.execute(params![
                    log,
                    i(idx),
                    e.record_id,
                    e.kind,
                    e.envelope,
                    &leaf[..],
                    &root[..]
                ])
                .map_err(|err| match err {
                    rusqlite::Error::SqliteFailure(f, _)
                        if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        NodeError::Replay(format!(
                            "record {} is already in the log of {log}",
                            e.record_id
                        ))
                    }
                    other => other.into(),
                })?;
                if let Some((to, seq)) = &e.hotline {
                    chan.execute(params![log, to, i(*seq)])?;
                }
            }
        }
        let size = frontier.size();
        let root = frontier.root();
        let note = make_note(size, &root)?;
        tx.execute(
            "INSERT INTO checkpoints(log, note) VALUES (?1, ?2)
             ON CONFLICT(log) DO UPDATE SET note = excluded.note",
            params![log, note],
        )?;
        tx.commit()?;
        self.frontiers.insert(log.to_owned(), frontier);
        Ok((size, root))
    }

    /// Stores the latest checkpoint note of `log` (without appending).
    pub fn set_checkpoint(&self, log: &str, note: &str) -> Result<(), NodeError> {
        self.conn.execute(
            "INSERT INTO checkpoints(log, note) VALUES (?1, ?2)
             ON CONFLICT(log) DO UPDATE SET note = excluded.note",
            params![log, note],
        )?;
        Ok(())
    }

    /// The latest checkpoint note of `log`.
    pub fn checkpoint(&self, log: &str) -> Result<Option<String>, NodeError> {
        Ok(self
            .conn
            .query_row(
                "SELECT note FROM checkpoints WHERE log = ?1",
                params![log],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// How many entries of our log `peer` has cosigned.
    pub fn acked(&self, peer: &str) -> Result<u64, NodeError> {
        Ok(self
            .conn
            .query_row(
                "SELECT acked FROM outbox WHERE peer = ?1",
                params![peer],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .unwrap_or(0) as u64)
    }

    /// Records a verified receipt from `peer` covering `size` entries.
    pub fn add_receipt(&self, peer: &str, size: u64, note: &str) -> Result<(), NodeError> {
        self.conn.execute(
            "INSERT INTO receipts(peer, size, note) VALUES (?1, ?2, ?3)
             ON CONFLICT(peer, size) DO NOTHING",
            params![peer, i(size), note],
        )?;
        self.conn.execute(
            "INSERT INTO outbox(peer, acked) VALUES (?1, ?2)
             ON CONFLICT(peer) DO UPDATE SET acked = MAX(acked, excluded.acked)",
            params![peer, i(size)],
        )?;
        Ok(())
    }

    /// Every receipt held from `peer`, by size.
    pub fn receipts(&self, peer: &str) -> Result<Vec<(u64, String)>, NodeError> {
        let mut stmt = self
            .conn
            .prepare("SELECT size, note FROM receipts WHERE peer = ?1 ORDER BY size")?;
        let rows = stmt.query_map(params![peer], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Puts a hotline message in the inbox (once) and releases, in each sender's order, the
    /// messages that are now contiguous. Returns whether the message was new.
    pub fn inbox_insert(&mut self, m: &InboxEntry) -> Result<bool, NodeError> {
        let tx = self.conn.transaction()?;
        let new = tx.execute(
            "INSERT INTO hotline(record_id, sender, seq, text, issued_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO NOTHING",
            params![m.record_id, m.sender, i(m.seq), m.text, m.issued_at],
        )? == 1;
        if new {
            loop {
                let released: i64 = tx.query_row(
                    "SELECT COALESCE(MAX(seq), 0) FROM hotline WHERE sender = ?1 AND position IS NOT NULL",
                    params![m.sender],
                    |r| r.get(0),
                )?;
                let next: Option<String> = tx
                    .query_row(
                        "SELECT record_id FROM hotline WHERE sender = ?1 AND seq = ?2",
                        params![m.sender, released + 1],
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(id) = next else { break };
                tx.execute(
                    "UPDATE hotline SET position = (SELECT COALESCE(MAX(position), 0) + 1 FROM hotline)
                     WHERE record_id = ?1",
                    params![id],
                )?;
            }
        }
        tx.commit()?;
        Ok(new)
    }

    /// Released inbox messages after `position`, at most `limit`:
    /// (position, record, sender, seq, text, issued_at, read).
    #[allow(clippy::type_complexity)]
    pub fn inbox(
        &self,
        after: u64,
        limit: u64,
    ) -> Result<Vec<(u64, String, String, u64, String, String, bool)>, NodeError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT position, record_id, sender, seq, text, issued_at, read FROM hotline
             WHERE position > ?1 ORDER BY position LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![i(after), i(limit)], |r| {
            Ok((
                r.get::<_, i64>(0)? as u64,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, i64>(3)? as u64,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Marks an inbox message as read.
    pub fn mark_read(&self, record_id: &str) -> Result<(), NodeError> {
        self.conn.execute(
            "UPDATE hotline SET read = 1 WHERE record_id = ?1",
            params![record_id],
        )?;
        Ok(())
    }

    /// Every envelope of every log, in (log, index) order.
    pub fn all_envelopes(&self) -> Result<Vec<(String, u64, Vec<u8>)>, NodeError> {
        let mut stmt = self
            .conn
            .prepare("SELECT log, idx, envelope FROM entries ORDER BY log, idx")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
