//! The records the engine reads beside the state's own indexes: countermeasures, inspection
//! refusals, meeting requests, meetings, statements and event notices. They are few, so one pass
//! over the state collects them for an evaluation.

use accord_model::{
    AgreementId, Countermeasure, Date, EventNotice, InspectionRefusal, Meeting, MeetingRequest,
    PartyId, ProvisionId, Record, RecordBody, RecordId, Statement, StatementKind,
};
use accord_state::State;

/// The records of the kinds the state does not index, in log order.
#[derive(Debug, Default)]
pub(crate) struct RecordIndex<'a> {
    countermeasures: Vec<(&'a Record, &'a Countermeasure)>,
    refusals: Vec<(&'a Record, &'a InspectionRefusal)>,
    meeting_requests: Vec<(&'a Record, &'a MeetingRequest)>,
    meetings: Vec<(&'a Record, &'a Meeting)>,
    statements: Vec<(&'a Record, &'a Statement)>,
    notices: Vec<(&'a Record, &'a EventNotice)>,
}

impl<'a> RecordIndex<'a> {
    /// Collects them from a state.
    pub(crate) fn new(state: &'a State) -> Self {
        let mut ix = RecordIndex::default();
        for r in state.records() {
            match &r.body {
                RecordBody::Countermeasure(c) => ix.countermeasures.push((r, c)),
                RecordBody::InspectionRefusal(x) => ix.refusals.push((r, x)),
                RecordBody::MeetingRequest(x) => ix.meeting_requests.push((r, x)),
                RecordBody::Meeting(x) => ix.meetings.push((r, x)),
                RecordBody::Statement(x) => ix.statements.push((r, x)),
                RecordBody::EventNotice(x) => ix.notices.push((r, x)),
                _ => {}
            }
        }
        ix
    }

    /// Countermeasures a party declared under an agreement that withhold a provision on `date`,
    /// issued by `at`.
    pub(crate) fn countermeasures(
        &self,
        party: &PartyId,
        agreement: &AgreementId,
        provision: &ProvisionId,
        date: Date,
        at: accord_model::Instant,
    ) -> Vec<(&'a Record, &'a Countermeasure)> {
        by_party(&self.countermeasures, party, at, |c| {
            &c.agreement == agreement && c.provisions.contains(provision) && c.from <= date
        })
    }

    /// Inspection refusals by a party covering a provision, current on `date`, issued by `at`.
    pub(crate) fn refusals(
        &self,
        party: &PartyId,
        agreement: &AgreementId,
        provision: &ProvisionId,
        date: Date,
        at: accord_model::Instant,
    ) -> Vec<(&'a Record, &'a InspectionRefusal)> {
        by_party(&self.refusals, party, at, |x| {
            &x.agreement == agreement
                && x.provisions.contains(provision)
                && x.from <= date
                && x.until.is_none_or(|u| date <= u)
        })
    }

    /// Event notices a party gave under a provision, issued by `at`.
    pub(crate) fn notices(
        &self,
        party: &PartyId,
        agreement: &AgreementId,
        provision: &ProvisionId,
        at: accord_model::Instant,
    ) -> Vec<(&'a Record, &'a EventNotice)> {
        by_party(&self.notices, party, at, |n| {
            &n.agreement == agreement && &n.provision == provision
        })
    }

    /// Meeting requests to a party under a provision, issued by `at`.
    pub(crate) fn meeting_requests_to(
        &self,
        party: &PartyId,
        agreement: &AgreementId,
        provision: &ProvisionId,
        at: accord_model::Instant,
    ) -> Vec<(&'a Record, &'a MeetingRequest)> {
        self.meeting_requests
            .iter()
            .filter(|(r, m)| {
                &m.to == party
                    && &m.agreement == agreement
                    && &m.provision == provision
                    && r.issued_at <= at
            })
            .copied()
            .collect()
    }

    /// Meetings held on a request (a meeting request or an earlier record), recorded by `at`.
    pub(crate) fn meetings_on(
        &self,
        request: &RecordId,
        at: accord_model::Instant,
    ) -> Vec<(&'a Record, &'a Meeting)> {
        self.meetings
            .iter()
            .filter(|(r, m)| &m.request == request && r.issued_at <= at)
            .copied()
            .collect()
    }

    /// Whether the host state has recorded its consent to `party`'s forces, by `at`.
    pub(crate) fn host_consent(
        &self,
        host: &PartyId,
        party: &PartyId,
        at: accord_model::Instant,
    ) -> Option<&'a Record> {
        self.statements
            .iter()
            .find(|(r, s)| {
                s.kind == StatementKind::HostConsent
                    && &r.party == host
                    && s.about.as_ref() == Some(party)
                    && r.issued_at <= at
            })
            .map(|(r, _)| *r)
    }
}

/// The records of `list` authored by `party`, issued by `at`, whose body `keep` accepts.
fn by_party<'a, T>(
    list: &[(&'a Record, &'a T)],
    party: &PartyId,
    at: accord_model::Instant,
    keep: impl Fn(&T) -> bool,
) -> Vec<(&'a Record, &'a T)> {
    list.iter()
        .filter(|(r, x)| &r.party == party && r.issued_at <= at && keep(x))
        .copied()
        .collect()
}
