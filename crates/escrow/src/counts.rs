//! Per-entry Pedersen commitments to the declared counts and their aggregated range proofs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use accord_model::{AgreementId, Category, Date, PartyId, Record, RecordBody};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use bulletproofs::{BulletproofGens, PedersenGens, RangeProof};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand::{CryptoRng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::SUPPORTED_BITS;
use crate::error::EscrowError;
use crate::prover::prove_range;
use zeroize::Zeroize;

type GensCache = Mutex<HashMap<(usize, usize), Arc<BulletproofGens>>>;

/// Bulletproofs generators, built once per (bits, parties) and shared.
pub(crate) fn bp_gens(bits: usize, parties: usize) -> Arc<BulletproofGens> {
    static CACHE: OnceLock<GensCache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry((bits, parties))
        .or_insert_with(|| Arc::new(BulletproofGens::new(bits, parties)))
        .clone()
}

pub(crate) fn blinding_table() -> &'static RistrettoBasepointTable {
    static TABLE: OnceLock<RistrettoBasepointTable> = OnceLock::new();
    TABLE.get_or_init(|| RistrettoBasepointTable::create(&PedersenGens::default().B_blinding))
}

/// The Pedersen commitment `count·B + blinding·B_blinding` with the Bulletproofs default generators.
pub fn pedersen_commit(count: u64, blinding: &Scalar) -> RistrettoPoint {
    &Scalar::from(count) * RISTRETTO_BASEPOINT_TABLE + blinding * blinding_table()
}

/// What every count range proof is bound to: the declaration's agreement, party, date and root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeContext {
    /// The agreement the declaration is made under.
    pub agreement: AgreementId,
    /// The declaring party.
    pub party: PartyId,
    /// The date the declaration holds for.
    pub as_of: Date,
    /// The escrow's Merkle root.
    pub root: [u8; 32],
}

impl RangeContext {
    /// The context of a published `declaration_commitment` record: its agreement, author, date
    /// and root.
    pub fn for_commitment(record: &Record) -> Result<RangeContext, EscrowError> {
        let RecordBody::DeclarationCommitment(c) = &record.body else {
            return Err(EscrowError::decode(
                format!("record {}", record.id),
                format!(
                    "is a {} record, not a declaration_commitment",
                    record.body.kind()
                ),
            ));
        };
        Ok(RangeContext {
            agreement: c.agreement.clone(),
            party: record.party.clone(),
            as_of: c.as_of,
            root: crate::escrow_root(&c.root)?,
        })
    }

    /// The transcript of one batch, bound to the declaration, its category list and its
    /// number of sites.
    fn transcript(
        &self,
        layout: (&[Category], u64),
        bits: u8,
        batch: usize,
        first: usize,
        len: usize,
    ) -> Transcript {
        let (categories, sites) = layout;
        let mut t = Transcript::new(b"accord-escrow count range proof v2");
        t.append_message(b"agreement", self.agreement.as_str().as_bytes());
        t.append_message(b"party", self.party.as_str().as_bytes());
        t.append_message(b"as_of", self.as_of.to_string().as_bytes());
        t.append_message(b"root", &self.root);
        t.append_u64(b"categories", categories.len() as u64);
        for c in categories {
            t.append_message(b"category", c.as_str().as_bytes());
        }
        t.append_u64(b"sites", sites);
        t.append_u64(b"bits", u64::from(bits));
        t.append_u64(b"batch", batch as u64);
        t.append_u64(b"first", first as u64);
        t.append_u64(b"len", len as u64);
        t
    }
}

/// The format version of [`CountCommitments`].
pub const COUNTS_VERSION: u32 = 2;

/// The published Pedersen commitments to every entry's count, with their range proofs.
///
/// Entry `i` is site position `i / categories.len()`, category `i % categories.len()`; the
/// Merkle entry at leaf `i` holds the same commitment. Range
/// proofs cover consecutive batches of `batch` entries; the last batch is padded with
/// commitments to zero under a zero blinding (the identity point) up to a power of two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountCommitments {
    /// Format version, 2.
    pub version: u32,
    /// The bit width every count is proven to fit in.
    pub bits: u8,
    /// Entries per aggregated range proof (a power of two).
    pub batch: u32,
    /// The categories, in entry order within a site.
    pub categories: Vec<Category>,
    /// How many sites.
    pub sites: u64,
    /// Hex of each compressed Ristretto commitment, in entry order.
    pub commitments: Vec<String>,
    /// Base64 of each batch's aggregated range proof.
    pub range_proofs: Vec<String>,
}

/// The counts and blindings behind the commitments, held by the declaring party.
#[derive(Debug, Clone)]
pub struct Openings {
    /// The categories, in entry order within a site.
    pub categories: Vec<Category>,
    /// Every entry's count, in entry order.
    pub counts: Vec<u64>,
    /// Every entry's blinding, in entry order.
    pub blindings: Vec<Scalar>,
}

impl Openings {
    /// The number of categories and of entries, checked to fill whole sites.
    fn shape(&self) -> Result<(usize, usize), EscrowError> {
        let width = self.categories.len();
        let total = self.counts.len();
        if width == 0 || !total.is_multiple_of(width) || self.blindings.len() != total {
            return Err(EscrowError::decl(
                "counts",
                "counts and blindings must fill whole sites",
            ));
        }
        Ok((width, total))
    }
}

/// Commitments whose range proofs have been checked, decompressed and ready to sum.
///
/// Only [`CountCommitments::verify`] (the range proofs passed) and
/// [`VerifiedCounts::from_openings`] (every count was seen to fit) make one.
#[derive(Debug, Clone)]
pub struct VerifiedCounts {
    categories: Vec<Category>,
    sites: u64,
    bits: u8,
    points: Vec<RistrettoPoint>,
}

impl VerifiedCounts {
    /// The commitments of counts whose openings are at hand (the declaring party's own),
    /// checked directly: every count must fit in `bits`.
    pub fn from_openings(openings: &Openings, bits: u8) -> Result<VerifiedCounts, EscrowError> {
        let (width, total) = openings.shape()?;
        if let Some(i) = openings
            .counts
            .iter()
            .position(|&c| bits < 64 && c >> bits != 0)
        {
            return Err(EscrowError::decl(
                format!("entry {i}"),
                format!("count {} does not fit in {bits} bits", openings.counts[i]),
            ));
        }
        Ok(VerifiedCounts {
            categories: openings.categories.clone(),
            sites: (total / width) as u64,
            bits,
            points: openings
                .counts
                .par_iter()
                .zip(&openings.blindings)
                .map(|(&v, r)| pedersen_commit(v, r))
                .collect(),
        })
    }

    /// The categories, in entry order within a site.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// How many sites.
    pub fn sites(&self) -> u64 {
        self.sites
    }

    /// The bit width each count was proven to fit in.
    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// Every entry's commitment, in entry order.
    pub fn points(&self) -> &[RistrettoPoint] {
        &self.points
    }
}

fn batch_ranges(total: usize, batch: usize) -> Vec<(usize, usize)> {
    (0..total.div_ceil(batch))
        .map(|b| (b * batch, ((b + 1) * batch).min(total)))
        .collect()
}

/// Commits to every count and makes the batched range proofs (in parallel with rayon). Each
/// batch's proof draws from a ChaCha20 generator seeded from `rng` in batch order, so the same
/// `rng` gives the same proofs however the batches are scheduled.
pub fn commit_counts(
    openings: &Openings,
    bits: u8,
    batch: usize,
    ctx: &RangeContext,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<CountCommitments, EscrowError> {
    check_params(bits, batch)?;
    let (width, total) = openings.shape()?;
    if bits < 64
        && let Some(i) = openings.counts.iter().position(|&c| c >> bits != 0)
    {
        return Err(EscrowError::decl(
            format!("entry {i}"),
            format!("count {} does not fit in {bits} bits", openings.counts[i]),
        ));
    }
    let batches: Vec<((usize, usize), [u8; 32])> = batch_ranges(total, batch)
        .into_iter()
        .map(|r| {
            let mut seed = [0u8; 32];
            rng.fill_bytes(&mut seed);
            (r, seed)
        })
        .collect();
    let proven: Vec<(String, Vec<CompressedRistretto>)> = batches
        .into_par_iter()
        .enumerate()
        .map(|(b, ((first, end), seed))| {
            let mut rng = ChaCha20Rng::from_seed(seed);
            let m = (end - first).next_power_of_two();
            let mut values = openings.counts[first..end].to_vec();
            let mut blindings = openings.blindings[first..end].to_vec();
            values.resize(m, 0);
            blindings.resize(m, Scalar::ZERO);
            let layout = (&openings.categories[..], (total / width) as u64);
            let mut t = ctx.transcript(layout, bits, b, first, end - first);
            let proven = prove_range(&mut t, &values, &blindings, usize::from(bits), &mut rng);
            values.zeroize();
            blindings.zeroize();
            let (proof, mut points) = proven?;
            points.truncate(end - first);
            Ok((B64.encode(proof.to_bytes()), points))
        })
        .collect::<Result<_, EscrowError>>()?;
    let mut commitments = Vec::with_capacity(total);
    let mut range_proofs = Vec::with_capacity(proven.len());
    for (proof, points) in proven {
        range_proofs.push(proof);
        commitments.extend(points.iter().map(|p| hex::encode(p.as_bytes())));
    }
    Ok(CountCommitments {
        version: COUNTS_VERSION,
        bits,
        batch: batch as u32,
        categories: openings.categories.clone(),
        sites: (total / width) as u64,
        commitments,
        range_proofs,
    })
}

fn check_params(bits: u8, batch: usize) -> Result<(), EscrowError> {
    if !SUPPORTED_BITS.contains(&bits) {
        return Err(EscrowError::decl(
            "bits",
            format!("{bits} is not a supported bit width (8, 16, 32 or 64)"),
        ));
    }
    if !batch.is_power_of_two() || batch > 4096 {
        return Err(EscrowError::decl(
            "batch",
            format!("{batch} must be a power of two no larger than 4096"),
        ));
    }
    Ok(())
}

pub(crate) fn decode_point(what: &str, hex_text: &str) -> Result<RistrettoPoint, EscrowError> {
    let bytes: [u8; 32] = hex::decode(hex_text)
        .map_err(|e| EscrowError::decode(what, e))?
        .try_into()
        .map_err(|_| EscrowError::decode(what, "a commitment is 32 bytes"))?;
    CompressedRistretto(bytes)
        .decompress()
        .ok_or_else(|| EscrowError::decode(what, "not a valid Ristretto point"))
}

impl CountCommitments {
    /// Encodes as the `counts` field of a `DeclarationCommitment` record: base64 of compact JSON.
    pub fn encode(&self) -> String {
        B64.encode(serde_json::to_vec(self).expect("count commitments serialise"))
    }

    /// Decodes the `counts` field of a `DeclarationCommitment` record and checks its shape:
    /// version, bit width, batch, distinct categories, one commitment per entry and one range
    /// proof per batch. Nothing later indexes past what this accepts.
    pub fn decode(text: &str) -> Result<Self, EscrowError> {
        let bytes = B64
            .decode(text.trim())
            .map_err(|e| EscrowError::decode("counts (base64)", e))?;
        let c: CountCommitments =
            serde_json::from_slice(&bytes).map_err(|e| EscrowError::decode("counts (JSON)", e))?;
        c.check_shape()?;
        Ok(c)
    }

    /// Checks the lengths and parameters that every later step relies on.
    pub fn check_shape(&self) -> Result<(), EscrowError> {
        if self.version != COUNTS_VERSION {
            return Err(EscrowError::decode(
                "counts.version",
                format!(
                    "unsupported version {} (this is version {COUNTS_VERSION})",
                    self.version
                ),
            ));
        }
        check_params(self.bits, self.batch as usize)
            .map_err(|e| EscrowError::decode("counts", e))?;
        let width = self.categories.len();
        if width == 0 {
            return Err(EscrowError::decode("counts.categories", "no category"));
        }
        for (i, c) in self.categories.iter().enumerate() {
            if self.categories[..i].contains(c) {
                return Err(EscrowError::decode(
                    format!("counts.categories[{i}]"),
                    format!("category {c} is listed twice"),
                ));
            }
        }
        let total = (width as u64).checked_mul(self.sites).ok_or_else(|| {
            EscrowError::decode("counts.sites", format!("{} sites is too many", self.sites))
        })?;
        if self.sites == 0 || self.commitments.len() as u64 != total {
            return Err(EscrowError::decode(
                "counts.commitments",
                format!(
                    "{} commitments for {} sites x {width} categories",
                    self.commitments.len(),
                    self.sites
                ),
            ));
        }
        let batches = self.commitments.len().div_ceil(self.batch as usize);
        if self.range_proofs.len() != batches {
            return Err(EscrowError::decode(
                "counts.range_proofs",
                format!(
                    "{} range proofs for {batches} batches",
                    self.range_proofs.len()
                ),
            ));
        }
        Ok(())
    }

    /// Total size in bytes of the range proofs.
    pub fn proof_bytes(&self) -> usize {
        self.range_proofs
            .iter()
            .map(|p| B64.decode(p).map(|b| b.len()).unwrap_or(0))
            .sum()
    }

    /// Checks shapes and every batch's range proof (in parallel), and returns the points.
    pub fn verify(&self, ctx: &RangeContext) -> Result<VerifiedCounts, EscrowError> {
        self.check_shape()?;
        let batch = self.batch as usize;
        let ranges = batch_ranges(self.commitments.len(), batch);
        let compressed: Vec<CompressedRistretto> = self
            .commitments
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let bytes: [u8; 32] = hex::decode(h)
                    .ok()
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| {
                        EscrowError::decode(format!("counts.commitments[{i}]"), "not 32 bytes hex")
                    })?;
                Ok(CompressedRistretto(bytes))
            })
            .collect::<Result<_, EscrowError>>()?;
        let pc = PedersenGens::default();
        let gens = bp_gens(usize::from(self.bits), batch);
        ranges
            .par_iter()
            .enumerate()
            .try_for_each(|(b, &(first, end))| {
                let fail = |reason: String| EscrowError::CountRange {
                    batch: b,
                    first,
                    end,
                    reason,
                };
                let bytes = B64
                    .decode(&self.range_proofs[b])
                    .map_err(|e| fail(format!("base64: {e}")))?;
                let proof = RangeProof::from_bytes(&bytes).map_err(|e| fail(e.to_string()))?;
                let m = (end - first).next_power_of_two();
                let mut vs = compressed[first..end].to_vec();
                vs.resize(m, RistrettoPoint::default().compress());
                let layout = (&self.categories[..], self.sites);
                let mut t = ctx.transcript(layout, self.bits, b, first, end - first);
                proof
                    .verify_multiple(&gens, &pc, &mut t, &vs, usize::from(self.bits))
                    .map_err(|e| fail(e.to_string()))
            })?;
        let points = compressed
            .par_iter()
            .enumerate()
            .map(|(i, c)| {
                c.decompress().ok_or_else(|| {
                    EscrowError::decode(format!("counts.commitments[{i}]"), "not a Ristretto point")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(VerifiedCounts {
            categories: self.categories.clone(),
            sites: self.sites,
            bits: self.bits,
            points,
        })
    }
}
