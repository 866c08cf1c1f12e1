//! Who may read what. Checkpoints and hash tiles are public: witnesses and monitors need them,
//! and hashes reveal nothing. Everything that shows a record's contents (entry bundles, the
//! API's records, findings, hotline, state and the dashboard) is served only to a caller
//! that proved a trusted party's key through its TLS client certificate, or to the node's own
//! operator on a plain connection from loopback.

use std::net::SocketAddr;

use accord_model::PartyId;

/// Who is calling, as the connection says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// A plain-HTTP connection.
    Plain,
    /// A TLS connection whose client showed no certificate.
    Anonymous,
    /// A TLS connection whose client certificate carries this trusted party's key.
    Party(PartyId),
}

/// Whether `path` may be served to `caller` connected from `from`.
pub fn may_read(path: &str, caller: &Caller, from: Option<SocketAddr>) -> bool {
    if is_public(path) {
        return true;
    }
    match caller {
        Caller::Party(_) => true,
        Caller::Anonymous => false,
        Caller::Plain => from.is_none_or(|a| a.ip().is_loopback()),
    }
}

/// Paths anyone may read or call: checkpoints, hash tiles (never entry bundles), the witness
/// and mirror protocols (their requests carry their own signatures), the API's description and
/// the node's identity.
fn is_public(path: &str) -> bool {
    const EXACT: [&str; 4] = [
        "/openapi.json",
        "/add-checkpoint",
        "/add-entries",
        "/v1/node",
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
        ] {
            assert!(!may_read(path, &Caller::Anonymous, loopback()), "{path}");
            assert!(!may_read(path, &Caller::Plain, remote()), "{path}");
            assert!(may_read(path, &Caller::Plain, loopback()), "{path}");
            let ru = Caller::Party(PartyId::new("RU").unwrap());
            assert!(may_read(path, &ru, remote()), "{path}");
        }
    }
}
