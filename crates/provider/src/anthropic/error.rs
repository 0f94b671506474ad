//! Anthropic error bodies (`{"type":"error","error":{"type":..,"message":..}}`), from HTTP
//! responses and from `error` events inside a stream, mapped to [`ProviderError`].

use crate::error::ProviderError;
use crate::http;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

/// Classifies a non-success HTTP response.
pub(crate) fn from_http(status: u16, headers: &HeaderMap, body: &str) -> ProviderError {
    let parsed = serde_json::from_str::<Value>(body).ok();
    let (kind, message) = match &parsed {
        Some(value) => type_and_message(value),
        None => (None, None),
    };
    let message = message.unwrap_or_else(|| http::fallback_message(Some(status), body));
    let error = classify(Some(status), kind.unwrap_or(""), message, http::retry_after(headers));
    http::apply_should_retry(error, status, http::should_retry(headers))
}

/// Classifies the data of an `error` event received mid-stream.
pub(crate) fn from_event(data: &Value) -> ProviderError {
    let (kind, message) = type_and_message(data);
    let message = message.unwrap_or_else(|| http::fallback_message(None, &data.to_string()));
    classify(None, kind.unwrap_or(""), message, None)
}

/// The `error.type` and `error.message` of an error body.
fn type_and_message(value: &Value) -> (Option<&str>, Option<String>) {
    let error = &value["error"];
    let kind = error["type"].as_str();
    let message = error["message"].as_str().map(http::truncate);
    (kind, message)
}

/// Maps status and error type to an error. The status decides when there is one; the type
/// decides for errors inside a stream, which have no status of their own.
fn classify(
    status: Option<u16>,
    kind: &str,
    message: String,
    retry_after: Option<Duration>,
) -> ProviderError {
    let status_is = |code: u16| status == Some(code);
    if kind == "overloaded_error" || status_is(529) {
        return ProviderError::Overloaded { retry_after, message };
    }
    if kind == "rate_limit_error" || status_is(429) {
        return ProviderError::RateLimited { retry_after, message };
    }
    if matches!(status, Some(401 | 403)) {
        return ProviderError::Auth { status: status.unwrap_or(401), message };
    }
    match kind {
        "authentication_error" => {
            return ProviderError::Auth { status: 401, message };
        }
        "permission_error" => {
            return ProviderError::Auth { status: 403, message };
        }
        "billing_error" => return ProviderError::QuotaExceeded { message },
        _ => {}
    }
    // A request over the byte limit shrinks with compaction just like one over the token limit.
    let too_large = kind == "request_too_large" || status_is(413);
    let client_error = status.is_none_or(|s| (400..500).contains(&s));
    if too_large || (client_error && http::is_context_overflow_message(&message)) {
        return ProviderError::ContextOverflow { message };
    }
    match status {
        Some(status @ 500..) => ProviderError::Server { status, message, retry_after },
        // Request timeouts and lock conflicts are transient.
        Some(status @ (408 | 409)) => {
            ProviderError::Http { status, message, retryable: true, retry_after }
        }
        Some(status) => ProviderError::InvalidRequest { status, message },
        None => match kind {
            "api_error" => ProviderError::Server { status: 500, message, retry_after },
            "timeout_error" => ProviderError::Server { status: 504, message, retry_after },
            "not_found_error" => ProviderError::InvalidRequest { status: 404, message },
            "invalid_request_error" => ProviderError::InvalidRequest { status: 400, message },
            // An unknown error inside a stream is most likely a server-side hiccup.
            _ => ProviderError::Server { status: 500, message, retry_after },
        },
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
