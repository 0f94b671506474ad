//! Which occurrences of an event a hook group applies to.

use regex::Regex;

/// A compiled `matcher`: a regular expression that must match a whole subject (a tool name,
/// a session source, a compaction trigger, a notification type).
#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    /// `*`, an empty string or no matcher at all.
    All,
    /// Anchored at both ends, so `Edit` does not match `MultiEdit`.
    Pattern(Regex),
}

impl Matcher {
    pub(crate) fn new(pattern: Option<&str>) -> Result<Self, regex::Error> {
        match pattern.map(str::trim) {
            None | Some("" | "*") => Ok(Self::All),
            Some(pattern) => Regex::new(&format!("^(?:{pattern})$")).map(Self::Pattern),
        }
    }

    /// Whether any of `subjects` matches. No subjects means the event has no matcher
    /// field, so every group applies.
    pub(crate) fn matches(&self, subjects: &[&str]) -> bool {
        match self {
            Self::All => true,
            Self::Pattern(_) if subjects.is_empty() => true,
            Self::Pattern(regex) => subjects.iter().any(|subject| regex.is_match(subject)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matchers_are_anchored_regexes_and_empty_means_all() {
        for all in [None, Some(""), Some("*"), Some("  ")] {
            assert!(Matcher::new(all).unwrap().matches(&["anything"]));
        }
        let edit = Matcher::new(Some("Edit")).unwrap();
        assert!(edit.matches(&["Edit", "edit"]));
        assert!(!edit.matches(&["MultiEdit", "multi_edit"]), "a full match is required");
        let either = Matcher::new(Some("Edit|Write")).unwrap();
        assert!(either.matches(&["Write", "write"]));
        assert!(!either.matches(&["Read", "read"]));
        let mcp = Matcher::new(Some("mcp__github__.*")).unwrap();
        assert!(mcp.matches(&["mcp__github__search"]));
        assert!(Matcher::new(Some("Bash(")).is_err());
    }

    #[test]
    fn events_without_a_matcher_field_ignore_the_pattern() {
        assert!(Matcher::new(Some("Bash")).unwrap().matches(&[]));
    }
}
