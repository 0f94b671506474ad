#![allow(
    clippy::unwrap_used,
    reason = "test support: a failed setup step should fail the test loudly"
)]

//! Hooks written for Claude Code, in its settings files and with its JSON contract, run
//! unchanged: they refuse, rewrite and annotate tool calls, refuse prompts, and keep the agent
//! going when it would stop.

use crate::harness::{TestEnv, env, result_text};
use pretty_assertions::assert_eq;
use rein_testkit::{Reply, ToolCall};
use serde_json::{Value, json};
use std::path::Path;

/// Writes `text` at `relative` in the repository, creating folders.
/// An executable script in the repository.
fn script(env: &TestEnv, relative: &str, body: &str) {
    env.put(relative, &format!("#!/bin/sh\n{body}"));
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(env.path(relative), std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `.claude/settings.json` with one matcher group for `event`.
fn claude_settings(env: &TestEnv, event: &str, matcher: &str, command: &str) {
    let settings = json!({"hooks": {event: [
        {"matcher": matcher, "hooks": [{"type": "command", "command": command, "timeout": 30}]}
    ]}});
    env.put(".claude/settings.json", &settings.to_string());
}

fn bash(command: &str) -> ToolCall {
    ToolCall::new("bash", json!({ "command": command }))
}

fn of_type<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == kind).collect()
}

/// Every text block of request `index`'s last message.
fn last_message_texts(env: &TestEnv, index: usize) -> Vec<String> {
    let request = &env.requests()[index];
    let last = request.body["messages"].as_array().unwrap().last().unwrap().clone();
    last["content"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|block| block["text"].as_str().map(str::to_string))
        .collect()
}

/// Every file's text under `dir`, for checking what was recorded.
fn all_text(dir: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            text.push_str(&all_text(&path));
        } else if let Ok(content) = std::fs::read_to_string(&path) {
            text.push_str(&content);
        }
    }
    text
}

#[tokio::test]
async fn a_pre_tool_use_hook_exiting_2_blocks_a_bash_call_and_the_model_sees_why() {
    let env = env(vec![
        Reply::tool_calls(vec![bash("echo ok > ran.txt"), bash("rm -f src/lib.rs")]),
        Reply::text("done"),
    ])
    .await;
    // Reads .tool_input.command with sed, as a Claude Code hook without jq would.
    script(
        &env,
        ".claude/hooks/no-rm.sh",
        r#"command=$(sed -n 's/.*"command":"\([^"]*\)".*/\1/p')
case "$command" in
  rm\ *) echo "rm is not allowed here; move files to trash/ instead" >&2; exit 2 ;;
esac
exit 0
"#,
    );
    claude_settings(&env, "PreToolUse", "Bash", "\"$CLAUDE_PROJECT_DIR\"/.claude/hooks/no-rm.sh");
    let run = env
        .run(&["-p", "clean up", "--output-format", "stream-json", "--permission-mode", "bypass"])
        .await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let results: Vec<String> = env.tool_results(1).iter().map(result_text).collect();
    assert_eq!(env.read("ran.txt"), "ok\n", "{results:?}");
    assert!(env.path("src/lib.rs").exists());
    assert!(
        results[1].starts_with(
            "refused by a PreToolUse hook: rm is not allowed here; move files to trash/ instead"
        ),
        "{}",
        results[1]
    );
    assert_eq!(env.tool_results(1)[1]["is_error"], true);
    let events = run.events();
    let hooks = of_type(&events, "hook");
    assert_eq!(hooks.len(), 2, "{hooks:?}");
    assert_eq!(hooks[0]["outcome"], "success");
    assert_eq!(hooks[1]["event"], "PreToolUse");
    assert_eq!(hooks[1]["outcome"], "blocked");
}

#[tokio::test]
async fn a_claude_code_hook_reads_claude_names_and_fields_unchanged() {
    let env = env(vec![
        Reply::tool_calls(vec![
            bash("echo one"),
            ToolCall::new("write", json!({"path": "notes.txt", "content": "hi\n"})),
            ToolCall::new("read", json!({"path": "src/lib.rs"})),
        ]),
        Reply::text("done"),
    ])
    .await;
    // A python3 one-liner logging what Claude Code hooks commonly read.
    let log = r#"python3 -c 'import json, sys; e = json.load(sys.stdin); i = e["tool_input"]; print(e["hook_event_name"], e["tool_name"], i.get("command") or i.get("file_path"))' >> "$CLAUDE_PROJECT_DIR/seen.txt""#;
    claude_settings(&env, "PostToolUse", "Bash|Write", log);
    let run = env.run(&["-p", "go", "--permission-mode", "bypass"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert_eq!(env.read("seen.txt"), "PostToolUse Bash echo one\nPostToolUse Write notes.txt\n");
}

#[tokio::test]
async fn a_json_deny_from_the_rein_config_refuses_the_call() {
    let env =
        env(vec![Reply::tool_call("bash", json!({"command": "git push"})), Reply::text("ok")])
            .await;
    env.put(".rein/config.toml",
        r#"[[hooks.PreToolUse]]
matcher = "bash"
hooks = [{ type = "command", command = "printf '%s' '{\"hookSpecificOutput\": {\"hookEventName\": \"PreToolUse\", \"permissionDecision\": \"deny\", \"permissionDecisionReason\": \"pushing is for humans\"}}'" }]
"#,
    );
    let run = env.run(&["-p", "ship it", "--permission-mode", "bypass"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let result = result_text(&env.tool_results(1)[0]);
    assert!(result.starts_with("refused by a PreToolUse hook: pushing is for humans"), "{result}");
}

#[tokio::test]
async fn updated_input_rewrites_a_command_before_it_runs() {
    let env = env(vec![bash_reply("echo original > out.txt"), Reply::text("ok")]).await;
    let rewrite = r#"printf '%s' '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "updatedInput": {"command": "echo rewritten > out.txt"}}}'"#;
    claude_settings(&env, "PreToolUse", "Bash", rewrite);
    let run = env.run(&["-p", "go", "--permission-mode", "bypass"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert_eq!(env.read("out.txt"), "rewritten\n");
}

fn bash_reply(command: &str) -> Reply {
    Reply::tool_call("bash", json!({ "command": command }))
}

#[tokio::test]
async fn post_tool_use_context_follows_the_result() {
    let env = env(vec![bash_reply("echo built"), Reply::text("ok")]).await;
    let context = r#"printf '%s' '{"hookSpecificOutput": {"hookEventName": "PostToolUse", "additionalContext": "lint: 0 problems"}}'"#;
    claude_settings(&env, "PostToolUse", "", context);
    let run = env.run(&["-p", "build", "--permission-mode", "bypass"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let result = result_text(&env.tool_results(1)[0]);
    assert!(result.starts_with("built"), "{result}");
    assert!(
        result.ends_with("<hook-context event=\"PostToolUse\">\nlint: 0 problems\n</hook-context>"),
        "{result}"
    );
}

#[tokio::test]
async fn a_user_prompt_submit_hook_refuses_a_prompt_before_any_model_call() {
    let env = env(vec![Reply::text("should not be asked")]).await;
    let refuse = r#"if grep -q 'API_KEY' ; then echo "the prompt seems to contain a secret" >&2; exit 2; fi"#;
    claude_settings(&env, "UserPromptSubmit", "", refuse);
    let run =
        env.run(&["-p", "deploy with API_KEY=sk-123456", "--output-format", "stream-json"]).await;
    assert_eq!(run.code(), 1, "stderr: {}", run.stderr());
    assert!(env.requests().is_empty());
    let events = run.events();
    let warnings = of_type(&events, "warning");
    assert!(
        warnings.iter().any(|w| w["message"].as_str().unwrap().contains("contain a secret")),
        "{warnings:?}"
    );
    let finished = events.last().unwrap();
    assert_eq!(finished["stop_reason"], "refused");
    assert_eq!(finished["result"], "the prompt seems to contain a secret");
    // The refused prompt is erased: no transcript holds it.
    assert!(!all_text(env.home.path()).contains("sk-123456"));
}

#[tokio::test]
async fn session_start_and_prompt_hooks_add_context_and_session_end_runs() {
    let env = env(vec![Reply::text("ok")]).await;
    let settings = json!({"hooks": {
        "SessionStart": [{"matcher": "startup", "hooks": [{"type": "command", "command": "echo branch is main"}]}],
        "UserPromptSubmit": [{"hooks": [{"type": "command", "command": "echo ticket ABC-1"}]}],
        "SessionEnd": [{"hooks": [{"type": "command", "command": "sed -n 's/.*\"reason\":\"\\([a-z_]*\\)\".*/\\1/p' > ended.txt"}]}]
    }});
    env.put(".claude/settings.json", &settings.to_string());
    let run = env.run(&["-p", "hello"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let texts = last_message_texts(&env, 0);
    let n = texts.len();
    assert_eq!(texts[n - 3], "hello");
    assert_eq!(
        texts[n - 2],
        "<hook-context event=\"SessionStart\">\nbranch is main\n</hook-context>"
    );
    assert_eq!(
        texts[n - 1],
        "<hook-context event=\"UserPromptSubmit\">\nticket ABC-1\n</hook-context>"
    );
    assert_eq!(env.read("ended.txt").trim(), "other");
}

#[tokio::test]
async fn a_stop_hook_keeps_the_agent_going_once() {
    let env = env(vec![Reply::text("done"), Reply::text("done, and the tests pass")]).await;
    // Blocks only the first stop; with stop_hook_active it lets the run end.
    let stop = r#"if grep -q '"stop_hook_active":false'; then printf '%s' '{"decision": "block", "reason": "run the tests before finishing"}'; fi"#;
    claude_settings(&env, "Stop", "", stop);
    let run = env.run(&["-p", "fix it", "--output-format", "stream-json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert_eq!(env.requests().len(), 2);
    let texts = last_message_texts(&env, 1);
    assert!(texts[0].contains("run the tests before finishing"), "{texts:?}");
    assert!(texts[0].starts_with("<hook-feedback event=\"Stop\">"), "{texts:?}");
    let events = run.events();
    assert!(of_type(&events, "continuing").iter().any(|e| e["reason"] == "stop_hook"));
    assert_eq!(events.last().unwrap()["result"], "done, and the tests pass");
}

#[tokio::test]
async fn hooks_answer_permission_questions_when_no_one_can_be_asked() {
    let write = |path: &str| ToolCall::new("write", json!({"path": path, "content": "x\n"}));
    let env = env(vec![
        Reply::tool_calls(vec![write("a.txt"), write("b.txt"), write("c.txt")]),
        Reply::text("ok"),
    ])
    .await;
    let allow_a = r#"if grep -q '"file_path":"a.txt"'; then printf '%s' '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow"}}'; fi"#;
    let allow_b = r#"if grep -q '"file_path":"b.txt"'; then printf '%s' '{"hookSpecificOutput": {"hookEventName": "PermissionRequest", "decision": {"behavior": "allow"}}}'; fi"#;
    let settings = json!({"hooks": {
        "PreToolUse": [{"matcher": "Write", "hooks": [{"type": "command", "command": allow_a}]}],
        "PermissionRequest": [{"matcher": "write", "hooks": [{"type": "command", "command": allow_b}]}]
    }});
    env.put(".claude/settings.json", &settings.to_string());
    let run = env.run(&["-p", "write", "--permission-mode", "ask"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let results: Vec<String> = env.tool_results(1).iter().map(result_text).collect();
    assert!(env.path("a.txt").exists(), "{results:?}");
    assert!(env.path("b.txt").exists(), "{results:?}");
    assert!(!env.path("c.txt").exists(), "{results:?}");
    assert!(results[2].contains("needs the user's approval"), "{}", results[2]);
}

#[tokio::test]
async fn a_broken_hooks_file_is_a_warning_not_a_failure() {
    let env = env(vec![Reply::text("ok")]).await;
    env.put(".claude/settings.local.json", r#"{"hooks": {"Stop": "not a list"}}"#);
    let run = env.run(&["-p", "hi", "--output-format", "stream-json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let events = run.events();
    let warnings = of_type(&events, "warning");
    assert!(
        warnings.iter().any(|w| w["message"].as_str().unwrap().contains("settings.local.json")),
        "{warnings:?}"
    );
}
