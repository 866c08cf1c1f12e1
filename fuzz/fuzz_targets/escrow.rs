//! Escrow files from outside: the input is any number of JSON values, each read as what it looks
//! like: a record (declaration commitment, reveal, limit proof, seed commit or reveal), an escrow
//! secret, or a declaration. Nothing panics; every encoded field that decodes encodes back to the
//! same value; reveals are checked against the commitment before them and limit proofs against
//! its verified counts, as `accord declare verify` and `accord limit verify` do; seed reveals
//! are checked against their party's commitment and the declaration they draw from (the
//! commitment record in the input), and the draw gives distinct candidates among its sites.
#![no_main]

use std::collections::BTreeMap;

use accord_escrow::order::draw_source;
use accord_escrow::selection::{Contribution, check_contribution, combined_seed, draw};
use accord_escrow::{
    DeclarationInput, EscrowSecret, LimitContext, LimitProof, RangeContext, RevealBundle,
    RevealSelection, RevealVerifier, VerifiedCounts, commit_escrow, escrow_root, verify_limit,
};
use accord_model::{PartyId, Record, RecordBody, SeedCommit, SeedReveal};
use libfuzzer_sys::fuzz_target;

/// A declaration larger than this many entries is only checked, not committed (commitment is
/// the declaring party's own work, and slow for large inputs).
const MAX_COMMIT_ENTRIES: usize = 64;

#[derive(Default)]
struct Seen {
    commitment: Option<(Record, RevealVerifier, Option<VerifiedCounts>)>,
    commits: BTreeMap<PartyId, SeedCommit>,
    reveals: BTreeMap<PartyId, SeedReveal>,
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut seen = Seen::default();
    let values = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
    for value in values.take(16) {
        let Ok(value) = value else {
            break;
        };
        let json = value.to_string();
        if let Ok(record) = serde_json::from_str::<Record>(&json) {
            on_record(&mut seen, record);
        } else if let Ok(secret) = EscrowSecret::from_json(&json) {
            on_secret(&secret);
        } else if let Ok(input) = DeclarationInput::from_json(&json) {
            on_declaration(&input);
        }
    }
    let Some(source) = seen
        .commitment
        .as_ref()
        .and_then(|(record, _, _)| draw_source(record).ok())
    else {
        return;
    };
    let mut seeds = Vec::new();
    for (party, commit) in &seen.commits {
        let Some(reveal) = seen.reveals.get(party) else {
            continue;
        };
        let contribution = Contribution {
            party: party.clone(),
            commit: commit.clone(),
            reveal: reveal.clone(),
        };
        if let Ok(seed) = check_contribution(&commit.round, &source, &contribution) {
            seeds.push((party.clone(), seed));
        }
    }
    if !seeds.is_empty() {
        let seed = combined_seed("fuzz", &source, &seeds);
        let quota = 4;
        let drawn = draw(seed, source.sites, quota);
        let expected = source.sites.min(quota as u64) as usize;
        assert_eq!(drawn.len(), expected);
        let mut sorted = drawn.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), expected, "a draw repeats a candidate: {drawn:?}");
        assert!(drawn.iter().all(|&i| i < source.sites));
    }
});

fn on_record(seen: &mut Seen, record: Record) {
    match &record.body {
        RecordBody::DeclarationCommitment(body) => {
            let Ok(verifier) = RevealVerifier::new(body) else {
                return;
            };
            let verified = escrow_root(&body.root).ok().and_then(|root| {
                let ctx = RangeContext {
                    agreement: body.agreement.clone(),
                    party: record.party.clone(),
                    as_of: body.as_of,
                    root,
                };
                verifier.counts().verify(&ctx).ok()
            });
            let round = verifier.counts().encode();
            let decoded = accord_escrow::CountCommitments::decode(&round)
                .expect("encoded count commitments decode");
            assert_eq!(&decoded, verifier.counts());
            seen.commitment = Some((record, verifier, verified));
        }
        RecordBody::Reveal(body) => {
            let Ok(bundle) = RevealBundle::decode(&body.entries) else {
                return;
            };
            let again = RevealBundle::decode(&bundle.encode()).expect("an encoded reveal decodes");
            assert_eq!(bundle, again);
            let Some((commitment, verifier, _)) = &mut seen.commitment else {
                return;
            };
            if body.commitment != commitment.id || record.party != commitment.party {
                return;
            }
            if let Ok(sites) = verifier.add(&bundle, record.id.as_str()) {
                for site in sites {
                    assert!(
                        verifier.sites().contains_key(&site),
                        "site {site} accepted but not recorded"
                    );
                }
            }
        }
        RecordBody::LimitProof(body) => {
            let Ok(proof) = LimitProof::decode(&body.proof) else {
                return;
            };
            let again = LimitProof::decode(&proof.encode()).expect("an encoded proof decodes");
            assert_eq!(proof, again);
            let Some((commitment, _, Some(counts))) = &seen.commitment else {
                return;
            };
            let RecordBody::DeclarationCommitment(committed) = &commitment.body else {
                return;
            };
            let Ok(root) = escrow_root(&committed.root) else {
                return;
            };
            let ctx = LimitContext {
                agreement: body.agreement.clone(),
                provision: body.provision.clone(),
                party: record.party.clone(),
                date: body.as_of,
                root,
            };
            let _ = verify_limit(counts, &ctx, &proof);
        }
        RecordBody::SeedCommit(body) => {
            seen.commits.insert(record.party.clone(), body.clone());
        }
        RecordBody::SeedReveal(body) => {
            seen.reveals.insert(record.party.clone(), body.clone());
        }
        _ => {}
    }
}

fn on_secret(secret: &EscrowSecret) {
    let json = serde_json::to_string(secret).expect("secrets serialise");
    let again = EscrowSecret::from_json(&json).expect("a written secret reads back");
    assert_eq!(secret, &again);
    let _ = secret.root_bytes();
    let _ = secret.range_context();
    let _ = secret.openings();
    if let Ok(bundle) = secret.reveal(&RevealSelection::Positions(vec![0])) {
        let decoded = RevealBundle::decode(&bundle.encode()).expect("an encoded reveal decodes");
        assert_eq!(bundle, decoded);
    }
}

fn on_declaration(input: &DeclarationInput) {
    let Ok((categories, entries)) = input.entries() else {
        return;
    };
    assert_eq!(entries.len(), input.sites.len() * categories.len());
    if entries.len() > MAX_COMMIT_ENTRIES {
        return;
    }
    let Ok(secret) = commit_escrow(input, &mut <rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::seed_from_u64(0)) else {
        return;
    };
    assert_eq!(secret.sites, input.sites.len() as u64);
    on_secret(&secret);
}
