#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test support: a failed tmux step should fail the test loudly"
)]

//! The interactive interface on a real terminal (tmux): approvals, edits, interrupts, slash
//! commands, resuming, resizing, and a sane terminal after rein exits or is killed.

use crate::harness::{TestEnv, env};
use rein_testkit::Reply;
use serde_json::json;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// A tmux server of the test's own (its own socket), running one command in one window.
struct Terminal {
    socket: String,
}

impl Terminal {
    /// Starts rein with `args` in a 100×30 window.
    fn start(env: &TestEnv, args: &str) -> Self {
        let rein = env!("CARGO_BIN_EXE_rein");
        Self::start_command(env, &format!("'{rein}' {args}"))
    }

    /// Runs `command` (a shell command line) with the test's environment.
    fn start_command(env: &TestEnv, command: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let socket =
            format!("rein-e2e-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let command = format!(
            "env -i PATH='{path}' HOME='{home}' REIN_HOME='{home}' REIN_AUTO_DREAM=false TERM=xterm-256color \
             ANTHROPIC_API_KEY=test-key ANTHROPIC_BASE_URL='{url}' {command}",
            path = std::env::var("PATH").unwrap_or_default(),
            home = env.home.path().display(),
            url = env.server.url(),
        );
        let repo = env.repo.path().display().to_string();
        tmux(&socket, &["new-session", "-d", "-x", "100", "-y", "30", "-c", &repo, &command]);
        // Keep the window after the command exits, so its last screen can be read.
        tmux(&socket, &["set-option", "-g", "remain-on-exit", "on"]);
        Self { socket }
    }

    fn screen(&self) -> String {
        let output =
            Command::new("tmux").args(["-L", &self.socket, "capture-pane", "-p"]).output().unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    async fn wait_for(&self, text: &str) -> String {
        for _ in 0..400 {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("`{text}` never appeared; the screen:\n{}", self.screen());
    }

    async fn wait_until_gone(&self, text: &str) {
        for _ in 0..400 {
            if !self.screen().contains(text) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("`{text}` stayed; the screen:\n{}", self.screen());
    }

    fn type_text(&self, text: &str) {
        tmux(&self.socket, &["send-keys", "-l", text]);
    }

    fn keys(&self, keys: &[&str]) {
        for key in keys {
            tmux(&self.socket, &["send-keys", key]);
        }
    }

    fn type_line(&self, line: &str) {
        self.type_text(line);
        self.keys(&["Enter"]);
    }

    /// The last line of the screen that has text: the status line while rein runs.
    fn status_line(&self) -> String {
        self.screen().lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("").to_string()
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

/// Shown once the interface is ready for a prompt.
const READY: &str = "ask rein to do something";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_is_approved_in_the_prompt_and_shown_as_a_diff() {
    let env = env(vec![
        Reply::tool_call("read", json!({"path": "src/lib.rs"})),
        Reply::tool_call(
            "edit",
            json!({"path": "src/lib.rs", "old_string": "    \"hello\"", "new_string": "    \"hello, friend\""}),
        ),
        Reply::text("The greeting is **friendlier** now."),
    ])
    .await;
    let terminal = Terminal::start(&env, "--permission-mode ask");
    terminal.wait_for(READY).await;
    terminal.type_line("make the greeting friendlier");
    let prompt = terminal.wait_for("rein wants to use edit").await;
    // The prompt shows the change, the reason and the rule "always" would add.
    assert!(prompt.contains("-     \"hello\""), "{prompt}");
    assert!(prompt.contains("+     \"hello, friend\""), "{prompt}");
    assert!(prompt.contains("why it asks:"), "{prompt}");
    assert!(prompt.contains("Yes, always: add `edit("), "{prompt}");
    terminal.keys(&["y"]);
    let screen = terminal.wait_for("The greeting is friendlier now.").await;
    assert!(screen.contains("● edit  src/lib.rs  +1 -1"), "{screen}");
    assert!(!screen.contains("rein wants to use"), "the prompt closed: {screen}");
    assert!(env.read("src/lib.rs").contains("hello, friend"));
    // The status line names model and mode and counts the tokens.
    let status = terminal.status_line();
    assert!(status.contains("claude-sonnet") && status.contains("ask"), "{status}");
    assert!(status.contains("tok"), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn always_adds_a_rule_and_the_next_call_is_not_asked_about() {
    let env = env(vec![
        // Outside the sandbox, so approval is needed.
        Reply::tool_call("bash", json!({"command": "touch made.txt", "outside_sandbox": true})),
        Reply::tool_call("bash", json!({"command": "touch second.txt", "outside_sandbox": true})),
        Reply::text("Made them."),
    ])
    .await;
    let terminal = Terminal::start(&env, "--permission-mode ask");
    terminal.wait_for(READY).await;
    terminal.type_line("make the files");
    terminal.wait_for("Yes, always: add `bash(touch *)` to .rein/config.toml").await;
    terminal.keys(&["a"]);
    let screen = terminal.wait_for("Made them.").await;
    assert!(screen.contains("added `bash(touch *)`"), "{screen}");
    assert!(env.path("made.txt").exists() && env.path("second.txt").exists());
    let settings = std::fs::read_to_string(env.path(".rein/config.toml")).unwrap();
    assert!(settings.contains("\"bash(touch *)\""), "{settings}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_call_does_not_run_and_the_model_hears_why() {
    let env = env(vec![
        Reply::tool_call("write", json!({"path": "notes.txt", "content": "x\n"})),
        Reply::text("Understood, I left it."),
    ])
    .await;
    let terminal = Terminal::start(&env, "--permission-mode ask");
    terminal.wait_for(READY).await;
    terminal.type_line("write notes");
    terminal.wait_for("rein wants to use write").await;
    terminal.keys(&["Escape"]);
    terminal.wait_for("Understood, I left it.").await;
    assert!(!env.path("notes.txt").exists());
    let results = env.tool_results(1);
    let text = crate::harness::result_text(&results[0]);
    assert!(text.starts_with("the user declined this call"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_interrupts_a_running_command_and_the_conversation_goes_on() {
    let env = env(vec![
        Reply::tool_call("bash", json!({"command": "sleep 30"})),
        Reply::text("Still here."),
    ])
    .await;
    let terminal = Terminal::start(&env, "--permission-mode bypass");
    terminal.wait_for(READY).await;
    terminal.type_line("wait a while");
    terminal.wait_for("esc to interrupt").await;
    terminal.wait_for("bash  sleep 30").await;
    // Typed while the turn runs: queued, not lost.
    terminal.type_line("and then carry on");
    terminal.wait_for("queued: and then carry on").await;
    let started = std::time::Instant::now();
    terminal.keys(&["Escape"]);
    let screen = terminal.wait_for("Still here.").await;
    assert!(started.elapsed() < Duration::from_secs(25), "the command was not stopped");
    assert!(screen.contains("interrupted"), "{screen}");
    assert!(screen.contains("› and then carry on"), "the queued prompt ran: {screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_commands_complete_and_run() {
    let env = env(vec![Reply::text("Hello.")]).await;
    // A shell stays after rein, so its last words are read before the pane closes.
    let rein = env!("CARGO_BIN_EXE_rein");
    let terminal = Terminal::start_command(&env, &format!("bash -c \"'{rein}'; sleep 60\""));
    terminal.wait_for(READY).await;
    terminal.type_text("/co");
    let menu = terminal.wait_for("/cost").await;
    assert!(menu.contains("/compact [focus]"), "{menu}");
    terminal.keys(&["Down", "Enter"]);
    terminal.wait_for("context: ").await;
    terminal.type_line("/permissions plan");
    terminal.wait_for("permission mode: plan").await;
    assert!(terminal.status_line().contains("plan"), "{}", terminal.status_line());
    terminal.type_line("/help");
    terminal.wait_for("esc interrupt the turn").await;
    terminal.type_line("/nonsense");
    terminal.wait_for("unknown command /nonsense").await;
    terminal.type_line("/exit");
    terminal.wait_for("resume this conversation with: rein --resume").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_resume_picker_reopens_an_earlier_conversation() {
    let env = env(vec![Reply::text("First answer."), Reply::text("Second answer.")]).await;
    let first = env.run(&["-p", "remember the number 42"]).await;
    assert_eq!(first.code(), 0, "{}", first.stderr());
    let terminal = Terminal::start(&env, "--resume");
    let picker = terminal.wait_for("Resume a session").await;
    assert!(picker.contains("remember the number 42"), "{picker}");
    terminal.keys(&["Enter"]);
    let screen = terminal.wait_for("First answer.").await;
    assert!(screen.contains("(resumed)"), "{screen}");
    terminal.type_line("what was the number?");
    terminal.wait_for("Second answer.").await;
    // The model got the earlier conversation with the new prompt.
    let requests = env.requests();
    let body = requests.last().unwrap().body.to_string();
    assert!(body.contains("remember the number 42"), "{body}");
    assert!(body.contains("what was the number?"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resizing_to_80_by_24_keeps_the_layout() {
    let env = env(vec![Reply::text("A fairly long answer that will have to wrap once the window gets narrower than it is now, which it will. END")]).await;
    let terminal = Terminal::start(&env, "");
    terminal.wait_for(READY).await;
    terminal.type_line("say something long");
    terminal.wait_for("END").await;
    tmux(&terminal.socket, &["resize-window", "-x", "80", "-y", "24"]);
    let screen = terminal.wait_for("\nit is now, which it will. END").await;
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows.len() <= 24, "{screen}");
    assert!(rows.iter().all(|row| row.chars().count() <= 80), "{screen}");
    assert!(terminal.status_line().contains("claude-sonnet"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_terminal_is_sane_after_an_exit_and_after_a_kill() {
    let env = env(vec![]).await;
    let rein = env!("CARGO_BIN_EXE_rein");
    let before = env.path("before.txt");
    let after = env.path("after.txt");
    for (exit, name) in [("ctrl-c", "exit"), ("kill", "kill")] {
        let _ = std::fs::remove_file(&after);
        let script = format!(
            "bash -c 'stty -g > {before}; {rein}; sleep 0.5; stty -g > {after}; echo SHELL-{name}; sleep 60'",
            before = before.display(),
            after = after.display(),
        );
        let terminal = Terminal::start_command(&env, &script);
        terminal.wait_for(READY).await;
        terminal.type_text("unfinished");
        if exit == "ctrl-c" {
            terminal.keys(&["C-c", "C-c"]);
        } else {
            // rein is the child of the pane's shell; other tests run rein too.
            let shell = Command::new("tmux")
                .args(["-L", &terminal.socket, "display-message", "-p", "#{pane_pid}"])
                .output()
                .unwrap();
            let shell = String::from_utf8_lossy(&shell.stdout).trim().to_string();
            let status =
                Command::new("pkill").args(["-9", "-P", &shell, "-x", "rein"]).status().unwrap();
            assert!(status.success(), "rein was not found under the shell {shell}");
        }
        let screen = terminal.wait_for(&format!("SHELL-{name}")).await;
        assert!(!screen.contains(READY), "the main screen is back ({exit}): {screen}");
        let saved = std::fs::read_to_string(&before).unwrap();
        let restored = std::fs::read_to_string(&after).unwrap();
        assert_eq!(saved, restored, "terminal settings after {exit}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_color_is_respected() {
    let env = env(vec![Reply::text("Plain **words**.")]).await;
    let rein = env!("CARGO_BIN_EXE_rein");
    let terminal = Terminal::start_command(&env, &format!("env NO_COLOR=1 '{rein}'"));
    terminal.wait_for(READY).await;
    terminal.type_line("hi");
    terminal.wait_for("Plain words.").await;
    let output = Command::new("tmux")
        .args(["-L", &terminal.socket, "capture-pane", "-p", "-e"])
        .output()
        .unwrap();
    let with_escapes = String::from_utf8_lossy(&output.stdout);
    // Colour sequences are 3x/4x/9x/10x and 38;/48;; attributes (bold, dim) are allowed.
    for code in ["[31m", "[32m", "[33m", "[34m", "[35m", "[36m", "38;", "48;"] {
        assert!(!with_escapes.contains(code), "colour {code} under NO_COLOR: {with_escapes:?}");
    }
    terminal.wait_until_gone("working").await;
}
