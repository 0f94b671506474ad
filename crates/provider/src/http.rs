//! HTTP plumbing shared by the providers: the client, transport errors, response headers that
//! steer retries, and helpers for reading error bodies.

use crate::error::ProviderError;
use bytes::Bytes;
use futures::{Stream, StreamExt};
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use std::time::Duration;

/// How long connecting may take. There is deliberately no overall request timeout: a streamed
/// answer can legitimately run for many minutes.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Keeps idle-looking streams (long thinking, slow local models) from being dropped by NATs.
const TCP_KEEPALIVE: Duration = Duration::from_secs(30);

/// Error bodies are shown to people; anything longer is cut.
const MAX_ERROR_MESSAGE: usize = 2_000;

/// The HTTP client every provider should share: rustls, a connect timeout, no overall timeout,
/// and the user agent `rein/<version>`.
pub fn http_client() -> Result<reqwest::Client, ProviderError> {
    reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(CONNECT_TIMEOUT)
        .tcp_keepalive(TCP_KEEPALIVE)
        .user_agent(concat!("rein/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ProviderError::InvalidConfig { message: error_chain(&e) })
}

/// Maps a failed send to a provider error. Builder errors (e.g. an unparsable base URL) cannot
/// succeed on retry, so they are configuration errors rather than transport errors.
pub(crate) fn send_error(error: &reqwest::Error) -> ProviderError {
    if error.is_builder() {
        ProviderError::InvalidConfig { message: error_chain(error) }
    } else {
        ProviderError::Transport { message: error_chain(error) }
    }
}

/// The response body as a stream of chunks with read errors already mapped.
pub(crate) fn body_stream(
    response: reqwest::Response,
) -> impl Stream<Item = Result<Bytes, ProviderError>> + Send + 'static {
    response.bytes_stream().map(|chunk| {
        chunk.map_err(|e| ProviderError::Transport {
            message: format!("reading response body: {}", error_chain(&e)),
        })
    })
}

/// A successful status with a JSON body means the server ignored `"stream": true`; reading it
/// as SSE would only end in a confusing "stream ended early" retried several times.
pub(crate) fn ensure_event_stream(headers: &HeaderMap) -> Result<(), ProviderError> {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.trim_start().to_ascii_lowercase().starts_with("application/json") {
        return Err(ProviderError::malformed(
            "expected an event stream (text/event-stream) but the server answered with JSON",
        ));
    }
    Ok(())
}

/// Reads an error response: its headers and (bounded) body text.
pub(crate) async fn read_error(response: reqwest::Response) -> (u16, HeaderMap, String) {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    // A body that cannot be read still leaves the status to classify by.
    let body = response.text().await.unwrap_or_default();
    (status, headers, body)
}

/// The server-requested delay from `retry-after-ms` (milliseconds) or `retry-after`
/// (seconds, possibly fractional). HTTP-date values are ignored; the retry policy's own
/// backoff applies then.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return duration_from_secs(ms / 1000.0);
    }
    header("retry-after").and_then(|v| v.parse::<f64>().ok()).and_then(duration_from_secs)
}

fn duration_from_secs(secs: f64) -> Option<Duration> {
    if secs.is_finite() && secs >= 0.0 { Duration::try_from_secs_f64(secs).ok() } else { None }
}

/// The server's explicit retry decision from `x-should-retry`, if it sent one.
pub(crate) fn should_retry(headers: &HeaderMap) -> Option<bool> {
    match headers.get("x-should-retry")?.to_str().ok()?.trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Applies an explicit `x-should-retry` decision to a classified error. A context overflow is
/// left alone: compacting is the better remedy whatever the server says about retrying.
pub(crate) fn apply_should_retry(
    error: ProviderError,
    status: u16,
    should_retry: Option<bool>,
) -> ProviderError {
    use crate::error::ErrorAction;
    let Some(retry) = should_retry else {
        return error;
    };
    let current = error.action();
    if current == ErrorAction::Compact || (current == ErrorAction::Retry) == retry {
        return error;
    }
    let retry_after = error.retry_after();
    let message = inner_message(error);
    ProviderError::Http { status, message, retryable: retry, retry_after }
}

/// The provider's own message inside an error, without the variant's prefix.
fn inner_message(error: ProviderError) -> String {
    match error {
        ProviderError::RateLimited { message, .. }
        | ProviderError::Overloaded { message, .. }
        | ProviderError::Server { message, .. }
        | ProviderError::InvalidRequest { message, .. }
        | ProviderError::Auth { message, .. }
        | ProviderError::QuotaExceeded { message }
        | ProviderError::ContextOverflow { message }
        | ProviderError::Http { message, .. }
        | ProviderError::StreamCut { message }
        | ProviderError::Malformed { message }
        | ProviderError::Transport { message }
        | ProviderError::InvalidConfig { message } => message,
        other @ ProviderError::MissingApiKey { .. } => other.to_string(),
    }
}

/// Whether a provider message says the prompt does not fit the context window. Providers and
/// local servers phrase this differently and not all of them send a stable code.
pub(crate) fn is_context_overflow_message(message: &str) -> bool {
    const NEEDLES: [&str; 7] = [
        "prompt is too long",
        "context length",
        "context_length",
        "maximum context",
        "context window",
        "exceeds the available context",
        "exceed_context_size",
    ];
    let lower = message.to_ascii_lowercase();
    NEEDLES.iter().any(|needle| lower.contains(needle))
}

/// A message for an error whose body had no recognisable message: the trimmed body, or the
/// status when the body is empty.
pub(crate) fn fallback_message(status: Option<u16>, body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        return match status {
            Some(status) => format!("HTTP status {status}"),
            None => "no details".to_string(),
        };
    }
    truncate(body)
}

/// Cuts long text at a character boundary.
pub(crate) fn truncate(text: &str) -> String {
    match text.char_indices().nth(MAX_ERROR_MESSAGE) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// An error and its causes on one line; reqwest's own message hides the interesting part
/// ("connection refused", "dns error") in the source chain.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
#[path = "http_tests.rs"]
mod tests;
