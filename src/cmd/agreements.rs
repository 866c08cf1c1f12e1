//! `accord agreements`: lint agreement files and summarise their provisions.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_agreements::{Agreement, Diagnostic, Vocabulary, describe};
use anyhow::Context as _;

/// Subcommands of `accord agreements`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check agreement files: TOML syntax, known fields, parties, categories, zones, figures,
    /// dates in order, CEL conditions, unique provision ids.
    ///
    /// Prints every problem as FILE:LINE:COLUMN: message. Exit code 0 when every file is
    /// valid, 2 when any is not.
    Lint(LintArgs),
    /// Summarise an agreement: its parties, status history and, for each provision, what it
    /// demands, of whom, from when, citing its article or chapter.
    Show(ShowArgs),
    /// List the agreements embedded in this binary (usable by id wherever a FILE is expected).
    List(ListArgs),
}

/// Arguments of `accord agreements list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print JSON: `[{"id", "title", "file"}]`.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord agreements lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Agreement files (TOML), or ids of embedded agreements such as `new-start`.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print the result as JSON: `{"ok": bool, "files": [{"file", "ok", "errors": [{"file",
    /// "line", "column", "message"}]}]}`.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord agreements show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// An agreement file (TOML), or the id of an embedded agreement such as `new-start`.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The date to report the agreement's status for (YYYY-MM-DD); default today (UTC).
    #[arg(long, value_name = "DATE")]
    as_of: Option<jiff::civil::Date>,
    /// Print the parsed agreement as JSON instead of a summary.
    #[arg(long)]
    json: bool,
}

/// Runs `accord agreements`.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Lint(args) => lint(args),
        Command::Show(args) => show(args),
        Command::List(args) => {
            let mut rows = Vec::new();
            for (file, text) in accord_agreements::BUILTIN_FILES {
                let agreement = parse_text(text, file).map_err(|errors| {
                    anyhow::anyhow!("embedded {file} is invalid:\n{}", lines(&errors))
                })?;
                rows.push((agreement.id.to_string(), agreement.title, *file));
            }
            let out = if args.json {
                let items: Vec<_> = rows
                    .iter()
                    .map(|(id, title, file)| serde_json::json!({"id": id, "title": title, "file": file}))
                    .collect();
                serde_json::to_string_pretty(&items)? + "\n"
            } else {
                rows.iter()
                    .map(|(id, title, _)| format!("{id:<24} {title}\n"))
                    .collect()
            };
            super::check::emit(&out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn lines(errors: &[Diagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse_text(text: &str, name: &str) -> Result<Agreement, Vec<Diagnostic>> {
    accord_agreements::parse(text, name, Vocabulary::builtin()).map_err(|d| d.0)
}

/// An agreement by file path, or by embedded id or file name when no such file exists.
pub(crate) fn load(name: &str) -> anyhow::Result<Agreement> {
    let (shown, text) = read(Path::new(name))?;
    parse_text(&text, &shown).map_err(|errors| anyhow::anyhow!("{}", lines(&errors)))
}

/// Reads a file, or an embedded agreement when no such file exists and the name is an id.
fn read(path: &Path) -> anyhow::Result<(String, String)> {
    if !path.exists()
        && let Some((file, text)) = path.to_str().and_then(accord_agreements::builtin_file)
    {
        return Ok((format!("(embedded) {file}"), text.to_owned()));
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    Ok((path.display().to_string(), text))
}

fn lint(args: LintArgs) -> anyhow::Result<ExitCode> {
    let mut results = Vec::new();
    for path in &args.files {
        let (name, errors) = match read(path) {
            Ok((name, text)) => {
                let errors = parse_text(&text, &name).err().unwrap_or_default();
                (name, errors)
            }
            Err(e) => {
                let name = path.display().to_string();
                let error = Diagnostic {
                    file: name.clone(),
                    line: 1,
                    column: 1,
                    message: format!("cannot read: {}", e.root_cause()),
                };
                (name, vec![error])
            }
        };
        results.push((name, errors));
    }
    let ok = results.iter().all(|(_, e)| e.is_empty());
    if args.json {
        let files: Vec<serde_json::Value> = results
            .iter()
            .map(|(file, errors)| {
                serde_json::json!({ "file": file, "ok": errors.is_empty(), "errors": errors })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "ok": ok, "files": files }))?
        );
    } else {
        for (file, errors) in &results {
            if errors.is_empty() {
                println!("{file}: ok");
            } else {
                for e in errors {
                    println!("{e}");
                }
            }
        }
        let bad = results.iter().filter(|(_, e)| !e.is_empty()).count();
        if bad > 0 {
            let problems: usize = results.iter().map(|(_, e)| e.len()).sum();
            eprintln!(
                "{bad} of {} file(s) invalid, {problems} problem(s)",
                results.len()
            );
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::EXIT_BAD_INPUT)
    })
}

fn show(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let (name, text) = read(&args.file)?;
    let agreement = match parse_text(&text, &name) {
        Ok(a) => a,
        Err(errors) => anyhow::bail!("invalid agreement file:\n{}", lines(&errors)),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&agreement)?);
        return Ok(ExitCode::SUCCESS);
    }
    let today = args.as_of.unwrap_or_else(|| {
        jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
    });
    print!("{}", summary(&agreement, today));
    Ok(ExitCode::SUCCESS)
}

fn summary(a: &Agreement, date: jiff::civil::Date) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "{} — {}", a.id, a.title);
    let _ = writeln!(s, "  {}", a.citation);
    let binding = match a.binding {
        accord_agreements::BindingNature::Legal => "legally binding",
        accord_agreements::BindingNature::Political => "politically binding",
        accord_agreements::BindingNature::Proposal => "a proposal (binds no one)",
    };
    let parties: Vec<&str> = a.parties.iter().map(|p| p.as_str()).collect();
    let _ = writeln!(s, "  {binding}; parties: {}", parties.join(", "));
    let _ = writeln!(s, "  history:");
    for change in &a.history {
        let by = if change.by.is_empty() {
            String::new()
        } else {
            let by: Vec<&str> = change.by.iter().map(|p| p.as_str()).collect();
            format!(" by {}", by.join(", "))
        };
        let note = change
            .note
            .as_ref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        let _ = writeln!(s, "    {} {}{by}{note}", change.date, change.status);
    }
    let status = a
        .status_at(date)
        .map(|s| s.to_string())
        .unwrap_or_else(|| "not yet signed or proposed".to_owned());
    let _ = writeln!(s, "  status on {date}: {status}");
    for party in &a.parties {
        if let Some(change) = a.suspension(party, date) {
            let _ = writeln!(
                s,
                "  {party}: suspended its participation on {}",
                change.date
            );
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "Provisions ({}):", a.provisions.len());
    for p in &a.provisions {
        let _ = writeln!(s);
        let _ = writeln!(s, "  [{}] {} ({})", p.cite, p.title, p.id);
        for line in wrap(&describe(a, p), 94) {
            let _ = writeln!(s, "      {line}");
        }
        if let Some(src) = &p.source {
            for line in wrap(&format!("Source: {src}"), 94) {
                let _ = writeln!(s, "      {line}");
            }
        }
    }
    if let Some(notes) = &a.notes {
        let _ = writeln!(s);
        let _ = writeln!(s, "Notes:");
        for line in wrap(&notes.split_whitespace().collect::<Vec<_>>().join(" "), 96) {
            let _ = writeln!(s, "  {line}");
        }
    }
    s
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}
