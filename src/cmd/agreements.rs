//! `accord agreements` (being built).

use std::process::ExitCode;

/// Subcommands of `accord agreements`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder until the subcommands land.
    Pending,
}

/// Runs `accord agreements`.
pub fn run(_command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord agreements is not built yet")
}
