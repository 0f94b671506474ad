use super::*;
use reqwest::header::HeaderValue;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_static(value));
    }
    map
}

#[test]
fn retry_after_reads_seconds_and_milliseconds() {
    assert_eq!(retry_after(&headers(&[("retry-after", "7")])), Some(Duration::from_secs(7)));
    assert_eq!(retry_after(&headers(&[("retry-after", "1.5")])), Some(Duration::from_millis(1500)));
    // The millisecond header is more precise and wins.
    assert_eq!(
        retry_after(&headers(&[("retry-after", "2"), ("retry-after-ms", "250")])),
        Some(Duration::from_millis(250))
    );
    assert_eq!(retry_after(&headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")])), None);
    assert_eq!(retry_after(&headers(&[("retry-after", "-3")])), None);
    assert_eq!(retry_after(&headers(&[("retry-after", "NaN")])), None);
    assert_eq!(retry_after(&HeaderMap::new()), None);
}

#[test]
fn should_retry_reads_the_header() {
    assert_eq!(should_retry(&headers(&[("x-should-retry", "true")])), Some(true));
    assert_eq!(should_retry(&headers(&[("x-should-retry", "false")])), Some(false));
    assert_eq!(should_retry(&headers(&[("x-should-retry", "maybe")])), None);
    assert_eq!(should_retry(&HeaderMap::new()), None);
}

#[test]
fn should_retry_false_stops_a_retryable_error() {
    let error = ProviderError::RateLimited {
        retry_after: Some(Duration::from_secs(1)),
        message: "slow down".into(),
    };
    assert_eq!(
        apply_should_retry(error, 429, Some(false)),
        ProviderError::Http {
            status: 429,
            message: "slow down".into(),
            retryable: false,
            retry_after: Some(Duration::from_secs(1)),
        }
    );
}

#[test]
fn should_retry_true_retries_a_stopping_error() {
    let error = ProviderError::InvalidRequest { status: 400, message: "try later".into() };
    assert_eq!(
        apply_should_retry(error, 400, Some(true)),
        ProviderError::Http {
            status: 400,
            message: "try later".into(),
            retryable: true,
            retry_after: None,
        }
    );
}

#[test]
fn should_retry_leaves_agreeing_errors_and_overflows_alone() {
    let error = ProviderError::Server { status: 500, message: "x".into(), retry_after: None };
    assert_eq!(apply_should_retry(error.clone(), 500, Some(true)), error);
    assert_eq!(apply_should_retry(error.clone(), 500, None), error);
    let overflow = ProviderError::ContextOverflow { message: "prompt is too long".into() };
    assert_eq!(apply_should_retry(overflow.clone(), 400, Some(false)), overflow);
}

#[test]
fn context_overflow_messages_are_recognised() {
    assert!(is_context_overflow_message("prompt is too long: 210000 tokens > 200000 maximum"));
    assert!(is_context_overflow_message(
        "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens"
    ));
    assert!(is_context_overflow_message("the request exceeds the available context size"));
    assert!(!is_context_overflow_message("max_tokens: Field required"));
}

#[test]
fn fallback_message_uses_body_or_status() {
    assert_eq!(fallback_message(Some(502), "  "), "HTTP status 502");
    assert_eq!(fallback_message(None, ""), "no details");
    assert_eq!(
        fallback_message(Some(502), "<html>Bad gateway</html>\n"),
        "<html>Bad gateway</html>"
    );
    let long = "é".repeat(MAX_ERROR_MESSAGE + 10);
    let cut = fallback_message(Some(500), &long);
    assert_eq!(cut.chars().count(), MAX_ERROR_MESSAGE + 1);
    assert!(cut.ends_with('…'));
}

#[test]
fn json_answers_to_streaming_requests_are_rejected() {
    assert!(ensure_event_stream(&headers(&[("content-type", "text/event-stream")])).is_ok());
    assert!(ensure_event_stream(&HeaderMap::new()).is_ok());
    let error =
        ensure_event_stream(&headers(&[("content-type", "application/json; charset=utf-8")]))
            .unwrap_err();
    assert_eq!(error.kind(), "malformed");
}

#[test]
fn http_client_builds() {
    assert!(http_client().is_ok());
}
