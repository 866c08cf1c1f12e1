//! `accord report` (being built).

use std::process::ExitCode;

/// Arguments of `accord report`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `accord report`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord report is not built yet")
}
