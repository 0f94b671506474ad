//! The `edit` and `multi_edit` tools: exact string replacement in a file that was read.

use super::atomic::write_atomic;
use super::snippet::changed_region;
use crate::blocking::run_blocking;
use crate::context::ToolContext;
use crate::paths::resolve_for_write;
use crate::read_state::{FileStamp, Freshness, hash_bytes};
use crate::tool::{ToolOutput, TypedTool};
use schemars::JsonSchema;
use serde::Deserialize;
use std::borrow::Cow;
use std::fs;
use std::io::ErrorKind;

/// Occurrence line numbers listed when `old_string` is ambiguous.
const MAX_LISTED: usize = 5;

/// Replaces one exact string in a file.
#[derive(Debug, Clone, Copy, Default)]
pub struct EditTool;

/// Applies several replacements to one file, all or nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct MultiEditTool;

/// Arguments of `edit`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditArgs {
    /// File path inside the workspace.
    path: String,
    /// Exact text to replace (without line-number prefixes); must be unique unless replace_all.
    old_string: String,
    /// Replacement text.
    new_string: String,
    /// Replace every occurrence (default false).
    #[serde(default)]
    replace_all: bool,
}

/// One replacement of `multi_edit`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Replacement {
    /// Exact text to replace (without line-number prefixes); must be unique unless replace_all.
    old_string: String,
    /// Replacement text.
    new_string: String,
    /// Replace every occurrence (default false).
    #[serde(default)]
    replace_all: bool,
}

/// Arguments of `multi_edit`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MultiEditArgs {
    /// File path inside the workspace.
    path: String,
    /// Replacements applied in order, each to the result of the previous one.
    edits: Vec<Replacement>,
}

#[async_trait::async_trait]
impl TypedTool for EditTool {
    type Args = EditArgs;
    const NAME: &'static str = "edit";
    const DESCRIPTION: &'static str = "Replace an exact string in a file. The file must have been \
        read first and be unchanged since. old_string must match exactly (indentation included, \
        line-number prefixes excluded) and occur once; include a few surrounding lines to make \
        it unique, or set replace_all to change every occurrence.";
    const READ_ONLY: bool = false;

    async fn call(&self, args: EditArgs, ctx: &ToolContext) -> ToolOutput {
        let ctx = ctx.clone();
        let edit = Replacement {
            old_string: args.old_string,
            new_string: args.new_string,
            replace_all: args.replace_all,
        };
        run_blocking(move || apply(&ctx, &args.path, std::slice::from_ref(&edit))).await
    }
}

#[async_trait::async_trait]
impl TypedTool for MultiEditTool {
    type Args = MultiEditArgs;
    const NAME: &'static str = "multi_edit";
    const DESCRIPTION: &'static str = "Make several exact-string replacements in one file, \
        applied in order; if any fails, nothing is written. Same rules as `edit` for each.";
    const READ_ONLY: bool = false;

    async fn call(&self, args: MultiEditArgs, ctx: &ToolContext) -> ToolOutput {
        if args.edits.is_empty() {
            return ToolOutput::error("edits is empty; give at least one replacement");
        }
        let ctx = ctx.clone();
        run_blocking(move || apply(&ctx, &args.path, &args.edits)).await
    }
}

fn apply(ctx: &ToolContext, shown: &str, edits: &[Replacement]) -> ToolOutput {
    let path = match resolve_for_write(ctx, shown) {
        Ok(p) => p,
        Err(e) => return ToolOutput::error(e),
    };
    let (meta, bytes) = match fs::metadata(&path).and_then(|m| Ok((m, fs::read(&path)?))) {
        Ok(found) => found,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return ToolOutput::error(format!(
                "file not found: {shown} (use `write` to create files)"
            ));
        }
        Err(e) if e.kind() == ErrorKind::IsADirectory => {
            return ToolOutput::error(format!("{shown} is a directory"));
        }
        Err(e) => return ToolOutput::error(format!("cannot read {shown}: {e}")),
    };
    match ctx.reads().freshness(&path, &meta, || Some(hash_bytes(&bytes))) {
        Freshness::Fresh => {}
        Freshness::Unread => {
            return ToolOutput::error(format!(
                "{shown} has not been read in this session; read it before editing it"
            ));
        }
        Freshness::Changed => {
            return ToolOutput::error(format!(
                "{shown} changed since it was read; read it again before editing it"
            ));
        }
    }
    let Ok(original) = String::from_utf8(bytes) else {
        return ToolOutput::error(format!(
            "{shown} is not valid UTF-8 text; it cannot be edited by string replacement"
        ));
    };

    let mut current = Cow::Borrowed(original.as_str());
    let mut replaced = 0usize;
    for (i, edit) in edits.iter().enumerate() {
        match replace(&current, edit) {
            Ok((next, count)) => {
                current = Cow::Owned(next);
                replaced += count;
            }
            Err(msg) if edits.len() == 1 => return ToolOutput::error(format!("{msg} in {shown}")),
            Err(msg) => {
                return ToolOutput::error(format!(
                    "edit {} of {} failed: {msg} in {shown}. No changes were written.",
                    i + 1,
                    edits.len()
                ));
            }
        }
    }
    let updated = current.into_owned();
    if let Err(e) = write_atomic(&path, updated.as_bytes(), Some(meta.permissions())) {
        return ToolOutput::error(format!("cannot write {shown}: {e}"));
    }
    if let Ok(meta) = fs::metadata(&path) {
        ctx.reads().record(path, FileStamp::of(&meta, updated.as_bytes()));
    }
    let noun = if replaced == 1 { "replacement" } else { "replacements" };
    ToolOutput::ok(format!(
        "Edited {shown} ({replaced} {noun}):\n{}",
        changed_region(&original, &updated)
    ))
}

/// Applies one replacement to `text`, returning the new text and the number of replacements.
fn replace(text: &str, edit: &Replacement) -> Result<(String, usize), String> {
    if edit.old_string.is_empty() {
        return Err("old_string is empty; to create or overwrite a whole file use `write`".into());
    }
    if edit.old_string == edit.new_string {
        return Err("old_string and new_string are identical; nothing would change".into());
    }
    // The model sees lines without `\r`; match CRLF files by translating its line breaks.
    let crlf = !text.contains(edit.old_string.as_str())
        && edit.old_string.contains('\n')
        && text.contains("\r\n");
    let (old, new) = if crlf {
        (
            Cow::Owned(edit.old_string.replace('\n', "\r\n")),
            Cow::Owned(edit.new_string.replace('\n', "\r\n")),
        )
    } else {
        (Cow::Borrowed(edit.old_string.as_str()), Cow::Borrowed(edit.new_string.as_str()))
    };
    let mut positions = text.match_indices(old.as_ref()).map(|(i, _)| i);
    let Some(first) = positions.next() else {
        return Err(not_found(text, &edit.old_string));
    };
    if edit.replace_all {
        let count = 1 + positions.count();
        return Ok((text.replace(old.as_ref(), &new), count));
    }
    if let Some(second) = positions.next() {
        let rest: Vec<usize> = positions.collect();
        let total = 2 + rest.len();
        let lines: Vec<String> = [first, second]
            .into_iter()
            .chain(rest)
            .take(MAX_LISTED)
            .map(|at| line_of(text, at).to_string())
            .collect();
        let more = if total > MAX_LISTED { ", ..." } else { "" };
        return Err(format!(
            "old_string occurs {total} times (lines {}{more}); add surrounding lines to make it \
             unique, or set replace_all to replace every occurrence",
            lines.join(", ")
        ));
    }
    let mut out = String::with_capacity(text.len() + new.len());
    out.push_str(&text[..first]);
    out.push_str(&new);
    out.push_str(&text[first + old.len()..]);
    Ok((out, 1))
}

fn line_of(text: &str, byte: usize) -> usize {
    1 + text.as_bytes()[..byte].iter().filter(|b| **b == b'\n').count()
}

/// Why `old` was not found, with a hint when the cause is recognisable.
fn not_found(text: &str, old: &str) -> String {
    let mut msg = String::from("old_string was not found");
    if old.lines().all(looks_numbered) {
        msg.push_str(
            " (it seems to include the line-number prefixes of `read` output; leave them out)",
        );
    } else if let Some(line) = loose_match(text, old) {
        msg.push_str(&format!(
            " exactly; a passage differing only in whitespace starts at line {line}. Copy it \
             exactly, indentation included"
        ));
    } else {
        msg.push_str("; read the file again to get its current text");
    }
    msg
}

fn looks_numbered(line: &str) -> bool {
    let trimmed = line.trim_start();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && trimmed.as_bytes().get(digits) == Some(&b'\t')
}

/// The first line where `old` matches when every line is compared with surrounding
/// whitespace ignored.
fn loose_match(text: &str, old: &str) -> Option<usize> {
    let needle: Vec<&str> = old.lines().map(str::trim).collect();
    if needle.iter().all(|l| l.is_empty()) || text.len() > 4 * 1024 * 1024 {
        return None;
    }
    let hay: Vec<&str> = text.lines().map(str::trim).collect();
    hay.windows(needle.len()).position(|w| w == needle.as_slice()).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(old: &str, new: &str, all: bool) -> Replacement {
        Replacement { old_string: old.into(), new_string: new.into(), replace_all: all }
    }

    #[test]
    fn replaces_unique_and_all() {
        assert_eq!(replace("a b c", &rep("b", "x", false)).unwrap(), ("a x c".into(), 1));
        assert_eq!(replace("b b b", &rep("b", "x", true)).unwrap(), ("x x x".into(), 3));
    }

    #[test]
    fn ambiguous_matches_list_lines() {
        let err = replace("x\ny\nx\nx\n", &rep("x", "z", false)).unwrap_err();
        assert!(err.contains("occurs 3 times (lines 1, 3, 4)"), "{err}");
    }

    #[test]
    fn crlf_files_match_lf_strings() {
        let (out, n) = replace("a\r\nb\r\nc\r\n", &rep("a\nb", "A\nB", false)).unwrap();
        assert_eq!((out.as_str(), n), ("A\r\nB\r\nc\r\n", 1));
    }

    #[test]
    fn not_found_hints() {
        let err =
            replace("fn a() {\n    x();\n}\n", &rep("fn a() {\nx();", "y", false)).unwrap_err();
        assert!(err.contains("differing only in whitespace starts at line 1"), "{err}");
        let err = replace("abc\n", &rep("    12\tabc", "y", false)).unwrap_err();
        assert!(err.contains("line-number prefixes"), "{err}");
        assert!(replace("abc", &rep("", "y", false)).unwrap_err().contains("empty"));
        assert!(replace("abc", &rep("a", "a", false)).unwrap_err().contains("identical"));
    }
}
