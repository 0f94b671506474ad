#![allow(
    clippy::unwrap_used,
    reason = "test support: a failed setup step should fail the test loudly"
)]

//! Subagents, skills and custom slash commands through the real binary: definitions written
//! for Claude Code work unchanged, subagents start with a fresh context and their own tools,
//! run side by side, in the background and in worktrees of their own.

use crate::harness::{TestEnv, env, git, result_text};
use pretty_assertions::assert_eq;
use rein_testkit::{Reply, ToolCall};
use serde_json::{Value, json};

fn agent(input: Value) -> Reply {
    Reply::tool_call("agent", input)
}

fn tool_names(request: &Value) -> Vec<String> {
    request["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["name"].as_str().unwrap().to_string())
        .collect()
}

fn system_text(request: &Value) -> String {
    request["system"].as_array().unwrap().iter().filter_map(|b| b["text"].as_str()).collect()
}

fn first_user_text(request: &Value) -> String {
    let message = &request["messages"][0];
    message["content"].as_array().unwrap().iter().filter_map(|b| b["text"].as_str()).collect()
}

/// Every text and tool-result text of request `index`.
fn all_text(env: &TestEnv, index: usize) -> String {
    serde_json::to_string(&env.requests()[index].body["messages"]).unwrap()
}

fn commit_all(env: &TestEnv) {
    git(env.repo.path(), &["add", "."]);
    git(env.repo.path(), &["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_explore_subagent_works_in_a_fresh_context_with_read_only_tools() {
    let env = env(vec![
        agent(json!({"description": "find greet", "prompt": "Where is greet defined?",
                     "subagent_type": "explore"})),
        Reply::tool_call("grep", json!({"pattern": "fn greet"})),
        Reply::text("greet is defined in src/lib.rs line 1."),
        Reply::text("It is in src/lib.rs."),
    ])
    .await;
    let run = env.run(&["-p", "SECRET-PARENT-CONTEXT: find greet for me"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert_eq!(run.stdout().trim(), "It is in src/lib.rs.");

    let requests = env.requests();
    assert_eq!(requests.len(), 4);
    let parent = &requests[0].body;
    assert!(tool_names(parent).contains(&"agent".to_string()));
    let description = parent["tools"].as_array().unwrap().iter().find(|t| t["name"] == "agent");
    let description = description.unwrap()["description"].as_str().unwrap();
    for kind in ["- general:", "- explore:", "- plan:", "- verify:"] {
        assert!(description.contains(kind), "{description}");
    }

    let child = &requests[1].body;
    let child_tools = tool_names(child);
    assert!(child_tools.contains(&"grep".to_string()), "{child_tools:?}");
    for absent in ["agent", "write", "edit", "memory"] {
        assert!(!child_tools.contains(&absent.to_string()), "{absent} in {child_tools:?}");
    }
    assert!(system_text(child).contains("Working as a subagent"));
    assert!(system_text(child).contains("You explore a codebase"));
    let opening = first_user_text(child);
    assert!(opening.contains("Where is greet defined?"), "{opening}");
    assert!(!opening.contains("SECRET-PARENT-CONTEXT"), "the subagent saw the parent's context");
    assert!(!opening.contains("git status at session start"), "{opening}");

    let answer = result_text(&env.tool_results(3)[0]);
    assert!(answer.starts_with("greet is defined in src/lib.rs line 1."), "{answer}");
    assert!(answer.contains("· explore · 2 turn(s)"), "{answer}");

    // Subagent transcripts are kept apart from the user's sessions.
    let list = env.run(&["sessions", "list", "--json"]).await;
    let sessions: Value = serde_json::from_str(&list.stdout()).unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 1, "{sessions}");
    assert!(env.home.path().join("data/agents").exists() || find_agents_store(&env));
}

fn find_agents_store(env: &TestEnv) -> bool {
    !crate::harness::find_files(env.home.path(), "rein.db")
        .iter()
        .filter(|db| db.parent().is_some_and(|p| p.ends_with("agents")))
        .collect::<Vec<_>>()
        .is_empty()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claude_code_agent_definition_narrows_tools_mode_and_turns() {
    let env = env(vec![
        agent(json!({"description": "review", "prompt": "Review src/lib.rs",
                     "subagent_type": "reviewer"})),
        Reply::tool_call("write", json!({"path": "notes.txt", "content": "x"})),
        Reply::tool_call("read", json!({"path": "src/lib.rs"})),
        Reply::text("Looks fine."),
    ])
    .await;
    env.put(
        ".claude/agents/reviewer.md",
        "---\nname: reviewer\ndescription: Reviews code for bugs\ntools: Read, Write\n\
         permissionMode: plan\nmaxTurns: 2\nmodel: inherit\n---\nYou are a careful reviewer.\n",
    );
    env.put(".claude/agents/broken.md", "---\nname: [unclosed\n---\n");
    let run = env
        .run(&["-p", "review it", "--permission-mode", "bypass", "--output-format", "json"])
        .await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let requests = env.requests();
    let child = &requests[1].body;
    assert_eq!(tool_names(child), ["read", "write"]);
    assert!(system_text(child).contains("You are a careful reviewer."));
    // plan mode from the definition wins over the parent's bypass: the write is refused.
    let refused = result_text(&env.tool_results(2)[0]);
    assert!(refused.contains("plan"), "{refused}");
    assert!(!env.path("notes.txt").exists());
    // Two turns, then the parent hears it stopped at its limit.
    let answer = result_text(&env.tool_results(3)[0]);
    assert!(answer.contains("· reviewer · 2 turn(s)"), "{answer}");
    // The subagent stopped after its two calls; the last reply went to the parent.
    assert_eq!(env.server.remaining(), 0);
    assert!(
        answer.contains("stopped at its turn limit") || answer.contains("no answer"),
        "{answer}"
    );
    assert!(run.stderr().contains("broken.md"), "{}", run.stderr());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_subagents_run_from_one_message() {
    let env = env(vec![
        Reply::tool_calls(vec![
            ToolCall::new("agent", json!({"description": "one", "prompt": "Task one"})),
            ToolCall::new("agent", json!({"description": "two", "prompt": "Task two"})),
            ToolCall::new(
                "agent",
                json!({"description": "bad", "prompt": "x",
                                          "subagent_type": "nobody"}),
            ),
        ]),
        Reply::text("answer A"),
        Reply::text("answer B"),
        Reply::text("Both done."),
    ])
    .await;
    let run = env.run(&["-p", "do both"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let results = env.tool_results(3);
    assert_eq!(results.len(), 3);
    let texts: Vec<String> = results.iter().map(result_text).collect();
    let mut answers: Vec<&str> = texts[..2].iter().map(|t| &t[..8]).collect();
    answers.sort();
    assert_eq!(answers, ["answer A", "answer B"]);
    assert_eq!(results[2]["is_error"], true);
    assert!(texts[2].contains("unknown subagent type `nobody`"), "{}", texts[2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_background_subagent_reports_back_as_a_notification() {
    let env = env(vec![
        agent(json!({"description": "long job", "prompt": "Count the files",
                     "run_in_background": true})),
        // The parent's next turn and the subagent's turn race; either may get either reply.
        Reply::text("first reply"),
        Reply::text("second reply"),
        Reply::text("The background job said its piece."),
    ])
    .await;
    let run = env.run(&["-p", "start the job"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    // Text mode prints every answer; the last is the one written after the notification.
    assert!(run.stdout().trim().ends_with("The background job said its piece."));
    let started = result_text(&env.tool_results(1).into_iter().next().unwrap_or_else(|| {
        // The subagent's request may have come second.
        env.tool_results(2)[0].clone()
    }));
    assert!(started.contains("in the background"), "{started}");
    let last = all_text(&env, 3);
    assert!(last.contains("<agent-notification>"), "{last}");
    assert!(last.contains("status: completed"), "{last}");
    assert!(last.contains("task: long job"), "{last}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worktree_subagent_keeps_its_changes_on_a_branch_and_cleans_up_otherwise() {
    let env = env(vec![
        agent(json!({"description": "edit", "prompt": "Add new.txt", "isolation": "worktree"})),
        Reply::tool_call("write", json!({"path": "new.txt", "content": "made in a worktree\n"})),
        Reply::text("Wrote new.txt."),
        agent(json!({"description": "look", "prompt": "Just look", "isolation": "worktree"})),
        Reply::text("Nothing to change."),
        Reply::text("Done."),
    ])
    .await;
    commit_all(&env);
    let run = env.run(&["-p", "edit in isolation", "--permission-mode", "accept-edits"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let kept = result_text(&env.tool_results(3)[0]);
    assert!(kept.contains("worktree kept at"), "{kept}");
    assert!(kept.contains("1 uncommitted change(s)"), "{kept}");
    assert!(!env.path("new.txt").exists(), "the main checkout is untouched");
    let worktrees = env.path(".rein/worktrees");
    let kept_dir = std::fs::read_dir(&worktrees)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .unwrap();
    assert_eq!(std::fs::read_to_string(kept_dir.join("new.txt")).unwrap(), "made in a worktree\n");
    let removed = result_text(&env.tool_results(5)[0]);
    assert!(removed.contains("nothing changed, so it was removed"), "{removed}");
    let dirs = std::fs::read_dir(&worktrees).unwrap().flatten().filter(|e| e.path().is_dir());
    assert_eq!(dirs.count(), 1);
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(env.repo.path())
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(!status.contains("worktrees"), "worktrees stay out of git status: {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skills_are_listed_and_load_when_the_model_or_the_user_invokes_them() {
    let env = env(vec![
        Reply::tool_call("skill", json!({"name": "release", "arguments": "v2.0"})),
        Reply::text("Following the release skill."),
        Reply::text("Releasing v3."),
    ])
    .await;
    env.put(
        ".claude/skills/release/SKILL.md",
        "---\nname: release\ndescription: Cut a release of this project\n---\n\
         1. Bump the version to $ARGUMENTS.\n2. Tag it.\n",
    );
    env.put(".claude/skills/release/checklist.md", "- changelog\n");
    env.put(
        ".rein/skills/quiet/SKILL.md",
        "---\ndescription: Only by hand\ndisable-model-invocation: true\n---\nQuiet steps.",
    );
    let run = env.run(&["-p", "make a release"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let opening = first_user_text(&env.requests()[0].body);
    assert!(
        opening.contains("<skills>") && opening.contains("- release: Cut a release"),
        "{opening}"
    );
    assert!(!opening.contains("Bump the version"), "bodies load only when invoked");
    assert!(!opening.contains("quiet"), "{opening}");
    let loaded = result_text(&env.tool_results(1)[0]);
    assert!(loaded.contains("1. Bump the version to v2.0."), "{loaded}");
    assert!(loaded.contains(".claude/skills/release"), "{loaded}");

    let by_hand = env.run(&["-p", "/release v3"]).await;
    assert_eq!(by_hand.code(), 0, "stderr: {}", by_hand.stderr());
    let prompt = first_user_text(&env.requests()[2].body);
    assert!(prompt.contains("Bump the version to v3."), "{prompt}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_slash_commands_expand_their_arguments() {
    let env = env(vec![Reply::text("Reviewed."), Reply::text("Plain.")]).await;
    env.put(".claude/commands/review.md",
        "---\ndescription: Review files\nargument-hint: <files>\n---\nReview $ARGUMENTS carefully; start with $1.",
    );
    let run = env.run(&["-p", "/review src/lib.rs README.md"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let prompt = first_user_text(&env.requests()[0].body);
    assert!(
        prompt.contains("Review src/lib.rs README.md carefully; start with src/lib.rs."),
        "{prompt}"
    );
    let context = env.run(&["context"]).await;
    assert!(context.stdout().contains("Custom slash commands: review"), "{}", context.stdout());
    // A prompt that only looks like a command is sent as typed.
    let plain = env.run(&["-p", "/usr/bin/env is missing"]).await;
    assert_eq!(plain.code(), 0, "stderr: {}", plain.stderr());
    assert!(first_user_text(&env.requests()[1].body).contains("/usr/bin/env is missing"));
}
