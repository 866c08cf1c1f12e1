//! A node's logs written as a scenario directory (`scenario.toml`, `records.jsonl`,
//! `cosignatures.jsonl`, and `entries.jsonl` and `keys.json` that hold each record as logged,
//! with its log and index), so that `accord check` judges exactly what the node judges
//! ([`judge_export`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use accord_escrow::order::{Logged, PartyKeys, Trust};
use accord_model::{Instant, PartyId};
use serde::{Deserialize, Serialize};

use crate::NodeError;
use crate::judge::{AgreementFile, Judge, Judged};
use crate::store::DatabaseChoice;
use crate::wire::HeldAgreement;

/// The file of an export that holds every log entry as the node holds it, one JSON object a
/// line: the log's origin line, the entry's index and the entry's text.
pub const ENTRIES_FILE: &str = "entries.jsonl";

/// The file of an export that holds, per party, the verifier keys of its log and of its
/// cosignatures as a mirror, with which the receipts in selection records are checked.
pub const KEYS_FILE: &str = "keys.json";

/// One log entry of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedEntry {
    /// The origin line of the log holding it.
    pub origin: String,
    /// Its index in that log.
    pub index: u64,
    /// The entry as logged: a signed envelope of the record, byte for byte.
    pub entry: String,
}

/// A party's verifier keys, as an export lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedKeys {
    /// The signed-note verifier key of the party's log.
    pub log: String,
    /// The cosigner verifier key with which the party cosigns the logs it mirrors.
    pub cosigner: String,
}

/// Writes every log under `data` (the data directory of `own`'s node) into `out` as a scenario
/// that judges `agreements` at `as_of`: the records in (log, index) order, the order the node
/// folds them in, each entry with its log and index, the parties' verifier keys, and every
/// cosignature the node holds on those logs, which time them. Agreements must be the embedded
/// ones, unchanged. Returns how many records.
pub fn write_scenario(
    data: &Path,
    own: &PartyId,
    out: &Path,
    agreements: &[HeldAgreement],
    as_of: Instant,
) -> Result<usize, NodeError> {
    write_scenario_in(data, &DatabaseChoice::Sqlite, own, out, agreements, as_of)
}

/// [`write_scenario`] of the node whose tables and logs' entries are in the database `choice`
/// names (its files in `data`), read through the storage interface.
pub fn write_scenario_in(
    data: &Path,
    choice: &DatabaseChoice,
    own: &PartyId,
    out: &Path,
    agreements: &[HeldAgreement],
    as_of: Instant,
) -> Result<usize, NodeError> {
    if *choice == DatabaseChoice::Sqlite && !data.join(crate::store::DB_FILE).exists() {
        return Err(NodeError::Config {
            file: data.to_owned(),
            reason: format!(
                "holds no {}: a node whose database is PostgreSQL is exported with --database \
                 and its connection URL",
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
    // Every log, public and scoped, by name; the scenario's parties are their authors.
    let logs = crate::store::read_logs(data, choice)?;
    let mut parties: Vec<String> = Vec::new();
    let mut jsonl = String::new();
    let mut entries_jsonl = String::new();
    let mut count = 0;
    for (party, log) in &logs {
        let author = crate::scope::LogName::parse_key(party)?.party.to_string();
        if !parties.contains(&author) {
            parties.push(author);
        }
        for (index, envelope) in (0..).zip(
            log.entries(0..log.size())
                .map_err(crate::store::log_error)?,
        ) {
            let record = crate::node::decode_logged(&envelope)?;
            to_line(&mut jsonl, &record)?;
            let entry = ExportedEntry {
                origin: crate::node::origin(party),
                index,
                entry: String::from_utf8(envelope).map_err(|_| {
                    NodeError::Malformed(format!("entry {index} of {party}'s log is not UTF-8"))
                })?,
            };
            to_line(&mut entries_jsonl, &entry)?;
            count += 1;
        }
    }
    // Cosignatures on the logs written, by parties that are then parties of the scenario.
    let cosignatures: Vec<accord_state::Cosignature> =
        crate::store::read_cosignatures_in(data, choice)?
            .into_iter()
            .filter(|c| logs.iter().any(|(l, _)| l == c.log.as_str()))
            .collect();
    let mut cosignatures_jsonl = String::new();
    for c in &cosignatures {
        to_line(&mut cosignatures_jsonl, c)?;
        if !parties.iter().any(|p| p == c.cosigner.as_str()) {
            parties.push(c.cosigner.to_string());
        }
    }
    parties.sort();
    let keys = party_keys(data, own, &parties)?;
    let keys_json =
        serde_json::to_string_pretty(&keys).map_err(|e| NodeError::Malformed(e.to_string()))?;
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
        (ENTRIES_FILE, entries_jsonl),
        (KEYS_FILE, keys_json),
    ] {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| NodeError::io(&path, e))?;
    }
    Ok(count)
}

/// Appends `value` to `out` as one line of JSON.
fn to_line<T: Serialize>(out: &mut String, value: &T) -> Result<(), NodeError> {
    let line = serde_json::to_string(value).map_err(|e| NodeError::Malformed(e.to_string()))?;
    out.push_str(&line);
    out.push('\n');
    Ok(())
}

/// The verifier keys of each of `parties` the node of `own` in `data` knows: its own, and those
/// of the parties in its trust file.
fn party_keys(
    data: &Path,
    own: &PartyId,
    parties: &[String],
) -> Result<BTreeMap<PartyId, ExportedKeys>, NodeError> {
    let own_key = crate::keys::load_key(data)?.verifying_key();
    let trust = crate::keys::Trust::load(data)?;
    let mut out = BTreeMap::new();
    for party in parties {
        let party =
            PartyId::new(party.as_str()).map_err(|e| NodeError::Malformed(e.to_string()))?;
        let key = if &party == own {
            own_key
        } else {
            match trust.key(party.as_str()) {
                Some(k) => *k,
                None => continue,
            }
        };
        if let Some(k) = crate::arrival::party_keys(&party, &key) {
            out.insert(
                party,
                ExportedKeys {
                    log: k.log,
                    cosigner: k.cosigner,
                },
            );
        }
    }
    Ok(out)
}

/// Reads a file of JSON lines of `T`, naming the file and line of a bad one.
fn read_lines<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, NodeError> {
    let text = std::fs::read_to_string(path).map_err(|e| NodeError::io(path, e))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).map_err(|e| NodeError::Config {
                file: path.to_owned(),
                reason: format!("line {}: {e}", n + 1),
            })
        })
        .collect()
}

/// Whether `dir` is a directory `accord export` wrote (it holds the logs' entries).
pub fn is_export(dir: &Path) -> bool {
    dir.join(ENTRIES_FILE).is_file()
}

/// What the node that wrote the export in `dir` (read as `scenario`) judges at `at` over its
/// logs, holding the scenario's agreements: every escrow and selection record checked as on
/// arrival (a record that fails is kept out of the state and becomes a finding), the records
/// folded in (log, index) order and timed by the cosignatures, evaluated by the engine. `None`
/// when `dir` is a scenario that no node exported (no entries file).
pub fn judge_export(
    dir: &Path,
    scenario: &accord_compliance::Scenario,
    at: Instant,
) -> Result<Option<Judged>, NodeError> {
    if !is_export(dir) {
        return Ok(None);
    }
    let entries_path = dir.join(ENTRIES_FILE);
    let agreements: Vec<AgreementFile> = scenario
        .agreements
        .iter()
        .filter_map(|a| {
            Some(AgreementFile {
                agreement: a.clone(),
                held: HeldAgreement {
                    id: a.id.clone(),
                    sha256: scenario.agreement_sha256.get(&a.id)?.clone(),
                },
            })
        })
        .collect();
    let agreements = &agreements[..];
    let entries: Vec<ExportedEntry> = read_lines(&entries_path)?;
    let cosignatures: Vec<accord_state::Cosignature> = read_lines(&dir.join("cosignatures.jsonl"))?;
    let keys_path = dir.join(KEYS_FILE);
    let keys_text =
        std::fs::read_to_string(&keys_path).map_err(|e| NodeError::io(&keys_path, e))?;
    let keys: BTreeMap<PartyId, ExportedKeys> =
        serde_json::from_str(&keys_text).map_err(|e| NodeError::Config {
            file: keys_path.clone(),
            reason: e.to_string(),
        })?;
    let trust: Trust = keys
        .into_iter()
        .map(|(p, k)| {
            (
                p,
                PartyKeys {
                    log: k.log,
                    cosigner: k.cosigner,
                },
            )
        })
        .collect();
    let mut logged = Vec::with_capacity(entries.len());
    for e in entries {
        let bad = |reason: String| NodeError::Config {
            file: entries_path.clone(),
            reason: format!("entry {} of {}: {reason}", e.index, e.origin),
        };
        let log = crate::node::party_of_origin(&e.origin)
            .and_then(|p| PartyId::new(p).ok())
            .ok_or_else(|| bad("not the origin of a party's log".into()))?;
        let record =
            crate::node::decode_logged(e.entry.as_bytes()).map_err(|x| bad(x.to_string()))?;
        logged.push((
            log,
            e.index,
            Logged {
                record,
                entry: e.entry.into_bytes(),
            },
        ));
    }
    let records: Vec<crate::node::LoggedRecord> = logged
        .iter()
        .map(|(log, i, l)| (log.clone(), *i, l.record.clone()))
        .collect();
    let checks = crate::arrival::HeldEntries::new(logged, agreements, trust).checks();
    let judge = Judge::new(agreements);
    Ok(Some(judge.findings(
        &records,
        &cosignatures,
        at,
        &Arc::new(checks),
    )))
}
