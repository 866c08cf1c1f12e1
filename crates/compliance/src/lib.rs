//! The compliance engine: agreements x state -> findings with evidence.
//!
//! An [`Engine`] holds the agreements to evaluate (and which proposals to treat as if they were
//! in force). [`Engine::evaluate`] asks, for every provision of every agreement and every party
//! it applies to, what the [`State`] shows at an instant, and returns an [`Evaluation`]: findings
//! that name the provision, the party, a severity, a one-sentence summary with the figures, and
//! the evidence (record ids, log positions when known, sources, absences).
//!
//! Work is split into scopes (agreement, provision, party, and a calendar year for provisions
//! about activities, requests and inspections). After records are appended to the state,
//! [`Engine::update`] re-evaluates only the scopes those records touch, so one new record costs
//! a handful of scopes, not a rescan of everything.
//!
//! The output is deterministic: [`Evaluation::findings`] sorts by agreement, provision, party,
//! severity and summary, and evidence within a finding is sorted, so the same records and
//! agreements give the same bytes.
#![deny(missing_docs)]
#![deny(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use foldhash::{HashMap as FastMap, HashSet as FastSet};

use accord_agreements::{Agreement, ProvisionBody};
use accord_model::{AgreementId, Finding, Instant, PartyId, RecordBody, RecordId, Severity};
use accord_state::{State, date_of};
use rayon::prelude::*;
use sha2::Digest as _;

mod deadlines;
mod index;
mod rules;
pub mod scenario;
mod text;
mod timing;

pub use deadlines::{Deadline, Obligation};
pub use rules::limit_level;
pub use scenario::{Scenario, ScenarioError, ScenarioFile};
pub use text::{evidence_line, finding_text, render_text, severity_word, status_word, tally};
pub use timing::{CLOCK_SKEW_TOLERANCE, RECORD_TIME_PROVISION};

/// A unit of evaluation: one provision of one agreement for one party (and one calendar year,
/// for provisions judged year by year; 0 otherwise).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Scope {
    agreement: usize,
    provision: usize,
    party: PartyId,
    year: i16,
}

/// Which records a provision depends on, for incremental re-evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Group {
    /// Declarations: limits, data exchanges, class bans, written commitments.
    Holdings,
    /// Activities and observations, by year.
    Activities,
    /// Annual calendars, by year: the scopes of the activities' years.
    Calendars,
    /// Requests for explanation and replies, by year.
    Requests,
    /// Inspection and visit requests and reports, by year.
    Inspections,
}

fn group_of(body: &ProvisionBody) -> Group {
    match body {
        ProvisionBody::Limit(_)
        | ProvisionBody::DataExchange(_)
        | ProvisionBody::EventNotification(_)
        | ProvisionBody::ClassBan(_)
        | ProvisionBody::Commitment(_) => Group::Holdings,
        ProvisionBody::Notification(_)
        | ProvisionBody::Observation(_)
        | ProvisionBody::Constraint(_)
        | ProvisionBody::ZoneProhibition(_) => Group::Activities,
        ProvisionBody::AnnualCalendar(_) => Group::Calendars,
        ProvisionBody::RiskReduction(_) => Group::Requests,
        ProvisionBody::Quota(_) | ProvisionBody::Visit(_) => Group::Inspections,
    }
}

/// The compliance engine: a set of agreements and how to treat them.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    agreements: Vec<Agreement>,
    assumed: BTreeSet<AgreementId>,
    /// The origin line of the log that `log_index` gives positions in, and those positions.
    log_index: Option<(String, HashMap<RecordId, u64>)>,
    records_from: Option<accord_model::Date>,
    /// For each zone of the vocabulary, the zones that lie within it (computed once).
    within: FastMap<accord_model::ZoneId, FastSet<accord_model::ZoneId>>,
    /// The built-in vocabulary with what the agreements define for themselves.
    vocabulary: accord_agreements::Vocabulary,
    /// For each zone that is one state's territory (or lies within one), that state.
    hosts: FastMap<accord_model::ZoneId, PartyId>,
}

/// An agreement named to be assumed in force is not among the engine's agreements.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("agreement {0} is not one of the agreements evaluated")]
pub struct UnknownAgreement(pub AgreementId);

impl Engine {
    /// An engine over these agreements, each evaluated according to its own status.
    pub fn new(agreements: Vec<Agreement>) -> Self {
        // Agreements that define the same id differently were refused when loaded together as a
        // scenario; an engine given them anyway speaks the built-in vocabulary.
        let vocabulary = accord_agreements::Vocabulary::for_agreements(&agreements)
            .unwrap_or_else(|_| accord_agreements::Vocabulary::builtin().clone());
        let within = vocabulary
            .zones
            .keys()
            .map(|outer| {
                let inner = vocabulary
                    .zones
                    .keys()
                    .filter(|z| vocabulary.zone_within(z, outer))
                    .cloned()
                    .collect();
                (outer.clone(), inner)
            })
            .collect();
        let hosts = vocabulary
            .zones
            .keys()
            .filter_map(|z| vocabulary.host_of(z).map(|h| (z.clone(), h.clone())))
            .collect();
        Engine {
            agreements,
            within,
            vocabulary,
            hosts,
            ..Engine::default()
        }
    }

    /// Treats an agreement (typically a proposal) as if it were in force.
    pub fn assume_in_force(&mut self, id: &AgreementId) -> Result<(), UnknownAgreement> {
        if !self.agreements.iter().any(|a| &a.id == id) {
            return Err(UnknownAgreement(id.clone()));
        }
        self.assumed.insert(id.clone());
        Ok(())
    }

    /// Gives the position of records in one log, named by its origin line, so that evidence
    /// cites the log and index of records the state holds with no log position of its own.
    pub fn with_log_index(
        mut self,
        origin: impl Into<String>,
        index: HashMap<RecordId, u64>,
    ) -> Self {
        self.log_index = Some((origin.into(), index));
        self
    }

    /// Says that the state holds records from this date on only: scheduled exchanges and
    /// calendars due before it are not expected in the state, so their absence is no finding.
    pub fn with_records_from(mut self, date: accord_model::Date) -> Self {
        self.records_from = Some(date);
        self
    }

    /// The agreements evaluated.
    pub fn agreements(&self) -> &[Agreement] {
        &self.agreements
    }

    /// Whether an agreement is assumed in force.
    pub fn is_assumed(&self, id: &AgreementId) -> bool {
        self.assumed.contains(id)
    }

    fn applies_in_force(&self, a: &Agreement, date: accord_model::Date) -> bool {
        self.assumed.contains(&a.id) || a.in_force_at(date)
    }

    /// Evaluates every agreement against the state as it stood at `at`.
    pub fn evaluate(&self, state: &State, at: Instant) -> Evaluation {
        let date = date_of(at);
        let mut eval = Evaluation {
            at,
            seen: state.len(),
            times_seen: state.log_time_changes(),
            renumbered: state.renumbered(),
            scopes: BTreeMap::new(),
            timing: BTreeMap::new(),
            lists: index::RecordLists::default(),
        };
        eval.lists.catch_up(state, &self.hosts);
        let index = eval.lists.over(state);
        // Scopes are independent: judged on every core, then kept in scope order, so the
        // findings do not depend on which core judged what. They are judged party by party and
        // year by year, so that the provisions reading the same activities and reports run
        // one after another while those are still in the cache.
        let scopes = self.all_scopes(state, &index, at);
        let mut order: Vec<usize> = (0..scopes.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&scopes[a], &scopes[b]);
            (&a.party, a.year).cmp(&(&b.party, b.year))
        });
        let mut judged: Vec<(usize, rules::Judged)> = order
            .into_par_iter()
            .map(|k| {
                (
                    k,
                    rules::evaluate_scope(self, state, &index, at, &scopes[k]),
                )
            })
            .collect();
        judged.sort_unstable_by_key(|&(k, _)| k);
        eval.scopes = scopes
            .into_iter()
            .zip(judged.into_iter().map(|(_, j)| j))
            .collect();
        let timed: Vec<(usize, Vec<Finding>)> = (0..state.len())
            .into_par_iter()
            .filter(|&i| timing::may_find(state, i))
            .map(|i| (i, timing::record_findings(self, state, i, at)))
            .collect();
        for (i, findings) in timed {
            eval.set_timing(i, findings);
        }
        debug_assert_eq!(date, date_of(eval.at));
        eval
    }

    /// Brings an evaluation up to date with records appended to the state since it was made,
    /// and with the log times set since, re-evaluating only what they touch: the scopes a
    /// record can change are judged again, except that a notification has only its own
    /// activity judged in the scopes that judge activities one by one, and the scopes that
    /// count activities judged again only where it counts.
    pub fn update(&self, eval: &mut Evaluation, state: &State) {
        if state.len() < eval.seen
            || state.log_time_changes() < eval.times_seen
            || state.renumbered() != eval.renumbered
        {
            *eval = self.evaluate(state, eval.at);
            return;
        }
        // The (party, group, year) each record touches: judged again in full, or, where only
        // notifications touch them, brought up to date with those notifications.
        let mut whole: BTreeSet<(PartyId, Group, i16)> = BTreeSet::new();
        let mut fine: BTreeSet<(PartyId, Group, i16)> = BTreeSet::new();
        let mut notified: BTreeSet<usize> = BTreeSet::new();
        // Records whose findings on their own dates may change: the new ones, those whose log
        // time changed, and those that answer a new record.
        let mut timed: BTreeSet<usize> = BTreeSet::new();
        let now = date_of(eval.at).year();
        let mut touched = |i: usize| {
            let record = &state.records()[i];
            if matches!(record.body, RecordBody::Notification(_)) {
                notified.insert(i);
                touches(state, &self.hosts, record, now, &mut fine);
            } else {
                touches(state, &self.hosts, record, now, &mut whole);
            }
        };
        for (i, record) in state.records().iter().enumerate().skip(eval.seen) {
            touched(i);
            timed.insert(i);
            timed.extend(state.answers_to(&record.id));
        }
        // Records whose log time changed: a finding that cites one carries its log position,
        // so the scopes and the timing findings that cite it are judged again too.
        let relogged = state.log_times_changed_since(eval.times_seen);
        for &i in relogged {
            touched(i);
            timed.insert(i);
            timed.extend(state.answers_to(&state.records()[i].id));
        }
        let relogged: HashSet<&RecordId> =
            relogged.iter().map(|&i| &state.records()[i].id).collect();
        for i in timed {
            eval.set_timing(i, timing::record_findings(self, state, i, eval.at));
        }
        eval.lists.catch_up(state, &self.hosts);
        let index = eval.lists.over(state);
        let mut years = HashMap::new();
        let mut redo = self.scopes_of(state, &index, eval.at, &whole, &mut years);
        if !relogged.is_empty() {
            redo.extend(
                eval.scopes
                    .iter()
                    .filter(|(_, judged)| judged.cites(&relogged))
                    .map(|(scope, _)| scope.clone()),
            );
        }
        let notified: Vec<usize> = notified.into_iter().collect();
        for scope in self.scopes_of(state, &index, eval.at, &fine, &mut years) {
            if redo.contains(&scope) {
                continue;
            }
            match eval.scopes.get_mut(&scope) {
                Some(judged) => {
                    rules::update_scope(self, state, &index, eval.at, &scope, judged, &notified)
                }
                None => {
                    let judged = rules::evaluate_scope(self, state, &index, eval.at, &scope);
                    eval.scopes.insert(scope, judged);
                }
            }
        }
        for scope in redo {
            let judged = rules::evaluate_scope(self, state, &index, eval.at, &scope);
            eval.scopes.insert(scope, judged);
        }
        eval.seen = state.len();
        eval.times_seen = state.log_time_changes();
    }

    /// The scopes of the touched (party, group, year): of every provision of the group that
    /// applies to the party, those a full evaluation makes (`years` keeps the years of each
    /// provision and party asked).
    fn scopes_of(
        &self,
        state: &State,
        index: &index::RecordIndex<'_>,
        at: Instant,
        touched: &BTreeSet<(PartyId, Group, i16)>,
        years: &mut HashMap<(usize, usize, PartyId), BTreeSet<i16>>,
    ) -> BTreeSet<Scope> {
        let date = date_of(at);
        let mut scopes = BTreeSet::new();
        for (party, group, year) in touched {
            for (ai, a) in self.agreements.iter().enumerate() {
                let in_force = self.applies_in_force(a, date);
                for (pi, p) in a.provisions.iter().enumerate() {
                    // The years of activities are those of the calendars' scopes too.
                    let of = group_of(&p.body);
                    if !(of == *group || (*group, of) == (Group::Activities, Group::Calendars))
                        || !p.applies_to(party)
                    {
                        continue;
                    }
                    let made = years
                        .entry((ai, pi, party.clone()))
                        .or_insert_with(|| self.scope_years(state, index, in_force, p, party, at));
                    let scope = |year| Scope {
                        agreement: ai,
                        provision: pi,
                        party: party.clone(),
                        year,
                    };
                    if *year == EVERY_YEAR {
                        scopes.extend(made.iter().map(|y| scope(*y)));
                        continue;
                    }
                    // Provisions judged on the current picture have the one scope of year 0.
                    let year = if made.contains(&0) { 0 } else { *year };
                    if made.contains(&year) {
                        scopes.insert(scope(year));
                    }
                }
            }
        }
        scopes
    }

    fn all_scopes(&self, state: &State, index: &index::RecordIndex<'_>, at: Instant) -> Vec<Scope> {
        let date = date_of(at);
        let mut out = Vec::new();
        for (ai, a) in self.agreements.iter().enumerate() {
            let in_force = self.applies_in_force(a, date);
            for (pi, p) in a.provisions.iter().enumerate() {
                let mut parties: Vec<&PartyId> = p.applies_to.iter().collect();
                parties.sort();
                parties.dedup();
                for party in parties {
                    for year in self.scope_years(state, index, in_force, p, party, at) {
                        out.push(Scope {
                            agreement: ai,
                            provision: pi,
                            party: party.clone(),
                            year,
                        });
                    }
                }
            }
        }
        out
    }

    /// The years of the scopes of a provision for a party: 0 alone for provisions judged on
    /// the current picture (and for agreements not in force), else each year with records of
    /// its group up to the current one, and the current one.
    fn scope_years(
        &self,
        state: &State,
        index: &index::RecordIndex<'_>,
        in_force: bool,
        p: &accord_agreements::Provision,
        party: &PartyId,
        at: Instant,
    ) -> BTreeSet<i16> {
        let current = date_of(at).year();
        if !in_force {
            return BTreeSet::from([0]);
        }
        match group_of(&p.body) {
            Group::Holdings => BTreeSet::from([0]),
            Group::Activities | Group::Calendars => state
                .activity_years(party)
                .into_iter()
                .chain(index.hosted_years(party))
                .chain([current])
                .filter(|y| *y <= current)
                .collect(),
            Group::Requests => state
                .request_years(party, at)
                .into_iter()
                .chain([current])
                .collect(),
            Group::Inspections => {
                if matches!(p.body, ProvisionBody::Visit(_)) {
                    BTreeSet::from([0])
                } else {
                    state
                        .inspection_years(party)
                        .into_iter()
                        .chain([current])
                        .filter(|y| *y <= current)
                        .collect()
                }
            }
        }
    }

    /// Whether `inner` is `outer` or lies within it, from the precomputed closure.
    pub(crate) fn zone_within(
        &self,
        inner: &accord_model::ZoneId,
        outer: &accord_model::ZoneId,
    ) -> bool {
        inner == outer || self.within.get(outer).is_some_and(|s| s.contains(inner))
    }

    /// The evidence of record `id`: with its log and index when the state holds it as logged
    /// (or its log's cosignatures time it), else as [`Engine::with_log_index`] gives them.
    pub(crate) fn evidence(&self, state: &State, id: &RecordId) -> accord_model::Evidence {
        self.evidence_at(state, state.position(id), id)
    }

    /// The evidence of record `id`, held at state position `index` when it is held (as
    /// [`Engine::evidence`], which looks the position up).
    pub(crate) fn evidence_at(
        &self,
        state: &State,
        index: Option<usize>,
        id: &RecordId,
    ) -> accord_model::Evidence {
        let logged = index.and_then(|i| {
            state
                .log_position(i)
                .or_else(|| state.log_time_at(i).map(|t| &t.position))
        });
        if let Some(p) = logged {
            return accord_model::Evidence::logged(
                id.clone(),
                accord_model::log_origin(p.log.as_str()),
                p.index,
            );
        }
        let given = self
            .log_index
            .as_ref()
            .and_then(|(origin, index)| index.get(id).map(|i| (origin, *i)));
        match given {
            Some((origin, i)) => accord_model::Evidence::logged(id.clone(), origin.clone(), i),
            None => accord_model::Evidence::record(id.clone()),
        }
    }
}

/// A touched year that stands for every year of the group's scopes.
const EVERY_YEAR: i16 = i16::MIN;

/// Which (party, group, year) a new record can change the findings of.
fn touches(
    state: &State,
    hosts: &FastMap<accord_model::ZoneId, PartyId>,
    record: &accord_model::Record,
    now: i16,
    out: &mut BTreeSet<(PartyId, Group, i16)>,
) {
    let year_of = |d: accord_model::Date| d.year();
    let mut activity = |party: &PartyId, y: i16| {
        for k in 0..3 {
            out.insert((party.clone(), Group::Activities, y + k));
        }
    };
    match &record.body {
        RecordBody::Declaration(_) => {
            out.insert((record.party.clone(), Group::Holdings, 0));
            // Unit-based quotas depend on declared holdings.
            for y in state.inspection_years(&record.party) {
                out.insert((record.party.clone(), Group::Inspections, y));
            }
            out.insert((
                record.party.clone(),
                Group::Inspections,
                year_of(date_of(record.issued_at)),
            ));
        }
        RecordBody::Notification(n) => {
            activity(&record.party, year_of(n.activity.start));
            for p in &n.activity.participants {
                activity(p, year_of(n.activity.start));
            }
            // The host State of the activity's zone owes a notification of its own.
            if let Some(h) = n.activity.area.zone.as_ref().and_then(|z| hosts.get(z)) {
                activity(h, year_of(n.activity.start) - 1);
            }
        }
        RecordBody::AnnualCalendar(c) => {
            // A calendar for year Y is due in year Y - 1 and lists activities of year Y; the
            // first calendar of a party has its calendars judged from then on, the current
            // year's scope included.
            activity(&record.party, c.year - 1);
            for a in &c.activities {
                activity(&record.party, year_of(a.start));
            }
            out.insert((record.party.clone(), Group::Calendars, EVERY_YEAR));
        }
        // A build-up that starts in one year and goes on into the next is judged in the year it
        // starts: an observation can change the finding of the year before its own.
        RecordBody::Observation(o) => {
            activity(&o.actor, year_of(o.date) - 1);
            if let Some(h) = o.area.zone.as_ref().and_then(|z| hosts.get(z)) {
                activity(h, year_of(o.date) - 1);
            }
            // Class bans are judged against reports too.
            out.insert((o.actor.clone(), Group::Holdings, 0));
        }
        RecordBody::ExplanationRequest(q) => {
            out.insert((
                q.to.clone(),
                Group::Requests,
                year_of(date_of(record.issued_at)),
            ));
        }
        RecordBody::ExplanationReply(r) => {
            if let Some(req) = state.get(&r.request)
                && let RecordBody::ExplanationRequest(q) = &req.body
            {
                out.insert((
                    q.to.clone(),
                    Group::Requests,
                    year_of(date_of(req.issued_at)),
                ));
            }
        }
        RecordBody::InspectionRequest(q) => {
            inspections(state, &q.inspected, year_of(q.date), out);
        }
        RecordBody::InspectionReport(r) => {
            if let Some(req) = state.get(&r.request)
                && let RecordBody::InspectionRequest(q) = &req.body
            {
                inspections(state, &q.inspected, year_of(q.date), out);
            }
        }
        RecordBody::EventNotice(_) => {
            out.insert((record.party.clone(), Group::Holdings, 0));
        }
        RecordBody::Countermeasure(_) | RecordBody::InspectionRefusal(_) => {
            let year = year_of(date_of(record.issued_at));
            out.insert((record.party.clone(), Group::Holdings, 0));
            // A countermeasure or refusal holds from its date on: every year judged since,
            // the current one included.
            for y in state
                .inspection_years(&record.party)
                .into_iter()
                .chain([year, now])
            {
                out.insert((record.party.clone(), Group::Inspections, y));
            }
        }
        RecordBody::MeetingRequest(m) => {
            if let Some(req) = state.get(&m.request) {
                out.insert((
                    m.to.clone(),
                    Group::Requests,
                    year_of(date_of(req.issued_at)),
                ));
            }
            out.insert((
                m.to.clone(),
                Group::Requests,
                year_of(date_of(record.issued_at)),
            ));
        }
        RecordBody::Meeting(m) => {
            // The meeting answers a meeting request (or a request for explanation) to a party.
            let mut id = Some(&m.request);
            while let Some(r) = id.and_then(|i| state.get(i)) {
                id = match &r.body {
                    RecordBody::MeetingRequest(q) => {
                        out.insert((q.to.clone(), Group::Requests, year_of(date_of(r.issued_at))));
                        Some(&q.request)
                    }
                    RecordBody::ExplanationRequest(q) => {
                        out.insert((q.to.clone(), Group::Requests, year_of(date_of(r.issued_at))));
                        None
                    }
                    _ => None,
                };
            }
        }
        RecordBody::Statement(s) => {
            // A statement can show that a host takes part in another State's activity, or
            // carry an invitation of observers: the years of every party it names.
            let mut named: Vec<&PartyId> = vec![&record.party];
            named.extend(s.about.as_ref());
            if let Some(a) = &s.activity {
                named.extend(&a.participants);
            }
            let mut years: BTreeSet<i16> =
                named.iter().flat_map(|p| state.activity_years(p)).collect();
            years.extend(s.activity.as_ref().map(|a| year_of(a.start)));
            for p in named {
                for y in &years {
                    out.insert((p.clone(), Group::Activities, *y));
                }
            }
        }
        _ => {}
    }
}

fn inspections(
    state: &State,
    party: &PartyId,
    year: i16,
    out: &mut BTreeSet<(PartyId, Group, i16)>,
) {
    out.insert((party.clone(), Group::Inspections, year));
    // Visits are judged over all years, and reciprocity links one host's visits to another's:
    // re-evaluate the visit scopes of every inspected party.
    for p in state.inspected_parties() {
        out.insert((p.clone(), Group::Inspections, 0));
    }
    out.insert((party.clone(), Group::Inspections, 0));
}

/// The findings of an engine at one instant, kept by scope so that they can be updated.
#[derive(Debug, Clone)]
pub struct Evaluation {
    at: Instant,
    seen: usize,
    /// How many log-time changes of the state it reflects.
    times_seen: usize,
    /// How many times the state's order had been renumbered when it was made.
    renumbered: usize,
    scopes: BTreeMap<Scope, rules::Judged>,
    /// Findings on records' own dates, by state position.
    timing: BTreeMap<usize, Vec<Finding>>,
    /// The records the state does not index, kept up to date with it.
    lists: index::RecordLists,
}

impl Drop for Evaluation {
    /// Frees the findings on every core: a full evaluation holds tens of thousands, each with
    /// its evidence and arguments, and freeing them one by one on the dropping thread took
    /// a sixth of a full evaluation's time on two cores.
    fn drop(&mut self) {
        let scopes = std::mem::take(&mut self.scopes);
        let timing = std::mem::take(&mut self.timing);
        rayon::join(
            || scopes.into_par_iter().for_each(drop),
            || timing.into_par_iter().for_each(drop),
        );
    }
}

impl Evaluation {
    /// The instant evaluated.
    pub fn at(&self) -> Instant {
        self.at
    }

    /// How many records of the state the evaluation reflects.
    pub fn records_seen(&self) -> usize {
        self.seen
    }

    fn set_timing(&mut self, index: usize, findings: Vec<Finding>) {
        if findings.is_empty() {
            self.timing.remove(&index);
        } else {
            self.timing.insert(index, findings);
        }
    }

    fn all(&self) -> impl Iterator<Item = &Finding> {
        self.scopes
            .values()
            .flat_map(rules::Judged::findings)
            .chain(self.timing.values().flatten())
    }

    /// Every finding, sorted deterministically (agreement, provision, party, most serious
    /// first, summary), each with its English summary.
    pub fn findings(&self) -> Vec<Finding> {
        let mut v: Vec<Finding> = self.all().cloned().collect();
        v.iter_mut().for_each(summarise);
        sort_findings(&mut v);
        v
    }

    /// Renders the English summary of the findings made since the last call, so that listing
    /// them renders none again: the engine makes findings with their message and notes alone,
    /// and an evaluation kept up to date renders each once.
    pub fn summarise(&mut self) {
        self.scopes
            .values_mut()
            .flat_map(rules::Judged::findings_mut)
            .chain(self.timing.values_mut().flatten())
            .for_each(summarise);
    }

    /// How many findings have each severity.
    pub fn counts(&self) -> BTreeMap<Severity, usize> {
        let mut m = BTreeMap::new();
        for f in self.all() {
            *m.entry(f.severity).or_insert(0) += 1;
        }
        m
    }

    /// The most serious severity among the findings, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.all().map(|f| f.severity).max()
    }
}

/// The hex SHA-256 of an agreement file's text, as nodes and scenarios name the text they
/// judge by.
pub fn file_sha256(text: &str) -> String {
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

/// The digest that nodes and `accord check` compare: the findings
/// ([`accord_model::findings_digest`], sorted findings) together with the id and file SHA-256 of
/// every agreement judged, so that two nodes holding different texts of an agreement never agree
/// by accident.
pub fn judged_digest<'a>(
    agreements: impl IntoIterator<Item = (&'a AgreementId, &'a str)>,
    findings: &[Finding],
) -> String {
    let mut held: Vec<(&AgreementId, &str)> = agreements.into_iter().collect();
    held.sort();
    held.dedup();
    let mut h = sha2::Sha256::new();
    h.update(b"accord findings digest v2\n");
    for (id, sha256) in held {
        h.update(format!("agreement {id} {sha256}\n").as_bytes());
    }
    h.update(format!("findings {}\n", accord_model::findings_digest(findings)).as_bytes());
    hex::encode(h.finalize())
}

/// Renders a finding's English summary from its message and notes, where it has none yet.
fn summarise(f: &mut Finding) {
    if f.summary.is_empty() {
        f.summary = accord_messages::english(&f.message, &f.notes);
    }
}

/// Sorts findings deterministically: agreement, provision, party, most serious first, summary,
/// then evidence.
pub fn sort_findings(v: &mut [Finding]) {
    v.sort_by(|a, b| {
        (&a.agreement, &a.provision, &a.party)
            .cmp(&(&b.agreement, &b.provision, &b.party))
            .then(b.severity.cmp(&a.severity))
            .then(a.summary.cmp(&b.summary))
            .then(a.evidence.cmp(&b.evidence))
    });
}

#[cfg(test)]
mod tests;
