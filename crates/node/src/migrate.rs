//! Schema migrations of the node's tables (`node.db`, or the node's schema in PostgreSQL):
//! the database records its schema version (`meta` key `schema`), and opening it with a newer
//! accord runs each step from that version to [`SCHEMA_VERSION`] in one transaction, so a node
//! keeps its data across upgrades. Both engines share the version numbers and the steps, each
//! written in the SQL both run. A database newer than this accord is refused rather than
//! damaged (a node restored from a backup made by a later release must run that release).

use accord_log::Database;
use accord_log::database::transaction;

use crate::NodeError;

/// The schema version of `node.db` this accord writes.
pub const SCHEMA_VERSION: i64 = 4;

/// The oldest version migrated step by step; older databases have their derived tables
/// rebuilt from the logs instead (everything in them but the outbox cursors and receipts is
/// derived).
const FIRST_MIGRATED: i64 = 2;

/// The step from each version to the next, in order: `(from, SQL)`.
const STEPS: &[(i64, &str)] = &[
    (
        2,
        // 3: the peers' last contact, kept across restarts for the health report.
        "CREATE TABLE IF NOT EXISTS peer_contacts(
             peer TEXT PRIMARY KEY, at TEXT NOT NULL, what TEXT NOT NULL);",
    ),
    (
        3,
        // 4: a party keeps several logs (public, per agreement, per hotline channel), so what
        // the node keeps of its own logs names the log; rows from before are about the public
        // log, the only one then (an empty name, which opening the store sets to it). A
        // hotline message or receipt is keyed by its log, its author kept beside it.
        "CREATE TABLE outbox_v4(
             peer TEXT NOT NULL, log TEXT NOT NULL, acked INTEGER NOT NULL,
             PRIMARY KEY(peer, log));
         INSERT INTO outbox_v4(peer, log, acked) SELECT peer, '', acked FROM outbox;
         DROP TABLE outbox;
         ALTER TABLE outbox_v4 RENAME TO outbox;
         CREATE TABLE receipts_v4(
             peer TEXT NOT NULL, log TEXT NOT NULL, size INTEGER NOT NULL, note TEXT NOT NULL,
             PRIMARY KEY(peer, log, size));
         INSERT INTO receipts_v4(peer, log, size, note) SELECT peer, '', size, note FROM receipts;
         DROP TABLE receipts;
         ALTER TABLE receipts_v4 RENAME TO receipts;
         CREATE TABLE own_cosignatures_v4(
             log TEXT NOT NULL, size INTEGER NOT NULL, witness TEXT NOT NULL, note TEXT NOT NULL,
             line TEXT NOT NULL, PRIMARY KEY(log, size, witness));
         INSERT INTO own_cosignatures_v4(log, size, witness, note, line)
             SELECT '', size, witness, note, line FROM own_cosignatures;
         DROP TABLE own_cosignatures;
         ALTER TABLE own_cosignatures_v4 RENAME TO own_cosignatures;
         CREATE TABLE witnessed_v4(
             witness TEXT NOT NULL, log TEXT NOT NULL, size INTEGER NOT NULL,
             PRIMARY KEY(witness, log));
         INSERT INTO witnessed_v4(witness, log, size) SELECT witness, '', size FROM witnessed;
         DROP TABLE witnessed;
         ALTER TABLE witnessed_v4 RENAME TO witnessed;
         CREATE TABLE messages_v4(
             log TEXT NOT NULL, author TEXT NOT NULL, idx INTEGER NOT NULL,
             record_id TEXT NOT NULL, recipient TEXT NOT NULL, seq INTEGER NOT NULL,
             text TEXT NOT NULL, issued_at TEXT NOT NULL, position INTEGER UNIQUE,
             PRIMARY KEY(log, idx), UNIQUE(author, recipient, seq));
         INSERT INTO messages_v4(log, author, idx, record_id, recipient, seq, text, issued_at,
                 position)
             SELECT author, author, idx, record_id, recipient, seq, text, issued_at, position
             FROM messages;
         DROP TABLE messages;
         ALTER TABLE messages_v4 RENAME TO messages;
         CREATE INDEX IF NOT EXISTS messages_recipient ON messages(recipient, position);
         CREATE TABLE hotline_receipts_v4(
             log TEXT NOT NULL, author TEXT NOT NULL, idx INTEGER NOT NULL, sender TEXT,
             message TEXT NOT NULL, kind TEXT NOT NULL, issued_at TEXT NOT NULL,
             PRIMARY KEY(log, idx));
         INSERT INTO hotline_receipts_v4(log, author, idx, sender, message, kind, issued_at)
             SELECT author, author, idx, sender, message, kind, issued_at FROM hotline_receipts;
         DROP TABLE hotline_receipts;
         ALTER TABLE hotline_receipts_v4 RENAME TO hotline_receipts;
         CREATE INDEX IF NOT EXISTS hotline_receipts_message
             ON hotline_receipts(message, author);",
    ),
];

/// What opening the database did to its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migration {
    /// A new database, made at the current version.
    Created,
    /// Already at the current version.
    Current,
    /// Migrated step by step from this version.
    From(i64),
    /// So old that its derived tables were emptied, to be rebuilt from the logs.
    Rebuilt(Option<i64>),
}

/// The schema version a database records, if any.
pub fn version(db: &dyn Database) -> Result<Option<i64>, NodeError> {
    if !db.has_table("meta")? {
        return Ok(None);
    }
    let Some(v) = db.value("SELECT value FROM meta WHERE key = 'schema'", &[])? else {
        return Ok(None);
    };
    let text = v.text()?;
    text.trim()
        .parse()
        .map(Some)
        .map_err(|_| NodeError::Config {
            file: db.location(),
            reason: format!("the schema version {text:?} is not a number"),
        })
}

/// Brings `node.db` to [`SCHEMA_VERSION`]: `base` (the tables every version has, each
/// `CREATE ... IF NOT EXISTS`) first, then the steps from the recorded version, in one
/// transaction.
/// `existing` says whether the database held anything before it was opened.
pub fn migrate(db: &dyn Database, base: &str, existing: bool) -> Result<Migration, NodeError> {
    let found = version(db)?;
    if let Some(v) = found
        && v > SCHEMA_VERSION
    {
        return Err(NodeError::Config {
            file: db.location(),
            reason: format!(
                "schema version {v} is newer than this accord's ({SCHEMA_VERSION}): run the \
                 release that wrote it"
            ),
        });
    }
    let outcome = match found {
        Some(v) if v == SCHEMA_VERSION => Migration::Current,
        Some(v) if v >= FIRST_MIGRATED => Migration::From(v),
        None if !existing => Migration::Created,
        old => Migration::Rebuilt(old),
    };
    // A new or rebuilt database takes every step; each is written to run on either.
    let start = match outcome {
        Migration::From(v) => v,
        Migration::Current => SCHEMA_VERSION,
        Migration::Created | Migration::Rebuilt(_) => 0,
    };
    transaction(db, true, |tx| {
        tx.batch(base)?;
        for (_, sql) in STEPS.iter().filter(|(from, _)| *from >= start) {
            tx.batch(sql)?;
        }
        if let Migration::Rebuilt(_) = outcome {
            tx.batch("DELETE FROM records; DELETE FROM messages; DELETE FROM hotline_receipts;")?;
        }
        tx.execute(
            "INSERT INTO meta(key, value) VALUES ('schema', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            &[SCHEMA_VERSION.to_string().into()],
        )?;
        Ok::<_, NodeError>(())
    })?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_log::database::{Durability, Sqlite};

    fn open(dir: &tempfile::TempDir, name: &str) -> Sqlite {
        Sqlite::open(&dir.path().join(name), Durability::Full).unwrap()
    }

    /// The tables of version 3 that the steps change, as the base of every version made them.
    const BASE: &str = "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS records(log TEXT, idx INTEGER);
        CREATE TABLE IF NOT EXISTS outbox(peer TEXT PRIMARY KEY, acked INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS receipts(
            peer TEXT NOT NULL, size INTEGER NOT NULL, note TEXT NOT NULL, PRIMARY KEY(peer, size));
        CREATE TABLE IF NOT EXISTS messages(
            author TEXT NOT NULL, idx INTEGER NOT NULL, record_id TEXT NOT NULL,
            recipient TEXT NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL,
            issued_at TEXT NOT NULL, position INTEGER UNIQUE, PRIMARY KEY(author, idx),
            UNIQUE(author, recipient, seq));
        CREATE TABLE IF NOT EXISTS hotline_receipts(
            author TEXT NOT NULL, idx INTEGER NOT NULL, sender TEXT, message TEXT NOT NULL,
            kind TEXT NOT NULL, issued_at TEXT NOT NULL, PRIMARY KEY(author, idx));
        CREATE TABLE IF NOT EXISTS own_cosignatures(
            size INTEGER NOT NULL, witness TEXT NOT NULL, note TEXT NOT NULL, line TEXT NOT NULL,
            PRIMARY KEY(size, witness));
        CREATE TABLE IF NOT EXISTS witnessed(witness TEXT PRIMARY KEY, size INTEGER NOT NULL);";

    #[test]
    fn every_step_runs_once_and_newer_databases_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let c = open(&dir, "c.db");
        assert_eq!(migrate(&c, BASE, false).unwrap(), Migration::Created);
        assert_eq!(version(&c).unwrap(), Some(SCHEMA_VERSION));
        assert_eq!(migrate(&c, BASE, true).unwrap(), Migration::Current);

        let count = |db: &Sqlite, sql: &str| {
            let db: &dyn Database = db;
            db.value(sql, &[]).unwrap().unwrap().int().unwrap()
        };
        let old = open(&dir, "old.db");
        old.batch(BASE).unwrap();
        old.batch("INSERT INTO meta VALUES ('schema', '2'); INSERT INTO records VALUES ('US', 0);")
            .unwrap();
        assert_eq!(migrate(&old, BASE, true).unwrap(), Migration::From(2));
        assert!(old.has_table("peer_contacts").unwrap());
        assert_eq!(
            count(&old, "SELECT COUNT(*) FROM records"),
            1,
            "a step keeps the data"
        );

        let ancient = open(&dir, "ancient.db");
        ancient.batch(BASE).unwrap();
        ancient
            .batch("INSERT INTO meta VALUES ('schema', '1'); INSERT INTO records VALUES ('US', 0);")
            .unwrap();
        assert_eq!(
            migrate(&ancient, BASE, true).unwrap(),
            Migration::Rebuilt(Some(1))
        );
        assert_eq!(
            count(&ancient, "SELECT COUNT(*) FROM records"),
            0,
            "derived tables are rebuilt from the logs"
        );

        c.batch("UPDATE meta SET value = '99' WHERE key = 'schema'")
            .unwrap();
        let e = migrate(&c, BASE, true).unwrap_err().to_string();
        assert!(e.contains("schema version 99 is newer"), "{e}");
    }
}
