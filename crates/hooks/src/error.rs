//! What can go wrong while loading hook settings or starting a hook.

use std::path::PathBuf;

/// A problem with one settings file or one hook. Loading turns these into warnings: a broken
/// hook file must not stop the agent, but the user must hear of it.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// The file exists but could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid JSON or TOML.
    #[error("hooks in {path} skipped: the file does not parse: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// The `hooks` table does not have the settings shape.
    #[error("hooks in {path} skipped: {message}")]
    Shape {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A key of the `hooks` table is not a hook event.
    #[error("unknown hook event `{name}` in {path} (skipped)")]
    UnknownEvent {
        /// The file.
        path: PathBuf,
        /// The key.
        name: String,
    },
    /// A matcher is not a valid regular expression.
    #[error("invalid matcher `{matcher}` for {event} in {path} (skipped): {source}")]
    Matcher {
        /// The file.
        path: PathBuf,
        /// The event.
        event: String,
        /// The pattern.
        matcher: String,
        /// The regex error.
        source: Box<regex::Error>,
    },
    /// A hook of another type than `command`, or one without a command.
    #[error("{event} hook in {path} skipped: {message}")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// The event.
        event: String,
        /// What is wrong.
        message: String,
    },
    /// The shell could not be started.
    #[error("hook `{command}` could not be started: {source}")]
    Spawn {
        /// The command.
        command: String,
        /// Why.
        source: std::io::Error,
    },
}
