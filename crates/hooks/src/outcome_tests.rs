use super::*;
use crate::runner::{Exit, Finished};
use pretty_assertions::assert_eq;
use serde_json::json;
use std::time::Duration;

fn reply(event: HookEvent, command: &str, code: i32, stdout: &str, stderr: &str) -> Reply {
    let finished =
        Finished { exit: Exit::Code(code), stdout: stdout.into(), stderr: stderr.into() };
    Reply::new(event, command, Duration::from_secs(60), Ok(finished))
}

fn pre(command: &str, code: i32, stdout: &str, stderr: &str) -> Reply {
    reply(HookEvent::PreToolUse, command, code, stdout, stderr)
}

fn decision(d: &str, reason: &str) -> String {
    json!({"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": d,
        "permissionDecisionReason": reason}})
    .to_string()
}

fn keep(_: &Value, updated: Value) -> Value {
    updated
}

#[test]
fn exit_two_denies_a_tool_call_with_stderr_as_the_reason() {
    let outcome = pre_tool(&[pre("./check.sh", 2, "", "no rm -rf here\n")], &json!({}), keep);
    assert_eq!(outcome.decision, Some(PermissionDecision::Deny));
    assert_eq!(outcome.reason.as_deref(), Some("no rm -rf here"));
    assert_eq!(outcome.notes.reports[0].status, HookStatus::Blocked);
    assert!(outcome.notes.warnings.is_empty());
}

#[test]
fn other_exit_codes_are_warnings_and_change_nothing() {
    let outcome = pre_tool(&[pre("./check.sh", 1, "", "oops")], &json!({}), keep);
    assert_eq!(outcome.decision, None);
    assert_eq!(outcome.notes.warnings, ["PreToolUse hook `./check.sh` failed (exit code 1): oops"]);
    assert_eq!(outcome.notes.reports[0].status, HookStatus::Error);
}

#[test]
fn decisions_combine_deny_over_ask_over_allow() {
    let replies = [
        pre("a", 0, &decision("allow", "fine"), ""),
        pre("b", 0, &decision("ask", "are you sure?"), ""),
        pre("c", 0, &decision("ask", "really?"), ""),
    ];
    let outcome = pre_tool(&replies, &json!({}), keep);
    assert_eq!(outcome.decision, Some(PermissionDecision::Ask));
    assert_eq!(outcome.reason.as_deref(), Some("are you sure?\nreally?"));

    let replies =
        [pre("a", 0, &decision("deny", ""), ""), pre("b", 0, &decision("allow", "ok"), "")];
    let outcome = pre_tool(&replies, &json!({}), keep);
    assert_eq!(outcome.decision, Some(PermissionDecision::Deny));
    assert_eq!(outcome.reason.as_deref(), Some("blocked by the PreToolUse hook `a`"));
    assert_eq!(outcome.notes.reports[1].message.as_deref(), Some("allow: ok"));
}

#[test]
fn the_older_top_level_decision_still_works_for_pre_tool_use() {
    let block = json!({"decision": "block", "reason": "not today"}).to_string();
    let outcome = pre_tool(&[pre("a", 0, &block, "")], &json!({}), keep);
    assert_eq!(outcome.decision, Some(PermissionDecision::Deny));
    assert_eq!(outcome.reason.as_deref(), Some("not today"));
    let approve = json!({"decision": "approve"}).to_string();
    let outcome = pre_tool(&[pre("a", 0, &approve, "")], &json!({}), keep);
    assert_eq!(outcome.decision, Some(PermissionDecision::Allow));
}

#[test]
fn updated_input_is_mapped_back_and_the_last_one_wins() {
    let rewrite = |cmd: &str| {
        json!({"hookSpecificOutput": {"hookEventName": "PreToolUse",
            "updatedInput": {"command": cmd}}})
        .to_string()
    };
    let replies = [pre("a", 0, &rewrite("ls -a"), ""), pre("b", 0, &rewrite("ls -la"), "")];
    let outcome = pre_tool(&replies, &json!({"command": "ls"}), crate::names::rein_tool_input);
    assert_eq!(outcome.updated_input, Some(json!({"command": "ls -la"})));
    assert_eq!(outcome.decision, None);
}

#[test]
fn continue_false_asks_to_stop_the_run() {
    let stop = json!({"continue": false, "stopReason": "build is broken"}).to_string();
    let outcome = pre_tool(
        &[pre("a", 0, &stop, ""), pre("b", 0, r#"{"continue": false}"#, "")],
        &json!({}),
        keep,
    );
    assert_eq!(outcome.notes.stop.as_deref(), Some("build is broken"));
    let outcome = pre_tool(&[pre("b", 0, r#"{"continue": false}"#, "")], &json!({}), keep);
    assert_eq!(outcome.notes.stop.as_deref(), Some("a PreToolUse hook stopped the run"));
}

#[test]
fn bad_json_is_reported_and_treated_as_plain_output() {
    let event = HookEvent::UserPromptSubmit;
    let outcome = prompt(&[reply(event, "ctx", 0, "{ not json", "")]);
    assert_eq!(outcome.additional_context.as_deref(), Some("{ not json"));
    assert!(outcome.notes.warnings[0].contains("printed invalid JSON"), "{:?}", outcome.notes);
    // A decision this event does not know is invalid too, not silently ignored.
    let outcome = pre_tool(&[pre("a", 0, &decision("maybe", ""), "")], &json!({}), keep);
    assert_eq!(outcome.decision, None);
    assert!(outcome.notes.warnings[0].contains("invalid JSON"));
}

#[test]
fn output_for_another_event_is_ignored_with_a_warning() {
    let other = json!({"hookSpecificOutput": {"hookEventName": "PostToolUse",
        "permissionDecision": "deny"}})
    .to_string();
    let outcome = pre_tool(&[pre("a", 0, &other, "")], &json!({}), keep);
    assert_eq!(outcome.decision, None);
    assert!(outcome.notes.warnings[0].contains("for PostToolUse; ignored"));
}

#[test]
fn system_messages_are_warnings_and_suppress_output_hides_the_message() {
    let said = json!({"systemMessage": "formatting took 3s", "suppressOutput": true,
        "hookSpecificOutput": {"permissionDecision": "allow", "permissionDecisionReason": "x"}})
    .to_string();
    let outcome = pre_tool(&[pre("a", 0, &said, "")], &json!({}), keep);
    assert_eq!(outcome.notes.warnings, ["PreToolUse hook: formatting took 3s"]);
    assert_eq!(outcome.notes.reports[0].message, None);
}

#[test]
fn prompts_block_on_exit_two_or_decision_and_collect_context() {
    let event = HookEvent::UserPromptSubmit;
    let context = json!({"hookSpecificOutput": {"hookEventName": "UserPromptSubmit",
        "additionalContext": "ticket ABC-1 is open"}})
    .to_string();
    let outcome = prompt(&[
        reply(event, "a", 0, "the date is 2025-01-01\n", ""),
        reply(event, "b", 0, &context, ""),
    ]);
    assert_eq!(outcome.block_reason, None);
    assert_eq!(
        outcome.additional_context.as_deref(),
        Some("the date is 2025-01-01\n\nticket ABC-1 is open")
    );
    let outcome = prompt(&[
        reply(event, "a", 2, "", "no secrets in prompts"),
        reply(event, "b", 0, r#"{"decision": "block", "reason": "and no swearing"}"#, ""),
    ]);
    assert_eq!(outcome.block_reason.as_deref(), Some("no secrets in prompts\nand no swearing"));
    assert_eq!(outcome.notes.reports[1].status, HookStatus::Blocked);
}

#[test]
fn post_tool_feedback_and_context() {
    let event = HookEvent::PostToolUse;
    let said = json!({"decision": "block", "reason": "lint failed: unused import",
        "hookSpecificOutput": {"hookEventName": "PostToolUse", "additionalContext": "ran eslint"}})
    .to_string();
    let outcome =
        post_tool(event, &[reply(event, "lint", 0, &said, ""), reply(event, "x", 0, "plain", "")]);
    assert_eq!(outcome.block_reason.as_deref(), Some("lint failed: unused import"));
    // Plain stdout is not context for tool events.
    assert_eq!(outcome.additional_context.as_deref(), Some("ran eslint"));
    let outcome = post_tool(event, &[reply(event, "fmt", 2, "", "rustfmt failed")]);
    assert_eq!(outcome.block_reason.as_deref(), Some("rustfmt failed"));
}

#[test]
fn stop_hooks_block_to_continue() {
    let event = HookEvent::Stop;
    let outcome = stop(event, &[reply(event, "s", 0, r#"{"decision": "block"}"#, "")]);
    assert_eq!(outcome.block_reason.as_deref(), Some("blocked by the Stop hook `s`"));
    let outcome = stop(event, &[reply(event, "s", 0, "", "")]);
    assert_eq!(outcome.block_reason, None);
}

#[test]
fn permission_requests_combine_deny_over_allow() {
    let event = HookEvent::PermissionRequest;
    let answer = |behavior: &str, message: &str| {
        json!({"hookSpecificOutput": {"hookEventName": "PermissionRequest",
            "decision": {"behavior": behavior, "message": message,
                "updatedInput": {"command": "ls"}}}})
        .to_string()
    };
    let allow = permission(&[reply(event, "a", 0, &answer("allow", ""), "")], &json!({}), keep);
    assert_eq!(allow.decision, Some(PermissionBehavior::Allow));
    assert_eq!(allow.updated_input, Some(json!({"command": "ls"})));
    let replies = [
        reply(event, "a", 0, &answer("allow", ""), ""),
        reply(event, "b", 0, &answer("deny", "not on fridays"), ""),
    ];
    let deny = permission(&replies, &json!({}), keep);
    assert_eq!(deny.decision, Some(PermissionBehavior::Deny));
    assert_eq!(deny.message.as_deref(), Some("not on fridays"));
    assert_eq!(deny.updated_input, None);
    let exit2 = permission(&[reply(event, "c", 2, "", "nope")], &json!({}), keep);
    assert_eq!(exit2.decision, Some(PermissionBehavior::Deny));
    let silent = permission(&[reply(event, "c", 0, "", "")], &json!({}), keep);
    assert_eq!(silent.decision, None);
}

#[test]
fn session_start_context_and_events_that_cannot_block() {
    let event = HookEvent::SessionStart;
    let outcome = session_start(&[
        reply(event, "a", 0, "branch: main\n", ""),
        reply(event, "b", 2, "", "cannot block a start"),
    ]);
    assert_eq!(outcome.additional_context.as_deref(), Some("branch: main"));
    assert_eq!(outcome.notes.warnings, ["SessionStart hook: cannot block a start"]);
    assert_eq!(outcome.notes.reports[1].status, HookStatus::Error);
    let notes = notice(HookEvent::PreCompact, &[reply(HookEvent::PreCompact, "a", 0, "ok", "")]);
    assert!(notes.warnings.is_empty());
    assert_eq!(notes.reports[0].status, HookStatus::Success);
}

#[test]
fn timeouts_and_start_failures_are_reported() {
    let timed_out = Finished { exit: Exit::TimedOut, stdout: String::new(), stderr: String::new() };
    let reply = Reply::new(HookEvent::Stop, "sleep 5", Duration::from_secs(1), Ok(timed_out));
    let outcome = stop(HookEvent::Stop, &[reply]);
    assert_eq!(outcome.notes.warnings, ["Stop hook `sleep 5` timed out after 1s and was killed"]);
    assert_eq!(outcome.notes.reports[0].status, HookStatus::TimedOut);
    assert_eq!(outcome.block_reason, None);
}
