//! The state of the world as a fold of records, for any instant.
//!
//! A [`State`] is built by appending [`Record`]s one at a time. Each record is validated on the
//! way in, and record ids must be unique: a duplicate or invalid record is an error that names
//! the record and its position.
//!
//! Every record has a place in the state's order ([`Seq`]): records appended with
//! [`State::append`] come first, in the order appended; records appended with
//! [`State::append_logged`] follow in (log, index) order, whatever order they were appended in.
//! Every index and every answer follows that order, so a state holding the same logged records
//! answers the same whichever order the logs' records arrived in. The state never forgets: every query takes an
//! instant and sees only the records issued at or before it, so the same state answers "what was
//! declared on 2018-02-05?" and "what is open today?".
//!
//! Everything the compliance engine asks is indexed when a record is appended (per-declaration
//! totals by category and status, activities and observations by party and date, requests with
//! their replies, inspections by inspected party), so appending one record and asking again costs
//! little, however large the state.
#![deny(missing_docs)]
#![deny(unsafe_code)]

use std::collections::BTreeMap;

use foldhash::HashMap;

use accord_model::{
    Activity, AgreementId, Category, Date, Declaration, ExplanationRequest, HoldingStatus,
    InspectionReport, InspectionRequest, Instant, Observation, PartyId, Record, RecordBody,
    RecordError, RecordId,
};

mod bounds;
mod jsonl;
mod times;
mod unevaluable;

pub use bounds::{FIRST_YEAR, LAST_YEAR, OutOfRange, check_date, check_instant, date_in_range};
pub use jsonl::{LoadError, parse_jsonl};
pub use times::{
    Cosignature, LogPosition, LogTime, answered, changed_ranges, log_times, parse_cosignatures,
};
pub use unevaluable::{Known, NameKind, Unevaluable};

/// A record's place in the state's order: records appended without a log position first, in
/// the order appended, then logged records by log name and index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seq {
    /// 0 for records without a log position, else the rank of the log's name (from 1).
    log: u32,
    /// The position appended (no log) or the index in the log.
    index: u64,
}

impl Seq {
    const MIN: Seq = Seq { log: 0, index: 0 };
    const MAX: Seq = Seq {
        log: u32::MAX,
        index: u64::MAX,
    };
}

/// A record that cannot join the state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    /// A record with this id is already in the state.
    #[error("record {id} (position {index}) repeats the id of the record at position {first}")]
    Duplicate {
        /// The repeated id.
        id: RecordId,
        /// Position of the first record with that id.
        first: usize,
        /// Position of the rejected record.
        index: usize,
    },
    /// The record contradicts itself.
    #[error("record at position {index} is invalid: {error}")]
    Invalid {
        /// Position of the rejected record.
        index: usize,
        /// What is wrong with it.
        error: RecordError,
    },
    /// A logged record repeats the id of a record the state holds from a later place in its
    /// order: the state in (log, index) order would hold this one and refuse the other, so it
    /// must be built again in that order.
    #[error(
        "record {id} at {log} index {index} repeats the id of a record later in (log, index) order"
    )]
    Precedes {
        /// The repeated id.
        id: RecordId,
        /// The log of the record refused.
        log: PartyId,
        /// Its index there.
        index: u64,
    },
    /// The record states a date outside the range accord evaluates.
    #[error("record {id} (position {index}): {error}")]
    OutOfRange {
        /// The record's id.
        id: RecordId,
        /// Position of the rejected record.
        index: usize,
        /// The field and the date.
        error: OutOfRange,
    },
}

/// Totals of a declaration, by category and status, computed once when it is appended.
pub type Totals = BTreeMap<(Category, HoldingStatus), u64>;

/// A declaration in the state, with its totals.
#[derive(Debug, Clone, Copy)]
pub struct DeclarationRef<'a> {
    /// The record that carries it.
    pub record: &'a Record,
    /// Its position in the state.
    pub index: usize,
    /// The declaration itself.
    pub declaration: &'a Declaration,
    /// Totals by category and status.
    pub totals: &'a Totals,
    /// How many distinct sites it names.
    pub sites: usize,
}

impl DeclarationRef<'_> {
    /// The total declared for one category and status (0 when absent).
    pub fn total(&self, category: &Category, status: HoldingStatus) -> u64 {
        self.totals
            .get(&(category.clone(), status))
            .copied()
            .unwrap_or(0)
    }

    /// Whether the declaration states any figure at all for the category, in any status.
    pub fn states(&self, category: &Category) -> bool {
        self.totals.keys().any(|(c, _)| c == category)
    }
}

/// Where an activity in the state comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActivitySource {
    /// Notified in advance by the party conducting it.
    Notified,
    /// Planned in an annual calendar.
    Planned,
}

/// An activity in the state: notified or planned, with the record that states it.
#[derive(Debug, Clone, Copy)]
pub struct ActivityRef<'a> {
    /// The record that states it.
    pub record: &'a Record,
    /// Its position in the state.
    pub index: usize,
    /// The agreement under which it was stated.
    pub agreement: &'a AgreementId,
    /// Notified or planned.
    pub source: ActivitySource,
    /// The activity.
    pub activity: &'a Activity,
}

/// An observation from an open source, with its record.
#[derive(Debug, Clone, Copy)]
pub struct ObservationRef<'a> {
    /// The record that carries it.
    pub record: &'a Record,
    /// Its position in the state.
    pub index: usize,
    /// The observation.
    pub observation: &'a Observation,
}

/// A request for explanation, with the replies visible at the instant asked about.
#[derive(Debug, Clone)]
pub struct RequestRef<'a> {
    /// The record that carries it.
    pub record: &'a Record,
    /// Its position in the state.
    pub index: usize,
    /// The request.
    pub request: &'a ExplanationRequest,
    /// Replies by the party asked, issued at or before the instant, earliest first.
    pub replies: Vec<&'a Record>,
}

/// An inspection request, with the reports visible at the instant asked about.
#[derive(Debug, Clone)]
pub struct InspectionRef<'a> {
    /// The record that carries it.
    pub record: &'a Record,
    /// Its position in the state.
    pub index: usize,
    /// The request.
    pub request: &'a InspectionRequest,
    /// Reports of the inspection, issued at or before the instant.
    pub reports: Vec<(&'a Record, &'a InspectionReport)>,
}

/// The state: every record appended so far, with indexes for the questions of the engine.
#[derive(Debug, Default, Clone)]
pub struct State {
    records: Vec<Record>,
    by_id: HashMap<RecordId, usize>,
    /// Each record's place in the state's order, by position.
    seqs: Vec<Seq>,
    /// Each record's log position, when appended with one, by position.
    logged: Vec<Option<LogPosition>>,
    /// The rank of each log's name among the logs held (from 1).
    log_ranks: BTreeMap<PartyId, u32>,
    /// How many times the order was renumbered because a log arrived whose name sorts before
    /// one already held.
    renumbered: usize,
    /// Declarations per (agreement, party), keyed by (as_of, order, position).
    declarations: BTreeMap<(AgreementId, PartyId), BTreeMap<Dated, DeclEntry>>,
    /// Notified and planned activities per conducting or participating party, keyed by
    /// (start, order, position, slot).
    activities: BTreeMap<PartyId, BTreeMap<Slotted, ActivitySource>>,
    /// Annual calendars per (party, year), by position in the state's order.
    calendars: BTreeMap<(PartyId, i16), Vec<usize>>,
    /// Years in which a party conducts, plans or is observed in activities.
    activity_years: BTreeMap<PartyId, std::collections::BTreeSet<i16>>,
    /// Observations per actor, keyed by (date, order, position).
    observations: BTreeMap<PartyId, BTreeMap<Dated, ()>>,
    /// Explanation requests per party asked, by position in the state's order.
    requests: BTreeMap<PartyId, Vec<usize>>,
    /// The same per party asked and year of issue (UTC), by position in the state's order.
    requests_by_year: BTreeMap<PartyId, BTreeMap<i16, Vec<usize>>>,
    /// Replies per request id.
    replies: HashMap<RecordId, Vec<usize>>,
    /// Acknowledgements per acknowledged record id.
    acknowledgements: HashMap<RecordId, Vec<usize>>,
    /// Inspection requests per inspected party, keyed by (date, order, position).
    inspections: BTreeMap<PartyId, BTreeMap<Dated, ()>>,
    /// Inspection reports per request id.
    reports: HashMap<RecordId, Vec<usize>>,
    /// Every record that answers another (see [`answered`]), per answered record id.
    answers: HashMap<RecordId, Vec<usize>>,
    /// What the logs say about when records were logged, by position.
    times: HashMap<usize, LogTime>,
    /// Positions whose log time was set, in the order set.
    time_changes: Vec<usize>,
}

/// An index key: a date, then the state's order, then the state position.
type Dated = (Date, Seq, usize);

/// An index key of an activity: its start date, the state's order, the state position and its
/// slot in the record.
type Slotted = (Date, Seq, usize, usize);

#[derive(Debug, Clone)]
struct DeclEntry {
    totals: Totals,
    sites: usize,
}

impl State {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a state from records in log order.
    pub fn from_records(records: impl IntoIterator<Item = Record>) -> Result<Self, StateError> {
        let mut s = Self::new();
        for r in records {
            s.append(r)?;
        }
        Ok(s)
    }

    /// Appends one record: validates it, checks its id is new, and indexes it.
    /// Returns its position.
    pub fn append(&mut self, record: Record) -> Result<usize, StateError> {
        let index = self.records.len();
        let seq = Seq {
            log: 0,
            index: index as u64,
        };
        self.push(record, seq, None)
    }

    /// Appends one record logged at `at`: as [`State::append`], but the record takes its place
    /// in (log, index) order among the logged records, whatever order they are appended in.
    /// A record that repeats the id of a record later in that order is refused with
    /// [`StateError::Precedes`] (the state must be built again in (log, index) order).
    pub fn append_logged(&mut self, record: Record, at: LogPosition) -> Result<usize, StateError> {
        let log = match self.log_ranks.get(&at.log) {
            Some(&rank) => rank,
            None => {
                self.log_ranks.insert(at.log.clone(), 0);
                let last = self.log_ranks.keys().next_back() == Some(&at.log);
                if last {
                    let rank = self.log_ranks.len() as u32;
                    self.log_ranks.insert(at.log.clone(), rank);
                    rank
                } else {
                    self.renumber();
                    self.log_ranks.get(&at.log).copied().unwrap_or(u32::MAX)
                }
            }
        };
        let seq = Seq {
            log,
            index: at.index,
        };
        if let Some(&first) = self.by_id.get(&record.id)
            && self.seqs[first] > seq
        {
            return Err(StateError::Precedes {
                id: record.id,
                log: at.log,
                index: at.index,
            });
        }
        self.push(record, seq, Some(at))
    }

    /// Ranks the logs' names afresh and indexes every record again in the new order.
    fn renumber(&mut self) {
        for (rank, r) in self.log_ranks.values_mut().enumerate() {
            *r = rank as u32 + 1;
        }
        for (i, p) in self.logged.iter().enumerate() {
            if let Some(p) = p {
                self.seqs[i].log = self.log_ranks.get(&p.log).copied().unwrap_or(u32::MAX);
            }
        }
        self.declarations.clear();
        self.activities.clear();
        self.calendars.clear();
        self.activity_years.clear();
        self.observations.clear();
        self.requests.clear();
        self.requests_by_year.clear();
        self.replies.clear();
        self.acknowledgements.clear();
        self.inspections.clear();
        self.reports.clear();
        self.answers.clear();
        let records = std::mem::take(&mut self.records);
        for (i, r) in records.iter().enumerate() {
            self.index(r, i);
        }
        self.records = records;
        self.renumbered += 1;
    }

    fn push(
        &mut self,
        record: Record,
        seq: Seq,
        at: Option<LogPosition>,
    ) -> Result<usize, StateError> {
        let index = self.records.len();
        if let Some(&first) = self.by_id.get(&record.id) {
            return Err(StateError::Duplicate {
                id: record.id,
                first,
                index,
            });
        }
        record
            .validate()
            .map_err(|error| StateError::Invalid { index, error })?;
        bounds::check_record(&record).map_err(|error| StateError::OutOfRange {
            id: record.id.clone(),
            index,
            error,
        })?;
        self.seqs.push(seq);
        self.logged.push(at);
        self.index(&record, index);
        self.by_id.insert(record.id.clone(), index);
        self.records.push(record);
        Ok(index)
    }

    /// The place in the state's order of the record at a state position.
    pub fn seq(&self, index: usize) -> Seq {
        self.seqs.get(index).copied().unwrap_or(Seq::MAX)
    }

    /// The log position the record at a state position was appended with, if any.
    pub fn log_position(&self, index: usize) -> Option<&LogPosition> {
        self.logged.get(index).and_then(Option::as_ref)
    }

    /// How many times the state's order was renumbered (every index built again) because a
    /// log arrived whose name sorts before one already held: a reader that keeps positions in
    /// the state's order must read them again when this changes.
    pub fn renumbered(&self) -> usize {
        self.renumbered
    }

    /// Inserts position `i` into `list` (positions in the state's order) at its place.
    fn insert_ordered(seqs: &[Seq], list: &mut Vec<usize>, i: usize) {
        let at = list.partition_point(|&j| seqs[j] < seqs[i]);
        list.insert(at, i);
    }

    fn index(&mut self, r: &Record, i: usize) {
        let seq = self.seqs[i];
        let seqs = &self.seqs;
        if let Some(of) = answered(r) {
            Self::insert_ordered(seqs, self.answers.entry(of.clone()).or_default(), i);
        }
        match &r.body {
            RecordBody::Declaration(d) => {
                let mut totals = Totals::new();
                let mut sites = std::collections::HashSet::new();
                for h in &d.holdings {
                    *totals.entry((h.category.clone(), h.status)).or_default() += h.count;
                    if let Some(s) = &h.site {
                        sites.insert(s.as_str());
                    }
                }
                let sites = sites.len();
                self.declarations
                    .entry((d.agreement.clone(), r.party.clone()))
                    .or_default()
                    .insert((d.as_of, seq, i), DeclEntry { totals, sites });
            }
            RecordBody::Notification(n) => {
                self.index_activity(&r.party, &n.activity, i, 0, ActivitySource::Notified);
            }
            RecordBody::AnnualCalendar(c) => {
                Self::insert_ordered(
                    seqs,
                    self.calendars.entry((r.party.clone(), c.year)).or_default(),
                    i,
                );
                for (slot, a) in c.activities.iter().enumerate() {
                    self.index_activity(&r.party, a, i, slot, ActivitySource::Planned);
                }
            }
            RecordBody::Observation(o) => {
                self.activity_years
                    .entry(o.actor.clone())
                    .or_default()
                    .insert(o.date.year());
                self.observations
                    .entry(o.actor.clone())
                    .or_default()
                    .insert((o.date, seq, i), ());
            }
            RecordBody::ExplanationRequest(q) => {
                Self::insert_ordered(seqs, self.requests.entry(q.to.clone()).or_default(), i);
                let year = date_of(r.issued_at).year();
                let list = self
                    .requests_by_year
                    .entry(q.to.clone())
                    .or_default()
                    .entry(year)
                    .or_default();
                Self::insert_ordered(seqs, list, i);
            }
            RecordBody::ExplanationReply(a) => {
                Self::insert_ordered(seqs, self.replies.entry(a.request.clone()).or_default(), i);
            }
            RecordBody::Acknowledgement(a) => {
                Self::insert_ordered(
                    seqs,
                    self.acknowledgements.entry(a.of.clone()).or_default(),
                    i,
                );
            }
            RecordBody::InspectionRequest(q) => {
                self.inspections
                    .entry(q.inspected.clone())
                    .or_default()
                    .insert((q.date, seq, i), ());
            }
            RecordBody::InspectionReport(rep) => {
                Self::insert_ordered(
                    seqs,
                    self.reports.entry(rep.request.clone()).or_default(),
                    i,
                );
            }
            _ => {}
        }
    }

    fn index_activity(
        &mut self,
        author: &PartyId,
        a: &Activity,
        i: usize,
        slot: usize,
        source: ActivitySource,
    ) {
        let seq = self.seqs[i];
        let mut parties = vec![author];
        parties.extend(a.participants.iter().filter(|p| *p != author));
        for p in parties {
            self.activities
                .entry(p.clone())
                .or_default()
                .insert((a.start, seq, i, slot), source);
            self.activity_years
                .entry(p.clone())
                .or_default()
                .insert(a.start.year());
        }
    }

    /// How many records the state holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the state holds no record.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// All records in log order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The record with this id, if any.
    pub fn get(&self, id: &RecordId) -> Option<&Record> {
        self.by_id.get(id).map(|&i| &self.records[i])
    }

    /// The position of the record with this id, if any.
    pub fn position(&self, id: &RecordId) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    fn visible(&self, i: usize, at: Instant) -> bool {
        self.records[i].issued_at <= at
    }

    /// Parties that have made a declaration under an agreement (at any time).
    pub fn declaring_parties(&self, agreement: &AgreementId) -> Vec<&PartyId> {
        self.declarations
            .keys()
            .filter(|(a, _)| a == agreement)
            .map(|(_, p)| p)
            .collect()
    }

    /// Every declaration of a party under an agreement issued at or before `at`,
    /// ordered by the date the figures hold for (then by position).
    pub fn declarations(
        &self,
        agreement: &AgreementId,
        party: &PartyId,
        at: Instant,
    ) -> Vec<DeclarationRef<'_>> {
        let Some(map) = self.declarations.get(&(agreement.clone(), party.clone())) else {
            return Vec::new();
        };
        map.iter()
            .filter(|((_, _, i), _)| self.visible(*i, at))
            .map(|((_, _, i), e)| self.decl_ref(*i, e))
            .collect()
    }

    /// The current declaration of a party under an agreement at `at`: the visible one with the
    /// latest as-of date (a later declaration replaces an earlier one).
    pub fn latest_declaration(
        &self,
        agreement: &AgreementId,
        party: &PartyId,
        at: Instant,
    ) -> Option<DeclarationRef<'_>> {
        let map = self.declarations.get(&(agreement.clone(), party.clone()))?;
        map.iter()
            .rev()
            .find(|((_, _, i), _)| self.visible(*i, at))
            .map(|((_, _, i), e)| self.decl_ref(*i, e))
    }

    /// The current declaration of a party under every agreement it declared under, at `at`.
    pub fn holdings(&self, party: &PartyId, at: Instant) -> Vec<DeclarationRef<'_>> {
        self.declarations
            .keys()
            .filter(|(_, p)| p == party)
            .filter_map(|(a, p)| self.latest_declaration(a, p, at))
            .collect()
    }

    fn decl_ref<'a>(&'a self, i: usize, e: &'a DeclEntry) -> DeclarationRef<'a> {
        let record = &self.records[i];
        let RecordBody::Declaration(declaration) = &record.body else {
            unreachable!("the declaration index holds only declarations")
        };
        DeclarationRef {
            record,
            index: i,
            declaration,
            totals: &e.totals,
            sites: e.sites,
        }
    }

    /// Parties that conduct notified or planned activities, or are the actors of observations.
    pub fn active_parties(&self) -> Vec<&PartyId> {
        let mut v: Vec<&PartyId> = self
            .activities
            .keys()
            .chain(self.observations.keys())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Years in which a party conducts, takes part in, plans or is observed in activities.
    pub fn activity_years(&self, party: &PartyId) -> Vec<i16> {
        self.activity_years
            .get(party)
            .map(|y| y.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Annual calendars a party issued for a year, issued at or before `at`.
    pub fn calendars(&self, party: &PartyId, year: i16, at: Instant) -> Vec<&Record> {
        self.calendars
            .get(&(party.clone(), year))
            .into_iter()
            .flatten()
            .filter(|&&i| self.visible(i, at))
            .map(|&i| &self.records[i])
            .collect()
    }

    /// Parties that have issued any annual calendar under an agreement.
    pub fn calendar_parties(&self, agreement: &AgreementId) -> Vec<&PartyId> {
        let mut v: Vec<&PartyId> = self
            .calendars
            .iter()
            .filter(|(_, idx)| {
                idx.iter().any(|&i| {
                    matches!(&self.records[i].body, RecordBody::AnnualCalendar(c) if &c.agreement == agreement)
                })
            })
            .map(|((p, _), _)| p)
            .collect();
        v.dedup();
        v
    }

    /// Activities notified or planned by a party (or naming it as a participant), issued at or before `at`, starting within
    /// `from..=to`, ordered by start date.
    pub fn activities(
        &self,
        party: &PartyId,
        from: Date,
        to: Date,
        at: Instant,
    ) -> Vec<ActivityRef<'_>> {
        self.activities_iter(party, from, to, at).collect()
    }

    /// The activities of [`State::activities`], read one by one in the same order.
    pub fn activities_iter(
        &self,
        party: &PartyId,
        from: Date,
        to: Date,
        at: Instant,
    ) -> impl Iterator<Item = ActivityRef<'_>> + '_ {
        self.activities
            .get(party)
            .into_iter()
            .flat_map(move |map| {
                map.range((from, Seq::MIN, 0, 0)..=(to, Seq::MAX, usize::MAX, usize::MAX))
            })
            .filter(move |((_, _, i, _), _)| self.visible(*i, at))
            .map(|(&(_, _, i, slot), &source)| {
                let record = &self.records[i];
                let (agreement, activity) = match &record.body {
                    RecordBody::Notification(n) => (&n.agreement, &n.activity),
                    RecordBody::AnnualCalendar(c) => (&c.agreement, &c.activities[slot]),
                    _ => unreachable!("the activity index holds only notifications and calendars"),
                };
                ActivityRef {
                    record,
                    index: i,
                    agreement,
                    source,
                    activity,
                }
            })
    }

    /// Observations of a party's forces dated within `from..=to`, issued at or before `at`.
    pub fn observations(
        &self,
        actor: &PartyId,
        from: Date,
        to: Date,
        at: Instant,
    ) -> Vec<ObservationRef<'_>> {
        let Some(map) = self.observations.get(actor) else {
            return Vec::new();
        };
        map.range((from, Seq::MIN, 0)..=(to, Seq::MAX, usize::MAX))
            .filter(|((_, _, i), _)| self.visible(*i, at))
            .map(|(&(_, _, i), _)| {
                let record = &self.records[i];
                let RecordBody::Observation(observation) = &record.body else {
                    unreachable!("the observation index holds only observations")
                };
                ObservationRef {
                    record,
                    index: i,
                    observation,
                }
            })
            .collect()
    }

    /// Parties that have been asked for an explanation.
    pub fn requested_parties(&self) -> Vec<&PartyId> {
        self.requests.keys().collect()
    }

    /// Requests for explanation addressed to a party, issued at or before `at`, with the replies
    /// that party issued at or before `at`.
    pub fn requests_to(&self, party: &PartyId, at: Instant) -> Vec<RequestRef<'_>> {
        let Some(v) = self.requests.get(party) else {
            return Vec::new();
        };
        v.iter()
            .filter(|&&i| self.visible(i, at))
            .map(|&i| self.request_ref(party, i, at))
            .collect()
    }

    /// The requests of [`State::requests_to`] issued in one calendar year (UTC).
    pub fn requests_to_in(&self, party: &PartyId, year: i16, at: Instant) -> Vec<RequestRef<'_>> {
        self.requests_by_year
            .get(party)
            .and_then(|years| years.get(&year))
            .into_iter()
            .flatten()
            .filter(|&&i| self.visible(i, at))
            .map(|&i| self.request_ref(party, i, at))
            .collect()
    }

    /// The years (UTC) in which requests for explanation to a party were issued, of those
    /// issued at or before `at`.
    pub fn request_years(&self, party: &PartyId, at: Instant) -> Vec<i16> {
        self.requests_by_year
            .get(party)
            .into_iter()
            .flatten()
            .filter(|(_, v)| v.iter().any(|&i| self.visible(i, at)))
            .map(|(y, _)| *y)
            .collect()
    }

    fn request_ref(&self, party: &PartyId, i: usize, at: Instant) -> RequestRef<'_> {
        let record = &self.records[i];
        let RecordBody::ExplanationRequest(request) = &record.body else {
            unreachable!("the request index holds only requests")
        };
        let mut replies: Vec<&Record> = self
            .replies
            .get(&record.id)
            .into_iter()
            .flatten()
            .filter(|&&j| self.visible(j, at) && self.records[j].party == *party)
            .map(|&j| &self.records[j])
            .collect();
        replies.sort_by(|a, b| a.issued_at.cmp(&b.issued_at).then(a.id.cmp(&b.id)));
        RequestRef {
            record,
            index: i,
            request,
            replies,
        }
    }

    /// Acknowledgements of a record issued at or before `at`.
    pub fn acknowledgements(&self, of: &RecordId, at: Instant) -> Vec<&Record> {
        self.acknowledgements
            .get(of)
            .into_iter()
            .flatten()
            .filter(|&&i| self.visible(i, at))
            .map(|&i| &self.records[i])
            .collect()
    }

    /// Parties that have been asked to accept an inspection.
    pub fn inspected_parties(&self) -> Vec<&PartyId> {
        self.inspections.keys().collect()
    }

    /// Years in which inspections of a party were requested for.
    pub fn inspection_years(&self, party: &PartyId) -> Vec<i16> {
        let mut v: Vec<i16> = self
            .inspections
            .get(party)
            .into_iter()
            .flat_map(|m| m.keys().map(|(d, _, _)| d.year()))
            .collect();
        v.dedup();
        v
    }

    /// Inspection requests against a party for dates within `from..=to`, issued at or before
    /// `at`, with their reports.
    pub fn inspections_of(
        &self,
        party: &PartyId,
        from: Date,
        to: Date,
        at: Instant,
    ) -> Vec<InspectionRef<'_>> {
        let Some(map) = self.inspections.get(party) else {
            return Vec::new();
        };
        map.range((from, Seq::MIN, 0)..=(to, Seq::MAX, usize::MAX))
            .filter(|((_, _, i), _)| self.visible(*i, at))
            .map(|(&(_, _, i), _)| {
                let record = &self.records[i];
                let RecordBody::InspectionRequest(request) = &record.body else {
                    unreachable!("the inspection index holds only inspection requests")
                };
                let reports = self
                    .reports
                    .get(&record.id)
                    .into_iter()
                    .flatten()
                    .filter(|&&j| self.visible(j, at))
                    .filter_map(|&j| match &self.records[j].body {
                        RecordBody::InspectionReport(rep) => Some((&self.records[j], rep)),
                        _ => None,
                    })
                    .collect();
                InspectionRef {
                    record,
                    index: i,
                    request,
                    reports,
                }
            })
            .collect()
    }
}

/// The calendar date (UTC) of an instant.
pub fn date_of(at: Instant) -> Date {
    jiff::tz::Offset::UTC.to_datetime(at).date()
}

/// The first instant (UTC midnight) of a date; the first or last instant there is for dates
/// beyond the range of instants.
pub fn start_of(date: Date) -> Instant {
    jiff::tz::Offset::UTC
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(if date.year() < 1970 {
            Instant::MIN
        } else {
            Instant::MAX
        })
}

/// The last instant of a date (UTC), so that "as of 2022-02-20" sees all of that day; the
/// last instant there is for the last days instants can reach.
pub fn end_of(date: Date) -> Instant {
    date.tomorrow()
        .ok()
        .map(start_of)
        .filter(|t| *t != Instant::MAX)
        .and_then(|t| t.checked_sub(jiff::SignedDuration::from_nanos(1)).ok())
        .unwrap_or(Instant::MAX)
}

#[cfg(test)]
mod tests;
