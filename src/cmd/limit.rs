//! `accord limit`: prove in zero knowledge that committed totals respect a limit, and verify.

use std::path::PathBuf;
use std::process::ExitCode;

use accord_agreements::ProvisionBody;
use accord_escrow::{
    CountCommitments, EscrowSecret, LimitContext, LimitProof, LimitTerm, LimitValue, RangeContext,
    escrow_root, prove_limit, verify_limit,
};
use accord_model::{AgreementId, Category, Date, LimitProofRecord, ProvisionId, RecordBody};
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
    /// Checks the per-count range proofs of the commitment first (without them a "negative"
    /// count could hide items), then the limit proof. Exit 1 if either fails, or if the limit
    /// the agreement sets (--agreement, or --limit) differs from the limit the proof claims.
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
    /// The date the proof holds for (default: the declaration's date).
    #[arg(long)]
    date: Option<Date>,
    // The limit proof record.
    #[command(flatten)]
    out: RecordOut,
    /// Print a JSON summary.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord limit verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The commitment record the proof refers to.
    #[arg(long)]
    commitment: PathBuf,
    /// The limit proof record.
    #[arg(long)]
    proof: PathBuf,
    /// The limit the agreement sets, as CATEGORY=MAX or a weighted sum such as
    /// warheads+2*heavy_bombers=1550 (repeatable): the proof must be for exactly this limit.
    #[arg(long = "limit", value_parser = parse_limit)]
    limits: Vec<LimitValue>,
    /// Agreement file, or built-in agreement id: the proof must be for the limit that the
    /// proof's provision sets there.
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

/// The limit a limit provision sets: its counting terms, one per category (a category counted
/// under several statuses takes its largest weight, as the escrow does not split statuses).
/// The agreement loaded must be `expected`, the one the declaration is made under.
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
    let p = agreement
        .provisions
        .iter()
        .find(|p| &p.id == provision)
        .with_context(|| format!("agreement {} has no provision {provision}", agreement.id))?;
    let ProvisionBody::Limit(l) = &p.body else {
        bail!(
            "provision {provision} of {} is a {} provision, not a limit",
            agreement.id,
            p.body.kind()
        );
    };
    let mut terms: Vec<LimitTerm> = Vec::new();
    for t in &l.counts {
        match terms.iter_mut().find(|x| x.category == t.category) {
            Some(x) => x.weight = x.weight.max(t.weight),
            None => terms.push(LimitTerm {
                category: t.category.clone(),
                weight: t.weight,
            }),
        }
    }
    if terms.is_empty() {
        bail!(
            "provision {provision} of {} counts no category",
            agreement.id
        );
    }
    Ok(LimitValue {
        terms,
        limit: l.max,
    })
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
        date: a.date.unwrap_or(secret.as_of),
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
    let mut failure: Option<String> = None;
    if lp.commitment != commitment.id {
        failure = Some(format!(
            "proof {} is over commitment {}, not {}",
            record.id, lp.commitment, commitment.id
        ));
    } else if lp.agreement != body.agreement {
        failure = Some(format!(
            "proof {} is for agreement {}, the commitment for {}",
            record.id, lp.agreement, body.agreement
        ));
    } else if record.party != commitment.party {
        failure = Some(format!(
            "proof {} is by {}, the commitment by {}",
            record.id, record.party, commitment.party
        ));
    }
    let proof = LimitProof::decode(&lp.proof).with_context(|| format!("{}", a.proof.display()))?;
    let wanted = match &a.agreement {
        Some(name) => vec![provision_limit(name, &lp.agreement, &lp.provision)?],
        None => a.limits.clone(),
    };
    for want in &wanted {
        match proof.limits.iter().find(|l| l.same_quantity(want)) {
            Some(l) if l.limit == want.limit => {}
            Some(l) => {
                failure.get_or_insert(format!(
                    "the proof is for {l}, the agreement's limit is {}",
                    want.limit
                ));
            }
            None => {
                failure.get_or_insert(format!(
                    "the proof says nothing of {} (it proves {})",
                    want.quantity(),
                    proof
                        .limits
                        .iter()
                        .map(|l| l.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    let root = escrow_root(&body.root).with_context(|| format!("{}", a.commitment.display()))?;
    if failure.is_none() {
        let counts = CountCommitments::decode(body.counts.as_deref().unwrap_or(""))
            .with_context(|| format!("{}: counts", a.commitment.display()))?;
        let range_ctx = RangeContext {
            agreement: body.agreement.clone(),
            party: commitment.party.clone(),
            as_of: body.as_of,
            root,
        };
        let ctx = LimitContext {
            agreement: lp.agreement.clone(),
            provision: lp.provision.clone(),
            party: record.party.clone(),
            date: lp.as_of,
            root,
        };
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
            "limits": proof.limits, "checked_against_agreement": !wanted.is_empty(),
            "proof_bytes": proof.proof_bytes(),
            "verified": failure.is_none(), "failure": failure,
        }))?;
    } else {
        match &failure {
            None => println!(
                "verified: {} holds {} under {} {} on {} ({} bytes){}",
                record.party,
                limits.join(", "),
                lp.agreement,
                lp.provision,
                lp.as_of,
                proof.proof_bytes(),
                if wanted.is_empty() {
                    "; limits as the proof states them (pass --agreement or --limit to hold them \
                     to the agreement)"
                } else {
                    ""
                }
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
