//! bash, bash_output and bash_kill with real processes.

mod common;

use common::Ws;
use pretty_assertions::assert_eq;
use serde_json::json;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn runs_commands_and_reports_exit_codes() {
    let ws = Ws::new();
    let out = ws.call("bash", json!({"command": "echo hello; echo oops >&2"})).await;
    assert!(!out.is_error);
    assert!(out.content == "hello\noops" || out.content == "oops\nhello", "{}", out.content);
    let out = ws.call("bash", json!({"command": "echo partial; exit 3"})).await;
    assert_eq!(out.content, "partial\nexit code: 3");
    assert!(!out.is_error, "a non-zero exit is information, not a tool failure");
    let out = ws.call("bash", json!({"command": "true"})).await;
    assert_eq!(out.content, "(no output)");
    let out = ws.call("bash", json!({"command": "  "})).await;
    assert!(out.is_error);
}

#[tokio::test]
async fn working_directory_persists_inside_the_workspace() {
    let ws = Ws::new();
    std::fs::create_dir_all(ws.path("a/b")).unwrap();
    ws.call("bash", json!({"command": "cd a/b"})).await;
    assert_eq!(ws.ctx.cwd(), ws.path("a/b"));
    let out = ws.call("bash", json!({"command": "pwd"})).await;
    assert_eq!(out.content, ws.path("a/b").display().to_string());
    // `exit` inside the command still records the directory and reports the code.
    let out = ws.call("bash", json!({"command": "cd ..; exit 4"})).await;
    assert_eq!(out.content, "exit code: 4");
    assert_eq!(ws.ctx.cwd(), ws.path("a"));
    // Subshells do not change it.
    ws.call("bash", json!({"command": "(cd b)"})).await;
    assert_eq!(ws.ctx.cwd(), ws.path("a"));
}

#[tokio::test]
async fn leaving_the_workspace_resets_to_the_root() {
    let ws = Ws::new();
    std::fs::create_dir(ws.path("sub")).unwrap();
    ws.call("bash", json!({"command": "cd sub"})).await;
    let out = ws.call("bash", json!({"command": "cd / && echo moved"})).await;
    assert!(
        out.content
            .starts_with("moved\n[/ is outside the workspace; the working directory was reset to"),
        "{}",
        out.content
    );
    assert_eq!(ws.ctx.cwd(), ws.root());
}

#[tokio::test]
async fn a_deleted_working_directory_falls_back_to_the_root() {
    let ws = Ws::new();
    std::fs::create_dir(ws.path("gone")).unwrap();
    ws.call("bash", json!({"command": "cd gone"})).await;
    std::fs::remove_dir(ws.path("gone")).unwrap();
    let out = ws.call("bash", json!({"command": "pwd"})).await;
    assert!(out.content.contains("no longer exists"), "{}", out.content);
    assert_eq!(ws.ctx.cwd(), ws.root());
}

#[tokio::test]
async fn timeouts_kill_the_command() {
    let ws = Ws::new();
    let started = Instant::now();
    let out = ws.call("bash", json!({"command": "echo before; sleep 30", "timeout_ms": 300})).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(out.is_error);
    assert_eq!(out.content, "before\n[Command timed out after 0.3s and was killed.]");
}

#[tokio::test]
async fn huge_output_is_capped_with_a_note() {
    let ws = Ws::new();
    let out = ws.call("bash", json!({"command": "head -c 50000000 /dev/zero | tr '\\0' a"})).await;
    assert!(!out.is_error);
    assert!(out.content.len() < 30_200, "{}", out.content.len());
    assert!(
        out.content.contains("[... 49970000 bytes of output omitted ...]"),
        "{}",
        &out.content[14_990..15_060]
    );
}

#[tokio::test]
async fn cancellation_interrupts_the_command() {
    let ws = Ws::new();
    let cancel = CancellationToken::new();
    let ctx = ws.ctx.clone().with_cancel(cancel.clone());
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let out = common::call(&ctx, "bash", json!({"command": "sleep 30"})).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(out.is_error && out.content.contains("interrupted"), "{}", out.content);
}

#[tokio::test]
async fn background_jobs_can_be_polled_and_killed() {
    let ws = Ws::new();
    let out = ws
        .call("bash", json!({"command": "echo ready; while true; do sleep 0.05; done", "run_in_background": true}))
        .await;
    assert!(!out.is_error, "{}", out.content);
    assert!(out.content.starts_with("Started background job 1."), "{}", out.content);

    let mut seen = String::new();
    for _ in 0..100 {
        let out = ws.call("bash_output", json!({"job_id": "1"})).await;
        assert!(!out.is_error, "{}", out.content);
        seen.push_str(&out.content);
        if seen.contains("ready") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(seen.contains("Job 1: running. Output:\nready"), "{seen}");
    let out = ws.call("bash_output", json!({"job_id": 1})).await;
    assert_eq!(out.content, "Job 1: running. (no new output)");

    let out = ws.call("bash_kill", json!({"job_id": "1"})).await;
    assert!(!out.is_error, "{}", out.content);
    assert!(out.content.starts_with("Job 1: killed."), "{}", out.content);
    let out = ws.call("bash_output", json!({"job_id": "1"})).await;
    assert!(out.content.starts_with("Job 1: killed."), "{}", out.content);

    let out = ws.call("bash_output", json!({"job_id": "99"})).await;
    assert!(out.is_error && out.content.contains("no background job"), "{}", out.content);
    let out = ws.call("bash_kill", json!({"job_id": "abc"})).await;
    assert!(out.is_error && out.content.contains("invalid job id"), "{}", out.content);
}

#[tokio::test]
async fn finished_background_jobs_report_their_exit_code() {
    let ws = Ws::new();
    ws.call("bash", json!({"command": "echo done; exit 2", "run_in_background": true})).await;
    let mut last = String::new();
    for _ in 0..100 {
        last = ws.call("bash_output", json!({"job_id": "1"})).await.content;
        if !last.contains("running") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(last.starts_with("Job 1: exited with code 2."), "{last}");
}
