//! A node's logs written as a scenario directory (`scenario.toml`, `records.jsonl` and
//! `cosignatures.jsonl`), so that `accord check` judges exactly what the node judges.

use std::fmt::Write as _;
use std::path::Path;

use accord_log::Log;
use accord_model::Instant;

use crate::NodeError;
use crate::wire::HeldAgreement;

/// Writes every log under `data` (the node's data directory) into `out` as a scenario that
/// judges `agreements` at `as_of`: the records in (log, index) order, the order the node folds
/// them in, and every cosignature the node holds on those logs, which time them. Agreements
/// must be the embedded ones, unchanged. Returns how many records.
pub fn write_scenario(
    data: &Path,
    out: &Path,
    agreements: &[HeldAgreement],
    as_of: Instant,
) -> Result<usize, NodeError> {
    if !data.join(crate::store::DB_FILE).exists() {
        return Err(NodeError::Config {
            file: data.to_owned(),
            reason: format!(
                "holds no {}: export reads the data directory of a node whose database is \
                 SQLite",
                crate::store::DB_FILE
            ),
        });
    }
    for a in agreements {
        let embedded = accord_agreements::builtin_file(a.id.as_str()).map(|(_, text)| {
            use sha2::Digest as _;
            hex::encode(sha2::Sha256::digest(text.as_bytes()))
        });
        if embedded.as_deref() != Some(a.sha256.as_str()) {
            return Err(NodeError::Config {
                file: data.join(crate::client::NODE_FILE),
                reason: format!(
                    "agreement {} was read from a file that is not the embedded one; export \
                     writes scenarios of embedded agreements only",
                    a.id
                ),
            });
        }
    }
    let logs_dir = data.join(crate::store::LOGS_DIR);
    let mut parties: Vec<String> = std::fs::read_dir(&logs_dir)
        .map_err(|e| NodeError::io(&logs_dir, e))?
        .filter_map(|e| e.ok())
        .filter(|e| Log::exists(&e.path()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    parties.sort();
    let mut jsonl = String::new();
    let mut count = 0;
    for party in &parties {
        let log = Log::open_reader(&logs_dir.join(party)).map_err(crate::store::log_error)?;
        for envelope in log
            .entries(0..log.size())
            .map_err(crate::store::log_error)?
        {
            let record = crate::node::decode_logged(&envelope)?;
            let line =
                serde_json::to_string(&record).map_err(|e| NodeError::Malformed(e.to_string()))?;
            jsonl.push_str(&line);
            jsonl.push('\n');
            count += 1;
        }
    }
    // Cosignatures on the logs written, by parties that are then parties of the scenario.
    let cosignatures: Vec<accord_state::Cosignature> = crate::store::read_cosignatures(data)?
        .into_iter()
        .filter(|c| parties.iter().any(|p| p == c.log.as_str()))
        .collect();
    let mut cosignatures_jsonl = String::new();
    for c in &cosignatures {
        let line = serde_json::to_string(c).map_err(|e| NodeError::Malformed(e.to_string()))?;
        cosignatures_jsonl.push_str(&line);
        cosignatures_jsonl.push('\n');
        if !parties.iter().any(|p| p == c.cosigner.as_str()) {
            parties.push(c.cosigner.to_string());
        }
    }
    parties.sort();
    let quoted = |v: &[String]| {
        v.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ids: Vec<String> = agreements.iter().map(|a| a.id.to_string()).collect();
    let mut toml = String::new();
    let _ = writeln!(toml, "name = \"node-export\"");
    let _ = writeln!(
        toml,
        "title = \"The logs of the node in {}\"",
        data.display()
    );
    let _ = writeln!(toml, "parties = [{}]", quoted(&parties));
    let _ = writeln!(toml, "agreements = [{}]", quoted(&ids));
    let _ = writeln!(toml, "as_of = \"{as_of}\"");
    let _ = writeln!(toml, "cosignatures = \"cosignatures.jsonl\"");
    std::fs::create_dir_all(out).map_err(|e| NodeError::io(out, e))?;
    for (name, text) in [
        ("scenario.toml", toml),
        ("records.jsonl", jsonl),
        ("cosignatures.jsonl", cosignatures_jsonl),
    ] {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| NodeError::io(&path, e))?;
    }
    Ok(count)
}
