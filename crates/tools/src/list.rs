//! The `list` tool: a small tree of a directory.

use crate::blocking::run_blocking;
use crate::context::ToolContext;
use crate::paths::display;
use crate::search::{search_root, walker};
use crate::tool::{ToolOutput, TypedTool};
use schemars::JsonSchema;
use serde::Deserialize;
use std::fmt::Write as _;

/// Lines of the tree at most.
const MAX_ENTRIES: usize = 200;
/// Children shown per subdirectory at most.
const MAX_CHILDREN: usize = 40;

/// Lists a directory two levels deep.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListTool;

/// Arguments of `list`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListArgs {
    /// Directory to list (default: working directory).
    path: Option<String>,
}

#[async_trait::async_trait]
impl TypedTool for ListTool {
    type Args = ListArgs;
    const NAME: &'static str = "list";
    const DESCRIPTION: &'static str = "List a directory two levels deep (directories end with \
        /; .gitignored entries are left out). Use glob to find files by pattern.";
    const READ_ONLY: bool = true;

    async fn call(&self, args: ListArgs, ctx: &ToolContext) -> ToolOutput {
        let ctx = ctx.clone();
        run_blocking(move || list(&ctx, args.path.as_deref())).await
    }
}

struct Node {
    name: String,
    is_dir: bool,
    children: Vec<Node>,
}

fn list(ctx: &ToolContext, path: Option<&str>) -> ToolOutput {
    let root = match search_root(ctx, path) {
        Ok(r) => r,
        Err(e) => return ToolOutput::error(e),
    };
    if !root.is_dir() {
        return ToolOutput::error(format!("{} is a file; use `read` to see it", root.display()));
    }
    let mut top: Vec<Node> = Vec::new();
    let mut builder = walker(&root);
    builder.max_depth(Some(2)).sort_by_file_name(|a, b| a.cmp(b));
    // A sorted sequential walk is depth-first: a directory's children directly follow it.
    for entry in builder.build().flatten() {
        let depth = entry.depth();
        if depth == 0 {
            continue;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir())
            || (entry.path_is_symlink() && entry.path().is_dir());
        let node = Node {
            name: entry.file_name().to_string_lossy().into_owned(),
            is_dir,
            children: Vec::new(),
        };
        match (depth, top.last_mut()) {
            (1, _) => top.push(node),
            (_, Some(parent)) => parent.children.push(node),
            (_, None) => {}
        }
    }
    let cwd = ctx.cwd();
    let header = if root == cwd { ".".to_owned() } else { display(&cwd, &root).into_owned() };
    if top.is_empty() {
        return ToolOutput::ok(format!("{header}/ (empty)"));
    }
    sort(&mut top);
    let mut budget = MAX_ENTRIES.saturating_sub(top.len());
    let mut out = format!("{header}/\n");
    let mut shown = 0usize;
    for node in &mut top {
        if shown >= MAX_ENTRIES {
            break;
        }
        shown += 1;
        push(&mut out, 1, node);
        if node.children.is_empty() {
            continue;
        }
        sort(&mut node.children);
        let take = node.children.len().min(MAX_CHILDREN).min(budget);
        for child in &node.children[..take] {
            push(&mut out, 2, child);
        }
        budget -= take;
        let hidden = node.children.len() - take;
        if hidden > 0 {
            let _ = writeln!(out, "    ... {hidden} more");
        }
    }
    if top.len() > shown {
        let _ = writeln!(out, "  ... {} more entries", top.len() - shown);
    }
    out.pop();
    ToolOutput::ok(out)
}

/// Directories first, then files, each by name.
fn sort(nodes: &mut [Node]) {
    nodes.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.name.cmp(&b.name)));
}

fn push(out: &mut String, depth: usize, node: &Node) {
    for _ in 0..depth {
        out.push_str("  ");
    }
    out.push_str(&node.name);
    if node.is_dir {
        out.push('/');
    }
    out.push('\n');
}
