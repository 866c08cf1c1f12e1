//! `accord osint`: ingest news reports, extract claims, find copies, emit observation records.
//!
//! Reports are kept in a store directory (default `.accord/osint`) as JSON lines
//! (`reports.jsonl`, one normalised report per line, keyed by id); every other subcommand reads
//! the store.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_model::PartyId;
use accord_osint::report::read_report;
use accord_osint::{Report, extract_claims, group_copies, observe};
use anyhow::Context;

/// Where the normalised reports are kept.
#[derive(Debug, clap::Args)]
pub struct Store {
    /// Directory of the report store (holds reports.jsonl).
    #[arg(long, default_value = ".accord/osint", value_name = "DIR")]
    store: PathBuf,
}

impl Store {
    fn file(&self) -> PathBuf {
        self.store.join("reports.jsonl")
    }

    fn load(&self) -> anyhow::Result<Vec<Report>> {
        let path = self.file();
        let f = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).with_context(|| format!("{}", path.display())),
        };
        let mut out = Vec::new();
        for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
            let line = line.with_context(|| format!("{}: line {}", path.display(), n + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let r: Report = serde_json::from_str(&line)
                .with_context(|| format!("{}: line {}: not a report", path.display(), n + 1))?;
            out.push(r);
        }
        Ok(out)
    }

    fn load_nonempty(&self) -> anyhow::Result<Vec<Report>> {
        let r = self.load()?;
        if r.is_empty() {
            anyhow::bail!(
                "no reports in {}; run `accord osint ingest FILES --store {}` first",
                self.file().display(),
                self.store.display()
            );
        }
        Ok(r)
    }

    fn save(&self, reports: &[Report]) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.store)
            .with_context(|| format!("creating {}", self.store.display()))?;
        let path = self.file();
        let tmp = path.with_extension("jsonl.tmp");
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(&tmp).with_context(|| format!("{}", tmp.display()))?,
        );
        for r in reports {
            serde_json::to_writer(&mut w, r)?;
            w.write_all(b"\n")?;
        }
        w.flush()?;
        drop(w);
        std::fs::rename(&tmp, &path).with_context(|| format!("{}", path.display()))?;
        Ok(())
    }
}

/// Subcommands of `accord osint`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Read plain-text and HTML reports into the store, normalised, with a progress bar.
    ///
    /// Files may carry `url:`, `outlet:`, `published:`, `title:` header lines before a blank line;
    /// HTML pages give their metadata through meta tags. A report replaces a stored one with the
    /// same id (its file name).
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
    let mut stored = store.load()?;
    let mut index: std::collections::HashMap<String, usize> = stored
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    let (mut added, mut replaced) = (0usize, 0usize);
    let mut failures = Vec::new();
    for f in &files {
        bar.set_message(f.display().to_string());
        match read_report(f) {
            Ok(r) => match index.get(&r.id) {
                Some(&i) => {
                    stored[i] = r;
                    replaced += 1;
                }
                None => {
                    index.insert(r.id.clone(), stored.len());
                    stored.push(r);
                    added += 1;
                }
            },
            Err(e) => failures.push(e.to_string()),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    store.save(&stored)?;
    if json {
        println!(
            "{}",
            serde_json::json!({
                "store": store.file(),
                "read": files.len(),
                "added": added,
                "replaced": replaced,
                "failed": failures,
                "total": stored.len(),
            })
        );
    } else {
        println!(
            "ingested {} report(s): {added} new, {replaced} replaced; {} in {}",
            added + replaced,
            stored.len(),
            store.file().display()
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
