//! Schema migrations of `node.db`: the database records its schema version (`meta` key
//! `schema`), and opening it with a newer accord runs each step from that version to
//! [`SCHEMA_VERSION`] in one transaction, so a node keeps its data across upgrades. A database
//! newer than this accord is refused rather than damaged (a node restored from a backup made by
//! a later release must run that release).

use rusqlite::{Connection, OptionalExtension, params};

use crate::NodeError;

/// The schema version of `node.db` this accord writes.
pub const SCHEMA_VERSION: i64 = 3;

/// The oldest version migrated step by step; older databases have their derived tables
/// rebuilt from the logs instead (everything in them but the outbox cursors and receipts is
/// derived).
const FIRST_MIGRATED: i64 = 2;

/// The step from each version to the next, in order: `(from, SQL)`.
const STEPS: &[(i64, &str)] = &[(
    2,
    // 3: the peers' last contact, kept across restarts for the health report.
    "CREATE TABLE IF NOT EXISTS peer_contacts(
         peer TEXT PRIMARY KEY, at TEXT NOT NULL, what TEXT NOT NULL);",
)];

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
pub fn version(conn: &Connection) -> Result<Option<i64>, NodeError> {
    let has_meta: bool = conn.query_row(
        "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
        [],
        |r| r.get(0),
    )?;
    if !has_meta {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema'",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// Brings `node.db` to [`SCHEMA_VERSION`]: `base` (the tables every version has, each
/// `CREATE ... IF NOT EXISTS`) first, then the steps from the recorded version, in one
/// transaction.
/// `existing` says whether the database held anything before it was opened.
pub fn migrate(conn: &mut Connection, base: &str, existing: bool) -> Result<Migration, NodeError> {
    let found = version(conn)?;
    if let Some(v) = found
        && v > SCHEMA_VERSION
    {
        return Err(NodeError::Config {
            file: crate::store::DB_FILE.into(),
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
    let tx = conn.transaction()?;
    tx.execute_batch(base)?;
    for (_, sql) in STEPS.iter().filter(|(from, _)| *from >= start) {
        tx.execute_batch(sql)?;
    }
    if let Migration::Rebuilt(_) = outcome {
        tx.execute_batch(
            "DELETE FROM records; DELETE FROM messages; DELETE FROM hotline_receipts;",
        )?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema', ?1)",
        params![SCHEMA_VERSION.to_string()],
    )?;
    tx.commit()?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS records(log TEXT, idx INTEGER);
        CREATE TABLE IF NOT EXISTS messages(author TEXT);
        CREATE TABLE IF NOT EXISTS hotline_receipts(author TEXT);";

    #[test]
    fn every_step_runs_once_and_newer_databases_are_refused() {
        let mut c = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut c, BASE, false).unwrap(), Migration::Created);
        assert_eq!(version(&c).unwrap(), Some(SCHEMA_VERSION));
        assert_eq!(migrate(&mut c, BASE, true).unwrap(), Migration::Current);

        let mut old = Connection::open_in_memory().unwrap();
        old.execute_batch(BASE).unwrap();
        old.execute_batch(
            "INSERT INTO meta VALUES ('schema', '2'); INSERT INTO records VALUES ('US', 0);",
        )
        .unwrap();
        assert_eq!(migrate(&mut old, BASE, true).unwrap(), Migration::From(2));
        let tables: i64 = old
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'peer_contacts'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 1);
        let kept: i64 = old
            .query_row("SELECT COUNT(*) FROM records", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 1, "a step keeps the data");

        let mut ancient = Connection::open_in_memory().unwrap();
        ancient.execute_batch(BASE).unwrap();
        ancient
            .execute_batch(
                "INSERT INTO meta VALUES ('schema', '1'); INSERT INTO records VALUES ('US', 0);",
            )
            .unwrap();
        assert_eq!(
            migrate(&mut ancient, BASE, true).unwrap(),
            Migration::Rebuilt(Some(1))
        );
        let left: i64 = ancient
            .query_row("SELECT COUNT(*) FROM records", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0, "derived tables are rebuilt from the logs");

        c.execute("UPDATE meta SET value = '99' WHERE key = 'schema'", [])
            .unwrap();
        let e = migrate(&mut c, BASE, true).unwrap_err().to_string();
        assert!(e.contains("schema version 99 is newer"), "{e}");
    }
}
