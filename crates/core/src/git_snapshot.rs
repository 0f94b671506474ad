//! The repository's state at the start of a session, for the environment context: changed
//! files and the latest commits, so the model knows where the work stands without spending a
//! tool call on it.

use rein_sandbox::Sandbox;
use rustix::process::{Pid, Signal, kill_process};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Changed files listed before the rest is only counted.
const MAX_STATUS_LINES: usize = 30;
/// Commits listed.
const RECENT_COMMITS: &str = "5";
/// A git command that takes longer (a huge repository, a network file system) is skipped
/// rather than delaying the session's start.
const GIT_TIMEOUT: Duration = Duration::from_secs(2);

/// The snapshot as lines for the environment block, or `None` when git is missing, slow, or
/// `root` is not a repository.
///
/// The repository may hold what an earlier session's commands planted (a filter in a nested
/// repository's config, say), so with a sandbox git runs inside it, where such code is as
/// contained as the commands that planted it.
pub(crate) fn git_snapshot(root: &Path, sandbox: Option<&Sandbox>) -> Option<String> {
    // Both commands run at once; together they take as long as the slower one.
    let status_args =
        ["status", "--porcelain=v1", "--untracked-files=normal", "--ignore-submodules=all"];
    let status = RunningGit::start(root, &status_args, sandbox);
    let log_args = ["log", "--oneline", "--no-decorate", "-n", RECENT_COMMITS];
    let log = RunningGit::start(root, &log_args, sandbox);
    let deadline = Instant::now() + GIT_TIMEOUT;
    let status = status?.finish(deadline)?;
    let mut text = String::new();
    let changed: Vec<&str> = status.lines().filter(|l| !l.trim().is_empty()).collect();
    if changed.is_empty() {
        text.push_str("git status at session start: clean\n");
    } else {
        text.push_str("git status at session start (porcelain):\n");
        for line in changed.iter().take(MAX_STATUS_LINES) {
            text.push_str(&format!("{line}\n"));
        }
        if changed.len() > MAX_STATUS_LINES {
            text.push_str(&format!("… and {} more\n", changed.len() - MAX_STATUS_LINES));
        }
    }
    // A repository without commits has no log; the status alone is still worth giving.
    if let Some(log) = log.and_then(|log| log.finish(deadline))
        && !log.trim().is_empty()
    {
        text.push_str("recent commits:\n");
        text.push_str(log.trim_end());
        text.push('\n');
    }
    Some(text)
}

/// A git command running in the background, its output collected by a thread so that neither
/// a full pipe nor a polling interval delays it.
struct RunningGit {
    pid: Option<Pid>,
    output: mpsc::Receiver<std::io::Result<Output>>,
}

impl RunningGit {
    /// Starts `git -C root <args>`.
    fn start(root: &Path, args: &[&str], sandbox: Option<&Sandbox>) -> Option<Self> {
        let mut command = Command::new("git");
        command
            // No optional locks: a snapshot must not race the user's own git commands for the
            // index.
            .arg("--no-optional-locks")
            // Files the agent's commands could have written must not make rein run their
            // code: no fsmonitor hook, no repository discovered from a planted bare repo.
            .args(["-c", "core.fsmonitor=false", "-c", "safe.bareRepository=explicit"])
            .arg("-C")
            .arg(root)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(sandbox) = sandbox {
            sandbox.apply_std(&mut command);
        }
        let child = command.spawn().ok()?;
        let pid = i32::try_from(child.id()).ok().and_then(Pid::from_raw);
        let (sender, output) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = sender.send(child.wait_with_output());
        });
        Some(Self { pid, output })
    }

    /// Its standard output if it succeeds by `deadline`; else it is killed and `None`.
    fn finish(self, deadline: Instant) -> Option<String> {
        match self.output.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Ok(output)) if output.status.success() => {
                Some(String::from_utf8_lossy(&output.stdout).into_owned())
            }
            Ok(_) => None,
            Err(_) => {
                // The thread still owns the child, so the pid cannot have been reused yet; it
                // reaps the child once killed.
                if let Some(pid) = self.pid {
                    let _ = kill_process(pid, Signal::KILL);
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "git {args:?}");
    }

    #[test]
    fn snapshot_lists_changes_and_commits() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(git_snapshot(dir.path(), None), None, "not a repository");

        git(dir.path(), &["init", "-q", "-b", "main"]);
        assert_eq!(git_snapshot(dir.path(), None).unwrap(), "git status at session start: clean\n");

        std::fs::write(dir.path().join("a.txt"), "a").unwrap();
        git(dir.path(), &["add", "a.txt"]);
        git(dir.path(), &["commit", "-q", "-m", "add a"]);
        std::fs::write(dir.path().join("a.txt"), "changed").unwrap();
        std::fs::write(dir.path().join("new.txt"), "n").unwrap();
        let snapshot = git_snapshot(dir.path(), None).unwrap();
        assert!(
            snapshot
                .starts_with("git status at session start (porcelain):\n M a.txt\n?? new.txt\n"),
            "{snapshot}"
        );
        assert!(snapshot.contains("recent commits:\n"), "{snapshot}");
        assert!(snapshot.trim_end().ends_with(" add a"), "{snapshot}");
    }

    #[test]
    fn long_status_is_cut_with_a_count() {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q", "-b", "main"]);
        for n in 0..MAX_STATUS_LINES + 4 {
            std::fs::write(dir.path().join(format!("f{n:02}.txt")), "x").unwrap();
        }
        let snapshot = git_snapshot(dir.path(), None).unwrap();
        assert!(snapshot.ends_with("… and 4 more\n"), "{snapshot}");
    }
}
