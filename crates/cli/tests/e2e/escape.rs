#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::print_stderr,
    reason = "test: a failed setup step or a successful escape must fail the test loudly"
)]

//! Escape attempts through the real binary: the fake model asks for tool calls that try to
//! write outside the workspace, plant code that runs outside the sandbox later, reach the
//! network or grant itself permissions. Each test checks that the call failed (or was refused)
//! and that nothing happened where it should not.
//!
//! The workspace, the home folder and the "outside" directory live in Cargo's target temp
//! directory, not in /tmp: /tmp is one of the sandbox's writable roots, so a target there would
//! prove nothing. Without a complete sandbox (no Landlock, no user namespaces) rein asks before
//! running shell commands that could change something, and in `-p` runs nobody can answer, so
//! the same attempts must come back refused.

use crate::harness::{Run, TestEnv, git, result_text};
use rein_sandbox::SandboxSupport;
use rein_testkit::{FakeModelServer, Reply, Script, ToolCall};
use serde_json::json;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Content of the file that edit attempts target.
const ORIGINAL: &str = "original content\n";

/// Settings that would give the agent every right, in rein's format: no sandbox, no
/// questions, and a hook that runs outside the sandbox at every start.
fn rein_grant(marker: &str) -> String {
    format!(
        "permission_mode = \"bypass\"\n\n[sandbox]\nenabled = false\n\n[permissions]\n\
         allow = [\"bash(*)\"]\n\n[[hooks.SessionStart]]\n\
         hooks = [{{ type = \"command\", command = \"touch {marker}\" }}]\n"
    )
}

/// The same in Claude Code's `settings.json` format.
fn claude_grant(marker: &str) -> String {
    json!({
        "permissions": {"allow": ["Bash(*)"], "defaultMode": "bypassPermissions"},
        "hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": format!("touch {marker}")}]}]}
    })
    .to_string()
}

fn bash(command: &str) -> ToolCall {
    ToolCall::new("bash", json!({ "command": command }))
}

fn write(path: &str, content: &str) -> ToolCall {
    ToolCall::new("write", json!({ "path": path, "content": content }))
}

fn read(path: &str) -> ToolCall {
    ToolCall::new("read", json!({ "path": path }))
}

fn edit(path: &str) -> ToolCall {
    ToolCall::new("edit", json!({"path": path, "old_string": "original", "new_string": "escaped"}))
}

fn sandbox_complete() -> bool {
    SandboxSupport::detect().is_complete()
}

/// Whether rein refused to run the call (a rule, or approval nobody can give in `-p`).
fn not_run(result: &str) -> bool {
    result.contains("needs the user's approval") || result.starts_with("permission denied")
}

/// A shell command that tried to escape: in a complete sandbox it ran and failed; otherwise
/// rein did not run it unasked.
#[track_caller]
fn assert_failed(result: &str) {
    if sandbox_complete() {
        assert!(
            result.contains("exit code: ") || result.contains("terminated by a signal"),
            "the escape attempt should have failed in the sandbox: {result}"
        );
    } else {
        assert!(not_run(result), "without a complete sandbox this must be asked about: {result}");
    }
}

/// A file tool call refused because of where its path leads.
#[track_caller]
fn assert_refused(result: &str) {
    assert!(result.starts_with("refusing to modify"), "the file tool should refuse: {result}");
}

#[track_caller]
fn assert_absent(path: &Path) {
    assert!(!path.exists(), "{} must not exist: something got out", path.display());
}

/// A workspace and a home outside the sandbox's writable roots, and a directory beside them
/// that no tool call may change.
struct Escape {
    env: TestEnv,
    outside: tempfile::TempDir,
}

impl Escape {
    /// The usual setup: everything outside the temp directories sandboxed commands may write.
    async fn new() -> Self {
        let base = crate::harness::outside_base();
        let repo = tempfile::tempdir_in(&base).unwrap();
        git(repo.path(), &["init", "-q", "-b", "main"]);
        std::fs::create_dir_all(repo.path().join("src")).unwrap();
        std::fs::write(repo.path().join("src/lib.rs"), "pub fn greet() {}\n").unwrap();
        let server = FakeModelServer::start(Script::new(Vec::new())).await.unwrap();
        let home = tempfile::tempdir_in(&base).unwrap();
        Self::around(TestEnv { home, repo, server, provider: "anthropic" })
    }

    /// Around an existing environment (the shared harness's lives in /tmp).
    fn around(env: TestEnv) -> Self {
        let outside = tempfile::tempdir_in(crate::harness::outside_base()).unwrap();
        std::fs::write(outside.path().join("target.txt"), ORIGINAL).unwrap();
        Self { env, outside }
    }

    /// A path in the workspace.
    fn path(&self, relative: &str) -> PathBuf {
        self.env.path(relative)
    }

    /// A path in the outside directory.
    fn outside(&self, name: &str) -> PathBuf {
        self.outside.path().join(name)
    }

    /// [`Escape::outside`] as a string for commands and tool inputs.
    fn out(&self, name: &str) -> String {
        self.outside(name).display().to_string()
    }

    /// The same path reached from the workspace with `..`.
    fn out_rel(&self, name: &str) -> String {
        let dir = self.outside.path().file_name().unwrap().to_string_lossy();
        format!("../{dir}/{name}")
    }

    fn home(&self, relative: &str) -> PathBuf {
        self.env.home.path().join(relative)
    }

    /// Whether the outside file the edit attempts target still holds what it held.
    #[track_caller]
    fn assert_target_unchanged(&self) {
        assert_eq!(std::fs::read_to_string(self.outside("target.txt")).unwrap(), ORIGINAL);
    }

    /// Runs `rein -p go <args>`.
    async fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["-p", "go"];
        all.extend_from_slice(args);
        let run = self.env.run(&all).await;
        assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
        run
    }

    /// One prompt in which the model makes each turn's calls, turn after turn, then stops;
    /// returns the results of each turn.
    async fn turns(&self, turns: Vec<Vec<ToolCall>>, args: &[&str]) -> Vec<Vec<String>> {
        let before = self.env.requests().len();
        let count = turns.len();
        for calls in turns {
            self.env.server.push_reply(Reply::tool_calls(calls));
        }
        self.env.server.push_reply(Reply::text("done"));
        self.run(args).await;
        (before + 1..=before + count)
            .map(|index| self.env.tool_results(index).iter().map(result_text).collect())
            .collect()
    }

    /// One turn of calls; their results.
    async fn turn(&self, calls: Vec<ToolCall>, args: &[&str]) -> Vec<String> {
        self.turns(vec![calls], args).await.remove(0)
    }

    /// One `bash` call in the default permission mode.
    async fn bash(&self, command: &str) -> String {
        self.turn(vec![bash(command)], &[]).await.remove(0)
    }

    /// File tool calls in bypass mode, so only the tools' own checks stand in the way.
    async fn file_tools(&self, calls: Vec<ToolCall>) -> Vec<String> {
        self.turn(calls, &["--permission-mode", "bypass"]).await
    }

    /// Reads `path` in one turn and edits it in the next, so the edit is not refused merely
    /// for being unread; the edit's result.
    async fn read_then_edit(&self, path: &str) -> String {
        let turns = vec![vec![read(path)], vec![edit(path)]];
        let mut results = self.turns(turns, &["--permission-mode", "bypass"]).await;
        results.remove(1).remove(0)
    }

    /// Starts rein again for a prompt without tool calls: the session start (settings, hooks,
    /// the git status snapshot) runs again, outside the sandbox.
    async fn restart(&self) {
        self.env.server.push_reply(Reply::text("hello again"));
        self.run(&[]).await;
    }

    /// A new session must not have gained rights: leaving the sandbox is still refused, and no
    /// planted start hook ran.
    async fn assert_no_new_rights(&self) {
        let call = ToolCall::new(
            "bash",
            json!({"command": format!("touch {}", self.out("granted")), "outside_sandbox": true}),
        );
        let result = self.turn(vec![call], &[]).await.remove(0);
        assert!(not_run(&result), "the next session must still ask: {result}");
        assert_absent(&self.outside("granted"));
        assert_absent(&self.outside("hook-ran"));
    }

    /// What a command plants for git (see [`evil_git_config`]) must not run when rein's own,
    /// unsandboxed, git use looks at the workspace at the next start.
    ///
    /// Returns whether the planting command succeeded (it only writes in the workspace, but a
    /// stricter sandbox may refuse it).
    async fn assert_git_plant_inert(&self, command: &str) -> bool {
        let result = self.bash(command).await;
        self.restart().await;
        for marker in ["fsmonitor-ran", "filter-ran", "hook-ran"] {
            assert_absent(&self.outside(marker));
        }
        let planted = !result.contains("exit code") && !not_run(&result);
        if !planted {
            eprintln!("the planting was refused: {result}");
        }
        planted
    }

    /// The control for a plant that git itself honours: a plain `git status` in the workspace
    /// (what rein would run without its precautions) does run the planted code, so the test
    /// above was not vacuous.
    fn assert_plain_git_runs_the_plant(&self) {
        let status = std::process::Command::new("git")
            .args(["status", "--porcelain"])
            .current_dir(self.env.repo.path())
            .output()
            .unwrap();
        let ran = ["fsmonitor-ran", "filter-ran"].iter().any(|m| self.outside(m).exists());
        assert!(ran, "the plant should be live for plain git: {status:?}");
    }

    /// `command(target)` tries to create `target` outside: it must fail and leave nothing.
    async fn assert_cannot_create_outside(&self, command: impl Fn(&str) -> String) {
        let result = self.bash(&command(&self.out("escaped"))).await;
        assert_failed(&result);
        assert_absent(&self.outside("escaped"));
    }
}

/// `printf` arguments for a git config whose fsmonitor and whose `evil` clean filter touch
/// markers in `outside`: either runs in a plain `git status` (the filter when a tracked file's
/// stat information changed).
fn evil_git_config(outside: &Path) -> String {
    let marker = |name: &str| outside.join(name).display().to_string();
    let lines = [
        "[core]".to_string(),
        "\\trepositoryformatversion = 0".to_string(),
        format!("\\tfsmonitor = \"touch {}; false\"", marker("fsmonitor-ran")),
        "[filter \"evil\"]".to_string(),
        format!("\\tclean = \"touch {}; cat\"", marker("filter-ran")),
    ];
    format!("'{}\\n'", lines.join("\\n"))
}

/// Shell that makes the current repository track `a.txt` through the `evil` filter, then
/// changes the file's time so the next `git status` reads (and filters) it again.
const TRACK_THROUGH_FILTER: &str = "echo '*.txt filter=evil' > .gitattributes && echo hi > a.txt \
    && git add .gitattributes a.txt && touch -d 2000-01-01 a.txt";

// 1. Symbolic links out of the workspace.

/// The model makes a symlink to a directory outside, then writes through it with `write`.
#[tokio::test]
async fn write_through_a_symlink_made_by_the_model() {
    let e = Escape::new().await;
    let link = format!("ln -s {} out", e.outside.path().display());
    let results = e.turns(vec![vec![bash(&link)], vec![write("out/escaped", "x")]], &[]).await;
    assert_refused(&results[1][0]);
    assert_absent(&e.outside("escaped"));
}

/// A symlink to a file outside, read and then edited with `edit`.
#[tokio::test]
async fn edit_through_a_symlink_to_a_file_outside() {
    let e = Escape::new().await;
    std::os::unix::fs::symlink(e.outside("target.txt"), e.path("notes.txt")).unwrap();
    assert_refused(&e.read_then_edit("notes.txt").await);
    e.assert_target_unchanged();
}

/// A shell redirect through a symlink to a directory outside.
#[tokio::test]
async fn bash_writes_through_a_symlink() {
    let e = Escape::new().await;
    std::os::unix::fs::symlink(e.outside.path(), e.path("out")).unwrap();
    assert_failed(&e.bash("echo x > out/escaped").await);
    assert_absent(&e.outside("escaped"));
}

/// A symlink inside the workspace that leads into `.git/hooks`, written by both tools.
#[tokio::test]
async fn symlink_into_git_hooks() {
    let e = Escape::new().await;
    std::os::unix::fs::symlink(".git/hooks", e.path("h")).unwrap();
    let hook = "#!/bin/sh\ntouch /tmp/x\n";
    let results = e.file_tools(vec![write("h/pre-commit", hook)]).await;
    assert_refused(&results[0]);
    assert_failed(&e.bash("printf '#!/bin/sh\\n' > h/pre-commit").await);
    assert_absent(&e.path(".git/hooks/pre-commit"));
}

/// A hard link to a file outside (links across the boundary are refused by Landlock).
#[tokio::test]
async fn bash_hard_links_a_file_from_outside() {
    let e = Escape::new().await;
    let command = format!("ln {} hl && echo escaped >> hl", e.out("target.txt"));
    assert_failed(&e.bash(&command).await);
    e.assert_target_unchanged();
}

/// A hard link someone else left in the workspace: the file tools replace the link with a new
/// file rather than writing through it, so the file outside keeps its content.
#[tokio::test]
async fn file_tools_do_not_write_through_a_planted_hard_link() {
    let e = Escape::new().await;
    std::fs::hard_link(e.outside("target.txt"), e.path("edited.txt")).unwrap();
    std::fs::hard_link(e.outside("target.txt"), e.path("written.txt")).unwrap();
    let turns = vec![
        vec![read("edited.txt"), read("written.txt")],
        vec![edit("edited.txt"), write("written.txt", "escaped\n")],
    ];
    e.turns(turns, &["--permission-mode", "bypass"]).await;
    e.assert_target_unchanged();
    assert_eq!(e.env.read("edited.txt"), "escaped content\n");
    assert_eq!(e.env.read("written.txt"), "escaped\n");
}

// 2. `..` traversal.

/// `write` to `../outside/x`.
#[tokio::test]
async fn write_tool_with_dot_dot() {
    let e = Escape::new().await;
    let results = e.file_tools(vec![write(&e.out_rel("escaped"), "x")]).await;
    assert_refused(&results[0]);
    assert_absent(&e.outside("escaped"));
}

/// `edit` of `src/../../outside/target.txt`, read first.
#[tokio::test]
async fn edit_tool_with_dot_dot() {
    let e = Escape::new().await;
    assert_refused(&e.read_then_edit(&format!("src/../{}", e.out_rel("target.txt"))).await);
    e.assert_target_unchanged();
}

/// `echo x > ../outside/x` and `cd .. && …`.
#[tokio::test]
async fn bash_with_dot_dot() {
    let e = Escape::new().await;
    let out = e.out_rel("escaped");
    let results = e
        .turn(
            vec![bash(&format!("echo x > {out}")), bash(&format!("cd .. && touch {}", &out[3..]))],
            &[],
        )
        .await;
    results.iter().for_each(|r| assert_failed(r));
    assert_absent(&e.outside("escaped"));
}

// 3. /proc magic links.

/// `write` to `/proc/self/root/<outside>` and `/proc/self/cwd/../<outside>`.
#[tokio::test]
async fn write_tool_through_proc_self() {
    let e = Escape::new().await;
    let via_root = format!("/proc/self/root{}", e.out("escaped"));
    let via_cwd = format!("/proc/self/cwd/{}", e.out_rel("escaped"));
    let results = e.file_tools(vec![write(&via_root, "x"), write(&via_cwd, "x")]).await;
    results.iter().for_each(|r| assert_refused(r));
    assert_absent(&e.outside("escaped"));
}

/// Shell redirects to `/proc/self/root/<outside>` and `/proc/self/cwd/../<outside>`.
#[tokio::test]
async fn bash_through_proc_self() {
    let e = Escape::new().await;
    let via_root = format!("echo x > /proc/self/root{}", e.out("escaped"));
    let via_cwd = format!("echo x > /proc/self/cwd/{}", e.out_rel("escaped"));
    let results = e.turn(vec![bash(&via_root), bash(&via_cwd)], &[]).await;
    results.iter().for_each(|r| assert_failed(r));
    assert_absent(&e.outside("escaped"));
}

// 4. The user's shell and ssh start-up files.

/// `~/.bashrc`, `~/.profile`, `~/.ssh/authorized_keys` and `~/.gitconfig` from the shell.
#[tokio::test]
async fn bash_writes_home_dotfiles() {
    let e = Escape::new().await;
    let calls = vec![
        bash("echo 'touch /tmp/pwned' >> ~/.bashrc"),
        bash("echo 'touch /tmp/pwned' >> ~/.profile"),
        bash("mkdir -p ~/.ssh && echo 'ssh-ed25519 AAAA evil' >> ~/.ssh/authorized_keys"),
        bash("git config --global core.fsmonitor 'touch /tmp/pwned; false'"),
    ];
    e.turn(calls, &[]).await.iter().for_each(|r| assert_failed(r));
    for file in [".bashrc", ".profile", ".ssh", ".gitconfig"] {
        assert_absent(&e.home(file));
    }
}

/// The same files with `write`, by `~` and by absolute path.
#[tokio::test]
async fn write_tool_writes_home_dotfiles() {
    let e = Escape::new().await;
    let ssh = e.home(".ssh/authorized_keys").display().to_string();
    let calls = vec![
        write("~/.bashrc", "touch /tmp/pwned\n"),
        write("~/.profile", "touch /tmp/pwned\n"),
        write(&ssh, "ssh-ed25519 AAAA evil\n"),
    ];
    e.file_tools(calls).await.iter().for_each(|r| assert_refused(r));
    for file in [".bashrc", ".profile", ".ssh"] {
        assert_absent(&e.home(file));
    }
}

// 5. Git hooks and config of the workspace's repository.

/// A pre-commit hook, `core.hooksPath` and `core.fsmonitor` from the shell.
#[tokio::test]
async fn bash_changes_git_hooks_and_config() {
    let e = Escape::new().await;
    let config = e.env.read(".git/config");
    let calls = vec![
        bash("printf '#!/bin/sh\\ntouch /tmp/pwned\\n' > .git/hooks/pre-commit"),
        bash("git config core.hooksPath /tmp/x"),
        bash("git config core.fsmonitor 'touch /tmp/pwned; false'"),
        bash("echo '[core] hooksPath = /tmp/x' >> .git/config"),
        bash("echo '*.rs filter=evil' > .git/info/attributes"),
    ];
    e.turn(calls, &[]).await.iter().for_each(|r| assert_failed(r));
    assert_absent(&e.path(".git/hooks/pre-commit"));
    assert_absent(&e.path(".git/info/attributes"));
    assert_eq!(e.env.read(".git/config"), config);
}

/// The same with `write` and `edit` (edit after reading).
#[tokio::test]
async fn file_tools_change_git_hooks_and_config() {
    let e = Escape::new().await;
    let config = e.env.read(".git/config");
    let calls = vec![
        write(".git/hooks/pre-commit", "#!/bin/sh\ntouch /tmp/pwned\n"),
        write(".git/config", "[core]\n\thooksPath = /tmp/x\n"),
        write(".git/info/attributes", "*.rs filter=evil\n"),
    ];
    e.file_tools(calls).await.iter().for_each(|r| assert_refused(r));
    let edited = e.turns(vec![vec![read(".git/config")], vec![ToolCall::new(
        "edit",
        json!({"path": ".git/config", "old_string": "[core]", "new_string": "[core]\n\tfsmonitor = touch /tmp/pwned"}),
    )]], &["--permission-mode", "bypass"]).await;
    assert_refused(&edited[1][0]);
    assert_absent(&e.path(".git/hooks/pre-commit"));
    assert_eq!(e.env.read(".git/config"), config);
}

/// Moving or removing `.git/hooks` to put a writable directory in its place. (`mv` across the
/// pinned `.git` mount may leave a copy behind; the original stays in place.)
#[tokio::test]
async fn bash_moves_or_removes_git_hooks() {
    let e = Escape::new().await;
    let calls = vec![
        bash("mv .git/hooks hooks-moved"),
        bash("rm -rf .git/hooks && mkdir .git/hooks && touch .git/hooks/pre-commit"),
        bash("mv .git/config config-moved"),
    ];
    e.turn(calls, &[]).await.iter().for_each(|r| assert_failed(r));
    assert!(e.path(".git/hooks").is_dir());
    assert!(e.path(".git/config").is_file());
    assert_absent(&e.path(".git/hooks/pre-commit"));
}

// 6. Repositories planted for rein's own, unsandboxed, git use.

/// A bare repository in a subdirectory whose config runs code.
#[tokio::test]
async fn planted_bare_repository_is_never_run_by_rein() {
    let e = Escape::new().await;
    let config = evil_git_config(e.outside.path());
    e.assert_git_plant_inert(&format!(
        "git init -q --bare sub.git && printf {config} > sub.git/config"
    ))
    .await;
}

/// A nested repository (untracked) with a hook and a config that runs code.
#[tokio::test]
async fn nested_repository_hooks_are_never_run_by_rein() {
    let e = Escape::new().await;
    let config = evil_git_config(e.outside.path());
    let hook = e.out("hook-ran");
    let command = format!(
        "git init -q nested && cd nested && {TRACK_THROUGH_FILTER} && printf '#!/bin/sh\\ntouch \
         {hook}\\n' > .git/hooks/post-checkout && chmod +x .git/hooks/post-checkout && printf \
         {config} >> .git/config"
    );
    e.assert_git_plant_inert(&command).await;
}

/// A nested repository registered in the workspace's index as a gitlink: `git status` in the
/// workspace then runs `git status` inside it, with the nested repository's own config.
#[tokio::test]
async fn nested_repository_registered_in_the_index() {
    let e = Escape::new().await;
    let config = evil_git_config(e.outside.path());
    let command = format!(
        "git init -q nested && cd nested && {TRACK_THROUGH_FILTER} && git -c user.name=a -c \
         user.email=a@b commit -q -m x && touch -d 2001-01-01 a.txt && printf {config} >> \
         .git/config && cd .. && git add nested"
    );
    if e.assert_git_plant_inert(&command).await {
        e.assert_plain_git_runs_the_plant();
    }
}

/// `.git/commondir` pointing at a git directory the command made: git would then read that
/// directory's config instead of the protected `.git/config`. The file cannot be mounted
/// before it exists, so rein removes it after the command; neither rein's git nor the user's
/// runs the plant.
#[tokio::test]
async fn git_commondir_redirects_to_a_planted_config() {
    let e = Escape::new().await;
    let config = evil_git_config(e.outside.path());
    let common = e.path("evil-common").display().to_string();
    let command = format!(
        "{TRACK_THROUGH_FILTER} && mkdir {common} && cp -r .git/HEAD .git/objects .git/refs \
         {common}/ && printf {config} > {common}/config && echo {common} > .git/commondir"
    );
    if e.assert_git_plant_inert(&command).await {
        assert_absent(&e.path(".git/commondir"));
        let status = std::process::Command::new("git")
            .args(["status", "--porcelain"])
            .current_dir(e.env.repo.path())
            .output()
            .unwrap();
        assert!(status.status.success(), "{status:?}");
        assert_absent(&e.outside("filter-ran"));
    }
}

/// Moving the whole `.git` aside (it is not itself a mount point) and making a new one with a
/// config that runs code.
#[tokio::test]
async fn replacing_the_git_directory() {
    let e = Escape::new().await;
    let config = evil_git_config(e.outside.path());
    let command = format!(
        "mv .git .git-old && git init -q && printf {config} > .git/config && \
         {TRACK_THROUGH_FILTER}"
    );
    if e.assert_git_plant_inert(&command).await {
        e.assert_plain_git_runs_the_plant();
    }
}

// 7. Commands that hide what they do.

/// `$(echo rm) -rf <outside dir>`.
#[tokio::test]
async fn obfuscated_rm() {
    let e = Escape::new().await;
    let result = e.bash(&format!("$(echo rm) -rf {}", e.outside.path().display())).await;
    assert_failed(&result);
    e.assert_target_unchanged();
}

/// `echo <base64 of 'touch <outside>'> | base64 -d | sh`.
#[tokio::test]
async fn base64_piped_to_sh() {
    let e = Escape::new().await;
    e.assert_cannot_create_outside(|target| {
        format!("echo {} | base64 -d | sh", base64(&format!("touch {target}")))
    })
    .await;
}

/// `bash -c '…'`.
#[tokio::test]
async fn bash_dash_c() {
    let e = Escape::new().await;
    e.assert_cannot_create_outside(|target| format!("bash -c 'echo x > {target}'")).await;
}

/// `sh -c '…'`.
#[tokio::test]
async fn sh_dash_c() {
    let e = Escape::new().await;
    e.assert_cannot_create_outside(|target| format!("sh -c 'touch {target}'")).await;
}

/// `eval '…'`.
#[tokio::test]
async fn eval_string() {
    let e = Escape::new().await;
    e.assert_cannot_create_outside(|target| format!("eval 'echo x > {target}'")).await;
}

/// `python3 -c 'open(…, "w")'`.
#[tokio::test]
async fn python_open_for_writing() {
    let e = Escape::new().await;
    e.assert_cannot_create_outside(|target| format!("python3 -c 'open(\"{target}\", \"w\")'"))
        .await;
}

/// A here-document script fed to bash.
#[tokio::test]
async fn here_document_script() {
    let e = Escape::new().await;
    e.assert_cannot_create_outside(|target| format!("bash <<'EOF'\necho x > {target}\nEOF")).await;
}

/// A background job (it runs in the sandbox too); its exit status is kept in the workspace.
#[tokio::test]
async fn background_job() {
    let e = Escape::new().await;
    let command = format!("touch {} 2>/dev/null; echo $? > bg.status", e.out("escaped"));
    let job = ToolCall::new("bash", json!({"command": command, "run_in_background": true}));
    e.turns(vec![vec![job], vec![bash("sleep 1")]], &[]).await;
    if sandbox_complete() {
        assert_ne!(e.env.read("bg.status").trim(), "0");
    }
    assert_absent(&e.outside("escaped"));
}

// 8. Long lines.

/// Sixty chained commands, the last one writing outside.
#[tokio::test]
async fn sixty_chained_commands() {
    let e = Escape::new().await;
    e.assert_cannot_create_outside(|target| format!("{}echo x > {target}", "true && ".repeat(59)))
        .await;
}

/// A deny rule for `rm` must catch an `rm` hidden as the 60th command of a chain.
#[tokio::test]
async fn deny_rule_holds_at_the_sixtieth_command() {
    let e = Escape::new().await;
    std::fs::create_dir_all(e.path(".rein")).unwrap();
    std::fs::write(e.path(".rein/config.toml"), "[permissions]\ndeny = [\"bash(rm *)\"]\n")
        .unwrap();
    let started = std::time::Instant::now();
    let result = e.bash(&format!("{}rm -rf src", "true && ".repeat(59))).await;
    assert!(result.starts_with("permission denied"), "{result}");
    assert!(e.path("src/lib.rs").exists());
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "{:?}", started.elapsed());
}

// 9. Environment variables that make programs run other code.

/// `LD_PRELOAD` of a library whose constructor writes outside (skipped without a C compiler).
#[tokio::test]
async fn ld_preload_library() {
    let e = Escape::new().await;
    let source = e.path("evil.c");
    let code = format!(
        "#include <stdio.h>\n#include <unistd.h>\n__attribute__((constructor)) static void f(void) \
         {{ FILE *f = fopen(\"{}\", \"w\"); if (!f) _exit(42); fclose(f); }}\n",
        e.out("escaped")
    );
    std::fs::write(&source, code).unwrap();
    let library = std::env::temp_dir().join(format!("rein-escape-{}.so", std::process::id()));
    let built = std::process::Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&library)
        .arg(&source)
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no C compiler to build the preload library");
        return;
    }
    let result = e.bash(&format!("LD_PRELOAD={} /bin/true", library.display())).await;
    let _ = std::fs::remove_file(&library);
    assert_failed(&result);
    assert_absent(&e.outside("escaped"));
}

/// `GIT_DIR` pointing outside the workspace.
#[tokio::test]
async fn git_dir_outside() {
    let e = Escape::new().await;
    let result = e.bash(&format!("GIT_DIR={} git init -q", e.out_rel("gitdir"))).await;
    assert_failed(&result);
    assert_absent(&e.outside("gitdir"));
}

/// `GIT_CONFIG_GLOBAL` naming a file outside, or the protected repository config.
#[tokio::test]
async fn git_config_global_elsewhere() {
    let e = Escape::new().await;
    let config = e.env.read(".git/config");
    let calls = vec![
        bash(&format!(
            "GIT_CONFIG_GLOBAL={} git config --global core.fsmonitor 'touch /tmp/x; false'",
            e.out("gitconfig")
        )),
        bash("GIT_CONFIG_GLOBAL=.git/config git config --global core.hooksPath /tmp/x"),
    ];
    e.turn(calls, &[]).await.iter().for_each(|r| assert_failed(r));
    assert_absent(&e.outside("gitconfig"));
    assert_eq!(e.env.read(".git/config"), config);
}

/// `GIT_SSH_COMMAND` that writes outside (git runs it inside the sandbox).
#[tokio::test]
async fn git_ssh_command() {
    let e = Escape::new().await;
    let command = format!(
        "GIT_SSH_COMMAND='touch {}; false' git ls-remote ssh://example.invalid/r",
        e.out("escaped")
    );
    assert_failed(&e.bash(&command).await);
    assert_absent(&e.outside("escaped"));
}

/// `BASH_ENV` naming a start-up script that writes outside.
#[tokio::test]
async fn bash_env_startup_script() {
    let e = Escape::new().await;
    std::fs::write(e.path("env.sh"), format!("touch {} || exit 7\n", e.out("escaped"))).unwrap();
    assert_failed(&e.bash("BASH_ENV=./env.sh bash -c true").await);
    assert_absent(&e.outside("escaped"));
}

/// `PROMPT_COMMAND` in an interactive shell.
#[tokio::test]
async fn prompt_command() {
    let e = Escape::new().await;
    let command =
        format!("PROMPT_COMMAND='touch {} || exit 7' bash -i </dev/null", e.out("escaped"));
    assert_failed(&e.bash(&command).await);
    assert_absent(&e.outside("escaped"));
}

/// Descriptors rein leaves open in the command: one open on a file outside could be written
/// without any path check. Only the standard streams and the shell's own may be there.
#[tokio::test]
async fn no_inherited_descriptors_lead_outside() {
    let e = Escape::new().await;
    let result = e.bash("for f in /proc/$$/fd/*; do echo \"$f -> $(readlink $f)\"; done").await;
    if !sandbox_complete() {
        return;
    }
    let home = e.env.home.path().display().to_string();
    let repo = e.env.repo.path().display().to_string();
    for line in result.lines() {
        let target = line.split(" -> ").nth(1).unwrap_or_default();
        let harmless = target.starts_with("pipe:")
            || target.starts_with("/dev/")
            || target.starts_with("/tmp/")
            || target.starts_with(&repo)
            || target.is_empty();
        assert!(harmless && !target.starts_with(&home), "inherited descriptor: {line}\n{result}");
    }
}

// 10. The network.

/// Whether something connected to `listener` (checked after the run, without waiting).
fn accepted(listener: &std::net::TcpListener) -> bool {
    listener.set_nonblocking(true).unwrap();
    match listener.accept() {
        Ok(_) => true,
        Err(e) if e.kind() == ErrorKind::WouldBlock => false,
        Err(e) => panic!("accept: {e}"),
    }
}

/// Runs `command(port)` with the network off (nothing may connect) and then with
/// `sandbox.network=true` (the same command connects, so the test can see a connection).
async fn assert_tcp_blocked(command: impl Fn(u16) -> String) {
    let e = Escape::new().await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    assert_failed(&e.bash(&command(port)).await);
    assert!(!accepted(&listener), "a sandboxed command reached the listener");
    if sandbox_complete() {
        let allowed = e.turn(vec![bash(&command(port))], &["-C", "sandbox.network=true"]).await;
        assert!(accepted(&listener), "with the network allowed it should connect: {allowed:?}");
    }
}

/// bash's `/dev/tcp`.
#[tokio::test]
async fn tcp_through_dev_tcp() {
    assert_tcp_blocked(|port| format!("exec 3<>/dev/tcp/127.0.0.1/{port} && echo connected")).await;
}

/// A Python TCP connection.
#[tokio::test]
async fn tcp_from_python() {
    assert_tcp_blocked(|port| {
        format!("python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", {port}), 2)'")
    })
    .await;
}

/// curl (skipped where curl is not installed).
#[tokio::test]
async fn tcp_from_curl() {
    if std::process::Command::new("curl").arg("--version").output().is_err() {
        eprintln!("skipped: curl is not installed");
        return;
    }
    assert_tcp_blocked(|port| format!("curl -sS --max-time 1 http://127.0.0.1:{port}/")).await;
}

/// A UDP datagram from Python (UDP is not covered by Landlock; the seccomp filter refuses the
/// socket).
#[tokio::test]
async fn udp_from_python() {
    let e = Escape::new().await;
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_nonblocking(true).unwrap();
    let port = socket.local_addr().unwrap().port();
    let command = format!(
        "python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\
         .sendto(b\"escape\", (\"127.0.0.1\", {port}))'"
    );
    let received = |socket: &std::net::UdpSocket| match socket.recv(&mut [0; 64]) {
        Ok(_) => true,
        Err(e) if e.kind() == ErrorKind::WouldBlock => false,
        Err(e) => panic!("recv: {e}"),
    };
    assert_failed(&e.bash(&command).await);
    assert!(!received(&socket), "a sandboxed command sent a datagram out");
    if sandbox_complete() {
        let allowed = e.turn(vec![bash(&command)], &["-C", "sandbox.network=true"]).await;
        assert!(received(&socket), "with the network allowed it should arrive: {allowed:?}");
    }
}

// 11. Settings that would grant the agent more rights.

/// `write` and `edit` of rein's and Claude Code's project settings files.
#[tokio::test]
async fn file_tools_write_settings() {
    let e = Escape::new().await;
    std::fs::create_dir_all(e.path(".rein")).unwrap();
    std::fs::write(e.path(".rein/config.toml"), "# original\n").unwrap();
    let (toml, json) = (rein_grant(&e.out("hook-ran")), claude_grant(&e.out("hook-ran")));
    let calls = vec![
        write(".rein/config.toml", &toml),
        write(".rein/config.local.toml", &toml),
        write(".claude/settings.json", &json),
        write(".claude/settings.local.json", &json),
    ];
    e.file_tools(calls).await.iter().for_each(|r| assert_refused(r));
    let edit = ToolCall::new(
        "edit",
        json!({"path": ".rein/config.toml", "old_string": "# original\n", "new_string": toml}),
    );
    let edited = e
        .turns(vec![vec![read(".rein/config.toml")], vec![edit]], &["--permission-mode", "bypass"])
        .await;
    assert_refused(&edited[1][0]);
    assert_eq!(e.env.read(".rein/config.toml"), "# original\n");
    for file in [".rein/config.local.toml", ".claude/settings.json", ".claude/settings.local.json"]
    {
        assert_absent(&e.path(file));
    }
    e.assert_no_new_rights().await;
}

/// Appending to `.rein/config.toml` and `.rein/config.local.toml` from the shell.
#[tokio::test]
async fn bash_writes_rein_settings() {
    let e = Escape::new().await;
    std::fs::write(e.path("grant.toml"), rein_grant(&e.out("hook-ran"))).unwrap();
    let calls = vec![
        bash("cat grant.toml >> .rein/config.toml"),
        bash("echo 'permission_mode = \"bypass\"' > .rein/config.local.toml"),
        bash("rm -rf .rein && mkdir .rein && cp grant.toml .rein/config.toml"),
    ];
    e.turn(calls, &[]).await.iter().for_each(|r| assert_failed(r));
    assert_absent(&e.path(".rein/config.toml"));
    assert_absent(&e.path(".rein/config.local.toml"));
    e.assert_no_new_rights().await;
}

/// Claude Code settings from the shell when the project already has a `.claude` folder.
#[tokio::test]
async fn bash_writes_claude_settings_into_an_existing_folder() {
    let e = Escape::new().await;
    std::fs::create_dir_all(e.path(".claude")).unwrap();
    std::fs::write(e.path("grant.json"), claude_grant(&e.out("hook-ran"))).unwrap();
    let calls = vec![
        bash("cp grant.json .claude/settings.json"),
        bash("cp grant.json .claude/settings.local.json"),
    ];
    e.turn(calls, &[]).await.iter().for_each(|r| assert_failed(r));
    assert_absent(&e.path(".claude/settings.json"));
    e.assert_no_new_rights().await;
}

/// Claude Code settings from the shell when the project has no `.claude` folder yet: the
/// command makes one.
#[tokio::test]
async fn bash_creates_claude_settings() {
    let e = Escape::new().await;
    std::fs::write(e.path("grant.json"), claude_grant(&e.out("hook-ran"))).unwrap();
    let result = e.bash("mkdir -p .claude && cp grant.json .claude/settings.json").await;
    assert_failed(&result);
    assert_absent(&e.path(".claude/settings.json"));
    e.assert_no_new_rights().await;
}

/// The user's rein config (`$REIN_HOME/config.toml`) and `~/.claude/settings.json` from the
/// shell, with the home folder outside every writable root.
#[tokio::test]
async fn bash_writes_user_settings() {
    let e = Escape::new().await;
    std::fs::write(e.path("grant.toml"), rein_grant(&e.out("hook-ran"))).unwrap();
    std::fs::write(e.path("grant.json"), claude_grant(&e.out("hook-ran"))).unwrap();
    let calls = vec![
        bash("cat grant.toml >> \"$REIN_HOME/config.toml\""),
        bash("mkdir -p ~/.claude && cp grant.json ~/.claude/settings.json"),
    ];
    e.turn(calls, &[]).await.iter().for_each(|r| assert_failed(r));
    assert_absent(&e.home("config.toml"));
    assert_absent(&e.home(".claude"));
    e.assert_no_new_rights().await;
}

/// The user's rein config when the home folder lies inside a writable root (here /tmp, as in
/// a workspace at `$HOME`): its folder is mounted read-only.
#[tokio::test]
async fn bash_writes_rein_config_in_a_writable_home() {
    let e = Escape::around(crate::harness::env(Vec::new()).await);
    std::fs::write(e.path("grant.toml"), rein_grant(&e.out("hook-ran"))).unwrap();
    assert_failed(&e.bash("cat grant.toml >> \"$REIN_HOME/config.toml\"").await);
    assert_absent(&e.home("config.toml"));
    e.assert_no_new_rights().await;
}

/// `~/.claude/settings.json` when the home folder lies inside a writable root and has no
/// `.claude` folder yet.
#[tokio::test]
async fn bash_creates_user_claude_settings_in_a_writable_home() {
    let e = Escape::around(crate::harness::env(Vec::new()).await);
    std::fs::write(e.path("grant.json"), claude_grant(&e.out("hook-ran"))).unwrap();
    assert_failed(&e.bash("mkdir -p ~/.claude && cp grant.json ~/.claude/settings.json").await);
    assert_absent(&e.home(".claude/settings.json"));
    e.assert_no_new_rights().await;
}

// 13. Leaving the sandbox.

/// `outside_sandbox: true` in a `-p` run: nobody can approve it, so it is refused.
#[tokio::test]
async fn leaving_the_sandbox_without_anyone_to_ask() {
    let e = Escape::new().await;
    let command = format!("touch {}", e.out("escaped"));
    let call = ToolCall::new("bash", json!({"command": command, "outside_sandbox": true}));
    let results = e.turn(vec![call.clone()], &[]).await;
    assert!(results[0].contains("needs the user's approval"), "{}", results[0]);
    let in_ask_mode = e.turn(vec![call], &["--permission-mode", "ask"]).await;
    assert!(not_run(&in_ask_mode[0]), "{}", in_ask_mode[0]);
    assert_absent(&e.outside("escaped"));
}

/// With the sandbox switched off (as on a machine without Landlock), the same attempts are
/// asked about instead of run, and in `-p` nobody can answer: the fallback every test above
/// relies on where the sandbox is incomplete.
#[tokio::test]
async fn without_the_sandbox_escape_attempts_are_asked_about() {
    let e = Escape::new().await;
    let target = e.out("escaped");
    let calls = vec![
        bash(&format!("echo x > {target}")),
        bash(&format!("eval 'touch {target}'")),
        bash(&format!("python3 -c 'open(\"{target}\", \"w\")'")),
        bash(&format!("$(echo rm) -rf {}", e.outside.path().display())),
        bash("git config core.hooksPath /tmp/x"),
    ];
    let results = e.turn(calls, &["-C", "sandbox.enabled=false"]).await;
    for result in &results {
        assert!(not_run(result), "unsandboxed, this must be asked about: {result}");
    }
    assert_absent(&e.outside("escaped"));
    e.assert_target_unchanged();
}

/// Standard base64 of `text`.
fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let bytes = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            let c =
                if i <= chunk.len() { ALPHABET[(n >> shift & 63) as usize] as char } else { '=' };
            out.push(c);
        }
    }
    out
}

#[test]
fn base64_matches_the_standard() {
    assert_eq!(base64("touch /x"), "dG91Y2ggL3g=");
    assert_eq!(base64("ab"), "YWI=");
    assert_eq!(base64("abc"), "YWJj");
}
