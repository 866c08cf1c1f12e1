//! Fair random selection of inspection sites from two committed seeds.
//!
//! Each side draws a random 32-byte seed and publishes `SHA-256(seed)` in a `SeedCommit`
//! record; once both commitments are in, each publishes its seed in a `SeedReveal` record. A
//! reveal that does not hash to its commitment is rejected. The selection seed is
//! `SHA-256("accord-selection-v1" ‖ 0x00 ‖ round ‖ 0x00 ‖ (party ‖ 0x00 ‖ seed)…)` with the
//! contributions sorted by party, so neither side controls it alone. It seeds ChaCha20
//! (`rand_chacha::ChaCha20Rng`), which drives a partial Fisher–Yates shuffle of the candidates
//! (uniform draws by rejection sampling on 64-bit words), so anyone can reproduce the draw.

use std::collections::BTreeSet;

use accord_model::{PartyId, SeedCommit, SeedReveal};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What can go wrong in a selection.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    /// A revealed seed does not match its commitment.
    #[error(
        "party {party}: revealed seed does not hash to its commitment {digest} (round {round})"
    )]
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
    /// Fewer than two parties contributed, or one contributed twice.
    #[error("a fair selection needs one seed from each of at least two parties: {0}")]
    Contributors(String),
    /// The quota asks for more sites than there are candidates, or a chosen site is unknown.
    #[error("{0}")]
    Quota(String),
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

/// A reproducible selection of sites to inspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// The round.
    pub round: String,
    /// `"random"` (drawn from the seeds) or `"free_choice"` (chosen by the inspecting party).
    pub method: String,
    /// Hex of the combined seed, for random selection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// The parties whose seeds were combined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<PartyId>,
    /// How many were to be selected.
    pub quota: usize,
    /// How many candidates there were.
    pub candidates: usize,
    /// The selected candidates, in draw order.
    pub selected: Vec<String>,
}

/// A fresh random seed from the operating system's generator.
pub fn new_seed() -> [u8; 32] {
    let mut s = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut s);
    s
}

/// The hex SHA-256 digest that commits to a seed.
pub fn seed_digest(seed: &[u8; 32]) -> String {
    hex::encode(Sha256::digest(seed))
}

/// The `SeedCommit` body for a seed.
pub fn seed_commit(round: &str, seed: &[u8; 32]) -> SeedCommit {
    SeedCommit {
        round: round.to_owned(),
        digest: seed_digest(seed),
    }
}

/// The `SeedReveal` body for a seed.
pub fn seed_reveal(round: &str, seed: &[u8; 32]) -> SeedReveal {
    SeedReveal {
        round: round.to_owned(),
        seed: hex::encode(seed),
    }
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

/// Checks a contribution: same round, well-formed, and the reveal matches the commitment.
pub fn check_contribution(round: &str, c: &Contribution) -> Result<[u8; 32], SelectionError> {
    for (what, found) in [
        ("seed commit", &c.commit.round),
        ("seed reveal", &c.reveal.round),
    ] {
        if found != round {
            return Err(SelectionError::WrongRound {
                party: c.party.clone(),
                what,
                found: found.clone(),
                round: round.to_owned(),
            });
        }
    }
    let seed = hex32(&c.party, "seed", &c.reveal.seed)?;
    hex32(&c.party, "digest", &c.commit.digest)?;
    if seed_digest(&seed) != c.commit.digest.to_ascii_lowercase() {
        return Err(SelectionError::RevealMismatch {
            party: c.party.clone(),
            digest: c.commit.digest.clone(),
            round: round.to_owned(),
        });
    }
    Ok(seed)
}

/// Combines checked seeds into the selection seed (contributions sorted by party).
pub fn combined_seed(round: &str, seeds: &[(PartyId, [u8; 32])]) -> [u8; 32] {
    let mut sorted: Vec<&(PartyId, [u8; 32])> = seeds.iter().collect();
    sorted.sort();
    let mut h = Sha256::new();
    h.update(b"accord-selection-v1\0");
    h.update(round.as_bytes());
    h.update([0]);
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

/// Draws `quota` distinct indices out of `candidates`, deterministically from `seed`.
pub fn draw(seed: [u8; 32], candidates: usize, quota: usize) -> Vec<usize> {
    let mut rng = ChaCha20Rng::from_seed(seed);
    let mut idx: Vec<usize> = (0..candidates).collect();
    let quota = quota.min(candidates);
    for i in 0..quota {
        let j = i + below(&mut rng, (candidates - i) as u64) as usize;
        idx.swap(i, j);
    }
    idx.truncate(quota);
    idx
}

/// Selects `quota` of `candidates` from both sides' seeds; anyone with the records gets the
/// same result. `candidates` must be in an order both sides agree on (the CLI sorts names and
/// uses committed positions in order).
pub fn select(
    round: &str,
    contributions: &[Contribution],
    candidates: &[String],
    quota: usize,
) -> Result<Selection, SelectionError> {
    let parties: BTreeSet<&PartyId> = contributions.iter().map(|c| &c.party).collect();
    if parties.len() != contributions.len() {
        return Err(SelectionError::Contributors(
            "a party contributed more than once".into(),
        ));
    }
    if parties.len() < 2 {
        return Err(SelectionError::Contributors(format!(
            "only {} party contributed",
            parties.len()
        )));
    }
    check_quota(candidates, quota)?;
    let seeds = contributions
        .iter()
        .map(|c| Ok((c.party.clone(), check_contribution(round, c)?)))
        .collect::<Result<Vec<_>, SelectionError>>()?;
    let seed = combined_seed(round, &seeds);
    Ok(Selection {
        round: round.to_owned(),
        method: "random".into(),
        seed: Some(hex::encode(seed)),
        contributors: parties.into_iter().cloned().collect(),
        quota,
        candidates: candidates.len(),
        selected: draw(seed, candidates.len(), quota)
            .into_iter()
            .map(|i| candidates[i].clone())
            .collect(),
    })
}

fn check_quota(candidates: &[String], quota: usize) -> Result<(), SelectionError> {
    if quota == 0 {
        return Err(SelectionError::Quota("the quota must be at least 1".into()));
    }
    if quota > candidates.len() {
        return Err(SelectionError::Quota(format!(
            "the quota of {quota} exceeds the {} candidate sites",
            candidates.len()
        )));
    }
    Ok(())
}

/// A free choice by the inspecting party, where the agreement allows it: checks that the chosen
/// sites are candidates, distinct, and within the quota.
pub fn free_choice(
    round: &str,
    candidates: &[String],
    chosen: &[String],
    quota: usize,
) -> Result<Selection, SelectionError> {
    check_quota(candidates, quota)?;
    if chosen.len() > quota {
        return Err(SelectionError::Quota(format!(
            "{} sites chosen, the quota allows {quota}",
            chosen.len()
        )));
    }
    let mut seen = BTreeSet::new();
    for c in chosen {
        if !candidates.contains(c) {
            return Err(SelectionError::Quota(format!(
                "chosen site {c} is not a candidate"
            )));
        }
        if !seen.insert(c) {
            return Err(SelectionError::Quota(format!("site {c} is chosen twice")));
        }
    }
    Ok(Selection {
        round: round.to_owned(),
        method: "free_choice".into(),
        seed: None,
        contributors: Vec::new(),
        quota,
        candidates: candidates.len(),
        selected: chosen.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contribution(party: &str, round: &str, seed: [u8; 32]) -> Contribution {
        Contribution {
            party: PartyId::new(party).unwrap(),
            commit: seed_commit(round, &seed),
            reveal: seed_reveal(round, &seed),
        }
    }

    fn candidates(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("site-{i:03}")).collect()
    }

    #[test]
    fn selection_is_reproducible_and_depends_on_both_seeds() {
        let a = contribution("US", "r1", [1; 32]);
        let b = contribution("RU", "r1", [2; 32]);
        let s1 = select("r1", &[a.clone(), b.clone()], &candidates(50), 5).unwrap();
        let s2 = select("r1", &[b.clone(), a.clone()], &candidates(50), 5).unwrap();
        assert_eq!(s1, s2, "order of contributions must not matter");
        assert_eq!(s1.selected.len(), 5);
        let distinct: BTreeSet<_> = s1.selected.iter().collect();
        assert_eq!(distinct.len(), 5);
        // Changing either side's seed changes the draw.
        let b2 = contribution("RU", "r1", [3; 32]);
        let s3 = select("r1", &[a.clone(), b2], &candidates(50), 5).unwrap();
        assert_ne!(s1.selected, s3.selected);
        let a2 = contribution("US", "r1", [4; 32]);
        let s4 = select("r1", &[a2, b], &candidates(50), 5).unwrap();
        assert_ne!(s1.selected, s4.selected);
    }

    #[test]
    fn draw_is_pinned_to_chacha20() {
        // Reproducing the draw by hand: ChaCha20 keyed with the seed, partial Fisher-Yates.
        let seed = [7u8; 32];
        let mut rng = ChaCha20Rng::from_seed(seed);
        let mut idx: Vec<usize> = (0..10).collect();
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
    }

    #[test]
    fn draws_are_roughly_uniform() {
        let mut hits = [0u32; 10];
        for s in 0..2000u32 {
            let mut seed = [0u8; 32];
            seed[..4].copy_from_slice(&s.to_le_bytes());
            for i in draw(seed, 10, 1) {
                hits[i] += 1;
            }
        }
        // Expected 200 each; a fair draw stays well within 120..280.
        assert!(hits.iter().all(|&h| (120..280).contains(&h)), "{hits:?}");
    }

    #[test]
    fn a_reveal_not_matching_its_commitment_is_rejected() {
        let a = contribution("US", "r1", [1; 32]);
        let mut b = contribution("RU", "r1", [2; 32]);
        b.reveal.seed = hex::encode([9u8; 32]);
        let e = select("r1", &[a.clone(), b], &candidates(10), 2).unwrap_err();
        assert!(
            matches!(e, SelectionError::RevealMismatch { ref party, .. } if party.as_str() == "RU"),
            "{e}"
        );
        let c = contribution("RU", "r2", [2; 32]);
        let e = select("r1", &[a.clone(), c], &candidates(10), 2).unwrap_err();
        assert!(matches!(e, SelectionError::WrongRound { .. }), "{e}");
        let e = select("r1", std::slice::from_ref(&a), &candidates(10), 2).unwrap_err();
        assert!(matches!(e, SelectionError::Contributors(_)), "{e}");
        let b = contribution("RU", "r1", [2; 32]);
        let e = select("r1", &[a, b], &candidates(3), 4).unwrap_err();
        assert!(matches!(e, SelectionError::Quota(_)), "{e}");
    }

    #[test]
    fn free_choice_respects_quota_and_candidates() {
        let c = candidates(5);
        let s = free_choice("r", &c, &["site-001".into()], 2).unwrap();
        assert_eq!(s.method, "free_choice");
        assert!(free_choice("r", &c, &["site-009".into()], 2).is_err());
        assert!(free_choice("r", &c, &["site-001".into(), "site-001".into()], 2).is_err());
        assert!(free_choice("r", &c, &c[..3], 2).is_err());
    }
}
