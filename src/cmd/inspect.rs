//! `accord inspect` (being built).

use std::process::ExitCode;

/// Subcommands of `accord inspect`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder until the subcommands land.
    Pending,
}

/// Runs `accord inspect`.
pub fn run(_command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord inspect is not built yet")
}
