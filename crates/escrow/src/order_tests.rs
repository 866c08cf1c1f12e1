//! Selection rounds in order and out of order, with real logs, checkpoints and cosignatures.

use std::collections::BTreeSet;

use accord_log::{CosignerKey, Log, LogKey};
use accord_model::{
    AgreementId, DeclarationCommitment, Instant, PartyId, ProvisionId, Record, RecordBody,
    RecordId, SeedCommit, SeedReveal, SeenCommit,
};
use proptest::prelude::*;

use super::*;
use crate::selection::seed_digest;

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

fn t(s: &str) -> Instant {
    s.parse().unwrap()
}

const ROUND: &str = "r1";

/// A small declaration committed once and reused by every test (commits cost range proofs).
fn declaration_body(salt: u8) -> DeclarationCommitment {
    use std::sync::OnceLock;
    static BODIES: OnceLock<Vec<DeclarationCommitment>> = OnceLock::new();
    BODIES.get_or_init(|| {
        (0..2)
            .map(|_| {
                let input = crate::DeclarationInput::from_json(
                    r#"{"party": "RU", "agreement": "new-start", "as_of": "2026-02-05",
                        "bits": 8, "batch": 8,
                        "sites": [{"site": "a", "counts": {"icbms": 1}},
                                  {"site": "b", "counts": {"icbms": 2}},
                                  {"site": "c", "counts": {"icbms": 3}},
                                  {"site": "d", "counts": {"icbms": 4}},
                                  {"site": "e", "counts": {"icbms": 5}},
                                  {"site": "f", "counts": {"icbms": 6}}]}"#,
                )
                .unwrap();
                let (secret, counts) = crate::commit(&input, &mut crate::test_rng()).unwrap();
                secret.commitment_body(&counts)
            })
            .collect()
    })[usize::from(salt)]
    .clone()
}

/// Two parties' logs and witnesses, and the records of a round as they are made.
struct World {
    _dir: tempfile::TempDir,
    us: (Log, CosignerKey),
    ru: (Log, CosignerKey),
    trust: Trust,
    declaration: Logged,
    declaration_index: u64,
    source: DrawSource,
}

impl World {
    fn new() -> World {
        Self::with_declaration(0)
    }

    fn with_declaration(which: u8) -> World {
        let dir = tempfile::tempdir().unwrap();
        let mut trust = Trust::new();
        let mut make = |party: &str| {
            let key = LogKey::generate(&format!("test.example/{party}")).unwrap();
            let log = Log::create(&dir.path().join(party), key.name(), &key).unwrap();
            let witness = CosignerKey::generate(&format!("witness.example/{party}")).unwrap();
            trust.insert(
                p(party),
                PartyKeys {
                    log: key.vkey().to_owned(),
                    cosigner: witness.vkey(),
                },
            );
            (log, witness)
        };
        let us = make("US");
        let mut ru = make("RU");
        let record = Record {
            id: RecordId::new("RU-commitment").unwrap(),
            party: p("RU"),
            issued_at: t("2026-02-05T00:00:00Z"),
            body: RecordBody::DeclarationCommitment(declaration_body(which)),
        };
        let declaration = Logged {
            entry: record.to_canonical_json(),
            record,
        };
        let declaration_index = ru.0.append(&declaration.entry).unwrap();
        let source = draw_source(&declaration.record).unwrap();
        World {
            _dir: dir,
            us,
            ru,
            trust,
            declaration,
            declaration_index,
            source,
        }
    }

    fn log(&mut self, party: &str) -> &mut (Log, CosignerKey) {
        if party == "US" {
            &mut self.us
        } else {
            &mut self.ru
        }
    }

    fn other(party: &str) -> &'static str {
        if party == "US" { "RU" } else { "US" }
    }

    /// The declaration's receipt as it stands now, cosigned by US.
    fn declaration_receipt(&self) -> LogReceipt {
        receipt_of(&self.ru.0, self.declaration_index, &[&self.us.1], 1).unwrap()
    }

    /// `party` commits `seed` (with id suffix `n`), logged in its own log; returns the record and
    /// its index there.
    fn commit(&mut self, party: &str, seed: [u8; 32], n: u32) -> (Logged, u64) {
        let receipt = self.declaration_receipt();
        let record = Record {
            id: RecordId::new(format!("{party}-commit-{n}")).unwrap(),
            party: p(party),
            issued_at: t("2026-03-01T00:00:00Z"),
            body: RecordBody::SeedCommit(SeedCommit {
                round: ROUND.into(),
                commitment: self.source.commitment.clone(),
                root: hex::encode(self.source.root),
                digest: seed_digest(ROUND, &p(party), &self.source, &seed),
                declaration: receipt,
            }),
        };
        let entry = record.to_canonical_json();
        let index = self.log(party).0.append(&entry).unwrap();
        (Logged { record, entry }, index)
    }

    /// `party` reveals `seed` for `own`, with receipts (cosigned by itself) of `seen`, each
    /// the other party's commit and its index in the other's log, as the log stands now.
    fn reveal(
        &mut self,
        party: &str,
        own: &Logged,
        seed: [u8; 32],
        seen: &[(&Logged, u64)],
    ) -> Logged {
        let other = Self::other(party);
        let seen = seen
            .iter()
            .map(|(c, index)| {
                let witness = self.log(party).1.clone();
                SeenCommit {
                    commit: c.record.id.clone(),
                    receipt: receipt_of(&self.log(other).0, *index, &[&witness], 2).unwrap(),
                }
            })
            .collect();
        let record = Record {
            id: RecordId::new(format!("{party}-reveal-{}", own.record.id)).unwrap(),
            party: p(party),
            issued_at: t("2026-03-02T00:00:00Z"),
            body: RecordBody::SeedReveal(SeedReveal {
                round: ROUND.into(),
                commit: own.record.id.clone(),
                seed: hex::encode(seed),
                seen,
            }),
        };
        let entry = record.to_canonical_json();
        self.log(party).0.append(&entry).unwrap();
        Logged { record, entry }
    }

    fn round<'a>(&'a self, commits: &'a [Logged], reveals: &'a [Logged]) -> Round<'a> {
        Round {
            round: ROUND,
            agreement: AgreementId::new("new-start").unwrap(),
            provision: ProvisionId::new("inspections-type-one").unwrap(),
            declaration: &self.declaration,
            commits,
            reveals,
            quota: 2,
            rule: None,
            at: t("2026-03-03T00:00:00Z"),
        }
    }
}

const US_SEED: [u8; 32] = [1; 32];
const RU_SEED: [u8; 32] = [2; 32];

/// A round made in order: both commits, then both reveals.
fn honest(w: &mut World) -> (Vec<Logged>, Vec<Logged>) {
    let (cu, iu) = w.commit("US", US_SEED, 1);
    let (cr, ir) = w.commit("RU", RU_SEED, 1);
    let ru = w.reveal("RU", &cr, RU_SEED, &[(&cu, iu)]);
    let us = w.reveal("US", &cu, US_SEED, &[(&cr, ir)]);
    (vec![cu, cr], vec![us, ru])
}

fn refusal(r: Result<RoundOutcome, OrderError>) -> String {
    match r {
        Err(e) => e.to_string(),
        Ok(o) => panic!("expected a refusal, got {o:?}"),
    }
}

#[test]
fn a_round_in_order_draws_from_the_declaration() {
    let mut w = World::new();
    let (commits, reveals) = honest(&mut w);
    let out = run_round(&w.round(&commits, &reveals), &w.trust).unwrap();
    assert!(out.findings.is_empty());
    let s = out.selection.unwrap();
    assert_eq!(s.commitment.as_str(), "RU-commitment");
    assert_eq!(s.root, hex::encode(w.source.root));
    assert_eq!(s.contributors, vec![p("RU"), p("US")]);
    assert_eq!(s.selected.len(), 2);
    assert!(s.selected.iter().all(|&x| x < 6));
    // The node's per-record checks agree.
    check_seed_commit(&commits[0], &w.declaration, &[p("US"), p("RU")], &w.trust).unwrap();
    check_seed_reveal(
        &reveals[0],
        &commits[0],
        &[&commits[1]],
        &w.source,
        &w.trust,
    )
    .unwrap();
}

#[test]
fn a_seed_committed_after_the_other_reveal_does_not_count() {
    // US commits and reveals at once; RU, having seen the US seed, grinds a seed of its own
    // that draws the positions it wants and only then commits it.
    let mut w = World::new();
    let (cu, iu) = w.commit("US", US_SEED, 1);
    let us = w.reveal("US", &cu, US_SEED, &[]);
    let (cr, ir) = w.commit("RU", RU_SEED, 1);
    let ru = w.reveal("RU", &cr, RU_SEED, &[(&cu, iu)]);
    let commits = [cu, cr];
    let e = refusal(run_round(&w.round(&commits, &[us, ru.clone()]), &w.trust));
    assert!(e.contains("RU's seed commit"), "{e}");
    assert!(
        e.contains("shows no receipt of RU's seed commit RU-commit-1"),
        "{e}"
    );
    // RU's own reveal is in order, and its commit and seed are genuine: the round still does
    // not count, because US's reveal cannot show it had seen RU's commit first.
    assert!(check_seed_reveal(&ru, &commits[1], &[&commits[0]], &w.source, &w.trust).is_ok());
    let _ = ir;
}

#[test]
fn a_second_commit_a_repeated_digest_or_a_stranger_reveal_is_refused() {
    let mut w = World::new();
    let (mut commits, reveals) = honest(&mut w);
    let (again, _) = w.commit("RU", [9; 32], 2);
    commits.push(again);
    let e = refusal(run_round(&w.round(&commits, &reveals), &w.trust));
    assert!(e.contains("RU already committed a seed"), "{e}");
    commits.pop();
    let mut twice = reveals.clone();
    twice.push(reveals[0].clone());
    let e = refusal(run_round(&w.round(&commits, &twice), &w.trust));
    assert!(e.contains("already revealed"), "{e}");
    // RU republishing US's digest as its own.
    let mut w = World::new();
    let (cu, iu) = w.commit("US", US_SEED, 1);
    let mut copy = cu.clone();
    copy.record.party = p("RU");
    copy.record.id = RecordId::new("RU-copy").unwrap();
    copy.entry = copy.record.to_canonical_json();
    let ic = w.ru.0.append(&copy.entry).unwrap();
    let us = w.reveal("US", &cu, US_SEED, &[(&copy, ic)]);
    let e = refusal(run_round(&w.round(&[cu, copy], &[us]), &w.trust));
    assert!(e.contains("already published by another party"), "{e}");
    let _ = iu;
}

#[test]
fn a_commit_without_the_declaration_cosigned_before_it_is_refused() {
    let mut w = World::new();
    let (mut commits, reveals) = honest(&mut w);
    // The declaration's receipt cosigned only by RU's own witness, not by US.
    let own_only = receipt_of(&w.ru.0, w.declaration_index, &[&w.ru.1], 1).unwrap();
    let RecordBody::SeedCommit(c) = &mut commits[1].record.body else {
        unreachable!()
    };
    c.declaration = own_only;
    commits[1].entry = commits[1].record.to_canonical_json();
    let e = refusal(run_round(&w.round(&commits, &reveals), &w.trust));
    assert!(e.contains("declaration receipt"), "{e}");
    assert!(e.contains("cosigned by US"), "{e}");
}

#[test]
fn the_same_seeds_do_not_count_for_a_declaration_made_after_them() {
    // RU lets the seeds be committed and revealed against one declaration, then offers
    // another of the same size, made once it knew where the draw would look.
    let mut w = World::new();
    let (commits, reveals) = honest(&mut w);
    let later = World::with_declaration(1);
    let mut round = w.round(&commits, &reveals);
    round.declaration = &later.declaration;
    let e = refusal(run_round(&round, &w.trust));
    assert!(e.contains("draws from RU-commitment (root"), "{e}");
    assert_ne!(later.source.root, w.source.root);
}

#[test]
fn a_reveal_receipt_not_cosigned_by_the_revealer_is_refused() {
    let mut w = World::new();
    let (cu, iu) = w.commit("US", US_SEED, 1);
    let (cr, ir) = w.commit("RU", RU_SEED, 1);
    let us = w.reveal("US", &cu, US_SEED, &[(&cr, ir)]);
    let mut ru = w.reveal("RU", &cr, RU_SEED, &[(&cu, iu)]);
    // RU's receipt of the US commit, but cosigned by US's witness instead of RU's.
    let RecordBody::SeedReveal(r) = &mut ru.record.body else {
        unreachable!()
    };
    r.seen[0].receipt = receipt_of(&w.us.0, iu, &[&w.us.1], 2).unwrap();
    ru.entry = ru.record.to_canonical_json();
    let e = refusal(run_round(&w.round(&[cu, cr], &[us, ru]), &w.trust));
    assert!(e.contains("receipt of US-commit-1"), "{e}");
}

#[test]
fn a_missing_reveal_is_pending_then_a_finding_and_the_rule_decides() {
    let mut w = World::new();
    let (commits, reveals) = honest(&mut w);
    // RU withholds its reveal (reveals[1]).
    let only_us = [reveals[0].clone()];
    let rule = |missing| RevealRule {
        within: jiff::SignedDuration::from_hours(48),
        missing,
    };
    let mut round = w.round(&commits, &only_us);
    round.rule = Some(rule(MissingReveal::HonestSeeds));
    round.at = t("2026-03-02T12:00:00Z");
    let e = refusal(run_round(&round, &w.trust));
    assert!(
        e.contains("RU has not revealed its seed of round r1 yet (due by 2026-03-03T00:00:00Z)"),
        "{e}"
    );
    round.at = t("2026-03-03T00:00:01Z");
    let out = run_round(&round, &w.trust).unwrap();
    assert_eq!(out.withheld, vec![p("RU")]);
    assert_eq!(out.findings.len(), 1);
    let f = &out.findings[0];
    assert_eq!(f.party, p("RU"));
    assert_eq!(f.severity, accord_model::Severity::Violation);
    assert!(
        f.summary
            .contains("did not reveal it by 2026-03-03T00:00:00Z"),
        "{}",
        f.summary
    );
    let s = out.selection.clone().unwrap();
    assert_eq!(s.contributors, vec![p("US")]);
    assert_eq!(s.withheld, vec![p("RU")]);
    // The honest seed alone decides: the same as drawing from US's contribution only.
    let alone = crate::selection::select_without(
        ROUND,
        &w.source,
        &[Contribution {
            party: p("US"),
            commit: seed_commit(&commits[0]).unwrap().clone(),
            reveal: seed_reveal(&reveals[0]).unwrap().clone(),
        }],
        &[p("RU")],
        2,
    )
    .unwrap();
    assert_eq!(s, alone);
    // Where the agreement says free choice, the inspecting party chooses.
    round.rule = Some(rule(MissingReveal::FreeChoice));
    let out = run_round(&round, &w.trust).unwrap();
    assert!(out.selection.is_none());
    let chosen = choose(&out, ROUND, &[5, 0], 2).unwrap();
    assert_eq!(chosen.method, "free_choice");
    assert_eq!(chosen.selected, vec![5, 0]);
    assert!(choose(&out, ROUND, &[6], 2).is_err());
    // A reveal made after the deadline counts as withheld too.
    let mut late = reveals.clone();
    late[1].record.issued_at = t("2026-03-04T00:00:00Z");
    late[1].entry = late[1].record.to_canonical_json();
    let mut round = w.round(&commits, &late);
    round.rule = Some(rule(MissingReveal::HonestSeeds));
    let out = run_round(&round, &w.trust).unwrap();
    assert_eq!(out.withheld, vec![p("RU")]);
    assert!(out.findings[0].summary.contains("after the deadline"));
}

/// What happens to a party's records in a generated history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Commit(usize),
    Reveal(usize),
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any history of commits and reveals: the round counts without a finding only when each
    /// party committed once, both commits came before both reveals and nothing was left out,
    /// doubled or substituted; anything else is refused or becomes a finding.
    #[test]
    fn any_reordering_omission_duplication_or_substitution_is_refused_or_a_finding(
        order in Just(vec![Step::Commit(0), Step::Commit(1), Step::Reveal(0), Step::Reveal(1)])
            .prop_shuffle(),
        omit in proptest::option::of(0usize..4),
        duplicate in proptest::option::of(0usize..4),
        substitute in proptest::option::of(0usize..4),
    ) {
        let parties = ["US", "RU"];
        let seeds = [US_SEED, RU_SEED];
        let mut w = World::new();
        let mut commits: Vec<Option<(Logged, u64)>> = vec![None, None];
        let mut logged_commits = Vec::new();
        let mut reveals = Vec::new();
        for (k, step) in order.iter().enumerate() {
            if omit == Some(k) {
                continue;
            }
            match *step {
                Step::Commit(i) => {
                    let c = w.commit(parties[i], seeds[i], 1);
                    logged_commits.push(c.0.clone());
                    commits[i] = Some(c);
                    if duplicate == Some(k) {
                        let c2 = w.commit(parties[i], [7; 32], 2);
                        logged_commits.push(c2.0.clone());
                    }
                }
                Step::Reveal(i) => {
                    let Some((own, _)) = commits[i].clone() else {
                        // A reveal of a seed never committed: published with a made-up commit id.
                        let fake = w.commit(parties[i], seeds[i], 9).0;
                        reveals.push(w.reveal(parties[i], &fake, seeds[i], &[]));
                        continue;
                    };
                    let other: Vec<(Logged, u64)> = commits[1 - i].iter().cloned().collect();
                    let seen: Vec<(&Logged, u64)> = other.iter().map(|(c, n)| (c, *n)).collect();
                    let mut r = w.reveal(parties[i], &own, seeds[i], &seen);
                    if substitute == Some(k) {
                        // Another seed than the one committed.
                        let RecordBody::SeedReveal(body) = &mut r.record.body else { unreachable!() };
                        body.seed = hex::encode([8u8; 32]);
                        r.entry = r.record.to_canonical_json();
                    }
                    if duplicate == Some(k) {
                        reveals.push(r.clone());
                    }
                    reveals.push(r);
                }
            }
        }
        let valid_order = {
            let first_reveal = order.iter().position(|s| matches!(s, Step::Reveal(_))).unwrap();
            order[..first_reveal].iter().filter(|s| matches!(s, Step::Commit(_))).count() == 2
        };
        let clean = valid_order && omit.is_none() && duplicate.is_none()
            && substitute.is_none_or(|k| !matches!(order[k], Step::Reveal(_)));
        let mut round = w.round(&logged_commits, &reveals);
        round.rule = Some(RevealRule {
            within: jiff::SignedDuration::from_hours(48),
            missing: MissingReveal::HonestSeeds,
        });
        round.at = t("2026-03-10T00:00:00Z");
        let outcome = run_round(&round, &w.trust);
        if clean {
            let out = outcome.unwrap();
            prop_assert!(out.findings.is_empty());
            let mut expected_round = w.round(&logged_commits, &reveals);
            expected_round.rule = None;
            let again = run_round(&expected_round, &w.trust).unwrap();
            prop_assert_eq!(out.selection, again.selection);
        } else {
            match outcome {
                Err(_) => {}
                Ok(out) => {
                    prop_assert!(!out.findings.is_empty(), "accepted without a finding: {:?}", out);
                    let withheld: BTreeSet<&PartyId> = out.withheld.iter().collect();
                    prop_assert!(!withheld.is_empty());
                }
            }
        }
    }
}
