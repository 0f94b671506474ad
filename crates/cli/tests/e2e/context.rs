//! Instruction files: loaded into the first request, nested ones when the agent gets there,
//! and reported by `rein context`.

use crate::harness::{env, result_text};
use rein_testkit::Reply;
use serde_json::{Value, json};

#[tokio::test]
async fn instructions_reach_the_model_and_nested_ones_arrive_with_results() {
    let env =
        env(vec![Reply::tool_call("read", json!({"path": "web/app.js"})), Reply::text("done")])
            .await;
    std::fs::write(env.path("AGENTS.md"), "Always run the linter. See @docs/style.md\n").unwrap();
    std::fs::create_dir_all(env.path("docs")).unwrap();
    std::fs::write(env.path("docs/style.md"), "Two-space indents.\n").unwrap();
    std::fs::create_dir_all(env.path("web")).unwrap();
    std::fs::write(env.path("web/CLAUDE.md"), "Web code uses semicolons.\n").unwrap();
    std::fs::write(env.path("web/app.js"), "let a = 1;\n").unwrap();

    let run = env.run(&["-p", "tidy web/app.js"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let requests = env.requests();
    let first = requests[0].body["messages"][0]["content"].to_string();
    assert!(first.contains("Always run the linter."), "{first}");
    assert!(first.contains("Two-space indents."), "imports expand: {first}");
    assert!(!first.contains("semicolons"), "nested files wait until the agent gets there");

    let second = &requests[1].body["messages"];
    let last = second.as_array().unwrap().last().unwrap();
    assert!(result_text(&env.tool_results(1)[0]).contains("let a = 1;"));
    let texts: Vec<&str> =
        last["content"].as_array().unwrap().iter().filter_map(|b| b["text"].as_str()).collect();
    assert_eq!(texts.len(), 1, "{last}");
    assert!(texts[0].contains("Web code uses semicolons."), "{}", texts[0]);
}

#[tokio::test]
async fn rein_context_lists_files_with_sizes() {
    let env = env(vec![]).await;
    std::fs::write(env.path("AGENTS.md"), "Rules. @missing.md\n").unwrap();
    std::fs::create_dir_all(env.home.path()).unwrap();
    std::fs::write(env.home.path().join("AGENTS.md"), "Mine.\n").unwrap();
    let run = env.run(&["context", "--json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let report: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let files = report["instruction_files"].as_array().unwrap();
    let origins: Vec<&str> = files.iter().map(|f| f["origin"].as_str().unwrap()).collect();
    assert_eq!(origins, ["user", "project"]);
    assert_eq!(files[1]["bytes"], 19);
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].as_str().unwrap().contains("missing.md: imported file not found"));
    let parts: Vec<&str> =
        report["parts"].as_array().unwrap().iter().map(|p| p["part"].as_str().unwrap()).collect();
    assert_eq!(parts, ["system prompt", "tool definitions", "instruction files"]);
}

/// With the fake server accounting for prompt caching as the Anthropic API does, every turn
/// after the first reads the whole previous prompt from the cache: the layout (sorted tools,
/// static system prompt, one moving breakpoint) keeps the prefix stable.
#[tokio::test]
async fn the_prompt_prefix_stays_cached_across_turns() {
    use rein_testkit::{CacheSettings, FakeModelServer, Script};
    let mut env = env(vec![]).await;
    let script = Script::new(vec![
        Reply::tool_call("read", json!({"path": "src/lib.rs"})),
        Reply::tool_call("grep", json!({"pattern": "greet"})),
        Reply::text("done"),
    ])
    .with_cache(CacheSettings::default());
    env.server = FakeModelServer::start(script).await.unwrap();
    let run = env.run(&["-p", "look around", "--output-format", "stream-json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let events = run.events();
    let usages: Vec<&serde_json::Value> =
        events.iter().filter(|e| e["type"] == "usage").map(|e| &e["usage"]).collect();
    assert_eq!(usages.len(), 3);
    assert_eq!(usages[0]["cache_read_tokens"], 0);
    assert!(usages[0]["cache_creation_tokens"].as_u64().unwrap() > 1024);
    for pair in usages.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        let prefix = before["cache_read_tokens"].as_u64().unwrap()
            + before["cache_creation_tokens"].as_u64().unwrap();
        assert_eq!(after["cache_read_tokens"].as_u64().unwrap(), prefix, "{usages:?}");
        assert_eq!(after["input_tokens"], 0, "everything new is written to the cache");
    }
    assert!(!events.iter().any(|e| e["type"] == "cache_break"));
}

#[tokio::test]
async fn large_tool_results_are_saved_and_previewed() {
    let env =
        env(vec![Reply::tool_call("bash", json!({"command": "seq 1 20000"})), Reply::text("done")])
            .await;
    let run = env.run(&["-p", "count"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let shown = result_text(&env.tool_results(1)[0]);
    assert!(shown.starts_with("[output too large for the conversation"), "{shown}");
    assert!(shown.len() < 3_000, "{}", shown.len());
    let path = shown.split(" is in ").nth(1).unwrap().split("; page through").next().unwrap();
    let saved = std::fs::read_to_string(path).unwrap();
    assert!(saved.starts_with("1\n2\n") && saved.trim_end().ends_with("20000"), "{}", saved.len());
    assert!(std::path::Path::new(path).starts_with(env.home.path()));
}

/// The first request as the provider receives it: tools (sorted), the static system prompt with
/// its cache breakpoint, then one user message with the session context, instructions and the
/// prompt, carrying the moving breakpoint. Paths and the date are replaced so the snapshot only
/// changes when the layout or the prompt text does.
#[tokio::test]
async fn first_request_layout_snapshot() {
    let env = env(vec![Reply::text("ok")]).await;
    std::fs::write(env.path("AGENTS.md"), "Run `cargo test` before finishing.\n").unwrap();
    // The sandbox line depends on the kernel; `sandbox_is_described_to_the_model` checks it.
    let run = env.run(&["-p", "Explain src/lib.rs", "-C", "sandbox.enabled=false"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let mut body = env.requests()[0].body.clone();
    // Tool schemas have their own tests; the snapshot keeps their names and order.
    let tools: Vec<Value> = body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| json!({"name": t["name"], "cache_control": t.get("cache_control")}))
        .collect();
    body["tools"] = Value::Array(tools);
    let text = body.to_string();
    let repo = env.repo.path().display().to_string();
    let date_at = text.find("date: ").unwrap() + "date: ".len();
    let today = text[date_at..date_at + 10].to_string();
    let text = text.replace(&repo, "[repo]").replace(&today, "[date]");
    let body: Value = serde_json::from_str(&text).unwrap();
    insta::assert_json_snapshot!(body);
}

#[tokio::test]
async fn sandbox_is_described_to_the_model() {
    let env = env(vec![Reply::text("ok")]).await;
    let run = env.run(&["-p", "hi"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let text = env.requests()[0].body.to_string();
    if rein_sandbox::SandboxSupport::detect().is_usable() {
        assert!(text.contains("sandbox: bash commands may write only in the project"), "{text}");
    } else {
        assert!(!text.contains("sandbox:"), "{text}");
    }
}
