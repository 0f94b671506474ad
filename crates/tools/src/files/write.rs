//! The `write` tool.

use super::atomic::write_atomic;
use crate::blocking::run_blocking;
use crate::context::ToolContext;
use crate::paths::resolve_for_write;
use crate::read_state::{FileStamp, Freshness, hash_bytes};
use crate::text::line_count;
use crate::tool::{ToolOutput, TypedTool};
use schemars::JsonSchema;
use serde::Deserialize;
use std::fs;
use std::io::ErrorKind;
use std::path::Path;

/// Creates or overwrites a file.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteTool;

/// Arguments of `write`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteArgs {
    /// File path inside the workspace, absolute or relative to the working directory.
    path: String,
    /// The complete new content.
    content: String,
}

#[async_trait::async_trait]
impl TypedTool for WriteTool {
    type Args = WriteArgs;
    const NAME: &'static str = "write";
    const DESCRIPTION: &'static str = "Create a file or replace its whole content. Parent \
        directories are created. An existing file must have been read first and be unchanged \
        since. Prefer `edit` for changes to existing files.";
    const READ_ONLY: bool = false;

    async fn call(&self, args: WriteArgs, ctx: &ToolContext) -> ToolOutput {
        let ctx = ctx.clone();
        run_blocking(move || write(&ctx, &args)).await
    }
}

/// Files up to this size come back with the refusal, so the next write can keep what is there.
const SHOW_ON_REFUSAL: u64 = 16 * 1024;

/// Refuses to overwrite a file the session has not seen. A small text file's content comes
/// back with the refusal and counts as read: the model now knows what it would have lost, and
/// its next write can keep it without another round trip.
fn refuse_unread(ctx: &ToolContext, shown: &str, path: &Path, meta: &fs::Metadata) -> ToolOutput {
    let refusal = format!(
        "{shown} already exists and has not been read in this session, so it was not overwritten"
    );
    let content = (meta.len() <= SHOW_ON_REFUSAL)
        .then(|| fs::read(path).ok())
        .flatten()
        .filter(|bytes| !bytes.contains(&0))
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match content {
        Some(text) => {
            ctx.reads().record(path.to_path_buf(), FileStamp::of(meta, text.as_bytes()));
            ToolOutput::error(format!(
                "{refusal}. Its current content follows; write it again with the complete new \
                 content, keeping what should stay.\n{text}"
            ))
        }
        None => ToolOutput::error(format!(
            "{refusal}; read it first so no content you have not seen is lost, then write it"
        )),
    }
}

fn write(ctx: &ToolContext, args: &WriteArgs) -> ToolOutput {
    let shown = args.path.as_str();
    let path = match resolve_for_write(ctx, shown) {
        Ok(p) => p,
        Err(e) => return ToolOutput::error(e),
    };
    let existing = match fs::metadata(&path) {
        Ok(meta) if meta.is_dir() => {
            return ToolOutput::error(format!("{shown} is a directory"));
        }
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return ToolOutput::error(format!("cannot access {shown}: {e}")),
    };
    if let Some(meta) = &existing {
        let freshness =
            ctx.reads().freshness(&path, meta, || fs::read(&path).ok().map(|b| hash_bytes(&b)));
        match freshness {
            Freshness::Fresh => {}
            Freshness::Unread => return refuse_unread(ctx, shown, &path, meta),
            Freshness::Changed => {
                return ToolOutput::error(format!(
                    "{shown} changed since it was read; read it again before overwriting it"
                ));
            }
        }
    } else if let Some(parent) = path.parent()
        && let Err(e) = fs::create_dir_all(parent)
    {
        return ToolOutput::error(format!("cannot create the directories for {shown}: {e}"));
    }
    let bytes = args.content.as_bytes();
    let perms = existing.as_ref().map(fs::Metadata::permissions);
    if let Err(e) = write_atomic(&path, bytes, perms) {
        return ToolOutput::error(format!("cannot write {shown}: {e}"));
    }
    if let Ok(meta) = fs::metadata(&path) {
        ctx.reads().record(path, FileStamp::of(&meta, bytes));
    }
    let verb = if existing.is_some() { "Overwrote" } else { "Created" };
    ToolOutput::ok(format!(
        "{verb} {shown} ({} lines, {} bytes)",
        line_count(&args.content),
        bytes.len()
    ))
}
