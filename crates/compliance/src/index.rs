//! The records the engine reads beside the state's own indexes: countermeasures, inspection
//! refusals, meeting requests, meetings, statements, event notices, and activities notified or
//! observed on another State's territory. An evaluation keeps their lists and adds each record
//! appended to the state as it updates.

use std::collections::{BTreeMap, HashMap};

use accord_model::{
    AgreementId, Countermeasure, Date, EventNotice, InspectionRefusal, Meeting, MeetingRequest,
    Notification, Observation, PartyId, ProvisionId, Record, RecordBody, RecordId, Statement,
    StatementKind, ZoneId,
};
use accord_state::State;
use rayon::prelude::*;

/// The positions of the records of the kinds the state does not index, each list in the
/// state's order, kept with an evaluation and brought up to date as records are appended: one
/// record costs its own insertion, not a pass over the state.
#[derive(Debug, Clone, Default)]
pub(crate) struct RecordLists {
    /// How many of the state's records (by position) are indexed.
    seen: usize,
    /// The state's renumbering count when they were.
    renumbered: usize,
    countermeasures: Vec<usize>,
    refusals: Vec<usize>,
    meeting_requests: Vec<usize>,
    meetings: Vec<usize>,
    statements: Vec<usize>,
    notices: Vec<usize>,
    /// Notifications by one State of activities on another State's territory, by host and
    /// the year the activity starts.
    notified_on_territory: HashMap<PartyId, BTreeMap<i16, Vec<usize>>>,
    /// Observations of one State's forces on another State's territory, by host and the year
    /// of the observation.
    observed_on_territory: HashMap<PartyId, BTreeMap<i16, Vec<usize>>>,
}

impl RecordLists {
    /// Indexes the records appended to `state` since the last call (all of them again when the
    /// state was renumbered or is not the one indexed before).
    pub(crate) fn catch_up(&mut self, state: &State, hosts: &foldhash::HashMap<ZoneId, PartyId>) {
        if state.len() < self.seen || state.renumbered() != self.renumbered {
            *self = RecordLists {
                renumbered: state.renumbered(),
                ..RecordLists::default()
            };
        }
        if self.seen == 0 {
            *self = RecordLists::build(state, hosts);
            return;
        }
        for (i, r) in state.records().iter().enumerate().skip(self.seen) {
            if let Some(list) = self.list_of(r, hosts) {
                let at = list.partition_point(|&j| state.seq(j) < state.seq(i));
                list.insert(at, i);
            }
        }
        self.seen = state.len();
    }

    /// The lists of every record of `state`: read in chunks on every core, each chunk's lists
    /// then joined and put in the state's order.
    fn build(state: &State, hosts: &foldhash::HashMap<ZoneId, PartyId>) -> RecordLists {
        const CHUNK: usize = 16_384;
        let parts: Vec<RecordLists> = state
            .records()
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(c, records)| {
                let mut part = RecordLists::default();
                for (k, r) in records.iter().enumerate() {
                    if let Some(list) = part.list_of(r, hosts) {
                        list.push(c * CHUNK + k);
                    }
                }
                part
            })
            .collect();
        let mut all = RecordLists {
            seen: state.len(),
            renumbered: state.renumbered(),
            ..RecordLists::default()
        };
        for part in parts {
            all.join(part);
        }
        // In the state's order (a later position first among equals, as `catch_up` inserts).
        let order = |list: &mut Vec<usize>| {
            list.sort_by_key(|&i| (state.seq(i), std::cmp::Reverse(i)));
        };
        all.each_list(order);
        all
    }

    /// Appends the lists of `part` to these.
    fn join(&mut self, part: RecordLists) {
        let RecordLists {
            seen: _,
            renumbered: _,
            countermeasures,
            refusals,
            meeting_requests,
            meetings,
            statements,
            notices,
            notified_on_territory,
            observed_on_territory,
        } = part;
        self.countermeasures.extend(countermeasures);
        self.refusals.extend(refusals);
        self.meeting_requests.extend(meeting_requests);
        self.meetings.extend(meetings);
        self.statements.extend(statements);
        self.notices.extend(notices);
        for (mine, theirs) in [
            (&mut self.notified_on_territory, notified_on_territory),
            (&mut self.observed_on_territory, observed_on_territory),
        ] {
            for (host, years) in theirs {
                let by_year = mine.entry(host).or_default();
                for (year, list) in years {
                    by_year.entry(year).or_default().extend(list);
                }
            }
        }
    }

    /// Calls `f` on every list.
    fn each_list(&mut self, mut f: impl FnMut(&mut Vec<usize>)) {
        for list in [
            &mut self.countermeasures,
            &mut self.refusals,
            &mut self.meeting_requests,
            &mut self.meetings,
            &mut self.statements,
            &mut self.notices,
        ] {
            f(list);
        }
        for by_host in [
            &mut self.notified_on_territory,
            &mut self.observed_on_territory,
        ] {
            by_host
                .values_mut()
                .flat_map(|y| y.values_mut())
                .for_each(&mut f);
        }
    }

    /// The list record `r` belongs in, if any.
    fn list_of(
        &mut self,
        r: &Record,
        hosts: &foldhash::HashMap<ZoneId, PartyId>,
    ) -> Option<&mut Vec<usize>> {
        let host = |zone: &Option<ZoneId>| zone.as_ref().and_then(|z| hosts.get(z));
        Some(match &r.body {
            RecordBody::Notification(n) => {
                let h = host(&n.activity.area.zone).filter(|h| **h != r.party)?;
                self.notified_on_territory
                    .entry(h.clone())
                    .or_default()
                    .entry(n.activity.start.year())
                    .or_default()
            }
            RecordBody::Observation(o) => {
                let h = host(&o.area.zone).filter(|h| **h != o.actor)?;
                self.observed_on_territory
                    .entry(h.clone())
                    .or_default()
                    .entry(o.date.year())
                    .or_default()
            }
            RecordBody::Countermeasure(_) => &mut self.countermeasures,
            RecordBody::InspectionRefusal(_) => &mut self.refusals,
            RecordBody::MeetingRequest(_) => &mut self.meeting_requests,
            RecordBody::Meeting(_) => &mut self.meetings,
            RecordBody::Statement(_) => &mut self.statements,
            RecordBody::EventNotice(_) => &mut self.notices,
            _ => return None,
        })
    }

    /// The lists read against the state they index.
    pub(crate) fn over<'a>(&'a self, state: &'a State) -> RecordIndex<'a> {
        RecordIndex { state, lists: self }
    }
}

/// The records of the kinds the state does not index, in the state's order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecordIndex<'a> {
    state: &'a State,
    lists: &'a RecordLists,
}

/// The records at `list`'s positions whose body `part` reads as a `T`.
fn read<'a, T: 'a>(
    state: &'a State,
    list: &'a [usize],
    part: fn(&'a RecordBody) -> Option<&'a T>,
) -> impl Iterator<Item = (&'a Record, &'a T)> + 'a {
    list.iter().filter_map(move |&i| {
        let r = state.records().get(i)?;
        Some((r, part(&r.body)?))
    })
}

/// Functions reading one kind of record body, for [`read`].
macro_rules! body_readers {
    ($($name:ident: $variant:ident($ty:ty);)*) => {$(
        fn $name(b: &RecordBody) -> Option<&$ty> {
            match b {
                RecordBody::$variant(x) => Some(x),
                _ => None,
            }
        }
    )*};
}

body_readers! {
    countermeasure: Countermeasure(Countermeasure);
    refusal: InspectionRefusal(InspectionRefusal);
    meeting_request: MeetingRequest(MeetingRequest);
    meeting: Meeting(Meeting);
    statement: Statement(Statement);
    notice: EventNotice(EventNotice);
    notification: Notification(Notification);
    observation: Observation(Observation);
}

impl<'a> RecordIndex<'a> {
    fn statements(&self) -> impl Iterator<Item = (&'a Record, &'a Statement)> + 'a {
        read(self.state, &self.lists.statements, statement)
    }

    /// The positions listed for `host` in the years `from..=to`, year by year.
    fn on_territory(
        map: &'a HashMap<PartyId, BTreeMap<i16, Vec<usize>>>,
        host: &PartyId,
        from: i16,
        to: i16,
    ) -> impl Iterator<Item = &'a [usize]> + 'a {
        map.get(host)
            .into_iter()
            .flat_map(move |years| years.range(from..=to))
            .map(|(_, v)| v.as_slice())
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
        by_party(
            read(self.state, &self.lists.countermeasures, countermeasure),
            party,
            at,
            |c| &c.agreement == agreement && c.provisions.contains(provision) && c.from <= date,
        )
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
        by_party(
            read(self.state, &self.lists.refusals, refusal),
            party,
            at,
            |x| {
                &x.agreement == agreement
                    && x.provisions.contains(provision)
                    && x.from <= date
                    && x.until.is_none_or(|u| date <= u)
            },
        )
    }

    /// Event notices a party gave under a provision, issued by `at`.
    pub(crate) fn notices(
        &self,
        party: &PartyId,
        agreement: &AgreementId,
        provision: &ProvisionId,
        at: accord_model::Instant,
    ) -> Vec<(&'a Record, &'a EventNotice)> {
        by_party(
            read(self.state, &self.lists.notices, notice),
            party,
            at,
            |n| &n.agreement == agreement && &n.provision == provision,
        )
    }

    /// Meeting requests to a party under a provision, issued by `at`.
    pub(crate) fn meeting_requests_to(
        &self,
        party: &PartyId,
        agreement: &AgreementId,
        provision: &ProvisionId,
        at: accord_model::Instant,
    ) -> Vec<(&'a Record, &'a MeetingRequest)> {
        read(self.state, &self.lists.meeting_requests, meeting_request)
            .filter(|(r, m)| {
                &m.to == party
                    && &m.agreement == agreement
                    && &m.provision == provision
                    && r.issued_at <= at
            })
            .collect()
    }

    /// Meetings held on a request (a meeting request or an earlier record), recorded by `at`.
    pub(crate) fn meetings_on(
        &self,
        request: &RecordId,
        at: accord_model::Instant,
    ) -> Vec<(&'a Record, &'a Meeting)> {
        read(self.state, &self.lists.meetings, meeting)
            .filter(|(r, m)| &m.request == request && r.issued_at <= at)
            .collect()
    }

    /// Notifications by other States of activities on `host`'s territory starting in `year`,
    /// issued by `at`.
    pub(crate) fn notified_on_territory(
        &self,
        host: &PartyId,
        year: i16,
        at: accord_model::Instant,
    ) -> impl Iterator<Item = (&'a Record, &'a Notification)> + '_ {
        Self::on_territory(&self.lists.notified_on_territory, host, year, year)
            .flat_map(|list| read(self.state, list, notification))
            .filter(move |(r, _)| r.issued_at <= at)
    }

    /// Observations of other States' forces on `host`'s territory dated within `from..=to`,
    /// issued by `at`, year by year in log order, with their state positions.
    pub(crate) fn observed_on_territory(
        &self,
        host: &PartyId,
        from: Date,
        to: Date,
        at: accord_model::Instant,
    ) -> Vec<(usize, &'a Record, &'a Observation)> {
        Self::on_territory(
            &self.lists.observed_on_territory,
            host,
            from.year(),
            to.year(),
        )
        .flatten()
        .filter_map(|&i| {
            let r = self.state.records().get(i)?;
            Some((i, r, observation(&r.body)?))
        })
        .filter(|(_, r, o)| r.issued_at <= at && from <= o.date && o.date <= to)
        .collect()
    }

    /// The years of activities notified, or forces observed, on `host`'s territory by others.
    pub(crate) fn hosted_years(&self, host: &PartyId) -> Vec<i16> {
        let years = |map: &'a HashMap<PartyId, BTreeMap<i16, Vec<usize>>>| {
            map.get(host).into_iter().flat_map(|y| y.keys().copied())
        };
        years(&self.lists.notified_on_territory)
            .chain(years(&self.lists.observed_on_territory))
            .collect()
    }

    /// Invitations of observers a party extended under an agreement, issued by `at`.
    pub(crate) fn invitations(
        &self,
        party: &PartyId,
        agreement: &AgreementId,
        at: accord_model::Instant,
    ) -> Vec<(&'a Record, &'a Statement)> {
        by_party(self.statements(), party, at, |s| {
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
        self.statements()
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
            .map(|(r, _)| r)
    }

    /// Whether any statement was issued by `at`.
    pub(crate) fn any_statement(&self, at: accord_model::Instant) -> bool {
        self.statements().any(|(r, _)| r.issued_at <= at)
    }

    /// Whether the host state has recorded its consent to `party`'s forces, by `at`.
    pub(crate) fn host_consent(
        &self,
        host: &PartyId,
        party: &PartyId,
        at: accord_model::Instant,
    ) -> Option<&'a Record> {
        self.statements()
            .find(|(r, s)| {
                s.kind == StatementKind::HostConsent
                    && &r.party == host
                    && s.about.as_ref() == Some(party)
                    && r.issued_at <= at
            })
            .map(|(r, _)| r)
    }
}

/// The records of `list` authored by `party`, issued by `at`, whose body `keep` accepts.
fn by_party<'a, T: 'a>(
    list: impl Iterator<Item = (&'a Record, &'a T)>,
    party: &PartyId,
    at: accord_model::Instant,
    keep: impl Fn(&T) -> bool,
) -> Vec<(&'a Record, &'a T)> {
    list.filter(|(r, x)| &r.party == party && r.issued_at <= at && keep(x))
        .collect()
}
