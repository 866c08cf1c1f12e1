//! Selection rounds as the records a node holds show them: every round a seed commit names,
//! with what the agreement says of it, judged at any instant.
//!
//! [`held_rounds`] gathers each round once its records change; [`HeldRound::judge`] runs it in
//! order at an instant ([`crate::order::run_round`]): a seed withheld past the agreement's
//! deadline is a finding, the draw goes on as the agreement says. [`HeldRound::view`] is the
//! round as a node lists it: its parties, its state and the sites drawn, named where the
//! declarant's verified reveals show them.

use std::collections::{BTreeMap, BTreeSet};

use accord_agreements::ProvisionBody;
use accord_model::{AgreementId, Instant, PartyId, ProvisionId, RecordBody, RecordId, SiteId};
use serde::{Deserialize, Serialize};

use crate::arrival::{Held, reveal_rule};
use crate::order::{Logged, OrderError, RevealRule, Round, RoundOutcome, Trust, run_round};
use crate::{RevealBundle, RevealVerifier};

/// One selection round with the records it is judged from, as the receiver holds them.
#[derive(Debug, Clone)]
pub struct HeldRound {
    /// The round's name.
    pub round: String,
    /// The agreement of the declaration drawn from.
    pub agreement: AgreementId,
    /// The quota provision the round is held under (findings are filed under it).
    pub provision: ProvisionId,
    /// The declaration drawn from.
    pub declaration: Logged,
    /// The round's seed commits that draw from it.
    pub commits: Vec<Logged>,
    /// The seed reveals of those commits.
    pub reveals: Vec<Logged>,
    /// How many sites the round draws.
    pub quota: usize,
    /// The reveal deadline and what follows a missed one, as the agreement sets them.
    pub rule: Option<RevealRule>,
    /// The parties' keys the receipts are checked with.
    pub trust: Trust,
    /// The sites the declarant's verified reveals show, by position.
    pub revealed: BTreeMap<u64, SiteId>,
}

/// A round as a node lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundView {
    /// The round's name.
    pub round: String,
    /// The agreement of the declaration drawn from.
    pub agreement: AgreementId,
    /// The quota provision the round is held under.
    pub provision: ProvisionId,
    /// The `declaration_commitment` record drawn from.
    pub declaration: RecordId,
    /// Its author, the inspected party.
    pub declarant: PartyId,
    /// The parties that committed a seed.
    pub committed: Vec<PartyId>,
    /// The parties that revealed theirs.
    pub revealed: Vec<PartyId>,
    /// `drawn`, `free_choice` (a seed was withheld and the inspecting party chooses),
    /// `pending` (a seed is still to be revealed) or `refused` (the records do not make a
    /// round).
    pub status: String,
    /// Why the round is pending or refused, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// How many sites the round draws.
    pub quota: usize,
    /// How many site positions the declaration commits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<u64>,
    /// Hex of the combined seed, once drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// The parties whose seed was not revealed by the deadline.
    pub withheld: Vec<PartyId>,
    /// The sites drawn, in draw order.
    pub drawn: Vec<DrawnSite>,
}

/// One drawn site position, named once the declarant has revealed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawnSite {
    /// Its position in the committed order.
    pub position: u64,
    /// The site, when a verified reveal of the declarant shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<SiteId>,
}

/// The seeded quota provision of an agreement (else its first quota) and the sites a round
/// draws under it: its yearly quota, at most the declaration's `sites` (all of them when the
/// quota depends on reported units).
fn quota_of(
    agreement: &accord_agreements::Agreement,
    sites: u64,
) -> Option<(ProvisionId, usize, Option<RevealRule>)> {
    let quotas = || {
        agreement.provisions.iter().filter_map(|p| match &p.body {
            ProvisionBody::Quota(q) => Some((p, q)),
            _ => None,
        })
    };
    let (p, q) = quotas()
        .find(|(_, q)| q.seed_reveal.is_some())
        .or_else(|| quotas().next())?;
    let n = match q.quota_for(0) {
        0 => sites,
        n => n.min(sites),
    };
    Some((
        p.id.clone(),
        usize::try_from(n).unwrap_or(usize::MAX),
        reveal_rule(q),
    ))
}

impl HeldRound {
    /// Round `round` drawing from the declaration record `declaration`, as `held` shows it,
    /// drawing `quota` sites (the agreement's quota when `None`). `Err` says in words why the
    /// records make no round the receiver can judge (a declaration not held, an agreement
    /// not held, no quota provision).
    pub fn gather(
        held: &impl Held,
        round: &str,
        declaration: &RecordId,
        quota: Option<usize>,
    ) -> Result<HeldRound, OrderError> {
        let missing = |reason: String| OrderError::Record {
            record: declaration.clone(),
            reason,
        };
        let decl = held
            .logged(None, declaration)
            .ok_or_else(|| missing("is not held".into()))?;
        let RecordBody::DeclarationCommitment(d) = &decl.record.body else {
            return Err(missing(format!(
                "is a {} record, not a declaration_commitment",
                decl.record.body.kind()
            )));
        };
        let agreement = held.agreement(&d.agreement).ok_or_else(|| {
            missing(format!(
                "agreement {} is not one this node holds",
                d.agreement
            ))
        })?;
        let sites = crate::order::draw_source(&decl.record)
            .map(|s| s.sites)
            .unwrap_or(0);
        let (provision, drawn, rule) = quota_of(agreement, sites)
            .ok_or_else(|| missing(format!("agreement {} has no quota provision", d.agreement)))?;
        let commits = held.seed_commits(round, declaration);
        let reveals: Vec<Logged> = held
            .seed_reveals(round)
            .into_iter()
            .filter(|r| {
                matches!(&r.record.body, RecordBody::SeedReveal(b)
                    if commits.iter().any(|c| c.record.id == b.commit && c.record.party == r.record.party))
            })
            .collect();
        let mut revealed = BTreeMap::new();
        if let Ok(mut verifier) = RevealVerifier::new(d) {
            for reveal in held.reveals(&decl.record.party, declaration) {
                if let RecordBody::Reveal(r) = &reveal.record.body
                    && let Ok(bundle) = RevealBundle::decode(&r.entries)
                {
                    // A reveal that fails is a finding of its own; the others still count.
                    let _ = verifier.add(&bundle, reveal.record.id.as_str());
                }
            }
            revealed = verifier
                .sites()
                .values()
                .map(|s| (s.position, s.site.clone()))
                .collect();
        }
        Ok(HeldRound {
            round: round.to_owned(),
            agreement: d.agreement.clone(),
            provision,
            declaration: decl,
            commits,
            reveals,
            quota: quota.unwrap_or(drawn),
            rule,
            trust: held.trust().clone(),
            revealed,
        })
    }

    /// The round judged at `at`: checked in order, sites drawn, withheld seeds as findings.
    pub fn judge(&self, at: Instant) -> Result<RoundOutcome, OrderError> {
        run_round(
            &Round {
                round: &self.round,
                agreement: self.agreement.clone(),
                provision: self.provision.clone(),
                declaration: &self.declaration,
                commits: &self.commits,
                reveals: &self.reveals,
                quota: self.quota,
                rule: self.rule,
                at,
            },
            &self.trust,
        )
    }

    /// The round as a node lists it at `at`.
    pub fn view(&self, at: Instant) -> RoundView {
        let parties = |records: &[Logged]| -> Vec<PartyId> {
            let set: BTreeSet<PartyId> = records.iter().map(|l| l.record.party.clone()).collect();
            set.into_iter().collect()
        };
        let mut view = RoundView {
            round: self.round.clone(),
            agreement: self.agreement.clone(),
            provision: self.provision.clone(),
            declaration: self.declaration.record.id.clone(),
            declarant: self.declaration.record.party.clone(),
            committed: parties(&self.commits),
            revealed: parties(&self.reveals),
            status: String::new(),
            reason: None,
            quota: self.quota,
            candidates: None,
            seed: None,
            withheld: Vec::new(),
            drawn: Vec::new(),
        };
        match self.judge(at) {
            Ok(outcome) => {
                view.candidates = Some(outcome.source.sites);
                view.withheld = outcome.withheld;
                match outcome.selection {
                    Some(s) => {
                        view.status = "drawn".into();
                        view.seed = s.seed;
                        view.drawn = s
                            .selected
                            .iter()
                            .map(|&position| DrawnSite {
                                position,
                                site: self.revealed.get(&position).cloned(),
                            })
                            .collect();
                    }
                    None => view.status = "free_choice".into(),
                }
            }
            Err(e @ OrderError::Pending { .. }) => {
                view.status = "pending".into();
                view.reason = Some(e.to_string());
            }
            Err(e) => {
                view.status = "refused".into();
                view.reason = Some(e.to_string());
            }
        }
        view
    }
}

/// Every round the seed commits `commits` name, each with the declaration it draws from, in
/// (round, declaration) order, gathered from `held`. Rounds whose declaration or agreement is
/// not held are left out.
pub fn held_rounds(held: &impl Held, commits: &[Logged]) -> Vec<HeldRound> {
    let named: BTreeSet<(&str, &RecordId)> = commits
        .iter()
        .filter_map(|l| match &l.record.body {
            RecordBody::SeedCommit(c) => Some((c.round.as_str(), &c.commitment)),
            _ => None,
        })
        .collect();
    named
        .into_iter()
        .filter_map(|(round, declaration)| HeldRound::gather(held, round, declaration, None).ok())
        .collect()
}
