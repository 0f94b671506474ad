//! The `rein` command line.

mod approval;
mod args;
mod commands;
mod exit;
mod extensions;
mod interactive;
mod interrupt;
mod local;
mod logging;
mod mcp_setup;
mod output;
mod provider_select;
mod repl;
mod run;
mod sandbox_setup;
mod serve;
mod setup;

use clap::Parser;
use std::process::ExitCode;

/// Entry point of the binary. Argument parsing runs before any runtime or file is touched,
/// so `rein --version` and `rein --help` cost next to nothing.
pub fn main() -> ExitCode {
    let cli = args::Cli::parse();
    logging::init(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return exit::report(&anyhow::Error::from(error), exit::FAILURE),
    };
    runtime.block_on(commands::dispatch(cli))
}
