//! `accord hotline`: send and watch urgent messages through the party's node.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use accord_model::PartyId;
use accord_node::client::{Client, read_node_file};
use accord_node::keys;
use anyhow::Context as _;

/// Subcommands of `accord hotline`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Send an urgent message to another party. It is signed with the node's key, logged,
    /// pushed to the recipient at once and cosigned with the rest of the log.
    Send(SendArgs),
    /// Print hotline messages as they arrive, in each sender's order, and log a read receipt
    /// for each one printed.
    Watch(WatchArgs),
}

/// Arguments of `accord hotline send`.
#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// The node's data directory (its key and node.json, written by `accord serve`).
    #[arg(long, value_name = "DIR", env = "ACCORD_DATA")]
    pub data: PathBuf,
    /// The node's URL, if not the one in DIR/node.json.
    #[arg(long, value_name = "URL")]
    pub node: Option<String>,
    /// The recipient party.
    #[arg(long, value_name = "ID")]
    pub to: PartyId,
    /// The message.
    pub text: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `accord hotline watch`.
#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// The node's data directory (its key and node.json, written by `accord serve`).
    #[arg(long, value_name = "DIR", env = "ACCORD_DATA")]
    pub data: PathBuf,
    /// The node's URL, if not the one in DIR/node.json.
    #[arg(long, value_name = "URL")]
    pub node: Option<String>,
    /// Print messages after this inbox position only (0: from the first).
    #[arg(long, default_value_t = 0)]
    pub after: u64,
    /// Stop after this many messages (default: watch until interrupted).
    #[arg(long)]
    pub count: Option<u64>,
    /// Print each message as one line of JSON.
    #[arg(long)]
    pub json: bool,
}

fn client(data: &Path, node: Option<&str>) -> anyhow::Result<Client> {
    let file = read_node_file(data).context("is `accord serve` running on this directory?")?;
    let key = keys::load_key(data)?;
    Ok(Client::new(node.unwrap_or(&file.url), file.party, key))
}

/// Runs `accord hotline`.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    let rt = accord_node::http::runtime()?;
    rt.block_on(async move {
        match command {
            Command::Send(a) => {
                let c = client(&a.data, a.node.as_deref())?;
                let (record, submitted) = c.hotline_send(&a.to, &a.text).await?;
                if a.json {
                    println!(
                        "{}",
                        serde_json::json!({
                            "record": record.id,
                            "index": submitted.first_index,
                            "to": a.to,
                        })
                    );
                } else {
                    println!(
                        "sent {} to {} (log index {})",
                        record.id, a.to, submitted.first_index
                    );
                }
            }
            Command::Watch(a) => {
                let c = client(&a.data, a.node.as_deref())?;
                let mut after = a.after;
                let mut seen = 0;
                while a.count.is_none_or(|n| seen < n) {
                    let inbox = c.inbox(after, Duration::from_secs(20)).await?;
                    for m in inbox.messages {
                        if a.json {
                            println!("{}", serde_json::to_string(&m)?);
                        } else {
                            println!("[{}] {} #{}: {}", m.issued_at, m.from, m.seq, m.text);
                        }
                        after = m.position;
                        if !m.read {
                            c.mark_read(&m.record).await?;
                        }
                        seen += 1;
                        if a.count.is_some_and(|n| seen >= n) {
                            break;
                        }
                    }
                }
            }
        }
        anyhow::Ok(ExitCode::SUCCESS)
    })
}
