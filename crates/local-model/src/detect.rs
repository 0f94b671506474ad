//! Noticing, while tokens stream in, that the model has started a tool call: that is when the
//! tool grammar takes over, and when streamed text must stop (the call is not prose).

use crate::grammar::CallForm;

const OPEN_TAG: &str = "<tool_call>";

/// Where a call starts in the output, and in which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CallStart {
    /// Byte offset of the call's first character.
    pub(crate) offset: usize,
    /// How the call is wrapped.
    pub(crate) form: CallForm,
}

/// The start of a tool call in `text`, if one has begun. Fences and bare objects count only at
/// the very start of the reply (later ones are usually examples in prose); a `<tool_call>` tag
/// counts anywhere.
pub(crate) fn find_call_start(text: &str) -> Option<CallStart> {
    let offset = text.len() - text.trim_start().len();
    let head = &text[offset..];
    let form = if head.starts_with(OPEN_TAG) {
        Some(CallForm::Tagged)
    } else if head.starts_with('{') || fence_opens_call(head) {
        Some(if head.starts_with('{') { CallForm::Bare } else { CallForm::Fenced })
    } else {
        None
    };
    match form {
        Some(form) => Some(CallStart { offset, form }),
        None => text.find(OPEN_TAG).map(|offset| CallStart { offset, form: CallForm::Tagged }),
    }
}

/// Whether `head` opens a fenced block that holds JSON: ```` ```json ````, or ```` ``` ````
/// followed by whitespace and `{`.
fn fence_opens_call(head: &str) -> bool {
    let Some(rest) = head.strip_prefix("```") else { return false };
    rest.starts_with("json")
        || (rest.starts_with(char::is_whitespace) && rest.trim_start().starts_with('{'))
}

/// Whether the reply so far could still turn into a call start (so its text is held back).
fn may_become_call(text: &str) -> bool {
    let head = text.trim_start();
    if head.is_empty() {
        return true;
    }
    if OPEN_TAG.starts_with(head) || "```json".starts_with(head) {
        return true;
    }
    // "```" then only whitespace: the next character decides.
    head.strip_prefix("```").is_some_and(|rest| rest.trim().is_empty())
}

/// Length of the longest suffix of `text` that is a proper prefix of the tag, so a tag split
/// across tokens is not streamed as text.
fn partial_tag_len(text: &str) -> usize {
    (1..OPEN_TAG.len()).rev().find(|&n| text.ends_with(&OPEN_TAG[..n])).unwrap_or(0)
}

/// Decides which part of the growing reply may be streamed as text.
#[derive(Debug, Default)]
pub(crate) struct TextGate {
    text: String,
    emitted: usize,
    call_seen: bool,
    calls_possible: bool,
}

impl TextGate {
    /// A gate for one reply; without tools on offer nothing is held back.
    pub(crate) fn new(calls_possible: bool) -> Self {
        Self { calls_possible, ..Self::default() }
    }

    /// Adds decoded text and returns what can be shown now.
    pub(crate) fn push(&mut self, piece: &str) -> Option<String> {
        self.text.push_str(piece);
        let end = if self.call_seen {
            return None;
        } else if !self.calls_possible {
            self.text.len()
        } else if let Some(start) = find_call_start(&self.text) {
            self.call_seen = true;
            start.offset
        } else if may_become_call(&self.text) {
            0
        } else {
            self.text.len() - partial_tag_len(&self.text)
        };
        // Trailing whitespace waits for more text: a reply's last line break is never shown,
        // matching the trimmed text of the final answer.
        let end = self.text[..end].trim_end().len();
        self.take(end)
    }

    /// The reply is complete: whatever is left and was held back only because it might have
    /// become a call.
    pub(crate) fn finish(&mut self) -> Option<String> {
        if self.call_seen {
            return None;
        }
        let end = self.text.trim_end().len();
        self.take(end)
    }

    /// The whole reply so far.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    fn take(&mut self, end: usize) -> Option<String> {
        if self.emitted == 0 {
            // The reply's leading whitespace is never shown.
            self.emitted = self.text.len() - self.text.trim_start().len();
        }
        if end <= self.emitted {
            return None;
        }
        let out = self.text[self.emitted..end].to_string();
        self.emitted = end;
        Some(out)
    }
}

#[cfg(test)]
#[path = "detect_tests.rs"]
mod tests;
