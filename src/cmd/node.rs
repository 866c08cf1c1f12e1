//! `accord node`: back up a node's data directory while it runs, and restore it.

use std::path::PathBuf;
use std::process::ExitCode;

use accord_node::backup;
use accord_node::store::DatabaseChoice;

/// Subcommands of `accord node`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Back up a node's data directory into a new directory, while the node runs: its keys and
    /// trust file, a consistent copy of every SQLite database (VACUUM INTO), or one pg_dump
    /// of a PostgreSQL node's database, and every log's tiles. The backup holds the node's
    /// secret keys: keep it as safe as the node.
    Backup(BackupArgs),
    /// Restore a backup into a new data directory (and, for a PostgreSQL node, an empty
    /// database) and write each log's tiles again from its database; then start the node on
    /// it (`accord serve --data DIR`, with the same --database).
    Restore(RestoreArgs),
}

/// Arguments of `accord node backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The node's data directory.
    #[arg(long, value_name = "DIR", env = "ACCORD_DATA")]
    pub data: PathBuf,
    /// The backup directory to make (new or empty).
    #[arg(long, value_name = "DIR")]
    pub to: PathBuf,
    /// The node's database, as `accord serve --database` names it: `sqlite` (the default) or
    /// the PostgreSQL connection URL, dumped with pg_dump.
    #[arg(long, value_name = "sqlite|URL")]
    pub database: Option<String>,
    /// Print what the backup holds as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `accord node restore`.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup directory.
    #[arg(long, value_name = "DIR")]
    pub from: PathBuf,
    /// The data directory to restore into (new or empty).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The database to restore a PostgreSQL node's dump into (a connection URL of an empty
    /// database), loaded with pg_restore; `sqlite` (the default) for a SQLite node's backup.
    #[arg(long, value_name = "sqlite|URL")]
    pub database: Option<String>,
    /// Print what was restored as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `accord node`.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    let database = |d: &Option<String>| match d {
        Some(d) => DatabaseChoice::parse(d),
        None => Ok(DatabaseChoice::Sqlite),
    };
    let (manifest, json, verb, dir) = match command {
        Command::Backup(a) => (
            backup::backup_in(&a.data, &database(&a.database)?, &a.to)?,
            a.json,
            "backed up",
            a.to,
        ),
        Command::Restore(a) => (
            backup::restore_in(&a.from, &a.data, &database(&a.database)?)?,
            a.json,
            "restored",
            a.data,
        ),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&manifest)?);
    } else {
        println!(
            "{verb} into {} (backup made at {}, node.db schema version {})",
            dir.display(),
            manifest.made_at,
            manifest
                .schema_version
                .map_or_else(|| "unknown".to_owned(), |v| v.to_string())
        );
        for (log, size) in &manifest.logs {
            println!("  log {log}: {size} entries");
        }
    }
    Ok(ExitCode::SUCCESS)
}
