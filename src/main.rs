//! `accord`: the command line of the accord verification system.
//!
//! Each subcommand lives in its own module under `cmd/`; this file only parses the command line
//! and maps outcomes to exit codes.
#![deny(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// Exit code: the work succeeded and found nothing serious.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings of severity violation, or a verification that failed.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: bad input (a file, a flag, a record) or a usage error.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Verification machinery for arms-control and confidence-building agreements.
///
/// accord keeps agreements as code, parties' records in a tamper-evident Merkle log, declarations
/// in cryptographic escrow, and turns it all into findings with evidence for any date.
///
/// Start with `accord demo`: it runs the 2022 scenario end to end and prints its findings.
///
/// Exit codes: 0 clean; 1 findings of severity violation, or a failed verification;
/// 2 bad input or usage error.
#[derive(Debug, Parser)]
#[command(
    name = "accord",
    version,
    propagate_version = true,
    max_term_width = 100
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour output: auto (on terminals, unless NO_COLOR is set), always, never.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    color: cmd::output::ColorChoice,
    /// Print results and errors only: no warnings, headings or summaries.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: every warning, not only the first few of each kind.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the 2022 crisis scenario end to end and print its findings.
    Demo(cmd::demo::Args),
    /// Evaluate a scenario directory against its agreements at an instant.
    Check(cmd::check::Args),
    /// Write a self-contained HTML report of a scenario's findings and limit charts.
    Report(cmd::report::Args),
    /// Lint and summarise agreement files.
    #[command(subcommand)]
    Agreements(cmd::agreements::Command),
    /// Append to, checkpoint, prove, verify and audit a tamper-evident log.
    #[command(subcommand)]
    Log(cmd::log::Command),
    /// Commit a declaration to escrow, reveal it step by step, verify reveals.
    #[command(subcommand)]
    Declare(cmd::declare::Command),
    /// Prove in zero knowledge that committed totals respect a limit, and verify such proofs.
    #[command(subcommand)]
    Limit(cmd::limit::Command),
    /// Select inspection sites fairly, check inspection reports, plan detection odds.
    #[command(subcommand)]
    Inspect(cmd::inspect::Command),
    /// Turn open-source reports into claims, copy groups and observations.
    #[command(subcommand)]
    Osint(cmd::osint::Command),
    /// Run a party's node: its log, peer exchange, hotline and HTTP API.
    Serve(cmd::serve::Args),
    /// Print a node's public key and fingerprint; manage its trust file and key rotation.
    Keys(cmd::keys::Args),
    /// Back up and restore a node's data directory.
    #[command(subcommand)]
    Node(cmd::node::Command),
    /// Write a node's logs as a scenario directory for `accord check`.
    Export(cmd::export::Args),
    /// Sign the party's records and log them in its running node.
    Submit(cmd::submit::Args),
    /// Send and watch urgent hotline messages.
    #[command(subcommand)]
    Hotline(cmd::hotline::Command),
    /// Print the JSON Schema of records and lint records files.
    #[command(subcommand)]
    Records(cmd::records::Command),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(cmd::completions::CompletionsArgs),
    /// Print the manual page (roff), generated from the command-line definition.
    Man(cmd::completions::ManArgs),
}

/// The allocator: an evaluation makes and frees tens of thousands of findings on every core, and
/// with the system allocator freeing them on another thread than made them cost a sixth of a
/// full evaluation (`cargo bench -p accord-compliance --bench sql` measures the engine with it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    cmd::output::init(cli.color, cli.quiet, cli.verbose);
    let outcome = match cli.command {
        Command::Demo(a) => cmd::demo::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Agreements(c) => cmd::agreements::run(c),
        Command::Log(c) => cmd::log::run(c),
        Command::Declare(c) => cmd::declare::run(c),
        Command::Limit(c) => cmd::limit::run(c),
        Command::Inspect(c) => cmd::inspect::run(c),
        Command::Osint(c) => cmd::osint::run(c),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Keys(a) => cmd::keys::run(a),
        Command::Node(c) => cmd::node::run(c),
        Command::Export(a) => cmd::export::run(a),
        Command::Submit(a) => cmd::submit::run(a),
        Command::Hotline(c) => cmd::hotline::run(c),
        Command::Records(c) => cmd::records::run(c),
        Command::Completions(a) => cmd::completions::completions::<Cli>(a),
        Command::Man(a) => cmd::completions::man::<Cli>(a),
    };
    match outcome {
        Ok(code) => code,
        // A reader that went away (`accord ... | head`) is not an error of ours.
        Err(e) if is_broken_pipe(&e) => ExitCode::from(EXIT_CLEAN),
        Err(e) => {
            eprintln!("{} {}", cmd::output::error_prefix(), error_text(&e));
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// An error and its causes, joined by ": ", leaving out a cause whose words the error before it
/// already ends with (library errors that name their source in their own message).
fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let words = cause.to_string();
        if text.ends_with(&words) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&words);
    }
    text
}

/// Whether an error comes from writing to a closed pipe.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
