#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test support: a failed tmux step should fail the test loudly"
)]

//! The conversation on a real terminal (tmux): a call that needs approval is asked about at
//! the prompt, and "always" adds a rule to the project's settings.

use crate::harness::{TestEnv, env};
use rein_testkit::Reply;
use serde_json::json;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// A tmux server of the test's own (its own socket), running rein in one window.
struct Terminal {
    socket: String,
}

impl Terminal {
    fn start(env: &TestEnv, args: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let socket =
            format!("rein-e2e-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let rein = env!("CARGO_BIN_EXE_rein");
        let command = format!(
            "env -i PATH='{path}' HOME='{home}' REIN_HOME='{home}' TERM=xterm \
             ANTHROPIC_API_KEY=test-key ANTHROPIC_BASE_URL='{url}' '{rein}' {args}",
            path = std::env::var("PATH").unwrap_or_default(),
            home = env.home.path().display(),
            url = env.server.url(),
        );
        let repo = env.repo.path().display().to_string();
        tmux(&socket, &["new-session", "-d", "-x", "160", "-y", "50", "-c", &repo, &command]);
        Self { socket }
    }

    fn screen(&self) -> String {
        let output = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-S", "-200"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    async fn wait_for(&self, text: &str) {
        for _ in 0..300 {
            if self.screen().contains(text) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("`{text}` never appeared; the screen:\n{}", self.screen());
    }

    fn type_line(&self, line: &str) {
        tmux(&self.socket, &["send-keys", "-l", line]);
        tmux(&self.socket, &["send-keys", "Enter"]);
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

fn tmux(socket: &str, args: &[&str]) {
    let status = Command::new("tmux").args(["-L", socket]).args(args).status().unwrap();
    assert!(status.success(), "tmux {args:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_terminal_asks_before_a_call_and_always_adds_a_rule() {
    let env = env(vec![
        // Outside the sandbox, so approval is needed.
        Reply::tool_call("bash", json!({"command": "touch made.txt", "outside_sandbox": true})),
        Reply::tool_call("bash", json!({"command": "touch second.txt", "outside_sandbox": true})),
        Reply::text("Made them."),
    ])
    .await;
    let terminal = Terminal::start(&env, "--permission-mode ask");
    terminal.wait_for("Type a task").await;
    terminal.type_line("make the files");
    terminal.wait_for("rein wants to use bash: touch made.txt").await;
    terminal.wait_for("[a] always: add `bash(touch *)`").await;
    terminal.type_line("a");
    // The second call matches the rule just added: no second question.
    terminal.wait_for("Made them.").await;
    assert!(!terminal.screen().contains("rein wants to use bash: touch second.txt"));
    assert!(env.path("made.txt").exists() && env.path("second.txt").exists());
    let settings = std::fs::read_to_string(env.path(".rein/config.toml")).unwrap();
    assert!(settings.contains("\"bash(touch *)\""), "{settings}");
    terminal.type_line("/exit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_call_does_not_run_and_the_model_hears_why() {
    let env = env(vec![
        Reply::tool_call("write", json!({"path": "notes.txt", "content": "x\n"})),
        Reply::text("Understood, I left it."),
    ])
    .await;
    let terminal = Terminal::start(&env, "--permission-mode ask");
    terminal.wait_for("Type a task").await;
    terminal.type_line("write notes");
    terminal.wait_for("rein wants to use write: notes.txt").await;
    terminal.type_line("n");
    terminal.wait_for("Understood, I left it.").await;
    assert!(!env.path("notes.txt").exists());
    let results = env.tool_results(1);
    let text = crate::harness::result_text(&results[0]);
    assert!(text.starts_with("the user declined this call"), "{text}");
    terminal.type_line("/exit");
}
