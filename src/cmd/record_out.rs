//! The `--record-out`, `--record-id` and `--issued-at` flags of commands that write one record.

use std::path::PathBuf;

use accord_model::{Instant, PartyId, Record, RecordBody, RecordId};

use super::declare::{record_id, write_json};

/// Where to write the record a command makes, its id and its issue time.
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
}

impl RecordOut {
    /// Builds the record (the given id, or `default_id`) and writes it to `--record-out`.
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
        Ok(record)
    }
}
