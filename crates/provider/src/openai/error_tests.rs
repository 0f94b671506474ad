use super::*;
use pretty_assertions::assert_eq;
use reqwest::header::HeaderValue;
use serde_json::json;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_static(value));
    }
    map
}

fn body(kind: &str, code: Value, message: &str) -> String {
    json!({"error": {"message": message, "type": kind, "param": null, "code": code}}).to_string()
}

fn http(status: u16, pairs: &[(&'static str, &'static str)], body: &str) -> ProviderError {
    from_http(status, &headers(pairs), body)
}

#[test]
fn rate_limits_and_quota() {
    assert_eq!(
        http(
            429,
            &[("retry-after", "20")],
            &body("requests", json!("rate_limit_exceeded"), "Rate limit reached")
        ),
        ProviderError::RateLimited {
            retry_after: Some(Duration::from_secs(20)),
            message: "Rate limit reached".into(),
        }
    );
    assert_eq!(
        http(429, &[], &body("insufficient_quota", json!("insufficient_quota"), "No credit")),
        ProviderError::QuotaExceeded { message: "No credit".into() }
    );
}

#[test]
fn context_overflows_by_code_or_message() {
    let message = "This model's maximum context length is 128000 tokens.";
    assert_eq!(
        http(400, &[], &body("invalid_request_error", json!("context_length_exceeded"), message)),
        ProviderError::ContextOverflow { message: message.into() }
    );
    // vLLM puts the message at the top level.
    let vllm = json!({"object": "error", "message": "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", "type": "BadRequestError", "param": null, "code": 400});
    assert_eq!(http(400, &[], &vllm.to_string()).kind(), "context_overflow");
    // llama.cpp names a type instead of a code.
    let llama = body("exceed_context_size_error", json!(400), "request (9000 tokens) too big");
    assert_eq!(http(400, &[], &llama).kind(), "context_overflow");
}

#[test]
fn client_errors() {
    assert_eq!(
        http(400, &[], &body("invalid_request_error", Value::Null, "Unknown parameter")),
        ProviderError::InvalidRequest { status: 400, message: "Unknown parameter".into() }
    );
    assert_eq!(
        http(401, &[], &body("invalid_request_error", json!("invalid_api_key"), "Bad key")),
        ProviderError::Auth { status: 401, message: "Bad key".into() }
    );
    assert_eq!(
        http(403, &[], "forbidden"),
        ProviderError::Auth { status: 403, message: "forbidden".into() }
    );
    assert_eq!(
        http(404, &[], r#"{"error":"model 'qwen' not found"}"#),
        ProviderError::InvalidRequest { status: 404, message: "model 'qwen' not found".into() }
    );
    assert_eq!(
        http(404, &[], r#"{"detail":"Not Found"}"#),
        ProviderError::InvalidRequest { status: 404, message: "Not Found".into() }
    );
}

#[test]
fn server_errors() {
    assert_eq!(
        http(500, &[], &body("server_error", Value::Null, "The server had an error")),
        ProviderError::Server {
            status: 500,
            message: "The server had an error".into(),
            retry_after: None
        }
    );
    assert_eq!(
        http(503, &[("retry-after-ms", "1200")], ""),
        ProviderError::Server {
            status: 503,
            message: "HTTP status 503".into(),
            retry_after: Some(Duration::from_millis(1200)),
        }
    );
    let error = http(500, &[("x-should-retry", "false")], "down");
    assert_eq!(error.kind(), "http");
    assert_eq!(error.action(), crate::ErrorAction::Stop);
}

#[test]
fn error_chunks_mid_stream() {
    assert_eq!(
        from_chunk(
            &json!({"error": {"message": "The server had an error", "type": "server_error"}})
        ),
        ProviderError::Server {
            status: 500,
            message: "The server had an error".into(),
            retry_after: None
        }
    );
    assert_eq!(
        from_chunk(&json!({"error": {"code": 400, "type": "exceed_context_size_error",
            "message": "the request exceeds the available context size"}})),
        ProviderError::ContextOverflow {
            message: "the request exceeds the available context size".into()
        }
    );
    assert_eq!(
        from_chunk(&json!({"error": {"code": "rate_limit_exceeded", "message": "slow"}})),
        ProviderError::RateLimited { retry_after: None, message: "slow".into() }
    );
    assert_eq!(
        from_chunk(&json!({"error": {"type": "invalid_request_error", "message": "bad"}})),
        ProviderError::InvalidRequest { status: 400, message: "bad".into() }
    );
}
