//! A whole (non-streamed) `chat.completion` object.

use crate::wire;
use rein_protocol::{ContentBlock, ModelResponse};
use serde_json::{Map, Value, json};

/// Identity shared by every object of one completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CompletionId {
    pub(crate) id: String,
    pub(crate) created: u64,
    pub(crate) model: String,
}

/// The `chat.completion` object for a finished answer.
pub(crate) fn completion(meta: &CompletionId, response: &ModelResponse) -> Value {
    let mut message = Map::new();
    message.insert("role".into(), json!("assistant"));
    let text = wire::text(response);
    let calls: Vec<Value> = response
        .content
        .iter()
        .filter_map(|block| match block {
            ContentBlock::ToolUse { id, name, input } => Some(json!({
                "id": id,
                "type": "function",
                "function": {"name": name, "arguments": wire::arguments_text(input)},
            })),
            _ => None,
        })
        .collect();
    // Content is null only when tool calls carry the message, as in OpenAI's answers.
    let content = if text.is_empty() && !calls.is_empty() { Value::Null } else { json!(text) };
    message.insert("content".into(), content);
    if !calls.is_empty() {
        message.insert("tool_calls".into(), Value::Array(calls));
    }
    let thinking = wire::thinking(response);
    if !thinking.is_empty() {
        message.insert("reasoning_content".into(), json!(thinking));
    }
    json!({
        "id": meta.id,
        "object": "chat.completion",
        "created": meta.created,
        "model": meta.model,
        "choices": [{
            "index": 0,
            "message": Value::Object(message),
            "finish_reason": wire::finish_reason(response),
            "logprobs": null,
        }],
        "usage": wire::usage(&response.usage),
    })
}
