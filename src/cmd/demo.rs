//! `accord demo` (being built).

use std::process::ExitCode;

/// Arguments of `accord demo`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `accord demo`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("accord demo is not built yet")
}
