//! `accord limit` (being built).

use std::process::ExitCode;

/// Subcommands of `accord limit`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder until the subcommands land.
    Pending,
}

/// Runs `accord limit`.
pub fn run(_command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord limit is not built yet")
}
