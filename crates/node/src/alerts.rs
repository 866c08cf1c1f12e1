//! Alerts: a new violation among the engine's findings, or an open deadline that comes within
//! the configured time, is handed once to a command (the alert's JSON on its standard input)
//! and/or posted as JSON to a URL on the node's own machine. What was alerted is remembered in
//! the data directory (`alerted.jsonl`, one destination and key a line), so a restart alerts
//! nothing twice.
//! The overview page lists the same alerts.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use accord_compliance::Deadline;
use accord_model::{Finding, Instant, Severity};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::NodeError;
use crate::node::Node;

/// The file, in the data directory, of the keys of the alerts already given.
pub const ALERTED_FILE: &str = "alerted.jsonl";

/// How often the node looks for new alerts.
const POLL: Duration = Duration::from_secs(1);

/// Where alerts go and when a deadline alerts.
#[derive(Debug, Clone)]
pub struct AlertConfig {
    /// A shell command run once per alert with the alert's JSON on standard input.
    pub command: Option<String>,
    /// A URL on the node's own machine (loopback) the alert's JSON is posted to.
    pub url: Option<String>,
    /// An open deadline alerts once it is due within this time.
    pub within: Duration,
}

impl Default for AlertConfig {
    /// No command, no URL, deadlines within 24 hours.
    fn default() -> Self {
        AlertConfig {
            command: None,
            url: None,
            within: Duration::from_secs(24 * 3600),
        }
    }
}

impl AlertConfig {
    /// Whether alerts go anywhere.
    pub fn delivers(&self) -> bool {
        self.command.is_some() || self.url.is_some()
    }
}

/// Checks that an alert URL is `http://` to a loopback address (127.0.0.0/8, `[::1]` or
/// `localhost`): alerts leave the node only for the machine it runs on.
pub fn check_url(url: &str) -> Result<(), NodeError> {
    let bad = |why: &str| NodeError::Malformed(format!("alert URL {url:?}: {why}"));
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| bad("must start with http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(bad(
            "the host must be a loopback address (127.0.0.1, [::1] or localhost)",
        ))
    }
}

/// What an alert is about.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "alert", rename_all = "snake_case")]
pub enum Subject {
    /// A violation among the engine's findings.
    Violation {
        /// The finding.
        finding: Finding,
    },
    /// An open deadline due within the configured time.
    Deadline {
        /// The deadline.
        deadline: Deadline,
    },
}

/// One alert: what it is about, the node that gives it, and the key it is remembered by.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    /// The party of the node that gives it.
    pub node: String,
    /// The instant it was found at.
    pub at: Instant,
    /// What it is about.
    #[serde(flatten)]
    pub subject: Subject,
    /// SHA-256 of the finding (agreement, provision, party, message id, evidence: not the
    /// figures, which grow as time passes) or of the deadline: the same violation or deadline
    /// has the same key at any instant.
    pub key: String,
}

fn key_of<T: Serialize>(kind: &str, what: &T) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    h.update(serde_json::to_vec(what).unwrap_or_default());
    hex::encode(h.finalize())
}

/// The alerts at `at`: every violation among `findings`, and every deadline of `deadlines`
/// due within `within` of `at`.
pub fn alerts_at(
    node: &str,
    findings: &[Finding],
    deadlines: &[Deadline],
    at: Instant,
    within: Duration,
) -> Vec<Alert> {
    let within = jiff::SignedDuration::try_from(within).unwrap_or(jiff::SignedDuration::MAX);
    let horizon = at.checked_add(within).unwrap_or(Instant::MAX);
    let mut out: Vec<Alert> = findings
        .iter()
        .filter(|f| f.severity == Severity::Violation)
        .map(|f| Alert {
            node: node.to_owned(),
            at,
            key: key_of(
                "violation",
                &(
                    &f.agreement,
                    &f.provision,
                    &f.party,
                    &f.message.id,
                    &f.evidence,
                ),
            ),
            subject: Subject::Violation { finding: f.clone() },
        })
        .collect();
    out.extend(
        deadlines
            .iter()
            .filter(|d| d.due >= at && d.due <= horizon)
            .map(|d| Alert {
                node: node.to_owned(),
                at,
                key: key_of("deadline", d),
                subject: Subject::Deadline {
                    deadline: d.clone(),
                },
            }),
    );
    out
}

/// The alerts of a node at `at`, as its overview shows them.
pub fn node_alerts(node: &Node, at: Instant) -> Result<Vec<Alert>, NodeError> {
    let findings = node.judged(at)?;
    let deadlines = node.open_deadlines(at)?;
    Ok(alerts_at(
        node.party.as_str(),
        &findings.findings,
        &deadlines,
        at,
        node.config.alerts.within,
    ))
}

/// The keys of the alerts given, kept in a file of the data directory.
struct Alerted {
    path: PathBuf,
    keys: BTreeSet<String>,
}

impl Alerted {
    fn open(dir: &Path) -> Result<Self, NodeError> {
        let path = dir.join(ALERTED_FILE);
        let keys = match std::fs::read_to_string(&path) {
            Ok(text) => text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeSet::new(),
            Err(e) => return Err(NodeError::io(&path, e)),
        };
        Ok(Alerted { path, keys })
    }

    fn remember(&mut self, key: &str) -> Result<(), NodeError> {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| NodeError::io(&self.path, e))?;
        writeln!(f, "{key}").map_err(|e| NodeError::io(&self.path, e))?;
        self.keys.insert(key.to_owned());
        Ok(())
    }
}

/// Runs the alert command with `json` on its standard input; Ok once it exits 0.
fn run_command(command: &str, json: &[u8]) -> Result<(), String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("alert command {command:?}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(json)
            .map_err(|e| format!("alert command {command:?}: writing its input: {e}"))?;
    }
    let status = child
        .wait()
        .map_err(|e| format!("alert command {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("alert command {command:?} exited with {status}"))
    }
}

/// Posts `json` to the alert URL; Ok once it answers 2xx.
async fn post(client: &reqwest::Client, url: &str, json: Vec<u8>) -> Result<(), String> {
    let answer = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(json)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .map_err(|e| format!("alert URL {url}: {e}"))?;
    if answer.status().is_success() {
        Ok(())
    } else {
        Err(format!("alert URL {url} answered {}", answer.status()))
    }
}

/// Watches the node for alerts for as long as the node runs, giving each one once: a command
/// that fails or a URL that does not answer 2xx is tried again at the next look. Stops, saying
/// why in the node's log, only when what was alerted cannot be read or remembered.
pub async fn watch(node: Arc<Node>) {
    if let Err(e) = give_alerts(node).await {
        tracing::error!("alerts stopped: {e}");
    }
}

async fn give_alerts(node: Arc<Node>) -> Result<(), NodeError> {
    let config = node.config.alerts.clone();
    if !config.delivers() {
        return Ok(());
    }
    let client = crate::tls::plain_client()?;
    let mut alerted = Alerted::open(&node.config.data)?;
    loop {
        let n = node.clone();
        let found = tokio::task::spawn_blocking(move || node_alerts(&n, n.now()))
            .await
            .map_err(|e| NodeError::Malformed(format!("alerts: {e}")))?;
        match found {
            Err(e) => tracing::warn!("alerts: {e}"),
            Ok(alerts) => {
                // Each destination is remembered on its own: a URL that was down does not
                // make the command run twice.
                for alert in &alerts {
                    let json = serde_json::to_vec(alert).unwrap_or_default();
                    if let Some(command) = &config.command {
                        let key = format!("command:{}", alert.key);
                        if !alerted.keys.contains(&key) {
                            let (command, input) = (command.clone(), json.clone());
                            let ran =
                                tokio::task::spawn_blocking(move || run_command(&command, &input))
                                    .await
                                    .map_err(|e| e.to_string())
                                    .and_then(|r| r);
                            match ran {
                                Ok(()) => alerted.remember(&key)?,
                                Err(e) => tracing::warn!("{e}"),
                            }
                        }
                    }
                    if let Some(url) = &config.url {
                        let key = format!("url:{}", alert.key);
                        if !alerted.keys.contains(&key) {
                            match post(&client, url, json).await {
                                Ok(()) => alerted.remember(&key)?,
                                Err(e) => tracing::warn!("{e}"),
                            }
                        }
                    }
                }
            }
        }
        tokio::time::sleep(POLL).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_urls_take_alerts() {
        for ok in [
            "http://127.0.0.1:9000/alert",
            "http://127.0.0.2/x",
            "http://localhost:80",
            "http://[::1]:8080/a",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "https://127.0.0.1/a",
            "http://10.0.0.1/a",
            "http://example.org/a",
            "http://127.0.0.1.example.org/a",
            "ftp://127.0.0.1/",
        ] {
            let e = check_url(bad).unwrap_err().to_string();
            assert!(e.contains(bad), "{bad}: {e}");
        }
    }
}
