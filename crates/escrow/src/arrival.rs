//! Escrow records checked as a node receives them, in a peer's log or from its own party.
//!
//! [`check`] takes one logged record and what the receiver holds ([`Held`]: the records of
//! every log, its own copy of the agreements, the parties' keys) and says whether the record
//! stands:
//!
//! - a `declaration_commitment`: under an agreement the receiver holds, its count commitments
//!   decode, cover exactly its entries, and every range proof verifies;
//! - a `reveal`: of its author's own commitment, every entry under the committed root, salted
//!   as committed and opening its Pedersen commitment;
//! - a `limit_proof`: over its author's commitment, for the limit that its provision sets in
//!   the receiver's own copy of the agreement (never the limit the proof claims), with the
//!   commitment's range proofs and the limit proof verified;
//! - a `seed_commit`: drawing from a held declaration, with that declaration's receipt cosigned
//!   by every other party of the round ([`crate::order::check_seed_commit`]);
//! - a `seed_reveal`: opening its author's commit, with a receipt cosigned by the revealer of
//!   every other party's commit of the round ([`crate::order::check_seed_reveal`]).
//!
//! Any other record passes untouched. A record that refers to one the receiver does not hold
//! yet is [`Checked::Waiting`]: it is checked again when more records arrive. A failure names
//! the check and the reason, and becomes a finding against the record's author with the record
//! (its log and index) as evidence ([`Failure::finding`]).

use std::collections::BTreeSet;

use accord_agreements::{Agreement, ProvisionBody};
use accord_model::{
    AgreementId, Arg, Basis, Evidence, Finding, Message, PartyId, ProvisionId, Record, RecordBody,
    RecordId, Severity,
};

use crate::inspection::{ReportContext, report_findings};
use crate::order::{
    Logged, MissingReveal, OrderError, RevealRule, RoundOutcome, Trust, check_seed_commit,
    check_seed_reveal, draw_source,
};
use crate::{
    CountCommitments, LimitContext, LimitProof, RangeContext, RevealBundle, RevealVerifier,
    proves_required, provision_limit, verify_limit,
};

/// What the receiver holds, as the checks need it.
pub trait Held {
    /// The record `id` as logged by `author` (by any author when `None`), with its log entry.
    fn logged(&self, author: Option<&PartyId>, id: &RecordId) -> Option<Logged>;
    /// Every seed commit of `round` that draws from the declaration record `declaration`.
    fn seed_commits(&self, round: &str, declaration: &RecordId) -> Vec<Logged>;
    /// The receiver's own copy of agreement `id`, if it holds it.
    fn agreement(&self, id: &AgreementId) -> Option<&Agreement>;
    /// The log and cosigner keys of every party.
    fn trust(&self) -> &Trust;
    /// Every seed reveal of `round`.
    fn seed_reveals(&self, round: &str) -> Vec<Logged>;
    /// Every reveal of the commitment `commitment` by `author`, in its log's order.
    fn reveals(&self, author: &PartyId, commitment: &RecordId) -> Vec<Logged>;
}

/// A record that stands, for now or for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// Not an escrow or selection record: nothing to check.
    NotEscrow,
    /// Every check passed.
    Verified,
    /// The record refers to something the receiver does not hold yet (said in words); it is
    /// checked again when more records arrive.
    Waiting(String),
}

/// Which check a record failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Check {
    /// The agreement the record is made under is not one the receiver holds.
    Agreement,
    /// A record it refers to is not of the kind it must be, or not by the right author.
    Reference,
    /// The count commitments or their range proofs.
    RangeProofs,
    /// A reveal against the committed root and commitments.
    Reveal,
    /// A limit proof against the provision's limit and the commitments.
    LimitProof,
    /// A seed commit: its digest, declaration and the declaration's cosigned receipt.
    SeedCommit,
    /// A seed reveal: its opening and the cosigned receipts of the other commits.
    SeedReveal,
}

impl Check {
    /// The check in a few words.
    pub fn label(&self) -> &'static str {
        match self {
            Check::Agreement => "agreement held",
            Check::Reference => "record referred to",
            Check::RangeProofs => "count range proofs",
            Check::Reveal => "reveal against the committed root",
            Check::LimitProof => "limit proof against the agreement's limit",
            Check::SeedCommit => "seed commit order",
            Check::SeedReveal => "seed reveal order",
        }
    }
}

/// A record that failed its check on arrival.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("record {record}: {} failed: {reason}", check.label())]
pub struct Failure {
    /// The record.
    pub record: RecordId,
    /// The check that failed.
    pub check: Check,
    /// What is wrong, in words.
    pub reason: String,
    /// The agreement a finding is filed under, when the record leads to one the receiver holds.
    pub agreement: Option<AgreementId>,
    /// The provision a finding is filed under.
    pub provision: Option<ProvisionId>,
}

impl Failure {
    /// The violation this failure is: against `author`, with the record at `log_index` of its
    /// author's log (origin [`accord_model::log_origin`]) as evidence. `None` when the record leads to no agreement the receiver
    /// holds (nothing to file it under).
    pub fn finding(&self, author: &PartyId, kind: &str, log_index: u64) -> Option<Finding> {
        let agreement = self.agreement.clone()?;
        let provision = self.provision.clone()?;
        let message = Message::new("escrow-check-failed")
            .arg("party", Arg::Id(author.as_str().into()))
            .arg("kind", Arg::Id(kind.into()))
            .arg("record", Arg::Id(self.record.as_str().into()))
            .arg("check", Arg::Text(self.check.label().into()))
            .arg("reason", Arg::Text(self.reason.as_str().into()));
        Some(Finding {
            agreement,
            provision,
            party: author.clone(),
            severity: Severity::Violation,
            basis: Basis::Declared,
            summary: accord_messages::english(&message, &[]),
            message,
            notes: Vec::new(),
            figures: Vec::new(),
            evidence: vec![Evidence::logged(
                self.record.clone(),
                accord_model::log_origin(author.as_str()),
                log_index,
            )],
        })
    }
}

/// Where a failure is filed: the agreement and provision, once known.
struct Filing<'a> {
    record: &'a RecordId,
    agreement: Option<AgreementId>,
    provision: Option<ProvisionId>,
}

impl Filing<'_> {
    fn fail(&self, check: Check, reason: impl std::fmt::Display) -> Failure {
        Failure {
            record: self.record.clone(),
            check,
            reason: reason.to_string(),
            agreement: self.agreement.clone(),
            provision: self.provision.clone(),
        }
    }

    /// Files under `agreement` and the provision `pick` finds in the receiver's copy of it; a
    /// failure when the receiver does not hold it.
    fn under<'h>(
        &mut self,
        held: &'h impl Held,
        agreement: &AgreementId,
        pick: impl Fn(&Agreement) -> Option<ProvisionId>,
    ) -> Result<&'h Agreement, Failure> {
        let a = held.agreement(agreement).ok_or_else(|| {
            self.fail(
                Check::Agreement,
                format!("agreement {agreement} is not one this node holds"),
            )
        })?;
        self.agreement = Some(agreement.clone());
        if self.provision.is_none() {
            self.provision = pick(a).or_else(|| a.provisions.first().map(|p| p.id.clone()));
        }
        Ok(a)
    }
}

/// The provision a declaration's failures are filed under: its data exchange, else its first
/// limit.
fn declaration_provision(a: &Agreement) -> Option<ProvisionId> {
    let of = |want: fn(&ProvisionBody) -> bool| {
        a.provisions
            .iter()
            .find(|p| want(&p.body))
            .map(|p| p.id.clone())
    };
    of(|b| matches!(b, ProvisionBody::DataExchange(_)))
        .or_else(|| of(|b| matches!(b, ProvisionBody::Limit(_))))
}

/// The provision a selection round's failures are filed under: the quota whose sites are drawn
/// from seeds, else the first quota.
fn selection_provision(a: &Agreement) -> Option<ProvisionId> {
    let quota = |seeded: bool| {
        a.provisions
            .iter()
            .find(|p| matches!(&p.body, ProvisionBody::Quota(q) if !seeded || q.seed_reveal.is_some()))
            .map(|p| p.id.clone())
    };
    quota(true).or_else(|| quota(false))
}

/// The declaration commitment record `id` by `author` (any author when `None`): `Ok(None)`
/// when not held, a failure when it is another kind of record.
fn commitment_of(
    held: &impl Held,
    filing: &Filing<'_>,
    author: Option<&PartyId>,
    id: &RecordId,
) -> Result<Option<Logged>, Failure> {
    let Some(logged) = held.logged(author, id) else {
        return Ok(None);
    };
    match &logged.record.body {
        RecordBody::DeclarationCommitment(_) => Ok(Some(logged)),
        other => Err(filing.fail(
            Check::Reference,
            format!(
                "refers to {id}, a {} record, not a declaration_commitment",
                other.kind()
            ),
        )),
    }
}

fn waiting(what: &str, id: &RecordId, author: Option<&PartyId>) -> Checked {
    Checked::Waiting(match author {
        Some(a) => format!("{what} {id} of {a} is not held yet"),
        None => format!("{what} {id} is not held yet"),
    })
}

/// Checks one logged record against what the receiver holds (see the module documentation).
pub fn check(logged: &Logged, held: &impl Held) -> Result<Checked, Failure> {
    let record = &logged.record;
    let author = &record.party;
    let mut filing = Filing {
        record: &record.id,
        agreement: None,
        provision: None,
    };
    match &record.body {
        RecordBody::DeclarationCommitment(c) => {
            filing.under(held, &c.agreement, declaration_provision)?;
            check_counts(record, &filing)?;
            Ok(Checked::Verified)
        }
        RecordBody::Reveal(r) => {
            let Some(commitment) = commitment_of(held, &filing, Some(author), &r.commitment)?
            else {
                return Ok(waiting("commitment", &r.commitment, Some(author)));
            };
            let RecordBody::DeclarationCommitment(c) = &commitment.record.body else {
                return Err(filing.fail(Check::Reference, "not a declaration commitment"));
            };
            filing.under(held, &c.agreement, declaration_provision)?;
            let fail = |e: crate::EscrowError| filing.fail(Check::Reveal, e);
            let mut verifier = RevealVerifier::new(c).map_err(fail)?;
            let bundle = RevealBundle::decode(&r.entries).map_err(fail)?;
            verifier.add(&bundle, record.id.as_str()).map_err(fail)?;
            Ok(Checked::Verified)
        }
        RecordBody::LimitProof(lp) => {
            filing.provision = Some(lp.provision.clone());
            let agreement = filing.under(held, &lp.agreement, |_| None)?;
            let Some(commitment) = commitment_of(held, &filing, Some(author), &lp.commitment)?
            else {
                return Ok(waiting("commitment", &lp.commitment, Some(author)));
            };
            let fail = |e: crate::EscrowError| filing.fail(Check::LimitProof, e);
            let ctx = LimitContext::for_record(record, &commitment.record).map_err(fail)?;
            let required = provision_limit(agreement, &lp.provision).map_err(fail)?;
            let proof = LimitProof::decode(&lp.proof).map_err(fail)?;
            proves_required(&proof, &required).map_err(fail)?;
            let counts = check_counts(&commitment.record, &filing)?;
            verify_limit(&counts, &ctx, &proof).map_err(fail)?;
            Ok(Checked::Verified)
        }
        RecordBody::SeedCommit(c) => {
            let Some(declaration) = commitment_of(held, &filing, None, &c.commitment)? else {
                return Ok(waiting("declaration", &c.commitment, None));
            };
            let RecordBody::DeclarationCommitment(d) = &declaration.record.body else {
                return Err(filing.fail(Check::Reference, "not a declaration commitment"));
            };
            filing.under(held, &d.agreement, selection_provision)?;
            let mut parties: BTreeSet<PartyId> = held
                .seed_commits(&c.round, &c.commitment)
                .into_iter()
                .map(|l| l.record.party)
                .collect();
            parties.insert(author.clone());
            parties.insert(declaration.record.party.clone());
            if parties.len() < 2 {
                return Ok(Checked::Waiting(format!(
                    "no party besides the declarant {author} has committed a seed of round {} \
                     yet: the declaration's receipt is checked against the round's parties once \
                     one has",
                    c.round
                )));
            }
            let parties: Vec<PartyId> = parties.into_iter().collect();
            check_seed_commit(logged, &declaration, &parties, held.trust())
                .map_err(|e| filing.fail(Check::SeedCommit, e))?;
            Ok(Checked::Verified)
        }
        RecordBody::SeedReveal(r) => {
            let Some(own) = held.logged(Some(author), &r.commit) else {
                return Ok(waiting("seed commit", &r.commit, Some(author)));
            };
            let RecordBody::SeedCommit(c) = &own.record.body else {
                return Err(filing.fail(
                    Check::Reference,
                    format!(
                        "refers to {}, a {} record, not a seed_commit",
                        r.commit,
                        own.record.body.kind()
                    ),
                ));
            };
            let Some(declaration) = commitment_of(held, &filing, None, &c.commitment)? else {
                return Ok(waiting("declaration", &c.commitment, None));
            };
            let RecordBody::DeclarationCommitment(d) = &declaration.record.body else {
                return Err(filing.fail(Check::Reference, "not a declaration commitment"));
            };
            filing.under(held, &d.agreement, selection_provision)?;
            let source =
                draw_source(&declaration.record).map_err(|e| filing.fail(Check::SeedReveal, e))?;
            // The other commits: those held, and those the reveal says it saw.
            let mut others: Vec<Logged> = held
                .seed_commits(&c.round, &c.commitment)
                .into_iter()
                .filter(|l| &l.record.party != author)
                .collect();
            for seen in &r.seen {
                if others.iter().any(|o| o.record.id == seen.commit) {
                    continue;
                }
                match held.logged(None, &seen.commit) {
                    Some(l) if &l.record.party != author => others.push(l),
                    Some(_) => {
                        return Err(filing.fail(
                            Check::SeedReveal,
                            format!("lists its own author's record {} as seen", seen.commit),
                        ));
                    }
                    None => return Ok(waiting("seed commit", &seen.commit, None)),
                }
            }
            if others.is_empty() {
                return Err(filing.fail(
                    Check::SeedReveal,
                    format!(
                        "no other party's seed commit of round {} is shown: {author} revealed \
                         without having seen one",
                        c.round
                    ),
                ));
            }
            let others: Vec<&Logged> = others.iter().collect();
            check_seed_reveal(logged, &own, &others, &source, held.trust())
                .map_err(|e| filing.fail(Check::SeedReveal, e))?;
            Ok(Checked::Verified)
        }
        _ => Ok(Checked::NotEscrow),
    }
}

/// Decodes a commitment record's counts and verifies their range proofs.
fn check_counts(
    commitment: &Record,
    filing: &Filing<'_>,
) -> Result<crate::VerifiedCounts, Failure> {
    let fail = |e: crate::EscrowError| filing.fail(Check::RangeProofs, e);
    let RecordBody::DeclarationCommitment(c) = &commitment.body else {
        return Err(filing.fail(Check::Reference, "not a declaration commitment"));
    };
    // The shape (entries = sites x categories) is checked as the reveal verifier reads it.
    RevealVerifier::new(c).map_err(fail)?;
    let counts = CountCommitments::decode(&c.counts).map_err(fail)?;
    let ctx = RangeContext::for_commitment(commitment).map_err(fail)?;
    counts.verify(&ctx).map_err(fail)
}

/// The rule for seed reveals a quota provision sets, if it sets one.
pub fn reveal_rule(quota: &accord_agreements::Quota) -> Option<RevealRule> {
    quota.seed_reveal.as_ref().map(|r| RevealRule {
        within: jiff::SignedDuration::from_hours(i64::from(r.within_hours)),
        missing: match r.missing {
            accord_agreements::MissingSeedReveal::HonestSeeds => MissingReveal::HonestSeeds,
            accord_agreements::MissingSeedReveal::FreeChoice => MissingReveal::FreeChoice,
        },
    })
}

/// The draw of selection round `round` from the declaration record `declaration`, as the
/// records held show it at `at`: every seed commit and reveal of the round checked in order
/// ([`crate::order::run_round`]), `quota` sites drawn, under the reveal rule of the agreement's
/// seeded quota provision in the receiver's own copy. Every node holding the same logs draws
/// the same sites.
pub fn draw(
    held: &impl Held,
    round: &str,
    declaration: &RecordId,
    quota: usize,
    at: accord_model::Instant,
) -> Result<RoundOutcome, OrderError> {
    crate::rounds::HeldRound::gather(held, round, declaration, Some(quota))?.judge(at)
}

/// What an inspection report held against the declaration its site was drawn from says: for
/// a report answering a request whose site was drawn (`selection` names a seed reveal), the
/// report against the sites the declarant's verified reveals show ([`report_findings`]).
/// `Ok(None)` for a report whose request drew no site, or whose records are not all held yet.
pub fn inspection_findings(
    report: &Logged,
    held: &impl Held,
) -> Result<Option<Vec<Finding>>, Failure> {
    let RecordBody::InspectionReport(body) = &report.record.body else {
        return Ok(None);
    };
    let filing = Filing {
        record: &report.record.id,
        agreement: None,
        provision: None,
    };
    let Some(request) = held.logged(Some(&report.record.party), &body.request) else {
        return Ok(None);
    };
    let RecordBody::InspectionRequest(req) = &request.record.body else {
        return Err(filing.fail(
            Check::Reference,
            format!(
                "answers {}, a {} record, not an inspection request",
                body.request,
                request.record.body.kind()
            ),
        ));
    };
    let Some(selection) = &req.selection else {
        return Ok(None);
    };
    let Some(seed_reveal) = held.logged(None, selection) else {
        return Ok(None);
    };
    let RecordBody::SeedReveal(sr) = &seed_reveal.record.body else {
        return Ok(None);
    };
    let Some(commit) = held.logged(Some(&seed_reveal.record.party), &sr.commit) else {
        return Ok(None);
    };
    let RecordBody::SeedCommit(c) = &commit.record.body else {
        return Ok(None);
    };
    let Some(declaration) = held.logged(Some(&req.inspected), &c.commitment) else {
        return Ok(None);
    };
    let RecordBody::DeclarationCommitment(d) = &declaration.record.body else {
        return Ok(None);
    };
    let Ok(mut verifier) = RevealVerifier::new(d) else {
        return Ok(None);
    };
    for reveal in held.reveals(&req.inspected, &c.commitment) {
        if let RecordBody::Reveal(r) = &reveal.record.body
            && let Ok(bundle) = RevealBundle::decode(&r.entries)
        {
            // A reveal that fails is a finding of its own; the others still count.
            let _ = verifier.add(&bundle, reveal.record.id.as_str());
        }
    }
    let ctx = ReportContext {
        agreement: req.agreement.clone(),
        provision: req.provision.clone(),
        inspected: req.inspected.clone(),
        commitment: c.commitment.clone(),
    };
    report_findings(&report.record, verifier.sites(), &ctx)
        .map(Some)
        .map_err(|e| filing.fail(Check::Reference, e))
}

#[cfg(test)]
#[path = "arrival_tests.rs"]
mod tests;
