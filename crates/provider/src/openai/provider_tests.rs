use super::*;
use crate::test_support::{http_response, one_shot_server};
use futures::StreamExt;
use pretty_assertions::assert_eq;
use rein_protocol::{ContentBlock, Message, ProviderEvent, StopReason};

fn request() -> ModelRequest {
    ModelRequest {
        model: "qwen".into(),
        system: vec![],
        messages: vec![Message::user_text("hi")],
        tools: vec![],
        max_tokens: 100,
        temperature: None,
        thinking_budget: None,
        cache_last_message: false,
    }
}

fn provider(key: Option<&str>, base_url: &str) -> OpenAiProvider {
    OpenAiProvider::new(key.map(Into::into), base_url.into(), crate::http_client().unwrap())
}

const ANSWER: &str = "data: {\"model\":\"qwen2.5\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\ndata: {\"model\":\"qwen2.5\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

async fn exchange(
    key: Option<&str>,
) -> (String, serde_json::Value, Vec<crate::test_support::Item>) {
    let response = http_response("200 OK", &["content-type: text/event-stream"], ANSWER);
    let (url, server) = one_shot_server(response).await;
    let stream = provider(key, &format!("{url}/v1")).stream(&request()).await.unwrap();
    let items: Vec<_> = stream.collect().await;
    let raw = server.await.unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    (head.to_ascii_lowercase(), serde_json::from_str(body).unwrap(), items)
}

#[tokio::test]
async fn talks_to_a_local_server_without_a_key() {
    let (head, body, items) = exchange(None).await;
    assert!(head.starts_with("post /v1/chat/completions http/1.1"), "{head}");
    assert!(!head.contains("authorization"), "{head}");
    assert_eq!(body["max_tokens"], 100);
    assert!(body.get("max_completion_tokens").is_none());

    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0], Ok(ProviderEvent::TextDelta { text: "Hello".into() }));
    let Ok(ProviderEvent::Completed { response }) = &items[1] else { panic!("{items:?}") };
    assert_eq!(response.content, vec![ContentBlock::Text { text: "Hello".into() }]);
    assert_eq!(response.stop_reason, StopReason::EndTurn);
    assert_eq!(response.model, "qwen2.5");
}

#[tokio::test]
async fn sends_a_bearer_token_when_a_key_is_set() {
    let (head, _, _) = exchange(Some("sk-local")).await;
    assert!(head.contains("\r\nauthorization: bearer sk-local"), "{head}");
}

#[tokio::test]
async fn http_errors_are_returned_before_the_stream() {
    let body = r#"{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#;
    let response = http_response("400 Bad Request", &["content-type: application/json"], body);
    let (url, _server) = one_shot_server(response).await;
    let error = provider(None, &url).stream(&request()).await.err().unwrap();
    assert_eq!(error.action(), crate::ErrorAction::Compact);
}

#[tokio::test]
async fn openai_itself_needs_a_key() {
    let error = provider(Some(" "), OpenAiProvider::DEFAULT_BASE_URL)
        .stream(&request())
        .await
        .err()
        .unwrap();
    assert_eq!(
        error,
        ProviderError::MissingApiKey {
            provider: "openai".into(),
            env_var: "OPENAI_API_KEY".into()
        }
    );
}

#[test]
fn debug_output_hides_the_key() {
    let debug = format!("{:?}", provider(Some("sk-secret"), "https://api.openai.com/v1"));
    assert!(!debug.contains("sk-secret"), "{debug}");
    assert_eq!(provider(None, "u").name(), "openai");
}
