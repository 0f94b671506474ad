//! The `rein-fake-model` binary: URL line, recording, exit when done.

#![allow(clippy::unwrap_used, reason = "test helpers fail loudly by design")]

mod common;

use common::post;
use serde_json::json;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SCRIPT: &str = r#"{"replies": [
    {"kind": "text", "text": "one"},
    {"kind": "tool_calls", "calls": [{"name": "bash", "input": {"command": "ls"}}]}
]}"#;

/// Starts the binary and reads its URL line.
fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rein-fake-model"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    (child, line.trim_end_matches('\n').to_owned())
}

fn wait_for_exit(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[tokio::test]
async fn prints_its_url_records_and_exits_when_done() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script.json");
    let record = dir.path().join("requests.jsonl");
    std::fs::write(&script, SCRIPT).unwrap();
    let (mut child, url) = spawn(&[
        "--script",
        script.to_str().unwrap(),
        "--record",
        record.to_str().unwrap(),
        "--exit-when-done",
    ]);
    let port: u16 = url.strip_prefix("http://127.0.0.1:").unwrap().parse().unwrap();
    assert!(port > 0);

    let body = json!({"model": "m", "max_tokens": 5, "stream": true,
                      "messages": [{"role": "user", "content": "go"}]});
    let first = post(&format!("{url}/v1/messages"), &body).await;
    assert!(first.body.contains("\"text\":\"o") && first.body.contains("message_stop"));
    let second = post(&format!("{url}/v1/chat/completions"), &body).await;
    assert!(second.body.contains("call_fake_1") && second.body.ends_with("data: [DONE]\n\n"));

    let status = wait_for_exit(&mut child, Duration::from_secs(10));
    if status.is_none() {
        child.kill().unwrap();
    }
    assert!(status.unwrap().success());
    let lines = std::fs::read_to_string(&record).unwrap();
    let paths: Vec<String> = lines
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["path"].to_string())
        .collect();
    assert_eq!(paths, ["\"/v1/messages\"", "\"/v1/chat/completions\""]);
}

#[tokio::test]
async fn keeps_serving_until_killed() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script.json");
    std::fs::write(&script, r#"{"replies": []}"#).unwrap();
    let (mut child, url) = spawn(&["--script", script.to_str().unwrap()]);
    let body = json!({"model": "m", "messages": []});
    let received = post(&format!("{url}/v1/messages"), &body).await;
    assert_eq!(received.status, 500);
    assert!(wait_for_exit(&mut child, Duration::from_millis(300)).is_none());
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn takes_cache_settings_from_the_script() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script.json");
    let replies = r#"[{"kind": "text", "text": "a"}, {"kind": "text", "text": "b"}]"#;
    let json = format!(r#"{{"replies": {replies}, "cache": {{"min_cacheable_tokens": 1}}}}"#);
    std::fs::write(&script, json).unwrap();
    let (mut child, url) = spawn(&["--script", script.to_str().unwrap()]);
    let body = json!({"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": [
        {"type": "text", "text": "hello", "cache_control": {"type": "ephemeral"}},
    ]}]});
    let first = post(&format!("{url}/v1/messages"), &body).await.json();
    let second = post(&format!("{url}/v1/messages"), &body).await.json();
    child.kill().unwrap();
    child.wait().unwrap();
    // {"text":"hello","type":"text"} is 30 characters: 8 tokens.
    assert_eq!(first["usage"]["cache_creation_input_tokens"], 8);
    assert_eq!(second["usage"]["cache_read_input_tokens"], 8);
    assert_eq!(second["usage"]["input_tokens"], 0);
}

#[test]
fn a_bad_script_fails_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_rein-fake-model"))
        .args(["--script", "/nonexistent/script.json"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read script"));
}
