//! The `--record-out`, `--record-id`, `--issued-at`, `--data` and `--node` flags of commands that
//! write one record.

use std::path::PathBuf;

use accord_model::{Instant, PartyId, Record, RecordBody, RecordId};
use anyhow::Context as _;

use super::declare::{record_id, write_json};

/// Where to write the record a command makes, its id and its issue time, and the node it is
/// submitted to.
#[derive(Debug, clap::Args)]
pub struct RecordOut {
    /// Where to write the record (JSON, unsigned).
    #[arg(long)]
    pub record_out: PathBuf,
    /// The record id (default: made from the inputs, as the command's help says).
    #[arg(long)]
    pub record_id: Option<RecordId>,
    /// When the record is issued (RFC 3339; default now).
    #[arg(long)]
    pub issued_at: Option<Instant>,
    /// Also submit the record to the party's node: the one running on this data directory
    /// (found through DIR/node.json), signed with its key, as `accord submit` does. The node
    /// checks it before logging it and refuses it (exit 2) if a check fails.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// The node's URL, if not the one in DIR/node.json (the key is still DIR's).
    #[arg(long, value_name = "URL", requires = "data")]
    pub node: Option<String>,
}

impl RecordOut {
    /// Builds the record (the given id, or `default_id`), writes it to `--record-out`, and
    /// submits it to the node when `--data` is given.
    pub fn write(
        &self,
        default_id: impl FnOnce() -> String,
        party: PartyId,
        body: RecordBody,
    ) -> anyhow::Result<Record> {
        let id = match &self.record_id {
            Some(id) => id.clone(),
            None => record_id(default_id())?,
        };
        let record = Record {
            id,
            party,
            issued_at: self.issued_at.unwrap_or_else(Instant::now),
            body,
        };
        write_json(&self.record_out, &record)?;
        if let Some(data) = &self.data {
            self.submit(data, &record).with_context(|| {
                format!(
                    "record {} is written to {}, but the node did not log it",
                    record.id,
                    self.record_out.display()
                )
            })?;
        }
        Ok(record)
    }

    fn submit(&self, data: &std::path::Path, record: &Record) -> anyhow::Result<()> {
        let file = accord_node::client::read_node_file(data)
            .context("is `accord serve` running on this directory?")?;
        anyhow::ensure!(
            file.party == record.party,
            "the node on {} is {}'s, the record is {}'s",
            data.display(),
            file.party,
            record.party
        );
        let url = self.node.clone().unwrap_or(file.url);
        let key = accord_node::keys::load_key(data)?;
        let client = accord_node::client::Client::new(&url, file.party, key);
        let rt = accord_node::http::runtime()?;
        let submitted = rt
            .block_on(client.submit(std::slice::from_ref(record)))
            .with_context(|| format!("submitting to the node at {url}"))?;
        let (origin, index) = submitted
            .logged
            .first()
            .map_or(("", 0), |l| (l.origin.as_str(), l.index));
        eprintln!(
            "logged {} at index {index} of {}'s log {origin} (node at {url})",
            record.id, record.party
        );
        Ok(())
    }
}
