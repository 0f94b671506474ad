//! A git worktree of its own for a subagent: it works on a branch without disturbing the main
//! checkout, and the worktree goes away again when nothing was changed.

use std::path::{Path, PathBuf};
use tokio::process::Command;

/// Where subagent worktrees live, inside the project so a sandbox that lets the session write
/// to the project lets the subagent write to its worktree too.
const WORKTREES_DIR: &str = ".rein/worktrees";

/// A worktree made for one subagent.
#[derive(Debug, Clone)]
pub(crate) struct Worktree {
    pub(crate) path: PathBuf,
    pub(crate) branch: String,
    repo: PathBuf,
    base: String,
}

/// What became of a worktree when its subagent finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing changed; the worktree and its branch were removed.
    Removed,
    /// Kept: there are commits on the branch, uncommitted changes, or both.
    Kept { commits: usize, uncommitted: usize },
}

impl Worktree {
    /// Adds a worktree of `repo` at its current `HEAD`, on a new branch named after `id`.
    pub(crate) async fn create(repo: &Path, id: &str) -> Result<Self, String> {
        let base = git(repo, &["rev-parse", "HEAD"]).await.map_err(|error| {
            format!("worktree isolation needs a git repository with a commit: {error}")
        })?;
        let dir = repo.join(WORKTREES_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        // Keeps the worktrees out of the main checkout's `git status`.
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(&ignore, "*\n")
                .map_err(|e| format!("writing {}: {e}", ignore.display()))?;
        }
        let path = dir.join(format!("agent-{id}"));
        let branch = format!("rein/agent-{id}");
        let path_arg = path.to_string_lossy().into_owned();
        git(repo, &["worktree", "add", "--quiet", "-b", &branch, &path_arg, &base]).await?;
        Ok(Self { path, branch, repo: repo.to_path_buf(), base })
    }

    /// Removes the worktree and its branch when the subagent changed nothing; keeps both
    /// otherwise.
    pub(crate) async fn finish(&self) -> Result<Outcome, String> {
        let status = git(&self.path, &["status", "--porcelain", "--untracked-files=all"]).await?;
        let uncommitted = status.lines().filter(|l| !l.trim().is_empty()).count();
        let range = format!("{}..HEAD", self.base);
        let commits = git(&self.path, &["rev-list", "--count", &range]).await?;
        let commits = commits.trim().parse().unwrap_or(0);
        if uncommitted > 0 || commits > 0 {
            return Ok(Outcome::Kept { commits, uncommitted });
        }
        let path_arg = self.path.to_string_lossy().into_owned();
        git(&self.repo, &["worktree", "remove", "--force", &path_arg]).await?;
        git(&self.repo, &["branch", "-D", &self.branch]).await?;
        Ok(Outcome::Removed)
    }
}

/// Runs git in `dir` and returns what it printed, or what went wrong.
async fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| format!("running git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git {} failed: {}", args.join(" "), stderr.trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let ok = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .output()
                .unwrap()
                .status
                .success();
            assert!(ok, "git {args:?}");
        };
        run(&["init", "-q", "-b", "main"]);
        std::fs::write(dir.path().join("a.txt"), "a\n").unwrap();
        run(&["add", "."]);
        run(&["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first"]);
        dir
    }

    #[tokio::test]
    async fn an_untouched_worktree_is_removed_with_its_branch() {
        let repo = repo();
        let tree = Worktree::create(repo.path(), "abc123").await.unwrap();
        assert!(tree.path.join("a.txt").exists());
        assert_eq!(tree.finish().await.unwrap(), Outcome::Removed);
        assert!(!tree.path.exists());
        let branches = git(repo.path(), &["branch", "--list", "rein/*"]).await.unwrap();
        assert_eq!(branches, "");
        let status = git(repo.path(), &["status", "--porcelain"]).await.unwrap();
        assert_eq!(status, "", "the worktrees folder stays out of git status");
    }

    #[tokio::test]
    async fn a_changed_worktree_is_kept() {
        let repo = repo();
        let tree = Worktree::create(repo.path(), "def456").await.unwrap();
        std::fs::write(tree.path.join("b.txt"), "b\n").unwrap();
        assert_eq!(tree.finish().await.unwrap(), Outcome::Kept { commits: 0, uncommitted: 1 });
        assert!(tree.path.join("b.txt").exists());
        assert!(!repo.path().join("b.txt").exists());
    }

    #[tokio::test]
    async fn outside_a_repository_isolation_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let error = Worktree::create(dir.path(), "x").await.unwrap_err();
        assert!(error.contains("needs a git repository"), "{error}");
    }
}
