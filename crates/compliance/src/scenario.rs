//! Scenarios: a directory with a `scenario.toml` (parties, agreements by id, the default instant)
//! and a `records.jsonl` of records, as the examples/ directory holds them.

use std::path::{Path, PathBuf};

use accord_agreements::{Agreement, Vocabulary};
use accord_model::{AgreementId, Instant, PartyId};
use accord_state::State;
use serde::Deserialize;

use crate::{Engine, UnknownAgreement};

/// The `scenario.toml` of a scenario directory.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// A short name ("2022-crisis").
    pub name: String,
    /// A title in words.
    pub title: String,
    /// What the scenario shows.
    #[serde(default)]
    pub description: String,
    /// The parties whose records it holds.
    pub parties: Vec<PartyId>,
    /// The agreements evaluated, by id (from the embedded agreements/ files, or from an
    /// `agreements/` directory beside the scenario).
    pub agreements: Vec<AgreementId>,
    /// Drafts the scenario is about: shown both as they stand and as if in force.
    #[serde(default)]
    pub proposals: Vec<AgreementId>,
    /// The default instant to evaluate at (RFC 3339).
    pub as_of: Instant,
    /// The first day the records cover, when they start in the middle of agreements' lives:
    /// scheduled exchanges and calendars due earlier are not expected in them.
    #[serde(default)]
    pub records_from: Option<accord_model::Date>,
    /// Other instants worth a look, with what they show.
    #[serde(default)]
    pub moments: Vec<Moment>,
    /// The records file, relative to the scenario directory.
    #[serde(default = "default_records")]
    pub records: String,
    /// A file of cosignatures on the parties' logs (JSON Lines of
    /// [`accord_state::Cosignature`]), relative to the scenario directory. A cosignature's
    /// `log` names a party's log: `{party}` (its public log) or `{party}/{scope}` (its log of
    /// an agreement, `{party}/{agreement}`, or of a hotline channel,
    /// `{party}/hotline/{a}/{b}`). A party whose logs the file names only as `{party}` has its
    /// records in the records file, in their order, as that log from entry 0, and the engine
    /// judges answers by when the other parties' nodes held them; the records of a party with
    /// scoped logs are placed in them only by an export's entries file, which the node's
    /// judging of an export reads.
    #[serde(default)]
    pub cosignatures: Option<String>,
    /// Parties, zones and categories the scenario defines beyond the built-in vocabulary, for
    /// its records and for the agreement files beside it.
    #[serde(default)]
    pub define: Vocabulary,
}

/// An instant of interest in a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moment {
    /// The instant.
    pub at: Instant,
    /// What it shows.
    pub label: String,
}

fn default_records() -> String {
    "records.jsonl".into()
}

/// A scenario that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// A file could not be read.
    #[error("{}: cannot read: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// `scenario.toml` is malformed.
    #[error("{file}:{line}:{column}: {message}")]
    Toml {
        /// The file.
        file: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What was expected.
        message: String,
    },
    /// The records file holds a bad record.
    #[error(transparent)]
    Records(#[from] accord_state::LoadError),
    /// An agreement file is invalid.
    #[error("{0}")]
    Agreement(String),
    /// The scenario names an agreement that is neither embedded nor beside it.
    #[error("{file}: unknown agreement {id} (known: {known})")]
    UnknownAgreement {
        /// The scenario file.
        file: String,
        /// The id.
        id: AgreementId,
        /// The ids that are known.
        known: String,
    },
}

/// A scenario read and resolved: its file, its agreements and its state.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The scenario file.
    pub file: ScenarioFile,
    /// The agreements it names, in its order.
    pub agreements: Vec<Agreement>,
    /// The state folded from its records.
    pub state: State,
    /// The hex SHA-256 of the file each agreement was read from (embedded or the scenario's
    /// own), by id.
    pub agreement_sha256: std::collections::BTreeMap<AgreementId, String>,
    /// The vocabulary its agreements and records speak: the built-in one, extended by the
    /// scenario's and its agreements' definitions.
    pub vocabulary: Vocabulary,
}

impl Scenario {
    /// Reads a scenario directory (`scenario.toml`, the records file, optional `agreements/*.toml`).
    pub fn load(dir: &Path) -> Result<Scenario, ScenarioError> {
        let read = |p: PathBuf| {
            std::fs::read_to_string(&p).map_err(|error| ScenarioError::Io { path: p, error })
        };
        let toml_path = dir.join("scenario.toml");
        let text = read(toml_path.clone())?;
        let file = parse_file(&text, &toml_path.display().to_string())?;
        let records_path = dir.join(&file.records);
        let records = read(records_path.clone())?;
        let cosignatures = match &file.cosignatures {
            Some(name) => {
                let path = dir.join(name);
                Some((read(path.clone())?, path.display().to_string()))
            }
            None => None,
        };
        let vocabulary = Vocabulary::builtin().extended(&file.define).map_err(|e| {
            ScenarioError::Agreement(format!("{}: [define]: {}", toml_path.display(), e.0))
        })?;
        let mut extra = Vec::new();
        let agreements_dir = dir.join("agreements");
        if agreements_dir.is_dir() {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(&agreements_dir)
                .map_err(|error| ScenarioError::Io {
                    path: agreements_dir.clone(),
                    error,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            paths.sort();
            for p in paths {
                let text = read(p.clone())?;
                extra.push((
                    accord_agreements::parse(&text, &p.display().to_string(), &vocabulary)
                        .map_err(|e| ScenarioError::Agreement(e.to_string()))?,
                    crate::file_sha256(&text),
                ));
            }
        }
        let mut scenario = Scenario::from_parts(
            file,
            &toml_path.display().to_string(),
            &records,
            &records_path.display().to_string(),
            extra,
        )?;
        if let Some((text, origin)) = cosignatures {
            let cosignatures =
                read_cosignatures(&text, &origin, &scenario.state, &scenario.file.parties)?;
            // A party with scoped logs does not have its records in one log, in the order of
            // the records file: only the logs of the other parties are placed.
            let scoped: std::collections::BTreeSet<String> = cosignatures
                .iter()
                .filter(|c| c.log.as_str().contains('/'))
                .map(|c| log_author(c.log.as_str()).to_owned())
                .collect();
            let positions: Vec<_> = scenario
                .state
                .party_log_positions()
                .into_iter()
                .filter(|(_, p)| !scoped.contains(p.log.as_str()))
                .collect();
            let cosignatures: Vec<_> = cosignatures
                .into_iter()
                .filter(|c| !scoped.contains(log_author(c.log.as_str())))
                .collect();
            scenario.state.apply_cosignatures(&positions, &cosignatures);
        }
        Ok(scenario)
    }

    /// Builds a scenario from the texts of its files (as embedded in the binary).
    pub fn from_texts(
        scenario_toml: &str,
        scenario_origin: &str,
        records: &str,
        records_origin: &str,
    ) -> Result<Scenario, ScenarioError> {
        let file = parse_file(scenario_toml, scenario_origin)?;
        Scenario::from_parts(file, scenario_origin, records, records_origin, Vec::new())
    }

    fn from_parts(
        file: ScenarioFile,
        origin: &str,
        records: &str,
        records_origin: &str,
        extra: Vec<(Agreement, String)>,
    ) -> Result<Scenario, ScenarioError> {
        let mut known =
            accord_agreements::builtin().map_err(|e| ScenarioError::Agreement(e.to_string()))?;
        let mut sha256: std::collections::BTreeMap<AgreementId, String> = known
            .iter()
            .filter_map(|a| {
                let (_, text) = accord_agreements::builtin_file(a.id.as_str())?;
                Some((a.id.clone(), crate::file_sha256(text)))
            })
            .collect();
        for (a, hash) in extra {
            known.retain(|k| k.id != a.id);
            sha256.insert(a.id.clone(), hash);
            known.push(a);
        }
        let mut agreements = Vec::new();
        for id in &file.agreements {
            match known.iter().find(|a| &a.id == id) {
                Some(a) => agreements.push(a.clone()),
                None => {
                    return Err(ScenarioError::UnknownAgreement {
                        file: origin.to_owned(),
                        id: id.clone(),
                        known: known
                            .iter()
                            .map(|a| a.id.to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            }
        }
        for id in &file.proposals {
            if !file.agreements.contains(id) {
                return Err(ScenarioError::UnknownAgreement {
                    file: origin.to_owned(),
                    id: id.clone(),
                    known: "the scenario's own agreements".into(),
                });
            }
        }
        let state = State::from_jsonl(records, records_origin)?;
        let vocabulary = Vocabulary::for_agreements(&agreements)
            .and_then(|v| v.extended(&file.define))
            .map_err(|e| ScenarioError::Agreement(format!("{origin}: {}", e.0)))?;
        sha256.retain(|id, _| agreements.iter().any(|a| &a.id == id));
        Ok(Scenario {
            file,
            agreements,
            state,
            agreement_sha256: sha256,
            vocabulary,
        })
    }

    /// An engine over the scenario's agreements, with the given ones assumed in force.
    pub fn engine(&self, assume_in_force: &[AgreementId]) -> Result<Engine, UnknownAgreement> {
        let mut engine = Engine::new(self.agreements.clone());
        if let Some(from) = self.file.records_from {
            engine = engine.with_records_from(from);
        }
        for id in assume_in_force {
            engine.assume_in_force(id)?;
        }
        Ok(engine)
    }
}

/// The party that writes the log named `log` (`{party}` or `{party}/{scope}`).
fn log_author(log: &str) -> &str {
    log.split('/').next().unwrap_or(log)
}

/// Why `log` is not the name of a party's log (`{party}`, `{party}/{agreement}` or
/// `{party}/hotline/{a}/{b}` with the author one of `a`, `b`), if it is not.
fn log_name_problem(log: &str) -> Option<String> {
    let parts: Vec<&str> = log.split('/').collect();
    let segment_ok = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    };
    if !parts.iter().all(|s| segment_ok(s)) {
        return Some(
            "a log name is segments of letters, digits, `_`, `-`, `.` joined by `/`".into(),
        );
    }
    match parts.as_slice() {
        [_] => None,
        [_, scope] if *scope != "hotline" => None,
        [author, "hotline", a, b] if a < b && (author == a || author == b) => None,
        _ => Some(
            "a log is `{party}`, `{party}/{agreement}` or `{party}/hotline/{a}/{b}` (a before \
             b, the party one of them)"
                .into(),
        ),
    }
}

/// Reads a scenario's cosignatures file and checks it against the scenario's records: each
/// log is a well-formed log name whose author is a party of the scenario, each cosigner is a
/// party of the scenario, and no checkpoint is larger than the records of its log's author.
/// The first problem is an error naming the file and line.
pub fn read_cosignatures(
    text: &str,
    origin: &str,
    state: &State,
    parties: &[PartyId],
) -> Result<Vec<accord_state::Cosignature>, accord_state::LoadError> {
    let mut sizes: std::collections::BTreeMap<&PartyId, u64> = std::collections::BTreeMap::new();
    for r in state.records() {
        *sizes.entry(&r.party).or_default() += 1;
    }
    let mut out = Vec::new();
    for (line, c) in accord_state::parse_cosignatures(text, origin)? {
        let problem = |message: String| accord_state::LoadError::Parse {
            origin: origin.to_owned(),
            line,
            message,
        };
        if let Some(why) = log_name_problem(c.log.as_str()) {
            return Err(problem(format!("field `log`: {}: {why}", c.log)));
        }
        let author = log_author(c.log.as_str());
        for (field, party) in [("log", author), ("cosigner", c.cosigner.as_str())] {
            if !parties.iter().any(|p| p.as_str() == party) {
                return Err(problem(format!(
                    "field `{field}`: {party} is not a party of the scenario"
                )));
            }
        }
        if author == c.cosigner.as_str() {
            return Err(problem(format!(
                "field `cosigner`: {author} cosigns its own log; a cosignature is another party's"
            )));
        }
        let size = sizes
            .iter()
            .find(|(p, _)| p.as_str() == author)
            .map_or(0, |(_, n)| *n);
        if c.size > size {
            let held = if author == c.log.as_str() {
                format!("the log of {author} holds")
            } else {
                format!("the logs of {author} hold")
            };
            return Err(problem(format!(
                "field `size`: a checkpoint of {} entries, but {held} {size} records here",
                c.size
            )));
        }
        out.push(c);
    }
    Ok(out)
}

fn parse_file(text: &str, origin: &str) -> Result<ScenarioFile, ScenarioError> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| accord_agreements::line_column(text, s.start))
            .unwrap_or((1, 1));
        ScenarioError::Toml {
            file: origin.to_owned(),
            line,
            column,
            message: e.message().trim().to_owned(),
        }
    })
}
