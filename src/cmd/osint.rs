//! `accord osint` (being built).

use std::process::ExitCode;

/// Subcommands of `accord osint`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder until the subcommands land.
    Pending,
}

/// Runs `accord osint`.
pub fn run(_command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord osint is not built yet")
}
