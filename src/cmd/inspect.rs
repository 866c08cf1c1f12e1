//! `accord inspect`: fair selection of inspection sites, inspection reports, detection odds.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_escrow::inspection::{ReportContext, report_findings};
use accord_escrow::order::{
    Logged, OrderError, PartyKeys, RevealRule, Round, Trust, choose, draw_source, run_round,
};
use accord_escrow::plan::{detection_probability, inspections_needed, typical_table};
use accord_escrow::selection::{new_seed, seed_digest};
use accord_model::{
    AgreementId, Instant, LogReceipt, PartyId, ProvisionId, ReceiptProof, Record, RecordBody,
    RecordId, SeedCommit, SeedReveal, SeenCommit, Severity,
};
use anyhow::{Context, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use super::declare::{
    print_json, read_commitment, read_record, read_selection, read_text, record_id, verify_reveals,
    write_json, write_secret,
};
use super::record_out::RecordOut;

/// Subcommands of `accord inspect`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Contribute a seed to a selection round: commit to it first, reveal it later.
    #[command(subcommand)]
    Seed(SeedCommand),
    /// Select the sites to inspect from every side's committed seeds, checking their order.
    ///
    /// Give the declaration drawn from (`--declaration`, the `declaration_commitment` record
    /// as its author's log holds it), every side's `seed_commit` and `seed_reveal` records, and
    /// each party's log key and cosigner key. A round counts only in order: each seed commit
    /// carries a checkpoint of the declarant's log holding the declaration, cosigned by every
    /// other party (the declaration was fixed before any seed); each reveal carries, for every
    /// other party, that party's seed commit in a checkpoint of its log cosigned by the
    /// revealer (it had seen every commit before revealing). Anything out of order, a seed that
    /// does not open its commit, a party twice or a digest twice is refused (exit 1).
    ///
    /// The combined seed is bound to the round and the declaration (record id and root) and
    /// drives ChaCha20; the candidates are the declaration's site positions 0..N-1 (reveal the
    /// drawn ones with `declare reveal --selection`). Anyone with the same records draws the
    /// same positions.
    ///
    /// The quota is `--quota`, or read from a quota provision (`--agreement` FILE or built-in
    /// id, `--provision`), which also sets the reveal deadline: a seed not revealed by then
    /// (judged `--at`, default now) is a violation by its party (exit 1), and the draw goes on
    /// from the honest seeds alone or by free choice (`--choose`), as the provision says.
    Select(SelectArgs),
    /// Hold an inspection report against the verified reveals; contradictions are findings.
    ///
    /// Items counted at a site that no verified reveal shows, or a count that differs from
    /// the revealed one, is a violation (exit 1). With --selection, the reveals must show
    /// exactly the drawn positions. Prints the findings (JSON with --json).
    Report(ReportArgs),
    /// Detection odds: the probability that n inspections among N sites with k false entries
    /// find at least one (exact hypergeometric), or the n needed for a target probability.
    Plan(PlanArgs),
}

/// Subcommands of `accord inspect seed`.
#[derive(Debug, clap::Subcommand)]
pub enum SeedCommand {
    /// Draw a fresh random seed; write it to a private file and its `seed_commit` record.
    ///
    /// The declaration receipt is the tlog-proof file that `accord log proof-file DIR --index
    /// I --checkpoint NOTE` writes (or the JSON of `accord log prove ... --json`) for the declaration's entry in its author's log, NOTE being a
    /// checkpoint cosigned by every other party of the round. The seed file is created
    /// readable by its owner only and is never overwritten unless --force is given. Publish
    /// the record now; reveal the seed with `inspect seed reveal` once every other commit is in.
    Commit(SeedCommitArgs),
    /// Reveal a committed seed as a `seed_reveal` record, with receipts of every other commit.
    ///
    /// Each --seen is the tlog-proof file that `accord log proof-file DIR --index J
    /// --checkpoint NOTE` writes (or the JSON of `accord log prove ... --json`) for another party's seed commit in that party's log, NOTE being a checkpoint of
    /// that log cosigned by the revealer: it shows the revealer had seen that commit first.
    Reveal(SeedRevealArgs),
}

/// Arguments of `accord inspect seed commit`.
#[derive(Debug, clap::Args)]
pub struct SeedCommitArgs {
    /// The selection round (such as "new-start-2026-type-one").
    #[arg(long)]
    round: String,
    /// The party contributing the seed.
    #[arg(long)]
    party: PartyId,
    /// The declaration's receipt (a tlog-proof file, see above).
    #[arg(long)]
    declaration_receipt: PathBuf,
    /// Where to write the seed (kept private until the reveal).
    #[arg(long)]
    seed_out: PathBuf,
    /// Replace an existing seed file.
    #[arg(long)]
    force: bool,
    // The seed_commit record (default id `<party>-seed-commit-<round>`).
    #[command(flatten)]
    out: RecordOut,
}

/// Arguments of `accord inspect seed reveal`.
#[derive(Debug, clap::Args)]
pub struct SeedRevealArgs {
    /// The seed file written by `inspect seed commit`.
    #[arg(long)]
    seed: PathBuf,
    /// Another party's seed commit, as a receipt cosigned by this party (repeatable, one per
    /// other party; a reveal without them does not count).
    #[arg(long, required = true)]
    seen: Vec<PathBuf>,
    // The seed_reveal record (default id `<party>-seed-reveal-<round>`).
    #[command(flatten)]
    out: RecordOut,
}

/// Arguments of `accord inspect select`.
#[derive(Debug, clap::Args)]
pub struct SelectArgs {
    /// The selection round the seeds were committed for.
    #[arg(long)]
    round: String,
    /// The declaration drawn from: its `declaration_commitment` record as its log holds it.
    #[arg(long)]
    declaration: PathBuf,
    /// A `seed_commit` record (repeatable, one per side).
    #[arg(long = "commit")]
    commits: Vec<PathBuf>,
    /// A `seed_reveal` record (repeatable, one per side that revealed).
    #[arg(long = "reveal")]
    reveals: Vec<PathBuf>,
    /// A party's log verifier key, as PARTY=KEY or PARTY=FILE (repeatable, one per side).
    #[arg(long = "log-key", value_parser = parse_party_key)]
    log_keys: Vec<(PartyId, String)>,
    /// A party's cosigner verifier key, as PARTY=KEY or PARTY=FILE (repeatable, one per side).
    #[arg(long = "cosigner", value_parser = parse_party_key)]
    cosigners: Vec<(PartyId, String)>,
    /// How many sites to select.
    #[arg(long)]
    quota: Option<usize>,
    /// Agreement file, or built-in agreement id: the quota provision gives the quota, the
    /// reveal deadline and what follows a missed reveal.
    #[arg(long, requires = "provision")]
    agreement: Option<String>,
    /// The quota provision in that agreement.
    #[arg(long)]
    provision: Option<ProvisionId>,
    /// Units the inspected party reported, for quotas that grow with holdings.
    #[arg(long, default_value_t = 0)]
    reported_units: u64,
    /// When the round is judged, for reveal deadlines (RFC 3339; default now).
    #[arg(long)]
    at: Option<Instant>,
    /// Positions chosen by the inspecting party (repeatable), where a withheld seed leaves
    /// the choice to it.
    #[arg(long = "choose")]
    chosen: Vec<u64>,
    /// Also write the selection (JSON) here, for `declare reveal`, `declare verify` and
    /// `inspect report`.
    #[arg(long)]
    selection_out: Option<PathBuf>,
    /// Print the selection and any findings as JSON.
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
    /// The selection the inspection was drawn by (from `inspect select --selection-out`): the
    /// reveals must show exactly its positions.
    #[arg(long)]
    selection: Option<PathBuf>,
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

/// Parses `PARTY=KEY` or `PARTY=FILE` (a file holding the key).
fn parse_party_key(s: &str) -> Result<(PartyId, String), String> {
    let (party, key) = s
        .split_once('=')
        .ok_or_else(|| format!("expected PARTY=KEY or PARTY=FILE, got {s:?}"))?;
    let party = PartyId::new(party.trim()).map_err(|e| format!("{party:?}: {e}"))?;
    let key = if Path::new(key).is_file() {
        std::fs::read_to_string(key)
            .map_err(|e| format!("{key}: cannot read: {e}"))?
            .trim()
            .to_owned()
    } else {
        key.trim().to_owned()
    };
    Ok((party, key))
}

/// The record a receipt proves, as its log holds it, and the receipt itself. A receipt is a
/// C2SP tlog-proof file (`accord log proof-file`), or the JSON `accord log prove --index I
/// --checkpoint NOTE --json` prints, which carries one.
fn read_receipt(path: &Path) -> anyhow::Result<(Logged, LogReceipt)> {
    let text = read_text(path)?;
    let not_receipt = || {
        format!(
            "{}: not a receipt (a tlog-proof file from `accord log proof-file`, or the JSON of \
             `accord log prove --index I --checkpoint NOTE --json`)",
            path.display()
        )
    };
    let file = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => v["tlog_proof"]
            .as_str()
            .map(str::to_owned)
            .with_context(not_receipt)?,
        Err(_) => text,
    };
    let proof = accord_log::TlogProof::parse(file.as_bytes()).with_context(not_receipt)?;
    let entry = proof
        .extra
        .clone()
        .with_context(|| format!("{}: the proof carries no entry", path.display()))?;
    let checkpoint = String::from_utf8(proof.checkpoint.clone())
        .with_context(|| format!("{}: checkpoint is not UTF-8", path.display()))?;
    let size = checkpoint
        .lines()
        .nth(1)
        .and_then(|l| l.parse::<u64>().ok())
        .with_context(|| format!("{}: checkpoint has no tree size", path.display()))?;
    let logged =
        Logged::from_entry(entry).map_err(|e| anyhow::anyhow!("{}: entry: {e}", path.display()))?;
    Ok((
        logged,
        LogReceipt {
            checkpoint,
            proof: ReceiptProof {
                index: proof.index,
                size,
                hashes: proof.hashes.iter().map(|h| B64.encode(h.0)).collect(),
            },
        },
    ))
}

/// A record file as its author's log holds it (its exact bytes are the log entry).
fn read_logged(path: &Path) -> anyhow::Result<Logged> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    Logged::from_entry(bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// The private file of a committed seed, until it is revealed.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    /// Format version, 1.
    version: u32,
    round: String,
    party: PartyId,
    /// The seed_commit record that commits to the seed.
    commit: RecordId,
    /// The declaration drawn from and its root.
    commitment: RecordId,
    root: String,
    /// The seed, hex.
    seed: String,
}

fn run_seed(command: SeedCommand) -> anyhow::Result<ExitCode> {
    match command {
        SeedCommand::Commit(a) => run_seed_commit(a),
        SeedCommand::Reveal(a) => run_seed_reveal(a),
    }
}

fn run_seed_commit(a: SeedCommitArgs) -> anyhow::Result<ExitCode> {
    let (declaration, receipt) = read_receipt(&a.declaration_receipt)?;
    let source = draw_source(&declaration.record)
        .with_context(|| format!("{}", a.declaration_receipt.display()))?;
    let seed = new_seed();
    let id = match &a.out.record_id {
        Some(id) => id.clone(),
        None => record_id(format!("{}-seed-commit-{}", a.party, a.round))?,
    };
    let file = SeedFile {
        version: 1,
        round: a.round.clone(),
        party: a.party.clone(),
        commit: id.clone(),
        commitment: source.commitment.clone(),
        root: hex::encode(source.root),
        seed: hex::encode(seed),
    };
    write_secret(&a.seed_out, &file, a.force)?;
    a.out.write(
        || id.to_string(),
        a.party.clone(),
        RecordBody::SeedCommit(SeedCommit {
            round: a.round.clone(),
            commitment: source.commitment.clone(),
            root: hex::encode(source.root),
            digest: seed_digest(&a.round, &a.party, &source, &seed),
            declaration: receipt,
        }),
    )?;
    println!(
        "seed of {} for round {} drawing from {}: commit {id} -> {} (publish now); seed -> {} \
         (private; reveal with `inspect seed reveal` once every other commit is in)",
        a.party,
        a.round,
        source.commitment,
        a.out.record_out.display(),
        a.seed_out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn run_seed_reveal(a: SeedRevealArgs) -> anyhow::Result<ExitCode> {
    let file: SeedFile = serde_json::from_str(&read_text(&a.seed)?)
        .with_context(|| format!("{}: not a seed file", a.seed.display()))?;
    if file.version != 1 {
        bail!(
            "{}: unsupported seed file version {}",
            a.seed.display(),
            file.version
        );
    }
    let mut seen = Vec::new();
    for path in &a.seen {
        let (other, receipt) = read_receipt(path)?;
        let RecordBody::SeedCommit(c) = &other.record.body else {
            bail!(
                "{}: the receipt is for record {}, a {} record, not a seed_commit",
                path.display(),
                other.record.id,
                other.record.body.kind()
            );
        };
        if c.round != file.round || other.record.party == file.party {
            bail!(
                "{}: seed commit {} is {}'s for round {}; this reveal is {}'s for round {}",
                path.display(),
                other.record.id,
                other.record.party,
                c.round,
                file.party,
                file.round
            );
        }
        seen.push(SeenCommit {
            commit: other.record.id.clone(),
            receipt,
        });
    }
    let record = a.out.write(
        || format!("{}-seed-reveal-{}", file.party, file.round),
        file.party.clone(),
        RecordBody::SeedReveal(SeedReveal {
            round: file.round.clone(),
            commit: file.commit.clone(),
            seed: file.seed.clone(),
            seen,
        }),
    )?;
    println!(
        "seed of {} for round {} revealed: {} -> {} (with receipts of {} other commits)",
        file.party,
        file.round,
        record.id,
        a.out.record_out.display(),
        a.seen.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The quota provision of an agreement: the quota and the reveal rule it sets.
fn quota_provision(
    a: &SelectArgs,
) -> anyhow::Result<Option<(usize, Option<RevealRule>, AgreementId)>> {
    let (Some(name), Some(provision)) = (&a.agreement, &a.provision) else {
        return Ok(None);
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
    let rule = accord_escrow::arrival::reveal_rule(q);
    Ok(Some((n as usize, rule, agreement.id.clone())))
}

fn run_select(a: SelectArgs) -> anyhow::Result<ExitCode> {
    let from_agreement = quota_provision(&a)?;
    let quota = match (a.quota, &from_agreement) {
        (Some(q), _) => q,
        (None, Some((q, _, _))) => *q,
        (None, None) => {
            bail!("give --quota, or --agreement and --provision to read it from a quota provision")
        }
    };
    let declaration = read_logged(&a.declaration)?;
    let commits = a
        .commits
        .iter()
        .map(|p| read_logged(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let reveals = a
        .reveals
        .iter()
        .map(|p| read_logged(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut trust = Trust::new();
    for (party, log) in &a.log_keys {
        let cosigner = a
            .cosigners
            .iter()
            .find(|(p, _)| p == party)
            .map(|(_, k)| k.clone())
            .with_context(|| format!("--log-key {party}=...: give --cosigner {party}=... too"))?;
        trust.insert(
            party.clone(),
            PartyKeys {
                log: log.clone(),
                cosigner,
            },
        );
    }
    let (agreement, provision) = match (&from_agreement, &a.provision) {
        (Some((_, _, id)), Some(p)) => (id.clone(), p.clone()),
        _ => {
            // Without a quota provision there is no reveal deadline, hence no finding to file:
            // the round is named after the declaration's agreement and a generic provision.
            let RecordBody::DeclarationCommitment(c) = &declaration.record.body else {
                bail!(
                    "{}: record {} is a {} record, not a declaration_commitment",
                    a.declaration.display(),
                    declaration.record.id,
                    declaration.record.body.kind()
                );
            };
            (
                c.agreement.clone(),
                ProvisionId::new("inspection-selection")?,
            )
        }
    };
    let round = Round {
        round: &a.round,
        agreement,
        provision,
        declaration: &declaration,
        commits: &commits,
        reveals: &reveals,
        quota,
        rule: from_agreement.as_ref().and_then(|(_, r, _)| *r),
        at: a.at.unwrap_or_else(Instant::now),
    };
    let outcome = match run_round(&round, &trust) {
        Ok(o) => o,
        Err(e @ (OrderError::UnknownParty { .. } | OrderError::Pending { .. })) => {
            return Err(e.into());
        }
        Err(e) => {
            if a.json {
                print_json(&serde_json::json!({"verified": false, "failure": e.to_string()}))?;
            } else {
                println!("REJECTED: {e}");
            }
            return Ok(ExitCode::from(crate::EXIT_FINDINGS));
        }
    };
    let selection = match (&outcome.selection, a.chosen.is_empty()) {
        (Some(s), true) => s.clone(),
        (Some(_), false) => bail!("--choose: the seeds decide this round, not a free choice"),
        (None, false) => choose(&outcome, &a.round, &a.chosen, quota)?,
        (None, true) => bail!(
            "{} withheld a seed and the agreement leaves the choice to the inspecting party: \
             give the positions with --choose",
            names(&outcome.withheld)
        ),
    };
    if let Some(path) = &a.selection_out {
        write_json(path, &selection)?;
    }
    if a.json {
        print_json(&serde_json::json!({
            "verified": true, "selection": selection, "findings": outcome.findings,
        }))?;
    } else {
        for f in &outcome.findings {
            println!("{}: {}", f.severity.label(), f.summary);
        }
        println!(
            "round {} over {} (root {}): positions {} of {} by {}{}",
            selection.round,
            selection.commitment,
            selection.root,
            selection.positions(),
            selection.candidates,
            selection.method,
            selection
                .seed
                .as_ref()
                .map(|s| format!(" (seed {s})"))
                .unwrap_or_default()
        );
    }
    Ok(if outcome.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::EXIT_FINDINGS)
    })
}

fn names(parties: &[PartyId]) -> String {
    parties
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn run_report(a: ReportArgs) -> anyhow::Result<ExitCode> {
    let (commitment, body) = read_commitment(&a.commitment)?;
    let selection = a.selection.as_deref().map(read_selection).transpose()?;
    let (v, failure) = verify_reveals(&body, &commitment, &a.reveal, selection.as_ref())?;
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
                .map(|e| accord_compliance::evidence_line(e, accord_messages::Lang::En))
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
