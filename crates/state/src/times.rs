//! When records were logged, as the cosignatures on their logs tell it.
//!
//! A party's node logs its records in its own append-only log; the other parties' nodes cosign
//! checkpoints of that log (C2SP cosignature/v1), each cosignature with the cosigner's timestamp.
//! A cosignature at time `t` on a checkpoint of size `s` says the cosigner held entries `0..s`
//! at `t`. So for the record at index `i` of a log:
//!
//! - its **witnessed time** by party P is the earliest timestamp of P's cosignature on a
//!   checkpoint of size greater than `i` (one that includes it);
//! - its **lower bound** is the latest timestamp of any cosignature, on a checkpoint of size `i`
//!   or less, made before the first cosignature that included it: the last moment a cosigner
//!   saw the log without it. (A checkpoint cosigned again after the record was witnessed says
//!   nothing about when the record was logged, and is left out.)
//!
//! The lower bound assumes the log's author presents its newest checkpoint to its cosigners;
//! an author that sends a backlog in several smaller checkpoints gets a later lower bound for
//! the records of its later checkpoints.

use std::collections::BTreeMap;
use std::ops::Range;

use accord_model::{Instant, PartyId, RecordId};
use serde::{Deserialize, Serialize};

use crate::{LoadError, State};

/// A cosignature on a checkpoint of a party's log: the log, the size of the checkpoint, who
/// cosigned it and the timestamp of the cosignature.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cosignature {
    /// The log cosigned: the party whose records it holds.
    pub log: PartyId,
    /// The size of the checkpoint cosigned (it includes entries `0..size`).
    pub size: u64,
    /// The party that cosigned it.
    pub cosigner: PartyId,
    /// The cosignature's timestamp (whole seconds, UTC).
    pub timestamp: Instant,
}

/// Where a record sits: its log and its index there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogPosition {
    /// The log (the party whose records it holds).
    pub log: PartyId,
    /// The index of the record in that log, from 0.
    pub index: u64,
}

/// What the cosignatures on a record's log say about when it was logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogTime {
    /// The record's log and index.
    pub position: LogPosition,
    /// Per cosigning party, the earliest timestamp of its cosignature on a checkpoint that
    /// includes the record.
    pub witnessed: BTreeMap<PartyId, Instant>,
    /// The latest timestamp of a cosignature on a checkpoint that did not include the record
    /// yet, made before any cosignature that included it.
    pub not_before: Option<Instant>,
}

impl LogTime {
    /// The earliest witnessed time by any cosigner, with that cosigner (the first by id when
    /// several cosigned at the same second).
    pub fn earliest(&self) -> Option<(&PartyId, Instant)> {
        self.witnessed
            .iter()
            .map(|(p, t)| (p, *t))
            .min_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)))
    }

    /// The witnessed time by one cosigner.
    pub fn witnessed_by(&self, party: &PartyId) -> Option<Instant> {
        self.witnessed.get(party).copied()
    }
}

/// The cosignatures of one log, arranged to answer for any index.
struct LogCosignatures {
    /// Per cosigner: (size, timestamp) sorted by size, and the least timestamp from each
    /// position to the end.
    by_cosigner: BTreeMap<PartyId, (Vec<u64>, Vec<Instant>)>,
    /// Every timestamp, sorted.
    times: Vec<Instant>,
}

impl LogCosignatures {
    fn new<'a>(cosignatures: impl IntoIterator<Item = &'a Cosignature>) -> Self {
        let mut per: BTreeMap<PartyId, Vec<(u64, Instant)>> = BTreeMap::new();
        let mut times = Vec::new();
        for c in cosignatures {
            per.entry(c.cosigner.clone())
                .or_default()
                .push((c.size, c.timestamp));
            times.push(c.timestamp);
        }
        times.sort();
        let by_cosigner = per
            .into_iter()
            .map(|(p, mut v)| {
                v.sort();
                let sizes = v.iter().map(|(s, _)| *s).collect();
                let mut least: Vec<Instant> = v.iter().map(|(_, t)| *t).collect();
                for k in (0..least.len().saturating_sub(1)).rev() {
                    least[k] = least[k].min(least[k + 1]);
                }
                (p, (sizes, least))
            })
            .collect();
        LogCosignatures { by_cosigner, times }
    }

    fn time_of(&self, position: LogPosition) -> LogTime {
        let (witnessed, not_before) = self.at(position.index);
        LogTime {
            position,
            witnessed,
            not_before,
        }
    }

    /// The witnessed times and lower bound of the record at `index`.
    fn at(&self, index: u64) -> (BTreeMap<PartyId, Instant>, Option<Instant>) {
        let witnessed: BTreeMap<PartyId, Instant> = self
            .by_cosigner
            .iter()
            .filter_map(|(p, (sizes, least))| {
                let first = sizes.partition_point(|s| *s <= index);
                least.get(first).map(|t| (p.clone(), *t))
            })
            .collect();
        let not_before = match witnessed.values().min() {
            Some(e) => {
                let before = self.times.partition_point(|t| t < e);
                before.checked_sub(1).map(|k| self.times[k])
            }
            None => self.times.last().copied(),
        };
        (witnessed, not_before)
    }
}

/// The log time of each record at `positions` given every cosignature known on their logs.
/// Records of a log with no cosignature get none.
pub fn log_times(
    positions: impl IntoIterator<Item = LogPosition>,
    cosignatures: &[Cosignature],
) -> Vec<Option<LogTime>> {
    let mut per_log: BTreeMap<&PartyId, Vec<&Cosignature>> = BTreeMap::new();
    for c in cosignatures {
        per_log.entry(&c.log).or_default().push(c);
    }
    let logs: BTreeMap<&PartyId, LogCosignatures> = per_log
        .into_iter()
        .map(|(l, v)| (l, LogCosignatures::new(v)))
        .collect();
    positions
        .into_iter()
        .map(|p| logs.get(&p.log).map(|l| l.time_of(p)))
        .collect()
}

/// The ranges of indices of one log whose log time differs between the cosignatures `before`
/// and `after` (both of that log only), so that a reader updating log times touches those
/// records alone. A log time depends only on where an index falls among the checkpoint sizes
/// cosigned, so each span between two sizes is compared once.
pub fn changed_ranges(before: &[Cosignature], after: &[Cosignature]) -> Vec<Range<u64>> {
    let mut sizes: Vec<u64> = before.iter().chain(after).map(|c| c.size).collect();
    sizes.push(0);
    sizes.sort_unstable();
    sizes.dedup();
    let (old, new) = (LogCosignatures::new(before), LogCosignatures::new(after));
    // A log with no cosignature gives its records no log time at all.
    let known = |c: &LogCosignatures, index| (!c.times.is_empty()).then(|| c.at(index));
    let mut out: Vec<Range<u64>> = Vec::new();
    for (k, &start) in sizes.iter().enumerate() {
        let end = sizes.get(k + 1).copied().unwrap_or(u64::MAX);
        if known(&old, start) == known(&new, start) {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.end == start => last.end = end,
            _ => out.push(start..end),
        }
    }
    out
}

/// Parses a cosignatures file: JSON Lines, one [`Cosignature`] per line, each returned with its
/// 1-based line number; blank lines and lines starting with `#` are skipped. Errors name the
/// origin and the line.
pub fn parse_cosignatures(
    text: &str,
    origin: &str,
) -> Result<Vec<(usize, Cosignature)>, LoadError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let parse_error = |message: String| LoadError::Parse {
            origin: origin.to_owned(),
            line: n + 1,
            message,
        };
        let c: Cosignature =
            serde_json::from_str(trimmed).map_err(|e| parse_error(e.to_string()))?;
        crate::check_instant(c.timestamp, "field `timestamp`")
            .map_err(|e| parse_error(e.to_string()))?;
        if c.log == c.cosigner {
            return Err(parse_error(format!(
                "field `cosigner`: {} cosigns its own log; a cosignature is another party's",
                c.cosigner
            )));
        }
        out.push((n + 1, c));
    }
    Ok(out)
}

impl State {
    /// What the logs say about when the record `id` was logged, if anything is known.
    pub fn witnessed(&self, id: &RecordId) -> Option<&LogTime> {
        self.position(id).and_then(|i| self.times.get(&i))
    }

    /// The log time of the record at a position of the state.
    pub fn log_time_at(&self, index: usize) -> Option<&LogTime> {
        self.times.get(&index)
    }

    /// Sets the log time of the record at a state position; a time equal to the one held
    /// changes nothing. Returns whether it changed. Positions beyond the state are ignored.
    pub fn set_log_time(&mut self, index: usize, time: LogTime) -> bool {
        if index >= self.records.len() || self.times.get(&index) == Some(&time) {
            return false;
        }
        self.times.insert(index, time);
        self.time_changes.push(index);
        true
    }

    /// Sets the log time of the records at `positions` (state position, log position) from
    /// every cosignature known on their logs. Returns how many records' times changed.
    pub fn apply_cosignatures(
        &mut self,
        positions: &[(usize, LogPosition)],
        cosignatures: &[Cosignature],
    ) -> usize {
        let times = log_times(positions.iter().map(|(_, p)| p.clone()), cosignatures);
        let mut changed = 0;
        for ((index, _), time) in positions.iter().zip(times) {
            if let Some(time) = time
                && self.set_log_time(*index, time)
            {
                changed += 1;
            }
        }
        changed
    }

    /// The log positions of the records when each party's records, in state order, are that
    /// party's log from index 0 (as a node's export writes a scenario).
    pub fn party_log_positions(&self) -> Vec<(usize, LogPosition)> {
        let mut next: BTreeMap<&PartyId, u64> = BTreeMap::new();
        self.records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let n = next.entry(&r.party).or_default();
                let index = *n;
                *n += 1;
                (
                    i,
                    LogPosition {
                        log: r.party.clone(),
                        index,
                    },
                )
            })
            .collect()
    }

    /// How many log-time changes the state has seen; pass it to
    /// [`State::log_times_changed_since`] later.
    pub fn log_time_changes(&self) -> usize {
        self.time_changes.len()
    }

    /// The state positions whose log time changed after the first `seen` changes.
    pub fn log_times_changed_since(&self, seen: usize) -> &[usize] {
        self.time_changes.get(seen..).unwrap_or(&[])
    }

    /// The records that answer the record `id` (replies, acknowledgements, reports, meeting
    /// requests and meetings), as state positions.
    pub fn answers_to(&self, id: &RecordId) -> &[usize] {
        self.answers.get(id).map_or(&[], Vec::as_slice)
    }
}

/// The record a record answers, if it answers one: the request of a reply, an inspection report
/// or a meeting request, the record acknowledged, the request a meeting was held on.
pub fn answered(record: &accord_model::Record) -> Option<&RecordId> {
    use accord_model::RecordBody as B;
    match &record.body {
        B::ExplanationReply(a) => Some(&a.request),
        B::Acknowledgement(a) => Some(&a.of),
        B::InspectionReport(a) => Some(&a.request),
        B::MeetingRequest(a) => Some(&a.request),
        B::Meeting(a) => Some(&a.request),
        _ => None,
    }
}
