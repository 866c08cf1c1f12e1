//! The node configuration file: every node setting in one TOML file, which command-line flags
//! override.
//!
//! ```toml
//! party = "US"
//! data = "us-node"                  # storage: key, trust file, database, logs
//! database = "postgres://accord@db.example/us"   # or "sqlite" (the default): node.db in data
//! listen = "127.0.0.1:7300"
//! agreements = ["vienna-document-2011", "agreements/draft.toml"]
//!
//! tls = true                        # serve TLS; peers' URLs start with https://
//!
//! [peers]
//! RU = "https://127.0.0.1:7301"
//!
//! [[witnesses]]                     # witnesses besides the peers
//! key = "w.example/witness+1a2b3c4d+BAAA..."
//! url = "http://127.0.0.1:7400"
//!
//! [witness_policy.vienna-document-2011]   # the same on every node of the agreement
//! threshold = 2
//! witnesses = ["RU", "UA", "w.example/witness"]
//!
//! [alerts]                          # new violations and deadlines coming due
//! command = "logger -t accord"      # run with the alert's JSON on standard input
//! url = "http://127.0.0.1:9000/alert"   # or posted there (loopback only)
//! within = "24h"                    # a deadline alerts once due within this time
//! ```
//!
//! Relative paths (`data`, agreement files) are read from the file's directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use accord_model::PartyId;
use serde::Deserialize;

use crate::NodeError;

/// What a node configuration file says.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The node's party.
    pub party: Option<PartyId>,
    /// The data directory.
    pub data: Option<PathBuf>,
    /// The address to listen on.
    pub listen: Option<String>,
    /// The peers' base URLs by party.
    #[serde(default)]
    pub peers: BTreeMap<PartyId, String>,
    /// The agreements judged: embedded ids or agreement files.
    #[serde(default)]
    pub agreements: Vec<String>,
    /// Witnesses asked to cosign the node's checkpoints besides the peers.
    #[serde(default)]
    pub witnesses: Vec<WitnessSetting>,
    /// The witness policy of each agreement that has one, by agreement id.
    #[serde(default)]
    pub witness_policy: BTreeMap<String, PolicySetting>,
    /// Where the node keeps its tables and its logs' sequencing (`--database`): `sqlite` (the
    /// default, files in `data`) or a PostgreSQL connection URL.
    pub database: Option<String>,
    /// Serve TLS (`--tls`).
    #[serde(default)]
    pub tls: bool,
    /// Serve plain HTTP beyond loopback (`--insecure-http`).
    #[serde(default)]
    pub insecure_http: bool,
    /// Where alerts go and when a deadline alerts.
    #[serde(default)]
    pub alerts: AlertSetting,
}

/// The `[alerts]` table: a command and/or a loopback URL, and how near a deadline alerts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertSetting {
    /// A shell command run with each alert's JSON on standard input.
    pub command: Option<String>,
    /// A loopback URL each alert's JSON is posted to.
    pub url: Option<String>,
    /// How long before it falls due a deadline alerts, such as "24h" or "90m".
    pub within: Option<String>,
}

/// A witness besides the peers, as the configuration file names it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessSetting {
    /// Its cosigner verifier key.
    pub key: String,
    /// Its submission prefix.
    pub url: String,
}

/// An agreement's witness policy, as the configuration file gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySetting {
    /// How many of the witnesses must cosign a checkpoint for it to be final.
    pub threshold: usize,
    /// The witnesses: peers' party ids or names of the configured witnesses.
    pub witnesses: Vec<String>,
}

impl Settings {
    /// Reads a configuration file; errors name the file, line and column.
    pub fn load(path: &Path) -> Result<Settings, NodeError> {
        let text = std::fs::read_to_string(path).map_err(|e| NodeError::io(path, e))?;
        let mut s: Settings = toml::from_str(&text).map_err(|e| NodeError::Config {
            file: path.to_owned(),
            reason: e.to_string(),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        if let Some(d) = &s.data
            && d.is_relative()
        {
            s.data = Some(base.join(d));
        }
        for a in &mut s.agreements {
            if a.ends_with(".toml") && Path::new(a.as_str()).is_relative() {
                *a = base.join(a.as_str()).display().to_string();
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn witnesses_and_policies_are_read_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("node.toml");
        std::fs::write(
            &path,
            "party = \"US\"\n[[witnesses]]\nkey = \"w+1+AA\"\nurl = \"http://w\"\n\
             [witness_policy.new-start]\nthreshold = 2\nwitnesses = [\"RU\", \"w\"]\n",
        )
        .unwrap();
        let s = Settings::load(&path).unwrap();
        assert_eq!(s.database, None);
        assert_eq!(
            (s.witnesses[0].key.as_str(), s.witnesses[0].url.as_str()),
            ("w+1+AA", "http://w")
        );
        let p = &s.witness_policy["new-start"];
        assert_eq!(
            (p.threshold, p.witnesses.clone()),
            (2, vec!["RU".into(), "w".into()])
        );
        std::fs::write(&path, "database = \"postgres://accord@db/us\"\n").unwrap();
        let s = Settings::load(&path).unwrap();
        assert_eq!(
            crate::store::DatabaseChoice::parse(s.database.as_deref().unwrap()).unwrap(),
            crate::store::DatabaseChoice::Postgres("postgres://accord@db/us".into())
        );
        assert!(crate::store::DatabaseChoice::parse("mysql://db").is_err());
        std::fs::write(&path, "[witness_policy.x]\nthreshold = 1\n").unwrap();
        let e = Settings::load(&path).unwrap_err().to_string();
        assert!(e.contains("witnesses"), "{e}");
    }
}
