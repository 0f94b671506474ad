//! A compact view of what an edit changed: changed lines with a little context, numbered.

use crate::text::prefix_chars;
use similar::{ChangeTag, TextDiff};
use std::fmt::Write as _;
use std::time::Duration;

/// Unchanged lines shown around each change.
const CONTEXT: usize = 2;
/// Lines shown in total before the rest is summarised.
const MAX_LINES: usize = 60;
/// Characters shown of one line.
const MAX_LINE_CHARS: usize = 240;

/// Renders the difference between `old` and `new` as numbered lines: `-` for removed lines
/// (old numbering), `+` for added lines and a space for context (new numbering).
pub(crate) fn changed_region(old: &str, new: &str) -> String {
    let diff = TextDiff::configure().timeout(Duration::from_millis(200)).diff_lines(old, new);
    let mut out = String::new();
    let mut shown = 0usize;
    let mut hidden = 0usize;
    for (i, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if i > 0 && shown < MAX_LINES {
            out.push_str("   ...\n");
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let (sign, index) = match change.tag() {
                    ChangeTag::Equal => (' ', change.new_index()),
                    ChangeTag::Delete => ('-', change.old_index()),
                    ChangeTag::Insert => ('+', change.new_index()),
                };
                if shown >= MAX_LINES {
                    if change.tag() != ChangeTag::Equal {
                        hidden += 1;
                    }
                    continue;
                }
                shown += 1;
                let text = change.value().trim_end_matches(['\n', '\r']);
                let (kept, cut) = prefix_chars(text, MAX_LINE_CHARS);
                let _ = write!(out, "{sign}{:>5}\t{kept}", index.map_or(0, |n| n + 1));
                if cut {
                    out.push_str(" [...]");
                }
                out.push('\n');
            }
        }
    }
    if hidden > 0 {
        let _ = writeln!(out, "[{hidden} more changed lines not shown]");
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_changed_lines_with_context_and_numbers() {
        let old = "a\nb\nc\nd\ne\nf\ng\n";
        let new = "a\nb\nc\nD\ne\nf\ng\n";
        assert_eq!(
            changed_region(old, new),
            "     2\tb\n     3\tc\n-    4\td\n+    4\tD\n     5\te\n     6\tf"
        );
    }
}
