//! Keeps a conversation valid for every provider: roles alternate, and every tool call has a
//! result. Applied when a session is loaded, so a transcript cut by a crash or an interrupt
//! can always be continued.

use rein_protocol::{ContentBlock, Message, Role};
use std::collections::HashSet;

/// Result text for a tool call whose result was never recorded.
pub(crate) const NO_RESULT: &str =
    "interrupted: the session ended before this tool call finished; its effects are unknown";

pub(crate) fn normalize(messages: Vec<Message>) -> Vec<Message> {
    let mut out: Vec<Message> = Vec::with_capacity(messages.len());
    for message in messages {
        if message.content.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.role == message.role => last.content.extend(message.content),
            _ => out.push(message),
        }
    }
    let mut index = 0;
    while index < out.len() {
        if out[index].role == Role::Assistant {
            let missing = missing_results(&out[index], out.get(index + 1));
            if !missing.is_empty() {
                let results = missing.into_iter().map(|id| ContentBlock::ToolResult {
                    tool_use_id: id,
                    content: NO_RESULT.to_string(),
                    is_error: true,
                });
                match out.get_mut(index + 1) {
                    // Results must come first in the user message that follows the calls.
                    Some(next) => {
                        let rest = std::mem::take(&mut next.content);
                        next.content = results.chain(rest).collect();
                    }
                    None => out.push(Message { role: Role::User, content: results.collect() }),
                }
            }
        }
        index += 1;
    }
    out
}

fn missing_results(assistant: &Message, next: Option<&Message>) -> Vec<String> {
    let answered: HashSet<&str> = next
        .into_iter()
        .flat_map(|m| &m.content)
        .filter_map(|block| match block {
            ContentBlock::ToolResult { tool_use_id, .. } => Some(tool_use_id.as_str()),
            _ => None,
        })
        .collect();
    assistant
        .tool_uses()
        .filter(|(id, _, _)| !answered.contains(id))
        .map(|(id, _, _)| id.to_string())
        .collect()
}

#[cfg(test)]
#[path = "normalize_tests.rs"]
mod tests;
