//! Prompts typed in earlier conversations, for Up in the editor: one JSON string per line in
//! the data folder, newest last.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Prompts loaded at the start.
const LOADED: usize = 500;

pub(crate) struct PromptHistory {
    path: PathBuf,
}

impl PromptHistory {
    pub(crate) fn new(data_dir: &Path) -> Self {
        Self { path: data_dir.join("prompt-history.jsonl") }
    }

    /// The most recent prompts, oldest first; lines that do not parse are skipped.
    pub(crate) fn load(&self) -> Vec<String> {
        let Ok(text) = std::fs::read_to_string(&self.path) else { return Vec::new() };
        let prompts: Vec<String> =
            text.lines().filter_map(|line| serde_json::from_str(line).ok()).collect();
        let skip = prompts.len().saturating_sub(LOADED);
        prompts.into_iter().skip(skip).collect()
    }

    /// Appends a prompt. Failing to remember a prompt must not disturb the conversation, so
    /// errors are only logged.
    pub(crate) fn append(&self, prompt: &str) {
        let result =
            serde_json::to_string(prompt).map_err(std::io::Error::other).and_then(|line| {
                let mut file =
                    std::fs::OpenOptions::new().create(true).append(true).open(&self.path)?;
                file.write_all(format!("{line}\n").as_bytes())
            });
        if let Err(error) = result {
            tracing::debug!(%error, path = %self.path.display(), "prompt history not saved");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_survive_a_restart_with_newlines_and_bad_lines_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let history = PromptHistory::new(dir.path());
        assert!(history.load().is_empty());
        history.append("first");
        history.append("two\nlines");
        let mut file = std::fs::OpenOptions::new().append(true).open(&history.path).unwrap();
        file.write_all(b"not json\n").unwrap();
        history.append("third");
        assert_eq!(PromptHistory::new(dir.path()).load(), ["first", "two\nlines", "third"]);
    }
}
