use std::path::PathBuf;

/// Errors of the memory crate.
#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    /// A memory file or folder could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// Which path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The history database failed.
    #[error(transparent)]
    Store(#[from] rein_store::StoreError),
    /// A memory file's frontmatter could not be read.
    #[error("{path}: {message}")]
    Frontmatter {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A name that cannot be a memory file name.
    #[error(
        "`{0}` is not a valid memory name: use 1–64 lowercase letters, digits and dashes, \
         starting with a letter or digit"
    )]
    InvalidName(String),
    /// No memory has this name.
    #[error("no memory named `{0}` (see `rein memory list`)")]
    NotFound(String),
    /// A memory with this name exists already.
    #[error("a memory named `{0}` exists already; update it instead")]
    Exists(String),
    /// Another dream holds the lock.
    #[error("another dream is running (process {pid}); try again later")]
    Locked {
        /// The holder's process id.
        pid: u32,
    },
    /// Something the user asked for cannot be done as asked.
    #[error("{0}")]
    Invalid(String),
}

impl MemoryError {
    /// Whether the user (or the model) asked for something wrong, as opposed to a failure of
    /// the disk or the database.
    pub fn is_user_error(&self) -> bool {
        match self {
            Self::Store(e) => e.is_user_error(),
            Self::InvalidName(_)
            | Self::NotFound(_)
            | Self::Exists(_)
            | Self::Locked { .. }
            | Self::Invalid(_)
            | Self::Frontmatter { .. } => true,
            Self::Io { .. } => false,
        }
    }

    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io { action, path: path.to_path_buf(), source }
    }
}
