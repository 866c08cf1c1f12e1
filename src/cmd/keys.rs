//! `accord keys`: print a node's public key and fingerprint, add parties' keys to its trust
//! file, rotate the node's own key and revoke a compromised one.

use std::path::{Path, PathBuf};
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
/// The trust file DIR/trust.toml lists the parties' keys; `--trust ID=KEY` adds or replaces
/// one party's single key, and the subcommands manage several keys per party.
#[derive(Debug, clap::Args)]
#[command(
    subcommand_negates_reqs = true,
    after_help = "\
The key is made in DIR/node.key if the node has none yet. The trust file DIR/trust.toml lists
the parties' keys, one key valid at every instant:

    [parties.RU]
    key = \"<base64 of the 32-byte Ed25519 public key>\"

or several, each with the period in which it counts and a revocation date from which its
signatures count for nothing (RFC 3339 instants, every field but `key` optional):

    [[parties.RU.keys]]
    key = \"<old key>\"
    until = \"2027-01-08T00:00:00Z\"
    revoked = \"2027-01-05T00:00:00Z\"

    [[parties.RU.keys]]
    key = \"<new key>\"
    from = \"2027-01-01T00:00:00Z\""
)]
pub struct Args {
    /// The node's data directory.
    #[arg(long, value_name = "DIR", env = "ACCORD_DATA", required = true)]
    pub data: Option<PathBuf>,
    /// Add a peer's public key to the trust file, as ID=BASE64KEY; repeatable.
    #[arg(long = "trust", value_name = "ID=KEY")]
    pub trust: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// What to change.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands of `accord keys`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Add a party's key to the trust file beside its others, or change its period.
    #[command(after_help = "\
Examples:

    # A peer's new key, counting from the start of its rotation:
    accord keys add --data DIR --party RU --key <base64> --from 2027-01-01T00:00:00Z

    # The end of its old key's period, once the rotation's overlap is over:
    accord keys add --data DIR --party RU --key <old base64> --until 2027-01-08

    # An open-source party, whose log holds observations only:
    accord keys add --data DIR --party OSINT --key <base64> --role open-sources

Instants are RFC 3339, or a date meaning its midnight UTC. A running node reads its trust file
again when it changes: no restart is needed.")]
    Add(KeyArgs),
    /// Revoke a party's key (a peer's, or one of the node's own former keys): from the instant
    /// given, its signatures count for nothing.
    #[command(after_help = "\
When a key is found compromised, revoke it on every node that trusts it, from the earliest
instant it may have been in other hands:

    accord keys revoke --data DIR --party RU --key <base64> --at 2027-01-05T12:00:00Z

From then on the node takes nothing on that key alone: a checkpoint of the party's log signed
only by it is refused (add-checkpoint answers 403), and so are records signed with it and
cosignatures it made after that instant. Entries already mirrored stay. The party itself moves
to a new key with `accord keys rotate` and the other nodes add that key.")]
    Revoke(RevokeArgs),
    /// Move the node to a new signing key: the old one is kept in DIR/retired/ and signs
    /// checkpoints beside the new one until the overlap ends. Restart the node to take it,
    /// and give the printed command to every peer.
    #[command(after_help = "\
A rotation, step by step:

  1. On the node's machine:
         accord keys rotate --data DIR --party US --overlap-until 2027-01-08
     DIR/node.key now holds a new key; the old one is kept in DIR/retired/; the trust file
     lists both under US, the old one until the overlap ends and the new one from now.
  2. Restart the node. Until the overlap ends its checkpoints carry both keys' signatures, so a
     peer that knows only the old key goes on verifying its log.
  3. On every peer's node, run the two `accord keys add` commands this one prints (the new key
     from now, the old one until the overlap ends).

Records signed before the rotation keep verifying by the old key; a key found compromised is
revoked with `accord keys revoke` instead of waiting for the overlap to end.")]
    Rotate(RotateArgs),
}

/// A node's data directory, a party, and one of the party's keys.
#[derive(Debug, clap::Args)]
pub struct WhichKey {
    /// The node's data directory.
    #[arg(long, value_name = "DIR", env = "ACCORD_DATA")]
    pub data: PathBuf,
    /// The party whose key it is.
    #[arg(long, value_name = "ID")]
    pub party: String,
    /// The public key (base64 of its 32 bytes, as `accord keys` prints it).
    #[arg(long, value_name = "BASE64")]
    pub key: String,
}

/// Which key of which party, and its period.
#[derive(Debug, clap::Args)]
pub struct KeyArgs {
    /// The key.
    #[command(flatten)]
    pub which: WhichKey,
    /// The first instant the key counts (RFC 3339, or a date meaning its midnight UTC).
    #[arg(long, value_name = "WHEN")]
    pub from: Option<String>,
    /// The instant the key stops counting.
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// What the party is: `state` (a State party, the default) or `open-sources` (a party that
    /// publishes observations read from open sources, and nothing else).
    #[arg(long, value_name = "ROLE", value_parser = ["state", "open-sources"])]
    pub role: Option<String>,
}

/// Which key to revoke, and from when.
#[derive(Debug, clap::Args)]
pub struct RevokeArgs {
    /// The key.
    #[command(flatten)]
    pub which: WhichKey,
    /// From when its signatures count for nothing (default: now).
    #[arg(long, value_name = "WHEN")]
    pub at: Option<String>,
}

/// The node's party and how long the old key keeps signing.
#[derive(Debug, clap::Args)]
pub struct RotateArgs {
    /// The node's data directory.
    #[arg(long, value_name = "DIR", env = "ACCORD_DATA")]
    pub data: PathBuf,
    /// The node's party.
    #[arg(long, value_name = "ID")]
    pub party: String,
    /// Until when the old key signs checkpoints beside the new one (default: in 7 days).
    #[arg(long, value_name = "WHEN")]
    pub overlap_until: Option<String>,
}

/// An instant given on the command line: RFC 3339, or a date meaning its midnight UTC.
fn instant(text: &str, what: &str) -> anyhow::Result<jiff::Timestamp> {
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    let date: jiff::civil::Date = text.parse().with_context(|| {
        format!("{what} {text:?} is neither an RFC 3339 instant nor a YYYY-MM-DD date")
    })?;
    Ok(date.to_zoned(jiff::tz::TimeZone::UTC)?.timestamp())
}

fn party(text: &str) -> anyhow::Result<PartyId> {
    let p = PartyId::new(text)?;
    keys::check_party(&p)?;
    Ok(p)
}

fn public_key(text: &str, what: &str) -> anyhow::Result<ed25519_dalek::VerifyingKey> {
    keys::parse_public_key(text)
        .with_context(|| format!("{what}: not base64 of a 32-byte Ed25519 public key"))
}

/// Runs `accord keys`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Some(Command::Add(a)) => {
            let change = keys::KeyChange {
                from: a
                    .from
                    .as_deref()
                    .map(|t| instant(t, "--from"))
                    .transpose()?,
                until: a
                    .until
                    .as_deref()
                    .map(|t| instant(t, "--until"))
                    .transpose()?,
                revoked: None,
            };
            let w = &a.which;
            let p = party(&w.party)?;
            keys::set_trusted_key(&w.data, &p, &public_key(&w.key, "--key")?, change)?;
            if let Some(role) = a.role.as_deref() {
                let role = match role {
                    "open-sources" => keys::Role::OpenSources,
                    _ => keys::Role::State,
                };
                keys::set_trusted_role(&w.data, &p, role)?;
            }
            show(&w.data, args.json)
        }
        Some(Command::Revoke(a)) => {
            let at = match &a.at {
                Some(t) => instant(t, "--at")?,
                None => jiff::Timestamp::now(),
            };
            let w = &a.which;
            let p = party(&w.party)?;
            let vk = public_key(&w.key, "--key")?;
            let listed = keys::Trust::load(&w.data)?
                .keys(p.as_str())
                .iter()
                .any(|k| k.key == vk);
            anyhow::ensure!(
                listed,
                "the trust file of {} lists no such key for {p}",
                w.data.display()
            );
            keys::set_trusted_key(
                &w.data,
                &p,
                &vk,
                keys::KeyChange {
                    revoked: Some(at),
                    ..keys::KeyChange::default()
                },
            )?;
            eprintln!("revoked key {} of {p} from {at}", key_id(&vk));
            show(&w.data, args.json)
        }
        Some(Command::Rotate(a)) => {
            let now = jiff::Timestamp::now();
            let until = match &a.overlap_until {
                Some(t) => instant(t, "--overlap-until")?,
                None => now + jiff::SignedDuration::from_hours(7 * 24),
            };
            anyhow::ensure!(
                until > now,
                "--overlap-until {until} is not after now ({now}): the old key must sign beside \
                 the new one for a while"
            );
            let p = party(&a.party)?;
            let r = keys::rotate_key(&a.data, &p, now, until)?;
            eprintln!(
                "new key {} in {}; the old key {} signs checkpoints beside it until {}.\n\
                 Restart the node to take it. On every peer's node run:\n  \
                 accord keys add --data PEERDIR --party {p} --key {} --from {now}\n  \
                 accord keys add --data PEERDIR --party {p} --key {} --until {}",
                key_id(&r.new),
                a.data.join(keys::KEY_FILE).display(),
                key_id(&r.old),
                r.overlap_until,
                keys::public_key_text(&r.new),
                keys::public_key_text(&r.old),
                r.overlap_until,
            );
            show(&a.data, args.json)
        }
        None => {
            let data = args.data.context("--data DIR is required")?;
            // Every `--trust` is read before anything is written, so a bad one leaves no key
            // behind.
            let mut trust = Vec::with_capacity(args.trust.len());
            for t in &args.trust {
                let (id, k) = t
                    .split_once('=')
                    .with_context(|| format!("--trust {t:?} is not ID=KEY"))?;
                trust.push((party(id)?, public_key(k, &format!("--trust {id}"))?));
            }
            keys::load_or_create_key(&data)?;
            for (p, vk) in &trust {
                keys::add_trusted(&data, p, vk)?;
            }
            show(&data, args.json)
        }
    }
}

/// Prints the node's key and the parties it trusts.
fn show(data: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let key = keys::load_or_create_key(data)?;
    let vk = key.verifying_key();
    let trust = keys::Trust::load(data)?;
    let trusted: Vec<String> = trust.parties().map(|p| p.to_string()).collect();
    let open_sources: Vec<&String> = trusted
        .iter()
        .filter(|p| trust.role(p) == keys::Role::OpenSources)
        .collect();
    let text = |t: Option<u64>| {
        t.and_then(|s| jiff::Timestamp::from_second(s as i64).ok())
            .map(|t| t.to_string())
    };
    if json {
        let keys: serde_json::Map<String, serde_json::Value> = trust
            .parties()
            .map(|p| {
                let list: Vec<serde_json::Value> = trust
                    .keys(p.as_str())
                    .iter()
                    .map(|k| {
                        serde_json::json!({
                            "key": keys::public_key_text(&k.key),
                            "key_id": key_id(&k.key),
                            "from": text(k.period.from),
                            "until": text(k.period.until),
                            "revoked": text(k.period.revoked),
                        })
                    })
                    .collect();
                (p.to_string(), serde_json::Value::Array(list))
            })
            .collect();
        let v = serde_json::json!({
            "public_key": keys::public_key_text(&vk),
            "fingerprint": keys::fingerprint(&vk),
            "key_id": key_id(&vk),
            "trusted": trusted,
            "open_sources": open_sources,
            "keys": keys,
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
        if !open_sources.is_empty() {
            let names: Vec<&str> = open_sources.iter().map(|p| p.as_str()).collect();
            println!("open sources: {}", names.join(", "));
        }
        for p in trust.parties() {
            let listed = trust.keys(p.as_str());
            if listed.len() == 1 && listed[0].period == accord_log::KeyPeriod::ALWAYS {
                continue;
            }
            for k in listed {
                let mut line = format!("  {p} {}", key_id(&k.key));
                for (name, t) in [
                    ("from", k.period.from),
                    ("until", k.period.until),
                    ("revoked", k.period.revoked),
                ] {
                    if let Some(t) = text(t) {
                        line.push_str(&format!(" {name} {t}"));
                    }
                }
                println!("{line}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
