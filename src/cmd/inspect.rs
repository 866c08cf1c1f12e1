//! `accord inspect`: fair selection of inspection sites, inspection reports, detection odds.

use std::path::PathBuf;
use std::process::ExitCode;

use accord_escrow::inspection::{ReportContext, report_findings};
use accord_escrow::plan::{detection_probability, inspections_needed, typical_table};
use accord_escrow::selection::{
    Contribution, free_choice, new_seed, seed_commit, seed_reveal, select,
};
use accord_model::{Instant, PartyId, ProvisionId, Record, RecordBody, Severity, SiteId};
use anyhow::{Context, bail};

use super::declare::{
    print_json, read_commitment, read_record, record_id, verify_reveals, write_json,
};

/// Subcommands of `accord inspect`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Draw a fresh random seed and write its `seed_commit` and `seed_reveal` records.
    ///
    /// Publish the commit record first; publish the reveal record only once every other side's
    /// commit is in.
    Seed(SeedArgs),
    /// Select the sites to inspect, fairly from both sides' seeds or by free choice.
    ///
    /// Random selection: give every side's `seed_commit` and `seed_reveal` records (JSON). A
    /// reveal that does not hash to its commitment is rejected (exit 1). The combined seed
    /// drives ChaCha20; anyone with the same records and candidates gets the same sites.
    /// Candidates are the site positions 0..N-1 of a commitment record (`--commitment`; reveal
    /// the drawn ones with `declare reveal --position`) or named sites (`--site`, sorted).
    ///
    /// The quota is `--quota`, or read from a quota provision of an agreement (`--agreement`
    /// FILE or built-in id, `--provision`).
    Select(SelectArgs),
    /// Hold an inspection report against the verified reveals; contradictions are findings.
    ///
    /// Items counted at a site that no verified reveal shows, or a count that differs from
    /// the revealed one, is a violation (exit 1). Prints the findings (JSON with --json).
    Report(ReportArgs),
    /// Detection odds: the probability that n inspections among N sites with k false entries
    /// find at least one (exact hypergeometric), or the n needed for a target probability.
    Plan(PlanArgs),
}

/// Arguments of `accord inspect seed`.
#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// The selection round (such as "new-start-2026-type-one").
    #[arg(long)]
    round: String,
    /// The party contributing the seed.
    #[arg(long)]
    party: PartyId,
    /// Where to write the seed_commit record.
    #[arg(long)]
    commit_out: PathBuf,
    /// Where to write the seed_reveal record (keep it until all commits are in).
    #[arg(long)]
    reveal_out: PathBuf,
    /// When the records are issued (RFC 3339; default now).
    #[arg(long)]
    issued_at: Option<Instant>,
}

/// Arguments of `accord inspect select`.
#[derive(Debug, clap::Args)]
pub struct SelectArgs {
    /// The selection round the seeds were committed for.
    #[arg(long)]
    round: String,
    /// A `seed_commit` record (repeatable, one per side).
    #[arg(long = "commit")]
    commits: Vec<PathBuf>,
    /// A `seed_reveal` record (repeatable, one per side).
    #[arg(long = "reveal")]
    reveals: Vec<PathBuf>,
    /// Candidates: every site position of this commitment record.
    #[arg(long, conflicts_with = "site")]
    commitment: Option<PathBuf>,
    /// Candidates: these named sites (repeatable).
    #[arg(long)]
    site: Vec<String>,
    /// How many sites to select.
    #[arg(long)]
    quota: Option<usize>,
    /// Agreement file, or built-in agreement id, to read the quota from.
    #[arg(long, requires = "provision")]
    agreement: Option<String>,
    /// The quota provision in that agreement.
    #[arg(long)]
    provision: Option<ProvisionId>,
    /// Units the inspected party reported, for quotas that grow with holdings.
    #[arg(long, default_value_t = 0)]
    reported_units: u64,
    /// Free choice by the inspecting party, where the agreement allows it (repeatable): these
    /// sites are selected instead of a random draw.
    #[arg(long = "choose")]
    chosen: Vec<String>,
    /// Print the selection as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord inspect report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The inspected party's commitment record.
    #[arg(long)]
    commitment: PathBuf,
    /// Its reveal records (repeatable); a site none of them shows counts as undeclared.
    #[arg(long)]
    reveal: Vec<PathBuf>,
    /// The `inspection_report` record (JSON).
    #[arg(long)]
    report: PathBuf,
    /// The provision the findings are filed under (such as inspections-type-one).
    #[arg(long)]
    provision: ProvisionId,
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord inspect plan`.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// Declared sites N.
    #[arg(long, required_unless_present = "table")]
    sites: Option<u64>,
    /// Falsely declared sites k.
    #[arg(long = "false", required_unless_present = "table")]
    false_sites: Option<u64>,
    /// Inspections n: print the probability of detecting at least one false site.
    #[arg(long, conflicts_with = "target")]
    inspections: Option<u64>,
    /// Target probability in (0, 1]: print the smallest n that reaches it.
    #[arg(long)]
    target: Option<f64>,
    /// Print the table of typical cases (Markdown), as in docs/inspections.md.
    #[arg(long, conflicts_with_all = ["sites", "false_sites"])]
    table: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `accord inspect`.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Seed(a) => run_seed(a),
        Command::Select(a) => run_select(a),
        Command::Report(a) => run_report(a),
        Command::Plan(a) => run_plan(a),
    }
}

fn run_seed(a: SeedArgs) -> anyhow::Result<ExitCode> {
    let seed = new_seed();
    let at = a.issued_at.unwrap_or_else(Instant::now);
    let commit = Record {
        id: record_id(format!("{}-seed-commit-{}", a.party, a.round))?,
        party: a.party.clone(),
        issued_at: at,
        body: RecordBody::SeedCommit(seed_commit(&a.round, &seed)),
    };
    let reveal = Record {
        id: record_id(format!("{}-seed-reveal-{}", a.party, a.round))?,
        party: a.party.clone(),
        issued_at: at,
        body: RecordBody::SeedReveal(seed_reveal(&a.round, &seed)),
    };
    write_json(&a.commit_out, &commit)?;
    write_json(&a.reveal_out, &reveal)?;
    println!(
        "seed for round {} by {}: commit -> {} (publish now), reveal -> {} (publish after all commits)",
        a.round,
        a.party,
        a.commit_out.display(),
        a.reveal_out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn quota_from_agreement(a: &SelectArgs) -> anyhow::Result<usize> {
    let (Some(name), Some(provision)) = (&a.agreement, &a.provision) else {
        bail!("give --quota, or --agreement and --provision to read it from a quota provision");
    };
    let agreement = super::agreements::load(name)?;
    let p = agreement
        .provisions
        .iter()
        .find(|p| &p.id == provision)
        .with_context(|| format!("agreement {} has no provision {provision}", agreement.id))?;
    let accord_agreements::ProvisionBody::Quota(q) = &p.body else {
        bail!(
            "provision {provision} of {} is a {} provision, not a quota",
            agreement.id,
            p.body.kind()
        );
    };
    let n = q.quota_for(a.reported_units);
    if n == 0 {
        bail!(
            "provision {provision} gives a quota of 0 (for a quota per units, pass --reported-units)"
        );
    }
    Ok(n as usize)
}

fn run_select(a: SelectArgs) -> anyhow::Result<ExitCode> {
    let quota = match a.quota {
        Some(q) => q,
        None => quota_from_agreement(&a)?,
    };
    let candidates: Vec<String> = match &a.commitment {
        Some(path) => {
            let (_, body) = read_commitment(path)?;
            let counts =
                accord_escrow::CountCommitments::decode(body.counts.as_deref().unwrap_or(""))
                    .with_context(|| format!("{}: counts", path.display()))?;
            (0..counts.sites).map(|p| p.to_string()).collect()
        }
        None => {
            let mut s = a.site.clone();
            for name in &s {
                SiteId::new(name.as_str())?;
            }
            s.sort();
            s.dedup();
            s
        }
    };
    if candidates.is_empty() {
        bail!("no candidate sites: give --commitment or --site");
    }
    let selection = if !a.chosen.is_empty() {
        free_choice(&a.round, &candidates, &a.chosen, quota)?
    } else {
        let mut contributions = Vec::new();
        for path in &a.commits {
            let commit = read_record(path)?;
            let RecordBody::SeedCommit(c) = &commit.body else {
                bail!(
                    "{}: record {} is not a seed_commit",
                    path.display(),
                    commit.id
                );
            };
            let reveal = a
                .reveals
                .iter()
                .map(|p| read_record(p).map(|r| (p, r)))
                .collect::<anyhow::Result<Vec<_>>>()?
                .into_iter()
                .find(|(_, r)| {
                    r.party == commit.party && matches!(r.body, RecordBody::SeedReveal(_))
                });
            let Some((_, reveal)) = reveal else {
                bail!(
                    "no seed_reveal record from {} (commit {})",
                    commit.party,
                    commit.id
                );
            };
            let RecordBody::SeedReveal(r) = reveal.body else {
                unreachable!("matched above")
            };
            contributions.push(Contribution {
                party: commit.party.clone(),
                commit: c.clone(),
                reveal: r,
            });
        }
        match select(&a.round, &contributions, &candidates, quota) {
            Ok(s) => s,
            Err(e @ accord_escrow::selection::SelectionError::RevealMismatch { .. }) => {
                println!("REJECTED: {e}");
                return Ok(ExitCode::from(crate::EXIT_FINDINGS));
            }
            Err(e) => return Err(e.into()),
        }
    };
    if a.json {
        print_json(&selection)?;
    } else {
        println!(
            "round {}: {} of {} candidates by {}{}",
            selection.round,
            selection.selected.len(),
            selection.candidates,
            selection.method,
            selection
                .seed
                .as_ref()
                .map(|s| format!(" (seed {s})"))
                .unwrap_or_default()
        );
        let kind = if a.commitment.is_some() {
            "position"
        } else {
            "site"
        };
        for s in &selection.selected {
            println!("  {kind} {s}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_report(a: ReportArgs) -> anyhow::Result<ExitCode> {
    let (commitment, body) = read_commitment(&a.commitment)?;
    let (v, failure) = verify_reveals(&body, &commitment, &a.reveal)?;
    if let Some(f) = failure {
        println!("REJECTED: {f}");
        return Ok(ExitCode::from(crate::EXIT_FINDINGS));
    }
    let report: Record = read_record(&a.report)?;
    let ctx = ReportContext {
        agreement: body.agreement.clone(),
        provision: a.provision.clone(),
        inspected: commitment.party.clone(),
        commitment: commitment.id.clone(),
    };
    let findings = report_findings(&report, v.sites(), &ctx)
        .with_context(|| format!("{}", a.report.display()))?;
    if a.json {
        print_json(&findings)?;
    } else {
        for f in &findings {
            let evidence: Vec<String> = f
                .evidence
                .iter()
                .map(accord_compliance::evidence_line)
                .collect();
            println!(
                "{}: {} [{}]",
                f.severity.label(),
                f.summary,
                evidence.join(", ")
            );
        }
    }
    Ok(
        if findings.iter().any(|f| f.severity == Severity::Violation) {
            ExitCode::from(crate::EXIT_FINDINGS)
        } else {
            ExitCode::SUCCESS
        },
    )
}

fn run_plan(a: PlanArgs) -> anyhow::Result<ExitCode> {
    if a.table {
        print!("{}", typical_table());
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(n_sites), Some(k)) = (a.sites, a.false_sites) else {
        bail!("give --sites and --false, or --table");
    };
    match (a.inspections, a.target) {
        (Some(n), _) => {
            let p = detection_probability(n_sites, k, n)?;
            if a.json {
                print_json(&serde_json::json!({
                    "sites": n_sites, "false": k, "inspections": n, "probability": p,
                }))?;
            } else {
                println!(
                    "{n} inspections of {n_sites} sites with {k} false: P(at least one false found) = {p:.6} ({:.2} %)",
                    p * 100.0
                );
            }
        }
        (None, Some(t)) => {
            let n = inspections_needed(n_sites, k, t)?;
            let p = n
                .map(|n| detection_probability(n_sites, k, n))
                .transpose()?;
            if a.json {
                print_json(&serde_json::json!({
                    "sites": n_sites, "false": k, "target": t, "inspections": n, "probability": p,
                }))?;
            } else {
                match (n, p) {
                    (Some(n), Some(p)) => println!(
                        "{n} inspections of {n_sites} sites with {k} false reach P = {p:.6} >= {t}"
                    ),
                    _ => println!("with no false site, no number of inspections finds one"),
                }
            }
        }
        (None, None) => bail!("give --inspections or --target"),
    }
    Ok(ExitCode::SUCCESS)
}
