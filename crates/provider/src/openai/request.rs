//! The JSON body of a streaming Chat Completions request.

use crate::wire;
use rein_protocol::{ContentBlock, Message, ModelRequest, Role, ToolSpec};
use serde_json::{Map, Value, json};

/// Which field carries the output-token limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MaxTokensField {
    /// `max_completion_tokens`: required by OpenAI's reasoning models, which reject
    /// `max_tokens`.
    MaxCompletionTokens,
    /// `max_tokens`: the field older and local OpenAI-compatible servers understand.
    MaxTokens,
}

impl MaxTokensField {
    /// `max_completion_tokens` for OpenAI's own API (and Azure's), `max_tokens` for every other
    /// server, since many compatible servers ignore the newer field and would run unbounded.
    pub(crate) fn for_base_url(base_url: &str) -> Self {
        let host = base_url
            .split_once("://")
            .map_or(base_url, |(_, rest)| rest)
            .split(['/', ':', '?'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if host == "api.openai.com" || host.ends_with(".openai.azure.com") {
            Self::MaxCompletionTokens
        } else {
            Self::MaxTokens
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::MaxCompletionTokens => "max_completion_tokens",
            Self::MaxTokens => "max_tokens",
        }
    }
}

/// Builds the request body for `POST /chat/completions` with `"stream": true`.
///
/// - System blocks are joined with blank lines into one leading system message.
/// - A user message's tool results become `tool` messages, placed before the rest of that
///   message because they must directly follow the assistant message that made the calls.
/// - Thinking blocks are dropped; the format has no way to send them back.
/// - Tool arguments that are not a JSON object (kept malformed output) are sent as `{}`.
pub(crate) fn build(request: &ModelRequest, max_tokens_field: MaxTokensField) -> Value {
    let mut body = Map::new();
    body.insert("model".into(), json!(request.model));
    body.insert("messages".into(), messages(request));
    body.insert("stream".into(), json!(true));
    body.insert("stream_options".into(), json!({"include_usage": true}));
    body.insert(max_tokens_field.key().into(), json!(request.max_tokens));
    if !request.tools.is_empty() {
        body.insert("tools".into(), tools(&request.tools));
    }
    if let Some(temperature) = request.temperature.and_then(wire::temperature) {
        body.insert("temperature".into(), temperature);
    }
    Value::Object(body)
}

fn messages(request: &ModelRequest) -> Value {
    let mut out = Vec::new();
    let system: Vec<&str> = request
        .system
        .iter()
        .map(|block| block.text.as_str())
        .filter(|text| !text.is_empty())
        .collect();
    if !system.is_empty() {
        out.push(json!({"role": "system", "content": system.join("\n\n")}));
    }
    for message in &request.messages {
        match message.role {
            Role::User => user(message, &mut out),
            Role::Assistant => out.push(assistant(message)),
        }
    }
    Value::Array(out)
}

fn user(message: &Message, out: &mut Vec<Value>) {
    let mut texts = Vec::new();
    for block in &message.content {
        match block {
            ContentBlock::ToolResult { tool_use_id, content, is_error } => out.push(json!({
                "role": "tool",
                "tool_call_id": tool_use_id,
                // The format has no error flag; say it in the text so the model knows.
                "content": if *is_error { format!("Error: {content}") } else { content.clone() },
            })),
            ContentBlock::Text { text } => texts.push(text.as_str()),
            ContentBlock::Thinking { .. } | ContentBlock::ToolUse { .. } => {}
        }
    }
    let has_tool_results =
        message.content.iter().any(|b| matches!(b, ContentBlock::ToolResult { .. }));
    let text = texts.join("\n\n");
    // A message of tool results alone needs no (empty) user message after it.
    if !text.is_empty() || !has_tool_results {
        out.push(json!({"role": "user", "content": text}));
    }
}

fn assistant(message: &Message) -> Value {
    let mut texts = Vec::new();
    let mut calls = Vec::new();
    for block in &message.content {
        match block {
            ContentBlock::Text { text } => texts.push(text.as_str()),
            ContentBlock::ToolUse { id, name, input } => calls.push(json!({
                "id": id,
                "type": "function",
                "function": {
                    "name": name,
                    "arguments": wire::tool_input_object(input).to_string(),
                },
            })),
            ContentBlock::Thinking { .. } | ContentBlock::ToolResult { .. } => {}
        }
    }
    let text = texts.join("\n\n");
    let mut out = Map::new();
    out.insert("role".into(), json!("assistant"));
    // Content may be null only when tool calls carry the message.
    let content = if text.is_empty() && !calls.is_empty() { Value::Null } else { json!(text) };
    out.insert("content".into(), content);
    if !calls.is_empty() {
        out.insert("tool_calls".into(), Value::Array(calls));
    }
    Value::Object(out)
}

fn tools(tools: &[ToolSpec]) -> Value {
    let tools = tools
        .iter()
        .map(|tool| {
            json!({
                "type": "function",
                "function": {
                    "name": tool.name,
                    "description": tool.description,
                    "parameters": tool.input_schema,
                },
            })
        })
        .collect();
    Value::Array(tools)
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
