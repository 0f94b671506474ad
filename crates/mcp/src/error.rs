//! The one error type of this crate.

use std::time::Duration;

/// What went wrong talking to an MCP server, or serving one. Messages name the server and
/// what rein was doing, because they reach the model and the user as they are.
#[derive(Debug, thiserror::Error)]
pub enum McpError {
    /// No server of that name is configured.
    #[error("no MCP server named `{0}` (see `rein mcp list`)")]
    UnknownServer(String),
    /// The server is configured with `enabled = false`.
    #[error("MCP server `{0}` is disabled in the settings")]
    Disabled(String),
    /// The server does not offer that prompt.
    #[error("MCP server `{server}` has no prompt `{prompt}`")]
    UnknownPrompt {
        /// Server name.
        server: String,
        /// Prompt name.
        prompt: String,
    },
    /// A prompt was asked for without its required arguments.
    #[error("prompt `{prompt}` of MCP server `{server}` needs {missing}")]
    MissingArguments {
        /// Server name.
        server: String,
        /// Prompt name.
        prompt: String,
        /// The missing argument names, readable.
        missing: String,
    },
    /// The server could not be started or did not finish the handshake.
    #[error("MCP server `{server}` could not start: {reason}")]
    Start {
        /// Server name.
        server: String,
        /// Why.
        reason: String,
    },
    /// The server did not answer in time.
    #[error(
        "MCP server `{server}` did not answer within {} while {doing}; the request was cancelled{detail}",
        seconds(*timeout)
    )]
    Timeout {
        /// Server name.
        server: String,
        /// What rein was doing ("running tool `x`").
        doing: String,
        /// The limit that passed.
        timeout: Duration,
        /// What happens next.
        detail: String,
    },
    /// The connection broke: the process exited or the HTTP session failed.
    #[error(
        "MCP server `{server}` stopped while {doing}{detail}; it is restarted on the next request"
    )]
    Crashed {
        /// Server name.
        server: String,
        /// What rein was doing.
        doing: String,
        /// Exit status and the server's last words, when known.
        detail: String,
    },
    /// The server answered with an error.
    #[error("MCP server `{server}` failed {doing}: {message}")]
    Remote {
        /// Server name.
        server: String,
        /// What rein was doing.
        doing: String,
        /// The server's message.
        message: String,
    },
    /// The caller cancelled the request.
    #[error("interrupted")]
    Cancelled,
    /// Serving MCP over stdio failed.
    #[error("serving MCP failed: {0}")]
    Serve(String),
}

impl McpError {
    /// Whether retrying later may succeed (the server was restarted or may answer next time).
    pub fn is_transient(&self) -> bool {
        matches!(self, McpError::Timeout { .. } | McpError::Crashed { .. })
    }
}

/// A duration as people write it: `500 ms`, `10 s`.
pub(crate) fn seconds(duration: Duration) -> String {
    if duration.as_millis() < 1000 {
        format!("{} ms", duration.as_millis())
    } else if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}
