//! The PostgreSQL implementation of the storage interface ([`accord_log::Database`]): one
//! database on a server holds everything the node stores, each owner of tables in its own
//! schema: `node` (the node's tables), `witness` (what it cosigned for others) and `log_<party>`
//! for each log, its own and its mirrors (entries, checkpoints, its settings). Statements are
//! the ones SQLite runs: numbered parameters become PostgreSQL's, and in a schema `INTEGER` and
//! `BLOB` columns become `BIGINT` and `BYTEA`.
//!
//! Every commit is durable when it returns (the server's `synchronous_commit`, on by default).
//! An exclusive transaction is serializable: one that read what another changed meanwhile fails
//! rather than commits, so nothing is answered from a state that was not stored.

use std::collections::HashMap;
use std::error::Error;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

use accord_log::database::{Database, DbError, Engine, Row, Value, insert_sql};
use bytes::BytesMut;
use postgres::fallible_iterator::FallibleIterator as _;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};

use crate::NodeError;

/// The schema of the node's own tables.
pub const NODE_SCHEMA: &str = "node";
/// The schema of the witness's table.
pub const WITNESS_SCHEMA_NAME: &str = "witness";
/// The prefix of the schema of each log.
const LOG_PREFIX: &str = "log_";
/// The most parameters one statement may bind (the protocol counts them in 16 bits).
const MAX_PARAMETERS: usize = 65_535;

/// The longest identifier PostgreSQL keeps whole (a longer one is cut, and two logs could
/// meet in one schema).
const MAX_IDENTIFIER: usize = 63;

/// The schema of the log named `party` (a log name such as `US` or `US/new-start`; always
/// quoted in statements, so `/` and `-` stay as they are).
pub fn log_schema(party: &str) -> String {
    format!("{LOG_PREFIX}{party}")
}

/// The schema of the log named `log`, refused when PostgreSQL would cut its name.
pub fn checked_log_schema(log: &str) -> Result<String, NodeError> {
    let schema = log_schema(log);
    if schema.len() > MAX_IDENTIFIER {
        return Err(NodeError::Malformed(format!(
            "log {log}: its PostgreSQL schema name {schema:?} is longer than the \
             {MAX_IDENTIFIER} bytes PostgreSQL keeps; a node on PostgreSQL holds logs whose \
             names are at most {} bytes",
            MAX_IDENTIFIER - LOG_PREFIX.len()
        )));
    }
    Ok(schema)
}

/// A connection to a PostgreSQL database, its statements run in one schema.
///
/// The synchronous client drives a runtime of its own, which must not run inside another
/// one's task; so the connection lives on a thread of its own, which runs each statement sent
/// to it in turn, whatever thread asks. The thread ends when the connection is dropped.
pub struct Postgres {
    jobs: mpsc::Sender<Job>,
    schema: String,
    requests: Requests,
}

/// How many requests a connection sent the server (a statement, a query, a batch of rows, a
/// transaction's begin or end), shared by the handles taken with [`Postgres::requests`].
#[derive(Debug, Clone, Default)]
pub struct Requests(Arc<AtomicU64>);

impl Requests {
    /// The number of requests sent so far.
    pub fn count(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// A piece of work for the connection's thread.
type Job = Box<dyn FnOnce(&mut Inner) + Send>;

struct Inner {
    client: Client,
    /// Prepared statements by their SQL, as given.
    statements: HashMap<String, Statement>,
}

impl Inner {
    /// The prepared statement of `sql` (as given, in SQLite's words).
    fn statement(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.client.prepare(&translate(sql, false)).map_err(pg)?;
        self.statements.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres")
            .field("schema", &self.schema)
            .finish()
    }
}

fn server(e: impl std::fmt::Display) -> DbError {
    DbError::Server(e.to_string())
}

/// A client error with what the server said, if it answered.
fn pg(e: postgres::Error) -> DbError {
    match e.as_db_error() {
        Some(db) => DbError::Server(format!(
            "PostgreSQL {} {}: {}",
            db.severity(),
            db.code().code(),
            db.message()
        )),
        None => server(e),
    }
}

fn gone() -> DbError {
    DbError::Server("the connection's thread ended".into())
}

/// A schema or table name quoted as a PostgreSQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The statement `sql` in PostgreSQL's words: `?N` parameters become `$N`; with `ddl`, the
/// column types `INTEGER` and `BLOB` become `BIGINT` and `BYTEA` (whole words outside quotes).
fn translate(sql: &str, ddl: bool) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let w = std::mem::take(word);
        out.push_str(match (ddl, w.to_ascii_uppercase().as_str()) {
            (true, "INTEGER") => "BIGINT",
            (true, "BLOB") => "BYTEA",
            _ => &w,
        });
    };
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '?' if chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            _ => out.push(c),
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A value bound to a PostgreSQL parameter, converted to the parameter's type.
#[derive(Debug)]
struct Param<'a>(&'a Value);

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => v.to_string().to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Text(t) => t.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// The value of column `i` of a row, by the column's type.
fn read(row: &postgres::Row, i: usize) -> Result<Value, DbError> {
    let ty = row.columns()[i].type_().clone();
    let v = match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i).map(|v| v.map(Value::Int)),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map(|v| v.map(|v| Value::Int(v.into()))),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map(|v| v.map(|v| Value::Int(v.into()))),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .map(|v| v.map(|v| Value::Int(v.into()))),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(i)
            .map(|v| v.map(Value::Blob)),
        Type::TEXT | Type::VARCHAR | Type::NAME => row
            .try_get::<_, Option<String>>(i)
            .map(|v| v.map(Value::Text)),
        other => return Err(DbError::Value(format!("a column of type {other}"))),
    };
    Ok(v.map_err(pg)?.unwrap_or(Value::Null))
}

impl Postgres {
    /// Connects to the database `url` names (`postgres://user@host/db`, or with
    /// `?host=/socket/dir` for a Unix socket), creating the schema `schema` if missing, and runs
    /// every statement in it.
    pub fn connect(url: &str, schema: &str) -> Result<Postgres, NodeError> {
        let shown = without_password(url);
        let refused = move |e: postgres::Error| {
            NodeError::Store(DbError::Server(format!("PostgreSQL ({shown}): {e}")))
        };
        let (url, name, schema_owned) = (url.to_owned(), quoted(schema), schema.to_owned());
        let (ready_tx, ready_rx) = mpsc::sync_channel::<Result<(), NodeError>>(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name(format!("postgres {schema}"))
            .spawn(move || {
                let connected = (|| {
                    let mut client = Client::connect(&url, NoTls).map_err(&refused)?;
                    if let Err(e) =
                        client.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {name}"))
                    {
                        // Two connections creating it at once: one of them wins, enough.
                        let exists = client
                            .query_one(
                                "SELECT COUNT(*) FROM pg_namespace WHERE nspname = $1",
                                &[&schema_owned],
                            )
                            .map(|r| r.get::<_, i64>(0) > 0)
                            .unwrap_or(false);
                        if !exists {
                            return Err(refused(e));
                        }
                    }
                    client
                        .batch_execute(&format!("SET search_path TO {name}"))
                        .map_err(&refused)?;
                    Ok(client)
                })();
                let mut inner = match connected {
                    Ok(client) => {
                        let _ = ready_tx.send(Ok(()));
                        Inner {
                            client,
                            statements: HashMap::new(),
                        }
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                for job in queue {
                    job(&mut inner);
                }
            })
            .map_err(|e| NodeError::Store(server(e)))?;
        ready_rx.recv().map_err(|_| NodeError::Store(gone()))??;
        Ok(Postgres {
            jobs,
            schema: schema.to_owned(),
            requests: Requests::default(),
        })
    }

    /// A handle counting the requests this connection sends the server from now on.
    pub fn requests(&self) -> Requests {
        self.requests.clone()
    }

    /// Runs `f` on the connection's thread and returns what it gives.
    fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Inner) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, DbError> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.requests.add();
        self.jobs
            .send(Box::new(move |inner| {
                let _ = tx.send(f(inner));
            }))
            .map_err(|_| gone())?;
        rx.recv().map_err(|_| gone())?
    }

    fn simple(&self, sql: String) -> Result<(), DbError> {
        self.run(move |inner| inner.client.batch_execute(&sql).map_err(pg))
    }
}

/// A connection string with any password left out (of the user part or a `password`
/// parameter), for messages.
pub(crate) fn without_password(url: &str) -> String {
    let url = match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    };
    match url.split_once('?') {
        Some((base, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
                .collect();
            if kept.is_empty() {
                base.to_owned()
            } else {
                format!("{base}?{}", kept.join("&"))
            }
        }
        None => url,
    }
}

impl Database for Postgres {
    fn location(&self) -> PathBuf {
        PathBuf::from(format!("PostgreSQL schema {}", self.schema))
    }

    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    fn batch(&self, sql: &str) -> Result<(), DbError> {
        self.simple(translate(sql, true))
    }

    fn execute(&self, sql: &str, args: &[Value]) -> Result<u64, DbError> {
        let (sql, args) = (sql.to_owned(), args.to_vec());
        self.run(move |inner| {
            let stmt = inner.statement(&sql)?;
            let params: Vec<Param<'_>> = args.iter().map(Param).collect();
            let refs: Vec<&(dyn ToSql + Sync)> =
                params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            inner.client.execute(&stmt, &refs).map_err(pg)
        })
    }

    fn each_row(
        &self,
        sql: &str,
        args: &[Value],
        each: &mut dyn FnMut(Row) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        // Rows come from the connection's thread as they are read, a bounded number ahead; if
        // `each` stops early, the thread stops reading when it finds no one takes more.
        let (sql, args) = (sql.to_owned(), args.to_vec());
        let (rows_tx, rows_rx) = mpsc::sync_channel::<Result<Row, DbError>>(1024);
        self.requests.add();
        self.jobs
            .send(Box::new(move |inner| {
                let read_all = (|| {
                    let stmt = inner.statement(&sql)?;
                    let params: Vec<Param<'_>> = args.iter().map(Param).collect();
                    let refs = params.iter().map(|p| p as &(dyn ToSql + Sync));
                    let mut iter = inner.client.query_raw(&stmt, refs).map_err(pg)?;
                    while let Some(r) = iter.next().map_err(pg)? {
                        let row = (0..r.len())
                            .map(|i| read(&r, i))
                            .collect::<Result<Row, DbError>>()?;
                        if rows_tx.send(Ok(row)).is_err() {
                            break;
                        }
                    }
                    Ok(())
                })();
                if let Err(e) = read_all {
                    let _ = rows_tx.send(Err(e));
                }
            }))
            .map_err(|_| gone())?;
        for row in rows_rx {
            each(row?)?;
        }
        Ok(())
    }

    fn begin(&self, exclusive: bool) -> Result<(), DbError> {
        self.simple(
            if exclusive {
                "BEGIN ISOLATION LEVEL SERIALIZABLE"
            } else {
                "BEGIN"
            }
            .to_owned(),
        )
    }

    fn commit(&self) -> Result<(), DbError> {
        self.simple("COMMIT".to_owned())
    }

    fn rollback(&self) -> Result<(), DbError> {
        self.simple("ROLLBACK".to_owned())
    }

    fn insert_rows(&self, table: &str, columns: &[&str], rows: &[Row]) -> Result<u64, DbError> {
        if rows.is_empty() || columns.is_empty() {
            return Ok(0);
        }
        // One multi-row INSERT per batch of rows, as many as the protocol's parameters allow:
        // the exchanges with the server are the same for one row as for thousands.
        let per = (MAX_PARAMETERS / columns.len()).max(1);
        for _ in 1..rows.len().div_ceil(per) {
            self.requests.add();
        }
        let table = table.to_owned();
        let columns: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
        let rows = rows.to_vec();
        self.run(move |inner| {
            let names: Vec<&str> = columns.iter().map(String::as_str).collect();
            let mut n = 0;
            for chunk in rows.chunks(per) {
                let sql = translate(&insert_sql(&table, &names, chunk.len()), false);
                let params: Vec<Param<'_>> = chunk.iter().flatten().map(Param).collect();
                let refs: Vec<&(dyn ToSql + Sync)> =
                    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
                n += inner.client.execute(sql.as_str(), &refs).map_err(pg)?;
            }
            Ok(n)
        })
    }

    fn has_table(&self, name: &str) -> Result<bool, DbError> {
        let n = (self as &dyn Database)
            .value(
                "SELECT COUNT(*) FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_name = ?1",
                &[name.into()],
            )?
            .map_or(Ok(0), |v| v.int())?;
        Ok(n > 0)
    }
}

impl Postgres {
    /// Connects to the schema of the log of `party` in the database `url`, which must hold
    /// it: nothing is created.
    pub fn open_log(url: &str, party: &str) -> Result<Postgres, NodeError> {
        if !logs_held(url)?.iter().any(|p| p == party) {
            return Err(NodeError::NotFound(format!(
                "{}: no log of {party} (no schema {})",
                without_password(url),
                log_schema(party)
            )));
        }
        Postgres::connect(url, &log_schema(party))
    }
}

/// The parties whose logs the database `url` holds a schema for.
pub fn logs_held(url: &str) -> Result<Vec<String>, NodeError> {
    let db = Postgres::connect(url, NODE_SCHEMA)?;
    let rows = (&db as &dyn Database).rows(
        "SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname, ?1) ORDER BY nspname",
        &[LOG_PREFIX.into()],
    )?;
    let mut parties = Vec::with_capacity(rows.len());
    for r in rows {
        let name = r[0].text()?;
        if let Some(party) = name.strip_prefix(LOG_PREFIX) {
            parties.push(party.to_owned());
        }
    }
    Ok(parties)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_schemas_are_refused_when_postgresql_would_cut_them() {
        assert_eq!(
            checked_log_schema("US/hotline/RU/US").unwrap(),
            "log_US/hotline/RU/US"
        );
        let longest = format!("US/{}", "a".repeat(MAX_IDENTIFIER - LOG_PREFIX.len() - 3));
        assert_eq!(checked_log_schema(&longest).unwrap().len(), MAX_IDENTIFIER);
        let e = checked_log_schema(&format!("{longest}b")).unwrap_err();
        assert!(e.to_string().contains("longer than the 63 bytes"), "{e}");
        assert!(quoted("log_US/new-start") == "\"log_US/new-start\"");
    }

    #[test]
    fn statements_are_put_in_postgresql_words() {
        assert_eq!(
            translate(
                "CREATE TABLE t(n INTEGER, b BLOB, s TEXT DEFAULT 'INTEGER ?1')",
                true
            ),
            "CREATE TABLE t(n BIGINT, b BYTEA, s TEXT DEFAULT 'INTEGER ?1')"
        );
        assert_eq!(
            translate("SELECT a FROM t WHERE b = ?1 AND c = ?12 LIMIT ?2", false),
            "SELECT a FROM t WHERE b = $1 AND c = $12 LIMIT $2"
        );
        assert_eq!(
            translate("SELECT integer_col FROM blobs", true),
            "SELECT integer_col FROM blobs"
        );
        assert_eq!(
            without_password("postgres://u:secret@h:5432/db"),
            "postgres://u@h:5432/db"
        );
        assert_eq!(
            without_password("postgres://u@h/db?password=secret&host=/run/pg"),
            "postgres://u@h/db?host=/run/pg"
        );
        assert_eq!(
            without_password("postgresql://h/db?PASSWORD=secret"),
            "postgresql://h/db"
        );
        assert_eq!(
            super::super::DatabaseChoice::Postgres("postgres://u:secret@h/db".into()).describe(),
            "PostgreSQL postgres://u@h/db"
        );
        assert_eq!(
            super::super::DatabaseChoice::Sqlite.describe(),
            "SQLite node.db"
        );
    }
}
