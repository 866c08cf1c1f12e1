//! `accord report`: one self-contained HTML page of a scenario's findings and limit charts.

use std::path::PathBuf;
use std::process::ExitCode;

use accord_model::{AgreementId, Severity};
use accord_views::html::{ReportInput, render_html};
use anyhow::Context as _;

use super::check::evaluate;

/// Arguments of `accord report`.
///
/// Writes one HTML file that needs no network to view: the agreements and their status, a tally,
/// for each numerical limit an SVG chart of the declared levels of each party against the limit
/// over time (with the date the limit binds from), and every finding with why and its evidence.
/// Exit codes: 0 once the page is written, 1 when `--fail-on` names a severity that a finding
/// reaches, 2 on bad input.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario directory (`scenario.toml` and its records). A directory `accord export`
    /// wrote is judged as its node judges it, as `accord check` does.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE")]
    pub html: PathBuf,
    /// The instant to evaluate at: RFC 3339 or a date (end of that day, UTC). Default: the
    /// scenario's own `as_of`.
    #[arg(long, value_name = "INSTANT")]
    pub as_of: Option<String>,
    /// Treat an agreement, typically a proposal, as if it were in force. May be repeated.
    #[arg(long = "assume-in-force", value_name = "ID")]
    pub assume_in_force: Vec<AgreementId>,
    /// A log directory holding the scenario's records (as `accord demo --log-dir` writes it):
    /// evidence then cites each record's log index.
    #[arg(long, value_name = "DIR")]
    pub log: Option<PathBuf>,
    /// Exit 1 when any finding is at least this serious (violation, or concern), after writing
    /// the page.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// The language of the page: en or ru. Default: ACCORD_LANG, else LANG, else en.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<accord_messages::Lang>,
}

/// The severity from which `report --fail-on` exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Any violation.
    Violation,
    /// Any concern or violation.
    Concern,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Violation => Severity::Violation,
            FailOn::Concern => Severity::Concern,
        }
    }
}

/// Runs `accord report`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (scenario, evaluation) = evaluate(
        &args.dir,
        args.as_of.as_deref(),
        &args.assume_in_force,
        args.log.as_deref(),
    )?;
    let lang = args.lang.unwrap_or_else(accord_messages::Lang::from_env);
    let findings = super::check::judged_findings(&args.dir, &scenario, &evaluation)?;
    let page = render_html(&ReportInput {
        title: &scenario.file.title,
        description: &scenario.file.description,
        agreements: &scenario.agreements,
        assumed: &args.assume_in_force,
        state: &scenario.state,
        at: evaluation.at(),
        findings: &findings,
        lang,
    })?;
    std::fs::write(&args.html, page)
        .with_context(|| format!("cannot write {}", args.html.display()))?;
    eprintln!(
        "wrote {} ({} findings: {})",
        args.html.display(),
        findings.len(),
        accord_compliance::tally(&findings, lang)
    );
    let failed = args
        .fail_on
        .is_some_and(|s| findings.iter().any(|f| f.severity >= s.severity()));
    Ok(if failed {
        ExitCode::from(crate::EXIT_FINDINGS)
    } else {
        ExitCode::from(crate::EXIT_CLEAN)
    })
}
