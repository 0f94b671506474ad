//! Compaction near the context window: the summary request, the conversation that continues
//! from it with the user's words verbatim, the record in the transcript, and resume after it.

use crate::harness::{env, env_with_script, find_files, session_id};
use rein_testkit::{Reply, SUMMARY_MARKER, SUMMARY_UPDATE_MARKER, Script};
use serde_json::{Value, json};

fn texts(message: &Value) -> Vec<String> {
    message["content"]
        .as_array()
        .map(|blocks| {
            blocks.iter().filter_map(|b| b["text"].as_str().map(str::to_string)).collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_full_window_is_compacted_and_the_session_goes_on() {
    let env = env(vec![
        Reply::tool_call("read", json!({"path": "big.txt"})),
        Reply::text("SUMMARY: big.txt was read; it lists numbers. Nothing changed."),
        Reply::text("It lists the numbers 1 to 1500."),
        Reply::text("Still here after the resume."),
    ])
    .await;
    let big: String = (1..=1500).map(|i| format!("{i}\n")).collect();
    std::fs::write(env.path("big.txt"), &big).unwrap();
    let prompt = "Read big.txt and tell me what it lists. Never edit it.";
    let window = ["-C", "context_window=6000"];
    let run = env
        .run(&[&["-p", prompt, "--output-format", "stream-json"][..], &window[..]].concat())
        .await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let events = run.events();
    let compacting = events.iter().find(|e| e["type"] == "compacting").expect("a notice first");
    assert_eq!(compacting["reason"], "auto");
    assert!(compacting["tokens"].as_u64().unwrap() >= compacting["threshold"].as_u64().unwrap());
    let compacted = events.iter().find(|e| e["type"] == "compacted").unwrap();
    assert_eq!(compacted["messages_dropped"], 3);
    assert_eq!(events.last().unwrap()["result"], "It lists the numbers 1 to 1500.");

    let requests = env.requests();
    assert_eq!(requests.len(), 3);
    // The summary request: the whole conversation plus the instruction, no new tools.
    let ask = requests[1].body["messages"].as_array().unwrap().last().unwrap().clone();
    assert!(texts(&ask).iter().any(|t| t.contains("shortened to fit the context window")));
    // The next request starts from the summary, with the user's words verbatim. The latest
    // tool round is too big to keep beside it (over a quarter of the window): the summary
    // covers it.
    let messages = requests[2].body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let head = texts(&messages[0]).join("\n");
    assert!(head.starts_with("<environment>"), "{head}");
    assert!(head.contains("SUMMARY: big.txt was read"), "{head}");
    assert!(head.contains(&format!("<user-message>\n{prompt}\n</user-message>")), "{head}");
    // The file touched last would be read again, but it is bigger than the eighth of this
    // small window that restored files may take.
    assert!(!head.contains("big.txt\n```\n1\n2\n"), "{head}");

    // The transcript records the compaction; resuming continues from the summary.
    let id = session_id(&env).await;
    let shown = env.run(&["sessions", "show", &id, "--compactions", "--json"]).await;
    assert_eq!(shown.code(), 0, "stderr: {}", shown.stderr());
    let entries: Value = serde_json::from_str(&shown.stdout()).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 1);
    assert_eq!(entries[0]["reason"], "auto");
    assert!(entries[0]["summary"].as_str().unwrap().starts_with("SUMMARY"));

    let resumed = env.run(&[&["-c", "-p", "anything else?"][..], &window[..]].concat()).await;
    assert_eq!(resumed.code(), 0, "stderr: {}", resumed.stderr());
    let last = &env.requests()[3].body["messages"];
    assert!(texts(&last[0]).join("\n").contains("SUMMARY: big.txt was read"));
}

#[tokio::test]
async fn files_touched_last_are_read_again_after_compaction() {
    let env = env(vec![
        Reply::tool_calls(vec![
            rein_testkit::ToolCall::new("read", json!({"path": "notes.txt"})),
            rein_testkit::ToolCall::new("bash", json!({"command": "seq 1 3000"})),
        ]),
        Reply::text("SUMMARY: notes read, numbers listed."),
        Reply::text("done"),
    ])
    .await;
    std::fs::write(env.path("notes.txt"), "keep the API stable\n").unwrap();
    let run = env.run(&["-p", "look", "-C", "context_window=8000"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let requests = env.requests();
    assert_eq!(requests.len(), 3);
    let head = texts(&requests[2].body["messages"][0]).join("\n");
    assert!(head.contains("notes.txt\n```\nkeep the API stable\n```"), "{head}");
    assert!(head.contains("<user-message>\nlook\n</user-message>"), "{head}");
}

#[tokio::test]
async fn clearing_superseded_reads_spares_a_compaction() {
    let read = || Reply::tool_call("read", json!({"path": "big.txt"}));
    let env = env(vec![read(), read(), read(), Reply::text("done")]).await;
    let big: String = (1..=1500).map(|i| format!("{i}\n")).collect();
    std::fs::write(env.path("big.txt"), &big).unwrap();
    let run = env
        .run(&[
            "-p",
            "read it thrice",
            "--output-format",
            "stream-json",
            "-C",
            "context_window=14500",
            // Background summary updates would take scripted replies.
            "-C",
            "running_summary=false",
            // The window is sized for the built-in tools and the agent tool alone.
            "-C",
            "memory.enabled=false",
        ])
        .await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert!(!run.events().iter().any(|e| e["type"] == "compacting"), "no compaction needed");
    let requests = env.requests();
    assert_eq!(requests.len(), 4);
    let results: Vec<String> = requests[3].body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["content"].as_array().cloned().unwrap_or_default())
        .filter(|b| b["type"] == "tool_result")
        .map(|b| b["content"].to_string())
        .collect();
    assert_eq!(results.len(), 3);
    assert!(results[0].contains("older tool result cleared") && results[1].contains("cleared"));
    assert!(results[2].contains("1500"), "the latest read stays whole");
    let transcript = env.run(&["sessions", "show", "--json", &session_id(&env).await]).await;
    assert!(transcript.stdout().contains("\"kind\":\"cleared_results\""));
}

/// Past half the threshold, rein keeps a running summary up to date in the background; the
/// compaction that follows starts from it instead of asking for a summary of everything.
#[tokio::test]
async fn compaction_starts_from_the_running_summary() {
    let bash = |n: u32| Reply::tool_call("bash", json!({"command": format!("seq 1 {n}")}));
    let mut replies: Vec<Reply> = (0..5).map(|_| bash(2000)).collect();
    replies.push(Reply::text("All listed."));
    let running = "RUNNING SUMMARY: listing numbers with seq, 2000 at a time.";
    let env = env_with_script("anthropic", Script::new(replies).with_summary_reply(running)).await;
    let run = env
        .run(&[
            "-p",
            "List numbers with seq 1 2000, five times. Keep going.",
            "--output-format",
            "stream-json",
            "-C",
            "context_window=14000",
        ])
        .await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let events = run.events();
    assert!(events.iter().any(|e| e["type"] == "summary_updated"), "{events:?}");
    let compacted = events.iter().find(|e| e["type"] == "compacted").expect("a compaction");
    assert_eq!(compacted["from_running_summary"], true, "{compacted}");
    assert_eq!(events.last().unwrap()["result"], "All listed.");

    let requests = env.requests();
    let asks =
        |marker: &str| requests.iter().filter(|r| r.body.to_string().contains(marker)).count();
    assert_eq!(asks(SUMMARY_MARKER), 0, "no request waited for a whole-conversation summary");
    assert!(asks(SUMMARY_UPDATE_MARKER) >= 1);
    // Updates read only what is new, shortened, without tools or the system prompt's cache.
    let update = requests.iter().find(|r| r.body.to_string().contains(SUMMARY_UPDATE_MARKER));
    let update = &update.unwrap().body;
    assert!(update.get("tools").is_none_or(|t| t.as_array().is_some_and(Vec::is_empty)));
    assert_eq!(update["messages"].as_array().unwrap().len(), 1);
    // The conversation after the compaction starts from the running summary.
    let after = requests
        .iter()
        .rev()
        .find(|r| !r.body.to_string().contains(SUMMARY_UPDATE_MARKER))
        .unwrap();
    let head = texts(&after.body["messages"][0]).join("\n");
    assert!(head.contains(running), "{head}");

    // The run's usage counts the updates as well as the turns.
    let turn_input: u64 = events
        .iter()
        .filter(|e| e["type"] == "usage")
        .map(|e| e["usage"]["input_tokens"].as_u64().unwrap())
        .sum();
    let finished = events.last().unwrap();
    assert!(finished["usage"]["input_tokens"].as_u64().unwrap() > turn_input, "{finished}");

    // The summary is saved beside the transcript, and the compaction says where it came from.
    let saved = find_files(env.home.path(), "summary.md");
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert_eq!(std::fs::read_to_string(&saved[0]).unwrap(), format!("{running}\n"));
    let id = session_id(&env).await;
    let shown = env.run(&["sessions", "show", &id, "--compactions"]).await;
    assert!(shown.stdout().contains("from the running summary"), "{}", shown.stdout());
}
