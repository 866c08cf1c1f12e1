//! Behaviour and security tests of the escrow, the count range proofs and the limit proofs.

use std::collections::BTreeMap;

use accord_model::{
    AgreementId, Category, DeclarationCommitment, InspectionFinding, InspectionReport, PartyId,
    ProvisionId, Record, RecordBody, RecordId, Severity, SiteId,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use bulletproofs::{PedersenGens, RangeProof};
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;

use crate::counts::bp_gens;
use crate::escrow::build_secret;
use crate::inspection::{ReportContext, report_findings};
use crate::*;

fn cat(s: &str) -> Category {
    Category::new(s).unwrap()
}

fn sample_input() -> DeclarationInput {
    DeclarationInput::from_json(
        r#"{
          "party": "RU", "agreement": "new-start", "as_of": "2026-02-05", "bits": 16, "batch": 4,
          "sites": [
            {"site": "kozelsk", "phase": "1", "counts": {"icbm": 10, "warheads": 40},
             "items": {"icbm": ["a1","a2","a3","a4","a5","a6","a7","a8","a9","a10"]}},
            {"site": "tatishchevo", "phase": "1", "counts": {"icbm": 6, "warheads": 6}},
            {"site": "yasny", "phase": "2", "counts": {"icbm": 0, "warheads": 0}},
            {"site": "vypolzovo", "phase": "2", "counts": {"warheads": 30}},
            {"site": "teykovo", "phase": "2", "counts": {"icbm": 18, "warheads": 18}}
          ]
        }"#,
    )
    .unwrap()
}

struct Setup {
    secret: EscrowSecret,
    counts: CountCommitments,
    body: DeclarationCommitment,
}

fn setup(input: &DeclarationInput) -> Setup {
    let (secret, counts) = commit(input).unwrap();
    let body = secret.commitment_body(&counts);
    Setup {
        secret,
        counts,
        body,
    }
}

fn sites(names: &[&str]) -> RevealSelection {
    RevealSelection::Sites(names.iter().map(|n| SiteId::new(*n).unwrap()).collect())
}

fn reveal_kind(r: Result<Vec<SiteId>, EscrowError>) -> RevealErrorKind {
    match r {
        Err(EscrowError::Reveal { kind, .. }) => kind,
        other => panic!("expected a rejected reveal, got {other:?}"),
    }
}

#[test]
fn commit_reveal_and_verify_step_by_step() {
    let s = setup(&sample_input());
    assert_eq!(s.body.entries, 10);
    assert_eq!(s.counts.commitments.len(), 10);
    let mut v = RevealVerifier::new(&s.body).unwrap();
    let phase1 = s
        .secret
        .reveal(&RevealSelection::Phase("1".into()))
        .unwrap();
    let got = v.add(&phase1, "RU-reveal-1").unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(
        v.sites()[&SiteId::new("kozelsk").unwrap()].counts[&cat("warheads")],
        40
    );
    assert_eq!(
        v.sites()[&SiteId::new("kozelsk").unwrap()].items[&cat("icbm")].len(),
        10
    );
    // Only phase 1 is known; phase 2 later, and the same reveal again is harmless.
    assert!(!v.sites().contains_key(&SiteId::new("teykovo").unwrap()));
    v.add(
        &s.secret.reveal(&sites(&["teykovo"])).unwrap(),
        "RU-reveal-2",
    )
    .unwrap();
    v.add(&phase1, "RU-reveal-1-again").unwrap();
    let k = &v.sites()[&SiteId::new("kozelsk").unwrap()];
    assert_eq!(k.revealed_by, vec!["RU-reveal-1", "RU-reveal-1-again"]);
    // Reveal by position (as a fair draw names sites) shows the same site.
    let pos = v.sites()[&SiteId::new("teykovo").unwrap()].position;
    let by_pos = s
        .secret
        .reveal(&RevealSelection::Positions(vec![pos]))
        .unwrap();
    assert_eq!(by_pos.sites(), vec![SiteId::new("teykovo").unwrap()]);
    // The encoded record field round-trips.
    assert_eq!(RevealBundle::decode(&phase1.encode()).unwrap(), phase1);
}

#[test]
fn a_tampered_entry_is_rejected() {
    let s = setup(&sample_input());
    let mut r = s.secret.reveal(&sites(&["kozelsk"])).unwrap();
    let i = r
        .entries
        .iter()
        .position(|e| e.entry.category == cat("warheads"))
        .unwrap();
    r.entries[i].count = 4;
    let mut v = RevealVerifier::new(&s.body).unwrap();
    assert_eq!(
        reveal_kind(v.add(&r, "r")),
        RevealErrorKind::CountDoesNotOpen
    );
    // Nothing of a rejected reveal is kept.
    assert!(v.sites().is_empty());
    let mut r = s.secret.reveal(&sites(&["kozelsk"])).unwrap();
    r.entries[0].entry.items.pop();
    assert_eq!(reveal_kind(v.add(&r, "r")), RevealErrorKind::TamperedEntry);
    // The commitment is part of the entry: another one (opened by its own count) is tampering.
    let mut r = s.secret.reveal(&sites(&["kozelsk"])).unwrap();
    let blinding = Scalar::from(3u8);
    r.entries[i].entry.commitment =
        hex::encode(pedersen_commit(4, &blinding).compress().as_bytes());
    r.entries[i].count = 4;
    r.entries[i].blinding = hex::encode(blinding.as_bytes());
    assert_eq!(reveal_kind(v.add(&r, "r")), RevealErrorKind::TamperedEntry);
}

#[test]
fn each_entry_holds_the_published_commitment_of_its_count() {
    let s = setup(&sample_input());
    // One count per entry: the Merkle entry holds the very commitment the record publishes at
    // its index, and the secret's count opens it.
    for (i, e) in s.secret.entries.iter().enumerate() {
        assert_eq!(e.entry.commitment, s.counts.commitments[i], "entry {i}");
        let blinding = Option::from(Scalar::from_canonical_bytes(e.blinding)).unwrap();
        assert_eq!(
            hex::encode(pedersen_commit(e.count, &blinding).compress().as_bytes()),
            e.entry.commitment
        );
    }
    // A record publishing the commitments in another order than the entries hold them:
    // every reveal of the affected sites is refused, naming the mismatch.
    let mut counts = s.counts.clone();
    counts.commitments.swap(0, 1);
    let mut body = s.body.clone();
    body.counts = counts.encode();
    let mut v = RevealVerifier::new(&body).unwrap();
    let r = s
        .secret
        .reveal(&RevealSelection::Positions(vec![0]))
        .unwrap();
    let e = v.add(&r, "r").unwrap_err();
    assert!(
        matches!(
            e,
            EscrowError::Reveal {
                kind: RevealErrorKind::WrongCommitment,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn range_proofs_are_bound_to_the_category_list_and_site_count() {
    let s = setup(&sample_input());
    let ctx = s.secret.range_context().unwrap();
    assert!(s.counts.verify(&ctx).is_ok());
    // Relabelling the columns (an over-limit category passed off as another) breaks every
    // range proof, before any reveal.
    let mut relabelled = s.counts.clone();
    relabelled.categories.swap(0, 1);
    let e = relabelled.verify(&ctx).unwrap_err();
    assert!(matches!(e, EscrowError::CountRange { .. }), "{e}");
    // So does reading the same commitments in another layout (one category at ten sites).
    let mut reshaped = s.counts.clone();
    reshaped.categories.truncate(1);
    reshaped.sites = 10;
    let e = reshaped.verify(&ctx).unwrap_err();
    assert!(matches!(e, EscrowError::CountRange { .. }), "{e}");
}

#[test]
fn a_wrong_salt_is_rejected() {
    let s = setup(&sample_input());
    let mut r = s.secret.reveal(&sites(&["tatishchevo"])).unwrap();
    r.entries[1].salt = hex::encode([0x5a; 32]);
    let mut v = RevealVerifier::new(&s.body).unwrap();
    let e = v.add(&r, "r").unwrap_err();
    assert!(e.to_string().contains("wrong salt"), "{e}");
    assert!(e.to_string().contains("tatishchevo"), "{e}");
}

#[test]
fn an_entry_not_under_the_root_is_rejected() {
    let s = setup(&sample_input());
    let other = setup(&sample_input());
    let mut v = RevealVerifier::new(&s.body).unwrap();
    // A genuine reveal of another commitment of the same figures.
    let r = other.secret.reveal(&sites(&["yasny"])).unwrap();
    let e = v.add(&r, "r").unwrap_err();
    assert!(e.to_string().contains("not under the root"), "{e}");
    // The same, with the root relabelled to look like ours.
    let mut r2 = r.clone();
    r2.root = s.body.root.clone();
    assert_eq!(reveal_kind(v.add(&r2, "r")), RevealErrorKind::NotUnderRoot);
    // A genuine reveal with one proof hash flipped.
    let mut r3 = s.secret.reveal(&sites(&["yasny"])).unwrap();
    r3.entries[0].proof[0] = hex::encode([0u8; 32]);
    assert_eq!(reveal_kind(v.add(&r3, "r")), RevealErrorKind::NotUnderRoot);
    // A genuine entry moved to another index.
    let mut r4 = s.secret.reveal(&sites(&["yasny"])).unwrap();
    r4.entries[0].index = (r4.entries[0].index + 2) % 10;
    assert_eq!(reveal_kind(v.add(&r4, "r")), RevealErrorKind::NotUnderRoot);
}

#[test]
fn a_site_revealed_twice_with_different_content_is_rejected() {
    // A dishonest party commits one site twice with different counts.
    let input = sample_input();
    let (categories, mut entries) = input.entries().unwrap();
    for e in &mut entries[4..6] {
        e.site = SiteId::new("kozelsk").unwrap();
        e.phase = "1".into();
    }
    let secret = build_secret(&input, categories, entries).unwrap();
    let counts = commit_counts(
        &secret.openings().unwrap(),
        16,
        4,
        &secret.range_context().unwrap(),
    )
    .unwrap();
    let body = secret.commitment_body(&counts);
    let mut v = RevealVerifier::new(&body).unwrap();
    v.add(
        &secret.reveal(&RevealSelection::Positions(vec![0])).unwrap(),
        "RU-1",
    )
    .unwrap();
    let e = v
        .add(
            &secret.reveal(&RevealSelection::Positions(vec![2])).unwrap(),
            "RU-2",
        )
        .unwrap_err();
    assert!(
        matches!(
            &e,
            EscrowError::Reveal {
                kind: RevealErrorKind::ConflictingReveal,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("RU-1"), "{e}");
}

#[test]
fn a_partial_site_and_a_count_that_does_not_open_are_rejected() {
    let s = setup(&sample_input());
    let mut v = RevealVerifier::new(&s.body).unwrap();
    let mut r = s.secret.reveal(&sites(&["kozelsk"])).unwrap();
    r.entries.pop();
    assert_eq!(reveal_kind(v.add(&r, "r")), RevealErrorKind::IncompleteSite);
    let mut r = s.secret.reveal(&sites(&["kozelsk"])).unwrap();
    r.entries[0].blinding = hex::encode(Scalar::from(7u8).as_bytes());
    assert_eq!(
        reveal_kind(v.add(&r, "r")),
        RevealErrorKind::CountDoesNotOpen
    );
}

#[test]
fn bad_declarations_are_refused_with_their_place() {
    let mut input = sample_input();
    input.sites[1].site = SiteId::new("kozelsk").unwrap();
    let e = commit_escrow(&input).unwrap_err().to_string();
    assert!(e.contains("sites[1]") && e.contains("twice"), "{e}");
    let mut input = sample_input();
    input.sites[0].counts.insert(cat("icbm"), 11);
    let e = commit_escrow(&input).unwrap_err().to_string();
    assert!(
        e.contains("items.icbm") && e.contains("10 identifiers"),
        "{e}"
    );
    let mut input = sample_input();
    input.bits = 8;
    input.sites[4].counts.insert(cat("warheads"), 300);
    let e = commit_escrow(&input).unwrap_err().to_string();
    assert!(e.contains("does not fit in 8 bits"), "{e}");
    let mut input = sample_input();
    input.batch = 3;
    assert!(
        commit(&input)
            .unwrap_err()
            .to_string()
            .contains("power of two")
    );
    let e = DeclarationInput::from_json("{\"party\": \"RU\",\n \"sites\": 3}").unwrap_err();
    assert!(e.to_string().contains("line 2"), "{e}");
}

#[test]
fn count_range_proofs_verify_and_a_modified_one_is_rejected() {
    let s = setup(&sample_input());
    let ctx = s.secret.range_context().unwrap();
    let verified = s.counts.verify(&ctx).unwrap();
    assert_eq!(verified.points().len(), 10);
    // 10 entries in batches of 4: 4 + 4 + 2 (the last padded to 2).
    assert_eq!(s.counts.range_proofs.len(), 3);
    let mut bad = s.counts.clone();
    let mut bytes = B64.decode(&bad.range_proofs[1]).unwrap();
    bytes[100] ^= 1;
    bad.range_proofs[1] = B64.encode(bytes);
    let e = bad.verify(&ctx).unwrap_err();
    assert!(matches!(e, EscrowError::CountRange { batch: 1, .. }), "{e}");
    // Bound to the party: the same proofs do not verify for another declarant.
    let mut other = ctx.clone();
    other.party = PartyId::new("US").unwrap();
    assert!(s.counts.verify(&other).is_err());
    // Swapping two commitments breaks their batch's proof.
    let mut swapped = s.counts.clone();
    swapped.commitments.swap(0, 5);
    assert!(swapped.verify(&ctx).is_err());
}

#[test]
fn a_negative_count_fails_its_range_proof() {
    // The party commits to "-3" (the group order minus 3) at one entry to hide 3 items elsewhere.
    let s = setup(&sample_input());
    let ctx = s.secret.range_context().unwrap();
    let mut openings = s.secret.openings().unwrap();
    let r = openings.blindings[0];
    let negative =
        crate::counts::pedersen_commit(0, &r) - crate::counts::pedersen_commit(3, &Scalar::ZERO);
    let mut forged = s.counts.clone();
    forged.commitments[0] = hex::encode(negative.compress().as_bytes());
    // Re-prove the first batch as well as the prover can: it can only prove u64 values, so it
    // proves the other values honestly and some value for the forged slot.
    openings.counts[0] = 0;
    let honest = commit_counts(&openings, 16, 4, &ctx).unwrap();
    forged.range_proofs[0] = honest.range_proofs[0].clone();
    let e = forged.verify(&ctx).unwrap_err();
    assert!(matches!(e, EscrowError::CountRange { batch: 0, .. }), "{e}");
    // Directly: a 16-bit proof made for 0 does not verify against the commitment to -3.
    let pc = PedersenGens::default();
    let gens = bp_gens(16, 1);
    let (proof, _) =
        RangeProof::prove_single(&gens, &pc, &mut Transcript::new(b"t"), 0, &r, 16).unwrap();
    assert!(
        proof
            .verify_single(
                &gens,
                &pc,
                &mut Transcript::new(b"t"),
                &negative.compress(),
                16
            )
            .is_err()
    );
}

fn limit_ctx(s: &Setup) -> LimitContext {
    LimitContext {
        agreement: AgreementId::new("new-start").unwrap(),
        provision: ProvisionId::new("art-ii-1-b").unwrap(),
        party: PartyId::new("RU").unwrap(),
        date: "2026-02-05".parse().unwrap(),
        root: s.secret.root_bytes().unwrap(),
    }
}

fn lim(c: &str, limit: u64) -> LimitValue {
    LimitValue::single(cat(c), limit)
}

fn weighted(terms: &[(&str, u32)], limit: u64) -> LimitValue {
    LimitValue {
        terms: terms
            .iter()
            .map(|&(c, weight)| LimitTerm {
                category: cat(c),
                weight,
            })
            .collect(),
        limit,
    }
}

#[test]
fn a_limit_is_proven_and_verified_without_per_site_counts() {
    // Totals: icbm 34, warheads 94.
    let s = setup(&sample_input());
    let verified = s.counts.verify(&s.secret.range_context().unwrap()).unwrap();
    let openings = s.secret.openings().unwrap();
    let ctx = limit_ctx(&s);
    for limits in [
        vec![lim("warheads", 94)],
        vec![lim("warheads", 1550)],
        vec![lim("icbm", 34), lim("warheads", 100)],
    ] {
        let p = prove_limit(&openings, &ctx, &limits).unwrap();
        verify_limit(&verified, &ctx, &p).unwrap();
        let decoded = LimitProof::decode(&p.encode()).unwrap();
        verify_limit(&verified, &ctx, &decoded).unwrap();
    }
    // Sizes: 32·(2·log2(32·m) + 9) bytes.
    assert_eq!(
        prove_limit(&openings, &ctx, &[lim("icbm", 40)])
            .unwrap()
            .proof_bytes(),
        608
    );
    assert_eq!(
        prove_limit(&openings, &ctx, &[lim("icbm", 40), lim("warheads", 100)])
            .unwrap()
            .proof_bytes(),
        672
    );
}

#[test]
fn a_total_over_the_limit_cannot_be_proven() {
    let s = setup(&sample_input());
    let openings = s.secret.openings().unwrap();
    let ctx = limit_ctx(&s);
    let e = prove_limit(&openings, &ctx, &[lim("warheads", 93)]).unwrap_err();
    assert!(
        matches!(
            e,
            EscrowError::OverLimit {
                total: 94,
                limit: 93,
                ..
            }
        ),
        "{e}"
    );
    let e = prove_limit(&openings, &ctx, &[lim("icbm", 100), lim("warheads", 50)]).unwrap_err();
    assert!(matches!(e, EscrowError::OverLimit { .. }), "{e}");
    assert!(matches!(
        prove_limit(&openings, &ctx, &[lim("bombers", 5)]),
        Err(EscrowError::UnknownCategory { .. })
    ));
    // Nor can a valid proof be passed off for a lower limit.
    let verified = s.counts.verify(&s.secret.range_context().unwrap()).unwrap();
    let mut p = prove_limit(&openings, &ctx, &[lim("warheads", 94)]).unwrap();
    p.limits[0].limit = 93;
    assert!(verify_limit(&verified, &ctx, &p).is_err());
}

#[test]
fn a_weighted_multi_category_limit_is_proven_and_an_exceeded_one_is_not() {
    // Totals: icbm 34, warheads 94; warheads + 2·icbm = 162.
    let s = setup(&sample_input());
    let verified = s.counts.verify(&s.secret.range_context().unwrap()).unwrap();
    let openings = s.secret.openings().unwrap();
    let ctx = limit_ctx(&s);
    for limit in [162, 1550] {
        let l = weighted(&[("warheads", 1), ("icbm", 2)], limit);
        let p = prove_limit(&openings, &ctx, std::slice::from_ref(&l)).unwrap();
        verify_limit(&verified, &ctx, &LimitProof::decode(&p.encode()).unwrap()).unwrap();
        assert_eq!(
            p.limits[0].to_string(),
            format!("warheads + 2*icbm <= {limit}")
        );
    }
    // A weighted limit next to a plain one, in one aggregated proof.
    let both = [
        weighted(&[("warheads", 1), ("icbm", 2)], 170),
        lim("icbm", 34),
    ];
    let p = prove_limit(&openings, &ctx, &both).unwrap();
    verify_limit(&verified, &ctx, &p).unwrap();
    // 161 < 162: the weight counts, so the limit is exceeded and no proof exists.
    let e = prove_limit(
        &openings,
        &ctx,
        &[weighted(&[("warheads", 1), ("icbm", 2)], 161)],
    )
    .unwrap_err();
    assert!(
        matches!(&e, EscrowError::OverLimit { total: 162, limit: 161, quantity } if quantity == "warheads + 2*icbm"),
        "{e}"
    );
    // A category the declaration lacks is an error naming the provision and the category.
    let e = prove_limit(
        &openings,
        &ctx,
        &[weighted(&[("warheads", 1), ("bombers", 1)], 500)],
    )
    .unwrap_err();
    assert!(matches!(e, EscrowError::UnknownCategory { .. }));
    assert_eq!(
        e.to_string(),
        "provision art-ii-1-b counts category bombers, which the declaration does not have"
    );
    // Zero weights and a category counted twice are refused.
    assert!(prove_limit(&openings, &ctx, &[weighted(&[("warheads", 0)], 500)]).is_err());
    assert!(
        prove_limit(
            &openings,
            &ctx,
            &[weighted(&[("icbm", 1), ("icbm", 1)], 500)]
        )
        .is_err()
    );
}

#[test]
fn a_limit_proof_with_other_weights_or_categories_is_rejected() {
    let s = setup(&sample_input());
    let verified = s.counts.verify(&s.secret.range_context().unwrap()).unwrap();
    let ctx = limit_ctx(&s);
    let p = prove_limit(
        &s.secret.openings().unwrap(),
        &ctx,
        &[weighted(&[("warheads", 1), ("icbm", 2)], 200)],
    )
    .unwrap();
    verify_limit(&verified, &ctx, &p).unwrap();
    let mut q = p.clone();
    q.limits[0].terms[1].weight = 1;
    assert!(verify_limit(&verified, &ctx, &q).is_err(), "lower weight");
    let mut q = p.clone();
    q.limits[0].terms[1].weight = 3;
    assert!(verify_limit(&verified, &ctx, &q).is_err(), "higher weight");
    let mut q = p.clone();
    q.limits[0].terms.pop();
    assert!(
        verify_limit(&verified, &ctx, &q).is_err(),
        "a category dropped"
    );
    let mut q = p.clone();
    q.limits[0].terms.swap(0, 1);
    assert!(verify_limit(&verified, &ctx, &q).is_err(), "weights moved");
    // A proof for warheads alone does not pass for warheads + icbm under the same limit.
    let single = prove_limit(&s.secret.openings().unwrap(), &ctx, &[lim("warheads", 200)]).unwrap();
    let mut q = single.clone();
    q.limits[0].terms.push(LimitTerm {
        category: cat("icbm"),
        weight: 1,
    });
    assert!(verify_limit(&verified, &ctx, &q).is_err(), "category added");
}

#[test]
fn a_modified_limit_proof_is_rejected() {
    let s = setup(&sample_input());
    let verified = s.counts.verify(&s.secret.range_context().unwrap()).unwrap();
    let ctx = limit_ctx(&s);
    let p = prove_limit(&s.secret.openings().unwrap(), &ctx, &[lim("warheads", 100)]).unwrap();
    let bytes = B64.decode(&p.proof).unwrap();
    for at in [0, 100, 300, bytes.len() - 1] {
        let mut b = bytes.clone();
        b[at] ^= 0x10;
        let mut q = p.clone();
        q.proof = B64.encode(b);
        assert!(verify_limit(&verified, &ctx, &q).is_err(), "flip at {at}");
    }
    let mut q = p.clone();
    q.limits[0].terms[0].category = cat("icbm");
    assert!(verify_limit(&verified, &ctx, &q).is_err());
}

#[test]
fn a_limit_proof_for_another_party_provision_date_or_root_is_rejected() {
    let s = setup(&sample_input());
    let verified = s.counts.verify(&s.secret.range_context().unwrap()).unwrap();
    let ctx = limit_ctx(&s);
    let p = prove_limit(&s.secret.openings().unwrap(), &ctx, &[lim("warheads", 100)]).unwrap();
    verify_limit(&verified, &ctx, &p).unwrap();
    let mut c = ctx.clone();
    c.party = PartyId::new("US").unwrap();
    assert!(verify_limit(&verified, &c, &p).is_err(), "party");
    let mut c = ctx.clone();
    c.provision = ProvisionId::new("art-ii-1-a").unwrap();
    assert!(verify_limit(&verified, &c, &p).is_err(), "provision");
    let mut c = ctx.clone();
    c.date = "2026-02-06".parse().unwrap();
    assert!(verify_limit(&verified, &c, &p).is_err(), "date");
    let mut c = ctx.clone();
    c.root[0] ^= 1;
    assert!(verify_limit(&verified, &c, &p).is_err(), "root");
    let mut c = ctx.clone();
    c.agreement = AgreementId::new("inf").unwrap();
    assert!(verify_limit(&verified, &c, &p).is_err(), "agreement");
    // And another declaration's commitments (same figures, other blindings) do not fit it.
    let other = setup(&sample_input());
    let other_verified = other
        .counts
        .verify(&other.secret.range_context().unwrap())
        .unwrap();
    assert!(
        verify_limit(&other_verified, &ctx, &p).is_err(),
        "commitments"
    );
}

fn report(site: &str, counts: &[(&str, u64)]) -> Record {
    Record {
        id: RecordId::new("US-report-1").unwrap(),
        party: PartyId::new("US").unwrap(),
        issued_at: "2026-03-01T12:00:00Z".parse().unwrap(),
        body: RecordBody::InspectionReport(InspectionReport {
            request: RecordId::new("US-request-1").unwrap(),
            site: SiteId::new(site).unwrap(),
            date: "2026-03-01".parse().unwrap(),
            counts: counts
                .iter()
                .map(|(c, n)| InspectionFinding {
                    category: cat(c),
                    status: accord_model::HoldingStatus::Deployed,
                    counted: *n,
                })
                .collect(),
            remarks: String::new(),
        }),
    }
}

#[test]
fn inspection_reports_that_contradict_reveals_become_violations() {
    let s = setup(&sample_input());
    let mut v = RevealVerifier::new(&s.body).unwrap();
    v.add(
        &s.secret
            .reveal(&RevealSelection::Phase("1".into()))
            .unwrap(),
        "RU-reveal-1",
    )
    .unwrap();
    let ctx = ReportContext {
        agreement: AgreementId::new("new-start").unwrap(),
        provision: ProvisionId::new("art-xi").unwrap(),
        inspected: PartyId::new("RU").unwrap(),
        commitment: RecordId::new("RU-commit-1").unwrap(),
    };
    let ok = report_findings(
        &report("kozelsk", &[("icbm", 10), ("warheads", 40)]),
        v.sites(),
        &ctx,
    )
    .unwrap();
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].severity, Severity::Compliant);
    let bad = report_findings(
        &report("kozelsk", &[("icbm", 12), ("warheads", 40)]),
        v.sites(),
        &ctx,
    )
    .unwrap();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].severity, Severity::Violation);
    assert!(
        bad[0].summary.contains("2 more than declared"),
        "{}",
        bad[0].summary
    );
    assert_eq!(bad[0].message.id, "inspection-mismatch");
    assert_eq!(bad[0].basis, accord_model::Basis::ReportedByParty);
    let ids: Vec<String> = bad[0]
        .evidence
        .iter()
        .filter_map(|e| match e {
            accord_model::Evidence::Record { id, .. } => Some(id.to_string()),
            _ => None,
        })
        .collect();
    assert!(
        ids.contains(&"US-report-1".to_string())
            && ids.contains(&"RU-reveal-1".to_string())
            && ids.contains(&"RU-commit-1".to_string()),
        "{ids:?}"
    );
    // Items found at a site no reveal shows (here: declared but not yet revealed, or invented).
    let undeclared = report_findings(&report("engels", &[("icbm", 3)]), v.sites(), &ctx).unwrap();
    assert_eq!(undeclared[0].severity, Severity::Violation);
    assert!(undeclared[0].summary.contains("no verified reveal"));
    let empty = report_findings(&report("engels", &[("icbm", 0)]), v.sites(), &ctx).unwrap();
    assert_eq!(empty[0].severity, Severity::Concern);
    // A category the site's entries do not have.
    let extra: BTreeMap<_, _> = v.sites().clone();
    let f = report_findings(&report("tatishchevo", &[("bombers", 1)]), &extra, &ctx).unwrap();
    assert_eq!(f[0].severity, Severity::Violation);
}

#[test]
fn a_commitment_record_one_commitment_short_is_refused_on_parse() {
    let s = setup(&sample_input());
    let mut counts = s.counts.clone();
    counts.commitments.pop();
    let mut short = s.body.clone();
    short.counts = counts.encode();
    let e = RevealVerifier::new(&short).unwrap_err();
    assert!(
        e.to_string()
            .contains("counts.commitments: 9 commitments for 5 sites x 2 categories"),
        "{e}"
    );
    let e = CountCommitments::decode(&short.counts).unwrap_err();
    assert!(e.to_string().contains("9 commitments"), "{e}");
    // One range proof too few, a category twice, an unknown version: refused the same way.
    let mut c = s.counts.clone();
    c.range_proofs.pop();
    let e = CountCommitments::decode(&c.encode()).unwrap_err();
    assert!(e.to_string().contains("range proofs for 3 batches"), "{e}");
    let mut c = s.counts.clone();
    c.categories[1] = c.categories[0].clone();
    let e = CountCommitments::decode(&c.encode()).unwrap_err();
    assert!(e.to_string().contains("listed twice"), "{e}");
    let mut c = s.counts.clone();
    c.version += 7;
    let e = CountCommitments::decode(&c.encode()).unwrap_err();
    assert!(e.to_string().contains("unsupported version"), "{e}");
}

#[test]
fn reveals_must_show_exactly_the_drawn_positions() {
    let s = setup(&sample_input());
    let id = RecordId::new("RU-commitment").unwrap();
    let selection = |selected: Vec<u64>| crate::selection::Selection {
        version: crate::selection::SELECTION_VERSION,
        round: "r1".into(),
        commitment: id.clone(),
        root: s.body.root.clone(),
        method: "random".into(),
        seed: None,
        contributors: Vec::new(),
        withheld: Vec::new(),
        quota: selected.len(),
        candidates: 5,
        selected,
    };
    let verifier_of = |positions: Vec<u64>| {
        let mut v = RevealVerifier::new(&s.body).unwrap();
        v.add(
            &s.secret
                .reveal(&RevealSelection::Positions(positions))
                .unwrap(),
            "r",
        )
        .unwrap();
        v
    };
    // Positions {0, 1} drawn, {0, 1} revealed: answered.
    verifier_of(vec![1, 0])
        .check_selection(&selection(vec![0, 1]), &id)
        .unwrap();
    // {0, 1} drawn, {1, 4} revealed: refused, naming what is missing and what was not drawn.
    let e = verifier_of(vec![1, 4])
        .check_selection(&selection(vec![0, 1]), &id)
        .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("missing 0") && text.contains("not drawn: 4"),
        "{text}"
    );
    // Fewer than drawn, or more, is refused too.
    assert!(
        verifier_of(vec![0])
            .check_selection(&selection(vec![0, 1]), &id)
            .is_err()
    );
    assert!(
        verifier_of(vec![0, 1, 2])
            .check_selection(&selection(vec![0, 1]), &id)
            .is_err()
    );
    // A selection drawn from another commitment does not answer for this one.
    let other = RecordId::new("RU-commitment-2").unwrap();
    let e = verifier_of(vec![0, 1])
        .check_selection(&selection(vec![0, 1]), &other)
        .unwrap_err();
    assert!(e.to_string().contains("draws from RU-commitment"), "{e}");
}

/// The fuzz crash `fuzz/artifacts-found/escrow/reveal-index-beyond-commitments.json`: a
/// commitment with 2 count commitments for 6 entries, and a reveal of entries 2 to 5. The
/// bytes go through what the fuzz target does with them: every JSON value read as a record,
/// the commitment given to the reveal verifier, the reveal decoded and added.
#[test]
fn the_fuzz_crash_of_a_reveal_beyond_the_commitments_is_refused_without_a_panic() {
    let bytes =
        include_str!("../../../fuzz/artifacts-found/escrow/reveal-index-beyond-commitments.json");
    let records: Vec<Record> = serde_json::Deserializer::from_str(bytes)
        .into_iter::<serde_json::Value>()
        .map(|v| serde_json::from_value(v.unwrap()).unwrap())
        .collect();
    assert_eq!(records.len(), 2);
    let RecordBody::DeclarationCommitment(commitment) = &records[0].body else {
        panic!("the first value is the commitment")
    };
    let RecordBody::Reveal(reveal) = &records[1].body else {
        panic!("the second value is the reveal")
    };
    let e = RevealVerifier::new(commitment).unwrap_err();
    assert!(e.to_string().contains("unsupported version 1"), "{e}");
    let e = RevealBundle::decode(&reveal.entries).unwrap_err();
    assert!(e.to_string().contains("reveal"), "{e}");

    // The same shape in today's format: a reveal naming leaves past the last commitment, and
    // a commitment record short of commitments.
    let s = setup(&sample_input());
    let mut v = RevealVerifier::new(&s.body).unwrap();
    let mut bundle = s.secret.reveal(&sites(&["teykovo"])).unwrap();
    for e in &mut bundle.entries {
        e.index += 2;
    }
    let e = v.add(&bundle, "RU-reveal-beyond").unwrap_err();
    assert!(
        matches!(
            e,
            EscrowError::Reveal {
                kind: RevealErrorKind::Malformed | RevealErrorKind::NotUnderRoot,
                ..
            }
        ),
        "{e}"
    );
    assert!(v.sites().is_empty());
    let mut counts = s.counts.clone();
    counts.commitments.truncate(2);
    let mut short = s.body.clone();
    short.counts = counts.encode();
    let e = RevealVerifier::new(&short).unwrap_err();
    assert!(e.to_string().contains("2 commitments for 5 sites"), "{e}");
}

/// Limit proofs at their edges: the records a proof must match, malformed limit lists, the
/// exact bounds of a provable limit, and encoded proofs that do not decode.
mod limit_edges {
    use accord_model::{
        AgreementId, LimitProofRecord, PartyId, ProvisionId, Record, RecordBody, RecordId,
    };

    use super::{B64, cat, weighted};
    use crate::*;
    use base64::Engine as _;

    fn p(s: &str) -> PartyId {
        PartyId::new(s).unwrap()
    }

    /// Two sites: icbms 3 + 2 = 5, warheads 10 + 5 = 15; warheads + 2*icbms = 25.
    fn declaration() -> crate::DeclarationInput {
        serde_json::from_value(serde_json::json!({
            "party": "RU", "agreement": "new-start", "as_of": "2026-02-05", "bits": 8, "batch": 4,
            "sites": [
                {"site": "kozelsk", "counts": {"icbms": 3, "warheads": 10}},
                {"site": "yasny", "counts": {"icbms": 2, "warheads": 5}},
            ],
        }))
        .unwrap()
    }

    struct Escrowed {
        secret: crate::EscrowSecret,
        verified: VerifiedCounts,
        commitment: Record,
    }

    fn escrowed() -> Escrowed {
        let (secret, counts) = commit(&declaration()).unwrap();
        let verified = counts.verify(&secret.range_context().unwrap()).unwrap();
        let commitment = Record {
            id: RecordId::new("RU-commitment-2026-02-05").unwrap(),
            party: p("RU"),
            issued_at: "2026-02-06T00:00:00Z".parse().unwrap(),
            body: RecordBody::DeclarationCommitment(secret.commitment_body(&counts)),
        };
        Escrowed {
            secret,
            verified,
            commitment,
        }
    }

    fn ctx(e: &Escrowed) -> LimitContext {
        LimitContext {
            agreement: AgreementId::new("new-start").unwrap(),
            provision: ProvisionId::new("art-ii-1-b").unwrap(),
            party: p("RU"),
            date: "2026-02-05".parse().unwrap(),
            root: e.secret.root_bytes().unwrap(),
        }
    }

    fn rejected(r: Result<impl std::fmt::Debug, EscrowError>) -> String {
        match r {
            Err(EscrowError::LimitRejected(why)) => why,
            other => panic!("should be rejected, got {other:?}"),
        }
    }

    #[test]
    fn limits_are_written_and_compared_as_weighted_sums() {
        let l = weighted(&[("warheads", 1), ("icbms", 2)], 25);
        assert_eq!(l.quantity(), "warheads + 2*icbms");
        assert_eq!(l.to_string(), "warheads + 2*icbms <= 25");
        assert_eq!(
            LimitValue::single(cat("icbms"), 5),
            weighted(&[("icbms", 1)], 5)
        );
        assert!(l.same_quantity(&weighted(&[("icbms", 2), ("warheads", 1)], 7)));
        assert!(!l.same_quantity(&weighted(&[("icbms", 1), ("warheads", 1)], 25)));
        assert!(!l.same_quantity(&weighted(&[("warheads", 1)], 25)));
    }

    #[test]
    fn a_limit_equal_to_the_total_is_proven_and_one_below_is_not() {
        let e = escrowed();
        let openings = e.secret.openings().unwrap();
        let c = ctx(&e);
        for (limit, total) in [
            (weighted(&[("warheads", 1), ("icbms", 2)], 25), 25),
            (weighted(&[("icbms", 1)], 5), 5),
            (weighted(&[("warheads", 1)], 15), 15),
        ] {
            let proof = prove_limit(&openings, &c, std::slice::from_ref(&limit)).unwrap();
            verify_limit(&e.verified, &c, &proof).unwrap();
            let mut lower = limit.clone();
            lower.limit -= 1;
            match prove_limit(&openings, &c, &[lower.clone()]) {
                Err(EscrowError::OverLimit {
                    quantity,
                    total: t,
                    limit: l,
                }) => {
                    assert_eq!(
                        (quantity, t, l),
                        (limit.quantity(), total, total as u64 - 1)
                    );
                }
                other => panic!("{lower} should be over the limit, got {other:?}"),
            }
            // The proof of the true limit does not pass for the lower one.
            let mut claimed = proof.clone();
            claimed.limits[0].limit -= 1;
            rejected(verify_limit(&e.verified, &c, &claimed));
        }
        // A limit whose slack is past what the proof covers (2^32) is refused; just below, proven.
        let at_most = weighted(&[("icbms", 1)], 5 + (1u64 << 32) - 1);
        let proof = prove_limit(&openings, &c, std::slice::from_ref(&at_most)).unwrap();
        verify_limit(&e.verified, &c, &proof).unwrap();
        match prove_limit(
            &openings,
            &c,
            &[weighted(&[("icbms", 1)], 5 + (1u64 << 32))],
        ) {
            Err(EscrowError::Proving(why)) => assert!(why.contains("past the 2^32"), "{why}"),
            other => panic!("slack of 2^32 should be refused, got {other:?}"),
        }
    }

    #[test]
    fn malformed_limit_lists_are_refused_by_prover_and_verifier() {
        let e = escrowed();
        let openings = e.secret.openings().unwrap();
        let c = ctx(&e);
        let good = prove_limit(&openings, &c, &[weighted(&[("icbms", 1)], 5)]).unwrap();
        let cases: [(Vec<LimitValue>, &str); 5] = [
            (vec![], "no limit is given"),
            (vec![weighted(&[], 5)], "limit 0 counts no category"),
            (
                vec![weighted(&[("icbms", 0)], 5)],
                "category icbms has weight 0",
            ),
            (
                vec![weighted(&[("icbms", 1), ("icbms", 2)], 50)],
                "category icbms is counted twice",
            ),
            (
                vec![
                    weighted(&[("icbms", 1), ("warheads", 2)], 50),
                    weighted(&[("warheads", 2), ("icbms", 1)], 60),
                ],
                "2*warheads + icbms is limited twice",
            ),
        ];
        for (limits, words) in cases {
            let why = rejected(prove_limit(&openings, &c, &limits));
            assert!(why.contains(words), "{why} should say {words}");
            let mut forged = good.clone();
            forged.limits = limits;
            let why = rejected(verify_limit(&e.verified, &c, &forged));
            assert!(why.contains(words), "{why} should say {words}");
        }
        // A category the declaration does not have.
        for r in [
            prove_limit(&openings, &c, &[weighted(&[("bombers", 1)], 5)]).map(|_| ()),
            verify_limit(&e.verified, &c, &{
                let mut p = good.clone();
                p.limits = vec![weighted(&[("bombers", 1)], 5)];
                p
            }),
        ] {
            match r {
                Err(EscrowError::UnknownCategory {
                    provision,
                    category,
                }) => {
                    assert_eq!(
                        (provision.as_str(), category.as_str()),
                        ("art-ii-1-b", "bombers")
                    )
                }
                other => panic!("bombers should be unknown, got {other:?}"),
            }
        }
    }

    #[test]
    fn an_encoded_proof_that_does_not_decode_or_has_another_version_is_refused() {
        let e = escrowed();
        let c = ctx(&e);
        let proof = prove_limit(
            &e.secret.openings().unwrap(),
            &c,
            &[weighted(&[("icbms", 1)], 5)],
        )
        .unwrap();
        assert_eq!(LimitProof::decode(&proof.encode()).unwrap(), proof);
        assert_eq!(
            LimitProof::decode(&format!(" {}\n", proof.encode())).unwrap(),
            proof
        );
        for bad in ["", "not base64!", "bm90IGpzb24=", "e30="] {
            match LimitProof::decode(bad) {
                Err(e @ EscrowError::Decode { .. }) => {
                    assert!(e.to_string().contains("limit proof"), "{e}")
                }
                other => panic!("{bad:?} should not decode, got {other:?}"),
            }
        }
        let mut json: serde_json::Value =
            serde_json::from_slice(&B64.decode(proof.encode()).unwrap()).unwrap();
        json["extra"] = 1.into();
        assert!(LimitProof::decode(&B64.encode(json.to_string())).is_err());

        let mut old = proof.clone();
        old.version = 2;
        assert_eq!(
            rejected(verify_limit(&e.verified, &c, &old)),
            "unsupported version 2"
        );
        let mut garbled = proof.clone();
        garbled.proof = "!!".into();
        assert_eq!(garbled.proof_bytes(), 0);
        assert!(
            rejected(verify_limit(&e.verified, &c, &garbled)).starts_with("proof is not base64")
        );
        let mut short = proof.clone();
        short.proof = B64.encode([0u8; 31]);
        assert!(
            rejected(verify_limit(&e.verified, &c, &short)).starts_with("proof does not parse")
        );
    }

    /// A limit proof record by `party` over `e`'s commitment, its body changed by `change`.
    fn proof_record(
        e: &Escrowed,
        party: &str,
        change: impl FnOnce(&mut LimitProofRecord),
    ) -> Record {
        let mut body = LimitProofRecord {
            agreement: AgreementId::new("new-start").unwrap(),
            provision: ProvisionId::new("art-ii-1-b").unwrap(),
            commitment: e.commitment.id.clone(),
            as_of: "2026-02-05".parse().unwrap(),
            proof: String::new(),
        };
        change(&mut body);
        Record {
            id: RecordId::new("RU-limit").unwrap(),
            party: p(party),
            issued_at: "2026-02-06T00:00:00Z".parse().unwrap(),
            body: RecordBody::LimitProof(body),
        }
    }

    #[test]
    fn a_proof_record_is_verified_in_the_context_of_the_commitment_it_names() {
        let e = escrowed();
        let record = proof_record(&e, "RU", |_| {});
        assert_eq!(
            LimitContext::for_record(&record, &e.commitment).unwrap(),
            ctx(&e)
        );
        let cases: [(Record, &str); 4] = [
            (
                proof_record(&e, "RU", |b| {
                    b.commitment = RecordId::new("RU-other").unwrap()
                }),
                "proof RU-limit: is over commitment RU-other, not RU-commitment-2026-02-05",
            ),
            (
                proof_record(&e, "RU", |b| b.agreement = AgreementId::new("inf").unwrap()),
                "proof RU-limit: is for agreement inf, the declaration is made under new-start",
            ),
            (
                proof_record(&e, "US", |_| {}),
                "proof RU-limit: is by US, the declaration by RU",
            ),
            (
                proof_record(&e, "RU", |b| b.as_of = "2026-02-06".parse().unwrap()),
                "proof RU-limit: is for 2026-02-06, the declaration holds for 2026-02-05",
            ),
        ];
        for (record, why) in cases {
            assert_eq!(
                rejected(LimitContext::for_record(&record, &e.commitment)),
                why
            );
        }
        // Records of other kinds, either way round.
        assert!(
            rejected(LimitContext::for_record(&e.commitment, &e.commitment))
                .contains("is a declaration_commitment record, not a limit_proof")
        );
        assert!(
            rejected(LimitContext::for_record(&record, &record))
                .contains("is a limit_proof record, not a declaration_commitment")
        );
    }
}
