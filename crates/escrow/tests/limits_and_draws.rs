//! Limit proofs and inspection draws at their edges: the records a proof must match, malformed
//! limit lists, the exact bounds of a provable limit, encoded proofs that do not decode, and
//! the selection's checks of rounds, declarations, contributors and quotas.

use accord_escrow::selection::{
    Contribution, DrawSource, SelectionError, check_commit, check_contribution, free_choice,
    seed_digest, select, select_without,
};
use accord_escrow::{
    EscrowError, LimitContext, LimitProof, LimitTerm, LimitValue, VerifiedCounts, commit,
    prove_limit, verify_limit,
};
use accord_model::{
    AgreementId, Category, LimitProofRecord, PartyId, ProvisionId, Record, RecordBody, RecordId,
    SeedCommit, SeedReveal,
};

fn cat(s: &str) -> Category {
    Category::new(s).unwrap()
}

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

/// Two sites: icbms 3 + 2 = 5, warheads 10 + 5 = 15; warheads + 2*icbms = 25.
fn declaration() -> accord_escrow::DeclarationInput {
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
    secret: accord_escrow::EscrowSecret,
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
        serde_json::from_slice(&base64_decode(&proof.encode())).unwrap();
    json["extra"] = 1.into();
    assert!(LimitProof::decode(&base64_encode(json.to_string().as_bytes())).is_err());

    let mut old = proof.clone();
    old.version = 2;
    assert_eq!(
        rejected(verify_limit(&e.verified, &c, &old)),
        "unsupported version 2"
    );
    let mut garbled = proof.clone();
    garbled.proof = "!!".into();
    assert_eq!(garbled.proof_bytes(), 0);
    assert!(rejected(verify_limit(&e.verified, &c, &garbled)).starts_with("proof is not base64"));
    let mut short = proof.clone();
    short.proof = base64_encode(&[0u8; 31]);
    assert!(rejected(verify_limit(&e.verified, &c, &short)).starts_with("proof does not parse"));
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

fn base64_encode(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// A limit proof record by `party` over `e`'s commitment, its body changed by `change`.
fn proof_record(e: &Escrowed, party: &str, change: impl FnOnce(&mut LimitProofRecord)) -> Record {
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

fn source(sites: u64) -> DrawSource {
    DrawSource {
        commitment: RecordId::new("RU-commitment-1").unwrap(),
        root: [0xab; 32],
        sites,
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
            declaration: accord_model::LogReceipt {
                checkpoint: String::new(),
                proof: accord_model::ReceiptProof {
                    index: 0,
                    size: 1,
                    hashes: Vec::new(),
                },
            },
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
    let cases: [(&str, fn(&mut Contribution)); 3] = [
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
