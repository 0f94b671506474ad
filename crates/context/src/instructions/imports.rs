//! `@path` imports inside instruction files.

use std::path::{Path, PathBuf};

/// The `@path` tokens of `text`, in order, outside fenced code blocks and inline code.
/// A token counts when `@` starts a word and what follows looks like a path (it contains a `/`
/// or a `.`), so e-mail addresses and `@mentions` of people do not.
pub(crate) fn find(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // Odd segments between backticks are inline code.
        for segment in line.split('`').step_by(2) {
            for word in segment.split_whitespace() {
                let Some(path) = word.strip_prefix('@') else {
                    continue;
                };
                let path = path.trim_end_matches(['.', ',', ';', ':', ')', ']']);
                if (path.contains('/') || path.contains('.')) && !found.iter().any(|f| f == path) {
                    found.push(path.to_string());
                }
            }
        }
    }
    found
}

/// Where an import points: `~/x` under the home directory, absolute paths as they are,
/// anything else relative to the importing file's directory.
pub(crate) fn resolve(import: &str, base: &Path, home: Option<&Path>) -> PathBuf {
    if let Some(rest) = import.strip_prefix("~/")
        && let Some(home) = home
    {
        return home.join(rest);
    }
    let path = Path::new(import);
    if path.is_absolute() { path.to_path_buf() } else { base.join(path) }
}
