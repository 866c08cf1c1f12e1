//! `accord serve` (being built).

use std::process::ExitCode;

/// Arguments of `accord serve`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `accord serve`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord serve is not built yet")
}
