//! The `read` tool.

use crate::blocking::run_blocking;
use crate::context::ToolContext;
use crate::paths::{absolute, human_size};
use crate::read_state::FileStamp;
use crate::text::prefix_chars;
use crate::tool::{ToolOutput, TypedTool};
use schemars::JsonSchema;
use serde::Deserialize;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Lines shown when no limit is given.
const DEFAULT_LIMIT: usize = 2000;
/// Characters of one line shown before it is cut.
const MAX_LINE_CHARS: usize = 2000;
/// Files larger than this need an explicit range.
const MAX_WHOLE_FILE: u64 = 10 * 1024 * 1024;
/// How much of the start is inspected for NUL bytes.
const BINARY_PROBE: usize = 8 * 1024;

/// Reads a text file with line numbers.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadTool;

/// Arguments of `read`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadArgs {
    /// File path, absolute or relative to the working directory.
    path: String,
    /// First line to show (1-based).
    offset: Option<u64>,
    /// Number of lines to show (default 2000).
    limit: Option<u64>,
}

#[async_trait::async_trait]
impl TypedTool for ReadTool {
    type Args = ReadArgs;
    const NAME: &'static str = "read";
    const DESCRIPTION: &'static str = "Read a text file. Output lines are prefixed with their \
        line number and a tab (the prefix is not part of the file). Shows up to 2000 lines; \
        use offset/limit to page through longer files. Read a file before editing or \
        overwriting it. For directories use `list`.";
    const READ_ONLY: bool = true;

    async fn call(&self, args: ReadArgs, ctx: &ToolContext) -> ToolOutput {
        let ctx = ctx.clone();
        run_blocking(move || read(&ctx, &args)).await
    }
}

fn read(ctx: &ToolContext, args: &ReadArgs) -> ToolOutput {
    let shown = args.path.as_str();
    let path = match fs::canonicalize(absolute(ctx, shown)) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return ToolOutput::error(format!("file not found: {shown}"));
        }
        Err(e) => return ToolOutput::error(format!("cannot read {shown}: {e}")),
    };
    let meta = match fs::metadata(&path) {
        Ok(m) => m,
        Err(e) => return ToolOutput::error(format!("cannot read {shown}: {e}")),
    };
    if meta.is_dir() {
        return ToolOutput::error(format!(
            "{shown} is a directory; use `list` to see its contents"
        ));
    }
    let start = usize::try_from(args.offset.unwrap_or(1).max(1)).unwrap_or(usize::MAX);
    let limit = args.limit.map_or(DEFAULT_LIMIT, |l| usize::try_from(l).unwrap_or(usize::MAX));
    if limit == 0 {
        return ToolOutput::error("limit must be at least 1");
    }
    let ranged = args.offset.is_some() || args.limit.is_some();
    if meta.len() > MAX_WHOLE_FILE {
        if !ranged {
            return ToolOutput::error(format!(
                "{shown} is {} (more than the 10 MB whole-file limit); read a range with \
                 offset/limit, or search it with grep",
                human_size(meta.len())
            ));
        }
        return read_range_streaming(ctx, &path, shown, &meta, start, limit);
    }
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) => return ToolOutput::error(format!("cannot read {shown}: {e}")),
    };
    if is_binary(&bytes) {
        return binary_error(shown, meta.len());
    }
    let text = String::from_utf8_lossy(&bytes);
    let out = render(&text, shown, start, limit);
    ctx.reads().record(path, FileStamp::of(&meta, &bytes));
    ToolOutput::ok(out)
}

fn is_binary(head: &[u8]) -> bool {
    head[..head.len().min(BINARY_PROBE)].contains(&0)
}

fn binary_error(shown: &str, len: u64) -> ToolOutput {
    ToolOutput::error(format!(
        "{shown} is a binary file ({}); it cannot be shown as text",
        human_size(len)
    ))
}

/// Numbers lines `start..start+limit` of `text` and adds a paging note.
fn render(text: &str, shown: &str, start: usize, limit: usize) -> String {
    if text.is_empty() {
        return format!("[{shown} is empty]");
    }
    let mut out = String::with_capacity(text.len().min(256 * 1024) + 64);
    let mut lines = text.lines().enumerate().skip(start - 1);
    let mut last = 0;
    for (idx, line) in lines.by_ref().take(limit) {
        last = idx + 1;
        push_line(&mut out, last, line);
    }
    let remaining = lines.count();
    if last == 0 {
        let total = crate::text::line_count(text);
        return format!("[{shown} has {total} lines; offset {start} is past the end]");
    }
    if remaining > 0 {
        let total = last + remaining;
        let _ = write!(
            out,
            "\n[Showing lines {start}-{last} of {total}. Continue with offset={}.]",
            last + 1
        );
    } else if out.ends_with('\n') {
        out.pop();
    }
    out
}

fn push_line(out: &mut String, number: usize, line: &str) {
    let _ = write!(out, "{number:>6}\t");
    let (kept, cut) = prefix_chars(line, MAX_LINE_CHARS);
    out.push_str(kept);
    if cut {
        let rest = line[kept.len()..].chars().count();
        let _ = write!(out, " [... line cut, {rest} more characters]");
    }
    out.push('\n');
}

/// A range of a file too big to load: stream lines, stamp without a content hash.
fn read_range_streaming(
    ctx: &ToolContext,
    path: &Path,
    shown: &str,
    meta: &fs::Metadata,
    start: usize,
    limit: usize,
) -> ToolOutput {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return ToolOutput::error(format!("cannot read {shown}: {e}")),
    };
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut probe = Vec::with_capacity(BINARY_PROBE);
    if let Err(e) = reader.by_ref().take(BINARY_PROBE as u64).read_to_end(&mut probe) {
        return ToolOutput::error(format!("cannot read {shown}: {e}"));
    }
    if is_binary(&probe) {
        return binary_error(shown, meta.len());
    }
    let mut chained = BufReader::new(probe.as_slice().chain(reader));
    let mut out = String::new();
    let mut buf = Vec::new();
    let mut number = 0usize;
    let mut more = false;
    loop {
        buf.clear();
        match chained.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return ToolOutput::error(format!("cannot read {shown}: {e}")),
        }
        number += 1;
        if number < start {
            continue;
        }
        if number >= start + limit {
            more = true;
            break;
        }
        let line = String::from_utf8_lossy(&buf);
        push_line(&mut out, number, line.trim_end_matches(['\n', '\r']));
    }
    if out.is_empty() {
        return ToolOutput::ok(format!(
            "[{shown} has {number} lines; offset {start} is past the end]"
        ));
    }
    if more {
        let last = start + limit - 1;
        let _ = write!(
            out,
            "\n[Showed lines {start}-{last} of a {} file. Continue with offset={}.]",
            human_size(meta.len()),
            last + 1
        );
    }
    ctx.reads().record(path.to_path_buf(), FileStamp::without_hash(meta));
    ToolOutput::ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_numbered_lines_with_paging_note() {
        let text = "a\nb\r\nc\n";
        assert_eq!(render(text, "f", 1, 2000), "     1\ta\n     2\tb\n     3\tc");
        assert_eq!(
            render(text, "f", 2, 1),
            "     2\tb\n\n[Showing lines 2-2 of 3. Continue with offset=3.]"
        );
        assert_eq!(render(text, "f", 9, 5), "[f has 3 lines; offset 9 is past the end]");
        assert_eq!(render("", "f", 1, 5), "[f is empty]");
    }

    #[test]
    fn cuts_long_lines() {
        let line = "x".repeat(MAX_LINE_CHARS + 5);
        let out = render(&line, "f", 1, 10);
        assert!(out.ends_with(" [... line cut, 5 more characters]"), "{}", &out[out.len() - 50..]);
    }
}
