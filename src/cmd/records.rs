//! `accord records`: the records format as a JSON Schema, and a linter for records files.
//!
//! The schema is generated from the Rust types accord reads records into, and the linter reads
//! each line into those same types, so the published contract and what accord accepts cannot
//! drift apart. Beyond the format, the linter checks what the scenario knows: its parties and
//! agreements, and the vocabulary's zones and categories.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_agreements::Vocabulary;
use accord_compliance::Scenario;
use accord_model::{Instant, Record};
use accord_state::{Known, NameKind, State, StateError, Unevaluable};
use anyhow::Context as _;
use serde::Serialize;

use super::output::Verbosity;

/// Subcommands of `accord records`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print the JSON Schema of one record (one line of a records file), generated from the
    /// types accord reads records into. docs/records.schema.json holds the same text.
    Schema,
    /// Check records files: JSON syntax, the schema (fields, types, record types), the rules a
    /// record obeys on its own, unique ids, and the names it uses (parties and agreements of
    /// the scenario, zones and categories of the vocabulary), with a suggestion for near misses.
    ///
    /// Prints every problem as FILE:LINE: field `F`: message. Exit code 0 when every record is
    /// valid, 2 when any is not.
    Lint(LintArgs),
}

/// Arguments of `accord records lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Records files (JSON Lines, one record per line), or directories: a scenario directory
    /// (its `scenario.toml` names the records file, the parties and the agreements) or a
    /// directory of `*.jsonl` files.
    #[arg(required = true, value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,
    /// A scenario directory whose parties and agreements the records must use; default: the
    /// scenario directory given as a path, else every party of the vocabulary and every
    /// embedded agreement.
    #[arg(long, value_name = "DIR")]
    scenario: Option<PathBuf>,
    /// Print the result as JSON: `{"ok": bool, "records": N, "problems": [{"file", "line",
    /// "field", "message", "suggestion"}]}`.
    #[arg(long)]
    json: bool,
}

/// Runs `accord records`.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Schema => {
            super::check::emit(&schema_text())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Lint(args) => lint(args),
    }
}

/// The JSON Schema of a record, pretty-printed with a final newline.
pub fn schema_text() -> String {
    let schema = schemars::schema_for!(Record);
    // A schema is a JSON object with string keys: serialising it cannot fail.
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// One problem found in a records file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// The field at fault as a dotted path (`body.activity.area.zone`), or `""` for the line.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// The known name closest to the one written, for near misses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if !self.field.is_empty() {
            write!(f, "field `{}`: ", self.field)?;
        }
        f.write_str(&self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        Ok(())
    }
}

/// The names a scenario's records must use for the engine to judge them.
pub fn known_of(scenario: &Scenario) -> Known {
    // The scenario's vocabulary: the built-in one with what the scenario and its agreements
    // define (the INF file's range-class categories).
    let vocabulary = &scenario.vocabulary;
    Known {
        parties: scenario.file.parties.iter().cloned().collect(),
        agreements: scenario.agreements.iter().map(|a| a.id.clone()).collect(),
        zones: vocabulary.zones.keys().cloned().collect(),
        categories: vocabulary.categories.keys().cloned().collect(),
    }
}

/// The names known without a scenario: the vocabulary and every embedded agreement.
fn known_everywhere() -> anyhow::Result<Known> {
    let agreements = accord_agreements::builtin().context("the embedded agreements")?;
    let vocabulary = Vocabulary::for_agreements(&agreements)
        .context("the vocabulary of the embedded agreements")?;
    Ok(Known {
        parties: vocabulary.parties.keys().cloned().collect(),
        agreements: agreements.into_iter().map(|a| a.id).collect(),
        zones: vocabulary.zones.keys().cloned().collect(),
        categories: vocabulary.categories.keys().cloned().collect(),
    })
}

/// The known names of one kind, for suggestions.
fn names(known: &Known, kind: NameKind) -> Vec<String> {
    fn strings<T: ToString>(set: &std::collections::BTreeSet<T>) -> Vec<String> {
        set.iter().map(ToString::to_string).collect()
    }
    match kind {
        NameKind::Agreement => strings(&known.agreements),
        NameKind::Party => strings(&known.parties),
        NameKind::Zone => strings(&known.zones),
        NameKind::Category => strings(&known.categories),
        NameKind::Record => Vec::new(),
    }
}

/// The candidate closest to `written`, when it is close enough to be a slip of the keyboard.
pub fn closest<'a>(written: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .filter(|c| *c != written)
        .map(|c| {
            (
                strsim::jaro_winkler(&written.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_owned())
}

/// The suggestion for a name a record uses that the scenario does not know.
pub fn suggestion(known: &Known, u: &Unevaluable) -> Option<String> {
    let candidates = names(known, u.kind);
    closest(&u.name, candidates.iter().map(String::as_str))
}

/// The names a parser's message offers ("expected one of `a`, `b`"), and the one it refused.
fn offered(message: &str) -> Option<(String, Vec<String>)> {
    let ticked =
        |s: &str| -> Vec<String> { s.split('`').skip(1).step_by(2).map(str::to_owned).collect() };
    let (head, tail) = message.split_once("expected")?;
    let written = ticked(head).into_iter().next()?;
    Some((written, ticked(tail)))
}

/// Reads one line into a record, with the path of the field a parse error is about.
fn parse_line(text: &str) -> Result<Record, (String, String)> {
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, Record>(&mut de) {
        Ok(r) => Ok(r),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                // Not JSON: no field to name, the column says where.
                return Err((
                    String::new(),
                    inner.to_string().replace(" at line 1 ", " at "),
                ));
            }
            let message = strip_position(&inner.to_string());
            // A body is read through its `type` tag, which hides the path inside it: read it
            // again as the type it names to find the field.
            if path == "body"
                && let Some(found) = body_error(text)
            {
                return Err(found);
            }
            let path = if path == "." { String::new() } else { path };
            Err((path, message))
        }
    }
}

/// serde_json ends its messages with "at line L column C"; a record is one line, so only the
/// column matters, and only for syntax errors.
fn strip_position(message: &str) -> String {
    match message.rsplit_once(" at line ") {
        Some((head, _)) => head.to_owned(),
        None => message.to_owned(),
    }
}

/// The field path and message of an error inside a record's body.
fn body_error(text: &str) -> Option<(String, String)> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut body = value.get("body")?.as_object()?.clone();
    let kind = body.remove("type")?.as_str()?.to_owned();
    let body = serde_json::Value::Object(body);
    fn at<T: serde::de::DeserializeOwned>(body: serde_json::Value) -> Option<(String, String)> {
        match serde_path_to_error::deserialize::<_, T>(body) {
            Ok(_) => None,
            Err(e) => {
                let path = e.path().to_string();
                let field = if path == "." {
                    "body".to_owned()
                } else {
                    format!("body.{path}")
                };
                Some((field, strip_position(&e.into_inner().to_string())))
            }
        }
    }
    use accord_model as m;
    match kind.as_str() {
        "declaration" => at::<m::Declaration>(body),
        "notification" => at::<m::Notification>(body),
        "annual_calendar" => at::<m::AnnualCalendar>(body),
        "acknowledgement" => at::<m::Acknowledgement>(body),
        "explanation_request" => at::<m::ExplanationRequest>(body),
        "explanation_reply" => at::<m::ExplanationReply>(body),
        "inspection_request" => at::<m::InspectionRequest>(body),
        "inspection_report" => at::<m::InspectionReport>(body),
        "observation" => at::<m::Observation>(body),
        "declaration_commitment" => at::<m::DeclarationCommitment>(body),
        "reveal" => at::<m::Reveal>(body),
        "limit_proof" => at::<m::LimitProofRecord>(body),
        "seed_commit" => at::<m::SeedCommit>(body),
        "seed_reveal" => at::<m::SeedReveal>(body),
        "hotline_message" => at::<m::HotlineMessage>(body),
        "hotline_receipt" => at::<m::HotlineReceipt>(body),
        _ => None,
    }
}

/// The records files a path stands for, and the scenario directory it is, if any.
fn files_of(path: &Path) -> anyhow::Result<(Vec<PathBuf>, Option<PathBuf>)> {
    if !path.is_dir() {
        return Ok((vec![path.to_owned()], None));
    }
    if path.join("scenario.toml").is_file() {
        let scenario = scenario_file(path)?;
        return Ok((vec![path.join(&scenario.records)], Some(path.to_owned())));
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("reading {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    anyhow::ensure!(
        !files.is_empty(),
        "{}: no scenario.toml and no *.jsonl records file",
        path.display()
    );
    Ok((files, None))
}

/// A scenario directory's `scenario.toml`, read without its records.
fn scenario_file(dir: &Path) -> anyhow::Result<accord_compliance::ScenarioFile> {
    Ok(scenario_of(dir)?.file)
}

/// A scenario directory with its agreements and no records: what its records must name.
fn scenario_of(dir: &Path) -> anyhow::Result<Scenario> {
    let path = dir.join("scenario.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Scenario::from_texts(
        &text,
        &path.display().to_string(),
        "",
        "",
    )?)
}

/// The names known to records read with a scenario directory: its parties, its agreements
/// (with those of an `agreements/` directory beside it) and the vocabulary.
fn known_in(dir: &Path) -> anyhow::Result<Known> {
    let scenario = scenario_of(dir)?;
    let mut known = known_of(&scenario);
    let local = dir.join("agreements");
    if local.is_dir() {
        for e in
            std::fs::read_dir(&local).with_context(|| format!("reading {}", local.display()))?
        {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "toml")
                && scenario
                    .file
                    .agreements
                    .iter()
                    .any(|id| p.file_stem().is_some_and(|s| s == id.as_str()))
            {
                known.agreements.insert(accord_agreements::load(&p)?.id);
            }
        }
    }
    Ok(known)
}

/// The result of linting records files.
#[derive(Debug, Serialize)]
struct Report {
    ok: bool,
    records: usize,
    problems: Vec<Problem>,
}

fn lint(args: LintArgs) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    let mut scenario_dir = args.scenario.clone();
    for p in &args.paths {
        let (more, dir) = files_of(p)?;
        files.extend(more);
        if scenario_dir.is_none() {
            scenario_dir = dir;
        }
    }
    let known = match &scenario_dir {
        Some(dir) => known_in(dir)?,
        None => known_everywhere()?,
    };
    let mut problems = Vec::new();
    // One state across all files: a reply may answer a request of another file.
    let mut state = State::new();
    let mut origin: Vec<(String, usize)> = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        let text = std::fs::read_to_string(file).with_context(|| format!("reading {name}"))?;
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let problem = |field: String, message: String, suggestion: Option<String>| Problem {
                file: name.clone(),
                line: n + 1,
                field,
                message,
                suggestion,
            };
            let record = match parse_line(trimmed) {
                Ok(r) => r,
                Err((field, message)) => {
                    let suggestion = offered(&message)
                        .and_then(|(w, c)| closest(&w, c.iter().map(String::as_str)));
                    problems.push(problem(field, message, suggestion));
                    continue;
                }
            };
            match state.append(record) {
                Ok(_) => origin.push((name.clone(), n + 1)),
                Err(StateError::Invalid { error, .. }) => {
                    problems.push(problem(error.field, error.reason, None));
                }
                Err(StateError::OutOfRange { error, .. }) => {
                    problems.push(problem(error.what.clone(), error.to_string(), None));
                }
                Err(StateError::Duplicate { id, first, .. }) => {
                    let (f, l) = &origin[first];
                    let message = format!("record id `{id}` is already used at {f}:{l}");
                    problems.push(problem("id".into(), message, None));
                }
                // Only records appended with a log position are refused this way.
                Err(e @ StateError::Precedes { .. }) => {
                    problems.push(problem("id".into(), e.to_string(), None));
                }
            }
        }
    }
    for u in state.unevaluable(&known, Instant::MAX) {
        let (file, line) = origin[u.index].clone();
        let what = match u.kind {
            NameKind::Party if scenario_dir.is_none() => "is not in the vocabulary",
            NameKind::Agreement if scenario_dir.is_none() => "is not an embedded agreement",
            NameKind::Agreement => "is not among the scenario's agreements",
            NameKind::Party => "is not a party of the scenario",
            NameKind::Record => "is not among the records linted",
            NameKind::Zone | NameKind::Category => "is not in the vocabulary",
        };
        problems.push(Problem {
            file,
            line,
            suggestion: suggestion(&known, &u),
            field: u.field,
            message: format!("{} `{}` {what}", u.kind.as_str(), u.name),
        });
    }
    if let Some(dir) = &scenario_dir {
        problems.extend(cosignature_problems(dir, &state)?);
    }
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let report = Report {
        ok: problems.is_empty(),
        records: state.len(),
        problems,
    };
    let mut out = String::new();
    if args.json {
        out = serde_json::to_string_pretty(&report)? + "\n";
    } else {
        // Problems are what -q keeps; only the default cuts a long list short.
        let shown = match super::output::verbosity() {
            Verbosity::Normal => PROBLEMS_SHOWN,
            _ => usize::MAX,
        };
        for p in report.problems.iter().take(shown) {
            out.push_str(&format!("{p}\n"));
        }
        if report.problems.len() > shown && super::output::verbosity() == Verbosity::Normal {
            out.push_str(&format!(
                "... {} more problems (-v shows them all)\n",
                report.problems.len() - shown
            ));
        }
        let bad_files: BTreeSet<&str> = report.problems.iter().map(|p| p.file.as_str()).collect();
        let quiet = super::output::verbosity() == super::output::Verbosity::Quiet;
        if report.ok && !quiet {
            out.push_str(&format!(
                "ok: {} records in {} files\n",
                report.records,
                files.len()
            ));
        } else if !quiet {
            out.push_str(&format!(
                "{} problems in {} of {} files ({} records read)\n",
                report.problems.len(),
                bad_files.len(),
                files.len(),
                report.records
            ));
        }
    }
    super::check::emit(&out)?;
    Ok(ExitCode::from(if report.ok {
        crate::EXIT_CLEAN
    } else {
        crate::EXIT_BAD_INPUT
    }))
}

/// The first problem of a scenario directory's cosignatures file, if it names one, checked
/// against the records linted.
fn cosignature_problems(dir: &Path, state: &State) -> anyhow::Result<Option<Problem>> {
    let file = scenario_file(dir)?;
    let Some(name) = &file.cosignatures else {
        return Ok(None);
    };
    let path = dir.join(name);
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {origin}"))?;
    let Err(e) =
        accord_compliance::scenario::read_cosignatures(&text, &origin, state, &file.parties)
    else {
        return Ok(None);
    };
    let (line, message) = match e {
        accord_state::LoadError::Parse { line, message, .. } => (line, message),
        other => (0, other.to_string()),
    };
    let (field, message) = match message
        .strip_prefix("field `")
        .and_then(|rest| rest.split_once("`: "))
    {
        Some((field, rest)) => (field.to_owned(), rest.to_owned()),
        None => (String::new(), message),
    };
    Ok(Some(Problem {
        file: origin,
        line,
        field,
        message,
        suggestion: None,
    }))
}

/// A record a command cannot judge, as it reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The record's id.
    pub record: String,
    /// The field holding the unknown name.
    pub field: String,
    /// `agreement`, `party`, `zone`, `category` or `record`.
    pub kind: &'static str,
    /// The name as written.
    pub name: String,
    /// The whole warning in words.
    pub message: String,
    /// The known name closest to the one written, for near misses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// The records of a scenario issued by `at` that the engine cannot judge.
pub fn warnings(scenario: &Scenario, at: Instant) -> Vec<Warning> {
    let known = known_of(scenario);
    scenario
        .state
        .unevaluable(&known, at)
        .into_iter()
        .map(|u| {
            let suggestion = suggestion(&known, &u);
            let mut message = format!("{u}: not judged");
            if let Some(s) = &suggestion {
                message.push_str(&format!("; did you mean `{s}`?"));
            }
            Warning {
                record: u.record.to_string(),
                field: u.field,
                kind: u.kind.as_str(),
                name: u.name,
                message,
                suggestion,
            }
        })
        .collect()
}

/// How many lint problems are printed without `-v`.
const PROBLEMS_SHOWN: usize = 20;

/// How many warnings are printed without `-v`.
const WARNINGS_SHOWN: usize = 10;

/// Prints warnings on standard error: none with `-q`, the first few without `-v`, all with it.
pub fn print_warnings(warnings: &[Warning]) {
    use super::output::{verbosity, warning_prefix};
    let shown = match verbosity() {
        Verbosity::Quiet => 0,
        Verbosity::Normal => WARNINGS_SHOWN,
        Verbosity::Verbose => usize::MAX,
    };
    let prefix = warning_prefix(false);
    for w in warnings.iter().take(shown) {
        eprintln!("{prefix} {}", w.message);
    }
    if verbosity() == Verbosity::Normal && warnings.len() > shown {
        eprintln!(
            "{prefix} {} more records not judged (-v shows them all)",
            warnings.len() - shown
        );
    }
}
