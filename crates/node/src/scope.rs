//! Who a log is for. A party keeps one log per agreement it is party to, one per hotline
//! channel, and a public log for what falls under neither (statements, open-source
//! observations, acknowledgements of public records). The scope is part of the log's origin:
//!
//! - `accord/log/{party}`: the public log, which every trusted party mirrors and reads (a data
//!   directory of a release before scoped logs holds only this one);
//! - `accord/log/{party}/{agreement}`: records under that agreement, for its parties;
//! - `accord/log/{party}/hotline/{a}/{b}`: the hotline channel between parties `a` and `b`
//!   (`a` before `b`), for its two ends.
//!
//! A log's name inside the node (its key in the tables, the `{log}` of `/v1/logs/{log}/...`,
//! and its directory under `logs/`) is its origin without `accord/log/`. Tiles and checkpoints
//! of every log are public; entries are for the readers of its scope.

use std::fmt;

use accord_model::{AgreementId, PartyId, Record, RecordBody, RecordId};

use crate::NodeError;

/// The origin prefix of every accord log.
const ORIGIN_PREFIX: &str = "accord/log/";
/// The scope word of a hotline channel's log.
const HOTLINE: &str = "hotline";
/// The subdirectory of a party's log directory that holds its scoped logs.
pub const SCOPES_DIR: &str = "scopes";

/// Who a log's entries are for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Every trusted party.
    Public,
    /// The parties of an agreement, as the agreement file the node holds lists them.
    Agreement(AgreementId),
    /// The two ends of a hotline channel, in order.
    Channel(PartyId, PartyId),
}

/// A log: its author and its scope.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogName {
    /// The party that writes the log.
    pub party: PartyId,
    /// Who its entries are for.
    pub scope: Scope,
}

/// Whether `s` is a party id a log name may hold: the node party grammar.
fn party_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= crate::keys::MAX_PARTY_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Whether `s` is an agreement id a log name may hold: letters, digits, `_`, `-`, `.` and no
/// leading dot (a path segment that never climbs), and not the scope word of the hotline.
fn agreement_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && !s.starts_with('.')
        && s != HOTLINE
        && s != SCOPES_DIR
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

impl Scope {
    /// The scope of the hotline channel between `a` and `b`, whichever end is named first.
    pub fn channel(a: PartyId, b: PartyId) -> Scope {
        if a <= b {
            Scope::Channel(a, b)
        } else {
            Scope::Channel(b, a)
        }
    }

    /// Whether `party` is a reader of this scope; `parties_of` gives the parties of an
    /// agreement the node holds (none for an agreement it does not hold).
    pub fn includes(
        &self,
        party: &PartyId,
        parties_of: impl Fn(&AgreementId) -> Option<Vec<PartyId>>,
    ) -> bool {
        match self {
            Scope::Public => true,
            Scope::Agreement(a) => parties_of(a).is_some_and(|ps| ps.contains(party)),
            Scope::Channel(a, b) => a == party || b == party,
        }
    }
}

impl LogName {
    /// The public log of `party`.
    pub fn public(party: PartyId) -> LogName {
        LogName {
            party,
            scope: Scope::Public,
        }
    }

    /// The log named `key` (an origin without `accord/log/`, such as `US/new-start`).
    pub fn parse_key(key: &str) -> Result<LogName, NodeError> {
        let bad = |why: &str| NodeError::Malformed(format!("log {key:?}: {why}"));
        let mut parts = key.split('/');
        let party = parts.next().unwrap_or_default();
        if !party_ok(party) {
            return Err(bad(&format!(
                "the author is 1 to {} ASCII letters, digits, `_` or `-`",
                crate::keys::MAX_PARTY_LEN
            )));
        }
        let party = PartyId::new(party).map_err(|e| bad(&e.to_string()))?;
        let rest: Vec<&str> = parts.collect();
        let scope = match rest.as_slice() {
            [] => Scope::Public,
            [HOTLINE, a, b] => {
                if !party_ok(a) || !party_ok(b) {
                    return Err(bad("a hotline channel names two party ids"));
                }
                if a >= b {
                    return Err(bad(
                        "a hotline channel names its two parties in order, each once",
                    ));
                }
                let ends = (
                    PartyId::new(*a).map_err(|e| bad(&e.to_string()))?,
                    PartyId::new(*b).map_err(|e| bad(&e.to_string()))?,
                );
                if party != ends.0 && party != ends.1 {
                    return Err(bad("the author of a channel's log is one of its ends"));
                }
                Scope::Channel(ends.0, ends.1)
            }
            [a] if agreement_ok(a) => {
                Scope::Agreement(AgreementId::new(*a).map_err(|e| bad(&e.to_string()))?)
            }
            _ => {
                return Err(bad(
                    "the scope is an agreement id (letters, digits, `_`, `-`, `.`) or \
                     hotline/<party>/<party>",
                ));
            }
        };
        Ok(LogName { party, scope })
    }

    /// The log whose origin line is `origin`.
    pub fn parse_origin(origin: &str) -> Result<LogName, NodeError> {
        let key = origin.strip_prefix(ORIGIN_PREFIX).ok_or_else(|| {
            NodeError::Malformed(format!(
                "origin {origin:?} is not an accord log's (accord/log/...)"
            ))
        })?;
        LogName::parse_key(key)
    }

    /// The log's name inside the node: its origin without `accord/log/`.
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// The log's origin line.
    pub fn origin(&self) -> String {
        format!("{ORIGIN_PREFIX}{self}")
    }

    /// The log's directory under the node's `logs/` directory: `{party}` for the public log,
    /// `{party}/scopes/{scope}` for a scoped one.
    pub fn dir(&self) -> std::path::PathBuf {
        let mut d = std::path::PathBuf::from(self.party.as_str());
        match &self.scope {
            Scope::Public => {}
            Scope::Agreement(a) => d.extend([SCOPES_DIR, a.as_str()]),
            Scope::Channel(a, b) => d.extend([SCOPES_DIR, HOTLINE, a.as_str(), b.as_str()]),
        }
        d
    }

    /// The log `author` writes `record` to: the log of the agreement the record names (or of
    /// the record it answers, which `log_of` finds among the logs held), the channel's log for
    /// hotline traffic, else the public log.
    pub fn for_record(
        author: &PartyId,
        record: &Record,
        log_of: impl Fn(&RecordId) -> Option<LogName>,
    ) -> LogName {
        let scope = match &record.body {
            RecordBody::HotlineMessage(m) => Scope::channel(author.clone(), m.to.clone()),
            RecordBody::HotlineReceipt(r) => match &r.from {
                Some(from) => Scope::channel(author.clone(), from.clone()),
                None => log_of(&r.message).map_or(Scope::Public, |l| l.scope),
            },
            body => match agreement_of(body) {
                Some(a) => Scope::Agreement(a.clone()),
                None => answered(body)
                    .and_then(log_of)
                    .map_or(Scope::Public, |l| l.scope),
            },
        };
        LogName {
            party: author.clone(),
            scope,
        }
    }
}

impl fmt::Display for LogName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.party.as_str())?;
        match &self.scope {
            Scope::Public => Ok(()),
            Scope::Agreement(a) => write!(f, "/{a}"),
            Scope::Channel(a, b) => write!(f, "/{HOTLINE}/{a}/{b}"),
        }
    }
}

/// The agreement a record body names, if any.
pub fn agreement_of(body: &RecordBody) -> Option<&AgreementId> {
    match body {
        RecordBody::Declaration(b) => Some(&b.agreement),
        RecordBody::Notification(b) => Some(&b.agreement),
        RecordBody::AnnualCalendar(b) => Some(&b.agreement),
        RecordBody::ExplanationRequest(b) => Some(&b.agreement),
        RecordBody::InspectionRequest(b) => Some(&b.agreement),
        RecordBody::DeclarationCommitment(b) => Some(&b.agreement),
        RecordBody::LimitProof(b) => Some(&b.agreement),
        RecordBody::EventNotice(b) => Some(&b.agreement),
        RecordBody::InspectionRefusal(b) => Some(&b.agreement),
        RecordBody::Countermeasure(b) => Some(&b.agreement),
        RecordBody::MeetingRequest(b) => Some(&b.agreement),
        RecordBody::Meeting(b) => Some(&b.agreement),
        RecordBody::Statement(b) => b.agreement.as_ref(),
        _ => None,
    }
}

/// The record a body answers or builds on (a reply's request, a report's inspection request,
/// a reveal's commitment, an acknowledged record), whose log's scope it shares.
fn answered(body: &RecordBody) -> Option<&RecordId> {
    match body {
        RecordBody::Acknowledgement(b) => Some(&b.of),
        RecordBody::ExplanationReply(b) => Some(&b.request),
        RecordBody::InspectionReport(b) => Some(&b.request),
        RecordBody::Reveal(b) => Some(&b.commitment),
        RecordBody::SeedCommit(b) => Some(&b.commitment),
        RecordBody::SeedReveal(b) => Some(&b.commit),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PartyId {
        PartyId::new(s).unwrap()
    }

    #[test]
    fn origins_round_trip_and_place_their_directories() {
        for (origin, dir) in [
            ("accord/log/US", "US"),
            ("accord/log/US/new-start", "US/scopes/new-start"),
            (
                "accord/log/RU/vienna-document-2011",
                "RU/scopes/vienna-document-2011",
            ),
            ("accord/log/US/hotline/RU/US", "US/scopes/hotline/RU/US"),
        ] {
            let log = LogName::parse_origin(origin).unwrap();
            assert_eq!(log.origin(), origin);
            assert_eq!(LogName::parse_key(&log.key()).unwrap(), log);
            assert_eq!(log.dir(), std::path::PathBuf::from(dir));
        }
        assert_eq!(
            LogName::parse_origin("accord/log/US/hotline/RU/US")
                .unwrap()
                .scope,
            Scope::channel(p("US"), p("RU"))
        );
    }

    #[test]
    fn bad_origins_are_refused_with_the_reason() {
        for (origin, why) in [
            ("accord/witness/US", "not an accord log"),
            ("accord/log/", "the author is"),
            ("accord/log/../x", "the author is"),
            ("accord/log/US/..", "the scope is"),
            ("accord/log/US/.hidden", "the scope is"),
            ("accord/log/US/", "the scope is"),
            ("accord/log/US/a/b", "the scope is"),
            ("accord/log/US/hotline", "the scope is"),
            ("accord/log/US/scopes", "the scope is"),
            ("accord/log/US/hotline/US/RU", "in order"),
            ("accord/log/US/hotline/US/US", "in order"),
            ("accord/log/US/hotline/BY/RU", "one of its ends"),
            ("accord/log/US/hotline/../US", "two party ids"),
            ("accord/log/US/new start", "the scope is"),
            ("accord/log/U S", "the author is"),
        ] {
            let e = LogName::parse_origin(origin).unwrap_err().to_string();
            assert!(e.contains(why), "{origin}: {e}");
        }
    }

    #[test]
    fn readers_are_the_agreement_parties_and_the_channel_ends() {
        let parties = |a: &AgreementId| (a.as_str() == "new-start").then(|| vec![p("US"), p("RU")]);
        let ns = Scope::Agreement(AgreementId::new("new-start").unwrap());
        assert!(ns.includes(&p("RU"), parties));
        assert!(!ns.includes(&p("BY"), parties));
        let unheld = Scope::Agreement(AgreementId::new("inf").unwrap());
        assert!(!unheld.includes(&p("US"), parties));
        let ch = Scope::channel(p("US"), p("RU"));
        assert!(ch.includes(&p("US"), parties) && ch.includes(&p("RU"), parties));
        assert!(!ch.includes(&p("BY"), parties));
        assert!(Scope::Public.includes(&p("BY"), parties));
    }

    #[test]
    fn records_go_to_the_log_of_their_agreement_channel_or_request() {
        let rec = |body: &str| -> Record {
            serde_json::from_str(&format!(
                r#"{{"id":"r1","party":"US","issued_at":"2023-01-01T00:00:00Z","body":{body}}}"#
            ))
            .unwrap()
        };
        let us = p("US");
        let none = |_: &RecordId| None;
        let decl = rec(
            r#"{"type":"declaration","agreement":"new-start","as_of":"2023-03-01","holdings":[]}"#,
        );
        assert_eq!(LogName::for_record(&us, &decl, none).key(), "US/new-start");
        let msg = rec(r#"{"type":"hotline_message","to":"RU","seq":1,"text":"hi"}"#);
        assert_eq!(
            LogName::for_record(&us, &msg, none).key(),
            "US/hotline/RU/US"
        );
        let receipt =
            rec(r#"{"type":"hotline_receipt","message":"RU-1","from":"RU","kind":"read"}"#);
        assert_eq!(
            LogName::for_record(&us, &receipt, none).key(),
            "US/hotline/RU/US"
        );
        let reply = rec(r#"{"type":"explanation_reply","request":"RU-q","text":"t"}"#);
        assert_eq!(LogName::for_record(&us, &reply, none).key(), "US");
        let vd = |_: &RecordId| {
            Some(LogName {
                party: p("RU"),
                scope: Scope::Agreement(AgreementId::new("vienna-document-2011").unwrap()),
            })
        };
        assert_eq!(
            LogName::for_record(&us, &reply, vd).key(),
            "US/vienna-document-2011"
        );
        let ack = rec(r#"{"type":"acknowledgement","of":"note-1"}"#);
        assert_eq!(LogName::for_record(&us, &ack, none).key(), "US");
    }
}
