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
    /// Show each message sent: whether the recipient's node holds it, and when the recipient's
    /// delivery and read receipts were logged.
    Status(StatusArgs),
}

/// Arguments of `accord hotline status`.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The node's data directory (its key and node.json, written by `accord serve`).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The node's URL, if not the one in DIR/node.json.
    #[arg(long, value_name = "URL")]
    pub node: Option<String>,
    /// Only messages to this party.
    #[arg(long, value_name = "ID")]
    pub to: Option<PartyId>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
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
    /// Wait until the recipient's node holds the message (exit 1 if it does not within
    /// --timeout). Without it, the command waits two seconds at most and says whether the
    /// message was delivered or is queued (the node keeps sending it).
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub timeout: u64,
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
                let limit = if a.wait {
                    Duration::from_secs(a.timeout)
                } else {
                    Duration::from_secs(2)
                };
                let delivered = c.wait_delivered(&record.id, limit).await?;
                let index = submitted.logged.first().map_or(0, |l| l.index);
                let status = if delivered { "delivered" } else { "queued" };
                if a.json {
                    println!(
                        "{}",
                        serde_json::json!({
                            "record": record.id,
                            "index": index,
                            "to": a.to,
                            "status": status,
                        })
                    );
                } else if delivered {
                    println!(
                        "delivered {} to {} (log index {})",
                        record.id, a.to, index
                    );
                } else {
                    println!(
                        "queued {} for {} (log index {}): {}'s node has not confirmed it yet; \
                         this node keeps sending it (`accord hotline status` shows when it arrives)",
                        record.id, a.to, index, a.to
                    );
                }
                if a.wait && !delivered {
                    eprintln!(
                        "error: {} did not reach {}'s node within {} s",
                        record.id, a.to, a.timeout
                    );
                    return Ok(ExitCode::from(1));
                }
            }
            Command::Status(a) => {
                let c = client(&a.data, a.node.as_deref())?;
                let sent: Vec<_> = c
                    .sent()
                    .await?
                    .into_iter()
                    .filter(|m| a.to.as_ref().is_none_or(|t| *t == m.to))
                    .collect();
                if a.json {
                    println!("{}", serde_json::to_string_pretty(&sent)?);
                } else if sent.is_empty() {
                    println!("no hotline message sent");
                }
                for m in sent.iter().filter(|_| !a.json) {
                    let delivered = match (&m.delivered_at, m.delivered) {
                        (Some(t), _) => format!("delivered {t}"),
                        (None, true) => "delivered (receipt not yet here)".to_owned(),
                        (None, false) => "queued".to_owned(),
                    };
                    let read = m
                        .read_at
                        .as_ref()
                        .map_or("not read".to_owned(), |t| format!("read {t}"));
                    println!(
                        "{} to {} #{} sent {}: {delivered}, {read}",
                        m.record, m.to, m.seq, m.issued_at
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
                            c.mark_read(&m).await?;
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
