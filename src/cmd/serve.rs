//! `accord serve`: run a party's node.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use accord_model::PartyId;
use accord_node::client::{NodeFile, write_node_file};
use accord_node::{Config, Node, PeerConfig};
use anyhow::Context as _;

/// Arguments of `accord serve`.
///
/// The node keeps its party's log and a mirror of each peer's log in DIR/node.db (SQLite), sends
/// its log to every peer until the peer answers with a cosigned checkpoint (a receipt), carries
/// the hotline and serves the HTTP API documented at /openapi.json.
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
Keys: on first start the node makes its Ed25519 key in DIR/node.key; `accord keys --data DIR`
prints the public key and fingerprint to give to the peers.

Trust file: the peers' public keys sit in DIR/trust.toml, one table per party:

    [parties.RU]
    key = \"<base64 of the 32-byte Ed25519 public key>\"

`accord keys --data DIR --trust RU=KEY` writes it; the node re-reads it when it meets a party
it does not know yet. The node writes its URL to DIR/node.json for `accord hotline`.")]
pub struct Args {
    /// The party this node speaks for, such as US.
    #[arg(long, value_name = "ID")]
    pub party: PartyId,
    /// The data directory: key, trust file and database.
    #[arg(long, value_name = "DIR", env = "ACCORD_DATA")]
    pub data: PathBuf,
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7300")]
    pub listen: String,
    /// A peer node, as ID=URL (such as RU=http://127.0.0.1:7301); repeat for each peer.
    #[arg(long = "peer", value_name = "ID=URL", value_parser = parse_peer)]
    pub peers: Vec<PeerConfig>,
    /// The most log entries sent to a peer in one request.
    #[arg(long, default_value_t = 1000)]
    pub batch: usize,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 8 << 20)]
    pub max_body: usize,
}

fn parse_peer(s: &str) -> Result<PeerConfig, String> {
    let (id, url) = s
        .split_once('=')
        .ok_or_else(|| format!("peer {s:?} is not ID=URL"))?;
    let party = PartyId::new(id).map_err(|e| e.to_string())?;
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

/// Runs `accord serve`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut config = Config::new(args.party.clone(), args.data.clone(), args.peers);
    config.batch = args.batch.max(1);
    config.max_body = args.max_body;
    let node = Arc::new(
        Node::open(config).with_context(|| format!("opening node in {}", args.data.display()))?,
    );
    let rt = accord_node::http::runtime()?;
    let listen = args.listen.clone();
    rt.block_on(accord_node::http::bind_and_serve(node, &listen, |addr| {
        write_node_file(
            &args.data,
            &NodeFile {
                party: args.party.clone(),
                url: format!("http://{addr}"),
            },
        )?;
        println!("accord node {} listening on http://{addr}", args.party);
        Ok(())
    }))
    .with_context(|| format!("serving on {listen}"))?;
    Ok(ExitCode::SUCCESS)
}
