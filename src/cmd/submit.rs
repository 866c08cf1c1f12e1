//! `accord submit`: sign the party's records with its node's key and log them in the running node.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use accord_node::client::{Client, read_node_file};
use anyhow::Context as _;

/// Arguments of `accord submit`.
///
/// Reads records as JSON lines (one `Record` per line, as in a scenario's records.jsonl) from
/// FILE or standard input (`-`), signs them with the key in DIR and sends them to the node
/// running on DIR (found through DIR/node.json), which checks them all before logging any.
/// Exit 2 if a record is malformed, the node refuses them, or no node runs there.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The records file, or `-` for standard input.
    pub file: String,
    /// The node's data directory (its key and node.json, written by `accord serve`).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Print the log index of each record as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The text of `file`, or of standard input for `-`, with the name its errors give it.
pub fn read_input(file: &str) -> anyhow::Result<(String, String)> {
    if file == "-" {
        let mut t = String::new();
        std::io::stdin()
            .read_to_string(&mut t)
            .context("reading standard input")?;
        Ok((t, "<stdin>".to_owned()))
    } else {
        let t = std::fs::read_to_string(file).with_context(|| file.to_owned())?;
        Ok((t, file.to_owned()))
    }
}

/// Runs `accord submit`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (text, origin) = read_input(&args.file)?;
    let records: Vec<_> = accord_state::parse_jsonl(&text, &origin)?
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    anyhow::ensure!(!records.is_empty(), "{origin}: no record");
    let file =
        read_node_file(&args.data).context("is `accord serve` running on this directory?")?;
    let key = accord_node::keys::load_key(&args.data)?;
    let client = Client::new(&file.url, file.party, key);
    let rt = accord_node::http::runtime()?;
    let submitted = rt
        .block_on(client.submit(&records))
        .with_context(|| format!("submitting to the node at {}", file.url))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&submitted.logged)?);
    } else {
        // One line per log written, in the order of its first record.
        let mut spans: Vec<(&str, u64, u64)> = Vec::new();
        for l in &submitted.logged {
            match spans.iter_mut().find(|(o, _, _)| *o == l.origin) {
                Some((_, first, end)) => {
                    *first = (*first).min(l.index);
                    *end = (*end).max(l.index + 1);
                }
                None => spans.push((&l.origin, l.index, l.index + 1)),
            }
        }
        for (origin, first, end) in spans {
            println!(
                "logged {} records at indices {first}..{end} of {origin}",
                end - first
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
