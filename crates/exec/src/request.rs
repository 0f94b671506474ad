//! What to run and what came back.

use rein_sandbox::Sandbox;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// One command to run with `bash -c`.
#[derive(Debug, Clone)]
pub struct ExecRequest {
    /// Shell text, passed to `bash -c`.
    pub command: String,
    /// Working directory; must exist.
    pub cwd: PathBuf,
    /// Extra environment variables, set after scrubbing (so a caller may pass a secret on
    /// purpose).
    pub env: Vec<(String, String)>,
    /// Wall-clock limit; the whole process group is killed when it passes.
    pub timeout: Duration,
    /// Bytes of output kept: half from the start, half from the end.
    pub output_limit: usize,
    /// Whether inherited variables that look like credentials are removed (see
    /// [`crate::is_secret_var`]). On by default.
    pub scrub_secrets: bool,
    /// The sandbox to run the command in; `None` runs it with the caller's own rights.
    pub sandbox: Option<Arc<Sandbox>>,
}

impl ExecRequest {
    /// Default timeout of a command.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
    /// Default number of output bytes kept.
    pub const DEFAULT_OUTPUT_LIMIT: usize = 30_000;

    /// A request with the default timeout and output limit, secrets scrubbed, no extra env.
    pub fn new(command: impl Into<String>, cwd: impl Into<PathBuf>) -> Self {
        Self {
            command: command.into(),
            cwd: cwd.into(),
            env: Vec::new(),
            timeout: Self::DEFAULT_TIMEOUT,
            output_limit: Self::DEFAULT_OUTPUT_LIMIT,
            scrub_secrets: true,
            sandbox: None,
        }
    }

    /// Sets the timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the number of output bytes kept.
    pub fn output_limit(mut self, bytes: usize) -> Self {
        self.output_limit = bytes;
        self
    }

    /// Runs the command in `sandbox`.
    pub fn sandbox(mut self, sandbox: Option<Arc<Sandbox>>) -> Self {
        self.sandbox = sandbox;
        self
    }

    /// Adds an environment variable.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }
}

/// The result of a finished (or stopped) command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutput {
    /// Exit code of the shell; `None` when it was ended by a signal (timeout, cancel, crash).
    pub exit_code: Option<i32>,
    /// Whether the timeout ended the command.
    pub timed_out: bool,
    /// Whether cancellation ended the command.
    pub cancelled: bool,
    /// Stdout and stderr interleaved in arrival order, lossy UTF-8. When bytes were dropped, a
    /// marker line at the cut says how many.
    pub output: String,
    /// Bytes dropped from the middle of the output.
    pub truncated_bytes: u64,
    /// Wall time from spawn to the end.
    pub duration: std::time::Duration,
}

impl ExecOutput {
    /// Whether the command ran to completion with exit code 0.
    pub fn success(&self) -> bool {
        self.exit_code == Some(0)
    }
}
