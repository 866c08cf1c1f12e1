//! `accord hotline` (being built).

use std::process::ExitCode;

/// Subcommands of `accord hotline`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder until the subcommands land.
    Pending,
}

/// Runs `accord hotline`.
pub fn run(_command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord hotline is not built yet")
}
