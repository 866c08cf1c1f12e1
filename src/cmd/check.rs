//! `accord check` (being built).

use std::process::ExitCode;

/// Arguments of `accord check`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `accord check`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord check is not built yet")
}
