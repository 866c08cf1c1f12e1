//! Records the state holds but the compliance engine cannot judge: they name an agreement that
//! is not loaded, a party outside the scenario, a zone or category outside the vocabulary, or
//! answer a record the state does not hold. Each one is reported, never dropped in silence.

use std::collections::BTreeSet;

use accord_model::{
    Activity, AgreementId, Area, Category, Instant, PartyId, Record, RecordBody, RecordId, ZoneId,
};

use crate::State;

/// The names a record must use for the engine to judge it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    /// The parties of the scenario.
    pub parties: BTreeSet<PartyId>,
    /// The agreements loaded.
    pub agreements: BTreeSet<AgreementId>,
    /// The zones of the vocabulary.
    pub zones: BTreeSet<ZoneId>,
    /// The categories of the vocabulary.
    pub categories: BTreeSet<Category>,
}

/// What kind of name a record uses that is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    /// An agreement that is not loaded.
    Agreement,
    /// A party outside the scenario.
    Party,
    /// A zone outside the vocabulary.
    Zone,
    /// A category outside the vocabulary.
    Category,
    /// A record the state does not hold.
    Record,
}

impl NameKind {
    /// The word for it: `agreement`, `party`, `zone`, `category`, `record`.
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Agreement => "agreement",
            NameKind::Party => "party",
            NameKind::Zone => "zone",
            NameKind::Category => "category",
            NameKind::Record => "record",
        }
    }

    fn why(self) -> &'static str {
        match self {
            NameKind::Agreement => "is not loaded",
            NameKind::Party => "is not a party of the scenario",
            NameKind::Zone => "is not in the vocabulary",
            NameKind::Category => "is not in the vocabulary",
            NameKind::Record => "is not among the records",
        }
    }
}

/// A record the engine cannot judge, with the field and the name that stop it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("record {record} ({kind_of_record}): field `{field}`: {} `{name}` {}", .kind.as_str(), .kind.why())]
pub struct Unevaluable {
    /// Its position in the state.
    pub index: usize,
    /// Its id.
    pub record: RecordId,
    /// Its body's type, such as `notification`.
    pub kind_of_record: &'static str,
    /// The field that holds the unknown name, such as `body.activity.area.zone`.
    pub field: String,
    /// What kind of name it is.
    pub kind: NameKind,
    /// The name as written.
    pub name: String,
}

/// Collects the unknown names of one record.
struct Check<'a> {
    known: &'a Known,
    state: &'a State,
    found: Vec<(String, NameKind, String)>,
}

impl Check<'_> {
    fn agreement(&mut self, field: &str, a: &AgreementId) {
        if !self.known.agreements.contains(a) {
            self.push(field, NameKind::Agreement, a.as_str());
        }
    }
    fn party(&mut self, field: &str, p: &PartyId) {
        if !self.known.parties.contains(p) {
            self.push(field, NameKind::Party, p.as_str());
        }
    }
    fn category(&mut self, field: &str, c: &Category) {
        if !self.known.categories.contains(c) {
            self.push(field, NameKind::Category, c.as_str());
        }
    }
    fn area(&mut self, field: &str, a: &Area) {
        if let Some(z) = &a.zone
            && !self.known.zones.contains(z)
        {
            self.push(&format!("{field}.zone"), NameKind::Zone, z.as_str());
        }
    }
    fn record(&mut self, field: &str, id: &RecordId) {
        if self.state.get(id).is_none() {
            self.push(field, NameKind::Record, id.as_str());
        }
    }
    fn activity(&mut self, field: &str, a: &Activity) {
        self.area(&format!("{field}.area"), &a.area);
        for (i, f) in a.forces.iter().enumerate() {
            self.category(&format!("{field}.forces[{i}].category"), &f.category);
        }
        for (i, p) in a.participants.iter().enumerate() {
            self.party(&format!("{field}.participants[{i}]"), p);
        }
    }
    fn push(&mut self, field: &str, kind: NameKind, name: &str) {
        self.found.push((field.to_owned(), kind, name.to_owned()));
    }

    /// The names of a record the engine judges; records it does not judge (escrow, seeds,
    /// hotline) name nothing it needs.
    fn check(&mut self, r: &Record) {
        match &r.body {
            RecordBody::Declaration(d) => {
                self.party("party", &r.party);
                self.agreement("body.agreement", &d.agreement);
                for (i, h) in d.holdings.iter().enumerate() {
                    self.category(&format!("body.holdings[{i}].category"), &h.category);
                }
            }
            RecordBody::Notification(n) => {
                self.party("party", &r.party);
                self.agreement("body.agreement", &n.agreement);
                self.activity("body.activity", &n.activity);
            }
            RecordBody::AnnualCalendar(c) => {
                self.party("party", &r.party);
                self.agreement("body.agreement", &c.agreement);
                for (i, a) in c.activities.iter().enumerate() {
                    self.activity(&format!("body.activities[{i}]"), a);
                }
            }
            RecordBody::ExplanationRequest(q) => {
                self.party("party", &r.party);
                self.agreement("body.agreement", &q.agreement);
                self.party("body.to", &q.to);
                self.area("body.area", &q.area);
            }
            RecordBody::ExplanationReply(a) => self.record("body.request", &a.request),
            RecordBody::Acknowledgement(a) => self.record("body.of", &a.of),
            RecordBody::InspectionRequest(q) => {
                self.party("party", &r.party);
                self.agreement("body.agreement", &q.agreement);
                self.party("body.inspected", &q.inspected);
                if let Some(a) = &q.area {
                    self.area("body.area", a);
                }
            }
            RecordBody::InspectionReport(rep) => {
                self.record("body.request", &rep.request);
                for (i, c) in rep.counts.iter().enumerate() {
                    self.category(&format!("body.counts[{i}].category"), &c.category);
                }
            }
            RecordBody::Observation(o) => {
                self.party("body.actor", &o.actor);
                self.category("body.category", &o.category);
                self.area("body.area", &o.area);
            }
            _ => {}
        }
    }
}

impl State {
    /// How many records were issued at or before `at`.
    pub fn known_at(&self, at: Instant) -> usize {
        self.records().iter().filter(|r| r.issued_at <= at).count()
    }

    /// The records issued at or before `at` that the engine cannot judge, in log order, one
    /// entry per unknown name.
    pub fn unevaluable(&self, known: &Known, at: Instant) -> Vec<Unevaluable> {
        (0..self.len())
            .filter(|&i| self.records()[i].issued_at <= at)
            .flat_map(|i| self.unevaluable_record(known, i))
            .collect()
    }

    /// The unknown names of the record at a state position (a record it answers counts as
    /// unknown when the state does not hold it now), one entry per name.
    pub fn unevaluable_record(&self, known: &Known, index: usize) -> Vec<Unevaluable> {
        let Some(r) = self.records().get(index) else {
            return Vec::new();
        };
        let mut c = Check {
            known,
            state: self,
            found: Vec::new(),
        };
        c.check(r);
        c.found
            .into_iter()
            .map(|(field, kind, name)| Unevaluable {
                index,
                record: r.id.clone(),
                kind_of_record: r.body.kind(),
                field,
                kind,
                name,
            })
            .collect()
    }
}
