//! The JSON body of a streaming Messages API request.

use crate::wire;
use rein_protocol::{ContentBlock, Message, ModelRequest, Role, SystemBlock, ToolSpec};
use serde_json::{Map, Value, json};

/// Builds the request body for `POST /v1/messages` with `"stream": true`.
///
/// - System blocks become text blocks; a block marked `cache` gets an ephemeral
///   `cache_control` breakpoint.
/// - With `cache_last_message`, the last block of the last message that can carry a breakpoint
///   gets one (thinking blocks cannot).
/// - Thinking blocks without a signature are dropped: the API rejects them, and they can only
///   come from another provider's reasoning output.
/// - Empty text blocks are dropped (the API rejects them) unless the message would be left
///   without content.
/// - Temperature is not sent while extended thinking is on, because the API only accepts the
///   default temperature then.
pub(crate) fn build(request: &ModelRequest) -> Value {
    let mut body = Map::new();
    body.insert("model".into(), json!(request.model));
    body.insert("max_tokens".into(), json!(request.max_tokens));
    body.insert("stream".into(), json!(true));
    if !request.system.is_empty() {
        body.insert("system".into(), system(&request.system));
    }
    body.insert("messages".into(), messages(&request.messages, request.cache_last_message));
    if !request.tools.is_empty() {
        body.insert("tools".into(), tools(&request.tools));
    }
    match request.thinking_budget {
        Some(budget) => {
            body.insert("thinking".into(), json!({"type": "enabled", "budget_tokens": budget}));
        }
        None => {
            if let Some(temperature) = request.temperature.and_then(wire::temperature) {
                body.insert("temperature".into(), temperature);
            }
        }
    }
    Value::Object(body)
}

fn ephemeral() -> Value {
    json!({"type": "ephemeral"})
}

fn system(blocks: &[SystemBlock]) -> Value {
    let blocks = blocks
        .iter()
        .map(|block| {
            let mut out = Map::new();
            out.insert("type".into(), json!("text"));
            out.insert("text".into(), json!(block.text));
            if block.cache {
                out.insert("cache_control".into(), ephemeral());
            }
            Value::Object(out)
        })
        .collect();
    Value::Array(blocks)
}

fn messages(messages: &[Message], cache_last: bool) -> Value {
    let mut out: Vec<Value> = messages.iter().map(message).collect();
    if cache_last && let Some(last) = out.last_mut() {
        mark_last_cacheable_block(last);
    }
    Value::Array(out)
}

fn message(message: &Message) -> Value {
    let role = match message.role {
        Role::User => "user",
        Role::Assistant => "assistant",
    };
    let mut blocks: Vec<Value> = message.content.iter().filter_map(block).collect();
    let has_content = blocks.iter().any(|b| !is_empty_text(b));
    if has_content {
        blocks.retain(|b| !is_empty_text(b));
    }
    json!({"role": role, "content": blocks})
}

fn block(block: &ContentBlock) -> Option<Value> {
    Some(match block {
        ContentBlock::Text { text } => json!({"type": "text", "text": text}),
        ContentBlock::Thinking { thinking, signature } => {
            let signature = signature.as_deref()?;
            json!({"type": "thinking", "thinking": thinking, "signature": signature})
        }
        ContentBlock::ToolUse { id, name, input } => json!({
            "type": "tool_use",
            "id": id,
            "name": name,
            "input": wire::tool_input_object(input),
        }),
        ContentBlock::ToolResult { tool_use_id, content, is_error } => json!({
            "type": "tool_result",
            "tool_use_id": tool_use_id,
            "content": content,
            "is_error": is_error,
        }),
    })
}

fn is_empty_text(block: &Value) -> bool {
    block["type"] == "text" && block["text"].as_str().is_some_and(str::is_empty)
}

fn mark_last_cacheable_block(message: &mut Value) {
    let Some(blocks) = message["content"].as_array_mut() else {
        return;
    };
    let target = blocks.iter_mut().rev().find(|b| b["type"] != "thinking" && !is_empty_text(b));
    if let Some(Value::Object(block)) = target {
        block.insert("cache_control".into(), ephemeral());
    }
}

fn tools(tools: &[ToolSpec]) -> Value {
    let tools = tools
        .iter()
        .map(|tool| {
            json!({
                "name": tool.name,
                "description": tool.description,
                "input_schema": tool.input_schema,
            })
        })
        .collect();
    Value::Array(tools)
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
