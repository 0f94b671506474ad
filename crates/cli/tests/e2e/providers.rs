use crate::harness::{env_for, result_text};
use pretty_assertions::assert_eq;
use rein_testkit::Reply;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_compatible_server_runs_the_same_task() {
    let env = env_for(
        "openai",
        vec![
            Reply::tool_call("read", json!({"path": "src/lib.rs"})),
            Reply::tool_call(
                "write",
                json!({"path": "src/lib.rs", "content": "pub fn greet() -> &'static str {\n    \"hi\"\n}\n"}),
            ),
            Reply::text("Rewrote the greeting."),
        ],
    )
    .await;
    let run =
        env.run(&["-p", "change it", "--model", "local-model", "--output-format", "json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert_eq!(run.events()[0]["result"], "Rewrote the greeting.");
    assert!(env.read("src/lib.rs").contains("\"hi\""));

    let requests = env.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].path, "/v1/chat/completions");
    assert_eq!(requests[0].header("authorization"), Some("Bearer test-key"));
    assert_eq!(requests[0].body["model"], "local-model");
    assert_eq!(requests[0].body["messages"][0]["role"], "system");
    let results = env.tool_results(1);
    assert_eq!(results.len(), 1);
    assert!(result_text(&results[0]).contains("pub fn greet"));
    // The assistant's tool call is replayed with its arguments as a JSON string.
    let replayed = &requests[1].body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "assistant")
        .unwrap()["tool_calls"][0];
    assert_eq!(replayed["function"]["name"], "read");
    assert!(replayed["function"]["arguments"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_base_url_without_key_needs_no_authorization() {
    let env = env_for("none", vec![Reply::text("local answer")]).await;
    let mut command = env.command(&["-p", "hi", "--model", "qwen"]);
    command.env("OPENAI_BASE_URL", env.server.openai_url());
    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(env.requests()[0].header("authorization"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thinking_blocks_are_kept_for_the_next_turn() {
    let env = env_for(
        "anthropic",
        vec![
            Reply::Thinking { thinking: "Let me look.".into(), text: "Reading.".into() },
            Reply::text("unused"),
        ],
    )
    .await;
    let run = env.run(&["-p", "think", "--output-format", "stream-json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let events = run.events();
    assert!(events.iter().any(|e| e["type"] == "thinking_delta"));
    let message = events.iter().find(|e| e["type"] == "assistant_message").unwrap();
    assert_eq!(message["message"]["content"][0]["type"], "thinking");
    assert_eq!(message["message"]["content"][0]["thinking"], "Let me look.");
}
