//! `accord check`: evaluate a scenario directory against its agreements at an instant.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use accord_compliance::{Evaluation, Scenario, render_text};
use accord_messages::Lang;
use accord_model::{AgreementId, Arg, Finding, Instant, Message, Severity};
use anyhow::Context as _;

/// Arguments of `accord check`.
///
/// Exit codes: 0 when no finding is a violation, 1 when any is, 2 on bad input (an unreadable
/// or invalid scenario, record or agreement, an unknown agreement id, a malformed instant).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario directory: `scenario.toml` (parties, agreements by id, the default
    /// instant) and the records it names (`records.jsonl`, one record per line). A directory
    /// `accord export` wrote is judged as its node judges it: escrow records checked as on
    /// arrival, evidence citing each record's log and index.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The instant to evaluate at: RFC 3339 (`2022-02-20T12:00:00Z`) or a date (`2022-02-20`,
    /// meaning the end of that day, UTC). Default: the scenario's own `as_of`.
    #[arg(long, value_name = "INSTANT")]
    pub as_of: Option<String>,
    /// Print a JSON object: the format version, the scenario, the instant, counts by severity,
    /// the findings digest and the findings (sorted: the same input gives the same bytes).
    #[arg(long)]
    pub json: bool,
    /// The language of the text output: en or ru. Default: ACCORD_LANG, else LANG, else en.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<Lang>,
    /// Treat an agreement, typically a proposal, as if it were in force, to see what it would
    /// demand. May be repeated. Refused for a node's export, which is judged as its node
    /// judges it.
    #[arg(long = "assume-in-force", value_name = "ID")]
    pub assume_in_force: Vec<AgreementId>,
    /// Leave out the findings that do not apply (not in force, not yet binding, not checked).
    #[arg(long)]
    pub hide_not_applicable: bool,
    /// A log directory holding the scenario's records as signed envelopes (as `accord demo
    /// --log-dir` writes it): evidence then cites each record's log index, which
    /// `accord log verify DIR --index I` checks.
    #[arg(long, value_name = "DIR")]
    pub log: Option<PathBuf>,
}

/// Parses an instant given on the command line: RFC 3339, or a date meaning the end of that day.
pub fn parse_instant(text: &str) -> anyhow::Result<Instant> {
    let at = match text.parse::<Instant>() {
        Ok(t) => t,
        Err(_) => {
            let date: jiff::civil::Date = text.parse().with_context(|| {
                format!(
                    "--as-of {text:?}: expected RFC 3339 (2022-02-20T12:00:00Z) or a date (2022-02-20)"
                )
            })?;
            accord_state::end_of(accord_state::check_date(date, "--as-of")?)
        }
    };
    Ok(accord_state::check_instant(at, "--as-of")?)
}

/// Loads a scenario and evaluates it; returns the scenario, the evaluation and the instant.
pub fn evaluate(
    dir: &std::path::Path,
    as_of: Option<&str>,
    assume: &[AgreementId],
    log: Option<&std::path::Path>,
) -> anyhow::Result<(Scenario, Evaluation)> {
    let scenario = Scenario::load(dir)?;
    if accord_node::export::is_export(dir) {
        // An export is judged as its node judges it; the node neither assumes agreements in
        // force nor reads a separate log index, so these would change nothing: say so.
        if let Some(id) = assume.first() {
            anyhow::bail!(
                "{}: a node's export is judged as its node judges it; --assume-in-force {id} \
                 does not apply (check the scenario files without entries.jsonl to assume it)",
                dir.display()
            );
        }
        if log.is_some() {
            anyhow::bail!(
                "{}: a node's export cites its own logs; --log does not apply",
                dir.display()
            );
        }
    }
    let at = match as_of {
        Some(t) => parse_instant(t)?,
        None => accord_state::check_instant(
            scenario.file.as_of,
            &format!("`as_of` of {}", dir.join("scenario.toml").display()),
        )?,
    };
    let mut engine = scenario.engine(assume)?;
    if let Some(dir) = log {
        engine = engine.with_log_index(
            super::scenario_log::SCENARIO_ORIGIN,
            super::scenario_log::read_index(dir)?,
        );
    }
    let evaluation = engine.evaluate(&scenario.state, at);
    Ok((scenario, evaluation))
}

/// The findings of the scenario in `dir` at the evaluation's instant: for a node's export,
/// what that node judges over its logs, escrow records checked as on arrival
/// ([`accord_node::export::judge_export`]); else the engine's evaluation.
pub fn judged_findings(
    dir: &std::path::Path,
    scenario: &Scenario,
    evaluation: &Evaluation,
) -> anyhow::Result<Vec<Finding>> {
    Ok(
        match accord_node::export::judge_export(dir, scenario, evaluation.at())? {
            Some(judged) => judged.findings.to_vec(),
            None => evaluation.findings(),
        },
    )
}

/// The heading of a text report: the scenario, the instant, each agreement's status.
pub fn heading(scenario: &Scenario, at: Instant, assume: &[AgreementId], lang: Lang) -> String {
    let date = accord_state::date_of(at);
    let mut out = String::new();
    let _ = writeln!(out, "{}", scenario.file.title);
    let as_of = Message::new("scenario-as-of")
        .arg("instant", Arg::Id(at.to_string().into()))
        .arg("records", Arg::Number(scenario.state.known_at(at) as i64))
        .arg("parties", Arg::Number(scenario.file.parties.len() as i64));
    let _ = writeln!(out, "{}", accord_messages::render(lang, &as_of));
    for a in &scenario.agreements {
        let status = accord_compliance::status_word(lang, a.status_at(date));
        let assumed = if assume.contains(&a.id) {
            format!(" ({})", accord_messages::word(lang, "assumed-in-force"))
        } else {
            String::new()
        };
        let _ = writeln!(out, "  {:<22} {status}{assumed}", a.id.as_str());
    }
    out
}

/// The exit code for a set of findings: 1 if any is a violation, else 0.
pub fn exit_code(findings: &[Finding]) -> ExitCode {
    if findings.iter().any(|f| f.severity == Severity::Violation) {
        ExitCode::from(crate::EXIT_FINDINGS)
    } else {
        ExitCode::from(crate::EXIT_CLEAN)
    }
}

/// The version of the JSON object `check --json` prints; raised when a field changes meaning.
pub const FORMAT_VERSION: u32 = 1;

/// The object `check --json` prints: what was evaluated, counts, the digest and the findings.
pub fn json_report(
    scenario: &Scenario,
    at: Instant,
    assume: &[AgreementId],
    all: &[Finding],
    shown: &[Finding],
    warnings: &[super::records::Warning],
) -> serde_json::Value {
    let count = |s| all.iter().filter(|f| f.severity == s).count();
    serde_json::json!({
        "format": "accord-check",
        "format_version": FORMAT_VERSION,
        "scenario": scenario.file.name,
        "instant": at,
        "assumed_in_force": assume,
        "records_known": scenario.state.known_at(at),
        "warnings": warnings,
        "counts": {
            "violation": count(Severity::Violation),
            "concern": count(Severity::Concern),
            "compliant": count(Severity::Compliant),
            "not_applicable": count(Severity::NotApplicable),
        },
        "findings_digest": accord_compliance::judged_digest(
            scenario.agreement_sha256.iter().map(|(id, sha)| (id, sha.as_str())),
            all,
        ),
        "findings_shown": shown.len(),
        "findings": shown,
    })
}

/// Writes text to standard output; a reader that went away (a closed pipe) is not an error.
pub fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Runs `accord check`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut o = String::new();
    let (scenario, evaluation) = evaluate(
        &args.dir,
        args.as_of.as_deref(),
        &args.assume_in_force,
        args.log.as_deref(),
    )?;
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    let warnings = super::records::warnings(&scenario, evaluation.at());
    super::records::print_warnings(&warnings);
    let all = judged_findings(&args.dir, &scenario, &evaluation)?;
    let mut findings = all.clone();
    if args.hide_not_applicable {
        findings.retain(|f| f.severity != Severity::NotApplicable);
    }
    if args.json {
        let report = json_report(
            &scenario,
            evaluation.at(),
            &args.assume_in_force,
            &all,
            &findings,
            &warnings,
        );
        let _ = writeln!(o, "{}", serde_json::to_string_pretty(&report)?);
    } else {
        let quiet = super::output::verbosity() == super::output::Verbosity::Quiet;
        if !quiet {
            let _ = write!(
                o,
                "{}",
                heading(&scenario, evaluation.at(), &args.assume_in_force, lang)
            );
            let _ = writeln!(o);
        }
        let _ = write!(
            o,
            "{}",
            super::output::paint_severities(&render_text(&findings, lang))
        );
        if !quiet {
            let _ = writeln!(o, "{}", accord_compliance::tally(&all, lang));
        }
    }
    emit(&o)?;
    Ok(exit_code(&all))
}
