//! The storage interface of everything accord keeps in a database: a log's entries and
//! checkpoints, a witness's state, a node's own tables. Statements are written once, in the
//! SQL both engines speak (numbered parameters `?1`, `ON CONFLICT` upserts, `INTEGER` and
//! `BLOB` columns); each implementation runs them on its engine. [`Sqlite`] is the embedded
//! one; a node may give its logs a PostgreSQL implementation instead (`accord-node`).
//!
//! The interface is a handful of statement primitives rather than one method per operation, so
//! that every operation, and every transaction's extent, is written once for both engines.

use std::path::{Path, PathBuf};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql};

/// A value bound to a statement's parameter or read from a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit integer.
    Int(i64),
    /// UTF-8 text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<u64> for Value {
    /// Sizes and indices: stored as signed 64-bit integers, as both engines hold them.
    fn from(v: u64) -> Self {
        Value::Int(v as i64)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Blob(v.to_vec())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Why a value read from a row is not what the column should hold.
fn mismatch(want: &str, got: &Value) -> DbError {
    DbError::Value(format!("expected {want}, found {got:?}"))
}

impl Value {
    /// The integer, or an error naming what was found.
    pub fn int(&self) -> Result<i64, DbError> {
        match self {
            Value::Int(v) => Ok(*v),
            other => Err(mismatch("an integer", other)),
        }
    }

    /// The integer as a size or index, refused when negative.
    pub fn size(&self) -> Result<u64, DbError> {
        u64::try_from(self.int()?).map_err(|_| mismatch("a size", self))
    }

    /// The integer, or none for NULL.
    pub fn opt_int(&self) -> Result<Option<i64>, DbError> {
        match self {
            Value::Null => Ok(None),
            other => other.int().map(Some),
        }
    }

    /// The text, or an error naming what was found.
    pub fn text(&self) -> Result<String, DbError> {
        match self {
            Value::Text(v) => Ok(v.clone()),
            other => Err(mismatch("text", other)),
        }
    }

    /// The text, or none for NULL.
    pub fn opt_text(&self) -> Result<Option<String>, DbError> {
        match self {
            Value::Null => Ok(None),
            other => other.text().map(Some),
        }
    }

    /// The bytes, or an error naming what was found.
    pub fn blob(&self) -> Result<Vec<u8>, DbError> {
        match self {
            Value::Blob(v) => Ok(v.clone()),
            other => Err(mismatch("bytes", other)),
        }
    }

    /// Takes the bytes out, leaving NULL; an error naming what was found otherwise.
    pub fn take_blob(&mut self) -> Result<Vec<u8>, DbError> {
        match std::mem::replace(self, Value::Null) {
            Value::Blob(v) => Ok(v),
            other => Err(mismatch("bytes", &other)),
        }
    }
}

/// A failure of the database engine, or a value of the wrong type.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The embedded engine failed.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// A database server failed.
    #[error("{0}")]
    Server(String),
    /// A value read is not of the column's type.
    #[error("a stored value: {0}")]
    Value(String),
}

/// A row read: one value per selected column.
pub type Row = Vec<Value>;

/// The SQL engine behind a [`Database`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// SQLite, embedded.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A connection to the database of one owner of tables (a log, a witness, a node), on which
/// statements run one at a time. Transactions are explicit: [`Database::begin`], then
/// [`Database::commit`] or [`Database::rollback`]; [`transaction`] pairs them.
pub trait Database: Send + std::fmt::Debug {
    /// Where the database is, for error messages (a file path, or a server and schema).
    fn location(&self) -> PathBuf;
    /// The engine.
    fn engine(&self) -> Engine;
    /// Runs statements without parameters, separated by semicolons (a schema).
    fn batch(&self, sql: &str) -> Result<(), DbError>;
    /// Runs one statement; the number of rows it changed.
    fn execute(&self, sql: &str, args: &[Value]) -> Result<u64, DbError>;
    /// Runs one query and calls `each` with every row, in order, until it returns an error.
    fn each_row(
        &self,
        sql: &str,
        args: &[Value],
        each: &mut dyn FnMut(Row) -> Result<(), DbError>,
    ) -> Result<(), DbError>;
    /// Begins a transaction; `exclusive` takes the write lock at once, so that what the
    /// transaction reads cannot change before it commits.
    fn begin(&self, exclusive: bool) -> Result<(), DbError>;
    /// Commits the transaction, durably.
    fn commit(&self) -> Result<(), DbError>;
    /// Rolls the transaction back.
    fn rollback(&self) -> Result<(), DbError>;
    /// Whether the table `name` exists.
    fn has_table(&self, name: &str) -> Result<bool, DbError>;
    /// Inserts `rows` (one value per column of `columns`) into `table`; the number of rows
    /// inserted. An engine on a server sends them in as few statements as it can (one round trip
    /// per batch, not per row); the embedded one runs one prepared statement per row.
    fn insert_rows(&self, table: &str, columns: &[&str], rows: &[Row]) -> Result<u64, DbError> {
        let sql = insert_sql(table, columns, 1);
        let mut n = 0;
        for row in rows {
            n += self.execute(&sql, row)?;
        }
        Ok(n)
    }
}

/// `INSERT INTO table(columns) VALUES (?1, ..), (..), ..` for `rows` rows, numbered parameters
/// row after row.
pub fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table}({}) VALUES ", columns.join(", "));
    let mut k = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            k += 1;
            sql.push_str(&format!("?{k}"));
        }
        sql.push(')');
    }
    sql
}

impl dyn Database + '_ {
    /// Every row of a query.
    pub fn rows(&self, sql: &str, args: &[Value]) -> Result<Vec<Row>, DbError> {
        let mut out = Vec::new();
        self.each_row(sql, args, &mut |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query, if any.
    pub fn row(&self, sql: &str, args: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.rows(sql, args)?.into_iter().next())
    }

    /// The first column of the first row of a query, if any.
    pub fn value(&self, sql: &str, args: &[Value]) -> Result<Option<Value>, DbError> {
        Ok(self.row(sql, args)?.and_then(|r| r.into_iter().next()))
    }
}

/// Runs `f` in a transaction on `db`: committed if `f` succeeds, rolled back otherwise, so
/// nothing `f` wrote stays when it fails.
pub fn transaction<T, E: From<DbError>>(
    db: &dyn Database,
    exclusive: bool,
    f: impl FnOnce(&dyn Database) -> Result<T, E>,
) -> Result<T, E> {
    db.begin(exclusive)?;
    match f(db) {
        Ok(v) => {
            if let Err(e) = db.commit() {
                let _ = db.rollback();
                return Err(e.into());
            }
            Ok(v)
        }
        Err(e) => {
            // The failure that matters is `f`'s; a failed rollback leaves nothing committed.
            let _ = db.rollback();
            Err(e)
        }
    }
}

/// The embedded engine: one SQLite file in WAL mode.
#[derive(Debug)]
pub struct Sqlite {
    path: PathBuf,
    conn: Connection,
}

/// How durable a SQLite file's commits are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Every commit synced before it returns (`synchronous=FULL`).
    Full,
    /// Synced at checkpoints of the WAL (`synchronous=NORMAL`): a crash may lose the last
    /// commits, never corrupt the file.
    Normal,
}

impl Sqlite {
    /// Opens (or creates) the SQLite file `path` in WAL mode with the given durability.
    pub fn open(path: &Path, durability: Durability) -> Result<Sqlite, DbError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(
            None,
            "synchronous",
            match durability {
                Durability::Full => "FULL",
                Durability::Normal => "NORMAL",
            },
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        Ok(Sqlite {
            path: path.to_owned(),
            conn,
        })
    }

    /// Opens the existing SQLite file `path` to read only.
    pub fn open_read_only(path: &Path) -> Result<Sqlite, DbError> {
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        Ok(Sqlite {
            path: path.to_owned(),
            conn,
        })
    }

    /// The connection, for what only SQLite does (`VACUUM INTO` for a backup).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(v) => ValueRef::Integer(*v),
            Value::Text(v) => ValueRef::Text(v.as_bytes()),
            Value::Blob(v) => ValueRef::Blob(v),
        }))
    }
}

fn read_value(v: ValueRef<'_>) -> Result<Value, DbError> {
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Text(t) => Value::Text(
            std::str::from_utf8(t)
                .map_err(|e| DbError::Value(format!("text that is not UTF-8: {e}")))?
                .to_owned(),
        ),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        ValueRef::Real(r) => return Err(DbError::Value(format!("a real number {r}"))),
    })
}

impl Database for Sqlite {
    fn location(&self) -> PathBuf {
        self.path.clone()
    }

    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn batch(&self, sql: &str) -> Result<(), DbError> {
        Ok(self.conn.execute_batch(sql)?)
    }

    fn execute(&self, sql: &str, args: &[Value]) -> Result<u64, DbError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        Ok(stmt.execute(rusqlite::params_from_iter(args))? as u64)
    }

    fn each_row(
        &self,
        sql: &str,
        args: &[Value],
        each: &mut dyn FnMut(Row) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
        while let Some(r) = rows.next()? {
            let row = (0..columns)
                .map(|c| read_value(r.get_ref(c)?))
                .collect::<Result<Row, DbError>>()?;
            each(row)?;
        }
        Ok(())
    }

    fn begin(&self, exclusive: bool) -> Result<(), DbError> {
        Ok(self.conn.execute_batch(if exclusive {
            "BEGIN IMMEDIATE"
        } else {
            "BEGIN"
        })?)
    }

    fn commit(&self) -> Result<(), DbError> {
        Ok(self.conn.execute_batch("COMMIT")?)
    }

    fn rollback(&self) -> Result<(), DbError> {
        Ok(self.conn.execute_batch("ROLLBACK")?)
    }

    fn has_table(&self, name: &str) -> Result<bool, DbError> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_transaction_leaves_nothing_and_values_keep_their_types() {
        let dir = tempfile::tempdir().unwrap();
        let db = Sqlite::open(&dir.path().join("t.db"), Durability::Full).unwrap();
        let db: &dyn Database = &db;
        db.batch("CREATE TABLE t(k TEXT PRIMARY KEY, n INTEGER, b BLOB)")
            .unwrap();
        let failed: Result<(), DbError> = transaction(db, true, |db| {
            db.execute(
                "INSERT INTO t(k, n, b) VALUES (?1, ?2, ?3)",
                &["a".into(), 1i64.into(), Value::Blob(vec![0, 1])],
            )?;
            db.execute("INSERT INTO t(k) VALUES (?1)", &["a".into()])?;
            Ok(())
        });
        assert!(failed.is_err(), "a duplicate key fails the transaction");
        assert_eq!(db.rows("SELECT k FROM t", &[]).unwrap().len(), 0);
        transaction::<_, DbError>(db, false, |db| {
            db.execute(
                "INSERT INTO t(k, n, b) VALUES (?1, ?2, ?3)",
                &["a".into(), 7u64.into(), Value::Blob(vec![9])],
            )
        })
        .unwrap();
        let row = db.row("SELECT k, n, b FROM t", &[]).unwrap().unwrap();
        assert_eq!(
            row,
            vec![Value::Text("a".into()), Value::Int(7), Value::Blob(vec![9])]
        );
        assert!(db.has_table("t").unwrap());
        assert!(!db.has_table("u").unwrap());
        assert!(row[0].int().is_err() && row[1].text().is_err());
    }
}
