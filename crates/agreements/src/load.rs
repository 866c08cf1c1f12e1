//! Reading agreement files: TOML into raw, located values, then checked into [`Agreement`]s.
//!
//! Every error carries the file, the 1-based line and column, and what was expected. Syntax
//! errors and unknown fields stop the parse; the checks that follow (references, figures, dates,
//! conditions) report every problem they find.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use accord_model::{
    ActivityKind, AgreementId, Category, Date, EventKind, IdError, PartyId, ProvisionId, ZoneId,
};
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::condition::Condition;
use crate::schema::*;
use crate::vocabulary::Vocabulary;

/// One problem in an agreement file, with its location.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The file (as given to the parser).
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1 (in characters).
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Every problem found in one agreement file (never empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Why an agreement file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file was read but is not a valid agreement.
    #[error("{0}")]
    Invalid(Diagnostics),
}

/// Reads and validates an agreement file against the built-in vocabulary.
pub fn load(path: impl AsRef<Path>) -> Result<Agreement, LoadError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, &path.display().to_string(), Vocabulary::builtin()).map_err(LoadError::Invalid)
}

/// Parses and validates agreement text; `file` names it in diagnostics.
pub fn parse(text: &str, file: &str, vocabulary: &Vocabulary) -> Result<Agreement, Diagnostics> {
    let located = |span: &Range<usize>, message: String| {
        let (line, column) = line_column(text, span.start);
        Diagnostics(vec![Diagnostic {
            file: file.to_owned(),
            line,
            column,
            message,
        }])
    };
    let raw: RawAgreement = toml::from_str(text)
        .map_err(|e| located(&e.span().unwrap_or(0..0), e.message().trim().to_owned()))?;
    // What the file defines for itself extends the vocabulary its references are checked against.
    let extended = match &raw.define {
        Some(define) => Some(
            vocabulary
                .extended(define.get_ref())
                .map_err(|e| located(&define.span(), format!("[define]: {}", e.0)))?,
        ),
        None => None,
    };
    let mut cx = Cx {
        file,
        text,
        vocabulary: extended.as_ref().unwrap_or(vocabulary),
        errors: Vec::new(),
    };
    let agreement = cx.agreement(raw);
    if cx.errors.is_empty() {
        Ok(agreement)
    } else {
        Err(Diagnostics(cx.errors))
    }
}

/// Converts a byte offset in `text` to a 1-based (line, column in characters).
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

// ---------------------------------------------------------------------------------------------
// Raw, located forms, exactly as written.

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgreement {
    id: S<String>,
    title: String,
    citation: String,
    #[serde(default)]
    sources: Vec<String>,
    binding: S<String>,
    parties: Vec<S<String>>,
    #[serde(default)]
    zones: Vec<S<String>>,
    history: S<Vec<RawStatus>>,
    #[serde(default)]
    class: Vec<RawClass>,
    #[serde(default)]
    provision: Vec<S<RawProvision>>,
    notes: Option<String>,
    define: Option<S<Vocabulary>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatus {
    status: S<String>,
    date: S<Datetime>,
    #[serde(default)]
    by: Vec<S<String>>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClass {
    id: S<String>,
    name: String,
    categories: Vec<S<String>>,
    launch: Option<S<String>>,
    #[serde(default)]
    types: Vec<S<String>>,
    range_km: Option<S<RawRange>>,
    #[serde(default)]
    permanent_only: bool,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    min: Option<S<i64>>,
    over: Option<S<i64>>,
    max: S<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvision {
    id: S<String>,
    cite: S<String>,
    title: String,
    applies_to: Option<Vec<S<String>>>,
    binds_from: Option<S<Datetime>>,
    condition: Option<S<String>>,
    reciprocity: Option<RawReciprocity>,
    source: Option<String>,
    notes: Option<String>,
    limit: Option<S<RawLimit>>,
    zone_prohibition: Option<S<RawZoneProhibition>>,
    class_ban: Option<S<RawClassBan>>,
    notification: Option<S<RawNotification>>,
    observation: Option<S<RawObservation>>,
    annual_calendar: Option<S<RawAnnualCalendar>>,
    constraint: Option<S<RawConstraint>>,
    risk_reduction: Option<S<RawRiskReduction>>,
    quota: Option<S<RawQuota>>,
    visit: Option<S<RawVisit>>,
    data_exchange: Option<S<RawDataExchange>>,
    event_notification: Option<S<RawEventNotification>>,
    commitment: Option<S<RawCommitment>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReciprocity {
    provision: S<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimit {
    name: String,
    unit: Option<S<String>>,
    max: S<i64>,
    counts: Vec<RawTerm>,
    aggregate: Option<RawTerm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    category: S<String>,
    status: S<String>,
    weight: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawZoneProhibition {
    zones: Vec<S<String>>,
    #[serde(default)]
    categories: Vec<S<String>>,
    #[serde(default)]
    classes: Vec<S<String>>,
    reciprocal: bool,
    bound: Option<Vec<S<String>>>,
    #[serde(default)]
    without_host_consent: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClassBan {
    classes: Vec<S<String>>,
    #[serde(default)]
    prohibits: Vec<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreshold {
    category: S<String>,
    at_least: S<i64>,
    cite: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCeiling {
    category: S<String>,
    at_most: S<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExemption {
    activity_kind: S<String>,
    #[serde(default)]
    notify_at_start: bool,
    only_if_longer_than_hours: Option<S<i64>>,
    cite: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotification {
    lead_time_days: S<i64>,
    thresholds: S<Vec<RawThreshold>>,
    #[serde(default)]
    activity_kinds: Vec<S<String>>,
    #[serde(default)]
    zones: Vec<S<String>>,
    #[serde(default)]
    exemptions: Vec<S<RawExemption>>,
    #[serde(default)]
    components: Vec<RawThreshold>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObservation {
    thresholds: S<Vec<RawThreshold>>,
    #[serde(default)]
    activity_kinds: Vec<S<String>>,
    #[serde(default)]
    zones: Vec<S<String>>,
    #[serde(default)]
    exemptions: Vec<S<RawExemption>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnnualCalendar {
    due: S<String>,
    of: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConstraint {
    above: S<Vec<RawThreshold>>,
    #[serde(default)]
    up_to: Vec<RawCeiling>,
    max_activities: Option<S<i64>>,
    period: S<String>,
    years: Option<S<i64>>,
    #[serde(default)]
    requires_calendar: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRiskReduction {
    subject: String,
    request: Option<String>,
    reply_within_hours: S<i64>,
    meeting_within_hours: Option<S<i64>>,
    meeting_with: Option<String>,
    escalation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuota {
    activity: S<String>,
    name: Option<String>,
    per_year: Option<S<i64>>,
    per_units: Option<S<i64>>,
    max_per_year: Option<S<i64>>,
    per_inspecting_party: Option<S<i64>>,
    max_percent_from_one_party: Option<S<i64>>,
    seed_reveal: Option<S<RawSeedReveal>>,
    at_a_time: Option<S<i64>>,
    units_category: Option<S<String>>,
    per_site_per_year: Option<S<i64>>,
    per_site_from_one_party: Option<S<i64>>,
    report_within: Option<S<RawTimeLimit>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeLimit {
    days: S<i64>,
    cite: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeedReveal {
    within_hours: S<i64>,
    missing: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVisit {
    hosts: Vec<S<String>>,
    visitors: Vec<S<String>>,
    zones: Vec<S<String>>,
    sites: Option<S<i64>>,
    chosen_by: Option<S<String>>,
    #[serde(default)]
    confirm_absence_of: Vec<S<String>>,
    purpose: String,
    report_within: Option<S<RawTimeLimit>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataExchange {
    as_of: Vec<S<String>>,
    due: Option<S<String>>,
    due_days_after_period: Option<S<i64>>,
    initial_within_days: Option<S<i64>>,
    #[serde(default)]
    categories: Vec<S<String>>,
    content: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEventNotification {
    events: S<Vec<S<String>>>,
    within_days_after: Option<S<i64>>,
    hours_before: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommitment {
    text: String,
}

// ---------------------------------------------------------------------------------------------
// Checking.

struct Cx<'a> {
    file: &'a str,
    text: &'a str,
    vocabulary: &'a Vocabulary,
    errors: Vec<Diagnostic>,
}

/// What the agreement-level checks learnt, for the provision-level ones.
struct Scope {
    parties: Vec<PartyId>,
    zones: Vec<ZoneId>,
    classes: Vec<String>,
    provisions: Vec<ProvisionId>,
}

const KINDS: &str = "limit, zone_prohibition, class_ban, notification, observation, annual_calendar, \
                     constraint, risk_reduction, quota, visit, data_exchange, event_notification, \
                     commitment";

impl Cx<'_> {
    fn error(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let (line, column) = line_column(self.text, span.start);
        self.errors.push(Diagnostic {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        });
    }

    fn error_at(&mut self, offset: usize, message: impl Into<String>) {
        self.error(&(offset..offset), message);
    }

    fn id<T>(&mut self, raw: &S<String>, make: impl Fn(String) -> Result<T, IdError>) -> Option<T> {
        match make(raw.get_ref().clone()) {
            Ok(id) => Some(id),
            Err(e) => {
                self.error(&raw.span(), format!("{e}"));
                None
            }
        }
    }

    /// Reads an identifier that must be a key of a vocabulary table; `what` names it in errors.
    fn known_id<T: Ord + AsRef<str>, V>(
        &mut self,
        raw: &S<String>,
        what: &str,
        make: impl Fn(String) -> Result<T, IdError>,
        table: &std::collections::BTreeMap<T, V>,
    ) -> Option<T> {
        let id = self.id(raw, make)?;
        if !table.contains_key(&id) {
            let known: Vec<&str> = table.keys().map(AsRef::as_ref).collect();
            self.error(
                &raw.span(),
                format!(
                    "unknown {what} `{}`, expected one of: {}",
                    id.as_ref(),
                    known.join(", ")
                ),
            );
            return None;
        }
        Some(id)
    }

    /// Keeps `id` only if the agreement itself lists it in `allowed`; otherwise reports it.
    fn listed<T: PartialEq + fmt::Display>(
        &mut self,
        raw: &S<String>,
        id: T,
        allowed: &[T],
        not_listed: &str,
    ) -> Option<T> {
        if allowed.contains(&id) {
            return Some(id);
        }
        self.error(
            &raw.span(),
            format!("`{id}` {not_listed}, expected one of: {}", join(allowed)),
        );
        None
    }

    fn party(&mut self, raw: &S<String>, scope: Option<&Scope>) -> Option<PartyId> {
        let vocabulary = self.vocabulary;
        let party = self.known_id(raw, "party", PartyId::new, &vocabulary.parties)?;
        match scope {
            Some(scope) => self.listed(
                raw,
                party,
                &scope.parties,
                "is not a party to this agreement",
            ),
            None => Some(party),
        }
    }

    fn parties(&mut self, raw: &[S<String>], scope: Option<&Scope>) -> Vec<PartyId> {
        raw.iter().filter_map(|p| self.party(p, scope)).collect()
    }

    fn category(&mut self, raw: &S<String>) -> Option<Category> {
        let vocabulary = self.vocabulary;
        self.known_id(raw, "category", Category::new, &vocabulary.categories)
    }

    fn categories(&mut self, raw: &[S<String>]) -> Vec<Category> {
        raw.iter().filter_map(|c| self.category(c)).collect()
    }

    fn zone(&mut self, raw: &S<String>, scope: Option<&Scope>) -> Option<ZoneId> {
        let vocabulary = self.vocabulary;
        let zone = self.known_id(raw, "zone", ZoneId::new, &vocabulary.zones)?;
        match scope {
            Some(scope) => self.listed(
                raw,
                zone,
                &scope.zones,
                "is not listed in the agreement's `zones`",
            ),
            None => Some(zone),
        }
    }

    fn zones(&mut self, raw: &[S<String>], scope: Option<&Scope>) -> Vec<ZoneId> {
        raw.iter().filter_map(|z| self.zone(z, scope)).collect()
    }

    fn class_ref(&mut self, raw: &S<String>, scope: &Scope) -> Option<String> {
        if scope.classes.iter().any(|c| c == raw.get_ref()) {
            Some(raw.get_ref().clone())
        } else {
            let known = if scope.classes.is_empty() {
                "(the agreement defines no [[class]])".to_owned()
            } else {
                scope.classes.join(", ")
            };
            self.error(
                &raw.span(),
                format!(
                    "unknown class `{}`, expected one of: {known}",
                    raw.get_ref()
                ),
            );
            None
        }
    }

    fn provision_ref(&mut self, raw: &S<String>, scope: &Scope) -> Option<ProvisionId> {
        let id = self.id(raw, ProvisionId::new)?;
        if scope.provisions.contains(&id) {
            Some(id)
        } else {
            self.error(
                &raw.span(),
                format!(
                    "unknown provision `{id}`, expected the id of a provision of this agreement"
                ),
            );
            None
        }
    }

    fn date(&mut self, raw: &S<Datetime>) -> Option<Date> {
        let dt = raw.get_ref();
        match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => match Date::new(d.year as i16, d.month as i8, d.day as i8) {
                Ok(date) => Some(date),
                Err(e) => {
                    self.error(&raw.span(), format!("invalid date: {e}"));
                    None
                }
            },
            _ => {
                self.error(
                    &raw.span(),
                    format!("expected a date such as 2011-02-05, found `{dt}`"),
                );
                None
            }
        }
    }

    fn month_day(&mut self, raw: &S<String>) -> Option<MonthDay> {
        let text = raw.get_ref();
        let parsed = text.split_once('-').and_then(|(m, d)| {
            let month = m.parse::<i8>().ok()?;
            let day = d.parse::<i8>().ok()?;
            // A day that exists in every year (2001 is not a leap year).
            Date::new(2001, month, day).ok()?;
            (m.len() == 2 && d.len() == 2).then_some(MonthDay { month, day })
        });
        if parsed.is_none() {
            self.error(
                &raw.span(),
                format!(
                    "expected a day of the year as \"MM-DD\" (such as \"03-01\"), found {text:?}"
                ),
            );
        }
        parsed
    }

    fn count(&mut self, raw: &S<i64>, what: &str) -> Option<u64> {
        let v = *raw.get_ref();
        if v < 0 {
            self.error(
                &raw.span(),
                format!("{what} must not be negative, found {v}; expected a count of 0 or more"),
            );
            None
        } else {
            Some(v as u64)
        }
    }

    fn small(&mut self, raw: &S<i64>, what: &str) -> Option<u32> {
        let v = self.count(raw, what)?;
        match u32::try_from(v) {
            Ok(v) => Some(v),
            Err(_) => {
                self.error(&raw.span(), format!("{what} is too large: {v}"));
                None
            }
        }
    }

    fn small_opt(&mut self, raw: &Option<S<i64>>, what: &str) -> Option<u32> {
        raw.as_ref().and_then(|r| self.small(r, what))
    }

    fn word<T>(&mut self, raw: &S<String>, what: &str, words: &[(&str, T)]) -> Option<T>
    where
        T: Copy,
    {
        match words.iter().find(|(w, _)| *w == raw.get_ref().as_str()) {
            Some((_, v)) => Some(*v),
            None => {
                let expected: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
                self.error(
                    &raw.span(),
                    format!(
                        "unknown {what} `{}`, expected one of: {}",
                        raw.get_ref(),
                        expected.join(", ")
                    ),
                );
                None
            }
        }
    }

    fn activity_kind(&mut self, raw: &S<String>) -> Option<ActivityKind> {
        self.word(raw, "activity kind", ACTIVITY_KINDS)
    }

    fn agreement(&mut self, raw: RawAgreement) -> Agreement {
        let id = self.id(&raw.id, AgreementId::new);
        let binding = self.word(
            &raw.binding,
            "binding",
            &[
                ("legal", BindingNature::Legal),
                ("political", BindingNature::Political),
                ("proposal", BindingNature::Proposal),
            ],
        );
        let parties = self.parties(&raw.parties, None);
        if raw.parties.is_empty() {
            self.error(
                &raw.id.span(),
                "an agreement needs at least one party in `parties`",
            );
        }
        let zones = self.zones(&raw.zones, None);
        let history = self.history(&raw.history);

        let mut classes = Vec::new();
        for c in &raw.class {
            if classes.iter().any(|k: &Class| &k.id == c.id.get_ref()) {
                self.error(
                    &c.id.span(),
                    format!("duplicate class id `{}`", c.id.get_ref()),
                );
                continue;
            }
            if let Some(class) = self.class(c) {
                classes.push(class);
            }
        }

        // Provision ids first, so that references can point forwards.
        let mut ids: Vec<(ProvisionId, Range<usize>)> = Vec::new();
        for p in &raw.provision {
            let Some(pid) = self.id(&p.get_ref().id, ProvisionId::new) else {
                continue;
            };
            if let Some((_, first)) = ids.iter().find(|(q, _)| q == &pid) {
                let (line, column) = line_column(self.text, first.start);
                self.error(
                    &p.get_ref().id.span(),
                    format!(
                        "duplicate provision id `{pid}` (first defined at line {line}, column {column}); \
                         expected ids unique within the agreement"
                    ),
                );
                continue;
            }
            ids.push((pid, p.get_ref().id.span()));
        }
        let scope = Scope {
            parties: parties.clone(),
            zones: zones.clone(),
            classes: classes.iter().map(|c| c.id.clone()).collect(),
            provisions: ids.iter().map(|(p, _)| p.clone()).collect(),
        };

        let mut provisions = Vec::new();
        let mut seen = Vec::new();
        for p in &raw.provision {
            let pid = p.get_ref().id.get_ref();
            if seen.contains(pid) {
                continue;
            }
            seen.push(pid.clone());
            if let Some(provision) = self.provision(p, &scope) {
                provisions.push(provision);
            }
        }

        Agreement {
            id: id
                .unwrap_or_else(|| AgreementId::new("invalid").unwrap_or_else(|_| unreachable!())),
            title: raw.title,
            citation: raw.citation,
            sources: raw.sources,
            binding: binding.unwrap_or(BindingNature::Proposal),
            parties,
            zones,
            history,
            classes,
            provisions,
            notes: raw.notes,
            defines: raw.define.map(|d| d.into_inner()).unwrap_or_default(),
        }
    }

    fn history(&mut self, raw: &S<Vec<RawStatus>>) -> Vec<StatusChange> {
        if raw.get_ref().is_empty() {
            self.error(
                &raw.span(),
                "`history` is empty, expected at least one [[history]] entry (such as status = \"proposed\")",
            );
        }
        let mut out: Vec<StatusChange> = Vec::new();
        for entry in raw.get_ref() {
            let status = self.word(&entry.status, "status", STATUSES);
            let date = self.date(&entry.date);
            let by = self.parties(&entry.by, None);
            let (Some(status), Some(date)) = (status, date) else {
                continue;
            };
            if let Some(prev) = out.last()
                && date < prev.date
            {
                self.error(
                    &entry.date.span(),
                    format!(
                        "dates out of order: {status} on {date} comes after {} on {}; \
                         expected [[history]] entries in date order",
                        prev.status, prev.date
                    ),
                );
            }
            out.push(StatusChange {
                status,
                date,
                by,
                note: entry.note.clone(),
            });
        }
        out
    }

    fn class(&mut self, raw: &RawClass) -> Option<Class> {
        let categories = self.categories(&raw.categories);
        if raw.categories.is_empty() {
            self.error(
                &raw.id.span(),
                "a class needs at least one category in `categories`",
            );
        }
        let launch = match &raw.launch {
            Some(l) => Some(self.word(
                l,
                "launch mode",
                &[
                    ("ground", LaunchMode::Ground),
                    ("sea", LaunchMode::Sea),
                    ("air", LaunchMode::Air),
                ],
            )?),
            None => None,
        };
        let mut types = Vec::new();
        for t in &raw.types {
            types.push(self.word(
                t,
                "missile type",
                &[
                    ("ballistic", MissileType::Ballistic),
                    ("cruise", MissileType::Cruise),
                ],
            )?);
        }
        let range_km = match &raw.range_km {
            Some(r) => {
                let (low, min_exclusive) = match (&r.get_ref().min, &r.get_ref().over) {
                    (Some(m), None) => (self.small(m, "range_km.min"), false),
                    (None, Some(o)) => (self.small(o, "range_km.over"), true),
                    _ => {
                        self.error(
                            &r.span(),
                            "range_km needs exactly one lower bound: `min` (inclusive) or `over` (exclusive, for \"in excess of\")",
                        );
                        return None;
                    }
                };
                let max = self.small(&r.get_ref().max, "range_km.max");
                let (min, max) = (low?, max?);
                if min > max || (min_exclusive && min == max) {
                    self.error(
                        &r.span(),
                        format!("the range_km band from {min} to {max} is empty, expected a lower bound below max"),
                    );
                    return None;
                }
                Some(RangeKm {
                    min,
                    min_exclusive,
                    max,
                })
            }
            None => None,
        };
        Some(Class {
            id: raw.id.get_ref().clone(),
            name: raw.name.clone(),
            categories,
            launch,
            types,
            range_km,
            permanent_only: raw.permanent_only,
            description: raw.description.clone(),
        })
    }

    fn provision(&mut self, raw: &S<RawProvision>, scope: &Scope) -> Option<Provision> {
        let span = raw.span();
        let raw = raw.get_ref();
        let id = ProvisionId::new(raw.id.get_ref()).ok()?;
        if raw.cite.get_ref().trim().is_empty() {
            self.error(
                &raw.cite.span(),
                "`cite` is empty, expected the article, chapter or paragraph (such as \"Article II.1(b)\")",
            );
        }
        let applies_to = match &raw.applies_to {
            Some(list) => {
                if list.is_empty() {
                    self.error(
                        &raw.id.span(),
                        "`applies_to` is empty, expected at least one party",
                    );
                }
                self.parties(list, Some(scope))
            }
            None => scope.parties.clone(),
        };
        let binds_from = raw.binds_from.as_ref().and_then(|d| self.date(d));
        let condition = raw.condition.as_ref().and_then(|c| self.condition(c));
        let reciprocity = raw.reciprocity.as_ref().and_then(|r| {
            let provision = self.provision_ref(&r.provision, scope)?;
            if provision == id {
                self.error(
                    &r.provision.span(),
                    "a provision cannot be reciprocal to itself",
                );
                return None;
            }
            Some(Reciprocity {
                provision,
                note: r.note.clone(),
            })
        });

        let mut bodies: Vec<Option<ProvisionBody>> = Vec::new();
        let mut kinds = Vec::new();
        if let Some(b) = &raw.limit {
            kinds.push("limit");
            bodies.push(self.limit(b).map(ProvisionBody::Limit));
        }
        if let Some(b) = &raw.zone_prohibition {
            kinds.push("zone_prohibition");
            bodies.push(
                self.zone_prohibition(b, scope, &applies_to)
                    .map(ProvisionBody::ZoneProhibition),
            );
        }
        if let Some(b) = &raw.class_ban {
            kinds.push("class_ban");
            bodies.push(self.class_ban(b, scope).map(ProvisionBody::ClassBan));
        }
        if let Some(b) = &raw.notification {
            kinds.push("notification");
            bodies.push(self.notification(b, scope).map(ProvisionBody::Notification));
        }
        if let Some(b) = &raw.observation {
            kinds.push("observation");
            bodies.push(self.observation(b, scope).map(ProvisionBody::Observation));
        }
        if let Some(b) = &raw.annual_calendar {
            kinds.push("annual_calendar");
            let b = b.get_ref();
            let due = self.month_day(&b.due);
            let of = b.of.as_ref().and_then(|o| self.provision_ref(o, scope));
            bodies.push(due.map(|due| ProvisionBody::AnnualCalendar(AnnualCalendar { due, of })));
        }
        if let Some(b) = &raw.constraint {
            kinds.push("constraint");
            bodies.push(self.constraint(b).map(ProvisionBody::Constraint));
        }
        if let Some(b) = &raw.risk_reduction {
            kinds.push("risk_reduction");
            let r = b.get_ref();
            let reply = self.small(&r.reply_within_hours, "reply_within_hours");
            let meeting = self.small_opt(&r.meeting_within_hours, "meeting_within_hours");
            bodies.push(reply.map(|reply_within_hours| {
                ProvisionBody::RiskReduction(RiskReduction {
                    subject: r.subject.clone(),
                    request: r.request.clone(),
                    reply_within_hours,
                    meeting_within_hours: meeting,
                    meeting_with: r.meeting_with.clone(),
                    escalation: r.escalation.clone(),
                })
            }));
        }
        if let Some(b) = &raw.quota {
            kinds.push("quota");
            bodies.push(self.quota(b).map(ProvisionBody::Quota));
        }
        if let Some(b) = &raw.visit {
            kinds.push("visit");
            bodies.push(self.visit(b, scope).map(ProvisionBody::Visit));
        }
        if let Some(b) = &raw.data_exchange {
            kinds.push("data_exchange");
            bodies.push(self.data_exchange(b).map(ProvisionBody::DataExchange));
        }
        if let Some(b) = &raw.event_notification {
            kinds.push("event_notification");
            bodies.push(
                self.event_notification(b)
                    .map(ProvisionBody::EventNotification),
            );
        }
        if let Some(b) = &raw.commitment {
            kinds.push("commitment");
            let text = b.get_ref().text.clone();
            if text.trim().is_empty() {
                self.error(
                    &b.span(),
                    "`text` is empty, expected the undertaking in words",
                );
            }
            bodies.push(Some(ProvisionBody::Commitment(Commitment { text })));
        }
        if kinds.len() != 1 {
            let found = if kinds.is_empty() {
                "none".to_owned()
            } else {
                kinds.join(" and ")
            };
            self.error_at(
                span.start,
                format!(
                    "provision `{id}` must have exactly one kind table, found {found}; expected one of: {KINDS}"
                ),
            );
            return None;
        }
        let body = bodies.pop().flatten()?;
        Some(Provision {
            id,
            cite: raw.cite.get_ref().into(),
            title: raw.title.clone(),
            applies_to,
            binds_from,
            condition,
            reciprocity,
            source: raw.source.clone(),
            notes: raw.notes.clone(),
            body,
        })
    }

    fn condition(&mut self, raw: &S<String>) -> Option<Condition> {
        match Condition::compile(raw.get_ref()) {
            Ok(c) => Some(c),
            Err(e) => {
                let offset = self.offset_in_string(raw, e.line, e.column);
                self.error_at(offset, e.message);
                None
            }
        }
    }

    /// The byte offset in the file of (line, column) within a string literal's contents.
    fn offset_in_string(&self, raw: &S<String>, line: usize, column: usize) -> usize {
        let span = raw.span();
        let literal = self.text.get(span.clone()).unwrap_or("");
        let mut start = span.start;
        if literal.starts_with("\"\"\"") || literal.starts_with("'''") {
            start += 3;
            if self.text[start..].starts_with("\r\n") {
                start += 2;
            } else if self.text[start..].starts_with('\n') {
                start += 1;
            }
        } else if literal.starts_with('"') || literal.starts_with('\'') {
            start += 1;
        }
        let value = raw.get_ref();
        let mut offset = 0;
        for (i, l) in value.split('\n').enumerate() {
            if i + 1 == line {
                let col: usize = l
                    .char_indices()
                    .nth(column.saturating_sub(1))
                    .map(|(b, _)| b)
                    .unwrap_or(l.len());
                offset += col;
                break;
            }
            offset += l.len() + 1;
        }
        (start + offset).min(span.end)
    }

    fn term(&mut self, raw: &RawTerm) -> Option<CountingTerm> {
        let category = self.category(&raw.category);
        let status = self.word(
            &raw.status,
            "status",
            &[
                ("deployed", CountStatus::Deployed),
                ("non_deployed", CountStatus::NonDeployed),
                ("any", CountStatus::Any),
            ],
        );
        let weight = match &raw.weight {
            Some(w) => self.small(w, "weight")?,
            None => 1,
        };
        Some(CountingTerm {
            category: category?,
            status: status?,
            weight,
        })
    }

    fn limit(&mut self, raw: &S<RawLimit>) -> Option<Limit> {
        let span = raw.span();
        let r = raw.get_ref();
        let unit = match &r.unit {
            Some(u) if !u.get_ref().trim().is_empty() => Some(u.get_ref().clone()),
            Some(u) => {
                self.error(
                    &u.span(),
                    "`unit` is empty, expected the unit counted (such as \"warheads\")",
                );
                None
            }
            None => {
                self.error(
                    &span,
                    "limit without a unit: expected a `unit` field (such as unit = \"warheads\")",
                );
                None
            }
        };
        let max = self.count(&r.max, "max");
        let counts: Vec<Option<CountingTerm>> = r.counts.iter().map(|t| self.term(t)).collect();
        if r.counts.is_empty() {
            self.error(
                &span,
                "a limit needs at least one counting term in `counts`",
            );
        }
        let aggregate = match &r.aggregate {
            Some(a) => Some(self.term(a)?),
            None => None,
        };
        let counts: Option<Vec<CountingTerm>> = counts.into_iter().collect();
        Some(Limit {
            name: r.name.clone(),
            unit: unit?,
            max: max?,
            counts: counts?,
            aggregate,
        })
    }

    fn zone_prohibition(
        &mut self,
        raw: &S<RawZoneProhibition>,
        scope: &Scope,
        applies_to: &[PartyId],
    ) -> Option<ZoneProhibition> {
        let r = raw.get_ref();
        let zones = self.zones(&r.zones, Some(scope));
        if r.zones.is_empty() {
            self.error(
                &raw.span(),
                "a zone prohibition needs at least one zone in `zones`",
            );
        }
        let categories = self.categories(&r.categories);
        let classes: Vec<String> = r
            .classes
            .iter()
            .filter_map(|c| self.class_ref(c, scope))
            .collect();
        if r.categories.is_empty() && r.classes.is_empty() {
            self.error(
                &raw.span(),
                "a zone prohibition needs something forbidden: `categories` or `classes`",
            );
        }
        let bound = match &r.bound {
            Some(b) => self.parties(b, Some(scope)),
            None => applies_to.to_vec(),
        };
        if r.reciprocal && bound.len() < 2 {
            self.error(
                &raw.span(),
                "a reciprocal prohibition must bind at least two parties (`bound`)",
            );
        }
        if r.without_host_consent {
            let vocabulary = self.vocabulary;
            for (raw_zone, zone) in r.zones.iter().zip(&zones) {
                if vocabulary.host_of(zone).is_none() {
                    self.error(
                        &raw_zone.span(),
                        format!("zone `{zone}` has no host state in the vocabulary, so `without_host_consent` cannot apply to it; expected a zone with `host`"),
                    );
                }
            }
        }
        Some(ZoneProhibition {
            zones,
            categories,
            classes,
            reciprocal: r.reciprocal,
            bound,
            without_host_consent: r.without_host_consent,
        })
    }

    fn class_ban(&mut self, raw: &S<RawClassBan>, scope: &Scope) -> Option<ClassBan> {
        let r = raw.get_ref();
        if r.classes.is_empty() {
            self.error(
                &raw.span(),
                "a class ban needs at least one class in `classes`",
            );
        }
        let classes: Vec<String> = r
            .classes
            .iter()
            .filter_map(|c| self.class_ref(c, scope))
            .collect();
        let mut prohibits = Vec::new();
        for p in &r.prohibits {
            prohibits.push(self.word(
                p,
                "banned activity",
                &[
                    ("possess", BannedActivity::Possess),
                    ("produce", BannedActivity::Produce),
                    ("flight_test", BannedActivity::FlightTest),
                    ("deploy", BannedActivity::Deploy),
                ],
            )?);
        }
        if prohibits.is_empty() {
            prohibits.push(BannedActivity::Possess);
        }
        Some(ClassBan { classes, prohibits })
    }

    fn thresholds(&mut self, raw: &[RawThreshold]) -> Option<Vec<Threshold>> {
        let mut out = Vec::new();
        let mut ok = true;
        for t in raw {
            let category = self.category(&t.category);
            let at_least = self.count(&t.at_least, "threshold `at_least`");
            match (category, at_least) {
                (Some(category), Some(at_least)) => out.push(Threshold {
                    category,
                    at_least,
                    cite: t.cite.clone(),
                }),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn ceilings(&mut self, raw: &[RawCeiling]) -> Option<Vec<Ceiling>> {
        let mut out = Vec::new();
        let mut ok = true;
        for t in raw {
            let category = self.category(&t.category);
            let at_most = self.count(&t.at_most, "ceiling `at_most`");
            match (category, at_most) {
                (Some(category), Some(at_most)) => out.push(Ceiling { category, at_most }),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn exemptions(&mut self, raw: &[S<RawExemption>]) -> Option<Vec<Exemption>> {
        let mut out = Vec::new();
        for e in raw {
            let r = e.get_ref();
            let kind = self.activity_kind(&r.activity_kind)?;
            let rule = match (r.notify_at_start, &r.only_if_longer_than_hours) {
                (true, None) => ExemptionRule::NotifyAtStart,
                (false, Some(h)) => ExemptionRule::OnlyIfLongerThan {
                    hours: self.small(h, "only_if_longer_than_hours")?,
                },
                _ => {
                    self.error(
                        &e.span(),
                        "an exemption needs exactly one rule: `notify_at_start = true` or `only_if_longer_than_hours = N`",
                    );
                    return None;
                }
            };
            out.push(Exemption {
                activity_kind: kind,
                rule,
                cite: r.cite.clone(),
            });
        }
        Some(out)
    }

    fn activity_kinds(&mut self, raw: &[S<String>]) -> Vec<ActivityKind> {
        raw.iter().filter_map(|k| self.activity_kind(k)).collect()
    }

    fn notification(&mut self, raw: &S<RawNotification>, scope: &Scope) -> Option<Notification> {
        let r = raw.get_ref();
        let lead = self.small(&r.lead_time_days, "lead_time_days");
        if r.thresholds.get_ref().is_empty() {
            self.error(
                &r.thresholds.span(),
                "`thresholds` is empty, expected at least one threshold",
            );
        }
        let thresholds = self.thresholds(r.thresholds.get_ref());
        let activity_kinds = self.activity_kinds(&r.activity_kinds);
        let zones = self.zones(&r.zones, Some(scope));
        let exemptions = self.exemptions(&r.exemptions);
        let components = self.thresholds(&r.components);
        Some(Notification {
            lead_time_days: lead?,
            thresholds: thresholds?,
            activity_kinds,
            zones,
            exemptions: exemptions?,
            components: components?,
        })
    }

    fn observation(&mut self, raw: &S<RawObservation>, scope: &Scope) -> Option<Observation> {
        let r = raw.get_ref();
        if r.thresholds.get_ref().is_empty() {
            self.error(
                &r.thresholds.span(),
                "`thresholds` is empty, expected at least one threshold",
            );
        }
        let thresholds = self.thresholds(r.thresholds.get_ref());
        let activity_kinds = self.activity_kinds(&r.activity_kinds);
        let zones = self.zones(&r.zones, Some(scope));
        let exemptions = self.exemptions(&r.exemptions);
        Some(Observation {
            thresholds: thresholds?,
            activity_kinds,
            zones,
            exemptions: exemptions?,
        })
    }

    fn constraint(&mut self, raw: &S<RawConstraint>) -> Option<Constraint> {
        let r = raw.get_ref();
        if r.above.get_ref().is_empty() {
            self.error(
                &r.above.span(),
                "`above` is empty, expected at least one threshold",
            );
        }
        let above = self.thresholds(r.above.get_ref());
        let up_to = self.ceilings(&r.up_to);
        let max_activities = self.small_opt(&r.max_activities, "max_activities");
        let years = self.small_opt(&r.years, "years");
        let period = match r.period.get_ref().as_str() {
            "calendar_years" => Some(Period::CalendarYears(years.unwrap_or(1).max(1))),
            "simultaneous" => {
                if let Some(y) = &r.years {
                    self.error(
                        &y.span(),
                        "`years` applies only to period = \"calendar_years\"",
                    );
                }
                Some(Period::Simultaneous)
            }
            other => {
                self.error(
                    &r.period.span(),
                    format!(
                        "unknown period `{other}`, expected one of: calendar_years, simultaneous"
                    ),
                );
                None
            }
        };
        if r.max_activities.is_none() && !r.requires_calendar {
            self.error(
                &raw.span(),
                "a constraint needs `max_activities` or `requires_calendar = true`",
            );
        }
        Some(Constraint {
            above: above?,
            up_to: up_to?,
            max_activities,
            period: period?,
            requires_calendar: r.requires_calendar,
        })
    }

    fn quota(&mut self, raw: &S<RawQuota>) -> Option<Quota> {
        let r = raw.get_ref();
        let activity = self.word(
            &r.activity,
            "quota activity",
            &[
                ("inspection", QuotaActivity::Inspection),
                ("evaluation_visit", QuotaActivity::EvaluationVisit),
                ("transparency_visit", QuotaActivity::TransparencyVisit),
            ],
        );
        let per_year = self.small_opt(&r.per_year, "per_year");
        let per_units = self.small_opt(&r.per_units, "per_units");
        let max_per_year = self.small_opt(&r.max_per_year, "max_per_year");
        let per_inspecting_party = self.small_opt(&r.per_inspecting_party, "per_inspecting_party");
        let max_percent =
            self.small_opt(&r.max_percent_from_one_party, "max_percent_from_one_party");
        let at_a_time = self.small_opt(&r.at_a_time, "at_a_time");
        let units_category = r.units_category.as_ref().and_then(|c| self.category(c));
        if let (Some(u), None) = (&r.units_category, &r.per_units) {
            self.error(
                &u.span(),
                "`units_category` applies only to a quota with `per_units`",
            );
        }
        let per_site_per_year = self.small_opt(&r.per_site_per_year, "per_site_per_year");
        let per_site_from_one_party =
            self.small_opt(&r.per_site_from_one_party, "per_site_from_one_party");
        if let (Some(0), Some(raw_t)) = (at_a_time, &r.at_a_time) {
            self.error(&raw_t.span(), "`at_a_time` must be at least 1");
        }
        if r.per_year.is_none() && r.per_units.is_none() {
            self.error(&raw.span(), "a quota needs `per_year` or `per_units`");
        }
        if let (Some(p), Some(raw_p)) = (max_percent, &r.max_percent_from_one_party)
            && p > 100
        {
            self.error(
                &raw_p.span(),
                format!("a percentage must be 0 to 100, found {p}"),
            );
        }
        if matches!(per_units, Some(0))
            && let Some(u) = &r.per_units
        {
            self.error(&u.span(), "`per_units` must be at least 1");
        }
        let seed_reveal = match &r.seed_reveal {
            None => None,
            Some(raw_rule) => {
                let rule = raw_rule.get_ref();
                let within = self.small(&rule.within_hours, "within_hours");
                if within == Some(0) {
                    self.error(
                        &rule.within_hours.span(),
                        "`within_hours` must be at least 1",
                    );
                }
                let missing = self.word(
                    &rule.missing,
                    "missing seed reveal rule",
                    &[
                        ("honest_seeds", MissingSeedReveal::HonestSeeds),
                        ("free_choice", MissingSeedReveal::FreeChoice),
                    ],
                );
                Some(SeedRevealRule {
                    within_hours: within?,
                    missing: missing?,
                })
            }
        };
        Some(Quota {
            activity: activity?,
            name: r.name.clone(),
            per_year,
            per_units,
            max_per_year,
            per_inspecting_party,
            max_percent_from_one_party: max_percent,
            seed_reveal,
            at_a_time,
            units_category,
            per_site_per_year,
            per_site_from_one_party,
            report_within: self.time_limit(&r.report_within),
        })
    }

    fn time_limit(&mut self, raw: &Option<S<RawTimeLimit>>) -> Option<TimeLimit> {
        let r = raw.as_ref()?.get_ref();
        if r.cite.as_deref().is_some_and(|c| c.trim().is_empty()) {
            self.error(
                &raw.as_ref()?.span(),
                "`cite` is empty, expected the paragraph that sets the time limit",
            );
        }
        Some(TimeLimit {
            days: self.small(&r.days, "days")?,
            cite: r.cite.clone(),
        })
    }

    fn visit(&mut self, raw: &S<RawVisit>, scope: &Scope) -> Option<Visit> {
        let r = raw.get_ref();
        let hosts = self.parties(&r.hosts, Some(scope));
        let visitors = self.parties(&r.visitors, Some(scope));
        let zones = self.zones(&r.zones, Some(scope));
        let sites = self.small_opt(&r.sites, "sites");
        let chosen_by = r
            .chosen_by
            .as_ref()
            .and_then(|c| self.party(c, Some(scope)));
        let confirm: Vec<String> = r
            .confirm_absence_of
            .iter()
            .filter_map(|c| self.class_ref(c, scope))
            .collect();
        if r.hosts.is_empty() || r.visitors.is_empty() {
            self.error(&raw.span(), "a visit needs `hosts` and `visitors`");
        }
        Some(Visit {
            hosts,
            visitors,
            zones,
            sites,
            chosen_by,
            confirm_absence_of: confirm,
            purpose: r.purpose.clone(),
            report_within: self.time_limit(&r.report_within),
        })
    }

    fn data_exchange(&mut self, raw: &S<RawDataExchange>) -> Option<DataExchange> {
        let r = raw.get_ref();
        let as_of: Vec<Option<MonthDay>> = r.as_of.iter().map(|d| self.month_day(d)).collect();
        if r.as_of.is_empty() {
            self.error(
                &raw.span(),
                "`as_of` is empty, expected at least one day such as \"03-01\"",
            );
        }
        let due = r.due.as_ref().and_then(|d| self.month_day(d));
        let due_days = self.small_opt(&r.due_days_after_period, "due_days_after_period");
        if let (Some(_), Some(days)) = (&r.due, &r.due_days_after_period) {
            self.error(
                &days.span(),
                "an exchange has one deadline rule: `due` (a fixed day) or `due_days_after_period`, not both",
            );
        }
        let initial = self.small_opt(&r.initial_within_days, "initial_within_days");
        let categories = self.categories(&r.categories);
        let as_of: Option<Vec<MonthDay>> = as_of.into_iter().collect();
        Some(DataExchange {
            as_of: as_of?,
            due,
            due_days_after_period: due_days,
            initial_within_days: initial,
            categories,
            content: r.content.clone(),
        })
    }
}

impl Cx<'_> {
    fn event_notification(&mut self, raw: &S<RawEventNotification>) -> Option<EventNotification> {
        let r = raw.get_ref();
        if r.events.get_ref().is_empty() {
            self.error(
                &r.events.span(),
                "`events` is empty, expected at least one event such as \"change_in_data\"",
            );
        }
        let events: Vec<Option<EventKind>> = r
            .events
            .get_ref()
            .iter()
            .map(|e| self.word(e, "event", EVENT_KINDS))
            .collect();
        let after = self.small_opt(&r.within_days_after, "within_days_after");
        let before = self.small_opt(&r.hours_before, "hours_before");
        if r.within_days_after.is_some() == r.hours_before.is_some() {
            self.error(
                &raw.span(),
                "an event notification needs exactly one time limit: `within_days_after` or `hours_before`",
            );
            return None;
        }
        let events: Option<Vec<EventKind>> = events.into_iter().collect();
        Some(EventNotification {
            events: events?,
            within_days_after: after,
            hours_before: before,
        })
    }
}

const EVENT_KINDS: &[(&str, EventKind)] = &[
    ("change_in_data", EventKind::ChangeInData),
    ("conversion", EventKind::Conversion),
    ("elimination", EventKind::Elimination),
    ("icbm_launch", EventKind::IcbmLaunch),
    ("slbm_launch", EventKind::SlbmLaunch),
];

const STATUSES: &[(&str, Status)] = &[
    ("proposed", Status::Proposed),
    ("signed", Status::Signed),
    ("in_force", Status::InForce),
    ("extended", Status::Extended),
    ("suspended", Status::Suspended),
    ("expired", Status::Expired),
    ("terminated", Status::Terminated),
];

const ACTIVITY_KINDS: &[(&str, ActivityKind)] = &[
    ("exercise", ActivityKind::Exercise),
    ("concentration", ActivityKind::Concentration),
    ("transfer", ActivityKind::Transfer),
    ("alert_activity", ActivityKind::AlertActivity),
    ("deployment", ActivityKind::Deployment),
];

fn join<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
