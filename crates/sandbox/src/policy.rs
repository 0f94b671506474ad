//! What a sandboxed command may do: the directories it may write, the paths inside them it must
//! not change, and whether it may use the network.

use std::path::{Path, PathBuf};

/// The limits of a sandboxed command. Reading is never limited: the agent reads the whole
/// machine through its own tools anyway, and a sandbox that hides `/usr` breaks every build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxPolicy {
    /// The project the commands work in (also among `writable`).
    pub workspace: PathBuf,
    /// Directories (and files) the command may create, change and remove things in.
    pub writable: Vec<PathBuf>,
    /// Paths inside writable directories that stay read-only: git's hooks and config, rein's
    /// and Claude Code's settings — whatever would let a command run code outside the sandbox
    /// later or grant the agent more rights.
    pub protected: Vec<PathBuf>,
    /// Directories bind-mounted onto themselves, writable: a mount point cannot be renamed
    /// or replaced, so `.git` cannot be swapped for a directory with hooks of the command's
    /// choosing.
    pub pinned: Vec<PathBuf>,
    /// Files that did not exist when the session started and that no command may create
    /// (`.git/commondir` would point git at a config of the command's choosing). A file cannot
    /// be mounted before it exists, so [`crate::Sandbox::sweep`] removes them after a command.
    pub must_stay_absent: Vec<PathBuf>,
    /// Whether the command may open network and Unix sockets.
    pub network: bool,
}

/// Paths under the workspace that only the user may change.
const PROTECTED_IN_WORKSPACE: &[&str] = &[
    ".git/hooks",
    ".git/config",
    ".git/info",
    ".git/modules",
    ".git/worktrees",
    ".rein",
    ".claude",
];

/// Files inside `.git` that redirect git to another config when they appear.
const ABSENT_IN_GIT_DIR: &[&str] = &["commondir"];

/// Directories that must exist so they can be mounted read-only: without them a command could
/// create them (a hook, a settings file that adds hooks or rules) where no protection was set
/// up. Empty directories are invisible to git.
const CREATED_WHEN_MISSING: &[&str] = &[".rein", ".claude"];

impl SandboxPolicy {
    /// The usual policy: write inside `workspace`, the temp directories and `extra_writable`;
    /// git internals and settings folders read-only; network as given.
    ///
    /// `user_dirs` are the user's own settings folders (rein's config dir, `~/.claude`), which
    /// stay read-only should a writable root contain them (a workspace at `$HOME`, say).
    pub fn for_workspace(
        workspace: &Path,
        extra_writable: &[PathBuf],
        user_dirs: &[PathBuf],
        network: bool,
    ) -> Self {
        let mut writable = vec![workspace.to_path_buf()];
        writable.extend(temp_dirs());
        writable.extend(extra_writable.iter().cloned());
        writable.retain(|path| path.exists());
        writable.sort();
        writable.dedup();

        let git_dir = workspace.join(".git");
        let mut missing: Vec<&str> = CREATED_WHEN_MISSING.to_vec();
        // In a linked worktree `.git` is a file naming the real git dir, which lies outside the
        // workspace and is therefore not writable at all.
        if git_dir.is_dir() {
            missing.push(".git/hooks");
        }
        for name in missing {
            // Best effort: a read-only checkout just gets less protection, which `protected`
            // shows by not listing the path.
            let _ = std::fs::create_dir_all(workspace.join(name));
        }
        let mut protected: Vec<PathBuf> = PROTECTED_IN_WORKSPACE
            .iter()
            .map(|name| workspace.join(name))
            .chain(git_dir.is_file().then(|| git_dir.clone()))
            .chain(user_dirs.iter().cloned())
            .filter(|path| path.exists())
            .filter(|path| writable.iter().any(|root| path.starts_with(root)))
            .collect();
        protected.sort();
        protected.dedup();
        let inside_writable = |path: &Path| writable.iter().any(|root| path.starts_with(root));
        let pinned: Vec<PathBuf> = [git_dir.clone()]
            .into_iter()
            .filter(|dir| dir.is_dir() && inside_writable(dir))
            .collect();
        let must_stay_absent = if git_dir.is_dir() {
            ABSENT_IN_GIT_DIR
                .iter()
                .map(|name| git_dir.join(name))
                .filter(|p| !p.exists())
                .collect()
        } else {
            Vec::new()
        };
        Self {
            workspace: workspace.to_path_buf(),
            writable,
            protected,
            pinned,
            must_stay_absent,
            network,
        }
    }

    /// Whether `path` (absolute, symlinks resolved) may be written under this policy.
    pub fn allows_write(&self, path: &Path) -> bool {
        self.writable.iter().any(|root| path.starts_with(root))
            && !self.protected.iter().any(|protected| path.starts_with(protected))
    }
}

/// The temp directories sandboxed commands may write: `/tmp`, `/var/tmp`, `/dev/shm` and
/// `$TMPDIR`, those that exist, symlinks resolved.
pub fn temp_dirs() -> Vec<PathBuf> {
    let mut dirs =
        vec![PathBuf::from("/tmp"), PathBuf::from("/var/tmp"), PathBuf::from("/dev/shm")];
    dirs.push(std::env::temp_dir());
    dirs.into_iter().filter_map(|dir| dir.canonicalize().ok()).collect()
}

/// The first of `candidates` (created if missing, symlinks resolved) that lies outside every
/// temp directory, i.e. that a sandboxed command cannot write unless it is the workspace: where
/// tests put what must stay out of a command's reach.
pub fn first_outside_temp(candidates: &[PathBuf]) -> Option<PathBuf> {
    let temp = temp_dirs();
    candidates.iter().find_map(|candidate| {
        std::fs::create_dir_all(candidate).ok()?;
        let dir = candidate.canonicalize().ok()?;
        (!temp.iter().any(|t| dir.starts_with(t))).then_some(dir)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test setup")]
    use super::*;

    #[test]
    fn git_internals_and_settings_are_protected_inside_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(ws.join(".git")).unwrap();
        std::fs::write(ws.join(".git/config"), "").unwrap();
        let policy = SandboxPolicy::for_workspace(&ws, &[], &[], false);
        assert!(policy.protected.contains(&ws.join(".git/hooks")), "{policy:?}");
        assert!(policy.protected.contains(&ws.join(".git/config")));
        assert!(policy.protected.contains(&ws.join(".rein")));
        assert!(policy.protected.contains(&ws.join(".claude")));
        assert!(ws.join(".git/hooks").is_dir());
        assert!(policy.allows_write(&ws.join("src/main.rs")));
        assert!(policy.allows_write(&ws.join(".git/index")));
        assert!(!policy.allows_write(&ws.join(".git/hooks/pre-commit")));
        assert!(!policy.allows_write(&ws.join(".rein/config.toml")));
        assert!(!policy.allows_write(Path::new("/etc/passwd")));
        assert_eq!(policy.pinned, [ws.join(".git")]);
        assert_eq!(policy.must_stay_absent, [ws.join(".git/commondir")]);
    }

    #[test]
    fn user_settings_inside_a_writable_root_are_protected() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().canonicalize().unwrap();
        let config = home.join(".config/rein");
        std::fs::create_dir_all(&config).unwrap();
        let at_home = SandboxPolicy::for_workspace(&home, &[], std::slice::from_ref(&config), true);
        assert!(at_home.protected.contains(&config));
        assert!(!at_home.allows_write(&config.join("config.toml")));
        let missing = home.join("nowhere");
        let policy = SandboxPolicy::for_workspace(&home, &[], &[missing], true);
        assert!(!policy.protected.iter().any(|p| p.ends_with("nowhere")), "{policy:?}");
    }
}
