//! The rules: how each kind of provision is judged against the state, for one scope.

use std::collections::BTreeMap;

use accord_agreements::{
    Agreement, Binding, ClassBan, Commitment, Constraint, DataExchange, ExemptionRule, Limit,
    Period, Provision, ProvisionBody, Quota, RiskReduction, Status, Threshold, Vars, Visit,
    Vocabulary, ZoneProhibition, reached,
};
use accord_model::{
    Activity, Category, Date, Evidence, Figure, Finding, Instant, Observation, PartyId, Qualifier,
    RecordBody, Severity, ZoneId,
};
use accord_state::{ActivitySource, DeclarationRef, ObservationRef, State, end_of};
use jiff::{SignedDuration, Span};

use crate::text::{group_digits as n, pct};
use crate::{Engine, Scope};

/// Days either side of a scheduled data-exchange date within which a declaration counts for it.
const EXCHANGE_WINDOW_DAYS: i64 = 45;
/// Days after a scheduled as-of date by which the exchange is due, when the agreement says no more.
const EXCHANGE_GRACE_DAYS: i64 = 45;
/// A declared level older than this many days is flagged as stale.
const STALE_DAYS: i64 = 270;
/// Days after the requested date by which an inspection or visit should have a report.
const REPORT_GRACE_DAYS: i64 = 2;

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
    vocabulary: &'static Vocabulary,
}

pub(crate) fn evaluate_scope(
    engine: &Engine,
    state: &State,
    at: Instant,
    scope: &Scope,
) -> Vec<Finding> {
    let agreement = &engine.agreements[scope.agreement];
    let provision = &agreement.provisions[scope.provision];
    let date = accord_state::date_of(at);
    let assumed = engine.assumed.contains(&agreement.id);
    let cx = Cx {
        engine,
        state,
        at,
        date,
        agreement,
        provision,
        party: &scope.party,
        year: scope.year,
        assumed,
        vocabulary: Vocabulary::builtin(),
    };
    match agreement.binding(provision, &scope.party, date, assumed) {
        Binding::NotApplicable => Vec::new(),
        Binding::NotInForce { status } => cx.not_binding(cx.status_phrase(status)),
        Binding::NotYet { binds_from } => {
            cx.not_binding(format!("binds only from {binds_from}, not yet on {date}"))
        }
        Binding::Binds => cx.binds(),
    }
}

impl Cx<'_> {
    fn finding(
        &self,
        severity: Severity,
        summary: String,
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
            basis: accord_model::Basis::Declared,
            // Transitional: one message carrying the English text until each rule has its own id.
            message: accord_model::Message::new("finding-text")
                .arg("text", accord_model::Arg::Text(summary.clone())),
            notes: Vec::new(),
            summary,
            figures,
            evidence,
        }
    }

    fn ev(&self, id: &accord_model::RecordId) -> Evidence {
        self.engine.evidence(id)
    }

    fn cite(&self) -> &str {
        &self.provision.cite
    }

    fn status_phrase(&self, status: Option<Status>) -> String {
        let since = |s: Status| {
            self.agreement
                .history
                .iter()
                .rfind(|c| c.by.is_empty() && c.status == s && c.date <= self.date)
                .map(|c| c.date.to_string())
                .unwrap_or_default()
        };
        match status {
            None => format!("{} has no status yet on {}", self.agreement.id, self.date),
            Some(Status::Proposed) => format!(
                "{} is a proposal, not in force (ask what it would demand with --assume-in-force {})",
                self.agreement.id, self.agreement.id
            ),
            Some(Status::Signed) => format!(
                "{} was signed on {} but is not in force",
                self.agreement.id,
                since(Status::Signed)
            ),
            Some(Status::Expired) => {
                format!(
                    "{} expired on {}",
                    self.agreement.id,
                    since(Status::Expired)
                )
            }
            Some(Status::Terminated) => format!(
                "{} ended on {}",
                self.agreement.id,
                since(Status::Terminated)
            ),
            Some(Status::Suspended) => format!(
                "{} is suspended since {}",
                self.agreement.id,
                since(Status::Suspended)
            ),
            Some(s) => format!("{} is {s}", self.agreement.id),
        }
    }

    /// Suffix noting a suspension the party declared on its own, if current.
    fn suspension_note(&self) -> String {
        self.suspension_note_on(self.date)
    }

    /// Suffix noting a suspension the party declared on its own, if current on `date`.
    fn suspension_note_on(&self, date: Date) -> String {
        match self.agreement.suspension(self.party, date) {
            Some(c) => format!(
                " ({} declared its participation suspended on {}{})",
                self.party,
                c.date,
                c.note
                    .as_ref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            ),
            None => String::new(),
        }
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

    fn zone_name(&self, zone: &Option<ZoneId>, description: &str) -> String {
        match zone {
            Some(z) => self
                .vocabulary
                .zones
                .get(z)
                .map(|i| i.name.clone())
                .unwrap_or_else(|| z.to_string()),
            None => description.to_owned(),
        }
    }

    fn unit(&self, category: &Category) -> String {
        self.vocabulary
            .unit(category)
            .unwrap_or(category.as_str())
            .to_owned()
    }

    fn year_bounds(&self, first: i16, last: i16) -> (Date, Date) {
        (
            Date::new(first, 1, 1).unwrap_or(Date::MIN),
            Date::new(last, 12, 31).unwrap_or(Date::MAX),
        )
    }

    /// The provision does not bind (not in force, not yet binding): one finding saying why,
    /// with the figures it would rest on where there are some.
    fn not_binding(&self, why: String) -> Vec<Finding> {
        if self.year != 0 && self.year != self.date.year() {
            return Vec::new();
        }
        if let ProvisionBody::Limit(l) = &self.provision.body
            && let Some((level, decl, _)) = self.limit_source(l)
        {
            let summary = format!(
                "{} {}: level {} {} as of {} against a limit of {}; {why}",
                self.party,
                l.name,
                n(level),
                l.unit,
                decl.declaration.as_of,
                n(l.max)
            );
            let figures = vec![limit_figure(l, level)];
            return vec![self.finding(
                Severity::NotApplicable,
                summary,
                figures,
                vec![self.ev(&decl.record.id)],
            )];
        }
        vec![self.finding(
            Severity::NotApplicable,
            format!("{}: {why}", self.provision.title),
            Vec::new(),
            Vec::new(),
        )]
    }

    fn binds(&self) -> Vec<Finding> {
        match &self.provision.body {
            ProvisionBody::Limit(l) => self.limit(l),
            ProvisionBody::DataExchange(x) => self.data_exchange(x),
            ProvisionBody::Notification(x) => {
                let mut out = self.notified_in_time(x);
                let lead = format!(", {} days ahead", x.lead_time_days);
                out.extend(self.unnotified(&x.thresholds, &x.zones, &lead, false));
                out
            }
            ProvisionBody::Observation(x) => self.unnotified(&x.thresholds, &x.zones, "", true),
            ProvisionBody::AnnualCalendar(x) => self.annual_calendar(x),
            ProvisionBody::Constraint(x) => self.constraint(x),
            ProvisionBody::RiskReduction(x) => self.risk_reduction(x),
            ProvisionBody::Quota(x) => self.quota(x),
            ProvisionBody::Visit(x) => self.visit(x),
            ProvisionBody::ZoneProhibition(x) => self.zone_prohibition(x),
            ProvisionBody::ClassBan(x) => self.class_ban(x),
            ProvisionBody::Commitment(x) => self.commitment(x),
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
                .then(b.index.cmp(&a.index))
        });
        others
            .into_iter()
            .find_map(|d| limit_level(l, &d).map(|level| (level, d, None)))
    }

    fn limit(&self, l: &Limit) -> Vec<Finding> {
        let Some((level, decl, skipped)) = self.limit_source(l) else {
            if self.state.holdings(self.party, self.at).is_empty() {
                return vec![self.finding(
                    Severity::NotApplicable,
                    format!(
                        "{} {}: no declaration of {} is recorded; the limit of {} {} cannot be checked",
                        self.party,
                        l.name,
                        self.party,
                        n(l.max),
                        l.unit
                    ),
                    Vec::new(),
                    Vec::new(),
                )];
            }
            return vec![self.finding(
                Severity::Concern,
                format!(
                    "{} {}: no declaration of {} states the counted categories; the limit of {} {} cannot be checked{}",
                    self.party,
                    l.name,
                    self.party,
                    n(l.max),
                    l.unit,
                    self.suspension_note()
                ),
                Vec::new(),
                vec![Evidence::Absence {
                    expected: format!("a declaration by {} stating {}", self.party, l.name),
                }],
            )];
        };
        match self.condition(|v| v.with_level(level, l.max)) {
            Ok(true) => {}
            Ok(false) => {
                return vec![self.finding(
                    Severity::NotApplicable,
                    format!(
                        "{} {}: the condition `{}` does not hold; level {} {} not judged",
                        self.party,
                        l.name,
                        self.provision
                            .condition
                            .as_ref()
                            .map(|c| c.source())
                            .unwrap_or(""),
                        n(level),
                        l.unit
                    ),
                    vec![limit_figure(l, level)],
                    vec![self.ev(&decl.record.id)],
                )];
            }
            Err(e) => {
                return vec![self.finding(
                    Severity::Concern,
                    format!("{} {}: {e}", self.party, l.name),
                    vec![limit_figure(l, level)],
                    vec![self.ev(&decl.record.id)],
                )];
            }
        }
        let as_of = decl.declaration.as_of;
        let mut evidence = vec![self.ev(&decl.record.id)];
        let mut notes = String::new();
        if decl.declaration.agreement != self.agreement.id {
            notes.push_str(&format!(
                "; figures from the {} declaration, none being made under {}",
                decl.declaration.agreement, self.agreement.id
            ));
        }
        if let Some(s) = skipped {
            evidence.push(self.ev(&s.record.id));
            notes.push_str(&format!(
                "; the newer declaration as of {} does not state it",
                s.declaration.as_of
            ));
        }
        let age = (self.date - as_of).get_days() as i64;
        let (mut severity, mut summary) = if level > l.max {
            (
                Severity::Violation,
                format!(
                    "{} declared {} {} ({}) as of {}: {} above the limit of {}",
                    self.party,
                    n(level),
                    l.unit,
                    l.name,
                    as_of,
                    n(level - l.max),
                    n(l.max)
                ),
            )
        } else {
            (
                Severity::Compliant,
                format!(
                    "{} declared {} {} ({}) as of {}: within the limit of {} ({} used)",
                    self.party,
                    n(level),
                    l.unit,
                    l.name,
                    as_of,
                    n(l.max),
                    pct(level, l.max)
                ),
            )
        };
        if age > STALE_DAYS && severity < Severity::Concern {
            severity = Severity::Concern;
            summary.push_str(&format!(
                "; but these are the latest figures, {age} days old on {}: no current declaration",
                self.date
            ));
        }
        summary.push_str(&notes);
        summary.push_str(&self.suspension_note());
        vec![self.finding(severity, summary, vec![limit_figure(l, level)], evidence)]
    }

    // ---- data exchanges -----------------------------------------------------------------

    fn data_exchange(&self, x: &DataExchange) -> Vec<Finding> {
        let all = self
            .state
            .declarations(&self.agreement.id, self.party, Instant::MAX);
        if all.is_empty() {
            return vec![self.finding(
                Severity::NotApplicable,
                format!(
                    "no data exchange of {} under {} is recorded in this state; the schedule is not checked",
                    self.party, self.agreement.id
                ),
                Vec::new(),
                Vec::new(),
            )];
        }
        let Some(eif) = self
            .agreement
            .entry_into_force()
            .or_else(|| all.iter().map(|d| d.declaration.as_of).min())
        else {
            return Vec::new();
        };
        let made = self
            .state
            .declarations(&self.agreement.id, self.party, self.at);
        // Scheduled as-of dates with their deadlines, oldest first.
        let mut schedule: Vec<(Date, Date)> = Vec::new();
        if let Some(days) = x.initial_within_days {
            schedule.push((eif, add_days(eif, i64::from(days))));
        }
        for y in eif.year()..=self.date.year() {
            for md in &x.as_of {
                let d = md.in_year(y);
                // The initial exchange stands for a scheduled date close after entry into force.
                if d <= eif || (d - eif).get_days() as i64 <= EXCHANGE_WINDOW_DAYS {
                    continue;
                }
                let deadline = match x.due {
                    Some(due) => nearest(due, d),
                    None => add_days(d, EXCHANGE_GRACE_DAYS),
                };
                schedule.push((d, deadline));
            }
        }
        schedule.sort();
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
            let hit = made.iter().enumerate().find(|(i, m)| {
                !used[*i]
                    && (m.declaration.as_of - d).get_days().abs() as i64 <= EXCHANGE_WINDOW_DAYS
            });
            match hit {
                Some((i, m)) => {
                    used[i] = true;
                    if m.record.issued_at > end_of(deadline) {
                        let late =
                            (accord_state::date_of(m.record.issued_at) - deadline).get_days();
                        out.push(self.finding(
                            Severity::Concern,
                            format!(
                                "{} made the data exchange as of {} {late} days after it was due ({deadline})",
                                self.party, d
                            ),
                            Vec::new(),
                            vec![self.ev(&m.record.id)],
                        ));
                    }
                    matched.push(*m);
                }
                None => {
                    let last = made
                        .iter()
                        .rfind(|m| m.declaration.as_of < d)
                        .map(|m| (m.declaration.as_of, self.ev(&m.record.id)));
                    let mut evidence = vec![Evidence::Absence {
                        expected: format!(
                            "a declaration by {} under {} as of {d}, due by {deadline}",
                            self.party, self.agreement.id
                        ),
                    }];
                    let last_note = match last {
                        Some((as_of, e)) => {
                            evidence.push(e);
                            format!("; the last exchange made was as of {as_of}")
                        }
                        None => String::new(),
                    };
                    out.push(self.finding(
                        Severity::Violation,
                        format!(
                            "{} made no data exchange as of {d} (due by {deadline}){last_note}{}",
                            self.party,
                            self.suspension_note_on(d)
                        ),
                        Vec::new(),
                        evidence,
                    ));
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
            let empty_note = if empty > 0 {
                format!(" ({empty} recorded without published figures)")
            } else {
                String::new()
            };
            out.push(self.finding(
                Severity::Compliant,
                format!(
                    "{} made {} scheduled data exchanges, as of {first} to {last}{empty_note}",
                    self.party,
                    matched.len()
                ),
                vec![Figure {
                    label: "data exchanges made".into(),
                    value: matched.len() as i64,
                    limit: None,
                    unit: "exchanges".into(),
                }],
                matched.iter().map(|m| self.ev(&m.record.id)).collect(),
            ));
        }
        out
    }

    // ---- notification and observation of activities ------------------------------------

    fn notified_in_time(&self, x: &accord_agreements::Notification) -> Vec<Finding> {
        let (from, to) = self.year_bounds(self.year, self.year);
        let mut ok = Vec::new();
        let mut out = Vec::new();
        for a in self.state.activities(self.party, from, to, self.at) {
            if a.source != ActivitySource::Notified
                || a.record.party != *self.party
                || a.agreement != &self.agreement.id
            {
                continue;
            }
            let act = a.activity;
            if !x.activity_kinds.is_empty() && !x.activity_kinds.contains(&act.kind) {
                continue;
            }
            if !self.zone_in(&act.area.zone, &x.zones) {
                continue;
            }
            if reached(&x.thresholds, forces(act)).is_none() {
                continue;
            }
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
                        continue;
                    }
                    end_of(sub_days(act.start, i64::from(x.lead_time_days)))
                }
                None => end_of(sub_days(act.start, i64::from(x.lead_time_days))),
            };
            match self.condition(|v| v.with_activity(act)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    out.push(self.finding(
                        Severity::Concern,
                        format!("{}: {e}", act.name),
                        Vec::new(),
                        vec![self.ev(&a.record.id)],
                    ));
                    continue;
                }
            }
            if a.record.issued_at <= required_by {
                ok.push(self.ev(&a.record.id));
            } else {
                let ahead = (act.start - accord_state::date_of(a.record.issued_at)).get_days();
                out.push(self.finding(
                    Severity::Violation,
                    format!(
                        "{} ({} to {}, {}) was notified {} days ahead; {} days are required{}",
                        act.name,
                        act.start,
                        act.end,
                        describe_forces(self, act),
                        ahead,
                        x.lead_time_days,
                        if matches!(exemption, Some(ExemptionRule::NotifyAtStart)) {
                            " (notification at the start of an alert activity)"
                        } else {
                            ""
                        }
                    ),
                    vec![Figure {
                        label: "days of notice".into(),
                        value: i64::from(ahead),
                        limit: Some(i64::from(x.lead_time_days)),
                        unit: "days".into(),
                    }],
                    vec![self.ev(&a.record.id)],
                ));
            }
        }
        if !ok.is_empty() {
            out.push(self.finding(
                Severity::Compliant,
                format!(
                    "{} notified {} notifiable activities starting in {} in time",
                    self.party,
                    ok.len(),
                    self.year
                ),
                vec![Figure {
                    label: "activities notified in time".into(),
                    value: ok.len() as i64,
                    limit: None,
                    unit: "activities".into(),
                }],
                ok,
            ));
        }
        out
    }

    fn zone_in(&self, zone: &Option<ZoneId>, zones: &[ZoneId]) -> bool {
        zones.is_empty()
            || zone
                .as_ref()
                .is_some_and(|z| zones.iter().any(|outer| self.engine.zone_within(z, outer)))
    }

    fn zones_meet(&self, a: &Option<ZoneId>, b: &Option<ZoneId>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => self.engine.zone_within(a, b) || self.engine.zone_within(b, a),
            _ => true,
        }
    }

    /// Observations of the party's forces above a threshold that no notified activity covers,
    /// grouped by zone: one finding per zone and year.
    fn unnotified(
        &self,
        thresholds: &[Threshold],
        zones: &[ZoneId],
        lead: &str,
        observation_duty: bool,
    ) -> Vec<Finding> {
        let (from, to) = self.year_bounds(self.year, self.year);
        let mut clusters: BTreeMap<String, Vec<(ObservationRef<'_>, &Threshold)>> = BTreeMap::new();
        let mut out = Vec::new();
        for o in self.state.observations(self.party, from, to, self.at) {
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
            let window_start = sub_days(obs.date, 366);
            let covering = self
                .state
                .activities(self.party, window_start, obs.date, self.at)
                .into_iter()
                .filter(|a| {
                    a.source == ActivitySource::Notified
                        && a.agreement == &self.agreement.id
                        && a.activity.start <= obs.date
                        && obs.date <= a.activity.end
                        && self.zones_meet(&obs.area.zone, &a.activity.area.zone)
                })
                .find(|a| count_of(a.activity, &obs.category) >= t.at_least);
            if let Some(a) = covering {
                let notified = count_of(a.activity, &obs.category);
                if !observation_duty && obs.quantity > notified.saturating_mul(2) {
                    out.push(self.finding(
                        Severity::Concern,
                        format!(
                            "{} was notified with {} {}, but an open source reports {} on {} ({})",
                            a.activity.name,
                            n(notified),
                            self.unit(&obs.category),
                            describe_quantity(obs),
                            obs.date,
                            who(obs)
                        ),
                        vec![Figure {
                            label: format!("observed {}", obs.category),
                            value: obs.quantity as i64,
                            limit: Some(notified as i64),
                            unit: self.unit(&obs.category),
                        }],
                        vec![
                            self.ev(&a.record.id),
                            self.ev(&o.record.id),
                            Evidence::Source {
                                url: obs.source.url.clone(),
                            },
                        ],
                    ));
                }
                continue;
            }
            let key = obs
                .area
                .zone
                .as_ref()
                .map(|z| z.to_string())
                .unwrap_or_else(|| obs.area.description.clone());
            clusters.entry(key).or_default().push((o, t));
        }
        for (_, mut obs) in clusters {
            obs.sort_by(|a, b| {
                a.0.observation
                    .date
                    .cmp(&b.0.observation.date)
                    .then(a.0.index.cmp(&b.0.index))
            });
            let (lead_obs, t) = *obs
                .iter()
                .max_by(|a, b| {
                    a.0.observation
                        .quantity
                        .cmp(&b.0.observation.quantity)
                        .then(a.0.observation.date.cmp(&b.0.observation.date))
                })
                .expect("clusters are never empty");
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
            let range = if obs.len() > 1 {
                format!(
                    "; {} open-source observations from {} ({}) to {} ({})",
                    obs.len(),
                    first.date,
                    describe_quantity(first),
                    last.date,
                    describe_quantity(last)
                )
            } else {
                String::new()
            };
            let duty = if observation_duty {
                format!(
                    "no activity was notified, so no observers were invited under {} (threshold {} {unit})",
                    self.cite(),
                    n(t.at_least)
                )
            } else {
                format!(
                    "no activity there was notified under {} (threshold {} {unit}{lead})",
                    self.cite(),
                    n(t.at_least)
                )
            };
            let summary = format!(
                "{} forces observed in {}: {} {} on {} ({}){range}; {duty}",
                self.party,
                self.zone_name(&lo.area.zone, &lo.area.description),
                describe_quantity(lo),
                unit,
                lo.date,
                who(lo),
            );
            let mut evidence: Vec<Evidence> =
                obs.iter().map(|(o, _)| self.ev(&o.record.id)).collect();
            evidence.push(Evidence::Source {
                url: lo.source.url.clone(),
            });
            evidence.push(Evidence::Absence {
                expected: format!(
                    "a notification by {} under {} covering {} on {}",
                    self.party,
                    self.agreement.id,
                    self.zone_name(&lo.area.zone, &lo.area.description),
                    lo.date
                ),
            });
            out.push(self.finding(
                severity,
                summary,
                vec![Figure {
                    label: format!(
                        "observed {} ({})",
                        t.category,
                        self.zone_name(&lo.area.zone, &lo.area.description)
                    ),
                    value: lo.quantity as i64,
                    limit: Some(t.at_least as i64),
                    unit,
                }],
                evidence,
            ));
        }
        out
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
            return vec![self.finding(
                Severity::NotApplicable,
                format!(
                    "no annual calendar of {} under {} is recorded in this state; not checked",
                    self.party, self.agreement.id
                ),
                Vec::new(),
                Vec::new(),
            )];
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
            None => vec![self.finding(
                Severity::Violation,
                format!(
                    "{} has issued no annual calendar for {next} (due by {due})",
                    self.party
                ),
                Vec::new(),
                vec![Evidence::Absence {
                    expected: format!("an annual calendar by {} for {next}", self.party),
                }],
            )],
            Some(r) if r.issued_at > end_of(due) => vec![self.finding(
                Severity::Violation,
                format!(
                    "{} issued its annual calendar for {next} on {}, after it was due ({due})",
                    self.party,
                    accord_state::date_of(r.issued_at)
                ),
                Vec::new(),
                vec![self.ev(&r.id)],
            )],
            Some(r) => vec![self.finding(
                Severity::Compliant,
                format!(
                    "{} issued its annual calendar for {next} by {due}",
                    self.party
                ),
                Vec::new(),
                vec![self.ev(&r.id)],
            )],
        }
    }

    fn constraint(&self, x: &Constraint) -> Vec<Finding> {
        let counted = |a: &Activity| {
            reached(&x.above, forces(a)).is_some()
                && x.up_to
                    .iter()
                    .all(|c| count_of(a, &c.category) <= c.at_most)
        };
        let window = match x.period {
            Period::CalendarYears(k) => k.max(1) as i16,
            Period::Simultaneous => 1,
        };
        let (from, to) = self.year_bounds(self.year - window + 1, self.year);
        let acts: Vec<_> = self
            .state
            .activities(self.party, from, to, self.at)
            .into_iter()
            .filter(|a| {
                a.source == ActivitySource::Notified
                    && a.record.party == *self.party
                    && a.agreement == &self.agreement.id
                    && counted(a.activity)
            })
            .collect();
        if !acts.iter().any(|a| a.activity.start.year() == self.year) {
            return Vec::new();
        }
        let desc = describe_thresholds(self, &x.above);
        let mut out = Vec::new();
        if let Some(max) = x.max_activities {
            let (count, ids, label) = match x.period {
                Period::Simultaneous => {
                    let mut best: (usize, Vec<Evidence>) = (0, Vec::new());
                    for a in acts.iter().filter(|a| a.activity.start.year() == self.year) {
                        let overlapping: Vec<Evidence> = acts
                            .iter()
                            .filter(|b| {
                                b.activity.start <= a.activity.start
                                    && a.activity.start <= b.activity.end
                            })
                            .map(|b| self.ev(&b.record.id))
                            .collect();
                        if overlapping.len() > best.0 {
                            best = (overlapping.len(), overlapping);
                        }
                    }
                    (best.0, best.1, format!("at the same time in {}", self.year))
                }
                Period::CalendarYears(k) => (
                    acts.len(),
                    acts.iter().map(|a| self.ev(&a.record.id)).collect(),
                    if k <= 1 {
                        format!("in {}", self.year)
                    } else {
                        format!("in {} to {}", self.year - window + 1, self.year)
                    },
                ),
            };
            let severity = if count > max as usize {
                Severity::Violation
            } else {
                Severity::Compliant
            };
            out.push(self.finding(
                severity,
                format!(
                    "{} held {count} notified activities above {desc} {label}; at most {max} allowed",
                    self.party
                ),
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
                    Some(r) => out.push(self.finding(
                        Severity::Compliant,
                        format!(
                            "{} (above {desc}) was announced in the annual calendar for {}",
                            a.activity.name, self.year
                        ),
                        Vec::new(),
                        vec![self.ev(&a.record.id), self.ev(&r.id)],
                    )),
                    None => out.push(self.finding(
                        Severity::Violation,
                        format!(
                            "{} ({} to {}, above {desc}) was not announced in an annual calendar for {}",
                            a.activity.name, a.activity.start, a.activity.end, self.year
                        ),
                        Vec::new(),
                        vec![
                            self.ev(&a.record.id),
                            Evidence::Absence {
                                expected: format!(
                                    "{} in the annual calendar of {} for {}",
                                    a.activity.name, self.party, self.year
                                ),
                            },
                        ],
                    )),
                }
            }
        }
        out
    }

    // ---- risk reduction -----------------------------------------------------------------

    fn risk_reduction(&self, x: &RiskReduction) -> Vec<Finding> {
        let only_one = self
            .agreement
            .provisions
            .iter()
            .filter(|p| matches!(p.body, ProvisionBody::RiskReduction(_)))
            .count()
            == 1;
        let mut out = Vec::new();
        for r in self.state.requests_to(self.party, self.at) {
            if accord_state::date_of(r.record.issued_at).year() != self.year
                || r.request.agreement != self.agreement.id
                || !(r.request.provision == self.provision.id || only_one)
            {
                continue;
            }
            let allowed = SignedDuration::from_hours(i64::from(x.reply_within_hours));
            let deadline = r
                .record
                .issued_at
                .checked_add(allowed)
                .unwrap_or(Instant::MAX);
            let asked = format!(
                "{} asked {} on {} for an explanation ({}) under {}",
                r.record.party,
                self.party,
                fmt_instant(r.record.issued_at),
                self.zone_name(&r.request.area.zone, &r.request.area.description),
                self.cite()
            );
            let hours_fig = |h: i64| Figure {
                label: "hours to reply".into(),
                value: h,
                limit: Some(i64::from(x.reply_within_hours)),
                unit: "hours".into(),
            };
            let mut evidence = vec![self.ev(&r.record.id)];
            match r.replies.first() {
                Some(reply) => {
                    let took = reply
                        .issued_at
                        .duration_since(r.record.issued_at)
                        .as_hours();
                    evidence.push(self.ev(&reply.id));
                    let severity = if reply.issued_at <= deadline {
                        Severity::Compliant
                    } else {
                        Severity::Violation
                    };
                    out.push(self.finding(
                        severity,
                        format!(
                            "{asked}; {} replied after {took} hours ({} allowed)",
                            self.party, x.reply_within_hours
                        ),
                        vec![hours_fig(took)],
                        evidence,
                    ));
                }
                None if self.at > deadline => {
                    let waited = self.at.duration_since(r.record.issued_at).as_hours();
                    evidence.push(Evidence::Absence {
                        expected: format!(
                            "a reply by {} to {} by {}",
                            self.party,
                            r.record.id,
                            fmt_instant(deadline)
                        ),
                    });
                    let meeting = x
                        .meeting_within_hours
                        .map(|h| {
                            format!(
                                "; the requesting state may now ask for a meeting within {h} hours"
                            )
                        })
                        .unwrap_or_default();
                    out.push(self.finding(
                        Severity::Violation,
                        format!(
                            "{asked}; no reply after {waited} hours, past the {}-hour deadline ({}){meeting}",
                            x.reply_within_hours,
                            fmt_instant(deadline)
                        ),
                        vec![hours_fig(waited)],
                        evidence,
                    ));
                }
                None => out.push(self.finding(
                    Severity::Compliant,
                    format!("{asked}; reply open, due by {}", fmt_instant(deadline)),
                    Vec::new(),
                    evidence,
                )),
            }
        }
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
        if reqs.is_empty() {
            return Vec::new();
        }
        let units = self
            .state
            .latest_declaration(&self.agreement.id, self.party, self.at)
            .map(|d| d.totals.values().sum::<u64>())
            .unwrap_or(0);
        let quota = x.quota_for(units);
        let what = x
            .name
            .clone()
            .unwrap_or_else(|| format!("{:?}", x.activity).to_lowercase());
        let mut out = Vec::new();
        let mut per_party: BTreeMap<&PartyId, u64> = BTreeMap::new();
        for (k, r) in reqs.iter().enumerate() {
            let count = per_party.entry(&r.record.party).or_insert(0);
            *count += 1;
            let within_party = x
                .per_inspecting_party
                .is_none_or(|cap| *count <= u64::from(cap));
            let within = (k as u64) < quota && within_party;
            if !within {
                out.push(self.finding(
                    Severity::Concern,
                    format!(
                        "{} requested an inspection ({what}) of {} for {} beyond the quota ({} a year{}); {} need not accept it",
                        r.record.party,
                        self.party,
                        r.request.date,
                        quota,
                        x.per_inspecting_party
                            .map(|c| format!(", {c} from one inspecting party"))
                            .unwrap_or_default(),
                        self.party
                    ),
                    Vec::new(),
                    vec![self.ev(&r.record.id)],
                ));
            } else if r.reports.is_empty()
                && add_days(r.request.date, REPORT_GRACE_DAYS) < self.date
            {
                out.push(self.finding(
                    Severity::Violation,
                    format!(
                        "{} accepted no inspection ({what}) requested by {} for {} within the quota: no report",
                        self.party, r.record.party, r.request.date
                    ),
                    Vec::new(),
                    vec![
                        self.ev(&r.record.id),
                        Evidence::Absence {
                            expected: format!("an inspection report for {}", r.record.id),
                        },
                    ],
                ));
            }
        }
        let used = reqs.len().min(quota as usize);
        let mut evidence = Vec::new();
        for r in &reqs {
            evidence.push(self.ev(&r.record.id));
            for (rep, _) in &r.reports {
                evidence.push(self.ev(&rep.id));
            }
        }
        out.push(self.finding(
            Severity::Compliant,
            format!(
                "{} inspections ({what}) of {} requested in {}; quota {quota}",
                reqs.len(),
                self.party,
                self.year
            ),
            vec![Figure {
                label: format!("{what} used"),
                value: used as i64,
                limit: Some(quota as i64),
                unit: "inspections".into(),
            }],
            evidence,
        ));
        out
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
                return vec![self.finding(
                    Severity::NotApplicable,
                    format!(
                        "{} owes no visit ({}) yet: the reciprocal visits under {} have not been granted{}",
                        self.party,
                        x.purpose,
                        rec.provision,
                        rec.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
                    ),
                    Vec::new(),
                    vec![Evidence::Absence {
                        expected: format!("a report of a visit under {}", rec.provision),
                    }],
                )];
            }
        }
        let mine: Vec<_> = all(&self.provision.id)
            .into_iter()
            .filter(|r| r.request.inspected == *self.party)
            .collect();
        if mine.is_empty() {
            return vec![self.finding(
                Severity::NotApplicable,
                format!(
                    "no visit to {} ({}) has been requested yet",
                    self.party, x.purpose
                ),
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
                if add_days(r.request.date, REPORT_GRACE_DAYS) < self.date {
                    out.push(self.finding(
                        Severity::Violation,
                        format!(
                            "{} did not host the visit requested by {} for {} ({})",
                            self.party, r.record.party, r.request.date, x.purpose
                        ),
                        Vec::new(),
                        vec![
                            self.ev(&r.record.id),
                            Evidence::Absence {
                                expected: format!("a visit report for {}", r.record.id),
                            },
                        ],
                    ));
                }
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
                out.push(self.finding(
                    severity,
                    format!(
                        "{} hosted the visit at {} on {}; items whose absence it confirms: {}",
                        self.party,
                        report.site,
                        report.date,
                        n(found)
                    ),
                    Vec::new(),
                    vec![self.ev(&r.record.id), self.ev(&rep.id)],
                ));
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

    fn zone_prohibition(&self, x: &ZoneProhibition) -> Vec<Finding> {
        if !x.bound.is_empty() && !x.bound.contains(self.party) {
            return Vec::new();
        }
        let mut cats: Vec<Category> = x.categories.clone();
        for c in &x.classes {
            cats.extend(self.class_categories(c));
        }
        let zone_names: Vec<String> = x
            .zones
            .iter()
            .map(|z| self.zone_name(&Some(z.clone()), z.as_str()))
            .collect();
        let (from, to) = self.year_bounds(self.year, self.year);
        let mut out = Vec::new();
        for o in self.state.observations(self.party, from, to, self.at) {
            let obs = o.observation;
            if !(cats.contains(&obs.category)
                && obs.area.zone.is_some()
                && self.zone_in(&obs.area.zone, &x.zones))
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
                out.push(self.finding(
                    Severity::Concern,
                    format!(
                        "an open source reports {} {} of {} in {} on {} ({}); whether they are forbidden (permanent, with a combat mission, of a banned class) is for inspection to establish",
                        describe_quantity(obs),
                        self.unit(&obs.category),
                        self.party,
                        self.zone_name(&obs.area.zone, &obs.area.description),
                        obs.date,
                        who(obs)
                    ),
                    vec![Figure {
                        label: format!("observed {}", obs.category),
                        value: obs.quantity as i64,
                        limit: Some(0),
                        unit: self.unit(&obs.category),
                    }],
                    vec![
                        self.ev(&o.record.id),
                        Evidence::Source {
                            url: obs.source.url.clone(),
                        },
                    ],
                ));
            }
        }
        for a in self.state.activities(self.party, from, to, self.at) {
            let act = a.activity;
            if act.kind == accord_model::ActivityKind::Deployment
                && self.condition(|v| v.with_activity(act)) != Ok(false)
                && self.zone_in(&act.area.zone, &x.zones)
                && act.area.zone.is_some()
                && act
                    .forces
                    .iter()
                    .any(|f| cats.contains(&f.category) && f.count > 0)
            {
                out.push(self.finding(
                    Severity::Violation,
                    format!(
                        "{} notified a deployment in {} ({}): forbidden there",
                        self.party,
                        self.zone_name(&act.area.zone, &act.area.description),
                        describe_forces(self, act)
                    ),
                    Vec::new(),
                    vec![self.ev(&a.record.id)],
                ));
            }
        }
        if out.is_empty() && self.year == self.date.year() {
            out.push(self.finding(
                Severity::Compliant,
                format!(
                    "no forbidden forces or systems of {} ({}) are observed or notified in {} in the records up to {}",
                    self.party,
                    cats.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
                    zone_names.join(", "),
                    self.date
                ),
                Vec::new(),
                Vec::new(),
            ));
        }
        out
    }

    fn class_ban(&self, x: &ClassBan) -> Vec<Finding> {
        let cats: Vec<Category> = x
            .classes
            .iter()
            .flat_map(|c| self.class_categories(c))
            .collect();
        let Some(d) = self
            .state
            .latest_declaration(&self.agreement.id, self.party, self.at)
        else {
            return vec![self.finding(
                Severity::NotApplicable,
                format!(
                    "no declaration of {} under {} is recorded; the ban on {} is not checked",
                    self.party,
                    self.agreement.id,
                    x.classes.join(", ")
                ),
                Vec::new(),
                Vec::new(),
            )];
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
        vec![self.finding(
            severity,
            format!(
                "{} declared {} items of the banned classes ({}) as of {}",
                self.party,
                n(held),
                x.classes.join(", "),
                d.declaration.as_of
            ),
            vec![Figure {
                label: "banned items declared".into(),
                value: held as i64,
                limit: Some(0),
                unit: "items".into(),
            }],
            vec![self.ev(&d.record.id)],
        )]
    }

    fn commitment(&self, x: &Commitment) -> Vec<Finding> {
        vec![self.finding(
            Severity::NotApplicable,
            format!("stated in words, not machine-checked: {}", x.text),
            Vec::new(),
            Vec::new(),
        )]
    }
}

/// The level a declaration shows under a limit: its published aggregate when it states one,
/// else the weighted count of the limit's terms; None when it states neither.
pub(crate) fn limit_level(l: &Limit, d: &DeclarationRef<'_>) -> Option<u64> {
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
        label: l.name.clone(),
        value: level as i64,
        limit: Some(l.max as i64),
        unit: l.unit.clone(),
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

fn describe_forces(cx: &Cx<'_>, a: &Activity) -> String {
    if a.forces.is_empty() {
        return "forces not stated".into();
    }
    a.forces
        .iter()
        .map(|f| format!("{} {}", n(f.count), cx.unit(&f.category)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_thresholds(cx: &Cx<'_>, t: &[Threshold]) -> String {
    t.iter()
        .map(|t| format!("{} {}", n(t.at_least), cx.unit(&t.category)))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn describe_quantity(o: &Observation) -> String {
    let q = n(o.quantity);
    match o.qualifier {
        Qualifier::Exactly => q,
        Qualifier::MoreThan => format!("more than {q}"),
        Qualifier::AtLeast => format!("at least {q}"),
        Qualifier::About => format!("about {q}"),
        Qualifier::UpTo => format!("up to {q}"),
        Qualifier::Range { high } => format!("{q} to {}", n(high)),
    }
}

fn who(o: &Observation) -> String {
    match &o.attribution {
        Some(a) => format!("{}, via {}", a.who, o.source.outlet),
        None => o.source.outlet.clone(),
    }
}

fn add_days(d: Date, days: i64) -> Date {
    d.checked_add(Span::new().days(days)).unwrap_or(Date::MAX)
}

fn sub_days(d: Date, days: i64) -> Date {
    d.checked_sub(Span::new().days(days)).unwrap_or(Date::MIN)
}

/// The occurrence of a recurring day nearest to `d` (the one before or after it).
fn nearest(md: accord_agreements::MonthDay, d: Date) -> Date {
    let candidates = [
        md.in_year(d.year() - 1),
        md.in_year(d.year()),
        md.in_year(d.year() + 1),
    ];
    candidates
        .into_iter()
        .min_by_key(|c| (*c - d).get_days().abs())
        .unwrap_or(d)
}

fn fmt_instant(t: Instant) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}
