//! `accord log`: append to, checkpoint, prove, verify and audit a tamper-evident log.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord_log::{
    CosignerKey, Log, LogError, LogKey, SignedCheckpoint, TlogProof, VKEY_FILE, Witness,
    audit::audit_in, audit::audit_with_progress, consistency_proof_in_dir, equivocation_finding,
    prove_consistency_in_dir, prove_inclusion_in_dir, read_checkpoint, root_in_dir,
    verify_entry_in_dir,
};
use accord_model::{Evidence, PartyId};
use anyhow::{Context as _, bail};

use crate::{EXIT_CLEAN, EXIT_FINDINGS};

/// Subcommands of `accord log`.
///
/// A log is a directory: `log.db` (SQLite, the durable sequence of entries), and the files any
/// static HTTP server can publish as they are: `checkpoint` (a C2SP signed note over the tree
/// size and root), hash tiles `tile/<L>/<N>` and entry bundles `tile/entries/<N>` (C2SP
/// tlog-tiles). Entries are opaque bytes; in accord they are signed records (DSSE envelopes).
///
/// Typical use:
///
///   accord log keygen --origin accord.example/US --out us.key
///   accord log append us-log --key us.key record1.json record2.json
///   accord log proof-file us-log --index 1 --out entry1.tlog-proof
///   accord log verify --proof-file entry1.tlog-proof --vkey "$(cat us-log/vkey)"
///   accord log audit us-log --vkey "$(cat us-log/vkey)"
///   accord log cosign us-log --key ru-witness.key --vkey "$(cat us.vkey)" --party US \
///       --state ru-saw-us.note --out us-cosigned.note
///   accord log proof-file us-log --index 1 --checkpoint us-cosigned.note --out receipt.tlog-proof
///   accord log verify --proof-file receipt.tlog-proof --vkey "$(cat us.vkey)" \
///       --cosigner "$RU_WITNESS"
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Make a new log signing key (a signed-note Ed25519 key) and print its verifier key.
    Keygen(KeygenArgs),
    /// Append entries durably (one batch, one commit) and print their indices.
    Append(AppendArgs),
    /// Print the log's latest signed checkpoint.
    Checkpoint(CheckpointArgs),
    /// Print an inclusion proof for an entry, or a consistency proof between two sizes.
    Prove(ProveArgs),
    /// Write an entry's offline proof: a C2SP tlog-proof file holding the entry, its inclusion
    /// proof and the (cosigned) checkpoint, which `accord log verify --proof-file` checks with
    /// no network and no copy of the log.
    ProofFile(ProofFileArgs),
    /// Verify entries of a log directory from its files alone, or a tlog-proof file offline.
    Verify(VerifyArgs),
    /// Re-verify a whole log from its files: every entry, every tile, every checkpoint.
    Audit(AuditArgs),
    /// Follow a log from outside: check every new checkpoint's signature and consistency with
    /// the last one seen, and hash every new entry bundle into the tree it signs.
    ///
    /// The log is read from its published files (checkpoint, hash tiles, entry bundles) at an
    /// HTTP URL (a node, or any static file server holding the log directory) or in a local
    /// directory. The last checkpoint verified and the right edge of its tree are kept in the
    /// `--state` file. A fork (another root at a size seen) or a rewrite (a larger tree that
    /// does not extend the one seen) prints the finding with both notes and exits 1; so do a
    /// rollback and files that do not hash to the signed root.
    Monitor(MonitorArgs),
    /// Witness a peer's log: check its new checkpoint against the last one seen, then cosign it.
    ///
    /// The witness keeps, in the `--state` file, the last checkpoint of this log it cosigned. A
    /// new checkpoint is cosigned only if it extends that one: a consistency proof is built from
    /// the log's hash tiles and checked (exit 1 if it fails). The first checkpoint a witness
    /// sees is trusted on first use. A checkpoint of the same size with another root is
    /// equivocation: the command prints the finding, with both notes as evidence, and exits 1
    /// without cosigning. The cosigned note, with an inclusion proof, is a record's receipt.
    Cosign(CosignArgs),
    /// Print the entry an index holds (a record in its envelope, text or bytes), checked
    /// against the signed checkpoint.
    Show(super::log_show::ShowArgs),
}

/// Arguments of `accord log keygen`.
#[derive(Debug, clap::Args)]
pub struct KeygenArgs {
    /// The log's origin (its unique name, like `accord.example/US`); also the key's name.
    #[arg(long)]
    origin: String,
    /// Where to write the private key; the file must not exist yet.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `accord log append`.
#[derive(Debug, clap::Args)]
pub struct AppendArgs {
    /// The log directory; created, with a new log, if it holds none.
    dir: PathBuf,
    /// The private key file (from `accord log keygen`).
    #[arg(long)]
    key: PathBuf,
    /// The origin for a new log (default: the key's name).
    #[arg(long)]
    origin: Option<String>,
    /// Treat each non-empty line of each file as one entry (for JSON Lines of envelopes);
    /// by default each file is one entry.
    #[arg(long)]
    lines: bool,
    /// Files holding the entries, in order; `-` reads standard input.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord log checkpoint`.
#[derive(Debug, clap::Args)]
pub struct CheckpointArgs {
    /// The log directory.
    dir: PathBuf,
    /// Print JSON (origin, size, root, note).
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord log prove`.
#[derive(Debug, clap::Args)]
pub struct ProveArgs {
    /// The log directory (or a copy of the files a log publishes).
    dir: PathBuf,
    /// Prove that the entry with this index is in the log.
    #[arg(
        long,
        conflicts_with = "consistency",
        required_unless_present = "consistency"
    )]
    index: Option<u64>,
    /// Prove that the tree of this older size is a prefix of the current one.
    #[arg(long)]
    consistency: Option<u64>,
    /// Prove against this checkpoint note of the log (for instance one cosigned by witnesses
    /// with `accord log cosign`) instead of the latest checkpoint.
    #[arg(long, requires = "index")]
    checkpoint: Option<PathBuf>,
    /// Print JSON: for --index the index, size, root and the C2SP tlog-proof text (the same
    /// file `accord log proof-file` writes).
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord log proof-file`.
#[derive(Debug, clap::Args)]
pub struct ProofFileArgs {
    /// The log directory (or a copy of the files a log publishes).
    dir: PathBuf,
    /// The entry to prove.
    #[arg(long)]
    index: u64,
    /// Prove against this checkpoint note of the log, for instance one cosigned by witnesses
    /// with `accord log cosign` (which makes the file the entry's receipt), instead of the
    /// latest checkpoint.
    #[arg(long)]
    checkpoint: Option<PathBuf>,
    /// Where to write the proof (default: standard output); `.tlog-proof` by convention.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Arguments of `accord log verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The log directory (or a copy of the files a log publishes).
    #[arg(required_unless_present = "proof_file")]
    dir: Option<PathBuf>,
    /// Entries to verify (repeatable): each is checked against the signed checkpoint through
    /// an inclusion proof built from the hash tiles.
    #[arg(long = "index")]
    indices: Vec<u64>,
    /// A C2SP tlog-proof file (from `accord log proof-file`), verified with no network and no
    /// copy of the log.
    #[arg(long, conflicts_with = "dir")]
    proof_file: Option<PathBuf>,
    /// With --proof-file: the entry's bytes, when the proof does not carry them (by default
    /// the entry is the proof's extra data, checked against the inclusion proof).
    #[arg(long, requires = "proof_file")]
    entry: Option<PathBuf>,
    /// With --proof-file: a witness's cosigner key (repeatable, a string or a file) whose valid
    /// cosignature the proof's checkpoint must carry, making the proof a receipt.
    #[arg(long = "cosigner", requires = "proof_file")]
    cosigners: Vec<String>,
    /// The log's verifier key, as a string or a file (default: the `vkey` file in the log
    /// directory, which only proves the directory agrees with itself).
    #[arg(long)]
    vkey: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord log audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// The log directory (or a copy of the files a log publishes).
    dir: PathBuf,
    /// The log's verifier key, as a string or a file (default: the `vkey` file in the log
    /// directory, which only proves the directory agrees with itself).
    #[arg(long)]
    vkey: Option<String>,
    /// The PostgreSQL database of the node that keeps the log (its `accord serve --database`
    /// URL), whose entries and checkpoints are audited against the files: DIR is then the
    /// node's `logs/<party>` directory, and the log is that party's.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord log monitor`.
#[derive(Debug, clap::Args)]
pub struct MonitorArgs {
    /// Where the log's files are: an http:// URL (the directory holding `checkpoint` and
    /// `tile/`) or a local directory.
    url: String,
    /// The log's verifier key, as a string or a file.
    #[arg(long)]
    vkey: String,
    /// The monitor's state file (JSON); read if it exists, replaced after each verified look.
    #[arg(long)]
    state: PathBuf,
    /// Keep watching, looking again every --interval seconds, until a problem is found.
    #[arg(long)]
    follow: bool,
    /// Seconds between looks with --follow.
    #[arg(long, default_value_t = 10)]
    interval: u64,
    /// The party whose log this is, named in a finding (default: the last part of the origin).
    #[arg(long)]
    party: Option<String>,
    /// Print JSON: one object per look, or the finding.
    #[arg(long)]
    json: bool,
}

/// Arguments of `accord log cosign`.
#[derive(Debug, clap::Args)]
pub struct CosignArgs {
    /// The peer's log directory (or a copy of the files it publishes).
    pub dir: PathBuf,
    /// The witness's private key file (from `accord log keygen --origin <witness name>`); the
    /// key's name is the cosigner's name.
    #[arg(long)]
    pub key: PathBuf,
    /// The peer log's verifier key, as a string or a file.
    #[arg(long)]
    pub vkey: String,
    /// The party whose log this is (named in an equivocation finding).
    #[arg(long)]
    pub party: String,
    /// The last checkpoint this witness cosigned for this log; read if it exists, and replaced
    /// by the new checkpoint once cosigned.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Where to write the cosigned checkpoint note (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print JSON (origin, size, root, cosigner, note) instead of the note.
    #[arg(long)]
    pub json: bool,
}

/// Runs `accord log`.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Keygen(a) => keygen(a),
        Command::Append(a) => append(a),
        Command::Checkpoint(a) => checkpoint(a),
        Command::Prove(a) => prove(a),
        Command::ProofFile(a) => proof_file(a),
        Command::Verify(a) => verify(a),
        Command::Audit(a) => audit(a),
        Command::Monitor(a) => monitor(a),
        Command::Cosign(a) => cosign(a),
        Command::Show(a) => super::log_show::run(a),
    }
}

fn keygen(a: KeygenArgs) -> anyhow::Result<ExitCode> {
    let key = LogKey::generate(&a.origin)?;
    key.save(&a.out)?;
    println!("{}", key.vkey());
    eprintln!(
        "wrote the private key to {}; give the verifier key above to auditors",
        a.out.display()
    );
    Ok(ExitCode::from(EXIT_CLEAN))
}

fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path == Path::new("-") {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        Ok(b)
    } else {
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))
    }
}

fn append(a: AppendArgs) -> anyhow::Result<ExitCode> {
    let key = LogKey::load(&a.key)?;
    let origin = a.origin.clone().unwrap_or_else(|| key.name().to_owned());
    let mut entries = Vec::new();
    for f in &a.files {
        let data = read_input(f)?;
        if a.lines {
            entries.extend(
                data.split(|&b| b == b'\n')
                    .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                    .filter(|l| !l.is_empty())
                    .map(<[u8]>::to_vec),
            );
        } else {
            entries.push(data);
        }
    }
    let mut log = Log::open_or_create(&a.dir, &origin, &key)?;
    let range = log.append_batch(&entries)?;
    let cp = log.checkpoint();
    if a.json {
        println!(
            "{}",
            serde_json::json!({
                "first": range.start,
                "end": range.end,
                "indices": range.clone().collect::<Vec<_>>(),
                "size": cp.size(),
                "root": cp.root().to_string(),
            })
        );
    } else {
        println!(
            "appended {} entries at indices {}..{}; log size {}, root {}",
            range.end - range.start,
            range.start,
            range.end,
            cp.size(),
            cp.root()
        );
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}

fn checkpoint(a: CheckpointArgs) -> anyhow::Result<ExitCode> {
    let path = a.dir.join("checkpoint");
    let note = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let cp = SignedCheckpoint::parse(&note)?;
    if a.json {
        println!(
            "{}",
            serde_json::json!({
                "origin": cp.origin(), "size": cp.size(), "root": cp.root().to_string(),
                "note": cp.as_str(),
            })
        );
    } else {
        print!("{}", cp.as_str());
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}

fn prove(a: ProveArgs) -> anyhow::Result<ExitCode> {
    // Proofs come from the published files (checkpoint, hash tiles, entry bundles), so a log
    // of any size answers at once, and so does a copy of its files.
    let latest = read_checkpoint(&a.dir, None)?;
    if let Some(old) = a.consistency {
        if old > latest.size() {
            bail!(
                "--consistency {old}: the log holds {} entries",
                latest.size()
            );
        }
        let p = prove_consistency_in_dir(&a.dir, &latest, old)?;
        let old_root = root_in_dir(&a.dir, &latest, old)?;
        if a.json {
            println!(
                "{}",
                serde_json::json!({
                    "checkpoint": latest.as_str(), "old_root": old_root.to_string(), "proof": p,
                })
            );
        } else {
            println!(
                "consistency proof from size {old} ({old_root}) to size {}:",
                latest.size()
            );
            for h in &p.hashes {
                println!("{h}");
            }
        }
        return Ok(ExitCode::from(EXIT_CLEAN));
    }
    let index = a.index.expect("clap requires --index or --consistency");
    let cp = chosen_checkpoint(&a.dir, latest, a.checkpoint.as_deref())?;
    let (entry, p) = prove_inclusion_in_dir(&a.dir, &cp, index)?;
    if a.json {
        let file = TlogProof::new(&entry, &p, cp.note()).to_bytes();
        println!(
            "{}",
            serde_json::json!({
                "index": index, "size": cp.size(), "root": cp.root().to_string(),
                "tlog_proof": String::from_utf8_lossy(&file),
            })
        );
    } else {
        println!(
            "inclusion proof for entry {index} in the tree of size {} (root {}):",
            cp.size(),
            cp.root()
        );
        for h in &p.hashes {
            println!("{h}");
        }
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}

/// The checkpoint to prove against: the latest, or the note in `given` after checking that it
/// is a checkpoint of the log in `dir` (same origin, a root on the log's history).
fn chosen_checkpoint(
    dir: &Path,
    latest: SignedCheckpoint,
    given: Option<&Path>,
) -> anyhow::Result<SignedCheckpoint> {
    let Some(path) = given else {
        return Ok(latest);
    };
    let note = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let cp = SignedCheckpoint::parse(&note)
        .with_context(|| format!("{} is not a checkpoint note", path.display()))?;
    if cp.origin() != latest.origin()
        || root_in_dir(dir, &latest, cp.size()).ok() != Some(cp.root())
    {
        bail!(
            "{}: not a checkpoint of this log (origin {}, size {}, root {})",
            path.display(),
            cp.origin(),
            cp.size(),
            cp.root()
        );
    }
    Ok(cp)
}

fn proof_file(a: ProofFileArgs) -> anyhow::Result<ExitCode> {
    let latest = read_checkpoint(&a.dir, None)?;
    let cp = chosen_checkpoint(&a.dir, latest, a.checkpoint.as_deref())?;
    let (entry, p) = prove_inclusion_in_dir(&a.dir, &cp, a.index)?;
    let file = TlogProof::new(&entry, &p, cp.note()).to_bytes();
    match &a.out {
        Some(path) => {
            write_replacing(path, &file)?;
            eprintln!(
                "wrote the proof of entry {} in the tree of size {} to {}",
                a.index,
                cp.size(),
                path.display()
            );
        }
        None => {
            use std::io::Write as _;
            std::io::stdout().write_all(&file)?;
        }
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}

/// A key given as a string or as a file holding it.
fn key_arg(arg: &str) -> anyhow::Result<String> {
    Ok(if Path::new(arg).is_file() {
        std::fs::read_to_string(arg).with_context(|| format!("reading {arg}"))?
    } else {
        arg.to_owned()
    }
    .trim()
    .to_owned())
}

/// The verifier key from --vkey (a string or a file) or from the directory's `vkey` file.
fn resolve_vkey(arg: Option<&str>, dir: Option<&Path>) -> anyhow::Result<String> {
    let text = match (arg, dir) {
        (Some(v), _) => key_arg(v)?,
        (None, Some(d)) => {
            let p = d.join(VKEY_FILE);
            eprintln!(
                "note: using the key in {}; pass --vkey with a key you trust to check it",
                p.display()
            );
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?
        }
        (None, None) => bail!("--vkey is required"),
    };
    let v = text.trim().to_owned();
    accord_log::parse_vkey(&v)?;
    Ok(v)
}

fn verify(a: VerifyArgs) -> anyhow::Result<ExitCode> {
    let vkey = resolve_vkey(a.vkey.as_deref(), a.dir.as_deref())?;
    let mut results = Vec::new();
    if let Some(path) = &a.proof_file {
        let text = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let proof = TlogProof::parse(&text)
            .with_context(|| format!("{} is not a tlog-proof", path.display()))?;
        let entry = a.entry.as_deref().map(read_input).transpose()?;
        let cosigners = a
            .cosigners
            .iter()
            .map(|c| key_arg(c))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let cosigners: Vec<&str> = cosigners.iter().map(String::as_str).collect();
        let outcome = proof.verify(entry.as_deref(), &vkey, &cosigners);
        if let Ok(proven) = &outcome
            && !a.json
        {
            for c in &proven.cosignatures {
                println!("cosigned by {} at {} (Unix time)", c.cosigner, c.timestamp);
            }
        }
        results.push((proof.index, outcome.map(|_| ()).map_err(|e| e.to_string())));
    } else {
        let dir = a.dir.as_deref().expect("clap requires a directory");
        let cp = SignedCheckpoint::verify(
            &std::fs::read(dir.join("checkpoint")).context("reading the checkpoint")?,
            &vkey,
        );
        if let Err(e) = cp {
            if a.json {
                println!(
                    "{}",
                    serde_json::json!({"ok": false, "error": e.to_string()})
                );
            } else {
                println!("FAILED checkpoint: {e}");
            }
            return Ok(ExitCode::from(EXIT_FINDINGS));
        }
        for &i in &a.indices {
            results.push((
                i,
                verify_entry_in_dir(dir, i, &vkey)
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
            ));
        }
    }
    let ok = results.iter().all(|(_, r)| r.is_ok());
    if a.json {
        let items: Vec<_> = results
            .iter()
            .map(|(i, r)| match r {
                Ok(()) => serde_json::json!({"index": i, "ok": true}),
                Err(e) => serde_json::json!({"index": i, "ok": false, "error": e}),
            })
            .collect();
        println!("{}", serde_json::json!({"ok": ok, "entries": items}));
    } else {
        if results.is_empty() {
            println!("checkpoint verifies (pass --index to check entries)");
        }
        for (i, r) in &results {
            match r {
                Ok(()) => println!("ok      entry {i}"),
                Err(e) => println!("FAILED  entry {i}: {e}"),
            }
        }
    }
    Ok(ExitCode::from(if ok { EXIT_CLEAN } else { EXIT_FINDINGS }))
}

fn audit(a: AuditArgs) -> anyhow::Result<ExitCode> {
    let vkey = resolve_vkey(a.vkey.as_deref(), Some(&a.dir))?;
    let bar = indicatif::ProgressBar::new(0);
    if a.json {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "auditing {bar:40} {pos}/{len} entries ({per_sec}, {eta} left)",
        )
        .expect("a valid template"),
    );
    let mut progress = |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let report = match &a.database {
        None => audit_with_progress(&a.dir, &vkey, &mut progress)?,
        Some(url) => {
            let url = match accord_node::store::DatabaseChoice::parse(url)? {
                accord_node::store::DatabaseChoice::Postgres(url) => url,
                accord_node::store::DatabaseChoice::Sqlite => {
                    anyhow::bail!(
                        "--database: give a PostgreSQL URL (a SQLite log is audited from its directory)"
                    )
                }
            };
            // The log's name (`US`, `US/new-start`) from its published checkpoint's origin.
            let party = accord_node::store::log_name_in(&a.dir).with_context(|| {
                format!("{}: not the directory of a node's log", a.dir.display())
            })?;
            let db = accord_node::store::postgres::Postgres::open_log(&url, &party)?;
            audit_in(
                &a.dir,
                &vkey,
                Some(&db as &dyn accord_log::Database),
                &mut progress,
            )?
        }
    };
    bar.finish_and_clear();
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "log {} size {} root {}: {} entries, {} tiles, {} checkpoints checked",
            report.origin,
            report.size,
            report.root,
            report.entries_checked,
            report.tiles_checked,
            report.checkpoints_checked
        );
        if report.is_clean() {
            println!("ok: the log verifies");
        }
        for p in &report.problems {
            println!("FAILED  {p}");
        }
    }
    Ok(ExitCode::from(if report.is_clean() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    }))
}

fn cosign(a: CosignArgs) -> anyhow::Result<ExitCode> {
    let vkey = resolve_vkey(Some(&a.vkey), None)?;
    let key = CosignerKey::from_log_key(&LogKey::load(&a.key)?)?;
    let party = PartyId::new(&a.party).map_err(|e| anyhow::anyhow!("--party: {e}"))?;
    let last = match &a.state {
        Some(p) if p.exists() => {
            Some(std::fs::read(p).with_context(|| format!("reading {}", p.display()))?)
        }
        _ => None,
    };
    let mut witness = Witness::new(key, &vkey, last.as_deref())
        .with_context(|| "the --state file is not a checkpoint of this log")?;
    let last_size = witness.last().map_or(0, SignedCheckpoint::size);
    let (cp, proof) = consistency_proof_in_dir(&a.dir, last_size, &vkey)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let cosigned = match witness.cosign(cp.note(), &proof, now) {
        Ok(n) => n,
        Err(LogError::Equivocation(e)) => {
            print_equivocation(&equivocation_finding(&party, &e.a, &e.b), a.json)?;
            eprintln!("not cosigned: the log showed two different trees of one size");
            return Ok(ExitCode::from(EXIT_FINDINGS));
        }
        Err(e @ LogError::Proof(_)) => {
            eprintln!("not cosigned: {e}");
            return Ok(ExitCode::from(EXIT_FINDINGS));
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(p) = &a.state {
        write_replacing(p, cp.note())?;
    }
    if let Some(p) = &a.out {
        write_replacing(p, &cosigned)?;
    }
    if a.json {
        println!(
            "{}",
            serde_json::json!({
                "origin": cp.origin(), "size": cp.size(), "root": cp.root().to_string(),
                "cosigner": witness.vkey(), "note": String::from_utf8_lossy(&cosigned),
            })
        );
    } else if a.out.is_none() {
        print!("{}", String::from_utf8_lossy(&cosigned));
    } else {
        println!(
            "cosigned {} at size {} (root {}){}",
            cp.origin(),
            cp.size(),
            cp.root(),
            if last_size == 0 {
                ", trusted on first use".to_owned()
            } else {
                format!(", consistent with size {last_size}")
            }
        );
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}

/// A log's files served over plain HTTP, fetched one at a time.
struct HttpSource {
    base: String,
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
}

impl accord_log::monitor::TileSource for HttpSource {
    fn fetch(&self, path: &str) -> accord_log::Result<Option<Vec<u8>>> {
        let url = format!("{}/{path}", self.base.trim_end_matches('/'));
        let failed = |e: reqwest::Error| {
            LogError::io(
                url.clone(),
                std::io::Error::other(format!("GET failed: {e}")),
            )
        };
        self.runtime.block_on(async {
            let resp = self.client.get(&url).send().await.map_err(failed)?;
            if resp.status() == reqwest::StatusCode::NOT_FOUND {
                return Ok(None);
            }
            if !resp.status().is_success() {
                return Err(LogError::io(
                    url.clone(),
                    std::io::Error::other(format!("answered {}", resp.status())),
                ));
            }
            Ok(Some(resp.bytes().await.map_err(failed)?.to_vec()))
        })
    }
}

fn monitor(a: MonitorArgs) -> anyhow::Result<ExitCode> {
    use accord_log::monitor::{MonitorState, TileSource, monitor_step};
    let vkey = resolve_vkey(Some(&a.vkey), None)?;
    let source: Box<dyn TileSource> = if a.url.starts_with("http://") {
        Box::new(HttpSource {
            base: a.url.clone(),
            client: accord_node::tls::plain_client()?,
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?,
        })
    } else if a.url.contains("://") {
        bail!(
            "{}: only http:// URLs and local directories are supported",
            a.url
        );
    } else {
        Box::new(accord_log::tiles::DirTileReader::new(Path::new(&a.url)))
    };
    let mut state: Option<MonitorState> = match std::fs::read(&a.state) {
        Ok(b) => Some(
            serde_json::from_slice(&b)
                .with_context(|| format!("{} is not a monitor state file", a.state.display()))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", a.state.display())),
    };
    let bar = indicatif::ProgressBar::new(0);
    if a.json {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "verifying {bar:40} {pos}/{len} new entries ({per_sec}, {eta} left)",
        )
        .expect("a valid template"),
    );
    loop {
        bar.reset();
        let step = monitor_step(source.as_ref(), &vkey, &mut state, &mut |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        });
        bar.finish_and_clear();
        match step {
            Ok(s) => {
                if let Some(st) = &state {
                    write_replacing(&a.state, &serde_json::to_vec_pretty(st)?)?;
                }
                let cp = &s.checkpoint;
                if a.json {
                    println!(
                        "{}",
                        serde_json::json!({
                            "ok": true, "origin": cp.origin(), "from": s.from,
                            "size": cp.size(), "root": cp.root().to_string(),
                        })
                    );
                } else if s.from == cp.size() {
                    println!("ok: {} unchanged at size {}", cp.origin(), cp.size());
                } else {
                    println!(
                        "ok: {} grew from {} to {} entries, consistent, every new entry                          verified (root {})",
                        cp.origin(),
                        s.from,
                        cp.size(),
                        cp.root()
                    );
                }
            }
            Err(LogError::Equivocation(e)) => {
                let party = match &a.party {
                    Some(p) => PartyId::new(p).map_err(|e| anyhow::anyhow!("--party: {e}"))?,
                    None => PartyId::new(e.a.origin().rsplit('/').next().unwrap_or_default())
                        .or_else(|_| PartyId::new("unknown"))
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                };
                print_equivocation(&equivocation_finding(&party, &e.a, &e.b), a.json)?;
                return Ok(ExitCode::from(EXIT_FINDINGS));
            }
            Err(e @ (LogError::Proof(_) | LogError::Tile { .. } | LogError::Checkpoint(_))) => {
                if a.json {
                    println!(
                        "{}",
                        serde_json::json!({"ok": false, "error": e.to_string()})
                    );
                } else {
                    println!("FAILED  {e}");
                }
                return Ok(ExitCode::from(EXIT_FINDINGS));
            }
            Err(e) => return Err(e.into()),
        }
        if !a.follow {
            return Ok(ExitCode::from(EXIT_CLEAN));
        }
        std::thread::sleep(std::time::Duration::from_secs(a.interval));
    }
}

/// Prints an equivocation finding with both signed notes.
fn print_equivocation(finding: &accord_model::Finding, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(finding)?);
    } else {
        println!("EQUIVOCATION  {}", finding.summary);
        for e in &finding.evidence {
            if let Evidence::SignedNote { note } = e {
                println!("  signed note:");
                for line in note.lines() {
                    println!("    {line}");
                }
            }
        }
    }
    Ok(())
}

/// Writes `data` to `path` through a temporary file and a rename, so a crash leaves either the
/// old file or the new one.
fn write_replacing(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, data).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
}
