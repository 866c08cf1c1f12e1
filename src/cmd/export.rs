//! `accord export`: a node's logs as a scenario directory for `accord check`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

/// Arguments of `accord export`.
///
/// Writes every log the node in DIR holds (its own and its mirrors) as OUT/records.jsonl, in
/// (log, index) order, each entry as logged with its log's origin and its index in
/// OUT/entries.jsonl, the parties' verifier keys in OUT/keys.json, the cosignatures that time
/// the records, and OUT/scenario.toml naming the agreements the node judges (from
/// DIR/node.json, written by `accord serve`), so that `accord check OUT --as-of T` gives the
/// findings and digest of the node's `/v1/findings?as_of=T`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The node's data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The scenario directory to write.
    pub out: PathBuf,
    /// The scenario's default instant (RFC 3339); now if absent.
    #[arg(long, value_name = "T")]
    pub as_of: Option<String>,
    /// The node's database, as `accord serve --database` names it: `sqlite` (the default) or
    /// the PostgreSQL connection URL.
    #[arg(long, value_name = "sqlite|URL")]
    pub database: Option<String>,
}

/// Runs `accord export`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let file = accord_node::client::read_node_file(&args.data)
        .context("has `accord serve` run on this directory?")?;
    let as_of = match &args.as_of {
        Some(t) => t.parse().with_context(|| format!("--as-of {t:?}"))?,
        None => jiff::Timestamp::now(),
    };
    let database = match &args.database {
        Some(d) => accord_node::store::DatabaseChoice::parse(d)?,
        None => accord_node::store::DatabaseChoice::Sqlite,
    };
    let n = accord_node::export::write_scenario_in(
        &args.data,
        &database,
        &file.party,
        &args.out,
        &file.agreements,
        as_of,
    )?;
    println!("wrote {n} records to {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
