//! Errors of process execution.

use std::path::PathBuf;

/// Why a command could not be run or a job could not be found.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// The working directory does not exist or is not a directory.
    #[error("working directory {} does not exist or is not a directory", .0.display())]
    BadCwd(PathBuf),
    /// The shell could not be started.
    #[error("failed to start `bash`: {0}")]
    Spawn(#[source] std::io::Error),
    /// Waiting for the child failed.
    #[error("failed to wait for the command: {0}")]
    Wait(#[source] std::io::Error),
    /// Background jobs need a tokio runtime to supervise them.
    #[error("background jobs need a running tokio runtime")]
    NoRuntime,
    /// No background job has this id.
    #[error("no background job with id {0}")]
    UnknownJob(String),
}
