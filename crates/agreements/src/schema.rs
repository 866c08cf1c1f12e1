//! The agreement model: what an agreement file states, once parsed and validated.
//!
//! These types carry no source locations; [`crate::parse`] checks every reference (parties,
//! categories, zones, classes, provisions) before it builds them, so code that holds an
//! [`Agreement`] can rely on it being consistent.

use std::fmt;

use accord_model::{
    ActivityKind, AgreementId, Category, Date, EventKind, HoldingStatus, PartyId, ProvisionId,
    SmolStr, ZoneId,
};
use serde::Serialize;

use crate::condition::Condition;
use crate::vocabulary::Vocabulary;

/// One agreement (a treaty, a politically binding document, or a draft proposal).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Its identifier ("new-start").
    pub id: AgreementId,
    /// Its full title.
    pub title: String,
    /// The formal citation (document symbol, place and date of signature).
    pub citation: String,
    /// Where the text or the facts encoded were read (addresses or document symbols).
    pub sources: Vec<String>,
    /// Whether it binds in law or politically.
    pub binding: BindingNature,
    /// The parties, in the order the file lists them.
    pub parties: Vec<PartyId>,
    /// The zones its provisions refer to.
    pub zones: Vec<ZoneId>,
    /// The status history, oldest first, dates non-decreasing.
    pub history: Vec<StatusChange>,
    /// Classes of systems it defines (by launch mode, type, range).
    pub classes: Vec<Class>,
    /// The provisions, in file order.
    pub provisions: Vec<Provision>,
    /// Free remarks from the encoder (disputes, caveats).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Categories, zones and parties the file defines for itself, beyond the built-in vocabulary.
    #[serde(skip_serializing_if = "Vocabulary::is_empty")]
    pub defines: Vocabulary,
}

/// Whether an agreement binds in international law or only politically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BindingNature {
    /// A treaty binding in international law.
    Legal,
    /// A politically binding document (such as the Vienna Document).
    Political,
    /// A draft or proposal that binds no one yet.
    Proposal,
}

/// The life-cycle status of an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Put forward by one side; a draft.
    Proposed,
    /// Signed, not yet in force.
    Signed,
    /// In force.
    InForce,
    /// In force after an extension.
    Extended,
    /// Suspended (by all parties, or by the parties named in the change).
    Suspended,
    /// Expired at the end of its term.
    Expired,
    /// Ended by withdrawal or termination.
    Terminated,
}

impl Status {
    /// Whether provisions can bind under this status.
    pub fn is_in_force(self) -> bool {
        matches!(self, Status::InForce | Status::Extended)
    }

    /// The word used in files and reports ("in_force").
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Signed => "signed",
            Status::InForce => "in_force",
            Status::Extended => "extended",
            Status::Suspended => "suspended",
            Status::Expired => "expired",
            Status::Terminated => "terminated",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of an agreement's status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    /// The new status.
    pub status: Status,
    /// The date it took effect (the status holds from this day on).
    pub date: Date,
    /// The parties this change concerns; empty means the agreement as a whole.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<PartyId>,
    /// What happened, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A class of systems defined by an agreement (INF's shorter-range missiles, for instance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Class {
    /// Its identifier within the agreement ("shorter-range-missiles").
    pub id: String,
    /// Its name in words.
    pub name: String,
    /// The categories of item it is drawn from ("missiles", "launchers", "troops").
    pub categories: Vec<Category>,
    /// How the systems are launched, if the class says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch: Option<LaunchMode>,
    /// The kinds of missile it covers (empty: any).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<MissileType>,
    /// The range band in kilometres, if the class has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_km: Option<RangeKm>,
    /// Only permanently stationed forces (as opposed to rotations and exercises).
    pub permanent_only: bool,
    /// A description in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// How a missile is launched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LaunchMode {
    /// From the ground.
    Ground,
    /// From a ship or submarine.
    Sea,
    /// From an aircraft.
    Air,
}

/// A kind of missile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissileType {
    /// A ballistic missile.
    Ballistic,
    /// A cruise missile.
    Cruise,
}

/// A range band in kilometres: `min` inclusive (or exclusive, for a text that says "in excess
/// of"), `max` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RangeKm {
    /// Lower bound.
    pub min: u32,
    /// Whether the lower bound itself is outside the band (written `over = N` in files).
    pub min_exclusive: bool,
    /// Upper bound, inclusive.
    pub max: u32,
}

impl RangeKm {
    /// Whether a range in kilometres falls in this band.
    pub fn contains(&self, km: u32) -> bool {
        let above = if self.min_exclusive {
            km > self.min
        } else {
            km >= self.min
        };
        above && km <= self.max
    }
}

/// A day of the year ("03-01"), used by schedules that recur every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    /// Month, 1 to 12.
    pub month: i8,
    /// Day of the month, 1 to 31 (valid for the month; 29 February is refused).
    pub day: i8,
}

impl MonthDay {
    /// This day in a given year.
    pub fn in_year(self, year: i16) -> Date {
        // `parse` refuses days that do not exist in every year, so this cannot fail.
        Date::new(year, self.month, self.day).unwrap_or(Date::constant(2000, 1, 1))
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl Serialize for MonthDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One provision of an agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provision {
    /// Its identifier, unique within the agreement ("art-ii-1-b").
    pub id: ProvisionId,
    /// The article, chapter or paragraph it encodes ("Article II.1(b)").
    pub cite: SmolStr,
    /// A short title in words.
    pub title: String,
    /// The parties it applies to (the agreement's parties unless the file narrows them).
    pub applies_to: Vec<PartyId>,
    /// The first day it binds, when later than entry into force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binds_from: Option<Date>,
    /// A further condition in CEL; the provision applies only where it evaluates to true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// Another provision that must have been honoured first (reciprocity).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reciprocity: Option<Reciprocity>,
    /// Where this provision's figures come from, and any caveat on them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How the text was read where it is unclear, and what the encoding leaves out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// What the provision demands.
    pub body: ProvisionBody,
}

impl Provision {
    /// Whether the provision applies to a party.
    pub fn applies_to(&self, party: &PartyId) -> bool {
        self.applies_to.contains(party)
    }

    /// Whether the provision's own date allows it to bind on `date` (ignores the agreement's status).
    pub fn binds_on(&self, date: Date) -> bool {
        self.binds_from.is_none_or(|from| date >= from)
    }
}

/// A reciprocity condition: this provision is owed only once another one was honoured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reciprocity {
    /// The provision whose performance this one waits for.
    pub provision: ProvisionId,
    /// The condition in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a provision demands, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProvisionBody {
    /// A numerical ceiling on counted items.
    Limit(Limit),
    /// Items or forces forbidden in named zones.
    ZoneProhibition(ZoneProhibition),
    /// Classes of systems banned outright.
    ClassBan(ClassBan),
    /// Prior notification of activities above thresholds.
    Notification(Notification),
    /// Invitation of observers to activities above thresholds.
    Observation(Observation),
    /// An annual calendar of planned activities.
    AnnualCalendar(AnnualCalendar),
    /// A cap on how many large activities a party may hold.
    Constraint(Constraint),
    /// Consultation on unusual military activities: request, reply, meeting.
    RiskReduction(RiskReduction),
    /// A quota of inspections or visits.
    Quota(Quota),
    /// Visits owed at named places, with a purpose.
    Visit(Visit),
    /// A recurring exchange of data.
    DataExchange(DataExchange),
    /// Notice of events (changes in data, launches) within a time of the event.
    EventNotification(EventNotification),
    /// An undertaking stated in words only (not machine-checked).
    Commitment(Commitment),
}

impl ProvisionBody {
    /// The kind's name, as written in files ("limit", "zone_prohibition", ...).
    pub fn kind(&self) -> &'static str {
        match self {
            ProvisionBody::Limit(_) => "limit",
            ProvisionBody::ZoneProhibition(_) => "zone_prohibition",
            ProvisionBody::ClassBan(_) => "class_ban",
            ProvisionBody::Notification(_) => "notification",
            ProvisionBody::Observation(_) => "observation",
            ProvisionBody::AnnualCalendar(_) => "annual_calendar",
            ProvisionBody::Constraint(_) => "constraint",
            ProvisionBody::RiskReduction(_) => "risk_reduction",
            ProvisionBody::Quota(_) => "quota",
            ProvisionBody::Visit(_) => "visit",
            ProvisionBody::DataExchange(_) => "data_exchange",
            ProvisionBody::EventNotification(_) => "event_notification",
            ProvisionBody::Commitment(_) => "commitment",
        }
    }
}

/// A numerical limit: per party, the weighted count of matching holdings must not exceed `max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limit {
    /// What is limited, in words ("deployed warheads").
    pub name: String,
    /// The unit the level is counted in ("warheads").
    pub unit: String,
    /// The ceiling, inclusive: a level equal to it complies.
    pub max: u64,
    /// How holdings count towards the level: the level is the sum over terms.
    pub counts: Vec<CountingTerm>,
    /// The category under which parties publish the counted total, if they do: a declared
    /// holding of it is taken as the level itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<CountingTerm>,
}

impl Limit {
    /// The level counted from holdings given as (category, status, count) triples, by the terms.
    pub fn level<'a>(
        &self,
        holdings: impl IntoIterator<Item = (&'a Category, HoldingStatus, u64)>,
    ) -> u64 {
        let mut level = 0u64;
        for (category, status, count) in holdings {
            for term in &self.counts {
                if term.matches(category, status) {
                    level = level.saturating_add(count.saturating_mul(u64::from(term.weight)));
                }
            }
        }
        level
    }
}

/// One counting term: items of a category and status, each counting `weight` units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountingTerm {
    /// The category counted.
    pub category: Category,
    /// Which items of it count.
    pub status: CountStatus,
    /// How many units each item counts for (a deployed heavy bomber counts as one warhead).
    pub weight: u32,
}

impl CountingTerm {
    /// Whether a holding of this category and status counts under the term.
    pub fn matches(&self, category: &Category, status: HoldingStatus) -> bool {
        &self.category == category && self.status.matches(status)
    }
}

/// Which holdings of a category a counting term takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountStatus {
    /// Deployed items only.
    Deployed,
    /// Non-deployed items only.
    NonDeployed,
    /// Deployed and non-deployed items.
    Any,
}

impl CountStatus {
    /// Whether a holding status is counted.
    pub fn matches(self, status: HoldingStatus) -> bool {
        match self {
            CountStatus::Any => true,
            CountStatus::Deployed => status == HoldingStatus::Deployed,
            CountStatus::NonDeployed => status == HoldingStatus::NonDeployed,
        }
    }
}

/// A prohibition by zone: the bound parties must not station the forbidden items there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneProhibition {
    /// The zones concerned (a zone includes its member zones).
    pub zones: Vec<ZoneId>,
    /// Categories forbidden outright.
    pub categories: Vec<Category>,
    /// Classes (of the agreement) forbidden.
    pub classes: Vec<String>,
    /// Whether the commitment is mutual between the bound parties.
    pub reciprocal: bool,
    /// The parties bound by it.
    pub bound: Vec<PartyId>,
    /// Forces there are forbidden only without the consent of the zone's host state (the
    /// vocabulary names each zone's host); a host's recorded consent lifts the prohibition.
    pub without_host_consent: bool,
}

/// A ban on whole classes of systems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassBan {
    /// The classes banned (ids of the agreement's classes).
    pub classes: Vec<String>,
    /// What is forbidden with them.
    pub prohibits: Vec<BannedActivity>,
}

/// What a class ban forbids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BannedActivity {
    /// Holding any item of the class.
    Possess,
    /// Producing items of the class.
    Produce,
    /// Flight-testing items of the class.
    FlightTest,
    /// Deploying items of the class.
    Deploy,
}

/// A threshold: an activity reaches it when it involves at least `at_least` of `category`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Threshold {
    /// The category counted.
    pub category: Category,
    /// The smallest count that reaches the threshold.
    pub at_least: u64,
    /// The paragraph this threshold comes from, when it differs from the provision's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
}

/// An upper bound: forces stay within it when they involve at most `at_most` of `category`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ceiling {
    /// The category counted.
    pub category: Category,
    /// The largest count within the bound.
    pub at_most: u64,
}

/// Returns the first threshold (of an "any of" list) that forces given as (category, count) reach.
pub fn reached<'t, 'a>(
    thresholds: &'t [Threshold],
    forces: impl IntoIterator<Item = (&'a Category, u64)> + Clone,
) -> Option<&'t Threshold> {
    thresholds.iter().find(|t| {
        forces
            .clone()
            .into_iter()
            .filter(|(c, _)| *c == &t.category)
            .map(|(_, n)| n)
            .sum::<u64>()
            >= t.at_least
    })
}

/// An exemption from a notification or observation duty for one kind of activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exemption {
    /// The activity kind exempted.
    pub activity_kind: ActivityKind,
    /// What applies instead.
    pub rule: ExemptionRule,
    /// The paragraph it comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
}

/// What applies to an exempted activity instead of the general rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum ExemptionRule {
    /// Notified when the troops start the activity, not ahead of it.
    NotifyAtStart,
    /// Subject to the duty only if the activity lasts longer than this.
    OnlyIfLongerThan {
        /// Duration in hours.
        hours: u32,
    },
}

/// Prior notification of activities that reach any threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    /// How many days before the start the notification is due.
    pub lead_time_days: u32,
    /// The thresholds, any one of which makes an activity notifiable.
    pub thresholds: Vec<Threshold>,
    /// The activity kinds covered (empty: all).
    pub activity_kinds: Vec<ActivityKind>,
    /// The zones covered (empty: anywhere).
    pub zones: Vec<ZoneId>,
    /// Exemptions by activity kind.
    pub exemptions: Vec<Exemption>,
    /// Components the notification of a notifiable activity must include when they reach these
    /// figures (the Vienna Document's air component of 200 sorties): they do not by themselves
    /// make an activity notifiable.
    pub components: Vec<Threshold>,
}

/// The duty to invite observers to activities that reach any threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observation {
    /// The thresholds, any one of which makes observation mandatory.
    pub thresholds: Vec<Threshold>,
    /// The activity kinds covered (empty: all).
    pub activity_kinds: Vec<ActivityKind>,
    /// The zones covered (empty: anywhere).
    pub zones: Vec<ZoneId>,
    /// Exemptions by activity kind.
    pub exemptions: Vec<Exemption>,
}

/// An annual calendar of planned activities, due on a day each year for the next year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnualCalendar {
    /// The day each year by which the calendar for the next year is due.
    pub due: MonthDay,
    /// The notification provision whose activities the calendar lists, if named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<ProvisionId>,
}

/// A constraining provision on large activities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Constraint {
    /// Activities reaching any of these count.
    pub above: Vec<Threshold>,
    /// And staying within all of these (empty: no upper bound).
    pub up_to: Vec<Ceiling>,
    /// How many such activities are allowed per period (None when only `requires_calendar`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_activities: Option<u32>,
    /// The period the count runs over.
    pub period: Period,
    /// Such activities must have been announced in the annual calendar.
    pub requires_calendar: bool,
}

/// A period over which activities are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// A window of this many consecutive calendar years.
    CalendarYears(u32),
    /// At the same time.
    Simultaneous,
}

/// The risk-reduction mechanism: a request for explanation, a reply deadline, then a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskReduction {
    /// What may be asked about.
    pub subject: String,
    /// What the request may ask for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// The reply is due within this many hours of the request.
    pub reply_within_hours: u32,
    /// If the reply is absent or insufficient, a meeting may be requested, to be held within
    /// this many hours of that request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_within_hours: Option<u32>,
    /// Who attends the meeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_with: Option<String>,
    /// Further escalation, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalation: Option<String>,
}

/// What a quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaActivity {
    /// On-site inspections.
    Inspection,
    /// Evaluation visits.
    EvaluationVisit,
    /// Transparency visits.
    TransparencyVisit,
}

impl QuotaActivity {
    /// What it counts, in words: `inspection`, `evaluation visit`, `transparency visit`.
    pub fn label(self) -> &'static str {
        match self {
            QuotaActivity::Inspection => "inspection",
            QuotaActivity::EvaluationVisit => "evaluation visit",
            QuotaActivity::TransparencyVisit => "transparency visit",
        }
    }
}

/// A quota of inspections or visits that each party must accept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quota {
    /// What is counted.
    pub activity: QuotaActivity,
    /// The kind within the agreement ("Type One"), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// How many a party must accept per calendar year (fixed quotas).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_year: Option<u32>,
    /// Quotas that grow with holdings: one per this many reported units or fraction thereof.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_units: Option<u32>,
    /// A cap on the quota per year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_per_year: Option<u32>,
    /// At most this many per year from one inspecting party.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_inspecting_party: Option<u32>,
    /// At most this percentage of the quota used by one inspecting party.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_percent_from_one_party: Option<u32>,
    /// Where sites are drawn from committed seeds: when seeds must be revealed, and what a
    /// seed not revealed in time leads to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed_reveal: Option<SeedRevealRule>,
    /// At most this many conducted at the same time on one party's territory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_a_time: Option<u32>,
    /// The category of reported holdings a unit-based quota counts (Vienna Document: units).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units_category: Option<Category>,
    /// At most this many a year at one site or unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_site_per_year: Option<u32>,
    /// At most this many a year at one site or unit by the same inspecting party.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_site_from_one_party: Option<u32>,
    /// When an accepted inspection or visit is over and reported, as the text sets it; without
    /// it an unreported request stays open (the engine sets no time of its own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_within: Option<TimeLimit>,
}

/// A time limit counted in days after a date, with the paragraph that sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeLimit {
    /// Days after the date (0: by the end of that day).
    pub days: u32,
    /// The article or paragraph that sets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
}

impl TimeLimit {
    /// The last day within the limit, counted from `date`.
    pub fn last_day(&self, date: Date) -> Date {
        date.checked_add(jiff::Span::new().days(i64::from(self.days)))
            .unwrap_or(Date::MAX)
    }
}

/// The deadline for revealing seeds committed to draw inspection sites, and its consequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SeedRevealRule {
    /// Hours after the last seed commit of a round by which every seed must be revealed.
    pub within_hours: u32,
    /// What happens when a party's seed is not revealed by then.
    pub missing: MissingSeedReveal,
}

/// What a seed not revealed by its deadline leads to (besides a finding against its party).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingSeedReveal {
    /// The seeds revealed in time decide the draw alone.
    HonestSeeds,
    /// The inspecting party chooses the sites.
    FreeChoice,
}

impl Quota {
    /// The number a party must accept in a year, given the units it reported (for unit-based quotas).
    pub fn quota_for(&self, reported_units: u64) -> u64 {
        let base = match (self.per_year, self.per_units) {
            (Some(n), _) => u64::from(n),
            (None, Some(per)) if per > 0 => reported_units.div_ceil(u64::from(per)),
            _ => 0,
        };
        match self.max_per_year {
            Some(cap) => base.min(u64::from(cap)),
            None => base,
        }
    }
}

/// Visits owed by hosts to visitors at named places, for a purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Visit {
    /// The parties that host the visits.
    pub hosts: Vec<PartyId>,
    /// The parties that visit.
    pub visitors: Vec<PartyId>,
    /// Where the visits take place.
    pub zones: Vec<ZoneId>,
    /// How many sites are visited, when the file says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sites: Option<u32>,
    /// Who chooses the sites, when the file says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen_by: Option<PartyId>,
    /// Classes whose absence the visit confirms.
    pub confirm_absence_of: Vec<String>,
    /// The purpose in words.
    pub purpose: String,
    /// When a visit is over and reported, after its requested date, as the text sets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_within: Option<TimeLimit>,
}

/// A recurring data exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataExchange {
    /// The days each year the data are valid as of.
    pub as_of: Vec<MonthDay>,
    /// The day each year the exchange is due, when fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<MonthDay>,
    /// The exchange is due no later than this many days after the end of the period it
    /// reports on, a period ending the day before each as-of date (New START: 30 days after
    /// each six-month period). Without it or `due`, the engine assumes no deadline of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_days_after_period: Option<u32>,
    /// The first exchange is due within this many days of entry into force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_within_days: Option<u32>,
    /// The categories reported (empty: as the agreement's limits need).
    pub categories: Vec<Category>,
    /// What is exchanged, in words.
    pub content: String,
}

impl DataExchange {
    /// The deadline of the exchange as of `as_of`, when the agreement sets one: the fixed day
    /// nearest to it, or the days allowed after the period that ends the day before it.
    pub fn deadline(&self, as_of: Date) -> Option<Date> {
        if let Some(days) = self.due_days_after_period {
            let period_end = as_of.yesterday().ok()?;
            return period_end
                .checked_add(jiff::Span::new().days(i64::from(days)))
                .ok();
        }
        let due = self.due?;
        [as_of.year() - 1, as_of.year(), as_of.year() + 1]
            .into_iter()
            .map(|y| due.in_year(y))
            .min_by_key(|c| (*c - as_of).get_days().abs())
    }
}

/// Notice of events that an agreement requires: after an event (within so many days) or
/// before it (so many hours ahead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventNotification {
    /// The events to be notified.
    pub events: Vec<EventKind>,
    /// Due no later than this many days after the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within_days_after: Option<u32>,
    /// Due at least this many hours before the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_before: Option<u32>,
}

impl EventNotification {
    /// The last instant a notice of an event occurring at `occurs` is on time.
    pub fn due_by(&self, occurs: accord_model::Instant) -> accord_model::Instant {
        use jiff::SignedDuration;
        if let Some(h) = self.hours_before {
            return occurs
                .checked_sub(SignedDuration::from_hours(i64::from(h)))
                .unwrap_or(accord_model::Instant::MIN);
        }
        // Days are counted in dates (GMT): a notice dated no later than the N-th day after the
        // day of the event is on time.
        let days = i64::from(self.within_days_after.unwrap_or(0));
        let day = occurs.to_zoned(jiff::tz::TimeZone::UTC).date();
        day.checked_add(jiff::Span::new().days(days))
            .ok()
            .and_then(|d| d.tomorrow().ok())
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp() - SignedDuration::from_nanos(1))
            .unwrap_or(accord_model::Instant::MAX)
    }
}

/// An undertaking stated in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commitment {
    /// The undertaking.
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::QuotaActivity;

    #[test]
    fn quota_activities_read_as_words() {
        assert_eq!(QuotaActivity::Inspection.label(), "inspection");
        assert_eq!(QuotaActivity::EvaluationVisit.label(), "evaluation visit");
        assert_eq!(
            QuotaActivity::TransparencyVisit.label(),
            "transparency visit"
        );
    }
}
