//! Scenario records in a tamper-evident log: signs each record as a DSSE envelope, appends them
//! to an `accord-log` directory, and maps record ids to their log indices so that findings cite
//! log positions that `accord log verify` can check.

use std::collections::HashMap;
use std::path::Path;

use accord_log::{CosignerKey, Log, LogKey, SignedCheckpoint};
use accord_model::envelope::Envelope;
use accord_model::{Record, RecordId};
use anyhow::{Context as _, bail};
use ed25519_dalek::SigningKey;
use sha2::{Digest as _, Sha256};

/// The origin line of logs written for scenarios.
pub const SCENARIO_ORIGIN: &str = "accord.example/scenario";

/// The file that marks a directory as a scenario log this command may replace.
const MARKER: &str = ".accord-scenario-log";

/// A party's demonstration signing key, derived from its id: public by design, never for real use.
pub fn demo_key(party: &str) -> SigningKey {
    SigningKey::from_bytes(&Sha256::digest(format!("accord demo key/{party}")).into())
}

/// Writes `records` into a new log at `dir`, each signed by its author's demonstration key, in
/// one durable batch; returns each record's index and the log's signed checkpoint.
///
/// A directory that holds an earlier scenario log is replaced; any other non-empty directory is
/// refused, so nothing a user put there is lost.
pub fn write(
    dir: &Path,
    records: &[Record],
) -> anyhow::Result<(HashMap<RecordId, u64>, SignedCheckpoint)> {
    if dir.exists() {
        let non_empty = std::fs::read_dir(dir)
            .with_context(|| format!("{}: cannot read", dir.display()))?
            .next()
            .is_some();
        if dir.join(MARKER).exists() {
            std::fs::remove_dir_all(dir).with_context(|| {
                format!("{}: cannot replace the old scenario log", dir.display())
            })?;
        } else if non_empty {
            bail!(
                "{}: exists and is not a scenario log written by accord; choose another directory",
                dir.display()
            );
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    std::fs::write(
        dir.join(MARKER),
        "written by accord for a scenario; safe to delete\n",
    )
    .with_context(|| format!("{}: cannot write", dir.display()))?;
    let key = LogKey::from_signing_key(SCENARIO_ORIGIN, &demo_key("scenario-log"))?;
    let mut log = Log::create(dir, SCENARIO_ORIGIN, &key)?;
    let envelopes: Vec<Vec<u8>> = records
        .iter()
        .map(|r| Envelope::sign_record(r, &demo_key(r.party.as_str())).to_json())
        .collect();
    let range = log.append_batch(&envelopes)?;
    let index = records
        .iter()
        .zip(range)
        .map(|(r, i)| (r.id.clone(), i))
        .collect();
    Ok((index, log.checkpoint().clone()))
}

/// The scenario log's checkpoint cosigned by a demonstration witness named `witness` (C2SP
/// tlog-cosignature), checked back against both keys; returns the cosigned note.
pub fn witness_cosign(checkpoint: &SignedCheckpoint, witness: &str) -> anyhow::Result<String> {
    let log_key = LogKey::from_signing_key(SCENARIO_ORIGIN, &demo_key("scenario-log"))?;
    let key = CosignerKey::new(witness, demo_key(&format!("witness/{witness}")))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let note = key.cosign_note(checkpoint.note(), now)?;
    accord_log::verify_cosigned(&note, log_key.vkey(), &[key.vkey().as_str()])?;
    Ok(String::from_utf8(note)?)
}

/// Reads the log at `dir` and maps every record in it to its index.
///
/// Only the ids are read here, for citing; `accord log verify` and `accord log audit` check
/// signatures, inclusion and consistency.
pub fn read_index(dir: &Path) -> anyhow::Result<HashMap<RecordId, u64>> {
    let log = Log::open_reader(dir)?;
    let entries = log.entries(0..log.size())?;
    let mut index = HashMap::with_capacity(entries.len());
    for (i, bytes) in entries.iter().enumerate() {
        let where_ = || format!("{}: entry {i}", dir.display());
        let env = Envelope::from_json(bytes).with_context(where_)?;
        let record = env.unverified_record().with_context(where_)?;
        index.insert(record.id, i as u64);
    }
    Ok(index)
}
