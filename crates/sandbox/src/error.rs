//! Why a sandbox could not be prepared.

use std::path::PathBuf;

/// A failure while building the sandbox in the parent process (never in the child).
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The kernel refused the Landlock ruleset or one of its rules.
    #[error("Landlock ruleset: {0}")]
    Landlock(String),
    /// A writable root or protected path could not be opened.
    #[error("cannot open {}: {source}", path.display())]
    Open {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The seccomp filter did not compile for this architecture.
    #[error("seccomp filter: {0}")]
    Seccomp(String),
    /// A path holds a NUL byte and cannot be passed to the kernel.
    #[error("path {} contains a NUL byte", .0.display())]
    NulInPath(PathBuf),
}
