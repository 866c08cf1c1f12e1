//! `accord osint`: ingest news reports, extract claims, find copies, emit observation records
//! and publish them to the open-source party's node.
//!
//! Reports are kept in a store directory (default `.accord/osint`, see
//! `accord_osint::ReportStore`); every other subcommand reads the store.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_model::{PartyId, Record};
use accord_node::client::{Client, read_node_file};
use accord_osint::observe::read_observations;
use accord_osint::store::report_files;
use accord_osint::{ReportStore, extract_claims, group_copies};
use anyhow::Context as _;

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
    /// Emit the claims as observation records (JSON lines) for the compliance engine, or
    /// publish them to the open-source party's node (`--data DIR`).
    #[command(after_help = "\
With --data DIR the records are signed with the key of the node running on DIR (an open-source
party's node, `accord serve --party OSINT ...`, whose trust file marks OSINT with
role = \"open-sources\") and logged there in one batch; the nodes of the parties that trust
OSINT mirror its log and judge its observations. Records the log holds already are left out.")]
    Observations {
        #[command(flatten)]
        store: Store,
        /// The party that authors the records (default OSINT, or the node's party with --data).
        #[arg(long)]
        party: Option<String>,
        #[command(flatten)]
        node: NodeArgs,
    },
    /// Publish observation records (JSON lines, as `accord osint observations` prints them) to
    /// the open-source party's node.
    ///
    /// Every line is checked first (a valid observation record authored by the node's party,
    /// each id once): a bad line is named with its file and line number and nothing is
    /// published. Records the log holds already are left out.
    Publish {
        /// The records file, or `-` for standard input.
        #[arg(value_name = "FILE|-")]
        file: String,
        #[command(flatten)]
        node: NodeArgs,
    },
}

/// The node observations are published to.
#[derive(Debug, clap::Args)]
pub struct NodeArgs {
    /// Publish to the node running on this data directory (found through DIR/node.json),
    /// signed with its key.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// The node's URL, if not the one in DIR/node.json (the key is still DIR's).
    #[arg(long, value_name = "URL", requires = "data")]
    node: Option<String>,
    /// Print what was published as JSON.
    #[arg(long, requires = "data")]
    json: bool,
}

impl NodeArgs {
    /// A client of the node, signing as its party, if `--data` is given.
    fn client(&self) -> anyhow::Result<Option<Client>> {
        let Some(data) = &self.data else {
            return Ok(None);
        };
        let file = read_node_file(data).context("is `accord serve` running on this directory?")?;
        let key = accord_node::keys::load_key(data)?;
        let url = self.node.as_deref().unwrap_or(&file.url);
        Ok(Some(Client::new(url, file.party, key)))
    }
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
        Command::Observations { store, party, node } => {
            observations(&store, party.as_deref(), &node)
        }
        Command::Publish { file, node } => publish_file(&file, &node),
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

fn observations(store: &Store, party: Option<&str>, node: &NodeArgs) -> anyhow::Result<ExitCode> {
    let client = node.client()?;
    let party = match (party, &client) {
        (Some(p), Some(c)) if p != c.party.as_str() => anyhow::bail!(
            "--party {p}: the node on {} signs as {}, who authors what it publishes",
            node.data.as_deref().unwrap_or(Path::new(".")).display(),
            c.party
        ),
        (_, Some(c)) => c.party.clone(),
        (p, None) => {
            PartyId::new(p.unwrap_or("OSINT")).map_err(|e| anyhow::anyhow!("--party: {e}"))?
        }
    };
    let set = store.nonempty()?.observations(&party);
    for (c, why) in &set.skipped {
        eprintln!("skipped {} {:?}: {why}", c.report, c.text);
    }
    match client {
        Some(client) => publish(&client, &set.records, node.json),
        None => {
            let mut out = std::io::stdout().lock();
            for r in &set.records {
                out.write_all(&r.to_canonical_json())?;
                writeln!(out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn publish_file(file: &str, node: &NodeArgs) -> anyhow::Result<ExitCode> {
    let (text, origin) = super::submit::read_input(file)?;
    let Some(client) = node.client()? else {
        anyhow::bail!("give the open-source party's node with --data DIR");
    };
    let records = read_observations(&text, &origin, &client.party)?;
    anyhow::ensure!(!records.is_empty(), "{origin}: no record");
    publish(&client, &records, node.json)
}

/// Publishes observation records to the node and says what it logged.
fn publish(client: &Client, records: &[Record], json: bool) -> anyhow::Result<ExitCode> {
    let rt = accord_node::http::runtime()?;
    let done = rt
        .block_on(client.submit_new(records))
        .with_context(|| format!("publishing to the node at {}", client.url))?;
    for id in &done.differing {
        eprintln!(
            "note: {id} is in {}'s log already with other content; the logged record stands",
            client.party
        );
    }
    let (first, count) = done.submitted.as_ref().map_or((0, 0), |s| {
        (s.logged.first().map_or(0, |l| l.index), s.count)
    });
    if json {
        let list: Vec<serde_json::Value> = done
            .submitted
            .iter()
            // Observations go to the party's public log, the `log` below.
            .flat_map(|s| {
                s.logged
                    .iter()
                    .map(|l| serde_json::json!({"record": l.record, "index": l.index}))
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "log": client.party,
                "logged": list,
                "already_logged": done.already,
                "logged_with_other_content": done.differing,
            }))?
        );
    } else {
        println!(
            "published {count} observation(s) to {}'s log at indices {first}..{} (node at {}); \
             {} already logged",
            client.party,
            first + count,
            client.url,
            done.already.len() + done.differing.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
