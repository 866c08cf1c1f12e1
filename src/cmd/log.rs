//! `accord log` (being built).

use std::process::ExitCode;

/// Subcommands of `accord log`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Placeholder until the subcommands land.
    Pending,
}

/// Runs `accord log`.
pub fn run(_command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord log is not built yet")
}
