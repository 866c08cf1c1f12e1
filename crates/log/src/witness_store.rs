//! A witness's state, stored: for each log it follows, the latest checkpoint it cosigned, kept
//! in SQLite so that checking a C2SP tlog-witness `add-checkpoint` request against it and
//! storing the new size happen in one transaction, durable before the witness answers.

use std::path::{Path, PathBuf};

use accord_log_core::witness::{
    AddCheckpoint, TrustedLogs, WitnessRefusal, Witnessed, check_add_checkpoint, cosignature_answer,
};
use accord_log_core::{CosignerKey, Hash, LogError, Result};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS witnessed (
    origin TEXT PRIMARY KEY, size INTEGER NOT NULL, root BLOB NOT NULL, note BLOB NOT NULL);
";

/// What a witness has cosigned, per origin, in a SQLite file.
#[derive(Debug)]
pub struct WitnessStore {
    path: PathBuf,
    conn: Connection,
}

impl WitnessStore {
    /// Opens (or creates) the witness state in the SQLite file `path`.
    pub fn open(path: &Path) -> Result<Self> {
        // Every commit is on disk before it returns: the new size before the answer.
        let conn = crate::log::connect(path, SCHEMA)?;
        Ok(WitnessStore {
            path: path.to_owned(),
            conn,
        })
    }

    /// The latest checkpoint cosigned for `origin`, if any.
    pub fn latest(&self, origin: &str) -> Result<Option<Witnessed>> {
        latest(&self.conn, origin).map_err(|source| LogError::Db {
            path: self.path.clone(),
            source: source.into(),
        })
    }

    /// Answers a `POST add-checkpoint` body: checks it against `logs` and the stored state,
    /// stores the new checkpoint and returns the cosignature line by `key` made at `now`
    /// (seconds since the Unix epoch). The check and the store are one immediate transaction,
    /// so concurrent requests cannot roll the stored size back.
    pub fn add_checkpoint(
        &mut self,
        body: &[u8],
        logs: &TrustedLogs,
        key: &CosignerKey,
        now: u64,
    ) -> std::result::Result<Vec<u8>, WitnessRefusal> {
        let req = AddCheckpoint::parse(body)?;
        let storage = |e: rusqlite::Error| WitnessRefusal::Storage(e.to_string());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage)?;
        let cp = check_add_checkpoint(&req, logs, |origin| latest(&tx, origin).map_err(storage))?;
        tx.execute(
            "INSERT INTO witnessed(origin, size, root, note) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(origin) DO UPDATE SET size = ?2, root = ?3, note = ?4",
            params![cp.origin(), cp.size() as i64, &cp.root().0[..], cp.note()],
        )
        .map_err(storage)?;
        tx.commit().map_err(storage)?;
        Ok(cosignature_answer(key, &cp, now))
    }
}

fn latest(conn: &Connection, origin: &str) -> rusqlite::Result<Option<Witnessed>> {
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT size, root FROM witnessed WHERE origin = ?1",
            [origin],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((size, root)) = row else {
        return Ok(None);
    };
    // A damaged row must stop the witness, never read as "never cosigned".
    let damaged = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Blob,
            format!("the witnessed row of {origin} has {what}").into(),
        )
    };
    Ok(Some(Witnessed {
        size: u64::try_from(size).map_err(|_| damaged("a negative size"))?,
        root: Hash(
            root.try_into()
                .map_err(|_| damaged("a root that is not 32 bytes"))?,
        ),
    }))
}
