#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test support: a failed setup step should fail the test loudly"
)]

//! MCP through the real binary: a scripted model calls a tool of the reference "everything"
//! server (defined in `.mcp.json`), `rein mcp list` reports servers, and `rein mcp serve` is
//! driven by an MCP client.

use crate::harness::{TestEnv, env, result_text};
use pretty_assertions::assert_eq;
use rein_testkit::Reply;
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult, ClientConfig};
use rmcp::service::{RoleClient, RunningService};
use serde_json::{Value, json};
use std::path::Path;

/// The installed npm server `name` (see scripts/setup-mcp.sh).
fn npm_server(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/mcp-servers/node_modules/.bin")
        .join(name);
    if !path.exists() {
        panic!(
            "{} is missing: install the test MCP servers with `bash scripts/setup-mcp.sh`",
            path.display()
        );
    }
    path.to_string_lossy().into_owned()
}

fn mcp_json(env: &TestEnv, servers: Value) {
    std::fs::write(env.path(".mcp.json"), json!({ "mcpServers": servers }).to_string()).unwrap();
}

fn everything() -> Value {
    json!({"command": npm_server("mcp-server-everything"), "args": ["stdio"]})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_model_calls_an_mcp_tool_and_the_result_reaches_the_transcript() {
    let env = env(vec![
        Reply::tool_call("mcp__everything__echo", json!({"message": "hello from rein"})),
        Reply::text("The server echoed it."),
    ])
    .await;
    mcp_json(
        &env,
        json!({"everything": everything(), "broken": {"command": "rein-test-no-such-server"}}),
    );
    let run = env
        .run(&[
            "-p",
            "echo something",
            "--allowed-tools",
            "mcp__everything",
            "--output-format",
            "json",
        ])
        .await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert!(run.stderr().contains("MCP server `broken` could not start"), "{}", run.stderr());

    let tools: Vec<String> = env.requests()[0].body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    let first_mcp = tools.iter().position(|n| n.starts_with("mcp__")).unwrap();
    assert!(tools[..first_mcp].iter().all(|n| !n.starts_with("mcp__")), "{tools:?}");
    assert!(tools[first_mcp..].iter().all(|n| n.starts_with("mcp")), "built-ins first: {tools:?}");
    assert!(tools.contains(&"mcp__everything__get-sum".to_string()), "{tools:?}");
    assert!(tools.contains(&"mcp_read_resource".to_string()), "{tools:?}");

    let results = env.tool_results(1);
    assert_eq!(result_text(&results[0]), "Echo: hello from rein");
    assert_eq!(results[0]["is_error"], false);
    let id = crate::harness::session_id(&env).await;
    let transcript =
        std::fs::read_to_string(env.home.path().join(format!("sessions/{id}.jsonl"))).unwrap();
    assert!(transcript.contains("Echo: hello from rein"), "not in the transcript: {transcript}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_tools_need_approval_like_other_outside_tools_and_mcp_can_be_off() {
    let env = env(vec![
        Reply::tool_call("mcp__everything__echo", json!({"message": "x"})),
        Reply::text("done"),
        Reply::tool_call("mcp__everything__echo", json!({"message": "x"})),
        Reply::text("done"),
    ])
    .await;
    mcp_json(&env, json!({"everything": everything()}));
    let run = env.run(&["-p", "echo"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let refused = env.tool_results(1);
    assert_eq!(refused[0]["is_error"], true, "{}", refused[0]);
    assert!(result_text(&refused[0]).contains("mcp__everything__echo"), "{}", refused[0]);

    let run =
        env.run(&["-p", "echo", "-C", "mcp.enabled=false", "--permission-mode", "bypass"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let tools = env.requests()[2].body["tools"].to_string();
    assert!(!tools.contains("mcp__"), "{tools}");
    assert!(
        result_text(&env.tool_results(3)[0]).contains("unknown tool"),
        "{}",
        env.tool_results(3)[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_list_shows_each_server_its_state_and_where_it_is_defined() {
    let env = env(vec![]).await;
    std::fs::write(env.path(".mcp.json"), "{\"mcpServers\": {\"everything\": ").unwrap();
    let run = env.run(&["mcp", "list"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert!(run.stdout().starts_with("No MCP servers."), "{}", run.stdout());
    assert!(run.stderr().contains(".mcp.json is not valid JSON"), "{}", run.stderr());

    mcp_json(&env, json!({"everything": everything()}));
    std::fs::create_dir_all(env.path(".rein")).unwrap();
    std::fs::write(
        env.path(".rein/config.toml"),
        "[mcp_servers.gone]\ncommand = \"rein-test-no-such-server\"\n\
         [mcp_servers.later]\nurl = \"http://127.0.0.1:9/mcp\"\nenabled = false\n",
    )
    .unwrap();
    let run = env.run(&["mcp", "list"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("everything (stdio): connected, "), "{out}");
    assert!(lines[0].contains(" tools, ") && lines[0].ends_with(" prompts"), "{out}");
    assert!(lines[1].contains("mcp-server-everything stdio"), "{out}");
    assert!(lines[2].ends_with(".mcp.json"), "{out}");
    assert!(
        lines[3].starts_with("gone (stdio): failed: `rein-test-no-such-server` was not found"),
        "{out}"
    );
    assert!(lines[5].ends_with(".rein/config.toml"), "{out}");
    assert_eq!(lines[6], "later (http): disabled", "{out}");

    let run = env.run(&["mcp", "list", "--json"]).await;
    let report: Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(report["servers"][0]["name"], "everything");
    assert_eq!(report["servers"][0]["state"]["state"], "connected");
    assert!(report["servers"][0]["tools"].as_u64().unwrap() > 5);
    assert_eq!(report["servers"][1]["state"]["state"], "failed");
    assert_eq!(report["servers"][2]["state"]["state"], "disabled");
}

/// `rein mcp serve` in the test repository, with an MCP client on its stdin and stdout.
async fn serve(env: &TestEnv) -> RunningService<RoleClient, ClientConfig> {
    let mut command = tokio::process::Command::from(env.command(&["mcp", "serve"]));
    command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true);
    let mut child = command.spawn().unwrap();
    let (stdout, stdin) = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
    // The child lives as long as the test; dropping the client closes its stdin and it ends.
    tokio::spawn(async move { child.wait().await });
    ClientConfig::default().serve((stdout, stdin)).await.unwrap()
}

async fn call(
    client: &RunningService<RoleClient, ClientConfig>,
    tool: &str,
    args: Value,
) -> CallToolResult {
    let Value::Object(args) = args else { panic!("arguments must be an object") };
    client
        .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(args))
        .await
        .unwrap()
}

fn text(result: &CallToolResult) -> String {
    result.content.iter().filter_map(|c| c.as_text().map(|t| t.text.clone())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_serve_offers_reins_tools_and_an_agent() {
    let env = env(vec![
        Reply::text("The greeting is hello."),
        Reply::error(400, "this request is not valid"),
    ])
    .await;
    std::fs::create_dir_all(env.path(".rein")).unwrap();
    std::fs::write(env.path(".rein/config.toml"), "[permissions]\ndeny = [\"read(secret.txt)\"]\n")
        .unwrap();
    std::fs::write(env.path("secret.txt"), "hunter2\n").unwrap();
    let client = serve(&env).await;
    let info = client.peer_info().unwrap();
    assert_eq!(info.server_info.as_ref().unwrap().name, "rein");

    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for expected in ["read", "edit", "glob", "grep", "bash", "agent"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    assert!(!names.contains(&"ask_user") && !names.contains(&"todo"), "{names:?}");
    let read_tool = tools.iter().find(|t| t.name == "read").unwrap();
    assert_eq!(read_tool.annotations.as_ref().and_then(|a| a.read_only_hint), Some(true));
    assert_eq!(read_tool.input_schema.get("type"), Some(&json!("object")));

    let read = call(&client, "read", json!({"path": "src/lib.rs"})).await;
    assert_ne!(read.is_error, Some(true), "{read:?}");
    assert!(text(&read).contains("pub fn greet()"), "{}", text(&read));
    let glob = call(&client, "glob", json!({"pattern": "**/*.rs"})).await;
    assert!(text(&glob).contains("src/lib.rs"), "{}", text(&glob));
    // A file read in one call can be edited in the next: the connection keeps one context.
    let edit = call(
        &client,
        "edit",
        json!({"path": "src/lib.rs", "old_string": "\"hello\"", "new_string": "\"hi\""}),
    )
    .await;
    assert_ne!(edit.is_error, Some(true), "{}", text(&edit));
    assert!(env.read("src/lib.rs").contains("\"hi\""));
    let denied = call(&client, "read", json!({"path": "secret.txt"})).await;
    assert_eq!(denied.is_error, Some(true));
    assert!(text(&denied).contains("permission denied"), "{}", text(&denied));

    let answer = call(&client, "agent", json!({"prompt": "What does greet return?"})).await;
    assert_ne!(answer.is_error, Some(true), "{}", text(&answer));
    assert_eq!(text(&answer), "The greeting is hello.");
    let requests = env.requests();
    assert_eq!(requests.len(), 1);
    let prompt = requests[0].body["messages"][0].to_string();
    assert!(prompt.contains("What does greet return?"), "{prompt}");
    // A run that fails comes back as an error result saying why.
    let failed = call(&client, "agent", json!({"prompt": "again"})).await;
    assert_eq!(failed.is_error, Some(true), "{}", text(&failed));
    assert!(text(&failed).starts_with("the session failed"), "{}", text(&failed));
    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_mcp_prompt_runs_as_a_slash_command() {
    let env = env(vec![Reply::text("Done.")]).await;
    mcp_json(&env, json!({"everything": everything()}));
    let run = env.run(&["-p", "/mcp__everything__simple-prompt"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let sent = serde_json::to_string(&env.requests()[0].body["messages"]).unwrap();
    assert!(sent.contains("This is a simple prompt without arguments."), "{sent}");
}
