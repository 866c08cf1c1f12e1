//! Observations: claims as `accord_model` records, with their source and how far independent
//! reports corroborate them.
//!
//! One observation is made per claim per copy group: copies of a report add nothing; a claim that
//! only a copy carries (a longer version of the same story) is sourced to that copy. Confidence:
//!
//! - `independent_sources`: copy groups (not reports) that carry the same actor, category and
//!   quantity (weights within 1%);
//! - `official_sources`: how many of those attribute it to an official speaker;
//! - `score`: 40 for one source, +15 for each further independent source (up to three), +10 when
//!   the figure is attributed at all, +10 more when an official is quoted, capped at 100.
//!
//! The source's publication date is the report's, else its capture marker, else the first known
//! publication date of its event. Records are deterministic: the id is `osint:<report>:<n>`, the author is the given party, the
//! issue instant is the start of the source's publication day (UTC), so that re-running over the
//! same reports yields byte-identical records.

use accord_model::{
    Area, Attribution, Category, Confidence, Date, Observation, PartyId, Qualifier, Record,
    RecordBody, RecordId, Source, ZoneId,
};
use serde::Serialize;

use crate::claims::{Claim, ClaimQualifier, extract_claims};
use crate::copies::{Copies, group_copies};
use crate::{OsintError, Report};

/// Observations made from a set of reports, and the claims that could not become one.
#[derive(Debug, Clone, Serialize)]
pub struct ObservationSet {
    /// The observation records.
    pub records: Vec<Record>,
    /// Claims left out, with the reason (e.g. no date known for the figure or the report).
    pub skipped: Vec<(Claim, String)>,
}

fn same_figure(a: &Claim, b: &Claim) -> bool {
    a.actor == b.actor
        && a.category == b.category
        && (a.quantity - b.quantity).abs() <= 0.01 * a.quantity.abs().max(b.quantity.abs())
}

/// The party id of an actor code: joint codes "BY+RU" become "BY-RU" (ids allow no `+`).
pub fn party_of(actor: &str) -> Result<PartyId, OsintError> {
    PartyId::new(actor.replace('+', "-"))
        .map_err(|e| OsintError::Gazetteer(format!("actor {actor:?}: {e}")))
}

fn sanitize(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '/') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Turns reports into observation records authored by the party `OSINT`.
pub fn observations(reports: &[Report]) -> ObservationSet {
    let party = PartyId::new("OSINT").expect("a valid party id");
    let claims: Vec<Vec<Claim>> = reports.iter().map(extract_claims).collect();
    let copies = group_copies(reports);
    observations_from(&party, reports, &claims, &copies)
}

/// Turns already extracted claims and copy groups into observation records authored by `party`.
pub fn observations_from(
    party: &PartyId,
    reports: &[Report],
    claims: &[Vec<Claim>],
    copies: &Copies,
) -> ObservationSet {
    // One representative claim per copy group and figure, from the earliest member holding it.
    struct Held<'a> {
        report: usize,
        claim: &'a Claim,
        group: usize,
    }
    let mut held: Vec<Held> = Vec::new();
    for (g, members) in copies.groups.iter().enumerate() {
        for &r in members {
            for c in &claims[r] {
                if !held.iter().any(|h| h.group == g && same_figure(h.claim, c)) {
                    held.push(Held {
                        report: r,
                        claim: c,
                        group: g,
                    });
                }
            }
        }
    }
    let mut out = ObservationSet {
        records: Vec::new(),
        skipped: Vec::new(),
    };
    let mut counter: std::collections::HashMap<usize, usize> = Default::default();
    // An undated report is taken to date from the first known publication of its event.
    let event_first: Vec<Option<Date>> = copies
        .events
        .iter()
        .map(|e| e.iter().filter_map(|&i| reports[i].published).min())
        .collect();
    for h in &held {
        let c = h.claim;
        let report = &reports[h.report];
        let mut groups: Vec<usize> = Vec::new();
        let mut official: Vec<usize> = Vec::new();
        for o in held.iter().filter(|o| same_figure(o.claim, c)) {
            if !groups.contains(&o.group) {
                groups.push(o.group);
            }
            if o.claim.official && !official.contains(&o.group) {
                official.push(o.group);
            }
        }
        let independent = groups.len() as u32;
        let officials = official.len() as u32;
        let mut score = 40 + 15 * (independent.saturating_sub(1)).min(3);
        if c.attributed_to.is_some() {
            score += 10;
        }
        if c.official {
            score += 10;
        }
        let score = score.min(100) as u8;
        let event_date = copies
            .event_of
            .get(h.report)
            .and_then(|&e| event_first.get(e).copied().flatten());
        let Some(published) = report
            .published
            .or(report.captured)
            .or(event_date)
            .or(c.date)
        else {
            out.skipped
                .push((c.clone(), "the report has no known date".into()));
            continue;
        };
        let date: Date = c.date.unwrap_or(published);
        let (quantity, qualifier) = match (c.qualifier, c.quantity_min) {
            (ClaimQualifier::Range, Some(low)) => (
                low.round() as u64,
                Qualifier::Range {
                    high: c.quantity.round() as u64,
                },
            ),
            (q, _) => (
                c.quantity.round() as u64,
                match q {
                    ClaimQualifier::Exactly => Qualifier::Exactly,
                    ClaimQualifier::MoreThan => Qualifier::MoreThan,
                    ClaimQualifier::AtLeast => Qualifier::AtLeast,
                    ClaimQualifier::About => Qualifier::About,
                    ClaimQualifier::UpTo | ClaimQualifier::Range => Qualifier::UpTo,
                },
            ),
        };
        let (Ok(actor), Ok(category)) = (party_of(&c.actor), Category::new(c.category.clone()))
        else {
            out.skipped
                .push((c.clone(), "actor or category is not a valid id".into()));
            continue;
        };
        let n = counter.entry(h.report).or_default();
        *n += 1;
        let Ok(id) = RecordId::new(format!("osint:{}:{}", sanitize(&report.id), n)) else {
            out.skipped
                .push((c.clone(), "report id too long for a record id".into()));
            continue;
        };
        let observation = Observation {
            source: Source {
                url: report
                    .url
                    .clone()
                    .unwrap_or_else(|| format!("report:{}", report.id)),
                outlet: report.outlet.clone().unwrap_or_else(|| "unknown".into()),
                title: report.title.clone().unwrap_or_default(),
                published,
            },
            actor,
            category,
            quantity,
            qualifier,
            area: Area {
                zone: c.zone.as_deref().and_then(|z| ZoneId::new(z).ok()),
                description: c.location.clone().unwrap_or_else(|| "unspecified".into()),
            },
            date,
            attribution: c.attributed_to.as_ref().map(|who| Attribution {
                who: who.clone(),
                official: c.official,
            }),
            text: c.sentence.clone(),
            confidence: Confidence {
                independent_sources: independent,
                official_sources: officials,
                score,
            },
        };
        let issued_at = published
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let record = Record {
            id,
            party: party.clone(),
            issued_at,
            body: RecordBody::Observation(observation),
        };
        match record.validate() {
            Ok(()) => out.records.push(record),
            Err(e) => out.skipped.push((c.clone(), e.to_string())),
        }
    }
    out
}

/// Reads observation records to publish as `party` from JSON lines (one record per line, as
/// `accord osint observations` prints them; blank lines and `#` comments skipped). Every line
/// must hold a valid observation record authored by `party`, each id once: the first line that
/// does not is an error naming `origin` and the line, and no record is returned.
pub fn read_observations(
    text: &str,
    origin: &str,
    party: &PartyId,
) -> Result<Vec<Record>, OsintError> {
    let mut out: Vec<Record> = Vec::new();
    let mut lines: std::collections::HashMap<RecordId, usize> = Default::default();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let bad = |reason: String| OsintError::BadObservation {
            path: origin.to_owned(),
            line: n + 1,
            reason,
        };
        let record: Record = serde_json::from_str(trimmed).map_err(|e| bad(e.to_string()))?;
        record
            .validate()
            .map_err(|e| bad(format!("record {}: {e}", record.id)))?;
        if !matches!(record.body, RecordBody::Observation(_)) {
            return Err(bad(format!(
                "record {} is of kind {}: only observations are published from open sources",
                record.id,
                record.body.kind()
            )));
        }
        if record.party != *party {
            return Err(bad(format!(
                "record {} is authored by {}, not by {party} who publishes it",
                record.id, record.party
            )));
        }
        if let Some(first) = lines.insert(record.id.clone(), n + 1) {
            return Err(bad(format!(
                "record {} is on line {first} already",
                record.id
            )));
        }
        out.push(record);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_report;

    #[test]
    fn copies_count_once_and_independent_reports_corroborate() {
        let body = "Russia has amassed more than 120,000 troops near the Ukrainian border, US officials said.\nThe build-up continues.";
        let other = "Moscow has deployed more than 120,000 troops along the border with Ukraine, according to Ukraine's defence ministry, which warned of an attack.";
        let head = |d: &str, o: &str| {
            format!("url: https://{o}.example/x\noutlet: {o}\npublished: {d}\ntitle: t\n\n")
        };
        let reports = vec![
            parse_report("a", &format!("{}{body}", head("2022-01-26", "alpha"))).unwrap(),
            parse_report("b", &format!("{}{body}", head("2022-01-27", "beta"))).unwrap(),
            parse_report("c", &format!("{}{other}", head("2022-01-27", "gamma"))).unwrap(),
        ];
        let set = observations(&reports);
        assert_eq!(set.records.len(), 2, "{:#?}", set.records);
        let RecordBody::Observation(o) = &set.records[0].body else {
            panic!("not an observation")
        };
        assert_eq!(o.actor.as_str(), "RU");
        assert_eq!(o.category.as_str(), "troops");
        assert_eq!(o.quantity, 120000);
        assert_eq!(o.qualifier, Qualifier::MoreThan);
        assert_eq!(
            o.area.zone.as_ref().map(|z| z.as_str()),
            Some("near-ukraine")
        );
        assert_eq!(o.source.outlet, "alpha");
        assert_eq!(o.confidence.independent_sources, 2);
        assert_eq!(o.confidence.official_sources, 2);
        assert!(o.confidence.score >= 70, "{:?}", o.confidence);
        assert_eq!(set.records[0].id.as_str(), "osint:a:1");
    }

    #[test]
    fn an_observations_file_is_read_whole_or_refused_at_its_bad_line() {
        let report = parse_report(
            "a",
            "url: https://a.example/1\noutlet: a\npublished: 2022-01-26\ntitle: t\n\n\
             Russia has amassed more than 120,000 troops near the Ukrainian border.",
        )
        .unwrap();
        let set = observations(&[report]);
        assert_eq!(set.records.len(), 1);
        let line = String::from_utf8(set.records[0].to_canonical_json()).unwrap();
        let osint = PartyId::new("OSINT").unwrap();
        let read =
            read_observations(&format!("# made today\n{line}\n\n"), "o.jsonl", &osint).unwrap();
        assert_eq!(read, set.records);
        let other = line.replace("\"OSINT\"", "\"US\"");
        let message = serde_json::to_string(&Record {
            body: RecordBody::HotlineMessage(accord_model::HotlineMessage {
                to: PartyId::new("RU").unwrap(),
                seq: 1,
                text: "hello".into(),
            }),
            ..set.records[0].clone()
        })
        .unwrap();
        for (text, says) in [
            (format!("{line}\n{{\"id\": 1}}\n"), "o.jsonl:2: "),
            (
                format!("{line}\n{line}\n"),
                "o.jsonl:2: record osint:a:1 is on line 1",
            ),
            (
                format!("\n{other}\n"),
                "o.jsonl:2: record osint:a:1 is authored by US",
            ),
            (
                format!("{line}\n{message}\n"),
                "o.jsonl:2: record osint:a:1 is of kind hotline_message",
            ),
        ] {
            let e = read_observations(&text, "o.jsonl", &osint)
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(says), "{e} should start with {says}");
        }
    }
}
