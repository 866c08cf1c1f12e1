//! Zero-knowledge limit proofs: a weighted sum of committed category totals is at most a limit.
//!
//! A limit names categories `j` with weights `w_j` (a provision may count several categories,
//! some weighted). The verifier computes `D = limit·B − Σ_j w_j·Σ_i C_ij` from the published
//! commitments; `Σ_j w_j·Σ_i C_ij` commits to `Σ_j w_j·Σ_i v_ij` under blinding
//! `Σ_j w_j·Σ_i r_ij`, so the prover, who knows both, shows with one Bulletproofs range proof
//! (aggregated over several limits) that every `D` commits to a value in `[0, 2^32)`. Since
//! every `C_ij` was itself range-proven non-negative and small, and weights are non-negative,
//! this shows `Σ_j w_j·Σ_i v_ij ≤ limit` and reveals nothing else about the per-site counts.

use accord_model::{AgreementId, Category, Date, PartyId, ProvisionId, Record, RecordBody};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use bulletproofs::{PedersenGens, RangeProof};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use merlin::Transcript;
use serde::{Deserialize, Serialize};

use crate::LIMIT_BITS;
use crate::counts::{Openings, VerifiedCounts, bp_gens};
use crate::error::EscrowError;
use crate::prover::prove_range;
use zeroize::Zeroize;

/// What a limit proof is bound to: agreement, provision, party, date and declaration root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitContext {
    /// The agreement whose limit is proven.
    pub agreement: AgreementId,
    /// The limit provision.
    pub provision: ProvisionId,
    /// The declaring party.
    pub party: PartyId,
    /// The date the proof holds for.
    pub date: Date,
    /// The escrow's Merkle root.
    pub root: [u8; 32],
}

/// One category counted by a limit, with its weight.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitTerm {
    /// The category.
    pub category: Category,
    /// How many units each item of it counts for (at least 1).
    pub weight: u32,
}

/// One limit: the weighted sum of the named categories' committed totals is at most `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitValue {
    /// The categories counted, with their weights, in proof order.
    pub terms: Vec<LimitTerm>,
    /// The most the party may hold, in weighted units.
    pub limit: u64,
}

impl LimitValue {
    /// A limit on one category's total.
    pub fn single(category: Category, limit: u64) -> Self {
        LimitValue {
            terms: vec![LimitTerm {
                category,
                weight: 1,
            }],
            limit,
        }
    }

    /// The limited quantity in words, such as `warheads + 2*heavy_bombers`.
    pub fn quantity(&self) -> String {
        let terms: Vec<String> = self
            .terms
            .iter()
            .map(|t| match t.weight {
                1 => t.category.to_string(),
                w => format!("{w}*{}", t.category),
            })
            .collect();
        terms.join(" + ")
    }

    /// Whether both count the same weighted categories, in whatever order.
    pub fn same_quantity(&self, other: &LimitValue) -> bool {
        let mut a = self.terms.clone();
        let mut b = other.terms.clone();
        a.sort();
        b.sort();
        a == b
    }
}

impl std::fmt::Display for LimitValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} <= {}", self.quantity(), self.limit)
    }
}

/// The format version of a [`LimitProof`].
pub const LIMIT_PROOF_VERSION: u32 = 3;

/// A limit proof as carried in a `LimitProof` record (base64 of its JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitProof {
    /// Format version, 3 (weighted terms; categories bound in the transcript).
    pub version: u32,
    /// The limits proven, in proof order.
    pub limits: Vec<LimitValue>,
    /// Base64 of the aggregated Bulletproofs range proof.
    pub proof: String,
}

impl LimitContext {
    /// The context a `limit_proof` record must be verified in, taken from the commitment record
    /// it names: the agreement, party, date and root are the declaration's, so a proof that
    /// names another commitment, agreement, party or date is refused here.
    pub fn for_record(proof: &Record, commitment: &Record) -> Result<LimitContext, EscrowError> {
        let RecordBody::LimitProof(lp) = &proof.body else {
            return Err(EscrowError::LimitRejected(format!(
                "record {} is a {} record, not a limit_proof",
                proof.id,
                proof.body.kind()
            )));
        };
        let RecordBody::DeclarationCommitment(c) = &commitment.body else {
            return Err(EscrowError::LimitRejected(format!(
                "record {} is a {} record, not a declaration_commitment",
                commitment.id,
                commitment.body.kind()
            )));
        };
        let mismatches = [
            (
                lp.commitment != commitment.id,
                format!(
                    "is over commitment {}, not {}",
                    lp.commitment, commitment.id
                ),
            ),
            (
                lp.agreement != c.agreement,
                format!(
                    "is for agreement {}, the declaration is made under {}",
                    lp.agreement, c.agreement
                ),
            ),
            (
                proof.party != commitment.party,
                format!(
                    "is by {}, the declaration by {}",
                    proof.party, commitment.party
                ),
            ),
            (
                lp.as_of != c.as_of,
                format!("is for {}, the declaration holds for {}", lp.as_of, c.as_of),
            ),
        ];
        if let Some((_, what)) = mismatches.into_iter().find(|(differs, _)| *differs) {
            return Err(EscrowError::LimitRejected(format!(
                "proof {}: {what}",
                proof.id
            )));
        }
        Ok(LimitContext {
            agreement: c.agreement.clone(),
            provision: lp.provision.clone(),
            party: commitment.party.clone(),
            date: c.as_of,
            root: crate::escrow_root(&c.root)?,
        })
    }

    /// The transcript of a limit proof, bound to the declaration, its category list, its
    /// number of sites and the limits.
    fn transcript(&self, limits: &[LimitValue], categories: &[Category], sites: u64) -> Transcript {
        let mut t = Transcript::new(b"accord-limit-proof v3");
        t.append_message(b"agreement", self.agreement.as_str().as_bytes());
        t.append_message(b"provision", self.provision.as_str().as_bytes());
        t.append_message(b"party", self.party.as_str().as_bytes());
        t.append_message(b"date", self.date.to_string().as_bytes());
        t.append_message(b"root", &self.root);
        t.append_u64(b"categories", categories.len() as u64);
        for c in categories {
            t.append_message(b"category", c.as_str().as_bytes());
        }
        t.append_u64(b"sites", sites);
        t.append_u64(b"limits", limits.len() as u64);
        for l in limits {
            t.append_u64(b"terms", l.terms.len() as u64);
            for term in &l.terms {
                t.append_message(b"category", term.category.as_str().as_bytes());
                t.append_u64(b"weight", u64::from(term.weight));
            }
            t.append_u64(b"limit", l.limit);
        }
        t
    }
}

fn column(categories: &[Category], c: &Category, ctx: &LimitContext) -> Result<usize, EscrowError> {
    categories
        .iter()
        .position(|x| x == c)
        .ok_or_else(|| EscrowError::UnknownCategory {
            provision: ctx.provision.clone(),
            category: c.clone(),
        })
}

fn check_limits(limits: &[LimitValue]) -> Result<(), EscrowError> {
    if limits.is_empty() {
        return Err(EscrowError::LimitRejected("no limit is given".into()));
    }
    for (i, l) in limits.iter().enumerate() {
        if l.terms.is_empty() {
            return Err(EscrowError::LimitRejected(format!(
                "limit {i} counts no category"
            )));
        }
        for (k, t) in l.terms.iter().enumerate() {
            if t.weight == 0 {
                return Err(EscrowError::LimitRejected(format!(
                    "limit {}: category {} has weight 0",
                    l, t.category
                )));
            }
            if l.terms[..k].iter().any(|p| p.category == t.category) {
                return Err(EscrowError::LimitRejected(format!(
                    "limit {l}: category {} is counted twice",
                    t.category
                )));
            }
        }
        if limits[..i].iter().any(|p| p.same_quantity(l)) {
            return Err(EscrowError::LimitRejected(format!(
                "{} is limited twice",
                l.quantity()
            )));
        }
    }
    Ok(())
}

/// Proves that each limit's weighted committed total is within it, in one aggregated proof.
///
/// Returns [`EscrowError::OverLimit`] when a total exceeds its limit: no proof exists then, and
/// [`EscrowError::UnknownCategory`] when a limit counts a category the declaration lacks.
pub fn prove_limit(
    openings: &Openings,
    ctx: &LimitContext,
    limits: &[LimitValue],
) -> Result<LimitProof, EscrowError> {
    check_limits(limits)?;
    let width = openings.categories.len();
    let sites = (openings.counts.len() / width.max(1)) as u64;
    let m = limits.len().next_power_of_two();
    let mut values = Vec::with_capacity(m);
    let mut blindings = Vec::with_capacity(m);
    for l in limits {
        let mut total: u128 = 0;
        let mut r = Scalar::ZERO;
        for term in &l.terms {
            let j = column(&openings.categories, &term.category, ctx)?;
            let mut sum: u128 = 0;
            let mut r_sum = Scalar::ZERO;
            for i in (j..openings.counts.len()).step_by(width) {
                sum += u128::from(openings.counts[i]);
                r_sum += openings.blindings[i];
            }
            total += sum * u128::from(term.weight);
            r += r_sum * Scalar::from(term.weight);
        }
        if total > u128::from(l.limit) {
            return Err(EscrowError::OverLimit {
                quantity: l.quantity(),
                total,
                limit: l.limit,
            });
        }
        let slack = u128::from(l.limit) - total;
        if slack >> LIMIT_BITS != 0 {
            return Err(EscrowError::Proving(format!(
                "{}: limit {} minus total is {slack}, past the 2^{LIMIT_BITS} a limit proof covers",
                l.quantity(),
                l.limit
            )));
        }
        values.push(slack as u64);
        blindings.push(-r);
    }
    values.resize(m, 0);
    blindings.resize(m, Scalar::ZERO);
    let mut t = ctx.transcript(limits, &openings.categories, sites);
    let proven = prove_range(&mut t, &values, &blindings, LIMIT_BITS);
    values.zeroize();
    blindings.zeroize();
    let (proof, _) = proven?;
    Ok(LimitProof {
        version: LIMIT_PROOF_VERSION,
        limits: limits.to_vec(),
        proof: B64.encode(proof.to_bytes()),
    })
}

/// Verifies a limit proof against commitments whose range proofs were already checked.
pub fn verify_limit(
    counts: &VerifiedCounts,
    ctx: &LimitContext,
    proof: &LimitProof,
) -> Result<(), EscrowError> {
    if proof.version != LIMIT_PROOF_VERSION {
        return Err(EscrowError::LimitRejected(format!(
            "unsupported version {}",
            proof.version
        )));
    }
    check_limits(&proof.limits)?;
    let width = counts.categories().len();
    let m = proof.limits.len().next_power_of_two();
    let mut diffs = Vec::with_capacity(m);
    for l in &proof.limits {
        let mut weighted = RistrettoPoint::identity();
        for term in &l.terms {
            let j = column(counts.categories(), &term.category, ctx)?;
            let sum: RistrettoPoint = counts.points().iter().skip(j).step_by(width).sum();
            weighted += match term.weight {
                1 => sum,
                w => Scalar::from(w) * sum,
            };
        }
        diffs.push((&Scalar::from(l.limit) * RISTRETTO_BASEPOINT_TABLE - weighted).compress());
    }
    diffs.resize(m, RistrettoPoint::identity().compress());
    let bytes = B64
        .decode(&proof.proof)
        .map_err(|e| EscrowError::LimitRejected(format!("proof is not base64: {e}")))?;
    let rp = RangeProof::from_bytes(&bytes)
        .map_err(|e| EscrowError::LimitRejected(format!("proof does not parse: {e}")))?;
    let mut t = ctx.transcript(&proof.limits, counts.categories(), counts.sites());
    rp.verify_multiple(
        &bp_gens(LIMIT_BITS, m),
        &PedersenGens::default(),
        &mut t,
        &diffs,
        LIMIT_BITS,
    )
    .map_err(|_| {
        EscrowError::LimitRejected(
            "the range proof does not verify for these commitments, limits, agreement, \
             provision, party, date and root"
                .into(),
        )
    })
}

impl LimitProof {
    /// Encodes as the `proof` field of a `LimitProof` record: base64 of compact JSON.
    pub fn encode(&self) -> String {
        B64.encode(serde_json::to_vec(self).expect("limit proofs serialise"))
    }

    /// Decodes the `proof` field of a `LimitProof` record.
    pub fn decode(text: &str) -> Result<Self, EscrowError> {
        let bytes = B64
            .decode(text.trim())
            .map_err(|e| EscrowError::decode("limit proof (base64)", e))?;
        serde_json::from_slice(&bytes).map_err(|e| EscrowError::decode("limit proof (JSON)", e))
    }

    /// Size in bytes of the range proof itself.
    pub fn proof_bytes(&self) -> usize {
        B64.decode(&self.proof).map(|b| b.len()).unwrap_or(0)
    }
}

/// The limit a limit provision of `agreement` sets: its counting terms, one per category (a
/// category counted under several statuses takes its largest weight, as the escrow does not
/// split statuses, so a status filter can only be over-counted, never under-counted).
pub fn provision_limit(
    agreement: &accord_agreements::Agreement,
    provision: &ProvisionId,
) -> Result<LimitValue, EscrowError> {
    let refused = |reason: String| EscrowError::LimitRejected(reason);
    let p = agreement
        .provisions
        .iter()
        .find(|p| &p.id == provision)
        .ok_or_else(|| {
            refused(format!(
                "agreement {} has no provision {provision}",
                agreement.id
            ))
        })?;
    let accord_agreements::ProvisionBody::Limit(l) = &p.body else {
        return Err(refused(format!(
            "provision {provision} of {} is a {} provision, not a limit",
            agreement.id,
            p.body.kind()
        )));
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
        return Err(refused(format!(
            "provision {provision} of {} counts no category",
            agreement.id
        )));
    }
    Ok(LimitValue {
        terms,
        limit: l.max,
    })
}

/// Checks that a proof proves exactly `required`: the same weighted categories with the same
/// limit (a proof may prove other limits besides).
pub fn proves_required(proof: &LimitProof, required: &LimitValue) -> Result<(), EscrowError> {
    match proof.limits.iter().find(|l| l.same_quantity(required)) {
        Some(l) if l.limit == required.limit => Ok(()),
        Some(l) => Err(EscrowError::LimitRejected(format!(
            "the proof is for {l}, the required limit is {}",
            required.limit
        ))),
        None => Err(EscrowError::LimitRejected(format!(
            "the proof says nothing of {} (it proves {})",
            required.quantity(),
            proof
                .limits
                .iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
