//! Provider failures and what the agent loop should do about each.

use std::time::Duration;

/// What the caller should do after a failed model call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorAction {
    /// Try the same request again after a delay (see [`crate::RetryPolicy`]).
    Retry,
    /// The conversation no longer fits: shrink it, then try again.
    Compact,
    /// Retrying cannot help; report the error.
    Stop,
}

/// A failed model call. Messages come from the provider or the transport and never contain
/// API keys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// No API key was configured for a provider that needs one.
    #[error("no API key for {provider}: set {env_var}")]
    MissingApiKey {
        /// Provider name.
        provider: String,
        /// Environment variable that would supply the key.
        env_var: String,
    },
    /// The provider settings cannot work (bad base URL, key with characters HTTP forbids, ...).
    #[error("invalid provider configuration: {message}")]
    InvalidConfig {
        /// What is wrong.
        message: String,
    },
    /// Too many requests (HTTP 429).
    #[error("rate limited: {message}")]
    RateLimited {
        /// Server-requested delay.
        retry_after: Option<Duration>,
        /// Provider message.
        message: String,
    },
    /// The provider is temporarily overloaded (Anthropic 529 / `overloaded_error`).
    #[error("provider overloaded: {message}")]
    Overloaded {
        /// Server-requested delay.
        retry_after: Option<Duration>,
        /// Provider message.
        message: String,
    },
    /// The provider failed (HTTP 5xx, or a server error reported inside the stream).
    #[error("server error {status}: {message}")]
    Server {
        /// HTTP status (for errors inside a stream, the status the error type stands for).
        status: u16,
        /// Provider message.
        message: String,
        /// Server-requested delay.
        retry_after: Option<Duration>,
    },
    /// The provider rejected the request (HTTP 400, 404, 422, ...).
    #[error("invalid request ({status}): {message}")]
    InvalidRequest {
        /// HTTP status.
        status: u16,
        /// Provider message.
        message: String,
    },
    /// The API key was rejected or lacks permission (HTTP 401/403).
    #[error("authentication failed ({status}): {message}")]
    Auth {
        /// HTTP status.
        status: u16,
        /// Provider message.
        message: String,
    },
    /// The account is out of credit or quota; waiting will not help.
    #[error("quota exceeded: {message}")]
    QuotaExceeded {
        /// Provider message.
        message: String,
    },
    /// The prompt is longer than the model's context window.
    #[error("context window exceeded: {message}")]
    ContextOverflow {
        /// Provider message.
        message: String,
    },
    /// Any other HTTP failure, or one whose retry decision the server made explicitly with an
    /// `x-should-retry` header.
    #[error("HTTP {status}: {message}")]
    Http {
        /// HTTP status.
        status: u16,
        /// Provider message.
        message: String,
        /// Whether the same request may succeed later.
        retryable: bool,
        /// Server-requested delay.
        retry_after: Option<Duration>,
    },
    /// The connection closed before the answer was complete.
    #[error("stream ended early: {message}")]
    StreamCut {
        /// What was missing.
        message: String,
    },
    /// The server sent something that is not valid SSE or JSON of the expected shape.
    #[error("malformed response: {message}")]
    Malformed {
        /// What was wrong.
        message: String,
    },
    /// Connecting, sending or reading failed.
    #[error("connection error: {message}")]
    Transport {
        /// Transport error, with its causes.
        message: String,
    },
}

impl ProviderError {
    /// What the agent loop should do about this error.
    pub fn action(&self) -> ErrorAction {
        match self {
            Self::RateLimited { .. }
            | Self::Overloaded { .. }
            | Self::Server { .. }
            | Self::StreamCut { .. }
            | Self::Transport { .. } => ErrorAction::Retry,
            Self::Http { retryable: true, .. } => ErrorAction::Retry,
            Self::ContextOverflow { .. } => ErrorAction::Compact,
            Self::MissingApiKey { .. }
            | Self::InvalidConfig { .. }
            | Self::InvalidRequest { .. }
            | Self::Auth { .. }
            | Self::QuotaExceeded { .. }
            | Self::Http { retryable: false, .. }
            | Self::Malformed { .. } => ErrorAction::Stop,
        }
    }

    /// The delay the server asked for before retrying, if it named one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. }
            | Self::Overloaded { retry_after, .. }
            | Self::Server { retry_after, .. }
            | Self::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Stable snake_case label for logs and `stream-json` output.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::MissingApiKey { .. } => "missing_api_key",
            Self::InvalidConfig { .. } => "invalid_config",
            Self::RateLimited { .. } => "rate_limited",
            Self::Overloaded { .. } => "overloaded",
            Self::Server { .. } => "server",
            Self::InvalidRequest { .. } => "invalid_request",
            Self::Auth { .. } => "auth",
            Self::QuotaExceeded { .. } => "quota_exceeded",
            Self::ContextOverflow { .. } => "context_overflow",
            Self::Http { .. } => "http",
            Self::StreamCut { .. } => "stream_cut",
            Self::Malformed { .. } => "malformed",
            Self::Transport { .. } => "transport",
        }
    }

    pub(crate) fn malformed(message: impl Into<String>) -> Self {
        Self::Malformed { message: message.into() }
    }

    pub(crate) fn stream_cut(message: impl Into<String>) -> Self {
        Self::StreamCut { message: message.into() }
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
