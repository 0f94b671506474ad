//! Health, model listing, unknown routes and the bearer token.

#![allow(clippy::unwrap_used, reason = "tests")]

mod support;

use axum::http::StatusCode;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};
use support::{ScriptedProvider, call, server, text_answer};

fn parse(body: &str) -> Value {
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn health_names_the_model() {
    let (status, body) =
        call(&server(ScriptedProvider::new(vec![])), "GET", "/health", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(parse(&body), json!({"status": "ok", "model": "local-model"}));
}

#[tokio::test]
async fn models_lists_the_one_model() {
    let server = server(ScriptedProvider::new(vec![]));
    let (status, body) = call(&server, "GET", "/v1/models", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        parse(&body),
        json!({"object": "list", "data": [
            {"id": "local-model", "object": "model", "created": 0, "owned_by": "rein"}
        ]})
    );
    let (status, body) = call(&server, "GET", "/v1/models/local-model", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(parse(&body)["id"], "local-model");
    let (status, body) = call(&server, "GET", "/v1/models/gpt-4", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(parse(&body)["error"]["type"], "invalid_request_error");
}

#[tokio::test]
async fn unknown_routes_get_an_openai_shaped_404() {
    let (status, body) =
        call(&server(ScriptedProvider::new(vec![])), "GET", "/v1/embeddings", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(parse(&body)["error"]["message"].is_string());
}

#[tokio::test]
async fn a_token_guards_the_api_but_not_health() {
    let provider = ScriptedProvider::new(vec![text_answer("o", "k")]);
    let server = server(provider.clone()).with_token("s3cret".into());
    let chat = json!({"messages": [{"role": "user", "content": "hi"}]});

    for token in [None, Some("wrong"), Some("s3cret2"), Some("")] {
        let (status, body) =
            call(&server, "POST", "/v1/chat/completions", Some(chat.clone()), token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "token {token:?}");
        assert_eq!(parse(&body)["error"]["code"], "invalid_api_key");
    }
    let (status, _) = call(&server, "GET", "/v1/models", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(provider.requests().is_empty());

    let (status, _) = call(&server, "GET", "/health", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(&server, "GET", "/v1/models", None, Some("s3cret")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) =
        call(&server, "POST", "/v1/chat/completions", Some(chat), Some("s3cret")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(parse(&body)["choices"][0]["message"]["content"], "ok");
}

#[tokio::test]
async fn serving_refuses_non_loopback_addresses() {
    let server = server(ScriptedProvider::new(vec![]));
    let error = server.serve("0.0.0.0:0".parse().unwrap(), async {}).await.unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("loopback"), "{error}");
}
