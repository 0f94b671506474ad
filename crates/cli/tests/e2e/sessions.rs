use crate::harness::env;
use pretty_assertions::assert_eq;
use rein_testkit::Reply;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn continue_and_resume_send_the_earlier_conversation() {
    let env = env(vec![
        Reply::text("first answer"),
        Reply::text("second answer"),
        Reply::text("third answer"),
    ])
    .await;
    let first = env.run(&["-p", "first question", "--output-format", "json"]).await;
    assert_eq!(first.code(), 0, "stderr: {}", first.stderr());
    let id = first.events()[0]["session_id"].as_str().unwrap().to_string();

    let second = env.run(&["-p", "second question", "--continue", "--output-format", "json"]).await;
    assert_eq!(second.code(), 0, "stderr: {}", second.stderr());
    assert_eq!(second.events()[0]["session_id"], id.as_str());
    let messages = env.requests()[1].body["messages"].as_array().unwrap().clone();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[1]["content"][0]["text"], "first answer");

    let third = env.run(&["-p", "third question", "--resume", &id[..13]]).await;
    assert_eq!(third.code(), 0, "stderr: {}", third.stderr());
    assert_eq!(env.requests()[2].body["messages"].as_array().unwrap().len(), 5);

    let list = env.run(&["sessions", "list", "--json"]).await;
    let sessions: serde_json::Value = serde_json::from_str(&list.stdout()).unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 1);
    assert_eq!(sessions[0]["id"], id.as_str());
    assert_eq!(sessions[0]["turns"], 3);
    assert_eq!(sessions[0]["title"], "first question");

    let table = env.run(&["sessions", "list"]).await;
    assert!(table.stdout().contains(&id) && table.stdout().contains("first question"));
    let show = env.run(&["sessions", "show", &id]).await;
    assert!(show.stdout().contains("third answer"), "{}", show.stdout());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_session_and_nothing_to_continue_are_usage_errors() {
    let env = env(vec![]).await;
    let run = env.run(&["-p", "x", "--resume", "does-not-exist"]).await;
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("no session matches 'does-not-exist'"), "{}", run.stderr());
    let run = env.run(&["-p", "x", "--continue"]).await;
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("no earlier session"), "{}", run.stderr());
    assert!(env.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupt_keeps_the_transcript_valid_for_resume() {
    let env = env(vec![
        Reply::tool_call("bash", json!({"command": "sleep 30"})),
        Reply::text("after resume"),
    ])
    .await;
    let mut command = env.command(&["-p", "run something slow", "--output-format", "stream-json"]);
    command.stdout(std::process::Stdio::piped());
    let output = tokio::task::spawn_blocking(move || {
        let child = command.spawn().unwrap();
        // Wait until the tool is running, then press Ctrl-C.
        std::thread::sleep(std::time::Duration::from_millis(1500));
        let status = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["stop_reason"], "interrupted");
    let id = last["session_id"].as_str().unwrap().to_string();

    let resumed = env.run(&["-p", "continue please", "--resume", &id]).await;
    assert_eq!(resumed.code(), 0, "stderr: {}", resumed.stderr());
    let messages = env.requests()[1].body["messages"].as_array().unwrap().clone();
    // user, assistant(tool_use), user(tool_result interrupted + new prompt)
    assert_eq!(messages.len(), 3);
    let content = messages[2]["content"].as_array().unwrap();
    assert_eq!(content[0]["type"], "tool_result");
    assert_eq!(content[0]["is_error"], true);
    assert!(content[0]["content"].as_str().unwrap().contains("interrupted"));
    assert_eq!(content.last().unwrap()["text"], "continue please");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupt_while_the_model_streams_exits_130_and_records_it() {
    let env = env(vec![Reply::text("too late").delayed(5_000)]).await;
    let mut command = env.command(&["-p", "slow model", "--output-format", "stream-json"]);
    command.stdout(std::process::Stdio::piped());
    let output = tokio::task::spawn_blocking(move || {
        let child = command.spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(700));
        std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(130));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["stop_reason"], "interrupted");
    assert_eq!(last["turns"], 1);
    let show = env.run(&["sessions", "show", last["session_id"].as_str().unwrap(), "--json"]).await;
    assert!(show.stdout().contains("\"kind\":\"run_stopped\""), "{}", show.stdout());
}
