//! Per-tool budgets for results entering the conversation. A result over its tool's budget is
//! saved whole to a file in the session's folder, and the model gets a preview and the path —
//! so one huge command output cannot crowd out the rest of the context, and nothing is lost.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Budget of tools not listed in [`budget_for`], in characters.
pub const DEFAULT_BUDGET: usize = 50_000;
/// Characters of a spilled result shown inline: half from its start, half from its end (where
/// commands print their errors and summaries).
pub const PREVIEW_CHARS: usize = 2_000;

/// The budget of `tool`'s results in characters; `None` for tools whose output is already
/// paged (`read`: spilling it would send the model to read the spill file, and so on).
pub fn budget_for(tool: &str) -> Option<usize> {
    match tool {
        "read" => None,
        // About 5,000 tokens: a long test or build log keeps its start and its end (where the
        // errors and the summary are) in view, and the rest is a grep away in the spill file.
        "grep" | "bash" | "bash_output" => Some(20_000),
        "glob" | "list" | "web_fetch" => Some(100_000),
        _ => Some(DEFAULT_BUDGET),
    }
}

/// Applies budgets, spilling to one folder.
#[derive(Debug, Clone)]
pub struct ResultBudget {
    spill_dir: PathBuf,
}

impl ResultBudget {
    /// Spills go to `spill_dir` (created on first use).
    pub fn new(spill_dir: PathBuf) -> Self {
        Self { spill_dir }
    }

    /// `content` if it fits `tool`'s budget, otherwise a preview and the path of a file that
    /// holds all of it. `call_id` names the file, so applying twice writes once.
    pub fn apply(&self, tool: &str, call_id: &str, content: String) -> String {
        let Some(budget) = budget_for(tool) else {
            return content;
        };
        let chars = content.chars().count();
        if chars <= budget {
            return content;
        }
        let (head, tail) = (head(&content), tail(&content));
        match self.spill(call_id, &content) {
            Ok(path) => format!(
                "[output too large for the conversation: {chars} characters (about {} tokens). \
                 All of it is in {}; page through it with read (offset/limit) or search it \
                 with grep. Its start and end:]\n{head}\n[…]\n{tail}",
                chars.div_ceil(4),
                path.display()
            ),
            Err(error) => {
                tracing::warn!(%error, "could not save a large tool result");
                format!(
                    "[output too large for the conversation: {chars} characters; it could not \
                     be saved ({error}), so only its start and end are shown:]\n{head}\n[…]\n{tail}"
                )
            }
        }
    }

    fn spill(&self, call_id: &str, content: &str) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&self.spill_dir)?;
        let path = self.spill_dir.join(format!("{}.txt", file_safe(call_id)));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => file.write_all(content.as_bytes())?,
            // Already saved by an earlier application to the same call.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        Ok(path)
    }

    /// Where results are spilled.
    pub fn spill_dir(&self) -> &Path {
        &self.spill_dir
    }
}

/// The first half of the preview, cut back to a line break when one is near.
fn head(content: &str) -> &str {
    let end = content.char_indices().nth(PREVIEW_CHARS / 2).map_or(content.len(), |(i, _)| i);
    let head = &content[..end];
    match head.rfind('\n') {
        Some(newline) if newline > end / 2 => &head[..newline],
        _ => head,
    }
}

/// The second half of the preview, starting after a line break when one is near.
fn tail(content: &str) -> &str {
    let trimmed = content.trim_end_matches('\n');
    let start = trimmed.char_indices().rev().nth(PREVIEW_CHARS / 2 - 1).map_or(0, |(i, _)| i);
    let tail = &trimmed[start..];
    match tail.find('\n') {
        Some(newline) if newline < tail.len() / 2 => &tail[newline + 1..],
        _ => tail,
    }
}

/// Call ids come from the model's provider; keep only characters safe in a file name.
fn file_safe(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_results_and_read_pass_through() {
        let dir = tempfile::tempdir().unwrap();
        let budget = ResultBudget::new(dir.path().join("spill"));
        assert_eq!(budget.apply("bash", "c1", "ok".into()), "ok");
        let huge = "x".repeat(500_000);
        assert_eq!(budget.apply("read", "c2", huge.clone()), huge);
        assert!(!dir.path().join("spill").exists());
    }

    #[test]
    fn large_results_spill_once_with_a_preview_cut_at_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let budget = ResultBudget::new(dir.path().join("spill"));
        let output: String = (0..5_000).map(|i| format!("line {i}\n")).collect();
        let shown = budget.apply("grep", "toolu/../01", output.clone());
        let path = dir.path().join("spill").join("toolu____01.txt");
        assert!(shown.contains(&path.display().to_string()), "{shown}");
        assert!(shown.contains("line 0\nline 1\n"));
        assert!(shown.ends_with("\nline 4998\nline 4999"), "{shown}");
        assert!(shown.len() < PREVIEW_CHARS + 400);
        assert!(shown.lines().nth(1).is_some_and(|l| l.starts_with("line ")));
        assert!(shown.contains("[…]\nline "), "the tail starts at a line");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), output);
        // Applying again (a resumed session) finds the file already there.
        assert_eq!(budget.apply("grep", "toolu/../01", output), shown);
    }

    #[test]
    fn unknown_tools_get_the_default_and_multibyte_text_is_cut_safely() {
        let dir = tempfile::tempdir().unwrap();
        let budget = ResultBudget::new(dir.path().to_path_buf());
        let output = "é".repeat(DEFAULT_BUDGET + 1);
        let shown = budget.apply("mcp__x__y", "c", output);
        assert!(shown.starts_with("[output too large"));
        assert_eq!(budget_for("mcp__x__y"), Some(DEFAULT_BUDGET));
    }
}
