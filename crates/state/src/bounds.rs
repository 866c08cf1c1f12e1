//! The range of dates accord evaluates: wide enough for any record, narrow enough that the
//! engine's date arithmetic (lead times, windows, the next calendar year) never leaves the
//! range of instants.

use accord_model::{Date, Instant, Record, RecordBody};

/// The first year of the supported range.
pub const FIRST_YEAR: i16 = 1000;
/// The last year of the supported range.
pub const LAST_YEAR: i16 = 9000;

/// A date or instant outside the supported range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {value} is outside the supported range of years {FIRST_YEAR} to {LAST_YEAR}")]
pub struct OutOfRange {
    /// What the date is (a field name, a flag).
    pub what: String,
    /// The date or instant as written.
    pub value: String,
}

/// Whether a date lies in the supported range.
pub fn date_in_range(date: Date) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year())
}

/// Checks that a date lies in the supported range; `what` names it in the error.
pub fn check_date(date: Date, what: &str) -> Result<Date, OutOfRange> {
    if date_in_range(date) {
        Ok(date)
    } else {
        Err(OutOfRange {
            what: what.to_owned(),
            value: date.to_string(),
        })
    }
}

/// Checks that an instant lies in the supported range; `what` names it in the error.
pub fn check_instant(at: Instant, what: &str) -> Result<Instant, OutOfRange> {
    if date_in_range(crate::date_of(at)) {
        Ok(at)
    } else {
        Err(OutOfRange {
            what: what.to_owned(),
            value: at.to_string(),
        })
    }
}

/// Every date a record states, with the field that holds it.
pub(crate) fn record_dates(r: &Record) -> Vec<(String, Date)> {
    let mut v = vec![("issued_at".to_owned(), crate::date_of(r.issued_at))];
    let activity = |v: &mut Vec<(String, Date)>, at: &str, a: &accord_model::Activity| {
        v.push((format!("{at}.start"), a.start));
        v.push((format!("{at}.end"), a.end));
    };
    match &r.body {
        RecordBody::Declaration(d) => v.push(("body.as_of".into(), d.as_of)),
        RecordBody::Notification(n) => activity(&mut v, "body.activity", &n.activity),
        RecordBody::AnnualCalendar(c) => {
            for (i, a) in c.activities.iter().enumerate() {
                activity(&mut v, &format!("body.activities[{i}]"), a);
            }
        }
        RecordBody::InspectionRequest(q) => v.push(("body.date".into(), q.date)),
        RecordBody::InspectionReport(q) => v.push(("body.date".into(), q.date)),
        RecordBody::Observation(o) => {
            v.push(("body.date".into(), o.date));
            v.push(("body.source.published".into(), o.source.published));
        }
        RecordBody::DeclarationCommitment(c) => v.push(("body.as_of".into(), c.as_of)),
        RecordBody::LimitProof(p) => v.push(("body.as_of".into(), p.as_of)),
        _ => {}
    }
    v
}

/// The first field of a record whose date lies outside the supported range.
pub(crate) fn check_record(r: &Record) -> Result<(), OutOfRange> {
    if let RecordBody::AnnualCalendar(c) = &r.body
        && !(FIRST_YEAR..=LAST_YEAR).contains(&c.year)
    {
        return Err(OutOfRange {
            what: "body.year".into(),
            value: c.year.to_string(),
        });
    }
    for (field, date) in record_dates(r) {
        check_date(date, &field)?;
    }
    Ok(())
}
