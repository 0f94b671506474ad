//! Clearing stale tool results: a file read that a later read or edit of the same file
//! superseded, and the output of older tool rounds. The call stays, its result is replaced by
//! a short marker, so the conversation keeps its shape and the model knows to run the tool
//! again if it needs the output.
//!
//! Clearing changes the prompt's prefix, so it runs only when the provider's cache is cold
//! anyway (a long pause), or instead of a compaction when it frees enough room.

use crate::session::Session;
use crate::sink::EventSink;
use rein_protocol::{ContentBlock, Event, Message, Role};
use rein_store::StoreError;
use std::collections::HashMap;

/// Tools whose results can be cleared: their output can be produced again.
const CLEARABLE: &[&str] = &[
    "read",
    "bash",
    "bash_output",
    "grep",
    "glob",
    "list",
    "web_fetch",
    "edit",
    "multi_edit",
    "write",
];
/// Tool rounds at the end of the conversation that are never cleared.
pub(crate) const KEEP_RECENT_ROUNDS: usize = 5;
/// Results shorter than this are not worth clearing.
const MIN_CLEARED_CHARS: usize = 500;
const MARKER: &str =
    "[older tool result cleared to save context; run the tool again if you need it]";

/// What clearing did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Cleared {
    /// Ids of the calls whose results were cleared.
    pub(crate) ids: Vec<String>,
    /// Characters removed.
    pub(crate) chars: usize,
}

/// Clears stale results in `messages`, keeping the last `keep_recent` tool rounds intact.
pub(crate) fn clear_stale(messages: &mut [Message], keep_recent: usize) -> Cleared {
    let calls = calls_by_id(messages);
    let rounds: Vec<usize> = messages
        .iter()
        .enumerate()
        .filter(|(_, m)| m.role == Role::User && has_results(m))
        .map(|(i, _)| i)
        .collect();
    let protected_from = rounds.len().checked_sub(keep_recent).and_then(|i| rounds.get(i)).copied();
    let superseded = superseded_reads(messages, &calls);
    let mut cleared = Cleared::default();
    for (index, message) in messages.iter_mut().enumerate() {
        let old = protected_from.is_some_and(|from| index < from);
        for block in &mut message.content {
            let ContentBlock::ToolResult { tool_use_id, content, .. } = block else { continue };
            let Some((name, _)) = calls.get(tool_use_id.as_str()) else { continue };
            let stale = superseded.contains(tool_use_id) || old;
            if stale && CLEARABLE.contains(&name.as_str()) && content.len() >= MIN_CLEARED_CHARS {
                cleared.chars += content.len();
                cleared.ids.push(tool_use_id.clone());
                *content = MARKER.to_string();
            }
        }
    }
    cleared
}

fn has_results(message: &Message) -> bool {
    message.content.iter().any(|b| matches!(b, ContentBlock::ToolResult { .. }))
}

/// Tool name and `path` argument of every call, by id.
fn calls_by_id(messages: &[Message]) -> HashMap<String, (String, Option<String>)> {
    messages
        .iter()
        .flat_map(Message::tool_uses)
        .map(|(id, name, input)| {
            let path = input.get("path").and_then(serde_json::Value::as_str).map(str::to_string);
            (id.to_string(), (name.to_string(), path))
        })
        .collect()
}

/// Reads of a path that a later call (read, edit or write) of the same path made stale.
fn superseded_reads(
    messages: &[Message],
    calls: &HashMap<String, (String, Option<String>)>,
) -> Vec<String> {
    let mut last_touch: HashMap<&str, usize> = HashMap::new();
    let ordered: Vec<(&str, &str, Option<&str>)> = messages
        .iter()
        .flat_map(Message::tool_uses)
        .filter_map(|(id, _, _)| {
            calls.get(id).map(|(name, path)| (id, name.as_str(), path.as_deref()))
        })
        .collect();
    for (position, (_, _, path)) in ordered.iter().enumerate() {
        if let Some(path) = path {
            last_touch.insert(path, position);
        }
    }
    ordered
        .iter()
        .enumerate()
        .filter(|(position, (_, name, path))| {
            *name == "read"
                && path.is_some_and(|p| last_touch.get(p).is_some_and(|last| last > position))
        })
        .map(|(_, (id, _, _))| id.to_string())
        .collect()
}

/// What clearing stale results would do.
pub(crate) struct StaleClearing {
    messages: Vec<Message>,
    cleared: Cleared,
    /// The conversation's estimated size after the clearing.
    pub(crate) estimate: u64,
    /// It leaves an eighth of the window below the compaction threshold.
    pub(crate) roomy: bool,
}

impl Session {
    /// Clears superseded and old tool results and records what went.
    /// With `only_if_roomy`, the clearing is kept only when it leaves an eighth of the window
    /// below the compaction threshold: a clearing that frees little would break the cache
    /// again a few turns later.
    pub(crate) fn clear_stale_results(
        &mut self,
        only_if_roomy: bool,
        sink: &dyn EventSink,
    ) -> Result<(), StoreError> {
        let Some(clearing) = self.stale_clearing() else {
            return Ok(());
        };
        if only_if_roomy && !clearing.roomy {
            return Ok(());
        }
        let cleared = clearing.cleared;
        self.messages = clearing.messages;
        self.context_tokens = clearing.estimate;
        self.cache_watch.reset();
        let text = format!(
            "cleared {} older tool results ({} characters) from the model's view: {}",
            cleared.ids.len(),
            cleared.chars,
            cleared.ids.join(", ")
        );
        tracing::info!("{text}");
        sink.emit(Event::ResultsCleared {
            results: cleared.ids.len() as u64,
            chars: cleared.chars as u64,
        });
        self.note("cleared_results", text)
    }

    /// The conversation with its stale results cleared, when there are any.
    pub(crate) fn stale_clearing(&self) -> Option<StaleClearing> {
        let mut messages = self.messages.clone();
        let cleared = clear_stale(&mut messages, KEEP_RECENT_ROUNDS);
        if cleared.ids.is_empty() {
            return None;
        }
        let estimate = self.estimate_with(&messages);
        let window = self.context_window();
        let limit = crate::compact::threshold(window, self.config.settings.max_output_tokens);
        Some(StaleClearing { messages, cleared, estimate, roomy: estimate + window / 8 <= limit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round(id: &str, name: &str, path: &str, output: &str) -> [Message; 2] {
        [
            Message {
                role: Role::Assistant,
                content: vec![ContentBlock::ToolUse {
                    id: id.into(),
                    name: name.into(),
                    input: json!({"path": path, "command": "x"}),
                }],
            },
            Message {
                role: Role::User,
                content: vec![ContentBlock::ToolResult {
                    tool_use_id: id.into(),
                    content: output.into(),
                    is_error: false,
                }],
            },
        ]
    }

    fn result(messages: &[Message], id: &str) -> String {
        messages
            .iter()
            .flat_map(|m| &m.content)
            .find_map(|b| match b {
                ContentBlock::ToolResult { tool_use_id, content, .. } if tool_use_id == id => {
                    Some(content.clone())
                }
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn superseded_reads_and_old_rounds_are_cleared_recent_ones_kept() {
        let big = "x".repeat(1_000);
        let mut messages = vec![Message::user_text("task")];
        messages.extend(round("r1", "read", "a.rs", &big));
        messages.extend(round("b1", "bash", "", &big));
        messages.extend(round("e1", "edit", "a.rs", "Edited a.rs"));
        messages.extend(round("r2", "read", "a.rs", &big));
        messages.extend(round("t1", "todo", "", &big));
        messages.extend(round("small", "bash", "", "ok"));
        let cleared = clear_stale(&mut messages, 3);
        assert_eq!(cleared.ids, ["r1", "b1"]);
        assert_eq!(cleared.chars, 2_000);
        assert_eq!(result(&messages, "r1"), MARKER);
        assert_eq!(result(&messages, "b1"), MARKER);
        assert_eq!(result(&messages, "r2"), big, "the latest read of a file stays");
        assert_eq!(result(&messages, "t1"), big, "todo results are not clearable");
        // Idempotent.
        assert_eq!(clear_stale(&mut messages, 3), Cleared::default());
    }

    #[test]
    fn a_read_superseded_inside_the_recent_rounds_is_cleared_too() {
        let big = "y".repeat(600);
        let mut messages = vec![Message::user_text("task")];
        messages.extend(round("r1", "read", "b.rs", &big));
        messages.extend(round("w1", "write", "b.rs", "Wrote b.rs"));
        let cleared = clear_stale(&mut messages, 5);
        assert_eq!(cleared.ids, ["r1"]);
    }
}
