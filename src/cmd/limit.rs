//! `accord limit`: prove in zero knowledge that committed totals respect a limit, and verify.

use std::path::PathBuf;
use std::process::ExitCode;

use accord_escrow::{
    CountCommitments, EscrowSecret, LimitContext, LimitProof, LimitTerm, LimitValue, RangeContext,
    prove_limit, verify_limit,
};
use accord_model::{AgreementId, Category, LimitProofRecord, ProvisionId, RecordBody};
use anyhow::{Context, bail};

use super::declare::{
    is_verification_failure, print_json, read_commitment, read_record, read_text,
};
use super::record_out::RecordOut;

/// Subcommands of `accord limit`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Prove that committed totals respect a limit: a provision's, or ones given with --limit.
    ///
    /// Reads the secret file and the commitment record written by `declare commit`; writes an
    /// unsigned `limit_proof` record (JSON, default id `<commitment id>-limit-<provision>`) whose
    /// `proof` field is base64 of {"version": 2, "limits": [{"terms": [{"category", "weight"}],
    /// "limit"}], "proof": "(base64 of the Bulletproof)"}.
    ///
    /// Without --limit, the limit is the provision's own (read from --agreement, by default the
    /// built-in agreement the declaration names): the weighted sum of the categories it counts,
    /// each escrowed category counted whole (the escrow does not split deployed from
    /// non-deployed items, so a status filter can only be over-counted, never under-counted).
    /// A category the provision counts that the escrow does not declare is an error.
    ///
    /// The proof shows that limit - weighted total lies in [0, 2^32) for every limit at once
    /// (one aggregated proof), reveals no per-site count, and is bound to the agreement, the
    /// provision, the party, the date and the declaration root. A total over its limit cannot be
    /// proven: the command fails (exit 1) and writes nothing.
    Prove(ProveArgs),
    /// Verify a limit proof record against its commitment record.
    ///
    /// The verifier states what it requires: the provision (--provision) and the limit, read
    /// from an agreement (--agreement) or given by hand (--limit); the proof's own claims are
    /// never taken on trust. The proof must name the commitment, its agreement, its party and
    /// its date. Checks the per-count range proofs of the commitment first (without them a
    /// "negative" count could hide items), then the limit proof. Exit 1 if any check fails.
    Verify(VerifyArgs),
}

/// Arguments of `accord limit prove`.
#[derive(Debug, clap::Args)]
pub struct ProveArgs {
    /// The secret file written by `declare commit`.
    #[arg(long)]
    secret: PathBuf,
    /// The commitment record written by `declare commit`.
    #[arg(long)]
    commitment: PathBuf,
    /// The limit provision the proof is for (such as art-ii-1-b).
    #[arg(long)]
    provision: ProvisionId,
    /// A limit as CATEGORY=MAX, or a weighted sum such as warheads+2*heavy_bombers=1550
    /// (repeatable; several are proven in one aggregated proof). Default: the provision's limit.
    #[arg(long = "limit", value_parser = parse_limit)]
    limits: Vec<LimitValue>,
    /// Agreement file, or built-in agreement id, to read the provision's limit from (default:
    /// the agreement the declaration is made under).
    #[arg(long, conflicts_with = "limits")]
    agreement: Option<String>,
    // The limit proof record.
    #[command(flatten)]
    out: RecordOut,
    /// Print a JSON summary.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord limit verify`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("required_limit").required(true).args(["limits", "agreement"])))]
pub struct VerifyArgs {
    /// The commitment record the proof refers to.
    #[arg(long)]
    commitment: PathBuf,
    /// The limit proof record.
    #[arg(long)]
    proof: PathBuf,
    /// The limit provision the verifier requires a proof for (such as art-ii-1-b): a proof
    /// filed under another provision is refused.
    #[arg(long)]
    provision: ProvisionId,
    /// The limit the verifier holds the proof to, as CATEGORY=MAX or a weighted sum such as
    /// warheads+2*heavy_bombers=1550 (repeatable): the proof must be for exactly this limit.
    #[arg(long = "limit", value_parser = parse_limit)]
    limits: Vec<LimitValue>,
    /// Agreement file, or built-in agreement id: the proof must be for the limit that
    /// --provision sets there.
    #[arg(long, conflicts_with = "limits")]
    agreement: Option<String>,
    /// Print a JSON report.
    #[arg(long)]
    json: bool,
}

/// Parses `CATEGORY=MAX` or `[W*]CATEGORY+[W*]CATEGORY...=MAX`.
fn parse_limit(s: &str) -> Result<LimitValue, String> {
    let (sum, n) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("expected CATEGORY=MAX or A+2*B=MAX, got {s:?}"))?;
    let mut terms = Vec::new();
    for term in sum.split('+') {
        let (weight, category) = match term.split_once('*') {
            Some((w, c)) => (
                w.trim()
                    .parse::<u32>()
                    .map_err(|e| format!("weight {w:?} in {s:?} is not a whole number: {e}"))?,
                c,
            ),
            None => (1, term),
        };
        if weight == 0 {
            return Err(format!("weight 0 in {s:?}: leave the category out instead"));
        }
        terms.push(LimitTerm {
            category: Category::new(category.trim())
                .map_err(|e| format!("category {category:?} in {s:?}: {e}"))?,
            weight,
        });
    }
    Ok(LimitValue {
        terms,
        limit: n
            .trim()
            .parse()
            .map_err(|e| format!("limit {n:?} is not a whole number: {e}"))?,
    })
}

/// The limit `provision` sets in the agreement `name` (a file or built-in id), which must be
/// `expected`, the one the declaration is made under.
pub(crate) fn provision_limit(
    name: &str,
    expected: &AgreementId,
    provision: &ProvisionId,
) -> anyhow::Result<LimitValue> {
    let agreement = super::agreements::load(name)?;
    if &agreement.id != expected {
        bail!(
            "--agreement {name}: this is agreement {}, but the declaration is made under {expected}",
            agreement.id
        );
    }
    Ok(accord_escrow::provision_limit(&agreement, provision)?)
}

/// Checks that every category a limit counts is escrowed, naming the provision otherwise.
fn check_escrowed(
    limits: &[LimitValue],
    provision: &ProvisionId,
    categories: &[Category],
) -> anyhow::Result<()> {
    for l in limits {
        for t in &l.terms {
            if !categories.contains(&t.category) {
                let names: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
                bail!(
                    "provision {provision} counts category {}, which the escrow does not declare \
                     (its categories: {})",
                    t.category,
                    names.join(", ")
                );
            }
        }
    }
    Ok(())
}

/// Runs `accord limit`.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Prove(a) => run_prove(a),
        Command::Verify(a) => run_verify(a),
    }
}

fn run_prove(a: ProveArgs) -> anyhow::Result<ExitCode> {
    let secret = EscrowSecret::from_json(&read_text(&a.secret)?)
        .with_context(|| format!("{}", a.secret.display()))?;
    let (commitment, body) = read_commitment(&a.commitment)?;
    if body.root != secret.root {
        bail!(
            "{}: the commitment's root is not the secret file's root",
            a.commitment.display()
        );
    }
    let limits = if a.limits.is_empty() {
        let name = a
            .agreement
            .clone()
            .unwrap_or_else(|| secret.agreement.to_string());
        vec![provision_limit(&name, &secret.agreement, &a.provision)?]
    } else {
        a.limits.clone()
    };
    check_escrowed(&limits, &a.provision, &secret.categories)?;
    let ctx = LimitContext {
        agreement: secret.agreement.clone(),
        provision: a.provision.clone(),
        party: secret.party.clone(),
        date: secret.as_of,
        root: secret.root_bytes()?,
    };
    let openings = secret.openings()?;
    let started = std::time::Instant::now();
    let proof = match prove_limit(&openings, &ctx, &limits) {
        Ok(p) => p,
        Err(e) if is_verification_failure(&e) => {
            eprintln!("cannot prove: {e}");
            return Ok(ExitCode::from(crate::EXIT_FINDINGS));
        }
        Err(e) => return Err(e.into()),
    };
    let elapsed = started.elapsed();
    let id = a
        .out
        .write(
            || format!("{}-limit-{}", commitment.id, a.provision),
            secret.party.clone(),
            RecordBody::LimitProof(LimitProofRecord {
                agreement: secret.agreement.clone(),
                provision: a.provision.clone(),
                commitment: commitment.id.clone(),
                as_of: ctx.date,
                proof: proof.encode(),
            }),
        )?
        .id;
    if a.json {
        print_json(&serde_json::json!({
            "record": id, "limits": proof.limits, "proof_bytes": proof.proof_bytes(),
            "seconds": elapsed.as_secs_f64(), "record_file": a.out.record_out,
        }))?;
    } else {
        let limits: Vec<String> = proof.limits.iter().map(|l| l.to_string()).collect();
        println!(
            "proved {} over {} sites: {} bytes, {:.1} ms -> {}",
            limits.join(", "),
            secret.sites,
            proof.proof_bytes(),
            elapsed.as_secs_f64() * 1e3,
            a.out.record_out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn run_verify(a: VerifyArgs) -> anyhow::Result<ExitCode> {
    let (commitment, body) = read_commitment(&a.commitment)?;
    let record = read_record(&a.proof)?;
    let RecordBody::LimitProof(lp) = &record.body else {
        bail!(
            "{}: record {} is a {} record, not a limit_proof",
            a.proof.display(),
            record.id,
            record.body.kind()
        );
    };
    let proof = LimitProof::decode(&lp.proof).with_context(|| format!("{}", a.proof.display()))?;
    let wanted = match &a.agreement {
        Some(name) => vec![provision_limit(name, &body.agreement, &a.provision)?],
        None => a.limits.clone(),
    };
    let mut failure: Option<String> = None;
    let ctx = match LimitContext::for_record(&record, &commitment) {
        Ok(ctx) => Some(ctx),
        Err(e) if is_verification_failure(&e) => {
            failure = Some(e.to_string());
            None
        }
        Err(e) => return Err(e).with_context(|| format!("{}", a.commitment.display())),
    };
    if lp.provision != a.provision {
        failure.get_or_insert(format!(
            "proof {} is filed under provision {}, the verifier requires {}",
            record.id, lp.provision, a.provision
        ));
    }
    for want in &wanted {
        if let Err(e) = accord_escrow::proves_required(&proof, want) {
            failure.get_or_insert(e.to_string());
        }
    }
    if let (None, Some(ctx)) = (&failure, ctx) {
        let counts = CountCommitments::decode(&body.counts)
            .with_context(|| format!("{}: counts", a.commitment.display()))?;
        let range_ctx = RangeContext::for_commitment(&commitment)
            .with_context(|| format!("{}", a.commitment.display()))?;
        let outcome = counts
            .verify(&range_ctx)
            .and_then(|verified| verify_limit(&verified, &ctx, &proof));
        match outcome {
            Ok(()) => {}
            Err(e) if is_verification_failure(&e) => failure = Some(e.to_string()),
            Err(e) => return Err(e).with_context(|| format!("{}", a.commitment.display())),
        }
    }
    let limits: Vec<String> = proof.limits.iter().map(|l| l.to_string()).collect();
    if a.json {
        print_json(&serde_json::json!({
            "proof": record.id, "commitment": commitment.id, "party": record.party,
            "agreement": lp.agreement, "provision": lp.provision, "as_of": lp.as_of,
            "limits": proof.limits, "required": wanted,
            "proof_bytes": proof.proof_bytes(),
            "verified": failure.is_none(), "failure": failure,
        }))?;
    } else {
        match &failure {
            None => println!(
                "verified: {} holds {} under {} {} on {} ({} bytes)",
                record.party,
                limits.join(", "),
                lp.agreement,
                lp.provision,
                lp.as_of,
                proof.proof_bytes(),
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
