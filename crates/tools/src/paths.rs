//! Resolving the paths the model writes, and the workspace boundary for writes.

use crate::context::ToolContext;
use std::borrow::Cow;
use std::io;
use std::path::{Component, Path, PathBuf};

/// `raw` as an absolute path: `~` expands to the home directory, relative paths resolve
/// against the session's working directory. Not canonicalised.
pub(crate) fn absolute(ctx: &ToolContext, raw: &str) -> PathBuf {
    let home_rel = if raw == "~" { Some("") } else { raw.strip_prefix("~/") };
    if let Some(rest) = home_rel
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    let path = Path::new(raw);
    if path.is_absolute() { path.to_path_buf() } else { ctx.cwd().join(path) }
}

/// Resolves `raw` for writing: symlinks and `..` of the existing part are resolved by the
/// file system, the part that does not exist yet is normalised lexically. Refuses anything
/// that ends up outside the workspace root.
pub(crate) fn resolve_for_write(ctx: &ToolContext, raw: &str) -> Result<PathBuf, String> {
    if raw.trim().is_empty() {
        return Err("path is empty".into());
    }
    let abs = absolute(ctx, raw);
    let resolved =
        resolve_existing_prefix(&abs).map_err(|e| format!("cannot resolve {raw}: {e}"))?;
    let root = ctx.workspace();
    if resolved.starts_with(root) {
        match protected_part(&resolved) {
            Some(what) => Err(format!(
                "refusing to modify {raw}: it is {what}, which only the user may change (it \
                 could run code outside the agent's control or change what the agent may do). \
                 Ask the user to make this change."
            )),
            None => Ok(resolved),
        }
    } else {
        Err(format!(
            "refusing to modify {raw}: it resolves to {}, which is outside the workspace {}. \
             Only files inside the workspace can be written or edited.",
            resolved.display(),
            root.display()
        ))
    }
}

/// What `path` is, if it is a file no tool may write in any mode: git's hooks, config and
/// info of any repository, and rein's and Claude Code's settings files.
pub(crate) fn protected_part(path: &Path) -> Option<&'static str> {
    let names: Vec<&std::ffi::OsStr> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name),
            _ => None,
        })
        .collect();
    names.windows(2).find_map(|pair| {
        let (dir, entry) = (pair[0].to_str()?, pair[1].to_str()?);
        match (dir, entry) {
            (".git", "hooks" | "config" | "info") => Some("a git repository's hooks or config"),
            (".rein", name) if name.starts_with("config") && name.ends_with(".toml") => {
                Some("a rein settings file")
            }
            (".claude", name) if name.starts_with("settings") && name.ends_with(".json") => {
                Some("a Claude Code settings file")
            }
            _ => None,
        }
    })
}

fn resolve_existing_prefix(abs: &Path) -> io::Result<PathBuf> {
    // Components (innermost first) below the deepest ancestor that exists.
    let mut missing: Vec<Component<'_>> = Vec::new();
    let mut cur = abs;
    let base = loop {
        match std::fs::canonicalize(cur) {
            Ok(canon) => break canon,
            // A component that does not exist cannot be a symlink (a dangling one is replaced,
            // not followed, by the rename that writes the file).
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                match (cur.components().next_back(), cur.parent()) {
                    (Some(last), Some(parent)) => {
                        missing.push(last);
                        cur = parent;
                    }
                    _ => return Err(err),
                }
            }
            Err(err) => return Err(err),
        }
    };
    let mut out = base;
    for component in missing.iter().rev() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => out.push(name),
            _ => {}
        }
    }
    Ok(out)
}

/// `path` as shown to the model: relative to the working directory when inside it.
pub(crate) fn display<'a>(cwd: &Path, path: &'a Path) -> Cow<'a, str> {
    match path.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy(),
        _ => path.to_string_lossy(),
    }
}

/// Human-readable byte size.
pub(crate) fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut size = bytes as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_missing_tails_lexically() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("a")).unwrap();
        let p = resolve_existing_prefix(&root.join("a/new/../b/./c.txt")).unwrap();
        assert_eq!(p, root.join("a/b/c.txt"));
        let p = resolve_existing_prefix(&root.join("a/../../x")).unwrap();
        assert_eq!(p, root.parent().unwrap().join("x"));
        let p = resolve_existing_prefix(&root.join("new/../../y")).unwrap();
        assert_eq!(p, root.parent().unwrap().join("y"));
    }

    #[test]
    fn git_internals_and_settings_files_are_protected_anywhere() {
        for path in [
            "/w/.git/hooks/pre-commit",
            "/w/.git/config",
            "/w/sub/.git/info/attributes",
            "/w/.rein/config.toml",
            "/w/.rein/config.local.toml",
            "/w/.claude/settings.json",
            "/w/pkg/.claude/settings.local.json",
        ] {
            assert!(protected_part(Path::new(path)).is_some(), "{path}");
        }
        for path in ["/w/.git/index", "/w/src/config", "/w/.claude/agents/a.md", "/w/hooks/config"]
        {
            assert_eq!(protected_part(Path::new(path)), None, "{path}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(10), "10 bytes");
        assert_eq!(human_size(2048), "2.0 KB");
        assert_eq!(human_size(11 * 1024 * 1024), "11.0 MB");
    }
}
