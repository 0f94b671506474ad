use std::path::PathBuf;

/// Errors of the session store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file or directory could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// Which path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The SQLite index failed.
    #[error("session index {path}: {source}")]
    Sqlite {
        /// Database file.
        path: PathBuf,
        /// The cause.
        source: rusqlite::Error,
    },
    /// No session matches the id or prefix.
    #[error("no session matches '{0}' (see `rein sessions list`)")]
    NotFound(String),
    /// A prefix matches several sessions.
    #[error("session id prefix '{prefix}' is ambiguous: {candidates}")]
    Ambiguous {
        /// The prefix given.
        prefix: String,
        /// Some of the matching ids.
        candidates: String,
    },
    /// A transcript line could not be encoded.
    #[error("encoding transcript entry: {0}")]
    Encode(#[from] serde_json::Error),
    /// No memory revision has this number in this memory folder.
    #[error("no memory revision {0} here (see `rein memory log`)")]
    NoRevision(i64),
    /// The transcript has no session header line.
    #[error("transcript {0} has no session header")]
    NoHeader(PathBuf),
}

impl StoreError {
    /// Whether the user asked for something that does not exist (as opposed to a failure of
    /// the disk or the database).
    pub fn is_user_error(&self) -> bool {
        matches!(self, Self::NotFound(_) | Self::Ambiguous { .. } | Self::NoRevision(_))
    }

    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io { action, path: path.to_path_buf(), source }
    }
}
