//! `accord osint`: ingest news reports, extract claims, find copies, emit observation records.
//!
//! Reports are kept in a store directory (default `.accord/osint`, see
//! `accord_osint::ReportStore`); every other subcommand reads the store.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use accord_model::PartyId;
use accord_osint::store::report_files;
use accord_osint::{ReportStore, extract_claims, group_copies};

/// Where the normalised reports are kept.
#[derive(Debug, clap::Args)]
pub struct Store {
    /// Directory of the report store (holds reports.jsonl).
    #[arg(long, default_value = ".accord/osint", value_name = "DIR")]
    store: PathBuf,
}

impl Store {
    fn open(&self) -> anyhow::Result<ReportStore> {
        Ok(ReportStore::open(&self.store)?)
    }

    /// The store, refused when it holds no report.
    fn nonempty(&self) -> anyhow::Result<ReportStore> {
        let store = self.open()?;
        if store.reports().is_empty() {
            anyhow::bail!(
                "no reports in {}; run `accord osint ingest FILES --store {}` first",
                store.file().display(),
                self.store.display()
            );
        }
        Ok(store)
    }
}

/// Subcommands of `accord osint`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Read plain-text and HTML reports into the store, normalised, with a progress bar.
    ///
    /// Files may carry `url:`, `outlet:`, `published:`, `title:` header lines before a blank line;
    /// HTML pages give their metadata through meta tags. Reports are kept by content and source
    /// address: the same report read again is not stored twice, and a report that differs from a
    /// stored one with the same file name or address is kept beside it (under `NAME~HASH`), with
    /// a note saying so.
    Ingest {
        /// Report files, or directories to read recursively (.txt, .html, .htm, .md files).
        #[arg(required = true, value_name = "FILES|DIR")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        store: Store,
        /// Print a JSON summary instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the quantified military claims of the stored reports.
    Claims {
        #[command(flatten)]
        store: Store,
        /// Print one JSON object per claim (JSON lines).
        #[arg(long)]
        json: bool,
        /// Only claims of this report id.
        #[arg(long, value_name = "ID")]
        report: Option<String>,
    },
    /// Group the stored reports into events and copies; show which derives from which.
    Copies {
        #[command(flatten)]
        store: Store,
        /// Print a JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Emit the claims as observation records (JSON lines) for the compliance engine.
    Observations {
        #[command(flatten)]
        store: Store,
        /// The party that authors the records.
        #[arg(long, default_value = "OSINT")]
        party: String,
    },
}

/// Runs `accord osint`.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Ingest { paths, store, json } => ingest(&paths, &store, json),
        Command::Claims {
            store,
            json,
            report,
        } => claims(&store, json, report.as_deref()),
        Command::Copies { store, json } => copies(&store, json),
        Command::Observations { store, party } => observations(&store, &party),
    }
}

fn ingest(paths: &[PathBuf], store: &Store, json: bool) -> anyhow::Result<ExitCode> {
    let files = report_files(paths)?;
    let bar = indicatif::ProgressBar::new(files.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} ingesting [{bar:30}] {pos}/{len} {per_sec} {wide_msg}",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    let mut stored = store.open()?;
    let done = stored.ingest_files(&files, |f| {
        bar.inc(1);
        bar.set_message(f.display().to_string());
    });
    bar.finish_and_clear();
    stored.save()?;
    let total = stored.reports().len();
    let (added, unchanged) = (done.added + done.kept_beside.len(), done.unchanged);
    if json {
        println!(
            "{}",
            serde_json::json!({
                "store": stored.file(),
                "read": done.read,
                "added": added,
                "unchanged": unchanged,
                "kept_beside": done.kept_beside.iter().map(|k| serde_json::json!({
                    "file": k.file, "id": k.id, "differs_from": k.differs_from, "same": k.same,
                })).collect::<Vec<_>>(),
                "failed": done.failed,
                "total": total,
            })
        );
    } else {
        for k in &done.kept_beside {
            println!(
                "note: {} differs from stored report {} with the same {}; both are kept, the new one as {}",
                k.file, k.differs_from, k.same, k.id
            );
        }
        println!(
            "ingested {} report(s): {added} new, {unchanged} already stored; {total} in {}",
            done.read - done.failed.len(),
            stored.file().display()
        );
    }
    if !done.failed.is_empty() {
        anyhow::bail!(
            "{} file(s) could not be read:\n  {}",
            done.failed.len(),
            done.failed.join("\n  ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn claims(store: &Store, json: bool, only: Option<&str>) -> anyhow::Result<ExitCode> {
    let reports = store.nonempty()?.into_reports();
    let mut out = std::io::stdout().lock();
    let mut n = 0;
    for r in reports.iter().filter(|r| only.is_none_or(|id| r.id == id)) {
        for c in extract_claims(r) {
            n += 1;
            if json {
                serde_json::to_writer(&mut out, &c)?;
                writeln!(out)?;
            } else {
                let q = match c.quantity_min {
                    Some(lo) => format!("{lo}-{}", c.quantity),
                    None => c.quantity.to_string(),
                };
                writeln!(
                    out,
                    "{:<14} {:<5} {:<26} {:>12} {:<10} {:<14} {:<10} {:<24} {:?}",
                    c.report,
                    c.actor,
                    c.category,
                    q,
                    c.qualifier.label(),
                    c.zone.as_deref().unwrap_or("-"),
                    c.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                    c.attributed_to.as_deref().unwrap_or("-"),
                    c.text
                )?;
            }
        }
    }
    if !json {
        writeln!(out, "{n} claim(s)")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn copies(store: &Store, json: bool) -> anyhow::Result<ExitCode> {
    let reports = store.nonempty()?.into_reports();
    let c = group_copies(&reports);
    let id = |i: usize| reports[i].id.as_str();
    if json {
        let v = serde_json::json!({
            "events": c.events.iter().map(|g| g.iter().map(|&i| id(i)).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "groups": c.groups.iter().map(|g| g.iter().map(|&i| id(i)).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "derived_from": c.derived.iter().map(|d| serde_json::json!({"report": id(d.copy), "derived_from": id(d.source)})).collect::<Vec<_>>(),
        });
        println!("{v}");
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    for (e, members) in c.events.iter().enumerate() {
        let groups: std::collections::BTreeSet<usize> =
            members.iter().map(|&i| c.group_of[i]).collect();
        writeln!(
            out,
            "event {}: {} report(s), {} independent",
            e + 1,
            members.len(),
            groups.len()
        )?;
        for g in groups {
            let group = &c.groups[g];
            let r = &reports[group[0]];
            writeln!(
                out,
                "  {} ({}, {})",
                r.id,
                r.outlet.as_deref().unwrap_or("unknown outlet"),
                r.published
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "undated".into())
            )?;
            for &copy in &group[1..] {
                writeln!(out, "    <- {} derives from {}", id(copy), r.id)?;
            }
        }
    }
    writeln!(
        out,
        "{} report(s), {} event(s), {} independent group(s), {} derived",
        reports.len(),
        c.events.len(),
        c.groups.len(),
        c.derived.len()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn observations(store: &Store, party: &str) -> anyhow::Result<ExitCode> {
    let party = PartyId::new(party).map_err(|e| anyhow::anyhow!("--party: {e}"))?;
    let set = store.nonempty()?.observations(&party);
    let mut out = std::io::stdout().lock();
    for r in &set.records {
        out.write_all(&r.to_canonical_json())?;
        writeln!(out)?;
    }
    for (c, why) in &set.skipped {
        eprintln!("skipped {} {:?}: {why}", c.report, c.text);
    }
    Ok(ExitCode::SUCCESS)
}
