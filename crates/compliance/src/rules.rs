//! The rules: how each kind of provision is judged against the state, for one scope.

use std::collections::{BTreeMap, HashSet};

use accord_agreements::{
    Agreement, Binding, ClassBan, Commitment, Constraint, DataExchange, EventNotification,
    ExemptionRule, Limit, Period, Provision, ProvisionBody, Quota, RiskReduction, Status,
    Threshold, Vars, Visit, Vocabulary, ZoneProhibition, reached,
};
use accord_messages::item;
use accord_model::{
    Activity, Arg, Basis, Category, Date, Evidence, Figure, Finding, Instant, Message, Observation,
    PartyId, Qualifier, Record, RecordBody, RecordId, Severity, SmolStr, ZoneId,
};
use accord_state::{
    ActivityRef, ActivitySource, DeclarationRef, ObservationRef, RequestRef, State, end_of,
    start_of,
};
use jiff::{SignedDuration, Span};
use smol_str::ToSmolStr;

use crate::index::RecordIndex;
use crate::{Engine, Scope};

/// Days either side of a scheduled data-exchange date within which a declaration counts for it.
const EXCHANGE_WINDOW_DAYS: i64 = 45;
/// Observations of one zone this many days apart or closer belong to one activity: a build-up
/// reported week after week is one finding, in the year its first report falls in.
const RUN_GAP_DAYS: i64 = 60;
/// A declared level older than this many days is flagged as stale.
const STALE_DAYS: i64 = 270;

/// The label of the figure of the notification tally.
const NOTIFIED_LABEL: &str = "activities notified in time";

/// Activities that last at most this many days are sought only among those started this many
/// days before the date they must cover.
const SHORT_DAYS: i64 = 31;

/// A party's notified activities in start order, split into those lasting up to
/// [`SHORT_DAYS`] and longer ones, so that finding one under way on a date reads only the short
/// activities started in the days before it (as many days as the longest of them lasts) and
/// the few long ones.
struct Notifier<'a> {
    party: &'a PartyId,
    short: Vec<ActivityRef<'a>>,
    /// How many days the longest of the short activities lasts: one under way on a date
    /// started at most this many days before it.
    short_days: i64,
    long: Vec<ActivityRef<'a>>,
    /// How many days the longest of the long activities lasts.
    long_days: i64,
}

impl<'a> Notifier<'a> {
    /// The first activity in start order (then state position) under way on `date` that also
    /// passes `test`.
    fn covering(
        &self,
        date: Date,
        mut test: impl FnMut(&ActivityRef<'a>) -> bool,
    ) -> Option<ActivityRef<'a>> {
        let mut under_way =
            |a: &&ActivityRef<'a>| a.activity.start <= date && date <= a.activity.end && test(a);
        // An activity under way on `date` started at most as many days before it as the
        // longest of its list lasts.
        let from = |list: &[ActivityRef<'a>], days: i64| {
            let from = sub_days(date, days);
            list.partition_point(|a| a.activity.start < from)
        };
        let short = self.short[from(&self.short, self.short_days)..]
            .iter()
            .take_while(|a| a.activity.start <= date)
            .find(&mut under_way);
        let long = self.long[from(&self.long, self.long_days)..]
            .iter()
            .take_while(|a| a.activity.start <= date)
            .find(under_way);
        match (short, long) {
            (Some(s), Some(l)) => Some(
                if (l.activity.start, l.index) < (s.activity.start, s.index) {
                    l
                } else {
                    s
                },
            ),
            (s, l) => s.or(l),
        }
        .copied()
    }
}

struct Cx<'a> {
    engine: &'a Engine,
    state: &'a State,
    at: Instant,
    date: Date,
    agreement: &'a Agreement,
    provision: &'a Provision,
    party: &'a PartyId,
    year: i16,
    assumed: bool,
    vocabulary: &'a Vocabulary,
    index: &'a RecordIndex<'a>,
    /// The messages of a list of thresholds, made once per scope for the thresholds they were
    /// made of (findings on every activity of a scope name the same).
    thresholds: std::cell::RefCell<Option<(*const Threshold, usize, Vec<Message>)>>,
    /// Whether a zone lies within any of a list of zones, remembered for the list last asked
    /// (a scope asks it of every activity and report, which lie in a handful of zones).
    zones_in: std::cell::RefCell<ZonesIn>,
}

/// The zones found within (or not within) one list of zones, by the list's place in memory.
#[derive(Default)]
struct ZonesIn {
    list: Option<(*const ZoneId, usize)>,
    known: Vec<(ZoneId, bool)>,
}

/// The requests for explanation to `party`, known at `at` (those issued in `year` only, when
/// given), that the risk-reduction provision `provision` of `agreement` judges: those that
/// name it, or every request under the agreement when it has no other risk-reduction
/// provision.
pub(crate) fn requests_under<'a>(
    state: &'a State,
    agreement: &Agreement,
    provision: &Provision,
    party: &PartyId,
    at: Instant,
    year: Option<i16>,
) -> Vec<RequestRef<'a>> {
    let only_one = agreement
        .provisions
        .iter()
        .filter(|p| matches!(p.body, ProvisionBody::RiskReduction(_)))
        .count()
        == 1;
    match year {
        Some(y) => state.requests_to_in(party, y, at),
        None => state.requests_to(party, at),
    }
    .into_iter()
    .filter(|r| {
        r.request.agreement == agreement.id && (r.request.provision == provision.id || only_one)
    })
    .collect()
}

/// When the reply to `request` falls due under `x`: the hours the provision allows, from the
/// request's date.
pub(crate) fn reply_due(x: &RiskReduction, request: &Record) -> Instant {
    request
        .issued_at
        .checked_add(SignedDuration::from_hours(i64::from(x.reply_within_hours)))
        .unwrap_or(Instant::MAX)
}

/// The exchanges `party` owes under the data-exchange provision `x` through the year of
/// `date`: each scheduled as-of date with the day it is due, oldest first. None when the party
/// has declared nothing under the agreement and the agreement gives no entry into force.
pub(crate) fn exchange_schedule(
    state: &State,
    agreement: &Agreement,
    x: &DataExchange,
    party: &PartyId,
    date: Date,
) -> Option<Vec<(Date, Date)>> {
    let eif = agreement.entry_into_force().or_else(|| {
        state
            .declarations(&agreement.id, party, Instant::MAX)
            .iter()
            .map(|d| d.declaration.as_of)
            .min()
    })?;
    let mut schedule: Vec<(Date, Date)> = Vec::new();
    if let Some(days) = x.initial_within_days {
        schedule.push((eif, add_days(eif, i64::from(days))));
    }
    for y in eif.year()..=date.year() {
        for md in &x.as_of {
            let d = md.in_year(y);
            // The initial exchange stands for a scheduled date close after entry into force.
            if d <= eif || (d - eif).get_days() as i64 <= EXCHANGE_WINDOW_DAYS {
                continue;
            }
            // Only the agreement sets a deadline; without one no exchange is ever late.
            if let Some(deadline) = x.deadline(d) {
                schedule.push((d, deadline));
            }
        }
    }
    schedule.sort();
    Some(schedule)
}

/// Whether the declaration `m` counts for the exchange as of `d`: its as-of date lies within
/// the window around it.
pub(crate) fn exchanged_for(m: &DeclarationRef<'_>, d: Date) -> bool {
    (m.declaration.as_of - d).get_days().abs() as i64 <= EXCHANGE_WINDOW_DAYS
}

/// What a provision judged activity by activity says of one notified activity.
#[derive(Debug, Clone)]
pub(crate) enum Said {
    /// The activity kept the duty: its notification, and the record at this state position
    /// that shows it did where another does (an invitation of observers), are the evidence it
    /// adds to the provision's tally (made when the tally is, not kept per activity).
    Kept(Option<usize>),
    /// A finding on this activity alone.
    Found(Box<Finding>),
}

/// The findings of one scope: on the provision as a whole, and, for the provisions judged
/// activity by activity (notification and observation), what each notified activity says (by
/// state position) and the tally of those that kept the duty. An update judges only the
/// activities appended and folds the tally again.
#[derive(Debug, Clone, Default)]
pub(crate) struct Judged {
    /// Findings on the provision as a whole.
    pub(crate) whole: Vec<Finding>,
    /// What each notified activity says, by state position.
    pub(crate) items: BTreeMap<usize, Said>,
    /// The finding that counts the activities that kept the duty.
    pub(crate) tally: Option<Finding>,
}

/// How activities set in a scope change its tally.
pub(crate) enum Added {
    /// No activity kept the duty, and none was judged before: the tally stands.
    Nothing,
    /// Activities new to the scope kept the duty: their state positions, each with the
    /// position of the record that shows it did, if another.
    Kept(Vec<(usize, Option<usize>)>),
    /// An activity judged before was judged again: the tally is folded afresh.
    Replaced,
}

impl Judged {
    /// Whether any of its findings cites one of these records as evidence.
    pub(crate) fn cites(&self, ids: &HashSet<&RecordId>) -> bool {
        let cites = |f: &Finding| {
            f.evidence
                .iter()
                .any(|e| matches!(e, Evidence::Record { id, .. } if ids.contains(id)))
        };
        self.whole.iter().any(cites)
            || self.tally.as_ref().is_some_and(cites)
            || self.items.values().any(|s| match s {
                Said::Found(f) => cites(f),
                Said::Kept(_) => false,
            })
    }

    fn whole(whole: Vec<Finding>) -> Self {
        Judged {
            whole,
            ..Judged::default()
        }
    }

    /// Sets what activities say, by state position, and tells how the tally changes.
    fn add(&mut self, said: impl Iterator<Item = (usize, Option<Said>)>) -> Added {
        let mut replaced = false;
        let mut kept = Vec::new();
        for (index, said) in said {
            if let Some(Said::Kept(with)) = &said {
                kept.push((index, *with));
            }
            let before = match said {
                Some(s) => self.items.insert(index, s),
                None => self.items.remove(&index),
            };
            replaced |= before.is_some();
        }
        match (replaced, kept.is_empty()) {
            (true, _) => Added::Replaced,
            (false, false) => Added::Kept(kept),
            (false, true) => Added::Nothing,
        }
    }

    /// Every finding of the scope, to be changed in place.
    pub(crate) fn findings_mut(&mut self) -> impl Iterator<Item = &mut Finding> {
        let items = self.items.values_mut().filter_map(|s| match s {
            Said::Found(f) => Some(f.as_mut()),
            Said::Kept(_) => None,
        });
        self.whole.iter_mut().chain(items).chain(&mut self.tally)
    }

    /// Every finding of the scope.
    pub(crate) fn findings(&self) -> impl Iterator<Item = &Finding> {
        let items = self.items.values().filter_map(|s| match s {
            Said::Found(f) => Some(f.as_ref()),
            Said::Kept(_) => None,
        });
        self.whole.iter().chain(items).chain(&self.tally)
    }
}

fn context<'a>(
    engine: &'a Engine,
    state: &'a State,
    index: &'a RecordIndex<'a>,
    at: Instant,
    scope: &'a Scope,
) -> Cx<'a> {
    let agreement = &engine.agreements[scope.agreement];
    Cx {
        engine,
        state,
        at,
        date: accord_state::date_of(at),
        agreement,
        provision: &agreement.provisions[scope.provision],
        party: &scope.party,
        year: scope.year,
        assumed: engine.assumed.contains(&agreement.id),
        vocabulary: &engine.vocabulary,
        index,
        thresholds: std::cell::RefCell::new(None),
        zones_in: std::cell::RefCell::default(),
    }
}

pub(crate) fn evaluate_scope(
    engine: &Engine,
    state: &State,
    index: &RecordIndex<'_>,
    at: Instant,
    scope: &Scope,
) -> Judged {
    let cx = context(engine, state, index, at, scope);
    let date = cx.date;
    match cx
        .agreement
        .binding(cx.provision, &scope.party, date, cx.assumed)
    {
        Binding::NotApplicable => Judged::default(),
        Binding::NotInForce { status } => Judged::whole(cx.not_binding(cx.status_reason(status))),
        Binding::NotYet { binds_from } => Judged::whole(
            cx.not_binding(
                Message::new("binds-from")
                    .date("binds_from", binds_from)
                    .date("date", date),
            ),
        ),
        Binding::Binds => cx.binds(),
    }
}

/// The notified activity of the notification at state position `i`, if it is one.
fn notified_at(state: &State, i: usize) -> Option<ActivityRef<'_>> {
    let record = state.records().get(i)?;
    match &record.body {
        RecordBody::Notification(n) => Some(ActivityRef {
            record,
            index: i,
            agreement: &n.agreement,
            source: ActivitySource::Notified,
            activity: &n.activity,
        }),
        _ => None,
    }
}

/// Brings the findings of a scope of the activities group up to date with the notifications
/// at state positions `notified`, where no other record the scope reads changed: the
/// provisions judged activity by activity judge the new activities alone and fold their tally
/// again, and the others are judged again only where the new activities count for them.
pub(crate) fn update_scope(
    engine: &Engine,
    state: &State,
    index: &RecordIndex<'_>,
    at: Instant,
    scope: &Scope,
    judged: &mut Judged,
    notified: &[usize],
) {
    let cx = context(engine, state, index, at, scope);
    if cx
        .agreement
        .binding(cx.provision, &scope.party, cx.date, cx.assumed)
        != Binding::Binds
    {
        *judged = evaluate_scope(engine, state, index, at, scope);
        return;
    }
    let new: Vec<ActivityRef<'_>> = notified
        .iter()
        .filter_map(|&i| notified_at(state, i))
        .collect();
    // The new activities this scope judges one by one: its party's, started in its year,
    // issued by the instant evaluated.
    let (from, to) = cx.year_bounds(scope.year, scope.year);
    let own = || {
        new.iter().filter(|a| {
            a.record.party == scope.party
                && from <= a.activity.start
                && a.activity.start <= to
                && a.record.issued_at <= at
        })
    };
    match &cx.provision.body {
        ProvisionBody::Notification(x) => {
            let kept = judged.add(own().map(|a| (a.index, cx.notified_activity(x, a))));
            cx.tally_with(
                judged,
                kept,
                cx.msg("notified-in-time"),
                Some(NOTIFIED_LABEL),
            );
            judged.whole = cx.notification_rest(x);
        }
        ProvisionBody::Observation(x) => {
            let invitations = cx.index.invitations(cx.party, &cx.agreement.id, cx.at);
            let kept =
                judged.add(own().map(|a| (a.index, cx.invited_activity(x, a, &invitations))));
            cx.tally_with(judged, kept, cx.msg("observers-invited"), None);
            judged.whole = cx.observation_rest(x);
        }
        // A constraint counts the party's own notified activities above its size in its
        // window of years.
        ProvisionBody::Constraint(x) => {
            let window = constraint_window(x);
            if new.iter().any(|a| {
                a.record.party == scope.party
                    && a.agreement == &cx.agreement.id
                    && constraint_counts(x, a.activity)
                    && (scope.year - window + 1..=scope.year).contains(&a.activity.start.year())
            }) {
                *judged = cx.binds();
            }
        }
        // A zone prohibition reads notified deployments only.
        ProvisionBody::ZoneProhibition(_) => {
            if new.iter().any(|a| {
                a.activity.kind == accord_model::ActivityKind::Deployment
                    && a.activity.start.year() == scope.year
            }) {
                *judged = cx.binds();
            }
        }
        // Calendars are judged on calendars alone.
        ProvisionBody::AnnualCalendar(_) => {}
        _ => *judged = cx.binds(),
    }
}

/// The runs of reports an observation may belong to: its actor's forces in one zone (or one
/// described area).
fn cluster_key(obs: &Observation) -> (&str, &str) {
    let place = match &obs.area.zone {
        Some(z) => z.as_str(),
        None => obs.area.description.as_str(),
    };
    (obs.actor.as_str(), place)
}

/// Whether a constraint counts an activity: above its size, and within its upper bounds.
fn constraint_counts(x: &Constraint, a: &Activity) -> bool {
    reached(&x.above, forces(a)).is_some()
        && x.up_to
            .iter()
            .all(|c| count_of(a, &c.category) <= c.at_most)
}

/// How many calendar years a constraint's window spans (one for simultaneous activities).
fn constraint_window(x: &Constraint) -> i16 {
    match x.period {
        Period::CalendarYears(k) => k.max(1) as i16,
        Period::Simultaneous => 1,
    }
}

impl Cx<'_> {
    fn finding(
        &self,
        severity: Severity,
        basis: Basis,
        message: Message,
        notes: Vec<Message>,
        figures: Vec<Figure>,
        mut evidence: Vec<Evidence>,
    ) -> Finding {
        evidence.sort();
        evidence.dedup();
        Finding {
            agreement: self.agreement.id.clone(),
            provision: self.provision.id.clone(),
            party: self.party.clone(),
            severity,
            basis,
            // Rendered when the findings are listed (`Evaluation::findings`).
            summary: String::new(),
            message,
            notes,
            figures,
            evidence,
        }
    }

    /// A finding on the party's own records (or their absence), with no notes.
    fn declared(
        &self,
        severity: Severity,
        message: Message,
        figures: Vec<Figure>,
        evidence: Vec<Evidence>,
    ) -> Finding {
        self.finding(
            severity,
            Basis::Declared,
            message,
            Vec::new(),
            figures,
            evidence,
        )
    }

    /// One not-applicable finding with no figures or evidence, saying why.
    fn not_checked(&self, message: Message) -> Vec<Finding> {
        vec![self.declared(Severity::NotApplicable, message, Vec::new(), Vec::new())]
    }

    /// An observed count held against a bound (a notified count, or none allowed).
    fn observed_figure(&self, obs: &Observation, bound: u64) -> Figure {
        Figure {
            label: format!("observed {}", obs.category).into(),
            value: obs.quantity as i64,
            limit: Some(bound as i64),
            unit: self.unit(&obs.category).into(),
        }
    }

    /// A message about this scope's party.
    fn msg(&self, id: &str) -> Message {
        Message::new(id).arg("party", Arg::Id(self.party.as_str().into()))
    }

    fn ev(&self, id: &accord_model::RecordId) -> Evidence {
        self.engine.evidence(self.state, id)
    }

    /// The evidence of the record `id` at state position `index` (no lookup by id).
    fn ev_at(&self, index: usize, id: &accord_model::RecordId) -> Evidence {
        self.engine.evidence_at(self.state, Some(index), id)
    }

    /// The provision's citation (shared, not copied, by each message that names it).
    fn cite(&self) -> SmolStr {
        self.provision.cite.clone()
    }

    /// Why an agreement that is not in force does not bind.
    fn status_reason(&self, status: Option<Status>) -> Message {
        let since = |s: Status| {
            self.agreement
                .history
                .iter()
                .rfind(|c| c.by.is_empty() && c.status == s && c.date <= self.date)
                .map(|c| c.date)
        };
        let agreement = &self.agreement.id;
        let dated = |id: &str, s: Status| match since(s) {
            Some(d) => Message::new(id).id("agreement", agreement).date("since", d),
            None => Message::new("status-other")
                .id("agreement", agreement)
                .id("status", s.as_str()),
        };
        match status {
            None => Message::new("status-none")
                .id("agreement", agreement)
                .date("date", self.date),
            Some(Status::Proposed) => Message::new("status-proposed").id("agreement", agreement),
            Some(Status::Signed) => dated("status-signed", Status::Signed),
            Some(Status::Expired) => dated("status-expired", Status::Expired),
            Some(Status::Terminated) => dated("status-terminated", Status::Terminated),
            Some(Status::Suspended) => dated("status-suspended", Status::Suspended),
            Some(s) => Message::new("status-other")
                .id("agreement", agreement)
                .id("status", s.as_str()),
        }
    }

    /// A note of a suspension the party declared on its own, if current.
    fn suspension_note(&self) -> Option<Message> {
        self.suspension_note_on(self.date)
    }

    /// A note of a suspension the party declared on its own, if current on `date`.
    fn suspension_note_on(&self, date: Date) -> Option<Message> {
        let c = self.agreement.suspension(self.party, date)?;
        Some(match &c.note {
            Some(reason) => self
                .msg("note-suspended-because")
                .date("date", c.date)
                .text("reason", reason),
            None => self.msg("note-suspended").date("date", c.date),
        })
    }

    fn vars(&self) -> Vars {
        let status = if self.assumed {
            Some(Status::InForce)
        } else {
            self.agreement.status_at(self.date)
        };
        Vars::new(self.party, self.date, status)
    }

    /// Evaluates the provision's CEL condition, if any: Ok(true) when it holds or is absent.
    fn condition(&self, vars: impl FnOnce(Vars) -> Vars) -> Result<bool, String> {
        match &self.provision.condition {
            None => Ok(true),
            Some(c) => c.evaluate(&vars(self.vars())).map_err(|e| e.to_string()),
        }
    }

    fn zone_name<'z>(&'z self, zone: &'z Option<ZoneId>, description: &'z str) -> &'z str {
        match zone {
            Some(z) => self
                .vocabulary
                .zones
                .get(z)
                .map_or(z.as_str(), |i| i.name.as_str()),
            None => description,
        }
    }

    fn unit<'c>(&'c self, category: &'c Category) -> &'c str {
        self.vocabulary.unit(category).unwrap_or(category.as_str())
    }

    fn year_bounds(&self, first: i16, last: i16) -> (Date, Date) {
        (
            Date::new(first, 1, 1).unwrap_or(Date::MIN),
            Date::new(last, 12, 31).unwrap_or(Date::MAX),
        )
    }

    /// The provision does not bind (not in force, not yet binding): one finding saying why,
    /// with the figures it would rest on where there are some.
    fn not_binding(&self, why: Message) -> Vec<Finding> {
        if self.year != 0 && self.year != self.date.year() {
            return Vec::new();
        }
        if let ProvisionBody::Limit(l) = &self.provision.body
            && let Some((level, decl, _)) = self.limit_source(l)
        {
            let message = self
                .limit_msg("not-binding-limit", l)
                .num("level", level)
                .date("as_of", decl.declaration.as_of)
                .nested("why", why);
            return vec![self.declared(
                Severity::NotApplicable,
                message,
                vec![limit_figure(l, level)],
                vec![self.ev_at(decl.index, &decl.record.id)],
            )];
        }
        self.not_checked(
            Message::new("not-binding")
                .text("title", &self.provision.title)
                .nested("why", why),
        )
    }

    /// A message about this party and a limit: its name, unit and maximum.
    fn limit_msg(&self, id: &str, l: &Limit) -> Message {
        self.msg(id)
            .text("limit", &l.name)
            .text("unit", &l.unit)
            .num("max", l.max)
    }

    fn binds(&self) -> Judged {
        let whole = match &self.provision.body {
            ProvisionBody::Limit(l) => self.limit(l),
            ProvisionBody::DataExchange(x) => self.data_exchange(x),
            ProvisionBody::Notification(x) => {
                let items = self.each_activity(|a| self.notified_activity(x, a));
                return Judged {
                    tally: self.notified_tally(&items),
                    items,
                    whole: self.notification_rest(x),
                };
            }
            ProvisionBody::Observation(x) => {
                let invitations = self
                    .index
                    .invitations(self.party, &self.agreement.id, self.at);
                let items = self.each_activity(|a| self.invited_activity(x, a, &invitations));
                return Judged {
                    tally: self.invited_tally(&items),
                    items,
                    whole: self.observation_rest(x),
                };
            }
            ProvisionBody::AnnualCalendar(x) => self.annual_calendar(x),
            ProvisionBody::Constraint(x) => self.constraint(x),
            ProvisionBody::RiskReduction(x) => self.risk_reduction(x),
            ProvisionBody::Quota(x) => self.quota(x),
            ProvisionBody::Visit(x) => self.visit(x),
            ProvisionBody::ZoneProhibition(x) => self.zone_prohibition(x),
            ProvisionBody::ClassBan(x) => self.class_ban(x),
            ProvisionBody::EventNotification(x) => self.event_notification(x),
            ProvisionBody::Commitment(x) => self.commitment(x),
        };
        Judged::whole(whole)
    }

    /// What a provision judged activity by activity says of each activity the party notified
    /// under the agreement in the scope's year, by state position.
    fn each_activity(
        &self,
        judge: impl Fn(&ActivityRef<'_>) -> Option<Said>,
    ) -> BTreeMap<usize, Said> {
        let (from, to) = self.year_bounds(self.year, self.year);
        self.state
            .activities_iter(self.party, from, to, self.at)
            .filter_map(|a| judge(&a).map(|s| (a.index, s)))
            .collect()
    }

    /// The notification provision's findings beside those on each notified activity:
    /// observed forces no notification covers, and the host State's own duty.
    fn notification_rest(&self, x: &accord_agreements::Notification) -> Vec<Finding> {
        let mut out = self.unnotified(&x.thresholds, &x.zones, Some(x.lead_time_days));
        out.extend(self.host_notified(x));
        out.extend(self.unnotified_on_territory(&x.thresholds, &x.zones, x.lead_time_days));
        out
    }

    /// The observation provision's findings beside the invitations: observed forces no
    /// notification covers. Forces a notification provision of the same agreement already
    /// judges unnotified are one finding there, not repeated by the observation duty that
    /// depends on it.
    fn observation_rest(&self, x: &accord_agreements::Observation) -> Vec<Finding> {
        let notified_elsewhere =
            self.agreement.provisions.iter().any(|p| {
                matches!(p.body, ProvisionBody::Notification(_)) && p.applies_to(self.party)
            });
        if notified_elsewhere {
            return Vec::new();
        }
        self.unnotified(&x.thresholds, &x.zones, None)
    }

    /// The evidence of the activities that kept the duty, and how many they are.
    fn kept(&self, items: &BTreeMap<usize, Said>) -> (usize, Vec<Evidence>) {
        let mut count = 0;
        let mut evidence = Vec::new();
        for (&index, s) in items {
            if let Said::Kept(with) = s {
                count += 1;
                self.kept_evidence(index, *with, &mut evidence);
            }
        }
        (count, evidence)
    }

    /// The evidence an activity that kept the duty adds to the tally: the record at its state
    /// position, and the one at `with`, if any.
    fn kept_evidence(&self, index: usize, with: Option<usize>, out: &mut Vec<Evidence>) {
        for i in std::iter::once(index).chain(with) {
            if let Some(r) = self.state.records().get(i) {
                out.push(self.ev_at(i, &r.id));
            }
        }
    }

    // ---- limits -------------------------------------------------------------------------

    /// The level to judge: from the newest declaration (under this agreement, else under any)
    /// that states the counted categories. Also returns the newest declaration under this
    /// agreement when it is a different one that does not state them.
    fn limit_source(
        &self,
        l: &Limit,
    ) -> Option<(u64, DeclarationRef<'_>, Option<DeclarationRef<'_>>)> {
        let own = self
            .state
            .declarations(&self.agreement.id, self.party, self.at);
        let newest = own.last().copied();
        for d in own.iter().rev() {
            if let Some(level) = limit_level(l, d) {
                let skipped = newest.filter(|x| x.index != d.index);
                return Some((level, *d, skipped));
            }
        }
        let mut others = self.state.holdings(self.party, self.at);
        others.sort_by(|a, b| {
            b.declaration
                .as_of
                .cmp(&a.declaration.as_of)
                .then(self.state.seq(b.index).cmp(&self.state.seq(a.index)))
        });
        others
            .into_iter()
            .find_map(|d| limit_level(l, &d).map(|level| (level, d, None)))
    }

    fn limit(&self, l: &Limit) -> Vec<Finding> {
        let Some((level, decl, skipped)) = self.limit_source(l) else {
            if self.state.holdings(self.party, self.at).is_empty() {
                return self.not_checked(self.limit_msg("limit-undeclared", l));
            }
            return vec![self.finding(
                Severity::Concern,
                Basis::Declared,
                self.limit_msg("limit-unstated", l),
                self.suspension_note().into_iter().collect(),
                Vec::new(),
                vec![Evidence::Absence {
                    expected: format!("a declaration by {} stating {}", self.party, l.name),
                }],
            )];
        };
        match self.condition(|v| v.with_level(level, l.max)) {
            Ok(true) => {}
            Ok(false) => {
                return vec![
                    self.declared(
                        Severity::NotApplicable,
                        self.limit_msg("limit-condition-false", l)
                            .text(
                                "condition",
                                self.provision
                                    .condition
                                    .as_ref()
                                    .map(|c| c.source())
                                    .unwrap_or(""),
                            )
                            .num("level", level),
                        vec![limit_figure(l, level)],
                        vec![self.ev_at(decl.index, &decl.record.id)],
                    ),
                ];
            }
            Err(e) => {
                return vec![self.declared(
                    Severity::Concern,
                    self.limit_msg("limit-condition-error", l).text("error", e),
                    vec![limit_figure(l, level)],
                    vec![self.ev_at(decl.index, &decl.record.id)],
                )];
            }
        }
        let as_of = decl.declaration.as_of;
        let mut evidence = vec![self.ev_at(decl.index, &decl.record.id)];
        let mut notes = Vec::new();
        let age = (self.date - as_of).get_days() as i64;
        let binds_from = self.provision.binds_from.filter(|b| as_of < *b);
        let (mut severity, message) = if let (true, Some(b)) = (level > l.max, binds_from) {
            // Figures as of a day before the limit bound are no evidence of a breach after it.
            (
                Severity::Concern,
                self.limit_msg("limit-before-binding", l)
                    .num("excess", level - l.max)
                    .date("binds_from", b),
            )
        } else if level > l.max {
            (
                Severity::Violation,
                self.limit_msg("limit-exceeded", l)
                    .num("excess", level - l.max),
            )
        } else {
            let message = match level.saturating_mul(100).checked_div(l.max) {
                Some(percent) => self.limit_msg("limit-within", l).num("percent", percent),
                None => self.limit_msg("limit-within-zero", l),
            };
            (Severity::Compliant, message)
        };
        let message = message.num("level", level).date("as_of", as_of);
        if age > STALE_DAYS && severity < Severity::Concern {
            severity = Severity::Concern;
            notes.push(
                Message::new("note-stale")
                    .num("days", age)
                    .date("date", self.date),
            );
        }
        if decl.declaration.agreement != self.agreement.id {
            notes.push(
                Message::new("note-figures-from")
                    .id("source", &decl.declaration.agreement)
                    .id("agreement", &self.agreement.id),
            );
        }
        if let Some(s) = skipped {
            evidence.push(self.ev_at(s.index, &s.record.id));
            notes.push(Message::new("note-newer-unstated").date("as_of", s.declaration.as_of));
        }
        notes.extend(self.suspension_note());
        vec![self.finding(
            severity,
            Basis::Declared,
            message,
            notes,
            vec![limit_figure(l, level)],
            evidence,
        )]
    }

    // ---- data exchanges -----------------------------------------------------------------

    fn data_exchange(&self, x: &DataExchange) -> Vec<Finding> {
        let all = self
            .state
            .declarations(&self.agreement.id, self.party, Instant::MAX);
        if all.is_empty() {
            return self.not_checked(
                self.msg("exchange-unrecorded")
                    .id("agreement", &self.agreement.id),
            );
        }
        let Some(schedule) =
            exchange_schedule(self.state, self.agreement, x, self.party, self.date)
        else {
            return Vec::new();
        };
        // Figures only published, not exchanged, do not make an exchange.
        let (made, published): (Vec<DeclarationRef<'_>>, Vec<DeclarationRef<'_>>) = self
            .state
            .declarations(&self.agreement.id, self.party, self.at)
            .into_iter()
            .partition(|m| m.declaration.channel.is_exchanged());
        let mut used = vec![false; made.len()];
        let mut matched = Vec::new();
        let mut out = Vec::new();
        for (d, deadline) in schedule {
            if deadline >= self.date
                || self.engine.records_from.is_some_and(|from| d < from)
                || !(self.assumed || self.agreement.in_force_at(d))
                || !self.provision.binds_on(d)
            {
                continue;
            }
            let hit = made
                .iter()
                .enumerate()
                .find(|(i, m)| !used[*i] && exchanged_for(m, d));
            match hit {
                Some((i, m)) => {
                    used[i] = true;
                    if m.record.issued_at > end_of(deadline) {
                        let late =
                            (accord_state::date_of(m.record.issued_at) - deadline).get_days();
                        out.push(
                            self.declared(
                                Severity::Concern,
                                self.msg("exchange-late")
                                    .date("as_of", d)
                                    .num("days", late)
                                    .date("due", deadline),
                                Vec::new(),
                                vec![self.ev_at(m.index, &m.record.id)],
                            ),
                        );
                    }
                    matched.push(*m);
                }
                None => {
                    let last = made
                        .iter()
                        .rfind(|m| m.declaration.as_of < d)
                        .map(|m| (m.declaration.as_of, self.ev_at(m.index, &m.record.id)));
                    let mut evidence = vec![Evidence::Absence {
                        expected: format!(
                            "a declaration by {} under {} as of {d}, due by {deadline}",
                            self.party, self.agreement.id
                        ),
                    }];
                    let mut notes = Vec::new();
                    if let Some((as_of, e)) = last {
                        evidence.push(e);
                        notes.push(Message::new("note-last-exchange").date("as_of", as_of));
                    }
                    notes.extend(self.suspension_note_on(d));
                    if let Some(p) = published.iter().find(|m| exchanged_for(m, d)) {
                        evidence.push(self.ev_at(p.index, &p.record.id));
                        notes.push(
                            Message::new("note-published-only")
                                .date("published", accord_state::date_of(p.record.issued_at)),
                        );
                    }
                    for (r, c) in self.index.countermeasures(
                        self.party,
                        &self.agreement.id,
                        &self.provision.id,
                        deadline,
                        self.at,
                    ) {
                        evidence.push(self.ev(&r.id));
                        notes.push(countermeasure_note(self.party, c));
                    }
                    out.push(
                        self.finding(
                            Severity::Violation,
                            Basis::Declared,
                            self.msg("exchange-missing")
                                .date("as_of", d)
                                .date("due", deadline),
                            notes,
                            Vec::new(),
                            evidence,
                        ),
                    );
                }
            }
        }
        if !matched.is_empty() {
            let first = matched[0].declaration.as_of;
            let last = matched[matched.len() - 1].declaration.as_of;
            let empty = matched
                .iter()
                .filter(|m| m.declaration.holdings.is_empty())
                .count();
            let notes = if empty > 0 {
                vec![Message::new("note-without-figures").num("count", empty)]
            } else {
                Vec::new()
            };
            out.push(
                self.finding(
                    Severity::Compliant,
                    Basis::Declared,
                    self.msg("exchanges-made")
                        .num("count", matched.len())
                        .date("first", first)
                        .date("last", last),
                    notes,
                    vec![Figure {
                        label: "data exchanges made".into(),
                        value: matched.len() as i64,
                        limit: None,
                        unit: "exchanges".into(),
                    }],
                    matched
                        .iter()
                        .map(|m| self.ev_at(m.index, &m.record.id))
                        .collect(),
                ),
            );
        }
        out
    }

    // ---- notification and observation of activities ------------------------------------

    /// Whether the party notified an activity of the scope in time; nothing when the
    /// provision does not ask it of the activity.
    fn notified_activity(
        &self,
        x: &accord_agreements::Notification,
        a: &ActivityRef<'_>,
    ) -> Option<Said> {
        if a.source != ActivitySource::Notified
            || a.record.party != *self.party
            || a.agreement != &self.agreement.id
        {
            return None;
        }
        let act = a.activity;
        if !x.activity_kinds.is_empty() && !x.activity_kinds.contains(&act.kind) {
            return None;
        }
        if !self.zone_in(&act.area.zone, &x.zones) {
            return None;
        }
        reached(&x.thresholds, forces(act))?;
        let exemption = x
            .exemptions
            .iter()
            .find(|e| e.activity_kind == act.kind)
            .map(|e| &e.rule);
        let required_by = match exemption {
            Some(ExemptionRule::NotifyAtStart) => end_of(act.start),
            Some(ExemptionRule::OnlyIfLongerThan { hours }) => {
                let days = (act.end - act.start).get_days() as i64 + 1;
                if days * 24 <= i64::from(*hours) {
                    return None;
                }
                end_of(sub_days(act.start, i64::from(x.lead_time_days)))
            }
            None => end_of(sub_days(act.start, i64::from(x.lead_time_days))),
        };
        match self.activity_condition(act, &a.record.id) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(concern) => return Some(Said::Found(concern)),
        }
        if a.record.issued_at <= required_by {
            return Some(Said::Kept(None));
        }
        let ahead = (act.start - accord_state::date_of(a.record.issued_at)).get_days();
        let notes = if matches!(exemption, Some(ExemptionRule::NotifyAtStart)) {
            vec![Message::new("note-alert-at-start")]
        } else {
            Vec::new()
        };
        let message = Message::new("notified-late")
            .text("activity", &act.name)
            .date("start", act.start)
            .date("end", act.end)
            .num("ahead", ahead)
            .num("required", x.lead_time_days);
        Some(Said::Found(Box::new(self.finding(
            Severity::Violation,
            Basis::Declared,
            with_forces(self, message, act),
            notes,
            vec![Figure {
                label: "days of notice".into(),
                value: i64::from(ahead),
                limit: Some(i64::from(x.lead_time_days)),
                unit: "days".into(),
            }],
            vec![self.ev_at(a.index, &a.record.id)],
        ))))
    }

    /// The provision's condition asked of a notified activity: whether it applies, or a
    /// concern citing the notification when the condition cannot be evaluated.
    fn activity_condition(
        &self,
        act: &Activity,
        record: &accord_model::RecordId,
    ) -> Result<bool, Box<Finding>> {
        self.condition(|v| v.with_activity(act)).map_err(|e| {
            Box::new(
                self.declared(
                    Severity::Concern,
                    Message::new("activity-condition-error")
                        .text("activity", &act.name)
                        .text("error", e),
                    Vec::new(),
                    vec![self.ev(record)],
                ),
            )
        })
    }

    fn zone_in(&self, zone: &Option<ZoneId>, zones: &[ZoneId]) -> bool {
        if zones.is_empty() {
            return true;
        }
        let Some(z) = zone else {
            return false;
        };
        let mut memo = self.zones_in.borrow_mut();
        let list = Some((zones.as_ptr(), zones.len()));
        if memo.list != list {
            memo.list = list;
            memo.known.clear();
        }
        if let Some((_, within)) = memo.known.iter().find(|(k, _)| k == z) {
            return *within;
        }
        let within = zones.iter().any(|outer| self.engine.zone_within(z, outer));
        // A few zones are asked again and again; a scope naming many is not remembered whole.
        if memo.known.len() < 16 {
            memo.known.push((z.clone(), within));
        }
        within
    }

    fn zones_meet(&self, a: &Option<ZoneId>, b: &Option<ZoneId>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => self.engine.zone_within(a, b) || self.engine.zone_within(b, a),
            _ => true,
        }
    }

    /// Observations of the party's forces above a threshold that no notified activity covers,
    /// grouped by zone: one finding per run of reports, in the year it starts.
    fn unnotified(
        &self,
        thresholds: &[Threshold],
        zones: &[ZoneId],
        lead_days: Option<u32>,
    ) -> Vec<Finding> {
        // A build-up can start in the year before and go on into the next: read both, and keep
        // the runs of reports that start in this scope's year.
        let (from, to) = self.year_bounds(self.year - 1, self.year + 1);
        let own = self.state.observations(self.party, from, to, self.at);
        self.unnotified_runs(own, thresholds, zones, lead_days, false)
    }

    /// Forces of other States observed on the party's territory above a threshold, where the
    /// party takes part (its consent, or a statement naming it with them) and no notified
    /// activity covers them: the host State's own duty to notify (Vienna Document paragraph
    /// 38.1), judged as for its own forces.
    fn unnotified_on_territory(
        &self,
        thresholds: &[Threshold],
        zones: &[ZoneId],
        lead_days: u32,
    ) -> Vec<Finding> {
        // The host takes part only by a statement on record: without any, nothing to read.
        if !self.index.any_statement(self.at) {
            return Vec::new();
        }
        let (from, to) = self.year_bounds(self.year - 1, self.year + 1);
        let seen: Vec<ObservationRef<'_>> = self
            .index
            .observed_on_territory(self.party, from, to, self.at)
            .into_iter()
            .filter(|(_, _, o)| {
                self.index
                    .host_takes_part(self.party, &o.actor, o.date, self.at)
                    .is_some()
            })
            .map(|(index, record, observation)| ObservationRef {
                record,
                index,
                observation,
            })
            .collect();
        if seen.is_empty() {
            return Vec::new();
        }
        self.unnotified_runs(seen, thresholds, zones, Some(lead_days), true)
    }

    /// Groups observations that no notified activity covers into runs (one zone and actor,
    /// reports no more than `RUN_GAP_DAYS` apart) and judges each run starting in this year.
    fn unnotified_runs(
        &self,
        observations: Vec<ObservationRef<'_>>,
        thresholds: &[Threshold],
        zones: &[ZoneId],
        lead_days: Option<u32>,
        as_host: bool,
    ) -> Vec<Finding> {
        let observation_duty = lead_days.is_none();
        // A run that reaches into this year from the one before holds a report at most
        // RUN_GAP_DAYS before it: reports older than that neither belong to a run starting in
        // this year nor tell whether one does, and are not read.
        let earliest = sub_days(
            Date::new(self.year, 1, 1).unwrap_or(Date::MIN),
            RUN_GAP_DAYS,
        );
        let observations: Vec<ObservationRef<'_>> = observations
            .into_iter()
            .filter(|o| o.observation.date >= earliest)
            .collect();
        // Read in date order, a report after this year belongs to a run starting in this year
        // only if a report of its zone already read is at most RUN_GAP_DAYS before it: the
        // others are passed over before their notifications are sought.
        let dated = observations.is_sorted_by_key(|o| o.observation.date);
        let mut clusters: BTreeMap<(&str, &str), Vec<(ObservationRef<'_>, &Threshold)>> =
            BTreeMap::new();
        let mut out = Vec::new();
        // The notified activities of each notifier met so far that a covering search can reach.
        let mut notified: Vec<Notifier<'_>> = Vec::new();
        let reach = (
            observations
                .iter()
                .map(|o| sub_days(o.observation.date, 366))
                .min()
                .unwrap_or(Date::MIN),
            observations
                .iter()
                .map(|o| o.observation.date)
                .max()
                .unwrap_or(Date::MIN),
        );
        for o in observations {
            let obs = o.observation;
            let Some(t) = thresholds
                .iter()
                .find(|t| t.category == obs.category && obs.quantity >= t.at_least)
            else {
                continue;
            };
            if !self.zone_in(&obs.area.zone, zones) {
                continue;
            }
            if dated
                && obs.date.year() > self.year
                && !clusters
                    .get(&cluster_key(obs))
                    .and_then(|run| run.last())
                    .is_some_and(|(last, _)| {
                        (obs.date - last.observation.date).get_days() as i64 <= RUN_GAP_DAYS
                    })
            {
                continue;
            }
            let window_start = sub_days(obs.date, 366);
            // A notification by the forces' own State, by the host naming them, or by the
            // party judged covers them.
            let mut notifiers = vec![&obs.actor];
            if obs.actor != *self.party {
                notifiers.push(self.party);
            }
            let covering = notifiers.into_iter().find_map(|p| {
                let k = match notified.iter().position(|n| n.party == p) {
                    Some(k) => k,
                    None => {
                        notified.push(self.notifier(p, reach.0, reach.1));
                        notified.len() - 1
                    }
                };
                // The activities asked about lie in a handful of zones: whether each meets the
                // report's is worked out once.
                let mut meets: Vec<(&Option<ZoneId>, bool)> = Vec::new();
                notified[k].covering(obs.date, |a| {
                    let zone = &a.activity.area.zone;
                    window_start <= a.activity.start
                        && match meets.iter().find(|(z, _)| *z == zone) {
                            Some((_, m)) => *m,
                            None => {
                                let m = self.zones_meet(&obs.area.zone, zone);
                                meets.push((zone, m));
                                m
                            }
                        }
                        && count_of(a.activity, &obs.category) >= t.at_least
                })
            });
            if let Some(a) = covering {
                let notified = count_of(a.activity, &obs.category);
                if !observation_duty
                    && !as_host
                    && obs.date.year() == self.year
                    && obs.quantity > notified.saturating_mul(2)
                {
                    out.push(
                        self.finding(
                            Severity::Concern,
                            Basis::OpenSources,
                            Message::new("notified-below-observed")
                                .text("activity", &a.activity.name)
                                .num("notified", notified)
                                .text("unit", self.unit(&obs.category))
                                .nested("observed", quantity(obs))
                                .date("date", obs.date)
                                .nested("source", who(obs)),
                            vec![open_sources_note(obs)],
                            vec![self.observed_figure(obs, notified)],
                            vec![
                                self.ev_at(a.index, &a.record.id),
                                self.ev_at(o.index, &o.record.id),
                                Evidence::Source {
                                    url: obs.source.url.clone(),
                                },
                            ],
                        ),
                    );
                }
                continue;
            }
            clusters.entry(cluster_key(obs)).or_default().push((o, t));
        }
        let mut runs = Vec::new();
        for (_, mut obs) in clusters {
            obs.sort_by(|a, b| {
                a.0.observation
                    .date
                    .cmp(&b.0.observation.date)
                    .then(self.state.seq(a.0.index).cmp(&self.state.seq(b.0.index)))
            });
            let mut run: Vec<(ObservationRef<'_>, &Threshold)> = Vec::new();
            for o in obs {
                if let Some(last) = run.last()
                    && (o.0.observation.date - last.0.observation.date).get_days() as i64
                        > RUN_GAP_DAYS
                {
                    runs.push(std::mem::take(&mut run));
                }
                run.push(o);
            }
            runs.push(run);
        }
        runs.retain(|r| {
            r.first()
                .is_some_and(|o| o.0.observation.date.year() == self.year)
        });
        for obs in runs {
            let Some(&(lead_obs, t)) = obs.iter().max_by(|a, b| {
                a.0.observation
                    .quantity
                    .cmp(&b.0.observation.quantity)
                    .then(a.0.observation.date.cmp(&b.0.observation.date))
            }) else {
                continue;
            };
            let lo = lead_obs.observation;
            let strong = lo.confidence.score >= 50
                || lo.confidence.official_sources >= 1
                || lo.attribution.as_ref().is_some_and(|a| a.official);
            let far = lo.quantity >= t.at_least.saturating_mul(2);
            let severity = if strong && far && !matches!(lo.qualifier, Qualifier::UpTo) {
                Severity::Violation
            } else {
                Severity::Concern
            };
            let first = obs[0].0.observation;
            let last = obs[obs.len() - 1].0.observation;
            let unit = self.unit(&t.category);
            let zone = self.zone_name(&lo.area.zone, &lo.area.description);
            let mut notes = Vec::new();
            let mut evidence: Vec<Evidence> = obs
                .iter()
                .map(|(o, _)| self.ev_at(o.index, &o.record.id))
                .collect();
            if as_host {
                notes.push(self.msg("note-host-duty").text("cite", self.cite()));
                if let Some(r) = self
                    .index
                    .host_takes_part(self.party, &lo.actor, lo.date, self.at)
                {
                    evidence.push(self.ev(&r.id));
                }
            }
            if obs.len() > 1 {
                notes.push(
                    Message::new("note-observations")
                        .num("count", obs.len())
                        .date("first_date", first.date)
                        .nested("first", quantity(first))
                        .date("last_date", last.date)
                        .nested("last", quantity(last)),
                );
            }
            let duty = match lead_days {
                None => Message::new("note-no-observers"),
                Some(days) => Message::new("note-not-notified").num("lead", days),
            };
            notes.push(
                duty.text("cite", self.cite())
                    .num("threshold", t.at_least)
                    .text("unit", unit),
            );
            notes.push(open_sources_note(lo));
            let message = if as_host {
                self.msg("host-unnotified-observed").id("actor", &lo.actor)
            } else {
                self.msg("unnotified-observed")
            };
            let message = message
                .text("zone", zone)
                .nested("quantity", quantity(lo))
                .text("unit", unit)
                .date("date", lo.date)
                .nested("source", who(lo));
            evidence.push(Evidence::Source {
                url: lo.source.url.clone(),
            });
            evidence.push(Evidence::Absence {
                expected: format!(
                    "a notification by {} under {} covering {} on {}",
                    self.party, self.agreement.id, zone, lo.date
                ),
            });
            out.push(self.finding(
                severity,
                Basis::OpenSources,
                message,
                notes,
                vec![Figure {
                    label: format!("observed {} ({zone})", t.category).into(),
                    value: lo.quantity as i64,
                    limit: Some(t.at_least as i64),
                    unit: unit.into(),
                }],
                evidence,
            ));
        }
        out
    }

    /// The activities a party notified under this agreement starting within `from..=to`
    /// (issued by the evaluated instant), split by how long they last.
    fn notifier<'a>(&self, party: &'a PartyId, from: Date, to: Date) -> Notifier<'a>
    where
        Self: 'a,
    {
        let (long, short): (Vec<_>, Vec<_>) = self
            .state
            .activities_iter(party, from, to, self.at)
            .filter(|a| a.source == ActivitySource::Notified && a.agreement == &self.agreement.id)
            .partition(|a| {
                a.activity.end.duration_since(a.activity.start).as_hours() > 24 * SHORT_DAYS
            });
        let longest = |list: &[ActivityRef<'_>]| {
            list.iter()
                .map(|a| (a.activity.end - a.activity.start).get_days() as i64)
                .max()
                .unwrap_or(0)
                .max(0)
        };
        Notifier {
            party,
            short_days: longest(&short),
            short,
            long_days: longest(&long),
            long,
        }
    }

    /// Activities other States notified on the party's territory, where the party takes part
    /// (named among the participants, or its consent or statement on record): the host State
    /// notifies them too (Vienna Document paragraph 38.1). One finding per activity it did not
    /// notify once its own notification was due.
    fn host_notified(&self, x: &accord_agreements::Notification) -> Vec<Finding> {
        let mut out = Vec::new();
        let (from, to) = self.year_bounds(self.year, self.year);
        // Without any statement on record the party takes part only where it is named among
        // the participants: the other activities are passed over before anything else is
        // read of them.
        let statements = self.index.any_statement(self.at);
        for (r, n) in self
            .index
            .notified_on_territory(self.party, self.year, self.at)
        {
            let act = &n.activity;
            if (!statements && !act.participants.contains(self.party))
                || n.agreement != self.agreement.id
                || act.start < from
                || act.start > to
                || (!x.activity_kinds.is_empty() && !x.activity_kinds.contains(&act.kind))
                || !self.zone_in(&act.area.zone, &x.zones)
                || reached(&x.thresholds, forces(act)).is_none()
            {
                continue;
            }
            let link = self
                .index
                .host_takes_part(self.party, &r.party, act.start, self.at);
            if !act.participants.contains(self.party) && link.is_none() {
                continue;
            }
            let own = self
                .state
                .activities_iter(self.party, sub_days(act.start, 366), act.end, self.at)
                .any(|a| {
                    a.source == ActivitySource::Notified
                        && a.record.party == *self.party
                        && a.agreement == &self.agreement.id
                        && a.activity.start <= act.end
                        && act.start <= a.activity.end
                        && self.zones_meet(&a.activity.area.zone, &act.area.zone)
                });
            let at_start = x
                .exemptions
                .iter()
                .any(|e| e.activity_kind == act.kind && e.rule == ExemptionRule::NotifyAtStart);
            let due = if at_start {
                end_of(act.start)
            } else {
                end_of(sub_days(act.start, i64::from(x.lead_time_days)))
            };
            if own || self.at <= due {
                continue;
            }
            let message = self
                .msg("host-not-notified")
                .text("activity", &act.name)
                .date("start", act.start)
                .date("end", act.end)
                .text(
                    "zone",
                    self.zone_name(&act.area.zone, &act.area.description),
                )
                .id("notifier", &r.party)
                .text("cite", self.cite());
            let mut evidence = vec![
                self.ev(&r.id),
                Evidence::Absence {
                    expected: format!(
                        "a notification by {} under {} of {}",
                        self.party, self.agreement.id, act.name
                    ),
                },
            ];
            evidence.extend(link.map(|l| self.ev(&l.id)));
            out.push(self.finding(
                Severity::Violation,
                Basis::ReportedByParty,
                with_forces(self, message, act),
                Vec::new(),
                Vec::new(),
                evidence,
            ));
        }
        out
    }

    /// Whether the party invited observers to a notified activity of the scope at or above the
    /// observation thresholds before it started (an alert activity within the hours it may run
    /// unobserved): a missing invitation is a violation citing the notification, judged as its
    /// own duty, not as a copy of chapter V's findings. Nothing when the provision does not ask
    /// it of the activity.
    fn invited_activity(
        &self,
        x: &accord_agreements::Observation,
        a: &ActivityRef<'_>,
        invitations: &[(&Record, &accord_model::Statement)],
    ) -> Option<Said> {
        let act = a.activity;
        if a.source != ActivitySource::Notified
            || a.record.party != *self.party
            || a.agreement != &self.agreement.id
            || (!x.activity_kinds.is_empty() && !x.activity_kinds.contains(&act.kind))
            || !self.zone_in(&act.area.zone, &x.zones)
        {
            return None;
        }
        let t = reached(&x.thresholds, forces(act))?;
        let mut due = start_of(act.start);
        match x
            .exemptions
            .iter()
            .find(|e| e.activity_kind == act.kind)
            .map(|e| &e.rule)
        {
            Some(ExemptionRule::OnlyIfLongerThan { hours }) => {
                let days = (act.end - act.start).get_days() as i64 + 1;
                if days * 24 <= i64::from(*hours) {
                    return None;
                }
                due = due
                    .checked_add(SignedDuration::from_hours(i64::from(*hours)))
                    .unwrap_or(Instant::MAX);
            }
            Some(ExemptionRule::NotifyAtStart) | None => {}
        }
        match self.activity_condition(act, &a.record.id) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(concern) => return Some(Said::Found(concern)),
        }
        let invitation = invitations.iter().find(|(r, s)| {
            r.issued_at <= due
                && s.activity.as_ref().is_some_and(|i| {
                    i.name == act.name
                        || (i.start <= act.end
                            && act.start <= i.end
                            && self.zones_meet(&i.area.zone, &act.area.zone))
                })
        });
        match invitation {
            // The invitation is a record of the state: its position is known.
            Some((r, _)) => Some(Said::Kept(self.state.position(&r.id))),
            None if self.at > due => {
                let message = self
                    .msg("observers-not-invited")
                    .text("activity", &act.name)
                    .date("start", act.start)
                    .date("end", act.end)
                    .text(
                        "cite",
                        t.cite.as_deref().map_or_else(|| self.cite(), SmolStr::new),
                    );
                let message = with_thresholds(self, message, &x.thresholds);
                Some(Said::Found(Box::new(self.finding(
                    Severity::Violation,
                    Basis::Declared,
                    with_forces(self, message, act),
                    vec![Message::new("note-invitation-unstated")],
                    Vec::new(),
                    vec![
                        self.ev_at(a.index, &a.record.id),
                        Evidence::Absence {
                            expected: format!(
                                "an invitation of observers by {} to {} before {}",
                                self.party,
                                act.name,
                                utc_minute(due)
                            ),
                        },
                    ],
                ))))
            }
            None => None,
        }
    }

    /// Brings the tally of `judged` up to date with the activities just set in it: the
    /// evidence they add folded into the sorted evidence kept (not gathered again from every
    /// activity), or the tally folded afresh when an activity was judged again.
    fn tally_with(&self, judged: &mut Judged, added: Added, message: Message, label: Option<&str>) {
        let added = match added {
            Added::Nothing => return,
            Added::Kept(added) => {
                let mut evidence = Vec::new();
                for (index, with) in added {
                    self.kept_evidence(index, with, &mut evidence);
                }
                evidence
            }
            Added::Replaced => Vec::new(),
        };
        let before = judged.tally.take();
        let (Some(before), false) = (before, added.is_empty()) else {
            judged.tally = self.tally(&judged.items, message, label);
            return;
        };
        let mut evidence = before.evidence;
        for e in added {
            if let Err(at) = evidence.binary_search(&e) {
                evidence.insert(at, e);
            }
        }
        let count = judged
            .items
            .values()
            .filter(|s| matches!(s, Said::Kept(_)))
            .count();
        judged.tally = self.tally_of(count, evidence, message, label);
    }

    /// The activities of the scope that kept the duty, counted in one finding (`message` with
    /// the count and year, and a figure of that `label` where given).
    fn tally(
        &self,
        items: &BTreeMap<usize, Said>,
        message: Message,
        label: Option<&str>,
    ) -> Option<Finding> {
        let (count, kept) = self.kept(items);
        self.tally_of(count, kept, message, label)
    }

    /// The tally of `count` activities that kept the duty, citing `kept`.
    fn tally_of(
        &self,
        count: usize,
        kept: Vec<Evidence>,
        message: Message,
        label: Option<&str>,
    ) -> Option<Finding> {
        if count == 0 {
            return None;
        }
        let figures = label
            .map(|label| Figure {
                label: label.into(),
                value: count as i64,
                limit: None,
                unit: "activities".into(),
            })
            .into_iter()
            .collect();
        Some(self.declared(
            Severity::Compliant,
            message.num("count", count).id("year", self.year),
            figures,
            kept,
        ))
    }

    /// The activities of the scope notified in time, counted in one finding.
    fn notified_tally(&self, items: &BTreeMap<usize, Said>) -> Option<Finding> {
        self.tally(items, self.msg("notified-in-time"), Some(NOTIFIED_LABEL))
    }

    /// The activities of the scope to which observers were invited in time, counted in one
    /// finding.
    fn invited_tally(&self, items: &BTreeMap<usize, Said>) -> Option<Finding> {
        self.tally(items, self.msg("observers-invited"), None)
    }

    // ---- calendars and constraints --------------------------------------------------------

    fn annual_calendar(&self, x: &accord_agreements::AnnualCalendar) -> Vec<Finding> {
        if !self
            .state
            .calendar_parties(&self.agreement.id)
            .contains(&self.party)
        {
            if self.year != self.date.year() {
                return Vec::new();
            }
            return self.not_checked(
                self.msg("calendar-unrecorded")
                    .id("agreement", &self.agreement.id),
            );
        }
        let due = x.due.in_year(self.year);
        if due >= self.date || self.engine.records_from.is_some_and(|from| due < from) {
            return Vec::new();
        }
        let next = self.year + 1;
        let cals: Vec<_> = self
            .state
            .calendars(self.party, next, self.at)
            .into_iter()
            .filter(|r| matches!(&r.body, RecordBody::AnnualCalendar(c) if c.agreement == self.agreement.id))
            .collect();
        match cals.first() {
            None => vec![
                self.declared(
                    Severity::Violation,
                    self.msg("calendar-missing")
                        .id("year", next)
                        .date("due", due),
                    Vec::new(),
                    vec![Evidence::Absence {
                        expected: format!("an annual calendar by {} for {next}", self.party),
                    }],
                ),
            ],
            Some(r) if r.issued_at > end_of(due) => vec![
                self.declared(
                    Severity::Violation,
                    self.msg("calendar-late")
                        .id("year", next)
                        .date("issued", accord_state::date_of(r.issued_at))
                        .date("due", due),
                    Vec::new(),
                    vec![self.ev(&r.id)],
                ),
            ],
            Some(r) => vec![
                self.declared(
                    Severity::Compliant,
                    self.msg("calendar-on-time")
                        .id("year", next)
                        .date("due", due),
                    Vec::new(),
                    vec![self.ev(&r.id)],
                ),
            ],
        }
    }

    fn constraint(&self, x: &Constraint) -> Vec<Finding> {
        // The party's own notified activities of the years `first..=last` this constraint counts.
        let counted_in = |first: i16, last: i16| -> Vec<ActivityRef<'_>> {
            let (from, to) = self.year_bounds(first, last);
            self.state
                .activities_iter(self.party, from, to, self.at)
                .filter(|a| {
                    a.source == ActivitySource::Notified
                        && a.record.party == *self.party
                        && a.agreement == &self.agreement.id
                        && constraint_counts(x, a.activity)
                })
                .collect()
        };
        let window = constraint_window(x);
        // The year judged first: with no activity counted in it there is nothing to judge, and
        // the earlier years of a longer window are not read.
        let this_year = counted_in(self.year, self.year);
        if this_year.is_empty() {
            return Vec::new();
        }
        let mut acts = if window > 1 && self.year > Date::MIN.year() {
            counted_in(self.year - window + 1, self.year - 1)
        } else {
            Vec::new()
        };
        acts.extend(this_year);
        let mut out = Vec::new();
        if let Some(max) = x.max_activities {
            let (count, ids, label) = match x.period {
                Period::Simultaneous => {
                    // The activities under way on a day; `acts` is in start order.
                    let under_way = |day: Date| {
                        let started = acts.partition_point(|b| b.activity.start <= day);
                        acts[..started]
                            .iter()
                            .filter(move |b| day <= b.activity.end)
                    };
                    let mut best: (usize, Option<Date>) = (0, None);
                    for a in acts.iter().filter(|a| a.activity.start.year() == self.year) {
                        let count = under_way(a.activity.start).count();
                        if count > best.0 {
                            best = (count, Some(a.activity.start));
                        }
                    }
                    let evidence = best.1.map_or_else(Vec::new, |day| {
                        under_way(day)
                            .map(|b| self.ev_at(b.index, &b.record.id))
                            .collect()
                    });
                    (
                        best.0,
                        evidence,
                        Message::new("period-simultaneous").id("year", self.year),
                    )
                }
                Period::CalendarYears(k) => (
                    acts.len(),
                    acts.iter()
                        .map(|a| self.ev_at(a.index, &a.record.id))
                        .collect(),
                    if k <= 1 {
                        Message::new("period-year").id("year", self.year)
                    } else {
                        Message::new("period-years")
                            .id("first", self.year - window + 1)
                            .id("last", self.year)
                    },
                ),
            };
            let severity = if count > max as usize {
                Severity::Violation
            } else {
                Severity::Compliant
            };
            let message = self
                .msg("constraint-count")
                .num("count", count)
                .nested("period", label)
                .num("max", max);
            out.push(self.declared(
                severity,
                with_thresholds(self, message, &x.above),
                vec![Figure {
                    label: "activities".into(),
                    value: count as i64,
                    limit: Some(i64::from(max)),
                    unit: "activities".into(),
                }],
                ids,
            ));
        }
        if x.requires_calendar {
            for a in acts.iter().filter(|a| a.activity.start.year() == self.year) {
                let listed = self
                    .state
                    .calendars(self.party, self.year, self.at)
                    .into_iter()
                    .find(|r| match &r.body {
                        RecordBody::AnnualCalendar(c) => c.activities.iter().any(|p| {
                            p.name == a.activity.name
                                || (p.start <= a.activity.end && a.activity.start <= p.end)
                        }),
                        _ => false,
                    });
                match listed {
                    Some(r) => out.push(
                        self.declared(
                            Severity::Compliant,
                            with_thresholds(
                                self,
                                Message::new("constraint-in-calendar")
                                    .text("activity", &a.activity.name)
                                    .id("year", self.year),
                                &x.above,
                            ),
                            Vec::new(),
                            vec![self.ev_at(a.index, &a.record.id), self.ev(&r.id)],
                        ),
                    ),
                    None => out.push(
                        self.declared(
                            Severity::Violation,
                            with_thresholds(
                                self,
                                Message::new("constraint-not-in-calendar")
                                    .text("activity", &a.activity.name)
                                    .date("start", a.activity.start)
                                    .date("end", a.activity.end)
                                    .id("year", self.year),
                                &x.above,
                            ),
                            Vec::new(),
                            vec![
                                self.ev_at(a.index, &a.record.id),
                                Evidence::Absence {
                                    expected: format!(
                                        "{} in the annual calendar of {} for {}",
                                        a.activity.name, self.party, self.year
                                    ),
                                },
                            ],
                        ),
                    ),
                }
            }
        }
        out
    }

    // ---- risk reduction -----------------------------------------------------------------

    /// Findings on the meetings held on a request (for explanation, or for a meeting): the
    /// responding party's attendance.
    fn meetings(&self, request: &accord_model::RecordId) -> Vec<Finding> {
        let mut out = Vec::new();
        for (r, m) in self.index.meetings_on(request, self.at) {
            let joint = m.kind == accord_model::MeetingKind::JointSession;
            let (severity, id) = if m.absent.contains(self.party) {
                if joint {
                    (Severity::Concern, "joint-session-absent")
                } else {
                    (Severity::Violation, "meeting-absent")
                }
            } else if m.present.contains(self.party) {
                (Severity::Compliant, "meeting-attended")
            } else {
                continue;
            };
            out.push(
                self.finding(
                    severity,
                    Basis::ReportedByParty,
                    self.msg(id)
                        .id("requester", &r.party)
                        .instant("held", m.held_at)
                        .text("cite", self.cite()),
                    Vec::new(),
                    Vec::new(),
                    vec![self.ev(request), self.ev(&r.id)],
                ),
            );
        }
        out
    }

    fn risk_reduction(&self, x: &RiskReduction) -> Vec<Finding> {
        let mut out = Vec::new();
        for r in requests_under(
            self.state,
            self.agreement,
            self.provision,
            self.party,
            self.at,
            Some(self.year),
        ) {
            if accord_state::date_of(r.record.issued_at).year() != self.year {
                continue;
            }
            let deadline = reply_due(x, r.record);
            let asked = self
                .msg("request-asked")
                .id("requester", &r.record.party)
                .instant("asked", r.record.issued_at)
                .text(
                    "area",
                    self.zone_name(&r.request.area.zone, &r.request.area.description),
                )
                .text("cite", self.cite());
            let hours_fig = |h: i64| Figure {
                label: "hours to reply".into(),
                value: h,
                limit: Some(i64::from(x.reply_within_hours)),
                unit: "hours".into(),
            };
            let mut evidence = vec![self.ev_at(r.index, &r.record.id)];
            // The reply counts from when the requester's node cosigned the replier's log holding
            // it, where that is known: not from the date its author wrote on it.
            match crate::timing::first_answer(self.state, &r.replies, &r.record.party, self.at) {
                Some(reply) if reply.record.issued_at < r.record.issued_at => {
                    evidence.push(self.ev(&reply.record.id));
                    out.push(
                        self.finding(
                            Severity::Violation,
                            Basis::ReportedByParty,
                            self.msg("request-reply-predates")
                                .nested("request", asked)
                                .instant("dated", reply.record.issued_at),
                            vec![reply.note()],
                            Vec::new(),
                            evidence,
                        ),
                    );
                }
                Some(reply) => {
                    let took = reply.at.duration_since(r.record.issued_at).as_hours();
                    evidence.push(self.ev(&reply.record.id));
                    let severity = if reply.at <= deadline {
                        Severity::Compliant
                    } else {
                        Severity::Violation
                    };
                    out.push(
                        self.finding(
                            severity,
                            Basis::ReportedByParty,
                            self.msg("request-replied")
                                .nested("request", asked)
                                .num("hours", took)
                                .num("allowed", x.reply_within_hours),
                            vec![reply.note()],
                            vec![hours_fig(took)],
                            evidence,
                        ),
                    );
                }
                None if self.at > deadline => {
                    let waited = self.at.duration_since(r.record.issued_at).as_hours();
                    evidence.push(Evidence::Absence {
                        expected: format!(
                            "a reply by {} to {} by {}",
                            self.party,
                            r.record.id,
                            utc_minute(deadline)
                        ),
                    });
                    let meeting = x
                        .meeting_within_hours
                        .map(|h| Message::new("note-meeting").num("hours", h));
                    out.push(
                        self.finding(
                            Severity::Violation,
                            Basis::ReportedByParty,
                            Message::new("request-unanswered")
                                .nested("request", asked)
                                .num("hours", waited)
                                .num("allowed", x.reply_within_hours)
                                .instant("due", deadline),
                            meeting.into_iter().collect(),
                            vec![hours_fig(waited)],
                            evidence,
                        ),
                    );
                }
                None => out.push(
                    self.finding(
                        Severity::Compliant,
                        Basis::ReportedByParty,
                        Message::new("request-open")
                            .nested("request", asked)
                            .instant("due", deadline),
                        Vec::new(),
                        Vec::new(),
                        evidence,
                    ),
                ),
            }
            out.extend(self.meetings(&r.record.id));
        }
        // A meeting requested after the request: held within the hours the provision allows.
        for (r, m) in self.index.meeting_requests_to(
            self.party,
            &self.agreement.id,
            &self.provision.id,
            self.at,
        ) {
            if accord_state::date_of(r.issued_at).year() != self.year {
                continue;
            }
            let held = self.meetings(&r.id);
            if held.is_empty() {
                let hours = x.meeting_within_hours.unwrap_or(0);
                let due = r
                    .issued_at
                    .checked_add(SignedDuration::from_hours(i64::from(hours)))
                    .unwrap_or(Instant::MAX);
                let (severity, id) = if self.at <= due {
                    (Severity::Compliant, "meeting-requested")
                } else {
                    (Severity::NotApplicable, "meeting-unrecorded")
                };
                out.push(
                    self.finding(
                        severity,
                        Basis::ReportedByParty,
                        self.msg(id)
                            .id("requester", &r.party)
                            .instant("asked", r.issued_at)
                            .instant("due", due)
                            .text("cite", self.cite()),
                        Vec::new(),
                        Vec::new(),
                        vec![self.ev(&r.id), self.ev(&m.request)],
                    ),
                );
            }
            out.extend(held);
        }
        out
    }

    /// Countermeasures the party declared that withhold this provision on the evaluation day:
    /// concerns, with the measures and what they respond to as a note.
    fn countermeasures_declared(&self) -> Vec<Finding> {
        self.index
            .countermeasures(
                self.party,
                &self.agreement.id,
                &self.provision.id,
                self.date,
                self.at,
            )
            .into_iter()
            .map(|(r, c)| {
                self.finding(
                    Severity::Concern,
                    Basis::Declared,
                    self.msg("countermeasure-declared").date("from", c.from),
                    vec![countermeasure_note(self.party, c)],
                    Vec::new(),
                    vec![self.ev(&r.id)],
                )
            })
            .collect()
    }

    /// Inspections the party declares it refuses, or withholds as a countermeasure, on the
    /// evaluation day: judged in the scope of the current year.
    fn withheld_inspections(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        if self.year != self.date.year() {
            return out;
        }
        let (agreement, provision) = (&self.agreement.id, &self.provision.id);
        for (r, x) in self
            .index
            .refusals(self.party, agreement, provision, self.date, self.at)
        {
            out.push(
                self.declared(
                    Severity::Violation,
                    self.msg("inspections-refused")
                        .date("from", x.from)
                        .text("reason", &x.reason),
                    Vec::new(),
                    vec![self.ev(&r.id)],
                ),
            );
        }
        out.extend(self.countermeasures_declared());
        out
    }

    // ---- inspections and visits -----------------------------------------------------------

    fn quota(&self, x: &Quota) -> Vec<Finding> {
        let (from, to) = self.year_bounds(self.year, self.year);
        let reqs: Vec<_> = self
            .state
            .inspections_of(self.party, from, to, self.at)
            .into_iter()
            .filter(|r| {
                r.request.agreement == self.agreement.id && r.request.provision == self.provision.id
            })
            .collect();
        let mut out = self.withheld_inspections();
        if reqs.is_empty() {
            return out;
        }
        // The quota counts what the text counts: the reported units of `units_category` (the
        // Vienna Document's evaluation visits), or every holding when the file names none.
        let units = self
            .state
            .latest_declaration(&self.agreement.id, self.party, self.at)
            .map(|d| match &x.units_category {
                Some(c) => d
                    .totals
                    .iter()
                    .filter(|((k, _), _)| k == c)
                    .map(|(_, v)| *v)
                    .sum::<u64>(),
                None => d.totals.values().sum::<u64>(),
            })
            .unwrap_or(0);
        let quota = x.quota_for(units);
        let what = x
            .name
            .clone()
            .unwrap_or_else(|| x.activity.label().to_owned());
        // One party's share: a percentage of the quota, rounded down, and never below one (a
        // State whose quota is below five accepts at most one a year from the same State).
        let share = x
            .max_percent_from_one_party
            .map(|p| (quota * u64::from(p) / 100).max(1));
        let mut accepted: Vec<&accord_state::InspectionRef<'_>> = Vec::new();
        let mut evidence = Vec::new();
        for r in &reqs {
            evidence.push(self.ev_at(r.index, &r.record.id));
            for (rep, _) in &r.reports {
                evidence.push(self.ev(&rep.id));
            }
            let from_party =
                |a: &&&accord_state::InspectionRef<'_>| a.record.party == r.record.party;
            let at_site = |a: &&&accord_state::InspectionRef<'_>| {
                r.request.site.is_some() && a.request.site == r.request.site
            };
            let by_party = accepted.iter().filter(from_party).count() as u64;
            let site = r.request.site.as_ref().map(|s| s.to_string());
            let last_day = |d: Date| x.report_within.as_ref().map_or(d, |t| t.last_day(d));
            let beyond = if accepted.len() as u64 >= quota {
                Some(self.msg("quota-beyond"))
            } else if let Some(cap) = x.per_inspecting_party.filter(|c| by_party >= u64::from(*c)) {
                Some(self.msg("quota-beyond-per-party").num("per_party", cap))
            } else if let Some(cap) = share.filter(|c| by_party >= *c) {
                Some(self.msg("quota-beyond-share").num("share", cap))
            } else if let (Some(cap), Some(s)) = (
                x.per_site_per_year
                    .filter(|c| accepted.iter().filter(at_site).count() as u64 >= u64::from(*c)),
                &site,
            ) {
                Some(
                    self.msg("quota-beyond-site")
                        .num("per_site", cap)
                        .id("site", s),
                )
            } else if let (Some(cap), Some(s)) = (
                x.per_site_from_one_party.filter(|c| {
                    accepted.iter().filter(at_site).filter(from_party).count() as u64
                        >= u64::from(*c)
                }),
                &site,
            ) {
                Some(
                    self.msg("quota-beyond-site-party")
                        .num("per_site", cap)
                        .id("site", s),
                )
            } else {
                let overlapping = accepted
                    .iter()
                    .filter(|a| {
                        a.request.date <= last_day(r.request.date)
                            && r.request.date <= last_day(a.request.date)
                    })
                    .count() as u64;
                x.at_a_time
                    .filter(|c| overlapping >= u64::from(*c))
                    .map(|cap| self.msg("quota-beyond-at-a-time").num("at_a_time", cap))
            };
            if let Some(message) = beyond {
                out.push(
                    self.finding(
                        Severity::Concern,
                        Basis::ReportedByParty,
                        message
                            .id("requester", &r.record.party)
                            .text("what", &what)
                            .date("date", r.request.date)
                            .num("quota", quota),
                        Vec::new(),
                        Vec::new(),
                        vec![self.ev_at(r.index, &r.record.id)],
                    ),
                );
                continue;
            }
            accepted.push(r);
            if r.reports.is_empty() {
                out.extend(
                    self.unreported(
                        r,
                        x.report_within.as_ref(),
                        self.msg("quota-unreported")
                            .text("what", &what)
                            .id("requester", &r.record.party)
                            .date("date", r.request.date),
                        self.msg("quota-open")
                            .text("what", &what)
                            .id("requester", &r.record.party)
                            .date("date", r.request.date),
                    ),
                );
            }
        }
        out.push(
            self.finding(
                Severity::Compliant,
                Basis::ReportedByParty,
                self.msg("quota-used")
                    .num("count", reqs.len())
                    .text("what", &what)
                    .id("year", self.year)
                    .num("quota", quota),
                Vec::new(),
                vec![Figure {
                    label: format!("{what} used").into(),
                    value: accepted.len() as i64,
                    limit: Some(quota as i64),
                    unit: "inspections".into(),
                }],
                evidence,
            ),
        );
        out
    }

    /// An accepted inspection or visit with no report: a violation once the time the agreement
    /// sets for it has passed; open until then, and open for good where the file sets none.
    fn unreported(
        &self,
        r: &accord_state::InspectionRef<'_>,
        limit: Option<&accord_agreements::TimeLimit>,
        late: Message,
        open: Message,
    ) -> Option<Finding> {
        let Some(limit) = limit else {
            return Some(self.finding(
                Severity::NotApplicable,
                Basis::ReportedByParty,
                open,
                vec![Message::new("note-no-report-time")],
                Vec::new(),
                vec![self.ev_at(r.index, &r.record.id)],
            ));
        };
        let due = limit.last_day(r.request.date);
        if end_of(due) >= self.at {
            return None;
        }
        let note = Message::new("note-report-due").date("due", due).text(
            "cite",
            limit
                .cite
                .as_deref()
                .map_or_else(|| self.cite(), SmolStr::new),
        );
        Some(self.finding(
            Severity::Violation,
            Basis::ReportedByParty,
            late,
            vec![note],
            Vec::new(),
            vec![
                self.ev_at(r.index, &r.record.id),
                Evidence::Absence {
                    expected: format!("a report for {} by {due}", r.record.id),
                },
            ],
        ))
    }

    fn visit(&self, x: &Visit) -> Vec<Finding> {
        if !x.hosts.contains(self.party) {
            return Vec::new();
        }
        let all = |provision: &accord_model::ProvisionId| {
            let mut v = Vec::new();
            for p in self.state.inspected_parties() {
                for r in self.state.inspections_of(p, Date::MIN, Date::MAX, self.at) {
                    if r.request.agreement == self.agreement.id && &r.request.provision == provision
                    {
                        v.push(r);
                    }
                }
            }
            v
        };
        if let Some(rec) = &self.provision.reciprocity {
            let granted: Vec<_> = all(&rec.provision)
                .into_iter()
                .filter(|r| !r.reports.is_empty())
                .collect();
            if granted.is_empty() {
                let message = match &rec.note {
                    Some(reason) => self.msg("visit-not-owed-because").text("reason", reason),
                    None => self.msg("visit-not-owed"),
                };
                return vec![
                    self.finding(
                        Severity::NotApplicable,
                        Basis::ReportedByParty,
                        message
                            .text("purpose", &x.purpose)
                            .id("reciprocal", &rec.provision),
                        Vec::new(),
                        Vec::new(),
                        vec![Evidence::Absence {
                            expected: format!("a report of a visit under {}", rec.provision),
                        }],
                    ),
                ];
            }
        }
        let mine: Vec<_> = all(&self.provision.id)
            .into_iter()
            .filter(|r| r.request.inspected == *self.party)
            .collect();
        if mine.is_empty() {
            return vec![self.finding(
                Severity::NotApplicable,
                Basis::ReportedByParty,
                self.msg("visit-unrequested").text("purpose", &x.purpose),
                Vec::new(),
                Vec::new(),
                Vec::new(),
            )];
        }
        let banned: Vec<Category> = x
            .confirm_absence_of
            .iter()
            .flat_map(|c| self.class_categories(c))
            .collect();
        let mut out = Vec::new();
        for r in mine {
            if r.reports.is_empty() {
                out.extend(
                    self.unreported(
                        &r,
                        x.report_within.as_ref(),
                        self.msg("visit-not-hosted")
                            .id("requester", &r.record.party)
                            .date("date", r.request.date)
                            .text("purpose", &x.purpose),
                        self.msg("visit-open")
                            .id("requester", &r.record.party)
                            .date("date", r.request.date)
                            .text("purpose", &x.purpose),
                    ),
                );
                continue;
            }
            for (rep, report) in &r.reports {
                let found: u64 = report
                    .counts
                    .iter()
                    .filter(|c| banned.contains(&c.category))
                    .map(|c| c.counted)
                    .sum();
                let severity = if found > 0 {
                    Severity::Violation
                } else {
                    Severity::Compliant
                };
                out.push(
                    self.finding(
                        severity,
                        Basis::ReportedByParty,
                        self.msg("visit-hosted")
                            .id("site", &report.site)
                            .date("date", report.date)
                            .num("found", found),
                        Vec::new(),
                        Vec::new(),
                        vec![self.ev_at(r.index, &r.record.id), self.ev(&rep.id)],
                    ),
                );
            }
        }
        out
    }

    fn class_categories(&self, class: &str) -> Vec<Category> {
        self.agreement
            .classes
            .iter()
            .filter(|c| c.id == class)
            .flat_map(|c| c.categories.iter().cloned())
            .collect()
    }

    // ---- prohibitions and bans --------------------------------------------------------------

    /// A message about forces an observation reports: how many, of what, where and when.
    fn observed_msg(&self, id: &str, obs: &Observation) -> Message {
        self.msg(id)
            .nested("quantity", quantity(obs))
            .text("unit", self.unit(&obs.category))
            .text(
                "zone",
                self.zone_name(&obs.area.zone, &obs.area.description),
            )
            .date("date", obs.date)
    }

    fn zone_prohibition(&self, x: &ZoneProhibition) -> Vec<Finding> {
        if !x.bound.is_empty() && !x.bound.contains(self.party) {
            return Vec::new();
        }
        let mut cats: Vec<Category> = x.categories.clone();
        for c in &x.classes {
            cats.extend(self.class_categories(c));
        }
        let zone_names: Vec<Message> = x
            .zones
            .iter()
            .map(|z| {
                item(Arg::Text(
                    self.zone_name(&Some(z.clone()), z.as_str()).into(),
                ))
            })
            .collect();
        let (from, to) = self.year_bounds(self.year, self.year);
        let mut out = Vec::new();
        // Whether the host state of a zone consented to the party's forces there.
        let consented = |zone: &Option<ZoneId>| {
            x.without_host_consent
                && zone
                    .as_ref()
                    .and_then(|z| self.vocabulary.host_of(z))
                    .is_some_and(|h| self.index.host_consent(h, self.party, self.at).is_some())
        };
        // Observations in a zone wider than the prohibited ones (containing one of them): the
        // forces may or may not be inside.
        let mut wider = Vec::new();
        for o in self.state.observations(self.party, from, to, self.at) {
            let obs = o.observation;
            if cats.contains(&obs.category)
                && let Some(z) = &obs.area.zone
                && !self.zone_in(&obs.area.zone, &x.zones)
                && x.zones
                    .iter()
                    .any(|inner| self.engine.zone_within(inner, z))
            {
                wider.push(o);
            }
            if !(cats.contains(&obs.category)
                && obs.area.zone.is_some()
                && self.zone_in(&obs.area.zone, &x.zones))
                || consented(&obs.area.zone)
            {
                continue;
            }
            // A condition on the activity (such as "a deployment, not an exercise") is asked of
            // what the observation shows: forces present in an area, of unknown purpose.
            let seen = Activity {
                name: obs.text.clone(),
                kind: accord_model::ActivityKind::Concentration,
                start: obs.date,
                end: obs.date,
                area: obs.area.clone(),
                forces: vec![accord_model::ForceCount {
                    category: obs.category.clone(),
                    count: obs.quantity,
                }],
                participants: Vec::new(),
            };
            if self.condition(|v| v.with_activity(&seen)) == Ok(false) {
                continue;
            }
            {
                out.push(
                    self.finding(
                        Severity::Concern,
                        Basis::OpenSources,
                        self.observed_msg("zone-observed", obs)
                            .nested("source", who(obs)),
                        vec![open_sources_note(obs)],
                        vec![self.observed_figure(obs, 0)],
                        vec![
                            self.ev_at(o.index, &o.record.id),
                            Evidence::Source {
                                url: obs.source.url.clone(),
                            },
                        ],
                    ),
                );
            }
        }
        for a in self.state.activities_iter(self.party, from, to, self.at) {
            let act = a.activity;
            if act.kind == accord_model::ActivityKind::Deployment
                && self.condition(|v| v.with_activity(act)) != Ok(false)
                && !consented(&act.area.zone)
                && self.zone_in(&act.area.zone, &x.zones)
                && act.area.zone.is_some()
                && act
                    .forces
                    .iter()
                    .any(|f| cats.contains(&f.category) && f.count > 0)
            {
                let message = self.msg("zone-deployment-notified").text(
                    "zone",
                    self.zone_name(&act.area.zone, &act.area.description),
                );
                out.push(self.declared(
                    Severity::Violation,
                    with_forces(self, message, act),
                    Vec::new(),
                    vec![self.ev_at(a.index, &a.record.id)],
                ));
            }
        }
        if out.is_empty()
            && let Some(o) = wider
                .iter()
                .max_by_key(|o| (o.observation.quantity, o.observation.date))
        {
            let obs = o.observation;
            out.push(
                self.finding(
                    Severity::NotApplicable,
                    Basis::OpenSources,
                    self.observed_msg("zone-not-established", obs).list(
                        "zones",
                        "list-comma",
                        zone_names.clone(),
                    ),
                    vec![open_sources_note(obs)],
                    Vec::new(),
                    wider
                        .iter()
                        .map(|o| self.ev_at(o.index, &o.record.id))
                        .collect(),
                ),
            );
        }
        if out.is_empty() && self.year == self.date.year() {
            let categories = cats
                .iter()
                .map(|c| item(Arg::Id(c.as_str().into())))
                .collect();
            out.push(
                self.declared(
                    Severity::Compliant,
                    self.msg("zone-clear")
                        .list("categories", "list-comma", categories)
                        .list("zones", "list-comma", zone_names)
                        .date("date", self.date),
                    Vec::new(),
                    Vec::new(),
                ),
            );
        }
        out
    }

    fn class_ban(&self, x: &ClassBan) -> Vec<Finding> {
        let cats: Vec<Category> = x
            .classes
            .iter()
            .flat_map(|c| self.class_categories(c))
            .collect();
        // Reports of the banned classes by another party or by open sources: a suspected breach,
        // never more, since neither can establish a range or a purpose.
        let mut out = Vec::new();
        for o in self
            .state
            .observations(self.party, Date::MIN, self.date, self.at)
        {
            let obs = o.observation;
            if !cats.contains(&obs.category) {
                continue;
            }
            let by_party =
                self.agreement.parties.contains(&o.record.party) && o.record.party != *self.party;
            let (basis, mut notes) = if by_party {
                (Basis::ReportedByParty, Vec::new())
            } else {
                (Basis::OpenSources, vec![open_sources_note(obs)])
            };
            notes.extend(self.suspension_note());
            out.push(
                self.finding(
                    Severity::Concern,
                    basis,
                    self.msg("class-reported")
                        .nested("source", who(obs))
                        .nested("quantity", quantity(obs))
                        .text("unit", self.unit(&obs.category))
                        .id("classes", x.classes.join(", "))
                        .date("date", obs.date),
                    notes,
                    vec![self.observed_figure(obs, 0)],
                    vec![
                        self.ev_at(o.index, &o.record.id),
                        Evidence::Source {
                            url: obs.source.url.clone(),
                        },
                    ],
                ),
            );
        }
        let Some(d) = self
            .state
            .latest_declaration(&self.agreement.id, self.party, self.at)
        else {
            out.extend(
                self.not_checked(
                    self.msg("class-ban-undeclared")
                        .id("agreement", &self.agreement.id)
                        .id("classes", x.classes.join(", ")),
                ),
            );
            return out;
        };
        let held: u64 = d
            .totals
            .iter()
            .filter(|((c, _), _)| cats.contains(c))
            .map(|(_, v)| *v)
            .sum();
        let severity = if held > 0 {
            Severity::Violation
        } else {
            Severity::Compliant
        };
        out.extend([self.declared(
            severity,
            self.msg("class-ban-declared")
                .num("held", held)
                .id("classes", x.classes.join(", "))
                .date("as_of", d.declaration.as_of),
            vec![Figure {
                label: "banned items declared".into(),
                value: held as i64,
                limit: Some(0),
                unit: "items".into(),
            }],
            vec![self.ev_at(d.index, &d.record.id)],
        )]);
        out
    }

    fn event_notification(&self, x: &EventNotification) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut in_time = Vec::new();
        for (r, n) in
            self.index
                .notices(self.party, &self.agreement.id, &self.provision.id, self.at)
        {
            if !x.events.contains(&n.event) {
                continue;
            }
            let due = x.due_by(n.occurs);
            if r.issued_at <= due {
                in_time.push(self.ev(&r.id));
            } else {
                out.push(
                    self.declared(
                        Severity::Violation,
                        self.msg("event-notice-late")
                            .id("event", n.event.as_str())
                            .instant("occurs", n.occurs)
                            .instant("issued", r.issued_at)
                            .instant("due", due),
                        Vec::new(),
                        vec![self.ev(&r.id)],
                    ),
                );
            }
        }
        if !in_time.is_empty() {
            out.push(
                self.declared(
                    Severity::Compliant,
                    self.msg("event-notices-in-time")
                        .num("count", in_time.len()),
                    Vec::new(),
                    in_time,
                ),
            );
        }
        out.extend(self.countermeasures_declared());
        if out.is_empty() {
            return self.not_checked(
                self.msg("event-notices-unrecorded")
                    .id("agreement", &self.agreement.id),
            );
        }
        out
    }

    fn commitment(&self, x: &Commitment) -> Vec<Finding> {
        self.not_checked(Message::new("commitment-in-words").text("text", &x.text))
    }
}

/// The level a declaration shows under a limit: its published aggregate when it states one,
/// else the weighted count of the limit's terms; None when it states neither.
pub fn limit_level(l: &Limit, d: &DeclarationRef<'_>) -> Option<u64> {
    if let Some(agg) = &l.aggregate
        && d.states(&agg.category)
    {
        let v = d
            .totals
            .iter()
            .filter(|((c, s), _)| agg.matches(c, *s))
            .map(|(_, v)| v.saturating_mul(u64::from(agg.weight)))
            .sum();
        return Some(v);
    }
    if !l.counts.iter().any(|t| d.states(&t.category)) {
        return None;
    }
    Some(l.level(d.totals.iter().map(|((c, s), v)| (c, *s, *v))))
}

fn limit_figure(l: &Limit, level: u64) -> Figure {
    Figure {
        label: l.name.as_str().into(),
        value: level as i64,
        limit: Some(l.max as i64),
        unit: l.unit.as_str().into(),
    }
}

fn forces(a: &Activity) -> impl Iterator<Item = (&Category, u64)> + Clone {
    a.forces.iter().map(|f| (&f.category, f.count))
}

fn count_of(a: &Activity, c: &Category) -> u64 {
    a.forces
        .iter()
        .filter(|f| &f.category == c)
        .map(|f| f.count)
        .sum()
}

/// A count of a category, in the category's unit ("30,000 troops").
fn force(cx: &Cx<'_>, count: u64, category: &Category) -> Message {
    Message::new("force")
        .num("count", count)
        .text("unit", cx.unit(category))
}

/// The message with argument `forces`: the activity's forces, each a count and unit.
fn with_forces(cx: &Cx<'_>, message: Message, a: &Activity) -> Message {
    if a.forces.is_empty() {
        return message.nested("forces", Message::new("forces-not-stated"));
    }
    let items = a
        .forces
        .iter()
        .map(|f| force(cx, f.count, &f.category))
        .collect();
    message.list("forces", "list-comma", items)
}

/// The message with argument `thresholds`: any of them reached.
fn with_thresholds(cx: &Cx<'_>, mut message: Message, t: &[Threshold]) -> Message {
    let mut cached = cx.thresholds.borrow_mut();
    let same = |(p, n, _): &(*const Threshold, usize, Vec<Message>)| {
        std::ptr::eq(*p, t.as_ptr()) && *n == t.len()
    };
    if !cached.as_ref().is_some_and(same) {
        let items = t
            .iter()
            .map(|t| force(cx, t.at_least, &t.category))
            .collect();
        *cached = Some((t.as_ptr(), t.len(), items));
    }
    if let Some((_, _, items)) = cached.as_ref() {
        message = message.list("thresholds", "list-or", items.clone());
    }
    message
}

/// An observed quantity with its qualifier ("about 100,000").
fn quantity(o: &Observation) -> Message {
    let id = match o.qualifier {
        Qualifier::Exactly => "quantity-exactly",
        Qualifier::MoreThan => "quantity-more-than",
        Qualifier::AtLeast => "quantity-at-least",
        Qualifier::About => "quantity-about",
        Qualifier::UpTo => "quantity-up-to",
        Qualifier::Range { high } => {
            return Message::new("quantity-range")
                .num("count", o.quantity)
                .num("high", high);
        }
    };
    Message::new(id).num("count", o.quantity)
}

/// Who reported an observation: the outlet, and whom it quotes.
fn who(o: &Observation) -> Message {
    match &o.attribution {
        Some(a) => Message::new("source-quoting")
            .text("who", &a.who)
            .text("outlet", &o.source.outlet),
        None => Message::new("source").text("outlet", &o.source.outlet),
    }
}

/// How far open sources carry an observation: for findings resting on them alone.
fn open_sources_note(o: &Observation) -> Message {
    Message::new("note-open-sources")
        .num("independent", o.confidence.independent_sources)
        .num("official", o.confidence.official_sources)
        .num("score", o.confidence.score)
}

/// A note saying a party declared the finding's subject withheld as a countermeasure.
fn countermeasure_note(party: &PartyId, c: &accord_model::Countermeasure) -> Message {
    Message::new("note-countermeasure")
        .id("party", party)
        .date("from", c.from)
        .id("against", &c.against)
        .text("measures", &c.measures)
        .text("in_response_to", &c.in_response_to)
}

fn add_days(d: Date, days: i64) -> Date {
    d.checked_add(Span::new().days(days)).unwrap_or(Date::MAX)
}

fn sub_days(d: Date, days: i64) -> Date {
    d.checked_sub(Span::new().days(days)).unwrap_or(Date::MIN)
}

/// Appends `n` (0 to 99) in two digits.
fn push_two_digits(out: &mut String, n: i8) {
    let n = n.clamp(0, 99) as u8;
    out.push(char::from(b'0' + n / 10));
    out.push(char::from(b'0' + n % 10));
}

/// The UTC time of day of a civil time as `%H:%M`, written out (strftime reads its format
/// each time, and findings give thousands of times).
fn hours_minutes(out: &mut String, civil: jiff::civil::DateTime) {
    push_two_digits(out, civil.hour());
    out.push(':');
    push_two_digits(out, civil.minute());
}

/// An instant as `%Y-%m-%d %H:%M UTC`, for evidence of what was due by when.
pub(crate) fn utc_minute(t: Instant) -> String {
    let civil = jiff::tz::Offset::UTC.to_datetime(t);
    if civil.year() < 0 {
        return t.strftime("%Y-%m-%d %H:%M UTC").to_string();
    }
    let mut out = String::with_capacity(20);
    let year = civil.year();
    push_two_digits(&mut out, (year / 100) as i8);
    push_two_digits(&mut out, (year % 100) as i8);
    out.push('-');
    push_two_digits(&mut out, civil.month());
    out.push('-');
    push_two_digits(&mut out, civil.day());
    out.push(' ');
    hours_minutes(&mut out, civil);
    out.push_str(" UTC");
    out
}

/// The arguments of an instant's message ([`INSTANT`]): its date and UTC time of day.
pub(crate) fn instant_parts(t: Instant) -> [(&'static str, Arg); 2] {
    let civil = jiff::tz::Offset::UTC.to_datetime(t);
    let mut time = String::with_capacity(5);
    hours_minutes(&mut time, civil);
    [
        ("date", Arg::Date(civil.date())),
        ("time", Arg::Text(time.into())),
    ]
}

/// The message id of an instant: a date and a UTC time of day.
pub(crate) const INSTANT: &str = "instant";

/// Shorthands for typed message arguments.
pub(crate) trait Args {
    /// An identifier shown as it is.
    fn id(self, name: &str, v: impl std::fmt::Display) -> Self;
    /// A whole number, formatted per language.
    fn num(self, name: &str, v: impl TryInto<i64>) -> Self;
    /// A date, formatted per language.
    fn date(self, name: &str, d: Date) -> Self;
    /// Text from a record or an agreement file, shown as it is.
    fn text(self, name: &str, v: impl Into<SmolStr>) -> Self;
    /// An instant: the nested message [`INSTANT`] with its date and time of day.
    fn instant(self, name: &str, t: Instant) -> Self;
}

impl Args for Message {
    fn id(self, name: &str, v: impl std::fmt::Display) -> Self {
        self.arg(name, Arg::Id(v.to_smolstr()))
    }

    fn num(self, name: &str, v: impl TryInto<i64>) -> Self {
        self.arg(name, Arg::Number(v.try_into().unwrap_or(i64::MAX)))
    }

    fn date(self, name: &str, d: Date) -> Self {
        self.arg(name, Arg::Date(d))
    }

    fn text(self, name: &str, v: impl Into<SmolStr>) -> Self {
        self.arg(name, Arg::Text(v.into()))
    }

    fn instant(self, name: &str, t: Instant) -> Self {
        self.nested_parts(name, INSTANT, instant_parts(t))
    }
}
