//! The node's storage: every log (its own and the mirrors of its peers') is an `accord-log`
//! directory under `DIR/logs/<party>` (C2SP tlog-tiles, SQLite sequencing); one more SQLite file
//! (WAL), `DIR/node.db`, holds what the node needs besides: the index of record ids for replay
//! checks, hotline channel numbers, the outbox cursors, the receipts and the hotline inbox.
//!
//! A log is committed before `node.db` indexes it; on open, entries the index lacks (a crash in
//! between) are indexed again from the log, so the two never disagree for long.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use accord_log::{Log, LogError, LogKey};
use ed25519_dalek::SigningKey;
use rusqlite::{Connection, OptionalExtension, params};

use crate::NodeError;
use crate::note::{Hash, origin};

fn i(v: u64) -> i64 {
    v as i64
}

/// The database file in the data directory.
pub const DB_FILE: &str = "node.db";
/// The directory of the logs in the data directory, one subdirectory per party.
pub const LOGS_DIR: &str = "logs";

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

/// The logs and the node's own database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    own: String,
    logs: HashMap<String, Log>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS records(
    log TEXT NOT NULL, idx INTEGER NOT NULL, record_id TEXT NOT NULL, kind TEXT NOT NULL,
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
    /// Opens (or creates) the store in `dir` for party `own` signing with `key`, opening every
    /// log held and indexing whatever the index lacks.
    pub fn open(dir: &Path, own: &str, key: &SigningKey) -> Result<Store, NodeError> {
        std::fs::create_dir_all(dir).map_err(|e| NodeError::io(dir, e))?;
        let conn = Connection::open(dir.join(DB_FILE))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        let logs_dir = dir.join(LOGS_DIR);
        std::fs::create_dir_all(&logs_dir).map_err(|e| NodeError::io(&logs_dir, e))?;
        let name = origin(own);
        let log_key = LogKey::from_signing_key(&name, key).map_err(log_error)?;
        let mut logs = HashMap::new();
        logs.insert(
            own.to_owned(),
            Log::open_or_create(&logs_dir.join(own), &name, &log_key).map_err(log_error)?,
        );
        let listing = std::fs::read_dir(&logs_dir).map_err(|e| NodeError::io(&logs_dir, e))?;
        for entry in listing {
            let entry = entry.map_err(|e| NodeError::io(&logs_dir, e))?;
            let party = entry.file_name().to_string_lossy().into_owned();
            if party != own && entry.path().join(accord_log::DB_FILE).exists() {
                logs.insert(party, Log::open_reader(&entry.path()).map_err(log_error)?);
            }
        }
        let mut store = Store {
            conn,
            dir: dir.to_owned(),
            own: own.to_owned(),
            logs,
        };
        for log in store.logs() {
            store.reindex(&log)?;
        }
        Ok(store)
    }

    /// Indexes the entries of `log` that `node.db` does not know yet.
    fn reindex(&mut self, log: &str) -> Result<(), NodeError> {
        let indexed: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM records WHERE log = ?1",
            params![log],
            |r| r.get(0),
        )?;
        let size = self.size(log);
        if (indexed as u64) < size {
            let entries = self.logs[log]
                .entries(indexed as u64..size)
                .map_err(log_error)?;
            let new: Vec<NewEntry> = entries
                .into_iter()
                .map(|e| {
                    let r = crate::node::decode_logged(&e)?;
                    Ok(crate::node::entry_of_record(&r, e))
                })
                .collect::<Result<_, NodeError>>()?;
            self.index(log, indexed as u64, &new)?;
        }
        Ok(())
    }

    fn index(&mut self, log: &str, first: u64, entries: &[NewEntry]) -> Result<(), NodeError> {
        let tx = self.conn.transaction()?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO records(log, idx, record_id, kind) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut chan =
                tx.prepare_cached("INSERT INTO channels(log, recipient, seq) VALUES (?1, ?2, ?3)")?;
            for (k, e) in entries.iter().enumerate() {
                ins.execute(params![log, i(first + k as u64), e.record_id, e.kind])?;
                if let Some((to, seq)) = &e.hotline {
                    chan.execute(params![log, to, i(*seq)])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The directory of `log`'s files (tiles, entry bundles, checkpoint).
    pub fn log_dir(&self, log: &str) -> Option<PathBuf> {
        self.logs
            .get(log)
            .map(|_| self.dir.join(LOGS_DIR).join(log))
    }

    /// The number of entries in `log`.
    pub fn size(&self, log: &str) -> u64 {
        self.logs.get(log).map_or(0, Log::size)
    }

    /// The current root of `log`.
    pub fn root(&self, log: &str) -> Hash {
        match self.logs.get(log) {
            Some(l) => l.root().0,
            None => crate::note::Frontier::default().root(),
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
            Some(l) => Ok(l.tree().root_at(size).map_err(log_error)?.0),
            None if size == 0 => Ok(crate::note::Frontier::default().root()),
            None => Err(NodeError::NotFound(format!("no log of party {log} here"))),
        }
    }

    /// The index of a record in `log`, if logged.
    pub fn index_of(&self, log: &str, record_id: &str) -> Result<Option<u64>, NodeError> {
        Ok(self
            .conn
            .query_row(
                "SELECT idx FROM records WHERE log = ?1 AND record_id = ?2",
                params![log, record_id],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map(|v| v as u64))
    }

    /// The envelope bytes at `index` of `log`.
    pub fn envelope_at(&self, log: &str, index: u64) -> Result<Option<Vec<u8>>, NodeError> {
        match self.logs.get(log) {
            Some(l) if index < l.size() => Ok(Some(l.entry(index).map_err(log_error)?)),
            _ => Ok(None),
        }
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
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM channels WHERE log = ?1 AND recipient = ?2",
            params![log, recipient],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Appends entries to the node's own log (one durable commit and one signed checkpoint) and
    /// returns the new size and root.
    pub fn append_own(&mut self, entries: &[NewEntry]) -> Result<(u64, Hash), NodeError> {
        let own = self.own.clone();
        let log = self.logs.get_mut(&own).expect("the own log is open");
        let bytes: Vec<&[u8]> = entries.iter().map(|e| e.envelope.as_slice()).collect();
        let range = log.append_batch(&bytes).map_err(log_error)?;
        let (size, root) = (log.size(), log.root().0);
        self.index(&own, range.start, entries)?;
        Ok((size, root))
    }

    /// Extends the mirror of `log` with entries received with the author's signed checkpoint
    /// `peer_note` (whose root must match), creating the mirror with verifier key `vkey` on
    /// first use, and stores `cosigned` as the mirror's latest checkpoint. Nothing is stored
    /// if the entries do not hash to the checkpoint's root.
    pub fn append_mirror(
        &mut self,
        log: &str,
        vkey: &str,
        entries: &[NewEntry],
        peer_note: &str,
        cosigned: &str,
    ) -> Result<(), NodeError> {
        if !self.logs.contains_key(log) {
            let party =
                accord_model::PartyId::new(log).map_err(|e| NodeError::Malformed(e.to_string()))?;
            let m = Log::create_mirror(
                &self.dir.join(LOGS_DIR).join(log),
                &party,
                &origin(log),
                vkey,
            )
            .map_err(log_error)?;
            self.logs.insert(log.to_owned(), m);
        }
        let mirror = self.logs.get_mut(log).expect("just opened");
        let first = mirror.size();
        let bytes: Vec<&[u8]> = entries.iter().map(|e| e.envelope.as_slice()).collect();
        mirror
            .mirror_extend(&bytes, peer_note.as_bytes())
            .map_err(log_error)?;
        self.index(log, first, entries)?;
        self.set_checkpoint(log, cosigned)
    }

    /// The latest checkpoint of the node's own log, signed.
    pub fn own_checkpoint(&self) -> String {
        self.logs[&self.own].checkpoint().as_str().to_owned()
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

    /// The latest checkpoint note of `log`: ours signed, a mirror's cosigned by us.
    pub fn checkpoint(&self, log: &str) -> Result<Option<String>, NodeError> {
        if log == self.own {
            return Ok(Some(self.own_checkpoint()));
        }
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
        let mut out = Vec::new();
        for log in self.logs() {
            let size = self.size(&log);
            for (idx, env) in self.envelopes(&log, 0, size)? {
                out.push((log.clone(), idx, env));
            }
        }
        Ok(out)
    }
}
