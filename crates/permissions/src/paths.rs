//! Where a path in a tool call really points, worked out lexically (without touching the disk),
//! so that `src/../.git/config` is judged as `.git/config` and `src/../../etc/passwd` as
//! `/etc/passwd`. Symlinks are not followed: that is the sandbox's job, not the rules'.

use std::path::{Component, Path, PathBuf};

/// A tool-call path resolved against the project root and the home directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResolvedPath {
    /// The absolute, normalised path.
    pub(crate) absolute: PathBuf,
    /// The path relative to the project root, with `/` separators, if it lies inside it
    /// (the root itself is the empty string).
    pub(crate) in_project: Option<String>,
}

/// Resolves `raw` as a tool would: `~/…` under `home`, absolute as is, anything else under
/// `root`. `None` when it cannot be known (`~user/…`, or `~` without a home directory).
pub(crate) fn resolve(raw: &str, root: &Path, home: Option<&Path>) -> Option<ResolvedPath> {
    let joined = if raw == "~" || raw.starts_with("~/") {
        home?.join(raw.trim_start_matches('~').trim_start_matches('/'))
    } else if raw.starts_with('~') {
        return None;
    } else if Path::new(raw).is_absolute() {
        PathBuf::from(raw)
    } else {
        root.join(raw)
    };
    let absolute = normalize(&joined);
    let root = normalize(root);
    let in_project = absolute.strip_prefix(&root).ok().map(slash_separated);
    Some(ResolvedPath { absolute, in_project })
}

/// Removes `.` and resolves `..` against the components before it; `..` above the root of an
/// absolute path stays at the root, as the kernel does.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let popped =
                    matches!(out.components().next_back(), Some(Component::Normal(_))) && out.pop();
                if !popped && !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A relative path as `a/b/c`, with `/` whatever the platform, as globs expect.
pub(crate) fn slash_separated(path: &Path) -> String {
    let mut out = String::new();
    for component in path.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&component.as_os_str().to_string_lossy());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    fn resolve_in_project(raw: &str) -> Option<ResolvedPath> {
        resolve(raw, Path::new("/work/proj"), Some(Path::new("/home/me")))
    }

    #[test]
    fn dot_dot_is_resolved_before_judging() {
        let resolved = resolve_in_project("src/../.git/config").unwrap();
        assert_eq!(resolved.in_project.as_deref(), Some(".git/config"));
        let escaped = resolve_in_project("src/../../../etc/passwd").unwrap();
        assert_eq!(escaped.absolute, PathBuf::from("/etc/passwd"));
        assert_eq!(escaped.in_project, None);
        assert_eq!(normalize(Path::new("/../../x")), PathBuf::from("/x"));
        assert_eq!(normalize(Path::new("a/./b/../../../c")), PathBuf::from("../c"));
    }

    #[test]
    fn home_absolute_and_relative_paths_resolve() {
        let home = resolve_in_project("~/.ssh/id_rsa").unwrap();
        assert_eq!(home.absolute, PathBuf::from("/home/me/.ssh/id_rsa"));
        let absolute = resolve_in_project("/work/proj/src/main.rs").unwrap();
        assert_eq!(absolute.in_project.as_deref(), Some("src/main.rs"));
        assert_eq!(resolve_in_project(".").unwrap().in_project.as_deref(), Some(""));
        assert_eq!(resolve_in_project("~bob/x"), None);
        assert_eq!(resolve("~/x", Path::new("/p"), None), None);
        // A sibling directory that merely shares the root's name as a prefix is outside.
        assert_eq!(resolve_in_project("/work/project2/a").unwrap().in_project, None);
    }
}
