//! One module per subcommand; each exposes its clap arguments and a `run` function.

pub mod agreements;
pub mod check;
pub mod completions;
pub mod declare;
pub mod demo;
pub mod demo_escrow;
pub mod export;
pub mod hotline;
pub mod inspect;
pub mod keys;
pub mod limit;
pub mod log;
pub mod log_show;
pub mod node;
pub mod osint;
pub mod output;
pub mod record_out;
pub mod records;
pub mod report;
pub mod scenario_log;
pub mod serve;
pub mod submit;
