//! Time from the logs: when an answer to another party counts as given, and records whose own
//! date lies outside what the cosignatures on their log allow.
//!
//! A record's `issued_at` is written by its author. Where the state knows when other parties
//! cosigned the record's log (see [`accord_state::LogTime`]), an answer to a party counts from
//! the moment that party cosigned a checkpoint holding it, and a record dated after it was
//! witnessed, or before its log was last seen without it, is a finding of its own.

use accord_model::{
    AgreementId, Basis, Evidence, Finding, Instant, Message, PartyId, ProvisionId, Record,
    RecordBody, Severity,
};
use accord_state::{LogTime, State};
use jiff::SignedDuration;

use crate::Engine;
use crate::rules::Args;

/// How far a record's own date may lie outside what the cosignatures on its log allow before
/// it is a finding: ten minutes, the clock skew a node allows a record issued ahead of its own
/// clock.
pub const CLOCK_SKEW_TOLERANCE: SignedDuration = SignedDuration::from_secs(600);

/// The provision, in the agreement of the record, under which findings on a record's date are
/// filed (it is no provision of the agreement's text: keeping honest dates is what every
/// record under it owes).
pub const RECORD_TIME_PROVISION: &str = "record-time";

/// Where the time an answer counts from comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A cosignature on the answerer's log holding the answer.
    Witnessed,
    /// The answer's own `issued_at`: no cosignature of its log is known.
    Dated,
}

/// An answer with the time it counts from.
#[derive(Debug, Clone)]
pub(crate) struct Answer<'a> {
    /// The answering record.
    pub record: &'a Record,
    /// The time it counts from.
    pub at: Instant,
    /// Where that time comes from.
    pub source: Source,
}

impl Answer<'_> {
    /// The note saying where the answer's time comes from.
    pub(crate) fn note(&self) -> Message {
        match &self.source {
            // The cosigner is left out: a node that holds only its own cosignature on the
            // answerer's log names another than the requester's node, and the finding must be
            // the same on both.
            Source::Witnessed => Message::new("note-time-witnessed")
                .id("party", &self.record.party)
                .instant("dated", self.record.issued_at),
            Source::Dated => Message::new("note-time-dated").id("party", &self.record.party),
        }
    }
}

/// The time an answer to `asker` counts from: when `asker` cosigned a checkpoint of the
/// answerer's log holding it; failing that, when any other party did; and only where no
/// cosignature is known, the date its author gave it.
pub(crate) fn answer_time<'a>(state: &State, answer: &'a Record, asker: &PartyId) -> Answer<'a> {
    let witnessed = state.witnessed(&answer.id).and_then(|t| {
        t.witnessed_by(asker)
            .or_else(|| t.earliest().map(|(_, at)| at))
    });
    match witnessed {
        Some(at) => Answer {
            record: answer,
            at,
            source: Source::Witnessed,
        },
        None => Answer {
            record: answer,
            at: answer.issued_at,
            source: Source::Dated,
        },
    }
}

/// The first of `answers` to `asker` that counts by `at`, by the time it counts from (then by
/// record id).
pub(crate) fn first_answer<'a>(
    state: &State,
    answers: &[&'a Record],
    asker: &PartyId,
    at: Instant,
) -> Option<Answer<'a>> {
    answers
        .iter()
        .map(|r| answer_time(state, r, asker))
        .filter(|a| a.at <= at)
        .min_by(|a, b| a.at.cmp(&b.at).then(a.record.id.cmp(&b.record.id)))
}

/// The agreement a record is made under: its own, or that of the record it answers.
fn agreement_of<'a>(state: &'a State, record: &'a Record) -> Option<&'a AgreementId> {
    let mut r = record;
    // An answer of an answer (a meeting on a meeting request) goes up a few steps at most.
    for _ in 0..4 {
        let own = match &r.body {
            RecordBody::Declaration(x) => Some(&x.agreement),
            RecordBody::Notification(x) => Some(&x.agreement),
            RecordBody::AnnualCalendar(x) => Some(&x.agreement),
            RecordBody::ExplanationRequest(x) => Some(&x.agreement),
            RecordBody::InspectionRequest(x) => Some(&x.agreement),
            RecordBody::DeclarationCommitment(x) => Some(&x.agreement),
            RecordBody::LimitProof(x) => Some(&x.agreement),
            RecordBody::EventNotice(x) => Some(&x.agreement),
            RecordBody::InspectionRefusal(x) => Some(&x.agreement),
            RecordBody::Countermeasure(x) => Some(&x.agreement),
            RecordBody::MeetingRequest(x) => Some(&x.agreement),
            RecordBody::Meeting(x) => Some(&x.agreement),
            RecordBody::Statement(x) => x.agreement.as_ref(),
            _ => None,
        };
        if own.is_some() {
            return own;
        }
        r = state.get(accord_state::answered(r)?)?;
    }
    None
}

/// Whether any finding on the record at `index` can exist: it has a log time or answers a
/// record. Cheap, for walking the whole state.
pub(crate) fn may_find(state: &State, index: usize) -> bool {
    state.log_time_at(index).is_some() || accord_state::answered(&state.records()[index]).is_some()
}

/// Findings on the date of the record at state position `index`, as known at `at`: dated after
/// a cosigner held it or before its log was last seen without it (beyond
/// [`CLOCK_SKEW_TOLERANCE`]), or dated before the record it answers. Filed under the record's
/// agreement (when the engine holds it), provision [`RECORD_TIME_PROVISION`], against its
/// author.
pub(crate) fn record_findings(
    engine: &Engine,
    state: &State,
    index: usize,
    at: Instant,
) -> Vec<Finding> {
    let Some(record) = state.records().get(index) else {
        return Vec::new();
    };
    let Some(agreement) = agreement_of(state, record)
        .filter(|a| engine.agreements().iter().any(|x| &x.id == *a))
        .cloned()
    else {
        return Vec::new();
    };
    let time = state.log_time_at(index);
    let evidence = |r: &Record| engine.evidence(state, &r.id);
    let finding = |severity, basis, message: Message, mut evidence: Vec<Evidence>| {
        evidence.sort();
        evidence.dedup();
        Finding {
            agreement: agreement.clone(),
            provision: ProvisionId::new(RECORD_TIME_PROVISION).expect("a valid provision id"),
            party: record.party.clone(),
            severity,
            basis,
            // Rendered when the findings are listed (`Evaluation::findings`).
            summary: String::new(),
            message,
            notes: Vec::new(),
            figures: Vec::new(),
            evidence,
        }
    };
    let dated = |id: &str, t: &LogTime| {
        Message::new(id)
            .id("party", &record.party)
            .id("record", &record.id)
            .id("log", &t.position.log)
            .num("index", t.position.index)
            .instant("dated", record.issued_at)
            .num("tolerance", CLOCK_SKEW_TOLERANCE.as_mins())
    };
    let mut out = Vec::new();
    if let Some(t) = time {
        if let Some((by, witnessed)) = t.earliest()
            && witnessed <= at
            && record.issued_at
                > witnessed
                    .checked_add(CLOCK_SKEW_TOLERANCE)
                    .unwrap_or(Instant::MAX)
        {
            out.push(finding(
                Severity::Concern,
                Basis::ReportedByParty,
                dated("record-dated-after-logged", t)
                    .id("cosigner", by)
                    .instant("witnessed", witnessed),
                vec![evidence(record)],
            ));
        }
        if let Some(not_before) = t.not_before
            && not_before <= at
            && record.issued_at <= at
            && record.issued_at
                < not_before
                    .checked_sub(CLOCK_SKEW_TOLERANCE)
                    .unwrap_or(Instant::MIN)
        {
            out.push(finding(
                Severity::Concern,
                Basis::ReportedByParty,
                dated("record-dated-before-logged", t).instant("not_before", not_before),
                vec![evidence(record)],
            ));
        }
    }
    if let Some(answered) = accord_state::answered(record).and_then(|id| state.get(id))
        && record.issued_at <= at
        && answered.issued_at <= at
        && record.issued_at < answered.issued_at
    {
        out.push(finding(
            Severity::Concern,
            Basis::Declared,
            Message::new("record-dated-before-answered")
                .id("party", &record.party)
                .id("record", &record.id)
                .instant("dated", record.issued_at)
                .id("answered", &answered.id)
                .id("author", &answered.party)
                .instant("answered_dated", answered.issued_at),
            vec![evidence(record), evidence(answered)],
        ));
    }
    out
}

#[cfg(test)]
#[path = "timing_tests.rs"]
mod tests;
