//! Fair random selection of inspection sites from committed seeds, bound to one declaration.
//!
//! A round draws site positions from one escrowed declaration (its `declaration_commitment`
//! record and root). Each side draws a random 32-byte seed and publishes, in a `SeedCommit`
//! record, the digest
//!
//! ```text
//! SHA-256("accord-seed-commit-v2" 0x00 ‖ round 0x00 ‖ party 0x00 ‖ commitment id 0x00 ‖ root ‖ seed)
//! ```
//!
//! so a digest cannot be republished by another party, reused in another round or moved to
//! another declaration. Once every commit is in, each side publishes its seed in a `SeedReveal`
//! record; a seed that does not open its digest is rejected. The selection seed is
//!
//! ```text
//! SHA-256("accord-selection-v2" 0x00 ‖ round 0x00 ‖ commitment id 0x00 ‖ root ‖ (party 0x00 ‖ seed)…)
//! ```
//!
//! with the contributions sorted by party, so neither side controls it alone and the same
//! seeds draw differently from another declaration. It seeds ChaCha20
//! (`rand_chacha::ChaCha20Rng`), which drives a partial Fisher–Yates shuffle of the site
//! positions `0..sites` (uniform draws by rejection sampling on 64-bit words), so anyone can
//! reproduce the draw. The order of the records (declaration, then commits, then reveals) is
//! checked by [`crate::order`].

use std::collections::BTreeSet;

use accord_model::{PartyId, RecordId, SeedCommit, SeedReveal};
use rand::{CryptoRng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The format version of a [`Selection`].
pub const SELECTION_VERSION: u32 = 2;

/// What can go wrong in a selection.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    /// A revealed seed does not match its commitment.
    #[error("party {party}: revealed seed does not open its commitment {digest} (round {round})")]
    RevealMismatch {
        /// The party whose reveal fails.
        party: PartyId,
        /// The committed digest.
        digest: String,
        /// The round.
        round: String,
    },
    /// A seed or digest is not well-formed hex of 32 bytes.
    #[error("party {party}: {field} must be 64 hex digits (32 bytes)")]
    Malformed {
        /// The party.
        party: PartyId,
        /// The field.
        field: &'static str,
    },
    /// A commitment or reveal belongs to another round.
    #[error("party {party}: {what} is for round {found:?}, the selection is for round {round:?}")]
    WrongRound {
        /// The party.
        party: PartyId,
        /// Which record.
        what: &'static str,
        /// Its round.
        found: String,
        /// The selection's round.
        round: String,
    },
    /// A seed commitment draws from another declaration than the round's.
    #[error(
        "party {party}: the seed commit draws from {found}, the round from declaration {expected}"
    )]
    WrongDeclaration {
        /// The party.
        party: PartyId,
        /// The declaration (record id and root) the commit names.
        found: String,
        /// The round's declaration.
        expected: String,
    },
    /// Fewer than two parties contributed, one contributed twice, or two digests are equal.
    #[error("a fair selection needs one seed from each of at least two parties: {0}")]
    Contributors(String),
    /// The quota asks for more sites than there are candidates, or a chosen site is unknown.
    #[error("{0}")]
    Quota(String),
}

/// The declaration a round draws from: its record, its escrow root and its number of sites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawSource {
    /// The `declaration_commitment` record.
    pub commitment: RecordId,
    /// Its escrow root.
    pub root: [u8; 32],
    /// How many sites it commits; the candidates are positions `0..sites`.
    pub sites: u64,
}

impl DrawSource {
    fn describe(&self) -> String {
        format!("{} (root {})", self.commitment, hex::encode(self.root))
    }
}

/// One party's part in a selection: its commitment and its reveal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    /// The contributing party (the author of both records).
    pub party: PartyId,
    /// Its seed commitment.
    pub commit: SeedCommit,
    /// Its seed reveal.
    pub reveal: SeedReveal,
}

/// A reproducible selection of site positions to inspect, from one declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// Format version, 2.
    pub version: u32,
    /// The round.
    pub round: String,
    /// The `declaration_commitment` record drawn from.
    pub commitment: RecordId,
    /// Hex of its escrow root.
    pub root: String,
    /// `"random"` (drawn from the seeds) or `"free_choice"` (chosen by the inspecting party).
    pub method: String,
    /// Hex of the combined seed, for random selection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// The parties whose seeds were combined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<PartyId>,
    /// Parties that committed a seed but did not reveal it by the deadline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<PartyId>,
    /// How many were to be selected.
    pub quota: usize,
    /// How many site positions there were.
    pub candidates: u64,
    /// The selected site positions, in draw order.
    pub selected: Vec<u64>,
}

impl Selection {
    /// The selected positions as text, such as `4, 6`.
    pub fn positions(&self) -> String {
        self.selected
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A fresh random seed drawn from `rng` (the operating system's generator, outside tests).
pub fn new_seed(rng: &mut (impl RngCore + CryptoRng)) -> [u8; 32] {
    let mut s = [0u8; 32];
    rng.fill_bytes(&mut s);
    s
}

/// The hex digest that commits `party` to `seed` in `round`, drawing from `source`.
pub fn seed_digest(round: &str, party: &PartyId, source: &DrawSource, seed: &[u8; 32]) -> String {
    let mut h = Sha256::new();
    h.update(b"accord-seed-commit-v2\0");
    h.update(round.as_bytes());
    h.update([0]);
    h.update(party.as_str().as_bytes());
    h.update([0]);
    h.update(source.commitment.as_str().as_bytes());
    h.update([0]);
    h.update(source.root);
    h.update(seed);
    hex::encode(h.finalize())
}

fn hex32(party: &PartyId, field: &'static str, text: &str) -> Result<[u8; 32], SelectionError> {
    hex::decode(text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(SelectionError::Malformed {
            party: party.clone(),
            field,
        })
}

/// Checks that a seed commit draws from `source` in `round`.
pub fn check_commit(
    round: &str,
    party: &PartyId,
    source: &DrawSource,
    commit: &SeedCommit,
) -> Result<(), SelectionError> {
    if commit.round != round {
        return Err(SelectionError::WrongRound {
            party: party.clone(),
            what: "seed commit",
            found: commit.round.clone(),
            round: round.to_owned(),
        });
    }
    let root = hex32(party, "root", &commit.root)?;
    hex32(party, "digest", &commit.digest)?;
    if commit.commitment != source.commitment || root != source.root {
        return Err(SelectionError::WrongDeclaration {
            party: party.clone(),
            found: format!("{} (root {})", commit.commitment, commit.root),
            expected: source.describe(),
        });
    }
    Ok(())
}

/// Checks a contribution: same round and declaration, well-formed, and the seed opens the
/// commitment. Returns the seed.
pub fn check_contribution(
    round: &str,
    source: &DrawSource,
    c: &Contribution,
) -> Result<[u8; 32], SelectionError> {
    check_commit(round, &c.party, source, &c.commit)?;
    if c.reveal.round != round {
        return Err(SelectionError::WrongRound {
            party: c.party.clone(),
            what: "seed reveal",
            found: c.reveal.round.clone(),
            round: round.to_owned(),
        });
    }
    let seed = hex32(&c.party, "seed", &c.reveal.seed)?;
    if seed_digest(round, &c.party, source, &seed) != c.commit.digest.to_ascii_lowercase() {
        return Err(SelectionError::RevealMismatch {
            party: c.party.clone(),
            digest: c.commit.digest.clone(),
            round: round.to_owned(),
        });
    }
    Ok(seed)
}

/// Combines checked seeds into the selection seed (contributions sorted by party), bound to
/// the round and the declaration.
pub fn combined_seed(round: &str, source: &DrawSource, seeds: &[(PartyId, [u8; 32])]) -> [u8; 32] {
    let mut sorted: Vec<&(PartyId, [u8; 32])> = seeds.iter().collect();
    sorted.sort();
    let mut h = Sha256::new();
    h.update(b"accord-selection-v2\0");
    h.update(round.as_bytes());
    h.update([0]);
    h.update(source.commitment.as_str().as_bytes());
    h.update([0]);
    h.update(source.root);
    for (p, s) in sorted {
        h.update(p.as_str().as_bytes());
        h.update([0]);
        h.update(s);
    }
    h.finalize().into()
}

fn below(rng: &mut ChaCha20Rng, bound: u64) -> u64 {
    let zone = (u64::MAX / bound) * bound;
    loop {
        let x = rng.next_u64();
        if x < zone {
            return x % bound;
        }
    }
}

/// Draws `quota` distinct positions out of `0..candidates`, deterministically from `seed`.
pub fn draw(seed: [u8; 32], candidates: u64, quota: usize) -> Vec<u64> {
    let mut rng = ChaCha20Rng::from_seed(seed);
    let quota = (quota as u64).min(candidates);
    // A partial Fisher-Yates shuffle that only stores the positions it moved.
    let mut moved = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(quota as usize);
    for i in 0..quota {
        let j = i + below(&mut rng, candidates - i);
        let at_j = *moved.get(&j).unwrap_or(&j);
        let at_i = *moved.get(&i).unwrap_or(&i);
        moved.insert(j, at_i);
        out.push(at_j);
    }
    out
}

/// Checks the contributors: at least two parties, each once, no digest twice.
fn check_contributors(contributions: &[Contribution]) -> Result<Vec<PartyId>, SelectionError> {
    let parties: BTreeSet<&PartyId> = contributions.iter().map(|c| &c.party).collect();
    if parties.len() != contributions.len() {
        return Err(SelectionError::Contributors(
            "a party contributed more than once".into(),
        ));
    }
    let digests: BTreeSet<String> = contributions
        .iter()
        .map(|c| c.commit.digest.to_ascii_lowercase())
        .collect();
    if digests.len() != contributions.len() {
        return Err(SelectionError::Contributors(
            "two parties published the same seed digest".into(),
        ));
    }
    Ok(parties.into_iter().cloned().collect())
}

/// Selects `quota` site positions of `source` from every party's seed; anyone with the
/// records gets the same result.
pub fn select(
    round: &str,
    source: &DrawSource,
    contributions: &[Contribution],
    quota: usize,
) -> Result<Selection, SelectionError> {
    let parties = check_contributors(contributions)?;
    if parties.len() < 2 {
        return Err(SelectionError::Contributors(format!(
            "only {} party contributed",
            parties.len()
        )));
    }
    select_from(round, source, contributions, &[], quota)
}

/// Selects from the seeds of the parties that revealed when the others (`withheld`) did not
/// reveal by the deadline and the agreement says the honest seeds alone then decide.
pub fn select_without(
    round: &str,
    source: &DrawSource,
    revealed: &[Contribution],
    withheld: &[PartyId],
    quota: usize,
) -> Result<Selection, SelectionError> {
    if revealed.is_empty() {
        return Err(SelectionError::Contributors(
            "no party revealed its seed".into(),
        ));
    }
    check_contributors(revealed)?;
    select_from(round, source, revealed, withheld, quota)
}

fn select_from(
    round: &str,
    source: &DrawSource,
    contributions: &[Contribution],
    withheld: &[PartyId],
    quota: usize,
) -> Result<Selection, SelectionError> {
    check_quota(source.sites, quota)?;
    let seeds = contributions
        .iter()
        .map(|c| Ok((c.party.clone(), check_contribution(round, source, c)?)))
        .collect::<Result<Vec<_>, SelectionError>>()?;
    let seed = combined_seed(round, source, &seeds);
    let mut contributors: Vec<PartyId> = seeds.into_iter().map(|(p, _)| p).collect();
    contributors.sort();
    Ok(Selection {
        version: SELECTION_VERSION,
        round: round.to_owned(),
        commitment: source.commitment.clone(),
        root: hex::encode(source.root),
        method: "random".into(),
        seed: Some(hex::encode(seed)),
        contributors,
        withheld: withheld.to_vec(),
        quota,
        candidates: source.sites,
        selected: draw(seed, source.sites, quota),
    })
}

fn check_quota(candidates: u64, quota: usize) -> Result<(), SelectionError> {
    if quota == 0 {
        return Err(SelectionError::Quota("the quota must be at least 1".into()));
    }
    if quota as u64 > candidates {
        return Err(SelectionError::Quota(format!(
            "the quota of {quota} exceeds the {candidates} candidate sites"
        )));
    }
    Ok(())
}

/// A free choice by the inspecting party, where the agreement allows it: checks that the chosen
/// positions are in the declaration, distinct, and within the quota.
pub fn free_choice(
    round: &str,
    source: &DrawSource,
    chosen: &[u64],
    quota: usize,
    withheld: &[PartyId],
) -> Result<Selection, SelectionError> {
    check_quota(source.sites, quota)?;
    if chosen.len() > quota {
        return Err(SelectionError::Quota(format!(
            "{} sites chosen, the quota allows {quota}",
            chosen.len()
        )));
    }
    let mut seen = BTreeSet::new();
    for &c in chosen {
        if c >= source.sites {
            return Err(SelectionError::Quota(format!(
                "chosen position {c} is past the declaration's {} sites",
                source.sites
            )));
        }
        if !seen.insert(c) {
            return Err(SelectionError::Quota(format!(
                "position {c} is chosen twice"
            )));
        }
    }
    Ok(Selection {
        version: SELECTION_VERSION,
        round: round.to_owned(),
        commitment: source.commitment.clone(),
        root: hex::encode(source.root),
        method: "free_choice".into(),
        seed: None,
        contributors: Vec::new(),
        withheld: withheld.to_vec(),
        quota,
        candidates: source.sites,
        selected: chosen.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_model::LogReceipt;

    fn p(s: &str) -> PartyId {
        PartyId::new(s).unwrap()
    }

    fn source(n: u64) -> DrawSource {
        DrawSource {
            commitment: RecordId::new("RU-commitment-1").unwrap(),
            root: [0xab; 32],
            sites: n,
        }
    }

    fn receipt() -> LogReceipt {
        LogReceipt {
            checkpoint: String::new(),
            proof: accord_model::ReceiptProof {
                index: 0,
                size: 1,
                hashes: Vec::new(),
            },
        }
    }

    fn contribution(party: &str, round: &str, src: &DrawSource, seed: [u8; 32]) -> Contribution {
        let party = p(party);
        Contribution {
            commit: SeedCommit {
                round: round.to_owned(),
                commitment: src.commitment.clone(),
                root: hex::encode(src.root),
                digest: seed_digest(round, &party, src, &seed),
                declaration: receipt(),
            },
            reveal: SeedReveal {
                round: round.to_owned(),
                commit: RecordId::new(format!("{party}-seed-commit")).unwrap(),
                seed: hex::encode(seed),
                seen: Vec::new(),
            },
            party,
        }
    }

    #[test]
    fn selection_is_reproducible_and_depends_on_both_seeds() {
        let src = source(50);
        let a = contribution("US", "r1", &src, [1; 32]);
        let b = contribution("RU", "r1", &src, [2; 32]);
        let s1 = select("r1", &src, &[a.clone(), b.clone()], 5).unwrap();
        let s2 = select("r1", &src, &[b.clone(), a.clone()], 5).unwrap();
        assert_eq!(s1, s2, "order of contributions must not matter");
        assert_eq!(s1.selected.len(), 5);
        let distinct: BTreeSet<_> = s1.selected.iter().collect();
        assert_eq!(distinct.len(), 5);
        assert!(s1.selected.iter().all(|&x| x < 50));
        // Changing either side's seed changes the draw.
        let b2 = contribution("RU", "r1", &src, [3; 32]);
        let s3 = select("r1", &src, &[a.clone(), b2], 5).unwrap();
        assert_ne!(s1.selected, s3.selected);
        let a2 = contribution("US", "r1", &src, [4; 32]);
        let s4 = select("r1", &src, &[a2, b], 5).unwrap();
        assert_ne!(s1.selected, s4.selected);
    }

    #[test]
    fn the_same_seeds_draw_differently_from_another_declaration() {
        // Against the old scheme, a declaration committed after the draw could put its false
        // entries where the known seeds would not look; now the root is in the seed.
        let src = source(50);
        let mut other = source(50);
        other.root[0] ^= 1;
        let mut renamed = source(50);
        renamed.commitment = RecordId::new("RU-commitment-2").unwrap();
        let draw_from = |s: &DrawSource| {
            let a = contribution("US", "r1", s, [1; 32]);
            let b = contribution("RU", "r1", s, [2; 32]);
            select("r1", s, &[a, b], 5).unwrap()
        };
        let base = draw_from(&src);
        assert_eq!(base.commitment.as_str(), "RU-commitment-1");
        assert_eq!(base.root, "ab".repeat(32));
        assert_ne!(base.selected, draw_from(&other).selected);
        assert_ne!(base.selected, draw_from(&renamed).selected);
        // A commit made for one declaration does not count for another.
        let a = contribution("US", "r1", &other, [1; 32]);
        let b = contribution("RU", "r1", &src, [2; 32]);
        let e = select("r1", &src, &[a, b], 2).unwrap_err();
        assert!(matches!(e, SelectionError::WrongDeclaration { .. }), "{e}");
    }

    #[test]
    fn seed_digests_are_bound_to_party_round_and_declaration() {
        let src = source(10);
        let seed = [7; 32];
        let d = seed_digest("r1", &p("US"), &src, &seed);
        assert_ne!(d, hex::encode(Sha256::digest(seed)), "not a bare hash");
        assert_ne!(d, seed_digest("r1", &p("RU"), &src, &seed));
        assert_ne!(d, seed_digest("r2", &p("US"), &src, &seed));
        let mut other = source(10);
        other.root[31] ^= 1;
        assert_ne!(d, seed_digest("r1", &p("US"), &other, &seed));
        // The bytes are pinned: SHA-256 over the documented layout.
        let mut h = Sha256::new();
        h.update(b"accord-seed-commit-v2\0r1\0US\0RU-commitment-1\0");
        h.update([0xab; 32]);
        h.update(seed);
        assert_eq!(d, hex::encode(h.finalize()));
    }

    #[test]
    fn a_party_republishing_the_other_digest_and_seed_is_refused() {
        let src = source(10);
        let us = contribution("US", "r1", &src, [1; 32]);
        let mut ru = us.clone();
        ru.party = p("RU");
        let e = select("r1", &src, &[us.clone(), ru.clone()], 2).unwrap_err();
        assert!(
            matches!(e, SelectionError::Contributors(ref m) if m.contains("same seed digest")),
            "{e}"
        );
        // Under a digest bound to itself, the copied US seed does not open US's digest for RU.
        ru.commit.digest = seed_digest("r1", &p("RU"), &src, &[9; 32]);
        let e = select("r1", &src, &[us, ru], 2).unwrap_err();
        assert!(
            matches!(e, SelectionError::RevealMismatch { ref party, .. } if party.as_str() == "RU"),
            "{e}"
        );
    }

    #[test]
    fn draw_is_pinned_to_chacha20() {
        // Reproducing the draw by hand: ChaCha20 keyed with the seed, partial Fisher-Yates.
        let seed = [7u8; 32];
        let mut rng = ChaCha20Rng::from_seed(seed);
        let mut idx: Vec<u64> = (0..10).collect();
        for i in 0..3 {
            let bound = (10 - i) as u64;
            let zone = (u64::MAX / bound) * bound;
            let x = loop {
                let x = rng.next_u64();
                if x < zone {
                    break x;
                }
            };
            idx.swap(i, i + (x % bound) as usize);
        }
        assert_eq!(draw(seed, 10, 3), idx[..3].to_vec());
        assert_eq!(draw(seed, 10, 10).len(), 10);
        let all: BTreeSet<u64> = draw(seed, 10, 10).into_iter().collect();
        assert_eq!(all, (0..10).collect());
    }

    #[test]
    fn draws_are_roughly_uniform() {
        let mut hits = [0u32; 10];
        for s in 0..2000u32 {
            let mut seed = [0u8; 32];
            seed[..4].copy_from_slice(&s.to_le_bytes());
            for i in draw(seed, 10, 1) {
                hits[i as usize] += 1;
            }
        }
        // Expected 200 each; a fair draw stays well within 120..280.
        assert!(hits.iter().all(|&h| (120..280).contains(&h)), "{hits:?}");
    }

    #[test]
    fn a_reveal_not_matching_its_commitment_is_rejected() {
        let src = source(10);
        let a = contribution("US", "r1", &src, [1; 32]);
        let mut b = contribution("RU", "r1", &src, [2; 32]);
        b.reveal.seed = hex::encode([9u8; 32]);
        let e = select("r1", &src, &[a.clone(), b], 2).unwrap_err();
        assert!(
            matches!(e, SelectionError::RevealMismatch { ref party, .. } if party.as_str() == "RU"),
            "{e}"
        );
        let c = contribution("RU", "r2", &src, [2; 32]);
        let e = select("r1", &src, &[a.clone(), c], 2).unwrap_err();
        assert!(matches!(e, SelectionError::WrongRound { .. }), "{e}");
        let e = select("r1", &src, std::slice::from_ref(&a), 2).unwrap_err();
        assert!(matches!(e, SelectionError::Contributors(_)), "{e}");
        let b = contribution("RU", "r1", &src, [2; 32]);
        let e = select("r1", &source(3), &[a, b], 4).unwrap_err();
        assert!(matches!(e, SelectionError::Quota(_)), "{e}");
    }

    #[test]
    fn free_choice_respects_quota_and_candidates() {
        let src = source(5);
        let s = free_choice("r", &src, &[1], 2, &[]).unwrap();
        assert_eq!(s.method, "free_choice");
        assert_eq!(s.commitment, src.commitment);
        assert!(free_choice("r", &src, &[9], 2, &[]).is_err());
        assert!(free_choice("r", &src, &[1, 1], 2, &[]).is_err());
        assert!(free_choice("r", &src, &[0, 1, 2], 2, &[]).is_err());
    }

    #[test]
    fn a_seed_commit_must_name_the_round_and_both_the_record_and_root_drawn_from() {
        let src = source(10);
        let ok = contribution("US", "r1", &src, [1; 32]);
        check_commit("r1", &ok.party, &src, &ok.commit).unwrap();
        assert_eq!(check_contribution("r1", &src, &ok).unwrap(), [1; 32]);
        // An upper-case digest is the same digest.
        let mut upper = ok.clone();
        upper.commit.digest = upper.commit.digest.to_ascii_uppercase();
        assert_eq!(check_contribution("r1", &src, &upper).unwrap(), [1; 32]);

        let mut other_root = ok.clone();
        other_root.commit.root = hex::encode([0xac; 32]);
        let mut other_record = ok.clone();
        other_record.commit.commitment = RecordId::new("RU-commitment-2").unwrap();
        for c in [other_root, other_record] {
            match check_commit("r1", &c.party, &src, &c.commit) {
                Err(SelectionError::WrongDeclaration { expected, .. }) => {
                    assert_eq!(
                        expected,
                        format!("RU-commitment-1 (root {})", "ab".repeat(32))
                    )
                }
                other => panic!("should draw from another declaration: {other:?}"),
            }
        }
        match check_commit("r2", &ok.party, &src, &ok.commit) {
            Err(SelectionError::WrongRound { what, found, .. }) => {
                assert_eq!((what, found.as_str()), ("seed commit", "r1"))
            }
            other => panic!("{other:?}"),
        }
        let mut late = ok.clone();
        late.reveal.round = "r2".into();
        match check_contribution("r1", &src, &late) {
            Err(SelectionError::WrongRound { what, found, .. }) => {
                assert_eq!((what, found.as_str()), ("seed reveal", "r2"))
            }
            other => panic!("{other:?}"),
        }
        // Fields that are not 32 bytes of hex.
        type Change = fn(&mut Contribution);
        let cases: [(&str, Change); 3] = [
            ("root", |c| c.commit.root = "ab".into()),
            ("digest", |c| c.commit.digest = "zz".repeat(32)),
            ("seed", |c| c.reveal.seed = "01".repeat(33)),
        ];
        for (field, change) in cases {
            let mut bad = ok.clone();
            change(&mut bad);
            match check_contribution("r1", &src, &bad) {
                Err(SelectionError::Malformed { party, field: f }) => {
                    assert_eq!((party.as_str(), f), ("US", field))
                }
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn contributors_quota_and_withheld_seeds_decide_what_a_round_may_draw() {
        let src = source(4);
        let us = contribution("US", "r1", &src, [1; 32]);
        let ru = contribution("RU", "r1", &src, [2; 32]);
        // Every site may be drawn: quota equal to the candidates, each position once.
        let all = select("r1", &src, &[us.clone(), ru.clone()], 4).unwrap();
        let mut drawn = all.selected.clone();
        drawn.sort();
        assert_eq!(drawn, [0, 1, 2, 3]);
        assert_eq!(all.contributors, [p("RU"), p("US")]);
        assert_eq!((all.quota, all.candidates), (4, 4));
        assert_eq!(all.method, "random");
        assert!(all.withheld.is_empty());
        let two = select("r1", &src, &[us.clone(), ru.clone()], 2).unwrap();
        assert_eq!(
            two.positions(),
            format!("{}, {}", two.selected[0], two.selected[1])
        );
        // The first draws of a larger quota are the smaller quota's draws.
        assert_eq!(two.selected, all.selected[..2]);
        let quota = |r: Result<_, SelectionError>| match r {
            Err(SelectionError::Quota(why)) => why,
            other => panic!("should be refused on the quota: {other:?}"),
        };
        assert_eq!(
            quota(select("r1", &src, &[us.clone(), ru.clone()], 5)),
            "the quota of 5 exceeds the 4 candidate sites"
        );
        assert_eq!(
            quota(select("r1", &src, &[us.clone(), ru.clone()], 0)),
            "the quota must be at least 1"
        );
        // One party twice, or alone.
        let mut again = us.clone();
        again.commit.digest = seed_digest("r1", &p("US"), &src, &[3; 32]);
        again.reveal.seed = hex::encode([3u8; 32]);
        let contributors = |r: Result<_, SelectionError>| match r {
            Err(SelectionError::Contributors(why)) => why,
            other => panic!("should be refused on the contributors: {other:?}"),
        };
        assert_eq!(
            contributors(select("r1", &src, &[us.clone(), again], 2)),
            "a party contributed more than once"
        );
        assert_eq!(
            contributors(select("r1", &src, std::slice::from_ref(&us), 2)),
            "only 1 party contributed"
        );
        // RU withheld its seed: US's seed alone draws, and the selection says who withheld.
        let without = select_without("r1", &src, std::slice::from_ref(&us), &[p("RU")], 2).unwrap();
        assert_eq!(without.contributors, [p("US")]);
        assert_eq!(without.withheld, [p("RU")]);
        assert_ne!(without.seed, two.seed);
        assert_eq!(
            contributors(select_without("r1", &src, &[], &[p("RU"), p("US")], 2)),
            "no party revealed its seed"
        );
        // A free choice: up to the quota, inside the declaration, each position once.
        let chosen = free_choice("r1", &src, &[3, 0], 2, &[p("RU")]).unwrap();
        assert_eq!(
            (chosen.selected.as_slice(), chosen.seed.as_deref()),
            (&[3u64, 0][..], None)
        );
        assert_eq!(chosen.withheld, [p("RU")]);
        assert_eq!(
            quota(free_choice("r1", &src, &[4], 2, &[])),
            "chosen position 4 is past the declaration's 4 sites"
        );
        assert_eq!(
            quota(free_choice("r1", &src, &[1, 2, 3], 2, &[])),
            "3 sites chosen, the quota allows 2"
        );
        assert_eq!(
            quota(free_choice("r1", &src, &[2, 2], 2, &[])),
            "position 2 is chosen twice"
        );
        assert_eq!(
            quota(free_choice("r1", &src, &[], 5, &[])),
            "the quota of 5 exceeds the 4 candidate sites"
        );
    }

    #[test]
    fn fresh_seeds_differ_from_one_draw_to_the_next() {
        // A seed is a side's secret share of the draw: one the other side could predict (a
        // constant, a repeat) would let it steer the selection.
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let seeds: BTreeSet<[u8; 32]> = (0..4).map(|_| new_seed(&mut rng)).collect();
        assert_eq!(seeds.len(), 4);
        // The system's generator, as the binary passes it.
        assert_ne!(
            new_seed(&mut rand::rngs::OsRng),
            new_seed(&mut rand::rngs::OsRng)
        );
    }
}
