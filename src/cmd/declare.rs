//! `accord declare`: commit a declaration to escrow, reveal it step by step, verify reveals.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_escrow::records::Input;
use accord_escrow::selection::Selection;
use accord_escrow::{DeclarationInput, EscrowSecret, RevealSelection, RevealVerifier, commit};
use accord_model::{DeclarationCommitment, Record, RecordBody, RecordId, Reveal, SiteId};
use anyhow::{Context, bail};
use serde::Serialize;

use super::record_out::RecordOut;

/// Subcommands of `accord declare`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Commit a declaration to escrow: writes the secret file (keep it) and the commitment record
    /// (publish it).
    ///
    /// The declaration is a JSON file written by hand:
    ///
    ///   {"party": "RU", "agreement": "new-start", "as_of": "2026-02-05",
    ///    "bits": 16, "batch": 128,
    ///    "sites": [
    ///      {"site": "kozelsk", "phase": "1", "counts": {"icbms": 10, "warheads": 40},
    ///       "items": {"icbms": ["RS24-0001", "..."]}},
    ///      {"site": "teykovo", "phase": "2", "counts": {"icbms": 18}}]}
    ///
    /// `bits` (8, 16, 32 or 64; default 16) bounds every count, `batch` (a power of two, default
    /// 128) is how many counts share one aggregated range proof, `phase` (default "1") says when
    /// a site is revealed, `items` (optional) lists unique identifiers, as many as the count, and
    /// `categories` (optional) fixes the category order. A category a site omits counts zero.
    ///
    /// The commitment record (default id `<party>-commitment-<as_of>`) is an unsigned `Record`
    /// (JSON) whose `declaration_commitment` body holds the Merkle root and, in `counts`, base64
    /// of the Pedersen commitments and their range proofs. The secret file (JSON) holds every
    /// entry with its count, salt and blinding: whoever has it can reveal and prove, so it is
    /// created readable by its owner only, and an existing one is never replaced unless
    /// --force is given.
    Commit(CommitArgs),
    /// Reveal sites from the secret file as a `reveal` record (by site, position, phase, or
    /// the positions a selection drew).
    ///
    /// The record's default id is `<commitment id>-reveal-<phase>` (or `-<n>-sites`).
    Reveal(RevealArgs),
    /// Verify a commitment's range proofs and any number of reveals against its root.
    ///
    /// Each reveal's entries must sit under the root (RFC 6962 inclusion proof), carry the right
    /// salt, be untampered, open their Pedersen commitments, cover whole sites, and not
    /// contradict an earlier reveal of the same site. Exit 1 names the first failure.
    Verify(VerifyArgs),
}

/// Arguments of `accord declare commit`.
#[derive(Debug, clap::Args)]
pub struct CommitArgs {
    /// The declaration (JSON, format above).
    #[arg(long, short)]
    input: PathBuf,
    /// Where to write the secret file (entries, counts, salts, blindings).
    #[arg(long)]
    secret_out: PathBuf,
    /// Replace an existing secret file (whatever it could still reveal is lost).
    #[arg(long)]
    force: bool,
    // The commitment record (default id `<party>-commitment-<as_of>`).
    #[command(flatten)]
    out: RecordOut,
    /// Print a JSON summary.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord declare reveal`.
#[derive(Debug, clap::Args)]
pub struct RevealArgs {
    /// The secret file written by `declare commit`.
    #[arg(long)]
    secret: PathBuf,
    /// The commitment record the reveal refers to.
    #[arg(long)]
    commitment: PathBuf,
    /// Reveal these sites (repeatable).
    #[arg(long, conflicts_with_all = ["position", "phase", "selection"])]
    site: Vec<SiteId>,
    /// Reveal the positions a selection drew (the file `inspect select --selection-out` wrote).
    #[arg(long, conflicts_with_all = ["position", "phase"])]
    selection: Option<PathBuf>,
    /// Reveal the sites at these positions in the committed order, as `inspect select` draws
    /// them (repeatable).
    #[arg(long, conflicts_with = "phase")]
    position: Vec<u64>,
    /// Reveal every site of this phase.
    #[arg(long)]
    phase: Option<String>,
    // The reveal record (default id `<commitment id>-reveal-<phase or n-sites>`).
    #[command(flatten)]
    out: RecordOut,
    /// The schedule phase the record names (default: the phase revealed, or "on-request").
    #[arg(long)]
    label: Option<String>,
    /// Print a JSON summary.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord declare verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The commitment record (JSON).
    #[arg(long)]
    commitment: PathBuf,
    /// Reveal records to check, in order (repeatable).
    #[arg(long)]
    reveal: Vec<PathBuf>,
    /// The selection the reveals answer (from `inspect select --selection-out`): together
    /// they must show exactly the drawn positions, no fewer and no others.
    #[arg(long)]
    selection: Option<PathBuf>,
    /// Skip the range proofs of the counts (checks reveals only).
    #[arg(long)]
    no_range_proofs: bool,
    /// Print a JSON report.
    #[arg(long)]
    json: bool,
}

/// Runs `accord declare`.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Commit(a) => run_commit(a),
        Command::Reveal(a) => run_reveal(a),
        Command::Verify(a) => run_verify(a),
    }
}

pub(crate) fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))
}

pub(crate) fn read_record(path: &Path) -> anyhow::Result<Record> {
    let text = read_text(path)?;
    serde_json::from_str(&text).with_context(|| format!("{}: not a record", path.display()))
}

/// Writes a file that holds secrets: created readable by its owner only (0600 on Unix), written
/// in full to a temporary file beside it and renamed into place, so it never exists half
/// written or readable by others. An existing file is kept unless `force`.
pub(crate) fn write_secret(path: &Path, value: &impl Serialize, force: bool) -> anyhow::Result<()> {
    if !force && path.exists() {
        bail!(
            "{}: already exists and may hold secrets still needed; pass --force to replace it",
            path.display()
        );
    }
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // tempfile creates the file with O_EXCL and mode 0600 on Unix.
    let mut tmp = tempfile::Builder::new()
        .prefix(".accord-secret-")
        .tempfile_in(dir)
        .with_context(|| format!("{}: cannot create a file beside it", path.display()))?;
    {
        use std::io::Write as _;
        tmp.write_all(&bytes)
            .and_then(|()| tmp.as_file().sync_all())
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    let placed = if force {
        tmp.persist(path).map(|_| ())
    } else {
        tmp.persist_noclobber(path).map(|_| ())
    };
    placed.map_err(|e| anyhow::anyhow!("{}: cannot write: {}", path.display(), e.error))
}

/// Reads a selection written by `inspect select --selection-out`.
pub(crate) fn read_selection(path: &Path) -> anyhow::Result<Selection> {
    let s: Selection = serde_json::from_str(&read_text(path)?)
        .with_context(|| format!("{}: not a selection", path.display()))?;
    if s.version != accord_escrow::selection::SELECTION_VERSION {
        bail!(
            "{}: unsupported selection version {}",
            path.display(),
            s.version
        );
    }
    Ok(s)
}

pub(crate) fn write_json(path: &Path, value: &impl Serialize) -> anyhow::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    std::fs::write(path, bytes).with_context(|| format!("{}: cannot write", path.display()))
}

pub(crate) fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub(crate) fn record_id(text: String) -> anyhow::Result<RecordId> {
    RecordId::new(text.clone()).with_context(|| format!("cannot make a record id of {text:?}"))
}

/// A commitment record and its body.
pub(crate) fn read_commitment(path: &Path) -> anyhow::Result<(Record, DeclarationCommitment)> {
    let record = read_record(path)?;
    match &record.body {
        RecordBody::DeclarationCommitment(c) => Ok((record.clone(), c.clone())),
        other => bail!(
            "{}: record {} is a {} record, not a declaration_commitment",
            path.display(),
            record.id,
            other.kind()
        ),
    }
}

pub(crate) use accord_escrow::records::is_verification_failure;

fn run_commit(a: CommitArgs) -> anyhow::Result<ExitCode> {
    let text = read_text(&a.input)?;
    let input =
        DeclarationInput::from_json(&text).with_context(|| format!("{}", a.input.display()))?;
    let started = std::time::Instant::now();
    let (secret, counts) =
        commit(&input, &mut rand_core::OsRng).with_context(|| format!("{}", a.input.display()))?;
    let elapsed = started.elapsed();
    write_secret(&a.secret_out, &secret, a.force)?;
    let id = a
        .out
        .write(
            || format!("{}-commitment-{}", input.party, input.as_of),
            input.party.clone(),
            RecordBody::DeclarationCommitment(secret.commitment_body(&counts)),
        )?
        .id;
    let summary = serde_json::json!({
        "record": id,
        "root": secret.root,
        "sites": secret.sites,
        "categories": secret.categories,
        "entries": secret.entries.len(),
        "bits": secret.bits,
        "batch": secret.batch,
        "range_proofs": counts.range_proofs.len(),
        "range_proof_bytes": counts.proof_bytes(),
        "seconds": elapsed.as_secs_f64(),
        "secret_file": a.secret_out,
        "record_file": a.out.record_out,
    });
    if a.json {
        print_json(&summary)?;
    } else {
        println!(
            "committed {} sites x {} categories ({} entries) under root {}",
            secret.sites,
            secret.categories.len(),
            secret.entries.len(),
            secret.root
        );
        println!(
            "{} range proofs of {}-bit counts in batches of {}: {} bytes; {:.2} s",
            counts.range_proofs.len(),
            secret.bits,
            secret.batch,
            counts.proof_bytes(),
            elapsed.as_secs_f64()
        );
        println!(
            "record {id} -> {}; secret (keep private) -> {}",
            a.out.record_out.display(),
            a.secret_out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn run_reveal(a: RevealArgs) -> anyhow::Result<ExitCode> {
    let secret = EscrowSecret::from_json(&read_text(&a.secret)?)
        .with_context(|| format!("{}", a.secret.display()))?;
    let (commitment, body) = read_commitment(&a.commitment)?;
    if body.root != secret.root {
        bail!(
            "{}: the commitment's root {} is not the secret file's root {}",
            a.commitment.display(),
            body.root,
            secret.root
        );
    }
    let drawn = a.selection.as_deref().map(read_selection).transpose()?;
    let selection = if let Some(p) = &a.phase {
        RevealSelection::Phase(p.clone())
    } else if let Some(s) = &drawn {
        if s.commitment != commitment.id || s.root != body.root {
            bail!(
                "the selection draws from {} (root {}), not from {} (root {})",
                s.commitment,
                s.root,
                commitment.id,
                body.root
            );
        }
        RevealSelection::Positions(s.selected.clone())
    } else if !a.position.is_empty() {
        RevealSelection::Positions(a.position.clone())
    } else if !a.site.is_empty() {
        RevealSelection::Sites(a.site.clone())
    } else {
        bail!("say what to reveal: --site, --position, --phase or --selection");
    };
    let bundle = secret.reveal(&selection)?;
    let sites = bundle.sites();
    let label = a.label.clone().unwrap_or_else(|| match (&a.phase, &drawn) {
        (Some(p), _) => p.clone(),
        (None, Some(s)) => format!("selection {}", s.round),
        (None, None) => "on-request".into(),
    });
    let id = a
        .out
        .write(
            || {
                format!(
                    "{}-reveal-{}",
                    commitment.id,
                    a.phase
                        .clone()
                        .unwrap_or_else(|| format!("{}-sites", sites.len()))
                )
            },
            secret.party.clone(),
            RecordBody::Reveal(Reveal {
                commitment: commitment.id.clone(),
                phase: label,
                entries: bundle.encode(),
            }),
        )?
        .id;
    if a.json {
        print_json(&serde_json::json!({
            "record": id, "sites": sites, "entries": bundle.entries.len(),
            "record_file": a.out.record_out,
        }))?;
    } else {
        let names: Vec<&str> = sites.iter().map(|s| s.as_str()).collect();
        println!(
            "revealed {} sites ({} entries): {} -> {}",
            sites.len(),
            bundle.entries.len(),
            names.join(", "),
            a.out.record_out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Verifies the reveal records in the files `reveals` in order, and that together they show
/// exactly the positions a selection drew when one is given; returns the verifier and the
/// first failure, if any.
pub(crate) fn verify_reveals(
    body: &DeclarationCommitment,
    commitment: &Record,
    reveals: &[PathBuf],
    selection: Option<&Selection>,
) -> anyhow::Result<(RevealVerifier, Option<String>)> {
    let records = reveals
        .iter()
        .map(|p| read_record(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let labels: Vec<String> = reveals.iter().map(|p| p.display().to_string()).collect();
    accord_escrow::records::verify_reveals(body, commitment, &records, &labels, selection).map_err(
        |e| match e.input {
            Input::Reveal(i) => anyhow::Error::new(e.error).context(labels[i].clone()),
            _ => anyhow::Error::new(e.error).context(format!("commitment {}", commitment.id)),
        },
    )
}

fn run_verify(a: VerifyArgs) -> anyhow::Result<ExitCode> {
    let (commitment, body) = read_commitment(&a.commitment)?;
    let mut failure = None;
    let mut range = "skipped".to_owned();
    if !a.no_range_proofs {
        let counts = accord_escrow::CountCommitments::decode(&body.counts)
            .with_context(|| format!("{}: counts", a.commitment.display()))?;
        let ctx = accord_escrow::RangeContext::for_commitment(&commitment)
            .with_context(|| format!("{}", a.commitment.display()))?;
        match counts.verify(&ctx) {
            Ok(_) => {
                range = format!(
                    "{} counts in [0, 2^{}) ({} proofs, {} bytes)",
                    counts.commitments.len(),
                    counts.bits,
                    counts.range_proofs.len(),
                    counts.proof_bytes()
                )
            }
            Err(e) if is_verification_failure(&e) => {
                range = "failed".into();
                failure = Some(format!("{}: {e}", a.commitment.display()));
            }
            Err(e) => return Err(e).with_context(|| format!("{}", a.commitment.display())),
        }
    }
    let selection = a.selection.as_deref().map(read_selection).transpose()?;
    let (v, reveal_failure) = verify_reveals(&body, &commitment, &a.reveal, selection.as_ref())?;
    let failure = failure.or(reveal_failure);
    let sites: Vec<_> = v.sites().values().collect();
    if a.json {
        print_json(&serde_json::json!({
            "commitment": commitment.id,
            "party": commitment.party,
            "root": body.root,
            "range_proofs": range,
            "verified": failure.is_none(),
            "failure": failure,
            "revealed_sites": sites,
        }))?;
    } else {
        println!(
            "commitment {} by {} (root {}, {} entries)",
            commitment.id, commitment.party, body.root, body.entries
        );
        println!("range proofs: {range}");
        for s in &sites {
            let counts: Vec<String> = s.counts.iter().map(|(c, n)| format!("{c} {n}")).collect();
            println!(
                "  site {} (position {}, phase {}): {}  [{}]",
                s.site,
                s.position,
                s.phase,
                counts.join(", "),
                s.revealed_by.join(", ")
            );
        }
        match &failure {
            None => println!(
                "verified: {} reveals, {} sites",
                a.reveal.len(),
                sites.len()
            ),
            Some(f) => println!("REJECTED: {f}"),
        }
    }
    Ok(if failure.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::EXIT_FINDINGS)
    })
}
