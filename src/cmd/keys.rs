//! `accord keys` (being built).

use std::process::ExitCode;

/// Arguments of `accord keys`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `accord keys`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord keys is not built yet")
}
