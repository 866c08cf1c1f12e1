//! The node's judging: every record of every log it holds, folded into one state in (log, index)
//! order, with the times the cosignatures it holds give them, evaluated by the compliance
//! engine against the agreements the node holds. The engine is the only judge: the node adds no
//! rule of its own.

use std::path::Path;
use std::sync::{Arc, Mutex};

use accord_agreements::Agreement;
use accord_compliance::Engine;
use accord_model::{Finding, Instant};
use accord_state::{Cosignature, Known, LogPosition, State};
use sha2::{Digest, Sha256};

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
        sha256: hex::encode(Sha256::digest(text.as_bytes())),
    };
    Ok(AgreementFile { agreement, held })
}

/// The state folded from the logs and the last evaluation, kept between calls.
#[derive(Default)]
struct Folded {
    records: usize,
    state: State,
    /// The (log, index) of each record the state took, in its order.
    positions: Vec<(accord_model::PartyId, u64)>,
    /// How many cosignatures the state's log times were set from.
    cosignatures: usize,
    unused: Vec<Unused>,
    last: Option<(Instant, Arc<Vec<Finding>>)>,
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

    /// The findings at `at` over `records` (every logged record) timed by `cosignatures`
    /// (every cosignature held on the logs), with the records the state could not take and
    /// those it took but cannot judge (a name no held agreement knows: party, agreement, zone,
    /// category). The state is folded again only when records were added, its log times set
    /// again only when cosignatures were; an evaluation at the same instant over the same
    /// records and cosignatures is answered from the last. Records of `checks` that failed
    /// (escrow records that failed their check on arrival) are kept out of the state, listed
    /// as unused, and their findings join the engine's.
    pub(crate) fn findings(
        &self,
        records: &[LoggedRecord],
        cosignatures: &[Cosignature],
        at: Instant,
        checks: &crate::arrival::Checks,
    ) -> (Arc<Vec<Finding>>, Vec<Unused>, Vec<Unused>) {
        let mut f = self.folded.lock().unwrap_or_else(|p| p.into_inner());
        Self::refresh(&mut f, records, cosignatures, checks);
        let not_judged: Vec<Unused> = f
            .state
            .unevaluable(&self.known, at)
            .into_iter()
            .filter_map(|u| {
                let (log, index) = f.positions.get(u.index)?.clone();
                Some(Unused {
                    log,
                    index,
                    reason: format!("{u}: not judged"),
                })
            })
            .collect();
        if let Some((when, findings)) = &f.last
            && *when == at
        {
            return (findings.clone(), f.unused.clone(), not_judged);
        }
        let mut findings = self.engine.evaluate(&f.state, at).findings();
        let failures = crate::arrival::findings(checks, at);
        if !failures.is_empty() {
            findings.extend(failures);
            accord_compliance::sort_findings(&mut findings);
        }
        let findings = Arc::new(findings);
        f.last = Some((at, findings.clone()));
        (findings, f.unused.clone(), not_judged)
    }

    /// Brings the kept state up to `records` and `cosignatures`: folded again only when
    /// records were added (those of `checks` that failed kept out), its log times set again
    /// only when cosignatures were.
    fn refresh(
        f: &mut Folded,
        records: &[LoggedRecord],
        cosignatures: &[Cosignature],
        checks: &crate::arrival::Checks,
    ) {
        if f.records != records.len() {
            // (log, index) order, so every node holding the same logs folds the same state
            // whatever order the logs arrived in.
            let mut sorted: Vec<&LoggedRecord> = records.iter().collect();
            sorted.sort_by(|a, b| (a.0.as_str(), a.1).cmp(&(b.0.as_str(), b.1)));
            let mut state = State::new();
            let mut unused = Vec::new();
            let mut positions = Vec::new();
            for (log, index, record) in sorted {
                if let Some((_, f)) = checks.failed.get(&(log.clone(), *index)) {
                    unused.push(Unused {
                        log: log.clone(),
                        index: *index,
                        reason: format!("failed its check on arrival: {f}"),
                    });
                } else if let Err(e) = state.append(record.clone()) {
                    unused.push(Unused {
                        log: log.clone(),
                        index: *index,
                        reason: e.to_string(),
                    });
                } else {
                    positions.push((log.clone(), *index));
                }
            }
            *f = Folded {
                records: records.len(),
                state,
                positions,
                cosignatures: 0,
                unused,
                last: None,
            };
        }
        if f.cosignatures != cosignatures.len() {
            let positions: Vec<(usize, LogPosition)> = f
                .positions
                .iter()
                .enumerate()
                .map(|(i, (log, index))| {
                    let position = LogPosition {
                        log: log.clone(),
                        index: *index,
                    };
                    (i, position)
                })
                .collect();
            f.state.apply_cosignatures(&positions, cosignatures);
            f.cosignatures = cosignatures.len();
            f.last = None;
        }
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
        Self::refresh(&mut f, records, cosignatures, checks);
        self.engine.open_deadlines(&f.state, at)
    }

    /// Runs `view` on the kept state over `records` and `cosignatures`, without folding it
    /// again when nothing was added.
    pub(crate) fn with_state<R>(
        &self,
        records: &[LoggedRecord],
        cosignatures: &[Cosignature],
        checks: &crate::arrival::Checks,
        view: impl FnOnce(&State) -> R,
    ) -> R {
        let mut f = self.folded.lock().unwrap_or_else(|p| p.into_inner());
        Self::refresh(&mut f, records, cosignatures, checks);
        view(&f.state)
    }
}
