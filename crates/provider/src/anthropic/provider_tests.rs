use super::*;
use crate::test_support::{http_response, one_shot_server};
use futures::StreamExt;
use pretty_assertions::assert_eq;
use rein_protocol::{ContentBlock, Message, ProviderEvent, StopReason};
use std::time::Duration;

fn request() -> ModelRequest {
    ModelRequest {
        model: "claude-haiku-4-5".into(),
        system: vec![],
        messages: vec![Message::user_text("hi")],
        tools: vec![],
        max_tokens: 100,
        temperature: None,
        thinking_budget: None,
        cache_last_message: false,
    }
}

fn provider(key: &str, base_url: &str) -> AnthropicProvider {
    AnthropicProvider::new(key.into(), base_url.into(), crate::http_client().unwrap())
}

const ANSWER: &str = "event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-haiku-4-5-20251001\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\r\n\r\nevent: content_block_start\r\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\r\n\r\nevent: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\r\n\r\nevent: message_delta\r\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2}}\r\n\r\nevent: message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n";

#[tokio::test]
async fn sends_the_documented_request_and_streams_the_answer() {
    let response = http_response("200 OK", &["content-type: text/event-stream"], ANSWER);
    let (url, server) = one_shot_server(response).await;
    let stream = provider("sk-ant-test", &format!("{url}/")).stream(&request()).await.unwrap();
    let items: Vec<_> = stream.collect().await;
    let raw = server.await.unwrap();

    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let head = head.to_ascii_lowercase();
    assert!(head.starts_with("post /v1/messages http/1.1"), "{head}");
    assert!(head.contains("\r\nx-api-key: sk-ant-test"), "{head}");
    assert!(head.contains("\r\nanthropic-version: 2023-06-01"), "{head}");
    assert!(head.contains("\r\ncontent-type: application/json"), "{head}");
    assert!(
        head.contains(&format!("\r\nuser-agent: rein/{}", env!("CARGO_PKG_VERSION"))),
        "{head}"
    );
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["stream"], true);
    assert_eq!(body["model"], "claude-haiku-4-5");

    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0], Ok(ProviderEvent::TextDelta { text: "Hello".into() }));
    let Ok(ProviderEvent::Completed { response }) = &items[1] else { panic!("{items:?}") };
    assert_eq!(response.content, vec![ContentBlock::Text { text: "Hello".into() }]);
    assert_eq!(response.stop_reason, StopReason::EndTurn);
    assert_eq!(response.model, "claude-haiku-4-5-20251001");
}

#[tokio::test]
async fn http_errors_are_returned_before_the_stream() {
    let body =
        r#"{"type":"error","error":{"type":"rate_limit_error","message":"Too many requests"}}"#;
    let response = http_response(
        "429 Too Many Requests",
        &["content-type: application/json", "retry-after: 3"],
        body,
    );
    let (url, _server) = one_shot_server(response).await;
    let error = provider("k", &url).stream(&request()).await.err().unwrap();
    assert_eq!(
        error,
        ProviderError::RateLimited {
            retry_after: Some(Duration::from_secs(3)),
            message: "Too many requests".into(),
        }
    );
}

#[tokio::test]
async fn a_json_answer_to_a_streaming_request_is_malformed() {
    let response = http_response("200 OK", &["content-type: application/json"], "{}");
    let (url, _server) = one_shot_server(response).await;
    let error = provider("k", &url).stream(&request()).await.err().unwrap();
    assert_eq!(error.kind(), "malformed");
}

#[tokio::test]
async fn missing_key_fails_without_sending() {
    let error = provider("  ", "http://127.0.0.1:9").stream(&request()).await.err().unwrap();
    assert_eq!(
        error,
        ProviderError::MissingApiKey {
            provider: "anthropic".into(),
            env_var: "ANTHROPIC_API_KEY".into(),
        }
    );
}

#[tokio::test]
async fn connection_failures_are_retryable_transport_errors() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = provider("k", &url).stream(&request()).await.err().unwrap();
    assert_eq!(error.kind(), "transport", "{error}");
    assert_eq!(error.action(), crate::ErrorAction::Retry);
}

#[tokio::test]
async fn an_unusable_base_url_is_a_configuration_error() {
    let error = provider("k", "not a url").stream(&request()).await.err().unwrap();
    assert_eq!(error.kind(), "invalid_config", "{error}");
    let error = provider("bad\nkey", "http://127.0.0.1:9").stream(&request()).await.err().unwrap();
    assert_eq!(error.kind(), "invalid_config", "{error}");
    assert!(!error.to_string().contains("bad"));
}

#[test]
fn debug_output_hides_the_key() {
    let debug = format!("{:?}", provider("sk-ant-secret", "https://api.anthropic.com"));
    assert!(!debug.contains("sk-ant-secret"), "{debug}");
    assert!(debug.contains("https://api.anthropic.com"), "{debug}");
    assert_eq!(provider("k", "u").name(), "anthropic");
}

#[test]
fn providers_work_as_shared_trait_objects() {
    let shared: std::sync::Arc<dyn Provider> = std::sync::Arc::new(provider("k", "u"));
    fn assert_send_sync<T: Send + Sync + ?Sized>(_: &T) {}
    assert_send_sync(&*shared);
    assert_eq!(shared.name(), "anthropic");
}
