#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test support: a failed setup step should fail the test loudly"
)]

//! A temporary repository, a private REIN_HOME and a fake model server, plus a way to run
//! `rein` against them.

use rein_testkit::{FakeModelServer, RecordedRequest, Reply, Script};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub(crate) struct TestEnv {
    pub(crate) home: tempfile::TempDir,
    pub(crate) repo: tempfile::TempDir,
    pub(crate) server: FakeModelServer,
    /// Which provider's environment variables to set.
    pub(crate) provider: &'static str,
}

pub(crate) struct Run {
    pub(crate) output: Output,
}

impl Run {
    pub(crate) fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// stdout parsed as one JSON value per line.
    pub(crate) fn events(&self) -> Vec<Value> {
        self.stdout()
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("bad json line {line:?}: {e}"))
            })
            .collect()
    }
}

pub(crate) async fn env(replies: Vec<Reply>) -> TestEnv {
    env_for("anthropic", replies).await
}

pub(crate) async fn env_for(provider: &'static str, replies: Vec<Reply>) -> TestEnv {
    env_with_script(provider, Script::new(replies)).await
}

pub(crate) async fn env_with_script(provider: &'static str, script: Script) -> TestEnv {
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(repo.path().join("src")).unwrap();
    std::fs::write(
        repo.path().join("src/lib.rs"),
        "pub fn greet() -> &'static str {\n    \"hello\"\n}\n",
    )
    .unwrap();
    let server = FakeModelServer::start(script).await.unwrap();
    TestEnv { home: tempfile::tempdir().unwrap(), repo, server, provider }
}

/// Files named `name` anywhere under `dir`.
pub(crate) fn find_files(dir: &Path, name: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(find_files(&path, name));
        } else if path.file_name().is_some_and(|n| n == name) {
            found.push(path);
        }
    }
    found
}

pub(crate) fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git").args(args).current_dir(dir).status().unwrap();
    assert!(status.success(), "git {args:?} failed");
}

impl TestEnv {
    pub(crate) fn path(&self, relative: &str) -> PathBuf {
        self.repo.path().join(relative)
    }

    /// Writes `text` to `relative` in the repository, creating folders on the way.
    pub(crate) fn put(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub(crate) fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rein"));
        command
            .args(args)
            .current_dir(self.repo.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("REIN_HOME", self.home.path())
            .env("REIN_MODELS_DIR", models_dir())
            // Tests that want a dream ask for one; none starts behind a test's back.
            .env("REIN_AUTO_DREAM", "false")
            .stdin(Stdio::null());
        match self.provider {
            "anthropic" => {
                command
                    .env("ANTHROPIC_API_KEY", "test-key")
                    .env("ANTHROPIC_BASE_URL", self.server.url());
            }
            "openai" => {
                command
                    .env("OPENAI_API_KEY", "test-key")
                    .env("OPENAI_BASE_URL", self.server.openai_url());
            }
            _ => {}
        }
        command
    }

    /// Runs rein on a blocking thread so the fake server keeps serving on the runtime.
    pub(crate) async fn run(&self, args: &[&str]) -> Run {
        let mut command = self.command(args);
        let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();
        Run { output }
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// The tool results sent in request `index`'s last message.
    pub(crate) fn tool_results(&self, index: usize) -> Vec<Value> {
        let request = &self.requests()[index];
        let messages = request.body["messages"].as_array().unwrap();
        match self.provider {
            "openai" => messages.iter().filter(|m| m["role"] == "tool").cloned().collect(),
            _ => messages.last().unwrap()["content"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|b| b["type"] == "tool_result")
                .cloned()
                .collect(),
        }
    }
}

/// The text of a tool result (Anthropic shape: string content).
pub(crate) fn result_text(result: &Value) -> String {
    match &result["content"] {
        Value::String(s) => s.clone(),
        Value::Array(blocks) => {
            blocks.iter().filter_map(|b| b["text"].as_str()).collect::<Vec<_>>().join("")
        }
        other => other.to_string(),
    }
}

/// The shared model cache that `scripts/test.sh` fills (tests never download models).
pub(crate) fn models_dir() -> PathBuf {
    match std::env::var_os("REIN_MODELS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
            home.join(".local/share/rein/models")
        }
    }
}

/// The id of the most recent session.
pub(crate) async fn session_id(env: &TestEnv) -> String {
    let list = env.run(&["sessions", "list", "--json"]).await;
    let sessions: Value = serde_json::from_str(&list.stdout()).unwrap();
    sessions[0]["id"].as_str().unwrap().to_string()
}

/// A directory outside everything a sandboxed command may write (a clone of the project may
/// itself live in /tmp, so Cargo's target directory is not always outside).
pub(crate) fn outside_base() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let candidates = [PathBuf::from(env!("CARGO_TARGET_TMPDIR")), home.join(".cache/rein-tests")];
    rein_sandbox::first_outside_temp(&candidates)
        .unwrap_or_else(|| panic!("no directory outside the temp directories; set HOME elsewhere"))
}
