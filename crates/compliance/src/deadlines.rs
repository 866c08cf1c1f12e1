//! Open obligations at an instant: what a party still owes and by when, read from the same
//! provisions, and with the same reading of them, as the rules that judge the answer once it
//! comes (or once its time has passed).
//!
//! Two kinds are listed: a request for explanation that no reply answers yet, due within the
//! hours its risk-reduction provision allows; and a scheduled data exchange not yet made whose
//! deadline has not passed (for a party that has declared under the agreement before, as the
//! rule that judges exchanges asks). A deadline that has passed is no longer open: the
//! engine's findings judge it.

use accord_agreements::{Binding, ProvisionBody};
use accord_model::{AgreementId, Date, Instant, PartyId, ProvisionId, RecordId};
use accord_state::{State, date_of, end_of};
use serde::Serialize;

use crate::Engine;
use crate::rules::{exchange_schedule, exchanged_for, reply_due, requests_under};
use crate::timing::first_answer;

/// What is owed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Obligation {
    /// A reply to a request for explanation.
    Reply {
        /// The request.
        request: RecordId,
        /// The party that asked.
        requester: PartyId,
    },
    /// A data exchange as of a scheduled date.
    Exchange {
        /// The date the figures are to be given as of.
        as_of: Date,
    },
}

/// An obligation still open at the instant asked about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Deadline {
    /// When it falls due (the end of the day, for a deadline the agreement gives as a day).
    pub due: Instant,
    /// The agreement that sets it.
    pub agreement: AgreementId,
    /// The provision that sets it.
    pub provision: ProvisionId,
    /// The party that owes it.
    pub party: PartyId,
    /// What is owed.
    pub owed: Obligation,
}

impl Engine {
    /// The obligations open at `at`, soonest due first: requests with no reply counted by
    /// `at` whose reply is not yet overdue, and scheduled exchanges not yet made whose deadline
    /// has not passed, under provisions that bind their party at `at`.
    pub fn open_deadlines(&self, state: &State, at: Instant) -> Vec<Deadline> {
        let date = date_of(at);
        // The schedule runs through the next year: an exchange as of 1 January may fall due in
        // the December before.
        let next_year = Date::new(date.year().saturating_add(1), 12, 31).unwrap_or(Date::MAX);
        let mut out = Vec::new();
        for agreement in &self.agreements {
            let assumed = self.assumed.contains(&agreement.id);
            for provision in &agreement.provisions {
                let mut parties: Vec<&PartyId> = provision.applies_to.iter().collect();
                parties.sort();
                parties.dedup();
                for party in parties {
                    if agreement.binding(provision, party, date, assumed) != Binding::Binds {
                        continue;
                    }
                    let deadline = |due, owed| Deadline {
                        due,
                        agreement: agreement.id.clone(),
                        provision: provision.id.clone(),
                        party: party.clone(),
                        owed,
                    };
                    match &provision.body {
                        ProvisionBody::RiskReduction(x) => {
                            for r in requests_under(state, agreement, provision, party, at, None) {
                                let due = reply_due(x, r.record);
                                if due < at
                                    || first_answer(state, &r.replies, &r.record.party, at)
                                        .is_some()
                                {
                                    continue;
                                }
                                out.push(deadline(
                                    due,
                                    Obligation::Reply {
                                        request: r.record.id.clone(),
                                        requester: r.record.party.clone(),
                                    },
                                ));
                            }
                        }
                        // A party that never declared under the agreement is not judged on
                        // its exchanges (the rule says so in a not-applicable finding).
                        ProvisionBody::DataExchange(_)
                            if state
                                .declarations(&agreement.id, party, Instant::MAX)
                                .is_empty() => {}
                        ProvisionBody::DataExchange(x) => {
                            let Some(schedule) =
                                exchange_schedule(state, agreement, x, party, next_year)
                            else {
                                continue;
                            };
                            let made: Vec<_> = state
                                .declarations(&agreement.id, party, at)
                                .into_iter()
                                .filter(|m| m.declaration.channel.is_exchanged())
                                .collect();
                            // Each declaration counts for one scheduled date, oldest first, as
                            // the rule that judges the exchanges matches them.
                            let mut used = vec![false; made.len()];
                            for (as_of, due) in schedule {
                                if self.records_from.is_some_and(|from| as_of < from)
                                    || !(assumed || agreement.in_force_at(as_of))
                                    || !provision.binds_on(as_of)
                                {
                                    continue;
                                }
                                let hit = made
                                    .iter()
                                    .enumerate()
                                    .find(|(i, m)| !used[*i] && exchanged_for(m, as_of));
                                match hit {
                                    Some((i, _)) => used[i] = true,
                                    None if due >= date => out.push(deadline(
                                        end_of(due),
                                        Obligation::Exchange { as_of },
                                    )),
                                    None => {}
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        out.sort();
        out
    }
}
