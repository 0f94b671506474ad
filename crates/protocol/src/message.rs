//! The conversation as the model sees it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The user, or the harness on the user's side (tool results).
    User,
    /// The model.
    Assistant,
}

/// One block of a message, in the shape of the Anthropic Messages API (the richest of the
/// wire formats rein speaks); other providers are mapped onto it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentBlock {
    /// Plain text.
    Text {
        /// The text.
        text: String,
    },
    /// The model's visible reasoning. The signature must be sent back unchanged.
    Thinking {
        /// The reasoning text.
        thinking: String,
        /// Opaque provider signature, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signature: Option<String>,
    },
    /// A tool call the model made.
    ToolUse {
        /// Provider-assigned call id.
        id: String,
        /// Tool name as the model wrote it (may name no known tool).
        name: String,
        /// Arguments. A JSON object when well formed; when the model produced text that is not
        /// a JSON object, the raw text is kept as a JSON string so nothing is lost.
        input: Value,
    },
    /// The result of a tool call, sent back in a user message.
    ToolResult {
        /// The id of the call this answers.
        tool_use_id: String,
        /// Result text shown to the model.
        content: String,
        /// Whether the call failed.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        is_error: bool,
    },
}

impl ContentBlock {
    /// A text block.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into() }
    }
}

/// One message of the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Author.
    pub role: Role,
    /// Blocks in order.
    pub content: Vec<ContentBlock>,
}

impl Message {
    /// A user message holding one text block.
    pub fn user_text(text: impl Into<String>) -> Self {
        Self { role: Role::User, content: vec![ContentBlock::text(text)] }
    }

    /// An assistant message holding one text block.
    pub fn assistant_text(text: impl Into<String>) -> Self {
        Self { role: Role::Assistant, content: vec![ContentBlock::text(text)] }
    }

    /// All text blocks joined, without thinking or tool blocks.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for block in &self.content {
            if let ContentBlock::Text { text } = block {
                out.push_str(text);
            }
        }
        out
    }

    /// The tool calls in this message, in order.
    pub fn tool_uses(&self) -> impl Iterator<Item = (&str, &str, &Value)> {
        self.content.iter().filter_map(|block| match block {
            ContentBlock::ToolUse { id, name, input } => Some((id.as_str(), name.as_str(), input)),
            _ => None,
        })
    }
}

/// A tool as offered to the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolSpec {
    /// Unique name.
    pub name: String,
    /// Short description written for the model.
    pub description: String,
    /// JSON Schema of the arguments object.
    pub input_schema: Value,
}

/// One block of the system prompt. Providers that support prompt caching may place a cache
/// breakpoint after a block marked `cache`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemBlock {
    /// Text of the block.
    pub text: String,
    /// Whether a cache breakpoint belongs after this block.
    #[serde(default)]
    pub cache: bool,
}

/// Everything a provider needs for one model call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRequest {
    /// Model id as the provider knows it.
    pub model: String,
    /// System prompt blocks, stable content first.
    pub system: Vec<SystemBlock>,
    /// Conversation so far; starts with a user message and alternates roles.
    pub messages: Vec<Message>,
    /// Tools offered, in a deterministic order.
    pub tools: Vec<ToolSpec>,
    /// Upper bound on output tokens for this call.
    pub max_tokens: u32,
    /// Sampling temperature; `None` leaves the provider default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    /// Extended-thinking budget in tokens, for providers that support it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking_budget: Option<u32>,
    /// Whether to place a moving cache breakpoint on the last message.
    #[serde(default)]
    pub cache_last_message: bool,
}
