//! `accord serve`: run a party's node.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use accord_model::PartyId;
use accord_node::client::{NodeFile, write_node_file};
use accord_node::node::{PolicyConfig, WitnessConfig};
use accord_node::{Config, Node, PeerConfig};
use anyhow::Context as _;

/// Arguments of `accord serve`.
///
/// The node keeps its party's log and a mirror of each peer's log under DIR, sends its log to
/// every peer (C2SP tlog-witness `add-checkpoint`, then tlog-mirror `add-entries`) until the
/// peer answers with its mirror cosignature (a receipt), asks its other witnesses to cosign, says
/// which checkpoint each agreement's witness policy makes final, carries the hotline and serves
/// the HTTP API documented at /openapi.json.
///
/// On first start the node makes its Ed25519 key in DIR/node.key; `accord keys --data DIR` prints
/// the public key to give to the peers. The peers' public keys sit in the trust file
/// DIR/trust.toml, one table per party:
///
///   [parties.RU]
///   key = "base64 of the 32-byte Ed25519 public key"
///
/// (`accord keys --data DIR --trust RU=KEY` writes it.) The node re-reads the trust file when it
/// meets a party it does not know yet.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Logs: each request (method, path, status, latency, peer) and the outbox's retries go to standard
error; RUST_LOG filters them (`RUST_LOG=warn` keeps warnings only).

Keys: on first start the node makes its Ed25519 key in DIR/node.key; `accord keys --data DIR`
prints the public key and fingerprint to give to the peers.

Trust file: the peers' public keys sit in DIR/trust.toml, one table per party:

    [parties.RU]
    key = \"<base64 of the 32-byte Ed25519 public key>\"

`accord keys --data DIR --trust RU=KEY` writes it; the node re-reads it when it meets a party
it does not know yet. The node writes its URL to DIR/node.json for `accord hotline`.")]
pub struct Args {
    /// A node configuration file (TOML: party, data, listen, agreements, `[peers]`,
    /// `[[witnesses]]`, `[witness_policy.AGREEMENT]`); the flags below override what it says.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The party this node speaks for, such as US (1 to 32 letters, digits, `_` or `-`).
    #[arg(long, value_name = "ID", value_parser = parse_party)]
    pub party: Option<PartyId>,
    /// The data directory: key, trust file and database.
    #[arg(long, value_name = "DIR", env = "ACCORD_DATA")]
    pub data: Option<PathBuf>,
    /// The address to listen on [default: 127.0.0.1:7300].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// A peer node, as ID=URL (such as RU=http://127.0.0.1:7301); repeat for each peer.
    #[arg(long = "peer", value_name = "ID=URL", value_parser = parse_peer)]
    pub peers: Vec<PeerConfig>,
    /// An agreement the node judges its logs against: an embedded id (such as
    /// vienna-document-2011) or an agreement TOML file; repeat for each.
    #[arg(long = "agreement", value_name = "ID|FILE")]
    pub agreements: Vec<String>,
    /// A witness asked to cosign the node's checkpoints besides the peers, as VKEY@URL: its
    /// cosigner verifier key (`<name>+<key id>+<base64>`) and its C2SP tlog-witness
    /// submission prefix; repeat for each.
    #[arg(long = "witness", value_name = "VKEY@URL", value_parser = parse_witness)]
    pub witnesses: Vec<WitnessConfig>,
    /// The witness policy of an agreement, as AGREEMENT=K/W1,W2,...: its checkpoints are final
    /// once K of the witnesses W (peers' party ids, or names of --witness keys) cosigned them.
    /// Every node of the agreement is to hold the same policy; repeat for each agreement.
    #[arg(long = "witness-policy", value_name = "AGREEMENT=K/W,...", value_parser = parse_policy)]
    pub policies: Vec<PolicyConfig>,
    /// The most log entries sent to a peer in one request.
    #[arg(long, default_value_t = 1000)]
    pub batch: usize,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 8 << 20)]
    pub max_body: usize,
    /// Seconds a client may take to send a request's headers; idle connections are closed
    /// after as long.
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    pub header_timeout: f64,
    /// Seconds a request may take before it is answered 408.
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub request_timeout: f64,
    /// The most connections open at once from one peer address; more are closed at once.
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub max_connections_per_address: usize,
    /// The most connections open at once in all.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub max_connections: usize,
    /// Where the node keeps its tables and its logs' sequencing: `sqlite` (the default: files
    /// in the data directory) or a PostgreSQL connection URL (postgres://USER@HOST/DB, or
    /// postgresql://USER@%2Fsocket%2Fdir/DB for a Unix socket); tiles stay files in DIR.
    #[arg(long, value_name = "sqlite|URL")]
    pub database: Option<String>,
    /// Serve TLS: the node's certificate is made from its key at first start (DIR/tls-cert.der)
    /// and peers are recognised by the keys of the trust file; peers' URLs then start with
    /// https://. Needed to listen beyond loopback.
    #[arg(long)]
    pub tls: bool,
    /// Serve plain HTTP on an address beyond loopback (records and hotline messages then
    /// cross the network readable by anyone on the path).
    #[arg(long, conflicts_with = "tls")]
    pub insecure_http: bool,
    /// A shell command run once per alert (a new violation, a deadline coming due) with the
    /// alert's JSON on standard input.
    #[arg(long, value_name = "CMD")]
    pub alert_command: Option<String>,
    /// A URL on this machine (http://127.0.0.1:..., http://localhost:... or the IPv6 loopback)
    /// each alert's JSON is posted to, once.
    #[arg(long, value_name = "URL")]
    pub alert_url: Option<String>,
    /// A deadline alerts once it is due within this time, such as 24h, 90m or 2d
    /// [default: 24h].
    #[arg(long, value_name = "DURATION")]
    pub alert_within: Option<String>,
}

/// A duration as `alert_within` takes it: a number and a unit (s, m, h, d), such as 90m.
fn parse_within(s: &str) -> anyhow::Result<std::time::Duration> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(split);
    let n: u64 = n
        .parse()
        .with_context(|| format!("alert within {s:?}: give a number and a unit, such as 24h"))?;
    let unit = match unit.trim() {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        other => anyhow::bail!("alert within {s:?}: unit {other:?} is not s, m, h or d"),
    };
    Ok(std::time::Duration::from_secs(n.saturating_mul(unit)))
}

fn seconds(flag: &str, v: f64) -> anyhow::Result<std::time::Duration> {
    std::time::Duration::try_from_secs_f64(v)
        .ok()
        .filter(|d| !d.is_zero())
        .with_context(|| format!("--{flag} {v}: give a positive number of seconds"))
}

fn parse_party(s: &str) -> Result<PartyId, String> {
    let party = PartyId::new(s).map_err(|e| e.to_string())?;
    accord_node::keys::check_party(&party).map_err(|e| e.to_string())?;
    Ok(party)
}

fn parse_peer(s: &str) -> Result<PeerConfig, String> {
    let (id, url) = s
        .split_once('=')
        .ok_or_else(|| format!("peer {s:?} is not ID=URL"))?;
    let party = PartyId::new(id).map_err(|e| e.to_string())?;
    accord_node::keys::check_party(&party).map_err(|e| e.to_string())?;
    if !url.starts_with("http://") && !url.starts_with("https://") {
        return Err(format!(
            "peer {id}: URL {url:?} must start with http:// or https://"
        ));
    }
    Ok(PeerConfig {
        party,
        url: url.trim_end_matches('/').to_owned(),
    })
}

fn parse_witness(s: &str) -> Result<WitnessConfig, String> {
    let (vkey, url) = s
        .split_once('@')
        .ok_or_else(|| format!("witness {s:?} is not VKEY@URL"))?;
    accord_log::CosignatureVerifier::new(vkey).map_err(|e| e.to_string())?;
    if !url.starts_with("http://") && !url.starts_with("https://") {
        return Err(format!(
            "witness URL {url:?} must start with http:// or https://"
        ));
    }
    Ok(WitnessConfig {
        vkey: vkey.to_owned(),
        url: url.trim_end_matches('/').to_owned(),
    })
}

fn parse_policy(s: &str) -> Result<PolicyConfig, String> {
    let bad = || format!("witness policy {s:?} is not AGREEMENT=K/W1,W2,...");
    let (agreement, rest) = s.split_once('=').ok_or_else(bad)?;
    let (k, names) = rest.split_once('/').ok_or_else(bad)?;
    let threshold: usize = k.parse().map_err(|_| bad())?;
    let witnesses: Vec<String> = names.split(',').map(str::to_owned).collect();
    if threshold == 0 || threshold > witnesses.len() || witnesses.iter().any(String::is_empty) {
        return Err(format!(
            "witness policy {s:?}: K must be from 1 to the number of witnesses"
        ));
    }
    Ok(PolicyConfig {
        agreement: accord_model::AgreementId::new(agreement).map_err(|e| e.to_string())?,
        threshold,
        witnesses,
    })
}

/// Sends the node's logs (each request, the outbox's retries, what it runs with) to standard
/// error, filtered by `RUST_LOG` (such as `warn` or `accord_node::request=off,info`; `info` if
/// unset).
fn init_logging() -> anyhow::Result<()> {
    use tracing_subscriber::EnvFilter;
    let filter = match std::env::var("RUST_LOG") {
        Ok(v) => EnvFilter::try_new(&v).with_context(|| format!("RUST_LOG={v:?}"))?,
        Err(_) => EnvFilter::new("info"),
    };
    // A second call (tests running several nodes in one process) keeps the first.
    use std::io::IsTerminal as _;
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr)
        .try_init();
    Ok(())
}

/// Runs `accord serve`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    init_logging()?;
    let file = match &args.config {
        Some(path) => accord_node::settings::Settings::load(path)?,
        None => accord_node::settings::Settings::default(),
    };
    let party = match args.party.or(file.party) {
        Some(p) => parse_party(p.as_str()).map_err(anyhow::Error::msg)?,
        None => anyhow::bail!("give the node's party: --party ID, or `party` in --config FILE"),
    };
    let data = args
        .data
        .or(file.data)
        .context("give the data directory: --data DIR, or `data` in --config FILE")?;
    let listen = args
        .listen
        .or(file.listen)
        .unwrap_or_else(|| "127.0.0.1:7300".to_owned());
    let peers = if args.peers.is_empty() {
        file.peers
            .iter()
            .map(|(p, url)| parse_peer(&format!("{p}={url}")).map_err(anyhow::Error::msg))
            .collect::<anyhow::Result<Vec<_>>>()?
    } else {
        args.peers
    };
    let agreements = if args.agreements.is_empty() {
        file.agreements
    } else {
        args.agreements
    };
    let mut config = Config::new(party.clone(), data.clone(), peers);
    config.batch = args.batch.max(1);
    config.max_body = args.max_body;
    config.header_timeout = seconds("header-timeout", args.header_timeout)?;
    config.request_timeout = seconds("request-timeout", args.request_timeout)?;
    config.max_connections_per_address = args.max_connections_per_address.max(1);
    config.max_connections = args.max_connections.max(1);
    config.tls = args.tls || file.tls;
    if let Some(database) = args.database.or(file.database) {
        config.database = accord_node::store::DatabaseChoice::parse(&database)?;
    }
    let plain_beyond_loopback = args.insecure_http || file.insecure_http;
    config.witnesses = if args.witnesses.is_empty() {
        file.witnesses
            .iter()
            .map(|w| parse_witness(&format!("{}@{}", w.key, w.url)).map_err(anyhow::Error::msg))
            .collect::<anyhow::Result<_>>()?
    } else {
        args.witnesses
    };
    config.policies = if args.policies.is_empty() {
        file.witness_policy
            .iter()
            .map(|(agreement, p)| {
                let spec = format!("{agreement}={}/{}", p.threshold, p.witnesses.join(","));
                parse_policy(&spec).map_err(anyhow::Error::msg)
            })
            .collect::<anyhow::Result<_>>()?
    } else {
        args.policies
    };
    config.alerts.command = args.alert_command.or(file.alerts.command);
    config.alerts.url = args.alert_url.or(file.alerts.url);
    if let Some(url) = &config.alerts.url {
        accord_node::alerts::check_url(url)?;
    }
    if let Some(w) = args.alert_within.or(file.alerts.within) {
        config.alerts.within = parse_within(&w)?;
    }
    config.agreements = agreements
        .iter()
        .map(|a| accord_node::judge::resolve_agreement(a))
        .collect::<Result<_, _>>()?;
    let held: Vec<_> = config.agreements.iter().map(|a| a.held.clone()).collect();
    let node = Arc::new(
        Node::open(config).with_context(|| format!("opening node in {}", data.display()))?,
    );
    let rt = accord_node::http::runtime()?;
    if node.config.alerts.delivers() {
        rt.spawn(accord_node::alerts::watch(node.clone()));
    }
    let scheme = if node.config.tls { "https" } else { "http" };
    rt.block_on(accord_node::http::bind_and_serve(node, &listen, |addr| {
        if scheme == "http" && !addr.ip().is_loopback() && !plain_beyond_loopback {
            return Err(accord_node::NodeError::Config {
                file: data.clone(),
                reason: format!(
                    "{addr} is beyond loopback: serve it with --tls, or give --insecure-http \
                     to send records in the clear"
                ),
            });
        }
        write_node_file(
            &data,
            &NodeFile {
                party: party.clone(),
                url: format!("{scheme}://{addr}"),
                agreements: held.clone(),
            },
        )?;
        println!("accord node {party} listening on {scheme}://{addr}");
        Ok(())
    }))
    .with_context(|| format!("serving on {listen}"))?;
    Ok(ExitCode::SUCCESS)
}
