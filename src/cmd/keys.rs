//! `accord keys`: print a node's public key and fingerprint, and add peers to its trust file.

use std::path::PathBuf;
use std::process::ExitCode;

use accord_model::PartyId;
use accord_model::envelope::key_id;
use accord_node::keys;
use anyhow::Context as _;

/// Arguments of `accord keys`.
///
/// Prints the node's Ed25519 public key (base64, as the peers put it in their trust file), its
/// fingerprint (SHA-256 of the raw key) and its DSSE key id. The key is made in DIR/node.key if
/// the node has none yet (`accord serve` makes it on first start too).
///
/// The trust file DIR/trust.toml lists the peers' keys as `[parties.ID]` tables with a `key`
/// entry; `--trust ID=KEY` adds or replaces one.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The key is made in DIR/node.key if the node has none yet. The trust file DIR/trust.toml lists
the peers' keys:

    [parties.RU]
    key = \"<base64 of the 32-byte Ed25519 public key>\"")]
pub struct Args {
    /// The node's data directory.
    #[arg(long, value_name = "DIR", env = "ACCORD_DATA")]
    pub data: PathBuf,
    /// Add a peer's public key to the trust file, as ID=BASE64KEY; repeatable.
    #[arg(long = "trust", value_name = "ID=KEY")]
    pub trust: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `accord keys`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Every `--trust` is read before anything is written, so a bad one leaves no key behind.
    let mut trust = Vec::with_capacity(args.trust.len());
    for t in &args.trust {
        let (id, k) = t
            .split_once('=')
            .with_context(|| format!("--trust {t:?} is not ID=KEY"))?;
        let party = PartyId::new(id)?;
        keys::check_party(&party)?;
        let vk = keys::parse_public_key(k)
            .with_context(|| format!("--trust {id}: not base64 of a 32-byte Ed25519 key"))?;
        trust.push((party, vk));
    }
    let key = keys::load_or_create_key(&args.data)?;
    for (party, vk) in &trust {
        keys::add_trusted(&args.data, party, vk)?;
    }
    let vk = key.verifying_key();
    let trusted: Vec<String> = keys::Trust::load(&args.data)?
        .parties()
        .map(|p| p.to_string())
        .collect();
    if args.json {
        let v = serde_json::json!({
            "public_key": keys::public_key_text(&vk),
            "fingerprint": keys::fingerprint(&vk),
            "key_id": key_id(&vk),
            "trusted": trusted,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("public key:  {}", keys::public_key_text(&vk));
        println!("fingerprint: {}", keys::fingerprint(&vk));
        println!("key id:      {}", key_id(&vk));
        println!(
            "trusted:     {}",
            if trusted.is_empty() {
                "(none)".to_owned()
            } else {
                trusted.join(", ")
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
