//! Plain-language summaries of provisions: what each demands, of whom, from when.

use std::fmt::Write as _;

use accord_model::PartyId;

use crate::schema::*;

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(|i| i.to_string()).collect();
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn either<T: std::fmt::Display>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(|i| i.to_string()).collect();
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} or {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn thresholds(ts: &[Threshold]) -> String {
    let parts: Vec<String> = ts
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                group(t.at_least),
                t.category.as_str().replace('_', " ")
            )
        })
        .collect();
    either(&parts)
}

/// Writes a count with thousands separators (1550 as "1,550").
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn term(t: &CountingTerm) -> String {
    let status = match t.status {
        CountStatus::Deployed => "deployed ",
        CountStatus::NonDeployed => "non-deployed ",
        CountStatus::Any => "",
    };
    let weight = if t.weight == 1 {
        String::new()
    } else {
        format!(" x{}", t.weight)
    };
    format!("{status}{}{weight}", t.category)
}

fn exemptions(es: &[Exemption]) -> String {
    let mut out = String::new();
    for e in es {
        let kind = serde_json::to_value(e.activity_kind)
            .ok()
            .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
            .unwrap_or_default();
        let rule = match &e.rule {
            ExemptionRule::NotifyAtStart => {
                "are notified when the troops start them instead".to_owned()
            }
            ExemptionRule::OnlyIfLongerThan { hours } => {
                format!("are covered only if they last longer than {hours} hours")
            }
        };
        let cite = e
            .cite
            .as_ref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        let kinds = match kind.strip_suffix('y') {
            Some(stem) => format!("{stem}ies"),
            None => format!("{kind}s"),
        };
        let _ = write!(out, " Exemption: {kinds} {rule}{cite}.");
    }
    out
}

/// When an inspection or visit must be over and reported, or that the file sets no time.
fn report_within(limit: Option<&TimeLimit>) -> String {
    match limit {
        Some(t) => {
            let cite = t
                .cite
                .as_ref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let days = match t.days {
                0 => "by the end of the requested day".to_owned(),
                1 => "within 1 day of the requested date".to_owned(),
                n => format!("within {n} days of the requested date"),
            };
            format!(" Each accepted one is over and reported {days}{cite}.")
        }
        None => {
            " No time limit for its report is encoded: an unreported one stays open.".to_owned()
        }
    }
}

/// One paragraph saying what a provision demands, of whom and from when.
pub fn describe(agreement: &Agreement, provision: &Provision) -> String {
    let whom: &[PartyId] = &provision.applies_to;
    let each = if whom.len() > 1 {
        format!("Each of {}", list(whom))
    } else {
        list(whom)
    };
    let mut s = match &provision.body {
        ProvisionBody::Limit(l) => {
            let terms: Vec<String> = l.counts.iter().map(term).collect();
            let mut s = format!(
                "{each} must hold no more than {} {} of {}, counting {}.",
                group(l.max),
                l.unit,
                l.name,
                list(&terms)
            );
            if let Some(a) = &l.aggregate {
                let _ = write!(
                    s,
                    " A declared total under `{}` stands for the count.",
                    a.category
                );
            }
            s
        }
        ProvisionBody::ZoneProhibition(z) => {
            let mut forbidden: Vec<String> = z
                .categories
                .iter()
                .map(|c| c.as_str().replace('_', " "))
                .collect();
            forbidden.extend(z.classes.iter().map(|c| class_name(agreement, c)));
            let zones: Vec<String> = z.zones.iter().map(|z| z.to_string()).collect();
            format!(
                "{} must not have {} in {}{}{}.",
                list(&z.bound),
                either(&forbidden),
                list(&zones),
                if z.without_host_consent {
                    " without the consent of the host state"
                } else {
                    ""
                },
                if z.reciprocal {
                    " (a reciprocal commitment)"
                } else {
                    " (a one-sided commitment)"
                }
            )
        }
        ProvisionBody::ClassBan(b) => {
            let names: Vec<String> = b.classes.iter().map(|c| class_name(agreement, c)).collect();
            let what: Vec<String> = b
                .prohibits
                .iter()
                .map(|p| match p {
                    BannedActivity::Possess => "possess",
                    BannedActivity::Produce => "produce",
                    BannedActivity::FlightTest => "flight-test",
                    BannedActivity::Deploy => "deploy",
                })
                .map(str::to_owned)
                .collect();
            format!("{each} must not {} {}.", either(&what), list(&names))
        }
        ProvisionBody::Notification(n) => {
            let mut s = format!(
                "{each} must notify, at least {} days before it starts, any activity{} with {} or more.{}",
                n.lead_time_days,
                zones_phrase(&n.zones),
                thresholds(&n.thresholds),
                exemptions(&n.exemptions)
            );
            if !n.components.is_empty() {
                let _ = write!(
                    s,
                    " The notification includes any component of {} or more.",
                    thresholds(&n.components)
                );
            }
            s
        }
        ProvisionBody::Observation(o) => format!(
            "{each} must invite observers to any activity{} with {} or more.{}",
            zones_phrase(&o.zones),
            thresholds(&o.thresholds),
            exemptions(&o.exemptions)
        ),
        ProvisionBody::AnnualCalendar(c) => format!(
            "{each} must exchange, by {} each year, a calendar of its {}activities planned for the next year.",
            month_day(c.due),
            c.of.as_ref()
                .map(|p| format!("notifiable ({p}) "))
                .unwrap_or_default()
        ),
        ProvisionBody::Constraint(c) => {
            let period = match c.period {
                Period::CalendarYears(1) => "per calendar year".to_owned(),
                Period::CalendarYears(n) => format!("within {n} calendar years"),
                Period::Simultaneous => "at the same time".to_owned(),
            };
            let upto = if c.up_to.is_empty() {
                String::new()
            } else {
                let parts: Vec<String> = c
                    .up_to
                    .iter()
                    .map(|t| {
                        format!(
                            "{} {}",
                            group(t.at_most),
                            t.category.as_str().replace('_', " ")
                        )
                    })
                    .collect();
                format!(" (up to {})", list(&parts))
            };
            let mut s = String::new();
            if let Some(max) = c.max_activities {
                let _ = write!(
                    s,
                    "{each} may hold at most {max} {} {period} with {} or more{upto}.",
                    if max == 1 { "activity" } else { "activities" },
                    thresholds(&c.above)
                );
            }
            if c.requires_calendar {
                if !s.is_empty() {
                    s.push(' ');
                }
                let _ = write!(
                    s,
                    "{each} may hold an activity with {} or more only if it was in its annual calendar.",
                    thresholds(&c.above)
                );
            }
            s
        }
        ProvisionBody::RiskReduction(r) => {
            let mut s = format!(
                "On a request for explanation about {}, the requested state must reply within {} hours.",
                lowercase_first(&r.subject),
                r.reply_within_hours
            );
            if let Some(h) = r.meeting_within_hours {
                let _ = write!(
                    s,
                    " If the reply is absent or insufficient, a meeting{} may be requested, to be held within {h} hours.",
                    r.meeting_with
                        .as_ref()
                        .map(|m| format!(" with {m}"))
                        .unwrap_or_default()
                );
            }
            if let Some(e) = &r.escalation {
                let _ = write!(s, " Then: {e}.");
            }
            s
        }
        ProvisionBody::Quota(q) => {
            let what = match q.activity {
                QuotaActivity::Inspection => "inspections",
                QuotaActivity::EvaluationVisit => "evaluation visits",
                QuotaActivity::TransparencyVisit => "transparency visits",
            };
            let name = q
                .name
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let mut s = match (q.per_year, q.per_units) {
                (Some(n), _) => {
                    format!("{each} must accept up to {n} {what}{name} per calendar year")
                }
                (None, Some(u)) => format!(
                    "{each} must accept one of its {what}{name} per calendar year for every {u} reported {} or fraction thereof",
                    q.units_category
                        .as_ref()
                        .map(|c| c.as_str().replace('_', " "))
                        .unwrap_or_else(|| "units".to_owned())
                ),
                _ => format!("{each} must accept {what}{name}"),
            };
            if let Some(m) = q.max_per_year {
                let _ = write!(s, ", at most {m} a year");
            }
            if let Some(p) = q.per_inspecting_party {
                let _ = write!(s, ", at most {p} a year from the same inspecting party");
            }
            if let Some(p) = q.max_percent_from_one_party {
                let _ = write!(s, ", at most {p}% of the quota from one party");
            }
            if let Some(n) = q.at_a_time {
                let _ = write!(s, ", at most {n} at a time");
            }
            if let Some(n) = q.per_site_per_year {
                let _ = write!(s, ", at most {n} a year at one site or unit");
            }
            if let Some(n) = q.per_site_from_one_party {
                let _ = write!(
                    s,
                    ", at most {n} a year at one site or unit by the same party"
                );
            }
            s.push('.');
            s.push_str(&report_within(q.report_within.as_ref()));
            s
        }
        ProvisionBody::Visit(v) => {
            let zones: Vec<String> = v.zones.iter().map(|z| z.to_string()).collect();
            let mut s = format!(
                "{} must host visits by {} in {}",
                list(&v.hosts),
                list(&v.visitors),
                list(&zones)
            );
            if let Some(n) = v.sites {
                let _ = write!(s, " at {n} sites");
            }
            if let Some(c) = &v.chosen_by {
                let _ = write!(s, " chosen by {c}");
            }
            let _ = write!(s, ": {}.", v.purpose.trim_end_matches('.'));
            s.push_str(&report_within(v.report_within.as_ref()));
            s
        }
        ProvisionBody::DataExchange(x) => {
            let as_of: Vec<String> = x.as_of.iter().map(|m| month_day(*m)).collect();
            let mut s = format!("{each} must exchange data as of {} each year", list(&as_of));
            if let Some(d) = x.due {
                let _ = write!(s, ", due by {}", month_day(d));
            }
            if let Some(n) = x.due_days_after_period {
                let _ = write!(
                    s,
                    ", due no later than {n} days after the period that ends the day before"
                );
            }
            if let Some(n) = x.initial_within_days {
                let _ = write!(
                    s,
                    "; the first exchange within {n} days of entry into force"
                );
            }
            let _ = write!(s, ": {}.", x.content.trim_end_matches('.'));
            s
        }
        ProvisionBody::EventNotification(e) => {
            let events: Vec<String> = e
                .events
                .iter()
                .map(|k| k.as_str().replace('_', " "))
                .collect();
            match (e.within_days_after, e.hours_before) {
                (_, Some(h)) => format!(
                    "{each} must notify each {} at least {h} hours before it.",
                    either(&events)
                ),
                (Some(d), None) => format!(
                    "{each} must notify each {} no later than {d} days after it occurs.",
                    either(&events)
                ),
                (None, None) => format!("{each} must notify each {}.", either(&events)),
            }
        }
        ProvisionBody::Commitment(c) => format!("Undertaking: {}.", c.text.trim_end_matches('.')),
    };
    if let Some(from) = provision.binds_from {
        let _ = write!(s, " Binds from {from}.");
    }
    if let Some(c) = &provision.condition {
        let _ = write!(s, " Applies where `{}`.", c.source());
    }
    if let Some(r) = &provision.reciprocity {
        match &r.note {
            Some(note) => {
                let _ = write!(
                    s,
                    " Reciprocity (`{}`): {}.",
                    r.provision,
                    note.trim_end_matches('.')
                );
            }
            None => {
                let _ = write!(s, " Owed only once `{}` has been honoured.", r.provision);
            }
        }
    }
    s
}

fn zones_phrase(zones: &[accord_model::ZoneId]) -> String {
    if zones.is_empty() {
        String::new()
    } else {
        let z: Vec<String> = zones.iter().map(|z| z.to_string()).collect();
        format!(" in {}", list(&z))
    }
}

fn class_name(agreement: &Agreement, id: &str) -> String {
    agreement
        .classes
        .iter()
        .find(|c| c.id == id)
        .map(|c| lowercase_first(&c.name))
        .unwrap_or_else(|| id.to_owned())
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn month_day(m: MonthDay) -> String {
    let month = accord_messages::format::month(accord_messages::Lang::En, m.month);
    format!("{} {month}", m.day)
}
