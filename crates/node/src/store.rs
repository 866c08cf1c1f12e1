//! The node's storage: every log (its own and the mirrors of its peers') is an `accord-log`
//! directory under `DIR/logs/<party>` (C2SP tlog-tiles, SQLite sequencing); one more SQLite file
//! (WAL), `DIR/node.db`, holds what the node needs besides: the index of record ids for replay
//! checks, hotline channel numbers, the outbox cursors, the receipts and the hotline inbox.
//!
//! A log is committed before `node.db` indexes it; on open, entries the index lacks (a crash in
//! between) are indexed again from the log, so the two never disagree for long.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use accord_log::{CosignerKey, Hash, Log, LogError, LogKey, MerkleTree, SignedCheckpoint};
use ed25519_dalek::SigningKey;
use rusqlite::{Connection, OptionalExtension, params};

use crate::NodeError;
use crate::node::{mirror_name, origin};

fn i(v: u64) -> i64 {
    v as i64
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
    /// The index in the author's log.
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
    conn: Connection,
    dir: PathBuf,
    own: String,
    logs: HashMap<String, Log>,
    cosigner: CosignerKey,
}

/// The version of `node.db`'s tables; an older database is re-indexed from the logs.
const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records(
    log TEXT NOT NULL, idx INTEGER NOT NULL, record_id TEXT NOT NULL, kind TEXT NOT NULL,
    PRIMARY KEY(log, idx), UNIQUE(log, record_id));
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
    /// Opens (or creates) the store in `dir` for party `own` signing with `key`, opening every
    /// log held and indexing whatever the index lacks.
    pub fn open(dir: &Path, own: &str, key: &SigningKey) -> Result<Store, NodeError> {
        std::fs::create_dir_all(dir).map_err(|e| NodeError::io(dir, e))?;
        let conn = Connection::open(dir.join(DB_FILE))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        let version: Option<i64> = conn
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if version != Some(SCHEMA_VERSION) {
            // Everything but the outbox cursors and receipts is derived from the logs.
            conn.execute_batch(
                "DELETE FROM records; DELETE FROM messages; DELETE FROM hotline_receipts;",
            )?;
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema', ?1)",
                params![SCHEMA_VERSION.to_string()],
            )?;
        }
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
            if party != own && Log::exists(&entry.path()) {
                logs.insert(party, Log::open_reader(&entry.path()).map_err(log_error)?);
            }
        }
        let cosigner = CosignerKey::new(&mirror_name(own), key.clone()).map_err(log_error)?;
        let mut store = Store {
            conn,
            dir: dir.to_owned(),
            own: own.to_owned(),
            logs,
            cosigner,
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

    /// Indexes entries of `log` from `first` in one transaction: record ids, hotline messages
    /// (released to the inbox in log order when addressed to this node) and hotline receipts.
    fn index(&mut self, log: &str, first: u64, entries: &[NewEntry]) -> Result<(), NodeError> {
        let own = self.own.clone();
        let tx = self.conn.transaction()?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO records(log, idx, record_id, kind) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut msg = tx.prepare_cached(
                "INSERT INTO messages(author, idx, record_id, recipient, seq, text, issued_at, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut rcpt = tx.prepare_cached(
                "INSERT INTO hotline_receipts(author, idx, sender, message, kind, issued_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut position: i64 =
                tx.query_row("SELECT COALESCE(MAX(position), 0) FROM messages", [], |r| {
                    r.get(0)
                })?;
            for (k, e) in entries.iter().enumerate() {
                let idx = i(first + k as u64);
                ins.execute(params![log, idx, e.record_id, e.kind])?;
                match &e.hotline {
                    HotlineIndex::None => {}
                    HotlineIndex::Message {
                        to,
                        seq,
                        text,
                        issued_at,
                    } => {
                        let pos = if *to == own && log != own {
                            position += 1;
                            Some(position)
                        } else {
                            None
                        };
                        msg.execute(params![
                            log,
                            idx,
                            e.record_id,
                            to,
                            i(*seq),
                            text,
                            issued_at,
                            pos
                        ])?;
                    }
                    HotlineIndex::Receipt {
                        from,
                        message,
                        kind,
                        issued_at,
                    } => {
                        rcpt.execute(params![log, idx, from, message, kind, issued_at])?;
                    }
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

    /// The (log, index) of every record of `kind` (`RecordBody::kind`), in (log, index) order.
    pub fn records_of_kind(&self, kind: &str) -> Result<Vec<(String, u64)>, NodeError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT log, idx FROM records WHERE kind = ?1 ORDER BY log, idx")?;
        let rows = stmt.query_map(params![kind], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
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
            .ok_or_else(|| NodeError::NotFound(format!("no log of party {log} here")))?;
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
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM messages WHERE author = ?1 AND recipient = ?2",
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
        let (size, root) = (log.size(), log.root());
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
            // A new mirror is made only for entries that hash to the checkpoint's root, so a
            // refused first batch leaves no empty mirror behind.
            let cp = SignedCheckpoint::verify(peer_note.as_bytes(), vkey).map_err(log_error)?;
            let mut tree = accord_log::MerkleTree::new();
            tree.extend(&entries.iter().map(|e| &e.envelope).collect::<Vec<_>>());
            if cp.size() != tree.size() || cp.root() != tree.root() {
                return Err(NodeError::Conflict(format!(
                    "the root over {} entries differs from {log}'s checkpoint of size {}",
                    tree.size(),
                    cp.size()
                )));
            }
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
        crate::crash_point("mirror-stored");
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
        if log == self.own {
            return Ok(Some(self.own_checkpoint()));
        }
        let Some(mirror) = self.logs.get(log) else {
            return Ok(None);
        };
        if mirror.size() == 0 {
            return Ok(None);
        }
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT note FROM checkpoints WHERE log = ?1",
                params![log],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(note) = stored
            && SignedCheckpoint::parse(note.as_bytes()).is_ok_and(|c| c.size() == mirror.size())
        {
            return Ok(Some(note));
        }
        let note = self.cosign(mirror.checkpoint().as_str(), &origin(log), time)?;
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
        self.conn.execute(
            "INSERT OR IGNORE INTO cosignatures(log, size, cosigner, timestamp)
             VALUES (?1, ?2, ?3, ?4)",
            params![log, i(size), cosigner, i(timestamp)],
        )?;
        Ok(())
    }

    /// Every cosignature kept, by log, size, cosigner and timestamp.
    pub fn cosignatures(&self) -> Result<Vec<accord_state::Cosignature>, NodeError> {
        cosignatures_in(&self.conn)
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

    fn held(
        &self,
        filter: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<HeldMessage>, NodeError> {
        let sql = format!(
            "SELECT m.position, m.author, m.recipient, m.idx, m.record_id, m.seq, m.text,
                    m.issued_at, {}, {} FROM messages m WHERE {filter}",
            receipt_of!("delivered"),
            receipt_of!("read"),
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok(HeldMessage {
                position: r.get::<_, Option<i64>>(0)?.map(|v| v as u64),
                sender: r.get(1)?,
                recipient: r.get(2)?,
                index: r.get::<_, i64>(3)? as u64,
                record_id: r.get(4)?,
                seq: r.get::<_, i64>(5)? as u64,
                text: r.get(6)?,
                issued_at: r.get(7)?,
                delivered_at: r.get(8)?,
                read_at: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Inbox messages (hotline messages to this node, in the order released) after `position`,
    /// at most `limit`.
    pub fn inbox(&self, after: u64, limit: u64) -> Result<Vec<HeldMessage>, NodeError> {
        self.held(
            "m.position > ?1 ORDER BY m.position LIMIT ?2",
            &[&i(after), &i(limit)],
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
            "m.position IS NOT NULL AND m.record_id = ?1 AND (?2 IS NULL OR m.author = ?2)
             ORDER BY m.position",
            &[&record_id, &sender],
        )
    }

    /// Hotline messages this node's party sent, by recipient and sequence number.
    pub fn sent(&self) -> Result<Vec<HeldMessage>, NodeError> {
        self.held("m.author = ?1 ORDER BY m.recipient, m.seq", &[&self.own])
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
fn cosignatures_in(conn: &Connection) -> Result<Vec<accord_state::Cosignature>, NodeError> {
    let exists: bool = conn.query_row(
        "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'cosignatures'",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(
        "SELECT log, size, cosigner, timestamp FROM cosignatures
         ORDER BY log, size, cosigner, timestamp",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (log, size, cosigner, timestamp) = row?;
        out.push(cosignature_of(
            &log,
            size as u64,
            &cosigner,
            timestamp as u64,
        )?);
    }
    Ok(out)
}

/// How many pending checkpoints of a log are kept: `add-entries` may name any of them.
const PENDING_KEPT: i64 = 16;

impl Store {
    /// Keeps `note` (signed by `log`'s author, just witnessed) as a pending checkpoint of the
    /// mirror of `log`, of size `size`.
    pub fn add_pending(&self, log: &str, size: u64, note: &str) -> Result<(), NodeError> {
        self.conn.execute(
            "INSERT INTO pending(log, size, note) VALUES (?1, ?2, ?3)
             ON CONFLICT(log, size) DO UPDATE SET note = excluded.note",
            params![log, i(size), note],
        )?;
        self.conn.execute(
            "DELETE FROM pending WHERE log = ?1 AND size NOT IN
             (SELECT size FROM pending WHERE log = ?1 ORDER BY size DESC LIMIT ?2)",
            params![log, PENDING_KEPT],
        )?;
        Ok(())
    }

    /// The pending checkpoints of the mirror of `log`, by size.
    pub fn pending(&self, log: &str) -> Result<Vec<(u64, String)>, NodeError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT size, note FROM pending WHERE log = ?1 ORDER BY size")?;
        let rows = stmt.query_map(params![log], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
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

    /// The tree of the node's own log.
    pub fn own_tree(&self) -> &MerkleTree {
        self.logs[&self.own].tree()
    }

    /// Keeps witness `witness`'s cosignature `line` on our checkpoint `note` of size `size`.
    pub fn add_cosignature(
        &self,
        size: u64,
        witness: &str,
        note: &str,
        line: &str,
    ) -> Result<(), NodeError> {
        self.conn.execute(
            "INSERT INTO own_cosignatures(size, witness, note, line) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(size, witness) DO NOTHING",
            params![i(size), witness, note, line],
        )?;
        self.conn.execute(
            "INSERT INTO witnessed(witness, size) VALUES (?1, ?2)
             ON CONFLICT(witness) DO UPDATE SET size = MAX(size, excluded.size)",
            params![witness, i(size)],
        )?;
        Ok(())
    }

    /// The largest size of our log that `witness` cosigned.
    pub fn witnessed(&self, witness: &str) -> Result<u64, NodeError> {
        Ok(self
            .conn
            .query_row(
                "SELECT size FROM witnessed WHERE witness = ?1",
                params![witness],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .unwrap_or(0) as u64)
    }

    /// Our checkpoints that witnesses cosigned, newest first, each as one note with every
    /// cosignature kept for it.
    pub fn cosigned(&self, limit: u64) -> Result<Vec<(u64, String)>, NodeError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT size, note, line FROM own_cosignatures WHERE size IN
             (SELECT DISTINCT size FROM own_cosignatures ORDER BY size DESC LIMIT ?1)
             ORDER BY size DESC, witness",
        )?;
        let rows = stmt.query_map(params![i(limit)], |r| {
            Ok((
                r.get::<_, i64>(0)? as u64,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out: Vec<(u64, String)> = Vec::new();
        for row in rows {
            let (size, note, line) = row?;
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
    let path = dir.join(DB_FILE);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let conn = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    cosignatures_in(&conn)
}
