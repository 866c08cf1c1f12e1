//! `accord osint`: ingest news reports, extract claims, find copies, emit observation records.
//!
//! Reports are kept in a store directory (default `.accord/osint`, see
//! `accord_osint::ReportStore`); every other subcommand reads the store.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_model::PartyId;
use accord_osint::report::read_report;
use accord_osint::store::Conflict;
use accord_osint::{Ingested, Report, ReportStore, extract_claims, group_copies, observe};
use anyhow::Context;

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

    fn load_nonempty(&self) -> anyhow::Result<Vec<Report>> {
        let store = self.open()?;
        if store.reports().is_empty() {
            anyhow::bail!(
                "no reports in {}; run `accord osint ingest FILES --store {}` first",
                store.file().display(),
                self.store.display()
            );
        }
        Ok(store.into_reports())
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

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let meta = std::fs::metadata(path).with_context(|| format!("{}", path.display()))?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("{}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() {
                collect(&e, out)?;
            } else if e
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| matches!(x, "txt" | "html" | "htm" | "md"))
            {
                out.push(e);
            }
        }
    } else {
        out.push(path.to_owned());
    }
    Ok(())
}

fn ingest(paths: &[PathBuf], store: &Store, json: bool) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    for p in paths {
        collect(p, &mut files)?;
    }
    let bar = indicatif::ProgressBar::new(files.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} ingesting [{bar:30}] {pos}/{len} {per_sec} {wide_msg}",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    let mut stored = store.open()?;
    let (mut added, mut unchanged) = (0usize, 0usize);
    let mut kept_both = Vec::new();
    let mut failures = Vec::new();
    for f in &files {
        bar.set_message(f.display().to_string());
        match read_report(f) {
            Ok(r) => match stored.ingest(r) {
                Ingested::Added { .. } => added += 1,
                Ingested::Unchanged { .. } => unchanged += 1,
                Ingested::KeptBoth {
                    id,
                    existing,
                    conflict,
                } => {
                    let shared = match conflict {
                        Conflict::SameId => "file name",
                        Conflict::SameUrl => "address",
                    };
                    kept_both.push((f.display().to_string(), id, existing, shared));
                }
            },
            Err(e) => failures.push(e.to_string()),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    stored.save()?;
    let total = stored.reports().len();
    if json {
        println!(
            "{}",
            serde_json::json!({
                "store": stored.file(),
                "read": files.len(),
                "added": added + kept_both.len(),
                "unchanged": unchanged,
                "kept_beside": kept_both.iter().map(|(file, id, existing, shared)| serde_json::json!({
                    "file": file, "id": id, "differs_from": existing, "same": shared,
                })).collect::<Vec<_>>(),
                "failed": failures,
                "total": total,
            })
        );
    } else {
        for (file, id, existing, shared) in &kept_both {
            println!(
                "note: {file} differs from stored report {existing} with the same {shared}; both are kept, the new one as {id}"
            );
        }
        println!(
            "ingested {} report(s): {} new, {unchanged} already stored; {total} in {}",
            files.len() - failures.len(),
            added + kept_both.len(),
            stored.file().display()
        );
    }
    if !failures.is_empty() {
        anyhow::bail!(
            "{} file(s) could not be read:\n  {}",
            failures.len(),
            failures.join("\n  ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn claims(store: &Store, json: bool, only: Option<&str>) -> anyhow::Result<ExitCode> {
    let reports = store.load_nonempty()?;
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
    let reports = store.load_nonempty()?;
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
    let reports = store.load_nonempty()?;
    let claims: Vec<_> = reports.iter().map(extract_claims).collect();
    let copies = group_copies(&reports);
    let set = observe::observations_from(&party, &reports, &claims, &copies);
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
