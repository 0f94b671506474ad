//! Permission modes and rules decide each tool call before it runs: plan mode is read-only,
//! deny rules hold in every mode, and without anyone to ask a call that needs approval is
//! refused with the rule that would allow it.

use crate::harness::{env, result_text};
use rein_testkit::{Reply, ToolCall};
use serde_json::json;

#[tokio::test]
async fn plan_mode_refuses_writes_and_commands_that_change_things() {
    let env = env(vec![
        Reply::tool_calls(vec![
            ToolCall::new("read", json!({"path": "src/lib.rs"})),
            ToolCall::new("write", json!({"path": "new.txt", "content": "x\n"})),
            ToolCall::new("bash", json!({"command": "git status --short"})),
            ToolCall::new("bash", json!({"command": "touch made.txt"})),
        ]),
        Reply::text("Here is the plan."),
    ])
    .await;
    let run = env.run(&["-p", "plan it", "--permission-mode", "plan"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let results: Vec<String> = env.tool_results(1).iter().map(result_text).collect();
    assert!(results[0].contains("hello"), "reads run: {}", results[0]);
    assert!(results[1].starts_with("permission denied: plan mode"), "{}", results[1]);
    assert!(!results[2].contains("permission denied"), "git status runs: {}", results[2]);
    assert!(results[3].starts_with("permission denied: plan mode"), "{}", results[3]);
    assert!(!env.path("new.txt").exists() && !env.path("made.txt").exists());
}

#[tokio::test]
async fn ask_mode_without_a_terminal_runs_only_what_rules_allow() {
    // Outside the sandbox: only rules let commands through.
    let bash = |command: &str| {
        ToolCall::new("bash", json!({ "command": command, "outside_sandbox": true }))
    };
    let env = env(vec![
        Reply::tool_calls(vec![bash("echo allowed > out.txt"), bash("touch other.txt")]),
        Reply::text("done"),
    ])
    .await;
    let run = env
        .run(&[
            "-p",
            "go",
            "--permission-mode",
            "ask",
            "--allowed-tools",
            "bash(echo *), write(out.txt)",
        ])
        .await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let results: Vec<String> = env.tool_results(1).iter().map(result_text).collect();
    assert_eq!(env.read("out.txt"), "allowed\n", "{results:?}");
    assert!(results[1].contains("needs the user's approval"), "{}", results[1]);
    assert!(results[1].contains("--allowed-tools 'bash(touch *)'"), "{}", results[1]);
    assert!(!env.path("other.txt").exists());
}

#[tokio::test]
async fn deny_rules_from_the_settings_hold_in_bypass_mode() {
    let env = env(vec![
        Reply::tool_call("bash", json!({"command": "ls && rm -f src/lib.rs"})),
        Reply::text("done"),
    ])
    .await;
    std::fs::create_dir_all(env.path(".rein")).unwrap();
    std::fs::write(
        env.path(".rein/config.toml"),
        "[permissions]\ndeny = [\"bash(rm *)\", \"bash(nonsense(\"]\n",
    )
    .unwrap();
    let run = env.run(&["-p", "clean up", "--output-format", "stream-json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let result = result_text(&env.tool_results(1)[0]);
    assert!(result.starts_with("permission denied"), "{result}");
    assert!(env.path("src/lib.rs").exists());
    // The rule that does not parse is reported, not silently dropped.
    let warnings: Vec<String> = run
        .events()
        .iter()
        .filter(|e| e["type"] == "warning")
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(warnings.iter().any(|w| w.contains("permission rule skipped")), "{warnings:?}");
}

#[tokio::test]
async fn an_unknown_mode_is_a_usage_error() {
    let env = env(vec![]).await;
    let run = env.run(&["-p", "x", "--permission-mode", "yolo"]).await;
    assert_ne!(run.code(), 0);
    assert!(run.stderr().contains("permission_mode"), "{}", run.stderr());
}

#[tokio::test]
async fn sandboxed_commands_run_in_ask_mode_and_cannot_write_outside() {
    // Not under /tmp, which sandboxed commands may write.
    let outside = tempfile::tempdir_in(crate::harness::outside_base()).unwrap();
    let target = outside.path().join("escaped.txt");
    let bash = |command: String| ToolCall::new("bash", json!({ "command": command }));
    let env = env(vec![
        Reply::tool_calls(vec![
            bash("touch inside.txt".to_owned()),
            bash(format!("echo x > {}", target.display())),
        ]),
        Reply::text("done"),
    ])
    .await;
    let run = env.run(&["-p", "go", "--permission-mode", "ask"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let results: Vec<String> = env.tool_results(1).iter().map(result_text).collect();
    if !rein_sandbox::SandboxSupport::detect().is_complete() {
        // Without a complete sandbox both calls need approval, and nobody is asked.
        assert!(results.iter().all(|r| r.contains("needs the user's approval")), "{results:?}");
        return;
    }
    assert!(env.path("inside.txt").exists(), "{results:?}");
    assert!(!target.exists(), "{results:?}");
    assert!(results[1].contains("outside_sandbox"), "the model hears why: {}", results[1]);
}
