use crate::harness::{env, env_for, result_text};
use pretty_assertions::assert_eq;
use rein_testkit::Reply;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_tool_arguments_become_an_error_result() {
    let env = env(vec![
        Reply::RawToolInput {
            name: "read".into(),
            raw_arguments: "{\"path\": \"src/lib.rs\"".into(),
        },
        Reply::text("recovered"),
    ])
    .await;
    let run = env.run(&["-p", "go"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let results = env.tool_results(1);
    assert_eq!(results[0]["is_error"], true);
    assert!(result_text(&results[0]).contains("not a JSON object"), "{}", results[0]);
    // The broken call is replayed as an object so the provider accepts the conversation.
    let call = &env.requests()[1].body["messages"][1]["content"][0];
    assert_eq!(call["type"], "tool_use");
    assert!(call["input"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrongly_typed_arguments_name_the_problem() {
    let env = env(vec![Reply::tool_call("read", json!({"path": 42})), Reply::text("ok")]).await;
    let run = env.run(&["-p", "go"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let result = &env.tool_results(1)[0];
    assert_eq!(result["is_error"], true);
    assert!(result_text(result).contains("path"), "{result}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_tool_lists_the_real_ones() {
    let env =
        env(vec![Reply::tool_call("read_file", json!({"path": "x"})), Reply::text("ok")]).await;
    let run = env.run(&["-p", "go"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let text = result_text(&env.tool_results(1)[0]);
    assert!(text.contains("unknown tool `read_file`") && text.contains("read"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_cut_mid_message_is_retried() {
    let env =
        env(vec![Reply::CutStream { text: "partial ans".into() }, Reply::text("full answer")])
            .await;
    let run = env.run(&["-p", "go", "--output-format", "stream-json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let events = run.events();
    let retry = events.iter().find(|e| e["type"] == "retrying").expect("a retry event");
    assert_eq!(retry["attempt"], 1);
    assert_eq!(events.last().unwrap()["result"], "full answer");
    assert_eq!(env.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_honours_retry_after() {
    let env = env(vec![
        Reply::Error {
            status: 429,
            error_type: None,
            message: "slow down".into(),
            retry_after_secs: Some(1),
        },
        Reply::text("after the wait"),
    ])
    .await;
    let run = env.run(&["-p", "go", "--output-format", "stream-json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let events = run.events();
    let retry = events.iter().find(|e| e["type"] == "retrying").unwrap();
    assert_eq!(retry["delay_ms"], 1000);
    assert!(retry["error"].as_str().unwrap().contains("slow down"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overloaded_529_and_mid_stream_overload_are_retried() {
    let env = env(vec![
        Reply::error(529, "Overloaded"),
        Reply::OverloadedMidStream { text: "half".into() },
        Reply::text("finally"),
    ])
    .await;
    let run = env.run(&["-p", "go", "--output-format", "json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert_eq!(run.events()[0]["result"], "finally");
    assert_eq!(env.requests().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_request_is_not_retried_and_says_why() {
    let env =
        env(vec![Reply::error(400, "messages: roles must alternate"), Reply::text("unused")]).await;
    let run = env.run(&["-p", "go"]).await;
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("roles must alternate"), "{}", run.stderr());
    assert_eq!(env.requests().len(), 1);

    let env = crate::harness::env(vec![Reply::error(400, "bad field")]).await;
    let run = env.run(&["-p", "go", "--output-format", "json"]).await;
    assert_eq!(run.code(), 1);
    let result = &run.events()[0];
    assert_eq!(result["is_error"], true);
    assert_eq!(result["stop_reason"], "error");
    assert!(result["error"].as_str().unwrap().contains("bad field"), "{result}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_megabytes_of_tool_output_is_capped() {
    let env = env(vec![
        Reply::tool_call(
            "bash",
            json!({"command": "head -c 50000000 /dev/zero | tr '\\0' a; echo; echo end-marker"}),
        ),
        Reply::text("ok"),
    ])
    .await;
    let run = env.run(&["-p", "go"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let text = result_text(&env.tool_results(1)[0]);
    assert!(text.len() < 100_000, "result is {} bytes", text.len());
    assert!(text.contains("end-marker"), "the tail is kept");
    assert!(
        text.contains("omitted") || text.contains("truncated") || text.contains("too large"),
        "{}",
        &text[text.len() - 300..]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_a_binary_file_is_an_error_result() {
    let env =
        env(vec![Reply::tool_call("read", json!({"path": "blob.bin"})), Reply::text("ok")]).await;
    std::fs::write(env.path("blob.bin"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let run = env.run(&["-p", "go"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let result = &env.tool_results(1)[0];
    assert_eq!(result["is_error"], true);
    assert!(result_text(result).contains("binary"), "{result}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_with_a_non_unique_match_fails_and_leaves_the_file() {
    let env = env(vec![
        Reply::tool_call("read", json!({"path": "twice.txt"})),
        Reply::tool_call(
            "edit",
            json!({"path": "twice.txt", "old_string": "same", "new_string": "other"}),
        ),
        Reply::text("ok"),
    ])
    .await;
    std::fs::write(env.path("twice.txt"), "same\nmiddle\nsame\n").unwrap();
    let run = env.run(&["-p", "go"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let result = &env.tool_results(2)[0];
    assert_eq!(result["is_error"], true);
    let text = result_text(result);
    assert!(text.contains('2') && text.contains("replace_all"), "{text}");
    assert_eq!(env.read("twice.txt"), "same\nmiddle\nsame\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_api_key_is_a_clear_usage_error() {
    let env = env_for("none", vec![Reply::text("unused")]).await;
    let run = env.run(&["-p", "go", "--provider", "anthropic"]).await;
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("ANTHROPIC_API_KEY"), "{}", run.stderr());
    let run = env.run(&["-p", "go", "--provider", "openai"]).await;
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("OPENAI_API_KEY"), "{}", run.stderr());
    assert!(env.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_config_file_is_a_clear_usage_error() {
    let env = env(vec![Reply::text("unused")]).await;
    std::fs::write(env.home.path().join("config.toml"), "max_turns = \"ten\"\n").unwrap();
    let run = env.run(&["-p", "go"]).await;
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("max_turns") && run.stderr().contains("config.toml"),
        "{}",
        run.stderr()
    );
    assert!(env.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_prompt_is_refused_before_any_request() {
    let env = env(vec![Reply::text("unused")]).await;
    let run = env.run(&["-p", "   "]).await;
    assert_eq!(run.code(), 2);
    assert!(env.requests().is_empty());
}
