//! From a Chat Completions request to rein's [`ModelRequest`].
//!
//! - `system` and `developer` messages become system blocks, in order.
//! - An assistant message's `tool_calls` become tool-use blocks with parsed arguments.
//! - `tool` messages become tool-result blocks in a user message.
//! - Consecutive messages of the same role are merged, since rein's conversation alternates.
//! - `tool_choice: "none"` withholds the tools; other choices are left to the model.

use crate::error::ApiError;
use crate::request::{ChatRequest, WireContent, WireMessage, WireTool, WireToolCall};
use rein_protocol::{ContentBlock, Message, ModelRequest, Role, SystemBlock, ToolSpec};
use serde_json::{Map, Value, json};

/// Output limit when the client names none.
pub(crate) const DEFAULT_MAX_TOKENS: u32 = 4096;

/// Builds the provider request for `model`, or says what is wrong with the client's.
pub(crate) fn to_model_request(
    request: ChatRequest,
    model: &str,
) -> Result<ModelRequest, ApiError> {
    if request.n.is_some_and(|n| n != 1) {
        return Err(ApiError::invalid("only one choice (n = 1) is supported"));
    }
    let max_tokens =
        request.max_completion_tokens.or(request.max_tokens).unwrap_or(DEFAULT_MAX_TOKENS);
    if max_tokens == 0 {
        return Err(ApiError::invalid("max_tokens must be at least 1"));
    }
    if request.temperature.is_some_and(|t| !t.is_finite() || t < 0.0) {
        return Err(ApiError::invalid("temperature must be a number of at least 0"));
    }
    let tools_off = request.tool_choice.as_ref().and_then(Value::as_str) == Some("none");
    let tools = match request.tools {
        Some(tools) if !tools_off => tools.into_iter().map(tool_spec).collect::<Result<_, _>>()?,
        _ => Vec::new(),
    };
    let (system, messages) = conversation(request.messages)?;
    Ok(ModelRequest {
        model: model.to_string(),
        system,
        messages,
        tools,
        max_tokens,
        temperature: request.temperature,
        thinking_budget: None,
        cache_last_message: false,
    })
}

fn conversation(wire: Vec<WireMessage>) -> Result<(Vec<SystemBlock>, Vec<Message>), ApiError> {
    let mut system = Vec::new();
    let mut messages: Vec<Message> = Vec::new();
    for (position, message) in wire.into_iter().enumerate() {
        match message {
            WireMessage::System { content } | WireMessage::Developer { content } => {
                let text = text_of(content)?;
                if !text.is_empty() {
                    system.push(SystemBlock { text, cache: false });
                }
            }
            WireMessage::User { content } => {
                let text = text_of(content)?;
                push(&mut messages, Role::User, text_block(text));
            }
            WireMessage::Assistant { content, tool_calls } => {
                let mut blocks = match content {
                    Some(content) => text_block(text_of(content)?),
                    None => Vec::new(),
                };
                for (index, call) in tool_calls.unwrap_or_default().into_iter().enumerate() {
                    blocks.push(tool_use(position, index, call));
                }
                push(&mut messages, Role::Assistant, blocks);
            }
            WireMessage::Tool { tool_call_id, content } => {
                let result = ContentBlock::ToolResult {
                    tool_use_id: tool_call_id,
                    content: text_of(content)?,
                    is_error: false,
                };
                push(&mut messages, Role::User, vec![result]);
            }
        }
    }
    if messages.is_empty() {
        return Err(ApiError::invalid("messages must include at least one user message"));
    }
    Ok((system, messages))
}

/// Appends blocks, merging into the last message when it has the same role.
fn push(messages: &mut Vec<Message>, role: Role, blocks: Vec<ContentBlock>) {
    if blocks.is_empty() {
        return;
    }
    match messages.last_mut() {
        Some(last) if last.role == role => last.content.extend(blocks),
        _ => messages.push(Message { role, content: blocks }),
    }
}

fn text_block(text: String) -> Vec<ContentBlock> {
    if text.is_empty() { Vec::new() } else { vec![ContentBlock::Text { text }] }
}

/// The text of string or part-list content; parts other than text are refused rather than
/// silently dropped, so the client knows the model never saw them.
fn text_of(content: WireContent) -> Result<String, ApiError> {
    match content {
        WireContent::Text(text) => Ok(text),
        WireContent::Parts(parts) => {
            let mut out = String::new();
            for part in parts {
                if part.kind != "text" {
                    return Err(ApiError::invalid(format!(
                        "content parts of type `{}` are not supported; only text is",
                        part.kind
                    )));
                }
                out.push_str(part.text.as_deref().unwrap_or_default());
            }
            Ok(out)
        }
    }
}

/// A call without an id gets one from its place in the conversation, unique within it.
fn tool_use(position: usize, index: usize, call: WireToolCall) -> ContentBlock {
    let id =
        call.id.filter(|id| !id.is_empty()).unwrap_or_else(|| format!("call_{position}_{index}"));
    let input = match call.function.arguments {
        Value::String(text) => parse_arguments(&text),
        Value::Null => Value::Object(Map::new()),
        other => other,
    };
    ContentBlock::ToolUse { id, name: call.function.name, input }
}

/// Arguments text as rein keeps it: empty means `{}`, an object is parsed, anything else is
/// kept verbatim as a string so nothing the model wrote is lost.
pub(crate) fn parse_arguments(text: &str) -> Value {
    if text.trim().is_empty() {
        return Value::Object(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value @ Value::Object(_)) => value,
        _ => Value::String(text.to_string()),
    }
}

fn tool_spec(tool: WireTool) -> Result<ToolSpec, ApiError> {
    let function = match (tool.kind.as_str(), tool.function) {
        ("function", Some(function)) => function,
        ("function", None) => return Err(ApiError::invalid("a function tool needs `function`")),
        (kind, _) => {
            return Err(ApiError::invalid(format!(
                "tools of type `{kind}` are not supported; only `function` is"
            )));
        }
    };
    Ok(ToolSpec {
        name: function.name,
        description: function.description.unwrap_or_default(),
        input_schema: function
            .parameters
            .unwrap_or_else(|| json!({"type": "object", "properties": {}})),
    })
}

#[cfg(test)]
#[path = "translate_tests.rs"]
mod tests;
