use crate::harness::{env, result_text};
use pretty_assertions::assert_eq;
use rein_testkit::Reply;
use serde_json::json;

fn read_edit_answer() -> Vec<Reply> {
    vec![
        Reply::tool_call("read", json!({"path": "src/lib.rs"})),
        Reply::tool_call(
            "edit",
            json!({"path": "src/lib.rs", "old_string": "\"hello\"", "new_string": "\"hello, world\""}),
        ),
        Reply::text("Changed the greeting to \"hello, world\"."),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_edit_answer_changes_the_file_and_sends_valid_requests() {
    let env = env(read_edit_answer()).await;
    let run = env.run(&["-p", "Change the greeting to hello, world"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert!(run.stdout().contains("Changed the greeting"), "{}", run.stdout());
    assert!(env.read("src/lib.rs").contains("\"hello, world\""));

    let requests = env.requests();
    assert_eq!(requests.len(), 3);
    let first = &requests[0];
    assert_eq!(first.path, "/v1/messages");
    assert_eq!(first.header("x-api-key"), Some("test-key"));
    assert_eq!(first.body["stream"], true);
    // Tools are sorted by name so the cached prefix never changes order.
    let names: Vec<&str> = first.body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    assert!(names.contains(&"read") && names.contains(&"edit") && names.contains(&"bash"));
    // The static system prompt carries a cache breakpoint; so does the last message.
    assert_eq!(first.body["system"][0]["cache_control"]["type"], "ephemeral");
    let first_message = &first.body["messages"][0];
    assert!(first_message["content"][0]["text"].as_str().unwrap().starts_with("<environment>"));
    assert_eq!(
        first_message["content"].as_array().unwrap().last().unwrap()["cache_control"]["type"],
        "ephemeral"
    );

    // The read result reached the model with line numbers.
    let read = env.tool_results(1);
    assert_eq!(read.len(), 1);
    assert!(result_text(&read[0]).contains("pub fn greet()"), "{}", read[0]);
    assert_eq!(read[0]["is_error"], false);
    let edit = env.tool_results(2);
    assert!(!result_text(&edit[0]).is_empty());
    assert_eq!(edit[0]["is_error"], false, "{}", edit[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_json_reports_every_step_in_order() {
    let env = env(read_edit_answer()).await;
    let run = env.run(&["-p", "go", "--output-format", "stream-json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let events = run.events();
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types.first(), Some(&"session_started"));
    assert_eq!(types.last(), Some(&"finished"));
    assert_eq!(types.iter().filter(|t| **t == "turn_started").count(), 3);
    assert_eq!(types.iter().filter(|t| **t == "tool_call_started").count(), 2);
    assert_eq!(types.iter().filter(|t| **t == "tool_call_finished").count(), 2);
    assert_eq!(types.iter().filter(|t| **t == "usage").count(), 3);
    assert!(types.contains(&"text_delta"));
    let finished = events.last().unwrap();
    assert_eq!(finished["stop_reason"], "completed");
    assert_eq!(finished["turns"], 3);
    assert!(finished["usage"]["input_tokens"].as_u64().unwrap() > 0);
    // The default model is in the price table, so every turn has a cost.
    assert!(finished["cost_usd"].as_f64().unwrap() > 0.0, "{finished}");
    let last_usage = events.iter().rev().find(|e| e["type"] == "usage").unwrap();
    assert_eq!(last_usage["session_cost_usd"], finished["cost_usd"]);
    assert!(finished["result"].as_str().unwrap().contains("Changed the greeting"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_output_is_one_result_object() {
    let env = env(vec![Reply::text("All good.")]).await;
    let run = env.run(&["-p", "hi", "--output-format", "json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let events = run.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["type"], "result");
    assert_eq!(events[0]["result"], "All good.");
    assert_eq!(events[0]["is_error"], false);
    assert!(events[0]["session_id"].as_str().unwrap().len() >= 32);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prompt_can_come_from_stdin() {
    let env = env(vec![Reply::text("ok")]).await;
    let mut command = env.command(&["-p"]);
    command.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
    let output = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = command.spawn().unwrap();
        child.stdin.take().unwrap().write_all(b"prompt from a pipe").unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let body = &env.requests()[0].body;
    let text = body["messages"][0]["content"].as_array().unwrap().last().unwrap()["text"].clone();
    assert_eq!(text, "prompt from a pipe");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_turns_stops_with_its_own_exit_code() {
    let env = env(vec![
        Reply::tool_call("list", json!({})),
        Reply::tool_call("list", json!({})),
        Reply::text("never reached"),
    ])
    .await;
    let run = env.run(&["-p", "loop", "--max-turns", "2"]).await;
    assert_eq!(run.code(), 3, "stderr: {}", run.stderr());
    assert!(run.stderr().contains("max_turns"), "{}", run.stderr());
    assert_eq!(env.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_limit_stop_continues_automatically() {
    let env =
        env(vec![Reply::MaxTokens { text: "First half".into() }, Reply::text(" and second half.")])
            .await;
    let run = env.run(&["-p", "write a lot", "--output-format", "json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert_eq!(run.events()[0]["result"], "First half and second half.");
    let second = &env.requests()[1].body["messages"];
    let last = second.as_array().unwrap().last().unwrap();
    assert_eq!(last["role"], "user");
    assert!(last["content"][0]["text"].as_str().unwrap().contains("cut off by the output limit"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_read_only_calls_all_get_results_in_order() {
    let env = env(vec![
        Reply::tool_calls(vec![
            rein_testkit::ToolCall::new("read", json!({"path": "src/lib.rs"})).with_id("a"),
            rein_testkit::ToolCall::new("glob", json!({"pattern": "**/*.rs"})).with_id("b"),
            rein_testkit::ToolCall::new("grep", json!({"pattern": "greet"})).with_id("c"),
        ]),
        Reply::text("done"),
    ])
    .await;
    let run = env.run(&["-p", "look around"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let results = env.tool_results(1);
    let ids: Vec<&str> = results.iter().map(|r| r["tool_use_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert!(result_text(&results[2]).contains("src/lib.rs"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_and_config_explain() {
    let env = env(vec![]).await;
    let run = env.run(&["--version"]).await;
    assert_eq!(run.code(), 0);
    assert!(run.stdout().starts_with("rein "));

    std::fs::create_dir_all(env.path(".rein")).unwrap();
    std::fs::write(env.path(".rein/config.toml"), "max_turns = 12\n").unwrap();
    let run = env.run(&["config", "explain", "--model", "from-flag"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let out = run.stdout();
    let line =
        |key: &str| out.lines().find(|l| l.starts_with(&format!("{key} "))).unwrap().to_string();
    assert!(line("max_turns").contains("project file"), "{out}");
    assert!(line("model").contains("command line --model"), "{out}");
    assert!(
        line("anthropic.base_url").contains("environment variable ANTHROPIC_BASE_URL"),
        "{out}"
    );
    assert!(out.contains("ANTHROPIC_API_KEY: set"));
    assert!(!out.contains("test-key"), "keys must never be printed");
}

#[tokio::test]
async fn at_mentions_attach_files_and_missing_ones_warn() {
    let env = env(vec![Reply::text("It greets.")]).await;
    let run = env
        .run(&["-p", "What does @src/lib.rs do? And @nope.rs?", "--output-format", "stream-json"])
        .await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    // Environment facts, then the attached file, then the prompt.
    let first = &env.requests()[0].body["messages"][0]["content"];
    assert_eq!(
        first[1]["text"],
        "src/lib.rs\n```rust\npub fn greet() -> &'static str {\n    \"hello\"\n}\n```"
    );
    assert_eq!(first[2]["text"], "What does @src/lib.rs do? And @nope.rs?");
    let warnings: Vec<_> = run
        .events()
        .into_iter()
        .filter(|e| e["type"] == "warning")
        .map(|e| e["message"].clone())
        .collect();
    assert_eq!(warnings, ["not attached: nope.rs: no such file"]);
}
