//! The node configuration file: every node setting in one TOML file, which command-line flags
//! override.
//!
//! ```toml
//! party = "US"
//! data = "us-node"                  # storage: key, trust file, database, logs
//! listen = "127.0.0.1:7300"
//! agreements = ["vienna-document-2011", "agreements/draft.toml"]
//!
//! [peers]
//! RU = "http://127.0.0.1:7301"
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
