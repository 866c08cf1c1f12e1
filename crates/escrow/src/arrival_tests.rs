//! Escrow records checked on arrival against what a receiver holds.

use accord_model::{Instant, LimitProofRecord, Reveal};

use super::*;
use crate::order::Trust;
use crate::{DeclarationInput, EscrowSecret, LimitValue, RevealSelection, prove_limit};

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

fn t(s: &str) -> Instant {
    s.parse().unwrap()
}

/// What a receiver holds: some logged records and the agreements it was configured with.
struct Receiver {
    records: Vec<Logged>,
    agreements: Vec<Agreement>,
    trust: Trust,
}

impl Held for Receiver {
    fn logged(&self, author: Option<&PartyId>, id: &RecordId) -> Option<Logged> {
        self.records
            .iter()
            .find(|l| &l.record.id == id && author.is_none_or(|a| *a == l.record.party))
            .cloned()
    }
    fn seed_commits(&self, round: &str, declaration: &RecordId) -> Vec<Logged> {
        self.records
            .iter()
            .filter(|l| {
                matches!(&l.record.body, RecordBody::SeedCommit(c)
                    if c.round == round && &c.commitment == declaration)
            })
            .cloned()
            .collect()
    }
    fn agreement(&self, id: &AgreementId) -> Option<&Agreement> {
        self.agreements.iter().find(|a| &a.id == id)
    }
    fn trust(&self) -> &Trust {
        &self.trust
    }
    fn seed_reveals(&self, round: &str) -> Vec<Logged> {
        self.records
            .iter()
            .filter(|l| matches!(&l.record.body, RecordBody::SeedReveal(r) if r.round == round))
            .cloned()
            .collect()
    }
    fn reveals(&self, author: &PartyId, commitment: &RecordId) -> Vec<Logged> {
        self.records
            .iter()
            .filter(|l| {
                &l.record.party == author
                    && matches!(&l.record.body, RecordBody::Reveal(r) if &r.commitment == commitment)
            })
            .cloned()
            .collect()
    }
}

fn new_start() -> Agreement {
    let (file, text) = accord_agreements::builtin_file("new-start").unwrap();
    accord_agreements::parse(text, file, accord_agreements::Vocabulary::builtin()).unwrap()
}

fn logged(id: &str, issued_at: &str, body: RecordBody) -> Logged {
    let record = Record {
        id: RecordId::new(id).unwrap(),
        party: p("RU"),
        issued_at: t(issued_at),
        body,
    };
    Logged {
        entry: record.to_canonical_json(),
        record,
    }
}

/// RU's declaration of 1,500 deployed warheads and 50 heavy bombers on three sites (1,550
/// counted under art-ii-1-b: exactly the limit), committed once for every test.
fn committed() -> &'static (EscrowSecret, Logged) {
    use std::sync::OnceLock;
    static ONE: OnceLock<(EscrowSecret, Logged)> = OnceLock::new();
    ONE.get_or_init(|| {
        let input = DeclarationInput::from_json(
            r#"{"party": "RU", "agreement": "new-start", "as_of": "2026-02-05",
                "bits": 16, "batch": 8,
                "sites": [{"site": "kozelsk", "counts": {"warheads": 600, "heavy_bombers": 0}},
                          {"site": "engels", "counts": {"warheads": 0, "heavy_bombers": 50}},
                          {"site": "yasny", "counts": {"warheads": 900, "heavy_bombers": 0}}]}"#,
        )
        .unwrap();
        let (secret, counts) = crate::commit(&input, &mut crate::test_rng()).unwrap();
        let body = RecordBody::DeclarationCommitment(secret.commitment_body(&counts));
        let record = logged("RU-commitment", "2026-02-05T00:00:00Z", body);
        (secret, record)
    })
}

fn receiver(records: Vec<Logged>) -> Receiver {
    Receiver {
        records,
        agreements: vec![new_start()],
        trust: Trust::new(),
    }
}

fn failure(r: Result<Checked, Failure>) -> Failure {
    match r {
        Err(f) => f,
        Ok(c) => panic!("expected a failure, got {c:?}"),
    }
}

fn limit_record(secret: &EscrowSecret, provision: &str, limits: &[LimitValue]) -> Logged {
    let ctx = LimitContext {
        agreement: secret.agreement.clone(),
        provision: ProvisionId::new(provision).unwrap(),
        party: secret.party.clone(),
        date: secret.as_of,
        root: secret.root_bytes().unwrap(),
    };
    let proof = prove_limit(
        &secret.openings().unwrap(),
        &ctx,
        limits,
        &mut crate::test_rng(),
    )
    .unwrap();
    logged(
        &format!("RU-limit-{provision}-{}", limits[0].limit),
        "2026-02-06T00:00:00Z",
        RecordBody::LimitProof(LimitProofRecord {
            agreement: secret.agreement.clone(),
            provision: ctx.provision.clone(),
            commitment: RecordId::new("RU-commitment").unwrap(),
            as_of: secret.as_of,
            proof: proof.encode(),
        }),
    )
}

#[test]
fn a_commitment_verifies_and_one_with_a_range_proof_swapped_fails_as_a_finding() {
    let (_, commitment) = committed();
    let held = receiver(vec![commitment.clone()]);
    assert_eq!(check(commitment, &held), Ok(Checked::Verified));

    // Another declaration's range proof in this one's counts.
    let RecordBody::DeclarationCommitment(body) = &commitment.record.body else {
        unreachable!()
    };
    let mut counts = CountCommitments::decode(&body.counts).unwrap();
    counts.range_proofs.reverse();
    counts.range_proofs[0] = counts.range_proofs[0].replacen('A', "B", 1);
    let mut forged = body.clone();
    forged.counts = counts.encode();
    let forged = logged(
        "RU-commitment-2",
        "2026-02-05T00:00:00Z",
        RecordBody::DeclarationCommitment(forged),
    );
    let f = failure(check(&forged, &held));
    assert_eq!(f.check, Check::RangeProofs, "{f}");
    let finding = f.finding(&p("RU"), "declaration_commitment", 7).unwrap();
    assert_eq!(
        (
            finding.agreement.as_str(),
            finding.provision.as_str(),
            finding.party.as_str(),
            finding.severity,
            finding.message.id.as_str(),
        ),
        (
            "new-start",
            "data-exchange",
            "RU",
            Severity::Violation,
            "escrow-check-failed"
        )
    );
    assert_eq!(
        finding.evidence,
        vec![Evidence::logged(
            RecordId::new("RU-commitment-2").unwrap(),
            "accord/log/RU",
            7
        )]
    );
    assert!(
        finding.summary.contains("RU-commitment-2"),
        "{}",
        finding.summary
    );

    // A receiver that does not hold the agreement.
    let stranger = Receiver {
        agreements: Vec::new(),
        ..receiver(vec![])
    };
    let f = failure(check(commitment, &stranger));
    assert_eq!(f.check, Check::Agreement);
    assert!(f.reason.contains("new-start"), "{f}");
    assert_eq!(f.finding(&p("RU"), "declaration_commitment", 0), None);
}

#[test]
fn a_reveal_is_checked_against_the_committed_root_once_the_commitment_is_held() {
    let (secret, commitment) = committed();
    let bundle = secret.reveal(&RevealSelection::Positions(vec![1])).unwrap();
    let reveal = |entries: String| {
        logged(
            "RU-reveal-1",
            "2026-02-06T00:00:00Z",
            RecordBody::Reveal(Reveal {
                commitment: RecordId::new("RU-commitment").unwrap(),
                phase: "1".into(),
                entries,
            }),
        )
    };
    let good = reveal(bundle.encode());
    assert!(matches!(
        check(&good, &receiver(vec![])),
        Ok(Checked::Waiting(w)) if w.contains("RU-commitment")
    ));
    let held = receiver(vec![commitment.clone()]);
    assert_eq!(check(&good, &held), Ok(Checked::Verified));

    let mut tampered = bundle.clone();
    tampered.entries[0].count += 1;
    let f = failure(check(&reveal(tampered.encode()), &held));
    assert_eq!(f.check, Check::Reveal);
    assert!(f.reason.contains("does not open"), "{f}");
    assert_eq!(f.agreement.as_ref().map(|a| a.as_str()), Some("new-start"));
}

#[test]
fn a_limit_proof_is_held_to_the_receivers_own_copy_of_the_provision() {
    let (secret, commitment) = committed();
    let held = receiver(vec![commitment.clone()]);
    let required = provision_limit(&new_start(), &ProvisionId::new("art-ii-1-b").unwrap()).unwrap();
    assert_eq!(required.to_string(), "warheads + heavy_bombers <= 1550");
    let good = limit_record(secret, "art-ii-1-b", std::slice::from_ref(&required));
    assert_eq!(check(&good, &held), Ok(Checked::Verified));
    assert!(matches!(
        check(&good, &receiver(vec![])),
        Ok(Checked::Waiting(_))
    ));

    // A proof of a looser limit than the agreement sets is refused, though it verifies.
    let loose = LimitValue {
        limit: 4_000_000,
        ..required.clone()
    };
    let f = failure(check(&limit_record(secret, "art-ii-1-b", &[loose]), &held));
    assert_eq!(f.check, Check::LimitProof);
    assert!(f.reason.contains("required limit is 1550"), "{f}");
    let finding = f.finding(&p("RU"), "limit_proof", 3).unwrap();
    assert_eq!(finding.provision.as_str(), "art-ii-1-b");

    // A proof filed under a provision that is not a limit.
    let f = failure(check(
        &limit_record(secret, "data-exchange", &[required]),
        &held,
    ));
    assert!(f.reason.contains("not a limit"), "{f}");
}
