//! The block reply format: small models change files by writing a path and the file's whole
//! new content in a fenced code block, and run commands in ```` ```sh ```` blocks — the way they
//! answer coding questions anyway, and far more reliably than JSON tool calls whose arguments
//! hold an escaped copy of a file.
//!
//! Each complete block becomes a call of the `write` tool (`{path, content}`) or the `bash`
//! tool (`{command}`). A block cut off by the token limit is ignored: writing half a file
//! would lose data.

use serde_json::{Value, json};

/// What the model is told about the format, appended to the system message.
pub(crate) const BLOCK_INSTRUCTIONS: &str = "\
How to act:
- To create or change a file, reply with its path on one line, then its complete new content \
in a fenced code block. Keep everything in the file that should stay.
- To run a command (tests, ls, cat, grep), reply with it in a ```sh block. Its output comes \
back to you.
- Your blocks are carried out after your reply; until then nothing has changed.
- When the task is done, reply with a short summary and no code block.";

/// Languages whose blocks are commands to run.
const SHELL_LANGS: &[&str] = &["sh", "bash", "shell", "console", "zsh", "terminal"];
/// Languages whose blocks are never files: calls or data the model is showing.
const NON_FILE_LANGS: &[&str] = &["json", "text", "plaintext", "output", "diff"];

/// One action found in a reply.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BlockCall {
    /// `write` or `bash`.
    pub(crate) name: &'static str,
    /// The tool's arguments.
    pub(crate) arguments: Value,
}

/// A fenced block as written.
struct Fence<'a> {
    lang: &'a str,
    lines: Vec<&'a str>,
    /// The last non-empty line before the fence.
    header: Option<&'a str>,
}

/// The actions in `text`, in order: file blocks become `write` calls when `files` is set,
/// shell blocks `bash` calls when `commands` is set.
pub(crate) fn parse_blocks(text: &str, files: bool, commands: bool) -> Vec<BlockCall> {
    let mut calls = Vec::new();
    for fence in fences(text) {
        let lang = fence.lang.to_ascii_lowercase();
        if SHELL_LANGS.contains(&lang.as_str()) {
            if commands && let Some(command) = shell_command(&fence.lines) {
                calls.push(BlockCall { name: "bash", arguments: json!({ "command": command }) });
            }
        } else if files
            && !NON_FILE_LANGS.contains(&lang.as_str())
            && let Some((path, content)) = file_of(&fence)
        {
            calls.push(BlockCall {
                name: "write",
                arguments: json!({ "path": path, "content": content }),
            });
        }
    }
    calls
}

/// The complete fenced blocks of `text`.
fn fences(text: &str) -> Vec<Fence<'_>> {
    let mut out = Vec::new();
    let mut header: Option<&str> = None;
    let mut open: Option<Fence<'_>> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        let fence_lang =
            trimmed.strip_prefix("```").map(|rest| rest.trim_start_matches('`').trim());
        match (&mut open, fence_lang) {
            (None, Some(lang)) => {
                open = Some(Fence { lang, lines: Vec::new(), header: header.take() });
            }
            (None, None) => {
                if !trimmed.is_empty() {
                    header = Some(trimmed);
                }
            }
            (Some(_), Some("")) => {
                if let Some(fence) = open.take() {
                    out.push(fence);
                }
            }
            (Some(fence), Some(lang)) => {
                // "```python" inside a block: small models sometimes open a block, echo
                // something, write the path and open again. A path on the line before makes
                // it a new file block; what came before it is dropped.
                let header =
                    fence.lines.last().filter(|l| !l.contains(' ')).and_then(|l| path_in(l));
                match header {
                    Some(path) => *fence = Fence { lang, lines: Vec::new(), header: Some(path) },
                    None => fence.lines.push(line),
                }
            }
            (Some(fence), None) => fence.lines.push(line),
        }
    }
    out
}

/// The commands of a shell block. When some lines carry a `$ ` prompt, only those are
/// commands: the rest is output the model imagined.
fn shell_command(lines: &[&str]) -> Option<String> {
    let lines: Vec<&str> =
        lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    let prompted: Vec<&str> = lines.iter().filter_map(|l| l.strip_prefix("$ ")).collect();
    let commands = if prompted.is_empty() { lines } else { prompted };
    (!commands.is_empty()).then(|| commands.join("\n"))
}

/// Whether `text` ends with a complete shell block: the model should stop there and wait for
/// the output rather than imagine it.
pub(crate) fn ends_with_shell_block(text: &str) -> bool {
    let trimmed = text.trim_end();
    if !trimmed.ends_with("```") {
        return false;
    }
    let Some(last) = fences(trimmed).pop() else {
        return false;
    };
    SHELL_LANGS.contains(&last.lang.to_ascii_lowercase().as_str())
        && shell_command(&last.lines).is_some()
}

/// The path and content of a file block: the path comes from the line before the block, or
/// from a first line that is only a comment naming it (`# greeter.py`).
fn file_of(fence: &Fence<'_>) -> Option<(String, String)> {
    let (path, body) = match fence.header.and_then(path_in) {
        Some(path) => (path, &fence.lines[..]),
        None => {
            let (first, rest) = fence.lines.split_first()?;
            (comment_path(first)?, rest)
        }
    };
    let mut content = body.join("\n");
    content.push('\n');
    Some((path.to_string(), content))
}

/// `# src/app.py`, `// main.rs`, `-- schema.sql`, `<!-- index.html -->`.
fn comment_path(line: &str) -> Option<&str> {
    let line = line.trim();
    let inner = ["#", "//", "--", "<!--"]
        .iter()
        .find_map(|marker| line.strip_prefix(marker))?
        .trim_end_matches("-->")
        .trim();
    let path =
        inner.strip_prefix("File:").or_else(|| inner.strip_prefix("file:")).unwrap_or(inner).trim();
    (!path.contains(' ') && looks_like_path(path)).then_some(path)
}

/// The last path-like word of a header line such as `greeter.py`, `**src/lib.rs**`,
/// "Update `greeter.py`:" or "File: a/b.txt".
fn path_in(line: &str) -> Option<&str> {
    line.split_whitespace()
        .rev()
        .map(|w| {
            w.trim_matches(|c: char| {
                matches!(c, '`' | '*' | '"' | '\'' | ':' | ',' | '(' | ')' | '[' | ']')
            })
        })
        .map(|w| w.trim_end_matches('.'))
        .find(|w| looks_like_path(w))
}

fn looks_like_path(word: &str) -> bool {
    if word.is_empty() || word.contains("://") || word.starts_with('-') {
        return false;
    }
    let name = word.rsplit('/').next().unwrap_or(word);
    match name.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=10).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic())
                && name.len() > 3
        }
        // Extension-less names only with a directory part or a well-known name.
        None => word.contains('/') || matches!(name, "Makefile" | "Dockerfile" | "Justfile"),
    }
}

#[cfg(test)]
#[path = "blocks_tests.rs"]
mod tests;
