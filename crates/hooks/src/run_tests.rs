//! Real `sh` processes: the exit-code contract, stdin and environment, timeouts, caps.

use super::*;
use crate::{HookStatus, PermissionDecision};
use pretty_assertions::assert_eq;
use serde_json::json;
use std::time::Instant;

fn context() -> HookContext {
    HookContext {
        session_id: "s1".into(),
        transcript_path: String::new(),
        cwd: "/somewhere".into(),
        permission_mode: "default".into(),
    }
}

/// A set in `root` whose `event` runs each command (matcher `*`), with `timeout` seconds.
fn set_with(root: &Path, event: &str, commands: &[&str], timeout: f64) -> HookSet {
    let hooks: Vec<_> = commands
        .iter()
        .map(|c| json!({"type": "command", "command": c, "timeout": timeout}))
        .collect();
    let text = json!({"hooks": {event: [{"matcher": "*", "hooks": hooks}]}}).to_string();
    let mut set = HookSet { hooks: Vec::new(), project_root: root.to_path_buf() };
    assert!(set.add_file(Path::new("settings.json"), &text).is_empty());
    set
}

fn bash(command: &str) -> ToolUse {
    ToolUse { name: "bash".into(), input: json!({"command": command}), id: "toolu_1".into() }
}

#[tokio::test]
async fn hooks_read_the_event_on_stdin_in_the_project_root() {
    let root = tempfile::tempdir().unwrap();
    // Echo back what the hook saw, as a reason, through exit 2.
    let script = r#"input=$(cat); printf '%s|%s|%s|%s' "$PWD" "$CLAUDE_PROJECT_DIR" "$REIN_PROJECT_DIR" "$input" >&2; exit 2"#;
    let set = set_with(root.path(), "PreToolUse", &[script], 10.0);
    let outcome = set.pre_tool_use(&context(), bash("rm -rf /")).await;
    let reason = outcome.reason.unwrap();
    let parts: Vec<&str> = reason.splitn(4, '|').collect();
    let root_text = root.path().canonicalize().unwrap().to_string_lossy().into_owned();
    assert_eq!(parts[0], root_text);
    assert_eq!(&parts[1..3], [root.path().to_string_lossy(), root.path().to_string_lossy()]);
    let input: serde_json::Value = serde_json::from_str(parts[3]).unwrap();
    assert_eq!(input["hook_event_name"], "PreToolUse");
    assert_eq!(input["tool_name"], "Bash");
    assert_eq!(input["tool_input"]["command"], "rm -rf /");
    assert_eq!(input["tool_use_id"], "toolu_1");
    assert_eq!(outcome.decision, Some(PermissionDecision::Deny));
}

#[tokio::test]
async fn json_on_stdout_decides_and_rewrites() {
    let root = tempfile::tempdir().unwrap();
    let answer = r#"echo '{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow", "updatedInput": {"command": "ls -la"}}}'"#;
    let set = set_with(root.path(), "PreToolUse", &[answer], 10.0);
    let outcome = set.pre_tool_use(&context(), bash("ls")).await;
    assert_eq!(outcome.decision, Some(PermissionDecision::Allow));
    assert_eq!(outcome.updated_input, Some(json!({"command": "ls -la"})));
    assert_eq!(outcome.notes.reports[0].status, HookStatus::Success);
}

#[tokio::test]
async fn a_hook_past_its_timeout_is_killed_and_reported() {
    let root = tempfile::tempdir().unwrap();
    // The background sleep holds the pipes open: only killing the whole group ends it.
    let set = set_with(root.path(), "Stop", &["sleep 30 & sleep 30; echo late"], 1.0);
    let started = Instant::now();
    let outcome = set.stop(&context(), false).await;
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    assert_eq!(outcome.block_reason, None);
    assert_eq!(outcome.notes.reports[0].status, HookStatus::TimedOut);
    assert!(outcome.notes.warnings[0].contains("timed out after 1s"), "{:?}", outcome.notes);
}

#[tokio::test]
async fn hooks_of_one_event_run_concurrently_and_in_source_order() {
    let root = tempfile::tempdir().unwrap();
    let set = set_with(
        root.path(),
        "UserPromptSubmit",
        &["sleep 1; echo first", "sleep 1; echo second", "sleep 1; echo first"],
        10.0,
    );
    let started = Instant::now();
    let outcome = set.user_prompt_submit(&context(), "hi".into()).await;
    assert!(started.elapsed() < Duration::from_millis(1900), "took {:?}", started.elapsed());
    // The repeated command ran once.
    assert_eq!(outcome.notes.reports.len(), 2);
    assert_eq!(outcome.additional_context.as_deref(), Some("first\n\nsecond"));
}

#[tokio::test]
async fn output_is_capped_and_stdin_need_not_be_read() {
    let root = tempfile::tempdir().unwrap();
    let set =
        set_with(root.path(), "SessionStart", &["head -c 200000 /dev/zero | tr '\\0' x"], 10.0);
    let outcome = set.session_start(&context(), SessionStartSource::Startup).await;
    assert_eq!(outcome.additional_context.map(|c| c.len()), Some(runner::OUTPUT_CAP));
}

#[tokio::test]
async fn no_matching_hook_spawns_nothing() {
    let root = tempfile::tempdir().unwrap();
    let text = r#"{"hooks": {"PreToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "exit 2"}]}]}}"#;
    let mut set = HookSet { hooks: Vec::new(), project_root: root.path().to_path_buf() };
    assert!(set.add_file(Path::new("s.json"), text).is_empty());
    let outcome = set.pre_tool_use(&context(), bash("ls")).await;
    assert_eq!(outcome, PreToolOutcome::default());
}

#[tokio::test]
async fn a_missing_project_root_is_a_warning() {
    let set = set_with(Path::new("/nonexistent/rein-hooks-test"), "SessionEnd", &["true"], 5.0);
    let notes = set.session_end(&context(), SessionEndReason::Other).await;
    assert_eq!(notes.reports[0].status, HookStatus::Error);
    assert!(notes.warnings[0].contains("could not be started"), "{notes:?}");
}

#[tokio::test]
async fn giving_up_on_a_hook_kills_its_process_group() {
    let root = tempfile::tempdir().unwrap();
    let set = set_with(root.path(), "Stop", &["sleep 30 & echo $! > child.pid; wait"], 60.0);
    let pid_file = root.path().join("child.pid");
    // The caller gives up (as an interrupted run does) once the hook's child exists.
    let give_up = async {
        while std::fs::read_to_string(&pid_file).map_or(true, |p| p.trim().is_empty()) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let context = context();
    tokio::select! {
        _ = set.stop(&context, false) => panic!("the hook should still be running"),
        () = give_up => {}
    }
    let pid = std::fs::read_to_string(&pid_file).unwrap().trim().to_string();
    let alive =
        || std::process::Command::new("kill").args(["-0", &pid]).status().unwrap().success();
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!alive(), "the hook's background child {pid} survived");
}
