//! Logs of accord records: the index of every record in a log directory, and a record's
//! receipt (its entry, a cosigned checkpoint and the inclusion proof) read from a C2SP
//! tlog-proof file.

use std::collections::HashMap;
use std::path::Path;

use accord_log_core::{LogError, TlogProof};
use accord_model::envelope::Envelope;
use accord_model::{LogReceipt, ReceiptProof, RecordId};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use crate::Log;

/// Why a log of records or a receipt cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    /// The log itself cannot be read.
    #[error(transparent)]
    Log(#[from] LogError),
    /// An entry of the log is not a signed record.
    #[error("entry {index}: {reason}")]
    Entry {
        /// The entry's index.
        index: u64,
        /// Why it is not a record.
        reason: String,
    },
    /// The file is not a tlog-proof.
    #[error("not a tlog-proof: {0}")]
    NotProof(#[source] LogError),
    /// The tlog-proof carries no entry (its extra data).
    #[error("the proof carries no entry")]
    NoEntry,
    /// The proof's checkpoint is not text.
    #[error("checkpoint is not UTF-8")]
    NotUtf8(#[source] std::string::FromUtf8Error),
    /// The proof's checkpoint has no tree size line.
    #[error("checkpoint has no tree size")]
    NoSize,
}

/// Maps every record in the log at `dir` to its index.
///
/// Only the ids are read, for citing; [`crate::audit()`] and the entries' inclusion proofs
/// check signatures, inclusion and consistency.
pub fn record_index(dir: &Path) -> Result<HashMap<RecordId, u64>, RecordsError> {
    let log = Log::open_reader(dir)?;
    let entries = log.entries(0..log.size())?;
    let mut index = HashMap::with_capacity(entries.len());
    for (i, bytes) in entries.iter().enumerate() {
        let entry = |e: &dyn std::fmt::Display| RecordsError::Entry {
            index: i as u64,
            reason: e.to_string(),
        };
        let env = Envelope::from_json(bytes).map_err(|e| entry(&e))?;
        let record = env.unverified_record().map_err(|e| entry(&e))?;
        index.insert(record.id, i as u64);
    }
    Ok(index)
}

/// A record's receipt read from a C2SP tlog-proof file: the entry's bytes (the proof's extra
/// data) and the receipt, the checkpoint note verbatim with the inclusion proof against it.
/// Nothing is verified here: the receipt is checked against the keys it must be signed with
/// where it is used.
pub fn receipt_from_proof(file: &[u8]) -> Result<(Vec<u8>, LogReceipt), RecordsError> {
    let proof = TlogProof::parse(file).map_err(RecordsError::NotProof)?;
    let entry = proof.extra.clone().ok_or(RecordsError::NoEntry)?;
    let checkpoint = String::from_utf8(proof.checkpoint.clone()).map_err(RecordsError::NotUtf8)?;
    let size = checkpoint
        .lines()
        .nth(1)
        .and_then(|l| l.parse::<u64>().ok())
        .ok_or(RecordsError::NoSize)?;
    Ok((
        entry,
        LogReceipt {
            checkpoint,
            proof: ReceiptProof {
                index: proof.index,
                size,
                hashes: proof.hashes.iter().map(|h| B64.encode(h.0)).collect(),
            },
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LogKey, prove_inclusion_in_dir, read_checkpoint};
    use accord_model::{HotlineMessage, PartyId, Record, RecordBody};

    fn record(id: &str) -> Record {
        Record {
            id: RecordId::new(id).unwrap(),
            party: PartyId::new("US").unwrap(),
            issued_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            body: RecordBody::HotlineMessage(HotlineMessage {
                to: PartyId::new("RU").unwrap(),
                seq: 1,
                text: id.into(),
            }),
        }
    }

    #[test]
    fn records_are_indexed_and_a_proof_file_reads_back_as_a_receipt() {
        let dir = tempfile::tempdir().unwrap();
        let signing = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
        let key = LogKey::from_signing_key("example.org/records", &signing).unwrap();
        let mut log = Log::create(dir.path(), "example.org/records", &key).unwrap();
        let entries: Vec<Vec<u8>> = ["a", "b", "c"]
            .iter()
            .map(|id| Envelope::sign_record(&record(id), &signing).to_json())
            .collect();
        log.append_batch(&entries).unwrap();
        drop(log);
        let index = record_index(dir.path()).unwrap();
        assert_eq!(index.len(), 3);
        assert_eq!(index[&RecordId::new("b").unwrap()], 1);
        assert_eq!(index[&RecordId::new("c").unwrap()], 2);

        let cp = read_checkpoint(dir.path(), None).unwrap();
        let (entry, p) = prove_inclusion_in_dir(dir.path(), &cp, 1).unwrap();
        let file = TlogProof::new(&entry, &p, cp.note()).to_bytes();
        let (bytes, receipt) = receipt_from_proof(&file).unwrap();
        assert_eq!(bytes, entries[1]);
        assert_eq!(receipt.checkpoint.as_bytes(), cp.note());
        assert_eq!((receipt.proof.index, receipt.proof.size), (1, 3));
        assert_eq!(receipt.proof.hashes.len(), p.hashes.len());

        assert!(matches!(
            receipt_from_proof(b"not a proof"),
            Err(RecordsError::NotProof(_))
        ));
        let bare = TlogProof {
            extra: None,
            ..TlogProof::parse(&file).unwrap()
        };
        assert!(matches!(
            receipt_from_proof(&bare.to_bytes()),
            Err(RecordsError::NoEntry)
        ));
    }
}
