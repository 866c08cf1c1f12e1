//! Who may read what, and who may act. Checkpoints and hash tiles are public: witnesses and
//! monitors need them, and hashes reveal nothing; so are the witness and mirror protocols,
//! whose requests carry their own signatures. Everything that shows a record's contents
//! (entry bundles, the API's records, findings, hotline, state and the dashboard) is read only
//! by a trusted party (its TLS client certificate carries the key the trust file lists), by an
//! operator of the node (a client certificate listed in `DIR/operators.toml`), or by whoever
//! sits at the node's own machine (plain HTTP from loopback). A trusted party reads only the
//! entries of the logs whose scope includes it ([`crate::scope`]: the public logs, the logs of
//! the agreements it is party to, the hotline channels it is an end of), the findings whose
//! agreement and evidence lie in those logs and its own hotline traffic with the node; the
//! dashboard, the findings stream and the inspections view are for the node's operators and its
//! own machine. Signing and sending (records,
//! hotline messages) is for officers, the node's own key and the local machine; an analyst
//! reads only. Every operator's action is appended to `DIR/operator-actions.jsonl`.
//!
//! ```toml
//! [operators.alice]
//! key = "<base64 of the 32-byte Ed25519 public key of alice's client certificate>"
//! role = "officer"     # or "analyst"
//! ```

use std::collections::BTreeMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use accord_model::PartyId;
use axum::http::Method;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use crate::NodeError;
use crate::node::Node;

/// The file, in the data directory, of the node's operators and their roles.
pub const OPERATORS_FILE: &str = "operators.toml";

/// The file, in the data directory, where every operator action is appended.
pub const ACTIONS_FILE: &str = "operator-actions.jsonl";

/// What an operator may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads everything the node holds; signs and sends nothing.
    Analyst,
    /// Reads, and submits records and hotline messages signed with the node's key.
    Officer,
}

/// Who is calling, as the connection says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// A plain-HTTP connection.
    Plain,
    /// A TLS connection whose client showed no certificate.
    Anonymous,
    /// A TLS connection whose client certificate carries this trusted party's key.
    Party(PartyId),
    /// A TLS connection whose client certificate carries this operator's key.
    Operator {
        /// The operator's name in the operators file.
        name: String,
        /// What the operator may do.
        role: Role,
    },
}

/// What a request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Nothing: public.
    Nothing,
    /// Reads contents.
    Read,
    /// Signs and sends as the node's party.
    Act,
}

fn need(method: &Method, path: &str) -> Need {
    if is_public(path) {
        return Need::Nothing;
    }
    let acts = method == Method::POST
        && matches!(path, "/v1/records" | "/v1/records/batch" | "/hotline/send");
    if acts { Need::Act } else { Need::Read }
}

/// Whether the request `method path` signs or sends as the node's party: an operator action.
pub fn is_action(method: &Method, path: &str) -> bool {
    need(method, path) == Need::Act
}

/// Whether `caller`, connected from `from`, may read `path` (a GET).
pub fn may_read(path: &str, caller: &Caller, from: Option<SocketAddr>) -> bool {
    may(&Method::GET, path, caller, from, None)
}

/// Whether `caller`, connected from `from`, may make the request `method path` on the node of
/// party `own` (whose own key acts for it).
pub fn may(
    method: &Method,
    path: &str,
    caller: &Caller,
    from: Option<SocketAddr>,
    own: Option<&PartyId>,
) -> bool {
    let local = || from.is_none_or(|a| a.ip().is_loopback());
    match (need(method, path), caller) {
        (Need::Nothing, _) => true,
        (_, Caller::Plain) => local(),
        (_, Caller::Anonymous) => false,
        (Need::Read, Caller::Party(p)) => Some(p) == own || filtered_for_parties(path),
        (Need::Read, Caller::Operator { .. }) => true,
        (Need::Act, Caller::Party(p)) => Some(p) == own,
        (Need::Act, Caller::Operator { role, .. }) => *role == Role::Officer,
    }
}

/// Whether the answer at `path` is filtered by the reader's scopes, so that a trusted party
/// other than the node's own may read it: log entries, proofs, findings, the hotline and the
/// state summary (the logs' sizes and roots).
fn filtered_for_parties(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        ["v1", "logs", ..]
            | ["mirror", ..]
            | ["v1", "findings"]
            | ["v1", "proof"]
            | ["v1", "state"]
            | ["v1", "hotline", ..]
            | ["v1", "receipts", _]
            | ["metrics"]
    )
}

/// Whose entries a caller may read, once it may read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    /// Every log the node holds: its operators, its own key, its own machine.
    All,
    /// The logs whose scope includes this trusted party.
    Party(PartyId),
    /// No log's entries: a TLS client with no certificate, plain HTTP from beyond loopback.
    Nobody,
}

impl Reader {
    /// The reader `caller` connected from `from` is, on the node of party `own`.
    pub fn of(caller: &Caller, from: Option<SocketAddr>, own: &PartyId) -> Reader {
        match caller {
            Caller::Plain if from.is_none_or(|a| a.ip().is_loopback()) => Reader::All,
            Caller::Plain | Caller::Anonymous => Reader::Nobody,
            Caller::Operator { .. } => Reader::All,
            Caller::Party(p) if p == own => Reader::All,
            Caller::Party(p) => Reader::Party(p.clone()),
        }
    }

    /// Whether the reader may read the entries of the log named `log` on `node`.
    pub fn reads_log(&self, node: &Node, log: &str) -> bool {
        match self {
            Reader::All => true,
            Reader::Nobody => false,
            Reader::Party(p) => crate::scope::LogName::parse_key(log)
                .is_ok_and(|l| l.party == *p || node.reads(p, &l.scope)),
        }
    }

    /// The party the reader is limited to, if it is a trusted party other than the node's.
    pub fn party(&self) -> Option<&PartyId> {
        match self {
            Reader::Party(p) => Some(p),
            _ => None,
        }
    }
}

/// Paths anyone may read or call: checkpoints, hash tiles (never entry bundles), the witness
/// and mirror protocols (their requests carry their own signatures), the API's description,
/// the node's identity and its health (for a load balancer or supervisor on another host).
fn is_public(path: &str) -> bool {
    const EXACT: [&str; 5] = [
        "/openapi.json",
        "/add-checkpoint",
        "/add-entries",
        "/v1/node",
        "/healthz",
    ];
    if EXACT.contains(&path) {
        return true;
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["mirror", _, "checkpoint"] | ["v1", "logs", _, "checkpoint"] => true,
        ["mirror", _, "tile", rest @ ..] | ["v1", "logs", _, "tile", rest @ ..] => {
            rest.first().is_some_and(|level| *level != "entries")
        }
        _ => false,
    }
}

/// An operator as the operators file lists it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct OperatorEntry {
    key: String,
    role: Role,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OperatorsFile {
    #[serde(default)]
    operators: BTreeMap<String, OperatorEntry>,
}

/// The node's operators: names, keys and roles.
#[derive(Debug, Clone, Default)]
pub struct Operators {
    by_key: Vec<(VerifyingKey, String, Role)>,
}

impl Operators {
    /// Reads `DIR/operators.toml`; no file means no operator. Errors name the file and the
    /// operator.
    pub fn load(dir: &Path) -> Result<Operators, NodeError> {
        let path = dir.join(OPERATORS_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Operators::default()),
            Err(e) => return Err(NodeError::io(&path, e)),
        };
        let file: OperatorsFile = toml::from_str(&text).map_err(|e| NodeError::Config {
            file: path.clone(),
            reason: e.to_string(),
        })?;
        let mut by_key = Vec::new();
        for (name, entry) in file.operators {
            let key =
                crate::keys::parse_public_key(&entry.key).ok_or_else(|| NodeError::Config {
                    file: path.clone(),
                    reason: format!(
                        "operators.{name}.key is not base64 of a 32-byte Ed25519 public key"
                    ),
                })?;
            by_key.push((key, name, entry.role));
        }
        Ok(Operators { by_key })
    }

    /// The operator whose key `key` is.
    pub fn find(&self, key: &VerifyingKey) -> Option<Caller> {
        self.by_key
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, name, role)| Caller::Operator {
                name: name.clone(),
                role: *role,
            })
    }
}

/// The node's rules of access: its trusted parties and its operators, and the file where
/// operators' actions are kept.
#[derive(Debug)]
pub struct Access {
    node: Arc<Node>,
    operators: Operators,
    actions: PathBuf,
    /// Serialises appends to the actions file.
    append: Mutex<()>,
}

impl Access {
    /// The access rules of `node`, its operators read from its data directory.
    pub fn new(node: Arc<Node>) -> Result<Access, NodeError> {
        let operators = Operators::load(node.dir())?;
        let actions = node.dir().join(ACTIONS_FILE);
        Ok(Access {
            node,
            operators,
            actions,
            append: Mutex::new(()),
        })
    }

    /// Whether `caller` from `from` may make the request `method path`.
    pub fn may(
        &self,
        method: &Method,
        path: &str,
        caller: &Caller,
        from: Option<SocketAddr>,
    ) -> bool {
        may(method, path, caller, from, Some(&self.node.party))
    }

    /// Appends an operator action (who, what, when, with its outcome) to the actions file,
    /// durably; only requests that sign or send are actions.
    pub fn record(
        &self,
        method: &Method,
        path: &str,
        caller: &Caller,
        from: Option<SocketAddr>,
        status: u16,
    ) -> Result<(), NodeError> {
        if !is_action(method, path) {
            return Ok(());
        }
        let (who, role) = match caller {
            Caller::Operator { name, role } => (name.clone(), Some(*role)),
            Caller::Party(p) => (format!("the node's key ({p})"), None),
            Caller::Plain | Caller::Anonymous => (
                format!(
                    "local ({})",
                    from.map(|a| a.to_string()).unwrap_or_default()
                ),
                None,
            ),
        };
        let line = serde_json::json!({
            "at": self.node.now().to_string(),
            "who": who,
            "role": role,
            "action": format!("{method} {path}"),
            "status": status,
        });
        let _guard = self.append.lock().unwrap_or_else(|p| p.into_inner());
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.actions)
            .map_err(|e| NodeError::io(&self.actions, e))?;
        writeln!(f, "{line}").map_err(|e| NodeError::io(&self.actions, e))?;
        f.sync_data().map_err(|e| NodeError::io(&self.actions, e))
    }
}

impl crate::tls::Pins for Access {
    fn caller(&self, key: &VerifyingKey) -> Option<Caller> {
        self.operators
            .find(key)
            .or_else(|| crate::tls::Pins::caller(self.node.as_ref(), key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> Option<SocketAddr> {
        Some("127.0.0.1:4000".parse().unwrap())
    }

    fn remote() -> Option<SocketAddr> {
        Some("192.0.2.7:4000".parse().unwrap())
    }

    #[test]
    fn hashes_and_checkpoints_are_public() {
        for path in [
            "/v1/logs/US/checkpoint",
            "/v1/logs/US/tile/0/000",
            "/v1/logs/US/tile/1/x001/234.p/5",
            "/mirror/abc/checkpoint",
            "/mirror/abc/tile/0/000",
            "/add-checkpoint",
            "/add-entries",
            "/openapi.json",
            "/v1/node",
            "/healthz",
        ] {
            assert!(may_read(path, &Caller::Anonymous, remote()), "{path}");
        }
    }

    #[test]
    fn contents_need_a_party_or_the_local_operator() {
        for path in [
            "/v1/logs/US/tile/entries/000",
            "/mirror/abc/tile/entries/000",
            "/v1/logs/US/entries",
            "/v1/findings",
            "/v1/proof",
            "/v1/hotline/inbox",
            "/v1/records",
            "/v1/state",
            "/",
            "/records/x",
            "/metrics",
        ] {
            assert!(!may_read(path, &Caller::Anonymous, loopback()), "{path}");
            assert!(!may_read(path, &Caller::Plain, remote()), "{path}");
            assert!(may_read(path, &Caller::Plain, loopback()), "{path}");
        }
    }

    #[test]
    fn another_party_reads_the_filtered_answers_and_not_the_dashboard() {
        let (us, ru) = (PartyId::new("US").unwrap(), PartyId::new("RU").unwrap());
        let peer = Caller::Party(ru.clone());
        let get = Method::GET;
        for path in [
            "/v1/logs/US/tile/entries/000",
            "/mirror/abc/tile/entries/000",
            "/v1/logs/US/entries",
            "/v1/findings",
            "/v1/proof",
            "/v1/hotline/inbox",
            "/v1/hotline/sent",
            "/v1/state",
            "/v1/receipts/RU",
            "/metrics",
        ] {
            assert!(may(&get, path, &peer, remote(), Some(&us)), "{path}");
        }
        for path in [
            "/",
            "/findings",
            "/records/x",
            "/timeline",
            "/hotline",
            "/escrow",
            "/v1/findings/stream",
            "/v1/inspections",
        ] {
            assert!(!may(&get, path, &peer, remote(), Some(&us)), "{path}");
            let own = Caller::Party(us.clone());
            assert!(may(&get, path, &own, remote(), Some(&us)), "{path}");
        }
        assert_eq!(Reader::of(&peer, remote(), &us), Reader::Party(ru));
        assert_eq!(
            Reader::of(&Caller::Party(us.clone()), remote(), &us),
            Reader::All
        );
        assert_eq!(Reader::of(&Caller::Plain, loopback(), &us), Reader::All);
        assert_eq!(Reader::of(&Caller::Plain, remote(), &us), Reader::Nobody);
        assert_eq!(
            Reader::of(&Caller::Anonymous, loopback(), &us),
            Reader::Nobody
        );
    }

    #[test]
    fn analysts_read_officers_act() {
        let us = PartyId::new("US").unwrap();
        let post = Method::POST;
        let analyst = Caller::Operator {
            name: "a".into(),
            role: Role::Analyst,
        };
        let officer = Caller::Operator {
            name: "o".into(),
            role: Role::Officer,
        };
        for path in ["/v1/records", "/v1/records/batch", "/hotline/send"] {
            assert!(!may(&post, path, &analyst, remote(), Some(&us)), "{path}");
            assert!(may(&post, path, &officer, remote(), Some(&us)), "{path}");
            let own = Caller::Party(us.clone());
            assert!(may(&post, path, &own, remote(), Some(&us)), "{path}");
            let peer = Caller::Party(PartyId::new("RU").unwrap());
            assert!(!may(&post, path, &peer, remote(), Some(&us)), "{path}");
            assert!(
                may(&post, path, &Caller::Plain, loopback(), Some(&us)),
                "{path}"
            );
            assert!(
                !may(&post, path, &Caller::Anonymous, loopback(), Some(&us)),
                "{path}"
            );
        }
        assert!(may(
            &Method::GET,
            "/v1/findings",
            &analyst,
            remote(),
            Some(&us)
        ));
    }

    #[test]
    fn a_bad_operators_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Operators::load(dir.path()).unwrap().by_key.is_empty());
        std::fs::write(
            dir.path().join(OPERATORS_FILE),
            "[operators.alice]\nkey = \"nope\"\nrole = \"officer\"\n",
        )
        .unwrap();
        let e = Operators::load(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("operators.toml") && e.contains("operators.alice.key"),
            "{e}"
        );
        std::fs::write(
            dir.path().join(OPERATORS_FILE),
            "[operators.alice]\nkey = \"AAAA\"\nrole = \"admin\"\n",
        )
        .unwrap();
        let e = Operators::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("operators.toml") && e.contains("admin"), "{e}");
    }
}
