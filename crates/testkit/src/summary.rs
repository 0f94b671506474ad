//! Recognising the summary requests rein sends (when it compacts a conversation, and when it
//! brings its running summary up to date), so a script can answer them with
//! [`Script::summary_reply`](crate::Script::summary_reply) wherever they fall, instead of with
//! the next scripted reply.

use serde_json::Value;

/// Text rein puts in the last user message of a compaction (summary) request.
pub const SUMMARY_MARKER: &str = rein_protocol::markers::COMPACTION_REQUEST;

/// Text rein puts in the request that updates its running summary.
pub const SUMMARY_UPDATE_MARKER: &str = rein_protocol::markers::SUMMARY_UPDATE_REQUEST;

/// Whether `request` asks for a summary: its last message is from the user and one of its
/// text parts contains [`SUMMARY_MARKER`] or [`SUMMARY_UPDATE_MARKER`].
///
/// Both wire formats put text the same way: `content` is a string, or an array whose text
/// parts are `{"type": "text", "text": …}` (Anthropic content blocks, OpenAI content parts).
/// Other parts, tool results in particular, are not searched: a tool that printed rein's
/// source must not turn an ordinary turn into a summary request. OpenAI tool results travel
/// as `tool` messages, so a turn ending in them has no user message last.
pub(crate) fn is_summary_request(request: &Value) -> bool {
    let Some(last) = request.get("messages").and_then(Value::as_array).and_then(|m| m.last())
    else {
        return false;
    };
    if last.get("role").and_then(Value::as_str) != Some("user") {
        return false;
    }
    let asks = |text: &str| text.contains(SUMMARY_MARKER) || text.contains(SUMMARY_UPDATE_MARKER);
    match last.get("content") {
        Some(Value::String(text)) => asks(text),
        Some(Value::Array(parts)) => parts.iter().any(|part| {
            part.get("type").and_then(Value::as_str) == Some("text")
                && part.get("text").and_then(Value::as_str).is_some_and(asks)
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ask() -> String {
        format!("{SUMMARY_MARKER} Write a summary that lets you continue.")
    }

    fn with_last(message: Value) -> Value {
        json!({"model": "m", "messages": [
            {"role": "user", "content": "start"},
            {"role": "assistant", "content": "ok"},
            message,
        ]})
    }

    #[test]
    fn anthropic_text_block_after_tool_results_is_a_summary_request() {
        let request = with_last(json!({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "t1", "content": "output"},
            {"type": "text", "text": ask(), "cache_control": {"type": "ephemeral"}},
        ]}));
        assert!(is_summary_request(&request));
    }

    #[test]
    fn string_content_is_a_summary_request_in_either_format() {
        // OpenAI sends the ask as a plain user message after the `tool` messages.
        let openai = json!({"model": "m", "messages": [
            {"role": "system", "content": "sys"},
            {"role": "assistant", "content": null, "tool_calls": []},
            {"role": "tool", "tool_call_id": "c1", "content": "output"},
            {"role": "user", "content": ask()},
        ]});
        assert!(is_summary_request(&openai));
        let parts =
            with_last(json!({"role": "user", "content": [{"type": "text", "text": ask()}]}));
        assert!(is_summary_request(&parts));
    }

    #[test]
    fn a_running_summary_update_is_a_summary_request() {
        let update = json!({"model": "m", "messages": [
            {"role": "user", "content": format!("<new-messages>…</new-messages>\n{SUMMARY_UPDATE_MARKER}")},
        ]});
        assert!(is_summary_request(&update));
    }

    #[test]
    fn ordinary_requests_are_not() {
        // The marker in an earlier message only.
        let earlier = json!({"messages": [
            {"role": "user", "content": ask()},
            {"role": "assistant", "content": "ok"},
            {"role": "user", "content": "go on"},
        ]});
        assert!(!is_summary_request(&earlier));
        // Inside a tool result: output of a tool, not the harness asking.
        let in_result = with_last(json!({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "t1", "content": ask()},
        ]}));
        assert!(!is_summary_request(&in_result));
        let in_tool_message = with_last(json!({"role": "tool", "content": ask()}));
        assert!(!is_summary_request(&in_tool_message));
        let from_assistant = with_last(json!({"role": "assistant", "content": ask()}));
        assert!(!is_summary_request(&from_assistant));
        assert!(!is_summary_request(&json!({"messages": []})));
        assert!(!is_summary_request(&json!({"messages": "loose"})));
        assert!(!is_summary_request(&json!({})));
        assert!(!is_summary_request(&with_last(json!({"role": "user"}))));
    }
}
