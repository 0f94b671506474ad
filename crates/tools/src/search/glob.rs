//! The `glob` tool: find files by name pattern, newest first.

use super::walk::{search_root, walker};
use crate::blocking::run_blocking;
use crate::context::ToolContext;
use crate::paths::display;
use crate::tool::{ToolOutput, TypedTool};
use globset::GlobBuilder;
use ignore::WalkState;
use schemars::JsonSchema;
use serde::Deserialize;
use std::cmp::Reverse;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// Paths listed at most.
const MAX_RESULTS: usize = 200;

/// Finds files whose path matches a glob pattern.
#[derive(Debug, Clone, Copy, Default)]
pub struct GlobTool;

/// Arguments of `glob`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlobArgs {
    /// Glob such as `**/*.rs` or `src/**/mod.{rs,toml}`; without a `/` it matches file names
    /// at any depth.
    pattern: String,
    /// Directory to search (default: working directory).
    path: Option<String>,
}

#[async_trait::async_trait]
impl TypedTool for GlobTool {
    type Args = GlobArgs;
    const NAME: &'static str = "glob";
    const DESCRIPTION: &'static str = "Find files by glob pattern (e.g. `**/*.ts`, \
        `src/**/test_*.py`). Respects .gitignore. Returns paths, most recently modified first.";
    const READ_ONLY: bool = true;

    async fn call(&self, args: GlobArgs, ctx: &ToolContext) -> ToolOutput {
        let ctx = ctx.clone();
        run_blocking(move || glob(&ctx, &args)).await
    }
}

fn glob(ctx: &ToolContext, args: &GlobArgs) -> ToolOutput {
    let (root, pattern) = match split_root(ctx, args) {
        Ok(found) => found,
        Err(e) => return ToolOutput::error(e),
    };
    if !root.is_dir() {
        return ToolOutput::error(format!("{} is not a directory", root.display()));
    }
    let matcher = match GlobBuilder::new(&pattern).literal_separator(true).build() {
        Ok(g) => g.compile_matcher(),
        Err(e) => return ToolOutput::error(format!("invalid glob pattern {pattern:?}: {e}")),
    };
    let by_name = !pattern.contains('/');
    let found: Mutex<Vec<(Option<SystemTime>, PathBuf)>> = Mutex::new(Vec::new());
    walker(&root).build_parallel().run(|| {
        Box::new(|entry| {
            let Ok(entry) = entry else { return WalkState::Continue };
            if !entry.file_type().is_some_and(|t| t.is_file() || t.is_symlink()) {
                return WalkState::Continue;
            }
            let path = entry.path();
            let candidate: &Path = if by_name {
                Path::new(entry.file_name())
            } else {
                path.strip_prefix(&root).unwrap_or(path)
            };
            if matcher.is_match(candidate) {
                let mtime = entry.metadata().ok().and_then(|m| m.modified().ok());
                if let Ok(mut found) = found.lock() {
                    found.push((mtime, path.to_path_buf()));
                }
            }
            WalkState::Continue
        })
    });
    let mut found = found.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    if found.is_empty() {
        return ToolOutput::ok(format!("No files match {pattern} in {}", root.display()));
    }
    found.sort_unstable_by(|a, b| Reverse(a.0).cmp(&Reverse(b.0)).then_with(|| a.1.cmp(&b.1)));
    let cwd = ctx.cwd();
    let mut out = String::new();
    for (_, path) in found.iter().take(MAX_RESULTS) {
        out.push_str(&display(&cwd, path));
        out.push('\n');
    }
    if found.len() > MAX_RESULTS {
        let _ = write!(
            out,
            "[Showing the {MAX_RESULTS} most recently modified of {} matching files; narrow \
             the pattern or path to see others.]",
            found.len()
        );
    } else {
        out.pop();
    }
    ToolOutput::ok(out)
}

/// The directory to walk and the pattern relative to it. An absolute pattern contributes its
/// literal leading directories to the root.
fn split_root(ctx: &ToolContext, args: &GlobArgs) -> Result<(PathBuf, String), String> {
    let pattern = args.pattern.trim();
    if pattern.is_empty() {
        return Err("pattern is empty".into());
    }
    if pattern.starts_with('/') {
        let mut root = PathBuf::from("/");
        let mut rest = Vec::new();
        for part in pattern.split('/').filter(|p| !p.is_empty()) {
            if rest.is_empty() && !part.contains(['*', '?', '[', '{']) {
                root.push(part);
            } else {
                rest.push(part);
            }
        }
        if rest.is_empty() {
            // The whole pattern is a literal path: match its file name in its directory.
            let name =
                root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            root.pop();
            return Ok((root, name));
        }
        return Ok((root, rest.join("/")));
    }
    let root = search_root(ctx, args.path.as_deref())?;
    Ok((root, pattern.trim_start_matches("./").to_owned()))
}
