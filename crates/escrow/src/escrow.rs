//! The Merkle escrow: commit a whole declaration under one root, reveal it site by site.
//!
//! Every (site, category) pair is one entry. An entry holds no plain count: it holds the
//! Pedersen commitment to its count, the same one published for the limit proofs, so the escrow
//! and the proofs stand on one count. Its leaf in the RFC 6962 tree is
//! `SHA-256(0x00 ‖ salt_digest ‖ entry_digest)` where
//! `salt_digest = SHA-256("accord-escrow-salt-v1" ‖ 0x00 ‖ salt)` and
//! `entry_digest = SHA-256("accord-escrow-entry-v2" ‖ 0x00 ‖ salt ‖ bytes(entry))`, with a fresh
//! 32-byte random salt per entry. Splitting the leaf in two digests lets a verifier say whether a
//! failed reveal has a wrong salt or a tampered entry. Sites are laid out in a random order, each
//! site's categories contiguous and in the declaration's category order. `bytes(entry)` is
//! the length-prefixed encoding of [`entry_bytes`].

use std::collections::{BTreeMap, BTreeSet};

use accord_log_core::{InclusionProof, MerkleTree, verify_inclusion_hash};
use accord_model::{AgreementId, Category, Date, DeclarationCommitment, PartyId, RecordId, SiteId};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use curve25519_dalek::scalar::Scalar;
use rand::seq::SliceRandom;
use rand::{CryptoRng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tlog_tiles::{Hash, record_hash};
use zeroize::Zeroize;

use crate::counts::{CountCommitments, Openings, RangeContext, commit_counts, pedersen_commit};
use crate::error::{EscrowError, RevealErrorKind};
use crate::selection::Selection;

/// The default bit width of a count's range proof.
pub const DEFAULT_BITS: u8 = 16;
/// The default number of counts per aggregated range proof.
pub const DEFAULT_BATCH: usize = 128;
/// The phase of a site that names none.
pub const DEFAULT_PHASE: &str = "1";

fn default_bits() -> u8 {
    DEFAULT_BITS
}
fn default_batch() -> usize {
    DEFAULT_BATCH
}
fn default_phase() -> String {
    DEFAULT_PHASE.to_owned()
}

/// A declaration as a party writes it by hand (JSON), before it goes into escrow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclarationInput {
    /// The declaring party.
    pub party: PartyId,
    /// The agreement the declaration is made under.
    pub agreement: AgreementId,
    /// The date the figures hold for.
    pub as_of: Date,
    /// Bit width of each count's range proof: 8, 16, 32 or 64 (default 16).
    #[serde(default = "default_bits")]
    pub bits: u8,
    /// Counts per aggregated range proof, a power of two (default 128).
    #[serde(default = "default_batch")]
    pub batch: usize,
    /// The categories, in order; when empty, every category any site names, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// The sites.
    pub sites: Vec<SiteInput>,
}

/// One declared site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    /// The site.
    pub site: SiteId,
    /// The phase of the agreement's schedule in which the site is revealed (default "1").
    #[serde(default = "default_phase")]
    pub phase: String,
    /// Counts by category; a category not named counts zero.
    pub counts: BTreeMap<Category, u64>,
    /// Unique identifiers of the items, by category (optional; as many as the count).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub items: BTreeMap<Category, Vec<String>>,
}

/// One (site, category) count as declared, before it is committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredCount {
    /// The site.
    pub site: SiteId,
    /// The phase in which the site is revealed.
    pub phase: String,
    /// What is counted.
    pub category: Category,
    /// How many.
    pub count: u64,
    /// Unique identifiers of the items, when declared.
    pub items: Vec<String>,
}

/// One escrowed entry: one category at one site, its count held as a Pedersen commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The site.
    pub site: SiteId,
    /// The phase in which the site is revealed.
    pub phase: String,
    /// What is counted.
    pub category: Category,
    /// Hex of the compressed Pedersen commitment to the count (the one published at the
    /// entry's index).
    pub commitment: String,
    /// Unique identifiers of the items, when declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

fn salt_digest(salt: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"accord-escrow-salt-v1\0");
    h.update(salt);
    h.finalize().into()
}

fn put(out: &mut Vec<u8>, field: &[u8]) {
    out.extend_from_slice(&(field.len() as u32).to_be_bytes());
    out.extend_from_slice(field);
}

/// The canonical bytes of an entry: site, phase and category each length-prefixed (u32
/// big-endian, UTF-8), the commitment's 32 bytes as published (hex-decoded when it is valid
/// hex of 32 bytes, else its text length-prefixed, which no valid commitment matches), then
/// the number of items (u32 big-endian) and each item length-prefixed.
pub(crate) fn entry_bytes(entry: &Entry) -> Vec<u8> {
    let mut out = Vec::with_capacity(96);
    put(&mut out, entry.site.as_str().as_bytes());
    put(&mut out, entry.phase.as_bytes());
    put(&mut out, entry.category.as_str().as_bytes());
    match decode32("commitment", &entry.commitment) {
        Ok(bytes) => out.extend_from_slice(&bytes),
        Err(_) => put(&mut out, entry.commitment.as_bytes()),
    }
    out.extend_from_slice(&(entry.items.len() as u32).to_be_bytes());
    for item in &entry.items {
        put(&mut out, item.as_bytes());
    }
    out
}

fn entry_digest(salt: &[u8; 32], entry: &Entry) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"accord-escrow-entry-v2\0");
    h.update(salt);
    h.update(entry_bytes(entry));
    h.finalize().into()
}

fn leaf_hash(salt_digest: &[u8; 32], entry_digest: &[u8; 32]) -> Hash {
    let mut data = [0u8; 64];
    data[..32].copy_from_slice(salt_digest);
    data[32..].copy_from_slice(entry_digest);
    record_hash(&data)
}

/// The salt digest and entry digest whose concatenation is a leaf.
type LeafDigests = ([u8; 32], [u8; 32]);

/// One entry as the declaring party keeps it: with its count, its salt and its Pedersen
/// blinding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretEntry {
    /// The entry.
    pub entry: Entry,
    /// The count its commitment opens to.
    pub count: u64,
    /// The 32-byte salt (hex in JSON).
    #[serde(with = "hex32")]
    pub salt: [u8; 32],
    /// The Pedersen blinding scalar, canonical little-endian bytes (hex in JSON).
    #[serde(with = "hex32")]
    pub blinding: [u8; 32],
}

/// Serde of 32-byte arrays as hex strings.
mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        let bytes = hex::decode(&text).map_err(serde::de::Error::custom)?;
        bytes
            .try_into()
            .map_err(|_| serde::de::Error::custom("expected 32 bytes (64 hex digits)"))
    }
}

/// The format version of the secret file, of reveals and of entries.
pub const ESCROW_VERSION: u32 = 2;

/// Everything the declaring party must keep to reveal entries and prove limits later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscrowSecret {
    /// Format version, 2.
    pub version: u32,
    /// The declaring party.
    pub party: PartyId,
    /// The agreement.
    pub agreement: AgreementId,
    /// The date the figures hold for.
    pub as_of: Date,
    /// Bit width of each count's range proof.
    pub bits: u8,
    /// Counts per aggregated range proof.
    pub batch: u32,
    /// The categories, in entry order within a site.
    pub categories: Vec<Category>,
    /// How many sites.
    pub sites: u64,
    /// Hex of the Merkle root.
    pub root: String,
    /// Every entry in leaf order.
    pub entries: Vec<SecretEntry>,
}

/// Which sites a reveal covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevealSelection {
    /// The named sites.
    Sites(Vec<SiteId>),
    /// The sites at these positions in the committed order (as fair selection draws them).
    Positions(Vec<u64>),
    /// Every site of this phase.
    Phase(String),
}

/// One revealed entry with everything needed to check it against the root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevealedEntry {
    /// The leaf index.
    pub index: u64,
    /// The entry.
    pub entry: Entry,
    /// The count the entry's commitment opens to.
    pub count: u64,
    /// Hex of the salt.
    pub salt: String,
    /// Hex of the salt digest committed in the leaf.
    pub salt_digest: String,
    /// Hex of the entry digest committed in the leaf.
    pub entry_digest: String,
    /// Hex of the Pedersen blinding, which opens the count's commitment.
    pub blinding: String,
    /// Hex hashes of the RFC 6962 inclusion proof.
    pub proof: Vec<String>,
}

/// The content of a `Reveal` record: entries with their proofs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevealBundle {
    /// Format version, 2.
    pub version: u32,
    /// Hex of the root revealed against.
    pub root: String,
    /// How many leaves the tree has.
    pub size: u64,
    /// The entries.
    pub entries: Vec<RevealedEntry>,
}

impl RevealBundle {
    /// Encodes as the `entries` field of a `Reveal` record: base64 of compact JSON.
    pub fn encode(&self) -> String {
        B64.encode(serde_json::to_vec(self).expect("reveals serialise"))
    }

    /// Decodes the `entries` field of a `Reveal` record.
    pub fn decode(text: &str) -> Result<Self, EscrowError> {
        let bytes = B64
            .decode(text.trim())
            .map_err(|e| EscrowError::decode("reveal entries (base64)", e))?;
        let b: RevealBundle = serde_json::from_slice(&bytes)
            .map_err(|e| EscrowError::decode("reveal entries (JSON)", e))?;
        if b.version != ESCROW_VERSION {
            return Err(EscrowError::decode(
                "reveal entries",
                format!(
                    "unsupported version {} (this is version {ESCROW_VERSION})",
                    b.version
                ),
            ));
        }
        Ok(b)
    }

    /// The distinct sites in the bundle, in order of appearance.
    pub fn sites(&self) -> Vec<SiteId> {
        let mut seen = BTreeSet::new();
        self.entries
            .iter()
            .filter(|e| seen.insert(e.entry.site.clone()))
            .map(|e| e.entry.site.clone())
            .collect()
    }
}

impl DeclarationInput {
    /// Parses a declaration from JSON text, naming the line and column of any error.
    pub fn from_json(text: &str) -> Result<Self, EscrowError> {
        serde_json::from_str(text).map_err(|e| EscrowError::decode("declaration", e))
    }

    /// The category order: as given, or every category any site names, sorted.
    fn category_order(&self) -> Result<Vec<Category>, EscrowError> {
        if self.categories.is_empty() {
            let all: BTreeSet<&Category> = self
                .sites
                .iter()
                .flat_map(|s| s.counts.keys().chain(s.items.keys()))
                .collect();
            return Ok(all.into_iter().cloned().collect());
        }
        let mut seen = BTreeSet::new();
        for (i, c) in self.categories.iter().enumerate() {
            if !seen.insert(c) {
                return Err(EscrowError::decl(
                    format!("categories[{i}]"),
                    format!("category {c} is listed twice"),
                ));
            }
        }
        Ok(self.categories.clone())
    }

    /// Checks the declaration and lays it out as entries, site by site, in input order.
    pub fn entries(&self) -> Result<(Vec<Category>, Vec<DeclaredCount>), EscrowError> {
        let categories = self.category_order()?;
        if categories.is_empty() {
            return Err(EscrowError::decl("categories", "no category is declared"));
        }
        if self.sites.is_empty() {
            return Err(EscrowError::decl("sites", "no site is declared"));
        }
        let known: BTreeSet<&Category> = categories.iter().collect();
        let mut seen = BTreeSet::new();
        let mut entries = Vec::with_capacity(self.sites.len() * categories.len());
        for (i, s) in self.sites.iter().enumerate() {
            let at = |f: &str| format!("sites[{i}] ({}).{f}", s.site);
            if !seen.insert(&s.site) {
                return Err(EscrowError::decl(
                    at("site"),
                    format!("site {} is declared twice", s.site),
                ));
            }
            if s.phase.is_empty() {
                return Err(EscrowError::decl(at("phase"), "phase must not be empty"));
            }
            for c in s.counts.keys().chain(s.items.keys()) {
                if !known.contains(c) {
                    return Err(EscrowError::decl(
                        at(&format!("counts.{c}")),
                        format!("category {c} is not among the declared categories"),
                    ));
                }
            }
            for (c, ids) in &s.items {
                let count = s.counts.get(c).copied().unwrap_or(0);
                if ids.len() as u64 != count {
                    return Err(EscrowError::decl(
                        at(&format!("items.{c}")),
                        format!("{} identifiers for a count of {count}", ids.len()),
                    ));
                }
                let distinct: BTreeSet<&String> = ids.iter().collect();
                if distinct.len() != ids.len() {
                    return Err(EscrowError::decl(
                        at(&format!("items.{c}")),
                        "item identifiers must be unique",
                    ));
                }
            }
            for c in &categories {
                entries.push(DeclaredCount {
                    site: s.site.clone(),
                    phase: s.phase.clone(),
                    category: c.clone(),
                    count: s.counts.get(c).copied().unwrap_or(0),
                    items: s.items.get(c).cloned().unwrap_or_default(),
                });
            }
        }
        Ok((categories, entries))
    }
}

/// Commits the Merkle escrow of a declaration (no Pedersen range proofs yet): random site
/// order, fresh salts and blindings from `rng`, the root. The result stays with the declaring
/// party.
pub fn commit_escrow(
    input: &DeclarationInput,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<EscrowSecret, EscrowError> {
    if !crate::SUPPORTED_BITS.contains(&input.bits) {
        return Err(EscrowError::decl(
            "bits",
            format!(
                "{} is not a supported bit width (8, 16, 32 or 64)",
                input.bits
            ),
        ));
    }
    let (categories, entries) = input.entries()?;
    if input.bits < 64
        && let Some(e) = entries.iter().find(|e| e.count >> input.bits != 0)
    {
        return Err(EscrowError::decl(
            format!("sites ({}).counts.{}", e.site, e.category),
            format!("count {} does not fit in {} bits", e.count, input.bits),
        ));
    }
    // Shuffle whole sites so that the layout says nothing about names or input order.
    let width = categories.len();
    let mut sites: Vec<Vec<DeclaredCount>> = Vec::with_capacity(entries.len() / width);
    let mut rest = entries.into_iter();
    loop {
        let site: Vec<DeclaredCount> = rest.by_ref().take(width).collect();
        if site.is_empty() {
            break;
        }
        sites.push(site);
    }
    sites.shuffle(rng);
    let shuffled: Vec<DeclaredCount> = sites.into_iter().flatten().collect();
    build_secret(input, categories, shuffled, rng)
}

/// Entries salted and blinded by one generator seeded from the caller's, in parallel.
const SALT_CHUNK: usize = 1024;

/// Salts, blinds, commits and roots entries already in leaf order; checks nothing about their
/// content. Each chunk of [`SALT_CHUNK`] entries draws from a ChaCha20 generator seeded from
/// `rng` in order, so the same `rng` gives the same secret however the chunks are scheduled.
pub(crate) fn build_secret(
    input: &DeclarationInput,
    categories: Vec<Category>,
    entries: Vec<DeclaredCount>,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<EscrowSecret, EscrowError> {
    if !input.batch.is_power_of_two() || input.batch > 4096 {
        return Err(EscrowError::decl(
            "batch",
            format!("{} must be a power of two no larger than 4096", input.batch),
        ));
    }
    let sites = (entries.len() / categories.len()) as u64;
    let mut chunks: Vec<(Vec<DeclaredCount>, [u8; 32])> = Vec::new();
    let mut rest = entries.into_iter().peekable();
    while rest.peek().is_some() {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        chunks.push((rest.by_ref().take(SALT_CHUNK).collect(), seed));
    }
    let done: Vec<(SecretEntry, Hash)> = chunks
        .into_par_iter()
        .flat_map_iter(|(chunk, seed)| {
            let mut rng = ChaCha20Rng::from_seed(seed);
            chunk.into_iter().map(move |d| salt_entry(d, &mut rng))
        })
        .collect();
    let (entries, leaves): (Vec<SecretEntry>, Vec<Hash>) = done.into_iter().unzip();
    let root = MerkleTree::from_leaf_hashes(&leaves).root();
    Ok(EscrowSecret {
        version: ESCROW_VERSION,
        party: input.party.clone(),
        agreement: input.agreement.clone(),
        as_of: input.as_of,
        bits: input.bits,
        batch: input.batch as u32,
        categories,
        sites,
        root: hex::encode(root.0),
        entries,
    })
}

/// One entry salted and blinded from `rng`: the secret entry and its leaf hash.
fn salt_entry(d: DeclaredCount, rng: &mut ChaCha20Rng) -> (SecretEntry, Hash) {
    let mut salt = [0u8; 32];
    rng.fill_bytes(&mut salt);
    let mut blinding = Scalar::random(rng);
    let commitment = pedersen_commit(d.count, &blinding).compress();
    let entry = Entry {
        site: d.site,
        phase: d.phase,
        category: d.category,
        commitment: hex::encode(commitment.as_bytes()),
        items: d.items,
    };
    let leaf = leaf_hash(&salt_digest(&salt), &entry_digest(&salt, &entry));
    let secret = SecretEntry {
        entry,
        count: d.count,
        salt,
        blinding: blinding.to_bytes(),
    };
    blinding.zeroize();
    (secret, leaf)
}

/// Commits a whole declaration: the Merkle escrow, then every count's Pedersen commitment and
/// batched range proofs, all randomness drawn from `rng`.
pub fn commit(
    input: &DeclarationInput,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(EscrowSecret, CountCommitments), EscrowError> {
    let secret = commit_escrow(input, rng)?;
    let counts = commit_counts(
        &secret.openings()?,
        secret.bits,
        secret.batch as usize,
        &secret.range_context()?,
        rng,
    )?;
    Ok((secret, counts))
}

pub(crate) fn decode32(what: impl Into<String>, text: &str) -> Result<[u8; 32], EscrowError> {
    let what = what.into();
    hex::decode(text)
        .map_err(|e| EscrowError::decode(what.clone(), e))?
        .try_into()
        .map_err(|_| EscrowError::decode(what, "expected 32 bytes (64 hex digits)"))
}

pub(crate) fn decode_scalar(what: impl Into<String>, text: &str) -> Result<Scalar, EscrowError> {
    let what = what.into();
    let bytes = decode32(what.clone(), text)?;
    Option::from(Scalar::from_canonical_bytes(bytes))
        .ok_or_else(|| EscrowError::decode(what, "not a canonical scalar"))
}

impl EscrowSecret {
    /// Parses a secret file's JSON.
    pub fn from_json(text: &str) -> Result<Self, EscrowError> {
        let s: EscrowSecret =
            serde_json::from_str(text).map_err(|e| EscrowError::decode("escrow secret", e))?;
        if s.version != ESCROW_VERSION {
            return Err(EscrowError::decode(
                "escrow secret",
                format!(
                    "unsupported version {} (this is version {ESCROW_VERSION})",
                    s.version
                ),
            ));
        }
        if s.categories.is_empty() || s.entries.len() as u64 != s.sites * s.categories.len() as u64
        {
            return Err(EscrowError::decode(
                "escrow secret",
                "entries do not fill sites x categories",
            ));
        }
        Ok(s)
    }

    /// The root as bytes.
    pub fn root_bytes(&self) -> Result<[u8; 32], EscrowError> {
        decode32("escrow secret.root", &self.root)
    }

    /// What the count range proofs are bound to.
    pub fn range_context(&self) -> Result<RangeContext, EscrowError> {
        Ok(RangeContext {
            agreement: self.agreement.clone(),
            party: self.party.clone(),
            as_of: self.as_of,
            root: self.root_bytes()?,
        })
    }

    /// The counts and blindings behind the Pedersen commitments.
    pub fn openings(&self) -> Result<Openings, EscrowError> {
        let blindings = self
            .entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| {
                Option::from(Scalar::from_canonical_bytes(e.blinding)).ok_or_else(|| {
                    EscrowError::decode(
                        format!("escrow secret.entries[{i}].blinding"),
                        "not a canonical scalar",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Openings {
            categories: self.categories.clone(),
            counts: self.entries.iter().map(|e| e.count).collect(),
            blindings,
        })
    }

    /// The body of the `DeclarationCommitment` record that publishes the root and the counts.
    pub fn commitment_body(&self, counts: &CountCommitments) -> DeclarationCommitment {
        DeclarationCommitment {
            agreement: self.agreement.clone(),
            as_of: self.as_of,
            root: self.root.clone(),
            entries: self.entries.len() as u64,
            counts: counts.encode(),
        }
    }

    fn digests(&self) -> Vec<LeafDigests> {
        self.entries
            .par_iter()
            .map(|e| (salt_digest(&e.salt), entry_digest(&e.salt, &e.entry)))
            .collect()
    }

    /// Reveals the selected sites: every category of each, with salts, blindings and proofs.
    pub fn reveal(&self, selection: &RevealSelection) -> Result<RevealBundle, EscrowError> {
        let width = self.categories.len();
        let positions: Vec<u64> = match selection {
            RevealSelection::Positions(p) => {
                for &pos in p {
                    if pos >= self.sites {
                        return Err(EscrowError::decl(
                            "position",
                            format!("position {pos} is past the last site ({})", self.sites),
                        ));
                    }
                }
                p.clone()
            }
            RevealSelection::Sites(names) => names
                .iter()
                .map(|n| {
                    self.entries
                        .iter()
                        .position(|e| &e.entry.site == n)
                        .map(|i| (i / width) as u64)
                        .ok_or_else(|| {
                            EscrowError::decl("site", format!("site {n} is not in the declaration"))
                        })
                })
                .collect::<Result<_, _>>()?,
            RevealSelection::Phase(phase) => {
                let p: Vec<u64> = (0..self.sites)
                    .filter(|&s| &self.entries[s as usize * width].entry.phase == phase)
                    .collect();
                if p.is_empty() {
                    return Err(EscrowError::decl(
                        "phase",
                        format!("no site is in phase {phase:?}"),
                    ));
                }
                p
            }
        };
        let digests = self.digests();
        let leaves: Vec<Hash> = digests.iter().map(|(s, e)| leaf_hash(s, e)).collect();
        let tree = MerkleTree::from_leaf_hashes(&leaves);
        if hex::encode(tree.root().0) != self.root {
            return Err(EscrowError::decode(
                "escrow secret",
                "the entries no longer hash to the recorded root",
            ));
        }
        let mut seen = BTreeSet::new();
        let mut entries = Vec::new();
        for pos in positions {
            if !seen.insert(pos) {
                continue;
            }
            let block = pos as usize * width..(pos as usize + 1) * width;
            for (i, e) in block.clone().zip(&self.entries[block]) {
                entries.push(RevealedEntry {
                    index: i as u64,
                    entry: e.entry.clone(),
                    count: e.count,
                    salt: hex::encode(e.salt),
                    salt_digest: hex::encode(digests[i].0),
                    entry_digest: hex::encode(digests[i].1),
                    blinding: hex::encode(e.blinding),
                    proof: tree
                        .prove_inclusion(i as u64, tree.size())
                        .expect("every committed position is in the tree")
                        .hashes
                        .iter()
                        .map(|h| hex::encode(h.0))
                        .collect(),
                });
            }
        }
        Ok(RevealBundle {
            version: ESCROW_VERSION,
            root: self.root.clone(),
            size: self.entries.len() as u64,
            entries,
        })
    }
}

/// A site whose entries have been verified against the root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevealedSite {
    /// The site.
    pub site: SiteId,
    /// Its position in the committed order.
    pub position: u64,
    /// Its phase.
    pub phase: String,
    /// Counts by category.
    pub counts: BTreeMap<Category, u64>,
    /// Item identifiers by category, where declared.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub items: BTreeMap<Category, Vec<String>>,
    /// Labels (record ids or file names) of the reveals that showed it.
    pub revealed_by: Vec<String>,
}

/// Checks reveals against a published commitment and accumulates the sites they show.
#[derive(Debug)]
pub struct RevealVerifier {
    root: Hash,
    size: u64,
    counts: CountCommitments,
    sites: BTreeMap<SiteId, RevealedSite>,
}

fn reveal_err(kind: RevealErrorKind, e: &RevealedEntry, detail: impl Into<String>) -> EscrowError {
    EscrowError::Reveal {
        kind,
        index: e.index,
        site: Some(e.entry.site.clone()),
        detail: detail.into(),
    }
}

impl RevealVerifier {
    /// Starts from a published commitment (its root and its count commitments).
    pub fn new(commitment: &DeclarationCommitment) -> Result<Self, EscrowError> {
        let root = Hash(decode32("commitment root", &commitment.root)?);
        let counts = CountCommitments::decode(&commitment.counts)?;
        let width = counts.categories.len() as u64;
        if counts.sites * width != commitment.entries {
            return Err(EscrowError::decode(
                "commitment",
                format!(
                    "{} entries but the counts cover {} sites x {width} categories",
                    commitment.entries, counts.sites
                ),
            ));
        }
        Ok(RevealVerifier {
            root,
            size: commitment.entries,
            counts,
            sites: BTreeMap::new(),
        })
    }

    /// The sites verified so far.
    pub fn sites(&self) -> &BTreeMap<SiteId, RevealedSite> {
        &self.sites
    }

    /// The published count commitments.
    pub fn counts(&self) -> &CountCommitments {
        &self.counts
    }

    /// Checks that the sites verified so far are exactly the positions `selection` drew from
    /// this commitment (whose record id is `commitment`): none missing and none other.
    pub fn check_selection(
        &self,
        selection: &Selection,
        commitment: &RecordId,
    ) -> Result<(), EscrowError> {
        let root_hex = hex::encode(self.root.0);
        if &selection.commitment != commitment || !selection.root.eq_ignore_ascii_case(&root_hex) {
            return Err(EscrowError::NotTheSelection(format!(
                "the selection draws from {} (root {}), the reveals are of {commitment} (root \
                 {root_hex})",
                selection.commitment, selection.root
            )));
        }
        let drawn: BTreeSet<u64> = selection.selected.iter().copied().collect();
        let shown: BTreeSet<u64> = self.sites.values().map(|s| s.position).collect();
        let list = |set: Vec<&u64>| {
            set.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let missing: Vec<&u64> = drawn.difference(&shown).collect();
        let other: Vec<&u64> = shown.difference(&drawn).collect();
        if !missing.is_empty() || !other.is_empty() {
            return Err(EscrowError::NotTheSelection(format!(
                "round {} drew positions {}; the reveals show {}{}{}",
                selection.round,
                list(drawn.iter().collect()),
                list(shown.iter().collect()),
                if missing.is_empty() {
                    String::new()
                } else {
                    format!(" (missing {})", list(missing))
                },
                if other.is_empty() {
                    String::new()
                } else {
                    format!(" (not drawn: {})", list(other))
                }
            )));
        }
        Ok(())
    }

    fn check_entry(&self, e: &RevealedEntry) -> Result<(), EscrowError> {
        use RevealErrorKind::*;
        if e.index >= self.size {
            return Err(reveal_err(
                NotUnderRoot,
                e,
                format!("index {} is past the tree's {} leaves", e.index, self.size),
            ));
        }
        let proof = e
            .proof
            .iter()
            .enumerate()
            .map(|(i, h)| decode32(format!("proof[{i}]"), h).map(Hash))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| reveal_err(Malformed, e, err.to_string()))?;
        let sd = decode32("salt_digest", &e.salt_digest)
            .map_err(|err| reveal_err(Malformed, e, err.to_string()))?;
        let ed = decode32("entry_digest", &e.entry_digest)
            .map_err(|err| reveal_err(Malformed, e, err.to_string()))?;
        let proof = InclusionProof {
            index: e.index,
            size: self.size,
            hashes: proof,
        };
        if verify_inclusion_hash(&leaf_hash(&sd, &ed), &proof, &self.root).is_err() {
            return Err(reveal_err(
                NotUnderRoot,
                e,
                "the leaf and its inclusion proof do not lead to the committed root",
            ));
        }
        let salt =
            decode32("salt", &e.salt).map_err(|err| reveal_err(WrongSalt, e, err.to_string()))?;
        if salt_digest(&salt) != sd {
            return Err(reveal_err(
                WrongSalt,
                e,
                "the salt does not hash to the salt digest committed in the leaf",
            ));
        }
        if entry_digest(&salt, &e.entry) != ed {
            return Err(reveal_err(
                TamperedEntry,
                e,
                "the entry differs from the one committed under the root",
            ));
        }
        let width = self.counts.categories.len();
        let expected = &self.counts.categories[e.index as usize % width];
        if &e.entry.category != expected {
            return Err(reveal_err(
                IncompleteSite,
                e,
                format!(
                    "category {} sits where the commitments put {expected}",
                    e.entry.category
                ),
            ));
        }
        let published_hex = &self.counts.commitments[e.index as usize];
        if !e.entry.commitment.eq_ignore_ascii_case(published_hex) {
            return Err(reveal_err(
                WrongCommitment,
                e,
                format!(
                    "the entry holds commitment {}, the record publishes {published_hex} at its index",
                    e.entry.commitment
                ),
            ));
        }
        let blinding = decode_scalar("blinding", &e.blinding)
            .map_err(|err| reveal_err(CountDoesNotOpen, e, err.to_string()))?;
        let published = crate::counts::decode_point("commitment", published_hex)
            .map_err(|err| reveal_err(CountDoesNotOpen, e, err.to_string()))?;
        if pedersen_commit(e.count, &blinding) != published {
            return Err(reveal_err(
                CountDoesNotOpen,
                e,
                format!(
                    "count {} with this blinding does not open the entry's commitment",
                    e.count
                ),
            ));
        }
        Ok(())
    }

    /// Verifies a reveal and records its sites; `label` names it in later conflicts. Nothing is
    /// recorded unless the whole reveal verifies.
    pub fn add(&mut self, bundle: &RevealBundle, label: &str) -> Result<Vec<SiteId>, EscrowError> {
        let root_hex = hex::encode(self.root.0);
        if bundle.root != root_hex || bundle.size != self.size {
            return Err(EscrowError::Reveal {
                kind: RevealErrorKind::NotUnderRoot,
                index: bundle.entries.first().map(|e| e.index).unwrap_or(0),
                site: None,
                detail: format!(
                    "reveal made for root {} of {} leaves, the commitment has root {root_hex} of {}",
                    bundle.root, bundle.size, self.size
                ),
            });
        }
        bundle
            .entries
            .par_iter()
            .try_for_each(|e| self.check_entry(e))?;
        let width = self.counts.categories.len() as u64;
        let mut blocks: BTreeMap<u64, Vec<&RevealedEntry>> = BTreeMap::new();
        for e in &bundle.entries {
            blocks.entry(e.index / width).or_default().push(e);
        }
        let mut new_sites: BTreeMap<SiteId, RevealedSite> = BTreeMap::new();
        for (pos, mut es) in blocks {
            es.sort_by_key(|e| e.index);
            es.dedup_by_key(|e| e.index);
            let first = es[0];
            if es.len() as u64 != width {
                return Err(reveal_err(
                    RevealErrorKind::IncompleteSite,
                    first,
                    format!(
                        "{} of the site's {width} entries are revealed; a site is revealed whole",
                        es.len()
                    ),
                ));
            }
            if let Some(other) = es
                .iter()
                .find(|e| e.entry.site != first.entry.site || e.entry.phase != first.entry.phase)
            {
                return Err(reveal_err(
                    RevealErrorKind::IncompleteSite,
                    other,
                    format!(
                        "entries of one site position name different sites or phases ({} and {})",
                        first.entry.site, other.entry.site
                    ),
                ));
            }
            let site = RevealedSite {
                site: first.entry.site.clone(),
                position: pos,
                phase: first.entry.phase.clone(),
                counts: es
                    .iter()
                    .map(|e| (e.entry.category.clone(), e.count))
                    .collect(),
                items: es
                    .iter()
                    .filter(|e| !e.entry.items.is_empty())
                    .map(|e| (e.entry.category.clone(), e.entry.items.clone()))
                    .collect(),
                revealed_by: vec![label.to_owned()],
            };
            let conflict = self
                .sites
                .get(&site.site)
                .or_else(|| new_sites.get(&site.site));
            if let Some(prev) = conflict
                && (prev.position != site.position
                    || prev.counts != site.counts
                    || prev.items != site.items
                    || prev.phase != site.phase)
            {
                return Err(reveal_err(
                    RevealErrorKind::ConflictingReveal,
                    first,
                    format!(
                        "site {} was revealed by {} at position {} with counts {:?}; \
                             {label} shows position {} with counts {:?}",
                        site.site,
                        prev.revealed_by.join(", "),
                        prev.position,
                        prev.counts,
                        site.position,
                        site.counts
                    ),
                ));
            }
            new_sites.insert(site.site.clone(), site);
        }
        let names: Vec<SiteId> = new_sites.keys().cloned().collect();
        for (name, site) in new_sites {
            match self.sites.get_mut(&name) {
                Some(prev) => {
                    if !prev.revealed_by.iter().any(|l| l == label) {
                        prev.revealed_by.push(label.to_owned());
                    }
                }
                None => {
                    self.sites.insert(name, site);
                }
            }
        }
        Ok(names)
    }
}
