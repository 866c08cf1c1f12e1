//! `accord log show`: print the entry a log index holds, checked against the log's signed
//! checkpoint from the published files alone.

use std::path::PathBuf;
use std::process::ExitCode;

use accord_model::Record;
use accord_model::envelope::Envelope;
use anyhow::Context as _;
use base64::Engine as _;

/// Arguments of `accord log show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The log directory (its checkpoint, tiles and entry bundles).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The index of the entry to print (0 is the first).
    #[arg(long, value_name = "N")]
    index: u64,
    /// The log's verifier key, or a file holding it (default: the directory's `vkey` file).
    #[arg(long, value_name = "KEY")]
    vkey: Option<String>,
    /// Print JSON: `{"index", "size", "kind": "record"|"text"|"bytes", "record"|"text"|"base64"}`.
    #[arg(long)]
    json: bool,
}

/// What an entry holds, as printed.
enum Content {
    /// A record in a DSSE envelope.
    Record(Box<Record>),
    /// Other UTF-8 text.
    Text(String),
    /// Other bytes.
    Bytes(Vec<u8>),
}

fn content(entry: Vec<u8>) -> Content {
    let record = Envelope::from_json(&entry)
        .ok()
        .and_then(|e| e.unverified_record().ok());
    match (record, String::from_utf8(entry)) {
        (Some(r), _) => Content::Record(Box::new(r)),
        (None, Ok(t)) => Content::Text(t),
        (None, Err(e)) => Content::Bytes(e.into_bytes()),
    }
}

/// Runs `accord log show`.
pub fn run(a: ShowArgs) -> anyhow::Result<ExitCode> {
    let vkey = match &a.vkey {
        Some(v) if std::path::Path::new(v).is_file() => std::fs::read_to_string(v)?,
        Some(v) => v.clone(),
        None => {
            let p = a.dir.join(accord_log::VKEY_FILE);
            if super::output::verbosity() > super::output::Verbosity::Quiet {
                eprintln!(
                    "note: using the key in {}; pass --vkey with a key you trust to check it",
                    p.display()
                );
            }
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?
        }
    };
    let verified = accord_log::verify_entry_in_dir(&a.dir, a.index, vkey.trim())
        .with_context(|| format!("{}: entry {}", a.dir.display(), a.index))?;
    let size = verified.checkpoint.size();
    let b64 = base64::engine::general_purpose::STANDARD;
    let out = match (content(verified.entry), a.json) {
        (Content::Record(r), true) => {
            serde_json::json!({"index": a.index, "size": size, "kind": "record", "record": r})
                .to_string()
        }
        (Content::Text(t), true) => {
            serde_json::json!({"index": a.index, "size": size, "kind": "text", "text": t})
                .to_string()
        }
        (Content::Bytes(b), true) => serde_json::json!({
            "index": a.index, "size": size, "kind": "bytes", "base64": b64.encode(b)
        })
        .to_string(),
        (Content::Record(r), false) => format!(
            "entry {} of {size}: record {} by {} ({}), in a signed envelope\n{}",
            a.index,
            r.id,
            r.party,
            r.body.kind(),
            serde_json::to_string_pretty(&r)?
        ),
        (Content::Text(t), false) => format!("entry {} of {size}: text\n{t}", a.index),
        (Content::Bytes(b), false) => {
            format!(
                "entry {} of {size}: bytes (base64)\n{}",
                a.index,
                b64.encode(b)
            )
        }
    };
    super::check::emit(&(out.trim_end().to_owned() + "\n"))?;
    Ok(ExitCode::SUCCESS)
}
