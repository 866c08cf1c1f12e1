//! Zero-knowledge limit proofs: the committed total of a category is at most its limit.
//!
//! For each category `j` the verifier computes `D_j = limit_j·B − Σ_i C_ij` from the published
//! commitments; the prover, who knows `Σ_i v_ij` and `Σ_i r_ij`, shows with one aggregated
//! Bulletproofs range proof that every `D_j` commits to a value in `[0, 2^32)` under blinding
//! `−Σ_i r_ij`. Since every `C_ij` was itself range-proven non-negative and small, this shows
//! `Σ_i v_ij ≤ limit_j` and reveals nothing else about the per-site counts.

use accord_model::{AgreementId, Category, Date, PartyId, ProvisionId};
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

/// One category's limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitValue {
    /// The category.
    pub category: Category,
    /// The most the party may hold.
    pub limit: u64,
}

/// A limit proof as carried in a `LimitProof` record (base64 of its JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitProof {
    /// Format version, 1.
    pub version: u32,
    /// The limits proven, in proof order.
    pub limits: Vec<LimitValue>,
    /// Base64 of the aggregated Bulletproofs range proof.
    pub proof: String,
}

impl LimitContext {
    fn transcript(&self, limits: &[LimitValue], sites: u64) -> Transcript {
        let mut t = Transcript::new(b"accord-limit-proof v1");
        t.append_message(b"agreement", self.agreement.as_str().as_bytes());
        t.append_message(b"provision", self.provision.as_str().as_bytes());
        t.append_message(b"party", self.party.as_str().as_bytes());
        t.append_message(b"date", self.date.to_string().as_bytes());
        t.append_message(b"root", &self.root);
        t.append_u64(b"sites", sites);
        t.append_u64(b"limits", limits.len() as u64);
        for l in limits {
            t.append_message(b"category", l.category.as_str().as_bytes());
            t.append_u64(b"limit", l.limit);
        }
        t
    }
}

fn column(categories: &[Category], c: &Category) -> Result<usize, EscrowError> {
    categories
        .iter()
        .position(|x| x == c)
        .ok_or_else(|| EscrowError::UnknownCategory(c.clone()))
}

fn check_limits(limits: &[LimitValue]) -> Result<(), EscrowError> {
    if limits.is_empty() {
        return Err(EscrowError::LimitRejected("no limit is given".into()));
    }
    for (i, l) in limits.iter().enumerate() {
        if limits[..i].iter().any(|p| p.category == l.category) {
            return Err(EscrowError::LimitRejected(format!(
                "category {} is limited twice",
                l.category
            )));
        }
    }
    Ok(())
}

/// Proves that each category's committed total is at most its limit, in one aggregated proof.
///
/// Returns [`EscrowError::OverLimit`] when a total exceeds its limit: no proof exists then.
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
        let j = column(&openings.categories, &l.category)?;
        let mut total: u128 = 0;
        let mut r = Scalar::ZERO;
        for i in (j..openings.counts.len()).step_by(width) {
            total += u128::from(openings.counts[i]);
            r += openings.blindings[i];
        }
        if total > u128::from(l.limit) {
            return Err(EscrowError::OverLimit {
                category: l.category.clone(),
                total,
                limit: l.limit,
            });
        }
        let slack = u128::from(l.limit) - total;
        if slack >> LIMIT_BITS != 0 {
            return Err(EscrowError::Proving(format!(
                "category {}: limit {} minus total is {slack}, past the 2^{LIMIT_BITS} a limit proof covers",
                l.category, l.limit
            )));
        }
        values.push(slack as u64);
        blindings.push(-r);
    }
    values.resize(m, 0);
    blindings.resize(m, Scalar::ZERO);
    let mut t = ctx.transcript(limits, sites);
    let (proof, _) = prove_range(&mut t, &values, &blindings, LIMIT_BITS)?;
    Ok(LimitProof {
        version: 1,
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
    if proof.version != 1 {
        return Err(EscrowError::LimitRejected(format!(
            "unsupported version {}",
            proof.version
        )));
    }
    check_limits(&proof.limits)?;
    let width = counts.categories.len();
    let m = proof.limits.len().next_power_of_two();
    let mut diffs = Vec::with_capacity(m);
    for l in &proof.limits {
        let j = column(&counts.categories, &l.category)?;
        let sum: RistrettoPoint = counts.points.iter().skip(j).step_by(width).sum();
        diffs.push((&Scalar::from(l.limit) * RISTRETTO_BASEPOINT_TABLE - sum).compress());
    }
    diffs.resize(m, RistrettoPoint::identity().compress());
    let bytes = B64
        .decode(&proof.proof)
        .map_err(|e| EscrowError::LimitRejected(format!("proof is not base64: {e}")))?;
    let rp = RangeProof::from_bytes(&bytes)
        .map_err(|e| EscrowError::LimitRejected(format!("proof does not parse: {e}")))?;
    let mut t = ctx.transcript(&proof.limits, counts.sites);
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
