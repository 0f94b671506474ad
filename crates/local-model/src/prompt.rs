//! Mapping a [`ModelRequest`] onto the chat a small local model handles best.
//!
//! - System blocks become one system message.
//! - Tool results go back as a plain user message ("Result of read(path=…): …"): small models
//!   tend to repeat the call when they see the template's dedicated tool-result role, but use
//!   the result when it reads like the user handing it over.
//! - Tool descriptions are cut to their first sentence and schemas to their bones, because
//!   every prompt token costs prefill time.
//! - When the template cannot list tools, the system message describes them.
//! - In the block reply format no tool is listed: the system message explains the blocks, and
//!   the model's earlier replies are shown as it wrote them.

use crate::blocks::BLOCK_INSTRUCTIONS;
use crate::options::ReplyFormat;
use crate::schema::{Ordered, compact_schema, first_sentence, signature};
use rein_protocol::{ContentBlock, ModelRequest, Role, ToolSpec};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The conversation in chat-template terms.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChatPrompt {
    /// Messages in order, the system message first when there is one.
    pub(crate) messages: Vec<ChatMessage>,
    /// Tools for templates that list them.
    pub(crate) tools: Vec<ToolDef>,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChatMessage {
    /// `system`, `user` or `assistant`.
    pub(crate) role: &'static str,
    /// Text.
    pub(crate) content: String,
    /// Calls made by an assistant message.
    pub(crate) tool_calls: Vec<ToolCall>,
}

/// A call made earlier in the conversation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ToolCall {
    /// Tool name.
    pub(crate) name: String,
    /// Arguments.
    pub(crate) arguments: Value,
}

/// A tool as the template lists it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ToolDef {
    /// Name.
    pub(crate) name: String,
    /// First sentence of the description.
    pub(crate) description: String,
    /// Compact argument schema.
    pub(crate) parameters: Ordered,
}

/// What the chat template can express by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TemplateCaps {
    /// The template lists `tools`.
    pub(crate) tools: bool,
    /// The template renders assistant `tool_calls`.
    pub(crate) tool_calls: bool,
}

/// Longest argument value shown when echoing a call back with its result.
const MAX_ECHOED_ARG_CHARS: usize = 60;

/// Builds the chat for `request`, for a model that acts in `format` (the effective one: the
/// block format only when the request offers its tools).
pub(crate) fn build(request: &ModelRequest, caps: TemplateCaps, format: ReplyFormat) -> ChatPrompt {
    let blocks = format == ReplyFormat::Blocks;
    let mut system: Vec<&str> =
        request.system.iter().map(|b| b.text.trim()).filter(|t| !t.is_empty()).collect();
    let tool_section;
    if blocks {
        system.push(BLOCK_INSTRUCTIONS);
    } else if !caps.tools && !request.tools.is_empty() {
        tool_section = describe_tools(&request.tools);
        system.push(&tool_section);
    }
    let mut messages = Vec::new();
    if !system.is_empty() {
        messages.push(ChatMessage {
            role: "system",
            content: system.join("\n\n"),
            tool_calls: vec![],
        });
    }
    let mut calls_by_id: HashMap<&str, (&str, &Value)> = HashMap::new();
    for message in &request.messages {
        match message.role {
            Role::Assistant => {
                messages.push(assistant_message(&message.content, caps, blocks));
                for block in &message.content {
                    if let ContentBlock::ToolUse { id, name, input } = block {
                        calls_by_id.insert(id, (name, input));
                    }
                }
            }
            Role::User => messages.push(user_message(&message.content, &calls_by_id, blocks)),
        }
    }
    let tools = if caps.tools && !blocks {
        request.tools.iter().map(tool_def).collect()
    } else {
        Vec::new()
    };
    ChatPrompt { messages, tools }
}

fn tool_def(tool: &ToolSpec) -> ToolDef {
    ToolDef {
        name: tool.name.clone(),
        description: first_sentence(&tool.description),
        parameters: compact_schema(&tool.input_schema),
    }
}

/// Tool instructions for templates that know nothing of tools.
fn describe_tools(tools: &[ToolSpec]) -> String {
    let mut out = String::from("# Tools\n\nYou can call these tools:\n");
    for tool in tools {
        let _ = writeln!(
            out,
            "- {}: {}",
            signature(&tool.name, &tool.input_schema),
            first_sentence(&tool.description)
        );
    }
    out.push_str(
        "\nTo call a tool, reply with only:\n<tool_call>\n{\"name\": \"<tool name>\", \"arguments\": {<arguments as JSON>}}\n</tool_call>",
    );
    out
}

/// An earlier reply. In the block format its calls are already in its text.
fn assistant_message(
    content_blocks: &[ContentBlock],
    caps: TemplateCaps,
    blocks: bool,
) -> ChatMessage {
    let mut content = String::new();
    let mut tool_calls = Vec::new();
    for block in content_blocks {
        match block {
            ContentBlock::Text { text } => append(&mut content, text.trim()),
            ContentBlock::ToolUse { name, input, .. } if !blocks => {
                tool_calls.push(ToolCall { name: name.clone(), arguments: input.clone() });
            }
            ContentBlock::ToolUse { .. } => {}
            ContentBlock::Thinking { .. } | ContentBlock::ToolResult { .. } => {}
        }
    }
    if !caps.tool_calls {
        for call in tool_calls.drain(..) {
            let json = serde_json::json!({"name": call.name, "arguments": call.arguments});
            append(&mut content, &format!("<tool_call>\n{json}\n</tool_call>"));
        }
    }
    ChatMessage { role: "assistant", content, tool_calls }
}

fn user_message(
    content_blocks: &[ContentBlock],
    calls: &HashMap<&str, (&str, &Value)>,
    blocks: bool,
) -> ChatMessage {
    let mut content = String::new();
    let mut results = 0;
    for block in content_blocks {
        match block {
            ContentBlock::Text { text } => append(&mut content, text.trim()),
            ContentBlock::ToolResult { tool_use_id, content: output, is_error } => {
                results += 1;
                let call = calls.get(tool_use_id.as_str()).copied();
                let text = if blocks {
                    block_result(call, output.trim_end(), *is_error)
                } else {
                    let call = match call {
                        Some((name, input)) => describe_call(name, input),
                        None => "a tool call".to_string(),
                    };
                    let head = if *is_error { "Error from" } else { "Result of" };
                    format!("{head} {call}:\n{}", output.trim_end())
                };
                append(&mut content, &text);
            }
            ContentBlock::Thinking { .. } | ContentBlock::ToolUse { .. } => {}
        }
    }
    if results > 0 {
        let next = if blocks {
            "If the task is done, reply with a short summary of what you changed. Otherwise \
             go on with it."
        } else {
            "Continue with the task, or answer if you have what you need."
        };
        append(&mut content, next);
    }
    ChatMessage { role: "user", content, tool_calls: vec![] }
}

/// A block's result as a terminal would show it: the command and its output, or what the
/// write did.
fn block_result(call: Option<(&str, &Value)>, output: &str, is_error: bool) -> String {
    let error = if is_error { "Error: " } else { "" };
    match call {
        Some(("bash", input)) => {
            let command = input.get("command").and_then(Value::as_str).unwrap_or_default();
            let output = if output.is_empty() { "(no output)" } else { output };
            format!("$ {command}\n{error}{output}")
        }
        _ => format!("{error}{output}"),
    }
}

/// `read(path="src/lib.rs")`, with long values shortened.
fn describe_call(name: &str, input: &Value) -> String {
    let args = match input.as_object() {
        Some(map) => map
            .iter()
            .map(|(k, v)| {
                let shown = v.to_string();
                let shown = if shown.chars().count() > MAX_ECHOED_ARG_CHARS {
                    let cut: String = shown.chars().take(MAX_ECHOED_ARG_CHARS - 1).collect();
                    format!("{cut}…")
                } else {
                    shown
                };
                format!("{k}={shown}")
            })
            .collect::<Vec<_>>()
            .join(", "),
        None => String::new(),
    };
    format!("{name}({args})")
}

fn append(content: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    if !content.is_empty() {
        content.push_str("\n\n");
    }
    content.push_str(text);
}

#[cfg(test)]
#[path = "prompt_tests.rs"]
mod tests;
