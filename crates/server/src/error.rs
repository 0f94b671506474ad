//! Errors in the OpenAI shape: `{"error": {"message", "type", "param", "code"}}`, with the
//! HTTP status clients use to decide whether to retry.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rein_provider::{ErrorAction, ProviderError};
use serde_json::{Value, json};

/// Said when a provider stream ends without its final event.
pub(crate) const INCOMPLETE: &str = "the model's answer ended before it was complete";

/// A failed request, ready to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    /// OpenAI error type: `invalid_request_error`, `authentication_error`, `server_error`.
    pub(crate) kind: &'static str,
    pub(crate) message: String,
    pub(crate) code: Option<&'static str>,
}

impl ApiError {
    /// The request is malformed or asks for something unsupported (400).
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            kind: "invalid_request_error",
            message: message.into(),
            code: None,
        }
    }

    /// The bearer token is missing or wrong (401).
    pub(crate) fn unauthorized() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            kind: "authentication_error",
            message: "missing or invalid bearer token".into(),
            code: Some("invalid_api_key"),
        }
    }

    /// No such route or model (404).
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            kind: "invalid_request_error",
            message: message.into(),
            code: None,
        }
    }

    /// The server failed (500).
    pub(crate) fn server(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "server_error",
            message: message.into(),
            code: None,
        }
    }

    /// The model failed. A prompt too long for the context becomes a 400 with OpenAI's
    /// `context_length_exceeded` code so clients can shorten the conversation; passing
    /// failures become 503 so clients retry; anything else is a 500.
    pub(crate) fn from_provider(error: &ProviderError) -> Self {
        let message = error.to_string();
        match error {
            ProviderError::ContextOverflow { .. } => {
                Self { code: Some("context_length_exceeded"), ..Self::invalid(message) }
            }
            ProviderError::InvalidRequest { .. } => Self::invalid(message),
            _ if error.action() == ErrorAction::Retry => Self {
                status: StatusCode::SERVICE_UNAVAILABLE,
                kind: "server_error",
                message,
                code: None,
            },
            _ => Self::server(message),
        }
    }

    /// The error object, also sent as a chunk when a stream fails after it started.
    pub(crate) fn body(&self) -> Value {
        json!({"error": {
            "message": self.message,
            "type": self.kind,
            "param": null,
            "code": self.code,
        }})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_errors_map_to_retryable_or_final_statuses() {
        let overflow = ProviderError::ContextOverflow { message: "too long".into() };
        let mapped = ApiError::from_provider(&overflow);
        assert_eq!(mapped.status, StatusCode::BAD_REQUEST);
        assert_eq!(mapped.code, Some("context_length_exceeded"));

        let busy = ProviderError::Overloaded { retry_after: None, message: "busy".into() };
        assert_eq!(ApiError::from_provider(&busy).status, StatusCode::SERVICE_UNAVAILABLE);

        let broken = ProviderError::Malformed { message: "bad".into() };
        let mapped = ApiError::from_provider(&broken);
        assert_eq!(mapped.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(mapped.body()["error"]["message"], "malformed response: bad");
    }
}
