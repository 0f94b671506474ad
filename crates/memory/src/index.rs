//! The index file (`MEMORY.md`): one line per topic, loaded into every session, capped so it
//! stays cheap. rein keeps each topic's line in step with its frontmatter; the rest of the
//! file is the user's (and the dream's) to write.

use crate::topic::truncate;

/// Most index lines loaded into a session.
pub const MAX_INDEX_LINES: usize = 200;
/// Most index bytes loaded into a session.
pub const MAX_INDEX_BYTES: usize = 25_000;
/// Fill level (percent of either cap) at which the user and the model are warned.
pub(crate) const WARN_PERCENT: usize = 80;
/// Longest description written into an index line.
const MAX_HOOK_CHARS: usize = 140;

/// The index as loaded into a session: capped text and how full it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedIndex {
    /// What the model sees.
    pub text: String,
    /// Lines in the whole file.
    pub lines: usize,
    /// Bytes in the whole file.
    pub bytes: usize,
    /// Whether the file was cut to fit the caps.
    pub truncated: bool,
}

impl LoadedIndex {
    /// Cuts `text` to the caps: lines first, then bytes back to the last whole line. When
    /// cut, a note tells the model what is missing and what to do.
    pub fn load(text: &str) -> Self {
        let lines = text.lines().count();
        let bytes = text.len();
        let mut kept: String = text.lines().take(MAX_INDEX_LINES).collect::<Vec<_>>().join("\n");
        if kept.len() > MAX_INDEX_BYTES {
            let mut cut = MAX_INDEX_BYTES;
            while !kept.is_char_boundary(cut) {
                cut -= 1;
            }
            let end = kept[..cut].rfind('\n').unwrap_or(0);
            kept.truncate(end);
        }
        let truncated = kept.len() < text.trim_end().len();
        if truncated {
            kept.push_str(&format!(
                "\n\n(The index is {lines} lines / {bytes} bytes, over its cap of \
                 {MAX_INDEX_LINES} lines / {MAX_INDEX_BYTES} bytes; the rest was not loaded. \
                 Keep index lines short and move detail into topic files.)"
            ));
        }
        Self { text: kept, lines, bytes, truncated }
    }

    /// Percent of the tighter cap in use.
    pub fn fill_percent(&self) -> usize {
        (self.lines * 100 / MAX_INDEX_LINES).max(self.bytes * 100 / MAX_INDEX_BYTES)
    }

    /// A warning for the user when the index is nearly or over full.
    pub fn warning(&self) -> Option<String> {
        let percent = self.fill_percent();
        (percent >= WARN_PERCENT).then(|| {
            format!(
                "the memory index is {percent}% full ({} of {MAX_INDEX_LINES} lines, {} of \
                 {MAX_INDEX_BYTES} bytes){}; run `rein dream` to consolidate it",
                self.lines,
                self.bytes,
                if self.truncated { " and only part of it loads" } else { "" }
            )
        })
    }
}

/// The index line of a topic.
pub fn entry_line(name: &str, description: &str) -> String {
    let hook = truncate(description.lines().next().unwrap_or_default().trim(), MAX_HOOK_CHARS);
    if hook.is_empty() {
        format!("- [{name}]({name}.md)")
    } else {
        format!("- [{name}]({name}.md) — {hook}")
    }
}

fn links_to(line: &str, name: &str) -> bool {
    line.contains(&format!("]({name}.md)"))
}

/// `index` with the line of topic `name` replaced by (or, when missing, followed by) its
/// current entry line.
pub(crate) fn upsert(index: &str, name: &str, description: &str) -> String {
    let entry = entry_line(name, description);
    let mut found = false;
    let mut lines: Vec<String> = Vec::new();
    for line in index.lines() {
        if links_to(line, name) {
            if !found {
                lines.push(entry.clone());
                found = true;
            }
        } else {
            lines.push(line.to_string());
        }
    }
    if !found {
        if lines.is_empty() {
            lines.push("# Memory".to_string());
            lines.push(String::new());
        }
        lines.push(entry);
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// `index` without the lines that link to topic `name`.
pub(crate) fn remove(index: &str, name: &str) -> String {
    let mut text: String =
        index.lines().filter(|line| !links_to(line, name)).collect::<Vec<_>>().join("\n");
    text.push('\n');
    text
}

/// Names of topics the index links to (`](name.md)`).
pub(crate) fn linked_names(index: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in index.lines() {
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            rest = &rest[start + 2..];
            if let Some(end) = rest.find(".md)") {
                let name = &rest[..end];
                if crate::topic::valid_name(name) {
                    names.push(name.to_string());
                }
                rest = &rest[end..];
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsert_adds_once_then_replaces_in_place() {
        let index = upsert("", "tests", "how tests run");
        assert_eq!(index, "# Memory\n\n- [tests](tests.md) — how tests run\n");
        let index = format!("{index}Free text the user wrote.\n");
        let index = upsert(&index, "tests", "run make check");
        assert_eq!(
            index,
            "# Memory\n\n- [tests](tests.md) — run make check\nFree text the user wrote.\n"
        );
        let index = upsert(&index, "style", "tabs");
        assert!(index.ends_with("Free text the user wrote.\n- [style](style.md) — tabs\n"));
        assert_eq!(linked_names(&index), vec!["tests", "style"]);
        let index = remove(&index, "tests");
        assert!(!index.contains("tests.md"));
        assert!(index.contains("Free text"));
    }

    #[test]
    fn a_long_description_is_cut_in_the_index() {
        let line = entry_line("x", &"word ".repeat(100));
        assert!(line.chars().count() < 170, "{line}");
        assert!(line.ends_with('…'));
    }

    #[test]
    fn an_index_over_its_caps_loads_cut_with_a_note() {
        let small = LoadedIndex::load("# Memory\n- [a](a.md)\n");
        assert!(!small.truncated);
        assert_eq!(small.warning(), None);

        let long: String = (0..300).map(|i| format!("- [t{i}](t{i}.md) — fact {i}\n")).collect();
        let loaded = LoadedIndex::load(&long);
        assert!(loaded.truncated);
        assert_eq!(loaded.lines, 300);
        assert!(loaded.text.contains("t199.md"));
        assert!(!loaded.text.contains("t200.md"));
        assert!(loaded.text.contains("over its cap"));
        assert!(loaded.warning().unwrap().contains("150% full"));

        let wide: String = (0..150).map(|i| format!("- {i} {}\n", "é".repeat(100))).collect();
        let loaded = LoadedIndex::load(&wide);
        assert!(loaded.truncated);
        assert!(loaded.text.len() < MAX_INDEX_BYTES + 400);
    }
}
