//! Files named in a prompt, attached to it so the model starts with their content instead of
//! spending a turn (and, for small models, often a wrong guess) reading them.
//!
//! `@path` always attaches. With implicit mentions on (the compact profile for small local
//! models), a bare word that looks like a file name and names a small text file in the
//! workspace attaches too. Attached files count as read.

use rein_protocol::ContentBlock;
use rein_tools::{AttachError, ToolContext, attach_file};

/// Most files attached to one prompt.
const MAX_FILES: usize = 8;
/// Size limit of a file named with `@`.
const MAX_EXPLICIT_BYTES: u64 = 256 * 1024;
/// Size limit of a file named without `@`: only small files are worth attaching unasked.
const MAX_IMPLICIT_BYTES: u64 = 16 * 1024;
/// Characters that wrap a path in prose or markdown and are not part of it.
const LEADING: &[char] = &['"', '\'', '`', '(', '[', '{', '<'];
const TRAILING: &[char] = &['"', '\'', '`', ')', ']', '}', '>', '.', ',', ';', ':', '!', '?'];

/// A path named in a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention<'a> {
    pub(crate) path: &'a str,
    /// Written as `@path`.
    pub(crate) explicit: bool,
}

/// The paths `prompt` names, in order, each once.
pub(crate) fn mentioned_paths(prompt: &str, implicit: bool) -> Vec<Mention<'_>> {
    let mut found: Vec<Mention<'_>> = Vec::new();
    for word in prompt.split_whitespace() {
        let word = word.trim_start_matches(LEADING).trim_end_matches(TRAILING);
        let mention = match word.strip_prefix('@') {
            Some(path) if !path.is_empty() => Mention { path, explicit: true },
            Some(_) => continue,
            None if implicit && looks_like_file_name(word) => {
                Mention { path: word, explicit: false }
            }
            None => continue,
        };
        if !found.iter().any(|m| m.path == mention.path) {
            found.push(mention);
        }
    }
    found
}

/// `src/lib.rs`, `greeter.py`, `Makefile/`… but not `1.5`, `e.g`, URLs or flags.
pub(crate) fn looks_like_file_name(word: &str) -> bool {
    if word.is_empty() || word.starts_with('-') || word.contains("://") {
        return false;
    }
    if word.contains('/') {
        return true;
    }
    match word.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=10).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic())
                && ext.len() + stem.len() > 3
        }
        None => false,
    }
}

/// The attachments for `prompt` as content blocks, and a warning for each `@path` that could
/// not be attached (implicit mentions fail silently: most words that look like file names
/// are not meant as one).
pub(crate) fn attach_mentions(
    ctx: &ToolContext,
    prompt: &str,
    implicit: bool,
) -> (Vec<ContentBlock>, Vec<String>) {
    let mut blocks = Vec::new();
    let mut warnings = Vec::new();
    for mention in mentioned_paths(prompt, implicit) {
        if blocks.len() == MAX_FILES {
            if mention.explicit {
                warnings.push(format!(
                    "{} was not attached: at most {MAX_FILES} files are attached to one prompt",
                    mention.path
                ));
            }
            continue;
        }
        let limit = if mention.explicit { MAX_EXPLICIT_BYTES } else { MAX_IMPLICIT_BYTES };
        match attach_file(ctx, mention.path, limit) {
            Ok(file) => blocks.push(ContentBlock::text(render(&file.path, &file.content))),
            Err(error) if mention.explicit => warnings.push(describe(&error)),
            Err(_) => {}
        }
    }
    (blocks, warnings)
}

fn describe(error: &AttachError) -> String {
    format!("not attached: {error}")
}

/// The path on one line, then the content in a fenced block: the shape models see most in
/// training, and the one the local model's block format asks them to write back. The fence is
/// longer than any backtick run in the content, so markdown files cannot close it early.
pub(crate) fn render(path: &str, content: &str) -> String {
    let newline = if content.ends_with('\n') || content.is_empty() { "" } else { "\n" };
    let longest_run = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    let lang = language_of(path);
    format!("{path}\n{fence}{lang}\n{content}{newline}{fence}")
}

/// Whether `text` is exactly what [`render`] makes of a file: a file name, then its content in
/// the fence `render` picks. A prompt that merely starts with a word and a code block is not.
pub(crate) fn is_rendered_file(text: &str) -> bool {
    let Some((path, rest)) = text.split_once('\n') else {
        return false;
    };
    if !looks_like_file_name(path) {
        return false;
    }
    let Some((_, body)) = rest.split_once('\n') else {
        return false;
    };
    let content = body.rsplit_once('\n').map_or("", |(content, _)| content);
    let content = if content.is_empty() { String::new() } else { format!("{content}\n") };
    render(path, &content) == text || render(path, content.trim_end_matches('\n')) == text
}

/// A fence language for common extensions: it tells the model what it is reading.
fn language_of(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    match ext {
        "py" => "python",
        "rs" => "rust",
        "js" | "mjs" | "cjs" => "javascript",
        "ts" | "tsx" => "typescript",
        "go" => "go",
        "c" | "h" => "c",
        "cc" | "cpp" | "hpp" => "cpp",
        "java" => "java",
        "rb" => "ruby",
        "sh" | "bash" => "sh",
        "md" => "markdown",
        "json" => "json",
        "toml" => "toml",
        "yaml" | "yml" => "yaml",
        "html" => "html",
        "css" => "css",
        "sql" => "sql",
        _ => "",
    }
}

#[cfg(test)]
#[path = "mentions_tests.rs"]
mod tests;
