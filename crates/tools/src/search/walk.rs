//! The directory walk shared by glob, grep and list.

use crate::context::ToolContext;
use crate::paths::absolute;
use ignore::WalkBuilder;
use std::path::{Path, PathBuf};

/// A walker honouring `.gitignore`, `.ignore` and git excludes (even outside a git repository),
/// showing hidden files but never descending into `.git`.
pub(crate) fn walker(root: &Path) -> WalkBuilder {
    let mut builder = WalkBuilder::new(root);
    builder.hidden(false).require_git(false).filter_entry(|entry| entry.file_name() != ".git");
    builder
}

/// The directory or file to search: `path` (relative to the working directory) or the working
/// directory itself.
pub(crate) fn search_root(ctx: &ToolContext, path: Option<&str>) -> Result<PathBuf, String> {
    let Some(raw) = path.filter(|p| !p.trim().is_empty()) else {
        return Ok(ctx.cwd());
    };
    std::fs::canonicalize(absolute(ctx, raw)).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("path not found: {raw}"),
        _ => format!("cannot access {raw}: {e}"),
    })
}
