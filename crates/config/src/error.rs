use std::path::PathBuf;

/// A setting could not be loaded. Messages name the file or variable and the key, so the
/// user can fix it without guessing.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A config file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// File.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// A config file is not valid TOML.
    #[error("{path} is not valid TOML: {message}")]
    Parse {
        /// File.
        path: PathBuf,
        /// Parser message with line and column.
        message: String,
    },
    /// A key rein does not know.
    #[error("unknown setting `{key}` in {origin}{hint}")]
    UnknownKey {
        /// The key.
        key: String,
        /// Where it was found.
        origin: String,
        /// A suggestion, if one is close.
        hint: String,
    },
    /// A value of the wrong type or out of range.
    #[error("setting `{key}` from {origin}: expected {expected}, found {found}")]
    Invalid {
        /// The key.
        key: String,
        /// Where it was found.
        origin: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// No home folder could be found to place user state in.
    #[error("cannot find a home folder for user state; set REIN_HOME")]
    NoHome,
}
