//! Small text helpers shared by the tools.

/// The first `max` characters of `s` (a prefix slice, no allocation) and whether it was cut.
pub(crate) fn prefix_chars(s: &str, max: usize) -> (&str, bool) {
    // Fast path: a string of at most `max` bytes has at most `max` chars.
    if s.len() <= max {
        return (s, false);
    }
    match s.char_indices().nth(max) {
        Some((idx, _)) => (&s[..idx], true),
        None => (s, false),
    }
}

/// Cuts `s` to `max` characters in place, appending `note` (with the number of characters
/// dropped) when it was cut.
pub(crate) fn truncate_with_note(s: &mut String, max: usize, note: impl Fn(usize) -> String) {
    let (kept, cut) = prefix_chars(s, max);
    if cut {
        let kept_len = kept.len();
        let dropped = s[kept_len..].chars().count();
        s.truncate(kept_len);
        s.push_str(&note(dropped));
    }
}

/// Number of lines of `s` as an editor counts them (a final newline does not start a line).
pub(crate) fn line_count(s: &str) -> usize {
    if s.is_empty() {
        return 0;
    }
    let newlines = s.bytes().filter(|b| *b == b'\n').count();
    if s.ends_with('\n') { newlines } else { newlines + 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_respect_char_boundaries() {
        assert_eq!(prefix_chars("héllo", 2), ("hé", true));
        assert_eq!(prefix_chars("hé", 2), ("hé", false));
        let mut s = "abcdef".to_owned();
        truncate_with_note(&mut s, 3, |n| format!("[+{n}]"));
        assert_eq!(s, "abc[+3]");
        assert_eq!(line_count(""), 0);
        assert_eq!(line_count("a"), 1);
        assert_eq!(line_count("a\nb\n"), 2);
    }
}
