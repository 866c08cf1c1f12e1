//! The escrow part of `accord demo`: a New START follow-on declaration committed in escrow,
//! revealed in phases, a limit proven in zero knowledge, and inspection sites drawn fairly.
//!
//! The declaration is the illustrative one in `crates/escrow/data/example-declaration.json`
//! (real site names, made-up counts). Each step is checked the way the other party would check
//! it, from what was published; the walkthrough fails if any check does. The commitment and the
//! limit proof are written as records, so that `accord limit verify` checks them again.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use accord_escrow::order::{Logged, PartyKeys, Round, Trust, draw_source, receipt_of, run_round};
use accord_escrow::plan::{detection_probability, inspections_needed};
use accord_escrow::selection::{Selection, seed_digest};
use accord_escrow::{
    CountCommitments, DeclarationInput, EscrowError, LimitContext, RangeContext, RevealSelection,
    RevealVerifier, commit, escrow_root, prove_limit, verify_limit,
};
use accord_log::{CosignerKey, Log, LogKey};
use accord_model::{
    LimitProofRecord, PartyId, ProvisionId, Record, RecordBody, RecordId, SeedCommit, SeedReveal,
    SeenCommit,
};
use anyhow::{Context as _, bail};
use sha2::{Digest as _, Sha256};

/// The illustrative declaration, embedded so that the demo runs from anywhere.
const DECLARATION: &str = include_str!("../../crates/escrow/data/example-declaration.json");
/// The limit provision proven in zero knowledge.
const PROVISION: &str = "art-ii-1-b";
/// The inspection round of the walkthrough.
const ROUND: &str = "demo-type-one-1";
/// Sites drawn for inspection in the round.
const QUOTA: usize = 2;

/// Appends a formatted paragraph to the output, wrapped (see [`wrap`]).
macro_rules! say {
    ($o:expr, $($arg:tt)*) => {
        wrap($o, &format!($($arg)*))
    };
}

/// Runs the walkthrough, writing the commitment and limit proof records into `out`; returns its
/// text and a JSON summary of what was checked.
pub fn run(out: &Path) -> anyhow::Result<(String, serde_json::Value)> {
    let input: DeclarationInput =
        serde_json::from_str(DECLARATION).context("the embedded example declaration")?;
    let mut o = String::new();

    // The declaring party commits; only the commitment record's body is published.
    let started = Instant::now();
    let (secret, counts) = commit(&input)?;
    let commit_ms = ms(started);
    let commitment = secret.commitment_body(&counts);
    let root = escrow_root(&commitment.root)?;
    say!(
        &mut o,
        "{} commits its declaration under {} as of {} ({} sites x {} categories, illustrative \
         figures): one Merkle root over salted entries and {} Pedersen commitments with {}-bit \
         range proofs ({} bytes of proofs, {commit_ms:.0} ms). Only these are published.",
        input.party,
        input.agreement,
        input.as_of,
        secret.sites,
        secret.categories.len(),
        counts.commitments.len(),
        counts.bits,
        counts.proof_bytes(),
    );
    say!(&mut o, "    root {}", commitment.root);

    // The other side checks the range proofs once, from the published record alone.
    let published = CountCommitments::decode(&commitment.counts)?;
    let ctx = RangeContext {
        agreement: commitment.agreement.clone(),
        party: input.party.clone(),
        as_of: commitment.as_of,
        root,
    };
    let started = Instant::now();
    let verified = published.verify(&ctx)?;
    say!(
        &mut o,
        "  ok  every count is proven to lie in [0, 2^{}) ({:.0} ms): no negative count can hide items",
        counts.bits,
        ms(started)
    );

    // Phase 1 is revealed and checked against the root; a changed count would not pass.
    let mut reveals = RevealVerifier::new(&commitment)?;
    let phase1 = secret.reveal(&RevealSelection::Phase("1".into()))?;
    let sites = reveals.add(&phase1, "phase 1")?;
    say!(
        &mut o,
        "  ok  phase 1 revealed and checked against the root: {}",
        names(&sites)
    );
    let mut forged = phase1.clone();
    let Some(first) = forged.entries.first_mut() else {
        bail!("phase 1 of the example declaration reveals no entry");
    };
    first.count += 1;
    let mut fresh = RevealVerifier::new(&commitment)?;
    match fresh.add(&forged, "forged phase 1") {
        Err(e) => {
            say!(
                &mut o,
                "  ok  the same reveal with one count raised by 1 is refused: {e}"
            );
        }
        Ok(_) => bail!("a reveal with a changed count was accepted"),
    }

    // A limit of the agreement, proven over the committed counts without revealing them.
    let provision = ProvisionId::new(PROVISION)?;
    let limit =
        super::limit::provision_limit(input.agreement.as_str(), &input.agreement, &provision)?;
    let lctx = LimitContext {
        agreement: input.agreement.clone(),
        provision: provision.clone(),
        party: input.party.clone(),
        date: input.as_of,
        root,
    };
    let started = Instant::now();
    let proof = prove_limit(&secret.openings()?, &lctx, std::slice::from_ref(&limit))?;
    let prove_ms = ms(started);
    let started = Instant::now();
    let limit_verified = verify_limit(&verified, &lctx, &proof);
    if let Err(e) = &limit_verified {
        bail!("the limit proof of {provision} does not verify: {e}");
    }
    say!(
        &mut o,
        "  ok  {provision}: {limit} proven in zero knowledge ({} bytes, proven in {prove_ms:.1} ms, \
         verified in {:.1} ms); the verifier learns no site's count and not the total",
        proof.proof_bytes(),
        ms(started)
    );
    let mut replayed = lctx.clone();
    replayed.date = replayed.date.tomorrow()?;
    match verify_limit(&verified, &replayed, &proof) {
        Err(EscrowError::LimitRejected(_)) => {
            say!(
                &mut o,
                "  ok  the same proof presented for {} is refused: it is bound to its date",
                replayed.date
            );
        }
        other => bail!("a limit proof replayed for another date was not refused: {other:?}"),
    }

    // Inspection sites drawn from both parties' seeds, committed after the declaration was in
    // a cosigned checkpoint and revealed only after each had cosigned the other's commit.
    let inspector = PartyId::new("US")?;
    let at = jiff::Timestamp::now();
    let declaration = Record {
        id: RecordId::new(format!("{}-commitment-{}", input.party, input.as_of))?,
        party: input.party.clone(),
        issued_at: at,
        body: RecordBody::DeclarationCommitment(commitment.clone()),
    };
    let proof_record = Record {
        id: RecordId::new(format!("{}-limit-{provision}", declaration.id))?,
        party: input.party.clone(),
        issued_at: at,
        body: RecordBody::LimitProof(LimitProofRecord {
            agreement: input.agreement.clone(),
            provision: provision.clone(),
            commitment: declaration.id.clone(),
            as_of: input.as_of,
            proof: proof.encode(),
        }),
    };
    let files = write_records(out, &declaration, &proof_record)?;
    let drawn = fair_draw(&input, &inspector, declaration, at)?;
    let selection = drawn.selection;
    let inspected = secret.reveal(&RevealSelection::Positions(selection.selected.clone()))?;
    // The inspectors check that this reveal shows exactly the drawn positions.
    let mut for_inspectors = RevealVerifier::new(&commitment)?;
    let chosen = for_inspectors.add(&inspected, "inspection round")?;
    for_inspectors.check_selection(&selection, &drawn.declaration)?;
    reveals.add(&inspected, "inspection round")?;
    say!(
        &mut o,
        "  ok  {QUOTA} of {} sites drawn for inspection from seeds {} and {} committed after the \
         declaration was cosigned and revealed after each had cosigned the other's commit \
         (ChaCha20 over a seed bound to the declaration's root, reproducible by anyone): \
         positions {} ({}); their entries are revealed and checked for the inspectors",
        secret.sites,
        inspector,
        input.party,
        selection.positions(),
        names(&chosen)
    );
    let candidates = secret.sites;

    // What such draws can catch.
    let n = candidates;
    let p = detection_probability(n, 1, QUOTA as u64)?;
    let needed = inspections_needed(1000, 10, 0.95)?.unwrap_or(0);
    say!(
        &mut o,
        "     drawing {QUOTA} of {n} sites finds one false site with probability {:.0}%; among \
         1,000 sites with 10 false, {needed} inspections reach 95% (`accord inspect plan`)",
        p * 100.0
    );

    let json = serde_json::json!({
        "party": input.party,
        "agreement": input.agreement,
        "root": commitment.root,
        "counts": counts.commitments.len(),
        "range_proof_bytes": counts.proof_bytes(),
        "phase_1_sites": sites,
        "limit": {
            "provision": provision, "limit": limit.to_string(), "proof_bytes": proof.proof_bytes(),
            "verified": limit_verified.is_ok(),
            "commitment_file": files.0, "proof_file": files.1,
        },
        "inspection": selection,
    });
    Ok((o, json))
}

/// A draw made the way two nodes make it: each party's records in its own log, receipts
/// cosigned by the other, and the round checked in order.
struct Drawn {
    declaration: RecordId,
    selection: Selection,
}

/// Runs a selection round of the demo: the declaration in RU's log, cosigned by US; each
/// party's seed commit with that receipt; each reveal with the other's commit cosigned.
fn fair_draw(
    input: &DeclarationInput,
    inspector: &PartyId,
    declaration: Record,
    at: jiff::Timestamp,
) -> anyhow::Result<Drawn> {
    let dir = tempfile::tempdir().context("a temporary directory for the demo's logs")?;
    let declarant = input.party.clone();
    let parties = [inspector.clone(), declarant.clone()];
    let mut logs = Vec::new();
    let mut trust = Trust::new();
    let mut witnesses = Vec::new();
    for p in &parties {
        let key = LogKey::generate(&format!("demo.example/{p}"))?;
        let log = Log::create(&dir.path().join(p.as_str()), key.name(), &key)?;
        let witness = CosignerKey::generate(&format!("witness.example/{p}"))?;
        trust.insert(
            p.clone(),
            PartyKeys {
                log: key.vkey().to_owned(),
                cosigner: witness.vkey(),
            },
        );
        logs.push(log);
        witnesses.push(witness);
    }
    let ts = at.as_second().max(0) as u64;
    let declaration = Logged {
        entry: declaration.to_canonical_json(),
        record: declaration,
    };
    // RU is parties[1]; US (parties[0]) cosigns RU's checkpoint holding the declaration.
    let index = logs[1].append(&declaration.entry)?;
    let declaration_receipt = receipt_of(&logs[1], index, &[&witnesses[0]], ts)?;
    let source = draw_source(&declaration.record)?;
    let mut commits = Vec::new();
    let mut seeds = Vec::new();
    for (i, p) in parties.iter().enumerate() {
        let seed: [u8; 32] = Sha256::digest(format!("accord demo seed/{ROUND}/{p}")).into();
        let record = Record {
            id: RecordId::new(format!("{p}-seed-commit-{ROUND}"))?,
            party: p.clone(),
            issued_at: at,
            body: RecordBody::SeedCommit(SeedCommit {
                round: ROUND.into(),
                commitment: source.commitment.clone(),
                root: hex::encode(source.root),
                digest: seed_digest(ROUND, p, &source, &seed),
                declaration: declaration_receipt.clone(),
            }),
        };
        let entry = record.to_canonical_json();
        let index = logs[i].append(&entry)?;
        commits.push((Logged { record, entry }, index));
        seeds.push(seed);
    }
    let mut reveals = Vec::new();
    for (i, p) in parties.iter().enumerate() {
        let other = 1 - i;
        let (other_commit, other_index) = &commits[other];
        let receipt = receipt_of(&logs[other], *other_index, &[&witnesses[i]], ts)?;
        let record = Record {
            id: RecordId::new(format!("{p}-seed-reveal-{ROUND}"))?,
            party: p.clone(),
            issued_at: at,
            body: RecordBody::SeedReveal(SeedReveal {
                round: ROUND.into(),
                commit: commits[i].0.record.id.clone(),
                seed: hex::encode(seeds[i]),
                seen: vec![SeenCommit {
                    commit: other_commit.record.id.clone(),
                    receipt,
                }],
            }),
        };
        let entry = record.to_canonical_json();
        logs[i].append(&entry)?;
        reveals.push(Logged { record, entry });
    }
    let commits: Vec<Logged> = commits.into_iter().map(|(c, _)| c).collect();
    let outcome = run_round(
        &Round {
            round: ROUND,
            agreement: input.agreement.clone(),
            provision: ProvisionId::new("inspections-type-one")?,
            declaration: &declaration,
            commits: &commits,
            reveals: &reveals,
            quota: QUOTA,
            rule: None,
            at,
        },
        &trust,
    )?;
    let selection = outcome
        .selection
        .context("every seed was revealed, so the seeds draw the sites")?;
    Ok(Drawn {
        declaration: declaration.record.id,
        selection,
    })
}

/// Writes the commitment and the limit proof records into `out/escrow` (created); returns
/// their paths.
fn write_records(
    out: &Path,
    commitment: &Record,
    proof: &Record,
) -> anyhow::Result<(PathBuf, PathBuf)> {
    let dir = out.join("escrow");
    std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let files = (dir.join("commitment.json"), dir.join("limit-proof.json"));
    super::declare::write_json(&files.0, commitment)?;
    super::declare::write_json(&files.1, proof)?;
    Ok(files)
}

/// Appends `text` wrapped at 100 columns; continuation lines align with the text after a
/// leading "ok".
fn wrap(o: &mut String, text: &str) {
    let lead = text.len() - text.trim_start().len();
    let indent = lead
        + if text.trim_start().starts_with("ok ") {
            3
        } else {
            0
        };
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.len() + 1 + word.len() > 100 {
            let _ = writeln!(o, "{line}");
            line = " ".repeat(indent);
        } else if !line.is_empty() && !line.ends_with(' ') {
            line.push(' ');
        } else if line.is_empty() {
            line = " ".repeat(lead);
        }
        line.push_str(word);
    }
    let _ = writeln!(o, "{line}");
}

/// Milliseconds since `t`.
fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// Site names, comma-separated.
fn names(sites: &[accord_model::SiteId]) -> String {
    let v: Vec<&str> = sites.iter().map(|s| s.as_str()).collect();
    v.join(", ")
}
