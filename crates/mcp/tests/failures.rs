//! Servers that fail: one that never starts, one that crashes mid-session, one that hangs,
//! a slow tool, an interrupted call, and broken settings files.

mod support;

use pretty_assertions::assert_eq;
use rein_mcp::{McpSources, ServerState};
use rein_tools::ToolContext;
use serde_json::json;
use std::time::Duration;
use support::{call, everything, flaky, start, stdio, tool};
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn a_server_that_does_not_start_is_a_warning_and_the_others_work() {
    let dir = tempfile::tempdir().unwrap();
    let broken = stdio("broken", "rein-test-no-such-server", &[]);
    let exits = stdio("exits", "sh", &["-c", "echo 'cannot open the database' >&2; exit 7"]);
    let manager = start(vec![broken, exits, everything()], dir.path()).await;
    let warnings = manager.warnings();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("MCP server `broken` could not start"), "{warnings:?}");
    assert!(warnings[0].contains("`rein-test-no-such-server` was not found"), "{warnings:?}");
    assert!(warnings[0].ends_with("its tools are not available"), "{warnings:?}");
    assert!(warnings[1].contains("MCP server `exits` could not start"), "{warnings:?}");
    assert!(warnings[1].contains("exited with status 7"), "{warnings:?}");
    assert!(warnings[1].contains("cannot open the database"), "{warnings:?}");
    let states: Vec<(String, bool)> =
        manager.status().into_iter().map(|s| (s.name, s.state == ServerState::Connected)).collect();
    assert_eq!(
        states,
        [("broken".into(), false), ("everything".into(), true), ("exits".into(), false)]
    );
    assert!(manager.tools().iter().all(|t| !t.name().starts_with("mcp__broken")));
    let output =
        call(&manager, "mcp__everything__echo", json!({"message": "still here"}), dir.path()).await;
    assert_eq!(output.content, "Echo: still here");
}

#[tokio::test]
async fn a_crashed_server_gives_a_clear_error_and_is_restarted() {
    let dir = tempfile::tempdir().unwrap();
    let manager = start(vec![flaky()], dir.path()).await;
    assert_eq!(manager.warnings(), &[] as &[String]);
    let ok = call(&manager, "mcp__flaky__echo", json!({"text": "one"}), dir.path()).await;
    assert_eq!(ok.content, "echo: one");

    let crashed = call(&manager, "mcp__flaky__crash", json!({}), dir.path()).await;
    assert!(crashed.is_error);
    let message = &crashed.content;
    assert!(
        message.starts_with("MCP server `flaky` stopped while running tool `crash`"),
        "{message}"
    );
    assert!(message.contains("exited with status 3"), "{message}");
    assert!(message.contains("flaky: crashing on purpose"), "{message}");
    assert!(message.contains("restarted on the next request"), "{message}");
    assert!(matches!(manager.status()[0].state, ServerState::Failed(_)), "{:?}", manager.status());

    let again = call(&manager, "mcp__flaky__echo", json!({"text": "two"}), dir.path()).await;
    assert_eq!((again.content.as_str(), again.is_error), ("echo: two", false));
    assert_eq!(manager.status()[0].state, ServerState::Connected);
    let log = std::fs::read_to_string(dir.path().join("logs/mcp-flaky.log")).unwrap();
    assert_eq!(log.matches("flaky: started").count(), 2, "{log}");
}

#[tokio::test]
async fn a_hung_server_times_out_and_is_restarted() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = flaky();
    config.tool_timeout = Duration::from_millis(500);
    let manager = start(vec![config], dir.path()).await;
    let hung = call(&manager, "mcp__flaky__hang", json!({}), dir.path()).await;
    assert!(hung.is_error);
    let message = &hung.content;
    assert!(
        message.starts_with(
            "MCP server `flaky` did not answer within 500 ms while running tool `hang`"
        ),
        "{message}"
    );
    assert!(message.contains("does not answer at all and is restarted"), "{message}");
    let again = call(&manager, "mcp__flaky__echo", json!({"text": "back"}), dir.path()).await;
    assert_eq!(again.content, "echo: back");
}

#[tokio::test]
async fn a_slow_tool_times_out_but_the_server_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = everything();
    config.tool_timeout = Duration::from_millis(300);
    let manager = start(vec![config], dir.path()).await;
    let slow = call(
        &manager,
        "mcp__everything__trigger-long-running-operation",
        json!({"duration": 30, "steps": 2}),
        dir.path(),
    )
    .await;
    assert!(slow.is_error);
    assert!(slow.content.contains("did not answer within 300 ms"), "{}", slow.content);
    assert!(slow.content.contains("still answers"), "{}", slow.content);
    assert_eq!(manager.status()[0].state, ServerState::Connected);
    let echo =
        call(&manager, "mcp__everything__echo", json!({"message": "fast"}), dir.path()).await;
    assert_eq!(echo.content, "Echo: fast");
}

#[tokio::test]
async fn an_interrupted_call_returns_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let manager = start(vec![everything()], dir.path()).await;
    let cancel = CancellationToken::new();
    let ctx = ToolContext::new(dir.path().to_path_buf()).with_cancel(cancel.clone());
    let long = tool(&manager, "mcp__everything__trigger-long-running-operation");
    let run = long.run(json!({"duration": 60, "steps": 2}), &ctx);
    let interrupt = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        cancel.cancel();
    };
    let (output, ()) = tokio::join!(run, interrupt);
    assert_eq!(output.content, "interrupted before the MCP server answered");
    let echo =
        call(&manager, "mcp__everything__echo", json!({"message": "after"}), dir.path()).await;
    assert_eq!(echo.content, "Echo: after");
}

#[tokio::test]
async fn a_malformed_mcp_json_is_a_warning_and_the_toml_servers_still_start() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(project.path().join(".mcp.json"), "{\"mcpServers\": [oops]}").unwrap();
    std::fs::create_dir_all(project.path().join(".rein")).unwrap();
    let script = support::servers_dir().join("flaky-server.js");
    std::fs::write(
        project.path().join(".rein/config.toml"),
        format!(
            "[mcp_servers.flaky]\ncommand = \"node\"\nargs = [\"{}\"]\nstartup_timeout_ms = 60000\n\
             [mcp_servers.off]\ncommand = \"node\"\nenabled = false\n",
            script.display()
        ),
    )
    .unwrap();
    let sources = McpSources { config_dir: None, project_root: project.path().to_path_buf() };
    let loaded = sources.load(&|_| None);
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].contains(".mcp.json is not valid JSON"), "{:?}", loaded.warnings);
    let manager = start(loaded.servers, project.path()).await;
    let states: Vec<(String, ServerState)> =
        manager.status().into_iter().map(|s| (s.name, s.state)).collect();
    assert_eq!(
        states,
        [("flaky".into(), ServerState::Connected), ("off".into(), ServerState::Disabled)]
    );
    let echo = call(&manager, "mcp__flaky__echo", json!({"text": "toml"}), project.path()).await;
    assert_eq!(echo.content, "echo: toml");
}
