//! The records the engine reads beside the state's own indexes: countermeasures, inspection
//! refusals, meeting requests, meetings, statements and event notices. They are few, so one pass
//! over the state collects them for an evaluation.

use std::collections::HashMap;

use accord_model::{
    AgreementId, Countermeasure, Date, EventNotice, InspectionRefusal, Meeting, MeetingRequest,
    Notification, Observation, PartyId, ProvisionId, Record, RecordBody, RecordId, Statement,
    StatementKind, ZoneId,
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
    /// Notifications by one State of activities on another State's territory, by host.
    notified_on_territory: HashMap<PartyId, Vec<(&'a Record, &'a Notification)>>,
    /// Observations of one State's forces on another State's territory, by host.
    observed_on_territory: HashMap<PartyId, Vec<(&'a Record, &'a Observation)>>,
}

impl<'a> RecordIndex<'a> {
    /// Collects them from a state.
    pub(crate) fn new(state: &'a State, hosts: &HashMap<ZoneId, PartyId>) -> Self {
        let mut ix = RecordIndex::default();
        let host = |zone: &Option<ZoneId>| zone.as_ref().and_then(|z| hosts.get(z));
        for r in state.records() {
            match &r.body {
                RecordBody::Notification(n) => {
                    if let Some(h) = host(&n.activity.area.zone).filter(|h| **h != r.party) {
                        ix.notified_on_territory
                            .entry(h.clone())
                            .or_default()
                            .push((r, n));
                    }
                }
                RecordBody::Observation(o) => {
                    if let Some(h) = host(&o.area.zone).filter(|h| **h != o.actor) {
                        ix.observed_on_territory
                            .entry(h.clone())
                            .or_default()
                            .push((r, o));
                    }
                }
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

    /// Notifications by other States of activities on `host`'s territory, issued by `at`.
    pub(crate) fn notified_on_territory(
        &self,
        host: &PartyId,
        at: accord_model::Instant,
    ) -> impl Iterator<Item = (&'a Record, &'a Notification)> + '_ {
        self.notified_on_territory
            .get(host)
            .into_iter()
            .flatten()
            .filter(move |(r, _)| r.issued_at <= at)
            .copied()
    }

    /// Observations of other States' forces on `host`'s territory dated within `from..=to`,
    /// issued by `at`, in log order.
    pub(crate) fn observed_on_territory(
        &self,
        host: &PartyId,
        from: Date,
        to: Date,
        at: accord_model::Instant,
    ) -> Vec<(usize, &'a Record, &'a Observation)> {
        self.observed_on_territory
            .get(host)
            .into_iter()
            .flatten()
            .enumerate()
            .filter(|(_, (r, o))| r.issued_at <= at && from <= o.date && o.date <= to)
            .map(|(k, (r, o))| (k, *r, *o))
            .collect()
    }

    /// The years of activities notified, or forces observed, on `host`'s territory by others.
    pub(crate) fn hosted_years(&self, host: &PartyId) -> Vec<i16> {
        let notified = self
            .notified_on_territory
            .get(host)
            .into_iter()
            .flatten()
            .map(|(_, n)| n.activity.start.year());
        let observed = self
            .observed_on_territory
            .get(host)
            .into_iter()
            .flatten()
            .map(|(_, o)| o.date.year());
        notified.chain(observed).collect()
    }

    /// Invitations of observers a party extended under an agreement, issued by `at`.
    pub(crate) fn invitations(
        &self,
        party: &PartyId,
        agreement: &AgreementId,
        at: accord_model::Instant,
    ) -> Vec<(&'a Record, &'a Statement)> {
        by_party(&self.statements, party, at, |s| {
            s.kind == StatementKind::ObserverInvitation
                && s.agreement.as_ref().is_none_or(|a| a == agreement)
                && s.activity.is_some()
        })
    }

    /// A record by `by` of `actor`'s forces on `host`'s territory on `date` showing that the
    /// host takes part: the host's consent, or a statement by either naming the other in the
    /// activity (a forecast by a third party does not count).
    pub(crate) fn host_takes_part(
        &self,
        host: &PartyId,
        actor: &PartyId,
        date: Date,
        at: accord_model::Instant,
    ) -> Option<&'a Record> {
        self.statements
            .iter()
            .find(|(r, s)| {
                if r.issued_at > at {
                    return false;
                }
                if s.kind == StatementKind::HostConsent {
                    return &r.party == host && s.about.as_ref() == Some(actor);
                }
                s.kind != StatementKind::Forecast
                    && s.activity.as_ref().is_some_and(|a| {
                        a.start <= date
                            && date <= a.end
                            && ((&r.party == actor && a.participants.contains(host))
                                || (&r.party == host
                                    && (a.participants.contains(actor)
                                        || s.about.as_ref() == Some(actor))))
                    })
            })
            .map(|(r, _)| *r)
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
