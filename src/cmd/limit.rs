//! `accord limit`: prove in zero knowledge that committed totals respect a limit, and verify.

use std::path::PathBuf;
use std::process::ExitCode;

use accord_escrow::{
    CountCommitments, EscrowSecret, LimitContext, LimitProof, LimitValue, RangeContext,
    escrow_root, prove_limit, verify_limit,
};
use accord_model::{
    Category, Date, Instant, LimitProofRecord, ProvisionId, Record, RecordBody, RecordId,
};
use anyhow::{Context, bail};

use super::declare::{
    is_verification_failure, print_json, read_commitment, read_record, read_text, record_id,
    write_json,
};

/// Subcommands of `accord limit`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Prove that the committed total of each named category is at most its limit.
    ///
    /// Reads the secret file and the commitment record written by `declare commit`; writes an
    /// unsigned `limit_proof` record (JSON) whose `proof` field is base64 of
    /// {"version": 1, "limits": [{"category", "limit"}], "proof": <base64 Bulletproof>}. The proof
    /// shows that limit - total lies in [0, 2^32) for every category at once (one aggregated
    /// proof), reveals no per-site count, and is bound to the agreement, the provision, the
    /// party, the date and the declaration root. A total over its limit cannot be proven: the
    /// command fails (exit 1) and writes nothing.
    Prove(ProveArgs),
    /// Verify a limit proof record against its commitment record.
    ///
    /// Checks the per-count range proofs of the commitment first (without them a "negative"
    /// count could hide items), then the limit proof. Exit 1 if either fails, or if a
    /// `--limit` given here differs from the limit the proof claims.
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
    /// A limit as CATEGORY=MAX (repeatable; several are proven in one aggregated proof).
    #[arg(long = "limit", required = true, value_parser = parse_limit)]
    limits: Vec<LimitValue>,
    /// The date the proof holds for (default: the declaration's date).
    #[arg(long)]
    date: Option<Date>,
    /// Where to write the limit proof record (JSON).
    #[arg(long)]
    record_out: PathBuf,
    /// The record id (default `<commitment id>-limit-<provision>`).
    #[arg(long)]
    record_id: Option<RecordId>,
    /// When the record is issued (RFC 3339; default now).
    #[arg(long)]
    issued_at: Option<Instant>,
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
    /// The limit the agreement sets, as CATEGORY=MAX (repeatable): the proof must be for exactly
    /// this limit.
    #[arg(long = "limit", value_parser = parse_limit)]
    limits: Vec<LimitValue>,
    /// Print a JSON report.
    #[arg(long)]
    json: bool,
}

fn parse_limit(s: &str) -> Result<LimitValue, String> {
    let (c, n) = s
        .split_once('=')
        .ok_or_else(|| format!("expected CATEGORY=MAX, got {s:?}"))?;
    Ok(LimitValue {
        category: Category::new(c.trim()).map_err(|e| e.to_string())?,
        limit: n
            .trim()
            .parse()
            .map_err(|e| format!("limit {n:?} is not a whole number: {e}"))?,
    })
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
    let ctx = LimitContext {
        agreement: secret.agreement.clone(),
        provision: a.provision.clone(),
        party: secret.party.clone(),
        date: a.date.unwrap_or(secret.as_of),
        root: secret.root_bytes()?,
    };
    let openings = secret.openings()?;
    let started = std::time::Instant::now();
    let proof = match prove_limit(&openings, &ctx, &a.limits) {
        Ok(p) => p,
        Err(e) if is_verification_failure(&e) => {
            eprintln!("cannot prove: {e}");
            return Ok(ExitCode::from(crate::EXIT_FINDINGS));
        }
        Err(e) => return Err(e.into()),
    };
    let elapsed = started.elapsed();
    let id = match a.record_id {
        Some(id) => id,
        None => record_id(format!("{}-limit-{}", commitment.id, a.provision))?,
    };
    let record = Record {
        id: id.clone(),
        party: secret.party.clone(),
        issued_at: a.issued_at.unwrap_or_else(Instant::now),
        body: RecordBody::LimitProof(LimitProofRecord {
            agreement: secret.agreement.clone(),
            provision: a.provision.clone(),
            commitment: commitment.id.clone(),
            as_of: ctx.date,
            proof: proof.encode(),
        }),
    };
    write_json(&a.record_out, &record)?;
    if a.json {
        print_json(&serde_json::json!({
            "record": id, "limits": proof.limits, "proof_bytes": proof.proof_bytes(),
            "seconds": elapsed.as_secs_f64(), "record_file": a.record_out,
        }))?;
    } else {
        let limits: Vec<String> = proof
            .limits
            .iter()
            .map(|l| format!("{} <= {}", l.category, l.limit))
            .collect();
        println!(
            "proved {} over {} sites: {} bytes, {:.1} ms -> {}",
            limits.join(", "),
            secret.sites,
            proof.proof_bytes(),
            elapsed.as_secs_f64() * 1e3,
            a.record_out.display()
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
    for want in &a.limits {
        match proof.limits.iter().find(|l| l.category == want.category) {
            Some(l) if l.limit == want.limit => {}
            Some(l) => {
                failure.get_or_insert(format!(
                    "the proof is for {} <= {}, the agreement's limit is {}",
                    l.category, l.limit, want.limit
                ));
            }
            None => {
                failure.get_or_insert(format!("the proof says nothing of {}", want.category));
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
    let limits: Vec<String> = proof
        .limits
        .iter()
        .map(|l| format!("{} <= {}", l.category, l.limit))
        .collect();
    if a.json {
        print_json(&serde_json::json!({
            "proof": record.id, "commitment": commitment.id, "party": record.party,
            "agreement": lp.agreement, "provision": lp.provision, "as_of": lp.as_of,
            "limits": proof.limits, "checked_against_agreement": !a.limits.is_empty(),
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
                if a.limits.is_empty() {
                    "; limits as the proof states them (pass --limit to hold them to the agreement)"
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
