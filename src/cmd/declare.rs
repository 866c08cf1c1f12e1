//! `accord declare` (being built).

use std::process::ExitCode;

/// Subcommands of `accord declare`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder until the subcommands land.
    Pending,
}

/// Runs `accord declare`.
pub fn run(_command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord declare is not built yet")
}
