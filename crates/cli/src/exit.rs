//! Exit codes scripts can rely on (documented in docs/cli.md).

use std::io::Write;
use std::process::ExitCode;

/// The run completed.
pub(crate) const SUCCESS: u8 = 0;
/// The run failed (provider error after retries, storage error, refusal).
pub(crate) const FAILURE: u8 = 1;
/// Bad arguments or settings, or missing credentials: nothing ran.
pub(crate) const USAGE: u8 = 2;
/// The run stopped at the turn limit.
pub(crate) const MAX_TURNS: u8 = 3;
/// The user interrupted the run.
pub(crate) const INTERRUPTED: u8 = 130;

/// Prints an error chain to stderr and returns `code`.
pub(crate) fn report(error: &anyhow::Error, code: u8) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "rein: error: {error}");
    for cause in error.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
    ExitCode::from(code)
}

/// An error that carries the exit code it should produce.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct UsageError {
    pub(crate) message: String,
}

/// Chooses the exit code for a failed command.
pub(crate) fn code_for(error: &anyhow::Error) -> u8 {
    let usage = error.chain().any(|cause| {
        cause.is::<UsageError>()
            || cause.is::<rein_config::ConfigError>()
            || cause.downcast_ref::<rein_store::StoreError>().is_some_and(|e| e.is_user_error())
    });
    if usage { USAGE } else { FAILURE }
}
