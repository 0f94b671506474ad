//! The `rein` binary: parse arguments, then hand off to the command.

use std::process::ExitCode;

fn main() -> ExitCode {
    rein_cli::main()
}
