//! OpenAI-style error bodies (`{"error":{"message","type","code"}}`), from HTTP responses and
//! from error chunks inside a stream, mapped to [`ProviderError`]. Compatible servers vary, so
//! a bare string `error`, a top-level `message` or `detail` are understood too.

use crate::error::ProviderError;
use crate::http;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

/// The fields of an error body that matter for classification.
#[derive(Debug, Default, PartialEq, Eq)]
struct ErrorFields {
    kind: String,
    code: String,
    message: Option<String>,
}

/// Classifies a non-success HTTP response.
pub(crate) fn from_http(status: u16, headers: &HeaderMap, body: &str) -> ProviderError {
    let fields = serde_json::from_str::<Value>(body).map(|v| fields(&v)).unwrap_or_default();
    let message =
        fields.message.clone().unwrap_or_else(|| http::fallback_message(Some(status), body));
    let error = classify(Some(status), &fields, message, http::retry_after(headers));
    http::apply_should_retry(error, status, http::should_retry(headers))
}

/// Classifies an error chunk received mid-stream. Some servers put an HTTP status in `code`.
pub(crate) fn from_chunk(data: &Value) -> ProviderError {
    let fields = fields(data);
    let status = fields.code.parse::<u16>().ok().filter(|s| (400..600).contains(s));
    let message =
        fields.message.clone().unwrap_or_else(|| http::fallback_message(None, &data.to_string()));
    classify(status, &fields, message, None)
}

fn fields(value: &Value) -> ErrorFields {
    let error = &value["error"];
    if let Some(message) = error.as_str() {
        return ErrorFields { message: Some(http::truncate(message)), ..ErrorFields::default() };
    }
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let message = [&error["message"], &value["message"], &value["detail"]]
        .into_iter()
        .find_map(|v| v.as_str())
        .map(http::truncate);
    ErrorFields { kind: text(&error["type"]), code: text(&error["code"]), message }
}

fn classify(
    status: Option<u16>,
    fields: &ErrorFields,
    message: String,
    retry_after: Option<Duration>,
) -> ProviderError {
    let (kind, code) = (fields.kind.as_str(), fields.code.as_str());
    if code == "insufficient_quota" || kind == "insufficient_quota" {
        return ProviderError::QuotaExceeded { message };
    }
    if status == Some(429) || code == "rate_limit_exceeded" || kind == "rate_limit_error" {
        return ProviderError::RateLimited { retry_after, message };
    }
    if matches!(status, Some(401 | 403))
        || code == "invalid_api_key"
        || kind == "authentication_error"
    {
        return ProviderError::Auth { status: status.unwrap_or(401), message };
    }
    let overflow_code = code == "context_length_exceeded" || kind == "exceed_context_size_error";
    let client_error = status.is_none_or(|s| (400..500).contains(&s));
    if overflow_code
        || status == Some(413)
        || (client_error && http::is_context_overflow_message(&message))
    {
        return ProviderError::ContextOverflow { message };
    }
    match status {
        Some(status @ 500..) => ProviderError::Server { status, message, retry_after },
        Some(status @ (408 | 409)) => {
            ProviderError::Http { status, message, retryable: true, retry_after }
        }
        Some(status) => ProviderError::InvalidRequest { status, message },
        None if kind == "invalid_request_error" => {
            ProviderError::InvalidRequest { status: 400, message }
        }
        // An error chunk without details is most likely a server-side failure mid-answer.
        None => ProviderError::Server { status: 500, message, retry_after },
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
