//! Questions the compliance engine asks of an agreement: its status on a date, whether a
//! provision binds a party on a date, and the provisions in force.

use accord_model::{Date, PartyId, ProvisionId};
use serde::Serialize;

use crate::schema::{Agreement, Provision, Status, StatusChange};

/// Whether a provision binds a party on a date, and if not, why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "binding", rename_all = "snake_case")]
pub enum Binding {
    /// It binds.
    Binds,
    /// The party is not one the provision applies to.
    NotApplicable,
    /// The agreement is not in force that day (its status then, None before its first date).
    NotInForce {
        /// The agreement's status that day.
        status: Option<Status>,
    },
    /// The provision binds only from a later date.
    NotYet {
        /// The first day it binds.
        binds_from: Date,
    },
}

impl Binding {
    /// Whether the provision binds.
    pub fn binds(&self) -> bool {
        matches!(self, Binding::Binds)
    }
}

impl Agreement {
    /// The agreement's status on a date, from the changes that concern it as a whole
    /// (None before its first recorded date).
    pub fn status_at(&self, date: Date) -> Option<Status> {
        self.history
            .iter()
            .rfind(|c| c.by.is_empty() && c.date <= date)
            .map(|c| c.status)
    }

    /// The status for one party on a date: a change made by that party alone (such as a
    /// suspension) overrides the agreement's status until the agreement's status changes again.
    pub fn status_for(&self, party: &PartyId, date: Date) -> Option<Status> {
        self.history
            .iter()
            .rfind(|c| c.date <= date && (c.by.is_empty() || c.by.contains(party)))
            .map(|c| c.status)
    }

    /// Whether the agreement as a whole is in force on a date.
    pub fn in_force_at(&self, date: Date) -> bool {
        self.status_at(date).is_some_and(Status::is_in_force)
    }

    /// Whether the agreement is (still) a draft on a date: its status then is `proposed`.
    pub fn is_proposal_at(&self, date: Date) -> bool {
        self.status_at(date) == Some(Status::Proposed)
    }

    /// The date the agreement first entered into force, if it did.
    pub fn entry_into_force(&self) -> Option<Date> {
        self.history
            .iter()
            .find(|c| c.by.is_empty() && c.status == Status::InForce)
            .map(|c| c.date)
    }

    /// The suspension a party declared on its own that is current on a date, if any. A
    /// unilateral suspension does not change [`Agreement::binding`]: whether it releases the
    /// party is for the agreement's terms to say (New START has no suspension clause), so the
    /// engine reports it alongside its findings.
    pub fn suspension(&self, party: &PartyId, date: Date) -> Option<&StatusChange> {
        let last = self
            .history
            .iter()
            .rfind(|c| c.date <= date && c.by.contains(party))?;
        (last.status == Status::Suspended
            && self.status_for(party, date) == Some(Status::Suspended))
        .then_some(last)
    }

    /// A provision by id.
    pub fn provision(&self, id: &ProvisionId) -> Option<&Provision> {
        self.provisions.iter().find(|p| &p.id == id)
    }

    /// Whether a provision binds a party on a date. With `assume_in_force`, the agreement's
    /// status is taken to be in force (to ask what a proposal would demand); the provision's
    /// own `binds_from` date and party list still apply.
    pub fn binding(
        &self,
        provision: &Provision,
        party: &PartyId,
        date: Date,
        assume_in_force: bool,
    ) -> Binding {
        if !provision.applies_to(party) {
            return Binding::NotApplicable;
        }
        if !assume_in_force {
            let status = self.status_at(date);
            if !status.is_some_and(Status::is_in_force) {
                return Binding::NotInForce { status };
            }
        }
        if let Some(from) = provision.binds_from
            && date < from
        {
            return Binding::NotYet { binds_from: from };
        }
        Binding::Binds
    }
}
