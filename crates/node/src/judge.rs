//! The node's judging: every record of every log it holds, folded into one state in (log, index)
//! order as it arrives, with the times the cosignatures it holds give them, evaluated by the
//! compliance engine against the agreements the node holds and brought up to date record by
//! record. The engine is the only judge: the node adds no rule of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use accord_agreements::Agreement;
use accord_compliance::{Engine, Evaluation};
use accord_model::{Finding, Instant, PartyId};
use accord_state::{Cosignature, Known, LogPosition, State, StateError};

use crate::NodeError;
use crate::node::LoggedRecord;
use crate::wire::{HeldAgreement, Unused};

/// An agreement the node holds, with the id and hash of its file.
#[derive(Debug, Clone)]
pub struct AgreementFile {
    /// The parsed agreement.
    pub agreement: Agreement,
    /// Its id and the SHA-256 of its file.
    pub held: HeldAgreement,
}

/// Reads an agreement given as an embedded id ("vienna-document-2011") or a TOML file path.
pub fn resolve_agreement(spec: &str) -> Result<AgreementFile, NodeError> {
    let (text, origin) = match accord_agreements::builtin_file(spec) {
        Some((file, text)) => (text.to_owned(), file.to_owned()),
        None => {
            let path = Path::new(spec);
            let text = std::fs::read_to_string(path).map_err(|e| NodeError::Config {
                file: path.to_owned(),
                reason: format!("not an embedded agreement id, and cannot be read: {e}"),
            })?;
            (text, spec.to_owned())
        }
    };
    let agreement =
        accord_agreements::parse(&text, &origin, accord_agreements::Vocabulary::builtin())
            .map_err(|e| NodeError::Config {
                file: origin.clone().into(),
                reason: e.to_string(),
            })?;
    let held = HeldAgreement {
        id: agreement.id.clone(),
        sha256: accord_compliance::file_sha256(&text),
    };
    Ok(AgreementFile { agreement, held })
}

/// `finding` with each record it cites that the state holds as logged named by its log and
/// index.
fn placed(mut finding: Finding, state: &State) -> Finding {
    for e in &mut finding.evidence {
        if let accord_model::Evidence::Record {
            id, origin: None, ..
        } = e
            && let Some(p) = state.position(id).and_then(|i| state.log_position(i))
        {
            *e = accord_model::Evidence::logged(
                id.clone(),
                crate::node::origin(p.log.as_str()),
                p.index,
            );
        }
    }
    finding.evidence.sort();
    finding
}

/// How many evaluations at different instants are kept, each brought up to date as records
/// arrive.
const KEPT_INSTANTS: usize = 4;

/// What a list of findings reflects: records seen, log-time changes seen, changes of the checks.
type Stamp = (usize, usize, usize);

/// An evaluation kept at one instant, with its findings as last listed.
struct Kept {
    evaluation: Evaluation,
    /// The findings as of (records seen, log-time changes seen, checks), listed once.
    listed: Option<(Stamp, Arc<Vec<Finding>>)>,
}

/// The state folded from the logs, kept between calls and added to as records arrive.
#[derive(Default)]
struct Folded {
    /// How many of the node's records (in the order given) were taken.
    records: usize,
    /// How many records of each log were taken (each log arrives in its own order).
    taken: BTreeMap<PartyId, u64>,
    state: State,
    /// The state positions of each log's records, to set their log times.
    positions: BTreeMap<PartyId, Vec<(usize, LogPosition)>>,
    /// The cosignatures held on each log, as last applied.
    cosignatures: BTreeMap<PartyId, Vec<Cosignature>>,
    /// The records kept out of the state because they failed their check on arrival.
    excluded: BTreeSet<(PartyId, u64)>,
    /// The records the state could not take, and why.
    unused: BTreeMap<(PartyId, u64), String>,
    /// The names the engine does not know, per record that uses any, with its date.
    unknown: BTreeMap<(PartyId, u64), (Instant, Vec<accord_state::Unevaluable>)>,
    /// Changes of the failed checks seen, so that listed findings know when to join them again.
    checks: usize,
    last_failed: Option<Arc<crate::arrival::Checks>>,
    /// The evaluations kept, the most recently asked first.
    kept: Vec<Kept>,
}

/// The findings of the judge at one instant, with the records it could not use.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The findings, sorted.
    pub findings: Arc<Vec<Finding>>,
    /// The records the state could not take, in (log, index) order.
    pub unused: Vec<Unused>,
    /// The records the state took but the engine cannot judge, in (log, index) order.
    pub not_judged: Vec<Unused>,
}

/// The compliance engine over the node's logs.
pub struct Judge {
    engine: Engine,
    held: Vec<HeldAgreement>,
    /// The parties, agreements, zones and categories the held agreements know.
    known: Known,
    folded: Mutex<Folded>,
    /// The escrow and selection records that failed their check on arrival.
    pub(crate) arrivals: crate::arrival::Arrivals,
    /// Checks in which nothing failed.
    no_failures: Arc<crate::arrival::Checks>,
}

impl std::fmt::Debug for Judge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Judge").field("held", &self.held).finish()
    }
}

impl Judge {
    /// A judge of `agreements`.
    pub fn new(agreements: &[AgreementFile]) -> Self {
        let vocabulary =
            accord_agreements::Vocabulary::for_agreements(agreements.iter().map(|a| &a.agreement))
                .unwrap_or_else(|_| accord_agreements::Vocabulary::builtin().clone());
        let known = Known {
            parties: agreements
                .iter()
                .flat_map(|a| a.agreement.parties.iter().cloned())
                .collect(),
            agreements: agreements.iter().map(|a| a.agreement.id.clone()).collect(),
            zones: vocabulary.zones.keys().cloned().collect(),
            categories: vocabulary.categories.keys().cloned().collect(),
        };
        Judge {
            engine: Engine::new(agreements.iter().map(|a| a.agreement.clone()).collect()),
            held: agreements.iter().map(|a| a.held.clone()).collect(),
            known,
            folded: Mutex::new(Folded::default()),
            arrivals: crate::arrival::Arrivals::default(),
            no_failures: Arc::default(),
        }
    }

    /// The agreements judged.
    pub fn held(&self) -> &[HeldAgreement] {
        &self.held
    }

    /// The agreements judged, as parsed.
    pub fn agreements(&self) -> &[Agreement] {
        self.engine.agreements()
    }

    /// The findings at `at` over `records` (every logged record, each log's in its order)
    /// timed by `cosignatures` (every cosignature held on the logs), as
    /// `Judge::findings` gives them when no record failed a check on arrival.
    pub fn judge(
        &self,
        records: &[LoggedRecord],
        cosignatures: &[Cosignature],
        at: Instant,
    ) -> Judged {
        self.findings(records, cosignatures, at, &self.no_failures)
    }

    /// The findings at `at` over `records` (every logged record: those given before and any
    /// added after them, each log's records in their order) timed by `cosignatures` (every
    /// cosignature held on the logs), with the records the state could not take and those it
    /// took but cannot judge (a name no held agreement knows: party, agreement, zone,
    /// category). Only the records added since the last call are folded into the kept state,
    /// and only the logs whose cosignatures changed are timed again; the evaluations kept at
    /// the last few instants are brought up to date with the engine's `update`, and an
    /// evaluation at another instant is made afresh. Records of `checks` that failed (escrow
    /// records that failed their check on arrival) are kept out of the state, listed as
    /// unused, and their findings join the engine's.
    pub(crate) fn findings(
        &self,
        records: &[LoggedRecord],
        cosignatures: &[Cosignature],
        at: Instant,
        checks: &Arc<crate::arrival::Checks>,
    ) -> Judged {
        self.listed(|j, f| j.fold(f, records, cosignatures, checks), at, checks)
    }

    /// [`Judge::findings`] over the node's shared list of records, let go of once folded,
    /// before the evaluation: the node appends the records arriving meanwhile to its list in
    /// place instead of copying it.
    pub(crate) fn findings_shared(
        &self,
        records: Arc<Vec<LoggedRecord>>,
        cosignatures: &[Cosignature],
        at: Instant,
        checks: &Arc<crate::arrival::Checks>,
    ) -> Judged {
        let fold = move |j: &Self, f: &mut Folded| j.fold(f, &records, cosignatures, checks);
        self.listed(fold, at, checks)
    }

    /// The findings at `at` once `fold` has folded what was added into the kept state.
    fn listed(
        &self,
        fold: impl FnOnce(&Self, &mut Folded),
        at: Instant,
        checks: &Arc<crate::arrival::Checks>,
    ) -> Judged {
        let mut f = self.folded.lock().unwrap_or_else(|p| p.into_inner());
        let f = &mut *f;
        fold(self, f);
        let k = self.evaluation_at(f, at, checks);
        let not_judged = self.not_judged(f, at);
        let unused = f
            .unused
            .iter()
            .map(|((log, index), reason)| Unused {
                log: log.clone(),
                index: *index,
                reason: reason.clone(),
            })
            .collect();
        let mut kept = f.kept.remove(k);
        let stamp = (
            kept.evaluation.records_seen(),
            f.state.log_time_changes(),
            f.checks,
        );
        let findings = match &kept.listed {
            Some((s, findings)) if *s == stamp => findings.clone(),
            _ => {
                // Each finding's summary is rendered once, when first listed.
                kept.evaluation.summarise();
                let mut findings = kept.evaluation.findings();
                let failures = crate::arrival::findings(checks, at);
                if !failures.is_empty() {
                    findings.extend(failures.into_iter().map(|x| placed(x, &f.state)));
                    accord_compliance::sort_findings(&mut findings);
                }
                Arc::new(findings)
            }
        };
        f.kept.insert(
            0,
            Kept {
                evaluation: kept.evaluation,
                listed: Some((stamp, findings.clone())),
            },
        );
        Judged {
            findings,
            unused,
            not_judged,
        }
    }

    /// Folds the records and cosignatures added since the last call into the kept state and
    /// brings the evaluation kept at `at` up to date with them (made afresh when none is kept
    /// at `at`), without listing its findings: the work of the node when a record arrives.
    pub fn update(&self, records: &[LoggedRecord], cosignatures: &[Cosignature], at: Instant) {
        let mut f = self.folded.lock().unwrap_or_else(|p| p.into_inner());
        self.fold(&mut f, records, cosignatures, &self.no_failures);
        self.evaluation_at(&mut f, at, &self.no_failures);
    }

    /// Brings the evaluation at `at` up to date with what was folded into the state; returns
    /// its place among those kept.
    fn evaluation_at(
        &self,
        f: &mut Folded,
        at: Instant,
        checks: &Arc<crate::arrival::Checks>,
    ) -> usize {
        if f.last_failed
            .as_ref()
            .is_none_or(|last| !Arc::ptr_eq(last, checks))
        {
            f.checks += 1;
            f.last_failed = Some(checks.clone());
        }
        match f.kept.iter().position(|k| k.evaluation.at() == at) {
            Some(k) => {
                self.engine.update(&mut f.kept[k].evaluation, &f.state);
                k
            }
            None => {
                f.kept.insert(
                    0,
                    Kept {
                        evaluation: self.engine.evaluate(&f.state, at),
                        listed: None,
                    },
                );
                f.kept.truncate(KEPT_INSTANTS);
                0
            }
        }
    }

    /// Folds what was added into the state (again from the start when it must) and sets the
    /// log times the cosignatures give.
    fn fold(
        &self,
        f: &mut Folded,
        records: &[LoggedRecord],
        cosignatures: &[Cosignature],
        checks: &crate::arrival::Checks,
    ) {
        if !self.take(f, records, checks) {
            // A record arrived that a state in (log, index) order would hold instead of one
            // already taken, or a record taken has failed its check since: fold every record
            // again in that order.
            *f = Folded::default();
            let mut sorted: Vec<&LoggedRecord> = records.iter().collect();
            sorted.sort_by(|a, b| (a.0.as_str(), a.1).cmp(&(b.0.as_str(), b.1)));
            let sorted: Vec<LoggedRecord> = sorted.into_iter().cloned().collect();
            self.take(f, &sorted, checks);
        }
        self.time(f, cosignatures);
    }

    /// The obligations open at `at` (requests awaiting reply, exchanges due), read by the
    /// engine from the kept state over `records` and `cosignatures`.
    pub(crate) fn open_deadlines(
        &self,
        records: &[LoggedRecord],
        cosignatures: &[Cosignature],
        at: Instant,
        checks: &crate::arrival::Checks,
    ) -> Vec<accord_compliance::Deadline> {
        let mut f = self.folded.lock().unwrap_or_else(|p| p.into_inner());
        self.fold(&mut f, records, cosignatures, checks);
        self.engine.open_deadlines(&f.state, at)
    }

    /// Runs `view` on the kept state over `records` and `cosignatures`, folding only what was
    /// added.
    pub(crate) fn with_state<R>(
        &self,
        records: &[LoggedRecord],
        cosignatures: &[Cosignature],
        checks: &crate::arrival::Checks,
        view: impl FnOnce(&State) -> R,
    ) -> R {
        let mut f = self.folded.lock().unwrap_or_else(|p| p.into_inner());
        self.fold(&mut f, records, cosignatures, checks);
        view(&f.state)
    }

    /// Folds the records added since the last call into the state. False when the state must
    /// be folded again from the start in (log, index) order.
    fn take(
        &self,
        f: &mut Folded,
        records: &[LoggedRecord],
        checks: &crate::arrival::Checks,
    ) -> bool {
        if records.len() < f.records {
            return false;
        }
        // A record taken that failed its check since, or one kept out that stands now.
        let taken =
            |f: &Folded, log: &PartyId, index: u64| f.taken.get(log).is_some_and(|n| index < *n);
        if checks.failed.keys().any(|(log, index)| {
            taken(f, log, *index) && !f.excluded.contains(&(log.clone(), *index))
        }) || f.excluded.iter().any(|k| !checks.failed.contains_key(k))
        {
            return false;
        }
        for (log, index, record) in &records[f.records..] {
            let key = (log.clone(), *index);
            f.taken.insert(log.clone(), index + 1);
            if let Some((_, failure)) = checks.failed.get(&key) {
                f.excluded.insert(key.clone());
                f.unused
                    .insert(key, format!("failed its check on arrival: {failure}"));
                continue;
            }
            let position = LogPosition {
                log: log.clone(),
                index: *index,
            };
            match f.state.append_logged(record.clone(), position.clone()) {
                Ok(i) => {
                    f.positions
                        .entry(log.clone())
                        .or_default()
                        .push((i, position));
                    let unknown = f.state.unevaluable_record(&self.known, i);
                    if !unknown.is_empty() {
                        f.unknown.insert(key, (record.issued_at, unknown));
                    }
                }
                Err(StateError::Precedes { .. }) => return false,
                Err(e) => {
                    f.unused.insert(key, reason(&f.state, &e));
                }
            }
        }
        f.records = records.len();
        true
    }

    /// Sets the log times of the records of every log whose cosignatures changed, and of the
    /// records added to a log that has cosignatures.
    fn time(&self, f: &mut Folded, cosignatures: &[Cosignature]) {
        let mut per_log: BTreeMap<&PartyId, Vec<Cosignature>> = BTreeMap::new();
        for c in cosignatures {
            per_log.entry(&c.log).or_default().push(c.clone());
        }
        for (log, positions) in &f.positions {
            let held = per_log.remove(log).unwrap_or_default();
            let timed = f.cosignatures.get(log).map_or(0, Vec::len);
            if held.is_empty() && timed == 0 {
                continue;
            }
            // The records added since that have no time yet (in a log with cosignatures every
            // record taken before has one) ...
            let fresh = positions
                .iter()
                .rev()
                .take_while(|(i, _)| f.state.log_time_at(*i).is_none())
                .count();
            let (older, fresh) = positions.split_at(positions.len() - fresh);
            let mut to_time: Vec<(usize, LogPosition)> = fresh.to_vec();
            let before = f.cosignatures.get(log).map_or(&[][..], Vec::as_slice);
            let new_cosignatures = before != held.as_slice();
            if new_cosignatures {
                // ... and those whose log time the new cosignatures change: the records of
                // the spans between checkpoint sizes whose times differ.
                let changed = accord_state::changed_ranges(before, &held);
                to_time.extend(
                    older
                        .iter()
                        .filter(|(_, p)| changed.iter().any(|r| r.contains(&p.index)))
                        .cloned(),
                );
            }
            if !to_time.is_empty() {
                f.state.apply_cosignatures(&to_time, &held);
            }
            if new_cosignatures {
                f.cosignatures.insert(log.clone(), held);
            }
        }
    }

    /// The records issued by `at` that name what no held agreement knows.
    fn not_judged(&self, f: &Folded, at: Instant) -> Vec<Unused> {
        let mut out = Vec::new();
        for ((log, index), (issued, unknown)) in &f.unknown {
            if *issued > at {
                continue;
            }
            for u in unknown {
                // A record it answers may have arrived since.
                if u.kind == accord_state::NameKind::Record
                    && accord_model::RecordId::new(u.name.as_str())
                        .is_ok_and(|id| f.state.get(&id).is_some())
                {
                    continue;
                }
                out.push(Unused {
                    log: log.clone(),
                    index: *index,
                    reason: format!("{u}: not judged"),
                });
            }
        }
        out
    }
}

/// Why the state refused a record, in words that do not depend on the order records arrived
/// in (the state's positions do).
fn reason(state: &State, e: &StateError) -> String {
    match e {
        StateError::Duplicate { id, first, .. } => match state.log_position(*first) {
            Some(p) => format!(
                "record {id} repeats the id of the record at {} index {}",
                p.log, p.index
            ),
            None => format!("record {id} repeats the id of a record held"),
        },
        StateError::Invalid { error, .. } => format!("record is invalid: {error}"),
        StateError::OutOfRange { id, error, .. } => format!("record {id}: {error}"),
        StateError::Precedes { .. } => e.to_string(),
    }
}
