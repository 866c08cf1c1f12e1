//! Escrow records checked as a party hands them over in files: a limit proof record against the
//! limits its verifier requires, and reveal records, in order, against the commitment they
//! open. A failed check is a verdict (the records do not stand); an [`InputError`] names the
//! input that cannot be read at all.

use accord_agreements::Agreement;
use accord_model::{
    AgreementId, Category, DeclarationCommitment, ProvisionId, Record, RecordBody, RecordId,
};

use crate::selection::Selection;
use crate::{
    CountCommitments, EscrowError, LimitContext, LimitProof, LimitValue, RangeContext,
    RevealBundle, RevealVerifier, proves_required, verify_limit,
};

/// Which input a check could not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The limit proof record.
    Proof,
    /// The commitment record.
    Commitment,
    /// The commitment record's count commitments.
    Counts,
    /// A reveal record: its place in the list given.
    Reveal(usize),
}

/// An input that cannot be read, with the input it is.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct InputError {
    /// The input.
    pub input: Input,
    /// What is wrong with it.
    #[source]
    pub error: EscrowError,
}

fn input(input: Input) -> impl Fn(EscrowError) -> InputError {
    move |error| InputError { input, error }
}

/// Whether an escrow error is a failed verification (the records do not stand) rather than
/// input that cannot be read.
pub fn is_verification_failure(e: &EscrowError) -> bool {
    matches!(
        e,
        EscrowError::Reveal { .. }
            | EscrowError::CountRange { .. }
            | EscrowError::LimitRejected(_)
            | EscrowError::OverLimit { .. }
    )
}

/// The limit `provision` sets in `agreement`, which must be `expected`, the agreement the
/// declaration is made under.
pub fn agreement_limit(
    agreement: &Agreement,
    expected: &AgreementId,
    provision: &ProvisionId,
) -> Result<LimitValue, EscrowError> {
    if &agreement.id != expected {
        return Err(EscrowError::Mismatch(format!(
            "this is agreement {}, but the declaration is made under {expected}",
            agreement.id
        )));
    }
    crate::provision_limit(agreement, provision)
}

/// Checks that every category a limit of `provision` counts is escrowed in `categories`.
pub fn check_escrowed(
    limits: &[LimitValue],
    provision: &ProvisionId,
    categories: &[Category],
) -> Result<(), EscrowError> {
    for l in limits {
        for t in &l.terms {
            if !categories.contains(&t.category) {
                let names: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
                return Err(EscrowError::Mismatch(format!(
                    "provision {provision} counts category {}, which the escrow does not declare \
                     (its categories: {})",
                    t.category,
                    names.join(", ")
                )));
            }
        }
    }
    Ok(())
}

/// A limit proof record's verdict: the proof, and the first check it failed, if any.
#[derive(Debug, Clone)]
pub struct LimitVerdict {
    /// The proof the record carries.
    pub proof: LimitProof,
    /// The first check that failed, in words; `None` when the proof stands.
    pub failure: Option<String>,
}

/// Verifies the limit proof record `record` over the commitment record `commitment`: filed
/// under `provision`, proving every limit of `required`, bound to the commitment, with the
/// commitment's range proofs and the limit proof verified.
pub fn verify_limit_record(
    record: &Record,
    commitment: &Record,
    provision: &ProvisionId,
    required: &[LimitValue],
) -> Result<LimitVerdict, InputError> {
    let RecordBody::LimitProof(lp) = &record.body else {
        return Err(InputError {
            input: Input::Proof,
            error: EscrowError::Mismatch(format!(
                "record {} is a {} record, not a limit_proof",
                record.id,
                record.body.kind()
            )),
        });
    };
    let RecordBody::DeclarationCommitment(body) = &commitment.body else {
        return Err(InputError {
            input: Input::Commitment,
            error: EscrowError::Mismatch(format!(
                "record {} is a {} record, not a declaration_commitment",
                commitment.id,
                commitment.body.kind()
            )),
        });
    };
    let proof = LimitProof::decode(&lp.proof).map_err(input(Input::Proof))?;
    let mut failure: Option<String> = None;
    let ctx = match LimitContext::for_record(record, commitment) {
        Ok(ctx) => Some(ctx),
        Err(e) if is_verification_failure(&e) => {
            failure = Some(e.to_string());
            None
        }
        Err(e) => return Err(input(Input::Commitment)(e)),
    };
    if &lp.provision != provision {
        failure.get_or_insert(format!(
            "proof {} is filed under provision {}, the verifier requires {provision}",
            record.id, lp.provision
        ));
    }
    for want in required {
        if let Err(e) = proves_required(&proof, want) {
            failure.get_or_insert(e.to_string());
        }
    }
    if let (None, Some(ctx)) = (&failure, ctx) {
        let counts = CountCommitments::decode(&body.counts).map_err(input(Input::Counts))?;
        let range_ctx =
            RangeContext::for_commitment(commitment).map_err(input(Input::Commitment))?;
        match counts
            .verify(&range_ctx)
            .and_then(|verified| verify_limit(&verified, &ctx, &proof))
        {
            Ok(()) => {}
            Err(e) if is_verification_failure(&e) => failure = Some(e.to_string()),
            Err(e) => return Err(input(Input::Commitment)(e)),
        }
    }
    Ok(LimitVerdict { proof, failure })
}

/// The reveal bundle of a reveal record, checked to refer to the commitment record
/// `commitment`.
pub fn reveal_bundle(record: &Record, commitment: &RecordId) -> Result<RevealBundle, EscrowError> {
    let RecordBody::Reveal(r) = &record.body else {
        return Err(EscrowError::Mismatch(format!(
            "record {} is a {} record, not a reveal",
            record.id,
            record.body.kind()
        )));
    };
    if &r.commitment != commitment {
        return Err(EscrowError::Mismatch(format!(
            "reveal {} refers to commitment {}, not {commitment}",
            record.id, r.commitment
        )));
    }
    RevealBundle::decode(&r.entries)
}

/// Verifies reveal records in order against the commitment record `commitment` (whose body is
/// `body`): each by the committing party, each opening entries under its root; and, when
/// `selection` is given, that together they show exactly the positions it drew. Returns the
/// verifier and the first failure, named by the reveal's label in `labels` (such as its file).
pub fn verify_reveals(
    body: &DeclarationCommitment,
    commitment: &Record,
    reveals: &[Record],
    labels: &[String],
    selection: Option<&Selection>,
) -> Result<(RevealVerifier, Option<String>), InputError> {
    let mut v = RevealVerifier::new(body).map_err(input(Input::Commitment))?;
    for (i, record) in reveals.iter().enumerate() {
        let label = labels.get(i).map(String::as_str).unwrap_or("reveal");
        let bundle = reveal_bundle(record, &commitment.id).map_err(input(Input::Reveal(i)))?;
        if record.party != commitment.party {
            let failure = format!(
                "{label}: reveal {} is by {}, the commitment by {}",
                record.id, record.party, commitment.party
            );
            return Ok((v, Some(failure)));
        }
        match v.add(&bundle, record.id.as_str()) {
            Ok(_) => {}
            Err(e) if is_verification_failure(&e) => {
                return Ok((v, Some(format!("{label}: reveal {}: {e}", record.id))));
            }
            Err(e) => return Err(input(Input::Reveal(i))(e)),
        }
    }
    if let Some(s) = selection
        && let Err(e) = v.check_selection(s, &commitment.id)
    {
        return Ok((v, Some(e.to_string())));
    }
    Ok((v, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DeclarationInput, RevealSelection, prove_limit};
    use accord_model::{LimitProofRecord, PartyId, Reveal};

    fn record(party: &str, id: &str, body: RecordBody) -> Record {
        Record {
            id: RecordId::new(id).unwrap(),
            party: PartyId::new(party).unwrap(),
            issued_at: "2026-02-06T00:00:00Z".parse().unwrap(),
            body,
        }
    }

    fn warheads(limit: u64) -> LimitValue {
        LimitValue::single(Category::new("warheads").unwrap(), limit)
    }

    #[test]
    fn limit_proof_records_and_reveals_are_verified_and_their_faults_named() {
        let input = DeclarationInput::from_json(
            r#"{"party": "RU", "agreement": "new-start", "as_of": "2026-02-05", "bits": 16,
                "batch": 4, "sites": [{"site": "a", "counts": {"warheads": 700}},
                                      {"site": "b", "counts": {"warheads": 300}}]}"#,
        )
        .unwrap();
        let (secret, counts) = crate::commit(&input, &mut crate::test_rng()).unwrap();
        let body = secret.commitment_body(&counts);
        let commitment = record(
            "RU",
            "RU-commitment",
            RecordBody::DeclarationCommitment(body.clone()),
        );
        let provision = ProvisionId::new("art-ii-1-b").unwrap();
        let ctx = LimitContext {
            agreement: secret.agreement.clone(),
            provision: provision.clone(),
            party: secret.party.clone(),
            date: secret.as_of,
            root: secret.root_bytes().unwrap(),
        };
        let openings = secret.openings().unwrap();
        let proof = prove_limit(&openings, &ctx, &[warheads(1550)], &mut crate::test_rng());
        let proof = record(
            "RU",
            "RU-limit",
            RecordBody::LimitProof(LimitProofRecord {
                agreement: secret.agreement.clone(),
                provision: provision.clone(),
                commitment: commitment.id.clone(),
                as_of: secret.as_of,
                proof: proof.unwrap().encode(),
            }),
        );
        let verdict = |p: &ProvisionId, required: &[LimitValue]| {
            verify_limit_record(&proof, &commitment, p, required)
                .unwrap()
                .failure
        };
        assert_eq!(verdict(&provision, &[warheads(1550)]), None);
        let stricter = verdict(&provision, &[warheads(1000)]).unwrap();
        assert!(stricter.contains("1000"), "{stricter}");
        let other = ProvisionId::new("art-ii-1-a").unwrap();
        let filed = verdict(&other, &[]).unwrap();
        assert!(
            filed.contains("filed under provision art-ii-1-b, the verifier requires art-ii-1-a"),
            "{filed}"
        );
        let swapped = verify_limit_record(&commitment, &commitment, &provision, &[]).unwrap_err();
        assert_eq!(swapped.input, Input::Proof);
        assert!(
            swapped.to_string().contains("not a limit_proof"),
            "{swapped}"
        );

        // Reveals: by the committing party, of this commitment.
        let reveal = |party: &str, of: &str| {
            let bundle = secret.reveal(&RevealSelection::Positions(vec![0])).unwrap();
            record(
                party,
                &format!("{party}-reveal"),
                RecordBody::Reveal(Reveal {
                    commitment: RecordId::new(of).unwrap(),
                    phase: "1".into(),
                    entries: bundle.encode(),
                }),
            )
        };
        let labels = ["r.json".to_owned()];
        let check = |r: Record| verify_reveals(&body, &commitment, &[r], &labels, None);
        let (v, failure) = check(reveal("RU", "RU-commitment")).unwrap();
        assert_eq!((v.sites().len(), failure), (1, None));
        let (_, failure) = check(reveal("US", "RU-commitment")).unwrap();
        assert_eq!(
            failure.as_deref(),
            Some("r.json: reveal US-reveal is by US, the commitment by RU")
        );
        let elsewhere = check(reveal("RU", "RU-other")).unwrap_err();
        assert_eq!(elsewhere.input, Input::Reveal(0));
        assert_eq!(
            elsewhere.to_string(),
            "reveal RU-reveal refers to commitment RU-other, not RU-commitment"
        );

        // Limits over categories the escrow lacks, and another agreement's limit.
        let bombers = LimitValue::single(Category::new("bombers").unwrap(), 5);
        let missing = check_escrowed(&[bombers], &provision, &secret.categories).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "provision art-ii-1-b counts category bombers, which the escrow does not declare \
             (its categories: warheads)"
        );
        let (_, text) = accord_agreements::builtin_file("new-start").unwrap();
        let agreement = accord_agreements::parse(
            text,
            "new-start.toml",
            accord_agreements::Vocabulary::builtin(),
        )
        .unwrap();
        assert_eq!(
            agreement_limit(&agreement, &secret.agreement, &provision)
                .unwrap()
                .limit,
            1550
        );
        let inf = AgreementId::new("inf").unwrap();
        assert_eq!(
            agreement_limit(&agreement, &inf, &provision)
                .unwrap_err()
                .to_string(),
            "this is agreement new-start, but the declaration is made under inf"
        );
    }
}
