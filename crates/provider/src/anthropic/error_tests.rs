use super::*;
use pretty_assertions::assert_eq;
use reqwest::header::HeaderValue;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_static(value));
    }
    map
}

fn body(kind: &str, message: &str) -> String {
    json_body(kind, message).to_string()
}

fn json_body(kind: &str, message: &str) -> Value {
    serde_json::json!({"type": "error", "error": {"type": kind, "message": message}})
}

fn http(status: u16, pairs: &[(&'static str, &'static str)], body: &str) -> ProviderError {
    from_http(status, &headers(pairs), body)
}

#[test]
fn rate_limits_carry_the_requested_delay() {
    assert_eq!(
        http(429, &[("retry-after", "12")], &body("rate_limit_error", "Number of requests")),
        ProviderError::RateLimited {
            retry_after: Some(Duration::from_secs(12)),
            message: "Number of requests".into(),
        }
    );
    assert_eq!(
        http(429, &[("retry-after-ms", "750")], &body("rate_limit_error", "slow")).retry_after(),
        Some(Duration::from_millis(750))
    );
}

#[test]
fn overloads_are_recognised_by_status_and_type() {
    let expected = ProviderError::Overloaded { retry_after: None, message: "Overloaded".into() };
    assert_eq!(http(529, &[], &body("overloaded_error", "Overloaded")), expected);
    assert_eq!(http(503, &[], &body("overloaded_error", "Overloaded")), expected);
    assert_eq!(http(529, &[], "Overloaded"), expected);
}

#[test]
fn server_errors_keep_status_and_body() {
    assert_eq!(
        http(500, &[("retry-after", "2")], &body("api_error", "Internal server error")),
        ProviderError::Server {
            status: 500,
            message: "Internal server error".into(),
            retry_after: Some(Duration::from_secs(2)),
        }
    );
    assert_eq!(
        http(502, &[], "<html>Bad Gateway</html>"),
        ProviderError::Server {
            status: 502,
            message: "<html>Bad Gateway</html>".into(),
            retry_after: None
        }
    );
    assert_eq!(
        http(504, &[], ""),
        ProviderError::Server { status: 504, message: "HTTP status 504".into(), retry_after: None }
    );
}

#[test]
fn long_prompts_are_context_overflows() {
    let message = "prompt is too long: 215000 tokens > 200000 maximum";
    assert_eq!(
        http(400, &[], &body("invalid_request_error", message)),
        ProviderError::ContextOverflow { message: message.into() }
    );
    assert_eq!(
        http(413, &[], &body("request_too_large", "Request exceeds the maximum size")),
        ProviderError::ContextOverflow { message: "Request exceeds the maximum size".into() }
    );
}

#[test]
fn client_errors_are_invalid_requests_or_auth() {
    assert_eq!(
        http(400, &[], &body("invalid_request_error", "messages: field required")),
        ProviderError::InvalidRequest { status: 400, message: "messages: field required".into() }
    );
    assert_eq!(
        http(404, &[], &body("not_found_error", "model: claude-nope")),
        ProviderError::InvalidRequest { status: 404, message: "model: claude-nope".into() }
    );
    assert_eq!(
        http(401, &[], &body("authentication_error", "invalid x-api-key")),
        ProviderError::Auth { status: 401, message: "invalid x-api-key".into() }
    );
    assert_eq!(
        http(403, &[], &body("permission_error", "no access")),
        ProviderError::Auth { status: 403, message: "no access".into() }
    );
    assert_eq!(
        http(400, &[], &body("billing_error", "credit balance is too low")),
        ProviderError::QuotaExceeded { message: "credit balance is too low".into() }
    );
}

#[test]
fn transient_client_errors_are_retryable() {
    let error = http(409, &[], &body("api_error", "conflict"));
    assert_eq!(error.action(), crate::ErrorAction::Retry);
    assert_eq!(error.kind(), "http");
}

#[test]
fn should_retry_header_overrides_the_status() {
    assert_eq!(
        http(429, &[("x-should-retry", "false")], &body("rate_limit_error", "no")),
        ProviderError::Http {
            status: 429,
            message: "no".into(),
            retryable: false,
            retry_after: None,
        }
    );
    let error = http(400, &[("x-should-retry", "true")], &body("invalid_request_error", "x"));
    assert_eq!(error.action(), crate::ErrorAction::Retry);
}

#[test]
fn stream_error_events_are_classified_by_type() {
    assert_eq!(
        from_event(&json_body("overloaded_error", "Overloaded")),
        ProviderError::Overloaded { retry_after: None, message: "Overloaded".into() }
    );
    assert_eq!(
        from_event(&json_body("api_error", "boom")),
        ProviderError::Server { status: 500, message: "boom".into(), retry_after: None }
    );
    assert_eq!(
        from_event(&json_body("rate_limit_error", "slow")),
        ProviderError::RateLimited { retry_after: None, message: "slow".into() }
    );
    assert_eq!(
        from_event(&json_body("invalid_request_error", "prompt is too long")),
        ProviderError::ContextOverflow { message: "prompt is too long".into() }
    );
    assert_eq!(
        from_event(&json_body("something_new", "?")),
        ProviderError::Server { status: 500, message: "?".into(), retry_after: None }
    );
    assert_eq!(from_event(&serde_json::json!({"type": "error"})).kind(), "server");
}
